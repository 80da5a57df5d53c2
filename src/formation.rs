//! `formation`: which containers the platform starts for a new app (rules `FRM-*`,
//! `spec/formation.md`).
//!
//! Resolution starts from a manifest the validator already accepted (its `formation` as
//! [`FormationEntry`]s, or `None` when the key is absent), the process types the code
//! defines (from the Procfile, `postdeploy` excluded), the parent app's formation (review
//! apps) and the app kind. It decides, for every process type that exists, how many
//! containers of which size start.
//!
//! Diagnostics about a manifest entry carry the pointer `/formation/<type>` and the byte
//! `span` of the entry (its key for `FRM-7`, its value for `FRM-5`/`FRM-6`); resolution
//! never sees the manifest text, so `line` and `column` are left for the caller to fill
//! from the span. Diagnostics about the parent or the Procfile carry the pointer `""` and
//! no span. Diagnostics come out in canonical order (rule `DIAG-4`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::diag::{self, Code, Diagnostic};
use crate::manifest::{ContainerSize, FormationEntry};
// `web` always exists and `postdeploy` is a hook, never a process type (rule `FRM-1`).
use crate::procfile::{POSTDEPLOY, WEB};
use crate::AppKind;

/// The default container size (rule `FRM-2`).
pub(crate) const DEFAULT_SIZE: ContainerSize = ContainerSize::M;

/// The default amount of a process type (rule `FRM-2`): 1 for `web`, 0 for any other.
pub fn default_amount(process_type: &str) -> u32 {
    u32::from(process_type == WEB)
}

/// One process type of the parent app's formation (review apps; input of rule `FRM-3`).
///
/// JSON: `{"amount": 2, "size": "L"}`; both fields required; `size` is one of `S M L XL
/// 2XL 3XL`. Unknown fields are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessFormation {
    /// Number of containers.
    pub amount: u32,
    /// Container size.
    pub size: ContainerSize,
}

/// Where a resolved amount or size comes from.
///
/// JSON: `"manifest"`, `"parent"` or `"default"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormationOrigin {
    /// Written in the manifest's `formation` (rule `FRM-4`).
    Manifest,
    /// Copied from the parent app's formation (rules `FRM-3`, `FRM-5`, `FRM-6`).
    Parent,
    /// The platform default: web 1, others 0, size M (rule `FRM-2`).
    Default,
}

/// The containers started for one process type (rules `FRM-2`..`FRM-6`).
///
/// JSON: `{"amount": 1, "size": "M", "amount_from": "default", "size_from": "default",
/// "rule": "FRM-2"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedProcess {
    /// Number of containers (0 = the type exists but nothing runs).
    pub amount: u32,
    /// Container size.
    pub size: ContainerSize,
    /// Where `amount` comes from.
    pub amount_from: FormationOrigin,
    /// Where `size` comes from.
    pub size_from: FormationOrigin,
    /// The rule that decided this entry: `FRM-2` (default), `FRM-3` (cloned from the
    /// parent), `FRM-4` (manifest entry; a missing field follows `FRM-5`/`FRM-6`).
    pub rule: String,
}

/// The result of formation resolution.
///
/// JSON: `{"formation": {"web": ResolvedProcess, "worker": ...}, "diagnostics": [...]}`;
/// `formation` keys are the process types that exist (rule `FRM-1`), in byte order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FormationOutcome {
    /// Process type -> containers started.
    pub formation: BTreeMap<String, ResolvedProcess>,
    /// Findings, in canonical order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Decides which containers start (rules `FRM-1`..`FRM-11`).
///
/// * `kind`: review app or one-click deploy.
/// * `manifest`: the manifest's `formation` entries, `None` when the key is absent (or
///   there is no manifest). `Some(&[])` (`"formation": {}`) names no type and so changes
///   nothing: unlike `"addons": []` it does not empty anything.
/// * `procfile_types`: process types the Procfile defines, `postdeploy` excluded (it is
///   ignored if present; duplicates count once); `None` = the app has no Procfile.
/// * `parent`: the parent app's formation (review apps); `None` is the same as an empty
///   formation. Ignored for one-click deploys.
///
/// The output holds exactly the types that exist: the Procfile's, plus `web` (`FRM-1`).
/// Each is the manifest entry if any (`FRM-4`, gaps filled from the parent then the
/// defaults: `FRM-5`, `FRM-6`), else the parent's (review app, `FRM-3`), else the default
/// (`FRM-2`). Entries and parent types for types that do not exist are not started
/// (`FRM-7`, `FRM-8`). Total and never panics.
pub fn resolve(
    kind: AppKind,
    manifest: Option<&[FormationEntry]>,
    procfile_types: Option<&[String]>,
    parent: Option<&BTreeMap<String, ProcessFormation>>,
) -> FormationOutcome {
    let empty = BTreeMap::new();
    let parent = match kind {
        AppKind::ReviewApp => parent.unwrap_or(&empty),
        AppKind::OneClick => &empty,
    };

    // FRM-1: the process types that exist.
    let mut types: BTreeSet<&str> = BTreeSet::new();
    types.insert(WEB);
    if let Some(list) = procfile_types {
        types.extend(list.iter().map(String::as_str).filter(|t| *t != POSTDEPLOY));
    }
    let procfile_has_web = procfile_types.is_some_and(|l| l.iter().any(|t| t == WEB));

    // A duplicated process type keeps its last entry (JSON-8: the last key wins).
    let mut entries: BTreeMap<&str, &FormationEntry> = BTreeMap::new();
    for e in manifest.unwrap_or(&[]) {
        entries.insert(e.process_type.as_str(), e);
    }

    let mut diagnostics = Vec::new();
    let mut formation = BTreeMap::new();
    for &t in &types {
        let from_parent = parent.get(t);
        let resolved = match entries.get(t) {
            Some(e) => from_entry(e, from_parent, &mut diagnostics),
            None => match from_parent {
                // FRM-3: the frame rule: a type the manifest does not name keeps the
                // parent's formation.
                Some(p) => ResolvedProcess {
                    amount: p.amount,
                    size: p.size,
                    amount_from: FormationOrigin::Parent,
                    size_from: FormationOrigin::Parent,
                    rule: "FRM-3".to_string(),
                },
                // FRM-2
                None => ResolvedProcess {
                    amount: default_amount(t),
                    size: DEFAULT_SIZE,
                    amount_from: FormationOrigin::Default,
                    size_from: FormationOrigin::Default,
                    rule: "FRM-2".to_string(),
                },
            },
        };
        formation.insert(t.to_string(), resolved);
    }

    // FRM-7: manifest entries for types that do not exist.
    let candidates: Vec<&str> = types.iter().copied().collect();
    for (&t, e) in &entries {
        if !types.contains(t) {
            let amount = e
                .amount
                .or_else(|| parent.get(t).map(|p| p.amount))
                .unwrap_or_else(|| default_amount(t));
            diagnostics.push(undefined_type(
                e,
                amount,
                procfile_types.is_some(),
                &candidates,
            ));
        }
    }

    // FRM-8: parent types the code no longer defines.
    for (t, p) in parent {
        if !types.contains(t.as_str()) && !entries.contains_key(t.as_str()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ParentTypeGone,
                    format!(
                        "parent process type `{t}` ({} × {}) is not started: {}",
                        p.amount,
                        p.size.as_str(),
                        if procfile_types.is_some() {
                            "the Procfile does not define it"
                        } else {
                            "the app has no Procfile"
                        }
                    ),
                )
                .with_pointer(""),
            );
        }
    }

    // FRM-9: web containers without a Procfile `web` line.
    if !procfile_has_web {
        if let Some(web) = formation.get(WEB) {
            if web.amount > 0 {
                let why = if procfile_types.is_some() {
                    "the Procfile defines no `web` process"
                } else {
                    "the app has no Procfile"
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::BuildpackWeb,
                        format!("{why}: `web` runs the buildpack's default web process"),
                    )
                    .with_pointer("")
                    .with_hint(
                        "if the buildpack cannot find a web command the deployment fails: add a `web:` line to the Procfile, or set `\"formation\": {\"web\": {\"amount\": 0}}` for an app without web containers",
                    ),
                );
            }
        }
    }

    diag::sort(&mut diagnostics);
    FormationOutcome {
        formation,
        diagnostics,
    }
}

/// `FRM-4`..`FRM-6`: one manifest entry for a type that exists.
fn from_entry(
    e: &FormationEntry,
    parent: Option<&ProcessFormation>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ResolvedProcess {
    let t = e.process_type.as_str();
    let pointer = diag::pointer_push("/formation", t);
    let (amount, amount_from) = match (e.amount, parent) {
        (Some(a), _) => (a, FormationOrigin::Manifest),
        (None, Some(p)) => (p.amount, FormationOrigin::Parent),
        (None, None) => (default_amount(t), FormationOrigin::Default),
    };
    if e.amount.is_none() {
        let whence = match amount_from {
            FormationOrigin::Parent => "the parent app's amount",
            _ => "the default amount",
        };
        let mut d = Diagnostic::new(
            Code::AmountMissing,
            format!("formation `{t}` has no amount: {whence} {amount} is used"),
        )
        .with_pointer(pointer.clone());
        d.span = Some(e.span);
        diagnostics.push(d);
    }
    let (size, size_from) = match (e.size, parent) {
        (Some(s), _) => (s, FormationOrigin::Manifest),
        (None, Some(p)) => (p.size, FormationOrigin::Parent),
        (None, None) => (DEFAULT_SIZE, FormationOrigin::Default),
    };
    if e.size.is_none() {
        let whence = match size_from {
            FormationOrigin::Parent => "the parent app's size",
            _ => "the default size",
        };
        let mut d = Diagnostic::new(
            Code::SizeMissing,
            format!(
                "formation `{t}` has no size: {whence} {} is used",
                size.as_str()
            ),
        )
        .with_pointer(pointer);
        d.span = Some(e.span);
        diagnostics.push(d);
    }
    ResolvedProcess {
        amount,
        size,
        amount_from,
        size_from,
        rule: "FRM-4".to_string(),
    }
}

/// The `FRM-7` warning for entry `e`, whose type does not exist; `amount` is what it would
/// have started.
fn undefined_type(
    e: &FormationEntry,
    amount: u32,
    has_procfile: bool,
    candidates: &[&str],
) -> Diagnostic {
    let t = e.process_type.as_str();
    let why = if has_procfile {
        "the Procfile does not define it"
    } else {
        "the app has no Procfile, so only `web` exists"
    };
    let mut d = Diagnostic::new(
        Code::UndefinedType,
        format!("formation `{t}` is not started: {why}"),
    )
    .with_pointer(diag::pointer_push("/formation", t));
    d.span = Some(e.name_span);
    let hint = if t == POSTDEPLOY {
        Some("`postdeploy` is the Procfile's post-deployment hook, not a process type: remove this entry".to_string())
    } else if let Some(s) = diag::suggest(t, candidates) {
        Some(format!("did you mean `{s}`?"))
    } else if amount > 0 && has_procfile {
        Some(format!(
            "to start {amount} `{t}` container(s), add a `{t}: <command>` line to the Procfile (in a monorepo, the Procfile in PROJECT_DIR)"
        ))
    } else if amount > 0 {
        Some(format!(
            "to start {amount} `{t}` container(s), add a Procfile with a `{t}: <command>` line (in a monorepo, in PROJECT_DIR)"
        ))
    } else {
        None
    };
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::text::Span;
    use ContainerSize::*;
    use FormationOrigin::{Default as D, Manifest as M_, Parent as P};

    fn entry(
        t: &str,
        amount: Option<u32>,
        size: Option<ContainerSize>,
        at: usize,
    ) -> FormationEntry {
        FormationEntry {
            process_type: t.into(),
            name_span: Span::new(at, at + t.len() + 2),
            span: Span::new(at + 10, at + 40),
            amount,
            size,
        }
    }

    fn procfile(types: &[&str]) -> Vec<String> {
        types.iter().map(|t| t.to_string()).collect()
    }

    fn parent(list: &[(&str, u32, ContainerSize)]) -> BTreeMap<String, ProcessFormation> {
        list.iter()
            .map(|&(t, amount, size)| (t.to_string(), ProcessFormation { amount, size }))
            .collect()
    }

    fn rp(
        amount: u32,
        size: ContainerSize,
        amount_from: FormationOrigin,
        size_from: FormationOrigin,
        rule: &str,
    ) -> ResolvedProcess {
        ResolvedProcess {
            amount,
            size,
            amount_from,
            size_from,
            rule: rule.to_string(),
        }
    }

    fn f(list: &[(&str, ResolvedProcess)]) -> BTreeMap<String, ResolvedProcess> {
        list.iter()
            .map(|(t, r)| (t.to_string(), r.clone()))
            .collect()
    }

    fn codes(o: &FormationOutcome) -> Vec<(&str, &str, Severity)> {
        o.diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.rule(), d.severity))
            .collect()
    }

    // FRM-1, FRM-2, FRM-9: no Procfile, no manifest.
    #[test]
    fn one_click_without_procfile_starts_one_default_web() {
        let o = resolve(AppKind::OneClick, None, None, None);
        assert_eq!(o.formation, f(&[("web", rp(1, M, D, D, "FRM-2"))]));
        assert_eq!(codes(&o), vec![("SM1104", "FRM-9", Severity::Note)]);
        assert_eq!(
            o.diagnostics[0].message,
            "the app has no Procfile: `web` runs the buildpack's default web process"
        );
        assert_eq!(o.diagnostics[0].pointer, "");
    }

    // FRM-2: Procfile types get the defaults.
    #[test]
    fn one_click_procfile_types_get_defaults() {
        let pf = procfile(&["web", "worker", "clock"]);
        let o = resolve(AppKind::OneClick, None, Some(&pf), None);
        assert_eq!(
            o.formation,
            f(&[
                ("clock", rp(0, M, D, D, "FRM-2")),
                ("web", rp(1, M, D, D, "FRM-2")),
                ("worker", rp(0, M, D, D, "FRM-2")),
            ])
        );
        assert!(o.diagnostics.is_empty());
    }

    // FRM-4: the documented example.
    #[test]
    fn one_click_manifest_entries_win() {
        let pf = procfile(&["web", "worker"]);
        let m = [
            entry("web", Some(2), Some(L), 0),
            entry("worker", Some(1), Some(XL), 50),
        ];
        let o = resolve(AppKind::OneClick, Some(&m), Some(&pf), None);
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(2, L, M_, M_, "FRM-4")),
                ("worker", rp(1, XL, M_, M_, "FRM-4")),
            ])
        );
        assert!(o.diagnostics.is_empty());
    }

    // FRM-5, FRM-6 without a parent.
    #[test]
    fn one_click_missing_fields_take_defaults_with_notes() {
        let pf = procfile(&["web", "worker"]);
        let m = [
            entry("web", None, Some(S), 0),
            entry("worker", Some(3), None, 50),
        ];
        let o = resolve(AppKind::OneClick, Some(&m), Some(&pf), None);
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(1, S, D, M_, "FRM-4")),
                ("worker", rp(3, M, M_, D, "FRM-4")),
            ])
        );
        assert_eq!(
            codes(&o),
            vec![
                ("SM1100", "FRM-5", Severity::Note),
                ("SM1101", "FRM-6", Severity::Note)
            ]
        );
        assert_eq!(
            o.diagnostics[0].message,
            "formation `web` has no amount: the default amount 1 is used"
        );
        assert_eq!(o.diagnostics[0].pointer, "/formation/web");
        assert_eq!(o.diagnostics[0].span, Some(Span::new(10, 40)));
        assert_eq!(
            o.diagnostics[1].message,
            "formation `worker` has no size: the default size M is used"
        );
    }

    // One-click ignores any parent formation.
    #[test]
    fn one_click_ignores_parent() {
        let pf = procfile(&["web", "worker"]);
        let p = parent(&[("web", 3, XL), ("worker", 2, L), ("clock", 1, S)]);
        let o = resolve(AppKind::OneClick, None, Some(&pf), Some(&p));
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(1, M, D, D, "FRM-2")),
                ("worker", rp(0, M, D, D, "FRM-2")),
            ])
        );
        assert!(o.diagnostics.is_empty());
    }

    // FRM-3: the parent's formation is cloned; absent key and `{}` are the same.
    #[test]
    fn review_app_clones_parent_and_empty_formation_changes_nothing() {
        let pf = procfile(&["web", "worker"]);
        let p = parent(&[("web", 2, L), ("worker", 1, S)]);
        let expected = f(&[
            ("web", rp(2, L, P, P, "FRM-3")),
            ("worker", rp(1, S, P, P, "FRM-3")),
        ]);
        let absent = resolve(AppKind::ReviewApp, None, Some(&pf), Some(&p));
        let empty = resolve(AppKind::ReviewApp, Some(&[]), Some(&pf), Some(&p));
        assert_eq!(absent.formation, expected);
        assert_eq!(empty, absent);
        assert!(absent.diagnostics.is_empty());
    }

    // FRM-3 frame rule + FRM-4: only the named type changes.
    #[test]
    fn review_app_manifest_overrides_only_named_types() {
        let pf = procfile(&["web", "worker", "clock"]);
        let p = parent(&[("web", 4, XL), ("worker", 2, L), ("clock", 1, S)]);
        let m = [entry("worker", Some(0), Some(S), 0)];
        let o = resolve(AppKind::ReviewApp, Some(&m), Some(&pf), Some(&p));
        assert_eq!(
            o.formation,
            f(&[
                ("clock", rp(1, S, P, P, "FRM-3")),
                ("web", rp(4, XL, P, P, "FRM-3")),
                ("worker", rp(0, S, M_, M_, "FRM-4")),
            ])
        );
        assert!(o.diagnostics.is_empty());
    }

    // FRM-5, FRM-6 with a parent.
    #[test]
    fn review_app_missing_fields_come_from_parent() {
        let pf = procfile(&["web", "worker"]);
        let p = parent(&[("web", 2, L), ("worker", 3, XL)]);
        let m = [
            entry("web", None, Some(S), 0),
            entry("worker", Some(1), None, 50),
        ];
        let o = resolve(AppKind::ReviewApp, Some(&m), Some(&pf), Some(&p));
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(2, S, P, M_, "FRM-4")),
                ("worker", rp(1, XL, M_, P, "FRM-4")),
            ])
        );
        let msgs: Vec<&str> = o.diagnostics.iter().map(|d| &*d.message).collect();
        assert_eq!(
            msgs,
            vec![
                "formation `web` has no amount: the parent app's amount 2 is used",
                "formation `worker` has no size: the parent app's size XL is used",
            ]
        );
    }

    // FRM-5/FRM-6 with an entry naming neither field, type not in parent.
    #[test]
    fn review_app_entry_without_fields_for_new_type_gets_defaults() {
        let pf = procfile(&["web", "worker"]);
        let p = parent(&[("web", 2, L)]);
        let m = [entry("worker", None, None, 0)];
        let o = resolve(AppKind::ReviewApp, Some(&m), Some(&pf), Some(&p));
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(2, L, P, P, "FRM-3")),
                ("worker", rp(0, M, D, D, "FRM-4")),
            ])
        );
        assert_eq!(
            codes(&o),
            vec![
                ("SM1100", "FRM-5", Severity::Note),
                ("SM1101", "FRM-6", Severity::Note)
            ]
        );
    }

    // FRM-2 in a review app: a Procfile type the parent lacks gets the default.
    #[test]
    fn review_app_new_procfile_type_gets_default() {
        let pf = procfile(&["web", "mailer"]);
        let p = parent(&[("web", 2, L)]);
        let o = resolve(AppKind::ReviewApp, None, Some(&pf), Some(&p));
        assert_eq!(
            o.formation,
            f(&[
                ("mailer", rp(0, M, D, D, "FRM-2")),
                ("web", rp(2, L, P, P, "FRM-3")),
            ])
        );
        assert!(o.diagnostics.is_empty());
    }

    // FRM-8: a parent type the review app's code does not define.
    #[test]
    fn review_app_parent_type_not_in_procfile_is_not_started() {
        let pf = procfile(&["web"]);
        let p = parent(&[("web", 1, M), ("clock", 1, S), ("worker", 0, M)]);
        let o = resolve(AppKind::ReviewApp, None, Some(&pf), Some(&p));
        assert_eq!(o.formation, f(&[("web", rp(1, M, P, P, "FRM-3"))]));
        assert_eq!(
            codes(&o),
            vec![
                ("SM1103", "FRM-8", Severity::Note),
                ("SM1103", "FRM-8", Severity::Note)
            ]
        );
        assert_eq!(
            o.diagnostics[0].message,
            "parent process type `clock` (1 × S) is not started: the Procfile does not define it"
        );
    }

    // FRM-7: entry for an undefined type, amount > 0: warning with the Procfile hint.
    #[test]
    fn entry_for_undefined_type_with_amount_warns_with_hint() {
        let pf = procfile(&["web"]);
        let m = [entry("worker", Some(2), Some(L), 30)];
        let o = resolve(AppKind::OneClick, Some(&m), Some(&pf), None);
        assert_eq!(o.formation, f(&[("web", rp(1, M, D, D, "FRM-2"))]));
        assert_eq!(codes(&o), vec![("SM1102", "FRM-7", Severity::Warning)]);
        let d = &o.diagnostics[0];
        assert_eq!(
            d.message,
            "formation `worker` is not started: the Procfile does not define it"
        );
        assert_eq!(d.pointer, "/formation/worker");
        assert_eq!(d.span, Some(Span::new(30, 38)));
        assert_eq!(
            d.hint.as_deref(),
            Some("to start 2 `worker` container(s), add a `worker: <command>` line to the Procfile (in a monorepo, the Procfile in PROJECT_DIR)")
        );
    }

    // FRM-7: amount 0 -> warning without hint.
    #[test]
    fn entry_for_undefined_type_with_zero_amount_warns_without_hint() {
        let pf = procfile(&["web"]);
        let m = [entry("worker", Some(0), None, 30)];
        let o = resolve(AppKind::OneClick, Some(&m), Some(&pf), None);
        assert_eq!(o.formation, f(&[("web", rp(1, M, D, D, "FRM-2"))]));
        assert_eq!(codes(&o), vec![("SM1102", "FRM-7", Severity::Warning)]);
        assert_eq!(o.diagnostics[0].hint, None);
    }

    // FRM-7: amount missing, the parent's amount decides whether a hint is given.
    #[test]
    fn entry_for_undefined_type_uses_parent_amount_for_hint() {
        let pf = procfile(&["web"]);
        let p = parent(&[("web", 1, M), ("worker", 3, M)]);
        let m = [entry("worker", None, Some(S), 30)];
        let o = resolve(AppKind::ReviewApp, Some(&m), Some(&pf), Some(&p));
        assert_eq!(o.formation, f(&[("web", rp(1, M, P, P, "FRM-3"))]));
        // The entry's warning replaces FRM-8's note for that type.
        assert_eq!(codes(&o), vec![("SM1102", "FRM-7", Severity::Warning)]);
        assert!(o.diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("to start 3 `worker` container(s)")));
    }

    // FRM-7: did-you-mean and postdeploy hints; no Procfile wording.
    #[test]
    fn entry_for_undefined_type_hints() {
        let pf = procfile(&["web", "worker", "postdeploy"]);
        let m = [
            entry("Worker", Some(1), None, 0),
            entry("postdeploy", Some(1), None, 50),
        ];
        let o = resolve(AppKind::OneClick, Some(&m), Some(&pf), None);
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(1, M, D, D, "FRM-2")),
                ("worker", rp(0, M, D, D, "FRM-2")),
            ])
        );
        let hints: Vec<Option<&str>> = o.diagnostics.iter().map(|d| d.hint.as_deref()).collect();
        assert_eq!(
            hints,
            vec![
                Some("did you mean `worker`?"),
                Some("`postdeploy` is the Procfile's post-deployment hook, not a process type: remove this entry"),
            ]
        );
        let o = resolve(AppKind::OneClick, Some(&m[..1]), None, None);
        assert_eq!(
            o.diagnostics[0].message,
            "formation `Worker` is not started: the app has no Procfile, so only `web` exists"
        );
        // No Procfile and a positive amount: the hint says to add one.
        let m = [entry("worker", Some(2), None, 0)];
        let o = resolve(AppKind::OneClick, Some(&m), None, None);
        assert_eq!(
            o.diagnostics[0].hint.as_deref(),
            Some("to start 2 `worker` container(s), add a Procfile with a `worker: <command>` line (in a monorepo, in PROJECT_DIR)")
        );
    }

    // FRM-1, FRM-9: a Procfile without web still has web (buildpack default).
    #[test]
    fn procfile_without_web_keeps_default_web_with_note() {
        let pf = procfile(&["worker"]);
        let o = resolve(AppKind::OneClick, None, Some(&pf), None);
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(1, M, D, D, "FRM-2")),
                ("worker", rp(0, M, D, D, "FRM-2")),
            ])
        );
        assert_eq!(codes(&o), vec![("SM1104", "FRM-9", Severity::Note)]);
        assert_eq!(
            o.diagnostics[0].message,
            "the Procfile defines no `web` process: `web` runs the buildpack's default web process"
        );
    }

    // FRM-9 is silent when web is scaled to 0 (web-less app).
    #[test]
    fn web_less_app_has_no_buildpack_note() {
        let pf = procfile(&["worker"]);
        let m = [
            entry("web", Some(0), Some(M), 0),
            entry("worker", Some(1), Some(M), 40),
        ];
        let o = resolve(AppKind::OneClick, Some(&m), Some(&pf), None);
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(0, M, M_, M_, "FRM-4")),
                ("worker", rp(1, M, M_, M_, "FRM-4")),
            ])
        );
        assert!(o.diagnostics.is_empty());
    }

    // FRM-1: postdeploy and duplicates in procfile_types are ignored.
    #[test]
    fn procfile_postdeploy_and_duplicates_ignored() {
        let pf = procfile(&["web", "worker", "worker", "postdeploy"]);
        let o = resolve(AppKind::OneClick, None, Some(&pf), None);
        assert_eq!(
            o.formation.keys().collect::<Vec<_>>(),
            vec!["web", "worker"]
        );
    }

    // A duplicated entry (should not pass validation) keeps the last one.
    #[test]
    fn duplicate_entry_last_wins() {
        let pf = procfile(&["web"]);
        let m = [
            entry("web", Some(2), Some(L), 0),
            entry("web", Some(3), Some(S), 40),
        ];
        let o = resolve(AppKind::OneClick, Some(&m), Some(&pf), None);
        assert_eq!(o.formation, f(&[("web", rp(3, S, M_, M_, "FRM-4"))]));
    }

    // Monorepo: the review app builds PROJECT_DIR=api with its own Procfile; the parent
    // runs the whole formation of the production app.
    #[test]
    fn monorepo_review_app() {
        let pf = procfile(&["web", "worker"]); // api/Procfile
        let p = parent(&[("web", 3, L), ("worker", 2, L), ("scheduler", 1, S)]);
        let m = [
            entry("web", Some(1), None, 0),
            entry("worker", Some(1), Some(S), 40),
            entry("cron", Some(1), Some(S), 80),
        ];
        let o = resolve(AppKind::ReviewApp, Some(&m), Some(&pf), Some(&p));
        assert_eq!(
            o.formation,
            f(&[
                ("web", rp(1, L, M_, P, "FRM-4")),
                ("worker", rp(1, S, M_, M_, "FRM-4")),
            ])
        );
        assert_eq!(
            codes(&o),
            vec![
                ("SM1101", "FRM-6", Severity::Note),
                ("SM1102", "FRM-7", Severity::Warning),
                ("SM1103", "FRM-8", Severity::Note),
            ]
        );
        assert_eq!(
            o.diagnostics[1].hint.as_deref(),
            Some("to start 1 `cron` container(s), add a `cron: <command>` line to the Procfile (in a monorepo, the Procfile in PROJECT_DIR)")
        );
        assert_eq!(
            o.diagnostics[2].message,
            "parent process type `scheduler` (1 × S) is not started: the Procfile does not define it"
        );
    }

    // Monorepo without a Procfile in PROJECT_DIR: only web exists.
    #[test]
    fn monorepo_without_procfile_in_project_dir() {
        let p = parent(&[("web", 2, M), ("worker", 1, M)]);
        let m = [entry("worker", Some(1), Some(M), 0)];
        let o = resolve(AppKind::ReviewApp, Some(&m), None, Some(&p));
        assert_eq!(o.formation, f(&[("web", rp(2, M, P, P, "FRM-3"))]));
        assert_eq!(
            codes(&o),
            vec![
                ("SM1102", "FRM-7", Severity::Warning),
                ("SM1104", "FRM-9", Severity::Note),
            ]
        );
    }

    // Review app with no parent formation at all: defaults.
    #[test]
    fn review_app_without_parent_formation_uses_defaults() {
        let pf = procfile(&["web", "worker"]);
        let none = resolve(AppKind::ReviewApp, None, Some(&pf), None);
        let empty = resolve(AppKind::ReviewApp, None, Some(&pf), Some(&BTreeMap::new()));
        assert_eq!(none, empty);
        assert_eq!(
            none.formation,
            f(&[
                ("web", rp(1, M, D, D, "FRM-2")),
                ("worker", rp(0, M, D, D, "FRM-2")),
            ])
        );
    }

    #[test]
    fn json_shapes() {
        let pf = procfile(&["web"]);
        let o = resolve(AppKind::OneClick, None, Some(&pf), None);
        assert_eq!(
            serde_json::to_value(&o).unwrap(),
            serde_json::json!({
                "formation": {"web": {"amount": 1, "size": "M", "amount_from": "default", "size_from": "default", "rule": "FRM-2"}},
                "diagnostics": []
            })
        );
        let p: BTreeMap<String, ProcessFormation> =
            serde_json::from_str(r#"{"web": {"amount": 2, "size": "2XL"}}"#).unwrap();
        assert_eq!(p, parent(&[("web", 2, XXL)]));
        assert!(serde_json::from_str::<ProcessFormation>(r#"{"amount": 1}"#).is_err());
        assert!(serde_json::from_str::<ProcessFormation>(r#"{"amount": 1, "size": "m"}"#).is_err());
        assert!(serde_json::from_str::<ProcessFormation>(
            r#"{"amount": 1, "size": "M", "quantity": 1}"#
        )
        .is_err());
    }
}
