//! Escaping of human output (spec rule `DIAG-13`): the one place that decides how text
//! from an input (a manifest, a Procfile, a scenario, a file name, an implementation under
//! test) is shown in a terminal or a CI log.
//!
//! Every human-format writer of the program (`check`'s rendering, `explain`, the
//! conformance runner's report, the command line's error messages) passes the text it did
//! not write itself through [`single_line`] or [`multi_line`] before it leaves the program;
//! the JSON outputs are escaped by `serde_json` and never pass through here.
//!
//! The characters made visible ([`is_escaped`]) are the C0 controls (U+0000 to U+001F),
//! DEL (U+007F), the C1 controls (U+0080 to U+009F: CSI, OSC, ST, NEL, ...), the Unicode
//! bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)
//! and the Unicode line and paragraph separators (U+2028, U+2029). Each is written as
//! `\u{X}`, `X` its code point in lowercase hexadecimal without leading zeros (what Rust's
//! [`char::escape_unicode`] writes): `\u{1b}` for ESC, `\u{9b}` for CSI, `\u{a}` for a
//! newline, `\u{202e}` for RIGHT-TO-LEFT OVERRIDE. A single-line field escapes them all; a
//! multi-line field keeps `\n` and `\t` and escapes the others.
//!
//! ```
//! use scalingo_manifest::escape;
//!
//! assert_eq!(escape::single_line("web: \u{1b}[2Jrm\n-rf"), "web: \\u{1b}[2Jrm\\u{a}-rf");
//! assert_eq!(escape::multi_line("a\tb\nc\u{9b}"), "a\tb\nc\\u{9b}");
//! assert!(matches!(escape::single_line("plain"), std::borrow::Cow::Borrowed(_)));
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for the characters rule `DIAG-13` makes visible in human output: C0 controls, DEL,
/// C1 controls, the bidirectional controls U+061C, U+200E, U+200F, U+202A to U+202E,
/// U+2066 to U+2069, and the separators U+2028, U+2029. `\n` and `\t` are included: only
/// a multi-line field keeps them ([`multi_line`]).
pub fn is_escaped(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every character of [`is_escaped`] for which `keep` is false written
/// `\u{X}`; borrowed when nothing needs escaping.
fn escape_with(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let needs = |c: char| is_escaped(c) && !keep(c);
    let Some(first) = text.find(needs) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if needs(c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A single-line field for human output (rule `DIAG-13`): a message, a hint, a file
/// name, a command, a name or a value quoted on one line. Every character of
/// [`is_escaped`], `\n` and `\t` included, is written `\u{X}`, so the field can neither
/// break the line it is on nor send a control sequence to the terminal.
pub fn single_line(text: &str) -> Cow<'_, str> {
    escape_with(text, |_| false)
}

/// A multi-line field for human output (rule `DIAG-13`): a source line shown in a
/// snippet, the standard error of a process. `\n` and `\t` are kept (the writer frames
/// or indents every line of the field, so a kept newline cannot pass for a line of the
/// program's own); every other character of [`is_escaped`] is written `\u{X}`.
pub fn multi_line(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| c == '\n' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `DIAG-13`: the set, character by character, against the rule's list.
    #[test]
    fn diag_13_the_escaped_set_is_the_rules_list() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let n = u32::from(c);
            let listed = n < 0x20
                || (0x7f..=0x9f).contains(&n)
                || [0x61c, 0x200e, 0x200f, 0x2028, 0x2029].contains(&n)
                || (0x202a..=0x202e).contains(&n)
                || (0x2066..=0x2069).contains(&n);
            assert_eq!(is_escaped(c), listed, "U+{n:04X}");
        }
    }

    /// `DIAG-13`: the visible form is `char::escape_unicode`'s; text without a listed
    /// character is borrowed unchanged.
    #[test]
    fn diag_13_visible_form() {
        assert_eq!(
            single_line("\u{0}\u{1b}\u{7f}\u{85}\u{9b}"),
            "\\u{0}\\u{1b}\\u{7f}\\u{85}\\u{9b}"
        );
        assert_eq!(single_line("a\r\nb\tc"), "a\\u{d}\\u{a}b\\u{9}c");
        assert_eq!(
            single_line("\u{202e}txt.exe\u{2069}"),
            "\\u{202e}txt.exe\\u{2069}"
        );
        assert_eq!(multi_line("a\r\nb\tc\u{1b}"), "a\\u{d}\nb\tc\\u{1b}");
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| is_escaped(c))
        {
            assert_eq!(single_line(&c.to_string()), c.escape_unicode().to_string());
        }
        for s in ["", "plain", "é 🎉 \\u{1b} ␛ \u{200b}", "\u{a0}"] {
            assert!(
                matches!(single_line(s), Cow::Borrowed(t) if t == s),
                "{s:?}"
            );
        }
    }
}
