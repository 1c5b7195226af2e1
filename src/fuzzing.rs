//! Entry points for the fuzz targets in `fuzz/` (run with `cargo +nightly fuzz run <target>`),
//! kept in the library so that `tests/fuzz_corpus.rs` replays the kept corpus on stable Rust.
//! Each takes arbitrary bytes and must return without panicking, whatever they are; where a
//! result can be checked against itself, it is.

use crate::date::Date;
use crate::site::Site;
use crate::source::{self, Source};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A small site folder, made once per process, for loaders that need `site.yaml` and a root.
fn fixture() -> &'static (PathBuf, Site) {
    static CELL: OnceLock<(PathBuf, Site)> = OnceLock::new();
    CELL.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("gongshi-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(root.join("content/static")).expect("temp folder");
        std::fs::write(
            root.join("content/site.yaml"),
            "name: 测试\nbase_url: https://t.example.cn\nbodies: {property: 物业, committee: 业委会}\n\
             buildings:\n  - {id: \"1\", name: 1号楼, entrances: [\"1\", \"2\"]}\n  - {id: \"2\", name: 2号楼}\n\
             contacts:\n  - {role: 物业, phone: 021-0000 0000}\nfunds:\n  - {id: public-income, name: 公共收益}\n",
        )
        .expect("site.yaml");
        std::fs::write(root.join("content/static/a.png"), b"png").expect("static file");
        let site = Site::load(&root).expect("the fuzz site loads");
        (root, site)
    })
}

/// Front matter splitting and a whole notice load.
pub fn front_matter(data: &[u8]) {
    let Ok(src) = Source::from_bytes(Path::new("content/notices/fuzz.md"), data.to_vec()) else { return };
    if let Ok(fm) = source::split_front_matter(&src) {
        assert!(fm.yaml_first_line >= 1);
        assert!(src.text.len() >= fm.yaml.len() + fm.body.len());
    }
    let (root, site) = fixture();
    let _ = crate::content::notice::Notice::load(root, &src, site);
}

/// Money: whatever parses prints back to itself, and 大写 never panics.
pub fn money(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(f) = crate::money::Fen::parse(text) {
        assert_eq!(crate::money::Fen::parse(&f.plain()), Ok(f), "{text}");
        assert_eq!(crate::money::Fen::parse(&f.yuan()), Ok(f), "{text}");
        let _ = f.daxie();
    }
    let _ = Date::parse(text);
    let _ = crate::period::Period::parse(text);
    let _ = crate::calendar::Span::parse(text);
}

/// A whole ledger load (reconciliation, periods, vouchers, attachments).
pub fn ledger(data: &[u8]) {
    let Ok(src) = Source::from_bytes(Path::new("content/accounts/public-income/2026-Q3.yaml"), data.to_vec()) else { return };
    let (root, site) = fixture();
    if let Ok(mut l) = crate::content::ledger::Ledger::load(root, &src, site).map(|l| vec![l]) {
        let mut d = crate::diagnostics::Diagnostics::default();
        crate::content::ledger::check_funds(&mut l, &mut d);
        let _ = crate::render::accounts::ledger_json(&l[0], site);
        let _ = crate::render::accounts::ledger_csv(&l[0]);
    }
}

/// The privacy scan and the masks: hits lie on character boundaries, masks keep the length in
/// characters.
pub fn privacy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for h in crate::privacy::scan(text) {
        assert_eq!(&text[h.start..h.end], h.value);
    }
    assert_eq!(crate::privacy::mask_rooms(text).chars().count(), text.chars().count());
    let _ = crate::privacy::mask_phone(text);
}
