//! Disclosure duties (公开目录, §8): what a community must publish, how often and by which rule,
//! and the state of each as of `--as-of` — met, due soon, overdue by so many days, or never
//! published. `site.yaml`'s `duties:` replaces the default list, which is drawn from the rules
//! committees work under.

use crate::content::Content;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::kind::{Item, Kind};
use crate::msg;
use serde::{Deserialize, Serialize};

/// How often a duty falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Every {
    /// Each quarter, within `within_days` after it ends.
    Quarter,
    /// Each half year.
    HalfYear,
    /// Each year.
    Year,
    /// Once, and kept up to date.
    Always,
    /// After each event (a meeting: its decisions within `within_days`).
    Event,
}

impl Every {
    fn parse(s: &str) -> Option<Every> {
        match s.trim() {
            "quarter" | "季度" | "每季度" => Some(Every::Quarter),
            "half-year" | "半年" | "每半年" => Some(Every::HalfYear),
            "year" | "年" | "每年" => Some(Every::Year),
            "always" | "长期" => Some(Every::Always),
            "event" | "每次" => Some(Every::Event),
            _ => None,
        }
    }

    /// `每季度`…
    pub fn zh(self) -> &'static str {
        match self {
            Every::Quarter => "每季度",
            Every::HalfYear => "每半年",
            Every::Year => "每年",
            Every::Always => "长期公开",
            Every::Event => "每次",
        }
    }
}

/// One duty as written in `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyFile {
    id: String,
    name: String,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    fund: Option<String>,
    #[serde(default)]
    title: Option<String>,
    every: String,
    #[serde(default)]
    within_days: i64,
    basis: String,
}

/// A duty.
#[derive(Debug, Clone, Serialize)]
pub struct Duty {
    /// `public-income`.
    pub id: String,
    /// `公共收益收支情况`.
    pub name: String,
    /// The kinds of item that fulfil it.
    pub kinds: Vec<Kind>,
    /// A notice category that fulfils it.
    pub category: Option<String>,
    /// The fund whose ledgers fulfil it.
    pub fund: Option<String>,
    /// A word the title of a fulfilling item contains (`规约`).
    pub title: Option<String>,
    /// How often.
    pub every: Every,
    /// Days allowed after the period or event.
    pub within_days: i64,
    /// The rule it comes from.
    pub basis: String,
}

const GUIDE: &str = "《业主大会和业主委员会指导规则》第三十五条";
const CODE_943: &str = "《民法典》第九百四十三条";

/// The default list (README, "Disclosure duties").
pub fn defaults() -> Vec<Duty> {
    let d = |id: &str, name: &str, kinds: &[Kind], fund: Option<&str>, title: Option<&str>, every, within_days, basis: &str| Duty {
        id: id.into(),
        name: name.into(),
        kinds: kinds.to_vec(),
        category: None,
        fund: fund.map(str::to_string),
        title: title.map(str::to_string),
        every,
        within_days,
        basis: basis.into(),
    };
    vec![
        d("rules", "管理规约、业主大会议事规则", &[Kind::Page, Kind::Notice], None, Some("规约"), Every::Always, 0, GUIDE),
        d("decisions", "业主大会、业主委员会的决定", &[Kind::Minutes, Kind::Vote], None, None, Every::Event, 3, GUIDE),
        d("contract", "物业服务合同", &[Kind::Page, Kind::Notice], None, Some("合同"), Every::Always, 0, GUIDE),
        d("maintenance", "专项维修资金的筹集和使用", &[Kind::Account], Some("maintenance"), None, Every::Quarter, 30, GUIDE),
        d("public-income", "共有部分经营收益（公共收益）的收支", &[Kind::Account], Some("public-income"), None, Every::Quarter, 30, GUIDE),
        d(
            "working-funds",
            "业主委员会工作经费的收支",
            &[Kind::Notice, Kind::Page, Kind::Account],
            None,
            Some("工作经费"),
            Every::Year,
            90,
            GUIDE,
        ),
        d("services", "物业服务事项、负责人员、质量要求、收费项目和标准", &[Kind::Standards], None, None, Every::Always, 0, CODE_943),
        d("performance", "物业服务的履行情况", &[Kind::Requests], None, None, Every::Quarter, 30, CODE_943),
    ]
}

/// The duties `site.yaml` lists (validated), or the default list.
pub fn from_site(files: Option<Vec<DutyFile>>, text: &str, rel: &std::path::Path, errs: &mut Diagnostics) -> Vec<Duty> {
    let Some(files) = files else { return defaults() };
    let at = crate::source::item_lines(text, "duties", files.len());
    let mut out = Vec::new();
    for (i, f) in files.into_iter().enumerate() {
        let err = |m, field: &str| {
            Diagnostic::error(rel, m).at(text, crate::source::field_at(text, at[i], field).0, crate::source::field_at(text, at[i], field).1)
        };
        let mut kinds = Vec::new();
        for k in &f.kinds {
            match Kind::ALL
                .into_iter()
                .find(|x| serde_json::to_value(x).ok().and_then(|v| v.as_str().map(|s| s == k.trim())).unwrap_or(false))
            {
                Some(x) => kinds.push(x),
                None => {
                    let all = "notice、account、standards、requests、vote、page、matter、donation、minutes";
                    let names = ["notice", "account", "standards", "requests", "vote", "page", "matter", "donation", "minutes"];
                    let hint = match crate::diagnostics::did_you_mean(k.trim(), names) {
                        Some(n) => msg!("是不是想写 `{n}`？可用的有：{all}", "did you mean `{n}`? The kinds are: {all}"),
                        None => msg!("可用的有：{all}", "the kinds are: {all}"),
                    };
                    errs.push(err(msg!("不认识的内容种类 `{k}`", "unknown kind `{k}`"), "kinds").hint(hint));
                }
            }
        }
        let Some(every) = Every::parse(&f.every) else {
            let e = &f.every;
            errs.push(err(msg!("不认识的频率 `every: {e}`", "unknown `every: {e}`"), "every").hint(msg!(
                "写 quarter（每季度）、half-year（每半年）、year（每年）、always（长期公开）或 event（每次会议后）",
                "write quarter, half-year, year, always or event"
            )));
            continue;
        };
        out.push(Duty {
            id: f.id,
            name: f.name,
            kinds,
            category: f.category,
            fund: f.fund,
            title: f.title,
            every,
            within_days: f.within_days.max(0),
            basis: f.basis,
        });
    }
    out
}

/// Where a duty stands.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum State {
    /// Published as required.
    Met,
    /// Not yet published, but not late: due on `due`.
    DueSoon {
        /// The last day.
        due: Date,
    },
    /// Late since `due`, by `days`.
    Overdue {
        /// The last day it was due.
        due: Date,
        /// How many days late.
        days: i64,
    },
    /// Nothing that fulfils it was ever published.
    Never,
    /// The fund it names is not one of the community's.
    NotApplicable,
}

/// A duty and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The duty.
    pub duty: Duty,
    /// The latest item that fulfils it: its title, page and the date it covers to.
    pub latest: Option<(String, String, Date)>,
    /// Its state.
    pub state: State,
}

/// The day an item covers up to: a ledger's or request log's period end, else its date.
fn covers(item: &dyn Item, content: &Content) -> Option<Date> {
    let id = item.id();
    match item.kind() {
        Kind::Notice => content.notices.iter().find(|n| n.id == id).map(|n| n.date),
        Kind::Account => content.ledgers.iter().find(|l| format!("{}/{}", l.fund, l.period.key) == id).map(|l| l.period.end),
        Kind::Requests => content.requests.iter().find(|r| r.period.key == id).map(|r| r.period.end),
        Kind::Standards => content.standards.iter().find(|s| s.id == id).map(|s| s.effective),
        Kind::Vote => content.votes.iter().find(|v| v.id == id).map(|v| v.date),
        Kind::Page => content.pages.iter().find(|p| p.id == id).map(|p| p.date.unwrap_or(Date(chrono::NaiveDate::MIN))),
        Kind::Matter => content.matters.iter().find(|m| m.id == id).map(|m| m.updated()),
        Kind::Donation => content.donations.iter().find(|d| d.id == id).map(|d| d.date),
        Kind::Minutes => content.minutes.iter().find(|m| m.id == id).map(|m| m.date),
    }
}

/// The end of the latest period of `every` that ended before `today`, and of the one before.
fn period_ends(every: Every, today: Date) -> Option<(Date, Date)> {
    use chrono::Datelike;
    let months = match every {
        Every::Quarter => 3,
        Every::HalfYear => 6,
        Every::Year => 12,
        _ => return None,
    };
    let end_of = |y: i32, m: u32| {
        // The last day of month m of year y.
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        Date(chrono::NaiveDate::from_ymd_opt(ny, nm, 1).expect("a month") - chrono::Days::new(1))
    };
    let t = today.0;
    // The latest period end before today: the last month ≤ today's month that closes a period.
    let mut y = t.year();
    let mut m = t.month();
    loop {
        if m % months == 0 && end_of(y, m).0 < t {
            break;
        }
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    let last = end_of(y, m);
    let (py, pm) = if m > months { (y, m - months) } else { (y - 1, m + 12 - months) };
    Some((last, end_of(py, pm)))
}

/// Every duty's state as of `today`.
pub fn status(content: &Content, today: Date) -> Vec<Status> {
    let site = &content.site;
    let items = content.items();
    site.duties
        .iter()
        .map(|duty| {
            let matches = |i: &&&dyn Item| {
                duty.kinds.contains(&i.kind())
                    && duty.fund.as_deref().is_none_or(|f| i.kind() != Kind::Account || i.id().starts_with(&format!("{f}/")))
                    && duty.title.as_deref().is_none_or(|w| i.title(site).contains(w))
                    && duty.category.as_deref().is_none_or(|c| {
                        i.kind() != Kind::Notice || content.notices.iter().any(|n| n.id == i.id() && n.category.as_deref() == Some(c))
                    })
            };
            let mut found: Vec<(String, String, Date)> = items
                .iter()
                .filter(matches)
                .filter_map(|i| covers(*i, content).map(|d| (i.title(site), i.address().href().to_string(), d)))
                .filter(|(_, _, d)| *d <= today)
                .collect();
            found.sort_by_key(|f| f.2);
            let latest = found.last().cloned();
            let covered = |end: Date| found.iter().any(|f| f.2 >= end);
            let state = if duty.fund.as_deref().is_some_and(|f| !site.funds.iter().any(|x| x.id == f)) {
                State::NotApplicable
            } else {
                match duty.every {
                    Every::Always => {
                        if found.is_empty() {
                            State::Never
                        } else {
                            State::Met
                        }
                    }
                    Every::Event => {
                        // Each meeting held more than `within_days` ago has its minutes.
                        let late = content
                            .notices
                            .iter()
                            .filter_map(|n| n.meeting.as_ref().map(|m| (n, m.when.date)))
                            .filter(|(_, held)| Date(held.0 + chrono::Days::new(duty.within_days.unsigned_abs())) < today)
                            .filter(|(n, _)| !content.minutes.iter().any(|k| k.meeting == n.id))
                            .map(|(_, held)| Date(held.0 + chrono::Days::new(duty.within_days.unsigned_abs())))
                            .min();
                        match late {
                            Some(due) => State::Overdue { due, days: due.days_until(today) },
                            None => State::Met,
                        }
                    }
                    every => {
                        let (last, before) = period_ends(every, today).expect("a periodic duty");
                        let due = |end: Date| Date(end.0 + chrono::Days::new(duty.within_days.unsigned_abs()));
                        if covered(last) {
                            State::Met
                        } else if today <= due(last) && (covered(before) || today <= due(before)) {
                            State::DueSoon { due: due(last) }
                        } else {
                            let late = if today <= due(last) { due(before) } else { due(last) };
                            State::Overdue { due: late, days: late.days_until(today) }
                        }
                    }
                }
            };
            Status { duty: duty.clone(), latest, state }
        })
        .collect()
}

/// One warning naming every duty that is overdue or was never published.
pub fn warnings(statuses: &[Status], diags: &mut Diagnostics) {
    let late: Vec<String> = statuses
        .iter()
        .filter_map(|s| match &s.state {
            State::Overdue { days, .. } => Some(format!("{}（逾期 {days} 天）", s.duty.name)),
            State::Never => Some(format!("{}（从未公示）", s.duty.name)),
            _ => None,
        })
        .collect();
    if late.is_empty() {
        return;
    }
    let (n, list) = (late.len(), late.join("、"));
    diags.push(
        Diagnostic::warning(
            std::path::Path::new("content/site.yaml"),
            msg!("公开目录：{n} 项应当公开的内容逾期或从未公示：{list}", "disclosure duties: {n} overdue or never published: {list}"),
        )
        .hint(msg!(
            "公示后这条提醒就会消失；网站的 /gongkai/ 列出了每一项的依据和情况。不适用的项目可以在 site.yaml 的 duties 里改",
            "publish them and this goes away; /gongkai/ lists every duty with its rule. Change the list with duties: in site.yaml"
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_period_that_ended_before_today() {
        let d = Date::ymd;
        assert_eq!(period_ends(Every::Quarter, d(2026, 11, 20)), Some((d(2026, 9, 30), d(2026, 6, 30))));
        assert_eq!(period_ends(Every::Quarter, d(2026, 10, 1)), Some((d(2026, 9, 30), d(2026, 6, 30))));
        assert_eq!(period_ends(Every::Quarter, d(2026, 9, 30)), Some((d(2026, 6, 30), d(2026, 3, 31))));
        assert_eq!(period_ends(Every::HalfYear, d(2026, 3, 1)), Some((d(2025, 12, 31), d(2025, 6, 30))));
        assert_eq!(period_ends(Every::Year, d(2026, 11, 20)), Some((d(2025, 12, 31), d(2024, 12, 31))));
        assert_eq!(period_ends(Every::Always, d(2026, 11, 20)), None);
    }
}
