//! Raw bytes into the Procfile parser (`procfile::parse`): no panic, and the positions,
//! limits and entry invariants of `invariants::procfile`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalingo_manifest::procfile;
use scalingo_manifest_fuzz::invariants;

fuzz_target!(|data: &[u8]| {
    let parsed = procfile::parse(data);
    invariants::procfile(data, &parsed);
});
