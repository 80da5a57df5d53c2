//! The versioned archive of the suite (`scalingo-manifest conformance pack`), the form in
//! which implementers take the suite (`spec/vectors.md`, "Releases"): a reproducible
//! `scalingo-manifest-suite-<version>.tar.gz` whose one folder holds `spec/` as in the
//! repository (the normative spec, `*.md`, and the suite, `spec/vectors/`: the cases,
//! `index.json`, the two schemas, `retired.json`), a `README.md` naming the version and
//! content hash, and `CHANGES.md`, the ids added, changed and retired since an earlier
//! suite's `index.json`.
//!
//! The archive is a pure function of the files: entries in byte order of their paths,
//! modification time 0, owner 0, mode 0644, a gzip header without time or name; the same
//! suite always gives the same bytes (and so the same SHA-256).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use flate2::{Compression, GzBuilder};

use super::case::{self, RetiredCase, SuiteIndex};
use super::files;

/// What [`pack`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    /// The archive's path.
    pub path: PathBuf,
    /// SHA-256 of the archive's bytes, lowercase hex.
    pub sha256: String,
    /// The suite's version.
    pub version: String,
    /// How many files it holds.
    pub files: usize,
}

/// The changes between an earlier suite (`old`, its `index.json`) and this one (`new`,
/// with `retired`): case ids added, changed (their file's SHA-256 differs) and retired
/// (in `old`, not in `new`; with their reason from `retired.json`), as Markdown.
pub fn changes(old: Option<&SuiteIndex>, new: &SuiteIndex, retired: &[RetiredCase]) -> String {
    let mut out = format!("# Changes in suite {}\n\n", new.version);
    let Some(old) = old else {
        out.push_str(&format!(
            "The first packed suite: its {} cases are all new. Later archives list the ids added, changed and retired since an earlier suite.\n",
            new.count
        ));
        return out;
    };
    let before: BTreeMap<&str, &str> = old
        .cases
        .iter()
        .map(|e| (e.id.as_str(), e.sha256.as_str()))
        .collect();
    let now: BTreeMap<&str, &case::IndexEntry> =
        new.cases.iter().map(|e| (e.id.as_str(), e)).collect();
    let added: Vec<&case::IndexEntry> = new
        .cases
        .iter()
        .filter(|e| !before.contains_key(e.id.as_str()))
        .collect();
    let changed: Vec<&case::IndexEntry> = new
        .cases
        .iter()
        .filter(|e| before.get(e.id.as_str()).is_some_and(|h| *h != e.sha256))
        .collect();
    let reasons: BTreeMap<&str, &str> = retired
        .iter()
        .map(|r| (r.id.as_str(), r.reason.as_str()))
        .collect();
    let gone: Vec<&str> = old
        .cases
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| !now.contains_key(id))
        .collect();
    out.push_str(&format!(
        "Since suite {} (sha256 {}): {} added, {} changed, {} retired.\n",
        old.version,
        old.sha256,
        added.len(),
        changed.len(),
        gone.len()
    ));
    let entry = |e: &case::IndexEntry| {
        format!(
            "- {} ({}, {}; {})\n",
            e.id,
            e.capability,
            e.status.as_str(),
            e.rules.join(", ")
        )
    };
    for (title, list) in [("Added", &added), ("Changed", &changed)] {
        if !list.is_empty() {
            out.push_str(&format!("\n## {title}\n\n"));
            for e in list.iter() {
                out.push_str(&entry(e));
            }
        }
    }
    if !gone.is_empty() {
        out.push_str("\n## Retired\n\n");
        for id in gone {
            out.push_str(&format!(
                "- {id}: {}\n",
                reasons
                    .get(id)
                    .copied()
                    .unwrap_or("(no reason in retired.json)")
            ));
        }
    }
    out
}

/// Writes the archive of the suite in `spec_dir` (`spec/`, holding `vectors/`) to
/// `out_dir`, with `CHANGES.md` against the earlier index `since` (none: a first archive).
/// The suite must verify against its index ([`case::suite_identity`]): run `conformance
/// regen` first.
///
/// # Errors
/// A message when the suite does not verify, a file cannot be read, or the archive cannot
/// be written.
pub fn pack(spec_dir: &Path, out_dir: &Path, since: Option<&SuiteIndex>) -> Result<Packed, String> {
    let vectors = spec_dir.join("vectors");
    let identity = case::suite_identity(&vectors)?;
    if !identity.verified {
        return Err(format!(
            "{}: the files do not hash to index.json: run `scalingo-manifest conformance regen` first",
            vectors.display()
        ));
    }
    let index = case::read_index(&vectors.join("index.json"))?;
    let retired = case::load_retired(&vectors)?;
    let root = format!("scalingo-manifest-suite-{}", index.version);

    // (path in the archive, bytes), sorted by path.
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut pages_bytes = 0u64;
    for path in files::list_folder(spec_dir, files::MAX_FOLDER_ENTRIES)? {
        if path.extension().is_some_and(|e| e == "md") && path.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = files::read_text(&path, files::MAX_SPEC_FILE_BYTES)?;
            pages_bytes += text.len() as u64;
            if pages_bytes > files::MAX_SPEC_PAGES_BYTES {
                return Err(format!(
                    "{}: the spec pages hold more than {} bytes together: not packed",
                    spec_dir.display(),
                    files::MAX_SPEC_PAGES_BYTES
                ));
            }
            entries.insert(format!("{root}/spec/{name}"), text.into_bytes());
        }
    }
    // The files the index hashes, as read now: a file changed since `suite_identity` read
    // it would be packed under a hash it no longer has.
    let mut hashed: Vec<(String, String)> = Vec::with_capacity(index.cases.len() + 3);
    let mut budget = files::SuiteBudget::default();
    for e in &index.cases {
        let text = budget.read_case(&vectors.join(&e.path))?;
        hashed.push((e.path.clone(), case::sha256_hex(text.as_bytes())));
        entries.insert(format!("{root}/spec/vectors/{}", e.path), text.into_bytes());
    }
    for (name, limit) in [
        ("index.json", files::MAX_SUITE_INDEX_BYTES),
        ("retired.json", files::MAX_RETIRED_FILE_BYTES),
        ("case.schema.json", files::MAX_CASE_SCHEMA_BYTES),
        ("report.schema.json", files::MAX_CASE_SCHEMA_BYTES),
    ] {
        let text = files::read_text(&vectors.join(name), limit)?;
        if name != "index.json" {
            hashed.push((name.to_string(), case::sha256_hex(text.as_bytes())));
        }
        entries.insert(format!("{root}/spec/vectors/{name}"), text.into_bytes());
    }
    if case::content_hash(&hashed) != index.sha256 {
        return Err(format!(
            "{}: the files changed while they were packed: pack again",
            vectors.display()
        ));
    }
    entries.insert(
        format!("{root}/CHANGES.md"),
        changes(since, &index, &retired).into_bytes(),
    );
    entries.insert(format!("{root}/README.md"), readme(&index).into_bytes());

    let bytes = archive(&entries).map_err(|e| format!("the archive: {e}"))?;
    fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let path = out_dir.join(format!("{root}.tar.gz"));
    // Written beside it, then renamed: a failed write leaves no partial archive under the
    // archive's name.
    let partial = out_dir.join(format!("{root}.tar.gz.partial"));
    fs::write(&partial, &bytes).map_err(|e| format!("{}: {e}", partial.display()))?;
    fs::rename(&partial, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Packed {
        path,
        sha256: case::sha256_hex(&bytes),
        version: index.version,
        files: entries.len(),
    })
}

/// The archive's `README.md`.
fn readme(index: &SuiteIndex) -> String {
    format!(
        "# scalingo-manifest conformance suite {version}\n\n\
         {count} cases for implementations of Scalingo's deploy manifest (`scalingo.json`, `app.json`) \
         and Procfile, with the normative spec they test.\n\n\
         - `spec/vectors/`: the cases (`<capability>/<id>.json`), `index.json` (content hash \
         `{sha}`), `case.schema.json`, `report.schema.json`, `retired.json`; \
         `spec/vectors.md` describes them.\n\
         - `spec/protocol.md`: how a runner drives an implementation; `spec/*.md`: the rules \
         the cases cite.\n\
         - `CHANGES.md`: the ids added, changed and retired.\n\n\
         Check the copy: `cd spec/vectors && {{ jq -r '.cases[].path' index.json; printf '%s\\n' \
         retired.json case.schema.json report.schema.json; }} | LC_ALL=C sort | xargs sha256sum | \
         sha256sum` prints `{sha}`.\n\n\
         Run it: `scalingo-manifest conformance run --suite spec/vectors --impl 'COMMAND'` \
         (the runner reports `suite {version}, sha256 {sha}`).\n",
        version = index.version,
        count = index.count,
        sha = index.sha256,
    )
}

/// A gzip-compressed tar of `entries`, reproducible (see the module documentation).
fn archive(entries: &BTreeMap<String, Vec<u8>>) -> std::io::Result<Vec<u8>> {
    let gz = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (path, bytes) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, path, bytes.as_slice())?;
    }
    let mut gz = tar.into_inner()?;
    gz.flush()?;
    gz.finish()
}
