//! The canonical form is a fixed point (spec rule MAN-10): for any bytes whose check yields a
//! typed manifest, printing it canonically and checking the text again gives no error, only
//! the content findings `canonical::CONTENT_CODES` allows (and the LIM-7 note when they are
//! more than 1000), the same meaning, and the same
//! canonical bytes when printed a second time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalingo_manifest::manifest::{self, canonical};
use scalingo_manifest::Code;

fuzz_target!(|data: &[u8]| {
    let Some(model) = manifest::check(data, scalingo_manifest_fuzz::day()).manifest else {
        return;
    };
    let text = canonical::to_json(&model);
    let again = manifest::check(text.as_bytes(), scalingo_manifest_fuzz::day());
    for d in &again.diagnostics {
        // More than 1000 content findings end with the LIM-7 note (never an error: no
        // content finding is one).
        let drop_note = d.code == Code::ManifestDiagnosticsDropped && !d.is_error();
        assert!(
            canonical::CONTENT_CODES.contains(&d.code) || drop_note,
            "canonical text gave {} ({}) at {}:\n{text}",
            d.code,
            d.message,
            d.pointer
        );
    }
    let reread = again
        .manifest
        .unwrap_or_else(|| panic!("canonical text has no manifest:\n{text}"));
    assert!(
        canonical::same_meaning(&model, &reread),
        "meaning changed through the canonical text:\n{text}"
    );
    assert_eq!(
        canonical::to_json(&reread),
        text,
        "the canonical form is not a fixed point"
    );
});
