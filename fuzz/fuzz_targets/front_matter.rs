//! Fuzz target: see `gongshi::fuzzing::front_matter`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gongshi::fuzzing::front_matter(data));
