//! The structure-aware input of `resolve_scenario`: a [`FuzzScenario`] decoded from the
//! fuzzer's bytes with `arbitrary`, then converted into the engine's
//! [`Scenario`](scalingo_manifest::scenario::Scenario).
//!
//! The library needs no `arbitrary` dependency: every type here is the fuzz crate's own.
//! Values are mostly drawn from small pools of names ([`Pick`]) so that the interesting
//! cases happen often: the same variable in the manifest, the parent and the form; the
//! same addon in the manifest and the parent; `PROJECT_DIR` naming a folder of the tree.
//! A quarter of the picks are free strings, hostile ones included. Manifests and Procfiles
//! come as text (any string, or one of the spec's example manifests) and as structure
//! ([`FuzzManifest`], [`FuzzProcfile`]), written out with deliberate layout variations.

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::{Arbitrary, Result, Unstructured};
use scalingo_manifest::addons::ParentAddon;
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

/// App names: valid, and breaking rule `SCN-2` in each way.
pub const APP_NAMES: &[&str] = &[
    "my-app",
    "my-app-pr12",
    "a",
    "app-1",
    "x-",
    "-x",
    "My-App",
    "app_name",
    "",
];
/// Regions.
pub const REGIONS: &[&str] = &["osc-fr1", "osc-secnum-fr1", "", "us-east-1"];
/// Variable names: valid, reserved-looking, addon-provided, and invalid (rule `ENV-12`).
pub const ENV_NAMES: &[&str] = &[
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
];
/// Variable values.
pub const VALUES: &[&str] = &[
    "",
    "1",
    "x",
    "postgres://prod",
    "%URL%",
    "true",
    " ",
    "é😀",
    "a\nb",
];
/// Templates (rules `GEN-4` .. `GEN-7`).
pub const TEMPLATES: &[&str] = &[
    "%URL%/admin",
    "%APP%",
    "%PARENT_APP%-%PR_NUMBER%",
    "%UNKNOWN%",
    "%",
    "%%URL%%",
    "https://%APP%.example.com",
    "",
    "%url%",
    "PR %PR_NUMBER% of %PARENT_APP%",
];
/// Generator names (rule `MAN-ENV-6`).
pub const GENERATORS: &[&str] = &["secret", "url", "template", "Secret", "echo 5", ""];
/// Keys of an env entry, known and not.
pub const ENV_KEYS: &[&str] = &["default", "value ", "generate", "requried", "Value"];
/// Folders of the repository.
pub const DIRS: &[&str] = &["", "api", "services/api", "services", "apps/web", "a/b/c"];
/// File names.
pub const FILE_NAMES: &[&str] = &[
    "scalingo.json",
    "app.json",
    "Procfile",
    "README.md",
    "Scalingo.json",
    "procfile",
    ".git",
    "app.json.bak",
];
/// `PROJECT_DIR` values: as users write them, and hostile (rule `LOC-1`).
pub const PROJECT_DIRS: &[&str] = &[
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
    "README.md",
    "nowhere",
];
/// Stacks (rule `MAN-5`, decision D-16).
pub const STACKS: &[&str] = &["scalingo-22", "scalingo-20", "heroku-16", "container", ""];
/// Addons as written in a manifest or a parent (decision D-6).
pub const ADDONS: &[&str] = &[
    "redis",
    "postgresql",
    "scalingo-redis",
    "mongodb",
    "elasticsearch",
    "redis:redis-starter-128",
    "postgresql:postgresql-starter-512",
    "redis:",
    ":plan",
    "",
];
/// Plans.
pub const PLANS: &[&str] = &[
    "redis-starter-128",
    "postgresql-starter-512",
    "elasticsearch-starter-1024",
    "",
    "x",
];
/// Process types (rule `PROC-2`, decision D-15).
pub const PROCESS_TYPES: &[&str] = &[
    "web",
    "worker",
    "clock",
    "postdeploy",
    "tcp",
    "Web",
    "web-1",
    "",
    "aaaaaaaaaaaaaaaaaaaaaaaaa",
];
/// Container sizes, valid and not (decision D-15).
pub const SIZES: &[&str] = &[
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
];
/// Repository URLs for the request and the manifest (rules `SRC-*`).
pub const URLS: &[&str] = &[
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
];
/// Git refs (rule `SRC-7`).
pub const REFS: &[&str] = &[
    "main",
    "dev",
    "feature/x",
    "",
    "..",
    "a b",
    "refs/heads/main",
    "-x",
];
/// Hook scripts.
pub const SCRIPTS: &[&str] = &["bundle exec rake db:migrate", "", "  ", "exit 1", "./setup"];
/// Keys of `scripts` (rule `MAN-SCR-*`).
pub const SCRIPT_KEYS: &[&str] = &[
    "first-deploy",
    "postdeploy",
    "pr-predestroy",
    "dokku",
    "firstdeploy",
];
/// Top-level keys, known, foreign and misspelt (rules `MAN-7`, `MAN-8`).
pub const TOP_KEYS: &[&str] = &[
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
    "$schema",
    "buildpacks",
    "environments",
    "image",
    "keywords",
    "success_url",
    "nmae",
    "adons",
];
/// Numbers as written, valid JSON or not as an amount (decision D-14).
pub const NUMBERS: &[&str] = &["0", "1", "-1", "1.0", "1e3", "1001", "4294967296", "-0"];
/// Procfile commands.
pub const COMMANDS: &[&str] = &["./server", "bundle exec rake db:migrate", "", " x ", "a:b"];

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

/// A string drawn from a pool (three times in four) or free (any string the fuzzer
/// makes). Which pool is decided where the value is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// An index into the pool (taken modulo its length).
    Pool(u8),
    /// Any string.
    Free(String),
}

impl<'a> Arbitrary<'a> for Pick {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let b = u8::arbitrary(u)?;
        if b < 192 {
            Ok(Pick::Pool(b))
        } else {
            Ok(Pick::Free(String::arbitrary(u)?))
        }
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, None)
    }
}

impl Pick {
    /// The string this pick stands for in `pool` (an empty pool gives `""`).
    pub fn get(&self, pool: &[&str]) -> String {
        match self {
            Pick::Pool(i) => pool
                .get(usize::from(*i) % pool.len().max(1))
                .copied()
                .unwrap_or_default()
                .to_string(),
            Pick::Free(s) => s.clone(),
        }
    }
}

/// A JSON leaf of any type, for places that expect one type (rules `MAN-*` on types).
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum Leaf {
    /// A string from `pool`.
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
    fn to_json(&self, strings: &[&str]) -> J {
        match self {
            Leaf::Str(p) => J::Str(p.get(strings)),
            Leaf::Small(n) => J::Raw(n.to_string()),
            Leaf::Int(n) => J::Raw(n.to_string()),
            Leaf::Number(p) => J::Raw(match p {
                Pick::Pool(_) => p.get(NUMBERS),
                // A free "number" is written as a string: raw free text would make most
                // manifests invalid JSON, which the text inputs already cover.
                Pick::Free(s) => serde_json::to_string(s).unwrap_or_default(),
            }),
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

/// One field of an env entry object.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum EnvField {
    /// `value`.
    Value(Leaf),
    /// `generator`.
    Generator(Pick),
    /// `template`.
    Template(Pick),
    /// `required`.
    Required(Leaf),
    /// `description`.
    Description(Pick),
    /// Another key ([`ENV_KEYS`]).
    Other(Pick, Leaf),
}

/// An env entry: Heroku's shorthand or Scalingo's object (decisions D-8 .. D-10).
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum EnvEntry {
    /// `"A": <leaf>`.
    Shorthand(Leaf),
    /// `"A": {...}`.
    Object(Vec<EnvField>),
}

/// An element of `addons` (decision D-6).
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum AddonEntry {
    /// `"redis"` or `"redis:plan"`.
    Name(Pick),
    /// `{"plan": ..., "options": {"version": ...}, "as": ...}`.
    Object {
        /// `plan`.
        plan: Option<Leaf>,
        /// `options.version`.
        version: Option<Leaf>,
        /// Another option.
        other_option: Option<(Pick, Leaf)>,
        /// Heroku's `as`.
        alias: Option<Pick>,
    },
    /// `{"addon_provider_id": ..., "plan_id": ..., "options": {"version": ...}}`.
    Legacy {
        /// `addon_provider_id`.
        provider: Pick,
        /// `plan_id`.
        plan: Option<Pick>,
        /// `options.version`.
        version: Option<Leaf>,
    },
    /// Any other JSON value.
    Other(Leaf),
}

/// An `amount` or `quantity` (decision D-14).
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum Amount {
    /// 0 to 3.
    Small(u8),
    /// Any non-negative integer.
    Any(u32),
    /// Any JSON value.
    Other(Leaf),
}

/// A field of a formation entry.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum FormationField {
    /// `amount`.
    Amount(Amount),
    /// Heroku's `quantity`.
    Quantity(Amount),
    /// `size`.
    Size(Pick),
    /// Another key.
    Other(Pick, Leaf),
}

/// A formation entry's value.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum FormationValue {
    /// `{...}`.
    Object(Vec<FormationField>),
    /// Any other JSON value.
    Other(Leaf),
}

/// A top-level member of a generated manifest.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum TopMember {
    /// `name`, `description`, `logo` or `website` (by the byte), a string.
    Info(u8, Pick),
    /// `repository`.
    Repository(Pick),
    /// `ref`.
    Ref(Pick),
    /// `stack`.
    Stack(Pick),
    /// `env`.
    Env(Vec<(Pick, EnvEntry)>),
    /// `addons`.
    Addons(Vec<AddonEntry>),
    /// `formation`.
    Formation(Vec<(Pick, FormationValue)>),
    /// `scripts`.
    Scripts(Vec<(Pick, Leaf)>),
    /// `copy_parent_database_urls`.
    CopyParentDatabaseUrls(Leaf),
    /// Any key ([`TOP_KEYS`]) with any leaf: wrong types, foreign and unknown keys.
    Other(Pick, Leaf),
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
                        .map(|(key, leaf)| (key.get(SCRIPT_KEYS), leaf.to_json(SCRIPTS)))
                        .collect(),
                ),
            ),
            TopMember::CopyParentDatabaseUrls(leaf) => (
                "copy_parent_database_urls".into(),
                leaf.to_json(&["true", "false", "yes"]),
            ),
            TopMember::Other(key, leaf) => (key.get(TOP_KEYS), leaf.to_json(VALUES)),
        }
    }
}

impl EnvEntry {
    fn to_json(&self) -> J {
        match self {
            EnvEntry::Shorthand(leaf) => leaf.to_json(VALUES),
            EnvEntry::Object(fields) => J::Obj(
                truncated(fields)
                    .iter()
                    .map(|field| match field {
                        EnvField::Value(leaf) => ("value".into(), leaf.to_json(VALUES)),
                        EnvField::Generator(p) => ("generator".into(), J::Str(p.get(GENERATORS))),
                        EnvField::Template(p) => ("template".into(), J::Str(p.get(TEMPLATES))),
                        EnvField::Required(leaf) => {
                            ("required".into(), leaf.to_json(&["true", "false"]))
                        }
                        EnvField::Description(p) => ("description".into(), J::Str(p.get(VALUES))),
                        EnvField::Other(key, leaf) => (key.get(ENV_KEYS), leaf.to_json(VALUES)),
                    })
                    .collect(),
            ),
        }
    }
}

impl AddonEntry {
    fn to_json(&self) -> J {
        match self {
            AddonEntry::Name(p) => J::Str(p.get(ADDONS)),
            AddonEntry::Object {
                plan,
                version,
                other_option,
                alias,
            } => {
                let mut members = Vec::new();
                if let Some(plan) = plan {
                    members.push(("plan".into(), plan.to_json(ADDONS)));
                }
                let mut options = Vec::new();
                if let Some(version) = version {
                    options.push(("version".into(), version.to_json(&["7", "14", ""])));
                }
                if let Some((key, leaf)) = other_option {
                    options.push((key.get(&["size", "version"]), leaf.to_json(VALUES)));
                }
                if !options.is_empty() {
                    members.push(("options".into(), J::Obj(options)));
                }
                if let Some(alias) = alias {
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
                if let Some(version) = version {
                    members.push((
                        "options".into(),
                        J::Obj(vec![("version".into(), version.to_json(&["7", "14"]))]),
                    ));
                }
                J::Obj(members)
            }
            AddonEntry::Other(leaf) => leaf.to_json(ADDONS),
        }
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
}

impl FormationValue {
    fn to_json(&self) -> J {
        match self {
            FormationValue::Object(fields) => J::Obj(
                truncated(fields)
                    .iter()
                    .map(|field| match field {
                        FormationField::Amount(a) => ("amount".into(), a.to_json()),
                        FormationField::Quantity(a) => ("quantity".into(), a.to_json()),
                        FormationField::Size(p) => ("size".into(), J::Str(p.get(SIZES))),
                        FormationField::Other(key, leaf) => {
                            (key.get(&["type", "Size", "amount "]), leaf.to_json(VALUES))
                        }
                    })
                    .collect(),
            ),
            FormationValue::Other(leaf) => leaf.to_json(SIZES),
        }
    }
}

/// One Procfile line.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum ProcLine {
    /// `<type>: <command>`.
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

/// A Procfile as structure.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzProcfile {
    /// Line ends: `\n`, `\r\n`, lone `\r`, or mixed, by the byte modulo 4.
    pub endings: u8,
    /// The lines.
    pub lines: Vec<ProcLine>,
}

impl FuzzProcfile {
    /// The Procfile's text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().take(MAX_ENTRIES * 2).enumerate() {
            match line {
                ProcLine::Entry(t, c) => {
                    out.push_str(&format!("{}: {}", t.get(PROCESS_TYPES), c.get(COMMANDS)))
                }
                ProcLine::Indented(t, c) => {
                    out.push_str(&format!("  {}: {}", t.get(PROCESS_TYPES), c.get(COMMANDS)))
                }
                ProcLine::Comment(c) => out.push_str(&format!("# {}", c.get(COMMANDS))),
                ProcLine::Blank => {}
                ProcLine::Raw(s) => out.push_str(s),
            }
            out.push_str(match self.endings % 4 {
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
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub enum Content {
    /// Any text.
    Text(String),
    /// A generated manifest.
    Manifest(FuzzManifest),
    /// A generated Procfile.
    Procfile(FuzzProcfile),
    /// One of [`EXAMPLE_MANIFESTS`].
    Example(u8),
}

impl Content {
    /// The file's text.
    pub fn to_text(&self) -> String {
        match self {
            Content::Text(s) => s.clone(),
            Content::Manifest(m) => m.to_text(),
            Content::Procfile(p) => p.to_text(),
            Content::Example(i) => EXAMPLE_MANIFESTS
                .get(usize::from(*i) % EXAMPLE_MANIFESTS.len())
                .copied()
                .unwrap_or_default()
                .to_string(),
        }
    }
}

/// A repository file: folder, name and content.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzFile {
    /// Folder ([`DIRS`]).
    pub dir: Pick,
    /// File name ([`FILE_NAMES`]).
    pub name: Pick,
    /// Content.
    pub content: Content,
}

impl FuzzFile {
    /// The file's path: `<dir>/<name>`, or `<name>` at the root.
    pub fn path(&self) -> String {
        let dir = self.dir.get(DIRS);
        let name = self.name.get(FILE_NAMES);
        if dir.is_empty() {
            name
        } else {
            format!("{dir}/{name}")
        }
    }
}

/// A parent addon.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzParentAddon {
    /// Provider ([`ADDONS`]).
    pub addon: Pick,
    /// Plan ([`PLANS`]).
    pub plan: Pick,
    /// Version.
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
    /// Bit 1: in the parent's env; bit 2: in the user's env (both when neither).
    pub placement: u8,
}

/// All inputs of one deploy, as the fuzzer builds them.
#[derive(Debug, Clone, PartialEq, Arbitrary)]
pub struct FuzzScenario {
    /// Review app when true, one-click deploy otherwise.
    pub review_app: bool,
    /// The seed; `None` (OS entropy, not reproducible) only when [`Self::entropy`] is 255.
    pub seed: u64,
    /// 255 = no seed.
    pub entropy: u8,
    /// App name ([`APP_NAMES`]).
    pub app_name: Pick,
    /// Region ([`REGIONS`]).
    pub region: Option<Pick>,
    /// Pull request number.
    pub pr_number: Option<u64>,
    /// The repository's default branch ([`REFS`]).
    pub default_branch: Option<Pick>,
    /// The repository's files.
    pub files: Vec<FuzzFile>,
    /// The parent app.
    pub parent: Option<FuzzParent>,
    /// The one-click request: Referer and `source` ([`URLS`]).
    pub request: Option<(Option<Pick>, Option<Pick>)>,
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
/// 1000-attempt limit, rule `HOOK-15`). Long runs stay rare: their outcomes are large and
/// slow to print.
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
            .map(|f| (f.path(), f.content.to_text()))
            .collect();
        let mut parent = self.parent.as_ref().map(|p| ParentApp {
            name: p.name.get(APP_NAMES),
            env: env_map(&p.env),
            addon_vars: truncated(&p.addon_vars)
                .iter()
                .map(|n| n.get(ENV_NAMES))
                .collect::<BTreeSet<_>>(),
            addons: truncated(&p.addons)
                .iter()
                .map(|a| ParentAddon {
                    addon: a.addon.get(ADDONS),
                    plan: a.plan.get(PLANS),
                    version: a.version.as_ref().map(|v| v.get(&["7", "14", ""])),
                })
                .collect(),
            formation: truncated(&p.formation)
                .iter()
                .map(|f| {
                    let amount = match &f.amount {
                        Amount::Small(n) => u32::from(n % 4),
                        Amount::Any(n) => *n,
                        Amount::Other(_) => 1,
                    };
                    let size = ContainerSize::ALL[usize::from(f.size) % ContainerSize::ALL.len()];
                    (
                        f.process_type.get(PROCESS_TYPES),
                        ProcessFormation { amount, size },
                    )
                })
                .collect(),
            stack: p.stack.as_ref().map(|s| s.get(STACKS)),
        });
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
            kind,
            seed: (self.entropy != 255).then_some(self.seed),
            app: AppSpec {
                name: self.app_name.get(APP_NAMES),
                region: self.region.as_ref().map(|r| r.get(REGIONS)),
            },
            pr_number: self.pr_number,
            repository: RepositorySpec {
                files,
                default_branch: self.default_branch.as_ref().map(|b| b.get(REFS)),
            },
            parent,
            request: self
                .request
                .as_ref()
                .map(|(referer, source)| OneClickRequest {
                    referer: referer.as_ref().map(|r| r.get(URLS)),
                    source: source.as_ref().map(|s| s.get(URLS)),
                }),
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
    fn picks_come_from_the_pool_or_are_free() {
        assert_eq!(Pick::Pool(0).get(ENV_NAMES), "A");
        assert_eq!(Pick::Pool(15).get(ENV_NAMES), "A");
        assert_eq!(Pick::Pool(3).get(&[]), "");
        assert_eq!(Pick::Free("x y".into()).get(ENV_NAMES), "x y");
    }

    #[test]
    fn generated_manifest_text() {
        let m = FuzzManifest {
            layout: 0,
            members: vec![
                TopMember::Env(vec![(
                    Pick::Pool(2),
                    EnvEntry::Object(vec![EnvField::Generator(Pick::Pool(0))]),
                )]),
                TopMember::Formation(vec![(
                    Pick::Pool(0),
                    FormationValue::Object(vec![
                        FormationField::Amount(Amount::Small(6)),
                        FormationField::Size(Pick::Pool(4)),
                    ]),
                )]),
                TopMember::Addons(vec![AddonEntry::Name(Pick::Pool(5))]),
            ],
        };
        assert_eq!(
            m.to_text(),
            r#"{"env":{"SECRET_KEY":{"generator":"secret"}},"formation":{"web":{"amount":2,"size":"2XL"}},"addons":["redis:redis-starter-128"]}"#
        );
        let checked = scalingo_manifest::manifest::check(m.to_text().as_bytes());
        assert!(checked.is_valid(), "{:?}", checked.diagnostics);
    }

    #[test]
    fn generated_procfile_text() {
        let p = FuzzProcfile {
            endings: 3,
            lines: vec![
                ProcLine::Entry(Pick::Pool(0), Pick::Pool(0)),
                ProcLine::Blank,
                ProcLine::Comment(Pick::Pool(1)),
            ],
        };
        assert_eq!(
            p.to_text(),
            "web: ./server\n\r\n# bundle exec rake db:migrate\r"
        );
    }

    #[test]
    fn project_dir_placement_and_repeated_attempts() {
        let mut u = Unstructured::new(&[0u8; 64]);
        let mut s = FuzzScenario::arbitrary(&mut u).expect("zeros decode");
        s.review_app = true;
        s.parent = Some(FuzzParent {
            name: Pick::Pool(0),
            env: vec![],
            addon_vars: vec![],
            addons: vec![],
            formation: vec![],
            stack: None,
        });
        s.project_dir = Some(FuzzProjectDir {
            value: Pick::Pool(1),
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
        let parent = scenario.parent.expect("parent kept");
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
    }
}
