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
    if fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) {
        let target = fs::read_link(output).map(|t| display_path(&t)).unwrap_or_default();
        return Err(Diagnostic::error(
            output,
            msg!(
                "不能输出到 `{shown}`：它是指向 `{target}` 的链接，gongshi 不通过链接写文件",
                "refusing to write to `{shown}`: it is a link to `{target}`, and gongshi does not write through links"
            ),
        )
        .hint(msg!(
            "用 --output 直接写那个文件夹的路径，或者删掉这个链接，让 gongshi 建一个真正的文件夹",
            "name that folder itself with --output, or remove the link and let gongshi make a real folder"
        )));
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
    for stage in [stage_dir(output), aside_dir(output)] {
        let ours = fs::symlink_metadata(&stage).is_ok_and(|m| m.is_dir()) && is_ours(&stage);
        if ours || fs::symlink_metadata(&stage).is_err() {
            continue;
        }
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
        recover(out)?;
        if fs::symlink_metadata(&dir).is_ok() {
            // check_output refuses this in plain words; this is the last line of defence.
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, display_path(&dir)));
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
    ///
    /// A whole build makes the complete new tree in the stage (files whose bytes did not change
    /// are hard links to the ones in the output folder, and so are files gongshi did not write)
    /// and then exchanges the two folders in one step: at every instant the output folder is the
    /// old site or the new one. `serve`'s re-render of a few notices renames its files into
    /// place one by one (a preview).
    pub fn commit(self, puts: &[Put], paths: &[String], made: &Made) -> io::Result<WriteReport> {
        use std::fmt::Write as _;
        let partial = puts.len() < paths.len();
        let mut sizes: std::collections::HashMap<&str, u64> = std::collections::HashMap::with_capacity(paths.len());
        sizes.extend(puts.iter().map(|p| (p.path.as_str(), p.len)));
        let old_state = if partial { Held::read(&self.out).map(|h| h.sizes).unwrap_or_default() } else { String::new() };
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
        let changed = puts.iter().filter(|p| p.changed).count();
        let marker = self.out.join(MARKER);
        let old: BTreeSet<String> = fs::read_to_string(&marker).unwrap_or_default().lines().map(str::to_string).collect();
        let new: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
        let removed = old.iter().filter(|p| !new.contains(p.as_str()) && self.out.join(p).is_file()).count();
        let report = WriteReport { written: changed, unchanged: paths.len() - changed, removed };
        if self.fresh && !self.out.exists() {
            self.seal(&list, &state)?;
            fs::rename(&self.dir, &self.out)?;
            return Ok(report);
        }
        // What else the output folder holds (files and folders gongshi did not write), and
        // whether the folders can be exchanged at all: not where the output folder is a mount
        // point, or has another disk mounted inside it (its files would be copied and the
        // mount removed with the old tree).
        let foreign = if partial { Foreign::default() } else { self.foreign(&old, &new)? };
        if partial || foreign.mounted || !same_disk(&self.out, &self.dir) {
            self.commit_in_place(puts, &old, &new, &list, &state)?;
            return Ok(report);
        }
        // The files of the new tree that are already in the output folder: the unchanged ones,
        // and whatever gongshi did not write (kept as they are, in folders as they were).
        let mut keep: Vec<String> = puts.iter().filter(|p| !p.changed).map(|p| p.path.clone()).collect();
        keep.extend(foreign.files.iter().cloned());
        let folders: BTreeSet<&str> = keep.iter().filter_map(|p| p.rsplit_once('/').map(|(d, _)| d)).collect();
        {
            let made_already = self.folders.lock().expect("no panic while held");
            for d in folders.into_iter().filter(|d| !made_already.contains(*d)) {
                fs::create_dir_all(self.dir.join(d))?;
            }
        }
        for d in &foreign.dirs {
            fs::create_dir_all(self.dir.join(d))?;
            same_access(&self.out.join(d), &self.dir.join(d));
        }
        keep.par_iter().try_for_each(|p| link_or_copy(&self.out.join(p), &self.dir.join(p)))?;
        same_access(&self.out, &self.dir);
        self.seal(&list, &state)?;
        if !self.swap()? {
            self.commit_in_place(puts, &old, &new, &list, &state)?;
        }
        Ok(report)
    }

    /// Marks the stage as a complete build (its list of files and state), in place of the
    /// staging marker: the folder is gongshi's at every moment.
    fn seal(&self, list: &str, state: &str) -> io::Result<()> {
        fs::write(self.dir.join(MARKER), list)?;
        fs::write(self.dir.join(STATE), state)?;
        fs::remove_file(self.dir.join(STAGE_MARKER))
    }

    /// Exchanges the sealed stage with the output folder, then removes the old site (now in
    /// the stage's place). `false` when the folders cannot be moved at all (the output folder
    /// is in use as a mount point, say): nothing was changed, and the caller writes in place.
    fn swap(&self) -> io::Result<bool> {
        let immovable = |e: &io::Error| matches!(e.raw_os_error(), Some(16 | 18 | 1 | 13)); // EBUSY, EXDEV, EPERM, EACCES
        match exchange(&self.dir, &self.out) {
            Ok(true) => {}
            Err(e) if immovable(&e) => return Ok(false),
            Err(e) => return Err(e),
            Ok(false) => {
                // Where folders cannot be exchanged in one step: the old site is moved aside,
                // the new one into its place (for that instant there is no output folder; a
                // command that finds it so puts the old one back first, see `recover`).
                let aside = aside_dir(&self.out);
                match fs::rename(&self.out, &aside) {
                    Err(e) if immovable(&e) => return Ok(false),
                    other => other?,
                }
                if let Err(e) = fs::rename(&self.dir, &self.out) {
                    fs::rename(&aside, &self.out)?;
                    return Err(e);
                }
                return remove_tree(&aside).map(|()| true);
            }
        }
        remove_tree(&self.dir).map(|()| true)
    }

    /// What the output folder holds that gongshi did not write (neither in the last build's
    /// list nor in this one): a `CNAME` the web host wants, a `.well-known/` folder. Something
    /// of another's where this build makes a folder is refused by name.
    fn foreign(&self, old: &BTreeSet<String>, new: &BTreeSet<&str>) -> io::Result<Foreign> {
        let mut found = Foreign::default();
        let ours_dirs: std::collections::HashSet<&str> = new.iter().flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i])).collect();
        // Folders the last build made go with its files (those of files that still exist are
        // made again by `keep`).
        let old_dirs: std::collections::HashSet<&str> = old.iter().flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i])).collect();
        let disk = disk_of(&self.out);
        let mut walk = walkdir::WalkDir::new(&self.out).min_depth(1).into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry.map_err(io::Error::other)?;
            let Ok(rel) = entry.path().strip_prefix(&self.out) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_dir() {
                if disk.is_some() && disk_of(entry.path()) != disk {
                    found.mounted = true;
                    walk.skip_current_dir();
                } else if !ours_dirs.contains(rel.as_str()) && !old_dirs.contains(rel.as_str()) {
                    found.dirs.push(rel);
                }
                continue;
            }
            if rel == MARKER || rel == STATE || rel.contains(TEMP_MARK) || old.contains(&rel) || new.contains(rel.as_str()) {
                continue;
            }
            if ours_dirs.contains(rel.as_str()) {
                let shown = display_path(entry.path());
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{shown} 不是 gongshi 写的，却占着网站要用的文件夹位置：请把它移走 / {shown} was not written by gongshi and stands where the site needs a folder: move it away"
                    ),
                ));
            }
            found.files.push(rel);
        }
        Ok(found)
    }

    /// `serve`'s re-render of a few files: each renamed over its old version (atomically, file
    /// by file), stale files removed, then the list and state.
    fn commit_in_place(&self, puts: &[Put], old: &BTreeSet<String>, new: &BTreeSet<&str>, list: &str, state: &str) -> io::Result<()> {
        // Until the end, the folder no longer holds one complete build.
        match fs::remove_file(self.out.join(STATE)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let changed: Vec<&Put> = puts.iter().filter(|p| p.changed).collect();
        let dirs: BTreeSet<&str> = changed.iter().filter_map(|p| p.path.rsplit_once('/').map(|(d, _)| d)).collect();
        for d in dirs {
            fs::create_dir_all(self.out.join(d))?;
        }
        changed.par_iter().try_for_each(|p| move_file(&self.dir.join(&p.path), &self.out.join(&p.path)))?;
        if old.iter().map(String::as_str).ne(new.iter().copied()) {
            replace(&self.out.join(MARKER), list.as_bytes())?;
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
                let mut dir = path.parent();
                while let Some(d) = dir {
                    if d == self.out || fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
        }
        replace(&self.out.join(STATE), state.as_bytes())
    }
}

/// What the output folder holds besides gongshi's files.
#[derive(Default)]
struct Foreign {
    /// Files (and links), relative.
    files: Vec<String>,
    /// Folders that no file of the build is in (kept, even when empty).
    dirs: Vec<String>,
    /// Another disk is mounted somewhere inside.
    mounted: bool,
}

/// The disk (device) `path` is on, where the system says.
fn disk_of(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        fs::symlink_metadata(path).ok().map(|m| m.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether `a` and `b` are on one disk (folders on two cannot be exchanged).
fn same_disk(a: &Path, b: &Path) -> bool {
    disk_of(a) == disk_of(b)
}

/// Gives the folder `to` the permissions (and, where allowed, the owner and group) of `from`,
/// so that the new site is served as the old one was (a group the web server reads by, say).
fn same_access(from: &Path, to: &Path) {
    let Ok(meta) = fs::metadata(from) else { return };
    let _ = fs::set_permissions(to, meta.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let _ = std::os::unix::fs::chown(to, Some(meta.uid()), Some(meta.gid()));
    }
}

/// Moves the file `from` to `to`, replacing it atomically; across disks (an output folder that
/// is a mount point) by a copy beside `to`, then a rename.
fn move_file(from: &Path, to: &Path) -> io::Result<()> {
    match fs::rename(from, to) {
        Err(e) if e.raw_os_error() == Some(18) => {
            let tmp = PathBuf::from(format!("{}{TEMP_MARK}-{}", to.display(), std::process::id()));
            fs::copy(from, &tmp)?;
            fs::rename(&tmp, to).inspect_err(|_| {
                let _ = fs::remove_file(&tmp);
            })
        }
        other => other,
    }
}

/// Where the old site waits for an instant where folders cannot be exchanged in one step.
fn aside_dir(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.gongshi-old"))
}

/// A hard link to `from` at `to` (the same file, no copying); a copy where the disk has no
/// hard links.
fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => fs::copy(from, to).map(|_| ()),
    }
}

/// Exchanges the folders `a` and `b` in one step; `false` where the system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::os::unix::ffi::OsStrExt as _;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two NUL-terminated paths that live across the call; renameat2 reads them only.
    let r = unsafe { libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // An old kernel, or a file system that cannot exchange (some network and FUSE ones).
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Removes a folder of gongshi's (an old site, a stage) so that it stays recognisably gongshi's
/// until it is gone: its marker files go last.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let markers = [MARKER, STATE, STAGE_MARKER];
    for entry in entries {
        let entry = entry?;
        if markers.iter().any(|m| entry.file_name() == *m) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    for m in markers {
        match fs::remove_file(dir.join(m)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    fs::remove_dir(dir)
}

/// Whether `dir` (a stage or an old site beside the output folder) is gongshi's: empty, or
/// marked as a stage or as a build.
fn is_ours(dir: &Path) -> bool {
    dir.join(STAGE_MARKER).is_file() || dir.join(MARKER).is_file() || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Undoes or finishes what an interrupted build left beside the output folder `out`: an old
/// site moved aside goes back where there is no output folder (or is removed where the new one
/// is in place), and a stage is removed. Folders of those names that are not gongshi's are left
/// alone ([`check_output`] names them).
pub fn recover(out: &Path) -> io::Result<()> {
    let aside = aside_dir(out);
    if fs::symlink_metadata(&aside).is_ok_and(|m| m.is_dir()) && is_ours(&aside) {
        if fs::symlink_metadata(out).is_err() {
            fs::rename(&aside, out)?;
        } else {
            remove_tree(&aside)?;
        }
    }
    let stage = stage_dir(out);
    if fs::symlink_metadata(&stage).is_ok_and(|m| m.is_dir()) && is_ours(&stage) {
        remove_tree(&stage)?;
    }
    Ok(())
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
        // A stage that was not committed (a template failed, the disk filled up), or the old
        // site a commit could not remove.
        if fs::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir()) && is_ours(&self.dir) {
            let _ = remove_tree(&self.dir);
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

/// A temporary file of its own beside `path`, holding `bytes`: created new (never through a
/// link planted there), with this process's id and a counter in its name.
fn temporary(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!("{TEMP_MARK}-{}-{n}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    match write_new(&tmp, bytes) {
        Ok(()) => Ok(tmp),
        Err(e) => {
            if e.kind() != io::ErrorKind::AlreadyExists {
                let _ = fs::remove_file(&tmp);
            }
            Err(e)
        }
    }
}

/// Refuses to write where a symbolic link stands: gongshi never writes through one (a
/// `content/` folder received as a zip may carry links to anywhere).
pub fn refuse_link(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        let shown = display_path(path);
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{shown} 是一个链接（symbolic link），gongshi 不通过链接写文件：请删掉这个链接，放回普通的文件或文件夹 / {shown} is a symbolic link, and gongshi does not write through links: remove it and put a plain file or folder there"
            ),
        ));
    }
    Ok(())
}

/// Replaces `path` with `bytes` atomically: written beside it into a new file of its own, then
/// renamed over it. A link at `path` is refused. The one way gongshi replaces a file.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    refuse_link(path)?;
    let tmp = temporary(path, bytes)?;
    let written = fs::rename(&tmp, path);
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Creates `path` with `bytes`, all at once or not at all, and never over anything already
/// there (a file, or a link planted in its place): `AlreadyExists` then. The one way gongshi
/// writes a new file outside the output folder (history, `init`, `new`, imports).
pub fn create(path: &Path, bytes: &[u8]) -> io::Result<()> {
    refuse_link(path)?;
    // Nor through a linked folder of the site's (`content/pages` → elsewhere): every folder
    // from the file up to `content/` itself.
    for dir in path.ancestors().skip(1) {
        refuse_link(dir)?;
        if dir.file_name().is_some_and(|n| n == "content") {
            break;
        }
    }
    let tmp = temporary(path, bytes)?;
    // A hard link fails where anything is at `path`; where the disk has no hard links, a
    // rename after a look (a race there loses nothing gongshi did not just write).
    let made = match fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if fs::symlink_metadata(path).is_ok() => Err(io::Error::from(io::ErrorKind::AlreadyExists)),
        Err(_) => fs::rename(&tmp, path),
    };
    let _ = fs::remove_file(&tmp);
    made
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

    /// `dir` holds the output folder `public` and nothing else.
    fn assert_only_public(dir: &Path, why: &str) {
        let names: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")], "{why}");
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
        assert_only_public(t.path(), "no staging folder is left behind");
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
        fs::write(t.path().join(".public.gongshi-staging/notes.txt"), "mine").unwrap();
        assert!(Stage::begin(&out).is_err());
        let refused = check_output(t.path(), &out).unwrap_err();
        assert_eq!(refused.file, t.path().join(".public.gongshi-staging"));
        assert!(refused.message.zh.contains("挡住了生成网站要用的暂存文件夹"), "{refused:?}");
        assert!(refused.message.en.contains("in the way of the staging folder"), "{refused:?}");
    }

    #[test]
    #[cfg(unix)]
    fn a_whole_build_is_exchanged_with_the_old_one_keeping_unchanged_and_foreign_files_as_they_are() {
        use std::os::unix::fs::MetadataExt as _;
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        build(&out, &[("index.html", "a"), ("n/x/index.html", "b"), ("n/y/index.html", "c")]);
        fs::write(out.join("CNAME"), "hupan.example.cn").unwrap();
        let ino = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (before_x, before_cname) = (ino("n/x/index.html"), ino("CNAME"));
        let r = build(&out, &[("index.html", "a2"), ("n/x/index.html", "b")]);
        assert_eq!(r, WriteReport { written: 1, unchanged: 1, removed: 1 });
        assert_eq!(ino("n/x/index.html"), before_x, "an unchanged file is the same file, linked into the new tree");
        assert_eq!(ino("CNAME"), before_cname, "a file gongshi did not write is kept");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "a2");
        assert!(!out.join("n/y").exists());
        assert_eq!(Held::read(&out).unwrap().intact(&out), Some(2));
        assert_only_public(t.path(), "the old tree is gone");
    }

    #[test]
    #[cfg(unix)]
    fn the_output_folder_keeps_its_permissions_and_others_folders_and_a_squatter_is_named() {
        use std::os::unix::fs::PermissionsExt as _;
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        build(&out, &[("index.html", "a"), ("n/x/index.html", "b")]);
        fs::set_permissions(&out, fs::Permissions::from_mode(0o2750)).unwrap();
        fs::create_dir_all(out.join(".well-known")).unwrap();
        fs::create_dir_all(out.join("extra")).unwrap();
        fs::set_permissions(out.join("extra"), fs::Permissions::from_mode(0o700)).unwrap();
        build(&out, &[("index.html", "a2"), ("n/x/index.html", "b")]);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&out), 0o2750, "the new site is served as the old one was");
        assert!(out.join(".well-known").is_dir(), "an empty folder of someone else's is kept");
        assert_eq!(mode(&out.join("extra")), 0o700);
        // Something of another's where the build makes a folder: refused by name, nothing changed.
        fs::remove_dir_all(out.join("n")).unwrap();
        std::os::unix::fs::symlink(t.path(), out.join("n")).unwrap();
        let stage = Stage::begin(&out).unwrap();
        let puts = vec![stage.put("index.html", b"a3").unwrap(), stage.put("n/x/index.html", b"b").unwrap()];
        let paths: Vec<String> = puts.iter().map(|p| p.path.clone()).collect();
        let made = Made { fingerprint: "fp".into(), stamp: "st".into(), notices: 1 };
        let e = stage.commit(&puts, &paths, &made).unwrap_err();
        assert!(e.to_string().contains("占着网站要用的文件夹位置") && e.to_string().contains("public/n"), "{e}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "a2");
        assert_only_public(t.path(), "the stage is gone");
    }

    #[test]
    fn what_an_interrupted_exchange_left_is_put_right_by_the_next_build() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        build(&out, &[("index.html", "old")]);
        // Killed between moving the old site aside and moving the new one in (where folders
        // cannot be exchanged in one step): the old site goes back.
        fs::rename(&out, aside_dir(&out)).unwrap();
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        // Killed after: both there, the aside one is removed.
        build(&t.path().join(".public.gongshi-old"), &[("index.html", "older")]);
        // A stage sealed but not exchanged, and one half removed (its marker still there).
        let stage = Stage::begin(&out).unwrap();
        stage.put("index.html", b"new").unwrap();
        stage.seal("index.html\n", "x\ny\t1\n").unwrap();
        std::mem::forget(stage);
        assert!(check_output(t.path(), &out).is_ok(), "what gongshi left never blocks a build");
        assert_eq!(build(&out, &[("index.html", "new")]).written, 1);
        assert_only_public(t.path(), "nothing is left beside public/");
    }

    #[test]
    #[cfg(unix)]
    fn an_output_folder_that_is_a_link_is_refused() {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir(t.path().join("www")).unwrap();
        std::os::unix::fs::symlink(t.path().join("www"), t.path().join("public")).unwrap();
        let refused = check_output(t.path(), &t.path().join("public")).unwrap_err();
        assert!(refused.message.zh.contains("它是指向"), "{refused:?}");
        assert!(refused.message.en.contains("does not write through links"), "{refused:?}");
    }
}
