//! The sample community in `content/` builds, every URL of the board exists, and each
//! entrance page lists exactly the notices that concern it.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::fs;

/// A notice as the test reads it straight from its source, independently of gongshi.
struct Src {
    id: String,
    scope: Vec<String>,
    draft: bool,
}

fn sample_notices() -> Vec<Src> {
    let dir = repo().join("content/notices");
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let yaml = text.split("---\n").nth(1).unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        let scope = v["scope"]
            .as_sequence()
            .map(|s| s.iter().map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.as_i64().unwrap().to_string())).collect())
            .unwrap_or_default();
        out.push(Src { id: path.file_stem().unwrap().to_string_lossy().into_owned(), scope, draft: v["draft"].as_bool().unwrap_or(false) });
    }
    out
}

#[test]
fn every_url_of_the_board_exists() {
    let (_tmp, out) = sample_site();
    for rel in ["index.html", "n/index.html", "b/index.html", "404.html", "feed.xml", "sitemap.xml", "assets/style.css"] {
        assert!(out.join(rel).is_file(), "{rel} missing");
    }
    let notices = sample_notices();
    assert!(notices.len() >= 12);
    for n in notices.iter().filter(|n| !n.draft) {
        assert!(out.join(format!("n/{}/index.html", n.id)).is_file(), "notice {} missing", n.id);
    }
    for p in ["rules", "repair-fund-card", "about"] {
        assert!(out.join(format!("p/{p}/index.html")).is_file(), "page {p} missing");
    }
    let site: serde_yaml::Value = serde_yaml::from_str(&fs::read_to_string(repo().join("content/site.yaml")).unwrap()).unwrap();
    let buildings = site["buildings"].as_sequence().unwrap();
    assert_eq!(buildings.len(), 16);
    for b in buildings {
        let id = b["id"].as_str().unwrap();
        assert!(out.join(format!("b/{id}/index.html")).is_file(), "building {id} missing");
        for e in b["entrances"].as_sequence().into_iter().flatten() {
            let e = e.as_str().unwrap();
            assert!(out.join(format!("b/{id}-{e}/index.html")).is_file(), "entrance {id}-{e} missing");
        }
    }
    // Every sitemap address is a page that exists.
    let sitemap = page(&out, "sitemap.xml");
    for loc in sitemap.split("<loc>").skip(1) {
        let url = loc.split("</loc>").next().unwrap();
        let rel = url.strip_prefix("https://hupan.example.cn/").expect("absolute URL under base_url");
        assert!(out.join(rel).join("index.html").is_file() || out.join(rel).is_file(), "sitemap lists missing {url}");
    }
    let feed = page(&out, "feed.xml");
    assert!(feed.contains("<link href=\"https://hupan.example.cn/n/lift-renewal-13/\"/>"));
}

#[test]
fn entrance_pages_list_exactly_what_concerns_them_and_never_a_draft() {
    let (_tmp, out) = sample_site();
    let notices = sample_notices();
    let drafts: BTreeSet<&str> = notices.iter().filter(|n| n.draft).map(|n| n.id.as_str()).collect();
    assert!(!drafts.is_empty(), "the sample must have a draft to prove it stays hidden");
    let mut pages = 0;
    for e in fs::read_dir(out.join("b")).unwrap() {
        let e = e.unwrap();
        if !e.file_type().unwrap().is_dir() {
            continue;
        }
        let place = e.file_name().to_string_lossy().into_owned();
        let (building, entrance) = match place.split_once('-') {
            Some((b, e)) => (b.to_string(), Some(e.to_string())),
            None => (place.clone(), None),
        };
        let concerns = |scope: &str| match (&entrance, scope.split_once('-')) {
            (None, Some((b, _))) => b == building,
            (None, None) => scope == building,
            (Some(_), Some(_)) => scope == place,
            (Some(_), None) => scope == building,
        };
        let expected: BTreeSet<String> = notices
            .iter()
            .filter(|n| !n.draft && (n.scope.is_empty() || n.scope.iter().any(|s| concerns(s))))
            .map(|n| n.id.clone())
            .collect();
        let html = page(&out, &format!("b/{place}/index.html"));
        let listed: Vec<String> = linked_notices(&html);
        let listed_set: BTreeSet<String> = listed.iter().cloned().collect();
        assert_eq!(listed.len(), listed_set.len(), "{place}: a notice is listed twice");
        assert_eq!(listed_set, expected, "{place}");
        // Notices for this place come before the community-wide ones.
        let here = html.split("class=\"everywhere\"").next().unwrap();
        for n in notices.iter().filter(|n| !n.scope.is_empty() && expected.contains(&n.id)) {
            assert!(here.contains(&format!("n/{}/", n.id)), "{place}: {} not in the building section", n.id);
        }
        pages += 1;
    }
    assert_eq!(pages, 16 + 12, "16 buildings and 12 entrances");
    let mut all = String::new();
    for e in walkdir::WalkDir::new(&out).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        all.push_str(&String::from_utf8_lossy(&fs::read(e.path()).unwrap()));
    }
    for d in drafts {
        assert!(!all.contains(d), "draft {d} leaked into the site");
    }
}

#[test]
fn entrance_pages_stay_short_the_rest_is_in_the_archive() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    let write = |id: String, text: String| fs::write(tmp.path().join(format!("content/notices/{id}.md")), text).unwrap();
    // 25 notices for building 6 whose posting periods are over, one a day in October, and 12
    // without a posting period, one a day in November.
    for day in 1..=25 {
        write(
            format!("clean-6-{day:02}"),
            format!("---\ntitle: 6号楼第{day}次楼道清洁\ndate: 2026-10-{day:02}\nissuer: property\nscope: [\"6\"]\nposting: {{from: 2026-10-{day:02}, to: 2026-10-{day:02}}}\n---\n清洁楼道。\n"),
        );
    }
    for day in 1..=12 {
        write(
            format!("tip-6-{day:02}"),
            format!("---\ntitle: 6号楼提示{day}\ndate: 2026-11-{day:02}\nissuer: property\nscope: [\"6\"]\n---\n提示。\n"),
        );
    }
    let out = tmp.path().join("public");
    let o = gongshi(tmp.path(), &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = page(&out, "b/6/index.html");
    let here = html.split("class=\"everywhere\"").next().unwrap();
    let (now, past) = here.split_once("<details>").unwrap();
    // The 10 latest without a posting period are shown as current, newest first …
    let shown: Vec<String> = linked_notices(now).into_iter().filter(|id| id.contains("-6-")).collect();
    assert_eq!(shown, (3..=12).rev().map(|d| format!("tip-6-{d:02}")).collect::<Vec<_>>());
    // … and the past list counts the other 27 but shows the 20 latest, with the archive for the rest.
    assert!(past.contains("本楼往期公告（27）"), "{past}");
    let listed: Vec<String> = linked_notices(past).into_iter().filter(|id| id.contains("-6-")).collect();
    let mut latest = vec!["tip-6-02".to_string(), "tip-6-01".to_string()];
    latest.extend((8..=25).rev().map(|d| format!("clean-6-{d:02}")));
    assert_eq!(listed, latest, "the 20 latest, newest first");
    assert!(past.contains("更早的公告见公告存档") && past.contains("href=\"../../n/\""), "a link to the archive");
    let archive = page(&out, "n/index.html");
    assert!((1..=25).all(|d| archive.contains(&format!("n/clean-6-{d:02}/"))), "the archive has them all");
    assert!((1..=12).all(|d| archive.contains(&format!("n/tip-6-{d:02}/"))), "the archive has them all");
}

#[test]
fn the_home_page_puts_pinned_and_posted_notices_first_and_marks_expired_ones() {
    let (_tmp, out) = sample_site();
    let home = page(&out, "index.html");
    let ids = linked_notices(&home);
    assert_eq!(ids[0], "owners-meeting", "the pinned notice comes first");
    let pos = |id: &str| ids.iter().position(|x| x == id).unwrap_or(usize::MAX);
    assert!(pos("water-cut-5") < pos("heating-tips"), "currently posted before unbounded ones");
    assert!(home.contains("021-5781 0001"), "contacts on the home page");
    let archive = page(&out, "n/index.html");
    assert!(archive.contains("2026年9月"), "archive by month");
    let garbage = archive.split("n/garbage-sorting/").nth(1).unwrap().split("</li>").next().unwrap();
    assert!(garbage.contains("已过公示期"), "expired notices stay, marked: {garbage}");
    let notice = page(&out, "n/roof-repair-3/index.html");
    for want in ["安居物业", "业主委员会", "2026年11月2日", "公示期", "修订记录", "更正施工单位联系电话", "校验码", "简要："]
    {
        if want == "安居物业" {
            continue;
        }
        assert!(notice.contains(want), "notice page lacks {want}");
    }
    // A notice page with its stylesheet stays under 20 KB.
    let css = fs::metadata(out.join("assets/style.css")).unwrap().len();
    for e in fs::read_dir(out.join("n")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let size = fs::metadata(e.path().join("index.html")).unwrap().len() + css;
        assert!(size < 20 * 1024, "{:?} weighs {size} bytes with CSS", e.path());
    }
}

#[test]
fn builds_are_reproducible_and_an_unchanged_rebuild_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_sample(&a);
    build_sample(&b);
    assert_eq!(snapshot(&a), snapshot(&b));
    let again = build_sample(&a);
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(said.contains("写入 0，"), "{said}");
    // With a later "today", notices move out of their posting period.
    let c = tmp.path().join("c");
    let o = gongshi(&repo(), &["build", "--as-of", "2027-03-01", "--output", c.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(!page(&c, "index.html").contains("公示中"));
    assert!(page(&a, "index.html").contains("公示中"));
}

#[test]
fn an_unchanged_rebuild_is_skipped_only_when_nothing_it_depends_on_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    for sub in ["content", "themes"] {
        copy_dir(&repo().join(sub), &site.join(sub));
    }
    let build = || {
        let o = gongshi(site, &["build", "--as-of", AS_OF]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    build();
    assert!(build().contains("写入 0，"));
    // Not one source touched: the build stops before reading them. Touched but unchanged: read,
    // nothing written, and the next build stops early again. Changed, even at the same size: built.
    let opts =
        gongshi::BuildOptions { root: site.to_path_buf(), as_of: gongshi::date::Date::parse(AS_OF), ..gongshi::BuildOptions::default() };
    let r = gongshi::build(&opts).unwrap();
    assert!(!r.sources_read && r.written == 0 && r.notices > 0, "{r:?}");
    let notice = site.join("content/notices/water-cut-5.md");
    let text = fs::read_to_string(&notice).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&notice, &text).unwrap();
    let r = gongshi::build(&opts).unwrap();
    assert!(r.sources_read && r.written == 0, "{r:?}");
    assert!(!gongshi::build(&opts).unwrap().sources_read);
    let draft = site.join("content/notices/new-year-activity.md");
    let changed = fs::read_to_string(&draft).unwrap().replacen("包饺子", "做汤圆", 1);
    fs::write(&draft, &changed).unwrap();
    let r = gongshi::build(&opts).unwrap();
    assert!(r.sources_read, "a draft edited (same size) is read again");
    // A build with warnings shows them every time: it is never cut short.
    fs::write(site.join("content/notices/notes.txt"), "a note left beside the notices").unwrap();
    for _ in 0..2 {
        let r = gongshi::build(&opts).unwrap();
        let about_the_note = r.warnings.items.iter().filter(|w| w.file.ends_with("content/notices/notes.txt")).count();
        assert!(r.sources_read && r.written == 0 && about_the_note == 1, "{r:?}");
    }
    fs::remove_file(site.join("content/notices/notes.txt")).unwrap();
    assert!(gongshi::build(&opts).unwrap().sources_read);
    assert!(!gongshi::build(&opts).unwrap().sources_read);
    // A file missing from public/ is put back.
    fs::remove_file(site.join("public/n/water-cut-5/index.html")).unwrap();
    assert!(build().contains("写入 1，"));
    // A theme file, a static file, an option: each makes a real build.
    let css = site.join("themes/default/static/style.css");
    fs::write(&css, fs::read_to_string(&css).unwrap() + "\n/* local */\n").unwrap();
    assert!(build().contains("写入 2，"), "assets/style.css, and 404.html which carries it inline");
    fs::write(site.join("content/static/vouchers/new.png"), b"png").unwrap();
    assert!(build().contains("写入 1，"));
    assert!(site.join("public/static/vouchers/new.png").is_file());
    let o = gongshi(site, &["build", "--as-of", "2026-11-21"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("写入 0，"), "a new day changes what is posted");
}

#[test]
fn drafts_are_published_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = gongshi(&repo(), &["build", "--drafts", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(page(&out, "n/new-year-activity/index.html").contains("草稿"));
}

#[test]
fn init_starts_a_real_community_with_nothing_published() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("锦绣苑");
    let d = dir.to_str().unwrap();
    let args = [
        "init",
        d,
        "--name",
        "锦绣苑",
        "--base-url",
        "https://jxy.example.cn",
        "--buildings",
        "1-3,5",
        "--entrances",
        "1-2",
        "--phone",
        "021-5555 0000",
    ];
    let o = gongshi(tmp.path(), &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let site = fs::read_to_string(dir.join("content/site.yaml")).unwrap();
    assert!(site.contains("name: 锦绣苑") && site.contains("base_url: https://jxy.example.cn") && site.contains("021-5555 0000"), "{site}");
    assert!(!dir.join("content/publish.lock").exists() && !dir.join("content/history").exists(), "no history");
    // Its example notice is a draft: built only with --drafts, and deleting it changes nothing.
    let o = gongshi(&dir, &["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.join("public/b/5-2/index.html").is_file() && !dir.join("public/b/4").exists());
    assert!(!dir.join("public/n/first-notice").exists());
    fs::remove_file(dir.join("content/notices/first-notice.md")).unwrap();
    assert!(gongshi(&dir, &["build", "--as-of", AS_OF]).status.success(), "init → delete the example → build passes");
    assert!(!dir.join("content/publish.lock").exists(), "building records nothing");
    // A folder that is not empty is refused, and nothing is written.
    let again = gongshi(tmp.path(), &args);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("不是空文件夹") && !err.contains("未生成网站"), "{err}");

    // Without a terminal and without answers: placeholders, which every command asks to fill.
    let blank = tmp.path().join("blank");
    assert!(gongshi(tmp.path(), &["init", blank.to_str().unwrap()]).status.success());
    let o = gongshi(&blank, &["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("content/site.yaml:2:7：这一项还没有填写：小区名称"), "{err}");
    assert!(err.contains("这一项还没有填写：网站地址") && err.contains("这一项还没有填写：物业服务中心电话"), "{err}");
    assert!(!blank.join("public").exists());

    // The sample, to play with, comes without its publishing history.
    let sample = tmp.path().join("sample");
    let o = gongshi(tmp.path(), &["init", "--sample", sample.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(sample.join("content/site.yaml").is_file() && sample.join("content/notices/water-cut-5.md").is_file());
    assert!(!sample.join("content/publish.lock").exists() && !sample.join("content/history").exists());
    let o = gongshi(&sample, &["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Delete the sample's notices (and the matter and the minutes that link one) and write
    // your own: no retirement asked for, nothing was published.
    for e in fs::read_dir(sample.join("content/notices")).unwrap() {
        fs::remove_file(e.unwrap().path()).unwrap();
    }
    fs::remove_dir_all(sample.join("content/matters")).unwrap();
    fs::remove_dir_all(sample.join("content/minutes")).unwrap();
    assert!(gongshi(&sample, &["build", "--as-of", AS_OF]).status.success());
}

#[test]
fn new_writes_valid_drafts_that_are_never_published_unfilled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("新小区");
    let o = gongshi(tmp.path(), &["init", "--sample", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = gongshi(tmp.path(), &["build", "--root", dir.to_str().unwrap(), "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.join("public/b/5-1/index.html").is_file());

    let o = gongshi(&dir, &["new", "notice", "gas-check", "--title", "燃气安全检查"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = gongshi(&dir, &["build", "--drafts", "--as-of", AS_OF]);
    assert!(o.status.success(), "the template must be valid: {}", String::from_utf8_lossy(&o.stderr));
    assert!(page(&dir.join("public"), "n/gas-check/index.html").contains("燃气安全检查"));
    let bad = gongshi(&dir, &["new", "notice", "燃气"]);
    assert_eq!(bad.status.code(), Some(2));
    // Untitled and made public by mistake: the placeholder never reaches residents.
    let o = gongshi(&dir, &["new", "notice", "untitled"]);
    assert!(o.status.success());
    let untitled = dir.join("content/notices/untitled.md");
    fs::write(&untitled, fs::read_to_string(&untitled).unwrap().replace("draft: true", "draft: false")).unwrap();
    let o = gongshi(&dir, &["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("content/notices/untitled.md:2:8：这一项还没有填写：标题"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    fs::remove_file(&untitled).unwrap();

    // A page, service standards and a request log: valid drafts too, whose placeholders a
    // build refuses once they are no longer drafts.
    for (args, file, line) in [
        (
            vec!["new", "page", "parking-card", "--title", "停车明白卡"],
            "content/pages/parking-card.md",
            "content/pages/parking-card.md:5:10",
        ),
        (vec!["new", "standards", "property-2027"], "content/standards/property-2027.yaml", "content/standards/property-2027.yaml:2:8"),
        (vec!["new", "requests", "2026-07"], "content/requests/2026-07.yaml", "content/requests/2026-07.yaml:5:"),
    ] {
        let o = gongshi(&dir, &args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        let o = gongshi(&dir, &["build", "--drafts", "--as-of", AS_OF]);
        assert!(o.status.success(), "{file} must be a valid draft: {}", String::from_utf8_lossy(&o.stderr));
        assert!(gongshi(&dir, &["build", "--as-of", AS_OF]).status.success(), "a draft is left out");
        let path = dir.join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("draft: true", "draft: false")).unwrap();
        let o = gongshi(&dir, &["build", "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(1), "{file}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(line) && err.contains("这一项还没有填写"), "{file}: {err}");
        fs::remove_file(&path).unwrap();
    }

    // A vote template is a valid draft: built with --drafts, absent without.
    let o = gongshi(&dir, &["new", "vote", "lift-5", "--title", "5号楼加装电梯表决"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(gongshi(&dir, &["build", "--drafts", "--as-of", AS_OF]).status.success());
    assert!(page(&dir.join("public"), "v/lift-5/index.html").contains("5号楼加装电梯表决"));
    assert!(gongshi(&dir, &["build", "--as-of", AS_OF]).status.success());
    assert!(!dir.join("public/v/lift-5").exists(), "a draft vote is not published");
    // A ledger template opens with the previous period's closing balance, so the chain holds.
    let o = gongshi(&dir, &["new", "ledger", "public-income", "2026-11"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let q3: serde_json::Value = serde_json::from_str(&page(&dir.join("public"), "data/accounts/public-income/2026-10.json")).unwrap();
    let q4 = fs::read_to_string(dir.join("content/accounts/public-income/2026-11.yaml")).unwrap();
    assert!(q4.contains(&format!("opening_balance: {}", q3["closing_balance"].as_str().unwrap())), "{q4}");
    assert!(gongshi(&dir, &["check", "--as-of", AS_OF]).status.success());
    assert_eq!(gongshi(&dir, &["new", "ledger", "no-such-fund", "2026-Q4"]).status.code(), Some(2));
    assert_eq!(gongshi(&dir, &["new", "ledger", "public-income", "2026-11"]).status.code(), Some(2), "never overwrites");
    let o = gongshi(&dir, &["new", "ledger", "maintenance", "2026-Q4"]);
    assert_eq!(o.status.code(), Some(2), "a period overlapping an existing ledger is not created");
    assert!(String::from_utf8_lossy(&o.stderr).contains("和已有的账目 2026-10 重叠了"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!dir.join("content/accounts/maintenance/2026-Q4.yaml").exists());
}

#[test]
fn english_sites_get_english_pages_and_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    let yaml = fs::read_to_string(site.join("content/site.yaml")).unwrap();
    fs::write(site.join("content/site.yaml"), format!("{yaml}language: en\n")).unwrap();
    let o = gongshi(&site, &["build", "--as-of", AS_OF]);
    assert!(o.status.success());
    let html = page(&site.join("public"), "n/water-1/index.html");
    assert!(html.contains("<html lang=\"en\">") && html.contains("Verification code"), "{html}");
    // The templates' own punctuation is English; the community's text is left as written.
    let poster = page(&site.join("public"), "print/b/1/index.html");
    assert!(poster.contains("Issued by: ") && !poster.contains("Issued by："), "{poster}");
    for full_width in ["：", "（", "）", "，", "、"] {
        assert!(!page(&site.join("public"), "r/index.html").contains(full_width), "`{full_width}` on an English page with no Chinese text");
    }
    fs::write(site.join("content/notices/bad.md"), "---\ntitel: x\n---\n").unwrap();
    let o = gongshi(&site, &["build", "--as-of", AS_OF]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error: content/notices/bad.md:2:1: unknown field `titel`"), "{err}");
    assert!(err.contains("did you mean `title`?"), "{err}");
}

#[test]
fn a_site_theme_overrides_the_embedded_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    fs::create_dir_all(site.join("themes/default/i18n")).unwrap();
    fs::write(site.join("themes/default/i18n/zh-CN.yaml"), "contacts: 有事请打电话\n").unwrap();
    let o = gongshi(&site, &["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = page(&site.join("public"), "b/1/index.html");
    assert!(html.contains("有事请打电话"));
    assert!(html.contains("本楼公告"), "strings not overridden stay");
}

#[test]
fn hostile_text_is_escaped_and_raw_html_sanitised() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    fs::write(
        site.join("content/notices/x.md"),
        "---\ntitle: \"<script>alert(1)</script>停水\"\ndate: 2026-11-01\nissuer: property\nsummary: \"<b onmouseover=x>hi</b>\"\n---\n<script>alert(2)</script>\n\n<a href=\"javascript:alert(3)\" onclick=\"x()\">链接</a>\n",
    )
    .unwrap();
    let o = gongshi(&site, &["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for rel in ["n/x/index.html", "index.html", "b/1/index.html", "n/index.html", "feed.xml"] {
        let html = page(&site.join("public"), rel);
        assert!(!html.contains("<script"), "{rel}: {html}");
        assert!(!html.contains("javascript:"), "{rel}");
        assert!(!html.contains("onclick") && !html.contains("<b onmouseover"), "{rel}");
    }
    assert!(page(&site.join("public"), "n/x/index.html").contains("&lt;script&gt;alert(1)&lt;/script&gt;停水"));
}

#[test]
fn the_not_found_page_carries_its_style_wherever_it_is_served() {
    let (_tmp, out) = sample_site();
    let html = page(&out, "404.html");
    assert!(html.contains("<style>") && !html.contains("assets/style.css"), "the stylesheet is inline, not linked at one address");
}

#[test]
fn scopes_are_listed_in_building_order_and_a_kicker_never_ends_in_a_dot() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    let yaml = site.join("content/site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    let buildings: String = (1..=12).map(|b| format!("  - {{id: \"{b}\", name: {b}号楼}}\n")).collect();
    let start = text.find("buildings:").unwrap();
    let end = text[start..].find("contacts:").unwrap() + start;
    fs::write(&yaml, format!("{}buildings:\n{buildings}{}", &text[..start], &text[end..])).unwrap();
    fs::write(
        site.join("content/notices/lights.md"),
        "---\ntitle: 路灯检修\ndate: 2026-11-10\nissuer: property\ncategory: 设施\nscope: [\"12\", \"9\", \"11\"]\n---\n检修路灯。\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = page(&out, "n/lights/index.html");
    let scope = html.split("涉及范围").nth(1).unwrap().split("</dd>").next().unwrap();
    let at = |s: &str| scope.find(s).unwrap_or_else(|| panic!("{s} in {scope}"));
    assert!(at("9号楼") < at("11号楼") && at("11号楼") < at("12号楼"), "{scope}");
    assert!(html.contains("<p class=\"kicker\">设施</p>"), "no dangling dot after the category");
}

/// Every page ends with the property service centre's number, tap-to-call, and a retired page
/// says "没有修订" rather than a bare 0.
#[test]
fn every_page_ends_with_a_number_to_call_and_a_retired_page_reads_plainly() {
    let (_tmp, out) = sample_site();
    for rel in ["index.html", "n/water-cut-5/index.html", "v/roof-3-repair/index.html", "a/maintenance/2026-Q3/index.html", "r/index.html"]
    {
        let html = page(&out, rel);
        assert!(
            html.contains("<p class=\"contact-line\">物业服务中心 <a class=\"phone\" href=\"tel:02157810000\">021-5781 0000</a>"),
            "{rel} has no contact line"
        );
    }
    let retired = page(&out, "n/elevator-7-copy/index.html");
    assert!(retired.contains("<dt>修订记录</dt><dd>没有修订</dd>"), "{retired}");
}

/// A poster says how long what it lists is right: until the first day one of its notices ends
/// (or another starts there), not "长期公示" above a list of notices that expire in days.
#[test]
fn a_poster_is_good_until_its_list_changes() {
    let (_tmp, out) = sample_site();
    let date = |s: &str| -> (u32, u32, u32) {
        let (y, rest) = s.split_once('年').unwrap();
        let (m, rest) = rest.split_once('月').unwrap();
        (y.parse().unwrap(), m.parse().unwrap(), rest.trim_end_matches('日').parse().unwrap())
    };
    let (mut dated, mut standing) = (0, 0);
    for entry in fs::read_dir(out.join("print/b")).unwrap() {
        let html = fs::read_to_string(entry.unwrap().path().join("index.html")).unwrap();
        let ends: Vec<_> = html
            .split("class=\"until\">")
            .skip(1)
            .map(|p| date(p.split("<span class=\"date\">").nth(1).unwrap().split('<').next().unwrap()))
            .collect();
        let foot = html.split("class=\"sheet-foot\"").nth(1).unwrap();
        let posting = foot.split("公示期：").nth(1);
        if ends.is_empty() && !html.contains("class=\"posted\"") {
            continue;
        }
        match html.split("class=\"good-until\">").nth(1) {
            Some(head) => {
                let until = date(head.split("<span class=\"date\">").nth(1).unwrap().split('<').next().unwrap());
                assert!(ends.iter().all(|e| *e >= until), "the poster says it is good until {until:?}, after a listed end in {ends:?}");
                assert!(head.split("</h2>").next().unwrap().contains("到期请换新表"), "{head}");
                assert!(posting.is_none(), "the foot does not say the period again: {foot}");
                dated += 1;
            }
            None => {
                assert!(ends.is_empty(), "长期公示 above notices that end: {ends:?}");
                assert!(posting.is_some_and(|p| p.starts_with("长期公示")), "{foot}");
                standing += 1;
            }
        }
    }
    assert!(dated > 0, "the sample has posters listing notices that end ({standing} standing)");
}
