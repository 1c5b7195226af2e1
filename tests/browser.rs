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
    let probe = "<script>var d=document.documentElement;document.body.setAttribute('data-probe',\
        d.scrollWidth+' '+d.clientWidth+' '+parseFloat(getComputedStyle(document.body).fontSize));</script></body>";
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
    ] {
        let (scroll, client, font) = measure(bin, &out, rel);
        assert!(scroll <= client, "{rel}: content is {scroll}px wide in a {client}px window");
        assert!(client >= 370, "{rel}: window not at phone width? {client}");
        assert!(font >= 16.0, "{rel}: body text is {font}px");
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
