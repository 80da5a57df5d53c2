//! Regenerates the fuzz seeds `fuzz/seeds/<target>/` from the spec (run through
//! `fuzz/gen-seeds.sh`; see `fuzz/README.md`).
//!
//! Sources, all under the repository's `spec/`:
//!
//! - `examples/manifests/*.json`: manifests (`parse_manifest`);
//! - `examples/scenarios/*.json`: scenarios as they are (`resolve_scenario`), and their
//!   manifest files and Procfiles (`parse_manifest`, `parse_procfile`);
//! - `vectors/**/*.json`, when the folder exists: every JSON object that reads as a
//!   scenario (`resolve_scenario`), every string stored under a key naming a manifest file
//!   (`scalingo.json`, `app.json`, `manifest`) or a Procfile, and every string that is a
//!   JSON object text (`parse_manifest`);
//! - the `Example:` lines of `manifest.md` and `procfile.md`: their backticked inputs.
//!
//! Plus a few structured seeds for `resolve_scenario` (fixed bytes that do not start with
//! `{`, decoded with `arbitrary`). Seeds are named after their source and deduplicated by
//! content; the output is the same on every run.
//!
//! Usage: `gen_seeds <repository root>`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use scalingo_manifest::scenario::Scenario;
use serde_json::Value;

/// Seeds of one target: content -> name (first name wins).
#[derive(Default)]
struct Seeds {
    by_content: BTreeMap<Vec<u8>, String>,
}

impl Seeds {
    fn add(&mut self, name: &str, content: Vec<u8>) {
        if content.is_empty() || content.len() > 64 * 1024 {
            return;
        }
        self.by_content.entry(content).or_insert_with(|| slug(name));
    }

    /// Writes the seeds into `dir` (emptied first); names made unique with `-2`, `-3`...
    fn write(&self, dir: &Path) -> std::io::Result<usize> {
        if dir.exists() {
            fs::remove_dir_all(dir)?;
        }
        fs::create_dir_all(dir)?;
        let mut by_name: BTreeMap<&str, Vec<&[u8]>> = BTreeMap::new();
        for (content, name) in &self.by_content {
            by_name.entry(name).or_default().push(content);
        }
        let mut count = 0;
        for (name, contents) in by_name {
            for (i, content) in contents.iter().enumerate() {
                let file = if i == 0 {
                    name.to_string()
                } else {
                    format!("{name}-{}", i + 1)
                };
                fs::write(dir.join(file), content)?;
                count += 1;
            }
        }
        Ok(count)
    }
}

/// A file-name-safe, lowercase version of `s`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(80).collect()
}

/// JSON files under `dir`, recursively, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(json_files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_manifest_name(key: &str) -> bool {
    let base = key.rsplit('/').next().unwrap_or(key);
    matches!(base, "scalingo.json" | "app.json" | "manifest")
}

fn is_procfile_name(key: &str) -> bool {
    let base = key.rsplit('/').next().unwrap_or(key);
    base == "Procfile" || base == "procfile"
}

struct All {
    manifest: Seeds,
    procfile: Seeds,
    scenario: Seeds,
}

impl All {
    /// The files of a scenario: manifests and Procfiles.
    fn scenario_files(&mut self, name: &str, s: &Scenario) {
        for (path, text) in &s.repository.files {
            let seed = format!("{name}-{path}");
            if is_manifest_name(path) {
                self.manifest.add(&seed, text.clone().into_bytes());
            } else if is_procfile_name(path) {
                self.procfile.add(&seed, text.clone().into_bytes());
            }
        }
    }

    /// Everything a vector holds (its format is not assumed; see the module docs).
    fn walk(&mut self, name: &str, key: &str, v: &Value) {
        match v {
            Value::Object(members) => {
                if let Ok(s) = serde_json::from_value::<Scenario>(v.clone()) {
                    if let Ok(bytes) = serde_json::to_vec(&s) {
                        self.scenario.add(name, bytes);
                    }
                    self.scenario_files(name, &s);
                    return;
                }
                for (k, child) in members {
                    self.walk(name, k, child);
                }
            }
            Value::Array(items) => {
                for child in items {
                    self.walk(name, key, child);
                }
            }
            Value::String(text) => {
                let seed = format!("{name}-{key}");
                if is_procfile_name(key) {
                    self.procfile.add(&seed, text.clone().into_bytes());
                } else if is_manifest_name(key) || text.trim_start().starts_with('{') {
                    self.manifest.add(&seed, text.clone().into_bytes());
                }
            }
            _ => {}
        }
    }
}

/// The backticked fragments of the `Example:` lines of a spec file (continuation lines
/// included), with `<0xHH>` decoded. With `escapes` (Procfile examples): only the
/// fragments before "gives" or "is SM", with `\xHH`, `\r`, `\n`, `\t` decoded too.
fn example_fragments(spec: &str, escapes: bool) -> Vec<Vec<Vec<u8>>> {
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in spec.lines().chain(std::iter::once("")) {
        if let Some(rest) = line.strip_prefix("Example:") {
            if let Some(done) = current.take() {
                examples.push(done);
            }
            current = Some(rest.to_string());
        } else if line.is_empty() || line.starts_with('#') {
            if let Some(done) = current.take() {
                examples.push(done);
            }
        } else if let Some(cur) = current.as_mut() {
            cur.push(' ');
            cur.push_str(line);
        }
    }
    examples
        .iter()
        .map(|example| {
            // A Procfile example's input is what comes before "gives" / "is"; a manifest
            // example's inputs are all its JSON fragments (filtered by the caller).
            let input = if escapes {
                example
                    .split(" gives ")
                    .next()
                    .unwrap_or(example)
                    .split(" is SM")
                    .next()
                    .unwrap_or(example)
            } else {
                example.as_str()
            };
            input
                .split('`')
                .skip(1)
                .step_by(2)
                .map(|f| decode(f, escapes))
                .filter(|f| !f.is_empty())
                .collect()
        })
        .collect()
}

fn decode(fragment: &str, escapes: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = fragment.as_bytes();
    let mut i = 0;
    let hex = |s: &[u8]| {
        std::str::from_utf8(s)
            .ok()
            .and_then(|s| u8::from_str_radix(s, 16).ok())
    };
    while i < bytes.len() {
        if bytes[i..].starts_with(b"<0x") && bytes.get(i + 5) == Some(&b'>') {
            if let Some(b) = hex(&bytes[i + 3..i + 5]) {
                out.push(b);
                i += 6;
                continue;
            }
        }
        if escapes && bytes[i] == b'\\' {
            match bytes.get(i + 1) {
                Some(b'n') => {
                    out.push(b'\n');
                    i += 2;
                    continue;
                }
                Some(b'r') => {
                    out.push(b'\r');
                    i += 2;
                    continue;
                }
                Some(b't') => {
                    out.push(b'\t');
                    i += 2;
                    continue;
                }
                Some(b'x') => {
                    if let Some(b) = bytes.get(i + 2..i + 4).and_then(hex) {
                        out.push(b);
                        i += 4;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Fixed, reproducible bytes (xorshift) for the structured mode of `resolve_scenario`.
fn structured_seeds(n: usize, len: usize) -> Vec<Vec<u8>> {
    let mut state: u64 = 0x5ca1_1b90_f00d_0001;
    (0..n)
        .map(|_| {
            let mut v: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            if v.first() == Some(&b'{') {
                v[0] = 0;
            }
            v
        })
        .collect()
}

fn run(root: &Path) -> Result<(), String> {
    let spec = root.join("spec");
    let read = |p: &Path| fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut all = All {
        manifest: Seeds::default(),
        procfile: Seeds::default(),
        scenario: Seeds::default(),
    };

    for path in json_files(&spec.join("examples/manifests")) {
        all.manifest
            .add(&format!("example-{}", stem(&path)), read(&path)?);
    }
    for path in json_files(&spec.join("examples/scenarios")) {
        let bytes = read(&path)?;
        let name = format!("example-{}", stem(&path));
        let s: Scenario = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{}: not a scenario: {e}", path.display()))?;
        all.scenario_files(&name, &s);
        // The target reads input starting with `{` as a scenario's JSON form.
        let text = String::from_utf8_lossy(&bytes)
            .trim_start()
            .as_bytes()
            .to_vec();
        all.scenario.add(&name, text);
    }
    let vectors = spec.join("vectors");
    let vector_files = json_files(&vectors);
    for path in &vector_files {
        let bytes = read(path)?;
        let rel = path.strip_prefix(&vectors).unwrap_or(path);
        let name = format!("vector-{}", rel.with_extension("").display());
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => all.walk(&name, "", &v),
            Err(e) => eprintln!("skipped {}: {e}", path.display()),
        }
    }
    for (file, escapes, seeds) in [
        ("manifest.md", false, &mut all.manifest),
        ("procfile.md", true, &mut all.procfile),
    ] {
        let text = fs::read_to_string(spec.join(file)).map_err(|e| format!("{file}: {e}"))?;
        for (i, fragments) in example_fragments(&text, escapes).into_iter().enumerate() {
            let name = format!("spec-{}-example-{}", file.trim_end_matches(".md"), i + 1);
            if file == "procfile.md" {
                // `a` / `b` / `c`: the lines of one Procfile.
                let mut joined = fragments.join(&b"\n"[..]);
                if !joined.is_empty() && !joined.ends_with(b"\n") && !joined.ends_with(b"\r") {
                    joined.push(b'\n');
                }
                seeds.add(&name, joined);
            } else {
                for f in fragments {
                    if matches!(f.first(), Some(b'{' | b'[' | b'"')) {
                        seeds.add(&name, f);
                    }
                }
            }
        }
    }
    for (i, bytes) in structured_seeds(8, 512).into_iter().enumerate() {
        all.scenario.add(&format!("structured-{}", i + 1), bytes);
    }

    let out = root.join("fuzz/seeds");
    for (target, seeds) in [
        ("parse_manifest", &all.manifest),
        ("manifest_roundtrip", &all.manifest),
        ("schema_agreement", &all.manifest),
        ("parse_procfile", &all.procfile),
        ("resolve_scenario", &all.scenario),
    ] {
        let n = seeds
            .write(&out.join(target))
            .map_err(|e| format!("{target}: {e}"))?;
        println!("fuzz/seeds/{target}: {n} seeds");
    }
    if vector_files.is_empty() {
        println!(
            "(spec/vectors has no JSON files yet: seeds from the examples and spec text only)"
        );
    } else {
        println!("(read {} vector files)", vector_files.len());
    }
    Ok(())
}

fn main() -> ExitCode {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")));
    match run(&root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_seeds: {e}");
            ExitCode::FAILURE
        }
    }
}
