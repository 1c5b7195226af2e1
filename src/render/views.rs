//! The small, typed view of each item that templates see: only what a page shows.

use super::markdown::{self, truncate_chars};
use crate::address;
use crate::content::notice::{Notice, PostingState};
use crate::content::page::Page;
use crate::content::{Content, Revision};
use crate::date::Date;
use crate::diagnostics::Lang;
use crate::site::{Place, Site};
use serde::Serialize;

/// A notice as listed anywhere (home, archive, entrance pages, feed).
#[derive(Debug, Serialize)]
pub struct NoticeCard<'a> {
    /// Id.
    pub id: &'a str,
    /// Link relative to the site root (`n/water/`).
    pub href: String,
    /// Title.
    pub title: &'a str,
    /// ISO date.
    pub date: String,
    /// Issuer's display name.
    pub issuer: &'a str,
    /// Category.
    pub category: Option<&'a str>,
    /// `current`, `upcoming`, `expired` or `none` (no posting period).
    pub state: &'static str,
    /// Posting period, ISO dates.
    pub posting: Option<PostingView>,
    /// Plain-language summary (written or taken from the first paragraph).
    pub summary: String,
    /// Pinned.
    pub pinned: bool,
    /// Draft (only built with `--drafts`).
    pub draft: bool,
    /// Names of the buildings and entrances concerned; empty for the whole community.
    pub scope: Vec<String>,
    /// 校验码.
    pub code: &'a str,
    /// Number of revisions.
    pub revision_count: usize,
}

/// A posting period for display.
#[derive(Debug, Serialize)]
pub struct PostingView {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Number of days, both ends included.
    pub days: i64,
}

/// A link to a building or entrance page.
#[derive(Debug, Serialize)]
pub struct PlaceLink {
    /// `b/5-1/`.
    pub href: String,
    /// `5号楼 1单元`.
    pub name: String,
}

impl PlaceLink {
    /// The link to `place`'s landing page.
    pub fn to(site: &Site, place: &Place) -> PlaceLink {
        PlaceLink { href: address::place(place).href().to_string(), name: site.place_name(place) }
    }
}

/// Everything the notice page needs.
pub struct NoticeView<'a> {
    /// The card.
    pub card: NoticeCard<'a>,
    /// Sanitised body.
    pub body_html: String,
    /// Revisions for display.
    pub revisions: &'a [Revision],
    /// Links to the entrance pages in scope.
    pub scope_links: Vec<PlaceLink>,
    notice: &'a Notice,
}

impl<'a> NoticeView<'a> {
    /// Renders the body and prepares the card.
    pub fn new(n: &'a Notice, site: &'a Site, today: Date) -> NoticeView<'a> {
        let own = address::notice(&n.id);
        let body = markdown::render(&n.body, &own.root());
        let summary = n.summary.clone().unwrap_or_else(|| truncate_chars(&body.first_paragraph, 120));
        let state = match n.state(today) {
            PostingState::Unbounded => "none",
            PostingState::Upcoming => "upcoming",
            PostingState::Current => "current",
            PostingState::Expired => "expired",
        };
        let card = NoticeCard {
            id: &n.id,
            href: own.href().to_string(),
            title: &n.title,
            date: n.date.to_string(),
            issuer: site.issuer_name(&n.issuer),
            category: n.category.as_deref(),
            state,
            posting: n.posting.map(|p| PostingView { from: p.from.to_string(), to: p.to.to_string(), days: p.days() }),
            summary,
            pinned: n.pinned,
            draft: n.draft,
            scope: n.scope.iter().map(|p| site.place_name(p)).collect(),
            code: n.code.as_str(),
            revision_count: n.revisions.len(),
        };
        let scope_links = n.scope.iter().map(|p| PlaceLink::to(site, p)).collect();
        NoticeView { card, body_html: body.html, revisions: &n.revisions, scope_links, notice: n }
    }

    /// The notice shown.
    pub fn notice(&self) -> &'a Notice {
        self.notice
    }

    /// The body as rendered for a page at another depth (a bundle's), its links to `static/`
    /// made from that page's `root`.
    pub fn body_at(&self, root: &str) -> String {
        markdown::render(&self.notice.body, root).html
    }
}

/// A free page as listed and shown.
#[derive(Debug, Serialize)]
pub struct PageCard<'a> {
    /// Id.
    pub id: &'a str,
    /// `p/rules/`.
    pub href: String,
    /// Title.
    pub title: &'a str,
    /// Issuer's display name.
    pub issuer: Option<&'a str>,
    /// ISO date.
    pub date: Option<String>,
    /// Summary.
    pub summary: String,
    /// 校验码.
    pub code: &'a str,
}

/// A file an item shows or links to, as its page lists it with its size and hash.
#[derive(Serialize)]
pub struct FileView {
    /// `static/docs/物业服务合同.pdf`, from the site's root.
    pub href: String,
    /// What the item calls it (a page's `title:`), else the file name.
    pub title: String,
    /// `1.2 MB`, `35 KB`.
    pub size: String,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// A path's file name.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl FileView {
    /// An attachment as an earlier version was published with it: its kept copy at `/files/`,
    /// under its file name then.
    pub fn kept(a: &crate::code::Attachment) -> FileView {
        FileView {
            href: crate::address::kept_file(a),
            title: file_name(&a.path).to_string(),
            size: size(a.bytes),
            sha256: a.sha256.clone(),
        }
    }

    /// The attachments of every item of `content`, by the `href` of the item's page.
    pub fn of_items(content: &crate::content::Content) -> std::collections::HashMap<String, Vec<FileView>> {
        let mut out = std::collections::HashMap::new();
        for i in content.items() {
            if i.attachments().is_empty() {
                continue;
            }
            let titles: &[crate::content::page::PageFile] = match i.kind() {
                crate::kind::Kind::Page => content.pages.iter().find(|p| p.id == i.id()).map(|p| p.files.as_slice()).unwrap_or_default(),
                _ => &[],
            };
            let files = i
                .attachments()
                .iter()
                .map(|a| FileView {
                    href: a.path.clone(),
                    title: titles.iter().find(|f| f.path == a.path).map_or_else(|| file_name(&a.path), |f| f.title.as_str()).to_string(),
                    size: size(a.bytes),
                    sha256: a.sha256.clone(),
                })
                .collect();
            out.insert(i.address().href().to_string(), files);
        }
        out
    }
}

/// A file size as people read it: `820 字节`-free, in KB below a megabyte, else MB with one
/// decimal (integer arithmetic, rounded up, so that a file never looks smaller than it is).
fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes < MB {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    } else {
        let tenths = (bytes * 10).div_ceil(MB);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// Everything the page view needs.
pub struct PageView<'a> {
    /// The card.
    pub card: PageCard<'a>,
    /// Sanitised body.
    pub body_html: String,
    /// Revisions.
    pub revisions: &'a [Revision],
}

impl<'a> PageView<'a> {
    /// Renders the body and prepares the card.
    pub fn new(p: &'a Page, site: &'a Site) -> PageView<'a> {
        let own = address::page(&p.id);
        let body = markdown::render(&p.body, &own.root());
        let summary = p.summary.clone().unwrap_or_else(|| truncate_chars(&body.first_paragraph, 120));
        let card = PageCard {
            id: &p.id,
            href: own.href().to_string(),
            title: &p.title,
            issuer: p.issuer.as_deref().map(|i| site.issuer_name(i)),
            date: p.date.map(|d| d.to_string()),
            summary,
            code: p.code.as_str(),
        };
        PageView { card, body_html: body.html, revisions: &p.revisions }
    }
}

/// A month of the archive.
#[derive(Serialize)]
pub struct Month<'c> {
    /// `2025-10`.
    pub key: String,
    /// `2025年10月`.
    pub label: String,
    /// Its notices, newest first.
    pub notices: Vec<NoticeLine<'c>>,
}

/// A notice as one line of a list (the archive, an entrance page's past notices): only what
/// `parts/line.html` shows, so that a list of 100,000 stays small.
#[derive(Serialize)]
pub struct NoticeLine<'c> {
    /// Link relative to the site root.
    pub href: &'c str,
    /// Title.
    pub title: &'c str,
    /// ISO date.
    pub date: &'c str,
    /// As in [`NoticeCard`].
    pub state: &'static str,
    /// Draft.
    pub draft: bool,
}

impl<'a> NoticeCard<'a> {
    /// The card as a line.
    pub fn line(&self) -> NoticeLine<'_> {
        NoticeLine { href: &self.href, title: self.title, date: &self.date, state: self.state, draft: self.draft }
    }
}

/// `2025年10月` or `October 2025`.
pub fn month_label(key: &str, lang: Lang) -> String {
    let (y, m) = key.split_once('-').unwrap_or((key, "1"));
    let m: usize = m.parse().unwrap_or(1);
    match lang {
        Lang::Zh => format!("{y}年{m}月"),
        Lang::En => {
            const NAMES: [&str; 12] =
                ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
            format!("{} {y}", NAMES[(m.clamp(1, 12)) - 1])
        }
    }
}

/// `2025年10月8日` or `8 Oct 2025`.
pub fn date_text(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.0.format("%-d %b %Y").to_string(),
    }
}

/// Buildings with their entrances, for the home page and `/b/`.
#[derive(Serialize)]
pub struct BuildingLink {
    /// `b/5/`.
    pub href: String,
    /// `5号楼`.
    pub name: String,
    /// Zone.
    pub zone: Option<String>,
    /// Entrances.
    pub entrances: Vec<PlaceLink>,
}

/// Every building with its entrances.
pub fn building_links(site: &Site) -> Vec<BuildingLink> {
    site.buildings
        .iter()
        .map(|b| BuildingLink {
            href: address::place(&Place::Building(b.id.clone())).href().to_string(),
            name: b.name.clone(),
            zone: b.zone.clone(),
            entrances: b.entrances.iter().map(|e| PlaceLink::to(site, &Place::Entrance(b.id.clone(), e.clone()))).collect(),
        })
        .collect()
}

/// The header of an entrance page.
#[derive(Serialize)]
pub struct PlaceView {
    /// `5-1`.
    pub id: String,
    /// `5号楼 1单元`.
    pub name: String,
    /// The building page, when this is an entrance.
    pub building: Option<PlaceLink>,
    /// The entrance pages, when this is a building.
    pub entrances: Vec<PlaceLink>,
}

/// The header of `place`'s landing page.
pub fn place_view(site: &Site, place: &Place) -> PlaceView {
    let entrances = match place {
        Place::Building(b) => site
            .buildings
            .iter()
            .filter(|x| &x.id == b)
            .flat_map(|x| x.entrances.iter().map(move |e| Place::Entrance(x.id.clone(), e.clone())))
            .map(|p| PlaceLink::to(site, &p))
            .collect(),
        Place::Entrance(..) => Vec::new(),
    };
    let building = match place {
        Place::Entrance(b, _) => Some(PlaceLink::to(site, &Place::Building(b.clone()))),
        Place::Building(_) => None,
    };
    PlaceView { id: place.id(), name: site.place_name(place), building, entrances }
}

/// Which notices each place's pages show, worked out once per build: every landing page,
/// poster and bundle then takes its notices from here instead of going through every notice
/// of the site (with 100,000 notices and dozens of entrances, that was millions of checks).
pub struct PlaceIndex {
    /// For each place of the site, the notices that concern it specifically, in the order of
    /// `content.notices`.
    here: std::collections::HashMap<Place, Vec<usize>>,
    /// The community-wide notices, in the same order.
    everywhere: Vec<usize>,
}

impl PlaceIndex {
    /// Indexes `content`'s notices by the places of its site.
    pub fn new(content: &Content) -> PlaceIndex {
        let places = content.site.places();
        let mut here: Vec<Vec<usize>> = vec![Vec::new(); places.len()];
        let mut everywhere = Vec::new();
        // The places of the site that each scope named so far concerns.
        let mut reach: std::collections::HashMap<&Place, Vec<usize>> = std::collections::HashMap::new();
        for (i, n) in content.notices.iter().enumerate() {
            if n.community_wide() {
                everywhere.push(i);
                continue;
            }
            for s in &n.scope {
                let of = reach.entry(s).or_insert_with(|| (0..places.len()).filter(|&p| s.concerns(&places[p])).collect());
                for &p in of.iter() {
                    // A notice scoped to a building and to one of its entrances is listed once.
                    if here[p].last() != Some(&i) {
                        here[p].push(i);
                    }
                }
            }
        }
        PlaceIndex { here: places.into_iter().zip(here).collect(), everywhere }
    }

    /// The notices of `place`'s landing page: those concerning it, then the community-wide
    /// ones, both in the order of `cards` (which follows `content.notices`, newest first).
    pub fn notices<'c, 'a>(&self, place: &Place, cards: &[&'c NoticeCard<'a>]) -> (Vec<&'c NoticeCard<'a>>, Vec<&'c NoticeCard<'a>>) {
        let pick = |ix: &[usize]| ix.iter().map(|&i| cards[i]).collect();
        (pick(self.here(place)), pick(&self.everywhere))
    }

    /// The positions in `content.notices` of the notices that concern `place` specifically,
    /// and of the community-wide ones.
    pub fn positions(&self, place: &Place) -> (&[usize], &[usize]) {
        (self.here(place), &self.everywhere)
    }

    /// The notices that concern `place` specifically.
    fn here(&self, place: &Place) -> &[usize] {
        self.here.get(place).map_or(&[], Vec::as_slice)
    }

    /// The positions in `content.notices` of every notice `place`'s bundle may print: those
    /// concerning it and the community-wide ones, in order.
    pub fn concerning(&self, place: &Place) -> Vec<usize> {
        let mut all = self.here(place).to_vec();
        all.extend_from_slice(&self.everywhere);
        all.sort_unstable();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{load, LoadOptions};

    /// The index gives each place of the sample community exactly the notices that concern
    /// it, once each and in order, as going through every notice would.
    #[test]
    fn the_place_index_lists_what_concerns_each_place_once_in_order() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let content = load(root, LoadOptions { drafts: false }).0.expect("the sample community loads");
        let index = PlaceIndex::new(&content);
        let places = content.site.places();
        assert!(places.contains(&Place::Entrance("13".into(), "1".into())), "the sample has entrances");
        for place in &places {
            let scanned: Vec<usize> = (0..content.notices.len()).filter(|&i| content.notices[i].concerns(place)).collect();
            let wide: Vec<usize> = (0..content.notices.len()).filter(|&i| content.notices[i].community_wide()).collect();
            assert_eq!(index.here.get(place).cloned().unwrap_or_default(), scanned, "{place:?}");
            assert_eq!(index.everywhere, wide);
            let mut both: Vec<usize> = scanned.iter().chain(&wide).copied().collect();
            both.sort_unstable();
            assert_eq!(index.concerning(place), both, "{place:?}");
        }
        // lift-renewal-13 names both entrances of building 13: the building lists it once.
        let lift = content.notices.iter().position(|n| n.id == "lift-renewal-13").expect("in the sample");
        let b13 = &index.here[&Place::Building("13".into())];
        assert_eq!(b13.iter().filter(|&&i| i == lift).count(), 1);
    }
}
