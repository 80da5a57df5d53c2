//! `hooks`: which deployment hooks run on each deployment attempt of a new app, in what
//! order, and the status each attempt ends with (spec `spec/hooks.md`, rules `HOOK-1` ..
//! `HOOK-16`, codes `SM1201` .. `SM1205`).
//!
//! The scheduler is a pure, deterministic function of the app kind, the hook scripts
//! (manifest `scripts.first-deploy`, deprecated manifest `scripts.postdeploy`, Procfile
//! `postdeploy:`) and a sequence of deployment attempts, each described by the result of
//! its build, its container start and (if a hook runs) its hook:
//!
//! ```
//! use scalingo_manifest::hooks::{schedule, Attempt, HookScripts, Status};
//! use scalingo_manifest::AppKind;
//!
//! let scripts = HookScripts {
//!     first_deploy: Some("rake db:seed".into()),
//!     procfile_postdeploy: Some("rake db:migrate".into()),
//!     ..HookScripts::default()
//! };
//! let attempts = [Attempt::build_error(), Attempt::hook_exit(1), Attempt::ok(), Attempt::ok()];
//! let out = schedule(AppKind::ReviewApp, &scripts, &attempts);
//! let statuses: Vec<Status> = out.attempts.iter().map(|a| a.status).collect();
//! assert_eq!(
//!     statuses,
//!     [Status::BuildError, Status::HookError, Status::Success, Status::Success]
//! );
//! // first-deploy ran on attempts 2 and 3, the Procfile postdeploy on attempt 4.
//! let cmds: Vec<Option<&str>> =
//!     out.attempts.iter().map(|a| a.hook.as_ref().map(|h| h.command.as_str())).collect();
//! assert_eq!(cmds, [None, Some("rake db:seed"), Some("rake db:seed"), Some("rake db:migrate")]);
//! ```
//!
//! JSON shapes (snake_case fields, kebab-case values; see [`HooksInput`] and [`HooksOutcome`]):
//!
//! ```json
//! {"kind": "review-app",
//!  "scripts": {"first_deploy": "rake db:seed", "manifest_postdeploy": null, "procfile_postdeploy": "rake db:migrate"},
//!  "attempts": [{"build": "error"}, {"hook": {"exit": 1}}, {}, {"hook": "timeout"}]}
//! ```

use serde::{Deserialize, Serialize};

use crate::diag::{self, Code, Diagnostic};
use crate::manifest::Scripts;
use crate::AppKind;

/// At most this many attempts are scheduled per call (rule `HOOK-15`).
pub const MAX_ATTEMPTS: usize = 1000;

/// The exit status a hook reports when the platform stops it after its 20-minute limit
/// (rule `HOOK-5`; the postdeploy hook page: "the process will be stopped and the status
/// -128 will be returned").
pub const TIMEOUT_EXIT: i32 = -128;

/// The hook scripts of an app (rule `HOOK-14`: a script that is empty or only whitespace
/// counts as absent).
///
/// JSON: `{"first_deploy": "cmd" | null, "manifest_postdeploy": "cmd" | null,
/// "procfile_postdeploy": "cmd" | null}`; every key is optional, unknown keys are rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookScripts {
    /// Manifest `scripts.first-deploy` (rules `HOOK-8`).
    #[serde(default)]
    pub first_deploy: Option<String>,
    /// Manifest `scripts.postdeploy`, deprecated (rules `HOOK-10` .. `HOOK-13`).
    #[serde(default)]
    pub manifest_postdeploy: Option<String>,
    /// The command of the Procfile's `postdeploy:` entry (rule `HOOK-9`).
    #[serde(default)]
    pub procfile_postdeploy: Option<String>,
}

impl HookScripts {
    /// The scripts of a parsed manifest plus the Procfile's `postdeploy:` command (if any).
    pub fn from_manifest(scripts: &Scripts, procfile_postdeploy: Option<&str>) -> Self {
        HookScripts {
            first_deploy: scripts.first_deploy.as_ref().map(|s| s.value.to_string()),
            manifest_postdeploy: scripts.postdeploy.as_ref().map(|s| s.value.to_string()),
            procfile_postdeploy: procfile_postdeploy.map(str::to_string),
        }
    }
}

/// Result of an attempt's build step (JSON `"success"` or `"error"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildResult {
    /// The image was built.
    #[default]
    Success,
    /// The build failed (rule `HOOK-2`).
    Error,
}

/// Result of starting the new version's containers (JSON `"success"`, `"crashed"` or
/// `"timeout"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StartResult {
    /// The new containers started.
    #[default]
    Success,
    /// A start error: the new containers crashed while starting (rule `HOOK-3`).
    Crashed,
    /// A boot timeout: a `web`/`tcp` container did not bind `PORT` in time (rule `HOOK-3`).
    Timeout,
}

/// Result the hook of an attempt would have, if one runs (JSON `{"exit": n}` or
/// `"timeout"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HookResult {
    /// The hook process exits with this status (0 is success, rules `HOOK-4`, `HOOK-6`).
    Exit(i32),
    /// The hook runs past the 20-minute limit and is stopped (rule `HOOK-5`).
    Timeout,
}

impl Default for HookResult {
    fn default() -> Self {
        HookResult::Exit(0)
    }
}

/// One deployment attempt: what its build, its container start and its hook (if one runs)
/// do. Every field is optional and defaults to success, so `{}` is an attempt where
/// everything succeeds.
///
/// JSON: `{"build": "success"|"error", "start": "success"|"crashed"|"timeout",
/// "hook": {"exit": n} | "timeout"}`; unknown keys are rejected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attempt {
    /// Result of the build.
    #[serde(default)]
    pub build: BuildResult,
    /// Result of starting the new containers (reached only after a successful build).
    #[serde(default)]
    pub start: StartResult,
    /// Result of the hook (used only when a hook runs on this attempt).
    #[serde(default)]
    pub hook: HookResult,
}

impl Attempt {
    /// An attempt where everything succeeds (`{}`).
    pub fn ok() -> Self {
        Attempt::default()
    }

    /// An attempt whose build fails (`{"build": "error"}`).
    pub fn build_error() -> Self {
        Attempt {
            build: BuildResult::Error,
            ..Attempt::default()
        }
    }

    /// An attempt whose containers fail to start in the given way.
    pub fn start(start: StartResult) -> Self {
        Attempt {
            start,
            ..Attempt::default()
        }
    }

    /// An attempt whose hook, if one runs, exits with `code`.
    pub fn hook_exit(code: i32) -> Self {
        Attempt {
            hook: HookResult::Exit(code),
            ..Attempt::default()
        }
    }

    /// An attempt whose hook, if one runs, runs past the 20-minute limit.
    pub fn hook_timeout() -> Self {
        Attempt {
            hook: HookResult::Timeout,
            ..Attempt::default()
        }
    }
}

/// The input of the `hooks` capability: `{"kind", "scripts", "attempts"}`.
///
/// `kind` is `"one-click"` or `"review-app"`; `scripts` defaults to no scripts; `attempts`
/// defaults to none. Diagnostic pointers of [`schedule`] point into this shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HooksInput {
    /// Which kind of app is deployed.
    pub kind: AppKind,
    /// The hook scripts.
    #[serde(default)]
    pub scripts: HookScripts,
    /// The deployment attempts, in order.
    #[serde(default)]
    pub attempts: Vec<Attempt>,
}

/// Which hook runs (JSON `"first-deploy"` or `"postdeploy"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HookKind {
    /// The first-deploy hook: runs only while the first deployment is pending.
    FirstDeploy,
    /// The postdeploy hook: runs after every deployment that reaches the hook step.
    Postdeploy,
}

/// Where a hook's command comes from (JSON `"manifest-first-deploy"`,
/// `"manifest-postdeploy"` or `"procfile"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HookSource {
    /// Manifest `scripts.first-deploy`.
    ManifestFirstDeploy,
    /// Manifest `scripts.postdeploy` (deprecated).
    ManifestPostdeploy,
    /// The Procfile's `postdeploy:` entry.
    Procfile,
}

/// Status of a deployment attempt, with Scalingo's deployment status names (JSON
/// `"success"`, `"build-error"`, `"crashed-error"`, `"timeout-error"`, `"hook-error"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The new version serves traffic (rule `HOOK-6`).
    Success,
    /// The build failed (rule `HOOK-2`).
    BuildError,
    /// The new containers crashed while starting (rule `HOOK-3`).
    CrashedError,
    /// The new containers did not bind `PORT` in time (rule `HOOK-3`).
    TimeoutError,
    /// The hook failed or timed out (rules `HOOK-4`, `HOOK-5`).
    HookError,
}

/// One hook run.
///
/// JSON: `{"hook": "first-deploy"|"postdeploy", "command": "...", "from":
/// "manifest-first-deploy"|"manifest-postdeploy"|"procfile", "exit": n, "timed_out": bool,
/// "rule": "HOOK-n"}`. `exit` is the hook's exit status, `-128` when it timed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookRun {
    /// Which hook runs.
    pub hook: HookKind,
    /// The command run, as written.
    pub command: String,
    /// Where the command comes from.
    pub from: HookSource,
    /// Exit status; [`TIMEOUT_EXIT`] (`-128`) when the hook timed out.
    pub exit: i32,
    /// True when the platform stopped the hook after its 20-minute limit (rule `HOOK-5`).
    pub timed_out: bool,
    /// The rule that makes this hook run on this attempt (`HOOK-8`, `HOOK-9`, `HOOK-11` or
    /// `HOOK-12`).
    pub rule: String,
}

/// What happened on one attempt.
///
/// JSON: `{"attempt": n, "hook": HookRun | null, "status": "...", "running": n | null,
/// "first_deploy_pending": bool, "rule": "HOOK-n"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptOutcome {
    /// 1-based number of the attempt.
    pub attempt: usize,
    /// The hook that ran on this attempt, if any (at most one per attempt, rule `HOOK-1`).
    pub hook: Option<HookRun>,
    /// Status of the attempt.
    pub status: Status,
    /// The 1-based number of the attempt whose version serves traffic after this attempt;
    /// `null` while no attempt has succeeded (rules `HOOK-4`, `HOOK-6`).
    pub running: Option<usize>,
    /// True while no attempt has succeeded yet, after this attempt (rule `HOOK-7`).
    pub first_deploy_pending: bool,
    /// The rule that decides the status (`HOOK-2` .. `HOOK-6`).
    pub rule: String,
}

/// The whole schedule: one outcome per scheduled attempt, in order, and the diagnostics.
///
/// JSON: `{"attempts": [AttemptOutcome...], "diagnostics": [Diagnostic...]}`; diagnostics
/// are in canonical order (rule `DIAG-4`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HooksOutcome {
    /// One outcome per scheduled attempt (at most [`MAX_ATTEMPTS`]).
    pub attempts: Vec<AttemptOutcome>,
    /// Findings about the scripts and the attempts.
    pub diagnostics: Vec<Diagnostic>,
}

/// A script that can run as a hook, with the role it plays.
#[derive(Debug, Clone, Copy)]
struct Role<'a> {
    command: &'a str,
    from: HookSource,
    rule: &'static str,
}

/// Which script plays which role, for an app kind (rules `HOOK-8` .. `HOOK-14`).
#[derive(Debug, Clone, Copy, Default)]
struct Plan<'a> {
    /// Runs on attempts that reach the hook step while the first deployment is pending.
    first_deploy: Option<Role<'a>>,
    /// Runs on every other attempt that reaches the hook step.
    postdeploy: Option<Role<'a>>,
}

/// A script that is not empty after trimming whitespace (rule `HOOK-14`).
fn present(script: &Option<String>) -> Option<&str> {
    script.as_deref().filter(|s| !s.trim().is_empty())
}

const MANIFEST_POSTDEPLOY_POINTER: &str = "/scripts/manifest_postdeploy";
const MANIFEST_POSTDEPLOY_HINT: &str =
    "move the command to a `postdeploy:` entry in the Procfile, or to `scripts.first-deploy` if it should run only until the first successful deployment";

fn plan<'a>(kind: AppKind, scripts: &'a HookScripts, diags: &mut Vec<Diagnostic>) -> Plan<'a> {
    let first = present(&scripts.first_deploy);
    let manifest_post = present(&scripts.manifest_postdeploy);
    let procfile_post = present(&scripts.procfile_postdeploy);

    let mut plan = Plan {
        first_deploy: first.map(|command| Role {
            command,
            from: HookSource::ManifestFirstDeploy,
            rule: "HOOK-8",
        }),
        postdeploy: procfile_post.map(|command| Role {
            command,
            from: HookSource::Procfile,
            rule: "HOOK-9",
        }),
    };

    let Some(command) = manifest_post else {
        return plan;
    };
    if procfile_post.is_some() {
        // HOOK-13: the Procfile's postdeploy wins, for every app kind.
        diags.push(
            Diagnostic::new(
                Code::ManifestPostdeployShadowedByProcfile,
                "the deprecated manifest `scripts.postdeploy` never runs: the Procfile defines a `postdeploy:` hook, which wins",
            )
            .with_pointer(MANIFEST_POSTDEPLOY_POINTER)
            .with_hint("remove `scripts.postdeploy` from the manifest"),
        );
        return plan;
    }
    let role = |rule| Role {
        command,
        from: HookSource::ManifestPostdeploy,
        rule,
    };
    match kind {
        AppKind::ReviewApp => {
            // HOOK-11: acts as the postdeploy hook of the review app.
            plan.postdeploy = Some(role("HOOK-11"));
            diags.push(
                Diagnostic::new(
                    Code::DeprecatedManifestPostdeploy,
                    "`scripts.postdeploy` is deprecated; it runs as the review app's postdeploy hook after each deployment where first-deploy does not run",
                )
                .with_pointer(MANIFEST_POSTDEPLOY_POINTER)
                .with_hint(MANIFEST_POSTDEPLOY_HINT),
            );
        }
        AppKind::OneClick if plan.first_deploy.is_some() => {
            // HOOK-12: the manifest is used once; first-deploy already plays that role.
            diags.push(
                Diagnostic::new(
                    Code::OneClickPostdeployShadowedByFirstDeploy,
                    "the deprecated manifest `scripts.postdeploy` never runs in a one-click deploy: `scripts.first-deploy` is defined and the manifest is used only once",
                )
                .with_pointer(MANIFEST_POSTDEPLOY_POINTER)
                .with_hint("remove `scripts.postdeploy`, or put its command in a `postdeploy:` entry of the Procfile"),
            );
        }
        AppKind::OneClick => {
            // HOOK-12: acts as first-deploy.
            plan.first_deploy = Some(role("HOOK-12"));
            diags.push(
                Diagnostic::new(
                    Code::DeprecatedManifestPostdeploy,
                    "`scripts.postdeploy` is deprecated; in a one-click deploy it runs as the first-deploy hook, until the first successful deployment",
                )
                .with_pointer(MANIFEST_POSTDEPLOY_POINTER)
                .with_hint(MANIFEST_POSTDEPLOY_HINT),
            );
        }
    }
    plan
}

/// `/attempts/<index>/<field>`: `field` is one of the fixed names `start` and `hook`, and
/// neither they nor a number have a `~` or `/` to escape (RFC 6901), so one `format!`
/// builds what two [`diag::pointer_push`] would.
fn attempt_pointer(index: usize, field: &'static str) -> String {
    format!("/attempts/{index}/{field}")
}

/// Schedules the hooks of `attempts` (the deployments of one new app, in order) for an app
/// of `kind` with `scripts` (spec `spec/hooks.md`).
///
/// For each attempt, in order (rule `HOOK-1`): a failed build gives `build-error`
/// (`HOOK-2`); else a failed start gives `crashed-error` or `timeout-error` (`HOOK-3`);
/// else at most one hook runs: first-deploy while no attempt has succeeded yet (`HOOK-7`,
/// `HOOK-8`; for a one-click app the deprecated `scripts.postdeploy` plays that role when
/// there is no first-deploy and no Procfile postdeploy, `HOOK-12`), otherwise the postdeploy
/// hook (the Procfile's, `HOOK-9`, or for a review app the deprecated manifest one,
/// `HOOK-11`, `HOOK-13`). A hook exiting non-zero or timing out (exit `-128`) gives
/// `hook-error` and the previous version keeps running (`HOOK-4`, `HOOK-5`); otherwise the
/// attempt is a `success` and its version serves traffic (`HOOK-6`).
///
/// Never fails and never panics. Diagnostics: `SM1201`..`SM1203` (warnings about the
/// deprecated manifest `scripts.postdeploy`), `SM1204` (error: more than [`MAX_ATTEMPTS`]
/// attempts; only the first 1000 are scheduled), `SM1205` (note: a start or hook result that
/// is never reached). Pointers point into the [`HooksInput`] JSON shape.
pub fn schedule(kind: AppKind, scripts: &HookScripts, attempts: &[Attempt]) -> HooksOutcome {
    let mut diagnostics = Vec::new();
    let plan = plan(kind, scripts, &mut diagnostics);

    let scheduled = if attempts.len() > MAX_ATTEMPTS {
        diagnostics.push(
            Diagnostic::new(
                Code::TooManyAttempts,
                format!(
                    "{} deployment attempts given, at most {MAX_ATTEMPTS} are scheduled; the last {} are ignored",
                    attempts.len(),
                    attempts.len() - MAX_ATTEMPTS
                ),
            )
            .with_pointer(diag::pointer_push("/attempts", &MAX_ATTEMPTS.to_string())),
        );
        attempts.get(..MAX_ATTEMPTS).unwrap_or(attempts)
    } else {
        attempts
    };

    let mut outcomes = Vec::with_capacity(scheduled.len());
    let mut running: Option<usize> = None;
    let mut pending = true;
    for (index, attempt) in scheduled.iter().enumerate() {
        let number = index + 1;
        let mut hook = None;
        let (status, rule) = if attempt.build == BuildResult::Error {
            if attempt.start != StartResult::Success {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ResultNotReached,
                        format!("attempt {number}: the start result is never reached because the build fails"),
                    )
                    .with_pointer(attempt_pointer(index, "start")),
                );
            }
            (Status::BuildError, "HOOK-2")
        } else {
            match attempt.start {
                StartResult::Crashed => (Status::CrashedError, "HOOK-3"),
                StartResult::Timeout => (Status::TimeoutError, "HOOK-3"),
                StartResult::Success => {
                    let role = if pending {
                        plan.first_deploy.map(|r| (HookKind::FirstDeploy, r))
                    } else {
                        None
                    }
                    .or_else(|| plan.postdeploy.map(|r| (HookKind::Postdeploy, r)));
                    match role {
                        None => (Status::Success, "HOOK-6"),
                        Some((which, role)) => {
                            let (exit, timed_out) = match attempt.hook {
                                HookResult::Exit(code) => (code, false),
                                HookResult::Timeout => (TIMEOUT_EXIT, true),
                            };
                            hook = Some(HookRun {
                                hook: which,
                                command: role.command.to_string(),
                                from: role.from,
                                exit,
                                timed_out,
                                rule: role.rule.to_string(),
                            });
                            if timed_out {
                                (Status::HookError, "HOOK-5")
                            } else if exit != 0 {
                                (Status::HookError, "HOOK-4")
                            } else {
                                (Status::Success, "HOOK-6")
                            }
                        }
                    }
                }
            }
        };
        if hook.is_none() && attempt.hook != HookResult::Exit(0) {
            let why = match status {
                Status::BuildError => "the build fails",
                Status::CrashedError | Status::TimeoutError => "the containers fail to start",
                _ => "no hook runs on it",
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::ResultNotReached,
                    format!("attempt {number}: the hook result is never reached because {why}"),
                )
                .with_pointer(attempt_pointer(index, "hook")),
            );
        }
        if status == Status::Success {
            running = Some(number);
            pending = false;
        }
        outcomes.push(AttemptOutcome {
            attempt: number,
            hook,
            status,
            running,
            first_deploy_pending: pending,
            rule: rule.to_string(),
        });
    }

    diag::sort(&mut diagnostics);
    HooksOutcome {
        attempts: outcomes,
        diagnostics,
    }
}

/// The findings of [`schedule`] that repeat a finding of the manifest check, as (this
/// module's code, the check's code) pairs (rule `SCN-3`): the deprecated
/// manifest `scripts.postdeploy` (`SM1201` repeats `SM0502`; the hook timeline shows how
/// the script runs).
pub const REPORTED_BY_CHECK: [(Code, Code); 1] = [(
    Code::DeprecatedManifestPostdeploy,
    Code::PostdeployDeprecated,
)];

/// The manifest's pointer for a pointer of this module's input: the input's
/// `/scripts/manifest_postdeploy` is the manifest's `/scripts/postdeploy`; `None` for a
/// pointer into the attempts.
pub fn manifest_pointer(pointer: &str) -> Option<String> {
    pointer
        .strip_prefix(MANIFEST_POSTDEPLOY_POINTER)
        .map(|rest| format!("/scripts/postdeploy{rest}"))
}

/// [`schedule`] for scripts that [`check`](crate::manifest::check) validated, given the
/// findings `check` reported (rule `SCN-3`): a finding `check` already reported at the
/// same manifest pointer (see [`REPORTED_BY_CHECK`], [`manifest_pointer`]) is not
/// reported again. Pointers stay those of [`schedule`].
pub fn schedule_checked(
    kind: AppKind,
    scripts: &HookScripts,
    attempts: &[Attempt],
    check: &[Diagnostic],
) -> HooksOutcome {
    let mut out = schedule(kind, scripts, attempts);
    out.diagnostics.retain(|d| {
        let Some(pointer) = manifest_pointer(&d.pointer) else {
            return true;
        };
        !REPORTED_BY_CHECK.iter().any(|(own, by_check)| {
            d.code == *own
                && check
                    .iter()
                    .any(|c| c.code == *by_check && c.pointer == pointer)
        })
    });
    out
}

/// [`schedule`] on a [`HooksInput`].
#[cfg(test)]
fn schedule_input(input: &HooksInput) -> HooksOutcome {
    schedule(input.kind, &input.scripts, &input.attempts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::manifest::Spanned;
    use crate::text::Span;
    use AppKind::{OneClick, ReviewApp};

    const FD: &str = "rake db:seed";
    const MP: &str = "rake legacy";
    const PP: &str = "rake db:migrate";

    fn scripts(fd: Option<&str>, mp: Option<&str>, pp: Option<&str>) -> HookScripts {
        HookScripts {
            first_deploy: fd.map(str::to_string),
            manifest_postdeploy: mp.map(str::to_string),
            procfile_postdeploy: pp.map(str::to_string),
        }
    }

    /// Compact view of one attempt: (hook kind, command, source, exit, status, running,
    /// pending, status rule, hook rule).
    type Row = (
        Option<(HookKind, String, HookSource, i32)>,
        Status,
        Option<usize>,
        bool,
        String,
        Option<String>,
    );

    fn rows(out: &HooksOutcome) -> Vec<Row> {
        out.attempts
            .iter()
            .map(|a| {
                (
                    a.hook
                        .as_ref()
                        .map(|h| (h.hook, h.command.clone(), h.from, h.exit)),
                    a.status,
                    a.running,
                    a.first_deploy_pending,
                    a.rule.clone(),
                    a.hook.as_ref().map(|h| h.rule.clone()),
                )
            })
            .collect()
    }

    fn codes(out: &HooksOutcome) -> Vec<&str> {
        out.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    /// HOOK-10, SCN-3: after the check, the deprecated `scripts.postdeploy` is
    /// reported once, by the check's SM0502 at `/scripts/postdeploy`.
    #[test]
    fn hook_10_schedule_checked_leaves_out_what_the_check_reported() {
        let s = scripts(None, Some(MP), None);
        let attempts = [Attempt::default()];
        let by_check =
            Diagnostic::new(Code::PostdeployDeprecated, "x").with_pointer("/scripts/postdeploy");
        let plain = schedule(AppKind::ReviewApp, &s, &attempts);
        assert_eq!(codes(&plain), ["SM1201"]);
        let checked = schedule_checked(AppKind::ReviewApp, &s, &attempts, &[by_check]);
        assert!(codes(&checked).is_empty());
        assert_eq!(checked.attempts, plain.attempts);
        assert_eq!(
            schedule_checked(AppKind::ReviewApp, &s, &attempts, &[]).diagnostics,
            plain.diagnostics
        );
        assert_eq!(
            manifest_pointer("/scripts/manifest_postdeploy").as_deref(),
            Some("/scripts/postdeploy")
        );
        assert_eq!(manifest_pointer("/attempts/0/hook"), None);
    }

    fn run(
        kind: HookKind,
        cmd: &str,
        from: HookSource,
        exit: i32,
    ) -> Option<(HookKind, String, HookSource, i32)> {
        Some((kind, cmd.to_string(), from, exit))
    }

    fn row(
        hook: Option<(HookKind, String, HookSource, i32)>,
        status: Status,
        running: Option<usize>,
        pending: bool,
        rule: &str,
        hook_rule: Option<&str>,
    ) -> Row {
        (
            hook,
            status,
            running,
            pending,
            rule.to_string(),
            hook_rule.map(str::to_string),
        )
    }

    use HookKind::{FirstDeploy, Postdeploy};
    use HookSource::{ManifestFirstDeploy, ManifestPostdeploy, Procfile};
    use Status::{BuildError, CrashedError, HookError, Success, TimeoutError};

    // HOOK-1, HOOK-2, HOOK-4, HOOK-6, HOOK-7, HOOK-8, HOOK-9: the spec's worked example.
    #[test]
    fn review_app_worked_example() {
        let out = schedule(
            ReviewApp,
            &scripts(Some(FD), None, Some(PP)),
            &[
                Attempt::build_error(),
                Attempt::hook_exit(1),
                Attempt::ok(),
                Attempt::ok(),
            ],
        );
        assert_eq!(
            rows(&out),
            vec![
                row(None, BuildError, None, true, "HOOK-2", None),
                row(
                    run(FirstDeploy, FD, ManifestFirstDeploy, 1),
                    HookError,
                    None,
                    true,
                    "HOOK-4",
                    Some("HOOK-8")
                ),
                row(
                    run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                    Success,
                    Some(3),
                    false,
                    "HOOK-6",
                    Some("HOOK-8")
                ),
                row(
                    run(Postdeploy, PP, Procfile, 0),
                    Success,
                    Some(4),
                    false,
                    "HOOK-6",
                    Some("HOOK-9")
                ),
            ]
        );
        assert!(out.diagnostics.is_empty());
        let attempt_numbers: Vec<usize> = out.attempts.iter().map(|a| a.attempt).collect();
        assert_eq!(attempt_numbers, [1, 2, 3, 4]);
    }

    #[test]
    fn worked_example_json_shape() {
        let input: HooksInput = serde_json::from_str(
            r#"{"kind":"review-app",
                "scripts":{"first_deploy":"rake db:seed","procfile_postdeploy":"rake db:migrate"},
                "attempts":[{"build":"error"},{"hook":{"exit":1}},{},{"hook":"timeout"}]}"#,
        )
        .unwrap();
        let out = schedule_input(&input);
        let json = serde_json::to_string(&out).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"attempts":["#,
                r#"{"attempt":1,"hook":null,"status":"build-error","running":null,"first_deploy_pending":true,"rule":"HOOK-2"},"#,
                r#"{"attempt":2,"hook":{"hook":"first-deploy","command":"rake db:seed","from":"manifest-first-deploy","exit":1,"timed_out":false,"rule":"HOOK-8"},"status":"hook-error","running":null,"first_deploy_pending":true,"rule":"HOOK-4"},"#,
                r#"{"attempt":3,"hook":{"hook":"first-deploy","command":"rake db:seed","from":"manifest-first-deploy","exit":0,"timed_out":false,"rule":"HOOK-8"},"status":"success","running":3,"first_deploy_pending":false,"rule":"HOOK-6"},"#,
                r#"{"attempt":4,"hook":{"hook":"postdeploy","command":"rake db:migrate","from":"procfile","exit":-128,"timed_out":true,"rule":"HOOK-9"},"status":"hook-error","running":3,"first_deploy_pending":false,"rule":"HOOK-5"}"#,
                r#"],"diagnostics":[]}"#
            )
        );
        // The output reads back to the same value.
        let back: HooksOutcome = serde_json::from_str(&json).unwrap();
        assert_eq!(back, out);
    }

    #[test]
    fn input_shapes_and_defaults() {
        let a: Attempt = serde_json::from_str("{}").unwrap();
        assert_eq!(a, Attempt::ok());
        assert_eq!(a.hook, HookResult::Exit(0));
        let a: Attempt =
            serde_json::from_str(r#"{"build":"success","start":"crashed","hook":{"exit":3}}"#)
                .unwrap();
        assert_eq!(
            a,
            Attempt {
                build: BuildResult::Success,
                start: StartResult::Crashed,
                hook: HookResult::Exit(3)
            }
        );
        let a: Attempt = serde_json::from_str(r#"{"start":"timeout","hook":"timeout"}"#).unwrap();
        assert_eq!(a.start, StartResult::Timeout);
        assert_eq!(a.hook, HookResult::Timeout);
        assert_eq!(
            serde_json::to_string(&Attempt::hook_exit(2)).unwrap(),
            r#"{"build":"success","start":"success","hook":{"exit":2}}"#
        );
        let i: HooksInput = serde_json::from_str(r#"{"kind":"one-click"}"#).unwrap();
        assert_eq!(i.kind, OneClick);
        assert_eq!(i.scripts, HookScripts::default());
        assert!(i.attempts.is_empty());
        let s: HookScripts =
            serde_json::from_str(r#"{"first_deploy":null,"manifest_postdeploy":"x"}"#).unwrap();
        assert_eq!(s, scripts(None, Some("x"), None));
    }

    #[test]
    fn bad_inputs_are_rejected() {
        for bad in [
            r#"{"build":"crashed"}"#,
            r#"{"start":"error"}"#,
            r#"{"hook":{"exit":"1"}}"#,
            r#"{"hook":{"exit":1.5}}"#,
            r#"{"hook":{"exit":4294967296}}"#,
            r#"{"hook":"crash"}"#,
            r#"{"hook":0}"#,
            r#"{"buld":"error"}"#,
            r#""ok""#,
            r#"null"#,
        ] {
            assert!(
                serde_json::from_str::<Attempt>(bad).is_err(),
                "accepted {bad}"
            );
        }
        for bad in [
            r#"{"attempts":[]}"#,
            r#"{"kind":"app","attempts":[]}"#,
            r#"{"kind":"review-app","scripts":{"postdeploy":"x"}}"#,
            r#"{"kind":"review-app","extra":1}"#,
            r#"{"kind":"review-app","scripts":{"first_deploy":1}}"#,
        ] {
            assert!(
                serde_json::from_str::<HooksInput>(bad).is_err(),
                "accepted {bad}"
            );
        }
    }

    // HOOK-8, HOOK-7: first-deploy alone never runs after the first success.
    #[test]
    fn first_deploy_alone_stops_after_first_success() {
        for kind in [ReviewApp, OneClick] {
            let out = schedule(
                kind,
                &scripts(Some(FD), None, None),
                &[Attempt::ok(), Attempt::hook_exit(1), Attempt::ok()],
            );
            assert_eq!(
                rows(&out),
                vec![
                    row(
                        run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                        Success,
                        Some(1),
                        false,
                        "HOOK-6",
                        Some("HOOK-8")
                    ),
                    row(None, Success, Some(2), false, "HOOK-6", None),
                    row(None, Success, Some(3), false, "HOOK-6", None),
                ]
            );
            // attempt 2's failing hook result is never reached (HOOK-16)
            assert_eq!(codes(&out), ["SM1205"]);
            assert_eq!(out.diagnostics[0].pointer, "/attempts/1/hook");
            assert_eq!(
                out.diagnostics[0].message,
                "attempt 2: the hook result is never reached because no hook runs on it"
            );
        }
    }

    // HOOK-7, HOOK-8, D-13: a failing first-deploy is retried with no limit.
    #[test]
    fn failing_first_deploy_is_retried_without_limit() {
        let mut attempts = vec![Attempt::hook_exit(1); 12];
        attempts.push(Attempt::ok());
        attempts.push(Attempt::ok());
        let out = schedule(ReviewApp, &scripts(Some(FD), None, Some(PP)), &attempts);
        for a in &out.attempts[..12] {
            let h = a.hook.as_ref().unwrap();
            assert_eq!(
                (h.hook, h.exit, a.status, a.running, a.first_deploy_pending),
                (FirstDeploy, 1, HookError, None, true)
            );
        }
        assert_eq!(
            rows(&out)[12],
            row(
                run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                Success,
                Some(13),
                false,
                "HOOK-6",
                Some("HOOK-8")
            )
        );
        assert_eq!(
            rows(&out)[13],
            row(
                run(Postdeploy, PP, Procfile, 0),
                Success,
                Some(14),
                false,
                "HOOK-6",
                Some("HOOK-9")
            )
        );
    }

    // HOOK-9: the Procfile postdeploy runs on every attempt reaching the hook step, the
    // first one included, for both kinds.
    #[test]
    fn procfile_postdeploy_runs_every_time() {
        for kind in [ReviewApp, OneClick] {
            let out = schedule(
                kind,
                &scripts(None, None, Some(PP)),
                &[
                    Attempt::hook_exit(2),
                    Attempt::ok(),
                    Attempt::build_error(),
                    Attempt::ok(),
                ],
            );
            assert_eq!(
                rows(&out),
                vec![
                    row(
                        run(Postdeploy, PP, Procfile, 2),
                        HookError,
                        None,
                        true,
                        "HOOK-4",
                        Some("HOOK-9")
                    ),
                    row(
                        run(Postdeploy, PP, Procfile, 0),
                        Success,
                        Some(2),
                        false,
                        "HOOK-6",
                        Some("HOOK-9")
                    ),
                    row(None, BuildError, Some(2), false, "HOOK-2", None),
                    row(
                        run(Postdeploy, PP, Procfile, 0),
                        Success,
                        Some(4),
                        false,
                        "HOOK-6",
                        Some("HOOK-9")
                    ),
                ]
            );
            assert!(out.diagnostics.is_empty());
        }
    }

    // HOOK-10, HOOK-11: review app, deprecated manifest postdeploy alone runs every time.
    #[test]
    fn review_manifest_postdeploy_alone() {
        let out = schedule(
            ReviewApp,
            &scripts(None, Some(MP), None),
            &[Attempt::ok(), Attempt::ok()],
        );
        assert_eq!(
            rows(&out),
            vec![
                row(
                    run(Postdeploy, MP, ManifestPostdeploy, 0),
                    Success,
                    Some(1),
                    false,
                    "HOOK-6",
                    Some("HOOK-11")
                ),
                row(
                    run(Postdeploy, MP, ManifestPostdeploy, 0),
                    Success,
                    Some(2),
                    false,
                    "HOOK-6",
                    Some("HOOK-11")
                ),
            ]
        );
        assert_eq!(codes(&out), ["SM1201"]);
        let d = &out.diagnostics[0];
        assert_eq!(
            (d.severity, d.rule(), d.pointer.as_str()),
            (Severity::Warning, "HOOK-10", "/scripts/manifest_postdeploy")
        );
        assert!(d.hint.is_some());
    }

    // HOOK-8 + HOOK-11: first-deploy replaces the manifest postdeploy on the first deployment.
    #[test]
    fn review_first_deploy_then_manifest_postdeploy() {
        let out = schedule(
            ReviewApp,
            &scripts(Some(FD), Some(MP), None),
            &[
                Attempt::start(StartResult::Crashed),
                Attempt::ok(),
                Attempt::hook_exit(7),
                Attempt::ok(),
            ],
        );
        assert_eq!(
            rows(&out),
            vec![
                row(None, CrashedError, None, true, "HOOK-3", None),
                row(
                    run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                    Success,
                    Some(2),
                    false,
                    "HOOK-6",
                    Some("HOOK-8")
                ),
                row(
                    run(Postdeploy, MP, ManifestPostdeploy, 7),
                    HookError,
                    Some(2),
                    false,
                    "HOOK-4",
                    Some("HOOK-11")
                ),
                row(
                    run(Postdeploy, MP, ManifestPostdeploy, 0),
                    Success,
                    Some(4),
                    false,
                    "HOOK-6",
                    Some("HOOK-11")
                ),
            ]
        );
        assert_eq!(codes(&out), ["SM1201"]);
    }

    // HOOK-13: the Procfile postdeploy wins over the manifest one, for both kinds.
    #[test]
    fn procfile_wins_over_manifest_postdeploy() {
        for kind in [ReviewApp, OneClick] {
            for fd in [None, Some(FD)] {
                let out = schedule(
                    kind,
                    &scripts(fd, Some(MP), Some(PP)),
                    &[Attempt::ok(), Attempt::ok()],
                );
                let first = match fd {
                    Some(_) => row(
                        run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                        Success,
                        Some(1),
                        false,
                        "HOOK-6",
                        Some("HOOK-8"),
                    ),
                    None => row(
                        run(Postdeploy, PP, Procfile, 0),
                        Success,
                        Some(1),
                        false,
                        "HOOK-6",
                        Some("HOOK-9"),
                    ),
                };
                assert_eq!(
                    rows(&out),
                    vec![
                        first,
                        row(
                            run(Postdeploy, PP, Procfile, 0),
                            Success,
                            Some(2),
                            false,
                            "HOOK-6",
                            Some("HOOK-9")
                        )
                    ]
                );
                assert_eq!(codes(&out), ["SM1202"], "{kind:?} {fd:?}");
                let d = &out.diagnostics[0];
                assert_eq!(
                    (d.severity, d.rule(), d.pointer.as_str()),
                    (Severity::Warning, "HOOK-13", "/scripts/manifest_postdeploy")
                );
            }
        }
    }

    // HOOK-12: one-click, the manifest postdeploy acts as first-deploy.
    #[test]
    fn one_click_manifest_postdeploy_acts_as_first_deploy() {
        let out = schedule(
            OneClick,
            &scripts(None, Some(MP), None),
            &[
                Attempt::hook_timeout(),
                Attempt::hook_exit(1),
                Attempt::ok(),
                Attempt::ok(),
            ],
        );
        assert_eq!(
            rows(&out),
            vec![
                row(
                    run(FirstDeploy, MP, ManifestPostdeploy, -128),
                    HookError,
                    None,
                    true,
                    "HOOK-5",
                    Some("HOOK-12")
                ),
                row(
                    run(FirstDeploy, MP, ManifestPostdeploy, 1),
                    HookError,
                    None,
                    true,
                    "HOOK-4",
                    Some("HOOK-12")
                ),
                row(
                    run(FirstDeploy, MP, ManifestPostdeploy, 0),
                    Success,
                    Some(3),
                    false,
                    "HOOK-6",
                    Some("HOOK-12")
                ),
                row(None, Success, Some(4), false, "HOOK-6", None),
            ]
        );
        assert_eq!(codes(&out), ["SM1201"]);
        assert_eq!(out.diagnostics[0].rule(), "HOOK-10");
    }

    // HOOK-12: one-click with both first-deploy and the manifest postdeploy.
    #[test]
    fn one_click_first_deploy_shadows_manifest_postdeploy() {
        let out = schedule(
            OneClick,
            &scripts(Some(FD), Some(MP), None),
            &[Attempt::ok(), Attempt::ok()],
        );
        assert_eq!(
            rows(&out),
            vec![
                row(
                    run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                    Success,
                    Some(1),
                    false,
                    "HOOK-6",
                    Some("HOOK-8")
                ),
                row(None, Success, Some(2), false, "HOOK-6", None),
            ]
        );
        assert_eq!(codes(&out), ["SM1203"]);
        let d = &out.diagnostics[0];
        assert_eq!(
            (d.severity, d.rule(), d.pointer.as_str()),
            (Severity::Warning, "HOOK-12", "/scripts/manifest_postdeploy")
        );
    }

    // HOOK-8, HOOK-9: one-click with first-deploy and Procfile postdeploy (same as review app).
    #[test]
    fn one_click_first_deploy_and_procfile() {
        let out = schedule(
            OneClick,
            &scripts(Some(FD), None, Some(PP)),
            &[
                Attempt::start(StartResult::Timeout),
                Attempt::ok(),
                Attempt::ok(),
            ],
        );
        assert_eq!(
            rows(&out),
            vec![
                row(None, TimeoutError, None, true, "HOOK-3", None),
                row(
                    run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                    Success,
                    Some(2),
                    false,
                    "HOOK-6",
                    Some("HOOK-8")
                ),
                row(
                    run(Postdeploy, PP, Procfile, 0),
                    Success,
                    Some(3),
                    false,
                    "HOOK-6",
                    Some("HOOK-9")
                ),
            ]
        );
        assert!(out.diagnostics.is_empty());
    }

    // HOOK-5: a hook timeout is a hook-error with exit -128; the old version keeps running.
    #[test]
    fn hook_timeout() {
        let out = schedule(
            ReviewApp,
            &scripts(None, None, Some(PP)),
            &[Attempt::ok(), Attempt::hook_timeout()],
        );
        let a = &out.attempts[1];
        let h = a.hook.as_ref().unwrap();
        assert_eq!(
            (h.exit, h.timed_out, h.hook, h.from),
            (TIMEOUT_EXIT, true, Postdeploy, Procfile)
        );
        assert_eq!(TIMEOUT_EXIT, -128);
        assert_eq!(
            (a.status, a.running, a.first_deploy_pending, a.rule.as_str()),
            (HookError, Some(1), false, "HOOK-5")
        );
        // An explicit exit -128 is a plain failure (HOOK-4), not a timeout.
        let out = schedule(
            ReviewApp,
            &scripts(None, None, Some(PP)),
            &[Attempt::hook_exit(-128)],
        );
        let h = out.attempts[0].hook.as_ref().unwrap();
        assert_eq!(
            (h.exit, h.timed_out, out.attempts[0].rule.as_str()),
            (-128, false, "HOOK-4")
        );
    }

    // HOOK-4: any non-zero exit fails, negative ones too.
    #[test]
    fn any_nonzero_exit_is_hook_error() {
        for code in [1, -1, 2, 127, 255, i32::MIN, i32::MAX] {
            let out = schedule(
                OneClick,
                &scripts(Some(FD), None, None),
                &[Attempt::hook_exit(code)],
            );
            assert_eq!(
                rows(&out),
                vec![row(
                    run(FirstDeploy, FD, ManifestFirstDeploy, code),
                    HookError,
                    None,
                    true,
                    "HOOK-4",
                    Some("HOOK-8")
                )]
            );
        }
    }

    // HOOK-3: a failed start runs no hook; crashed and boot timeout give their statuses.
    #[test]
    fn failed_start_runs_no_hook() {
        let out = schedule(
            ReviewApp,
            &scripts(Some(FD), None, Some(PP)),
            &[
                Attempt::start(StartResult::Crashed),
                Attempt::start(StartResult::Timeout),
                Attempt::ok(),
            ],
        );
        assert_eq!(
            rows(&out),
            vec![
                row(None, CrashedError, None, true, "HOOK-3", None),
                row(None, TimeoutError, None, true, "HOOK-3", None),
                row(
                    run(FirstDeploy, FD, ManifestFirstDeploy, 0),
                    Success,
                    Some(3),
                    false,
                    "HOOK-6",
                    Some("HOOK-8")
                ),
            ]
        );
    }

    // HOOK-2, HOOK-3, HOOK-4, HOOK-5: failures after a success keep the old version.
    #[test]
    fn old_version_keeps_running() {
        let out = schedule(
            ReviewApp,
            &scripts(None, None, Some(PP)),
            &[
                Attempt::ok(),
                Attempt::hook_exit(1),
                Attempt::start(StartResult::Crashed),
                Attempt::build_error(),
                Attempt::hook_timeout(),
                Attempt::start(StartResult::Timeout),
                Attempt::ok(),
                Attempt::build_error(),
            ],
        );
        let running: Vec<Option<usize>> = out.attempts.iter().map(|a| a.running).collect();
        assert_eq!(
            running,
            [
                Some(1),
                Some(1),
                Some(1),
                Some(1),
                Some(1),
                Some(1),
                Some(7),
                Some(7)
            ]
        );
        let statuses: Vec<Status> = out.attempts.iter().map(|a| a.status).collect();
        assert_eq!(
            statuses,
            [
                Success,
                HookError,
                CrashedError,
                BuildError,
                HookError,
                TimeoutError,
                Success,
                BuildError
            ]
        );
        let rules: Vec<&str> = out.attempts.iter().map(|a| a.rule.as_str()).collect();
        assert_eq!(
            rules,
            ["HOOK-6", "HOOK-4", "HOOK-3", "HOOK-2", "HOOK-5", "HOOK-3", "HOOK-6", "HOOK-2"]
        );
    }

    // HOOK-6: without any script, every attempt that starts is a success.
    #[test]
    fn no_scripts_no_hooks() {
        for kind in [ReviewApp, OneClick] {
            let out = schedule(
                kind,
                &HookScripts::default(),
                &[Attempt::build_error(), Attempt::ok(), Attempt::ok()],
            );
            assert_eq!(
                rows(&out),
                vec![
                    row(None, BuildError, None, true, "HOOK-2", None),
                    row(None, Success, Some(2), false, "HOOK-6", None),
                    row(None, Success, Some(3), false, "HOOK-6", None),
                ]
            );
            assert!(out.diagnostics.is_empty());
        }
    }

    #[test]
    fn no_attempts() {
        let out = schedule(ReviewApp, &scripts(Some(FD), Some(MP), None), &[]);
        assert!(out.attempts.is_empty());
        assert_eq!(codes(&out), ["SM1201"]);
    }

    // HOOK-14: empty and blank scripts are absent.
    #[test]
    fn blank_scripts_are_absent() {
        for blank in ["", " ", "\t \n"] {
            for kind in [ReviewApp, OneClick] {
                let out = schedule(
                    kind,
                    &scripts(Some(blank), Some(blank), Some(blank)),
                    &[Attempt::ok()],
                );
                assert_eq!(
                    rows(&out),
                    vec![row(None, Success, Some(1), false, "HOOK-6", None)]
                );
                assert!(out.diagnostics.is_empty());
                // A blank Procfile postdeploy does not shadow the manifest one.
                let out = schedule(
                    kind,
                    &scripts(Some(blank), Some(MP), Some(blank)),
                    &[Attempt::ok()],
                );
                assert_eq!(out.attempts[0].hook.as_ref().unwrap().command, MP);
                assert_eq!(codes(&out), ["SM1201"]);
            }
        }
        // A non-blank command is kept verbatim, surrounding spaces included.
        let out = schedule(
            ReviewApp,
            &scripts(Some(" seed "), None, None),
            &[Attempt::ok()],
        );
        assert_eq!(out.attempts[0].hook.as_ref().unwrap().command, " seed ");
    }

    // HOOK-15: at most 1000 attempts.
    #[test]
    fn attempt_limit() {
        let out = schedule(
            ReviewApp,
            &HookScripts::default(),
            &vec![Attempt::ok(); MAX_ATTEMPTS],
        );
        assert_eq!(out.attempts.len(), 1000);
        assert!(out.diagnostics.is_empty());
        let out = schedule(
            ReviewApp,
            &scripts(None, None, Some(PP)),
            &vec![Attempt::hook_exit(1); MAX_ATTEMPTS + 5],
        );
        assert_eq!(out.attempts.len(), 1000);
        assert_eq!(out.attempts[999].attempt, 1000);
        assert_eq!(codes(&out), ["SM1204"]);
        let d = &out.diagnostics[0];
        assert_eq!(
            (d.severity, d.rule(), d.pointer.as_str()),
            (Severity::Error, "HOOK-15", "/attempts/1000")
        );
        assert_eq!(
            d.message,
            "1005 deployment attempts given, at most 1000 are scheduled; the last 5 are ignored"
        );
        assert!(d.is_error());
    }

    // HOOK-16: results that are never reached give notes.
    #[test]
    fn unreached_results_are_noted() {
        let out = schedule(
            ReviewApp,
            &scripts(Some(FD), None, None),
            &[
                Attempt {
                    build: BuildResult::Error,
                    start: StartResult::Crashed,
                    hook: HookResult::Exit(1),
                },
                Attempt {
                    build: BuildResult::Success,
                    start: StartResult::Timeout,
                    hook: HookResult::Timeout,
                },
                Attempt::ok(),
                Attempt::hook_timeout(),
                Attempt {
                    build: BuildResult::Error,
                    start: StartResult::Success,
                    hook: HookResult::Exit(0),
                },
            ],
        );
        let got: Vec<(&str, &str, &str, Severity)> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.pointer.as_str(), &*d.message, d.severity))
            .collect();
        assert_eq!(
            got,
            vec![
                ("SM1205", "/attempts/0/hook", "attempt 1: the hook result is never reached because the build fails", Severity::Note),
                ("SM1205", "/attempts/0/start", "attempt 1: the start result is never reached because the build fails", Severity::Note),
                ("SM1205", "/attempts/1/hook", "attempt 2: the hook result is never reached because the containers fail to start", Severity::Note),
                ("SM1205", "/attempts/3/hook", "attempt 4: the hook result is never reached because no hook runs on it", Severity::Note),
            ]
        );
        assert!(out.diagnostics.iter().all(|d| d.rule() == "HOOK-16"));
        // The notes change nothing: attempt 4 succeeds.
        assert_eq!(out.attempts[3].status, Success);
    }

    #[test]
    fn from_manifest_scripts() {
        let m = Scripts {
            first_deploy: Some(Spanned::new(FD.into(), Span::new(1, 2))),
            postdeploy: None,
        };
        assert_eq!(
            HookScripts::from_manifest(&m, Some(PP)),
            scripts(Some(FD), None, Some(PP))
        );
        assert_eq!(
            HookScripts::from_manifest(&Scripts::default(), None),
            HookScripts::default()
        );
    }

    // ---- Reference model, compared exhaustively against `schedule`. ----

    /// The documented behaviour written as plainly as possible: the roles come from a
    /// decision table, and "first deployment pending" / "running" are recomputed from the
    /// previous rows instead of being carried as state.
    fn model(
        kind: AppKind,
        s: &HookScripts,
        attempts: &[Attempt],
    ) -> (Vec<Row>, Vec<&'static str>) {
        let blank = |x: &Option<String>| x.as_deref().map(str::trim).is_none_or(str::is_empty);
        let fd = (!blank(&s.first_deploy)).then(|| s.first_deploy.clone().unwrap_or_default());
        let mp = (!blank(&s.manifest_postdeploy))
            .then(|| s.manifest_postdeploy.clone().unwrap_or_default());
        let pp = (!blank(&s.procfile_postdeploy))
            .then(|| s.procfile_postdeploy.clone().unwrap_or_default());

        type RoleM = Option<(String, HookSource, &'static str)>;
        let first: RoleM = match (&fd, kind, &mp, &pp) {
            (Some(c), _, _, _) => Some((c.clone(), ManifestFirstDeploy, "HOOK-8")),
            (None, OneClick, Some(c), None) => Some((c.clone(), ManifestPostdeploy, "HOOK-12")),
            _ => None,
        };
        let post: RoleM = match (&pp, kind, &mp) {
            (Some(c), _, _) => Some((c.clone(), Procfile, "HOOK-9")),
            (None, ReviewApp, Some(c)) => Some((c.clone(), ManifestPostdeploy, "HOOK-11")),
            _ => None,
        };
        let mut codes = Vec::new();
        if mp.is_some() {
            codes.push(if pp.is_some() {
                "SM1202"
            } else if kind == OneClick && fd.is_some() {
                "SM1203"
            } else {
                "SM1201"
            });
        }

        let mut out: Vec<Row> = Vec::new();
        for a in attempts.iter().take(1000) {
            let succeeded_before = out.iter().any(|r| r.1 == Success);
            let running_before = out.iter().rposition(|r| r.1 == Success).map(|i| i + 1);
            let role = if a.build == BuildResult::Error || a.start != StartResult::Success {
                None
            } else if !succeeded_before && first.is_some() {
                first.clone().map(|r| (FirstDeploy, r))
            } else {
                post.clone().map(|r| (Postdeploy, r))
            };
            let (status, rule) = if a.build == BuildResult::Error {
                (BuildError, "HOOK-2")
            } else if a.start == StartResult::Crashed {
                (CrashedError, "HOOK-3")
            } else if a.start == StartResult::Timeout {
                (TimeoutError, "HOOK-3")
            } else if role.is_some() && a.hook == HookResult::Timeout {
                (HookError, "HOOK-5")
            } else if role.is_some() && a.hook != HookResult::Exit(0) {
                (HookError, "HOOK-4")
            } else {
                (Success, "HOOK-6")
            };
            if a.build == BuildResult::Error && a.start != StartResult::Success {
                codes.push("SM1205");
            }
            if role.is_none() && a.hook != HookResult::Exit(0) {
                codes.push("SM1205");
            }
            let exit = match a.hook {
                HookResult::Exit(c) => c,
                HookResult::Timeout => -128,
            };
            let running = if status == Success {
                Some(out.len() + 1)
            } else {
                running_before
            };
            let pending = !(succeeded_before || status == Success);
            out.push((
                role.as_ref()
                    .map(|(k, (c, src, _))| (*k, c.clone(), *src, exit)),
                status,
                running,
                pending,
                rule.to_string(),
                role.map(|(_, (_, _, r))| r.to_string()),
            ));
        }
        if attempts.len() > 1000 {
            codes.push("SM1204");
        }
        codes.sort_unstable();
        (out, codes)
    }

    #[test]
    fn schedule_matches_reference_model_exhaustively() {
        let alphabet = [
            Attempt::ok(),
            Attempt::build_error(),
            Attempt::start(StartResult::Crashed),
            Attempt::start(StartResult::Timeout),
            Attempt::hook_exit(1),
            Attempt::hook_timeout(),
            Attempt::hook_exit(-1),
            Attempt {
                build: BuildResult::Error,
                start: StartResult::Timeout,
                hook: HookResult::Exit(3),
            },
        ];
        let options: [Option<&str>; 3] = [None, Some(""), Some("cmd")];
        let mut sequences: Vec<Vec<Attempt>> = vec![vec![]];
        let mut frontier: Vec<Vec<Attempt>> = vec![vec![]];
        for _ in 0..4 {
            let mut next = Vec::new();
            for seq in &frontier {
                for a in alphabet {
                    let mut s = seq.clone();
                    s.push(a);
                    next.push(s);
                }
            }
            sequences.extend(next.iter().cloned());
            frontier = next;
        }
        assert_eq!(sequences.len(), 1 + 8 + 64 + 512 + 4096);
        let mut checked = 0usize;
        for kind in [ReviewApp, OneClick] {
            for fd in options {
                for mp in options {
                    for pp in options {
                        // Distinct commands so a wrong source shows up in the rows.
                        let s = scripts(
                            fd.map(|c| if c.is_empty() { "" } else { "fd" }),
                            mp.map(|c| if c.is_empty() { "" } else { "mp" }),
                            pp.map(|c| if c.is_empty() { "" } else { "pp" }),
                        );
                        for seq in &sequences {
                            let out = schedule(kind, &s, seq);
                            let (want_rows, want_codes) = model(kind, &s, seq);
                            assert_eq!(rows(&out), want_rows, "{kind:?} {s:?} {seq:?}");
                            let mut got_codes = codes(&out);
                            got_codes.sort_unstable();
                            assert_eq!(got_codes, want_codes, "{kind:?} {s:?} {seq:?}");
                            // Invariants: 1-based numbering, a hook only where the
                            // containers started, the running version is a success.
                            for (i, a) in out.attempts.iter().enumerate() {
                                assert_eq!(a.attempt, i + 1);
                                if let Some(r) = a.running {
                                    assert_eq!(out.attempts[r - 1].status, Success);
                                    assert!(r <= a.attempt);
                                }
                                if a.hook.is_some() {
                                    assert!(matches!(a.status, Success | HookError));
                                }
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 27 * 4681);
    }

    // The model itself is checked against the limit once (too slow to enumerate).
    #[test]
    fn model_agrees_beyond_the_limit() {
        let s = scripts(Some("fd"), None, Some("pp"));
        let seq = vec![Attempt::hook_exit(1); 1001];
        let out = schedule(ReviewApp, &s, &seq);
        let (want_rows, want_codes) = model(ReviewApp, &s, &seq);
        assert_eq!(rows(&out), want_rows);
        assert_eq!(codes(&out), want_codes);
    }

    /// HOOK-10, SCN-3: only the check's own finding (SM0502) at the same pointer leaves
    /// SM1201 out; another finding at that pointer, or SM0502 at another one, does not.
    #[test]
    fn hook_10_schedule_checked_needs_the_checks_code_at_the_same_pointer() {
        let s = scripts(None, Some(MP), None);
        let attempts = [Attempt::default()];
        let other_code = Diagnostic::new(Code::DeprecatedManifestPostdeploy, "x")
            .with_pointer("/scripts/postdeploy");
        let elsewhere =
            Diagnostic::new(Code::PostdeployDeprecated, "x").with_pointer("/scripts/first-deploy");
        for check in [other_code, elsewhere] {
            let out = schedule_checked(AppKind::ReviewApp, &s, &attempts, &[check]);
            assert_eq!(codes(&out), ["SM1201"]);
        }
    }
}
