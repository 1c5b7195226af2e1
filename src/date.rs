//! Calendar dates as written in the sources (`2025-10-08`), with messages a secretary understands.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date. No time zone: a notice is dated the way it is on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Parses `YYYY-MM-DD` strictly (also `YYYY-M-D`, which people type).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return None;
        }
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).map(Date)
    }

    /// A date from year, month, day (panics on impossible dates; for tests and constants).
    pub fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date(NaiveDate::from_ymd_opt(y, m, d).expect("valid date"))
    }

    /// `2025-10`, the month key of archives.
    pub fn month_key(self) -> String {
        format!("{:04}-{:02}", self.0.year(), self.0.month())
    }

    /// Year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// Month, 1–12.
    pub fn month(self) -> u32 {
        self.0.month()
    }

    /// Day of month.
    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        (other.0 - self.0).num_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = crate::source::LooseString::deserialize(d)?;
        Date::parse(&raw.0).ok_or_else(|| {
            crate::source::refuse(crate::source::Refusal {
                message: explain_bad_date(&raw.0),
                hint: Some(crate::msg!("日期写成 年-月-日，例如 2025-10-08", "write dates as year-month-day, e.g. 2025-10-08")),
                value: Some(raw.0.clone()),
            })
        })
    }
}

/// A day and, optionally, the time of day (`2025-10-20 14:00`): when a meeting is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct When {
    /// The day.
    pub date: Date,
    /// Hours and minutes, when given.
    pub time: Option<(u32, u32)>,
}

impl When {
    /// Parses `2025-10-20`, `2025-10-20 14:00` (also `14：00` typed with a Chinese input method,
    /// and an ISO `T`).
    pub fn parse(s: &str) -> Option<When> {
        let s = s.trim().replace('：', ":");
        let (day, time) = match s.split_once([' ', 'T']) {
            Some((d, t)) => (d, Some(t.trim())),
            None => (s.as_str(), None),
        };
        let date = Date::parse(day)?;
        let time = match time {
            None => None,
            Some(t) => {
                let (h, m) = t.split_once(':')?;
                let ok = |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
                if !(ok(h) && ok(m)) {
                    return None;
                }
                let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
                if h > 23 || m > 59 {
                    return None;
                }
                Some((h, m))
            }
        };
        Some(When { date, time })
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.time {
            Some((h, m)) => write!(f, "{} {h:02}:{m:02}", self.date),
            None => write!(f, "{}", self.date),
        }
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = crate::source::LooseString::deserialize(d)?;
        When::parse(&raw.0).ok_or_else(|| {
            let r = raw.0.trim();
            let message = match Date::parse(r.split([' ', 'T']).next().unwrap_or("")) {
                Some(_) => crate::msg!("时间 `{r}` 不对", "the time in `{r}` is not valid"),
                None => explain_bad_date(r),
            };
            crate::source::refuse(crate::source::Refusal {
                message,
                hint: Some(crate::msg!("写成 年-月-日 时:分，例如 2025-10-20 14:00", "write the day and the time, e.g. 2025-10-20 14:00")),
                value: Some(raw.0.clone()),
            })
        })
    }
}

/// Explains why `s` is not a date, in both languages.
fn explain_bad_date(s: &str) -> crate::diagnostics::Msg {
    let nums: Vec<Option<u32>> = s.trim().split('-').map(|p| p.parse().ok()).collect();
    if let [Some(y), Some(m), Some(d)] = nums[..] {
        if (1..=12).contains(&m) && d > 0 {
            let last = (28..=31u32).rev().find(|day| NaiveDate::from_ymd_opt(y as i32, m, *day).is_some()).unwrap_or(28);
            if d > last {
                return crate::msg!(
                    "日期 `{s}` 不存在：{y}年{m}月只有 {last} 天",
                    "the date `{s}` does not exist: {m}/{y} has only {last} days"
                );
            }
        }
        if !(1..=12).contains(&m) {
            return crate::msg!("日期 `{s}` 不存在：月份应在 1 到 12 之间", "the date `{s}` does not exist: the month must be 1 to 12");
        }
    }
    crate::msg!("`{s}` 不是日期", "`{s}` is not a date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_and_short_forms() {
        assert_eq!(Date::parse("2025-10-08"), Some(Date::ymd(2025, 10, 8)));
        assert_eq!(Date::parse("2025-1-8"), Some(Date::ymd(2025, 1, 8)));
        assert_eq!(Date::parse("2025/10/08"), None);
        assert_eq!(Date::parse("25-10-08"), None);
        assert_eq!(Date::parse("2025-02-29"), None);
        assert_eq!(Date::parse("2024-02-29"), Some(Date::ymd(2024, 2, 29)));
    }

    #[test]
    fn parses_a_day_with_its_time() {
        assert_eq!(When::parse("2025-10-20 14:00"), Some(When { date: Date::ymd(2025, 10, 20), time: Some((14, 0)) }));
        assert_eq!(When::parse("2025-10-20 9：30").map(|w| w.to_string()), Some("2025-10-20 09:30".into()));
        assert_eq!(When::parse("2025-10-20"), Some(When { date: Date::ymd(2025, 10, 20), time: None }));
        assert_eq!(When::parse("2025-10-20 25:00"), None);
        assert_eq!(When::parse("2025-10-20 下午"), None);
    }

    #[test]
    fn explains_impossible_dates() {
        assert_eq!(explain_bad_date("2025-02-30").zh, "日期 `2025-02-30` 不存在：2025年2月只有 28 天");
        assert_eq!(explain_bad_date("2025-13-01").zh, "日期 `2025-13-01` 不存在：月份应在 1 到 12 之间");
        assert_eq!(explain_bad_date("十月八日").zh, "`十月八日` 不是日期");
    }
}
