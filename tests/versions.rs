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

fn run(site: &Path, args: &[&str]) -> (bool, String) {
    let o = gongshi(site, args);
    (o.status.success(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

#[test]
fn an_attachment_is_in_its_items_code_and_every_version_keeps_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    fs::remove_file(site.join("content/publish.lock")).unwrap();
    let plan = site.join("content/static/docs/plan.pdf");
    fs::create_dir_all(plan.parent().unwrap()).unwrap();
    fs::write(&plan, b"%PDF-1.4 first drawing").unwrap();
    let notice = site.join("content/notices/water-1.md");
    let text = fs::read_to_string(&notice).unwrap().replace("停水一天。", "停水一天。[停水范围图](static/docs/plan.pdf)");
    fs::write(&notice, &text).unwrap();
    let out = tmp.path().join("public");
    publish(&site, "2026-11-01", &out);
    let first = code_of(&page(&out, "n/water-1/index.html"));
    let old_sha = gongshi::log::sha256_hex(b"%PDF-1.4 first drawing");
    assert!(page(&out, "n/water-1/index.html").contains(&old_sha), "the page lists the attachment with its hash");

    // Another drawing in the same file name: the notice's code changes, so publishing it
    // unannounced is refused, as an edit of the text would be.
    fs::write(&plan, b"%PDF-1.4 second drawing").unwrap();
    let (ok, said) = run(&site, &["build", "--as-of", "2026-11-02", "--output", tmp.path().join("x").to_str().unwrap()]);
    assert!(!ok && said.contains("内容变了，但修订记录没有增加") && said.contains(&first), "{said}");

    fs::write(&notice, text.replace("scope: [\"1\"]\n", "scope: [\"1\"]\nrevisions:\n  - {date: 2026-11-02, note: 换了范围图}\n")).unwrap();
    publish(&site, "2026-11-02", &out);
    let new_sha = gongshi::log::sha256_hex(b"%PDF-1.4 second drawing");
    let current = page(&out, "n/water-1/index.html");
    assert!(current.contains(&new_sha) && !current.contains(&old_sha));
    // The first version shows the drawing it was published with, kept at /files/.
    let v1 = page(&out, "n/water-1/v1/index.html");
    assert!(v1.contains(&format!("href=\"../../../files/{old_sha}.pdf\"")) && v1.contains(&old_sha), "{v1}");
    assert_eq!(fs::read(out.join(format!("files/{old_sha}.pdf"))).unwrap(), b"%PDF-1.4 first drawing");
    assert_eq!(fs::read(site.join(format!("content/history/files/{old_sha}.pdf"))).unwrap(), b"%PDF-1.4 first drawing");
    // The manifest and the log give the current attachment with its own hash.
    let manifest: serde_json::Value = serde_json::from_str(&page(&out, "data/manifest.json")).unwrap();
    let item = manifest["items"].as_array().unwrap().iter().find(|i| i["id"] == "water-1").unwrap();
    assert_eq!(item["attachments"][0]["path"], "static/docs/plan.pdf");
    assert_eq!(item["attachments"][0]["sha256"], new_sha.as_str());
    assert_eq!(item["attachments"][0]["bytes"], 23);
    assert!(page(&out, "data/log.json").contains(&old_sha));

    // verify names a replaced current attachment and a replaced kept copy.
    let (ok, said) = run(&site, &["verify", out.to_str().unwrap()]);
    assert!(ok, "{said}");
    fs::write(out.join("static/docs/plan.pdf"), b"%PDF-1.4 forged").unwrap();
    let (ok, said) = run(&site, &["verify", out.to_str().unwrap()]);
    assert!(!ok && said.contains("static/docs/plan.pdf") && said.contains("文件被换过"), "{said}");
    fs::write(out.join("static/docs/plan.pdf"), b"%PDF-1.4 second drawing").unwrap();
    fs::write(out.join(format!("files/{old_sha}.pdf")), b"%PDF-1.4 forged").unwrap();
    let (ok, said) = run(&site, &["verify", out.to_str().unwrap()]);
    assert!(!ok && said.contains(&format!("files/{old_sha}.pdf")) && said.contains("第 1 版"), "{said}");

    // And the build refuses a kept copy changed in content/history/.
    fs::write(site.join(format!("content/history/files/{old_sha}.pdf")), b"%PDF-1.4 forged").unwrap();
    let (ok, said) = run(&site, &["build", "--as-of", "2026-11-02", "--output", tmp.path().join("y").to_str().unwrap()]);
    assert!(!ok && said.contains("的附件 `static/docs/plan.pdf` 的存档被改过"), "{said}");
}

/// The code printed on a site's entrance poster (`/print/b/<place>/`).
fn poster_code(out: &Path, place: &str) -> String {
    let html = page(out, &format!("print/b/{place}/index.html"));
    let before = html.split("</strong>").find(|s| s.ends_with(|c: char| c.is_ascii_alphanumeric()) && s.len() > 9).unwrap();
    let code = before.rsplit("<strong>").next().unwrap().to_string();
    assert_eq!(code.len(), 9, "{code}");
    code
}

#[test]
fn a_posters_code_is_logged_when_what_it_lists_changes_and_answers_after() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    fs::remove_file(site.join("content/publish.lock")).unwrap();
    let out = tmp.path().join("public");
    publish(&site, "2026-11-01", &out);
    let (empty, other) = (poster_code(&out, "1"), poster_code(&out, "2"));
    assert!(page(&out, &format!("c/{empty}/index.html")).contains("当时没有正在公示的内容"));

    fs::write(
        site.join("content/notices/lift-1.md"),
        "---\ntitle: 1号楼电梯保养\ndate: 2026-11-03\nissuer: property\nscope: [\"1\"]\nposting: {from: 2026-11-03, to: 2026-11-10}\n---\n电梯停用半天。\n",
    )
    .unwrap();
    publish(&site, "2026-11-03", &out);
    let listing = poster_code(&out, "1");
    let lift = code_of(&page(&out, "n/lift-1/index.html"));
    assert_ne!(listing, empty, "the poster lists the new notice");
    assert_eq!(poster_code(&out, "2"), other, "building 2's poster did not change");
    let c = page(&out, &format!("c/{listing}/index.html"));
    assert!(c.contains("1号楼") && c.contains("这是现在贴出的海报") && c.contains(&lift) && c.contains("1号楼电梯保养"), "{c}");

    // Nothing edited, but the notice's posting ended: the poster changed, and so the log
    // records it; the photographed poster's code still answers, pointing to today's.
    publish(&site, "2026-11-12", &out);
    let lock = fs::read_to_string(site.join("content/publish.lock")).unwrap();
    let last = lock.lines().last().unwrap();
    assert!(last.contains("\"items\":[]") && last.contains(&format!("\"code\":\"{empty}\"")), "{last}");
    assert!(!last.contains("\"place\":\"2\""), "only posters that changed are recorded: {last}");
    assert_eq!(poster_code(&out, "1"), empty);
    let c = page(&out, &format!("c/{listing}/index.html"));
    assert!(c.contains("已不是最新的") && c.contains(&format!("c/{empty}/")) && c.contains(&lift), "{c}");
    assert!(page(&out, "c/index.html").contains(&listing));
    let (ok, said) = run(&site, &["verify", out.to_str().unwrap()]);
    assert!(ok, "{said}");
    fs::remove_dir_all(out.join(format!("c/{listing}"))).unwrap();
    let (ok, said) = run(&site, &["verify", out.to_str().unwrap()]);
    assert!(!ok && said.contains(&format!("楼道公示栏 1 的校验码 {listing} 在 /c/ 下查不到")), "{said}");
    // Publishing again with nothing changed records nothing.
    publish(&site, "2026-11-13", &out);
    assert_eq!(fs::read_to_string(site.join("content/publish.lock")).unwrap(), lock);
}
