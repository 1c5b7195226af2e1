//! Free pages (规约, 明白卡, 关于): `content/pages/<id>.md`.

use super::{check_issuer, check_revisions, Revision};
use crate::code::VerificationCode;
use crate::date::Date;
use crate::diagnostics::Diagnostics;
use crate::site::Site;
use crate::source::{self, Source};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    privacy: super::Privacy,
    #[serde(default)]
    id: Option<String>,
    title: String,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    date: Option<Date>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    revisions: Vec<Revision>,
}

/// A validated free page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Permanent id, used in `/p/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// A body key or free text.
    pub issuer: Option<String>,
    /// Date of the text in force.
    pub date: Option<Date>,
    /// Plain-language line.
    pub summary: Option<String>,
    /// Corrections since first publication.
    pub revisions: Vec<Revision>,
    /// Not published unless `--drafts`.
    pub draft: bool,
    /// Markdown body.
    pub body: String,
    /// 校验码 of the source file.
    pub code: VerificationCode,
    /// Source path, relative to the root.
    pub source: std::path::PathBuf,
}

impl Page {
    /// Parses and validates one page file.
    pub fn load(root: &std::path::Path, src: &Source, site: &Site) -> Result<Page, Diagnostics> {
        let fm = source::split_front_matter(src)?;
        let front: PageFront = source::parse(src, fm.yaml, fm.yaml_first_line)?;
        let mut errs = Diagnostics::default();
        if !front.draft {
            source::unfilled(src, true, &mut errs);
        }
        let id = source::resolve_id(src, front.id.as_deref(), "page-1").map_err(|d| errs.push(d)).ok();
        super::check_title(src, &front.title, &mut errs);
        if let Some(issuer) = &front.issuer {
            check_issuer(src, site, issuer, &mut errs);
        }
        super::check_privacy(src, site, &front.privacy, &[], &mut errs);
        super::check_images(root, src, fm.body, &mut errs);
        if let Some(date) = front.date {
            check_revisions(src, date, &front.revisions, &mut errs);
        }
        match (id, errs.has_errors()) {
            (Some(id), false) => Ok(Page {
                id,
                title: front.title.trim().to_string(),
                issuer: front.issuer.map(|s| s.trim().to_string()),
                date: front.date,
                summary: front.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
                revisions: front.revisions,
                draft: front.draft,
                body: fm.body.to_string(),
                code: VerificationCode::of(&src.text),
                source: src.rel.clone(),
            }),
            _ => Err(errs),
        }
    }
}

impl crate::kind::Item for Page {
    fn kind(&self) -> crate::kind::Kind {
        crate::kind::Kind::Page
    }
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self, _: &crate::site::Site) -> String {
        self.title.clone()
    }
    crate::item_fields!();
}
