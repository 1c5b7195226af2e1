//! The Atom feed of notices and the sitemap, written directly: their shape is fixed by
//! standards, not by the theme.

use super::escape::markup as xml_escape;
use super::views::NoticeCard;
use crate::site::Site;
use std::fmt::Write as _;

/// How many notices the feed carries; the archive has the rest.
pub const FEED_LEN: usize = 50;

/// Atom feed of the newest notices. Times are the notice's date at 00:00 China time, so the
/// feed changes only when the notices do.
pub fn atom(site: &Site, base_url: &str, cards: &[&NoticeCard<'_>]) -> String {
    let updated = cards.iter().map(|c| c.date.as_str()).max().unwrap_or("1970-01-01");
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{base_url}/</id>\n<link href=\"{base_url}/\"/>\n<link rel=\"self\" href=\"{base_url}/feed.xml\"/>\n<updated>{updated}T00:00:00+08:00</updated>\n",
        site.lang.code(),
        xml_escape(&site.name),
    );
    for c in cards.iter().take(FEED_LEN) {
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
