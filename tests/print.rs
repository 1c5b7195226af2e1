//! Paper and QR codes, tested like a committee prints them: every item page of the sample site
//! (each prints as its A4 sheet), every poster and the contact board go through Chromium's
//! print-to-PDF; `pdfinfo` counts the pages, `pdftotext` reads what is on
//! them, `pdftoppm` renders them and `zbarimg` decodes the QR code, which must be exactly the
//! URL of an existing page of the site.

mod common;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const BASE: &str = "https://hupan.example.cn";

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(o.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn print_pdf(bin: &str, html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().unwrap();
    run(headless(bin, profile.path())
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display())));
    assert!(pdf.is_file(), "no PDF for {}", html.display());
}

fn pages(pdf: &Path) -> usize {
    let info = run(Command::new("pdfinfo").arg(pdf));
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    assert!(size.contains("(A4)"), "{}: {size}", pdf.display());
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// The text of page `n`, without any whitespace (CJK lines wrap anywhere).
fn text(pdf: &Path, n: usize) -> String {
    let t = run(Command::new("pdftotext").args(["-f", &n.to_string(), "-l", &n.to_string()]).arg(pdf).arg("-"));
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every QR code on page `n` rendered at `dpi`.
fn decode(pdf: &Path, n: usize, dpi: u32) -> Vec<String> {
    let stem = pdf.with_extension(format!("p{n}-{dpi}"));
    run(Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-f", &n.to_string(), "-l", &n.to_string(), "-singlefile", "-png"])
        .arg(pdf)
        .arg(&stem));
    let png = stem.with_extension(format!("p{n}-{dpi}.png"));
    let o = Command::new("zbarimg").args(["--raw", "-q"]).arg(&png).output().unwrap();
    String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).filter(|l| !l.is_empty()).collect()
}

/// The codes zbarimg finds on page 1 of `pdf` rendered at `dpi`, blurred (`-blur 0x1`) and
/// rotated 5° with ImageMagick, as a phone camera sees a sheet on a wall.
fn decode_degraded(pdf: &Path, dpi: u32) -> Vec<String> {
    let stem = pdf.with_extension(format!("deg-{dpi}"));
    run(Command::new("pdftoppm").args(["-r", &dpi.to_string(), "-f", "1", "-l", "1", "-singlefile", "-png"]).arg(pdf).arg(&stem));
    let png = stem.with_extension(format!("deg-{dpi}.png"));
    let blurred = stem.with_extension("blurred.png");
    run(Command::new("convert").arg(&png).args(["-blur", "0x1", "-rotate", "5"]).arg(&blurred));
    let o = Command::new("zbarimg").args(["--raw", "-q"]).arg(&blurred).output().unwrap();
    String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).filter(|l| !l.is_empty()).collect()
}

/// The web page a QR code URL stands for, as a file of `out`.
fn page_of(out: &Path, url: &str) -> PathBuf {
    let rel = url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url} is not under {BASE}")).trim_start_matches('/');
    out.join(rel).join("index.html")
}

/// Sheet facts measured in Chromium: QR width in mm, body and h1 font sizes in pt, body
/// colour and background.
fn measure(bin: &str, html: &Path) -> (f32, f32, f32, String) {
    // The code itself: the SVG's width less its quiet zone of four modules on each side.
    let probe = "<script>var s=document.querySelector('svg.qr'),m=s.viewBox.baseVal.width,q=s.getBoundingClientRect().width*(m-8)/m,b=getComputedStyle(document.body),\
        h=getComputedStyle(document.querySelector('h1'));document.body.setAttribute('data-probe',\
        (q*25.4/96)+'|'+(parseFloat(b.fontSize)*0.75)+'|'+(parseFloat(h.fontSize)*0.75)+'|'+b.color+' on '+b.backgroundColor);</script></body>";
    let copy = html.with_file_name("probe.html");
    fs::write(&copy, as_printed(&fs::read_to_string(html).unwrap()).replace("</body>", probe)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let dom = run(headless(bin, profile.path()).args(["--window-size=1000,1400", "--dump-dom"]).arg(format!("file://{}", copy.display())));
    fs::remove_file(&copy).unwrap();
    let v: Vec<String> = dom.split("data-probe=\"").nth(1).unwrap().split('"').next().unwrap().split('|').map(str::to_string).collect();
    (v[0].parse().unwrap(), v[1].parse().unwrap(), v[2].parse().unwrap(), v[3].clone())
}

/// A page as the browser prints it: the screen stylesheet left out and the print one applied
/// (for measuring in Chromium, whose `--dump-dom` lays pages out for the screen).
fn as_printed(html: &str) -> String {
    let screen = html.split("<link rel=\"stylesheet\"").nth(1).filter(|l| l.contains("style.css"));
    let html = match screen {
        Some(l) => html.replace(&format!("<link rel=\"stylesheet\"{}", &l[..=l.find('>').unwrap()]), ""),
        None => html.to_string(),
    };
    html.replace(" media=\"print\"", "")
}

/// Every printable page: the item pages (each prints as its sheet), the posters and the
/// contact board; not the retired items' tombstones, the bundles or the listings.
fn sheets(out: &Path) -> Vec<String> {
    let mut all = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
        let Some(dir) = rel.strip_suffix("index.html") else { continue };
        let item = dir.matches('/').count() >= 2 && ["n/", "p/", "v/", "s/", "m/", "d/", "k/"].iter().any(|k| dir.starts_with(k))
            || dir.starts_with("a/") && dir.matches('/').count() == 3
            || dir == "r/";
        let printed = dir.starts_with("print/b/") || dir == "print/contacts/";
        if (item
            && fs::read_to_string(e.path()).unwrap().contains("class=\"item")
            && !fs::read_to_string(e.path()).unwrap().contains("tombstone"))
            || printed
        {
            all.push(dir.to_string());
        }
    }
    all
}

/// The URL a sheet's QR code must carry: a poster's, its entrance page; the contact board's,
/// the home page; an item page's, its own.
fn url_of(sheet: &str) -> String {
    match sheet {
        "print/contacts/" => format!("{BASE}/"),
        s => format!("{BASE}/{}", s.strip_prefix("print/").unwrap_or(s)),
    }
}

fn code_on(html: &str) -> String {
    let after = html.split("校验码 <strong>").nth(1).expect("a verification code on the sheet");
    after.split("</strong>").next().unwrap().to_string()
}

fn title_of(html: &str) -> String {
    let t = html.split("<title>").nth(1).unwrap().split(" · ").next().unwrap();
    t.replace("&amp;", "&").replace("&quot;", "\"").chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_item_page_is_its_sheet_and_the_print_index_lists_them() {
    let (_tmp, out) = sample_site();
    let index = page(&out, "print/index.html");
    let all = sheets(&out);
    assert!(all.len() > 55, "{} sheets", all.len());
    for s in &all {
        assert!(index.contains(&format!("href=\"../{s}\"")), "/print/ does not link {s}");
    }
    // One page per item for screen and paper: no second page, no text file beside it.
    assert!(!out.join("print/n").exists() && !out.join("print/a").exists() && !out.join("wechat").exists());
    for e in fs::read_dir(out.join("b")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let id = e.file_name().to_string_lossy().into_owned();
        assert!(index.contains(&format!("href=\"../print/all/{id}/\"")), "/print/ does not link the bundle of {id}");
    }
    // Every notice's page carries its WeChat message (title, date, link, code), hidden in print.
    for e in fs::read_dir(out.join("n")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let id = e.file_name().to_string_lossy().into_owned();
        let html = page(&out, &format!("n/{id}/index.html"));
        if html.contains("tombstone") {
            continue;
        }
        let title = html.split("<h1>").nth(1).unwrap().split("</h1>").next().unwrap();
        let block = html.split("<section class=\"wechat no-print\">").nth(1).unwrap_or_else(|| panic!("{id}: no WeChat block"));
        let txt = block.split("<pre class=\"wechat-text\">").nth(1).unwrap().split("</pre>").next().unwrap();
        assert!(txt.starts_with(&format!("【湖畔花园】{title}\n")), "{id}: {txt}");
        assert!(txt.contains(&format!("详情：{BASE}/n/{id}/\n")), "{id}");
        assert!(txt.contains("日期：2026-") && txt.contains("校验码："), "{id}");
        assert!(html.contains("media=\"print\""), "{id}: the page has a print stylesheet");
    }
    let css = fs::read_to_string(out.join("assets/print.css")).unwrap();
    assert!(css.contains(".no-print{display:none}") || css.contains(",.no-print{display:none}"), "print.css hides what is not printed");
}

#[test]
#[cfg_attr(not(browser_tools), ignore = "needs chromium, zbar-tools, poppler-utils and imagemagick")]
fn every_sheet_prints_on_a4_and_its_qr_code_scans_back_to_its_page() {
    let bin = chromium();
    let (tmp, out) = sample_site();
    let pdfs = tmp.path().join("pdf");
    fs::create_dir_all(&pdfs).unwrap();
    let all = sheets(&out);
    assert!(all.len() > 55, "{} sheets", all.len());
    let failures = Mutex::new(Vec::<String>::new());
    let (continued, shorts, scanned) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let next = Mutex::new(all.iter());
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let Some(sheet) = next.lock().unwrap().next() else { break };
                let fail = |m: String| failures.lock().unwrap().push(format!("{sheet}: {m}"));
                let html_path = out.join(sheet).join("index.html");
                let html = fs::read_to_string(&html_path).unwrap();
                let pdf = pdfs.join(format!("{}.pdf", sheet.trim_end_matches('/').replace('/', "_")));
                print_pdf(bin, &html_path, &pdf);
                let n = pages(&pdf);
                let one_page = ["n/", "v/", "k/", "print/b/"].iter().any(|p| sheet.starts_with(p));
                if one_page && n != 1 {
                    fail(format!("{n} pages; notices, votes and posters must fit one"));
                }
                // A short ledger is one sheet; the scans of its vouchers and approvals are printed.
                let scans: Vec<&str> = html.split("<figure class=\"print-only scan\">").skip(1).collect();
                if html.contains("class=\"item statement sheet short\"") && scans.is_empty() {
                    shorts.fetch_add(1, Ordering::Relaxed);
                    if n != 1 {
                        fail(format!("a short ledger takes {n} pages"));
                    }
                }
                scanned.fetch_add(scans.len(), Ordering::Relaxed);
                let all_text: String = (1..=n).map(|p| text(&pdf, p)).collect();
                for scan in &scans {
                    let caption = scan.split("<figcaption>").nth(1).unwrap().split("</figcaption>").next().unwrap();
                    let caption: String = caption.chars().filter(|c| !c.is_whitespace()).collect();
                    if !all_text.contains(&caption) {
                        fail(format!("the scan `{caption}` is not on paper"));
                    }
                }
                // What every sheet carries.
                let first = text(&pdf, 1);
                let code = code_on(&html);
                for must in ["湖畔花园", "扫码查看最新版本", code.as_str(), "第1页/共"] {
                    if !first.contains(must) {
                        fail(format!("page 1 lacks `{must}`"));
                    }
                }
                let title = title_of(&html);
                if !first.contains(&title) {
                    fail(format!("page 1 lacks the title `{title}`"));
                }
                if !(first.contains("发布单位") && first.contains("公示期")) {
                    fail("issuer or posting period missing".into());
                }
                if n > 1 {
                    continued.fetch_add(1, Ordering::Relaxed);
                }
                for p in 1..=n {
                    let t = text(&pdf, p);
                    if !t.contains(&format!("第{p}页/共{n}页")) {
                        fail(format!("page {p} lacks 第{p}页/共{n}页"));
                    }
                    // A page that continues a sheet says at its head what it belongs to.
                    let head = format!("{title}·校验码{code}");
                    if p > 1 && !t.contains(&head) {
                        fail(format!("page {p} lacks the running head `{head}`"));
                    }
                    if p == 1 && t.contains(&head) {
                        fail("the first page repeats the running head over the sheet's own header".into());
                    }
                    // A statement's tables repeat their header on every page they continue on.
                    if sheet.starts_with("a/") && p > 1 && t.contains("¥") && !t.contains("凭证号") {
                        fail(format!("page {p} continues a table without its header"));
                    }
                }
                // The QR code scans to exactly the item's URL, and that page exists.
                let want = url_of(sheet);
                let got = decode(&pdf, 1, 150);
                if got != vec![want.clone()] {
                    fail(format!("QR decodes to {got:?}, expected {want}"));
                } else if !page_of(&out, &want).is_file() {
                    fail(format!("{want} has no page in public/"));
                }
                // What a phone camera sees on a wall: 100 dpi, blurred and turned 5°.
                if decode_degraded(&pdf, 100) != vec![want.clone()] {
                    fail("the QR code does not decode from a 100 dpi rendering blurred (0x1) and rotated 5°".into());
                }
                // The code on paper is the code online.
                let web = page_of(&out, &want);
                if !sheet.starts_with("print/b/") && sheet != "print/contacts/" {
                    let online = fs::read_to_string(&web).unwrap();
                    if !online.contains(&code) {
                        fail(format!("verification code {code} is not on {}", web.display()));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    assert!(continued.into_inner() >= 3, "the sample has sheets of more than one page, whose running heads are checked");
    assert!(shorts.into_inner() >= 1 && scanned.into_inner() >= 1, "the sample has a short ledger and printed scans");
}

#[test]
#[cfg_attr(not(browser_tools), ignore = "needs chromium, zbar-tools, poppler-utils and imagemagick")]
fn sheets_use_large_black_type_and_big_enough_qr_codes() {
    let bin = chromium();
    let (_tmp, out) = sample_site();
    for (sheet, min_qr) in [
        ("print/b/5-1/", 80.0),
        ("print/b/13/", 80.0),
        ("n/water-cut-5/", 40.0),
        ("a/public-income/2026-Q3/", 40.0),
        ("v/charging-points-2026/", 40.0),
        ("s/property-2026/", 40.0),
        ("r/", 40.0),
        ("m/roof-3/", 40.0),
        ("k/committee-2026-11/", 40.0),
        ("d/garden-2026/", 40.0),
        ("print/contacts/", 40.0),
    ] {
        let (qr, body, h1, colours) = measure(bin, &out.join(sheet).join("index.html"));
        assert!(qr >= min_qr, "{sheet}: QR code is {qr:.1} mm wide, needs {min_qr} mm");
        assert!(body >= 14.0, "{sheet}: body text {body} pt");
        assert!(h1 >= 24.0, "{sheet}: title {h1} pt");
        assert_eq!(colours, "rgb(0, 0, 0) on rgb(255, 255, 255)", "{sheet}");
    }
}

#[test]
#[cfg_attr(not(browser_tools), ignore = "needs chromium, zbar-tools, poppler-utils and imagemagick")]
fn a_building_bundle_prints_its_poster_and_everything_posted_for_it() {
    let bin = chromium();
    let (tmp, out) = sample_site();
    let rel = "print/all/5-1/";
    let html = page(&out, &format!("{rel}index.html"));
    let sections = html.matches("<section class=\"sheet").count() + html.matches("<article class=\"item").count();
    assert!(sections >= 3, "poster and at least two current items for 5-1, got {sections}");
    let pdf = tmp.path().join("bundle.pdf");
    print_pdf(bin, &out.join(rel).join("index.html"), &pdf);
    assert_eq!(pages(&pdf), sections, "one page per sheet");
    // Page 1 is the poster; each later page scans to a notice or vote that concerns 5-1 and is
    // posted today, as its entrance page says.
    assert_eq!(decode(&pdf, 1, 150), vec![format!("{BASE}/b/5-1/")]);
    let entrance = page(&out, "b/5-1/index.html");
    for p in 2..=sections {
        let urls = decode(&pdf, p, 150);
        assert_eq!(urls.len(), 1, "page {p}: {urls:?}");
        let path = urls[0].strip_prefix(BASE).unwrap();
        assert!(page_of(&out, &urls[0]).is_file());
        if path.starts_with("/n/") {
            assert!(entrance.contains(&format!("href=\"../..{path}\"")), "page {p}: {path} is not on the 5-1 page");
        }
        // Its foot names it and its code, not a page of the whole bundle (第 2 页 / 共 5 页).
        let item = page(&out, &format!("{}index.html", path.trim_start_matches('/')));
        let (title, code) = (title_of(&item), code_on(&item));
        let foot = text(&pdf, p);
        let compact: String = foot.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(compact.contains(&format!("{title}·校验码{code}")), "page {p} does not name {title} {code} at its foot:\n{foot}");
        assert!(!foot.contains(&format!("共 {sections} 页")), "page {p} is numbered across the bundle:\n{foot}");
    }
    let first: String = text(&pdf, 1).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(first.contains("5号楼1单元海报·校验码"), "{first}");
    // Look at it: target/screenshots/poster-5-1.png, a notice and a statement page.
    let shots = repo().join("target/screenshots");
    fs::create_dir_all(&shots).unwrap();
    for (name, sheet, page_no) in [
        ("poster-5-1", "print/b/5-1/", 1),
        ("notice-water-cut-5", "n/water-cut-5/", 1),
        ("statement-public-income-2026-Q3", "a/public-income/2026-Q3/", 2),
    ] {
        let pdf = tmp.path().join(format!("{name}.pdf"));
        print_pdf(bin, &out.join(sheet).join("index.html"), &pdf);
        run(Command::new("pdftoppm")
            .args(["-r", "60", "-f", &page_no.to_string(), "-l", &page_no.to_string(), "-singlefile", "-png"])
            .arg(&pdf)
            .arg(shots.join(name)));
    }
}
