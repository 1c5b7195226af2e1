//! Building only what is needed: a build stops before reading any source when nothing under
//! `content/` or `themes/` was touched since the build that the output folder holds (its
//! stamp), writes nothing when nothing the output depends on changed (its fingerprint), and,
//! in `serve`, re-renders after an edit of notices only the files that show them.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::{fingerprint, msg, output, render, site, BuildOptions, Failure, Prepared, Report};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// What `serve` keeps from one build to the next, so that an edit of notices re-renders only
/// the files that show them.
#[derive(Default)]
pub struct Session {
    /// The inputs of the build that wrote the output folder.
    inputs: Option<fingerprint::Inputs>,
    /// The places each notice of that build concerned (empty: the whole community).
    scopes: BTreeMap<String, Vec<site::Place>>,
    /// The compiled theme, by [`render::theme::key`].
    theme: Option<(String, Arc<render::theme::Theme>)>,
    /// The process ends after this build (the `build` command): nothing is kept for a next
    /// build.
    last: bool,
    /// What the last build read and rendered, when `last`: handed back to the caller (see
    /// [`Session::into_kept`]) instead of freed piece by piece.
    kept: Vec<Box<dyn std::any::Any + Send>>,
}

impl Session {
    /// A session for the one build of a process that exits right after it.
    pub fn last() -> Session {
        Session { last: true, ..Session::default() }
    }

    /// What a [`Session::last`] build read and rendered. Freeing it takes time in proportion to
    /// the site (0.1 s at 100,000 notices); a process that exits next may leave it to the
    /// system, which takes the whole memory back at once.
    pub fn into_kept(self) -> Vec<Box<dyn std::any::Any + Send>> {
        self.kept
    }

    /// The site's theme: the one kept from the last build when nothing of it changed.
    fn theme(&mut self, root: &Path, site: &site::Site) -> Result<Arc<render::theme::Theme>, Diagnostics> {
        let key = render::theme::key(root, &site.theme, site.lang);
        match &self.theme {
            Some((k, theme)) if *k == key => Ok(theme.clone()),
            _ => {
                let theme = Arc::new(render::load_theme(root, site)?);
                self.theme = Some((key, theme.clone()));
                Ok(theme)
            }
        }
    }

    /// Compiles the theme while the sources are read: it needs only site.yaml's theme and
    /// language. (Errors are left to `prepare`, and to [`Session::theme`] after it.)
    fn preload(&mut self, root: &Path) {
        if let Ok(site) = site::Site::load(root) {
            let _ = self.theme(root, &site);
        }
    }

    /// The place of every notice that an edit of `ids` may have added to or removed from a
    /// page: where each is now, and where it was in the last build.
    fn places_of(&self, prepared: &Prepared, ids: &[String]) -> Vec<Option<site::Place>> {
        let mut places = Vec::new();
        for id in ids {
            let now = prepared.content.notices.iter().find(|n| &n.id == id).map(|n| n.scope.clone());
            let was = self.scopes.get(id).cloned();
            for scope in [now, was].into_iter().flatten() {
                if scope.is_empty() {
                    places.push(None);
                }
                places.extend(scope.into_iter().map(Some));
            }
        }
        places
    }
}

/// [`crate::build_in`]'s work: see the module's description. `prepare` loads and validates.
pub(crate) fn build(
    opts: &BuildOptions,
    session: &mut Session,
    prepare: fn(&BuildOptions) -> Result<Prepared, Failure>,
) -> Result<Outcome, Failure> {
    let out = opts.output_dir();
    let write_failed = |e: std::io::Error| {
        let detail = e.to_string();
        Failure::Content(Diagnostic::error(&out, msg!("写入输出文件夹失败：{detail}", "writing the output folder failed: {detail}")).into())
    };
    // Taken before reading the sources, so that an edit made while building shows next time.
    // (`serve` always reads them: it keeps what it read to re-render only what an edit affects.)
    let stamp = || fingerprint::stamp(&opts.root, opts.base_url.as_deref(), opts.today(), opts.drafts);
    let held = output::Held::read(&out);
    // Publishing always reads the sources: it records them.
    let (stamp, prepared) = match held.as_ref().filter(|_| !opts.preview && !opts.publish) {
        Some(h) => {
            let stamp = stamp();
            if h.made.stamp == stamp {
                if let Some(n) = h.intact(&out) {
                    return Ok(Outcome::UpToDate(Report { files: n, unchanged: n, notices: h.made.notices, ..Report::default() }));
                }
            }
            let (prepared, ()) = rayon::join(|| prepare(opts), || session.preload(&opts.root));
            (stamp, prepared?)
        }
        None => {
            let ((stamp, prepared), ()) = rayon::join(|| rayon::join(stamp, || prepare(opts)), || session.preload(&opts.root));
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
            Some(ids) => render::Scope::Notices { ids, places: session.places_of(&prepared, ids) },
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
            session.kept.push(Box::new(rendered));
        } else {
            report.rendered = rendered.puts.into_iter().map(|p| p.path).collect();
        }
    }
    if !session.last {
        session.scopes = prepared.content.notices.iter().map(|n| (n.id.clone(), n.scope.clone())).collect();
        session.inputs = Some(prepared.inputs.clone());
    }
    Ok(Outcome::Built(report, Box::new(prepared)))
}

/// What [`build`] did.
pub(crate) enum Outcome {
    /// Nothing was touched since the build the output folder holds: no source was read.
    UpToDate(Report),
    /// The sources were read and the output folder brought up to date.
    Built(Report, Box<Prepared>),
}

impl Session {
    /// Keeps what a [`Session::last`] build read (see [`Session::into_kept`]).
    pub(crate) fn keep(&mut self, prepared: Box<Prepared>) {
        if self.last {
            self.kept.push(prepared);
        }
    }
}
