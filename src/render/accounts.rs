//! Views, chart and open data of the accounts (晒账目). Every figure comes from [`Ledger`]'s
//! exact sums; the page, the JSON and the CSV are made from the same numbers.

use super::escape::csv_cell as csv_field;
use crate::content::ledger::{Ledger, Line, Side};
use crate::content::Content;
use crate::money::Fen;
use crate::site::Site;
use serde::Serialize;
use serde_json::json;
use std::fmt::Write as _;

/// The funds overview, each fund's history, each statement (which prints as its sheet) and
/// their open data.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, x: &'a super::Shared<'a>, plan: &mut super::Plan<'a>) {
    use super::Shows;
    use crate::address;
    let content = r.content;
    let site = &content.site;
    plan.page(address::accounts(), Shows::Other, move |at| {
        let mut ctx = r.base(at, r.theme.t("accounts"));
        ctx.insert("funds", x.balances);
        ctx.insert("flows", &flows(content));
        r.page(at, "accounts.html", &ctx)
    });
    for f in &site.funds {
        plan.page(address::fund(&f.id), Shows::Other, move |at| {
            let fund = x.balances.iter().find(|b| b.href == at.href());
            let mut ctx = r.base(at, &f.name);
            ctx.insert("fund", &fund);
            ctx.insert(
                "flows",
                &flows(content).into_iter().filter(|fl| fl.from_href == at.href() || fl.to_href == at.href()).collect::<Vec<_>>(),
            );
            let title = format!("{} {}", f.name, r.theme.t("balance_over_time"));
            ctx.insert("chart", &balance_chart(&fund_ledgers(content, &f.id), &title));
            r.page(at, "fund.html", &ctx)
        });
    }
    for l in &content.ledgers {
        plan.page(address::statement(&l.fund, &l.period.key), Shows::Other, move |at| {
            let title = crate::kind::Item::title(l, site);
            let mut ctx = r.item(at, "kind_statement", &title, l.code.as_str());
            ctx.insert("s", &statement(l, site));
            r.page(at, "statement.html", &ctx)
        });
        plan.file(
            address::statement_data(&l.fund, &l.period.key, "json"),
            Shows::Other,
            move || Ok(ledger_json(l, &r.content.site).into()),
        );
        plan.file(address::statement_data(&l.fund, &l.period.key, "csv"), Shows::Other, move || Ok(ledger_csv(l).into()));
    }
    plan.file(address::ALL_ACCOUNTS_CSV.into(), Shows::Other, move || Ok(all_csv(&content.ledgers).into()));
}

/// A fund's latest balance, for the home and building pages and `/a/`.
#[derive(Serialize)]
pub struct FundBalance {
    /// `a/public-income/`.
    pub href: String,
    /// `公共收益`.
    pub name: String,
    /// `¥1,017,316.38`, or empty when the fund has no ledger yet.
    pub balance: String,
    /// `2026年第三季度`.
    pub as_of: String,
    /// The periods, newest first.
    pub periods: Vec<PeriodRow>,
}

/// One period of a fund, as a table row.
#[derive(Serialize)]
pub struct PeriodRow {
    /// `a/public-income/2026-Q3/`.
    pub href: String,
    /// `2026-Q3`.
    pub key: String,
    /// `2026年第三季度`.
    pub label: String,
    /// Displayed amounts.
    pub opening: String,
    /// Σ income.
    pub income: String,
    /// Σ expense.
    pub expense: String,
    /// Closing balance.
    pub closing: String,
    /// Σ transfers in from the community's other funds, when there are any.
    pub transfers_in: Option<String>,
    /// Σ transfers out to them.
    pub transfers_out: Option<String>,
}

/// The ledgers of `fund`, oldest first.
pub fn fund_ledgers<'a>(content: &'a Content, fund: &str) -> Vec<&'a Ledger> {
    content.ledgers.iter().filter(|l| l.fund == fund).collect()
}

fn row(l: &Ledger) -> PeriodRow {
    PeriodRow {
        href: crate::address::statement(&l.fund, &l.period.key).href().to_string(),
        key: l.period.key.clone(),
        label: l.period.label_zh(),
        opening: l.opening.yuan(),
        income: l.income_total().yuan(),
        expense: l.expense_total().yuan(),
        closing: l.closing().yuan(),
        transfers_in: nonzero(l.transfer_total(Side::Income)),
        transfers_out: nonzero(l.transfer_total(Side::Expense)),
    }
}

/// Money moved from one of the community's funds to another, over time (公共收益 topping up the
/// 维修资金 is the usual case): one flow per pair of funds, its transfers oldest first.
#[derive(Serialize)]
pub struct Flow {
    from: String,
    to: String,
    from_href: String,
    to_href: String,
    total: String,
    rows: Vec<FlowRow>,
}

/// One transfer of a [`Flow`], with the running total.
#[derive(Serialize)]
struct FlowRow {
    date: String,
    amount: String,
    cumulative: String,
    voucher: Option<String>,
    note: Option<String>,
    statement: String,
    period: String,
}

/// Every flow between funds, from the expense side of the transfers (each is matched by an
/// income on the other side, §1.3).
pub fn flows(content: &Content) -> Vec<Flow> {
    let site = &content.site;
    let mut by_pair: indexmap::IndexMap<(String, String), Vec<(&Ledger, &Line)>> = indexmap::IndexMap::new();
    for l in &content.ledgers {
        for x in l.expense.iter().filter(|x| x.transfer.is_some()) {
            by_pair.entry((l.fund.clone(), x.transfer.clone().unwrap_or_default())).or_default().push((l, x));
        }
    }
    by_pair
        .into_iter()
        .map(|((from, to), mut lines)| {
            lines.sort_by_key(|(_, x)| x.date);
            let mut sum = Fen(0);
            let rows = lines
                .iter()
                .map(|(l, x)| {
                    sum = sum + x.amount;
                    FlowRow {
                        date: x.date.to_string(),
                        amount: x.amount.yuan(),
                        cumulative: sum.yuan(),
                        voucher: x.voucher.clone(),
                        note: x.note.clone(),
                        statement: crate::address::statement(&l.fund, &l.period.key).href().to_string(),
                        period: l.period.label_zh(),
                    }
                })
                .collect();
            Flow {
                from_href: crate::address::fund(&from).href().to_string(),
                to_href: crate::address::fund(&to).href().to_string(),
                from: site.fund_name(&from).to_string(),
                to: site.fund_name(&to).to_string(),
                total: sum.yuan(),
                rows,
            }
        })
        .collect()
}

/// Every fund with its latest balance.
pub fn balances(content: &Content) -> Vec<FundBalance> {
    content
        .site
        .funds
        .iter()
        .map(|f| {
            let ledgers = fund_ledgers(content, &f.id);
            let latest = ledgers.last();
            FundBalance {
                href: crate::address::fund(&f.id).href().to_string(),
                name: f.name.clone(),
                balance: latest.map(|l| l.closing().yuan()).unwrap_or_default(),
                as_of: latest.map(|l| l.period.label_zh()).unwrap_or_default(),
                periods: ledgers.iter().rev().map(|l| row(l)).collect(),
            }
        })
        .collect()
}

/// A line of a statement.
#[derive(Serialize)]
pub struct LineView<'a> {
    date: String,
    category: &'a str,
    amount: String,
    counterparty: Option<&'a str>,
    voucher: Option<&'a str>,
    note: Option<&'a str>,
    approval: Option<&'a str>,
    attachment: Option<&'a str>,
    /// The other fund of a transfer between the community's own funds, by name.
    transfer: Option<&'a str>,
    transfer_href: Option<String>,
}

/// A category total, or a budget line.
#[derive(Serialize)]
pub struct CategoryRow {
    category: String,
    amount: String,
    budget: Option<String>,
    remaining: Option<String>,
    used_percent: Option<String>,
    over: bool,
}

/// Everything a statement page shows.
#[derive(Serialize)]
pub struct StatementView<'a> {
    fund_name: &'a str,
    fund_href: String,
    href: String,
    period: &'a str,
    label: String,
    issuer: &'a str,
    approved: Option<&'a str>,
    summary: Option<&'a str>,
    opening: String,
    income_total: String,
    expense_total: String,
    closing: String,
    income_daxie: String,
    expense_daxie: String,
    closing_daxie: String,
    income_by_category: Vec<CategoryRow>,
    expense_by_category: Vec<CategoryRow>,
    has_budget: bool,
    income: Vec<LineView<'a>>,
    expense: Vec<LineView<'a>>,
    /// Σ transfers in from the community's other funds, when there are any.
    transfers_in: Option<String>,
    /// Σ transfers out to them.
    transfers_out: Option<String>,
    /// Σ expense that left the community (without transfers).
    spent_outside: String,
    /// Σ income from outside the community's funds.
    received_outside: String,
    code: &'a str,
    revisions: &'a [crate::content::Revision],
    data_json: String,
    data_csv: String,
}

fn line_view<'a>(l: &'a Line, site: &'a Site) -> LineView<'a> {
    LineView {
        transfer: l.transfer.as_deref().map(|t| site.fund_name(t)),
        transfer_href: l.transfer.as_deref().map(|t| crate::address::fund(t).href().to_string()),
        date: l.date.to_string(),
        category: &l.category,
        amount: l.amount.yuan(),
        counterparty: l.counterparty.as_deref(),
        voucher: l.voucher.as_deref(),
        note: l.note.as_deref(),
        approval: l.approval.as_deref(),
        attachment: l.attachment.as_deref(),
    }
}

/// The statement of one ledger.
pub fn statement<'a>(l: &'a Ledger, site: &'a Site) -> StatementView<'a> {
    let fund_name = site.fund_name(&l.fund);
    let income_by_category = l
        .by_category(Side::Income)
        .into_iter()
        .map(|(category, amount)| CategoryRow {
            category,
            amount: amount.yuan(),
            budget: None,
            remaining: None,
            used_percent: None,
            over: false,
        })
        .collect();
    let spent = l.by_category(Side::Expense);
    let mut cats: Vec<String> = spent.keys().cloned().collect();
    cats.extend(l.budget.keys().filter(|k| !spent.contains_key(*k)).cloned());
    let expense_by_category = cats
        .into_iter()
        .map(|category| {
            let amount = spent.get(&category).copied().unwrap_or_default();
            let budget = l.budget.get(&category).copied();
            CategoryRow {
                amount: amount.yuan(),
                budget: budget.map(Fen::yuan),
                remaining: budget.map(|b| (b - amount).yuan()),
                // Integer arithmetic: per mille, shown with one decimal.
                used_percent: budget.filter(|b| b.0 > 0).map(|b| {
                    let pm = (amount.0 as i128 * 1000 + b.0 as i128 / 2) / b.0 as i128;
                    format!("{}.{}%", pm / 10, pm % 10)
                }),
                over: budget.is_some_and(|b| amount > b),
                category,
            }
        })
        .collect();
    StatementView {
        fund_name,
        fund_href: crate::address::fund(&l.fund).href().to_string(),
        href: crate::address::statement(&l.fund, &l.period.key).href().to_string(),
        period: &l.period.key,
        label: l.period.label_zh(),
        issuer: site.issuer_name(&l.issuer),
        approved: l.approved.as_deref(),
        summary: l.summary.as_deref(),
        opening: l.opening.yuan(),
        income_total: l.income_total().yuan(),
        expense_total: l.expense_total().yuan(),
        closing: l.closing().yuan(),
        income_daxie: l.income_total().daxie(),
        expense_daxie: l.expense_total().daxie(),
        closing_daxie: l.closing().daxie(),
        income_by_category,
        expense_by_category,
        has_budget: !l.budget.is_empty(),
        income: l.income.iter().map(|x| line_view(x, site)).collect(),
        expense: l.expense.iter().map(|x| line_view(x, site)).collect(),
        transfers_in: nonzero(l.transfer_total(Side::Income)),
        transfers_out: nonzero(l.transfer_total(Side::Expense)),
        spent_outside: (l.expense_total() - l.transfer_total(Side::Expense)).yuan(),
        received_outside: (l.income_total() - l.transfer_total(Side::Income)).yuan(),
        code: l.code.as_str(),
        revisions: &l.revisions,
        data_json: crate::address::statement_data(&l.fund, &l.period.key, "json"),
        data_csv: crate::address::statement_data(&l.fund, &l.period.key, "csv"),
    }
}

fn nonzero(f: Fen) -> Option<String> {
    (f.0 != 0).then(|| f.yuan())
}

/// Balance over time: the closing balance of each period, a row each (see [`super::chart`]).
pub fn balance_chart(ledgers: &[&Ledger], title: &str) -> String {
    let rows: Vec<super::chart::Row<'_>> = ledgers
        .iter()
        .map(|l| super::chart::Row {
            label: l.period.label_zh(),
            parts: vec![(l.closing().0.max(0) as u64, "balance")],
            figure: short_yuan(l.closing()),
        })
        .collect();
    super::chart::bars(title, &rows, &[])
}

/// `101.7万` for chart labels.
fn short_yuan(f: Fen) -> String {
    let wan_tenths = f.0 / 100_000; // fen → 0.1 万元
    if wan_tenths.abs() >= 10 {
        format!("{}.{}万", wan_tenths / 10, (wan_tenths % 10).abs())
    } else {
        f.yuan()
    }
}

/// `/data/accounts/<fund>/<period>.json`.
pub fn ledger_json(l: &Ledger, site: &crate::site::Site) -> String {
    let cat = |side| -> serde_json::Map<String, serde_json::Value> {
        l.by_category(side).into_iter().map(|(k, v)| (k, json!(v.plain()))).collect()
    };
    let lines: Vec<serde_json::Value> = [Side::Income, Side::Expense]
        .into_iter()
        .flat_map(|side| l.lines(side).iter().map(move |x| (side, x)))
        .map(|(side, x)| {
            json!({
                "kind": side, "date": x.date.to_string(), "category": x.category, "amount": x.amount.plain(),
                "counterparty": x.counterparty, "voucher": x.voucher, "note": x.note,
                "approval": x.approval, "attachment": x.attachment, "transfer": x.transfer,
            })
        })
        .collect();
    let budget: serde_json::Map<String, serde_json::Value> = l.budget.iter().map(|(k, v)| (k.clone(), json!(v.plain()))).collect();
    let v = json!({
        "fund": l.fund,
        "period": l.period.key,
        "period_start": l.period.start.to_string(),
        "period_end": l.period.end.to_string(),
        "issuer": site.issuer_name(&l.issuer),
        "issuer_key": l.issuer,
        "approved": l.approved,
        "summary": l.summary,
        "opening_balance": l.opening.plain(),
        "income_total": l.income_total().plain(),
        "expense_total": l.expense_total().plain(),
        "closing_balance": l.closing().plain(),
        "transfers": {"in": l.transfer_total(Side::Income).plain(), "out": l.transfer_total(Side::Expense).plain()},
        "by_category": {"income": cat(Side::Income), "expense": cat(Side::Expense)},
        "budget": budget,
        "code": l.code.as_str(),
        "lines": lines,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// CSV header of account lines.
const CSV_HEADER: &str = "fund,period,kind,date,category,amount,counterparty,voucher,note,approval,attachment,transfer\r\n";

fn csv_rows(l: &Ledger, out: &mut String) {
    for side in [Side::Income, Side::Expense] {
        let kind = if side == Side::Income { "income" } else { "expense" };
        for x in l.lines(side) {
            let o = |v: &Option<String>| csv_field(v.as_deref().unwrap_or(""));
            let _ = write!(
                out,
                "{},{},{kind},{},{},{},{},{},{},{},{},{}\r\n",
                csv_field(&l.fund),
                l.period.key,
                x.date,
                csv_field(&x.category),
                x.amount.plain(),
                o(&x.counterparty),
                o(&x.voucher),
                o(&x.note),
                o(&x.approval),
                o(&x.attachment),
                o(&x.transfer)
            );
        }
    }
}

/// One statement's lines as CSV, UTF-8 with BOM so that Excel shows Chinese.
pub fn ledger_csv(l: &Ledger) -> String {
    let mut out = format!("\u{feff}{CSV_HEADER}");
    csv_rows(l, &mut out);
    out
}

/// Every line of every statement.
pub fn all_csv(ledgers: &[Ledger]) -> String {
    let mut out = format!("\u{feff}{CSV_HEADER}");
    for l in ledgers {
        csv_rows(l, &mut out);
    }
    out
}
