//! Source positions: byte spans and the line/column index that turns them into
//! 1-based lines and columns (spec rule `DIAG-5`).
//!
//! Lines end at `\n`; a `\r` right before `\n` belongs to the line end, so CRLF files get
//! the same line numbers as LF files. Columns count Unicode scalar values from 1.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` in an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte (inclusive).
    pub start: usize,
    /// Byte after the last (exclusive); `end >= start`.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes). If `end < start`, `end` is raised to `start`.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The empty span at `at`.
    pub fn point(at: usize) -> Self {
        Span { start: at, end: at }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Where the lines of a text start (rule `DIAG-5`): the one line table of the crate, used
/// by [`LineIndex`] and by displays that own their text.
///
/// It holds offsets only, not the text, so a caller that owns the text can keep both
/// side by side. Lines end at `\n`; [`line`](Self::line) leaves a `\r` before the `\n`
/// out of the line's text.
///
/// ```
/// use scalingo_manifest::text::LineStarts;
///
/// let text = "a\r\nbc";
/// let starts = LineStarts::new(text);
/// assert_eq!(starts.count(), 2);
/// assert_eq!(starts.line_of(3), 1);
/// assert_eq!(starts.line(text, 0), Some((0, "a")));
/// assert_eq!(starts.line(text, 1), Some((3, "bc")));
/// assert_eq!(starts.line(text, 2), None);
/// ```
#[derive(Debug, Clone)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// The line table of `text`. O(n).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineStarts(starts)
    }

    /// Number of lines (a text with no newline has one line; a final `\n` opens an empty
    /// last line).
    pub fn count(&self) -> usize {
        self.0.len()
    }

    /// The 0-based index of the line holding byte `offset`; an offset past the end is on
    /// the last line.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.0.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The byte offset where 0-based line `i` starts, and its text without the line
    /// ending (`\n` or `\r\n`); `None` past the last line. `text` is the indexed text.
    pub fn line<'t>(&self, text: &'t str, i: usize) -> Option<(usize, &'t str)> {
        let start = *self.0.get(i)?;
        let end = self
            .0
            .get(i + 1)
            .map(|&s| s.saturating_sub(1))
            .unwrap_or(text.len());
        let s = text.get(start..end).unwrap_or_default();
        Some((start, s.strip_suffix('\r').unwrap_or(s)))
    }
}

/// Bytes per block of [`LineIndex`]'s character-count checkpoints.
const BLOCK: usize = 64;

/// Maps byte offsets of one text to 1-based (line, column) pairs.
///
/// Making one costs nothing: the tables are built on the first lookup, in O(n) of the text
/// length, so a text none of whose findings needs a position (a valid manifest) is never
/// indexed. Each lookup is then O(log lines + 64), so locating many findings on one long
/// line (a minified manifest) stays linear.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// The tables, once a lookup needed them.
    tables: std::cell::OnceCell<Tables>,
}

/// The tables of a [`LineIndex`].
#[derive(Debug, Clone)]
struct Tables {
    /// Where each line starts.
    starts: LineStarts,
    /// `chars[k]`: number of characters (Unicode scalar values) in `text[..k * BLOCK]`;
    /// empty for an ASCII text, where that number is the number of bytes.
    chars: Vec<usize>,
}

impl Tables {
    fn new(text: &str) -> Self {
        let starts = LineStarts::new(text);
        if text.is_ascii() {
            return Tables {
                starts,
                chars: Vec::new(),
            };
        }
        let mut chars = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut count = 0;
        for (k, block) in text.as_bytes().chunks(BLOCK).enumerate() {
            if k == 0 {
                chars.push(0);
            }
            count += chars_in(block);
            chars.push(count);
        }
        if chars.is_empty() {
            chars.push(0);
        }
        Tables { starts, chars }
    }
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` (the tables are built on the first lookup).
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            tables: std::cell::OnceCell::new(),
        }
    }

    fn tables(&self) -> &Tables {
        self.tables.get_or_init(|| Tables::new(self.text))
    }

    /// Number of characters in `text[..offset]` (`offset <= text.len()`).
    fn chars_before(&self, offset: usize) -> usize {
        let chars = &self.tables().chars;
        if chars.is_empty() {
            return offset;
        }
        let block = offset / BLOCK;
        let base = chars.get(block).copied().unwrap_or(0);
        let from = (block * BLOCK).min(offset);
        base + chars_in(&self.text.as_bytes()[from..offset])
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// 1-based (line, column) of byte `offset`. An offset past the end maps to the end of
    /// the text; an offset inside a multi-byte character maps to that character. A `\r`
    /// right before `\n` belongs to the line ending (rule `DIAG-5`): the `\n` of a CRLF
    /// has the column the `\r` has, as the `\n` of the same line with an LF ending would.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let starts = &self.tables().starts;
        let line = starts.line_of(offset);
        let start = starts.0[line];
        let column = self.chars_before(offset) - self.chars_before(start);
        position(self.text.as_bytes(), offset, line, start, column)
    }
}

/// The characters (Unicode scalar values) that start in `bytes`, a slice of UTF-8 text: its
/// bytes that are not continuation bytes. A character cut at the slice's start is not
/// counted, one cut at its end is.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// The 1-based (line, column) of byte `offset` of `bytes`, on 0-based line `line`, which
/// starts at byte `line_start`, `column` characters after that start. A `\r` right before
/// `\n` belongs to the line ending (rule `DIAG-5`): the `\n` of a CRLF has the column of the
/// `\r`, as the `\n` of the same line with an LF ending would. Numbers past `u32` saturate.
fn position(
    bytes: &[u8],
    offset: usize,
    line: usize,
    line_start: usize,
    mut column: usize,
) -> (u32, u32) {
    if bytes.get(offset) == Some(&b'\n') && offset > line_start && bytes[offset - 1] == b'\r' {
        column -= 1;
    }
    (
        u32::try_from(line + 1).unwrap_or(u32::MAX),
        u32::try_from(column + 1).unwrap_or(u32::MAX),
    )
}

/// Lines and columns of a text at offsets visited in increasing order (rule `DIAG-5`), with
/// the numbers [`LineIndex::line_col`] gives, in one pass over the text and without tables:
/// what locates the findings of one document once they are sorted. An offset before the
/// last one visited starts the pass again from the start, so any order is still answered
/// right, only more slowly.
#[derive(Debug, Clone)]
pub(crate) struct LineSweep<'a> {
    text: &'a str,
    /// The offset reached.
    at: usize,
    /// 0-based line of `at`.
    line: usize,
    /// Where that line starts.
    line_start: usize,
    /// Characters in `text[line_start..at]`.
    column: usize,
}

impl<'a> LineSweep<'a> {
    /// A sweep at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        LineSweep {
            text,
            at: 0,
            line: 0,
            line_start: 0,
            column: 0,
        }
    }

    /// 1-based (line, column) of byte `offset`, as [`LineIndex::line_col`] gives them.
    pub(crate) fn line_col(&mut self, offset: usize) -> (u32, u32) {
        let bytes = self.text.as_bytes();
        let offset = offset.min(bytes.len());
        if offset < self.at {
            *self = LineSweep::new(self.text);
        }
        let passed = &bytes[self.at..offset];
        match memchr::memrchr(b'\n', passed) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', passed).count();
                self.line_start = self.at + last + 1;
                self.column = chars_in(&bytes[self.line_start..offset]);
            }
            None => self.column += chars_in(passed),
        }
        self.at = offset;
        position(bytes, offset, self.line, self.line_start, self.column)
    }
}

/// A text with exactly the byte offsets of `bytes`: valid UTF-8 is kept (borrowed, no copy),
/// each invalid byte becomes `?`. Also returns the span of the first invalid sequence, for
/// the "invalid UTF-8" diagnostics of the manifest (`JSON-1`) and the Procfile (`PROC-6`).
pub fn shadow_text(bytes: &[u8]) -> (Cow<'_, str>, Option<Span>) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), None);
    }
    // One copy, then each invalid sequence std's decoder reports (at most three bytes, as
    // `Utf8Error::error_len` counts them, or the incomplete tail) is overwritten with as
    // many `?`, so offsets are kept.
    let mut out = bytes.to_vec();
    let mut first = None;
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        at += chunk.valid().len();
        let bad = chunk.invalid().len();
        if bad > 0 && first.is_none() {
            first = Some(Span::new(at, at + bad));
        }
        out[at..at + bad].fill(b'?');
        at += bad;
    }
    // Every invalid sequence is now `?`, so the conversion cannot fail; the lossy arm only
    // keeps this free of a panic path and is never taken. (Building the text chunk by
    // chunk instead, with no such arm, cost 3.6% more in the parse_manifest fuzz target.)
    let out = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (Cow::Owned(out), first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_and_crlf_give_same_lines() {
        let lf = LineIndex::new("a\nbc\n");
        let crlf = LineIndex::new("a\r\nbc\r\n");
        assert_eq!(lf.line_col(2), (2, 1));
        assert_eq!(crlf.line_col(3), (2, 1));
        let text = "a\r\nbc\r\n";
        let starts = LineStarts::new(text);
        assert_eq!(starts.line(text, 1), Some((3, "bc")));
        assert_eq!(starts.line(text, 2), Some((7, "")));
        assert_eq!(starts.line(text, 3), None);
    }

    /// DIAG-5: the `\n` of a CRLF line ending has the column of the line end, as in the
    /// LF file (found by `tests/prop_scenario.rs`, `diag_5_line_index_follows_the_rule`).
    #[test]
    fn crlf_line_end_has_the_lf_column() {
        let lf = LineIndex::new("a\naa");
        let crlf = LineIndex::new("a\r\naa");
        assert_eq!(lf.line_col(1), (1, 2));
        assert_eq!(crlf.line_col(1), (1, 2));
        assert_eq!(crlf.line_col(2), (1, 2));
        assert_eq!(crlf.line_col(3), (2, 1));
        // A lone `\r` is an ordinary character; `\r\r\n` ends the line after one `\r`.
        assert_eq!(LineIndex::new("\ra").line_col(1), (1, 2));
        assert_eq!(LineIndex::new("\r\r\n").line_col(2), (1, 2));
    }

    #[test]
    fn shadow_text_keeps_offsets() {
        let (t, bad) = shadow_text(b"a\xe2\x82b\xff");
        assert_eq!(t, "a??b?");
        assert_eq!(bad, Some(Span::new(1, 3)));
        let (t, bad) = shadow_text(b"ok");
        assert!(matches!(t, Cow::Borrowed("ok")));
        assert_eq!(bad, None);
    }

    /// The definition `shadow_text` implements, one `Utf8Error` at a time: the valid
    /// prefix, then `?` for each byte of the invalid sequence (`error_len`, or the
    /// incomplete tail), then the rest.
    fn shadow_reference(bytes: &[u8]) -> (String, Option<Span>) {
        let (mut out, mut first, mut at) = (String::new(), None, 0);
        loop {
            match std::str::from_utf8(&bytes[at..]) {
                Ok(s) => return (out + s, first),
                Err(e) => {
                    let valid = e.valid_up_to();
                    let bad = e.error_len().unwrap_or(bytes.len() - at - valid);
                    out.push_str(std::str::from_utf8(&bytes[at..at + valid]).unwrap());
                    first.get_or_insert(Span::new(at + valid, at + valid + bad));
                    out.extend(std::iter::repeat_n('?', bad));
                    at += valid + bad;
                }
            }
        }
    }

    proptest::proptest! {
        /// `JSON-1`, `DIAG-5`: the shadow text has the input's length and offsets; the
        /// first invalid sequence is the one `std::str::from_utf8` reports.
        #[test]
        fn shadow_text_is_the_reference(bytes in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::any::<u8>(),
                proptest::sample::select(vec![b'a', 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x80, 0xff]),
            ],
            0..64,
        )) {
            let (text, first) = shadow_text(&bytes);
            let (expected, expected_first) = shadow_reference(&bytes);
            proptest::prop_assert_eq!(text.len(), bytes.len());
            proptest::prop_assert_eq!(text.as_ref(), expected.as_str());
            proptest::prop_assert_eq!(first, expected_first);
        }
    }

    #[test]
    fn columns_on_long_lines_use_checkpoints() {
        // 100 two-byte characters, a newline, then 200 ASCII bytes: columns are exact
        // on both sides of the 64-byte checkpoints.
        let text = format!("{}\n{}", "é".repeat(100), "a".repeat(200));
        let idx = LineIndex::new(&text);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(62), (1, 32));
        assert_eq!(idx.line_col(64), (1, 33));
        assert_eq!(idx.line_col(66), (1, 34));
        assert_eq!(idx.line_col(128), (1, 65));
        assert_eq!(idx.line_col(200), (1, 101));
        assert_eq!(idx.line_col(201), (2, 1));
        assert_eq!(idx.line_col(201 + 150), (2, 151));
        assert_eq!(idx.line_col(10_000), (2, 201));
        assert_eq!(LineIndex::new("").line_col(0), (1, 1));
    }

    #[test]
    fn columns_count_characters() {
        let idx = LineIndex::new("\"é\": 1");
        // byte 4 is the closing quote after a two-byte é
        assert_eq!(idx.line_col(3), (1, 3));
        assert_eq!(idx.line_col(100), (1, 7));
    }

    proptest::proptest! {
        /// The sweep gives [`LineIndex::line_col`]'s numbers at any offsets, in order or
        /// not, in texts of several lines, CRLF and multi-byte characters.
        #[test]
        fn a_sweep_locates_as_the_index_does(
            text in "[a\n\r\u{e9}\u{1f600}]{0,40}",
            mut offsets in proptest::collection::vec(0usize..50, 0..12),
            sorted in proptest::bool::ANY,
        ) {
            if sorted {
                offsets.sort_unstable();
            }
            let index = LineIndex::new(&text);
            let mut sweep = LineSweep::new(&text);
            for at in offsets {
                proptest::prop_assert_eq!(sweep.line_col(at), index.line_col(at), "{:?} at {}", text, at);
            }
        }
    }

    #[test]
    fn line_count_counts_every_line_ending() {
        assert_eq!(LineStarts::new("").count(), 1);
        assert_eq!(LineStarts::new("{}").count(), 1);
        assert_eq!(LineStarts::new("{}\n").count(), 2);
        assert_eq!(LineStarts::new("{\r\n}\n\n").count(), 4);
    }
}
