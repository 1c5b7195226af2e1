//! Every version kept (§5): a notice published, revised and published again keeps its first
//! version at `/n/<id>/v1/`, and the code printed on the first sheet answers at `/c/<code>/`,
//! saying that a newer version exists and which.

mod common;
use common::*;
use std::fs;
use std::path::Path;

fn publish(site: &Path, day: &str, out: &Path) {
    let o = gongshi(site, &["publish", "--as-of", day, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn code_of(html: &str) -> String {
    html.split("<code class=\"code\">").nth(1).unwrap().split('<').next().unwrap().to_string()
}

#[test]
fn a_revised_notice_keeps_its_first_version_and_both_codes_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    let out = tmp.path().join("public");
    publish(&site, "2026-11-01", &out);
    let first = code_of(&page(&out, "n/water-1/index.html"));
    assert!(!out.join("n/water-1/v1").exists(), "a current version has no page of its own");

    let notice = site.join("content/notices/water-1.md");
    let text = fs::read_to_string(&notice).unwrap();
    let revised = text
        .replace("停水一天。", "停水半天，下午2点恢复。")
        .replace("scope: [\"1\"]\n", "scope: [\"1\"]\nrevisions:\n  - {date: 2026-11-02, note: 更正停水时长}\n");
    fs::write(&notice, revised).unwrap();
    publish(&site, "2026-11-02", &out);
    let second = code_of(&page(&out, "n/water-1/index.html"));
    assert_ne!(first, second);

    // The first version, as it was, marked as replaced, with the change and its note.
    let v1 = page(&out, "n/water-1/v1/index.html");
    assert!(v1.contains("停水一天。"), "the first version's text");
    assert!(v1.contains("这是以前的版本") && v1.contains("后来改成了第 2 版") && v1.contains("更正停水时长"), "{v1}");
    assert!(
        v1.contains("class=\"removed\">− 停水一天。") && v1.contains("class=\"added\">+ 停水半天，下午2点恢复。"),
        "the change line by line"
    );
    assert!(v1.contains("href=\"../../../n/water-1/\""), "a link to the current version");
    assert!(v1.contains(&first));

    // The old sheet's code answers, and so does the new one; typed in small letters too.
    let c1 = page(&out, &format!("c/{first}/index.html"));
    assert!(c1.contains("已经有新版本") && c1.contains("href=\"../../n/water-1/v1/\"") && c1.contains(&second), "{c1}");
    let c1_lower = page(&out, &format!("c/{}/index.html", first.to_lowercase()));
    assert!(c1_lower.contains("已经有新版本"));
    let c2 = page(&out, &format!("c/{second}/index.html"));
    assert!(c2.contains("这是现在的版本") && !c2.contains("已经有新版本"), "{c2}");
    let all = page(&out, "c/index.html");
    assert!(all.contains(&first) && all.contains(&second));

    // The notice's page lists its versions; the manifest gives each with its hash and address.
    let html = page(&out, "n/water-1/index.html");
    assert!(html.contains("各个版本") && html.contains("href=\"../../n/water-1/v1/\""), "{html}");
    let manifest: serde_json::Value = serde_json::from_str(&page(&out, "data/manifest.json")).unwrap();
    let item = manifest["items"].as_array().unwrap().iter().find(|i| i["id"] == "water-1").unwrap();
    let versions = item["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["url"], "https://test.example.cn/n/water-1/v1/");
    assert_eq!(versions[0]["code"], first.as_str());
    assert_eq!(versions[1]["url"], "https://test.example.cn/n/water-1/");
    assert_eq!(versions[1]["note"], "更正停水时长");
    assert_eq!(item["sha256"], versions[1]["sha256"]);
    let kept = fs::read_to_string(site.join("content/history/notice/water-1/v1.md")).unwrap();
    assert_eq!(versions[0]["sha256"].as_str().unwrap().len(), 64);
    assert!(kept.contains("停水一天。"));
    assert!(!page(&out, "sitemap.xml").contains("/c/"), "code pages are lookups, not in the sitemap");
}
