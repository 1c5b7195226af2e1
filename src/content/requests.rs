//! The request log (诉求台账): `content/requests/<period>.yaml`, anonymised, and the 履行情况
//! computed from it — how each request fared against the time limits of the standards in force
//! when it was received.

use super::standards::{self, Standards};
use super::{check_scope, Revision};
use crate::calendar::{Calendar, Moment, Span};
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::msg;
use crate::period::Period;
use crate::privacy;
use crate::site::{Place, Site};
use crate::source::{self, locate, Source};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogFile {
    #[serde(default)]
    draft: bool,
    period: source::LooseString,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    entries: Vec<EntryFile>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: source::LooseString,
    received: Moment,
    tier: String,
    category: String,
    #[serde(default)]
    scope: Option<source::LooseString>,
    summary: String,
    #[serde(default)]
    responded: Option<Moment>,
    #[serde(default)]
    resolved: Option<Moment>,
    #[serde(default)]
    followed_up: Option<Moment>,
    #[serde(default)]
    rating: Option<u8>,
    #[serde(default)]
    note: Option<String>,
}

/// One anonymised request.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `R-2510-001`.
    pub id: String,
    /// When it came in.
    pub received: Moment,
    /// Tier key of the standards in force.
    pub tier: String,
    /// 漏水, 电梯, 保洁…
    pub category: String,
    /// Building or entrance concerned, if any.
    pub scope: Option<Place>,
    /// What it was about, without personal data.
    pub summary: String,
    /// First response.
    pub responded: Option<Moment>,
    /// Resolved.
    pub resolved: Option<Moment>,
    /// Follow-up (回访).
    pub followed_up: Option<Moment>,
    /// Satisfaction 1–5.
    pub rating: Option<u8>,
    /// Anything else.
    pub note: Option<String>,
}

/// One period's log.
#[derive(Debug, Clone)]
pub struct RequestLog {
    /// The period, from the file name.
    pub period: Period,
    /// Who keeps it.
    pub issuer: Option<String>,
    /// Entries, in the order written.
    pub entries: Vec<Entry>,
    /// Corrections.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// 校验码.
    pub code: VerificationCode,
    /// Source.
    pub source: PathBuf,
    /// Line of each entry, for cross-file messages.
    lines_at: Vec<usize>,
    text: String,
}

impl RequestLog {
    /// Loads `content/requests/<period>.yaml`; checks that need the standards come later, in
    /// [`check_tiers`].
    pub fn load(src: &Source, site: &Site) -> Result<RequestLog, Diagnostics> {
        let mut errs = Diagnostics::default();
        let stem = src.rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let period = Period::parse(&stem);
        if period.is_none() {
            errs.push(Diagnostic::error(&src.rel, msg!("文件名 `{stem}` 不是期间", "the file name `{stem}` is not a period")).hint(msg!(
                "诉求台账按月或按季度一个文件，文件名写成 2025-10 或 2025-Q4",
                "keep one log per month or quarter, named 2025-10 or 2025-Q4"
            )));
        }
        let Some(file) = source::parse_into::<LogFile>(src, &src.text, 1, &mut errs) else {
            return Err(errs);
        };
        if !file.draft {
            source::unfilled(src, true, &mut errs);
        }
        if file.period.0.trim() != stem {
            let (l, c) = src.key_at("period");
            let p = file.period.0.trim();
            errs.push(
                Diagnostic::error(
                    &src.rel,
                    msg!("`period: {p}` 与文件名 {stem} 不一致", "`period: {p}` does not match the file name {stem}"),
                )
                .at(&src.text, l, c)
                .hint(msg!(
                    "两者写成一样的期间，例如文件 2025-10.yaml 里写 period: 2025-10",
                    "make them the same, e.g. period: 2025-10 in 2025-10.yaml"
                )),
            );
        }
        if let Some(issuer) = &file.issuer {
            super::check_issuer(src, site, issuer, &mut errs);
        }
        let at = src.item_lines("entries", file.entries.len());
        let mut entries = Vec::with_capacity(file.entries.len());
        for (i, e) in file.entries.into_iter().enumerate() {
            let line = at[i];
            let id = e.id.0.trim().to_string();
            let here = |field: &str| src.at(&format!("entries[{i}].{field}"));
            if let Some(p) = &period {
                if !p.contains(e.received.date()) {
                    let (l, c) = here("received");
                    let (r, pk) = (e.received, &p.key);
                    errs.push(
                        Diagnostic::error(
                            &src.rel,
                            msg!("{id}：受理时间 {r} 不在本期 {pk} 内", "{id}: received {r} is outside the period {pk}"),
                        )
                        .at(&src.text, l, c)
                        .hint(msg!("诉求记在受理那个月（季度）的台账里", "record a request in the log of the period it was received")),
                    );
                }
            }
            // Times must follow one another: received ≤ responded ≤ resolved ≤ followed_up.
            let steps = [
                ("received", "受理", Some(e.received)),
                ("responded", "响应", e.responded),
                ("resolved", "办结", e.resolved),
                ("followed_up", "回访", e.followed_up),
            ];
            let mut prev: Option<(&str, &str, Moment)> = None;
            for (key, zh, t) in steps {
                let Some(t) = t else { continue };
                if let Some((pkey, pzh, pt)) = prev {
                    if t < pt {
                        let (l, c) = here(key);
                        errs.push(
                            Diagnostic::error(
                                &src.rel,
                                msg!("{id}：{zh}时间 {t} 早于{pzh}时间 {pt}", "{id}: {key} {t} is before {pkey} {pt}"),
                            )
                            .at(&src.text, l, c)
                            .hint(msg!(
                                "时间要按 受理 → 响应 → 办结 → 回访 的顺序",
                                "times go received → responded → resolved → followed_up"
                            )),
                        );
                    }
                }
                prev = Some((key, zh, t));
            }
            if e.followed_up.is_some() && e.resolved.is_none() {
                let (l, c) = here("followed_up");
                errs.push(
                    Diagnostic::error(
                        &src.rel,
                        msg!("{id}：还没有办结时间就写了回访时间", "{id}: followed_up is given but resolved is not"),
                    )
                    .at(&src.text, l, c)
                    .hint(msg!("先补上 resolved（办结时间）", "add the resolved time first")),
                );
            }
            if let Some(r) = e.rating {
                if !(1..=5).contains(&r) {
                    let (l, c) = here("rating");
                    errs.push(
                        Diagnostic::error(&src.rel, msg!("{id}：满意度 `{r}` 应在 1 到 5 之间", "{id}: rating `{r}` must be 1 to 5"))
                            .at(&src.text, l, c),
                    );
                }
            }
            let scope = e.scope.as_ref().and_then(|s| {
                let places = check_scope(
                    src,
                    site,
                    &crate::spans::child(&crate::spans::item("entries", i), "scope"),
                    std::slice::from_ref(s),
                    &mut errs,
                );
                places.into_iter().next()
            });
            for (field, value) in [("category", Some(&e.category)), ("summary", Some(&e.summary)), ("note", e.note.as_ref())] {
                let Some(value) = value else { continue };
                for hit in privacy::scan(value) {
                    let (l, c) = locate(&src.text, &hit.value, line.max(1));
                    let (kz, ke, v) = (hit.kind.zh(), hit.kind.en(), &hit.seen);
                    errs.push(
                        Diagnostic::error(
                            &src.rel,
                            msg!(
                                "{id}：{field} 里有{kz} `{v}`，台账不能公开个人信息",
                                "{id}: {field} contains a {ke} `{v}`; the log must not publish personal data"
                            ),
                        )
                        .at(&src.text, l, c)
                        .hint(msg!(
                            "只写楼栋（scope）和问题本身，例如 楼道水管漏水；姓名、房号、电话留在物业内部台账",
                            "give only the building (scope) and the problem; keep names, rooms and phones in the internal log"
                        )),
                    );
                }
            }
            entries.push(Entry {
                id,
                received: e.received,
                tier: e.tier.trim().to_string(),
                category: e.category.trim().to_string(),
                scope,
                summary: e.summary.trim().to_string(),
                responded: e.responded,
                resolved: e.resolved,
                followed_up: e.followed_up,
                rating: e.rating,
                note: e.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            });
        }
        if let Some(p) = &period {
            super::check_revisions(src, p.start, &file.revisions, &mut errs);
        }
        match period {
            Some(period) if !errs.has_errors() => Ok(RequestLog {
                period,
                issuer: file.issuer.map(|s| s.trim().to_string()),
                entries,
                revisions: file.revisions,
                draft: file.draft,
                code: VerificationCode::of(&src.text),
                source: src.rel.clone(),
                lines_at: at,
                text: src.text.clone(),
            }),
            _ => Err(errs),
        }
    }
}

/// Checks across files: ids unique across all logs, and every tier defined by the standards
/// in force on the day the request was received.
pub fn check_tiers(logs: &[RequestLog], all: &[Standards], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &RequestLog> = BTreeMap::new();
    for log in logs {
        let tier_line = |i: usize| source::field_at(&log.text, log.lines_at[i], "tier");
        for (i, e) in log.entries.iter().enumerate() {
            let id = &e.id;
            if let Some(first) = seen.get(id.as_str()) {
                let f = crate::diagnostics::display_path(&first.source);
                let (l, c) = source::field_at(&log.text, log.lines_at[i], "id");
                let m = if first.source == log.source {
                    msg!("诉求编号 `{id}` 重复：上面已经有一件诉求用了这个编号", "the request id `{id}` is used twice in this log")
                } else {
                    msg!("诉求编号 `{id}` 重复，已在 {f} 里用过", "the request id `{id}` is already used in {f}")
                };
                diags.push(
                    Diagnostic::error(&log.source, m)
                        .at(&log.text, l, c)
                        .hint(msg!("每件诉求一个编号，例如 R-2510-001", "give every request its own id, e.g. R-2510-001")),
                );
            } else {
                seen.insert(id, log);
            }
            let day = e.received.date();
            let (l, c) = tier_line(i);
            let tier = &e.tier;
            match standards::in_force(all, day) {
                None => diags.push(
                    Diagnostic::error(
                        &log.source,
                        msg!(
                            "{id}：受理日 {day} 还没有生效的服务标准，无法判断档位 `{tier}`",
                            "{id}: no service standards were in force on {day}, so the tier `{tier}` means nothing"
                        ),
                    )
                    .at(&log.text, l, c)
                    .hint(msg!(
                        "在 content/standards/ 里写明服务标准和 effective（生效日期）",
                        "add service standards with an `effective` date in content/standards/"
                    )),
                ),
                Some(s) if s.tier(tier).is_none() => {
                    let keys: Vec<&str> = s.tiers.iter().map(|t| t.tier.as_str()).collect();
                    // `一般` for `routine`: the tier named in Chinese as the standards name it.
                    let hint = match (s.tier_named(tier), did_you_mean(tier, keys.iter().copied())) {
                        (Some(t), _) => {
                            let (k, name) = (&t.tier, &t.name);
                            msg!("「{name}」这一档写作 `tier: {k}`（档位写代号，不写中文）", "the tier “{name}” is written `tier: {k}`")
                        }
                        (None, Some(k)) => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
                        (None, None) => {
                            let all = keys.join("、");
                            let all_en = keys.join(", ");
                            msg!("这份标准的档位有：{all}", "the tiers of these standards are: {all_en}")
                        }
                    };
                    let (sid, eff) = (&s.id, s.effective);
                    diags.push(
                        Diagnostic::error(
                            &log.source,
                            msg!(
                                "{id}：档位 `{tier}` 不在 {day} 生效的服务标准 {sid}（{eff} 起）里",
                                "{id}: the tier `{tier}` is not in the standards {sid} in force on {day} (from {eff})"
                            ),
                        )
                        .at(&log.text, l, c)
                        .hint(hint),
                    );
                }
                Some(_) => {}
            }
        }
    }
}

/// Times after the end of the build day cannot have happened yet: a typo in a date, most
/// likely (`2026-12-03` for `2026-11-03`).
pub fn check_not_after(logs: &[RequestLog], today: Date, diags: &mut Diagnostics) {
    let now = now_after(today);
    for log in logs {
        for (i, e) in log.entries.iter().enumerate() {
            let id = &e.id;
            for (key, zh, t) in [
                ("received", "受理", Some(e.received)),
                ("responded", "响应", e.responded),
                ("resolved", "办结", e.resolved),
                ("followed_up", "回访", e.followed_up),
            ] {
                let Some(t) = t.filter(|t| *t >= now) else { continue };
                let (l, c) = source::field_at(&log.text, log.lines_at[i], key);
                diags.push(
                    Diagnostic::error(
                        &log.source,
                        msg!("{id}：{zh}时间 {t} 还没到（今天是 {today}）", "{id}: {key} {t} is in the future (today is {today})"),
                    )
                    .at(&log.text, l, c)
                    .hint(msg!("检查日期是否写错；还没发生的事不要先写进台账", "check the date; record things once they have happened")),
                );
            }
        }
    }
}

/// How one request fared.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// The request.
    pub entry: &'a Entry,
    /// Its tier, as the standards in force defined it.
    pub tier: &'a standards::Tier,
    /// Deadlines computed from `received`.
    pub respond_by: Option<Moment>,
    /// Resolution deadline.
    pub resolve_by: Option<Moment>,
    /// Follow-up deadline (from the resolution).
    pub follow_up_by: Option<Moment>,
    /// Met each deadline: `None` when the tier sets none or the step is not done yet.
    pub met_respond: Option<bool>,
    /// Resolved in time.
    pub met_resolve: Option<bool>,
    /// Followed up in time.
    pub met_follow_up: Option<bool>,
    /// Minutes from received to resolved.
    pub resolve_minutes: Option<i64>,
    /// For open requests past their resolution deadline: minutes overdue at `now`.
    pub overdue_minutes: Option<i64>,
}

/// Evaluates every request against its tier; `now` is the start of the day after `--as-of`.
pub fn outcomes<'a>(logs: &'a [RequestLog], all: &'a [Standards], cal: &Calendar, now: Moment) -> Vec<Outcome<'a>> {
    let mut out = Vec::new();
    for log in logs {
        for e in &log.entries {
            let Some(tier) = standards::in_force(all, e.received.date()).and_then(|s| s.tier(&e.tier)) else { continue };
            let by = |span: Option<Span>, from: Option<Moment>| Some(cal.deadline(from?, span?));
            let respond_by = by(tier.respond_within, Some(e.received));
            let resolve_by = by(tier.resolve_within, Some(e.received));
            let follow_up_by = by(tier.follow_up_within, e.resolved);
            let met = |deadline: Option<Moment>, done: Option<Moment>| Some(done? <= deadline?);
            let overdue_minutes = match (e.resolved, resolve_by) {
                (None, Some(d)) if now > d => Some(d.minutes_until(now)),
                _ => None,
            };
            out.push(Outcome {
                entry: e,
                tier,
                respond_by,
                resolve_by,
                follow_up_by,
                met_respond: met(respond_by, e.responded),
                met_resolve: met(resolve_by, e.resolved),
                met_follow_up: met(follow_up_by, e.followed_up),
                resolve_minutes: e.resolved.map(|r| e.received.minutes_until(r)),
                overdue_minutes,
            });
        }
    }
    out.sort_by(|a, b| a.entry.received.cmp(&b.entry.received).then_with(|| a.entry.id.cmp(&b.entry.id)));
    out
}

/// Counts for one tier, or one tier in one month.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Requests received.
    pub count: usize,
    /// Resolved.
    pub resolved: usize,
    /// Not resolved yet.
    pub open: usize,
    /// Open and past the resolution deadline.
    pub overdue: usize,
    /// Responded within the tier's limit.
    pub met_respond: usize,
    /// Resolved within the tier's limit.
    pub met_resolve: usize,
    /// Followed up within the tier's limit.
    pub met_follow_up: usize,
    /// Median minutes from received to resolved (the mean of the two middle values, rounded
    /// down, when the count is even); `None` when nothing is resolved.
    pub median_resolve_minutes: Option<i64>,
}

impl Tally {
    /// Tallies some outcomes.
    pub fn of<'a>(items: impl IntoIterator<Item = &'a Outcome<'a>>) -> Tally {
        let mut t = Tally::default();
        let mut times = Vec::new();
        for o in items {
            t.count += 1;
            match o.entry.resolved {
                Some(_) => t.resolved += 1,
                None => t.open += 1,
            }
            t.overdue += usize::from(o.overdue_minutes.is_some());
            t.met_respond += usize::from(o.met_respond == Some(true));
            t.met_resolve += usize::from(o.met_resolve == Some(true));
            t.met_follow_up += usize::from(o.met_follow_up == Some(true));
            times.extend(o.resolve_minutes);
        }
        t.median_resolve_minutes = median(&mut times);
        t
    }
}

/// The median of whole minutes (the two middle values averaged and rounded down when even).
pub fn median(v: &mut [i64]) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]).div_euclid(2) })
}

/// The day a request log reports up to: `as_of` and the moment after it.
pub fn now_after(as_of: Date) -> Moment {
    Moment::start_of(Date(as_of.0.succ_opt().unwrap_or(as_of.0)))
}

/// Whether a request log only grew from `published` to `now` (both as written): entries were
/// added, and times or ratings left empty were filled in, but no value that was published
/// changed and no entry went away. A register that grows needs no revision; a correction does.
pub fn only_grew(published: &str, now: &str) -> bool {
    use serde_yaml::Value;
    let parse = |t: &str| serde_yaml::from_str::<Value>(&crate::source::normalize(t)).ok();
    let (Some(Value::Mapping(old)), Some(Value::Mapping(new))) = (parse(published), parse(now)) else { return false };
    let entries = Value::String("entries".into());
    let same_rest = old.iter().filter(|(k, _)| **k != entries).all(|(k, v)| new.get(k) == Some(v))
        && new.iter().filter(|(k, _)| **k != entries).all(|(k, _)| old.contains_key(k));
    if !same_rest {
        return false;
    }
    let list = |m: &serde_yaml::Mapping| match m.get(&entries) {
        Some(Value::Sequence(s)) => s.clone(),
        _ => Vec::new(),
    };
    let id = Value::String("id".into());
    let new_entries = list(&new);
    list(&old).iter().all(|o| {
        let Value::Mapping(o) = o else { return false };
        let Some(n) = new_entries.iter().find_map(|n| match n {
            Value::Mapping(n) if n.get(&id) == o.get(&id) => Some(n),
            _ => None,
        }) else {
            return false;
        };
        o.iter().all(|(k, v)| v.is_null() || n.get(k) == Some(v))
    })
}

impl crate::kind::Item for RequestLog {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Requests
    }
    fn id(&self) -> String {
        self.period.key.clone()
    }
    fn title(&self, _: &crate::site::Site) -> String {
        format!("诉求台账 {}", self.period.label_zh())
    }
    crate::item_fields!();
}

#[cfg(test)]
mod tests {
    use super::{median, only_grew};

    #[test]
    fn a_register_that_grows_needs_no_revision_but_a_changed_value_does() {
        let published =
            "period: 2026-10\nentries:\n  - {id: R-1, received: 2026-10-03 07:43, tier: urgent, category: 漏水, summary: 漏水}\n";
        let resolved = "period: 2026-10\nentries:\n  - {id: R-1, received: 2026-10-03 07:43, tier: urgent, category: 漏水, summary: 漏水, resolved: 2026-10-03 09:00, rating: 5}\n  - {id: R-2, received: 2026-10-04 08:00, tier: routine, category: 保洁, summary: 楼道}\n";
        assert!(only_grew(published, resolved), "a time filled in, a rating, a new entry");
        assert!(only_grew(published, published));
        assert!(!only_grew(published, &published.replace("07:43", "08:43")), "a published time changed");
        assert!(!only_grew(published, "period: 2026-10\nentries: []\n"), "an entry removed");
        assert!(!only_grew(published, &published.replace("period: 2026-10", "period: 2026-11")), "the period changed");
        assert!(!only_grew(resolved, published), "a filled-in time emptied again");
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [30]), Some(30));
        assert_eq!(median(&mut [90, 10, 30]), Some(30));
        assert_eq!(median(&mut [10, 40, 20, 30]), Some(25));
        assert_eq!(median(&mut [10, 11]), Some(10));
    }
}
