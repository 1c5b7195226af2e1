//! The fingerprint of everything a build's output depends on, so that an unchanged rebuild can
//! stop after validation: gongshi's version and embedded theme, the site's theme overrides,
//! the options (`--base-url`, `--as-of`, `--drafts`), every source's verification code, the
//! publish lock and the static files. Equal fingerprints mean byte-identical output; the output
//! folder records the fingerprint of what it holds (see `output::BuildState`).

use crate::content::Content;
use crate::date::Date;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Hex SHA-256 over the inputs of a build.
pub fn of(root: &Path, content: &Content, base_url: &str, today: Date, drafts: bool, lock_text: &str) -> String {
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
    let sources = (content.notices.iter().map(|n| ("notice", &n.source, &n.code)))
        .chain(content.pages.iter().map(|p| ("page", &p.source, &p.code)))
        .chain(content.ledgers.iter().map(|l| ("ledger", &l.source, &l.code)))
        .chain(content.standards.iter().map(|s| ("standards", &s.source, &s.code)))
        .chain(content.requests.iter().map(|r| ("requests", &r.source, &r.code)))
        .chain(content.votes.iter().map(|v| ("vote", &v.source, &v.code)));
    for (kind, source, code) in sources {
        put(kind, format!("{}\n{code}", source.display()).as_bytes());
    }
    put("lock", lock_text.as_bytes());
    // Files copied as they are, and the site's own theme files: by content for the theme (small),
    // by size and modification time for static files (scans can be large).
    for (sub, by_content) in [("themes", true), ("content/static", false)] {
        let dir = root.join(sub);
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path()).to_string_lossy().into_owned();
            let stamp = if by_content {
                std::fs::read(e.path()).unwrap_or_default()
            } else {
                let meta = e.metadata().ok();
                let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
                let modified = meta
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{len}:{modified}").into_bytes()
            };
            put(&rel, &stamp);
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
