//! Everything a community publishes, read from `content/` and validated. This module knows
//! nothing about HTML: it turns files into typed, checked items, or into diagnostics.

pub mod ledger;
pub mod notice;
pub mod page;
pub mod requests;
pub mod standards;
pub mod vote;
pub mod yaml;

use crate::date::Date;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::msg;
use crate::site::{Place, Site};
use notice::Notice;
use page::Page;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yaml::{locate, locate_key, LooseString, Source};

/// A correction recorded after first publication.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// When it was made.
    pub date: Date,
    /// What changed, in plain words.
    pub note: String,
}

/// The whole validated content of a site.
#[derive(Debug, Clone)]
pub struct Content {
    /// `site.yaml`.
    pub site: Site,
    /// Notices, newest first (drafts included only when asked for).
    pub notices: Vec<Notice>,
    /// Free pages, by id.
    pub pages: Vec<Page>,
    /// Ledgers, by fund then period.
    pub ledgers: Vec<ledger::Ledger>,
    /// Service standards, oldest `effective` first.
    pub standards: Vec<standards::Standards>,
    /// Request logs, by period.
    pub requests: Vec<requests::RequestLog>,
    /// Votes and consultations, newest first.
    pub votes: Vec<vote::Vote>,
}

/// What to load.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep drafts (`--drafts`).
    pub drafts: bool,
}

/// Loads and validates `root/content`. Every file is read, and every problem of every file is
/// collected, before anything is decided; warnings come back with the content.
pub fn load(root: &Path, opts: LoadOptions) -> (Option<Content>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let site = match Site::load(root) {
        Ok(site) => site,
        Err(e) => return (None, e),
    };
    let notice_files = list(root, "notices", "md", &mut diags);
    let page_files = list(root, "pages", "md", &mut diags);

    let notices: Vec<Result<Notice, Diagnostics>> =
        notice_files.par_iter().map(|rel| Notice::load(&Source::read(root, rel)?, &site)).collect();
    let pages: Vec<Result<Page, Diagnostics>> = page_files.par_iter().map(|rel| Page::load(&Source::read(root, rel)?, &site)).collect();
    let ledger_files = list_ledgers(root, &mut diags);
    let ledgers: Vec<Result<ledger::Ledger, Diagnostics>> =
        ledger_files.par_iter().map(|rel| ledger::Ledger::load(root, &Source::read(root, rel)?, &site)).collect();

    let standards = list(root, "standards", "yaml", &mut diags)
        .par_iter()
        .map(|rel| standards::Standards::load(&Source::read(root, rel)?, &site))
        .collect::<Vec<_>>();
    let requests = list(root, "requests", "yaml", &mut diags)
        .par_iter()
        .map(|rel| requests::RequestLog::load(&Source::read(root, rel)?, &site))
        .collect::<Vec<_>>();
    let votes = list(root, "votes", "yaml", &mut diags).par_iter().map(|rel| vote::Vote::load(&Source::read(root, rel)?, &site)).collect();

    let mut notices = keep_ok(notices, &mut diags);
    let pages = keep_ok(pages, &mut diags);
    let mut ledgers = keep_ok(ledgers, &mut diags);
    let mut standards = keep_ok(standards, &mut diags);
    let mut requests = keep_ok(requests, &mut diags);
    let mut votes = keep_ok(votes, &mut diags);
    ledger::check_funds(&mut ledgers, &mut diags);
    standards.sort_by(|a, b| a.effective.cmp(&b.effective).then_with(|| a.id.cmp(&b.id)));
    requests.sort_by(|a, b| a.period.start.cmp(&b.period.start).then_with(|| a.period.key.cmp(&b.period.key)));
    requests::check_tiers(&requests, &standards, &mut diags);
    votes.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    check_unique(notices.iter().map(|n| (n.id.as_str(), n.source.as_path())), &mut diags);
    check_unique(pages.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    check_unique(standards.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    check_unique(votes.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);

    if !opts.drafts {
        notices.retain(|n| !n.draft);
    }
    // Newest first; the id breaks ties so that output never depends on file-system order.
    notices.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    diags.sort();
    if diags.has_errors() {
        return (None, diags);
    }
    (Some(Content { site, notices, pages, ledgers, standards, requests, votes }), diags)
}

/// The files `content/<dir>/*.<ext>`, sorted; anything else in that folder is reported.
fn list(root: &Path, dir: &str, ext: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let base = root.join("content").join(dir);
    let mut out = Vec::new();
    if !base.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(&base).min_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().and_then(|p| p.strip_prefix(root).ok()).unwrap_or(Path::new(dir)).to_path_buf();
                let detail = e.to_string();
                diags.push(Diagnostic::error(rel, msg!("无法读取：{detail}", "cannot read: {detail}")));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') || entry.file_type().is_dir() {
            continue;
        }
        if entry.path().extension().is_some_and(|e| e == ext) {
            out.push(rel);
        } else {
            diags.push(Diagnostic::warning(rel, msg!("不是 .{ext} 文件，已跳过", "not a .{ext} file; skipped")));
        }
    }
    out
}

/// `content/accounts/<fund>/<period>.yaml`: one folder per fund.
fn list_ledgers(root: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let base = root.join("content/accounts");
    let mut out = Vec::new();
    if !base.is_dir() {
        return out;
    }
    let mut funds: Vec<PathBuf> = std::fs::read_dir(&base).into_iter().flatten().flatten().map(|e| e.path()).collect();
    funds.sort();
    for fund in funds {
        let rel = fund.strip_prefix(root).unwrap_or(&fund).to_path_buf();
        if fund.is_dir() {
            out.extend(list(root, &rel.strip_prefix("content").unwrap_or(&rel).to_string_lossy(), "yaml", diags));
        } else if !rel.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            diags.push(Diagnostic::warning(
                rel,
                msg!(
                    "账目要放在 accounts/<账户>/<期间>.yaml，这个文件已跳过",
                    "ledgers go in accounts/<fund>/<period>.yaml; this file was skipped"
                ),
            ));
        }
    }
    out
}

fn keep_ok<T>(results: Vec<Result<T, Diagnostics>>, diags: &mut Diagnostics) -> Vec<T> {
    let mut ok = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(t) => ok.push(t),
            Err(e) => diags.extend(e.items),
        }
    }
    ok
}

fn check_unique<'a>(items: impl Iterator<Item = (&'a str, &'a Path)>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for (id, path) in items {
        if let Some(first) = seen.get(id) {
            let first = crate::diagnostics::display_path(first);
            diags.push(
                Diagnostic::error(path, msg!("编号 `{id}` 已被 {first} 使用", "the id `{id}` is already used by {first}"))
                    .hint(msg!("每条内容的编号（文件名或 id:）必须不同", "every item needs its own id (file name or id:)")),
            );
        } else {
            seen.insert(id, path);
        }
    }
}

/// An issuer is a body key, or free text; a word that looks like a key but is none is a typo.
pub(crate) fn check_issuer(src: &Source, site: &Site, issuer: &str, errs: &mut Diagnostics) {
    let issuer = issuer.trim();
    let (l, c) = locate_key(&src.text, "issuer");
    if issuer.is_empty() {
        errs.push(Diagnostic::error(&src.rel, msg!("发布单位 `issuer` 不能为空", "`issuer` must not be empty")).at(&src.text, l, c));
        return;
    }
    let is_key_like = issuer.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if is_key_like && !site.bodies.iter().any(|b| b.key == issuer) {
        let keys: Vec<&str> = site.bodies.iter().map(|b| b.key.as_str()).collect();
        let hint = match did_you_mean(issuer, keys.iter().copied()) {
            Some(k) => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
            None => {
                let all = keys.join("、");
                let all_en = keys.join(", ");
                msg!("site.yaml 的 bodies 里有：{all}；也可以直接写单位全称", "site.yaml's bodies are: {all_en}; or write the full name")
            }
        };
        errs.push(
            Diagnostic::error(
                &src.rel,
                msg!("发布单位 `{issuer}` 不在 site.yaml 的 bodies 里", "issuer `{issuer}` is not one of site.yaml's bodies"),
            )
            .at(&src.text, l, c)
            .hint(hint),
        );
    }
}

/// Resolves every scope entry to a building or entrance of `site.yaml`.
pub(crate) fn check_scope(src: &Source, site: &Site, scope: &[LooseString], errs: &mut Diagnostics) -> Vec<Place> {
    let mut out = Vec::new();
    let (scope_line, _) = locate_key(&src.text, "scope");
    for raw in scope {
        let id = raw.0.trim();
        match site.place(id) {
            Some(p) => out.push(p),
            None => {
                let (l, c) = locate(&src.text, id, scope_line.max(1));
                let known: Vec<String> = site.places().iter().map(Place::id).collect();
                let hint = match did_you_mean(id, known.iter().map(String::as_str)) {
                    Some(k) => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
                    None => {
                        let all = known.join("、");
                        let all_en = known.join(", ");
                        msg!("site.yaml 里的楼栋和门洞有：{all}", "the buildings and entrances in site.yaml are: {all_en}")
                    }
                };
                errs.push(
                    Diagnostic::error(
                        &src.rel,
                        msg!("范围里的楼栋 `{id}` 在 site.yaml 里不存在", "building `{id}` in scope is not in site.yaml"),
                    )
                    .at(&src.text, l, c)
                    .hint(hint),
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Revisions are dated on or after the item and explain themselves.
pub(crate) fn check_revisions(src: &Source, date: Date, revisions: &[Revision], errs: &mut Diagnostics) {
    let (rev_line, _) = locate_key(&src.text, "revisions");
    for r in revisions {
        let (l, c) = locate(&src.text, &r.date.to_string(), rev_line.max(1));
        let d = r.date;
        if r.date < date {
            errs.push(
                Diagnostic::error(
                    &src.rel,
                    msg!("修订日期 {d} 早于发布日期 {date}", "revision date {d} is before the publication date {date}"),
                )
                .at(&src.text, l, c)
                .hint(msg!(
                    "修订记录写的是发布之后哪天改了什么；请检查日期",
                    "a revision records a change made after publication; check the date"
                )),
            );
        }
        if r.note.trim().is_empty() {
            errs.push(
                Diagnostic::error(&src.rel, msg!("修订说明 `note` 不能为空", "a revision's `note` must not be empty"))
                    .at(&src.text, l, c)
                    .hint(msg!("用一句话说明改了什么，例如 更正恢复供水时间", "say in a sentence what changed")),
            );
        }
    }
}
