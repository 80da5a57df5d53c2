//! The JSON syntax verdict of the reference against an independent strict reader (rules
//! `JSON-1` to `JSON-9`, `LIM-1`, `LIM-2` of `spec/manifest.md`; decision D-17): the check for
//! gaps such as those an implementation written from the spec alone found (issue "for
//! implementers": a leading zero in an array, what a syntax error keeps, the end of the
//! input after a key).
//!
//! On every generated text, the reference's verdict, "`check` reports a syntax error" (an
//! error whose code is one of [`SYNTAX`]), is compared with `serde_json`'s, "`from_slice::<
//! Value>` fails". serde_json is strict RFC 8259: it shares no code with the reference, whose
//! lexer is `jsonc-parser`. Every disagreement fails the test unless it is one of the
//! reviewed differences of [`Allowed`]:
//!
//! * [`Allowed::TooDeep`]: `LIM-2` rejects nesting beyond 32 levels, serde_json reads 128.
//! * [`Allowed::TooLarge`]: `LIM-1` rejects more than 1 MiB, serde_json reads any size.
//! * [`Allowed::NumberOutOfRange`]: serde_json (without `arbitrary_precision`) rejects a
//!   number beyond the range of `f64` (`1e400`), which RFC 8259 §9 lets a reader limit;
//!   the reference keeps numbers as written (`Json::Number`) and `JSON-4` allows them.
//!
//! Duplicate keys are no difference: both accept them (the reference with the warning
//! SM0010, `JSON-8`), and a warning or a note (SM0010, SM0011) is not a syntax error.
//!
//! When both reject, the token that holds the reference's first syntax finding (canonical
//! order, `DIAG-4`, is by position) must start at or before the byte serde_json stopped at
//! (its line and column, in bytes, give the byte after it): the reference reads from the
//! start and reports the first departure from RFC 8259 where it is (`JSON-4`), or earlier
//! for an unterminated object, array, string or comment (its opening character). The
//! token, not the byte: a token the lexer rejects is reported inside it, where it becomes
//! invalid (`"\q"` at the escape, `1e` at the byte after the `e`), even where the grammar
//! did not allow a token there at all, which is where serde_json stops (`{"a" "\q"}`:
//! `:` expected at the string; `{1e}`: a key expected at the number). Not comparable,
//! and so not compared: SM0005 and SM0001, which `LIM-2` and `LIM-1` find before reading
//! (`[x, [[[...` is SM0005 at the 33rd bracket while serde_json stops at `x`), SM0022,
//! whose dropped findings (`LIM-7`) may hold the first, and a number out of serde_json's
//! range, where it stops before reading on (`1e400 "\u00"`: the reference's first
//! finding is the bad escape after it).
//!
//! The texts come from three sources: the manifests of the validate cases of `conformance
//! gen --capability validate` ([`scalingo_manifest_conformance::generate::generate`], seeds 1
//! to 3, 250 cases each, damaged documents: dropped and added commas, comments, CRLF, byte
//! order marks, truncations); the property strategies of `tests/common/manifest_strategies.rs`
//! (random bytes, JSON-ish garbage, mutated valid manifests: [`any_manifest_bytes`]); and [`token_soup`] here, short texts of JSON tokens,
//! near misses and unusual white space, which reach the corners of the grammar most often.
//! `allowed_differences_are_real` checks that each allowed difference still exists, so the
//! list cannot outlive its reason. `PROPTEST_CASES` scales the two property tests.

mod common;

use common::day;
use common::manifest_strategies::any_manifest_bytes;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use scalingo_manifest::{check, Diagnostic, Severity};

const REGRESSIONS: &str = "proptest-regressions/syntax_differential.txt";

/// The codes of syntax errors: `LIM-1` (SM0001), `JSON-1` to `JSON-3`, `LIM-2`, and the
/// errors of `JSON-4` to `JSON-7`. SM0010 (duplicate key) is a warning and SM0011 (CRLF) a
/// note: neither makes a text invalid JSON.
const SYNTAX: &[&str] = &[
    "SM0001", "SM0002", "SM0003", "SM0004", "SM0005", "SM0006", "SM0007", "SM0008", "SM0009",
    "SM0012", "SM0013", "SM0014", "SM0015", "SM0016", "SM0017",
];

/// A reviewed difference between the two verdicts (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allowed {
    /// `LIM-2`: more than 32 levels, which serde_json reads.
    TooDeep,
    /// `LIM-1`: more than 1 MiB, which serde_json reads.
    TooLarge,
    /// A number beyond `f64`, which serde_json rejects and the reference keeps as written.
    NumberOutOfRange,
}

/// What comparing one text gave.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Same verdict, and the positions agree or are not comparable.
    Agree,
    /// A reviewed difference.
    Allowed(Allowed),
    /// Anything else: the test fails with it.
    Disagree(String),
}

/// The reference's syntax errors in canonical order, and whether `LIM-7` dropped an error.
fn reference(bytes: &[u8]) -> (Vec<Diagnostic>, bool) {
    let checked = check(bytes, day());
    let dropped_error = checked
        .diagnostics
        .iter()
        .any(|d| d.code == "SM0022" && d.severity == Severity::Error);
    let syntax = checked
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error && SYNTAX.iter().any(|c| d.code == *c))
        .collect();
    (syntax, dropped_error)
}

/// The byte after the one serde_json stopped at: its line (1-based, lines end at `\n`)
/// and column (bytes from the start of the line) turned into an offset of `bytes`.
fn serde_offset(bytes: &[u8], e: &serde_json::Error) -> usize {
    let mut line_start = 0;
    for _ in 1..e.line() {
        match bytes[line_start..].iter().position(|&b| b == b'\n') {
            Some(i) => line_start += i + 1,
            None => break,
        }
    }
    (line_start + e.column()).min(bytes.len())
}

/// serde_json's verdict on `bytes`.
fn strict(bytes: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Compares the two verdicts on `bytes`.
fn compare(bytes: &[u8]) -> Outcome {
    judge(bytes, reference(bytes), &strict(bytes))
}

/// The outcome of the reference's syntax errors `syntax` (and whether `LIM-7` dropped an
/// error) against serde_json's verdict `strict`, both on `bytes`.
fn judge(
    bytes: &[u8],
    (syntax, dropped_error): (Vec<Diagnostic>, bool),
    strict: &Result<serde_json::Value, serde_json::Error>,
) -> Outcome {
    let has = |code: &str| syntax.iter().any(|d| d.code == code);
    match (syntax.first(), strict) {
        (None, Ok(_)) => Outcome::Agree,
        (Some(_), Ok(_)) if has("SM0005") => Outcome::Allowed(Allowed::TooDeep),
        (Some(_), Ok(_)) if has("SM0001") => Outcome::Allowed(Allowed::TooLarge),
        (Some(first), Ok(_)) => Outcome::Disagree(format!(
            "the reference rejects ({} at byte {:?}: {}), serde_json accepts",
            first.code,
            first.span.map(|s| s.start),
            first.message
        )),
        (None, Err(e)) if e.to_string().starts_with("number out of range") => {
            Outcome::Allowed(Allowed::NumberOutOfRange)
        }
        (None, Err(_)) if dropped_error => Outcome::Agree,
        (None, Err(e)) => {
            Outcome::Disagree(format!("the reference accepts, serde_json rejects: {e}"))
        }
        // serde_json stops at its own limit, maybe before the reference's first finding.
        (Some(_), Err(e)) if e.to_string().starts_with("number out of range") => {
            Outcome::Allowed(Allowed::NumberOutOfRange)
        }
        (Some(first), Err(e)) => {
            let comparable = !(has("SM0005") || has("SM0001") || dropped_error);
            let at = serde_offset(bytes, e);
            match first.span {
                Some(span) if comparable && token_start(bytes, span.start) > at => {
                    Outcome::Disagree(format!(
                        "the reference's first syntax finding ({} at byte {}: {}) is after serde_json's error ({e}, byte {at})",
                        first.code, span.start, first.message
                    ))
                }
                _ => Outcome::Agree,
            }
        }
    }
}

/// The start of the token of `bytes` that holds byte `at` (`at` itself between tokens),
/// lexed independently of both readers: strings (with their escapes, to the closing quote
/// or the end), comments, and runs of other bytes up to white space, a structural
/// character, a quote or a slash.
fn token_start(bytes: &[u8], at: usize) -> usize {
    let mut i = 0;
    while i < bytes.len() && i <= at {
        let start = i;
        let end = match bytes[i] {
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                (i + 1).min(bytes.len())
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| i + n),
            b'/' if bytes.get(i + 1) == Some(&b'*') => bytes[i + 2..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2),
            b'{' | b'}' | b'[' | b']' | b',' | b':' | b'/' => i + 1,
            b if b <= b' ' => i + 1,
            _ => {
                let more = bytes[i..]
                    .iter()
                    .position(|&b| b <= b' ' || b"{}[],:\"'/".contains(&b));
                more.map_or(bytes.len(), |n| i + n.max(1))
            }
        };
        if at < end {
            return start;
        }
        i = end;
    }
    at
}

/// Short texts of JSON tokens, near misses (`01`, `tru`, `'x'`, `1e400`, bad escapes,
/// comments) and white space JSON has and has not (space, tab, LF, CR; form feed, vertical
/// tab, no-break space, U+2028, a byte order mark): often valid, often one step away.
fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    vec(
        select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"a\"",
            "\"b\"",
            "\"a\": ",
            "\"\"",
            "0",
            "1",
            "-1",
            "0.5",
            "1e3",
            "1E-2",
            "-0",
            "01",
            "-01",
            "00",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e400",
            "-1e400",
            "0x1",
            "true",
            "false",
            "null",
            "tru",
            "nul",
            "True",
            "NaN",
            "Infinity",
            "'x'",
            "\"\\n\"",
            "\"\\u00e9\"",
            "\"\\u00\"",
            "\"\\q\"",
            "\"\\ud800\"",
            "\"\\ud83d\\ude00\"",
            "\"\t\"",
            "\"é\"",
            "//c\n",
            "/*c*/",
            "/*",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "\x0c",
            "\x0b",
            "\u{a0}",
            "\u{2028}",
            "\u{feff}",
            "\u{0}",
            "\"",
        ]),
        0..24,
    )
    .prop_map(|v| v.concat().into_bytes())
}

/// The manifest bytes of a generated validate case (`spec/vectors.md`, "Text inputs").
fn manifest_bytes(input: &serde_json::Value) -> Option<Vec<u8>> {
    if let Some(text) = input.get("manifest").and_then(|v| v.as_str()) {
        return Some(text.as_bytes().to_vec());
    }
    if let Some(b64) = input.get("manifest_base64").and_then(|v| v.as_str()) {
        return scalingo_manifest_conformance::evaluate::base64_decode(b64).ok();
    }
    let parts = input.get("manifest_parts")?.as_array()?;
    let mut out = Vec::new();
    for part in parts {
        let bytes = match (part.get("text"), part.get("base64")) {
            (Some(t), _) => t.as_str()?.as_bytes().to_vec(),
            (_, Some(b)) => {
                scalingo_manifest_conformance::evaluate::base64_decode(b.as_str()?).ok()?
            }
            _ => return None,
        };
        let repeat = part.get("repeat").and_then(|r| r.as_u64()).unwrap_or(1);
        for _ in 0..repeat {
            out.extend_from_slice(&bytes);
        }
    }
    Some(out)
}

/// The cases of `conformance gen --capability validate`, seeds 1 to 3 (250 cases each):
/// the verdicts agree but for the allowed differences.
#[test]
fn json_1_to_json_9_generated_cases_agree_with_a_strict_reader() {
    use scalingo_manifest_conformance::Capability;
    let mut compared = 0;
    let mut failures = Vec::new();
    for seed in 1..=3 {
        let cases =
            scalingo_manifest_conformance::generate::generate(seed, 250, &[Capability::Validate])
                .expect("generated");
        for case in cases {
            assert_eq!(case.capability, Capability::Validate);
            let bytes = manifest_bytes(&case.input).expect("a text input");
            compared += 1;
            if let Outcome::Disagree(why) = compare(&bytes) {
                failures.push(format!("{}: {why}", case.id));
            }
        }
    }
    assert_eq!(compared, 750);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// The property strategies' manifests (random bytes, garbage, mutated documents).
    #[test]
    fn json_1_to_json_9_any_bytes_agree_with_a_strict_reader(bytes in any_manifest_bytes()) {
        let outcome = compare(&bytes);
        prop_assert!(!matches!(outcome, Outcome::Disagree(_)), "{:?} on {:?}", outcome, String::from_utf8_lossy(&bytes));
    }

    /// Texts of JSON tokens and near misses, sixteen times as many (they are short).
    #[test]
    fn json_1_to_json_9_token_soup_agrees_with_a_strict_reader(
        texts in vec(token_soup(), 16)
    ) {
        for bytes in texts {
            let outcome = compare(&bytes);
            prop_assert!(!matches!(outcome, Outcome::Disagree(_)), "{:?} on {:?}", outcome, String::from_utf8_lossy(&bytes));
        }
    }
}

/// Each allowed difference exists (so the list is reviewed again when a reader changes),
/// and the comparison does fail on a disagreement and on a late position.
#[test]
fn allowed_differences_are_real_and_the_comparison_can_fail() {
    let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
    assert_eq!(compare(deep.as_bytes()), Outcome::Allowed(Allowed::TooDeep));
    let large = format!("{{\"description\": \"{}\"}}", "x".repeat(1024 * 1024));
    assert_eq!(
        compare(large.as_bytes()),
        Outcome::Allowed(Allowed::TooLarge)
    );
    assert_eq!(
        compare(b"{\"description\": 1e400}"),
        Outcome::Allowed(Allowed::NumberOutOfRange)
    );
    // Duplicate keys: both accept.
    assert_eq!(compare(b"{\"a\": 1, \"a\": 2}"), Outcome::Agree);
    // The cases of the issue: both reject, the reference at or before serde_json.
    for text in [
        "[01]",
        "{\"a\": [1, 01]}",
        "{\"a\"",
        "{\"a\":",
        "{// c\n\"a\": 1",
    ] {
        assert_eq!(compare(text.as_bytes()), Outcome::Agree, "{text}");
    }
    // serde_json's position: `{"a" 1}` stops at the `1` (byte 5), the byte after is 6.
    let e = serde_json::from_slice::<serde_json::Value>(b"{\"a\" 1}").unwrap_err();
    assert_eq!(serde_offset(b"{\"a\" 1}", &e), 6);
    let e = serde_json::from_slice::<serde_json::Value>(b"{\n\"a\" 1}").unwrap_err();
    assert_eq!(serde_offset(b"{\n\"a\" 1}", &e), 7);
    // Tokens: a string with an escaped quote, a comment, a number, structure.
    let text = b"[\"a\\\"b\", /* x */ 1e5]";
    let starts: Vec<usize> = (0..text.len()).map(|i| token_start(text, i)).collect();
    assert_eq!(
        starts,
        [0, 1, 1, 1, 1, 1, 1, 7, 8, 9, 9, 9, 9, 9, 9, 9, 16, 17, 17, 17, 20]
    );
    assert_eq!(compare(b"{\"a\" \"\\q\"}"), Outcome::Agree);
    // The comparison fails on each kind of disagreement, fed with verdicts of different
    // texts: a reference rejecting what serde_json accepts, the reverse, and a reference
    // whose first finding (the trailing comma, byte 8) is after serde_json's stop (`:`
    // expected at byte 5, so byte 6 after it).
    let trailing = b"{\"a\": 1,}";
    assert!(matches!(
        judge(trailing, reference(trailing), &strict(b"{}")),
        Outcome::Disagree(_)
    ));
    assert!(matches!(
        judge(b"{}", reference(b"{}"), &strict(b"{\"a\" 1}")),
        Outcome::Disagree(_)
    ));
    let late = judge(b"{\"a\" 1}", reference(trailing), &strict(b"{\"a\" 1}"));
    assert!(
        matches!(late, Outcome::Disagree(ref why) if why.contains("after serde_json's error")),
        "{late:?}"
    );
}
