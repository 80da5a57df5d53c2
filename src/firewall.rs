//! `firewall`: the Application Firewall rules of a new app, read from the manifest's
//! top-level key `firewall_rules` and resolved against the parent app's rules (rules
//! `FW-*`, `spec/firewall.md`).
//!
//! The Application Firewall filters incoming traffic by IPv4 range: each rule is a range
//! in CIDR notation (`203.0.113.0/24`, `/32` for one address) with an optional label, and
//! an app without rules has its firewall disabled. A review app copies its parent's rules
//! at creation; the manifest's `firewall_rules` replaces them (`[]` disables the firewall),
//! and is read only at creation.
//!
//! Two steps, as for addons:
//!
//! * `check_rules` (crate-internal, in `manifest::firewall_rules`: the document layer, called
//!   by manifest validation) reads the key's JSON
//!   value into [`FirewallRuleSpec`]s (rules `FW-1` to `FW-7`). It is dated: the IP
//!   versions and the rule limit come from the platform catalogue
//!   ([`platform::firewall_ip_versions`], [`platform::firewall_max_rules`], rule
//!   `PLAT-9`). Before the first date of the catalogue's firewall entries (2026-09-24) the
//!   platform did not read the key: the caller reports `firewall_rules` as an unknown
//!   top-level key then and does not call `check_rules` (if it does, the catalogue's
//!   earliest entries apply).
//! * [`resolve`] decides the rules the new app is created with (rules `FW-8` to `FW-10`).
//!   It is not dated and never sees the manifest text: diagnostics about a manifest rule
//!   carry the pointer `/firewall_rules` and the rule's byte `span` (line and column are
//!   left to the caller), those about the parent carry `/firewall_rules` and no span.
//!
//! Diagnostics come out of both functions in canonical order (rule `DIAG-4`).

use std::collections::BTreeSet;
use std::str::FromStr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::diag::{self, Code, Diagnostic};
use crate::manifest::firewall_rules::quoted;
use crate::platform::{self, Date};
use crate::AppKind;

/// The manifest-side half, re-exported: the rule keys and [`FirewallRuleSpec`] are defined
/// with the document, in `manifest::firewall_rules` (which also emits the codes `SM1400`..`SM1412`).
pub use crate::manifest::firewall_rules::{FirewallRuleSpec, RULE_KEYS};

/// One firewall rule of the parent app (review apps; input of rule `FW-8`).
///
/// JSON: `{"cidr": "203.0.113.0/24", "label": "office"}`; `label` may be omitted or
/// `null`. Unknown fields are rejected. The parent's rules were accepted by the platform,
/// so they are copied as given, not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentFirewallRule {
    /// IPv4 range in CIDR notation, for example `203.0.113.0/24`.
    pub cidr: String,
    /// Optional label, for example `office`.
    #[serde(default)]
    pub label: Option<String>,
}

/// Where an applied firewall rule comes from.
///
/// JSON: `"parent"` or `"manifest"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirewallOrigin {
    /// Copied from the parent app (rule `FW-8`).
    Parent,
    /// Listed in the manifest's `firewall_rules` (rules `FW-8`, `FW-10`).
    Manifest,
}

/// One firewall rule the new app is created with.
///
/// JSON: `{"cidr": "203.0.113.42/32", "label": "office", "origin": "manifest"}`; `label`
/// is always present (`null` for no label).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedFirewallRule {
    /// IPv4 range in CIDR notation (a manifest rule's network, a parent rule as given).
    pub cidr: String,
    /// Label; `None` for no label.
    pub label: Option<String>,
    /// Which input listed the rule.
    pub origin: FirewallOrigin,
}

/// The Application Firewall of the new app (rules `FW-8` to `FW-10`).
///
/// JSON: `{"rules": [ResolvedFirewallRule...], "enabled": true, "origin": "manifest",
/// "rule": "FW-8"}`. `enabled` is `rules` being non-empty (an app without rules has its
/// firewall disabled). `origin` is `"parent"` (a review app without the key: the parent's
/// rules, possibly none), `"manifest"` (the key is present, possibly `[]`) or `"none"` (a
/// one-click deploy without the key). `rule` is the rule that decided: `FW-8` for a review
/// app, `FW-10` for a one-click deploy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FirewallSection {
    /// The rules, in order: the manifest's order, or the parent's.
    pub rules: Vec<ResolvedFirewallRule>,
    /// Whether the firewall filters traffic: `true` exactly when `rules` is non-empty.
    pub enabled: bool,
    /// `"parent"`, `"manifest"` or `"none"`.
    pub origin: String,
    /// `"FW-8"` (review app) or `"FW-10"` (one-click deploy).
    pub rule: String,
}

// --------------------------------------------------------------------------- resolution

/// Decides the firewall rules the new app is created with (rules `FW-8` to `FW-10`).
///
/// * `kind`: review app or one-click deploy.
/// * `manifest`: the manifest's `firewall_rules` as read by `check_rules`; `None` when
///   the key is absent or unusable (not an array), or there is no manifest. `Some(&[])` is
///   an explicit empty list.
/// * `parent`: the parent app's rules, in the parent's order; ignored for one-click
///   deploys (there is no parent app).
///
/// Review app (`FW-8`): with the key, exactly the manifest's rules in manifest order
/// (`[]` disables the firewall), with a note per parent rule whose range the manifest does
/// not list (`FW-9`); without it, exactly the parent's rules, copied as given, in order.
/// One-click (`FW-10`): the manifest's rules when the key is present, with a note saying
/// this is the engine's reading; no rules without it. The firewall is enabled exactly when
/// there is a rule. Total and never panics; linear in the input sizes up to a log factor.
pub fn resolve(
    kind: AppKind,
    manifest: Option<&[FirewallRuleSpec]>,
    parent: &[ParentFirewallRule],
) -> (FirewallSection, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let from_manifest = |list: &[FirewallRuleSpec]| -> Vec<ResolvedFirewallRule> {
        list.iter()
            .map(|r| ResolvedFirewallRule {
                cidr: r.cidr.clone(),
                label: r.label.clone(),
                origin: FirewallOrigin::Manifest,
            })
            .collect()
    };
    let (rules, origin, rule) = match (kind, manifest) {
        (AppKind::ReviewApp, None) => (
            parent
                .iter()
                .map(|p| ResolvedFirewallRule {
                    cidr: p.cidr.clone(),
                    label: p.label.clone(),
                    origin: FirewallOrigin::Parent,
                })
                .collect(),
            "parent",
            "FW-8",
        ),
        (AppKind::ReviewApp, Some(list)) => {
            let listed: BTreeSet<String> = list.iter().map(|r| network_of(&r.cidr)).collect();
            for p in parent {
                if listed.contains(&network_of(&p.cidr)) {
                    continue;
                }
                let label = p
                    .label
                    .as_deref()
                    .map(|l| format!(" {}", quoted(l)))
                    .unwrap_or_default();
                let message = if list.is_empty() {
                    format!(
                        "parent firewall rule `{}`{label} is not copied: the manifest's `firewall_rules` is empty, so the review app's firewall is disabled",
                        diag::excerpt(&p.cidr)
                    )
                } else {
                    format!(
                        "parent firewall rule `{}`{label} is not copied: not in the manifest's `firewall_rules`",
                        diag::excerpt(&p.cidr)
                    )
                };
                diagnostics.push(
                    Diagnostic::new(Code::ParentFirewallRuleDropped, message)
                        .with_pointer("/firewall_rules")
                        .with_hint(format!(
                            "add `{{\"cidr\": \"{}\"}}` to `firewall_rules` to keep it in review apps, or remove the key to copy all the parent's rules",
                            diag::excerpt(&p.cidr)
                        )),
                );
            }
            (from_manifest(list), "manifest", "FW-8")
        }
        (AppKind::OneClick, None) => (Vec::new(), "none", "FW-10"),
        (AppKind::OneClick, Some(list)) => {
            let what = if list.is_empty() {
                "the new app is created without firewall rules".to_string()
            } else {
                format!(
                    "the new app is created with the manifest's {} firewall rule{}",
                    list.len(),
                    if list.len() == 1 { "" } else { "s" }
                )
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::OneClickFirewallRules,
                    format!("one-click deploy: {what} (the engine's reading: Scalingo documents `firewall_rules` for review apps only)"),
                )
                .with_pointer("/firewall_rules")
                .with_hint("check the app's firewall rules after creation: `scalingo --app <app> app-firewall-rules`, or the dashboard's Public Routing settings"),
            );
            (from_manifest(list), "manifest", "FW-10")
        }
    };
    diag::sort(&mut diagnostics);
    let section = FirewallSection {
        enabled: !rules.is_empty(),
        rules,
        origin: origin.to_string(),
        rule: rule.to_string(),
    };
    (section, diagnostics)
}

/// [`resolve`] on `date` (rule `FW-11`): `None` for the section on a date before the
/// platform had an Application Firewall (the catalogue's first `firewall` entry), with a
/// note when the parent app nevertheless has rules (they are not copied); else
/// [`resolve`]'s answer. On such a date the manifest's `firewall_rules` is an unknown key,
/// so `manifest` is `None` there.
pub(crate) fn resolve_on(
    kind: AppKind,
    date: Date,
    manifest: Option<&[FirewallRuleSpec]>,
    parent: &[ParentFirewallRule],
) -> (Option<FirewallSection>, Vec<Diagnostic>) {
    if platform::firewall_max_rules(date).is_some() {
        let (section, diags) = resolve(kind, manifest, parent);
        return (Some(section), diags);
    }
    let mut diags = Vec::new();
    if kind == AppKind::ReviewApp && !parent.is_empty() {
        let since = platform::FIREWALL_MAX_RULES
            .first()
            .and_then(|d| d.since)
            .map_or_else(String::new, |d| format!(" (it exists from {d})"));
        diags.push(
            Diagnostic::new(
                Code::NoFirewallOnDate,
                format!(
                    "the parent app has {} firewall rule{}, but the platform has no Application Firewall on {date}{since}: they are not copied",
                    parent.len(),
                    if parent.len() == 1 { "" } else { "s" }
                ),
            )
            .with_pointer("/firewall_rules")
            .with_hint("give the scenario a date on which the Application Firewall exists, or no parent firewall rules"),
        );
    }
    (None, diags)
}

/// The network of a range for comparisons (rule `FW-9`): its canonical form when it reads
/// as a range, else the text as given.
fn network_of(cidr: &str) -> String {
    IpNet::from_str(cidr.trim())
        .map(|n| n.trunc().to_string())
        .unwrap_or_else(|_| cidr.to_string())
}

/// Human lines for `explain`: one per rule, `203.0.113.42/32 "office"  [FW-8: from
/// manifest]`, or one line saying the firewall is disabled and why.
pub(crate) fn explain_lines(section: &FirewallSection) -> Vec<String> {
    let rule = &section.rule;
    if section.rules.is_empty() {
        let why = match section.origin.as_str() {
            "manifest" => "manifest sets []",
            "parent" => "parent has no rules",
            _ => "no firewall_rules",
        };
        return vec![format!("(firewall disabled: no rules)  [{rule}: {why}]")];
    }
    section
        .rules
        .iter()
        .map(|r| {
            let label = r
                .label
                .as_deref()
                .map(|l| format!(" {}", quoted(l)))
                .unwrap_or_default();
            let from = match r.origin {
                FirewallOrigin::Manifest => "from manifest",
                FirewallOrigin::Parent => "copied from parent",
            };
            format!("{}{label}  [{rule}: {from}]", r.cidr)
        })
        .collect()
}

// ------------------------------------------------------------------------------ helpers

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::manifest::firewall_rules::check_rules;
    use crate::manifest::json;
    use crate::manifest::json::{Json, Node};
    use crate::text::Span;
    use std::net::Ipv4Addr;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn today() -> Date {
        date("2026-12-07")
    }

    /// Parses `src` (a manifest) and checks its `firewall_rules` member.
    fn check_at(src: &str, on: Date) -> (Option<Vec<FirewallRuleSpec>>, Vec<Diagnostic>) {
        let parsed = json::parse(src.as_bytes());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let Some(Node {
            value: Json::Object(members),
            ..
        }) = &parsed.root
        else {
            panic!("not an object");
        };
        let m = members
            .iter()
            .find(|m| m.key == "firewall_rules")
            .expect("firewall_rules");
        let (rules, mut diags) = check_rules(&m.value, "/firewall_rules", on, &parsed.text);
        crate::diag::locate(&mut diags, &parsed.text);
        (rules, diags)
    }

    fn check(rules: &str) -> (Option<Vec<FirewallRuleSpec>>, Vec<Diagnostic>) {
        check_at(&format!("{{\"firewall_rules\": {rules}}}"), today())
    }

    fn cidrs(rules: &Option<Vec<FirewallRuleSpec>>) -> Vec<&str> {
        rules
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| r.cidr.as_str())
            .collect()
    }

    fn codes(diags: &[Diagnostic]) -> Vec<(&str, &str, Severity)> {
        diags
            .iter()
            .map(|d| (d.code.as_str(), d.rule(), d.severity))
            .collect()
    }

    /// The only diagnostic, checked to be `code`.
    fn only(diags: &[Diagnostic], code: Code) -> &Diagnostic {
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(
            (d.code.as_str(), d.rule(), d.severity),
            (code.as_str(), code.rule(), code.severity())
        );
        d
    }

    fn spec(cidr: &str, label: Option<&str>, at: usize) -> FirewallRuleSpec {
        FirewallRuleSpec {
            cidr: cidr.to_string(),
            written: cidr.to_string(),
            label: label.map(str::to_string),
            span: Span::new(at, at + 10),
        }
    }

    fn parent(cidr: &str, label: Option<&str>) -> ParentFirewallRule {
        ParentFirewallRule {
            cidr: cidr.to_string(),
            label: label.map(str::to_string),
        }
    }

    fn resolved(cidr: &str, label: Option<&str>, origin: FirewallOrigin) -> ResolvedFirewallRule {
        ResolvedFirewallRule {
            cidr: cidr.to_string(),
            label: label.map(str::to_string),
            origin,
        }
    }

    // FW-1, FW-2, FW-3: the documented example.
    #[test]
    fn fw_1_2_3_documented_example_is_read_without_findings() {
        let (rules, diags) =
            check(r#"[{"cidr": "203.0.113.42/32", "label": "office"}, {"cidr": "10.0.0.0/24"}]"#);
        assert!(diags.is_empty(), "{diags:#?}");
        let rules = rules.unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].cidr, "203.0.113.42/32");
        assert_eq!(rules[0].written, "203.0.113.42/32");
        assert_eq!(rules[0].label.as_deref(), Some("office"));
        assert_eq!(rules[1].cidr, "10.0.0.0/24");
        assert_eq!(rules[1].label, None);
        // The span is the array element.
        assert_eq!(rules[1].span, Span::new(68, 91));
    }

    // FW-1: an empty list is kept (it disables the firewall of a review app).
    #[test]
    fn fw_1_empty_list_is_some_empty() {
        let (rules, diags) = check("[]");
        assert_eq!(rules, Some(vec![]));
        assert!(diags.is_empty());
    }

    // FW-1
    #[test]
    fn fw_1_not_an_array_is_an_error_and_the_key_is_absent() {
        let (rules, diags) = check("null");
        assert_eq!(rules, None);
        let d = only(&diags, Code::FirewallRulesNotArray);
        assert_eq!(
            d.message,
            "`firewall_rules` must be an array, found `null`: the key is ignored"
        );
        assert_eq!(d.pointer, "/firewall_rules");
        assert_eq!((d.line, d.column), (Some(1), Some(20)));
        assert_eq!(
            d.hint.as_deref(),
            Some("write `[]` to create a review app without firewall rules, or remove the key to keep the parent app's rules")
        );
        let (rules, diags) = check(r#"{"cidr": "10.0.0.0/8"}"#);
        assert_eq!(rules, None);
        let d = only(&diags, Code::FirewallRulesNotArray);
        assert_eq!(
            d.message,
            "`firewall_rules` must be an array, found an object: the key is ignored"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("wrap the rule in a list: `[{\"cidr\": ..., \"label\": ...}]`")
        );
        let (_, diags) = check(r#""10.0.0.0/8""#);
        assert_eq!(
            only(&diags, Code::FirewallRulesNotArray).hint.as_deref(),
            Some("write a list such as `[{\"cidr\": \"203.0.113.0/24\", \"label\": \"office\"}]`")
        );
    }

    // FW-2
    #[test]
    fn fw_2_element_not_an_object_is_reported_and_dropped() {
        let (rules, diags) = check(r#"["10.0.0.0/8", 3, {"cidr": "10.1.0.0/16"}]"#);
        assert_eq!(cidrs(&rules), ["10.1.0.0/16"]);
        assert_eq!(
            codes(&diags),
            [
                ("SM1401", "FW-2", Severity::Error),
                ("SM1401", "FW-2", Severity::Error)
            ]
        );
        assert_eq!(
            diags[0].message,
            "firewall rule must be an object, found a string"
        );
        assert_eq!(diags[0].pointer, "/firewall_rules/0");
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("write `{\"cidr\": \"10.0.0.0/8\"}`; this element is not applied")
        );
        assert_eq!(
            diags[1].message,
            "firewall rule must be an object, found a number"
        );
        assert_eq!(diags[1].pointer, "/firewall_rules/1");
        assert_eq!(
            diags[1].hint.as_deref(),
            Some("write `{\"cidr\": \"203.0.113.0/24\", \"label\": \"office\"}`; this element is not applied")
        );
    }

    // FW-2
    #[test]
    fn fw_2_missing_or_non_string_cidr_drops_the_rule() {
        let (rules, diags) = check(r#"[{"label": "office"}, {"cidr": 10}, {"cidr": null}]"#);
        assert_eq!(rules, Some(vec![]));
        assert_eq!(
            codes(&diags),
            [
                ("SM1402", "FW-2", Severity::Error),
                ("SM1402", "FW-2", Severity::Error),
                ("SM1402", "FW-2", Severity::Error)
            ]
        );
        assert_eq!(diags[0].message, "firewall rule has no `cidr`");
        assert_eq!(diags[0].pointer, "/firewall_rules/0");
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("add `\"cidr\"`: an IPv4 range such as `203.0.113.0/24`, or `/32` for a single address such as `203.0.113.42/32`; this rule is not applied")
        );
        assert_eq!(diags[1].message, "`cidr` must be a string, found a number");
        assert_eq!(diags[1].pointer, "/firewall_rules/1/cidr");
        assert_eq!(diags[2].message, "`cidr` must be a string, found `null`");
        assert_eq!(
            diags[2].hint.as_deref(),
            Some("write an IPv4 range as a string, such as `203.0.113.0/24`, or `/32` for a single address such as `203.0.113.42/32`; this rule is not applied")
        );
    }

    // FW-2
    #[test]
    fn fw_2_unknown_keys_are_ignored_with_a_warning() {
        let (rules, diags) = check(
            r#"[{"cidr": "10.0.0.0/8", "lable": "x", "id": 3, "description": "d", "zzz": 1}, {"ip": "10.1.0.0/16"}]"#,
        );
        assert_eq!(cidrs(&rules), ["10.0.0.0/8"]);
        assert_eq!(rules.as_ref().unwrap()[0].label, None);
        assert_eq!(
            codes(&diags),
            [
                ("SM1403", "FW-2", Severity::Warning),
                ("SM1403", "FW-2", Severity::Warning),
                ("SM1403", "FW-2", Severity::Warning),
                ("SM1403", "FW-2", Severity::Warning),
                ("SM1402", "FW-2", Severity::Error),
                ("SM1403", "FW-2", Severity::Warning),
            ]
        );
        assert_eq!(
            diags[0].message,
            "unknown key `lable` in a firewall rule: ignored"
        );
        assert_eq!(diags[0].pointer, "/firewall_rules/0/lable");
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `label`?"));
        assert_eq!(
            diags[1].hint.as_deref(),
            Some("rule IDs are assigned by the platform; remove `id`")
        );
        assert_eq!(
            diags[2].hint.as_deref(),
            Some("the rule's name is read from `label`: rename `description` to `label`")
        );
        assert_eq!(
            diags[3].hint.as_deref(),
            Some("a firewall rule reads `cidr` and `label`")
        );
        // `{"ip": ...}`: the missing-cidr error (span: the element) comes before the
        // unknown key (span: the key) in source order.
        assert_eq!(diags[4].pointer, "/firewall_rules/1");
        assert_eq!(
            diags[4].hint.as_deref(),
            Some("rename `ip` to `cidr`; this rule is not applied")
        );
        assert_eq!(
            diags[5].hint.as_deref(),
            Some("the range is read from `cidr`: rename `ip` to `cidr`")
        );
    }

    // FW-2
    #[test]
    fn fw_2_label_not_a_string_is_an_error_rule_kept_without_label() {
        let (rules, diags) = check(r#"[{"cidr": "10.0.0.0/8", "label": 42}]"#);
        assert_eq!(cidrs(&rules), ["10.0.0.0/8"]);
        assert_eq!(rules.unwrap()[0].label, None);
        let d = only(&diags, Code::LabelNotString);
        assert_eq!(
            d.message,
            "`label` must be a string, found a number: the rule has no label"
        );
        assert_eq!(d.pointer, "/firewall_rules/0/label");
        assert_eq!(d.hint.as_deref(), Some("write `\"42\"`"));
        let (_, diags) = check(r#"[{"cidr": "10.0.0.0/8", "label": ["a"]}]"#);
        assert_eq!(
            only(&diags, Code::LabelNotString).hint.as_deref(),
            Some("write a name such as `\"office\"`")
        );
    }

    // FW-2
    #[test]
    fn fw_2_empty_or_null_label_is_a_note_and_no_label() {
        let (rules, diags) = check(
            r#"[{"cidr": "10.0.0.0/8", "label": ""}, {"cidr": "10.1.0.0/16", "label": null}]"#,
        );
        let rules = rules.unwrap();
        assert!(rules.iter().all(|r| r.label.is_none()));
        assert_eq!(
            codes(&diags),
            [
                ("SM1405", "FW-2", Severity::Note),
                ("SM1405", "FW-2", Severity::Note)
            ]
        );
        assert_eq!(diags[0].message, "empty `label`: the rule has no label");
        assert_eq!(diags[0].pointer, "/firewall_rules/0/label");
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("remove `label`, or write a name such as `\"office\"`")
        );
        assert_eq!(diags[1].message, "`label` is null: the rule has no label");
    }

    // FW-2: no documented maximum: a long label is kept whole.
    #[test]
    fn fw_2_long_label_is_kept() {
        let long = "é".repeat(300);
        let (rules, diags) = check(&format!(r#"[{{"cidr": "10.0.0.0/8", "label": "{long}"}}]"#));
        assert!(diags.is_empty());
        assert_eq!(rules.unwrap()[0].label.as_deref(), Some(long.as_str()));
    }

    // FW-3
    #[test]
    fn fw_3_address_without_prefix_is_an_error_with_the_32_form() {
        let (rules, diags) = check(r#"[{"cidr": "203.0.113.42"}]"#);
        assert_eq!(rules, Some(vec![]));
        let d = only(&diags, Code::CidrWithoutPrefix);
        assert_eq!(
            d.message,
            "`203.0.113.42` is an address without a prefix length: addresses without a CIDR suffix are not accepted"
        );
        assert_eq!(d.pointer, "/firewall_rules/0/cidr");
        assert_eq!((d.line, d.column), (Some(1), Some(30)));
        assert_eq!(
            d.hint.as_deref(),
            Some("write `203.0.113.42/32` for this single address")
        );
    }

    // FW-3
    #[test]
    fn fw_3_surrounding_white_space_is_an_error_with_the_trimmed_form() {
        let (rules, diags) = check(r#"[{"cidr": " 10.0.0.0/8\t"}]"#);
        assert_eq!(rules, Some(vec![]));
        let d = only(&diags, Code::CidrWhitespace);
        assert_eq!(
            d.message,
            "`cidr` ` 10.0.0.0/8\\t` has white space around it: this rule is not applied"
        );
        assert_eq!(d.pointer, "/firewall_rules/0/cidr");
        assert_eq!(
            d.hint.as_deref(),
            Some("write `10.0.0.0/8` without the surrounding white space")
        );
        let (_, diags) = check(r#"[{"cidr": "  "}]"#);
        assert_eq!(
            only(&diags, Code::CidrWhitespace).hint.as_deref(),
            Some("write an IPv4 range such as `203.0.113.0/24`, or `/32` for a single address such as `203.0.113.42/32`")
        );
    }

    // FW-3
    #[test]
    fn fw_3_invalid_syntax_is_an_error_with_an_example() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("", "`` is not an IPv4 range in CIDR notation: it is empty; this rule is not applied", None),
            ("10.0.0.0/33", "`10.0.0.0/33` is not an IPv4 range in CIDR notation: the prefix length `33` is larger than 32; this rule is not applied", None),
            ("10.0.0.0/", "`10.0.0.0/` is not an IPv4 range in CIDR notation: the prefix length `` is not a number from 0 to 32; this rule is not applied", None),
            ("10.0.0.0/x", "`10.0.0.0/x` is not an IPv4 range in CIDR notation: the prefix length `x` is not a number from 0 to 32; this rule is not applied", None),
            ("10.0.0.0/255.255.255.0", "`10.0.0.0/255.255.255.0` is not an IPv4 range in CIDR notation: the prefix is a length from 0 to 32, not a netmask; this rule is not applied", Some("write `10.0.0.0/24`")),
            ("10.0.0.0/08", "`10.0.0.0/08` is not an IPv4 range in CIDR notation: the prefix length `08` has a leading zero; this rule is not applied", Some("write `10.0.0.0/8`")),
            ("010.0.0.0/8", "`010.0.0.0/8` is not an IPv4 range in CIDR notation: the number `010` has a leading zero; this rule is not applied", None),
            ("256.0.0.0/8", "`256.0.0.0/8` is not an IPv4 range in CIDR notation: `256.0.0.0` is not an IPv4 address; this rule is not applied", None),
            ("office.example.com", "`office.example.com` is not an IPv4 range in CIDR notation: the firewall takes IP ranges, not host names; this rule is not applied", None),
            ("10.0.0.1-10.0.0.9", "`10.0.0.1-10.0.0.9` is not an IPv4 range in CIDR notation: a range is written as an address and a prefix length, not as first-last; this rule is not applied", None),
            ("10.0.0", "`10.0.0` is not an IPv4 range in CIDR notation: `10.0.0` is not an IPv4 address; this rule is not applied", None),
            ("10.0.0.0/100", "`10.0.0.0/100` is not an IPv4 range in CIDR notation: the prefix length `100` is larger than 32; this rule is not applied", None),
            ("10.0.0.0/008", "`10.0.0.0/008` is not an IPv4 range in CIDR notation: the prefix length `008` has a leading zero; this rule is not applied", None),
        ];
        for (cidr, message, hint) in cases {
            let (rules, diags) = check(&format!(r#"[{{"cidr": "{cidr}"}}]"#));
            assert_eq!(rules, Some(vec![]), "{cidr}");
            let d = only(&diags, Code::InvalidCidr);
            assert_eq!(d.message, *message);
            assert_eq!(d.pointer, "/firewall_rules/0/cidr");
            let default = "write an IPv4 range such as `203.0.113.0/24`, or `/32` for a single address such as `203.0.113.42/32`";
            assert_eq!(d.hint.as_deref(), Some(hint.unwrap_or(default)), "{cidr}");
        }
    }

    // FW-4, PLAT-9
    #[test]
    fn fw_4_ipv6_is_not_supported_and_cites_the_source() {
        for cidr in [
            "2001:db8::/32",
            "2001:db8::1",
            "::ffff:10.0.0.0/104",
            "2001:db8::/200",
        ] {
            let (rules, diags) = check(&format!(r#"[{{"cidr": "{cidr}"}}]"#));
            assert_eq!(rules, Some(vec![]), "{cidr}");
            let d = only(&diags, Code::IpVersionUnsupported);
            assert_eq!(
                d.message,
                format!("IPv6 ranges are not supported by the Application Firewall: `{cidr}` is not applied")
            );
            assert_eq!(d.pointer, "/firewall_rules/0/cidr");
            let source = platform::firewall_ip_versions(platform::test_day())
                .expect("the catalogue has the firewall's IP versions")
                .source;
            assert_eq!(
                d.hint.as_deref(),
                Some(
                    format!("only IPv4 ranges are accepted ({source}); remove this rule").as_str()
                )
            );
        }
    }

    // FW-5
    #[test]
    fn fw_5_host_bits_set_is_read_as_the_network() {
        let (rules, diags) = check(r#"[{"cidr": "10.0.0.1/24", "label": "vpn"}]"#);
        let rules = rules.unwrap();
        assert_eq!(rules[0].cidr, "10.0.0.0/24");
        assert_eq!(rules[0].written, "10.0.0.1/24");
        assert_eq!(rules[0].label.as_deref(), Some("vpn"));
        let d = only(&diags, Code::HostBitsSet);
        assert_eq!(
            d.message,
            "`10.0.0.1/24` has host bits set: read as the network `10.0.0.0/24`"
        );
        assert_eq!(d.pointer, "/firewall_rules/0/cidr");
        assert_eq!(
            d.hint.as_deref(),
            Some("write `10.0.0.0/24`: a range is written with its first address")
        );
        // `/32` and `/0`.
        let (rules, diags) = check(r#"[{"cidr": "1.2.3.4/32"}, {"cidr": "1.2.3.4/0"}]"#);
        assert_eq!(cidrs(&rules), ["1.2.3.4/32", "0.0.0.0/0"]);
        assert_eq!(codes(&diags), [("SM1410", "FW-5", Severity::Warning)]);
    }

    // FW-6
    #[test]
    fn fw_6_duplicate_network_keeps_the_first() {
        let (rules, diags) = check(
            r#"[{"cidr": "10.0.0.0/24", "label": "a"}, {"cidr": "10.0.0.7/24", "label": "b"}, {"cidr": "10.0.0.0/24"}, {"cidr": "10.0.0.0/25"}]"#,
        );
        let rules = rules.unwrap();
        assert_eq!(
            rules.iter().map(|r| r.cidr.as_str()).collect::<Vec<_>>(),
            ["10.0.0.0/24", "10.0.0.0/25"]
        );
        assert_eq!(rules[0].label.as_deref(), Some("a"));
        assert_eq!(
            codes(&diags),
            [
                ("SM1411", "FW-6", Severity::Warning),
                ("SM1410", "FW-5", Severity::Warning),
                ("SM1411", "FW-6", Severity::Warning),
            ]
        );
        assert_eq!(
            diags[0].message,
            "rule `10.0.0.0/24` repeats the range of `/firewall_rules/0`: it is ignored, and its label \"b\" with it"
        );
        assert_eq!(diags[0].pointer, "/firewall_rules/1");
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("remove this rule; a range needs one rule")
        );
        assert_eq!(
            diags[2].message,
            "rule `10.0.0.0/24` repeats the range of `/firewall_rules/0`: it is ignored"
        );
        assert_eq!(diags[2].pointer, "/firewall_rules/2");
    }

    fn many(n: usize) -> String {
        let items: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"cidr": "10.0.{i}.0/24"}}"#))
            .collect();
        format!("[{}]", items.join(", "))
    }

    // FW-7
    #[test]
    fn fw_7_more_than_the_limit_is_a_warning_at_the_first_rule_over() {
        let (rules, diags) = check(&many(20));
        assert_eq!(rules.unwrap().len(), 20);
        assert!(diags.is_empty());
        let (rules, diags) = check(&many(22));
        assert_eq!(rules.unwrap().len(), 22, "every rule is kept");
        let d = only(&diags, Code::TooManyFirewallRules);
        assert_eq!(
            d.message,
            "`firewall_rules` has 22 rules, more than 20: the default limit; creation fails unless Scalingo support raised it"
        );
        assert_eq!(d.pointer, "/firewall_rules/20");
        assert_eq!(
            d.hint.as_deref(),
            Some("merge ranges into wider ones, or ask Scalingo support to raise the app's limit (each application can have up to 20 rules by default: src/_posts/platform/networking/public/2000-01-01-application-firewall.md (modified 2026-10-05))")
        );
    }

    // FW-7: rules left out (invalid, duplicates) do not count.
    #[test]
    fn fw_7_the_limit_counts_the_rules_kept() {
        let mut items: Vec<String> = (0..20)
            .map(|i| format!(r#"{{"cidr": "10.0.{i}.0/24"}}"#))
            .collect();
        items.push(r#"{"cidr": "10.0.0.0/24"}"#.to_string());
        items.push(r#"{"cidr": "2001:db8::/32"}"#.to_string());
        let (rules, diags) = check(&format!("[{}]", items.join(", ")));
        assert_eq!(rules.unwrap().len(), 20);
        assert_eq!(
            codes(&diags),
            [
                ("SM1411", "FW-6", Severity::Warning),
                ("SM1409", "FW-4", Severity::Error)
            ]
        );
    }

    // FW-1, PLAT-9: before the catalogue's first firewall date the earliest entries apply.
    #[test]
    fn fw_1_before_the_firewall_existed_the_earliest_facts_apply() {
        let early = date("2020-01-01");
        assert!(platform::firewall_max_rules(early).is_none());
        let (rules, diags) = check_at(&format!("{{\"firewall_rules\": {}}}", many(21)), early);
        assert_eq!(rules.unwrap().len(), 21);
        assert_eq!(codes(&diags), [("SM1412", "FW-7", Severity::Warning)]);
    }

    // FW-8
    #[test]
    fn fw_8_review_app_without_key_copies_parent_rules_in_order() {
        let p = [
            parent("203.0.113.42/32", Some("office")),
            parent("10.0.0.0/24", None),
        ];
        let (s, diags) = resolve(AppKind::ReviewApp, None, &p);
        assert_eq!(
            s,
            FirewallSection {
                rules: vec![
                    resolved("203.0.113.42/32", Some("office"), FirewallOrigin::Parent),
                    resolved("10.0.0.0/24", None, FirewallOrigin::Parent),
                ],
                enabled: true,
                origin: "parent".to_string(),
                rule: "FW-8".to_string(),
            }
        );
        assert!(diags.is_empty());
        let (s, diags) = resolve(AppKind::ReviewApp, None, &[]);
        assert!(s.rules.is_empty() && !s.enabled);
        assert_eq!(s.origin, "parent");
        assert!(diags.is_empty());
    }

    // FW-8, FW-9
    #[test]
    fn fw_8_9_review_app_empty_list_disables_and_notes_each_parent_rule() {
        let p = [
            parent("203.0.113.42/32", Some("office")),
            parent("10.0.0.0/24", None),
        ];
        let (s, diags) = resolve(AppKind::ReviewApp, Some(&[]), &p);
        assert!(s.rules.is_empty());
        assert!(!s.enabled);
        assert_eq!((s.origin.as_str(), s.rule.as_str()), ("manifest", "FW-8"));
        assert_eq!(
            codes(&diags),
            [
                ("SM1413", "FW-9", Severity::Note),
                ("SM1413", "FW-9", Severity::Note)
            ]
        );
        assert_eq!(
            diags[0].message,
            "parent firewall rule `10.0.0.0/24` is not copied: the manifest's `firewall_rules` is empty, so the review app's firewall is disabled"
        );
        assert_eq!(
            diags[1].message,
            "parent firewall rule `203.0.113.42/32` \"office\" is not copied: the manifest's `firewall_rules` is empty, so the review app's firewall is disabled"
        );
        assert!(diags
            .iter()
            .all(|d| d.pointer == "/firewall_rules" && d.span.is_none()));
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("add `{\"cidr\": \"10.0.0.0/24\"}` to `firewall_rules` to keep it in review apps, or remove the key to copy all the parent's rules")
        );
    }

    // FW-8, FW-9: the manifest's list replaces; a parent range it lists (any label,
    // host bits or not) is not noted.
    #[test]
    fn fw_8_9_review_app_list_replaces_parent_rules() {
        let p = [
            parent("203.0.113.42/32", Some("office")),
            parent("10.0.0.5/24", None),
            parent("192.0.2.0/24", Some("ci")),
        ];
        let m = [
            spec("10.0.0.0/24", Some("lan"), 20),
            spec("198.51.100.0/24", None, 40),
        ];
        let (s, diags) = resolve(AppKind::ReviewApp, Some(&m), &p);
        assert_eq!(
            s.rules,
            vec![
                resolved("10.0.0.0/24", Some("lan"), FirewallOrigin::Manifest),
                resolved("198.51.100.0/24", None, FirewallOrigin::Manifest),
            ]
        );
        assert!(s.enabled);
        assert_eq!(
            codes(&diags),
            [
                ("SM1413", "FW-9", Severity::Note),
                ("SM1413", "FW-9", Severity::Note)
            ]
        );
        assert_eq!(
            diags[0].message,
            "parent firewall rule `192.0.2.0/24` \"ci\" is not copied: not in the manifest's `firewall_rules`"
        );
        assert!(diags[1].message.contains("`203.0.113.42/32`"));
    }

    // FW-10
    #[test]
    fn fw_10_one_click_applies_the_manifest_rules_with_a_note() {
        let m = [spec("203.0.113.42/32", Some("office"), 20)];
        let p = [parent("10.0.0.0/24", None)];
        let (s, diags) = resolve(AppKind::OneClick, Some(&m), &p);
        assert_eq!(
            s,
            FirewallSection {
                rules: vec![resolved(
                    "203.0.113.42/32",
                    Some("office"),
                    FirewallOrigin::Manifest
                )],
                enabled: true,
                origin: "manifest".to_string(),
                rule: "FW-10".to_string(),
            }
        );
        let d = only(&diags, Code::OneClickFirewallRules);
        assert_eq!(
            d.message,
            "one-click deploy: the new app is created with the manifest's 1 firewall rule (the engine's reading: Scalingo documents `firewall_rules` for review apps only)"
        );
        assert_eq!(d.pointer, "/firewall_rules");
        assert_eq!(
            d.hint.as_deref(),
            Some("check the app's firewall rules after creation: `scalingo --app <app> app-firewall-rules`, or the dashboard's Public Routing settings")
        );
        let (s, diags) = resolve(AppKind::OneClick, Some(&[]), &p);
        assert!(!s.enabled);
        assert_eq!(s.origin, "manifest");
        assert_eq!(
            only(&diags, Code::OneClickFirewallRules).message,
            "one-click deploy: the new app is created without firewall rules (the engine's reading: Scalingo documents `firewall_rules` for review apps only)"
        );
    }

    // FW-10: without the key, no rules and no finding; a parent passed in is ignored.
    #[test]
    fn fw_10_one_click_without_key_has_no_rules() {
        let (s, diags) = resolve(AppKind::OneClick, None, &[parent("10.0.0.0/8", None)]);
        assert_eq!(
            s,
            FirewallSection {
                rules: vec![],
                enabled: false,
                origin: "none".to_string(),
                rule: "FW-10".to_string(),
            }
        );
        assert!(diags.is_empty());
    }

    // FW-11, PLAT-9
    #[test]
    fn fw_11_no_section_before_the_firewall_existed() {
        let parent = vec![ParentFirewallRule {
            cidr: "10.0.0.0/24".to_string(),
            label: None,
        }];
        let (section, diags) = resolve_on(AppKind::ReviewApp, date("2026-09-23"), None, &parent);
        assert_eq!(section, None);
        let d = only(&diags, Code::NoFirewallOnDate);
        assert_eq!(
            d.message,
            "the parent app has 1 firewall rule, but the platform has no Application Firewall on 2026-09-23 (it exists from 2026-09-24): they are not copied"
        );
        assert_eq!(d.pointer, "/firewall_rules");
        // Without parent rules, or for a one-click deploy, nothing is said.
        assert_eq!(
            resolve_on(AppKind::ReviewApp, date("2026-09-23"), None, &[]),
            (None, vec![])
        );
        assert_eq!(
            resolve_on(AppKind::OneClick, date("2026-09-23"), None, &parent),
            (None, vec![])
        );
        // From the first entry on, the section is `resolve`'s.
        let (section, diags) = resolve_on(AppKind::ReviewApp, date("2026-09-24"), None, &parent);
        assert_eq!((section, diags), {
            let (s, d) = resolve(AppKind::ReviewApp, None, &parent);
            (Some(s), d)
        });
    }

    // FW-8, FW-10
    #[test]
    fn fw_8_10_explain_lines() {
        let m = [
            spec("203.0.113.42/32", Some("office"), 0),
            spec("10.0.0.0/24", None, 20),
        ];
        let (s, _) = resolve(AppKind::ReviewApp, Some(&m), &[]);
        assert_eq!(
            explain_lines(&s),
            [
                "203.0.113.42/32 \"office\"  [FW-8: from manifest]",
                "10.0.0.0/24  [FW-8: from manifest]"
            ]
        );
        let (s, _) = resolve(AppKind::ReviewApp, None, &[parent("10.0.0.0/8", Some("x"))]);
        assert_eq!(
            explain_lines(&s),
            ["10.0.0.0/8 \"x\"  [FW-8: copied from parent]"]
        );
        let (s, _) = resolve(AppKind::ReviewApp, Some(&[]), &[]);
        assert_eq!(
            explain_lines(&s),
            ["(firewall disabled: no rules)  [FW-8: manifest sets []]"]
        );
        let (s, _) = resolve(AppKind::ReviewApp, None, &[]);
        assert_eq!(
            explain_lines(&s),
            ["(firewall disabled: no rules)  [FW-8: parent has no rules]"]
        );
        let (s, _) = resolve(AppKind::OneClick, None, &[]);
        assert_eq!(
            explain_lines(&s),
            ["(firewall disabled: no rules)  [FW-10: no firewall_rules]"]
        );
    }

    // FW-8
    #[test]
    fn fw_8_json_shapes() {
        let (s, _) = resolve(
            AppKind::ReviewApp,
            Some(&[spec("10.0.0.0/24", None, 0)]),
            &[],
        );
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"rules": [{"cidr": "10.0.0.0/24", "label": null, "origin": "manifest"}], "enabled": true, "origin": "manifest", "rule": "FW-8"})
        );
        let back: FirewallSection =
            serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let p: ParentFirewallRule = serde_json::from_str(r#"{"cidr": "10.0.0.0/24"}"#).unwrap();
        assert_eq!(p, parent("10.0.0.0/24", None));
        assert!(serde_json::from_str::<ParentFirewallRule>(r#"{"cidr": "x", "id": "1"}"#).is_err());
        assert_eq!(
            serde_json::to_string(&FirewallOrigin::Parent).unwrap(),
            "\"parent\""
        );
        let r = spec("10.0.0.0/24", Some("a"), 3);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"cidr": "10.0.0.0/24", "written": "10.0.0.0/24", "label": "a", "span": {"start": 3, "end": 13}})
        );
        assert_eq!(serde_json::from_value::<FirewallRuleSpec>(v).unwrap(), r);
    }

    /// An arbitrary IPv4 network (host bits cleared) in canonical notation.
    fn net_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (any::<u32>(), 0u8..=32).prop_map(|(a, p)| {
            ipnet::Ipv4Net::new(Ipv4Addr::from(a), p)
                .unwrap()
                .trunc()
                .to_string()
        })
    }

    fn label_strategy() -> impl proptest::strategy::Strategy<Value = Option<String>> {
        proptest::option::of("[a-z ]{1,8}")
    }

    proptest::proptest! {
        /// FW-8: a review app's rules are exactly the manifest's when the key is present,
        /// exactly the parent's when it is absent; enabled iff non-empty.
        #[test]
        fn fw_8_frame_rule(
            m in proptest::collection::vec((net_strategy(), label_strategy()), 0..25),
            p in proptest::collection::vec((net_strategy(), label_strategy()), 0..25),
        ) {
            let m: Vec<FirewallRuleSpec> = m
                .into_iter()
                .enumerate()
                .map(|(i, (c, l))| spec(&c, l.as_deref(), i * 30))
                .collect();
            let p: Vec<ParentFirewallRule> =
                p.into_iter().map(|(c, l)| parent(&c, l.as_deref())).collect();
            let (s, _) = resolve(AppKind::ReviewApp, Some(&m), &p);
            let got: Vec<(String, Option<String>)> =
                s.rules.iter().map(|r| (r.cidr.clone(), r.label.clone())).collect();
            let want: Vec<(String, Option<String>)> =
                m.iter().map(|r| (r.cidr.clone(), r.label.clone())).collect();
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert!(s.rules.iter().all(|r| r.origin == FirewallOrigin::Manifest));
            proptest::prop_assert_eq!(s.enabled, !m.is_empty());
            let (s, d) = resolve(AppKind::ReviewApp, None, &p);
            let got: Vec<(String, Option<String>)> =
                s.rules.iter().map(|r| (r.cidr.clone(), r.label.clone())).collect();
            let want: Vec<(String, Option<String>)> =
                p.iter().map(|r| (r.cidr.clone(), r.label.clone())).collect();
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert!(s.rules.iter().all(|r| r.origin == FirewallOrigin::Parent));
            proptest::prop_assert_eq!(s.enabled, !p.is_empty());
            proptest::prop_assert!(d.is_empty());
        }

        /// FW-3, FW-5: any IPv4 address with any prefix length is read as its network,
        /// with a host-bits warning exactly when the address is not the network's.
        #[test]
        fn fw_3_5_any_ipv4_range_reads_as_its_network(a in proptest::prelude::any::<u32>(), len in 0u8..=32) {
            let written = format!("{}/{len}", Ipv4Addr::from(a));
            let (rules, diags) = check(&format!(r#"[{{"cidr": "{written}"}}]"#));
            let network = ipnet::Ipv4Net::new(Ipv4Addr::from(a), len).unwrap().trunc();
            let rules = rules.unwrap();
            proptest::prop_assert_eq!(rules.len(), 1);
            proptest::prop_assert_eq!(&rules[0].cidr, &network.to_string());
            proptest::prop_assert_eq!(&rules[0].written, &written);
            let host_bits = network.addr() != Ipv4Addr::from(a);
            proptest::prop_assert_eq!(diags.len(), usize::from(host_bits));
            if host_bits {
                proptest::prop_assert_eq!(diags[0].code.as_str(), "SM1410");
            }
        }
    }

    // FW-1: an object that is not a rule (no `cidr`) gets the general hint; only an object
    // holding `cidr` is taken for a rule to wrap in a list.
    #[test]
    fn fw_1_an_object_without_cidr_is_not_taken_for_a_rule() {
        let (rules, diags) = check(r#"{"label": "office"}"#);
        assert_eq!(rules, None);
        assert_eq!(
            only(&diags, Code::FirewallRulesNotArray).hint.as_deref(),
            Some("write a list such as `[{\"cidr\": \"203.0.113.0/24\", \"label\": \"office\"}]`")
        );
    }
}
