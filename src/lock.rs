//! What has been published: the state that the publishing log (`content/publish.lock`, see
//! [`crate::log`]) replays to — every published item with its kind, version, verification
//! code, first-published date and revision count. Every command compares the sources with it:
//! a changed item must have grown its `revisions` (a request log may also just grow), a missing
//! one must have been retired on purpose (`gongshi retire`), which leaves a tombstone at its old
//! address. Only `gongshi publish` and `gongshi retire` add to it.
//!
//! A lock of the older format (one line per item, written by earlier versions' `build`) is read
//! as it is and converted into the log by the next `publish`, keeping every first-published
//! date.

use crate::address::Address;
use crate::content::Content;
use crate::date::Date;
use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::log::{Action, Log, Record};
use crate::msg;
use crate::source::{self, Source};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where the lock lives, relative to the site root.
pub const LOCK_PATH: &str = "content/publish.lock";

pub use crate::kind::Kind;

/// An item as the sources have it now.
#[derive(Debug, Clone)]
pub struct Current {
    /// Kind.
    pub kind: Kind,
    /// Id (`water-cut-5`, `public-income/2026-Q3`, `2026-10`).
    pub id: String,
    /// Its page.
    pub url: Address,
    /// Title for tombstones and messages.
    pub title: String,
    /// 校验码.
    pub code: String,
    /// Number of revisions recorded in the source.
    pub revisions: usize,
    /// Source file.
    pub source: PathBuf,
    /// The full SHA-256 of its source as published (a register's with private donors as 匿名).
    pub sha256: String,
    /// The files it shows or links to, hashed into its code.
    pub attachments: Vec<crate::code::Attachment>,
}

/// Every published item of `content` (drafts never are), sorted by kind and id.
pub fn items(content: &Content) -> Vec<Current> {
    let mut out: Vec<Current> = content
        .items()
        .into_iter()
        .filter(|i| !i.draft())
        .map(|i| Current {
            kind: i.kind(),
            url: i.address(),
            id: i.id(),
            title: i.title(&content.site),
            code: i.code().to_string(),
            revisions: i.revisions().len(),
            source: i.source().to_path_buf(),
            sha256: i.code().sha256_hex(),
            attachments: i.attachments().to_vec(),
        })
        .collect();
    out.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    out
}

/// One line of the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Kind.
    pub kind: Kind,
    /// Id.
    pub id: String,
    /// Source file when last built.
    pub source: String,
    /// Title when last built.
    pub title: String,
    /// Verification code of the published version.
    pub code: String,
    /// The day it was first published.
    pub first_published: Date,
    /// Revisions recorded when last built.
    pub revisions: usize,
    /// Set when retired on purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<Retired>,
    /// The published version (0 in a lock of the older format, which kept no versions).
    #[serde(default, skip_serializing)]
    pub version: usize,
    /// Full SHA-256 of the published version's source (empty in the older format).
    #[serde(default, skip_serializing)]
    pub sha256: String,
    /// The attachments of the published version (none in the older format).
    #[serde(default, skip_serializing)]
    pub attachments: Vec<crate::code::Attachment>,
}

/// Why and when an item was taken down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    /// Day retired.
    pub date: Date,
    /// The reason, shown on the tombstone.
    pub note: String,
}

impl Entry {
    /// An item as record `r` of a publication on `date` first publishes it.
    fn first(r: &Record, date: Date) -> Entry {
        Entry {
            kind: r.kind,
            id: r.id.clone(),
            source: r.source.clone(),
            title: r.title.clone(),
            code: r.code.clone(),
            first_published: r.first_published.unwrap_or(date),
            revisions: r.revisions,
            retired: None,
            version: r.version,
            sha256: r.sha256.clone(),
            attachments: r.attachments.clone(),
        }
    }

    /// The item's page.
    pub fn url(&self) -> Address {
        self.kind.address(&self.id)
    }
}

/// What has been published.
#[derive(Debug, Clone, Default)]
pub struct Lock {
    /// Entries, by kind and id.
    pub entries: Vec<Entry>,
    /// The publishing log they replay from.
    pub log: Log,
    /// Read from a lock of the older format (no log yet).
    pub legacy: bool,
    /// The sources of the publication [`Lock::publish`] just appended, as they were read and
    /// hashed, for [`Lock::write_history`]: where each goes under `content/history/`.
    pub pending: Vec<(PathBuf, Vec<u8>)>,
}

/// Two locks are equal when they publish the same: what waits to be written is not part of it.
impl PartialEq for Lock {
    fn eq(&self, other: &Lock) -> bool {
        self.entries == other.entries && self.log == other.log && self.legacy == other.legacy
    }
}

impl Eq for Lock {}

impl Lock {
    /// Reads `content/publish.lock`, checking the log's hash chain and every version it
    /// records against `content/history/`. A site without one has published nothing yet —
    /// unless its history says otherwise, which stops every command until the lock is restored.
    pub fn read(root: &Path) -> Result<Lock, Diagnostics> {
        let rel = Path::new(LOCK_PATH);
        if !root.join(rel).exists() {
            if root.join(crate::log::HISTORY_DIR).is_dir() {
                return Err(lost_lock(crate::log::HISTORY_DIR).into());
            }
            return Ok(Lock::default());
        }
        // It grows with the site (about 300 bytes an item), so it has no small size limit.
        let src = Source::read_limited(root, rel, 1 << 30)?;
        let first = src.text.lines().find(|l| !l.trim().is_empty() && !l.starts_with('#')).unwrap_or_default();
        let has_history = root.join(crate::log::HISTORY_DIR).is_dir();
        if (first.is_empty() || !first.starts_with("{\"seq\"")) && has_history {
            // An emptied lock, or an older one put back, beside the history of a published
            // site: taking it would start the log over.
            return Err(Diagnostic::error(rel, msg!(
                "content/publish.lock 是空的或是旧格式，但 content/history/ 里有已经公示过的存档：公示记录被换掉或清空了",
                "content/publish.lock is empty or of the older format, but content/history/ holds what was published: the log was replaced or emptied"
            ))
            .hint(msg!(
                "不能当作从没公示过：请从备份恢复 publish.lock，或运行 gongshi lock restore，按已发布网站的 data/log.json 重建它",
                "it cannot be treated as never published: restore publish.lock from a backup, or run gongshi lock restore to rebuild it from the published site's data/log.json"
            ))
            .into());
        }
        if first.is_empty() || first.starts_with("{\"seq\"") {
            let log = Log::parse(rel, &src.text)?;
            let errs = log.check_history(root);
            if errs.has_errors() {
                return Err(errs);
            }
            return Ok(Lock::replay(log));
        }
        Lock::read_legacy(rel, &src.text).map_err(Diagnostics::from)
    }

    /// A lock of the older format: one JSON object per item.
    fn read_legacy(rel: &Path, text: &str) -> Result<Lock, Diagnostic> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            match serde_json::from_str::<Entry>(line) {
                Ok(e) => entries.push(e),
                Err(e) => {
                    let detail = e.to_string();
                    return Err(Diagnostic::error(
                        rel,
                        msg!("第 {line_no} 行无法读取：{detail}", "line {line_no} cannot be read: {detail}"),
                    )
                    .at(text, line_no, 1)
                    .hint(msg!(
                        "publish.lock 由 gongshi 写入，请不要手工修改；如果改坏了，请从备份或版本记录里恢复",
                        "publish.lock is written by gongshi; do not edit it. Restore it from a backup or version history"
                    )));
                }
            }
        }
        entries.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        Ok(Lock { entries, log: Log::default(), legacy: true, pending: Vec::new() })
    }

    /// What `log` says is published now.
    pub fn replay(log: Log) -> Lock {
        let mut by_item: std::collections::BTreeMap<(Kind, String), Entry> = std::collections::BTreeMap::new();
        for p in &log.entries {
            for r in &p.items {
                let key = (r.kind, r.id.clone());
                match r.action {
                    Action::Added => {
                        by_item.insert(key, Entry::first(r, p.date));
                    }
                    Action::Revised | Action::Updated => {
                        if let Some(e) = by_item.get_mut(&key) {
                            e.source = r.source.clone();
                            e.title = r.title.clone();
                            e.code = r.code.clone();
                            e.revisions = r.revisions;
                            e.version = r.version;
                            e.sha256 = r.sha256.clone();
                            e.attachments = r.attachments.clone();
                        }
                    }
                    Action::Retired => {
                        let retired = Some(Retired { date: r.retired_on.unwrap_or(p.date), note: r.note.clone().unwrap_or_default() });
                        by_item.entry(key).or_insert_with(|| Entry::first(r, p.date)).retired = retired;
                    }
                }
            }
        }
        Lock { entries: by_item.into_values().collect(), log, legacy: false, pending: Vec::new() }
    }

    /// The lock after publishing `next` (what [`Lock::reconcile`] gave) on `today`: the log
    /// with one more publication recording every item added, revised or updated since `self`
    /// (every item, when `self` is of the older format), and every entrance poster among
    /// `posters` whose code differs from the one the log last recorded. `None` when nothing
    /// changed.
    pub fn publish(
        &self,
        root: &Path,
        next: &Lock,
        today: Date,
        posters: &[crate::poster::PosterRecord],
    ) -> Result<Option<Lock>, Diagnostics> {
        let mut items = Vec::new();
        let mut pending = Vec::new();
        let mut files = Vec::new();
        let mut errs = Diagnostics::default();
        if let Some(last) = self.log.entries.last().filter(|p| p.date > today) {
            let (seq, d) = (last.seq, last.date);
            errs.push(
                Diagnostic::error(
                    LOCK_PATH,
                    msg!(
                        "第 {seq} 次公示的日期是 {d}，这次不能早于它（今天是 {today}）",
                        "publication {seq} is dated {d}; this one cannot be earlier ({today})"
                    ),
                )
                .hint(msg!("检查电脑的日期，或 --as-of 写的日期", "check the computer's date, or the date given to --as-of")),
            );
        }
        for e in next.entries.iter().filter(|e| e.retired.is_none()) {
            let before = if self.legacy { None } else { self.get(e.kind, &e.id) };
            let action = match before {
                None => Action::Added,
                Some(b) if b.code == e.code => continue,
                Some(b) if e.revisions > b.revisions => Action::Revised,
                Some(_) => Action::Updated,
            };
            // Read once: the bytes hashed are the bytes kept in the history.
            let bytes = match std::fs::read(root.join(&e.source)) {
                Ok(b) => b,
                Err(err) => {
                    let detail = err.to_string();
                    errs.push(Diagnostic::error(&e.source, msg!("读不出来：{detail}", "cannot be read: {detail}")));
                    continue;
                }
            };
            // A register's private donors are hashed and kept as 匿名 (see `donation::redact`).
            let bytes = match e.kind {
                Kind::Donation => {
                    crate::content::donation::redact(&crate::source::normalize(&String::from_utf8_lossy(&bytes))).into_bytes()
                }
                _ => bytes,
            };
            let sha256 = crate::log::sha256_hex(crate::source::normalize(&String::from_utf8_lossy(&bytes)).as_bytes());
            let carried = if self.legacy { self.get(e.kind, &e.id).map(|b| b.first_published) } else { None };
            pending.push((bytes, items.len()));
            for a in &e.attachments {
                match std::fs::read(root.join("content").join(&a.path)) {
                    Ok(b) => files.push((crate::log::attachment_path(a), b)),
                    Err(err) => {
                        let (path, detail) = (&a.path, err.to_string());
                        errs.push(Diagnostic::error(
                            &e.source,
                            msg!("附件 `{path}` 读不出来：{detail}", "the attachment `{path}` cannot be read: {detail}"),
                        ));
                    }
                }
            }
            items.push(Record {
                action,
                kind: e.kind,
                id: e.id.clone(),
                version: before.map_or(1, |b| b.version + 1),
                code: e.code.clone(),
                sha256,
                title: e.title.clone(),
                source: e.source.clone(),
                revisions: e.revisions,
                note: None,
                first_published: carried.filter(|d| *d < today),
                retired_on: None,
                attachments: e.attachments.clone(),
            });
        }
        if self.legacy {
            // Items the older lock had retired stay retired, with their dates and reason (there
            // is no version of them to keep in the history).
            for e in self.entries.iter().filter(|e| e.retired.is_some()) {
                let r = e.retired.as_ref().expect("retired");
                items.push(Record {
                    action: Action::Retired,
                    kind: e.kind,
                    id: e.id.clone(),
                    version: 0,
                    code: e.code.clone(),
                    sha256: String::new(),
                    title: e.title.clone(),
                    source: e.source.clone(),
                    revisions: e.revisions,
                    note: Some(r.note.clone()),
                    first_published: Some(e.first_published),
                    retired_on: Some(r.date),
                    attachments: Vec::new(),
                });
            }
        }
        if errs.has_errors() {
            return Err(errs);
        }
        // The posters whose code changed (what one lists changes as notices come and go).
        let last = self.log.poster_codes();
        let posters: Vec<_> = posters.iter().filter(|p| last.get(p.place.as_str()) != Some(&p.code.as_str())).cloned().collect();
        if items.is_empty() && posters.is_empty() && !self.legacy {
            return Ok(None);
        }
        let mut log = self.log.clone();
        log.append(today, items, posters);
        let mut next = Lock::replay(log);
        let records = &next.log.entries.last().expect("just appended").items;
        next.pending = pending.into_iter().map(|(bytes, i)| (crate::log::history_path(&records[i]), bytes)).chain(files).collect();
        Ok(Some(next))
    }

    /// Writes into `content/history/` the source of every version the publication
    /// [`Lock::publish`] appended, each into a new file of its own. A file already there with
    /// the same text (an interrupted publish done again) is kept; one with other text is never
    /// overwritten.
    pub fn write_history(&self, root: &Path) -> std::io::Result<()> {
        let text = |b: &[u8]| crate::source::normalize(&String::from_utf8_lossy(b));
        for (rel, bytes) in &self.pending {
            let to = root.join(rel);
            if let Ok(old) = std::fs::read(&to) {
                if old == *bytes || text(&old) == text(bytes) {
                    continue;
                }
                let shown = display_path(rel);
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{shown} 已经存在，内容不同 / exists with other text"),
                ));
            }
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // All of it or nothing: a kill leaves no half-written version to stop the next publish.
            crate::output::create(&to, bytes)?;
        }
        Ok(())
    }

    /// The entry of `kind`/`id` (entries are kept sorted by kind and id).
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Entry> {
        self.entries.binary_search_by(|e| (e.kind, e.id.as_str()).cmp(&(kind, id))).ok().map(|i| &self.entries[i])
    }

    /// Compares the sources with what was published, and gives the lock this build will leave:
    /// new items added (published `today`), changed items updated. Errors when a published
    /// item changed without a new revision, lost revisions, disappeared without being retired,
    /// or came back after being retired.
    pub fn reconcile(&self, root: &Path, items: &[Current], today: Date) -> Result<Lock, Diagnostics> {
        let mut errs = Diagnostics::default();
        let published: std::collections::HashMap<(Kind, &str), &Entry> =
            self.entries.iter().map(|e| ((e.kind, e.id.as_str()), e)).collect();
        let current: std::collections::HashSet<(Kind, &str)> = items.iter().map(|i| (i.kind, i.id.as_str())).collect();
        let mut next = Vec::with_capacity(items.len());
        for item in items {
            let (kz, ke, id) = (item.kind.zh(), item.kind.en(), &item.id);
            match published.get(&(item.kind, item.id.as_str())).copied() {
                None => next.push(Entry {
                    kind: item.kind,
                    id: item.id.clone(),
                    source: display_path(&item.source),
                    title: item.title.clone(),
                    code: item.code.clone(),
                    first_published: today,
                    revisions: item.revisions,
                    retired: None,
                    version: 0,
                    sha256: String::new(),
                    attachments: item.attachments.clone(),
                }),
                Some(e) if e.retired.is_some() => {
                    let r = e.retired.as_ref().expect("retired");
                    let (d, note) = (r.date, &r.note);
                    errs.push(
                        Diagnostic::error(
                            &item.source,
                            msg!(
                                "{kz} `{id}` 已于 {d} 撤下（{note}），不能再用同一个编号发布",
                                "the {ke} `{id}` was retired on {d} ({note}); its id cannot be published again"
                            ),
                        )
                        .hint(msg!(
                            "旧网址上留着撤下说明，纸上的二维码会扫到它；新内容请换一个编号（文件名）",
                            "its old address keeps the retirement notice that printed QR codes lead to; give the new item a new id (file name)"
                        )),
                    );
                }
                Some(e) if e.code == item.code => {
                    next.push(Entry { source: display_path(&item.source), title: item.title.clone(), ..e.clone() })
                }
                Some(e) => {
                    let (first, old, new, had, has) = (e.first_published, &e.code, &item.code, e.revisions, item.revisions);
                    // Point at `revisions:`, or where it goes: the end of the front matter (or file).
                    let at_revisions = |d: Diagnostic| match Source::read(root, &item.source) {
                        Ok(src) => {
                            let (l, c) = match source::locate_key(&src.text, "revisions") {
                                (0, _) => {
                                    let end = src.text.lines().enumerate().skip(1).find(|(_, l)| *l == "---").map(|(i, _)| i + 1);
                                    (end.unwrap_or_else(|| src.text.lines().count()).max(1), 1)
                                }
                                found => found,
                            };
                            d.at(&src.text, l, c)
                        }
                        Err(_) => d,
                    };
                    // A request log is a register: adding entries and filling in what was left
                    // empty is an update, not a correction.
                    let grew = item.kind == Kind::Requests && e.version > 0 && has == had && {
                        let kept = root.join(crate::log::HISTORY_DIR).join("requests").join(&e.id).join(format!("v{}.yaml", e.version));
                        let (old, now) = (std::fs::read_to_string(kept), std::fs::read_to_string(root.join(&item.source)));
                        matches!((old, now), (Ok(o), Ok(n)) if crate::content::requests::only_grew(&o, &n))
                    };
                    if has > had || grew {
                        next.push(Entry {
                            source: display_path(&item.source),
                            title: item.title.clone(),
                            code: item.code.clone(),
                            revisions: item.revisions,
                            attachments: item.attachments.clone(),
                            ..e.clone()
                        });
                    } else if has < had {
                        errs.push(
                            at_revisions(Diagnostic::error(
                                &item.source,
                                msg!(
                                    "{kz} `{id}` 的修订记录少了：公示时有 {had} 条，现在只有 {has} 条",
                                    "the {ke} `{id}` lost revisions: it had {had} when published, now {has}"
                                ),
                            ))
                            .hint(msg!(
                                "修订记录只能增加，不能删除；请把删掉的记录恢复",
                                "revisions can only be added, never removed; restore the ones deleted"
                            )),
                        );
                    } else {
                        let today_s = today.to_string();
                        errs.push(
                            at_revisions(Diagnostic::error(
                                &item.source,
                                msg!(
                                    "已公示的{kz} `{id}`（{first} 首次公示）内容变了，但修订记录没有增加：校验码从 {old} 变成了 {new}",
                                    "the published {ke} `{id}` (first published {first}) has changed without a new revision: its code went from {old} to {new}"
                                ),
                            ))
                            .hint(msg!(
                                "在这个文件里写明改了什么（已经有 revisions: 这一行的，只加下面第二行）：\n     revisions:\n       - {{date: {today_s}, note: 更正停水时间}}\n   居民会看到修订记录，纸上旧版的校验码也就对得上原因",
                                "add an entry to `revisions` saying what changed, e.g. - {{date: {today_s}, note: corrected the times}}; residents see it, and the old code on paper is explained"
                            )),
                        );
                    }
                }
            }
        }
        for e in &self.entries {
            if current.contains(&(e.kind, e.id.as_str())) {
                continue;
            }
            if e.retired.is_some() {
                next.push(e.clone());
                continue;
            }
            let (kz, ke, id, first, prefix) = (e.kind.zh(), e.kind.en(), &e.id, e.first_published, e.kind.prefix());
            errs.push(
                Diagnostic::error(
                    &e.source,
                    msg!(
                        "已公示的{kz} `{id}`（{first} 首次公示）不见了：文件被删除、改名或改成了草稿",
                        "the published {ke} `{id}` (first published {first}) is gone: its file was deleted, renamed or made a draft"
                    ),
                )
                .hint(msg!(
                    "公示过的内容不能悄悄消失。如果是误删，请恢复文件；确实要撤下，请运行 gongshi retire {prefix}/{id} --note \"撤下原因\"，原网址会留下一页撤下说明",
                    "published items cannot silently disappear. Restore the file, or retire it on purpose: gongshi retire {prefix}/{id} --note \"why\"; its address will keep a retirement notice"
                )),
            );
        }
        if errs.has_errors() {
            return Err(errs);
        }
        next.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        Ok(Lock { entries: next, log: self.log.clone(), legacy: self.legacy, pending: Vec::new() })
    }

    /// Writes the log into `content/publish.lock` (atomically), only when it changed. A lock
    /// of the older format is never written: it becomes a log at the next `publish`.
    pub fn write(&self, root: &Path) -> std::io::Result<bool> {
        if self.legacy {
            return Ok(false);
        }
        let path = root.join(LOCK_PATH);
        let text = self.log.to_text();
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            return Ok(false);
        }
        crate::output::replace(&path, text.as_bytes())?;
        Ok(true)
    }

    /// Marks `target` (`n/water-cut-5`, or a bare id when it names one item) as retired.
    pub fn retire(&mut self, target: &str, note: &str, today: Date) -> Result<&Entry, Diagnostic> {
        let note = note.trim();
        if note.is_empty() {
            return Err(Diagnostic::error(LOCK_PATH, msg!("撤下必须写明原因", "retiring needs a reason")).hint(msg!(
                "例如 gongshi retire n/water-cut-5 --note \"重复发布，以 water-cut-5b 为准\"",
                "e.g. gongshi retire n/water-cut-5 --note \"published twice; see water-cut-5b\""
            )));
        }
        let (kind, id) = match target.split_once('/').and_then(|(p, rest)| Some((Kind::from_prefix(p)?, rest))) {
            Some((kind, rest)) => (Some(kind), rest.trim_end_matches('/')),
            None => (None, target.trim_end_matches('/')),
        };
        let matches: Vec<usize> =
            self.entries.iter().enumerate().filter(|(_, e)| e.id == id && kind.is_none_or(|k| e.kind == k)).map(|(i, _)| i).collect();
        match matches[..] {
            [i] => {
                let e = &mut self.entries[i];
                if let Some(r) = &e.retired {
                    let d = r.date;
                    return Err(Diagnostic::error(LOCK_PATH, msg!("`{target}` 已于 {d} 撤下", "`{target}` was already retired on {d}")));
                }
                if self.legacy {
                    return Err(Diagnostic::error(LOCK_PATH, msg!(
                        "publish.lock 还是旧格式：请先运行一次 gongshi publish，再撤下",
                        "publish.lock is still of the older format: run gongshi publish once, then retire"
                    )));
                }
                e.retired = Some(Retired { date: today, note: note.to_string() });
                let record = Record {
                    action: Action::Retired,
                    kind: e.kind,
                    id: e.id.clone(),
                    version: e.version,
                    code: e.code.clone(),
                    sha256: e.sha256.clone(),
                    title: e.title.clone(),
                    source: e.source.clone(),
                    revisions: e.revisions,
                    note: Some(note.to_string()),
                    first_published: None,
                    retired_on: None,
                    attachments: Vec::new(),
                };
                self.log.append(today, vec![record], Vec::new());
                Ok(&self.entries[i])
            }
            [] => Err(Diagnostic::error(LOCK_PATH, msg!("publish.lock 里没有 `{target}`", "`{target}` is not in publish.lock")).hint(msg!(
                "写成 种类/编号，例如 n/water-cut-5（公告）、v/renew-property-2026（表决）、a/public-income/2026-Q3（账目）；没有公示过的内容直接删除文件即可",
                "write kind/id, e.g. n/water-cut-5, v/renew-property-2026, a/public-income/2026-Q3; an item never published can simply be deleted"
            ))),
            _ => Err(Diagnostic::error(LOCK_PATH, msg!("`{target}` 对应多条内容", "`{target}` names more than one item"))
                .hint(msg!("在前面加上种类，例如 n/{id} 或 v/{id}", "add the kind in front, e.g. n/{id} or v/{id}"))),
        }
    }
}

/// The lock is gone but the site was published (its history, or the published log, says so).
pub fn lost_lock(evidence: &str) -> Diagnostic {
    Diagnostic::error(
        LOCK_PATH,
        msg!(
            "公示记录 content/publish.lock 不见了，但这个小区已经公示过（{evidence} 还在）",
            "the publishing log content/publish.lock is missing, but this site was published ({evidence} is there)"
        ),
    )
    .hint(msg!(
        "不能当作从没公示过：请从备份恢复 publish.lock，或运行 gongshi lock restore，按已发布网站的 data/log.json 重建它",
        "it cannot be treated as never published: restore publish.lock from a backup, or run gongshi lock restore to rebuild it from the published site's data/log.json"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, code: &str, revisions: usize) -> Current {
        Current {
            kind: Kind::Notice,
            id: id.into(),
            url: crate::address::notice(id),
            title: "t".into(),
            code: code.into(),
            revisions,
            source: PathBuf::from(format!("content/notices/{id}.md")),
            sha256: String::new(),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn new_items_are_added_changes_need_a_revision_and_deletions_a_retirement() {
        let d1 = Date::ymd(2026, 11, 1);
        let d2 = Date::ymd(2026, 11, 5);
        let lock =
            Lock::default().reconcile(Path::new("/nonexistent"), &[item("a", "AAAA-AAAA", 0), item("b", "BBBB-BBBB", 0)], d1).unwrap();
        assert_eq!(lock.entries.len(), 2);
        assert_eq!(lock.get(Kind::Notice, "a").unwrap().first_published, d1);
        // Unchanged: same lock.
        assert_eq!(lock.reconcile(Path::new("/nonexistent"), &[item("a", "AAAA-AAAA", 0), item("b", "BBBB-BBBB", 0)], d2).unwrap(), lock);
        // Changed without a revision: refused; with one: accepted, first-published date kept.
        let e = lock.reconcile(Path::new("/nonexistent"), &[item("a", "CCCC-CCCC", 0), item("b", "BBBB-BBBB", 0)], d2).unwrap_err();
        assert!(e.items[0].message.zh.contains("内容变了，但修订记录没有增加"), "{:?}", e.items[0].message);
        let next = lock.reconcile(Path::new("/nonexistent"), &[item("a", "CCCC-CCCC", 1), item("b", "BBBB-BBBB", 0)], d2).unwrap();
        assert_eq!(next.get(Kind::Notice, "a").unwrap().code, "CCCC-CCCC");
        assert_eq!(next.get(Kind::Notice, "a").unwrap().first_published, d1);
        // Deleted: refused until retired; retired: kept, and the id cannot come back.
        let e = lock.reconcile(Path::new("/nonexistent"), &[item("a", "AAAA-AAAA", 0)], d2).unwrap_err();
        assert!(e.items[0].message.zh.contains("不见了"));
        let mut retired = lock.clone();
        retired.retire("n/b", "重复发布", d2).unwrap();
        let after = retired.reconcile(Path::new("/nonexistent"), &[item("a", "AAAA-AAAA", 0)], d2).unwrap();
        assert!(after.get(Kind::Notice, "b").unwrap().retired.is_some());
        assert!(after.reconcile(Path::new("/nonexistent"), &[item("a", "AAAA-AAAA", 0), item("b", "DDDD-DDDD", 0)], d2).is_err());
    }

    #[test]
    fn publishing_appends_to_the_log_keeps_every_version_and_reads_back() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("content/notices")).unwrap();
        for id in ["a", "b"] {
            std::fs::write(root.join(format!("content/notices/{id}.md")), format!("---\ntitle: {id}\n---\n")).unwrap();
        }
        let (d1, d2, d3) = (Date::ymd(2026, 1, 2), Date::ymd(2026, 1, 3), Date::ymd(2026, 1, 4));
        let empty = Lock::default();
        let next = empty.reconcile(root, &[item("a", "AAAA-AAAA", 0), item("b", "BBBB-BBBB", 0)], d1).unwrap();
        let first = empty.publish(root, &next, d1, &[]).unwrap().expect("two items added");
        first.write_history(root).unwrap();
        first.write(root).unwrap();
        assert!(root.join("content/history/notice/a/v1.md").is_file());
        assert_eq!(Lock::read(root).unwrap(), first);
        // Nothing changed: no publication.
        assert!(first
            .publish(root, &first.reconcile(root, &[item("a", "AAAA-AAAA", 0), item("b", "BBBB-BBBB", 0)], d2).unwrap(), d2, &[])
            .unwrap()
            .is_none());
        // A revision: version 2, kept beside version 1; the first-published date stays.
        std::fs::write(root.join("content/notices/a.md"), "---\ntitle: a2\n---\n").unwrap();
        let next = first.reconcile(root, &[item("a", "CCCC-CCCC", 1), item("b", "BBBB-BBBB", 0)], d2).unwrap();
        let mut second = first.publish(root, &next, d2, &[]).unwrap().unwrap();
        second.write_history(root).unwrap();
        assert_eq!(second.log.entries.len(), 2);
        let a = second.get(Kind::Notice, "a").unwrap();
        assert_eq!((a.version, a.first_published, a.code.as_str()), (2, d1, "CCCC-CCCC"));
        assert!(root.join("content/history/notice/a/v2.md").is_file() && root.join("content/history/notice/a/v1.md").is_file());
        // Retired: a third publication.
        second.retire("n/b", "原因：重复", d3).unwrap();
        second.write(root).unwrap();
        let read = Lock::read(root).unwrap();
        assert_eq!(read, second);
        assert_eq!(read.get(Kind::Notice, "b").unwrap().retired.as_ref().unwrap().date, d3);
        assert_eq!(read.log.entries[2].items[0].action, Action::Retired);
        // A version in the history edited by hand stops every command.
        std::fs::write(root.join("content/history/notice/a/v1.md"), "---\ntitle: changed\n---\n").unwrap();
        let e = Lock::read(root).unwrap_err();
        assert!(e.items[0].message.zh.contains("第 1 版的存档被改过"), "{:?}", e.items[0].message);
    }
}
