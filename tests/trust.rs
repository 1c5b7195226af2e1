//! Hostile and careless input: the privacy guard, sanitising, paths that try to leave
//! `content/`, YAML bombs, huge files and symbolic-link loops. Each must end in a clear message
//! (or a safe page), fast, with nothing written.

mod common;
use common::*;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const SITE: &str = "name: 测试小区\nbase_url: https://test.example.cn\nbodies:\n  property: 测试物业\nbuildings:\n  - {id: \"1\", name: 1号楼}\ncontacts:\n  - {role: 网格员, phone: 139 0000 1111}\n";

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("content")).unwrap();
    fs::write(tmp.path().join("content/site.yaml"), SITE).unwrap();
    for (rel, text) in files {
        let p = tmp.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    tmp
}

fn notice(body: &str) -> String {
    format!("---\ntitle: 通知\ndate: 2026-11-01\nissuer: property\n---\n{body}\n")
}

/// Builds; returns (exit code, stderr), and checks that a failed build wrote nothing.
fn build(dir: &Path) -> (i32, String) {
    let o = gongshi(dir, &["build", "--as-of", AS_OF]);
    let code = o.status.code().unwrap_or(-1);
    if code != 0 {
        assert!(!dir.join("public").exists(), "a failed build created public/");
        assert!(!dir.join("content/publish.lock").exists(), "a failed build wrote the lock");
    }
    (code, String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn personal_data_is_refused_unless_declared_or_allowed_and_templates_can_mask() {
    // A declared contact's mobile number may appear; an undeclared one may not.
    let t = site(&[("content/notices/a.md", &notice("有事请找网格员 139-0000-1111。"))]);
    assert_eq!(build(t.path()).0, 0);
    let t = site(&[("content/notices/a.md", &notice("有事请找志愿者 +86 138 1234 5678。"))]);
    let (code, err) = build(t.path());
    assert_eq!(code, 1);
    assert!(err.contains("这里有手机号 `+86 138 1234 5678`：公示内容不能含有居民的个人信息"), "{err}");
    // …unless the file allows it explicitly.
    let allowed = "---\ntitle: 通知\ndate: 2026-11-01\nissuer: property\nprivacy: {allow: [\"138 1234 5678\"]}\n---\n有事请找志愿者 +86 138 1234 5678。\n";
    let t = site(&[("content/notices/a.md", allowed)]);
    assert_eq!(build(t.path()).0, 0, "allowed by the file");
    // Every kind of file is scanned: a vote, a page, standards.
    for (rel, text) in [
        ("content/pages/p.md", "---\ntitle: 页面\n---\n联系 13800138000\n".to_string()),
        (
            "content/votes/v.yaml",
            "title: 表决\ndate: 2026-11-01\nissuer: property\nrule: none\nsummary: 计票人 1号楼1201室\neligible: {owners: 10, area: 1000}\nparticipated: {owners: 8, area: 800}\nagree: {owners: 8, area: 800}\nagainst: {owners: 0, area: 0}\nabstain: {owners: 0, area: 0}\n".to_string(),
        ),
        ("content/standards/s.yaml", "title: 标准\nissuer: property\neffective: 2026-01-01\nsummary: 经理手机 13912345678\n".to_string()),
    ] {
        let t = site(&[(rel, &text)]);
        let (code, err) = build(t.path());
        assert_eq!(code, 1, "{rel}");
        assert!(err.contains("公示内容不能含有居民的个人信息"), "{rel}: {err}");
    }
    // Masking filters in a theme.
    let t = site(&[
        ("content/notices/a.md", &notice("正文")),
        (
            "themes/default/templates/notice.html",
            "{% extends \"base.html\" %}{% block main %}<p id=m>{{ \"13812345678\" | mask_phone }} {{ \"3号楼1201室门口\" | mask_room }}</p>{% endblock main %}",
        ),
    ]);
    assert_eq!(build(t.path()).0, 0);
    let html = page(&t.path().join("public"), "n/a/index.html");
    assert!(html.contains("<p id=m>138****5678 3号楼12**室门口</p>"), "{html}");
}

#[test]
fn script_event_handlers_and_dangerous_urls_never_reach_a_page() {
    let vectors = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "<a href=\"javascript:alert(3)\">点我</a>",
        "[点我](javascript:alert(4))",
        "<a href=\"JaVaScRiPt:alert(5)\">大小写</a>",
        "<a href=\"data:text/html,<script>alert(6)</script>\">数据</a>",
        "<svg onload=alert(7)><script>alert(8)</script></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        "<div style=\"background:url(javascript:alert(10))\">样式</div>",
        "<form action=\"https://evil.example\"><input name=p></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "<base href=\"https://evil.example/\">",
        "<p onclick=\"alert(11)\" onmouseover=\"alert(12)\">事件</p>",
        // Pictures from another host would be loaded by every resident's phone.
        "<img src=\"https://tracker.example/p.gif\"> <img src=\"//tracker.example/q.gif\"> <img src=\"\\\\tracker.example\\r.gif\">",
        // Last: an unclosed <style> swallows whatever follows it.
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>",
    ];
    let body = vectors.join("\n\n");
    let t = site(&[("content/notices/a.md", &notice(&body))]);
    assert_eq!(build(t.path()).0, 0);
    let html = page(&t.path().join("public"), "n/a/index.html");
    let main = html.split("<main>").nth(1).unwrap().split("</main>").next().unwrap().to_lowercase();
    // The page's own QR code (an SVG gongshi draws for its printed sheet) is not the body's.
    let (before, qr) = main.split_once("<div class=\"qrbox").unwrap();
    let main = format!("{before}{}", qr.split_once("</div>").unwrap().1);
    for bad in [
        "<script",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "javascript:",
        "data:text",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<style",
        "<form",
        "<meta",
        "<base",
        "evil.example",
        "tracker.example",
    ] {
        assert!(!main.contains(bad), "`{bad}` survived: {main}");
    }
    // The words are kept.
    assert!(main.contains("点我") && main.contains("事件"));
    // YAML text is escaped, never interpreted.
    let t = site(&[("content/notices/a.md", "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2026-11-01\nissuer: property\n---\n正文\n")]);
    assert_eq!(build(t.path()).0, 0);
    let html = page(&t.path().join("public"), "n/a/index.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"));
}

#[test]
fn images_and_attachments_cannot_leave_content() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.png"), b"not for the web").unwrap();
    for (img, why) in [
        ("../../etc/passwd", "不在 content/static/ 里"),
        ("/etc/passwd", "不在 content/static/ 里"),
        ("file:///etc/passwd", "不在 content/static/ 里"),
        ("static/../../secret.png", "不能指向 content/ 以外"),
        ("https://cdn.example.com/a.png", "在别的网站上"),
        ("static/missing.png", "找不到附件"),
    ] {
        let t = site(&[("content/notices/a.md", &notice(&format!("![图]({img})")))]);
        let (code, err) = build(t.path());
        assert_eq!(code, 1, "{img}");
        assert!(err.contains(why), "{img}: {err}");
    }
    // A symbolic link in static/ would publish whatever it points to.
    let t = site(&[("content/notices/a.md", &notice("正文"))]);
    fs::create_dir_all(t.path().join("content/static")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.png"), t.path().join("content/static/leak.png")).unwrap();
    let (code, err) = build(t.path());
    assert_eq!(code, 1);
    assert!(err.contains("content/static/leak.png") && err.contains("符号链接"), "{err}");
    // A ledger attachment through an absolute path, or through a link inside static/.
    let site_with_fund = |att: &str| {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir_all(t.path().join("content/accounts/f")).unwrap();
        fs::write(t.path().join("content/site.yaml"), format!("{SITE}funds:\n  - {{id: f, name: 公共收益}}\n")).unwrap();
        fs::write(
            t.path().join("content/accounts/f/2026-Q3.yaml"),
            format!("issuer: property\nopening_balance: 0\nexpense: []\nincome:\n  - {{date: 2026-07-01, category: 停车费, amount: 1, attachment: {att}}}\n"),
        )
        .unwrap();
        t
    };
    let abs = outside.path().join("secret.png").display().to_string();
    let t = site_with_fund(&abs);
    let (code, err) = build(t.path());
    assert_eq!(code, 1);
    assert!(err.contains("不能指向 content/ 以外"), "{err}");
}

#[test]
fn yaml_bombs_deep_nesting_huge_files_and_link_loops_fail_fast_and_clearly() {
    // Billion laughs in front matter.
    let mut bomb = String::from("---\ntitle: 炸弹\ndate: 2026-11-01\nissuer: property\nx0: &a0 [\"哈哈哈哈哈哈哈哈\"]\n");
    for i in 1..=30 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!("x{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    bomb.push_str("---\n正文\n");
    // Deep nesting.
    let deep =
        format!("---\ntitle: 深\ndate: 2026-11-01\nissuer: property\nsummary: {}1{}\n---\n正文\n", "[".repeat(5000), "]".repeat(5000));
    // Serde stops at the first unexpected key or type, before any alias is expanded.
    for (name, text, why) in [("bomb", bomb.as_str(), "未知字段 `x0`"), ("deep", deep.as_str(), "`summary` 里：这里应当写一段文字")]
    {
        let t = site(&[("content/notices/a.md", text)]);
        let start = Instant::now();
        let (code, err) = build(t.path());
        assert!(start.elapsed() < Duration::from_secs(5), "{name} took {:?}", start.elapsed());
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains("content/notices/a.md") && err.contains(why), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // The same bomb in site.yaml, which is also read loosely for its language.
    let t = site(&[]);
    let site_bomb =
        bomb.replace("---\ntitle: 炸弹\ndate: 2026-11-01\nissuer: property\n", SITE).replace("---\n正文\n", "description: *a30\n");
    fs::write(t.path().join("content/site.yaml"), site_bomb).unwrap();
    let start = Instant::now();
    let (code, err) = build(t.path());
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(code, 1);
    assert!(err.contains("content/site.yaml") && err.contains("未知字段 `x0`"), "{err}");
    // A 50 MB file.
    let t = site(&[]);
    let big = t.path().join("content/notices/big.md");
    fs::create_dir_all(big.parent().unwrap()).unwrap();
    let f = fs::File::create(&big).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let start = Instant::now();
    let (code, err) = build(t.path());
    assert_eq!(code, 1);
    assert!(err.contains("文件太大（50 MB）"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    // A loop of symbolic links, and a folder linking to its parent.
    let t = site(&[("content/notices/ok.md", &notice("正文"))]);
    let n = t.path().join("content/notices");
    std::os::unix::fs::symlink(n.join("b.md"), n.join("a.md")).unwrap();
    std::os::unix::fs::symlink(n.join("a.md"), n.join("b.md")).unwrap();
    std::os::unix::fs::symlink(&n, n.join("again")).unwrap();
    let start = Instant::now();
    let (code, err) = build(t.path());
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(code, 1);
    for rel in ["content/notices/a.md", "content/notices/b.md", "content/notices/again"] {
        assert!(err.contains(&format!("{rel}：这是一个符号链接")), "{rel}: {err}");
    }
}

#[test]
fn a_second_command_on_the_same_site_is_refused_and_a_killed_ones_file_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &site);
    let busy = site.join(".public.gongshi-busy");
    // A command still running (a real process): refused at once, nothing written.
    let mut running = std::process::Command::new("sleep").arg("30").spawn().unwrap();
    fs::write(&busy, format!("{}\npublish\n", running.id())).unwrap();
    let o = gongshi(&site, &["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("另一个 gongshi 命令（publish，进程 {}）正在处理这个网站，这次没有做任何事", running.id())), "{err}");
    assert!(!site.join("public").exists());
    running.kill().unwrap();
    running.wait().unwrap();
    // Its process is gone: the file is taken over, the build runs and leaves no file behind.
    let o = gongshi(&site, &["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(site.join("public/index.html").is_file() && !busy.exists());
    // `check` writes nothing and needs no turn.
    fs::write(&busy, format!("{}\nbuild\n", std::process::id())).unwrap();
    assert!(gongshi(&site, &["check", "--as-of", AS_OF]).status.success());
}

#[test]
fn static_files_that_run_script_are_refused_and_litter_is_never_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = repo().join("tests/fixtures/warnings/static-litter");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("static/photo.png").is_file());
    assert!(!out.join("static/Thumbs.db").exists(), "OS litter is not published");
    // The refused ones: tests/fixtures/invalid/static-that-runs-script (an .html, an SVG with
    // onload; a plain SVG passes).
    let expected = fs::read_to_string(repo().join("tests/fixtures/invalid/static-that-runs-script/expected")).unwrap();
    assert!(
        expected.contains("content/static/index.html") && expected.contains("content/static/logo.svg") && !expected.contains("plain.svg")
    );
}

/// The privacy guard reads what a reader will see: entities, YAML escapes, markup and odd
/// spaces resolved, in every file (site.yaml too), each hit at the line of its source; a
/// public venue's room is not a resident's.
#[test]
fn what_a_reader_would_see_is_checked_whatever_the_source_hides_it_behind() {
    for (rel, text, line, shown) in [
        ("content/notices/a.md", notice("第一行\n\n有事找 &#49;3812345678。"), 8, "`13812345678`（原文写作 `&#49;3812345678`"),
        ("content/notices/a.md", notice("志愿者 138**1234**5678"), 6, "`13812345678`"),
        ("content/notices/a.md", notice("志愿者 138<span>1234</span>5678"), 6, "`13812345678`"),
        ("content/notices/a.md", notice("志愿者 138\u{a0}1234\u{a0}5678（微信复制）"), 6, "手机号"),
        ("content/notices/a.md", notice("志愿者 138.1234.5678"), 6, "`138.1234.5678`"),
        ("content/notices/a.md", notice("1201室 张三反映楼道堵塞"), 6, "房号 `1201室`"),
        ("content/notices/a.md", notice("张三（1201室）反映"), 6, "房号 `1201室`"),
        (
            "content/standards/s.yaml",
            "title: 标准\nissuer: property\neffective: 2026-01-01\nsummary: \"经理 \\u00313912345678\"\n".to_string(),
            4,
            "`13912345678`",
        ),
        ("content/site.yaml", SITE.replace("1111}", "1111, note: \"值班张三 139\\u00300002222\"}"), 8, "`13900002222`"),
    ] {
        let t = site(&[(rel, &text), ("content/notices/b.md", &notice("正文"))]);
        let (code, err) = build(t.path());
        assert_eq!(code, 1, "{text}");
        assert!(err.contains(&format!("{rel}:{line}:")), "{text}: at its line: {err}");
        assert!(err.contains(shown) && err.contains("公示内容不能含有居民的个人信息"), "{text}: {err}");
    }
    let t = site(&[("content/notices/a.md", &notice("物业服务中心在1号楼101室，业委会办公室在1号楼102室。"))]);
    let (code, err) = build(t.path());
    assert!(code == 0 && !err.contains("个人信息"), "a public venue's room may be published: {err}");
}

/// A link planted where gongshi writes never sends a write elsewhere: the lock, a new notice,
/// the output folder.
#[test]
#[cfg(unix)]
fn a_planted_link_never_redirects_a_write() {
    use std::os::unix::fs::symlink;
    let t = site(&[("content/notices/a.md", &notice("正文"))]);
    let victim = t.path().join("victim.txt");
    fs::write(&victim, "mine").unwrap();
    // The lock as a link: publish refuses, the file it points to is untouched.
    symlink(&victim, t.path().join("content/publish.lock")).unwrap();
    let o = gongshi(t.path(), &["publish", "--as-of", AS_OF]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("是一个链接（symbolic link），gongshi 不通过链接写文件"), "{err}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "mine");
    fs::remove_file(t.path().join("content/publish.lock")).unwrap();
    // The temporary name of old (`publish.lock.gongshi-tmp`) planted: unused, untouched.
    symlink(&victim, t.path().join("content/publish.lock.gongshi-tmp")).unwrap();
    let o = gongshi(t.path(), &["publish", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "mine");
    assert!(!fs::symlink_metadata(t.path().join("content/publish.lock")).unwrap().file_type().is_symlink());
    // A dangling link where `new notice` writes: refused, nothing created where it points.
    let target = t.path().join("created-elsewhere.md");
    symlink(&target, t.path().join("content/notices/x.md")).unwrap();
    let o = gongshi(t.path(), &["new", "notice", "--id", "x"]);
    assert!(!o.status.success());
    assert!(!target.exists(), "a write went through the link");
    // A folder of content/ that is a link: nothing is written through it.
    let outside = t.path().join("outside");
    fs::create_dir(&outside).unwrap();
    symlink(&outside, t.path().join("content/pages")).unwrap();
    let o = gongshi(t.path(), &["new", "page", "about2"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("content/pages 是一个链接"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0, "a write went through the linked folder");
    fs::remove_file(t.path().join("content/pages")).unwrap();
    // The output folder as a link: refused with the way out.
    let elsewhere = t.path().join("www");
    fs::create_dir(&elsewhere).unwrap();
    let out = t.path().join("out");
    symlink(&elsewhere, &out).unwrap();
    let o = gongshi(t.path(), &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("gongshi 不通过链接写文件"), "{err}");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

/// `--base-url` is held to what site.yaml's `base_url` is: a plain http(s) address, nothing that
/// could become markup in a page or the feed.
#[test]
fn a_base_url_with_markup_is_refused_on_the_command_line_too() {
    let t = site(&[("content/notices/a.md", &notice("正文"))]);
    for bad in ["https://x.cn/\"><script>alert(1)</script>", "https://x.cn/a b", "https://https://x.cn", "ftp://x.cn"] {
        let o = gongshi(t.path(), &["build", "--as-of", AS_OF, "--base-url", bad]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{bad}");
        assert!(err.contains("不是完整网址"), "{bad}: {err}");
        assert!(!t.path().join("public").exists());
    }
    let o = gongshi(t.path(), &["build", "--as-of", AS_OF, "--base-url", "http://127.0.0.1:8080/"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
