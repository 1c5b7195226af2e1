//! `gongshi verify DIR [--against OLD]` (§5): checks a published site as anyone can download
//! it — the publishing log's hash chain, that every page shows the code the log gives its
//! version (earlier versions at `v<n>/` included), that every code answers at `/c/<code>/`,
//! that every data file matches its size and SHA-256 in `datapackage.json`, and, against an
//! older copy, that the older log is the start of the newer one (nothing that was published
//! has been removed or rewritten).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::kind::Kind;
use crate::log::{sha256_hex, Action, Log};
use crate::msg;
use std::collections::BTreeMap;
use std::path::Path;

/// What was checked, when everything holds.
#[derive(Debug, Default)]
pub struct Verified {
    /// Publications in the log.
    pub publications: usize,
    /// Pages whose code was checked.
    pub pages: usize,
    /// Data files whose hash was checked.
    pub files: usize,
}

/// The code an item page shows: the first `<code class="code">…</code>` on it.
fn code_on(html: &str) -> Option<&str> {
    html.split("<code class=\"code\">").nth(1)?.split('<').next()
}

fn read_log(dir: &Path, errs: &mut Diagnostics) -> Option<Log> {
    let rel = Path::new("data/log.json");
    match std::fs::read_to_string(dir.join(rel)) {
        Ok(text) => match Log::from_json(rel, &text) {
            Ok(log) => Some(log),
            Err(d) => {
                errs.push(d.hint(msg!(
                    "公示记录的哈希链断了：有一次发布被改过、删掉或调换了顺序",
                    "the log's hash chain is broken: a publication was changed, removed or reordered"
                )));
                None
            }
        },
        Err(e) => {
            let detail = e.to_string();
            errs.push(Diagnostic::error(rel, msg!("读不到公示记录：{detail}", "cannot read the publishing log: {detail}")));
            None
        }
    }
}

/// Checks the published site in `dir` (and, with `against`, that its log continues the one of
/// the older copy `against`).
pub fn verify(dir: &Path, against: Option<&Path>) -> Result<Verified, Diagnostics> {
    let mut errs = Diagnostics::default();
    let mut done = Verified::default();
    let log = read_log(dir, &mut errs);
    if let Some(log) = &log {
        done.publications = log.entries.len();
        // Every version the log records: the page that shows it must show its code, and its
        // code must answer at /c/<code>/.
        let mut latest: BTreeMap<(Kind, String), usize> = BTreeMap::new();
        let mut retired: Vec<(Kind, String)> = Vec::new();
        for p in &log.entries {
            for r in &p.items {
                match r.action {
                    Action::Retired => retired.push((r.kind, r.id.clone())),
                    _ => {
                        latest.insert((r.kind, r.id.clone()), r.version);
                    }
                }
            }
        }
        for p in &log.entries {
            for r in p.items.iter().filter(|r| r.action != Action::Retired) {
                let key = (r.kind, r.id.clone());
                let is_retired = retired.contains(&key);
                let current = latest.get(&key) == Some(&r.version) && !is_retired;
                let at = if current { r.kind.address(&r.id) } else { crate::address::version(r.kind, &r.id, r.version) };
                let file = at.file();
                let (id, v, code) = (&r.id, r.version, &r.code);
                match std::fs::read_to_string(dir.join(&file)) {
                    Ok(html) => {
                        done.pages += 1;
                        // Request logs share one page, which shows each period's code.
                        let shown_ok =
                            if r.kind == Kind::Requests { html.contains(code.as_str()) } else { code_on(&html) == Some(code.as_str()) };
                        if !shown_ok {
                            let shown = code_on(&html).unwrap_or("（没有）").to_string();
                            errs.push(Diagnostic::error(
                                &file,
                                msg!(
                                    "`{id}` 第 {v} 版的页面显示校验码 {shown}，公示记录里是 {code}",
                                    "the page of version {v} of `{id}` shows the code {shown}; the log says {code}"
                                ),
                            ));
                        }
                    }
                    Err(_) => errs.push(Diagnostic::error(
                        &file,
                        msg!(
                            "公示记录里有 `{id}` 第 {v} 版，网站里却没有它的页面",
                            "the log records version {v} of `{id}`, but the site has no page for it"
                        ),
                    )),
                }
                // The files a version shows must be the bytes it was published with: the
                // current one's under `static/`, an earlier one's kept copies under `/files/`.
                for a in &r.attachments {
                    let path = &if current { a.path.clone() } else { crate::address::kept_file(a) };
                    match std::fs::read(dir.join(path)) {
                        Ok(bytes) => {
                            done.files += 1;
                            if sha256_hex(&bytes) != a.sha256 {
                                errs.push(Diagnostic::error(
                                    path,
                                    msg!(
                                        "附件和公示记录里 `{id}` 第 {v} 版记的哈希对不上：文件被换过",
                                        "the attachment does not match the hash the log gives it for version {v} of `{id}`: it was replaced"
                                    ),
                                ));
                            }
                        }
                        Err(_) => errs.push(Diagnostic::error(
                            path,
                            msg!("`{id}` 第 {v} 版的附件在网站里找不到", "version {v} of `{id}` attaches this file, but the site has none"),
                        )),
                    }
                }
                let c = crate::address::code(code).file();
                if !dir.join(&c).is_file() {
                    errs.push(Diagnostic::error(&c, msg!("校验码 {code} 在 /c/ 下查不到", "the code {code} does not answer under /c/")));
                }
            }
        }
    }

    // Every entrance poster's code the log records answers too.
    for r in log.iter().flat_map(|l| &l.entries).flat_map(|p| &p.posters) {
        let (code, place) = (&r.code, &r.place);
        let c = crate::address::code(code).file();
        if !dir.join(&c).is_file() {
            errs.push(Diagnostic::error(
                &c,
                msg!(
                    "楼道公示栏 {place} 的校验码 {code} 在 /c/ 下查不到",
                    "the code {code} of the poster of {place} does not answer under /c/"
                ),
            ));
        }
    }

    // Every data file as the data package describes it.
    let pkg_rel = Path::new(crate::address::DATAPACKAGE);
    match std::fs::read_to_string(dir.join(pkg_rel)).map(|t| serde_json::from_str::<serde_json::Value>(&t)) {
        Ok(Ok(pkg)) => {
            for r in pkg["resources"].as_array().map(Vec::as_slice).unwrap_or_default() {
                let Some(path) = r["path"].as_str() else { continue };
                let rel = format!("data/{path}");
                match std::fs::read(dir.join(&rel)) {
                    Ok(bytes) => {
                        done.files += 1;
                        let want = r["hash"].as_str().unwrap_or("");
                        let got = format!("sha256:{}", sha256_hex(&bytes));
                        if want != got || r["bytes"].as_u64() != Some(bytes.len() as u64) {
                            errs.push(Diagnostic::error(
                                &rel,
                                msg!(
                                    "数据文件和 datapackage.json 里记的大小或哈希对不上：文件被改过",
                                    "the data file does not match its size or hash in datapackage.json: it was changed"
                                ),
                            ));
                        }
                    }
                    Err(_) => errs.push(Diagnostic::error(
                        &rel,
                        msg!(
                            "datapackage.json 里列了这个数据文件，网站里却没有",
                            "datapackage.json lists this data file, but it is missing"
                        ),
                    )),
                }
            }
        }
        _ => errs.push(Diagnostic::error(pkg_rel, msg!("读不到 datapackage.json", "cannot read datapackage.json"))),
    }

    // Against an older copy: its log must be the start of this one.
    if let Some(old) = against {
        let mut old_errs = Diagnostics::default();
        let old_log = read_log(old, &mut old_errs);
        for d in old_errs.items {
            let (zh, en) = (d.message.zh.clone(), d.message.en.clone());
            errs.push(Diagnostic::error(d.file.clone(), msg!("（旧副本）{zh}", "(old copy) {en}")));
        }
        if let (Some(old_log), Some(log)) = (old_log, &log) {
            let rel = Path::new("data/log.json");
            if old_log.entries.len() > log.entries.len() {
                let (n, o) = (log.entries.len(), old_log.entries.len());
                errs.push(Diagnostic::error(
                    rel,
                    msg!(
                        "公示记录变短了：旧副本有 {o} 次发布，现在只有 {n} 次——已经公示的内容被删掉了",
                        "the log got shorter: the old copy has {o} publications, this one {n}: published history was removed"
                    ),
                ));
            }
            for (a, b) in old_log.entries.iter().zip(&log.entries) {
                if a != b {
                    let seq = a.seq;
                    errs.push(Diagnostic::error(
                        rel,
                        msg!(
                            "第 {seq} 次发布和旧副本里的不一样：公示记录被改写过",
                            "publication {seq} differs from the old copy's: the log was rewritten"
                        ),
                    ));
                    break;
                }
            }
        }
    }
    if errs.has_errors() {
        Err(errs)
    } else {
        Ok(done)
    }
}
