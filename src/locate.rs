//! `locate`: which manifest file and which Procfile a deploy reads (spec `spec/locate.md`,
//! rules `LOC-1` .. `LOC-8`, codes `SM0700`–`SM0799`).
//!
//! Inputs are the repository's file paths (relative, `/`-separated, such as
//! `api/scalingo.json`) and the app's `PROJECT_DIR` (decision D-3: it comes from the app's
//! environment, never from the manifest). The search (decision D-2) starts in `PROJECT_DIR`
//! and goes up to the repository root; in each folder `scalingo.json` is tried, then
//! `app.json`; the first file found wins. The Procfile is `<PROJECT_DIR>/Procfile` only.
//!
//! ```
//! use scalingo_manifest::locate::locate;
//! let found = locate(["scalingo.json", "api/app.json", "api/Procfile"], Some("api/"));
//! assert_eq!(found.project_dir, "api");
//! assert_eq!(found.manifest.as_deref(), Some("api/app.json"));
//! assert_eq!(found.procfile.as_deref(), Some("api/Procfile"));
//! assert_eq!(found.searched, ["api/scalingo.json", "api/app.json"]);
//! ```

#![allow(
    clippy::result_large_err,
    reason = "the team API returns `Result<_, Diagnostic>`; these run once per deploy, not in hot loops"
)]

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};

use crate::diag::{self, Code, Diagnostic};

/// Longest accepted `PROJECT_DIR` and repository path, in bytes (rule `LOC-1`, `LOC-2`).
pub const MAX_PATH_BYTES: usize = 4096;
/// Most repository paths a tree may list (rule `LOC-2`); a longer tree is an error.
pub const MAX_PATHS: usize = 10_000;
/// Most "invalid repository path" diagnostics reported for one tree (rule `LOC-2`); the
/// rest are counted in one note.
pub const MAX_PATH_DIAGNOSTICS: usize = 100;
/// Manifest file names, in priority order within one folder (rule `LOC-4`).
pub const MANIFEST_NAMES: [&str; 2] = ["scalingo.json", "app.json"];
/// The Procfile's file name (rule `LOC-8`).
pub(crate) const PROCFILE_NAME: &str = "Procfile";
/// JSON pointer used for diagnostics about `PROJECT_DIR`.
pub(crate) const PROJECT_DIR_POINTER: &str = "/project_dir";
/// JSON pointer prefix used for diagnostics about repository paths: the path at position
/// `i` (0-based, in the order given) is `/files/<i>`.
pub(crate) const FILES_POINTER: &str = "/files";

/// Whether [`locate`] reads or reports a file of this name (its base name, without a
/// folder): a manifest name or `Procfile`, in any case (rules `LOC-5`, `LOC-7`, `LOC-8`).
/// Locate's answer for a tree depends only on such files and on which folders exist, so
/// a tool that copies a repository into a scenario may leave the other files' contents out.
pub fn reads_name(name: &str) -> bool {
    MANIFEST_NAMES
        .iter()
        .chain(std::iter::once(&PROCFILE_NAME))
        .any(|wanted| name.eq_ignore_ascii_case(wanted))
}

/// What [`locate`] found (rules `LOC-1` .. `LOC-8`).
///
/// * `manifest`: repository path of the manifest read (`"api/app.json"`), or `None` when
///   there is none (decision D-1: that is fine) or when the search could not run (an
///   error diagnostic says why).
/// * `procfile`: repository path of the Procfile read (`"api/Procfile"`), or `None`.
/// * `project_dir`: the normalised `PROJECT_DIR` (`""` for the repository root, no leading
///   or trailing `/`); `""` too when `PROJECT_DIR` is invalid.
/// * `searched`: the candidate manifest paths in the order tried, up to and including the
///   winner (empty when the search could not run).
/// * `diagnostics`: findings, in the order they were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located {
    /// Path of the manifest read, if any.
    pub manifest: Option<String>,
    /// Path of the Procfile read, if any.
    pub procfile: Option<String>,
    /// Normalised `PROJECT_DIR` (`""` = repository root).
    pub project_dir: String,
    /// Candidate manifest paths in the order tried, up to and including the winner.
    pub searched: Vec<String>,
    /// Findings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Normalises a raw `PROJECT_DIR` value into a repository-relative folder path (rule
/// `LOC-1`).
///
/// Returns `""` for the repository root, otherwise segments joined by single `/` with no
/// leading or trailing `/`: `""`, `"."`, `"/"` give `""`; `"api/"`, `"./api"`, `"/api"` give
/// `"api"`; `"a//b"` gives `"a/b"`. Empty and `.` segments are dropped; a leading `/` means
/// the repository root (not the builder's file system root).
///
/// # Errors
/// A diagnostic (pointer `/project_dir`) when the value is longer than 4096 bytes
/// (`SM0703`), contains a control character such as NUL or a line break (`SM0701`), a
/// backslash (`SM0702`), or a `..` segment anywhere, even `a/../b` (`SM0700`). The result is
/// therefore always inside the repository.
pub fn normalize_project_dir(raw: &str) -> Result<String, Diagnostic> {
    if raw.len() > MAX_PATH_BYTES {
        return Err(Diagnostic::new(
            Code::ProjectDirTooLong,
            format!(
                "PROJECT_DIR is {} bytes long; at most {MAX_PATH_BYTES} bytes are accepted",
                raw.len()
            ),
        )
        .with_pointer(PROJECT_DIR_POINTER)
        .with_hint("set PROJECT_DIR to the folder of the app, relative to the repository root"));
    }
    if raw.chars().any(char::is_control) {
        return Err(Diagnostic::new(
            Code::ProjectDirControl,
            format!(
                "PROJECT_DIR {} contains a control character",
                diag::backticked(raw)
            ),
        )
        .with_pointer(PROJECT_DIR_POINTER)
        .with_hint("remove the NUL, tab or line break (often a copy-paste accident)"));
    }
    if raw.contains('\\') {
        return Err(Diagnostic::new(
            Code::ProjectDirBackslash,
            format!("PROJECT_DIR {} contains a backslash", diag::backticked(raw)),
        )
        .with_pointer(PROJECT_DIR_POINTER)
        .with_hint(format!(
            "separate folders with `/`: {}",
            diag::backticked(&raw.replace('\\', "/"))
        )));
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in raw.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                return Err(Diagnostic::new(
                    Code::ProjectDirParent,
                    format!("PROJECT_DIR {} has a `..` segment", diag::backticked(raw)),
                )
                .with_pointer(PROJECT_DIR_POINTER)
                .with_hint("PROJECT_DIR must name a folder inside the repository, without `..`"));
            }
            s => segments.push(s),
        }
    }
    Ok(segments.join("/"))
}

/// Finds the manifest and the Procfile a deploy reads (rules `LOC-1` .. `LOC-8`).
///
/// `paths` are the repository's file paths, relative and `/`-separated
/// (`"api/scalingo.json"`); at most [`MAX_PATHS`] are accepted (`SM0712`, then nothing is
/// located). A path that is empty, absolute, longer than 4096 bytes, or has an empty,
/// `.`, `..` or `.git` segment, a control character or a backslash is ignored with a warning
/// (`SM0710`, pointer `/files/<index>`) and never matched. `project_dir` is the app's
/// `PROJECT_DIR` (`None` = repository root); an invalid one is an error (see
/// [`normalize_project_dir`]) and then neither a manifest nor a Procfile is located: the
/// deploy cannot proceed.
///
/// Manifest (decision D-2): from `PROJECT_DIR` up to the root, in each folder
/// `scalingo.json` then `app.json`; the first existing file wins. File names are
/// case-sensitive. Procfile: `<PROJECT_DIR>/Procfile` only, never a root Procfile when
/// `PROJECT_DIR` is a subfolder. Never panics; work is linear in the size of the input.
pub fn locate<'a>(paths: impl IntoIterator<Item = &'a str>, project_dir: Option<&str>) -> Located {
    let mut diagnostics = Vec::new();
    let dir = read_project_dir(project_dir, &mut diagnostics);
    let tree = Tree::read(paths, &mut diagnostics);
    let dir = match dir {
        Some(dir) if !tree.too_many => dir,
        other => {
            return Located {
                manifest: None,
                procfile: None,
                project_dir: other.unwrap_or_default(),
                searched: Vec::new(),
                diagnostics,
            }
        }
    };
    check_project_dir_exists(&tree, &dir, &mut diagnostics);
    let walk = walk_up(&tree, &dir);
    report_manifest_case_misses(&tree, &walk, &mut diagnostics);
    let manifest = choose_manifest(&tree, &dir, &walk, &mut diagnostics);
    let procfile = find_procfile(&tree, &dir, &mut diagnostics);
    Located {
        manifest,
        procfile,
        project_dir: dir,
        searched: walk.searched,
        diagnostics,
    }
}

/// LOC-1: the normalised `PROJECT_DIR`, or `None` when it is invalid (the error is in
/// `diagnostics`); a leading `/` gets a note.
fn read_project_dir(
    project_dir: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let raw_dir = project_dir.unwrap_or("");
    match normalize_project_dir(raw_dir) {
        Ok(dir) => {
            if raw_dir.starts_with('/') && !dir.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ProjectDirLeadingSlash,
                        format!(
                            "PROJECT_DIR {} is read relative to the repository root, as `{dir}`",
                            diag::backticked(raw_dir)
                        ),
                    )
                    .with_pointer(PROJECT_DIR_POINTER)
                    .with_hint(format!("write PROJECT_DIR={dir}")),
                );
            }
            Some(dir)
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// The repository's tree as [`locate`] reads it (rule `LOC-2`).
struct Tree<'a> {
    /// Each valid path, with the index it was first given at.
    files: BTreeMap<&'a str, usize>,
    /// Folder -> the names of its files (with their indexes), for the near-miss checks.
    folders: BTreeMap<&'a str, Vec<(&'a str, usize)>>,
    /// More than [`MAX_PATHS`] paths were given: nothing is located.
    too_many: bool,
}

impl<'a> Tree<'a> {
    /// Reads `paths`: invalid ones are reported (at most [`MAX_PATH_DIAGNOSTICS`], then one
    /// count) and never matched; past [`MAX_PATHS`] the tree is too large.
    fn read(paths: impl IntoIterator<Item = &'a str>, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut files: BTreeMap<&'a str, usize> = BTreeMap::new();
        let mut invalid = 0usize;
        let mut too_many = false;
        for (index, path) in paths.into_iter().enumerate() {
            if index >= MAX_PATHS {
                too_many = true;
                break;
            }
            match check_repo_path(path) {
                Ok(()) => {
                    files.entry(path).or_insert(index);
                }
                Err(reason) => {
                    invalid += 1;
                    if invalid <= MAX_PATH_DIAGNOSTICS {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::PathInvalid,
                                format!("repository path {} is ignored: {reason}", diag::backticked(path)),
                            )
                            .with_pointer(file_pointer(index))
                            .with_hint(
                                "repository paths are relative to the root and use single `/` separators, like `api/scalingo.json`",
                            ),
                        );
                    }
                }
            }
        }
        if invalid > MAX_PATH_DIAGNOSTICS {
            diagnostics.push(
                Diagnostic::new(
                    Code::PathDiagnosticsDropped,
                    format!(
                        "{} more invalid repository paths were ignored without a diagnostic each",
                        invalid - MAX_PATH_DIAGNOSTICS
                    ),
                )
                .with_pointer(FILES_POINTER),
            );
        }
        if too_many {
            diagnostics.push(
                Diagnostic::new(
                    Code::TreeTooLarge,
                    format!("the repository tree lists more than {MAX_PATHS} paths"),
                )
                .with_pointer(FILES_POINTER)
                .with_hint("list at most 10000 paths; no manifest or Procfile is located"),
            );
        }
        let mut folders: BTreeMap<&'a str, Vec<(&'a str, usize)>> = BTreeMap::new();
        for (&path, &index) in &files {
            let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
            folders.entry(folder).or_default().push((name, index));
        }
        Tree {
            files,
            folders,
            too_many,
        }
    }

    /// The index of `path`, when the tree has it.
    fn index_of(&self, path: &str) -> Option<usize> {
        self.files.get(path).copied()
    }

    /// The names of the files directly in `folder`, with their indexes.
    fn names_in(&self, folder: &str) -> &[(&'a str, usize)] {
        self.folders.get(folder).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// LOC-3: a warning when `PROJECT_DIR` names no folder of the tree (or names a file).
fn check_project_dir_exists(tree: &Tree, dir: &str, diagnostics: &mut Vec<Diagnostic>) {
    if dir.is_empty() {
        return;
    }
    let prefix = format!("{dir}/");
    let is_folder = tree
        .files
        .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
        .next()
        .is_some_and(|(p, _)| p.starts_with(&prefix));
    if is_folder {
        return;
    }
    if let Some(index) = tree.index_of(dir) {
        diagnostics.push(
            Diagnostic::new(
                Code::ProjectDirIsFile,
                format!("PROJECT_DIR `{dir}` names a file (/files/{index}), not a folder"),
            )
            .with_pointer(PROJECT_DIR_POINTER)
            .with_hint("set PROJECT_DIR to the folder that holds the app"),
        );
    } else {
        diagnostics.push(
            Diagnostic::new(
                Code::ProjectDirMissing,
                format!("PROJECT_DIR `{dir}` names no folder of the repository"),
            )
            .with_pointer(PROJECT_DIR_POINTER)
            .with_hint(
                "the search still walks up to the repository root, but the build will not find the app's folder",
            ),
        );
    }
}

/// The manifest search from `PROJECT_DIR` up to the root (rules `LOC-4` .. `LOC-6`).
struct WalkUp {
    /// The folders from `PROJECT_DIR` up to the root (`""`).
    chain: Vec<String>,
    /// The candidate paths tried, in order, up to and including the winner.
    searched: Vec<String>,
    /// The winner: its folder's position in `chain`, and its name.
    found: Option<(usize, &'static str)>,
}

/// LOC-4 .. LOC-6: in each folder from `dir` up, `scalingo.json` then `app.json`; the first
/// existing file wins (decision D-2).
fn walk_up(tree: &Tree, dir: &str) -> WalkUp {
    let chain = ancestors(dir);
    let mut searched = Vec::new();
    let mut found = None;
    'walk: for (position, folder) in chain.iter().enumerate() {
        for name in MANIFEST_NAMES {
            let candidate = join(folder, name);
            let exists = tree.files.contains_key(candidate.as_str());
            searched.push(candidate);
            if exists {
                found = Some((position, name));
                break 'walk;
            }
        }
    }
    WalkUp {
        chain,
        searched,
        found,
    }
}

/// LOC-7: a file of a searched folder whose name is a manifest name in another case.
fn report_manifest_case_misses(tree: &Tree, walk: &WalkUp, diagnostics: &mut Vec<Diagnostic>) {
    let searched_folders = walk
        .found
        .map_or(walk.chain.len(), |(position, _)| position + 1);
    for folder in walk.chain.iter().take(searched_folders) {
        for &(name, index) in tree.names_in(folder) {
            if let Some(wanted) = MANIFEST_NAMES
                .iter()
                .find(|m| name != **m && name.eq_ignore_ascii_case(m))
            {
                let path = join(folder, name);
                diagnostics.push(
                    Diagnostic::new(
                        Code::ManifestNameCase,
                        format!(
                            "{} is not read as a manifest: manifest file names are case-sensitive",
                            diag::backticked(&path)
                        ),
                    )
                    .with_pointer(file_pointer(index))
                    .with_hint(format!("rename it to `{}`", join(folder, wanted))),
                );
            }
        }
    }
}

/// The manifest read, with what it hides: an `app.json` beside a `scalingo.json` (LOC-5)
/// and the manifests farther up (LOC-6); or a note that there is none (decision D-1).
fn choose_manifest(
    tree: &Tree,
    dir: &str,
    walk: &WalkUp,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let Some((position, name)) = walk.found else {
        let place = if dir.is_empty() {
            "at the repository root".to_string()
        } else {
            format!(
                "in `{dir}` nor in any folder up to the repository root ({} folders)",
                walk.chain.len()
            )
        };
        diagnostics.push(
            Diagnostic::new(
                Code::NoManifest,
                format!("no `scalingo.json` or `app.json` {place}"),
            )
            .with_pointer(PROJECT_DIR_POINTER)
            .with_hint(
                "a manifest is optional (decision D-1): a review app then copies its parent, a one-click app gets no defaults",
            ),
        );
        return None;
    };
    let folder = walk.chain.get(position).map(String::as_str).unwrap_or("");
    let winner = join(folder, name);
    // LOC-5: app.json next to scalingo.json.
    if name == MANIFEST_NAMES[0] {
        let other = join(folder, MANIFEST_NAMES[1]);
        if let Some(index) = tree.index_of(&other) {
            diagnostics.push(
                Diagnostic::new(
                    Code::AppJsonIgnored,
                    format!("`{other}` is ignored: `{winner}` takes priority"),
                )
                .with_pointer(file_pointer(index))
                .with_hint(
                    "keep one manifest per folder, or merge `app.json` into `scalingo.json`",
                ),
            );
        }
    }
    // LOC-6: manifests farther up are shadowed.
    for farther in walk.chain.iter().skip(position + 1) {
        for other_name in MANIFEST_NAMES {
            let other = join(farther, other_name);
            if let Some(index) = tree.index_of(&other) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ManifestShadowed,
                        format!(
                            "`{other}` is not read: `{winner}` is closer to PROJECT_DIR `{dir}`"
                        ),
                    )
                    .with_pointer(file_pointer(index)),
                );
            }
        }
    }
    Some(winner)
}

/// LOC-8: `<PROJECT_DIR>/Procfile` only; a root Procfile that is not used, and a Procfile
/// name in another case, get a warning.
fn find_procfile(tree: &Tree, dir: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let procfile_path = join(dir, PROCFILE_NAME);
    let procfile = tree
        .files
        .contains_key(procfile_path.as_str())
        .then(|| procfile_path.clone());
    if procfile.is_none() && !dir.is_empty() {
        if let Some(index) = tree.index_of(PROCFILE_NAME) {
            diagnostics.push(
                Diagnostic::new(
                    Code::RootProcfileUnused,
                    format!(
                        "the root `Procfile` is not used: the app is built from PROJECT_DIR `{dir}`, which has no Procfile"
                    ),
                )
                .with_pointer(file_pointer(index))
                .with_hint(format!("add `{procfile_path}`")),
            );
        }
    }
    for &(name, index) in tree.names_in(dir) {
        if name != PROCFILE_NAME && name.eq_ignore_ascii_case(PROCFILE_NAME) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ProcfileNameCase,
                    format!(
                        "{} is not read as the Procfile: the name is case-sensitive",
                        diag::backticked(&join(dir, name))
                    ),
                )
                .with_pointer(file_pointer(index))
                .with_hint(format!("rename it to `{procfile_path}`")),
            );
        }
    }
    procfile
}

/// Why a repository path is invalid, or `Ok` (rule `LOC-2`).
fn check_repo_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("it is empty");
    }
    if path.len() > MAX_PATH_BYTES {
        return Err("it is longer than 4096 bytes");
    }
    if path.chars().any(char::is_control) {
        return Err("it contains a control character");
    }
    if path.contains('\\') {
        return Err("it contains a backslash");
    }
    if path.starts_with('/') {
        return Err("it is absolute");
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("it has an empty segment (`//` or a trailing `/`)"),
            "." | ".." => return Err("it has a `.` or `..` segment"),
            s if s.eq_ignore_ascii_case(".git") => return Err("it is inside `.git`"),
            _ => {}
        }
    }
    Ok(())
}

/// `dir` and each of its parents, ending with the root `""`. `dir` is normalised.
fn ancestors(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = dir;
    while !current.is_empty() {
        out.push(current.to_string());
        current = current.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
    out.push(String::new());
    out
}

/// `folder/name`, or `name` at the root.
fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

fn file_pointer(index: usize) -> String {
    format!("{FILES_POINTER}/{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    // LOC-5, LOC-7, LOC-8: the names locate reads or reports, in any case.
    #[test]
    fn loc_7_reads_name_is_the_manifest_and_procfile_names_in_any_case() {
        for name in [
            "scalingo.json",
            "app.json",
            "Procfile",
            "SCALINGO.JSON",
            "App.Json",
            "procfile",
        ] {
            assert!(reads_name(name), "{name}");
        }
        for name in [
            "scalingo.json5",
            "app.jsonc",
            "Procfile.dev",
            "",
            "README.md",
            "a/Procfile",
        ] {
            assert!(!reads_name(name), "{name}");
        }
    }
    use crate::diag::Severity;

    fn codes(l: &Located) -> Vec<&str> {
        l.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    fn norm(raw: &str) -> Result<String, String> {
        normalize_project_dir(raw).map_err(|d| {
            assert_eq!(d.pointer, "/project_dir");
            assert_eq!(d.severity, Severity::Error);
            assert!(d.hint.is_some());
            d.code.to_string()
        })
    }

    // ---- LOC-1: PROJECT_DIR normalisation ----

    #[test]
    fn loc1_root_spellings() {
        for raw in ["", ".", "/", "//", "./", "/./", "././."] {
            assert_eq!(norm(raw), Ok(String::new()), "{raw:?}");
        }
    }

    #[test]
    fn loc1_normalises_separators() {
        assert_eq!(norm("api/"), Ok("api".into()));
        assert_eq!(norm("a//b"), Ok("a/b".into()));
        assert_eq!(norm("./api"), Ok("api".into()));
        assert_eq!(norm("/api"), Ok("api".into()));
        assert_eq!(norm("a/./b/"), Ok("a/b".into()));
        assert_eq!(norm("services/api/web"), Ok("services/api/web".into()));
        assert_eq!(norm("my app"), Ok("my app".into()));
        assert_eq!(norm("...").as_deref(), Ok("..."));
        assert_eq!(norm("..a/b..").as_deref(), Ok("..a/b.."));
        assert_eq!(norm("héllo/wörld").as_deref(), Ok("héllo/wörld"));
    }

    #[test]
    fn loc1_hostile_values_are_errors() {
        let cases: &[(&str, &str)] = &[
            ("..", "SM0700"),
            ("../", "SM0700"),
            ("../other-repo", "SM0700"),
            ("a/../b", "SM0700"),
            ("a/..", "SM0700"),
            ("/../etc", "SM0700"),
            ("./..", "SM0700"),
            ("api\0", "SM0701"),
            ("\0", "SM0701"),
            ("api\n", "SM0701"),
            ("a\tb", "SM0701"),
            ("api\r", "SM0701"),
            ("a\u{7f}", "SM0701"),
            ("a\u{85}", "SM0701"),
            ("api\\web", "SM0702"),
            ("..\\..\\etc", "SM0702"),
            ("C:\\app", "SM0702"),
        ];
        for (raw, code) in cases {
            assert_eq!(norm(raw), Err(code.to_string()), "{raw:?}");
        }
        let long = "a/".repeat(2049);
        assert_eq!(long.len(), 4098);
        assert_eq!(norm(&long), Err("SM0703".into()));
        let exactly = "a".repeat(4096);
        assert_eq!(norm(&exactly), Ok(exactly.clone()));
    }

    #[test]
    fn loc1_messages_escape_control_chars_and_truncate() {
        let d = normalize_project_dir("api\0x").unwrap_err();
        assert_eq!(
            d.message,
            "PROJECT_DIR `api\\u{0}x` contains a control character"
        );
        let long = format!("{}/../", "é".repeat(200));
        let d = normalize_project_dir(&long).unwrap_err();
        assert_eq!(d.code, "SM0700");
        assert!(d.message.contains('…'));
        assert!(d.message.len() < 250);
    }

    #[test]
    fn loc1_invalid_project_dir_locates_nothing() {
        for raw in ["../x", "a/../b", "a\0", "a\\b"] {
            let l = locate(["scalingo.json", "Procfile", "b/scalingo.json"], Some(raw));
            assert_eq!(l.manifest, None, "{raw:?}");
            assert_eq!(l.procfile, None);
            assert!(l.searched.is_empty());
            assert_eq!(l.project_dir, "");
            assert_eq!(l.diagnostics.len(), 1);
            assert!(l.diagnostics[0].is_error());
        }
    }

    #[test]
    fn loc1_leading_slash_note() {
        let l = locate(["api/scalingo.json"], Some("/api"));
        assert_eq!(codes(&l), ["SM0704"]);
        assert_eq!(l.manifest.as_deref(), Some("api/scalingo.json"));
        assert_eq!(
            l.diagnostics[0].hint.as_deref(),
            Some("write PROJECT_DIR=api")
        );
        // "/" alone is simply the root: no note.
        let l = locate(["scalingo.json"], Some("/"));
        assert!(l.diagnostics.is_empty());
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
    }

    // ---- LOC-2: repository paths ----

    #[test]
    fn loc2_invalid_paths_are_ignored_never_matched() {
        let paths = [
            "/scalingo.json",
            "./scalingo.json",
            "x/../scalingo.json",
            "api//scalingo.json",
            "api/",
            "",
            "scalingo.json\0",
            "api\\scalingo.json",
            ".git/scalingo.json",
            "a/.GIT/app.json",
        ];
        let l = locate(paths, Some("api"));
        assert_eq!(l.manifest, None);
        let invalid: Vec<_> = l
            .diagnostics
            .iter()
            .filter(|d| d.code == "SM0710")
            .map(|d| d.pointer.as_str())
            .collect();
        assert_eq!(
            invalid,
            [
                "/files/0", "/files/1", "/files/2", "/files/3", "/files/4", "/files/5", "/files/6",
                "/files/7", "/files/8", "/files/9"
            ]
        );
        assert!(l
            .diagnostics
            .iter()
            .all(|d| d.code != "SM0710" || d.severity == Severity::Warning));
        assert_eq!(
            l.diagnostics[0].message,
            "repository path `/scalingo.json` is ignored: it is absolute"
        );
        // `api` exists only through invalid paths: it is missing.
        assert!(codes(&l).contains(&"SM0705"));
    }

    #[test]
    fn loc2_overlong_path_is_invalid() {
        let long = format!("{}/scalingo.json", "a".repeat(4096));
        let l = locate([long.as_str(), "scalingo.json"], None);
        assert_eq!(codes(&l), ["SM0710"]);
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        // At the limit exactly, the path is valid and is found.
        let suffix = "/scalingo.json";
        let at_limit = format!("{}{suffix}", "a".repeat(MAX_PATH_BYTES - suffix.len()));
        assert_eq!(at_limit.len(), MAX_PATH_BYTES);
        let l = locate(
            [at_limit.as_str()],
            Some(&at_limit[..at_limit.len() - suffix.len()]),
        );
        assert_eq!(
            l.manifest.as_deref(),
            Some(at_limit.as_str()),
            "{:?}",
            codes(&l)
        );
    }

    #[test]
    fn loc2_invalid_path_diagnostics_are_capped() {
        let bad: Vec<String> = (0..150).map(|i| format!("/x{i}")).collect();
        let l = locate(bad.iter().map(String::as_str), None);
        let c = codes(&l);
        assert_eq!(c.iter().filter(|c| **c == "SM0710").count(), 100);
        assert_eq!(c.iter().filter(|c| **c == "SM0711").count(), 1);
        let note = l.diagnostics.iter().find(|d| d.code == "SM0711").unwrap();
        assert!(note.message.starts_with("50 more"));
        // Exactly at the cap: every invalid path has its diagnostic, so no note.
        let bad: Vec<String> = (0..MAX_PATH_DIAGNOSTICS)
            .map(|i| format!("/x{i}"))
            .collect();
        let l = locate(bad.iter().map(String::as_str), None);
        let c = codes(&l);
        assert_eq!(c.iter().filter(|c| **c == "SM0710").count(), 100);
        assert_eq!(c.iter().filter(|c| **c == "SM0711").count(), 0);
    }

    #[test]
    fn loc2_tree_size_limit() {
        let ok: Vec<String> = (0..MAX_PATHS - 1)
            .map(|i| format!("f{i}"))
            .chain(["scalingo.json".to_string()])
            .collect();
        let l = locate(ok.iter().map(String::as_str), None);
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        assert!(l.diagnostics.is_empty());

        let too_many: Vec<String> = std::iter::once("scalingo.json".to_string())
            .chain((0..MAX_PATHS).map(|i| format!("f{i}")))
            .collect();
        let l = locate(too_many.iter().map(String::as_str), None);
        assert_eq!(codes(&l), ["SM0712"]);
        assert!(l.diagnostics[0].is_error());
        assert_eq!(l.manifest, None);
        assert_eq!(l.procfile, None);
        assert!(l.searched.is_empty());
    }

    #[test]
    fn loc2_duplicate_paths_are_harmless() {
        let l = locate(["scalingo.json", "scalingo.json"], None);
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        assert!(l.diagnostics.is_empty());
    }

    // ---- LOC-3: PROJECT_DIR existence ----

    #[test]
    fn loc3_missing_project_dir_still_walks_up() {
        let l = locate(["scalingo.json", "web/index.js"], Some("api"));
        assert_eq!(codes(&l), ["SM0705"]);
        assert_eq!(l.diagnostics[0].pointer, "/project_dir");
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        assert_eq!(
            l.searched,
            ["api/scalingo.json", "api/app.json", "scalingo.json"]
        );
    }

    #[test]
    fn loc3_prefix_is_not_a_folder() {
        // `api` is not a folder just because `api-v2/...` or `api.txt` exist.
        let l = locate(["api-v2/scalingo.json", "api.txt"], Some("api"));
        assert!(codes(&l).contains(&"SM0705"));
    }

    #[test]
    fn loc3_project_dir_is_a_file() {
        let l = locate(["api", "scalingo.json"], Some("api"));
        assert_eq!(codes(&l), ["SM0706"]);
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
    }

    // ---- LOC-4 .. LOC-6: the walk-up ----

    #[test]
    fn loc4_root_only() {
        let l = locate(["scalingo.json", "Procfile"], None);
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        assert_eq!(l.procfile.as_deref(), Some("Procfile"));
        assert_eq!(l.searched, ["scalingo.json"]);
        assert_eq!(l.project_dir, "");
        assert!(l.diagnostics.is_empty());
    }

    #[test]
    fn loc4_app_json_alone() {
        let l = locate(["app.json"], None);
        assert_eq!(l.manifest.as_deref(), Some("app.json"));
        assert_eq!(l.searched, ["scalingo.json", "app.json"]);
        assert!(l.diagnostics.is_empty());
    }

    #[test]
    fn loc4_walks_up_each_parent() {
        let l = locate(["a/app.json", "README.md", "a/b/c/main.go"], Some("a/b/c"));
        assert_eq!(l.manifest.as_deref(), Some("a/app.json"));
        assert_eq!(
            l.searched,
            [
                "a/b/c/scalingo.json",
                "a/b/c/app.json",
                "a/b/scalingo.json",
                "a/b/app.json",
                "a/scalingo.json",
                "a/app.json"
            ]
        );
        assert!(l.diagnostics.is_empty());
    }

    #[test]
    fn loc4_no_manifest_note() {
        let l = locate(["api/main.go"], Some("api"));
        assert_eq!(l.manifest, None);
        assert_eq!(
            l.searched,
            [
                "api/scalingo.json",
                "api/app.json",
                "scalingo.json",
                "app.json"
            ]
        );
        assert_eq!(codes(&l), ["SM0720"]);
        assert_eq!(l.diagnostics[0].severity, Severity::Note);
        let l = locate(std::iter::empty::<&str>(), None);
        assert_eq!(codes(&l), ["SM0720"]);
        assert_eq!(l.searched, ["scalingo.json", "app.json"]);
    }

    #[test]
    fn loc4_manifest_below_project_dir_is_not_found() {
        // The walk goes up, never down.
        let l = locate(["api/scalingo.json"], None);
        assert_eq!(l.manifest, None);
        assert_eq!(codes(&l), ["SM0720"]);
    }

    #[test]
    fn loc5_scalingo_json_beats_app_json_in_same_folder() {
        let l = locate(["app.json", "scalingo.json"], None);
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        assert_eq!(l.searched, ["scalingo.json"]);
        assert_eq!(codes(&l), ["SM0721"]);
        assert_eq!(l.diagnostics[0].pointer, "/files/0");
    }

    #[test]
    fn loc6_closest_folder_wins_d2() {
        // D-2: an app.json in PROJECT_DIR beats a scalingo.json at the root.
        let l = locate(["scalingo.json", "app.json", "api/app.json"], Some("api"));
        assert_eq!(l.manifest.as_deref(), Some("api/app.json"));
        assert_eq!(l.searched, ["api/scalingo.json", "api/app.json"]);
        assert_eq!(codes(&l), ["SM0722", "SM0722"]);
        assert_eq!(
            l.diagnostics[0].message,
            "`scalingo.json` is not read: `api/app.json` is closer to PROJECT_DIR `api`"
        );
        assert_eq!(l.diagnostics[1].pointer, "/files/1");
    }

    // ---- LOC-7: case-sensitive names ----

    #[test]
    fn loc7_case_near_miss_warns() {
        let l = locate(["Scalingo.json", "api/APP.JSON", "api/x"], Some("api"));
        assert_eq!(l.manifest, None);
        assert_eq!(codes(&l), ["SM0723", "SM0723", "SM0720"]);
        assert_eq!(
            l.diagnostics[0].hint.as_deref(),
            Some("rename it to `api/app.json`")
        );
        assert_eq!(l.diagnostics[0].pointer, "/files/1");
        assert_eq!(
            l.diagnostics[1].hint.as_deref(),
            Some("rename it to `scalingo.json`")
        );
    }

    #[test]
    fn loc7_near_miss_only_in_searched_folders() {
        // The winner is in `api`; the root is not searched, so its near miss is not reported.
        let l = locate(["api/scalingo.json", "App.json"], Some("api"));
        assert_eq!(l.manifest.as_deref(), Some("api/scalingo.json"));
        assert!(l.diagnostics.is_empty());
        // A near miss next to the winner is reported.
        let l = locate(["scalingo.json", "App.json"], None);
        assert_eq!(codes(&l), ["SM0723"]);
    }

    // ---- LOC-8: Procfile ----

    #[test]
    fn loc8_procfile_in_project_dir() {
        let l = locate(["Procfile", "api/Procfile"], Some("api"));
        assert_eq!(l.procfile.as_deref(), Some("api/Procfile"));
        assert_eq!(codes(&l), ["SM0720"]);
    }

    #[test]
    fn loc8_root_procfile_is_not_a_fallback() {
        let l = locate(["Procfile", "scalingo.json", "api/main.go"], Some("api"));
        assert_eq!(l.procfile, None);
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        assert_eq!(codes(&l), ["SM0730"]);
        assert_eq!(l.diagnostics[0].hint.as_deref(), Some("add `api/Procfile`"));
    }

    #[test]
    fn loc8_procfile_case_near_miss() {
        let l = locate(["procfile", "scalingo.json"], None);
        assert_eq!(l.procfile, None);
        assert_eq!(codes(&l), ["SM0731"]);
        let l = locate(["api/PROCFILE", "api/scalingo.json"], Some("api"));
        assert_eq!(codes(&l), ["SM0731"]);
        assert_eq!(
            l.diagnostics[0].hint.as_deref(),
            Some("rename it to `api/Procfile`")
        );
    }

    #[test]
    fn no_procfile_anywhere_is_silent() {
        let l = locate(["scalingo.json"], None);
        assert_eq!(l.procfile, None);
        assert!(l.diagnostics.is_empty());
    }

    #[test]
    fn deep_project_dir_is_linear() {
        // 2048 levels: the longest PROJECT_DIR accepted.
        let dir = vec!["a"; 2048].join("/");
        let l = locate(["scalingo.json"], Some(&dir));
        assert_eq!(l.manifest.as_deref(), Some("scalingo.json"));
        assert_eq!(l.searched.len(), 2 * 2048 + 1);
        assert_eq!(codes(&l), ["SM0705"]);
    }
}
