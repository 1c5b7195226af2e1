//! Fuzz target: see `gongshi::fuzzing::privacy`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gongshi::fuzzing::privacy(data));
