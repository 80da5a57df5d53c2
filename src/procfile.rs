//! `procfile`: the Procfile parser (spec `spec/procfile.md`, rules `PROC-*` and
//! `PROC-LIM-*`).
//!
//! A Procfile declares one process type per line, `<name>: <command>`. Scalingo reads it
//! from the application's root directory or from `$PROJECT_DIR`; three names are
//! reserved: `web` (the containers that receive HTTP traffic), `tcp` (the containers
//! behind the TCP gateway addon) and `postdeploy` (the postdeploy hook, run in a one-off
//! container after each successful build; not a container process type).
//!
//! [`parse`] is total: it accepts any bytes, never panics, and returns the process types it
//! could read together with every finding ([`Diagnostic`]s with codes `SM0601`–`SM0619`,
//! the rows of [`Code`] that `procfile` owns).
//!
//! ```
//! use scalingo_manifest::procfile;
//!
//! let parsed = procfile::parse(b"web: npm start\npostdeploy: npm run migrate\n");
//! assert!(parsed.diagnostics.is_empty());
//! assert_eq!(parsed.procfile.process_types(), ["web"]);
//! assert_eq!(parsed.procfile.postdeploy().map(|p| p.command.as_str()), Some("npm run migrate"));
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::diag::{self, Code, Diagnostic, Severity};
use crate::text::{LineIndex, Span};

/// Largest Procfile accepted, in bytes: 1 MiB (rule `PROC-LIM-1`).
pub const MAX_BYTES: usize = 1_048_576;
/// Largest number of process lines (non-blank, non-comment lines) read (rule `PROC-LIM-2`).
pub(crate) const MAX_PROCESS_LINES: usize = 1000;
/// Largest command accepted, in bytes of UTF-8 (rule `PROC-LIM-3`).
pub(crate) const MAX_COMMAND_BYTES: usize = 4096;
/// Largest number of diagnostics returned for one Procfile, before the note that says how
/// many more were dropped (rule `PROC-LIM-4`).
pub const MAX_DIAGNOSTICS: usize = crate::diag::MAX_LISTED;
/// Longest process type name, in characters (rule `PROC-2`; formation keys too, rule
/// `MAN-FRM-2`, decision D-15).
pub(crate) const MAX_NAME_CHARS: usize = 24;
/// The process type name rule as a regular expression, `[A-Za-z0-9]{1,24}` (rule `PROC-2`):
/// the JSON Schema's `propertyNames` of `formation` (rule `MAN-FRM-2`). A unit test checks
/// that it accepts exactly the names [`is_valid_name`] accepts.
pub const NAME_PATTERN: &str = "^[A-Za-z0-9]{1,24}$";
/// The reserved process type names, in this order: `web`, `tcp`, `postdeploy` (rule `PROC-4`).
pub(crate) const RESERVED: &[&str] = &[WEB, TCP, POSTDEPLOY];
/// The process type that receives HTTP requests from Scalingo's routers (rule `PROC-4`).
pub(crate) const WEB: &str = "web";
/// The process type started behind the TCP gateway addon (rule `PROC-4`).
pub const TCP: &str = "tcp";
/// The postdeploy hook entry; not a container process type (rule `PROC-4`).
pub const POSTDEPLOY: &str = "postdeploy";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The process types a Procfile declares (rule `PROC-11`).
///
/// `entries` are in file order; a name defined twice is kept once, at its first
/// definition (rule `PROC-3`). Lines with a structural error (`SM0601`–`SM0603`) define
/// nothing; entries whose name breaks rule `PROC-2` are kept (with their error) so that
/// later checks speak about the name the author wrote.
///
/// JSON shape: `{"entries": [ProcessType, ...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procfile {
    /// The process types, in file order, duplicates removed.
    pub entries: Vec<ProcessType>,
}

/// One `<name>: <command>` line of a Procfile (rules `PROC-1`, `PROC-11`).
///
/// JSON shape: `{"name": "web", "command": "npm start", "line": 1,
/// "name_span": {"start": 0, "end": 3}, "command_span": {"start": 5, "end": 14}}`.
/// Spans are byte ranges in the input bytes (a byte order mark counts); `line` is 1-based.
/// `name` and `command` are trimmed of spaces and tabs; invalid UTF-8 in them is replaced
/// by U+FFFD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessType {
    /// Process type name, as written (case-sensitive).
    pub name: String,
    /// Command: everything after the first `:` of the line, trimmed.
    pub command: String,
    /// 1-based line of the name.
    pub line: u32,
    /// Bytes of the name.
    pub name_span: Span,
    /// Bytes of the command.
    pub command_span: Span,
}

/// What [`parse`] returns: the process types it could read and every finding.
///
/// JSON shape: `{"procfile": Procfile, "diagnostics": [Diagnostic, ...], "counts":
/// Counts}`; diagnostics are in canonical order (`diag::sort`, rule `DIAG-4`), at most
/// [`MAX_DIAGNOSTICS`] plus one `SM0619` note; `counts` covers every finding, dropped ones
/// included (rule `PROC-LIM-4`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParsedProcfile {
    /// The process types read.
    pub procfile: Procfile,
    /// Findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every finding by severity, dropped ones included, and how many were dropped.
    #[serde(default)]
    pub counts: diag::Counts,
}

impl ParsedProcfile {
    /// True when a diagnostic has severity error (the Procfile cannot be used as written).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Procfile {
    /// The `postdeploy` entry (the postdeploy hook), if the Procfile defines one
    /// (rule `PROC-4`). The name must be exactly `postdeploy` (case-sensitive).
    pub fn postdeploy(&self) -> Option<&ProcessType> {
        self.get(POSTDEPLOY)
    }

    /// The container process types, in file order, `postdeploy` excluded (rule `PROC-11`).
    /// `web` and `tcp` are included when defined.
    pub fn process_types(&self) -> Vec<&str> {
        self.entries
            .iter()
            .map(|e| e.name.as_str())
            .filter(|n| *n != POSTDEPLOY)
            .collect()
    }

    /// The entry named exactly `name` (case-sensitive), if any.
    pub fn get(&self, name: &str) -> Option<&ProcessType> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// True when the Procfile defines no entry at all (not even `postdeploy`).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// True when `name` is a valid Scalingo process type name: 1 to 24 ASCII letters and
/// digits, `[A-Za-z0-9]{1,24}` (rule `PROC-2`; the same syntax applies to formation keys,
/// decision D-15).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_CHARS
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Parses a Procfile (rules `PROC-1`..`PROC-11`, `PROC-LIM-1`..`PROC-LIM-4`).
///
/// The `SM0616` finding of a Procfile of `size` bytes, more than [`MAX_BYTES`] (rule
/// `PROC-LIM-1`): `size` is the length in bytes, or `more than N` when the reader stopped
/// reading (the CLI reads at most one byte past the limit).
pub fn too_large(size: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ProcfileTooLarge,
        format!(
            "Procfile is {size} bytes, more than the limit of {MAX_BYTES} bytes (1 MiB); nothing was read"
        ),
    )
    .with_hint("a Procfile holds one short line per process type; move long commands into scripts (for example bin/start.sh)")
}

/// Total on any bytes, never panics. Input larger than [`MAX_BYTES`] or encoded in UTF-16
/// yields one error and no entry. Otherwise every line is read, even after errors: invalid
/// UTF-8 is reported once (`SM0609`, at the first invalid byte) and read as U+FFFD; a byte
/// order mark is reported (`SM0610`) and skipped. Diagnostic pointers are `"/<name>"`
/// (RFC 6901) for findings about an entry, `""` otherwise; spans are byte ranges in
/// `bytes`.
pub fn parse(bytes: &[u8]) -> ParsedProcfile {
    let mut diags = Vec::new();
    if bytes.len() > MAX_BYTES {
        diags.push(too_large(&bytes.len().to_string()));
        return ParsedProcfile {
            procfile: Procfile::default(),
            counts: diag::Counts::of(&diags),
            diagnostics: diags,
        };
    }
    if let Some(bom) = utf16_bom(bytes) {
        let index = LineIndex::new("");
        diags.push(
            Diagnostic::new(
                Code::ProcfileInvalidUtf8,
                format!("Procfile is encoded in UTF-16 (byte order mark {bom}), not UTF-8; nothing was read"),
            )
            .with_span(Span::new(0, 2), &index)
            .with_hint("save the Procfile as UTF-8 without a byte order mark"),
        );
        return ParsedProcfile {
            procfile: Procfile::default(),
            counts: diag::Counts::of(&diags),
            diagnostics: diags,
        };
    }

    let (text, first_invalid) = crate::text::shadow_text(bytes);
    let index = LineIndex::new(&text);
    if let Some(bad) = first_invalid {
        let byte = bytes.get(bad.start).copied().unwrap_or(0);
        diags.push(
            Diagnostic::new(
                Code::ProcfileInvalidUtf8,
                format!(
                    "Procfile is not valid UTF-8: byte 0x{byte:02X} at offset {} does not form a character",
                    bad.start
                ),
            )
            .with_span(bad, &index)
            .with_hint("save the Procfile as UTF-8; invalid bytes are read as U+FFFD"),
        );
    }

    let mut parser = Parser {
        bytes,
        text: &text,
        index: &index,
        diags,
        entries: Vec::new(),
        seen: HashMap::new(),
    };
    parser.run();
    let Parser {
        mut diags, entries, ..
    } = parser;

    diag::sort(&mut diags);
    let mut counts = diag::Counts::of(&diags);
    if diags.len() > MAX_DIAGNOSTICS {
        counts.dropped = diags.len() - MAX_DIAGNOSTICS;
        let dropped = diags.len() - MAX_DIAGNOSTICS;
        let dropped_error = diags[MAX_DIAGNOSTICS..].iter().any(Diagnostic::is_error);
        diags.truncate(MAX_DIAGNOSTICS);
        diags.push(
            Diagnostic::new(
                Code::ProcfileDiagnosticsDropped,
                format!(
                    "{dropped} more diagnostics for this Procfile were dropped (limit {MAX_DIAGNOSTICS})"
                ),
            )
            .with_hint("fix the findings above and check again to see the rest")
            // DIAG-12: the verdict can always be read from the list.
            .with_severity(if dropped_error {
                Severity::Error
            } else {
                Severity::Note
            }),
        );
    }
    ParsedProcfile {
        procfile: Procfile { entries },
        diagnostics: diags,
        counts,
    }
}

/// Prints `procfile` as a Procfile: one `<name>: <command>` line per entry, in order, each
/// ending with `\n`, the form rule `PROC-1` reads (rule `PROC-11`: the result).
///
/// Parsing the text gives back the same names and commands in the same order for every
/// [`Procfile`] that [`parse`] returns (its names hold no `:`, no line break and no
/// surrounding spaces or tabs; its commands are not empty and hold no line break and no
/// surrounding spaces or tabs); lines and spans are those of the printed text. A name
/// that breaks rule `PROC-2` is printed as it is (and reported again when read); when the
/// first name starts with U+FEFF, the text starts with a byte order mark (`PROC-6`), which
/// reading skips, so the name reads back whole. Total:
/// any entries print; names or commands that `parse` would never return may read back
/// differently.
///
/// ```
/// use scalingo_manifest::procfile;
///
/// let parsed = procfile::parse(b"# app\n  web:npm start\nworker: node w.js\n");
/// let text = procfile::to_text(&parsed.procfile);
/// assert_eq!(text, "web: npm start\nworker: node w.js\n");
/// assert!(procfile::parse(text.as_bytes()).diagnostics.is_empty());
/// ```
pub fn to_text(procfile: &Procfile) -> String {
    let mut out = String::new();
    // A first name that starts with U+FEFF would read as a byte order mark (PROC-6) and
    // lose it: a real mark in front keeps it.
    if procfile
        .entries
        .first()
        .is_some_and(|e| e.name.starts_with('\u{feff}'))
    {
        out.push('\u{feff}');
    }
    for e in &procfile.entries {
        out.push_str(&e.name);
        out.push_str(": ");
        out.push_str(&e.command);
        out.push('\n');
    }
    out
}

/// `Some("0xFF 0xFE")` when `bytes` start with a UTF-16 byte order mark.
fn utf16_bom(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xFF\xFE") {
        Some("0xFF 0xFE")
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some("0xFE 0xFF")
    } else {
        None
    }
}

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// `\n`.
    Lf,
    /// `\r\n`, starting at the given offset.
    CrLf(usize),
    /// A `\r` not followed by `\n`, at the given offset.
    Cr(usize),
    /// End of input.
    Eof,
}

/// One physical line: content `[start, end)` and how it ends.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    ending: Ending,
}

/// Splits at `\n`, `\r\n` and lone `\r` (rule `PROC-7`).
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let mut i = start;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\n' => {
                    self.pos = i + 1;
                    return Some(Line {
                        start,
                        end: i,
                        ending: Ending::Lf,
                    });
                }
                b'\r' => {
                    let crlf = self.bytes.get(i + 1) == Some(&b'\n');
                    self.pos = if crlf { i + 2 } else { i + 1 };
                    return Some(Line {
                        start,
                        end: i,
                        ending: if crlf { Ending::CrLf(i) } else { Ending::Cr(i) },
                    });
                }
                _ => i += 1,
            }
        }
        self.done = true;
        Some(Line {
            start,
            end: self.bytes.len(),
            ending: Ending::Eof,
        })
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Parsing state for one Procfile.
struct Parser<'a> {
    /// The input bytes (model strings are decoded from them).
    bytes: &'a [u8],
    /// The shadow text: same offsets as `bytes`, always valid UTF-8.
    text: &'a str,
    index: &'a LineIndex<'a>,
    diags: Vec<Diagnostic>,
    entries: Vec<ProcessType>,
    /// Name -> line of the first definition.
    seen: HashMap<String, u32>,
}

impl Parser<'_> {
    fn run(&mut self) {
        let tb = self.text.as_bytes();
        let mut start = 0;
        if self.bytes.starts_with(UTF8_BOM) {
            self.diags.push(
                Diagnostic::new(
                    Code::ProcfileByteOrderMark,
                    "Procfile starts with a UTF-8 byte order mark (bytes 0xEF 0xBB 0xBF)",
                )
                .with_span(Span::new(0, UTF8_BOM.len()), self.index)
                .with_hint("save the Procfile as UTF-8 without BOM: a reader that does not skip it sees the first process type name as \"\\u{feff}name\""),
            );
            start = UTF8_BOM.len();
        }
        let lines = Lines {
            bytes: tb,
            pos: start,
            done: false,
        };
        let mut crlf_seen = false;
        let mut lone_cr_seen = false;
        let mut process_lines = 0usize;
        for line in lines {
            match line.ending {
                Ending::CrLf(at) if !crlf_seen => {
                    crlf_seen = true;
                    self.diags.push(
                        Diagnostic::new(Code::ProcfileCrlf, "Procfile uses CRLF (Windows) line endings")
                            .with_span(Span::new(at, at + 2), self.index)
                            .with_hint("accepted: the carriage returns are not part of the commands; LF endings are more portable"),
                    );
                }
                Ending::Cr(at) if !lone_cr_seen => {
                    lone_cr_seen = true;
                    self.diags.push(
                        Diagnostic::new(
                            Code::ProcfileLoneCr,
                            "Procfile has a carriage return (\\r) not followed by a line feed",
                        )
                        .with_span(Span::new(at, at + 1), self.index)
                        .with_hint("use LF line endings: a YAML reader ends the line at a lone \\r, a line-based reader keeps it in the command; this check reads it as a line break"),
                    );
                }
                _ => {}
            }

            // Trim spaces and tabs (ASCII, so the offsets stay on character boundaries).
            let mut ls = line.start;
            while ls < line.end && is_blank(tb[ls]) {
                ls += 1;
            }
            let mut le = line.end;
            while le > ls && is_blank(tb[le - 1]) {
                le -= 1;
            }
            if ls == le || tb[ls] == b'#' {
                continue; // blank line or comment (rule PROC-1)
            }
            process_lines += 1;
            if process_lines > MAX_PROCESS_LINES {
                let (line_no, _) = self.index.line_col(ls);
                self.diags.push(
                    Diagnostic::new(
                        Code::ProcfileTooManyLines,
                        format!(
                            "Procfile has more than {MAX_PROCESS_LINES} process lines; line {line_no} and every line after it were ignored"
                        ),
                    )
                    .with_span(Span::new(ls, le), self.index)
                    .with_hint("an app needs a handful of process types; remove the extra lines"),
                );
                break;
            }
            self.process_line(line.start, ls, le);
        }
        if process_lines == 0 {
            let message = if self.bytes.len() == self.bom_len() {
                "Procfile is empty: it defines no process type"
            } else {
                "Procfile defines no process type (only blank lines and comments)"
            };
            self.diags.push(
                Diagnostic::new(Code::NoProcessType, message).with_hint(
                    "only the buildpack's default process types (if any) will exist; add lines such as `web: <command>`, or delete the file",
                ),
            );
        }
    }

    /// Length of the UTF-8 byte order mark at the start (3), or 0; `bytes.len() == bom_len()`
    /// means the file holds no text.
    fn bom_len(&self) -> usize {
        if self.bytes.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        }
    }

    /// A model string for bytes `span` (lossy: invalid UTF-8 becomes U+FFFD).
    fn lossy(&self, span: Span) -> String {
        self.bytes
            .get(span.start..span.end)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// One process line: `line_start` is the first byte of the physical line, `[ls, le)`
    /// its content without surrounding blanks (not empty, not a comment).
    fn process_line(&mut self, line_start: usize, ls: usize, le: usize) {
        let tb = self.text.as_bytes();
        if ls > line_start {
            self.push(
                Diagnostic::new(Code::IndentedProcessLine, "process line starts with whitespace")
                    .with_span(Span::new(line_start, ls), self.index)
                    .with_hint("remove the indentation: Heroku ignores indented lines and a YAML reader takes them as the continuation of the line above"),
            );
        }
        let Some(colon) = tb[ls..le].iter().position(|&b| b == b':').map(|p| ls + p) else {
            let content = &self.text[ls..le];
            let first_word: String = content
                .split([' ', '\t'])
                .next()
                .unwrap_or_default()
                .to_string();
            let hint = if is_valid_name(&first_word) && first_word.len() < content.len() {
                let rest = content[first_word.len()..].trim_start_matches([' ', '\t']);
                format!(
                    "a process line is `<name>: <command>`; did you mean `{first_word}: {rest}`?"
                )
            } else {
                "a process line is `<name>: <command>`, for example `web: npm start`; comment lines start with `#`".to_string()
            };
            self.push(
                Diagnostic::new(
                    Code::ProcfileNoColon,
                    "line has no `:`, so it declares no process type",
                )
                .with_span(Span::new(ls, le), self.index)
                .with_hint(hint),
            );
            return;
        };

        // Name: [ls, ne), trimmed before the colon.
        let mut ne = colon;
        while ne > ls && is_blank(tb[ne - 1]) {
            ne -= 1;
        }
        if ne == ls {
            self.push(
                Diagnostic::new(
                    Code::EmptyProcessTypeName,
                    "process line has no name before the `:`",
                )
                .with_span(Span::new(colon, colon + 1), self.index)
                .with_hint(
                    "write the process type name before the colon, for example `web: npm start`",
                ),
            );
            return;
        }
        let name_span = Span::new(ls, ne);
        let name = self.lossy(name_span);
        let label = Shown(&name);
        let pointer = diag::pointer_push("", &name);

        // Command: [cs, le), trimmed after the colon.
        let mut cs = colon + 1;
        while cs < le && is_blank(tb[cs]) {
            cs += 1;
        }

        self.check_name(&name, name_span, &pointer);

        if cs >= le {
            self.push(
                Diagnostic::new(
                    Code::EmptyProcessCommand,
                    format!("process type `{label}` has an empty command"),
                )
                .with_pointer(pointer)
                .with_span(Span::point(colon + 1), self.index)
                .with_hint("write the command to run after the colon, or delete the line"),
            );
            return;
        }
        let command_span = Span::new(cs, le);
        let command = self.lossy(command_span);

        self.check_yaml(&name, colon, command_span, &pointer);

        if command_span.len() > MAX_COMMAND_BYTES {
            self.push(
                Diagnostic::new(
                    Code::ProcessCommandTooLong,
                    format!(
                        "command of process type `{label}` is {} bytes, more than the limit of {MAX_COMMAND_BYTES} bytes",
                        command_span.len()
                    ),
                )
                .with_pointer(pointer.clone())
                .with_span(command_span, self.index)
                .with_hint("move the command into a script (for example bin/start.sh) and call it from the Procfile"),
            );
        }

        let (line, _) = self.index.line_col(name_span.start);
        if let Some(&first_line) = self.seen.get(&name) {
            self.push(
                Diagnostic::new(
                    Code::DuplicateProcessType,
                    format!("process type `{label}` is defined twice, on line {first_line} and on line {line}"),
                )
                .with_pointer(pointer)
                .with_span(name_span, self.index)
                .with_hint(format!(
                    "the platform's behaviour is undefined; this check keeps the definition on line {first_line}: delete or rename this one"
                )),
            );
            return;
        }
        self.seen.insert(name.clone(), line);
        self.entries.push(ProcessType {
            name,
            command,
            line,
            name_span,
            command_span,
        });
    }

    /// Rules `PROC-2` (syntax, length), `PROC-4` (reserved names' case), `PROC-5`
    /// (`release`).
    fn check_name(&mut self, name: &str, span: Span, pointer: &str) {
        let label = Shown(name);
        let shadow = &self.text[span.start..span.end];
        let bad = shadow
            .char_indices()
            .find(|(_, c)| !c.is_ascii_alphanumeric());
        if let Some((off, c)) = bad {
            let at = span.start + off;
            let what = if c == '?' && self.bytes.get(at) != Some(&b'?') {
                format!(
                    "the invalid UTF-8 byte 0x{:02X}",
                    self.bytes.get(at).copied().unwrap_or(0)
                )
            } else {
                format!("'{}'", c.escape_debug())
            };
            let only_separators = shadow
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let has_space = shadow.chars().any(char::is_whitespace);
            let candidate = camel_case(shadow);
            let reserved = RESERVED
                .iter()
                .find(|r| !candidate.is_empty() && r.eq_ignore_ascii_case(&candidate));
            let rename = match (reserved, candidate.is_empty()) {
                (Some(r), _) => format!("did you mean the reserved process type `{r}`?"),
                (None, false) if candidate.len() <= MAX_NAME_CHARS => {
                    format!("rename it, for example `{candidate}`, and use the same name in the formation")
                }
                _ => "rename it with letters and digits only".to_string(),
            };
            let hint = if only_separators {
                format!("Heroku accepts `-` and `_` in process type names, but Scalingo documents letters and digits only ([A-Za-z0-9]+); {rename}")
            } else if has_space {
                format!("a process type name cannot contain whitespace; {rename}")
            } else {
                format!("process type names use letters and digits only ([A-Za-z0-9]+); {rename}")
            };
            // `c` lies inside the name (an invalid byte is one 1-byte character of the
            // shadow text), so it never reaches past the span.
            let char_len = c.len_utf8();
            self.push(
                Diagnostic::new(
                    Code::ProcessTypeInvalidChar,
                    format!("process type name `{label}` contains {what}; only letters and digits are allowed"),
                )
                .with_pointer(pointer)
                .with_span(Span::new(at, at + char_len), self.index)
                .with_hint(hint),
            );
        }
        let chars = name.chars().count();
        if chars > MAX_NAME_CHARS {
            self.push(
                Diagnostic::new(
                    Code::ProcessTypeNameTooLong,
                    format!("process type name `{label}` is {chars} characters long, more than {MAX_NAME_CHARS}"),
                )
                .with_pointer(pointer)
                .with_span(span, self.index)
                .with_hint(format!("use a name of at most {MAX_NAME_CHARS} letters and digits")),
            );
        }
        if !RESERVED.contains(&name) && RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            let target = diag::suggest(name, RESERVED).unwrap_or(WEB);
            let consequence = match target {
                WEB => "it receives no HTTP traffic and is not started by default",
                TCP => "the TCP gateway does not use it and it is not started by default",
                _ => "it is not run as the postdeploy hook: it is an ordinary process type, not started by default",
            };
            self.push(
                Diagnostic::new(
                    Code::ProcessTypeReservedCase,
                    format!("`{label}` is not the reserved process type `{target}`: names are case-sensitive"),
                )
                .with_pointer(pointer)
                .with_span(span, self.index)
                .with_hint(format!("did you mean `{target}`? As written, {consequence}")),
            );
        }
        if name == "release" {
            self.push(
                Diagnostic::new(
                    Code::HerokuRelease,
                    "`release` is Heroku's release-phase process type; Scalingo has no release phase",
                )
                .with_pointer(pointer)
                .with_span(span, self.index)
                .with_hint("on Scalingo it is an ordinary process type, not started by default; to run the command after each deployment, rename it `postdeploy`"),
            );
        }
    }

    /// Rule `PROC-9`: reports the first construct a YAML reader would read differently.
    fn check_yaml(&mut self, name: &str, colon: usize, command: Span, pointer: &str) {
        let label = Shown(name);
        let tb = self.text.as_bytes();
        let finding: Option<(Span, String, &str)> = if !tb
            .get(colon + 1)
            .is_some_and(|&b| is_blank(b))
        {
            Some((
                Span::new(colon, colon + 1),
                format!("no space after the colon of `{label}:`; a YAML reader reads the whole line as one string, not as process type `{label}`"),
                "write a space after the colon: `<name>: <command>`",
            ))
        } else if let Some(&first) = tb.get(command.start).filter(|b| b"[{&*!|>%@`".contains(b)) {
            Some((
                Span::new(command.start, command.start + 1),
                format!(
                    "command of `{label}` starts with `{}`, which YAML reads as syntax, not as text",
                    char::from(first)
                ),
                "move the command into a script (for example bin/start.sh) and call it from the Procfile",
            ))
        } else {
            (command.start..command.end)
                .find(|&i| {
                    tb[i] == b':' && (i + 1 == command.end || is_blank(tb[i + 1]))
                })
                .map(|i| {
                    (
                        Span::new(i, i + 1),
                        format!("command of `{label}` contains `:` followed by a space or the line end, which is a syntax error for a YAML reader"),
                        "Scalingo documents the Procfile as YAML; remove the space after this colon or move the command into a script (for example bin/start.sh)",
                    )
                })
        };
        if let Some((span, message, hint)) = finding {
            self.push(
                Diagnostic::new(Code::ProcfileNotYaml, message)
                    .with_pointer(pointer)
                    .with_span(span, self.index)
                    .with_hint(hint),
            );
        }
    }
}

/// A name as shown in messages: control characters escaped, cut after 40 characters
/// (with `...`) so that a huge name does not flood the output. Written when the message
/// is formatted, so a line that gets no finding pays nothing for it.
struct Shown<'a>(&'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        for (i, c) in self.0.chars().enumerate() {
            if i == 40 {
                return f.write_str("...");
            }
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// `my-worker` -> `myWorker`, `post_deploy` -> `postDeploy`, `a b` -> `aB`: the ASCII
/// letters and digits of `name`, each run after the first starting with a capital.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    for (i, part) in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.push(first.to_ascii_uppercase());
            }
            out.extend(chars);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This module's codes: the rows of the code table it owns.
    fn own_codes() -> Vec<Code> {
        Code::ALL
            .iter()
            .copied()
            .filter(|c| c.owner() == "procfile")
            .collect()
    }

    /// (code, line, column) of every diagnostic.
    fn found(src: &[u8]) -> Vec<(String, Option<u32>, Option<u32>)> {
        parse(src)
            .diagnostics
            .into_iter()
            .map(|d| (d.code.to_string(), d.line, d.column))
            .collect()
    }

    fn one(code: &str, line: u32, col: u32) -> Vec<(String, Option<u32>, Option<u32>)> {
        vec![(code.to_string(), Some(line), Some(col))]
    }

    fn names(p: &ParsedProcfile) -> Vec<&str> {
        p.procfile.entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn empty_means_no_entry_at_all() {
        assert!(parse(b"").procfile.is_empty());
        assert!(parse(b"# only a comment\n").procfile.is_empty());
        assert!(!parse(b"postdeploy: rake db:migrate\n").procfile.is_empty());
        assert!(!parse(b"web: ./server\n").procfile.is_empty());
    }

    #[test]
    fn line_endings_are_located_exactly() {
        let p = parse(b"web: x\r\nclock: y\rz: w\n");
        let spans: Vec<(&str, Option<Span>)> = p
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.span))
            .collect();
        assert_eq!(
            spans,
            [
                ("SM0611", Some(Span::new(6, 8))),
                ("SM0612", Some(Span::new(16, 17)))
            ]
        );
    }

    #[test]
    fn a_missing_name_points_at_the_colon() {
        let p = parse(b"  : npm start\n");
        let empty = p.diagnostics.iter().find(|d| d.code == "SM0602");
        assert_eq!(empty.and_then(|d| d.span), Some(Span::new(2, 3)));
    }

    #[test]
    fn an_invalid_byte_ending_a_name_is_located_as_one_byte() {
        let p = parse(b"we\xff: cmd\n");
        let bad = p.diagnostics.iter().find(|d| d.code == "SM0604");
        assert_eq!(bad.and_then(|d| d.span), Some(Span::new(2, 3)));
    }

    #[test]
    fn no_rename_suggestion_longer_than_a_name_may_be() {
        let long = format!("{}-b: cmd\n", "a".repeat(MAX_NAME_CHARS));
        let p = parse(long.as_bytes());
        let bad = p
            .diagnostics
            .iter()
            .find(|d| d.code == "SM0604")
            .expect("SM0604");
        let hint = bad.hint.as_deref().unwrap_or_default();
        assert!(
            hint.ends_with("rename it with letters and digits only"),
            "{hint}"
        );
        let p = parse(b"my-worker: cmd\n");
        let hint = p.diagnostics[0].hint.as_deref().unwrap_or_default();
        assert!(hint.contains("rename it, for example `myWorker`"), "{hint}");
    }

    #[test]
    fn a_reserved_name_in_the_wrong_case_says_what_it_loses() {
        for (line, hint) in [
            (&b"Web: ./server\n"[..], "did you mean `web`? As written, it receives no HTTP traffic and is not started by default"),
            (b"TCP: ./server\n", "did you mean `tcp`? As written, the TCP gateway does not use it and it is not started by default"),
            (b"PostDeploy: rake db:migrate\n", "did you mean `postdeploy`? As written, it is not run as the postdeploy hook: it is an ordinary process type, not started by default"),
        ] {
            let p = parse(line);
            let d = p.diagnostics.iter().find(|d| d.code == Code::ProcessTypeReservedCase);
            assert_eq!(d.and_then(|d| d.hint.as_deref()), Some(hint));
        }
    }

    #[test]
    fn yaml_findings_cover_one_character() {
        for (line, at) in [
            (&b"web:./server\n"[..], 3),
            (b"web: [x]\n", 5),
            (b"web: echo a: b\n", 11),
        ] {
            let p = parse(line);
            let d = p
                .diagnostics
                .iter()
                .find(|d| d.code == Code::ProcfileNotYaml);
            assert_eq!(
                d.and_then(|d| d.span),
                Some(Span::new(at, at + 1)),
                "{line:?}"
            );
        }
    }

    #[test]
    fn a_lone_word_gets_the_general_hint() {
        // One word and nothing else: no "did you mean `web: `".
        let p = parse(b"web\n");
        assert_eq!(
            p.diagnostics[0].hint.as_deref(),
            Some("a process line is `<name>: <command>`, for example `web: npm start`; comment lines start with `#`")
        );
        let p = parse(b"web npm start\n");
        assert_eq!(
            p.diagnostics[0].hint.as_deref(),
            Some("a process line is `<name>: <command>`; did you mean `web: npm start`?")
        );
    }

    #[test]
    fn valid_file_entries_spans_and_accessors() {
        let src =
            b"web: npm start\nworker:  node w.js  \npostdeploy: npm run migrate\ntcp: ./tcp\n";
        let p = parse(src);
        assert_eq!(p.diagnostics, vec![]);
        assert_eq!(names(&p), ["web", "worker", "postdeploy", "tcp"]);
        assert_eq!(p.procfile.process_types(), ["web", "worker", "tcp"]);
        let w = p.procfile.get("worker").unwrap();
        assert_eq!(w.command, "node w.js");
        assert_eq!(w.line, 2);
        assert_eq!(w.name_span, Span::new(15, 21));
        assert_eq!(w.command_span, Span::new(24, 33));
        assert_eq!(&src[24..33], b"node w.js");
        let pd = p.procfile.postdeploy().unwrap();
        assert_eq!((pd.command.as_str(), pd.line), ("npm run migrate", 3));
        assert!(p.procfile.get("Web").is_none());
        assert!(!p.has_errors());
    }

    #[test]
    fn command_is_everything_after_the_first_colon() {
        let p = parse(b"web: gunicorn \"app:create_app()\" --bind=0.0.0.0:$PORT");
        assert_eq!(p.diagnostics, vec![]);
        assert_eq!(
            p.procfile.entries[0].command,
            "gunicorn \"app:create_app()\" --bind=0.0.0.0:$PORT"
        );
    }

    #[test]
    fn whitespace_around_name_and_command_is_trimmed() {
        let p = parse(b"web \t:\tnpm start\t \n");
        assert_eq!(p.diagnostics, vec![]);
        let e = &p.procfile.entries[0];
        assert_eq!((e.name.as_str(), e.command.as_str()), ("web", "npm start"));
        assert_eq!(e.name_span, Span::new(0, 3));
        assert_eq!(e.command_span, Span::new(7, 16));
    }

    #[test]
    fn comments_and_blank_lines_are_ignored() {
        let p = parse(b"# header\n\n   \n  # indented comment\nweb: x # not a comment\n\t\n");
        assert_eq!(p.diagnostics, vec![]);
        assert_eq!(p.procfile.entries[0].command, "x # not a comment");
        assert_eq!(p.procfile.entries[0].line, 5);
    }

    #[test]
    fn no_final_newline_is_fine() {
        let p = parse(b"web: a\npostdeploy: b");
        assert_eq!(p.diagnostics, vec![]);
        assert_eq!(p.procfile.postdeploy().unwrap().command, "b");
    }

    #[test]
    fn no_web_is_fine() {
        let p = parse(b"postdeploy: yarn migrations");
        assert_eq!(p.diagnostics, vec![]);
        assert_eq!(p.procfile.process_types(), Vec::<&str>::new());
    }

    #[test]
    fn line_without_colon() {
        assert_eq!(found(b"web: a\nworker node w.js\n"), one("SM0601", 2, 1));
        let p = parse(b"web npm start");
        let d = &p.diagnostics[0];
        assert_eq!(d.span, Some(Span::new(0, 13)));
        assert_eq!(d.pointer, "");
        assert_eq!(
            d.hint.as_deref(),
            Some("a process line is `<name>: <command>`; did you mean `web: npm start`?")
        );
        assert!(p.procfile.is_empty());
        let p = parse(b"<<<<<<< HEAD");
        assert_eq!(p.diagnostics[0].code, "SM0601");
        assert!(p.diagnostics[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("a process line is `<name>: <command>`, for example"));
    }

    #[test]
    fn empty_name() {
        assert_eq!(found(b"web: a\n  : x\n"), {
            let mut v = one("SM0613", 2, 1);
            v.extend(one("SM0602", 2, 3));
            v
        });
        assert_eq!(found(b": x"), one("SM0602", 1, 1));
        assert!(parse(b": x").procfile.is_empty());
    }

    #[test]
    fn empty_command() {
        let p = parse(b"web:\nworker:   \npostdeploy: ok");
        assert_eq!(
            found(b"web:\nworker:   \npostdeploy: ok"),
            [one("SM0603", 1, 5), one("SM0603", 2, 8)].concat()
        );
        assert_eq!(p.diagnostics[0].pointer, "/web");
        assert_eq!(p.diagnostics[1].span, Some(Span::point(12)));
        assert_eq!(names(&p), ["postdeploy"]);
    }

    #[test]
    fn empty_command_line_does_not_count_as_first_definition() {
        let p = parse(b"web:\nweb: ok\n");
        assert_eq!(found(b"web:\nweb: ok\n"), one("SM0603", 1, 5));
        assert_eq!(p.procfile.get("web").unwrap().line, 2);
    }

    #[test]
    fn dash_and_underscore_in_name_are_errors_with_a_hint() {
        let p = parse(b"web: a\nmy-worker: b\n");
        assert_eq!(found(b"web: a\nmy-worker: b\n"), one("SM0604", 2, 3));
        let d = &p.diagnostics[0];
        assert_eq!(d.pointer, "/my-worker");
        assert_eq!(d.span, Some(Span::new(9, 10)));
        assert_eq!(
            d.message,
            "process type name `my-worker` contains '-'; only letters and digits are allowed"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("Heroku accepts `-` and `_` in process type names, but Scalingo documents letters and digits only ([A-Za-z0-9]+); rename it, for example `myWorker`, and use the same name in the formation")
        );
        // The entry is kept, under the name as written.
        assert_eq!(p.procfile.process_types(), ["web", "my-worker"]);

        let p = parse(b"post_deploy: x");
        assert_eq!(p.diagnostics[0].code, "SM0604");
        assert_eq!(
            p.diagnostics[0].hint.as_deref(),
            Some("Heroku accepts `-` and `_` in process type names, but Scalingo documents letters and digits only ([A-Za-z0-9]+); did you mean the reserved process type `postdeploy`?")
        );
        assert!(p.procfile.postdeploy().is_none());
    }

    // PROC-2, MAN-FRM-2: the schema's pattern and the function are one rule.
    #[test]
    fn the_name_pattern_is_the_name_rule() {
        assert_eq!(NAME_PATTERN, format!("^[A-Za-z0-9]{{1,{MAX_NAME_CHARS}}}$"));
        let schema = serde_json::json!({"type": "string", "pattern": NAME_PATTERN});
        let validator = jsonschema::validator_for(&schema).expect("a valid pattern");
        let alphabet = ['a', 'Z', '0', '9', '_', '-', ' ', 'é', '\n', ':'];
        let mut names: Vec<String> = vec![String::new()];
        for a in alphabet {
            names.push(a.to_string());
            for b in alphabet {
                names.push(format!("{a}{b}"));
            }
        }
        for len in [MAX_NAME_CHARS - 1, MAX_NAME_CHARS, MAX_NAME_CHARS + 1] {
            names.push("a".repeat(len));
            names.push(format!("a{}", "é".repeat(len - 1)));
        }
        for name in &names {
            assert_eq!(
                validator.is_valid(&serde_json::Value::String(name.clone())),
                is_valid_name(name),
                "{name:?}"
            );
        }
    }

    #[test]
    fn other_invalid_name_characters() {
        let p = parse(b"my worker: x");
        assert_eq!(found(b"my worker: x"), one("SM0604", 1, 3));
        assert_eq!(
            p.diagnostics[0].hint.as_deref(),
            Some("a process type name cannot contain whitespace; rename it, for example `myWorker`, and use the same name in the formation")
        );
        let p = parse("wébé: x".as_bytes());
        assert_eq!(found("wébé: x".as_bytes()), one("SM0604", 1, 2));
        assert_eq!(p.diagnostics[0].span, Some(Span::new(1, 3)));
        assert_eq!(
            p.diagnostics[0].message,
            "process type name `wébé` contains 'é'; only letters and digits are allowed"
        );
        let p = parse(b"a/b~c: x");
        assert_eq!(p.diagnostics[0].pointer, "/a~1b~0c");
        // A URL reads as process type `http` with a YAML warning.
        let p = parse(b"http://example.com");
        assert_eq!(found(b"http://example.com"), one("SM0614", 1, 5));
        assert_eq!(p.diagnostics[0].pointer, "/http");
        let p = parse(b"$$$: x");
        assert_eq!(
            p.diagnostics[0].hint.as_deref(),
            Some("process type names use letters and digits only ([A-Za-z0-9]+); rename it with letters and digits only")
        );
    }

    #[test]
    fn name_longer_than_24_characters() {
        let ok = format!("{}: x", "a".repeat(24));
        assert_eq!(found(ok.as_bytes()), vec![]);
        let long = format!("{}: x", "a".repeat(25));
        assert_eq!(found(long.as_bytes()), one("SM0605", 1, 1));
        let p = parse(long.as_bytes());
        assert_eq!(p.diagnostics[0].span, Some(Span::new(0, 25)));
        assert_eq!(p.procfile.entries.len(), 1);
        assert!(is_valid_name(&"a".repeat(24)));
        assert!(!is_valid_name(&"a".repeat(25)));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("a-b"));
        assert!(is_valid_name("heavyProcess2"));
    }

    #[test]
    fn duplicate_is_an_error_first_kept() {
        let src = b"web: first\nworker: w\nweb: second\n";
        let p = parse(src);
        assert_eq!(found(src), one("SM0606", 3, 1));
        let d = &p.diagnostics[0];
        assert_eq!(d.pointer, "/web");
        assert_eq!(
            d.message,
            "process type `web` is defined twice, on line 1 and on line 3"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("the platform's behaviour is undefined; this check keeps the definition on line 1: delete or rename this one")
        );
        assert_eq!(names(&p), ["web", "worker"]);
        assert_eq!(p.procfile.get("web").unwrap().command, "first");
        // Case-sensitive: `Web` is not a duplicate of `web` (but gets PROC-4).
        assert_eq!(found(b"web: a\nWeb: b"), one("SM0607", 2, 1));
    }

    #[test]
    fn duplicate_postdeploy() {
        let p = parse(b"postdeploy: a\npostdeploy: b\n");
        assert_eq!(p.diagnostics[0].code, "SM0606");
        assert_eq!(p.procfile.postdeploy().unwrap().command, "a");
    }

    #[test]
    fn wrong_case_reserved_names() {
        let src = b"Web: a\nPostDeploy: b\nTCP: c\n";
        let p = parse(src);
        assert_eq!(
            found(src),
            [
                one("SM0607", 1, 1),
                one("SM0607", 2, 1),
                one("SM0607", 3, 1)
            ]
            .concat()
        );
        assert_eq!(
            p.diagnostics[1].message,
            "`PostDeploy` is not the reserved process type `postdeploy`: names are case-sensitive"
        );
        assert_eq!(
            p.diagnostics[1].hint.as_deref(),
            Some("did you mean `postdeploy`? As written, it is not run as the postdeploy hook: it is an ordinary process type, not started by default")
        );
        assert_eq!(p.diagnostics[0].pointer, "/Web");
        assert_eq!(p.diagnostics[0].severity, Severity::Warning);
        assert!(p.procfile.postdeploy().is_none());
        assert_eq!(p.procfile.process_types(), ["Web", "PostDeploy", "TCP"]);
    }

    #[test]
    fn heroku_release_process_type() {
        let p = parse(b"web: a\nrelease: rake db:migrate\n");
        assert_eq!(
            found(b"web: a\nrelease: rake db:migrate\n"),
            one("SM0608", 2, 1)
        );
        assert_eq!(p.diagnostics[0].pointer, "/release");
        assert_eq!(p.procfile.process_types(), ["web", "release"]);
    }

    #[test]
    fn crlf_one_note_at_the_first() {
        let src = b"web: a\r\nworker: b\r\n";
        let p = parse(src);
        assert_eq!(found(src), one("SM0611", 1, 7));
        assert_eq!(p.diagnostics[0].span, Some(Span::new(6, 8)));
        assert_eq!(p.diagnostics[0].severity, Severity::Note);
        assert_eq!(p.procfile.get("worker").unwrap().command, "b");
        assert_eq!(p.procfile.get("worker").unwrap().line, 2);
        // Mixed endings: still one note, at the first CRLF.
        assert_eq!(
            found(b"web: a\nworker: b\r\nx: c\r\n"),
            one("SM0611", 2, 10)
        );
    }

    #[test]
    fn lone_cr_is_an_error_and_breaks_the_line() {
        let src = b"web: a\rworker: b\rclock: c\n";
        let p = parse(src);
        assert_eq!(found(src), one("SM0612", 1, 7));
        assert_eq!(names(&p), ["web", "worker", "clock"]);
        assert_eq!(p.procfile.get("web").unwrap().command, "a");
        // Same physical line for the line index (lines end at \n only).
        assert_eq!(p.procfile.get("clock").unwrap().line, 1);
        // A trailing lone CR.
        assert_eq!(found(b"web: a\r"), one("SM0612", 1, 7));
    }

    #[test]
    fn utf8_bom_is_an_error_then_skipped() {
        let src = b"\xEF\xBB\xBFweb: a\n";
        let p = parse(src);
        assert_eq!(found(src), one("SM0610", 1, 1));
        assert_eq!(p.diagnostics[0].span, Some(Span::new(0, 3)));
        let e = p.procfile.get("web").unwrap();
        assert_eq!(e.name_span, Span::new(3, 6));
        assert_eq!(e.line, 1);
        // The mark is one character: the first name is at column 2.
        assert_eq!(
            found(b"\xEF\xBB\xBFWeb: a"),
            [one("SM0610", 1, 1), one("SM0607", 1, 2)].concat()
        );
        // A BOM alone: the error and the empty-file warning.
        assert_eq!(
            found(b"\xEF\xBB\xBF"),
            vec![
                ("SM0610".to_string(), Some(1), Some(1)),
                ("SM0615".to_string(), None, None)
            ]
        );
        assert_eq!(
            parse(b"\xEF\xBB\xBF").diagnostics[1].message,
            "Procfile is empty: it defines no process type"
        );
    }

    #[test]
    fn utf16_is_rejected_whole() {
        let src = b"\xFF\xFEw\0e\0b\0:\0 \0x\0";
        let p = parse(src);
        assert_eq!(found(src), one("SM0609", 1, 1));
        assert!(p.diagnostics[0].message.contains("UTF-16"));
        assert!(p.procfile.is_empty());
        assert_eq!(parse(b"\xFE\xFF\0w").diagnostics[0].code, "SM0609");
    }

    #[test]
    fn invalid_utf8_reported_once_at_first_byte_then_lossy() {
        let src = b"web: caf\xE9 start\nworker: \xFF\xFEok\nclock: c\n";
        let p = parse(src);
        assert_eq!(found(src), one("SM0609", 1, 9));
        let d = &p.diagnostics[0];
        assert_eq!(d.span, Some(Span::new(8, 9)));
        assert_eq!(
            d.message,
            "Procfile is not valid UTF-8: byte 0xE9 at offset 8 does not form a character"
        );
        assert_eq!(p.procfile.get("web").unwrap().command, "caf\u{FFFD} start");
        assert_eq!(
            p.procfile.get("worker").unwrap().command,
            "\u{FFFD}\u{FFFD}ok"
        );
        assert_eq!(p.procfile.get("clock").unwrap().line, 3);
        assert_eq!(
            p.procfile.get("clock").unwrap().command_span,
            Span::new(36, 37)
        );
        // Later lines are still checked.
        assert_eq!(
            found(b"a: \xC3\nb-c: d"),
            [one("SM0609", 1, 4), one("SM0604", 2, 2)].concat()
        );
        // An invalid byte in a name.
        let p = parse(b"w\xFFb: x");
        assert_eq!(
            found(b"w\xFFb: x"),
            [one("SM0604", 1, 2), one("SM0609", 1, 2)].concat()
        );
        assert_eq!(
            p.diagnostics[0].message,
            "process type name `w\u{FFFD}b` contains the invalid UTF-8 byte 0xFF; only letters and digits are allowed"
        );
        // Truncated sequence at the end of input.
        assert_eq!(found(b"web: a\xE2\x82"), one("SM0609", 1, 7));
        assert_eq!(
            parse(b"web: a\xE2\x82").diagnostics[0].span,
            Some(Span::new(6, 8))
        );
    }

    #[test]
    fn indented_process_line_is_a_warning() {
        let p = parse(b"web: a\n  worker: b\n");
        assert_eq!(found(b"web: a\n  worker: b\n"), one("SM0613", 2, 1));
        assert_eq!(p.diagnostics[0].span, Some(Span::new(7, 9)));
        assert_eq!(p.procfile.get("worker").unwrap().command, "b");
    }

    #[test]
    fn yaml_incompatible_lines_are_warnings() {
        // No space after the colon.
        let p = parse(b"web:npm start");
        assert_eq!(found(b"web:npm start"), one("SM0614", 1, 4));
        assert_eq!(p.procfile.get("web").unwrap().command, "npm start");
        // `: ` inside the command.
        assert_eq!(found(b"web: echo step: 1"), one("SM0614", 1, 15));
        assert_eq!(found(b"web: echo step:"), one("SM0614", 1, 15));
        // Indicator at the start of the command.
        assert_eq!(found(b"web: [ -f x ] && y"), one("SM0614", 1, 6));
        assert_eq!(found(b"web: { a; }"), one("SM0614", 1, 6));
        // Only the first finding per line.
        assert_eq!(found(b"web:[ x: y"), one("SM0614", 1, 4));
        // Colons not followed by a space are fine.
        assert_eq!(found(b"web: rake jobs:work http://x"), vec![]);
    }

    #[test]
    fn empty_procfile_is_a_warning() {
        let p = parse(b"");
        assert_eq!(found(b""), vec![("SM0615".to_string(), None, None)]);
        assert_eq!(p.diagnostics[0].pointer, "");
        assert_eq!(p.diagnostics[0].severity, Severity::Warning);
        let p = parse(b"# nothing yet\n\n");
        assert_eq!(
            p.diagnostics[0].message,
            "Procfile defines no process type (only blank lines and comments)"
        );
        // Lines with errors are process lines: no SM0615 on top of them.
        assert_eq!(found(b"web:"), one("SM0603", 1, 5));
    }

    #[test]
    fn larger_than_1_mib_reads_nothing() {
        let mut src = b"web: a\n".to_vec();
        src.resize(MAX_BYTES + 1, b'#');
        let p = parse(&src);
        assert_eq!(found(&src), vec![("SM0616".to_string(), None, None)]);
        assert!(p.procfile.is_empty());
        // Exactly 1 MiB is read.
        src.truncate(MAX_BYTES);
        let p = parse(&src);
        assert_eq!(p.diagnostics, vec![]);
        assert_eq!(names(&p), ["web"]);
    }

    #[test]
    fn more_than_1000_process_lines() {
        let mut src = String::from("# comment\n");
        for i in 0..1000 {
            src.push_str(&format!("p{i}: x\n"));
        }
        assert_eq!(found(src.as_bytes()), vec![]);
        src.push_str("extra: x\nmore bad line\n");
        let p = parse(src.as_bytes());
        assert_eq!(found(src.as_bytes()), one("SM0617", 1002, 1));
        assert_eq!(
            p.diagnostics[0].message,
            "Procfile has more than 1000 process lines; line 1002 and every line after it were ignored"
        );
        assert_eq!(p.procfile.entries.len(), 1000);
        assert!(p.procfile.get("extra").is_none());
    }

    #[test]
    fn command_longer_than_4096_bytes() {
        let ok = format!("web: {}", "x".repeat(4096));
        assert_eq!(found(ok.as_bytes()), vec![]);
        let long = format!("web: {}", "x".repeat(4097));
        assert_eq!(found(long.as_bytes()), one("SM0618", 1, 6));
        let p = parse(long.as_bytes());
        assert_eq!(p.diagnostics[0].span, Some(Span::new(5, 4102)));
        assert_eq!(p.procfile.get("web").unwrap().command.len(), 4097);
    }

    #[test]
    fn diagnostics_are_capped_at_1000_plus_a_note() {
        // 1000 lines with two findings each (indented + no colon).
        let src = " x\n".repeat(1000);
        let p = parse(src.as_bytes());
        assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        let last = p.diagnostics.last().unwrap();
        assert_eq!(last.code, "SM0619");
        assert_eq!(
            last.message,
            "1000 more diagnostics for this Procfile were dropped (limit 1000)"
        );
        assert_eq!(p.diagnostics[0].code, "SM0613");
        assert_eq!(p.diagnostics[1].code, "SM0601");
        // DIAG-12: errors (SM0601) were dropped, so the note is an error.
        assert_eq!(last.severity, Severity::Error);
        // Only warnings dropped (indented, and no space after the colon): a note.
        let src: String = (0..600).map(|i| format!(" w{i}:x\n")).collect();
        let p = parse(src.as_bytes());
        assert!(
            p.diagnostics
                .iter()
                .all(|d| d.severity == Severity::Warning || d.code == "SM0619"),
            "{:?}",
            p.diagnostics
                .iter()
                .map(|d| &d.code)
                .collect::<std::collections::BTreeSet<_>>()
        );
        let last = p.diagnostics.last().unwrap();
        assert_eq!(
            (last.code.as_str(), last.severity),
            ("SM0619", Severity::Note)
        );
    }

    #[test]
    fn diagnostics_are_sorted() {
        let src = b"web: a\nweb: b\nbad\n\xEF";
        let d: Vec<_> = parse(src).diagnostics.into_iter().map(|d| d.code).collect();
        assert_eq!(d, ["SM0606", "SM0601", "SM0601", "SM0609"]);
    }

    #[test]
    fn serde_shape() {
        let p = parse(b"web: a");
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "procfile": {"entries": [{
                    "name": "web", "command": "a", "line": 1,
                    "name_span": {"start": 0, "end": 3},
                    "command_span": {"start": 5, "end": 6}
                }]},
                "diagnostics": [],
                "counts": {"errors": 0, "warnings": 0, "notes": 0, "dropped": 0}
            })
        );
        let back: ParsedProcfile = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn long_and_control_names_are_shortened_in_messages() {
        let long = format!("{}: x", "a".repeat(50));
        let p = parse(long.as_bytes());
        assert_eq!(
            p.diagnostics[0].message,
            format!(
                "process type name `{}...` is 50 characters long, more than 24",
                "a".repeat(40)
            )
        );
        assert_eq!(p.diagnostics[0].pointer, format!("/{}", "a".repeat(50)));
        let p = parse(b"a\0b: x");
        assert_eq!(
            p.diagnostics[0].message,
            "process type name `a\\0b` contains '\\0'; only letters and digits are allowed"
        );
    }

    #[test]
    fn camel_case_suggestions() {
        assert_eq!(camel_case("my-worker"), "myWorker");
        assert_eq!(camel_case("post_deploy"), "postDeploy");
        assert_eq!(camel_case("--"), "");
        assert_eq!(camel_case("a b c"), "aBC");
    }

    #[test]
    fn pseudo_random_inputs_are_total_and_consistent() {
        const ALPHABET: &[u8] = b"web:postdeploy# \t\r\n-_:[\xEF\xBB\xBF\xC3\xA9\xFF\x80\0W";
        let mut state: u64 = 0x5eed;
        for _ in 0..3000 {
            let mut src = Vec::new();
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (state >> 58) as usize;
            for _ in 0..len {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                src.push(ALPHABET[(state >> 33) as usize % ALPHABET.len()]);
            }
            let p = parse(&src);
            for d in &p.diagnostics {
                assert!(own_codes().iter().any(|c| c.as_str() == d.code), "{src:?}");
                if let Some(s) = d.span {
                    assert!(s.end <= src.len(), "{src:?} {d:?}");
                }
            }
            let mut names = std::collections::HashSet::new();
            for e in &p.procfile.entries {
                assert!(names.insert(e.name.clone()), "duplicate kept: {src:?}");
                assert_eq!(
                    String::from_utf8_lossy(&src[e.name_span.start..e.name_span.end]),
                    e.name
                );
                assert_eq!(
                    String::from_utf8_lossy(&src[e.command_span.start..e.command_span.end]),
                    e.command
                );
                assert!(!e.name.is_empty() && !e.command.is_empty());
            }
        }
    }

    /// PROC-1, PROC-11: printing the entries read and reading the text gives them back.
    #[test]
    fn to_text_prints_what_parse_reads() {
        let src: &[u8] =
            b"\xEF\xBB\xBF# c\r\n\tweb :  a: b  \r\nmy-worker:x\nweb: again\nbad\xFF: \xC0 z\n";
        let first = parse(src);
        let text = to_text(&first.procfile);
        assert_eq!(text, "web: a: b\nmy-worker: x\nbad\u{FFFD}: \u{FFFD} z\n");
        let again = parse(text.as_bytes());
        let pairs = |p: &ParsedProcfile| -> Vec<(String, String)> {
            p.procfile
                .entries
                .iter()
                .map(|e| (e.name.clone(), e.command.clone()))
                .collect()
        };
        assert_eq!(pairs(&again), pairs(&first));
        assert_eq!(to_text(&again.procfile), text);
        assert_eq!(to_text(&Procfile::default()), "");
        // A first name starting with U+FEFF (a doubled byte order mark) reads back whole
        // (found by `tests/prop_procfile.rs`, `proc_11_printing_what_was_read_reads_the_same`).
        let doubled = parse("\u{feff}\u{feff}web: x".as_bytes());
        assert_eq!(doubled.procfile.entries[0].name, "\u{feff}web");
        let text = to_text(&doubled.procfile);
        assert_eq!(text, "\u{feff}\u{feff}web: x\n");
        assert_eq!(pairs(&parse(text.as_bytes())), pairs(&doubled));
    }

    #[test]
    fn total_on_awkward_inputs() {
        for src in [
            &b"\r"[..],
            b"\n\n\n",
            b"\r\n",
            b":",
            b"::",
            b" : ",
            b"#",
            b"\xEF\xBB",
            b"\xEF\xBB\xBF\xEF\xBB\xBF: x",
            b"\0: \0",
            b"a:\xF0\x9F",
            b"\xC0\xAF:\xC0",
            b"\t\t:\t\r\r\n",
        ] {
            let p = parse(src);
            for d in &p.diagnostics {
                assert!(d.code.as_str().starts_with("SM06"));
                if let Some(s) = d.span {
                    assert!(s.end <= src.len(), "{src:?} {d:?}");
                }
            }
            for e in &p.procfile.entries {
                assert!(e.command_span.end <= src.len());
            }
        }
        assert_eq!(found(b"::"), [one("SM0602", 1, 1)].concat());
    }
}
