//! Donation registers (捐款 / 众筹): raised, spent and the balance first, with the progress
//! towards the target; then every gift (a private donor as 匿名) and every spending line; the
//! register's JSON and a CSV with one row per gift and one per spending line.

use super::escape::csv_cell;
use super::views::PlaceLink;
use crate::content::donation::Donation;
use crate::content::vote::percent;
use crate::diagnostics::Lang;
use crate::site::Site;
use serde::Serialize;
use serde_json::json;
use std::fmt::Write as _;

/// Each register's page (which prints as its sheet) and its open data.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, x: &'a super::Shared<'a>, plan: &mut super::Plan<'a>) {
    for (view, d) in x.donations.iter().zip(&r.content.donations) {
        plan.page(crate::address::donation(&d.id), super::Shows::Other, move |at| {
            let mut ctx = r.item(at, "kind_donation", &d.title, d.code.as_str());
            ctx.insert("d", view);
            r.page(at, "donation.html", &ctx)
        });
        plan.file(crate::address::donation_data(&d.id, "json"), super::Shows::Other, move || Ok(donation_json(d, &r.opts.base_url).into()));
        plan.file(crate::address::donation_data(&d.id, "csv"), super::Shows::Other, move || Ok(donation_csv(d).into()));
    }
}

/// A register as listed (home and entrance pages) and shown.
#[derive(Serialize)]
pub struct DonationView<'a> {
    /// `d/<id>/`.
    pub href: String,
    /// Title.
    pub title: &'a str,
    issuer: &'a str,
    date: String,
    purpose: &'a str,
    scope: Vec<PlaceLink>,
    summary: Option<&'a str>,
    /// Raised, spent and the balance in one sentence.
    pub status: String,
    raised: String,
    raised_daxie: String,
    spent: String,
    balance: String,
    target: Option<String>,
    /// Percent of the target raised, as shown (`87.5%`).
    progress: Option<String>,
    /// The same, for the width of the bar (0–100).
    progress_bar: u32,
    gift_count: usize,
    anonymous_count: usize,
    gifts: Vec<GiftView<'a>>,
    spending: Vec<SpendingView<'a>>,
    code: &'a str,
    revisions: &'a [crate::content::Revision],
    data_json: String,
    data_csv: String,
    draft: bool,
}

#[derive(Serialize)]
struct GiftView<'a> {
    date: String,
    donor: &'a str,
    anonymous: bool,
    organisation: bool,
    amount: String,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct SpendingView<'a> {
    date: String,
    amount: String,
    counterparty: &'a str,
    voucher: Option<&'a str>,
    note: Option<&'a str>,
}

/// How an anonymous gift is shown.
fn anonymous(lang: Lang) -> &'static str {
    if lang == Lang::En {
        "Anonymous"
    } else {
        "匿名"
    }
}

/// "已筹 ¥201,300.00，是目标 ¥230,000.00 的 87.5%；已用 ¥118,000.00，结余 ¥83,300.00。"
fn status(d: &Donation, lang: Lang) -> String {
    let (raised, spent, balance) = (d.raised().yuan(), d.spent().yuan(), d.balance().yuan());
    let n = d.gifts.len();
    match (lang, d.target.filter(|t| t.0 > 0)) {
        (Lang::En, Some(t)) => format!(
            "Raised {raised} from {n} gifts, {} of the {} sought; spent {spent}; balance {balance}.",
            percent(d.raised().0, t.0),
            t.yuan()
        ),
        (Lang::En, None) => format!("Raised {raised} from {n} gifts; spent {spent}; balance {balance}."),
        (_, Some(t)) => {
            format!("已收到 {n} 笔捐款共 {raised}，达到目标 {} 的 {}；已用 {spent}，结余 {balance}。", t.yuan(), percent(d.raised().0, t.0))
        }
        (_, None) => format!("已收到 {n} 笔捐款共 {raised}；已用 {spent}，结余 {balance}。"),
    }
}

/// The view of one register.
pub fn donation_view<'a>(d: &'a Donation, site: &'a Site) -> DonationView<'a> {
    let lang = site.lang;
    let progress =
        d.target.filter(|t| t.0 > 0).map(|t| (percent(d.raised().0, t.0), (i128::from(d.raised().0) * 100 / i128::from(t.0)).min(100)));
    DonationView {
        href: crate::address::donation(&d.id).href().to_string(),
        title: &d.title,
        issuer: site.issuer_name(&d.issuer),
        date: d.date.to_string(),
        purpose: &d.purpose,
        scope: d.scope.iter().map(|p| PlaceLink::to(site, p)).collect(),
        summary: d.summary.as_deref(),
        status: status(d, lang),
        raised: d.raised().yuan(),
        raised_daxie: d.raised().daxie(),
        spent: d.spent().yuan(),
        balance: d.balance().yuan(),
        target: d.target.map(|t| t.yuan()),
        progress_bar: progress.as_ref().map_or(0, |p| u32::try_from(p.1).unwrap_or(0)),
        progress: progress.map(|p| p.0),
        gift_count: d.gifts.len(),
        anonymous_count: d.gifts.iter().filter(|g| g.shown.is_none()).count(),
        gifts: d
            .gifts
            .iter()
            .map(|g| GiftView {
                date: g.date.to_string(),
                donor: g.shown.as_deref().unwrap_or(anonymous(lang)),
                anonymous: g.shown.is_none(),
                organisation: g.organisation,
                amount: g.amount.yuan(),
                note: g.note.as_deref(),
            })
            .collect(),
        spending: d
            .spending
            .iter()
            .map(|s| SpendingView {
                date: s.date.to_string(),
                amount: s.amount.yuan(),
                counterparty: &s.counterparty,
                voucher: s.voucher.as_deref(),
                note: s.note.as_deref(),
            })
            .collect(),
        code: d.code.as_str(),
        revisions: &d.revisions,
        data_json: crate::address::donation_data(&d.id, "json"),
        data_csv: crate::address::donation_data(&d.id, "csv"),
        draft: d.draft,
    }
}

/// The registers that concern `place` specifically.
pub fn for_place<'v, 'a>(views: &'v [DonationView<'a>], donations: &[Donation], place: &crate::site::Place) -> Vec<&'v DonationView<'a>> {
    views.iter().zip(donations).filter(|(_, d)| !d.scope.is_empty() && d.concerns(place)).map(|(v, _)| v).collect()
}

/// `/data/donations/<id>.json`: a private donor is `null` with `anonymous: true`.
pub fn donation_json(d: &Donation, base_url: &str) -> String {
    let v = json!({
        "id": d.id,
        "url": crate::address::donation(&d.id).url(base_url),
        "title": d.title,
        "issuer": d.issuer,
        "date": d.date.to_string(),
        "purpose": d.purpose,
        "scope": d.scope.iter().map(|p| p.id()).collect::<Vec<_>>(),
        "target": d.target.map(|t| t.plain()),
        "raised": d.raised().plain(),
        "spent": d.spent().plain(),
        "balance": d.balance().plain(),
        "gifts": d.gifts.iter().map(|g| json!({
            "date": g.date.to_string(), "donor": g.shown, "anonymous": g.shown.is_none(),
            "organisation": g.organisation, "amount": g.amount.plain(), "note": g.note,
        })).collect::<Vec<_>>(),
        "spending": d.spending.iter().map(|s| json!({
            "date": s.date.to_string(), "amount": s.amount.plain(), "counterparty": s.counterparty,
            "voucher": s.voucher, "note": s.note,
        })).collect::<Vec<_>>(),
        "code": d.code.as_str(),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// `/data/donations/<id>.csv`: one row per gift, then one per spending line; UTF-8 with BOM.
pub fn donation_csv(d: &Donation) -> String {
    let mut out = String::from("\u{feff}register,kind,date,donor,organisation,amount,counterparty,voucher,note\r\n");
    for g in &d.gifts {
        let _ = write!(
            out,
            "{},gift,{},{},{},{},,,{}\r\n",
            csv_cell(&d.id),
            g.date,
            csv_cell(g.shown.as_deref().unwrap_or("匿名")),
            g.organisation,
            g.amount.plain(),
            csv_cell(g.note.as_deref().unwrap_or(""))
        );
    }
    for s in &d.spending {
        let _ = write!(
            out,
            "{},spending,{},,,{},{},{},{}\r\n",
            csv_cell(&d.id),
            s.date,
            s.amount.plain(),
            csv_cell(&s.counterparty),
            csv_cell(s.voucher.as_deref().unwrap_or("")),
            csv_cell(s.note.as_deref().unwrap_or(""))
        );
    }
    out
}

/// The registers of the site as views, in the content's order.
pub fn views<'a>(donations: &'a [Donation], site: &'a Site) -> Vec<DonationView<'a>> {
    donations.iter().map(|d| donation_view(d, site)).collect()
}
