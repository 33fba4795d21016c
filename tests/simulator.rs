//! Integration tests of the embedded simulator over real loopback HTTP with raw reqwest.
//! The cases live in `tests/simulator/` (one file per area) to keep each file small.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "simulator/support.rs"]
mod support;

#[path = "simulator/control.rs"]
mod control;
#[path = "simulator/fal.rs"]
mod fal;
#[path = "simulator/fal_queue.rs"]
mod fal_queue;
#[path = "simulator/faults.rs"]
mod faults;
#[path = "simulator/kie.rs"]
mod kie;
#[path = "simulator/more_faults.rs"]
mod more_faults;
