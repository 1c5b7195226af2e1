//! Views and open data of the service standards (晒服务标准) and of how they were met (履行情况).
//! The page, `summary.json` and `requests.csv` are all made from the same [`Outcome`]s.

use super::escape::csv_cell as csv_field;
use super::views::PlaceLink;
use crate::calendar::{Calendar, Moment, Span};
use crate::content::requests::{self, Outcome, Tally};
use crate::content::standards::{Standards, Tier};
use crate::content::{Content, Revision};
use crate::date::Date;
use crate::diagnostics::Lang;
use crate::site::Site;
use serde::Serialize;
use serde_json::json;
use std::fmt::Write as _;

/// Each standards document's page, 履行情况 (`/r/`, from every period's request log), each
/// of which prints as its sheet, and their open data.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, x: &'a super::Shared<'a>, plan: &mut super::Plan<'a>) {
    use super::Shows;
    use crate::address;
    let content = r.content;
    for (v, s) in x.standards.iter().zip(&content.standards) {
        plan.page(address::standards(&s.id), Shows::Other, move |at| {
            let mut ctx = r.item(at, "kind_standards", v.title, v.code);
            ctx.insert("s", v);
            r.page(at, "standards.html", &ctx)
        });
    }
    plan.page(address::requests(), Shows::Other, move |at| {
        let site = &content.site;
        let as_of = super::views::date_text(r.opts.today, site.lang);
        let title = match r.content.site.lang {
            Lang::En => format!("{} (as of {as_of})", r.theme.t("performance")),
            Lang::Zh => format!("{}（{} {as_of}）", r.theme.t("performance"), r.theme.t("as_of")),
        };
        let mut ctx = r.item(at, "kind_performance", &title, &x.performance.code);
        ctx.insert("p", x.performance);
        ctx.insert("standards", x.standards);
        ctx.insert("issuer", &content.requests.iter().find_map(|l| l.issuer.as_deref()).map(|i| site.issuer_name(i)));
        r.page(at, "requests.html", &ctx)
    });
    plan.file(address::REQUESTS_SUMMARY.into(), Shows::Other, move || Ok(summary_json(x.performance, content.standards.last()).into()));
    plan.file(address::REQUESTS_CSV.into(), Shows::Other, move || Ok(requests_csv(x.outcomes, &content.site).into()));
}

/// A standards document as shown.
#[derive(Serialize)]
pub struct StandardsView<'a> {
    id: &'a str,
    /// `s/<id>/`.
    pub href: String,
    /// Title.
    pub title: &'a str,
    pub(crate) issuer: &'a str,
    pub(crate) effective: String,
    in_force: bool,
    summary: Option<&'a str>,
    provider: Option<&'a crate::content::standards::Provider>,
    fees: Vec<FeeView<'a>>,
    services: Vec<(&'a str, Vec<(&'a str, &'a str)>)>,
    tiers: Vec<TierView<'a>>,
    pub(crate) code: &'a str,
    revisions: &'a [Revision],
}

#[derive(Serialize)]
struct FeeView<'a> {
    item: &'a str,
    applies_to: Option<&'a str>,
    unit: &'a str,
    price: String,
    pricing: Option<&'a str>,
    basis: Option<&'a str>,
    note: Option<&'a str>,
}

/// A tier with its limits in words.
#[derive(Serialize)]
pub struct TierView<'a> {
    key: &'a str,
    name: &'a str,
    respond: Option<String>,
    resolve: Option<String>,
    follow_up: Option<String>,
}

fn span(s: Option<Span>, lang: Lang) -> Option<String> {
    s.map(|s| if lang == Lang::En { s.label_en() } else { s.label_zh() })
}

fn tier_view(t: &Tier, lang: Lang) -> TierView<'_> {
    TierView {
        key: &t.tier,
        name: &t.name,
        respond: span(t.respond_within, lang),
        resolve: span(t.resolve_within, lang),
        follow_up: span(t.follow_up_within, lang),
    }
}

/// The view of one standards document.
pub fn standards_view<'a>(s: &'a Standards, site: &'a Site, today: Date, all: &[Standards]) -> StandardsView<'a> {
    let mut services: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
    for x in &s.services {
        match services.iter_mut().find(|(c, _)| *c == x.category) {
            Some((_, v)) => v.push((&x.item, &x.standard)),
            None => services.push((&x.category, vec![(&x.item, &x.standard)])),
        }
    }
    StandardsView {
        id: &s.id,
        href: crate::address::standards(&s.id).href().to_string(),
        title: &s.title,
        issuer: site.issuer_name(&s.issuer),
        effective: s.effective.to_string(),
        in_force: crate::content::standards::in_force(all, today).is_some_and(|f| f.id == s.id),
        summary: s.summary.as_deref(),
        provider: s.provider.as_ref(),
        fees: s
            .fees
            .iter()
            .map(|f| FeeView {
                item: &f.item,
                applies_to: f.applies_to.as_deref(),
                unit: &f.unit,
                price: f.price.plain(),
                pricing: f.pricing.as_deref(),
                basis: f.basis.as_deref(),
                note: f.note.as_deref(),
            })
            .collect(),
        services,
        tiers: s.tiers.iter().map(|t| tier_view(t, site.lang)).collect(),
        code: s.code.as_str(),
        revisions: &s.revisions,
    }
}

/// 履行情况: everything `/r/`, the home page and `summary.json` show.
#[derive(Serialize)]
pub struct Performance<'a> {
    /// `--as-of`.
    pub as_of: String,
    /// Whether there is anything to show.
    pub any: bool,
    /// Per tier, in the order of the standards.
    pub tiers: Vec<TierPerformance<'a>>,
    /// Months covered, oldest first: `2026-08`.
    pub months: Vec<MonthRow>,
    /// Open requests, most overdue first.
    pub open: Vec<EntryRow<'a>>,
    /// Every request, newest month first.
    pub by_month: Vec<(String, Vec<EntryRow<'a>>)>,
    /// Inline SVG.
    pub chart: String,
    /// Request logs, for their codes and revisions.
    pub logs: Vec<LogRow<'a>>,
    /// Mean rating (one decimal) and how many rated.
    pub rating: Option<(String, usize)>,
    /// 校验码 of the request logs together (the codes of every log, hashed in period order).
    pub code: String,
}

/// One tier's figures and sentences.
#[derive(Serialize)]
pub struct TierPerformance<'a> {
    /// The tier and its limits.
    pub tier: TierView<'a>,
    /// Figures.
    pub all: Tally,
    /// Plain-language lines (`18 件中 17 件在 30 分钟内响应（94%）`).
    pub lines: Vec<String>,
    /// Median resolution time in words.
    pub median: Option<String>,
    /// Per month.
    pub months: Vec<(String, Tally)>,
}

/// One month across tiers.
#[derive(Serialize)]
pub struct MonthRow {
    key: String,
    label: String,
    count: usize,
    on_time: usize,
    late: usize,
    open: usize,
}

/// One request as a table row.
#[derive(Serialize)]
pub struct EntryRow<'a> {
    id: &'a str,
    received: String,
    tier: &'a str,
    category: &'a str,
    place: Option<PlaceLink>,
    summary: &'a str,
    resolved: Option<String>,
    took: Option<String>,
    on_time: Option<bool>,
    due: Option<String>,
    overdue: Option<String>,
    rating: Option<u8>,
}

/// A log file, for its code.
#[derive(Serialize)]
pub struct LogRow<'a> {
    period: &'a str,
    code: &'a str,
    revisions: &'a [Revision],
}

/// `1小时5分钟`, `2天3小时`; `1 h 5 min` in English.
pub fn minutes_text(m: i64, lang: Lang) -> String {
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    let en = lang == Lang::En;
    let mut out = String::new();
    if d > 0 {
        let _ = write!(out, "{d}{}", if en { " d " } else { "天" });
    }
    if h > 0 {
        let _ = write!(out, "{h}{}", if en { " h " } else { "小时" });
    }
    if min > 0 && d == 0 {
        let _ = write!(out, "{min}{}", if en { " min" } else { "分钟" });
    }
    if out.is_empty() {
        out = if en { "0 min".into() } else { "0分钟".into() };
    }
    out.trim().to_string()
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    format!("{}%", (part * 100 + whole / 2) / whole)
}

/// Computes the 履行情况 as of `today`.
pub fn performance<'a>(content: &'a Content, outcomes: &'a [Outcome<'a>], today: Date) -> Performance<'a> {
    let site = &content.site;
    let lang = site.lang;
    let latest = content.standards.last();
    // Tier keys in the order of the newest standards, then any older ones still in the logs.
    let mut keys: Vec<&str> = latest.map(|s| s.tiers.iter().map(|t| t.tier.as_str()).collect()).unwrap_or_default();
    for o in outcomes {
        if !keys.contains(&o.tier.tier.as_str()) {
            keys.push(&o.tier.tier);
        }
    }
    let mut month_keys: Vec<String> = outcomes.iter().map(|o| o.entry.received.date().month_key()).collect();
    month_keys.dedup();
    let tiers = keys
        .iter()
        .map(|key| {
            let mine: Vec<&Outcome<'_>> = outcomes.iter().filter(|o| o.tier.tier == *key).collect();
            let tier =
                latest.and_then(|s| s.tier(key)).or_else(|| mine.first().map(|o| o.tier)).expect("a tier with requests or standards");
            let all = Tally::of(mine.iter().copied());
            let months = month_keys
                .iter()
                .map(|m| (m.clone(), Tally::of(mine.iter().copied().filter(|o| o.entry.received.date().month_key() == *m))))
                .filter(|(_, t)| t.count > 0)
                .collect();
            let tv = tier_view(tier, lang);
            let lines = tier_lines(&tv, &all, lang);
            TierPerformance { median: all.median_resolve_minutes.map(|m| minutes_text(m, lang)), tier: tv, all, lines, months }
        })
        .collect();
    let months = month_keys
        .iter()
        .map(|m| {
            let mine: Vec<&Outcome<'_>> = outcomes.iter().filter(|o| o.entry.received.date().month_key() == *m).collect();
            let t = Tally::of(mine.iter().copied());
            MonthRow {
                key: m.clone(),
                label: super::views::month_label(m, lang),
                count: t.count,
                on_time: t.met_resolve,
                late: t.resolved - t.met_resolve,
                open: t.open,
            }
        })
        .collect::<Vec<_>>();
    let row = |o: &'a Outcome<'a>| EntryRow {
        id: &o.entry.id,
        received: moment_text(o.entry.received, lang),
        tier: &o.tier.name,
        category: &o.entry.category,
        place: o.entry.scope.as_ref().map(|p| PlaceLink::to(site, p)),
        summary: &o.entry.summary,
        resolved: o.entry.resolved.map(|r| moment_text(r, lang)),
        took: o.resolve_minutes.map(|m| minutes_text(m, lang)),
        on_time: o.met_resolve,
        due: o.resolve_by.map(|d| deadline_text(d, lang)),
        overdue: o.overdue_minutes.map(|m| minutes_text(m, lang)),
        rating: o.entry.rating,
    };
    let mut open: Vec<&Outcome<'_>> = outcomes.iter().filter(|o| o.entry.resolved.is_none()).collect();
    open.sort_by_key(|o| (std::cmp::Reverse(o.overdue_minutes.unwrap_or(-1)), o.entry.received));
    let by_month = month_keys
        .iter()
        .rev()
        .map(|m| {
            (super::views::month_label(m, lang), outcomes.iter().filter(|o| o.entry.received.date().month_key() == *m).map(row).collect())
        })
        .collect();
    let rated: Vec<u32> = outcomes.iter().filter_map(|o| o.entry.rating.map(u32::from)).collect();
    let rating = (!rated.is_empty()).then(|| {
        let sum: u32 = rated.iter().sum();
        let tenths = (sum * 10 * 2 + rated.len() as u32) / (2 * rated.len() as u32);
        (format!("{}.{}", tenths / 10, tenths % 10), rated.len())
    });
    Performance {
        as_of: today.to_string(),
        any: !outcomes.is_empty(),
        chart: month_chart(&months, lang),
        tiers,
        months,
        open: open.into_iter().map(row).collect(),
        by_month,
        logs: content.requests.iter().map(|l| LogRow { period: &l.period.key, code: l.code.as_str(), revisions: &l.revisions }).collect(),
        rating,
        code: crate::code::VerificationCode::of(&content.requests.iter().map(|l| l.code.as_str()).collect::<String>()).as_str().to_string(),
    }
}

/// A deadline for display: working-day deadlines end at midnight, shown as the day itself.
fn deadline_text(d: Moment, lang: Lang) -> String {
    if d.0.time() == chrono::NaiveTime::MIN {
        let day = super::views::date_text(Date(d.0.date().pred_opt().unwrap_or(d.0.date())), lang);
        return if lang == Lang::En { format!("{day} (end of day)") } else { format!("{day}当天") };
    }
    moment_text(d, lang)
}

/// A moment as people say it: `2026年10月3日 07:43`, `3 Oct 2026 07:43` — the same words as
/// every other date of the site, never `2026-10-03 07:43`.
fn moment_text(m: Moment, lang: Lang) -> String {
    format!("{} {}", super::views::date_text(Date(m.0.date()), lang), m.0.format("%H:%M"))
}

fn tier_lines(t: &TierView<'_>, a: &Tally, lang: Lang) -> Vec<String> {
    let en = lang == Lang::En;
    let mut out = Vec::new();
    let n = a.count;
    if let Some(r) = &t.respond {
        out.push(if en {
            format!("{} of {n} answered within {r} ({})", a.met_respond, pct(a.met_respond, n))
        } else {
            format!("{n} 件中 {} 件在 {r}内响应（{}）", a.met_respond, pct(a.met_respond, n))
        });
    }
    if let Some(r) = &t.resolve {
        let due = a.resolved + a.overdue;
        out.push(if en {
            format!("{} of {due} due resolved within {r} ({})", a.met_resolve, pct(a.met_resolve, due))
        } else {
            format!("应办结 {due} 件，{} 件在 {r}内办结（{}）", a.met_resolve, pct(a.met_resolve, due))
        });
    }
    if let Some(r) = &t.follow_up {
        out.push(if en {
            format!("{} of {} resolved followed up within {r} ({})", a.met_follow_up, a.resolved, pct(a.met_follow_up, a.resolved))
        } else {
            format!("已办结 {} 件，{} 件在 {r}内回访（{}）", a.resolved, a.met_follow_up, pct(a.met_follow_up, a.resolved))
        });
    }
    if a.open > 0 {
        out.push(if en {
            format!("{} still open, {} of them overdue", a.open, a.overdue)
        } else {
            format!("还有 {} 件未办结，其中 {} 件已超时", a.open, a.overdue)
        });
    }
    out
}

/// Stacked bars per month: resolved on time, resolved late, still open (see [`super::chart`]).
fn month_chart(months: &[MonthRow], lang: Lang) -> String {
    let en = lang == Lang::En;
    let title = if en { "Requests per month: on time, late, open" } else { "每月诉求：按时办结、超时办结、未办结" };
    let legend = if en { ["on time", "late", "open"] } else { ["按时", "超时", "未办结"] };
    let classes = ["on-time", "late", "open"];
    let rows: Vec<super::chart::Row<'_>> = months
        .iter()
        .map(|m| super::chart::Row {
            label: m.label.clone(),
            parts: vec![(m.on_time as u64, classes[0]), (m.late as u64, classes[1]), (m.open as u64, classes[2])],
            figure: m.count.to_string(),
        })
        .collect();
    let legend: Vec<(&str, &str)> = classes.into_iter().zip(legend).collect();
    super::chart::bars(title, &rows, &legend)
}

/// `/data/requests/summary.json`.
pub fn summary_json(p: &Performance<'_>, standards: Option<&Standards>) -> String {
    // A deadline the tier does not define was neither met nor missed: `null`, not 0.
    let tally = |t: &Tally, tier: &TierView<'_>| {
        json!({
            "count": t.count, "resolved": t.resolved, "open": t.open, "overdue": t.overdue,
            "met_respond": tier.respond.as_ref().map(|_| t.met_respond),
            "met_resolve": tier.resolve.as_ref().map(|_| t.met_resolve),
            "met_follow_up": tier.follow_up.as_ref().map(|_| t.met_follow_up),
            "median_resolve_minutes": t.median_resolve_minutes,
        })
    };
    let tiers: Vec<_> = p
        .tiers
        .iter()
        .map(|t| {
            let mut v = tally(&t.all, &t.tier);
            v["tier"] = json!(t.tier.key);
            v["name"] = json!(t.tier.name);
            v["months"] = t
                .months
                .iter()
                .map(|(m, x)| {
                    let mut v = tally(x, &t.tier);
                    v["month"] = json!(m);
                    v
                })
                .collect();
            v
        })
        .collect();
    let doc = json!({
        "as_of": p.as_of,
        "standards": standards.map(|s| s.id.as_str()),
        "tiers": tiers,
    });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// `/data/requests.csv`: every request with its deadlines and whether each was met.
pub fn requests_csv(outcomes: &[Outcome<'_>], site: &Site) -> String {
    let mut out = String::from(
        "\u{feff}id,received,tier,category,scope,summary,responded,resolved,followed_up,rating,respond_by,resolve_by,follow_up_by,met_respond,met_resolve,met_follow_up,resolve_minutes,note\r\n",
    );
    let t = |m: Option<Moment>| m.map(|m| m.to_string()).unwrap_or_default();
    let b = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    for o in outcomes {
        let e = o.entry;
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            csv_field(&e.id),
            e.received,
            csv_field(&e.tier),
            csv_field(&e.category),
            e.scope.as_ref().map(|p| csv_field(&site.place_name(p))).unwrap_or_default(),
            csv_field(&e.summary),
            t(e.responded),
            t(e.resolved),
            t(e.followed_up),
            e.rating.map(|r| r.to_string()).unwrap_or_default(),
            t(o.respond_by),
            t(o.resolve_by),
            t(o.follow_up_by),
            b(o.met_respond),
            b(o.met_resolve),
            b(o.met_follow_up),
            o.resolve_minutes.map(|m| m.to_string()).unwrap_or_default(),
            csv_field(e.note.as_deref().unwrap_or("")),
        );
    }
    out
}

/// The outcomes of every request as of `today`.
pub fn outcomes(content: &Content, today: Date) -> Vec<Outcome<'_>> {
    let cal = Calendar::new(&content.site.holidays, &content.site.workdays);
    requests::outcomes(&content.requests, &content.standards, &cal, requests::now_after(today))
}
