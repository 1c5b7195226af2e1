//! Nothing published changes silently, and previewing is not publishing: the whole life of a
//! notice on a copy of the sample community — drafted and previewed freely, published,
//! corrected without and then with a revision, deleted, retired — as a secretary would live it,
//! with `publish.lock` (the append-only log), `content/history/`, the pages and
//! `manifest.json` checked at every step.

mod common;
use common::*;
use std::fs;
use std::path::Path;

fn sample_copy(dir: &Path) {
    for sub in ["content", "themes"] {
        copy_dir(&repo().join(sub), &dir.join(sub));
    }
}

fn build_at(site: &Path, day: &str) -> std::process::Output {
    gongshi(site, &["build", "--as-of", day])
}

fn publish_at(site: &Path, day: &str) -> std::process::Output {
    let o = gongshi(site, &["publish", "--as-of", day]);
    assert!(o.status.success() || o.status.code() == Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

fn manifest(site: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(site.join("public/data/manifest.json")).unwrap()).unwrap()
}

fn entry<'a>(m: &'a serde_json::Value, list: &str, id: &str) -> Option<&'a serde_json::Value> {
    m[list].as_array().unwrap().iter().find(|i| i["id"] == id)
}

#[test]
fn a_notice_from_first_publication_to_retirement() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    sample_copy(site);
    let lock_path = site.join("content/publish.lock");
    let lock_at_start = fs::read(&lock_path).unwrap();

    // The sample builds without touching its lock: everything in it is already recorded.
    assert!(build_at(site, AS_OF).status.success());
    assert_eq!(fs::read(&lock_path).unwrap(), lock_at_start);
    let m = manifest(site);
    let water = entry(&m, "items", "water-cut-5").unwrap();
    assert_eq!(water["kind"], "notice");
    assert_eq!(water["url"], "https://hupan.example.cn/n/water-cut-5/");
    assert_eq!(water["first_published"], "2026-11-20");
    let code = water["code"].as_str().unwrap().to_string();
    assert!(page(&site.join("public"), "n/water-cut-5/index.html").contains(&code), "the page shows the code of the manifest");
    for kind in ["notice", "account", "standards", "requests", "vote", "page"] {
        assert!(m["items"].as_array().unwrap().iter().any(|i| i["kind"] == kind), "manifest lists {kind} items");
    }

    // A new notice: previewed, fixed and previewed again as often as needed — no revision is
    // asked for and nothing is recorded, since nothing was published.
    let new = site.join("content/notices/lift-maintenance-3.md");
    let text = |day: &str, extra: &str| {
        format!("---\ntitle: 3号楼电梯保养\ndate: 2026-11-21\nissuer: property\nscope: [\"3\"]\n{extra}---\n11月{day}日上午电梯保养。\n")
    };
    fs::write(&new, text("24", "")).unwrap();
    assert!(build_at(site, "2026-11-21").status.success());
    fs::write(&new, text("25", "")).unwrap();
    assert!(build_at(site, "2026-11-21").status.success(), "an unpublished notice may change freely");
    assert!(gongshi(site, &["check", "--as-of", "2026-11-21"]).status.success());
    assert_eq!(fs::read(&lock_path).unwrap(), lock_at_start, "previewing is not publishing");
    assert!(!site.join("content/history/notice/lift-maintenance-3").exists());

    // Published on purpose: one more line in the log, chained to the one before, and its
    // source kept as version 1.
    let o = publish_at(site, "2026-11-21");
    assert!(o.status.success());
    let seq = std::str::from_utf8(&lock_at_start).unwrap().lines().filter(|l| l.starts_with('{')).count() + 1;
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("公示记录第 {seq} 号")), "{}", String::from_utf8_lossy(&o.stdout));
    let lock = fs::read_to_string(&lock_path).unwrap();
    assert!(lock.starts_with(std::str::from_utf8(&lock_at_start).unwrap()), "the log only grows");
    let last: serde_json::Value = serde_json::from_str(lock.lines().last().unwrap()).unwrap();
    assert_eq!(last["seq"], seq);
    assert_eq!(last["items"][0]["id"], "lift-maintenance-3");
    assert_eq!(last["items"][0]["action"], "added");
    assert_eq!(fs::read_to_string(site.join("content/history/notice/lift-maintenance-3/v1.md")).unwrap(), text("25", ""));
    let online: serde_json::Value = serde_json::from_str(&fs::read_to_string(site.join("public/data/log.json")).unwrap()).unwrap();
    assert_eq!(online["head"]["seq"], seq);
    assert_eq!(entry(&manifest(site), "items", "lift-maintenance-3").unwrap()["first_published"], "2026-11-21");
    // Publishing again with nothing new records nothing.
    assert!(publish_at(site, "2026-11-21").status.success());
    assert_eq!(fs::read_to_string(&lock_path).unwrap(), lock);

    // Changed without a revision: refused, and neither public/ nor the lock moves.
    let public_before = snapshot(&site.join("public"));
    let lock_before = fs::read(&lock_path).unwrap();
    fs::write(&new, text("26", "")).unwrap();
    let o = build_at(site, "2026-11-22");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("已公示的公告 `lift-maintenance-3`（2026-11-21 首次公示）内容变了，但修订记录没有增加"), "{err}");
    assert!(
        err.contains("在这个文件里写明改了什么")
            && err.contains("revisions:\n")
            && err.contains("  - {date: 2026-11-22, note: 更正停水时间}"),
        "{err}"
    );
    assert_eq!(snapshot(&site.join("public")), public_before);
    assert_eq!(fs::read(&lock_path).unwrap(), lock_before);
    // `check` says the same and writes nothing either.
    assert_eq!(gongshi(site, &["check", "--as-of", "2026-11-22"]).status.code(), Some(1));

    // With a revision it goes through; the first-published date stays, the page shows the history.
    fs::write(&new, text("26", "revisions:\n  - {date: 2026-11-22, note: 保养改到26日}\n")).unwrap();
    assert!(build_at(site, "2026-11-22").status.success());
    assert!(publish_at(site, "2026-11-22").status.success());
    assert!(site.join("content/history/notice/lift-maintenance-3/v2.md").is_file());
    let m = manifest(site);
    let lift = entry(&m, "items", "lift-maintenance-3").unwrap();
    assert_eq!(lift["first_published"], "2026-11-21");
    assert_eq!(lift["revisions"], 1);
    assert!(page(&site.join("public"), "n/lift-maintenance-3/index.html").contains("保养改到26日"));

    // Deleted: refused with the way out in the message.
    fs::remove_file(&new).unwrap();
    let o = build_at(site, "2026-11-23");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("gongshi retire n/lift-maintenance-3 --note"), "{err}");
    // Retired: the build passes, and the old address says when and why.
    let r = gongshi(site, &["retire", "n/lift-maintenance-3", "--note", "保养取消", "--as-of", "2026-11-23"]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(build_at(site, "2026-11-23").status.success());
    let retired: serde_json::Value = serde_json::from_str(fs::read_to_string(&lock_path).unwrap().lines().last().unwrap()).unwrap();
    assert_eq!(retired["items"][0]["action"], "retired");
    let tomb = page(&site.join("public"), "n/lift-maintenance-3/index.html");
    assert!(tomb.contains("已撤下") && tomb.contains("保养取消") && tomb.contains("2026年11月21日"), "{tomb}");
    let m = manifest(site);
    assert!(entry(&m, "items", "lift-maintenance-3").is_none());
    assert_eq!(entry(&m, "retired", "lift-maintenance-3").unwrap()["retired"], "2026-11-23");
    assert!(!page(&site.join("public"), "n/index.html").contains("lift-maintenance-3"), "not in the archive");

    // Retiring needs a reason and a known item.
    assert_eq!(gongshi(site, &["retire", "n/no-such", "--note", "x"]).status.code(), Some(2));
    assert_eq!(gongshi(site, &["retire", "n/water-cut-5", "--note", " "]).status.code(), Some(2));
}

#[test]
fn a_published_notice_turned_back_into_a_draft_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    sample_copy(site);
    let path = site.join("content/notices/fire-drill.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("---\n", "---\ndraft: true\n", 1)).unwrap();
    let o = build_at(site, AS_OF);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已公示的公告 `fire-drill`（2026-11-20 首次公示）不见了"));
}

#[test]
fn a_lost_or_altered_log_stops_every_command_until_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    sample_copy(site);
    assert!(publish_at(site, AS_OF).status.success());
    let lock_path = site.join("content/publish.lock");
    let lock = fs::read(&lock_path).unwrap();
    let public = snapshot(&site.join("public"));

    // Lost: never silently taken as "nothing was published".
    fs::remove_file(&lock_path).unwrap();
    for cmd in ["build", "check", "publish"] {
        let o = gongshi(site, &[cmd, "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("公示记录 content/publish.lock 不见了") && err.contains("gongshi lock restore"), "{cmd}: {err}");
    }
    assert_eq!(snapshot(&site.join("public")), public, "public/ untouched");
    // Restored from the published site's data/log.json, byte for byte.
    let o = gongshi(site, &["lock", "restore"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read(&lock_path).unwrap(), lock);
    assert!(build_at(site, AS_OF).status.success());

    // Emptied (a truncated file, a header left by hand): never a fresh start.
    fs::write(&lock_path, "# 公示记录\n").unwrap();
    let o = build_at(site, AS_OF);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("公示记录被换掉或清空了"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(gongshi(site, &["lock", "restore"]).status.success());
    assert_eq!(fs::read(&lock_path).unwrap(), lock);
    // A published file saved again by Notepad (CRLF, BOM) is the same text: publishing again
    // records nothing and fails on nothing.
    let water = site.join("content/notices/water-cut-5.md");
    let crlf = format!("\u{feff}{}", fs::read_to_string(&water).unwrap().replace('\n', "\r\n"));
    fs::write(&water, crlf).unwrap();
    let o = publish_at(site, AS_OF);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read(&lock_path).unwrap(), lock);
    let _ = fs::remove_file(site.join("content/publish.lock.replaced"));

    // Edited by hand: a changed line is caught against the published log...
    let text = String::from_utf8(lock.clone()).unwrap();
    // (The last line: an earlier one would break the chain with the lines after it first.)
    let (head, last) = text.trim_end().rsplit_once('\n').unwrap();
    fs::write(&lock_path, format!("{head}\n{}\n", last.replacen("\"title\":\"", "\"title\":\"改", 1))).unwrap();
    let o = build_at(site, AS_OF);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("publish.lock 被改过"), "{}", String::from_utf8_lossy(&o.stderr));
    // ... and restore puts back what was published, keeping the altered file beside it.
    assert!(gongshi(site, &["lock", "restore"]).status.success());
    assert_eq!(fs::read(&lock_path).unwrap(), lock);
    assert!(site.join("content/publish.lock.replaced").is_file());

    // A version in content/history/ edited by hand: refused by every command.
    let v1 = site.join("content/history/notice/water-cut-5/v1.md");
    let original = fs::read_to_string(&v1).unwrap();
    fs::write(&v1, original.replace("9点", "10点")).unwrap();
    let o = gongshi(site, &["check", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("公告 `water-cut-5` 第 1 版的存档被改过"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_request_log_grows_without_revisions_but_a_changed_value_needs_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    sample_copy(site);
    let log = site.join("content/requests/2026-11.yaml");
    let published = fs::read_to_string(&log).unwrap();
    // An open request resolved and rated, and a new one received: an update.
    let grown = published
        .replace("summary: 草坪积水, responded: 2026-11-18 18:39}", "summary: 草坪积水, responded: 2026-11-18 18:39, resolved: 2026-11-19 10:00, rating: 4}")
        .replace(
            "revisions: []",
            "  - {id: R-2611-015, received: 2026-11-19 09:00, tier: routine, category: 保洁, scope: \"3\", summary: 楼道垃圾未清}\nrevisions: []",
        );
    assert_ne!(grown, published);
    fs::write(&log, &grown).unwrap();
    let o = build_at(site, "2026-11-20");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(publish_at(site, "2026-11-20").status.success());
    let lock = fs::read_to_string(site.join("content/publish.lock")).unwrap();
    let last: serde_json::Value = serde_json::from_str(lock.lines().last().unwrap()).unwrap();
    assert_eq!((last["items"][0]["action"].as_str(), last["items"][0]["version"].as_u64()), (Some("updated"), Some(2)), "{last}");
    assert!(site.join("content/history/requests/2026-11/v2.yaml").is_file());
    // A published value changed: a correction, which needs a revision entry.
    fs::write(&log, grown.replace("received: 2026-11-18 14:39", "received: 2026-11-18 15:39")).unwrap();
    let o = build_at(site, "2026-11-20");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("内容变了，但修订记录没有增加"), "{}", String::from_utf8_lossy(&o.stderr));
}
