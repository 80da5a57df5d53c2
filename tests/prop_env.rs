//! Properties of `env` and `generate` (specs `spec/env.md` and `spec/generate.md`, rules
//! `ENV-1` .. `ENV-16`, `GEN-1` .. `GEN-9`): the new app's environment, for review apps
//! (the parent's environment with the manifest on top) and one-click deploys (the
//! manifest's defaults and the form's values), and the generated values.
//!
//! Manifest `env` entries are built directly as `EnvVar` structs (names valid and unique,
//! as the validator guarantees). The reference models below restate the rules; `env`
//! must agree with them value for value, origin for origin, rule for rule.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::strategies::{
    dedup_keep_last, entry, env_context, env_var, is_valid_env_name, kind, manifest_env,
    near_valid_env_name, one_click_env_case, review_env_case, template, valid_env_name, EnvCase,
    MAX_VALUE_CHARS,
};
use common::{count, in_canonical_order, is_lower_hex_32};
use proptest::collection::{btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use scalingo_manifest::env::{credential_sign, resolve, EnvOutcome, Origin};
use scalingo_manifest::generate::{self, app_url, TemplateContext};
use scalingo_manifest::manifest::{EnvValue, EnvVar, Generator};
use scalingo_manifest::{AppKind, Code};

const REGRESSIONS: &str = "proptest-regressions/prop_env.txt";

/// A variable as the models state it: value, origin, rule.
type Var = (String, Origin, String);

/// Expands a template per `GEN-4` .. `GEN-6`, written independently of `generate`: a token
/// is `%`, one or more `[A-Za-z0-9_]`, `%`; unknown tokens stay; one pass.
fn model_expand(template: &str, ctx: &TemplateContext) -> String {
    let chars: Vec<char> = template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '%' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '%' {
                let name: String = chars[i + 1..j].iter().collect();
                match name.as_str() {
                    "URL" => out.push_str(&ctx.url),
                    "APP" => out.push_str(&ctx.app),
                    "PARENT_APP" => out.push_str(ctx.parent_app.as_deref().unwrap_or("")),
                    "PR_NUMBER" => {
                        out.push_str(&ctx.pr_number.map(|n| n.to_string()).unwrap_or_default())
                    }
                    _ => {
                        out.push('%');
                        out.push_str(&name);
                        out.push('%');
                    }
                }
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The token names of a template, per `GEN-4` (same scanner as [`model_expand`]).
fn model_tokens(template: &str) -> Vec<String> {
    let chars: Vec<char> = template.chars().collect();
    let mut names = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '%' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '%' {
                names.push(chars[i + 1..j].iter().collect());
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    names
}

/// The value and origin a generator gives (`GEN-1`, `GEN-7`, `GEN-8`), with a seed.
fn model_generate(g: &Generator, name: &str, seed: u64, ctx: &TemplateContext) -> (String, Origin) {
    match g {
        Generator::Secret => (generate::secret(seed, name), Origin::Secret),
        Generator::Url { template: None } => (ctx.url.clone(), Origin::Url),
        Generator::Url { template: Some(t) } => (model_expand(t, ctx), Origin::Url),
        Generator::Template { template } => (model_expand(template, ctx), Origin::Template),
    }
}

/// A parent or user variable that passes `ENV-12`.
fn usable(name: &str, value: &str) -> bool {
    is_valid_env_name(name) && value.chars().count() <= MAX_VALUE_CHARS
}

/// Review app (`ENV-7` .. `ENV-10`, `ENV-12`): the variables and the removed names with
/// their reasons.
fn model_review(
    case: &EnvCase,
    seed: u64,
    ctx: &TemplateContext,
) -> (BTreeMap<String, Var>, BTreeMap<String, String>) {
    let mut vars: BTreeMap<String, Var> = BTreeMap::new();
    let mut removed: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &case.parent_env {
        if !is_valid_env_name(name) {
            removed.insert(name.clone(), "invalid-name".into());
        } else if value.chars().count() > MAX_VALUE_CHARS {
            removed.insert(name.clone(), "value-too-long".into());
        } else if case.parent_addon_vars.contains(name) && !case.copy {
            removed.insert(name.clone(), "parent-addon-var".into());
        } else {
            let rule = if case.parent_addon_vars.contains(name) {
                "ENV-8"
            } else {
                "ENV-7"
            };
            vars.insert(name.clone(), (value.clone(), Origin::Parent, rule.into()));
        }
    }
    for e in case.manifest_env.iter().flatten() {
        let n = &e.name;
        match &e.value {
            EnvValue::Unset => {
                if let Some(v) = vars.get_mut(n.as_str()) {
                    v.2 = "ENV-10".into();
                }
            }
            EnvValue::Delete => {
                if vars.remove(n.as_str()).is_some() {
                    removed.insert(n.to_string(), "deleted-by-manifest".into());
                }
            }
            EnvValue::Value { value } => {
                vars.insert(
                    n.to_string(),
                    (value.to_string(), Origin::Manifest, "ENV-9".into()),
                );
                removed.remove(n.as_str());
            }
            EnvValue::Generator { generator } => {
                let (value, origin) = model_generate(generator, n, seed, ctx);
                vars.insert(n.to_string(), (value, origin, "ENV-9".into()));
                removed.remove(n.as_str());
            }
        }
    }
    (vars, removed)
}

/// One-click deploy (`ENV-2` .. `ENV-6`, `ENV-12`): the variables and the names that get
/// SM0950.
fn model_one_click(
    case: &EnvCase,
    seed: u64,
    ctx: &TemplateContext,
) -> (BTreeMap<String, Var>, BTreeSet<String>) {
    let user: BTreeMap<&str, &str> = case
        .user_env
        .iter()
        .filter(|(n, v)| !v.is_empty() && usable(n, v))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut vars: BTreeMap<String, Var> = BTreeMap::new();
    let mut missing = BTreeSet::new();
    let entries = case.manifest_env.as_deref().unwrap_or_default();
    for e in entries {
        if let Some(u) = user.get(e.name.as_str()) {
            vars.insert(
                e.name.to_string(),
                (u.to_string(), Origin::User, "ENV-2".into()),
            );
            continue;
        }
        match &e.value {
            EnvValue::Value { value } => {
                vars.insert(
                    e.name.to_string(),
                    (value.to_string(), Origin::Manifest, "ENV-3".into()),
                );
            }
            EnvValue::Generator { generator } => {
                let (value, origin) = model_generate(generator, &e.name, seed, ctx);
                vars.insert(e.name.to_string(), (value, origin, "ENV-3".into()));
            }
            EnvValue::Unset | EnvValue::Delete => {
                if e.required {
                    missing.insert(e.name.to_string());
                }
            }
        }
    }
    for (n, u) in user {
        if !entries.iter().any(|e| e.name == n) {
            vars.insert(n.to_string(), (u.to_string(), Origin::User, "ENV-5".into()));
        }
    }
    (vars, missing)
}

fn vars_of(o: &EnvOutcome) -> BTreeMap<String, Var> {
    o.vars
        .iter()
        .map(|(k, v)| (k.clone(), (v.value.clone(), v.origin, v.rule.clone())))
        .collect()
}

fn removed_of(o: &EnvOutcome) -> BTreeMap<String, String> {
    o.removed
        .iter()
        .map(|r| (r.name.clone(), r.reason.clone()))
        .collect()
}

/// The variable names SM0950 is reported for (pointer `/env/NAME`).
fn required_missing(o: &EnvOutcome) -> Vec<String> {
    o.diagnostics
        .iter()
        .filter(|d| d.code == "SM0950")
        .map(|d| d.pointer.trim_start_matches("/env/").to_string())
        .collect()
}

fn named(case: &EnvCase, name: &str) -> bool {
    case.manifest_env.iter().flatten().any(|e| e.name == name)
}

/// A template context for expansion properties: app names that look like tokens
/// (`GEN-6`), with or without a parent and a PR number.
fn template_context() -> impl Strategy<Value = TemplateContext> {
    (
        prop_oneof![
            3 => "[a-z][a-z0-9-]{0,10}",
            1 => Just("%URL%".to_string()),
            1 => Just("%APP%x".to_string()),
        ],
        option::of(prop_oneof!["[a-z]{1,6}", Just("%PR_NUMBER%".to_string())]),
        option::of(prop_oneof![0u64..20, any::<u64>()]),
    )
        .prop_map(|(app, parent_app, pr_number)| TemplateContext {
            // Token-like names are not app names (no URL): any URL text works for expansion.
            url: app_url(&app, "osc-fr1")
                .unwrap_or_else(|| "https://x.osc-fr1.scalingo.io".to_string()),
            app,
            parent_app,
            pr_number,
        })
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// GEN-7, SCN-2, PLAT-5: whatever the name and region, the app URL is absent or
    /// exactly `https://<valid name>.<a catalogue region's app domain>`: no input reaches its
    /// host beyond a checked name, nor its path or query.
    #[test]
    fn gen_7_scn_2_the_app_url_is_built_from_checked_parts(
        name in prop_oneof![3 => "[a-z0-9-]{1,12}", 1 => any::<String>(), 1 => "[a-z]{1,5}[./?#@:%][a-z]{0,5}"],
        region in prop_oneof![
            3 => proptest::sample::select(scalingo_manifest::platform::regions().iter().map(|r| r.name.to_string()).collect::<Vec<_>>()),
            1 => any::<String>(),
            1 => "[a-z0-9.-]{0,10}[/?#][a-z]{0,4}",
        ],
    ) {
        let Some(url) = app_url(&name, &region) else { return Ok(()) };
        let valid_name = (1..=64).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !name.starts_with('-') && !name.ends_with('-');
        prop_assert!(valid_name, "{:?} gave {}", name, url);
        let r = scalingo_manifest::platform::regions().iter().find(|r| r.name == region);
        prop_assert!(r.is_some(), "{:?} gave {}", region, url);
        prop_assert_eq!(url, format!("https://{name}.{}", r.map(|r| r.app_domain).unwrap_or_default()));
    }

    // ---------------------------------------------------------------- review apps

    /// ENV-1: for a review app, every parent variable is in exactly one of `vars` and
    /// `removed`; `removed` holds only parent names, each once, ordered by name.
    #[test]
    fn env_1_review_app_every_parent_var_is_kept_or_removed_once(case in review_env_case(), seed in any::<u64>()) {
        let o = resolve(&case.inputs(), &env_context(AppKind::ReviewApp, Some(seed)));
        for name in case.parent_env.keys() {
            let kept = o.vars.contains_key(name);
            let gone = o.removed.iter().filter(|r| &r.name == name).count();
            prop_assert!(kept as usize + gone == 1, "{name}: kept {kept}, removed {gone} times");
        }
        let names: Vec<&String> = o.removed.iter().map(|r| &r.name).collect();
        prop_assert!(names.windows(2).all(|w| w[0] < w[1]), "removed is not sorted and unique: {names:?}");
        prop_assert!(names.iter().all(|n| case.parent_env.contains_key(*n)));
    }

    /// ENV-16: exactly the variables the review app gets from the parent that reach the
    /// parent's data are reported, once each: SM0960 for an addon variable copied by
    /// `copy_parent_database_urls`, else SM0959 when it looks like a credential; no message
    /// quotes a value.
    #[test]
    fn env_16_inherited_credentials_are_exactly_the_reported_ones(
        case in review_env_case(),
        extra in proptest::collection::btree_map(
            prop_oneof![Just("DATABASE_URL"), Just("API_TOKEN"), Just("STRIPE_PUBLISHABLE_KEY"), Just("LANG"), Just("SCALINGO_REDIS_URL")],
            prop_oneof![Just("postgres://u:s3cr3t-pw@db/prod".to_string()), "[a-z]{0,12}"],
            0..4,
        ),
        seed in any::<u64>(),
    ) {
        let mut case = case;
        for (name, value) in extra {
            case.parent_env.insert(name.to_string(), value);
        }
        case.parent_addon_vars.insert("SCALINGO_REDIS_URL".to_string());
        let o = resolve(&case.inputs(), &env_context(AppKind::ReviewApp, Some(seed)));
        let mut expected: Vec<(Code, String)> = Vec::new();
        for (name, v) in &o.vars {
            if v.origin != Origin::Parent {
                continue;
            }
            let pointer = format!("/parent/env/{}", name.replace('~', "~0").replace('/', "~1"));
            if case.parent_addon_vars.contains(name) {
                prop_assert!(case.copy);
                expected.push((Code::ParentAddonVarCopied, pointer));
            } else if credential_sign(name, &v.value).is_some() {
                expected.push((Code::InheritedCredential, pointer));
            }
        }
        let credential = |c: Code| matches!(c, Code::InheritedCredential | Code::ParentAddonVarCopied);
        let mut reported: Vec<(Code, String)> = o
            .diagnostics
            .iter()
            .filter(|d| credential(d.code))
            .map(|d| (d.code, d.pointer.clone()))
            .collect();
        expected.sort();
        reported.sort();
        prop_assert_eq!(reported, expected);
        for d in &o.diagnostics {
            for (name, value) in &case.parent_env {
                if value.len() >= 8 && !name.contains(value.as_str()) && credential(d.code) {
                    prop_assert!(!d.message.contains(value.as_str()), "{} quotes the value of {name}", d.message);
                }
            }
        }
    }

    /// ENV-7 (frame rule): every valid parent variable the manifest does not name, and that
    /// is not a parent addon variable (unless `copy_parent_database_urls`), keeps the
    /// parent's value, with origin `parent`.
    #[test]
    fn env_7_frame_rule_unnamed_parent_vars_keep_their_value(case in review_env_case(), seed in any::<u64>()) {
        let o = resolve(&case.inputs(), &env_context(AppKind::ReviewApp, Some(seed)));
        for (name, value) in &case.parent_env {
            if !usable(name, value) || named(&case, name) {
                continue;
            }
            if case.parent_addon_vars.contains(name) && !case.copy {
                continue;
            }
            let v = o.vars.get(name);
            prop_assert!(v.is_some(), "{name} lost");
            if let Some(v) = v {
                prop_assert_eq!(&v.value, value);
                prop_assert_eq!(v.origin, Origin::Parent);
            }
        }
    }

    /// ENV-8: a parent addon variable the manifest does not name is removed
    /// (`parent-addon-var`) unless `copy_parent_database_urls`, then copied (rule ENV-8).
    #[test]
    fn env_8_parent_addon_vars_follow_copy_parent_database_urls(case in review_env_case(), seed in any::<u64>()) {
        let o = resolve(&case.inputs(), &env_context(AppKind::ReviewApp, Some(seed)));
        for name in &case.parent_addon_vars {
            let Some(value) = case.parent_env.get(name) else { continue };
            if !usable(name, value) || named(&case, name) {
                continue;
            }
            if case.copy {
                let v = o.vars.get(name).map(|v| (v.value.as_str(), v.rule.as_str()));
                prop_assert_eq!(v, Some((value.as_str(), "ENV-8")));
            } else {
                prop_assert!(!o.vars.contains_key(name));
                let r = o.removed.iter().find(|r| &r.name == name).map(|r| (r.reason.as_str(), r.rule.as_str()));
                prop_assert_eq!(r, Some(("parent-addon-var", "ENV-8")));
            }
        }
    }

    /// ENV-9: a manifest delete removes the variable, a value sets it (origin `manifest`),
    /// a generator sets its generated value; ENV-10: an entry without value keeps what the
    /// parent gave.
    #[test]
    fn env_9_manifest_entries_win_over_the_parent(case in review_env_case(), seed in any::<u64>()) {
        let ctx = env_context(AppKind::ReviewApp, Some(seed));
        let o = resolve(&case.inputs(), &ctx);
        for e in case.manifest_env.iter().flatten() {
            let got = o.vars.get(e.name.as_str());
            match &e.value {
                EnvValue::Delete => prop_assert!(got.is_none(), "{} not deleted", e.name),
                EnvValue::Value { value } => {
                    prop_assert_eq!(got.map(|v| (v.value.as_str(), v.origin)), Some((value.as_str(), Origin::Manifest)));
                }
                EnvValue::Generator { generator } => {
                    let (value, origin) = model_generate(generator, &e.name, seed, &ctx.template);
                    prop_assert_eq!(got.map(|v| (v.value.clone(), v.origin)), Some((value, origin)));
                }
                EnvValue::Unset => {
                    let parent = case.parent_env.get(e.name.as_str()).filter(|v| usable(&e.name, v));
                    let inherited = parent.filter(|_| case.copy || !case.parent_addon_vars.contains(e.name.as_str()));
                    prop_assert_eq!(got.map(|v| v.value.as_str()), inherited.map(String::as_str));
                }
            }
        }
    }

    /// ENV-7 .. ENV-12: the review app's variables and removals agree with the reference
    /// model, value, origin, rule and reason alike; `required` is not enforced; a manifest
    /// `PROJECT_DIR` gets one warning (ENV-11); diagnostics are in canonical order (DIAG-4).
    #[test]
    fn env_7_to_12_review_app_agrees_with_the_model(case in review_env_case(), seed in any::<u64>()) {
        let ctx = env_context(AppKind::ReviewApp, Some(seed));
        let o = resolve(&case.inputs(), &ctx);
        let (vars, removed) = model_review(&case, seed, &ctx.template);
        prop_assert_eq!(vars_of(&o), vars);
        prop_assert_eq!(removed_of(&o), removed);
        prop_assert_eq!(count(&o.diagnostics, "SM0950"), 0, "required is not enforced for review apps");
        prop_assert_eq!(count(&o.diagnostics, "SM0952"), usize::from(named(&case, "PROJECT_DIR")));
        prop_assert!(in_canonical_order(&o.diagnostics), "DIAG-4: {:?}", o.diagnostics);
    }

    /// GEN-1, GEN-7: generated values have the documented shapes: a secret is 32 lowercase
    /// hex characters, a url without template is the app URL, a url template starting with
    /// `%URL%` starts with the app URL.
    #[test]
    fn gen_1_gen_7_generated_values_have_the_documented_shapes(case in review_env_case(), seed in any::<u64>(), kind in kind()) {
        let ctx = env_context(kind, Some(seed));
        let case = EnvCase { user_env: BTreeMap::new(), ..case };
        let o = resolve(&case.inputs(), &ctx);
        for e in case.manifest_env.iter().flatten() {
            let EnvValue::Generator { generator } = &e.value else { continue };
            let value = o.vars.get(e.name.as_str()).map(|v| v.value.as_str()).unwrap_or("<unset>");
            match generator {
                Generator::Secret => prop_assert!(is_lower_hex_32(value), "{value:?}"),
                Generator::Url { template: None } => prop_assert_eq!(value, ctx.template.url.as_str()),
                Generator::Url { template: Some(t) } if t.starts_with("%URL%") => {
                    prop_assert!(value.starts_with(&ctx.template.url), "{value:?}");
                }
                _ => {}
            }
        }
    }

    // ---------------------------------------------------------------- one-click deploys

    /// ENV-2: for a one-click deploy, a non-empty (valid) user value for a declared
    /// variable beats whatever the manifest says.
    #[test]
    fn env_2_a_non_empty_user_value_beats_the_manifest_default(case in one_click_env_case(), seed in any::<u64>()) {
        let o = resolve(&case.inputs(), &env_context(AppKind::OneClick, Some(seed)));
        for e in case.manifest_env.iter().flatten() {
            if let Some(u) = case.user_env.get(e.name.as_str()).filter(|u| !u.is_empty() && usable(&e.name, u)) {
                let got = o.vars.get(e.name.as_str()).map(|v| (v.value.as_str(), v.origin, v.rule.as_str()));
                prop_assert_eq!(got, Some((u.as_str(), Origin::User, "ENV-2")));
            }
        }
    }

    /// ENV-4: a required variable that ends without a value (no usable user value, no
    /// manifest value, no generator) gives SM0950, exactly once, and only those do.
    #[test]
    fn env_4_required_without_value_gives_sm0950_exactly_for_those(case in one_click_env_case(), seed in any::<u64>()) {
        let ctx = env_context(AppKind::OneClick, Some(seed));
        let o = resolve(&case.inputs(), &ctx);
        let (_, missing) = model_one_click(&case, seed, &ctx.template);
        let mut reported = required_missing(&o);
        reported.sort();
        prop_assert_eq!(reported, missing.into_iter().collect::<Vec<_>>());
    }

    /// ENV-2 .. ENV-6, ENV-11, ENV-12: the one-click variables agree with the reference
    /// model; nothing is ever `removed` for a one-click deploy; undeclared user values get a
    /// note when there is an `env`; a manifest `PROJECT_DIR` gets one warning; diagnostics
    /// are in canonical order (DIAG-4).
    #[test]
    fn env_2_to_6_one_click_agrees_with_the_model(case in one_click_env_case(), seed in any::<u64>()) {
        let ctx = env_context(AppKind::OneClick, Some(seed));
        let o = resolve(&case.inputs(), &ctx);
        let (vars, _) = model_one_click(&case, seed, &ctx.template);
        prop_assert_eq!(vars_of(&o), vars);
        prop_assert!(o.removed.is_empty());
        let undeclared = case.user_env.iter().filter(|(n, v)| !v.is_empty() && usable(n, v) && !named(&case, n)).count();
        let expected_notes = if case.manifest_env.is_some() { undeclared } else { 0 };
        prop_assert_eq!(count(&o.diagnostics, "SM0951"), expected_notes);
        prop_assert_eq!(count(&o.diagnostics, "SM0952"), usize::from(named(&case, "PROJECT_DIR")));
        prop_assert!(in_canonical_order(&o.diagnostics), "DIAG-4: {:?}", o.diagnostics);
    }

    /// ENV-6: an empty user value is "not given": dropping every empty user value changes
    /// nothing at all, diagnostics included.
    #[test]
    fn env_6_empty_user_values_are_not_given(case in one_click_env_case(), seed in any::<u64>()) {
        let ctx = env_context(AppKind::OneClick, Some(seed));
        let o = resolve(&case.inputs(), &ctx);
        let mut trimmed = case.clone();
        trimmed.user_env.retain(|_, v| !v.is_empty());
        prop_assert_eq!(resolve(&trimmed.inputs(), &ctx), o);
    }

    /// ENV-14: inputs of the other app kind are ignored with one warning: a parent
    /// environment for a one-click deploy, user values for a review app.
    #[test]
    fn env_14_inputs_of_the_other_kind_are_ignored(
        one_click in one_click_env_case(),
        review in review_env_case(),
        seed in any::<u64>(),
    ) {
        let ctx = env_context(AppKind::OneClick, Some(seed));
        let mut with_parent = one_click.clone();
        with_parent.parent_env = review.parent_env.clone();
        let a = resolve(&one_click.inputs(), &ctx);
        let b = resolve(&with_parent.inputs(), &ctx);
        prop_assert_eq!(&a.vars, &b.vars);
        prop_assert_eq!(count(&b.diagnostics, "SM0955"), usize::from(!review.parent_env.is_empty()));

        let ctx = env_context(AppKind::ReviewApp, Some(seed));
        let mut with_user = review.clone();
        with_user.user_env = one_click.user_env.clone();
        let a = resolve(&review.inputs(), &ctx);
        let b = resolve(&with_user.inputs(), &ctx);
        prop_assert_eq!(&a.vars, &b.vars);
        prop_assert_eq!(&a.removed, &b.removed);
        prop_assert_eq!(count(&b.diagnostics, "SM0955"), usize::from(!one_click.user_env.is_empty()));
    }

    /// ENV-12: an invalid user or parent variable is reported (SM0953 name, SM0954 value)
    /// at its scenario pointer and skipped.
    #[test]
    fn env_12_invalid_inputs_are_reported_and_skipped(
        name in near_valid_env_name(),
        too_long in any::<bool>(),
        kind in kind(),
        seed in any::<u64>(),
    ) {
        let value = if too_long { "v".repeat(MAX_VALUE_CHARS + 1) } else { "x".to_string() };
        let input = BTreeMap::from([(name.clone(), value.clone())]);
        let case = EnvCase {
            manifest_env: None,
            parent_env: if kind == AppKind::ReviewApp { input.clone() } else { BTreeMap::new() },
            parent_addon_vars: BTreeSet::new(),
            copy: false,
            user_env: if kind == AppKind::OneClick { input } else { BTreeMap::new() },
        };
        let o = resolve(&case.inputs(), &env_context(kind, Some(seed)));
        let base = if kind == AppKind::ReviewApp { "/parent/env" } else { "/user_env" };
        let pointer = scalingo_manifest::diag::pointer_push(base, &name);
        let expected = if !is_valid_env_name(&name) {
            Some("SM0953")
        } else if too_long {
            Some("SM0954")
        } else {
            None
        };
        let errors: Vec<(&str, &str)> = o.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.code.as_str(), d.pointer.as_str())).collect();
        match expected {
            Some(code) => {
                prop_assert_eq!(errors, vec![(code, pointer.as_str())]);
                prop_assert!(o.vars.is_empty());
            }
            None => {
                prop_assert!(errors.is_empty());
                prop_assert_eq!(o.vars.get(&name).map(|v| v.value.as_str()), Some("x"));
            }
        }
    }

    /// ENV-3 ("when the manifest declares a name twice, the last entry wins"): a one-click
    /// manifest with repeated names resolves like the same manifest keeping only the last
    /// entry of each name, variables and SM0950 alike.
    #[test]
    fn env_3_one_click_repeated_names_last_entry_wins(
        entries in vec(env_var(), 0..8),
        user_env in proptest::collection::btree_map(valid_env_name(), prop_oneof![Just(String::new()), "[a-z]{1,4}"], 0..4),
        seed in any::<u64>(),
    ) {
        let ctx = env_context(AppKind::OneClick, Some(seed));
        let raw = EnvCase { manifest_env: Some(entries.clone()), parent_env: BTreeMap::new(), parent_addon_vars: BTreeSet::new(), copy: false, user_env };
        let last = EnvCase { manifest_env: Some(dedup_keep_last(entries, |e| e.name.as_str())), ..raw.clone() };
        let a = resolve(&raw.inputs(), &ctx);
        let b = resolve(&last.inputs(), &ctx);
        prop_assert_eq!(&a.vars, &b.vars);
        prop_assert_eq!(required_missing(&a), required_missing(&b));
    }

    /// ENV-9 ("in document order (a later entry for the same name wins)"): a review-app
    /// manifest with repeated names resolves like the same manifest keeping only the last
    /// entry of each name.
    #[test]
    fn env_9_review_app_repeated_names_last_entry_wins(
        entries in vec(env_var(), 0..8),
        case in review_env_case(),
        seed in any::<u64>(),
    ) {
        let ctx = env_context(AppKind::ReviewApp, Some(seed));
        let raw = EnvCase { manifest_env: Some(entries.clone()), ..case };
        let last = EnvCase { manifest_env: Some(dedup_keep_last(entries, |e| e.name.as_str())), ..raw.clone() };
        let a = resolve(&raw.inputs(), &ctx);
        let b = resolve(&last.inputs(), &ctx);
        prop_assert_eq!(&a.vars, &b.vars);
        prop_assert_eq!(&a.removed, &b.removed);
    }

    /// ENV-13: a generator that fails (the value would exceed 32768 characters) sets
    /// nothing, reports SM0902, never keeps the parent's value (`generation-failed`), and
    /// is not also reported as a missing required variable.
    #[test]
    fn env_13_a_failing_generator_sets_nothing(
        name in valid_env_name(),
        parent_value in option::of("[a-z]{1,5}"),
        required in any::<bool>(),
        url_generator in any::<bool>(),
        kind in kind(),
        seed in any::<u64>(),
    ) {
        let mut ctx = env_context(kind, Some(seed));
        ctx.template.app = "a".repeat(1000);
        let template = "%APP%".repeat(33);
        let generator = if url_generator { Generator::Url { template: Some(template.into()) } } else { Generator::Template { template: template.into() } };
        let case = EnvCase {
            manifest_env: Some(vec![entry(&name, EnvValue::Generator { generator }, required)]),
            parent_env: match (kind, &parent_value) {
                (AppKind::ReviewApp, Some(v)) => BTreeMap::from([(name.clone(), v.clone())]),
                _ => BTreeMap::new(),
            },
            parent_addon_vars: BTreeSet::new(),
            copy: false,
            user_env: BTreeMap::new(),
        };
        let o = resolve(&case.inputs(), &ctx);
        prop_assert!(!o.vars.contains_key(&name));
        prop_assert_eq!(count(&o.diagnostics, "SM0902"), 1);
        prop_assert_eq!(count(&o.diagnostics, "SM0950"), 0);
        if kind == AppKind::ReviewApp && parent_value.is_some() {
            let r: Vec<(&str, &str)> = o.removed.iter().map(|r| (r.reason.as_str(), r.rule.as_str())).collect();
            prop_assert_eq!(r, vec![("generation-failed", "ENV-13")]);
        }
    }

    // ---------------------------------------------------------------- secrets

    /// GEN-1, GEN-2: a seeded secret is a pure function of (seed, name): the same inputs
    /// give the same 32 lowercase hex characters.
    #[test]
    fn gen_1_secret_is_pure_and_32_lowercase_hex(seed in any::<u64>(), name in prop_oneof![valid_env_name(), any::<String>()]) {
        let s = generate::secret(seed, &name);
        prop_assert!(is_lower_hex_32(&s), "{s:?}");
        prop_assert_eq!(generate::secret(seed, &name), s);
    }

    /// GEN-1: distinct names (and distinct seeds) give distinct secrets over the sample.
    #[test]
    fn gen_1_distinct_inputs_give_distinct_secrets(
        seed in any::<u64>(),
        other_seed in any::<u64>(),
        names in btree_set(prop_oneof![valid_env_name(), "[A-Za-z0-9_]{1,3}"], 1..24),
    ) {
        let secrets: BTreeSet<String> = names.iter().map(|n| generate::secret(seed, n)).collect();
        prop_assert_eq!(secrets.len(), names.len());
        if other_seed != seed {
            for n in &names {
                prop_assert_ne!(generate::secret(seed, n), generate::secret(other_seed, n));
            }
        }
    }

    /// GEN-1: adding, removing or reordering other variables never changes a secret in
    /// `env::resolve`'s output, for either app kind.
    #[test]
    fn gen_1_other_variables_never_change_a_secret(
        kind in kind(),
        seed in any::<u64>(),
        secret_name in valid_env_name(),
        others in manifest_env(),
        extra in env_var(),
        drop in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        shuffle_seed in any::<u64>(),
        case in prop_oneof![review_env_case(), one_click_env_case()],
    ) {
        let ctx = env_context(kind, Some(seed));
        let mut case = case;
        case.user_env.remove(&secret_name);
        let mut base: Vec<EnvVar> = others.into_iter().filter(|e| e.name != secret_name).collect();
        base.insert(at.index(base.len() + 1), entry(&secret_name, EnvValue::Generator { generator: Generator::Secret }, false));
        let expected = generate::secret(seed, &secret_name);
        let secret_of = |entries: Vec<EnvVar>| {
            let c = EnvCase { manifest_env: Some(entries), ..case.clone() };
            resolve(&c.inputs(), &ctx).vars.get(&secret_name).map(|v| v.value.clone())
        };
        prop_assert_eq!(secret_of(base.clone()), Some(expected.clone()));
        // Remove another entry.
        let mut fewer = base.clone();
        let i = drop.index(fewer.len());
        if fewer[i].name != secret_name {
            fewer.remove(i);
            prop_assert_eq!(secret_of(fewer), Some(expected.clone()));
        }
        // Add another entry.
        if extra.name != secret_name && !base.iter().any(|e| e.name == extra.name) {
            let mut more = base.clone();
            more.push(extra);
            prop_assert_eq!(secret_of(more), Some(expected.clone()));
        }
        // Reorder.
        let mut reordered = base;
        let n = reordered.len();
        reordered.rotate_left((shuffle_seed as usize) % n);
        prop_assert_eq!(secret_of(reordered), Some(expected));
    }

    // ---------------------------------------------------------------- templates

    /// GEN-4, GEN-5, GEN-6: expansion agrees with an independent single-pass scanner;
    /// unknown tokens stay verbatim with one SM0900 per distinct name, known tokens without
    /// a value expand to "" with one SM0901 per distinct name.
    #[test]
    fn gen_4_to_6_template_expansion_matches_the_reference_scanner(
        t in prop_oneof![template(), "[%A-Z_a-z0-9 ]{0,16}", any::<String>()],
        ctx in template_context(),
    ) {
        let e = generate::expand(&t, &ctx, "/env/X/template");
        prop_assert_eq!(&e.value, &model_expand(&t, &ctx));
        let names: BTreeSet<String> = model_tokens(&t).into_iter().collect();
        let unknown = names.iter().filter(|n| !["URL", "APP", "PARENT_APP", "PR_NUMBER"].contains(&n.as_str())).count();
        let valueless = names.iter().filter(|n| (n.as_str() == "PARENT_APP" && ctx.parent_app.is_none()) || (n.as_str() == "PR_NUMBER" && ctx.pr_number.is_none())).count();
        prop_assert_eq!(count(&e.diagnostics, "SM0900"), unknown);
        prop_assert_eq!(count(&e.diagnostics, "SM0901"), valueless);
    }
}
