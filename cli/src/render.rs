//! Rendering of `check` results: rustc-style human text (rule `DIAG-10`), the JSON report
//! (rule `DIAG-11`) and the summary line, plus the verdict of one file (rules `DIAG-3`,
//! `DIAG-9`).
//!
//! The command-line interface reads files and decides about colour; everything here is a
//! pure function of its arguments, so the same inputs always give the same bytes.
//!
//! ```
//! use scalingo_manifest_cli::render::{self, Kind, SourceView};
//!
//! let bytes = br#"{"name": "x",}"#;
//! let report = render::check_bytes("scalingo.json", Kind::Manifest, bytes, "2026-12-07".parse().unwrap());
//! assert_eq!(report.verdict, render::Verdict::Invalid);
//! let view = SourceView::new(bytes);
//! let text = render::human_file(&report, &view, false);
//! assert!(text.contains(" --> scalingo.json:1:13"));
//! assert!(render::json_report(&[report]).ends_with("]\n"));
//! ```

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::{Deserialize, Serialize};

use scalingo_manifest::diag::{Code, Counts, Diagnostic, Severity};
use scalingo_manifest::escape;
use scalingo_manifest::text::LineStarts;

/// How an input is read (rule `DIAG-11`): JSON serialisation `"manifest"`, `"procfile"` or
/// `"repository"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A deploy manifest (`scalingo.json`, `app.json`), checked by
    /// [`manifest::check`](scalingo_manifest::manifest::check).
    Manifest,
    /// A Procfile, parsed by [`procfile::parse`](scalingo_manifest::procfile::parse).
    Procfile,
    /// A folder of a repository, whose manifest and Procfile are located by
    /// [`locate::locate`](scalingo_manifest::locate::locate) (rules `LOC-*`); its report
    /// holds the locate findings and [`FileReport::located`].
    Repository,
}

impl Kind {
    /// The kind chosen for `path` when none is forced (rule `DIAG-11`): [`Kind::Procfile`]
    /// when the base name ends with `Procfile` (case-sensitive: `Procfile`,
    /// `api__Procfile`), else [`Kind::Manifest`]. `-` (stdin) is a manifest.
    pub fn for_path(path: &str) -> Kind {
        let base = std::path::Path::new(path).file_name();
        if base.is_some_and(|b| b.as_encoded_bytes().ends_with(b"Procfile")) {
            Kind::Procfile
        } else {
            Kind::Manifest
        }
    }

    /// `"manifest"`, `"procfile"` or `"repository"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Manifest => "manifest",
            Kind::Procfile => "procfile",
            Kind::Repository => "repository",
        }
    }
}

/// The verdict on one file (rules `DIAG-3`, `DIAG-11`): JSON serialisation `"valid"`,
/// `"invalid"` or `"unreadable"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No diagnostic of severity error (warnings and notes allowed).
    Valid,
    /// At least one error.
    Invalid,
    /// The file could not be read (the reason goes to stderr; exit status 2).
    Unreadable,
}

/// The result of checking one file, in the shape of one element of the `check --format
/// json` array (rule `DIAG-11`): `{"file", "kind", "verdict", "diagnostics"}`, in that
/// order. `diagnostics` are in canonical order (rule `DIAG-4`) and always empty for an
/// unreadable file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// The path as given on the command line (`-` for stdin).
    pub file: String,
    /// How the file was read.
    pub kind: Kind,
    /// Valid, invalid or unreadable.
    pub verdict: Verdict,
    /// The findings, canonical order.
    pub diagnostics: Vec<Diagnostic>,
    /// Every finding by severity, the dropped ones included, and how many were dropped
    /// (rules `LIM-7`, `PROC-LIM-4`): what the summary line adds up.
    pub counts: Counts,
    /// For a [`Kind::Repository`]: what was located in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located: Option<LocatedFiles>,
}

/// What `check` located in a repository (rules `LOC-*`): paths relative to the
/// repository root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocatedFiles {
    /// The normalised `PROJECT_DIR` (`""`: the root).
    pub project_dir: String,
    /// Where `PROJECT_DIR` came from: `"--project-dir"`, `"PROJECT_DIR"` (the environment
    /// variable) or `null` (unset).
    pub project_dir_from: Option<String>,
    /// The manifest the platform reads, if any.
    pub manifest: Option<String>,
    /// The Procfile, if any.
    pub procfile: Option<String>,
    /// The manifest paths tried, in order, up to the one read.
    pub searched: Vec<String>,
}

impl FileReport {
    /// A report for a file that was read; the verdict is [`Verdict::Invalid`] when one of
    /// `diagnostics` is an error, else [`Verdict::Valid`]. The diagnostics are put in
    /// canonical order (rule `DIAG-4`).
    pub fn new(file: impl Into<String>, kind: Kind, mut diagnostics: Vec<Diagnostic>) -> Self {
        scalingo_manifest::diag::sort(&mut diagnostics);
        let verdict = if diagnostics.iter().any(Diagnostic::is_error) {
            Verdict::Invalid
        } else {
            Verdict::Valid
        };
        FileReport {
            file: file.into(),
            kind,
            verdict,
            counts: Counts::of(&diagnostics),
            diagnostics,
            located: None,
        }
    }

    /// `self` with `counts` in place of the counts of its list: for a file whose list was
    /// cut at its limit (rules `LIM-7`, `PROC-LIM-4`).
    pub fn with_counts(mut self, counts: Counts) -> Self {
        self.counts = counts;
        self
    }

    /// A report for a file that could not be read: verdict [`Verdict::Unreadable`], no
    /// diagnostics.
    pub fn unreadable(file: impl Into<String>, kind: Kind) -> Self {
        FileReport {
            file: file.into(),
            kind,
            verdict: Verdict::Unreadable,
            diagnostics: Vec::new(),
            counts: Counts::default(),
            located: None,
        }
    }

    /// How many findings have severity `severity`, dropped ones included (rule `LIM-7`).
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.counts.errors,
            Severity::Warning => self.counts.warnings,
            Severity::Note => self.counts.notes,
        }
    }
}

/// Checks the bytes of one file as `kind`: [`manifest::check`](scalingo_manifest::manifest::check) for
/// a manifest, [`procfile::parse`](scalingo_manifest::procfile::parse) for a Procfile (a
/// [`Kind::Repository`] is a folder, not bytes: its report is empty). `file` is only
/// recorded in the report; `date` is the day whose platform facts apply (rule `PLAT-1`).
/// Never panics.
pub fn check_bytes(
    file: &str,
    kind: Kind,
    bytes: &[u8],
    date: scalingo_manifest::platform::Date,
) -> FileReport {
    match kind {
        Kind::Manifest => {
            let c = scalingo_manifest::manifest::check(bytes, date);
            let counts = Counts {
                errors: c.errors,
                warnings: c.warnings,
                notes: c.notes,
                dropped: c.dropped,
            };
            FileReport::new(file, kind, c.diagnostics).with_counts(counts)
        }
        Kind::Procfile => {
            let p = scalingo_manifest::procfile::parse(bytes);
            FileReport::new(file, kind, p.diagnostics).with_counts(p.counts)
        }
        // A repository is a folder, not bytes: the command locates its files instead.
        Kind::Repository => FileReport::new(file, kind, Vec::new()),
    }
}

/// The `check --format json` output for `files` (rule `DIAG-11`): one JSON array, one
/// object per file in the given order, indented with two spaces, ending with a newline.
/// The same reports always give the same bytes.
pub fn json_report(files: &[FileReport]) -> String {
    if files.is_empty() {
        return "[]\n".to_string();
    }
    let items: Vec<String> = files.iter().map(json_report_item).collect();
    format!("[\n{}\n]\n", items.join(",\n"))
}

/// One element of [`json_report`]'s array, as it appears there (indented by two spaces,
/// no separator, no final newline), so that a caller can write the array one file at a
/// time: `[` and a newline, the items separated by `,` and a newline, then a newline and
/// `]` and a newline (`[]` and a newline for no file). The bytes are those of
/// `serde_json`'s pretty printer for the whole array.
pub fn json_report_item(report: &FileReport) -> String {
    pretty_array_item(report)
}

/// `value` as an element of `serde_json`'s pretty array (indented by two spaces, no
/// separator, no final newline): the items of `--format json` and `--format gitlab`, which
/// are written one file at a time.
pub fn pretty_array_item(value: &impl Serialize) -> String {
    // Serialising plain data (strings, integers, enums) into a String cannot fail, and a
    // JSON text has no raw line break inside a string, so indenting line by line is exact.
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text a file's spans point into, prepared once per file for display.
///
/// Offsets are those of the input bytes: each byte that is not valid UTF-8 is shown as
/// `?` (as the manifest and Procfile readers count it), and a byte order mark at the start
/// is shown as `␣` (same three bytes, one column), so that lines and columns computed here
/// are those of rule `DIAG-5`.
#[derive(Debug, Clone)]
pub struct SourceView {
    text: String,
    /// Where each line starts (the engine's one line table).
    starts: LineStarts,
}

impl SourceView {
    /// Prepares `bytes` for display. O(n) time and memory.
    pub fn new(bytes: &[u8]) -> Self {
        let mut text = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
        }
        if text.starts_with('\u{feff}') {
            text.replace_range(0..3, "\u{2423}");
        }
        let starts = LineStarts::new(&text);
        SourceView { text, starts }
    }

    /// The line holding byte `offset` (clamped to the text and moved back to a character
    /// boundary): its 1-based number, the byte offset of its start, and its text without
    /// the line ending (`\n`, or `\r\n`).
    fn line_of(&self, offset: usize) -> (usize, usize, &str) {
        let offset = floor_boundary(&self.text, offset);
        let i = self.starts.line_of(offset);
        let (start, line) = self.starts.line(&self.text, i).unwrap_or((0, ""));
        (i + 1, start, line)
    }
}

/// The largest character boundary of `text` at or before `at` (clamped to the length).
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest character boundary of `text` at or after `at` (clamped to the length).
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

/// One diagnostic in the style of rustc (rule `DIAG-10`), without a final newline:
///
/// ```text
/// error[SM0401]: unknown container size `m`
///  --> scalingo.json:3:35
///   |
/// 3 |     "web": { "amount": 1, "size": "m" }
///   |                                   ^^^
///   |
///   = hint: sizes are S, M, L, XL, 2XL, 3XL; did you mean `M`?
/// ```
///
/// `file` is shown as given. A located diagnostic shows the source line of its span start
/// and one caret under each column of the span on that line (at least one; a span running
/// onto later lines is underlined to the end of its first line). Tabs are shown as four
/// spaces; very long lines are shortened around the span. An unlocated diagnostic shows
/// `--> <file>` only. The file name, message, hint and source line are escaped (rule
/// `DIAG-13`, [`escape`]): control and bidirectional characters are shown as `\u{X}`.
/// ANSI colours (SGR sequences of the renderer) only when `color`.
pub fn human_diagnostic(
    file: &str,
    source: &SourceView,
    diagnostic: &Diagnostic,
    color: bool,
) -> String {
    // DIAG-13: what comes from the input (the file name, the message and hint that
    // quote it, the source line) is escaped before annotate-snippets sees it, so the only
    // escape sequences of the output are the renderer's own colours.
    let file = escape::single_line(file);
    let file = file.as_ref();
    let message = escape::single_line(&diagnostic.message);
    let title = level(diagnostic.severity)
        .primary_title(message.as_ref())
        .id(diagnostic.code.as_str());
    let mut fix_column = None;
    let mut group: Group<'_> = match diagnostic.span {
        Some(span) => {
            let (line_no, line_start, line) = source.line_of(span.start);
            let start = floor_boundary(line, span.start.saturating_sub(line_start));
            let end = ceil_boundary(
                line,
                span.end
                    .max(span.start)
                    .saturating_sub(line_start)
                    .max(start),
            );
            let shown = Window::new(line, start, end);
            // annotate-snippets computes the column from the text it is given, which
            // is cut (long lines) and escaped (DIAG-13): the real column is put back.
            let column = line.get(..start).unwrap_or_default().chars().count() + 1;
            if shown.column() != column {
                fix_column = Some((
                    format!("{file}:{line_no}:{}", shown.column()),
                    format!("{file}:{line_no}:{column}"),
                ));
            }
            title.element(
                Snippet::source(shown.text)
                    .line_start(line_no)
                    .path(file)
                    .fold(false)
                    .annotation(AnnotationKind::Primary.span(shown.start..shown.end)),
            )
        }
        None => title.element(Origin::path(file)),
    };
    let hint = diagnostic.hint.as_deref().map(escape::single_line);
    if let Some(hint) = &hint {
        group = group.element(Level::HELP.with_name(Some("hint")).message(hint.as_ref()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let out = renderer.render(&[group]);
    match fix_column {
        // The header line holds the message, which may quote anything: the location is
        // fixed after it.
        Some((shown, real)) => match out.split_once('\n') {
            Some((header, rest)) => format!("{header}\n{}", rest.replacen(&shown, &real, 1)),
            None => out,
        },
        None => out,
    }
}

/// Lines longer than this many bytes are cut around the span before rendering, so that
/// rendering stays fast on minified files (a 1 MiB line with 1000 findings).
const LONG_LINE: usize = 1024;
/// Bytes of context kept on each side of the span in a long line.
const CONTEXT: usize = 256;
/// Longest part of a span underlined in a long line, in bytes.
const LONG_SPAN: usize = 256;

/// The part of one source line given to the renderer, with the span inside it.
struct Window {
    text: String,
    start: usize,
    end: usize,
}

impl Window {
    /// `line` itself when it is short; else the bytes around `start..end` (character
    /// boundaries of `line`), marked `...` where the line was cut; escaped (rule
    /// `DIAG-13`), with the span at the same characters.
    fn new(line: &str, start: usize, end: usize) -> Window {
        let (from, to, end) = if line.len() <= LONG_LINE {
            (0, line.len(), end)
        } else {
            let end = ceil_boundary(line, end.min(start.saturating_add(LONG_SPAN)));
            let from = floor_boundary(line, start.saturating_sub(CONTEXT));
            (from, ceil_boundary(line, end.saturating_add(CONTEXT)), end)
        };
        // DIAG-13: the source line is a multi-line field (its tabs are kept and shown as
        // spaces by the renderer); the span is moved to where its text is once escaped.
        let part = |a: usize, b: usize| escape::multi_line(line.get(a..b).unwrap_or_default());
        let mut text = String::new();
        if from > 0 {
            text.push_str("...");
        }
        text.push_str(&part(from, start));
        let shown_start = text.len();
        text.push_str(&part(start, end));
        let shown_end = text.len();
        text.push_str(&part(end, to));
        if to < line.len() {
            text.push_str("...");
        }
        Window {
            text,
            start: shown_start,
            end: shown_end,
        }
    }

    /// The 1-based column of the span start in `text`, in characters.
    fn column(&self) -> usize {
        self.text
            .get(..self.start)
            .unwrap_or_default()
            .chars()
            .count()
            + 1
    }
}

/// Every diagnostic of `report`, in its order, each rendered by [`human_diagnostic`]
/// and followed by a newline, with one blank line between diagnostics. Empty when the
/// report has no diagnostics (rule `DIAG-10`: nothing is printed for a clean file).
/// `source` must be the view of the bytes that were checked.
pub fn human_file(report: &FileReport, source: &SourceView, color: bool) -> String {
    let mut out = String::new();
    for (i, d) in report.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&human_diagnostic(&report.file, source, d, color));
        out.push('\n');
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The line `check` prints for a repository before its findings: what it read and why,
/// `repository .: manifest api/scalingo.json, Procfile api/Procfile (PROJECT_DIR api, from
/// --project-dir)`, with a final newline; user text made single-line (rule `DIAG-13`).
pub fn repository_line(report: &FileReport) -> String {
    let Some(l) = &report.located else {
        return String::new();
    };
    let or_none = |p: &Option<String>| p.clone().unwrap_or_else(|| "none".into());
    let dir = if l.project_dir.is_empty() {
        "the root".to_string()
    } else {
        l.project_dir.clone()
    };
    let from = l
        .project_dir_from
        .as_deref()
        .map_or_else(|| "unset".to_string(), |f| format!("from {f}"));
    let line = format!(
        "repository {}: manifest {}, Procfile {} (PROJECT_DIR {dir}, {from}; tried {})",
        report.file,
        or_none(&l.manifest),
        or_none(&l.procfile),
        if l.searched.is_empty() {
            "nothing".to_string()
        } else {
            l.searched.join(", ")
        }
    );
    let mut out = escape::single_line(&line).into_owned();
    out.push('\n');
    out
}

/// The summary line after the human output (rule `DIAG-10`), with a final newline:
/// `checked 2 files: 1 error, 0 warnings, 3 notes`, followed by `; 1 file unreadable`
/// when some file could not be read.
pub fn summary(files: &[FileReport]) -> String {
    let count = |s| files.iter().map(|f| f.count(s)).sum::<usize>();
    // A repository is not a file: its findings count, it does not.
    let checked = files.iter().filter(|f| f.kind != Kind::Repository).count();
    let unreadable = files
        .iter()
        .filter(|f| f.verdict == Verdict::Unreadable)
        .count();
    let mut out = format!(
        "checked {}: {}, {}, {}",
        plural(checked, "file"),
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Note), "note"),
    );
    let dropped = files.iter().map(|f| f.counts.dropped).sum::<usize>();
    if dropped > 0 {
        let _ = write!(
            out,
            " ({dropped} not listed: at most {} per file)",
            scalingo_manifest::diag::MAX_LISTED
        );
    }
    if unreadable > 0 {
        let _ = write!(out, "; {} unreadable", plural(unreadable, "file"));
    }
    out.push('\n');
    out
}

/// `check --format github`: one GitHub Actions workflow command a finding (`::error`,
/// `::warning` or `::notice`), with the file, line and column where known and the code and
/// rule as title, so that each finding is an annotation on the pull request. The message
/// and its hint (after a line break) are escaped for the format (`%`, CR, LF) after the
/// user's text in them is made single-line (rule `DIAG-13`): no finding can end its line
/// and write a command of its own. An empty string for a file without findings.
pub fn github_file(report: &FileReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = format!("file={}", github_property(&report.file));
        if let (Some(line), Some(column)) = (d.line, d.column) {
            props.push_str(&format!(",line={line},col={column}"));
        }
        props.push_str(&format!(
            ",title={}",
            github_property(&format!("{} ({})", d.code, d.rule()))
        ));
        let mut message = github_data(&escape::single_line(&d.message));
        if let Some(hint) = &d.hint {
            message.push_str("%0Ahint: ");
            message.push_str(&github_data(&escape::single_line(hint)));
        }
        out.push_str(&format!("::{command} {props}::{message}\n"));
    }
    out
}

/// `check --format github` for a file that cannot be read (rule `DIAG-14`): one `::error`
/// annotation on the file with the reason, so that the job's annotations show it (the
/// reason is also on stderr, and the exit status is 2).
pub fn github_unreadable(file: &str, reason: &str) -> String {
    format!(
        "::error file={},title=unreadable::{}\n",
        github_property(file),
        github_data(&escape::single_line(&format!(
            "cannot read the file: {reason}"
        )))
    )
}

/// The data of a workflow command: `%`, CR and LF escaped.
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property of a workflow command: as data, and `:` and `,` escaped too.
fn github_property(s: &str) -> String {
    github_data(&escape::single_line(s))
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// `check --format gitlab`: the findings of one file as GitLab Code Quality issues
/// (`description`, `check_name`, `fingerprint`, `severity`, `location.path`,
/// `location.lines.begin`), for a merge request's Code Quality widget. Severities map
/// error to `major`, warning to `minor`, note to `info`. The fingerprint is the SHA-256 of
/// the file, the code, the JSON pointer and the finding's rank among those three, so that
/// it survives edits that move the finding to another line.
pub fn gitlab_items(report: &FileReport) -> Vec<serde_json::Value> {
    ranked(report)
        .into_iter()
        .map(|(d, rank)| {
            let fingerprint = fingerprint(&report.file, d, rank);
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            };
            let description = match &d.hint {
                Some(hint) => format!("{}: {} (hint: {hint})", d.code, d.message),
                None => format!("{}: {}", d.code, d.message),
            };
            serde_json::json!({
                "description": description,
                "check_name": d.code.as_str(),
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {"path": report.file, "lines": {"begin": d.line.unwrap_or(1)}},
            })
        })
        .collect()
}

/// The stable fingerprint of one finding of `file` (rule `DIAG-14`): SHA-256 of the file,
/// the code, the pointer and the finding's rank among the file's findings with the same
/// code and pointer, in hex. It follows a finding when lines move; GitLab's `fingerprint`
/// and SARIF's `partialFingerprints`.
fn fingerprint(file: &str, d: &Diagnostic, rank: usize) -> String {
    use sha2::{Digest, Sha256};
    let key = format!("{}\0{}\0{}\0{}", file, d.code, d.pointer, rank);
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Each finding of `report` with its rank among the findings of the same code and pointer
/// (1 for the first).
fn ranked(report: &FileReport) -> Vec<(&Diagnostic, usize)> {
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let rank = seen
                .entry((d.code.as_str(), d.pointer.as_str()))
                .or_insert(0);
            *rank += 1;
            (d, *rank)
        })
        .collect()
}

/// The page of one diagnostic code (Markdown), as `docs/codes/<CODE>.md` holds it and as
/// SARIF's `help.markdown` gives it (rule `DIAG-14`): the code, its default severity, its
/// summary, then the text of its rule from the spec compiled in (what triggers it, the
/// source, an example).
pub fn code_page(code: Code) -> String {
    let mut out = format!(
        "# {} ({})\n\n{}\n\nRule `{}`",
        code.as_str(),
        code.severity().as_str(),
        code.summary(),
        code.rule()
    );
    match crate::spec_text::section(code.rule()) {
        Some(s) => {
            let _ = write!(
                out,
                ", `spec/{}`:\n\n{}\n",
                s.page,
                s.text.replacen("## ", "### ", 1)
            );
        }
        None => out.push_str(".\n"),
    }
    out.push_str("\n`scalingo-manifest codes ");
    out.push_str(code.as_str());
    out.push_str("` prints this page.\n");
    out
}

/// A path as the relative or absolute URI reference SARIF's `artifactLocation.uri` wants:
/// each `/`-separated segment percent-encoded (RFC 3986: unreserved characters kept).
fn uri_of(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            segment
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        char::from(b).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A SARIF 2.1.0 log of `check` (rule `DIAG-14`), built file by file: one run, one rule per
/// code found (its variant name as `name`, its page as `help`, and, when a base is given,
/// `helpUri`, with the base as the tool's `informationUri`), one result per finding with
/// its region.
#[derive(Debug, Default)]
pub struct Sarif {
    help_base: Option<String>,
    codes: std::collections::BTreeSet<Code>,
    results: Vec<(Code, serde_json::Value)>,
    /// Files that could not be read, with the reason: the run's notifications.
    unreadable: Vec<(String, String)>,
}

impl Sarif {
    /// An empty log; `help_base` is prefixed to `<CODE>.md` to give each rule's `helpUri`
    /// (an absolute URI, such as the address of the repository's `docs/codes/`).
    pub fn new(help_base: Option<String>) -> Sarif {
        // `<base><CODE>.md`: a base without a final `/` names the folder all the same.
        let help_base = help_base.map(|b| if b.ends_with('/') { b } else { format!("{b}/") });
        Sarif {
            help_base,
            ..Sarif::default()
        }
    }

    /// Adds one file's findings.
    pub fn add(&mut self, report: &FileReport) {
        for (d, rank) in ranked(report) {
            self.codes.insert(d.code);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let text = match &d.hint {
                Some(hint) => format!("{} (hint: {hint})", d.message),
                None => d.message.to_string(),
            };
            let mut location = serde_json::json!({
                "physicalLocation": {"artifactLocation": {"uri": uri_of(&report.file)}}
            });
            if let (Some(line), Some(column)) = (d.line, d.column) {
                let mut region = serde_json::json!({"startLine": line, "startColumn": column});
                if let Some(span) = d.span {
                    region["byteOffset"] = span.start.into();
                    region["byteLength"] = (span.end - span.start).into();
                }
                location["physicalLocation"]["region"] = region;
            }
            let mut result = serde_json::json!({
                "ruleId": d.code.as_str(),
                "level": level,
                "message": {"text": text},
                "locations": [location],
                "partialFingerprints": {"scalingoManifest/v1": fingerprint(&report.file, d, rank)},
                "properties": {"rule": d.rule(), "pointer": d.pointer},
            });
            if let Some(hint) = &d.hint {
                result["properties"]["hint"] = hint.clone().into();
            }
            self.results.push((d.code, result));
        }
    }

    /// Records a file that could not be read: the run's invocation is then not successful
    /// and says why in a notification (rule `DIAG-14`).
    pub fn add_unreadable(&mut self, file: &str, reason: &str) {
        self.unreadable.push((file.to_string(), reason.to_string()));
    }

    /// The log, pretty-printed with a final newline.
    pub fn finish(self) -> String {
        let index: std::collections::BTreeMap<Code, usize> = self
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, i))
            .collect();
        let rules: Vec<serde_json::Value> = self
            .codes
            .iter()
            .map(|c| {
                let level = match c.severity() {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                };
                let mut rule = serde_json::json!({
                    "id": c.as_str(),
                    "name": format!("{c:?}"),
                    "shortDescription": {"text": c.summary()},
                    "help": {"text": format!("{} (rule {}): `scalingo-manifest codes {}`", c.summary(), c.rule(), c.as_str()), "markdown": code_page(*c)},
                    "defaultConfiguration": {"level": level},
                    "properties": {"rule": c.rule()},
                });
                if let Some(base) = &self.help_base {
                    rule["helpUri"] = format!("{base}{}.md", c.as_str()).into();
                }
                rule
            })
            .collect();
        let results: Vec<serde_json::Value> = self
            .results
            .into_iter()
            .map(|(code, mut r)| {
                r["ruleIndex"] = index.get(&code).copied().unwrap_or_default().into();
                r
            })
            .collect();
        let mut driver = serde_json::json!({
            "name": "scalingo-manifest",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        });
        if let Some(base) = &self.help_base {
            driver["informationUri"] = base.clone().into();
        }
        let notifications: Vec<serde_json::Value> = self
            .unreadable
            .iter()
            .map(|(file, reason)| {
                serde_json::json!({
                    "level": "error",
                    "message": {"text": format!("cannot read the file: {reason}")},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri_of(file)}}}],
                })
            })
            .collect();
        let mut invocation = serde_json::json!({"executionSuccessful": notifications.is_empty()});
        if !notifications.is_empty() {
            invocation["toolExecutionNotifications"] = notifications.into();
        }
        let log = serde_json::json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": driver},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalingo_manifest::text::{LineIndex, Span};

    /// The day the unit tests check files as of (fixed; see `spec/platform.md`).
    fn day() -> scalingo_manifest::platform::Date {
        "2026-12-07".parse().unwrap()
    }

    /// A located error (`SM0401`, rule `MAN-FRM-3`) and a note (`SM0011`, rule `JSON-9`).
    const ERR: Code = Code::UnknownSize;
    const NOTE: Code = Code::ManifestCrlf;

    /// DIAG-13: in a workflow command, `%` is escaped first (so that a `%0A` the user wrote
    /// stays text), then CR and LF; a property also escapes `:` and `,`, which would end it.
    #[test]
    fn diag_13_github_escapes_percent_first_and_property_separators() {
        assert_eq!(github_data("50% %0A"), "50%25 %250A");
        assert_eq!(github_data("a\r\nb"), "a%0D%0Ab");
        assert_eq!(github_property("a%b,c:d"), "a%25b%2Cc%3Ad");
        let report = FileReport::new(
            "dir,x:y/app.json",
            Kind::Manifest,
            vec![Diagnostic::new(ERR, "100% %0A::error").with_hint("write, then: %25")],
        );
        assert_eq!(
            github_file(&report),
            "::error file=dir%2Cx%3Ay/app.json,title=SM0401 (MAN-FRM-3)::100%25 %250A::error%0Ahint: write, then: %2525\n"
        );
    }

    /// DIAG-11: the array written one file at a time is byte for byte `serde_json`'s
    /// pretty array, counts included; the summary adds up the dropped findings (LIM-7).
    #[test]
    fn diag_11_json_report_items_make_the_pretty_array() {
        let big = format!(
            "{{{}, \"name\": 5}}",
            (0..1500)
                .map(|i| format!("\"k{i}\": 1"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let reports = [
            check_bytes(
                "a.json",
                Kind::Manifest,
                br#"{"name": "x\u0001\"y"}"#,
                day(),
            ),
            FileReport::unreadable("b.json", Kind::Manifest),
            check_bytes("c.json", Kind::Manifest, big.as_bytes(), day()),
            check_bytes("Procfile", Kind::Procfile, b"web: x\nweb: y\n", day()),
        ];
        for n in 0..=reports.len() {
            let mut want = serde_json::to_string_pretty(&reports[..n]).unwrap();
            want.push('\n');
            assert_eq!(json_report(&reports[..n]), want, "{n} files");
        }
        let c = &reports[2];
        assert_eq!(c.diagnostics.len(), 1001);
        assert_eq!(
            (c.counts.errors, c.counts.warnings, c.counts.dropped),
            (1, 1500, 501)
        );
        assert_eq!(
            summary(&reports[2..3]),
            "checked 1 file: 1 error, 1500 warnings, 0 notes (501 not listed: at most 1000 per file)\n"
        );
    }

    const DIAG1: &str =
        "{\n  \"formation\": {\n    \"web\": { \"amount\": 1, \"size\": \"m\" }\n  }\n}\n";

    fn located(text: &str, span: Span) -> Diagnostic {
        Diagnostic::new(ERR, "unknown container size `m`")
            .with_pointer("/formation/web/size")
            .with_span(span, &LineIndex::new(text))
    }

    #[test]
    fn renders_the_diag_10_example_exactly() {
        let d = located(DIAG1, Span::new(53, 56))
            .with_hint("sizes are S, M, L, XL, 2XL, 3XL; did you mean `M`?");
        assert_eq!((d.line, d.column), (Some(3), Some(35)));
        let out = human_diagnostic(
            "scalingo.json",
            &SourceView::new(DIAG1.as_bytes()),
            &d,
            false,
        );
        assert_eq!(
            out,
            "error[SM0401]: unknown container size `m`\n \
             --> scalingo.json:3:35\n  \
             |\n\
             3 |     \"web\": { \"amount\": 1, \"size\": \"m\" }\n  \
             |                                   ^^^\n  \
             |\n  \
             = hint: sizes are S, M, L, XL, 2XL, 3XL; did you mean `M`?"
        );
    }

    #[test]
    fn crlf_keeps_line_and_column() {
        let crlf = DIAG1.replace('\n', "\r\n");
        let d = located(&crlf, Span::new(55, 58));
        assert_eq!((d.line, d.column), (Some(3), Some(35)));
        let out = human_diagnostic("a.json", &SourceView::new(crlf.as_bytes()), &d, false);
        assert!(out.contains(" --> a.json:3:35\n"), "{out}");
        assert!(out.contains("\"m\" }\n"), "no \\r shown: {out:?}");
        assert!(
            out.ends_with("|                                   ^^^"),
            "{out}"
        );
    }

    #[test]
    fn empty_span_gets_one_caret() {
        let text = "{\n  \"a\": 1\n  \"b\": 2\n}";
        // the end of line 2, right after `1`
        let d = located(text, Span::point(10));
        let out = human_diagnostic("f", &SourceView::new(text.as_bytes()), &d, false);
        assert!(out.contains(" --> f:2:9\n"), "{out}");
        assert!(out.ends_with("2 |   \"a\": 1\n  |         ^"), "{out}");
    }

    #[test]
    fn multi_line_span_is_underlined_to_the_end_of_its_first_line() {
        let text = "{\"a\": [1,\n 2]}";
        let d = located(text, Span::new(6, 13));
        let out = human_diagnostic("f", &SourceView::new(text.as_bytes()), &d, false);
        assert!(out.ends_with("1 | {\"a\": [1,\n  |       ^^^"), "{out}");
    }

    #[test]
    fn columns_count_characters_and_invalid_bytes() {
        // `é` is two bytes, one column; the invalid byte 0xFF is one column (`?`).
        let bytes = b"{\"\xc3\xa9\": \xff, \"x\": ?}";
        let text = String::from_utf8_lossy(bytes).replace('\u{fffd}', "?");
        // the `?` token at byte 15
        let mut d = located(&text, Span::new(15, 16));
        d.line = Some(1);
        d.column = Some(15);
        let out = human_diagnostic("f", &SourceView::new(bytes), &d, false);
        assert!(out.contains(" --> f:1:15\n"), "{out}");
        assert!(
            out.ends_with("1 | {\"é\": ?, \"x\": ?}\n  |               ^"),
            "{out}"
        );
    }

    #[test]
    fn byte_order_mark_is_shown_visibly_and_keeps_columns() {
        let text = "\u{feff}{\"a\" 1}";
        let d = located(text, Span::new(8, 9));
        assert_eq!(d.column, Some(7));
        let out = human_diagnostic("f", &SourceView::new(text.as_bytes()), &d, false);
        assert!(out.contains(" --> f:1:7\n"), "{out}");
        assert!(out.ends_with("1 | \u{2423}{\"a\" 1}\n  |       ^"), "{out}");
    }

    #[test]
    fn long_lines_are_cut_around_the_span_and_keep_the_real_column() {
        // 7 characters, 2000 two-byte `é`, 2 more, then `?`: column 2010
        let text = format!("{{\"a\": \"{}\" ? }}", "é".repeat(2000));
        let at = text.find('?').unwrap_or(0);
        let d = located(&text, Span::new(at, at + 1));
        assert_eq!(d.column, Some(2010));
        let out = human_diagnostic("f", &SourceView::new(text.as_bytes()), &d, false);
        assert!(out.contains(" --> f:1:2010\n"), "{out}");
        assert!(out.contains("...éé"), "{out}");
        assert!(out.len() < 1000, "{out}");
        // the caret is under the `?`
        let lines: Vec<&str> = out.lines().collect();
        let source = lines
            .iter()
            .find(|l| l.starts_with("1 |"))
            .copied()
            .unwrap_or("");
        let caret = lines
            .iter()
            .find(|l| l.ends_with('^'))
            .copied()
            .unwrap_or("");
        let caret_col = caret.chars().count() - 1;
        assert_eq!(source.chars().nth(caret_col), Some('?'), "{out}");
        // a huge span on a long line is underlined in part
        let d = located(&text, Span::new(0, text.len()));
        let out = human_diagnostic("f", &SourceView::new(text.as_bytes()), &d, false);
        assert!(out.contains(" --> f:1:1\n"), "{out}");
    }

    #[test]
    fn many_findings_on_a_one_mebibyte_line_render_quickly() {
        let text = "x".repeat(1 << 20);
        let diags = (0..1000u32)
            .map(|i| {
                let start = i as usize * 1000;
                Diagnostic {
                    span: Some(Span::new(start, start + 3)),
                    line: Some(1),
                    column: Some(i * 1000 + 1),
                    ..Diagnostic::new(ERR, "m")
                }
            })
            .collect();
        let report = FileReport::new("f", Kind::Manifest, diags);
        let start = std::time::Instant::now();
        let out = human_file(&report, &SourceView::new(text.as_bytes()), false);
        assert_eq!(out.matches("error[SM0401]").count(), 1000);
        assert!(out.contains(" --> f:1:999001\n"), "real columns");
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn unlocated_diagnostic_has_header_origin_and_hint() {
        let d = Diagnostic::new(NOTE, "500 diagnostics were dropped").with_hint("fix the others");
        let out = human_diagnostic("scalingo.json", &SourceView::new(b"{}"), &d, false);
        assert_eq!(
            out,
            "note[SM0011]: 500 diagnostics were dropped\n--> scalingo.json\n = hint: fix the others"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let d = located(DIAG1, Span::new(53, 56));
        let view = SourceView::new(DIAG1.as_bytes());
        assert!(!human_diagnostic("f", &view, &d, false).contains('\u{1b}'));
        assert!(human_diagnostic("f", &view, &d, true).contains("\u{1b}["));
    }

    #[test]
    fn control_characters_in_messages_and_sources_are_neutralised() {
        let text = "{\"\u{1b}[31m\": 1}";
        let d = Diagnostic::new(ERR, "unknown key `\u{1b}[31m`")
            .with_span(Span::new(1, 8), &LineIndex::new(text));
        let out = human_diagnostic("f", &SourceView::new(text.as_bytes()), &d, false);
        assert!(!out.contains('\u{1b}'), "{out:?}");
    }

    /// `DIAG-13`: controls before and inside the span are shown as `\u{X}`; the carets
    /// stay under the span's escaped text and the `-->` line keeps the real column.
    #[test]
    fn diag_13_escaped_source_keeps_carets_and_the_real_column() {
        let text = "{\"a\u{1b}\u{9b}\": 1, \"\u{202e}b\": 2}";
        let at = text.find("\"\u{202e}").unwrap_or(0);
        let d = Diagnostic::new(ERR, "key `\u{202e}b`\nerror[SM0001]: forged")
            .with_hint("hint\u{85}")
            .with_span(Span::new(at, at + 6), &LineIndex::new(text));
        assert_eq!(d.column, Some(12));
        let out = human_diagnostic("f\u{1b}", &SourceView::new(text.as_bytes()), &d, false);
        assert_eq!(
            out,
            "error[SM0401]: key `\\u{202e}b`\\u{a}error[SM0001]: forged\n \
             --> f\\u{1b}:1:12\n  \
             |\n\
             1 | {\"a\\u{1b}\\u{9b}\": 1, \"\\u{202e}b\": 2}\n  \
             |                      ^^^^^^^^^^^\n  \
             |\n  \
             = hint: hint\\u{85}"
        );
    }

    #[test]
    fn never_panics_on_any_span() {
        let text = "\u{feff}{\"é\":\t\"🎉\",\r\n\r\"x\" \u{202e}\n\n}\r\n";
        let mut bytes = text.as_bytes().to_vec();
        bytes.push(0xff);
        let view = SourceView::new(&bytes);
        let len = bytes.len();
        for start in 0..=len + 2 {
            for end in [0, start, start + 1, start + 3, len, len + 5] {
                let d = Diagnostic {
                    span: Some(Span { start, end }),
                    line: Some(1),
                    column: Some(1),
                    ..Diagnostic::new(ERR, "m")
                };
                let out = human_diagnostic("f", &view, &d, start % 2 == 0);
                assert!(out.contains('^'), "{start}..{end}: {out}");
            }
        }
    }

    #[test]
    fn human_file_separates_diagnostics_with_one_blank_line() {
        let text = "{\"a\": 1,}";
        let idx = LineIndex::new(text);
        let report = FileReport::new(
            "f",
            Kind::Manifest,
            vec![
                Diagnostic::new(NOTE, "second").with_span(Span::new(8, 9), &idx),
                Diagnostic::new(ERR, "first").with_span(Span::new(1, 4), &idx),
            ],
        );
        let out = human_file(&report, &SourceView::new(text.as_bytes()), false);
        let first = out.find("first").unwrap_or(usize::MAX);
        let second = out.find("second").unwrap_or(0);
        assert!(first < second, "canonical order: {out}");
        assert_eq!(out.matches("\n\n").count(), 1, "{out}");
        assert!(out.ends_with("^\n"));
        assert_eq!(
            human_file(
                &FileReport::new("f", Kind::Manifest, vec![]),
                &SourceView::new(b""),
                false
            ),
            ""
        );
    }

    #[test]
    fn verdicts_follow_errors_only() {
        let idx = LineIndex::new("{}");
        let note = Diagnostic::new(NOTE, "n").with_span(Span::new(0, 1), &idx);
        let err = Diagnostic::new(ERR, "e");
        assert_eq!(
            FileReport::new("f", Kind::Manifest, vec![]).verdict,
            Verdict::Valid
        );
        assert_eq!(
            FileReport::new("f", Kind::Manifest, vec![note.clone()]).verdict,
            Verdict::Valid
        );
        assert_eq!(
            FileReport::new("f", Kind::Manifest, vec![note, err]).verdict,
            Verdict::Invalid
        );
        let u = FileReport::unreadable("m", Kind::Procfile);
        assert_eq!((u.verdict, u.diagnostics.len()), (Verdict::Unreadable, 0));
    }

    #[test]
    fn kind_from_base_name() {
        assert_eq!(Kind::for_path("Procfile"), Kind::Procfile);
        assert_eq!(Kind::for_path("app/Procfile"), Kind::Procfile);
        assert_eq!(Kind::for_path("procfile"), Kind::Manifest);
        assert_eq!(Kind::for_path("Procfile.dev"), Kind::Manifest);
        assert_eq!(
            Kind::for_path("corpus/owner__repo__Procfile"),
            Kind::Procfile
        );
        assert_eq!(Kind::for_path("scalingo.json"), Kind::Manifest);
        assert_eq!(Kind::for_path("-"), Kind::Manifest);
    }

    #[test]
    fn check_bytes_dispatches_on_kind() {
        let m = check_bytes("x", Kind::Manifest, b"{\"name\": \"x\",}", day());
        assert_eq!(m.verdict, Verdict::Invalid);
        assert!(m.diagnostics.iter().all(|d| d.code.as_str() < "SM0100"));
        let p = check_bytes("Procfile", Kind::Procfile, b"web npm start\n", day());
        assert_eq!(p.verdict, Verdict::Invalid);
        assert_eq!(p.diagnostics[0].code, "SM0601");
        let ok = check_bytes("Procfile", Kind::Procfile, b"web: npm start\n", day());
        assert_eq!((ok.verdict, ok.diagnostics.len()), (Verdict::Valid, 0));
    }

    #[test]
    fn json_report_has_the_diag_11_shape_and_bytes() {
        let d = located(DIAG1, Span::new(53, 56)).with_hint("h");
        let out = json_report(&[
            FileReport::new("scalingo.json", Kind::Manifest, vec![]),
            FileReport::new("b.json", Kind::Manifest, vec![d]),
            FileReport::unreadable("Procfile", Kind::Procfile),
        ]);
        let expected = r#"[
  {
    "file": "scalingo.json",
    "kind": "manifest",
    "verdict": "valid",
    "diagnostics": [],
    "counts": {
      "errors": 0,
      "warnings": 0,
      "notes": 0,
      "dropped": 0
    }
  },
  {
    "file": "b.json",
    "kind": "manifest",
    "verdict": "invalid",
    "diagnostics": [
      {
        "code": "SM0401",
        "severity": "error",
        "message": "unknown container size `m`",
        "pointer": "/formation/web/size",
        "line": 3,
        "column": 35,
        "span": {
          "start": 53,
          "end": 56
        },
        "rule": "MAN-FRM-3",
        "hint": "h"
      }
    ],
    "counts": {
      "errors": 1,
      "warnings": 0,
      "notes": 0,
      "dropped": 0
    }
  },
  {
    "file": "Procfile",
    "kind": "procfile",
    "verdict": "unreadable",
    "diagnostics": [],
    "counts": {
      "errors": 0,
      "warnings": 0,
      "notes": 0,
      "dropped": 0
    }
  }
]
"#;
        assert_eq!(out, expected);
    }

    #[test]
    fn summary_counts_everything() {
        let idx = LineIndex::new("{}");
        let n = Diagnostic::new(NOTE, "n").with_span(Span::new(0, 1), &idx);
        let e = Diagnostic::new(ERR, "e");
        let files = [
            FileReport::new("a", Kind::Manifest, vec![n, e.clone(), e]),
            FileReport::unreadable("b", Kind::Manifest),
        ];
        assert_eq!(
            summary(&files),
            "checked 2 files: 2 errors, 0 warnings, 1 note; 1 file unreadable\n"
        );
        assert_eq!(
            summary(&files[..1]),
            "checked 1 file: 2 errors, 0 warnings, 1 note\n"
        );
    }

    /// DIAG-11: `Kind::as_str` gives the names the JSON report writes for the kinds.
    #[test]
    fn diag_11_kind_names_are_those_of_the_json_report() {
        for kind in [Kind::Manifest, Kind::Procfile] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!(
            (Kind::Manifest.as_str(), Kind::Procfile.as_str()),
            ("manifest", "procfile")
        );
    }

    /// A span whose ends fall inside a character (an implementation's byte offsets, or a
    /// cut) is widened to whole characters: the start moves back to the character's first
    /// byte, the end forward past its last byte.
    #[test]
    fn a_span_inside_a_character_is_widened_to_whole_characters() {
        // `{"éé": 1}`: each `é` is two bytes, at 2..4 and 4..6 (columns 3 and 4)
        let text = "{\"\u{e9}\u{e9}\": 1}";
        let view = SourceView::new(text.as_bytes());
        let render = |start: usize, end: usize| {
            let d = Diagnostic {
                span: Some(Span { start, end }),
                line: Some(1),
                column: Some(3),
                ..Diagnostic::new(ERR, "m")
            };
            human_diagnostic("f", &view, &d, false)
        };
        // the start inside the first `é`: both `é` underlined, from column 3
        let out = render(3, 6);
        assert!(out.contains(" --> f:1:3\n"), "{out}");
        assert!(
            out.ends_with("1 | {\"\u{e9}\u{e9}\": 1}\n  |   ^^"),
            "{out}"
        );
        // the end inside the second `é`: both underlined
        let out = render(2, 5);
        assert!(out.contains(" --> f:1:3\n"), "{out}");
        assert!(
            out.ends_with("1 | {\"\u{e9}\u{e9}\": 1}\n  |   ^^"),
            "{out}"
        );
    }
}
