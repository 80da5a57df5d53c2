//! Differential test against Scalingo's published JSON Schema for `scalingo.json`
//! (draft-07), read at test time from `../shared/peers/scalingo.schema.json` (or
//! `$SCALINGO_MANIFEST_PEERS/scalingo.schema.json`), never copied into the project.
//!
//! For every `validate` case of the conformance suite and every manifest of the shared
//! corpus (`../shared/corpus/{scalingo,appjson}`, or `$SCALINGO_MANIFEST_CORPUS`), the
//! engine's verdict (valid when no finding is an error) is compared with the schema's
//! (valid when the bytes are JSON and the schema accepts them). Where they differ, the
//! difference must be one that `spec/decisions.md` names in its "Schema differences"
//! table: every schema error of a document the engine accepts, and every engine error of
//! a document the schema accepts, is traced to an `S-n` row by the detectors below. The
//! same is done place by place in every document (a schema error where the engine has
//! none, an engine error where the schema has none), so that a difference cannot hide
//! behind another one (most suite inputs have no `name`, which the schema requires). An
//! unexplained difference fails the test; so does a row the detectors name that the
//! table does not have.
//!
//! When `../shared` is missing, the test says so and passes, except in CI (`CI` set),
//! where it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jsonschema::error::ValidationErrorKind;
use scalingo_manifest::manifest;
use scalingo_manifest::Severity;
use scalingo_manifest_conformance::evaluate::base64_decode;
use scalingo_manifest_conformance::runner::load_cases;
use scalingo_manifest_conformance::Capability;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn peers_dir() -> PathBuf {
    match std::env::var_os("SCALINGO_MANIFEST_PEERS") {
        Some(p) => PathBuf::from(p),
        None => root().join("../shared/peers"),
    }
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("SCALINGO_MANIFEST_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => root().join("../shared/corpus"),
    }
}

/// Says that `what` is missing; fails in CI, where it must be present.
fn missing(what: &str, path: &Path) {
    let message = format!(
        "{what} is missing ({}): the schema differential is not run on it",
        path.display()
    );
    eprintln!("{message}");
    assert!(
        std::env::var_os("CI").is_none(),
        "{message}; CI must have ../shared beside the checkout"
    );
}

/// The bytes of a `validate` input (`manifest`, `manifest_base64` or `manifest_parts`).
fn manifest_bytes(input: &Value) -> Vec<u8> {
    if let Some(s) = input.get("manifest").and_then(Value::as_str) {
        return s.as_bytes().to_vec();
    }
    if let Some(s) = input.get("manifest_base64").and_then(Value::as_str) {
        return base64_decode(s).expect("valid base64 in the suite");
    }
    let mut out = Vec::new();
    for part in input["manifest_parts"].as_array().expect("a text input") {
        let piece = match (part.get("text"), part.get("base64")) {
            (Some(Value::String(t)), None) => t.as_bytes().to_vec(),
            (None, Some(Value::String(b))) => base64_decode(b).expect("valid base64"),
            _ => panic!("bad part {part}"),
        };
        let repeat = part.get("repeat").and_then(Value::as_u64).unwrap_or(1);
        out.extend_from_slice(&piece.repeat(usize::try_from(repeat).unwrap()));
    }
    out
}

/// The `S-n` rows of `spec/decisions.md`'s "Schema differences" table.
fn spec_rows() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("spec/decisions.md")).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("| S-"))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(|n| format!("S-{n}"))
        .collect()
}

/// Why the schema rejects part of a document the engine accepts: the `S-n` rows that
/// explain one schema error, found by looking at the error's place and the value there.
/// Empty: unexplained.
fn explain_schema_error(doc: &Value, path: &str, kind: &ValidationErrorKind) -> Vec<&'static str> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let at = |p: &str| doc.pointer(p);
    match (segments.as_slice(), kind) {
        ([], ValidationErrorKind::Required { property }) if property == "name" => vec!["S-1"],
        ([], ValidationErrorKind::AdditionalProperties { .. }) => vec!["S-2"],
        (["stack"], ValidationErrorKind::Enum { .. }) => match at("/stack") {
            Some(Value::String(s)) if s == "scalingo-24" => vec!["S-3"],
            Some(Value::String(_)) => vec!["S-4"],
            _ => vec![],
        },
        (["scripts"], ValidationErrorKind::AdditionalProperties { unexpected }) => unexpected
            .iter()
            .map(|k| if k == "postdeploy" { "S-5" } else { "S-6" })
            .collect(),
        (["addons", _], ValidationErrorKind::Type { .. }) => match at(path) {
            Some(Value::String(_)) => vec!["S-7"],
            _ => vec![],
        },
        (["addons", _], ValidationErrorKind::Required { property }) if property == "plan" => {
            let legacy = at(path)
                .and_then(Value::as_object)
                .is_some_and(|m| m.contains_key("addon_provider_id") || m.contains_key("plan_id"));
            if legacy {
                vec!["S-8"]
            } else {
                vec![]
            }
        }
        (["addons", _], ValidationErrorKind::AdditionalProperties { unexpected }) => unexpected
            .iter()
            .map(|k| match k.as_str() {
                "addon_provider_id" | "plan_id" => "S-8",
                "as" => "S-9",
                _ => "S-28",
            })
            .collect(),
        (["addons", _, "options", "version"], ValidationErrorKind::Type { .. }) => match at(path) {
            Some(Value::Number(_)) => vec!["S-27"],
            _ => vec![],
        },
        (["env", _], ValidationErrorKind::OneOfNotValid { .. }) => {
            explain_env_entry(at(path).unwrap_or(&Value::Null))
        }
        (["formation", _], ValidationErrorKind::Required { property }) => {
            let entry = at(path).and_then(Value::as_object);
            let has_quantity = entry.is_some_and(|m| m.contains_key("quantity"));
            if property == "amount" && has_quantity {
                vec!["S-18"]
            } else {
                vec!["S-20"]
            }
        }
        (["formation", _, "size"], ValidationErrorKind::Enum { .. }) => match at(path) {
            Some(Value::String(s)) if s == "3XL" => vec!["S-21"],
            _ => vec![],
        },
        _ => vec![],
    }
}

/// Why the schema's `oneOf` rejects an env entry the engine accepts.
fn explain_env_entry(entry: &Value) -> Vec<&'static str> {
    let Value::Object(m) = entry else {
        return match entry {
            Value::String(_) => vec!["S-10"],
            Value::Number(_) | Value::Bool(_) | Value::Null => vec!["S-29"],
            _ => vec![],
        };
    };
    let mut rows = Vec::new();
    match m.get("value") {
        Some(Value::Number(_) | Value::Bool(_)) => rows.push("S-11"),
        Some(Value::Null) => rows.push("S-12"),
        _ => {}
    }
    if !m.contains_key("value") && !m.contains_key("generator") {
        rows.push("S-13");
    }
    let known = ["description", "value", "generator", "template", "required"];
    if m.keys().any(|k| !known.contains(&k.as_str())) {
        rows.push("S-14");
    }
    rows
}

/// The rule a diagnostic code enforces.
fn rule_of(code: &str) -> Option<&'static str> {
    scalingo_manifest::catalogue()
        .iter()
        .find(|c| c.as_str() == code)
        .map(|c| c.rule())
}

/// Why the engine rejects a document the schema accepts: the `S-n` row of one engine
/// error, by its code's rule (and, for formation keys, the key). `None`: unexplained.
fn explain_engine_error(code: &str, _pointer: &str) -> Option<&'static str> {
    let rule = rule_of(code)?;
    Some(match rule {
        "MAN-ENV-2" => "S-15",
        "MAN-ENV-5" => "S-16",
        "MAN-FRM-4" | "LIM-6" => "S-17",
        "MAN-FRM-5" => "S-19",
        "MAN-FRM-2" => "S-22",
        "LIM-1" | "LIM-2" | "LIM-3" | "LIM-4" | "LIM-5" => "S-23",
        "JSON-2" => "S-24",
        "MAN-ADD-2" => "S-26",
        _ => return None,
    })
}

/// What the comparison found.
#[derive(Default)]
struct Tally {
    documents: usize,
    /// Documents with the same verdict.
    same_verdict: usize,
    /// Row -> documents it explains.
    rows: BTreeMap<&'static str, BTreeSet<String>>,
    unexplained: Vec<String>,
}

/// True when two JSON Pointers designate overlapping parts of a document: equal, or one
/// inside the other (`""`, the whole document, overlaps only `""`, so that a finding about
/// the whole document is never taken as agreeing with one about a member).
fn overlap(p: &str, q: &str) -> bool {
    p == q
        || (!p.is_empty()
            && !q.is_empty()
            && (p.starts_with(&format!("{q}/")) || q.starts_with(&format!("{p}/"))))
}

/// The places one schema error is about: the unexpected members for
/// `additionalProperties`, the error's instance path otherwise.
fn schema_error_places(path: &str, kind: &ValidationErrorKind) -> Vec<String> {
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|k| format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")))
            .collect(),
        _ => vec![path.to_string()],
    }
}

/// Compares one document, finding by finding. The verdicts differ exactly when one side
/// has errors and the other none; to see past the differences every document shows (most
/// suite inputs have no `name`, `S-1`), each finding is traced on its own: a schema error
/// with no engine error at an overlapping place must be a named difference where the
/// schema is stricter, and an engine error with no schema error at an overlapping place a
/// named difference where the engine is stricter. So the test checks the verdict
/// differences (where one side has no finding at all) and, beyond them, every place where
/// only one side objects.
fn compare_document(
    name: &str,
    bytes: &[u8],
    validator: &jsonschema::Validator,
    tally: &mut Tally,
) {
    tally.documents += 1;
    let checked = manifest::check(bytes, day());
    let engine_errors: Vec<(&str, &str, &str)> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.pointer.as_str(), d.code.as_str(), &*d.message))
        .collect();
    let Ok(doc) = serde_json::from_slice::<Value>(bytes) else {
        // Not JSON: the schema cannot accept it; the engine must reject it too.
        if engine_errors.is_empty() {
            tally.unexplained.push(format!(
                "{name}: the engine accepts bytes that are not JSON"
            ));
        } else {
            tally.same_verdict += 1;
        }
        return;
    };
    let schema_errors: Vec<(String, String, Vec<String>, Vec<&'static str>)> = validator
        .iter_errors(&doc)
        .map(|e| {
            let path = e.instance_path().to_string();
            let places = schema_error_places(&path, e.kind());
            let rows = explain_schema_error(&doc, &path, e.kind());
            (path, e.to_string(), places, rows)
        })
        .collect();
    if engine_errors.is_empty() == schema_errors.is_empty() {
        tally.same_verdict += 1;
        // When the engine dropped findings beyond its limit (`LIM-7`), the places of the
        // dropped ones are unknown: only the verdict can be compared.
        let truncated = checked.diagnostics.iter().any(|d| d.rule() == "LIM-7");
        if truncated {
            return;
        }
    }
    let note = |row: &'static str, tally: &mut Tally| {
        tally.rows.entry(row).or_default().insert(name.to_string());
    };
    for (path, message, places, rows) in &schema_errors {
        // `required: ["name"]` is about a member the engine never requires (`S-1`).
        let agreed = rows.as_slice() != ["S-1"]
            && places
                .iter()
                .all(|place| engine_errors.iter().any(|(p, _, _)| overlap(p, place)));
        if agreed {
            continue;
        }
        if rows.is_empty() {
            tally.unexplained.push(format!(
                "{name}: the schema rejects `{path}` ({message}) and the engine accepts it"
            ));
        }
        for row in rows {
            note(row, tally);
        }
    }
    for (pointer, code, message) in &engine_errors {
        let agreed = schema_errors
            .iter()
            .any(|(_, _, places, _)| places.iter().any(|place| overlap(pointer, place)));
        if agreed {
            continue;
        }
        match explain_engine_error(code, pointer) {
            Some(row) => note(row, tally),
            None => tally.unexplained.push(format!(
                "{name}: the engine rejects `{pointer}` with {code} ({message}) and the schema accepts it"
            )),
        }
    }
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["scalingo", "appjson"] {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file()),
        );
    }
    files.sort();
    files
}

#[test]
fn every_verdict_that_differs_from_the_published_schema_is_named_in_the_spec() {
    let schema_path = peers_dir().join("scalingo.schema.json");
    let Ok(schema_text) = std::fs::read_to_string(&schema_path) else {
        missing("Scalingo's published schema", &schema_path);
        return;
    };
    let schema: Value = serde_json::from_str(&schema_text).expect("the schema is JSON");
    let validator = jsonschema::draft7::new(&schema).expect("a valid draft-07 schema");

    let mut suite = Tally::default();
    let cases = load_cases(&root().join("spec/vectors")).expect("the suite loads");
    for case in cases
        .iter()
        .filter(|c| c.capability == Capability::Validate)
    {
        compare_document(
            &case.id,
            &manifest_bytes(&case.input),
            &validator,
            &mut suite,
        );
    }

    let mut corpus = Tally::default();
    let corpus_path = corpus_dir();
    let files = corpus_files(&corpus_path);
    if files.is_empty() {
        missing("the shared corpus", &corpus_path);
    }
    for path in &files {
        let name = path
            .strip_prefix(&corpus_path)
            .unwrap_or(path)
            .display()
            .to_string();
        let bytes = std::fs::read(path).expect("a readable corpus file");
        compare_document(&name, &bytes, &validator, &mut corpus);
    }

    let rows_in_spec = spec_rows();
    eprintln!(
        "schema differential: {} validate cases ({} with the same verdict), {} corpus manifests ({} with the same verdict)",
        suite.documents, suite.same_verdict, corpus.documents, corpus.same_verdict
    );
    let all_rows: BTreeSet<&str> = suite
        .rows
        .keys()
        .chain(corpus.rows.keys())
        .copied()
        .collect();
    eprintln!("| row | validate cases | corpus files |");
    for row in &all_rows {
        let n = |t: &Tally| t.rows.get(row).map_or(0, BTreeSet::len);
        eprintln!("| {row} | {} | {} |", n(&suite), n(&corpus));
    }
    let unknown: Vec<&&str> = all_rows
        .iter()
        .filter(|r| !rows_in_spec.contains(**r))
        .collect();
    assert!(
        unknown.is_empty(),
        "rows named by the detectors but absent from spec/decisions.md: {unknown:?}"
    );
    let unexplained: Vec<&String> = suite
        .unexplained
        .iter()
        .chain(&corpus.unexplained)
        .collect();
    assert!(
        unexplained.is_empty(),
        "verdicts that differ from the schema without a row in spec/decisions.md:\n{}",
        unexplained
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The test must be able to fail: the suite exercises the differences on purpose.
    assert!(suite.documents >= 150, "{} validate cases", suite.documents);
    assert!(all_rows.len() >= 20, "only {all_rows:?} seen");
}

#[test]
fn the_detectors_name_the_rows_of_known_differences() {
    let doc: Value = serde_json::json!({
        "stack": "scalingo-24",
        "scripts": {"postdeploy": "x", "test": "y"},
        "addons": ["redis", {"plan": "pg", "as": "DB", "x": 1}, {"addon_provider_id": "redis"}],
        "env": {"A": "x", "B": 5, "C": {"value": 1}, "D": {"value": null}, "E": {}, "F": {"value": "v", "sync": true}},
        "formation": {"web": {"quantity": 1}, "worker": {"amount": 1, "size": "3XL"}}
    });
    let k = |kind| explain_schema_error(&doc, "/stack", &kind);
    assert_eq!(
        k(ValidationErrorKind::Enum {
            options: std::sync::Arc::new(Value::Null)
        }),
        vec!["S-3"]
    );
    assert_eq!(explain_env_entry(&doc["env"]["A"]), vec!["S-10"]);
    assert_eq!(explain_env_entry(&doc["env"]["B"]), vec!["S-29"]);
    assert_eq!(explain_env_entry(&doc["env"]["C"]), vec!["S-11"]);
    assert_eq!(explain_env_entry(&doc["env"]["D"]), vec!["S-12"]);
    assert_eq!(explain_env_entry(&doc["env"]["E"]), vec!["S-13"]);
    assert_eq!(explain_env_entry(&doc["env"]["F"]), vec!["S-14"]);
    assert!(explain_env_entry(&serde_json::json!({"generator": "secret"})).is_empty());
    assert_eq!(
        explain_schema_error(
            &doc,
            "/scripts",
            &ValidationErrorKind::AdditionalProperties {
                unexpected: vec!["postdeploy".into(), "test".into()]
            }
        ),
        vec!["S-5", "S-6"]
    );
    assert_eq!(
        explain_schema_error(
            &doc,
            "/addons/1",
            &ValidationErrorKind::AdditionalProperties {
                unexpected: vec!["as".into(), "x".into()]
            }
        ),
        vec!["S-9", "S-28"]
    );
    assert_eq!(
        explain_schema_error(
            &doc,
            "/formation/web",
            &ValidationErrorKind::Required {
                property: Value::from("amount")
            }
        ),
        vec!["S-18"]
    );
    assert_eq!(explain_engine_error("SM0201", "/env/a b"), Some("S-15"));
    assert_eq!(
        explain_engine_error("SM0009", ""),
        None,
        "a syntax error is no schema difference"
    );
    let rows = spec_rows();
    assert!(rows.contains("S-1") && rows.contains("S-30"), "{rows:?}");
}

/// The day the manifests are checked as of (rule `PLAT-1`), fixed.
fn day() -> scalingo_manifest::platform::Date {
    "2026-12-07".parse().expect("a valid date")
}
