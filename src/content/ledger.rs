//! Accounts (晒账目): `content/accounts/<fund>/<period>.yaml`, one ledger per fund per period.
//! Every rule of a ledger lives here: it reconciles, its lines fall in its period, periods of a
//! fund chain, vouchers are unique, attachments exist inside `content/`.

use super::{check_issuer, check_revisions, Revision};
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::money::Fen;
use crate::msg;
use crate::period::Period;
use crate::site::Site;
use crate::source::{self, field_at, locate_key, Source};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerFile {
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    privacy: super::Privacy,
    issuer: String,
    #[serde(default)]
    approved: Option<String>,
    opening_balance: Fen,
    #[serde(default)]
    income: Vec<Line>,
    #[serde(default)]
    expense: Vec<Line>,
    #[serde(default)]
    closing_balance: Option<Fen>,
    #[serde(default)]
    budget: IndexMap<String, Fen>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

/// The most lines (income and expense) one ledger may have: what a page and a printed
/// statement can show, and what keeps a build's memory bounded whatever the file holds.
pub const MAX_LINES: usize = 5000;

/// One line of income or expense.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Date of the transaction.
    pub date: Date,
    /// Category (停车费, 维修…), for totals and budgets.
    pub category: String,
    /// Amount, positive.
    pub amount: Fen,
    /// Who paid or was paid.
    #[serde(default)]
    pub counterparty: Option<String>,
    /// Voucher number (凭证号), unique within the fund.
    #[serde(default)]
    pub voucher: Option<String>,
    /// Plain-language note.
    #[serde(default)]
    pub note: Option<String>,
    /// Who approved the spending.
    #[serde(default)]
    pub approval: Option<String>,
    /// A scan, relative to `content/` (`static/vouchers/07-009.jpg`).
    #[serde(default)]
    pub attachment: Option<String>,
    /// The community's other fund this money moved to (an expense) or came from (an income):
    /// a transfer, not money that left or entered the community.
    #[serde(default)]
    pub transfer: Option<String>,
}

/// Income or expense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// 收入.
    Income,
    /// 支出.
    Expense,
}

/// A validated ledger.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// Fund id.
    pub fund: String,
    /// Period.
    pub period: Period,
    /// A body key or free text.
    pub issuer: String,
    /// Where and when it was approved.
    pub approved: Option<String>,
    /// Balance on the first day.
    pub opening: Fen,
    /// Income lines.
    pub income: Vec<Line>,
    /// Expense lines.
    pub expense: Vec<Line>,
    /// Budget per expense category.
    pub budget: IndexMap<String, Fen>,
    /// Plain-language explanation.
    pub summary: Option<String>,
    /// Corrections.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// 校验码 of the source and its lines' attachments.
    pub code: VerificationCode,
    /// The scans its lines attach.
    pub attachments: Vec<crate::code::Attachment>,
    /// Source path.
    pub source: PathBuf,
    /// Line of each income and expense entry in the source, for later cross-file messages.
    lines_at: (Vec<usize>, Vec<usize>),
    text: String,
}

impl Ledger {
    /// Σ income.
    pub fn income_total(&self) -> Fen {
        self.income.iter().map(|l| l.amount).sum()
    }

    /// Σ expense.
    pub fn expense_total(&self) -> Fen {
        self.expense.iter().map(|l| l.amount).sum()
    }

    /// opening + Σ income − Σ expense.
    pub fn closing(&self) -> Fen {
        self.opening + self.income_total() - self.expense_total()
    }

    /// Totals by category, in the order categories first appear.
    pub fn by_category(&self, side: Side) -> IndexMap<String, Fen> {
        let mut out: IndexMap<String, Fen> = IndexMap::new();
        for l in self.lines(side) {
            let total = out.entry(l.category.clone()).or_default();
            *total = *total + l.amount;
        }
        out
    }

    /// Σ of the lines of `side` that are transfers between the community's own funds.
    pub fn transfer_total(&self, side: Side) -> Fen {
        self.lines(side).iter().filter(|l| l.transfer.is_some()).map(|l| l.amount).sum()
    }

    /// The lines of one side.
    pub fn lines(&self, side: Side) -> &[Line] {
        match side {
            Side::Income => &self.income,
            Side::Expense => &self.expense,
        }
    }

    /// Loads `content/accounts/<fund>/<period>.yaml`.
    pub fn load(root: &Path, src: &Source, site: &Site) -> Result<Ledger, Diagnostics> {
        let mut errs = Diagnostics::default();
        let fund = src.rel.parent().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if !site.funds.iter().any(|f| f.id == fund) {
            let ids: Vec<&str> = site.funds.iter().map(|f| f.id.as_str()).collect();
            let hint = match did_you_mean(&fund, ids.iter().copied()) {
                Some(s) => msg!("是不是想放在 accounts/{s}/ 下？", "did you mean accounts/{s}/?"),
                None => {
                    let all = ids.join("、");
                    let all_en = ids.join(", ");
                    msg!(
                        "site.yaml 的 funds 里有：{all}；新账户请先加到 funds 里",
                        "site.yaml's funds are: {all_en}; add a new fund there first"
                    )
                }
            };
            errs.push(
                Diagnostic::error(
                    &src.rel,
                    msg!("账户 `{fund}` 不在 site.yaml 的 funds 里", "the fund `{fund}` is not in site.yaml's funds"),
                )
                .hint(hint),
            );
        }
        let stem = src.rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let period = Period::parse(&stem);
        if period.is_none() {
            errs.push(Diagnostic::error(&src.rel, msg!("文件名 `{stem}` 不是会计期间", "the file name `{stem}` is not a period")).hint(
                msg!(
                    "文件名写成 2025（全年）、2025-H1（半年）、2025-Q3（季度）或 2025-07（月份）",
                    "name the file 2025 (year), 2025-H1 (half), 2025-Q3 (quarter) or 2025-07 (month)"
                ),
            ));
        }
        let Some(mut file) = source::parse_into::<LedgerFile>(src, &src.text, 1, &mut errs) else {
            super::check_what_was_readable(src, site, &src.text, &mut errs);
            return Err(errs);
        };
        let count = file.income.len() + file.expense.len();
        if count > MAX_LINES {
            errs.push(
                Diagnostic::error(
                    &src.rel,
                    msg!(
                        "这一期账目有 {count} 笔，一期最多 {MAX_LINES} 笔：这么长的账，居民在手机上看不完，打印出来也贴不下",
                        "this ledger has {count} lines; a period may have at most {MAX_LINES}: nobody could read that on a phone or pin it up"
                    ),
                )
                .hint(msg!(
                    "按月分成几期（文件名写成 2026-10、2026-11 这样），或者把同一天同一类的小额收入合成一笔（例如 临时停车费 10月3日 共 86 笔）",
                    "split it by month (files named 2026-10, 2026-11…), or sum a day's small income of one kind into one line"
                )),
            );
            return Err(errs);
        }
        // `static\vouchers\07-009.png`, as Windows writes it, is `static/vouchers/07-009.png`.
        for a in file.income.iter_mut().chain(file.expense.iter_mut()).filter_map(|l| l.attachment.as_mut()) {
            *a = super::windows_path(a);
        }
        check_issuer(src, site, &file.issuer, &mut errs);
        if !file.draft {
            source::unfilled(src, true, &mut errs);
        }
        super::check_privacy(src, site, &file.privacy, &[], &mut errs);
        let income_at = src.item_lines("income", file.income.len());
        let expense_at = src.item_lines("expense", file.expense.len());
        for (side_key, lines) in [("income", &file.income), ("expense", &file.expense)] {
            for (i, l) in lines.iter().enumerate() {
                if let Some(p) = &period {
                    if !p.contains(l.date) {
                        let (d, pk, s, e, n) = (l.date, &p.key, p.start, p.end, i + 1);
                        let side_zh = if side_key == "income" { "收入" } else { "支出" };
                        let (ln, col) = src.at(&format!("{side_key}[{i}].date"));
                        errs.push(
                            Diagnostic::error(
                                &src.rel,
                                msg!(
                                    "{side_zh}第 {n} 笔的日期 {d} 不在本期 {pk}（{s} 至 {e}）内",
                                    "{side_key} line {n}: {d} is outside the period {pk} ({s} to {e})"
                                ),
                            )
                            .at(&src.text, ln, col)
                            .hint(msg!("这笔账应记在它发生的那一期的文件里", "record it in the ledger of the period it happened in")),
                        );
                    }
                }
                if l.category.trim().is_empty() {
                    let (ln, col) = src.at(&format!("{side_key}[{i}].category"));
                    errs.push(
                        Diagnostic::error(&src.rel, msg!("类别 `category` 不能为空", "`category` must not be empty"))
                            .at(&src.text, ln, col),
                    );
                }
                if let Some(t) = l.transfer.as_deref().map(str::trim) {
                    let problem = if t == fund {
                        Some(msg!(
                            "`transfer: {t}` 是本账户自己：转账要写另一个账户",
                            "`transfer: {t}` is this fund itself: name the other fund"
                        ))
                    } else if !site.funds.iter().any(|f| f.id == t) {
                        Some(msg!("`transfer: {t}` 不是 site.yaml 的 funds 里的账户", "`transfer: {t}` is not one of site.yaml's funds"))
                    } else {
                        None
                    };
                    if let Some(m) = problem {
                        let ids: Vec<&str> = site.funds.iter().map(|f| f.id.as_str()).filter(|f| *f != fund).collect();
                        let hint = match did_you_mean(t, ids.iter().copied()) {
                            Some(s) => msg!("是不是想写 `{s}`？", "did you mean `{s}`?"),
                            None => {
                                let all = ids.join("、");
                                let all_en = ids.join(", ");
                                msg!("本小区的其他账户有：{all}", "the community's other funds are: {all_en}")
                            }
                        };
                        let (ln, col) = src.at(&format!("{side_key}[{i}].transfer"));
                        errs.push(Diagnostic::error(&src.rel, m).at(&src.text, ln, col).hint(hint));
                    }
                }
                if let Some(a) = &l.attachment {
                    // Where it is written, looked for only when there is something to say.
                    let at = || src.at(&format!("{side_key}[{i}].attachment"));
                    if let Some(d) = super::escaped_path(a) {
                        let (ln, col) = at();
                        errs.push(Diagnostic { file: src.rel.clone(), ..d }.at(&src.text, ln, col));
                    } else if let Err(m) = super::check_attachment(root, a) {
                        let (ln, col) = at();
                        errs.push(Diagnostic::error(&src.rel, m).at(&src.text, ln, col).hint(msg!(
                            "凭证扫描件放在 content/static/ 下，这里写 static/… 的路径",
                            "put scans under content/static/ and write the static/… path here"
                        )));
                    }
                }
            }
        }
        let first_date = file.income.iter().chain(&file.expense).map(|l| l.date).min();
        if let Some(d) = first_date.or(period.as_ref().map(|p| p.start)) {
            check_revisions(src, d, &file.revisions, &mut errs);
        }
        let attachments =
            crate::code::Attachment::read_all(root, file.income.iter().chain(&file.expense).filter_map(|l| l.attachment.as_deref()));
        let ledger = period.map(|period| Ledger {
            fund,
            period,
            issuer: file.issuer.trim().to_string(),
            approved: file.approved,
            opening: file.opening_balance,
            income: file.income,
            expense: file.expense,
            budget: file.budget,
            summary: file.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            revisions: file.revisions,
            draft: file.draft,
            code: VerificationCode::of_item(&src.text, &attachments),
            attachments,
            source: src.rel.clone(),
            lines_at: (income_at, expense_at),
            text: src.text.clone(),
        });
        if let (Some(l), Some(declared)) = (&ledger, file.closing_balance) {
            let computed = l.closing();
            if computed != declared {
                let (ln, col) = src.key_at("closing_balance");
                let (o, i, e, c, diff) =
                    (l.opening.yuan(), l.income_total().yuan(), l.expense_total().yuan(), computed.yuan(), (declared - computed).yuan());
                let dec = declared.yuan();
                errs.push(
                    Diagnostic::error(
                        &src.rel,
                        msg!(
                            "账不平：期末余额写的是 {dec}，但 期初 {o} + 收入 {i} − 支出 {e} = {c}，差 {diff}",
                            "the ledger does not balance: closing_balance is {dec}, but opening {o} + income {i} − expense {e} = {c}, a difference of {diff}"
                        ),
                    )
                    .at(&src.text, ln, col)
                    .hint(msg!("检查是否漏记或多记了一笔，或者金额抄错了", "look for a missing or duplicated line, or a mistyped amount")),
                );
            }
        }
        match ledger {
            Some(l) if !errs.has_errors() => Ok(l),
            _ => Err(errs),
        }
    }

    /// Where a line of `side` is in the source (line number).
    fn line_of(&self, side: Side, i: usize) -> usize {
        match side {
            Side::Income => self.lines_at.0[i],
            Side::Expense => self.lines_at.1[i],
        }
    }
}

/// Checks the ledgers of each fund together: periods chain and do not overlap, vouchers are
/// unique. Gaps between periods are warnings.
pub fn check_funds(ledgers: &mut [Ledger], diags: &mut Diagnostics) {
    ledgers.sort_by(|a, b| (&a.fund, a.period.start, a.period.end).cmp(&(&b.fund, b.period.start, b.period.end)));
    for pair in ledgers.windows(2) {
        let (prev, next) = (&pair[0], &pair[1]);
        if prev.fund != next.fund {
            continue;
        }
        let (pk, nk) = (&prev.period.key, &next.period.key);
        if prev.period.overlaps(&next.period) {
            diags.push(Diagnostic::error(&next.source, msg!("期间 {nk} 和 {pk} 重叠了", "the periods {nk} and {pk} overlap")).hint(msg!(
                "同一个账户的各期不能重复覆盖同一天；请只保留一种分期方式",
                "periods of one fund must not cover the same day twice"
            )));
        } else if prev.period.is_followed_by(&next.period) {
            if prev.closing() != next.opening {
                let (ln, col) = locate_key(&next.text, "opening_balance");
                let (o, c) = (next.opening.yuan(), prev.closing().yuan());
                let prev_file = crate::diagnostics::display_path(&prev.source);
                diags.push(
                    Diagnostic::error(
                        &next.source,
                        msg!(
                            "期初余额 {o} 与上一期 {pk} 的期末余额 {c} 不一致",
                            "opening_balance {o} differs from the closing balance {c} of the previous period {pk}"
                        ),
                    )
                    .at(&next.text, ln, col)
                    .hint(msg!(
                        "本期期初应当等于上一期期末（{prev_file}）",
                        "the opening balance must equal the previous closing balance ({prev_file})"
                    )),
                );
            }
        } else {
            let (s, e) = (prev.period.end, next.period.start);
            diags.push(Diagnostic::warning(
                &next.source,
                msg!(
                    "{pk} 和 {nk} 之间缺了一段（{s} 到 {e} 之间没有账目）",
                    "there is a gap between {pk} and {nk} (no ledger between {s} and {e})"
                ),
            ));
        }
    }
    let mut seen: BTreeMap<(&str, &str), (&Path, String)> = BTreeMap::new();
    for l in ledgers.iter() {
        for side in [Side::Income, Side::Expense] {
            for (i, line) in l.lines(side).iter().enumerate() {
                let Some(v) = line.voucher.as_deref().map(str::trim).filter(|v| !v.is_empty()) else { continue };
                let here = format!("{}:{}", crate::diagnostics::display_path(&l.source), l.line_of(side, i));
                if let Some((_, first)) = seen.get(&(l.fund.as_str(), v)) {
                    let (ln, col) = field_at(&l.text, l.line_of(side, i), "voucher");
                    diags.push(
                        Diagnostic::error(
                            &l.source,
                            msg!("凭证号 `{v}` 重复：{first} 已经用过", "voucher `{v}` is used twice: first at {first}"),
                        )
                        .at(&l.text, ln, col)
                        .hint(msg!(
                            "同一个账户里每张凭证只能记一次；如果是两张凭证，请用不同的编号",
                            "each voucher is recorded once per fund"
                        )),
                    );
                } else {
                    seen.insert((l.fund.as_str(), v), (l.source.as_path(), here));
                }
            }
        }
    }
}

/// Matches every transfer between the community's own funds (§1.3): an expense of fund A with
/// `transfer: B` needs an income of B with `transfer: A` of the same amount on the same day,
/// and the other way round. Each line matches one line only; what is left over is an error
/// naming both sides.
pub fn check_transfers(ledgers: &[Ledger], site: &Site, diags: &mut Diagnostics) {
    // Each transfer line: its ledger's index in `ledgers`, its side, its index in the side.
    let mut open: Vec<(usize, Side, usize)> = Vec::new();
    for (li, l) in ledgers.iter().enumerate() {
        for side in [Side::Income, Side::Expense] {
            for (i, line) in l.lines(side).iter().enumerate() {
                if line.transfer.as_deref().is_some_and(|t| t != l.fund && site.funds.iter().any(|f| f.id == t)) {
                    open.push((li, side, i));
                }
            }
        }
    }
    let line = |&(li, side, i): &(usize, Side, usize)| &ledgers[li].lines(side)[i];
    let mut matched = vec![false; open.len()];
    for a in 0..open.len() {
        if matched[a] || open[a].1 != Side::Expense {
            continue;
        }
        let (la, x) = (&ledgers[open[a].0], line(&open[a]));
        let found = (0..open.len()).find(|&b| {
            let (lb, y) = (&ledgers[open[b].0], line(&open[b]));
            !matched[b]
                && open[b].1 == Side::Income
                && lb.fund == x.transfer.as_deref().unwrap_or_default()
                && y.transfer.as_deref() == Some(la.fund.as_str())
                && y.amount == x.amount
                && y.date == x.date
        });
        if let Some(b) = found {
            matched[a] = true;
            matched[b] = true;
        }
    }
    for (_, at) in open.iter().enumerate().filter(|(k, _)| !matched[*k]) {
        let (l, x) = (&ledgers[at.0], line(at));
        let own = &l.fund;
        let other = x.transfer.as_deref().unwrap_or_default();
        let other_name = site.fund_name(other);
        let (d, amt, plain) = (x.date, x.amount.yuan(), x.amount.plain());
        let other_file =
            ledgers.iter().find(|o| o.fund == other && o.period.contains(x.date)).map(|o| crate::diagnostics::display_path(&o.source));
        let (ln, col) = field_at(&l.text, l.line_of(at.1, at.2), "transfer");
        let (message, hint) = match (at.1, &other_file) {
            (Side::Expense, Some(f)) => (
                msg!(
                    "{d} 转到「{other_name}」的 {amt}，在 {f} 里找不到同一天、同金额的转入",
                    "the transfer of {amt} to {other_name} on {d} has no income of the same day and amount in {f}"
                ),
                msg!(
                    "在 {f} 的 income 里记上这笔：{{date: {d}, category: 转入, amount: {plain}, transfer: {own}}}；如果是这里写错了，请改成和那边一致",
                    "record it in the income of {f}: {{date: {d}, category: transfer, amount: {plain}, transfer: {own}}}, or correct this line"
                ),
            ),
            (Side::Income, Some(f)) => (
                msg!(
                    "{d} 从「{other_name}」转入的 {amt}，在 {f} 里找不到同一天、同金额的转出",
                    "the transfer of {amt} from {other_name} on {d} has no expense of the same day and amount in {f}"
                ),
                msg!(
                    "在 {f} 的 expense 里记上这笔：{{date: {d}, category: 转出, amount: {plain}, transfer: {own}}}；如果是这里写错了，请改成和那边一致",
                    "record it in the expense of {f}: {{date: {d}, category: transfer, amount: {plain}, transfer: {own}}}, or correct this line"
                ),
            ),
            (_, None) => (
                msg!(
                    "{d} 和「{other_name}」之间的转账 {amt} 对不上：「{other_name}」没有包含 {d} 的账目",
                    "the transfer of {amt} with {other_name} on {d} cannot be matched: {other_name} has no ledger covering {d}"
                ),
                msg!(
                    "两个账户都要记这笔钱：在 accounts/{other}/ 下建立包含 {d} 的那一期账目（gongshi new ledger {other} …），记上同日同额的一笔，写 transfer: {own}",
                    "both funds record it: add the ledger of accounts/{other}/ covering {d} with the same amount and transfer: {own}"
                ),
            ),
        };
        diags.push(Diagnostic::error(&l.source, message).at(&l.text, ln, col).hint(hint));
    }
}

impl crate::kind::Item for Ledger {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Account
    }
    fn id(&self) -> String {
        format!("{}/{}", self.fund, self.period.key)
    }
    fn title(&self, site: &crate::site::Site) -> String {
        format!("{} {}", site.fund_name(&self.fund), self.period.label_zh())
    }
    crate::item_fields!(attachments);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::item_lines;

    #[test]
    fn finds_items_of_flow_and_block_sequences() {
        let t =
            "opening_balance: 1\nincome:\n  - {date: 2025-07-01, amount: 1}\n  - date: 2025-07-02\n    amount: 2\nexpense:\n- {date: x}\n";
        assert_eq!(item_lines(t, "income", 2), vec![3, 4]);
        assert_eq!(item_lines(t, "expense", 1), vec![7]);
        assert_eq!(field_at(t, 4, "amount"), (5, 13));
    }
}
