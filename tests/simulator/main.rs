//! Integration tests of the embedded simulator over real loopback HTTP with raw reqwest.
//! The cases live in `tests/simulator/` (one file per area) to keep each file small.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod control;
mod defects;
mod fal;
mod fal_queue;
mod faults;
mod kie;
mod more_faults;
