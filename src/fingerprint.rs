//! The fingerprint of everything a build's output depends on, so that an unchanged rebuild can
//! stop after validation: gongshi's version and embedded theme, the site's theme overrides,
//! the options (`--base-url`, `--as-of`, `--drafts`), every source's verification code, the
//! publish lock and the static files. Equal fingerprints mean byte-identical output; the output
//! folder records the fingerprint of what it holds (see `output::STATE`).

use crate::code::hex;
use crate::content::Content;
use crate::date::Date;
use crate::lock::{Kind, Lock};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The inputs of a build in two parts, so that `serve` can tell an edit of some notices (which
/// re-renders only what shows them) from any other change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Hex SHA-256 over everything but the notices and their lock entries.
    pub rest: String,
    /// Each notice by id: its source, code and what the lock says of it.
    pub notices: BTreeMap<String, String>,
}

impl Inputs {
    /// Hex SHA-256 over all of it: equal fingerprints mean byte-identical output.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.rest.as_bytes());
        for (id, n) in &self.notices {
            h.update((id.len() as u64).to_le_bytes());
            h.update(id.as_bytes());
            h.update((n.len() as u64).to_le_bytes());
            h.update(n.as_bytes());
        }
        hex(&h.finalize())
    }

    /// The ids of notices added, edited or removed since `before`; `None` when anything else
    /// changed too.
    pub fn changed_notices(&self, before: &Inputs) -> Option<Vec<String>> {
        if self.rest != before.rest {
            return None;
        }
        let mut ids: Vec<String> =
            self.notices.iter().filter(|(id, n)| before.notices.get(*id) != Some(n)).map(|(id, _)| id.clone()).collect();
        ids.extend(before.notices.keys().filter(|id| !self.notices.contains_key(*id)).cloned());
        ids.sort();
        Some(ids)
    }
}

/// The inputs of a build: see the module's description.
pub fn of(root: &Path, content: &Content, base_url: &str, today: Date, drafts: bool, lock: &Lock) -> Inputs {
    let live_notice = |e: &crate::lock::Entry| e.kind == Kind::Notice && e.retired.is_none();
    let mut notices: BTreeMap<String, String> = content
        .notices
        .par_iter()
        .map(|n| {
            let entry = lock.get(Kind::Notice, &n.id).map(|e| format!("{}\n{}", e.first_published, e.revisions)).unwrap_or_default();
            (n.id.clone(), format!("{}\n{}\n{entry}", n.source.display(), n.code))
        })
        .collect();
    // A lock entry of a notice that is no longer there (an error unless previewing).
    let gone: Vec<&crate::lock::Entry> = lock.entries.iter().filter(|e| live_notice(e) && !notices.contains_key(&e.id)).collect();
    for e in gone {
        notices.insert(e.id.clone(), format!("gone\n{}", serde_json::to_string(e).expect("JSON of plain values")));
    }
    let mut h = Sha256::new();
    let mut put = |label: &str, value: &[u8]| {
        h.update(label.as_bytes());
        h.update((value.len() as u64).to_le_bytes());
        h.update(value);
    };
    put("version", env!("CARGO_PKG_VERSION").as_bytes());
    put("theme", crate::render::theme::embedded_fingerprint().as_bytes());
    put("options", format!("{base_url}\n{today}\n{drafts}").as_bytes());
    put("site", content.site.code.as_str().as_bytes());
    // Every item but the notices (which are fingerprinted one by one above).
    for item in content.items().into_iter().filter(|i| i.kind() != Kind::Notice) {
        put(item.kind().en(), format!("{}\n{}", item.source().display(), item.code()).as_bytes());
    }
    put("log", lock.log.head().map(|(_, h)| h).unwrap_or_default().as_bytes());
    for e in lock.entries.iter().filter(|e| !live_notice(e)) {
        put("lock", serde_json::to_string(e).expect("JSON of plain values").as_bytes());
    }
    // Files copied as they are, and the site's own theme files: by content for the theme (small),
    // by size and modification time for static files (scans can be large).
    for (sub, by_content) in [("themes", true), ("content/static", false)] {
        let dir = root.join(sub);
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path()).to_string_lossy().into_owned();
            let stamp = if by_content {
                std::fs::read(e.path()).unwrap_or_default()
            } else {
                let (len, modified) = size_and_time(e.metadata().ok());
                format!("{len}:{modified}").into_bytes()
            };
            put(&rel, &stamp);
        }
    }
    Inputs { rest: hex(&h.finalize()), notices }
}

/// A file's size and modification time (nanoseconds since 1970), zero when unknown.
fn size_and_time(meta: Option<std::fs::Metadata>) -> (u64, u128) {
    let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
    let modified =
        meta.and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    (len, modified)
}

/// The stamp of a site's files: every file under `content/` and `themes/` by path, size and
/// modification time, with gongshi's version and the options. Reading it costs one directory
/// walk; when it equals the stamp of the build the output folder holds (and every output file is
/// still there), nothing was edited since, and the build stops before reading any source. Any
/// edit, even one that changes nothing that matters, changes it; the fingerprint then decides.
pub fn stamp(root: &Path, base_url: Option<&str>, today: Date, drafts: bool) -> String {
    let mut h = Sha256::new();
    h.update(format!("{}\n{}\n{base_url:?}\n{today}\n{drafts}\n", env!("CARGO_PKG_VERSION"), crate::render::theme::embedded_fingerprint()));
    let paths: Vec<std::path::PathBuf> = ["content", "themes"]
        .iter()
        .flat_map(|sub| walkdir::WalkDir::new(root.join(sub)).sort_by_file_name().into_iter().flatten())
        .map(walkdir::DirEntry::into_path)
        .collect();
    let lines: Vec<String> = paths
        .par_iter()
        .map(|p| {
            let (len, modified) = size_and_time(std::fs::symlink_metadata(p).ok());
            format!("{}\t{len}\t{modified}\n", p.strip_prefix(root).unwrap_or(p).display())
        })
        .collect();
    for l in lines {
        h.update(l.as_bytes());
    }
    hex(&h.finalize())
}
