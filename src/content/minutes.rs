//! Minutes (会议纪要): `content/minutes/<id>.md`, the decisions of a meeting announced by a
//! notice's `meeting:` (§1.10) — how many were present, who signed, and each decision with its
//! votes for, against and abstaining. The rules ask for decisions to be posted within 3 days.

use super::notice::Notice;
use super::{check_issuer, check_revisions, Revision};
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::msg;
use crate::site::Site;
use crate::source::{self, field_at, locate_key, LooseString, Source};
use serde::Deserialize;

/// How many days after the meeting its decisions must be posted.
pub const POST_WITHIN_DAYS: i64 = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MinutesFront {
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    privacy: super::Privacy,
    #[serde(default)]
    id: Option<String>,
    title: String,
    issuer: String,
    date: Date,
    meeting: LooseString,
    present: u32,
    #[serde(default)]
    signed_by: Vec<String>,
    #[serde(default)]
    decisions: Vec<Decision>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

/// One decision of the meeting and how it was voted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// What was decided.
    pub text: String,
    /// Votes for.
    #[serde(rename = "for")]
    pub yes: u32,
    /// Votes against.
    #[serde(default)]
    pub against: u32,
    /// Abstentions.
    #[serde(default)]
    pub abstain: u32,
}

/// Validated minutes.
#[derive(Debug, Clone)]
pub struct Minutes {
    /// Permanent id, used in `/k/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// A body key or free text.
    pub issuer: String,
    /// Posted on.
    pub date: Date,
    /// The id of the notice that announced the meeting.
    pub meeting: String,
    /// How many members (or owners' representatives) were present.
    pub present: u32,
    /// Who signed (committee members, public by their role).
    pub signed_by: Vec<String>,
    /// The decisions.
    pub decisions: Vec<Decision>,
    /// Plain-language line.
    pub summary: Option<String>,
    /// Markdown body.
    pub body: String,
    /// Corrections.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// 校验码.
    pub code: VerificationCode,
    /// The files under `content/static/` its body shows or links to.
    pub attachments: Vec<crate::code::Attachment>,
    /// Source.
    pub source: std::path::PathBuf,
    text: String,
}

impl Minutes {
    /// Parses and validates one minutes file (its meeting is checked by [`check_links`]).
    pub fn load(root: &std::path::Path, src: &Source, site: &Site) -> Result<Minutes, Diagnostics> {
        let fm = source::split_front_matter(src)?;
        let mut errs = Diagnostics::default();
        let Some(front) = source::parse_into::<MinutesFront>(src, fm.yaml, fm.yaml_first_line, &mut errs) else {
            super::check_what_was_readable(src, site, fm.yaml, &mut errs);
            return Err(errs);
        };
        let text = &src.text;
        let err = |m, (l, c): (usize, usize)| Diagnostic::error(&src.rel, m).at(text, l, c);
        if !front.draft {
            source::unfilled(src, true, &mut errs);
        }
        let id = source::resolve_id(src, front.id.as_deref(), &format!("minutes-{}", front.date)).map_err(|d| errs.push(d)).ok();
        super::check_title(src, &front.title, &mut errs);
        check_issuer(src, site, &front.issuer, &mut errs);
        // Signatories are named by their role; numbers and rooms are checked as everywhere.
        super::check_privacy(src, site, &front.privacy, &[], &mut errs);
        let files = super::check_body_files(root, src, fm.body, &mut errs);
        check_revisions(src, front.date, &front.revisions, &mut errs);
        if front.present == 0 {
            errs.push(
                err(msg!("出席人数 `present` 是 0", "`present` is 0"), field_at(text, src.key_at("present").0, "present"))
                    .hint(msg!("写实际出席的人数，例如 present: 7", "write how many were present, e.g. present: 7")),
            );
        }
        if !front.draft && front.signed_by.iter().all(|s| s.trim().is_empty()) {
            let at = match src.key_at("signed_by") {
                (0, _) => src.key_at("present"),
                at => at,
            };
            errs.push(err(msg!("会议纪要没有签字人 `signed_by`", "the minutes have no `signed_by`"), at).hint(msg!(
                "写上签字的委员，例如 signed_by: [王建华, 李秀英]；按规约，决定要由出席的委员签字",
                "name the members who signed, e.g. signed_by: [Wang, Li]"
            )));
        }
        if front.decisions.is_empty() {
            errs.push(err(msg!("会议纪要没有写决定 `decisions`", "the minutes record no `decisions`"), src.key_at("decisions")).hint(
                msg!(
                    "每项决定写一行，例如 - {{text: 同意使用公共收益更换路灯, for: 7, against: 0, abstain: 0}}",
                    "one line per decision, e.g. - {{text: …, for: 7, against: 0, abstain: 0}}"
                ),
            ));
        }
        let at = src.item_lines("decisions", front.decisions.len());
        for (i, d) in front.decisions.iter().enumerate() {
            let (n, p) = (d.yes + d.against + d.abstain, front.present);
            if n > p {
                let (y, a, b) = (d.yes, d.against, d.abstain);
                errs.push(
                    err(
                        msg!(
                            "这项决定的票数加起来是 {n}（同意 {y} + 反对 {a} + 弃权 {b}），比出席人数 {p} 还多",
                            "this decision has {n} votes ({y} for, {a} against, {b} abstaining), more than the {p} present"
                        ),
                        field_at(text, at[i], "for"),
                    )
                    .hint(msg!("核对票数和出席人数 present", "check the votes and the number present")),
                );
            }
            if d.text.trim().is_empty() {
                errs.push(err(msg!("决定的内容 `text` 是空的", "a decision's `text` is empty"), field_at(text, at[i], "text")));
            }
        }
        let attachments = crate::code::Attachment::read_all(root, files.iter().map(String::as_str));
        match (id, errs.has_errors()) {
            (Some(id), false) => Ok(Minutes {
                id,
                title: front.title.trim().to_string(),
                issuer: front.issuer.trim().to_string(),
                date: front.date,
                meeting: front.meeting.0.trim().to_string(),
                present: front.present,
                // 「王建华，李秀英」 typed with a Chinese comma inside [ ] is two names, not one.
                signed_by: front
                    .signed_by
                    .iter()
                    .flat_map(|s| s.split(['，', '、', ',']))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                decisions: front.decisions,
                summary: front.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
                body: fm.body.to_string(),
                revisions: front.revisions,
                draft: front.draft,
                code: VerificationCode::of_item(text, &attachments),
                attachments,
                source: src.rel.clone(),
                text: text.clone(),
            }),
            _ => Err(errs),
        }
    }
}

/// Each minutes' meeting must be a notice that announces one, held before the minutes were
/// posted; minutes posted more than [`POST_WITHIN_DAYS`] days after the meeting are a warning,
/// as is a draft notice's minutes being published.
pub(crate) fn check_links(minutes: &[Minutes], notices: &[Notice], notice_files: &[std::path::PathBuf], diags: &mut Diagnostics) {
    for m in minutes {
        let text = &m.text;
        let at = field_at(text, locate_key(text, "meeting").0, "meeting");
        let err = |msg| Diagnostic::error(&m.source, msg).at(text, at.0, at.1);
        let id = &m.meeting;
        let Some(n) = notices.iter().find(|n| n.id == *id) else {
            // A notice that is there but has errors of its own: those are reported, not this.
            if notice_files.iter().any(|f| f.file_stem().is_some_and(|s| s == id.as_str())) {
                continue;
            }
            let ids = notices.iter().filter(|n| n.meeting.is_some()).map(|n| n.id.as_str());
            let hint = match did_you_mean(id, ids) {
                Some(k) => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
                None => msg!(
                    "meeting 写开会通知的编号（content/notices/ 里的文件名，不带 .md），那份通知要有 meeting: 一项",
                    "meeting names the notice that announced it (its file name in content/notices/ without .md)"
                ),
            };
            diags.push(err(msg!("找不到开会通知 `{id}`", "there is no meeting notice `{id}`")).hint(hint));
            continue;
        };
        let Some(meeting) = &n.meeting else {
            diags.push(err(msg!("通知 `{id}` 没有写会议 meeting:", "the notice `{id}` announces no meeting")).hint(msg!(
                "在那份通知的开头加上 meeting: {{body: committee, date: 2025-10-20 14:00, place: 会所二楼, agenda: [议题一]}}",
                "add meeting: {{body: committee, date: …, place: …, agenda: […]}} to that notice"
            )));
            continue;
        };
        if n.draft && !m.draft {
            diags.push(
                err(msg!("开会通知 `{id}` 还是草稿", "the meeting notice `{id}` is still a draft"))
                    .hint(msg!("先发布开会通知，或把这份纪要也设为草稿", "publish the notice first, or keep these minutes a draft too")),
            );
        }
        let held = meeting.when.date;
        let days = held.days_until(m.date);
        let dl = locate_key(text, "date");
        if days < 0 {
            let (d, h) = (m.date, held);
            diags.push(
                Diagnostic::error(
                    &m.source,
                    msg!("纪要的日期 {d} 早于开会的日子 {h}", "the minutes are dated {d}, before the meeting on {h}"),
                )
                .at(text, dl.0, field_at(text, dl.0, "date").1)
                .hint(msg!("date 写纪要公布的日子", "date is the day the minutes are posted")),
            );
        } else if days > POST_WITHIN_DAYS {
            let (d, h, w) = (m.date, held, POST_WITHIN_DAYS);
            diags.push(
                Diagnostic::warning(
                    &m.source,
                    msg!(
                        "会议决定要在会后 {w} 天内公布：会议是 {h}，纪要 {d} 才公布，已是会后第 {days} 天",
                        "decisions are posted within {w} days of the meeting: it was held on {h}, the minutes are dated {d}, {days} days later"
                    ),
                )
                .at(text, dl.0, field_at(text, dl.0, "date").1)
                .hint(msg!("以后请在会后 {w} 天内公布；这份纪要照常发布", "post within {w} days next time; these minutes are published as usual")),
            );
        }
    }
    let mut seen: Vec<(&str, &Minutes)> = Vec::new();
    for m in minutes {
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == m.meeting) {
            let (id, other) = (&m.meeting, crate::diagnostics::display_path(&first.source));
            let at = field_at(&m.text, locate_key(&m.text, "meeting").0, "meeting");
            diags.push(
                Diagnostic::error(&m.source, msg!("会议 `{id}` 已经有纪要：{other}", "the meeting `{id}` already has minutes: {other}"))
                    .at(&m.text, at.0, at.1)
                    .hint(msg!(
                        "一次会议一份纪要；补充内容写进原来那份，并加 revisions",
                        "one meeting, one set of minutes; add to it with a revision"
                    )),
            );
        } else {
            seen.push((&m.meeting, m));
        }
    }
}

impl crate::kind::Item for Minutes {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Minutes
    }
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self, _: &Site) -> String {
        self.title.clone()
    }
    crate::item_fields!(attachments);
}
