//! A yardstick, not a check of the engine: raw bytes into `serde_json::from_slice::<Value>`
//! and nothing else. Run beside `parse_manifest` on the same seeds and the same machine,
//! it tells how much of `parse_manifest`'s cost per input is the engine's own
//! (fuzz/README.md, "Measurements"). `fuzz/run-ci.sh` skips it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<serde_json::Value>(data);
});
