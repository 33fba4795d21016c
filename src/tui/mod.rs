//! The terminal UI.

pub mod editor;
