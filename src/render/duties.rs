//! `/gongkai/` (公开目录, §8): each disclosure duty, the rule it comes from, its latest
//! publication and whether it is met, due soon or overdue as of the build's day; it prints as
//! its sheet.

use crate::duties::{State, Status};
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    basis: &'a str,
    rule: String,
    latest: Option<(&'a str, &'a str, String)>,
    state: &'static str,
    state_text: String,
}

/// The page and its one-line summary for the home page.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, statuses: &'a [Status], plan: &mut super::Plan<'a>) {
    plan.page(crate::address::gongkai(), super::Shows::Other, move |at| {
        let rows: Vec<Row<'_>> = statuses.iter().map(row).collect();
        // The sheet's code vouches for the states printed on it, as of the day of the build.
        let mut fingerprint = r.opts.today.to_string();
        for row in &rows {
            fingerprint.push_str(&format!("\n{}\t{}\t{}", row.name, row.state, row.state_text));
        }
        let code = crate::code::VerificationCode::of(&fingerprint);
        let mut ctx = r.item(at, "kind_gongkai", r.theme.t("gongkai"), code.as_str());
        ctx.insert("rows", &rows);
        ctx.insert("summary", &summary(statuses));
        ctx.insert("as_of", &r.opts.today.to_string());
        ctx.insert("code", code.as_str());
        r.page(at, "gongkai.html", &ctx)
    });
}

fn row(s: &Status) -> Row<'_> {
    let d = &s.duty;
    let rule = match d.every {
        crate::duties::Every::Always => "长期公开，随时更新".to_string(),
        crate::duties::Every::Event => format!("每次会议后 {} 天内", d.within_days),
        e => format!("{}，期满后 {} 天内", e.zh(), d.within_days),
    };
    let (state, state_text) = match &s.state {
        State::Met => ("met", "按时公示".to_string()),
        State::DueSoon { due } => ("due", format!("{due} 前要公示")),
        State::Overdue { due, days } => ("overdue", format!("逾期 {days} 天（应在 {due} 前）")),
        State::Never => ("never", "从未公示".to_string()),
        State::NotApplicable => ("na", "不适用：没有这个账户".to_string()),
    };
    Row {
        name: &d.name,
        basis: &d.basis,
        rule,
        latest: s.latest.as_ref().map(|(t, h, date)| (t.as_str(), h.as_str(), date.to_string())),
        state,
        state_text,
    }
}

/// "8 项公开义务：6 项按时公示，1 项逾期，1 项从未公示".
pub fn summary(statuses: &[Status]) -> String {
    let count = |f: fn(&State) -> bool| statuses.iter().filter(|s| f(&s.state)).count();
    let (met, due, late, never) = (
        count(|s| matches!(s, State::Met)),
        count(|s| matches!(s, State::DueSoon { .. })),
        count(|s| matches!(s, State::Overdue { .. })),
        count(|s| matches!(s, State::Never)),
    );
    let mut parts = vec![format!("{met} 项按时公示")];
    if due > 0 {
        parts.push(format!("{due} 项即将到期"));
    }
    if late > 0 {
        parts.push(format!("{late} 项逾期"));
    }
    if never > 0 {
        parts.push(format!("{never} 项从未公示"));
    }
    format!("{} 项公开义务：{}", statuses.len(), parts.join("，"))
}
