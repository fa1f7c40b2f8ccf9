//! `pianozona` command-line interface: a thin entry over `pianozona::cli`.
fn main() -> std::process::ExitCode {
    // A closed pipe (`pianozona list | head -1`) ends the program quietly, as for other Unix tools,
    // instead of a panic in `println!`.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    pianozona::cli::main()
}
