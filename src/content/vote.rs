//! Votes and consultations (表决 / 征询): `content/votes/<id>.yaml`, and the rule of 民法典第二百
//! 七十八条 applied in integer arithmetic, so that the ⅔, ¾ and ½ boundaries are exact.

use super::notice::Posting;
use super::{check_issuer, check_revisions, check_scope, Revision};
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::msg;
use crate::site::{Place, Site};
use crate::source::{self, locate_key, LooseString, Source};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::path::PathBuf;

/// An area in hundredths of a square metre (专有部分面积, two decimals as on the deed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Area(pub i64);

impl Area {
    /// `70210.00`.
    pub fn plain(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

impl Serialize for Area {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Area {
    /// Read from the number's text, exactly like money (never through binary floating point).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::money::deserialize_hundredths(d, |_, raw| source::Refusal {
            message: msg!(
                "面积 `{raw}` 不对：写平方米数，最多两位小数，例如 70210.35",
                "the area `{raw}` is not valid: write square metres with at most two decimals, e.g. 70210.35"
            ),
            hint: None,
            value: None,
        })
        .map(Area)
    }
}

/// Owners and their area.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Count {
    /// 人数.
    pub owners: u32,
    /// 专有部分面积, m².
    pub area: Area,
}

impl std::ops::Add for Count {
    type Output = Count;
    fn add(self, o: Count) -> Count {
        Count { owners: self.owners + o.owners, area: Area(self.area.0 + o.area.0) }
    }
}

/// How a result is decided.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum Rule {
    /// 民法典第二百七十八条.
    #[serde(rename = "civil-code-278")]
    CivilCode278,
    /// A consultation: counts only.
    #[serde(rename = "none")]
    None,
}

/// Passed or failed.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// 通过.
    Passed,
    /// 未通过.
    Failed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteFile {
    #[serde(default)]
    privacy: super::Privacy,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    id: Option<String>,
    title: String,
    date: Date,
    issuer: String,
    #[serde(default, deserialize_with = "source::one_or_many")]
    scope: Vec<LooseString>,
    rule: Rule,
    #[serde(default)]
    matter: Option<u8>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    posting: Option<Posting>,
    #[serde(default)]
    eligible: Option<Count>,
    #[serde(default)]
    participated: Option<Count>,
    #[serde(default)]
    agree: Option<Count>,
    #[serde(default)]
    against: Option<Count>,
    #[serde(default)]
    abstain: Option<Count>,
    #[serde(default)]
    zones: Vec<ZoneFile>,
    #[serde(default)]
    zone_rule: Option<ZoneRule>,
    #[serde(default)]
    result: Option<Verdict>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneFile {
    zone: String,
    eligible: Count,
    participated: Count,
    agree: Count,
    against: Count,
    abstain: Count,
}

/// How the zones of a vote counted per zone decide.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ZoneRule {
    /// The matter also needs every zone to pass on its own.
    Every,
}

/// The five counts of a tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// 有表决权.
    pub eligible: Count,
    /// 参与表决.
    pub participated: Count,
    /// 同意.
    pub agree: Count,
    /// 反对.
    pub against: Count,
    /// 弃权.
    pub abstain: Count,
}

impl std::ops::Add for Tally {
    type Output = Tally;
    fn add(self, o: Tally) -> Tally {
        Tally {
            eligible: self.eligible + o.eligible,
            participated: self.participated + o.participated,
            agree: self.agree + o.agree,
            against: self.against + o.against,
            abstain: self.abstain + o.abstain,
        }
    }
}

impl Tally {
    /// Participation: ≥ ⅔ of eligible owners and area.
    pub fn participation(&self) -> Test {
        Test {
            threshold: Threshold::TWO_THIRDS,
            owners: (self.participated.owners.into(), self.eligible.owners.into()),
            area: (self.participated.area.0, self.eligible.area.0),
        }
    }

    /// Agreement: ≥ ¾ of participating owners and area for matters 6–8, otherwise more than half.
    pub fn agreement(&self, matter: Option<u8>) -> Test {
        let threshold = if matches!(matter, Some(6..=8)) { Threshold::THREE_QUARTERS } else { Threshold::HALF };
        Test {
            threshold,
            owners: (self.agree.owners.into(), self.participated.owners.into()),
            area: (self.agree.area.0, self.participated.area.0),
        }
    }

    /// Both tests met.
    pub fn passes(&self, matter: Option<u8>) -> bool {
        self.participation().met() && self.agreement(matter).met()
    }

    /// The counts, labelled as a message names them.
    fn rows(&self) -> [(&'static str, &'static str, Count); 5] {
        [
            ("eligible", "有表决权", self.eligible),
            ("participated", "参与表决", self.participated),
            ("agree", "同意", self.agree),
            ("against", "反对", self.against),
            ("abstain", "弃权", self.abstain),
        ]
    }
}

/// One zone of a vote counted per zone (区 / 期 / 楼栋 group).
#[derive(Debug, Clone)]
pub struct Zone {
    /// `一区`.
    pub name: String,
    /// Its counts.
    pub tally: Tally,
}

/// A validated vote.
#[derive(Debug, Clone)]
pub struct Vote {
    /// `/v/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Day the result was announced.
    pub date: Date,
    /// A body key or free text.
    pub issuer: String,
    /// Buildings and entrances that voted; empty for the whole community.
    pub scope: Vec<Place>,
    /// Rule.
    pub rule: Rule,
    /// Item 1–9 of Art. 278 (civil-code-278 only).
    pub matter: Option<u8>,
    /// 书面表决 / 电子投票…
    pub method: Option<String>,
    /// 公示期 of the result.
    pub posting: Option<Posting>,
    /// Counts.
    pub eligible: Count,
    /// Counts.
    pub participated: Count,
    /// Counts.
    pub agree: Count,
    /// Counts.
    pub against: Count,
    /// Counts.
    pub abstain: Count,
    /// Counted per zone (each zone adds up, and the zones add up to the whole).
    pub zones: Vec<Zone>,
    /// With zones: whether every zone must pass on its own.
    pub zone_rule: Option<ZoneRule>,
    /// Plain-language line.
    pub summary: Option<String>,
    /// Corrections.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// 校验码.
    pub code: VerificationCode,
    /// Source.
    pub source: PathBuf,
}

/// The matters of 民法典第二百七十八条第一款.
pub const MATTERS: [&str; 9] = [
    "制定和修改业主大会议事规则",
    "制定和修改管理规约",
    "选举业主委员会或者更换业主委员会成员",
    "选聘和解聘物业服务企业或者其他管理人",
    "使用建筑物及其附属设施的维修资金",
    "筹集建筑物及其附属设施的维修资金",
    "改建、重建建筑物及其附属设施",
    "改变共有部分的用途或者利用共有部分从事经营活动",
    "有关共有和共同管理权利的其他重大事项",
];

/// A threshold as a fraction, and whether the boundary itself is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    /// Numerator.
    pub num: i64,
    /// Denominator.
    pub den: i64,
    /// `true` for "≥" (以上), `false` for "more than" (过半数).
    pub inclusive: bool,
}

impl Threshold {
    /// ≥ ⅔.
    pub const TWO_THIRDS: Threshold = Threshold { num: 2, den: 3, inclusive: true };
    /// ≥ ¾.
    pub const THREE_QUARTERS: Threshold = Threshold { num: 3, den: 4, inclusive: true };
    /// > ½.
    pub const HALF: Threshold = Threshold { num: 1, den: 2, inclusive: false };

    /// Whether `part / whole` reaches the threshold, in integers: part·den vs whole·num.
    pub fn met(self, part: i64, whole: i64) -> bool {
        if whole <= 0 {
            return false;
        }
        let (l, r) = (i128::from(part) * i128::from(self.den), i128::from(whole) * i128::from(self.num));
        if self.inclusive {
            l >= r
        } else {
            l > r
        }
    }

    /// How much `part` would have to grow to reach the threshold of `whole` (0 when it does).
    pub fn shortfall(self, part: i64, whole: i64) -> i64 {
        let (num, den, w) = (i128::from(self.num), i128::from(self.den), i128::from(whole.max(0)));
        let need = if self.inclusive { (w * num + den - 1) / den } else { w * num / den + 1 };
        (need - i128::from(part)).max(0) as i64
    }

    /// `三分之二`, `四分之三`, `过半数`.
    pub fn zh(self) -> &'static str {
        match (self.num, self.den) {
            (2, 3) => "三分之二",
            (3, 4) => "四分之三",
            _ => "一半",
        }
    }

    /// `two thirds`…
    pub fn en(self) -> &'static str {
        match (self.num, self.den) {
            (2, 3) => "two thirds",
            (3, 4) => "three quarters",
            _ => "half",
        }
    }
}

/// One test of the rule: a ratio by owners and by area against a threshold.
#[derive(Debug, Clone, Copy)]
pub struct Test {
    /// Threshold.
    pub threshold: Threshold,
    /// Owners: part and whole.
    pub owners: (i64, i64),
    /// Area (hundredths of m²): part and whole.
    pub area: (i64, i64),
}

impl Test {
    /// Both the owners and the area reach the threshold.
    pub fn met(&self) -> bool {
        self.owners_met() && self.area_met()
    }
    /// Owners reach it.
    pub fn owners_met(&self) -> bool {
        self.threshold.met(self.owners.0, self.owners.1)
    }
    /// Area reaches it.
    pub fn area_met(&self) -> bool {
        self.threshold.met(self.area.0, self.area.1)
    }
}

/// A ratio in permille, rounded half up, for display (`716` → `71.6%`); never used to decide.
pub fn permille(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    ((i128::from(part) * 2000 + i128::from(whole)) / (2 * i128::from(whole))) as i64
}

/// `71.6%`.
pub fn percent(part: i64, whole: i64) -> String {
    let p = permille(part, whole);
    format!("{}.{}%", p / 10, p % 10)
}

impl Vote {
    /// The counts of the whole.
    pub fn tally(&self) -> Tally {
        Tally { eligible: self.eligible, participated: self.participated, agree: self.agree, against: self.against, abstain: self.abstain }
    }

    /// Participation: ≥ ⅔ of eligible owners and area.
    pub fn participation(&self) -> Test {
        self.tally().participation()
    }

    /// Agreement: ≥ ¾ of participating owners and area for matters 6–8, otherwise more than half.
    pub fn agreement(&self) -> Test {
        self.tally().agreement(self.matter)
    }

    /// The zones that fail on their own.
    pub fn failing_zones(&self) -> Vec<&Zone> {
        self.zones.iter().filter(|z| !z.tally.passes(self.matter)).collect()
    }

    /// The result under the rule; `None` for a consultation. With `zone_rule: every`, one
    /// failing zone fails the matter.
    pub fn verdict(&self) -> Option<Verdict> {
        let zones_ok = self.zone_rule != Some(ZoneRule::Every) || self.failing_zones().is_empty();
        match self.rule {
            Rule::None => None,
            Rule::CivilCode278 if self.tally().passes(self.matter) && zones_ok => Some(Verdict::Passed),
            Rule::CivilCode278 => Some(Verdict::Failed),
        }
    }

    /// Loads `content/votes/<id>.yaml`.
    pub fn load(src: &Source, site: &Site) -> Result<Vote, Diagnostics> {
        let mut errs = Diagnostics::default();
        let Some(file) = source::parse_into::<VoteFile>(src, &src.text, 1, &mut errs) else {
            super::check_what_was_readable(src, site, &src.text, &mut errs);
            return Err(errs);
        };
        let id = source::resolve_id(src, file.id.as_deref(), "vote-1").map_err(|d| errs.push(d)).ok();
        check_issuer(src, site, &file.issuer, &mut errs);
        if !file.draft {
            source::unfilled(src, true, &mut errs);
        }
        super::check_privacy(src, site, &file.privacy, &[], &mut errs);
        check_revisions(src, file.date, &file.revisions, &mut errs);
        let scope = check_scope(src, site, "scope", &file.scope, &mut errs);
        let err_at = |key: &str, m, h| {
            let (l, c) = locate_key(&src.text, key);
            Diagnostic::error(&src.rel, m).at(&src.text, l, c).hint(h)
        };
        if file.title.trim().is_empty() {
            errs.push(err_at(
                "title",
                msg!("标题 `title` 不能为空", "`title` must not be empty"),
                msg!("写表决事项的名称", "name the matter voted on"),
            ));
        }
        match (file.rule, file.matter) {
            // A `matter` written but refused is already reported where it is written.
            (Rule::CivilCode278, None) if !errs.refused_at(&src.rel, src.key_at("matter").0) => errs.push(err_at(
                "rule",
                msg!(
                    "按民法典第二百七十八条表决，必须写 `matter`（第一款第几项）",
                    "under civil-code-278, `matter` (item 1–9 of Art. 278) is required"
                ),
                msg!(
                    "例如选聘物业写 matter: 4，筹集维修资金写 matter: 6；只是征求意见请写 rule: none",
                    "e.g. matter: 4 to hire a property manager, 6 to raise repair funds; for a consultation write rule: none"
                ),
            )),
            (_, Some(m)) if !(1..=9).contains(&m) => errs.push(err_at(
                "matter",
                msg!(
                    "`matter: {m}` 不对：民法典第二百七十八条第一款只有第 1 到第 9 项",
                    "`matter: {m}` is not valid: Art. 278 has items 1 to 9"
                ),
                msg!(
                    "6–8 项（筹集维修资金、改建重建、改变共有部分用途）需要四分之三同意，其余过半数",
                    "items 6–8 need three quarters in favour, the others more than half"
                ),
            )),
            _ => {}
        }
        // The zones, each adding up, and the whole: written, or the zones' sum.
        let zone_at = src.item_lines("zones", file.zones.len());
        let zones: Vec<Zone> = file
            .zones
            .iter()
            .map(|z| Zone {
                name: z.zone.trim().to_string(),
                tally: Tally { eligible: z.eligible, participated: z.participated, agree: z.agree, against: z.against, abstain: z.abstain },
            })
            .collect();
        let zone_sum = zones.iter().fold(Tally::default(), |a, z| a + z.tally);
        let written = [file.eligible, file.participated, file.agree, file.against, file.abstain];
        let derived = written.iter().all(Option::is_none) && !zones.is_empty();
        let whole = if derived {
            zone_sum
        } else {
            let missing: Vec<&str> = ["eligible", "participated", "agree", "against", "abstain"]
                .into_iter()
                .zip(written)
                // A count written but refused is already reported where it is written.
                .filter(|(k, c)| c.is_none() && !errs.refused_at(&src.rel, src.key_at(k).0))
                .map(|(k, _)| k)
                .collect();
            if !missing.is_empty() {
                let list = missing.join("、");
                let list_en = missing.join(", ");
                errs.push(Diagnostic::error(&src.rel, msg!("缺少计票数：{list}", "counts missing: {list_en}")).at(&src.text, 1, 1).hint(
                    msg!(
                        "每一项都写人数和面积，例如 agree: {{owners: 430, area: 55100.50}}；按区计票时也可以全部不写，由各区相加",
                        "give owners and area for each, e.g. agree: {{owners: 430, area: 55100.50}}; with zones they may all be left out"
                    ),
                ));
                return Err(errs);
            }
            let c = |o: Option<Count>| o.unwrap_or_default();
            Tally {
                eligible: c(file.eligible),
                participated: c(file.participated),
                agree: c(file.agree),
                against: c(file.against),
                abstain: c(file.abstain),
            }
        };
        // A whole made from the zones adds up when they do (each zone is checked below).
        if !derived {
            check_tally(src, &whole, None, &mut errs);
        }
        let mut seen = std::collections::BTreeSet::new();
        for (z, &line) in zones.iter().zip(&zone_at) {
            check_tally(src, &z.tally, Some((&z.name, line)), &mut errs);
            if !seen.insert(z.name.as_str()) {
                let n = &z.name;
                errs.push(
                    Diagnostic::error(&src.rel, msg!("分区「{n}」写了两次", "the zone {n} is listed twice"))
                        .at(&src.text, line, 1)
                        .hint(msg!("每个区只写一行", "list each zone once")),
                );
            }
        }
        if !zones.is_empty() && zone_sum != whole {
            let (l, c) = src.key_at("zones");
            for (key, label, total) in whole.rows() {
                let sum = zone_sum.rows().into_iter().find(|r| r.0 == key).map(|r| r.2).unwrap_or_default();
                if sum != total {
                    let (so, sa, to, ta) = (sum.owners, sum.area, total.owners, total.area);
                    errs.push(
                        Diagnostic::error(
                            &src.rel,
                            msg!(
                                "各区的「{label}」加起来是 {so} 人、{sa} 平方米，和全体的 {to} 人、{ta} 平方米对不上",
                                "the zones' {key} add up to {so} owners and {sa} m², not to the whole's {to} owners and {ta} m²"
                            ),
                        )
                        .at(&src.text, l, c)
                        .hint(msg!(
                            "核对各区的计票表；全体的数字也可以不写，由各区相加",
                            "check each zone's tally; the whole may be left out and is then the zones' sum"
                        )),
                    );
                }
            }
        }
        if file.zone_rule.is_some() && zones.is_empty() {
            let (l, c) = src.key_at("zone_rule");
            errs.push(
                Diagnostic::error(&src.rel, msg!("写了 zone_rule，但没有按区计票（zones）", "zone_rule is given but there are no zones"))
                    .at(&src.text, l, c)
                    .hint(msg!(
                        "按区计票时在 zones 下写每个区的票数；不分区就删掉 zone_rule",
                        "list each zone under zones, or remove zone_rule"
                    )),
            );
        }
        if errs.has_errors() {
            return Err(errs);
        }
        let vote = Vote {
            id: id.unwrap_or_default(),
            title: file.title.trim().to_string(),
            date: file.date,
            issuer: file.issuer.trim().to_string(),
            scope,
            rule: file.rule,
            matter: file.matter,
            method: file.method,
            posting: file.posting,
            eligible: whole.eligible,
            participated: whole.participated,
            agree: whole.agree,
            against: whole.against,
            abstain: whole.abstain,
            zones,
            zone_rule: file.zone_rule,
            summary: file.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            revisions: file.revisions,
            draft: file.draft,
            code: VerificationCode::of(&src.text),
            source: src.rel.clone(),
        };
        match (file.result, vote.verdict()) {
            (Some(declared), Some(computed)) if declared != computed => {
                let why = vote.explain_failure();
                let (dz, cz) = (verdict_zh(declared), verdict_zh(computed));
                errs.push(err_at(
                    "result",
                    msg!(
                        "写的结果是「{dz}」，但按票数算是「{cz}」：{why}",
                        "the declared result is {declared:?}, but the counts give {computed:?}: {why}"
                    ),
                    msg!(
                        "核对票数，或改正 result；不写 result 时由 gongshi 计算",
                        "check the counts or correct result; leave it out and gongshi computes it"
                    ),
                ));
                Err(errs)
            }
            (Some(_), None) => {
                errs.push(err_at(
                    "result",
                    msg!("征询（rule: none）没有通过与否，不能写 result", "a consultation (rule: none) has no result; remove `result`"),
                    msg!(
                        "要判定通过与否，请写 rule: civil-code-278 和 matter",
                        "to decide a result, write rule: civil-code-278 and a matter"
                    ),
                ));
                Err(errs)
            }
            _ => Ok(vote),
        }
    }

    /// Why the computed result is what it is, in one plain sentence (Chinese).
    pub fn explain_failure(&self) -> String {
        let mut parts = Vec::new();
        for (label, t) in [("参与表决", self.participation()), ("同意", self.agreement())] {
            parts.push(format!(
                "{label}人数占 {}、面积占 {}，{}{}",
                percent(t.owners.0, t.owners.1),
                percent(t.area.0, t.area.1),
                if t.met() { "达到" } else { "未达到" },
                t.threshold.zh()
            ));
        }
        if self.zone_rule == Some(ZoneRule::Every) {
            for z in self.failing_zones() {
                parts.push(format!("「{}」没有通过，按 zone_rule: every 每个区都要通过", z.name));
            }
        }
        parts.join("；")
    }
}

/// The counts of a tally add up (agree + against + abstain = participated ≤ eligible, eligible
/// not zero); `zone` names a zone and its line, `None` is the whole.
fn check_tally(src: &Source, t: &Tally, zone: Option<(&str, usize)>, errs: &mut Diagnostics) {
    let (pre_zh, pre_en) = match zone {
        Some((n, _)) => (format!("「{n}」"), format!("zone {n}: ")),
        None => (String::new(), String::new()),
    };
    let at = |key: &str| match zone {
        Some((_, line)) => source::field_at(&src.text, line, key),
        None => locate_key(&src.text, key),
    };
    let mut push = |key: &str, m: crate::diagnostics::Msg, h| {
        let (l, c) = at(key);
        let m = crate::diagnostics::Msg { zh: format!("{pre_zh}{}", m.zh), en: format!("{pre_en}{}", m.en) };
        errs.push(Diagnostic::error(&src.rel, m).at(&src.text, l, c).hint(h));
    };
    let sum = t.agree + t.against + t.abstain;
    let p = t.participated;
    if sum.owners != p.owners {
        let (a, b, c, s, po) = (t.agree.owners, t.against.owners, t.abstain.owners, sum.owners, p.owners);
        push(
            "participated",
            msg!(
                "人数对不上：同意 {a} + 反对 {b} + 弃权 {c} = {s}，但参与表决写的是 {po}",
                "owners do not add up: agree {a} + against {b} + abstain {c} = {s}, but participated says {po}"
            ),
            msg!("核对计票表：参与表决的人数应等于同意、反对、弃权之和", "check the tally: participants = agree + against + abstain"),
        );
    }
    if sum.area != p.area {
        let (a, b, c, s, pa) = (t.agree.area, t.against.area, t.abstain.area, sum.area, p.area);
        push(
            "participated",
            msg!(
                "面积对不上：同意 {a} + 反对 {b} + 弃权 {c} = {s} 平方米，但参与表决写的是 {pa} 平方米",
                "areas do not add up: agree {a} + against {b} + abstain {c} = {s} m², but participated says {pa} m²"
            ),
            msg!("核对计票表：参与表决的面积应等于同意、反对、弃权之和", "check the tally: participating area = agree + against + abstain"),
        );
    }
    let e = t.eligible;
    if e.owners == 0 || e.area.0 == 0 {
        push(
            "eligible",
            msg!("有表决权的总人数和总面积不能为 0", "eligible owners and area must not be zero"),
            msg!("写本次表决范围内全部业主的人数和专有部分面积", "give all owners in scope and their total area"),
        );
    } else if p.owners > e.owners || p.area > e.area {
        let (po, pa, eo, ea) = (p.owners, p.area, e.owners, e.area);
        push(
            "participated",
            msg!(
                "参与表决的 {po} 人、{pa} 平方米超过了有表决权的 {eo} 人、{ea} 平方米",
                "participants ({po} owners, {pa} m²) exceed the eligible ({eo} owners, {ea} m²)"
            ),
            msg!("检查是否把两行写反了", "check whether the two lines are swapped"),
        );
    }
}

fn verdict_zh(v: Verdict) -> &'static str {
    match v {
        Verdict::Passed => "通过",
        Verdict::Failed => "未通过",
    }
}

impl crate::kind::Item for Vote {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Vote
    }
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self, _: &crate::site::Site) -> String {
        self.title.clone()
    }
    crate::item_fields!();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(matter: u8, eligible: (u32, i64), participated: (u32, i64), agree: (u32, i64)) -> Vote {
        let c = |(o, a): (u32, i64)| Count { owners: o, area: Area(a) };
        Vote {
            id: "t".into(),
            title: "t".into(),
            date: Date::ymd(2026, 1, 1),
            issuer: "committee".into(),
            scope: vec![],
            rule: Rule::CivilCode278,
            matter: Some(matter),
            method: None,
            posting: None,
            eligible: c(eligible),
            participated: c(participated),
            agree: c(agree),
            against: c((participated.0 - agree.0, participated.1 - agree.1)),
            abstain: Count::default(),
            zones: Vec::new(),
            zone_rule: None,
            summary: None,
            revisions: vec![],
            draft: false,
            code: VerificationCode::of(""),
            source: PathBuf::new(),
        }
    }

    #[test]
    fn exactly_two_thirds_participation_is_enough_one_less_is_not() {
        // 300 owners, 30000.00 m²: exactly 200 owners and 20000.00 m² is two thirds.
        assert_eq!(vote(4, (300, 3_000_000), (200, 2_000_000), (150, 1_500_000)).verdict(), Some(Verdict::Passed));
        assert_eq!(vote(4, (300, 3_000_000), (199, 2_000_000), (150, 1_500_000)).verdict(), Some(Verdict::Failed));
        // One hundredth of a square metre short.
        assert_eq!(vote(4, (300, 3_000_000), (200, 1_999_999), (150, 1_500_000)).verdict(), Some(Verdict::Failed));
        // 2/3 of a number not divisible by 3: 784 owners → 522.67, so 523 needed.
        assert!(!Threshold::TWO_THIRDS.met(522, 784));
        assert!(Threshold::TWO_THIRDS.met(523, 784));
    }

    #[test]
    fn exactly_half_in_favour_fails_one_more_passes() {
        assert_eq!(vote(4, (300, 3_000_000), (200, 2_000_000), (100, 1_500_000)).verdict(), Some(Verdict::Failed));
        assert_eq!(vote(4, (300, 3_000_000), (200, 2_000_000), (101, 1_000_000)).verdict(), Some(Verdict::Failed));
        assert_eq!(vote(4, (300, 3_000_000), (200, 2_000_000), (101, 1_000_001)).verdict(), Some(Verdict::Passed));
    }

    #[test]
    fn major_matters_need_three_quarters_and_exactly_three_quarters_passes() {
        for matter in 6..=8 {
            assert_eq!(vote(matter, (300, 3_000_000), (200, 2_000_000), (150, 1_500_000)).verdict(), Some(Verdict::Passed));
            assert_eq!(vote(matter, (300, 3_000_000), (200, 2_000_000), (149, 1_500_000)).verdict(), Some(Verdict::Failed));
            assert_eq!(vote(matter, (300, 3_000_000), (200, 2_000_000), (150, 1_499_999)).verdict(), Some(Verdict::Failed));
        }
        // Matters 5 and 9 are ordinary: 60% is enough.
        assert_eq!(vote(5, (300, 3_000_000), (200, 2_000_000), (120, 1_200_000)).verdict(), Some(Verdict::Passed));
        assert_eq!(vote(9, (300, 3_000_000), (200, 2_000_000), (120, 1_200_000)).verdict(), Some(Verdict::Passed));
        assert_eq!(vote(6, (300, 3_000_000), (200, 2_000_000), (120, 1_200_000)).verdict(), Some(Verdict::Failed));
    }

    #[test]
    fn one_failing_zone_fails_the_matter_only_under_every() {
        let c = |o: u32, a: i64| Count { owners: o, area: Area(a) };
        let zone = |name: &str, agree: (u32, i64)| Zone {
            name: name.into(),
            tally: Tally {
                eligible: c(30, 3000),
                participated: c(30, 3000),
                agree: c(agree.0, agree.1),
                against: c(30 - agree.0, 3000 - agree.1),
                abstain: c(0, 0),
            },
        };
        let mut v = vote(4, (60, 6000), (60, 6000), (40, 4000));
        v.against = c(20, 2000);
        v.zones = vec![zone("一区", (30, 3000)), zone("二区", (10, 1000))];
        assert_eq!(v.verdict(), Some(Verdict::Passed), "without zone_rule the zones are only reported");
        v.zone_rule = Some(ZoneRule::Every);
        assert_eq!(v.verdict(), Some(Verdict::Failed));
        assert_eq!(v.failing_zones().len(), 1);
        assert!(v.explain_failure().contains("「二区」没有通过"));
    }

    #[test]
    fn the_shortfall_is_what_reaching_the_threshold_takes() {
        // More than half of 30: 16; of 31: 16.
        assert_eq!(Threshold::HALF.shortfall(10, 30), 6);
        assert_eq!(Threshold::HALF.shortfall(15, 30), 1);
        assert_eq!(Threshold::HALF.shortfall(16, 31), 0);
        // Two thirds of 30 is 20, of 31 is 20.67 → 21.
        assert_eq!(Threshold::TWO_THIRDS.shortfall(19, 30), 1);
        assert_eq!(Threshold::TWO_THIRDS.shortfall(20, 31), 1);
        assert_eq!(Threshold::THREE_QUARTERS.shortfall(75, 100), 0);
    }

    #[test]
    fn percentages_round_half_up_for_display_only() {
        assert_eq!(percent(7_021_000, 9_812_040), "71.6%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(1, 2), "50.0%");
        assert_eq!(percent(0, 0), "0.0%");
    }
}
