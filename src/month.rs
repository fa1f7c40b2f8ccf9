//! Month precision dates ("2022-04"), used by the cronoprogramma and by template deadlines;
//! its own module so that neither the model nor the templates owns it (re-exported by `model`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct YearMonth {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

pub const MONTHS_IT: [&str; 12] = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"];
pub const MONTHS_IT_LONG: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year)).then_some(YearMonth { year, month })
    }
    /// Months since year 0, for arithmetic.
    pub fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }
    pub fn from_index(i: i32) -> Self {
        YearMonth { year: i.div_euclid(12), month: (i.rem_euclid(12) + 1) as u32 }
    }
    pub fn plus_months(self, months: i32) -> Self {
        Self::from_index(self.index() + months)
    }
    /// Number of months from `self` to `other` inclusive (0 if other < self).
    pub fn span_to(self, other: YearMonth) -> u32 {
        (other.index() - self.index() + 1).max(0) as u32
    }
    /// Parses "2022-04", "04/2022" or "4/2022".
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (y, m) = if let Some((y, m)) = s.split_once('-') {
            (y, m)
        } else if let Some((m, y)) = s.split_once('/') {
            (y, m)
        } else {
            return None;
        };
        YearMonth::new(y.trim().parse().ok()?, m.trim().parse().ok()?)
    }
    /// "04/2022"
    pub fn display_it(self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }
    /// "apr 22"
    pub fn short_it(self) -> String {
        format!("{} {:02}", MONTHS_IT[(self.month - 1) as usize], self.year.rem_euclid(100))
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}
impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        YearMonth::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("mese non valido «{s}»: usare AAAA-MM, es. 2022-04")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parse_and_arith() {
        let a = YearMonth::parse("2022-04").unwrap();
        assert_eq!(YearMonth::parse("04/2022"), Some(a));
        assert_eq!(a.span_to(YearMonth::new(2023, 12).unwrap()), 21);
        assert_eq!(a.plus_months(9), YearMonth::new(2023, 1).unwrap());
        assert_eq!(a.short_it(), "apr 22");
        assert!(YearMonth::parse("2022-13").is_none());
    }
}
