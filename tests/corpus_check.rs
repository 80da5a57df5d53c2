//! Snapshots of our diagnostics for every file of the shared corpus of real manifests
//! and Procfiles (`scalingo/`, `appjson/`, `procfile/`).
//!
//! The corpus is read in place and never copied into the project: from the folder named by
//! `SCALINGO_MANIFEST_CORPUS`, else `../shared/corpus` relative to the crate root. Only our
//! findings are stored: one snapshot per corpus file, named after it, in
//! `snapshots/corpus/<folder>/<file name>.snap`, holding the `check --format json` object
//! of that file (`file` is the path inside the corpus). Files whose name ends with
//! `Procfile` are parsed as Procfiles, all others checked as manifests. When the corpus is
//! missing the test says so and passes, unless `CI` is set, in which case it fails.
//!
//! Regenerate after an intended change with
//! `INSTA_UPDATE=always cargo test --test corpus_check`, then review the diff.

use std::path::PathBuf;

use scalingo_manifest::{manifest, procfile};
use scalingo_manifest_cli::render::{FileReport, Kind};

#[path = "common/fixed.rs"]
mod fixed;
use fixed::day;

const FOLDERS: &[&str] = &["scalingo", "appjson", "procfile"];

fn corpus_root() -> PathBuf {
    std::env::var_os("SCALINGO_MANIFEST_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
                "/../shared/corpus"
            ))
        })
}

/// Our verdict on one corpus file, as the JSON object `check --format json` prints for it.
fn report(folder: &str, name: &str, bytes: &[u8]) -> String {
    let file = format!("{folder}/{name}");
    let report = if name.ends_with("Procfile") {
        FileReport::new(file, Kind::Procfile, procfile::parse(bytes).diagnostics)
    } else {
        FileReport::new(
            file,
            Kind::Manifest,
            manifest::check(bytes, day()).diagnostics,
        )
    };
    let mut out = serde_json::to_string_pretty(&report).expect("a report serialises");
    out.push('\n');
    out
}

#[test]
fn every_corpus_file_has_a_diagnostics_snapshot() {
    let root = corpus_root();
    if !root.join(FOLDERS[0]).is_dir() {
        let msg = format!(
            "corpus not found at {} (set SCALINGO_MANIFEST_CORPUS to the corpus folder)",
            root.display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("skipped: {msg}");
        return;
    }
    let mut failures = Vec::new();
    let mut seen = 0;
    for folder in FOLDERS {
        let dir = root.join(folder);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let bytes = std::fs::read(dir.join(&name))
                .unwrap_or_else(|e| panic!("cannot read {folder}/{name}: {e}"));
            let json = report(folder, &name, &bytes);
            seen += 1;
            let snapshot_dir = format!(
                "{}/snapshots/corpus/{folder}",
                concat!(env!("CARGO_MANIFEST_DIR"), "/..")
            );
            // keep going after a mismatch so that one run lists every changed file
            let result = std::panic::catch_unwind(|| {
                insta::with_settings!({
                    snapshot_path => snapshot_dir.as_str(),
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(name.as_str(), json);
                });
            });
            if result.is_err() {
                failures.push(format!("{folder}/{name}"));
            }
        }
    }
    assert!(seen > 0, "the corpus at {} is empty", root.display());
    assert!(
        failures.is_empty(),
        "{} corpus snapshots changed (review with `cargo insta review`): {failures:?}",
        failures.len()
    );
}
