//! `hooks::schedule` against a reference state machine (spec `spec/hooks.md`, rules
//! `HOOK-1` .. `HOOK-16`), with `proptest-state-machine`.
//!
//! The reference model ([`HookModel`]) is the documented rules written as plainly as
//! possible: the app kind and the three scripts are fixed when the app is created; each
//! transition is one deployment attempt; the model keeps whether the first deployment is
//! still pending and which attempt's version serves traffic, and derives each attempt's
//! expected outcome from the decision table of HOOK-1 .. HOOK-13. The system under test
//! keeps the growing attempt list and re-schedules the whole prefix after every attempt:
//! the new outcome must extend the previous one unchanged (an attempt never depends on
//! later ones) and equal the model's, outcome for outcome; the diagnostics must be the
//! model's too.

mod common;

use common::strategies::{attempt, hook_scripts, kind};
use proptest::prelude::*;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use scalingo_manifest::hooks::{
    schedule, Attempt, AttemptOutcome, BuildResult, HookKind, HookResult, HookRun, HookScripts,
    HookSource, HooksOutcome, StartResult, Status, MAX_ATTEMPTS,
};
use scalingo_manifest::AppKind;

const REGRESSIONS: &str = "proptest-regressions/prop_hooks_state_machine.txt";

/// A script that runs: present and not blank (HOOK-14).
fn runnable(script: &Option<String>) -> Option<&str> {
    script.as_deref().filter(|s| !s.trim().is_empty())
}

/// A hook role: the command, where it comes from, the rule that makes it run.
type Role<'a> = (&'a str, HookSource, &'static str);

/// The first-deploy role (HOOK-8; HOOK-12: in a one-click app the deprecated manifest
/// postdeploy plays it when there is no first-deploy and no Procfile postdeploy).
fn first_deploy_role(kind: AppKind, s: &HookScripts) -> Option<Role<'_>> {
    let manifest_post = runnable(&s.manifest_postdeploy);
    let procfile_post = runnable(&s.procfile_postdeploy);
    match (
        runnable(&s.first_deploy),
        kind,
        manifest_post,
        procfile_post,
    ) {
        (Some(c), _, _, _) => Some((c, HookSource::ManifestFirstDeploy, "HOOK-8")),
        (None, AppKind::OneClick, Some(c), None) => {
            Some((c, HookSource::ManifestPostdeploy, "HOOK-12"))
        }
        _ => None,
    }
}

/// The postdeploy role (HOOK-9; HOOK-11: in a review app the deprecated manifest
/// postdeploy plays it when the Procfile has none; HOOK-13: the Procfile's wins).
fn postdeploy_role(kind: AppKind, s: &HookScripts) -> Option<Role<'_>> {
    match (
        runnable(&s.procfile_postdeploy),
        kind,
        runnable(&s.manifest_postdeploy),
    ) {
        (Some(c), _, _) => Some((c, HookSource::Procfile, "HOOK-9")),
        (None, AppKind::ReviewApp, Some(c)) => Some((c, HookSource::ManifestPostdeploy, "HOOK-11")),
        _ => None,
    }
}

/// The script diagnostics (HOOK-10, HOOK-12, HOOK-13), once per schedule.
fn script_codes(kind: AppKind, s: &HookScripts) -> Vec<&'static str> {
    let manifest_post = runnable(&s.manifest_postdeploy).is_some();
    let procfile_post = runnable(&s.procfile_postdeploy).is_some();
    let first = runnable(&s.first_deploy).is_some();
    match (manifest_post, procfile_post, kind, first) {
        (false, _, _, _) => vec![],
        (true, true, _, _) => vec!["SM1202"],
        (true, false, AppKind::OneClick, true) => vec!["SM1203"],
        (true, false, _, _) => vec!["SM1201"],
    }
}

/// The reference state: the app, the attempts so far and what each one should give.
#[derive(Debug, Clone)]
struct HookModel {
    kind: AppKind,
    scripts: HookScripts,
    attempts: Vec<Attempt>,
    /// The first deployment has not succeeded yet (HOOK-7).
    pending: bool,
    /// The attempt whose version serves traffic.
    running: Option<usize>,
    /// The expected outcome of each attempt so far.
    expected: Vec<AttemptOutcome>,
    /// The expected diagnostics so far, as (code, pointer), sorted.
    diagnostics: Vec<(String, String)>,
}

impl HookModel {
    fn step(mut self, a: &Attempt) -> Self {
        let index = self.attempts.len();
        let number = index + 1;
        let pointer = |field: &str| format!("/attempts/{index}/{field}");
        // HOOK-1 .. HOOK-3: the build, then the start.
        let (mut status, mut rule, mut hook) = match (a.build, a.start) {
            (BuildResult::Error, _) => (Status::BuildError, "HOOK-2", None),
            (BuildResult::Success, StartResult::Crashed) => (Status::CrashedError, "HOOK-3", None),
            (BuildResult::Success, StartResult::Timeout) => (Status::TimeoutError, "HOOK-3", None),
            (BuildResult::Success, StartResult::Success) => (Status::Success, "HOOK-6", None),
        };
        if status == Status::Success {
            // HOOK-8 .. HOOK-13: first-deploy while pending, else postdeploy; at most one.
            let role = match (self.pending, first_deploy_role(self.kind, &self.scripts)) {
                (true, Some(fd)) => Some((HookKind::FirstDeploy, fd)),
                _ => postdeploy_role(self.kind, &self.scripts).map(|pd| (HookKind::Postdeploy, pd)),
            };
            if let Some((which, (command, from, role_rule))) = role {
                // HOOK-4 .. HOOK-6: the hook decides.
                let (exit, timed_out) = match a.hook {
                    HookResult::Exit(code) => (code, false),
                    HookResult::Timeout => (-128, true),
                };
                (status, rule) = match (timed_out, exit) {
                    (true, _) => (Status::HookError, "HOOK-5"),
                    (false, 0) => (Status::Success, "HOOK-6"),
                    (false, _) => (Status::HookError, "HOOK-4"),
                };
                hook = Some(HookRun {
                    hook: which,
                    command: command.to_string(),
                    from,
                    exit,
                    timed_out,
                    rule: role_rule.to_string(),
                });
            }
        }
        // HOOK-6, HOOK-7: only a success switches the version and ends the first deploy.
        if status == Status::Success {
            self.running = Some(number);
            self.pending = false;
        }
        // HOOK-16: results never reached.
        if a.build == BuildResult::Error && a.start != StartResult::Success {
            self.diagnostics.push(("SM1205".into(), pointer("start")));
        }
        if hook.is_none() && a.hook != HookResult::Exit(0) {
            self.diagnostics.push(("SM1205".into(), pointer("hook")));
        }
        self.diagnostics.sort();
        self.expected.push(AttemptOutcome {
            attempt: number,
            hook,
            status,
            running: self.running,
            first_deploy_pending: self.pending,
            rule: rule.to_string(),
        });
        self.attempts.push(*a);
        self
    }
}

impl ReferenceStateMachine for HookModel {
    type State = HookModel;
    type Transition = Attempt;

    fn init_state() -> BoxedStrategy<Self::State> {
        (kind(), hook_scripts())
            .prop_map(|(kind, scripts)| {
                let mut diagnostics: Vec<(String, String)> = script_codes(kind, &scripts)
                    .into_iter()
                    .map(|c| (c.to_string(), "/scripts/manifest_postdeploy".to_string()))
                    .collect();
                diagnostics.sort();
                HookModel {
                    kind,
                    scripts,
                    attempts: Vec::new(),
                    pending: true,
                    running: None,
                    expected: Vec::new(),
                    diagnostics,
                }
            })
            .boxed()
    }

    fn transitions(_: &Self::State) -> BoxedStrategy<Self::Transition> {
        attempt().boxed()
    }

    fn apply(state: Self::State, transition: &Self::Transition) -> Self::State {
        state.step(transition)
    }
}

/// The system under test: the attempts so far and the last schedule of all of them.
struct Scheduler {
    kind: AppKind,
    scripts: HookScripts,
    attempts: Vec<Attempt>,
    last: HooksOutcome,
}

fn diagnostics_of(o: &HooksOutcome) -> Vec<(String, String)> {
    let mut d: Vec<(String, String)> = o
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.pointer.clone()))
        .collect();
    d.sort();
    d
}

impl StateMachineTest for Scheduler {
    type SystemUnderTest = Scheduler;
    type Reference = HookModel;

    fn init_test(model: &HookModel) -> Scheduler {
        Scheduler {
            kind: model.kind,
            scripts: model.scripts.clone(),
            attempts: Vec::new(),
            last: schedule(model.kind, &model.scripts, &[]),
        }
    }

    fn apply(mut sut: Scheduler, model: &HookModel, attempt: Attempt) -> Scheduler {
        sut.attempts.push(attempt);
        let out = schedule(sut.kind, &sut.scripts, &sut.attempts);
        // Re-scheduling the longer list never changes an earlier attempt.
        assert_eq!(
            out.attempts.get(..sut.last.attempts.len()),
            Some(&sut.last.attempts[..]),
            "an earlier attempt changed when attempt {} was added",
            sut.attempts.len()
        );
        assert_eq!(
            out.attempts, model.expected,
            "schedule differs from the model"
        );
        sut.last = out;
        sut
    }

    fn check_invariants(sut: &Scheduler, model: &HookModel) {
        assert_eq!(sut.last.attempts.len(), sut.attempts.len());
        assert_eq!(diagnostics_of(&sut.last), model.diagnostics);
        assert!(
            common::in_canonical_order(&sut.last.diagnostics),
            "DIAG-4: {:?}",
            sut.last.diagnostics
        );
        let mut pending = true;
        let mut running = None;
        for (i, o) in sut.last.attempts.iter().enumerate() {
            // HOOK-7: pending only ends, with the first success.
            assert!(
                pending || !o.first_deploy_pending,
                "pending again at attempt {}",
                i + 1
            );
            // HOOK-2 .. HOOK-6: a failed attempt keeps the version that was running.
            if o.status == Status::Success {
                assert_eq!(o.running, Some(i + 1));
            } else {
                assert_eq!(
                    o.running,
                    running,
                    "attempt {} changed the running version",
                    i + 1
                );
            }
            // HOOK-8: first-deploy runs only while pending.
            if let Some(h) = &o.hook {
                assert!(
                    h.hook != HookKind::FirstDeploy || pending,
                    "first-deploy after the first success"
                );
            }
            pending = o.first_deploy_pending;
            running = o.running;
        }
    }
}

prop_state_machine! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// HOOK-1 .. HOOK-16 over random deployment-attempt sequences of either app kind.
    #[test]
    fn hook_1_to_16_schedule_follows_the_reference_state_machine(sequential 1..24 => Scheduler);
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// HOOK-14: blank scripts are absent: they run nothing and change nothing.
    #[test]
    fn hook_14_blank_scripts_are_absent(
        kind in kind(),
        scripts in hook_scripts(),
        attempts in proptest::collection::vec(attempt(), 0..12),
    ) {
        let clean = |s: &Option<String>| runnable(s).map(str::to_string);
        let cleaned = HookScripts {
            first_deploy: clean(&scripts.first_deploy),
            manifest_postdeploy: clean(&scripts.manifest_postdeploy),
            procfile_postdeploy: clean(&scripts.procfile_postdeploy),
        };
        prop_assert_eq!(schedule(kind, &scripts, &attempts), schedule(kind, &cleaned, &attempts));
    }

    /// HOOK-8, HOOK-9: without the deprecated manifest postdeploy, one-click apps and
    /// review apps have the same timeline (the kinds differ only through HOOK-11 / HOOK-12).
    #[test]
    fn hook_8_9_kinds_agree_without_the_manifest_postdeploy(
        scripts in hook_scripts(),
        attempts in proptest::collection::vec(attempt(), 0..12),
    ) {
        let scripts = HookScripts { manifest_postdeploy: None, ..scripts };
        prop_assert_eq!(
            schedule(AppKind::OneClick, &scripts, &attempts),
            schedule(AppKind::ReviewApp, &scripts, &attempts)
        );
    }
}

proptest! {
    // Each case schedules about 1000 attempts twice: a sixteenth of the cases.
    #![proptest_config(proptest::test_runner::Config {
        cases: (common::config(REGRESSIONS).cases / 16).max(1),
        ..common::config(REGRESSIONS)
    })]

    /// HOOK-15: beyond 1000 attempts, the first 1000 are scheduled as if alone, and one
    /// error SM1204 at `/attempts/1000` says how many were ignored.
    #[test]
    fn hook_15_at_most_1000_attempts_are_scheduled(
        kind in kind(),
        scripts in hook_scripts(),
        head in proptest::collection::vec(attempt(), 1..8),
        extra in 1usize..6,
    ) {
        let attempts: Vec<Attempt> = head.iter().copied().cycle().take(MAX_ATTEMPTS + extra).collect();
        let over = schedule(kind, &scripts, &attempts);
        let within = schedule(kind, &scripts, &attempts[..MAX_ATTEMPTS]);
        prop_assert_eq!(&over.attempts, &within.attempts);
        let errors: Vec<(&str, &str)> = over.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.code.as_str(), d.pointer.as_str())).collect();
        prop_assert_eq!(errors, vec![("SM1204", "/attempts/1000")]);
        let tail = format!("the last {} are ignored", extra);
        let said = over.diagnostics.iter().any(|d| d.code == "SM1204" && d.message.contains(&tail));
        prop_assert!(said, "{:?}", over.diagnostics);
    }
}
