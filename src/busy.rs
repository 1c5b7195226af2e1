//! One command at a time (§6): a command holds a small file with its process id while it writes
//! — `.gongshi-busy` in the site folder for what writes the sources' records (`publish`,
//! `retire`, `lock restore`), and `.<name>.gongshi-busy` beside an output folder for whatever
//! writes that folder (`build`, `publish`, each of `serve`'s rebuilds). A second command that
//! needs the same file is refused at once, in plain words; builds of one site into different
//! folders may run side by side. A file left by a process that no longer runs (killed) is taken
//! over.

use crate::diagnostics::Diagnostic;
use crate::msg;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The site's file, in the site folder (not in `content/`, which builds watch and stamp).
pub const BUSY_FILE: &str = ".gongshi-busy";

/// The files this process holds (a `publish` builds inside itself).
static HELD: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// The file that guards the site at `root`.
pub fn site_file(root: &Path) -> PathBuf {
    root.join(BUSY_FILE)
}

/// The file that guards the output folder `out`: beside it, so that it is not part of the site.
pub fn output_file(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}{}", ".gongshi-busy"))
}

/// Takes the site's file for `command` (see [`Busy::take`]), then removes what a killed
/// command left half-written in `content/`: temporary files of processes that no longer run
/// (a file is only ever renamed or linked into place whole, so nothing else is ever partial).
pub fn site(root: &Path, command: &str) -> Result<Busy, Diagnostic> {
    let busy = Busy::take(site_file(root), command)?;
    let mark = format!("{}-", crate::output::TEMP_MARK);
    for entry in walkdir::WalkDir::new(root.join("content")).into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy();
        let Some((_, tail)) = name.split_once(&mark) else { continue };
        let pid = tail.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if entry.file_type().is_file() && pid.is_some_and(|p| p != std::process::id() && !alive(p, entry.path())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(busy)
}

/// Held while a command writes; dropping the last one removes the file.
pub struct Busy {
    path: Option<PathBuf>,
}

/// Whether process `pid` still runs.
fn alive(pid: u32, path: &Path) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Elsewhere, a file not touched for an hour is taken to be left by a killed command.
        std::fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|e| e.as_secs() < 3600))
    }
}

impl Busy {
    /// Takes the file `path` for `command`, or says who holds it.
    pub fn take(path: PathBuf, command: &str) -> Result<Busy, Diagnostic> {
        let mut held = HELD.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if held.contains(&path) {
            return Ok(Busy { path: None });
        }
        for _ in 0..3 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}\n{command}", std::process::id());
                    held.push(path.clone());
                    return Ok(Busy { path: Some(path) });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let mut lines = text.lines();
                    let pid: Option<u32> = lines.next().and_then(|l| l.trim().parse().ok());
                    let other = lines.next().unwrap_or("gongshi").trim().to_string();
                    match pid {
                        Some(pid) if pid != std::process::id() && alive(pid, &path) => {
                            return Err(Diagnostic::error(
                                path.file_name().map(PathBuf::from).unwrap_or_default(),
                                msg!(
                                    "另一个 gongshi 命令（{other}，进程 {pid}）正在处理这个网站，这次没有做任何事",
                                    "another gongshi command ({other}, process {pid}) is working on this site; nothing was done"
                                ),
                            )
                            .hint(msg!(
                                "等它结束后再运行；如果那个窗口已经关掉了，再试一次即可",
                                "run this again when it has finished; if its window was closed, simply try again"
                            )));
                        }
                        // Left by a command that was killed: taken over.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                // A site folder that cannot be written to (a read-only copy built elsewhere):
                // nothing to guard in it.
                Err(_) => return Ok(Busy { path: None }),
            }
        }
        Ok(Busy { path: None })
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
            HELD.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|h| h != p);
        }
    }
}
