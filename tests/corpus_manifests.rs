//! Runs `manifest::check` over every real-world manifest of the shared corpus
//! (`$SCALINGO_MANIFEST_CORPUS`, else `../shared/corpus` next to the crate): no panic, the
//! invalid-JSON files get their syntax codes, and each file's verdict is the one the
//! decisions give (listed below). Prints a table `file | errors | warnings | notes`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scalingo_manifest::manifest::check;

#[path = "common/fixed.rs"]
mod fixed;
use fixed::day;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("SCALINGO_MANIFEST_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")),
    }
}

/// Files with at least one error, and their error codes (sorted, with repeats). Every
/// other corpus manifest must be valid (warnings and notes only).
const INVALID: &[(&str, &[&str])] = &[
    // JSON-6: trailing comma (decision D-17)
    (
        "scalingo/1024pix__matomo-scalingo-deploy__scalingo.json",
        &["SM0008"],
    ),
    ("appjson/hack4impact__flask-base__app.json", &["SM0008"]),
    // JSON-5: `//` comments (D-17)
    (
        "appjson/dokku__dokku__tests__apps__python__app-cron.json",
        &["SM0007", "SM0007"],
    ),
    (
        "appjson/dokku__dokku__tests__apps__python__app-heroku-postdeploy.json",
        &["SM0007", "SM0007"],
    ),
    // JSON-4: unbalanced braces, the object is never closed
    (
        "appjson/heroku__python-getting-started__app.json",
        &["SM0012"],
    ),
    // MAN-ENV-2: a space in a variable name
    ("scalingo/1024pix__pix-360__scalingo.json", &["SM0201"]),
    // MAN-ENV-6: dokku shell-command generators (D-10)
    (
        "appjson/dokku__dokku__tests__apps__dockerfile__app.json",
        &["SM0211"],
    ),
    (
        "appjson/dokku__dokku__tests__apps__nodejs-express__app.json",
        &["SM0211"],
    ),
    // MAN-FRM-2: process types with `_` (D-15)
    (
        "appjson/heroku-examples__salesforce-streams-nodejs__app.json",
        &["SM0403"],
    ),
    ("appjson/heroku__kafka-demo__app.json", &["SM0403"]),
    // MAN-FRM-3: Heroku dyno sizes (D-15)
    (
        "appjson/AnurajBhaskar47__Heroku_challenge__backend__app.json",
        &["SM0401"],
    ),
    (
        "appjson/ClinIQSoftware__eduresearch-project-manager__deploy__heroku__app.json",
        &["SM0401"],
    ),
    ("appjson/HoagieClub__meal__backend__app.json", &["SM0401"]),
    (
        "appjson/chatwoot__chatwoot__app.json",
        &["SM0401", "SM0401"],
    ),
    (
        "appjson/coorasse__optrails__deploy__heroku__app.json",
        &["SM0401"],
    ),
    (
        "appjson/directus-labs__heroku-template__app.json",
        &["SM0401"],
    ),
    (
        "appjson/hasura__graphql-engine-heroku__app.json",
        &["SM0401"],
    ),
    (
        "appjson/heroku__sudo-sandwich__app.json",
        &["SM0401", "SM0401"],
    ),
    (
        "appjson/natemacs__grafana-for-heroku-template__app.json",
        &["SM0401"],
    ),
    ("appjson/outline__outline__app.json", &["SM0401"]),
    (
        "appjson/rohitdash08__FinMind__deploy__heroku__app.json",
        &["SM0401"],
    ),
    ("appjson/rubyforgood__casa__app.json", &["SM0401"]),
];

#[test]
fn corpus_manifests() {
    let root = corpus_dir();
    if !root.join("SOURCES.tsv").is_file() {
        let msg = format!(
            "corpus not found at {} (set SCALINGO_MANIFEST_CORPUS to the folder holding SOURCES.tsv, scalingo/ and appjson/)",
            root.display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
        return;
    }
    let mut files = Vec::new();
    for dir in ["scalingo", "appjson"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("corpus folder")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        files.extend(names);
    }
    assert_eq!(files.len(), 148, "57 scalingo.json + 91 app.json files");

    let rel = |p: &Path| -> String {
        p.strip_prefix(&root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut valid, mut with_manifest) = (0, 0);
    let (mut te, mut tw, mut tn) = (0, 0, 0);
    println!("{:<82} | errors | warnings | notes", "file");
    for path in &files {
        let bytes = std::fs::read(path).expect("read corpus file");
        let c = check(&bytes, day());
        let name = rel(path);
        println!(
            "{name:<82} | {:>6} | {:>8} | {:>5}",
            c.errors, c.warnings, c.notes
        );
        te += c.errors;
        tw += c.warnings;
        tn += c.notes;
        if c.is_valid() {
            valid += 1;
        }
        if c.manifest.is_some() {
            with_manifest += 1;
        }
        assert_eq!(
            c.dropped, 0,
            "{name}: no corpus file reaches the diagnostics cap"
        );
        let mut errs: Vec<String> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.to_string())
            .collect();
        errs.sort();
        if !errs.is_empty() {
            got.insert(name, errs);
        }
    }
    println!(
        "{} files: {valid} valid, {} invalid; {te} errors, {tw} warnings, {tn} notes; {with_manifest} typed manifests",
        files.len(),
        files.len() - valid
    );

    let want: BTreeMap<String, Vec<String>> = INVALID
        .iter()
        .map(|(f, codes)| (f.to_string(), codes.iter().map(|c| c.to_string()).collect()))
        .collect();
    assert_eq!(got, want, "files with errors and their error codes");
    assert_eq!(valid, 126);
    assert_eq!(
        with_manifest, 147,
        "only the unbalanced file has no document"
    );

    // The invalid-JSON files named by SOURCES.tsv get the syntax code of their defect.
    let sources = std::fs::read_to_string(root.join("SOURCES.tsv")).expect("SOURCES.tsv");
    let mut syntax = 0;
    for line in sources.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(notes)) = (cols.first(), cols.get(5)) else {
            continue;
        };
        let Some(kind) = notes.split("lenient parse needed: ").nth(1) else {
            continue;
        };
        let code = if kind.starts_with("trailing comma") {
            "SM0008"
        } else if kind.starts_with("comments") {
            "SM0007"
        } else if kind.starts_with("unparseable") {
            "SM0012"
        } else {
            panic!("{file}: unknown defect {kind}");
        };
        let codes = got
            .get(*file)
            .unwrap_or_else(|| panic!("{file} must be invalid"));
        assert!(
            codes.iter().any(|c| c == code),
            "{file}: expected {code}, got {codes:?}"
        );
        syntax += 1;
    }
    assert_eq!(syntax, 5, "five corpus files are not valid JSON");
}
