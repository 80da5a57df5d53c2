//! The conformance suite (`spec/vectors/`, documented in `spec/vectors.md`): no drift
//! between the committed expected outputs and the reference engine, every case file valid
//! against the published case schema (checked with the `jsonschema` crate, draft 2020-12),
//! stable unique ids and descriptions, and coverage of every rule, decision and worked
//! example of the spec.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use scalingo_manifest_conformance::evaluate::base64_decode;
use scalingo_manifest_conformance::{
    self as conformance, case, Capability, Case, SECRET_PLACEHOLDER,
};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn suite_dir() -> PathBuf {
    root().join("spec").join("vectors")
}

fn suite() -> &'static [Case] {
    static SUITE: OnceLock<Vec<Case>> = OnceLock::new();
    SUITE.get_or_init(|| case::load_suite(&suite_dir()).unwrap_or_else(|e| panic!("{e}")))
}

fn spec() -> case::SpecIndex {
    case::spec_index(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"))
}

fn schema_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(case::CASE_SCHEMA).expect("the case schema is JSON");
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("invalid case schema: {e}"))
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Diagnostics of an expected output (every capability has `diagnostics`).
fn diagnostics(expected: &Value) -> impl Iterator<Item = &Value> {
    expected
        .get("diagnostics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn rule_of(code: &str) -> Option<&'static str> {
    scalingo_manifest::catalogue()
        .iter()
        .find(|c| c.as_str() == code)
        .map(|c| c.rule())
}

/// The bytes of a text input (`<name>`, `<name>_base64`), as the runner builds them.
fn text_bytes(input: &Value, name: &str) -> Option<Vec<u8>> {
    if let Some(s) = input.get(name).and_then(Value::as_str) {
        return Some(s.as_bytes().to_vec());
    }
    let b64 = input.get(format!("{name}_base64"))?.as_str()?;
    base64_decode(b64).ok()
}

#[test]
fn the_suite_loads_with_enough_cases_of_every_capability() {
    let cases = suite();
    assert!(cases.len() >= 220, "only {} cases", cases.len());
    for cap in Capability::ALL {
        let n = cases.iter().filter(|c| c.capability == cap).count();
        assert!(n >= 5, "capability {cap} has {n} cases");
    }
}

#[test]
fn regenerating_the_suite_changes_no_byte() {
    let report = conformance::regen(&suite_dir(), false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.cases, suite().len());
    assert!(
        report.changed.is_empty(),
        "the reference engine disagrees with {} committed file(s) of spec/vectors/ (review, then run \
         `cargo run -- conformance regen`):\n  {}",
        report.changed.len(),
        report.changed.join("\n  ")
    );
}

#[test]
fn the_published_schema_is_the_hand_written_one() {
    let published = fs::read_to_string(suite_dir().join("case.schema.json")).unwrap();
    assert_eq!(published, case::CASE_SCHEMA);
    let published = fs::read_to_string(suite_dir().join("report.schema.json")).unwrap();
    assert_eq!(published, conformance::runner::REPORT_SCHEMA);
    let report: Value = serde_json::from_str(&published).expect("the report schema is JSON");
    jsonschema::draft202012::new(&report).unwrap_or_else(|e| panic!("invalid report schema: {e}"));
}

#[test]
fn every_case_file_matches_the_case_schema() {
    let validator = schema_validator();
    let mut failures = Vec::new();
    for c in suite() {
        let path = suite_dir().join(c.rel_path());
        let value: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for e in schema_errors(&validator, &value) {
            failures.push(format!("{}: {e}", c.rel_path()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_case_schema_rejects_malformed_cases() {
    let validator = schema_validator();
    let good: Value = serde_json::from_str(
        &fs::read_to_string(suite_dir().join("validate/SMC-0001.json")).unwrap(),
    )
    .unwrap();
    assert!(schema_errors(&validator, &good).is_empty());
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 9] = [
        ("extra field", |v| v["comment"] = json!("x")),
        ("bad id", |v| v["id"] = json!("SMC-1")),
        ("id 0000", |v| v["id"] = json!("SMC-0000")),
        ("unknown tag", |v| v["tags"] = json!(["nice"])),
        ("no rules", |v| v["rules"] = json!([])),
        ("decision as rule", |v| v["rules"] = json!(["D-3"])),
        ("two-line description", |v| v["description"] = json!("a\nb")),
        ("message in a diagnostic", |v| {
            v["expected"]["diagnostics"][0]["message"] = json!("expected `,`")
        }),
        ("input of another capability", |v| {
            v["input"] = json!({"procfile": "web: x"})
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(
            !schema_errors(&validator, &bad).is_empty(),
            "the schema accepts a case with {what}"
        );
    }
}

#[test]
fn ids_and_descriptions_are_unique_and_retired_ids_never_come_back() {
    let mut ids = BTreeSet::new();
    let mut descriptions = BTreeSet::new();
    for c in suite() {
        assert!(case::is_suite_id(&c.id), "{}", c.id);
        assert!(ids.insert(c.id.as_str()), "{} used twice", c.id);
        assert!(
            descriptions.insert(c.description.to_ascii_lowercase()),
            "{}: description used twice",
            c.id
        );
    }
    let retired = case::load_retired(&suite_dir()).unwrap();
    for r in &retired {
        assert!(
            !ids.contains(r.id.as_str()),
            "retired id {} is used again",
            r.id
        );
        assert!(
            !r.reason.trim().is_empty(),
            "retired id {} has no reason",
            r.id
        );
    }
    // Dense numbering: a removed case must be retired, so its number is never reused.
    let max = ids
        .iter()
        .filter_map(|id| case::suite_number(id))
        .max()
        .unwrap_or(0);
    let retired_ids: BTreeSet<&str> = retired.iter().map(|r| r.id.as_str()).collect();
    for n in 1..=max {
        let id = format!("SMC-{n:04}");
        assert!(
            ids.contains(id.as_str()) || retired_ids.contains(id.as_str()),
            "{id} is missing"
        );
    }
}

#[test]
fn every_rule_of_the_spec_has_a_case() {
    let spec = spec();
    assert!(
        spec.rules.len() > 150,
        "only {} rules found",
        spec.rules.len()
    );
    let covered: BTreeSet<&str> = suite()
        .iter()
        .flat_map(|c| c.rules.iter().map(String::as_str))
        .collect();
    let missing: Vec<String> = spec
        .rules
        .iter()
        .filter(|(r, _)| !covered.contains(r.as_str()))
        .map(|(r, file)| format!("{r} ({file})"))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a case: {}",
        missing.join(", ")
    );
}

#[test]
fn every_decision_has_a_case() {
    let spec = spec();
    // Numbered from D-1 without a gap: a number is never skipped nor reused.
    let last = spec
        .decisions
        .iter()
        .filter_map(|d| d.strip_prefix("D-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    assert!(last >= 20, "decisions.md defines D-1 to D-{last}");
    let expected: BTreeSet<String> = (1..=last).map(|n| format!("D-{n}")).collect();
    assert_eq!(
        spec.decisions, expected,
        "decisions.md defines D-1 to D-{last} without a gap"
    );
    let covered: BTreeSet<&str> = suite()
        .iter()
        .flat_map(|c| c.decisions.iter().map(String::as_str))
        .collect();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|d| !covered.contains(d.as_str()))
        .collect();
    assert!(missing.is_empty(), "decisions without a case: {missing:?}");
}

fn example_files(folder: &str) -> Vec<PathBuf> {
    let dir = root().join("spec").join("examples").join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no example in {}", dir.display());
    files
}

fn tagged<'a>(cap: Capability, tag: &'a str) -> impl Iterator<Item = &'static Case> + 'a {
    suite()
        .iter()
        .filter(move |c| c.capability == cap && c.tags.iter().any(|t| t == tag))
}

#[test]
fn every_documentation_manifest_is_a_validate_case() {
    let docs: Vec<(&Case, Vec<u8>)> = tagged(Capability::Validate, "docs-example")
        .map(|c| (c, text_bytes(&c.input, "manifest").unwrap_or_default()))
        .collect();
    let examples: Vec<(PathBuf, Vec<u8>)> = example_files("manifests")
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    for (path, bytes) in &examples {
        assert!(
            docs.iter().any(|(_, b)| b == bytes),
            "{} is not the input of a validate case tagged docs-example",
            path.display()
        );
    }
    for (c, bytes) in &docs {
        assert!(
            examples.iter().any(|(_, b)| b == bytes),
            "{} is tagged docs-example but matches no example",
            c.id
        );
    }
}

#[test]
fn every_worked_scenario_is_a_resolve_case() {
    let docs: Vec<&Case> = tagged(Capability::Resolve, "docs-example").collect();
    let scenarios: Vec<(PathBuf, Value)> = example_files("scenarios")
        .into_iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
            (p, case::canonical(&v))
        })
        .collect();
    for (path, scenario) in &scenarios {
        assert!(
            docs.iter().any(|c| case::canonical(&c.input) == *scenario),
            "{} is not the input of a resolve case tagged docs-example",
            path.display()
        );
    }
    for c in &docs {
        assert!(
            scenarios
                .iter()
                .any(|(_, s)| case::canonical(&c.input) == *s),
            "{} is tagged docs-example but matches no scenario",
            c.id
        );
    }
}

#[test]
fn every_expected_code_is_a_current_code() {
    for c in suite() {
        for d in diagnostics(&c.expected) {
            let code = d["code"].as_str().unwrap_or("");
            assert!(
                rule_of(code).is_some(),
                "{}: {code} is not in the catalogue (DIAG-7)",
                c.id
            );
        }
    }
}

/// Every finding a case expects belongs to a rule the case names, so that a rule filter
/// (`--filter '!MAN-5'`) or an expected failure by rule leaves out every case where that
/// rule shows (a case that expects SM0105 names `MAN-5`).
#[test]
fn every_expected_code_has_its_rule_in_the_cases_rules() {
    let mut missing = Vec::new();
    for c in suite() {
        for d in diagnostics(&c.expected) {
            let Some(rule) = d["code"].as_str().and_then(rule_of) else {
                continue;
            };
            if !c.rules.iter().any(|r| r == rule) {
                missing.push(format!(
                    "{}: expects {} but does not name {rule}",
                    c.id, d["code"]
                ));
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "add the rules to the cases' `rules`:\n{}",
        missing.join("\n")
    );
}

/// An invalid case must fail for the reason it is about: one of the errors it expects comes
/// from one of the rules it names (so a case never passes because of an unrelated error).
#[test]
fn every_error_case_names_the_rule_of_one_of_its_errors() {
    let mut wrong = Vec::new();
    for c in suite() {
        let errors: BTreeSet<&str> = diagnostics(&c.expected)
            .filter(|d| d["severity"] == "error")
            .filter_map(|d| d["code"].as_str())
            .filter_map(rule_of)
            .collect();
        if !errors.is_empty() && !c.rules.iter().any(|r| errors.contains(r.as_str())) {
            wrong.push(format!(
                "{} names {:?} but its errors come from {errors:?}",
                c.id, c.rules
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn secret_values(c: &Case) -> Vec<&str> {
    let vars = match c.capability {
        Capability::Env => c.expected.get("vars"),
        Capability::Resolve => c.expected.get("env").and_then(|e| e.get("vars")),
        _ => None,
    };
    vars.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, v)| v["origin"] == "secret")
        .filter_map(|(_, v)| v["value"].as_str())
        .collect()
}

#[test]
fn the_exact_secrets_tag_marks_exactly_the_seeded_secrets() {
    let is_hex32 = |s: &str| {
        s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    for c in suite() {
        let secrets = secret_values(c);
        let seeded = c.input.get("seed").is_some_and(|s| !s.is_null());
        let tagged = c.tags.iter().any(|t| t == "exact-secrets");
        assert_eq!(
            tagged,
            seeded && !secrets.is_empty(),
            "{}: exact-secrets tag",
            c.id
        );
        for s in secrets {
            if seeded {
                assert!(is_hex32(s), "{}: seeded secret {s}", c.id);
            } else {
                assert_eq!(s, SECRET_PLACEHOLDER, "{}", c.id);
            }
        }
    }
}

#[test]
fn the_base64_tag_marks_exactly_the_base64_inputs() {
    for c in suite() {
        let text = c.input.to_string();
        let uses = c
            .input
            .as_object()
            .is_some_and(|m| m.keys().any(|k| k.ends_with("_base64")))
            || text.contains("\"base64\":");
        assert_eq!(
            uses,
            c.tags.iter().any(|t| t == "base64"),
            "{}: base64 tag",
            c.id
        );
    }
}

#[test]
fn optional_cases_exercise_a_should_rule() {
    // Rules whose text makes a finding a SHOULD (an implementation may omit it).
    let should: BTreeSet<&str> = [
        "PROC-4", "PROC-5", "PROC-8", "PROC-9", "PROC-10", "LOC-3", "LOC-7", "LOC-8", "HOOK-16",
    ]
    .into_iter()
    .collect();
    for c in suite()
        .iter()
        .filter(|c| c.status == conformance::Status::Optional)
    {
        assert!(
            c.rules.iter().any(|r| should.contains(r.as_str())),
            "{} is optional but names no SHOULD rule",
            c.id
        );
    }
}

#[test]
fn the_index_lists_every_case() {
    let index: case::SuiteIndex =
        serde_json::from_str(&fs::read_to_string(suite_dir().join("index.json")).unwrap()).unwrap();
    assert_eq!(index.format, case::SUITE_FORMAT);
    assert_eq!(index.version, case::SUITE_VERSION);
    assert_eq!(index.count, suite().len());
    let from_index: Vec<(&str, &str)> = index
        .cases
        .iter()
        .map(|e| (e.id.as_str(), e.path.as_str()))
        .collect();
    let paths: Vec<String> = suite().iter().map(Case::rel_path).collect();
    let from_suite: Vec<(&str, &str)> = suite()
        .iter()
        .zip(&paths)
        .map(|(c, p)| (c.id.as_str(), p.as_str()))
        .collect();
    assert_eq!(from_index, from_suite);
    for e in &index.cases {
        assert!(suite_dir().join(&e.path).is_file(), "{}", e.path);
    }
}

#[test]
fn vectors_md_documents_every_capability_tag_and_status() {
    let doc = fs::read_to_string(root().join("spec").join("vectors.md")).unwrap();
    for cap in Capability::ALL {
        assert!(
            doc.contains(&format!("### `{cap}`")),
            "spec/vectors.md has no section for {cap}"
        );
    }
    for (tag, _) in case::TAGS {
        assert!(
            doc.contains(&format!("`{tag}`")),
            "spec/vectors.md does not document tag {tag}"
        );
    }
    for status in ["required", "optional", "implementation-defined"] {
        assert!(
            doc.contains(&format!("`{status}`")),
            "spec/vectors.md does not document {status}"
        );
    }
}

#[test]
fn generated_cases_are_deterministic_and_match_the_schema() {
    let validator = schema_validator();
    let a = conformance::generate::generate(11, 90, &[]).unwrap();
    let b = conformance::generate::generate(11, 90, &[]).unwrap();
    assert_eq!(a, b);
    let mut per_capability: BTreeMap<Capability, usize> = BTreeMap::new();
    for c in &a {
        *per_capability.entry(c.capability).or_default() += 1;
        let value: Value = serde_json::from_str(&c.to_canonical_json()).unwrap();
        let errors = schema_errors(&validator, &value);
        assert!(errors.is_empty(), "{}: {}", c.id, errors.join("; "));
        let spec = spec();
        for r in &c.rules {
            assert!(spec.rules.contains_key(r), "{}: rule {r}", c.id);
        }
    }
    assert_eq!(
        per_capability.len(),
        Capability::ALL.len(),
        "{per_capability:?}"
    );
}

/// `conformance gen --capability`: only the capabilities named, every one of them drawn,
/// deterministic; naming them all is the same as naming none.
#[test]
fn generated_cases_can_target_capabilities() {
    let some = [Capability::Validate, Capability::Env];
    let a = conformance::generate::generate(3, 60, &some).unwrap();
    assert_eq!(a, conformance::generate::generate(3, 60, &some).unwrap());
    let drawn: BTreeSet<Capability> = a.iter().map(|c| c.capability).collect();
    assert_eq!(drawn, some.into_iter().collect());
    let only = conformance::generate::generate(3, 20, &[Capability::Procfile]).unwrap();
    assert!(only.iter().all(|c| c.capability == Capability::Procfile));
    assert_eq!(
        conformance::generate::generate(3, 30, &Capability::ALL).unwrap(),
        conformance::generate::generate(3, 30, &[]).unwrap()
    );
}

#[test]
fn gen_writes_the_suite_layout() {
    let out = std::env::temp_dir().join(format!("scalingo-manifest-gen-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let written = conformance::generate::write_generated(5, 12, &[], &out).unwrap();
    assert_eq!(written.len(), 13);
    let index: case::SuiteIndex =
        serde_json::from_str(&fs::read_to_string(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index.cases.len(), 12);
    let identity = case::suite_identity(&out).unwrap();
    assert!(identity.verified, "a generated folder hashes to its index");
    for e in &index.cases {
        let text = fs::read_to_string(out.join(&e.path)).unwrap();
        let c: Case = serde_json::from_str(&text).unwrap();
        assert_eq!(c.id, e.id);
        assert!(Path::new(&e.path).starts_with(c.capability.as_str()));
        assert_eq!(text, c.to_canonical_json());
    }
    let _ = fs::remove_dir_all(&out);
}

/// The README states how many cases the suite holds; the number follows the suite.
#[test]
fn the_readme_states_the_number_of_cases() {
    let readme =
        fs::read_to_string(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("README.md"))
            .expect("README.md");
    let stated = format!("`spec/vectors/` holds {} conformance cases", suite().len());
    assert!(readme.contains(&stated), "README.md should say: {stated}");
}

/// Every `--filter` example of the documents selects at least one case of the suite, so
/// an example copied from the docs never stops at "matches no case" (issue: docs that
/// match the tools).
#[test]
fn the_documented_filter_examples_select_cases() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut seen = 0;
    for doc in [
        "spec/protocol.md",
        "spec/vectors.md",
        "README.md",
        "TESTING.md",
    ] {
        let text = fs::read_to_string(root.join(doc)).expect("doc");
        // `--filter TERM`, possibly with the term quoted for the shell, inside backticks
        // (which may wrap onto the next line).
        let flat = text.replace('\n', " ");
        for piece in flat.split('`').skip(1).step_by(2) {
            let mut words = piece.split_whitespace().peekable();
            let mut terms = Vec::new();
            while let Some(w) = words.next() {
                if w == "--filter" {
                    if let Some(t) = words.next() {
                        terms.push(t.trim_matches('\'').to_string());
                    }
                }
            }
            // Placeholders, and the typo the protocol page shows being refused.
            if terms.is_empty()
                || terms
                    .iter()
                    .any(|t| t.contains("..") || t == "TERM" || t == "valdiate")
            {
                continue;
            }
            seen += 1;
            let filter = conformance::runner::Filter::new(&terms);
            if let Err(e) = filter.select(suite()) {
                panic!("{doc}: `{piece}` selects nothing: {e}");
            }
        }
    }
    assert!(seen >= 8, "only {seen} documented filter examples found");
}

/// `index.json` states the suite's version and content hash; the files hash to it (the same
/// hash `sha256sum` gives, `spec/vectors.md`), and a changed byte of a case shows.
#[test]
fn the_suite_index_states_a_content_hash_that_its_files_verify() {
    let identity = case::suite_identity(&suite_dir()).unwrap();
    assert!(identity.verified, "run `conformance regen`: {identity:?}");
    assert_eq!(identity.version, case::SUITE_VERSION);
    assert_eq!(identity.sha256.len(), 64);
    // A copy with one case changed no longer verifies.
    let copy = std::env::temp_dir().join(format!("scalingo-manifest-suite-{}", std::process::id()));
    let _ = fs::remove_dir_all(&copy);
    fs::create_dir_all(copy.join("validate")).unwrap();
    for name in [
        "index.json",
        "retired.json",
        "case.schema.json",
        "report.schema.json",
    ] {
        fs::copy(suite_dir().join(name), copy.join(name)).unwrap();
    }
    for c in suite() {
        let to = copy.join(c.rel_path());
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(suite_dir().join(c.rel_path()), &to).unwrap();
    }
    assert!(case::suite_identity(&copy).unwrap().verified);
    let first = copy.join(suite()[0].rel_path());
    let mut text = fs::read_to_string(&first).unwrap();
    text.push(' ');
    fs::write(&first, text).unwrap();
    assert!(!case::suite_identity(&copy).unwrap().verified);
    fs::copy(suite_dir().join(suite()[0].rel_path()), &first).unwrap();
    assert!(case::suite_identity(&copy).unwrap().verified);
    // A case file the index does not list is not that suite either.
    let extra = copy.join("validate/SMC-9999.json");
    fs::copy(&first, &extra).unwrap();
    assert!(!case::suite_identity(&copy).unwrap().verified);
    fs::remove_file(&extra).unwrap();
    // What the index says is checked before it is trusted (it names the archive and the
    // files read): a version or a path that could leave the folder, a hash that is no hash.
    let index_text = fs::read_to_string(suite_dir().join("index.json")).unwrap();
    let first_path = suite()[0].rel_path();
    for (from, to, problem) in [
        ("\"version\": \"", "\"version\": \"../", "`version` is not"),
        ("\"sha256\": \"", "\"sha256\": \"X", "`sha256` is not"),
        (first_path.as_str(), "../../etc/passwd", "its path is not"),
        ("\"count\": ", "\"count\": 1", "`count` is"),
    ] {
        fs::write(copy.join("index.json"), index_text.replacen(from, to, 1)).unwrap();
        let e = case::suite_identity(&copy).unwrap_err();
        assert!(e.contains(problem), "{e}");
    }
    // A case listed twice (its id and path given to the next entry too).
    let second = &suite()[1].id;
    let twice = index_text.replace(second.as_str(), &suite()[0].id);
    fs::write(copy.join("index.json"), twice).unwrap();
    let e = case::suite_identity(&copy).unwrap_err();
    assert!(e.contains("is listed twice"), "{e}");
    fs::write(copy.join("index.json"), &index_text).unwrap();
    assert!(case::suite_identity(&copy).unwrap().verified);
    fs::write(copy.join("index.json"), "[]").unwrap();
    assert!(
        case::suite_identity(&copy).is_err(),
        "an index without a version"
    );
    let _ = fs::remove_dir_all(&copy);
}

/// `conformance pack`: the archive is reproducible, holds the spec, the suite, README.md
/// and CHANGES.md under one folder, and an unpacked copy loads and verifies as the suite.
#[test]
fn the_suite_archive_is_reproducible_and_unpacks_to_a_verified_suite() {
    use std::io::Read as _;
    let spec = root().join("spec");
    let out = std::env::temp_dir().join(format!("scalingo-manifest-pack-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let a = conformance::pack::pack(&spec, &out.join("a"), None).unwrap();
    let b = conformance::pack::pack(&spec, &out.join("b"), None).unwrap();
    assert_eq!(a.sha256, b.sha256, "the same suite gives the same bytes");
    assert_eq!(fs::read(&a.path).unwrap(), fs::read(&b.path).unwrap());
    assert_eq!(a.version, case::SUITE_VERSION);
    let name = format!("scalingo-manifest-suite-{}", a.version);
    assert!(a.path.ends_with(format!("{name}.tar.gz")));

    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
        fs::File::open(&a.path).unwrap(),
    ));
    let unpacked = out.join("unpacked");
    let mut names = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().into_owned();
        assert_eq!(entry.header().mtime().unwrap(), 0);
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let to = unpacked.join(&path);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::write(&to, bytes).unwrap();
        names.push(path.display().to_string());
    }
    assert_eq!(names.len(), a.files);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries in path order");
    for must in [
        "README.md",
        "CHANGES.md",
        "spec/protocol.md",
        "spec/vectors.md",
        "spec/manifest.md",
        "spec/vectors/index.json",
        "spec/vectors/report.schema.json",
    ] {
        assert!(names.contains(&format!("{name}/{must}")), "{must}");
    }
    let copy = unpacked.join(&name).join("spec/vectors");
    let cases = case::load_suite(&copy).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cases.len(), suite().len());
    let identity = case::suite_identity(&copy).unwrap();
    assert!(identity.verified);
    let readme = fs::read_to_string(unpacked.join(&name).join("README.md")).unwrap();
    assert!(readme.contains(&identity.sha256));
    let _ = fs::remove_dir_all(&out);
}

/// CHANGES.md lists the ids added, changed and retired since an earlier index, with the
/// reasons of retired.json; without one it says the suite is the first packed.
#[test]
fn the_changelog_lists_added_changed_and_retired_ids() {
    let index = case::read_index(&suite_dir().join("index.json")).unwrap();
    let first = conformance::pack::changes(None, &index, &[]);
    assert!(
        first.contains(&format!("its {} cases are all new", index.count)),
        "{first}"
    );
    let mut old = index.clone();
    old.version = "0.0.9".into();
    // In the old suite: SMC-0002 had other bytes, SMC-0003 did not exist, SMC-9998 did.
    old.cases[1].sha256 = "0".repeat(64);
    let added = old.cases.remove(2);
    let mut gone = old.cases[0].clone();
    gone.id = "SMC-9998".into();
    old.cases.push(gone);
    let retired = [case::RetiredCase {
        id: "SMC-9998".into(),
        reason: "duplicate of SMC-0001".into(),
    }];
    let text = conformance::pack::changes(Some(&old), &index, &retired);
    assert!(text.contains("Since suite 0.0.9 (sha256 "), "{text}");
    assert!(
        text.contains(": 1 added, 1 changed, 1 retired.\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("\n## Added\n\n- {} (", added.id)),
        "{text}"
    );
    assert!(
        text.contains(&format!("\n## Changed\n\n- {} (", index.cases[1].id)),
        "{text}"
    );
    assert!(
        text.contains("\n## Retired\n\n- SMC-9998: duplicate of SMC-0001\n"),
        "{text}"
    );
}
