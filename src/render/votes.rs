//! Views and open data of votes: the result explained in plain words beside the thresholds.

use super::views::{PlaceLink, PostingView};
use crate::content::vote::{percent, Count, Rule, Test, Verdict, Vote, MATTERS};
use crate::content::Revision;
use crate::diagnostics::Lang;
use crate::site::Site;
use serde::Serialize;
use serde_json::json;

/// Each vote's page (which prints as its sheet) and its open data.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, x: &'a super::Shared<'a>, plan: &mut super::Plan<'a>) {
    for (v, vote) in x.votes.iter().zip(&r.content.votes) {
        plan.page(crate::address::vote(&vote.id), super::Shows::Other, move |at| {
            let ctx = context(r, v, at, false);
            r.page(at, "vote.html", &ctx)
        });
        plan.file(crate::address::vote_data(&vote.id), super::Shows::Other, move || Ok(vote_json(vote).into()));
    }
}

/// The context of vote `v` on a page at `at`: its own page, or a bundle (`in_bundle`).
fn context(r: &super::Renderer<'_>, v: &VoteView<'_>, at: &crate::address::Address, in_bundle: bool) -> tera::Context {
    let mut ctx = r.base(at, v.title);
    r.sheet(&mut ctx, &crate::address::Address::from_href(&v.href), "kind_vote", v.code);
    ctx.insert("v", v);
    ctx.insert("in_bundle", &in_bundle);
    ctx
}

/// Vote `v` as one sheet of the bundle at `at`.
pub(super) fn sheet(
    r: &super::Renderer<'_>,
    v: &VoteView<'_>,
    at: &crate::address::Address,
) -> Result<String, crate::diagnostics::Diagnostic> {
    r.render_text("items/vote.html", &context(r, v, at, true), &at.file())
}

/// A vote as listed and shown.
#[derive(Serialize)]
pub struct VoteView<'a> {
    id: &'a str,
    /// `v/<id>/`.
    pub href: String,
    /// Title.
    pub title: &'a str,
    pub(crate) date: String,
    pub(crate) issuer: &'a str,
    /// `passed`, `failed` or `consultation`.
    pub result: &'static str,
    result_text: &'static str,
    rule_text: String,
    method: Option<&'a str>,
    pub(crate) posting: Option<PostingView>,
    scope: Vec<PlaceLink>,
    summary: Option<&'a str>,
    rows: Vec<CountRow>,
    zones: Vec<ZoneRow>,
    zone_rule_text: Option<&'static str>,
    /// For each zone that fails on its own: which test, and by how much, in plain words.
    pub zone_failures: Vec<String>,
    /// Sentences explaining each test.
    pub checks: Vec<Check>,
    pub(crate) code: &'a str,
    revisions: &'a [Revision],
    data_json: String,
    draft: bool,
}

/// One line of the tally table.
#[derive(Serialize)]
struct CountRow {
    label: &'static str,
    owners: u32,
    area: String,
    owners_share: String,
    area_share: String,
    /// On paper, the test this row is judged by and whether it was met (turnout and agreement).
    need: Option<Check>,
}

/// One zone of a vote counted per zone.
#[derive(Serialize)]
struct ZoneRow {
    name: String,
    eligible: u32,
    participated_owners: String,
    participated_area: String,
    agree_owners: String,
    agree_area: String,
    met: bool,
    result_text: &'static str,
}

/// Why a zone fails, with what was missing: "还差 6 人、350.20 平方米".
fn zone_failure(z: &crate::content::vote::Zone, matter: Option<u8>, en: bool) -> Option<String> {
    let mut parts = Vec::new();
    for (t, what_zh, what_en) in [(z.tally.participation(), "参与表决", "turnout"), (z.tally.agreement(matter), "同意", "in favour")]
    {
        if t.met() {
            continue;
        }
        let th = t.threshold;
        let short_o = th.shortfall(t.owners.0, t.owners.1);
        let short_a = crate::content::vote::Area(th.shortfall(t.area.0, t.area.1));
        let (po, pa) = (percent(t.owners.0, t.owners.1), percent(t.area.0, t.area.1));
        let need = if th.inclusive { format!("达到{}", th.zh()) } else { "超过一半".to_string() };
        let mut missing = Vec::new();
        if short_o > 0 {
            missing.push(if en { format!("{short_o} more owners") } else { format!("{short_o} 人") });
        }
        if short_a.0 > 0 {
            missing.push(if en { format!("{short_a} m² more") } else { format!("{short_a} 平方米") });
        }
        parts.push(if en {
            format!("{what_en} is {po} of owners and {pa} of area; it needed {}", missing.join(" and "))
        } else {
            format!("{what_zh}的人数占 {po}、面积占 {pa}，要{need}还差 {}", missing.join("、"))
        });
    }
    (!parts.is_empty()).then(|| {
        if en {
            format!("Zone {} did not pass: {}.", z.name, parts.join("; "))
        } else {
            format!("「{}」没有通过：{}。", z.name, parts.join("；"))
        }
    })
}

/// One test in plain words.
#[derive(Serialize)]
pub struct Check {
    /// The sentence.
    pub text: String,
    /// Whether it was met.
    pub met: bool,
}

fn check(t: &Test, what_zh: &str, what_en: &str, of_zh: &str, lang: Lang) -> Vec<Check> {
    let th = t.threshold;
    let word_zh = |met: bool| match (met, th.inclusive) {
        (true, true) => format!("达到{}", th.zh()),
        (false, true) => format!("未达到{}", th.zh()),
        (true, false) => "超过一半".to_string(),
        (false, false) => "没有超过一半".to_string(),
    };
    let word_en = |met: bool| match (met, th.inclusive) {
        (true, true) => format!("reaching {}", th.en()),
        (false, true) => format!("short of {}", th.en()),
        (true, false) => "more than half".to_string(),
        (false, false) => "not more than half".to_string(),
    };
    let line = |area: bool, (p, w): (i64, i64), met: bool| {
        let pc = percent(p, w);
        let text = if lang == Lang::En {
            format!("{what_en} {} {pc}, {}", if area { "by area:" } else { "by owners:" }, word_en(met))
        } else {
            format!("{of_zh}{what_zh}{}占 {pc}，{}", if area { "专有部分面积" } else { "人数" }, word_zh(met))
        };
        Check { text, met }
    };
    vec![line(true, t.area, t.area_met()), line(false, t.owners, t.owners_met())]
}

/// A test in a few words for the tally table on paper: "✔ 都达到三分之二", "✘ 面积未超过一半".
fn need(t: &Test, lang: Lang) -> Check {
    let th = t.threshold;
    let (area, owners) = (t.area_met(), t.owners_met());
    let met = area && owners;
    let text = match (lang, th.inclusive) {
        (Lang::En, true) => format!("{} {}", if met { "✔ both reach" } else { "✘ short of" }, th.en()),
        (Lang::En, false) => (if met { "✔ both more than half" } else { "✘ not more than half" }).to_string(),
        (_, inclusive) => {
            let goal = if inclusive { th.zh() } else { "一半" };
            let (yes, no) = if inclusive { ("达到", "未达到") } else { ("超过", "没有超过") };
            match (area, owners) {
                (true, true) => format!("✔ 都{yes}{goal}"),
                (false, false) => format!("✘ 都{no}{goal}"),
                (false, true) => format!("✘ 面积{no}{goal}"),
                (true, false) => format!("✘ 人数{no}{goal}"),
            }
        }
    };
    Check { text, met }
}

/// The view of one vote.
pub fn vote_view<'a>(v: &'a Vote, site: &'a Site) -> VoteView<'a> {
    let lang = site.lang;
    let en = lang == Lang::En;
    let (result, result_text) = match (v.verdict(), en) {
        (Some(Verdict::Passed), false) => ("passed", "通过"),
        (Some(Verdict::Failed), false) => ("failed", "未通过"),
        (None, false) => ("consultation", "征求意见（不作表决结论）"),
        (Some(Verdict::Passed), true) => ("passed", "Passed"),
        (Some(Verdict::Failed), true) => ("failed", "Failed"),
        (None, true) => ("consultation", "Consultation (no binding result)"),
    };
    let rule_text = match (v.rule, v.matter) {
        (Rule::CivilCode278, Some(m)) => {
            let name = MATTERS.get(usize::from(m) - 1).copied().unwrap_or("");
            let need = if (6..=8).contains(&m) { "四分之三以上" } else { "过半数" };
            if en {
                format!(
                    "Civil Code Art. 278(1) item {m}: at least two thirds of owners and of area must take part; {} of participating owners and area must agree",
                    if (6..=8).contains(&m) { "at least three quarters" } else { "more than half" }
                )
            } else {
                format!("民法典第二百七十八条第一款第{m}项（{name}）：专有部分面积和人数都要三分之二以上参与表决，参与表决的面积和人数都要{need}同意")
            }
        }
        _ => (if en { "Consultation: counts only" } else { "征求意见：只公布票数，不按法定比例判定" }).to_string(),
    };
    let share = |c: Count, of: Count| (percent(c.owners.into(), of.owners.into()), percent(c.area.0, of.area.0));
    let mut rows = Vec::new();
    let judged = v.rule != Rule::None;
    for (label_zh, label_en, c, of, test) in [
        ("有表决权", "Eligible", v.eligible, v.eligible, None),
        ("参与表决", "Took part", v.participated, v.eligible, judged.then(|| v.participation())),
        ("同意", "Agree", v.agree, v.participated, judged.then(|| v.agreement())),
        ("反对", "Against", v.against, v.participated, None),
        ("弃权", "Abstain", v.abstain, v.participated, None),
    ] {
        let (o, a) = share(c, of);
        rows.push(CountRow {
            label: if en { label_en } else { label_zh },
            owners: c.owners,
            area: c.area.plain(),
            owners_share: o,
            area_share: a,
            need: test.map(|t| need(&t, lang)),
        });
    }
    let zones = v
        .zones
        .iter()
        .map(|z| {
            let (t, a) = (z.tally.participation(), z.tally.agreement(v.matter));
            let met = z.tally.passes(v.matter);
            ZoneRow {
                name: z.name.clone(),
                eligible: z.tally.eligible.owners,
                participated_owners: percent(t.owners.0, t.owners.1),
                participated_area: percent(t.area.0, t.area.1),
                agree_owners: percent(a.owners.0, a.owners.1),
                agree_area: percent(a.area.0, a.area.1),
                met,
                result_text: match (v.rule, met, en) {
                    (Rule::None, _, false) => "—",
                    (Rule::None, _, true) => "—",
                    (_, true, false) => "通过",
                    (_, false, false) => "未通过",
                    (_, true, true) => "passed",
                    (_, false, true) => "failed",
                },
            }
        })
        .collect();
    let zone_failures = if v.rule == Rule::None {
        Vec::new()
    } else {
        v.failing_zones().into_iter().filter_map(|z| zone_failure(z, v.matter, en)).collect()
    };
    let zone_rule_text = match (v.zones.is_empty(), v.zone_rule, en) {
        (true, _, _) => None,
        (false, Some(crate::content::vote::ZoneRule::Every), false) => {
            Some("按区计票，每个区都要各自通过，有一个区不通过，这项表决就不通过（zone_rule: every）。")
        }
        (false, Some(crate::content::vote::ZoneRule::Every), true) => {
            Some("Counted per zone: every zone must pass on its own; one failing zone fails the vote.")
        }
        (false, None, false) => Some("按区计票，各区结果只作公布，表决结果按全体计算。"),
        (false, None, true) => Some("Counted per zone: the zones are reported; the result is the whole's."),
    };
    let mut checks = check(&v.participation(), "参与表决的", "Turnout", "", lang);
    checks.extend(check(&v.agreement(), "同意的", "In favour, of those taking part,", "参与表决者中", lang));
    VoteView {
        id: &v.id,
        href: crate::address::vote(&v.id).href().to_string(),
        title: &v.title,
        date: v.date.to_string(),
        issuer: site.issuer_name(&v.issuer),
        result,
        result_text,
        rule_text,
        method: v.method.as_deref(),
        posting: v.posting.map(|p| PostingView { from: p.from.to_string(), to: p.to.to_string(), days: p.days() }),
        scope: v.scope.iter().map(|p| PlaceLink::to(site, p)).collect(),
        summary: v.summary.as_deref(),
        rows,
        zones,
        zone_rule_text,
        zone_failures,
        checks: if v.rule == Rule::None { Vec::new() } else { checks },
        code: v.code.as_str(),
        revisions: &v.revisions,
        data_json: crate::address::vote_data(&v.id),
        draft: v.draft,
    }
}

/// `/data/votes/<id>.json`.
pub fn vote_json(v: &Vote) -> String {
    let count = |c: Count| json!({"owners": c.owners, "area": c.area.plain()});
    let ratio = |p: i64, w: i64| {
        // Four decimals, rounded half up, from integers.
        let x = if w <= 0 { 0 } else { (i128::from(p) * 20_000 + i128::from(w)) / (2 * i128::from(w)) };
        format!("{}.{:04}", x / 10_000, x % 10_000)
    };
    let test = |t: &Test| {
        json!({
            "owners_ratio": ratio(t.owners.0, t.owners.1),
            "area_ratio": ratio(t.area.0, t.area.1),
            "threshold": format!("{}/{}", t.threshold.num, t.threshold.den),
            "inclusive": t.threshold.inclusive,
            "met": t.met(),
        })
    };
    let doc = json!({
        "id": v.id,
        "title": v.title,
        "date": v.date.to_string(),
        "rule": match v.rule { Rule::CivilCode278 => "civil-code-278", Rule::None => "none" },
        "matter": v.matter,
        "scope": v.scope.iter().map(|p| p.id()).collect::<Vec<_>>(),
        "eligible": count(v.eligible),
        "participated": count(v.participated),
        "agree": count(v.agree),
        "against": count(v.against),
        "abstain": count(v.abstain),
        "participation": test(&v.participation()),
        "agreement": test(&v.agreement()),
        "zones": v.zones.iter().map(|z| json!({
            "zone": z.name,
            "eligible": count(z.tally.eligible),
            "participated": count(z.tally.participated),
            "agree": count(z.tally.agree),
            "against": count(z.tally.against),
            "abstain": count(z.tally.abstain),
            "participation": test(&z.tally.participation()),
            "agreement": test(&z.tally.agreement(v.matter)),
            "result": (v.rule != Rule::None).then(|| if z.tally.passes(v.matter) { "passed" } else { "failed" }),
        })).collect::<Vec<_>>(),
        "zone_rule": v.zone_rule,
        "result": v.verdict().map(|r| match r { Verdict::Passed => "passed", Verdict::Failed => "failed" }),
        "code": v.code.as_str(),
    });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}
