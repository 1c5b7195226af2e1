//! Meetings and their minutes (§1.10): a notice's `meeting:` shown as when, where and the
//! agenda, with a link to the minutes once they are posted; the minutes at `/k/<id>/` with
//! how many were present, who signed and each decision with its votes, linked back to the
//! meeting's notice.

use super::markdown;
use super::views::date_text;
use crate::content::minutes::Minutes;
use crate::content::notice::{Meeting, Notice};
use crate::content::Content;
use crate::date::When;
use crate::diagnostics::Lang;
use crate::site::Site;
use serde::Serialize;

/// Each minutes' page, which prints as its sheet. It shows its meeting's notice (its title,
/// its meeting), so it is re-rendered with that notice.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, x: &'a super::Shared<'a>, plan: &mut super::Plan<'a>) {
    for (view, m) in x.minutes.iter().zip(&r.content.minutes) {
        plan.page(crate::address::minutes(&m.id), super::Shows::Notice(m.meeting.clone()), move |at| {
            let mut ctx = r.item(at, "kind_minutes", &m.title, m.code.as_str());
            let body = markdown::render(&m.body, &at.root());
            ctx.insert("k", view);
            ctx.insert("body", &body.html);
            r.page(at, "minutes.html", &ctx)
        });
    }
}

/// A meeting as a notice shows it.
#[derive(Serialize)]
pub struct MeetingView {
    body: &'static str,
    when: String,
    place: Option<String>,
    agenda: Vec<String>,
    /// The minutes, once posted: their page and title.
    minutes: Option<(String, String)>,
    notice_days: i64,
}

/// "2026年11月25日 14:00".
pub fn when_text(w: When, lang: Lang) -> String {
    match w.time {
        Some((h, m)) => format!("{} {h:02}:{m:02}", date_text(w.date, lang)),
        None => date_text(w.date, lang),
    }
}

/// The meeting notice `n` announces, if any, with its minutes when they are posted.
pub fn meeting_view(n: &Notice, content: &Content) -> Option<MeetingView> {
    let m: &Meeting = n.meeting.as_ref()?;
    let lang = content.site.lang;
    let minutes =
        content.minutes.iter().find(|k| k.meeting == n.id).map(|k| (crate::address::minutes(&k.id).href().to_string(), k.title.clone()));
    Some(MeetingView {
        body: if lang == Lang::En { m.body.en() } else { m.body.zh() },
        when: when_text(m.when, lang),
        place: m.place.clone(),
        agenda: m.agenda.clone(),
        minutes,
        notice_days: m.body.notice_days(),
    })
}

/// Minutes as listed and shown.
#[derive(Serialize)]
pub struct MinutesView<'a> {
    /// `k/<id>/`.
    pub href: String,
    /// Title.
    pub title: &'a str,
    issuer: &'a str,
    date: String,
    summary: Option<&'a str>,
    /// The meeting's notice: its page and title, and the meeting's when and where.
    notice_href: String,
    notice_title: String,
    meeting_body: &'static str,
    meeting_when: String,
    meeting_place: Option<String>,
    present: u32,
    signed_by: String,
    decisions: Vec<DecisionView<'a>>,
    code: &'a str,
    revisions: &'a [crate::content::Revision],
    draft: bool,
}

#[derive(Serialize)]
struct DecisionView<'a> {
    text: &'a str,
    yes: u32,
    against: u32,
    abstain: u32,
}

/// The view of minutes `k` (its meeting's notice is known to exist: the loader checked it).
pub fn minutes_view<'a>(k: &'a Minutes, content: &'a Content, site: &'a Site) -> MinutesView<'a> {
    let lang = site.lang;
    let en = lang == Lang::En;
    let notice = content.notices.iter().find(|n| n.id == k.meeting);
    let meeting = notice.and_then(|n| n.meeting.as_ref());
    MinutesView {
        href: crate::address::minutes(&k.id).href().to_string(),
        title: &k.title,
        issuer: site.issuer_name(&k.issuer),
        date: k.date.to_string(),
        summary: k.summary.as_deref(),
        notice_href: crate::address::notice(&k.meeting).href().to_string(),
        notice_title: notice.map_or_else(|| k.meeting.clone(), |n| n.title.clone()),
        meeting_body: meeting.map_or("", |m| if en { m.body.en() } else { m.body.zh() }),
        meeting_when: meeting.map(|m| when_text(m.when, lang)).unwrap_or_default(),
        meeting_place: meeting.and_then(|m| m.place.clone()),
        present: k.present,
        signed_by: k.signed_by.join(if en { ", " } else { "、" }),
        decisions: k
            .decisions
            .iter()
            .map(|d| DecisionView { text: d.text.trim(), yes: d.yes, against: d.against, abstain: d.abstain })
            .collect(),
        code: k.code.as_str(),
        revisions: &k.revisions,
        draft: k.draft,
    }
}

/// The minutes of the site as views, in the content's order.
pub fn views<'a>(content: &'a Content, site: &'a Site) -> Vec<MinutesView<'a>> {
    content.minutes.iter().map(|k| minutes_view(k, content, site)).collect()
}
