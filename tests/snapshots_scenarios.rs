//! Snapshots of `resolve` (Outcome JSON) and `explain` on every bundled scenario in
//! `spec/examples/scenarios/` (rules SCN-3, SCN-7), and determinism of the JSON bytes.

use std::path::{Path, PathBuf};

use scalingo_manifest::scenario::{explain, resolve, to_json, Scenario};

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/examples/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("spec/examples/scenarios exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 6,
        "expected the bundled scenarios, found {files:?}"
    );
    files
}

fn load(path: &Path) -> Scenario {
    let bytes = std::fs::read(path).expect("readable scenario");
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn resolve_and_explain_every_scenario() {
    for path in scenarios() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let scenario = load(&path);
        let outcome = resolve(&scenario);
        let json = to_json(&outcome);
        assert_eq!(
            json,
            to_json(&resolve(&scenario)),
            "{name}: same bytes twice"
        );
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("resolve__{name}"), json);
            insta::assert_snapshot!(format!("explain__{name}"), explain(&outcome));
        });
    }
}

/// The README's `explain` example is the engine's output on the bundled scenario, byte for
/// byte (SCN-7): the README never shows an outcome the engine no longer gives.
#[test]
fn scn_7_the_readme_explain_example_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let command =
        "$ scalingo-manifest explain spec/examples/scenarios/review-app-with-parent.json\n";
    let start = readme
        .find(command)
        .expect("the README shows the explain example")
        + command.len();
    let end = start + readme[start..].find("```").expect("the block is closed");
    let outcome = resolve(&load(
        &root.join("spec/examples/scenarios/review-app-with-parent.json"),
    ));
    assert_eq!(&readme[start..end], explain(&outcome));
}
