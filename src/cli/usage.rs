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
