//! The pages as residents see them: real headless Chromium at a phone's size.
//! Where Chromium, zbar-tools or poppler-utils is missing, `build.rs` leaves `browser_tools`
//! unset and these tests show as ignored with the reason; on CI, where `.ci/run` installs
//! them, they must run.

mod common;
use common::*;
use std::fs;
use std::path::Path;

/// Measures a page at 390×844: a probe script (added to a copy; the site itself has none)
/// writes the layout width and the body's font size into the DOM that Chromium dumps.
fn measure(bin: &str, out: &Path, rel: &str) -> (u32, u32, f32) {
    let html = page(out, rel);
    // The third figure is the smallest type of any text a reader can see on the page.
    let probe = "<script>var d=document.documentElement,m=99;for(const e of document.querySelectorAll('body *')){\
        if(!e.offsetParent&&getComputedStyle(e).position!=='fixed')continue;\
        if(![...e.childNodes].some(n=>n.nodeType===3&&n.textContent.trim()))continue;\
        m=Math.min(m,parseFloat(getComputedStyle(e).fontSize));}\
        document.body.setAttribute('data-probe',d.scrollWidth+' '+d.clientWidth+' '+m);</script></body>";
    let copy = out.join(rel).with_file_name("probe.html");
    fs::write(&copy, html.replace("</body>", probe)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let o = headless(bin, profile.path()).arg("--dump-dom").arg(format!("file://{}", copy.display())).output().unwrap();
    fs::remove_file(&copy).unwrap();
    let dom = String::from_utf8_lossy(&o.stdout);
    let probe = dom.split("data-probe=\"").nth(1).unwrap_or_else(|| panic!("no probe in DOM of {rel}: {dom}"));
    let v: Vec<f32> = probe.split('"').next().unwrap().split(' ').map(|x| x.parse().unwrap()).collect();
    (v[0] as u32, v[1] as u32, v[2])
}

/// On CI the browser and print tests must run, not be ignored: `.ci/run` installs their tools.
#[test]
#[allow(clippy::assertions_on_constants)] // the constant is what build.rs found on this machine
fn ci_runs_the_browser_tests() {
    if std::env::var_os("CI").is_some() {
        assert!(
            cfg!(browser_tools),
            "CI must install chromium, zbar-tools, poppler-utils and imagemagick (see .ci/run) for the browser tests"
        );
        assert!(cfg!(axe), "CI must install axe-core and puppeteer-core in tests/browser/ (npm ci, see .ci/run)");
    }
}

#[test]
#[cfg_attr(not(browser_tools), ignore = "needs chromium, zbar-tools, poppler-utils and imagemagick")]
fn entrance_and_notice_pages_fit_a_phone_without_sideways_scrolling() {
    let bin = chromium();
    let (_tmp, out) = sample_site();
    for rel in [
        "b/5-1/index.html",
        "b/3/index.html",
        "index.html",
        "n/parking-consultation/index.html",
        "n/index.html",
        "p/rules/index.html",
        "s/property-2026/index.html",
        "r/index.html",
        "v/renew-property-2026/index.html",
        "a/public-income/2026-Q3/index.html",
        "a/maintenance/index.html",
        "m/roof-3/index.html",
        "d/garden-2026/index.html",
    ] {
        let (scroll, client, font) = measure(bin, &out, rel);
        assert!(scroll <= client, "{rel}: content is {scroll}px wide in a {client}px window");
        assert!(client >= 370, "{rel}: window not at phone width? {client}");
        assert!((16.0..30.0).contains(&font), "{rel}: the smallest text a reader sees is {font}px");
    }
    // A screenshot to look at: target/screenshots/entrance-5-1.png.
    let shots = repo().join("target/screenshots");
    fs::create_dir_all(&shots).unwrap();
    let png = shots.join("entrance-5-1.png");
    let profile = tempfile::tempdir().unwrap();
    let o = headless(bin, profile.path())
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", out.join("b/5-1/index.html").display()))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(fs::metadata(&png).unwrap().len() > 10_000, "screenshot is empty");
}

/// One page of every kind, as a resident or an auditor opens it.
fn every_page_kind(out: &Path) -> Vec<String> {
    let code = fs::read_dir(out.join("c"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n != "index.html")
        .expect("a /c/ code");
    let mut pages: Vec<String> = [
        "",
        "b/5/",
        "b/5-1/",
        "n/water-cut-5/",
        "n/",
        "n/elevator-7-copy/",
        "p/about/",
        "p/property-contract/v1/",
        "a/",
        "a/maintenance/",
        "a/maintenance/2026-Q3/",
        "a/public-income/2026-10/",
        "s/property-2026/",
        "r/",
        "v/roof-3-repair/",
        "v/renew-property-2026/",
        "m/roof-3/",
        "d/garden-2026/",
        "k/committee-2026-11/",
        "c/",
        "gongkai/",
        "print/",
        "print/b/5/",
        "print/all/5/",
        "print/contacts/",
    ]
    .iter()
    .map(|p| format!("{p}index.html"))
    .collect();
    pages.push(format!("c/{code}/index.html"));
    pages.push("404.html".into());
    for p in &pages {
        assert!(out.join(p).is_file(), "the sample has no {p}");
    }
    pages
}

/// axe-core 4 in Chromium at 390 px finds nothing on any page kind, in Chinese and in English,
/// and in the dark colour scheme.
#[test]
#[cfg_attr(not(axe), ignore = "needs chromium and, in tests/browser/, axe-core and puppeteer-core (npm ci --prefix tests/browser)")]
fn axe_finds_no_violation_at_390_px_on_any_page_kind_in_chinese_english_or_dark() {
    let (_tmp, zh) = sample_site();
    // The same community in English: site.yaml's language is all that changes.
    let en_site = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &en_site.path().join("content"));
    let yaml = en_site.path().join("content/site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    assert!(text.contains("language: zh-CN"));
    fs::write(&yaml, text.replace("language: zh-CN", "language: en")).unwrap();
    let en = en_site.path().join("public");
    let o = gongshi(en_site.path(), &["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut found = Vec::new();
    let mut checked = 0;
    // Chinese and English in the light scheme, and Chinese as a phone set to dark shows it.
    for (out, scheme) in [(&zh, "light"), (&en, "light"), (&zh, "dark")] {
        let pages = every_page_kind(out);
        let o = std::process::Command::new("node")
            .arg(repo().join("tests/browser/axe.js"))
            .arg(out)
            .arg("390")
            .args(&pages)
            .env("CHROMIUM", chromium())
            .env("COLOR_SCHEME", scheme)
            .output()
            .unwrap();
        assert!(o.status.success(), "axe.js failed: {}", String::from_utf8_lossy(&o.stderr));
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let r: serde_json::Value = serde_json::from_str(line).unwrap();
            checked += 1;
            for v in r["violations"].as_array().unwrap() {
                found.push(format!("{} ({scheme}) {}: {} ({}) {}", out.display(), r["page"], v["id"], v["impact"], v["nodes"]));
            }
        }
    }
    assert_eq!(checked, 81, "every page of both languages, and in the dark scheme, was checked");
    assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
}
