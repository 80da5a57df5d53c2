//! The engine's JSON Schema (`manifest::schema`, spec rule MAN-11) and its validator agree on
//! every input that is strict JSON: the schema accepts the document exactly when
//! `manifest::check` finds no error, except for the disagreements the spec names in
//! `schema::ALLOWED_DISAGREEMENTS`, which `schema::allowed_disagreement` recognises:
//! LIM-1 (input over 1 MiB), LIM-2 (nesting deeper than 32), MAN-FRM-4 (a whole amount written
//! as `1.0` or `1e2`), MAN-ENV-5 (an env value written as a number over 32768 characters).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scalingo_manifest::manifest::{self, schema};

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| jsonschema::validator_for(&schema::schema()).expect("the schema compiles"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let by_schema = validator().is_valid(&value);
    let by_engine = !manifest::check(data, scalingo_manifest_fuzz::day())
        .diagnostics
        .iter()
        .any(|d| d.is_error());
    if by_schema != by_engine {
        assert!(
            schema::allowed_disagreement(text, &value).is_some(),
            "schema says {by_schema}, engine says {by_engine}, and no named disagreement explains it:\n{text}"
        );
    }
});
