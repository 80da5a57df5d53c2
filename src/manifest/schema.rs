//! The engine's published JSON Schema (rule `MAN-11` of `spec/manifest.md`): the manifests
//! that [`check`](crate::manifest::check) accepts without an error, as a JSON Schema
//! (draft 2020-12) generated from the input-shaped types of this module.
//!
//! The types describe the document as it is *written*, every accepted form included (env
//! shorthands, addon strings and legacy objects, `quantity`, numbers where strings are
//! expected, ...): a form the engine reads with a warning or a note is valid here too, and
//! keys the engine ignores with a warning are allowed (no `additionalProperties: false`).
//! The document's top level is not a type of its own: its `properties` are built from
//! `validate::TOP_LEVEL`, the table `check` dispatches on, so that the top-level keys, their
//! descriptions and their value types are stated once. The types below are the values'
//! shapes; they derive [`schemars::JsonSchema`], which writes their schemas, and
//! [`serde::Deserialize`], whose attributes (`untagged`, `rename`) tell `schemars` how each
//! is written. [`schema`] is `schemars::schema_for!` of the document, with no
//! post-processing of the whole (one field transform drops the `"format": "uint32"` that
//! `schemars` gives `u32`, which is not a JSON Schema format). What the attributes of
//! `schemars` cannot say directly (key patterns, entry counts, the rules that tie an env
//! entry's `value`, `generator` and `template` together, the two addon object shapes,
//! `amount` with `quantity`) is added as schema keywords with `#[schemars(extend(...))]` on
//! the type it belongs to; each says which rule it writes.
//!
//! The schema and the engine disagree only where a parsed JSON value cannot show what the
//! engine reads (the bytes, the nesting, how a number is written): [`ALLOWED_DISAGREEMENTS`]
//! names them and [`allowed_disagreement`] tells whether a document has one.
//!
//! ```
//! use scalingo_manifest::manifest::schema;
//!
//! let text = schema::to_text();
//! assert!(text.starts_with("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\""));
//! let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
//! assert_eq!(value, schema::schema());
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::manifest::json::{self, Json, Node, MAX_DEPTH, MAX_INPUT_BYTES};
use crate::manifest::validate::{MAX_AMOUNT, MAX_ENV_VALUE_CHARS, TOP_LEVEL};

/// Variable names (rule `MAN-ENV-2`): 1 to 64 ASCII letters, digits and `_`, starting with
/// a letter (so neither with `_` nor with a digit). Defined with the rule, in
/// `manifest::names`.
pub use crate::manifest::names::ENV_NAME_PATTERN;

/// Process type names, the keys of `formation` (rule `MAN-FRM-2`): 1 to 24 ASCII letters
/// and digits. `postdeploy` matches, and is accepted (a warning: the entry is ignored).
/// Defined with the Procfile's name rule (`PROC-2`, decision D-15).
pub use crate::procfile::NAME_PATTERN as PROCESS_TYPE_PATTERN;

/// Addon references `provider[:plan]` (rule `MAN-ADD-2`): one or two lowercase IDs
/// `[a-z0-9][a-z0-9._-]*` separated by one `:`.
pub(crate) const ADDON_REFERENCE_PATTERN: &str = "^[a-z0-9][a-z0-9._-]*(:[a-z0-9][a-z0-9._-]*)?$";

/// One lowercase ID, no `:` (rules `MAN-ADD-2`, `MAN-ADD-6`): a legacy `addon_provider_id`
/// or `plan_id`.
pub(crate) const ADDON_ID_PATTERN: &str = "^[a-z0-9][a-z0-9._-]*$";

/// An IPv4 range in CIDR notation (rules `FW-3`, `FW-4`): four decimal octets from 0 to 255
/// without leading zeros, `/`, and a prefix length from 0 to 32 without leading zeros.
/// Exactly the strings `manifest::firewall_rules::check_rules` accepts as a range; host bits may be set
/// (`FW-5`, a warning).
pub const IPV4_CIDR_PATTERN: &str = "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12][0-9]|[0-9])$";

/// The manifest document (rule `MAN-11`): the root of the schema, an object whose
/// `properties` are built from `validate::TOP_LEVEL`, the one statement of the top-level
/// keys (each key's description, value schema and reader).
pub(crate) struct ManifestDocument;

/// The root's description.
const DOCUMENT_DESCRIPTION: &str =
    "The engine's reading of a Scalingo deploy manifest (`scalingo.json`, or Heroku's
`app.json`), rule `MAN-11`: a document is valid here exactly when `scalingo-manifest
check` finds no error in it, except for the disagreements `MAN-11` names (input over 1
MiB, nesting deeper than 32, how numbers are written). Every key is optional. Keys not
listed are allowed: the engine ignores them with a warning (`MAN-7`, `MAN-8`).";

impl JsonSchema for ManifestDocument {
    fn schema_name() -> Cow<'static, str> {
        "ManifestDocument".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut properties = serde_json::Map::new();
        for field in &TOP_LEVEL {
            let mut value = (field.schema)(generator);
            value.insert("description".into(), field.doc.into());
            properties.insert(field.key.into(), value.into());
        }
        json_schema!({
            "title": "Scalingo deploy manifest (scalingo-manifest)",
            "description": DOCUMENT_DESCRIPTION,
            "type": "object",
            "properties": properties,
        })
    }
}

/// `firewall_rules`: an array of rules (rule `FW-1`). More rules than the platform's
/// default limit is a warning, not an error (`FW-7`), so no `maxItems`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub(crate) struct FirewallRules(pub(crate) Vec<FirewallRule>);

/// One firewall rule (rule `FW-2`): `cidr` an IPv4 range in CIDR notation (`FW-3`,
/// `FW-4`; host bits may be set, `FW-5`), `label` a string, or `null` for none. Other keys
/// are ignored with a warning.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
pub(crate) struct FirewallRule {
    /// The range, for example `203.0.113.0/24`.
    #[schemars(regex(pattern = IPV4_CIDR_PATTERN))]
    pub(crate) cidr: String,
    /// The label; `""` and `null` mean no label (a note, `FW-2`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub(crate) label: Option<Option<String>>,
}

/// `env`: an object whose keys are variable names (rule `MAN-ENV-2`: 1 to 64 characters of
/// `[A-Za-z0-9_]`, not starting with `_` or a digit) and whose values are entries; at most
/// 1000 entries (`LIM-3`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[schemars(extend(
    "propertyNames" = { "pattern": ENV_NAME_PATTERN },
    "maxProperties" = crate::manifest::validate::MAX_ENV_ENTRIES,
))]
pub(crate) struct Env(pub(crate) BTreeMap<String, EnvEntry>);

/// One env entry: the object form, or a shorthand (rule `MAN-ENV-3`): a string means its
/// `value` (a warning; `""` deletes the variable), a number or a boolean means its JSON
/// text (a warning), `null` deletes the variable (a warning). An array is an error.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum EnvEntry {
    /// The object form (`MAN-ENV-4` to `MAN-ENV-13`).
    Object(EnvEntryObject),
    /// A shorthand: the entry's value written alone (`MAN-ENV-3`).
    Value(EnvValue),
}

/// An env entry object (rules `MAN-ENV-4` to `MAN-ENV-13`). `value` and `generator`
/// exclude each other (even `"value": null`); `template` needs the `url` or `template`
/// generator; the `template` generator needs a `template` (`MAN-ENV-6`, `MAN-ENV-7`,
/// decision D-10). An entry with neither `value` nor `generator` declares a variable the
/// user or the parent app sets (`MAN-ENV-13`). Other keys are ignored with a warning
/// (`MAN-ENV-11`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[schemars(extend("dependentSchemas" = {
    "value": { "not": { "required": ["generator"] } },
    "template": {
        "required": ["generator"],
        "properties": { "generator": { "enum": ["url", "template"] } }
    },
    "generator": {
        "if": { "properties": { "generator": { "const": "template" } } },
        "then": { "required": ["template"] }
    }
}))]
pub(crate) struct EnvEntryObject {
    /// What the variable is for (`MAN-ENV-10`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub(crate) description: Option<String>,
    /// Whether a one-click deploy asks the user for a value (default `false`); the strings
    /// `"true"` and `"false"` are read as the booleans, with a note (`MAN-ENV-9`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Flag")]
    pub(crate) required: Option<Flag>,
    /// The variable's default value (`MAN-ENV-4`); `""` and `null` delete the variable.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "EnvValue")]
    pub(crate) value: Option<EnvValue>,
    /// A generated default value (`MAN-ENV-6`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "GeneratorName")]
    pub(crate) generator: Option<GeneratorName>,
    /// The template of the `url` and `template` generators, at most 32768 characters; the
    /// tokens `%URL%`, `%APP%`, `%PARENT_APP%` and `%PR_NUMBER%` are expanded, any other
    /// `%NAME%` is kept with a warning (`MAN-ENV-5`, `MAN-ENV-7`, `MAN-ENV-8`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String", length(max = MAX_ENV_VALUE_CHARS), regex(pattern = NO_NUL_PATTERN))]
    pub(crate) template: Option<String>,
}

/// A string without a NUL character (rule `MAN-ENV-15`: no process environment can hold
/// one); line breaks are allowed (a warning).
pub(crate) const NO_NUL_PATTERN: &str = "^[^\\u0000]*$";

/// An env value (rules `MAN-ENV-3`, `MAN-ENV-4`, `MAN-ENV-5`, `MAN-ENV-15`): a string of at most 32768
/// characters; a number or a boolean, used as its JSON text (a number with a warning, a
/// boolean `value` with a note, decision D-8); or `null`, which deletes the variable (as
/// `""` does).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum EnvValue {
    /// The value; `""` deletes the variable.
    Text(#[schemars(length(max = MAX_ENV_VALUE_CHARS), regex(pattern = NO_NUL_PATTERN))] String),
    /// A number, used as its JSON text as written (a warning).
    Number(serde_json::Number),
    /// A boolean, used as `true` or `false` (a note as `value`, a warning as the shorthand).
    Bool(bool),
    /// `null`: deletes the variable.
    Null,
}

/// A generator name (rule `MAN-ENV-6`), case-sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum GeneratorName {
    /// 32 random lowercase hexadecimal characters (`GEN-1`).
    Secret,
    /// The app's URL, or its `template` with `%URL%` and the other tokens expanded.
    Url,
    /// The `template`, with its tokens expanded.
    Template,
}

/// A boolean; the strings `"true"` and `"false"` are read as the booleans, with a note
/// (rules `MAN-6`, `MAN-ENV-9`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum Flag {
    /// `true` or `false`.
    Bool(bool),
    /// `"true"` or `"false"` (a note).
    Text(BoolText),
}

/// The strings `"true"` and `"false"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BoolText {
    /// `"true"`.
    True,
    /// `"false"`.
    False,
}

/// `addons`: an array of at most 100 addons (rules `MAN-ADD-1`, `LIM-4`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[schemars(extend("maxItems" = crate::manifest::validate::MAX_ADDONS))]
pub(crate) struct Addons(pub(crate) Vec<Addon>);

/// One addon (rule `MAN-ADD-8`: a string or an object, decision D-6).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum Addon {
    /// `"provider"` or `"provider:plan"` with lowercase IDs (`MAN-ADD-2`); a
    /// `scalingo-<name>` provider is read as `<name>` and a `heroku-<name>` one is kept,
    /// each with a warning (`MAN-ADD-3`, `MAN-ADD-9`).
    Reference(#[schemars(regex(pattern = ADDON_REFERENCE_PATTERN))] String),
    /// The current object `{"plan": "provider[:plan]", "options": {"version": "..."}}`.
    Object(AddonObject),
    /// The legacy object `{"addon_provider_id", "plan_id", "options"}` (a warning: the
    /// platform ignores it, so it is not provisioned, decision D-6).
    Legacy(LegacyAddonObject),
}

/// An addon object `{"plan", "options"}` (rules `MAN-ADD-4`, `MAN-ADD-5`): it MUST NOT
/// also have the legacy `addon_provider_id` or `plan_id` (`MAN-ADD-6`). Heroku's `as` and
/// other keys are ignored with a warning (`MAN-ADD-4`, `MAN-ADD-7`).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[schemars(extend("not" = {
    "anyOf": [ { "required": ["addon_provider_id"] }, { "required": ["plan_id"] } ]
}))]
pub(crate) struct AddonObject {
    /// `provider` or `provider:plan`, lowercase IDs (`MAN-ADD-2`).
    #[schemars(regex(pattern = ADDON_REFERENCE_PATTERN))]
    pub(crate) plan: String,
    /// Options; only `version` is read (`MAN-ADD-5`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "AddonOptions")]
    pub(crate) options: Option<AddonOptions>,
}

/// The legacy addon object `{"addon_provider_id", "plan_id", "options"}` of 2020-2021
/// (rule `MAN-ADD-6`, a warning: the platform ignores it and nothing is provisioned from
/// it), without `plan`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[schemars(extend("not" = { "required": ["plan"] }))]
pub(crate) struct LegacyAddonObject {
    /// The provider, one lowercase ID without `:` (`MAN-ADD-2`).
    #[schemars(regex(pattern = ADDON_ID_PATTERN))]
    pub(crate) addon_provider_id: String,
    /// The plan, one lowercase ID (`MAN-ADD-2`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String", regex(pattern = ADDON_ID_PATTERN))]
    pub(crate) plan_id: Option<String>,
    /// Options; only `version` is read (`MAN-ADD-5`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "AddonOptions")]
    pub(crate) options: Option<AddonOptions>,
}

/// Addon options (rule `MAN-ADD-5`): only `version` is read; other options are ignored
/// with a warning.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub(crate) struct AddonOptions {
    /// The version to deploy; a number is used as its JSON text (a warning), `""` means
    /// the default version (a warning).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "AddonVersion")]
    pub(crate) version: Option<AddonVersion>,
}

/// An addon version: a string, or a number used as its JSON text (rule `MAN-ADD-5`).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum AddonVersion {
    /// The version, such as `"15"`.
    Text(String),
    /// A number, used as its JSON text (a warning).
    Number(serde_json::Number),
}

/// `formation`: containers by process type (rules `MAN-FRM-1`, `MAN-FRM-2`: keys of 1 to
/// 24 ASCII letters and digits; `postdeploy` is ignored with a warning), at most 100
/// entries (`LIM-5`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[schemars(extend(
    "propertyNames" = { "pattern": PROCESS_TYPE_PATTERN },
    "maxProperties" = crate::manifest::validate::MAX_FORMATION_ENTRIES,
))]
pub(crate) struct Formation(pub(crate) BTreeMap<String, FormationEntry>);

/// A formation entry (rules `MAN-FRM-3` to `MAN-FRM-6`): a missing `amount` or `size`
/// takes the parent's or the default; `amount` and Heroku's `quantity` exclude each other;
/// other keys are ignored with a warning.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[schemars(extend("not" = { "required": ["amount", "quantity"] }))]
pub(crate) struct FormationEntry {
    /// Number of containers, an integer literal from 0 to 1000 (`MAN-FRM-4`, `LIM-6`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "u32", range(max = MAX_AMOUNT), transform = no_format)]
    pub(crate) amount: Option<u32>,
    /// Heroku's name for `amount`, read as `amount` with a warning (`MAN-FRM-5`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "u32", range(max = MAX_AMOUNT), transform = no_format)]
    pub(crate) quantity: Option<u32>,
    /// Container size (`MAN-FRM-3`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "SizeName")]
    pub(crate) size: Option<SizeName>,
}

/// A container size, exactly as written (rule `MAN-FRM-3`, decision D-15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[allow(
    clippy::upper_case_acronyms,
    reason = "the platform's size names, as the schema prints them"
)]
pub(crate) enum SizeName {
    /// 256 MB.
    S,
    /// 512 MB, the default.
    M,
    /// 1024 MB.
    L,
    /// 2048 MB.
    XL,
    /// 4096 MB.
    #[serde(rename = "2XL")]
    XXL,
    /// 8192 MB.
    #[serde(rename = "3XL")]
    XXXL,
}

/// `scripts` (rules `MAN-SCR-*`): other keys (Heroku's `pr-predestroy`, dokku's `dokku`,
/// ...) are ignored with a warning.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub(crate) struct Scripts {
    /// One shell command line run after the first successful deployment (`MAN-SCR-2`);
    /// empty means none (a warning, `MAN-SCR-4`).
    #[serde(
        rename = "first-deploy",
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub(crate) first_deploy: Option<String>,
    /// Deprecated: use a `postdeploy:` line of the Procfile (a warning, `MAN-SCR-3`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub(crate) postdeploy: Option<String>,
}

/// Removes the `format` that `schemars` gives Rust integer types (`"uint32"`): it is not
/// a format of JSON Schema, and strict validators (Ajv) refuse unknown formats. The only
/// change made to what `schemars` writes; `minimum` and `maximum` say the range.
fn no_format(schema: &mut schemars::Schema) {
    schema.remove("format");
}

/// Deserializes a present member as `Some`: `null` is not an absent member (it is read by
/// `T`, which refuses it unless `null` is one of its forms).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The engine's JSON Schema (draft 2020-12) of a manifest document, rule `MAN-11`:
/// `schemars::schema_for!(ManifestDocument)` as a JSON value. Pure; the same value on
/// every call.
pub fn schema() -> Value {
    schemars::schema_for!(ManifestDocument).to_value()
}

/// [`schema`] as text, the bytes of `spec/manifest.schema.json` and of
/// `scalingo-manifest schema`: two-space indentation, one member per line, and a final
/// newline. Members are in a fixed order whatever the build's `serde_json` features: `$schema`,
/// `title`, `description`, `type` first, then the others by name.
pub fn to_text() -> String {
    let mut out = String::new();
    write_value(&schema(), 0, false, &mut out);
    out.push('\n');
    out
}

/// Keys written first, in this order; the others follow by name.
const FIRST_KEYS: [&str; 4] = ["$schema", "title", "description", "type"];

fn key_rank(key: &str) -> (usize, &str) {
    let rank = FIRST_KEYS
        .iter()
        .position(|k| *k == key)
        .unwrap_or(FIRST_KEYS.len());
    (rank, key)
}

/// Schema keywords whose value is a map of names (property names, definitions), not a
/// schema: its keys are written by name only.
const NAME_MAPS: [&str; 3] = ["properties", "$defs", "dependentSchemas"];

/// Writes `v` at `indent`; `names` says that `v` is a map of names (its keys are not
/// schema keywords and are sorted by name only).
fn write_value(v: &Value, indent: usize, names: bool, out: &mut String) {
    let pad = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', n));
    match v {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            if names {
                keys.sort();
            } else {
                keys.sort_by(|a, b| key_rank(a).cmp(&key_rank(b)));
            }
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                pad(indent + 2, out);
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push_str(": ");
                if let Some(child) = map.get(*k) {
                    let child_names = !names && NAME_MAPS.contains(&k.as_str());
                    write_value(child, indent + 2, child_names, out);
                }
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(indent, out);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(indent + 2, out);
                write_value(item, indent + 2, false, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(indent, out);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The documented disagreements between the schema and the engine (rule `MAN-11`): the
/// rule that explains each, and why a JSON Schema over the parsed value cannot follow it.
pub const ALLOWED_DISAGREEMENTS: [(&str, &str); 4] = [
    (
        "LIM-1",
        "input larger than 1 MiB: the engine does not read it, the schema never sees the bytes",
    ),
    (
        "LIM-2",
        "nesting deeper than 32 levels (counted over the text, dropped duplicate members included): an error for the engine; unknown keys may hold any value, and a depth limit on them is not written in the schema",
    ),
    (
        "MAN-FRM-4",
        "an `amount` or `quantity` written with a fraction, an exponent or a minus sign (`1.0`, `1e2`, `-0`) whose value is a whole number from 0 to 1000: an error for the engine, an integer for JSON Schema, which sees values, not how they are written",
    ),
    (
        "MAN-ENV-5",
        "an env value written as a number of more than 32768 characters: an error for the engine (its JSON text is the value), while `maxLength` applies to strings only",
    ),
];

/// Whether the schema's verdict on `text` may differ from the engine's, and by which
/// documented disagreement (rule `MAN-11`): the rule ID of the first of
/// [`ALLOWED_DISAGREEMENTS`] that `text` has, or `None` when the schema's verdict
/// (`value` valid against [`schema`]) MUST equal the engine's (`check(text)` has no
/// error).
///
/// `text` is the document and `value` the same text parsed as strict JSON (for example by
/// `serde_json::from_str`); a `value` that is not `text`'s gives an unspecified answer.
/// Checks, in this order: `LIM-1` (more than 1,048,576 bytes), `LIM-2` (more than 32
/// nested `[`/`{` outside strings), `MAN-FRM-4` (a `formation` entry's `amount` or
/// `quantity` that is a whole number from 0 to 1000 but not written as a plain integer),
/// `MAN-ENV-5` (an env shorthand or `value` that is a number written with more than 32768
/// characters). Time linear in the text; never panics.
pub fn allowed_disagreement(text: &str, value: &Value) -> Option<&'static str> {
    if text.len() > MAX_INPUT_BYTES {
        return Some("LIM-1");
    }
    if text_depth(text) > MAX_DEPTH {
        return Some("LIM-2");
    }
    if has_written_out_amount(value) {
        return Some("MAN-FRM-4");
    }
    if text.len() > MAX_ENV_VALUE_CHARS && has_long_number_value(text) {
        return Some("MAN-ENV-5");
    }
    None
}

/// The deepest nesting of `[` and `{` outside strings, as rule `LIM-2` counts it.
fn text_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// A formation `amount` or `quantity` whose value is a whole number in `0..=1000` but that
/// is not an unsigned integer literal (`serde_json` reads `1.0`, `1e2` and `-0` as floats).
fn has_written_out_amount(value: &Value) -> bool {
    let Some(Value::Object(formation)) = value.get("formation") else {
        return false;
    };
    formation.values().any(|entry| {
        ["amount", "quantity"].iter().any(|k| match entry.get(*k) {
            Some(Value::Number(n)) => {
                n.as_u64().is_none()
                    && n.as_f64().is_some_and(|f| {
                        f.fract() == 0.0 && (0.0..=f64::from(MAX_AMOUNT)).contains(&f)
                    })
            }
            _ => false,
        })
    })
}

/// An env entry whose shorthand or `value` is a number written with more than 32768
/// characters, read from the engine's own parse of the text (numbers as written).
fn has_long_number_value(text: &str) -> bool {
    let root = json::parse_then(text.as_bytes(), |_, _, root, _, _| root);
    let Some(Node {
        value: Json::Object(top),
        ..
    }) = &root
    else {
        return false;
    };
    let long =
        |n: &Node| matches!(n.value, Json::Number) && n.raw(text).len() > MAX_ENV_VALUE_CHARS;
    top.iter()
        .filter(|m| m.key == "env")
        .filter_map(|m| match &m.value.value {
            Json::Object(entries) => Some(entries),
            _ => None,
        })
        .flatten()
        .any(|entry| match &entry.value.value {
            Json::Object(fields) => fields.iter().any(|f| f.key == "value" && long(&f.value)),
            _ => long(&entry.value),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid(v: Value) -> bool {
        jsonschema::validator_for(&schema())
            .expect("the schema compiles")
            .is_valid(&v)
    }

    fn read<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, serde_json::Error> {
        serde_json::from_value(v)
    }

    // MAN-2, MAN-9: a present `null` is not an absent member; the string fields refuse it.
    #[test]
    fn man_11_null_is_not_an_absent_field() {
        assert!(!valid(json!({"name": null})));
        assert!(!valid(json!({"env": null})));
        assert!(!valid(json!({"addons": null})));
        assert!(!valid(json!({"scripts": {"first-deploy": null}})));
        assert!(read::<Scripts>(json!({"first-deploy": null})).is_err());
        assert!(read::<Env>(json!(null)).is_err());
        assert!(valid(json!({})));
        assert!(valid(json!({"name": "x", "$schema": "s", "ref": "main"})));
        let s: Scripts = read(json!({"first-deploy": "x"})).expect("valid");
        assert_eq!(s.first_deploy.as_deref(), Some("x"));
    }

    // MAN-2: the document's properties are the top-level keys, each described.
    #[test]
    fn man_11_properties_are_the_top_level_keys() {
        let value = schema();
        let properties = value["properties"].as_object().expect("properties");
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = TOP_LEVEL.iter().map(|f| f.key).collect();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        for field in &TOP_LEVEL {
            assert_eq!(
                properties[field.key]["description"], field.doc,
                "{}",
                field.key
            );
        }
    }

    // MAN-ENV-11, MAN-ADD-7, MAN-SCR-2, FW-2: each nested object's properties are the keys
    // `check` reads in it (the lists its did-you-mean hints and the canonical form use).
    #[test]
    fn man_11_nested_properties_are_the_keys_check_reads() {
        use crate::manifest::canonical::ENV_ENTRY_ORDER;
        use crate::manifest::firewall_rules::RULE_KEYS;
        use crate::manifest::validate::{ADDON_KEYS, ENV_ENTRY_KEYS, SCRIPT_KEYS};
        let value = schema();
        let names = |def: &str| -> Vec<String> {
            let mut v: Vec<String> = value["$defs"][def]["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{def} has properties"))
                .keys()
                .cloned()
                .collect();
            v.sort();
            v
        };
        let sorted = |keys: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            v.sort();
            v.dedup();
            v
        };
        assert_eq!(names("EnvEntryObject"), sorted(&ENV_ENTRY_KEYS));
        assert_eq!(sorted(&ENV_ENTRY_ORDER), sorted(&ENV_ENTRY_KEYS));
        assert_eq!(names("Scripts"), sorted(&SCRIPT_KEYS));
        assert_eq!(names("FirewallRule"), sorted(&RULE_KEYS));
        assert_eq!(
            names("FormationEntry"),
            sorted(&["amount", "quantity", "size"])
        );
        // `as` is Heroku's, read with a warning; the schema allows it as any other key.
        let mut addon = names("AddonObject");
        addon.extend(names("LegacyAddonObject"));
        addon.push("as".into());
        assert_eq!(
            sorted(&addon.iter().map(String::as_str).collect::<Vec<_>>()),
            sorted(&ADDON_KEYS)
        );
    }

    // MAN-ENV-3, MAN-ENV-4: every accepted env form deserializes; `"value": null` is a value.
    #[test]
    fn man_11_env_forms() {
        let env = read::<Env>(json!({
            "A": "x", "B": 5, "C": true, "D": null,
            "E": {"value": null}, "F": {"generator": "url", "template": "%URL%/a"},
            "G": {"required": "true", "description": "d"}
        }))
        .expect("valid")
        .0;
        assert_eq!(env["A"], EnvEntry::Value(EnvValue::Text("x".into())));
        assert!(matches!(env["B"], EnvEntry::Value(EnvValue::Number(_))));
        assert_eq!(env["C"], EnvEntry::Value(EnvValue::Bool(true)));
        assert_eq!(env["D"], EnvEntry::Value(EnvValue::Null));
        let EnvEntry::Object(e) = &env["E"] else {
            panic!("object form")
        };
        assert_eq!(e.value, Some(EnvValue::Null));
        let EnvEntry::Object(f) = &env["F"] else {
            panic!("object form")
        };
        assert_eq!(f.generator, Some(GeneratorName::Url));
        let EnvEntry::Object(g) = &env["G"] else {
            panic!("object form")
        };
        assert_eq!(g.required, Some(Flag::Text(BoolText::True)));
        assert!(read::<Env>(json!({"A": {"generator": "Secret"}})).is_err());
        assert!(read::<Env>(json!({"A": {"value": {}}})).is_err());
        assert!(read::<Env>(json!({"A": {"template": 5}})).is_err());
    }

    // MAN-ADD-2 .. MAN-ADD-8: the three addon shapes.
    #[test]
    fn man_11_addon_shapes() {
        let addons = read::<Addons>(json!([
            "redis:redis-starter-128",
            {"plan": "postgresql", "options": {"version": 15}, "as": "DB"},
            {"addon_provider_id": "redis", "plan_id": "redis-sandbox"}
        ]))
        .expect("valid")
        .0;
        assert_eq!(
            addons[0],
            Addon::Reference("redis:redis-starter-128".into())
        );
        let Addon::Object(o) = &addons[1] else {
            panic!("current object")
        };
        assert_eq!(o.plan, "postgresql");
        assert!(matches!(
            o.options.as_ref().and_then(|o| o.version.as_ref()),
            Some(AddonVersion::Number(_))
        ));
        let Addon::Legacy(l) = &addons[2] else {
            panic!("legacy object")
        };
        assert_eq!(l.plan_id.as_deref(), Some("redis-sandbox"));
        assert!(read::<Addons>(json!([5])).is_err());
        assert!(read::<Addons>(json!([{"options": {}}])).is_err());
    }

    // MAN-FRM-3, MAN-FRM-4: sizes are exact; amounts are unsigned integers.
    #[test]
    fn man_11_formation_entries() {
        let f = read::<Formation>(json!({"web": {"amount": 2, "size": "2XL"}, "worker": {}}))
            .expect("valid")
            .0;
        assert_eq!(f["web"].amount, Some(2));
        assert_eq!(f["web"].size, Some(SizeName::XXL));
        assert_eq!(f["worker"], FormationEntry::default());
        assert!(read::<Formation>(json!({"web": {"size": "m"}})).is_err());
        assert!(read::<Formation>(json!({"web": {"amount": 1.5}})).is_err());
        assert!(read::<Formation>(json!({"web": {"amount": -1}})).is_err());
    }

    #[test]
    fn man_11_schema_text_layout() {
        let text = to_text();
        assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
        let first: Vec<&str> = text.lines().skip(1).take(4).collect();
        assert_eq!(
            first
                .iter()
                .map(|l| l.split(':').next().unwrap_or("").trim())
                .collect::<Vec<_>>(),
            ["\"$schema\"", "\"title\"", "\"description\"", "\"type\""]
        );
        // Under `properties`, names keep their order by name: `$schema` then `addons` ...
        // and `description` is not moved first.
        let props = text.find("\n  \"properties\": {").expect("properties");
        let after: Vec<&str> = text[props..].lines().skip(2).take(1).collect();
        assert_eq!(after, ["    \"$schema\": {"]);
        let mut empty = String::new();
        write_value(&json!({"a": {}, "b": []}), 0, false, &mut empty);
        assert_eq!(empty, "{\n  \"a\": {},\n  \"b\": []\n}");
    }

    // LIM-2: depth counts brackets outside strings, escapes included.
    #[test]
    fn lim_2_man_11_text_depth() {
        assert_eq!(text_depth(""), 0);
        assert_eq!(text_depth("{}"), 1);
        assert_eq!(text_depth(r#"{"a": [[1], {"b": []}]}"#), 4);
        assert_eq!(text_depth(r#"{"a": "[[[{{{"}"#), 1);
        assert_eq!(text_depth(r#"{"a\"[[": "\\", "b": [[]]}"#), 3);
        assert_eq!(text_depth("]]]}}}["), 1);
    }

    // The classifier: each rule on its own document, in the documented order.
    #[test]
    fn man_11_text_orders_keywords_and_names_apart() {
        // Keywords: `$schema`, `title`, `description`, `type` first, then by name, at every
        // depth; the keys of a map of names (`properties`) by name only.
        let v = serde_json::json!({
            "items": {"$ref": "#/x", "type": "object"},
            "properties": {"type": {"type": "string"}, "$b": {"minimum": 1, "type": "integer"}},
            "type": "array",
        });
        let mut out = String::new();
        write_value(&v, 0, false, &mut out);
        let keys: Vec<&str> = out
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix('"'))
            .filter_map(|l| l.split_once("\":").map(|(k, _)| k))
            .collect();
        assert_eq!(
            keys,
            [
                "type",
                "items",
                "type",
                "$ref",
                "properties",
                "$b",
                "type",
                "minimum",
                "type",
                "type"
            ],
            "{out}"
        );
    }

    #[test]
    fn man_11_allowed_disagreement_names_the_rule() {
        let named = |text: &str| {
            let value: Value = serde_json::from_str(text).expect("strict JSON");
            allowed_disagreement(text, &value)
        };
        assert_eq!(
            named(r#"{"formation": {"web": {"amount": 1.0}}}"#),
            Some("MAN-FRM-4")
        );
        assert_eq!(
            named(r#"{"formation": {"web": {"quantity": 1e3}}}"#),
            Some("MAN-FRM-4")
        );
        assert_eq!(
            named(r#"{"formation": {"web": {"amount": -0}}}"#),
            Some("MAN-FRM-4")
        );
        assert_eq!(
            named(r#"{"formation": {"web": {"amount": 1e-400}}}"#),
            Some("MAN-FRM-4")
        );
        assert_eq!(named(r#"{"formation": {"web": {"amount": 1001.0}}}"#), None);
        assert_eq!(named(r#"{"formation": {"web": {"amount": 2.5}}}"#), None);
        assert_eq!(named(r#"{"formation": {"web": {"size": 1.0}}}"#), None);
        let deep = format!("{{\"x\": {}{}}}", "[".repeat(32), "]".repeat(32));
        assert_eq!(named(&deep), Some("LIM-2"));
        let deepest = format!("{{\"x\": {}{}}}", "[".repeat(31), "]".repeat(31));
        assert_eq!(named(&deepest), None, "32 levels are allowed");
        let largest = format!("{{\"x\": \"{}\"}}", "a".repeat(MAX_INPUT_BYTES - 9));
        assert_eq!(largest.len(), MAX_INPUT_BYTES);
        assert_eq!(named(&largest), None, "1 MiB is allowed");
        let long = format!(
            "{{\"env\": {{\"A\": {{\"value\": 0.{}1}}}}}}",
            "0".repeat(32767)
        );
        assert_eq!(named(&long), Some("MAN-ENV-5"));
        let short = format!("{{\"env\": {{\"A\": 0.{}1}}}}", "0".repeat(32765));
        assert_eq!(named(&short), None);
        let elsewhere = format!("{{\"x\": 0.{}1}}", "0".repeat(32767));
        assert_eq!(named(&elsewhere), None);
        let short_value_long_text = format!(
            "{{\"env\": {{\"A\": {{\"value\": 1}}}}, \"x\": \"{}\"}}",
            "a".repeat(40000)
        );
        assert_eq!(named(&short_value_long_text), None);
        // LIM-1 comes first, whatever else the document has.
        let big = format!(
            "{{\"formation\": {{\"web\": {{\"amount\": 1.0}}}}{}}}",
            " ".repeat(MAX_INPUT_BYTES)
        );
        assert_eq!(named(&big), Some("LIM-1"));
        assert_eq!(ALLOWED_DISAGREEMENTS.len(), 4);
    }
}
