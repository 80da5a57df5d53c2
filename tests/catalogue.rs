//! The diagnostic catalogue and the spec agree (rules DIAG-1, DIAG-2, DIAG-7):
//! every code is unique and well formed, lies in the range of the module that owns it, is
//! declared once, in the table of `src/diag/codes.rs`, names a rule of its range's families
//! that the spec defines, and is mentioned in the spec file defining that rule; every rule
//! heading is defined once. (One test for every module's codes: the modules do not repeat it.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use scalingo_manifest::{catalogue, Code};

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

/// The code ranges of rule `DIAG-2`, each with the modules that may own its codes
/// ([`Code::owner`]) and the rule families its codes may name ([`Code::rule`] is one of
/// them followed by `-n`).
const RANGES: &[(u32, u32, &[&str], &[&str])] = &[
    (1, 99, &["manifest"], &["JSON", "LIM"]),
    (100, 199, &["manifest"], &["MAN"]),
    (200, 299, &["manifest"], &["MAN-ENV"]),
    (300, 399, &["manifest"], &["MAN-ADD"]),
    (400, 499, &["manifest"], &["MAN-FRM"]),
    (500, 599, &["manifest"], &["MAN-SCR"]),
    (600, 699, &["procfile"], &["PROC", "PROC-LIM"]),
    (700, 799, &["locate"], &["LOC"]),
    (800, 899, &["source"], &["SRC"]),
    (900, 949, &["generate"], &["GEN"]),
    (950, 999, &["env"], &["ENV"]),
    (1000, 1099, &["addons"], &["ADD"]),
    (1100, 1199, &["formation"], &["FRM"]),
    (1200, 1299, &["hooks"], &["HOOK"]),
    (1300, 1399, &["scenario"], &["SCN", "SCN-LIM"]),
    (1400, 1499, &["firewall"], &["FW"]),
];

#[test]
fn codes_are_unique_well_formed_in_order_and_in_their_owners_range() {
    let mut seen = BTreeSet::new();
    for code in catalogue() {
        let s = code.as_str();
        assert!(seen.insert(s), "{s} is declared twice");
        let digits = s.strip_prefix("SM").expect("codes start with SM");
        assert_eq!(digits.len(), 4, "{s}");
        let n: u32 = digits.parse().expect("four digits");
        let range = RANGES
            .iter()
            .find(|(lo, hi, _, _)| (*lo..=*hi).contains(&n));
        let Some((_, _, owners, families)) = range else {
            panic!("{s} is in no module range")
        };
        assert!(
            owners.contains(&code.owner()),
            "{s} is owned by {}, outside its range",
            code.owner()
        );
        let family = code.rule().rsplit_once('-').map_or("", |(f, _)| f);
        assert!(
            families.contains(&family),
            "{s} names rule {}, not one of its range's families {families:?}",
            code.rule()
        );
        assert!(!code.summary().is_empty(), "{s} has no summary");
    }
    assert!(seen.len() > 100, "the catalogue lists every module's codes");
    // Rows are in code order, so the enum's order is the strings' order (`DIAG-4` sorts
    // diagnostics by code).
    let strings: Vec<&str> = catalogue().iter().map(|c| c.as_str()).collect();
    let mut sorted = strings.clone();
    sorted.sort_unstable();
    assert_eq!(strings, sorted, "the table is not in code order");
    assert!(catalogue().windows(2).all(|w| w[0] < w[1]));
}

/// A code's JSON and text forms are its string, and read back to the same code.
#[test]
fn codes_read_back_from_their_string() {
    for &code in catalogue() {
        let s = code.as_str();
        assert_eq!(code.to_string(), s);
        assert_eq!(s.parse::<Code>(), Ok(code));
        assert_eq!(Code::from_code(s), Some(code));
        assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{s}\""));
        assert_eq!(
            serde_json::from_str::<Code>(&format!("\"{s}\"")).unwrap(),
            code
        );
        assert!(code == s && code == *s);
    }
    assert!("SM9999".parse::<Code>().is_err());
    assert!(serde_json::from_str::<Code>("\"SM9999\"").is_err());
}

/// Codes are declared in one place: the table of `src/diag/codes.rs`, whose rows are
/// exactly [`Code::ALL`]; no other source file declares a code (a `code: "SM..."` field
/// or a row).
#[test]
fn every_code_is_declared_once_in_the_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = std::fs::read_to_string(root.join("src/diag/codes.rs")).expect("the table");
    let rows: Vec<String> = table
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let at = l.find(" = \"SM")?;
            l.starts_with(|c: char| c.is_ascii_uppercase())
                .then(|| l[at + 4..at + 10].to_string())
        })
        .collect();
    let all: Vec<String> = catalogue().iter().map(|c| c.to_string()).collect();
    assert_eq!(rows, all, "the table's rows are not Code::ALL");
    let mut stack = vec![
        root.join("src"),
        root.join("conformance/src"),
        root.join("cli/src"),
    ];
    let mut elsewhere = BTreeSet::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("src/diag/codes.rs")
            {
                let text = std::fs::read_to_string(&path).expect("readable source");
                if text.contains("code: \"SM") || text.contains(": Code = Code {") {
                    elsewhere.insert(path.display().to_string());
                }
            }
        }
    }
    assert!(
        elsewhere.is_empty(),
        "codes declared outside src/diag/codes.rs: {elsewhere:?}"
    );
}

#[test]
fn every_code_names_a_rule_the_spec_defines_and_is_documented() {
    let rules = rule_headings();
    let files: BTreeMap<String, String> = spec_files().into_iter().collect();
    let all_spec: String = files.values().map(String::as_str).collect();
    let mut problems = Vec::new();
    for code in catalogue() {
        if !rules.contains_key(code.rule()) {
            problems.push(format!(
                "{} names rule {} which no spec heading defines",
                code.as_str(),
                code.rule()
            ));
        }
        if !all_spec.contains(code.as_str()) {
            problems.push(format!("{} is not mentioned in spec/", code.as_str()));
        }
        // DIAG-7: listed under its rule, so in the file that defines the rule.
        for file in rules.get(code.rule()).into_iter().flatten() {
            if !files
                .get(file.as_str())
                .is_some_and(|t| t.contains(code.as_str()))
            {
                problems.push(format!(
                    "{} is not mentioned in spec/{file}, which defines its rule {}",
                    code.as_str(),
                    code.rule()
                ));
            }
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

/// The tables of codes in the spec files (`| code | severity | rule | summary |`) are
/// generated copies of the code table of `src/diag/codes.rs`, for the reader: each row says
/// what the table says, or marks a retired code (rule `DIAG-7`); a file with such a table
/// has a row for every code of the rules it defines, and no code has two rows.
/// `UPDATE_SPEC_CODES=1 cargo test --test catalogue` rewrites the rows of current codes.
#[test]
fn the_spec_tables_of_codes_agree_with_the_code_table() {
    let update = std::env::var_os("UPDATE_SPEC_CODES").is_some();
    let rules = rule_headings();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (file, text) in spec_files() {
        let mut rewritten = String::with_capacity(text.len());
        let mut in_file = BTreeSet::new();
        for line in text.split_inclusive('\n') {
            let cells: Vec<&str> = line
                .trim_end()
                .split(" | ")
                .map(|c| c.trim_matches(['|', ' ']))
                .collect();
            let row = match cells[..] {
                [code, severity, rule, summary] if code.len() == 6 && code.starts_with("SM") => {
                    Some((code, severity, rule, summary))
                }
                _ => None,
            };
            let Some((code, severity, rule, summary)) = row else {
                rewritten.push_str(line);
                continue;
            };
            if !seen.insert(code.to_string()) {
                problems.push(format!("{file}: {code} has a second row"));
            }
            in_file.insert(code.to_string());
            match code.parse::<Code>() {
                Ok(c) => {
                    let want = [c.severity().as_str(), c.rule(), c.summary()];
                    let row = format!("| {code} | {} |\n", want.join(" | "));
                    if [severity, rule, summary] != want && !update {
                        problems.push(format!(
                            "{file}: `{}` differs from the code table's `{}` \
                             (UPDATE_SPEC_CODES=1 rewrites it)",
                            line.trim_end(),
                            row.trim_end()
                        ));
                    }
                    rewritten.push_str(&row);
                }
                Err(_) if summary.starts_with("retired") => rewritten.push_str(line),
                Err(_) => {
                    problems.push(format!(
                        "{file}: {code} is not in the code table and not marked retired"
                    ));
                    rewritten.push_str(line);
                }
            }
        }
        if in_file.is_empty() {
            continue;
        }
        for c in catalogue() {
            let defined_here = rules
                .get(c.rule())
                .is_some_and(|files| files.contains(&file));
            if defined_here && !in_file.contains(c.as_str()) {
                problems.push(format!("{file}: the table of codes has no row for {c}"));
            }
        }
        if update && rewritten != text {
            std::fs::write(dir.join(&file), rewritten).expect("spec file written");
        }
    }
    assert!(seen.len() > 100, "the spec lists codes in tables");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
