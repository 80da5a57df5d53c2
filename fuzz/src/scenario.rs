//! The structure-aware input of `resolve_scenario`: a [`FuzzScenario`] decoded from the
//! fuzzer's bytes with `arbitrary`, then converted into the engine's
//! [`Scenario`](scalingo_manifest::scenario::Scenario).
//!
//! The library needs no `arbitrary` dependency: every type here is the fuzz crate's own.
//!
//! Choices are weighted so that most scenarios get past the input stages (an error there
//! stops resolution, rule `SCN-4`) and reach env, addons, formation and hooks, while every
//! kind of bad input still comes up often:
//!
//! - strings are [`Pick`]s from a [`Pool`] whose first values are valid: about two times
//!   in three one of those, else any value of the pool (invalid ones included), one time
//!   in sixteen a free string;
//! - values that should be strings are [`Val`]s: a string most of the time, else any JSON
//!   leaf (wrong types);
//! - rare shapes (a second, conflicting env field; Heroku's `as`; `quantity`) are
//!   [`Rare`];
//! - enums whose variants are not equally interesting implement `Arbitrary` by hand with
//!   weights.
//!
//! Values are drawn from small pools so that the interesting cases happen often: the same
//! variable in the manifest, the parent and the form; the same addon in the manifest and
//! the parent; `PROJECT_DIR` naming a folder of the tree. Manifests and Procfiles come as
//! text (any string, or one of the spec's example manifests) and as structure
//! ([`FuzzManifest`], [`FuzzProcfile`]), written out with layout variations.

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::{Arbitrary, Result, Unstructured};
use scalingo_manifest::addons::ParentAddon;
use scalingo_manifest::firewall::ParentFirewallRule;
use scalingo_manifest::formation::ProcessFormation;
use scalingo_manifest::hooks::{Attempt, BuildResult, HookResult, StartResult};
use scalingo_manifest::manifest::ContainerSize;
use scalingo_manifest::scenario::{AppSpec, ParentApp, RepositorySpec, Scenario};
use scalingo_manifest::source::OneClickRequest;
use scalingo_manifest::AppKind;

use crate::json_text::{self, Layout, J};

/// Most repository files kept from one input.
pub const MAX_FILES: usize = 24;
/// Most entries kept in any generated list (env, addons, formation, ...).
pub const MAX_ENTRIES: usize = 16;
/// Most attempts taken one by one; [`FuzzScenario::repeat`] can add up to
/// [`MAX_REPEAT`] more, past the engine's 1000-attempt limit (rule `HOOK-15`).
pub const MAX_ATTEMPTS: usize = 64;
/// Most copies of one attempt appended by [`FuzzScenario::repeat`].
pub const MAX_REPEAT: usize = 1100;

/// A pool of strings: the first `valid` are valid where the pool is used, the others are
/// not (or are warnings).
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    /// The values, valid ones first.
    pub values: &'static [&'static str],
    /// How many of the first values are valid.
    pub valid: usize,
}

/// App names (rule `SCN-2`).
pub const APP_NAMES: Pool = Pool {
    values: &[
        "my-app",
        "my-app-pr12",
        "a",
        "app-1",
        "x-",
        "-x",
        "My-App",
        "app_name",
        "",
    ],
    valid: 4,
};
/// Regions.
pub const REGIONS: Pool = Pool {
    values: &["osc-fr1", "osc-secnum-fr1", "", "us-east-1"],
    valid: 2,
};
/// Variable names: valid (addon-provided and `PROJECT_DIR` among them), then invalid
/// (rule `ENV-12`).
pub const ENV_NAMES: Pool = Pool {
    values: &[
        "A",
        "B",
        "SECRET_KEY",
        "DATABASE_URL",
        "SCALINGO_POSTGRESQL_URL",
        "SCALINGO_REDIS_URL",
        "PROJECT_DIR",
        "ADMIN_URL",
        "PORT",
        "_X",
        "1A",
        "BAD NAME",
        "",
        "É",
        "A-B",
    ],
    valid: 9,
};
/// Variable values.
pub const VALUES: Pool = Pool {
    values: &[
        "1",
        "x",
        "postgres://prod",
        "%URL%",
        "true",
        " ",
        "é😀",
        "a\nb",
        "",
    ],
    valid: 8,
};
/// Templates (rules `GEN-4` .. `GEN-7`); the last ones warn.
pub const TEMPLATES: Pool = Pool {
    values: &[
        "%URL%/admin",
        "%APP%",
        "%PARENT_APP%-%PR_NUMBER%",
        "https://%APP%.example.com",
        "PR %PR_NUMBER% of %PARENT_APP%",
        "%",
        "%%URL%%",
        "%UNKNOWN%",
        "%url%",
        "",
    ],
    valid: 7,
};
/// Generator names (rule `MAN-ENV-6`).
pub const GENERATORS: Pool = Pool {
    values: &["secret", "url", "template", "Secret", "echo 5", ""],
    valid: 3,
};
/// Keys of an env entry that Scalingo does not read.
pub const ENV_KEYS: Pool = Pool {
    values: &["default", "value ", "generate", "requried", "Value"],
    valid: 0,
};
/// Folders of the repository.
pub const DIRS: Pool = Pool {
    values: &["", "api", "services/api", "services", "apps/web", "a/b/c"],
    valid: 6,
};
/// File names: the ones the engine reads, then others.
pub const FILE_NAMES: Pool = Pool {
    values: &[
        "scalingo.json",
        "app.json",
        "Procfile",
        "README.md",
        "Scalingo.json",
        "procfile",
        ".git",
        "app.json.bak",
    ],
    valid: 3,
};
/// `PROJECT_DIR` values: as users write them, then hostile (rule `LOC-1`) or naming no
/// folder (rule `LOC-3`).
pub const PROJECT_DIRS: Pool = Pool {
    values: &[
        "",
        "api",
        "/api",
        "api/",
        "./api",
        "services/api",
        "services//api",
        "apps/web",
        "a/b/c",
        "a/b",
        ".",
        "/",
        "README.md",
        "nowhere",
        "..",
        "../x",
        "a/../b",
        "/abs/api",
        "a\0b",
        "a\\b",
        "\t",
        "é/ü",
        "~",
        "//",
        "./.",
    ],
    valid: 12,
};
/// Stacks (rule `MAN-5`, decision D-16).
pub const STACKS: Pool = Pool {
    values: &["scalingo-22", "scalingo-20", "heroku-16", "container", ""],
    valid: 2,
};
/// Firewall rule ranges (rules `FW-3` to `FW-5`): valid ones (one with host bits set),
/// then an address without prefix, IPv6, a prefix over 32, white space, leading zeros.
pub const CIDRS: Pool = Pool {
    values: &[
        "203.0.113.42/32",
        "10.0.0.0/24",
        "0.0.0.0/0",
        "10.0.0.1/24",
        "203.0.113.42",
        "2001:db8::/32",
        "10.0.0.0/33",
        " 10.0.0.0/8",
        "010.0.0.0/8",
        "10.0.0.0/08",
        "",
    ],
    valid: 4,
};
/// Firewall rule labels (rule `FW-2`); `""` is no label, with a note.
pub const FIREWALL_LABELS: Pool = Pool {
    values: &["office", "vpn", "Bureau \"Paris\"", ""],
    valid: 3,
};
/// Keys of a firewall rule object: the two of rule `FW-2`, then unknown ones.
pub const FIREWALL_RULE_KEYS: Pool = Pool {
    values: &["cidr", "label", "lable", "ip", "id"],
    valid: 2,
};
/// Addons as written in a manifest or a parent (decision D-6).
pub const ADDONS: Pool = Pool {
    values: &[
        "redis",
        "postgresql",
        "mongodb",
        "elasticsearch",
        "redis:redis-starter-128",
        "postgresql:postgresql-starter-512",
        "scalingo-redis",
        "redis:",
        ":plan",
        "",
    ],
    valid: 6,
};
/// Plans.
pub const PLANS: Pool = Pool {
    values: &[
        "redis-starter-128",
        "postgresql-starter-512",
        "elasticsearch-starter-1024",
        "",
        "x",
    ],
    valid: 3,
};
/// Addon versions.
pub const VERSIONS: Pool = Pool {
    values: &["7", "14", ""],
    valid: 2,
};
/// Process types (rule `PROC-2`, decision D-15).
pub const PROCESS_TYPES: Pool = Pool {
    values: &[
        "web",
        "worker",
        "clock",
        "postdeploy",
        "tcp",
        "Web",
        "web-1",
        "",
        "aaaaaaaaaaaaaaaaaaaaaaaaa",
    ],
    valid: 5,
};
/// Container sizes (decision D-15).
pub const SIZES: Pool = Pool {
    values: &[
        "S",
        "M",
        "L",
        "XL",
        "2XL",
        "3XL",
        "m",
        "xl",
        "free",
        "standard-1x",
        "",
    ],
    valid: 6,
};
/// Repository URLs for the request and the manifest (rules `SRC-*`).
pub const URLS: Pool = Pool {
    values: &[
        "https://github.com/owner/repo",
        "https://github.com/owner/repo#dev",
        "https://github.com/owner/repo/tree/feature",
        "https://github.com/owner/other",
        "https://user:token@github.com/owner/repo",
        "http://github.com/owner/repo.git",
        "https://gitlab.com/owner/repo",
        "git@github.com:owner/repo.git",
        "https://github.com/owner",
        "https://github.com/owner/repo#",
        "",
        "not a url",
    ],
    valid: 4,
};
/// Git refs (rule `SRC-7`).
pub const REFS: Pool = Pool {
    values: &[
        "main",
        "dev",
        "feature/x",
        "refs/heads/main",
        "",
        "..",
        "a b",
        "-x",
    ],
    valid: 4,
};
/// Hook scripts.
pub const SCRIPTS: Pool = Pool {
    values: &["bundle exec rake db:migrate", "./setup", "exit 1", "", "  "],
    valid: 3,
};
/// Keys of `scripts` (rule `MAN-SCR-*`).
pub const SCRIPT_KEYS: Pool = Pool {
    values: &[
        "first-deploy",
        "postdeploy",
        "pr-predestroy",
        "dokku",
        "firstdeploy",
    ],
    valid: 2,
};
/// Top-level keys, known, foreign and misspelt (rules `MAN-7`, `MAN-8`); with a leaf of
/// any type.
pub const TOP_KEYS: Pool = Pool {
    values: &[
        "$schema",
        "buildpacks",
        "environments",
        "image",
        "keywords",
        "success_url",
        "nmae",
        "adons",
        "name",
        "logo",
        "env",
        "addons",
        "formation",
        "scripts",
        "stack",
        "firewall_rules",
    ],
    valid: 0,
};
/// Numbers as written, for amounts (decision D-14): valid, then not.
pub const NUMBERS: Pool = Pool {
    values: &[
        "0",
        "1",
        "2",
        "-1",
        "1.0",
        "1e3",
        "1001",
        "4294967296",
        "-0",
    ],
    valid: 3,
};
/// Procfile commands.
pub const COMMANDS: Pool = Pool {
    values: &["./server", "bundle exec rake db:migrate", "a:b", " x ", ""],
    valid: 3,
};
/// Booleans as written (`required`, `copy_parent_database_urls`).
pub const BOOLS: Pool = Pool {
    values: &["true", "false", "yes"],
    valid: 2,
};

/// The spec's example manifests, as the fuzzer can pick them whole.
pub const EXAMPLE_MANIFESTS: &[&str] = &[
    include_str!("../../spec/examples/manifests/manifest-addons-example.json"),
    include_str!("../../spec/examples/manifests/manifest-env-example.json"),
    include_str!("../../spec/examples/manifests/manifest-formation-example.json"),
    include_str!("../../spec/examples/manifests/manifest-scripts-example.json"),
    include_str!("../../spec/examples/manifests/one-click-sample-go-martini.json"),
    include_str!("../../spec/examples/manifests/schema-formation-example.json"),
    include_str!("../../spec/examples/manifests/schema-sample-go-martini.json"),
];

/// A string from a [`Pool`]: a valid value for a byte under 176, any value of the pool up
/// to 240, else a free string (any string the fuzzer makes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// An index into the pool's valid values (modulo their number).
    Valid(u8),
    /// An index into the whole pool (modulo its length).
    Any(u8),
    /// Any string.
    Free(String),
}

impl<'a> Arbitrary<'a> for Pick {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let b = u8::arbitrary(u)?;
        Ok(match b {
            0..176 => Pick::Valid(b),
            176..240 => Pick::Any(b),
            _ => Pick::Free(String::arbitrary(u)?),
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, None)
    }
}

fn nth(values: &[&str], i: u8) -> String {
    values
        .get(usize::from(i) % values.len().max(1))
        .copied()
        .unwrap_or_default()
        .to_string()
}

impl Pick {
    /// The string this pick stands for in `pool` (a pool with no valid value picks from
    /// all its values; an empty pool gives `""`).
    pub fn get(&self, pool: Pool) -> String {
        match self {
            Pick::Valid(i) if pool.valid > 0 => nth(&pool.values[..pool.valid], *i),
            Pick::Valid(i) | Pick::Any(i) => nth(pool.values, *i),
            Pick::Free(s) => s.clone(),
        }
    }
}

/// `Some` one time in eight: a rare addition to an otherwise valid shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Rare<T>(pub Option<T>);

impl<'a, T: Arbitrary<'a>> Arbitrary<'a> for Rare<T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Rare(if u8::arbitrary(u)? >= 224 {
            Some(T::arbitrary(u)?)
        } else {
            None
        }))
    }
}

/// A JSON leaf of any type, for places that expect one type (rules `MAN-*` on types).
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum Leaf {
    /// A string from the pool of the place.
    Str(Pick),
    /// A small integer.
    Small(u8),
    /// Any integer.
    Int(i64),
    /// A number as written ([`NUMBERS`]).
    Number(Pick),
    /// `true`.
    True,
    /// `false`.
    False,
    /// `null`.
    Null,
    /// `[]`.
    EmptyArray,
    /// `{}`.
    EmptyObject,
    /// `n` nested arrays (rule `LIM-2` past 32).
    Nested(u8),
}

impl Leaf {
    fn to_json(&self, strings: Pool) -> J {
        match self {
            Leaf::Str(p) => J::Str(p.get(strings)),
            Leaf::Small(n) => J::Raw(n.to_string()),
            Leaf::Int(n) => J::Raw(n.to_string()),
            Leaf::Number(p) => match p {
                Pick::Free(s) => J::Str(s.clone()),
                p => J::Raw(p.get(NUMBERS)),
            },
            Leaf::True => J::Raw("true".into()),
            Leaf::False => J::Raw("false".into()),
            Leaf::Null => J::Raw("null".into()),
            Leaf::EmptyArray => J::Arr(Vec::new()),
            Leaf::EmptyObject => J::Obj(Vec::new()),
            Leaf::Nested(n) => {
                let n = usize::from(*n % 40);
                J::Raw(format!("{}{}", "[".repeat(n), "]".repeat(n)))
            }
        }
    }
}

/// A value that should be a string: a string (from the place's pool) seven times in
/// eight, else any JSON leaf.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A string.
    Str(Pick),
    /// Any leaf.
    Leaf(Leaf),
}

impl<'a> Arbitrary<'a> for Val {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u8::arbitrary(u)? < 224 {
            Val::Str(Pick::arbitrary(u)?)
        } else {
            Val::Leaf(Leaf::arbitrary(u)?)
        })
    }
}

impl Val {
    fn to_json(&self, pool: Pool) -> J {
        match self {
            Val::Str(p) => J::Str(p.get(pool)),
            Val::Leaf(l) => l.to_json(pool),
        }
    }
}

/// What an env entry object says about the value (decisions D-8 .. D-10).
#[derive(Debug, Clone, PartialEq)]
pub enum EnvRule {
    /// Neither `value` nor `generator`.
    Unset,
    /// `value`.
    Value(Val),
    /// `"generator": "secret"`.
    Secret,
    /// `"generator": "url"`, with or without `template`.
    Url(Option<Pick>),
    /// `"generator": "template"` with `template`.
    Template(Pick),
    /// Any generator name ([`GENERATORS`]) and any `template`: the invalid combinations.
    Other(Pick, Option<Pick>),
}

impl<'a> Arbitrary<'a> for EnvRule {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..40 => EnvRule::Unset,
            40..140 => EnvRule::Value(Val::arbitrary(u)?),
            140..180 => EnvRule::Secret,
            180..205 => EnvRule::Url(Option::arbitrary(u)?),
            205..240 => EnvRule::Template(Pick::arbitrary(u)?),
            _ => EnvRule::Other(Pick::arbitrary(u)?, Option::arbitrary(u)?),
        })
    }
}

/// A field of an env entry that Scalingo does not read, or one that conflicts.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum EnvExtra {
    /// A second `value`.
    Value(Leaf),
    /// A second `generator`.
    Generator(Pick),
    /// `template`.
    Template(Pick),
    /// `required` of any type.
    Required(Leaf),
    /// Another key ([`ENV_KEYS`]).
    Other(Pick, Leaf),
}

/// An env entry object.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct EnvObject {
    /// `description`.
    pub description: Option<Pick>,
    /// `value` / `generator` / `template`.
    pub rule: EnvRule,
    /// `required`.
    pub required: Option<bool>,
    /// A rare extra or conflicting field.
    pub extra: Rare<EnvExtra>,
}

/// An env entry: Heroku's shorthand (one time in five) or Scalingo's object.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvEntry {
    /// `"A": <value>`.
    Shorthand(Val),
    /// `"A": {...}`.
    Object(EnvObject),
}

impl<'a> Arbitrary<'a> for EnvEntry {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u8::arbitrary(u)? < 52 {
            EnvEntry::Shorthand(Val::arbitrary(u)?)
        } else {
            EnvEntry::Object(EnvObject::arbitrary(u)?)
        })
    }
}

/// An element of `addons` (decision D-6).
#[derive(Debug, Clone, PartialEq)]
pub enum AddonEntry {
    /// `"redis"` or `"redis:plan"` (half the entries).
    Name(Pick),
    /// `{"plan": ..., "options": {"version": ...}}`, rarely with Heroku's `as` or another
    /// option.
    Object {
        /// `plan`.
        plan: Val,
        /// `options.version`.
        version: Option<Pick>,
        /// Another option, rarely.
        other_option: Rare<(Pick, Leaf)>,
        /// Heroku's `as`, rarely.
        alias: Rare<Pick>,
    },
    /// `{"addon_provider_id": ..., "plan_id": ..., "options": {"version": ...}}`.
    Legacy {
        /// `addon_provider_id`.
        provider: Pick,
        /// `plan_id`.
        plan: Option<Pick>,
        /// `options.version`.
        version: Option<Pick>,
    },
    /// Any other JSON value (an error).
    Other(Leaf),
}

impl<'a> Arbitrary<'a> for AddonEntry {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..128 => AddonEntry::Name(Pick::arbitrary(u)?),
            128..208 => AddonEntry::Object {
                plan: Val::arbitrary(u)?,
                version: Option::arbitrary(u)?,
                other_option: Rare::arbitrary(u)?,
                alias: Rare::arbitrary(u)?,
            },
            208..240 => AddonEntry::Legacy {
                provider: Pick::arbitrary(u)?,
                plan: Option::arbitrary(u)?,
                version: Option::arbitrary(u)?,
            },
            _ => AddonEntry::Other(Leaf::arbitrary(u)?),
        })
    }
}

/// An `amount` or `quantity` (decision D-14): 0 to 3 most of the time.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    /// 0 to 3.
    Small(u8),
    /// Any non-negative integer.
    Any(u32),
    /// Any JSON value.
    Other(Leaf),
}

impl<'a> Arbitrary<'a> for Amount {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..208 => Amount::Small(u8::arbitrary(u)?),
            208..232 => Amount::Any(u32::arbitrary(u)?),
            _ => Amount::Other(Leaf::arbitrary(u)?),
        })
    }
}

impl Amount {
    fn to_json(&self) -> J {
        match self {
            Amount::Small(n) => J::Raw((n % 4).to_string()),
            Amount::Any(n) => J::Raw(n.to_string()),
            Amount::Other(leaf) => leaf.to_json(NUMBERS),
        }
    }

    fn value(&self) -> u32 {
        match self {
            Amount::Small(n) => u32::from(n % 4),
            Amount::Any(n) => *n,
            Amount::Other(_) => 1,
        }
    }
}

/// A formation entry's value (`{...}` nine times in ten, else any leaf).
#[derive(Debug, Clone, PartialEq)]
pub enum FormationValue {
    /// `{"amount": ..., "size": ...}`, rarely with `quantity` or another key.
    Object {
        /// `amount`.
        amount: Option<Amount>,
        /// `size` ([`SIZES`]).
        size: Option<Pick>,
        /// Heroku's `quantity`, rarely.
        quantity: Rare<Amount>,
        /// Another key, rarely.
        other: Rare<(Pick, Leaf)>,
    },
    /// Any other JSON value.
    Other(Leaf),
}

impl<'a> Arbitrary<'a> for FormationValue {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u8::arbitrary(u)? < 232 {
            FormationValue::Object {
                amount: Option::arbitrary(u)?,
                size: Option::arbitrary(u)?,
                quantity: Rare::arbitrary(u)?,
                other: Rare::arbitrary(u)?,
            }
        } else {
            FormationValue::Other(Leaf::arbitrary(u)?)
        })
    }
}

/// A top-level member of a generated manifest.
#[derive(Debug, Clone, PartialEq)]
pub enum TopMember {
    /// `name`, `description`, `logo` or `website` (by the byte), a string.
    Info(u8, Pick),
    /// `repository` ([`URLS`]).
    Repository(Pick),
    /// `ref` ([`REFS`]).
    Ref(Pick),
    /// `stack` ([`STACKS`]).
    Stack(Pick),
    /// `env`.
    Env(Vec<(Pick, EnvEntry)>),
    /// `addons`.
    Addons(Vec<AddonEntry>),
    /// `formation`.
    Formation(Vec<(Pick, FormationValue)>),
    /// `scripts`.
    Scripts(Vec<(Pick, Val)>),
    /// `copy_parent_database_urls`.
    CopyParentDatabaseUrls(Val),
    /// `firewall_rules`: each rule an object of members ([`FIREWALL_RULE_KEYS`]: `cidr`
    /// from [`CIDRS`], anything else from [`FIREWALL_LABELS`]), or any leaf.
    FirewallRules(Vec<FirewallRuleEntry>),
    /// Any key ([`TOP_KEYS`]) with any leaf: wrong types, foreign and unknown keys.
    Other(Pick, Leaf),
}

impl<'a> Arbitrary<'a> for TopMember {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..20 => TopMember::Info(u8::arbitrary(u)?, Pick::arbitrary(u)?),
            20..30 => TopMember::Repository(Pick::arbitrary(u)?),
            30..40 => TopMember::Ref(Pick::arbitrary(u)?),
            40..55 => TopMember::Stack(Pick::arbitrary(u)?),
            55..115 => TopMember::Env(Vec::arbitrary(u)?),
            115..155 => TopMember::Addons(Vec::arbitrary(u)?),
            155..195 => TopMember::Formation(Vec::arbitrary(u)?),
            195..225 => TopMember::Scripts(Vec::arbitrary(u)?),
            225..240 => TopMember::CopyParentDatabaseUrls(Val::arbitrary(u)?),
            240..250 => TopMember::FirewallRules(Vec::arbitrary(u)?),
            _ => TopMember::Other(Pick::arbitrary(u)?, Leaf::arbitrary(u)?),
        })
    }
}

/// One element of `firewall_rules` (rules `FW-2` to `FW-6`).
#[derive(Debug, Clone, PartialEq)]
pub enum FirewallRuleEntry {
    /// An object of members, in order (keys may repeat).
    Rule(Vec<(Pick, Val)>),
    /// Anything else (a string, a number, `null`, ...).
    Other(Leaf),
}

impl<'a> Arbitrary<'a> for FirewallRuleEntry {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u8::arbitrary(u)? < 232 {
            FirewallRuleEntry::Rule(Vec::arbitrary(u)?)
        } else {
            FirewallRuleEntry::Other(Leaf::arbitrary(u)?)
        })
    }
}

impl FirewallRuleEntry {
    fn to_json(&self) -> J {
        match self {
            FirewallRuleEntry::Rule(members) => J::Obj(
                truncated(members)
                    .iter()
                    .map(|(key, value)| {
                        let key = key.get(FIREWALL_RULE_KEYS);
                        let pool = if key == "cidr" {
                            CIDRS
                        } else {
                            FIREWALL_LABELS
                        };
                        (key, value.to_json(pool))
                    })
                    .collect(),
            ),
            FirewallRuleEntry::Other(leaf) => leaf.to_json(CIDRS),
        }
    }
}

/// A manifest as structure, written out as JSON text.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzManifest {
    /// Layout bits: 1 pretty, 2 CRLF; `0xFE` a byte order mark, `0xFD` trailing commas.
    pub layout: u8,
    /// Members, in order (keys may repeat).
    pub members: Vec<TopMember>,
}

fn truncated<T>(v: &[T]) -> &[T] {
    &v[..v.len().min(MAX_ENTRIES)]
}

impl FuzzManifest {
    /// The manifest's JSON value.
    pub fn to_json(&self) -> J {
        J::Obj(
            truncated(&self.members)
                .iter()
                .map(TopMember::to_member)
                .collect(),
        )
    }

    /// The manifest's text.
    pub fn to_text(&self) -> String {
        let layout = Layout {
            pretty: self.layout & 1 == 1,
            crlf: self.layout & 2 == 2,
            bom: self.layout == 0xFE,
            trailing_commas: self.layout == 0xFD,
        };
        json_text::write(&self.to_json(), layout)
    }
}

impl TopMember {
    fn to_member(&self) -> (String, J) {
        match self {
            TopMember::Info(which, p) => {
                let key = ["name", "description", "logo", "website"][usize::from(*which % 4)];
                (key.into(), J::Str(p.get(APP_NAMES)))
            }
            TopMember::Repository(p) => ("repository".into(), J::Str(p.get(URLS))),
            TopMember::Ref(p) => ("ref".into(), J::Str(p.get(REFS))),
            TopMember::Stack(p) => ("stack".into(), J::Str(p.get(STACKS))),
            TopMember::Env(entries) => (
                "env".into(),
                J::Obj(
                    truncated(entries)
                        .iter()
                        .map(|(name, entry)| (name.get(ENV_NAMES), entry.to_json()))
                        .collect(),
                ),
            ),
            TopMember::Addons(addons) => (
                "addons".into(),
                J::Arr(truncated(addons).iter().map(AddonEntry::to_json).collect()),
            ),
            TopMember::Formation(entries) => (
                "formation".into(),
                J::Obj(
                    truncated(entries)
                        .iter()
                        .map(|(name, value)| (name.get(PROCESS_TYPES), value.to_json()))
                        .collect(),
                ),
            ),
            TopMember::Scripts(scripts) => (
                "scripts".into(),
                J::Obj(
                    truncated(scripts)
                        .iter()
                        .map(|(key, value)| (key.get(SCRIPT_KEYS), value.to_json(SCRIPTS)))
                        .collect(),
                ),
            ),
            TopMember::CopyParentDatabaseUrls(v) => (
                "copy_parent_database_urls".into(),
                match v {
                    Val::Str(Pick::Valid(b)) if b % 2 == 0 => J::Raw(nth(BOOLS.values, *b / 2)),
                    v => v.to_json(BOOLS),
                },
            ),
            TopMember::FirewallRules(rules) => (
                "firewall_rules".into(),
                J::Arr(
                    truncated(rules)
                        .iter()
                        .map(FirewallRuleEntry::to_json)
                        .collect(),
                ),
            ),
            TopMember::Other(key, leaf) => (key.get(TOP_KEYS), leaf.to_json(VALUES)),
        }
    }
}

impl EnvEntry {
    fn to_json(&self) -> J {
        match self {
            EnvEntry::Shorthand(v) => v.to_json(VALUES),
            EnvEntry::Object(o) => {
                let mut members: Vec<(String, J)> = Vec::new();
                if let Some(d) = &o.description {
                    members.push(("description".into(), J::Str(d.get(VALUES))));
                }
                let generator = |name: &str| ("generator".to_string(), J::Str(name.into()));
                match &o.rule {
                    EnvRule::Unset => {}
                    EnvRule::Value(v) => members.push(("value".into(), v.to_json(VALUES))),
                    EnvRule::Secret => members.push(generator("secret")),
                    EnvRule::Url(template) => {
                        members.push(generator("url"));
                        if let Some(t) = template {
                            members.push(("template".into(), J::Str(t.get(TEMPLATES))));
                        }
                    }
                    EnvRule::Template(t) => {
                        members.push(generator("template"));
                        members.push(("template".into(), J::Str(t.get(TEMPLATES))));
                    }
                    EnvRule::Other(g, template) => {
                        members.push(("generator".into(), J::Str(g.get(GENERATORS))));
                        if let Some(t) = template {
                            members.push(("template".into(), J::Str(t.get(TEMPLATES))));
                        }
                    }
                }
                if let Some(r) = o.required {
                    members.push(("required".into(), J::Raw(r.to_string())));
                }
                if let Rare(Some(extra)) = &o.extra {
                    members.push(match extra {
                        EnvExtra::Value(leaf) => ("value".into(), leaf.to_json(VALUES)),
                        EnvExtra::Generator(p) => ("generator".into(), J::Str(p.get(GENERATORS))),
                        EnvExtra::Template(p) => ("template".into(), J::Str(p.get(TEMPLATES))),
                        EnvExtra::Required(leaf) => ("required".into(), leaf.to_json(BOOLS)),
                        EnvExtra::Other(key, leaf) => (key.get(ENV_KEYS), leaf.to_json(VALUES)),
                    });
                }
                J::Obj(members)
            }
        }
    }
}

impl AddonEntry {
    fn to_json(&self) -> J {
        let options = |version: &Option<Pick>, other: Option<(String, J)>| {
            let mut options: Vec<(String, J)> = Vec::new();
            if let Some(v) = version {
                options.push(("version".into(), J::Str(v.get(VERSIONS))));
            }
            options.extend(other);
            (!options.is_empty()).then(|| ("options".to_string(), J::Obj(options)))
        };
        match self {
            AddonEntry::Name(p) => J::Str(p.get(ADDONS)),
            AddonEntry::Object {
                plan,
                version,
                other_option,
                alias,
            } => {
                let mut members = vec![("plan".to_string(), plan.to_json(ADDONS))];
                let other = other_option
                    .0
                    .as_ref()
                    .map(|(key, leaf)| (key.get(VERSIONS), leaf.to_json(VALUES)));
                members.extend(options(version, other));
                if let Rare(Some(alias)) = alias {
                    members.push(("as".into(), J::Str(alias.get(ENV_NAMES))));
                }
                J::Obj(members)
            }
            AddonEntry::Legacy {
                provider,
                plan,
                version,
            } => {
                let mut members = vec![("addon_provider_id".into(), J::Str(provider.get(ADDONS)))];
                if let Some(plan) = plan {
                    members.push(("plan_id".into(), J::Str(plan.get(PLANS))));
                }
                members.extend(options(version, None));
                J::Obj(members)
            }
            AddonEntry::Other(leaf) => leaf.to_json(ADDONS),
        }
    }
}

impl FormationValue {
    fn to_json(&self) -> J {
        match self {
            FormationValue::Object {
                amount,
                size,
                quantity,
                other,
            } => {
                let mut members: Vec<(String, J)> = Vec::new();
                if let Some(a) = amount {
                    members.push(("amount".into(), a.to_json()));
                }
                if let Some(s) = size {
                    members.push(("size".into(), J::Str(s.get(SIZES))));
                }
                if let Rare(Some(q)) = quantity {
                    members.push(("quantity".into(), q.to_json()));
                }
                if let Rare(Some((key, leaf))) = other {
                    members.push((key.get(PROCESS_TYPES), leaf.to_json(SIZES)));
                }
                J::Obj(members)
            }
            FormationValue::Other(leaf) => leaf.to_json(SIZES),
        }
    }
}

/// One Procfile line.
#[derive(Debug, Clone, PartialEq)]
pub enum ProcLine {
    /// `<type>: <command>` (most lines).
    Entry(Pick, Pick),
    /// `  <type>: <command>` (indented).
    Indented(Pick, Pick),
    /// `# ...`.
    Comment(Pick),
    /// An empty line.
    Blank,
    /// Any text.
    Raw(String),
}

impl<'a> Arbitrary<'a> for ProcLine {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..180 => ProcLine::Entry(Pick::arbitrary(u)?, Pick::arbitrary(u)?),
            180..200 => ProcLine::Indented(Pick::arbitrary(u)?, Pick::arbitrary(u)?),
            200..220 => ProcLine::Comment(Pick::arbitrary(u)?),
            220..240 => ProcLine::Blank,
            _ => ProcLine::Raw(String::arbitrary(u)?),
        })
    }
}

/// A Procfile as structure.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzProcfile {
    /// Line ends by the low two bits: `\n`, `\r\n`, lone `\r`, or mixed; bit 0x80 keeps
    /// a process type written twice (rule `PROC-3`), which is otherwise written once.
    pub flags: u8,
    /// The lines.
    pub lines: Vec<ProcLine>,
}

impl FuzzProcfile {
    /// The Procfile's text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut seen = BTreeSet::new();
        let duplicates = self.flags & 0x80 != 0;
        for (i, line) in self.lines.iter().take(MAX_ENTRIES * 2).enumerate() {
            match line {
                ProcLine::Entry(t, c) | ProcLine::Indented(t, c) => {
                    let name = t.get(PROCESS_TYPES);
                    if !seen.insert(name.clone()) && !duplicates {
                        continue;
                    }
                    if matches!(line, ProcLine::Indented(..)) {
                        out.push_str("  ");
                    }
                    out.push_str(&format!("{name}: {}", c.get(COMMANDS)));
                }
                ProcLine::Comment(c) => out.push_str(&format!("# {}", c.get(COMMANDS))),
                ProcLine::Blank => {}
                ProcLine::Raw(s) => out.push_str(s),
            }
            out.push_str(match self.flags % 4 {
                0 => "\n",
                1 => "\r\n",
                2 => "\r",
                _ => ["\n", "\r\n", "\r"][i % 3],
            });
        }
        out
    }
}

/// A repository file's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A manifest for a manifest file name, a Procfile for a Procfile, the manifest
    /// otherwise (most files).
    Typed(FuzzManifest, FuzzProcfile),
    /// One of [`EXAMPLE_MANIFESTS`].
    Example(u8),
    /// Any text.
    Text(String),
    /// A generated manifest, whatever the file name.
    Manifest(FuzzManifest),
    /// A generated Procfile, whatever the file name.
    Procfile(FuzzProcfile),
}

impl<'a> Arbitrary<'a> for Content {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..150 => Content::Typed(FuzzManifest::arbitrary(u)?, FuzzProcfile::arbitrary(u)?),
            150..190 => Content::Example(u8::arbitrary(u)?),
            190..230 => Content::Text(String::arbitrary(u)?),
            230..245 => Content::Manifest(FuzzManifest::arbitrary(u)?),
            _ => Content::Procfile(FuzzProcfile::arbitrary(u)?),
        })
    }
}

impl Content {
    /// The text of a file named `name`.
    pub fn to_text(&self, name: &str) -> String {
        match self {
            Content::Typed(_, procfile) if name == "Procfile" => procfile.to_text(),
            Content::Typed(manifest, _) | Content::Manifest(manifest) => manifest.to_text(),
            Content::Procfile(p) => p.to_text(),
            Content::Text(s) => s.clone(),
            Content::Example(i) => nth(EXAMPLE_MANIFESTS, *i),
        }
    }
}

/// A repository file: folder, name and content.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzFile {
    /// Folder ([`DIRS`]); `None` is the repository root.
    pub dir: Option<Pick>,
    /// File name ([`FILE_NAMES`]).
    pub name: Pick,
    /// Content.
    pub content: Content,
}

impl FuzzFile {
    /// The file's path (`<dir>/<name>`, or `<name>` at the root) and text.
    pub fn to_file(&self) -> (String, String) {
        let dir = self.dir.as_ref().map(|d| d.get(DIRS)).unwrap_or_default();
        let name = self.name.get(FILE_NAMES);
        let text = self.content.to_text(&name);
        let path = if dir.is_empty() {
            name
        } else {
            format!("{dir}/{name}")
        };
        (path, text)
    }
}

/// A parent addon.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzParentAddon {
    /// Provider ([`ADDONS`]).
    pub addon: Pick,
    /// Plan ([`PLANS`]).
    pub plan: Pick,
    /// Version ([`VERSIONS`]).
    pub version: Option<Pick>,
}

/// A parent formation entry.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzParentProcess {
    /// Process type ([`PROCESS_TYPES`]).
    pub process_type: Pick,
    /// Amount: small, or any `u32`.
    pub amount: Amount,
    /// Size (one of [`ContainerSize::ALL`], by the byte).
    pub size: u8,
}

/// The parent app of a review app.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzParent {
    /// Name ([`APP_NAMES`]).
    pub name: Pick,
    /// Environment.
    pub env: Vec<(Pick, Pick)>,
    /// Names its addons provide.
    pub addon_vars: Vec<Pick>,
    /// Addons.
    pub addons: Vec<FuzzParentAddon>,
    /// Formation.
    pub formation: Vec<FuzzParentProcess>,
    /// Stack ([`STACKS`]).
    pub stack: Option<Pick>,
    /// Firewall rules: range ([`CIDRS`]) and label ([`FIREWALL_LABELS`]).
    pub firewall_rules: Vec<(Pick, Option<Pick>)>,
}

/// The one-click request.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzRequest {
    /// By the low four bits: 0 no request, 1 an empty request, 2 and 3 the Referer
    /// only, 4 and 5 both, otherwise `source` only.
    pub shape: u8,
    /// The Referer ([`URLS`]).
    pub referer: Pick,
    /// The `source` parameter ([`URLS`]).
    pub source: Pick,
}

impl FuzzRequest {
    /// The engine's request.
    pub fn to_request(&self) -> Option<OneClickRequest> {
        let (referer, source) = match self.shape % 16 {
            0 => return None,
            1 => (false, false),
            2 | 3 => (true, false),
            4 | 5 => (true, true),
            _ => (false, true),
        };
        Some(OneClickRequest {
            referer: referer.then(|| self.referer.get(URLS)),
            source: source.then(|| self.source.get(URLS)),
        })
    }
}

/// One deployment attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct FuzzAttempt {
    /// The build fails when this is 0 modulo 4.
    pub build: u8,
    /// Start: success (twice as likely), crashed or timeout, modulo 4.
    pub start: u8,
    /// Hook: timeout (0), the given exit code (1), exit 1 (2), else exit 0; modulo 5.
    pub hook: u8,
    /// Exit code when `hook` says so.
    pub exit: i32,
}

impl FuzzAttempt {
    /// The engine's attempt.
    pub fn to_attempt(self) -> Attempt {
        Attempt {
            build: if self.build % 4 == 0 {
                BuildResult::Error
            } else {
                BuildResult::Success
            },
            start: match self.start % 4 {
                2 => StartResult::Crashed,
                3 => StartResult::Timeout,
                _ => StartResult::Success,
            },
            hook: match self.hook % 5 {
                0 => HookResult::Timeout,
                1 => HookResult::Exit(self.exit),
                2 => HookResult::Exit(1),
                _ => HookResult::Exit(0),
            },
        }
    }
}

/// Where `PROJECT_DIR` is set.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzProjectDir {
    /// The value ([`PROJECT_DIRS`]).
    pub value: Pick,
    /// Modulo 3: in the parent's env, in the user's env, in both.
    pub placement: u8,
}

/// All inputs of one deploy, as the fuzzer builds them.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzScenario {
    /// Review app when true, one-click deploy otherwise.
    pub review_app: bool,
    /// The seed.
    pub seed: u64,
    /// 255 = no seed (OS entropy, not reproducible: the determinism check is skipped).
    pub entropy: u8,
    /// The repository's files (decoded early, while the input still has bytes).
    pub files: Vec<FuzzFile>,
    /// App name: a valid one ([`APP_NAMES`], by the byte) unless [`Self::bad_app_name`].
    pub app_name: u8,
    /// Rarely, any app name (rule `SCN-2`).
    pub bad_app_name: Rare<Pick>,
    /// Region ([`REGIONS`]).
    pub region: Option<Pick>,
    /// Pull request number.
    pub pr_number: Option<u64>,
    /// The repository's default branch ([`REFS`]).
    pub default_branch: Option<Pick>,
    /// The parent app (a review app always has one unless [`Self::no_parent`] is 255).
    pub parent: FuzzParent,
    /// 255 = no parent (an error for a review app, rule `SCN-1`).
    pub no_parent: u8,
    /// The one-click request.
    pub request: FuzzRequest,
    /// The one-click form.
    pub user_env: Vec<(Pick, Pick)>,
    /// `PROJECT_DIR`.
    pub project_dir: Option<FuzzProjectDir>,
    /// Deployment attempts.
    pub attempts: Vec<FuzzAttempt>,
    /// One attempt repeated after the others ([`repeat_count`] times).
    pub repeat: Option<(FuzzAttempt, u16)>,
}

/// How many copies [`FuzzScenario::repeat`] appends for `n`: `n % 16`, except for the
/// top 256 values of `n`, which give 900 to [`MAX_REPEAT`] copies (around the engine's
/// 1000-attempt limit, rule `HOOK-15`). Long runs stay rare: their outcomes are large.
pub fn repeat_count(n: u16) -> usize {
    match n.checked_sub(0xFF00) {
        Some(high) => 900 + usize::from(high) % (MAX_REPEAT - 900 + 1),
        None => usize::from(n % 16),
    }
}

fn env_map(pairs: &[(Pick, Pick)]) -> BTreeMap<String, String> {
    truncated(pairs)
        .iter()
        .map(|(name, value)| (name.get(ENV_NAMES), value.get(VALUES)))
        .collect()
}

impl FuzzParent {
    /// The engine's parent app.
    pub fn to_parent(&self) -> ParentApp {
        ParentApp {
            name: self.name.get(APP_NAMES),
            env: env_map(&self.env),
            addon_vars: truncated(&self.addon_vars)
                .iter()
                .map(|n| n.get(ENV_NAMES))
                .collect(),
            addons: truncated(&self.addons)
                .iter()
                .map(|a| ParentAddon {
                    addon: a.addon.get(ADDONS),
                    plan: a.plan.get(PLANS),
                    version: a.version.as_ref().map(|v| v.get(VERSIONS)),
                })
                .collect(),
            formation: truncated(&self.formation)
                .iter()
                .map(|f| {
                    let size = ContainerSize::ALL[usize::from(f.size) % ContainerSize::ALL.len()];
                    (
                        f.process_type.get(PROCESS_TYPES),
                        ProcessFormation {
                            amount: f.amount.value(),
                            size,
                        },
                    )
                })
                .collect(),
            stack: self.stack.as_ref().map(|s| s.get(STACKS)),
            firewall_rules: truncated(&self.firewall_rules)
                .iter()
                .map(|(cidr, label)| ParentFirewallRule {
                    cidr: cidr.get(CIDRS),
                    label: label.as_ref().map(|l| l.get(FIREWALL_LABELS)),
                })
                .collect(),
        }
    }
}

impl FuzzScenario {
    /// The engine's scenario.
    pub fn to_scenario(&self) -> Scenario {
        let kind = if self.review_app {
            AppKind::ReviewApp
        } else {
            AppKind::OneClick
        };
        let files: BTreeMap<String, String> = self
            .files
            .iter()
            .take(MAX_FILES)
            .map(FuzzFile::to_file)
            .collect();
        let mut parent = (self.no_parent != 255).then(|| self.parent.to_parent());
        let mut user_env = env_map(&self.user_env);
        if let Some(dir) = &self.project_dir {
            let value = dir.value.get(PROJECT_DIRS);
            let (in_parent, in_user) = match dir.placement % 3 {
                0 => (true, false),
                1 => (false, true),
                _ => (true, true),
            };
            if in_parent {
                if let Some(p) = parent.as_mut() {
                    p.env.insert("PROJECT_DIR".into(), value.clone());
                }
            }
            if in_user {
                user_env.insert("PROJECT_DIR".into(), value);
            }
        }
        let mut attempts: Vec<Attempt> = self
            .attempts
            .iter()
            .take(MAX_ATTEMPTS)
            .map(|a| a.to_attempt())
            .collect();
        if let Some((attempt, n)) = self.repeat {
            attempts.extend(std::iter::repeat_n(attempt.to_attempt(), repeat_count(n)));
        }
        Scenario {
            date: crate::day(),
            kind,
            seed: (self.entropy != 255).then_some(self.seed),
            app: AppSpec {
                name: match &self.bad_app_name {
                    Rare(Some(p)) => p.get(APP_NAMES),
                    Rare(None) => Pick::Valid(self.app_name).get(APP_NAMES),
                },
                region: self.region.as_ref().map(|r| r.get(REGIONS)),
            },
            pr_number: self.pr_number,
            repository: RepositorySpec {
                files,
                default_branch: self.default_branch.as_ref().map(|b| b.get(REFS)),
            },
            parent,
            request: self.request.to_request(),
            user_env,
            attempts,
        }
    }
}

/// The scenario `resolve_scenario` runs for the fuzzer's bytes: input starting with `{` is
/// a scenario in its JSON form (the spec's example scenarios are seeds as they are;
/// `None` when it does not deserialise), any other input is decoded as a
/// [`FuzzScenario`] (never `None`: missing bytes read as zeros).
pub fn scenario_from_bytes(data: &[u8]) -> Option<Scenario> {
    if data.first() == Some(&b'{') {
        return serde_json::from_slice(data).ok();
    }
    FuzzScenario::arbitrary_take_rest(Unstructured::new(data))
        .or_else(|_| FuzzScenario::arbitrary(&mut Unstructured::new(&[])))
        .ok()
        .map(|s| s.to_scenario())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_input_is_read_as_a_scenario() {
        let s = scenario_from_bytes(br#"{"kind": "one-click", "app": {"name": "x"}}"#);
        assert_eq!(s.map(|s| s.app.name), Some("x".to_string()));
        assert_eq!(scenario_from_bytes(b"{not json"), None);
    }

    #[test]
    fn any_other_input_is_a_structured_scenario() {
        for data in [&b""[..], b"\0", b"\xff\xff\xff\xff", &[7u8; 300]] {
            let s = scenario_from_bytes(data).expect("structured mode is total");
            assert!(s.repository.files.len() <= MAX_FILES);
            assert!(s.attempts.len() <= MAX_ATTEMPTS + MAX_REPEAT);
        }
    }

    #[test]
    fn long_attempt_runs_are_rare_and_cross_the_limit() {
        assert_eq!(repeat_count(0), 0);
        assert_eq!(repeat_count(17), 1);
        assert_eq!(repeat_count(0xFEFF), 15);
        assert_eq!(repeat_count(0xFF00), 900);
        assert_eq!(repeat_count(0xFF00 + 200), MAX_REPEAT);
        assert_eq!(repeat_count(0xFFFF), 900 + 255 % 201);
    }

    #[test]
    fn picks_come_from_the_valid_values_the_pool_or_are_free() {
        assert_eq!(Pick::Valid(0).get(ENV_NAMES), "A");
        assert_eq!(
            Pick::Valid(9).get(ENV_NAMES),
            "A",
            "modulo the 9 valid names"
        );
        assert_eq!(Pick::Any(9).get(ENV_NAMES), "_X");
        assert_eq!(Pick::Valid(3).get(TOP_KEYS), "image", "no valid value: any");
        let empty = Pool {
            values: &[],
            valid: 0,
        };
        assert_eq!(Pick::Any(3).get(empty), "");
        assert_eq!(Pick::Free("x y".into()).get(ENV_NAMES), "x y");
        let mut u = Unstructured::new(&[5, 200, 250, 2, b'h', b'i']);
        let picks: Vec<Pick> = (0..3).map(|_| Pick::arbitrary(&mut u).unwrap()).collect();
        assert_eq!(picks[..2], [Pick::Valid(5), Pick::Any(200)]);
        assert!(matches!(picks[2], Pick::Free(_)), "{picks:?}");
    }

    #[test]
    fn generated_manifest_text() {
        let m = FuzzManifest {
            layout: 0,
            members: vec![
                TopMember::Env(vec![(
                    Pick::Valid(2),
                    EnvEntry::Object(EnvObject {
                        description: None,
                        rule: EnvRule::Secret,
                        required: Some(true),
                        extra: Rare(None),
                    }),
                )]),
                TopMember::Formation(vec![(
                    Pick::Valid(0),
                    FormationValue::Object {
                        amount: Some(Amount::Small(6)),
                        size: Some(Pick::Valid(4)),
                        quantity: Rare(None),
                        other: Rare(None),
                    },
                )]),
                TopMember::Addons(vec![AddonEntry::Name(Pick::Valid(4))]),
                TopMember::CopyParentDatabaseUrls(Val::Str(Pick::Valid(2))),
            ],
        };
        assert_eq!(
            m.to_text(),
            r#"{"env":{"SECRET_KEY":{"generator":"secret","required":true}},"formation":{"web":{"amount":2,"size":"2XL"}},"addons":["redis:redis-starter-128"],"copy_parent_database_urls":false}"#
        );
        let checked = scalingo_manifest::manifest::check(m.to_text().as_bytes(), crate::day());
        assert!(checked.is_valid(), "{:?}", checked.diagnostics);
    }

    #[test]
    fn generated_procfile_text_writes_a_type_once_unless_asked() {
        let lines = vec![
            ProcLine::Entry(Pick::Valid(0), Pick::Valid(0)),
            ProcLine::Blank,
            ProcLine::Comment(Pick::Valid(1)),
            ProcLine::Indented(Pick::Valid(0), Pick::Valid(2)),
        ];
        let p = FuzzProcfile {
            flags: 3,
            lines: lines.clone(),
        };
        assert_eq!(
            p.to_text(),
            "web: ./server\n\r\n# bundle exec rake db:migrate\r"
        );
        let p = FuzzProcfile { flags: 0x80, lines };
        assert_eq!(
            p.to_text(),
            "web: ./server\n\n# bundle exec rake db:migrate\n  web: a:b\n"
        );
    }

    #[test]
    fn typed_content_follows_the_file_name() {
        let file = |name: u8| FuzzFile {
            dir: Some(Pick::Valid(1)),
            name: Pick::Valid(name),
            content: Content::Typed(
                FuzzManifest {
                    layout: 0,
                    members: vec![],
                },
                FuzzProcfile {
                    flags: 0,
                    lines: vec![ProcLine::Entry(Pick::Valid(1), Pick::Valid(0))],
                },
            ),
        };
        assert_eq!(file(0).to_file(), ("api/scalingo.json".into(), "{}".into()));
        assert_eq!(
            file(2).to_file(),
            ("api/Procfile".into(), "worker: ./server\n".into())
        );
    }

    #[test]
    fn requests_parents_project_dir_and_repeated_attempts() {
        let mut u = Unstructured::new(&[0u8; 64]);
        let mut s = FuzzScenario::arbitrary(&mut u).expect("zeros decode");
        assert_eq!(s.to_scenario().request, None, "shape 0: no request");
        s.review_app = true;
        s.request.shape = 6;
        s.project_dir = Some(FuzzProjectDir {
            value: Pick::Valid(1),
            placement: 2,
        });
        s.repeat = Some((
            FuzzAttempt {
                build: 1,
                start: 0,
                hook: 4,
                exit: 0,
            },
            0xFF00 + 105,
        ));
        let scenario = s.to_scenario();
        assert_eq!(
            scenario.request,
            Some(OneClickRequest {
                referer: None,
                source: Some("https://github.com/owner/repo".into())
            })
        );
        let parent = scenario.parent.expect("a parent unless no_parent is 255");
        assert_eq!(
            parent.env.get("PROJECT_DIR").map(String::as_str),
            Some("api")
        );
        assert_eq!(
            scenario.user_env.get("PROJECT_DIR").map(String::as_str),
            Some("api")
        );
        assert_eq!(scenario.attempts.len(), 1005);
        assert_eq!(scenario.attempts[0], Attempt::ok());
        s.no_parent = 255;
        assert_eq!(s.to_scenario().parent, None);
    }
}
