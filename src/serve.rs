//! `gongshi serve`: a live preview for the secretary. It builds the site, serves the output
//! folder on 127.0.0.1 (unless told otherwise), watches `content/` and the theme with `notify`,
//! rebuilds after an edit (debounced; an edit of notices re-renders only the files that show
//! them, only changed files are written, and nothing is rendered when nothing the output
//! depends on changed) and tells open pages to reload through a
//! Server-Sent Events channel, `/__gongshi/events`. Only files under the output folder are
//! ever served: `..`, encoded `%2e%2e`, backslashes and absolute paths get the 404 page.

use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::{msg, BuildOptions, Failure};
use notify::{RecursiveMode, Watcher};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often an open reload channel is written to when nothing changed (a closed page is
/// noticed then).
const HEARTBEAT: Duration = Duration::from_secs(5);

/// The reload channel.
pub const EVENTS: &str = "/__gongshi/events";

/// Added to HTML pages as they are served (never to the files in the output folder).
const RELOAD_SCRIPT: &str = "<script>new EventSource(\"/__gongshi/events\").onmessage=function(){location.reload()}</script>";

/// Quiet time after the last file event before rebuilding (editors write several times).
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Options of `serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Build options.
    pub build: BuildOptions,
    /// Address to bind; 127.0.0.1 unless told otherwise.
    pub bind: String,
    /// Port; 0 picks a free one.
    pub port: u16,
}

/// Open reload channels.
#[derive(Default, Clone)]
struct Clients {
    senders: Arc<Mutex<Vec<Sender<()>>>>,
}

impl Clients {
    fn add(&self) -> Receiver<()> {
        let (tx, rx) = mpsc::channel();
        self.senders.lock().expect("clients").push(tx);
        rx
    }

    /// Tells every open page to reload; forgets the closed ones.
    fn reload(&self) -> usize {
        let mut senders = self.senders.lock().expect("clients");
        senders.retain(|tx| tx.send(()).is_ok());
        senders.len()
    }
}

/// Maps a request path to a file under `root`, or `None` for anything that is not plainly
/// inside it.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if !decoded.starts_with('/') || decoded.starts_with("//") || decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let rel = Path::new(&decoded[1..]);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = root.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    // Links inside the folder could point anywhere: the real path must still be inside.
    let real = file.canonicalize().ok()?;
    let base = root.canonicalize().ok()?;
    (real.starts_with(&base) && real.is_file()).then_some(real)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// The last build's errors as a page, while the sources have errors: every page the browser
/// asks for shows them instead of the old site, and reloads when they are fixed.
#[derive(Default, Clone)]
struct Failed {
    page: Arc<Mutex<Option<String>>>,
}

impl Failed {
    fn set(&self, page: Option<String>) {
        *self.page.lock().expect("failed page") = page;
    }

    fn get(&self) -> Option<String> {
        self.page.lock().expect("failed page").clone()
    }
}

/// The page a browser shows while the sources have errors: the same messages as the terminal
/// (file, line, what is wrong, what to do).
fn error_page(d: &Diagnostics, lang: Lang) -> String {
    let text = crate::render::escape::markup(&d.render_for(lang, "public/"));
    let (title, lead) = match lang {
        Lang::Zh => ("预览：内容有错误", "网站没有更新，下面是出错的地方和改法。改好并保存后，这一页会自动回到网站。"),
        Lang::En => ("Preview: the sources have errors", "The site was not updated; what is wrong and how to fix it is below. Once fixed and saved, this page goes back to the site by itself."),
    };
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>body{{font:18px/1.6 \"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111}}\
         h1{{color:#8a3b00}}pre{{white-space:pre-wrap;background:#fff4ec;border-left:6px solid #8a3b00;padding:.8rem;font:16px/1.5 ui-monospace,Consolas,monospace}}</style></head>\
         <body><h1>{title}</h1><p>{lead}</p><pre class=\"gongshi-errors\">{text}</pre>{RELOAD_SCRIPT}</body></html>",
        lang.code()
    )
}

/// The `Host` values a preview bound to one address answers (its address, and `localhost`):
/// a page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding) is refused.
/// `None` when bound to every address (`--bind 0.0.0.0`), where any name may reach it.
fn allowed_hosts(bind: &str, port: u16) -> Option<Vec<String>> {
    if matches!(bind, "0.0.0.0" | "::" | "[::]") {
        return None;
    }
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]", bind].iter().map(|h| format!("{h}:{port}")).collect();
    if port == 80 {
        hosts.extend(["localhost".to_string(), "127.0.0.1".to_string(), bind.to_string()]);
    }
    Some(hosts)
}

fn respond(out: &Path, clients: &Clients, failed: &Failed, hosts: Option<&[String]>, req: tiny_http::Request) {
    let url = req.url().to_string();
    // One line a request, as preview servers do: what the browser asked for, and when it came back.
    eprintln!("{} {url}", req.method());
    if let Some(hosts) = hosts {
        let host = req.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_ascii_lowercase());
        if !host.as_deref().is_some_and(|h| hosts.iter().any(|a| a == h)) {
            let resp = tiny_http::Response::from_data(&b"421: this preview answers only requests addressed to it"[..])
                .with_status_code(421)
                .with_header(header("Content-Type", "text/plain; charset=utf-8"));
            let _ = req.respond(resp);
            return;
        }
    }
    if url == EVENTS {
        // The event stream is written by hand on the raw connection, one write per message
        // (a response body of unknown length would go out in chunks written piecemeal, and
        // TCP's small-packet delay would then hold each message back for tens of ms).
        let rx = clients.add();
        let mut conn = req.into_writer();
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n: connected\n\n";
        if conn.write_all(head.as_bytes()).and_then(|()| conn.flush()).is_err() {
            return;
        }
        // A comment every few seconds finds a page that was closed, and frees its thread.
        loop {
            let msg: &[u8] = match rx.recv_timeout(HEARTBEAT) {
                Ok(()) => b"data: reload\n\n",
                Err(mpsc::RecvTimeoutError::Timeout) => b": ping\n\n",
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            };
            if conn.write_all(msg).and_then(|()| conn.flush()).is_err() {
                return;
            }
        }
    }
    let (status, file) = match resolve(out, &url) {
        Some(f) => (200, Some(f)),
        None => (404, resolve(out, "/404.html")),
    };
    if let Some(page) = failed.get().filter(|_| file.as_deref().is_none_or(|f| content_type(f).starts_with("text/html"))) {
        let resp = tiny_http::Response::from_data(page.into_bytes())
            .with_status_code(500)
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = req.respond(resp);
        return;
    }
    let body = file.as_ref().and_then(|f| std::fs::read(f).ok()).unwrap_or_else(|| b"404".to_vec());
    let ctype = file.as_deref().map_or("text/plain; charset=utf-8", content_type);
    let body = if ctype.starts_with("text/html") {
        let html = String::from_utf8_lossy(&body);
        match html.rfind("</body>") {
            Some(i) => format!("{}{RELOAD_SCRIPT}{}", &html[..i], &html[i..]).into_bytes(),
            None => body,
        }
    } else {
        body
    };
    let resp = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-store"));
    let _ = req.respond(resp);
}

/// Builds, serves and rebuilds on change until the process is stopped. `ready` is called once
/// with the address and the report of the first build.
pub fn serve(opts: ServeOptions, lang: Lang, mut ready: impl FnMut(SocketAddr)) -> Result<(), Failure> {
    let addr = format!("{}:{}", opts.bind, opts.port);
    let server = tiny_http::Server::http(&addr).map_err(|e| {
        let detail = e.to_string();
        Failure::Usage(Diagnostic::error("serve", msg!("无法在 {addr} 上启动预览：{detail}", "cannot serve on {addr}: {detail}")).into())
    })?;
    let local = server.server_addr().to_ip().expect("an IP listener");
    // base_url stays the site's own: links are relative, and QR codes on the sheets must show
    // where they will really point.
    let build = opts.build.clone();
    let out = build.output_dir();
    let mut session = crate::Session::default();
    let failed = Failed::default();
    failed.set(report(crate::build_in(&build, &mut session), lang, &build.output_label()));
    let clients = Clients::default();

    // Watch the sources, the publishing log included (`publish` or `retire` in another window
    // change what the preview shows); the temporary files of a write are not edits.
    let (tx, rx) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if ev.kind.is_access() || ev.paths.iter().all(|p| p.to_string_lossy().contains(crate::output::TEMP_MARK)) {
                return;
            }
            let _ = tx.send(());
        }
    })
    .map_err(|e| watch_error(&e))?;
    for dir in ["content", "themes"] {
        let d = build.root.join(dir);
        if d.is_dir() {
            watcher.watch(&d, RecursiveMode::Recursive).map_err(|e| watch_error(&e))?;
        }
    }
    {
        let (clients, failed) = (clients.clone(), failed.clone());
        std::thread::spawn(move || {
            while rx.recv().is_ok() {
                // Debounce: wait until the edits stop for a moment.
                let start = Instant::now();
                while rx.recv_timeout(DEBOUNCE).is_ok() && start.elapsed() < Duration::from_secs(1) {}
                // Open pages reload either way: into the new site, or into the errors.
                failed.set(report(crate::build_in(&build, &mut session), lang, &build.output_label()));
                clients.reload();
            }
        });
    }
    ready(local);
    let server = Arc::new(server);
    let hosts = allowed_hosts(&opts.bind, local.port());
    for req in server.incoming_requests() {
        let (out, clients, failed, hosts) = (out.clone(), clients.clone(), failed.clone(), hosts.clone());
        std::thread::spawn(move || respond(&out, &clients, &failed, hosts.as_deref(), req));
    }
    drop(watcher);
    Ok(())
}

fn watch_error(e: &notify::Error) -> Failure {
    let detail = e.to_string();
    Failure::Usage(Diagnostics::from(Diagnostic::error(
        "content",
        msg!("无法监视文件变化：{detail}", "cannot watch for changes: {detail}"),
    )))
}

/// Prints the outcome of a build into `folder` (as messages name it); when it failed, the page
/// that says why.
fn report(r: Result<crate::Report, Failure>, lang: Lang, folder: &str) -> Option<String> {
    match r {
        Ok(r) => {
            eprint!("{}", r.warnings.render(lang));
            match lang {
                Lang::Zh => eprintln!("已更新：写入 {}，未变 {}，删除 {}", r.written, r.unchanged, r.removed),
                Lang::En => eprintln!("updated: {} written, {} unchanged, {} removed", r.written, r.unchanged, r.removed),
            }
            None
        }
        Err(f) => {
            eprint!("{}", f.diagnostics().render_for(lang, folder));
            Some(error_page(f.diagnostics(), lang))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_folder_resolve() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("public");
        std::fs::create_dir_all(root.join("n/a")).unwrap();
        std::fs::write(root.join("n/a/index.html"), "a").unwrap();
        std::fs::write(root.join("index.html"), "i").unwrap();
        std::fs::write(t.path().join("secret.txt"), "s").unwrap();
        assert!(resolve(&root, "/").is_some());
        assert!(resolve(&root, "/n/a/").is_some());
        assert!(resolve(&root, "/n/a/index.html?x=1").is_some());
        assert!(resolve(&root, "/n/%61/").is_some(), "plain percent-encoding is fine");
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/n/../../secret.txt",
            "//etc/passwd",
            "/..%5csecret.txt",
            "/%00",
            "secret.txt",
            "/%zz",
        ] {
            assert!(resolve(&root, bad).is_none(), "{bad}");
        }
        std::os::unix::fs::symlink(t.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert!(resolve(&root, "/link.txt").is_none(), "a link out of the folder");
    }
}
