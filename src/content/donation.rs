//! Donation registers (捐款 / 众筹): `content/donations/<id>.yaml`, every gift and every
//! spending line of money given by residents, organisations and the property company (§1.9).
//! An individual's name is published only with `public: true`; otherwise the gift shows as
//! 匿名, and the build refuses a file that would show a private donor's name anywhere else.

use super::{check_issuer, check_revisions, check_scope, Revision};
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::money::Fen;
use crate::msg;
use crate::site::{Place, Site};
use crate::source::{self, field_at, item_lines, LooseString, Source};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DonationFile {
    #[serde(default)]
    privacy: super::Privacy,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    id: Option<String>,
    title: String,
    issuer: String,
    #[serde(default)]
    date: Option<Date>,
    purpose: String,
    #[serde(default, deserialize_with = "source::one_or_many")]
    scope: Vec<LooseString>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    target: Option<Fen>,
    #[serde(default)]
    gifts: Vec<GiftFile>,
    #[serde(default)]
    spending: Vec<SpendingFile>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GiftFile {
    date: Date,
    #[serde(default)]
    donor: Option<String>,
    #[serde(default)]
    amount: Option<Fen>,
    #[serde(default)]
    public: bool,
    #[serde(default)]
    organisation: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpendingFile {
    date: Date,
    amount: Fen,
    counterparty: String,
    #[serde(default)]
    voucher: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// One gift.
#[derive(Debug, Clone)]
pub struct Gift {
    /// When it was received.
    pub date: Date,
    /// The name published: an organisation's, or a person's who agreed (`public: true`);
    /// `None` is shown as 匿名. A private donor's name is never kept.
    pub shown: Option<String>,
    /// Given by an organisation (a company, a party branch).
    pub organisation: bool,
    /// How much.
    pub amount: Fen,
    /// A public note (in kind, in memory of…).
    pub note: Option<String>,
}

/// One payment out of the money raised.
#[derive(Debug, Clone)]
pub struct Spending {
    /// When.
    pub date: Date,
    /// How much.
    pub amount: Fen,
    /// Who was paid.
    pub counterparty: String,
    /// Voucher number.
    pub voucher: Option<String>,
    /// What for.
    pub note: Option<String>,
}

/// A validated donation register.
#[derive(Debug, Clone)]
pub struct Donation {
    /// `/d/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// A body key or free text.
    pub issuer: String,
    /// The register's date: as written, else its first gift's.
    pub date: Date,
    /// What the money is for.
    pub purpose: String,
    /// Buildings and entrances concerned; empty for the whole community.
    pub scope: Vec<Place>,
    /// Plain-language line.
    pub summary: Option<String>,
    /// The amount sought.
    pub target: Option<Fen>,
    /// The gifts, in date order.
    pub gifts: Vec<Gift>,
    /// The spending, in date order.
    pub spending: Vec<Spending>,
    /// Corrections.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// 校验码.
    pub code: VerificationCode,
    /// Source.
    pub source: std::path::PathBuf,
}

impl Donation {
    /// Σ gifts.
    pub fn raised(&self) -> Fen {
        self.gifts.iter().map(|g| g.amount).sum()
    }

    /// Σ spending.
    pub fn spent(&self) -> Fen {
        self.spending.iter().map(|s| s.amount).sum()
    }

    /// Raised − spent: what is left.
    pub fn balance(&self) -> Fen {
        self.raised() - self.spent()
    }

    /// Whether it concerns `place` (a register of the whole community concerns every place).
    pub fn concerns(&self, place: &Place) -> bool {
        self.scope.is_empty() || self.scope.iter().any(|s| s.concerns(place))
    }

    /// Loads `content/donations/<id>.yaml`.
    pub fn load(src: &Source, site: &Site) -> Result<Donation, Diagnostics> {
        let mut errs = Diagnostics::default();
        let Some(file) = source::parse_into::<DonationFile>(src, &src.text, 1, &mut errs) else {
            super::check_what_was_readable(src, site, &src.text, &mut errs);
            return Err(errs);
        };
        let id = source::resolve_id(src, file.id.as_deref(), "donation").map_err(|d| errs.push(d)).ok();
        let text = &src.text;
        let err = |m, (l, c): (usize, usize)| Diagnostic::error(&src.rel, m).at(text, l, c);
        if !file.draft {
            source::unfilled(src, true, &mut errs);
        }
        super::check_title(src, &file.title, &mut errs);
        if file.purpose.trim().is_empty() {
            errs.push(
                err(msg!("用途 `purpose` 不能为空", "`purpose` must not be empty"), src.key_at("purpose"))
                    .hint(msg!("写清楚钱用来做什么，例如 purpose: 建设2个睦邻花园和1个篮球场", "say what the money is for")),
            );
        }
        check_issuer(src, site, &file.issuer, &mut errs);
        super::check_privacy(src, site, &file.privacy, &[], &mut errs);
        let scope = check_scope(src, site, "scope", &file.scope, &mut errs);

        let gift_at = src.item_lines("gifts", file.gifts.len());
        let mut gifts = Vec::new();
        let mut private_names: Vec<(String, usize)> = Vec::new();
        for (i, g) in file.gifts.iter().enumerate() {
            let line = gift_at[i];
            let donor = g.donor.as_deref().map(str::trim).filter(|d| !d.is_empty() && *d != "匿名");
            let Some(amount) = g.amount else {
                let who = donor.filter(|_| g.public || g.organisation).unwrap_or("匿名");
                let date = g.date;
                let col = text.lines().nth(line.saturating_sub(1)).map_or(1, |l| l.chars().take_while(|c| c.is_whitespace()).count() + 1);
                errs.push(err(msg!("{date} 这笔捐款（{who}）没有写金额 amount", "the gift of {date} has no amount"), (line, col)).hint(
                    msg!(
                        "加上金额，例如 - {{date: {date}, amount: 200}}；实物捐赠请折价写金额，并在 note 里说明",
                        "add the amount, e.g. - {{date: {date}, amount: 200}}"
                    ),
                ));
                continue;
            };
            if amount.0 <= 0 {
                let a = amount.yuan();
                errs.push(
                    err(msg!("捐款金额 {a} 要大于 0", "a gift's amount ({a}) must be more than 0"), src.at(&format!("gifts[{i}].amount")))
                        .hint(msg!("退还的捐款写在 spending 里，并在 note 里说明", "a refund is a spending line with a note")),
                );
            }
            if let (Some(d), false, false) = (donor, g.public, g.organisation) {
                private_names.push((d.to_string(), line));
            }
            gifts.push(Gift {
                date: g.date,
                shown: donor.filter(|_| g.public || g.organisation).map(str::to_string),
                organisation: g.organisation,
                amount,
                note: g.note.as_ref().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            });
        }

        // A private donor's name must not be shown anywhere else in what is published.
        // Each text with the path of where it is written, placed only when a name is found.
        let mut shown_texts: Vec<(&str, String)> = vec![(file.title.as_str(), "title".into()), (file.purpose.as_str(), "purpose".into())];
        if let Some(s) = &file.summary {
            shown_texts.push((s, "summary".into()));
        }
        for (i, g) in file.gifts.iter().enumerate() {
            if let Some(n) = &g.note {
                shown_texts.push((n, format!("gifts[{i}].note")));
            }
            if let (Some(d), true) = (&g.donor, g.public || g.organisation) {
                shown_texts.push((d, format!("gifts[{i}].donor")));
            }
        }
        for (i, s) in file.spending.iter().enumerate() {
            shown_texts.push((&s.counterparty, format!("spending[{i}].counterparty")));
            if let Some(n) = &s.note {
                shown_texts.push((n, format!("spending[{i}].note")));
            }
        }
        for (i, r) in file.revisions.iter().enumerate() {
            shown_texts.push((&r.note, format!("revisions[{i}].note")));
        }
        for (name, gift_line) in &private_names {
            for (shown, path) in &shown_texts {
                let Some(offset) = find_name(shown, name) else { continue };
                let at = src.at(path);
                if *shown == name.as_str() && at.0 == *gift_line {
                    continue;
                }
                errs.push(
                    err(
                        msg!(
                            "捐款人「{name}」没有同意公开姓名（第 {gift_line} 行没有 public: true），这里却写了这个名字",
                            "the donor {name} did not agree to be named (line {gift_line} has no public: true), but the name is written here"
                        ),
                        (at.0, at.1 + offset),
                    )
                    .hint(msg!(
                        "删掉这里的名字；如果本人同意公开，在第 {gift_line} 行加上 public: true",
                        "remove the name here; if the donor agrees to be named, add public: true on line {gift_line}"
                    )),
                );
            }
        }

        let spending: Vec<Spending> = file
            .spending
            .iter()
            .map(|s| Spending {
                date: s.date,
                amount: s.amount,
                counterparty: s.counterparty.trim().to_string(),
                voucher: s.voucher.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()),
                note: s.note.as_ref().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            })
            .collect();
        for (i, s) in spending.iter().enumerate() {
            if s.amount.0 <= 0 {
                let a = s.amount.yuan();
                errs.push(err(
                    msg!("支出金额 {a} 要大于 0", "a spending line's amount ({a}) must be more than 0"),
                    src.at(&format!("spending[{i}].amount")),
                ));
            }
            if s.counterparty.is_empty() {
                errs.push(err(
                    msg!("支出要写付给了谁 `counterparty`", "a spending line needs its `counterparty`"),
                    src.at(&format!("spending[{i}].counterparty")),
                ));
            }
        }
        let raised: Fen = gifts.iter().map(|g| g.amount).sum();
        let spent: Fen = spending.iter().map(|s| s.amount).sum();
        if spent > raised {
            let (r, s, d) = (raised.yuan(), spent.yuan(), (spent - raised).yuan());
            errs.push(
                err(
                    msg!("支出 {s} 超过了收到的捐款 {r}，多出 {d}", "spent {s} is more than the {r} raised, by {d}"),
                    src.key_at("spending"),
                )
                .hint(msg!(
                    "捐款只能花已经收到的钱：核对每笔支出和捐款；其他经费垫付的部分不写在这里，写在它所出自的账目里",
                    "only money received can be spent: check the lines; what another fund paid belongs in that fund's ledger"
                )),
            );
        }
        let date = file.date.or_else(|| gifts.iter().map(|g| g.date).min()).unwrap_or(Date(chrono::NaiveDate::MIN));
        if file.date.is_none() && gifts.is_empty() {
            errs.push(
                err(msg!("还没有捐款，也没有写日期 `date`", "no gifts yet and no `date`"), src.key_at("gifts"))
                    .hint(msg!("写上发起的日子，例如 date: 2026-08-01", "give the day the register opened, e.g. date: 2026-08-01")),
            );
        }
        if let Some(opened) = file.date {
            for (i, g) in file.gifts.iter().enumerate() {
                if g.date < opened {
                    let d = g.date;
                    errs.push(
                        err(
                            msg!(
                                "这笔捐款的日期 {d} 早于众筹开始的日子 {opened}",
                                "this gift is dated {d}, before the register opened on {opened}"
                            ),
                            src.at(&format!("gifts[{i}].date")),
                        )
                        .hint(msg!("核对日期；如果众筹更早就开始了，改正开头的 date", "check the date, or the register's own date")),
                    );
                }
            }
        }
        check_revisions(src, date, &file.revisions, &mut errs);
        gifts.sort_by_key(|g| g.date);
        let mut spending = spending;
        spending.sort_by_key(|s| s.date);
        match (id, errs.has_errors()) {
            (Some(id), false) => Ok(Donation {
                id,
                title: file.title.trim().to_string(),
                issuer: file.issuer.trim().to_string(),
                date,
                purpose: file.purpose.trim().to_string(),
                scope,
                summary: file.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
                target: file.target,
                gifts,
                spending,
                revisions: file.revisions,
                draft: file.draft,
                code: VerificationCode::of(&redact(text)),
                source: src.rel.clone(),
            }),
            _ => Err(errs),
        }
    }
}

/// Where `name` stands in `text` (in characters from its start), spaces of any kind inside
/// either ignored (`刘 美华`); a name of one character names nobody and is never matched.
pub(crate) fn find_name(text: &str, name: &str) -> Option<usize> {
    let blank = |c: &char| c.is_whitespace() || *c == '\u{3000}';
    let want: Vec<char> = name.chars().filter(|c| !blank(c)).collect();
    if want.len() < 2 {
        return None;
    }
    let chars: Vec<(usize, char)> = text.chars().enumerate().filter(|(_, c)| !blank(c)).collect();
    chars.windows(want.len()).find(|w| w.iter().map(|(_, c)| *c).eq(want.iter().copied())).map(|w| w[0].0)
}

/// The register as it is hashed and kept in the history: every private donor's name replaced
/// by 匿名, so that neither its verification code, nor the SHA-256 in the published log, nor
/// the kept version can be used to test a guess at who gave (the names stay only in the
/// committee's own file).
pub fn redact(text: &str) -> String {
    let names = private_names_of(text);
    if names.is_empty() {
        return text.to_string();
    }
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for (name, line) in names {
        let (l, c) = field_at(text, line, "donor");
        if let Some(row) = lines.get_mut(l.wrapping_sub(1)) {
            let start: usize = row.char_indices().nth(c.saturating_sub(1)).map_or(row.len(), |(b, _)| b);
            if let Some(off) = row[start..].find(name.as_str()) {
                let at = start + off;
                row.replace_range(at..at + name.len(), "匿名");
            }
        }
    }
    lines.join("\n")
}

/// The private donors of a register's text, with the line of each gift, read loosely (the
/// register may have errors of its own, reported by [`Donation::load`]).
fn private_names_of(text: &str) -> Vec<(String, usize)> {
    let Ok(file) = serde_yaml::from_str::<serde_yaml::Value>(text) else { return Vec::new() };
    let Some(gifts) = file.get("gifts").and_then(|g| g.as_sequence()) else { return Vec::new() };
    let lines = item_lines(text, "gifts", gifts.len());
    gifts
        .iter()
        .zip(lines)
        .filter_map(|(g, line)| {
            let flag = |k: &str| g.get(k).and_then(serde_yaml::Value::as_bool).unwrap_or(false);
            let name = g.get("donor")?.as_str()?.trim();
            (!flag("public") && !flag("organisation") && !name.is_empty() && name != "匿名").then(|| (name.to_string(), line))
        })
        .collect()
}

/// A private donor's name must not be published elsewhere either: every other source file
/// (`others`, and the other registers, relative to `root`) is searched for it, line by line (a
/// minutes' `signed_by:` line names members by their role and is left alone).
pub(crate) fn check_names_elsewhere(
    root: &std::path::Path,
    registers: &[std::path::PathBuf],
    others: &[&std::path::Path],
    diags: &mut Diagnostics,
) {
    let mut names: Vec<(String, &std::path::Path, usize)> = Vec::new();
    for reg in registers {
        if let Ok(text) = std::fs::read_to_string(root.join(reg)) {
            names.extend(private_names_of(&text).into_iter().map(|(n, l)| (n, reg.as_path(), l)));
        }
    }
    if names.is_empty() {
        return;
    }
    let files: Vec<&std::path::Path> = others.iter().copied().chain(registers.iter().map(|r| r.as_path())).collect();
    for rel in files {
        let Ok(text) = std::fs::read_to_string(root.join(rel)) else { continue };
        for (name, register_path, gift_line) in &names {
            if *register_path == rel {
                continue;
            }
            for (i, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("signed_by:") {
                    continue;
                }
                if let Some(col) = find_name(line, name) {
                    let register = crate::diagnostics::display_path(register_path);
                    diags.push(
                        Diagnostic::error(
                            rel,
                            msg!(
                                "捐款人「{name}」没有同意公开姓名（{register} 第 {gift_line} 行），这里却写了这个名字",
                                "the donor {name} did not agree to be named ({register}, line {gift_line}), but the name is written here"
                            ),
                        )
                        .at(&text, i + 1, col + 1)
                        .hint(msg!(
                            "删掉这里的名字，写“一位业主”；如果本人同意公开，在 {register} 第 {gift_line} 行加上 public: true",
                            "remove the name (write \"an owner\"); if the donor agrees to be named, add public: true in {register} on line {gift_line}"
                        )),
                    );
                }
            }
        }
    }
}

impl crate::kind::Item for Donation {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Donation
    }
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self, _: &Site) -> String {
        self.title.clone()
    }
    crate::item_fields!();
}
