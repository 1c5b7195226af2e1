//! Replays the corpus kept by the fuzzers (`fuzz/corpus/<target>/`) through the same entry
//! points on stable Rust, so every input that ever found a new path keeps being checked.

use std::fs;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut n = 0;
    for e in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = e.unwrap().path();
        let data = fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} panicked on {}", target, path.display());
        n += 1;
    }
    assert!(n >= 5, "the {target} corpus is nearly empty ({n})");
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", gongshi::fuzzing::front_matter);
}

#[test]
fn money_corpus() {
    replay("money", gongshi::fuzzing::money);
}

#[test]
fn ledger_corpus() {
    replay("ledger", gongshi::fuzzing::ledger);
}

#[test]
fn privacy_corpus() {
    replay("privacy", gongshi::fuzzing::privacy);
}
