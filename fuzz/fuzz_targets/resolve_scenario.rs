//! A whole deploy through `scenario::resolve`: input starting with `{` is a scenario's
//! JSON form (the spec's example scenarios are its seeds), any other input is decoded with
//! `arbitrary` into a structure-aware `FuzzScenario` (manifests as text and as structure,
//! file trees, PROJECT_DIR, requests, parents, attempt sequences). Checks no panic,
//! determinism, outcome paths inside the repository, positions, and the env frame rule
//! (`invariants::outcome`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalingo_manifest::scenario::resolve;
use scalingo_manifest_fuzz::{invariants, scenario::scenario_from_bytes};

fuzz_target!(|data: &[u8]| {
    if let Some(s) = scenario_from_bytes(data) {
        let outcome = resolve(&s);
        invariants::outcome(&s, &outcome);
    }
});
