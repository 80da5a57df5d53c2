//! The reference answer of every capability, in exactly the shape of a case's `expected`
//! (`spec/vectors.md`, "Capabilities").
//!
//! [`evaluate`] reads a case's `input` (a JSON value in the user's vocabulary: manifest
//! text, Procfile text, file lists, URLs, the manifest's sections as JSON), runs the
//! reference engine on it, and returns the expected output: decisions plus diagnostics
//! reduced to `{code, severity, pointer, line?, column?}` (never a message, a hint or a
//! rule). Inputs are read strictly: an unknown key, a wrong type or a missing required key
//! is an [`EvalError`], never a guess.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use scalingo_manifest::addons::{self, ParentAddon};
use scalingo_manifest::diag::Diagnostic;
use scalingo_manifest::env::{self, EnvContext, EnvInputs};
use scalingo_manifest::formation::{self, ProcessFormation};
use scalingo_manifest::generate::{self, TemplateContext};
use scalingo_manifest::hooks::{self, Attempt, HookScripts};
use scalingo_manifest::locate;
use scalingo_manifest::manifest::{self, Manifest};
use scalingo_manifest::platform::Date;
use scalingo_manifest::procfile;
use scalingo_manifest::scenario::{self, Scenario};
use scalingo_manifest::source::{self, OneClickRequest};
use scalingo_manifest::AppKind;

use super::case::Capability;

/// Largest text an input may assemble (`manifest_parts`, `procfile_parts`, or a plain or
/// base64 text): 4 MiB, above every size limit of the spec (`LIM-1`, `PROC-LIM-1`: 1 MiB)
/// so that over-limit inputs can be written, and small enough that no input allocates
/// without bound.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// A case input that does not have the documented shape of its capability (unknown key,
/// wrong type, missing key, invalid base64, text too large, kind-specific key on the other
/// kind). The message says what is wrong; it names the input key when it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// What is wrong with the input.
    pub message: String,
}

impl EvalError {
    fn new(message: impl Into<String>) -> Self {
        EvalError {
            message: message.into(),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// The reference engine's answer to a case input of `capability`, in exactly the form of
/// a case's `expected` (documented per capability in `spec/vectors.md`).
///
/// * `validate`: `{"manifest" | "manifest_base64" | "manifest_parts"}` -> `{"valid",
///   "diagnostics"}` (rules `JSON-*`, `LIM-*`, `MAN-*`).
/// * `procfile`: `{"procfile" | "procfile_base64" | "procfile_parts"}` -> `{"valid",
///   "process_types", "postdeploy", "entries", "diagnostics"}` (rules `PROC-*`).
/// * `locate`: `{"files", "project_dir"?}` -> `{"manifest", "procfile", "project_dir",
///   "searched", "diagnostics"}` (rules `LOC-*`).
/// * `source`: `{"request"?, "manifest"?, "default_branch"?}` -> `{"manifest_from",
///   "repository", "ref", "repository_from", "ref_from", "diagnostics"}` (rules `SRC-*`).
/// * `env`: `{"kind", "app", "manifest_env"?, ...}` -> `{"vars", "removed",
///   "diagnostics"}` (rules `ENV-*`, `GEN-*`, and `MAN-ENV-*` through the manifest check).
/// * `addons`: `{"kind", "manifest_addons"?, "parent_addons"?}` -> `{"addons",
///   "diagnostics"}` (rules `ADD-*`, `MAN-ADD-*`).
/// * `formation`: `{"kind", "manifest_formation"?, "procfile"?, "parent_formation"?}` ->
///   `{"formation", "diagnostics"}` (rules `FRM-*`, `MAN-FRM-*`).
/// * `hooks`: `{"kind", "scripts"?, "procfile_postdeploy"?, "attempts"?}` -> `{"attempts",
///   "diagnostics"}` (rules `HOOK-*`, `MAN-SCR-*`).
/// * `resolve`: a scenario (`spec/scenario.md`) -> its outcome, each diagnostic reduced to
///   `{stage, file, code, severity, pointer, line?, column?}` and every `rule` field removed
///   (rules `SCN-*`).
///
/// Diagnostics keep the engine's canonical order (rule `DIAG-4`); only `validate`,
/// `procfile` and `resolve` give `line` and `column` (the other capabilities receive the
/// manifest's sections as JSON values, not as text, so there is no position to give).
/// Without a `seed`, `secret` values come from OS entropy (rule `GEN-3`) and differ on
/// every call.
///
/// # Errors
/// [`EvalError`] when `input` does not have the capability's documented shape.
pub fn evaluate(capability: Capability, input: &Value) -> Result<Value, EvalError> {
    if capability == Capability::Resolve {
        // A scenario carries its own `date` (rule `SCN-1`).
        return resolve_cap(input);
    }
    let (date, input) = split_date(capability, input)?;
    match capability {
        Capability::Validate => validate(&input, date),
        Capability::Procfile => procfile_cap(&input),
        Capability::Locate => locate_cap(&input),
        Capability::Source => source_cap(&input),
        Capability::Env => env_cap(&input, date),
        Capability::Addons => addons_cap(&input, date),
        Capability::Formation => formation_cap(&input, date),
        Capability::Hooks => hooks_cap(&input, date),
        Capability::Resolve => resolve_cap(&input),
    }
}

/// Every case input holds the `date` the platform's rules are those of (rule `PLAT-1`,
/// `spec/vectors.md`): takes it out, and gives the rest to the capability. Procfile,
/// locate and source rules depend on no platform fact yet; their cases pin a date all the
/// same, so that none flips when one comes to.
fn split_date(capability: Capability, input: &Value) -> Result<(Date, Value), EvalError> {
    let name = capability.as_str();
    let Value::Object(map) = input else {
        return Err(EvalError::new(format!(
            "invalid {name} input: expected an object"
        )));
    };
    let mut rest = map.clone();
    let date = match rest.remove("date") {
        Some(Value::String(s)) => s
            .parse::<Date>()
            .map_err(|e| EvalError::new(format!("invalid {name} input: `date`: {e}")))?,
        Some(_) => {
            return Err(EvalError::new(format!(
                "invalid {name} input: `date` must be a string YYYY-MM-DD"
            )))
        }
        None => {
            return Err(EvalError::new(format!(
                "invalid {name} input: missing field `date` (YYYY-MM-DD)"
            )))
        }
    };
    Ok((date, Value::Object(rest)))
}

// ---------------------------------------------------------------------------------------
// Input reading

fn parse<T: for<'de> Deserialize<'de>>(capability: &str, input: &Value) -> Result<T, EvalError> {
    T::deserialize(input).map_err(|e| EvalError::new(format!("invalid {capability} input: {e}")))
}

/// Deserializes a key that is present (even as `null`) into `Some(value)`; with
/// `#[serde(default)]` an absent key stays `None`. This keeps "no `env` key" apart from
/// `"env": null` (which the manifest check reports).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// One piece of an assembled text: `{"text": s}` or `{"base64": s}`, repeated `repeat`
/// times (default 1).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextPart {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    base64: Option<String>,
    #[serde(default = "one")]
    repeat: u64,
}

fn one() -> u64 {
    1
}

/// The bytes of a text input given in exactly one of three forms: `<name>` (a string),
/// `<name>_base64` (standard base64 with padding) or `<name>_parts` (concatenated parts).
fn text_input(
    name: &str,
    plain: Option<&str>,
    b64: Option<&str>,
    parts: Option<&[TextPart]>,
) -> Result<Vec<u8>, EvalError> {
    let given =
        usize::from(plain.is_some()) + usize::from(b64.is_some()) + usize::from(parts.is_some());
    if given != 1 {
        return Err(EvalError::new(format!(
            "give exactly one of `{name}`, `{name}_base64` and `{name}_parts` ({given} given)"
        )));
    }
    let bytes = if let Some(s) = plain {
        s.as_bytes().to_vec()
    } else if let Some(s) = b64 {
        base64_decode(s).map_err(|e| EvalError::new(format!("`{name}_base64`: {e}")))?
    } else {
        let mut out = Vec::new();
        for (i, part) in parts.unwrap_or(&[]).iter().enumerate() {
            let piece = match (&part.text, &part.base64) {
                (Some(t), None) => t.as_bytes().to_vec(),
                (None, Some(b)) => base64_decode(b)
                    .map_err(|e| EvalError::new(format!("`{name}_parts[{i}].base64`: {e}")))?,
                _ => {
                    return Err(EvalError::new(format!(
                        "`{name}_parts[{i}]` needs exactly one of `text` and `base64`"
                    )))
                }
            };
            let total = u64::try_from(piece.len())
                .ok()
                .and_then(|n| n.checked_mul(part.repeat))
                .and_then(|n| n.checked_add(u64::try_from(out.len()).ok()?))
                .filter(|&n| n <= MAX_TEXT_BYTES as u64);
            if total.is_none() {
                return Err(EvalError::new(format!(
                    "`{name}_parts` assembles more than {MAX_TEXT_BYTES} bytes"
                )));
            }
            // An empty piece repeated any number of times adds nothing (and takes no time);
            // `[u8]::repeat` copies by doubling (a 1-byte piece repeated a million times is
            // about twenty copies, not a million). The total was bounded just above.
            if !piece.is_empty() {
                let times = usize::try_from(part.repeat).unwrap_or(usize::MAX);
                out.extend_from_slice(&piece.repeat(times));
            }
        }
        out
    };
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(EvalError::new(format!(
            "`{name}` is more than {MAX_TEXT_BYTES} bytes"
        )));
    }
    Ok(bytes)
}

/// Decodes standard base64 (RFC 4648 section 4: alphabet `A-Z a-z 0-9 + /`, `=` padding to
/// a multiple of 4 characters, no white space, unused bits zero), with the `base64` crate's
/// standard engine, which is that strict.
///
/// # Errors
/// A message naming the first problem: a length that is not a multiple of 4, a character
/// outside the alphabet, misplaced padding, or non-zero unused bits (non-canonical input).
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| format!("invalid base64: {e}"))
}

// ---------------------------------------------------------------------------------------
// Output helpers

/// A diagnostic reduced to what every implementation must agree on: `{code, severity,
/// pointer}`, plus `line` and `column` when `positions` and the diagnostic is located.
fn diag_value(d: &Diagnostic, positions: bool) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), Value::String(d.code.as_str().into()));
    m.insert("severity".into(), Value::String(d.severity.as_str().into()));
    m.insert("pointer".into(), Value::String(d.pointer.clone()));
    if positions {
        if let (Some(line), Some(column)) = (d.line, d.column) {
            m.insert("line".into(), Value::from(line));
            m.insert("column".into(), Value::from(column));
        }
    }
    Value::Object(m)
}

fn diags_value<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>, positions: bool) -> Value {
    Value::Array(
        diags
            .into_iter()
            .map(|d| diag_value(d, positions))
            .collect(),
    )
}

/// The JSON name of a serde enum value (`"review-app"`, `"default-branch"`).
fn label<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_string()))
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Checks a manifest made of the given top-level sections (JSON values), as the real
/// manifest check does for a file. `None` when no section is given (no manifest at all).
fn check_sections(sections: &[(&str, Option<&Value>)], date: Date) -> Option<manifest::Checked> {
    let members: Map<String, Value> = sections
        .iter()
        .filter_map(|(k, v)| v.map(|v| ((*k).to_string(), v.clone())))
        .collect();
    if members.is_empty() {
        return None;
    }
    let text = serde_json::to_string(&Value::Object(members)).unwrap_or_default();
    Some(manifest::check(text.as_bytes(), date))
}

// ---------------------------------------------------------------------------------------
// validate

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateInput {
    #[serde(default)]
    manifest: Option<String>,
    #[serde(default)]
    manifest_base64: Option<String>,
    #[serde(default)]
    manifest_parts: Option<Vec<TextPart>>,
}

fn validate(input: &Value, date: Date) -> Result<Value, EvalError> {
    let i: ValidateInput = parse("validate", input)?;
    let bytes = text_input(
        "manifest",
        i.manifest.as_deref(),
        i.manifest_base64.as_deref(),
        i.manifest_parts.as_deref(),
    )?;
    let checked = manifest::check(&bytes, date);
    Ok(obj([
        ("valid", Value::Bool(checked.is_valid())),
        ("diagnostics", diags_value(&checked.diagnostics, true)),
    ]))
}

// ---------------------------------------------------------------------------------------
// procfile

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcfileInput {
    #[serde(default)]
    procfile: Option<String>,
    #[serde(default)]
    procfile_base64: Option<String>,
    #[serde(default)]
    procfile_parts: Option<Vec<TextPart>>,
}

fn procfile_cap(input: &Value) -> Result<Value, EvalError> {
    let i: ProcfileInput = parse("procfile", input)?;
    let bytes = text_input(
        "procfile",
        i.procfile.as_deref(),
        i.procfile_base64.as_deref(),
        i.procfile_parts.as_deref(),
    )?;
    let parsed = procfile::parse(&bytes);
    let p = &parsed.procfile;
    let entries = p
        .entries
        .iter()
        .map(|e| {
            obj([
                ("name", Value::String(e.name.clone())),
                ("command", Value::String(e.command.clone())),
                ("line", Value::from(e.line)),
            ])
        })
        .collect();
    Ok(obj([
        ("valid", Value::Bool(!parsed.has_errors())),
        (
            "process_types",
            Value::Array(
                p.process_types()
                    .into_iter()
                    .map(|t| Value::String(t.into()))
                    .collect(),
            ),
        ),
        (
            "postdeploy",
            opt_str(p.postdeploy().map(|e| e.command.as_str())),
        ),
        ("entries", Value::Array(entries)),
        ("diagnostics", diags_value(&parsed.diagnostics, true)),
    ]))
}

// ---------------------------------------------------------------------------------------
// locate

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocateInput {
    files: Vec<String>,
    #[serde(default)]
    project_dir: Option<String>,
}

fn locate_cap(input: &Value) -> Result<Value, EvalError> {
    let i: LocateInput = parse("locate", input)?;
    let l = locate::locate(i.files.iter().map(String::as_str), i.project_dir.as_deref());
    Ok(obj([
        ("manifest", opt_str(l.manifest.as_deref())),
        ("procfile", opt_str(l.procfile.as_deref())),
        ("project_dir", Value::String(l.project_dir.clone())),
        (
            "searched",
            Value::Array(
                l.searched
                    .iter()
                    .map(|s| Value::String(s.clone()))
                    .collect(),
            ),
        ),
        ("diagnostics", diags_value(&l.diagnostics, false)),
    ]))
}

// ---------------------------------------------------------------------------------------
// source

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceManifest {
    #[serde(default)]
    repository: Option<String>,
    #[serde(default, rename = "ref")]
    git_ref: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceInput {
    #[serde(default)]
    request: OneClickRequest,
    #[serde(default)]
    manifest: SourceManifest,
    #[serde(default)]
    default_branch: Option<String>,
}

fn source_cap(input: &Value) -> Result<Value, EvalError> {
    let i: SourceInput = parse("source", input)?;
    let candidate = source::candidate(&i.request);
    let decision = source::decide(
        &candidate,
        i.manifest.repository.as_deref(),
        i.manifest.git_ref.as_deref(),
        i.default_branch.as_deref(),
    );
    Ok(obj([
        (
            "manifest_from",
            opt_str(candidate.repository.as_ref().map(|r| r.url.as_str())),
        ),
        (
            "repository",
            opt_str(decision.repository.as_ref().map(|r| r.url.as_str())),
        ),
        ("ref", opt_str(decision.git_ref.as_deref())),
        (
            "repository_from",
            decision.repository_from.as_ref().map_or(Value::Null, label),
        ),
        (
            "ref_from",
            decision.ref_from.as_ref().map_or(Value::Null, label),
        ),
        ("diagnostics", diags_value(&decision.diagnostics, false)),
    ]))
}

// ---------------------------------------------------------------------------------------
// env

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvInput {
    kind: AppKind,
    app: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default, deserialize_with = "present")]
    manifest_env: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    copy_parent_database_urls: Option<Value>,
    #[serde(default)]
    parent_env: BTreeMap<String, String>,
    #[serde(default)]
    parent_addon_vars: BTreeSet<String>,
    #[serde(default)]
    user_env: BTreeMap<String, String>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    parent_app: Option<String>,
    #[serde(default)]
    pr_number: Option<u64>,
}

fn env_cap(input: &Value, date: Date) -> Result<Value, EvalError> {
    let i: EnvInput = parse("env", input)?;
    if i.kind == AppKind::OneClick && (i.parent_app.is_some() || i.pr_number.is_some()) {
        return Err(EvalError::new(
            "invalid env input: a one-click deploy has no `parent_app` and no `pr_number`",
        ));
    }
    let checked = check_sections(
        &[
            ("env", i.manifest_env.as_ref()),
            (
                "copy_parent_database_urls",
                i.copy_parent_database_urls.as_ref(),
            ),
        ],
        date,
    );
    let m: Option<&Manifest> = checked.as_ref().and_then(|c| c.manifest.as_ref());
    let region = i.region.as_deref().unwrap_or(generate::DEFAULT_REGION);
    let Some(url) = generate::app_url(&i.app, region) else {
        return Err(EvalError::new(
            "invalid env input: `app` must be a valid app name and `region` a region of the platform catalogue (rule SCN-2)",
        ));
    };
    let ctx = EnvContext {
        kind: i.kind,
        seed: i.seed,
        template: TemplateContext {
            app: i.app.clone(),
            url,
            parent_app: i.parent_app.clone(),
            pr_number: i.pr_number,
        },
    };
    let inputs = EnvInputs {
        manifest_env: m.and_then(|m| m.env.as_deref()),
        parent_env: &i.parent_env,
        parent_addon_vars: &i.parent_addon_vars,
        copy_parent_database_urls: m
            .and_then(|m| m.copy_parent_database_urls.as_ref())
            .is_some_and(|b| b.value),
        user_env: &i.user_env,
    };
    let check_diags: &[Diagnostic] = checked.as_ref().map_or(&[], |c| &c.diagnostics);
    // SCN-3: env leaves out what the check reported.
    let out = env::resolve_checked(&inputs, &ctx, check_diags);
    let vars = out
        .vars
        .iter()
        .map(|(name, v)| {
            (
                name.clone(),
                obj([
                    ("value", Value::String(v.value.clone())),
                    ("origin", label(&v.origin)),
                ]),
            )
        })
        .collect();
    let removed = out
        .removed
        .iter()
        .map(|r| {
            obj([
                ("name", Value::String(r.name.clone())),
                ("reason", Value::String(r.reason.clone())),
            ])
        })
        .collect();
    Ok(obj([
        ("vars", Value::Object(vars)),
        ("removed", Value::Array(removed)),
        (
            "diagnostics",
            diags_value(check_diags.iter().chain(out.diagnostics.iter()), false),
        ),
    ]))
}

// ---------------------------------------------------------------------------------------
// addons

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddonsInput {
    kind: AppKind,
    #[serde(default, deserialize_with = "present")]
    manifest_addons: Option<Value>,
    #[serde(default)]
    parent_addons: Vec<ParentAddon>,
}

fn addons_cap(input: &Value, date: Date) -> Result<Value, EvalError> {
    let i: AddonsInput = parse("addons", input)?;
    let checked = check_sections(&[("addons", i.manifest_addons.as_ref())], date);
    let m = checked.as_ref().and_then(|c| c.manifest.as_ref());
    let out = addons::resolve(
        i.kind,
        m.and_then(|m| m.addons.as_deref()),
        &i.parent_addons,
        date,
    );
    let check_diags: &[Diagnostic] = checked.as_ref().map_or(&[], |c| &c.diagnostics);
    let list = out
        .addons
        .iter()
        .map(|a| {
            let mut v = obj([
                ("addon", Value::String(a.addon.clone())),
                ("plan", opt_str(a.plan.as_deref())),
                ("version", opt_str(a.version.as_deref())),
                ("origin", label(&a.origin)),
            ]);
            if let (Value::Object(m), Some(r)) = (&mut v, &a.replaced_by) {
                m.insert("replaced_by".into(), Value::String(r.clone()));
            }
            v
        })
        .collect();
    Ok(obj([
        ("addons", Value::Array(list)),
        (
            "diagnostics",
            diags_value(check_diags.iter().chain(&out.diagnostics), false),
        ),
    ]))
}

// ---------------------------------------------------------------------------------------
// formation

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormationInput {
    kind: AppKind,
    #[serde(default, deserialize_with = "present")]
    manifest_formation: Option<Value>,
    #[serde(default)]
    procfile: Option<String>,
    #[serde(default)]
    parent_formation: Option<BTreeMap<String, ProcessFormation>>,
}

fn formation_cap(input: &Value, date: Date) -> Result<Value, EvalError> {
    let i: FormationInput = parse("formation", input)?;
    let checked = check_sections(&[("formation", i.manifest_formation.as_ref())], date);
    let m = checked.as_ref().and_then(|c| c.manifest.as_ref());
    let types: Option<Vec<String>> = i.procfile.as_ref().map(|text| {
        procfile::parse(text.as_bytes())
            .procfile
            .process_types()
            .into_iter()
            .map(str::to_string)
            .collect()
    });
    let out = formation::resolve(
        i.kind,
        m.and_then(|m| m.formation.as_deref()),
        types.as_deref(),
        i.parent_formation.as_ref(),
    );
    let check_diags: &[Diagnostic] = checked.as_ref().map_or(&[], |c| &c.diagnostics);
    let formation = out
        .formation
        .iter()
        .map(|(t, p)| {
            (
                t.clone(),
                obj([
                    ("amount", Value::from(p.amount)),
                    ("size", Value::String(p.size.as_str().into())),
                    ("amount_from", label(&p.amount_from)),
                    ("size_from", label(&p.size_from)),
                ]),
            )
        })
        .collect();
    Ok(obj([
        ("formation", Value::Object(formation)),
        (
            "diagnostics",
            diags_value(check_diags.iter().chain(&out.diagnostics), false),
        ),
    ]))
}

// ---------------------------------------------------------------------------------------
// hooks

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HooksCapInput {
    kind: AppKind,
    #[serde(default, deserialize_with = "present")]
    scripts: Option<Value>,
    #[serde(default)]
    procfile_postdeploy: Option<String>,
    #[serde(default)]
    attempts: Vec<Attempt>,
}

fn hooks_cap(input: &Value, date: Date) -> Result<Value, EvalError> {
    let i: HooksCapInput = parse("hooks", input)?;
    let checked = check_sections(&[("scripts", i.scripts.as_ref())], date);
    let scripts = checked
        .as_ref()
        .and_then(|c| c.manifest.as_ref())
        .map(|m| m.scripts.clone())
        .unwrap_or_default();
    let hook_scripts = HookScripts::from_manifest(&scripts, i.procfile_postdeploy.as_deref());
    let check_diags: &[Diagnostic] = checked.as_ref().map_or(&[], |c| &c.diagnostics);
    // SCN-3: a finding the check already reported (SM0502) is not repeated (no SM1201).
    let out = hooks::schedule_checked(i.kind, &hook_scripts, &i.attempts, check_diags);
    // The hooks module points into its own input shape; this capability's input uses the
    // manifest's key, `scripts.postdeploy` (as a scenario does).
    let hook_diags: Vec<Diagnostic> = out
        .diagnostics
        .iter()
        .cloned()
        .map(|mut d| {
            if let Some(p) = hooks::manifest_pointer(&d.pointer) {
                d.pointer = p;
            }
            d
        })
        .collect();
    let attempts = out
        .attempts
        .iter()
        .map(|a| {
            let hook = a.hook.as_ref().map_or(Value::Null, |h| {
                obj([
                    ("hook", label(&h.hook)),
                    ("command", Value::String(h.command.clone())),
                    ("from", label(&h.from)),
                    ("exit", Value::from(h.exit)),
                    ("timed_out", Value::Bool(h.timed_out)),
                ])
            });
            obj([
                ("attempt", Value::from(a.attempt)),
                ("hook", hook),
                ("status", label(&a.status)),
                ("running", a.running.map_or(Value::Null, Value::from)),
                ("first_deploy_pending", Value::Bool(a.first_deploy_pending)),
            ])
        })
        .collect();
    Ok(obj([
        ("attempts", Value::Array(attempts)),
        (
            "diagnostics",
            diags_value(check_diags.iter().chain(&hook_diags), false),
        ),
    ]))
}

// ---------------------------------------------------------------------------------------
// resolve

fn resolve_cap(input: &Value) -> Result<Value, EvalError> {
    let s: Scenario = parse("resolve", input)?;
    let outcome = scenario::resolve(&s);
    let mut v = serde_json::to_value(&outcome)
        .map_err(|e| EvalError::new(format!("the outcome cannot be written as JSON: {e}")))?;
    let Value::Object(top) = &mut v else {
        return Err(EvalError::new("the outcome is not a JSON object"));
    };
    // Diagnostics: {stage, file, code, severity, pointer, line?, column?}.
    let diagnostics = outcome
        .diagnostics
        .iter()
        .map(|sd| {
            let mut m = match diag_value(&sd.diagnostic, true) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            m.insert("stage".into(), Value::String(sd.stage.as_str().to_string()));
            m.insert("file".into(), opt_str(sd.file.as_deref()));
            Value::Object(m)
        })
        .collect();
    top.insert("diagnostics".into(), Value::Array(diagnostics));
    // Every `rule` field goes: expected outputs hold decisions, not the engine's reasons.
    let remove_rule = |v: &mut Value| {
        if let Value::Object(m) = v {
            m.remove("rule");
        }
    };
    if let Some(stack) = top.get_mut("stack") {
        remove_rule(stack);
    }
    if let Some(Value::Object(env)) = top.get_mut("env") {
        if let Some(Value::Object(vars)) = env.get_mut("vars") {
            vars.values_mut().for_each(remove_rule);
        }
        if let Some(Value::Array(removed)) = env.get_mut("removed") {
            removed.iter_mut().for_each(remove_rule);
        }
    }
    if let Some(Value::Array(list)) = top.get_mut("addons") {
        list.iter_mut().for_each(remove_rule);
    }
    if let Some(firewall) = top.get_mut("firewall") {
        remove_rule(firewall);
    }
    if let Some(Value::Object(formation)) = top.get_mut("formation") {
        formation.values_mut().for_each(remove_rule);
    }
    if let Some(Value::Array(attempts)) = top.get_mut("hooks") {
        for a in attempts.iter_mut() {
            remove_rule(a);
            if let Value::Object(a) = a {
                if let Some(hook) = a.get_mut("hook") {
                    remove_rule(hook);
                }
            }
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The input with the tests' date when it has none.
    fn dated(input: &Value) -> Value {
        crate::with_test_day(input.clone())
    }

    fn eval(cap: Capability, input: Value) -> Value {
        let input = dated(&input);
        match evaluate(cap, &input) {
            Ok(v) => v,
            Err(e) => panic!("{cap:?} {input}: {e}"),
        }
    }

    #[test]
    fn base64_decodes_rfc4648_vectors() {
        let cases: [(&str, &[u8]); 7] = [
            ("", b""),
            ("Zg==", b"f"),
            ("Zm8=", b"fo"),
            ("Zm9v", b"foo"),
            ("Zm9vYg==", b"foob"),
            ("Zm9vYmE=", b"fooba"),
            ("Zm9vYmFy", b"foobar"),
        ];
        for (text, bytes) in cases {
            assert_eq!(base64_decode(text).as_deref(), Ok(bytes), "{text}");
        }
        assert_eq!(
            base64_decode("77u/e30=").as_deref(),
            Ok(&b"\xEF\xBB\xBF{}"[..])
        );
        assert_eq!(
            base64_decode("+/+/").as_deref(),
            Ok(&[0xfb, 0xff, 0xbf][..])
        );
    }

    #[test]
    fn base64_rejects_malformed_input() {
        for bad in [
            "Zg",
            "Zg=",
            "Z===",
            "Zg==Zg==",
            "Zm9v YmFy",
            "Zm9-",
            "Zh==",
            "Zm9=",
            "=Zg=",
        ] {
            assert!(base64_decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_input_needs_exactly_one_form() {
        assert!(evaluate(Capability::Validate, &json!({})).is_err());
        let both = json!({"manifest": "{}", "manifest_base64": "e30="});
        assert!(evaluate(Capability::Validate, &dated(&both)).is_err());
        let parts = json!({"manifest_parts": [{"text": "{"}, {"text": " ", "repeat": 3}, {"base64": "fQ=="}]});
        assert_eq!(
            eval(Capability::Validate, parts),
            json!({"valid": true, "diagnostics": []})
        );
        let huge = json!({"manifest_parts": [{"text": "xx", "repeat": 3_000_000}]});
        let err = evaluate(Capability::Validate, &dated(&huge)).unwrap_err();
        assert!(err.message.contains("more than"), "{err}");
        let overflow = json!({"manifest_parts": [{"text": "x", "repeat": u64::MAX}]});
        assert!(evaluate(Capability::Validate, &dated(&overflow)).is_err());
        let empty_forever =
            json!({"manifest_parts": [{"text": "{}"}, {"text": "", "repeat": u64::MAX}]});
        assert_eq!(
            eval(Capability::Validate, empty_forever),
            json!({"valid": true, "diagnostics": []})
        );
        let neither = json!({"manifest_parts": [{"repeat": 2}]});
        assert!(evaluate(Capability::Validate, &dated(&neither)).is_err());
    }

    #[test]
    fn validate_reports_located_diagnostics() {
        let v = eval(
            Capability::Validate,
            json!({"manifest": "{\"nmae\": \"x\"}"}),
        );
        assert_eq!(
            v,
            json!({"valid": true, "diagnostics": [
                {"code": "SM0108", "severity": "warning", "pointer": "/nmae", "line": 1, "column": 2}
            ]})
        );
        let bom = eval(Capability::Validate, json!({"manifest_base64": "77u/e30="}));
        assert_eq!(bom["valid"], json!(false));
        assert_eq!(bom["diagnostics"][0]["code"], json!("SM0003"));
    }

    #[test]
    fn unknown_input_keys_are_errors() {
        for (cap, input) in [
            (Capability::Validate, json!({"manifest": "{}", "extra": 1})),
            (Capability::Locate, json!({"files": [], "dir": "a"})),
            (
                Capability::Env,
                json!({"kind": "one-click", "app": "a", "env": {}}),
            ),
            (
                Capability::Hooks,
                json!({"kind": "one-click", "attempts": [{"bulid": "error"}]}),
            ),
            (
                Capability::Resolve,
                json!({"kind": "one-click", "app": {"name": "a"}, "x": 1}),
            ),
        ] {
            assert!(evaluate(cap, &input).is_err(), "{cap:?} {input}");
        }
        let one_click_pr = json!({"kind": "one-click", "app": "a", "pr_number": 3});
        assert!(evaluate(Capability::Env, &dated(&one_click_pr)).is_err());
    }

    #[test]
    fn procfile_lists_entries_and_postdeploy() {
        let v = eval(
            Capability::Procfile,
            json!({"procfile": "web: npm start\npostdeploy: npm run migrate\n"}),
        );
        assert_eq!(v["process_types"], json!(["web"]));
        assert_eq!(v["postdeploy"], json!("npm run migrate"));
        assert_eq!(
            v["entries"][1],
            json!({"name": "postdeploy", "command": "npm run migrate", "line": 2})
        );
        assert_eq!(v["valid"], json!(true));
    }

    #[test]
    fn env_null_is_not_absent() {
        let absent = eval(
            Capability::Env,
            json!({"kind": "review-app", "app": "a-pr1", "parent_env": {"A": "1"}}),
        );
        assert_eq!(absent["diagnostics"], json!([]));
        assert_eq!(
            absent["vars"]["A"],
            json!({"value": "1", "origin": "parent"})
        );
        let null = eval(
            Capability::Env,
            json!({"kind": "review-app", "app": "a-pr1", "manifest_env": null}),
        );
        assert_eq!(
            null["diagnostics"],
            json!([{"code": "SM0200", "severity": "error", "pointer": "/env"}])
        );
    }

    #[test]
    fn env_seeded_secret_is_exact() {
        let v = eval(
            Capability::Env,
            json!({"kind": "one-click", "app": "my-app", "seed": 42,
                   "manifest_env": {"SECRET_KEY": {"generator": "secret"}}}),
        );
        assert_eq!(
            v["vars"]["SECRET_KEY"],
            json!({"value": "62fc071ad4a73d58a355e31bd717dc45", "origin": "secret"})
        );
    }

    #[test]
    fn env_reports_a_repeated_finding_once() {
        let v = eval(
            Capability::Env,
            json!({"kind": "one-click", "app": "a", "manifest_env": {"PROJECT_DIR": {"value": "api"}}}),
        );
        let codes: Vec<&Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["code"])
            .collect();
        assert_eq!(codes, [&json!("SM0222")]);
    }

    #[test]
    fn hooks_pointers_use_the_manifest_key() {
        let v = eval(
            Capability::Hooks,
            json!({"kind": "review-app", "scripts": {"postdeploy": "a"}, "procfile_postdeploy": "b", "attempts": [{}]}),
        );
        let pointers: Vec<&Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["pointer"])
            .collect();
        assert!(
            pointers.iter().all(|p| *p == "/scripts/postdeploy"),
            "{pointers:?}"
        );
        assert_eq!(v["attempts"][0]["hook"]["command"], json!("b"));
        assert_eq!(v["attempts"][0]["hook"]["from"], json!("procfile"));
    }

    #[test]
    fn resolve_reduces_diagnostics_and_drops_rules() {
        let v = eval(
            Capability::Resolve,
            json!({"kind": "review-app", "seed": 1, "app": {"name": "a-pr1"}, "pr_number": 1,
                   "parent": {"name": "a", "env": {"K": "v"}, "stack": "scalingo-22"},
                   "repository": {"files": {"scalingo.json": "{\"nmae\": 1}"}}}),
        );
        assert_eq!(
            v["env"]["vars"]["K"],
            json!({"value": "v", "origin": "parent"})
        );
        assert_eq!(
            v["stack"],
            json!({"value": "scalingo-22", "origin": "parent", "requested": null, "requested_status": null})
        );
        assert_eq!(
            v["diagnostics"][0],
            json!({"stage": "manifest", "file": "scalingo.json", "code": "SM0108",
                   "severity": "warning", "pointer": "/nmae", "line": 1, "column": 2})
        );
        assert!(!v.to_string().contains("\"rule\""), "{v}");
    }

    #[test]
    fn source_and_locate_answer_in_user_vocabulary() {
        let s = eval(
            Capability::Source,
            json!({"request": {"source": "https://github.com/o/r#dev"}}),
        );
        assert_eq!(s["repository"], json!("https://github.com/o/r"));
        assert_eq!(s["ref"], json!("dev"));
        assert_eq!(s["ref_from"], json!("fragment"));
        assert_eq!(s["repository_from"], json!("source"));
        let l = eval(
            Capability::Locate,
            json!({"files": ["app.json", "scalingo.json"]}),
        );
        assert_eq!(l["manifest"], json!("scalingo.json"));
        assert_eq!(l["searched"], json!(["scalingo.json"]));
    }

    #[test]
    fn addons_and_formation_go_through_the_check() {
        let a = eval(
            Capability::Addons,
            json!({"kind": "one-click", "manifest_addons": [5, "redis"]}),
        );
        assert_eq!(a["addons"][0]["addon"], json!("redis"));
        assert_eq!(a["diagnostics"][0]["code"], json!("SM0311"));
        let f = eval(
            Capability::Formation,
            json!({"kind": "one-click", "manifest_formation": {"web": {"amount": 2, "size": "L"}}, "procfile": "web: x"}),
        );
        assert_eq!(
            f["formation"]["web"],
            json!({"amount": 2, "size": "L", "amount_from": "manifest", "size_from": "manifest"})
        );
    }

    /// LIM-1: a text input may be up to `MAX_TEXT_BYTES` (4 MiB) long in every form, so
    /// that manifests over the 1 MiB limit can be written as cases; one byte more is an
    /// input error, whose text is its message.
    #[test]
    fn lim_1_texts_over_the_limit_can_be_written_up_to_four_mebibytes() {
        let two_mib = json!({"manifest_parts": [{"text": "  ", "repeat": 1024 * 1024}]});
        let v = eval(Capability::Validate, two_mib);
        assert_eq!(v["valid"], json!(false));
        assert_eq!(v["diagnostics"][0]["code"], json!("SM0001"));
        let at_limit = json!({"manifest": " ".repeat(MAX_TEXT_BYTES)});
        assert_eq!(eval(Capability::Validate, at_limit)["valid"], json!(false));
        let over = json!({"manifest": " ".repeat(MAX_TEXT_BYTES + 1)});
        let err = evaluate(Capability::Validate, &dated(&over)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("`manifest` is more than {MAX_TEXT_BYTES} bytes")
        );
    }
}
