//! What the tests and the fuzz targets share that needs no test framework, written once:
//! the fixed day manifests are checked as of, and the independent oracle of rule
//! `DIAG-13`. Included by `tests/common/mod.rs`, by the test files that do not use
//! `common` (`#[path = "common/fixed.rs"] mod fixed;`), and by the fuzz crate's library
//! (`fuzz/src/lib.rs`); each user takes what it needs.
#![allow(dead_code, reason = "each including file uses a different subset")]

/// The day the tests' and the fuzz targets' manifests are checked as of (rule `PLAT-1`):
/// fixed, so that no test changes when the platform catalogue gains an entry, and a fuzz
/// crash reproduces whatever day it is replayed.
pub fn day() -> scalingo_manifest::Date {
    scalingo_manifest::Date::from_ymd(2026, 12, 7).expect("a valid date")
}

/// The characters rule `DIAG-13` lists, restated independently of the engine's
/// `src/escape.rs`: C0 controls, DEL, C1 controls, the bidirectional controls, the line and
/// paragraph separators.
pub fn is_listed(c: char) -> bool {
    let n = u32::from(c);
    n < 0x20
        || (0x7f..=0x9f).contains(&n)
        || [0x61c, 0x200e, 0x200f, 0x2028, 0x2029].contains(&n)
        || (0x202a..=0x202e).contains(&n)
        || (0x2066..=0x2069).contains(&n)
}

/// `DIAG-13` on a human output: the byte offset and the character of the first offence in
/// `text`, if any. An offence is a listed character other than `\n`, or, when colour
/// (`sgr`) is allowed, an ESC that does not start an SGR sequence `ESC [ digits/semicolons m`.
pub fn escape_offence(text: &str, sgr: bool) -> Option<(usize, char)> {
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        if sgr && c == '\u{1b}' {
            let tail = &text[at + 1..];
            let body = tail.strip_prefix('[').map(|t| {
                t.chars()
                    .take_while(|c| c.is_ascii_digit() || *c == ';')
                    .count()
            });
            match body {
                Some(n) if tail[1 + n..].starts_with('m') => {
                    at += 1 + 1 + n + 1;
                    continue;
                }
                _ => return Some((at, c)),
            }
        }
        if c != '\n' && is_listed(c) {
            return Some((at, c));
        }
        at += c.len_utf8();
    }
    None
}
