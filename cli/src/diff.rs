//! `scalingo-manifest diff`: what a review app gets beside its parent app, or how a change
//! of the repository changes what review apps get (`spec/scenario.md`, rule `SCN-9`).
//!
//! Both are comparisons of two app states ([`AppState`]): the parent's (from the scenario)
//! against the review app's (from the engine's outcome), or the review app's at a base
//! revision against the review app's at a head revision. Each entry of each section is
//! `added`, `changed`, `removed` or `kept`; the review app's side carries the rule that
//! decided it. Nothing here decides anything: the outcome does.
//!
//! Values that look like credentials (`env::credential_sign`, rule `ENV-16`) are masked as
//! `****` unless the caller asks for them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use scalingo_manifest::env::credential_sign;
use scalingo_manifest::escape;
use scalingo_manifest::hooks::AttemptOutcome;
use scalingo_manifest::scenario::{mark_rules, Outcome, ParentApp};

/// What is shown instead of a value that looks like a credential.
pub const MASK: &str = "****";

/// How an entry of the second state compares with the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Only in the second state.
    Added,
    /// In both, with another value.
    Changed,
    /// Only in the first state.
    Removed,
    /// In both, the same.
    Kept,
}

impl Change {
    /// The sign of a human line: `+`, `~`, `-`, `=`.
    fn sign(self) -> char {
        match self {
            Change::Added => '+',
            Change::Changed => '~',
            Change::Removed => '-',
            Change::Kept => '=',
        }
    }
}

/// An app's state as the diff sees it: its environment, addons, formation, stack and
/// firewall rules. Each value carries, when known, the rule that decided it.
#[derive(Debug, Clone, Default)]
pub struct AppState {
    /// Variables: value and the deciding rule (with the origin), if known.
    pub env: BTreeMap<String, (String, Option<String>)>,
    /// Why a parent variable is not set, by name (`ENV-8: parent-addon-var`).
    pub env_removed: BTreeMap<String, String>,
    /// Addons by provider: `plan version` as shown, and the deciding rule.
    pub addons: BTreeMap<String, (String, Option<String>)>,
    /// Containers by process type: `amount x size`, and the deciding rule.
    pub formation: BTreeMap<String, (String, Option<String>)>,
    /// The stack.
    pub stack: Option<String>,
    /// Firewall rules by range: the label as shown.
    pub firewall: BTreeMap<String, (String, Option<String>)>,
}

impl AppState {
    /// The parent app's state, as the scenario gives it.
    pub fn of_parent(parent: &ParentApp) -> AppState {
        AppState {
            env: parent
                .env
                .iter()
                .map(|(k, v)| (k.clone(), (v.clone(), None)))
                .collect(),
            env_removed: BTreeMap::new(),
            addons: parent
                .addons
                .iter()
                .map(|a| {
                    let shown = plan_and_version(Some(&a.plan), a.version.as_deref());
                    (a.addon.clone(), (shown, None))
                })
                .collect(),
            formation: parent
                .formation
                .iter()
                .map(|(t, p)| {
                    (
                        t.clone(),
                        (format!("{} x {}", p.amount, p.size.as_str()), None),
                    )
                })
                .collect(),
            stack: parent.stack.clone(),
            firewall: parent
                .firewall_rules
                .iter()
                .map(|r| (r.cidr.clone(), (label_of(r.label.as_deref()), None)))
                .collect(),
        }
    }

    /// The new app's state, as the outcome decides it (the parts the outcome lacks, after
    /// an error that stopped resolution, are empty).
    pub fn of_outcome(outcome: &Outcome) -> AppState {
        let mut state = AppState::default();
        if let Some(env) = &outcome.env {
            for (name, v) in &env.vars {
                let origin = json_name(&v.origin);
                state.env.insert(
                    name.clone(),
                    (v.value.clone(), Some(format!("{}: {origin}", v.rule))),
                );
            }
            for r in &env.removed {
                state
                    .env_removed
                    .insert(r.name.clone(), format!("{}: {}", r.rule, r.reason));
            }
        }
        for a in outcome.addons.iter().flatten() {
            let shown = plan_and_version(a.plan.as_deref(), a.version.as_deref());
            state
                .addons
                .insert(a.addon.clone(), (shown, Some(a.rule.clone())));
        }
        for (t, p) in outcome.formation.iter().flatten() {
            state.formation.insert(
                t.clone(),
                (
                    format!("{} x {}", p.amount, p.size.as_str()),
                    Some(p.rule.clone()),
                ),
            );
        }
        state.stack = outcome.stack.as_ref().and_then(|s| s.value.clone());
        if let Some(fw) = &outcome.firewall {
            for r in &fw.rules {
                state.firewall.insert(
                    r.cidr.clone(),
                    (label_of(r.label.as_deref()), Some(fw.rule.clone())),
                );
            }
        }
        state
    }
}

/// The JSON name of an enum value of the outcome (`"parent"`, `"first-deploy"`, `"ok"`).
pub fn json_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `plan version V`, `(default plan)`.
fn plan_and_version(plan: Option<&str>, version: Option<&str>) -> String {
    let plan = plan.unwrap_or("(default plan)");
    match version {
        Some(v) => format!("{plan} version {v}"),
        None => plan.to_string(),
    }
}

/// A firewall rule's label as shown: `"office"`, or `(no label)`.
fn label_of(label: Option<&str>) -> String {
    match label {
        Some(l) if !l.is_empty() => format!("{l:?}"),
        _ => "(no label)".to_string(),
    }
}

/// One entry of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The variable, addon provider, process type or range.
    pub name: String,
    /// How it compares.
    pub change: Change,
    /// The first state's value (absent when added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The second state's value (absent when removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The rule that decided the second state's value, or why it is not there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// The comparison of two app states, section by section, entries by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sections {
    /// Environment variables.
    pub env: Vec<Entry>,
    /// Addons, by provider.
    pub addons: Vec<Entry>,
    /// Containers, by process type.
    pub formation: Vec<Entry>,
    /// The stack (one entry, named `stack`, when either side has one).
    pub stack: Vec<Entry>,
    /// Firewall rules, by range.
    pub firewall: Vec<Entry>,
}

/// Compares two maps of values; `removed_why` says why a name of the first is not in the
/// second, when known.
fn compare(
    before: &BTreeMap<String, (String, Option<String>)>,
    after: &BTreeMap<String, (String, Option<String>)>,
    removed_why: &BTreeMap<String, String>,
    shown: &dyn Fn(&str, &str) -> String,
) -> Vec<Entry> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .map(|name| {
            let b = before.get(name);
            let a = after.get(name);
            let change = match (b, a) {
                (None, _) => Change::Added,
                (_, None) => Change::Removed,
                (Some(b), Some(a)) if b.0 == a.0 => Change::Kept,
                _ => Change::Changed,
            };
            let rule = match a {
                Some((_, rule)) => rule.clone(),
                None => removed_why.get(name).cloned(),
            };
            Entry {
                name: name.clone(),
                change,
                before: b.map(|(v, _)| shown(name, v)),
                after: a.map(|(v, _)| shown(name, v)),
                rule,
            }
        })
        .collect()
}

/// Compares `before` with `after`; values that look like credentials are masked unless
/// `show_values`.
pub fn sections(before: &AppState, after: &AppState, show_values: bool) -> Sections {
    let mask = |name: &str, value: &str| {
        if !show_values && credential_sign(name, value).is_some() {
            MASK.to_string()
        } else {
            value.to_string()
        }
    };
    let plain = |_: &str, value: &str| value.to_string();
    let none = BTreeMap::new();
    let one = |s: &Option<String>| -> BTreeMap<String, (String, Option<String>)> {
        s.iter()
            .map(|v| ("stack".to_string(), (v.clone(), None)))
            .collect()
    };
    Sections {
        env: compare(&before.env, &after.env, &after.env_removed, &mask),
        addons: compare(&before.addons, &after.addons, &none, &plain),
        formation: compare(&before.formation, &after.formation, &none, &plain),
        stack: compare(&one(&before.stack), &one(&after.stack), &none, &plain),
        firewall: compare(&before.firewall, &after.firewall, &none, &plain),
    }
}

/// The hooks of a schedule, one line for each attempt that runs one: `attempt 1:
/// first-deploy `cmd` [HOOK-8]`; none when no attempt runs a hook.
pub fn hook_lines(attempts: &[AttemptOutcome]) -> Vec<String> {
    attempts
        .iter()
        .filter_map(|a| {
            let h = a.hook.as_ref()?;
            Some(format!(
                "attempt {}: {} `{}` [{}]",
                a.attempt,
                json_name(&h.hook),
                h.command,
                h.rule
            ))
        })
        .collect()
}

/// The human rendering: a header line, then each section with a count line and one line
/// per entry (`kept` entries only with `all`), then the hooks. Each rule cited carries its
/// basis mark (`scenario::mark_rules`); every quoted text is escaped (rule `DIAG-13`).
pub fn human(header: &str, s: &Sections, hooks: &[String], all: bool) -> String {
    let mut out = format!("{}\n", escape::single_line(header));
    for (title, entries) in [
        ("env", &s.env),
        ("addons", &s.addons),
        ("formation", &s.formation),
        ("stack", &s.stack),
        ("firewall", &s.firewall),
    ] {
        let count = |c: Change| entries.iter().filter(|e| e.change == c).count();
        out.push_str(&format!(
            "\n{title}: {} added, {} changed, {} removed, {} kept\n",
            count(Change::Added),
            count(Change::Changed),
            count(Change::Removed),
            count(Change::Kept)
        ));
        for e in entries.iter().filter(|e| all || e.change != Change::Kept) {
            let value = match (&e.before, &e.after, e.change) {
                (Some(b), Some(a), Change::Changed) => format!(": {b} -> {a}"),
                (_, Some(a), _) => format!(": {a}"),
                (Some(b), None, _) => format!(" (was {b})"),
                (None, None, _) => String::new(),
            };
            let rule = e
                .rule
                .as_ref()
                .map(|r| format!("  [{r}]"))
                .unwrap_or_default();
            let line = format!("  {} {}{value}{rule}", e.change.sign(), e.name);
            out.push_str(&escape::single_line(&mark_rules(&line)));
            out.push('\n');
        }
    }
    out.push_str("\nhooks\n");
    if hooks.is_empty() {
        out.push_str("  none: neither a first-deploy script nor a postdeploy hook\n");
    }
    for h in hooks {
        out.push_str(&format!("  {}\n", escape::single_line(&mark_rules(h))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(env: &[(&str, &str)]) -> AppState {
        AppState {
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), (v.to_string(), Some("ENV-7: parent".into()))))
                .collect(),
            ..AppState::default()
        }
    }

    // Each entry is added, changed, removed or kept; credentials are masked unless asked.
    #[test]
    fn entries_compare_by_name_and_mask_credentials() {
        let before = state(&[
            ("A", "1"),
            ("B", "2"),
            ("DATABASE_URL", "postgres://u:p@h/d"),
        ]);
        let mut after = state(&[
            ("A", "1"),
            ("B", "3"),
            ("C", "4"),
            ("DATABASE_URL", "postgres://u:p@h/d"),
        ]);
        after.env.remove("A");
        after
            .env_removed
            .insert("A".into(), "ENV-9: deleted-by-manifest".into());
        let s = sections(&before, &after, false);
        let changes: Vec<(&str, Change)> =
            s.env.iter().map(|e| (e.name.as_str(), e.change)).collect();
        assert_eq!(
            changes,
            [
                ("A", Change::Removed),
                ("B", Change::Changed),
                ("C", Change::Added),
                ("DATABASE_URL", Change::Kept)
            ]
        );
        assert_eq!(s.env[0].rule.as_deref(), Some("ENV-9: deleted-by-manifest"));
        assert_eq!(s.env[3].after.as_deref(), Some(MASK));
        let shown = sections(&before, &after, true);
        assert_eq!(shown.env[3].after.as_deref(), Some("postgres://u:p@h/d"));
        let text = human("h", &s, &[], false);
        assert!(
            text.contains("env: 1 added, 1 changed, 1 removed, 1 kept\n"),
            "{text}"
        );
        assert!(
            text.contains("  ~ B: 2 -> 3  [ENV-7 (doc+D-19): parent]\n"),
            "{text}"
        );
        assert!(
            text.contains("  - A (was 1)  [ENV-9 (doc+D-19): deleted-by-manifest]\n"),
            "{text}"
        );
        assert!(
            !text.contains("DATABASE_URL"),
            "kept entries only when asked: {text}"
        );
        assert!(human("h", &s, &[], true).contains("  = DATABASE_URL: ****"));
    }
}
