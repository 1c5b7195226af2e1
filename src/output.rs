//! Writing the site: only into a folder gongshi owns, through a staging folder beside it that
//! receives each file as soon as it is rendered (so a large site is never held in memory), each
//! file then replaced atomically and only when its bytes changed, and stale files (only ones
//! gongshi wrote) removed last.

use crate::diagnostics::{display_path, Diagnostic};
use crate::msg;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The list of files gongshi wrote into the output folder; its presence marks the folder as
/// gongshi's, so that a later build may replace and remove those files (and no others).
pub const MARKER: &str = ".gongshi-files";

/// What a write changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: usize,
    /// Files whose bytes were already right.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Makes `p` absolute and free of `.`/`..` without requiring it to exist.
pub fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks of the part that exists, so that two spellings of one folder compare equal.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_os_string());
                existing.pop();
            }
            None => break,
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Refuses an output folder that is the site root, `content/`, `themes/`, a parent of them or
/// inside them, a file, or a non-empty folder gongshi did not create.
pub fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let shown = display_path(output);
    let refuse = |why: crate::diagnostics::Msg| {
        Err(Diagnostic::error(output, why).hint(msg!(
            "输出文件夹应当是单独的一个文件夹，默认就是网站文件夹里的 public/",
            "the output must be a folder of its own; the default is public/ in the site folder"
        )))
    };
    for (protected, zh, en) in [
        (root.clone(), "网站文件夹本身", "the site folder itself"),
        (root.join("content"), "内容文件夹 content/", "the content/ folder"),
        (root.join("themes"), "主题文件夹 themes/", "the themes/ folder"),
    ] {
        if out == protected || protected.starts_with(&out) {
            return refuse(msg!(
                "不能输出到 `{shown}`：它就是{zh}或者包含它，生成网站时会删除里面的文件",
                "refusing to write to `{shown}`: it is {en} or contains it, and building would delete files there"
            ));
        }
        if out.starts_with(&protected) && protected != root {
            return refuse(msg!("不能输出到 `{shown}`：它在{zh}里面", "refusing to write to `{shown}`: it is inside {en}"));
        }
    }
    if out.is_file() {
        return refuse(msg!(
            "不能输出到 `{shown}`：这是一个文件，不是文件夹",
            "refusing to write to `{shown}`: it is a file, not a folder"
        ));
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let empty = fs::read_dir(&out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return refuse(msg!(
                "不能输出到 `{shown}`：这个文件夹不是空的，也不是 gongshi 生成的，里面的文件可能有用",
                "refusing to write to `{shown}`: the folder is not empty and was not made by gongshi"
            ));
        }
    }
    let stage = stage_dir(output);
    if stage.exists() && !stage.join(STAGE_MARKER).is_file() {
        let staged = display_path(&stage);
        return Err(Diagnostic::error(
            &stage,
            msg!(
                "`{staged}` 挡住了生成网站要用的暂存文件夹：它不是 gongshi 建的，里面的文件可能有用",
                "`{staged}` is in the way of the staging folder a build needs: gongshi did not make it, and its files may matter"
            ),
        )
        .hint(msg!(
            "看过里面没有要留的文件后，删除或改名这个文件夹，再生成一次",
            "once you have checked it holds nothing you need, delete or rename it and build again"
        )));
    }
    Ok(())
}

/// The staging folder of the output folder `out`: beside it, so that renaming a file from one
/// into the other never copies it (see [`Stage`]).
fn stage_dir(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.gongshi-staging"))
}

/// Beside the list of files: what the build that wrote them was made from ([`Made`]), then
/// each file's size.
pub const STATE: &str = ".gongshi-build";

/// What a build was made from, recorded in the output folder with its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    /// The fingerprint of its inputs (see [`crate::fingerprint`]).
    pub fingerprint: String,
    /// The stamp of its source files (see [`crate::fingerprint::stamp`]).
    pub stamp: String,
    /// How many notices it published.
    pub notices: usize,
}

/// What the output folder holds, as the last complete build recorded it: read once per build.
#[derive(Debug, Clone)]
pub struct Held {
    /// What that build was made from.
    pub made: Made,
    /// Its files' sizes and paths, a line each.
    sizes: String,
}

impl Held {
    /// The record of the build `output` holds, when it holds a complete one.
    pub fn read(output: &Path) -> Option<Held> {
        let text = fs::read_to_string(output.join(STATE)).ok()?;
        let mut lines = text.splitn(3, '\n');
        let fingerprint = lines.next()?.to_string();
        let (stamp, notices) = lines.next()?.split_once('\t')?;
        let made = Made { fingerprint, stamp: stamp.to_string(), notices: notices.parse().ok()? };
        Some(Held { made, sizes: lines.next().unwrap_or_default().to_string() })
    }

    /// When every file the build wrote is still in `output` at its size, their number.
    pub fn intact(&self, output: &Path) -> Option<usize> {
        let entries: Vec<(u64, &str)> =
            self.sizes.lines().map(|l| l.split_once('\t').and_then(|(n, p)| Some((n.parse().ok()?, p)))).collect::<Option<_>>()?;
        let ok = entries.par_iter().all(|(len, rel)| fs::metadata(output.join(rel)).is_ok_and(|m| m.is_file() && m.len() == *len));
        ok.then_some(entries.len())
    }

    /// Records `made` as what the (intact, unchanged) output folder was made from.
    pub fn restamp(&self, output: &Path, made: &Made) -> io::Result<()> {
        replace(&output.join(STATE), format!("{}\n{}\t{}\n{}", made.fingerprint, made.stamp, made.notices, self.sizes).as_bytes())
    }
}

/// One file of a build, as it went into a [`Sink`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    /// Relative path with forward slashes.
    pub path: String,
    /// Its size.
    pub len: u64,
    /// Whether its bytes differ from what the output folder holds (so it waits in the stage).
    pub changed: bool,
}

/// Where rendered files go.
pub trait Sink: Sync {
    /// Takes the file at `path` (relative, forward slashes).
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<Put>;
}

/// A sink that keeps nothing: `check` renders every page to validate the templates.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<Put> {
        Ok(Put { path: path.to_string(), len: bytes.len() as u64, changed: true })
    }
}

/// The staging folder of a build: a sibling of the output folder, on the same disk, that
/// receives each file as soon as it is rendered, so that a large site is never held in memory.
/// The output folder itself is only touched by [`Stage::commit`], once every page rendered.
///
/// When the output folder is absent or empty, every file goes to the stage and the stage is
/// then renamed to become the output folder: one rename publishes the whole site. Otherwise a
/// file whose bytes are already in the output folder is dropped, a changed one waits in the
/// stage and is renamed over its old version at commit (atomically, file by file), and files
/// of the last build that this build no longer makes are removed last.
///
/// A stage that is dropped without commit (a template failed, the disk filled up) is removed,
/// leaving the output folder as it was.
pub struct Stage {
    out: PathBuf,
    dir: PathBuf,
    fresh: bool,
    /// The folders made in the stage so far (relative): a file whose folder is known to be
    /// there is created at once, and a page's own new folder is made without first failing to
    /// create the file in it.
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// Marks a staging folder as gongshi's, so that one left by a killed build may be removed.
const STAGE_MARKER: &str = ".gongshi-staging";

impl Stage {
    /// Opens the stage for `out` (already checked by [`check_output`]).
    pub fn begin(out: &Path) -> io::Result<Stage> {
        let dir = stage_dir(out);
        if dir.exists() {
            if !dir.join(STAGE_MARKER).is_file() {
                // check_output refuses this in plain words; this is the last line of defence.
                return Err(io::Error::new(io::ErrorKind::AlreadyExists, display_path(&dir)));
            }
            fs::remove_dir_all(&dir)?;
        }
        let fresh = match fs::read_dir(out) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => true,
            Err(e) => return Err(e),
        };
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(STAGE_MARKER), b"")?;
        Ok(Stage { out: out.to_path_buf(), dir, fresh, folders: Default::default() })
    }

    /// Publishes the stage into the output folder. `paths` are every file of the build (sorted),
    /// `puts` the ones rendered by it — all of them, or (in `serve`) only those that show the
    /// notices just edited, the others being kept as the last build left them — and `made`
    /// what they were made from.
    pub fn commit(self, puts: &[Put], paths: &[String], made: &Made) -> io::Result<WriteReport> {
        use std::fmt::Write as _;
        let mut sizes: std::collections::HashMap<&str, u64> = std::collections::HashMap::with_capacity(paths.len());
        sizes.extend(puts.iter().map(|p| (p.path.as_str(), p.len)));
        let old_state = if puts.len() < paths.len() { Held::read(&self.out).map(|h| h.sizes).unwrap_or_default() } else { String::new() };
        for line in old_state.lines() {
            if let Some((len, path)) = line.split_once('\t') {
                if let Ok(len) = len.parse() {
                    sizes.entry(path).or_insert(len);
                }
            }
        }
        let names: usize = paths.iter().map(|p| p.len() + 1).sum();
        let mut state = String::with_capacity(names + 8 * paths.len() + 256);
        let _ = writeln!(state, "{}\n{}\t{}", made.fingerprint, made.stamp, made.notices);
        let mut list = String::with_capacity(names);
        for p in paths {
            let Some(len) = sizes.get(p.as_str()) else {
                return Err(io::Error::other(format!("{p} was neither rendered nor left by the last build")));
            };
            let _ = writeln!(state, "{len}\t{p}");
            list.push_str(p);
            list.push('\n');
        }
        if self.fresh {
            fs::write(self.dir.join(MARKER), &list)?;
            fs::write(self.dir.join(STATE), &state)?;
            fs::remove_file(self.dir.join(STAGE_MARKER))?;
            match fs::remove_dir(&self.out) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            if fs::rename(&self.dir, &self.out).is_ok() {
                return Ok(WriteReport { written: puts.len(), unchanged: 0, removed: 0 });
            }
            // A rename that cannot be done (the folder is a mount point, say): file by file.
            fs::write(self.dir.join(STAGE_MARKER), b"")?;
            fs::remove_file(self.dir.join(MARKER))?;
            fs::remove_file(self.dir.join(STATE))?;
        }
        // Until the end, the folder no longer holds one complete build.
        match fs::remove_file(self.out.join(STATE)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let changed: Vec<&Put> = puts.iter().filter(|p| p.changed).collect();
        let dirs: BTreeSet<&str> = changed.iter().filter_map(|p| p.path.rsplit_once('/').map(|(d, _)| d)).collect();
        fs::create_dir_all(&self.out)?;
        for d in dirs {
            fs::create_dir_all(self.out.join(d))?;
        }
        changed.par_iter().try_for_each(|p| fs::rename(self.dir.join(&p.path), self.out.join(&p.path)))?;
        let mut report = WriteReport { written: changed.len(), unchanged: paths.len() - changed.len(), removed: 0 };

        let marker = self.out.join(MARKER);
        let old: BTreeSet<String> = fs::read_to_string(&marker).unwrap_or_default().lines().map(str::to_string).collect();
        let new: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
        if old.iter().map(String::as_str).ne(new.iter().copied()) {
            replace(&marker, list.as_bytes())?;
        }
        for stale in old.iter().filter(|p| !new.contains(p.as_str())) {
            // Only plain relative paths that gongshi itself listed are ever removed.
            let rel = Path::new(stale);
            if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
                continue;
            }
            let path = self.out.join(rel);
            if path.is_file() {
                fs::remove_file(&path)?;
                report.removed += 1;
                let mut dir = path.parent();
                while let Some(d) = dir {
                    if d == self.out || fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
        }
        replace(&self.out.join(STATE), state.as_bytes())?;
        Ok(report)
    }
}

impl Sink for Stage {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<Put> {
        let len = bytes.len() as u64;
        if !self.fresh {
            let target = self.out.join(path);
            if let Ok(meta) = fs::metadata(&target) {
                if meta.is_file() && meta.len() == len && fs::read(&target)? == bytes {
                    return Ok(Put { path: path.to_string(), len, changed: false });
                }
            }
        }
        if let Some((folder, _)) = path.rsplit_once('/') {
            if !self.folders.lock().expect("no panic while held").contains(folder) {
                fs::create_dir_all(self.dir.join(folder))?;
                self.folders.lock().expect("no panic while held").insert(folder.to_string());
            }
        }
        write_new(&self.dir.join(path), bytes)?;
        Ok(Put { path: path.to_string(), len, changed: true })
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if self.dir.join(STAGE_MARKER).is_file() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Creates the file `path` (in a folder that is there) with `bytes`.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(bytes)
}

/// What every temporary file of gongshi's has in its name (`serve` ignores their events).
pub const TEMP_MARK: &str = ".gongshi-tmp";

/// Replaces `path` with `bytes` atomically: written beside it into a new file of its own (never
/// through a link planted there), then renamed over it. The one way gongshi replaces a file.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!("{TEMP_MARK}-{}-{n}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = write_new(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_output_folders() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        fs::create_dir_all(root.join("content/notices")).unwrap();
        assert!(check_output(root, &root.join("content")).is_err());
        assert!(check_output(root, root).is_err());
        assert!(check_output(root, root.parent().unwrap()).is_err());
        assert!(check_output(root, &root.join("content/public")).is_err());
        assert!(check_output(root, &root.join("content/../content")).is_err());
        assert!(check_output(root, &root.join("public")).is_ok());
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("docs/keep.txt"), "x").unwrap();
        assert!(check_output(root, &root.join("docs")).is_err());
    }

    /// One build of `files` into `out` through a stage.
    fn build(out: &Path, files: &[(&str, &str)]) -> WriteReport {
        let stage = Stage::begin(out).unwrap();
        let puts: Vec<Put> = files.iter().map(|(p, b)| stage.put(p, b.as_bytes()).unwrap()).collect();
        let paths: Vec<String> = puts.iter().map(|p| p.path.clone()).collect();
        let made = Made { fingerprint: "fp".into(), stamp: "st".into(), notices: 1 };
        stage.commit(&puts, &paths, &made).unwrap()
    }

    #[test]
    fn unchanged_files_are_not_rewritten_and_stale_ones_removed() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let r1 = build(&out, &[("index.html", "a"), ("n/x/index.html", "b")]);
        assert_eq!(r1.written, 2);
        assert_eq!(fs::read_to_string(out.join("n/x/index.html")).unwrap(), "b");
        let held = Held::read(&out).unwrap();
        assert_eq!((held.intact(&out), held.made.fingerprint.as_str(), held.made.notices), (Some(2), "fp", 1));
        let r2 = build(&out, &[("index.html", "a"), ("n/x/index.html", "b")]);
        assert_eq!(r2, WriteReport { written: 0, unchanged: 2, removed: 0 });
        fs::write(out.join("mine.txt"), "not gongshi's").unwrap();
        let r3 = build(&out, &[("index.html", "c")]);
        assert_eq!(r3, WriteReport { written: 1, unchanged: 0, removed: 1 });
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "c");
        assert!(!out.join("n").exists(), "empty folders of removed files go too");
        assert!(out.join("mine.txt").exists(), "files gongshi did not write stay");
        let names: Vec<_> = fs::read_dir(t.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")], "no staging folder is left behind");
    }

    #[test]
    fn a_stage_dropped_without_commit_leaves_the_output_as_it_was() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        build(&out, &[("index.html", "a")]);
        let stage = Stage::begin(&out).unwrap();
        stage.put("index.html", b"half of a failed build").unwrap();
        stage.put("n/new/index.html", b"x").unwrap();
        drop(stage);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "a");
        assert!(!out.join("n").exists());
        assert_eq!(fs::read_dir(t.path()).unwrap().count(), 1, "the stage is gone");
        // A stage left by a killed build is cleared by the next one; a folder of the same
        // name that gongshi did not make is refused.
        let stage = Stage::begin(&out).unwrap();
        stage.put("x.html", b"x").unwrap();
        std::mem::forget(stage);
        assert_eq!(build(&out, &[("index.html", "b")]).written, 1);
        fs::create_dir(t.path().join(".public.gongshi-staging")).unwrap();
        assert!(Stage::begin(&out).is_err());
        let refused = check_output(t.path(), &out).unwrap_err();
        assert_eq!(refused.file, t.path().join(".public.gongshi-staging"));
        assert!(refused.message.zh.contains("挡住了生成网站要用的暂存文件夹"), "{refused:?}");
        assert!(refused.message.en.contains("in the way of the staging folder"), "{refused:?}");
    }
}
