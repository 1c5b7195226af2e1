//! The file system's share of a build: makes the same files (same paths, same sizes) as an
//! output folder holds, and nothing else, so that a build's time can be set against the time
//! its folders and files alone cost on a given disk.
//!
//! ```sh
//! (cd public && find . -type f -printf "%s %P\n") > files.txt
//! cargo run --release --example fs_floor -- files.txt /some/new/folder [THREADS]
//! ```
//!
//! THREADS (default 2) each make a contiguous share of the list, as the build's threads do.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(list), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: fs_floor FILES.txt NEW-FOLDER [THREADS]   (FILES.txt: a line \"size path\" per file)");
        std::process::exit(2);
    };
    let threads: usize = args.next().and_then(|t| t.parse().ok()).unwrap_or(2).max(1);
    let list = std::fs::read_to_string(list).expect("the list of files");
    let files: Vec<(usize, &str)> =
        list.lines().filter_map(|l| l.split_once(' ')).map(|(len, path)| (len.parse().expect("a size"), path)).collect();
    let out = PathBuf::from(out);
    let bytes = vec![b'x'; files.iter().map(|f| f.0).max().unwrap_or(0)];
    let made = Mutex::new(HashSet::new());
    let start = std::time::Instant::now();
    std::fs::create_dir_all(&out).expect("the output folder");
    std::thread::scope(|s| {
        for share in files.chunks(files.len().div_ceil(threads).max(1)) {
            let (bytes, made, out) = (&bytes, &made, &out);
            s.spawn(move || {
                for (len, path) in share {
                    if let Some((folder, _)) = path.rsplit_once('/') {
                        if !made.lock().expect("not poisoned").contains(folder) {
                            std::fs::create_dir_all(out.join(folder)).expect("a folder");
                            made.lock().expect("not poisoned").insert(folder.to_string());
                        }
                    }
                    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(out.join(path)).expect("a new file");
                    file.write_all(&bytes[..*len]).expect("written");
                }
            });
        }
    });
    let folders = made.lock().expect("not poisoned").len();
    println!("{} files in {folders} folders, {threads} threads: {:.2} s", files.len(), start.elapsed().as_secs_f64());
}
