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
//! descriptions and their value types are stated once. The objects nested in it (an env
//! entry, the two addon objects and their options, a formation entry, `scripts`, a firewall
//! rule) are `Shape`s in the same way: a table of `Field`s (key, description, value
//! schema, required or not) from which their schemas are built and the validator's key lists
//! derived, with the keywords that tie their keys together (`not`, `dependentSchemas`),
//! each naming its rule. The other values (the env map, its shorthands, the addon list, the
//! formation map, sizes, generator names) derive [`schemars::JsonSchema`], whose `serde`
//! attributes (`untagged`, `rename`) say how each is written; what those cannot say (key
//! patterns, entry counts) is added with `#[schemars(extend(...))]` on the type it belongs
//! to. [`schema`] is `schemars::schema_for!` of the document, with no post-processing.
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

/// One key of an object nested in a manifest (an env entry, an addon, a formation entry,
/// `scripts`, a firewall rule): the key, the description the JSON Schema gives it and the
/// schema of its value.
///
/// Each [`Shape`]'s table is the one statement of the keys `check` reads in that object:
/// the JSON Schema's `properties` are built from it, and the validator's key lists (its
/// did-you-mean candidates and the keys its hints name) are derived from it with [`keys`].
/// A test holds the validator's readers to it: every key of a table is read, no other is
/// (rules `MAN-ENV-11`, `MAN-ADD-7`, `MAN-FRM-6`, `MAN-SCR-2`, `FW-2`).
pub(crate) struct Field {
    /// The key, as written.
    pub(crate) key: &'static str,
    /// What the key is for and the rules that read it: the schema property's description.
    pub(crate) doc: &'static str,
    /// The schema of the key's value.
    pub(crate) schema: fn(&mut SchemaGenerator) -> Schema,
    /// Whether the object needs the key (the schema's `required`).
    pub(crate) required: bool,
    /// Another platform's name for a key of the same table, read as that key with a
    /// warning: never offered as a did-you-mean candidate.
    pub(crate) alias_of: Option<&'static str>,
}

impl Field {
    /// An optional key, not an alias.
    const fn optional(
        key: &'static str,
        doc: &'static str,
        schema: fn(&mut SchemaGenerator) -> Schema,
    ) -> Field {
        Field {
            key,
            doc,
            schema,
            required: false,
            alias_of: None,
        }
    }

    /// A key the object needs.
    const fn required(
        key: &'static str,
        doc: &'static str,
        schema: fn(&mut SchemaGenerator) -> Schema,
    ) -> Field {
        Field {
            required: true,
            ..Field::optional(key, doc, schema)
        }
    }
}

/// An object nested in a manifest: the name of its schema in `$defs`, its description,
/// its keys, and the keywords that tie its keys together (which exclude or need each
/// other), each writing the rule it names.
pub(crate) struct Shape {
    /// The name of its schema in the document's `$defs`.
    pub(crate) name: &'static str,
    /// The schema's description.
    pub(crate) doc: &'static str,
    /// Its keys, in the order the validator's hints name them.
    pub(crate) fields: &'static [Field],
    /// Keywords written beside `properties` (`not`, `dependentSchemas`), as a JSON object.
    pub(crate) ties: fn() -> Value,
}

impl Shape {
    /// The object's schema: `type`, `properties` built from [`Shape::fields`], `required`
    /// when a key is, and the ties.
    fn schema(&self, generator: &mut SchemaGenerator) -> Schema {
        let mut properties = serde_json::Map::new();
        for field in self.fields {
            let mut value = (field.schema)(generator);
            value.insert("description".into(), field.doc.into());
            properties.insert(field.key.into(), value.into());
        }
        let mut schema = json_schema!({
            "description": self.doc,
            "type": "object",
            "properties": properties,
        });
        let required: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.key)
            .collect();
        if !required.is_empty() {
            schema.insert("required".into(), required.into());
        }
        if let Value::Object(ties) = (self.ties)() {
            for (keyword, value) in ties {
                schema.insert(keyword, value);
            }
        }
        schema
    }
}

/// The keys of a table of fields, in its order: the validator's key lists.
pub(crate) const fn keys<const N: usize>(fields: &[Field; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = fields[i].key;
        i += 1;
    }
    out
}

/// The keys of a table that are not aliases, in its order (the did-you-mean candidates);
/// `M` is their number, checked when the constant is evaluated.
pub(crate) const fn own_keys<const N: usize, const M: usize>(
    fields: &[Field; N],
) -> [&'static str; M] {
    let mut out = [""; M];
    let (mut i, mut j) = (0, 0);
    while i < N {
        if fields[i].alias_of.is_none() {
            out[j] = fields[i].key;
            j += 1;
        }
        i += 1;
    }
    assert!(j == M, "M is the number of keys that are not aliases");
    out
}

/// A string schema, for a table.
fn string(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<String>()
}

/// Declares a unit type whose schema is a [`Shape`]'s, named as the shape says.
macro_rules! shaped {
    ($(#[$doc:meta])* $ty:ident => $shape:path) => {
        $(#[$doc])*
        pub(crate) struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $shape.name.into()
            }

            fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                $shape.schema(generator)
            }
        }
    };
}

/// `firewall_rules`: an array of rules (rule `FW-1`). More rules than the platform's
/// default limit is a warning, not an error (`FW-7`), so no `maxItems`.
#[derive(JsonSchema)]
pub(crate) struct FirewallRules(
    #[allow(dead_code, reason = "read by the schema only")] Vec<FirewallRule>,
);

/// The keys of a firewall rule (rule `FW-2`).
pub(crate) const FIREWALL_RULE_FIELDS: [Field; 2] = [
    Field::required(
        "cidr",
        "The range, for example `203.0.113.0/24`.",
        |_| json_schema!({"type": "string", "pattern": IPV4_CIDR_PATTERN}),
    ),
    Field::optional(
        "label",
        "The label; `\"\"` and `null` mean no label (a note, `FW-2`).",
        |g| g.subschema_for::<Option<String>>(),
    ),
];

/// One firewall rule (rule `FW-2`).
pub(crate) const FIREWALL_RULE: Shape = Shape {
    name: "FirewallRule",
    doc: "One firewall rule (rule `FW-2`): `cidr` an IPv4 range in CIDR notation (`FW-3`,\n`FW-4`; host bits may be set, `FW-5`), `label` a string, or `null` for none. Other keys\nare ignored with a warning.",
    fields: &FIREWALL_RULE_FIELDS,
    ties: || Value::Null,
};

shaped!(
    /// The schema of one firewall rule: [`FIREWALL_RULE`].
    FirewallRule => FIREWALL_RULE
);

/// `env`: an object whose keys are variable names (rule `MAN-ENV-2`: 1 to 64 characters of
/// `[A-Za-z0-9_]`, not starting with `_` or a digit) and whose values are entries; at most
/// 1000 entries (`LIM-3`).
#[derive(JsonSchema)]
#[schemars(extend(
    "propertyNames" = { "pattern": ENV_NAME_PATTERN },
    "maxProperties" = crate::manifest::validate::MAX_ENV_ENTRIES,
))]
pub(crate) struct Env(
    #[allow(dead_code, reason = "read by the schema only")] BTreeMap<String, EnvEntry>,
);

/// One env entry: the object form, or a shorthand (rule `MAN-ENV-3`): a string means its
/// `value` (a warning; `""` deletes the variable), a number or a boolean means its JSON
/// text (a warning), `null` deletes the variable (a warning). An array is an error.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, reason = "read by the schema only")]
pub(crate) enum EnvEntry {
    /// The object form (`MAN-ENV-4` to `MAN-ENV-13`).
    Object(EnvEntryObject),
    /// A shorthand: the entry's value written alone (`MAN-ENV-3`).
    Value(EnvValue),
}

/// The keys of an env entry object (rule `MAN-ENV-11`), in the order its hints name them.
pub(crate) const ENV_ENTRY_FIELDS: [Field; 5] = [
    Field::optional(
        "description",
        "What the variable is for (`MAN-ENV-10`).",
        string,
    ),
    Field::optional(
        "value",
        "The variable's default value (`MAN-ENV-4`); `\"\"` and `null` delete the variable.",
        |g| g.subschema_for::<EnvValue>(),
    ),
    Field::optional(
        "generator",
        "A generated default value (`MAN-ENV-6`).",
        |g| g.subschema_for::<GeneratorName>(),
    ),
    Field::optional(
        "template",
        "The template of the `url` and `template` generators, at most 32768 characters; the\ntokens `%URL%`, `%APP%`, `%PARENT_APP%` and `%PR_NUMBER%` are expanded, any other\n`%NAME%` is kept with a warning (`MAN-ENV-5`, `MAN-ENV-7`, `MAN-ENV-8`).",
        |_| {
            json_schema!({
                "type": "string",
                "maxLength": MAX_ENV_VALUE_CHARS,
                "pattern": NO_NUL_PATTERN,
            })
        },
    ),
    Field::optional(
        "required",
        "Whether a one-click deploy asks the user for a value (default `false`); the strings\n`\"true\"` and `\"false\"` are read as the booleans, with a note (`MAN-ENV-9`).",
        |g| g.subschema_for::<Flag>(),
    ),
];

/// An env entry object (rules `MAN-ENV-4` to `MAN-ENV-13`).
pub(crate) const ENV_ENTRY: Shape = Shape {
    name: "EnvEntryObject",
    doc: "An env entry object (rules `MAN-ENV-4` to `MAN-ENV-13`). `value` and `generator`\nexclude each other (even `\"value\": null`); `template` needs the `url` or `template`\ngenerator; the `template` generator needs a `template` (`MAN-ENV-6`, `MAN-ENV-7`,\ndecision D-10). An entry with neither `value` nor `generator` declares a variable the\nuser or the parent app sets (`MAN-ENV-13`). Other keys are ignored with a warning\n(`MAN-ENV-11`).",
    fields: &ENV_ENTRY_FIELDS,
    ties: || {
        serde_json::json!({"dependentSchemas": {
            "value": { "not": { "required": ["generator"] } },
            "template": {
                "required": ["generator"],
                "properties": { "generator": { "enum": ["url", "template"] } }
            },
            "generator": {
                "if": { "properties": { "generator": { "const": "template" } } },
                "then": { "required": ["template"] }
            }
        }})
    },
};

shaped!(
    /// The schema of an env entry object: [`ENV_ENTRY`].
    EnvEntryObject => ENV_ENTRY
);

/// A string without a NUL character (rule `MAN-ENV-15`: no process environment can hold
/// one); line breaks are allowed (a warning).
pub(crate) const NO_NUL_PATTERN: &str = "^[^\\u0000]*$";

/// An env value (rules `MAN-ENV-3`, `MAN-ENV-4`, `MAN-ENV-5`, `MAN-ENV-15`): a string of at most 32768
/// characters; a number or a boolean, used as its JSON text (a number with a warning, a
/// boolean `value` with a note, decision D-8); or `null`, which deletes the variable (as
/// `""` does).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, reason = "read by the schema only")]
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
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code, reason = "read by the schema only")]
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
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, reason = "read by the schema only")]
pub(crate) enum Flag {
    /// `true` or `false`.
    Bool(bool),
    /// `"true"` or `"false"` (a note).
    Text(BoolText),
}

/// The strings `"true"` and `"false"`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code, reason = "read by the schema only")]
pub(crate) enum BoolText {
    /// `"true"`.
    True,
    /// `"false"`.
    False,
}

/// `addons`: an array of at most 100 addons (rules `MAN-ADD-1`, `LIM-4`).
#[derive(JsonSchema)]
#[schemars(extend("maxItems" = crate::manifest::validate::MAX_ADDONS))]
pub(crate) struct Addons(#[allow(dead_code, reason = "read by the schema only")] Vec<Addon>);

/// One addon (rule `MAN-ADD-8`: a string or an object, decision D-6).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, reason = "read by the schema only")]
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

/// The description of an addon's `options`.
const ADDON_OPTIONS_DOC: &str = "Options; only `version` is read (`MAN-ADD-5`).";

/// The keys of an addon object (rules `MAN-ADD-4`, `MAN-ADD-5`).
pub(crate) const ADDON_FIELDS: [Field; 2] = [
    Field::required(
        "plan",
        "`provider` or `provider:plan`, lowercase IDs (`MAN-ADD-2`).",
        |_| json_schema!({"type": "string", "pattern": ADDON_REFERENCE_PATTERN}),
    ),
    Field::optional("options", ADDON_OPTIONS_DOC, |g| {
        g.subschema_for::<AddonOptions>()
    }),
];

/// An addon object `{"plan", "options"}` (rules `MAN-ADD-4`, `MAN-ADD-5`, `MAN-ADD-6`).
pub(crate) const ADDON: Shape = Shape {
    name: "AddonObject",
    doc: "An addon object `{\"plan\", \"options\"}` (rules `MAN-ADD-4`, `MAN-ADD-5`): it MUST NOT\nalso have the legacy `addon_provider_id` or `plan_id` (`MAN-ADD-6`). Heroku's `as` and\nother keys are ignored with a warning (`MAN-ADD-4`, `MAN-ADD-7`).",
    fields: &ADDON_FIELDS,
    ties: || {
        serde_json::json!({"not": {
            "anyOf": [ { "required": ["addon_provider_id"] }, { "required": ["plan_id"] } ]
        }})
    },
};

shaped!(
    /// The schema of an addon object: [`ADDON`].
    AddonObject => ADDON
);

/// The keys of the legacy addon object (rules `MAN-ADD-2`, `MAN-ADD-6`).
pub(crate) const LEGACY_ADDON_FIELDS: [Field; 3] = [
    Field::required(
        "addon_provider_id",
        "The provider, one lowercase ID without `:` (`MAN-ADD-2`).",
        |_| json_schema!({"type": "string", "pattern": ADDON_ID_PATTERN}),
    ),
    Field::optional(
        "plan_id",
        "The plan, one lowercase ID (`MAN-ADD-2`).",
        |_| json_schema!({"type": "string", "pattern": ADDON_ID_PATTERN}),
    ),
    Field::optional("options", ADDON_OPTIONS_DOC, |g| {
        g.subschema_for::<AddonOptions>()
    }),
];

/// The legacy addon object of 2020-2021 (rule `MAN-ADD-6`).
pub(crate) const LEGACY_ADDON: Shape = Shape {
    name: "LegacyAddonObject",
    doc: "The legacy addon object `{\"addon_provider_id\", \"plan_id\", \"options\"}` of 2020-2021\n(rule `MAN-ADD-6`, a warning: the platform ignores it and nothing is provisioned from\nit), without `plan`.",
    fields: &LEGACY_ADDON_FIELDS,
    ties: || serde_json::json!({"not": { "required": ["plan"] }}),
};

shaped!(
    /// The schema of the legacy addon object: [`LEGACY_ADDON`].
    LegacyAddonObject => LEGACY_ADDON
);

/// The keys of an addon's `options` (rule `MAN-ADD-5`).
pub(crate) const ADDON_OPTIONS_FIELDS: [Field; 1] = [Field::optional(
    "version",
    "The version to deploy; a number is used as its JSON text (a warning), `\"\"` means\nthe default version (a warning).",
    |g| g.subschema_for::<AddonVersion>(),
)];

/// Addon options (rule `MAN-ADD-5`).
pub(crate) const ADDON_OPTIONS: Shape = Shape {
    name: "AddonOptions",
    doc: "Addon options (rule `MAN-ADD-5`): only `version` is read; other options are ignored\nwith a warning.",
    fields: &ADDON_OPTIONS_FIELDS,
    ties: || Value::Null,
};

shaped!(
    /// The schema of an addon's options: [`ADDON_OPTIONS`].
    AddonOptions => ADDON_OPTIONS
);

/// An addon version: a string, or a number used as its JSON text (rule `MAN-ADD-5`).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, reason = "read by the schema only")]
pub(crate) enum AddonVersion {
    /// The version, such as `"15"`.
    Text(String),
    /// A number, used as its JSON text (a warning).
    Number(serde_json::Number),
}

/// `formation`: containers by process type (rules `MAN-FRM-1`, `MAN-FRM-2`: keys of 1 to
/// 24 ASCII letters and digits; `postdeploy` is ignored with a warning), at most 100
/// entries (`LIM-5`).
#[derive(JsonSchema)]
#[schemars(extend(
    "propertyNames" = { "pattern": PROCESS_TYPE_PATTERN },
    "maxProperties" = crate::manifest::validate::MAX_FORMATION_ENTRIES,
))]
pub(crate) struct Formation(
    #[allow(dead_code, reason = "read by the schema only")] BTreeMap<String, FormationEntry>,
);

/// A container count: an integer from 0 to [`MAX_AMOUNT`] (rules `MAN-FRM-4`, `LIM-6`).
fn amount(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT})
}

/// The keys of a formation entry (rules `MAN-FRM-3` to `MAN-FRM-6`).
pub(crate) const FORMATION_ENTRY_FIELDS: [Field; 3] = [
    Field::optional(
        "amount",
        "Number of containers, an integer literal from 0 to 1000 (`MAN-FRM-4`, `LIM-6`).",
        amount,
    ),
    Field {
        alias_of: Some("amount"),
        ..Field::optional(
            "quantity",
            "Heroku's name for `amount`, read as `amount` with a warning (`MAN-FRM-5`).",
            amount,
        )
    },
    Field::optional("size", "Container size (`MAN-FRM-3`).", |g| {
        g.subschema_for::<SizeName>()
    }),
];

/// A formation entry (rules `MAN-FRM-3` to `MAN-FRM-6`).
pub(crate) const FORMATION_ENTRY: Shape = Shape {
    name: "FormationEntry",
    doc: "A formation entry (rules `MAN-FRM-3` to `MAN-FRM-6`): a missing `amount` or `size`\ntakes the parent's or the default; `amount` and Heroku's `quantity` exclude each other;\nother keys are ignored with a warning.",
    fields: &FORMATION_ENTRY_FIELDS,
    ties: || serde_json::json!({"not": { "required": ["amount", "quantity"] }}),
};

shaped!(
    /// The schema of a formation entry: [`FORMATION_ENTRY`].
    FormationEntry => FORMATION_ENTRY
);

/// A container size, exactly as written (rule `MAN-FRM-3`, decision D-15).
#[derive(JsonSchema)]
#[allow(
    clippy::upper_case_acronyms,
    dead_code,
    reason = "the platform's size names, as the schema prints them; read by the schema only"
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

/// The keys of `scripts` Scalingo reads (rule `MAN-SCR-2`).
pub(crate) const SCRIPTS_FIELDS: [Field; 2] = [
    Field::optional(
        "first-deploy",
        "One shell command line run after the first successful deployment (`MAN-SCR-2`);\nempty means none (a warning, `MAN-SCR-4`).",
        string,
    ),
    Field::optional(
        "postdeploy",
        "Deprecated: use a `postdeploy:` line of the Procfile (a warning, `MAN-SCR-3`).",
        string,
    ),
];

/// `scripts` (rules `MAN-SCR-*`).
pub(crate) const SCRIPTS: Shape = Shape {
    name: "Scripts",
    doc: "`scripts` (rules `MAN-SCR-*`): other keys (Heroku's `pr-predestroy`, dokku's `dokku`,\n...) are ignored with a warning.",
    fields: &SCRIPTS_FIELDS,
    ties: || Value::Null,
};

shaped!(
    /// The schema of `scripts`: [`SCRIPTS`].
    Scripts => SCRIPTS
);

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
    json::parse_then(text.as_bytes(), |text, root, _, _| {
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
                Json::Object(entries) => Some(entries.iter()),
                _ => None,
            })
            .flatten()
            .any(|entry| match &entry.value.value {
                Json::Object(fields) => fields.iter().any(|f| f.key == "value" && long(&f.value)),
                _ => long(&entry.value),
            })
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

    // MAN-2, MAN-9: a present `null` is not an absent member; the string fields refuse it.
    #[test]
    fn man_11_null_is_not_an_absent_field() {
        assert!(!valid(json!({"name": null})));
        assert!(!valid(json!({"env": null})));
        assert!(!valid(json!({"addons": null})));
        assert!(!valid(json!({"scripts": {"first-deploy": null}})));
        assert!(valid(json!({"name": "x", "$schema": "s", "ref": "main"})));
        assert!(valid(json!({"scripts": {"first-deploy": "x"}})));
        assert!(!valid(json!({"env": {"A": {"description": null}}})));
        assert!(valid(
            json!({"firewall_rules": [{"cidr": "203.0.113.0/24", "label": null}]})
        ));
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

    // MAN-ENV-11, MAN-ADD-7, MAN-FRM-6, MAN-SCR-2, FW-2: each nested object's schema is its
    // shape's: the properties are the table's keys, each described, and the required keys
    // are the table's; the canonical form writes the env entry's keys and no other.
    #[test]
    fn man_11_nested_properties_are_the_shapes_keys() {
        use crate::manifest::canonical::ENV_ENTRY_ORDER;
        let value = schema();
        let shapes = [
            &ENV_ENTRY,
            &ADDON,
            &LEGACY_ADDON,
            &ADDON_OPTIONS,
            &FORMATION_ENTRY,
            &SCRIPTS,
            &FIREWALL_RULE,
        ];
        for shape in shapes {
            let def = &value["$defs"][shape.name];
            assert_eq!(def["type"], "object", "{}", shape.name);
            assert_eq!(def["description"], shape.doc, "{}", shape.name);
            let properties = def["properties"].as_object().expect("properties");
            let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
            let mut keys: Vec<&str> = shape.fields.iter().map(|f| f.key).collect();
            names.sort_unstable();
            keys.sort_unstable();
            assert_eq!(names, keys, "{}", shape.name);
            for field in shape.fields {
                assert_eq!(properties[field.key]["description"], field.doc);
            }
            let required: Vec<&str> = shape
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.key)
                .collect();
            match def.get("required") {
                Some(r) => assert_eq!(r, &json!(required), "{}", shape.name),
                None => assert!(required.is_empty(), "{}", shape.name),
            }
        }
        let mut order = ENV_ENTRY_ORDER.to_vec();
        let mut keys = keys(&ENV_ENTRY_FIELDS).to_vec();
        order.sort_unstable();
        keys.sort_unstable();
        assert_eq!(order, keys);
    }

    // MAN-ENV-3, MAN-ENV-4: every accepted env form is valid; `"value": null` is a value.
    #[test]
    fn man_11_env_forms() {
        let env = |entry: Value| valid(json!({"env": {"A": entry}}));
        for ok in [
            json!("x"),
            json!(5),
            json!(true),
            json!(null),
            json!({"value": null}),
            json!({"generator": "url", "template": "%URL%/a"}),
            json!({"required": "true", "description": "d"}),
        ] {
            assert!(env(ok.clone()), "{ok}");
        }
        for bad in [
            json!({"generator": "Secret"}),
            json!({"value": {}}),
            json!({"template": 5}),
            json!({"value": null, "generator": "secret"}),
            json!({"generator": "template"}),
            json!({"generator": "secret", "template": "t"}),
            json!([]),
        ] {
            assert!(!env(bad.clone()), "{bad}");
        }
    }

    // MAN-ADD-2 .. MAN-ADD-8: the three addon shapes.
    #[test]
    fn man_11_addon_shapes() {
        assert!(valid(json!({"addons": [
            "redis:redis-starter-128",
            {"plan": "postgresql", "options": {"version": 15}, "as": "DB"},
            {"addon_provider_id": "redis", "plan_id": "redis-sandbox"}
        ]})));
        assert!(!valid(json!({"addons": [5]})));
        assert!(!valid(json!({"addons": [{"options": {}}]})));
        assert!(!valid(
            json!({"addons": [{"plan": "redis", "plan_id": "x"}]})
        ));
        assert!(!valid(
            json!({"addons": [{"addon_provider_id": "redis", "plan": "redis"}]})
        ));
        assert!(!valid(json!({"addons": [{"plan": "Redis"}]})));
    }

    // MAN-FRM-3, MAN-FRM-4, MAN-FRM-5: sizes are exact; amounts are integers from 0 to 1000;
    // `amount` and `quantity` exclude each other.
    #[test]
    fn man_11_formation_entries() {
        let entry = |e: Value| valid(json!({"formation": {"web": e}}));
        assert!(entry(json!({"amount": 2, "size": "2XL"})));
        assert!(entry(json!({})));
        assert!(entry(json!({"quantity": 1000})));
        assert!(!entry(json!({"size": "m"})));
        assert!(!entry(json!({"amount": 1.5})));
        assert!(!entry(json!({"amount": -1})));
        assert!(!entry(json!({"amount": 1001})));
        assert!(!entry(json!({"amount": 1, "quantity": 1})));
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
