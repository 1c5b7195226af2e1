//! `serve` re-renders only what an edit of notices affects — and the result is byte for byte
//! what a full build of the same sources makes.

mod common;

use common::{copy_dir, repo, snapshot, AS_OF};
use gongshi::{build_in, BuildOptions, Session};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn opts(root: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        as_of: Some(gongshi::date::Date::parse(AS_OF).unwrap()),
        preview: true,
        ..BuildOptions::default()
    }
}

/// The files that show notice `id` when it concerns `places` (entrance page, poster, bundle
/// each), plus the listings every notice is on.
fn expected(id: &str, places: &[&str], with_notice: bool) -> BTreeSet<String> {
    let mut s: BTreeSet<String> =
        ["index.html", "n/index.html", "print/index.html", "feed.xml", "sitemap.xml", "data/manifest.json"].map(String::from).into();
    if with_notice {
        s.insert(format!("n/{id}/index.html"));
    }
    for p in places {
        s.extend([format!("b/{p}/index.html"), format!("print/b/{p}/index.html"), format!("print/all/{p}/index.html")]);
    }
    s
}

/// Asserts that `out` holds exactly what a full build of `root` into a new folder makes.
fn same_as_full_build(root: &Path, out: &Path, step: &str) {
    let fresh = root.join("fresh-public");
    let _ = fs::remove_dir_all(&fresh);
    gongshi::build(&opts(root, &fresh)).unwrap();
    let (a, b) = (snapshot(out), snapshot(&fresh));
    let a_keys: BTreeSet<_> = a.keys().collect();
    let b_keys: BTreeSet<_> = b.keys().collect();
    assert_eq!(a_keys, b_keys, "{step}: the same files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{step}: {} differs from a full build", path.display());
    }
    fs::remove_dir_all(&fresh).unwrap();
}

fn rendered(r: &gongshi::Report) -> BTreeSet<String> {
    r.rendered.iter().cloned().collect()
}

#[test]
fn a_notice_edit_renders_only_what_shows_it_and_matches_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&repo().join("content"), &root.join("content"));
    let out = root.join("public");
    let o = opts(root, &out);
    let mut session = Session::default();

    let first = build_in(&o, &mut session).unwrap();
    assert_eq!(first.rendered.len(), first.files, "the first build renders everything");
    let all = first.files;

    // A new notice for building 6 (no entrances): its own page, building 6's page,
    // poster and bundle, and the listings.
    let notice = root.join("content/notices/bike-shed-6.md");
    let text = |body: &str, scope: &str| {
        format!(
            "---\ntitle: 6号楼自行车棚整修\ndate: 2026-11-19\nissuer: property\nscope: [{scope}]\nposting: {{from: 2026-11-19, to: 2026-11-29}}\n---\n{body}\n"
        )
    };
    fs::write(&notice, text("车棚顶棚更换，施工期间请将车辆停放在6号楼东侧。", "\"6\"")).unwrap();
    let r = build_in(&o, &mut session).unwrap();
    assert_eq!(rendered(&r), expected("bike-shed-6", &["6"], true), "added");
    assert!(r.rendered.len() * 5 < all, "{} of {all} files rendered", r.rendered.len());
    same_as_full_build(root, &out, "added");

    // Its text edited: the same files.
    fs::write(&notice, text("车棚顶棚更换，工期三天。", "\"6\"")).unwrap();
    let r = build_in(&o, &mut session).unwrap();
    assert_eq!(rendered(&r), expected("bike-shed-6", &["6"], true), "edited");
    assert!(fs::read_to_string(out.join("n/bike-shed-6/index.html")).unwrap().contains("工期三天"));
    same_as_full_build(root, &out, "edited");

    // Moved to entrance 5-1: building 6 (where it was) and 5 and 5-1 (where it is now).
    fs::write(&notice, text("车棚顶棚更换，工期三天。", "\"5-1\"")).unwrap();
    let r = build_in(&o, &mut session).unwrap();
    assert_eq!(rendered(&r), expected("bike-shed-6", &["6", "5", "5-1"], true), "moved");
    same_as_full_build(root, &out, "moved");

    // Removed (it was never published: a preview records nothing): its files go.
    fs::remove_file(&notice).unwrap();
    let r = build_in(&o, &mut session).unwrap();
    assert_eq!(rendered(&r), expected("bike-shed-6", &["5", "5-1"], false), "removed");
    assert_eq!(r.removed, 1);
    assert!(!out.join("n/bike-shed-6").exists());
    same_as_full_build(root, &out, "removed");

    // A community-wide notice is on every entrance page.
    fs::write(&notice, text("全小区车棚检查。", "")).unwrap();
    let r = build_in(&o, &mut session).unwrap();
    assert!(r.rendered.contains(&"b/5-2/index.html".to_string()) && r.rendered.contains(&"b/16/index.html".to_string()));
    assert!(!r.rendered.iter().any(|p| p.starts_with("a/") || p.starts_with("v/") || p.starts_with("s/")));
    same_as_full_build(root, &out, "community-wide");

    // Anything else (here the contacts in site.yaml) renders everything again.
    let site = root.join("content/site.yaml");
    let yaml = fs::read_to_string(&site).unwrap().replace("021-5781 0000", "021-5781 0001");
    fs::write(&site, yaml).unwrap();
    let r = build_in(&o, &mut session).unwrap();
    assert_eq!(r.rendered.len(), r.files, "site.yaml changed: a full render");
    same_as_full_build(root, &out, "site.yaml");

    // Nothing changed: nothing rendered, nothing written.
    let r = build_in(&o, &mut session).unwrap();
    assert!(r.rendered.is_empty() && r.written == 0);
}
