//! Printable A4 sheets (`/print/…`): one per item, an entrance poster per building and
//! entrance, a contact board, per-building bundles and `/print/` listing them all; and the
//! plain-text WeChat messages (`/wechat/n/<id>.txt`).
//!
//! Every sheet is first rendered as a fragment (`<section class="sheet">…`) by its template in
//! `print/`, then wrapped in `print/doc.html`; a bundle wraps several fragments in one document.
//! Every sheet's QR code encodes the absolute URL of the item's web page.

use super::services::StandardsView;
use super::views::{NoticeCard, NoticeView, PageView, PostingView};
use super::votes::VoteView;
use super::{Renderer, Shared};
use crate::content::ledger::Ledger;
use crate::diagnostics::{Diagnostic, Lang};
use crate::output::Put;
use crate::site::Place;
use serde::Serialize;
use std::sync::Arc;
use tera::Context;

/// Every sheet and sheet-like page.
pub(super) enum PrintJob<'a> {
    Notice(&'a NoticeView<'a>),
    Page(&'a PageView<'a>),
    Statement(&'a Ledger),
    Standards(&'a StandardsView<'a>),
    Requests,
    Vote(&'a VoteView<'a>),
    Poster(Place),
    Bundle(Place),
    Contacts,
    Index,
}

/// What the top of every sheet shows.
#[derive(Serialize)]
struct SheetHead<'a> {
    community: &'a str,
    kind: String,
    title: String,
    issuer: Option<&'a str>,
    date: Option<String>,
    posting: Option<&'a PostingView>,
    code: String,
    url: String,
    #[serde(serialize_with = "as_str")]
    qr: Arc<str>,
}

fn as_str<S: serde::Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

/// Listing of `/print/`.
#[derive(Serialize)]
struct Link {
    href: String,
    title: String,
    note: String,
}

impl<'a> Renderer<'a> {
    fn head(&self, kind: &str, title: &str, path: &str, code: &str) -> SheetHead<'a> {
        let url = format!("{}/{}", self.opts.base_url, path);
        SheetHead {
            community: &self.content.site.name,
            kind: self.theme.t(kind).to_string(),
            title: title.to_string(),
            issuer: None,
            date: None,
            posting: None,
            code: code.to_string(),
            qr: self.qr.svg(&url),
            url,
        }
    }

    /// A fragment: one sheet's `<section>`.
    fn fragment(&self, template: &str, root: &str, head: &SheetHead<'_>, fill: impl FnOnce(&mut Context)) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("root", root);
        ctx.insert("sheet", head);
        ctx.insert("lang", self.content.site.lang.code());
        fill(&mut ctx);
        self.render_template(template, &ctx, template)
    }

    /// A whole printable document made of `sheets`.
    fn doc(&self, path: &str, root: &str, title: &str, sheets: &[String]) -> Result<Put, Diagnostic> {
        let mut ctx = self.base(path.trim_end_matches("index.html"), root, title);
        ctx.insert("sheets", sheets);
        self.page(path, "print/doc.html", &ctx)
    }

    fn notice_fragment(&self, v: &NoticeView<'_>, root: &str) -> Result<String, Diagnostic> {
        let c = &v.card;
        let mut head = self.head("kind_notice", c.title, &c.href, c.code);
        head.issuer = Some(c.issuer);
        head.date = Some(c.date.clone());
        head.posting = c.posting.as_ref();
        let body = deeper(&v.body_html, root);
        self.fragment("print/notice.html", root, &head, |ctx| {
            ctx.insert("n", c);
            ctx.insert("body", &body);
            ctx.insert("revisions", v.revisions);
        })
    }

    fn vote_fragment(&self, v: &VoteView<'_>, root: &str) -> Result<String, Diagnostic> {
        let mut head = self.head("kind_vote", v.title, &v.href, v.code);
        head.issuer = Some(v.issuer);
        head.date = Some(v.date.clone());
        head.posting = v.posting.as_ref();
        self.fragment("print/vote.html", root, &head, |ctx| ctx.insert("v", v))
    }

    fn poster_fragment(&self, place: &Place, x: &Shared<'_>, root: &str) -> Result<String, Diagnostic> {
        let site = &self.content.site;
        let name = site.place_name(place);
        let path = format!("b/{}/", place.id());
        let mut head = self.head("kind_poster", &name, &path, site.code.as_str());
        head.issuer = site.bodies.first().map(|b| b.name.as_str());
        head.date = Some(self.opts.today.to_string());
        let (here, everywhere) = x.places.notices(place, x.cards);
        let now = |c: &&&NoticeCard<'_>| c.state == "current" || (c.pinned && c.state != "expired");
        let mut posted: Vec<&NoticeCard<'_>> = here.iter().filter(now).copied().collect();
        posted.extend(everywhere.iter().filter(now).copied());
        let more = posted.len().saturating_sub(POSTER_ITEMS);
        posted.truncate(POSTER_ITEMS);
        self.fragment("print/poster.html", root, &head, |ctx| {
            ctx.insert("place", &super::views::place_view(site, place));
            ctx.insert("posted", &posted);
            ctx.insert("more", &more);
            ctx.insert("contacts", &site.contacts);
        })
    }

    /// The items a building's bundle prints after its poster: the notices and votes in their
    /// posting period that concern it.
    fn bundle_items<'v>(&self, place: &Place, x: &Shared<'v>) -> (Vec<&'v NoticeView<'v>>, Vec<&'v VoteView<'v>>) {
        let (notices, votes) = (x.notices, x.votes);
        let n = x
            .places
            .concerning(place)
            .into_iter()
            .map(|i| &notices[i])
            .filter(|v| v.card.state == "current" || (v.card.pinned && v.card.state != "expired"))
            .collect();
        let today = self.opts.today;
        let vs = votes
            .iter()
            .zip(&self.content.votes)
            .filter(|(_, v)| v.posting.is_some_and(|p| p.from <= today && today <= p.to))
            .filter(|(_, v)| v.scope.is_empty() || v.scope.iter().any(|s| s.concerns(place)))
            .map(|(view, _)| view)
            .collect();
        (n, vs)
    }

    pub(super) fn render_print(&self, job: &PrintJob<'_>, path: &str, x: &Shared<'_>) -> Result<Put, Diagnostic> {
        let site = &self.content.site;
        let r3 = "../../../";
        match job {
            PrintJob::Notice(v) => {
                let f = self.notice_fragment(v, r3)?;
                self.doc(path, r3, v.card.title, &[f])
            }
            PrintJob::Page(v) => {
                let c = &v.card;
                let mut head = self.head("kind_page", c.title, &c.href, c.code);
                head.issuer = c.issuer;
                head.date = c.date.clone();
                let body = deeper(&v.body_html, r3);
                let f = self.fragment("print/page.html", r3, &head, |ctx| {
                    ctx.insert("p", c);
                    ctx.insert("body", &body);
                    ctx.insert("revisions", v.revisions);
                })?;
                self.doc(path, r3, c.title, &[f])
            }
            PrintJob::Statement(l) => {
                let web = format!("a/{}/{}/", l.fund, l.period.key);
                let root = "../../../../";
                let view = super::accounts::statement(l, site);
                let title = format!(
                    "{} {}",
                    site.funds.iter().find(|f| f.id == l.fund).map_or(l.fund.as_str(), |f| f.name.as_str()),
                    l.period.label_zh()
                );
                let mut head = self.head("kind_statement", &title, &web, l.code.as_str());
                head.issuer = Some(site.issuer_name(&l.issuer));
                head.date = Some(format!("{} – {}", l.period.start, l.period.end));
                let f = self.fragment("print/statement.html", root, &head, |ctx| ctx.insert("s", &view))?;
                self.doc(path, root, &title, &[f])
            }
            PrintJob::Standards(v) => {
                let mut head = self.head("kind_standards", v.title, &v.href, v.code);
                head.issuer = Some(v.issuer);
                head.date = Some(v.effective.clone());
                let f = self.fragment("print/standards.html", r3, &head, |ctx| ctx.insert("s", v))?;
                self.doc(path, r3, v.title, &[f])
            }
            PrintJob::Requests => {
                let root = "../../";
                let as_of = super::views::date_text(self.opts.today, site.lang);
                let title = format!("{}（{} {as_of}）", self.theme.t("performance"), self.theme.t("as_of"));
                let mut head = self.head("kind_performance", &title, "r/", &x.performance.code);
                head.issuer = self.content.requests.iter().find_map(|l| l.issuer.as_deref()).map(|i| site.issuer_name(i));
                head.date = Some(x.performance.as_of.clone());
                let f = self.fragment("print/requests.html", root, &head, |ctx| ctx.insert("p", x.performance))?;
                self.doc(path, root, &title, &[f])
            }
            PrintJob::Vote(v) => {
                let f = self.vote_fragment(v, r3)?;
                self.doc(path, r3, v.title, &[f])
            }
            PrintJob::Poster(place) => {
                let f = self.poster_fragment(place, x, r3)?;
                self.doc(path, r3, &site.place_name(place), &[f])
            }
            PrintJob::Bundle(place) => {
                let mut sheets = vec![self.poster_fragment(place, x, r3)?];
                let (notices, votes) = self.bundle_items(place, x);
                for n in notices {
                    sheets.push(self.notice_fragment(n, r3)?);
                }
                for v in votes {
                    sheets.push(self.vote_fragment(v, r3)?);
                }
                let title = format!("{} {}", site.place_name(place), self.theme.t("bundle"));
                self.doc(path, r3, &title, &sheets)
            }
            PrintJob::Contacts => {
                let root = "../../";
                let title = self.theme.t("contacts").to_string();
                let mut head = self.head("kind_contacts", &title, "", site.code.as_str());
                head.issuer = site.bodies.first().map(|b| b.name.as_str());
                head.date = Some(self.opts.today.to_string());
                let f = self.fragment("print/contacts.html", root, &head, |ctx| ctx.insert("contacts", &site.contacts))?;
                self.doc(path, root, &title, &[f])
            }
            PrintJob::Index => {
                let mut ctx = self.base("print/", "../", self.theme.t("print_all"));
                let link = |href: String, title: &str, note: String| Link { href, title: title.to_string(), note };
                let places: Vec<(Link, Link)> = site
                    .places()
                    .iter()
                    .map(|p| {
                        let (n, v) = self.bundle_items(p, x);
                        let name = site.place_name(p);
                        let count = 1 + n.len() + v.len();
                        (
                            link(format!("print/b/{}/", p.id()), &name, String::new()),
                            link(format!("print/all/{}/", p.id()), &name, format!("{count}")),
                        )
                    })
                    .collect();
                ctx.insert("places", &places);
                ctx.insert(
                    "notices",
                    &x.notices
                        .iter()
                        .map(|v| link(format!("print/{}", v.card.href), v.card.title, v.card.date.clone()))
                        .collect::<Vec<_>>(),
                );
                ctx.insert(
                    "pages",
                    &x.pages.iter().map(|v| link(format!("print/{}", v.card.href), v.card.title, String::new())).collect::<Vec<_>>(),
                );
                ctx.insert(
                    "statements",
                    &self
                        .content
                        .ledgers
                        .iter()
                        .rev()
                        .map(|l| {
                            let fund = site.funds.iter().find(|f| f.id == l.fund).map_or(l.fund.as_str(), |f| f.name.as_str());
                            link(format!("print/a/{}/{}/", l.fund, l.period.key), fund, l.period.label_zh())
                        })
                        .collect::<Vec<_>>(),
                );
                ctx.insert(
                    "standards",
                    &x.standards.iter().map(|s| link(format!("print/{}", s.href), s.title, String::new())).collect::<Vec<_>>(),
                );
                ctx.insert("votes", &x.votes.iter().map(|v| link(format!("print/{}", v.href), v.title, String::new())).collect::<Vec<_>>());
                ctx.insert("has_requests", &x.performance.any);
                self.page(path, "print/index.html", &ctx)
            }
        }
    }
}

/// The web page's body (rendered once, for a page two levels deep: `n/<id>/`) with its links to
/// `static/` made right for a sheet at `root`.
fn deeper(html: &str, root: &str) -> String {
    html.replace("=\"../../static/", &format!("=\"{root}static/"))
}

/// How many current items an entrance poster lists before "more: scan the code".
const POSTER_ITEMS: usize = 5;

/// `/wechat/n/<id>.txt`: what a committee member pastes into a building's WeChat group.
pub fn wechat_text(card: &NoticeCard<'_>, community: &str, base_url: &str, lang: Lang) -> String {
    let url = format!("{base_url}/{}", card.href);
    let en = lang == Lang::En;
    let mut out = format!("【{community}】{}\n", card.title);
    out.push_str(&format!("{}{}\n", if en { "Date: " } else { "日期：" }, card.date));
    out.push_str(&format!("{}{}\n", if en { "From: " } else { "发布：" }, card.issuer));
    if let Some(p) = &card.posting {
        out.push_str(&format!("{}{} 至 {}\n", if en { "Posted: " } else { "公示期：" }, p.from, p.to));
    }
    if !card.scope.is_empty() {
        out.push_str(&format!("{}{}\n", if en { "For: " } else { "范围：" }, card.scope.join("、")));
    }
    out.push_str(&format!("\n{}\n\n", card.summary));
    out.push_str(&format!("{}{url}\n", if en { "Details: " } else { "详情：" }));
    out.push_str(&format!("{}{}\n", if en { "Verification code: " } else { "校验码：" }, card.code));
    out
}
