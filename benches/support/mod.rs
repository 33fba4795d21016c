//! What the benches share: figures printed in the form `benches/figures.sh` collects, and
//! the quick switch. Each bench uses its own subset, hence the dead-code allowance.
#![allow(dead_code)]
// The one `mod.rs` kept in its directory: benches/support.rs would be built as a bench of its own.
#![allow(clippy::mod_module_files)]

/// Prints one figure as a tab-separated line: `figure`, a stable key, the value, its unit,
/// the goal (free text, `-` for none) and what it measures. Human-readable lines go beside.
pub fn figure(key: &str, value: f64, unit: &str, goal: &str, what: &str) {
    println!("figure\t{key}\t{value:.4}\t{unit}\t{goal}\t{what}");
}

/// True when the bench was given `--quick` (`cargo bench --bench X -- --quick`): fewer or
/// shorter measurements, for checking that the harness works.
pub fn quick() -> bool {
    std::env::args().any(|a| a == "--quick")
}
