//! Every version ever published (§5): `/<kind>/<id>/v<n>/` for each earlier version of an item,
//! built from `content/history/`, marked as superseded with the date and note of the change and
//! what changed line by line; and `/c/<code>/` for every verification code ever published, so
//! that a resident holding a sheet from the wall can type its code and learn which version it
//! is and whether it is still current.

use crate::address::{self, Address};
use crate::date::Date;
use crate::diagnostics::Lang;
use crate::kind::Kind;
use crate::log::{history_path, Action};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// The version in force.
    Current,
    /// Replaced by a later version.
    Superseded,
    /// The item was taken down.
    Retired,
}

/// One published version of an item.
#[derive(Debug, Clone)]
pub struct Version {
    /// Kind.
    pub kind: Kind,
    /// Id.
    pub id: String,
    /// From 1.
    pub number: usize,
    /// The day it was published.
    pub date: Date,
    /// Its verification code.
    pub code: String,
    /// Its title then.
    pub title: String,
    /// Where it stands now.
    pub state: State,
    /// The revision notes this version added to the source (none for a first version).
    pub notes: Vec<(String, String)>,
    /// Its source as published (from `content/history/`), if kept.
    pub text: Option<String>,
    /// The full SHA-256 of its source.
    pub sha256: String,
    /// The files it attached, as published (their code is part of its code).
    pub attachments: Vec<crate::code::Attachment>,
    /// Its source file's extension (`md`, `yaml`).
    ext: String,
}

impl Version {
    /// The page of this version: its own for an earlier one, the item's for the current one.
    pub fn address(&self) -> Address {
        match self.state {
            State::Current => self.kind.address(&self.id),
            _ => address::version(self.kind, &self.id, self.number),
        }
    }
}

/// Every version of every item the log records, by item, oldest first.
#[derive(Debug, Default)]
pub struct History {
    items: BTreeMap<(Kind, String), Vec<Version>>,
    /// Every entrance poster's code the log records, oldest first.
    posters: Vec<PosterVersion>,
}

/// An entrance poster's code as a publication recorded it.
#[derive(Debug, Clone)]
pub struct PosterVersion {
    /// What it listed.
    pub record: crate::poster::PosterRecord,
    /// The day it was published.
    pub date: Date,
    /// Whether a later publication recorded another code for the same place.
    pub superseded: bool,
}

/// The `revisions:` of a source, as (date, note) pairs, read loosely (it was valid when
/// published).
fn revisions_of(text: &str, ext: &str) -> Vec<(String, String)> {
    let yaml = if ext == "md" {
        let t = text.trim_start_matches('\u{feff}');
        t.strip_prefix("---").and_then(|rest| rest.split_once("\n---").map(|(fm, _)| fm.to_string())).unwrap_or_default()
    } else {
        text.to_string()
    };
    let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(&yaml) else { return Vec::new() };
    let as_text = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
    };
    v.get("revisions")
        .and_then(|r| r.as_sequence())
        .map(|rs| {
            rs.iter().map(|r| (r.get("date").map(as_text).unwrap_or_default(), r.get("note").map(as_text).unwrap_or_default())).collect()
        })
        .unwrap_or_default()
}

impl History {
    /// The versions `lock`'s log records, their sources read from `root`'s `content/history/`.
    /// (A preview's unpublished changes are not versions: a code answers once it is published.)
    pub fn new(root: &Path, lock: &crate::lock::Lock) -> History {
        let mut items: BTreeMap<(Kind, String), Vec<Version>> = BTreeMap::new();
        let mut posters: Vec<PosterVersion> = Vec::new();
        for p in &lock.log.entries {
            for r in &p.posters {
                // A poster that comes back to an earlier list comes back to its code: one
                // answer per code, the latest.
                posters.retain(|v| v.record.code != r.code);
                posters.iter_mut().filter(|v| v.record.place == r.place).for_each(|v| v.superseded = true);
                posters.push(PosterVersion { record: r.clone(), date: p.date, superseded: false });
            }
            for r in &p.items {
                let key = (r.kind, r.id.clone());
                if r.action == Action::Retired {
                    if let Some(vs) = items.get_mut(&key) {
                        vs.iter_mut().for_each(|v| v.state = State::Retired);
                    }
                    continue;
                }
                let ext = Path::new(&r.source).extension().and_then(|e| e.to_str()).unwrap_or("txt").to_string();
                let text = std::fs::read(root.join(history_path(r))).ok().map(|b| crate::source::normalize(&String::from_utf8_lossy(&b)));
                let vs = items.entry(key).or_default();
                let before = vs.last().and_then(|v| v.text.as_deref()).map(|t| revisions_of(t, &v_ext(vs))).unwrap_or_default().len();
                let notes = match (&text, vs.is_empty()) {
                    (Some(t), false) => revisions_of(t, &ext).into_iter().skip(before).collect(),
                    _ => Vec::new(),
                };
                vs.iter_mut().for_each(|v| v.state = State::Superseded);
                vs.push(Version {
                    kind: r.kind,
                    id: r.id.clone(),
                    number: r.version,
                    date: p.date,
                    code: r.code.clone(),
                    title: r.title.clone(),
                    state: State::Current,
                    notes,
                    text,
                    sha256: r.sha256.clone(),
                    attachments: r.attachments.clone(),
                    ext,
                });
            }
        }
        History { items, posters }
    }

    /// The versions of item `id` of `kind`, oldest first.
    pub fn of(&self, kind: Kind, id: &str) -> &[Version] {
        self.items.get(&(kind, id.to_string())).map_or(&[], Vec::as_slice)
    }

    /// Every item's versions.
    pub fn all(&self) -> impl Iterator<Item = &[Version]> {
        self.items.values().map(Vec::as_slice)
    }

    /// The versions listed on the page at `at` (the request logs of every period share `/r/`).
    pub fn on_page(&self, at: &Address) -> Vec<&Version> {
        self.items.iter().filter(|((k, id), _)| k.address(id) == *at).flat_map(|(_, vs)| vs.iter()).collect()
    }
}

fn v_ext(vs: &[Version]) -> String {
    vs.last().map(|v| v.ext.clone()).unwrap_or_default()
}

/// A version as an item page lists it under its revisions.
#[derive(Serialize)]
pub struct VersionLink {
    number: usize,
    date: String,
    code: String,
    href: String,
    state: State,
    label: Option<String>,
}

/// The versions list of the page at `at`, when it has more than one version.
pub fn links(history: &History, at: &Address, lang: Lang) -> Vec<VersionLink> {
    let vs = history.on_page(at);
    let several_ids = vs.iter().map(|v| &v.id).collect::<std::collections::BTreeSet<_>>().len() > 1;
    if vs.len() < 2 {
        return Vec::new();
    }
    vs.iter()
        .map(|v| VersionLink {
            number: v.number,
            date: v.date.to_string(),
            code: v.code.clone(),
            href: v.address().href().to_string(),
            state: v.state,
            label: several_ids.then(|| match lang {
                Lang::En => v.id.clone(),
                _ => v.title.clone(),
            }),
        })
        .collect()
}

/// One line of the difference between two versions.
#[derive(Serialize)]
struct DiffLine {
    /// `same`, `removed` or `added`.
    kind: &'static str,
    text: String,
}

/// What changed from `old` to `new`, line by line, with three lines of context around each
/// change (`None` lines stand for the unchanged stretches left out).
fn diff(old: &str, new: &str) -> Vec<Option<DiffLine>> {
    let d = similar::TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in d.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push(None);
        }
        for op in group {
            for change in d.iter_changes(op) {
                let kind = match change.tag() {
                    similar::ChangeTag::Equal => "same",
                    similar::ChangeTag::Delete => "removed",
                    similar::ChangeTag::Insert => "added",
                };
                out.push(Some(DiffLine { kind, text: change.value().trim_end_matches('\n').to_string() }));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct VersionPage<'a> {
    kind: &'static str,
    title: &'a str,
    number: usize,
    date: String,
    code: &'a str,
    state: State,
    current_href: String,
    current_number: Option<usize>,
    next: Option<NextView>,
    source: Option<&'a str>,
    body_html: Option<String>,
    front: Option<String>,
    attachments: Vec<super::views::FileView>,
}

#[derive(Serialize)]
struct NextView {
    number: usize,
    date: String,
    href: String,
    notes: Vec<(String, String)>,
    diff: Vec<Option<DiffLine>>,
}

/// `/<kind>/<id>/v<n>/` for every earlier version, `/c/<code>/` for every code, and `/c/`.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, root: &'a Path, plan: &mut super::Plan<'a>) {
    let history = r.history;
    let mut kept = std::collections::BTreeSet::new();
    for vs in history.all() {
        for (i, v) in vs.iter().enumerate() {
            if matches!(v.state, State::Superseded | State::Retired) {
                plan.page(address::version(v.kind, &v.id, v.number), super::Shows::Other, move |at| version_page(r, vs, i, at));
                // An earlier version's attachments as it was published, from the kept copies
                // (the build has checked that they are there and unchanged).
                for a in &v.attachments {
                    let path = address::kept_file(a);
                    if kept.insert(path.clone()) {
                        let (src, at) = (root.join(crate::log::attachment_path(a)), path.clone());
                        plan.file(path, super::Shows::Other, move || std::fs::read(&src).map_err(|e| r.write_error(&at, &e)));
                    }
                }
            }
            plan.page(address::code(&v.code), super::Shows::Other, move |at| code_page(r, vs, i, at));
            // Typed on a phone, a code often comes out in small letters.
            let lower = v.code.to_lowercase();
            if lower != v.code {
                plan.page(address::code(&lower), super::Shows::Other, move |at| code_page(r, vs, i, at));
            }
        }
    }
    for (i, v) in history.posters.iter().enumerate() {
        plan.page(address::code(&v.record.code), super::Shows::Other, move |at| poster_code_page(r, i, at));
        let lower = v.record.code.to_lowercase();
        if lower != v.record.code {
            plan.page(address::code(&lower), super::Shows::Other, move |at| poster_code_page(r, i, at));
        }
    }
    plan.page(address::codes(), super::Shows::Other, move |at| {
        let mut ctx = r.base(at, r.theme.t("codes_title"));
        let mut rows: Vec<CodeRow> = history.all().flat_map(|vs| vs.iter().map(|v| code_row(r, v))).collect();
        rows.extend(history.posters.iter().map(|v| poster_row(r, v)));
        ctx.insert("rows", &rows);
        r.page(at, "codes.html", &ctx)
    });
}

#[derive(Serialize)]
struct CodeRow {
    code: String,
    href: String,
    title: String,
    kind: &'static str,
    number: usize,
    date: String,
    state: State,
}

fn kind_name(r: &super::Renderer<'_>, k: Kind) -> &'static str {
    if r.content.site.lang == Lang::En {
        k.en()
    } else {
        k.zh()
    }
}

fn code_row(r: &super::Renderer<'_>, v: &Version) -> CodeRow {
    CodeRow {
        code: v.code.clone(),
        href: address::code(&v.code).href().to_string(),
        title: v.title.clone(),
        kind: kind_name(r, v.kind),
        number: v.number,
        date: v.date.to_string(),
        state: v.state,
    }
}

fn version_page(r: &super::Renderer<'_>, vs: &[Version], i: usize, at: &Address) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
    let v = &vs[i];
    let mut ctx = r.base(at, &v.title);
    let next = vs.get(i + 1).map(|n| NextView {
        number: n.number,
        date: n.date.to_string(),
        href: n.address().href().to_string(),
        notes: n.notes.clone(),
        diff: match (&v.text, &n.text) {
            (Some(a), Some(b)) => diff(a, b),
            _ => Vec::new(),
        },
    });
    let (front, body_html) = match (&v.text, v.ext.as_str()) {
        (Some(t), "md") => match t.strip_prefix("---\n").and_then(|rest| rest.split_once("\n---")) {
            Some((fm, body)) => {
                let body = body.strip_prefix('\n').unwrap_or(body);
                (Some(fm.to_string()), Some(super::markdown::render(body, &at.root()).html))
            }
            None => (None, Some(super::markdown::render(t, &at.root()).html)),
        },
        _ => (None, None),
    };
    let current = vs.iter().rev().find(|x| x.state == State::Current);
    let page = VersionPage {
        kind: kind_name(r, v.kind),
        title: &v.title,
        number: v.number,
        date: v.date.to_string(),
        code: &v.code,
        state: v.state,
        current_href: v.kind.address(&v.id).href().to_string(),
        current_number: current.map(|c| c.number),
        next,
        source: if v.ext == "md" { None } else { v.text.as_deref() },
        body_html,
        front,
        attachments: v.attachments.iter().map(super::views::FileView::kept).collect(),
    };
    ctx.insert("v", &page);
    r.page(at, "version.html", &ctx)
}

/// The place a poster record names, when the site still has it.
fn place_of(r: &super::Renderer<'_>, id: &str) -> Option<crate::site::Place> {
    r.content.site.places().into_iter().find(|p| p.id() == id)
}

fn poster_row(r: &super::Renderer<'_>, v: &PosterVersion) -> CodeRow {
    let place = place_of(r, &v.record.place).map_or_else(|| v.record.place.clone(), |p| r.content.site.place_name(&p));
    CodeRow {
        code: v.record.code.clone(),
        href: address::code(&v.record.code).href().to_string(),
        title: place,
        kind: if r.content.site.lang == Lang::En { "entrance poster" } else { "楼道公示栏" },
        number: 0,
        date: v.date.to_string(),
        state: if v.superseded { State::Superseded } else { State::Current },
    }
}

/// A code a resident read off an entrance poster: which entrance, when, and what the poster
/// listed (each with its own code, which answers in turn), and the poster's code today.
fn poster_code_page(r: &super::Renderer<'_>, i: usize, at: &Address) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
    let v = &r.history.posters[i];
    let mut ctx = r.base(at, &v.record.code);
    ctx.insert("c", &poster_row(r, v));
    let place = place_of(r, &v.record.place);
    ctx.insert("place_href", &place.as_ref().map(|p| address::place(p).href().to_string()));
    ctx.insert("poster_href", &place.as_ref().map(|p| address::poster(p).href().to_string()));
    let current = r.history.posters.iter().rev().find(|x| x.record.place == v.record.place && !x.superseded);
    ctx.insert("current", &current.map(|c| c.record.code.clone()));
    // Each code the poster listed, with what it is now (as the log knows it).
    let shows: Vec<CodeRow> = v
        .record
        .shows
        .iter()
        .map(|code| {
            r.history.all().flat_map(|vs| vs.iter()).find(|x| &x.code == code).map_or_else(
                || CodeRow {
                    code: code.clone(),
                    href: address::code(code).href().to_string(),
                    title: String::new(),
                    kind: "",
                    number: 0,
                    date: String::new(),
                    state: State::Current,
                },
                |x| code_row(r, x),
            )
        })
        .collect();
    ctx.insert("shows", &shows);
    r.page(at, "code_poster.html", &ctx)
}

fn code_page(r: &super::Renderer<'_>, vs: &[Version], i: usize, at: &Address) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
    let v = &vs[i];
    let mut ctx = r.base(at, &v.code);
    let current = vs.iter().rev().find(|x| x.state == State::Current);
    ctx.insert("c", &code_row(r, v));
    ctx.insert("item_href", v.kind.address(&v.id).href());
    ctx.insert("version_href", v.address().href());
    ctx.insert("current", &current.map(|c| code_row(r, c)));
    r.page(at, "code.html", &ctx)
}
