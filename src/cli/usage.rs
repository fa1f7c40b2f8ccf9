//! clap's usage errors in Italian (its own texts are English: "unexpected argument … found").

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// One Italian line for a command-line usage error.
pub fn italian(e: &clap::Error) -> String {
    let ctx = |k: ContextKind| {
        e.get(k).map(|v| match v {
            ContextValue::String(s) => s.clone(),
            ContextValue::Strings(v) => v.join(", "),
            other => other.to_string(),
        })
    };
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let val = ctx(ContextKind::InvalidValue).unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("valore «{val}» non valido per {arg}")
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') && arg[1..].parse::<f64>().is_ok() => {
            format!("«{arg}» non è ammesso: i numeri negativi non sono identificativi validi")
        }
        ErrorKind::UnknownArgument => format!("argomento «{arg}» non riconosciuto"),
        ErrorKind::InvalidSubcommand => format!("il comando «{arg}» non esiste"),
        ErrorKind::MissingRequiredArgument => format!("manca {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "indicare un comando".into()
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("numero di valori non ammesso per {arg}")
        }
        ErrorKind::ArgumentConflict => format!("{arg} non può essere usato insieme a un altro argomento indicato"),
        ErrorKind::NoEquals => format!("{arg} richiede un valore scritto con «=»"),
        ErrorKind::InvalidUtf8 => "un argomento contiene caratteri non validi".into(),
        _ => "comando non valido".into(),
    }
}

/// The command line with Italian help: headings («Uso», «Comandi», «Argomenti», «Opzioni»), the
/// help and version flags described in Italian, Italian placeholders, no English `help` command.
pub fn italianise(cmd: clap::Command) -> clap::Command {
    fn each(cmd: clap::Command, root: bool) -> clap::Command {
        use clap::{Arg, ArgAction};
        // clap's own headings are English: the template names each part in Italian instead.
        let mut template = String::from("{before-help}{about-with-newline}\nUso: {usage}\n");
        if cmd.has_subcommands() {
            template.push_str("\nComandi:\n{subcommands}\n");
        }
        if cmd.get_positionals().next().is_some() {
            template.push_str("\nArgomenti:\n{positionals}\n");
        }
        template.push_str("\nOpzioni:\n{options}{after-help}");
        let mut cmd = cmd
            .disable_help_flag(true)
            .disable_help_subcommand(true)
            .help_template(template)
            .subcommand_value_name("COMANDO")
            .mut_args(|a| {
                let names: Vec<clap::builder::Str> = a.get_value_names().unwrap_or_default().to_vec();
                if !names.iter().any(|n| placeholder(n.as_str()).is_some()) {
                    return a;
                }
                let italian: Vec<clap::builder::Str> =
                    names.into_iter().map(|n| placeholder(n.as_str()).map(Into::into).unwrap_or(n)).collect();
                a.value_names(italian)
            })
            .arg(Arg::new("aiuto").short('h').long("help").action(ArgAction::Help).help("Mostra questo aiuto"));
        if root {
            cmd = cmd.disable_version_flag(true).arg(
                Arg::new("versione")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("Mostra la versione del programma"),
            );
        }
        cmd.mut_subcommands(|s| each(s, false))
    }
    each(cmd, true)
}

/// Italian placeholder for clap's (the field names, upper case).
fn placeholder(name: &str) -> Option<&'static str> {
    Some(match name {
        "DB" | "OUTPUT" | "INPUT" | "F" => "FILE",
        "TEMPLATES" => "CARTELLA",
        "TEXT" => "TESTO",
        "FROM" => "DA",
        "TO" => "A",
        "REV" => "REVISIONE",
        "MODULE" => "MODULO",
        "REASON" => "MOTIVO",
        "LOCATION" => "LUOGO",
        "CHAPTER" | "PARENT" => "CAPITOLO",
        "TITLE" => "TITOLO",
        "PART" => "N",
        _ => return None,
    })
}

/// The help or version text clap prepared, with the placeholders clap writes in English.
pub fn help_text(e: &clap::Error) -> String {
    e.render()
        .to_string()
        .replace("[OPTIONS]", "[OPZIONI]")
        .replace("[default: ", "[predefinito: ")
        .replace("[possible values: ", "[valori ammessi: ")
        .replace("[aliases: ", "[anche: ")
        .replace("[env: ", "[variabile: ")
}
