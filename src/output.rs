//! Writing the site: only into a folder gongshi owns, each file replaced atomically and only
//! when its bytes changed, and stale files (only ones gongshi wrote) removed last.

use crate::diagnostics::{display_path, Diagnostic};
use crate::msg;
use crate::render::{OutData, OutFile};
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
    Ok(())
}

/// Beside the list of files: the fingerprint of the build that wrote them, and each file's size.
pub const STATE: &str = ".gongshi-build";

/// When `output` holds the complete output of a build with this `fingerprint` (every file it
/// wrote is there, at its size), the number of those files.
pub fn up_to_date(output: &Path, fingerprint: &str) -> Option<usize> {
    let state = fs::read_to_string(output.join(STATE)).ok()?;
    let mut lines = state.lines();
    if lines.next()? != fingerprint {
        return None;
    }
    let entries: Vec<(u64, &str)> =
        lines.map(|l| l.split_once('\t').and_then(|(n, p)| Some((n.parse().ok()?, p)))).collect::<Option<_>>()?;
    let ok = entries.par_iter().all(|(len, rel)| fs::metadata(output.join(rel)).is_ok_and(|m| m.is_file() && m.len() == *len));
    ok.then_some(entries.len())
}

/// Writes `files` into `output` (already checked by [`check_output`]), then records
/// `fingerprint` as what the folder now holds.
pub fn write_build(output: &Path, files: &[OutFile], fingerprint: &str) -> io::Result<WriteReport> {
    // Until the end, the folder no longer holds one complete build.
    match fs::remove_file(output.join(STATE)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let (report, sizes) = write_sized(output, files)?;
    let mut state = format!("{fingerprint}\n");
    for (f, len) in files.iter().zip(sizes) {
        state.push_str(&format!("{len}\t{}\n", f.path));
    }
    write_one(&output.join(STATE), &OutData::Bytes(state.into_bytes()))?;
    Ok(report)
}

/// Writes `files` into `output` (already checked by [`check_output`]).
pub fn write(output: &Path, files: &[OutFile]) -> io::Result<WriteReport> {
    write_sized(output, files).map(|(report, _)| report)
}

/// [`write`], also giving the size of each file as it now is.
fn write_sized(output: &Path, files: &[OutFile]) -> io::Result<(WriteReport, Vec<u64>)> {
    fs::create_dir_all(output)?;
    // Folders first, each once, so that the parallel writes below only write and rename.
    let dirs: BTreeSet<&str> = files.iter().filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d)).collect();
    for d in dirs {
        fs::create_dir_all(output.join(d))?;
    }
    let results: Vec<io::Result<(bool, u64)>> = files.par_iter().map(|f| write_one(&output.join(&f.path), &f.data)).collect();
    let mut report = WriteReport::default();
    let mut sizes = Vec::with_capacity(files.len());
    for r in results {
        let (wrote, len) = r?;
        if wrote {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
        sizes.push(len);
    }

    let marker = output.join(MARKER);
    let old: BTreeSet<String> = fs::read_to_string(&marker).unwrap_or_default().lines().map(str::to_string).collect();
    let new: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    if old != new {
        let list: String = new.iter().map(|p| format!("{p}\n")).collect();
        write_one(&marker, &OutData::Bytes(list.into_bytes()))?;
    }
    for stale in old.difference(&new) {
        // Only plain relative paths that gongshi itself listed are ever removed.
        let rel = Path::new(stale);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            continue;
        }
        let path = output.join(rel);
        if path.is_file() {
            fs::remove_file(&path)?;
            report.removed += 1;
            let mut dir = path.parent();
            while let Some(d) = dir {
                if d == output || fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
    }
    Ok((report, sizes))
}

/// Writes one file, unless the bytes are already there; returns whether it wrote. An existing
/// file is replaced atomically: written beside, then renamed over, so a reader never sees half
/// of it. A new file is written in place (there is nothing to replace, and a build that dies
/// half-way leaves no build state, so the next build writes everything again). Folders are made
/// by the caller. Also gives the file's size.
fn write_one(path: &Path, data: &OutData) -> io::Result<(bool, u64)> {
    let bytes = data.contents()?;
    let len = bytes.len() as u64;
    let wrote = match fs::metadata(path) {
        Ok(meta) if meta.len() == len && fs::read(path)? == *bytes => false,
        Ok(_) => {
            let mut tmp = path.as_os_str().to_owned();
            tmp.push(".gongshi-tmp");
            let tmp = PathBuf::from(tmp);
            fs::write(&tmp, &bytes)?;
            fs::rename(&tmp, path)?;
            true
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::write(path, &bytes)?;
            true
        }
        Err(e) => return Err(e),
    };
    Ok((wrote, len))
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

    #[test]
    fn unchanged_files_are_not_rewritten_and_stale_ones_removed() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let f = |p: &str, b: &str| OutFile { path: p.into(), data: OutData::Bytes(b.as_bytes().to_vec()) };
        let r1 = write(&out, &[f("index.html", "a"), f("n/x/index.html", "b")]).unwrap();
        assert_eq!(r1.written, 2);
        let r2 = write(&out, &[f("index.html", "a"), f("n/x/index.html", "b")]).unwrap();
        assert_eq!(r2, WriteReport { written: 0, unchanged: 2, removed: 0 });
        fs::write(out.join("mine.txt"), "not gongshi's").unwrap();
        let r3 = write(&out, &[f("index.html", "c")]).unwrap();
        assert_eq!(r3, WriteReport { written: 1, unchanged: 0, removed: 1 });
        assert!(!out.join("n").exists(), "empty folders of removed files go too");
        assert!(out.join("mine.txt").exists(), "files gongshi did not write stay");
    }
}
