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

/// Renders every page of the site.
/// `items` are the published items (for the manifest) and `lock` the publish lock after this
/// build (for first-published dates and tombstones).
pub fn render(
    root: &Path,
    content: &Content,
    opts: &RenderOptions,
    items: &[crate::lock::Item],
    lock: &crate::lock::Lock,
    sink: &dyn Sink,
) -> Result<Vec<Put>, Diagnostics> {
    let site = &content.site;
    let mut theme = Theme::load(root, &site.theme, site.lang)?;
    register_helpers(&mut theme, site.lang);
    let qr = qr::QrCache::default();
    let r = Renderer { content, opts, theme: &theme, balances: Vec::new(), qr: &qr, sink };

    let notices: Vec<NoticeView<'_>> = content.notices.par_iter().map(|n| NoticeView::new(n, site, opts.today)).collect();
    let pages: Vec<PageView<'_>> = content.pages.par_iter().map(|p| PageView::new(p, site)).collect();
    let cards: Vec<&NoticeCard<'_>> = notices.iter().map(|v| &v.card).collect();

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
    jobs.extend(notices.iter().map(Job::Notice));
    jobs.extend(pages.iter().map(Job::Page));
    jobs.extend(site.places().into_iter().map(Job::Place));
    jobs.push(Job::Requests);
    let taken: std::collections::HashSet<&str> = items.iter().map(|i| i.url.as_str()).collect();
    jobs.extend(lock.entries.iter().filter(|e| e.retired.is_some() && !taken.contains(e.url().as_str())).map(Job::Tombstone));
    jobs.extend(standards.iter().map(Job::Standards));
    jobs.extend(votes.iter().map(Job::Vote));

    let shared =
        Shared { cards: &cards, notices: &notices, pages: &pages, standards: &standards, votes: &votes, performance: &performance };
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

    let results: Vec<Result<Put, Diagnostic>> = jobs
        .par_iter()
        .map(|job| match job {
            Job::Print(p) => r.render_print(p, &shared),
            _ => r.render_job(job, &shared),
        })
        .collect();
    let mut errs = Diagnostics::default();
    let mut out = Vec::with_capacity(results.len() + cards.len() + 8);
    for res in results {
        match res {
            Ok(f) => out.push(f),
            Err(d) => errs.push(d),
        }
    }
    if errs.has_errors() {
        return Err(errs);
    }
    let urls: Vec<String> = out
        .iter()
        .filter(|f| f.path != "404.html" && !f.path.starts_with("print/"))
        .map(|f| f.path.trim_end_matches("index.html").to_string())
        .collect();
    let wechat: Vec<Result<Put, Diagnostic>> = cards
        .par_iter()
        .map(|c| {
            let text = print::wechat_text(c, &site.name, &opts.base_url, site.lang);
            r.emit(&format!("wechat/{}.txt", c.href.trim_end_matches('/')), text.as_bytes())
        })
        .collect();
    for w in wechat {
        out.push(w.map_err(Diagnostics::from)?);
    }
    let mut data: Vec<(String, Vec<u8>)> = vec![
        ("feed.xml".into(), feed::atom(site, &opts.base_url, &cards).into()),
        ("sitemap.xml".into(), feed::sitemap(&opts.base_url, &urls).into()),
    ];
    for l in &content.ledgers {
        data.push((format!("data/accounts/{}/{}.json", l.fund, l.period.key), accounts::ledger_json(l).into()));
        data.push((format!("data/accounts/{}/{}.csv", l.fund, l.period.key), accounts::ledger_csv(l).into()));
    }
    data.push(("data/accounts.csv".into(), accounts::all_csv(&content.ledgers).into()));
    data.push(("data/requests/summary.json".into(), services::summary_json(&performance, content.standards.last()).into()));
    data.push(("data/requests.csv".into(), services::requests_csv(&outcomes, site).into()));
    data.push(("data/manifest.json".into(), manifest(items, lock, &opts.base_url).into()));
    for v in &content.votes {
        data.push((format!("data/votes/{}.json", v.id), votes::vote_json(v).into()));
    }
    for (name, bytes) in &theme.assets {
        data.push((format!("assets/{name}"), bytes.clone()));
    }
    for rel in static_files(root) {
        let path = rel.strip_prefix("content/").unwrap_or(&rel).to_string();
        let bytes = std::fs::read(root.join(&rel)).map_err(|e| r.write_error(&path, &e))?;
        data.push((path, bytes));
    }
    for (path, bytes) in data {
        out.push(r.emit(&path, &bytes)?);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
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
}

/// Views made once and shared by the pages and sheets that list them.
struct Shared<'a> {
    cards: &'a [&'a NoticeCard<'a>],
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
    fn render_job(&self, job: &Job<'_>, shared: &Shared<'_>) -> Result<Put, Diagnostic> {
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
                self.page("index.html", "index.html", &ctx)
            }
            Job::Archive => {
                let mut ctx = self.base("n/", "../", self.theme.t("archive"));
                let mut months: Vec<views::Month<'_, '_>> = Vec::new();
                for c in cards {
                    let key = &c.date[..7];
                    match months.last_mut() {
                        Some(m) if m.key == key => m.notices.push(c),
                        _ => {
                            months.push(views::Month { key: key.to_string(), label: views::month_label(key, site.lang), notices: vec![c] })
                        }
                    }
                }
                ctx.insert("months", &months);
                self.page("n/index.html", "archive.html", &ctx)
            }
            Job::Buildings => {
                let mut ctx = self.base("b/", "../", self.theme.t("buildings"));
                ctx.insert("buildings", &views::building_links(site));
                ctx.insert("contacts", &site.contacts);
                self.page("b/index.html", "buildings.html", &ctx)
            }
            Job::NotFound => {
                // Served at any depth, so its links are absolute.
                let root = format!("{}/", self.opts.base_url);
                let mut ctx = self.base("404.html", &root, self.theme.t("not_found"));
                ctx.insert("contacts", &site.contacts);
                self.page("404.html", "404.html", &ctx)
            }
            Job::Notice(v) => {
                let path = format!("n/{}/", v.card.id);
                let mut ctx = self.base(&path, "../../", v.card.title);
                ctx.insert("notice", &v.card);
                ctx.insert("body", &v.body_html);
                ctx.insert("revisions", &v.revisions);
                ctx.insert("scope", &v.scope_links);
                self.page(&format!("{path}index.html"), "notice.html", &ctx)
            }
            Job::Page(v) => {
                let path = format!("p/{}/", v.card.id);
                let mut ctx = self.base(&path, "../../", v.card.title);
                ctx.insert("page", &v.card);
                ctx.insert("body", &v.body_html);
                ctx.insert("revisions", &v.revisions);
                self.page(&format!("{path}index.html"), "page.html", &ctx)
            }
            Job::Accounts => {
                let mut ctx = self.base("a/", "../", self.theme.t("accounts"));
                ctx.insert("funds", &self.balances);
                self.page("a/index.html", "accounts.html", &ctx)
            }
            Job::Fund(id) => {
                let path = format!("a/{id}/");
                let fund = self.balances.iter().find(|b| b.href == path);
                let name = fund.map(|f| f.name.as_str()).unwrap_or(id);
                let mut ctx = self.base(&path, "../../", name);
                let ledgers = accounts::fund_ledgers(self.content, id);
                ctx.insert("fund", &fund);
                ctx.insert("chart", &accounts::balance_chart(&ledgers, &format!("{name} {}", self.theme.t("balance_over_time"))));
                self.page(&format!("{path}index.html"), "fund.html", &ctx)
            }
            Job::Statement(l) => {
                let path = format!("a/{}/{}/", l.fund, l.period.key);
                let view = accounts::statement(l, site);
                let title = format!(
                    "{} {}",
                    site.funds.iter().find(|f| f.id == l.fund).map(|f| f.name.as_str()).unwrap_or(&l.fund),
                    l.period.label_zh()
                );
                let mut ctx = self.base(&path, "../../../", &title);
                ctx.insert("s", &view);
                self.page(&format!("{path}index.html"), "statement.html", &ctx)
            }
            Job::Requests => {
                let mut ctx = self.base("r/", "../", self.theme.t("performance"));
                ctx.insert("p", shared.performance);
                ctx.insert("standards", shared.standards);
                self.page("r/index.html", "requests.html", &ctx)
            }
            Job::Standards(v) => {
                let mut ctx = self.base(&v.href, "../../", v.title);
                ctx.insert("s", v);
                self.page(&format!("{}index.html", v.href), "standards.html", &ctx)
            }
            Job::Vote(v) => {
                let mut ctx = self.base(&v.href, "../../", v.title);
                ctx.insert("v", v);
                self.page(&format!("{}index.html", v.href), "vote.html", &ctx)
            }
            Job::Print(_) => unreachable!("print jobs are rendered by render_print"),
            Job::Tombstone(e) => {
                let path = e.url();
                let depth = path.matches('/').count();
                let mut ctx = self.base(&path, &"../".repeat(depth), &e.title);
                ctx.insert("e", e);
                ctx.insert("kind", e.kind.zh());
                self.page(&format!("{path}index.html"), "tombstone.html", &ctx)
            }
            Job::Place(place) => {
                let path = format!("b/{}/", place.id());
                let name = site.place_name(place);
                let mut ctx = self.base(&path, "../../", &name);
                let (here, everywhere) = views::place_notices(self.content, place, cards);
                let (here_now, here_past): (Vec<_>, Vec<_>) = here.into_iter().partition(|c| c.state != "expired");
                let (mut all_now, all_past): (Vec<_>, Vec<_>) = everywhere.into_iter().partition(|c| c.state != "expired");
                all_now.sort_by_key(|c| !c.pinned);
                ctx.insert("place", &views::place_view(site, place));
                ctx.insert("here_now", &here_now);
                // An entrance page is read on a phone at the door: the latest past notices, and
                // the archive for the rest.
                ctx.insert("here_past_count", &here_past.len());
                ctx.insert("here_past", &here_past[..here_past.len().min(PLACE_PAST)]);
                ctx.insert("all_now", &all_now);
                ctx.insert("all_past_count", &all_past.len());
                ctx.insert("all_past", &all_past[..all_past.len().min(PLACE_PAST)]);
                ctx.insert("contacts", &site.contacts);
                ctx.insert("today", &today.to_string());
                ctx.insert("funds", &self.balances);
                self.page(&format!("{path}index.html"), "place.html", &ctx)
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
        let html = self.render_template(template, ctx, path)?;
        self.emit(path, html.as_bytes())
    }

    /// Hands one finished file to the sink.
    fn emit(&self, path: &str, bytes: &[u8]) -> Result<Put, Diagnostic> {
        self.sink.put(path, bytes).map_err(|e| self.write_error(path, &e))
    }

    fn write_error(&self, path: &str, e: &std::io::Error) -> Diagnostic {
        Diagnostic::error(path, msg!("写入 /{path} 失败：{e}", "writing /{path} failed: {e}"))
    }

    fn render_template(&self, template: &str, ctx: &Context, path: &str) -> Result<String, Diagnostic> {
        match self.theme.tera.render(template, ctx) {
            Ok(html) => Ok(html),
            Err(e) => {
                let detail = theme::tera_error_chain(&e);
                Err(Diagnostic::error(
                    Path::new("themes").join(&self.content.site.theme).join("templates").join(template),
                    msg!("生成 /{path} 时模板出错：{detail}", "the template failed while making /{path}: {detail}"),
                ))
            }
        }
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
    let current: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            let e = lock.get(i.kind, &i.id);
            serde_json::json!({
                "kind": i.kind, "id": i.id, "title": i.title, "url": format!("{base_url}/{}", i.url), "code": i.code,
                "first_published": e.map(|e| e.first_published.to_string()), "revisions": i.revisions,
            })
        })
        .collect();
    let retired: Vec<serde_json::Value> = lock
        .entries
        .iter()
        .filter_map(|e| {
            let r = e.retired.as_ref()?;
            Some(serde_json::json!({
                "kind": e.kind, "id": e.id, "title": e.title, "url": format!("{base_url}/{}", e.url()), "code": e.code,
                "first_published": e.first_published.to_string(), "revisions": e.revisions,
                "retired": r.date.to_string(), "note": r.note,
            }))
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "items": current, "retired": retired })).expect("JSON of plain values") + "\n"
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
