//! Accounting periods: a year (`2025`), a half (`2025-H1`), a quarter (`2025-Q3`) or a month
//! (`2025-07`), as named by a ledger's file.

use crate::date::Date;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A period with its first and last day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    /// As written: `2025-Q3`.
    pub key: String,
    /// First day.
    pub start: Date,
    /// Last day (inclusive).
    pub end: Date,
}

impl Period {
    /// Parses a period key.
    pub fn parse(key: &str) -> Option<Period> {
        let (year, rest) = match key.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (key, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i32 = year.parse().ok()?;
        let (m1, m2) = match rest {
            None => (1, 12),
            Some("H1") => (1, 6),
            Some("H2") => (7, 12),
            Some(q) if q.len() == 2 && q.starts_with('Q') => {
                let n: u32 = q[1..].parse().ok().filter(|n| (1..=4).contains(n))?;
                (3 * n - 2, 3 * n)
            }
            Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = m.parse().ok().filter(|n| (1..=12).contains(n))?;
                (n, n)
            }
            _ => return None,
        };
        let start = NaiveDate::from_ymd_opt(y, m1, 1)?;
        let next = if m2 == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m2 + 1, 1)? };
        Some(Period { key: key.to_string(), start: Date(start), end: Date(next.pred_opt()?) })
    }

    /// Whether `d` falls inside.
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// Whether `next` starts the day after `self` ends.
    pub fn is_followed_by(&self, next: &Period) -> bool {
        self.end.0.succ_opt() == Some(next.start.0)
    }

    /// Whether the two share a day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// `2025年第三季度`, `2025年7月`, `2025年上半年`, `2025年度`.
    pub fn label_zh(&self) -> String {
        let y = self.start.0.year();
        let (m1, m2) = (self.start.0.month(), self.end.0.month());
        match (m1, m2) {
            (1, 12) => format!("{y}年度"),
            (1, 6) => format!("{y}年上半年"),
            (7, 12) => format!("{y}年下半年"),
            (a, b) if a == b => format!("{y}年{a}月"),
            (a, _) => format!("{y}年第{}季度", ["一", "二", "三", "四"][((a - 1) / 3) as usize]),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_with_its_days() {
        let q = Period::parse("2025-Q3").unwrap();
        assert_eq!((q.start, q.end), (Date::ymd(2025, 7, 1), Date::ymd(2025, 9, 30)));
        let m = Period::parse("2024-02").unwrap();
        assert_eq!(m.end, Date::ymd(2024, 2, 29));
        let h = Period::parse("2025-H2").unwrap();
        assert_eq!((h.start, h.end), (Date::ymd(2025, 7, 1), Date::ymd(2025, 12, 31)));
        assert_eq!(Period::parse("2025").unwrap().end, Date::ymd(2025, 12, 31));
        for bad in ["2025-Q5", "2025-13", "25", "2025-q1", "2025-7", "2025-H3", "2025年"] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(q.label_zh(), "2025年第三季度");
    }

    #[test]
    fn chain_and_overlap() {
        let p = |s| Period::parse(s).unwrap();
        assert!(p("2025-Q3").is_followed_by(&p("2025-Q4")));
        assert!(p("2025-Q4").is_followed_by(&p("2026-01")));
        assert!(!p("2025-Q2").is_followed_by(&p("2025-Q4")));
        assert!(p("2025").overlaps(&p("2025-07")));
        assert!(!p("2025-H1").overlaps(&p("2025-Q3")));
    }
}
