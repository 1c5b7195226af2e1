//! The publishing log: `content/publish.lock` as an append-only, hash-chained list of
//! publications, and `content/history/` holding the source of every version it records.
//!
//! Each `gongshi publish` (or `retire`) appends one line: its sequence number, its date, every
//! item added, revised, updated or retired (kind, id, version, verification code and full
//! SHA-256 of the source), and the SHA-256 of the line before it. What is published now is the
//! log replayed ([`crate::lock::Lock`]). Anyone who kept a copy of `/data/log.json` can later
//! check that no line was changed or removed: every line's hash is in the next one.

use crate::code::hex;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::kind::Kind;
use crate::msg;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where every published version's source is kept, relative to the site root.
pub const HISTORY_DIR: &str = "content/history";

/// What a publication did to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Published for the first time.
    Added,
    /// Changed, with a revision entry explaining it.
    Revised,
    /// A register that grew (a request log's new entries, times filled in): no revision needed.
    Updated,
    /// Taken down on purpose; its address keeps a tombstone.
    Retired,
}

/// One item in one publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Added, revised, updated or retired.
    pub action: Action,
    /// Kind.
    pub kind: Kind,
    /// Id.
    pub id: String,
    /// Version number, from 1 (`/<kind>/<id>/v<n>/`).
    pub version: usize,
    /// 校验码 of this version.
    pub code: String,
    /// Full SHA-256 of this version's source (as the code is made: BOM removed, LF).
    pub sha256: String,
    /// Title.
    pub title: String,
    /// Source file.
    pub source: String,
    /// Revisions the source records.
    pub revisions: usize,
    /// Why (for `retired`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The first-published date of an item carried over from a lock of the older format, when
    /// it is earlier than this publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_published: Option<Date>,
    /// The day an item was retired, carried over from a lock of the older format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<Date>,
    /// The files this version shows or links to (a copy of each is kept under
    /// `content/history/files/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::code::Attachment>,
}

/// One publication: one line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// 1, 2, 3…
    pub seq: u64,
    /// The day it was published.
    pub date: Date,
    /// SHA-256 of the line before (empty for the first).
    pub prev: String,
    /// What it published.
    pub items: Vec<Record>,
    /// The entrance posters whose code changed since the last publication that recorded them:
    /// what each lists now (see [`crate::poster`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posters: Vec<crate::poster::PosterRecord>,
}

impl Publication {
    /// The line of the log that holds it.
    pub fn line(&self) -> String {
        serde_json::to_string(self).expect("JSON of plain values")
    }

    /// SHA-256 of its line: what the next publication names as `prev`.
    pub fn hash(&self) -> String {
        sha256_hex(self.line().as_bytes())
    }
}

/// Full SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    /// Every publication, oldest first.
    pub entries: Vec<Publication>,
}

impl Log {
    /// The latest publication's number and hash, as the home page and posters show them.
    pub fn head(&self) -> Option<(u64, String)> {
        self.entries.last().map(|p| (p.seq, p.hash()))
    }

    /// Reads the log's lines (the lock file's text without its comment lines); every line
    /// must parse and name the hash of the line before it.
    pub fn parse(rel: &Path, text: &str) -> Result<Log, Diagnostic> {
        let mut entries: Vec<Publication> = Vec::new();
        let mut prev_hash = String::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let damaged = |what: crate::diagnostics::Msg| {
                Diagnostic::error(rel, what).at(text, line_no, 1).hint(msg!(
                    "publish.lock 只能由 gongshi publish 追加，不能手工修改。请从备份恢复，或运行 gongshi lock restore 按已发布网站的 data/log.json 重建",
                    "publish.lock is only appended to by gongshi publish, never edited. Restore it from a backup, or run gongshi lock restore to rebuild it from the published site's data/log.json"
                ))
            };
            let p: Publication = serde_json::from_str(line).map_err(|e| {
                let detail = e.to_string();
                damaged(msg!("公示记录第 {line_no} 行读不出来：{detail}", "line {line_no} of the publishing log cannot be read: {detail}"))
            })?;
            let expected_seq = entries.len() as u64 + 1;
            if p.seq != expected_seq {
                let seq = p.seq;
                return Err(damaged(msg!(
                    "公示记录第 {line_no} 行的序号是 {seq}，应当是 {expected_seq}：记录被删改过",
                    "line {line_no} of the publishing log is number {seq}, expected {expected_seq}: the log was altered"
                )));
            }
            if p.prev != prev_hash || p.line() != line {
                return Err(damaged(msg!(
                    "公示记录第 {line_no} 行与前后记录对不上（哈希链断了）：记录被手工改过",
                    "line {line_no} of the publishing log does not match the lines around it (the hash chain is broken): it was edited by hand"
                )));
            }
            prev_hash = sha256_hex(line.as_bytes());
            entries.push(p);
        }
        Ok(Log { entries })
    }

    /// The log as the lines of the lock file, after its comment.
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# 公示记录 publish.lock — 由 gongshi publish 追加写入，请勿手工修改，请和 content/ 一起备份。\n\
             # The publishing log: appended to by `gongshi publish`; do not edit; keep it with content/.\n",
        );
        for p in &self.entries {
            out.push_str(&p.line());
            out.push('\n');
        }
        out
    }

    /// `/data/log.json`: the log as published, so that anyone can keep a copy and check later
    /// that nothing was rewritten.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Head {
            seq: u64,
            sha256: String,
        }
        #[derive(Serialize)]
        struct Published<'a> {
            head: Option<Head>,
            entries: &'a [Publication],
        }
        let head = self.head().map(|(seq, sha256)| Head { seq, sha256 });
        serde_json::to_string_pretty(&Published { head, entries: &self.entries }).expect("JSON of plain values") + "\n"
    }

    /// The log read back from a published `/data/log.json`.
    pub fn from_json(rel: &Path, text: &str) -> Result<Log, Diagnostic> {
        #[derive(Deserialize)]
        struct Published {
            entries: Vec<Publication>,
        }
        let p: Published = serde_json::from_str(text).map_err(|e| {
            let detail = e.to_string();
            Diagnostic::error(rel, msg!("读不出公示记录：{detail}", "the publishing log cannot be read: {detail}"))
        })?;
        // Checked as the lock file is.
        let log = Log { entries: p.entries };
        Log::parse(rel, &log.to_text())?;
        Ok(log)
    }

    /// The next publication, made of `items`, appended.
    pub fn append(&mut self, date: Date, items: Vec<Record>, posters: Vec<crate::poster::PosterRecord>) -> &Publication {
        let prev = self.entries.last().map(Publication::hash).unwrap_or_default();
        let seq = self.entries.len() as u64 + 1;
        self.entries.push(Publication { seq, date, prev, items, posters });
        self.entries.last().expect("just pushed")
    }

    /// The code each place's poster was last recorded with.
    pub fn poster_codes(&self) -> std::collections::HashMap<&str, &str> {
        self.entries.iter().flat_map(|p| &p.posters).map(|r| (r.place.as_str(), r.code.as_str())).collect()
    }

    /// Checks every version the log records against `content/history/`: each must be there,
    /// with the SHA-256 the log gives it.
    pub fn check_history(&self, root: &Path) -> Diagnostics {
        let mut errs = Diagnostics::default();
        for p in &self.entries {
            for r in p.items.iter().filter(|r| r.action != Action::Retired) {
                let rel = history_path(r);
                let (id, v, kz) = (&r.id, r.version, r.kind.zh());
                match std::fs::read(root.join(&rel)) {
                    Ok(bytes) => {
                        let text = crate::source::normalize(&String::from_utf8_lossy(&bytes));
                        if sha256_hex(text.as_bytes()) != r.sha256 {
                            errs.push(Diagnostic::error(&rel, msg!(
                                "{kz} `{id}` 第 {v} 版的存档被改过：它和公示记录里的哈希对不上",
                                "version {v} of `{id}` in the history was changed: it no longer matches the publishing log"
                            )).hint(msg!(
                                "content/history/ 里是已经公示过的原文，只能由 gongshi publish 写入；请从备份恢复这个文件",
                                "content/history/ keeps what was published, written only by gongshi publish; restore this file from a backup"
                            )));
                        }
                    }
                    Err(_) => errs.push(
                        Diagnostic::error(
                            &rel,
                            msg!("找不到{kz} `{id}` 第 {v} 版的存档", "version {v} of `{id}` is missing from the history"),
                        )
                        .hint(msg!(
                            "content/history/ 要和 content/ 一起保存和备份；请从备份恢复",
                            "keep content/history/ with content/ and its backups; restore it from a backup"
                        )),
                    ),
                }
                for a in &r.attachments {
                    let rel = attachment_path(a);
                    let (path, v) = (&a.path, r.version);
                    let kept = std::fs::read(root.join(&rel)).ok().map(|b| sha256_hex(&b));
                    if kept.as_deref() != Some(a.sha256.as_str()) {
                        let what = if kept.is_some() {
                            msg!(
                                "{kz} `{id}` 第 {v} 版的附件 `{path}` 的存档被改过",
                                "the kept copy of `{path}`, attached to version {v} of `{id}`, was changed"
                            )
                        } else {
                            msg!(
                                "找不到{kz} `{id}` 第 {v} 版的附件 `{path}` 的存档",
                                "the kept copy of `{path}`, attached to version {v} of `{id}`, is missing"
                            )
                        };
                        errs.push(Diagnostic::error(&rel, what).hint(msg!(
                            "content/history/files/ 保存公示过的附件原件，要和 content/ 一起备份；请从备份恢复",
                            "content/history/files/ keeps the attachments as published, with content/ and its backups; restore it from a backup"
                        )));
                    }
                }
            }
        }
        errs
    }
}

/// Where version `r` of an item is kept: `content/history/<kind>/<id>/v<n>.<ext>`.
pub fn history_path(r: &Record) -> PathBuf {
    let ext = Path::new(&r.source).extension().and_then(|e| e.to_str()).unwrap_or("txt");
    Path::new(HISTORY_DIR).join(kind_folder(r.kind)).join(&r.id).join(format!("v{}.{ext}", r.version))
}

/// Where the history keeps a copy of an attachment: `content/history/files/<sha256>.<ext>`, one
/// copy however many versions and items attach the same bytes.
pub fn attachment_path(a: &crate::code::Attachment) -> PathBuf {
    Path::new(HISTORY_DIR).join("files").join(a.kept_name())
}

/// The folder of a kind under `content/history/`: its name in the manifest.
fn kind_folder(kind: Kind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> Record {
        Record {
            action: Action::Added,
            kind: Kind::Notice,
            id: id.into(),
            version: 1,
            code: "AAAA-AAAA".into(),
            sha256: "00".into(),
            title: "t".into(),
            source: format!("content/notices/{id}.md"),
            revisions: 0,
            note: None,
            first_published: None,
            retired_on: None,
            attachments: Vec::new(),
        }
    }

    #[test]
    fn the_log_is_a_hash_chain_that_reads_back_and_catches_any_edit() {
        let mut log = Log::default();
        log.append(Date::ymd(2026, 11, 1), vec![record("a")], Vec::new());
        log.append(Date::ymd(2026, 11, 5), vec![record("b")], Vec::new());
        assert_eq!(log.entries[1].prev, log.entries[0].hash());
        let text = log.to_text();
        let rel = Path::new("content/publish.lock");
        assert_eq!(Log::parse(rel, &text).unwrap(), log);
        assert_eq!(Log::from_json(rel, &log.to_json()).unwrap(), log);
        // A changed line, a removed line, lines swapped: each is caught.
        let changed = text.replace("\"id\":\"a\"", "\"id\":\"c\"");
        assert!(Log::parse(rel, &changed).unwrap_err().message.zh.contains("第 4 行"), "{changed}");
        let lines: Vec<&str> = text.lines().collect();
        let removed = format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]);
        assert!(Log::parse(rel, &removed).unwrap_err().message.zh.contains("序号"));
        let forged = {
            let mut p = log.entries[1].clone();
            p.prev = "ff".into();
            format!("{}\n{}\n", lines[2], p.line())
        };
        assert!(Log::parse(rel, &forged).unwrap_err().message.zh.contains("哈希链断了"));
    }
}
