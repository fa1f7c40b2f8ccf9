/// The one list of IPC commands the UI may call, as `module::function`. It expands (through the
/// macro given as argument) to `generate_handler!` in lib.rs, to the `allow-*` permissions that
/// build.rs declares, and to `COMMANDS`, which a test compares with capabilities/main.json and
/// ui/src/lib/api.ts: a command renamed here and not there fails the build or that test.
macro_rules! ipc_commands {
    ($then:ident) => {
        $then! {
            commands::ready,
            commands::app_status,
            commands::save_profile,
            commands::family,
            commands::list_fascicoli,
            commands::trash,
            commands::create_fascicolo,
            commands::open_demo,
            commands::open_fascicolo,
            commands::save_fascicolo,
            commands::duplicate_fascicolo,
            commands::delete_fascicolo,
            commands::undelete_fascicolo,
            commands::revisions,
            commands::compare_revision,
            commands::restore_revision,
            commands::export_json,
            commands::import_json,
            commands::export_pdf,
            commands::open_file,
            commands::backup,
            commands::restore_backup,
            commands::restore_latest_backup,
            commands::add_document,
            commands::move_document,
            commands::renumber_schede,
            commands::plan_outline,
            commands::save_chapter,
            commands::set_chapter_text,
            commands::add_chapter,
            commands::rename_chapter,
            commands::move_chapter,
            commands::remove_chapter,
            signature::sign_pdf,
            signature::verify_signature,
            signature::pkcs11_modules,
            signature::read_token,
            signature::find_cards,
            signature::sign_pdf_token,
            feedback::count_words,
            feedback::parse_amounts,
            feedback::money_totals,
            feedback::parse_staff_cells,
            feedback::grid_feedback,
            feedback::fund_totals,
            preview::preview_pdf,
            preview::preview_pages,
            writing::find_in_fascicolo,
            writing::zoom,
            files::choose_file,
            files::list_backups,
        }
    };
}

/// `COMMANDS`: the names of `ipc_commands!`.
macro_rules! command_names {
    ($($m:ident :: $c:ident),* $(,)?) => {
        pub const COMMANDS: &[&str] = &[$(stringify!($c)),*];
    };
}
