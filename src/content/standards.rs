//! Service standards (晒服务标准): `content/standards/<id>.yaml` — the provider, the 明码标价
//! fee table, the service list and the response tiers that request logs are measured against.

use super::{check_issuer, check_revisions, Revision};
use crate::calendar::Span;
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::money::Fen;
use crate::msg;
use crate::site::Site;
use crate::source::{self, locate, Source};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardsFile {
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    privacy: super::Privacy,
    #[serde(default)]
    id: Option<String>,
    title: String,
    issuer: String,
    effective: Date,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    provider: Option<Provider>,
    #[serde(default)]
    fees: Vec<Fee>,
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    response: Vec<Tier>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

/// Who provides the service.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Company name.
    pub name: String,
    /// Person in charge, as published (`项目经理 李某`).
    #[serde(default)]
    pub manager: Option<String>,
    /// Public phone number.
    #[serde(default)]
    pub phone: Option<source::LooseString>,
}

/// One line of the 明码标价 fee table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// 物业服务费.
    pub item: String,
    /// 高层住宅.
    #[serde(default)]
    pub applies_to: Option<String>,
    /// 元/平方米·月.
    pub unit: String,
    /// Price in yuan, to the fen.
    pub price: Fen,
    /// 政府指导价 / 市场调节价.
    #[serde(default)]
    pub pricing: Option<String>,
    /// Decision or document the price rests on.
    #[serde(default)]
    pub basis: Option<String>,
    /// Anything else.
    #[serde(default)]
    pub note: Option<String>,
}

/// One promised service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// 保洁.
    pub category: String,
    /// 楼道清扫.
    pub item: String,
    /// 每日1次.
    pub standard: String,
}

/// A request-handling tier and its time limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Key used by request logs: `urgent`.
    pub tier: String,
    /// Plain name: 紧急（爆管、电梯困人）.
    pub name: String,
    /// Time to first response.
    #[serde(default)]
    pub respond_within: Option<Span>,
    /// Time to resolution.
    #[serde(default)]
    pub resolve_within: Option<Span>,
    /// Time to the follow-up visit or call (回访).
    #[serde(default)]
    pub follow_up_within: Option<Span>,
}

/// A validated set of service standards.
#[derive(Debug, Clone)]
pub struct Standards {
    /// Permanent id, used in `/s/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// A body key or free text.
    pub issuer: String,
    /// In force from this day until the next standards take effect.
    pub effective: Date,
    /// Plain-language line.
    pub summary: Option<String>,
    /// Provider.
    pub provider: Option<Provider>,
    /// 明码标价.
    pub fees: Vec<Fee>,
    /// Service list.
    pub services: Vec<Service>,
    /// Response tiers.
    pub tiers: Vec<Tier>,
    /// Corrections.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// 校验码.
    pub code: VerificationCode,
    /// Source path.
    pub source: PathBuf,
}

impl Standards {
    /// Loads `content/standards/<id>.yaml`.
    pub fn load(src: &Source, site: &Site) -> Result<Standards, Diagnostics> {
        let mut errs = Diagnostics::default();
        let Some(file) = source::parse_into::<StandardsFile>(src, &src.text, 1, &mut errs) else {
            return Err(errs);
        };
        if !file.draft {
            source::unfilled(src, true, &mut errs);
        }
        let id = source::resolve_id(src, file.id.as_deref(), "standards-1").map_err(|d| errs.push(d)).ok();
        check_issuer(src, site, &file.issuer, &mut errs);
        let provider_phone: Vec<&str> = file.provider.iter().filter_map(|p| p.phone.as_ref()).map(|p| p.0.as_str()).collect();
        super::check_privacy(src, site, &file.privacy, &provider_phone, &mut errs);
        check_revisions(src, file.effective, &file.revisions, &mut errs);
        super::check_title(src, &file.title, &mut errs);
        let (resp_line, _) = source::locate_key(&src.text, "response");
        for (i, t) in file.response.iter().enumerate() {
            let (l, c) = locate(&src.text, &t.tier, resp_line.max(1));
            let key = t.tier.trim();
            if !source::is_valid_id(key) {
                errs.push(
                    Diagnostic::error(&src.rel, msg!("档位代号 `{key}` 不合规", "the tier key `{key}` is not valid"))
                        .at(&src.text, l, c)
                        .hint(msg!(
                            "用小写英文字母、数字和短横线，例如 urgent、routine",
                            "use lowercase letters, digits and dashes, e.g. urgent"
                        )),
                );
            }
            if file.response[..i].iter().any(|o| o.tier.trim() == key) {
                errs.push(
                    Diagnostic::error(&src.rel, msg!("档位 `{key}` 写了两次", "the tier `{key}` is listed twice")).at(&src.text, l, c),
                );
            }
            if t.respond_within.is_none() && t.resolve_within.is_none() && t.follow_up_within.is_none() {
                errs.push(
                    Diagnostic::error(&src.rel, msg!("档位 `{key}` 没有任何时限", "the tier `{key}` sets no time limit"))
                        .at(&src.text, l, c)
                        .hint(msg!(
                            "至少写一个：respond_within（响应）、resolve_within（办结）或 follow_up_within（回访）",
                            "give at least one of respond_within, resolve_within, follow_up_within"
                        )),
                );
            }
        }
        if errs.has_errors() {
            return Err(errs);
        }
        Ok(Standards {
            id: id.unwrap_or_default(),
            title: file.title.trim().to_string(),
            issuer: file.issuer.trim().to_string(),
            effective: file.effective,
            summary: file.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            provider: file.provider,
            fees: file.fees,
            services: file.services,
            tiers: file.response,
            revisions: file.revisions,
            draft: file.draft,
            code: VerificationCode::of(&src.text),
            source: src.rel.clone(),
        })
    }

    /// The tier called `key`.
    pub fn tier(&self, key: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.tier == key)
    }

    /// The tier a Chinese word names (`一般` → the tier named 一般报修和咨询, `紧急`, `疑难`),
    /// as the standards name their tiers; the common other words (普通, 常规, 复杂) too.
    pub fn tier_named(&self, word: &str) -> Option<&Tier> {
        let word = word.trim();
        if word.is_empty() || word.is_ascii() {
            return None;
        }
        let said = [("普通", "一般"), ("常规", "一般"), ("复杂", "疑难"), ("困难", "疑难"), ("急", "紧急"), ("加急", "紧急")]
            .iter()
            .find(|(w, _)| *w == word)
            .map_or(word, |(_, n)| *n);
        self.tiers.iter().find(|t| t.name.contains(said))
    }
}

/// The standards in force on `day`: the latest to have taken effect. `all` is sorted by
/// `effective`.
pub fn in_force(all: &[Standards], day: Date) -> Option<&Standards> {
    all.iter().rev().find(|s| s.effective <= day)
}

impl crate::kind::Item for Standards {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Standards
    }
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self, _: &crate::site::Site) -> String {
        self.title.clone()
    }
    crate::item_fields!();
}
