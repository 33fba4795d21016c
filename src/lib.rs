//! clipbench: compare AI video models on quality per dollar.
//!
//! Library-first: the binary only parses the command line and calls into these modules.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod costs;
pub mod export;
pub mod frames;
pub mod jobs;
pub mod logging;
pub mod media;
pub mod merge;
#[cfg(test)]
mod mutation;
pub mod prompts;
pub mod provider;
pub mod random;
pub mod routing;
pub mod sanitize;
pub mod scoring;
pub mod services;
pub mod session;
pub mod simulator;
pub mod tui;
