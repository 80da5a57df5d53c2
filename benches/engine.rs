//! The engine's benchmarks (PERFORMANCE.md): each group measures a floor and the engine's
//! work on the same input in the same run, so that `scripts/bench-report.py` can state the
//! engine's cost as a ratio to the floor, which holds on a noisy machine where absolute
//! times do not.
//!
//! * `corpus`: every manifest of the shared corpus of real manifests (`$SCALINGO_MANIFEST_CORPUS`,
//!   else `../shared/corpus`; the bundled examples of `spec/examples/manifests` when it is
//!   absent): `serde_json::from_slice::<Value>` (the floor), `jsonc_parser::parse_to_ast` (the
//!   parser the engine's reader is built on) and `manifest::check`.
//! * `procfile`: every Procfile of the corpus: splitting into lines (the floor), and
//!   `procfile::parse`.
//! * `large`: documents at the limits: about 1 MB of env values, 10,000 env entries (ten times
//!   `LIM-3`, so most are reported), nesting at the depth limit (`LIM-2`), and 1 MiB of
//!   missing commas (at most 1,000 findings are kept, `LIM-7`).
//! * `resolve`: a review app at growing sizes (100 to 10,000 parent variables, 1,000 parent
//!   addons, 1,000 deployment attempts); the floor parses the scenario's JSON. Each is
//!   reported per element, so a cost that is not linear shows.
//!
//! `cargo bench --bench engine` measures; `cargo test --bench engine` (and so the plain
//! `cargo test` of the README, this target has `test = true`) runs each benchmark once, as a
//! smoke test that keeps them from rotting.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Value};

use scalingo_manifest::{check, procfile, resolve, Date, OutcomeStatus, Scenario};

/// The day every benchmark checks manifests as of (fixed, as in the tests).
fn day() -> Date {
    "2026-12-07".parse().expect("a date")
}

/// The shared corpus, or `None` when it is absent.
fn corpus_root() -> Option<PathBuf> {
    let root = std::env::var_os("SCALINGO_MANIFEST_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    root.is_dir().then_some(root)
}

/// Every file under `dir` (recursively), sorted by path, with its bytes.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// The manifests and the Procfiles to measure: the corpus's, else the bundled examples.
fn inputs() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let (manifests, procfiles): (Vec<_>, Vec<_>) = match corpus_root() {
        Some(root) => files_under(&root)
            .into_iter()
            .filter(|(p, _)| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name.ends_with(".json") || name.ends_with("Procfile")
            })
            .partition(|(p, _)| p.extension().is_some_and(|e| e == "json")),
        None => {
            let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/examples/manifests");
            (files_under(&examples), Vec::new())
        }
    };
    let bytes = |v: Vec<(PathBuf, Vec<u8>)>| v.into_iter().map(|(_, b)| b).collect();
    (bytes(manifests), bytes(procfiles))
}

fn corpus(c: &mut Criterion) {
    let (manifests, procfiles) = inputs();
    let total: usize = manifests.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("floor serde_json", |b| {
        b.iter(|| {
            for m in &manifests {
                black_box(serde_json::from_slice::<Value>(black_box(m)).ok());
            }
        })
    });
    group.bench_function("jsonc_parser ast", |b| {
        let texts: Vec<String> = manifests
            .iter()
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .collect();
        b.iter(|| {
            for t in &texts {
                let options = jsonc_parser::ParseOptions::default();
                black_box(jsonc_parser::parse_to_ast(
                    black_box(t),
                    &Default::default(),
                    &options,
                ))
                .ok();
            }
        })
    });
    group.bench_function("check", |b| {
        let date = day();
        b.iter(|| {
            for m in &manifests {
                black_box(check(black_box(m), date));
            }
        })
    });
    group.finish();

    if procfiles.is_empty() {
        return;
    }
    let total: usize = procfiles.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("procfile");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("floor lines", |b| {
        b.iter(|| {
            for p in &procfiles {
                black_box(String::from_utf8_lossy(black_box(p)).lines().count());
            }
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            for p in &procfiles {
                black_box(procfile::parse(black_box(p)));
            }
        })
    });
    group.finish();
}

/// About 1 MB of env values: 100 entries of 10,000 characters.
fn one_megabyte() -> Vec<u8> {
    let env: serde_json::Map<String, Value> = (0..100)
        .map(|i| (format!("VAR_{i}"), json!({ "value": "x".repeat(10_000) })))
        .collect();
    serde_json::to_vec(&json!({ "name": "large", "env": env })).expect("JSON")
}

/// `n` env entries (past `LIM-3`'s 1,000, the others are reported).
fn env_entries(n: usize) -> Vec<u8> {
    let env: serde_json::Map<String, Value> = (0..n)
        .map(|i| (format!("VAR_{i}"), json!({ "value": format!("v{i}") })))
        .collect();
    serde_json::to_vec(&json!({ "env": env })).expect("JSON")
}

/// Arrays nested to the depth limit inside `name` (an error, but parsed to the end).
fn deep() -> Vec<u8> {
    let depth = 31;
    format!("{{\"name\": {}{}}}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
}

/// 1 MiB of `[1 1 1 ...]` (`separator` `" "`: half a million missing commas, of which
/// `LIM-7` keeps 1,000), or of `[1,1,1 ...]` (`","`: the same values written right, which
/// serde_json reads to the end: the floor).
fn numbers(separator: &str) -> Vec<u8> {
    let mut text = String::from("{\"name\": [1");
    while text.len() < (1 << 20) - 4 {
        text.push_str(separator);
        text.push('1');
    }
    text.push_str("]}");
    text.into_bytes()
}

fn large(c: &mut Criterion) {
    // Each document, and the one its floor parses (itself, unless serde_json would stop
    // at its first error).
    let docs = [
        ("1 MB of values", one_megabyte(), None),
        ("10k env entries", env_entries(10_000), None),
        ("nesting at the limit", deep(), None),
        ("1 MiB of missing commas", numbers(" "), Some(numbers(","))),
    ];
    let date = day();
    // The first is valid; the others are read to the end, findings and all.
    assert!(check(&docs[0].1, date).is_valid());
    let mut group = c.benchmark_group("large");
    group.sample_size(20);
    for (name, bytes, floor) in &docs {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let floor = floor.as_ref().unwrap_or(bytes);
        group.bench_with_input(BenchmarkId::new("floor serde_json", name), floor, |b, m| {
            b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(m)).ok()))
        });
        group.bench_with_input(BenchmarkId::new("check", name), bytes, |b, m| {
            b.iter(|| black_box(check(black_box(m), date)))
        });
    }
    group.finish();
}

/// A review app whose parent has `vars` variables and `addons` addons, deployed
/// `attempts` times, with a manifest of a few rules.
fn review_app(vars: usize, addons: usize, attempts: usize) -> Value {
    let env: serde_json::Map<String, Value> = (0..vars)
        .map(|i| (format!("PARENT_VAR_{i}"), json!(format!("value-{i}"))))
        .collect();
    let parent_addons: Vec<Value> = (0..addons)
        .map(|i| json!({ "addon": format!("provider{i}"), "plan": format!("provider{i}-starter") }))
        .collect();
    let manifest = json!({
        "env": {
            "PARENT_VAR_0": { "value": "overridden" },
            "SECRET_KEY_BASE": { "generator": "secret" },
            "APP_URL": { "generator": "url" }
        },
        "scripts": { "first-deploy": "bundle exec rake db:setup" }
    });
    let attempts: Vec<Value> = (0..attempts)
        .map(|i| {
            if i % 3 == 0 {
                json!({ "hook": { "exit": 1 } })
            } else {
                json!({})
            }
        })
        .collect();
    json!({
        "kind": "review-app",
        "date": "2026-12-07",
        "seed": 7,
        "app": { "name": "my-app-pr1" },
        "pr_number": 1,
        "parent": {
            "name": "my-app",
            "env": env,
            "addons": parent_addons,
            "formation": { "web": { "amount": 1, "size": "M" } }
        },
        "repository": { "files": {
            "scalingo.json": manifest.to_string(),
            "Procfile": "web: bin/start\npostdeploy: bin/migrate\n"
        } },
        "attempts": attempts
    })
}

fn resolution(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve");
    group.sample_size(20);
    let cases = [
        ("env", 100, review_app(100, 0, 1)),
        ("env", 1_000, review_app(1_000, 0, 1)),
        ("env", 10_000, review_app(10_000, 0, 1)),
        ("addons", 1_000, review_app(0, 1_000, 1)),
        ("attempts", 1_000, review_app(0, 0, 1_000)),
    ];
    for (what, n, value) in &cases {
        let text = serde_json::to_vec(value).expect("JSON");
        let scenario: Scenario = serde_json::from_slice(&text).expect("a scenario");
        // Measure a whole resolution, not an early stop.
        let outcome = resolve(&scenario);
        assert_eq!(outcome.status, OutcomeStatus::Ok, "{what} {n}");
        assert!(outcome
            .hooks
            .is_some_and(|h| h.len() == value["attempts"].as_array().map_or(0, Vec::len)));
        group.throughput(Throughput::Elements(*n as u64));
        group.bench_with_input(
            BenchmarkId::new(format!("floor serde_json {what}"), n),
            &text,
            |b, t| b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(t)).ok())),
        );
        group.bench_with_input(BenchmarkId::new(*what, n), &scenario, |b, s| {
            b.iter(|| black_box(resolve(black_box(s))))
        });
    }
    group.finish();
}

criterion_group!(benches, corpus, large, resolution);
criterion_main!(benches);
