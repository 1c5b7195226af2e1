//! Everything a community publishes, read from `content/` and validated. This module knows
//! nothing about HTML: it turns files into typed, checked items, or into diagnostics.

pub mod donation;
pub mod ledger;
pub mod matter;
pub mod minutes;
pub mod notice;
pub mod page;
pub mod requests;
pub mod second_look;
pub mod standards;
pub mod vote;

use crate::date::Date;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::msg;
use crate::site::{Place, Site};
use crate::source::{locate, locate_key, LooseString, Source};
use notice::Notice;
use page::Page;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A correction recorded after first publication.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// When it was made.
    pub date: Date,
    /// What changed, in plain words.
    pub note: String,
}

/// `privacy: {allow: [...]}`: values in this file that may be published although they look
/// like personal data (a volunteer's mobile number the committee decided to publish, say).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// The values, as written in the text.
    #[serde(default)]
    pub allow: Vec<LooseString>,
}

/// The privacy guard over a whole source file (§6): mobile, ID, bank-card and room numbers are
/// errors unless they are a declared public contact of `site.yaml`, one of `public` (such as a
/// provider's phone), or allowed by the file's own `privacy: {allow: […]}`.
pub(crate) fn check_privacy(src: &Source, site: &Site, privacy: &Privacy, public: &[&str], errs: &mut Diagnostics) {
    let digits = crate::privacy::phone_key;
    let declared: Vec<String> = site
        .contacts
        .iter()
        .map(|c| c.phone.0.as_str())
        .chain(public.iter().copied())
        .chain(privacy.allow.iter().map(|a| a.0.as_str()))
        .map(digits)
        .filter(|d| !d.is_empty())
        .collect();
    for hit in crate::privacy::scan(&src.text) {
        let allowed = match hit.kind {
            crate::privacy::Kind::Room => privacy.allow.iter().any(|a| a.0.trim() == hit.value.trim() || a.0.trim() == hit.seen.trim()),
            _ => declared.contains(&digits(&hit.seen)),
        };
        if allowed {
            continue;
        }
        let before = &src.text[..hit.start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let (kz, ke, v) = (hit.kind.zh(), hit.kind.en(), &hit.seen);
        let hint = if hit.kind == crate::privacy::Kind::Mobile {
            msg!(
                "删掉，或换成物业、业委会的公开电话；如果这个号码本来就该公开（例如网格员），请写进 site.yaml 的 contacts，或在本文件加一行 privacy: {{allow: [\"{v}\"]}}",
                "remove it or give the office number; if it is meant to be public, declare it in site.yaml's contacts or add privacy: {{allow: [\"{v}\"]}} to this file"
            )
        } else {
            msg!(
                "删掉或改写：写楼栋不写房号，写“某业主”不写证件和卡号；确需公开时，在本文件加一行 privacy: {{allow: [\"{v}\"]}}",
                "remove or rewrite it: the building, not the room; \"an owner\", not an ID or card number; if it must be published, add privacy: {{allow: [\"{v}\"]}} to this file"
            )
        };
        errs.push(
            Diagnostic::error(
                &src.rel,
                if hit.seen == hit.value {
                    msg!(
                        "这里有{kz} `{v}`：公示内容不能含有居民的个人信息",
                        "this is a {ke} `{v}`: published content must not carry residents' personal data"
                    )
                } else {
                    let w = &hit.value;
                    msg!(
                        "这里有{kz} `{v}`（原文写作 `{w}`，网页上显示的就是 {v}）：公示内容不能含有居民的个人信息",
                        "this is a {ke} `{v}` (written `{w}`, which a reader sees as {v}): published content must not carry residents' personal data"
                    )
                },
            )
            .at(&src.text, line, col)
            .hint(hint),
        );
    }
}

/// A path as Windows writes it (`static\vouchers\07-009.png`) as the site writes it.
pub(crate) fn windows_path(p: &str) -> String {
    p.trim().replace('\\', "/")
}

/// A path YAML read from double quotes, where `\\v` and `\\0` of `"static\\vouchers\\07-009.png"`
/// were taken as escapes: what it reads as, and how to write it.
pub(crate) fn escaped_path(a: &str) -> Option<crate::diagnostics::Diagnostic> {
    if !a.chars().any(|c| c.is_control() || matches!(c, '\u{a0}' | '\u{2028}' | '\u{2029}')) {
        return None;
    }
    let shown: String = a.chars().map(|c| if c.is_control() { '�' } else { c }).collect();
    Some(
        Diagnostic::error(
            "",
            msg!(
                "附件路径读出来是 `{shown}`：写在双引号里时，反斜杠 \\ 被当成了转义符",
                "the attachment path reads as `{shown}`: inside double quotes a backslash starts an escape"
            ),
        )
        .hint(msg!(
            "路径用 / 分隔，也不用加引号，例如 attachment: static/vouchers/07-009.png",
            "separate the path with / and leave out the quotes, e.g. attachment: static/vouchers/07-009.png"
        )),
    )
}

/// An attachment is a plain relative path to an existing file inside `content/`.
pub(crate) fn check_attachment(root: &Path, a: &str) -> Result<(), crate::diagnostics::Msg> {
    let rel = Path::new(a);
    let plain = !a.is_empty() && !a.contains('\\') && rel.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain {
        return Err(msg!("附件路径 `{a}` 不能指向 content/ 以外", "the attachment `{a}` must stay inside content/"));
    }
    let content = root.join("content");
    let path = content.join(rel);
    match (path.canonicalize(), content.canonicalize()) {
        (Ok(p), Ok(c)) if p.starts_with(&c) && p.is_file() => Ok(()),
        (Ok(_), Ok(_)) => Err(msg!("附件 `{a}` 不在 content/ 里面", "the attachment `{a}` is not inside content/")),
        _ => Err(msg!("找不到附件 `content/{a}`", "the attachment `content/{a}` does not exist")),
    }
}

/// Images in a Markdown body must be files under `content/static/` (copied to the site); not
/// another host (residents' phones must not call out), not a path outside `content/`. Links to
/// `static/…` (a contract PDF, a scan) must name a file that exists. Returns the `static/…`
/// files the body shows or links to, which are the item's attachments (part of its code).
pub(crate) fn check_body_files(root: &Path, src: &Source, body: &str, errs: &mut Diagnostics) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut files: Vec<String> = Vec::new();
    // Every Markdown image starts with a literal `![`, and a link to a file of the site names
    // `static/` (CommonMark does not let an entity stand for either): without them there is
    // nothing to check, and no need to parse.
    if !body.contains("![") && !body.contains("static/") {
        return files;
    }
    for ev in Parser::new(body) {
        let (u, image) = match ev {
            Event::Start(Tag::Image { dest_url, .. }) => (windows_path(&dest_url), true),
            Event::Start(Tag::Link { dest_url, .. }) if windows_path(&dest_url).starts_with("static/") => (windows_path(&dest_url), false),
            _ => continue,
        };
        let problem = if u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//") {
            Some(msg!(
                "图片 `{u}` 在别的网站上：公示页面不从其他网站加载任何东西",
                "the image `{u}` is on another site: pages load nothing from other hosts"
            ))
        } else if !u.starts_with("static/") {
            Some(msg!("图片 `{u}` 不在 content/static/ 里", "the image `{u}` is not under content/static/"))
        } else {
            check_attachment(root, &u).err()
        };
        match problem {
            Some(m) => {
                let (l, c) = locate(&src.text, &u, 1);
                let hint = if image {
                    msg!(
                        "把图片放进 content/static/（例如 content/static/img/停水.jpg），这里写 static/img/停水.jpg",
                        "put the picture in content/static/ and write its static/… path here"
                    )
                } else {
                    msg!(
                        "把文件放进 content/static/（例如 content/static/docs/合同.pdf），这里写 static/docs/合同.pdf",
                        "put the file in content/static/ and write its static/… path here"
                    )
                };
                errs.push(Diagnostic::error(&src.rel, m).at(&src.text, l, c).hint(hint));
            }
            None if !files.contains(&u) => files.push(u),
            None => {}
        }
    }
    // `![停水范围](static/停水 通知.png)`: with a space in the path, Markdown reads no image
    // or link at all, and the page would show the brackets as text.
    for m in UNREAD_LINK.captures_iter(body) {
        let (whole, dest) = (m.get(0).unwrap().as_str(), m[2].trim());
        let after = dest.split_once(char::is_whitespace).map(|(_, rest)| rest.trim_start()).unwrap_or_default();
        if dest.starts_with('<') || after.is_empty() || after.starts_with(['"', '\'', '(']) {
            continue;
        }
        let (what, what_en) = if m[1].is_empty() { ("链接", "link") } else { ("图片", "picture") };
        let fixed = dest.split_whitespace().collect::<Vec<_>>().join("");
        let (l, c) = locate(&src.text, whole, 1);
        errs.push(
            Diagnostic::error(
                &src.rel,
                msg!(
                    "{what}路径 `{dest}` 里有空格：Markdown 读不出这个{what}，页面上会显示成原样的文字",
                    "the {what_en} path `{dest}` has a space: Markdown reads no {what_en}, and the page would show the text as written"
                ),
            )
            .at(&src.text, l, c)
            .hint(msg!(
                "把文件名里的空格去掉（例如改名为 {fixed}），这里也照着写",
                "remove the spaces from the file name (e.g. {fixed}) and write it so here"
            )),
        );
    }
    files
}

/// `![…](…)` or `[…](…)` as written, whether or not Markdown could read it.
static UNREAD_LINK: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(!?)\[[^\]\n]*\]\(([^)\n]*)\)").unwrap());

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
    /// Matters, the latest step first.
    pub matters: Vec<matter::Matter>,
    /// Donation registers, newest first.
    pub donations: Vec<donation::Donation>,
    /// Minutes of meetings, newest first.
    pub minutes: Vec<minutes::Minutes>,
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
    check_static(root, &mut diags);
    check_top_level(root, &mut diags);
    // site.yaml is published too (its contacts are on every page): its numbers are checked,
    // the contacts' own phones being the declared public ones.
    if let Ok(src) = Source::read(root, Path::new("content/site.yaml")) {
        check_privacy(&src, &site, &site.privacy, &[], &mut diags);
    }
    let notice_files = list(root, "notices", "md", &mut diags);
    let page_files = list(root, "pages", "md", &mut diags);

    let notices: Vec<Result<Notice, Diagnostics>> =
        notice_files.par_iter().map(|rel| Notice::load(root, &Source::read(root, rel)?, &site)).collect();
    let pages: Vec<Result<Page, Diagnostics>> =
        page_files.par_iter().map(|rel| Page::load(root, &Source::read(root, rel)?, &site)).collect();
    let ledger_files = list_ledgers(root, &mut diags);
    let ledgers: Vec<Result<ledger::Ledger, Diagnostics>> =
        ledger_files.par_iter().map(|rel| ledger::Ledger::load(root, &Source::read(root, rel)?, &site)).collect();

    let standard_files = list(root, "standards", "yaml", &mut diags);
    let standards = standard_files.par_iter().map(|rel| standards::Standards::load(&Source::read(root, rel)?, &site)).collect::<Vec<_>>();
    let requests = list(root, "requests", "yaml", &mut diags)
        .par_iter()
        .map(|rel| requests::RequestLog::load(&Source::read(root, rel)?, &site))
        .collect::<Vec<_>>();
    let vote_files = list(root, "votes", "yaml", &mut diags);
    let votes = vote_files.par_iter().map(|rel| vote::Vote::load(&Source::read(root, rel)?, &site)).collect();

    let matters = list(root, "matters", "yaml", &mut diags)
        .par_iter()
        .map(|rel| matter::Matter::load(&Source::read(root, rel)?, &site))
        .collect::<Vec<_>>();
    let donation_files = list(root, "donations", "yaml", &mut diags);
    let donations = donation_files.par_iter().map(|rel| donation::Donation::load(&Source::read(root, rel)?, &site)).collect::<Vec<_>>();
    let minutes_files = list(root, "minutes", "md", &mut diags);
    let minutes = minutes_files.par_iter().map(|rel| minutes::Minutes::load(root, &Source::read(root, rel)?, &site)).collect::<Vec<_>>();
    let mut notices = keep_ok(notices, &mut diags);
    for n in &mut notices {
        diags.extend(std::mem::take(&mut n.warnings));
    }
    let pages = keep_ok(pages, &mut diags);
    let mut ledgers = keep_ok(ledgers, &mut diags);
    let mut standards = keep_ok(standards, &mut diags);
    let mut requests = keep_ok(requests, &mut diags);
    let mut votes = keep_ok(votes, &mut diags);
    // Files that are there but did not load: their own errors are reported, and what other
    // files say about them missing would only repeat them.
    let loaded: std::collections::HashSet<&Path> = notices
        .iter()
        .map(|n| n.source.as_path())
        .chain(ledgers.iter().map(|l| l.source.as_path()))
        .chain(standards.iter().map(|s| s.source.as_path()))
        .chain(votes.iter().map(|v| v.source.as_path()))
        .collect();
    let broken: Vec<PathBuf> = notice_files
        .iter()
        .chain(&ledger_files)
        .chain(&standard_files)
        .chain(&vote_files)
        .filter(|f| !loaded.contains(f.as_path()))
        .cloned()
        .collect();
    ledger::check_funds(&mut ledgers, &mut diags);
    if !broken.iter().any(|f| f.starts_with("content/accounts")) {
        ledger::check_transfers(&ledgers, &site, &mut diags);
    }
    standards.sort_by(|a, b| a.effective.cmp(&b.effective).then_with(|| a.id.cmp(&b.id)));
    requests.sort_by(|a, b| a.period.start.cmp(&b.period.start).then_with(|| a.period.key.cmp(&b.period.key)));
    if !broken.iter().any(|f| f.starts_with("content/standards")) {
        requests::check_tiers(&requests, &standards, &mut diags);
    }
    votes.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    check_unique(notices.iter().map(|n| (n.id.as_str(), n.source.as_path())), &mut diags);
    check_unique(pages.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    check_unique(standards.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    check_unique(votes.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    let mut matters = keep_ok(matters, &mut diags);
    check_unique(matters.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    matter::check_links(&mut matters, &notices, &votes, &ledgers, &site, &broken, &mut diags);
    matters.sort_by(|a, b| b.updated().cmp(&a.updated()).then_with(|| a.id.cmp(&b.id)));
    let mut donations = keep_ok(donations, &mut diags);
    check_unique(donations.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    {
        let others: Vec<&Path> = notice_files
            .iter()
            .chain(&page_files)
            .chain(&ledger_files)
            .map(PathBuf::as_path)
            .chain(minutes_files.iter().map(PathBuf::as_path))
            .chain(votes.iter().map(|v| v.source.as_path()))
            .chain(matters.iter().map(|m| m.source.as_path()))
            .collect();
        donation::check_names_elsewhere(root, &donation_files, &others, &mut diags);
    }
    donations.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let mut minutes = keep_ok(minutes, &mut diags);
    check_unique(minutes.iter().map(|p| (p.id.as_str(), p.source.as_path())), &mut diags);
    minutes::check_links(&minutes, &notices, &notice_files, &mut diags);
    minutes.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));

    // Newest first; the id breaks ties so that output never depends on file-system order.
    notices.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    diags.sort();
    if diags.has_errors() {
        return (None, diags);
    }
    let mut content = Content { site, notices, pages, ledgers, standards, requests, votes, matters, donations, minutes };
    if !opts.drafts {
        content.drop_drafts();
    }
    (Some(content), diags)
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
        if entry.path_is_symlink() {
            diags.push(symlink_refused(&rel));
            continue;
        }
        if name.starts_with('.') || name.ends_with('~') || entry.file_type().is_dir() {
            continue;
        }
        if entry.path().extension().is_some_and(|e| e == ext) {
            out.push(rel);
        } else if is_litter(&name) {
            diags.push(litter_left_out(&rel));
        } else {
            diags.push(not_read(&rel, &name, dir, ext));
        }
    }
    out
}

/// A file in a content folder that gongshi does not read. One meant to be read (`通知.MD`,
/// `通知.md.txt`, a sheet of the accounts) is an error that says how to make it readable;
/// anything else is a warning: nothing the secretary put there is left out without a word.
fn not_read(rel: &Path, name: &str, dir: &str, ext: &str) -> Diagnostic {
    let lower = name.to_lowercase();
    let (stem, got) = match lower.rfind('.') {
        Some(i) => (&name[..i], &lower[i..]),
        None => (name, ""),
    };
    // `通知.MD`, `通知.markdown`, `表决.yml`, and `通知.md.txt` from Notepad with the extension hidden.
    let same_kind = |e: &str| match ext {
        "md" => e == ".md" || e == ".markdown",
        _ => e == ".yaml" || e == ".yml",
    };
    let inner = stem.rfind('.').map(|i| (&stem[..i], stem[i..].to_lowercase()));
    let renamed = if same_kind(got) {
        Some(format!("{stem}.{ext}"))
    } else if got == ".txt" {
        inner.as_ref().filter(|(_, e)| same_kind(e)).map(|(s, _)| format!("{s}.{ext}"))
    } else {
        None
    };
    if let Some(good) = renamed {
        let hint = if got == ".txt" {
            msg!(
                "把文件改名为 `{good}`。记事本保存时会自己加上 .txt；在资源管理器里打开“查看 → 文件扩展名”就能看到并改掉",
                "rename the file to `{good}`; Notepad adds .txt when the extension is hidden (View → File name extensions)"
            )
        } else {
            msg!("把文件改名为 `{good}`", "rename the file to `{good}`")
        };
        return Diagnostic::error(
            rel,
            msg!("gongshi 只读扩展名是 .{ext} 的文件，这个文件没有读取", "gongshi reads only .{ext} files here; this one was not read"),
        )
        .hint(hint);
    }
    if matches!(got, ".xlsx" | ".xls" | ".csv" | ".ods" | ".et") {
        let period = stem;
        let hint = if let Some(fund) = dir.strip_prefix("accounts/") {
            let fund = fund.trim_end_matches('/');
            Some(format!("gongshi import ledger {fund} {period} <表格文件>"))
        } else if dir == "requests" {
            Some(format!("gongshi import requests {period} <表格文件>"))
        } else {
            None
        };
        if let Some(cmd) = hint {
            return Diagnostic::error(
                rel,
                msg!(
                    "表格文件不能直接放进 content/{dir}/，这个文件没有读取",
                    "a spreadsheet cannot go into content/{dir}/ as it is; it was not read"
                ),
            )
            .hint(msg!(
                "把表格放在 content/ 以外，用 `{cmd}` 导入，它会写出核对过的 .yaml 草稿",
                "keep the sheet outside content/ and read it with `{cmd}`: it writes a checked .yaml draft"
            ));
        }
    }
    if ext == "md" && (got == ".txt" || got.is_empty()) {
        return Diagnostic::warning(
            rel,
            msg!(
                "content/{dir}/ 里只能放 .md 文件，这个文件没有读取，不会发布",
                "content/{dir}/ holds only .md files; this one was not read and is not published"
            ),
        )
        .hint(msg!(
            "如果它是要公示的内容，把它改名为 {stem}.md（开头要有 --- 前言区，可以照 gongshi new notice 写出的样子）",
            "if it is meant to be published, rename it to {stem}.md (with front matter, as gongshi new notice writes it)"
        ));
    }
    // Anything else (a note, a Word copy) is said, not refused: it may well not be meant for residents.
    Diagnostic::warning(
        rel,
        msg!(
            "content/{dir}/ 里只能放 .{ext} 文件，这个文件没有读取，不会发布",
            "content/{dir}/ holds only .{ext} files; this one was not read and is not published"
        ),
    )
    .hint(msg!(
        "图片和附件放进 content/static/，在正文里链接；不需要公开的文件请移出 content/",
        "pictures and attachments go into content/static/ and are linked from the text; move anything else out of content/"
    ))
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
            let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            diags.push(
                Diagnostic::error(
                    &rel,
                    msg!(
                        "账目文件直接放在了 content/accounts/ 里，没有读取：每个账户一个文件夹",
                        "a ledger file directly in content/accounts/ is not read: each fund has its folder"
                    ),
                )
                .hint(msg!(
                    "移到账户的文件夹里，例如 content/accounts/public-income/{name}（文件夹名是 site.yaml 里 funds 的 id）",
                    "move it into its fund's folder, e.g. content/accounts/public-income/{name} (the folder is the fund's id in site.yaml)"
                )),
            );
        }
    }
    out
}

fn symlink_refused(rel: &Path) -> Diagnostic {
    Diagnostic::error(rel, msg!("这是一个符号链接（快捷方式），已拒绝", "this is a symbolic link; refused")).hint(msg!(
        "content/ 里只放真实的文件：符号链接可能指向电脑上的任何地方，把不该公开的文件带上网站",
        "keep only real files in content/: a link could point anywhere on the computer and publish it"
    ))
}

/// `content/static/` is copied to the site as it is, so it may hold no symbolic links.
/// Files the operating system or Office leaves beside the real ones (`Thumbs.db`,
/// `desktop.ini`, `.DS_Store`, `~$报表.xlsx`): never published.
pub fn is_litter(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower == "thumbs.db" || lower == "desktop.ini" || lower == "ehthumbs.db" || name.starts_with('.') || name.starts_with("~$")
}

/// Whether `bytes` of an SVG image can run script: a `<script>`, an event handler
/// (`onload=`), a `javascript:` link or an embedded page.
fn svg_runs_script(bytes: &[u8]) -> bool {
    static HANDLER: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(?i)[\s/\x22']on[a-z]+\s*=").expect("valid regex"));
    let text = String::from_utf8_lossy(bytes).to_lowercase();
    text.contains("<script") || text.contains("javascript:") || text.contains("<foreignobject") || HANDLER.is_match(&text)
}

/// Litter (`Thumbs.db`) is left out, with a word.
fn litter_left_out(rel: &Path) -> Diagnostic {
    Diagnostic::warning(rel, msg!("这是系统或 Office 留下的文件，不会发布", "left by the system or by Office: not published"))
}

/// What `content/` may hold at its top: the folders of the kinds, `static/`, `history/`,
/// site.yaml and publish.lock. A notice in `content/notice/`, `content/公告/` or `content/`
/// itself would never be read: said, with where it belongs.
fn check_top_level(root: &Path, diags: &mut Diagnostics) {
    let folders: Vec<(&str, &str)> =
        crate::kind::Kind::ALL.iter().map(|k| (k.folder(), k.zh())).chain([("static", "图片和附件"), ("history", "公示存档")]).collect();
    let Ok(entries) = std::fs::read_dir(root.join("content")) else { return };
    let mut names: Vec<(String, bool)> =
        entries.flatten().map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().is_dir())).collect();
    names.sort();
    for (name, dir) in names {
        if name.starts_with('.') || name == "site.yaml" || name == "publish.lock" || folders.iter().any(|(f, _)| *f == name) {
            continue;
        }
        let rel = Path::new("content").join(&name);
        // `notice/`, `Notices/`, `公告/`: the folder meant.
        let meant = if dir {
            folders.iter().find(|(_, zh)| name.contains(zh)).or_else(|| {
                did_you_mean(&name.to_lowercase(), folders.iter().map(|(f, _)| *f)).and_then(|f| folders.iter().find(|(x, _)| *x == f))
            })
        } else {
            None
        };
        if let Some((f, zh)) = meant {
            diags.push(
                Diagnostic::error(
                    &rel,
                    msg!(
                        "文件夹 content/{name}/ 不会被读取：程序不认识这个名字",
                        "the folder content/{name}/ is not read: its name is not one gongshi knows"
                    ),
                )
                .hint(msg!(
                    "{zh}要放在 content/{f}/ 里：把文件夹改名为 {f}，或者把里面的文件移过去",
                    "{zh} go in content/{f}/: rename the folder to {f}, or move its files there"
                )),
            );
        } else if is_litter(&name) {
            diags.push(litter_left_out(&rel));
        } else if !dir && name.to_lowercase().ends_with(".md") {
            diags.push(
                Diagnostic::error(
                    &rel,
                    msg!(
                        "content/{name} 不会被读取：文件要放在对应的文件夹里",
                        "content/{name} is not read: files go in the folder of their kind"
                    ),
                )
                .hint(msg!(
                    "公告放在 content/notices/ 里：把它移到 content/notices/{name}",
                    "notices go in content/notices/: move it there"
                )),
            );
        } else {
            let all = folders.iter().map(|(f, z)| format!("{f}（{z}）")).collect::<Vec<_>>().join("、");
            let all_en = folders.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", ");
            diags.push(
                Diagnostic::warning(&rel, msg!("content/{name} 不会被读取，也不会发布", "content/{name} is neither read nor published"))
                    .hint(msg!(
                        "content/ 里的内容按种类放进这些文件夹：{all}；不需要公开的文件请移出 content/",
                        "content/ holds the folders {all_en}; move anything else out of content/"
                    )),
            );
        }
    }
}

/// `content/static/` is copied as it is, onto the site's own origin: no links, and nothing a
/// browser would run there (pages, scripts, SVG with script); litter is left out, with a word.
fn check_static(root: &Path, diags: &mut Diagnostics) {
    let dir = root.join("content/static");
    for entry in walkdir::WalkDir::new(&dir).min_depth(1).sort_by_file_name().into_iter().flatten() {
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        if entry.path_is_symlink() {
            diags.push(symlink_refused(&rel));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if is_litter(&name) {
            if !name.starts_with('.') {
                diags.push(litter_left_out(&rel));
            }
            continue;
        }
        let ext = entry.path().extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let runs = match ext.as_str() {
            "html" | "htm" | "xhtml" | "shtml" | "js" | "mjs" => true,
            "svg" => std::fs::read(entry.path()).is_ok_and(|b| svg_runs_script(&b)),
            _ => false,
        };
        if runs {
            diags.push(
                Diagnostic::error(
                    &rel,
                    msg!(
                        "这个文件能在本站网址上运行脚本，不能放进 static/ 发布",
                        "this file can run script on the site's own address: it cannot be published from static/"
                    ),
                )
                .hint(msg!(
                    "要公示的网页写成 content/pages/ 里的页面；图片请用 PNG 或 JPG（SVG 里不能有 script、onload 之类）",
                    "write pages as content/pages/; use PNG or JPG images (an SVG may not carry script or event handlers)"
                )),
            );
        }
    }
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

/// A title must say something: an empty `title` is an error at its line.
pub(crate) fn check_title(src: &Source, title: &str, errs: &mut Diagnostics) {
    if title.trim().is_empty() {
        let (l, c) = locate_key(&src.text, "title");
        errs.push(Diagnostic::error(&src.rel, msg!("标题 `title` 不能为空", "`title` must not be empty")).at(&src.text, l, c));
    }
}

/// A file that could not be read whole still has its shared fields checked (the issuer, the
/// buildings of `scope`), so that one run names every mistake of the file and not only the
/// ones the reading refused. Nothing is said twice about a line already reported.
pub(crate) fn check_what_was_readable(src: &Source, site: &Site, yaml: &str, errs: &mut Diagnostics) {
    #[derive(Deserialize)]
    struct Shared {
        #[serde(default)]
        issuer: Option<serde_yaml::Value>,
        #[serde(default)]
        scope: Option<serde_yaml::Value>,
    }
    let Ok(shared) = serde_yaml::from_str::<Shared>(yaml) else { return };
    let mut more = Diagnostics::default();
    if let Some(serde_yaml::Value::String(issuer)) = &shared.issuer {
        check_issuer(src, site, issuer, &mut more);
    }
    if let Some(Ok(scope)) = shared.scope.map(serde_yaml::from_value::<Vec<LooseString>>) {
        check_scope(src, site, "scope", &scope, &mut more);
    }
    let said: Vec<usize> = errs.items.iter().map(|d| d.line).collect();
    errs.extend(more.items.into_iter().filter(|d| !said.contains(&d.line)));
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
/// `path` is where the list is written (`scope`, `entries[3].scope`); a single value written
/// for a list of one (`scope: 5`) is at `path` itself.
pub(crate) fn check_scope(src: &Source, site: &Site, path: &str, scope: &[LooseString], errs: &mut Diagnostics) -> Vec<Place> {
    let mut out = Vec::new();
    for (i, raw) in scope.iter().enumerate() {
        let id = raw.0.trim();
        match site.place(id) {
            Some(p) => out.push(p),
            None => {
                let item = crate::spans::item(path, i);
                let (l, c) = if src.spans().has(&item) { src.at(&item) } else { src.at(path) };
                let curly = ['“', '”', '‘', '’'];
                let message = match id.chars().any(|ch| curly.contains(&ch)) {
                    // `[“5”]`: YAML reads the curly quotes as part of the id.
                    true => {
                        let bare = id.trim_matches(curly);
                        errs.push(
                            Diagnostic::error(
                                &src.rel,
                                msg!("楼栋编号 `{bare}` 外面用了中文引号 “ ”", "the building `{bare}` is in curly quotes “ ”"),
                            )
                            .at(&src.text, l, c)
                            .hint(msg!(
                                "改成英文引号（输入法切换到英文再输入）：`\"{bare}\"`，例如 `scope: [\"5\", \"7-2\"]`",
                                "use straight quotes: `\"{bare}\"`, e.g. `scope: [\"5\", \"7-2\"]`"
                            )),
                        );
                        continue;
                    }
                    false => msg!("范围里的楼栋 `{id}` 在 site.yaml 里不存在", "building `{id}` in scope is not in site.yaml"),
                };
                errs.push(Diagnostic::error(&src.rel, message).at(&src.text, l, c).hint(scope_hint(site, id)));
            }
        }
    }
    // In site.yaml's order (9号楼 before 11号楼), not the order of the ids as text.
    let order = site.places();
    out.sort_by_key(|p| order.iter().position(|q| q == p));
    out.dedup();
    out
}

/// What the secretary most likely meant by a place that is not in `site.yaml`: the building
/// written the way people say it (`6号楼`, `6栋`, `05`), or a near spelling of a place that
/// exists; never an entrance that does not exist.
/// The place of `site` that `written` means when people write it their way (`6号楼`, `6栋`,
/// `06`, `6号楼2单元`, `６`), if there is one.
pub(crate) fn place_meant(site: &Site, written: &str) -> Option<String> {
    place_guess(written).and_then(|g| site.place(&g)).map(|p| p.id())
}

/// `6号楼 2单元` → `6-2`, `6栋` → `6`, `06` and `６` → `6`: the digits of the building and
/// entrance, whether or not such a place exists.
fn place_guess(written: &str) -> Option<String> {
    let digits = |s: &str| -> String {
        s.chars()
            .filter_map(|c| match c {
                '0'..='9' => Some(c),
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                _ => None,
            })
            .collect::<String>()
            .trim_start_matches('0')
            .to_string()
    };
    let words: Vec<&str> = written.split(|c: char| !(c.is_ascii_digit() || ('０'..='９').contains(&c))).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [b] => Some(digits(b)),
        [b, e] => Some(format!("{}-{}", digits(b), digits(e))),
        _ => None,
    }
}

fn scope_hint(site: &Site, id: &str) -> crate::diagnostics::Msg {
    let known: Vec<String> = site.places().iter().map(Place::id).collect();
    // `scope: 5, 6` or `["5、6"]`: several buildings written as one.
    let several: Vec<&str> = id.split([',', '，', '、', ' ', ';', '；']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if several.len() > 1 {
        let list = several.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ");
        return msg!("几栋楼要分开写成一个列表：scope: [{list}]", "write several buildings as a list: scope: [{list}]");
    }
    let guess = place_guess(id);
    if let Some(g) = guess.clone().filter(|g| *g != id && known.contains(g)) {
        let name = site.place(&g).map(|p| site.place_name(&p)).unwrap_or_default();
        return msg!("写楼栋的编号就行：是不是想写 `{g}`（{name}）？", "write the building's id: did you mean `{g}` ({name})?");
    }
    // `6-1` where building 6 exists: say which entrances it has instead of guessing another
    // building's.
    if let Some((b, _)) = guess.as_deref().and_then(|g| g.split_once('-')) {
        if let Some(building) = site.buildings.iter().find(|x| x.id == b) {
            let name = &building.name;
            return if building.entrances.is_empty() {
                msg!(
                    "{name}在 site.yaml 里没有分单元（门洞）：整栋楼写 `{b}`",
                    "{name} has no entrances in site.yaml: write `{b}` for the whole building"
                )
            } else {
                let list = building.entrances.iter().map(|e| format!("`{b}-{e}`")).collect::<Vec<_>>().join("、");
                let list_en = building.entrances.iter().map(|e| format!("`{b}-{e}`")).collect::<Vec<_>>().join(", ");
                msg!("{name}的单元有 {list}；整栋楼写 `{b}`", "the entrances of {name} are {list_en}; write `{b}` for the whole building")
            };
        }
    }
    let all = known.join("、");
    let all_en = known.join(", ");
    let listed = msg!("site.yaml 里的楼栋和门洞有：{all}", "the buildings and entrances in site.yaml are: {all_en}");
    // A near spelling, but only of a place that exists and in the building written, if any.
    let building = id.split('-').next().unwrap_or(id);
    let candidates: Vec<&str> = known
        .iter()
        .map(String::as_str)
        .filter(|k| !id.contains('-') || site.place(building).is_none() || k.split('-').next() == Some(building))
        .collect();
    match did_you_mean(id, candidates) {
        Some(k) if !id.contains('-') || k.contains('-') == id.contains('-') => msg!("是不是想写 `{k}`？", "did you mean `{k}`?"),
        _ => listed,
    }
}

/// Revisions are dated on or after the item and explain themselves.
pub(crate) fn check_revisions(src: &Source, date: Date, revisions: &[Revision], errs: &mut Diagnostics) {
    // Where a revision is written: looked for only when there is something to point at.
    let at = |r: &Revision| {
        let (rev_line, _) = locate_key(&src.text, "revisions");
        locate(&src.text, &r.date.to_string(), rev_line.max(1))
    };
    for r in revisions {
        let d = r.date;
        if r.date < date {
            let (l, c) = at(r);
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
            let (l, c) = at(r);
            errs.push(
                Diagnostic::error(&src.rel, msg!("修订说明 `note` 不能为空", "a revision's `note` must not be empty"))
                    .at(&src.text, l, c)
                    .hint(msg!("用一句话说明改了什么，例如 更正恢复供水时间", "say in a sentence what changed")),
            );
        }
    }
}
