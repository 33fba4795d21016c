//! clipbench: compare AI video models on quality per dollar.

pub mod simulator;
