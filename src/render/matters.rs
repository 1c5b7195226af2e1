//! Views and open data of matters (事项): where the matter stands in one sentence, then its
//! timeline, the quotes side by side, the funding, each group of households' share with the
//! rule beside it, and what has been spent from the vouchers of the funded ledgers.

use super::escape::csv_cell;
use super::views::{date_text, PlaceLink};
use crate::content::matter::{Matter, Method, Stage};
use crate::content::vote::percent;
use crate::content::Content;
use crate::diagnostics::Lang;
use crate::money::Fen;
use crate::site::Site;
use serde::Serialize;
use serde_json::json;
use std::fmt::Write as _;

/// Each matter's page (which prints as its sheet) and its open data.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, x: &'a super::Shared<'a>, plan: &mut super::Plan<'a>) {
    for (view, m) in x.matters.iter().zip(&r.content.matters) {
        plan.page(crate::address::matter(&m.id), super::Shows::Other, move |at| {
            let mut ctx = r.item(at, "kind_matter", &m.title, m.code.as_str());
            ctx.insert("m", view);
            r.page(at, "matter.html", &ctx)
        });
        plan.file(crate::address::matter_data(&m.id, "json"), super::Shows::Other, move || Ok(matter_json(m, &r.opts.base_url).into()));
        if m.allocation.is_some() {
            plan.file(crate::address::matter_data(&m.id, "csv"), super::Shows::Other, move || Ok(allocation_csv(m).into()));
        }
    }
}

/// A matter as listed (home and entrance pages) and shown.
#[derive(Serialize)]
pub struct MatterView<'a> {
    /// `m/<id>/`.
    pub href: String,
    /// Title.
    pub title: &'a str,
    issuer: &'a str,
    scope: Vec<PlaceLink>,
    summary: Option<&'a str>,
    /// Where it stands, in one sentence.
    pub status: String,
    stage: &'static str,
    /// Settled or cancelled.
    pub done: bool,
    updated: String,
    stages: Vec<StageView<'a>>,
    quotes: Vec<QuoteView<'a>>,
    cost: Option<String>,
    cost_daxie: Option<String>,
    funding: Vec<FundingView<'a>>,
    allocation: Option<AllocationView<'a>>,
    spent: Vec<SpentView<'a>>,
    spent_total: String,
    spent_percent: Option<String>,
    notices: Vec<Linked>,
    code: &'a str,
    revisions: &'a [crate::content::Revision],
    data_json: String,
    data_csv: Option<String>,
    draft: bool,
}

#[derive(Serialize)]
struct StageView<'a> {
    name: &'static str,
    date: String,
    note: Option<&'a str>,
    vote: Option<Linked>,
    current: bool,
}

/// A linked item: its page and title (and a vote's result).
#[derive(Serialize)]
struct Linked {
    href: String,
    title: String,
    result: Option<&'static str>,
    result_text: Option<&'static str>,
}

#[derive(Serialize)]
struct QuoteView<'a> {
    vendor: &'a str,
    amount: String,
    warranty: Option<&'a str>,
    note: Option<&'a str>,
    chosen: bool,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct FundingView<'a> {
    source: &'a str,
    amount: String,
    share: Option<String>,
    basis: Option<&'a str>,
    fund: Option<&'a str>,
    fund_href: Option<String>,
}

#[derive(Serialize)]
struct AllocationView<'a> {
    funding: &'a str,
    amount: String,
    method: &'static str,
    basis: &'a str,
    rule: String,
    groups: Vec<GroupView<'a>>,
    households: u32,
    area: Option<String>,
    any_rounded: bool,
    by_area: bool,
    by_weight: bool,
}

#[derive(Serialize)]
struct GroupView<'a> {
    name: &'a str,
    households: u32,
    area: Option<String>,
    weight: Option<String>,
    share: String,
    per_household: String,
    per_m2: Option<String>,
    rounded_up: bool,
}

#[derive(Serialize)]
struct SpentView<'a> {
    voucher: &'a str,
    date: String,
    amount: String,
    counterparty: Option<&'a str>,
    note: Option<&'a str>,
    fund: &'a str,
    statement: String,
}

/// `a / b` in fen, rounded half up, and whether it was exact.
fn divide(a: i64, b: i64) -> (Fen, bool) {
    if b <= 0 {
        return (Fen(0), true);
    }
    let (a, b) = (i128::from(a), i128::from(b));
    (Fen(((2 * a + b) / (2 * b)) as i64), a % b == 0)
}

/// The sentence that says where a matter stands.
fn status(m: &Matter, content: &Content, lang: Lang) -> String {
    let en = lang == Lang::En;
    let vote_result =
        m.stages.last().and_then(|s| s.vote.as_deref()).and_then(|v| content.votes.iter().find(|x| x.id == v)).and_then(|v| v.verdict());
    use crate::content::vote::Verdict;
    let stage = match (m.stage(), en) {
        (Stage::Proposed, false) => "已提出，正在准备方案".to_string(),
        (Stage::Consulted, false) => "已征求业主意见，尚未表决".to_string(),
        (Stage::Voted, false) => match vote_result {
            Some(Verdict::Passed) => "业主表决已通过，尚未签约".to_string(),
            Some(Verdict::Failed) => "业主表决未通过".to_string(),
            None => "已表决，尚未签约".to_string(),
        },
        (Stage::Contracted, false) => "已签约，尚未开工".to_string(),
        (Stage::Works, false) => "已签约，施工中".to_string(),
        (Stage::Accepted, false) => "已验收，待结算".to_string(),
        (Stage::Settled, false) => "已结算，事项完成".to_string(),
        (Stage::Cancelled, false) => "已终止".to_string(),
        (s, true) => {
            let mut t = s.en().to_string();
            if let Some(c) = t.get_mut(0..1) {
                c.make_ascii_uppercase();
            }
            t
        }
    };
    let spent = m.spent_total();
    let money = match (m.cost, en) {
        (Some(c), false) if c.0 > 0 => format!("；已支出 {}，占费用 {} 的 {}", spent.yuan(), c.yuan(), percent(spent.0, c.0)),
        (Some(c), true) if c.0 > 0 => format!("; spent so far {}, {} of the cost of {}", spent.yuan(), percent(spent.0, c.0), c.yuan()),
        (_, false) if spent.0 > 0 => format!("；已支出 {}", spent.yuan()),
        (_, true) if spent.0 > 0 => format!("; spent so far {}", spent.yuan()),
        _ => String::new(),
    };
    format!("{stage}{money}{}", if en { "." } else { "。" })
}

/// The view of one matter.
pub fn matter_view<'a>(m: &'a Matter, content: &'a Content) -> MatterView<'a> {
    let site = &content.site;
    let lang = site.lang;
    let en = lang == Lang::En;
    let last = m.stages.len().saturating_sub(1);
    let stages = m
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| StageView {
            name: if en { s.stage.en() } else { s.stage.zh() },
            date: s.date.to_string(),
            note: s.note.as_deref(),
            vote: s.vote.as_deref().and_then(|v| content.votes.iter().find(|x| x.id == v)).map(|v| {
                let (result, result_text) = vote_result(v, en);
                Linked {
                    href: crate::address::vote(&v.id).href().to_string(),
                    title: v.title.clone(),
                    result: Some(result),
                    result_text: Some(result_text),
                }
            }),
            current: i == last,
        })
        .collect();
    let funding = m
        .funding
        .iter()
        .map(|f| FundingView {
            source: &f.source,
            amount: f.amount.yuan(),
            share: m.cost.filter(|c| c.0 > 0).map(|c| percent(f.amount.0, c.0)),
            basis: f.basis.as_deref(),
            fund: f.fund.as_deref().map(|id| site.fund_name(id)),
            fund_href: f.fund.as_deref().map(|id| crate::address::fund(id).href().to_string()),
        })
        .collect();
    let allocation = m.allocation.as_ref().map(|a| {
        let households: u32 = a.groups.iter().map(|g| g.households).sum();
        let area: i64 = a.groups.iter().filter_map(|g| g.area).map(|x| x.0).sum();
        let area_text = (a.method == Method::Area).then(|| crate::content::vote::Area(area).plain());
        let amt = a.amount.yuan();
        let rule = match (a.method, en) {
            (Method::Area, false) => {
                format!("按面积分摊：每组金额 = {amt} × 本组面积 ÷ 总面积 {} 平方米。", area_text.clone().unwrap_or_default())
            }
            (Method::Equal, false) => format!("按户平均分摊：每户金额 = {amt} ÷ {households} 户。"),
            (Method::Weights, false) => {
                format!("按系数分摊：每组金额 = {amt} × 本组户数 × 每户系数 ÷ 全部住户的系数合计。系数为 0 的住户不分摊。")
            }
            (Method::Area, true) => {
                format!("By area: each group pays {amt} × its area ÷ the total area of {} m².", area_text.clone().unwrap_or_default())
            }
            (Method::Equal, true) => format!("Equally: each household pays {amt} ÷ {households}."),
            (Method::Weights, true) => {
                format!("By weight: each group pays {amt} × its households × their weight ÷ the sum of all weights.")
            }
        };
        AllocationView {
            funding: &a.funding,
            amount: amt,
            method: match (a.method, en) {
                (Method::Area, false) => "按面积",
                (Method::Equal, false) => "按户平均",
                (Method::Weights, false) => "按系数",
                (Method::Area, true) => "by area",
                (Method::Equal, true) => "equally",
                (Method::Weights, true) => "by weight",
            },
            basis: &a.basis,
            rule,
            groups: a
                .groups
                .iter()
                .map(|g| {
                    let (per, exact) = divide(g.share.0, i64::from(g.households));
                    let about = if exact {
                        ""
                    } else if en {
                        "about "
                    } else {
                        "约 "
                    };
                    GroupView {
                        name: &g.name,
                        households: g.households,
                        area: g.area.map(|x| x.plain()),
                        weight: g.weight.map(|w| w.plain()),
                        share: g.share.yuan(),
                        per_household: format!("{about}{}", per.yuan()),
                        // fen per m² = share (fen) × 100 ÷ area (hundredths of m²).
                        per_m2: g.area.filter(|x| x.0 > 0).map(|x| {
                            let (p, exact) = divide(g.share.0 * 100, x.0);
                            format!(
                                "{}{}",
                                if exact {
                                    ""
                                } else if en {
                                    "about "
                                } else {
                                    "约 "
                                },
                                p.yuan()
                            )
                        }),
                        rounded_up: g.rounded_up,
                    }
                })
                .collect(),
            households,
            area: area_text,
            any_rounded: a.groups.iter().any(|g| g.rounded_up),
            by_area: a.method == Method::Area,
            by_weight: a.method == Method::Weights,
        }
    });
    let spent_total = m.spent_total();
    MatterView {
        href: crate::address::matter(&m.id).href().to_string(),
        title: &m.title,
        issuer: site.issuer_name(&m.issuer),
        scope: m.scope.iter().map(|p| PlaceLink::to(site, p)).collect(),
        summary: m.summary.as_deref(),
        status: status(m, content, lang),
        stage: m.stage().key(),
        done: m.stage().is_final(),
        updated: m.updated().to_string(),
        stages,
        quotes: m
            .quotes
            .iter()
            .map(|q| QuoteView {
                vendor: &q.vendor,
                amount: q.amount.yuan(),
                warranty: q.warranty.as_deref(),
                note: q.note.as_deref(),
                chosen: q.chosen,
                reason: q.reason.as_deref(),
            })
            .collect(),
        cost: m.cost.map(Fen::yuan),
        cost_daxie: m.cost.map(Fen::daxie),
        funding,
        allocation,
        spent: m
            .spent
            .iter()
            .map(|s| SpentView {
                voucher: &s.voucher,
                date: s.date.to_string(),
                amount: s.amount.yuan(),
                counterparty: s.counterparty.as_deref(),
                note: s.note.as_deref(),
                fund: site.fund_name(&s.fund),
                statement: crate::address::statement(&s.fund, &s.period).href().to_string(),
            })
            .collect(),
        spent_total: spent_total.yuan(),
        spent_percent: m.cost.filter(|c| c.0 > 0).map(|c| percent(spent_total.0, c.0)),
        notices: m
            .notices
            .iter()
            .filter_map(|id| content.notices.iter().find(|n| n.id == *id))
            .map(|n| Linked {
                href: crate::address::notice(&n.id).href().to_string(),
                title: if lang == Lang::En {
                    format!("{} ({})", n.title, date_text(n.date, lang))
                } else {
                    format!("{}（{}）", n.title, date_text(n.date, lang))
                },
                result: None,
                result_text: None,
            })
            .collect(),
        code: m.code.as_str(),
        revisions: &m.revisions,
        data_json: crate::address::matter_data(&m.id, "json"),
        data_csv: m.allocation.as_ref().map(|_| crate::address::matter_data(&m.id, "csv")),
        draft: m.draft,
    }
}

fn vote_result(v: &crate::content::vote::Vote, en: bool) -> (&'static str, &'static str) {
    use crate::content::vote::Verdict;
    match (v.verdict(), en) {
        (Some(Verdict::Passed), false) => ("passed", "通过"),
        (Some(Verdict::Failed), false) => ("failed", "未通过"),
        (None, false) => ("consultation", "征求意见"),
        (Some(Verdict::Passed), true) => ("passed", "passed"),
        (Some(Verdict::Failed), true) => ("failed", "failed"),
        (None, true) => ("consultation", "consultation"),
    }
}

/// The matters that concern `place`, those still under way first.
pub fn for_place<'v, 'a>(views: &'v [MatterView<'a>], matters: &[Matter], place: &crate::site::Place) -> Vec<&'v MatterView<'a>> {
    let mut out: Vec<&MatterView<'a>> =
        views.iter().zip(matters).filter(|(_, m)| !m.scope.is_empty() && m.concerns(place)).map(|(v, _)| v).collect();
    out.sort_by_key(|v| v.done);
    out
}

/// `/data/matters/<id>.json`.
pub fn matter_json(m: &Matter, base_url: &str) -> String {
    let v = json!({
        "id": m.id,
        "url": crate::address::matter(&m.id).url(base_url),
        "title": m.title,
        "issuer": m.issuer,
        "scope": m.scope.iter().map(|p| p.id()).collect::<Vec<_>>(),
        "stage": m.stage().key(),
        "stages": m.stages.iter().map(|s| json!({"stage": s.stage.key(), "date": s.date.to_string(), "note": s.note, "vote": s.vote})).collect::<Vec<_>>(),
        "notices": m.notices,
        "quotes": m.quotes.iter().map(|q| json!({"vendor": q.vendor, "amount": q.amount.plain(), "warranty": q.warranty, "note": q.note, "chosen": q.chosen, "reason": q.reason})).collect::<Vec<_>>(),
        "cost": m.cost.map(Fen::plain),
        "funding": m.funding.iter().map(|f| json!({"source": f.source, "fund": f.fund, "amount": f.amount.plain(), "basis": f.basis})).collect::<Vec<_>>(),
        "allocation": m.allocation.as_ref().map(|a| json!({
            "funding": a.funding,
            "amount": a.amount.plain(),
            "method": a.method,
            "basis": a.basis,
            "rounding": "largest-remainder",
            "groups": a.groups.iter().map(|g| json!({
                "group": g.name, "households": g.households, "area": g.area.map(|x| x.plain()),
                "weight": g.weight.map(|w| w.plain()), "share": g.share.plain(), "rounded_up": g.rounded_up,
            })).collect::<Vec<_>>(),
        })),
        "spending": m.spent.iter().map(|s| json!({"voucher": s.voucher, "fund": s.fund, "period": s.period, "date": s.date.to_string(), "amount": s.amount.plain(), "counterparty": s.counterparty, "note": s.note})).collect::<Vec<_>>(),
        "spent": m.spent_total().plain(),
        "code": m.code.as_str(),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// `/data/matters/<id>-allocation.csv`: one row per group, UTF-8 with BOM for Excel.
pub fn allocation_csv(m: &Matter) -> String {
    let mut out = String::from("\u{feff}matter,funding,method,group,households,area,weight,share,rounded_up\r\n");
    if let Some(a) = &m.allocation {
        let method = match a.method {
            Method::Area => "area",
            Method::Equal => "equal",
            Method::Weights => "weights",
        };
        for g in &a.groups {
            let _ = write!(
                out,
                "{},{},{method},{},{},{},{},{},{}\r\n",
                csv_cell(&m.id),
                csv_cell(&a.funding),
                csv_cell(&g.name),
                g.households,
                g.area.map(|x| x.plain()).unwrap_or_default(),
                g.weight.map(|w| w.plain()).unwrap_or_default(),
                g.share.plain(),
                g.rounded_up
            );
        }
    }
    out
}

/// The matters of `site` as views, in the content's order.
pub fn views<'a>(content: &'a Content, _site: &'a Site) -> Vec<MatterView<'a>> {
    content.matters.iter().map(|m| matter_view(m, content)).collect()
}
