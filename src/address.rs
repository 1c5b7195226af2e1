//! Every address of the site, in one place. A page's address is printed on paper as a QR code
//! and typed in by residents, so each one is spelled here once: links, QR payloads, manifest
//! URLs, the sitemap and the output paths all come from these functions. The way back to the
//! site root from a page is derived from the page's depth, never written out by hand.

use crate::site::Place;
use serde::Serialize;
use std::fmt;

/// The folder of one page of the site, relative to the site root, with a trailing slash
/// (`n/water-cut-5/`), or empty for the home page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Address(String);

impl Address {
    fn of(parts: &[&str]) -> Address {
        let mut s = String::new();
        for p in parts {
            s.push_str(p);
            s.push('/');
        }
        Address(s)
    }

    /// The address relative to the site root: what a link writes after `root`.
    pub fn href(&self) -> &str {
        &self.0
    }

    /// The file that holds the page, relative to the output folder.
    pub fn file(&self) -> String {
        format!("{}index.html", self.0)
    }

    /// How many folders deep the page is.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The way back to the site root from this page (`../../` for `n/<id>/`), so that the
    /// site works under any base path and opened from a folder.
    pub fn root(&self) -> String {
        up(self.depth())
    }

    /// The page's absolute address under `base_url` (which has no trailing slash): what a QR
    /// code encodes.
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}/{}", self.0)
    }

    /// The address of a page at `href` (relative to the root, as [`Address::href`] gives it).
    pub fn from_href(href: &str) -> Address {
        Address(href.to_string())
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The relative way up `depth` folders: `..` once per folder, each followed by a slash.
pub fn up(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 3);
    for _ in 0..depth {
        s.push_str("..");
        s.push('/');
    }
    s
}

/// `/`: the community board.
pub fn home() -> Address {
    Address::of(&[])
}

/// `/n/`: every notice by month.
pub fn archive() -> Address {
    Address::of(&["n"])
}

/// `/n/<id>/`.
pub fn notice(id: &str) -> Address {
    Address::of(&["n", id])
}

/// `/p/<id>/`.
pub fn page(id: &str) -> Address {
    Address::of(&["p", id])
}

/// `/b/`: every building.
pub fn buildings() -> Address {
    Address::of(&["b"])
}

/// `/b/<building>/` or `/b/<building>-<entrance>/`: the QR landing page of a place.
pub fn place(p: &Place) -> Address {
    Address::of(&["b", &p.id()])
}

/// `/a/`: the funds overview.
pub fn accounts() -> Address {
    Address::of(&["a"])
}

/// `/a/<fund>/`: a fund's history.
pub fn fund(fund: &str) -> Address {
    Address::of(&["a", fund])
}

/// `/a/<fund>/<period>/`: one statement.
pub fn statement(fund: &str, period: &str) -> Address {
    Address::of(&["a", fund, period])
}

/// `/r/`: 履行情况, from the request logs of every period.
pub fn requests() -> Address {
    Address::of(&["r"])
}

/// `/s/<id>/`.
pub fn standards(id: &str) -> Address {
    Address::of(&["s", id])
}

/// `/v/<id>/`.
pub fn vote(id: &str) -> Address {
    Address::of(&["v", id])
}

/// `/print/`: every sheet, poster and bundle, for the secretary.
pub fn print_index() -> Address {
    Address::of(&["print"])
}

/// `/print/b/<id>/`: the entrance poster of a place.
pub fn poster(p: &Place) -> Address {
    Address::of(&["print", "b", &p.id()])
}

/// `/print/all/<id>/`: everything in force at a place, in one printable document.
pub fn bundle(p: &Place) -> Address {
    Address::of(&["print", "all", &p.id()])
}

/// `/m/<id>/`: a matter (事项).
pub fn matter(id: &str) -> Address {
    Address::of(&["m", id])
}

/// `/data/matters/<id>.json`, and `/data/matters/<id>-allocation.csv` for its shares.
pub fn matter_data(id: &str, ext: &str) -> String {
    match ext {
        "csv" => format!("data/matters/{id}-allocation.csv"),
        _ => format!("data/matters/{id}.{ext}"),
    }
}

/// `/d/<id>/`: a donation register (捐款 / 众筹).
pub fn donation(id: &str) -> Address {
    Address::of(&["d", id])
}

/// `/data/donations/<id>.json` and `.csv` (one row per gift, one per spending line).
pub fn donation_data(id: &str, ext: &str) -> String {
    format!("data/donations/{id}.{ext}")
}

/// `/k/<id>/`: the minutes of a meeting (会议纪要).
pub fn minutes(id: &str) -> Address {
    Address::of(&["k", id])
}

/// `/<kind>/<id>/v<n>/`: version `n` of an item as it was published (a request log's period:
/// `/r/<period>/v<n>/`, the periods sharing `/r/`).
pub fn version(kind: crate::kind::Kind, id: &str, n: usize) -> Address {
    let v = format!("v{n}");
    match kind {
        crate::kind::Kind::Requests => Address::of(&["r", id, &v]),
        _ => Address(format!("{}{v}/", kind.address(id).href())),
    }
}

/// `/c/<code>/`: what a verification code typed in from paper is.
pub fn code(code: &str) -> Address {
    Address::of(&["c", code])
}

/// `/files/<sha256>.<ext>`: an attachment as an earlier version was published with it, from
/// `content/history/files/` (the current version links the file under `static/`).
pub fn kept_file(a: &crate::code::Attachment) -> String {
    format!("files/{}", a.kept_name())
}

/// `/c/`: every verification code ever published.
pub fn codes() -> Address {
    Address::of(&["c"])
}

/// `/gongkai/`: the disclosure duties (公开目录).
pub fn gongkai() -> Address {
    Address::of(&["gongkai"])
}

/// `/print/contacts/`: the contact board.
pub fn contacts_sheet() -> Address {
    Address::of(&["print", "contacts"])
}

/// The not-found page, served at any depth (so its links are absolute).
pub const NOT_FOUND: &str = "404.html";

/// The Atom feed of notices.
pub const FEED: &str = "feed.xml";

/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";

/// `/data/manifest.json`.
pub const MANIFEST: &str = "data/manifest.json";

/// `/data/log.json`: the publishing log.
pub const LOG: &str = "data/log.json";

/// `/data/accounts/<fund>/<period>.<ext>`: one statement's open data.
pub fn statement_data(fund: &str, period: &str, ext: &str) -> String {
    format!("data/accounts/{fund}/{period}.{ext}")
}

/// `/data/accounts.csv`: every line of every statement.
pub const ALL_ACCOUNTS_CSV: &str = "data/accounts.csv";

/// `/data/requests/summary.json`.
pub const REQUESTS_SUMMARY: &str = "data/requests/summary.json";

/// `/data/datapackage.json`: the Frictionless Tabular Data Package of every CSV.
pub const DATAPACKAGE: &str = "data/datapackage.json";

/// `/data/requests.csv`.
pub const REQUESTS_CSV: &str = "data/requests.csv";

/// `/data/votes/<id>.json`.
pub fn vote_data(id: &str) -> String {
    format!("data/votes/{id}.json")
}

/// `/assets/<name>`: the theme's stylesheets.
pub fn asset(name: &str) -> String {
    format!("assets/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_follows_the_depth_of_the_page() {
        let up = |n: usize| [".."].repeat(n).iter().map(|s| format!("{s}/")).collect::<String>();
        assert_eq!(up(2), ["..", "..", ""].join("/"));
        assert_eq!(home().root(), "");
        assert_eq!(archive().root(), up(1));
        assert_eq!(notice("water-cut-5").root(), up(2));
        assert_eq!(statement("public-income", "2026-Q3").root(), up(3));
        assert_eq!(bundle(&Place::Entrance("5".into(), "1".into())).root(), up(3));
    }

    #[test]
    fn addresses_are_spelled_once() {
        assert_eq!(notice("water-cut-5").href(), "n/water-cut-5/");
        assert_eq!(notice("water-cut-5").file(), "n/water-cut-5/index.html");
        assert_eq!(place(&Place::Entrance("5".into(), "1".into())).href(), "b/5-1/");
        assert_eq!(poster(&Place::Building("13".into())).url("https://x.cn"), "https://x.cn/print/b/13/");
        assert_eq!(home().url("https://x.cn"), "https://x.cn/");
        assert_eq!(requests().file(), "r/index.html");
    }
}
