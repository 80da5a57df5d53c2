//! The coverage map of the spec (issue 3, "Coverage of the spec"): for every rule of
//! `spec/*.md` (`decisions.md` and `README.md` aside), the property tests, conformance
//! vectors and unit tests that check it, written to `spec/COVERAGE.md`.
//!
//! ```sh
//! UPDATE_COVERAGE=1 cargo test --test spec_coverage   # rewrite spec/COVERAGE.md
//! cargo test --test spec_coverage                     # fail when it is not current
//! ```
//!
//! The test fails when `spec/COVERAGE.md` is not what the sources give, when a rule has
//! no property, no vector and no unit test, or when a property's name does not start with
//! a rule of the spec. How a test names its rules (`TESTING.md`, "Coverage of the spec"):
//!
//! * **Rule IDs in names** are written in snake case at the start of the function name:
//!   `man_env_3_...` is `MAN-ENV-3`; a number right after a rule continues its prefix
//!   (`env_9_10_...` is `ENV-9` and `ENV-10`), `to` makes a range (`hook_1_to_16_...` is
//!   `HOOK-1` .. `HOOK-16`), and another prefix starts another rule (`loc_5_loc_6_...`);
//!   the first word that is none of these ends the list (so a description must not start
//!   with a number). `loc7_...` (no underscore) is read as `LOC-7` too.
//! * **Properties** are the `#[test]` functions of `tests/prop_*.rs`; their rules are those
//!   of their names only, and each must name at least one rule of the spec.
//! * **Vectors** are the entries of `spec/vectors/index.json` (when it exists) that have a
//!   `rules` array; each counts for the rules it lists.
//! * **Unit tests** are the other `#[test]` functions (`src/**/*.rs`, `tests/*.rs`). A unit
//!   test cites a rule by its name (as above), in a comment line (`//` or `///`) of the
//!   block of comments and attributes right above it, in a comment line of its body, or,
//!   for the tests of `tests/*.rs`, in the file's `//!` header. In comments, rule IDs are
//!   whole words (`DIAG-5`, `` `LOC-7` ``); `A-1 .. A-4` and `A-1 to A-4` are ranges.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One spec rule, in spec order.
struct Rule {
    id: String,
    title: String,
    file: String,
}

/// Everything that checks rules.
#[derive(Default)]
struct Coverage {
    /// Rule -> property names.
    properties: BTreeMap<String, BTreeSet<String>>,
    /// Rule -> vector names.
    vectors: BTreeMap<String, BTreeSet<String>>,
    /// Rule -> unit tests (`module::name`).
    units: BTreeMap<String, BTreeSet<String>>,
    /// Properties whose name starts with no rule of the spec, or names an unknown one.
    bad_properties: Vec<String>,
    /// Rule IDs that vectors cite and the spec does not have.
    unknown_in_vectors: BTreeSet<String>,
    /// Number of vectors read (`None`: no index yet).
    vector_count: Option<usize>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// True when `s` is a rule ID: `[A-Z]+(-[A-Z]+)*-[0-9]+`.
fn is_rule_id(s: &str) -> bool {
    let Some((prefix, number)) = s.rsplit_once('-') else {
        return false;
    };
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && !prefix.is_empty()
        && prefix
            .split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase()))
}

fn split_id(id: &str) -> (&str, u32) {
    match id.rsplit_once('-') {
        Some((p, n)) => (p, n.parse().unwrap_or(0)),
        None => (id, 0),
    }
}

/// The rules of the spec, from the `## <ID> <title>` headings.
fn spec_rules() -> Vec<Rule> {
    let dir = root().join("spec");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("spec/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !matches!(name, "decisions.md" | "README.md" | "COVERAGE.md")
        })
        .collect();
    files.sort();
    let mut rules = Vec::new();
    for f in files {
        let file = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        for line in read(&f).lines() {
            let Some(rest) = line.strip_prefix("## ") else {
                continue;
            };
            let (id, title) = rest.split_once(' ').unwrap_or((rest, ""));
            if is_rule_id(id) {
                rules.push(Rule {
                    id: id.to_string(),
                    title: title.to_string(),
                    file: file.clone(),
                });
            }
        }
    }
    rules
}

/// The rules a function name starts with (see the module doc). Unknown prefixes end the
/// list; the IDs returned may still be unknown to the spec (`prefixes` only says which
/// letter groups are rule prefixes).
fn rules_in_name(name: &str, prefixes: &BTreeSet<String>) -> Vec<String> {
    let toks: Vec<&str> = name.split('_').collect();
    let is_num = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut out = Vec::new();
    let mut prefix: Option<String> = None;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if let (true, Some(p)) = (is_num(t), &prefix) {
            let from: u32 = t.parse().unwrap_or(0);
            if i + 2 < toks.len() && toks[i + 1] == "to" && is_num(toks[i + 2]) {
                let to: u32 = toks[i + 2].parse().unwrap_or(0);
                out.extend((from..=to).map(|n| format!("{p}-{n}")));
                i += 3;
            } else {
                out.push(format!("{p}-{from}"));
                i += 1;
            }
            continue;
        }
        let mut found = false;
        for k in (1..=3).rev() {
            if i + k < toks.len() && is_num(toks[i + k]) {
                let p = toks[i..i + k].join("-").to_ascii_uppercase();
                if prefixes.contains(&p) {
                    prefix = Some(p);
                    i += k;
                    found = true;
                    break;
                }
            }
        }
        if found {
            continue;
        }
        // `loc7`: letters and digits fused.
        let letters: String = t.chars().take_while(char::is_ascii_lowercase).collect();
        let digits = &t[letters.len()..];
        let p = letters.to_ascii_uppercase();
        if !letters.is_empty() && is_num(digits) && prefixes.contains(&p) {
            out.push(format!("{p}-{digits}"));
            prefix = Some(p);
            i += 1;
            continue;
        }
        break;
    }
    out
}

/// Rule IDs in a comment: whole words, with `A-1 .. A-4` / `A-1 to A-4` ranges expanded.
fn rules_in_text(text: &str) -> Vec<String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if !is_word(c) || (k > 0 && is_word(chars[k - 1].1)) {
            k += 1;
            continue;
        }
        let mut e = k;
        while e < chars.len() && is_word(chars[e].1) {
            e += 1;
        }
        let end = chars.get(e).map_or(text.len(), |&(i, _)| i);
        let word = text[start..end].trim_end_matches('-');
        k = e;
        if !is_rule_id(word) {
            continue;
        }
        out.push(word.to_string());
        // A range: `` `A-1` .. `A-4` `` or `A-1 to A-4`.
        let rest = text[end..].trim_start_matches([' ', '`']);
        let after = rest
            .strip_prefix("..")
            .or_else(|| rest.strip_prefix("to "))
            .map(|r| r.trim_start_matches([' ', '`']));
        if let Some(after) = after {
            let next: String = after.chars().take_while(|&c| is_word(c)).collect();
            let next = next.trim_end_matches('-');
            let (p1, n1) = split_id(word);
            if is_rule_id(next) {
                let (p2, n2) = split_id(next);
                if p1 == p2 && n2 > n1 {
                    out.extend((n1 + 1..n2).map(|n| format!("{p1}-{n}")));
                }
            }
        }
    }
    out
}

/// A `#[test]` function found in a Rust file.
struct TestFn {
    name: String,
    /// Comment lines of the block right above, of the body, and of the file header (the
    /// last only for `tests/*.rs`).
    comments: Vec<String>,
}

fn comment_text(line: &str) -> Option<&str> {
    let t = line.trim_start();
    t.strip_prefix("//")
        .map(|c| c.trim_start_matches(['/', '!']))
}

/// The `#[test]` functions of a Rust source, with the comments that may cite rules.
fn test_fns(source: &str, file_header_counts: bool) -> Vec<TestFn> {
    let lines: Vec<&str> = source.lines().collect();
    let header: Vec<String> = if file_header_counts {
        lines
            .iter()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.trim_start_matches("//!").to_string())
            .collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(name) = fn_name(trimmed) else {
            continue;
        };
        let mut block = Vec::new();
        let mut is_test = false;
        let mut j = i;
        while j > 0 {
            let above = lines[j - 1].trim_start();
            if above.starts_with("#[") {
                is_test |= above.starts_with("#[test]");
            } else if above.starts_with("//") {
                block.push(above.to_string());
            } else {
                break;
            }
            j -= 1;
        }
        if !is_test {
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let closing = format!("{indent}}}");
        let mut body = Vec::new();
        if !trimmed.ends_with('}') && !trimmed.ends_with(';') {
            for l in &lines[i + 1..] {
                if *l == closing {
                    break;
                }
                if l.trim_start().starts_with("//") {
                    body.push(l.to_string());
                }
            }
        }
        let mut comments: Vec<String> = block
            .iter()
            .chain(&body)
            .filter_map(|c| comment_text(c).map(str::to_string))
            .collect();
        comments.extend(header.iter().cloned());
        out.push(TestFn {
            name: name.to_string(),
            comments,
        });
    }
    out
}

/// The name of a function declared on this (trimmed) line.
fn fn_name(trimmed: &str) -> Option<&str> {
    let mut rest = trimmed;
    for word in ["pub(crate) ", "pub ", "async "] {
        rest = rest.strip_prefix(word).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0 && rest[end..].starts_with(['(', '<'])).then(|| &rest[..end])
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/manifest/json.rs` -> `manifest::json`; `tests/cli.rs` -> `cli`;
/// `conformance/src/runner.rs` -> `conformance::runner` (the conformance kit's crate);
/// `cli/src/render.rs` -> `render` (the command line's crate).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(root()).unwrap_or(path);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.first().map(String::as_str) {
        Some("conformance") => {
            parts.remove(1); // conformance/src/x.rs: the crate is the module `conformance`
        }
        Some("cli") => {
            parts.drain(..2);
        }
        _ => {
            parts.remove(0);
        }
    }
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// Every `rules` array of the vectors index, with the vector's name.
fn vectors(index: &serde_json::Value, out: &mut Vec<(String, Vec<String>)>) {
    match index {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(rules)) = map.get("rules") {
                let name = ["id", "name", "path", "file"]
                    .iter()
                    .find_map(|k| map.get(*k).and_then(|v| v.as_str()))
                    .map_or_else(|| format!("#{}", out.len() + 1), str::to_string);
                let rules = rules
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_string))
                    .collect();
                out.push((name, rules));
            }
            for (k, v) in map {
                if k != "rules" {
                    vectors(v, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                vectors(v, out);
            }
        }
        _ => {}
    }
}

fn collect(rules: &[Rule]) -> Coverage {
    let known: BTreeSet<String> = rules.iter().map(|r| r.id.clone()).collect();
    let prefixes: BTreeSet<String> = rules
        .iter()
        .map(|r| split_id(&r.id).0.to_string())
        .collect();
    let mut cov = Coverage::default();

    let mut files = Vec::new();
    for dir in ["src", "conformance/src", "cli/src", "tests"] {
        rust_files(&root().join(dir), &mut files);
    }
    files.sort();
    for f in &files {
        let file_name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if file_name == "spec_coverage.rs" {
            continue; // this file's own examples are not tests
        }
        let in_tests_dir = f.parent() == Some(root().join("tests").as_path());
        let is_prop = in_tests_dir && file_name.starts_with("prop_");
        let source = read(f);
        for t in test_fns(&source, in_tests_dir && !is_prop) {
            let from_name = rules_in_name(&t.name, &prefixes);
            if is_prop {
                let unknown: Vec<&String> =
                    from_name.iter().filter(|r| !known.contains(*r)).collect();
                if from_name.is_empty() || !unknown.is_empty() {
                    cov.bad_properties
                        .push(format!("{}::{}", module_of(f), t.name));
                }
                for r in from_name.into_iter().filter(|r| known.contains(r)) {
                    cov.properties.entry(r).or_default().insert(t.name.clone());
                }
                continue;
            }
            let mut cited: BTreeSet<String> = from_name.into_iter().collect();
            for c in &t.comments {
                cited.extend(rules_in_text(c));
            }
            for r in cited.into_iter().filter(|r| known.contains(r)) {
                cov.units
                    .entry(r)
                    .or_default()
                    .insert(format!("{}::{}", module_of(f), t.name));
            }
        }
    }

    let index = root().join("spec/vectors/index.json");
    if index.exists() {
        let value: serde_json::Value = serde_json::from_str(&read(&index))
            .unwrap_or_else(|e| panic!("spec/vectors/index.json is not JSON: {e}"));
        let mut found = Vec::new();
        vectors(&value, &mut found);
        cov.vector_count = Some(found.len());
        for (name, ids) in found {
            for id in ids {
                if known.contains(&id) {
                    cov.vectors.entry(id).or_default().insert(name.clone());
                } else {
                    cov.unknown_in_vectors.insert(id);
                }
            }
        }
    }
    cov
}

/// Up to `max` names, then how many more.
fn names(set: Option<&BTreeSet<String>>, max: usize) -> String {
    let Some(set) = set.filter(|s| !s.is_empty()) else {
        return "—".to_string();
    };
    let mut shown: Vec<String> = set.iter().take(max).map(|n| format!("`{n}`")).collect();
    if set.len() > max {
        shown.push(format!("and {} more", set.len() - max));
    }
    shown.join(", ")
}

fn render(rules: &[Rule], cov: &Coverage) -> String {
    let has =
        |m: &BTreeMap<String, BTreeSet<String>>, id: &str| m.get(id).is_some_and(|s| !s.is_empty());
    let with_property = rules.iter().filter(|r| has(&cov.properties, &r.id)).count();
    let with_vector = rules.iter().filter(|r| has(&cov.vectors, &r.id)).count();
    let unit_only: Vec<&Rule> = rules
        .iter()
        .filter(|r| {
            !has(&cov.properties, &r.id) && !has(&cov.vectors, &r.id) && has(&cov.units, &r.id)
        })
        .collect();
    let none: Vec<&Rule> = rules
        .iter()
        .filter(|r| {
            !has(&cov.properties, &r.id) && !has(&cov.vectors, &r.id) && !has(&cov.units, &r.id)
        })
        .collect();

    let mut out = String::new();
    let _ = writeln!(out, "# Coverage of the spec\n");
    let _ = writeln!(
        out,
        "Generated by `UPDATE_COVERAGE=1 cargo test --test spec_coverage` (`tests/spec_coverage.rs`);\n\
         do not edit. For every rule of `spec/*.md` (`decisions.md` and `README.md` aside): the\n\
         property tests (`tests/prop_*.rs`), the conformance vectors (`spec/vectors/index.json`) and\n\
         the unit tests that check it. How a test names its rules: `TESTING.md`, \"Coverage of the\n\
         spec\".\n"
    );
    let vectors = match cov.vector_count {
        Some(n) => format!("{n} vectors read"),
        None => "no `spec/vectors/index.json` yet".to_string(),
    };
    let _ = writeln!(
        out,
        "**{} rules**: {} with a property, {} with a vector ({}), {} with unit tests only, {} with none.\n",
        rules.len(),
        with_property,
        with_vector,
        vectors,
        unit_only.len(),
        none.len()
    );
    let mut file = "";
    for (i, r) in rules.iter().enumerate() {
        if r.file != file {
            file = &r.file;
            let _ = writeln!(out, "## `{file}`\n");
            let _ = writeln!(out, "| rule | properties | vectors | unit tests |");
            let _ = writeln!(out, "|---|---|---|---|");
        }
        let units = cov.units.get(&r.id);
        let unit_cell = match units.filter(|s| !s.is_empty()) {
            Some(s) => format!("{}: {}", s.len(), names(Some(s), 3)),
            None => "—".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} |",
            r.id,
            r.title.replace('|', "\\|"),
            names(cov.properties.get(&r.id), 8),
            names(cov.vectors.get(&r.id), 5),
            unit_cell
        );
        if rules.get(i + 1).is_none_or(|n| n.file != r.file) {
            out.push('\n');
        }
    }
    let _ = writeln!(out, "## Rules with unit tests only\n");
    if unit_only.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        let ids: Vec<&str> = unit_only.iter().map(|r| r.id.as_str()).collect();
        let _ = writeln!(out, "{}\n", ids.join(", "));
    }
    let _ = writeln!(out, "## Rules with no test\n");
    if none.is_empty() {
        let _ = writeln!(out, "None.");
    } else {
        let ids: Vec<&str> = none.iter().map(|r| r.id.as_str()).collect();
        let _ = writeln!(out, "{}", ids.join(", "));
    }
    if !cov.unknown_in_vectors.is_empty() {
        let ids: Vec<&str> = cov.unknown_in_vectors.iter().map(String::as_str).collect();
        let _ = writeln!(
            out,
            "\n## Rule IDs cited by vectors and not in the spec\n\n{}",
            ids.join(", ")
        );
    }
    out
}

#[test]
fn spec_coverage_is_current_and_complete() {
    let rules = spec_rules();
    assert!(rules.len() > 100, "spec rules not found");
    let cov = collect(&rules);
    let text = render(&rules, &cov);
    let path = root().join("spec/COVERAGE.md");
    if std::env::var_os("UPDATE_COVERAGE").is_some_and(|v| v == "1") {
        fs::write(&path, &text).expect("write spec/COVERAGE.md");
    } else {
        let committed = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "spec/COVERAGE.md is not current: run `UPDATE_COVERAGE=1 cargo test --test spec_coverage` and commit it"
        );
    }
    assert!(
        cov.bad_properties.is_empty(),
        "properties whose name does not start with rules of the spec (TESTING.md): {:?}",
        cov.bad_properties
    );
    let none: Vec<&str> = rules
        .iter()
        .filter(|r| {
            !cov.properties.contains_key(&r.id)
                && !cov.vectors.contains_key(&r.id)
                && !cov.units.contains_key(&r.id)
        })
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        none.is_empty(),
        "rules with no property, no vector and no unit test: {none:?}"
    );
}

#[test]
fn names_follow_the_convention() {
    let prefixes: BTreeSet<String> = [
        "MAN", "MAN-ENV", "LOC", "ENV", "HOOK", "PROC-LIM", "PROC", "SCN-LIM", "SCN",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let r = |n: &str| rules_in_name(n, &prefixes);
    assert_eq!(r("man_env_3_entry_forms"), ["MAN-ENV-3"]);
    assert_eq!(r("loc_4_chosen_file"), ["LOC-4"]);
    assert_eq!(r("env_9_10_manifest_wins"), ["ENV-9", "ENV-10"]);
    assert_eq!(r("hook_1_to_3_schedule"), ["HOOK-1", "HOOK-2", "HOOK-3"]);
    assert_eq!(r("loc_5_loc_6_closest"), ["LOC-5", "LOC-6"]);
    assert_eq!(r("proc_lim_4_cap"), ["PROC-LIM-4"]);
    assert_eq!(r("scn_lim_1_paths"), ["SCN-LIM-1"]);
    assert_eq!(r("man_env_11_man_7_keys"), ["MAN-ENV-11", "MAN-7"]);
    assert_eq!(r("loc7_case_near_miss"), ["LOC-7"]);
    assert_eq!(r("json_shapes"), Vec::<String>::new());
    assert_eq!(r("env"), Vec::<String>::new());
}

#[test]
fn comments_cite_rules_and_ranges() {
    assert_eq!(rules_in_text("DIAG-12: the note"), ["DIAG-12"]);
    assert_eq!(
        rules_in_text("---- `LOC-4` .. `LOC-6`: the walk-up ----"),
        ["LOC-4", "LOC-5", "LOC-6"]
    );
    assert_eq!(
        rules_in_text("SRC-8 .. SRC-10: decision"),
        ["SRC-8", "SRC-9", "SRC-10"]
    );
    assert_eq!(
        rules_in_text("rules JSON-1 to JSON-3"),
        ["JSON-1", "JSON-2", "JSON-3"]
    );
    assert_eq!(
        rules_in_text("(rules `MAN-ENV-2`, `LIM-7`)"),
        ["MAN-ENV-2", "LIM-7"]
    );
    assert_eq!(
        rules_in_text("MAN-ENV-* and SM0001, E-19x, x-1"),
        Vec::<String>::new()
    );
    assert_eq!(
        rules_in_text("PROC-LIM-1..PROC-LIM-2"),
        ["PROC-LIM-1", "PROC-LIM-2"]
    );
}

#[test]
fn test_functions_and_their_comments_are_found() {
    let src = "//! Rules DIAG-9.\n\
               \n\
               /// LOC-3: above\n\
               #[test]\n\
               fn a() {\n\
               \x20   // MAN-1: inside\n\
               \x20   let s = \"// MAN-2 in a string\";\n\
               }\n\
               fn helper() {}\n\
               #[test]\n\
               fn b() {}\n";
    let fns = test_fns(src, true);
    let cited = |f: &TestFn| -> Vec<String> {
        let mut v: Vec<String> = f.comments.iter().flat_map(|c| rules_in_text(c)).collect();
        v.sort();
        v
    };
    assert_eq!(fns.len(), 2);
    assert_eq!(fns[0].name, "a");
    assert_eq!(cited(&fns[0]), ["DIAG-9", "LOC-3", "MAN-1"]);
    assert_eq!(fns[1].name, "b");
    assert_eq!(cited(&fns[1]), ["DIAG-9"]);
    assert_eq!(fn_name("pub fn x_1<T>(a: T)"), Some("x_1"));
    assert_eq!(fn_name("fn"), None);
}

/// The text of each rule's section (heading included), by rule ID, from the spec pages.
fn rule_sections() -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    for rule in spec_rules() {
        let text = read(&root().join("spec").join(&rule.file));
        let heading = format!("## {} ", rule.id);
        let start = text.find(&heading).expect("the heading");
        let end = text[start + 3..]
            .find("\n## ")
            .map_or(text.len(), |e| start + 3 + e);
        sections.insert(rule.id, text[start..end].to_string());
    }
    sections
}

/// Words of a `Source:` line that name Scalingo's documentation (a page, a documented fact
/// of `shared/research`, a seed, the published schema, a documentation file).
const DOCUMENTATION_SIGNS: [&str; 14] = [
    "page",
    "fact ",
    "seed `",
    "schema",
    "src/_posts",
    "src/_includes",
    "src/changelog",
    "Scalingo",
    "the docs",
    "catalogue",
    "A3",
    "modified",
    "app-manifest.md",
    "(one-click)",
];

/// spec/README.md, `Basis:`: every rule has one line under its heading; each `D-n` it names
/// is a decision of decisions.md that its section cites; `doc` comes with a documentation
/// source; and the engine's table (`diag::rule_basis`, which `explain` marks rules with) is
/// the spec's.
#[test]
fn every_rule_has_a_basis_its_sources_support() {
    let decisions = read(&root().join("spec/decisions.md"));
    let mut problems = Vec::new();
    for (id, section) in rule_sections() {
        let basis = section
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("Basis: "))
            .and_then(|b| b.strip_suffix('.'));
        let Some(basis) = basis else {
            problems.push(format!("{id}: no `Basis:` line under the heading"));
            continue;
        };
        let body: String = section.lines().skip(2).collect::<Vec<_>>().join("\n");
        for part in basis.split(", ") {
            if let Some(n) = part.strip_prefix("D-") {
                if !decisions.contains(&format!("\n## D-{n} ")) {
                    problems.push(format!("{id}: {part} is not a decision of decisions.md"));
                }
                let cited = body.match_indices(part).any(|(i, _)| {
                    let before = body[..i].chars().next_back();
                    let after = body[i + part.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                        && !after.is_some_and(|c| c.is_ascii_digit())
                });
                if !cited {
                    problems.push(format!("{id}: {part} is not cited by the rule's text"));
                }
            } else if part == "doc" {
                if !DOCUMENTATION_SIGNS.iter().any(|s| body.contains(s)) {
                    problems.push(format!("{id}: `doc` without a documentation source"));
                }
            } else if part != "ours" {
                problems.push(format!("{id}: `{part}` is not doc, ours or D-n"));
            }
        }
        if scalingo_manifest::diag::rule_basis(&id) != Some(basis) {
            problems.push(format!(
                "{id}: the engine says {:?}, the spec `{basis}` (rebuild)",
                scalingo_manifest::diag::rule_basis(&id)
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(scalingo_manifest::diag::rule_basis("D-3"), None);
    assert_eq!(scalingo_manifest::diag::rule_basis("ENV-999"), None);
}
