//! `addons`: which addons the platform provisions for a new app (rules `ADD-*`,
//! `spec/addons.md`).
//!
//! Resolution starts from a manifest the validator already accepted (its `addons` list
//! as [`AddonSpec`]s, or `None` when the key is absent), the parent app's addons (review
//! apps) and the app kind. It decides the ordered provisioning list; addons are provisioned
//! before the app's first deployment, in that order (rule `ADD-1`).
//!
//! Diagnostics about a manifest entry carry the pointer `/addons` and the entry's byte
//! `span` (the validator may have dropped invalid entries, so the position in the list is
//! not a reliable array index); resolution never sees the manifest text, so `line` and
//! `column` are left for the caller to fill from the span. Diagnostics about the parent's
//! addons carry the pointer `/addons` and no span. Diagnostics come out in canonical order
//! (rule `DIAG-4`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{self, Code, Diagnostic};
use crate::manifest::{AddonShape, AddonSpec};
use crate::platform::{self, Date};
use crate::AppKind;

/// One addon of the parent app (review apps; input of rule `ADD-2`).
///
/// JSON: `{"addon": "postgresql", "plan": "postgresql-starter-512", "version": "14"}`;
/// `version` may be omitted or `null` (the provider's default version). Unknown fields are
/// rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentAddon {
    /// Addon provider ID, for example `postgresql`.
    pub addon: String,
    /// Plan ID, for example `postgresql-starter-512`.
    pub plan: String,
    /// Version of the addon's engine, for example `14`; `None` when unknown or default.
    #[serde(default)]
    pub version: Option<String>,
}

/// Where a provisioned addon comes from.
///
/// JSON: `"parent"` or `"manifest"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddonOrigin {
    /// Copied from the parent app (rule `ADD-2`).
    Parent,
    /// Listed in the manifest's `addons` (rule `ADD-3`).
    Manifest,
}

/// One addon the platform provisions (rules `ADD-1`..`ADD-8`).
///
/// JSON: `{"addon": "redis", "plan": "redis-starter-128", "version": null,
/// "origin": "manifest", "rule": "ADD-3"}`. `plan: null` means the provider's default plan,
/// `version: null` the provider's default version; both keys are always present.
/// `replaced_by` is present only when `plan` is retired on the date (rule `ADD-10`): `plan`
/// is then the plan requested, and `replaced_by` says in words what the platform provisions
/// instead (`"the smallest Starter plan of redis"`; the documentation names no plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedAddon {
    /// Addon provider ID.
    pub addon: String,
    /// Plan ID; `None` = the provider's default plan (rule `ADD-7`).
    pub plan: Option<String>,
    /// Engine version; `None` = the provider's default version.
    pub version: Option<String>,
    /// Which input listed this addon.
    pub origin: AddonOrigin,
    /// The rule that decided this entry: `ADD-2` (copied from the parent), `ADD-3` (from the
    /// manifest, plan and version as written), `ADD-5` (from the manifest, plan and/or
    /// version taken from the parent).
    pub rule: String,
    /// What the platform provisions instead of a plan retired on the date (rule `ADD-10`,
    /// decision D-22); `None` when `plan` is provisioned as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

/// The result of addon resolution.
///
/// JSON: `{"addons": [ProvisionedAddon...], "diagnostics": [Diagnostic...]}`; `addons` is in
/// provisioning order (rule `ADD-1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AddonsOutcome {
    /// The addons to provision, in order.
    pub addons: Vec<ProvisionedAddon>,
    /// Findings (notes, warnings, errors), in canonical order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Decides which addons the platform provisions (rules `ADD-1`..`ADD-8`).
///
/// * `kind`: review app or one-click deploy.
/// * `manifest`: the manifest's `addons` list, `None` when the key is absent (or there is no
///   manifest at all, decision D-1). `Some(&[])` is an explicit empty list.
/// * `parent`: the parent app's addons, in the parent's order. Ignored for one-click
///   deploys (there is no parent app).
///
/// Review app without `addons` key: the parent's addons, same plan and version, parent
/// order (`ADD-2`). Any `addons` key, even `[]`: exactly the manifest's list in manifest
/// order (`ADD-3`, decision D-7), with a note per parent addon left out (`ADD-4`); a
/// manifest addon without plan or version takes the parent's (`ADD-5`, `ADD-6`), else the
/// provider's default (`ADD-7`). One-click: the manifest's list, nothing without the key.
/// A provider listed twice is provisioned once, from its first entry (`ADD-8`). A legacy
/// object is not provisioned (`ADD-9`). A plan retired on `date` is shown with what the
/// platform provisions instead (`ADD-10`). Total and never panics; linear in the input sizes
/// up to a log factor.
pub fn resolve(
    kind: AppKind,
    manifest: Option<&[AddonSpec]>,
    parent: &[ParentAddon],
    date: Date,
) -> AddonsOutcome {
    let mut diagnostics = Vec::new();
    let parent: &[ParentAddon] = match kind {
        AppKind::ReviewApp => parent,
        AppKind::OneClick => &[],
    };
    let addons = match manifest {
        None => match kind {
            // ADD-2: copy the parent's addons (plan and version, not content).
            AppKind::ReviewApp => parent
                .iter()
                .map(|p| ProvisionedAddon {
                    addon: p.addon.clone(),
                    plan: Some(p.plan.clone()),
                    version: p.version.clone(),
                    origin: AddonOrigin::Parent,
                    rule: "ADD-2".to_string(),
                    replaced_by: None,
                })
                .collect(),
            // ADD-3: a one-click deploy without `addons` provisions nothing.
            AppKind::OneClick => Vec::new(),
        },
        Some(list) => from_manifest(kind, list, parent, &mut diagnostics),
    };
    let mut addons = addons;
    retired_plans(&mut addons, manifest, date, &mut diagnostics);
    diag::sort(&mut diagnostics);
    AddonsOutcome {
        addons,
        diagnostics,
    }
}

/// Rules `ADD-3`..`ADD-8` for an explicit `addons` list.
fn from_manifest(
    kind: AppKind,
    list: &[AddonSpec],
    parent: &[ParentAddon],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ProvisionedAddon> {
    // First parent entry per provider (a parent never has two, but stay total).
    let mut parent_by_addon: BTreeMap<&str, &ParentAddon> = BTreeMap::new();
    for p in parent {
        parent_by_addon.entry(p.addon.as_str()).or_insert(p);
    }
    // First manifest entry per provider (ADD-8).
    let mut first_by_addon: BTreeMap<&str, &AddonSpec> = BTreeMap::new();
    let mut out = Vec::with_capacity(list.len());
    for spec in list {
        if spec.shape == AddonShape::Legacy {
            // ADD-9: the platform ignores the legacy shape (decision D-6, revised).
            diagnostics.push(located(
                Diagnostic::new(
                    Code::LegacyNotProvisioned,
                    format!(
                        "addon `{}` is written as a legacy `{{addon_provider_id, plan_id}}` object: the platform ignores that shape, it is not provisioned",
                        spec.addon
                    ),
                )
                .with_hint(format!(
                    "write `{{\"plan\": \"{}\"}}` to provision it",
                    reference(spec)
                )),
                spec,
            ));
            continue;
        }
        if let Some(first) = first_by_addon.get(spec.addon.as_str()) {
            diagnostics.push(duplicate(spec, first));
            continue;
        }
        first_by_addon.insert(spec.addon.as_str(), spec);
        let from_parent = parent_by_addon.get(spec.addon.as_str()).copied();
        let mut inherited = false;
        let plan = match (&spec.plan, from_parent) {
            (Some(plan), _) => Some(plan.to_string()),
            (None, Some(p)) => {
                inherited = true;
                diagnostics.push(located(
                    Diagnostic::new(
                        Code::PlanFromParent,
                        format!(
                            "addon `{}` has no plan: the parent app's plan `{}` is used",
                            spec.addon, p.plan
                        ),
                    ),
                    spec,
                ));
                Some(p.plan.clone())
            }
            (None, None) => {
                let message = match kind {
                    AppKind::ReviewApp => format!(
                        "addon `{}` has no plan and the parent app has no `{}` addon: the provider's default plan is used",
                        spec.addon, spec.addon
                    ),
                    AppKind::OneClick => format!(
                        "addon `{}` has no plan: the provider's default plan is used",
                        spec.addon
                    ),
                };
                diagnostics.push(located(
                    Diagnostic::new(Code::DefaultPlan, message).with_hint(format!(
                        "write `\"{}:<plan>\"` to choose the plan (`scalingo addons-plans {}` lists them)",
                        spec.addon, spec.addon
                    )),
                    spec,
                ));
                None
            }
        };
        let version = match (&spec.version, from_parent) {
            (Some(v), _) => Some(v.to_string()),
            (
                None,
                Some(ParentAddon {
                    version: Some(v), ..
                }),
            ) => {
                inherited = true;
                diagnostics.push(located(
                    Diagnostic::new(
                        Code::VersionFromParent,
                        format!(
                            "addon `{}` has no version: the parent app's version `{}` is used",
                            spec.addon, v
                        ),
                    ),
                    spec,
                ));
                Some(v.clone())
            }
            (None, _) => None,
        };
        out.push(ProvisionedAddon {
            addon: spec.addon.to_string(),
            plan,
            version,
            origin: AddonOrigin::Manifest,
            rule: if inherited { "ADD-5" } else { "ADD-3" }.to_string(),
            replaced_by: None,
        });
    }
    // ADD-4: make every dropped parent addon visible (review apps only; `parent` is empty
    // for one-click deploys).
    for p in parent {
        if !first_by_addon.contains_key(p.addon.as_str()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ParentAddonDropped,
                    format!(
                        "parent addon `{}` (plan `{}`) is not provisioned: not in the manifest's addons",
                        p.addon, p.plan
                    ),
                )
                .with_pointer("/addons")
                .with_hint(format!(
                    "add `\"{}\"` to `addons` to provision it in review apps",
                    p.addon
                )),
            );
        }
    }
    out
}

/// The `ADD-8` diagnostic for `spec`, a later entry of the provider `first` already listed.
fn duplicate(spec: &AddonSpec, first: &AddonSpec) -> Diagnostic {
    let same = spec.plan == first.plan && spec.version == first.version;
    let d = if same {
        Diagnostic::new(
            Code::DuplicateAddon,
            format!(
                "addon `{}` is listed twice: it is provisioned once",
                spec.addon
            ),
        )
        .with_hint("remove the duplicate entry")
    } else {
        Diagnostic::new(
            Code::ConflictingAddon,
            format!(
                "addon `{}` is listed twice with a different plan or version ({} then {}): only the first entry is provisioned",
                spec.addon,
                describe(first),
                describe(spec)
            ),
        )
        .with_hint(
            "an app has at most one addon of each provider; keep the entry with the plan and version you want",
        )
    };
    located(d, spec)
}

/// Rule `ADD-10` (decision D-22): every addon whose plan is retired on `date` is shown with
/// what the platform provisions instead. A plan the manifest wrote was reported by the check
/// (SM0314); a plan taken from the parent (`ADD-2`, `ADD-5`) gets SM1007 here.
fn retired_plans(
    addons: &mut [ProvisionedAddon],
    manifest: Option<&[AddonSpec]>,
    date: Date,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for a in addons.iter_mut() {
        let Some(plan) = a.plan.as_deref() else {
            continue;
        };
        let Some(r) = platform::plan_retirement(plan, date) else {
            continue;
        };
        let instead = r.replacement_for(&a.addon);
        let written = a.origin == AddonOrigin::Manifest
            && manifest.is_some_and(|list| {
                list.iter().any(|s| {
                    s.shape != AddonShape::Legacy
                        && s.addon == a.addon
                        && s.plan.as_deref() == Some(plan)
                })
            });
        if !written {
            diagnostics.push(
                Diagnostic::new(
                    Code::RetiredPlanFromParent,
                    format!(
                        "addon `{}` takes the parent app's plan `{plan}`, retired since {}: the platform provisions {instead}",
                        a.addon, r.since
                    ),
                )
                .with_pointer("/addons")
                .with_hint(format!(
                    "list `\"{}:<plan>\"` in `addons` to choose the plan (`scalingo addons-plans {}` lists them; source: {})",
                    a.addon, a.addon, r.source
                )),
            );
        }
        a.replaced_by = Some(instead);
    }
}

/// `provider:plan` (or `provider`) of `spec`, for hints.
fn reference(spec: &AddonSpec) -> String {
    match &spec.plan {
        Some(p) => format!("{}:{p}", spec.addon),
        None => spec.addon.to_string(),
    }
}

/// `plan `x`, version `y`` for messages.
fn describe(spec: &AddonSpec) -> String {
    let plan = match &spec.plan {
        Some(p) => format!("plan `{p}`"),
        None => "no plan".to_string(),
    };
    match &spec.version {
        Some(v) => format!("{plan}, version `{v}`"),
        None => plan,
    }
}

/// Points `d` at the manifest entry `spec` (pointer `/addons`, the entry's span).
fn located(d: Diagnostic, spec: &AddonSpec) -> Diagnostic {
    let mut d = d.with_pointer("/addons");
    d.span = Some(spec.span);
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::manifest::AddonShape;
    use crate::text::Span;

    fn spec(addon: &str, plan: Option<&str>, version: Option<&str>, at: usize) -> AddonSpec {
        AddonSpec {
            addon: addon.into(),
            plan: plan.map(Into::into),
            version: version.map(Into::into),
            shape: AddonShape::Object,
            span: Span::new(at, at + 5),
        }
    }

    fn parent(addon: &str, plan: &str, version: Option<&str>) -> ParentAddon {
        ParentAddon {
            addon: addon.to_string(),
            plan: plan.to_string(),
            version: version.map(str::to_string),
        }
    }

    fn prov(
        addon: &str,
        plan: Option<&str>,
        version: Option<&str>,
        origin: AddonOrigin,
        rule: &str,
    ) -> ProvisionedAddon {
        ProvisionedAddon {
            addon: addon.to_string(),
            plan: plan.map(str::to_string),
            version: version.map(str::to_string),
            origin,
            rule: rule.to_string(),
            replaced_by: None,
        }
    }

    fn day() -> Date {
        crate::platform::test_day()
    }

    fn parents() -> Vec<ParentAddon> {
        vec![
            parent("postgresql", "postgresql-business-1024", Some("14")),
            parent("redis", "redis-starter-256", None),
            parent("elasticsearch", "elasticsearch-starter-1024", Some("7")),
        ]
    }

    fn codes(o: &AddonsOutcome) -> Vec<(&str, &str, Severity)> {
        o.diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.rule(), d.severity))
            .collect()
    }

    // ADD-2
    #[test]
    fn review_app_without_key_copies_parent_in_order() {
        let o = resolve(AppKind::ReviewApp, None, &parents(), day());
        assert_eq!(
            o.addons,
            vec![
                prov(
                    "postgresql",
                    Some("postgresql-business-1024"),
                    Some("14"),
                    AddonOrigin::Parent,
                    "ADD-2"
                ),
                prov(
                    "redis",
                    Some("redis-starter-256"),
                    None,
                    AddonOrigin::Parent,
                    "ADD-2"
                ),
                prov(
                    "elasticsearch",
                    Some("elasticsearch-starter-1024"),
                    Some("7"),
                    AddonOrigin::Parent,
                    "ADD-2"
                ),
            ]
        );
        assert!(o.diagnostics.is_empty());
    }

    // ADD-2
    #[test]
    fn review_app_without_key_and_parent_without_addons_provisions_nothing() {
        let o = resolve(AppKind::ReviewApp, None, &[], day());
        assert!(o.addons.is_empty());
        assert!(o.diagnostics.is_empty());
    }

    // ADD-3, ADD-4 (D-7)
    #[test]
    fn review_app_empty_list_provisions_nothing_and_notes_each_drop() {
        let o = resolve(AppKind::ReviewApp, Some(&[]), &parents(), day());
        assert!(o.addons.is_empty());
        assert_eq!(
            codes(&o),
            vec![
                ("SM1000", "ADD-4", Severity::Note),
                ("SM1000", "ADD-4", Severity::Note),
                ("SM1000", "ADD-4", Severity::Note),
            ]
        );
        let msgs: Vec<&str> = o.diagnostics.iter().map(|d| &*d.message).collect();
        assert_eq!(
            msgs,
            vec![
                "parent addon `elasticsearch` (plan `elasticsearch-starter-1024`) is not provisioned: not in the manifest's addons",
                "parent addon `postgresql` (plan `postgresql-business-1024`) is not provisioned: not in the manifest's addons",
                "parent addon `redis` (plan `redis-starter-256`) is not provisioned: not in the manifest's addons",
            ]
        );
        assert!(o
            .diagnostics
            .iter()
            .all(|d| d.pointer == "/addons" && d.span.is_none()));
        assert_eq!(
            o.diagnostics[2].hint.as_deref(),
            Some("add `\"redis\"` to `addons` to provision it in review apps")
        );
    }

    // ADD-3: manifest order wins over parent order; plans as written.
    #[test]
    fn review_app_list_is_exactly_the_manifest_in_manifest_order() {
        let list = [
            spec("redis", Some("redis-starter-128"), None, 10),
            spec("postgresql", Some("postgresql-starter-512"), Some("15"), 30),
        ];
        let o = resolve(AppKind::ReviewApp, Some(&list), &parents(), day());
        assert_eq!(
            o.addons,
            vec![
                prov(
                    "redis",
                    Some("redis-starter-128"),
                    None,
                    AddonOrigin::Manifest,
                    "ADD-3"
                ),
                prov(
                    "postgresql",
                    Some("postgresql-starter-512"),
                    Some("15"),
                    AddonOrigin::Manifest,
                    "ADD-3"
                ),
            ]
        );
        assert_eq!(codes(&o), vec![("SM1000", "ADD-4", Severity::Note)]);
        assert!(o.diagnostics[0].message.contains("`elasticsearch`"));
    }

    // ADD-5, ADD-6
    #[test]
    fn review_app_addon_without_plan_or_version_takes_the_parents() {
        let list = [
            spec("postgresql", None, None, 10),
            spec("redis", None, None, 30),
        ];
        let o = resolve(AppKind::ReviewApp, Some(&list), &parents(), day());
        assert_eq!(
            o.addons,
            vec![
                prov(
                    "postgresql",
                    Some("postgresql-business-1024"),
                    Some("14"),
                    AddonOrigin::Manifest,
                    "ADD-5"
                ),
                prov(
                    "redis",
                    Some("redis-starter-256"),
                    None,
                    AddonOrigin::Manifest,
                    "ADD-5"
                ),
            ]
        );
        assert_eq!(
            codes(&o),
            vec![
                ("SM1001", "ADD-5", Severity::Note),
                ("SM1002", "ADD-6", Severity::Note),
                ("SM1001", "ADD-5", Severity::Note),
                ("SM1000", "ADD-4", Severity::Note),
            ]
        );
        assert_eq!(
            o.diagnostics[0].message,
            "addon `postgresql` has no plan: the parent app's plan `postgresql-business-1024` is used"
        );
        assert_eq!(
            o.diagnostics[1].message,
            "addon `postgresql` has no version: the parent app's version `14` is used"
        );
        assert_eq!(o.diagnostics[0].span, Some(Span::new(10, 15)));
        assert_eq!(o.diagnostics[0].pointer, "/addons");
    }

    // ADD-6: a plan change keeps the parent's engine version.
    #[test]
    fn review_app_plan_change_keeps_parent_version() {
        let list = [spec("postgresql", Some("postgresql-starter-512"), None, 0)];
        let parent = [parent("postgresql", "postgresql-business-1024", Some("14"))];
        let o = resolve(AppKind::ReviewApp, Some(&list), &parent, day());
        assert_eq!(
            o.addons,
            vec![prov(
                "postgresql",
                Some("postgresql-starter-512"),
                Some("14"),
                AddonOrigin::Manifest,
                "ADD-5"
            )]
        );
        assert_eq!(codes(&o), vec![("SM1002", "ADD-6", Severity::Note)]);
    }

    // ADD-5: the manifest's version wins, the plan still comes from the parent.
    #[test]
    fn review_app_manifest_version_with_parent_plan() {
        let list = [spec("postgresql", None, Some("16"), 0)];
        let parent = [parent("postgresql", "postgresql-business-1024", Some("14"))];
        let o = resolve(AppKind::ReviewApp, Some(&list), &parent, day());
        assert_eq!(
            o.addons,
            vec![prov(
                "postgresql",
                Some("postgresql-business-1024"),
                Some("16"),
                AddonOrigin::Manifest,
                "ADD-5"
            )]
        );
        assert_eq!(codes(&o), vec![("SM1001", "ADD-5", Severity::Note)]);
    }

    // ADD-7 in a review app.
    #[test]
    fn review_app_new_addon_without_plan_gets_provider_default() {
        let list = [spec("mongodb", None, None, 4)];
        let o = resolve(AppKind::ReviewApp, Some(&list), &[], day());
        assert_eq!(
            o.addons,
            vec![prov("mongodb", None, None, AddonOrigin::Manifest, "ADD-3")]
        );
        assert_eq!(codes(&o), vec![("SM1003", "ADD-7", Severity::Note)]);
        assert_eq!(
            o.diagnostics[0].message,
            "addon `mongodb` has no plan and the parent app has no `mongodb` addon: the provider's default plan is used"
        );
        assert_eq!(
            o.diagnostics[0].hint.as_deref(),
            Some("write `\"mongodb:<plan>\"` to choose the plan (`scalingo addons-plans mongodb` lists them)")
        );
    }

    // ADD-3: one-click without key provisions nothing, even if a parent is passed.
    #[test]
    fn one_click_without_key_provisions_nothing() {
        let o = resolve(AppKind::OneClick, None, &parents(), day());
        assert!(o.addons.is_empty());
        assert!(o.diagnostics.is_empty());
    }

    // ADD-3, ADD-7: one-click ignores any parent and never notes drops.
    #[test]
    fn one_click_uses_manifest_list_and_provider_defaults() {
        let list = [
            spec("redis", None, None, 0),
            spec("postgresql", Some("postgresql-starter-512"), Some("11"), 20),
        ];
        let o = resolve(AppKind::OneClick, Some(&list), &parents(), day());
        assert_eq!(
            o.addons,
            vec![
                prov("redis", None, None, AddonOrigin::Manifest, "ADD-3"),
                prov(
                    "postgresql",
                    Some("postgresql-starter-512"),
                    Some("11"),
                    AddonOrigin::Manifest,
                    "ADD-3"
                ),
            ]
        );
        assert_eq!(codes(&o), vec![("SM1003", "ADD-7", Severity::Note)]);
        assert_eq!(
            o.diagnostics[0].message,
            "addon `redis` has no plan: the provider's default plan is used"
        );
    }

    // ADD-8: identical duplicate.
    #[test]
    fn duplicate_provider_same_plan_is_a_warning_and_provisioned_once() {
        let list = [
            spec("redis", Some("redis-starter-128"), None, 0),
            spec("redis", Some("redis-starter-128"), None, 20),
        ];
        let o = resolve(AppKind::OneClick, Some(&list), &[], day());
        assert_eq!(
            o.addons,
            vec![prov(
                "redis",
                Some("redis-starter-128"),
                None,
                AddonOrigin::Manifest,
                "ADD-3"
            )]
        );
        assert_eq!(codes(&o), vec![("SM1004", "ADD-8", Severity::Warning)]);
        assert_eq!(o.diagnostics[0].span, Some(Span::new(20, 25)));
        assert_eq!(
            o.diagnostics[0].message,
            "addon `redis` is listed twice: it is provisioned once"
        );
    }

    // ADD-8: conflicting duplicate, first wins; in a review app the inheritance of the
    // kept entry still applies.
    #[test]
    fn duplicate_provider_different_plan_is_an_error_first_kept() {
        let list = [
            spec("redis", None, None, 0),
            spec("redis", Some("redis-starter-512"), Some("7"), 20),
            spec("redis", None, None, 40),
        ];
        let o = resolve(AppKind::ReviewApp, Some(&list), &parents()[1..2], day());
        assert_eq!(
            o.addons,
            vec![prov(
                "redis",
                Some("redis-starter-256"),
                None,
                AddonOrigin::Manifest,
                "ADD-5"
            )]
        );
        assert_eq!(
            codes(&o),
            vec![
                ("SM1001", "ADD-5", Severity::Note),
                ("SM1005", "ADD-8", Severity::Error),
                ("SM1004", "ADD-8", Severity::Warning),
            ]
        );
        assert_eq!(
            o.diagnostics[1].message,
            "addon `redis` is listed twice with a different plan or version (no plan then plan `redis-starter-512`, version `7`): only the first entry is provisioned"
        );
    }

    #[test]
    fn json_shapes() {
        let o = resolve(
            AppKind::ReviewApp,
            Some(&[spec("redis", None, None, 0)]),
            &[],
            day(),
        );
        let v = serde_json::to_value(&o).unwrap();
        assert_eq!(
            v["addons"],
            serde_json::json!([{"addon": "redis", "plan": null, "version": null, "origin": "manifest", "rule": "ADD-3"}])
        );
        assert_eq!(v["diagnostics"][0]["code"], "SM1003");
        let p: ParentAddon =
            serde_json::from_str(r#"{"addon":"redis","plan":"redis-starter-128"}"#).unwrap();
        assert_eq!(p, parent("redis", "redis-starter-128", None));
        assert!(serde_json::from_str::<ParentAddon>(
            r#"{"addon":"redis","plan":"x","as":"CACHE"}"#
        )
        .is_err());
        assert_eq!(
            serde_json::to_string(&AddonOrigin::Parent).unwrap(),
            "\"parent\""
        );
    }

    // ADD-9
    #[test]
    fn add_9_legacy_objects_are_not_provisioned() {
        let mut legacy = spec("redis", Some("redis-starter-128"), None, 3);
        legacy.shape = AddonShape::Legacy;
        let o = resolve(AppKind::ReviewApp, Some(&[legacy]), &parents(), day());
        assert!(o.addons.is_empty());
        assert_eq!(
            codes(&o),
            vec![
                ("SM1006", "ADD-9", Severity::Warning),
                ("SM1000", "ADD-4", Severity::Note),
                ("SM1000", "ADD-4", Severity::Note),
                ("SM1000", "ADD-4", Severity::Note),
            ]
        );
        assert_eq!(
            o.diagnostics[0].hint.as_deref(),
            Some("write `{\"plan\": \"redis:redis-starter-128\"}` to provision it")
        );
    }

    // ADD-10
    #[test]
    fn add_10_retired_plans_are_replaced_from_their_day() {
        let before = Date::from_ymd(2026, 3, 1).unwrap();
        let after = Date::from_ymd(2026, 3, 2).unwrap();
        let written = [spec("redis", Some("redis-sandbox"), None, 0)];
        let o = resolve(AppKind::OneClick, Some(&written), &[], before);
        assert_eq!(o.addons[0].replaced_by, None);
        assert!(o.diagnostics.is_empty());
        let o = resolve(AppKind::OneClick, Some(&written), &[], after);
        assert_eq!(
            o.addons[0].replaced_by.as_deref(),
            Some("the smallest Starter plan of redis")
        );
        assert_eq!(o.addons[0].plan.as_deref(), Some("redis-sandbox"));
        // A plan the manifest wrote is reported by the check (SM0314), not here.
        assert!(o.diagnostics.is_empty());
        let v = serde_json::to_value(&o).unwrap();
        assert_eq!(
            v["addons"][0]["replaced_by"],
            "the smallest Starter plan of redis"
        );
        // A plan copied from the parent is reported here.
        let parent = [parent("postgresql", "postgresql-sandbox", None)];
        let o = resolve(AppKind::ReviewApp, None, &parent, after);
        assert_eq!(codes(&o), vec![("SM1007", "ADD-10", Severity::Warning)]);
        assert_eq!(
            o.diagnostics[0].message,
            "addon `postgresql` takes the parent app's plan `postgresql-sandbox`, retired since 2026-03-02: the platform provisions the smallest Starter plan of postgresql"
        );
        let o = resolve(
            AppKind::ReviewApp,
            Some(&[spec("postgresql", None, None, 0)]),
            &parent,
            after,
        );
        assert_eq!(
            codes(&o),
            vec![
                ("SM1001", "ADD-5", Severity::Note),
                ("SM1007", "ADD-10", Severity::Warning)
            ]
        );
        let o = resolve(AppKind::ReviewApp, None, &parent, before);
        assert!(o.diagnostics.is_empty());
        assert_eq!(o.addons[0].replaced_by, None);
    }
}
