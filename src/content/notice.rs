//! Notices (公告 / 公示): `content/notices/<id>.md`, Markdown with YAML front matter.

use super::{check_issuer, check_revisions, check_scope, Revision};
use crate::code::VerificationCode;
use crate::date::{Date, When};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::msg;
use crate::site::{Place, Site};
use crate::source::{self, locate, LooseString, Source};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeFront {
    #[serde(default)]
    privacy: super::Privacy,
    #[serde(default)]
    id: Option<String>,
    title: String,
    date: Date,
    issuer: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default, deserialize_with = "source::one_or_many")]
    scope: Vec<LooseString>,
    #[serde(default)]
    posting: Option<Posting>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    pinned: bool,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    revisions: Vec<Revision>,
    #[serde(default)]
    meeting: Option<MeetingFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingFile {
    body: LooseString,
    date: When,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    agenda: Vec<String>,
}

/// Who meets: the committee, or the owners' assembly (业主大会), which needs longer notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingBody {
    /// 业主委员会会议: the agenda is posted 7 days ahead.
    Committee,
    /// 业主大会会议: 15 days ahead.
    Assembly,
}

impl MeetingBody {
    /// `committee`, `assembly`.
    pub fn key(self) -> &'static str {
        match self {
            MeetingBody::Committee => "committee",
            MeetingBody::Assembly => "assembly",
        }
    }

    /// `业委会会议`…
    pub fn zh(self) -> &'static str {
        match self {
            MeetingBody::Committee => "业主委员会会议",
            MeetingBody::Assembly => "业主大会会议",
        }
    }

    /// `committee meeting`…
    pub fn en(self) -> &'static str {
        match self {
            MeetingBody::Committee => "committee meeting",
            MeetingBody::Assembly => "owners' assembly",
        }
    }

    /// The days of notice the rules ask for: the agenda is posted this many days before.
    pub fn notice_days(self) -> i64 {
        match self {
            MeetingBody::Committee => 7,
            MeetingBody::Assembly => 15,
        }
    }

    fn parse(raw: &str) -> Option<MeetingBody> {
        match raw.trim() {
            "committee" | "业委会" | "业主委员会" | "业委会会议" | "业主委员会会议" => Some(MeetingBody::Committee),
            "assembly" | "业主大会" | "业主大会会议" => Some(MeetingBody::Assembly),
            _ => None,
        }
    }
}

/// A meeting a notice announces (§1.10).
#[derive(Debug, Clone)]
pub struct Meeting {
    /// Who meets.
    pub body: MeetingBody,
    /// When.
    pub when: When,
    /// Where.
    pub place: Option<String>,
    /// What will be decided.
    pub agenda: Vec<String>,
}

/// The 公示期: the days a notice must stay on the board.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Posting {
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
}

impl Posting {
    /// Number of days, both ends included.
    pub fn days(&self) -> i64 {
        self.from.days_until(self.to) + 1
    }
}

/// Where a notice stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingState {
    /// No posting period: an ordinary notice.
    Unbounded,
    /// The posting period has not begun.
    Upcoming,
    /// Being posted today.
    Current,
    /// The posting period is over; the notice stays in the archive, marked.
    Expired,
}

/// A validated notice.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Permanent id, used in `/n/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// A body key or free text.
    pub issuer: String,
    /// Category (停水停电, 工程施工, 会议…).
    pub category: Option<String>,
    /// Buildings and entrances concerned; empty for the whole community.
    pub scope: Vec<Place>,
    /// 公示期.
    pub posting: Option<Posting>,
    /// Plain-language line written by the author.
    pub summary: Option<String>,
    /// Kept at the top of the home page.
    pub pinned: bool,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// Corrections since first publication.
    pub revisions: Vec<Revision>,
    /// The meeting it announces.
    pub meeting: Option<Meeting>,
    /// Markdown body.
    pub body: String,
    /// 校验码 of the source file.
    pub code: VerificationCode,
    /// The files under `content/static/` its body shows or links to.
    pub attachments: Vec<crate::code::Attachment>,
    /// Source path, relative to the root.
    pub source: std::path::PathBuf,
    /// Warnings about a valid file (a meeting announced late), collected by the loader.
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Notice {
    /// Parses and validates one notice file.
    pub fn load(root: &std::path::Path, src: &Source, site: &Site) -> Result<Notice, Diagnostics> {
        let fm = source::split_front_matter(src)?;
        let mut errs = Diagnostics::default();
        let Some(front) = source::parse_into::<NoticeFront>(src, fm.yaml, fm.yaml_first_line, &mut errs) else {
            super::check_what_was_readable(src, site, fm.yaml, &mut errs);
            return Err(errs);
        };
        let fallback = format!("notice-{}", front.date);
        let id = source::resolve_id(src, front.id.as_deref(), &fallback).map_err(|d| errs.push(d)).ok();
        super::check_title(src, &front.title, &mut errs);
        check_issuer(src, site, &front.issuer, &mut errs);
        if !front.draft {
            source::unfilled(src, true, &mut errs);
        }
        super::check_privacy(src, site, &front.privacy, &[], &mut errs);
        let files = super::check_body_files(root, src, fm.body, &mut errs);
        let scope = check_scope(src, site, "scope", &front.scope, &mut errs);
        if let Some(p) = front.posting {
            if p.to < p.from {
                let (l, c) = src.key_at("posting");
                let (from, to) = (p.from, p.to);
                errs.push(
                    Diagnostic::error(
                        &src.rel,
                        msg!("公示期结束日 {to} 早于开始日 {from}", "the posting period ends ({to}) before it starts ({from})"),
                    )
                    .at(&src.text, l, c)
                    .hint(msg!("写成 `posting: {{from: 开始日, to: 结束日}}`", "write `posting: {{from: first day, to: last day}}`")),
                );
            }
        }
        check_revisions(src, front.date, &front.revisions, &mut errs);
        if let Some(s) = &front.summary {
            if s.trim().is_empty() {
                let (l, c) = locate(&src.text, "summary", 1);
                errs.push(Diagnostic::error(&src.rel, msg!("`summary` 写了但是空的", "`summary` is empty")).at(&src.text, l, c));
            }
        }
        let mut warnings = Vec::new();
        let meeting = front.meeting.and_then(|m| meeting(src, front.date, m, &mut errs, &mut warnings));
        let attachments = crate::code::Attachment::read_all(root, files.iter().map(String::as_str));
        match (id, errs.has_errors()) {
            (Some(id), false) => Ok(Notice {
                id,
                title: front.title.trim().to_string(),
                date: front.date,
                issuer: front.issuer.trim().to_string(),
                category: front.category.filter(|c| !c.trim().is_empty()),
                scope,
                posting: front.posting,
                summary: front.summary.map(|s| s.trim().to_string()),
                pinned: front.pinned,
                draft: front.draft,
                revisions: front.revisions,
                meeting,
                body: fm.body.to_string(),
                code: VerificationCode::of_item(&src.text, &attachments),
                attachments,
                source: src.rel.clone(),
                warnings,
            }),
            _ => Err(errs),
        }
    }

    /// Where the notice stands on `today`.
    pub fn state(&self, today: Date) -> PostingState {
        match self.posting {
            None => PostingState::Unbounded,
            Some(p) if today < p.from => PostingState::Upcoming,
            Some(p) if today > p.to => PostingState::Expired,
            Some(_) => PostingState::Current,
        }
    }

    /// Whether an entrance poster lists it on `today`: in its posting period, or pinned and
    /// not yet expired.
    pub fn on_posters(&self, today: Date) -> bool {
        match self.state(today) {
            PostingState::Current => true,
            PostingState::Expired => false,
            PostingState::Unbounded | PostingState::Upcoming => self.pinned,
        }
    }

    /// Whether the notice concerns the residents of `place` specifically (not community-wide).
    pub fn concerns(&self, place: &Place) -> bool {
        self.scope.iter().any(|s| s.concerns(place))
    }

    /// Whether the notice is for the whole community.
    pub fn community_wide(&self) -> bool {
        self.scope.is_empty()
    }
}

/// Checks a notice's `meeting:`; warns when it is posted with fewer days of notice than the
/// rules ask for (7 for the committee, 15 for the owners' assembly).
fn meeting(src: &Source, posted: Date, m: MeetingFile, errs: &mut Diagnostics, warnings: &mut Vec<Diagnostic>) -> Option<Meeting> {
    let text = &src.text;
    let at = crate::source::locate_key(text, "meeting");
    let field = |f: &str| {
        let line = at.0;
        crate::source::field_at(text, line, f)
    };
    let raw = m.body.0.trim();
    let Some(body) = MeetingBody::parse(raw) else {
        let (l, c) = field("body");
        errs.push(
            Diagnostic::error(&src.rel, msg!("不认识的会议 `body: {raw}`", "unknown meeting body `{raw}`"))
                .at(text, l, c)
                .hint(msg!("业委会会议写 body: committee，业主大会写 body: assembly", "write body: committee or body: assembly")),
        );
        return None;
    };
    let days = posted.days_until(m.date.date);
    if days < 0 {
        let (l, c) = field("date");
        let (d, p) = (m.date, posted);
        errs.push(
            Diagnostic::error(&src.rel, msg!("会议时间 {d} 早于通知的发布日期 {p}", "the meeting ({d}) is before the notice's date ({p})"))
                .at(text, l, c)
                .hint(msg!(
                    "会议通知要在开会前发出；开过的会请写会议纪要（content/minutes/）",
                    "announce a meeting before it is held; a meeting that took place gets minutes (content/minutes/)"
                )),
        );
        return None;
    }
    let need = body.notice_days();
    if days < need {
        let (l, c) = field("date");
        let (what, what_en, d, p) = (body.zh(), body.en(), m.date.date, posted);
        let earliest = Date(posted.0 + chrono::Days::new(need.unsigned_abs()));
        warnings.push(
            Diagnostic::warning(
                &src.rel,
                msg!(
                    "{what}要提前 {need} 天公告，这份通知 {p} 发布，离 {d} 开会只有 {days} 天",
                    "a {what_en} is announced {need} days ahead; this notice of {p} gives {days} days before {d}"
                ),
            )
            .at(text, l, c)
            .hint(msg!(
                "会议最早开在 {earliest}；确需提前开会的，请在通知里说明理由",
                "hold the meeting on {earliest} or later, or say in the notice why it is held sooner"
            )),
        );
    }
    Some(Meeting {
        body,
        when: m.date,
        place: m.place.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()),
        agenda: m.agenda.into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
    })
}

impl crate::kind::Item for Notice {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Notice
    }
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self, _: &crate::site::Site) -> String {
        self.title.clone()
    }
    crate::item_fields!(attachments);
}
