//! The conformance protocol: the messages a runner and an implementation exchange
//! (`spec/protocol.md`).
//!
//! **Persistent mode** (the default): the runner starts the implementation once and talks
//! to it in newline-delimited JSON, one object per line, over the implementation's stdin
//! (requests) and stdout (answers). Stderr is free for the implementation's logs.
//!
//! ```text
//! runner -> {"cmd": "start", "version": 1}
//! impl   <- {"version": 1, "implementation": {"name": "x", "version": "1.0", "language": "go"},
//!            "capabilities": ["validate"], "features": ["verdict-only"]}
//! runner -> {"cmd": "run", "seq": 1, "case": {"id": "SMC-0001", "capability": "validate", "input": {...}}}
//! impl   <- {"seq": 1, "output": {"valid": false, "diagnostics": [...]}}
//! runner -> {"cmd": "run", "seq": 2, "case": {...}}
//! impl   <- {"seq": 2, "skipped": "comments are not supported"}
//! runner -> {"cmd": "stop"}
//! ```
//!
//! **Per-case mode**: the implementation is started once per case, reads one [`CaseRef`]
//! (the `case` of a `run` request) on stdin, writes one [`RunAnswer`] without `seq` on
//! stdout and exits.
//!
//! Requests are written by [`Request::to_line`]; answers are read by
//! [`parse_start_answer`] and [`parse_run_answer`], which accept unknown fields (so an
//! implementation may add its own) and reject anything that is not exactly one of the
//! documented shapes.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::case::Capability;

/// The protocol version this crate speaks, sent in `start` and expected back in its
/// answer. A change that an existing implementation could misread gets a new version.
pub const PROTOCOL_VERSION: u32 = 1;

/// Largest answer line the runner reads, in bytes (64 MiB): far above any output of the
/// suite (the largest expected output is a few hundred kilobytes), and a bound on memory
/// when an implementation writes without end.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// The case sent to an implementation: its id, capability and input, never its expected
/// output, rules or status (JSON `{"id", "capability", "input"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRef {
    /// The case id (`SMC-0001`, or `GEN-<seed>-<k>` for generated cases).
    pub id: String,
    /// Which entry point runs the case.
    pub capability: Capability,
    /// The input, in the capability's shape (`spec/vectors.md`, "Capabilities").
    pub input: Value,
}

/// A request from the runner (one line of the implementation's stdin in persistent mode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "lowercase")]
pub enum Request {
    /// The first request: `{"cmd": "start", "version": 1}`; answered by a [`StartAnswer`].
    Start {
        /// The protocol version the runner speaks ([`PROTOCOL_VERSION`]).
        version: u32,
    },
    /// One case: `{"cmd": "run", "seq": n, "case": {...}}`; answered by a [`RunAnswer`]
    /// with the same `seq`.
    Run {
        /// The request's sequence number: 1 for the first `run` after `start`, then +1.
        seq: u64,
        /// The case to run.
        case: CaseRef,
    },
    /// The last request: `{"cmd": "stop"}`; not answered: the implementation exits.
    Stop,
}

impl Request {
    /// The request as one line of JSON with its final `\n`.
    pub fn to_line(&self) -> String {
        // A request holds only strings, numbers and JSON values: it always serialises.
        let mut s = serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string());
        s.push('\n');
        s
    }
}

/// The `run` request line for a case given by reference (the same bytes as
/// [`Request::to_line`] of a [`Request::Run`], without copying the input).
pub(crate) fn run_line(seq: u64, id: &str, capability: Capability, input: &Value) -> String {
    #[derive(Serialize)]
    struct CaseBorrowed<'a> {
        id: &'a str,
        capability: Capability,
        input: &'a Value,
    }
    #[derive(Serialize)]
    struct RunBorrowed<'a> {
        cmd: &'static str,
        seq: u64,
        case: CaseBorrowed<'a>,
    }
    let run = RunBorrowed {
        cmd: "run",
        seq,
        case: CaseBorrowed {
            id,
            capability,
            input,
        },
    };
    let mut s = serde_json::to_string(&run).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// Who answered `start`: `{"name", "version", "language", "homepage"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Implementation {
    /// The implementation's name (`"scalingo-manifest"`, `"app.json (npm)"`).
    pub name: String,
    /// Its version, as it writes it.
    pub version: String,
    /// The language it is written in (`"rust"`, `"javascript"`).
    pub language: String,
    /// Where to read about it or report a bug; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
}

/// A comparison feature an implementation declares in its [`StartAnswer`] (or that
/// `--features` declares for a per-case implementation). JSON: the kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    /// The implementation gives verdicts only: for `validate` and `procfile`, only the
    /// output's `valid` is compared (diagnostics and the other fields are not).
    VerdictOnly,
    /// The implementation derives seeded secrets exactly as decision D-11 says: in cases
    /// tagged `exact-secrets`, secret values are compared exactly instead of by shape.
    ExactSecrets,
    /// The implementation reports findings without positions (it is built on a JSON parser
    /// that gives none): the `line` and `column` of diagnostics are not compared; codes,
    /// severities and pointers are.
    NoPositions,
}

impl Feature {
    /// Every feature.
    pub const ALL: [Feature; 3] = [
        Feature::VerdictOnly,
        Feature::ExactSecrets,
        Feature::NoPositions,
    ];

    /// The JSON name (`"verdict-only"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::VerdictOnly => "verdict-only",
            Feature::ExactSecrets => "exact-secrets",
            Feature::NoPositions => "no-positions",
        }
    }

    /// The feature of that name, if any.
    pub fn from_name(name: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The answer to `start`: `{"version": 1, "implementation": {...}, "capabilities":
/// [...], "features": [...]}`. `features` may be omitted (none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartAnswer {
    /// The protocol version the implementation speaks; must equal [`PROTOCOL_VERSION`].
    pub version: u32,
    /// Who the implementation is.
    pub implementation: Implementation,
    /// The capabilities it implements; cases of the others are not sent.
    pub capabilities: Vec<Capability>,
    /// The comparison features it declares.
    #[serde(default)]
    pub features: Vec<Feature>,
}

/// What an implementation answered for one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `{"output": {...}}`: the implementation's output, in the capability's shape.
    Output(Value),
    /// `{"skipped": "reason"}`: the implementation does not run this case (optionally with
    /// `"issue": url`).
    Skipped {
        /// Why, in the implementation's words.
        reason: String,
        /// A link to the issue that tracks it, if given.
        issue: Option<String>,
    },
    /// `{"errored": "message"}`: the implementation tried and failed (an exception, an
    /// input it cannot read).
    Errored(String),
}

/// One answer to a `run` request: its `seq` (absent in per-case mode) and the [`Answer`].
#[derive(Debug, Clone, PartialEq)]
pub struct RunAnswer {
    /// The `seq` of the request answered (`None` when the answer has none: per-case mode).
    pub seq: Option<u64>,
    /// The answer.
    pub answer: Answer,
}

impl RunAnswer {
    /// The answer as one JSON line (with `seq` when it has one) and its final `\n`.
    pub fn to_line(&self) -> String {
        // Written by hand so that a large output is serialised once, never copied.
        let mut s = String::from("{");
        if let Some(seq) = self.seq {
            s.push_str(&format!("\"seq\":{seq},"));
        }
        let text = |v: &str| Value::String(v.to_string()).to_string();
        match &self.answer {
            Answer::Output(v) => {
                s.push_str("\"output\":");
                s.push_str(&v.to_string());
            }
            Answer::Skipped { reason, issue } => {
                s.push_str("\"skipped\":");
                s.push_str(&text(reason));
                if let Some(issue) = issue {
                    s.push_str(",\"issue\":");
                    s.push_str(&text(issue));
                }
            }
            Answer::Errored(message) => {
                s.push_str("\"errored\":");
                s.push_str(&text(message));
            }
        }
        s.push_str("}\n");
        s
    }
}

/// An answer line that is not one of the documented shapes. The message says what is
/// wrong (not JSON, which field is missing or of the wrong type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    /// What is wrong with the line.
    pub message: String,
}

impl ProtocolError {
    fn new(message: impl Into<String>) -> Self {
        ProtocolError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProtocolError {}

/// A short, single-line excerpt of `line` for messages: at most 120 characters (never
/// splitting a character), with `...` when cut.
pub fn excerpt(line: &str) -> String {
    let line = line.trim_end_matches(['\n', '\r']);
    let mut out: String = line.chars().take(120).collect();
    if out.len() < line.len() {
        out.push_str("...");
    }
    out
}

/// Reads a `start` answer line.
///
/// # Errors
/// [`ProtocolError`] when the line is not a JSON object with `version` (a number),
/// `implementation` (`{name, version, language}` strings), `capabilities` (known capability
/// names) and optional `features` (known feature names).
pub fn parse_start_answer(line: &str) -> Result<StartAnswer, ProtocolError> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        ProtocolError::new(format!(
            "the start answer is not JSON ({e}): `{}`",
            excerpt(line)
        ))
    })?;
    if !value.is_object() {
        return Err(ProtocolError::new(format!(
            "the start answer is not a JSON object: `{}`",
            excerpt(line)
        )));
    }
    StartAnswer::deserialize(&value).map_err(|e| {
        ProtocolError::new(format!(
            "the start answer does not have the documented shape ({e}): `{}`",
            excerpt(line)
        ))
    })
}

/// Reads a `run` answer line (persistent mode, with `seq`) or a per-case answer (without).
///
/// The line must be a JSON object with exactly one of `output` (any JSON value),
/// `skipped` (a string; `issue` an optional string) and `errored` (a string); `seq`, when
/// present, a non-negative integer. Other fields are ignored.
///
/// # Errors
/// [`ProtocolError`] naming what is wrong.
pub fn parse_run_answer(line: &str) -> Result<RunAnswer, ProtocolError> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        ProtocolError::new(format!("the answer is not JSON ({e}): `{}`", excerpt(line)))
    })?;
    let Value::Object(mut m) = value else {
        return Err(ProtocolError::new(format!(
            "the answer is not a JSON object: `{}`",
            excerpt(line)
        )));
    };
    let seq = match m.get("seq") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            ProtocolError::new(format!(
                "`seq` is not a non-negative integer: `{}`",
                excerpt(line)
            ))
        })?),
    };
    let present = ["output", "skipped", "errored"]
        .iter()
        .filter(|k| m.contains_key(**k))
        .count();
    if present != 1 {
        return Err(ProtocolError::new(format!(
            "the answer needs exactly one of `output`, `skipped` and `errored` ({present} given): `{}`",
            excerpt(line)
        )));
    }
    let string = |m: &serde_json::Map<String, Value>, key: &str| -> Result<String, ProtocolError> {
        m.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                ProtocolError::new(format!("`{key}` is not a string: `{}`", excerpt(line)))
            })
    };
    let answer = if let Some(output) = m.remove("output") {
        Answer::Output(output)
    } else if m.contains_key("skipped") {
        let reason = string(&m, "skipped")?;
        let issue = match m.get("issue") {
            None | Some(Value::Null) => None,
            Some(_) => Some(string(&m, "issue")?),
        };
        Answer::Skipped { reason, issue }
    } else {
        Answer::Errored(string(&m, "errored")?)
    };
    Ok(RunAnswer { seq, answer })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_are_single_lines_in_the_documented_shape() {
        let start = Request::Start {
            version: PROTOCOL_VERSION,
        };
        assert_eq!(start.to_line(), "{\"cmd\":\"start\",\"version\":1}\n");
        let run = Request::Run {
            seq: 3,
            case: CaseRef {
                id: "SMC-0001".into(),
                capability: Capability::Validate,
                input: json!({"manifest": "{\n}"}),
            },
        };
        let line = run.to_line();
        assert_eq!(line.matches('\n').count(), 1, "one line: {line}");
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            v,
            json!({"cmd": "run", "seq": 3, "case": {"id": "SMC-0001", "capability": "validate", "input": {"manifest": "{\n}"}}})
        );
        assert_eq!(Request::Stop.to_line(), "{\"cmd\":\"stop\"}\n");
        // and back
        let back: Request = serde_json::from_str(&line).unwrap();
        assert_eq!(back, run);
        assert_eq!(
            run_line(
                3,
                "SMC-0001",
                Capability::Validate,
                &json!({"manifest": "{\n}"})
            ),
            line
        );
    }

    #[test]
    fn the_line_limit_is_64_mib() {
        // `spec/protocol.md`, "Limits": an implementation relies on this number.
        assert_eq!(MAX_LINE_BYTES, 67_108_864);
    }

    #[test]
    fn features_and_protocol_errors_display_as_their_names_and_messages() {
        let shown: Vec<String> = Feature::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["verdict-only", "exact-secrets", "no-positions"]);
        assert_eq!(format!("[{}]", Feature::NoPositions), "[no-positions]");
        let e = parse_start_answer("[]").unwrap_err();
        assert_eq!(e.to_string(), "the start answer is not a JSON object: `[]`");
        assert_eq!(e.to_string(), e.message);
    }

    #[test]
    fn start_answer_reads_features_and_ignores_unknown_fields() {
        let a = parse_start_answer(
            r#"{"version": 1, "implementation": {"name": "n", "version": "1", "language": "go", "extra": 1},
               "capabilities": ["validate", "env"], "features": ["verdict-only"], "more": true}"#,
        )
        .unwrap();
        assert_eq!(a.version, 1);
        assert_eq!(a.implementation.name, "n");
        assert_eq!(a.implementation.homepage, None);
        assert_eq!(a.capabilities, vec![Capability::Validate, Capability::Env]);
        assert_eq!(a.features, vec![Feature::VerdictOnly]);
        let no_features = parse_start_answer(
            r#"{"version": 1, "implementation": {"name": "n", "version": "1", "language": "go"}, "capabilities": []}"#,
        )
        .unwrap();
        assert!(no_features.features.is_empty());
    }

    #[test]
    fn bad_start_answers_are_named() {
        for (line, needle) in [
            ("not json", "not JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"version": 1}"#, "implementation"),
            (
                r#"{"version": 1, "implementation": {"name": "n", "version": "1", "language": "go"}, "capabilities": ["teleport"]}"#,
                "teleport",
            ),
            (
                r#"{"version": 1, "implementation": {"name": "n", "version": "1", "language": "go"}, "capabilities": [], "features": ["fast"]}"#,
                "fast",
            ),
        ] {
            let e = parse_start_answer(line).unwrap_err();
            assert!(e.message.contains(needle), "{line}: {e}");
        }
    }

    #[test]
    fn run_answers_of_each_kind() {
        assert_eq!(
            parse_run_answer(r#"{"seq": 2, "output": {"valid": true}}"#).unwrap(),
            RunAnswer {
                seq: Some(2),
                answer: Answer::Output(json!({"valid": true}))
            }
        );
        assert_eq!(
            parse_run_answer(r#"{"seq": 2, "skipped": "no comments", "issue": "https://x/1"}"#)
                .unwrap()
                .answer,
            Answer::Skipped {
                reason: "no comments".into(),
                issue: Some("https://x/1".into())
            }
        );
        assert_eq!(
            parse_run_answer(r#"{"errored": "boom"}"#).unwrap(),
            RunAnswer {
                seq: None,
                answer: Answer::Errored("boom".into())
            }
        );
        // `output` may be any JSON value, null included (the comparison judges it)
        assert_eq!(
            parse_run_answer(r#"{"seq": 1, "output": null}"#)
                .unwrap()
                .answer,
            Answer::Output(Value::Null)
        );
    }

    #[test]
    fn bad_run_answers_are_named() {
        for (line, needle) in [
            ("", "not JSON"),
            ("{\"seq\": 1", "not JSON"),
            ("3", "not a JSON object"),
            (r#"{"seq": -1, "output": {}}"#, "seq"),
            (r#"{"seq": "1", "output": {}}"#, "seq"),
            (r#"{"seq": 1}"#, "0 given"),
            (r#"{"seq": 1, "output": {}, "errored": "x"}"#, "2 given"),
            (r#"{"skipped": 5}"#, "`skipped` is not a string"),
            (r#"{"skipped": "r", "issue": 5}"#, "`issue` is not a string"),
            (r#"{"errored": null}"#, "`errored` is not a string"),
        ] {
            let e = parse_run_answer(line).unwrap_err();
            assert!(e.message.contains(needle), "{line:?}: {e}");
        }
    }

    #[test]
    fn answers_round_trip_through_their_lines() {
        for a in [
            RunAnswer {
                seq: Some(7),
                answer: Answer::Output(json!({"a": [1, 2]})),
            },
            RunAnswer {
                seq: None,
                answer: Answer::Skipped {
                    reason: "r".into(),
                    issue: None,
                },
            },
            RunAnswer {
                seq: Some(1),
                answer: Answer::Errored("e\nf".into()),
            },
        ] {
            let line = a.to_line();
            assert_eq!(line.matches('\n').count(), 1);
            assert_eq!(parse_run_answer(&line).unwrap(), a);
        }
    }

    #[test]
    fn excerpts_are_short_and_never_split_a_character() {
        assert_eq!(excerpt("abc\n"), "abc");
        let long = "é".repeat(200);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), 123);
        assert!(e.ends_with("..."));
        assert_eq!(
            Feature::from_name("exact-secrets"),
            Some(Feature::ExactSecrets)
        );
        assert_eq!(Feature::from_name("x"), None);
    }
}
