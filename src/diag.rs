//! Diagnostics: the one shape every finding of the engine takes.
//!
//! A [`Diagnostic`] carries a stable `code` (never reused, like rustc's `E0xxx`), a
//! [`Severity`], a human `message`, an RFC 6901 JSON `pointer` into the input, a 1-based
//! `line` and `column` (columns count Unicode scalar values, so a tab or an `é` is one
//! column), the byte `span`, the spec `rule` ID it enforces, and an optional `hint`.
//!
//! Codes are declared once, as the variants of [`Code`] in the table of
//! `src/diag/codes.rs` (each row names the module that emits the code), and listed by
//! [`catalogue`](crate::catalogue). Code ranges (spec rule `DIAG-2`):
//!
//! | range | module |
//! |---|---|
//! | `SM0001`–`SM0099` | input and JSON syntax (`manifest::json`) |
//! | `SM0100`–`SM0199` | manifest top level (`manifest`) |
//! | `SM0200`–`SM0299` | manifest `env` |
//! | `SM0300`–`SM0399` | manifest `addons` |
//! | `SM0400`–`SM0499` | manifest `formation` |
//! | `SM0500`–`SM0599` | manifest `scripts` |
//! | `SM0600`–`SM0699` | `procfile` |
//! | `SM0700`–`SM0799` | `locate` |
//! | `SM0800`–`SM0899` | `source` |
//! | `SM0900`–`SM0999` | `env` resolution and `generate` |
//! | `SM1000`–`SM1099` | `addons` resolution |
//! | `SM1100`–`SM1199` | `formation` resolution |
//! | `SM1200`–`SM1299` | `hooks` |
//! | `SM1300`–`SM1399` | `scenario` |
//! | `SM1400`–`SM1499` | `firewall` (reading `firewall_rules`, and resolution) |

use std::borrow::Cow;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::text::{LineIndex, Span};

mod codes;

pub use codes::{Code, UnknownCode};

/// How bad a finding is (spec rule `DIAG-3`).
///
/// * `error`: the input cannot be used as written; `check` exits 1.
/// * `warning`: the input is used, but something in it is ignored, deprecated, or
///   means something else than it probably intends.
/// * `note`: information only (for example CRLF line endings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information only.
    Note,
    /// Used, but probably not as intended.
    Warning,
    /// Cannot be used as written.
    Error,
}

impl Severity {
    /// The lowercase name used in JSON and in human output (`"error"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding about an input (spec rule `DIAG-1`).
///
/// Shape in JSON (fields in this order; absent optional fields are omitted):
/// `{"code","severity","message","pointer","line","column","span","rule","hint"}`.
/// `pointer` is an RFC 6901 JSON pointer (`""` for the whole document). `line` and
/// `column` are 1-based; both are absent for findings that are about no particular place
/// (for example a scenario-level finding). `span` is `{start, end}` in bytes.
///
/// `rule` is not stored: it is always the code's ([`Diagnostic::rule`]), and when a
/// diagnostic is read from JSON its `rule` member is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Diagnostic {
    /// Stable code (`SMxxxx`).
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// Human message, one sentence, no trailing period. Borrowed when the text is fixed
    /// (most hints and many messages), so that making a finding copies no fixed text.
    pub message: Cow<'static, str>,
    /// RFC 6901 JSON pointer to the value concerned (`""` for the document root).
    pub pointer: String,
    /// 1-based line of the start of `span`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (in Unicode scalar values) of the start of `span`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Byte range in the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// What to do about it, when there is something to say; borrowed when fixed, as
    /// `message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Cow<'static, str>>,
}

impl Diagnostic {
    /// A diagnostic for `code` with `message`, at no particular place (pointer `""`).
    pub fn new(code: Code, message: impl Into<Cow<'static, str>>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            pointer: String::new(),
            line: None,
            column: None,
            span: None,
            hint: None,
        }
    }

    /// Sets the JSON pointer (RFC 6901, already escaped; see [`pointer_push`]).
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = pointer.into();
        self
    }

    /// Sets the span, and the line and column computed from it with `index`.
    pub fn with_span(mut self, span: Span, index: &LineIndex) -> Self {
        let (line, column) = index.line_col(span.start);
        self.span = Some(span);
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the span, leaving the line and column to [`locate`] (which finds those of all
    /// of a document's findings in one pass).
    pub(crate) fn with_span_to_locate(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sets the hint.
    pub fn with_hint(mut self, hint: impl Into<Cow<'static, str>>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Overrides the default severity of the code.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// True when the severity is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The spec rule ID the diagnostic enforces: its code's ([`Code::rule`]).
    pub fn rule(&self) -> &'static str {
        self.code.rule()
    }
}

impl Serialize for Diagnostic {
    /// The JSON shape of rule `DIAG-1`, fields in this order: `code`, `severity`,
    /// `message`, `pointer`, `line`, `column`, `span`, `rule`, `hint`; absent optional
    /// fields are omitted.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present = 5
            + usize::from(self.line.is_some())
            + usize::from(self.column.is_some())
            + usize::from(self.span.is_some())
            + usize::from(self.hint.is_some());
        let mut s = serializer.serialize_struct("Diagnostic", present)?;
        s.serialize_field("code", &self.code)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("message", &self.message)?;
        s.serialize_field("pointer", &self.pointer)?;
        match self.line {
            Some(line) => s.serialize_field("line", &line)?,
            None => s.skip_field("line")?,
        }
        match self.column {
            Some(column) => s.serialize_field("column", &column)?,
            None => s.skip_field("column")?,
        }
        match &self.span {
            Some(span) => s.serialize_field("span", span)?,
            None => s.skip_field("span")?,
        }
        s.serialize_field("rule", self.rule())?;
        match &self.hint {
            Some(hint) => s.serialize_field("hint", hint)?,
            None => s.skip_field("hint")?,
        }
        s.end()
    }
}

/// Gives every finding of `diags` that has a span but no line its line and column in `text`
/// (rule `DIAG-5`), in one pass over the text when the findings are sorted (rule `DIAG-4`
/// puts located findings first, by where they start), as [`crate::text::LineSweep`] says.
pub(crate) fn locate(diags: &mut [Diagnostic], text: &str) {
    let mut sweep = crate::text::LineSweep::new(text);
    for d in diags.iter_mut().filter(|d| d.line.is_none()) {
        if let Some(span) = d.span {
            let (line, column) = sweep.line_col(span.start);
            d.line = Some(line);
            d.column = Some(column);
        }
    }
}

/// Appends one reference token to an RFC 6901 JSON pointer, escaping `~` as `~0` and
/// `/` as `~1`. `pointer_push("/env", "A/B")` is `"/env/A~1B"`.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    push_token(&mut out, token);
    out
}

/// Appends `/` and `token`, escaped as [`pointer_push`] says, to `out`.
fn push_token(out: &mut String, token: &str) {
    out.push('/');
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A JSON pointer (RFC 6901) as the path walked to a value: a chain of reference tokens
/// kept on the stack and written out, as [`pointer_push`] would, only when a finding needs
/// it, so that reading a document that has few findings builds few strings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pointer<'a> {
    /// The whole document: `""`.
    Root,
    /// A member of the object at the parent pointer, by its key (unescaped).
    Key(&'a Pointer<'a>, &'a str),
    /// An element of the array at the parent pointer, by its 0-based index.
    Index(&'a Pointer<'a>, usize),
}

impl<'a> Pointer<'a> {
    /// The pointer of the member `key` of the object this points at.
    pub(crate) fn key(&'a self, key: &'a str) -> Pointer<'a> {
        Pointer::Key(self, key)
    }

    /// The pointer of element `i` of the array this points at.
    pub(crate) fn index(&'a self, i: usize) -> Pointer<'a> {
        Pointer::Index(self, i)
    }

    /// The pointer as text, each token escaped (`/env/A~1B`), in a string allocated once.
    pub(crate) fn render(&self) -> String {
        let mut out = String::with_capacity(self.len_bound());
        self.write(&mut out);
        out
    }

    /// A bound on the length of the text, in bytes: exact unless a key has `~` or `/` to
    /// escape (an index counts 21 bytes, the most a `/` and a `usize` take).
    pub(crate) fn len_bound(&self) -> usize {
        match *self {
            Pointer::Root => 0,
            Pointer::Key(parent, key) => parent.len_bound() + 1 + key.len(),
            Pointer::Index(parent, _) => parent.len_bound() + 21,
        }
    }

    fn write(&self, out: &mut String) {
        match *self {
            Pointer::Root => {}
            Pointer::Key(parent, key) => {
                parent.write(out);
                push_token(out, key);
            }
            Pointer::Index(parent, i) => {
                parent.write(out);
                // Digits need no escape; writing to a `String` cannot fail.
                let _ = std::fmt::Write::write_fmt(out, format_args!("/{i}"));
            }
        }
    }
}

/// Sorts diagnostics into their canonical order: by span start (located ones first, in
/// source order), then code, then pointer, then message (spec rule `DIAG-4`). The order is
/// total, so the same findings always print in the same order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(canonical_order);
}

/// The canonical order of two diagnostics (rule `DIAG-4`; see [`sort`]).
fn canonical_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let ka = a.span.map(|s| (0u8, s.start, s.end)).unwrap_or((1, 0, 0));
    let kb = b.span.map(|s| (0u8, s.start, s.end)).unwrap_or((1, 0, 0));
    ka.cmp(&kb)
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| a.pointer.cmp(&b.pointer))
        .then_with(|| a.message.cmp(&b.message))
}

/// A diagnostic ordered canonically, for [`Bounded`]'s heap.
struct Canonical(Diagnostic);

impl PartialEq for Canonical {
    fn eq(&self, other: &Self) -> bool {
        canonical_order(&self.0, &other.0).is_eq()
    }
}
impl Eq for Canonical {}
impl PartialOrd for Canonical {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Canonical {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        canonical_order(&self.0, &other.0)
    }
}

/// Findings collected under a limit: the first `limit` in canonical order (rule `DIAG-4`)
/// are kept, every finding is counted, so memory stays bounded however many are made
/// (rule `ENV-15`). `finish` gives the kept ones sorted and the counts.
pub(crate) struct Bounded {
    limit: usize,
    kept: std::collections::BinaryHeap<Canonical>,
    counts: Counts,
}

impl Bounded {
    /// An empty collector keeping at most `limit` findings.
    pub(crate) fn new(limit: usize) -> Bounded {
        Bounded {
            limit,
            kept: std::collections::BinaryHeap::new(),
            counts: Counts::default(),
        }
    }

    /// Counts `d`, and keeps it when it is among the first `limit` in canonical order.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.count_unkept(d.severity);
        if self.kept.len() < self.limit {
            self.kept.push(Canonical(d));
        } else if self
            .kept
            .peek()
            .is_some_and(|last| canonical_order(&d, &last.0).is_lt())
        {
            self.kept.pop();
            self.kept.push(Canonical(d));
        }
    }

    /// Whether a finding located at byte `start` could still be kept: the collector is not
    /// full, or the last finding it keeps starts no earlier (the canonical order puts
    /// located findings by their start first, rule `DIAG-4`). When it is `false`, the
    /// finding need not be made: [`Bounded::count_unkept`] counts it.
    pub(crate) fn may_keep(&self, start: usize) -> bool {
        self.kept.len() < self.limit
            || self
                .kept
                .peek()
                .is_some_and(|last| last.0.span.is_none_or(|s| start <= s.start))
    }

    /// Counts a finding of `severity` that is not kept ([`Bounded::may_keep`] said it
    /// could not be), without making it; [`Bounded::push`] counts every finding with it
    /// before deciding whether to keep it.
    pub(crate) fn count_unkept(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.counts.errors += 1,
            Severity::Warning => self.counts.warnings += 1,
            Severity::Note => self.counts.notes += 1,
        }
    }

    /// [`Bounded::push`] for each of `diags`.
    pub(crate) fn extend(&mut self, diags: impl IntoIterator<Item = Diagnostic>) {
        for d in diags {
            self.push(d);
        }
    }

    /// The kept findings in canonical order, and the counts of every finding pushed
    /// (`dropped`: how many were not kept).
    pub(crate) fn finish(self) -> (Vec<Diagnostic>, Counts) {
        let kept: Vec<Diagnostic> = self
            .kept
            .into_sorted_vec()
            .into_iter()
            .map(|c| c.0)
            .collect();
        let mut counts = self.counts;
        counts.dropped =
            (counts.errors + counts.warnings + counts.notes).saturating_sub(kept.len());
        (kept, counts)
    }
}

/// How many findings one list holds at most: a manifest's (rule `LIM-7`), a Procfile's
/// (`PROC-LIM-4`), an environment resolution's (`ENV-15`) and an outcome's (`SCN-LIM-2`).
/// The findings beyond it are counted, and one last finding says how many.
pub const MAX_LISTED: usize = 1000;

/// The finding that ends a list cut at [`MAX_LISTED`] (rules `ENV-15`, `SCN-LIM-2`):
/// `code`, with a message giving how many were dropped, how many of them errors, and
/// `counts` (every finding); a note, or an error when an error was dropped, so the verdict
/// can be read from the list (rule `DIAG-12`). `listed_errors` counts the errors kept;
/// `per` names the list (`"outcome"`).
pub(crate) fn dropped_note(
    code: Code,
    counts: Counts,
    listed_errors: usize,
    per: &str,
) -> Diagnostic {
    let dropped_errors = counts.errors.saturating_sub(listed_errors);
    Diagnostic::new(
        code,
        format!(
            "{} more diagnostics were dropped ({dropped_errors} of them errors): at most {MAX_LISTED} are listed per {per}; in all {} errors, {} warnings, {} notes",
            counts.dropped, counts.errors, counts.warnings, counts.notes
        ),
    )
    .with_hint("fix the findings above and run again to see the rest")
    .with_severity(if dropped_errors > 0 {
        Severity::Error
    } else {
        Severity::Note
    })
}

/// How many findings a file (or an outcome) has, reported or dropped (rules `LIM-7`,
/// `PROC-LIM-4`, `DIAG-11`): errors, warnings, notes, and how many of them are not listed.
///
/// JSON: `{"errors": 1, "warnings": 1500, "notes": 0, "dropped": 501}`. The three
/// severities count every finding, dropped ones included, but never the note that says how
/// many were dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity note.
    pub notes: usize,
    /// Findings not listed (beyond the list's limit).
    pub dropped: usize,
}

impl Counts {
    /// The counts of `diagnostics`, none dropped.
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let n = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        Counts {
            errors: n(Severity::Error),
            warnings: n(Severity::Warning),
            notes: n(Severity::Note),
            dropped: 0,
        }
    }
}

/// The first 64 characters of `s`, for "did you mean" (rule `DIAG-8`: keeps the
/// similarity computation cheap on long input).
pub(crate) fn head(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// A JSON type name with its article, for messages: `a string`, `an object`,
/// `` `null` ``.
pub(crate) fn article(type_name: &str) -> String {
    match type_name {
        "null" => "`null`".to_string(),
        "array" | "object" => format!("an {type_name}"),
        t => format!("a {t}"),
    }
}

include!(concat!(env!("OUT_DIR"), "/rule_basis.rs"));

/// Whose word a rule of the spec is (its `Basis:` line, `spec/README.md`): `"doc"`
/// (Scalingo's documentation states it), `"D-n"` (decided by this project,
/// `spec/decisions.md`), `"ours"` (this project's own design), or several joined by `", "`
/// (`"doc, D-19"`: documented, completed by a decision). `None` for an ID the spec does not
/// define. The table is read from the spec pages when the crate is built.
pub fn rule_basis(rule: &str) -> Option<&'static str> {
    RULE_BASIS
        .binary_search_by(|(id, _)| (*id).cmp(rule))
        .ok()
        .map(|i| RULE_BASIS[i].1)
}

/// A rule's basis as `explain` marks it: `doc`, `D-19`, `ours`, `doc+D-19`.
pub(crate) fn basis_mark(rule: &str) -> Option<String> {
    rule_basis(rule).map(|b| b.replace(", ", "+"))
}

/// Keys for a hint, each in backquotes, the last two joined by `and`: `` `a`, `b` and `c` ``.
pub(crate) fn keys_in_words(keys: &[&str]) -> String {
    quoted_keys(keys, |i| if i + 1 == keys.len() { " and " } else { ", " })
}

/// Keys for a hint, each in backquotes, separated by commas: `` `a`, `b`, `c` ``.
pub(crate) fn keys_listed(keys: &[&str]) -> String {
    quoted_keys(keys, |_| ", ")
}

/// `keys` in backquotes, each after the first preceded by `separator(its index)`: written
/// into one string (hints list up to a few dozen keys, and are made for every finding).
fn quoted_keys(keys: &[&str], separator: impl Fn(usize) -> &'static str) -> String {
    let mut out = String::with_capacity(keys.iter().map(|k| k.len() + 6).sum());
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            out.push_str(separator(i));
        }
        out.push('`');
        out.push_str(key);
        out.push('`');
    }
    out
}

/// At most `max` characters (Unicode scalar values) of `s`, then `more` when there was
/// more: the one text cutter of messages that quote the input (rule `DIAG-8`); never cuts
/// inside a UTF-8 sequence. Borrowed when nothing is cut (the usual case).
pub(crate) fn cut<'s>(s: &'s str, max: usize, more: &str) -> Cow<'s, str> {
    // A text of at most `max` bytes has at most `max` characters.
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    match s.char_indices().nth(max) {
        Some((at, _)) => Cow::Owned([s.get(..at).unwrap_or_default(), more].concat()),
        None => Cow::Borrowed(s),
    }
}

/// At most 60 characters of user text, then `…` when there was more: how messages quote
/// names and values from the input (rule `DIAG-8`). Control characters are kept here;
/// human output escapes them where it leaves the program.
pub(crate) fn excerpt(s: &str) -> Cow<'_, str> {
    cut(s, 60, "…")
}

/// A value quoted for a message: in backticks, control characters escaped as
/// [`char::escape_default`] writes them, cut after 80 characters with `…` (never inside a
/// UTF-8 sequence).
pub(crate) fn backticked(s: &str) -> String {
    let mut out = String::from("`");
    for c in cut(s, 80, "…").chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

/// The closest candidate to `input` among `candidates`, for "did you mean" hints: the
/// candidate with the highest Jaro-Winkler similarity (ASCII case-insensitive), if that
/// similarity is at least 0.8. Ties go to the earlier candidate.
pub fn suggest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = input.to_ascii_lowercase();
    let profile = CharProfile::of(&lower);
    let mut best: Option<(&'a str, f64)> = None;
    for &c in candidates {
        let c_lower = if c.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(c.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(c)
        };
        // Skips candidates that cannot reach 0.8, or cannot beat the best so far (the
        // result is unchanged): Jaro-Winkler is O(n * m) and allocates, and it is hot on
        // inputs full of unknown keys.
        let floor = best.map_or(SUGGEST_THRESHOLD, |(_, s)| s) - 1e-9;
        if jaro_winkler_bound(&lower, &profile, &c_lower, floor) < floor {
            continue;
        }
        let score = strsim::jaro_winkler(&lower, &c_lower);
        if score >= SUGGEST_THRESHOLD && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

/// The similarity [`suggest`] asks for.
const SUGGEST_THRESHOLD: f64 = 0.8;

/// The characters of one string, counted for [`jaro_winkler_bound`]: each ASCII
/// character, and all other characters together.
struct CharProfile {
    ascii: [u32; 128],
    other: u32,
    chars: usize,
}

impl CharProfile {
    fn of(s: &str) -> Self {
        let mut p = CharProfile {
            ascii: [0; 128],
            other: 0,
            chars: 0,
        };
        for c in s.chars() {
            p.chars += 1;
            match usize::try_from(u32::from(c)) {
                Ok(i) if i < 128 => p.ascii[i] += 1,
                _ => p.other += 1,
            }
        }
        p
    }

    /// The size of the multiset intersection of this profile's characters and `b`'s,
    /// counting any two non-ASCII characters as equal.
    fn shared(&self, b: &str) -> u32 {
        let mut left = self.ascii;
        let mut other = self.other;
        let mut shared = 0;
        for c in b.chars() {
            let slot = match usize::try_from(u32::from(c)) {
                Ok(i) if i < 128 => &mut left[i],
                _ => &mut other,
            };
            if *slot > 0 {
                *slot -= 1;
                shared += 1;
            }
        }
        shared
    }
}

/// An upper bound of `strsim::jaro_winkler(a, b)` (`a_profile` counts `a`'s characters),
/// from the characters the two share and the common prefix: Jaro counts `m` matching
/// characters, which are equal characters of both, so `m` is at most the shorter length
/// and at most the size of the multiset intersection (non-ASCII characters counted as if
/// they all matched); Jaro is then at most `(m/|a| + m/|b| + 1) / 3` (no transposition),
/// and the Winkler bonus adds `0.1 * prefix * (1 - jaro)` (prefix of at most 4 equal
/// leading characters) only when Jaro is over 0.7. Computed with the same floating-point
/// steps as `strsim`, plus a margin. The intersection is only counted when the lengths
/// alone give a bound of at least `floor`.
fn jaro_winkler_bound(a: &str, a_profile: &CharProfile, b: &str, floor: f64) -> f64 {
    let a_chars = a_profile.chars;
    let b_chars = b.chars().count();
    if a_chars == 0 || b_chars == 0 {
        return if a_chars == b_chars { 1.0 } else { 0.0 };
    }
    let prefix = a
        .chars()
        .take(4)
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .count();
    let bound = |m: usize| {
        let m = m as f64;
        let jaro = ((m / a_chars as f64) + (m / b_chars as f64) + 1.0) / 3.0;
        if jaro > 0.7 {
            jaro + 0.1 * prefix as f64 * (1.0 - jaro) + 1e-12
        } else {
            jaro
        }
    };
    let by_length = bound(a_chars.min(b_chars));
    if by_length < floor {
        return by_length;
    }
    match a_profile.shared(b) {
        0 => 0.0,
        m => bound(m as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walked [`Pointer`] writes the text [`pointer_push`] builds from the same tokens.
    fn pointer_of(tokens: &[Result<String, usize>], parent: &Pointer<'_>) -> String {
        match tokens.split_first() {
            None => parent.render(),
            Some((Ok(key), rest)) => pointer_of(rest, &parent.key(key.as_str())),
            Some((Err(i), rest)) => pointer_of(rest, &parent.index(*i)),
        }
    }

    proptest::proptest! {
        #[test]
        fn walked_pointers_are_written_as_pushed_ones(
            tokens in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Strategy::prop_map("[a~/b\\u{e9}]{0,4}", Ok),
                    proptest::strategy::Strategy::prop_map(0usize..1000, Err),
                ],
                0..6,
            ),
        ) {
            let pushed = tokens.iter().fold(String::new(), |p, t| match t {
                Ok(key) => pointer_push(&p, key),
                Err(i) => pointer_push(&p, &i.to_string()),
            });
            proptest::prop_assert_eq!(pointer_of(&tokens, &Pointer::Root), pushed);
        }
    }

    /// DIAG-8: the one text cutter, and the backticked quote built on it.
    #[test]
    fn cut_and_backticked_quote_user_text() {
        assert_eq!(cut("abc", 80, "..."), "abc");
        assert_eq!(
            cut(&"é".repeat(81), 80, "..."),
            format!("{}...", "é".repeat(80))
        );
        assert_eq!(excerpt(&"a".repeat(60)), "a".repeat(60));
        assert_eq!(excerpt(&"a".repeat(61)), format!("{}…", "a".repeat(60)));
        assert_eq!(backticked("a\u{1b}b\n"), "`a\\u{1b}b\\n`");
        assert_eq!(
            backticked(&"\u{7}".repeat(81)),
            format!("`{}…`", "\\u{7}".repeat(80))
        );
    }

    #[test]
    fn keys_are_quoted_and_listed() {
        assert_eq!(keys_in_words(&[]), "");
        assert_eq!(keys_in_words(&["a"]), "`a`");
        assert_eq!(keys_in_words(&["a", "b"]), "`a` and `b`");
        assert_eq!(keys_in_words(&["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(keys_listed(&[]), "");
        assert_eq!(keys_listed(&["a"]), "`a`");
        assert_eq!(keys_listed(&["a", "b", "c"]), "`a`, `b`, `c`");
    }

    /// The bound `render` allocates with, and `validate` compares with the longest
    /// duplicate-key pointer it writes: exact for keys without `~` or `/`, 21 bytes for an
    /// index, short of the text when a key has escapes.
    #[test]
    fn pointer_length_bound() {
        let root = Pointer::Root;
        assert_eq!(root.len_bound(), 0);
        let env = root.key("env");
        let name = env.key("DATABASE_URL");
        assert_eq!(name.render(), "/env/DATABASE_URL");
        assert_eq!(name.len_bound(), 17);
        let item = env.index(3);
        assert_eq!(item.len_bound(), 4 + 21);
        assert!(item.render().len() <= item.len_bound());
        let escaped = root.key("a/b~c");
        assert_eq!((escaped.len_bound(), escaped.render().len()), (6, 8));
    }

    #[test]
    fn pointer_escapes_tilde_and_slash() {
        assert_eq!(pointer_push("", "env"), "/env");
        assert_eq!(pointer_push("/env", "A/B~C"), "/env/A~1B~0C");
    }

    #[test]
    fn suggest_finds_close_names() {
        assert_eq!(suggest("ammount", &["amount", "size"]), Some("amount"));
        assert_eq!(
            suggest("Formation", &["formation", "env"]),
            Some("formation")
        );
        assert_eq!(suggest("zzz", &["amount", "size"]), None);
    }

    /// The bound used to skip candidates is never below the similarity itself, so
    /// skipping never changes a suggestion.
    #[test]
    fn jaro_winkler_bound_is_an_upper_bound() {
        let words = [
            "",
            "a",
            "ab",
            "env",
            "amount",
            "ammount",
            "formation",
            "Formation",
            "formations",
            "addons",
            "adons",
            "first-deploy",
            "firstdeploy",
            "copy_parent_database_urls",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "é",
            "éa",
            "formation-and-a-long-tail",
            "envvvvvvvvvv",
        ];
        for a in words {
            let a = a.to_ascii_lowercase();
            for b in words {
                let b = b.to_ascii_lowercase();
                let exact = strsim::jaro_winkler(&a, &b);
                let bound = jaro_winkler_bound(&a, &CharProfile::of(&a), &b, 0.0);
                assert!(bound >= exact, "{a:?} {b:?}: bound {bound} < {exact}");
            }
        }
        // A long input is far from a short candidate: skipped without computing.
        let long = "x".repeat(60);
        assert!(jaro_winkler_bound(&long, &CharProfile::of(&long), "env", 0.0) < SUGGEST_THRESHOLD);
        // Same length, no shared character: skipped although the lengths alone allow 1.0.
        assert!(
            jaro_winkler_bound("qqqq", &CharProfile::of("qqqq"), "size", 0.0) < SUGGEST_THRESHOLD
        );
    }

    /// The reference [`suggest`] is measured against: every candidate scored, no skipping.
    fn suggest_by_brute_force<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let lower = input.to_ascii_lowercase();
        let mut best: Option<(&'a str, f64)> = None;
        for &c in candidates {
            let score = strsim::jaro_winkler(&lower, &c.to_ascii_lowercase());
            if score >= SUGGEST_THRESHOLD && best.is_none_or(|(_, s)| score > s) {
                best = Some((c, score));
            }
        }
        best.map(|(c, _)| c)
    }

    proptest::proptest! {
        /// Skipping candidates by the bound never changes a suggestion: near-miss keys
        /// (a few edits of a known key) and random ones, ASCII and not.
        #[test]
        fn suggest_equals_brute_force(
            input in "[a-zA-Z_é-]{0,12}|(env|addons|formation|amount|size|first-deploy|postdeploy)[a-z_é]{0,3}",
            candidates in proptest::collection::vec(
                "[a-z_é-]{0,10}|env|addons|formation|amount|size|first-deploy|postdeploy|scripts",
                0..8,
            ),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                suggest(&input, &candidates),
                suggest_by_brute_force(&input, &candidates)
            );
        }
    }

    #[test]
    fn sort_is_source_order_then_code() {
        const C: Code = Code::InputTooLarge;
        let idx = LineIndex::new("ab\ncd");
        let mut v = vec![
            Diagnostic::new(C, "unlocated"),
            Diagnostic::new(C, "second").with_span(Span::new(3, 4), &idx),
            Diagnostic::new(C, "first").with_span(Span::new(0, 1), &idx),
        ];
        sort(&mut v);
        let msgs: Vec<_> = v.iter().map(|d| &*d.message).collect();
        assert_eq!(msgs, ["first", "second", "unlocated"]);
        assert_eq!(v[1].line, Some(2));
        assert_eq!(v[1].column, Some(1));
    }
}
