//! Matters (事项): `content/matters/<id>.yaml`, one decision followed from proposal to money —
//! its stages, the quotes it compared, what it costs, who pays, each group of households'
//! share of one funding line, and what has been spent so far from the vouchers of the funded
//! ledgers. The shares are computed here, in integer fen, with the fen left over by the
//! division placed by largest remainder (§1.8).

use super::{check_issuer, check_revisions, check_scope, Revision};
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::money::Fen;
use crate::msg;
use crate::site::{Place, Site};
use crate::source::{self, field_at, locate_key, nested_item_lines, LooseString, Source};
use serde::{Deserialize, Deserializer, Serialize};
use std::path::PathBuf;

/// Where a matter can stand, in the order matters usually go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// 提出.
    Proposed,
    /// 征求意见.
    Consulted,
    /// 表决.
    Voted,
    /// 签约.
    Contracted,
    /// 施工.
    Works,
    /// 验收.
    Accepted,
    /// 结算.
    Settled,
    /// 终止 (dropped, or replaced by another matter).
    Cancelled,
}

impl Stage {
    /// Every stage.
    pub const ALL: [Stage; 8] = [
        Stage::Proposed,
        Stage::Consulted,
        Stage::Voted,
        Stage::Contracted,
        Stage::Works,
        Stage::Accepted,
        Stage::Settled,
        Stage::Cancelled,
    ];

    /// As written in the file.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Proposed => "proposed",
            Stage::Consulted => "consulted",
            Stage::Voted => "voted",
            Stage::Contracted => "contracted",
            Stage::Works => "works",
            Stage::Accepted => "accepted",
            Stage::Settled => "settled",
            Stage::Cancelled => "cancelled",
        }
    }

    /// `签约`…
    pub fn zh(self) -> &'static str {
        match self {
            Stage::Proposed => "提出",
            Stage::Consulted => "征求意见",
            Stage::Voted => "表决",
            Stage::Contracted => "签约",
            Stage::Works => "施工",
            Stage::Accepted => "验收",
            Stage::Settled => "结算",
            Stage::Cancelled => "终止",
        }
    }

    /// `contracted`…, for English pages.
    pub fn en(self) -> &'static str {
        match self {
            Stage::Proposed => "proposed",
            Stage::Consulted => "consulted",
            Stage::Voted => "voted",
            Stage::Contracted => "contract signed",
            Stage::Works => "works under way",
            Stage::Accepted => "accepted",
            Stage::Settled => "settled",
            Stage::Cancelled => "cancelled",
        }
    }

    /// The stage written as `key` (or as its Chinese name, which a secretary may well type).
    fn parse(key: &str) -> Option<Stage> {
        let key = key.trim();
        Stage::ALL.into_iter().find(|s| s.key() == key || s.zh() == key)
    }

    /// Whether the matter is over (nothing more will happen to it).
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Settled | Stage::Cancelled)
    }
}

/// How a funding line is shared among groups of households.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// By area (m²): what the rules on maintenance funds prescribe.
    Area,
    /// The same for every household.
    Equal,
    /// By a weight per household of each group (a lift's cost by floor).
    Weights,
}

/// A weight per household, in hundredths (`1.25`), read from the number's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Weight(pub i64);

impl Weight {
    /// `1.25`, without trailing zeros.
    pub fn plain(self) -> String {
        let s = format!("{}.{:02}", self.0 / 100, self.0 % 100);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::money::deserialize_hundredths(d, |_, raw| source::Refusal {
            message: msg!(
                "系数 `{raw}` 不对：写一个数，最多两位小数，例如 1.2",
                "the weight `{raw}` is not valid: write a number with at most two decimals, e.g. 1.2"
            ),
            hint: None,
            value: None,
        })
        .map(Weight)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatterFile {
    #[serde(default)]
    privacy: super::Privacy,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    id: Option<String>,
    title: String,
    issuer: String,
    #[serde(default, deserialize_with = "source::one_or_many")]
    scope: Vec<LooseString>,
    #[serde(default)]
    summary: Option<String>,
    stages: Vec<StageFile>,
    #[serde(default)]
    notices: Vec<LooseString>,
    #[serde(default)]
    quotes: Vec<Quote>,
    #[serde(default)]
    cost: Option<Fen>,
    #[serde(default)]
    funding: Vec<Funding>,
    #[serde(default)]
    allocation: Option<AllocationFile>,
    #[serde(default)]
    spending: Vec<LooseString>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageFile {
    stage: LooseString,
    date: Date,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    vote: Option<LooseString>,
}

/// One step of a matter.
#[derive(Debug, Clone)]
pub struct StageEntry {
    /// Which.
    pub stage: Stage,
    /// When.
    pub date: Date,
    /// What happened, in plain words.
    pub note: Option<String>,
    /// The vote or consultation this step was (its id).
    pub vote: Option<String>,
    line: usize,
}

/// A quote received (比价).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// Who quoted.
    pub vendor: String,
    /// For how much.
    pub amount: Fen,
    /// What it offered besides (质保).
    #[serde(default)]
    pub warranty: Option<String>,
    /// What the quote covers.
    #[serde(default)]
    pub note: Option<String>,
    /// The quote taken; exactly one is.
    #[serde(default)]
    pub chosen: bool,
    /// Why it was taken.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Where the money comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// 政府补贴, 专项维修资金…
    pub source: String,
    /// The community's fund it is paid from, when it is one (its vouchers then count as spending).
    #[serde(default)]
    pub fund: Option<String>,
    /// How much.
    pub amount: Fen,
    /// The rule or decision it rests on.
    #[serde(default)]
    pub basis: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllocationFile {
    funding: String,
    method: Method,
    basis: String,
    groups: Vec<GroupFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    group: String,
    households: u32,
    #[serde(default)]
    area: Option<super::vote::Area>,
    #[serde(default)]
    weight: Option<Weight>,
    #[serde(default)]
    share: Option<Fen>,
}

/// One group of households and its share of the allocated line.
#[derive(Debug, Clone)]
pub struct Group {
    /// `1号楼1-2层` (groups, never rooms).
    pub name: String,
    /// How many households.
    pub households: u32,
    /// Their area (method `area`).
    pub area: Option<super::vote::Area>,
    /// Their weight per household (method `weights`).
    pub weight: Option<Weight>,
    /// The group's share, computed.
    pub share: Fen,
    /// Whether the group received one of the fen left over by the division.
    pub rounded_up: bool,
}

/// How one funding line is shared among groups of households.
#[derive(Debug, Clone)]
pub struct Allocation {
    /// The funding line (its `source`).
    pub funding: String,
    /// Its amount.
    pub amount: Fen,
    /// How.
    pub method: Method,
    /// The rule or decision it rests on.
    pub basis: String,
    /// The groups and their shares, which add up to `amount`.
    pub groups: Vec<Group>,
}

/// A voucher of a funded ledger counted as spending.
#[derive(Debug, Clone)]
pub struct Spent {
    /// Voucher number.
    pub voucher: String,
    /// Fund and period of its ledger.
    pub fund: String,
    /// Period key.
    pub period: String,
    /// The ledger line's date.
    pub date: Date,
    /// Its amount.
    pub amount: Fen,
    /// Who was paid.
    pub counterparty: Option<String>,
    /// What for.
    pub note: Option<String>,
}

/// A validated matter.
#[derive(Debug, Clone)]
pub struct Matter {
    /// `/m/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// A body key or free text.
    pub issuer: String,
    /// Buildings and entrances concerned; empty for the whole community.
    pub scope: Vec<Place>,
    /// Plain-language line.
    pub summary: Option<String>,
    /// Its steps, in date order; the last one is where it stands.
    pub stages: Vec<StageEntry>,
    /// Linked notices.
    pub notices: Vec<String>,
    /// Quotes received.
    pub quotes: Vec<Quote>,
    /// The contract sum.
    pub cost: Option<Fen>,
    /// Where the money comes from; adds up to `cost`.
    pub funding: Vec<Funding>,
    /// How one funding line is shared among households.
    pub allocation: Option<Allocation>,
    /// Voucher numbers counted as spending.
    pub spending: Vec<String>,
    /// The vouchers found, filled in by [`check_links`].
    pub spent: Vec<Spent>,
    /// Corrections.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// 校验码.
    pub code: VerificationCode,
    /// Source.
    pub source: PathBuf,
    text: String,
    notices_line: usize,
    spending_at: Vec<usize>,
}

impl Matter {
    /// Where the matter stands: its last stage.
    pub fn stage(&self) -> Stage {
        self.stages.last().map_or(Stage::Proposed, |s| s.stage)
    }

    /// The date of its first step.
    pub fn date(&self) -> Date {
        self.stages.first().map_or(Date(chrono::NaiveDate::MIN), |s| s.date)
    }

    /// The date of its latest step.
    pub fn updated(&self) -> Date {
        self.stages.last().map_or(self.date(), |s| s.date)
    }

    /// Σ of the vouchers counted as spending.
    pub fn spent_total(&self) -> Fen {
        self.spent.iter().map(|s| s.amount).sum()
    }

    /// Whether it concerns `place` (a matter of the whole community concerns every place).
    pub fn concerns(&self, place: &Place) -> bool {
        self.scope.is_empty() || self.scope.iter().any(|s| s.concerns(place))
    }

    /// Loads `content/matters/<id>.yaml`.
    pub fn load(src: &Source, site: &Site) -> Result<Matter, Diagnostics> {
        let mut errs = Diagnostics::default();
        let Some(file) = source::parse_into::<MatterFile>(src, &src.text, 1, &mut errs) else {
            super::check_what_was_readable(src, site, &src.text, &mut errs);
            return Err(errs);
        };
        let id = match source::resolve_id(src, file.id.as_deref(), "matter") {
            Ok(id) => id,
            Err(d) => {
                errs.push(d);
                String::new()
            }
        };
        let text = &src.text;
        let err = |m, (l, c): (usize, usize)| Diagnostic::error(&src.rel, m).at(text, l, c);
        check_issuer(src, site, &file.issuer, &mut errs);
        if !file.draft {
            source::unfilled(src, true, &mut errs);
        }
        super::check_privacy(src, site, &file.privacy, &[], &mut errs);
        let scope = check_scope(src, site, "scope", &file.scope, &mut errs);
        super::check_title(src, &file.title, &mut errs);

        // Stages: known names, in date order.
        let stage_at = src.item_lines("stages", file.stages.len());
        let mut stages = Vec::new();
        if file.stages.is_empty() {
            errs.push(err(msg!("`stages` 至少要有一步", "`stages` needs at least one step"), src.key_at("stages")).hint(msg!(
                "从提出写起，例如 - {{stage: proposed, date: 2026-05-10, note: 业委会第8次会议提出}}",
                "start with the proposal, e.g. - {{stage: proposed, date: 2026-05-10}}"
            )));
        }
        for (i, s) in file.stages.iter().enumerate() {
            let line = stage_at[i];
            let raw = s.stage.0.trim();
            let Some(stage) = Stage::parse(raw) else {
                let keys: Vec<&str> = Stage::ALL.iter().map(|s| s.key()).collect();
                let all = Stage::ALL.iter().map(|s| format!("{}（{}）", s.key(), s.zh())).collect::<Vec<_>>().join("、");
                let all_en = keys.join(", ");
                let hint = match did_you_mean(raw, keys.iter().copied()) {
                    Some(k) => msg!("是不是想写 `{k}`？可用的有：{all}", "did you mean `{k}`? The stages are: {all_en}"),
                    None => msg!("可用的有：{all}", "the stages are: {all_en}"),
                };
                errs.push(err(msg!("不认识的阶段 `{raw}`", "unknown stage `{raw}`"), src.at(&format!("stages[{i}].stage"))).hint(hint));
                continue;
            };
            if let Some(prev) = stages.last().map(|p: &StageEntry| (p.date, p.stage)) {
                if s.date < prev.0 {
                    let (d, pd, pz, z) = (s.date, prev.0, prev.1.zh(), stage.zh());
                    errs.push(
                        err(
                            msg!(
                                "阶段没有按日期排列：「{z}」是 {d}，比前一步「{pz}」的 {pd} 还早",
                                "the stages are not in date order: {d} comes before the previous step's {pd}"
                            ),
                            src.at(&format!("stages[{i}].date")),
                        )
                        .hint(msg!(
                            "按发生的先后从上往下写，最后一行是事项现在所处的阶段；如果日期抄错了，请改正",
                            "list the steps oldest first; the last one is where the matter stands now"
                        )),
                    );
                }
            }
            stages.push(StageEntry {
                stage,
                date: s.date,
                note: s.note.as_ref().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
                vote: s.vote.as_ref().map(|v| v.0.trim().to_string()),
                line,
            });
        }

        // Quotes: exactly one chosen.
        let chosen: Vec<usize> = (0..file.quotes.len()).filter(|&i| file.quotes[i].chosen).collect();
        if !file.quotes.is_empty() && chosen.is_empty() {
            errs.push(err(msg!("比价里没有选定的报价", "none of the quotes is marked as chosen"), src.key_at("quotes")).hint(msg!(
                "在选中的那家后面加上 chosen: true 和理由，例如 chosen: true, reason: 价格低、质保长",
                "add chosen: true and a reason to the quote that was taken"
            )));
        }
        if let [first, rest @ ..] = chosen.as_slice() {
            for &i in rest {
                let (v1, v2) = (&file.quotes[*first].vendor, &file.quotes[i].vendor);
                errs.push(
                    err(
                        msg!("选定了两家报价：「{v1}」和「{v2}」都写了 chosen: true", "two quotes are chosen: {v1} and {v2}"),
                        src.at(&format!("quotes[{i}].chosen")),
                    )
                    .hint(msg!("只有签约的那一家写 chosen: true，其他的删掉这一项", "only the quote that was taken has chosen: true")),
                );
            }
        }

        // Funding: known funds, adds up to the cost.
        for (i, f) in file.funding.iter().enumerate() {
            if let Some(fund) = f.fund.as_deref().map(str::trim) {
                if !site.funds.iter().any(|x| x.id == fund) {
                    let ids: Vec<&str> = site.funds.iter().map(|f| f.id.as_str()).collect();
                    let all = ids.join("、");
                    let hint = match did_you_mean(fund, ids.iter().copied()) {
                        Some(k) => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
                        None => msg!(
                            "site.yaml 的 funds 里有：{all}；不从小区账户出的钱（例如政府补贴）不写 fund",
                            "site.yaml's funds are: {all}; money not paid from a fund of the community has no fund:"
                        ),
                    };
                    errs.push(
                        err(
                            msg!("资金来源的账户 `{fund}` 不在 site.yaml 的 funds 里", "the fund `{fund}` is not in site.yaml's funds"),
                            src.at(&format!("funding[{i}].fund")),
                        )
                        .hint(hint),
                    );
                }
            }
        }
        let funded: Fen = file.funding.iter().map(|f| f.amount).sum();
        match file.cost {
            Some(cost) if !file.funding.is_empty() && funded != cost => {
                let lines = file.funding.iter().map(|f| format!("{} {}", f.source, f.amount.yuan())).collect::<Vec<_>>().join(" + ");
                let (c, s, diff) = (cost.yuan(), funded.yuan(), (cost - funded).yuan());
                errs.push(
                    err(
                        msg!(
                            "资金来源加起来是 {s}（{lines}），但费用 cost 是 {c}，差 {diff}",
                            "the funding adds up to {s} ({lines}), but the cost is {c}: a difference of {diff}"
                        ),
                        src.key_at("funding"),
                    )
                    .hint(msg!(
                        "每一分钱都要说清楚从哪里来：补上缺的来源，或改正金额，让它们加起来正好等于合同价",
                        "say where every fen comes from: the funding must add up to the contract sum exactly"
                    )),
                );
            }
            None if !file.funding.is_empty() => {
                errs.push(
                    err(msg!("写了资金来源，但没写费用 cost", "funding is given but the cost is not"), src.key_at("funding"))
                        .hint(msg!("加一行 cost: 合同价，例如 cost: 760000", "add the contract sum, e.g. cost: 760000")),
                );
            }
            _ => {}
        }

        // Allocation: one funding line shared among groups.
        let allocation = file.allocation.and_then(|a| allocation(src, &a, &file.funding, &mut errs));

        let spending_at = src.item_lines("spending", file.spending.len());
        if let Some(first) = stages.first() {
            check_revisions(src, first.date, &file.revisions, &mut errs);
        }
        let matter = Matter {
            id,
            title: file.title.trim().to_string(),
            issuer: file.issuer.trim().to_string(),
            scope,
            summary: file.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            stages,
            notices: file.notices.into_iter().map(|n| n.0.trim().to_string()).collect(),
            quotes: file.quotes,
            cost: file.cost,
            funding: file.funding,
            allocation,
            spending: file.spending.into_iter().map(|n| n.0.trim().to_string()).collect(),
            spent: Vec::new(),
            revisions: file.revisions,
            draft: file.draft,
            code: VerificationCode::of(text),
            source: src.rel.clone(),
            text: text.clone(),
            notices_line: locate_key(text, "notices").0,
            spending_at,
        };
        if errs.has_errors() {
            Err(errs)
        } else {
            Ok(matter)
        }
    }
}

/// The allocation of a matter, its shares computed; `None` (with errors) when it cannot be.
fn allocation(src: &Source, a: &AllocationFile, funding: &[Funding], errs: &mut Diagnostics) -> Option<Allocation> {
    let text = &src.text;
    let err = |m, (l, c): (usize, usize)| Diagnostic::error(&src.rel, m).at(text, l, c);
    let (alloc_line, _) = locate_key(text, "allocation");
    let name = a.funding.trim();
    let Some(line) = funding.iter().find(|f| f.source.trim() == name) else {
        let sources: Vec<&str> = funding.iter().map(|f| f.source.as_str()).collect();
        let all = sources.join("、");
        errs.push(
            err(
                msg!("分摊的资金来源「{name}」不在 funding 里", "the allocated line `{name}` is not one of the funding lines"),
                field_at(text, alloc_line, "funding"),
            )
            .hint(msg!("写 funding 里某一行的 source，原样照抄：{all}", "copy the source of one funding line: {all}")),
        );
        return None;
    };
    let group_at = nested_item_lines(text, alloc_line, "groups", a.groups.len());
    if a.groups.is_empty() {
        errs.push(err(
            msg!("分摊方案没有列出任何一组住户", "the allocation lists no group of households"),
            src.key_at("allocation.groups"),
        ));
        return None;
    }
    let mut weights = Vec::with_capacity(a.groups.len());
    let mut ok = true;
    for (i, g) in a.groups.iter().enumerate() {
        let at = group_at[i];
        let gname = g.group.trim();
        let w: Option<i128> =
            match a.method {
                Method::Area => match g.area {
                    Some(area) if area.0 > 0 => Some(i128::from(area.0)),
                    Some(_) => {
                        errs.push(
                            err(
                                msg!(
                                    "「{gname}」的面积是 0：按面积分摊时每一组都要有面积",
                                    "{gname} has an area of 0: sharing by area needs each group's area"
                                ),
                                field_at(text, at, "area"),
                            )
                            .hint(msg!(
                                "写这组住户房屋建筑面积的合计（平方米）；不该分摊的住户不要列进来",
                                "write the group's total floor area in m²; leave out households that do not pay"
                            )),
                        );
                        None
                    }
                    None => {
                        errs.push(err(msg!("「{gname}」没有写面积 area", "{gname} has no area"), (at, 0)).hint(msg!(
                            "按面积分摊（method: area）时每一组都写 area: 平方米数",
                            "with method: area every group needs area:"
                        )));
                        None
                    }
                },
                Method::Equal => Some(i128::from(g.households)),
                Method::Weights => match g.weight {
                    Some(w) => Some(i128::from(w.0) * i128::from(g.households)),
                    None => {
                        errs.push(err(msg!("「{gname}」没有写系数 weight", "{gname} has no weight"), (at, 0)).hint(msg!(
                            "按系数分摊（method: weights）时每一组都写每户的系数，例如 weight: 1.2；不分摊的写 0",
                            "with method: weights every group needs a weight per household, e.g. weight: 1.2"
                        )));
                        None
                    }
                },
            };
        if g.households == 0 {
            errs.push(
                err(msg!("「{gname}」的户数是 0", "{gname} has no households"), field_at(text, at, "households"))
                    .hint(msg!("写这组有多少户；没有住户的组请删掉", "write how many households the group has, or remove it")),
            );
            ok = false;
        }
        match w {
            Some(w) => weights.push(w),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let Some(shares) = allocate(line.amount, &weights) else {
        errs.push(
            err(
                msg!("分摊的各组系数合计是 0：没有人分摊「{name}」", "the groups' weights add up to 0: nobody pays {name}"),
                src.key_at("allocation.groups"),
            )
            .hint(msg!("至少一组的系数要大于 0", "at least one group needs a weight above 0")),
        );
        return None;
    };
    // Shares the committee already announced must be the ones computed.
    let declared: Vec<(usize, Fen)> = a.groups.iter().enumerate().filter_map(|(i, g)| g.share.map(|s| (i, s))).collect();
    if !declared.is_empty() {
        let sum: Fen = declared.iter().map(|(_, s)| *s).sum();
        let (amt, s, diff) = (line.amount.yuan(), sum.yuan(), (line.amount - sum).yuan());
        if declared.len() == a.groups.len() && sum != line.amount {
            errs.push(
                err(
                    msg!(
                        "各组写的分摊金额合计 {s}，盖不住「{name}」的 {amt}，差 {diff}",
                        "the groups' shares add up to {s}, not to the {amt} of {name}: a difference of {diff}"
                    ),
                    src.key_at("allocation.groups"),
                )
                .hint(msg!(
                    "各组分摊加起来必须正好等于这笔资金；可以删掉 share，由程序按规则算出每组的金额",
                    "the shares must add up to the line exactly; remove share: and the program computes them"
                )),
            );
        } else {
            for (i, s) in declared {
                if s != shares[i].0 {
                    let (gname, w, c) = (a.groups[i].group.trim(), s.yuan(), shares[i].0.yuan());
                    errs.push(
                        err(
                            msg!(
                                "「{gname}」写的分摊金额是 {w}，按分摊规则算出来是 {c}",
                                "{gname}'s share is written as {w}, but the rule gives {c}"
                            ),
                            src.at(&format!("allocation.groups[{i}].share")),
                        )
                        .hint(msg!("改成 {c}，或者删掉 share 由程序计算", "write {c}, or remove share: and let the program compute it")),
                    );
                }
            }
        }
    }
    let groups = a
        .groups
        .iter()
        .zip(shares)
        .map(|(g, (share, rounded_up))| Group {
            name: g.group.trim().to_string(),
            households: g.households,
            area: g.area,
            weight: g.weight,
            share,
            rounded_up,
        })
        .collect();
    Some(Allocation { funding: name.to_string(), amount: line.amount, method: a.method, basis: a.basis.trim().to_string(), groups })
}

/// Shares `total` among parts in proportion to `weights`, in whole fen: each part gets the
/// floor of its exact share, and the fen left over go one each to the parts with the largest
/// remainders (the earlier part first when remainders are equal). Returns each share and
/// whether it received a leftover fen; `None` when the weights add up to nothing.
pub fn allocate(total: Fen, weights: &[i128]) -> Option<Vec<(Fen, bool)>> {
    let sum: i128 = weights.iter().sum();
    if sum <= 0 || weights.iter().any(|w| *w < 0) {
        return None;
    }
    let t = i128::from(total.0);
    let mut parts: Vec<(i128, i128)> = weights.iter().map(|w| ((t * w).div_euclid(sum), (t * w).rem_euclid(sum))).collect();
    let left = t - parts.iter().map(|p| p.0).sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    let mut up = vec![false; parts.len()];
    for &i in order.iter().take(left as usize) {
        parts[i].0 += 1;
        up[i] = true;
    }
    Some(parts.into_iter().zip(up).map(|((s, _), u)| (Fen(s as i64), u)).collect())
}

/// Checks what matters link to, now that everything is loaded: votes of their stages and
/// their notices exist (and are not drafts when the matter is not), and every voucher counted
/// as spending is a line of a ledger of a fund among the matter's funding; the vouchers found
/// are kept as the matter's spending.
pub fn check_links(
    matters: &mut [Matter],
    notices: &[super::notice::Notice],
    votes: &[super::vote::Vote],
    ledgers: &[super::ledger::Ledger],
    site: &Site,
    broken: &[std::path::PathBuf],
    diags: &mut Diagnostics,
) {
    // A file that is there but did not load has its own errors: a link to it is not missing.
    let is_broken = |dir: &str, stem: &str| broken.iter().any(|f| f.starts_with(dir) && f.file_stem().is_some_and(|s| s == stem));
    for m in matters.iter_mut() {
        let text = &m.text;
        let err = |msg, (l, c): (usize, usize)| Diagnostic::error(&m.source, msg).at(text, l, c);
        for s in &m.stages {
            let Some(v) = s.vote.as_deref() else { continue };
            match votes.iter().find(|x| x.id == v) {
                None if is_broken("content/votes", v) => {}
                None => {
                    let hint = match did_you_mean(v, votes.iter().map(|x| x.id.as_str())) {
                        Some(k) => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
                        None => msg!(
                            "写 content/votes/ 里表决文件的文件名（不带 .yaml）",
                            "write the file name of a vote in content/votes/, without .yaml"
                        ),
                    };
                    diags.push(err(msg!("找不到表决 `{v}`", "there is no vote `{v}`"), field_at(text, s.line, "vote")).hint(hint));
                }
                Some(x) if x.draft && !m.draft => diags.push(
                    err(
                        msg!("表决 `{v}` 还是草稿：事项发布了，它链接的表决却看不到", "the vote `{v}` is still a draft"),
                        field_at(text, s.line, "vote"),
                    )
                    .hint(msg!("先发布表决结果，或者把这个事项也先标成草稿", "publish the vote first, or keep this matter a draft too")),
                ),
                Some(_) => {}
            }
        }
        for n in &m.notices {
            let at = crate::source::locate(text, n, m.notices_line.max(1));
            match notices.iter().find(|x| x.id == *n) {
                None if is_broken("content/notices", n) => {}
                None => {
                    let hint = match did_you_mean(n, notices.iter().map(|x| x.id.as_str())) {
                        Some(k) => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
                        None => {
                            msg!("写 content/notices/ 里公告的编号（文件名，不带 .md）", "write the id of a notice in content/notices/")
                        }
                    };
                    diags.push(err(msg!("找不到公告 `{n}`", "there is no notice `{n}`"), at).hint(hint));
                }
                Some(x) if x.draft && !m.draft => diags.push(
                    err(msg!("公告 `{n}` 还是草稿：事项发布了，它链接的公告却看不到", "the notice `{n}` is still a draft"), at).hint(msg!(
                        "先发布这条公告，或者把这个事项也先标成草稿",
                        "publish the notice first, or keep this matter a draft too"
                    )),
                ),
                Some(_) => {}
            }
        }
        let funds: Vec<&str> = m.funding.iter().filter_map(|f| f.fund.as_deref()).map(str::trim).collect();
        let mut spent = Vec::new();
        for (i, v) in m.spending.iter().enumerate() {
            let at = crate::source::locate(text, v, m.spending_at[i].max(1));
            let found: Vec<(&super::ledger::Ledger, &super::ledger::Line)> = ledgers
                .iter()
                .flat_map(|l| l.expense.iter().map(move |x| (l, x)))
                .filter(|(_, x)| x.voucher.as_deref().map(str::trim) == Some(v.as_str()))
                .collect();
            let pick = found.iter().find(|(l, _)| funds.contains(&l.fund.as_str()));
            match (pick, found.first()) {
                (Some((l, x)), _) => spent.push(Spent {
                    voucher: v.clone(),
                    fund: l.fund.clone(),
                    period: l.period.key.clone(),
                    date: x.date,
                    amount: x.amount,
                    counterparty: x.counterparty.clone(),
                    note: x.note.clone(),
                }),
                (None, Some((l, _))) => {
                    let (fund, fund_id, file) = (site.fund_name(&l.fund), &l.fund, crate::diagnostics::display_path(&l.source));
                    let names = if funds.is_empty() {
                        "（没有）".to_string()
                    } else {
                        funds.iter().map(|f| site.fund_name(f)).collect::<Vec<_>>().join("、")
                    };
                    diags.push(
                        err(
                            msg!(
                                "凭证 `{v}` 是「{fund}」的支出（{file}），但这个事项的资金来源里没有「{fund}」",
                                "voucher `{v}` is an expense of {fund} ({file}), which is not among this matter's funding"
                            ),
                            at,
                        )
                        .hint(msg!(
                            "这个事项的钱只从这些账户出：{names}；如果确实用了「{fund}」的钱，请在 funding 里加上一行并写 fund: {fund_id}",
                            "this matter is paid from: {names}; if {fund} paid too, add a funding line with fund: {fund_id}"
                        )),
                    );
                }
                // A ledger of the funds that did not load may hold it.
                (None, None)
                    if broken.iter().any(|f| {
                        f.starts_with("content/accounts")
                            && (funds.is_empty() || f.parent().and_then(|d| d.file_name()).is_some_and(|d| funds.iter().any(|x| d == *x)))
                    }) => {}
                (None, None) => {
                    let hint = match funds.as_slice() {
                        [] => msg!(
                            "spending 写的是资金来源账户里支出的凭证号；先在 funding 里写明从哪个账户出钱（fund: …）",
                            "spending lists voucher numbers of the funded ledgers; name the fund in funding first"
                        ),
                        _ => {
                            let names = funds.iter().map(|f| site.fund_name(f)).collect::<Vec<_>>().join("、");
                            msg!(
                                "在「{names}」的账目里没有这张凭证：请核对凭证号，或者先把这笔支出记进账目",
                                "no ledger of {names} has this voucher: check the number, or record the expense first"
                            )
                        }
                    };
                    diags.push(err(msg!("找不到凭证 `{v}`", "there is no voucher `{v}`"), at).hint(hint));
                }
            }
        }
        if let Some(cost) = m.cost {
            let total: Fen = spent.iter().map(|s| s.amount).sum();
            if total > cost {
                let (t, c) = (total.yuan(), cost.yuan());
                diags.push(
                    Diagnostic::warning(&m.source, msg!("已支出 {t}，超过了合同价 {c}", "spent so far {t} is more than the cost {c}")).at(
                        text,
                        locate_key(text, "spending").0,
                        1,
                    ),
                );
            }
        }
        m.spent = spent;
    }
}

impl crate::kind::Item for Matter {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Matter
    }
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self, _: &Site) -> String {
        self.title.clone()
    }
    crate::item_fields!();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(total: i64, w: &[i128]) -> Vec<i64> {
        allocate(Fen(total), w).unwrap().into_iter().map(|(f, _)| f.0).collect()
    }

    #[test]
    fn leftover_fen_go_to_the_largest_remainders_and_the_shares_add_up() {
        // 100 fen in three equal parts: 33.33… each; one fen is left, the first part takes it.
        assert_eq!(shares(100, &[1, 1, 1]), vec![34, 33, 33]);
        // 1000 fen by 1 : 2 : 4 = 142.86, 285.71, 571.43: remainders .86 > .43 > .71 ordering.
        let s = shares(1000, &[1, 2, 4]);
        assert_eq!(s, vec![143, 286, 571]);
        assert_eq!(s.iter().sum::<i64>(), 1000);
        let marks: Vec<bool> = allocate(Fen(1000), &[1, 2, 4]).unwrap().into_iter().map(|(_, u)| u).collect();
        assert_eq!(marks, vec![true, true, false]);
    }

    #[test]
    fn one_group_takes_everything_and_a_zero_weight_takes_nothing() {
        assert_eq!(shares(53_200_000, &[216_000]), vec![53_200_000]);
        assert_eq!(shares(999, &[0, 3, 0]), vec![0, 999, 0]);
    }

    #[test]
    fn nothing_to_share_by_is_refused() {
        assert!(allocate(Fen(100), &[0, 0]).is_none());
        assert!(allocate(Fen(100), &[]).is_none());
        assert!(allocate(Fen(100), &[-1, 2]).is_none());
    }

    #[test]
    fn large_sums_stay_exact() {
        // ¥15,000,000.00 by areas of 98,120.40 m² split in odd parts: no overflow, no fen lost.
        let w = [3_333_333i128, 2_777_777, 3_700_930];
        let s = shares(1_500_000_000, &w);
        assert_eq!(s.iter().sum::<i64>(), 1_500_000_000);
        for (share, wi) in s.iter().zip(w) {
            let exact = 1_500_000_000i128 * wi / w.iter().sum::<i128>();
            assert!((i128::from(*share) - exact).abs() <= 1, "{share} vs {exact}");
        }
        // The largest amount a ledger can hold still divides.
        let big = shares(i64::MAX / 4, &[1, 1, 1, 1, 1, 1, 7]);
        assert_eq!(big.iter().sum::<i64>(), i64::MAX / 4);
    }

    #[test]
    fn shares_by_floor_follow_the_weights_per_household() {
        // 8 ground-floor households weigh 0, 16 households above weigh 1: 532,000 over 16.
        let s = shares(53_200_000, &[0, 16 * 100, 8 * 120]);
        assert_eq!(s.iter().sum::<i64>(), 53_200_000);
        assert_eq!(s[0], 0);
        assert_eq!(s, vec![0, 33_250_000, 19_950_000]);
    }

    #[test]
    fn stages_are_read_by_key_or_chinese_name() {
        assert_eq!(Stage::parse("contracted"), Some(Stage::Contracted));
        assert_eq!(Stage::parse("签约"), Some(Stage::Contracted));
        assert_eq!(Stage::parse("signed"), None);
    }
}
