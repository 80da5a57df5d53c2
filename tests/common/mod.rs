//! Shared helpers of the property tests (`tests/prop_*.rs`; see `TESTING.md`).
//!
//! Each property test binary declares `mod common;` and uses a different subset of these
//! helpers, hence the `dead_code` allowance.
#![allow(
    dead_code,
    reason = "each property test binary uses a different subset"
)]

pub mod manifest_strategies;
pub mod strategies;

use proptest::test_runner::{Config, FileFailurePersistence};
use scalingo_manifest::Diagnostic;

/// The configuration of every property: the default case count (256, or `PROPTEST_CASES`
/// from the environment), and failures persisted in `regressions` (a path relative to the
/// workspace root, such as `"proptest-regressions/prop_env.txt"`). Commit that file when
/// proptest creates it: the failing seeds it holds are replayed first on every later run.
pub fn config(regressions: &'static str) -> Config {
    // Relative to the workspace root, whichever package's test includes this file
    // (`cargo test` runs each test from its own package's folder).
    let path = workspace_root().join(regressions);
    let path: &'static str = Box::leak(path.to_string_lossy().into_owned().into_boxed_str());
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(path))),
        ..Config::default()
    }
}

/// The workspace root (the folder holding `spec/`): the running test's package folder, or
/// its parent for the `conformance/` and `cli/` packages.
pub fn workspace_root() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if dir.join("spec").is_dir() {
        dir.to_path_buf()
    } else {
        dir.parent()
            .expect("a package folder has a parent")
            .to_path_buf()
    }
}

/// The codes of `diags`, in order.
pub fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

/// How many diagnostics of `diags` have code `code`.
pub fn count(diags: &[Diagnostic], code: &str) -> usize {
    diags.iter().filter(|d| d.code == code).count()
}

/// True when `path` has a `..` segment (separated by `/`).
pub fn has_dotdot_segment(path: &str) -> bool {
    path.split('/').any(|s| s == "..")
}

/// An independent statement of the canonical repository path of rule `LOC-2`: not empty,
/// not absolute, no empty, `.`, `..` or `.git` (any case) segment, no control character,
/// no backslash, at most 4096 bytes.
pub fn is_canonical_repo_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 4096
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.eq_ignore_ascii_case(".git"))
}

/// True when `s` is exactly 32 characters `0-9a-f` (rule `GEN-1`).
pub fn is_lower_hex_32(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// True when `diags` are in the canonical order of rule `DIAG-4`, stated independently of
/// `diag::sort`: located ones first by `span.start` then `span.end`, then unlocated ones;
/// ties by `code`, then `pointer`, then `message`.
pub fn in_canonical_order(diags: &[Diagnostic]) -> bool {
    let key = |d: &Diagnostic| {
        (
            d.span.is_none(),
            d.span.map(|s| (s.start, s.end)),
            d.code.as_str(),
            d.pointer.clone(),
            d.message.clone(),
        )
    };
    diags.windows(2).all(|w| key(&w[0]) <= key(&w[1]))
}

/// The 1-based (line, column) of byte `offset` of `text` per rule `DIAG-5`, stated
/// independently of `text::LineIndex`: lines end at `\n`; a `\r` right before `\n` belongs
/// to the line ending (a CRLF file has the LF file's columns); columns count Unicode scalar
/// values; an offset past the end is the end. `offset` must be a character boundary.
pub fn model_line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = 1 + before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut column = 1 + before[line_start..].chars().count();
    if before.ends_with('\r') && text[offset..].starts_with('\n') {
        column -= 1;
    }
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

// The fixed day and the DIAG-13 oracle, shared with the fuzz targets.
mod fixed;
#[allow(
    unused_imports,
    reason = "each property test binary uses a different subset"
)]
pub use fixed::{day, escape_offence};
