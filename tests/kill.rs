//! A kill leaves the site whole (§6): `gongshi build` and `gongshi publish` killed with SIGKILL
//! at random moments across their run (up to half as long again as one run takes), on a site
//! big enough to take a while, and the output folder checked after each kill against the
//! complete old and new outputs. After each kill the same command run again must succeed by
//! itself (nothing to delete by hand) and leave the new site.
//!
//! `GONGSHI_KILL_TRIALS` sets the number of trials of build (default 30; publish gets a third
//! of them); `GONGSHI_KILL_NOTICES` the size of the site (default 1,500 notices).
#![cfg(unix)]

mod common;

use common::{copy_dir, repo, AS_OF};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Every file under `dir` (the output folder) with a hash of its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, u64> {
    use std::hash::{Hash as _, Hasher as _};
    common::snapshot(dir)
        .into_iter()
        .map(|(p, b)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            // The build's record: what it was made from (its first line) is part of the site;
            // the stamp of the sources' times is not (a trial copies the sources anew).
            if p == Path::new(".gongshi-build") {
                b.split(|c| *c == b'\n').next().hash(&mut h);
            } else {
                b.hash(&mut h);
            }
            (p, h.finish())
        })
        .collect()
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A tiny random number generator (xorshift), seeded from the clock; the seed is printed.
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        below.mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}

/// The sample community with `n` generated notices: the site folder.
fn big_site(dir: &Path, n: usize) -> PathBuf {
    let site = dir.join("site");
    copy_dir(&repo().join("content"), &site.join("content"));
    for i in 0..n {
        let scope = if i % 3 == 0 { String::new() } else { format!("\"{}\"", 1 + i % 12) };
        fs::write(
            site.join(format!("content/notices/gen-{i:05}.md")),
            format!(
                "---\ntitle: 第 {i} 号测试通知\ndate: 2026-10-{:02}\nissuer: property\ncategory: 通知\nscope: [{scope}]\nsummary: 第 {i} 号通知的摘要。\n---\n第 {i} 号通知的正文，说明事情的经过和要大家做的事。\n",
                1 + i % 28
            ),
        )
        .unwrap();
    }
    site
}

/// site.yaml with the community's name changed to `name`: a change every page shows (the
/// open data does not, so a build both writes new files and keeps unchanged ones).
fn rename_site(site: &Path, name: &str) {
    let path = site.join("content/site.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| l.starts_with("name:")).unwrap().to_string();
    fs::write(&path, text.replace(&line, &format!("name: {name}"))).unwrap();
}

fn run(site: &Path, args: &[&str]) -> std::process::Output {
    common::gongshi(site, args)
}

/// What is beside the output folder, other than the site's own files: nothing may be left
/// that a person would have to delete.
fn leftovers(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "content" && n != "public")
        .collect();
    names.sort();
    names
}

#[derive(Default, Debug)]
struct Tally {
    old: usize,
    new: usize,
    mixed: usize,
    stuck: usize,
}

/// Kills `args` at random moments across `span` while it turns `old` into `new` in `public/`
/// of `site`; `reset` puts the site in the old state first (and says which is which, as
/// `(old, new)`). After each kill, `public/` must be the old or the new tree (`check` looks at
/// the rest: the lock, for publish), and running `args` again must succeed by itself and leave
/// the new one.
fn trials<'a>(
    site: &Path,
    args: &[&str],
    span: Duration,
    trials: usize,
    moments: &mut Moments,
    reset: &mut dyn FnMut(usize) -> (&'a BTreeMap<PathBuf, u64>, &'a BTreeMap<PathBuf, u64>),
    check: &dyn Fn(&str),
) -> Tally {
    let public = site.join("public");
    let mut tally = Tally::default();
    for trial in 0..trials {
        let (old, new) = reset(trial);
        let wait = moments.next(span.mul_f64(1.5));
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .current_dir(site)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(wait);
        let _ = child.kill();
        let _ = child.wait();
        let seen = tree(&public);
        let state = if &seen == old {
            tally.old += 1;
            "old"
        } else if &seen == new {
            tally.new += 1;
            "new"
        } else {
            tally.mixed += 1;
            let only_new = seen.iter().filter(|(p, h)| new.get(*p) == Some(h) && old.get(*p) != Some(h)).count();
            let only_old = seen.iter().filter(|(p, h)| old.get(*p) == Some(h) && new.get(*p) != Some(h)).count();
            eprintln!("trial {trial}, killed after {wait:?}: MIXED, {only_new} files of the new site and {only_old} of the old");
            "mixed"
        };
        check(state);
        let next = run(site, args);
        let temporaries =
            walkdir::WalkDir::new(site).into_iter().flatten().filter(|e| e.file_name().to_string_lossy().contains(".gongshi-tmp")).count();
        if !next.status.success() || &tree(&public) != new || !leftovers(site).is_empty() || temporaries > 0 {
            tally.stuck += 1;
            eprintln!(
                "trial {trial}, killed after {wait:?} ({state}): running it again did not put it right: {}\nleft: {:?}, {temporaries} temporary files",
                String::from_utf8_lossy(&next.stderr),
                leftovers(site)
            );
        }
    }
    tally
}

#[test]
fn a_build_or_a_publish_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let n = env_or("GONGSHI_KILL_NOTICES", 1500);
    let runs = env_or("GONGSHI_KILL_TRIALS", 30);
    let tmp = tempfile::tempdir().unwrap();
    let site = big_site(tmp.path(), n);
    let public = site.join("public");
    let build = ["build", "--as-of", AS_OF];
    let built = || {
        let out = run(&site, &build);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let (name_a, name_b) = ("湖畔花园", "湖畔花园（改名）");
    rename_site(&site, name_a);
    built();
    let tree_a = tree(&public);
    rename_site(&site, name_b);
    let started = Instant::now();
    built();
    let span = started.elapsed();
    let tree_b = tree(&public);
    assert!(tree_a != tree_b);
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("{n} notices ({} files); a build of the change takes {span:?}; seed {seed}", tree_b.len());
    let mut moments = Moments(seed);
    // Each trial turns the site the other way: public/ holds what the last one left.
    let mut reset = |trial: usize| {
        if trial % 2 == 0 {
            rename_site(&site, name_a);
            (&tree_b, &tree_a)
        } else {
            rename_site(&site, name_b);
            (&tree_a, &tree_b)
        }
    };
    let build_tally = trials(&site, &build, span, runs, &mut moments, &mut reset, &|_| {});
    eprintln!("build killed: {build_tally:?}");

    // publish: a new notice, recorded in content/publish.lock and content/history/ and shown
    // by the site. Before: the sources with it, the old lock and history, the site as built.
    fs::write(
        site.join("content/notices/kill-test.md"),
        "---\ntitle: 新加的通知\ndate: 2026-11-19\nissuer: property\ncategory: 通知\nsummary: 一条新通知。\n---\n正文。\n",
    )
    .unwrap();
    built();
    let before = tree(&public);
    let history = site.join("content/history");
    let lock_path = site.join("content/publish.lock");
    let (old_lock, old_history) = (fs::read(&lock_path).unwrap(), tree(&history));
    let publish = ["publish", "--as-of", AS_OF];
    let started = Instant::now();
    let out = run(&site, &publish);
    let span = started.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = tree(&public);
    let (new_lock, new_history) = (fs::read(&lock_path).unwrap(), tree(&history));
    assert_ne!(old_lock, new_lock);
    assert!(before != after);
    let mut reset = |_| {
        // Unpublished again: the old lock, the history without what the publication added, and
        // the site built from them.
        fs::write(&lock_path, &old_lock).unwrap();
        for added in new_history.keys().filter(|p| !old_history.contains_key(*p)) {
            fs::remove_file(history.join(added)).unwrap();
        }
        // (A published site refuses an older lock: this one is made anew.)
        fs::remove_dir_all(&public).unwrap();
        built();
        assert!(tree(&public) == before, "unpublished again, the site is as built before");
        (&before, &after)
    };
    let check = |state: &str| {
        let lock = fs::read(&lock_path).unwrap();
        assert!(lock == old_lock || lock == new_lock, "the lock is neither the old one nor the new one");
        assert!(!(state == "new" && lock == old_lock), "the site shows a publication its lock does not record");
        if lock == new_lock {
            let kept = tree(&history);
            let missing = new_history.iter().filter(|(p, h)| kept.get(*p) != Some(h)).count();
            assert_eq!(missing, 0, "the lock records versions that are not all kept");
        }
    };
    let publish_tally = trials(&site, &publish, span, runs.div_ceil(3), &mut moments, &mut reset, &check);
    eprintln!("publish killed: {publish_tally:?}");
    for (what, t) in [("build", &build_tally), ("publish", &publish_tally)] {
        assert_eq!((t.mixed, t.stuck), (0, 0), "{what}: {t:?}");
    }
}
