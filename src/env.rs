//! `env`: the environment of the new app (rules `ENV-*`, `spec/env.md`).
//!
//! [`resolve`] is a pure function (except for unseeded secrets, rule `GEN-3`) from the
//! manifest's `env` rules, the parent app's environment (review apps), the one-click form's
//! values (one-click deploys), and a [`TemplateContext`] to the final variables, each with
//! its [`Origin`] and the rule that decided it.
//!
//! * One-click (`ENV-2`..`ENV-6`): a non-empty user value beats everything; otherwise the
//!   manifest's default (a value or a generator); `required` variables must end with a value.
//! * Review app (`ENV-7`..`ENV-10`, decisions D-18, D-19): the parent's variables are copied
//!   (minus those its addons provide, unless `copy_parent_database_urls`), then the
//!   manifest's rules are applied on top; what the manifest does not name stays as the
//!   parent had it.
//!
//! The variables provided by the new app's own addons are not part of this result.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::diag::{self, pointer_push, Bounded, Code, Counts, Diagnostic, Severity};
use crate::generate::{self, TemplateContext};
use crate::manifest::names::{self, EnvNameFault, MAX_ENV_NAME_CHARS};
use crate::manifest::validate::MAX_ENV_VALUE_CHARS;
use crate::manifest::{EnvValue, EnvVar};
use crate::AppKind;

/// Most findings an environment resolution lists (rule `ENV-15`); the others are counted.
pub const MAX_DIAGNOSTICS: usize = crate::diag::MAX_LISTED;

/// [`RemovedVar::reason`]: the parent's addons provide the variable and
/// `copy_parent_database_urls` is false (rule `ENV-8`).
pub(crate) const REASON_PARENT_ADDON_VAR: &str = "parent-addon-var";
/// [`RemovedVar::reason`]: the manifest deletes the variable (`null` or `""`, rule `ENV-9`).
pub(crate) const REASON_DELETED_BY_MANIFEST: &str = "deleted-by-manifest";
/// [`RemovedVar::reason`]: the parent's variable has an invalid name (rule `ENV-12`).
pub(crate) const REASON_INVALID_NAME: &str = "invalid-name";
/// [`RemovedVar::reason`]: the parent's value is too long (rule `ENV-12`).
pub(crate) const REASON_VALUE_TOO_LONG: &str = "value-too-long";
/// [`RemovedVar::reason`]: the parent's value holds a NUL character (rule `ENV-12`).
pub(crate) const REASON_INVALID_VALUE: &str = "invalid-value";
/// [`RemovedVar::reason`]: the manifest's generator failed (rule `ENV-13`).
pub(crate) const REASON_GENERATION_FAILED: &str = "generation-failed";

/// Everything about the new app that is not a variable (rule `ENV-1`).
///
/// JSON shape: `{"kind": "review-app", "seed": 42, "template": {TemplateContext}}`;
/// `seed` is `null` (or absent) when secrets come from the operating system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvContext {
    /// One-click deploy or review app.
    pub kind: AppKind,
    /// Seed of the secret derivation (rule `GEN-2`); `None`: OS entropy (rule `GEN-3`).
    #[serde(default)]
    pub seed: Option<u64>,
    /// What template tokens and the `url` generator expand to.
    pub template: TemplateContext,
}

/// The inputs of [`resolve`] (rule `ENV-1`), borrowed.
///
/// JSON shape (serialisation only): `{"manifest_env": [EnvVar...] | null, "parent_env":
/// {"NAME": "value"}, "parent_addon_vars": ["NAME"], "copy_parent_database_urls": false,
/// "user_env": {"NAME": "value"}}`. Diagnostics about a manifest entry point at `/env/NAME`
/// in the manifest and carry the entry's span; those about a user or parent variable point
/// into the scenario document (`/user_env/NAME`, `/parent/env/NAME`) and carry no span.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct EnvInputs<'a> {
    /// The manifest's `env` entries in document order; `None` when there is no manifest or
    /// it has no `env` key.
    pub manifest_env: Option<&'a [EnvVar]>,
    /// The parent app's environment (review apps; empty for one-click deploys).
    pub parent_env: &'a BTreeMap<String, String>,
    /// Names in `parent_env` provided by the parent's addons, for example
    /// `SCALINGO_POSTGRESQL_URL` (review apps; rule `ENV-8`).
    pub parent_addon_vars: &'a BTreeSet<String>,
    /// The manifest's `copy_parent_database_urls` (default `false`, decision D-18).
    pub copy_parent_database_urls: bool,
    /// The one-click form's values (one-click deploys; empty for review apps). `""` means
    /// "not given" (rule `ENV-6`).
    pub user_env: &'a BTreeMap<String, String>,
}

/// Where a variable's value comes from (rule `ENV-1`). JSON: `"parent"`, `"manifest"`,
/// `"user"`, `"secret"`, `"url"`, `"template"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Copied from the parent app (review apps).
    Parent,
    /// The manifest's literal `value`.
    Manifest,
    /// The one-click form.
    User,
    /// The `secret` generator.
    Secret,
    /// The `url` generator.
    Url,
    /// The `template` generator.
    Template,
}

/// One variable of the new app (rule `ENV-1`).
///
/// JSON shape: `{"value": "staging", "origin": "manifest", "rule": "ENV-3"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedVar {
    /// The value (at most 32768 characters).
    pub value: String,
    /// Where it comes from.
    pub origin: Origin,
    /// The spec rule that decided it (`ENV-2`, `ENV-3`, `ENV-5`, `ENV-7`, `ENV-8`, `ENV-9`
    /// or `ENV-10`).
    pub rule: String,
}

/// A parent variable the review app does not get (rule `ENV-1`).
///
/// JSON shape: `{"name": "SCALINGO_POSTGRESQL_URL", "reason": "parent-addon-var", "rule":
/// "ENV-8"}`. `reason` is one of `parent-addon-var`, `deleted-by-manifest`,
/// `invalid-name`, `value-too-long`, `invalid-value`, `generation-failed` (the `REASON_*`
/// constants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedVar {
    /// The parent's variable name.
    pub name: String,
    /// Why it is not copied.
    pub reason: String,
    /// The spec rule that removed it.
    pub rule: String,
}

/// The resolved environment (rule `ENV-1`).
///
/// JSON shape: `{"vars": {"NAME": ResolvedVar, ...}, "removed": [RemovedVar, ...],
/// "diagnostics": [Diagnostic, ...], "counts": Counts}`. `vars` is ordered by name (byte order); `removed`
/// is ordered by name, holds each name once, only names of the parent's environment, and
/// never a name of `vars` (always empty for one-click deploys); `diagnostics` are in the
/// canonical order of rule `DIAG-4`. A diagnostic about a manifest entry carries the
/// entry's span (its key's span for `SM0952`) but no line and column: the caller, who has
/// the manifest's text, fills them in (rule `DIAG-5`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnvOutcome {
    /// The new app's variables.
    pub vars: BTreeMap<String, ResolvedVar>,
    /// The parent's variables the review app does not get.
    pub removed: Vec<RemovedVar>,
    /// Findings, canonical order: at most [`MAX_DIAGNOSTICS`], then one [`Code::EnvDiagnosticsDropped`]
    /// when more were made (rule `ENV-15`).
    pub diagnostics: Vec<Diagnostic>,
    /// Every finding by severity, the ones not listed included (the `ENV-15` note itself is
    /// not counted), and how many were not listed.
    #[serde(default)]
    pub counts: Counts,
}

/// Words of a variable name that mark a credential (rule `ENV-16`): the name is split at
/// `_` and compared without case.
pub const CREDENTIAL_WORDS: [&str; 11] = [
    "PASSWORD",
    "PASSWD",
    "PWD",
    "SECRET",
    "TOKEN",
    "KEY",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATE",
    "DSN",
];

/// Words of a variable name that mark a value meant to be public, which no credential word
/// then outweighs (rule `ENV-16`): `STRIPE_PUBLISHABLE_KEY`, `PUBLIC_KEY`.
pub const PUBLIC_WORDS: [&str; 2] = ["PUBLIC", "PUBLISHABLE"];

/// Why a variable looks like a credential (rule `ENV-16`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSign {
    /// The value is a URL whose user information has a password
    /// (`postgres://user:password@host/db`).
    UrlPassword,
    /// The name has a word of [`CREDENTIAL_WORDS`] (the word, as listed there).
    NameWord(&'static str),
}

impl CredentialSign {
    /// The sign, as a phrase for a message: `its value is a URL with a password`.
    pub fn phrase(self) -> String {
        match self {
            CredentialSign::UrlPassword => "its value is a URL with a password".to_string(),
            CredentialSign::NameWord(word) => format!("its name says `{word}`"),
        }
    }
}

/// Query parameters of a URL that carry a password (rule `ENV-16`), compared without case:
/// `jdbc:postgresql://h/db?user=u&password=p`.
pub const PASSWORD_PARAMETERS: [&str; 3] = ["password", "pwd", "pass"];

/// Whether `value` is a URL with a password (rule `ENV-16`): after `://`, the authority (up
/// to the first `/`, `?` or `#`) has user information, before its last `@`, with a `:` and a
/// non-empty password after it (`postgres://u:p@h/db`, `mongodb://u:p@h1:1,h2:2/db`); or a
/// query parameter of [`PASSWORD_PARAMETERS`] has a non-empty value. Read as text, not by
/// a URL parser, so that the forms a parser refuses (several hosts) count too.
fn url_has_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let in_userinfo = authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .is_some_and(|(_, password)| !password.is_empty());
    let in_query = rest[end..]
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
        .is_some_and(|query| {
            query.split(['&', ';']).any(|pair| {
                pair.split_once('=').is_some_and(|(k, v)| {
                    !v.is_empty()
                        && PASSWORD_PARAMETERS
                            .iter()
                            .any(|p| k.eq_ignore_ascii_case(p))
                })
            })
        });
    in_userinfo || in_query
}

/// Whether the variable `name` = `value` looks like a credential, and why (rule `ENV-16`):
/// its value is a URL with a password (in its user information or a query parameter of
/// [`PASSWORD_PARAMETERS`]), or its name, split at `_`, has a word of
/// [`CREDENTIAL_WORDS`] and none of [`PUBLIC_WORDS`] (case-insensitive). The URL is
/// checked first. Pure; linear in the lengths.
pub fn credential_sign(name: &str, value: &str) -> Option<CredentialSign> {
    if url_has_password(value) {
        return Some(CredentialSign::UrlPassword);
    }
    let words = || name.split('_').filter(|w| !w.is_empty());
    if words().any(|w| PUBLIC_WORDS.iter().any(|p| w.eq_ignore_ascii_case(p))) {
        return None;
    }
    words().find_map(|w| {
        CREDENTIAL_WORDS
            .iter()
            .find(|c| w.eq_ignore_ascii_case(c))
            .map(|c| CredentialSign::NameWord(c))
    })
}

/// Why `name` is not a valid variable name, or `None` when it is (rule `ENV-12`): 1 to 64
/// characters `[A-Za-z0-9_]`, not starting with `_` or a digit. The reason is a phrase such
/// as ``"it starts with a digit"``.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    // The rule is `manifest::names`'; the length is reported before a leading `_` or digit.
    let fault = names::env_name_fault(name);
    match fault {
        Some(EnvNameFault::Empty) => return Some("it is empty".to_string()),
        Some(EnvNameFault::Char(' ')) => return Some("it contains a space".to_string()),
        Some(EnvNameFault::Char(bad)) => {
            return Some(format!("it contains `{}`", bad.escape_debug()))
        }
        _ => {}
    }
    if names::env_name_too_long(name) {
        // Only `[A-Za-z0-9_]` here: bytes are characters.
        return Some(format!(
            "it is {} characters long, more than {MAX_ENV_NAME_CHARS}",
            name.len()
        ));
    }
    match fault {
        Some(EnvNameFault::LeadingUnderscore) => Some("it starts with `_`".to_string()),
        Some(EnvNameFault::LeadingDigit) => Some("it starts with a digit".to_string()),
        _ => None,
    }
}

/// Checks one user or parent variable (rule `ENV-12`); on a problem, pushes the error and
/// returns the removal reason.
fn guard_input(
    name: &str,
    value: &str,
    base: &str,
    diagnostics: &mut Bounded,
) -> Option<&'static str> {
    let pointer = pointer_push(base, name);
    if let Some(why) = name_problem(name) {
        diagnostics.push(
            Diagnostic::new(
                Code::InvalidInputName,
                format!(
                    "invalid variable name `{}`: {why}; the variable is skipped",
                    crate::diag::cut(name, 80, "...")
                ),
            )
            .with_pointer(pointer)
            .with_hint(format!(
                "names are 1 to {MAX_ENV_NAME_CHARS} characters `A-Z a-z 0-9 _`, not starting with `_` or a digit"
            )),
        );
        return Some(REASON_INVALID_NAME);
    }
    let chars = value.chars().count();
    if chars > MAX_ENV_VALUE_CHARS {
        diagnostics.push(
            Diagnostic::new(
                Code::InputValueTooLong,
                format!(
                    "the value of `{name}` is {chars} characters long, more than the {MAX_ENV_VALUE_CHARS} allowed; the variable is skipped"
                ),
            )
            .with_pointer(pointer),
        );
        return Some(REASON_VALUE_TOO_LONG);
    }
    if value.contains('\0') {
        diagnostics.push(
            Diagnostic::new(
                Code::InputValueNul,
                format!(
                    "the value of `{}` holds a NUL character, which no process environment can hold; the variable is skipped",
                    crate::diag::cut(name, 80, "...")
                ),
            )
            .with_pointer(pointer)
            .with_hint("remove the NUL character from the value"),
        );
        return Some(REASON_INVALID_VALUE);
    }
    // The parent's values are already stored by the platform; only a value typed in the
    // one-click form is new.
    if base == "/user_env" && value.contains(['\n', '\r']) {
        diagnostics.push(
            Diagnostic::new(
                Code::UserValueLineBreak,
                format!(
                    "the value of `{}` spans several lines: the platform sets it, but the dashboard cannot edit the app's environment afterwards",
                    crate::diag::cut(name, 80, "...")
                ),
            )
            .with_pointer(pointer)
            .with_hint("encode the value in Base64 and decode it in the application, as the environment page advises"),
        );
    }
    None
}

/// Gives `d` the span `span` in the manifest, unless it already has one; line and column
/// are left to the caller, who has the manifest's text (rule `ENV-1`).
fn at(mut d: Diagnostic, span: crate::text::Span) -> Diagnostic {
    if d.span.is_none() {
        d.span = Some(span);
    }
    d
}

/// A resolved variable.
fn var(value: String, origin: Origin, rule: &str) -> ResolvedVar {
    ResolvedVar {
        value,
        origin,
        rule: rule.to_string(),
    }
}

/// The origin of a generated value.
fn generator_origin(g: &crate::manifest::Generator) -> Origin {
    match g {
        crate::manifest::Generator::Secret => Origin::Secret,
        crate::manifest::Generator::Url { .. } => Origin::Url,
        crate::manifest::Generator::Template { .. } => Origin::Template,
    }
}

/// Runs a manifest generator (rule `ENV-13` on failure): the value, or `None` after pushing
/// the error.
fn run_generator(
    entry: &EnvVar,
    generator: &crate::manifest::Generator,
    ctx: &EnvContext,
    diagnostics: &mut Bounded,
) -> Option<String> {
    let pointer = pointer_push("/env", &entry.name);
    match generate::generate(generator, &entry.name, ctx.seed, &ctx.template, &pointer) {
        Ok(g) => {
            diagnostics.extend(g.diagnostics.into_iter().map(|d| at(d, entry.span)));
            Some(g.value)
        }
        Err(d) => {
            diagnostics.push(at(d, entry.span));
            None
        }
    }
}

/// Resolves the new app's environment (rules `ENV-1`..`ENV-14`).
///
/// One-click deploys follow `ENV-2`..`ENV-6`, review apps `ENV-7`..`ENV-10`; both apply
/// `ENV-11`..`ENV-14`. Never panics; never fails as a whole: problems are diagnostics
/// (errors `SM0950`, `SM0953`, `SM0954`, `SM0902`, `SM0903`; warnings `SM0952`,
/// `SM0955`, `SM0900`, `SM0901`; note `SM0951`). With `ctx.seed` set the result is a pure
/// function of the inputs; without it, `secret` generators read OS entropy (rule `GEN-3`).
pub fn resolve(inputs: &EnvInputs, ctx: &EnvContext) -> EnvOutcome {
    let entries = deciding_entries(inputs.manifest_env);
    let mut out = match ctx.kind {
        AppKind::OneClick => resolve_one_click(inputs, &entries, ctx),
        AppKind::ReviewApp => resolve_review_app(inputs, &entries, ctx),
    };
    // ENV-11: PROJECT_DIR in the manifest never chooses the manifest (D-3).
    for entry in &entries {
        if entry.name == "PROJECT_DIR" {
            match Code::ManifestProjectDir.severity() {
                Severity::Error => out.counts.errors += 1,
                Severity::Warning => out.counts.warnings += 1,
                Severity::Note => out.counts.notes += 1,
            }
            out.diagnostics.push(at(
                Diagnostic::new(
                    Code::ManifestProjectDir,
                    "`PROJECT_DIR` in the manifest's `env` is applied like any variable but does not change which manifest is read",
                )
                .with_pointer("/env/PROJECT_DIR")
                .with_hint(match ctx.kind {
                    AppKind::ReviewApp => "set `PROJECT_DIR` in the parent app's environment",
                    AppKind::OneClick => "set `PROJECT_DIR` in the one-click form",
                }),
                entry.name_span,
            ));
        }
    }
    crate::diag::sort(&mut out.diagnostics);
    // ENV-15: the PROJECT_DIR finding may take the list over the limit.
    if out.diagnostics.len() > MAX_DIAGNOSTICS {
        let extra = out.diagnostics.split_off(MAX_DIAGNOSTICS);
        out.counts.dropped += extra.len();
    }
    if out.counts.dropped > 0 {
        let note = crate::diag::dropped_note(
            Code::EnvDiagnosticsDropped,
            out.counts,
            out.diagnostics.iter().filter(|d| d.is_error()).count(),
            "environment resolution",
        );
        out.diagnostics.push(note);
    }
    out
}

/// The findings of [`resolve`] that repeat a finding of the manifest check, as (this
/// module's code, the check's code) pairs (rule `SCN-3`): `PROJECT_DIR` in
/// the manifest's `env` (`SM0952` repeats `SM0222`) and an unknown template token of a
/// manifest generator (`SM0900` repeats `SM0217`).
pub const REPORTED_BY_CHECK: [(Code, Code); 2] = [
    (Code::ManifestProjectDir, Code::EnvProjectDir),
    (Code::UnknownTemplateToken, Code::EnvUnknownToken),
];

/// [`resolve`] for a manifest that [`check`](crate::manifest::check) validated, given the
/// findings `check` reported (rule `SCN-3`): a finding `check` already reported at the
/// same pointer (see [`REPORTED_BY_CHECK`]) is not reported again, nor counted. The
/// listed findings and [`EnvOutcome::counts`] are otherwise those of [`resolve`] (the
/// `ENV-15` note, made before, is unchanged).
pub fn resolve_checked(inputs: &EnvInputs, ctx: &EnvContext, check: &[Diagnostic]) -> EnvOutcome {
    let mut out = resolve(inputs, ctx);
    let (repeated, kept): (Vec<Diagnostic>, Vec<Diagnostic>) = std::mem::take(&mut out.diagnostics)
        .into_iter()
        .partition(|d| {
            REPORTED_BY_CHECK.iter().any(|(own, by_check)| {
                d.code == *own
                    && check
                        .iter()
                        .any(|c| c.code == *by_check && c.pointer == d.pointer)
            })
        });
    out.diagnostics = kept;
    let left_out = Counts::of(&repeated);
    out.counts.errors = out.counts.errors.saturating_sub(left_out.errors);
    out.counts.warnings = out.counts.warnings.saturating_sub(left_out.warnings);
    out.counts.notes = out.counts.notes.saturating_sub(left_out.notes);
    out
}

/// The manifest entries that decide (rules `ENV-3`, `ENV-9`): the last entry of each name,
/// in document order. A validated manifest already has unique names (rule `JSON-8`: the
/// last duplicate key wins); for entries given directly, an earlier entry of a repeated
/// name is as if it were not written, so that it can neither leave a value the last entry
/// does not give nor report a `required` the last entry does not have.
fn deciding_entries(env: Option<&[EnvVar]>) -> Vec<&EnvVar> {
    let env = env.unwrap_or_default();
    let mut last: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, e) in env.iter().enumerate() {
        last.insert(e.name.as_str(), i);
    }
    env.iter()
        .enumerate()
        .filter(|(i, e)| last.get(e.name.as_str()) == Some(i))
        .map(|(_, e)| e)
        .collect()
}

/// One-click deploy (rules `ENV-2`..`ENV-6`, `ENV-12`, `ENV-13`, `ENV-14`); `entries` are
/// the deciding manifest entries ([`deciding_entries`]).
fn resolve_one_click(inputs: &EnvInputs, entries: &[&EnvVar], ctx: &EnvContext) -> EnvOutcome {
    let mut diagnostics = Bounded::new(MAX_DIAGNOSTICS);
    if !inputs.parent_env.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Code::InputNotUsed,
                format!(
                    "a one-click deploy has no parent app: the {} parent variable(s) given are ignored",
                    inputs.parent_env.len()
                ),
            )
            .with_pointer("/parent/env"),
        );
    }
    // ENV-6, ENV-12: the usable user values.
    let mut user: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, value) in inputs.user_env {
        if value.is_empty() {
            continue;
        }
        if guard_input(name, value, "/user_env", &mut diagnostics).is_none() {
            user.insert(name.as_str(), value.as_str());
        }
    }
    let mut vars: BTreeMap<String, ResolvedVar> = BTreeMap::new();
    for &entry in entries {
        // ENV-2: a user value beats everything.
        if let Some(v) = user.get(entry.name.as_str()) {
            vars.insert(
                entry.name.to_string(),
                var((*v).to_string(), Origin::User, "ENV-2"),
            );
            continue;
        }
        // ENV-3: the manifest's default.
        let mut generation_failed = false;
        let resolved = match &entry.value {
            EnvValue::Unset | EnvValue::Delete => None,
            EnvValue::Value { value } => Some(var(value.to_string(), Origin::Manifest, "ENV-3")),
            EnvValue::Generator { generator } => {
                match run_generator(entry, generator, ctx, &mut diagnostics) {
                    Some(v) => Some(var(v, generator_origin(generator), "ENV-3")),
                    None => {
                        generation_failed = true;
                        None
                    }
                }
            }
        };
        match resolved {
            Some(r) => {
                vars.insert(entry.name.to_string(), r);
            }
            None => {
                // ENV-4: a required variable must end with a value (a failed generator
                // already has its own error).
                if entry.required && !generation_failed {
                    diagnostics.push(at(
                        Diagnostic::new(
                            Code::RequiredMissing,
                            format!("required variable `{}` has no value", entry.name),
                        )
                        .with_pointer(pointer_push("/env", &entry.name))
                        .with_hint(format!(
                            "fill `{}` in the one-click form, or give it a `value` or a `generator` in the manifest",
                            entry.name
                        )),
                        entry.span,
                    ));
                }
            }
        }
    }
    // ENV-5: user values for names the manifest does not declare.
    let declared: BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    for (name, value) in user {
        if declared.contains(name) {
            continue;
        }
        if inputs.manifest_env.is_some() {
            diagnostics.push(
                Diagnostic::new(
                    Code::UndeclaredUserVar,
                    format!(
                        "`{name}` is not declared in the manifest's `env`; the user's value is set"
                    ),
                )
                .with_pointer(pointer_push("/user_env", name)),
            );
        }
        vars.insert(
            name.to_string(),
            var(value.to_string(), Origin::User, "ENV-5"),
        );
    }
    let (diagnostics, counts) = diagnostics.finish();
    EnvOutcome {
        vars,
        removed: Vec::new(),
        diagnostics,
        counts,
    }
}

/// Review app (rules `ENV-7`..`ENV-10`, `ENV-12`, `ENV-13`, `ENV-14`); `entries` are the
/// deciding manifest entries ([`deciding_entries`]).
fn resolve_review_app(inputs: &EnvInputs, entries: &[&EnvVar], ctx: &EnvContext) -> EnvOutcome {
    let mut diagnostics = Bounded::new(MAX_DIAGNOSTICS);
    if !inputs.user_env.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Code::InputNotUsed,
                format!(
                    "a review app has no one-click form: the {} user value(s) given are ignored",
                    inputs.user_env.len()
                ),
            )
            .with_pointer("/user_env"),
        );
    }
    let mut vars: BTreeMap<String, ResolvedVar> = BTreeMap::new();
    let mut removed: BTreeMap<String, (&'static str, &'static str)> = BTreeMap::new();
    // ENV-7, ENV-8, ENV-12: copy the parent's environment.
    for (name, value) in inputs.parent_env {
        if let Some(reason) = guard_input(name, value, "/parent/env", &mut diagnostics) {
            removed.insert(name.clone(), (reason, "ENV-12"));
            continue;
        }
        if inputs.parent_addon_vars.contains(name) {
            if inputs.copy_parent_database_urls {
                vars.insert(name.clone(), var(value.clone(), Origin::Parent, "ENV-8"));
            } else {
                removed.insert(name.clone(), (REASON_PARENT_ADDON_VAR, "ENV-8"));
            }
            continue;
        }
        vars.insert(name.clone(), var(value.clone(), Origin::Parent, "ENV-7"));
    }
    // ENV-9, ENV-10: the manifest's rules on top.
    for &entry in entries {
        let name = &entry.name;
        match &entry.value {
            EnvValue::Unset => {
                // ENV-10: frame rule, the parent's value stays.
                if let Some(v) = vars.get_mut(name.as_str()) {
                    if v.origin == Origin::Parent {
                        v.rule = "ENV-10".to_string();
                    }
                }
            }
            EnvValue::Delete => {
                if vars.remove(name.as_str()).is_some()
                    && inputs.parent_env.contains_key(name.as_str())
                {
                    removed.insert(name.to_string(), (REASON_DELETED_BY_MANIFEST, "ENV-9"));
                }
            }
            EnvValue::Value { value } => {
                vars.insert(
                    name.to_string(),
                    var(value.to_string(), Origin::Manifest, "ENV-9"),
                );
                removed.remove(name.as_str());
            }
            EnvValue::Generator { generator } => {
                match run_generator(entry, generator, ctx, &mut diagnostics) {
                    Some(v) => {
                        vars.insert(
                            name.to_string(),
                            var(v, generator_origin(generator), "ENV-9"),
                        );
                        removed.remove(name.as_str());
                    }
                    None => {
                        // ENV-13: never fall back to the parent's value.
                        if vars.remove(name.as_str()).is_some()
                            && inputs.parent_env.contains_key(name.as_str())
                        {
                            removed.insert(name.to_string(), (REASON_GENERATION_FAILED, "ENV-13"));
                        }
                    }
                }
            }
        }
    }
    // ENV-16: what the review app inherits that reaches the parent's data.
    for (name, v) in &vars {
        if v.origin != Origin::Parent {
            continue;
        }
        let pointer = pointer_push("/parent/env", name);
        if inputs.parent_addon_vars.contains(name) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ParentAddonVarCopied,
                    format!(
                        "`copy_parent_database_urls` copies the parent's addon variable {}: the review app connects to the parent's addon (its data), not to one of its own",
                        diag::backticked(name)
                    ),
                )
                .with_pointer(pointer)
                .with_hint(
                    "remove `copy_parent_database_urls` (or set it to `false`) so that the review app's own addons provide the variable; Scalingo's review-apps page warns that review apps can reach the parent's data",
                ),
            );
        } else if let Some(sign) = credential_sign(name, &v.value) {
            diagnostics.push(
                Diagnostic::new(
                    Code::InheritedCredential,
                    format!(
                        "the review app inherits {} from its parent: {}",
                        diag::backticked(name),
                        sign.phrase()
                    ),
                )
                .with_pointer(pointer)
                .with_hint(format!(
                    "give review apps their own value with an `env` entry for {} in the manifest (a `value`, a generator, or `null` to delete it), or use a parent app without production credentials",
                    diag::backticked(name)
                )),
            );
        }
    }
    let (diagnostics, counts) = diagnostics.finish();
    EnvOutcome {
        vars,
        removed: removed
            .into_iter()
            .map(|(name, (reason, rule))| RemovedVar {
                name,
                reason: reason.to_string(),
                rule: rule.to_string(),
            })
            .collect(),
        diagnostics,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ENV-16: the signs of a credential, and what outweighs them.
    #[test]
    fn env_16_credential_signs() {
        let sign = credential_sign;
        assert_eq!(
            sign("DATABASE_URL", "postgres://u:p@db/prod"),
            Some(CredentialSign::UrlPassword)
        );
        assert_eq!(
            sign("REDIS_URL", "redis://:pw@h:6379"),
            Some(CredentialSign::UrlPassword)
        );
        assert_eq!(sign("X", "https://user:@h/"), None);
        assert_eq!(sign("X", "https://user@h/"), None);
        assert_eq!(sign("X", "not a url p:w@h"), None);
        assert_eq!(
            sign("MONGO_URL", "mongodb://u:pw@h1:27017,h2:27017/db"),
            Some(CredentialSign::UrlPassword)
        );
        assert_eq!(
            sign("JDBC", "jdbc:postgresql://h/db?user=u&password=pw"),
            Some(CredentialSign::UrlPassword)
        );
        assert_eq!(
            sign("JDBC", "jdbc:postgresql://h/db?user=u&PWD=pw#x"),
            Some(CredentialSign::UrlPassword)
        );
        assert_eq!(sign("X", "https://h/db?password="), None);
        assert_eq!(sign("X", "https://h/p@th:x"), None);
        assert_eq!(sign("X", "https://h/?q=a:b@c"), None);
        assert_eq!(
            sign("STRIPE_SECRET_KEY", "sk"),
            Some(CredentialSign::NameWord("SECRET"))
        );
        assert_eq!(
            sign("github_token", ""),
            Some(CredentialSign::NameWord("TOKEN"))
        );
        assert_eq!(
            sign("SENTRY_DSN", "https://k@o.ingest.sentry.io/1"),
            Some(CredentialSign::NameWord("DSN"))
        );
        assert_eq!(sign("STRIPE_PUBLISHABLE_KEY", "pk"), None);
        assert_eq!(sign("PUBLIC_KEY", "k"), None);
        assert_eq!(
            sign("PUBLIC_DB", "postgres://u:p@h/d"),
            Some(CredentialSign::UrlPassword)
        );
        assert_eq!(sign("MONKEY", "x"), None);
        assert_eq!(sign("TOKENS_PER_PAGE", "10"), None);
        assert_eq!(sign("__KEY__", "x"), Some(CredentialSign::NameWord("KEY")));
        assert_eq!(
            CredentialSign::NameWord("KEY").phrase(),
            "its name says `KEY`"
        );
    }

    /// ENV-16: each inherited variable that reaches the parent's data gets one warning; what
    /// the manifest replaces gets none; an addon variable copied by
    /// `copy_parent_database_urls` gets SM0960 and not SM0959.
    #[test]
    fn env_16_inherited_credentials_are_reported_once_each() {
        let parent: BTreeMap<String, String> = [
            ("DATABASE_URL", "postgres://u:p@db/prod"),
            ("SCALINGO_POSTGRESQL_URL", "postgres://u:p@db/prod"),
            ("API_TOKEN", "t"),
            ("MAILER_PASSWORD", "m"),
            ("LANG", "fr"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let addon_vars: BTreeSet<String> = ["SCALINGO_POSTGRESQL_URL".to_string()].into();
        let manifest = crate::manifest::check(
            br#"{"env": {"MAILER_PASSWORD": {"generator": "secret"}, "API_TOKEN": {}}}"#,
            crate::platform::test_day(),
        )
        .manifest
        .expect("a manifest");
        let empty = BTreeMap::new();
        let ctx = EnvContext {
            kind: AppKind::ReviewApp,
            seed: Some(1),
            template: TemplateContext {
                app: "a-pr1".to_string(),
                url: "https://a-pr1.osc-fr1.scalingo.io".to_string(),
                parent_app: Some("a".to_string()),
                pr_number: Some(1),
            },
        };
        let findings = |copy: bool| -> Vec<(Code, String)> {
            let inputs = EnvInputs {
                manifest_env: manifest.env.as_deref(),
                parent_env: &parent,
                parent_addon_vars: &addon_vars,
                copy_parent_database_urls: copy,
                user_env: &empty,
            };
            resolve(&inputs, &ctx)
                .diagnostics
                .into_iter()
                .map(|d| (d.code, d.pointer))
                .collect()
        };
        let w = |code, name: &str| (code, format!("/parent/env/{name}"));
        assert_eq!(
            findings(false),
            [
                w(Code::InheritedCredential, "API_TOKEN"),
                w(Code::InheritedCredential, "DATABASE_URL")
            ]
        );
        assert_eq!(
            findings(true),
            [
                w(Code::InheritedCredential, "API_TOKEN"),
                w(Code::InheritedCredential, "DATABASE_URL"),
                w(Code::ParentAddonVarCopied, "SCALINGO_POSTGRESQL_URL"),
            ]
        );
    }

    /// ENV-15: over 1000 findings, the first 1000 in canonical order are listed, then one
    /// finding with the exact counts; the counts cover every finding.
    #[test]
    fn env_15_at_most_a_thousand_findings_then_the_counts() {
        let parent: BTreeMap<String, String> = (0..1001)
            .map(|i| (format!("{i}x"), "v".to_string()))
            .collect();
        let empty = BTreeMap::new();
        let none = BTreeSet::new();
        let inputs = EnvInputs {
            manifest_env: None,
            parent_env: &parent,
            parent_addon_vars: &none,
            copy_parent_database_urls: false,
            user_env: &empty,
        };
        let ctx = EnvContext {
            kind: AppKind::ReviewApp,
            seed: Some(1),
            template: TemplateContext {
                app: "my-app-pr1".to_string(),
                url: "https://my-app-pr1.osc-fr1.scalingo.io".to_string(),
                parent_app: Some("my-app".to_string()),
                pr_number: Some(1),
            },
        };
        let o = resolve(&inputs, &ctx);
        assert_eq!(o.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!((o.counts.errors, o.counts.dropped), (1001, 1));
        let last = o.diagnostics.last().expect("findings");
        assert_eq!(
            (last.code, last.is_error()),
            (Code::EnvDiagnosticsDropped, true)
        );
        assert_eq!(
            last.message,
            "1 more diagnostics were dropped (1 of them errors): at most 1000 are listed per environment resolution; in all 1001 errors, 0 warnings, 0 notes"
        );
        // The listed ones are the first 1000 of all of them in canonical order.
        let mut all: Vec<Diagnostic> = Vec::new();
        for (name, value) in &parent {
            let mut b = Bounded::new(usize::MAX);
            guard_input(name, value, "/parent/env", &mut b);
            all.extend(b.finish().0);
        }
        crate::diag::sort(&mut all);
        assert_eq!(&o.diagnostics[..MAX_DIAGNOSTICS], &all[..MAX_DIAGNOSTICS]);
        assert_eq!(o.removed.len(), 1001);
    }
    use crate::generate::app_url;
    use crate::manifest::Generator;
    use crate::text::Span;

    fn entry(name: &str, value: EnvValue, required: bool) -> EnvVar {
        EnvVar {
            name: name.into(),
            name_span: Span::point(0),
            span: Span::point(0),
            description: None,
            value,
            required,
        }
    }

    fn val(v: &str) -> EnvValue {
        EnvValue::Value { value: v.into() }
    }

    fn gen(g: Generator) -> EnvValue {
        EnvValue::Generator { generator: g }
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn one_click(seed: Option<u64>) -> EnvContext {
        EnvContext {
            kind: AppKind::OneClick,
            seed,
            template: TemplateContext {
                app: "my-app".into(),
                url: app_url("my-app", "osc-fr1").expect("a valid app URL"),
                parent_app: None,
                pr_number: None,
            },
        }
    }

    fn review(seed: Option<u64>) -> EnvContext {
        EnvContext {
            kind: AppKind::ReviewApp,
            seed,
            template: TemplateContext {
                app: "my-app-pr10".into(),
                url: app_url("my-app-pr10", "osc-fr1").expect("a valid app URL"),
                parent_app: Some("my-app".into()),
                pr_number: Some(10),
            },
        }
    }

    struct Owned {
        manifest: Option<Vec<EnvVar>>,
        parent: BTreeMap<String, String>,
        addon_vars: BTreeSet<String>,
        copy: bool,
        user: BTreeMap<String, String>,
    }

    impl Owned {
        fn new(manifest: Option<Vec<EnvVar>>) -> Self {
            Owned {
                manifest,
                parent: BTreeMap::new(),
                addon_vars: BTreeSet::new(),
                copy: false,
                user: BTreeMap::new(),
            }
        }
        fn inputs(&self) -> EnvInputs<'_> {
            EnvInputs {
                manifest_env: self.manifest.as_deref(),
                parent_env: &self.parent,
                parent_addon_vars: &self.addon_vars,
                copy_parent_database_urls: self.copy,
                user_env: &self.user,
            }
        }
        fn resolve(&self, ctx: &EnvContext) -> EnvOutcome {
            resolve(&self.inputs(), ctx)
        }
    }

    fn values(o: &EnvOutcome) -> Vec<(&str, &str, Origin, &str)> {
        o.vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.value.as_str(), v.origin, v.rule.as_str()))
            .collect()
    }

    fn codes(o: &EnvOutcome) -> Vec<&str> {
        o.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    fn removed(o: &EnvOutcome) -> Vec<(&str, &str, &str)> {
        o.removed
            .iter()
            .map(|r| (r.name.as_str(), r.reason.as_str(), r.rule.as_str()))
            .collect()
    }

    /// The documented example of the Scalingo manifest page (seed 001), one-click.
    #[test]
    fn env3_doc_example_one_click() {
        let o = Owned::new(Some(vec![
            entry("ENVIRONMENT", val("staging"), false),
            entry(
                "ADMIN_URL",
                gen(Generator::Url {
                    template: Some("%URL%/admin".into()),
                }),
                false,
            ),
            entry("SECRET_KEY", gen(Generator::Secret), false),
        ]))
        .resolve(&one_click(Some(0)));
        assert_eq!(
            values(&o),
            [
                (
                    "ADMIN_URL",
                    "https://my-app.osc-fr1.scalingo.io/admin",
                    Origin::Url,
                    "ENV-3"
                ),
                ("ENVIRONMENT", "staging", Origin::Manifest, "ENV-3"),
                (
                    "SECRET_KEY",
                    "cfaee90bad89982c0ac6b093bcd5b51f",
                    Origin::Secret,
                    "ENV-3"
                ),
            ]
        );
        assert!(o.removed.is_empty());
        assert!(o.diagnostics.is_empty());
    }

    /// ENV-2: a user value beats a value, a generator, a delete and an unset entry.
    #[test]
    fn env2_user_beats_manifest() {
        let mut inp = Owned::new(Some(vec![
            entry("A", val("default"), false),
            entry("B", gen(Generator::Secret), true),
            entry("C", EnvValue::Delete, false),
            entry("D", EnvValue::Unset, true),
            entry(
                "E",
                gen(Generator::Template {
                    template: "%PR_NUMBER%".into(),
                }),
                false,
            ),
        ]));
        inp.user = map(&[("A", "a"), ("B", "b"), ("C", "c"), ("D", "d"), ("E", "e")]);
        let o = inp.resolve(&one_click(None));
        assert_eq!(
            values(&o),
            [
                ("A", "a", Origin::User, "ENV-2"),
                ("B", "b", Origin::User, "ENV-2"),
                ("C", "c", Origin::User, "ENV-2"),
                ("D", "d", Origin::User, "ENV-2"),
                ("E", "e", Origin::User, "ENV-2"),
            ]
        );
        // The generator was not run: no SM0901 for %PR_NUMBER%.
        assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    }

    /// ENV-3: Delete and Unset set nothing; generators give their shapes.
    #[test]
    fn env3_manifest_defaults() {
        let o = Owned::new(Some(vec![
            entry("DEL", EnvValue::Delete, false),
            entry("UNSET", EnvValue::Unset, false),
            entry("U", gen(Generator::Url { template: None }), false),
            entry(
                "T",
                gen(Generator::Template {
                    template: "%APP%-%PARENT_APP%".into(),
                }),
                false,
            ),
            entry("S", gen(Generator::Secret), false),
        ]))
        .resolve(&one_click(None));
        let v = values(&o);
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].0, "S");
        assert_eq!(v[0].1.len(), 32);
        assert!(v[0]
            .1
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!((v[0].2, v[0].3), (Origin::Secret, "ENV-3"));
        assert_eq!(v[1], ("T", "my-app-", Origin::Template, "ENV-3"));
        assert_eq!(
            v[2],
            (
                "U",
                "https://my-app.osc-fr1.scalingo.io",
                Origin::Url,
                "ENV-3"
            )
        );
        assert_eq!(codes(&o), ["SM0901"]);
        assert_eq!(o.diagnostics[0].pointer, "/env/T/template");
    }

    /// ENV-4: required without value is an error per variable; a generator or default
    /// satisfies it; review apps do not enforce it.
    #[test]
    fn env4_required() {
        let manifest = vec![
            entry("NEEDED", EnvValue::Unset, true),
            entry("GONE", EnvValue::Delete, true),
            entry("HAS_DEFAULT", val("x"), true),
            entry("HAS_GEN", gen(Generator::Secret), true),
            entry("OPTIONAL", EnvValue::Unset, false),
        ];
        let mut inp = Owned::new(Some(manifest));
        inp.user = map(&[("NEEDED", "")]);
        let o = inp.resolve(&one_click(Some(1)));
        assert_eq!(codes(&o), ["SM0950", "SM0950"]);
        let ptrs: Vec<_> = o.diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/env/GONE", "/env/NEEDED"]);
        assert_eq!(o.diagnostics[1].severity, Severity::Error);
        assert_eq!(o.diagnostics[1].rule(), "ENV-4");
        assert!(o.diagnostics[1]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("one-click form")));
        assert_eq!(
            o.vars.keys().map(String::as_str).collect::<Vec<_>>(),
            ["HAS_DEFAULT", "HAS_GEN"]
        );
        // Filled in: no error.
        inp.user = map(&[("NEEDED", "n"), ("GONE", "g")]);
        assert!(inp.resolve(&one_click(Some(1))).diagnostics.is_empty());
        // Review app: not enforced.
        inp.user.clear();
        assert!(inp.resolve(&review(Some(1))).diagnostics.is_empty());
    }

    /// ENV-5: undeclared user values are set with a note (none without a manifest env).
    #[test]
    fn env5_undeclared_user_values() {
        let mut inp = Owned::new(Some(vec![entry("A", val("x"), false)]));
        inp.user = map(&[("EXTRA", "1")]);
        let o = inp.resolve(&one_click(None));
        assert_eq!(
            values(&o),
            [
                ("A", "x", Origin::Manifest, "ENV-3"),
                ("EXTRA", "1", Origin::User, "ENV-5")
            ]
        );
        assert_eq!(codes(&o), ["SM0951"]);
        assert_eq!(o.diagnostics[0].pointer, "/user_env/EXTRA");
        assert_eq!(o.diagnostics[0].severity, Severity::Note);
        let mut inp = Owned::new(None);
        inp.user = map(&[("EXTRA", "1")]);
        let o = inp.resolve(&one_click(None));
        assert_eq!(values(&o), [("EXTRA", "1", Origin::User, "ENV-5")]);
        assert!(o.diagnostics.is_empty());
    }

    /// ENV-6: an empty user value is "not given".
    #[test]
    fn env6_empty_user_value_is_not_given() {
        let mut inp = Owned::new(Some(vec![entry("A", val("default"), false)]));
        inp.user = map(&[("A", ""), ("UNDECLARED", "")]);
        let o = inp.resolve(&one_click(None));
        assert_eq!(values(&o), [("A", "default", Origin::Manifest, "ENV-3")]);
        assert!(o.diagnostics.is_empty());
    }

    /// ENV-7, ENV-10: the parent env is copied; what the manifest does not name, or names
    /// without value, keeps the parent's value (frame rule).
    #[test]
    fn env7_env10_frame_rule() {
        let mut inp = Owned::new(Some(vec![
            entry("KEPT", EnvValue::Unset, true),
            entry("NEW_UNSET", EnvValue::Unset, false),
        ]));
        inp.parent = map(&[("KEPT", "k"), ("UNTOUCHED", "u")]);
        let o = inp.resolve(&review(None));
        assert_eq!(
            values(&o),
            [
                ("KEPT", "k", Origin::Parent, "ENV-10"),
                ("UNTOUCHED", "u", Origin::Parent, "ENV-7"),
            ]
        );
        assert!(o.removed.is_empty());
        assert!(o.diagnostics.is_empty());
        // No manifest at all: a clone of the parent (D-1).
        let mut inp = Owned::new(None);
        inp.parent = map(&[("A", "1"), ("B", "2")]);
        let o = inp.resolve(&review(None));
        assert_eq!(
            values(&o),
            [
                ("A", "1", Origin::Parent, "ENV-7"),
                ("B", "2", Origin::Parent, "ENV-7")
            ]
        );
    }

    /// ENV-8: parent addon variables are dropped unless copy_parent_database_urls.
    #[test]
    fn env8_parent_addon_vars() {
        let mut inp = Owned::new(None);
        inp.parent = map(&[
            ("SCALINGO_POSTGRESQL_URL", "postgres://prod"),
            ("DATABASE_URL", "postgres://prod"),
            ("OTHER", "o"),
        ]);
        inp.addon_vars = set(&["SCALINGO_POSTGRESQL_URL", "NOT_IN_PARENT"]);
        let o = inp.resolve(&review(None));
        assert_eq!(
            values(&o),
            [
                ("DATABASE_URL", "postgres://prod", Origin::Parent, "ENV-7"),
                ("OTHER", "o", Origin::Parent, "ENV-7"),
            ]
        );
        assert_eq!(
            removed(&o),
            [("SCALINGO_POSTGRESQL_URL", "parent-addon-var", "ENV-8")]
        );
        inp.copy = true;
        let o = inp.resolve(&review(None));
        assert_eq!(
            o.vars.get("SCALINGO_POSTGRESQL_URL").map(|v| (
                v.value.as_str(),
                v.origin,
                v.rule.as_str()
            )),
            Some(("postgres://prod", Origin::Parent, "ENV-8"))
        );
        assert!(o.removed.is_empty());
    }

    /// ENV-9: the manifest wins over the parent: delete, value, generator; an addon var
    /// re-set by the manifest leaves `removed`.
    #[test]
    fn env9_manifest_on_top_of_parent() {
        let mut inp = Owned::new(Some(vec![
            entry("DEL", EnvValue::Delete, false),
            entry("DEL_ABSENT", EnvValue::Delete, false),
            entry("OVER", val("review"), false),
            entry("SECRET", gen(Generator::Secret), false),
            entry(
                "HOST",
                gen(Generator::Template {
                    template: "%PARENT_APP%/%PR_NUMBER%/%APP%".into(),
                }),
                false,
            ),
            entry("SCALINGO_REDIS_URL", val("redis://own"), false),
            entry("SCALINGO_PG_URL", EnvValue::Delete, false),
        ]));
        inp.parent = map(&[
            ("DEL", "d"),
            ("OVER", "prod"),
            ("SECRET", "prod-secret"),
            ("SCALINGO_REDIS_URL", "redis://prod"),
            ("SCALINGO_PG_URL", "pg://prod"),
        ]);
        inp.addon_vars = set(&["SCALINGO_REDIS_URL", "SCALINGO_PG_URL"]);
        let o = inp.resolve(&review(Some(42)));
        assert_eq!(
            values(&o),
            [
                ("HOST", "my-app/10/my-app-pr10", Origin::Template, "ENV-9"),
                ("OVER", "review", Origin::Manifest, "ENV-9"),
                (
                    "SCALINGO_REDIS_URL",
                    "redis://own",
                    Origin::Manifest,
                    "ENV-9"
                ),
                ("SECRET", &secret_of(42, "SECRET"), Origin::Secret, "ENV-9"),
            ]
        );
        assert_eq!(
            removed(&o),
            [
                ("DEL", "deleted-by-manifest", "ENV-9"),
                ("SCALINGO_PG_URL", "parent-addon-var", "ENV-8"),
            ]
        );
        assert!(o.diagnostics.is_empty());
    }

    fn secret_of(seed: u64, name: &str) -> String {
        generate::secret(seed, name)
    }

    /// ENV-11: PROJECT_DIR in the manifest applies but warns.
    #[test]
    fn env11_project_dir_warning() {
        let mut inp = Owned::new(Some(vec![entry("PROJECT_DIR", val("api"), false)]));
        inp.parent = map(&[("PROJECT_DIR", "web")]);
        let o = inp.resolve(&review(None));
        assert_eq!(
            values(&o),
            [("PROJECT_DIR", "api", Origin::Manifest, "ENV-9")]
        );
        assert_eq!(codes(&o), ["SM0952"]);
        assert_eq!(o.diagnostics[0].pointer, "/env/PROJECT_DIR");
        assert_eq!(o.diagnostics[0].rule(), "ENV-11");
        inp.parent.clear();
        let o = inp.resolve(&one_click(None));
        assert_eq!(
            values(&o),
            [("PROJECT_DIR", "api", Origin::Manifest, "ENV-3")]
        );
        assert_eq!(codes(&o), ["SM0952"]);
    }

    /// ENV-11, SCN-3: after the check, PROJECT_DIR is reported once, by the check's
    /// SM0222; without the check's finding at the same pointer, SM0952 stays.
    #[test]
    fn env11_resolve_checked_leaves_out_what_the_check_reported() {
        let inp = Owned::new(Some(vec![entry("PROJECT_DIR", val("api"), false)]));
        let by_check = Diagnostic::new(Code::EnvProjectDir, "x").with_pointer("/env/PROJECT_DIR");
        let o = resolve_checked(
            &inp.inputs(),
            &one_click(None),
            std::slice::from_ref(&by_check),
        );
        assert!(codes(&o).is_empty());
        assert_eq!(o.counts.warnings, 0);
        assert_eq!(o.vars, inp.resolve(&one_click(None)).vars);
        let elsewhere = by_check.with_pointer("/env/OTHER");
        let o = resolve_checked(&inp.inputs(), &one_click(None), &[elsewhere]);
        assert_eq!(codes(&o), ["SM0952"]);
        assert_eq!(o.counts.warnings, 1);
    }

    /// ENV-12: invalid names and too-long values of user and parent variables.
    #[test]
    fn env12_input_guards() {
        let long = "v".repeat(MAX_ENV_VALUE_CHARS + 1);
        let mut inp = Owned::new(Some(vec![entry("A", val("default"), false)]));
        inp.user = map(&[
            ("A", long.as_str()),
            ("BAD NAME", "x"),
            ("_X", "x"),
            ("9X", "x"),
            ("OK", "y"),
        ]);
        let o = inp.resolve(&one_click(None));
        // The skipped user value of A lets the manifest default apply.
        assert_eq!(
            values(&o),
            [
                ("A", "default", Origin::Manifest, "ENV-3"),
                ("OK", "y", Origin::User, "ENV-5")
            ]
        );
        let got: Vec<_> = o
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.pointer.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("SM0951", "/user_env/OK"),
                ("SM0953", "/user_env/9X"),
                ("SM0953", "/user_env/BAD NAME"),
                ("SM0953", "/user_env/_X"),
                ("SM0954", "/user_env/A"),
            ]
        );
        assert!(o.diagnostics[2].message.contains("it contains a space"));

        let mut inp = Owned::new(None);
        inp.parent = map(&[("GOOD", "g"), ("a-b", "x"), ("LONG", long.as_str())]);
        let o = inp.resolve(&review(None));
        assert_eq!(values(&o), [("GOOD", "g", Origin::Parent, "ENV-7")]);
        assert_eq!(
            removed(&o),
            [
                ("LONG", "value-too-long", "ENV-12"),
                ("a-b", "invalid-name", "ENV-12")
            ]
        );
        assert_eq!(codes(&o), ["SM0953", "SM0954"]);
        // Exactly at the limit is fine.
        let mut inp = Owned::new(None);
        inp.parent = map(&[("EDGE", &"é".repeat(MAX_ENV_VALUE_CHARS))]);
        assert!(inp.resolve(&review(None)).diagnostics.is_empty());
    }

    #[test]
    fn env12_name_problem() {
        assert_eq!(name_problem("SECRET_KEY_2"), None);
        assert_eq!(name_problem("a"), None);
        assert_eq!(name_problem(&"A".repeat(64)), None);
        assert_eq!(
            name_problem(&"A".repeat(65)).as_deref(),
            Some("it is 65 characters long, more than 64")
        );
        assert_eq!(name_problem("").as_deref(), Some("it is empty"));
        assert_eq!(name_problem("_A").as_deref(), Some("it starts with `_`"));
        assert_eq!(
            name_problem("1A").as_deref(),
            Some("it starts with a digit")
        );
        assert_eq!(name_problem("A B").as_deref(), Some("it contains a space"));
        assert_eq!(name_problem("A-B").as_deref(), Some("it contains `-`"));
        assert_eq!(name_problem("É").as_deref(), Some("it contains `É`"));
        assert_eq!(name_problem("A\nB").as_deref(), Some("it contains `\\n`"));
    }

    /// ENV-13: a failing generator sets nothing and never falls back to the parent.
    #[test]
    fn env13_generation_failure() {
        let huge = Generator::Template {
            template: "%APP%".repeat(7000).into(),
        };
        let mut inp = Owned::new(Some(vec![entry("BIG", gen(huge), true)]));
        let o = inp.resolve(&one_click(Some(1)));
        assert!(o.vars.is_empty());
        // Only the generator's error, not also SM0950.
        assert_eq!(codes(&o), ["SM0902"]);
        assert_eq!(o.diagnostics[0].pointer, "/env/BIG/template");
        inp.parent = map(&[("BIG", "parent")]);
        let o = inp.resolve(&review(Some(1)));
        assert!(o.vars.is_empty());
        assert_eq!(removed(&o), [("BIG", "generation-failed", "ENV-13")]);
        assert_eq!(codes(&o), ["SM0902"]);
        // A parent addon variable that was not copied (ENV-8) keeps its reason: the
        // failing generator removed nothing.
        inp.addon_vars = ["BIG".to_string()].into_iter().collect();
        let o = inp.resolve(&review(Some(1)));
        assert!(o.vars.is_empty());
        assert_eq!(removed(&o), [("BIG", "parent-addon-var", "ENV-8")]);
    }

    /// ENV-14: inputs of the other app kind are ignored with one warning each.
    #[test]
    fn env14_inputs_not_used() {
        let mut inp = Owned::new(None);
        inp.parent = map(&[("P", "p")]);
        let o = inp.resolve(&one_click(None));
        assert!(o.vars.is_empty());
        assert_eq!(codes(&o), ["SM0955"]);
        assert_eq!(o.diagnostics[0].pointer, "/parent/env");
        let mut inp = Owned::new(None);
        inp.user = map(&[("U", "u"), ("V", "v")]);
        let o = inp.resolve(&review(None));
        assert!(o.vars.is_empty());
        assert_eq!(codes(&o), ["SM0955"]);
        assert_eq!(o.diagnostics[0].pointer, "/user_env");
        assert!(o.diagnostics[0].message.contains("2 user value"));
    }

    /// ENV-1: determinism with a seed; secrets independent of other variables (GEN-1).
    #[test]
    fn env1_determinism_and_secret_independence() {
        let mut a = Owned::new(Some(vec![
            entry("S1", gen(Generator::Secret), false),
            entry("S2", gen(Generator::Secret), false),
        ]));
        a.parent = map(&[("X", "1")]);
        let first = a.resolve(&review(Some(9)));
        assert_eq!(first, a.resolve(&review(Some(9))));
        let b = Owned::new(Some(vec![entry("S2", gen(Generator::Secret), false)]));
        let only = b.resolve(&one_click(Some(9)));
        assert_eq!(
            only.vars.get("S2").map(|v| &v.value),
            first.vars.get("S2").map(|v| &v.value)
        );
        assert_ne!(
            first.vars.get("S1").map(|v| &v.value),
            first.vars.get("S2").map(|v| &v.value)
        );
        let other_seed = a.resolve(&review(Some(10)));
        assert_ne!(
            first.vars.get("S1").map(|v| &v.value),
            other_seed.vars.get("S1").map(|v| &v.value)
        );
    }

    /// ENV-1: the documented JSON shape.
    #[test]
    fn env1_json_shape() {
        let mut inp = Owned::new(Some(vec![entry("DEL", EnvValue::Delete, false)]));
        inp.parent = map(&[("DEL", "x"), ("K", "v")]);
        let o = inp.resolve(&review(None));
        let json = serde_json::to_string(&o).expect("json");
        assert_eq!(
            json,
            r#"{"vars":{"K":{"value":"v","origin":"parent","rule":"ENV-7"}},"removed":[{"name":"DEL","reason":"deleted-by-manifest","rule":"ENV-9"}],"diagnostics":[],"counts":{"errors":0,"warnings":0,"notes":0,"dropped":0}}"#
        );
        let back: EnvOutcome = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, o);
        for (o, s) in [
            (Origin::Parent, "\"parent\""),
            (Origin::Manifest, "\"manifest\""),
            (Origin::User, "\"user\""),
            (Origin::Secret, "\"secret\""),
            (Origin::Url, "\"url\""),
            (Origin::Template, "\"template\""),
        ] {
            assert_eq!(serde_json::to_string(&o).expect("json"), s);
        }
        let ctx = serde_json::to_string(&review(Some(1))).expect("json");
        assert!(ctx.starts_with(r#"{"kind":"review-app","seed":1,"template":{"#));
        let inputs = serde_json::to_string(&inp.inputs()).expect("json");
        assert!(inputs.contains(r#""parent_env":{"DEL":"x","K":"v"}"#));
        assert!(inputs.contains(r#""copy_parent_database_urls":false"#));
    }

    /// Duplicate manifest entries: the last one wins (one-click and review app).
    #[test]
    fn duplicate_entries_last_wins() {
        let mut inp = Owned::new(Some(vec![
            entry("A", val("first"), false),
            entry("A", EnvValue::Delete, false),
        ]));
        assert!(inp.resolve(&one_click(None)).vars.is_empty());
        inp.parent = map(&[("A", "p")]);
        let o = inp.resolve(&review(None));
        assert!(o.vars.is_empty());
        assert_eq!(removed(&o), [("A", "deleted-by-manifest", "ENV-9")]);
    }

    /// ENV-3, ENV-4: an earlier entry of a repeated name is as if it were not written: its
    /// `required` is not reported when the last entry is not required or has a value
    /// (found by `tests/prop_env.rs`, `env_3_one_click_repeated_names_last_entry_wins`).
    #[test]
    fn duplicate_entries_earlier_required_is_not_reported() {
        let o = Owned::new(Some(vec![
            entry("A", EnvValue::Unset, true),
            entry("A", EnvValue::Unset, false),
        ]))
        .resolve(&one_click(Some(0)));
        assert!(o.vars.is_empty());
        assert_eq!(codes(&o), Vec::<&str>::new());

        let o = Owned::new(Some(vec![
            entry("A", EnvValue::Unset, true),
            entry("A", val("x"), false),
        ]))
        .resolve(&one_click(Some(0)));
        assert_eq!(values(&o), [("A", "x", Origin::Manifest, "ENV-3")]);
        assert_eq!(codes(&o), Vec::<&str>::new());

        // The last entry's `required` still counts.
        let o = Owned::new(Some(vec![
            entry("A", val("x"), false),
            entry("A", EnvValue::Unset, true),
        ]))
        .resolve(&one_click(Some(0)));
        assert!(o.vars.is_empty());
        assert_eq!(codes(&o), ["SM0950"]);
    }

    /// ENV-9, ENV-10: in a review app, a last entry without value keeps the parent's value
    /// (or sets nothing), whatever an earlier entry of the same name said (found by
    /// `tests/prop_env.rs`, `env_9_review_app_repeated_names_last_entry_wins`).
    #[test]
    fn duplicate_entries_last_unset_keeps_the_parent() {
        let mut inp = Owned::new(Some(vec![
            entry("A", val("0"), false),
            entry("A", EnvValue::Unset, false),
        ]));
        let o = inp.resolve(&review(Some(0)));
        assert!(o.vars.is_empty());
        assert!(o.removed.is_empty());
        inp.parent = map(&[("A", "p")]);
        let o = inp.resolve(&review(Some(0)));
        assert_eq!(values(&o), [("A", "p", Origin::Parent, "ENV-10")]);
        assert!(o.removed.is_empty());

        // An earlier delete does not remove what the last entry keeps.
        let o = Owned {
            manifest: Some(vec![
                entry("A", EnvValue::Delete, false),
                entry("A", EnvValue::Unset, false),
            ]),
            ..inp
        }
        .resolve(&review(Some(0)));
        assert_eq!(values(&o), [("A", "p", Origin::Parent, "ENV-10")]);
        assert!(o.removed.is_empty());
    }

    #[test]
    fn long_names_are_shortened_in_messages() {
        let name = "-".repeat(1000);
        let mut inp = Owned::new(None);
        inp.user = map(&[(name.as_str(), "x")]);
        let o = inp.resolve(&one_click(None));
        assert_eq!(codes(&o), ["SM0953"]);
        assert!(o.diagnostics[0].message.len() < 200);
        assert_eq!(crate::diag::cut("abc", 80, "..."), "abc");
        assert_eq!(
            crate::diag::cut(&"é".repeat(81), 80, "..."),
            format!("{}...", "é".repeat(80))
        );
    }

    /// Frame-rule invariants over every combination of 3 parent variables, each either an
    /// addon variable or not, each named by the manifest in one of 5 ways (absent, unset,
    /// delete, value, generator), with and without copy_parent_database_urls.
    #[test]
    fn review_app_invariants_exhaustive() {
        let names = ["A", "B", "C"];
        let parent = map(&[("A", "pa"), ("B", "pb"), ("C", "pc")]);
        for mask in 0..8u32 {
            let addon: BTreeSet<String> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, n)| n.to_string())
                .collect();
            for combo in 0..125u32 {
                let mut manifest = Vec::new();
                let mut how = [0u32; 3];
                for (i, n) in names.iter().enumerate() {
                    how[i] = (combo / 5u32.pow(i as u32)) % 5;
                    match how[i] {
                        0 => {}
                        1 => manifest.push(entry(n, EnvValue::Unset, false)),
                        2 => manifest.push(entry(n, EnvValue::Delete, false)),
                        3 => manifest.push(entry(n, val("m"), false)),
                        _ => manifest.push(entry(n, gen(Generator::Secret), false)),
                    }
                }
                for copy in [false, true] {
                    let mut inp = Owned::new(Some(manifest.clone()));
                    inp.parent = parent.clone();
                    inp.addon_vars = addon.clone();
                    inp.copy = copy;
                    let o = inp.resolve(&review(Some(5)));
                    // Only ENV-16's findings: a copied addon variable (SM0960).
                    assert!(o.diagnostics.iter().all(|d| copy
                        && d.code == Code::ParentAddonVarCopied
                        && addon
                            .iter()
                            .any(|a| d.pointer == format!("/parent/env/{a}"))));
                    for (i, n) in names.iter().enumerate() {
                        let in_vars = o.vars.get(*n);
                        let in_removed = o.removed.iter().filter(|r| r.name == *n).count();
                        // Every parent variable is in exactly one of vars / removed.
                        assert_eq!(usize::from(in_vars.is_some()) + in_removed, 1);
                        let dropped_addon = addon.contains(*n) && !copy;
                        let expect = match how[i] {
                            0 | 1 if dropped_addon => None,
                            0 | 1 => Some((format!("p{}", n.to_lowercase()), Origin::Parent)),
                            2 => None,
                            3 => Some(("m".to_string(), Origin::Manifest)),
                            _ => Some((generate::secret(5, n), Origin::Secret)),
                        };
                        assert_eq!(in_vars.map(|v| (v.value.clone(), v.origin)), expect);
                    }
                }
            }
        }
    }

    /// ENV-1: diagnostics about manifest entries carry the entry's span (the key's for
    /// SM0952), no line or column; input diagnostics carry none.
    #[test]
    fn env1_manifest_diagnostics_carry_spans() {
        let mut needed = entry("NEEDED", EnvValue::Unset, true);
        needed.span = Span::new(10, 20);
        let mut tpl = entry(
            "T",
            gen(Generator::Template {
                template: "%PR_NUMBER%".into(),
            }),
            false,
        );
        tpl.span = Span::new(30, 60);
        let mut pd = entry("PROJECT_DIR", val("api"), false);
        pd.name_span = Span::new(70, 83);
        pd.span = Span::new(85, 100);
        let mut inp = Owned::new(Some(vec![needed, tpl, pd]));
        inp.user = map(&[("BAD-NAME", "x")]);
        let o = inp.resolve(&one_click(None));
        let got: Vec<_> = o
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.pointer.as_str(), d.span, d.line))
            .collect();
        assert_eq!(
            got,
            [
                ("SM0950", "/env/NEEDED", Some(Span::new(10, 20)), None),
                ("SM0901", "/env/T/template", Some(Span::new(30, 60)), None),
                ("SM0952", "/env/PROJECT_DIR", Some(Span::new(70, 83)), None),
                ("SM0953", "/user_env/BAD-NAME", None, None),
            ]
        );
    }
}
