//! The typed manifest: what a `scalingo.json` / `app.json` means once validated.
//!
//! Every field a user can write in the Scalingo dialect has a typed home here; Heroku and
//! dokku vocabulary that Scalingo does not use is reported by validation (never dropped
//! silently) and does not appear in the model. Spans point into the original bytes.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use crate::manifest::firewall_rules::FirewallRuleSpec;
use crate::text::Span;

/// A value with the byte span it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written (the JSON value, quotes included for strings).
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A validated manifest (spec rules `MAN-*`).
///
/// `None` fields were absent from the document. The distinction matters: an absent `env`
/// or `addons` key lets a review app inherit from its parent app, while a present key
/// (even empty) replaces the parent's addons (rule `ADD-1`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// `name`: complete name of the project.
    pub name: Option<Spanned<CompactString>>,
    /// `description`: one or two sentences.
    pub description: Option<Spanned<CompactString>>,
    /// `logo`: URL of the project's logo.
    pub logo: Option<Spanned<CompactString>>,
    /// `website`: the project's website.
    pub website: Option<Spanned<CompactString>>,
    /// `repository`: Git repository of the code to deploy (one-click source, rule `SRC-*`).
    pub repository: Option<Spanned<CompactString>>,
    /// `ref`: branch name or commit ID of the code to deploy.
    #[serde(rename = "ref")]
    pub git_ref: Option<Spanned<CompactString>>,
    /// `stack`: the stack the app runs on, for example `scalingo-22`.
    pub stack: Option<Spanned<CompactString>>,
    /// `env`: environment variable rules, in document order, names unique (a duplicate
    /// name keeps the last entry, rule `JSON-8`).
    pub env: Option<Vec<EnvVar>>,
    /// `addons`: addons to provision, in document order.
    pub addons: Option<Vec<AddonSpec>>,
    /// `scripts`: deployment hooks declared in the manifest.
    pub scripts: Scripts,
    /// `formation`: containers to start, in document order, process types unique.
    pub formation: Option<Vec<FormationEntry>>,
    /// `copy_parent_database_urls`: whether a review app copies the parent's database
    /// connection URLs instead of using its own addons' (rule `ENV-*`).
    pub copy_parent_database_urls: Option<Spanned<bool>>,
    /// `firewall_rules`: the Application Firewall rules of a review app (replacing the
    /// parent app's) or of a one-click app, in document order, as read by rules `FW-1` to
    /// `FW-7`; `None` when the key is absent, or unusable (`FW-1`).
    pub firewall_rules: Option<Vec<FirewallRuleSpec>>,
}

/// One entry of `env` (rules `MAN-ENV-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    /// Variable name (the key of the `env` object).
    pub name: CompactString,
    /// Span of the key.
    pub name_span: Span,
    /// Span of the entry's value (the object, or the string of the shorthand form).
    pub span: Span,
    /// `description`, if given.
    pub description: Option<CompactString>,
    /// What the manifest says the value is.
    pub value: EnvValue,
    /// `required`: one-click deploys must not start without a value (default `false`).
    pub required: bool,
}

/// The value rule of an env entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EnvValue {
    /// Neither value nor generator: the variable is only set by the user (one-click) or
    /// kept from the parent app (review app).
    Unset,
    /// `value`: a literal default (never empty: `""` is [`EnvValue::Delete`]).
    Value {
        /// The literal.
        value: CompactString,
    },
    /// `"value": null` or `"value": ""`: remove the variable (for example one inherited
    /// from the parent app).
    Delete,
    /// `generator`: the value is generated.
    Generator {
        /// Which generator.
        generator: Generator,
    },
}

/// A value generator (rules `GEN-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Generator {
    /// `secret`: 32 lowercase hexadecimal characters.
    Secret,
    /// `url`: the app's URL, or `template` with `%URL%` and the other tokens expanded.
    Url {
        /// Optional template.
        template: Option<CompactString>,
    },
    /// `template`: the template with its tokens expanded.
    Template {
        /// The template.
        template: CompactString,
    },
}

/// How an addon was written (all shapes mean the same thing once validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddonShape {
    /// `"redis"`.
    Name,
    /// `"redis:redis-starter-128"`.
    NamePlan,
    /// `{"plan": "redis:redis-starter-128", "options": {"version": "7"}}` (current shape).
    Object,
    /// `{"addon_provider_id": "redis", "plan_id": "redis-starter-128"}` (Oct 2020 - Apr 2021).
    /// The platform ignores this shape (decision D-6, revised 2026-12-07): `check` reports it
    /// (SM0308, rule `MAN-ADD-6`) and leaves it out of the manifest, and
    /// `addons::resolve` never provisions an entry of this shape (rule `ADD-9`).
    Legacy,
}

/// One addon to provision (rules `MAN-ADD-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddonSpec {
    /// Addon provider ID, for example `postgresql`.
    pub addon: CompactString,
    /// Plan ID, for example `postgresql-starter-512`; `None` means the provider's default
    /// plan (or the parent's plan for a review app, rule `ADD-*`).
    pub plan: Option<CompactString>,
    /// `options.version`, if given.
    pub version: Option<CompactString>,
    /// How it was written.
    pub shape: AddonShape,
    /// Span of the array element.
    pub span: Span,
}

/// A container size (rule `MAN-FRM-*`): `S M L XL 2XL 3XL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ContainerSize {
    /// 256 MB.
    S,
    /// 512 MB (the default size).
    M,
    /// 1024 MB.
    L,
    /// 2048 MB.
    XL,
    /// 4096 MB.
    #[serde(rename = "2XL")]
    XXL,
    /// 8192 MB (since 2026-07-21).
    #[serde(rename = "3XL")]
    XXXL,
}

impl ContainerSize {
    /// Every size, smallest first.
    pub const ALL: [ContainerSize; 6] = [
        ContainerSize::S,
        ContainerSize::M,
        ContainerSize::L,
        ContainerSize::XL,
        ContainerSize::XXL,
        ContainerSize::XXXL,
    ];

    /// The name as written in a manifest (`"2XL"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerSize::S => "S",
            ContainerSize::M => "M",
            ContainerSize::L => "L",
            ContainerSize::XL => "XL",
            ContainerSize::XXL => "2XL",
            ContainerSize::XXXL => "3XL",
        }
    }

    /// Parses an exact size name (case-sensitive); `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        ContainerSize::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Memory in megabytes, from the platform catalogue (rule `PLAT-4`; `0` would mean a
    /// size the catalogue lacks, which `tests/platform_catalogue.rs` rules out).
    pub fn memory_mb(self) -> u32 {
        crate::platform::container_size_named(self.as_str()).map_or(0, |c| c.memory_mb)
    }
}

/// One process type of `formation` (rules `MAN-FRM-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormationEntry {
    /// Process type name (the key).
    pub process_type: CompactString,
    /// Span of the key.
    pub name_span: Span,
    /// Span of the entry's value.
    pub span: Span,
    /// `amount` (or Heroku's `quantity`); `None` when absent.
    pub amount: Option<u32>,
    /// `size`; `None` when absent.
    pub size: Option<ContainerSize>,
}

/// `scripts` (rules `MAN-SCR-*`). Empty strings are treated as absent (with a warning).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scripts {
    /// `scripts.first-deploy`.
    pub first_deploy: Option<Spanned<CompactString>>,
    /// `scripts.postdeploy` (deprecated).
    pub postdeploy: Option<Spanned<CompactString>>,
}
