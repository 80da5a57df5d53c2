//! The conformance suite: case files, the reference answer of each capability, suite
//! regeneration and a random case generator (`spec/vectors.md`).
//!
//! The suite lives in `spec/vectors/`: one JSON file per case,
//! `spec/vectors/<capability>/<id>.json`, plus `index.json` (every case's id, capability,
//! rules, decisions, tags, status and path), `case.schema.json` (the JSON Schema of a case
//! file) and `retired.json` (ids withdrawn for good). A case's `expected` is never written
//! by hand: [`regen`] computes it with [`evaluate()`], the reference engine's answer, and a
//! test fails when regenerating would change a byte.
//!
//! * [`case`]: the [`Case`] format, [`load_suite`] and its checks, the index and the schema.
//! * [`evaluate`](mod@evaluate): [`evaluate()`], one capability's answer to one input.
//! * [`generate`]: [`generate::generate`], deterministic random cases for implementers who
//!   want more than the curated suite.
//! * [`protocol`]: the messages between a runner and an implementation (`spec/protocol.md`).
//! * [`compare`]: the semantic comparator of an output with `expected`.
//! * [`harness`]: the reference engine served over the protocol (`scalingo-manifest
//!   harness`), with a deliberately broken mode for testing runners.
//! * [`runner`]: drives any implementation through the suite (`scalingo-manifest
//!   conformance run`), judges each case, reports.

pub mod case;
pub mod compare;
pub mod evaluate;
pub mod files;
pub mod generate;
pub mod harness;
pub mod pack;
pub mod protocol;
pub mod reaper;
pub mod runner;

use std::fs;
use std::path::Path;

use serde_json::Value;

pub use case::{load_suite, Capability, Case, Status, SuiteError};
pub use evaluate::{evaluate, EvalError};

/// The `value` written in `expected` for a secret generated without a seed (rule `GEN-3`):
/// such a value differs on every run, so a runner checks the actual value's shape
/// (`^[0-9a-f]{32}$`, distinct from the other secrets) and never compares it to this text.
pub const SECRET_PLACEHOLDER: &str = "<random: 32 lowercase hex characters>";

/// The `expected` of `case`: [`evaluate()`] on its input, with every unseeded secret value
/// replaced by [`SECRET_PLACEHOLDER`] (so that regenerating twice gives the same bytes).
///
/// # Errors
/// [`EvalError`] when the input does not have the capability's shape.
pub fn expected_for(case: &Case) -> Result<Value, EvalError> {
    let mut expected = evaluate(case.capability, &case.input)?;
    let seeded = case.input.get("seed").is_some_and(|s| !s.is_null());
    if !seeded {
        let vars = match case.capability {
            Capability::Env => expected.get_mut("vars"),
            Capability::Resolve => expected.get_mut("env").and_then(|e| e.get_mut("vars")),
            _ => None,
        };
        if let Some(Value::Object(vars)) = vars {
            for var in vars.values_mut() {
                if var.get("origin").and_then(Value::as_str) == Some("secret") {
                    var["value"] = Value::String(SECRET_PLACEHOLDER.to_string());
                }
            }
        }
    }
    Ok(expected)
}

/// What [`regen`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegenReport {
    /// Number of cases in the suite.
    pub cases: usize,
    /// Files (relative to the suite folder) whose bytes differ from the regenerated ones,
    /// in path order: written when [`regen`] writes, only listed when it checks.
    pub changed: Vec<String>,
}

/// Regenerates the suite folder `dir` (`spec/vectors`): every case's `expected` (from
/// [`expected_for`]) and canonical bytes, `index.json`, `case.schema.json`, and an empty
/// `retired.json` when there is none. With `write` false nothing is written and the
/// report lists what would change (the drift check).
///
/// # Errors
/// [`SuiteError`] when the suite does not load ([`load_suite`]), when a case's input does
/// not evaluate, or when a file cannot be written; nothing is written unless every case
/// evaluates.
pub fn regen(dir: &Path, write: bool) -> Result<RegenReport, SuiteError> {
    let cases = load_suite(dir)?;
    let mut problems = Vec::new();
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut regenerated = Vec::with_capacity(cases.len());
    for case in &cases {
        match expected_for(case) {
            Ok(expected) => {
                let new = Case {
                    expected,
                    ..case.clone()
                };
                outputs.push((new.rel_path(), new.to_canonical_json()));
                regenerated.push(new);
            }
            Err(e) => problems.push(format!("{}: {e}", case.rel_path())),
        }
    }
    if !problems.is_empty() {
        return Err(SuiteError { problems });
    }
    let retired = if dir.join("retired.json").exists() {
        match files::read_text(&dir.join("retired.json"), files::MAX_RETIRED_FILE_BYTES) {
            Ok(text) => text,
            Err(e) => return Err(SuiteError { problems: vec![e] }),
        }
    } else {
        let empty = "[]\n".to_string();
        outputs.push(("retired.json".into(), empty.clone()));
        empty
    };
    let with_bytes: Vec<(&Case, &str)> = regenerated
        .iter()
        .zip(&outputs)
        .map(|(c, (_, bytes))| (c, bytes.as_str()))
        .collect();
    let index = case::index_json(
        &with_bytes,
        &[
            ("retired.json", retired.as_str()),
            ("case.schema.json", case::CASE_SCHEMA),
            ("report.schema.json", runner::REPORT_SCHEMA),
        ],
    );
    outputs.push(("index.json".into(), index));
    outputs.push(("case.schema.json".into(), case::CASE_SCHEMA.to_string()));
    outputs.push((
        "report.schema.json".into(),
        runner::REPORT_SCHEMA.to_string(),
    ));
    let mut report = RegenReport {
        cases: cases.len(),
        changed: Vec::new(),
    };
    for (rel, bytes) in outputs {
        let path = dir.join(&rel);
        // bounded: at most one byte more than what would be written (`files`)
        let same = files::same_content(&path, bytes.as_bytes());
        if same {
            continue;
        }
        if write {
            // never open a FIFO or a device for writing (it could block): regular files only
            if fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
                problems.push(format!("{rel}: not a regular file: not written"));
            } else if let Err(e) = fs::write(&path, bytes.as_bytes()) {
                problems.push(format!("{rel}: {e}"));
            }
        }
        report.changed.push(rel);
    }
    report.changed.sort();
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(SuiteError { problems })
    }
}

/// A case input for the unit tests: `value` with `"date"` set to 2026-12-07 when it has
/// none, fixed so that no test changes when the platform catalogue gains an entry.
#[cfg(test)]
pub(crate) fn with_test_day(mut value: Value) -> Value {
    if let Value::Object(m) = &mut value {
        m.entry("date").or_insert_with(|| "2026-12-07".into());
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(capability: Capability, input: Value) -> Case {
        let input = crate::with_test_day(input);
        Case {
            id: "SMC-0001".into(),
            rules: vec!["GEN-3".into()],
            decisions: vec![],
            description: "x".into(),
            capability,
            status: Status::Required,
            tags: vec![],
            input,
            expected: Value::Null,
        }
    }

    /// A suite folder `<tmp>/vectors` with one validate case whose `expected` is stale
    /// (`null`), and a spec folder defining its rule.
    fn stale_suite(name: &str) -> (std::path::PathBuf, Case) {
        let root = std::env::temp_dir().join(format!(
            "scalingo-manifest-regen-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&root);
        let dir = root.join("vectors");
        fs::create_dir_all(dir.join("validate")).unwrap();
        fs::write(root.join("manifest.md"), "# M\n\n## JSON-7 x\n").unwrap();
        fs::write(root.join("decisions.md"), "# D\n").unwrap();
        let stale = Case {
            rules: vec!["JSON-7".into()],
            ..case(Capability::Validate, json!({"manifest": "{}"}))
        };
        fs::write(dir.join(stale.rel_path()), stale.to_canonical_json()).unwrap();
        (dir, stale)
    }

    #[test]
    fn regen_rewrites_a_stale_expected_and_adds_a_missing_retired_json() {
        let (dir, stale) = stale_suite("write");
        let report = regen(&dir, true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            report.changed,
            [
                "case.schema.json",
                "index.json",
                "report.schema.json",
                "retired.json",
                "validate/SMC-0001.json"
            ]
        );
        assert!(crate::case::suite_identity(&dir).unwrap().verified);
        let fresh = Case {
            expected: expected_for(&stale).unwrap(),
            ..stale
        };
        assert_ne!(fresh.expected, Value::Null);
        assert_eq!(
            fs::read_to_string(dir.join("validate/SMC-0001.json")).unwrap(),
            fresh.to_canonical_json()
        );
        assert_eq!(
            fs::read_to_string(dir.join("retired.json")).unwrap(),
            "[]\n"
        );
        assert_eq!(regen(&dir, false).unwrap().changed, Vec::<String>::new());
    }

    #[test]
    fn regen_keeps_an_existing_retired_json() {
        let (dir, _) = stale_suite("retired");
        let retired = r#"[{"id": "SMC-0002", "reason": "withdrawn"}]"#;
        fs::write(dir.join("retired.json"), retired).unwrap();
        let report = regen(&dir, true).unwrap_or_else(|e| panic!("{e}"));
        assert!(!report.changed.contains(&"retired.json".to_string()));
        assert_eq!(
            fs::read_to_string(dir.join("retired.json")).unwrap(),
            retired
        );
    }

    #[test]
    fn unseeded_secrets_become_the_placeholder() {
        let c = case(
            Capability::Env,
            json!({"kind": "one-click", "app": "a", "manifest_env": {"S": {"generator": "secret"}, "V": {"value": "v"}}}),
        );
        let e = expected_for(&c).unwrap();
        assert_eq!(e["vars"]["S"]["value"], json!(SECRET_PLACEHOLDER));
        assert_eq!(e["vars"]["V"]["value"], json!("v"));
        assert_eq!(expected_for(&c).unwrap(), e, "stable across runs");
        let seeded = case(
            Capability::Env,
            json!({"kind": "one-click", "app": "a", "seed": 0, "manifest_env": {"SECRET_KEY": {"generator": "secret"}}}),
        );
        assert_eq!(
            expected_for(&seeded).unwrap()["vars"]["SECRET_KEY"]["value"],
            json!("cfaee90bad89982c0ac6b093bcd5b51f")
        );
    }

    #[test]
    fn resolve_placeholder_applies_to_env_vars() {
        let c = case(
            Capability::Resolve,
            json!({"kind": "one-click", "app": {"name": "a"}, "request": {"source": "https://github.com/o/r"},
                   "repository": {"files": {"scalingo.json": "{\"env\": {\"S\": {\"generator\": \"secret\"}}}"}}}),
        );
        let e = expected_for(&c).unwrap();
        assert_eq!(e["env"]["vars"]["S"]["value"], json!(SECRET_PLACEHOLDER));
    }
}
