//! The Atom feed of notices and the sitemap, written directly: their shape is fixed by
//! standards, not by the theme.

use super::escape::markup as xml_escape;
use super::views::NoticeCard;
use crate::site::Site;
use std::fmt::Write as _;

/// How many notices the feed carries; the archive has the rest.
pub const FEED_LEN: usize = 50;

/// One entry of the feed.
struct Entry<'a> {
    title: &'a str,
    href: String,
    date: String,
    issuer: &'a str,
    summary: String,
}

/// Atom feed of the newest notices, and of the matters at their latest step. Times are the
/// item's date at 00:00 China time, so the feed changes only when the items do.
pub fn atom(site: &Site, base_url: &str, cards: &[&NoticeCard<'_>], matters: &[crate::content::matter::Matter]) -> String {
    let mut entries: Vec<Entry<'_>> = cards
        .iter()
        .take(FEED_LEN)
        .map(|c| Entry { title: c.title, href: c.href.clone(), date: c.date.clone(), issuer: c.issuer, summary: c.summary.clone() })
        .collect();
    entries.extend(matters.iter().map(|m| Entry {
        title: &m.title,
        href: crate::address::matter(&m.id).href().to_string(),
        date: m.updated().to_string(),
        issuer: site.issuer_name(&m.issuer),
        summary: m.summary.clone().unwrap_or_default(),
    }));
    // Newest first; a stable sort keeps the notices' own order among equal dates.
    entries.sort_by(|a, b| b.date.cmp(&a.date));
    entries.truncate(FEED_LEN);
    let updated = entries.iter().map(|c| c.date.as_str()).max().unwrap_or("1970-01-01");
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{base_url}/</id>\n<link href=\"{base_url}/\"/>\n<link rel=\"self\" href=\"{base_url}/feed.xml\"/>\n<updated>{updated}T00:00:00+08:00</updated>\n",
        site.lang.code(),
        xml_escape(&site.name),
    );
    for c in &entries {
        let _ = write!(
            out,
            "<entry>\n<title>{}</title>\n<id>{base_url}/{}</id>\n<link href=\"{base_url}/{}\"/>\n<updated>{}T00:00:00+08:00</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(c.title),
            c.href,
            c.href,
            c.date,
            xml_escape(c.issuer),
            xml_escape(&c.summary),
        );
    }
    out.push_str("</feed>\n");
    out
}

/// Sitemap of every page (paths relative to the root, `""` for the home page).
pub fn sitemap(base_url: &str, paths: &[String]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in paths {
        let _ = writeln!(out, "<url><loc>{}/{}</loc></url>", xml_escape(base_url), xml_escape(p));
    }
    out.push_str("</urlset>\n");
    out
}
