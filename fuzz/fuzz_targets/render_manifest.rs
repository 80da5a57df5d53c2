//! Raw bytes into the manifest parser and validator, then `check`'s human rendering of
//! the findings: every control or bidirectional character that comes from the input is
//! escaped (rule `DIAG-13`, `invariants::manifest_rendered`). Apart from `parse_manifest`
//! so that the parser's target spends its executions on the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalingo_manifest::manifest;
use scalingo_manifest_fuzz::invariants;

fuzz_target!(|data: &[u8]| {
    let checked = manifest::check(data, scalingo_manifest_fuzz::day());
    invariants::manifest_rendered(data, &checked);
});
