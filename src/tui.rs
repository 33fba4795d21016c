//! The terminal UI: state, actions, keymap, views and the event loop.
//!
//! Data flows one way: terminal event → `Action` → `App::update` → `Effect`s the loop performs →
//! render (only when something changed). Job tasks report over a channel and never draw.

pub mod action;
mod blind;
pub mod checks;
mod costs;
pub mod editor;
pub mod event_loop;
mod firing;
mod form;
pub mod index;
pub mod keymap;
pub mod layers;
pub mod leaderboard;
pub mod open;
pub mod picture;
mod playback;
mod reopen;
pub mod scoring;
pub mod setup;
pub mod state;
pub mod task_error;
mod tasks;
pub mod update;
pub mod view;

#[cfg(test)]
mod tests;
