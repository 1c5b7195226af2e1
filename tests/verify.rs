//! `gongshi verify` (§5), tested by tampering with each thing it checks: a page's code, an
//! earlier version's page, a log entry, a data file, and a log shortened or rewritten between
//! an older copy and a newer one. Each must be named; the untouched site must pass.

mod common;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};

/// A small site published twice (a notice revised in between): the copy after the first
/// publication and the one after the second.
fn published_twice() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/donation-and-minutes"), &site);
    let old = tmp.path().join("old");
    let o = gongshi(&site, &["publish", "--as-of", "2026-11-16", "--output", old.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let notice = site.join("content/notices/meeting-11.md");
    let text = fs::read_to_string(&notice).unwrap();
    let revised = text.replace("业委会定于11月14日开会。", "业委会定于11月14日晚7点开会。").replace(
        "posting: {from: 2026-11-06, to: 2026-11-14}\n",
        "posting: {from: 2026-11-06, to: 2026-11-14}\nrevisions:\n  - {date: 2026-11-17, note: 补充开会时间}\n",
    );
    fs::write(&notice, revised).unwrap();
    let new = tmp.path().join("new");
    copy_dir(&old, &new);
    let o = gongshi(&site, &["publish", "--as-of", "2026-11-17", "--output", new.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(new.join("n/meeting-11/v1/index.html").is_file());
    (tmp, old, new)
}

fn verify(dir: &Path, against: Option<&Path>) -> (bool, String) {
    let mut args = vec!["verify", dir.to_str().unwrap()];
    if let Some(a) = against {
        args.extend(["--against", a.to_str().unwrap()]);
    }
    let o = gongshi(dir, &args);
    (o.status.success(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

/// A copy of `dir` in a new folder, to tamper with.
fn copy_of(dir: &Path, name: &str) -> PathBuf {
    let to = dir.parent().unwrap().join(name);
    copy_dir(dir, &to);
    to
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks `{from}`", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn code_of(html: &str) -> String {
    html.split("<code class=\"code\">").nth(1).unwrap().split('<').next().unwrap().to_string()
}

#[test]
fn an_untouched_site_passes_and_continues_its_older_copy() {
    let (_tmp, old, new) = published_twice();
    let (ok, out) = verify(&new, Some(&old));
    assert!(ok, "{out}");
    assert!(out.contains("核对通过：公示记录 2 次发布的哈希链完整"), "{out}");
    assert!(verify(&old, None).0);
}

#[test]
fn a_page_showing_another_code_is_named() {
    let (_tmp, _old, new) = published_twice();
    let t = copy_of(&new, "t");
    let page = t.join("n/meeting-11/index.html");
    let code = code_of(&fs::read_to_string(&page).unwrap());
    edit(&page, &format!("<code class=\"code\">{code}</code>"), "<code class=\"code\">AAAA-AAAA</code>");
    let (ok, out) = verify(&t, None);
    assert!(!ok);
    assert!(
        out.contains(&format!("n/meeting-11/index.html：`meeting-11` 第 2 版的页面显示校验码 AAAA-AAAA，公示记录里是 {code}")),
        "{out}"
    );
}

#[test]
fn an_earlier_version_rewritten_or_removed_is_named() {
    let (_tmp, _old, new) = published_twice();
    let t = copy_of(&new, "t");
    let v1 = t.join("n/meeting-11/v1/index.html");
    let code = code_of(&fs::read_to_string(&v1).unwrap());
    edit(&v1, &format!("<code class=\"code\">{code}</code>"), "<code class=\"code\">BBBB-BBBB</code>");
    let (ok, out) = verify(&t, None);
    assert!(!ok && out.contains("`meeting-11` 第 1 版的页面显示校验码 BBBB-BBBB"), "{out}");
    fs::remove_dir_all(t.join("n/meeting-11/v1")).unwrap();
    fs::remove_dir_all(t.join(format!("c/{code}"))).unwrap();
    let (_, out) = verify(&t, None);
    assert!(out.contains("公示记录里有 `meeting-11` 第 1 版，网站里却没有它的页面"), "{out}");
    assert!(out.contains(&format!("校验码 {code} 在 /c/ 下查不到")), "{out}");
}

#[test]
fn a_log_entry_changed_breaks_the_chain() {
    let (_tmp, _old, new) = published_twice();
    let t = copy_of(&new, "t");
    edit(&t.join("data/log.json"), "业委会11月例会通知", "业委会12月例会通知");
    let (ok, out) = verify(&t, None);
    assert!(!ok && out.contains("data/log.json") && out.contains("哈希链断了"), "{out}");
}

#[test]
fn a_data_file_changed_is_named() {
    let (_tmp, _old, new) = published_twice();
    let t = copy_of(&new, "t");
    edit(&t.join("data/donations/garden.csv"), "10000.00", "1000.00");
    let (ok, out) = verify(&t, None);
    assert!(!ok);
    assert!(out.contains("data/donations/garden.csv：数据文件和 datapackage.json 里记的大小或哈希对不上"), "{out}");
}

#[test]
fn a_log_shortened_or_rewritten_since_the_older_copy_is_named() {
    let (_tmp, old, new) = published_twice();
    // The newer site passed off as the older one: the old copy has more than it.
    let (ok, out) = verify(&old, Some(&new));
    assert!(!ok && out.contains("公示记录变短了：旧副本有 2 次发布，现在只有 1 次"), "{out}");
    // A rewritten first publication with a consistent chain after it: the committee rebuilt
    // the whole log. It holds on its own, but not against the copy a resident kept.
    let site = new.parent().unwrap().join("site");
    let lock = fs::read_to_string(site.join("content/publish.lock")).unwrap();
    let mut log = gongshi::log::Log::parse(Path::new("content/publish.lock"), &lock).unwrap();
    log.entries[0].date = gongshi::date::Date::ymd(2026, 11, 15);
    log.entries[1].prev = log.entries[0].hash();
    let forged = log.to_json();
    let t = copy_of(&new, "t");
    fs::write(t.join("data/log.json"), forged).unwrap();
    let (ok, out) = verify(&t, Some(&old));
    assert!(!ok);
    assert!(!out.contains("哈希链断了"), "the forged chain is consistent in itself: {out}");
    assert!(out.contains("第 1 次发布和旧副本里的不一样：公示记录被改写过"), "{out}");
}
