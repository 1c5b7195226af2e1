//! gongshi (公示): a static-site generator for residential community transparency boards.
//!
//! The pipeline runs one way — **load → validate → render → write** — and `public/` is only
//! touched once everything before it succeeded:
//!
//! ```text
//! content::load   every source, validated        → Content  (or all diagnostics)
//! lock::reconcile Content + publish.lock         → the lock this build leaves (or errors)
//! render::render  Content + theme + lock         → each file, as it is made, into a staging
//!                                                  folder beside public/ (only changed ones)
//! Stage::commit   the stage renamed into public/  → public/, then publish.lock
//! ```
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

pub mod calendar;
pub mod code;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
pub mod lock;
pub mod money;
pub mod output;
pub mod period;
pub mod privacy;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;

use content::LoadOptions;
use date::Date;
use diagnostics::{Diagnostic, Diagnostics, Lang};
use std::path::{Path, PathBuf};

/// Options of `build` and `check`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Output folder; `root/public` when absent.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml (e.g. for a test server).
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// "Today"; the local date when absent.
    pub as_of: Option<Date>,
    /// A preview (`serve`): everything is checked against `publish.lock`, but nothing is
    /// recorded in it — previewing is not publishing.
    pub preview: bool,
}

impl BuildOptions {
    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }

    /// The output folder as messages name it: `public/`, `site/public/`, `out/`.
    pub fn output_label(&self) -> String {
        let shown = diagnostics::display_path(&self.output_dir());
        let shown = shown.strip_prefix("./").unwrap_or(&shown).trim_end_matches('/');
        format!("{shown}/")
    }

    fn today(&self) -> Date {
        self.as_of.unwrap_or_else(|| Date(chrono::Local::now().date_naive()))
    }
}

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Files in the site.
    pub files: usize,
    /// Files written (0 for `check`).
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
    /// Notices published.
    pub notices: usize,
    /// Items published for the first time by this build (recorded in `publish.lock`).
    pub newly_published: usize,
    /// Whether the sources were read: not when no file under `content/` or `themes/` had been
    /// touched since the build the output folder holds.
    pub sources_read: bool,
    /// Files rendered: all of them, none when the output was already up to date, or (in
    /// `serve`, after an edit of notices) only the ones that show them. Not listed for a
    /// [`Session::last`] build, which only counts them.
    pub rendered: Vec<String>,
    /// Warnings.
    pub warnings: Diagnostics,
}

/// Why a command failed, and so its exit status.
#[derive(Debug)]
pub enum Failure {
    /// The sources have errors (exit 1).
    Content(Diagnostics),
    /// The command line asked for something unsafe or impossible (exit 2).
    Usage(Diagnostics),
}

impl Failure {
    /// Exit status of §4: 1 for content errors, 2 for usage errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Content(_) => 1,
            Failure::Usage(_) => 2,
        }
    }

    /// The diagnostics to show.
    pub fn diagnostics(&self) -> &Diagnostics {
        match self {
            Failure::Content(d) | Failure::Usage(d) => d,
        }
    }
}

/// Loads, validates and renders the site, then writes it — or writes nothing at all.
pub fn build(opts: &BuildOptions) -> Result<Report, Failure> {
    build_in(opts, &mut Session::default())
}

/// What `serve` keeps from one build to the next, so that an edit of notices re-renders only
/// the files that show them.
#[derive(Default)]
pub struct Session {
    /// The inputs of the build that wrote the output folder.
    inputs: Option<fingerprint::Inputs>,
    /// The places each notice of that build concerned (empty: the whole community).
    scopes: std::collections::BTreeMap<String, Vec<site::Place>>,
    /// The compiled theme, by [`render::theme::key`].
    theme: Option<(String, std::sync::Arc<render::theme::Theme>)>,
    /// The process ends after this build (the `build` command): nothing is kept for a next
    /// build, and what the build read is not freed piece by piece, since the system takes the
    /// whole memory back at once when the process exits (100,000 notices took 0.1 s to free).
    last: bool,
}

impl Session {
    /// A session for the one build of a process that exits right after it.
    pub fn last() -> Session {
        Session { last: true, ..Session::default() }
    }

    /// The site's theme: the one kept from the last build when nothing of it changed.
    fn theme(&mut self, root: &Path, site: &site::Site) -> Result<std::sync::Arc<render::theme::Theme>, Diagnostics> {
        let key = render::theme::key(root, &site.theme, site.lang);
        match &self.theme {
            Some((k, theme)) if *k == key => Ok(theme.clone()),
            _ => {
                let theme = std::sync::Arc::new(render::load_theme(root, site)?);
                self.theme = Some((key, theme.clone()));
                Ok(theme)
            }
        }
    }
}

/// [`build`], re-rendering only what changed since the last build of `session` when that was
/// only notices.
pub fn build_in(opts: &BuildOptions, session: &mut Session) -> Result<Report, Failure> {
    let out = opts.output_dir();
    output::check_output(&opts.root, &out).map_err(|d| Failure::Usage(d.into()))?;
    let write_failed = |e: std::io::Error| {
        let detail = e.to_string();
        Failure::Content(Diagnostic::error(&out, msg!("写入输出文件夹失败：{detail}", "writing the output folder failed: {detail}")).into())
    };
    // Not one source file touched since the build that wrote `out`: nothing to do. (Taken
    // before reading the sources, so that an edit made while building shows next time. `serve`
    // always reads them: it keeps what it read to re-render only what an edit affects.)
    let stamp = || fingerprint::stamp(&opts.root, opts.base_url.as_deref(), opts.today(), opts.drafts);
    let held = output::Held::read(&out);
    // The theme compiles while the sources are read: it needs only site.yaml's theme and
    // language. (Errors are left to `prepare`, and to `Session::theme` after it.)
    let preload = |session: &mut Session| {
        if let Ok(site) = site::Site::load(&opts.root) {
            let _ = session.theme(&opts.root, &site);
        }
    };
    let (stamp, prepared) = match held.as_ref().filter(|_| !opts.preview) {
        Some(h) => {
            let stamp = stamp();
            if h.made.stamp == stamp {
                if let Some(n) = h.intact(&out) {
                    return Ok(Report { files: n, unchanged: n, notices: h.made.notices, ..Report::default() });
                }
            }
            let (prepared, ()) = rayon::join(|| prepare(opts), || preload(session));
            (stamp, prepared?)
        }
        None => {
            // Nothing to compare with: taken while the sources are read.
            let ((stamp, prepared), ()) = rayon::join(|| rayon::join(stamp, || prepare(opts)), || preload(session));
            (stamp, prepared?)
        }
    };
    let mut report = prepared.report(0);
    let before = session.inputs.take();
    // A build with warnings records no stamp to stop early on: the next build reads the sources
    // again and shows the warnings again (and still writes nothing if nothing changed).
    let stamp = if prepared.warnings.items.is_empty() { stamp } else { String::from("warnings") };
    let made = output::Made { fingerprint: prepared.inputs.fingerprint(), stamp, notices: prepared.content.notices.len() };
    let same = held.as_ref().filter(|h| h.made.fingerprint == made.fingerprint);
    if let Some((h, n)) = same.and_then(|h| Some((h, h.intact(&out)?))) {
        // Nothing the output depends on has changed since the build that wrote `out` (files
        // were touched, or saved unchanged): record the new stamp, so that the next build stops
        // at once.
        if h.made != made {
            h.restamp(&out, &made).map_err(write_failed)?;
        }
        report.files = n;
        report.unchanged = n;
    } else {
        // Each file goes to a staging folder beside `out` as it is rendered; `out` itself is
        // only touched once every file rendered. After an edit of notices only, in `serve`,
        // only what shows them is rendered.
        let held_fingerprint = held.as_ref().map(|h| h.made.fingerprint.clone());
        let changed = before.filter(|b| Some(b.fingerprint()) == held_fingerprint).and_then(|b| prepared.inputs.changed_notices(&b));
        let scope = match &changed {
            Some(ids) => {
                let mut places = Vec::new();
                for id in ids {
                    let now = prepared.content.notices.iter().find(|n| &n.id == id).map(|n| n.scope.clone());
                    let was = session.scopes.get(id).cloned();
                    for scope in [now, was].into_iter().flatten() {
                        if scope.is_empty() {
                            places.push(None);
                        }
                        places.extend(scope.into_iter().map(Some));
                    }
                }
                render::Scope::Notices { ids, places }
            }
            None => render::Scope::All,
        };
        let stage = output::Stage::begin(&out).map_err(write_failed)?;
        let theme = session.theme(&opts.root, &prepared.content.site).map_err(|d| prepared.failure(d))?;
        let rendered = prepared.render(opts, &theme, &scope, &stage)?;
        let written = stage.commit(&rendered.puts, &rendered.paths, &made).map_err(write_failed)?;
        report.files = rendered.paths.len();
        report.written = written.written;
        report.unchanged = written.unchanged;
        report.removed = written.removed;
        if session.last {
            std::mem::forget(rendered);
        } else {
            report.rendered = rendered.puts.into_iter().map(|p| p.path).collect();
        }
    }
    if !session.last {
        session.scopes = prepared.content.notices.iter().map(|n| (n.id.clone(), n.scope.clone())).collect();
        session.inputs = Some(prepared.inputs.clone());
    }
    // The site is out: record what it published.
    if opts.preview {
        return Ok(report);
    }
    prepared.lock.write(&opts.root).map_err(|e| {
        let detail = e.to_string();
        Failure::Content(
            Diagnostic::error(lock::LOCK_PATH, msg!("写入公示记录失败：{detail}", "writing the publish lock failed: {detail}")).into(),
        )
    })?;
    if session.last {
        std::mem::forget(prepared);
    }
    Ok(report)
}

/// Everything `build` validates and renders, writing nothing.
pub fn check(opts: &BuildOptions) -> Result<Report, Failure> {
    let prepared = prepare(opts)?;
    let theme = render::load_theme(&opts.root, &prepared.content.site).map_err(|d| prepared.failure(d))?;
    let rendered = prepared.render(opts, &theme, &render::Scope::All, &output::Discard)?;
    Ok(prepared.report(rendered.paths.len()))
}

/// A site loaded, validated and reconciled with the lock, ready to render.
struct Prepared {
    content: content::Content,
    warnings: Diagnostics,
    items: Vec<lock::Item>,
    /// The publish lock after this build.
    lock: lock::Lock,
    newly_published: usize,
    render_opts: render::RenderOptions,
    /// This build's inputs.
    inputs: fingerprint::Inputs,
}

impl Prepared {
    fn report(&self, files: usize) -> Report {
        Report {
            files,
            notices: self.content.notices.len(),
            newly_published: self.newly_published,
            sources_read: true,
            warnings: self.warnings.clone(),
            ..Report::default()
        }
    }

    /// Renders every file of the site into `sink`.
    fn render(
        &self,
        opts: &BuildOptions,
        theme: &render::theme::Theme,
        scope: &render::Scope<'_>,
        sink: &dyn output::Sink,
    ) -> Result<render::Rendered, Failure> {
        let published = render::Published { items: &self.items, lock: &self.lock };
        render::render(&opts.root, &self.content, &self.render_opts, published, theme, scope, sink).map_err(|d| self.failure(d))
    }

    /// Content errors, with the warnings of loading after them.
    fn failure(&self, mut d: Diagnostics) -> Failure {
        d.items.extend(self.warnings.items.iter().cloned());
        Failure::Content(d)
    }
}

/// Loads, validates and reconciles with the lock.
fn prepare(opts: &BuildOptions) -> Result<Prepared, Failure> {
    let base_url = match &opts.base_url {
        Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => {
            return Err(Failure::Usage(
                Diagnostic::error("--base-url", msg!("`{u}` 不是完整网址", "`{u}` is not a full web address"))
                    .hint(msg!("例如 --base-url https://hupan.example.cn", "e.g. --base-url https://hupan.example.cn"))
                    .into(),
            ))
        }
        other => other.clone(),
    };
    // The publish lock is read while the sources load.
    let ((content, warnings), published) =
        rayon::join(|| content::load(&opts.root, LoadOptions { drafts: opts.drafts }), || lock::Lock::read(&opts.root));
    let Some(content) = content else { return Err(Failure::Content(warnings)) };
    let with_warnings = |mut d: Diagnostics| {
        d.items.extend(warnings.items.iter().cloned());
        Failure::Content(d)
    };
    let mut future = Diagnostics::default();
    content::requests::check_not_after(&content.requests, opts.today(), &mut future);
    if future.has_errors() {
        return Err(with_warnings(future));
    }
    let published = published.map_err(|d| with_warnings(d.into()))?;
    let items = lock::items(&content);
    let lock = published.reconcile(&opts.root, &items, opts.today()).map_err(with_warnings)?;
    let newly_published = lock.entries.len() - published.entries.len();
    let render_opts = render::RenderOptions {
        today: opts.today(),
        base_url: base_url.map(|u| u.trim_end_matches('/').to_string()).unwrap_or_else(|| content.site.base_url.clone()),
    };
    let inputs = fingerprint::of(&opts.root, &content, &render_opts.base_url, render_opts.today, opts.drafts, &lock);
    Ok(Prepared { content, warnings, items, lock, newly_published, render_opts, inputs })
}

/// `gongshi retire`: marks a published item as retired in `publish.lock`.
pub fn retire(root: &Path, target: &str, note: &str, today: Date) -> Result<lock::Entry, Failure> {
    let mut lock = lock::Lock::read(root).map_err(|d| Failure::Content(d.into()))?;
    let entry = lock.retire(target, note, today).map_err(|d| Failure::Usage(d.into()))?.clone();
    lock.write(root).map_err(|e| {
        let detail = e.to_string();
        Failure::Content(
            Diagnostic::error(lock::LOCK_PATH, msg!("写入公示记录失败：{detail}", "writing the publish lock failed: {detail}")).into(),
        )
    })?;
    Ok(entry)
}

/// The language messages about `root` should be shown in: site.yaml's, or Chinese when it
/// cannot be read.
pub fn site_lang(root: &Path) -> Lang {
    let text = std::fs::read_to_string(root.join("content/site.yaml")).unwrap_or_default();
    let value: serde_yaml::Value = serde_yaml::from_str(content::yaml::normalize(&text).as_str()).unwrap_or_default();
    match value.get("language").and_then(|v| v.as_str()) {
        Some(l) if l.starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}
