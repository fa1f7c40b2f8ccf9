//! Derived values of the Piano di Zona forms, computed from the template data: evaluation-grid
//! rows (exact rational arithmetic over the row formulas, judgement band from the template's
//! bands) and fund-table totals (per column, per row group, partial when cells are not assigned).
//! Nothing here is typed by the user: the PDF, the app and the Verifica all read these.

use super::{EvaluationGrid, FundCell, FundTable};
use crate::money::Money;
use crate::template::{normalise_label, RowDef, Section};
use std::collections::BTreeMap;

/// An exact non-negative-or-negative rational number (numerator / denominator, denominator > 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub num: i128,
    pub den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a.max(1)
}

impl Ratio {
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let s = if den < 0 { -1 } else { 1 };
        let g = gcd(num, den);
        Some(Ratio { num: s * num / g, den: s * den / g })
    }
    pub fn int(n: i128) -> Ratio {
        Ratio { num: n, den: 1 }
    }
    /// Checked sum (None on overflow).
    pub fn checked_add(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(
            self.num.checked_mul(o.den)?.checked_add(o.num.checked_mul(self.den)?)?,
            self.den.checked_mul(o.den)?,
        )
    }
    /// Checked difference (None on overflow).
    pub fn checked_sub(self, o: Ratio) -> Option<Ratio> {
        self.checked_add(Ratio { num: -o.num, den: o.den })
    }
    fn checked_mul(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(o.num)?, self.den.checked_mul(o.den)?)
    }
    fn checked_div(self, o: Ratio) -> Option<Ratio> {
        if o.num == 0 {
            return None;
        }
        Ratio::new(self.num.checked_mul(o.den)?, self.den.checked_mul(o.num)?)
    }
    /// Compares with an integer.
    pub fn cmp_int(self, n: i128) -> std::cmp::Ordering {
        match n.checked_mul(self.den) {
            Some(v) => self.num.cmp(&v),
            // |n * den| beyond i128: the sign of n decides.
            None => 0.cmp(&n),
        }
    }
    /// Rounded to the nearest integer, halves away from zero.
    pub fn round(self) -> i128 {
        let q = self.num.div_euclid(self.den);
        let r = self.num.rem_euclid(self.den);
        if 2 * r >= self.den {
            q + 1
        } else {
            q
        }
    }
    /// Italian decimal with up to `decimals` digits (trailing zeros kept): "60,00", "87,5".
    pub fn format_it(self, decimals: u32) -> String {
        let scale = 10i128.pow(decimals.min(6));
        let scaled = match self.num.checked_mul(scale) {
            Some(num) => Ratio { num, den: self.den }.round(),
            None => return self.round().to_string(),
        };
        let neg = scaled < 0;
        let a = scaled.abs();
        let int = a / scale;
        let frac = a % scale;
        let mut s = if neg { format!("-{int}") } else { int.to_string() };
        if decimals > 0 {
            s.push(',');
            s.push_str(&format!("{:0width$}", frac, width = decimals.min(6) as usize));
        }
        s
    }
}

/// Parses a number as typed: "12", "3,5", "3.5", "150.000,00", "80%", "80,00 %", "€ 1.550.000".
pub fn parse_number(text: &str) -> Option<Ratio> {
    let s: String = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '%' | '€' | '\u{a0}')).collect();
    if s.is_empty() {
        return None;
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s.clone()),
    };
    // Italian money style first (thousands dots, decimal comma), then plain decimals.
    let r = if let Ok(m) = Money::parse_it(&body) {
        Ratio::new(m.cents() as i128, 100)?
    } else {
        let (i, d) = body.split_once(['.', ',']).unwrap_or((&body, ""));
        if i.is_empty() && d.is_empty() {
            return None;
        }
        if !i.chars().all(|c| c.is_ascii_digit())
            || !d.chars().all(|c| c.is_ascii_digit())
            || d.len() > 12
            || i.len() > 18
        {
            return None;
        }
        let int: i128 = if i.is_empty() { 0 } else { i.parse().ok()? };
        let frac: i128 = if d.is_empty() { 0 } else { d.parse().ok()? };
        let den = 10i128.pow(d.len() as u32);
        Ratio::new(int * den + frac, den)?
    };
    Some(if neg { Ratio { num: -r.num, den: r.den } } else { r })
}

// ------------------------------------------------------------------ formulas

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Ratio),
    Id(String),
    Op(char),
}

fn lex(f: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let cs: Vec<char> = f.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if "+-*/()".contains(c) {
            out.push(Tok::Op(c));
            i += 1;
        } else if c.is_ascii_digit() {
            let st = i;
            while i < cs.len() && (cs[i].is_ascii_digit() || cs[i] == '.') {
                i += 1;
            }
            let s: String = cs[st..i].iter().collect();
            out.push(Tok::Num(parse_plain(&s)?));
        } else if c.is_alphabetic() || c == '_' {
            let st = i;
            while i < cs.len() && (cs[i].is_alphanumeric() || cs[i] == '_') {
                i += 1;
            }
            out.push(Tok::Id(cs[st..i].iter().collect()));
        } else {
            return None;
        }
    }
    Some(out)
}

fn parse_plain(s: &str) -> Option<Ratio> {
    let (i, d) = s.split_once('.').unwrap_or((s, ""));
    let int: i128 = i.parse().ok()?;
    let frac: i128 = if d.is_empty() { 0 } else { d.parse().ok()? };
    let den = 10i128.pow(d.len() as u32);
    Ratio::new(int * den + frac, den)
}

/// Why a formula gave no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormulaError {
    /// The formula itself is malformed (a template error).
    Syntax(String),
    /// An operand has no value yet.
    Missing(String),
    /// Division by zero or overflow.
    Undefined,
}

struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
    vars: &'a dyn Fn(&str) -> Option<Ratio>,
}

impl Parser<'_> {
    fn expr(&mut self) -> Result<Ratio, FormulaError> {
        let mut v = self.term()?;
        while let Some(Tok::Op(c @ ('+' | '-'))) = self.toks.get(self.pos) {
            self.pos += 1;
            let r = self.term()?;
            v = if *c == '+' { v.checked_add(r) } else { v.checked_sub(r) }.ok_or(FormulaError::Undefined)?;
        }
        Ok(v)
    }
    fn term(&mut self) -> Result<Ratio, FormulaError> {
        let mut v = self.atom()?;
        while let Some(Tok::Op(c @ ('*' | '/'))) = self.toks.get(self.pos) {
            self.pos += 1;
            let r = self.atom()?;
            v = if *c == '*' { v.checked_mul(r) } else { v.checked_div(r) }.ok_or(FormulaError::Undefined)?;
        }
        Ok(v)
    }
    fn atom(&mut self) -> Result<Ratio, FormulaError> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Id(id)) => {
                self.pos += 1;
                (self.vars)(&id).ok_or(FormulaError::Missing(id))
            }
            Some(Tok::Op('(')) => {
                self.pos += 1;
                let v = self.expr()?;
                match self.toks.get(self.pos) {
                    Some(Tok::Op(')')) => {
                        self.pos += 1;
                        Ok(v)
                    }
                    _ => Err(FormulaError::Syntax("parentesi non chiusa".into())),
                }
            }
            Some(Tok::Op('-')) => {
                self.pos += 1;
                let v = self.atom()?;
                Ok(Ratio { num: -v.num, den: v.den })
            }
            _ => Err(FormulaError::Syntax("espressione incompleta".into())),
        }
    }
}

/// Evaluates a formula ("azioni_realizzate * 100 / azioni_programmate") exactly.
pub fn eval_formula(formula: &str, vars: &dyn Fn(&str) -> Option<Ratio>) -> Result<Ratio, FormulaError> {
    let toks = lex(formula).ok_or_else(|| FormulaError::Syntax(format!("carattere non ammesso in «{formula}»")))?;
    let mut p = Parser { toks: &toks, pos: 0, vars };
    let v = p.expr()?;
    if p.pos != toks.len() {
        return Err(FormulaError::Syntax(format!("formula «{formula}» non valida")));
    }
    Ok(v)
}

/// The identifiers a formula reads (template check).
pub fn formula_vars(formula: &str) -> Option<Vec<String>> {
    Some(lex(formula)?.into_iter().filter_map(|t| if let Tok::Id(s) = t { Some(s) } else { None }).collect())
}

// ------------------------------------------------------------------ evaluation grids

/// A judgement band of an evaluation grid, from the section's `props.bands`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Printed in the full scale: "80-99% (buono)".
    pub label: String,
    /// Printed after the value: "buono".
    pub word: String,
    from: Option<i128>,
    above: Option<i128>,
    to: Option<i128>,
    below: Option<i128>,
}

impl Band {
    pub fn contains(&self, v: Ratio) -> bool {
        use std::cmp::Ordering::*;
        self.from.is_none_or(|n| v.cmp_int(n) != Less)
            && self.above.is_none_or(|n| v.cmp_int(n) == Greater)
            && self.to.is_none_or(|n| v.cmp_int(n) != Greater)
            && self.below.is_none_or(|n| v.cmp_int(n) == Less)
    }
}

/// The bands of a grid section, in template order.
pub fn bands(section: &Section) -> Vec<Band> {
    let Some(arr) = section.props.get("bands").and_then(|v| v.as_array()) else { return vec![] };
    arr.iter()
        .filter_map(|b| {
            let t = b.as_table()?;
            let int = |k: &str| t.get(k).and_then(|v| v.as_integer()).map(|n| n as i128);
            Some(Band {
                label: t.get("label")?.as_str()?.to_string(),
                word: t.get("word").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
                from: int("from"),
                above: int("above"),
                to: int("to"),
                below: int("below"),
            })
        })
        .collect()
}

/// One row of a computed grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub id: String,
    pub label: String,
    /// input | computed | band
    pub kind: String,
    /// Exact value (inputs and computed rows).
    pub value: Option<Ratio>,
    /// Printed value: "12", "90%", "90% (buono)", "" when missing.
    pub display: String,
    /// For band rows: index of the matching band.
    pub band: Option<usize>,
    /// Why a computed row has no value (missing operand, division by zero).
    pub error: Option<FormulaError>,
    /// Whether the value comes from the typed (imported) text rather than the inputs.
    pub from_typed: bool,
}

/// A whole grid, computed.
#[derive(Debug, Clone, PartialEq)]
pub struct GridResult {
    pub rows: Vec<GridRow>,
    pub bands: Vec<Band>,
}

impl GridResult {
    pub fn row(&self, id: &str) -> Option<&GridRow> {
        self.rows.iter().find(|r| r.id == id)
    }
    /// The main printed value: the band row if any, else the last computed row, else the last input.
    pub fn headline(&self) -> Option<&GridRow> {
        self.rows
            .iter()
            .rev()
            .find(|r| r.kind == "band" && r.band.is_some())
            .or_else(|| self.rows.iter().rev().find(|r| r.kind == "computed" && r.value.is_some()))
            .or_else(|| self.rows.iter().rev().find(|r| r.kind != "band" && r.value.is_some()))
    }
}

fn row_kind(r: &RowDef) -> &str {
    r.kind.as_deref().unwrap_or("input")
}

/// Integer percent display: "90%".
pub fn percent_display(v: Ratio) -> String {
    format!("{}%", v.round())
}

/// Computes a grid: inputs parsed, computed rows evaluated in order (a row may read earlier
/// ones), band rows matched against the bands. A computed row with no inputs falls back to the
/// value typed in an imported document (`typed[row]`, e.g. "80% (ottimo)"), flagged `from_typed`.
pub fn evaluate_grid(section: &Section, grid: &EvaluationGrid) -> GridResult {
    let bands = bands(section);
    let mut values: BTreeMap<String, Ratio> = BTreeMap::new();
    let mut rows = Vec::new();
    for r in &section.rows {
        let kind = row_kind(r).to_string();
        let mut row = GridRow {
            id: r.id.clone(),
            label: r.label.clone(),
            kind: kind.clone(),
            value: None,
            display: String::new(),
            band: None,
            error: None,
            from_typed: false,
        };
        match kind.as_str() {
            "computed" => {
                let f = r.formula.as_deref().unwrap_or("");
                let lookup = |id: &str| values.get(id).copied();
                match eval_formula(f, &lookup) {
                    Ok(v) => row.value = Some(v),
                    Err(e) => {
                        // Fall back to the typed value of an imported document.
                        if let Some(v) = grid.typed.get(&r.id).and_then(|t| typed_number(t)) {
                            row.value = Some(v);
                            row.from_typed = true;
                        } else {
                            row.error = Some(e);
                        }
                    }
                }
                if let Some(v) = row.value {
                    row.display = percent_or_number(r, v);
                }
            }
            "band" => {
                let src = r.formula.as_deref().unwrap_or("");
                if let Some(v) = values.get(src).copied() {
                    row.value = Some(v);
                    row.band = bands.iter().position(|b| b.contains(v));
                    if let Some(b) = row.band.map(|i| &bands[i]) {
                        row.display = format!("{}% ({})", v.round(), b.word);
                    }
                }
            }
            _ => {
                if let Some(t) = grid.inputs.get(&r.id) {
                    row.value = parse_number(t);
                    row.display = t.clone();
                }
            }
        }
        if let Some(v) = row.value {
            values.insert(r.id.clone(), v);
        }
        rows.push(row);
    }
    GridResult { rows, bands }
}

fn percent_or_number(r: &RowDef, v: Ratio) -> String {
    let f = r.formula.as_deref().unwrap_or("");
    if f.contains("100") {
        percent_display(v)
    } else {
        v.format_it(2)
    }
}

/// The number at the start of a typed value: "80% (ottimo)" → 80; "100,00%" → 100.
pub fn typed_number(text: &str) -> Option<Ratio> {
    let head: String =
        text.trim().chars().take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '%')).collect();
    parse_number(head.trim())
}

/// The band word typed in an imported value: "80% (ottimo)" → "ottimo".
pub fn typed_band_word(text: &str) -> Option<String> {
    let (_, rest) = text.split_once('(')?;
    let (w, _) = rest.split_once(')')?;
    let w = w.trim().to_lowercase();
    (!w.is_empty()).then_some(w)
}

/// A band word typed in an imported grid ("80% (ottimo)") that names another band than the computed one.
#[derive(Debug, Clone, PartialEq)]
pub struct BandMismatch {
    /// The band row.
    pub row: String,
    /// The key of `typed` the word was read from (the band row or the row it grades).
    pub typed_key: String,
    /// The typed word, lowercase.
    pub word: String,
    /// Index of the computed band in `GridResult::bands`.
    pub band: usize,
}

/// Every band row whose typed word disagrees with the computed band. The one comparison used by the
/// rule `pdz_grid_band` and by the editor's grid feedback, so the field and the Verifica agree.
pub fn band_mismatches(section: &Section, grid: &EvaluationGrid, res: &GridResult) -> Vec<BandMismatch> {
    let mut out = Vec::new();
    for (bi, r) in res.rows.iter().enumerate().filter(|(_, r)| r.kind == "band") {
        let Some((band, b)) = r.band.and_then(|i| res.bands.get(i).map(|b| (i, b))) else { continue };
        let src = section.rows.get(bi).and_then(|d| d.formula.clone()).unwrap_or_default();
        let Some((key, typed)) = grid.typed.get_key_value(&r.id).or_else(|| grid.typed.get_key_value(&src)) else {
            continue;
        };
        let Some(word) = typed_band_word(typed) else { continue };
        if normalise_label(&word) != normalise_label(&b.word) {
            out.push(BandMismatch { row: r.id.clone(), typed_key: key.clone(), word, band });
        }
    }
    out
}

// ------------------------------------------------------------------ fund tables

/// Totals of a fund table: per column, per row group, grand; partial when a column holds
/// not-assigned cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FundTotals {
    /// Column id → total of every row.
    pub columns: BTreeMap<String, Money>,
    /// Column id → number of not-assigned cells (a partial total when > 0).
    pub not_assigned: BTreeMap<String, usize>,
    /// Group id → column id → subtotal (only for templates with row groups).
    pub groups: BTreeMap<String, BTreeMap<String, Money>>,
}

/// The group a data row belongs to: the template row's `group`, or "custom:{group}:…".
pub fn fund_row_group<'a>(section: &'a Section, source: &'a str) -> Option<&'a str> {
    if let Some(r) = section.rows.iter().find(|r| r.id == source) {
        return r.group.as_deref();
    }
    let rest = source.strip_prefix("custom:")?;
    let (g, _) = rest.split_once(':')?;
    section.rows.iter().any(|r| r.id == g && r.kind.as_deref() == Some("group")).then_some(g)
}

/// Printed label of a data row: its own label, the template row label, or the source id.
pub fn fund_row_label(section: &Section, row: &super::FundRow) -> String {
    if !row.label.is_empty() {
        return row.label.clone();
    }
    section
        .rows
        .iter()
        .find(|r| r.id == row.source)
        .map(|r| r.label.clone())
        .unwrap_or_else(|| row.source.rsplit(':').next().unwrap_or(&row.source).to_string())
}

/// The column ids of a fund table: the template's columns except the label column.
pub fn fund_columns(section: &Section) -> Vec<&str> {
    section.columns.iter().filter(|c| c.kind.as_deref() != Some("text")).map(|c| c.id.as_str()).collect()
}

pub fn fund_totals(section: &Section, table: &FundTable) -> FundTotals {
    let cols = fund_columns(section);
    let mut t = FundTotals::default();
    for c in &cols {
        t.columns.insert(c.to_string(), Money::ZERO);
        t.not_assigned.insert(c.to_string(), 0);
    }
    for row in &table.rows {
        let group = fund_row_group(section, &row.source);
        for c in &cols {
            let cell = row.cells.get(*c).unwrap_or(&FundCell::NotAssigned);
            let v = match cell {
                FundCell::Value(m) => *m,
                FundCell::Zero => Money::ZERO,
                FundCell::NotAssigned => {
                    *t.not_assigned.entry(c.to_string()).or_default() += 1;
                    Money::ZERO
                }
            };
            *t.columns.entry(c.to_string()).or_default() += v;
            if let Some(g) = group {
                *t.groups.entry(g.to_string()).or_default().entry(c.to_string()).or_default() += v;
            }
        }
    }
    t
}

/// "1.282.992,82 €" (suffix) or "€ 1.282.992,82" (prefix); zero as "-   €" / "€ -".
pub fn money_style(m: Money, style: &str, zero_dash: bool) -> String {
    let prefix = style == "prefix";
    if zero_dash && m.is_zero() {
        return if prefix { "€ -".into() } else { "-   €".into() };
    }
    if prefix {
        format!("€ {}", m.format_number())
    } else {
        format!("{} €", m.format_number())
    }
}

/// Footnote markers at the end of a label: "L. 112 - Dopo di Noi*" → "*"; "Tabella 12 - Fondi⁴" or
/// "Tabella 12 - Fondi (4)" → "4".
pub fn footnote_marker(label: &str) -> Option<String> {
    let t = label.trim_end();
    if let Some(inner) = t.strip_suffix(')').and_then(|r| r.rsplit_once('(')).map(|(_, d)| d) {
        if !inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit() || c == '*') {
            return Some(inner.to_string());
        }
    }
    let stars: String = t.chars().rev().take_while(|c| *c == '*').collect();
    if !stars.is_empty() {
        return Some(stars);
    }
    let sup: String = t.chars().rev().take_while(|c| superscript_digit(*c).is_some()).collect();
    if !sup.is_empty() {
        return Some(sup.chars().rev().filter_map(superscript_digit).collect());
    }
    None
}

fn superscript_digit(c: char) -> Option<char> {
    Some(match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴' => '4',
        '⁵' => '5',
        '⁶' => '6',
        '⁷' => '7',
        '⁸' => '8',
        '⁹' => '9',
        _ => return None,
    })
}

/// The marker a footnote text starts with: "4 Si specifica…" or "(4) Si specifica…" → "4";
/// "** progetti…" → "**".
pub fn note_marker(note: &str) -> Option<String> {
    let t = note.trim_start();
    if let Some((inner, _)) = t.strip_prefix('(').and_then(|r| r.split_once(')')) {
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit() || c == '*') {
            return Some(inner.to_string());
        }
    }
    let first: String = t.chars().take_while(|c| !c.is_whitespace()).collect();
    let norm: String = first.chars().map(|c| superscript_digit(c).unwrap_or(c)).collect();
    if !norm.is_empty() && (norm.chars().all(|c| c == '*') || norm.chars().all(|c| c.is_ascii_digit())) {
        Some(norm)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_exact() {
        let vars = |id: &str| match id {
            "a" => Some(Ratio::int(9)),
            "b" => Some(Ratio::int(10)),
            _ => None,
        };
        let v = eval_formula("a * 100 / b", &vars).expect("value");
        assert_eq!(v, Ratio::int(90));
        let v = eval_formula("(a*100)/ (b + 2)", &vars).expect("value");
        assert_eq!(v.round(), 75);
        assert_eq!(eval_formula("a / (b - 10)", &vars), Err(FormulaError::Undefined));
        assert_eq!(eval_formula("c * 2", &vars), Err(FormulaError::Missing("c".into())));
        assert!(matches!(eval_formula("a *", &vars), Err(FormulaError::Syntax(_))));
    }

    #[test]
    fn numbers_parse_in_italian() {
        assert_eq!(parse_number("150.000,00"), Some(Ratio::int(150000)));
        assert_eq!(parse_number("3,5"), Ratio::new(7, 2));
        assert_eq!(parse_number("3.5"), Ratio::new(7, 2));
        assert_eq!(parse_number("80%"), Some(Ratio::int(80)));
        assert_eq!(typed_number("80% (ottimo)"), Some(Ratio::int(80)));
        assert_eq!(typed_band_word("80% (ottimo)").as_deref(), Some("ottimo"));
        assert_eq!(Ratio::int(60).format_it(2), "60,00");
        assert_eq!(parse_number("abc"), None);
        // Absurd figures give no value, never a panic.
        let huge = Ratio { num: i128::MAX - 5, den: 1 };
        assert!(huge.checked_add(huge).is_none());
        assert_eq!(huge.cmp_int(100), std::cmp::Ordering::Greater);
        let _ = huge.format_it(2);
        let vars = |_: &str| parse_number("999999999999999999,999999999999");
        assert_eq!(eval_formula("a * a * a * 100 / b", &vars), Err(FormulaError::Undefined));
    }

    #[test]
    fn markers() {
        assert_eq!(footnote_marker("L. 112 - Dopo di Noi*").as_deref(), Some("*"));
        assert_eq!(footnote_marker("Tabella 12 - Fondi⁴").as_deref(), Some("4"));
        assert_eq!(footnote_marker("Tabella 12 - Fondi (4)").as_deref(), Some("4"));
        assert_eq!(footnote_marker("Misura 6"), None);
        assert_eq!(footnote_marker("Servizi (SAD)"), None);
        assert_eq!(footnote_marker("FNPS"), None);
        assert_eq!(note_marker("⁴ Si specifica").as_deref(), Some("4"));
        assert_eq!(note_marker("** progetti a valenza provinciale").as_deref(), Some("**"));
    }
}
