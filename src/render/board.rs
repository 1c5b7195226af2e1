//! The community's own pages: the home page (the board), the buildings, the QR landing page of
//! each building and entrance, the not-found page, the tombstones of retired items and the
//! manifest of everything published.

use super::views::{self, NoticeCard};
use super::{Plan, Renderer, Shared, Shows};
use crate::address;
use crate::site::Place;

/// How many past notices an entrance page lists in each of its two lists.
const PLACE_PAST: usize = 20;

/// How many notices without a posting period an entrance page lists among the current ones
/// (newest first), as the home page lists its ten latest; older ones are past notices.
const PLACE_STANDING: usize = 10;

/// Splits notices (newest first) into those an entrance page shows as current — pinned, being
/// posted or about to be, and the [`PLACE_STANDING`] latest without a posting period — and the
/// past ones.
fn now_and_past<'c, 'a>(cards: Vec<&'c NoticeCard<'a>>) -> (Vec<&'c NoticeCard<'a>>, Vec<&'c NoticeCard<'a>>) {
    let mut standing = 0;
    cards.into_iter().partition(|c| match c.state {
        "expired" => false,
        "none" if !c.pinned => {
            standing += 1;
            standing <= PLACE_STANDING
        }
        _ => true,
    })
}

pub(super) fn plan<'a>(r: &'a Renderer<'a>, x: &'a Shared<'a>, plan: &mut Plan<'a>) {
    let site = &r.content.site;
    plan.page(address::home(), Shows::Listings, move |at| home(r, x, at));
    plan.page(address::buildings(), Shows::Other, move |at| {
        let mut ctx = r.base(at, r.theme.t("buildings"));
        ctx.insert("buildings", &views::building_links(site));
        ctx.insert("contacts", &site.contacts);
        r.page(at, "buildings.html", &ctx)
    });
    plan.file(address::NOT_FOUND.into(), Shows::Other, move || {
        // Served at any depth, so its links are absolute.
        let mut ctx = r.base(&address::home(), r.theme.t("not_found"));
        ctx.insert("root", &address::home().url(&r.opts.base_url));
        ctx.insert("canonical", &format!("{}/{}", r.opts.base_url, address::NOT_FOUND));
        ctx.insert("contacts", &site.contacts);
        // Its style travels inside it: a stylesheet link would be right at one depth only.
        let css = r.theme.assets.iter().find(|(n, _)| n == "style.css").map(|(_, b)| String::from_utf8_lossy(b).into_owned());
        ctx.insert("inline_css", &css);
        r.render_bytes("404.html", &ctx, address::NOT_FOUND)
    });
    for place in site.places() {
        plan.page(address::place(&place), Shows::Place(place.clone()), move |at| entrance(r, x, &place, at));
    }
    let Shared { published: super::Published { items, lock }, .. } = x;
    let taken: std::collections::HashSet<&address::Address> = items.iter().map(|i| &i.url).collect();
    for e in lock.entries.iter().filter(|e| e.retired.is_some() && !taken.contains(&e.url())) {
        plan.page(e.url(), Shows::Other, move |at| {
            let mut ctx = r.base(at, &e.title);
            ctx.insert("e", e);
            ctx.insert("kind", e.kind.zh());
            r.page(at, "tombstone.html", &ctx)
        });
    }
    plan.file(
        address::MANIFEST.into(),
        Shows::Listings,
        move || Ok(super::manifest::json(items, lock, r.history, &r.opts.base_url).into()),
    );
    plan.file(address::LOG.into(), Shows::Other, move || Ok(lock.log.to_json().into()));
}

/// `/`: the community board.
fn home(r: &Renderer<'_>, x: &Shared<'_>, at: &address::Address) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
    let site = &r.content.site;
    let cards = x.cards;
    let mut ctx = r.base(at, r.theme.t("home"));
    let pinned: Vec<_> = cards.iter().filter(|c| c.pinned && c.state != "expired").collect();
    let current: Vec<_> = cards.iter().filter(|c| !c.pinned && c.state == "current").collect();
    let recent: Vec<_> = cards.iter().filter(|c| !(c.pinned && c.state != "expired") && c.state != "current").take(10).collect();
    ctx.insert("pinned", &pinned);
    ctx.insert("current", &current);
    ctx.insert("recent", &recent);
    ctx.insert("buildings", &views::building_links(site));
    ctx.insert("pages", &x.pages.iter().map(|p| &p.card).collect::<Vec<_>>());
    ctx.insert("contacts", &site.contacts);
    ctx.insert("notice_count", &cards.len());
    ctx.insert("funds", x.balances);
    ctx.insert("standards", x.standards);
    ctx.insert("perf_tiers", &x.performance.tiers);
    ctx.insert("perf_as_of", &x.performance.as_of);
    ctx.insert("votes", &x.votes.iter().take(5).collect::<Vec<_>>());
    ctx.insert("matters", &x.matters.iter().filter(|m| !m.done).collect::<Vec<_>>());
    ctx.insert("donations", &x.donations.iter().take(3).collect::<Vec<_>>());
    ctx.insert("duties_summary", &super::duties::summary(x.duties));
    ctx.insert(
        "duties_late",
        &x.duties.iter().any(|s| matches!(s.state, crate::duties::State::Overdue { .. } | crate::duties::State::Never)),
    );
    ctx.insert("minutes", &x.minutes.iter().take(3).collect::<Vec<_>>());
    ctx.insert("log_head", &log_head(x));
    r.page(at, "index.html", &ctx)
}

/// `/b/<id>/`: what a resident sees after scanning the code at the entrance.
fn entrance(r: &Renderer<'_>, x: &Shared<'_>, place: &Place, at: &address::Address) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
    let site = &r.content.site;
    let mut ctx = r.base(at, &site.place_name(place));
    let (here, everywhere) = x.places.notices(place, x.cards);
    let (here_now, here_past) = now_and_past(here);
    let (mut all_now, all_past) = now_and_past(everywhere);
    all_now.sort_by_key(|c| !c.pinned);
    ctx.insert("place", &views::place_view(site, place));
    ctx.insert("here_now", &here_now);
    ctx.insert("matters", &super::matters::for_place(x.matters, &r.content.matters, place));
    ctx.insert("donations", &super::donations::for_place(x.donations, &r.content.donations, place));
    // An entrance page is read on a phone at the door: the latest past notices, and the
    // archive for the rest.
    ctx.insert("here_past_count", &here_past.len());
    ctx.insert("here_past", &here_past.iter().take(PLACE_PAST).map(|c| c.line()).collect::<Vec<_>>());
    ctx.insert("all_now", &all_now);
    ctx.insert("all_past_count", &all_past.len());
    ctx.insert("all_past", &all_past.iter().take(PLACE_PAST).map(|c| c.line()).collect::<Vec<_>>());
    ctx.insert("contacts", &site.contacts);
    ctx.insert("today", &r.opts.today.to_string());
    ctx.insert("funds", x.balances);
    ctx.insert("poster", address::poster(place).href());
    ctx.insert("bundle", address::bundle(place).href());
    r.page(at, "place.html", &ctx)
}

/// The latest publication's number and the first 12 characters of its hash, for the home page
/// and the posters: whoever notes them down can later check that the log was not rewritten.
pub(super) fn log_head(x: &Shared<'_>) -> Option<(u64, String)> {
    x.published.lock.log.head().map(|(seq, hash)| (seq, hash[..12].to_string()))
}
