//! The terminal UI: state, actions, keymap, views and the event loop.

pub mod action;
pub mod editor;
pub mod keymap;
pub mod state;
pub mod view;
