//! Strategies shared by the property tests: every input of the engine's resolution modules,
//! built directly as the plain structs of `src/manifest/model.rs` (never through manifest
//! parsing or validation).
//!
//! Conventions: values are drawn from small pools where collisions make a property bite
//! (the same variable name in the manifest, the parent and the form; the same addon
//! provider in the manifest and the parent), mixed with free-form values; everything is
//! built with `prop_map` / `prop_compose!` / `prop_oneof!` (no filters), so that a shrunk
//! counterexample is a short, readable value.

use std::collections::{BTreeMap, BTreeSet};

use proptest::collection::{btree_map, btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use scalingo_manifest::addons::ParentAddon;
use scalingo_manifest::env::{EnvContext, EnvInputs};
use scalingo_manifest::firewall::ParentFirewallRule;
use scalingo_manifest::formation::ProcessFormation;
use scalingo_manifest::generate::{app_url, TemplateContext};
use scalingo_manifest::hooks::{Attempt, BuildResult, HookResult, HookScripts, StartResult};
use scalingo_manifest::manifest::{
    AddonShape, AddonSpec, ContainerSize, EnvValue, EnvVar, FormationEntry, Generator,
};
use scalingo_manifest::scenario::{AppSpec, ParentApp, RepositorySpec, Scenario};
use scalingo_manifest::source::OneClickRequest;
use scalingo_manifest::text::Span;
use scalingo_manifest::AppKind;

// ---------------------------------------------------------------------------------------
// Generic helpers

/// Keeps the last element of each key, at the position of that last element (what a JSON
/// object with a duplicate key means once validated: rule `JSON-8`).
pub fn dedup_keep_last<T>(items: Vec<T>, key: impl Fn(&T) -> &str) -> Vec<T> {
    let mut last: BTreeMap<String, usize> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        last.insert(key(item).to_string(), i);
    }
    items
        .into_iter()
        .enumerate()
        .filter(|(i, item)| last.get(key(item)) == Some(i))
        .map(|(_, item)| item)
        .collect()
}

/// Keeps the first element of each key.
pub fn dedup_keep_first<T>(items: Vec<T>, key: impl Fn(&T) -> &str) -> Vec<T> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(key(item).to_string()))
        .collect()
}

/// One-click or review app.
pub fn kind() -> impl Strategy<Value = AppKind> {
    prop_oneof![Just(AppKind::OneClick), Just(AppKind::ReviewApp)]
}

// ---------------------------------------------------------------------------------------
// Environment variables (ENV-*, GEN-*)

/// Variable names shared by manifests, parents and one-click forms, so that they collide.
pub const NAME_POOL: &[&str] = &[
    "A",
    "B",
    "SECRET_KEY",
    "DATABASE_URL",
    "SCALINGO_POSTGRESQL_URL",
    "SCALINGO_REDIS_URL",
    "PROJECT_DIR",
    "ADMIN_URL",
    "lower_case",
    "X1",
];

/// A valid variable name (rule `ENV-12`): mostly from [`NAME_POOL`], sometimes free-form.
pub fn valid_env_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(NAME_POOL).prop_map(str::to_string),
        1 => "[A-Za-z][A-Za-z0-9_]{0,15}",
    ]
}

/// A variable name that is valid or nearly so: too long, leading digit or underscore, a
/// space, a hyphen, empty, non-ASCII; lowercase names are valid (rule `ENV-12`).
pub fn near_valid_env_name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => valid_env_name(),
        1 => "[A-Z][A-Z0-9_]{64,68}",
        1 => "[0-9][A-Z0-9_]{0,6}",
        1 => "_[A-Z0-9_]{0,6}",
        1 => "[A-Z]{1,3} [A-Z]{1,3}",
        1 => "[A-Z]{1,3}-[A-Z]{1,3}",
        1 => Just(String::new()),
        1 => "[A-Z]{0,2}[éü日][A-Z]{0,2}",
        1 => "[a-z][a-z0-9_]{0,8}",
    ]
}

/// An independent statement of rule `ENV-12` for names: 1 to 64 characters
/// `[A-Za-z0-9_]`, not starting with `_` or a digit.
pub fn is_valid_env_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// The longest valid value, in characters (rule `ENV-12`).
pub const MAX_VALUE_CHARS: usize = 32768;

/// A parent or user value: short text, sometimes empty, rarely one character too long.
pub fn env_value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z0-9:/._-]{1,10}",
        2 => Just(String::new()),
        1 => "\\PC{0,8}",
        1 => Just("v".repeat(MAX_VALUE_CHARS + 1)),
    ]
}

/// Pieces of templates: the four known tokens, unknown and near-miss tokens, literal `%`s
/// and plain text (rule `GEN-4`).
pub const TEMPLATE_PIECES: &[&str] = &[
    "%URL%",
    "%APP%",
    "%PARENT_APP%",
    "%PR_NUMBER%",
    "%url%",
    "%OTHER%",
    "%",
    "%%",
    "100%",
    "% APP %",
    "/admin",
    "-",
    "x",
    "é",
];

/// A template of up to 5 pieces.
pub fn template() -> impl Strategy<Value = String> {
    vec(select(TEMPLATE_PIECES), 0..6).prop_map(|v| v.concat())
}

/// Any generator (rules `GEN-1`, `GEN-7`, `GEN-8`).
pub fn generator() -> impl Strategy<Value = Generator> {
    prop_oneof![
        Just(Generator::Secret),
        Just(Generator::Url { template: None }),
        template().prop_map(|t| Generator::Url {
            template: Some(t.into())
        }),
        template().prop_map(|template| Generator::Template {
            template: template.into()
        }),
    ]
}

/// Any value rule of a manifest env entry; a `Value` is never empty (the model's contract:
/// `""` is `Delete`).
pub fn env_value() -> impl Strategy<Value = EnvValue> {
    prop_oneof![
        Just(EnvValue::Unset),
        "[a-z0-9]{1,8}".prop_map(|value| EnvValue::Value {
            value: value.into()
        }),
        Just(EnvValue::Delete),
        generator().prop_map(|generator| EnvValue::Generator { generator }),
    ]
}

/// A manifest env entry as the validator would build it (spans are placeholders).
pub fn entry(name: &str, value: EnvValue, required: bool) -> EnvVar {
    EnvVar {
        name: name.into(),
        name_span: Span::point(0),
        span: Span::point(0),
        description: None,
        value,
        required,
    }
}

prop_compose! {
    /// One manifest env entry with a valid name, any value rule, required or not.
    pub fn env_var()(name in valid_env_name(), value in env_value(), required in any::<bool>())
        -> EnvVar {
        entry(&name, value, required)
    }
}

/// A manifest's `env`: up to 7 entries, names unique (validation keeps the last of a
/// duplicate key, rule `JSON-8`).
pub fn manifest_env() -> impl Strategy<Value = Vec<EnvVar>> {
    vec(env_var(), 0..8).prop_map(|v| dedup_keep_last(v, |e| e.name.as_str()))
}

/// A parent's environment: names valid or nearly so, values of every kind, and sometimes a
/// `PROJECT_DIR`.
pub fn parent_env() -> impl Strategy<Value = BTreeMap<String, String>> {
    btree_map(near_valid_env_name(), env_value_text(), 0..8)
}

/// Names the parent's addons provide (decision D-18); drawn from the same pool as the
/// parent's names, so they often are parent variables.
pub fn parent_addon_vars() -> impl Strategy<Value = BTreeSet<String>> {
    btree_set(select(NAME_POOL).prop_map(str::to_string), 0..4)
}

/// Values typed in a one-click form: names valid or nearly so, values often empty.
pub fn user_env() -> impl Strategy<Value = BTreeMap<String, String>> {
    btree_map(near_valid_env_name(), env_value_text(), 0..6)
}

/// Every input of `env::resolve`, owned.
#[derive(Debug, Clone)]
pub struct EnvCase {
    /// The manifest's `env` (`None`: no manifest, or no `env` key).
    pub manifest_env: Option<Vec<EnvVar>>,
    /// The parent's environment.
    pub parent_env: BTreeMap<String, String>,
    /// Names the parent's addons provide.
    pub parent_addon_vars: BTreeSet<String>,
    /// `copy_parent_database_urls`.
    pub copy: bool,
    /// The one-click form.
    pub user_env: BTreeMap<String, String>,
}

impl EnvCase {
    /// Borrows the case as `env::resolve` inputs.
    pub fn inputs(&self) -> EnvInputs<'_> {
        EnvInputs {
            manifest_env: self.manifest_env.as_deref(),
            parent_env: &self.parent_env,
            parent_addon_vars: &self.parent_addon_vars,
            copy_parent_database_urls: self.copy,
            user_env: &self.user_env,
        }
    }
}

prop_compose! {
    /// A review app's env inputs (no user values).
    pub fn review_env_case()(
        manifest_env in option::weighted(0.85, manifest_env()),
        parent_env in parent_env(),
        parent_addon_vars in parent_addon_vars(),
        copy in any::<bool>(),
    ) -> EnvCase {
        EnvCase { manifest_env, parent_env, parent_addon_vars, copy, user_env: BTreeMap::new() }
    }
}

prop_compose! {
    /// A one-click deploy's env inputs (no parent).
    pub fn one_click_env_case()(
        manifest_env in option::weighted(0.85, manifest_env()),
        user_env in user_env(),
    ) -> EnvCase {
        EnvCase {
            manifest_env,
            parent_env: BTreeMap::new(),
            parent_addon_vars: BTreeSet::new(),
            copy: false,
            user_env,
        }
    }
}

/// The app of a review app (`my-app-pr10` of `my-app`, PR 10) or of a one-click deploy
/// (`my-app`), as `env::resolve` sees it.
pub fn env_context(kind: AppKind, seed: Option<u64>) -> EnvContext {
    let (app, parent_app, pr_number) = match kind {
        AppKind::ReviewApp => ("my-app-pr10", Some("my-app".to_string()), Some(10)),
        AppKind::OneClick => ("my-app", None, None),
    };
    EnvContext {
        kind,
        seed,
        template: TemplateContext {
            app: app.to_string(),
            url: app_url(app, "osc-fr1").expect("a valid app URL"),
            parent_app,
            pr_number,
        },
    }
}

// ---------------------------------------------------------------------------------------
// Addons (ADD-*)

/// Addon providers shared by manifests and parents.
pub const PROVIDERS: &[&str] = &["postgresql", "redis", "mongodb", "elasticsearch", "mysql"];
/// Plan suffixes (`<provider>-<suffix>`).
pub const PLANS: &[&str] = &["starter-256", "starter-512", "business-1024"];
/// Engine versions.
pub const VERSIONS: &[&str] = &["7", "14", "15.2"];

/// How an addon was written, for the shapes `check` returns (all mean the same once
/// validated; a legacy object is left out by the check, decision D-6, and is not
/// provisioned, `ADD-9`).
pub fn addon_shape() -> impl Strategy<Value = AddonShape> {
    prop_oneof![
        Just(AddonShape::Name),
        Just(AddonShape::NamePlan),
        Just(AddonShape::Object),
    ]
}

prop_compose! {
    /// One manifest addon of any shape, with or without plan and version.
    pub fn addon_spec()(
        addon in select(PROVIDERS),
        plan in option::of(select(PLANS)),
        version in option::of(select(VERSIONS)),
        shape in addon_shape(),
        at in 0usize..10_000,
    ) -> AddonSpec {
        AddonSpec {
            addon: addon.into(),
            plan: plan.map(|p| format!("{addon}-{p}").into()),
            version: version.map(Into::into),
            shape,
            span: Span::new(at, at + 5),
        }
    }
}

/// A manifest's `addons` list: up to 6 entries, providers may repeat (rule `ADD-8`).
pub fn manifest_addons() -> impl Strategy<Value = Vec<AddonSpec>> {
    vec(addon_spec(), 0..7)
}

prop_compose! {
    /// One addon of the parent app.
    pub fn parent_addon()(
        addon in select(PROVIDERS),
        plan in select(PLANS),
        version in option::of(select(VERSIONS)),
    ) -> ParentAddon {
        ParentAddon { addon: addon.to_string(), plan: format!("{addon}-{plan}"), version: version.map(str::to_string) }
    }
}

/// The parent's addons: at most one per provider (an app has at most one addon of each
/// provider), in the parent's order.
pub fn parent_addons() -> impl Strategy<Value = Vec<ParentAddon>> {
    vec(parent_addon(), 0..5).prop_map(|v| dedup_keep_first(v, |p| p.addon.as_str()))
}

// ---------------------------------------------------------------------------------------
// Formation (FRM-*)

/// Process types: real ones, a case near miss, the `postdeploy` hook.
pub const PROCESS_TYPES: &[&str] = &[
    "web",
    "worker",
    "clock",
    "Worker",
    "release",
    "postdeploy",
    "tcp",
    "x1",
];

/// Any container size.
pub fn container_size() -> impl Strategy<Value = ContainerSize> {
    select(ContainerSize::ALL.to_vec())
}

/// A container amount: mostly small, up to the 1000 cap.
pub fn amount() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..4, 1 => 0u32..=1000]
}

prop_compose! {
    /// One manifest formation entry, with or without amount and size.
    pub fn formation_entry()(
        process_type in select(PROCESS_TYPES),
        amount in option::of(amount()),
        size in option::of(container_size()),
        at in 0usize..10_000,
    ) -> FormationEntry {
        FormationEntry {
            process_type: process_type.into(),
            name_span: Span::new(at, at + process_type.len() + 2),
            span: Span::new(at + 20, at + 50),
            amount,
            size,
        }
    }
}

/// A manifest's `formation`: up to 5 entries; a type may repeat (rule `FRM-4`: the last
/// one is used).
pub fn manifest_formation() -> impl Strategy<Value = Vec<FormationEntry>> {
    vec(formation_entry(), 0..6)
}

/// The Procfile's process types (`None`: no Procfile); may hold `postdeploy` and
/// duplicates, which `formation::resolve` must ignore.
pub fn procfile_types() -> impl Strategy<Value = Option<Vec<String>>> {
    option::weighted(
        0.8,
        vec(select(PROCESS_TYPES).prop_map(str::to_string), 0..5),
    )
}

/// The parent's formation.
pub fn parent_formation() -> impl Strategy<Value = BTreeMap<String, ProcessFormation>> {
    btree_map(
        select(PROCESS_TYPES).prop_map(str::to_string),
        (amount(), container_size()).prop_map(|(amount, size)| ProcessFormation { amount, size }),
        0..5,
    )
}

// ---------------------------------------------------------------------------------------
// File trees and PROJECT_DIR (LOC-*)

/// Folders of the trees (`""` is the root), including non-ASCII, a space and `...`.
pub const DIRS: &[&str] = &[
    "", "api", "api/v1", "web", "a", "a/b", "a/b/c", "Api", "日本", "sp ace", "...",
];
/// File names: the manifests, the Procfile, their case near misses, other files.
pub const FILE_NAMES: &[&str] = &[
    "scalingo.json",
    "app.json",
    "Procfile",
    "Scalingo.json",
    "APP.JSON",
    "procfile",
    "main.go",
    "package.json",
];
/// The manifest names alone, to make trees with manifests common.
pub const MANIFEST_FILE_NAMES: &[&str] = &["scalingo.json", "app.json"];
/// Paths that are not canonical (rule `LOC-2`) and must never be matched.
pub const HOSTILE_PATHS: &[&str] = &[
    "/scalingo.json",
    "/app.json",
    "/Procfile",
    "a//app.json",
    "./scalingo.json",
    "../app.json",
    "a/../scalingo.json",
    ".git/scalingo.json",
    "a/.GIT/app.json",
    "api\\scalingo.json",
    "api/",
    "",
    "a\0/scalingo.json",
    "api/scalingo.json/",
];

/// `folder/name`, or `name` at the root.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// A repository path: mostly a folder of [`DIRS`] and a name of [`FILE_NAMES`], sometimes
/// a hostile path.
pub fn repo_path() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (select(DIRS), select(FILE_NAMES)).prop_map(|(d, n)| join(d, n)),
        3 => (select(DIRS), select(MANIFEST_FILE_NAMES)).prop_map(|(d, n)| join(d, n)),
        1 => select(HOSTILE_PATHS).prop_map(str::to_string),
    ]
}

/// A repository tree, in Git's listing order (any order; duplicates possible).
pub fn file_tree() -> impl Strategy<Value = Vec<String>> {
    vec(repo_path(), 0..12)
}

/// A valid `PROJECT_DIR` (or none), written in the ways users write it: `api`, `/api`,
/// `api/`, `./api`, `a//b`, `.`, `/`.
pub fn project_dir() -> impl Strategy<Value = Option<String>> {
    let written = (select(DIRS), 0..5usize).prop_map(|(d, style)| match style {
        0 => d.to_string(),
        1 => format!("/{d}"),
        2 => format!("{d}/"),
        3 => format!("./{d}"),
        _ => d.replace('/', "//"),
    });
    prop_oneof![1 => Just(None), 4 => written.prop_map(Some)]
}

/// A hostile `PROJECT_DIR`: `..` anywhere, absolute, control characters, backslashes,
/// too long, unicode, or any string at all.
pub fn hostile_project_dir() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "..",
            "../x",
            "a/../b",
            "a/..",
            "/..",
            "/../etc",
            "/abs/api",
            "a\0b",
            "\0",
            "a\tb",
            "a\nb",
            "a\\b",
            "\\",
            "..\\x",
            "C:\\app",
            "é/ü",
            "日本/語",
            "...",
            " api ",
            "\u{85}",
            "\u{7f}",
            "~",
            "//",
            "./.",
            "a/./b",
        ])
        .prop_map(str::to_string),
        Just("a/".repeat(2049)),
        Just("a".repeat(4096)),
        Just("a".repeat(4097)),
        "[a./\\\\]{0,12}",
        any::<String>(),
    ]
}

// ---------------------------------------------------------------------------------------
// One-click requests (SRC-*)

/// Repository owners (two differ only by case: GitHub names are case-insensitive).
pub const OWNERS: &[&str] = &["o", "acme", "ACME", "Scalingo"];
/// Repository names.
pub const REPOS: &[&str] = &["r", "shop", "sample-go-martini", "app.js"];
/// Valid refs.
pub const REFS: &[&str] = &["main", "dev", "feature/x", "v1.2", "0123abc"];
/// Invalid refs (rule `SRC-7`).
pub const BAD_REFS: &[&str] = &["my branch", "..", "a..b", "-x", "x.lock", "@", "a^b", "x/"];

/// A ref, valid or not.
pub fn any_ref() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(REFS).prop_map(str::to_string),
        1 => select(BAD_REFS).prop_map(str::to_string),
    ]
}

prop_compose! {
    /// A GitHub repository URL as written in `source` or `repository`:
    /// `https://github.com/<owner>/<repo>[.git][/][#ref]`.
    pub fn github_url()(
        owner in select(OWNERS),
        repo in select(REPOS),
        suffix in select(vec!["", ".git", "/", ".git/"]),
        fragment in option::weighted(0.4, any_ref()),
    ) -> String {
        let fragment = fragment.map(|r| format!("#{r}")).unwrap_or_default();
        format!("https://github.com/{owner}/{repo}{suffix}{fragment}")
    }
}

prop_compose! {
    /// A GitHub repository page as a browser sends it in `Referer`.
    pub fn github_page()(
        owner in select(OWNERS),
        repo in select(REPOS),
        page in 0..5usize,
        r in any_ref(),
    ) -> String {
        match page {
            0 => format!("https://github.com/{owner}/{repo}"),
            1 => format!("https://github.com/{owner}/{repo}/tree/{r}"),
            2 => format!("https://github.com/{owner}/{repo}/tree/{r}/api"),
            3 => format!("https://github.com/{owner}/{repo}/blob/{r}/README.md"),
            _ => format!("https://github.com/{owner}/{repo}?tab=readme-ov-file#readme"),
        }
    }
}

/// URLs that are not a usable GitHub repository URL, or are only in some roles.
pub const BAD_URLS: &[&str] = &[
    "http://github.com/o/r",
    "https://gitlab.com/o/r",
    "https://gist.github.com/o/r",
    "https://github.com/o",
    "https://github.com/",
    "https://github.com/o/r/issues/3",
    "git@github.com:o/r.git",
    "ssh://git@github.com/o/r",
    "not a url",
    "https:github.com/o/r",
    "https://www.github.com/o/r",
    "https://github.com:8443/o/r",
    "https://github.com/o/r/tree/main/api",
    "https://github.com/o/r?ref=x",
    " https://github.com/o/r ",
    "https://%67ithub.com/o/r",
    "https://github.com./o/r",
    "https://github.com/o/r#",
    "https://github.com/o/r/tree/dev#main",
];

/// Any URL-ish input: a repository URL, a page, a bad URL, or any string.
pub fn any_url() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => github_url(),
        2 => github_page(),
        3 => select(BAD_URLS).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

prop_compose! {
    /// A one-click request: Referer and `source`, each absent, empty or any URL.
    pub fn request()(
        referer in option::of(prop_oneof![3 => github_page(), 1 => any_url(), 1 => Just(String::new())]),
        source in option::of(prop_oneof![4 => any_url(), 1 => Just(String::new())]),
    ) -> OneClickRequest {
        OneClickRequest { referer, source }
    }
}

/// A URL carrying credentials or a token, and the secret strings it carries. The secrets
/// are distinctive (`usr…`, `pw…`, `tok…` with 8 random characters) so that they cannot
/// appear in a message by accident.
pub fn url_with_credentials() -> impl Strategy<Value = (String, Vec<String>)> {
    (
        "[A-Z0-9]{8}",
        "[A-Z0-9]{8}",
        0..6usize,
        select(vec!["https", "http", "ssh", "git+https"]),
        select(vec![
            "github.com",
            "gitlab.com",
            "www.github.com",
            "github.com:8443",
        ]),
        select(vec![
            "o/r",
            "o",
            "o/r/issues/1",
            "o/r/tree/main/x",
            "",
            "o/r.git",
        ]),
        select(vec!["", "#main", "#my branch", "?x=1", "\n", " "]),
    )
        .prop_map(|(a, b, form, scheme, host, path, tail)| {
            let user = format!("usr{a}");
            let password = format!("pw{b}");
            let token = format!("tok{a}{b}");
            match form {
                0 => (
                    format!("{scheme}://{user}:{password}@{host}/{path}{tail}"),
                    vec![user, password],
                ),
                1 => (
                    format!("{scheme}://{token}@{host}/{path}{tail}"),
                    vec![token],
                ),
                2 => (
                    format!("{scheme}://:{password}@{host}/{path}{tail}"),
                    vec![password],
                ),
                3 => (format!("{scheme}://{user}@{host}/{path}{tail}"), vec![user]),
                4 => (
                    format!("{scheme}://{host}/{path}?access_token={token}{tail}"),
                    vec![token],
                ),
                _ => (
                    format!("{scheme}://{user}:{password}@{host}/{path}?token={token}{tail}"),
                    vec![user, password, token],
                ),
            }
        })
}

// ---------------------------------------------------------------------------------------
// Hooks (HOOK-*)

/// A hook script: absent, blank (rule `HOOK-14`: counts as absent), or a command.
pub fn script() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => select(vec!["", "  ", "\t\n"]).prop_map(|s| Some(s.to_string())),
        3 => select(vec!["rake db:seed", " migrate ", "bin/setup"]).prop_map(|s| Some(s.to_string())),
    ]
}

prop_compose! {
    /// The three hook scripts.
    pub fn hook_scripts()(
        first_deploy in script(),
        manifest_postdeploy in script(),
        procfile_postdeploy in script(),
    ) -> HookScripts {
        HookScripts { first_deploy, manifest_postdeploy, procfile_postdeploy }
    }
}

/// A hook result: mostly success, sometimes a failure or a timeout.
pub fn hook_result() -> impl Strategy<Value = HookResult> {
    prop_oneof![
        6 => Just(HookResult::Exit(0)),
        2 => Just(HookResult::Exit(1)),
        1 => Just(HookResult::Exit(-128)),
        1 => any::<i32>().prop_map(HookResult::Exit),
        1 => Just(HookResult::Timeout),
    ]
}

prop_compose! {
    /// One deployment attempt, each step mostly successful.
    pub fn attempt()(
        build in prop_oneof![5 => Just(BuildResult::Success), 1 => Just(BuildResult::Error)],
        start in prop_oneof![
            8 => Just(StartResult::Success),
            1 => Just(StartResult::Crashed),
            1 => Just(StartResult::Timeout),
        ],
        hook in hook_result(),
    ) -> Attempt {
        Attempt { build, start, hook }
    }
}

// ---------------------------------------------------------------------------------------
// Scenarios (SCN-*)

/// Manifest-like and Procfile-like file contents: `{}`, small documents of every section,
/// broken JSON, and arbitrary strings.
pub const FILE_CONTENTS: &[&str] = &[
    "{}",
    "",
    "{",
    "[]",
    "null",
    "\u{feff}{}",
    "{\"env\": {\"A\": {\"value\": \"x\"}, \"S\": {\"generator\": \"secret\"}}}",
    "{\"env\": {\"API_KEY\": {\"required\": true}}, \"addons\": [\"redis\"]}",
    "{\"addons\": [], \"formation\": {\"web\": {\"amount\": 2, \"size\": \"L\"}}}",
    "{\"scripts\": {\"first-deploy\": \"rake db:seed\", \"postdeploy\": \"migrate\"}}",
    "{\"repository\": \"https://github.com/o/r\", \"ref\": \"dev\", \"stack\": \"heroku-16\"}",
    "{\"name\": \"x\" // comment\n, }",
    "{\"a\": 1, \"a\": 2}",
    "web: ./server\nworker: ./work\npostdeploy: rake db:migrate\n",
    "web ./server\n\n:\n",
    "{\r\n  \"env\": {\"A\": 1}\r\n  \"addons\": []\r\n}\r\n",
    "{\"a\": \"é\",\r\n \"b\": [1,\r\n], \"😀\": true,}",
    "web: ./server\r\npostdeploy: migrate\r\n",
];

/// A file's content.
pub fn file_content() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(FILE_CONTENTS).prop_map(str::to_string),
        1 => "\\PC{0,40}",
        1 => any::<String>(),
    ]
}

/// An app name: mostly valid (rule `SCN-2`), sometimes not.
pub fn app_name() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z][a-z0-9-]{0,20}[a-z0-9]",
        1 => select(vec!["my-app-pr12", "-x", "A", "", "a_b", "%URL%"]).prop_map(str::to_string),
        1 => "\\PC{0,70}",
    ]
}

/// Variables of a scenario (parent env or one-click form): mostly valid names, so that
/// resolution usually goes past `ENV-12`'s errors.
pub fn scenario_env() -> impl Strategy<Value = BTreeMap<String, String>> {
    btree_map(
        prop_oneof![12 => valid_env_name(), 1 => near_valid_env_name()],
        prop_oneof![12 => "[a-z0-9:/._-]{0,10}", 1 => env_value_text()],
        0..6,
    )
}

/// A `PROJECT_DIR` value: as users write valid ones, or hostile.
pub fn any_project_dir() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => project_dir().prop_map(Option::unwrap_or_default),
        1 => hostile_project_dir(),
    ]
}

/// An IPv4 network in CIDR notation, host bits clear (rules `FW-3`, `FW-5`: no finding).
pub fn firewall_network() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(vec!["203.0.113.42/32", "10.0.0.0/24", "0.0.0.0/0", "192.168.0.0/16", "198.51.100.0/25"])
            .prop_map(str::to_string),
        1 => (any::<u32>(), 0u8..=32).prop_map(|(addr, len)| {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - u32::from(len)) };
            format!("{}/{len}", std::net::Ipv4Addr::from(addr & mask))
        }),
    ]
}

prop_compose! {
    /// One firewall rule of a parent app (accepted by the platform: a network, host bits
    /// clear), with a label or none.
    pub fn parent_firewall_rule()(
        cidr in firewall_network(),
        label in option::of(select(vec!["office", "vpn", "Bureau Paris", "ci \"runner\""]).prop_map(str::to_string)),
    ) -> ParentFirewallRule {
        ParentFirewallRule { cidr, label }
    }
}

/// A parent app's firewall rules: 0 to 5, networks unique (as the platform keeps them).
pub fn parent_firewall_rules() -> impl Strategy<Value = Vec<ParentFirewallRule>> {
    vec(parent_firewall_rule(), 0..5).prop_map(|v| dedup_keep_first(v, |p| p.cidr.as_str()))
}

prop_compose! {
    /// A parent app: env (sometimes with a `PROJECT_DIR`, hostile or not), addons,
    /// formation, stack, firewall rules.
    pub fn parent_app()(
        name in app_name(),
        mut env in scenario_env(),
        project_dir in option::weighted(0.3, any_project_dir()),
        addon_vars in parent_addon_vars(),
        addons in parent_addons(),
        formation in parent_formation(),
        stack in option::of(select(vec!["scalingo-22", "scalingo-20", "heroku-16"])),
        firewall_rules in parent_firewall_rules(),
    ) -> ParentApp {
        if let Some(dir) = project_dir {
            env.insert("PROJECT_DIR".to_string(), dir);
        }
        ParentApp { name, env, addon_vars, addons, formation, stack: stack.map(str::to_string), firewall_rules }
    }
}

/// Procfile contents.
pub const PROCFILE_CONTENTS: &[&str] = &[
    "web: ./server\n",
    "web: ./server\nworker: ./work\npostdeploy: rake db:migrate\n",
    "worker: ./work\nclock: ./clock\n",
    "postdeploy: \n",
    "web ./server\n\n:\n",
    "worker ./w\r\nweb: x\r\n:\r\n",
    "",
];

/// A folder of [`DIRS`], the root most often (where a `PROJECT_DIR`-less app looks).
pub fn root_mostly() -> impl Strategy<Value = &'static str> {
    prop_oneof![2 => Just(""), 1 => select(DIRS)]
}

prop_compose! {
    /// A repository: files at various depths with any contents, plus (often) a manifest
    /// and a Procfile in one of the folders `PROJECT_DIR` may name.
    pub fn repository()(
        mut files in btree_map(repo_path(), file_content(), 0..6),
        manifest in option::weighted(0.7, (root_mostly(), select(MANIFEST_FILE_NAMES), file_content())),
        procfile in option::weighted(0.6, (root_mostly(), select(PROCFILE_CONTENTS))),
        default_branch in option::of(any_ref()),
    ) -> RepositorySpec {
        if let Some((dir, name, content)) = manifest {
            files.insert(join(dir, name), content);
        }
        if let Some((dir, content)) = procfile {
            files.insert(join(dir, "Procfile"), content.to_string());
        }
        RepositorySpec { files, default_branch }
    }
}

prop_compose! {
    /// A scenario of either kind, with inputs of both kinds present or not (each kind must
    /// ignore the other's), files at various depths with arbitrary contents, and a seed
    /// most of the time.
    pub fn scenario()(
        kind in kind(),
        seed in option::weighted(0.9, any::<u64>()),
        name in app_name(),
        region in option::of(select(vec!["osc-fr1", "osc-secnum-fr1"])),
        pr_number in option::of(prop_oneof![0u64..100, any::<u64>()]),
        repository in repository(),
        parent in option::weighted(0.9, parent_app()),
        request in option::weighted(0.9, prop_oneof![
            3 => github_url().prop_map(|source| OneClickRequest { referer: None, source: Some(source) }),
            2 => request(),
        ]),
        mut user_env in scenario_env(),
        user_project_dir in option::weighted(0.3, any_project_dir()),
        (attempts, date) in (vec(attempt(), 0..5), platform_date()),
    ) -> Scenario {
        if let Some(dir) = user_project_dir {
            user_env.insert("PROJECT_DIR".to_string(), dir);
        }
        Scenario {
            kind,
            date,
            seed,
            app: AppSpec { name, region: region.map(str::to_string) },
            pr_number,
            repository,
            parent,
            request,
            user_env,
            attempts,
        }
    }
}

/// A day between 2014 and 2033: before, across and after every dated entry of the
/// platform catalogue (`spec/platform.json`), so that properties meet every stack status,
/// both env value limits and the days before and after `firewall_rules` and `3XL`.
pub fn platform_date() -> impl Strategy<Value = scalingo_manifest::platform::Date> {
    (2014i16..=2033, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| {
        scalingo_manifest::platform::Date::from_ymd(y, m, d)
            .expect("days 1 to 28 exist in every month")
    })
}
