//! Conformance cases: the file format, loading and checking the suite, the index and the
//! case schema (`spec/vectors.md`).
//!
//! A case is one JSON file `spec/vectors/<capability>/<id>.json`:
//!
//! ```json
//! {"id": "SMC-0001", "rules": ["JSON-7"], "decisions": ["D-17"],
//!  "description": "unique one-line description", "capability": "validate",
//!  "status": "required", "tags": ["docs-example"], "input": {}, "expected": {}}
//! ```
//!
//! [`load_suite`] reads every case of a suite folder and checks what a file cannot check by
//! itself: ids (`SMC-` and four digits, equal to the file name, unique, never a retired
//! one, no gap that is not retired), the capability folder, descriptions (one line,
//! unique), rule IDs and decisions that exist in the spec, and known tags.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::files;

/// What a case exercises, and so which entry point an implementation needs to run it
/// (JSON: the lowercase name; the case's folder has the same name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Capability {
    /// Check a manifest's bytes (rules `JSON-*`, `LIM-*`, `MAN-*`).
    Validate,
    /// Read a Procfile (rules `PROC-*`).
    Procfile,
    /// Choose the manifest file and the Procfile (rules `LOC-*`).
    Locate,
    /// Choose a one-click deploy's repository and ref (rules `SRC-*`).
    Source,
    /// Resolve the new app's environment (rules `ENV-*`, `GEN-*`).
    Env,
    /// Resolve the addons to provision (rules `ADD-*`).
    Addons,
    /// Resolve the containers to start (rules `FRM-*`).
    Formation,
    /// Schedule the hooks of deployment attempts (rules `HOOK-*`).
    Hooks,
    /// Resolve a whole scenario (rules `SCN-*`).
    Resolve,
}

impl Capability {
    /// Every capability, in the order of the documentation.
    pub const ALL: [Capability; 9] = [
        Capability::Validate,
        Capability::Procfile,
        Capability::Locate,
        Capability::Source,
        Capability::Env,
        Capability::Addons,
        Capability::Formation,
        Capability::Hooks,
        Capability::Resolve,
    ];

    /// The name used in case files and as the folder name (`"validate"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Validate => "validate",
            Capability::Procfile => "procfile",
            Capability::Locate => "locate",
            Capability::Source => "source",
            Capability::Env => "env",
            Capability::Addons => "addons",
            Capability::Formation => "formation",
            Capability::Hooks => "hooks",
            Capability::Resolve => "resolve",
        }
    }

    /// The capability of that name, if any.
    pub fn from_name(name: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How binding a case is (JSON `"required"`, `"optional"`, `"implementation-defined"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every conforming implementation produces `expected` (the rules involved say MUST).
    Required,
    /// The case checks a SHOULD of the spec (typically a warning or a note): an
    /// implementation that does not implement it skips the case and still conforms.
    Optional,
    /// The spec leaves a choice (MAY); `expected` is the reference engine's choice.
    ImplementationDefined,
}

impl Status {
    /// The name used in case files (`"implementation-defined"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Required => "required",
            Status::Optional => "optional",
            Status::ImplementationDefined => "implementation-defined",
        }
    }
}

/// One conformance case (one file). Unknown fields are rejected; every field is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Stable identifier, `SMC-` and four digits (`GEN-<seed>-<k>` for generated cases);
    /// never renumbered, never reused.
    pub id: String,
    /// The spec rule IDs the case exercises (at least one).
    pub rules: Vec<String>,
    /// The decisions (`D-n`) the case exercises (may be empty).
    pub decisions: Vec<String>,
    /// One line, unique across the suite.
    pub description: String,
    /// Which entry point runs the case.
    pub capability: Capability,
    /// How binding the case is.
    pub status: Status,
    /// Labels from [`TAGS`].
    pub tags: Vec<String>,
    /// The input, in the capability's documented shape.
    pub input: Value,
    /// The expected output, written by `conformance regen` only.
    pub expected: Value,
}

/// The file of the case `id` of `capability`, relative to the suite folder:
/// `<capability>/<id>.json` (`spec/vectors.md`, "Layout").
pub fn case_path(capability: Capability, id: &str) -> String {
    format!("{capability}/{id}.json")
}

impl Case {
    /// The case's path relative to the suite folder: `<capability>/<id>.json`.
    pub fn rel_path(&self) -> String {
        case_path(self.capability, &self.id)
    }

    /// The canonical bytes of the case file: 2-space indentation, the case's fields in
    /// declaration order, keys of `input` and `expected` sorted (byte order), a final
    /// newline.
    pub fn to_canonical_json(&self) -> String {
        let canonical = Case {
            input: canonical(&self.input),
            expected: canonical(&self.expected),
            ..self.clone()
        };
        pretty(&canonical)
    }
}

/// Pretty JSON with 2-space indentation and a final newline. Plain data always serialises;
/// the fallback only keeps the function total.
pub(crate) fn pretty<T: Serialize>(v: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// `v` with every object's keys in byte order, whatever map type `serde_json` was built
/// with.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, &Value> = m.iter().collect();
            let mut out = Map::new();
            for (k, v) in sorted {
                out.insert(k.clone(), canonical(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The tags a case may carry, with their meaning.
pub const TAGS: &[(&str, &str)] = &[
    (
        "docs-example",
        "the input is an example of Scalingo's documentation (spec/examples/)",
    ),
    (
        "exact-secrets",
        "the input has a seed and `expected` holds secrets to compare exactly (D-11)",
    ),
    (
        "resource-limit",
        "the case crosses or touches a resource limit",
    ),
    (
        "heroku",
        "the input uses Heroku vocabulary (app.json, Procfile, dyno sizes)",
    ),
    ("dokku", "the input uses dokku vocabulary"),
    (
        "schema-difference",
        "the verdict or reading differs from Scalingo's published JSON Schema",
    ),
    (
        "recovery",
        "findings are reported after a syntax error the reader recovered from",
    ),
    (
        "unicode",
        "non-ASCII text: columns count Unicode scalar values",
    ),
    (
        "pointer-escaping",
        "a pointer needs RFC 6901 escapes (`~0`, `~1`)",
    ),
    (
        "base64",
        "a text input is given in base64 (bytes that are not valid UTF-8, or a BOM)",
    ),
    (
        "real-world-shape",
        "a shape seen in real manifests, written anew for the suite",
    ),
    (
        "generated",
        "written by `conformance gen`, not part of the curated suite",
    ),
];

/// True when `tag` is one of [`TAGS`].
pub(crate) fn is_known_tag(tag: &str) -> bool {
    TAGS.iter().any(|(t, _)| *t == tag)
}

/// True for a curated suite id: `SMC-` and exactly four decimal digits, not `SMC-0000`.
pub fn is_suite_id(id: &str) -> bool {
    suite_number(id).is_some()
}

/// The number of a suite id (`SMC-0042` -> 42).
pub fn suite_number(id: &str) -> Option<u32> {
    let digits = id.strip_prefix("SMC-")?;
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n > 0)
}

/// True for a rule ID as the spec writes it: a prefix of uppercase words joined by `-`,
/// then `-` and a positive number without leading zeros (`MAN-ENV-3`, `PROC-LIM-1`).
pub fn is_rule_id(s: &str) -> bool {
    let Some((prefix, number)) = s.rsplit_once('-') else {
        return false;
    };
    let number_ok = !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && !number.starts_with('0');
    let prefix_ok = !prefix.is_empty()
        && prefix
            .split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_uppercase()));
    number_ok && prefix_ok && prefix != "D"
}

/// The rule IDs and decisions the spec defines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecIndex {
    /// Every `## RULE-ID` heading of the spec files other than `decisions.md` and
    /// `vectors.md`, with the file that defines it.
    pub rules: BTreeMap<String, String>,
    /// Every `## D-n` heading of `decisions.md`.
    pub decisions: BTreeSet<String>,
}

/// Reads the rule IDs and decisions of the spec folder `spec_dir` (the parent of the
/// suite folder): `## <RULE-ID> <title>` headings of every `*.md` file except
/// `decisions.md` (whose `## D-n` headings are the decisions) and `vectors.md`.
///
/// # Errors
/// A message when the folder or a file cannot be read.
pub fn spec_index(spec_dir: &Path) -> Result<SpecIndex, String> {
    let mut index = SpecIndex::default();
    let files: Vec<PathBuf> = files::list_folder(spec_dir, files::MAX_FOLDER_ENTRIES)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "vectors.md" {
            continue;
        }
        let text = files::read_text(&path, files::MAX_SPEC_FILE_BYTES)?;
        for line in text.lines() {
            let Some(heading) = line.strip_prefix("## ") else {
                continue;
            };
            let id = heading.split_whitespace().next().unwrap_or("");
            if name == "decisions.md" {
                if id.strip_prefix("D-").is_some_and(|n| {
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0')
                }) {
                    index.decisions.insert(id.to_string());
                }
            } else if is_rule_id(id) {
                index.rules.insert(id.to_string(), name.clone());
            }
        }
    }
    Ok(index)
}

/// One retired case id (`spec/vectors/retired.json` is an array of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredCase {
    /// The id, which no case may use again.
    pub id: String,
    /// Why the case was withdrawn.
    pub reason: String,
}

/// Everything wrong with a suite, one problem per entry (all of them, not just the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteError {
    /// One line per problem, each naming the file or case concerned.
    pub problems: Vec<String>,
}

impl fmt::Display for SuiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} problem(s) in the conformance suite:",
            self.problems.len()
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SuiteError {}

/// Files the suite folder may hold besides the capability folders.
pub(crate) const SUITE_FILES: [&str; 4] = [
    "index.json",
    "case.schema.json",
    "report.schema.json",
    "retired.json",
];

/// Folders the suite folder may hold besides the capability folders (authoring tools,
/// never read by the tests).
pub(crate) const SUITE_DIRS: [&str; 1] = ["tools"];

/// Reads the retired ids of `dir/retired.json` (absent file: none), at most
/// [`files::MAX_RETIRED_FILE_BYTES`].
///
/// # Errors
/// A message when the file exists but cannot be read, is not a regular file, is larger
/// than the limit, or is not an array of `{"id", "reason"}`.
pub fn load_retired(dir: &Path) -> Result<Vec<RetiredCase>, String> {
    let path = dir.join("retired.json");
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        _ => {}
    }
    let text = files::read_text(&path, files::MAX_RETIRED_FILE_BYTES)?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads and checks every case of the suite folder `dir` (`spec/vectors`), sorted by id.
///
/// Checks, reporting every problem found: each file parses as a [`Case`] (unknown fields
/// rejected); it sits in the folder of its capability and is named `<id>.json`; the id is
/// `SMC-` and four digits, unique, not retired, and every number from `SMC-0001` to the
/// highest is a case or retired (a deleted case must be retired, so its id never comes
/// back); the description is one trimmed line of at most 200 characters, unique across the
/// suite (ignoring ASCII case); `rules` is non-empty and every rule ID and decision exists
/// in the spec (`dir/..`), without repeats; every tag is known, without repeats; the
/// `exact-secrets` tag goes with a `seed` in the input. `expected` is not checked here
/// (`conformance regen` writes it).
///
/// # Errors
/// [`SuiteError`] with one line per problem.
pub fn load_suite(dir: &Path) -> Result<Vec<Case>, SuiteError> {
    let mut problems = Vec::new();
    // The lexical parent of a one-component relative path (`vectors`, `.`) is the empty
    // path, which names no folder: go up through the suite folder instead.
    let spec_dir = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => dir.join(".."),
    };
    let spec = spec_index(&spec_dir).unwrap_or_else(|e| {
        problems.push(e);
        SpecIndex::default()
    });
    let retired = load_retired(dir).unwrap_or_else(|e| {
        problems.push(e);
        Vec::new()
    });
    let retired_ids: BTreeSet<&str> = retired.iter().map(|r| r.id.as_str()).collect();
    for r in &retired {
        if !is_suite_id(&r.id) {
            problems.push(format!("retired.json: `{}` is not a suite id", r.id));
        }
    }

    let mut cases = Vec::new();
    let top = match files::list_folder(dir, files::MAX_FOLDER_ENTRIES) {
        Ok(t) => t,
        Err(e) => {
            problems.push(e);
            return Err(SuiteError { problems });
        }
    };
    let mut budget = files::SuiteBudget::default();
    for path in top {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if SUITE_DIRS.contains(&name.as_str()) {
                continue;
            }
            let Some(cap) = Capability::from_name(&name) else {
                problems.push(format!("{name}/: not a capability folder"));
                continue;
            };
            read_capability_dir(&path, cap, &mut budget, &mut cases, &mut problems);
        } else if !SUITE_FILES.contains(&name.as_str()) {
            problems.push(format!("{name}: unexpected file in the suite folder"));
        }
    }

    cases.sort_by(|a: &Case, b: &Case| a.id.cmp(&b.id));
    let mut seen_ids = BTreeSet::new();
    let mut seen_descriptions: BTreeMap<String, String> = BTreeMap::new();
    for case in &cases {
        check_case(case, &spec, &mut problems);
        if !seen_ids.insert(case.id.as_str()) {
            problems.push(format!("{}: id used by more than one case", case.id));
        }
        if retired_ids.contains(case.id.as_str()) {
            problems.push(format!(
                "{}: the id is retired and cannot be used again",
                case.id
            ));
        }
        let key = case.description.trim().to_ascii_lowercase();
        if let Some(other) = seen_descriptions.insert(key, case.id.clone()) {
            problems.push(format!("{}: same description as {other}", case.id));
        }
    }
    let max = cases
        .iter()
        .map(|c| c.id.as_str())
        .chain(retired_ids.iter().copied())
        .filter_map(suite_number)
        .max()
        .unwrap_or(0);
    for n in 1..=max {
        let id = format!("SMC-{n:04}");
        if !seen_ids.contains(id.as_str()) && !retired_ids.contains(id.as_str()) {
            problems.push(format!(
                "{id}: missing; a removed case must be listed in retired.json so its id is never reused"
            ));
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(SuiteError { problems })
    }
}

/// Reads the case files of one capability folder, each and all of them within the limits
/// of [`files`] (`budget` counts across the suite).
fn read_capability_dir(
    path: &Path,
    cap: Capability,
    budget: &mut files::SuiteBudget,
    cases: &mut Vec<Case>,
    problems: &mut Vec<String>,
) {
    let entries = match files::list_folder(path, files::MAX_FOLDER_ENTRIES) {
        Ok(e) => e,
        Err(e) => {
            problems.push(e);
            return;
        }
    };
    for file in entries {
        if budget.exhausted() {
            return;
        }
        let rel = format!(
            "{cap}/{}",
            file.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        );
        if file.extension().is_none_or(|x| x != "json") || file.is_dir() {
            problems.push(format!("{rel}: not a case file (`<id>.json`)"));
            continue;
        }
        let text = match budget.read_case(&file) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let case: Case = match serde_json::from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("{rel}: {e}"));
                continue;
            }
        };
        if case.capability != cap {
            problems.push(format!(
                "{rel}: capability `{}` but the file is in `{cap}/`",
                case.capability
            ));
        }
        if file
            .file_stem()
            .is_none_or(|s| s.to_string_lossy() != case.id)
        {
            problems.push(format!("{rel}: the file name must be `{}.json`", case.id));
        }
        cases.push(case);
    }
}

fn check_case(case: &Case, spec: &SpecIndex, problems: &mut Vec<String>) {
    let id = &case.id;
    if !is_suite_id(id) {
        problems.push(format!("{id}: a suite id is `SMC-` and four digits"));
    }
    let d = &case.description;
    if d.is_empty() || d.trim() != d || d.contains(['\n', '\r']) || d.chars().count() > 200 {
        problems.push(format!(
            "{id}: the description must be one trimmed line of 1 to 200 characters"
        ));
    }
    if case.rules.is_empty() {
        problems.push(format!("{id}: `rules` names no rule"));
    }
    check_list(id, "rule", &case.rules, problems, |r| {
        spec.rules
            .contains_key(r)
            .then_some(())
            .ok_or("is not a rule heading of the spec")
    });
    check_list(id, "decision", &case.decisions, problems, |d| {
        spec.decisions
            .contains(d)
            .then_some(())
            .ok_or("is not in decisions.md")
    });
    check_list(id, "tag", &case.tags, problems, |_| Ok(()));
    for t in &case.tags {
        if !is_known_tag(t) || t == "generated" {
            problems.push(format!("{id}: unknown tag `{t}`"));
        }
    }
    let has_seed = case.input.get("seed").is_some_and(|s| !s.is_null());
    if case.tags.iter().any(|t| t == "exact-secrets") && !has_seed {
        problems.push(format!(
            "{id}: tag exact-secrets needs a `seed` in the input"
        ));
    }
}

/// Reports each item of a case's `rules`, `decisions` or `tags` list that is listed twice
/// or that `known` rejects (with the reason it gives).
fn check_list(
    id: &str,
    what: &str,
    items: &[String],
    problems: &mut Vec<String>,
    known: impl Fn(&String) -> Result<(), &'static str>,
) {
    let mut seen = BTreeSet::new();
    for item in items {
        if !seen.insert(item) {
            problems.push(format!("{id}: {what} {item} listed twice"));
        }
        if let Err(why) = known(item) {
            problems.push(format!("{id}: {what} {item} {why}"));
        }
    }
}

/// The diagnostics an `expected` value lists (its `diagnostics` array, whatever the
/// capability; none when it has no such array).
pub(crate) fn expected_diagnostics(expected: &Value) -> impl Iterator<Item = &Value> {
    expected
        .get("diagnostics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The `format` of `index.json`.
pub const SUITE_FORMAT: &str = "scalingo-manifest-conformance-suite";

/// The suite's version: the version of this crate, whose commit the suite belongs to
/// (`spec/vectors.md`, "Versioning").
pub const SUITE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// `index.json`: the suite's identity (format, version, content hash, case count) and one
/// entry per case, sorted by id (`spec/vectors.md`, "Layout").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteIndex {
    /// [`SUITE_FORMAT`].
    pub format: String,
    /// The suite's version ([`SUITE_VERSION`] when `regen` wrote it).
    pub version: String,
    /// The content hash ([`content_hash`]) of the files the index lists and of the suite's
    /// other files (`retired.json`, `case.schema.json`, when present).
    pub sha256: String,
    /// How many cases.
    pub count: usize,
    /// One entry per case, sorted by id.
    pub cases: Vec<IndexEntry>,
}

/// One case of `index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    /// The case id.
    pub id: String,
    /// Its capability.
    pub capability: Capability,
    /// Its rule IDs.
    pub rules: Vec<String>,
    /// Its decisions.
    pub decisions: Vec<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its status.
    pub status: Status,
    /// Its file, relative to the suite folder.
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

/// SHA-256 of `bytes`, lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The content hash of a suite: SHA-256 (lowercase hex) of the text with one line per file,
/// `<sha256 of the file>  <path>\n` (the format of `sha256sum`), files sorted by path, for
/// every case file and the other suite files present (`retired.json`, `case.schema.json`,
/// `report.schema.json`; `index.json` itself is not hashed). `files` holds `(path, sha256 of the file)`.
pub fn content_hash(files: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort();
    let listing: String = sorted
        .iter()
        .map(|(path, sha)| format!("{sha}  {path}\n"))
        .collect();
    sha256_hex(listing.as_bytes())
}

/// The bytes of `index.json` for `cases`, each given with its file's bytes, and for the
/// suite's `others` files (`(name, bytes)`: `retired.json`, `case.schema.json`): see
/// [`SuiteIndex`]; 2-space indentation, final newline.
pub(crate) fn index_json(cases: &[(&Case, &str)], others: &[(&str, &str)]) -> String {
    let mut rows: Vec<IndexEntry> = cases
        .iter()
        .map(|(c, bytes)| IndexEntry {
            id: c.id.clone(),
            capability: c.capability,
            rules: c.rules.clone(),
            decisions: c.decisions.clone(),
            tags: c.tags.clone(),
            status: c.status,
            path: c.rel_path(),
            sha256: sha256_hex(bytes.as_bytes()),
        })
        .collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let hashed: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.path.clone(), r.sha256.clone()))
        .chain(
            others
                .iter()
                .map(|(name, bytes)| ((*name).to_string(), sha256_hex(bytes.as_bytes()))),
        )
        .collect();
    pretty(&SuiteIndex {
        format: SUITE_FORMAT.to_string(),
        version: SUITE_VERSION.to_string(),
        sha256: content_hash(&hashed),
        count: rows.len(),
        cases: rows,
    })
}

/// Reads an `index.json` (a suite's, or an earlier one's for `pack::changes`) and checks
/// what the rest of the kit trusts in it: the format, a version of 1 to 64 characters of
/// `[0-9A-Za-z.+-]` without `..` (it names the archive and its folder), hashes of 64
/// lowercase hex digits, each case's path `<capability>/<id>.json` with an id of
/// `[0-9A-Za-z-]` (so no path leaves the suite folder), each id listed once, and `count`.
///
/// # Errors
/// A message naming the file when it cannot be read (within
/// [`files::MAX_SUITE_INDEX_BYTES`]), is not a versioned index (suites before 0.1.0 had a
/// bare array, without hashes), or breaks one of the checks above.
pub fn read_index(path: &Path) -> Result<SuiteIndex, String> {
    let text = files::read_text(path, files::MAX_SUITE_INDEX_BYTES)?;
    let index: SuiteIndex = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: not a versioned suite index ({e}); an index of version 0.1.0 or later is needed",
            path.display()
        )
    })?;
    let hex = |h: &str| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let version_ok = (1..=64).contains(&index.version.len())
        && !index.version.contains("..")
        && index
            .version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
    let problem = if index.format != SUITE_FORMAT {
        Some(format!("`format` is not `{SUITE_FORMAT}`"))
    } else if !version_ok {
        Some("`version` is not 1 to 64 characters of `[0-9A-Za-z.+-]` without `..`".to_string())
    } else if !hex(&index.sha256) {
        Some("`sha256` is not 64 lowercase hex digits".to_string())
    } else if index.count != index.cases.len() {
        Some(format!(
            "`count` is {} but {} cases are listed",
            index.count,
            index.cases.len()
        ))
    } else {
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        index.cases.iter().find_map(|e| {
            let id_ok =
                !e.id.is_empty() && e.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !id_ok || e.path != case_path(e.capability, &e.id) {
                Some(format!(
                    "case `{}`: its path is not `<capability>/<id>.json`",
                    e.id
                ))
            } else if !hex(&e.sha256) {
                Some(format!(
                    "case `{}`: `sha256` is not 64 lowercase hex digits",
                    e.id
                ))
            } else if !ids.insert(e.id.as_str()) {
                Some(format!("case `{}` is listed twice", e.id))
            } else {
                None
            }
        })
    };
    match problem {
        Some(p) => Err(format!("{}: {p}", path.display())),
        None => Ok(index),
    }
}

/// What a suite folder says it is, and whether its files agree: the version and content
/// hash of its `index.json`, and the hash of the files as they are now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuiteIdentity {
    /// The version `index.json` states.
    pub version: String,
    /// The content hash `index.json` states.
    pub sha256: String,
    /// True when the files hash to [`SuiteIdentity::sha256`]: the suite is the one its
    /// index describes (false: edited since `regen` or `gen` wrote the index).
    pub verified: bool,
}

/// The identity of the suite folder `dir` ([`SuiteIdentity`]), reading `index.json` and
/// every file it lists (within the limits of `files`).
///
/// # Errors
/// A message when `index.json` is missing, unreadable or not a [`SuiteIndex`] (a suite
/// written before the index had a version), or a listed file cannot be read.
pub fn suite_identity(dir: &Path) -> Result<SuiteIdentity, String> {
    let index = read_index(&dir.join("index.json"))?;
    // Every case file of the capability folders is one the index lists: a file added since
    // the index was written is not part of the hashed suite.
    let listed: BTreeSet<&str> = index.cases.iter().map(|e| e.path.as_str()).collect();
    for cap in Capability::ALL {
        let sub = dir.join(cap.as_str());
        if !sub.is_dir() {
            continue;
        }
        for p in files::list_folder(&sub, files::MAX_FOLDER_ENTRIES)? {
            if p.extension().is_some_and(|x| x == "json") {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                let rel = format!("{cap}/{}", name.unwrap_or_default());
                if !listed.contains(rel.as_str()) {
                    return Ok(SuiteIdentity {
                        verified: false,
                        version: index.version,
                        sha256: index.sha256,
                    });
                }
            }
        }
    }
    let mut hashed = Vec::with_capacity(index.cases.len() + 2);
    let mut budget = files::SuiteBudget::default();
    for e in &index.cases {
        let bytes = budget.read_case(&dir.join(&e.path))?;
        hashed.push((e.path.clone(), sha256_hex(bytes.as_bytes())));
    }
    for (name, limit) in [
        ("retired.json", files::MAX_RETIRED_FILE_BYTES),
        ("case.schema.json", files::MAX_CASE_SCHEMA_BYTES),
        ("report.schema.json", files::MAX_CASE_SCHEMA_BYTES),
    ] {
        let p = dir.join(name);
        if p.exists() {
            hashed.push((
                name.to_string(),
                sha256_hex(files::read_text(&p, limit)?.as_bytes()),
            ));
        }
    }
    let computed = content_hash(&hashed);
    Ok(SuiteIdentity {
        verified: computed == index.sha256,
        version: index.version,
        sha256: index.sha256,
    })
}

/// The JSON Schema (draft 2020-12) of a case file, written by hand and published as
/// `spec/vectors/case.schema.json`. It fixes the envelope (every field required, no other
/// field), and, per capability, the shapes of `input` and `expected` documented in
/// `spec/vectors.md`.
pub const CASE_SCHEMA: &str = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:scalingo-manifest:conformance:case:1",
  "title": "scalingo-manifest conformance case",
  "description": "One case of the conformance suite (spec/vectors.md). `expected` is written by `scalingo-manifest conformance regen` only.",
  "type": "object",
  "additionalProperties": false,
  "required": ["id", "rules", "decisions", "description", "capability", "status", "tags", "input", "expected"],
  "properties": {
    "id": {"type": "string", "pattern": "^(SMC-(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})|GEN-(0|[1-9][0-9]*)-[1-9][0-9]*)$"},
    "rules": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {"type": "string", "pattern": "^[A-Z]+(-[A-Z]+)*-[1-9][0-9]*$", "not": {"pattern": "^D-"}}
    },
    "decisions": {
      "type": "array",
      "uniqueItems": true,
      "items": {"type": "string", "pattern": "^D-[1-9][0-9]*$"}
    },
    "description": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^\\S(.*\\S)?$"},
    "capability": {"enum": ["validate", "procfile", "locate", "source", "env", "addons", "formation", "hooks", "resolve"]},
    "status": {"enum": ["required", "optional", "implementation-defined"]},
    "tags": {
      "type": "array",
      "uniqueItems": true,
      "items": {"enum": ["docs-example", "exact-secrets", "resource-limit", "heroku", "dokku", "schema-difference", "recovery", "unicode", "pointer-escaping", "base64", "real-world-shape", "generated"]}
    },
    "input": {"type": "object"},
    "expected": {"type": "object"}
  },
  "allOf": [
    {"if": {"properties": {"capability": {"const": "validate"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/validate_input"}, "expected": {"$ref": "#/$defs/validate_expected"}}}},
    {"if": {"properties": {"capability": {"const": "procfile"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/procfile_input"}, "expected": {"$ref": "#/$defs/procfile_expected"}}}},
    {"if": {"properties": {"capability": {"const": "locate"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/locate_input"}, "expected": {"$ref": "#/$defs/locate_expected"}}}},
    {"if": {"properties": {"capability": {"const": "source"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/source_input"}, "expected": {"$ref": "#/$defs/source_expected"}}}},
    {"if": {"properties": {"capability": {"const": "env"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/env_input"}, "expected": {"$ref": "#/$defs/env_expected"}}}},
    {"if": {"properties": {"capability": {"const": "addons"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/addons_input"}, "expected": {"$ref": "#/$defs/addons_expected"}}}},
    {"if": {"properties": {"capability": {"const": "formation"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/formation_input"}, "expected": {"$ref": "#/$defs/formation_expected"}}}},
    {"if": {"properties": {"capability": {"const": "hooks"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/hooks_input"}, "expected": {"$ref": "#/$defs/hooks_expected"}}}},
    {"if": {"properties": {"capability": {"const": "resolve"}}}, "then": {"properties": {"input": {"$ref": "#/$defs/resolve_input"}, "expected": {"$ref": "#/$defs/resolve_expected"}}}}
  ],
  "$defs": {
    "base64": {"type": "string", "pattern": "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"},
    "text_parts": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "text": {"type": "string"},
          "base64": {"$ref": "#/$defs/base64"},
          "repeat": {"type": "integer", "minimum": 0}
        },
        "oneOf": [{"required": ["text"]}, {"required": ["base64"]}]
      }
    },
    "kind": {"enum": ["one-click", "review-app"]},
    "date": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"},
    "string_map": {"type": "object", "additionalProperties": {"type": "string"}},
    "seed": {"type": "integer", "minimum": 0, "maximum": 18446744073709551615},
    "severity": {"enum": ["error", "warning", "note"]},
    "nullable_string": {"type": ["string", "null"]},
    "diagnostic": {
      "type": "object",
      "additionalProperties": false,
      "required": ["code", "severity", "pointer"],
      "properties": {
        "code": {"type": "string", "pattern": "^SM[0-9]{4}$"},
        "severity": {"$ref": "#/$defs/severity"},
        "pointer": {"type": "string", "pattern": "^(/([^~]|~[01])*)*$"},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1}
      },
      "dependentRequired": {"line": ["column"], "column": ["line"]}
    },
    "unlocated_diagnostic": {
      "allOf": [{"$ref": "#/$defs/diagnostic"}],
      "not": {"anyOf": [{"required": ["line"]}, {"required": ["column"]}]}
    },
    "diagnostics": {"type": "array", "items": {"$ref": "#/$defs/diagnostic"}},
    "unlocated_diagnostics": {"type": "array", "items": {"$ref": "#/$defs/unlocated_diagnostic"}},
    "size": {"enum": ["S", "M", "L", "XL", "2XL", "3XL"]},
    "attempt": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "build": {"enum": ["success", "error"]},
        "start": {"enum": ["success", "crashed", "timeout"]},
        "hook": {
          "oneOf": [
            {"const": "timeout"},
            {"type": "object", "additionalProperties": false, "required": ["exit"], "properties": {"exit": {"type": "integer", "minimum": -2147483648, "maximum": 2147483647}}}
          ]
        }
      }
    },
    "parent_addon": {
      "type": "object",
      "additionalProperties": false,
      "required": ["addon", "plan"],
      "properties": {"addon": {"type": "string"}, "plan": {"type": "string"}, "version": {"$ref": "#/$defs/nullable_string"}}
    },
    "parent_formation": {
      "type": "object",
      "additionalProperties": {
        "type": "object",
        "additionalProperties": false,
        "required": ["amount", "size"],
        "properties": {"amount": {"type": "integer", "minimum": 0, "maximum": 4294967295}, "size": {"$ref": "#/$defs/size"}}
      }
    },
    "validate_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "manifest": {"type": "string"},
        "manifest_base64": {"$ref": "#/$defs/base64"},
        "manifest_parts": {"$ref": "#/$defs/text_parts"}
      },
      "oneOf": [{"required": ["manifest"]}, {"required": ["manifest_base64"]}, {"required": ["manifest_parts"]}]
    },
    "validate_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["valid", "diagnostics"],
      "properties": {"valid": {"type": "boolean"}, "diagnostics": {"$ref": "#/$defs/diagnostics"}}
    },
    "procfile_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "procfile": {"type": "string"},
        "procfile_base64": {"$ref": "#/$defs/base64"},
        "procfile_parts": {"$ref": "#/$defs/text_parts"}
      },
      "oneOf": [{"required": ["procfile"]}, {"required": ["procfile_base64"]}, {"required": ["procfile_parts"]}]
    },
    "procfile_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["valid", "process_types", "postdeploy", "entries", "diagnostics"],
      "properties": {
        "valid": {"type": "boolean"},
        "process_types": {"type": "array", "items": {"type": "string"}},
        "postdeploy": {"$ref": "#/$defs/nullable_string"},
        "entries": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "command", "line"],
            "properties": {"name": {"type": "string"}, "command": {"type": "string"}, "line": {"type": "integer", "minimum": 1}}
          }
        },
        "diagnostics": {"$ref": "#/$defs/diagnostics"}
      }
    },
    "locate_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date", "files"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},"files": {"type": "array", "items": {"type": "string"}}, "project_dir": {"$ref": "#/$defs/nullable_string"}}
    },
    "locate_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["manifest", "procfile", "project_dir", "searched", "diagnostics"],
      "properties": {
        "manifest": {"$ref": "#/$defs/nullable_string"},
        "procfile": {"$ref": "#/$defs/nullable_string"},
        "project_dir": {"type": "string"},
        "searched": {"type": "array", "items": {"type": "string"}},
        "diagnostics": {"$ref": "#/$defs/unlocated_diagnostics"}
      }
    },
    "source_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "request": {"type": "object", "additionalProperties": false, "properties": {"referer": {"type": "string"}, "source": {"type": "string"}}},
        "manifest": {"type": "object", "additionalProperties": false, "properties": {"repository": {"type": "string"}, "ref": {"type": "string"}}},
        "default_branch": {"type": "string"}
      }
    },
    "repository_url": {"type": ["string", "null"], "pattern": "^https://github\\.com/[^/]+/[^/]+$"},
    "source_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["manifest_from", "repository", "ref", "repository_from", "ref_from", "diagnostics"],
      "properties": {
        "manifest_from": {"$ref": "#/$defs/repository_url"},
        "repository": {"$ref": "#/$defs/repository_url"},
        "ref": {"$ref": "#/$defs/nullable_string"},
        "repository_from": {"enum": ["referer", "source", "manifest", null]},
        "ref_from": {"enum": ["manifest", "fragment", "referer-path", "default-branch", null]},
        "diagnostics": {"$ref": "#/$defs/unlocated_diagnostics"}
      }
    },
    "env_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date", "kind", "app"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "kind": {"$ref": "#/$defs/kind"},
        "app": {"type": "string"},
        "region": {"type": "string"},
        "manifest_env": true,
        "copy_parent_database_urls": true,
        "parent_env": {"$ref": "#/$defs/string_map"},
        "parent_addon_vars": {"type": "array", "items": {"type": "string"}},
        "user_env": {"$ref": "#/$defs/string_map"},
        "seed": {"$ref": "#/$defs/seed"},
        "parent_app": {"type": "string"},
        "pr_number": {"type": "integer", "minimum": 0}
      }
    },
    "env_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["vars", "removed", "diagnostics"],
      "properties": {
        "vars": {
          "type": "object",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": ["value", "origin"],
            "properties": {"value": {"type": "string"}, "origin": {"enum": ["parent", "manifest", "user", "secret", "url", "template"]}}
          }
        },
        "removed": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "reason"],
            "properties": {"name": {"type": "string"}, "reason": {"enum": ["parent-addon-var", "deleted-by-manifest", "invalid-name", "value-too-long", "invalid-value", "generation-failed"]}}
          }
        },
        "diagnostics": {"$ref": "#/$defs/unlocated_diagnostics"}
      }
    },
    "addons_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date", "kind"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "kind": {"$ref": "#/$defs/kind"},
        "manifest_addons": true,
        "parent_addons": {"type": "array", "items": {"$ref": "#/$defs/parent_addon"}}
      }
    },
    "addons_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["addons", "diagnostics"],
      "properties": {
        "addons": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["addon", "plan", "version", "origin"],
            "properties": {
              "addon": {"type": "string"},
              "plan": {"$ref": "#/$defs/nullable_string"},
              "version": {"$ref": "#/$defs/nullable_string"},
              "origin": {"enum": ["parent", "manifest"]},
              "replaced_by": {"type": "string"}
            }
          }
        },
        "diagnostics": {"$ref": "#/$defs/unlocated_diagnostics"}
      }
    },
    "formation_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date", "kind"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "kind": {"$ref": "#/$defs/kind"},
        "manifest_formation": true,
        "procfile": {"$ref": "#/$defs/nullable_string"},
        "parent_formation": {"$ref": "#/$defs/parent_formation"}
      }
    },
    "formation_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["formation", "diagnostics"],
      "properties": {
        "formation": {
          "type": "object",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": ["amount", "size", "amount_from", "size_from"],
            "properties": {
              "amount": {"type": "integer", "minimum": 0},
              "size": {"$ref": "#/$defs/size"},
              "amount_from": {"enum": ["manifest", "parent", "default"]},
              "size_from": {"enum": ["manifest", "parent", "default"]}
            }
          }
        },
        "diagnostics": {"$ref": "#/$defs/unlocated_diagnostics"}
      }
    },
    "hooks_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date", "kind"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "kind": {"$ref": "#/$defs/kind"},
        "scripts": true,
        "procfile_postdeploy": {"type": "string"},
        "attempts": {"type": "array", "items": {"$ref": "#/$defs/attempt"}}
      }
    },
    "hook_run": {
      "type": "object",
      "additionalProperties": false,
      "required": ["hook", "command", "from", "exit", "timed_out"],
      "properties": {
        "hook": {"enum": ["first-deploy", "postdeploy"]},
        "command": {"type": "string"},
        "from": {"enum": ["manifest-first-deploy", "manifest-postdeploy", "procfile"]},
        "exit": {"type": "integer"},
        "timed_out": {"type": "boolean"}
      }
    },
    "attempt_outcome": {
      "type": "object",
      "additionalProperties": false,
      "required": ["attempt", "hook", "status", "running", "first_deploy_pending"],
      "properties": {
        "attempt": {"type": "integer", "minimum": 1},
        "hook": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/hook_run"}]},
        "status": {"enum": ["success", "build-error", "crashed-error", "timeout-error", "hook-error"]},
        "running": {"type": ["integer", "null"], "minimum": 1},
        "first_deploy_pending": {"type": "boolean"}
      }
    },
    "hooks_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["attempts", "diagnostics"],
      "properties": {
        "attempts": {"type": "array", "items": {"$ref": "#/$defs/attempt_outcome"}},
        "diagnostics": {"$ref": "#/$defs/unlocated_diagnostics"}
      }
    },
    "resolve_input": {
      "type": "object",
      "additionalProperties": false,
      "required": ["date", "kind", "app"],
      "properties": {
        "date": {"$ref": "#/$defs/date"},
        "kind": {"$ref": "#/$defs/kind"},
        "seed": {"$ref": "#/$defs/seed"},
        "app": {
          "type": "object",
          "additionalProperties": false,
          "required": ["name"],
          "properties": {"name": {"type": "string"}, "region": {"$ref": "#/$defs/nullable_string"}}
        },
        "pr_number": {"type": "integer", "minimum": 0},
        "repository": {
          "type": "object",
          "additionalProperties": false,
          "properties": {"files": {"$ref": "#/$defs/string_map"}, "default_branch": {"$ref": "#/$defs/nullable_string"}}
        },
        "parent": {
          "type": "object",
          "additionalProperties": false,
          "required": ["name"],
          "properties": {
            "name": {"type": "string"},
            "env": {"$ref": "#/$defs/string_map"},
            "addon_vars": {"type": "array", "items": {"type": "string"}},
            "addons": {"type": "array", "items": {"$ref": "#/$defs/parent_addon"}},
            "formation": {"$ref": "#/$defs/parent_formation"},
            "stack": {"$ref": "#/$defs/nullable_string"},
            "firewall_rules": {"type": "array", "items": {"$ref": "#/$defs/parent_firewall_rule"}}
          }
        },
        "request": {"type": "object", "additionalProperties": false, "properties": {"referer": {"type": "string"}, "source": {"type": "string"}}},
        "user_env": {"$ref": "#/$defs/string_map"},
        "attempts": {"type": "array", "items": {"$ref": "#/$defs/attempt"}}
      }
    },
    "parent_firewall_rule": {
      "type": "object",
      "additionalProperties": false,
      "required": ["cidr"],
      "properties": {"cidr": {"type": "string"}, "label": {"$ref": "#/$defs/nullable_string"}}
    },
    "firewall_section": {
      "type": "object",
      "additionalProperties": false,
      "required": ["rules", "enabled", "origin"],
      "properties": {
        "rules": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["cidr", "label", "origin"],
            "properties": {"cidr": {"type": "string"}, "label": {"$ref": "#/$defs/nullable_string"}, "origin": {"enum": ["parent", "manifest"]}}
          }
        },
        "enabled": {"type": "boolean"},
        "origin": {"enum": ["parent", "manifest", "none"]}
      }
    },
    "stage_diagnostic": {
      "type": "object",
      "additionalProperties": false,
      "required": ["stage", "file", "code", "severity", "pointer"],
      "properties": {
        "stage": {"enum": ["scenario", "source", "locate", "manifest", "procfile", "env", "addons", "firewall", "formation", "hooks"]},
        "file": {"$ref": "#/$defs/nullable_string"},
        "code": {"type": "string", "pattern": "^SM[0-9]{4}$"},
        "severity": {"$ref": "#/$defs/severity"},
        "pointer": {"type": "string", "pattern": "^(/([^~]|~[01])*)*$"},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1}
      },
      "dependentRequired": {"line": ["column"], "column": ["line"]}
    },
    "resolve_expected": {
      "type": "object",
      "additionalProperties": false,
      "required": ["kind", "date", "status", "seed", "app", "source", "manifest", "procfile", "stack", "env", "addons", "firewall", "formation", "hooks", "diagnostics"],
      "properties": {
        "kind": {"$ref": "#/$defs/kind"},
        "date": {"$ref": "#/$defs/date"},
        "status": {"enum": ["ok", "error"]},
        "seed": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/seed"}]},
        "app": {
          "type": "object",
          "additionalProperties": false,
          "required": ["name", "region", "url"],
          "properties": {"name": {"type": "string"}, "region": {"type": "string"}, "url": {"$ref": "#/$defs/nullable_string"}}
        },
        "source": {"type": ["object", "null"]},
        "manifest": {
          "type": "object",
          "additionalProperties": false,
          "required": ["path", "searched", "project_dir", "project_dir_from", "valid"],
          "properties": {
            "path": {"$ref": "#/$defs/nullable_string"},
            "searched": {"type": "array", "items": {"type": "string"}},
            "project_dir": {"type": "string"},
            "project_dir_from": {"enum": ["parent-env", "user-env", null]},
            "valid": {"type": "boolean"}
          }
        },
        "procfile": {
          "type": "object",
          "additionalProperties": false,
          "required": ["path", "process_types", "postdeploy"],
          "properties": {
            "path": {"$ref": "#/$defs/nullable_string"},
            "process_types": {"type": "array", "items": {"type": "string"}},
            "postdeploy": {"$ref": "#/$defs/nullable_string"}
          }
        },
        "stack": {
          "oneOf": [
            {"type": "null"},
            {"type": "object", "additionalProperties": false, "required": ["value", "origin", "requested", "requested_status"], "properties": {"value": {"$ref": "#/$defs/nullable_string"}, "origin": {"enum": ["manifest", "parent", "default"]}, "requested": {"$ref": "#/$defs/nullable_string"}, "requested_status": {"enum": ["discontinued", null]}}}
          ]
        },
        "env": {
          "oneOf": [
            {"type": "null"},
            {"type": "object", "additionalProperties": false, "required": ["vars", "removed", "replaced"], "properties": {"vars": {"$ref": "#/$defs/env_expected/properties/vars"}, "removed": {"$ref": "#/$defs/env_expected/properties/removed"}, "replaced": {"type": "array", "items": {"type": "string"}}}}
          ]
        },
        "addons": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/addons_expected/properties/addons"}]},
        "firewall": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/firewall_section"}]},
        "formation": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/formation_expected/properties/formation"}]},
        "hooks": {"oneOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/attempt_outcome"}}]},
        "diagnostics": {"type": "array", "items": {"$ref": "#/$defs/stage_diagnostic"}}
      }
    }
  }
}
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn temp_suite(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "scalingo-manifest-case-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&root);
        let vectors = root.join("vectors");
        fs::create_dir_all(vectors.join("validate")).unwrap();
        fs::write(
            root.join("manifest.md"),
            "# M\n\n## JSON-7 Missing commas\n## MAN-ENV-3 x\n",
        )
        .unwrap();
        fs::write(root.join("decisions.md"), "# D\n\n## D-17 Invalid JSON\n").unwrap();
        vectors
    }

    fn case(id: &str, description: &str) -> Case {
        Case {
            id: id.into(),
            rules: vec!["JSON-7".into()],
            decisions: vec!["D-17".into()],
            description: description.into(),
            capability: Capability::Validate,
            status: Status::Required,
            tags: vec![],
            input: json!({"manifest": "{}"}),
            expected: json!({"valid": true, "diagnostics": []}),
        }
    }

    fn write(dir: &Path, c: &Case) {
        fs::write(dir.join(c.rel_path()), c.to_canonical_json()).unwrap();
    }

    #[test]
    fn rule_ids_are_recognised() {
        for ok in ["JSON-7", "MAN-ENV-3", "PROC-LIM-1", "SCN-LIM-1", "HOOK-16"] {
            assert!(is_rule_id(ok), "{ok}");
        }
        for bad in [
            "D-3", "JSON-07", "json-7", "JSON-", "-7", "JSON", "MAN--1", "Rules",
        ] {
            assert!(!is_rule_id(bad), "{bad}");
        }
        assert_eq!(suite_number("SMC-0042"), Some(42));
        for bad in ["SMC-0000", "SMC-42", "SMC-00042", "smc-0001", "GEN-1-1"] {
            assert!(!is_suite_id(bad), "{bad}");
        }
    }

    #[test]
    fn a_valid_suite_loads_sorted() {
        let dir = temp_suite("ok");
        write(&dir, &case("SMC-0002", "second"));
        write(&dir, &case("SMC-0001", "first"));
        let cases = load_suite(&dir).unwrap();
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["SMC-0001", "SMC-0002"]);
    }

    #[test]
    fn every_problem_is_reported() {
        let dir = temp_suite("bad");
        let mut a = case("SMC-0001", "same text");
        a.rules.push("JSON-99".into());
        a.decisions.push("D-40".into());
        a.tags.push("nope".into());
        write(&dir, &a);
        write(&dir, &case("SMC-0003", "Same Text"));
        // A file whose name is not its id, and a case in the wrong folder.
        let c = case("SMC-0004", "misnamed");
        fs::write(dir.join("validate/SMC-0005.json"), c.to_canonical_json()).unwrap();
        fs::create_dir_all(dir.join("env")).unwrap();
        fs::write(
            dir.join("env/SMC-0006.json"),
            case("SMC-0006", "wrong folder").to_canonical_json(),
        )
        .unwrap();
        fs::write(
            dir.join("retired.json"),
            r#"[{"id": "SMC-0003", "reason": "withdrawn"}]"#,
        )
        .unwrap();
        let err = load_suite(&dir).unwrap_err();
        let text = err.to_string();
        for needle in [
            "rule JSON-99 is not a rule heading",
            "decision D-40 is not in decisions.md",
            "unknown tag `nope`",
            "SMC-0003: same description as SMC-0001",
            "SMC-0003: the id is retired",
            "the file name must be `SMC-0004.json`",
            "capability `validate` but the file is in `env/`",
            "SMC-0002: missing",
            "SMC-0005: missing",
        ] {
            assert!(text.contains(needle), "{needle} not in\n{text}");
        }
    }

    #[test]
    fn unknown_case_fields_are_rejected() {
        let dir = temp_suite("fields");
        let mut v = serde_json::to_value(case("SMC-0001", "x")).unwrap();
        v["comment"] = json!("no");
        fs::write(dir.join("validate/SMC-0001.json"), v.to_string()).unwrap();
        let err = load_suite(&dir).unwrap_err();
        assert!(err.to_string().contains("unknown field `comment`"), "{err}");
    }

    #[test]
    fn canonical_bytes_sort_input_keys_and_keep_case_field_order() {
        let mut c = case("SMC-0001", "x");
        c.input = json!({"z": 1, "a": {"y": 2, "b": 3}});
        let text = c.to_canonical_json();
        assert!(
            text.starts_with("{\n  \"id\": \"SMC-0001\",\n  \"rules\""),
            "{text}"
        );
        assert!(text.find("\"a\"").unwrap() < text.find("\"z\"").unwrap());
        assert!(text.find("\"b\"").unwrap() < text.find("\"y\"").unwrap());
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn decision_headings_need_a_positive_number_without_leading_zero() {
        let dir = temp_suite("decisions");
        fs::write(
            dir.parent().unwrap().join("decisions.md"),
            "# D\n\n## D-17 ok\n## D-x letters\n## D-07 leading zero\n## D-\n",
        )
        .unwrap();
        let index = spec_index(dir.parent().unwrap()).unwrap();
        let decisions: Vec<&str> = index.decisions.iter().map(String::as_str).collect();
        assert_eq!(decisions, ["D-17"]);
    }

    #[test]
    fn load_retired_reports_an_unreadable_path_other_than_a_missing_file() {
        let dir = temp_suite("retired-under-file");
        let not_a_dir = dir.join("plain-file");
        fs::write(&not_a_dir, "x").unwrap();
        // `plain-file/retired.json` fails with "not a directory", not "not found".
        assert!(load_retired(&not_a_dir).is_err());
        assert_eq!(load_retired(&dir), Ok(Vec::new()), "absent file: none");
    }

    #[test]
    fn retired_ids_must_be_suite_ids() {
        let dir = temp_suite("retired-ids");
        write(&dir, &case("SMC-0001", "first"));
        fs::write(
            dir.join("retired.json"),
            r#"[{"id": "SMC-0002", "reason": "withdrawn"}]"#,
        )
        .unwrap();
        assert_eq!(load_suite(&dir).unwrap().len(), 1, "a suite id is fine");
        fs::write(
            dir.join("retired.json"),
            r#"[{"id": "GEN-1-1", "reason": "withdrawn"}]"#,
        )
        .unwrap();
        let text = load_suite(&dir).unwrap_err().to_string();
        assert!(
            text.contains("retired.json: `GEN-1-1` is not a suite id"),
            "{text}"
        );
    }

    #[test]
    fn a_file_without_the_json_extension_is_not_a_case_file() {
        let dir = temp_suite("not-json");
        write(&dir, &case("SMC-0001", "first"));
        fs::write(
            dir.join("validate/notes.txt"),
            case("SMC-0002", "second").to_canonical_json(),
        )
        .unwrap();
        let text = load_suite(&dir).unwrap_err().to_string();
        assert!(
            text.contains("validate/notes.txt: not a case file (`<id>.json`)"),
            "{text}"
        );
    }

    /// Whether `check_case` rejects `description`.
    fn description_rejected(description: &str) -> bool {
        let spec = SpecIndex {
            rules: [("JSON-7".to_string(), "manifest.md".to_string())].into(),
            decisions: ["D-17".to_string()].into(),
        };
        let mut problems = Vec::new();
        check_case(&case("SMC-0001", description), &spec, &mut problems);
        problems
            .iter()
            .any(|p| p.contains("the description must be one trimmed line"))
    }

    #[test]
    fn descriptions_are_one_trimmed_line_of_1_to_200_characters() {
        for ok in ["x", &"é".repeat(200)] {
            assert!(!description_rejected(ok), "{ok}");
        }
        for bad in ["", " x", "x ", "a\nb", "a\rb", &"é".repeat(201)] {
            assert!(description_rejected(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_schema_is_json_and_names_every_tag_and_capability() {
        let schema: Value = serde_json::from_str(CASE_SCHEMA).unwrap();
        let tags = &schema["properties"]["tags"]["items"]["enum"];
        let listed: Vec<&str> = tags
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let known: Vec<&str> = TAGS.iter().map(|(t, _)| *t).collect();
        assert_eq!(listed, known);
        let caps = &schema["properties"]["capability"]["enum"];
        let listed: Vec<&str> = caps
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let known: Vec<&str> = Capability::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, known);
    }
}
