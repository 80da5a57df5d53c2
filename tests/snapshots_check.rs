//! Snapshots of `scalingo-manifest check` (human and JSON output, rules `DIAG-10` and
//! `DIAG-11`) for every documentation example in `spec/examples/manifests/`.
//!
//! The snapshots live in the top-level `snapshots/` folder, one `<example>.human.snap` and
//! one `<example>.json.snap` per example. Review changes with `cargo insta review`, or
//! regenerate with `INSTA_UPDATE=always cargo test --test snapshots_check`.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_scalingo-manifest");
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const EXAMPLES: &str = "spec/examples/manifests";
/// The only example the documentation gets wrong: a comma is missing before `"addons"`.
const INVALID: &[&str] = &["one-click-sample-go-martini.json"];

/// Runs `check` from the crate root on `rel` with extra `args`; returns (exit, stdout).
fn check(rel: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(BIN)
        .arg("check")
        .args(args)
        .arg(rel)
        .current_dir(ROOT)
        .env_remove("NO_COLOR")
        .output()
        .expect("run the binary");
    assert!(
        out.stderr.is_empty(),
        "{rel}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
    )
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(EXAMPLES))
        .expect("spec/examples/manifests exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_documentation_example_is_snapshotted() {
    // the target directory may be shared with other checkouts, each with its own version
    let version = Command::new(BIN)
        .arg("--version")
        .output()
        .expect("run the binary");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("scalingo-manifest {}", env!("CARGO_PKG_VERSION")),
        "{BIN} is not this crate's build; rebuild and rerun"
    );
    let names = examples();
    assert!(names.len() >= 7, "{names:?}");
    insta::with_settings!({
        snapshot_path => concat!(concat!(env!("CARGO_MANIFEST_DIR"), "/.."), "/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        for name in &names {
            let rel = format!("{EXAMPLES}/{name}");
            let (human_exit, human) = check(&rel, &["--color", "never"]);
            let (json_exit, json) = check(&rel, &["--format", "json"]);
            let expected = if INVALID.contains(&name.as_str()) { 1 } else { 0 };
            assert_eq!(human_exit, Some(expected), "{name}: {human}");
            assert_eq!(json_exit, Some(expected), "{name}");
            let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
            let verdict = if expected == 1 { "invalid" } else { "valid" };
            assert_eq!(parsed[0]["verdict"], verdict, "{name}");
            let stem = name.strip_suffix(".json").unwrap_or(name);
            insta::assert_snapshot!(format!("{stem}.human"), human);
            insta::assert_snapshot!(format!("{stem}.json"), json);
        }
    });
}
