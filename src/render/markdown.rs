//! Markdown to safe HTML. Committees paste from Word and WeChat; whatever raw HTML comes with
//! it is sanitised, so a notice can never run a script on a resident's phone.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Plain text of the first paragraph, for summaries.
    pub first_paragraph: String,
}

/// Renders `md`; relative links and images (`static/…`) are made relative to the page via
/// `root` (e.g. `../../`), so the site works under any base path and from a folder.
pub fn render(md: &str, root: &str) -> Rendered {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_FOOTNOTES;
    let mut first_paragraph = String::new();
    let mut in_first = false;
    let mut seen_paragraph = false;
    // Whether the body needs the sanitiser: raw HTML, or a link or image to anything but the
    // web, mail, phone or a relative address.
    let mut needs_cleaning = false;
    // Inside a link or a code block, text stays as it is.
    let mut in_link = 0i32;
    let events = Parser::new_ext(md, opts).map(|ev| {
        match &ev {
            Event::Html(_) | Event::InlineHtml(_) => needs_cleaning = true,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) if !plainly_safe(dest_url) => needs_cleaning = true,
            _ => {}
        }
        match &ev {
            Event::Start(Tag::Paragraph) if !seen_paragraph => {
                in_first = true;
                seen_paragraph = true;
            }
            Event::End(TagEnd::Paragraph) => in_first = false,
            Event::Text(t) | Event::Code(t) if in_first => first_paragraph.push_str(t),
            Event::SoftBreak if in_first => first_paragraph.push(' '),
            _ => {}
        }
        match &ev {
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_)) => in_link += 1,
            Event::End(TagEnd::Link | TagEnd::CodeBlock) => in_link -= 1,
            _ => {}
        }
        match ev {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Link { link_type, dest_url: relink(dest_url, root), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Image { link_type, dest_url: relink(dest_url, root), title, id })
            }
            // A phone number in the text is tapped to call (the privacy check has already let
            // only public numbers through).
            Event::Text(t) if in_link == 0 && PHONE.is_match(&t) => Event::InlineHtml(CowStr::from(with_tel_links(&t))),
            other => other,
        }
    });
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, events);
    // Without raw HTML, every bit of markup is pulldown-cmark's own and every text and
    // attribute is escaped by it: such a body (most notices) skips the sanitiser's second
    // parse, and only gets the `rel` the sanitiser would add to its links.
    let html = if needs_cleaning {
        sanitizer().clean(&raw).to_string()
    } else {
        raw.replace("<a href=\"", "<a rel=\"noopener noreferrer\" href=\"")
    };
    Rendered { html, first_paragraph: first_paragraph.trim().to_string() }
}

/// A landline (`021-5781 0000`, `0571-88886666`), a service number (`400-820-8820`) or a
/// mobile (`13812345678`) as people write them.
static PHONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[^0-9])((?:0\d{2,3}[- ]?\d{3,4}[ -]?\d{4})|(?:[48]00[- ]?\d{3}[- ]?\d{4})|(?:1[3-9]\d{9}))(?:[^0-9]|$)")
        .unwrap()
});

/// `text` escaped, each phone number in it a `tel:` link.
fn with_tel_links(text: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for c in PHONE.captures_iter(text) {
        let m = c.get(1).unwrap();
        out.push_str(&escape(&text[last..m.start()]));
        let digits: String = m.as_str().chars().filter(|c| c.is_ascii_digit()).collect();
        out.push_str(&format!("<a class=\"phone\" href=\"tel:{digits}\">{}</a>", escape(m.as_str())));
        last = m.end();
    }
    out.push_str(&escape(&text[last..]));
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An address that cannot run anything: http(s), mailto or tel, or one with no scheme at all
/// (no colon) and no control characters or spaces a browser might strip to make one.
fn plainly_safe(url: &str) -> bool {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    !url.contains(':') || ["http://", "https://", "mailto:", "tel:"].iter().any(|s| lower.starts_with(s))
}

/// `static/x.jpg` → `../../static/x.jpg`; absolute URLs, anchors and `/…` stay as written.
fn relink<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    let s: &str = &url;
    let is_relative = !s.starts_with('/') && !s.starts_with('#') && !s.contains(':');
    // `static\img\停水.jpg`, as Windows writes a path, is `static/img/停水.jpg`.
    if is_relative && s.contains('\\') && s.replace('\\', "/").starts_with("static/") {
        CowStr::from(format!("{root}{}", s.replace('\\', "/")))
    } else if is_relative && s.starts_with("static/") {
        CowStr::from(format!("{root}{s}"))
    } else {
        url
    }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CELL: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Task lists render as disabled checkboxes; nothing else of <input> is allowed.
        b.add_tags(["input"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b.add_tag_attributes("td", ["style"]).add_tag_attributes("th", ["style"]);
        b.filter_style_properties(HashSet::from(["text-align"]));
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
        b.link_rel(Some("noopener noreferrer"));
        // A picture loads with the page: only from the site itself (a relative address), never
        // from another host (`https:`, `//host`, `\\host`).
        b.attribute_filter(|element, attribute, value| {
            let v = value.trim();
            let elsewhere = v.contains(':') || v.starts_with(['/', '\\']);
            (!(element == "img" && attribute == "src" && elsewhere)).then(|| value.into())
        });
        b
    })
}

/// Plain text cut to at most `max` characters, with an ellipsis when cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_and_first_paragraph() {
        let r = render("第一段 *强调*。\n第二行\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", &crate::address::notice("x").root());
        assert!(r.html.contains("<table>"));
        assert_eq!(r.first_paragraph, "第一段 强调。 第二行");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let r = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))\n\n<a href=\"data:text/html,x\">d</a>",
            "",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
    }

    #[test]
    fn only_bodies_without_raw_html_or_odd_links_skip_the_sanitiser() {
        // Plain Markdown: pulldown-cmark's output, with rel on links.
        let r = render(
            "见[附件](static/a.pdf)与[网站](https://example.org/)。\n\n<https://example.org/x>",
            &crate::address::notice("x").root(),
        );
        let root = crate::address::notice("x").root();
        assert!(r.html.contains(&format!("<a rel=\"noopener noreferrer\" href=\"{root}static/a.pdf\">附件</a>")), "{}", r.html);
        assert_eq!(r.html.matches("rel=\"noopener noreferrer\"").count(), 3, "{}", r.html);
        // Each of these goes through the sanitiser, which removes the dangerous part.
        for (md, bad) in [
            ("[x](javascript:alert(1))", "javascript:"),
            ("[x](JavaScript:alert(1))", "JavaScript:"),
            ("<javascript:alert(1)>", "href=\"javascript:"),
            ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data:"),
            ("[x](vbscript:msgbox)", "vbscript:"),
            ("a <b onclick=\"x()\">b</b>", "onclick"),
            ("<img src=x onerror=alert(1)>", "onerror"),
            ("[x](<java\tscript:alert(1)>)", "href=\"java\tscript"),
        ] {
            let r = render(md, "");
            assert!(!r.html.contains(bad), "{md} → {}", r.html);
        }
        assert!(!plainly_safe("java\nscript:alert(1)"));
        assert!(plainly_safe("static/a.jpg") && plainly_safe("HTTPS://x.cn/") && plainly_safe("tel:12345"));
        let html = render("物业电话 021-5781 0000，报修 400-820-8820。[链接 021-5781 0000](https://x.cn/)\n\n    021-5781 0000\n", "").html;
        assert!(html.contains("<a class=\"phone\" href=\"tel:02157810000\">021-5781 0000</a>"), "{html}");
        assert!(html.contains("href=\"tel:4008208820\""), "{html}");
        assert_eq!(html.matches("tel:").count(), 2, "not inside a link or code: {html}");
    }

    #[test]
    fn static_links_follow_the_page_depth() {
        let r = render("![图](static/a.jpg) [外链](https://example.org/x)", &crate::address::notice("x").root());
        let root = crate::address::notice("x").root();
        assert!(r.html.contains(&format!("src=\"{root}static/a.jpg\"")), "{}", r.html);
        assert!(r.html.contains("href=\"https://example.org/x\""), "{}", r.html);
    }
}
