//! Properties of `addons` and `formation` (specs `spec/addons.md` and `spec/formation.md`,
//! rules `ADD-1` .. `ADD-8`, `FRM-1` .. `FRM-11`): which addons a new app gets and which
//! containers it starts. Manifest entries are built directly as `AddonSpec` and
//! `FormationEntry` structs.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::strategies::{
    container_size, kind, manifest_addons, manifest_formation, parent_addons, parent_formation,
    procfile_types,
};
use common::{count, day, in_canonical_order};
use proptest::option;
use proptest::prelude::*;
use scalingo_manifest::addons::{self, AddonOrigin, ParentAddon};
use scalingo_manifest::formation::{self, FormationOrigin, ProcessFormation};
use scalingo_manifest::manifest::{AddonSpec, ContainerSize, FormationEntry};
use scalingo_manifest::text::Span;
use scalingo_manifest::AppKind;

const REGRESSIONS: &str = "proptest-regressions/prop_addons_formation.txt";

/// The first entry of each provider, in manifest order (`ADD-8`).
fn first_of_each(list: &[AddonSpec]) -> Vec<&AddonSpec> {
    let mut seen = BTreeSet::new();
    list.iter()
        .filter(|a| seen.insert(a.addon.as_str()))
        .collect()
}

/// The process types that exist (`FRM-1`): the Procfile's, `postdeploy` excluded, plus
/// `web`.
fn existing_types(procfile: Option<&[String]>) -> BTreeSet<String> {
    let mut types: BTreeSet<String> = procfile
        .unwrap_or_default()
        .iter()
        .filter(|t| *t != "postdeploy")
        .cloned()
        .collect();
    types.insert("web".to_string());
    types
}

/// The last manifest entry of each type (`FRM-4`).
fn last_of_each(entries: &[FormationEntry]) -> BTreeMap<&str, &FormationEntry> {
    entries
        .iter()
        .map(|e| (e.process_type.as_str(), e))
        .collect()
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    // ---------------------------------------------------------------- addons

    /// ADD-2: a review app without `addons` key gets exactly the parent's addons, in the
    /// parent's order, with the parent's plan and version; a one-click deploy without the
    /// key gets none (ADD-3), whatever parent is passed in.
    #[test]
    fn add_2_no_key_copies_the_parent_or_gives_nothing(parent in parent_addons()) {
        let o = addons::resolve(AppKind::ReviewApp, None, &parent, day());
        let got: Vec<ParentAddon> = o.addons.iter().map(|a| ParentAddon {
            addon: a.addon.clone(),
            plan: a.plan.clone().unwrap_or_default(),
            version: a.version.clone(),
        }).collect();
        prop_assert_eq!(got, parent.clone());
        prop_assert!(o.addons.iter().all(|a| a.origin == AddonOrigin::Parent && a.rule == "ADD-2" && a.plan.is_some()));
        prop_assert!(o.diagnostics.is_empty());

        let o = addons::resolve(AppKind::OneClick, None, &parent, day());
        prop_assert!(o.addons.is_empty());
        prop_assert!(o.diagnostics.is_empty());
    }

    /// ADD-3, ADD-8: with an `addons` key, the providers are exactly the manifest's, in
    /// manifest order, each provider once (its first entry), origin `manifest`, for both
    /// kinds.
    #[test]
    fn add_3_a_key_gives_exactly_the_manifests_providers_in_order(
        kind in kind(),
        list in manifest_addons(),
        parent in parent_addons(),
    ) {
        let o = addons::resolve(kind, Some(&list), &parent, day());
        let got: Vec<&str> = o.addons.iter().map(|a| a.addon.as_str()).collect();
        let want: Vec<&str> = first_of_each(&list).iter().map(|a| a.addon.as_str()).collect();
        prop_assert_eq!(got, want);
        prop_assert!(o.addons.iter().all(|a| a.origin == AddonOrigin::Manifest));
    }

    /// ADD-5, ADD-6, ADD-7: a written plan or version is kept; a missing one comes from the
    /// parent's addon of the same provider (review apps only, rule ADD-5, notes SM1001 and
    /// SM1002), else stays the provider's default (`null`, note SM1003 for a plan).
    #[test]
    fn add_5_to_7_plan_and_version_come_from_manifest_then_parent_then_default(
        kind in kind(),
        list in manifest_addons(),
        parent in parent_addons(),
    ) {
        let o = addons::resolve(kind, Some(&list), &parent, day());
        let from_parent = |addon: &str| match kind {
            AppKind::ReviewApp => parent.iter().find(|p| p.addon == addon),
            AppKind::OneClick => None,
        };
        let firsts = first_of_each(&list);
        let (mut plan_notes, mut version_notes, mut default_notes) = (0, 0, 0);
        for (spec, got) in firsts.iter().zip(&o.addons) {
            let p = from_parent(&spec.addon);
            let plan = spec.plan.as_deref().map(str::to_string).or_else(|| p.map(|p| p.plan.clone()));
            let version = spec.version.as_deref().map(str::to_string).or_else(|| p.and_then(|p| p.version.clone()));
            prop_assert_eq!(&got.plan, &plan);
            prop_assert_eq!(&got.version, &version);
            let inherited = (spec.plan.is_none() && p.is_some()) || (spec.version.is_none() && p.is_some_and(|p| p.version.is_some()));
            prop_assert_eq!(got.rule.as_str(), if inherited { "ADD-5" } else { "ADD-3" });
            plan_notes += usize::from(spec.plan.is_none() && p.is_some());
            version_notes += usize::from(spec.version.is_none() && p.is_some_and(|p| p.version.is_some()));
            default_notes += usize::from(spec.plan.is_none() && p.is_none());
        }
        prop_assert_eq!(count(&o.diagnostics, "SM1001"), plan_notes);
        prop_assert_eq!(count(&o.diagnostics, "SM1002"), version_notes);
        prop_assert_eq!(count(&o.diagnostics, "SM1003"), default_notes);
    }

    /// ADD-4: in a review app with an `addons` key, each parent addon whose provider the
    /// manifest does not list gets one note SM1000; never in a one-click deploy.
    #[test]
    fn add_4_each_dropped_parent_addon_gets_a_note(
        kind in kind(),
        list in manifest_addons(),
        parent in parent_addons(),
    ) {
        let o = addons::resolve(kind, Some(&list), &parent, day());
        let dropped = match kind {
            AppKind::ReviewApp => parent.iter().filter(|p| !list.iter().any(|a| a.addon == p.addon)).count(),
            AppKind::OneClick => 0,
        };
        prop_assert_eq!(count(&o.diagnostics, "SM1000"), dropped);
    }

    /// ADD-8: every later entry of a provider is reported once: a warning (SM1004) when it
    /// repeats the first entry's plan and version, an error (SM1005) when it differs; the
    /// diagnostics are in canonical order (DIAG-4).
    #[test]
    fn add_8_each_repeated_provider_is_reported_once(kind in kind(), list in manifest_addons(), parent in parent_addons()) {
        let o = addons::resolve(kind, Some(&list), &parent, day());
        let mut first: BTreeMap<&str, &AddonSpec> = BTreeMap::new();
        let (mut same, mut different) = (0, 0);
        for a in &list {
            match first.get(a.addon.as_str()) {
                Some(f) if f.plan == a.plan && f.version == a.version => same += 1,
                Some(_) => different += 1,
                None => {
                    first.insert(a.addon.as_str(), a);
                }
            }
        }
        prop_assert_eq!(count(&o.diagnostics, "SM1004"), same);
        prop_assert_eq!(count(&o.diagnostics, "SM1005"), different);
        prop_assert!(in_canonical_order(&o.diagnostics), "DIAG-4: {:?}", o.diagnostics);
    }

    /// ADD-3: a one-click deploy ignores any parent passed in.
    #[test]
    fn add_3_one_click_ignores_the_parent(list in option::of(manifest_addons()), parent in parent_addons()) {
        prop_assert_eq!(
            addons::resolve(AppKind::OneClick, list.as_deref(), &parent, day()),
            addons::resolve(AppKind::OneClick, list.as_deref(), &[], day())
        );
    }

    /// ADD-10 (decision D-22): on any date, an addon carries `replaced_by` exactly when its
    /// plan ends in `-sandbox` and the date is 2026-03-02 or later; the plan shown is the one
    /// requested, and each such plan taken from the parent gets one SM1007.
    #[test]
    fn add_10_retired_plans_are_replaced_exactly_from_their_day(
        kind in kind(),
        list in option::of(manifest_addons()),
        parent in parent_addons(),
        sandbox in proptest::collection::vec(any::<bool>(), 0..8),
        after in any::<bool>(),
    ) {
        let date = if after { "2026-03-02" } else { "2026-03-01" }.parse().unwrap();
        let mark = |i: usize, plan: &mut String| {
            if sandbox.get(i).copied().unwrap_or(false) {
                plan.push_str("-sandbox");
            }
        };
        let mut parent = parent;
        for (i, p) in parent.iter_mut().enumerate() {
            mark(i, &mut p.plan);
        }
        let list = list.map(|mut l| {
            for (i, a) in l.iter_mut().enumerate() {
                if let Some(p) = a.plan.as_mut() {
                    let mut plan = p.to_string();
                    mark(i + 4, &mut plan);
                    *p = plan.into();
                }
            }
            l
        });
        let o = addons::resolve(kind, list.as_deref(), &parent, date);
        let mut from_parent = 0;
        for a in &o.addons {
            let retired = after && a.plan.as_deref().is_some_and(|p| p.ends_with("-sandbox"));
            prop_assert_eq!(a.replaced_by.is_some(), retired, "{:?}", a);
            if let Some(r) = &a.replaced_by {
                prop_assert_eq!(r, &format!("the smallest Starter plan of {}", a.addon));
                let written = a.origin == AddonOrigin::Manifest
                    && list.iter().flatten().any(|s| s.addon == a.addon && s.plan.as_deref() == a.plan.as_deref());
                from_parent += usize::from(!written);
            }
        }
        prop_assert_eq!(count(&o.diagnostics, "SM1007"), from_parent);
    }

    // ---------------------------------------------------------------- formation

    /// FRM-1: the output holds exactly the Procfile's types (`postdeploy` excluded, each
    /// once) plus `web`, whatever the manifest and the parent say.
    #[test]
    fn frm_1_output_types_are_procfile_types_and_web(
        kind in kind(),
        entries in option::of(manifest_formation()),
        types in procfile_types(),
        parent in option::of(parent_formation()),
    ) {
        let o = formation::resolve(kind, entries.as_deref(), types.as_deref(), parent.as_ref());
        let keys: BTreeSet<String> = o.formation.keys().cloned().collect();
        prop_assert_eq!(keys, existing_types(types.as_deref()));
    }

    /// FRM-2 .. FRM-6: each field comes from the manifest's (last) entry, else the parent
    /// (review apps), else the default (web 1, others 0, size M), with the matching origin
    /// and rule; a missing amount or size in an entry gets a note (SM1100, SM1101).
    #[test]
    fn frm_2_to_6_amount_and_size_come_from_manifest_then_parent_then_default(
        kind in kind(),
        entries in option::of(manifest_formation()),
        types in procfile_types(),
        parent in option::of(parent_formation()),
    ) {
        let o = formation::resolve(kind, entries.as_deref(), types.as_deref(), parent.as_ref());
        let last = last_of_each(entries.as_deref().unwrap_or_default());
        let (mut amount_notes, mut size_notes) = (0, 0);
        for (t, got) in &o.formation {
            let p: Option<&ProcessFormation> = match kind {
                AppKind::ReviewApp => parent.as_ref().and_then(|p| p.get(t)),
                AppKind::OneClick => None,
            };
            let e = last.get(t.as_str());
            let default_amount = u32::from(t == "web");
            let (amount, amount_from) = match (e.and_then(|e| e.amount), p) {
                (Some(a), _) => (a, FormationOrigin::Manifest),
                (None, Some(p)) => (p.amount, FormationOrigin::Parent),
                (None, None) => (default_amount, FormationOrigin::Default),
            };
            let (size, size_from) = match (e.and_then(|e| e.size), p) {
                (Some(s), _) => (s, FormationOrigin::Manifest),
                (None, Some(p)) => (p.size, FormationOrigin::Parent),
                (None, None) => (ContainerSize::M, FormationOrigin::Default),
            };
            let rule = match (e, p) {
                (Some(_), _) => "FRM-4",
                (None, Some(_)) => "FRM-3",
                (None, None) => "FRM-2",
            };
            prop_assert_eq!((got.amount, got.amount_from, got.size, got.size_from, got.rule.as_str()), (amount, amount_from, size, size_from, rule), "type {}", t);
            amount_notes += usize::from(e.is_some_and(|e| e.amount.is_none()));
            size_notes += usize::from(e.is_some_and(|e| e.size.is_none()));
        }
        prop_assert_eq!(count(&o.diagnostics, "SM1100"), amount_notes);
        prop_assert_eq!(count(&o.diagnostics, "SM1101"), size_notes);
    }

    /// FRM-3 (frame rule): in a review app, a type the manifest does not name keeps the
    /// parent's amount and size exactly; `"formation": {}` is the same as no key.
    #[test]
    fn frm_3_unnamed_types_keep_the_parents_formation(
        entries in option::of(manifest_formation()),
        types in procfile_types(),
        parent in parent_formation(),
    ) {
        let o = formation::resolve(AppKind::ReviewApp, entries.as_deref(), types.as_deref(), Some(&parent));
        let named: BTreeSet<&str> = entries.iter().flatten().map(|e| e.process_type.as_str()).collect();
        for (t, p) in &parent {
            if named.contains(t.as_str()) {
                continue;
            }
            if let Some(got) = o.formation.get(t) {
                prop_assert_eq!((got.amount, got.size), (p.amount, p.size), "type {}", t);
                prop_assert_eq!(got.rule.as_str(), "FRM-3");
            }
        }
        prop_assert_eq!(
            formation::resolve(AppKind::ReviewApp, Some(&[]), types.as_deref(), Some(&parent)),
            formation::resolve(AppKind::ReviewApp, None, types.as_deref(), Some(&parent))
        );
    }

    /// FRM-10: a one-click deploy ignores any parent formation passed in.
    #[test]
    fn frm_10_one_click_ignores_the_parent(
        entries in option::of(manifest_formation()),
        types in procfile_types(),
        parent in parent_formation(),
    ) {
        prop_assert_eq!(
            formation::resolve(AppKind::OneClick, entries.as_deref(), types.as_deref(), Some(&parent)),
            formation::resolve(AppKind::OneClick, entries.as_deref(), types.as_deref(), None)
        );
    }

    /// FRM-7, FRM-8, FRM-9: each manifest type that does not exist gets one warning
    /// (SM1102); each parent type that does not exist and that the manifest does not name
    /// gets one note (SM1103, review apps); the buildpack-web note (SM1104) appears exactly
    /// when `web` starts containers without a Procfile `web` line; the diagnostics are in
    /// canonical order (DIAG-4).
    #[test]
    fn frm_7_to_9_types_not_started_are_reported(
        kind in kind(),
        entries in option::of(manifest_formation()),
        types in procfile_types(),
        parent in option::of(parent_formation()),
    ) {
        let o = formation::resolve(kind, entries.as_deref(), types.as_deref(), parent.as_ref());
        let exist = existing_types(types.as_deref());
        let named: BTreeSet<&str> = entries.iter().flatten().map(|e| e.process_type.as_str()).collect();
        let undefined = named.iter().filter(|t| !exist.contains(**t)).count();
        prop_assert_eq!(count(&o.diagnostics, "SM1102"), undefined);
        let gone = match kind {
            AppKind::ReviewApp => parent.iter().flatten().filter(|(t, _)| !exist.contains(*t) && !named.contains(t.as_str())).count(),
            AppKind::OneClick => 0,
        };
        prop_assert_eq!(count(&o.diagnostics, "SM1103"), gone);
        let procfile_web = types.iter().flatten().any(|t| t == "web");
        let web_runs = o.formation.get("web").is_some_and(|w| w.amount > 0);
        prop_assert_eq!(count(&o.diagnostics, "SM1104"), usize::from(web_runs && !procfile_web));
        prop_assert!(in_canonical_order(&o.diagnostics), "DIAG-4: {:?}", o.diagnostics);
    }
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// ADD-1: the resolved list is the provisioning order, and it follows its input: the
    /// parent's order for a review app without `addons`, nothing for a one-click deploy
    /// without it, else the manifest's order (the first entry of each provider, ADD-8).
    #[test]
    fn add_1_addons_are_provisioned_in_the_order_of_their_list(
        kind in kind(),
        list in option::of(manifest_addons()),
        parent in parent_addons(),
    ) {
        let o = addons::resolve(kind, list.as_deref(), &parent, day());
        let order: Vec<&str> = o.addons.iter().map(|a| a.addon.as_str()).collect();
        let want: Vec<&str> = match (&list, kind) {
            (None, AppKind::ReviewApp) => parent.iter().map(|p| p.addon.as_str()).collect(),
            (None, AppKind::OneClick) => Vec::new(),
            (Some(l), _) => first_of_each(l).iter().map(|a| a.addon.as_str()).collect(),
        };
        prop_assert_eq!(order, want);
    }

    /// FRM-11: there is no limit on the total: up to 100 process types (the most a manifest
    /// holds, LIM-5) of up to 1000 containers each (LIM-6) all start with the amount and
    /// size their entries say, however large the total, with no error.
    #[test]
    fn frm_11_there_is_no_limit_on_the_total(
        kind in kind(),
        n in 1usize..=100,
        amount in 900u32..=1000,
        size in container_size(),
    ) {
        let types: Vec<String> = (0..n).map(|i| if i == 0 { "web".to_string() } else { format!("p{i}") }).collect();
        let entries: Vec<FormationEntry> = types.iter().map(|t| FormationEntry {
            process_type: t.clone().into(),
            name_span: Span::point(0),
            span: Span::point(0),
            amount: Some(amount),
            size: Some(size),
        }).collect();
        let parent: BTreeMap<String, ProcessFormation> = types.iter()
            .map(|t| (t.clone(), ProcessFormation { amount: 1000, size: ContainerSize::XXXL }))
            .collect();
        let o = formation::resolve(kind, Some(&entries), Some(&types), Some(&parent));
        prop_assert_eq!(o.formation.len(), n);
        for t in &types {
            let p = &o.formation[t];
            prop_assert_eq!((p.amount, p.size), (amount, size));
        }
        prop_assert!(!o.diagnostics.iter().any(|d| d.is_error()), "{:?}", o.diagnostics);
    }
}
