//! Reading an exchange file's text (UTF-8 with or without BOM, UTF-16 with BOM) and saying JSON
//! problems in Italian: serde_json's and chrono's English messages are translated here, so users
//! never read "EOF while parsing a value" or "invalid type: string, expected u32".

use crate::error::{Error, Result};
use std::path::Path;

/// Reads a text file as a user may have saved it: UTF-8 (a BOM is dropped) or UTF-16 with BOM.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode_text(&bytes).map_err(|why| Error::Exchange(format!("«{}»: {why}", path.display())))
}

/// Decodes bytes as UTF-8 (BOM dropped) or UTF-16 LE/BE with BOM; the error is Italian.
pub fn decode_text(bytes: &[u8]) -> std::result::Result<String, String> {
    let utf16 = |be: bool| -> std::result::Result<String, String> {
        let body = &bytes[2..];
        if !body.len().is_multiple_of(2) {
            return Err("il file in UTF-16 è troncato (numero dispari di byte)".into());
        }
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16(&units).map_err(|_| "il file in UTF-16 contiene caratteri non validi".into())
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest).map(str::to_string).map_err(|e| not_utf8(rest, e)),
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        _ => std::str::from_utf8(bytes).map(str::to_string).map_err(|e| not_utf8(bytes, e)),
    }
}

fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> String {
    let upto = &bytes[..e.valid_up_to()];
    let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
    let looks_utf16 = bytes.len() >= 4 && (bytes[1] == 0 || bytes[0] == 0);
    if looks_utf16 {
        format!("il file sembra in UTF-16 senza indicazione di codifica (riga {line}): salvarlo come UTF-8")
    } else {
        format!("il file non è testo UTF-8 (riga {line}): salvarlo con codifica UTF-8")
    }
}

/// serde_json's message (without " at line L column C") in Italian.
pub fn italian(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let s = match s.rfind(" at line ") {
        Some(i) => &s[..i],
        None => &s[..],
    };
    translate(s)
}

/// Translates one serde/serde_json/chrono message; messages already in Italian (our own
/// deserialisers) pass through.
pub fn translate(s: &str) -> String {
    let fixed = [
        ("EOF while parsing a list", "il file finisce prima della chiusura di un elenco «]» (file troncato?)"),
        ("EOF while parsing an object", "il file finisce prima della chiusura di un oggetto «}» (file troncato?)"),
        ("EOF while parsing a string", "il file finisce dentro un testo tra virgolette (file troncato?)"),
        ("EOF while parsing a value", "il file finisce dove era atteso un valore (file vuoto o troncato?)"),
        ("expected `:`", "manca «:» dopo il nome di un campo"),
        ("expected `,` or `]`", "manca una virgola «,» o la chiusura «]» di un elenco"),
        ("expected `,` or `}`", "manca una virgola «,» o la chiusura «}» di un oggetto"),
        ("expected ident", "parola non riconosciuta (sono ammessi true, false, null)"),
        ("expected value", "valore mancante o non valido"),
        ("expected `\"`", "manca un segno «\"»"),
        ("invalid escape", "sequenza «\\» non valida in un testo"),
        ("invalid number", "numero non valido"),
        ("number out of range", "numero troppo grande"),
        ("invalid unicode code point", "carattere Unicode non valido"),
        (
            "control character (\\u0000-\\u001F) found while parsing a string",
            "carattere di controllo non ammesso in un testo (a capo o tabulazione vanno scritti \\n e \\t)",
        ),
        ("key must be a string", "il nome di un campo deve essere tra virgolette"),
        ("lone leading surrogate in hex escape", "carattere Unicode incompleto in un testo"),
        ("trailing comma", "virgola in più prima di una chiusura"),
        ("trailing characters", "testo in più dopo la fine del contenuto"),
        ("unexpected end of hex escape", "sequenza «\\u» incompleta"),
        ("recursion limit exceeded", "struttura annidata troppo in profondità"),
        ("input contains invalid characters", "data non valida (formato atteso AAAA-MM-GG)"),
        ("premature end of input", "data incompleta (formato atteso AAAA-MM-GG)"),
        ("input is out of range", "data inesistente"),
        ("trailing input", "data seguita da altro testo (formato atteso AAAA-MM-GG)"),
        ("input is not enough for unique date and time", "data incompleta"),
        ("no possible date and time matching input", "data inesistente"),
        ("bad or unsupported format string", "data non valida"),
    ];
    for (en, it) in fixed {
        if s == en {
            return it.to_string();
        }
    }
    if let Some(f) = s.strip_prefix("missing field ") {
        return format!("manca il campo «{}»", unquote(f));
    }
    if let Some(f) = s.strip_prefix("duplicate field ") {
        return format!("campo «{}» ripetuto", unquote(f));
    }
    if let Some(rest) = s.strip_prefix("unknown field ") {
        let (f, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("campo «{}» sconosciuto{}", unquote(f), allowed(exp));
    }
    if let Some(rest) = s.strip_prefix("unknown variant ") {
        let (f, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("valore «{}» non ammesso{}", unquote(f), allowed(exp));
    }
    if let Some(rest) = s.strip_prefix("invalid type: ") {
        let (got, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("tipo di valore non adatto: trovato {}, atteso {}", unexpected(got), expected(exp));
    }
    if let Some(rest) = s.strip_prefix("invalid value: ") {
        let (got, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("valore non ammesso: {}, atteso {}", unexpected(got), expected(exp));
    }
    if let Some(rest) = s.strip_prefix("invalid length ") {
        let (n, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("numero di elementi non ammesso ({n}), atteso {}", expected(exp));
    }
    if is_english(s) {
        return "contenuto non valido".into();
    }
    s.to_string()
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('`')
}

fn allowed(exp: &str) -> String {
    let list = exp.trim().trim_start_matches("one of ").trim_start_matches("a ").trim();
    if list.is_empty() || list == "there are no variants" || list == "there are no fields" {
        return String::new();
    }
    let items: Vec<&str> = list.split(", ").map(|x| x.trim_matches('`')).collect();
    format!(" (ammessi: {})", items.join(", "))
}

/// serde's description of the value found.
fn unexpected(s: &str) -> String {
    let s = s.trim();
    if let Some(v) = s.strip_prefix("integer ") {
        return format!("il numero {}", unquote(v));
    }
    if let Some(v) = s.strip_prefix("floating point ") {
        return format!("il numero {}", unquote(v));
    }
    if let Some(v) = s.strip_prefix("boolean ") {
        return format!("il valore {}", unquote(v));
    }
    if let Some(v) = s.strip_prefix("string ") {
        return format!("il testo «{}»", v.trim_matches('"'));
    }
    if let Some(v) = s.strip_prefix("character ") {
        return format!("il carattere «{}»", unquote(v));
    }
    match s {
        "null" => "un valore vuoto".into(),
        "sequence" => "un elenco [ ]".into(),
        "map" => "un oggetto { }".into(),
        "unit value" | "unit" => "un valore vuoto".into(),
        _ => "un valore".into(),
    }
}

/// serde's description of what was expected.
fn expected(s: &str) -> String {
    let s = s.trim();
    match s {
        "u8" | "u16" | "u32" | "u64" | "usize" => "un numero intero non negativo (non troppo grande)".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "un numero intero (non troppo grande)".into(),
        "f32" | "f64" => "un numero".into(),
        "a string" | "a borrowed string" | "string" => "un testo tra virgolette".into(),
        "a boolean" | "bool" => "true o false".into(),
        "a sequence" => "un elenco [ ]".into(),
        "a map" => "un oggetto { }".into(),
        "a character" | "char" => "un carattere".into(),
        "a formatted date string" | "a formatted date and time string" => "una data AAAA-MM-GG".into(),
        _ if s.starts_with("struct ") || s.starts_with("a map") => "un oggetto { }".into(),
        _ if s.starts_with("a sequence") || s.starts_with("tuple") => "un elenco [ ]".into(),
        _ if s.contains("enum") || s.contains("variant") => "uno dei valori ammessi".into(),
        _ if !is_english(s) && !s.is_empty() => s.to_string(),
        _ => "un valore di altro tipo".into(),
    }
}

/// True when a message looks like library English rather than our own Italian.
fn is_english(s: &str) -> bool {
    const EN: &[&str] = &[
        "expected", "invalid", "error", "found", "while", "parsing", "the", "value", "must", "unknown", "missing",
        "type", "failed", "cannot", "not", "string", "integer", "number",
    ];
    s.split(|c: char| !c.is_ascii_alphabetic()).any(|w| EN.contains(&w.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_utf16_are_read() {
        assert_eq!(decode_text(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("{\"à\":1}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode_text(&le).unwrap(), "{\"à\":1}");
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("{}".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_text(&be).unwrap(), "{}");
        assert!(decode_text(b"{\"a\": \"\xC3\x28\"}").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn serde_messages_become_italian() {
        let e = serde_json::from_str::<serde_json::Value>("{\"a\": ").unwrap_err();
        assert!(italian(&e).contains("finisce"), "{}", italian(&e));
        let e = serde_json::from_str::<u32>("\"x\"").unwrap_err();
        let m = italian(&e);
        assert!(m.contains("trovato il testo «x»") && m.contains("intero"), "{m}");
        let e = serde_json::from_str::<u32>("-1").unwrap_err();
        assert!(!is_english(&italian(&e)), "{}", italian(&e));
        let e = serde_json::from_str::<chrono::NaiveDate>("\"2024-02-30\"").unwrap_err();
        assert!(italian(&e).contains("data"), "{}", italian(&e));
    }
}
