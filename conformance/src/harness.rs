//! The reference engine served over the conformance protocol (`scalingo-manifest harness`,
//! `spec/protocol.md`).
//!
//! [`serve`] speaks the persistent protocol on a reader and a writer (the process's stdin
//! and stdout): it answers `start` with the engine's name, version, language, every
//! capability and the `exact-secrets` feature, answers each `run` with [`evaluate`]'s
//! output, and returns on `stop` or at the end of its input. [`serve_one`] is the per-case
//! mode: one case on the reader, one answer on the writer.
//!
//! **Testing aid: `--break FAMILY`.** [`BrokenFamily`] makes the harness a deliberately
//! wrong engine, to show that the runner reports failures in exactly the cases that
//! exercise one rule family. For family `F` (a rule prefix such as `ENV` or `MAN-ENV`), the
//! broken harness changes its answers in two ways, and nothing else:
//!
//! 1. every diagnostic whose code enforces a rule of `F` (the code's rule, from the
//!    catalogue, is `F-n`) is left out of `diagnostics`;
//! 2. the output fields that `F` decides are emptied when they hold a non-empty value
//!    ([`BrokenFamily::decides`]; `null`, `[]` and `{}` stay as they are): `ENV`
//!    the env's `vars` and `removed`, `GEN` the value of every generated variable, `ADD`
//!    the addons, `FW` the firewall rules, `FRM` the formation, `HOOK` the attempts, `LOC` the chosen files and the
//!    search, `SRC` the repository and ref, `PROC` the Procfile's entries, `SCN` the
//!    outcome's status.
//!
//! So a case's answer differs from its `expected` exactly when `expected` holds a
//! diagnostic of `F` or a non-empty value in a field `F` decides: that is the definition
//! of "the case exercises `F`" that `tests/conformance_runner.rs` checks family by family.

use std::fmt;
use std::io::{self, BufRead, Read, Write};

use serde_json::Value;

use super::case::Capability;
use super::evaluate::evaluate;
use super::protocol::{
    Answer, CaseRef, Feature, Implementation, RunAnswer, StartAnswer, MAX_LINE_BYTES,
    PROTOCOL_VERSION,
};

/// The rule families `--break` accepts: every rule prefix of the spec that a diagnostic
/// code or an output field belongs to.
pub const FAMILIES: &[&str] = &[
    "JSON", "LIM", "MAN", "MAN-ENV", "MAN-ADD", "MAN-FRM", "MAN-SCR", "PROC", "PROC-LIM", "LOC",
    "SRC", "ENV", "GEN", "ADD", "FW", "FRM", "HOOK", "SCN", "SCN-LIM",
];

/// The value a broken `GEN` family gives every generated variable: not 32 hex
/// characters, and no template of the suite expands to it.
pub const BROKEN_VALUE: &str = "<broken by --break GEN>";

/// One rule family to break (testing aid, see the module doc). Built by
/// [`BrokenFamily::parse`] from a name of [`FAMILIES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenFamily {
    prefix: &'static str,
}

/// How a broken family changes one output field that holds a non-empty value (not `null`,
/// `[]` or `{}`, which stay as they are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perturbation {
    /// The field becomes `null`.
    Null,
    /// The field becomes `[]`.
    EmptyArray,
    /// The field becomes `{}`.
    EmptyObject,
    /// The field becomes the string `"broken"`.
    BrokenString,
    /// Every entry of the map at this pointer whose `origin` is `secret`, `url` or
    /// `template` gets the value [`BROKEN_VALUE`].
    GeneratedValues,
}

impl BrokenFamily {
    /// The family named `name` (a rule prefix of [`FAMILIES`], any letter case).
    ///
    /// # Errors
    /// A message listing the families when `name` is not one of them.
    pub fn parse(name: &str) -> Result<BrokenFamily, String> {
        let upper = name.to_ascii_uppercase();
        FAMILIES
            .iter()
            .find(|f| **f == upper)
            .map(|prefix| BrokenFamily { prefix })
            .ok_or_else(|| {
                format!(
                    "unknown rule family `{name}`; one of: {}",
                    FAMILIES.join(", ")
                )
            })
    }

    /// The rule prefix (`"MAN-ENV"`).
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// True when `rule` (`"MAN-ENV-2"`) belongs to this family: its prefix, the rule ID
    /// without its final `-n`, is exactly the family's (`MAN-ENV-2` is `MAN-ENV`, not `MAN`).
    pub(crate) fn owns_rule(&self, rule: &str) -> bool {
        rule.rsplit_once('-').is_some_and(|(p, _)| p == self.prefix)
    }

    /// The output fields this family decides in the output of `capability`, with how the
    /// broken harness changes each (see the module doc).
    pub fn decides(&self, capability: Capability) -> &'static [(&'static str, Perturbation)] {
        use Capability as C;
        use Perturbation as P;
        match (self.prefix, capability) {
            ("ENV", C::Env) => &[("/vars", P::EmptyObject), ("/removed", P::EmptyArray)],
            ("ENV", C::Resolve) => &[
                ("/env/vars", P::EmptyObject),
                ("/env/removed", P::EmptyArray),
            ],
            ("GEN", C::Env) => &[("/vars", P::GeneratedValues)],
            ("GEN", C::Resolve) => &[("/env/vars", P::GeneratedValues)],
            ("ADD", C::Addons | C::Resolve) => &[("/addons", P::EmptyArray)],
            ("FW", C::Resolve) => &[("/firewall/rules", P::EmptyArray)],
            ("FRM", C::Formation | C::Resolve) => &[("/formation", P::EmptyObject)],
            ("HOOK", C::Hooks) => &[("/attempts", P::EmptyArray)],
            ("HOOK", C::Resolve) => &[("/hooks", P::EmptyArray)],
            ("LOC", C::Locate) => &[
                ("/manifest", P::Null),
                ("/procfile", P::Null),
                ("/searched", P::EmptyArray),
            ],
            ("LOC", C::Resolve) => &[
                ("/manifest/path", P::Null),
                ("/manifest/searched", P::EmptyArray),
                ("/procfile/path", P::Null),
            ],
            ("SRC", C::Source) => &[
                ("/manifest_from", P::Null),
                ("/repository", P::Null),
                ("/ref", P::Null),
                ("/repository_from", P::Null),
                ("/ref_from", P::Null),
            ],
            ("SRC", C::Resolve) => &[("/source", P::Null)],
            ("PROC", C::Procfile) => &[
                ("/process_types", P::EmptyArray),
                ("/entries", P::EmptyArray),
                ("/postdeploy", P::Null),
            ],
            ("PROC", C::Resolve) => &[("/procfile", P::Null)],
            ("SCN", C::Resolve) => &[("/status", P::BrokenString)],
            _ => &[],
        }
    }

    /// Breaks `output` (an answer of `capability`) as the module doc says: drops the
    /// family's diagnostics and perturbs the fields it decides.
    pub fn apply(&self, capability: Capability, output: &mut Value) {
        if let Some(Value::Array(diags)) = output.get_mut("diagnostics") {
            diags.retain(|d| {
                let rule = d.get("code").and_then(Value::as_str).and_then(rule_of_code);
                !rule.is_some_and(|r| self.owns_rule(r))
            });
        }
        for (pointer, how) in self.decides(capability) {
            let Some(field) = output.pointer_mut(pointer) else {
                continue;
            };
            // Only a non-empty value is changed: an empty array, an empty object or `null`
            // (a stage that did not run) stays as it is.
            let non_empty = match field {
                Value::Null => false,
                Value::Array(a) => !a.is_empty(),
                Value::Object(m) => !m.is_empty(),
                _ => true,
            };
            if !non_empty {
                continue;
            }
            match how {
                Perturbation::Null => *field = Value::Null,
                Perturbation::EmptyArray => *field = Value::Array(Vec::new()),
                Perturbation::EmptyObject => *field = Value::Object(serde_json::Map::new()),
                Perturbation::BrokenString => *field = Value::String("broken".into()),
                Perturbation::GeneratedValues => {
                    if let Value::Object(vars) = field {
                        for var in vars.values_mut() {
                            let generated = var
                                .get("origin")
                                .and_then(Value::as_str)
                                .is_some_and(|o| ["secret", "url", "template"].contains(&o));
                            if generated {
                                var["value"] = Value::String(BROKEN_VALUE.into());
                            }
                        }
                    }
                }
            }
        }
    }
}

impl fmt::Display for BrokenFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix)
    }
}

/// The rule a diagnostic code enforces (from the catalogue), if the code is known.
pub(crate) fn rule_of_code(code: &str) -> Option<&'static str> {
    scalingo_manifest::Code::from_code(code).map(scalingo_manifest::Code::rule)
}

/// How the harness behaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HarnessOptions {
    /// A rule family to break deliberately (testing aid); `None` for the reference engine.
    pub broken: Option<BrokenFamily>,
}

/// The harness's answer to `start`: name `scalingo-manifest` (with ` (broken: F)` when a
/// family is broken), this crate's version, language `rust`, every capability, and the
/// `exact-secrets` feature (decision D-11 is implemented exactly).
pub(crate) fn start_answer(opts: &HarnessOptions) -> StartAnswer {
    let name = match &opts.broken {
        Some(f) => format!("scalingo-manifest (broken: {f})"),
        None => "scalingo-manifest".to_string(),
    };
    StartAnswer {
        version: PROTOCOL_VERSION,
        implementation: Implementation {
            name,
            version: env!("CARGO_PKG_VERSION").to_string(),
            language: "rust".to_string(),
            homepage: None,
        },
        capabilities: Capability::ALL.to_vec(),
        features: vec![Feature::ExactSecrets],
    }
}

/// The answer to one case: [`evaluate`]'s output (broken when asked), or `errored` with
/// the input error's message.
pub(crate) fn answer_case(case: &CaseRef, opts: &HarnessOptions) -> Answer {
    match evaluate(case.capability, &case.input) {
        Ok(mut output) => {
            if let Some(f) = &opts.broken {
                f.apply(case.capability, &mut output);
            }
            Answer::Output(output)
        }
        Err(e) => Answer::Errored(e.message),
    }
}

/// What to do with one request line.
enum Reply {
    /// Write this answer line.
    Write(String),
    /// Nothing to write (a blank line).
    Nothing,
    /// `stop`: return.
    Stop,
}

/// A request as read by the harness: the fields of every request kind, flat (faster than
/// the internally tagged [`Request`](super::protocol::Request), which buffers the whole line before choosing).
#[derive(serde::Deserialize)]
struct RawRequest {
    cmd: String,
    #[serde(default)]
    seq: Option<u64>,
    #[serde(default)]
    case: Option<CaseRef>,
}

/// The reply to one request line. A line that is not a request gets an `errored` answer
/// (with its `seq` when one can be read), so that the runner sees the problem.
fn reply(line: &str, opts: &HarnessOptions) -> Reply {
    if line.trim().is_empty() {
        return Reply::Nothing;
    }
    let errored = |seq: Option<u64>, message: String| {
        Reply::Write(
            RunAnswer {
                seq,
                answer: Answer::Errored(message),
            }
            .to_line(),
        )
    };
    let request: RawRequest = match serde_json::from_str(line) {
        Ok(r) => r,
        Err(e) => {
            let seq = serde_json::from_str::<Value>(line)
                .ok()
                .and_then(|v| v.get("seq").and_then(Value::as_u64));
            return errored(seq, format!("not a request of the protocol: {e}"));
        }
    };
    match (request.cmd.as_str(), request.seq, request.case) {
        ("start", _, _) => {
            let mut s = serde_json::to_string(&start_answer(opts)).unwrap_or_default();
            s.push('\n');
            Reply::Write(s)
        }
        ("run", Some(seq), Some(case)) => Reply::Write(
            RunAnswer {
                seq: Some(seq),
                answer: answer_case(&case, opts),
            }
            .to_line(),
        ),
        ("run", seq, _) => errored(
            seq,
            "not a request of the protocol: `run` needs `seq` and `case`".into(),
        ),
        ("stop", _, _) => Reply::Stop,
        (other, seq, _) => errored(seq, format!("unknown command `{other}`")),
    }
}

/// Serves the persistent protocol: reads requests from `input` one line at a time and
/// writes each answer as one line to `output`. Answers are flushed whenever no further
/// request is already buffered (so a runner that sends several requests ahead gets their
/// answers in one write, and one that waits gets each at once). Returns after `stop`, or
/// at the end of `input`.
///
/// # Errors
/// An I/O error of `input` or `output`, or a request line longer than
/// [`MAX_LINE_BYTES`] (`InvalidData`).
pub fn serve<R: Read, W: Write>(input: R, mut output: W, opts: &HarnessOptions) -> io::Result<()> {
    let mut input = io::BufReader::with_capacity(256 * 1024, input);
    let mut buf = Vec::new();
    loop {
        if input.buffer().is_empty() {
            output.flush()?;
        }
        buf.clear();
        let limit = u64::try_from(MAX_LINE_BYTES).unwrap_or(u64::MAX) + 1;
        let n = (&mut input).take(limit).read_until(b'\n', &mut buf)?;
        if n == 0 {
            return output.flush();
        }
        if buf.len() > MAX_LINE_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a request line is longer than {MAX_LINE_BYTES} bytes"),
            ));
        }
        let line = String::from_utf8_lossy(&buf);
        match reply(&line, opts) {
            Reply::Write(answer) => output.write_all(answer.as_bytes())?,
            Reply::Nothing => {}
            Reply::Stop => return output.flush(),
        }
    }
}

/// Serves one case in per-case mode: reads a whole [`CaseRef`] from `input` (at most
/// [`MAX_LINE_BYTES`]), writes its answer (without `seq`) to `output`.
///
/// # Errors
/// An I/O error of `input` or `output`. An input that is not a case is answered with
/// `errored`, not an error.
pub fn serve_one<R: Read, W: Write>(
    input: R,
    mut output: W,
    opts: &HarnessOptions,
) -> io::Result<()> {
    let mut buf = Vec::new();
    let limit = u64::try_from(MAX_LINE_BYTES).unwrap_or(u64::MAX) + 1;
    input.take(limit).read_to_end(&mut buf)?;
    let answer = if buf.len() > MAX_LINE_BYTES {
        Answer::Errored(format!("the case is longer than {MAX_LINE_BYTES} bytes"))
    } else {
        match serde_json::from_slice::<CaseRef>(&buf) {
            Ok(case) => answer_case(&case, opts),
            Err(e) => Answer::Errored(format!("stdin is not a case ({e})")),
        }
    };
    output.write_all(RunAnswer { seq: None, answer }.to_line().as_bytes())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{parse_run_answer, parse_start_answer, Request};
    use serde_json::json;

    fn run_line(seq: u64, capability: Capability, input: Value) -> String {
        Request::Run {
            seq,
            case: CaseRef {
                id: format!("SMC-{seq:04}"),
                capability,
                input,
            },
        }
        .to_line()
    }

    fn serve_text(text: &str, opts: &HarnessOptions) -> Vec<String> {
        let mut out = Vec::new();
        serve(text.as_bytes(), &mut out, opts).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// A request line of exactly `MAX_LINE_BYTES` bytes (its newline included) is one
    /// request, answered once; one byte more is refused as `InvalidData`, nothing answered.
    #[test]
    fn request_lines_are_bounded_at_max_line_bytes_exactly() {
        let opts = HarnessOptions::default();
        let mut line = vec![b' '; MAX_LINE_BYTES - 2];
        line.extend_from_slice(b"x\n");
        assert_eq!(line.len(), MAX_LINE_BYTES);
        let mut out = Vec::new();
        serve(&line[..], &mut out, &opts).expect("a line at the limit is read");
        let answers = String::from_utf8(out).expect("UTF-8");
        assert_eq!(answers.lines().count(), 1, "one line, one answer");
        assert!(answers.contains("\"errored\""), "{answers}");
        line.insert(0, b' ');
        let mut out = Vec::new();
        let e = serve(&line[..], &mut out, &opts).expect_err("a line past the limit");
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(out.is_empty());
    }

    #[test]
    fn a_session_answers_start_and_each_run_in_order() {
        let text = format!(
            "{}{}{}{}",
            Request::Start { version: 1 }.to_line(),
            run_line(
                1,
                Capability::Validate,
                json!({"date": "2026-12-07", "manifest": "{}"})
            ),
            run_line(
                2,
                Capability::Validate,
                json!({"date": "2026-12-07", "manifest": "{\"stack\": 5}"})
            ),
            Request::Stop.to_line(),
        );
        let lines = serve_text(
            &(text
                + &run_line(
                    3,
                    Capability::Validate,
                    json!({"date": "2026-12-07", "manifest": "{}"}),
                )),
            &HarnessOptions::default(),
        );
        assert_eq!(lines.len(), 3, "nothing is answered after stop: {lines:?}");
        let start = parse_start_answer(&lines[0]).unwrap();
        assert_eq!(start.implementation.name, "scalingo-manifest");
        assert_eq!(start.capabilities.len(), 9);
        assert_eq!(start.features, vec![Feature::ExactSecrets]);
        let a1 = parse_run_answer(&lines[1]).unwrap();
        assert_eq!(a1.seq, Some(1));
        assert_eq!(
            a1.answer,
            Answer::Output(json!({"valid": true, "diagnostics": []}))
        );
        let a2 = parse_run_answer(&lines[2]).unwrap();
        assert_eq!(a2.seq, Some(2));
        let Answer::Output(out) = a2.answer else {
            panic!("{:?}", a2.answer)
        };
        assert_eq!(out["valid"], json!(false));
    }

    #[test]
    fn bad_inputs_are_errored_answers_not_crashes() {
        let text = format!(
            "\n{}not json\n{{\"cmd\": \"run\", \"seq\": 9}}\n",
            run_line(1, Capability::Env, json!({"kind": "nope"}))
        );
        let lines = serve_text(&text, &HarnessOptions::default());
        assert_eq!(lines.len(), 3, "{lines:?}");
        let a = parse_run_answer(&lines[0]).unwrap();
        assert_eq!(a.seq, Some(1));
        assert!(matches!(a.answer, Answer::Errored(ref m) if m.contains("invalid env input")));
        let b = parse_run_answer(&lines[1]).unwrap();
        assert_eq!(b.seq, None);
        assert!(matches!(b.answer, Answer::Errored(_)));
        let c = parse_run_answer(&lines[2]).unwrap();
        assert_eq!(c.seq, Some(9), "the seq of a malformed run is kept");
    }

    #[test]
    fn per_case_mode_answers_one_case_without_seq() {
        let case = json!({"id": "SMC-0001", "capability": "procfile", "input": {"date": "2026-12-07", "procfile": "web: x\n"}});
        let mut out = Vec::new();
        serve_one(
            case.to_string().as_bytes(),
            &mut out,
            &HarnessOptions::default(),
        )
        .unwrap();
        let a = parse_run_answer(std::str::from_utf8(&out).unwrap()).unwrap();
        assert_eq!(a.seq, None);
        let Answer::Output(o) = a.answer else {
            panic!()
        };
        assert_eq!(o["process_types"], json!(["web"]));
        let mut out = Vec::new();
        serve_one(&b"[]"[..], &mut out, &HarnessOptions::default()).unwrap();
        let a = parse_run_answer(std::str::from_utf8(&out).unwrap()).unwrap();
        assert!(matches!(a.answer, Answer::Errored(ref m) if m.contains("not a case")));
    }

    #[test]
    fn per_case_mode_reads_a_case_of_max_line_bytes_and_refuses_one_byte_more() {
        let case = json!({"id": "SMC-0001", "capability": "procfile", "input": {"date": "2026-12-07", "procfile": "web: x\n"}})
            .to_string();
        let padded = |total: usize| {
            // the case, then blanks (JSON whitespace) up to `total` bytes
            case.as_bytes()
                .chain(io::repeat(b' ').take((total - case.len()) as u64))
        };
        let mut out = Vec::new();
        serve_one(padded(MAX_LINE_BYTES), &mut out, &HarnessOptions::default()).unwrap();
        let a = parse_run_answer(std::str::from_utf8(&out).unwrap()).unwrap();
        assert!(matches!(a.answer, Answer::Output(_)), "{:?}", a.answer);
        let mut out = Vec::new();
        serve_one(
            padded(MAX_LINE_BYTES + 1),
            &mut out,
            &HarnessOptions::default(),
        )
        .unwrap();
        let a = parse_run_answer(std::str::from_utf8(&out).unwrap()).unwrap();
        assert_eq!(
            a.answer,
            Answer::Errored("the case is longer than 67108864 bytes".into())
        );
    }

    #[test]
    fn families_parse_and_own_their_rules_only() {
        let f = BrokenFamily::parse("man-env").unwrap();
        assert_eq!(f.prefix(), "MAN-ENV");
        assert!(f.owns_rule("MAN-ENV-2"));
        assert!(!f.owns_rule("MAN-2"));
        assert!(!f.owns_rule("ENV-2"));
        let man = BrokenFamily::parse("MAN").unwrap();
        assert!(man.owns_rule("MAN-2") && !man.owns_rule("MAN-ENV-2"));
        let e = BrokenFamily::parse("XYZ").unwrap_err();
        assert!(e.contains("XYZ") && e.contains("HOOK"));
        // every family is the prefix of a rule that a code enforces or decides a field
        for name in FAMILIES {
            let f = BrokenFamily::parse(name).unwrap();
            let has_code = scalingo_manifest::catalogue()
                .iter()
                .any(|c| f.owns_rule(c.rule()));
            let decides = Capability::ALL.iter().any(|c| !f.decides(*c).is_empty());
            assert!(has_code || decides, "{name} breaks nothing");
        }
    }

    #[test]
    fn a_broken_family_drops_its_diagnostics_and_empties_its_fields() {
        let opts = HarnessOptions {
            broken: Some(BrokenFamily::parse("MAN-ENV").unwrap()),
        };
        let input = json!({"date": "2026-12-07", "manifest": "{\"env\": {\"a b\": {\"value\": \"x\"}}, \"stack\": 5}"});
        let good = evaluate(Capability::Validate, &input).unwrap();
        let codes = |v: &Value| -> Vec<String> {
            v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect()
        };
        let all = codes(&good);
        let case = CaseRef {
            id: "SMC-0001".into(),
            capability: Capability::Validate,
            input,
        };
        let Answer::Output(broken) = answer_case(&case, &opts) else {
            panic!()
        };
        let kept = codes(&broken);
        assert!(kept.len() < all.len(), "{all:?} -> {kept:?}");
        for code in &kept {
            assert!(!rule_of_code(code).unwrap().starts_with("MAN-ENV-"));
        }
        assert_eq!(broken["valid"], good["valid"], "the verdict is kept");

        let env = HarnessOptions {
            broken: Some(BrokenFamily::parse("GEN").unwrap()),
        };
        let case = CaseRef {
            id: "SMC-0002".into(),
            capability: Capability::Env,
            input: json!({"date": "2026-12-07", "kind": "one-click", "app": "a", "seed": 1,
                "manifest_env": {"S": {"generator": "secret"}, "V": {"value": "v"}}}),
        };
        let Answer::Output(out) = answer_case(&case, &env) else {
            panic!()
        };
        assert_eq!(out["vars"]["S"]["value"], json!(BROKEN_VALUE));
        assert_eq!(out["vars"]["V"]["value"], json!("v"));

        let scn = BrokenFamily::parse("SCN").unwrap();
        let mut v = json!({"status": "ok", "diagnostics": []});
        scn.apply(Capability::Resolve, &mut v);
        assert_eq!(v["status"], json!("broken"));
        let mut w = json!({"status": "ok"});
        scn.apply(Capability::Validate, &mut w);
        assert_eq!(w["status"], json!("ok"), "other capabilities are untouched");
    }

    #[test]
    fn start_answer_names_the_broken_family() {
        let opts = HarnessOptions {
            broken: Some(BrokenFamily::parse("hook").unwrap()),
        };
        assert_eq!(
            start_answer(&opts).implementation.name,
            "scalingo-manifest (broken: HOOK)"
        );
    }
}
