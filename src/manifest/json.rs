//! Spanned JSON: the manifest's bytes as a tree in which every key and value knows where
//! it was written (rules `JSON-*` and `LIM-1`, `LIM-2` in `spec/manifest.md`).
//!
//! Scalingo reads manifests as strict JSON (RFC 8259). This parser is strict in its verdict
//! but lenient in its reading: comments, trailing commas and missing commas are reported as
//! errors and then read past, so that one typo does not hide every other finding. Any
//! other syntax error stops the reading at the first one in document order (`JSON-4`);
//! what was read before it is still reported (`stop_reading`). The lexing itself is done
//! by the `jsonc-parser` crate; this module decides what is reported. A document that is
//! strict JSON with no duplicate key is read by the fast path of [`super::strict`] instead,
//! which gives the same tree and no finding.

use std::borrow::Cow;

use bumpalo::Bump;
use jsonc_parser::ast;
use jsonc_parser::common::{Range, Ranged};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::{Token, TokenAndRange};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use jsonc_parser::{ParseStringErrorKind, Scanner, ScannerOptions};

use crate::diag::{Bounded, Code, Counts, Diagnostic, MAX_LISTED};
use crate::text::{LineIndex, Span};

/// Largest manifest accepted, in bytes (rule `LIM-1`).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Deepest nesting of arrays and objects accepted (rule `LIM-2`).
pub const MAX_DEPTH: usize = 32;

/// A JSON value with its span. The tree lives in the arena of the document's reading
/// (`parse_then`): a node is two words and a span, copied freely, and nothing is dropped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node<'t> {
    /// The value.
    pub value: Json<'t>,
    /// Bytes the value covers (strings include their quotes).
    pub span: Span,
}

impl Node<'_> {
    /// The same tree in `arena`, which outlives the text it was read from.
    #[cfg(test)]
    pub(crate) fn copied_to<'a>(&self, arena: &'a Bump) -> Node<'a> {
        let value = match self.value {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Number => Json::Number,
            Json::String(s) => Json::String(arena.alloc_str(s)),
            Json::Array(elements) => Json::Array(
                arena.alloc_slice_fill_iter(elements.iter().map(|e| e.copied_to(arena))),
            ),
            Json::Object(members) => {
                Json::Object(arena.alloc_slice_fill_iter(members.iter().map(|m| Member {
                    key: arena.alloc_str(m.key),
                    key_span: m.key_span,
                    value: m.value.copied_to(arena),
                    duplicate_key_spans: arena.alloc_slice_copy(m.duplicate_key_spans),
                })))
            }
        };
        Node {
            value,
            span: self.span,
        }
    }

    /// The node's text in `text`, the document it was read from (a number's digits as
    /// written); empty if the span is not in `text`.
    pub(crate) fn raw<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.span.start..self.span.end).unwrap_or_default()
    }
}

/// A JSON value whose children are [`Node`]s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Json<'t> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number; its text, exactly as written (for example `1`, `1.0`, `-2e3`), is the
    /// node's span of the document ([`Node::raw`]): not copied, so that a document of many
    /// numbers does not hold a string for each.
    Number,
    /// A string, unescaped: borrowed from the document when it has no escape, else in the
    /// arena.
    String(&'t str),
    /// An array.
    Array(&'t [Node<'t>]),
    /// An object: members in document order. Keys are unique: of duplicate keys only the
    /// last is kept, at its own position (rule `JSON-8`, reported as SM0010).
    Object(&'t [Member<'t>]),
}

impl Json<'_> {
    /// The JSON type name, for messages: `null`, `boolean`, `number`, `string`, `array`,
    /// `object`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member<'t> {
    /// The key, unescaped: borrowed from the document when it has no escape, else in the
    /// arena.
    pub key: &'t str,
    /// Span of the key (with quotes).
    pub key_span: Span,
    /// The value.
    pub value: Node<'t>,
    /// Key spans of the earlier members with the same key, which this one replaced (rule
    /// `JSON-8`), in document order; empty for a key written once.
    pub duplicate_key_spans: &'t [Span],
}

/// The result of [`parse`].
#[cfg(test)]
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The text the spans refer to: the input with each invalid UTF-8 byte replaced by `?`,
    /// so byte offsets are those of the input; a byte order mark stays U+FEFF, one column
    /// (rule `DIAG-5`), though the JSON is read as if it were white space (`JSON-2`). Empty
    /// when the input was too large to read.
    pub text: String,
    /// The document, when the bytes could be read as JSON, possibly leniently (comments,
    /// trailing commas and missing commas are reported as errors but still read).
    pub root: Option<Node<'static>>,
    /// Syntax findings, in canonical order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where `[` and `{` outside strings first nest deeper than `limit` (rule `LIM-2`): the byte
/// offset of the bracket that does, or `None` when nothing does (comments are not skipped,
/// which can only over-count).
fn too_deep(text: &str, limit: usize) -> Option<usize> {
    // A text with no more opening brackets than the limit cannot nest deeper (most
    // manifests): counting them with memchr is far cheaper than the scan below, which
    // follows strings byte by byte.
    memchr::memchr2_iter(b'[', b'{', text.as_bytes()).nth(limit)?;
    let mut depth = 0usize;
    let mut in_string: Option<u8> = None;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if let Some(q) = in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == q {
                in_string = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' => in_string = Some(b),
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parses manifest bytes into a spanned tree (rules `JSON-1`..`JSON-9`, `LIM-1`, `LIM-2`).
///
/// Never panics; time and memory are linear in the input, which is capped at
/// [`MAX_INPUT_BYTES`]. The library reads the tree with [`parse_then`]; this owned form is
/// for the unit tests.
#[cfg(test)]
pub fn parse(bytes: &[u8]) -> Parsed {
    parse_then(bytes, |text, root, mut diagnostics, _| Parsed {
        text: text.to_string(),
        // Test code: the tree is copied to an arena that lives as long as the test binary.
        root: root.map(|r| r.copied_to(Box::leak(Box::new(Bump::new())))),
        diagnostics: {
            crate::diag::locate(&mut diagnostics, text);
            diagnostics
        },
    })
}

/// The `SM0001` finding of a manifest of `size` bytes, more than [`MAX_INPUT_BYTES`] (rule
/// `LIM-1`): `size` is the length in bytes, or `more than N` when the reader stopped
/// reading (the CLI reads at most one byte past the limit).
pub fn input_too_large(size: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InputTooLarge,
        format!("the manifest is {size} bytes; at most {MAX_INPUT_BYTES} bytes are read"),
    )
    .with_hint("a manifest is a small configuration file; check that this is the right file")
}

/// Parses manifest bytes into a spanned tree (rules `JSON-1`..`JSON-9`, `LIM-1`, `LIM-2`),
/// handing the results to `then`: the text the spans refer to (the input with each invalid
/// UTF-8 byte replaced by `?`, borrowed from `bytes` when they are valid UTF-8), the tree,
/// the syntax findings in canonical order, and their counts. At most [`MAX_LISTED`]
/// findings are kept, the first in canonical order (rule `LIM-7`), so that a document of
/// half a million missing commas does not hold half a million findings; the counts cover
/// every finding (`dropped`: how many were not kept). The findings have spans but no line
/// and column yet: those of all of a document's findings are found in one sweep
/// ([`crate::diag::locate`]) once they are sorted, so that the reader builds no line index
/// (it does only for the few messages that name a line).
pub(crate) fn parse_then<R>(
    bytes: &[u8],
    then: impl FnOnce(&str, Option<Node<'_>>, Vec<Diagnostic>, Counts) -> R,
) -> R {
    if bytes.len() > MAX_INPUT_BYTES {
        let too_large = input_too_large(&bytes.len().to_string());
        let counts = Counts::of(std::slice::from_ref(&too_large));
        return then("", None, vec![too_large], counts);
    }
    let (text, first_bad) = crate::text::shadow_text(bytes);
    let index = LineIndex::new(&text);
    let reading = reading_text(&text);
    let arena = Bump::with_capacity(super::strict::SCRATCH_BYTES + text.len() * TREE_PER_BYTE);
    let mut diags = Bounded::new(MAX_LISTED);
    let root = read(
        bytes,
        &text,
        &reading,
        &arena,
        first_bad.map(|s| s.start),
        &index,
        &mut diags,
    );
    let (kept, counts) = diags.finish();
    then(&text, root, kept, counts)
}

/// The room made in the arena for the tree, in bytes per byte of text. The corpus's
/// manifests need about 2, so that their whole reading takes one allocation; a denser
/// document (a member is 88 bytes, and `"a":1,` six bytes of text) grows the arena, in
/// chunks that double.
const TREE_PER_BYTE: usize = 4;

/// The text the JSON is read from: `text` with a byte order mark made three spaces of white
/// space (rule `JSON-2`). Positions are counted in `text`, where the mark is the one
/// character it is (`DIAG-5`: the first `{` after it is column 2); both have the input's byte
/// offsets, and the tree borrows its strings from the text read.
pub(crate) fn reading_text(text: &str) -> Cow<'_, str> {
    let mut reading = Cow::Borrowed(text);
    if text.starts_with('\u{feff}') {
        reading.to_mut().replace_range(0..3, "   ");
    }
    reading
}

/// The findings about the whole input (byte order mark, invalid UTF-8, CRLF, empty, too
/// deep), then the JSON read from `reading` (`text`, the shadow text of `bytes` indexed by
/// `index`, with a byte order mark made white space).
fn read<'t>(
    bytes: &[u8],
    text: &str,
    reading: &'t str,
    arena: &'t Bump,
    first_bad: Option<usize>,
    index: &LineIndex,
    diags: &mut Bounded,
) -> Option<Node<'t>> {
    if text.starts_with('\u{feff}') {
        diags.push(
            Diagnostic::new(
                Code::ByteOrderMark,
                "the file starts with a UTF-8 byte order mark",
            )
            .with_span_to_locate(Span::new(0, 3))
            .with_hint("save the file as UTF-8 without BOM; JSON parsers such as Go's reject it"),
        );
    }
    if let Some(at) = first_bad {
        diags.push(
            Diagnostic::new(
                Code::ManifestInvalidUtf8,
                format!("invalid UTF-8 byte 0x{:02x}", bytes[at]),
            )
            .with_span_to_locate(Span::new(at, at + 1))
            .with_hint("JSON text must be UTF-8; re-encode the file as UTF-8"),
        );
    }
    let bytes = text.as_bytes();
    let crlf = memchr::memchr_iter(b'\r', bytes).find(|&at| bytes.get(at + 1) == Some(&b'\n'));
    if let Some(at) = crlf {
        diags.push(
            Diagnostic::new(Code::ManifestCrlf, "the file uses CRLF line endings")
                .with_span_to_locate(Span::new(at, at + 2))
                .with_hint(
                    "CRLF is valid JSON white space; nothing to do unless your tools expect LF",
                ),
        );
    }
    // Most manifests are strict JSON without duplicate keys: the strict reader gives their
    // tree at a fraction of the cost, with no finding, and the lenient reader below, the
    // one that reports, reads the rest. The strict reader reads neither an empty text nor
    // one that nests too deep, so the two checks below need not run before it.
    if let Some(root) = super::strict::read(reading, arena, MAX_DEPTH) {
        return Some(root);
    }
    // JSON's white space (RFC 8259 §2): a form feed or a Unicode space is not (JSON-4).
    if reading
        .trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'))
        .is_empty()
    {
        diags.push(
            Diagnostic::new(Code::EmptyInput, "the manifest is empty")
                .with_span_to_locate(Span::point(0))
                .with_hint("write at least `{}`, or delete the file: the manifest is optional"),
        );
        return None;
    }
    if let Some(at) = too_deep(reading, MAX_DEPTH) {
        diags.push(
            Diagnostic::new(
                Code::TooDeep,
                format!("arrays and objects nest deeper than {MAX_DEPTH} levels"),
            )
            .with_span_to_locate(Span::new(at, at + 1))
            .with_hint("a manifest needs at most 4 levels of nesting"),
        );
        return None;
    }
    read_leniently(reading, arena, index, diags)
}

/// Reads `text` as JSON, reporting comments, trailing and missing commas and reading past
/// them, and stopping at any other syntax error (rule `JSON-4`).
pub(crate) fn read_leniently<'t>(
    text: &'t str,
    arena: &'t Bump,
    index: &LineIndex,
    diags: &mut Bounded,
) -> Option<Node<'t>> {
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: true,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::AsTokens,
        tokens: true,
    };
    let result = match jsonc_parser::parse_to_ast(text, &collect, &options) {
        Ok(r) => r,
        Err(e) => {
            let range = e.range();
            let (tokens, lexed_to) = scan(text);
            let unterminated = matches!(
                e.kind(),
                ParseErrorKind::UnterminatedObject | ParseErrorKind::UnterminatedArray
            );
            let (mut finding, stop) = if unterminated {
                // The reader got to the end of the input: everything before it was read.
                // The finding's span is the opening bracket (the parser's covers the rest).
                let bracket = Span::new(range.start, range.start + 1);
                (syntax_error(text, index, e.kind(), bracket), text.len())
            } else {
                let finding =
                    syntax_error(text, index, e.kind(), Span::new(range.start, range.end));
                // A leading zero's finding starts before the digit the parser stopped at.
                let start = finding.span.map_or(range.start, |s| s.start);
                (finding, range.start.min(start))
            };
            // JSON-4: a number the lexer rejects (`1e`, `-`, `1.`) is one finding spanning
            // the number as written, up to the byte that made it invalid.
            let number = text[lexed_to..].starts_with(|c: char| c == '-' || c.is_ascii_digit());
            let late = finding
                .span
                .filter(|s| finding.code == Code::InvalidNumber && number && lexed_to < s.start);
            let mut stop = stop;
            if let Some(span) = late {
                finding = finding.with_span_to_locate(Span::new(lexed_to, span.start));
                stop = stop.min(lexed_to);
            }
            stop_reading(text, index, &tokens, lexed_to, finding, stop, diags);
            return None;
        }
    };
    let tokens = result.tokens.unwrap_or_default();
    // JSON-4: errors the lenient lexer reads past: `[01]` as two numbers side by side,
    // and white space JSON does not have. They stop the reading as any other syntax error.
    if let Some((finding, stop)) = lexical_error(text, &tokens, text.len(), text.len()) {
        stop_reading(text, index, &tokens, text.len(), finding, stop, diags);
        return None;
    }
    check_tokens(text, index, &tokens, diags);
    // The tokens are not needed past here: freed before the tree is converted, so that a
    // document of many small values does not hold tokens, syntax tree and converted tree
    // at once.
    drop(tokens);
    let value = result.value?;
    Some(convert(&value, text, arena, index, diags))
}

/// The tokens of `text`, lexed as the parser lexes them, up to the end of the input or
/// to the first token the lexer rejects, and where the lexing stopped (the end of the
/// input, or the start of that token): the text between the tokens up to there is what
/// the lexer skipped as white space.
fn scan(text: &str) -> (Vec<TokenAndRange<'_>>, usize) {
    let options = ScannerOptions {
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let mut scanner = Scanner::new(text, &options);
    let mut tokens = Vec::new();
    loop {
        match scanner.scan() {
            Ok(Some(token)) => tokens.push(TokenAndRange {
                range: Range::new(scanner.token_start(), scanner.token_end()),
                token,
            }),
            Ok(None) => return (tokens, text.len()),
            Err(_) => return (tokens, scanner.token_start()),
        }
    }
}

/// `JSON-4`: the first error the lenient lexer reads past among `tokens` (lexed up to
/// `lexed_to`) before byte `limit`: a number with leading zeros ([`leading_zeros`]) or a
/// character the lexer skips as white space and JSON does not (form feed, vertical tab,
/// Unicode spaces: JSON's are space, tab, LF and CR). Returns the finding and where the
/// reading stops.
fn lexical_error(
    text: &str,
    tokens: &[TokenAndRange],
    lexed_to: usize,
    limit: usize,
) -> Option<(Diagnostic, usize)> {
    let starts = tokens.iter().map(|t| t.range.start).chain([lexed_to]);
    let ends = std::iter::once(0).chain(tokens.iter().map(|t| t.range.end));
    let space = ends.zip(starts).find_map(|(from, to)| {
        let gap = text.get(from..to)?;
        let (at, c) = gap
            .char_indices()
            .find(|&(_, c)| !matches!(c, ' ' | '\t' | '\n' | '\r'))?;
        Some((from + at, c))
    });
    let space = space.filter(|&(at, _)| at < limit).map(|(at, c)| {
        let finding = Diagnostic::new(
            Code::JsonSyntax,
            format!(
                "unexpected character U+{:04X}: JSON's white space is space, tab, line feed and carriage return",
                u32::from(c)
            ),
        )
        .with_span_to_locate(Span::new(at, at + c.len_utf8()))
        .with_hint("remove this character, or replace it with a space");
        (finding, at)
    });
    let zeros = leading_zeros(tokens, limit).map(|n| (leading_zero(n), n.start));
    match (space, zeros) {
        (Some(s), Some(z)) => Some(if s.1 < z.1 { s } else { z }),
        (s, z) => s.or(z),
    }
}

/// `JSON-4`: the first number written with leading zeros, among `tokens` that start
/// before `limit`. The lexer reads `01` as `0` then `1`, and `-001` as `-0`, `0`, `1`:
/// numbers side by side, the first `0` or `-0`. Returns the span of the whole number.
fn leading_zeros(tokens: &[TokenAndRange], limit: usize) -> Option<Span> {
    let is_number = |t: &TokenAndRange| matches!(t.token, Token::Number(_));
    let at = tokens.windows(2).position(|w| {
        matches!(w[0].token, Token::Number("0" | "-0"))
            && is_number(&w[1])
            && w[0].range.end == w[1].range.start
            && w[0].range.start < limit
    })?;
    let mut end = tokens[at].range.end;
    for t in &tokens[at + 1..] {
        if !(is_number(t) && t.range.start == end) {
            break;
        }
        end = t.range.end;
    }
    Some(Span::new(tokens[at].range.start, end))
}

/// `JSON-4`: the reading stops at `finding`, a syntax error the reader cannot read past,
/// found by reading up to byte `stop`. Reports the findings of the reading that begin before
/// `stop` (comments, trailing and missing commas, duplicate keys, control characters in
/// strings: what a reader going from the start finds before it stops), then `finding`
/// itself, or, when the input ends inside an object or an array whatever was expected
/// next (`{"a"`, `{"a":`, `[1,`), SM0012 at the innermost bracket left open.
fn stop_reading(
    text: &str,
    index: &LineIndex,
    tokens: &[TokenAndRange],
    lexed_to: usize,
    mut finding: Diagnostic,
    mut stop: usize,
    diags: &mut Bounded,
) {
    // An error the lexer read past, before the place the parser failed, is the first.
    if let Some((first, at)) = lexical_error(text, tokens, lexed_to, stop) {
        finding = first;
        stop = at;
    }
    // A token the lexer rejects after a whole document (`"a" 1e`, `{} 'x'`) is text after
    // the document: that is the first error, where the token starts.
    if lexed_to < text.len()
        && lexed_to <= stop
        && !text[lexed_to..].starts_with('/')
        && whole_document(tokens.iter().take_while(|t| t.range.end <= lexed_to))
    {
        let end = finding
            .span
            .map_or(lexed_to + 1, |s| s.end.max(lexed_to + 1));
        let end = (end..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        finding = syntax_error(
            text,
            index,
            &ParseErrorKind::MultipleRootJsonValues,
            Span::new(lexed_to, end),
        );
        stop = lexed_to;
    }
    let read = tokens.partition_point(|t| t.range.end <= stop);
    let read = &tokens[..read];
    // The brackets left open, innermost last: where each opened, and for an object the
    // keys read so far (JSON-8 compares them unescaped).
    let mut open: Vec<(usize, Option<std::collections::HashMap<&str, Span>>)> = Vec::new();
    for (i, tok) in read.iter().enumerate() {
        let span = Span::new(tok.range.start, tok.range.end);
        match &tok.token {
            Token::OpenBrace => open.push((span.start, Some(std::collections::HashMap::new()))),
            Token::OpenBracket => open.push((span.start, None)),
            Token::CloseBrace | Token::CloseBracket => {
                open.pop();
            }
            Token::String(key) => {
                check_string(text, span, diags);
                let is_key = read[i + 1..]
                    .iter()
                    .find(|t| !matches!(t.token, Token::CommentLine(_) | Token::CommentBlock(_)))
                    .is_some_and(|t| matches!(t.token, Token::Colon));
                let keys = open.last_mut().and_then(|(_, keys)| keys.as_mut());
                if let Some(seen) = keys.filter(|_| is_key) {
                    if let Some(earlier) = seen.insert(key.as_ref(), span) {
                        diags.push(duplicate_key(text, index, span, earlier));
                    }
                }
            }
            _ => {}
        }
    }
    check_tokens(text, index, read, diags);
    // The string the lexer rejected (a bad escape) was read up to the stop: a raw control
    // character before the escape is a finding of the reading too (`"<LF>\q"`).
    if lexed_to < stop && text[lexed_to..].starts_with('"') {
        check_string(text, Span::new(lexed_to, stop), diags);
    }
    // Nothing but white space after the place the reader stopped: the input ended while
    // an object or array was open, whatever came next (a colon, a value, a comma, a key).
    let at_end = text.get(stop..).is_some_and(|rest| {
        rest.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'))
            .is_empty()
    });
    if let Some((at, keys)) = open
        .last()
        .filter(|_| at_end && finding.code == Code::JsonSyntax)
    {
        let at = *at;
        let kind = if keys.is_some() {
            ParseErrorKind::UnterminatedObject
        } else {
            ParseErrorKind::UnterminatedArray
        };
        finding = syntax_error(text, index, &kind, Span::new(at, at + 1));
    }
    diags.push(finding);
}

/// Whether `tokens` (comments aside) are exactly one value: a scalar, or a bracket and the
/// bracket that closes it, last.
fn whole_document<'a, 't: 'a>(tokens: impl Iterator<Item = &'a TokenAndRange<'t>>) -> bool {
    let mut depth = 0usize;
    let mut values = 0usize;
    for t in tokens {
        if matches!(t.token, Token::CommentLine(_) | Token::CommentBlock(_)) {
            continue;
        }
        if depth == 0 {
            values += 1;
        }
        match t.token {
            Token::OpenBrace | Token::OpenBracket => depth += 1,
            Token::CloseBrace | Token::CloseBracket => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    values == 1 && depth == 0
}

/// Reports comments, trailing commas and missing commas, which the lenient parse read past.
fn check_tokens(text: &str, index: &LineIndex, tokens: &[TokenAndRange], diags: &mut Bounded) {
    let mut prev: Option<&TokenAndRange> = None;
    // Whether the previous significant token is an object key (a string followed by `:`)
    // is not needed: `"a": 1` has a colon between the two values.
    for tok in tokens {
        let span = Span::new(tok.range.start, tok.range.end);
        match &tok.token {
            Token::CommentLine(_) | Token::CommentBlock(_) => {
                let kind = if matches!(tok.token, Token::CommentLine(_)) {
                    "`//` comment"
                } else {
                    "`/* */` comment"
                };
                diags.push(
                    Diagnostic::new(Code::JsonComment, format!("{kind}: JSON has no comments"))
                        .with_span_to_locate(span)
                        .with_hint(
                            "remove the comment; to document a value, use a `description` field",
                        ),
                );
                continue;
            }
            Token::CloseBrace | Token::CloseBracket => {
                if let Some(p) = prev {
                    if matches!(p.token, Token::Comma) {
                        let comma = Span::new(p.range.start, p.range.end);
                        diags.push(
                            Diagnostic::new(
                                Code::TrailingComma,
                                format!("trailing comma before `{}`", tok.token.as_str()),
                            )
                            .with_span_to_locate(comma)
                            .with_hint("remove this comma: JSON allows no comma after the last member or element"),
                        );
                    }
                }
            }
            _ => {}
        }
        let missing_comma = prev.filter(|p| ends_value(&p.token) && starts_value(&tok.token));
        if let Some(p) = missing_comma {
            if !diags.may_keep(span.start) {
                // LIM-7: past the findings kept, one more missing comma is only counted.
                diags.count_unkept(Code::MissingComma.severity());
            } else {
                let (line, _) = index.line_col(p.range.end.saturating_sub(1));
                let shown = snippet(text, span);
                diags.push(
                    Diagnostic::new(Code::MissingComma, format!("expected `,` before {shown}"))
                        .with_span_to_locate(span)
                        .with_hint(format!(
                            "add a comma after `{}` on line {line}",
                            snippet_raw(text, Span::new(p.range.start, p.range.end))
                        )),
                );
            }
        }
        prev = Some(tok);
    }
}

fn ends_value(t: &Token) -> bool {
    matches!(
        t,
        Token::String(_)
            | Token::Number(_)
            | Token::Boolean(_)
            | Token::Null
            | Token::Word(_)
            | Token::CloseBrace
            | Token::CloseBracket
    )
}

fn starts_value(t: &Token) -> bool {
    matches!(
        t,
        Token::String(_)
            | Token::Number(_)
            | Token::Boolean(_)
            | Token::Null
            | Token::Word(_)
            | Token::OpenBrace
            | Token::OpenBracket
    )
}

/// Up to 40 characters of the text at `span`, for messages: `` `"addons"` ``.
fn snippet(text: &str, span: Span) -> String {
    format!("`{}`", snippet_raw(text, span))
}

fn snippet_raw(text: &str, span: Span) -> String {
    let s = text.get(span.start..span.end).unwrap_or("");
    // Only the first 41 characters are looked at: a span can run to the end of the input.
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

fn syntax_error(text: &str, index: &LineIndex, kind: &ParseErrorKind, span: Span) -> Diagnostic {
    use ParseErrorKind as K;
    let found = || snippet(text, span);
    let what = || lower_first(&kind.to_string());
    let raw = text.get(span.start..span.end).unwrap_or("");
    if matches!(raw, "NaN" | "Infinity" | "-Infinity" | "+Infinity") {
        return Diagnostic::new(
            Code::InvalidNumber,
            format!("invalid number: `{raw}` is not JSON"),
        )
        .with_span_to_locate(span)
        .with_hint("JSON has no NaN or infinity; use a string, or leave the field out");
    }
    let is_word = raw
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$');
    if is_word && matches!(kind, K::UnexpectedToken | K::UnexpectedWord) {
        return Diagnostic::new(
            Code::UnquotedKey,
            format!("unexpected word {}: strings must be in double quotes", found()),
        )
        .with_span_to_locate(span)
        .with_hint("write strings as \"text\"; the only bare words JSON knows are `true`, `false` and `null`");
    }
    let after_zero = span.start > 0
        && text.as_bytes().get(span.start - 1) == Some(&b'0')
        && text
            .as_bytes()
            .get(span.start)
            .is_some_and(u8::is_ascii_digit);
    if after_zero {
        // The whole number: back over the digits and sign before the zero, on over the
        // rest of the number after it (as the lexer reads `[01e5]`: `0`, then `1e5`).
        let bytes = text.as_bytes();
        let mut start = span.start - 1;
        while start > 0 && bytes[start - 1].is_ascii_digit() {
            start -= 1;
        }
        if start > 0 && bytes[start - 1] == b'-' {
            start -= 1;
        }
        return leading_zero(Span::new(start, number_end(bytes, span.start)));
    }
    if raw == "," {
        // JSON-4: a doubled comma (`[1,,2]`, `{"a": 1,, "b": 2}`): the comma before this
        // one, across white space, is the first of the two.
        let before = text.get(..span.start).unwrap_or("").trim_end();
        if before.ends_with(',') {
            let first = before.len() - 1;
            let (line, column) = index.line_col(first);
            return Diagnostic::new(Code::JsonSyntax, "two commas in a row: JSON allows one comma between two members or elements".to_string())
                .with_span_to_locate(span)
                .with_hint(format!(
                    "remove this comma (the first is at line {line}, column {column}), or write the missing member or element between them"
                ));
        }
    }
    let (code, message, hint): (Code, String, &str) = match kind {
        K::UnterminatedArray => (
            Code::UnexpectedEnd,
            "this array is never closed".into(),
            "add the missing `]`",
        ),
        K::UnterminatedObject => (
            Code::UnexpectedEnd,
            "this object is never closed".into(),
            "add the missing `}`; check that every `{` has its `}`",
        ),
        K::UnterminatedCommentBlock => (
            Code::UnexpectedEnd,
            "this `/*` comment is never closed".into(),
            "JSON has no comments; remove it",
        ),
        K::String(ParseStringErrorKind::UnterminatedStringLiteral) => (
            Code::UnexpectedEnd,
            "this string is never closed".into(),
            "add the closing `\"`",
        ),
        K::SingleQuotedStringsNotAllowed => (
            Code::SingleQuotes,
            format!("single-quoted string {}", found()),
            "use double quotes: \"...\"",
        ),
        K::HexadecimalNumbersNotAllowed
        | K::UnaryPlusNumbersNotAllowed
        | K::BareDecimalPointNumbersNotAllowed
        | K::NonFiniteNumbersNotAllowed
        | K::ExpectedDigit
        | K::ExpectedDigitFollowingNegativeSign
        | K::ExpectedPlusMinusOrDigitInNumberLiteral => (
            Code::InvalidNumber,
            format!("invalid number: {}", what()),
            "write decimal numbers as JSON does: `1`, `-2`, `0.5`, `1e3`",
        ),
        K::String(_) => (
            Code::InvalidString,
            format!("invalid string: {}", what()),
            "escape `\"` and `\\` with a backslash; use \\n for a newline",
        ),
        K::MultipleRootJsonValues => (
            Code::TrailingContent,
            format!("unexpected {} after the end of the manifest", found()),
            "a manifest is one JSON object; check for an extra `}` earlier or text after the last `}`",
        ),
        K::ExpectedStringObjectProperty | K::UnexpectedWord => (
            Code::UnquotedKey,
            format!("unexpected {}: object keys and strings must be in double quotes", found()),
            "write keys as \"name\": value",
        ),
        _ => (
            Code::JsonSyntax,
            if span.is_empty() {
                what()
            } else {
                format!("{}: found {}", what(), found())
            },
            "check the JSON syntax around this place",
        ),
    };
    Diagnostic::new(code, message)
        .with_span_to_locate(span)
        .with_hint(hint)
}

/// The end of the number whose digits continue at `from` in `bytes`: digits and decimal
/// points, then an exponent (`e` or `E`, an optional sign, digits) when one follows. Used
/// for the `JSON-4` leading-zero finding, whose span is the whole number.
fn number_end(bytes: &[u8], from: usize) -> usize {
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut end = from;
    while digit_at(end) || bytes.get(end) == Some(&b'.') {
        end += 1;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut exp = end + 1;
        if matches!(bytes.get(exp), Some(b'+' | b'-')) {
            exp += 1;
        }
        if digit_at(exp) {
            while digit_at(exp) {
                exp += 1;
            }
            end = exp;
        }
    }
    end
}

/// SM0014 for a number written with a leading zero (`01`, `-007`), at `span`.
fn leading_zero(span: Span) -> Diagnostic {
    Diagnostic::new(Code::InvalidNumber, "invalid number: leading zero")
        .with_span_to_locate(span)
        .with_hint("JSON numbers have no leading zeros; write it without them, or as a string")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn span_of(r: &impl Ranged) -> Span {
    let range = r.range();
    Span::new(range.start, range.end)
}

/// Objects with more members than this find duplicate keys with a map (rule `JSON-8`).
pub(crate) const SMALL_OBJECT: usize = 16;

/// Converts the jsonc AST into [`Node`]s, dropping earlier duplicate keys with a warning.
fn convert<'t>(
    value: &ast::Value<'t>,
    text: &str,
    arena: &'t Bump,
    index: &LineIndex,
    diags: &mut Bounded,
) -> Node<'t> {
    let span = span_of(value);
    let json = match value {
        ast::Value::NullKeyword(_) => Json::Null,
        ast::Value::BooleanLit(b) => Json::Bool(b.value),
        ast::Value::NumberLit(_) => Json::Number,
        ast::Value::StringLit(s) => {
            check_string(text, span, diags);
            Json::String(in_arena(&s.value, arena))
        }
        ast::Value::Array(a) => Json::Array(
            arena.alloc_slice_fill_iter(
                a.elements
                    .iter()
                    .map(|e| convert(e, text, arena, index, diags)),
            ),
        ),
        ast::Value::Object(o) => {
            // Slots in document order; an earlier duplicate's slot is emptied. A large object
            // finds the slot of a key in a map, in O(1), so that it stays linear; a small one
            // (most are) scans its few slots, which allocates and hashes nothing.
            let mut slots: Vec<Option<Member>> = Vec::with_capacity(o.properties.len());
            let mut seen: Option<std::collections::HashMap<&str, usize>> = (o.properties.len()
                > SMALL_OBJECT)
                .then(|| std::collections::HashMap::with_capacity(o.properties.len()));
            for prop in &o.properties {
                let (key, key_span): (&'t str, Span) = match &prop.name {
                    ast::ObjectPropName::String(s) => {
                        let key_span = span_of(s);
                        check_string(text, key_span, diags);
                        (in_arena(&s.value, arena), key_span)
                    }
                    ast::ObjectPropName::Word(w) => (w.value, span_of(w)),
                };
                let value = convert(&prop.value, text, arena, index, diags);
                let earlier_slot = match &mut seen {
                    Some(map) => map.insert(key, slots.len()),
                    None => slots
                        .iter()
                        .position(|slot| slot.as_ref().is_some_and(|m| m.key == key)),
                };
                let earlier =
                    earlier_slot.and_then(|pos| slots.get_mut(pos).and_then(Option::take));
                if let Some(first) = &earlier {
                    diags.push(duplicate_key(text, index, key_span, first.key_span));
                }
                // The kept member remembers the keys it replaced, so every duplicate-key
                // finding can name it (JSON-8), the middle ones of three or more included.
                let duplicate_key_spans: &'t [Span] = match earlier {
                    Some(e) => {
                        let mut spans = e.duplicate_key_spans.to_vec();
                        spans.push(e.key_span);
                        arena.alloc_slice_copy(&spans)
                    }
                    None => &[],
                };
                slots.push(Some(Member {
                    key,
                    key_span,
                    value,
                    duplicate_key_spans,
                }));
            }
            let kept: Vec<Member<'t>> = slots.into_iter().flatten().collect();
            Json::Object(arena.alloc_slice_copy(&kept))
        }
    };
    Node { value: json, span }
}

/// `s` with the lifetime of the tree: borrowed from the text when it is, else copied to
/// the arena.
fn in_arena<'t>(s: &Cow<'t, str>, arena: &'t Bump) -> &'t str {
    match s {
        Cow::Borrowed(b) => b,
        Cow::Owned(o) => arena.alloc_str(o),
    }
}

/// SM0010 for the key at `key_span`, which repeats the key at `earlier` (rule `JSON-8`);
/// its pointer is set once the document is read (`validate::check`), and stays `""` when
/// the reading stopped at a syntax error (`JSON-4`).
fn duplicate_key(text: &str, index: &LineIndex, key_span: Span, earlier: Span) -> Diagnostic {
    let (line, col) = index.line_col(earlier.start);
    Diagnostic::new(
        Code::DuplicateKey,
        format!(
            "duplicate key {}; the last one is used",
            snippet(text, key_span)
        ),
    )
    .with_span_to_locate(key_span)
    .with_hint(format!(
        "the key is also defined at line {line}, column {col}; remove one of them"
    ))
}

/// JSON forbids raw control characters (U+0000 to U+001F) inside strings.
fn check_string(text: &str, span: Span, diags: &mut Bounded) {
    let raw = text.get(span.start..span.end).unwrap_or("");
    if let Some(off) = raw.bytes().position(|b| b < 0x20) {
        let at = span.start + off;
        let c = raw.as_bytes()[off];
        diags.push(
            Diagnostic::new(
                Code::InvalidString,
                format!("raw control character U+{c:04X} inside a string"),
            )
            .with_span_to_locate(Span::new(at, at + 1))
            .with_hint("escape it: \\n for a newline, \\t for a tab, \\u00XX otherwise"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::test_day as day;

    fn codes(input: &str) -> Vec<(String, u32, u32)> {
        parse(input.as_bytes())
            .diagnostics
            .into_iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                )
            })
            .collect()
    }

    fn c(code: &str, line: u32, col: u32) -> (String, u32, u32) {
        (code.to_string(), line, col)
    }

    /// (code, message, span) of each finding: messages are not part of the conformance
    /// vectors, so their exact wording is pinned here.
    fn findings(input: &str) -> Vec<(String, String, Span)> {
        parse(input.as_bytes())
            .diagnostics
            .into_iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.message.into_owned(),
                    d.span.unwrap_or(Span::point(usize::MAX)),
                )
            })
            .collect()
    }

    #[test]
    fn type_names_are_the_json_ones() {
        let names: Vec<&str> = [
            Json::Null,
            Json::Bool(true),
            Json::Number,
            Json::String("s"),
            Json::Array(&[]),
            Json::Object(&[]),
        ]
        .iter()
        .map(Json::type_name)
        .collect();
        assert_eq!(
            names,
            ["null", "boolean", "number", "string", "array", "object"]
        );
    }

    #[test]
    fn json_4_leading_zeros_are_one_invalid_number() {
        // In an object the lexer stops at the digit after the zero; in an array it reads
        // on, as numbers side by side: both are one SM0014 over the whole number.
        for (input, at, len) in [
            (r#"{"a": 01}"#, 6, 2),
            (r#"{"a": -007}"#, 6, 4),
            (r#"{"a": 00.25, "b": 1}"#, 6, 5),
            (r#"{"a": 01e5}"#, 6, 4),
            (r#"{"a": -01.5E+3, "b": 1}"#, 6, 8),
            ("[01e5]", 1, 4),
            ("[-01.5E+3, 1]", 1, 8),
            ("[01]", 1, 2),
            ("[-01]", 1, 3),
            ("[00.5]", 1, 4),
            ("[0123456]", 1, 7),
            ("[001]", 1, 3),
            ("[-000]", 1, 4),
        ] {
            assert_eq!(
                findings(input),
                [(
                    "SM0014".to_string(),
                    "invalid number: leading zero".to_string(),
                    Span::new(at, at + len)
                )],
                "{input}"
            );
        }
        // Numbers apart are two numbers missing a comma. A leading zero stops the reading
        // (`010` is 8 to some readers, 10 to others): what follows is not read, and the
        // missing comma that starts at the number itself is not reported either.
        assert_eq!(codes("[0 1]"), [c("SM0009", 1, 4)]);
        assert_eq!(codes("[01 2]"), [c("SM0014", 1, 2)]);
        assert_eq!(codes("[1 01]"), [c("SM0014", 1, 4)]);
        assert_eq!(
            codes("[1 2, 01, 3 4]"),
            [c("SM0009", 1, 4), c("SM0014", 1, 7)]
        );
        assert!(parse(b"[01]").root.is_none());
        assert!(parse(b"{\"a\": [1, 01]}").root.is_none());
        // The first syntax error is the one reported, whichever the parser met first.
        assert_eq!(codes("[01, {\"a\" 1}]"), [c("SM0014", 1, 2)]);
        for input in [
            "[0]", "[-0]", "[0.5]", "[10]", "[0e1]", "[-0.0]", "[1e01]", "[0, 1]",
        ] {
            assert_eq!(findings(input), [], "{input}");
        }
    }

    #[test]
    fn json_4_a_raw_control_character_is_one_byte() {
        assert_eq!(
            findings("{\"a\": \"x\ty\"}"),
            [(
                "SM0015".to_string(),
                "raw control character U+0009 inside a string".to_string(),
                Span::new(8, 9)
            )]
        );
    }

    #[test]
    fn syntax_messages_quote_the_parser_in_lower_case() {
        assert_eq!(lower_first("Expected colon"), "expected colon");
        assert_eq!(lower_first("Élan"), "élan");
        assert_eq!(lower_first(""), "");
        for (input, message) in [
            (
                r#"{"a": 0x1F}"#,
                "invalid number: hexadecimal numbers are not allowed",
            ),
            (
                r#"{"a": +1}"#,
                "invalid number: unary plus on numbers is not allowed",
            ),
        ] {
            let messages: Vec<String> = findings(input).into_iter().map(|f| f.1).collect();
            assert_eq!(messages, [message], "{input}");
        }
    }

    #[test]
    fn bare_words_are_named_as_words() {
        for (input, word, at) in [
            (r#"{"a": yes}"#, "yes", 6),
            (r#"{"a": _b}"#, "_b", 6),
            (r#"{"a": $c}"#, "$c", 6),
        ] {
            assert_eq!(
                findings(input),
                [(
                    "SM0017".to_string(),
                    format!("unexpected word `{word}`: strings must be in double quotes"),
                    Span::new(at, at + word.len())
                )],
                "{input}"
            );
        }
    }

    #[test]
    fn too_deep_points_at_the_opening_bracket() {
        let input = "[".repeat(MAX_DEPTH + 5);
        let f = findings(&input);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "SM0005");
        assert_eq!(f[0].2, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
    }

    #[test]
    fn snippets_stop_at_40_characters() {
        // The token after the missing comma is shown whole up to 40 characters.
        let forty = format!("\"{}\"", "a".repeat(38));
        let f = findings(&format!("[1 {forty}]"));
        assert_eq!(f[0].1, format!("expected `,` before `{forty}`"));
        let forty_one = format!("\"{}\"", "a".repeat(39));
        let f = findings(&format!("[1 {forty_one}]"));
        let shown: String = forty_one.chars().take(40).collect();
        assert_eq!(f[0].1, format!("expected `,` before `{shown}…`"));
    }

    #[test]
    fn valid_object_has_spans() {
        let p = parse(br#"{"name": "x", "n": [1, true, null]}"#);
        assert!(p.diagnostics.is_empty());
        let root = p.root.unwrap();
        let Json::Object(m) = root.value else {
            panic!("object expected")
        };
        assert_eq!(m[0].key, "name");
        assert_eq!(m[0].key_span, Span::new(1, 7));
        assert_eq!(m[0].value.span, Span::new(9, 12));
        assert_eq!(m[0].value.value, Json::String("x"));
        assert!(matches!(&m[1].value.value, Json::Array(v) if v.len() == 3));
    }

    #[test]
    fn json_4_doubled_commas_are_named() {
        for text in ["[1,,2]", "{\"a\": 1,\n ,\"b\": 2}"] {
            let p = parse(text.as_bytes());
            let d = p
                .diagnostics
                .iter()
                .find(|d| d.code == "SM0006")
                .expect("a syntax error");
            assert_eq!(
                d.message,
                "two commas in a row: JSON allows one comma between two members or elements",
                "{text}"
            );
            assert!(
                d.hint
                    .as_deref()
                    .unwrap()
                    .starts_with("remove this comma (the first is at line 1, column "),
                "{text}"
            );
        }
    }

    #[test]
    fn missing_comma_names_both_lines() {
        let p = parse(b"{\n  \"a\": {\n  }\n  \"addons\": []\n}\n");
        assert_eq!(p.diagnostics.len(), 1);
        let d = &p.diagnostics[0];
        assert_eq!(d.code, "SM0009");
        assert_eq!((d.line, d.column), (Some(4), Some(3)));
        assert_eq!(d.message, "expected `,` before `\"addons\"`");
        assert_eq!(d.hint.as_deref(), Some("add a comma after `}` on line 3"));
        assert!(p.root.is_some(), "recovered");
    }

    #[test]
    fn comments_and_trailing_commas_are_errors_but_read() {
        let got = codes("{\n // hi\n \"a\": [1,],\n /* x */ \"b\": 2,\n}");
        assert_eq!(
            got,
            [
                c("SM0007", 2, 2),
                c("SM0008", 3, 9),
                c("SM0007", 4, 2),
                c("SM0008", 4, 16)
            ]
        );
        assert!(parse(b"{\"a\": [1,],}").root.is_some());
    }

    #[test]
    fn duplicate_key_keeps_last() {
        let p = parse(b"{\"stack\": \"a\", \"x\": 1, \"stack\": \"b\"}");
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].code, "SM0010");
        assert_eq!(p.diagnostics[0].column, Some(24));
        let Some(Node {
            value: Json::Object(m),
            ..
        }) = p.root
        else {
            panic!()
        };
        let keys: Vec<_> = m.iter().map(|m| m.key).collect();
        assert_eq!(keys, ["x", "stack"]);
        assert_eq!(m[1].value.value, Json::String("b"));
    }

    #[test]
    fn bom_invalid_utf8_empty_crlf() {
        assert_eq!(codes("\u{feff}{}"), [c("SM0003", 1, 1)]);
        let p = parse(b"{\"a\": \"\xff\"}");
        assert_eq!(p.diagnostics[0].code, "SM0002");
        assert_eq!(p.diagnostics[0].column, Some(8));
        assert_eq!(p.diagnostics[0].span, Some(Span::new(7, 8)));
        assert!(p.root.is_some());
        assert_eq!(codes(""), [c("SM0004", 1, 1)]);
        assert_eq!(codes(" \n\t"), [c("SM0004", 1, 1)]);
        assert_eq!(codes("{\r\n\"a\": 1\r\n}"), [c("SM0011", 1, 2)]);
        let p = parse(b"{\r\n\"a\": x}");
        assert_eq!(p.diagnostics.last().unwrap().line, Some(2));
    }

    /// JSON-2, DIAG-5: the byte order mark is read as white space but counted as the one
    /// character it is, so the findings after it on line 1 have the columns of the input
    /// (found by `tests/prop_manifest.rs`, `json_2_a_byte_order_mark_is_an_error_and_read_past`
    /// and `diag_5_check_is_total_and_positions_lie_in_the_input`: they were 2 too large).
    #[test]
    fn bom_is_one_column() {
        assert_eq!(
            codes("\u{feff}{\"a\" 1}"),
            [c("SM0003", 1, 1), c("SM0006", 1, 7)]
        );
        let p = parse("\u{feff}{}".as_bytes());
        assert!(p.text.starts_with('\u{feff}'));
        assert!(p.root.is_some());
        assert_eq!(codes("\u{feff}"), [c("SM0004", 1, 1), c("SM0003", 1, 1)]);
        let checked = crate::manifest::check("\u{feff}{\"nmae\": 1}".as_bytes(), day());
        let found: Vec<_> = checked
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [("SM0003", Some(1), Some(1)), ("SM0108", Some(1), Some(3))]
        );
        let checked = crate::manifest::check("\u{feff}[]".as_bytes(), day());
        assert_eq!(checked.diagnostics[1].code, "SM0100");
        assert_eq!(checked.diagnostics[1].column, Some(2));
    }

    #[test]
    fn other_syntax_errors() {
        assert_eq!(codes("{\"a\": 1"), [c("SM0012", 1, 1)]);
        assert_eq!(codes("[1, 2"), [c("SM0012", 1, 1)]);
        assert_eq!(codes("{\"a\": \"x}")[0].0, "SM0012");
        assert_eq!(codes("{'a': 1}")[0].0, "SM0013");
        assert_eq!(codes("{\"a\": 0x1}")[0].0, "SM0014");
        assert_eq!(codes("{\"a\": 01}")[0].0, "SM0014");
        assert_eq!(codes("{\"a\": +1}")[0].0, "SM0014");
        assert_eq!(codes("{\"a\": \"\\q\"}")[0].0, "SM0015");
        assert_eq!(codes("{\"a\": \"x\ny\"}")[0].0, "SM0015");
        assert_eq!(codes("{} {}")[0].0, "SM0016");
        assert_eq!(codes("{a: 1}")[0].0, "SM0017");
        assert_eq!(codes("{\"a\": NaN}")[0].0, "SM0014");
        assert_eq!(codes("{\"a\": -Infinity}")[0].0, "SM0014");
        assert_eq!(codes("{\"a\": tru}")[0].0, "SM0017");
        assert_eq!(codes("{\"a\": True}")[0].0, "SM0017");
        assert_eq!(codes("{\"a\": undefined}")[0].0, "SM0017");
        assert_eq!(codes("{\"a\" 1}")[0].0, "SM0006");
    }

    /// JSON-4: after a syntax error the reader cannot read past, the findings of the
    /// reading that begin before it are reported (what a reader going from the start finds
    /// before it stops), the findings about the bytes wherever they are, nothing else.
    #[test]
    fn json_4_findings_before_the_stop_are_kept() {
        assert_eq!(
            codes("{// c\n\"a\": 1"),
            [c("SM0012", 1, 1), c("SM0007", 1, 2)]
        );
        assert_eq!(
            codes("{\"a\": [1,], \"b\" 2}"),
            [c("SM0008", 1, 9), c("SM0006", 1, 17)]
        );
        assert_eq!(codes("[1 2"), [c("SM0012", 1, 1), c("SM0009", 1, 4)]);
        assert_eq!(
            codes("{\"a\": \"x\ty\", \"b\" 1}"),
            [c("SM0015", 1, 9), c("SM0006", 1, 18)]
        );
        // A duplicate key before the stop: no member is kept, so the pointer stays "".
        let p = parse(b"{\"a\": 1, \"a\": 2");
        assert!(p.root.is_none());
        let found: Vec<_> = p
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.column, d.pointer.as_str()))
            .collect();
        assert_eq!(found, [("SM0012", Some(1), ""), ("SM0010", Some(10), "")]);
        // Keys are those of their own object; a string value followed by a colon in an
        // array is not a key; a comment between a key and its colon is skipped.
        assert_eq!(
            codes("{\"x\": {\"a\": 1}, \"a\" /* c */: 2, \"a\": 3 4"),
            [c("SM0007", 1, 21), c("SM0010", 1, 33), c("SM0017", 1, 40)]
        );
        assert_eq!(
            codes("[\"a\", {\"a\": 1}, \"a\" : 2]"),
            [c("SM0006", 1, 21)]
        );
        // Nothing after the stop is reported: not the comment, not the later duplicate.
        assert_eq!(codes("{\"a\" 1, \"a\": 2, // c\n}"), [c("SM0006", 1, 6)]);
        // Findings about the bytes are made before reading, wherever they are.
        assert_eq!(
            codes("\u{feff}{\"a\" 1,\r\n \"b\": \"\u{1}\"}"),
            [c("SM0003", 1, 1), c("SM0006", 1, 7), c("SM0011", 1, 9)]
        );
    }

    /// JSON-4: the input ending inside an object or an array is SM0012 at the innermost
    /// bracket left open, whatever was expected next (a key, a colon, a value, a comma).
    #[test]
    fn json_4_the_end_inside_an_object_or_array_is_unterminated() {
        for (input, col) in [
            ("{\"a\"", 1),
            ("{\"a\":", 1),
            ("{\"a\": ", 1),
            ("{\"a\": 1,", 1),
            ("{\"a\" // c\n", 1),
            ("[1,", 1),
            ("[", 1),
            ("{\"a\": [1, {\"b\"", 11),
            ("{\"a\": [1, {\"b\": 2}", 7),
        ] {
            let f = findings(input);
            let last = f.iter().find(|f| f.0 != "SM0007").expect("a finding");
            assert_eq!(last.0, "SM0012", "{input}");
            assert_eq!(last.2, Span::new(col - 1, col), "{input}");
            let object = input.as_bytes()[col - 1] == b'{';
            let message = if object {
                "this object is never closed"
            } else {
                "this array is never closed"
            };
            assert_eq!(last.1, message, "{input}");
        }
        // Not the end: the error is where the parser stopped.
        assert_eq!(codes("{\"a\" }"), [c("SM0006", 1, 6)]);
        // An invalid number or word at the end keeps its own finding.
        assert_eq!(codes("{\"a\": -")[0].0, "SM0014");
        assert_eq!(codes("{\"a\": tr")[0].0, "SM0017");
    }

    /// JSON-4: JSON's white space is space, tab, LF and CR; the lexer also skips form
    /// feeds, vertical tabs and Unicode spaces, which are a syntax error that stops the
    /// reading (found by `tests/syntax_differential.rs`: they were read as white space, and
    /// an input of them alone had no finding at all). JSON-3: such an input is not empty.
    #[test]
    fn json_4_white_space_json_does_not_have_is_an_error() {
        for (input, at, c) in [
            ("\u{b}", 0, 0xb),
            ("\u{c}", 0, 0xc),
            ("{\"a\":\u{b}1}", 5, 0xb),
            ("{\"a\": 1,\u{a0}\"b\": 2}", 8, 0xa0),
            ("[1 \u{2028}", 3, 0x2028),
            ("{} \u{3000}", 3, 0x3000),
        ] {
            let f = findings(input);
            assert_eq!(f.len(), 1, "{input:?}: {f:?}");
            assert_eq!(f[0].0, "SM0006", "{input:?}");
            assert_eq!(
                f[0].1,
                format!("unexpected character U+{c:04X}: JSON's white space is space, tab, line feed and carriage return")
            );
            let len = char::from_u32(c).unwrap().len_utf8();
            assert_eq!(f[0].2, Span::new(at, at + len), "{input:?}");
            assert!(parse(input.as_bytes()).root.is_none(), "{input:?}");
        }
        // A raw control character before a bad escape of the same string is read before
        // the stop (found by `tests/syntax_differential.rs`).
        assert_eq!(
            codes("[\"a\nb\\q\"]"),
            [c("SM0015", 1, 4), c("SM0015", 2, 2)]
        );
        // Findings before it are kept; inside a string or a comment it is no white space.
        assert_eq!(
            codes("{\"a\": [1,], \u{c}\"b\": 2}"),
            [c("SM0008", 1, 9), c("SM0006", 1, 13)]
        );
        assert_eq!(
            codes("{\"a\": \"x\u{a0}y\"} // \u{b}"),
            [c("SM0007", 1, 14)]
        );
        assert_eq!(codes(" \t\n\r{}"), []);
    }

    #[test]
    fn limits() {
        let deep = "[".repeat(40) + &"]".repeat(40);
        assert_eq!(codes(&deep), [c("SM0005", 1, 33)]);
        let ok = "[".repeat(32) + &"]".repeat(32);
        assert!(codes(&ok).is_empty());
        let big = vec![b' '; MAX_INPUT_BYTES + 1];
        assert_eq!(parse(&big).diagnostics[0].code, "SM0001");
        // brackets inside strings do not count
        let s = format!("{{\"a\": \"{}\"}}", "[".repeat(100));
        assert!(codes(&s).is_empty());
    }
}
