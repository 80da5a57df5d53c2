//! A whole deploy through `scenario::resolve`, read from the same inputs as
//! `resolve_scenario` (its seeds), then `explain` of the outcome: it does not panic and
//! escapes every control or bidirectional character (rule `DIAG-13`,
//! `invariants::explained`). Apart from `resolve_scenario` so that the resolver's target
//! spends its executions on the resolver.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalingo_manifest::scenario::resolve;
use scalingo_manifest_fuzz::{invariants, scenario::scenario_from_bytes};

fuzz_target!(|data: &[u8]| {
    if let Some(s) = scenario_from_bytes(data) {
        invariants::explained(&resolve(&s));
    }
});
