//! The engine's two JSON readers agree (`ARCHITECTURE.md`, "Modules of the engine"): on any
//! bytes, a document the strict fast path reads gets the same tree from the lenient reader,
//! which reports nothing about it. Fed parse_manifest's seeds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    scalingo_manifest::fuzz_json_readers(data);
});
