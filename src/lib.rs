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
//!
//! [`kind`] registers the kinds of item, [`address`] owns every address of the site, and
//! [`incremental`] decides how little of this a build needs to do.
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

pub mod address;
pub mod busy;
pub mod calendar;
pub mod code;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod duties;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod incremental;
pub mod keyboard;
pub mod kind;
pub mod lock;
pub mod log;
pub mod money;
pub mod output;
pub mod period;
pub mod poster;
pub mod privacy;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod spans;
pub mod verify;

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
    /// A preview (`serve`): the output is always rendered from the sources read afresh.
    pub preview: bool,
    /// Publish (`gongshi publish`): record in `publish.lock` and `content/history/` what this
    /// build puts out. Every other command checks the sources against what was published, and
    /// records nothing — previewing is not publishing.
    pub publish: bool,
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

    pub(crate) fn today(&self) -> Date {
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

pub use incremental::Session;

/// [`build`], doing only what changed since the last build of `session` (see [`incremental`]):
/// load → validate → render → write, then record what was published.
pub fn build_in(opts: &BuildOptions, session: &mut Session) -> Result<Report, Failure> {
    let out = opts.output_dir();
    output::check_output(&opts.root, &out).map_err(|d| Failure::Usage(d.into()))?;
    let _busy =
        busy::Busy::take(busy::output_file(&out), if opts.publish { "publish" } else { "build" }).map_err(|d| Failure::Usage(d.into()))?;
    // What a killed build left beside the output folder is put right first, even when there is
    // nothing to build.
    output::recover(&out).map_err(|e| {
        let detail = e.to_string();
        Failure::Content(
            Diagnostic::error(
                &out,
                msg!("整理上次中断留下的文件失败：{detail}", "clearing what an interrupted build left failed: {detail}"),
            )
            .into(),
        )
    })?;
    // Publishing records before the site goes out: a log ahead of public/ is caught up by the
    // next publish, a site ahead of its log would stop every command.
    let load = if opts.publish { prepare_and_record } else { prepare };
    let (report, prepared) = match incremental::build(opts, session, load)? {
        incremental::Outcome::UpToDate(report) => return Ok(report),
        incremental::Outcome::Built(report, prepared) => (report, prepared),
    };
    session.keep(prepared);
    Ok(report)
}

fn lock_write_failed(e: std::io::Error) -> Failure {
    let detail = e.to_string();
    Failure::Content(
        Diagnostic::error(lock::LOCK_PATH, msg!("写入公示记录失败：{detail}", "writing the publish lock failed: {detail}")).into(),
    )
}

/// What `gongshi publish` did.
#[derive(Debug)]
pub struct Publication {
    /// The build.
    pub report: Report,
    /// The publication recorded: its number, how many items it added, revised, updated, and
    /// how many entrance posters it recorded anew;
    /// `None` when nothing had changed since the last one.
    pub entry: Option<(u64, usize, usize)>,
    /// The folders the site was also put in (`--to`, or `publish_to:` in site.yaml).
    pub copied_to: Vec<PathBuf>,
}

/// `gongshi publish`: builds the site, records in `publish.lock` and `content/history/` what it
/// puts out, and with `to` (or `publish_to:` of site.yaml) puts the same site there too.
pub fn publish(opts: &BuildOptions, to: Option<&Path>) -> Result<Publication, Failure> {
    let opts = BuildOptions { publish: true, ..opts.clone() };
    let _busy = busy::site(&opts.root, "publish").map_err(|d| Failure::Usage(d.into()))?;
    // Nothing is recorded where a link stands in for the lock (a content/ folder received as a
    // zip may carry one to anywhere).
    output::refuse_link(&opts.root.join(lock::LOCK_PATH)).map_err(lock_write_failed)?;
    let target = match to {
        Some(t) => Some(t.to_path_buf()),
        None => site::Site::load(&opts.root).ok().and_then(|s| s.publish_to).map(|p| opts.root.join(p)),
    };
    // Where the copy goes is checked before anything is written or recorded.
    if let Some(dir) = &target {
        output::check_output(&opts.root, dir).map_err(|d| Failure::Usage(d.into()))?;
    }
    let seq_before = lock::Lock::read(&opts.root).map(|l| l.log.entries.len()).unwrap_or(0);
    let report = build_in(&opts, &mut Session::default())?;
    let after = lock::Lock::read(&opts.root).map_err(Failure::Content)?;
    let entry =
        (after.log.entries.len() > seq_before).then(|| after.log.entries.last().map(|p| (p.seq, p.items.len(), p.posters.len()))).flatten();
    let mut copied_to = Vec::new();
    if let Some(dir) = target {
        // The same build into the other folder, with all of its checks (never content/, the
        // site root or a folder gongshi did not make) and its atomic commit.
        let copy = BuildOptions { output: Some(dir.clone()), publish: false, ..opts.clone() };
        build_in(&copy, &mut Session::default())?;
        copied_to.push(dir);
    }
    Ok(Publication { report, entry, copied_to })
}

/// `gongshi lock restore`: rebuilds a lost or damaged `content/publish.lock` from the
/// `data/log.json` of the published site in `from`, checked against `content/history/`. Gives
/// the number of publications.
pub fn restore_lock(root: &Path, from: &Path) -> Result<usize, Failure> {
    let _busy = busy::site(root, "lock restore").map_err(|d| Failure::Usage(d.into()))?;
    let rel = from.join(address::LOG);
    let text = std::fs::read_to_string(&rel).map_err(|e| {
        let (shown, detail) = (diagnostics::display_path(&rel), e.to_string());
        Failure::Usage(
            Diagnostic::error(&rel, msg!("读不到 {shown}：{detail}", "cannot read {shown}: {detail}"))
                .hint(msg!(
                    "用 --from 指定已发布网站的文件夹（里面有 data/log.json），例如网站服务器上的那一份",
                    "name the published site's folder (holding data/log.json) with --from, e.g. the copy on the web server"
                ))
                .into(),
        )
    })?;
    let log = log::Log::from_json(&rel, &text).map_err(|d| Failure::Content(d.into()))?;
    if log.entries.is_empty() {
        let shown = diagnostics::display_path(&rel);
        return Err(Failure::Usage(
            Diagnostic::error(
                &rel,
                msg!("{shown} 里没有任何公示记录，没有可以恢复的", "{shown} records no publication: there is nothing to restore"),
            )
            .hint(msg!(
                "用 --from 指定真正发布过的网站文件夹，例如网站服务器上的那一份",
                "name the folder of the site as it was published with --from, e.g. the copy on the web server"
            ))
            .into(),
        ));
    }
    if let Ok(current) = lock::Lock::read(root) {
        if current.log.entries.starts_with(&log.entries) && !current.log.entries.is_empty() {
            // Intact, and it has all that was published (perhaps more, such as a retirement
            // not yet built): nothing to restore.
            return Ok(current.log.entries.len());
        }
    }
    let errs = log.check_history(root);
    if errs.has_errors() {
        return Err(Failure::Content(errs));
    }
    let restored = lock::Lock::replay(log);
    // A damaged or altered lock is kept beside, for whoever wants to see what was changed.
    let path = root.join(lock::LOCK_PATH);
    if path.is_file() {
        let mut aside = path.as_os_str().to_owned();
        aside.push(".replaced");
        std::fs::rename(&path, aside).map_err(lock_write_failed)?;
    }
    restored.write(root).map_err(lock_write_failed)?;
    Ok(restored.log.entries.len())
}

/// Everything `build` validates and renders, writing nothing.
pub fn check(opts: &BuildOptions) -> Result<Report, Failure> {
    let prepared = prepare(opts)?;
    let theme = render::load_theme(&opts.root, &prepared.content.site).map_err(|d| prepared.failure(d))?;
    let rendered = prepared.render(opts, &theme, &render::Scope::All, &output::Discard)?;
    Ok(prepared.report(rendered.paths.len()))
}

/// A site loaded, validated and reconciled with the lock, ready to render.
pub(crate) struct Prepared {
    pub(crate) content: content::Content,
    /// Warnings about the sources: a build with any reads them all again next time, to repeat them.
    pub(crate) warnings: Diagnostics,
    /// Disclosure duties overdue: a standing state of the site (on `/gongkai/` too), shown with
    /// each build that reads the sources, and not a reason to read them all again.
    pub(crate) reminders: Diagnostics,
    items: Vec<lock::Current>,
    /// The publish lock after this build.
    lock: lock::Lock,
    /// `publish` appended a publication to it.
    appended: bool,
    newly_published: usize,
    render_opts: render::RenderOptions,
    /// This build's inputs.
    pub(crate) inputs: fingerprint::Inputs,
}

impl Prepared {
    pub(crate) fn report(&self, files: usize) -> Report {
        Report {
            files,
            notices: self.content.notices.len(),
            newly_published: self.newly_published,
            sources_read: true,
            warnings: Diagnostics {
                items: self.warnings.items.iter().chain(&self.reminders.items).cloned().collect(),
                ..Default::default()
            },
            ..Report::default()
        }
    }

    /// Renders every file of the site into `sink`.
    pub(crate) fn render(
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
    pub(crate) fn failure(&self, mut d: Diagnostics) -> Failure {
        d.items.extend(self.warnings.items.iter().cloned());
        Failure::Content(d)
    }
}

/// [`prepare`], then, when that appended a publication, its versions into `content/history/`
/// and the log into `content/publish.lock` — before anything is rendered.
fn prepare_and_record(opts: &BuildOptions) -> Result<Prepared, Failure> {
    let prepared = prepare(opts)?;
    if prepared.appended {
        prepared.lock.write_history(&opts.root).map_err(|e| prepared.failure(history_write_failed(e).into()))?;
        prepared.lock.write(&opts.root).map_err(lock_write_failed)?;
    }
    Ok(prepared)
}

fn history_write_failed(e: std::io::Error) -> Diagnostic {
    let detail = e.to_string();
    Diagnostic::error(log::HISTORY_DIR, msg!("写入公示存档失败：{detail}", "writing the history failed: {detail}")).hint(msg!(
        "公示记录没有改动；解决后再运行一次 gongshi publish",
        "the publishing log was not changed; fix this and run gongshi publish again"
    ))
}

/// Loads, validates and reconciles with the lock.
fn prepare(opts: &BuildOptions) -> Result<Prepared, Failure> {
    let base_url = match &opts.base_url {
        Some(u) if !site::plain_web_address(u.trim_end_matches('/')) => {
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
    let published = published.map_err(with_warnings)?;
    // A site that was published has a log: without one, the published copy says otherwise.
    check_against_published(&published, &opts.output_dir()).map_err(|d| with_warnings(d.into()))?;
    let items = lock::items(&content);
    let mut lock = published.reconcile(&opts.root, &items, opts.today()).map_err(with_warnings)?;
    let mut appended = false;
    if opts.publish {
        if let Some(next) =
            published.publish(&opts.root, &lock, opts.today(), &poster::all(&content, opts.today())).map_err(with_warnings)?
        {
            lock = next;
            appended = true;
        }
    }
    let newly_published = lock.entries.len().saturating_sub(published.entries.len());
    let render_opts = render::RenderOptions {
        today: opts.today(),
        base_url: base_url.map(|u| u.trim_end_matches('/').to_string()).unwrap_or_else(|| content.site.base_url.clone()),
    };
    let inputs = fingerprint::of(&opts.root, &content, &render_opts.base_url, render_opts.today, opts.drafts, &lock);
    // Duties overdue are worth a reminder once the sources are in order (not among errors).
    let mut reminders = Diagnostics::default();
    // What is about to be published for the first time, or in a new version, is looked at
    // once more for text YAML drops and dates far from today.
    let unpublished: Vec<&Path> = content
        .items()
        .into_iter()
        .filter(|i| published.get(i.kind(), &i.id()).is_none_or(|e| e.code != i.code().as_str()))
        .map(|i| i.source())
        .collect();
    reminders.extend(content::second_look::look(&opts.root, &content, &unpublished, opts.today()).items);
    duties::warnings(&duties::status(&content, opts.today()), &mut reminders);
    Ok(Prepared { content, warnings, reminders, items, lock, appended, newly_published, render_opts, inputs })
}

/// The log the output folder published (its `data/log.json`) must be the lock's log or an
/// earlier part of it: a lock that lost lines, or whose lines were changed, is caught here even
/// where its own hash chain cannot tell (the last line has no successor naming its hash).
fn check_against_published(published: &lock::Lock, out: &Path) -> Result<(), Diagnostic> {
    let rel = out.join(address::LOG);
    let Ok(text) = std::fs::read_to_string(&rel) else { return Ok(()) };
    let shown = diagnostics::display_path(&rel);
    let online = log::Log::from_json(&rel, &text)?;
    if online.entries.is_empty() {
        return Ok(());
    }
    if published.log.entries.is_empty() {
        // Missing, emptied, or an older one put back: the published site has a log.
        return Err(lock::lost_lock(&shown));
    }
    let restore = msg!(
        "请从备份恢复 content/publish.lock，或运行 gongshi lock restore 按 {shown} 重建",
        "restore content/publish.lock from a backup, or run gongshi lock restore to rebuild it from {shown}"
    );
    for (mine, theirs) in published.log.entries.iter().zip(&online.entries) {
        if mine != theirs {
            let seq = theirs.seq;
            return Err(Diagnostic::error(
                lock::LOCK_PATH,
                msg!(
                    "公示记录第 {seq} 号和已发布的 {shown} 不一致：publish.lock 被改过",
                    "entry {seq} of the publishing log differs from the published {shown}: publish.lock was changed"
                ),
            )
            .hint(restore));
        }
    }
    if online.entries.len() > published.log.entries.len() {
        let (have, online_n) = (published.log.entries.len(), online.entries.len());
        return Err(Diagnostic::error(
            lock::LOCK_PATH,
            msg!(
                "publish.lock 只有 {have} 次公示，已发布的 {shown} 有 {online_n} 次：记录少了",
                "publish.lock has {have} publications, the published {shown} has {online_n}: entries are missing"
            ),
        )
        .hint(restore));
    }
    Ok(())
}

/// `gongshi retire`: marks a published item as retired in `publish.lock`.
pub fn retire(root: &Path, target: &str, note: &str, today: Date) -> Result<lock::Entry, Failure> {
    let _busy = busy::site(root, "retire").map_err(|d| Failure::Usage(d.into()))?;
    let mut lock = lock::Lock::read(root).map_err(Failure::Content)?;
    check_against_published(&lock, &root.join("public")).map_err(|d| Failure::Content(d.into()))?;
    let entry = lock.retire(target, note, today).map_err(|d| Failure::Usage(d.into()))?.clone();
    lock.write(root).map_err(lock_write_failed)?;
    Ok(entry)
}

/// The language messages about `root` should be shown in: site.yaml's, or Chinese when it
/// cannot be read.
pub fn site_lang(root: &Path) -> Lang {
    let text = std::fs::read_to_string(root.join("content/site.yaml")).unwrap_or_default();
    let value: serde_yaml::Value = serde_yaml::from_str(source::normalize(&text).as_str()).unwrap_or_default();
    match value.get("language").and_then(|v| v.as_str()) {
        Some(l) if l.starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}
