//! `pianozona` command-line interface: a thin entry over `pianozona::cli`.
fn main() -> std::process::ExitCode {
    pianozona::cli::main()
}
