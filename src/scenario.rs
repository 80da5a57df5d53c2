//! `scenario`: all the inputs of one deploy, and the one function [`resolve`] that composes
//! every module into an [`Outcome`] (rules `SCN-*`, `spec/scenario.md`).
//!
//! Data flows one way: the request picks the repository (`source`), the file tree and
//! `PROJECT_DIR` pick the manifest and Procfile (`locate`), their bytes are checked
//! (`manifest`, `procfile`), then the environment, addons, formation and hooks are resolved
//! (`env`, `generate`, `addons`, `formation`, `hooks`). Every step is a pure function; the
//! only impurity is OS entropy for secrets when the scenario has no `seed`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::addons::{self, ParentAddon, ProvisionedAddon};
use crate::diag::{self, excerpt, Code, Diagnostic, Severity};
use crate::env::{self, EnvContext, EnvInputs, RemovedVar, ResolvedVar};
use crate::firewall::{self, FirewallSection, ParentFirewallRule};
use crate::formation::{self, ProcessFormation, ResolvedProcess};
use crate::generate::{self, TemplateContext};
use crate::hooks::{self, AttemptOutcome, HookScripts};
use crate::locate;
use crate::manifest::{self, Manifest};
use crate::platform::{self, Date};
use crate::procfile;
use crate::source::{self, GitHubRepo, OneClickRequest, RefOrigin, SourceInput};
use crate::text::LineIndex;
use crate::AppKind;

/// Most diagnostics an outcome lists (rule `SCN-LIM-2`); the others are counted in one
/// last finding, [`Code::ScenarioDiagnosticsDropped`].
pub const MAX_DIAGNOSTICS: usize = crate::diag::MAX_LISTED;

/// Every input of one deploy (rule `SCN-1`). JSON form:
///
/// ```json
/// {
///   "kind": "review-app",
///   "date": "2026-12-07",
///   "seed": 42,
///   "app": {"name": "my-app-pr12", "region": "osc-fr1"},
///   "pr_number": 12,
///   "repository": {"files": {"scalingo.json": "{...}", "Procfile": "web: ./server"},
///                  "default_branch": "main"},
///   "parent": {"name": "my-app", "env": {"A": "1"}, "addon_vars": ["SCALINGO_REDIS_URL"],
///              "addons": [{"addon": "redis", "plan": "redis-starter-256"}],
///              "formation": {"web": {"amount": 2, "size": "L"}}, "stack": "scalingo-22"},
///   "request": {"source": "https://github.com/owner/repo#branch"},
///   "user_env": {"ADMIN_EMAIL": "me@example.com"},
///   "attempts": [{"build": "success", "hook": {"exit": 1}}, {}]
/// }
/// ```
/// Only `kind`, `date` and `app` are required. Unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// One-click deploy or review app.
    pub kind: AppKind,
    /// The day of the deploy: the platform's facts in force that day decide (rule
    /// `PLAT-1`, `spec/platform.md`). The engine never reads the clock; the CLI fills in
    /// today's date (UTC) when a scenario file has none.
    pub date: Date,
    /// Seed for the `secret` generator (decision D-11); absent = OS entropy, and the outcome
    /// is then not reproducible.
    #[serde(default)]
    pub seed: Option<u64>,
    /// The app being created.
    pub app: AppSpec,
    /// The pull request number (review apps; `%PR_NUMBER%`).
    #[serde(default)]
    pub pr_number: Option<u64>,
    /// The repository's files: the one the request points at (one-click), or the pull
    /// request's head (review app).
    #[serde(default)]
    pub repository: RepositorySpec,
    /// The parent app (review apps only).
    #[serde(default)]
    pub parent: Option<ParentApp>,
    /// The one-click request: Referer and `source` query parameter (one-click only).
    #[serde(default)]
    pub request: Option<OneClickRequest>,
    /// Values the user typed in the one-click form (one-click only).
    #[serde(default)]
    pub user_env: BTreeMap<String, String>,
    /// The deployment attempts to schedule hooks over (empty = none).
    #[serde(default)]
    pub attempts: Vec<hooks::Attempt>,
}

/// The app being created: its name and region give its URL (`%APP%`, `%URL%`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    /// App name, for example `my-app-pr12`.
    pub name: String,
    /// Region, for example `osc-fr1` (the default) or `osc-secnum-fr1`.
    #[serde(default)]
    pub region: Option<String>,
}

/// A repository as a file tree: path (relative, `/`-separated) -> UTF-8 content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositorySpec {
    /// Files by path. In JSON a file is its text (a string), or any other JSON value, which
    /// stands for the text `serde_json` pretty-prints for it (2-space indentation, object
    /// members sorted by key, a final newline), so that a manifest can be written in a
    /// scenario without escaping (rule `SCN-1`); positions in findings refer to that text.
    #[serde(default, deserialize_with = "file_texts")]
    pub files: BTreeMap<String, String>,
    /// The repository's default branch (one-click ref, decision D-4); absent = `master`.
    #[serde(default)]
    pub default_branch: Option<String>,
}

/// `repository.files`: each value a string (the file's text) or another JSON value (its
/// pretty-printed text, final newline included).
fn file_texts<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let raw: BTreeMap<String, serde_json::Value> = serde::Deserialize::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|(path, value)| {
            let text = match value {
                serde_json::Value::String(text) => text,
                other => {
                    // A parsed JSON value always serialises.
                    let mut text = serde_json::to_string_pretty(&other).unwrap_or_default();
                    text.push('\n');
                    text
                }
            };
            (path, text)
        })
        .collect())
}

/// The parent app of a review app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentApp {
    /// The parent's name (`%PARENT_APP%`).
    pub name: String,
    /// The parent's environment.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Names in `env` that the parent's addons provide (decision D-18).
    #[serde(default)]
    pub addon_vars: BTreeSet<String>,
    /// The parent's addons, in order.
    #[serde(default)]
    pub addons: Vec<ParentAddon>,
    /// The parent's formation.
    #[serde(default)]
    pub formation: BTreeMap<String, ProcessFormation>,
    /// The parent's stack.
    #[serde(default)]
    pub stack: Option<String>,
    /// The parent's Application Firewall rules, in order (rule `FW-8`); empty = the
    /// parent's firewall is disabled.
    #[serde(default)]
    pub firewall_rules: Vec<ParentFirewallRule>,
}

/// `"ok"` or `"error"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeStatus {
    /// No error anywhere: the platform creates the app.
    Ok,
    /// At least one error: the platform does not create (or deploy) the app.
    Error,
}

/// Every decision the platform takes for a [`Scenario`] (rule `SCN-3`). Sections after
/// `procfile` are `null` when resolution stopped before them (rule `SCN-4`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Outcome {
    /// The scenario's kind.
    pub kind: AppKind,
    /// The day the outcome is for (the scenario's `date`).
    pub date: Date,
    /// `ok` when no error was found.
    pub status: OutcomeStatus,
    /// The seed secrets were derived from; `null` = OS entropy.
    pub seed: Option<u64>,
    /// The app: name, region, URL.
    pub app: AppOutcome,
    /// The one-click source decision (`null` for review apps).
    pub source: Option<SourceOutcome>,
    /// Which manifest was read.
    pub manifest: ManifestOutcome,
    /// Which Procfile was read.
    pub procfile: ProcfileOutcome,
    /// The stack.
    pub stack: Option<StackOutcome>,
    /// The environment.
    pub env: Option<EnvSection>,
    /// Addons to provision, in order.
    pub addons: Option<Vec<ProvisionedAddon>>,
    /// The Application Firewall rules the app is created with (rules `FW-8` to `FW-11`);
    /// `null` also on a date before the platform had an Application Firewall.
    pub firewall: Option<FirewallSection>,
    /// Containers per process type.
    pub formation: Option<BTreeMap<String, ResolvedProcess>>,
    /// Hooks run per deployment attempt.
    pub hooks: Option<Vec<AttemptOutcome>>,
    /// Every finding, tagged with the stage and file it comes from.
    pub diagnostics: Vec<StageDiagnostic>,
}

/// The app's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppOutcome {
    /// App name.
    pub name: String,
    /// Region.
    pub region: String,
    /// `https://<name>.<app domain of the region>` (rule `GEN-7`), built from the checked
    /// name and region; `null` when either is invalid (SM1303, SM1307).
    pub url: Option<String>,
}

/// The one-click source decision (rules `SRC-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceOutcome {
    /// The repository whose manifest was read (`source` beats Referer).
    pub manifest_from: Option<GitHubRepo>,
    /// The request input that named it (`source` or `referer`, rule `SRC-1`).
    pub manifest_from_input: Option<SourceInput>,
    /// The ref the manifest was read at: the one written in that input, else the
    /// repository's default branch, else `master` (rules `SRC-1`, `SRC-10`).
    pub manifest_ref: Option<String>,
    /// The repository whose code is deployed.
    pub repository: Option<GitHubRepo>,
    /// The input that decided the repository.
    pub repository_from: Option<SourceInput>,
    /// The ref deployed.
    pub git_ref: Option<String>,
    /// Where the ref comes from.
    pub ref_from: Option<RefOrigin>,
}

/// The manifest file decision (rules `LOC-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ManifestOutcome {
    /// Path read, `null` when there is none.
    pub path: Option<String>,
    /// Candidates tried, in order.
    pub searched: Vec<String>,
    /// The normalised `PROJECT_DIR` (`""` = root).
    pub project_dir: String,
    /// Where `PROJECT_DIR` came from: `parent-env`, `user-env`, or `null` (unset).
    pub project_dir_from: Option<String>,
    /// True when the manifest was read and has no error.
    pub valid: bool,
}

/// The Procfile decision (rules `LOC-*`, `PROC-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcfileOutcome {
    /// Path read, `null` when there is none.
    pub path: Option<String>,
    /// Process types defined (postdeploy excluded), file order.
    pub process_types: Vec<String>,
    /// The `postdeploy:` command, if any.
    pub postdeploy: Option<String>,
}

/// The stack decision (rule `SCN-6`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StackOutcome {
    /// The stack the app's deployments use on the scenario's date; `null` only when the
    /// platform catalogue names no default stack on that date.
    pub value: Option<String>,
    /// Where it comes from: `manifest`, `parent` or `default`.
    pub origin: String,
    /// The stack the manifest or the parent asked for when it is not the one used;
    /// `null` otherwise.
    pub requested: Option<String>,
    /// Why `requested` was not used: its status on the date (`discontinued`, rule
    /// `PLAT-3`); `null` otherwise.
    pub requested_status: Option<platform::StackStatus>,
    /// The rule that decided.
    pub rule: String,
}

/// The environment of the new app (rules `ENV-*`, `GEN-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnvSection {
    /// Variables by name, with their origin.
    pub vars: BTreeMap<String, ResolvedVar>,
    /// Variables not set, and why.
    pub removed: Vec<RemovedVar>,
    /// The variables the manifest sets (a value or a generator) over a value of the
    /// parent's, sorted (review apps, rule `ENV-9`; always empty for a one-click deploy).
    #[serde(default)]
    pub replaced: Vec<String>,
}

/// The stage of a resolution a finding comes from (rule `SCN-2`), in pipeline order. In
/// JSON its lowercase name: `"scenario"`, `"source"`, `"locate"`, `"manifest"`,
/// `"procfile"`, `"env"`, `"addons"`, `"firewall"`, `"formation"` or `"hooks"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Stage {
    /// The scenario's own inputs (app name, region, kind, limits).
    Scenario,
    /// Which repository and ref a one-click deploy uses (`source`).
    Source,
    /// Which manifest and Procfile are read (`locate`).
    Locate,
    /// The manifest check (`manifest::check`).
    Manifest,
    /// The Procfile (`procfile::parse`).
    Procfile,
    /// The environment (`env`, `generate`).
    Env,
    /// The addons (`addons`).
    Addons,
    /// The Application Firewall rules (`firewall`).
    Firewall,
    /// The containers (`formation`).
    Formation,
    /// The hooks after each deployment attempt (`hooks`).
    Hooks,
}

impl Stage {
    /// The lowercase name, as in JSON and in `explain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Scenario => "scenario",
            Stage::Source => "source",
            Stage::Locate => "locate",
            Stage::Manifest => "manifest",
            Stage::Procfile => "procfile",
            Stage::Env => "env",
            Stage::Addons => "addons",
            Stage::Firewall => "firewall",
            Stage::Formation => "formation",
            Stage::Hooks => "hooks",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Stage {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Stage {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A diagnostic with the stage and file it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageDiagnostic {
    /// The stage that made the finding.
    pub stage: Stage,
    /// The repository file the position refers to, if any.
    pub file: Option<String>,
    /// The finding.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// The findings of one resolution, in the order the stages make them: the first
/// [`MAX_DIAGNOSTICS`] are kept, the others only counted (rule `SCN-LIM-2`).
#[derive(Default)]
struct Collector {
    diags: Vec<StageDiagnostic>,
    /// Every finding made, kept or not: errors, warnings, notes.
    errors: usize,
    warnings: usize,
    notes: usize,
}

impl Collector {
    fn add(
        &mut self,
        stage: Stage,
        file: Option<&str>,
        diags: impl IntoIterator<Item = Diagnostic>,
    ) {
        for diagnostic in diags {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => self.notes += 1,
            }
            if self.diags.len() < MAX_DIAGNOSTICS {
                self.diags.push(StageDiagnostic {
                    stage,
                    file: file.map(str::to_string),
                    diagnostic,
                });
            }
        }
    }

    /// Counts findings a stage made but did not list (rules `ENV-15`, `SCN-LIM-2`).
    fn add_unlisted(&mut self, unlisted: diag::Counts) {
        self.errors += unlisted.errors;
        self.warnings += unlisted.warnings;
        self.notes += unlisted.notes;
    }

    /// The findings made but not kept (rule `SCN-LIM-2`).
    fn dropped(&self) -> usize {
        (self.errors + self.warnings + self.notes).saturating_sub(self.diags.len())
    }

    /// Adds resolution findings: those with a span point into the manifest, the others
    /// into the scenario itself.
    fn add_resolved(&mut self, stage: Stage, manifest: Option<&str>, diags: Vec<Diagnostic>) {
        for d in diags {
            let file = if d.span.is_some() { manifest } else { None };
            self.add(stage, file, [d]);
        }
    }

    /// The findings of `stage` listed so far.
    fn listed(&self, stage: Stage) -> Vec<Diagnostic> {
        self.diags
            .iter()
            .filter(|d| d.stage == stage)
            .map(|d| d.diagnostic.clone())
            .collect()
    }

    fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// Fills line and column of span-carrying diagnostics that lack them (resolution modules
/// know spans into the manifest but not its text).
fn locate_spans(diags: &mut [Diagnostic], index: Option<&LineIndex>) {
    let Some(index) = index else { return };
    for d in diags.iter_mut() {
        if let (Some(span), None) = (d.span, d.line) {
            let (line, column) = index.line_col(span.start);
            d.line = Some(line);
            d.column = Some(column);
        }
    }
}

/// Resolves a scenario into every decision the platform takes (rules `SCN-1`..`SCN-6`).
///
/// Pure: the same scenario with a `seed` always gives the same outcome (and the same
/// [`to_json`] bytes). Total: never panics, whatever the scenario holds.
pub fn resolve(scenario: &Scenario) -> Outcome {
    let mut c = Collector::default();
    let kind = scenario.kind;
    let app = app_outcome(scenario, &mut c);
    let empty_parent = ParentApp::default();
    let parent = required_parent(scenario, &mut c);
    let candidate = source_candidate(scenario, &mut c);
    let (located, project_dir_from) = locate_files(scenario, parent, candidate.as_ref(), &mut c);
    let files = &scenario.repository.files;
    let manifest_text = located.manifest.as_ref().and_then(|p| files.get(p));
    let (manifest, manifest_valid) = read_manifest(scenario, &located, &mut c);
    let (procfile_out, procfile_types) = read_procfile(scenario, &located, &mut c);
    let source_out =
        candidate.map(|cand| decide_source(scenario, &cand, manifest.as_ref(), &mut c));

    let mut outcome = Outcome {
        kind,
        date: scenario.date,
        status: OutcomeStatus::Ok,
        seed: scenario.seed,
        app,
        source: source_out,
        manifest: ManifestOutcome {
            path: located.manifest.clone(),
            searched: located.searched.clone(),
            project_dir: located.project_dir.clone(),
            project_dir_from,
            valid: manifest_valid,
        },
        procfile: procfile_out,
        stack: None,
        env: None,
        addons: None,
        firewall: None,
        formation: None,
        hooks: None,
        diagnostics: Vec::new(),
    };

    // SCN-4: errors in the inputs stop resolution.
    if c.has_errors() {
        c.add(
            Stage::Scenario,
            None,
            [Diagnostic::new(
                Code::ResolutionStopped,
                "resolution stopped: the inputs above have errors, so the platform would not create the app",
            )],
        );
        return finish(outcome, c);
    }

    let parent = parent.unwrap_or(&empty_parent);
    let read = ReadManifest {
        manifest: manifest.as_ref(),
        path: located.manifest.as_deref(),
        index: manifest_text.map(|t| LineIndex::new(t)),
        // SCN-3: what the check reported is not reported again.
        checked: c.listed(Stage::Manifest),
    };
    configure(
        scenario,
        parent,
        &read,
        procfile_types.as_deref(),
        &mut outcome,
        &mut c,
    );

    // SCN-5: no deployment when the configuration has errors.
    if c.has_errors() {
        c.add(
            Stage::Scenario,
            None,
            [Diagnostic::new(
                Code::NotDeployed,
                "no deployment is scheduled: the app configuration above has errors",
            )],
        );
        return finish(outcome, c);
    }
    outcome.hooks = Some(schedule_hooks(scenario, &read, &outcome.procfile, &mut c));
    finish(outcome, c)
}

/// The manifest the scenario's app reads, as the resolution stages need it: the validated
/// manifest (`None` when there is none or it has errors), its path in the repository, a
/// line index of its text (for the positions of resolution findings), and the findings
/// the check listed (rule `SCN-3`).
struct ReadManifest<'a> {
    manifest: Option<&'a Manifest>,
    path: Option<&'a str>,
    index: Option<LineIndex<'a>>,
    checked: Vec<Diagnostic>,
}

impl ReadManifest<'_> {
    /// Adds a resolution stage's findings, with the line and column of those that point
    /// into the manifest.
    fn add(&self, c: &mut Collector, stage: Stage, mut diags: Vec<Diagnostic>) {
        locate_spans(&mut diags, self.index.as_ref());
        c.add_resolved(stage, self.path, diags);
    }
}

/// The app's configuration (rules `SCN-6`, `ENV-*`, `ADD-*`, `FW-*`, `FRM-*`): its stack,
/// environment, addons, firewall rules and formation, each stage's findings added to `c`;
/// `procfile_types` are the Procfile's process types (`None`: no Procfile).
fn configure(
    scenario: &Scenario,
    parent: &ParentApp,
    read: &ReadManifest<'_>,
    procfile_types: Option<&[String]>,
    outcome: &mut Outcome,
    c: &mut Collector,
) {
    let kind = scenario.kind;
    let m = read.manifest;

    // SCN-6: the stack.
    let (stack, note) = resolve_stack(kind, m, parent, scenario.date);
    c.add(Stage::Scenario, None, note);
    outcome.stack = Some(stack);

    outcome.env = Some(resolve_env(scenario, parent, &outcome.app, read, c));

    let add_out = addons::resolve(
        kind,
        m.and_then(|m| m.addons.as_deref()),
        &parent.addons,
        scenario.date,
    );
    read.add(c, Stage::Addons, add_out.diagnostics);
    outcome.addons = Some(add_out.addons);

    let (section, fw_diags) = firewall::resolve_on(
        kind,
        scenario.date,
        m.and_then(|m| m.firewall_rules.as_deref()),
        &parent.firewall_rules,
    );
    read.add(c, Stage::Firewall, fw_diags);
    outcome.firewall = section;

    let frm_out = formation::resolve(
        kind,
        m.and_then(|m| m.formation.as_deref()),
        procfile_types,
        Some(&parent.formation),
    );
    read.add(c, Stage::Formation, frm_out.diagnostics);
    outcome.formation = Some(frm_out.formation);
}

/// The environment (rules `ENV-*`, `GEN-*`): the stage's inputs taken from the scenario as
/// its kind of app reads them (a one-click deploy has no parent app, a review app no user
/// values), its findings added to `c` (rule `SCN-3`: none the check already reported; rule
/// `ENV-15`: those counted but not listed are counted in the outcome).
fn resolve_env(
    scenario: &Scenario,
    parent: &ParentApp,
    app: &AppOutcome,
    read: &ReadManifest<'_>,
    c: &mut Collector,
) -> EnvSection {
    let kind = scenario.kind;
    let m = read.manifest;
    let review = kind == AppKind::ReviewApp;
    let template = TemplateContext {
        app: app.name.clone(),
        // Resolution stopped when the name or region is invalid (SCN-4), so the URL is
        // there.
        url: app.url.clone().unwrap_or_default(),
        parent_app: review.then(|| parent.name.clone()),
        pr_number: scenario.pr_number.filter(|_| review),
    };
    let empty_env = BTreeMap::new();
    let empty_vars = BTreeSet::new();
    let inputs = EnvInputs {
        manifest_env: m.and_then(|m| m.env.as_deref()),
        parent_env: if review { &parent.env } else { &empty_env },
        parent_addon_vars: if review {
            &parent.addon_vars
        } else {
            &empty_vars
        },
        copy_parent_database_urls: m
            .and_then(|m| m.copy_parent_database_urls.as_ref())
            .is_some_and(|b| b.value),
        user_env: if review {
            &empty_env
        } else {
            &scenario.user_env
        },
    };
    let ctx = EnvContext {
        kind,
        seed: scenario.seed,
        template,
    };
    let mut env_out = env::resolve_checked(&inputs, &ctx, &read.checked);
    // ENV-15, SCN-LIM-2: the findings env counted but did not list count in the outcome;
    // its own "dropped" note gives way to the outcome's.
    env_out
        .diagnostics
        .retain(|d| d.code != Code::EnvDiagnosticsDropped);
    let listed = diag::Counts::of(&env_out.diagnostics);
    c.add_unlisted(diag::Counts {
        errors: env_out.counts.errors.saturating_sub(listed.errors),
        warnings: env_out.counts.warnings.saturating_sub(listed.warnings),
        notes: env_out.counts.notes.saturating_sub(listed.notes),
        dropped: 0,
    });
    read.add(c, Stage::Env, env_out.diagnostics);
    let replaced = env_out
        .vars
        .iter()
        .filter(|(name, v)| {
            v.origin != env::Origin::Parent && inputs.parent_env.contains_key(*name)
        })
        .map(|(name, _)| name.clone())
        .collect();
    EnvSection {
        vars: env_out.vars,
        removed: env_out.removed,
        replaced,
    }
}

/// The hooks of the deployment attempts (rules `HOOK-*`), with the findings the check
/// already reported left out (rule `SCN-3`); script findings point into the manifest.
fn schedule_hooks(
    scenario: &Scenario,
    read: &ReadManifest<'_>,
    procfile: &ProcfileOutcome,
    c: &mut Collector,
) -> Vec<AttemptOutcome> {
    let m = read.manifest;
    let scripts = m.map(|m| m.scripts.clone()).unwrap_or_default();
    let hook_scripts = HookScripts::from_manifest(&scripts, procfile.postdeploy.as_deref());
    let hooks_out = hooks::schedule_checked(
        scenario.kind,
        &hook_scripts,
        &scenario.attempts,
        &read.checked,
    );
    for mut d in hooks_out.diagnostics {
        // The hooks module points into its own input (`/scripts/manifest_postdeploy`,
        // `/attempts/N/...`); re-base script pointers onto the manifest.
        let file = match hooks::manifest_pointer(&d.pointer) {
            Some(pointer) => {
                d.pointer = pointer;
                if let (Some(index), Some(s)) = (
                    read.index.as_ref(),
                    m.and_then(|m| m.scripts.postdeploy.as_ref()),
                ) {
                    d = d.with_span(s.span, index);
                }
                read.path
            }
            None => None,
        };
        c.add(Stage::Hooks, file, [d]);
    }
    hooks_out.attempts
}

/// The new app's name, region and URL; an unknown region or an invalid name is an error
/// (rule `SCN-2`).
fn app_outcome(scenario: &Scenario, c: &mut Collector) -> AppOutcome {
    let region = scenario
        .app
        .region
        .clone()
        .unwrap_or_else(|| generate::DEFAULT_REGION.to_string());
    let app = AppOutcome {
        name: scenario.app.name.clone(),
        url: generate::app_url(&scenario.app.name, &region),
        region,
    };
    if platform::region(&app.region, scenario.date).is_none() {
        let available: Vec<&str> = platform::regions()
            .iter()
            .filter(|r| platform::region(r.name, scenario.date).is_some())
            .map(|r| r.name)
            .collect();
        let listed = available
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match diag::suggest(&app.region, &available) {
            Some(s) => format!(
                "did you mean `{s}`? The regions on {} are {listed}",
                scenario.date
            ),
            None => format!("the regions on {} are {listed}", scenario.date),
        };
        let message = if platform::regions().iter().any(|r| r.name == app.region) {
            format!(
                "region `{}` does not accept apps on {}",
                excerpt(&app.region),
                scenario.date
            )
        } else {
            format!("unknown region `{}`", excerpt(&app.region))
        };
        c.add(
            Stage::Scenario,
            None,
            [Diagnostic::new(Code::UnknownRegion, message)
                .with_pointer("/app/region")
                .with_hint(hint)],
        );
    }
    if let Some(problem) = generate::app_name_problem(&scenario.app.name) {
        c.add(
            Stage::Scenario,
            None,
            [Diagnostic::new(
                Code::InvalidAppName,
                format!("invalid app name `{}`", excerpt(&scenario.app.name)),
            )
            .with_pointer("/app/name")
            .with_hint(problem)],
        );
    }
    app
}

/// SCN-1: a review app's parent (an error when it has none); a one-click app has none.
fn required_parent<'s>(scenario: &'s Scenario, c: &mut Collector) -> Option<&'s ParentApp> {
    match (scenario.kind, &scenario.parent) {
        (AppKind::ReviewApp, Some(p)) => Some(p),
        (AppKind::ReviewApp, None) => {
            c.add(
                Stage::Scenario,
                None,
                [
                    Diagnostic::new(Code::MissingInput, "a review app needs a parent app")
                        .with_pointer("/parent")
                        .with_hint("add \"parent\": {\"name\": \"my-app\", ...}"),
                ],
            );
            None
        }
        (AppKind::OneClick, _) => None,
    }
}

/// SRC: which repository a one-click deploy reads the manifest from (`None` for a review
/// app).
fn source_candidate(scenario: &Scenario, c: &mut Collector) -> Option<source::Candidate> {
    match scenario.kind {
        AppKind::OneClick => {
            let request = scenario.request.clone().unwrap_or_default();
            let cand = source::candidate(&request);
            c.add(Stage::Source, None, cand.diagnostics.iter().cloned());
            Some(cand)
        }
        AppKind::ReviewApp => None,
    }
}

/// LOC: which manifest and Procfile are read, and where `PROJECT_DIR` came from. Nothing is
/// read from a tree over the scenario's limits (`SCN-LIM-1`) or when a one-click deploy has
/// no repository (`SRC-9`).
fn locate_files(
    scenario: &Scenario,
    parent: Option<&ParentApp>,
    candidate: Option<&source::Candidate>,
    c: &mut Collector,
) -> (locate::Located, Option<String>) {
    let kind = scenario.kind;
    let files = &scenario.repository.files;
    let mut too_many = false;
    // SCN-LIM-1: a tree over the limits is not read.
    let mut refuse = |message: String| {
        too_many = true;
        c.add(
            Stage::Scenario,
            None,
            [Diagnostic::new(Code::TooManyFiles, message).with_pointer("/repository/files")],
        );
    };
    if files.len() > locate::MAX_PATHS {
        refuse(format!(
            "the repository holds {} files; at most {} are read",
            files.len(),
            locate::MAX_PATHS
        ));
    }
    if let Some(long) = files.keys().find(|p| p.len() > locate::MAX_PATH_BYTES) {
        refuse(format!(
            "a path is {} bytes long; at most {}",
            long.len(),
            locate::MAX_PATH_BYTES
        ));
    }
    let (project_dir, project_dir_from) = match kind {
        AppKind::ReviewApp => (
            parent.and_then(|p| p.env.get("PROJECT_DIR")),
            Some("parent-env"),
        ),
        AppKind::OneClick => (scenario.user_env.get("PROJECT_DIR"), Some("user-env")),
    };
    let project_dir_from = project_dir.and(project_dir_from).map(str::to_string);
    // SRC-9: a one-click deploy with no repository reads no file at all.
    let no_repository = candidate.as_ref().is_some_and(|c| c.repository.is_none());
    let located = if too_many || no_repository {
        locate::Located {
            manifest: None,
            procfile: None,
            project_dir: String::new(),
            searched: Vec::new(),
            diagnostics: Vec::new(),
        }
    } else {
        locate::locate(
            files.keys().map(String::as_str),
            project_dir.map(String::as_str),
        )
    };
    c.add(Stage::Locate, None, located.diagnostics.iter().cloned());
    (located, project_dir_from)
}

/// MAN: the manifest read, checked; and whether it is valid (no error).
fn read_manifest(
    scenario: &Scenario,
    located: &locate::Located,
    c: &mut Collector,
) -> (Option<Manifest>, bool) {
    let text = located
        .manifest
        .as_ref()
        .and_then(|p| scenario.repository.files.get(p));
    let (Some(path), Some(text)) = (&located.manifest, text) else {
        return (None, false);
    };
    let checked = manifest::check(text.as_bytes(), scenario.date);
    let valid = checked.manifest.is_some() && !checked.diagnostics.iter().any(Diagnostic::is_error);
    c.add(Stage::Manifest, Some(path), checked.diagnostics);
    (checked.manifest, valid)
}

/// PROC: the Procfile read, parsed: its outcome, and its process types (`None` without a
/// Procfile).
fn read_procfile(
    scenario: &Scenario,
    located: &locate::Located,
    c: &mut Collector,
) -> (ProcfileOutcome, Option<Vec<String>>) {
    let mut procfile_out = ProcfileOutcome {
        path: located.procfile.clone(),
        process_types: Vec::new(),
        postdeploy: None,
    };
    let Some(text) = located
        .procfile
        .as_ref()
        .and_then(|p| scenario.repository.files.get(p))
    else {
        return (procfile_out, None);
    };
    let parsed = procfile::parse(text.as_bytes());
    let types: Vec<String> = parsed
        .procfile
        .process_types()
        .into_iter()
        .map(str::to_string)
        .collect();
    procfile_out.process_types = types.clone();
    procfile_out.postdeploy = parsed.procfile.postdeploy().map(|p| p.command.clone());
    c.add(
        Stage::Procfile,
        located.procfile.as_deref(),
        parsed.diagnostics,
    );
    (procfile_out, Some(types))
}

/// SRC: the one-click decision, with the manifest's repository and ref.
fn decide_source(
    scenario: &Scenario,
    cand: &source::Candidate,
    manifest: Option<&Manifest>,
    c: &mut Collector,
) -> SourceOutcome {
    let m = manifest;
    let decision = source::decide(
        cand,
        m.and_then(|m| m.repository.as_ref())
            .map(|s| s.value.as_str()),
        m.and_then(|m| m.git_ref.as_ref()).map(|s| s.value.as_str()),
        scenario.repository.default_branch.as_deref(),
    );
    // decide() repeats the candidate's findings; keep only the new ones.
    let new: Vec<Diagnostic> = decision
        .diagnostics
        .iter()
        .filter(|d| !cand.diagnostics.contains(d))
        .cloned()
        .collect();
    c.add(Stage::Source, None, new);
    // SRC-11: the code of another repository, or of another ref, is deployed; the scenario
    // holds only the files the manifest was read from.
    // The ref the manifest was read at (SRC-1): the one the request wrote, else the default
    // branch, else `master`; a ref SRC-7 refuses (reported by `decide`) names none.
    let read_ref = cand
        .repository
        .as_ref()
        .map(|_| {
            cand.git_ref
                .clone()
                .or_else(|| scenario.repository.default_branch.clone())
                .unwrap_or_else(|| source::DEFAULT_REF.to_string())
        })
        .filter(|r| source::check_ref(r).is_ok());
    if let (Some(code), Some(read)) = (&decision.repository, &cand.repository) {
        let same = code.owner.eq_ignore_ascii_case(&read.owner)
            && code.name.eq_ignore_ascii_case(&read.name);
        let code_ref = decision.git_ref.as_deref();
        let other_ref = same && code_ref.is_some() && code_ref != read_ref.as_deref();
        if !same || other_ref {
            let (deployed, at) = match code_ref {
                Some(r) => (
                    format!("`{}/{}` at `{r}`", code.owner, code.name),
                    format!("#{r}"),
                ),
                None => (format!("`{}/{}`", code.owner, code.name), String::new()),
            };
            c.add(
                Stage::Source,
                None,
                [Diagnostic::new(
                    Code::RedirectedFilesUnknown,
                    format!(
                        "the code is deployed from {deployed}, whose files the scenario does not hold: the Procfile, the formation and the hooks below are computed from the files of `{}/{}` at `{}`, where the manifest was read; the platform reads the deployed ones",
                        read.owner,
                        read.name,
                        read_ref.as_deref().unwrap_or(source::DEFAULT_REF)
                    ),
                )
                .with_pointer("/repository/files")
                .with_hint(format!(
                    "to see what the platform decides, resolve a scenario with the deployed files: `explain --one-click --source https://github.com/{}/{}{at} --repo <a checkout of it>`",
                    code.owner, code.name
                ))],
            );
        }
    }
    SourceOutcome {
        manifest_from: cand.repository.clone(),
        manifest_from_input: cand.repository.as_ref().and(cand.from),
        manifest_ref: read_ref,
        repository: decision.repository,
        repository_from: decision.repository_from,
        git_ref: decision.git_ref,
        ref_from: decision.ref_from,
    }
}

/// SCN-6: the manifest's stack (the check keeps only known stacks, rule `MAN-5`), else the
/// parent's (review app), else the platform default.
fn resolve_stack(
    kind: AppKind,
    m: Option<&Manifest>,
    parent: &ParentApp,
    date: Date,
) -> (StackOutcome, Option<Diagnostic>) {
    let (asked, origin) = match (m.and_then(|m| m.stack.as_ref()), kind, &parent.stack) {
        (Some(stack), _, _) => (Some(stack.value.to_string()), "manifest"),
        (None, AppKind::ReviewApp, Some(s)) => (Some(s.clone()), "parent"),
        _ => (None, "default"),
    };
    let default = platform::default_stack(date).map(|d| d.value.to_string());
    let discontinued = asked
        .as_deref()
        .and_then(|a| platform::discontinued(a, date));
    let Some(st) = discontinued else {
        let value = asked.or(default);
        let out = StackOutcome {
            value,
            origin: origin.into(),
            requested: None,
            requested_status: None,
            rule: "SCN-6".into(),
        };
        return (out, None);
    };
    let asked = asked.unwrap_or_default();
    let reason = stack_reason(&asked, date).unwrap_or_default();
    // The manifest check already warned (SM0111); a parent's stack is news.
    let note = (origin == "parent").then(|| {
        Diagnostic::new(
            Code::StackReplaced,
            format!(
                "the parent's stack {reason}: the review app gets `{}`",
                default.as_deref().unwrap_or("the default stack")
            ),
        )
        .with_pointer("/parent/stack")
        .with_hint("set `stack` in the manifest to choose a supported stack, and migrate the parent app too")
    });
    let out = StackOutcome {
        value: default,
        origin: "default".into(),
        requested: Some(asked),
        requested_status: Some(st.value),
        rule: "SCN-6".into(),
    };
    (out, note)
}

/// Why a requested stack is not used on `date`, with the catalogue's source; `None` when
/// it is not discontinued then.
fn stack_reason(asked: &str, date: Date) -> Option<String> {
    let st = platform::discontinued(asked, date)?;
    let since = st.since.map_or_else(String::new, |d| format!(" since {d}"));
    Some(format!(
        "`{asked}` is discontinued{since}: all new deployments, review apps included, use the default stack (source: {})",
        st.source
    ))
}

fn finish(mut outcome: Outcome, mut c: Collector) -> Outcome {
    outcome.status = if c.has_errors() {
        OutcomeStatus::Error
    } else {
        OutcomeStatus::Ok
    };
    let dropped = c.dropped();
    if dropped > 0 {
        let counts = diag::Counts {
            errors: c.errors,
            warnings: c.warnings,
            notes: c.notes,
            dropped,
        };
        let listed_errors = c.diags.iter().filter(|d| d.diagnostic.is_error()).count();
        c.diags.push(StageDiagnostic {
            stage: Stage::Scenario,
            file: None,
            diagnostic: diag::dropped_note(
                Code::ScenarioDiagnosticsDropped,
                counts,
                listed_errors,
                "outcome",
            ),
        });
    }
    outcome.diagnostics = c.diags;
    outcome
}

/// The canonical JSON bytes of an outcome (rule `SCN-3`): 2-space indentation, struct
/// fields in declaration order, maps sorted by key, a final newline. The same outcome
/// always gives the same bytes.
pub fn to_json(outcome: &Outcome) -> String {
    let mut s =
        serde_json::to_string_pretty(outcome).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A human explanation of every decision of an outcome: for each, the rule that made it
/// and the inputs it used (rule `SCN-7`). Plain text, one decision per line, grouped by
/// stage; deterministic. Text from the scenario is escaped (rule `DIAG-13`): no control
/// or bidirectional character reaches the output, and every line is the program's.
pub fn explain(outcome: &Outcome) -> String {
    let mut x = Explanation::default();
    explain_header(&mut x, outcome);
    if let Some(s) = &outcome.source {
        explain_source(&mut x, s);
    }
    explain_files(&mut x, outcome);
    if let Some(env) = &outcome.env {
        explain_env(&mut x, env, outcome.kind);
    }
    if let Some(addons) = &outcome.addons {
        explain_addons(&mut x, addons, outcome);
    }
    if let Some(section) = &outcome.firewall {
        x.section("firewall");
        for line in firewall::explain_lines(section) {
            say!(x, "  {line}");
        }
    }
    if let Some(f) = &outcome.formation {
        explain_formation(&mut x, f);
    }
    if let Some(h) = &outcome.hooks {
        explain_hooks(&mut x, h);
    }
    if !outcome.diagnostics.is_empty() {
        explain_diagnostics(&mut x, &outcome.diagnostics);
    }
    x.text.push_str(BASIS_LEGEND);
    x.text
}

/// The last lines of an explanation: what the marks beside the rules mean (spec/README.md).
const BASIS_LEGEND: &str = "\nrules: (doc) Scalingo's documentation says so; (D-n) decided by this project, spec/decisions.md;\n(ours) this project's design; `scalingo-manifest rule ID` prints a rule with its sources\n";

/// The text of [`explain`], a line at a time.
#[derive(Default)]
struct Explanation {
    text: String,
}

impl Explanation {
    /// Adds one line. DIAG-13: each line of the explanation is one single-line field: what
    /// it quotes from the scenario (names, paths, commands, scripts, messages) is escaped,
    /// so that it can neither reach the terminal as a control sequence nor start a line of
    /// its own.
    fn line(&mut self, line: &str) {
        self.text
            .push_str(&crate::escape::single_line(&mark_rules(line)));
        self.text.push('\n');
    }

    /// Starts a section: an empty line, then its title.
    fn section(&mut self, title: &str) {
        self.text.push('\n');
        self.line(title);
    }
}

/// `line` with the basis of each rule it cites (rule `SCN-7`; `explain` and `diff` mark
/// their lines with it): every rule ID inside a
/// `[...]` annotation is followed by its mark, `[ENV-7 (doc+D-19): parent]`. Text quoted
/// from the inputs, in backquotes or double quotes (with `\"` escapes), is never read for
/// rules, so it is shown as it is.
pub fn mark_rules(line: &str) -> String {
    #[derive(PartialEq)]
    enum At {
        Text,
        Backquoted,
        Quoted,
        QuotedEscape,
    }
    let mut out = String::with_capacity(line.len() + 16);
    let mut at = At::Text;
    let mut depth = 0usize;
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        // Called at every character: only a token can be a rule ID worth looking up.
        if token.is_empty() {
            return;
        }
        out.push_str(token);
        if let Some(mark) = crate::diag::basis_mark(token) {
            out.push_str(" (");
            out.push_str(&mark);
            out.push(')');
        }
        token.clear();
    };
    for c in line.chars() {
        let in_rule = at == At::Text
            && depth > 0
            && (c.is_ascii_uppercase() || c.is_ascii_digit() || (c == '-' && !token.is_empty()));
        if in_rule {
            token.push(c);
            continue;
        }
        flush(&mut token, &mut out);
        out.push(c);
        at = match (at, c) {
            (At::Text, '`') => At::Backquoted,
            (At::Text, '"') => At::Quoted,
            (At::Text, '[') => {
                depth += 1;
                At::Text
            }
            (At::Text, ']') => {
                depth = depth.saturating_sub(1);
                At::Text
            }
            (At::Backquoted, '`') | (At::Quoted, '"') => At::Text,
            (At::Quoted, '\\') => At::QuotedEscape,
            (At::QuotedEscape, _) => At::Quoted,
            (other, _) => other,
        };
    }
    flush(&mut token, &mut out);
    out
}

/// `say!(x, "format", args...)`: one escaped line of an [`Explanation`].
macro_rules! say {
    ($x:expr, $($arg:tt)*) => {
        $x.line(&format!($($arg)*))
    };
}
use say;

/// The JSON name of an enum value (`"review-app"`, `"hook-error"`).
fn label<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

/// The first line: the app, its URL, the date and the status.
fn explain_header(x: &mut Explanation, outcome: &Outcome) {
    let kind = match outcome.kind {
        AppKind::OneClick => "one-click deploy",
        AppKind::ReviewApp => "review app",
    };
    say!(
        x,
        "{kind} `{}` ({}) on {} -> {}",
        outcome.app.name,
        outcome
            .app
            .url
            .as_deref()
            .unwrap_or("no URL: invalid name or region"),
        outcome.date,
        match outcome.status {
            OutcomeStatus::Ok => "ok",
            OutcomeStatus::Error => "error",
        }
    );
}

/// The one-click source (rules `SRC-1`, `SRC-8`, `SRC-10`).
fn explain_source(x: &mut Explanation, s: &SourceOutcome) {
    x.section("source");
    let repo = |r: &Option<GitHubRepo>| {
        r.as_ref()
            .map(|r| r.url.clone())
            .unwrap_or_else(|| "none".into())
    };
    if s.manifest_from.is_none() && s.repository_from.is_none() {
        // SRC-1 had nothing to choose from: no priority applied.
        say!(
            x,
            "  manifest read from  none  [SRC-1: no `source` parameter and no GitHub Referer]"
        );
    } else {
        let why = match s.manifest_from_input {
            Some(SourceInput::Referer) => "named by the Referer, there is no `source` parameter",
            _ => "named by `source`, which beats the Referer",
        };
        say!(
            x,
            "  manifest read from  {} at {}  [SRC-1: {why}]",
            repo(&s.manifest_from),
            s.manifest_ref.as_deref().unwrap_or("none")
        );
    }
    let repo_rule = match s.repository_from {
        Some(SourceInput::Manifest) => "SRC-8",
        _ => "SRC-1",
    };
    say!(
        x,
        "  code deployed from  {}  [{repo_rule}: decided by {}]",
        repo(&s.repository),
        s.repository_from
            .map(|f| label(&f))
            .unwrap_or_else(|| "nothing".into())
    );
    say!(
        x,
        "  ref                 {}  [SRC-10: from {}]",
        s.git_ref.as_deref().unwrap_or("none"),
        s.ref_from
            .map(|f| label(&f))
            .unwrap_or_else(|| "nothing".into())
    );
}

/// The files read (rules `LOC-*`) and the stack (`SCN-6`).
fn explain_files(x: &mut Explanation, outcome: &Outcome) {
    x.section("files");
    let pd = if outcome.manifest.project_dir.is_empty() {
        "(repository root)".to_string()
    } else {
        outcome.manifest.project_dir.clone()
    };
    say!(
        x,
        "  PROJECT_DIR         {pd}  [LOC-1, D-3: from {}]",
        outcome
            .manifest
            .project_dir_from
            .as_deref()
            .unwrap_or("nothing (unset)")
    );
    say!(
        x,
        "  manifest            {}  [LOC-4..LOC-6: tried {}]",
        outcome.manifest.path.as_deref().unwrap_or("none"),
        if outcome.manifest.searched.is_empty() {
            "nothing".into()
        } else {
            outcome.manifest.searched.join(", ")
        }
    );
    say!(
        x,
        "  Procfile            {}  [LOC-8] (process types: {}; postdeploy: {})",
        outcome.procfile.path.as_deref().unwrap_or("none"),
        if outcome.procfile.process_types.is_empty() {
            "none".into()
        } else {
            outcome.procfile.process_types.join(", ")
        },
        outcome.procfile.postdeploy.as_deref().unwrap_or("none")
    );
    if let Some(s) = &outcome.stack {
        let instead = s
            .requested
            .as_deref()
            .and_then(|r| stack_reason(r, outcome.date))
            .map_or_else(String::new, |reason| format!(" instead of {reason}"));
        say!(
            x,
            "  stack               {}  [{}: from {}{instead}]",
            s.value.as_deref().unwrap_or("platform default"),
            s.rule,
            s.origin
        );
    }
}

/// The environment (rules `ENV-*`, `GEN-*`).
fn explain_env(x: &mut Explanation, env: &EnvSection, kind: AppKind) {
    x.section("env");
    if env.vars.is_empty() && env.removed.is_empty() {
        match kind {
            AppKind::ReviewApp => say!(
                x,
                "  none  [ENV-7: the parent has no variable, and the manifest sets none]"
            ),
            AppKind::OneClick => say!(
                x,
                "  none  [ENV-3: no variable has a value: the manifest gives none, and the form none]"
            ),
        }
    }
    for (name, v) in &env.vars {
        // ENV-8: a parent addon variable is there because `copy_parent_database_urls` says so.
        let setting = if v.rule == "ENV-8" {
            ", copied by copy_parent_database_urls"
        } else if env.replaced.binary_search(name).is_ok() {
            ", replaces the parent's value"
        } else {
            ""
        };
        say!(
            x,
            "  {name} = {:?}  [{}: {}{setting}]",
            v.value,
            v.rule,
            label(&v.origin)
        );
    }
    for r in &env.removed {
        let setting = if r.reason == crate::env::REASON_PARENT_ADDON_VAR {
            ", copy_parent_database_urls is false"
        } else {
            ""
        };
        say!(
            x,
            "  {} (not set: {}{setting})  [{}]",
            r.name,
            r.reason,
            r.rule
        );
    }
}

/// The addons (rules `ADD-*`).
fn explain_addons(x: &mut Explanation, addons: &[ProvisionedAddon], outcome: &Outcome) {
    x.section("addons");
    if addons.is_empty() {
        let dropped = outcome
            .diagnostics
            .iter()
            .any(|d| d.diagnostic.code == Code::ParentAddonDropped);
        match (outcome.kind, dropped) {
            (AppKind::ReviewApp, true) => say!(
                x,
                "  none  [ADD-3: the manifest's `addons` leaves out the parent's]"
            ),
            (AppKind::ReviewApp, false) => say!(
                x,
                "  none  [ADD-2: the parent has no addon to copy, and the manifest adds none]"
            ),
            (AppKind::OneClick, _) => say!(x, "  none  [ADD-3: the manifest provisions no addon]"),
        }
    }
    for a in addons {
        say!(
            x,
            "  {}:{}{}{}  [{}: from {}]",
            a.addon,
            a.plan.as_deref().unwrap_or("(default plan)"),
            a.version
                .as_deref()
                .map(|v| format!(" version {v}"))
                .unwrap_or_default(),
            a.replaced_by
                .as_deref()
                .map(|r| format!(" (retired: the platform provisions {r}) [ADD-10]"))
                .unwrap_or_default(),
            a.rule,
            label(&a.origin)
        );
    }
}

/// The formation (rules `FRM-*`).
fn explain_formation(x: &mut Explanation, f: &BTreeMap<String, ResolvedProcess>) {
    x.section("formation");
    if f.is_empty() {
        say!(x, "  none  [FRM-1: no process type exists]");
    }
    for (t, p) in f {
        say!(
            x,
            "  {t}: {} x {}  [{}: amount from {}, size from {}]",
            p.amount,
            p.size.as_str(),
            p.rule,
            label(&p.amount_from),
            label(&p.size_from)
        );
    }
}

/// The deployment attempts and their hooks (rules `HOOK-*`).
fn explain_hooks(x: &mut Explanation, attempts: &[AttemptOutcome]) {
    x.section("hooks");
    if attempts.is_empty() {
        say!(
            x,
            "  none  [HOOK-1: the scenario has no deployment attempt]"
        );
    }
    for a in attempts {
        let hook = a
            .hook
            .as_ref()
            .map(|r| {
                format!(
                    "{} `{}` (from {}) exit {} [{}]",
                    label(&r.hook),
                    r.command,
                    label(&r.from),
                    r.exit,
                    r.rule
                )
            })
            .unwrap_or_else(|| "no hook".into());
        say!(
            x,
            "  attempt {}: {hook} -> {}; running: {}  [{}]",
            a.attempt,
            label(&a.status),
            a.running
                .map(|r| format!("attempt {r}"))
                .unwrap_or_else(|| "nothing".into()),
            a.rule
        );
    }
}

/// The findings, each with where it points and its rule.
fn explain_diagnostics(x: &mut Explanation, diagnostics: &[StageDiagnostic]) {
    x.section("diagnostics");
    for d in diagnostics {
        for line in diagnostic_lines(d) {
            x.line(&line);
        }
    }
}

/// How `explain` shows one finding of an outcome (rule `SCN-7`): `severity[CODE] where:
/// message  [RULE]`, where `where` is `file:line:column` (or the file, or the stage), then
/// `      hint: ...` when it has one, as `check` prints it. Not escaped: the caller escapes
/// each line for a terminal (rule `DIAG-13`).
pub fn diagnostic_lines(d: &StageDiagnostic) -> Vec<String> {
    let at = match (&d.file, d.diagnostic.line, d.diagnostic.column) {
        (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
        (Some(f), _, _) => f.clone(),
        _ => d.stage.as_str().to_string(),
    };
    let mut lines = vec![format!(
        "  {}[{}] {at}: {}  [{}]",
        d.diagnostic.severity.as_str(),
        d.diagnostic.code,
        d.diagnostic.message,
        d.diagnostic.rule()
    )];
    if let Some(hint) = &d.diagnostic.hint {
        lines.push(format!("      hint: {hint}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario from JSON; one without a `date` is dated [`platform::test_day`].
    fn scenario(json: &str) -> Scenario {
        let v: serde_json::Value = serde_json::from_str(json).expect("valid scenario JSON");
        serde_json::from_value(platform::with_test_day(v)).expect("valid scenario JSON")
    }

    fn codes(o: &Outcome) -> Vec<&str> {
        o.diagnostics
            .iter()
            .map(|d| d.diagnostic.code.as_str())
            .collect()
    }

    /// SCN-1: a file written as a JSON object stands for its pretty-printed text: the same
    /// outcome as the escaped string of that text, positions included.
    #[test]
    fn scn_1_a_manifest_can_be_written_as_an_object() {
        let text = "{\n  \"nme\": 1\n}\n";
        let as_object = scenario(
            r#"{"kind": "one-click", "app": {"name": "demo"},
                "repository": {"files": {"scalingo.json": {"nme": 1}}}}"#,
        );
        assert_eq!(as_object.repository.files["scalingo.json"], text);
        let as_string = scenario(&format!(
            r#"{{"kind": "one-click", "app": {{"name": "demo"}},
                "repository": {{"files": {{"scalingo.json": {}}}}}}}"#,
            serde_json::to_string(text).unwrap()
        ));
        assert_eq!(resolve(&as_object), resolve(&as_string));
        // Members sorted by key, whatever order they were written in (serde_json's map).
        let sorted = scenario(
            r#"{"kind": "one-click", "app": {"name": "demo"},
                "repository": {"files": {"scalingo.json": {"name": "x", "env": {}}}}}"#,
        );
        assert_eq!(
            sorted.repository.files["scalingo.json"],
            "{\n  \"env\": {},\n  \"name\": \"x\"\n}\n"
        );
        let bad: Result<Scenario, _> = serde_json::from_str(
            r#"{"kind": "one-click", "app": {"name": "d"}, "repository": {"files": ["x"]}}"#,
        );
        assert!(bad.is_err());
    }

    /// SCN-7: each rule an annotation cites gets its basis mark; text quoted from the inputs
    /// (backquotes, double quotes with escapes) is never marked; codes and decisions are not
    /// rules.
    #[test]
    fn scn_7_rules_are_marked_with_their_basis() {
        assert_eq!(
            mark_rules("  A = \"x [ENV-7]\"  [ENV-7: parent]"),
            "  A = \"x [ENV-7]\"  [ENV-7 (doc+D-19): parent]"
        );
        assert_eq!(
            mark_rules("  run `echo [HOOK-8]` [HOOK-8] -> ok  [LOC-4..LOC-6, D-3]"),
            "  run `echo [HOOK-8]` [HOOK-8 (doc+D-12+D-13)] -> ok  [LOC-4 (doc+D-2)..LOC-6 (D-2), D-3]"
        );
        assert_eq!(
            mark_rules("  v = \"a\\\"[ENV-7]\"  [ENV-7]"),
            "  v = \"a\\\"[ENV-7]\"  [ENV-7 (doc+D-19)]"
        );
        assert_eq!(
            mark_rules("  note[SM1000] addons: x  [ADD-4] ENV-7"),
            "  note[SM1000] addons: x  [ADD-4 (D-7)] ENV-7"
        );
        assert_eq!(mark_rules("[NOPE-1] [ENV-999]"), "[NOPE-1] [ENV-999]");
    }

    /// SCN-7: a one-click deploy with no `source` and no Referer names no priority; an
    /// empty stage says `none`; a finding's hint follows it.
    #[test]
    fn scn_7_explain_says_what_did_not_apply_and_prints_hints() {
        let s = scenario(
            r#"{"kind": "one-click", "app": {"name": "demo"},
                "repository": {"files": {"scalingo.json": "{\"nme\": 1}"}}}"#,
        );
        let text = explain(&resolve(&s));
        assert!(
            text.contains("  manifest read from  none  [SRC-1 (doc+D-4): no `source` parameter and no GitHub Referer]\n"),
            "{text}"
        );
        assert!(!text.contains("beats the Referer"), "{text}");
        let s = scenario(
            r#"{"kind": "one-click", "app": {"name": "demo"}, "request": {"referer": "https://github.com/a/b/tree/dev"},
                "repository": {"files": {"scalingo.json": "{}"}}}"#,
        );
        let text = explain(&resolve(&s));
        assert!(
            text.contains("https://github.com/a/b at dev  [SRC-1 (doc+D-4): named by the Referer, there is no `source` parameter]"),
            "{text}"
        );
        let s = scenario(
            r#"{"kind": "one-click", "app": {"name": "demo"}, "request": {"source": "https://github.com/a/b"},
                "repository": {"files": {"scalingo.json": "{\"nme\": 1}"}}}"#,
        );
        let text = explain(&resolve(&s));
        assert!(
            text.contains("https://github.com/a/b at master  [SRC-1 (doc+D-4): named by `source`, which beats the Referer]"),
            "{text}"
        );
        assert!(
            text.contains("\nenv\n  none  [ENV-3 (doc): no variable has a value: the manifest gives none, and the form none]\n"),
            "{text}"
        );
        assert!(
            text.contains("[MAN-7 (doc+ours)]\n      hint: did you mean `name`?\n"),
            "{text}"
        );
    }

    /// SRC-11: a redirect to another repository says that the Procfile, formation and hooks
    /// come from the files the scenario holds; the manifest naming its own repository (the
    /// confirm case of SRC-8) does not.
    #[test]
    fn src_11_a_redirect_says_whose_files_the_outcome_reads() {
        let run = |repository: &str| {
            let s = scenario(&format!(
                r#"{{"kind": "one-click", "app": {{"name": "demo"}}, "request": {{"source": "https://github.com/o/r"}},
                    "repository": {{"files": {{"scalingo.json": {{"repository": "{repository}"}}, "Procfile": "web: x\n"}}}}}}"#
            ));
            resolve(&s)
        };
        let o = run("https://github.com/o/other");
        let d = o
            .diagnostics
            .iter()
            .find(|d| d.diagnostic.code == Code::RedirectedFilesUnknown)
            .expect("SM0819");
        assert_eq!(d.diagnostic.severity, Severity::Warning);
        assert!(
            d.diagnostic.message.contains("`o/other`") && d.diagnostic.message.contains("`o/r`")
        );
        assert_eq!(o.procfile.path.as_deref(), Some("Procfile"));
        // The manifest's `ref` alone deploys another commit of the same repository.
        let s = scenario(
            r#"{"kind": "one-click", "app": {"name": "demo"}, "request": {"source": "https://github.com/o/r"},
                "repository": {"files": {"scalingo.json": {"ref": "v2"}}}}"#,
        );
        let o = resolve(&s);
        let d = o
            .diagnostics
            .iter()
            .find(|d| d.diagnostic.code == Code::RedirectedFilesUnknown)
            .expect("SM0819 for another ref");
        assert!(
            d.diagnostic.message.contains("`o/r` at `v2`")
                && d.diagnostic.message.contains("at `master`"),
            "{}",
            d.diagnostic.message
        );
        assert!(d
            .diagnostic
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("--source https://github.com/o/r#v2")));
        for same in ["https://github.com/O/R", "https://github.com/o/r"] {
            let o = run(same);
            assert!(
                !o.diagnostics
                    .iter()
                    .any(|d| d.diagnostic.code == Code::RedirectedFilesUnknown),
                "{same}"
            );
        }
    }

    /// SRC-1, SRC-7: the ref a manifest was read at is the request's, else the default
    /// branch, else `master`; a default branch SRC-7 refuses names none.
    #[test]
    fn src_1_the_manifest_ref_is_a_valid_ref_or_none() {
        let run = |extra: &str| {
            let s = scenario(&format!(
                r#"{{"kind": "one-click", "app": {{"name": "demo"}}, "request": {{"source": "https://github.com/o/r"}},
                    "repository": {{"files": {{"scalingo.json": "{{}}"}}{extra}}}}}"#
            ));
            resolve(&s).source.expect("a one-click source")
        };
        assert_eq!(run("").manifest_ref.as_deref(), Some("master"));
        assert_eq!(
            run(r#", "default_branch": "main""#).manifest_ref.as_deref(),
            Some("main")
        );
        assert_eq!(run(r#", "default_branch": "a b""#).manifest_ref, None);
    }

    #[test]
    fn scn_1_review_app_needs_a_parent() {
        let o = resolve(&scenario(
            r#"{"kind": "review-app", "app": {"name": "a-pr1"}}"#,
        ));
        assert_eq!(o.status, OutcomeStatus::Error);
        assert_eq!(codes(&o), ["SM1301", "SM0720", "SM1302"]);
        assert_eq!(o.diagnostics[0].diagnostic.pointer, "/parent");
        assert!(o.env.is_none() && o.hooks.is_none());
    }

    #[test]
    fn src_9_no_repository_reads_no_file() {
        let o = resolve(&scenario(
            r#"{"kind": "one-click", "app": {"name": "a"}, "request": {"source": "http://github.com/o/r"},
                "repository": {"files": {"scalingo.json": "{}", "Procfile": "web: x"}}}"#,
        ));
        assert_eq!(o.status, OutcomeStatus::Error);
        assert_eq!(
            (o.manifest.path.as_deref(), o.procfile.path.as_deref()),
            (None, None)
        );
        assert!(o.manifest.searched.is_empty() && !o.manifest.valid);
        assert!(o
            .diagnostics
            .iter()
            .all(|d| d.stage == "source" || d.stage == "scenario"));
    }

    #[test]
    fn scn_2_app_name_and_url() {
        let o = resolve(&scenario(
            r#"{"kind": "review-app", "app": {"name": "a-pr1", "region": "osc-secnum-fr1"}, "parent": {"name": "a"}}"#,
        ));
        assert_eq!(
            o.app.url.as_deref(),
            Some("https://a-pr1.osc-secnum-fr1.scalingo.io")
        );
        assert_eq!(o.status, OutcomeStatus::Ok);
        let o = resolve(&scenario(
            r#"{"kind": "review-app", "app": {"name": "Bad_Name"}, "parent": {"name": "a"}}"#,
        ));
        assert_eq!(codes(&o)[0], "SM1303");
    }

    #[test]
    fn scn_3_each_problem_is_reported_once() {
        let o = resolve(&scenario(
            r#"{"kind": "review-app", "seed": 1, "app": {"name": "a-pr1"}, "parent": {"name": "a"},
                "repository": {"files": {"scalingo.json":
                  "{\"env\": {\"PROJECT_DIR\": {\"value\": \"x\"}, \"T\": {\"generator\": \"template\", \"template\": \"%FOO%\"}}}"}}}"#,
        ));
        let c = codes(&o);
        assert!(c.contains(&"SM0222") && c.contains(&"SM0217"), "{c:?}");
        assert!(!c.contains(&"SM0952") && !c.contains(&"SM0900"), "{c:?}");
        // The variables are still resolved.
        let vars = &o.env.as_ref().expect("env resolved").vars;
        assert_eq!(vars["PROJECT_DIR"].value, "x");
        assert_eq!(vars["T"].value, "%FOO%");
    }

    #[test]
    fn scn_4_and_5_errors_stop_at_the_right_stage() {
        // Input error: an invalid manifest stops everything after the Procfile.
        let o = resolve(&scenario(
            r#"{"kind": "review-app", "app": {"name": "a-pr1"}, "parent": {"name": "a"},
                "repository": {"files": {"scalingo.json": "{,}"}}}"#,
        ));
        assert!(o.stack.is_none() && o.env.is_none() && o.formation.is_none());
        assert_eq!(*codes(&o).last().unwrap(), "SM1302");
        // Configuration error: sections shown, no deployment.
        let o = resolve(&scenario(
            r#"{"kind": "one-click", "app": {"name": "a"}, "request": {"source": "https://github.com/o/r"},
                "repository": {"files": {"scalingo.json": "{\"env\": {\"K\": {\"required\": true}}}"}},
                "attempts": [{}]}"#,
        ));
        assert!(o.env.is_some() && o.formation.is_some());
        assert!(o.hooks.is_none());
        assert_eq!(*codes(&o).last().unwrap(), "SM1305");
    }

    #[test]
    fn scn_6_stack() {
        let on = |parent: &str, m: &str| {
            resolve(&scenario(&format!(
                r#"{{"kind": "review-app", "app": {{"name": "a-pr1"}}, "parent": {{"name": "a", "stack": "{parent}"}},
                    "repository": {{"files": {{"scalingo.json": {}}}}}}}"#,
                serde_json::to_string(m).unwrap()
            )))
        };
        let pick = |o: &Outcome| {
            let s = o.stack.clone().unwrap();
            (s.value, s.origin, s.requested, s.requested_status)
        };
        let o = on("scalingo-22", r#"{"stack": "scalingo-24"}"#);
        assert_eq!(
            pick(&o),
            (Some("scalingo-24".into()), "manifest".into(), None, None)
        );
        // An unknown stack is not kept: the parent's (deprecated, still used) stands.
        let o = on("scalingo-22", r#"{"stack": "heroku-16"}"#);
        assert_eq!(
            pick(&o),
            (Some("scalingo-22".into()), "parent".into(), None, None)
        );
        assert_eq!(
            codes(&o)[0],
            "SM0105",
            "the check reports the unknown stack"
        );
        // A parent on a discontinued stack: the review app gets the default stack.
        let o = on("scalingo-20", "{}");
        assert_eq!(
            pick(&o),
            (
                Some("scalingo-26".into()),
                "default".into(),
                Some("scalingo-20".into()),
                Some(platform::StackStatus::Discontinued)
            )
        );
        assert!(codes(&o).contains(&"SM1306"));
        // A manifest asking for a discontinued stack: warned by the check, not noted twice.
        let o = on("scalingo-24", r#"{"stack": "scalingo-18"}"#);
        assert_eq!(pick(&o).0.as_deref(), Some("scalingo-26"));
        assert!(codes(&o).contains(&"SM0111") && !codes(&o).contains(&"SM1306"));
        // On 2025-01-01 scalingo-20 was still supported, and scalingo-22 the default.
        let mut s = scenario(
            r#"{"kind": "one-click", "app": {"name": "a"}, "request": {"source": "https://github.com/o/r"}}"#,
        );
        s.date = "2025-01-01".parse().unwrap();
        assert_eq!(
            resolve(&s).stack.unwrap().value.as_deref(),
            Some("scalingo-22")
        );
    }

    /// SCN-LIM-1: more than 10,000 files is an error (SM1300 at `/repository/files`) and
    /// nothing in the tree is searched; 10,000 files are searched.
    #[test]
    fn scn_lim_1_more_than_ten_thousand_files_stop_the_search() {
        let mut s = scenario(
            r#"{"kind": "review-app", "app": {"name": "a-pr1"}, "parent": {"name": "a"},
                "repository": {"files": {"scalingo.json": "{}"}}}"#,
        );
        for i in 1..locate::MAX_PATHS {
            s.repository.files.insert(format!("f{i}"), String::new());
        }
        assert_eq!(s.repository.files.len(), locate::MAX_PATHS);
        let o = resolve(&s);
        assert!(!codes(&o).contains(&"SM1300"), "{:?}", codes(&o));
        assert_eq!(o.manifest.path.as_deref(), Some("scalingo.json"));
        s.repository.files.insert("g".into(), String::new());
        let o = resolve(&s);
        let d = o
            .diagnostics
            .iter()
            .find(|d| d.diagnostic.code == "SM1300")
            .expect("SM1300");
        assert_eq!(d.diagnostic.pointer, "/repository/files");
        assert_eq!(o.manifest.path, None);
        assert_eq!(o.status, OutcomeStatus::Error);
    }
}
