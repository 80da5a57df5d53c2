//! The canonical form of a manifest (rule `MAN-10` of `spec/manifest.md`): one way to
//! write each typed [`Manifest`] in Scalingo's dialect, so that a model can be printed,
//! read back with [`check`](crate::manifest::check), and compared.
//!
//! ```
//! use scalingo_manifest::manifest::{self, canonical};
//!
//! let date = "2026-12-07".parse().unwrap();
//! let checked = manifest::check(br#"{"addons": ["redis"], "name": "x", "env": {"A": "1"}}"#, date);
//! let m = checked.manifest.expect("an object");
//! let text = canonical::to_json(&m);
//! assert_eq!(
//!     text,
//!     "{\n  \"name\": \"x\",\n  \"env\": {\n    \"A\": {\n      \"value\": \"1\"\n    }\n  },\n  \"addons\": [\n    {\n      \"plan\": \"redis\"\n    }\n  ]\n}\n"
//! );
//! let again = manifest::check(text.as_bytes(), date);
//! assert!(again.diagnostics.is_empty());
//! assert!(canonical::same_meaning(&m, again.manifest.as_ref().expect("an object")));
//! ```

use compact_str::CompactString;
use serde::Serialize;

use crate::diag::Code;
use crate::manifest::validate::TOP_LEVEL;
use crate::manifest::{
    AddonShape, AddonSpec, EnvValue, EnvVar, FormationEntry, Generator, Manifest, Spanned,
};
use crate::text::Span;

/// The top-level keys of the canonical form, in the order they are written (rule
/// `MAN-10`); absent fields are left out. The platform's keys of the top-level table that
/// `check` reads (`validate::TOP_LEVEL`), in its order; `$schema`, its last entry, is never
/// written (it is not part of the model).
pub const KEY_ORDER: [&str; 13] = {
    let mut out = [""; 13];
    let mut i = 0;
    while i < out.len() {
        out[i] = TOP_LEVEL[i].key;
        i += 1;
    }
    assert!(TOP_LEVEL.len() == out.len() + 1);
    out
};

/// The keys of an env entry object of the canonical form, in the order they are written
/// (rule `MAN-10`).
pub const ENV_ENTRY_ORDER: [&str; 5] =
    ["value", "generator", "template", "description", "required"];

/// Codes that [`check`](crate::manifest::check) may still report on the canonical form of
/// a model it returned (rule `MAN-10`): findings about *what* the manifest
/// says, which no way of writing it avoids. `SM0103` (`logo`/`website` not an http(s)
/// URL), `SM0217` (unknown template token), `SM0222` (`PROJECT_DIR` in `env`), `SM0223`
/// (an entry without anything, `{}`), `SM0225` (a variable the platform sets itself),
/// `SM0312` (Heroku add-on provider), `SM0314` (a plan retired on the date) and `SM0502`
/// (deprecated `scripts.postdeploy`), `SM0110` and `SM0111` (a deprecated or discontinued
/// stack on the date), `SM1412` (more firewall rules than the default limit on the date),
/// `SM0227` (an env value or template on several lines).
/// Every other warning or note concerns the writing
/// (shorthands, numbers, legacy shapes, duplicate keys, CRLF, ...) and never appears.
pub const CONTENT_CODES: [Code; 12] = [
    Code::ManifestUrlInvalid,
    Code::DeprecatedStack,
    Code::DiscontinuedStack,
    Code::EnvUnknownToken,
    Code::EnvProjectDir,
    Code::EnvUnset,
    Code::EnvPlatformVar,
    Code::EnvValueLineBreak,
    Code::AddonHerokuProvider,
    Code::AddonPlanRetired,
    Code::PostdeployDeprecated,
    Code::TooManyFirewallRules,
];

/// Prints `m` in the canonical form of rule `MAN-10`.
///
/// Shape: a JSON object whose present fields come in the order of [`KEY_ORDER`]; string
/// fields as strings; `env` an object of entry objects in the model's order, each with the
/// keys of [`ENV_ENTRY_ORDER`] that apply (`"value": null` for a deletion, `required` only
/// when true); `addons` an array of `{"plan": "provider[:plan]", "options": {"version":
/// "..."}}` objects (`options` only with a version), whatever shape they were written in;
/// `formation` an object of `{"amount": n, "size": "M"}` objects, absent fields left out;
/// `scripts` with `first-deploy` then `postdeploy`, left out when both are absent;
/// `copy_parent_database_urls` a boolean; `firewall_rules` an array of `{"cidr":
/// "10.0.0.0/24", "label": "office"}` objects, each range as its network (rule `FW-5`),
/// `label` left out when the rule has none. Two-space indentation, one member or element
/// per line, `{}` and `[]` for empty containers, strings escaped as `serde_json` does
/// (`"`, `\`, control characters; everything else as UTF-8), and a final newline.
///
/// Total: any model prints, even one [`check`](crate::manifest::check) would never return
/// (duplicate names print as duplicate keys). The guarantees of `MAN-10` (no error, the same
/// meaning, a fixed point) hold for every model `check` returns, errors or not.
pub fn to_json(m: &Manifest) -> String {
    // serde_json's pretty printer (two-space indentation, `{}` and `[]` for empty
    // containers) over the ordered structs below. Serialising strings, booleans, integers
    // and string-keyed maps into a `String` cannot fail.
    let mut out = serde_json::to_string_pretty(&Canonical::of(m)).unwrap_or_default();
    out.push('\n');
    out
}

/// `m` with everything that is about the writing and not the meaning erased: every span
/// set to the empty span at 0, every addon shape set to [`AddonShape::Object`] (all
/// shapes mean the same, rule `MAN-ADD-*`), and every firewall rule's `written` set to its
/// network (`10.0.0.1/24` means `10.0.0.0/24`, rule `FW-5`). Two manifests mean the same exactly when their
/// normalised forms are equal (rule `MAN-10`).
pub fn normalise(m: &Manifest) -> Manifest {
    let zero = Span::point(0);
    let mut n = m.clone();
    for field in [
        &mut n.name,
        &mut n.description,
        &mut n.logo,
        &mut n.website,
        &mut n.repository,
        &mut n.git_ref,
        &mut n.stack,
        &mut n.scripts.first_deploy,
        &mut n.scripts.postdeploy,
    ]
    .into_iter()
    .flatten()
    {
        field.span = zero;
    }
    if let Some(c) = &mut n.copy_parent_database_urls {
        c.span = zero;
    }
    for e in n.env.iter_mut().flatten() {
        e.name_span = zero;
        e.span = zero;
    }
    for a in n.addons.iter_mut().flatten() {
        a.span = zero;
        a.shape = AddonShape::Object;
    }
    for f in n.formation.iter_mut().flatten() {
        f.name_span = zero;
        f.span = zero;
    }
    for r in n.firewall_rules.iter_mut().flatten() {
        r.span = zero;
        r.written.clone_from(&r.cidr);
    }
    n
}

/// True when `a` and `b` mean the same: equal once [`normalise`]d (spans and addon
/// shapes ignored; the order of `env`, `addons` and `formation` counts). Rule `MAN-10`.
pub fn same_meaning(a: &Manifest, b: &Manifest) -> bool {
    normalise(a) == normalise(b)
}

/// The canonical form of a [`Manifest`]: serialised, its fields come in the order of
/// [`KEY_ORDER`] (a test checks it), absent ones left out.
#[derive(Serialize)]
struct Canonical<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    git_ref: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    env: Option<Members<'a, EnvEntry<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    addons: Option<Vec<Addon<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    formation: Option<Members<'a, Formation<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scripts: Option<ScriptsOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    copy_parent_database_urls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    firewall_rules: Option<Vec<FirewallRule<'a>>>,
}

/// A JSON object whose members keep the model's order, duplicate names included (the
/// printer is total: a model `check` never returns prints duplicate keys).
struct Members<'a, T>(Vec<(&'a str, T)>);

impl<T: Serialize> Serialize for Members<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// An env entry: the keys of [`ENV_ENTRY_ORDER`] that apply.
#[derive(Serialize)]
struct EnvEntry<'a> {
    /// `Some(None)` is a deletion, written `"value": null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// Written only when true.
    #[serde(skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
}

#[derive(Serialize)]
struct Addon<'a> {
    plan: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<AddonOptions<'a>>,
}

#[derive(Serialize)]
struct AddonOptions<'a> {
    version: &'a str,
}

#[derive(Serialize)]
struct Formation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<&'a str>,
}

#[derive(Serialize)]
struct ScriptsOut<'a> {
    #[serde(rename = "first-deploy", skip_serializing_if = "Option::is_none")]
    first_deploy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postdeploy: Option<&'a str>,
}

#[derive(Serialize)]
struct FirewallRule<'a> {
    cidr: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
}

impl<'a> Canonical<'a> {
    fn of(m: &'a Manifest) -> Self {
        let text = |f: &'a Option<Spanned<CompactString>>| f.as_ref().map(|s| s.value.as_str());
        let scripts = ScriptsOut {
            first_deploy: text(&m.scripts.first_deploy),
            postdeploy: text(&m.scripts.postdeploy),
        };
        Canonical {
            name: text(&m.name),
            description: text(&m.description),
            logo: text(&m.logo),
            website: text(&m.website),
            repository: text(&m.repository),
            git_ref: text(&m.git_ref),
            stack: text(&m.stack),
            env: m.env.as_ref().map(|env| {
                Members(
                    env.iter()
                        .map(|e| (e.name.as_str(), env_entry(e)))
                        .collect(),
                )
            }),
            addons: m.addons.as_ref().map(|a| a.iter().map(addon).collect()),
            formation: m.formation.as_ref().map(|f| {
                Members(
                    f.iter()
                        .map(|f| (f.process_type.as_str(), formation_entry(f)))
                        .collect(),
                )
            }),
            scripts: (scripts.first_deploy.is_some() || scripts.postdeploy.is_some())
                .then_some(scripts),
            copy_parent_database_urls: m.copy_parent_database_urls.as_ref().map(|c| c.value),
            firewall_rules: m.firewall_rules.as_ref().map(|rules| {
                rules
                    .iter()
                    .map(|r| FirewallRule {
                        cidr: &r.cidr,
                        label: r.label.as_deref(),
                    })
                    .collect()
            }),
        }
    }
}

fn env_entry(e: &EnvVar) -> EnvEntry<'_> {
    let mut entry = EnvEntry {
        value: None,
        generator: None,
        template: None,
        description: e.description.as_deref(),
        required: e.required.then_some(true),
    };
    match &e.value {
        EnvValue::Unset => {}
        EnvValue::Value { value } => entry.value = Some(Some(value)),
        EnvValue::Delete => entry.value = Some(None),
        EnvValue::Generator { generator } => {
            let (name, template) = match generator {
                Generator::Secret => ("secret", None),
                Generator::Url { template } => ("url", template.as_deref()),
                Generator::Template { template } => ("template", Some(template.as_str())),
            };
            entry.generator = Some(name);
            entry.template = template;
        }
    }
    entry
}

fn addon(a: &AddonSpec) -> Addon<'_> {
    Addon {
        plan: match &a.plan {
            Some(p) => format!("{}:{p}", a.addon),
            None => a.addon.to_string(),
        },
        options: a.version.as_deref().map(|version| AddonOptions { version }),
    }
}

fn formation_entry(f: &FormationEntry) -> Formation<'_> {
    Formation {
        amount: f.amount,
        size: f.size.map(|s| s.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::firewall_rules::FirewallRuleSpec;
    use crate::manifest::{check, ContainerSize, Scripts, Spanned};
    use crate::platform::test_day as day;

    fn s(v: &str) -> Option<Spanned<CompactString>> {
        Some(Spanned::new(v.into(), Span::new(3, 9)))
    }

    fn var(name: &str, value: EnvValue) -> EnvVar {
        EnvVar {
            name: name.into(),
            name_span: Span::new(1, 2),
            span: Span::new(4, 8),
            description: None,
            value,
            required: false,
        }
    }

    fn full() -> Manifest {
        Manifest {
            name: s("Café \"Crème\""),
            description: s("a\nb\t\u{1}"),
            logo: s("https://example.com/logo.svg"),
            website: s("https://example.com"),
            repository: s("https://github.com/o/r"),
            git_ref: s("main"),
            stack: s("scalingo-24"),
            env: Some(vec![
                EnvVar {
                    description: Some("the key".into()),
                    required: true,
                    ..var(
                        "SECRET",
                        EnvValue::Generator {
                            generator: Generator::Secret,
                        },
                    )
                },
                var("GONE", EnvValue::Delete),
                var("V", EnvValue::Value { value: "x".into() }),
                var(
                    "U",
                    EnvValue::Generator {
                        generator: Generator::Url {
                            template: Some("%URL%/admin".into()),
                        },
                    },
                ),
                var(
                    "T",
                    EnvValue::Generator {
                        generator: Generator::Template {
                            template: "%APP%-%PR_NUMBER%".into(),
                        },
                    },
                ),
                EnvVar {
                    description: Some("set me".into()),
                    ..var("ASK", EnvValue::Unset)
                },
            ]),
            addons: Some(vec![
                AddonSpec {
                    addon: "redis".into(),
                    plan: None,
                    version: None,
                    shape: AddonShape::Name,
                    span: Span::new(5, 6),
                },
                AddonSpec {
                    addon: "postgresql".into(),
                    plan: Some("postgresql-starter-512".into()),
                    version: Some("15".into()),
                    shape: AddonShape::Legacy,
                    span: Span::new(5, 6),
                },
            ]),
            formation: Some(vec![
                FormationEntry {
                    process_type: "web".into(),
                    name_span: Span::new(1, 2),
                    span: Span::new(3, 4),
                    amount: Some(2),
                    size: Some(ContainerSize::XXL),
                },
                FormationEntry {
                    process_type: "worker".into(),
                    name_span: Span::new(1, 2),
                    span: Span::new(3, 4),
                    amount: None,
                    size: None,
                },
            ]),
            scripts: Scripts {
                first_deploy: s("rake db:seed"),
                postdeploy: None,
            },
            copy_parent_database_urls: Some(Spanned::new(true, Span::new(0, 4))),
            firewall_rules: Some(vec![
                FirewallRuleSpec {
                    cidr: "10.0.0.0/24".to_string(),
                    written: "10.0.0.1/24".to_string(),
                    label: Some("office \"A\"".to_string()),
                    span: Span::new(7, 9),
                },
                FirewallRuleSpec {
                    cidr: "203.0.113.42/32".to_string(),
                    written: "203.0.113.42/32".to_string(),
                    label: None,
                    span: Span::new(7, 9),
                },
            ]),
        }
    }

    /// MAN-10: the documented key order, entry shapes and escaping, byte for byte.
    #[test]
    fn man_10_prints_the_documented_form() {
        let want = r#"{
  "name": "Café \"Crème\"",
  "description": "a\nb\t\u0001",
  "logo": "https://example.com/logo.svg",
  "website": "https://example.com",
  "repository": "https://github.com/o/r",
  "ref": "main",
  "stack": "scalingo-24",
  "env": {
    "SECRET": {
      "generator": "secret",
      "description": "the key",
      "required": true
    },
    "GONE": {
      "value": null
    },
    "V": {
      "value": "x"
    },
    "U": {
      "generator": "url",
      "template": "%URL%/admin"
    },
    "T": {
      "generator": "template",
      "template": "%APP%-%PR_NUMBER%"
    },
    "ASK": {
      "description": "set me"
    }
  },
  "addons": [
    {
      "plan": "redis"
    },
    {
      "plan": "postgresql:postgresql-starter-512",
      "options": {
        "version": "15"
      }
    }
  ],
  "formation": {
    "web": {
      "amount": 2,
      "size": "2XL"
    },
    "worker": {}
  },
  "scripts": {
    "first-deploy": "rake db:seed"
  },
  "copy_parent_database_urls": true,
  "firewall_rules": [
    {
      "cidr": "10.0.0.0/24",
      "label": "office \"A\""
    },
    {
      "cidr": "203.0.113.42/32"
    }
  ]
}
"#;
        assert_eq!(to_json(&full()), want);
    }

    /// MAN-10: the printed keys follow [`KEY_ORDER`] and [`ENV_ENTRY_ORDER`] (the structs'
    /// field order is what the printer follows).
    #[test]
    fn man_10_keys_follow_the_documented_orders() {
        let keys = |text: &str, indent: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.strip_prefix(indent))
                .filter_map(|l| l.strip_prefix('"'))
                .filter_map(|l| l.split_once("\": ").map(|(k, _)| k.to_string()))
                .collect()
        };
        assert_eq!(keys(&to_json(&full()), "  "), KEY_ORDER);
        let mut m = Manifest {
            env: Some(vec![EnvVar {
                description: Some("d".into()),
                required: true,
                ..var(
                    "T",
                    EnvValue::Generator {
                        generator: Generator::Template {
                            template: "t".into(),
                        },
                    },
                )
            }]),
            ..Manifest::default()
        };
        let mut want = ENV_ENTRY_ORDER.to_vec();
        want.retain(|k| *k != "value");
        assert_eq!(keys(&to_json(&m), "      "), want);
        m.env = Some(vec![var("V", EnvValue::Value { value: "v".into() })]);
        assert_eq!(keys(&to_json(&m), "      "), [ENV_ENTRY_ORDER[0]]);
    }

    /// MAN-10: the canonical form checks clean, means the same and is a fixed point.
    #[test]
    fn man_10_round_trip_and_fixed_point() {
        let m = full();
        let text = to_json(&m);
        let c = check(text.as_bytes(), day());
        assert_eq!(c.diagnostics, vec![]);
        let back = c.manifest.expect("an object");
        assert!(same_meaning(&m, &back));
        assert_eq!(to_json(&back), text);
    }

    /// MAN-10: the empty model is `{}`; empty sections are written, absent ones are not.
    #[test]
    fn man_10_empty_and_absent_sections() {
        assert_eq!(to_json(&Manifest::default()), "{}\n");
        let m = Manifest {
            env: Some(vec![]),
            addons: Some(vec![]),
            formation: Some(vec![]),
            ..Manifest::default()
        };
        assert_eq!(
            to_json(&m),
            "{\n  \"env\": {},\n  \"addons\": [],\n  \"formation\": {}\n}\n"
        );
        let back = check(to_json(&m).as_bytes(), day())
            .manifest
            .expect("an object");
        assert!(same_meaning(&m, &back));
    }

    /// MAN-10: spans and addon shapes are not part of the meaning; values are.
    #[test]
    fn man_10_same_meaning_ignores_spans_and_shapes_only() {
        let a = full();
        let mut b = full();
        b.name = Some(Spanned::new("Café \"Crème\"".into(), Span::new(40, 50)));
        if let Some(addons) = &mut b.addons {
            addons[0].shape = AddonShape::Object;
            addons[0].span = Span::new(70, 80);
        }
        if let Some(rules) = &mut b.firewall_rules {
            rules[0].written = "10.0.0.0/24".to_string();
            rules[0].span = Span::new(1, 3);
        }
        assert!(same_meaning(&a, &b));
        if let Some(rules) = &mut b.firewall_rules {
            rules.swap(0, 1);
        }
        assert!(!same_meaning(&a, &b), "order of firewall rules counts");
        b.firewall_rules = a.firewall_rules.clone();
        if let Some(env) = &mut b.env {
            env.swap(1, 2);
        }
        assert!(!same_meaning(&a, &b), "order of env counts");
        assert!(!same_meaning(&a, &Manifest::default()));
    }

    /// MAN-10, LIM-7: more than 1000 content findings on the canonical text end with the
    /// LIM-7 note, never an error, and the meaning is kept (a fuzzing find: 1000 entries `{}`
    /// and a deprecated stack).
    #[test]
    fn man_10_more_than_a_thousand_content_findings_end_with_the_note() {
        let m = Manifest {
            stack: s("scalingo-22"),
            env: Some(
                (0..1000)
                    .map(|i| var(&format!("V{i}"), EnvValue::Unset))
                    .collect(),
            ),
            ..Manifest::default()
        };
        let c = check(to_json(&m).as_bytes(), day());
        assert_eq!(c.errors, 0);
        assert_eq!(c.dropped, 1);
        let last = c.diagnostics.last().expect("findings");
        assert_eq!((last.code.as_str(), last.is_error()), ("SM0022", false));
        assert!(c.diagnostics[..1000]
            .iter()
            .all(|d| CONTENT_CODES.contains(&d.code)));
        assert!(same_meaning(&m, &c.manifest.expect("an object")));
    }

    /// MAN-10: the printer is total, even on models `check` never returns.
    #[test]
    fn man_10_any_model_prints_valid_json() {
        let mut m = full();
        m.env = Some(vec![
            var("A\"\u{0}", EnvValue::Unset),
            var("A\"\u{0}", EnvValue::Delete),
        ]);
        let text = to_json(&m);
        let c = check(text.as_bytes(), day());
        assert!(c.manifest.is_some());
        assert!(c.diagnostics.iter().any(|d| d.code == "SM0010"));
    }
}
