//! Replays the fuzzers' seed set (`fuzz/seeds/<target>/`: the smallest set of inputs found so
//! far that covers every edge the whole corpus reached) through the same entry points on stable
//! Rust, so that the paths the fuzzers found keep being checked.

use std::fs;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut n = 0;
    for e in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = e.unwrap().path();
        let data = fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} panicked on {}", target, path.display());
        n += 1;
    }
    assert!(n >= 5, "the {target} seed set is nearly empty ({n})");
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
