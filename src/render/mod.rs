//! From validated content to the files of the site, all in memory: nothing here reads
//! sources or touches `public/`. Each page gets a small context built for it alone.

pub mod accounts;
pub mod feed;
pub mod markdown;
pub mod print;
pub mod qr;
pub mod services;
pub mod theme;
pub mod views;
pub mod votes;

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
}

/// What has been published, as this build leaves it.
#[derive(Clone, Copy)]
pub struct Published<'a> {
    /// The published items (for the manifest).
    pub items: &'a [crate::lock::Item],
    /// The publish lock after this build (for first-published dates and tombstones).
    pub lock: &'a crate::lock::Lock,
}

/// The theme of `site`, with gongshi's template helpers, ready to render.
pub fn load_theme(root: &Path, site: &crate::site::Site) -> Result<Theme, Diagnostics> {
    let mut theme = Theme::load(root, &site.theme, site.lang)?;
    register_helpers(&mut theme, site.lang);
    Ok(theme)
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
    let Published { items, lock } = published;
    let site = &content.site;
    let qr = qr::QrCache::default();
    let r = Renderer { content, opts, theme, balances: Vec::new(), qr: &qr, sink };

    let notices: Vec<NoticeView<'_>> = content.notices.par_iter().map(|n| NoticeView::new(n, site, opts.today)).collect();
    let pages: Vec<PageView<'_>> = content.pages.par_iter().map(|p| PageView::new(p, site)).collect();
    let cards: Vec<&NoticeCard<'_>> = notices.iter().map(|v| &v.card).collect();
    let places = views::PlaceIndex::new(content);

    let balances = accounts::balances(content);
    let outcomes = services::outcomes(content, opts.today);
    let performance = services::performance(content, &outcomes, opts.today);
    let standards: Vec<services::StandardsView<'_>> =
        content.standards.iter().map(|s| services::standards_view(s, site, opts.today, &content.standards)).collect();
    let votes: Vec<votes::VoteView<'_>> = content.votes.iter().map(|v| votes::vote_view(v, site)).collect();
    let r = Renderer { balances, ..r };
    let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::Archive, Job::Buildings, Job::NotFound, Job::Accounts];
    jobs.extend(site.funds.iter().map(|f| Job::Fund(&f.id)));
    jobs.extend(content.ledgers.iter().map(Job::Statement));
    for v in &notices {
        jobs.push(Job::Notice(v));
        jobs.push(Job::Wechat(&v.card));
    }
    jobs.extend(pages.iter().map(Job::Page));
    jobs.extend(site.places().into_iter().map(Job::Place));
    jobs.push(Job::Requests);
    let taken: std::collections::HashSet<&str> = items.iter().map(|i| i.url.as_str()).collect();
    jobs.extend(lock.entries.iter().filter(|e| e.retired.is_some() && !taken.contains(e.url().as_str())).map(Job::Tombstone));
    jobs.extend(standards.iter().map(Job::Standards));
    jobs.extend(votes.iter().map(Job::Vote));

    let shared = Shared {
        cards: &cards,
        places: &places,
        notices: &notices,
        pages: &pages,
        standards: &standards,
        votes: &votes,
        performance: &performance,
    };
    jobs.push(Job::Print(print::PrintJob::Index));
    jobs.push(Job::Print(print::PrintJob::Contacts));
    jobs.push(Job::Print(print::PrintJob::Requests));
    jobs.extend(notices.iter().map(|v| Job::Print(print::PrintJob::Notice(v))));
    jobs.extend(pages.iter().map(|v| Job::Print(print::PrintJob::Page(v))));
    jobs.extend(content.ledgers.iter().map(|l| Job::Print(print::PrintJob::Statement(l))));
    jobs.extend(standards.iter().map(|v| Job::Print(print::PrintJob::Standards(v))));
    jobs.extend(votes.iter().map(|v| Job::Print(print::PrintJob::Vote(v))));
    for place in site.places() {
        jobs.push(Job::Print(print::PrintJob::Poster(place.clone())));
        jobs.push(Job::Print(print::PrintJob::Bundle(place)));
    }

    let planned: Vec<(String, &Job<'_>)> = jobs.iter().map(|j| (j.path(), j)).collect();
    let mut paths: Vec<String> = planned.iter().map(|(p, _)| p.clone()).collect();
    let urls: Vec<String> = paths
        .iter()
        .filter(|p| *p != "404.html" && !p.starts_with("print/") && !p.starts_with("wechat/"))
        .map(|p| p.trim_end_matches("index.html").to_string())
        .collect();

    // The other files, each made only when the scope needs it: `true` marks the ones that
    // show notices.
    type Make<'m> = Box<dyn Fn() -> std::io::Result<Vec<u8>> + Send + Sync + 'm>;
    let mut data: Vec<(String, bool, Make<'_>)> = vec![
        ("feed.xml".into(), true, Box::new(|| Ok(feed::atom(site, &opts.base_url, &cards).into()))),
        ("sitemap.xml".into(), true, Box::new(|| Ok(feed::sitemap(&opts.base_url, &urls).into()))),
        ("data/manifest.json".into(), true, Box::new(|| Ok(manifest(items, lock, &opts.base_url).into()))),
    ];
    for l in &content.ledgers {
        let json = format!("data/accounts/{}/{}.json", l.fund, l.period.key);
        data.push((json, false, Box::new(move || Ok(accounts::ledger_json(l).into()))));
        let csv = format!("data/accounts/{}/{}.csv", l.fund, l.period.key);
        data.push((csv, false, Box::new(move || Ok(accounts::ledger_csv(l).into()))));
    }
    data.push(("data/accounts.csv".into(), false, Box::new(|| Ok(accounts::all_csv(&content.ledgers).into()))));
    let summary = || Ok(services::summary_json(&performance, content.standards.last()).into());
    data.push(("data/requests/summary.json".into(), false, Box::new(summary)));
    data.push(("data/requests.csv".into(), false, Box::new(|| Ok(services::requests_csv(&outcomes, site).into()))));
    for v in &content.votes {
        data.push((format!("data/votes/{}.json", v.id), false, Box::new(move || Ok(votes::vote_json(v).into()))));
    }
    for (name, bytes) in theme.assets.iter() {
        data.push((format!("assets/{name}"), false, Box::new(move || Ok(bytes.clone()))));
    }
    for rel in static_files(root) {
        let path = rel.strip_prefix("content/").unwrap_or(&rel).to_string();
        data.push((path, false, Box::new(move || std::fs::read(root.join(&rel)))));
    }
    // Pages, sheets and data files in one parallel pass: the manifest, sitemap and feed are the
    // largest files of a large site.
    type Results = Vec<Result<Put, Diagnostic>>;
    let (results, made): (Results, Results) = rayon::join(
        || {
            planned
                .par_iter()
                .filter(|(_, job)| job.shows_notices(scope))
                .map(|(path, job)| match job {
                    Job::Print(p) => r.render_print(p, path, &shared),
                    _ => r.render_job(job, path, &shared),
                })
                .collect()
        },
        || {
            data.par_iter()
                .filter(|(_, shows_notices, _)| *shows_notices || matches!(scope, Scope::All))
                .map(|(path, _, make)| r.emit(path, &make().map_err(|e| r.write_error(path, &e))?))
                .collect()
        },
    );
    let mut errs = Diagnostics::default();
    let mut puts = Vec::with_capacity(results.len() + 16);
    for res in results {
        match res {
            Ok(f) => puts.push(f),
            Err(d) => errs.push(d),
        }
    }
    if errs.has_errors() {
        return Err(errs);
    }
    for put in made {
        puts.push(put.map_err(Diagnostics::from)?);
    }
    paths.extend(data.into_iter().map(|(path, _, _)| path));
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
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
        .collect()
}

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

enum Job<'a> {
    Home,
    Archive,
    Buildings,
    NotFound,
    Notice(&'a NoticeView<'a>),
    Page(&'a PageView<'a>),
    Place(Place),
    Accounts,
    Fund(&'a str),
    Statement(&'a crate::content::ledger::Ledger),
    Requests,
    Standards(&'a services::StandardsView<'a>),
    Vote(&'a votes::VoteView<'a>),
    Print(print::PrintJob<'a>),
    Tombstone(&'a crate::lock::Entry),
    /// A notice's WeChat text (`/wechat/n/<id>.txt`).
    Wechat(&'a NoticeCard<'a>),
}

impl Job<'_> {
    /// The file the job makes, relative to the output folder.
    fn path(&self) -> String {
        let page = |dir: &str| format!("{dir}index.html");
        match self {
            Job::Home => page(""),
            Job::Archive => page("n/"),
            Job::Buildings => page("b/"),
            Job::NotFound => "404.html".into(),
            Job::Notice(v) => page(&v.card.href),
            Job::Page(v) => page(&v.card.href),
            Job::Place(p) => page(&format!("b/{}/", p.id())),
            Job::Accounts => page("a/"),
            Job::Fund(id) => page(&format!("a/{id}/")),
            Job::Statement(l) => page(&format!("a/{}/{}/", l.fund, l.period.key)),
            Job::Requests => page("r/"),
            Job::Standards(v) => page(&v.href),
            Job::Vote(v) => page(&v.href),
            Job::Tombstone(e) => page(&e.url()),
            Job::Wechat(c) => format!("wechat/{}.txt", c.href.trim_end_matches('/')),
            Job::Print(p) => match p {
                print::PrintJob::Notice(v) => page(&format!("print/{}", v.card.href)),
                print::PrintJob::Page(v) => page(&format!("print/{}", v.card.href)),
                print::PrintJob::Statement(l) => page(&format!("print/a/{}/{}/", l.fund, l.period.key)),
                print::PrintJob::Standards(v) => page(&format!("print/{}", v.href)),
                print::PrintJob::Requests => page("print/r/"),
                print::PrintJob::Vote(v) => page(&format!("print/{}", v.href)),
                print::PrintJob::Poster(p) => page(&format!("print/b/{}/", p.id())),
                print::PrintJob::Bundle(p) => page(&format!("print/all/{}/", p.id())),
                print::PrintJob::Contacts => page("print/contacts/"),
                print::PrintJob::Index => page("print/"),
            },
        }
    }

    /// Whether the job's file is in `scope`: with [`Scope::Notices`], whether it shows any of
    /// those notices (a removed or moved notice still concerns the places it named).
    fn shows_notices(&self, scope: &Scope<'_>) -> bool {
        let Scope::Notices { places, .. } = scope else { return true };
        let place = |p: &Place| places.iter().any(|c| c.as_ref().is_none_or(|c| c.concerns(p)));
        match self {
            Job::Home | Job::Archive | Job::Print(print::PrintJob::Index) => true,
            Job::Notice(v) | Job::Print(print::PrintJob::Notice(v)) => scope.has_notice(v.card.id),
            Job::Wechat(c) => scope.has_notice(c.id),
            Job::Place(p) | Job::Print(print::PrintJob::Poster(p) | print::PrintJob::Bundle(p)) => place(p),
            _ => false,
        }
    }
}

/// Which files a render makes.
pub enum Scope<'a> {
    /// Every file of the site.
    All,
    /// Only the files that show some notices (added, edited or removed): their pages, sheets
    /// and WeChat texts, the entrance pages, posters and bundles of the places they concern,
    /// the home page, the archive, the print index, the feed, the sitemap and the manifest.
    Notices {
        /// The notices' ids.
        ids: &'a [String],
        /// The places they concern, before and after the change; `None` for community-wide.
        places: Vec<Option<Place>>,
    },
}

impl Scope<'_> {
    /// Whether the files of notice `id` itself (page, sheet, WeChat text) are in scope.
    fn has_notice(&self, id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Notices { ids, .. } => ids.iter().any(|i| i == id),
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

/// Views made once and shared by the pages and sheets that list them.
struct Shared<'a> {
    cards: &'a [&'a NoticeCard<'a>],
    /// Which notices each place's pages show.
    places: &'a views::PlaceIndex,
    notices: &'a [NoticeView<'a>],
    pages: &'a [PageView<'a>],
    standards: &'a [services::StandardsView<'a>],
    votes: &'a [votes::VoteView<'a>],
    performance: &'a services::Performance<'a>,
}

struct Renderer<'a> {
    content: &'a Content,
    opts: &'a RenderOptions,
    theme: &'a Theme,
    balances: Vec<accounts::FundBalance>,
    qr: &'a qr::QrCache,
    sink: &'a dyn Sink,
}

impl Renderer<'_> {
    fn render_job(&self, job: &Job<'_>, path: &str, shared: &Shared<'_>) -> Result<Put, Diagnostic> {
        // The page's folder, for its address.
        let dir = path.trim_end_matches("index.html");
        let (cards, pages) = (shared.cards, shared.pages);
        let site = &self.content.site;
        let today = self.opts.today;
        match job {
            Job::Home => {
                let mut ctx = self.base("", "", self.theme.t("home"));
                let pinned: Vec<_> = cards.iter().filter(|c| c.pinned && c.state != "expired").collect();
                let current: Vec<_> = cards.iter().filter(|c| !c.pinned && c.state == "current").collect();
                let recent: Vec<_> =
                    cards.iter().filter(|c| !(c.pinned && c.state != "expired") && c.state != "current").take(10).collect();
                ctx.insert("pinned", &pinned);
                ctx.insert("current", &current);
                ctx.insert("recent", &recent);
                ctx.insert("buildings", &views::building_links(site));
                ctx.insert("pages", &pages.iter().map(|p| &p.card).collect::<Vec<_>>());
                ctx.insert("contacts", &site.contacts);
                ctx.insert("notice_count", &cards.len());
                ctx.insert("funds", &self.balances);
                ctx.insert("standards", shared.standards);
                ctx.insert("perf_tiers", &shared.performance.tiers);
                ctx.insert("perf_as_of", &shared.performance.as_of);
                ctx.insert("votes", &shared.votes.iter().take(5).collect::<Vec<_>>());
                self.page(path, "index.html", &ctx)
            }
            Job::Archive => {
                let mut ctx = self.base("n/", "../", self.theme.t("archive"));
                let mut months: Vec<views::Month<'_>> = Vec::new();
                for c in cards {
                    let key = &c.date[..7];
                    match months.last_mut() {
                        Some(m) if m.key == key => m.notices.push(c.line()),
                        _ => months.push(views::Month {
                            key: key.to_string(),
                            label: views::month_label(key, site.lang),
                            notices: vec![c.line()],
                        }),
                    }
                }
                ctx.insert("months", &months);
                self.page(path, "archive.html", &ctx)
            }
            Job::Buildings => {
                let mut ctx = self.base("b/", "../", self.theme.t("buildings"));
                ctx.insert("buildings", &views::building_links(site));
                ctx.insert("contacts", &site.contacts);
                self.page(path, "buildings.html", &ctx)
            }
            Job::NotFound => {
                // Served at any depth, so its links are absolute.
                let root = format!("{}/", self.opts.base_url);
                let mut ctx = self.base(dir, &root, self.theme.t("not_found"));
                ctx.insert("contacts", &site.contacts);
                self.page(path, "404.html", &ctx)
            }
            Job::Notice(v) => {
                let mut ctx = self.base(dir, "../../", v.card.title);
                ctx.insert("notice", &v.card);
                ctx.insert("body", &v.body_html);
                ctx.insert("revisions", &v.revisions);
                ctx.insert("scope", &v.scope_links);
                self.page(path, "notice.html", &ctx)
            }
            Job::Page(v) => {
                let mut ctx = self.base(dir, "../../", v.card.title);
                ctx.insert("page", &v.card);
                ctx.insert("body", &v.body_html);
                ctx.insert("revisions", &v.revisions);
                self.page(path, "page.html", &ctx)
            }
            Job::Accounts => {
                let mut ctx = self.base("a/", "../", self.theme.t("accounts"));
                ctx.insert("funds", &self.balances);
                self.page(path, "accounts.html", &ctx)
            }
            Job::Fund(id) => {
                let fund = self.balances.iter().find(|b| b.href == dir);
                let name = fund.map(|f| f.name.as_str()).unwrap_or(id);
                let mut ctx = self.base(dir, "../../", name);
                let ledgers = accounts::fund_ledgers(self.content, id);
                ctx.insert("fund", &fund);
                ctx.insert("chart", &accounts::balance_chart(&ledgers, &format!("{name} {}", self.theme.t("balance_over_time"))));
                self.page(path, "fund.html", &ctx)
            }
            Job::Statement(l) => {
                let view = accounts::statement(l, site);
                let title = format!(
                    "{} {}",
                    site.funds.iter().find(|f| f.id == l.fund).map(|f| f.name.as_str()).unwrap_or(&l.fund),
                    l.period.label_zh()
                );
                let mut ctx = self.base(dir, "../../../", &title);
                ctx.insert("s", &view);
                self.page(path, "statement.html", &ctx)
            }
            Job::Requests => {
                let mut ctx = self.base("r/", "../", self.theme.t("performance"));
                ctx.insert("p", shared.performance);
                ctx.insert("standards", shared.standards);
                self.page(path, "requests.html", &ctx)
            }
            Job::Standards(v) => {
                let mut ctx = self.base(dir, "../../", v.title);
                ctx.insert("s", v);
                self.page(path, "standards.html", &ctx)
            }
            Job::Vote(v) => {
                let mut ctx = self.base(dir, "../../", v.title);
                ctx.insert("v", v);
                self.page(path, "vote.html", &ctx)
            }
            Job::Print(_) => unreachable!("print jobs are rendered by render_print"),
            Job::Wechat(c) => self.emit(path, print::wechat_text(c, &site.name, &self.opts.base_url, site.lang).as_bytes()),
            Job::Tombstone(e) => {
                let depth = dir.matches('/').count();
                let mut ctx = self.base(dir, &"../".repeat(depth), &e.title);
                ctx.insert("e", e);
                ctx.insert("kind", e.kind.zh());
                self.page(path, "tombstone.html", &ctx)
            }
            Job::Place(place) => {
                let name = site.place_name(place);
                let mut ctx = self.base(dir, "../../", &name);
                let (here, everywhere) = shared.places.notices(place, cards);
                let (here_now, here_past) = now_and_past(here);
                let (mut all_now, all_past) = now_and_past(everywhere);
                all_now.sort_by_key(|c| !c.pinned);
                ctx.insert("place", &views::place_view(site, place));
                ctx.insert("here_now", &here_now);
                // An entrance page is read on a phone at the door: the latest past notices, and
                // the archive for the rest.
                ctx.insert("here_past_count", &here_past.len());
                ctx.insert("here_past", &here_past.iter().take(PLACE_PAST).map(|c| c.line()).collect::<Vec<_>>());
                ctx.insert("all_now", &all_now);
                ctx.insert("all_past_count", &all_past.len());
                ctx.insert("all_past", &all_past.iter().take(PLACE_PAST).map(|c| c.line()).collect::<Vec<_>>());
                ctx.insert("contacts", &site.contacts);
                ctx.insert("today", &today.to_string());
                ctx.insert("funds", &self.balances);
                self.page(path, "place.html", &ctx)
            }
        }
    }

    /// The context every page starts from: site facts, the way back to the root, the title and
    /// the page's absolute address.
    fn base(&self, path: &str, root: &str, title: &str) -> Context {
        let site = &self.content.site;
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &SiteView { name: &site.name, description: site.description.as_deref(), lang: site.lang.code(), base_url: &self.opts.base_url },
        );
        ctx.insert("root", root);
        ctx.insert("title", title);
        ctx.insert("canonical", &format!("{}/{}", self.opts.base_url, path));
        ctx
    }

    fn page(&self, path: &str, template: &str, ctx: &Context) -> Result<Put, Diagnostic> {
        let html = self.render_bytes(template, ctx, path)?;
        self.emit(path, &html)
    }

    /// Hands one finished file to the sink.
    fn emit(&self, path: &str, bytes: &[u8]) -> Result<Put, Diagnostic> {
        self.sink.put(path, bytes).map_err(|e| self.write_error(path, &e))
    }

    fn write_error(&self, path: &str, e: &std::io::Error) -> Diagnostic {
        Diagnostic::error(path, msg!("写入 /{path} 失败：{e}", "writing /{path} failed: {e}"))
    }

    /// `template` rendered as text, for a sheet that goes into a larger document.
    fn render_template(&self, template: &str, ctx: &Context, path: &str) -> Result<String, Diagnostic> {
        let bytes = self.render_bytes(template, ctx, path)?;
        String::from_utf8(bytes).map_err(|e| self.template_error(template, path, &tera::Error::msg(e.to_string())))
    }

    /// `template` rendered as the bytes of a file. (Every piece of a template and of its
    /// context is text, so they are UTF-8 without being checked again.)
    fn render_bytes(&self, template: &str, ctx: &Context, path: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        match self.theme.tera.render_to(template, ctx, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(self.template_error(template, path, &e)),
        }
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

/// `/data/manifest.json`: every published item with its verification code, and every retired one.
fn manifest(items: &[crate::lock::Item], lock: &crate::lock::Lock, base_url: &str) -> String {
    #[derive(Serialize)]
    // Keys in alphabetical order, as the manifest has always had them.
    struct Current<'a> {
        code: &'a str,
        first_published: Option<String>,
        id: &'a str,
        kind: crate::lock::Kind,
        revisions: usize,
        title: &'a str,
        url: String,
    }
    #[derive(Serialize)]
    struct Retired<'a> {
        code: &'a str,
        first_published: String,
        id: &'a str,
        kind: crate::lock::Kind,
        note: &'a str,
        retired: String,
        revisions: usize,
        title: &'a str,
        url: String,
    }
    #[derive(Serialize)]
    struct Manifest<'a> {
        items: Vec<Current<'a>>,
        retired: Vec<Retired<'a>>,
    }
    let items = items
        .iter()
        .map(|i| Current {
            code: &i.code,
            first_published: lock.get(i.kind, &i.id).map(|e| e.first_published.to_string()),
            id: &i.id,
            kind: i.kind,
            revisions: i.revisions,
            title: &i.title,
            url: format!("{base_url}/{}", i.url),
        })
        .collect();
    let retired = lock
        .entries
        .iter()
        .filter_map(|e| {
            let r = e.retired.as_ref()?;
            Some(Retired {
                code: &e.code,
                first_published: e.first_published.to_string(),
                id: &e.id,
                kind: e.kind,
                note: &r.note,
                retired: r.date.to_string(),
                revisions: e.revisions,
                title: &e.title,
                url: format!("{base_url}/{}", e.url()),
            })
        })
        .collect();
    serde_json::to_string_pretty(&Manifest { items, retired }).expect("JSON of plain values") + "\n"
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
    theme.tera.register_filter("d", move |v: &tera::Value, _: &HashMap<String, tera::Value>| {
        let s = v.as_str().unwrap_or_default();
        Ok(tera::Value::String(Date::parse(s).map(|d| views::date_text(d, lang)).unwrap_or_else(|| s.to_string())))
    });
}
