//! Parses every real Procfile of the shared corpus (rules `PROC-1`..`PROC-11`).
//!
//! The corpus is read in place, never copied into the project: from the folder named by
//! `SCALINGO_MANIFEST_CORPUS`, else `../shared/corpus` relative to the crate root, plus
//! `procfile/`. When the folder is missing the test prints why and passes, unless `CI` is
//! set, in which case it fails.

use std::collections::HashMap;
use std::path::PathBuf;

use scalingo_manifest::procfile;

fn corpus_root() -> PathBuf {
    std::env::var_os("SCALINGO_MANIFEST_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")))
}

/// `saved_file -> process types in file order`, from the notes column of SOURCES.tsv
/// (`...; process types: web,postdeploy; ...`).
fn expected_types(root: &std::path::Path) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    let Ok(tsv) = std::fs::read_to_string(root.join("SOURCES.tsv")) else {
        return out;
    };
    for line in tsv.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(notes)) = (cols.first(), cols.last()) else {
            continue;
        };
        if !file.starts_with("procfile/") {
            continue;
        }
        if let Some(rest) = notes.split("process types: ").nth(1) {
            let list = rest.split(';').next().unwrap_or_default();
            out.insert(
                file.trim_start_matches("procfile/").to_string(),
                list.split(',').map(|s| s.trim().to_string()).collect(),
            );
        }
    }
    out
}

#[test]
fn every_corpus_procfile_parses_cleanly_with_a_postdeploy() {
    let root = corpus_root();
    let dir = root.join("procfile");
    let Ok(read) = std::fs::read_dir(&dir) else {
        let msg = format!(
            "Procfile corpus not found at {} (set SCALINGO_MANIFEST_CORPUS to the corpus folder)",
            dir.display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("skipped: {msg}");
        return;
    };
    let expected = expected_types(&root);
    let mut files: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    assert!(
        files.len() >= 11,
        "expected the 11 corpus Procfiles, found {}",
        files.len()
    );

    let mut checked_order = 0;
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let parsed = procfile::parse(&bytes);
        assert_eq!(parsed.diagnostics, vec![], "{file}: unexpected diagnostics");
        let pd = parsed
            .procfile
            .postdeploy()
            .unwrap_or_else(|| panic!("{file}: no postdeploy entry"));
        assert!(!pd.command.is_empty(), "{file}");
        // Spans point at the bytes the model holds.
        for e in &parsed.procfile.entries {
            assert_eq!(
                &bytes[e.name_span.start..e.name_span.end],
                e.name.as_bytes(),
                "{file}"
            );
            assert_eq!(
                &bytes[e.command_span.start..e.command_span.end],
                e.command.as_bytes(),
                "{file}"
            );
        }
        if let Some(types) = expected.get(&file) {
            let names: Vec<&str> = parsed
                .procfile
                .entries
                .iter()
                .map(|e| e.name.as_str())
                .collect();
            assert_eq!(
                names, *types,
                "{file}: process types differ from SOURCES.tsv"
            );
            checked_order += 1;
        }
    }
    if !expected.is_empty() {
        assert_eq!(
            checked_order,
            files.len(),
            "every corpus Procfile is listed in SOURCES.tsv"
        );
    }
}

#[test]
fn corpus_details() {
    let dir = corpus_root().join("procfile");
    let Ok(api) = std::fs::read(dir.join("1024pix__pix__api__Procfile")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "corpus missing at {}",
            dir.display()
        );
        eprintln!("skipped: corpus missing at {}", dir.display());
        return;
    };
    let p = procfile::parse(&api).procfile;
    assert_eq!(p.process_types(), ["web", "worker", "fastworker"]);
    assert_eq!(
        p.postdeploy().map(|e| (e.line, e.command.as_str())),
        Some((1, "npm run postdeploy"))
    );
    assert_eq!(p.get("web").map(|e| e.line), Some(7));

    let helios = std::fs::read(dir.join("DNUM-SocialGouv__helios__Procfile")).unwrap();
    let p = procfile::parse(&helios).procfile;
    assert!(p.process_types().is_empty(), "helios has no web");
    assert_eq!(
        p.postdeploy().map(|e| e.command.as_str()),
        Some("yarn migrations")
    );

    let traiteurs =
        std::fs::read(dir.join("AntoinePoindron__les-traiteurs-engages-V4__Procfile")).unwrap();
    let p = procfile::parse(&traiteurs).procfile;
    assert_eq!(
        p.get("web").map(|e| e.command.as_str()),
        Some("gunicorn \"app:create_app()\"")
    );
}
