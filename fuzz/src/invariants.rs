//! The cheap invariants each fuzz target checks on top of "no panic". Each panics with a
//! message naming the rule it breaks, so that libFuzzer records the input as a crash.
//!
//! The checks restate the spec independently of the engine's helpers where that is cheap
//! (positions per `DIAG-5`, variable names per `ENV-12`), so that a bug shared by the
//! engine and its helper is still caught.

use std::collections::BTreeSet;

use scalingo_manifest::diag::Diagnostic;
use scalingo_manifest::env::Origin;
use scalingo_manifest::firewall::FirewallOrigin;
use scalingo_manifest::manifest::{self, Checked};
use scalingo_manifest::procfile::{self, ParsedProcfile};
use scalingo_manifest::scenario::{explain, resolve, to_json, Outcome, OutcomeStatus, Scenario};
use scalingo_manifest::text::shadow_text;
use scalingo_manifest::AppKind;
use scalingo_manifest_cli::render::{self, FileReport, Kind, SourceView};

/// Longest variable value, in characters (rule `ENV-12`).
const MAX_VALUE_CHARS: usize = 32768;

/// `DIAG-5`: the 1-based (line, column) of each byte offset in `offsets` (sorted, on
/// character boundaries of `text`), computed in one pass: lines end at `\n`, a `\r` right
/// before `\n` belongs to the line end, columns count Unicode scalar values, an offset
/// past the end is the end.
fn line_cols(text: &str, offsets: &[usize]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(offsets.len());
    let (mut line, mut column) = (1u32, 1u32);
    let mut chars = text.char_indices().peekable();
    for &offset in offsets {
        let offset = offset.min(text.len());
        while let Some(&(at, c)) = chars.peek() {
            if at >= offset {
                break;
            }
            chars.next();
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        let before_lf = text.as_bytes().get(offset) == Some(&b'\n')
            && offset > 0
            && text.as_bytes().get(offset - 1) == Some(&b'\r');
        out.push((line, if before_lf { column - 1 } else { column }));
    }
    out
}

/// `DIAG-5`, `DIAG-1`: every diagnostic about `bytes` has a code that one of `owners` emits
/// ([`Code::owner`](scalingo_manifest::Code::owner); for a manifest, `manifest` and
/// `firewall`, which reads `firewall_rules`); a span with `start <= end <= len` on character boundaries (of the text with each
/// invalid byte read as one character); line and column exactly when there is a span, and
/// those of the span's start.
pub fn positions(what: &str, bytes: &[u8], diagnostics: &[Diagnostic], owners: &[&str]) {
    let (text, _) = shadow_text(bytes);
    let mut located: Vec<(usize, &Diagnostic)> = Vec::new();
    for d in diagnostics {
        assert!(
            owners.contains(&d.code.owner()),
            "{what}: DIAG-1: code {} is not one of {owners:?}'s: {d:?}",
            d.code
        );
        assert_eq!(
            d.line.is_some(),
            d.column.is_some(),
            "{what}: DIAG-5: line without column: {d:?}"
        );
        match d.span {
            Some(span) => {
                let inside = span.start <= span.end
                    && span.end <= bytes.len()
                    && text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end);
                assert!(
                    inside,
                    "{what}: DIAG-5: span {span:?} outside the {} input bytes or inside a character: {d:?}",
                    bytes.len()
                );
                assert!(d.line.is_some(), "{what}: DIAG-5: span without line: {d:?}");
                located.push((span.start, d));
            }
            None => assert!(d.line.is_none(), "{what}: DIAG-5: line without span: {d:?}"),
        }
    }
    located.sort_by_key(|(offset, _)| *offset);
    let offsets: Vec<usize> = located.iter().map(|(o, _)| *o).collect();
    for ((offset, d), expected) in located.iter().zip(line_cols(&text, &offsets)) {
        assert_eq!(
            (d.line, d.column),
            (Some(expected.0), Some(expected.1)),
            "{what}: DIAG-5: position of offset {offset}: {d:?}"
        );
    }
}

/// `DIAG-13`: a human output holds no listed character but `\n`; with colour (`sgr`),
/// an ESC only starts an SGR sequence `ESC [ digits/semicolons m` (the oracle is
/// `tests/common/fixed.rs`, shared with the tests).
pub fn escaped(what: &str, text: &str, sgr: bool) {
    if let Some((at, c)) = crate::escape_offence(text, sgr) {
        panic!(
            "{what}: DIAG-13: U+{:04X} at byte {at}: {text:?}",
            u32::from(c)
        );
    }
}

/// `DIAG-13` on `check`'s human rendering of `bytes`: the first 20 diagnostics (rendering
/// is the slow part), under a file name made of the input's first 16 bytes, coloured
/// when the input's length is odd.
fn human_check(kind: Kind, bytes: &[u8], diagnostics: &[Diagnostic]) {
    let file = String::from_utf8_lossy(&bytes[..bytes.len().min(16)]).into_owned();
    let shown = diagnostics[..diagnostics.len().min(20)].to_vec();
    let report = FileReport::new(file, kind, shown);
    let color = bytes.len() % 2 == 1;
    let text = render::human_file(&report, &SourceView::new(bytes), color);
    escaped(kind.as_str(), &text, color);
}

/// `check`'s human rendering of a manifest's findings is escaped (rule `DIAG-13`,
/// [`escaped`]): the oracle of the `render_manifest` target, kept out of `parse_manifest`,
/// where rendering every input's findings cost most of each execution.
pub fn manifest_rendered(bytes: &[u8], checked: &Checked) {
    human_check(Kind::Manifest, bytes, &checked.diagnostics);
}

/// The invariants of `manifest::check` on any bytes: positions (see [`positions`]); at
/// most 1000 diagnostics plus one note (rule `LIM-7`); the verdict can be read from the
/// list (an error is listed exactly when the file is invalid, rule `DIAG-12`); a spanned
/// value of the model lies inside the input.
pub fn manifest(bytes: &[u8], checked: &Checked) {
    positions(
        "manifest",
        bytes,
        &checked.diagnostics,
        &["manifest", "firewall"],
    );
    assert!(
        checked.diagnostics.len() <= manifest::MAX_DIAGNOSTICS + usize::from(checked.dropped > 0),
        "manifest: LIM-7: {} diagnostics",
        checked.diagnostics.len()
    );
    let listed_error = checked.diagnostics.iter().any(Diagnostic::is_error);
    assert_eq!(
        listed_error,
        !checked.is_valid(),
        "manifest: DIAG-12: {} errors counted, error listed: {listed_error}",
        checked.errors
    );
    if let Some(m) = &checked.manifest {
        let inside =
            |span: scalingo_manifest::text::Span| span.start <= span.end && span.end <= bytes.len();
        for v in m.env.iter().flatten() {
            assert!(
                inside(v.span) && inside(v.name_span),
                "manifest: env span of {v:?}"
            );
        }
        for a in m.addons.iter().flatten() {
            assert!(inside(a.span), "manifest: addon span of {a:?}");
        }
        for f in m.formation.iter().flatten() {
            assert!(
                inside(f.span) && inside(f.name_span),
                "manifest: formation span of {f:?}"
            );
        }
        for r in m.firewall_rules.iter().flatten() {
            assert!(inside(r.span), "manifest: firewall rule span of {r:?}");
        }
    }
}

/// The invariants of `procfile::parse` on any bytes: positions (see [`positions`]); at
/// most 1000 diagnostics plus one note (rule `PROC-LIM-4`); the verdict can be read from the
/// list; entries have unique names (rule `PROC-3`) and spans inside the input that hold
/// exactly the name and the command (valid UTF-8 input); `postdeploy` is not a process
/// type (rule `PROC-11`).
pub fn procfile(bytes: &[u8], parsed: &ParsedProcfile) {
    human_check(Kind::Procfile, bytes, &parsed.diagnostics);
    positions("procfile", bytes, &parsed.diagnostics, &["procfile"]);
    assert!(
        parsed.diagnostics.len() <= procfile::MAX_DIAGNOSTICS + 1,
        "procfile: {} diagnostics",
        parsed.diagnostics.len()
    );
    let text = std::str::from_utf8(bytes).ok();
    let mut names = BTreeSet::new();
    for e in &parsed.procfile.entries {
        assert!(
            names.insert(e.name.as_str()),
            "procfile: PROC-3: {} twice",
            e.name
        );
        for (span, value) in [(e.name_span, &e.name), (e.command_span, &e.command)] {
            assert!(
                span.start <= span.end && span.end <= bytes.len(),
                "procfile: span {span:?} of {e:?}"
            );
            if let Some(text) = text {
                assert_eq!(
                    text.get(span.start..span.end),
                    Some(value.as_str()),
                    "procfile: PROC-11: span {span:?} of {e:?}"
                );
            }
        }
    }
    assert!(
        !parsed
            .procfile
            .process_types()
            .contains(&procfile::POSTDEPLOY),
        "procfile: PROC-11: postdeploy listed as a process type"
    );
}

/// Rule `ENV-12`, restated: 1 to 64 characters `[A-Za-z0-9_]`, not starting with `_` or a
/// digit.
fn valid_env_name(name: &str) -> bool {
    let first_ok = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    first_ok && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// True when `path` has a `..` segment, starts with `/`, or has a backslash or a control
/// character (rule `LOC-1`: never in an outcome path).
fn escapes(path: &str) -> bool {
    path.split('/').any(|s| s == "..")
        || path.starts_with('/')
        || path.contains('\\')
        || path.chars().any(char::is_control)
}

/// `explain` of an outcome does not panic and escapes every control or bidirectional
/// character (rule `DIAG-13`, [`escaped`]): the oracle of the `explain_scenario` target,
/// kept out of `resolve_scenario`, where it was about a fifth of each execution.
pub fn explained(o: &Outcome) {
    escaped("explain", &explain(o), false);
}

/// The invariants of `scenario::resolve`:
///
/// - `SCN-3` determinism: with a seed, a second `resolve` gives the same outcome (so the
///   same `to_json` and `explain` bytes, both pure functions of the outcome). `to_json` (a
///   serde derive, checked byte for byte by the snapshot and property tests) is only
///   printed when an outcome differs: pretty-printing every outcome took a third of the
///   target's time. `explain` is checked apart ([`explained`]).
/// - `SCN-3` status: `error` exactly when some diagnostic is an error.
/// - `SCN-3`, `LOC-1` paths: the manifest and Procfile read are repository files; no
///   outcome path (those, `project_dir`, the candidates searched) escapes the repository.
/// - `DIAG-5` positions: a diagnostic naming a file was read from that file, and its span
///   lies inside it on character boundaries.
/// - `ENV-7` frame rule (review app, environment resolved): every valid parent variable (name
///   and value, `ENV-12`) the manifest does not name keeps the parent's value with origin
///   `parent`, except the
///   parent's addon variables without `copy_parent_database_urls`, which are not set
///   (`ENV-8`).
/// - `FW-8` frame rule (review app, firewall resolved): without a usable `firewall_rules`
///   in the manifest, the app's rules are exactly the parent's, in order, as given; with
///   one, every rule has origin `manifest`. The firewall is enabled exactly when there is
///   a rule.
pub fn outcome(s: &Scenario, o: &Outcome) {
    if s.seed.is_some() {
        let again = resolve(s);
        if again != *o {
            assert_eq!(
                to_json(&again),
                to_json(o),
                "SCN-3: a second resolve differs"
            );
            panic!("SCN-3: a second resolve differs (same JSON): {again:?}");
        }
    }

    let any_error = o.diagnostics.iter().any(|d| d.diagnostic.is_error());
    assert_eq!(o.status == OutcomeStatus::Error, any_error, "SCN-3: status");

    let files = &s.repository.files;
    for p in o.manifest.path.iter().chain(&o.procfile.path) {
        assert!(
            files.contains_key(p),
            "SCN-3: {p:?} read but not a repository file"
        );
    }
    let mut paths = vec![o.manifest.project_dir.as_str()];
    paths.extend(o.manifest.path.as_deref());
    paths.extend(o.procfile.path.as_deref());
    paths.extend(o.manifest.searched.iter().map(String::as_str));
    for p in paths {
        assert!(
            !escapes(p),
            "LOC-1: outcome path {p:?} escapes the repository"
        );
    }

    for d in &o.diagnostics {
        let Some(file) = &d.file else { continue };
        let read = o.manifest.path.as_ref() == Some(file) || o.procfile.path.as_ref() == Some(file);
        assert!(read, "DIAG-5: {d:?} names a file not read");
        if let (Some(span), Some(text)) = (d.diagnostic.span, files.get(file)) {
            let inside = span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end);
            assert!(inside, "DIAG-5: span {span:?} not inside {file:?}: {d:?}");
        }
    }

    frame_rule(s, o);
    firewall_frame_rule(s, o);
}

/// `FW-8` (see [`outcome`]).
fn firewall_frame_rule(s: &Scenario, o: &Outcome) {
    let Some(section) = &o.firewall else { return };
    assert_eq!(section.enabled, !section.rules.is_empty(), "FW-8: enabled");
    let (AppKind::ReviewApp, Some(parent)) = (s.kind, &s.parent) else {
        return;
    };
    let checked = o
        .manifest
        .path
        .as_ref()
        .and_then(|p| s.repository.files.get(p))
        .and_then(|text| manifest::check(text.as_bytes(), s.date).manifest);
    if checked
        .as_ref()
        .and_then(|m| m.firewall_rules.as_ref())
        .is_some()
    {
        assert!(
            section
                .rules
                .iter()
                .all(|r| r.origin == FirewallOrigin::Manifest),
            "FW-8: a rule not from the manifest: {section:?}"
        );
        return;
    }
    let got: Vec<(&str, Option<&str>)> = section
        .rules
        .iter()
        .map(|r| (r.cidr.as_str(), r.label.as_deref()))
        .collect();
    let want: Vec<(&str, Option<&str>)> = parent
        .firewall_rules
        .iter()
        .map(|r| (r.cidr.as_str(), r.label.as_deref()))
        .collect();
    assert_eq!(
        got, want,
        "FW-8: the parent's rules are not copied as given"
    );
    assert!(
        section
            .rules
            .iter()
            .all(|r| r.origin == FirewallOrigin::Parent),
        "FW-8: origin"
    );
}

/// `ENV-7` and `ENV-8` (see [`outcome`]).
fn frame_rule(s: &Scenario, o: &Outcome) {
    let (AppKind::ReviewApp, Some(env), Some(parent)) = (s.kind, &o.env, &s.parent) else {
        return;
    };
    let checked = o
        .manifest
        .path
        .as_ref()
        .and_then(|p| s.repository.files.get(p))
        .and_then(|text| manifest::check(text.as_bytes(), crate::day()).manifest);
    let named: BTreeSet<&str> = checked
        .iter()
        .flat_map(|m| m.env.iter().flatten())
        .map(|v| v.name.as_str())
        .collect();
    let copy = checked
        .as_ref()
        .and_then(|m| m.copy_parent_database_urls.as_ref())
        .is_some_and(|c| c.value);
    for (name, value) in &parent.env {
        // ENV-12: an invalid name, a value over the limit or a value with a NUL is skipped.
        if !valid_env_name(name) || value.chars().count() > MAX_VALUE_CHARS || value.contains('\0')
        {
            continue;
        }
        if named.contains(name.as_str()) {
            continue;
        }
        let got = env.vars.get(name);
        if parent.addon_vars.contains(name) && !copy {
            assert!(
                got.is_none(),
                "ENV-8: parent addon variable {name} copied: {got:?}"
            );
            continue;
        }
        let Some(got) = got else {
            panic!("ENV-7: parent variable {name} lost");
        };
        assert_eq!(&got.value, value, "ENV-7: parent variable {name} changed");
        assert_eq!(got.origin, Origin::Parent, "ENV-7: origin of {name}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_cols_follow_diag_5() {
        let text = "ab\r\né\rx\n";
        // offsets: a=0, \r=2, \n=3, é=4, lone \r=6, x=7, \n=8, end=9
        assert_eq!(
            line_cols(text, &[0, 2, 3, 4, 6, 7, 9, 100]),
            vec![
                (1, 1),
                (1, 3),
                (1, 3),
                (2, 1),
                (2, 2),
                (2, 3),
                (3, 1),
                (3, 1)
            ]
        );
    }

    #[test]
    fn env_names_and_escaping_paths() {
        assert!(valid_env_name("A_1"));
        assert!(!valid_env_name("_A") && !valid_env_name("1A") && !valid_env_name(""));
        assert!(!valid_env_name("A B") && !valid_env_name(&"A".repeat(65)));
        assert!(escapes("a/../b") && escapes("/a") && escapes("a\\b") && escapes("a\0"));
        assert!(!escapes("a/..b") && !escapes(""));
    }

    #[test]
    fn the_engine_passes_on_the_examples() {
        let bytes =
            include_bytes!("../../spec/examples/manifests/one-click-sample-go-martini.json");
        manifest(bytes, &manifest::check(bytes, crate::day()));
        let bytes = b"web: ./server\r\npostdeploy: rake db:migrate\n  worker: x\n";
        procfile(bytes, &procfile::parse(bytes));
        let s: Scenario = serde_json::from_str(include_str!(
            "../../spec/examples/scenarios/review-app-with-parent.json"
        ))
        .expect("example scenario");
        outcome(&s, &resolve(&s));
    }

    #[test]
    #[should_panic(expected = "DIAG-5")]
    fn a_wrong_column_is_caught() {
        let bytes = b"{\"a\" 1}";
        let mut checked = manifest::check(bytes, crate::day());
        let d = checked
            .diagnostics
            .iter_mut()
            .find(|d| d.span.is_some())
            .expect("a located diagnostic");
        d.column = d.column.map(|c| c + 1);
        manifest(bytes, &checked);
    }
}
