//! `gongshi serve` as a secretary uses it: a real server process on a copy of the sample site,
//! a test client on the reload channel timing how long an edit takes to reach the browser, and
//! hostile request paths that must never leave the output folder.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &std::path::Path) -> Server {
    start_with(site, Stdio::null())
}

fn start_with(site: &std::path::Path, stderr: Stdio) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .args(["serve", "--port", "0", "--as-of", AS_OF, "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr =
        line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("no address in {line:?}")).to_string();
    assert!(addr.starts_with("127.0.0.1:"), "binds to this computer only by default: {addr}");
    Server { child, addr }
}

/// Sends one raw request line (exactly as written: no client normalises it) and returns the
/// status code and body.
fn raw_get(addr: &str, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let resp = String::from_utf8_lossy(&resp).into_owned();
    let code = resp.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (code, resp)
}

#[test]
fn serve_answers_only_from_the_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    let server = start(tmp.path());
    let (code, body) = raw_get(&server.addr, "/");
    assert_eq!(code, 200);
    assert!(body.contains("湖畔花园") && body.contains("/__gongshi/events"), "pages get the reload script");
    assert_eq!(raw_get(&server.addr, "/n/water-cut-5/").0, 200);
    for target in [
        "/../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/n/%2e%2e/%2e%2e/content/site.yaml",
        "/..%2fcontent%2fsite.yaml",
        "/..%5ccontent%5csite.yaml",
        "//etc/passwd",
        "/etc/passwd",
        "http://127.0.0.1/../content/site.yaml",
        "/%00",
    ] {
        let (code, body) = raw_get(&server.addr, target);
        assert_eq!(code, 404, "{target}");
        assert!(!body.contains("base_url") && !body.contains("root:"), "{target} leaked a file");
    }
}

#[test]
fn every_edit_reaches_the_browser_after_the_page_is_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    let server = start(tmp.path());
    let mut reader = reload_channel(&server.addr);
    let mut line = String::new();
    // Edit a notice again and again, as someone typing and saving would, and time each save
    // until the reload event arrives.
    let notice = tmp.path().join("content/notices/preview-test.md");
    let mut times = Vec::new();
    for i in 0..12 {
        std::thread::sleep(Duration::from_millis(150));
        let start = Instant::now();
        std::fs::write(&notice, format!("---\ntitle: 预览测试\ndate: 2026-11-20\nissuer: property\n---\n第 {i} 次修改。\n")).unwrap();
        loop {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap() > 0, "the event stream closed");
            if line.starts_with("data: reload") {
                break;
            }
        }
        times.push(start.elapsed());
        let page = std::fs::read_to_string(tmp.path().join("public/n/preview-test/index.html")).unwrap();
        assert!(page.contains(&format!("第 {i} 次修改。")), "the page was rebuilt before the reload");
    }
    // The first edit creates the notice; the rest change it.
    let mut ms: Vec<u128> = times[1..].iter().map(Duration::as_millis).collect();
    ms.sort();
    let median = ms[ms.len() / 2];
    eprintln!("edit → reload event: median {median} ms, fastest {} ms, slowest {} ms over {} edits", ms[0], ms[ms.len() - 1], ms.len());
    // A generous bound, for a busy test machine: the figure itself (the spec's 100 ms) is
    // measured by `benches/compare.py --serve`, on a 10,000-notice site.
    assert!(median <= 1000, "median {median} ms: {ms:?}");
    // Previewing is not publishing: the lock is untouched.
    let lock = std::fs::read_to_string(tmp.path().join("content/publish.lock")).unwrap();
    assert!(!lock.contains("preview-test"));
}

#[test]
#[cfg_attr(not(browser_tools), ignore = "needs chromium, zbar-tools, poppler-utils and imagemagick")]
fn a_real_browser_reloads_the_page_after_an_edit() {
    let bin = chromium();
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    let mut server = start_with(tmp.path(), Stdio::piped());
    // The server logs every request on stderr: watch for the browser's.
    let (tx, rx) = std::sync::mpsc::channel::<(Instant, String)>();
    let log = server.child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(log).lines().map_while(Result::ok) {
            let _ = tx.send((Instant::now(), line));
        }
    });
    let wait_for = |what: &str| -> Instant {
        loop {
            let (at, line) = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| panic!("no `{what}` in the server log"));
            if line.trim() == what {
                return at;
            }
        }
    };
    let profile = tempfile::tempdir().unwrap();
    let mut browser = headless(bin, profile.path())
        .arg("--remote-debugging-port=0")
        .arg(format!("http://{}/n/water-cut-5/", server.addr))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("GET /n/water-cut-5/");
    wait_for("GET /__gongshi/events");
    std::thread::sleep(Duration::from_millis(300));
    let path = tmp.path().join("content/notices/water-cut-5.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let saved = Instant::now();
    // A correction with its revision, as the publish lock asks.
    std::fs::write(&path, text.replacen("---\n", "---\nrevisions:\n  - {date: 2026-11-20, note: 补充说明}\n", 1)).unwrap();
    let reloaded = wait_for("GET /n/water-cut-5/");
    let _ = browser.kill();
    let _ = browser.wait();
    let ms = reloaded.duration_since(saved).as_millis();
    eprintln!("edit saved → Chromium requests the page again: {ms} ms");
    assert!(ms < 1000, "{ms} ms");
}

/// Opens the reload channel of the server at `addr`, once it says it is connected.
fn reload_channel(addr: &str) -> BufReader<TcpStream> {
    let mut events = TcpStream::connect(addr).unwrap();
    write!(events, "GET /__gongshi/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    events.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(events);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the event stream closed");
    }
    reader
}

/// Waits on the reload channel for the next reload event.
fn next_reload(reader: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the event stream closed");
        if line.starts_with("data: reload") {
            return;
        }
    }
}

#[test]
fn a_failed_build_shows_in_the_browser_and_the_site_comes_back_when_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    let server = start(tmp.path());
    let mut reader = reload_channel(&server.addr);
    let notice = tmp.path().join("content/notices/preview-test.md");
    std::fs::write(&notice, "---\ntitle: 预览测试\ndate: 2026-02-30\nissuer: property\n---\n正文\n").unwrap();
    next_reload(&mut reader);
    // Every page shows the errors, as the terminal does, with the reload script.
    for path in ["/", "/n/water-cut-5/"] {
        let (code, body) = raw_get(&server.addr, path);
        assert_eq!(code, 500, "{path}");
        assert!(body.contains("预览：内容有错误") && body.contains("content/notices/preview-test.md:3:7"), "{body}");
        assert!(body.contains("日期 `2026-02-30` 不存在") && body.contains("/__gongshi/events"), "{body}");
    }
    // The stylesheet is still served as it is.
    assert_eq!(raw_get(&server.addr, "/assets/style.css").0, 200);
    // Fixed: back to the site.
    std::fs::write(&notice, "---\ntitle: 预览测试\ndate: 2026-02-28\nissuer: property\n---\n正文\n").unwrap();
    next_reload(&mut reader);
    let (code, body) = raw_get(&server.addr, "/n/preview-test/");
    assert_eq!(code, 200);
    assert!(body.contains("预览测试") && !body.contains("内容有错误"));
}

/// A raw GET with the given `Host`.
fn get_with_host(addr: &str, host: &str, target: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    String::from_utf8_lossy(&resp).split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

fn threads(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|n| n.trim().parse().ok()).unwrap_or(0)
}

#[test]
fn serve_answers_only_its_own_address_and_frees_closed_reload_channels() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/valid/minimal/content"), &tmp.path().join("content"));
    let server = start(tmp.path());
    let port = server.addr.split(':').nth(1).unwrap();
    assert_eq!(get_with_host(&server.addr, &server.addr, "/"), 200);
    assert_eq!(get_with_host(&server.addr, &format!("localhost:{port}"), "/"), 200);
    // A name of another site pointed at this computer (DNS rebinding), or none at all.
    assert_eq!(get_with_host(&server.addr, &format!("evil.example:{port}"), "/"), 421);
    assert_eq!(get_with_host(&server.addr, "evil.example", "/"), 421);
    // Pages that open the reload channel and go away leave no thread behind.
    let before = threads(server.child.id());
    for _ in 0..40 {
        drop(reload_channel(&server.addr));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(threads(server.child.id()) >= before + 30, "the channels were open");
    let start = Instant::now();
    while threads(server.child.id()) > before + 2 && start.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(threads(server.child.id()) <= before + 2, "{} threads, {before} before", threads(server.child.id()));
}
