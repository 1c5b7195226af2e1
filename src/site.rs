//! `content/site.yaml`: the community's profile — name, address of the site, publishing
//! bodies, buildings and entrances, contacts, funds and the working-day calendar.

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::msg;
use crate::source::{self, locate, LooseString, Source};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    name: String,
    base_url: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    publish_to: Option<String>,
    #[serde(default)]
    data_license: Option<String>,
    #[serde(default)]
    duties: Option<Vec<crate::duties::DutyFile>>,
    #[serde(default)]
    privacy: crate::content::Privacy,
    #[serde(default)]
    bodies: IndexMap<String, String>,
    #[serde(default)]
    buildings: Vec<BuildingFile>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default)]
    funds: Vec<Fund>,
    #[serde(default)]
    holidays: Vec<Date>,
    #[serde(default)]
    workdays: Vec<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuildingFile {
    id: LooseString,
    name: String,
    #[serde(default)]
    entrances: Vec<LooseString>,
    #[serde(default)]
    zone: Option<String>,
}

/// A publishing body (业委会, 物业, 居委会), named by key in an item's `issuer`.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// Key used in sources (`committee`).
    pub key: String,
    /// Full name (`湖畔花园业主委员会`).
    pub name: String,
}

/// A building (楼栋) and its entrances (门洞).
#[derive(Debug, Clone, Serialize)]
pub struct Building {
    /// `5` → `/b/5/`.
    pub id: String,
    /// `5号楼`.
    pub name: String,
    /// `["1", "2"]` → `/b/5-1/`, `/b/5-2/`.
    pub entrances: Vec<String>,
    /// Optional grouping (`二期`).
    pub zone: Option<String>,
}

/// A public contact: shown on every entrance page and poster.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// `物业服务中心`.
    pub role: String,
    /// `021-5781 0000`.
    pub phone: LooseString,
    /// `8:00-17:00`.
    #[serde(default)]
    pub hours: Option<String>,
    /// Optional name of the person or place (`网格员 王老师`, `3号楼底层`).
    #[serde(default)]
    pub note: Option<String>,
}

impl Serialize for LooseString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// An account kept by the committee (公共收益, 专项维修资金).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fund {
    /// `public-income`.
    pub id: String,
    /// `公共收益`.
    pub name: String,
}

/// The validated community profile.
#[derive(Debug, Clone)]
pub struct Site {
    /// Community name.
    pub name: String,
    /// Where `public/` is served, without a trailing slash.
    pub base_url: String,
    /// Language of the theme and of messages.
    pub lang: Lang,
    /// One line shown under the name on the home page.
    pub description: Option<String>,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Where `gongshi publish` also puts the site (relative to the site folder, or absolute).
    pub publish_to: Option<String>,
    /// The licence of the open data (`CC-BY-4.0` unless `data_license:` says otherwise).
    pub data_license: String,
    /// The disclosure duties (公开目录): `duties:`, or the default list.
    pub duties: Vec<crate::duties::Duty>,
    /// Values of site.yaml that look like personal data but are to be published.
    pub privacy: crate::content::Privacy,
    /// Publishing bodies, in the order written.
    pub bodies: Vec<Body>,
    /// Buildings, in the order written.
    pub buildings: Vec<Building>,
    /// Public contacts.
    pub contacts: Vec<Contact>,
    /// Funds.
    pub funds: Vec<Fund>,
    /// Public holidays (no work).
    pub holidays: Vec<Date>,
    /// Weekend days worked instead (调休上班).
    pub workdays: Vec<Date>,
    /// 校验码 of `site.yaml`: it vouches for the contacts on posters and the contact board.
    pub code: crate::code::VerificationCode,
}

/// Where an item applies: a whole building or one entrance of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// `5`.
    Building(String),
    /// `5-2`: building 5, entrance 2.
    Entrance(String, String),
}

impl Place {
    /// The id used in URLs: `5` or `5-2`.
    pub fn id(&self) -> String {
        match self {
            Place::Building(b) => b.clone(),
            Place::Entrance(b, e) => format!("{b}-{e}"),
        }
    }

    /// The building it is in.
    pub fn building(&self) -> &str {
        match self {
            Place::Building(b) | Place::Entrance(b, _) => b,
        }
    }

    /// Whether an item scoped to `self` concerns the residents of `page`: a building-wide item
    /// concerns each of its entrances, and a building page gathers all its entrances' items.
    pub fn concerns(&self, page: &Place) -> bool {
        match (self, page) {
            (Place::Entrance(..), Place::Entrance(..)) => self == page,
            _ => self.building() == page.building(),
        }
    }
}

impl Site {
    /// Reads and validates `content/site.yaml`.
    pub fn load(root: &Path) -> Result<Site, Diagnostics> {
        let rel = Path::new("content/site.yaml");
        if !root.join(rel).is_file() {
            return Err(Diagnostic::error(rel, msg!("找不到站点配置文件 content/site.yaml", "content/site.yaml is missing"))
                .hint(msg!(
                    "在网站文件夹里运行命令，或用 --root 指定它；新建网站请运行 `gongshi init 文件夹`",
                    "run the command in the site folder or point --root at it; start a new site with `gongshi init DIR`"
                ))
                .into());
        }
        let src = Source::read(root, rel)?;
        let file: SiteFile = source::parse(&src, &src.text, 1)?;
        validate(root, &src, file)
    }

    /// The display name of an issuer: a body's full name, or the free text as written.
    pub fn issuer_name<'a>(&'a self, issuer: &'a str) -> &'a str {
        self.bodies.iter().find(|b| b.key == issuer).map(|b| b.name.as_str()).unwrap_or(issuer)
    }

    /// The display name of a fund: its name in `funds`, or the id when it has none.
    pub fn fund_name<'a>(&'a self, fund: &'a str) -> &'a str {
        self.funds.iter().find(|f| f.id == fund).map_or(fund, |f| f.name.as_str())
    }

    /// Resolves `5` or `5-2` to a place, if such a building or entrance exists.
    pub fn place(&self, id: &str) -> Option<Place> {
        if let Some(b) = self.buildings.iter().find(|b| b.id == id) {
            return Some(Place::Building(b.id.clone()));
        }
        let (b, e) = id.split_once('-')?;
        let building = self.buildings.iter().find(|x| x.id == b)?;
        building.entrances.iter().any(|x| x == e).then(|| Place::Entrance(b.to_string(), e.to_string()))
    }

    /// Every building and entrance, each with its own landing page.
    pub fn places(&self) -> Vec<Place> {
        let mut out = Vec::new();
        for b in &self.buildings {
            out.push(Place::Building(b.id.clone()));
            for e in &b.entrances {
                out.push(Place::Entrance(b.id.clone(), e.clone()));
            }
        }
        out
    }

    /// A place's display name: `5号楼` or `5号楼 2单元`.
    pub fn place_name(&self, place: &Place) -> String {
        let b = self.buildings.iter().find(|b| b.id == place.building());
        let bname = b.map(|b| b.name.clone()).unwrap_or_else(|| place.building().to_string());
        match place {
            Place::Building(_) => bname,
            Place::Entrance(_, e) => match self.lang {
                Lang::Zh => format!("{bname} {e}单元"),
                Lang::En => format!("{bname}, entrance {e}"),
            },
        }
    }
}

/// site.yaml names a theme `name` that has no folder under `themes/`.
pub fn missing_theme(name: &str) -> Diagnostic {
    Diagnostic::error("content/site.yaml", msg!("找不到主题文件夹 themes/{name}/", "the theme folder themes/{name}/ does not exist"))
        .hint(msg!("删掉 site.yaml 里的 `theme:` 行即可使用内置主题", "remove `theme:` from site.yaml to use the built-in theme"))
}

fn validate(root: &Path, src: &Source, f: SiteFile) -> Result<Site, Diagnostics> {
    let mut errs = Diagnostics::default();
    crate::source::unfilled(src, false, &mut errs);
    let at = |needle: &str, m| {
        let (l, c) = locate(&src.text, needle, 1);
        Diagnostic::error(&src.rel, m).at(&src.text, l, c)
    };
    let lang = match f.language.as_deref().map(str::trim) {
        None | Some("zh-CN") | Some("zh") | Some("zh-Hans") => Lang::Zh,
        Some("en") | Some("en-US") | Some("en-GB") => Lang::En,
        Some(other) => {
            errs.push(
                at("language:", msg!("不支持的语言 `{other}`", "unsupported language `{other}`"))
                    .hint(msg!("写 zh-CN（简体中文）或 en（英文）", "write zh-CN (Simplified Chinese) or en (English)")),
            );
            Lang::Zh
        }
    };
    if f.name.trim().is_empty() {
        errs.push(at("name:", msg!("小区名称 `name` 不能为空", "`name` must not be empty")));
    }
    let base_url = f.base_url.trim().trim_end_matches('/').to_string();
    if !plain_web_address(&base_url) {
        errs.push(
            at("base_url:", msg!("`base_url` 必须是完整网址：{base_url}", "`base_url` must be a full web address: {base_url}")).hint(msg!(
                "例如 `base_url: https://hupan.example.cn`；二维码都指向这个地址",
                "e.g. `base_url: https://hupan.example.cn`; every QR code points under it"
            )),
        );
    }
    let mut bodies = Vec::new();
    for (key, name) in f.bodies {
        if !source::is_valid_id(&key) {
            errs.push(at(
                &format!("{key}:"),
                msg!("机构代号 `{key}` 只能用小写字母、数字和短横线", "body key `{key}` may only use lowercase letters, digits and dashes"),
            ));
        }
        bodies.push(Body { key, name });
    }
    let mut buildings: Vec<Building> = Vec::new();
    for b in f.buildings {
        let id = b.id.0.trim().to_string();
        let ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !ok {
            errs.push(
                at(&id, msg!("楼栋编号 `{id}` 只能用小写字母和数字", "building id `{id}` may only use lowercase letters and digits")).hint(
                    msg!(
                        "楼栋编号会出现在网址里，例如 5 → /b/5/；楼名写在 `name` 里",
                        "building ids appear in URLs, e.g. 5 → /b/5/; put the display name in `name`"
                    ),
                ),
            );
        }
        if buildings.iter().any(|x| x.id == id) {
            let first = locate(&src.text, &format!("\"{id}\""), 1).0;
            let (l, c) = locate(&src.text, &format!("\"{id}\""), first + 1);
            errs.push(
                Diagnostic::error(&src.rel, msg!("楼栋 `{id}` 重复了", "building `{id}` is listed twice"))
                    .at(&src.text, l, c)
                    .hint(msg!("每个楼栋只写一次，门洞写在 `entrances` 里", "list each building once, its entrances under `entrances`")),
            );
        }
        let entrances: Vec<String> = b.entrances.into_iter().map(|e| e.0.trim().to_string()).collect();
        for e in &entrances {
            if e.is_empty() || !e.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
                errs.push(at(
                    e,
                    msg!("门洞编号 `{e}` 只能用小写字母和数字", "entrance id `{e}` may only use lowercase letters and digits"),
                ));
            }
        }
        buildings.push(Building { id, name: b.name, entrances, zone: b.zone });
    }
    for fund in &f.funds {
        if !source::is_valid_id(&fund.id) {
            let id = &fund.id;
            errs.push(at(
                id,
                msg!("账户编号 `{id}` 只能用小写字母、数字和短横线", "fund id `{id}` may only use lowercase letters, digits and dashes"),
            ));
        }
    }
    let theme = f.theme.as_deref().map(str::trim).unwrap_or("default").to_string();
    if theme != "default" && !root.join("themes").join(&theme).is_dir() {
        let (l, c) = locate(&src.text, "theme:", 1);
        errs.push(missing_theme(&theme).at(&src.text, l, c));
    }
    let duties = crate::duties::from_site(f.duties, &src.text, &src.rel, &mut errs);
    if errs.has_errors() {
        return Err(errs);
    }
    Ok(Site {
        duties,
        privacy: f.privacy,
        name: f.name.trim().to_string(),
        base_url,
        lang,
        description: f.description,
        theme,
        publish_to: f.publish_to.filter(|p| !p.trim().is_empty()),
        data_license: f.data_license.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).unwrap_or_else(|| "CC-BY-4.0".into()),
        bodies,
        buildings,
        contacts: f.contacts,
        funds: f.funds,
        holidays: f.holidays,
        workdays: f.workdays,
        code: crate::code::VerificationCode::of(&src.text),
    })
}

/// Whether `url` is a plain http(s) address: the scheme, a host and perhaps a path — nothing a
/// browser would read as markup or as a second address (`https://https://…`, pasted over a
/// placeholder).
pub fn plain_web_address(url: &str) -> bool {
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    scheme_ok
        && !rest.is_empty()
        && !rest.contains("://")
        && !rest.starts_with(['/', ':', '.'])
        && !rest.contains(|c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_building_item_concerns_its_entrances_and_an_entrance_item_its_building() {
        let b5 = Place::Building("5".into());
        let e51 = Place::Entrance("5".into(), "1".into());
        let e52 = Place::Entrance("5".into(), "2".into());
        assert!(b5.concerns(&e51));
        assert!(e51.concerns(&b5));
        assert!(e51.concerns(&e51));
        assert!(!e51.concerns(&e52));
        assert!(!Place::Building("7".into()).concerns(&b5));
    }
}
