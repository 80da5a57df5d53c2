//! Raw bytes into the manifest parser and validator (`manifest::check`): no panic, and the
//! positions, limits and verdict invariants of `invariants::manifest` (the human rendering
//! has a target of its own, `render_manifest`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalingo_manifest::manifest;
use scalingo_manifest_fuzz::invariants;

fuzz_target!(|data: &[u8]| {
    let checked = manifest::check(data, scalingo_manifest_fuzz::day());
    invariants::manifest(data, &checked);
});
