//! The `clipbench` binary: everything lives in the library; this only hands over.

fn main() -> std::process::ExitCode {
    clipbench::cli::main_exit_code()
}
