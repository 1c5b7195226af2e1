//! From validated content to the files of the site, all in memory: nothing here reads
//! sources or touches `public/`. Each page gets a small context built for it alone.
//!
//! Every kind's pages and data files are planned in that kind's own file ([`notices`],
//! [`pages`], [`accounts`], [`services`], [`votes`]); the community's own pages — the home
//! page, the entrance pages and what is printed for them — in [`board`] and [`print`]. The
//! plan is a list of [`File`]s, each with its path, what it shows (so that `serve` re-renders
//! only what an edit of notices affects) and how to make it; [`render`] then makes them all in
//! one parallel pass.

pub mod accounts;
pub mod board;
mod chart;
pub mod datapackage;
pub mod donations;
pub mod duties;
pub mod escape;
pub mod feed;
pub mod manifest;
pub mod markdown;
pub mod matters;
pub mod minutes;
pub mod notices;
pub mod pages;
pub mod print;
pub mod qr;
pub mod services;
pub mod theme;
pub mod versions;
pub mod views;
pub mod votes;

use crate::address::Address;
use crate::content::Content;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::msg;
use crate::output::{Put, Sink};
use crate::site::Place;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tera::Context;
use theme::Theme;
use views::{NoticeCard, NoticeView, PageView};

/// Settings that change the output but not the content.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// "Today": which notices are currently posted.
    pub today: Date,
    /// Absolute address of the site, without trailing slash.
    pub base_url: String,
}

/// Small facts about the site that every page shows.
#[derive(Serialize)]
struct SiteView<'a> {
    name: &'a str,
    description: Option<&'a str>,
    lang: &'static str,
    base_url: &'a str,
    /// The first public contact (物业服务中心), at the foot of every page.
    contact: Option<&'a crate::site::Contact>,
}

/// Addresses every page may link to, made once per render.
#[derive(Serialize)]
struct Nav {
    archive: Address,
    accounts: Address,
    requests: Address,
    buildings: Address,
    print: Address,
    feed: &'static str,
    style_css: String,
    print_css: String,
    accounts_csv: &'static str,
    requests_summary: &'static str,
    requests_csv: &'static str,
    contacts_sheet: Address,
    log: &'static str,
    codes: Address,
    gongkai: Address,
}

impl Nav {
    fn new() -> Nav {
        use crate::address as a;
        Nav {
            archive: a::archive(),
            accounts: a::accounts(),
            requests: a::requests(),
            buildings: a::buildings(),
            print: a::print_index(),
            feed: a::FEED,
            style_css: a::asset("style.css"),
            print_css: a::asset("print.css"),
            accounts_csv: a::ALL_ACCOUNTS_CSV,
            requests_summary: a::REQUESTS_SUMMARY,
            requests_csv: a::REQUESTS_CSV,
            contacts_sheet: a::contacts_sheet(),
            log: a::LOG,
            codes: a::codes(),
            gongkai: a::gongkai(),
        }
    }
}

/// What has been published, as this build leaves it.
#[derive(Clone, Copy)]
pub struct Published<'a> {
    /// The published items (for the manifest).
    pub items: &'a [crate::lock::Current],
    /// The publish lock after this build (for first-published dates and tombstones).
    pub lock: &'a crate::lock::Lock,
}

/// The theme of `site`, with gongshi's template helpers, ready to render.
pub fn load_theme(root: &Path, site: &crate::site::Site) -> Result<Theme, Diagnostics> {
    let mut theme = Theme::load(root, &site.theme, site.lang)?;
    register_helpers(&mut theme, site.lang);
    Ok(theme)
}

/// What a planned file shows, for [`Scope::Notices`].
#[derive(Debug, Clone)]
pub(crate) enum Shows {
    /// Lists of every notice (home, archive, feed, sitemap, manifest, the print index).
    Listings,
    /// One notice's own page.
    Notice(String),
    /// What concerns a place (its entrance page, poster and bundle).
    Place(Place),
    /// Nothing that an edit of notices changes.
    Other,
}

/// How a planned file is made.
type Make<'a> = Box<dyn Fn() -> Result<Vec<u8>, Diagnostic> + Send + Sync + 'a>;

/// One file of the site, planned: where it goes, what it shows, how to make it.
pub(crate) struct File<'a> {
    path: String,
    shows: Shows,
    make: Make<'a>,
}

/// The files of a render, as each kind plans them.
#[derive(Default)]
pub(crate) struct Plan<'a> {
    files: Vec<File<'a>>,
}

impl<'a> Plan<'a> {
    /// The page at `address`.
    pub(crate) fn page(
        &mut self,
        address: Address,
        shows: Shows,
        make: impl Fn(&Address) -> Result<Vec<u8>, Diagnostic> + Send + Sync + 'a,
    ) {
        self.files.push(File { path: address.file(), shows, make: Box::new(move || make(&address)) });
    }

    /// Any other file (data, feeds, assets).
    pub(crate) fn file(&mut self, path: String, shows: Shows, make: impl Fn() -> Result<Vec<u8>, Diagnostic> + Send + Sync + 'a) {
        self.files.push(File { path, shows, make: Box::new(make) });
    }
}

/// Renders the files of the site that `scope` asks for into `sink`, with `theme` (from
/// [`load_theme`]).
pub fn render(
    root: &Path,
    content: &Content,
    opts: &RenderOptions,
    published: Published<'_>,
    theme: &Theme,
    scope: &Scope<'_>,
    sink: &dyn Sink,
) -> Result<Rendered, Diagnostics> {
    let site = &content.site;
    let qr = qr::QrCache::default();
    let history = versions::History::new(root, published.lock);
    let r = &Renderer { content, opts, theme, qr: &qr, to: Nav::new(), history: &history, files: views::FileView::of_items(content) };

    let notices: Vec<NoticeView<'_>> = content.notices.par_iter().map(|n| NoticeView::new(n, site, opts.today)).collect();
    let pages: Vec<PageView<'_>> = content.pages.par_iter().map(|p| PageView::new(p, site)).collect();
    let cards: Vec<&NoticeCard<'_>> = notices.iter().map(|v| &v.card).collect();
    let outcomes = services::outcomes(content, opts.today);
    let x = Shared {
        cards: &cards,
        places: &views::PlaceIndex::new(content),
        notices: &notices,
        pages: &pages,
        standards: &content.standards.iter().map(|s| services::standards_view(s, site, opts.today, &content.standards)).collect::<Vec<_>>(),
        votes: &content.votes.iter().map(|v| votes::vote_view(v, site)).collect::<Vec<_>>(),
        matters: &matters::views(content, site),
        donations: &donations::views(&content.donations, site),
        duties: &crate::duties::status(content, opts.today),
        minutes: &minutes::views(content, site),
        performance: &services::performance(content, &outcomes, opts.today),
        outcomes: &outcomes,
        balances: &accounts::balances(content),
        published,
    };

    // Each kind plans its own files; the destructuring names every kind's list, so that a new
    // kind cannot be left out of the plan.
    let Content { site: _, notices: _, pages: _, ledgers: _, standards: _, requests: _, votes: _, matters: _, donations: _, minutes: _ } =
        content;
    let mut plan = Plan::default();
    let x = &x;
    board::plan(r, x, &mut plan);
    notices::plan(r, x, &mut plan);
    pages::plan(r, x, &mut plan);
    accounts::plan(r, x, &mut plan);
    services::plan(r, x, &mut plan);
    votes::plan(r, x, &mut plan);
    matters::plan(r, x, &mut plan);
    donations::plan(r, x, &mut plan);
    minutes::plan(r, x, &mut plan);
    print::plan(r, x, &mut plan);
    versions::plan(r, root, &mut plan);
    datapackage::plan(r, x, &mut plan);
    duties::plan(r, x.duties, &mut plan);
    for (name, bytes) in theme.assets.iter() {
        plan.file(crate::address::asset(name), Shows::Other, move || Ok(bytes.clone()));
    }
    for rel in static_files(root) {
        let path = rel.strip_prefix("content/").unwrap_or(&rel).to_string();
        let at = path.clone();
        plan.file(path, Shows::Other, move || std::fs::read(root.join(&rel)).map_err(|e| r.write_error(&at, &e)));
    }
    // The sitemap lists every page of the plan that a resident reads (not the 404 page, and
    // not the printing pages for the secretary).
    let urls: Vec<String> = plan
        .files
        .iter()
        .filter_map(|f| f.path.strip_suffix("index.html"))
        .filter(|p| !p.starts_with(crate::address::print_index().href()) && !p.starts_with(crate::address::codes().href()))
        .map(str::to_string)
        .collect();
    plan.file(crate::address::SITEMAP.into(), Shows::Listings, move || Ok(feed::sitemap(&opts.base_url, &urls).into()));

    let results: Vec<Result<Put, Diagnostic>> = plan
        .files
        .par_iter()
        .filter(|f| scope.includes(&f.shows))
        .map(|f| {
            let bytes = (f.make)()?;
            sink.put(&f.path, &bytes).map_err(|e| r.write_error(&f.path, &e))
        })
        .collect();
    let mut errs = Diagnostics::default();
    let mut puts = Vec::with_capacity(results.len());
    for res in results {
        match res {
            Ok(f) => puts.push(f),
            Err(d) => errs.push(d),
        }
    }
    if errs.has_errors() {
        return Err(errs);
    }
    let mut paths: Vec<String> = plan.files.into_iter().map(|f| f.path).collect();
    puts.sort_by(|a, b| a.path.cmp(&b.path));
    paths.sort();
    Ok(Rendered { puts, paths })
}

/// Files under `content/static/`, relative to the root, with forward slashes.
fn static_files(root: &Path) -> Vec<String> {
    let dir = root.join("content/static");
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !crate::content::is_litter(&e.file_name().to_string_lossy()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
        .collect()
}

/// Which files a render makes.
pub enum Scope<'a> {
    /// Every file of the site.
    All,
    /// Only the files that show some notices (added, edited or removed): their pages, the
    /// entrance pages, posters and bundles of the places they concern, the home page, the
    /// archive, the print index, the feed, the sitemap and the manifest.
    Notices {
        /// The notices' ids.
        ids: &'a [String],
        /// The places they concern, before and after the change; `None` for community-wide.
        places: Vec<Option<Place>>,
    },
}

impl Scope<'_> {
    /// Whether a file that shows `shows` is in scope (a removed or moved notice still
    /// concerns the places it named).
    fn includes(&self, shows: &Shows) -> bool {
        let Scope::Notices { ids, places } = self else { return true };
        match shows {
            Shows::Listings => true,
            Shows::Notice(id) => ids.iter().any(|i| i == id),
            Shows::Place(p) => places.iter().any(|c| c.as_ref().is_none_or(|c| c.concerns(p))),
            Shows::Other => false,
        }
    }
}

/// What a render made.
pub struct Rendered {
    /// The files rendered, sorted by path.
    pub puts: Vec<Put>,
    /// Every file of the site, sorted (with [`Scope::All`], the paths of `puts`).
    pub paths: Vec<String>,
}

/// Views made once and shared by the pages that list them.
pub(crate) struct Shared<'a> {
    cards: &'a [&'a NoticeCard<'a>],
    /// Which notices each place's pages show.
    places: &'a views::PlaceIndex,
    notices: &'a [NoticeView<'a>],
    pages: &'a [PageView<'a>],
    standards: &'a [services::StandardsView<'a>],
    votes: &'a [votes::VoteView<'a>],
    matters: &'a [matters::MatterView<'a>],
    donations: &'a [donations::DonationView<'a>],
    duties: &'a [crate::duties::Status],
    minutes: &'a [minutes::MinutesView<'a>],
    performance: &'a services::Performance<'a>,
    outcomes: &'a [crate::content::requests::Outcome<'a>],
    balances: &'a [accounts::FundBalance],
    published: Published<'a>,
}

/// What the print stylesheet shows of every item page: the community, the kind of item, the
/// QR code of the page's own address and its verification code.
#[derive(Serialize)]
struct Sheet<'a> {
    community: &'a str,
    kind: &'a str,
    code: &'a str,
    url: String,
    #[serde(serialize_with = "as_str")]
    qr: Arc<str>,
}

fn as_str<S: serde::Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

pub(crate) struct Renderer<'a> {
    content: &'a Content,
    opts: &'a RenderOptions,
    theme: &'a Theme,
    qr: &'a qr::QrCache,
    to: Nav,
    /// Every version ever published, for the version and code pages and each item's list.
    history: &'a versions::History,
    /// The attachments of each item, by the `href` of its page.
    files: std::collections::HashMap<String, Vec<views::FileView>>,
}

impl Renderer<'_> {
    /// The context every page starts from: site facts, the way back to the root (from the
    /// page's depth), the title and the page's absolute address.
    fn base(&self, at: &Address, title: &str) -> Context {
        let site = &self.content.site;
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &SiteView {
                name: &site.name,
                description: site.description.as_deref(),
                lang: site.lang.code(),
                base_url: &self.opts.base_url,
                contact: site.contacts.first(),
            },
        );
        ctx.insert("root", &at.root());
        ctx.insert("to", &self.to);
        ctx.insert("title", title);
        ctx.insert("canonical", &at.url(&self.opts.base_url));
        ctx
    }

    /// The context of an item page: [`Renderer::base`] and the sheet it prints as.
    fn item(&self, at: &Address, kind: &str, title: &str, code: &str) -> Context {
        let mut ctx = self.base(at, title);
        self.sheet(&mut ctx, at, kind, code);
        ctx
    }

    /// Adds what the page at `at` shows when printed: its QR code and verification code.
    fn sheet(&self, ctx: &mut Context, at: &Address, kind: &str, code: &str) {
        let url = at.url(&self.opts.base_url);
        let sheet = Sheet { community: &self.content.site.name, kind: self.theme.t(kind), code, qr: self.qr.svg(&url), url };
        ctx.insert("sheet", &sheet);
        ctx.insert("versions", &versions::links(self.history, at, self.content.site.lang));
        // The day it was first published (nothing before it is published).
        ctx.insert("published", &self.history.on_page(at).first().map(|v| v.date.to_string()));
        ctx.insert("attachments", &self.files.get(at.href()));
    }

    /// `template` rendered as the bytes of the page at `at`. (Every piece of a template and of
    /// its context is text, so they are UTF-8 without being checked again.)
    fn page(&self, at: &Address, template: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        self.render_bytes(template, ctx, &at.file())
    }

    fn render_bytes(&self, template: &str, ctx: &Context, path: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        match self.theme.tera.render_to(template, ctx, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(self.template_error(template, path, &e)),
        }
    }

    /// `template` rendered as text, for a sheet that goes into a larger document.
    fn render_text(&self, template: &str, ctx: &Context, path: &str) -> Result<String, Diagnostic> {
        let bytes = self.render_bytes(template, ctx, path)?;
        String::from_utf8(bytes).map_err(|e| self.template_error(template, path, &tera::Error::msg(e.to_string())))
    }

    fn write_error(&self, path: &str, e: &std::io::Error) -> Diagnostic {
        Diagnostic::error(path, msg!("写入 /{path} 失败：{e}", "writing /{path} failed: {e}"))
    }

    fn template_error(&self, template: &str, path: &str, e: &tera::Error) -> Diagnostic {
        let detail = theme::tera_error_chain(e);
        Diagnostic::error(
            Path::new("themes").join(&self.content.site.theme).join("templates").join(template),
            msg!("生成 /{path} 时模板出错：{detail}", "the template failed while making /{path}: {detail}"),
        )
    }
}

fn value_text(v: &tera::Value) -> String {
    match v {
        tera::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Template helpers: `t(k=…)` for UI strings, `d` to show a date in the site's language.
fn register_helpers(theme: &mut Theme, lang: Lang) {
    let strings = theme.strings.clone();
    theme.tera.register_function("t", move |args: &HashMap<String, tera::Value>| {
        let key = args.get("k").and_then(|v| v.as_str()).unwrap_or_default();
        Ok(tera::Value::String(strings.get(key).cloned().unwrap_or_else(|| key.to_string())))
    });
    // Masking filters for templates: `{{ x | mask_phone }}` → 138****5678, `{{ x | mask_room }}`
    // → 3号楼12**室.
    theme.tera.register_filter("mask_phone", |v: &tera::Value, _: &HashMap<String, tera::Value>| {
        Ok(tera::Value::String(crate::privacy::mask_phone(&value_text(v))))
    });
    theme.tera.register_filter("mask_room", |v: &tera::Value, _: &HashMap<String, tera::Value>| {
        Ok(tera::Value::String(crate::privacy::mask_rooms(&value_text(v))))
    });
    // `{{ title | css_string | safe }}` inside a `<style>` element (a running head).
    theme.tera.register_filter("css_string", |v: &tera::Value, _: &HashMap<String, tera::Value>| {
        Ok(tera::Value::String(escape::css_string(&value_text(v))))
    });
    theme.tera.register_filter("d", move |v: &tera::Value, _: &HashMap<String, tera::Value>| {
        let s = v.as_str().unwrap_or_default();
        Ok(tera::Value::String(Date::parse(s).map(|d| views::date_text(d, lang)).unwrap_or_else(|| s.to_string())))
    });
}
