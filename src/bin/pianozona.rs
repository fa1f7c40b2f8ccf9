//! `pianozona` command-line interface: a thin entry over `pianozona::cli`.
fn main() -> std::process::ExitCode {
    // A closed pipe (`pianozona list | head -1`) ends the program quietly, as for other Unix tools,
    // instead of a panic in `println!`.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Libraries loaded later (PKCS#11 modules) may ignore SIGPIPE again: then `println!` panics on
    // the closed pipe, and that one panic is turned into a quiet exit with the shell's code 141.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let p = info.payload();
        let msg = p.downcast_ref::<String>().map(String::as_str).or_else(|| p.downcast_ref::<&str>().copied());
        if msg.is_some_and(|m| m.starts_with("failed printing to std") && m.contains("os error 32")) {
            std::process::exit(141);
        }
        default_hook(info)
    }));
    pianozona::cli::main()
}
