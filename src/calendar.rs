//! Time as the standards count it: moments (`2025-10-03 07:43`), durations (`30m`, `2h`, `3d`,
//! `5wd`) and the working-day calendar (Monday–Friday, minus `holidays`, plus `workdays` for
//! 调休). Every deadline in gongshi comes from [`Calendar::deadline`].

use crate::date::Date;
use crate::msg;
use crate::source::{refuse, LooseString, Refusal};
use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;

/// A moment to the minute, local time, as written in a request log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(pub NaiveDateTime);

impl Moment {
    /// Parses `2025-10-03 07:43` (also `2025-10-03T07:43` and `7:43`).
    pub fn parse(s: &str) -> Option<Moment> {
        let s = s.trim();
        let (d, t) = s.split_once([' ', 'T'])?;
        let date = Date::parse(d)?;
        let (h, m) = t.trim().split_once(':')?;
        let ok = |p: &str, max: usize| !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit());
        if !ok(h, 2) || m.len() != 2 || !ok(m, 2) {
            return None;
        }
        let time = NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)?;
        Some(Moment(date.0.and_time(time)))
    }

    /// The start of a day.
    pub fn start_of(d: Date) -> Moment {
        Moment(d.0.and_time(NaiveTime::MIN))
    }

    /// The day it falls on.
    pub fn date(self) -> Date {
        Date(self.0.date())
    }

    /// Whole minutes from `self` to `later` (negative if `later` is earlier).
    pub fn minutes_until(self, later: Moment) -> i64 {
        (later.0 - self.0).num_minutes()
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d %H:%M"))
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = LooseString::deserialize(d)?.0;
        Moment::parse(&raw).ok_or_else(|| {
            refuse(Refusal::new(msg!(
                "`{raw}` 不是时间：要写成 年-月-日 时:分，例如 2025-10-03 07:43",
                "`{raw}` is not a time: write year-month-day hour:minute, e.g. 2025-10-03 07:43"
            )))
        })
    }
}

/// A time limit from a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    /// `30m`.
    Minutes(u32),
    /// `2h`.
    Hours(u32),
    /// `3d`: calendar days, counted as 24 hours each.
    Days(u32),
    /// `5wd`: working days, ending at the end of the n-th working day after the day received.
    WorkDays(u32),
}

impl Span {
    /// Parses `30m`, `2h`, `3d`, `5wd` (a space before the unit is tolerated).
    pub fn parse(s: &str) -> Option<Span> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at(split);
        let n: u32 = n.parse().ok().filter(|n| *n > 0 && *n <= 10_000)?;
        match unit.trim() {
            "m" | "min" => Some(Span::Minutes(n)),
            "h" => Some(Span::Hours(n)),
            "d" => Some(Span::Days(n)),
            "wd" => Some(Span::WorkDays(n)),
            _ => None,
        }
    }

    /// `30分钟`, `2小时`, `3天`, `5个工作日`.
    pub fn label_zh(self) -> String {
        match self {
            Span::Minutes(n) => format!("{n}分钟"),
            Span::Hours(n) => format!("{n}小时"),
            Span::Days(n) => format!("{n}天"),
            Span::WorkDays(n) => format!("{n}个工作日"),
        }
    }

    /// `30 min`, `2 h`, `3 days`, `5 working days`.
    pub fn label_en(self) -> String {
        match self {
            Span::Minutes(n) => format!("{n} min"),
            Span::Hours(n) => format!("{n} h"),
            Span::Days(1) => "1 day".into(),
            Span::Days(n) => format!("{n} days"),
            Span::WorkDays(1) => "1 working day".into(),
            Span::WorkDays(n) => format!("{n} working days"),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::Minutes(n) => write!(f, "{n}m"),
            Span::Hours(n) => write!(f, "{n}h"),
            Span::Days(n) => write!(f, "{n}d"),
            Span::WorkDays(n) => write!(f, "{n}wd"),
        }
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = LooseString::deserialize(d)?.0;
        Span::parse(&raw).ok_or_else(|| {
            refuse(Refusal::new(msg!(
                "`{raw}` 不是时限：写 30m（分钟）、2h（小时）、3d（天）或 5wd（工作日）",
                "`{raw}` is not a time limit: write 30m (minutes), 2h (hours), 3d (days) or 5wd (working days)"
            )))
        })
    }
}

/// Which days are worked: Monday to Friday, minus holidays, plus 调休 weekend days.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
}

impl Calendar {
    /// A calendar from `site.yaml`'s `holidays` and `workdays`.
    pub fn new(holidays: &[Date], workdays: &[Date]) -> Calendar {
        Calendar { holidays: holidays.iter().copied().collect(), workdays: workdays.iter().copied().collect() }
    }

    /// Whether `d` is a working day.
    pub fn is_working_day(&self, d: Date) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !self.holidays.contains(&d) && !matches!(d.0.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The moment by which something started at `from` must be done within `span`. Working
    /// days count from the day after `from`, and the deadline is the end of the n-th one
    /// (a request received on Friday with `1wd` is due by the end of Monday).
    pub fn deadline(&self, from: Moment, span: Span) -> Moment {
        match span {
            Span::Minutes(n) => Moment(from.0 + Duration::minutes(n.into())),
            Span::Hours(n) => Moment(from.0 + Duration::hours(n.into())),
            Span::Days(n) => Moment(from.0 + Duration::days(n.into())),
            Span::WorkDays(n) => {
                let mut day = from.date();
                let mut left = n;
                while left > 0 {
                    day = Date(day.0.succ_opt().unwrap_or(day.0));
                    if self.is_working_day(day) {
                        left -= 1;
                    }
                }
                Moment::start_of(Date(day.0.succ_opt().unwrap_or(day.0)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Moment {
        Moment::parse(s).unwrap()
    }

    /// 2026: 国庆 1–7 October (holidays on the weekdays 1, 2, 5, 6, 7), worked Sunday 20
    /// September and Saturday 10 October; 中秋 Friday 25 September.
    fn china_2026() -> Calendar {
        let d = |s: &str| Date::parse(s).unwrap();
        Calendar::new(
            &[d("2026-09-25"), d("2026-10-01"), d("2026-10-02"), d("2026-10-05"), d("2026-10-06"), d("2026-10-07")],
            &[d("2026-09-20"), d("2026-10-10")],
        )
    }

    #[test]
    fn parses_durations() {
        assert_eq!(Span::parse("30m"), Some(Span::Minutes(30)));
        assert_eq!(Span::parse("2h"), Some(Span::Hours(2)));
        assert_eq!(Span::parse("3d"), Some(Span::Days(3)));
        assert_eq!(Span::parse("5wd"), Some(Span::WorkDays(5)));
        assert_eq!(Span::parse("5 wd"), Some(Span::WorkDays(5)));
        assert_eq!(Span::parse("0h"), None);
        assert_eq!(Span::parse("2 weeks"), None);
        assert_eq!(Span::parse("h"), None);
        assert_eq!(Span::parse("-3d"), None);
    }

    #[test]
    fn parses_moments() {
        assert_eq!(at("2025-10-03 07:43").to_string(), "2025-10-03 07:43");
        assert_eq!(at("2025-10-03T7:43").to_string(), "2025-10-03 07:43");
        assert_eq!(Moment::parse("2025-10-03"), None);
        assert_eq!(Moment::parse("2025-10-03 25:00"), None);
        assert_eq!(Moment::parse("2025-10-03 7:4"), None);
    }

    #[test]
    fn clock_durations_ignore_the_calendar() {
        let cal = china_2026();
        assert_eq!(cal.deadline(at("2026-10-01 23:50"), Span::Minutes(30)), at("2026-10-02 00:20"));
        assert_eq!(cal.deadline(at("2026-10-03 07:43"), Span::Hours(2)), at("2026-10-03 09:43"));
        assert_eq!(cal.deadline(at("2026-09-30 10:00"), Span::Days(14)), at("2026-10-14 10:00"));
    }

    #[test]
    fn working_days_skip_a_weekend() {
        let cal = china_2026();
        // Thursday 12 November → Fri 13, Mon 16, Tue 17, Wed 18, Thu 19: due by the end of Thursday.
        assert_eq!(cal.deadline(at("2026-11-12 15:00"), Span::WorkDays(5)), at("2026-11-20 00:00"));
        // Friday with 1wd is due by the end of Monday; so is Saturday and Sunday.
        assert_eq!(cal.deadline(at("2026-11-13 09:00"), Span::WorkDays(1)), at("2026-11-17 00:00"));
        assert_eq!(cal.deadline(at("2026-11-14 09:00"), Span::WorkDays(1)), at("2026-11-17 00:00"));
        assert_eq!(cal.deadline(at("2026-11-15 22:00"), Span::WorkDays(1)), at("2026-11-17 00:00"));
    }

    #[test]
    fn working_days_skip_a_holiday_block_and_count_a_tiaoxiu_day() {
        let cal = china_2026();
        assert!(!cal.is_working_day(Date::ymd(2026, 10, 1)));
        assert!(!cal.is_working_day(Date::ymd(2026, 10, 3)));
        assert!(cal.is_working_day(Date::ymd(2026, 10, 10)), "Saturday 10 October is worked");
        assert!(cal.is_working_day(Date::ymd(2026, 9, 20)), "Sunday 20 September is worked");
        // Received Wednesday 30 September: 1–7 October are off, Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13.
        assert_eq!(cal.deadline(at("2026-09-30 16:00"), Span::WorkDays(5)), at("2026-10-14 00:00"));
        // Without the 调休 Saturday it would be one day later.
        let plain = Calendar::new(&cal.holidays.iter().copied().collect::<Vec<_>>(), &[]);
        assert_eq!(plain.deadline(at("2026-09-30 16:00"), Span::WorkDays(5)), at("2026-10-15 00:00"));
        // Received Saturday 19 September: Sun 20 is a 调休 working day, then Mon 21.
        assert_eq!(cal.deadline(at("2026-09-19 10:00"), Span::WorkDays(2)), at("2026-09-22 00:00"));
        // Thursday 24 September with 1wd: Friday 25 is 中秋, Sat/Sun off → Monday 28.
        assert_eq!(cal.deadline(at("2026-09-24 10:00"), Span::WorkDays(1)), at("2026-09-29 00:00"));
    }
}
