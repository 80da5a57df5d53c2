//! The public API of each library crate of the workspace, listed in `api/<crate>.txt`
//! (ARCHITECTURE.md, "Public API"): every change to it shows in review.
//!
//! The listing comes from rustdoc's JSON output (`cargo rustdoc -- --output-format json`,
//! an unstable rustdoc option, enabled on the stable toolchain with `RUSTC_BOOTSTRAP=1`
//! for that one command), read by the `public-api` crate. rustdoc runs in a target folder
//! of its own (`target/public-api`), so that the flag does not invalidate the main build.
//! `UPDATE_API=1 cargo test --test public_api` rewrites the files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The library crates: package name, library (crate) name.
const CRATES: &[(&str, &str)] = &[
    ("scalingo-manifest", "scalingo_manifest"),
    (
        "scalingo-manifest-conformance",
        "scalingo_manifest_conformance",
    ),
    ("scalingo-manifest-cli", "scalingo_manifest_cli"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// rustdoc's JSON of `package`'s library, built with the toolchain running the tests.
fn rustdoc_json(package: &str, lib: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("public-api");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root())
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTDOCFLAGS")
        .args(["rustdoc", "--quiet", "--locked", "--lib", "-p", package])
        .arg("--target-dir")
        .arg(&target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo rustdoc for {package} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("doc").join(format!("{lib}.json"))
}

/// The listing of one crate: one item per line, sorted, as `public-api` prints it.
fn listing(package: &str, lib: &str) -> String {
    let api = public_api::Builder::from_rustdoc_json(rustdoc_json(package, lib))
        .omit_blanket_impls(true)
        .omit_auto_trait_impls(true)
        .build()
        .unwrap_or_else(|e| panic!("public-api reads the rustdoc JSON of {package}: {e}"));
    let mut text = String::new();
    for item in api.items() {
        text.push_str(&item.to_string());
        text.push('\n');
    }
    text
}

#[test]
fn each_library_crate_api_is_the_checked_in_listing() {
    let update = std::env::var_os("UPDATE_API").is_some();
    let mut stale = Vec::new();
    for (package, lib) in CRATES {
        let path = root().join("api").join(format!("{package}.txt"));
        let actual = listing(package, lib);
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &actual).unwrap();
            } else {
                stale.push(format!(
                    "{}: {} lines listed, {} now",
                    path.display(),
                    expected.lines().count(),
                    actual.lines().count()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the public API changed; review it, then run `UPDATE_API=1 cargo test --test public_api` and commit api/:\n{}",
        stale.join("\n")
    );
}
