//! Exact money: integer euro cents, Italian formatting ("€ 2.150,00") and lenient Italian parsing.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// An amount of euro, as integer cents. Never floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Money(pub i64);

/// Why a typed amount was rejected; `Display` is the Italian message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("importo vuoto")]
    Empty,
    #[error("«{0}» non è un importo: usare cifre, punto per le migliaia e virgola per i decimali (es. 2.150,50)")]
    NotANumber(String),
    #[error("«{0}»: sono ammessi al massimo due decimali")]
    TooManyDecimals(String),
    #[error("«{0}»: separatore delle migliaia in posizione errata")]
    BadThousands(String),
    #[error("«{0}»: l’importo non può essere negativo")]
    Negative(String),
    #[error("«{0}»: importo troppo grande")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_cents(c: i64) -> Self {
        Money(c)
    }
    pub fn cents(self) -> i64 {
        self.0
    }
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Parses an amount as Italian offices type it: "€ 150", "€3.500", "€   8.230,00",
    /// "1.234,56 €", "2150,5", "€ -" (= 0). Negative amounts and more than two decimals are rejected.
    /// A plain "1234.56" (dot followed by exactly 1-2 digits, no comma) is read as decimals, as
    /// spreadsheets export it.
    pub fn parse_it(input: &str) -> Result<Money, MoneyError> {
        let raw = input.to_string();
        let s: String = input.chars().filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{a0}').collect();
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        if s == "-" || s == "–" {
            return Ok(Money::ZERO);
        }
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        if neg {
            return Err(MoneyError::Negative(raw));
        }
        let (int_part, dec_part) = match body.split_once(',') {
            Some((i, d)) => (i.to_string(), Some(d.to_string())),
            None => {
                // "1234.56" spreadsheet style: a single dot followed by 1 or 2 digits.
                match body.rsplit_once('.') {
                    Some((i, d)) if body.matches('.').count() == 1 && (1..=2).contains(&d.len()) && !i.is_empty() => {
                        (i.to_string(), Some(d.to_string()))
                    }
                    _ => (body.to_string(), None),
                }
            }
        };
        if int_part.is_empty() || !int_part.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(MoneyError::NotANumber(raw));
        }
        if int_part.contains('.') {
            let groups: Vec<&str> = int_part.split('.').collect();
            let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return Err(MoneyError::BadThousands(raw));
            }
        }
        let digits: String = int_part.chars().filter(|c| *c != '.').collect();
        let euros: i64 = digits.parse().map_err(|_| MoneyError::TooLarge(raw.clone()))?;
        let cents = match dec_part {
            None => 0,
            Some(d) => {
                if d.is_empty() || !d.chars().all(|c| c.is_ascii_digit()) {
                    return Err(MoneyError::NotANumber(raw));
                }
                if d.len() > 2 {
                    return Err(MoneyError::TooManyDecimals(raw));
                }
                let v: i64 = d.parse().map_err(|_| MoneyError::NotANumber(raw.clone()))?;
                if d.len() == 1 {
                    v * 10
                } else {
                    v
                }
            }
        };
        euros
            .checked_mul(100)
            .and_then(|e| e.checked_add(cents))
            .filter(|v| *v <= 10_000_000_000_000)
            .map(Money)
            .ok_or(MoneyError::TooLarge(raw))
    }

    /// "2.150,00" (no currency symbol).
    pub fn format_number(self) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let euros = abs / 100;
        let cents = abs % 100;
        let digits = euros.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(ch);
        }
        format!("{}{},{:02}", if neg { "-" } else { "" }, grouped, cents)
    }

    /// Canonical Italian amount: "€ 2.150,00" with a no-break space after the symbol.
    pub fn format_it(self) -> String {
        format!("€\u{a0}{}", self.format_number())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_it())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }
}
impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 = self.0.saturating_add(o.0);
    }
}
impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0.saturating_sub(o.0))
    }
}
impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// In the exchange format an amount is the canonical string "2.150,00"; on import any accepted
/// Italian spelling is read.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.format_number())
    }
}
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let s = String::deserialize(d)?;
        Money::parse_it(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_office_spellings() {
        let cases = [
            ("€ 150", 15000),
            ("€3.500", 350000),
            ("€          8.230,00", 823000),
            ("1.234,56 €", 123456),
            ("€ -", 0),
            ("2150,5", 215050),
            ("2.150,00", 215000),
            ("1234.56", 123456),
            ("98.000", 9800000),
        ];
        for (s, c) in cases {
            assert_eq!(Money::parse_it(s), Ok(Money(c)), "{s}");
        }
    }

    #[test]
    fn rejects_bad_amounts() {
        assert!(matches!(Money::parse_it("1.015.679,505"), Err(MoneyError::TooManyDecimals(_))));
        assert!(matches!(Money::parse_it("12.3456,00"), Err(MoneyError::BadThousands(_))));
        assert!(matches!(Money::parse_it("-5"), Err(MoneyError::Negative(_))));
        assert!(matches!(Money::parse_it("abc"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Money::parse_it(""), Err(MoneyError::Empty)));
        assert!(matches!(Money::parse_it("99999999999999999999"), Err(MoneyError::TooLarge(_))));
        assert_eq!(
            Money::parse_it("x12").unwrap_err().to_string(),
            "«x12» non è un importo: usare cifre, punto per le migliaia e virgola per i decimali (es. 2.150,50)"
        );
    }

    #[test]
    fn formats_italian() {
        assert_eq!(Money(215000).format_it(), "€\u{a0}2.150,00");
        assert_eq!(Money(0).format_it(), "€\u{a0}0,00");
        assert_eq!(Money(101567950).format_number(), "1.015.679,50");
        assert_eq!(Money(-10000).format_number(), "-100,00");
        assert_eq!(Money(5).format_number(), "0,05");
    }

    proptest! {
        #[test]
        fn format_parse_roundtrip(c in 0i64..10_000_000_000_000) {
            let m = Money(c);
            prop_assert_eq!(Money::parse_it(&m.format_it()), Ok(m));
            prop_assert_eq!(Money::parse_it(&m.format_number()), Ok(m));
        }
    }
}
