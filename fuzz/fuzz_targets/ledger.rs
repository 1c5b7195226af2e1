//! Fuzz target: see `gongshi::fuzzing::ledger`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gongshi::fuzzing::ledger(data));
