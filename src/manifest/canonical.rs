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

use crate::manifest::{
    AddonShape, AddonSpec, EnvValue, EnvVar, FormationEntry, Generator, Manifest,
};
use crate::text::Span;

/// The top-level keys of the canonical form, in the order they are written (rule
/// `MAN-10`); absent fields are left out. `$schema` is never written (it is not part of
/// the model).
pub const KEY_ORDER: [&str; 13] = [
    "name",
    "description",
    "logo",
    "website",
    "repository",
    "ref",
    "stack",
    "env",
    "addons",
    "formation",
    "scripts",
    "copy_parent_database_urls",
    "firewall_rules",
];

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
pub const CONTENT_CODES: [&str; 12] = [
    "SM0103", "SM0110", "SM0111", "SM0217", "SM0222", "SM0223", "SM0225", "SM0227", "SM0312",
    "SM0314", "SM0502", "SM1412",
];

/// A JSON value to print: members keep the order they are pushed in.
enum Value {
    Str(String),
    Bool(bool),
    Int(u32),
    Null,
    Object(Vec<(String, Value)>),
    Array(Vec<Value>),
}

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
    let mut out = String::new();
    write_value(&mut out, &manifest_value(m), 0);
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

fn manifest_value(m: &Manifest) -> Value {
    let mut members = Vec::new();
    let strings = [
        ("name", &m.name),
        ("description", &m.description),
        ("logo", &m.logo),
        ("website", &m.website),
        ("repository", &m.repository),
        ("ref", &m.git_ref),
        ("stack", &m.stack),
    ];
    for (key, field) in strings {
        if let Some(s) = field {
            members.push((key.to_string(), Value::Str(s.value.clone())));
        }
    }
    if let Some(env) = &m.env {
        let entries = env.iter().map(|e| (e.name.clone(), env_entry(e))).collect();
        members.push(("env".to_string(), Value::Object(entries)));
    }
    if let Some(addons) = &m.addons {
        members.push((
            "addons".to_string(),
            Value::Array(addons.iter().map(addon).collect()),
        ));
    }
    if let Some(formation) = &m.formation {
        let entries = formation
            .iter()
            .map(|f| (f.process_type.clone(), formation_entry(f)))
            .collect();
        members.push(("formation".to_string(), Value::Object(entries)));
    }
    let mut scripts = Vec::new();
    if let Some(s) = &m.scripts.first_deploy {
        scripts.push(("first-deploy".to_string(), Value::Str(s.value.clone())));
    }
    if let Some(s) = &m.scripts.postdeploy {
        scripts.push(("postdeploy".to_string(), Value::Str(s.value.clone())));
    }
    if !scripts.is_empty() {
        members.push(("scripts".to_string(), Value::Object(scripts)));
    }
    if let Some(c) = &m.copy_parent_database_urls {
        members.push((
            "copy_parent_database_urls".to_string(),
            Value::Bool(c.value),
        ));
    }
    if let Some(rules) = &m.firewall_rules {
        let rules = rules
            .iter()
            .map(|r| {
                let mut fields = vec![("cidr".to_string(), Value::Str(r.cidr.clone()))];
                if let Some(label) = &r.label {
                    fields.push(("label".to_string(), Value::Str(label.clone())));
                }
                Value::Object(fields)
            })
            .collect();
        members.push(("firewall_rules".to_string(), Value::Array(rules)));
    }
    Value::Object(members)
}

fn env_entry(e: &EnvVar) -> Value {
    let mut members = Vec::new();
    match &e.value {
        EnvValue::Unset => {}
        EnvValue::Value { value } => members.push(("value".to_string(), Value::Str(value.clone()))),
        EnvValue::Delete => members.push(("value".to_string(), Value::Null)),
        EnvValue::Generator { generator } => {
            let (name, template) = match generator {
                Generator::Secret => ("secret", None),
                Generator::Url { template } => ("url", template.as_ref()),
                Generator::Template { template } => ("template", Some(template)),
            };
            members.push(("generator".to_string(), Value::Str(name.to_string())));
            if let Some(t) = template {
                members.push(("template".to_string(), Value::Str(t.clone())));
            }
        }
    }
    if let Some(d) = &e.description {
        members.push(("description".to_string(), Value::Str(d.clone())));
    }
    if e.required {
        members.push(("required".to_string(), Value::Bool(true)));
    }
    Value::Object(members)
}

fn addon(a: &AddonSpec) -> Value {
    let plan = match &a.plan {
        Some(p) => format!("{}:{p}", a.addon),
        None => a.addon.clone(),
    };
    let mut members = vec![("plan".to_string(), Value::Str(plan))];
    if let Some(v) = &a.version {
        members.push((
            "options".to_string(),
            Value::Object(vec![("version".to_string(), Value::Str(v.clone()))]),
        ));
    }
    Value::Object(members)
}

fn formation_entry(f: &FormationEntry) -> Value {
    let mut members = Vec::new();
    if let Some(a) = f.amount {
        members.push(("amount".to_string(), Value::Int(a)));
    }
    if let Some(s) = f.size {
        members.push(("size".to_string(), Value::Str(s.as_str().to_string())));
    }
    Value::Object(members)
}

/// A JSON string literal, escaped by `serde_json` (infallible for a `str`).
fn string_literal(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes `v` at nesting `level`. The model's shape is at most five levels deep, so the
/// recursion is bounded.
fn write_value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Str(s) => out.push_str(&string_literal(s)),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Null => out.push_str("null"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Object(members) => {
            out.push_str("{\n");
            for (i, (key, value)) in members.iter().enumerate() {
                indent(out, level + 1);
                out.push_str(&string_literal(key));
                out.push_str(": ");
                write_value(out, value, level + 1);
                if i + 1 < members.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push('}');
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                write_value(out, item, level + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::firewall_rules::FirewallRuleSpec;
    use crate::manifest::{check, ContainerSize, Scripts, Spanned};
    use crate::platform::test_day as day;

    fn s(v: &str) -> Option<Spanned<String>> {
        Some(Spanned::new(v.to_string(), Span::new(3, 9)))
    }

    fn var(name: &str, value: EnvValue) -> EnvVar {
        EnvVar {
            name: name.to_string(),
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
                    description: Some("the key".to_string()),
                    required: true,
                    ..var(
                        "SECRET",
                        EnvValue::Generator {
                            generator: Generator::Secret,
                        },
                    )
                },
                var("GONE", EnvValue::Delete),
                var(
                    "V",
                    EnvValue::Value {
                        value: "x".to_string(),
                    },
                ),
                var(
                    "U",
                    EnvValue::Generator {
                        generator: Generator::Url {
                            template: Some("%URL%/admin".to_string()),
                        },
                    },
                ),
                var(
                    "T",
                    EnvValue::Generator {
                        generator: Generator::Template {
                            template: "%APP%-%PR_NUMBER%".to_string(),
                        },
                    },
                ),
                EnvVar {
                    description: Some("set me".to_string()),
                    ..var("ASK", EnvValue::Unset)
                },
            ]),
            addons: Some(vec![
                AddonSpec {
                    addon: "redis".to_string(),
                    plan: None,
                    version: None,
                    shape: AddonShape::Name,
                    span: Span::new(5, 6),
                },
                AddonSpec {
                    addon: "postgresql".to_string(),
                    plan: Some("postgresql-starter-512".to_string()),
                    version: Some("15".to_string()),
                    shape: AddonShape::Legacy,
                    span: Span::new(5, 6),
                },
            ]),
            formation: Some(vec![
                FormationEntry {
                    process_type: "web".to_string(),
                    name_span: Span::new(1, 2),
                    span: Span::new(3, 4),
                    amount: Some(2),
                    size: Some(ContainerSize::XXL),
                },
                FormationEntry {
                    process_type: "worker".to_string(),
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
        b.name = Some(Spanned::new(
            "Café \"Crème\"".to_string(),
            Span::new(40, 50),
        ));
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
            .all(|d| CONTENT_CODES.contains(&d.code.as_str())));
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
