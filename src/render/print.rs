//! What is printed for the notice boards beyond the item pages (each of which prints as its own
//! sheet): an entrance poster per building and entrance, a bundle per place of everything in
//! force there, the contact board, and `/print/` listing all of it for the secretary.
//!
//! A poster or the contact board is a fragment (`<section class="sheet">…`) of its template in
//! `print/`, wrapped in `print/doc.html`; a bundle wraps several fragments in one document: the
//! poster, then each notice and vote as its own page prints it (`items/<kind>.html`).

use super::views::{NoticeCard, NoticeView};
use super::votes::VoteView;
use super::{Plan, Renderer, Shared, Shows};
use crate::address::{self, Address};
use crate::diagnostics::Diagnostic;
use crate::site::Place;
use serde::Serialize;
use tera::Context;

/// How many current items an entrance poster lists before "more: scan the code".
const POSTER_ITEMS: usize = 5;

/// A line of `/print/`.
#[derive(Serialize)]
struct Link {
    href: String,
    title: String,
    note: String,
}

/// A kind's items on `/print/`.
#[derive(Serialize)]
struct Group {
    kind: &'static str,
    items: Vec<Link>,
}

pub(super) fn plan<'a>(r: &'a Renderer<'a>, x: &'a Shared<'a>, plan: &mut Plan<'a>) {
    let site = &r.content.site;
    for place in site.places() {
        let p = place.clone();
        plan.page(address::poster(&place), Shows::Place(place.clone()), move |at| {
            let f = poster(r, x, &p, at)?;
            doc(r, at, &site.place_name(&p), &[f])
        });
        let p = place.clone();
        plan.page(address::bundle(&place), Shows::Place(place), move |at| {
            let code_word = r.theme.t("code");
            let name = site.place_name(&p);
            let poster_foot = format!("{name} {} · {code_word} {}", r.theme.t("poster"), {
                let shown = crate::poster::posted(r.content, x.places, &p, r.opts.today);
                crate::poster::code(r.content, &p, &shown).code
            });
            let mut sheets = vec![poster(r, x, &p, at)?];
            let mut feet = vec![poster_foot];
            let (notices, votes) = bundle_items(r, x, &p);
            for n in notices {
                sheets.push(super::notices::sheet(r, n, at)?);
                feet.push(format!("{} · {code_word} {}", n.card.title, n.card.code));
            }
            for v in votes {
                sheets.push(super::votes::sheet(r, v, at)?);
                feet.push(format!("{} · {code_word} {}", v.title, v.code));
            }
            bundle(r, at, &format!("{name} {}", r.theme.t("bundle")), &sheets, &feet)
        });
    }
    plan.page(address::contacts_sheet(), Shows::Other, move |at| {
        let title = r.theme.t("contacts");
        let mut ctx = fragment_context(r, at, &address::home(), "kind_contacts", site.code.as_str());
        ctx.insert("contacts", &site.contacts);
        ctx.insert("issuer", &site.bodies.first().map(|b| b.name.as_str()));
        ctx.insert("date", &r.opts.today.to_string());
        let f = r.render_text("print/contacts.html", &ctx, &at.file())?;
        doc(r, at, title, &[f])
    });
    plan.page(address::print_index(), Shows::Listings, move |at| index(r, x, at));
}

/// A sheet's context in a document at `at`, for the page at `of`.
fn fragment_context(r: &Renderer<'_>, at: &Address, of: &Address, kind: &str, code: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("root", &at.root());
    ctx.insert("to", &r.to);
    ctx.insert("lang", r.content.site.lang.code());
    r.sheet(&mut ctx, of, kind, code);
    ctx
}

/// A whole printable document made of `sheets`.
fn doc(r: &Renderer<'_>, at: &Address, title: &str, sheets: &[String]) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.base(at, title);
    ctx.insert("sheets", sheets);
    r.page(at, "print/doc.html", &ctx)
}

/// A bundle: several items in one document, each on pages of its own (a CSS named page) whose
/// foot names that item and its code, instead of numbering the pages of the whole bundle — a
/// one-page notice must not say 第 2 页 / 共 5 页 on the board.
fn bundle(r: &Renderer<'_>, at: &Address, title: &str, sheets: &[String], feet: &[String]) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct Part<'a> {
        html: &'a str,
        /// The foot as a CSS string's contents (quotes, backslashes and `<` escaped).
        foot: String,
    }
    let parts: Vec<Part<'_>> = sheets.iter().zip(feet).map(|(html, foot)| Part { html, foot: super::escape::css_string(foot) }).collect();
    let mut ctx = r.base(at, title);
    ctx.insert("parts", &parts);
    r.page(at, "print/doc.html", &ctx)
}

/// The entrance poster of `place`: a large QR code of its landing page, what is posted there
/// now and the contacts.
fn poster(r: &Renderer<'_>, x: &Shared<'_>, place: &Place, at: &Address) -> Result<String, Diagnostic> {
    let site = &r.content.site;
    let shown = crate::poster::posted(r.content, x.places, place, r.opts.today);
    let own = crate::poster::code(r.content, place, &shown);
    let mut ctx = fragment_context(r, at, &address::place(place), "kind_poster", &own.code);
    let mut posted: Vec<&NoticeCard<'_>> = shown.iter().map(|&i| x.cards[i]).collect();
    let more = posted.len().saturating_sub(POSTER_ITEMS);
    posted.truncate(POSTER_ITEMS);
    ctx.insert("place", &super::views::place_view(site, place));
    ctx.insert("posted", &posted);
    ctx.insert("more", &more);
    let until = crate::poster::good_until(r.content, x.places, place, &shown, r.opts.today);
    ctx.insert("good_until", &until.map(|d| d.to_string()));
    ctx.insert("contacts", &site.contacts);
    ctx.insert("issuer", &site.bodies.first().map(|b| b.name.as_str()));
    ctx.insert("date", &r.opts.today.to_string());
    ctx.insert("log_head", &super::board::log_head(x));
    r.render_text("print/poster.html", &ctx, &at.file())
}

/// The items a place's bundle prints after its poster: the notices and votes in their posting
/// period that concern it.
fn bundle_items<'v>(r: &Renderer<'_>, x: &Shared<'v>, place: &Place) -> (Vec<&'v NoticeView<'v>>, Vec<&'v VoteView<'v>>) {
    let notices = x.notices;
    let n = x
        .places
        .concerning(place)
        .into_iter()
        .map(|i| &notices[i])
        .filter(|v| v.card.state == "current" || (v.card.pinned && v.card.state != "expired"))
        .collect();
    let today = r.opts.today;
    let vs = x
        .votes
        .iter()
        .zip(&r.content.votes)
        .filter(|(_, v)| v.posting.is_some_and(|p| p.from <= today && today <= p.to))
        .filter(|(_, v)| v.scope.is_empty() || v.scope.iter().any(|s| s.concerns(place)))
        .map(|(view, _)| view)
        .collect();
    (n, vs)
}

/// `/print/`: every poster and bundle, the contact board, and every item page by kind (each
/// prints as its sheet from the browser).
fn index(r: &Renderer<'_>, x: &Shared<'_>, at: &Address) -> Result<Vec<u8>, Diagnostic> {
    let site = &r.content.site;
    let mut ctx = r.base(at, r.theme.t("print_all"));
    let link = |href: &str, title: String, note: String| Link { href: href.to_string(), title, note };
    let places: Vec<(Link, Link)> = site
        .places()
        .iter()
        .map(|p| {
            let (n, v) = bundle_items(r, x, p);
            let name = site.place_name(p);
            let count = 1 + n.len() + v.len();
            (link(address::poster(p).href(), name.clone(), String::new()), link(address::bundle(p).href(), name, format!("{count}")))
        })
        .collect();
    ctx.insert("places", &places);
    let mut groups: Vec<Group> = Vec::new();
    for item in r.content.items() {
        let kind = item.kind();
        let at = item.address();
        let note = match kind {
            crate::kind::Kind::Requests => String::new(),
            _ => item.id(),
        };
        let title = match kind {
            crate::kind::Kind::Requests => r.theme.t("performance").to_string(),
            _ => item.title(site),
        };
        let label = if site.lang == crate::diagnostics::Lang::En { kind.en() } else { kind.zh() };
        match groups.last_mut() {
            Some(g) if g.kind == label => {
                // The request logs of every period share one page: listed once.
                if g.items.last().is_none_or(|l| l.href != at.href()) {
                    g.items.push(link(at.href(), title, note));
                }
            }
            _ => groups.push(Group { kind: label, items: vec![link(at.href(), title, note)] }),
        }
    }
    ctx.insert("groups", &groups);
    r.page(at, "print/index.html", &ctx)
}
