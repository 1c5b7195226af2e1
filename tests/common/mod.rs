//! Helpers shared by the integration tests: run the real binary, copy fixture sites, and
//! snapshot an output folder byte for byte.
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository (holding the sample `content/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// "Today" for every test build: the sample content is dated around it.
pub const AS_OF: &str = "2026-11-20";

/// Runs `gongshi ARGS` in `dir`.
pub fn gongshi(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongshi")).current_dir(dir).args(args).output().expect("run gongshi")
}

/// Builds the sample community into `out`, asserting success.
pub fn build_sample(out: &Path) -> Output {
    let o = gongshi(&repo(), &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "sample build failed:\n{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// The sample community built into a fresh temporary folder: (the folder, its `public/`).
pub fn sample_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_sample(&out);
    (tmp, out)
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

/// Reads a file of the built site as text.
pub fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The notice ids linked from a page (`…n/<id>/`), in order.
pub fn linked_notices(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let href = part.split('"').next().unwrap_or_default();
        let rest = href.trim_start_matches("../").trim_start_matches("./");
        if let Some(id) = rest.strip_prefix("n/") {
            let id = id.trim_end_matches('/');
            if !id.is_empty() {
                out.push(id.to_string());
            }
        }
    }
    out
}

/// The installed Chromium. Browser tests run only where `build.rs` found it (and are shown as
/// ignored elsewhere), so here it is there.
pub fn chromium() -> &'static str {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
        .expect("build.rs found chromium, but it does not run")
}

pub fn headless(bin: &str, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--hide-scrollbars",
        "--window-size=390,844",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}
