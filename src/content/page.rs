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
    #[serde(default)]
    attachments: Vec<ListedFile>,
}

/// An entry of `attachments:`: a path, or a path with the title to show for it.
#[derive(Deserialize)]
#[serde(untagged)]
enum ListedFile {
    Path(String),
    Titled {
        file: String,
        #[serde(default)]
        title: Option<String>,
    },
}

/// A file the page lists under its text (a contract's scan, an audit report).
#[derive(Debug, Clone)]
pub struct PageFile {
    /// `static/docs/物业服务合同.pdf`, as the source writes it.
    pub path: String,
    /// What to call it; the file name when the source gives no title.
    pub title: String,
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
    /// 校验码 of the source file and its attachments.
    pub code: VerificationCode,
    /// The files it lists, in order.
    pub files: Vec<PageFile>,
    /// Every file under `content/static/` it lists, shows or links to.
    pub attachments: Vec<crate::code::Attachment>,
    /// Source path, relative to the root.
    pub source: std::path::PathBuf,
}

impl Page {
    /// Parses and validates one page file.
    pub fn load(root: &std::path::Path, src: &Source, site: &Site) -> Result<Page, Diagnostics> {
        let fm = source::split_front_matter(src)?;
        let mut errs = Diagnostics::default();
        let Some(front) = source::parse_into::<PageFront>(src, fm.yaml, fm.yaml_first_line, &mut errs) else {
            return Err(errs);
        };
        if !front.draft {
            source::unfilled(src, true, &mut errs);
        }
        let id = source::resolve_id(src, front.id.as_deref(), "page-1").map_err(|d| errs.push(d)).ok();
        super::check_title(src, &front.title, &mut errs);
        if let Some(issuer) = &front.issuer {
            check_issuer(src, site, issuer, &mut errs);
        }
        super::check_privacy(src, site, &front.privacy, &[], &mut errs);
        let mut paths = Vec::new();
        let mut files = Vec::new();
        for (i, f) in front.attachments.iter().enumerate() {
            let (path, title) = match f {
                ListedFile::Path(p) => (p.as_str(), None),
                ListedFile::Titled { file, title } => (file.as_str(), title.as_deref().map(str::trim).filter(|t| !t.is_empty())),
            };
            let written = path.trim();
            let path = &super::windows_path(written);
            if let Some(d) = super::escaped_path(path) {
                let (l, c) = src.at(&format!("attachments[{i}]"));
                errs.push(crate::diagnostics::Diagnostic { file: src.rel.clone(), ..d }.at(&src.text, l, c));
                continue;
            }
            match super::check_attachment(root, path) {
                Ok(()) => {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    files.push(PageFile { path: path.to_string(), title: title.unwrap_or(name).to_string() });
                    paths.push(path.to_string());
                }
                Err(m) => {
                    let (l, c) = source::locate(&src.text, written, 1);
                    errs.push(crate::diagnostics::Diagnostic::error(&src.rel, m).at(&src.text, l, c).hint(crate::msg!(
                        "把文件放进 content/static/（例如 content/static/docs/合同.pdf），这里写 static/docs/合同.pdf",
                        "put the file in content/static/ and write its static/… path here"
                    )));
                }
            }
        }
        paths.extend(super::check_body_files(root, src, fm.body, &mut errs));
        let attachments = crate::code::Attachment::read_all(root, paths.iter().map(String::as_str));
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
                code: VerificationCode::of_item(&src.text, &attachments),
                files,
                attachments,
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
    crate::item_fields!(attachments);
}
