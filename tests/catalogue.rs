//! The diagnostic catalogue and the spec agree (rules DIAG-1, DIAG-2, DIAG-7):
//! every code is unique and well formed, lies in its module's range, is declared in the
//! catalogue, names a rule that the spec defines, and is mentioned in the spec; every rule
//! heading is defined once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use scalingo_manifest::catalogue;

fn spec_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("spec/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).expect("readable spec file");
            out.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                text,
            ));
        }
    }
    out.sort();
    out
}

/// Rule IDs defined by `## RULE-ID title` headings, with the file defining each.
fn rule_headings() -> BTreeMap<String, Vec<String>> {
    let mut rules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, text) in spec_files() {
        if file == "decisions.md" || file == "README.md" {
            continue;
        }
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("## ") else {
                continue;
            };
            let id = rest.split_whitespace().next().unwrap_or("");
            let looks_like_rule = id.contains('-')
                && id.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && id.chars().last().is_some_and(|c| c.is_ascii_digit());
            if looks_like_rule {
                rules.entry(id.to_string()).or_default().push(file.clone());
            }
        }
    }
    rules
}

#[test]
fn codes_are_unique_well_formed_and_in_range() {
    let ranges: &[(&str, u32, u32)] = &[
        ("JSON or manifest", 1, 599),
        ("procfile", 600, 699),
        ("locate", 700, 799),
        ("source", 800, 899),
        ("env/generate", 900, 999),
        ("addons", 1000, 1099),
        ("formation", 1100, 1199),
        ("hooks", 1200, 1299),
        ("scenario", 1300, 1399),
        ("firewall", 1400, 1499),
    ];
    let mut seen = BTreeSet::new();
    for code in catalogue() {
        assert!(seen.insert(code.code), "{} is declared twice", code.code);
        let digits = code.code.strip_prefix("SM").expect("codes start with SM");
        assert_eq!(digits.len(), 4, "{}", code.code);
        let n: u32 = digits.parse().expect("four digits");
        assert!(
            ranges.iter().any(|(_, lo, hi)| (*lo..=*hi).contains(&n)),
            "{} is in no module range",
            code.code
        );
        assert!(!code.summary.is_empty(), "{} has no summary", code.code);
    }
    assert!(seen.len() > 100, "the catalogue lists every module's codes");
}

#[test]
fn every_code_in_the_source_is_in_the_catalogue() {
    let listed: BTreeSet<&str> = catalogue().iter().map(|c| c.code).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![
        root.join("src"),
        root.join("conformance/src"),
        root.join("cli/src"),
    ];
    let mut declared = BTreeSet::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable source");
                // Unit tests may declare made-up codes; only library code counts.
                let text = text.split("#[cfg(test)]").next().unwrap_or("");
                for (i, _) in text.match_indices("code: \"SM") {
                    let code = &text[i + 7..i + 13];
                    declared.insert(code.to_string());
                }
            }
        }
    }
    let missing: Vec<_> = declared
        .iter()
        .filter(|c| !listed.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "declared in src/ but not in any CODES list: {missing:?}"
    );
}

#[test]
fn every_code_names_a_rule_the_spec_defines_and_is_documented() {
    let rules = rule_headings();
    let all_spec: String = spec_files().into_iter().map(|(_, t)| t).collect();
    let mut problems = Vec::new();
    for code in catalogue() {
        if !rules.contains_key(code.rule) {
            problems.push(format!(
                "{} names rule {} which no spec heading defines",
                code.code, code.rule
            ));
        }
        if !all_spec.contains(code.code) {
            problems.push(format!("{} is not mentioned in spec/", code.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_is_defined_once() {
    let dupes: Vec<_> = rule_headings()
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .collect();
    assert!(dupes.is_empty(), "rules defined more than once: {dupes:?}");
}
