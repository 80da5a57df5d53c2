//! The dependency directions and invariants `ARCHITECTURE.md` states, checked against the
//! sources: the module table (which engine module may use which), the crates' dependencies,
//! and "resolution does no I/O". Library code only: everything from a file's first
//! `#[cfg(test)]` on is a unit test, free to use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The library part of a Rust source: up to the first `#[cfg(test)]`, without comment lines.
fn library_code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// module -> the modules it may use, from ARCHITECTURE.md's dependency table.
fn table() -> BTreeMap<String, BTreeSet<String>> {
    let text = read(&root().join("ARCHITECTURE.md"));
    let start = text
        .find("<!-- dependency table")
        .expect("ARCHITECTURE.md has the dependency table marker");
    let end = text
        .find("<!-- end of dependency table -->")
        .expect("ARCHITECTURE.md has the end marker");
    let mut map = BTreeMap::new();
    for line in text[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | `module` | layer | may use |
        if cells.len() < 4 || !cells[1].starts_with('`') {
            continue;
        }
        let name = cells[1].trim_matches('`').to_string();
        let uses = cells[3]
            .split(',')
            // `name` or `name` (why): the backticked name
            .map(|s| s.trim().split('`').nth(1).unwrap_or("").to_string())
            .filter(|s| !s.is_empty())
            .collect();
        map.insert(name, uses);
    }
    assert!(map.len() > 10, "the dependency table was not read: {map:?}");
    map
}

/// Every `.rs` file of the engine's `src/`, with the top-level module it belongs to
/// (`None` for `lib.rs`, the crate root).
fn engine_files() -> Vec<(Option<String>, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable src/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root().join("src")).unwrap();
                let first = rel.iter().next().unwrap().to_string_lossy();
                let module = first.trim_end_matches(".rs").to_string();
                out.push(((module != "lib").then_some(module), path));
            }
        }
    }
    out.sort();
    out
}

/// The top-level modules named by `crate::x` paths in `code`, including the grouped form
/// `use crate::{a, b::c}`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let name = ident(part.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn engine_modules_use_only_what_the_architecture_table_allows() {
    let table = table();
    let modules: BTreeSet<&String> = table.keys().collect();
    let mut violations = Vec::new();
    let mut seen = BTreeSet::new();
    for (module, path) in engine_files() {
        let Some(module) = module else { continue };
        seen.insert(module.clone());
        let Some(allowed) = table.get(&module) else {
            violations.push(format!(
                "{}: module `{module}` has no row in ARCHITECTURE.md",
                path.display()
            ));
            continue;
        };
        for used in crate_paths(&library_code(&read(&path))) {
            if used != module && modules.contains(&used) && !allowed.contains(&used) {
                violations.push(format!(
                    "{}: `{module}` uses `crate::{used}`, which its row does not allow",
                    path.display()
                ));
            }
        }
    }
    for module in table.keys() {
        if !seen.contains(module) {
            violations.push(format!(
                "ARCHITECTURE.md lists `{module}`, which src/ does not have"
            ));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_table_has_no_cycle() {
    let table = table();
    // Depth-first search from each module; a module met again on the current path is a cycle.
    fn visit<'a>(
        m: &'a str,
        table: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(m) {
            return;
        }
        assert!(!path.contains(&m), "cycle: {} -> {m}", path.join(" -> "));
        path.push(m);
        for next in table.get(m).into_iter().flatten() {
            visit(next, table, path, done);
        }
        path.pop();
        done.insert(m);
    }
    let mut done = BTreeSet::new();
    for m in table.keys() {
        visit(m, &table, &mut Vec::new(), &mut done);
    }
}

/// The `[dependencies]` (and target-specific dependencies) of a Cargo manifest: crate names.
fn dependencies(manifest: &Path) -> BTreeSet<String> {
    let text = read(manifest);
    let mut out = BTreeSet::new();
    let mut in_deps = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]"
                || (line.starts_with("[target.") && line.ends_with(".dependencies]"));
            continue;
        }
        if in_deps && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                out.insert(name.trim().to_string());
            }
        }
    }
    out
}

#[test]
fn the_engine_crate_depends_on_no_cli_parser_process_handling_or_schema_validator() {
    let engine = dependencies(&root().join("Cargo.toml"));
    for name in [
        "clap",
        "annotate-snippets",
        "rustix",
        "wait-timeout",
        "jsonschema",
        "scalingo-manifest-conformance",
        "scalingo-manifest-cli",
    ] {
        assert!(
            !engine.contains(name),
            "the engine depends on {name} (ARCHITECTURE.md, Crates)"
        );
    }
    let kit = dependencies(&root().join("conformance/Cargo.toml"));
    assert!(kit.contains("scalingo-manifest"));
    for name in ["clap", "scalingo-manifest-cli"] {
        assert!(
            !kit.contains(name),
            "the conformance kit depends on {name} (ARCHITECTURE.md, Crates)"
        );
    }
}

#[test]
fn the_engine_does_no_io_and_does_not_know_its_harness() {
    let forbidden = [
        "std::fs",
        "std::process",
        "std::env",
        "std::thread",
        "std::io::stdin",
        "std::io::stdout",
        "TcpStream",
        "UdpSocket",
        "SystemTime",
        "Instant",
        "scalingo_manifest_conformance",
        "scalingo_manifest_cli",
    ];
    let mut found = Vec::new();
    for (_, path) in engine_files() {
        let code = library_code(&read(&path));
        for name in forbidden {
            if code.contains(name) {
                found.push(format!("{}: {name}", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "ARCHITECTURE.md, Invariants: the engine does no I/O and does not know its harness:\n{}",
        found.join("\n")
    );
}

#[test]
fn crate_paths_reads_plain_and_grouped_paths() {
    let code = "use crate::diag::{self, Code};\nuse crate::{text, manifest::Manifest};\nlet x = crate::platform::on();";
    let got: Vec<String> = crate_paths(code).into_iter().collect();
    assert_eq!(got, ["diag", "manifest", "platform", "text"]);
}
