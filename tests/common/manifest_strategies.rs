//! Strategies for the manifest and Procfile properties (`tests/prop_manifest.rs`,
//! `tests/prop_procfile.rs`; see `TESTING.md`).
//!
//! * **Models**: whole manifests as the validator returns them for documents without
//!   errors (`valid_model`), with the contents that keep a finding whatever the writing
//!   (`PROJECT_DIR`, `heroku-*` providers, `scripts.postdeploy`, ...) drawn now and then, and
//!   an independent statement of which of those findings a model implies
//!   (`content_codes`).
//! * **Documents**: a small JSON tree ([`Doc`]) written from a model independently of
//!   `manifest::canonical` ([`doc_of`]), printed in several layouts with the byte position
//!   of every value, key and comma ([`Doc::render`]), so that a property knows where a
//!   finding must be.
//! * **Mutations**: valid documents made invalid in one documented way ([`Mutation`]: a
//!   removed comma, a wrong type, an unknown key, a duplicate key, a trailing comma, a
//!   comment, a BOM, CRLF line endings, an invalid UTF-8 sequence, deep nesting), each
//!   applied by [`mutate`], which says what it did and where.
//! * **Bytes**: arbitrary bytes, and JSON-looking or Procfile-looking garbage.
//! * **Procfiles**: entries with valid, reserved, near-reserved and repeated names, and
//!   Procfile texts with every kind of line.
//!
//! As in `strategies.rs`, everything is built with `prop_map`, `prop_compose!` and
//! `prop_oneof!` over small pools (no filters), so a shrunk counterexample is short.

use scalingo_manifest::manifest::CompactString;
use std::collections::BTreeSet;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use scalingo_manifest::firewall::FirewallRuleSpec;
use scalingo_manifest::manifest::{
    AddonShape, AddonSpec, ContainerSize, EnvValue, EnvVar, FormationEntry, Generator, Manifest,
    Scripts, Spanned,
};
use scalingo_manifest::text::Span;

use super::strategies::{dedup_keep_first, dedup_keep_last, firewall_network, NAME_POOL};

// ---------------------------------------------------------------------------------------
// A JSON tree with positions

/// A JSON value to print (numbers as written).
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, exactly as written (`1`, `1.0`, `-1`).
    Num(String),
    /// A string (escaped when printed).
    Str(String),
    /// An array.
    Arr(Vec<Doc>),
    /// An object, members in order (duplicates allowed).
    Obj(Vec<Member>),
}

/// One member of a [`Doc::Obj`].
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key (unescaped).
    pub key: String,
    /// The value.
    pub value: Doc,
    /// Write the key's first character as a `\uXXXX` escape (the same key for JSON).
    pub escape_key: bool,
}

impl Member {
    /// A member with a plainly written key.
    pub fn new(key: &str, value: Doc) -> Self {
        Member {
            key: key.to_string(),
            value,
            escape_key: false,
        }
    }
}

/// How a [`Doc`] is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One member or element per line, indented by this many spaces.
    Pretty(usize),
    /// No white space at all.
    Compact,
    /// One line, `", "` and `": "` separators.
    Spaced,
}

/// Any layout.
pub fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        3 => Just(Layout::Pretty(2)),
        1 => Just(Layout::Pretty(4)),
        1 => Just(Layout::Compact),
        1 => Just(Layout::Spaced),
    ]
}

/// Where one value of a rendered [`Doc`] was written.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    /// Child indices from the root (`[]` for the root).
    pub ipath: Vec<usize>,
    /// Reference tokens from the root (keys, or array indices in decimal).
    pub path: Vec<String>,
    /// The RFC 6901 pointer of `path`.
    pub pointer: String,
    /// Number of arrays and objects around the value (0 for the root).
    pub depth: usize,
    /// First byte of the value.
    pub start: usize,
    /// Byte after the value.
    pub end: usize,
    /// The key's bytes, quotes included, when the value is an object member.
    pub key: Option<(usize, usize)>,
    /// The comma after this member or element, if another one follows.
    pub comma: Option<usize>,
    /// First byte of the next member (its key) or element, if any.
    pub next_start: Option<usize>,
    /// For an array or object: number of children.
    pub children: Option<usize>,
    /// For an array or object: the end of its last child.
    pub last_child_end: Option<usize>,
    /// For an object: true. For an array: false. `None` for a scalar.
    pub is_object: Option<bool>,
}

/// A printed [`Doc`]: the text and every value's position, in document order.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The JSON text.
    pub text: String,
    /// Every value, in the order of its first byte.
    pub nodes: Vec<NodeInfo>,
}

impl Rendered {
    /// The nodes whose pointer is `pointer`, in document order (two when a key is
    /// duplicated).
    pub fn by_pointer(&self, pointer: &str) -> Vec<&NodeInfo> {
        self.nodes.iter().filter(|n| n.pointer == pointer).collect()
    }
}

/// An RFC 6901 pointer, stated independently of `diag::pointer_push`.
pub fn pointer_of(path: &[String]) -> String {
    path.iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

fn string_literal(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn key_literal(key: &str, escape_first: bool) -> String {
    let mut chars = key.chars();
    match (escape_first, chars.next()) {
        (true, Some(first)) => {
            let mut out = String::from("\"");
            let mut units = [0u16; 2];
            for u in first.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
            let rest = string_literal(chars.as_str());
            out.push_str(&rest[1..]);
            out
        }
        _ => string_literal(key),
    }
}

impl Doc {
    /// Prints the document in `layout`, with the position of every value.
    pub fn render(&self, layout: Layout) -> Rendered {
        let mut r = Rendered {
            text: String::new(),
            nodes: Vec::new(),
        };
        self.write(layout, &mut r, &mut Vec::new(), &mut Vec::new(), None);
        r
    }

    fn write(
        &self,
        layout: Layout,
        r: &mut Rendered,
        ipath: &mut Vec<usize>,
        path: &mut Vec<String>,
        key: Option<(usize, usize)>,
    ) -> usize {
        let me = r.nodes.len();
        r.nodes.push(NodeInfo {
            ipath: ipath.clone(),
            path: path.clone(),
            pointer: pointer_of(path),
            depth: path.len(),
            start: r.text.len(),
            end: 0,
            key,
            comma: None,
            next_start: None,
            children: None,
            last_child_end: None,
            is_object: None,
        });
        let level = path.len();
        let newline = |r: &mut Rendered, level: usize| {
            if let Layout::Pretty(n) = layout {
                r.text.push('\n');
                r.text.push_str(&" ".repeat(n * level));
            }
        };
        let (open, close, len) = match self {
            Doc::Null => {
                r.text.push_str("null");
                (None, None, 0)
            }
            Doc::Bool(b) => {
                r.text.push_str(if *b { "true" } else { "false" });
                (None, None, 0)
            }
            Doc::Num(n) => {
                r.text.push_str(n);
                (None, None, 0)
            }
            Doc::Str(s) => {
                r.text.push_str(&string_literal(s));
                (None, None, 0)
            }
            Doc::Arr(items) => (Some('['), Some(']'), items.len()),
            Doc::Obj(members) => (Some('{'), Some('}'), members.len()),
        };
        if let (Some(open), Some(close)) = (open, close) {
            r.text.push(open);
            let mut prev: Option<usize> = None;
            for i in 0..len {
                newline(r, level + 1);
                let child_start = r.text.len();
                if let Some(p) = prev {
                    r.nodes[p].next_start = Some(child_start);
                }
                ipath.push(i);
                let child = match self {
                    Doc::Arr(items) => {
                        path.push(i.to_string());
                        items[i].write(layout, r, ipath, path, None)
                    }
                    Doc::Obj(members) => {
                        let m = &members[i];
                        path.push(m.key.clone());
                        let ks = r.text.len();
                        r.text.push_str(&key_literal(&m.key, m.escape_key));
                        let ke = r.text.len();
                        r.text
                            .push_str(if layout == Layout::Compact { ":" } else { ": " });
                        m.value.write(layout, r, ipath, path, Some((ks, ke)))
                    }
                    _ => unreachable!("only containers have children"),
                };
                path.pop();
                ipath.pop();
                r.nodes[me].last_child_end = Some(r.nodes[child].end);
                if i + 1 < len {
                    r.nodes[child].comma = Some(r.text.len());
                    r.text.push(',');
                    if layout == Layout::Spaced {
                        r.text.push(' ');
                    }
                }
                prev = Some(child);
            }
            if len > 0 {
                newline(r, level);
            }
            r.text.push(close);
            r.nodes[me].children = Some(len);
            r.nodes[me].is_object = Some(open == '{');
        }
        r.nodes[me].end = r.text.len();
        me
    }

    /// The value at child indices `ipath`.
    pub fn at_mut(&mut self, ipath: &[usize]) -> Option<&mut Doc> {
        let Some((&first, rest)) = ipath.split_first() else {
            return Some(self);
        };
        match self {
            Doc::Arr(items) => items.get_mut(first)?.at_mut(rest),
            Doc::Obj(members) => members.get_mut(first)?.value.at_mut(rest),
            _ => None,
        }
    }

    /// Reorders the members of every object (not array elements) with a permutation drawn
    /// from `seed`; each object gets its own.
    pub fn permute_objects(&mut self, seed: u64) {
        let mut state = seed | 1;
        self.permute_with(&mut state);
    }

    fn permute_with(&mut self, state: &mut u64) {
        match self {
            Doc::Obj(members) => {
                // Fisher-Yates with a xorshift stream: deterministic for the seed.
                for i in (1..members.len()).rev() {
                    *state ^= *state << 13;
                    *state ^= *state >> 7;
                    *state ^= *state << 17;
                    let j = usize::try_from(*state % (i as u64 + 1)).unwrap_or(0);
                    members.swap(i, j);
                }
                for m in members {
                    m.value.permute_with(state);
                }
            }
            Doc::Arr(items) => {
                for item in items {
                    item.permute_with(state);
                }
            }
            _ => {}
        }
    }
}

/// A small JSON value of any type (the content of unknown keys and dropped duplicates).
pub fn junk() -> impl Strategy<Value = Doc> {
    let leaf = prop_oneof![
        Just(Doc::Null),
        any::<bool>().prop_map(Doc::Bool),
        select(vec!["0", "1", "-2.5", "1e3", "1001"]).prop_map(|n| Doc::Num(n.to_string())),
        free_text().prop_map(Doc::Str),
    ];
    leaf.prop_recursive(2, 6, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Doc::Arr),
            vec((select(vec!["a", "b", "é", "x/y"]), inner), 0..3).prop_map(|ms| {
                Doc::Obj(
                    dedup_keep_last(ms, |(k, _)| k)
                        .into_iter()
                        .map(|(k, v)| Member::new(k, v))
                        .collect(),
                )
            }),
        ]
    })
}

// ---------------------------------------------------------------------------------------
// Models (what `check` returns for documents without errors)

/// Strings that are hard to write in JSON: quotes, backslashes, control characters,
/// non-ASCII, JSON and comment syntax, a BOM character.
pub const TRICKY_STRINGS: &[&str] = &[
    "",
    "x",
    "My App",
    "a\"b",
    "back\\slash",
    "line\nbreak",
    "tab\tx",
    "\u{0}",
    "\u{1f}\u{7f}",
    "Café Crème",
    "日本語",
    "😀",
    "\u{2028}\u{2029}",
    "{\"a\": [1,]}",
    "// not a comment",
    "/* nor this */",
    "\u{feff}",
    "%URL%",
];

/// Free text: tricky strings, printable strings, and any string at all.
pub fn free_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(TRICKY_STRINGS).prop_map(str::to_string),
        2 => "\\PC{0,12}",
        1 => any::<String>(),
    ]
}

/// Text that is not empty nor only white space (Rust's `trim`, as rules `MAN-4` and
/// `MAN-SCR-4` read it).
pub fn non_blank_text() -> impl Strategy<Value = String> {
    free_text().prop_map(|s| {
        if s.trim().is_empty() {
            format!("run{s}")
        } else {
            s
        }
    })
}

/// Absolute http(s) URLs (rule `MAN-3`: no finding).
pub const GOOD_URLS: &[&str] = &[
    "https://example.com",
    "http://example.com/logo.png",
    "https://cdn.example.org/a/b.svg?v=1#top",
    "https://xn--caf-dma.fr/",
    "https://example.com/é",
];
/// Non-empty strings that are not absolute http(s) URLs (rule `MAN-3`: SM0103, kept).
pub const BAD_URLS: &[&str] = &[
    "example.com",
    "ftp://example.com/logo.png",
    "/logo.svg",
    " https://example.com",
    "https://",
    "logo",
];

/// A `logo` or `website`: mostly a good URL.
pub fn url_field() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(GOOD_URLS).prop_map(str::to_string),
        1 => select(BAD_URLS).prop_map(str::to_string),
    ]
}

/// The stacks of rule `MAN-5`.
pub const STACKS: &[&str] = &[
    "scalingo-14",
    "scalingo-18",
    "scalingo-20",
    "scalingo-22",
    "scalingo-24",
    "scalingo-26",
];

/// A valid variable name (rule `MAN-ENV-2`): the shared pool (with `PROJECT_DIR`), free
/// names, the longest one.
pub fn env_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(NAME_POOL).prop_map(str::to_string),
        3 => "[A-Za-z][A-Za-z0-9_]{0,20}",
        1 => Just(format!("Z{}", "9".repeat(63))),
    ]
}

/// Template pieces that make tokens unambiguous: the four known tokens, two unknown ones
/// (`%url%`, `%OTHER%`: SM0217), and text without `%`.
pub const TEMPLATE_PARTS: &[&str] = &[
    "%URL%",
    "%APP%",
    "%PARENT_APP%",
    "%PR_NUMBER%",
    "%url%",
    "%OTHER%",
    "/admin",
    "-",
    "x",
    "é",
    "?q=1",
    "\"",
];

/// A template of up to 4 pieces.
pub fn template() -> impl Strategy<Value = String> {
    vec(select(TEMPLATE_PARTS), 0..5).prop_map(|v| v.concat())
}

/// True when `template` (built from [`TEMPLATE_PARTS`]) has an unknown token (SM0217).
pub fn has_unknown_token(template: &str) -> bool {
    template.contains("%url%") || template.contains("%OTHER%")
}

/// A generator (rule `MAN-ENV-6`, `MAN-ENV-7`).
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

/// A value rule; a `Value` is never empty and at most 32768 characters (rule `MAN-ENV-5`).
pub fn env_value() -> impl Strategy<Value = EnvValue> {
    prop_oneof![
        20 => Just(EnvValue::Unset),
        // No NUL: a value with one is an error (MAN-ENV-15), never in a valid model.
        40 => non_blank_text().prop_map(|value| EnvValue::Value { value: value.replace('\0', "\u{1}").into() }),
        // The longest value: 32768 characters, 65536 bytes (rare: it is slow to print).
        1 => Just(EnvValue::Value { value: "é".repeat(32768).into() }),
        20 => Just(EnvValue::Delete),
        40 => generator().prop_map(|generator| EnvValue::Generator { generator }),
    ]
}

prop_compose! {
    /// One env entry as `check` returns it (placeholder spans).
    pub fn env_var()(
        name in env_name(),
        value in env_value(),
        description in option::weighted(0.3, free_text()),
        required in any::<bool>(),
    ) -> EnvVar {
        EnvVar { name: name.into(), name_span: Span::point(0), span: Span::point(0), description: description.map(Into::into), value, required }
    }
}

/// Addon providers: Scalingo's, two Heroku ones (SM0312), and free IDs.
pub const ADDON_PROVIDERS: &[&str] = &[
    "redis",
    "postgresql",
    "mongodb",
    "mysql",
    "elasticsearch",
    "influxdb",
    "scalingo-",
    "heroku-postgresql",
    "heroku-redis",
];

/// A lowercase ID `[a-z0-9][a-z0-9._-]*` (rule `MAN-ADD-2`), never `scalingo-<x>`
/// (rule `MAN-ADD-3` would rename it).
pub fn addon_id() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._-]{0,10}".prop_map(|s| {
        if s.starts_with("scalingo-") && s.len() > 9 {
            format!("x{s}")
        } else {
            s
        }
    })
}

prop_compose! {
    /// One addon as `check` returns it, any shape.
    pub fn addon()(
        addon in prop_oneof![3 => select(ADDON_PROVIDERS).prop_map(str::to_string), 1 => addon_id()],
        plan in option::of(prop_oneof![
            select(vec!["redis-starter-128", "postgresql-business-1024", "sandbox"]).prop_map(str::to_string),
            addon_id(),
        ]),
        version in option::of(prop_oneof![
            select(vec!["7", "15.2", "6.0.1"]).prop_map(str::to_string),
            "\\PC{1,6}",
        ]),
        shape in select(vec![AddonShape::Name, AddonShape::NamePlan, AddonShape::Object]),
    ) -> AddonSpec {
        AddonSpec { addon: addon.into(), plan: plan.map(Into::into), version: version.map(Into::into), shape, span: Span::point(0) }
    }
}

/// A process type name (rule `MAN-FRM-2`), never `postdeploy`.
pub fn process_type() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(vec!["web", "worker", "clock", "tcp", "Worker", "release", "x1"]).prop_map(str::to_string),
        1 => "[A-Za-z0-9]{1,24}".prop_map(|s| if s == "postdeploy" { "postdeploy2".to_string() } else { s }),
    ]
}

prop_compose! {
    /// One formation entry as `check` returns it.
    pub fn formation_entry()(
        process_type in process_type(),
        amount in option::of(prop_oneof![4 => 0u32..4, 1 => 0u32..=1000]),
        size in option::of(select(ContainerSize::ALL.to_vec())),
    ) -> FormationEntry {
        FormationEntry { process_type: process_type.into(), name_span: Span::point(0), span: Span::point(0), amount, size }
    }
}

prop_compose! {
    /// One firewall rule as `check` returns it for a valid document: a network, and a
    /// label that is not empty, or none.
    pub fn firewall_rule()(
        cidr in firewall_network(),
        label in option::of(free_text().prop_map(|s| if s.is_empty() { "office".to_string() } else { s })),
    ) -> FirewallRuleSpec {
        FirewallRuleSpec { written: cidr.clone(), cidr, label, span: Span::point(0) }
    }
}

fn spanned(s: Option<String>) -> Option<Spanned<CompactString>> {
    s.map(|v| Spanned::new(v.into(), Span::point(0)))
}

prop_compose! {
    /// A manifest as `check` returns it for a document without errors (rule `MAN-9`):
    /// every field present or not, names unique, every value within its rule.
    pub fn valid_model()(
        name in option::of(free_text()),
        description in option::of(free_text()),
        logo in option::weighted(0.3, url_field()),
        website in option::weighted(0.3, url_field()),
        repository in option::weighted(0.3, prop_oneof![
            Just("https://github.com/o/r".to_string()),
            non_blank_text(),
        ]),
        git_ref in option::weighted(0.3, prop_oneof![
            select(vec!["main", "feature/x", "0123abc"]).prop_map(str::to_string),
            non_blank_text(),
        ]),
        stack in option::weighted(0.3, select(STACKS).prop_map(str::to_string)),
        env in option::weighted(0.7, vec(env_var(), 0..6)),
        addons in option::weighted(0.6, vec(addon(), 0..4)),
        formation in option::weighted(0.6, vec(formation_entry(), 0..4)),
        first_deploy in option::weighted(0.3, non_blank_text()),
        postdeploy in option::weighted(0.15, non_blank_text()),
        copy in option::weighted(0.3, any::<bool>()),
        firewall_rules in option::weighted(0.3, vec(firewall_rule(), 0..4)),
    ) -> Manifest {
        Manifest {
            name: spanned(name),
            description: spanned(description),
            logo: spanned(logo),
            website: spanned(website),
            repository: spanned(repository),
            git_ref: spanned(git_ref),
            stack: spanned(stack),
            env: env.map(|v| dedup_keep_last(v, |e| e.name.as_str())),
            addons,
            formation: formation.map(|v| dedup_keep_last(v, |f| f.process_type.as_str())),
            scripts: Scripts { first_deploy: spanned(first_deploy), postdeploy: spanned(postdeploy) },
            copy_parent_database_urls: copy.map(|b| Spanned::new(b, Span::point(0))),
            firewall_rules: firewall_rules.map(|v| dedup_keep_first(v, |r| r.cidr.as_str())),
        }
    }
}

/// The codes of the findings a valid model implies whatever the writing (rule `MAN-10`),
/// stated independently from the pools above: SM0103 for a `logo`/`website` of
/// [`BAD_URLS`], SM0217 for an unknown token, SM0222 for `PROJECT_DIR`, SM0223 for an
/// entry with nothing, SM0312 for a `heroku-*` provider, SM0314 for a `*-sandbox` plan (retired
/// from 2026-03-02), SM0502 for `scripts.postdeploy`, SM0227 for a value or template on
/// several lines.
pub fn content_codes(m: &Manifest) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    let bad = |f: &Option<Spanned<CompactString>>| {
        f.as_ref()
            .is_some_and(|s| BAD_URLS.contains(&s.value.as_str()))
    };
    if bad(&m.logo) || bad(&m.website) {
        out.insert("SM0103");
    }
    // The stack's status on the tests' day (rule `PLAT-3`, 2026-12-07).
    match m.stack.as_ref().map(|s| s.value.as_str()) {
        Some("scalingo-22") => {
            out.insert("SM0110");
        }
        Some("scalingo-14" | "scalingo-18" | "scalingo-20") => {
            out.insert("SM0111");
        }
        _ => {}
    }
    for e in m.env.iter().flatten() {
        if e.name == "PROJECT_DIR" {
            out.insert("SM0222");
        }
        if scalingo_manifest::platform::platform_var(&e.name, super::day()).is_some() {
            out.insert("SM0225");
        }
        match &e.value {
            EnvValue::Unset if e.description.is_none() && !e.required => {
                out.insert("SM0223");
            }
            EnvValue::Generator {
                generator:
                    Generator::Url { template: Some(t) } | Generator::Template { template: t },
            } if has_unknown_token(t) => {
                out.insert("SM0217");
            }
            _ => {}
        }
    }
    if m.addons
        .iter()
        .flatten()
        .any(|a| a.addon.starts_with("heroku-"))
    {
        out.insert("SM0312");
    }
    if m.addons
        .iter()
        .flatten()
        .any(|a| a.plan.as_deref().is_some_and(|p| p.ends_with("-sandbox")))
    {
        out.insert("SM0314");
    }
    if m.scripts.postdeploy.is_some() {
        out.insert("SM0502");
    }
    // MAN-ENV-15: a value or template on several lines.
    let multi_line = |s: &str| s.contains(['\n', '\r']);
    if m.env.iter().flatten().any(|e| match &e.value {
        EnvValue::Value { value } => multi_line(value),
        EnvValue::Generator {
            generator: Generator::Url { template: Some(t) } | Generator::Template { template: t },
        } => multi_line(t),
        _ => false,
    }) {
        out.insert("SM0227");
    }
    out
}

/// The document of a model, written independently of `manifest::canonical`: the same
/// structure, in the canonical key order.
pub fn doc_of(m: &Manifest) -> Doc {
    let mut top = Vec::new();
    let strings = [
        ("name", &m.name),
        ("description", &m.description),
        ("logo", &m.logo),
        ("website", &m.website),
        ("repository", &m.repository),
        ("ref", &m.git_ref),
        ("stack", &m.stack),
    ];
    for (k, v) in strings {
        if let Some(s) = v {
            top.push(Member::new(k, Doc::Str(s.value.to_string())));
        }
    }
    if let Some(env) = &m.env {
        let entries = env
            .iter()
            .map(|e| {
                let mut f = Vec::new();
                match &e.value {
                    EnvValue::Unset => {}
                    EnvValue::Value { value } => {
                        f.push(Member::new("value", Doc::Str(value.to_string())))
                    }
                    EnvValue::Delete => f.push(Member::new("value", Doc::Null)),
                    EnvValue::Generator { generator } => match generator {
                        Generator::Secret => {
                            f.push(Member::new("generator", Doc::Str("secret".into())))
                        }
                        Generator::Url { template } => {
                            f.push(Member::new("generator", Doc::Str("url".into())));
                            if let Some(t) = template {
                                f.push(Member::new("template", Doc::Str(t.to_string())));
                            }
                        }
                        Generator::Template { template } => {
                            f.push(Member::new("generator", Doc::Str("template".into())));
                            f.push(Member::new("template", Doc::Str(template.to_string())));
                        }
                    },
                }
                if let Some(d) = &e.description {
                    f.push(Member::new("description", Doc::Str(d.to_string())));
                }
                if e.required {
                    f.push(Member::new("required", Doc::Bool(true)));
                }
                Member::new(&e.name, Doc::Obj(f))
            })
            .collect();
        top.push(Member::new("env", Doc::Obj(entries)));
    }
    if let Some(addons) = &m.addons {
        let items = addons
            .iter()
            .map(|a| {
                let plan = match &a.plan {
                    Some(p) => format!("{}:{p}", a.addon),
                    None => a.addon.to_string(),
                };
                let mut f = vec![Member::new("plan", Doc::Str(plan))];
                if let Some(v) = &a.version {
                    f.push(Member::new(
                        "options",
                        Doc::Obj(vec![Member::new("version", Doc::Str(v.to_string()))]),
                    ));
                }
                Doc::Obj(f)
            })
            .collect();
        top.push(Member::new("addons", Doc::Arr(items)));
    }
    if let Some(formation) = &m.formation {
        let entries = formation
            .iter()
            .map(|e| {
                let mut f = Vec::new();
                if let Some(a) = e.amount {
                    f.push(Member::new("amount", Doc::Num(a.to_string())));
                }
                if let Some(s) = e.size {
                    f.push(Member::new("size", Doc::Str(s.as_str().to_string())));
                }
                Member::new(&e.process_type, Doc::Obj(f))
            })
            .collect();
        top.push(Member::new("formation", Doc::Obj(entries)));
    }
    let mut scripts = Vec::new();
    if let Some(s) = &m.scripts.first_deploy {
        scripts.push(Member::new("first-deploy", Doc::Str(s.value.to_string())));
    }
    if let Some(s) = &m.scripts.postdeploy {
        scripts.push(Member::new("postdeploy", Doc::Str(s.value.to_string())));
    }
    if !scripts.is_empty() {
        top.push(Member::new("scripts", Doc::Obj(scripts)));
    }
    if let Some(c) = &m.copy_parent_database_urls {
        top.push(Member::new("copy_parent_database_urls", Doc::Bool(c.value)));
    }
    if let Some(rules) = &m.firewall_rules {
        let rules = rules
            .iter()
            .map(|r| {
                let mut fields = vec![Member::new("cidr", Doc::Str(r.cidr.clone()))];
                if let Some(label) = &r.label {
                    fields.push(Member::new("label", Doc::Str(label.clone())));
                }
                Doc::Obj(fields)
            })
            .collect();
        top.push(Member::new("firewall_rules", Doc::Arr(rules)));
    }
    Doc::Obj(top)
}

// ---------------------------------------------------------------------------------------
// Where each kind of finding belongs (rules MAN-*, MAN-ENV-*, MAN-ADD-*, MAN-FRM-*, MAN-SCR-*)

/// What a value at some path of a manifest is, for the wrong-type and unknown-key
/// mutations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The document (`""`).
    Root,
    /// `name`, `description`, `logo`, `website`, `repository`, `ref`, `stack`.
    TopString,
    /// `env`.
    Env,
    /// `addons`.
    Addons,
    /// `formation`.
    Formation,
    /// `scripts`.
    Scripts,
    /// `copy_parent_database_urls`.
    CopyParent,
    /// `env.<name>`.
    EnvEntry,
    /// `env.<name>.value`.
    EnvValueField,
    /// `env.<name>.generator`.
    EnvGenerator,
    /// `env.<name>.template`.
    EnvTemplate,
    /// `env.<name>.description`.
    EnvDescription,
    /// `env.<name>.required`.
    EnvRequired,
    /// `addons[i]`.
    Addon,
    /// `addons[i].plan`.
    AddonPlan,
    /// `addons[i].options`.
    AddonOptions,
    /// `addons[i].options.version`.
    AddonVersion,
    /// `formation.<type>`.
    FormationEntry,
    /// `formation.<type>.amount`.
    Amount,
    /// `formation.<type>.size`.
    Size,
    /// `scripts.first-deploy`, `scripts.postdeploy`.
    Script,
    /// `firewall_rules`.
    FirewallRules,
    /// `firewall_rules[i]`.
    FirewallRule,
    /// `firewall_rules[i].cidr`.
    FirewallCidr,
    /// `firewall_rules[i].label`.
    FirewallLabel,
}

/// What the value at `path` of a document written by [`doc_of`] is.
pub fn place(path: &[String]) -> Option<Place> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    Some(match p.as_slice() {
        [] => Place::Root,
        ["name" | "description" | "logo" | "website" | "repository" | "ref" | "stack"] => {
            Place::TopString
        }
        ["env"] => Place::Env,
        ["addons"] => Place::Addons,
        ["formation"] => Place::Formation,
        ["scripts"] => Place::Scripts,
        ["copy_parent_database_urls"] => Place::CopyParent,
        ["env", _] => Place::EnvEntry,
        ["env", _, "value"] => Place::EnvValueField,
        ["env", _, "generator"] => Place::EnvGenerator,
        ["env", _, "template"] => Place::EnvTemplate,
        ["env", _, "description"] => Place::EnvDescription,
        ["env", _, "required"] => Place::EnvRequired,
        ["addons", _] => Place::Addon,
        ["addons", _, "plan"] => Place::AddonPlan,
        ["addons", _, "options"] => Place::AddonOptions,
        ["addons", _, "options", "version"] => Place::AddonVersion,
        ["formation", _] => Place::FormationEntry,
        ["formation", _, "amount"] => Place::Amount,
        ["formation", _, "size"] => Place::Size,
        ["scripts", "first-deploy" | "postdeploy"] => Place::Script,
        ["firewall_rules"] => Place::FirewallRules,
        ["firewall_rules", _] => Place::FirewallRule,
        ["firewall_rules", _, "cidr"] => Place::FirewallCidr,
        ["firewall_rules", _, "label"] => Place::FirewallLabel,
        _ => return None,
    })
}

fn num(n: &str) -> Doc {
    Doc::Num(n.to_string())
}

fn text(s: &str) -> Doc {
    Doc::Str(s.to_string())
}

/// The values of the wrong type for a place, and the code each gets (the type rule of
/// that place): for example a `name` that is a number is SM0101 (`MAN-2`).
pub fn wrong_values(place: Place) -> (&'static str, Vec<Doc>) {
    let obj = Doc::Obj(vec![]);
    let arr = Doc::Arr(vec![]);
    match place {
        Place::Root => (
            "SM0100",
            vec![arr, num("1"), text("x"), Doc::Null, Doc::Bool(true)],
        ),
        Place::TopString => (
            "SM0101",
            vec![num("5"), Doc::Bool(false), Doc::Null, arr, obj],
        ),
        Place::Env => ("SM0200", vec![Doc::Null, arr, text("A=1"), num("1")]),
        Place::Addons => ("SM0300", vec![Doc::Null, obj, text("redis"), num("1")]),
        Place::Formation => ("SM0400", vec![Doc::Null, arr, text("web"), num("1")]),
        Place::Scripts => ("SM0500", vec![Doc::Null, arr, text("x"), num("1")]),
        Place::CopyParent => ("SM0106", vec![num("1"), Doc::Null, arr, obj, text("yes")]),
        Place::EnvEntry => ("SM0206", vec![arr, Doc::Arr(vec![text("x")])]),
        Place::EnvValueField => ("SM0208", vec![obj, arr]),
        Place::EnvGenerator => (
            "SM0212",
            vec![num("1"), Doc::Bool(true), Doc::Null, arr, obj],
        ),
        Place::EnvTemplate => (
            "SM0216",
            vec![num("1"), Doc::Bool(true), Doc::Null, arr, obj],
        ),
        Place::EnvDescription => (
            "SM0220",
            vec![num("1"), Doc::Bool(true), Doc::Null, arr, obj],
        ),
        Place::EnvRequired => ("SM0219", vec![num("1"), Doc::Null, arr, obj, text("yes")]),
        Place::Addon => ("SM0311", vec![num("5"), Doc::Bool(true), Doc::Null, arr]),
        Place::AddonPlan | Place::AddonVersion => {
            ("SM0304", vec![Doc::Bool(true), Doc::Null, arr, obj])
        }
        Place::AddonOptions => ("SM0304", vec![num("1"), Doc::Null, arr, text("7")]),
        Place::FormationEntry => ("SM0402", vec![num("1"), text("M"), Doc::Null, arr]),
        Place::Amount => (
            "SM0406",
            vec![
                text("1"),
                text("x"),
                Doc::Bool(true),
                Doc::Null,
                arr,
                obj,
                num("1.0"),
                num("-1"),
                num("1e2"),
            ],
        ),
        Place::Size => (
            "SM0405",
            vec![num("1"), Doc::Bool(true), Doc::Null, arr, obj],
        ),
        Place::Script => (
            "SM0501",
            vec![num("1"), Doc::Bool(true), Doc::Null, arr, obj],
        ),
        Place::FirewallRules => ("SM1400", vec![Doc::Null, obj, text("10.0.0.0/8"), num("1")]),
        Place::FirewallRule => (
            "SM1401",
            vec![
                text("10.0.0.0/8"),
                num("5"),
                Doc::Bool(true),
                Doc::Null,
                arr,
            ],
        ),
        Place::FirewallCidr => (
            "SM1402",
            vec![num("10"), Doc::Bool(true), Doc::Null, arr, obj],
        ),
        // `null` is no label (a note, rule `FW-2`), not a value of the wrong type.
        Place::FirewallLabel => ("SM1404", vec![num("1"), Doc::Bool(true), arr, obj]),
    }
}

/// An unknown key, and the key a "did you mean" names for it (none when it is far from
/// every key).
pub type UnknownKey = (&'static str, Option<&'static str>);

/// Unknown keys for an object at `place`, each with the key a "did you mean" must name
/// (rule `DIAG-8`) or none when it is far from every key; and the code of the finding.
pub fn unknown_keys(place: Place) -> Option<(&'static str, Vec<UnknownKey>)> {
    let far = ("zzqx", None);
    Some(match place {
        Place::Root => (
            "SM0108",
            vec![
                ("nmae", Some("name")),
                ("descripton", Some("description")),
                ("webiste", Some("website")),
                ("repositroy", Some("repository")),
                ("stakc", Some("stack")),
                ("adons", Some("addons")),
                ("formaton", Some("formation")),
                ("scirpts", Some("scripts")),
                (
                    "copy_parent_database_url",
                    Some("copy_parent_database_urls"),
                ),
                ("firewall_rule", Some("firewall_rules")),
                far,
            ],
        ),
        Place::EnvEntry => (
            "SM0221",
            vec![
                ("vaule", Some("value")),
                ("generater", Some("generator")),
                ("tempalte", Some("template")),
                ("descrption", Some("description")),
                ("requried", Some("required")),
                far,
            ],
        ),
        Place::Addon => (
            "SM0310",
            vec![("plna", Some("plan")), ("optons", Some("options")), far],
        ),
        Place::AddonOptions => ("SM0306", vec![("verison", Some("version")), far]),
        Place::FormationEntry => (
            "SM0409",
            vec![("ammount", Some("amount")), ("szie", Some("size")), far],
        ),
        Place::FirewallRule => (
            "SM1403",
            vec![("cidrr", Some("cidr")), ("lable", Some("label")), far],
        ),
        Place::Scripts => (
            "SM0505",
            vec![
                ("first-deplyo", Some("first-deploy")),
                ("postdelpoy", Some("postdeploy")),
                far,
            ],
        ),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Mutations

/// Invalid UTF-8 sequences, every byte of which is invalid (rule `JSON-1`).
pub const INVALID_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xc0\x80",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\x80",
    b"\xf5",
];

/// Comments (rule `JSON-5`); a line comment ends with its newline.
pub const COMMENTS: &[&str] = &["// c\n", "/* c */", "/**/", "// é 😀\n", "/* a\nb */"];

/// One way to change a valid document. Each index picks among the places where the
/// mutation applies (see [`mutate`]).
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Remove the comma between two members or elements (`JSON-7`: SM0009).
    RemoveComma(Index),
    /// Add a comma after the last member or element of a container (`JSON-6`: SM0008).
    TrailingComma(Index),
    /// Replace a value with one of the wrong type (the type rule of that place).
    WrongType(Index, Index),
    /// Insert a member with an unknown key into an object of a known kind.
    UnknownKey(Index, Index, Index, Doc),
    /// Insert an earlier member with the key of an existing member and any value
    /// (`JSON-8`: SM0010 on the later, kept one); maybe with an escaped key.
    DuplicateKey(Index, Index, Doc, bool),
    /// Insert a comment where white space may go (`JSON-5`: SM0007).
    Comment(Index, Index),
    /// Put a UTF-8 byte order mark before the text (`JSON-2`: SM0003).
    Bom,
    /// Write every line ending as CRLF (`JSON-9`: SM0011).
    Crlf,
    /// Insert an invalid UTF-8 sequence anywhere (`JSON-1`: SM0002).
    InvalidUtf8(Index, Index),
    /// Replace a value with arrays nested around it, the total depth near 32 (`LIM-2`).
    DeepNesting(Index, i8),
}

/// Any mutation.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::RemoveComma),
        any::<Index>().prop_map(Mutation::TrailingComma),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::WrongType(a, b)),
        (any::<Index>(), any::<Index>(), any::<Index>(), junk())
            .prop_map(|(a, b, c, d)| Mutation::UnknownKey(a, b, c, d)),
        (any::<Index>(), any::<Index>(), junk(), any::<bool>())
            .prop_map(|(a, b, d, e)| Mutation::DuplicateKey(a, b, d, e)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Comment(a, b)),
        Just(Mutation::Bom),
        Just(Mutation::Crlf),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::InvalidUtf8(a, b)),
        (any::<Index>(), -3i8..=3).prop_map(|(a, d)| Mutation::DeepNesting(a, d)),
    ]
}

/// What [`mutate`] did, with the positions (in the mutated bytes) a property needs.
#[derive(Debug, Clone)]
pub enum Done {
    /// Nothing applied (no place for this mutation in this document).
    Nothing,
    /// A comma was removed; the next member or element now starts at `next`.
    RemovedComma {
        /// First byte of the token after the missing comma.
        next: usize,
    },
    /// A comma was inserted at `at`.
    TrailingComma {
        /// The comma's byte.
        at: usize,
    },
    /// The value at `pointer` was replaced.
    WrongType {
        /// Pointer of the value.
        pointer: String,
        /// The code of the type rule of that place.
        code: &'static str,
        /// Bytes of the new value.
        span: (usize, usize),
        /// The path of the value.
        place: Place,
    },
    /// A member `key` was inserted in the object at `object`.
    UnknownKey {
        /// Pointer of the new member.
        pointer: String,
        /// The code of that place's unknown-key rule.
        code: &'static str,
        /// Bytes of the key.
        key: (usize, usize),
        /// The key a "did you mean" names, if any.
        suggestion: Option<&'static str>,
        /// What the object is.
        place: Place,
        /// Pointer of the object.
        object: String,
    },
    /// An earlier duplicate of the member at `pointer` was inserted.
    DuplicateKey {
        /// Pointer of the member (both occurrences).
        pointer: String,
        /// Bytes of the later (kept) key.
        kept_key: (usize, usize),
    },
    /// A comment was inserted at `at`.
    Comment {
        /// First byte of the comment.
        at: usize,
        /// Its text.
        text: &'static str,
    },
    /// A BOM was put in front.
    Bom,
    /// Line endings became CRLF; the first one is at `first` (none when the text had no
    /// line break).
    Crlf {
        /// The first `\r`.
        first: Option<usize>,
    },
    /// An invalid sequence was inserted at `at`; `reference` is the same bytes with each
    /// byte of the sequence replaced by `?`.
    InvalidUtf8 {
        /// First inserted byte.
        at: usize,
        /// The bytes with `?` instead.
        reference: Vec<u8>,
    },
    /// A value at depth `depth` was replaced by `levels` nested arrays around `1`.
    DeepNesting {
        /// Containers around the replaced value.
        depth: usize,
        /// Arrays inserted.
        levels: usize,
        /// First byte of the outermost inserted `[`.
        at: usize,
    },
}

/// A mutated document.
#[derive(Debug, Clone)]
pub struct Mutated {
    /// The bytes to check.
    pub bytes: Vec<u8>,
    /// What was done.
    pub done: Done,
}

/// Applies `m` to `doc` printed in `layout`.
pub fn mutate(doc: &Doc, layout: Layout, m: &Mutation) -> Mutated {
    let r = doc.render(layout);
    let plain = |done| Mutated {
        bytes: r.text.clone().into_bytes(),
        done,
    };
    match m {
        Mutation::RemoveComma(i) => {
            let with: Vec<&NodeInfo> = r.nodes.iter().filter(|n| n.comma.is_some()).collect();
            if with.is_empty() {
                return plain(Done::Nothing);
            }
            let n = i.get(&with);
            let (Some(at), Some(next)) = (n.comma, n.next_start) else {
                return plain(Done::Nothing);
            };
            let mut t = r.text.clone();
            t.remove(at);
            Mutated {
                bytes: t.into_bytes(),
                done: Done::RemovedComma { next: next - 1 },
            }
        }
        Mutation::TrailingComma(i) => {
            let with: Vec<&NodeInfo> = r
                .nodes
                .iter()
                .filter(|n| n.last_child_end.is_some())
                .collect();
            if with.is_empty() {
                return plain(Done::Nothing);
            }
            let Some(at) = i.get(&with).last_child_end else {
                return plain(Done::Nothing);
            };
            let mut t = r.text.clone();
            t.insert(at, ',');
            Mutated {
                bytes: t.into_bytes(),
                done: Done::TrailingComma { at },
            }
        }
        Mutation::WrongType(i, j) => {
            let with: Vec<(&NodeInfo, Place)> = r
                .nodes
                .iter()
                .filter_map(|n| place(&n.path).map(|p| (n, p)))
                .collect();
            let (n, p) = i.get(&with);
            wrong_type_at(doc, layout, n, *p, j)
        }
        Mutation::UnknownKey(i, j, k, value) => {
            let with: Vec<(&NodeInfo, Place)> = r
                .nodes
                .iter()
                .filter(|n| n.is_object == Some(true))
                .filter_map(|n| place(&n.path).map(|p| (n, p)))
                .filter(|(_, p)| unknown_keys(*p).is_some())
                .collect();
            if with.is_empty() {
                return plain(Done::Nothing);
            }
            let (n, p) = i.get(&with);
            unknown_key_at(doc, layout, n, *p, j, k, value)
        }
        Mutation::DuplicateKey(i, j, value, escape) => {
            let members: Vec<&NodeInfo> = r.nodes.iter().filter(|n| n.key.is_some()).collect();
            if members.is_empty() {
                return plain(Done::Nothing);
            }
            let n = i.get(&members);
            let Some((&last, parent)) = n.ipath.split_last() else {
                return plain(Done::Nothing);
            };
            let mut d = doc.clone();
            if let Some(Doc::Obj(ms)) = d.at_mut(parent) {
                let at = j.index(last + 1);
                let key = ms[last].key.clone();
                ms.insert(
                    at,
                    Member {
                        key,
                        value: value.clone(),
                        escape_key: *escape,
                    },
                );
            }
            let r2 = d.render(layout);
            let Some(kept) = r2.by_pointer(&n.pointer).last().and_then(|x| x.key) else {
                return plain(Done::Nothing);
            };
            Mutated {
                bytes: r2.text.clone().into_bytes(),
                done: Done::DuplicateKey {
                    pointer: n.pointer.clone(),
                    kept_key: kept,
                },
            }
        }
        Mutation::Comment(i, j) => {
            // After an opening bracket, or after any value but the document.
            let mut gaps: Vec<usize> = Vec::new();
            for n in &r.nodes {
                if n.children.is_some() {
                    gaps.push(n.start + 1);
                }
                if !n.path.is_empty() {
                    gaps.push(n.end);
                }
            }
            if gaps.is_empty() {
                return plain(Done::Nothing);
            }
            let at = *i.get(&gaps);
            let c = *j.get(COMMENTS);
            let mut t = r.text.clone();
            t.insert_str(at, c);
            Mutated {
                bytes: t.into_bytes(),
                done: Done::Comment { at, text: c },
            }
        }
        Mutation::Bom => {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend_from_slice(r.text.as_bytes());
            Mutated {
                bytes: b,
                done: Done::Bom,
            }
        }
        Mutation::Crlf => {
            let t = r.text.replace('\n', "\r\n");
            Mutated {
                done: Done::Crlf {
                    first: t.find('\r'),
                },
                bytes: t.into_bytes(),
            }
        }
        Mutation::InvalidUtf8(i, j) => {
            let boundaries: Vec<usize> = (0..=r.text.len())
                .filter(|&k| r.text.is_char_boundary(k))
                .collect();
            let at = *i.get(&boundaries);
            let seq = *j.get(INVALID_UTF8);
            let mut bytes = r.text.as_bytes().to_vec();
            let mut reference = bytes.clone();
            bytes.splice(at..at, seq.iter().copied());
            reference.splice(at..at, std::iter::repeat_n(b'?', seq.len()));
            Mutated {
                bytes,
                done: Done::InvalidUtf8 { at, reference },
            }
        }
        Mutation::DeepNesting(i, delta) => {
            let n = i.get(&r.nodes);
            let levels = usize::try_from(
                (32i64 - i64::try_from(n.depth).unwrap_or(0) + i64::from(*delta)).max(1),
            )
            .unwrap_or(1);
            let mut nested = Doc::Num("1".to_string());
            for _ in 0..levels {
                nested = Doc::Arr(vec![nested]);
            }
            let mut d = doc.clone();
            if let Some(v) = d.at_mut(&n.ipath) {
                *v = nested;
            }
            let r2 = d.render(layout);
            let at = r2.by_pointer(&n.pointer).first().map_or(0, |x| x.start);
            Mutated {
                bytes: r2.text.into_bytes(),
                done: Done::DeepNesting {
                    depth: n.depth,
                    levels,
                    at,
                },
            }
        }
    }
}

/// Replaces the value of `n` (at `place`) with the wrong value `j` picks (see
/// [`wrong_values`]).
pub fn wrong_type_at(doc: &Doc, layout: Layout, n: &NodeInfo, place: Place, j: &Index) -> Mutated {
    let (code, values) = wrong_values(place);
    let mut d = doc.clone();
    if let Some(v) = d.at_mut(&n.ipath) {
        *v = j.get(&values).clone();
    }
    let r2 = d.render(layout);
    let span = r2
        .by_pointer(&n.pointer)
        .first()
        .map_or((0, 0), |x| (x.start, x.end));
    Mutated {
        bytes: r2.text.into_bytes(),
        done: Done::WrongType {
            pointer: n.pointer.clone(),
            code,
            span,
            place,
        },
    }
}

/// Inserts, at the position `k` picks, a member whose key `j` picks among the unknown keys
/// of `place` (see [`unknown_keys`]) into the object `n`.
pub fn unknown_key_at(
    doc: &Doc,
    layout: Layout,
    n: &NodeInfo,
    place: Place,
    j: &Index,
    k: &Index,
    value: &Doc,
) -> Mutated {
    let nothing = || Mutated {
        bytes: doc.render(layout).text.into_bytes(),
        done: Done::Nothing,
    };
    let Some((code, keys)) = unknown_keys(place) else {
        return nothing();
    };
    let (key, suggestion) = *j.get(&keys);
    let mut d = doc.clone();
    if let Some(Doc::Obj(members)) = d.at_mut(&n.ipath) {
        let at = k.index(members.len() + 1);
        members.insert(at, Member::new(key, value.clone()));
    }
    let r2 = d.render(layout);
    let mut path = n.path.clone();
    path.push(key.to_string());
    let pointer = pointer_of(&path);
    let Some(kspan) = r2.by_pointer(&pointer).first().and_then(|x| x.key) else {
        return nothing();
    };
    Mutated {
        bytes: r2.text.into_bytes(),
        done: Done::UnknownKey {
            pointer,
            code,
            key: kspan,
            suggestion,
            place,
            object: n.pointer.clone(),
        },
    }
}

prop_compose! {
    /// A valid model, its document in some layout, and one mutation.
    pub fn mutated_case()(m in valid_model(), layout in layout(), mutation in mutation())
        -> (Manifest, Layout, Mutation) {
        (m, layout, mutation)
    }
}

/// Bytes of mutated manifests: a valid document with up to three mutations applied one
/// after the other (each to the bytes the previous one produced, read back as a document
/// when it still is one; otherwise the later ones apply to the original document).
pub fn mutated_manifest_bytes() -> impl Strategy<Value = Vec<u8>> {
    (valid_model(), layout(), vec(mutation(), 1..4)).prop_map(|(m, layout, ms)| {
        let mut doc = doc_of(&m);
        let mut bytes = doc.render(layout).text.into_bytes();
        for mu in &ms {
            bytes = mutate(&doc, layout, mu).bytes;
            if let Some(d) = reparse(&bytes) {
                doc = d;
            }
        }
        bytes
    })
}

/// The bytes as a [`Doc`], when they are strict JSON (serde_json, keys in document order
/// are not needed here: the next mutation only needs some document).
fn reparse(bytes: &[u8]) -> Option<Doc> {
    fn conv(v: serde_json::Value) -> Doc {
        match v {
            serde_json::Value::Null => Doc::Null,
            serde_json::Value::Bool(b) => Doc::Bool(b),
            serde_json::Value::Number(n) => Doc::Num(n.to_string()),
            serde_json::Value::String(s) => Doc::Str(s),
            serde_json::Value::Array(a) => Doc::Arr(a.into_iter().map(conv).collect()),
            serde_json::Value::Object(o) => Doc::Obj(
                o.into_iter()
                    .map(|(k, v)| Member::new(&k, conv(v)))
                    .collect(),
            ),
        }
    }
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    Some(conv(v))
}

/// JSON-looking bytes: tokens of JSON (and of what is not JSON) in any order.
pub fn json_garbage() -> impl Strategy<Value = Vec<u8>> {
    vec(
        select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\"env\"",
            "\"addons\"",
            "\"a\"",
            "1",
            "-0.5e3",
            "01",
            "true",
            "null",
            "nul",
            "'x'",
            "//",
            "/*",
            "*/",
            "\n",
            "\r\n",
            "\r",
            " ",
            "\\",
            "\\u00",
            "\\ud800",
            "\u{feff}",
            "é",
            "\u{0}",
            "NaN",
            "0x1",
        ]),
        0..60,
    )
    .prop_map(|v| v.concat().into_bytes())
}

/// Any bytes: arbitrary, JSON-looking, or mutated manifests (up to a few KB).
pub fn any_manifest_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => vec(any::<u8>(), 0..4096),
        2 => json_garbage(),
        3 => mutated_manifest_bytes(),
    ]
}

// ---------------------------------------------------------------------------------------
// Procfiles (PROC-*)

/// Process type names: reserved ones, their case variants, Heroku's `release`, others.
pub const PROC_NAMES: &[&str] = &[
    "web",
    "worker",
    "clock",
    "tcp",
    "postdeploy",
    "Web",
    "TCP",
    "PostDeploy",
    "release",
    "x1",
];

/// A valid process type name (rule `PROC-2`).
pub fn proc_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(PROC_NAMES).prop_map(str::to_string),
        1 => "[A-Za-z0-9]{1,24}",
    ]
}

/// Commands a YAML reader reads as the same text (rule `PROC-9`): no finding.
pub const COMMANDS: &[&str] = &[
    "npm start",
    "bundle exec puma -C config/puma.rb",
    "rake jobs:work",
    "gunicorn \"app:create_app()\" --bind=0.0.0.0:$PORT",
    "node w.js # not a comment",
    "bin/start.sh",
    "echo é 😀",
    "./server --port=$PORT",
];

/// A command: from [`COMMANDS`], or free text without line breaks or YAML syntax, trimmed
/// and never empty.
pub fn command() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(COMMANDS).prop_map(str::to_string),
        1 => "[a-z0-9./$=_-][a-z0-9 ./$=_-]{0,30}[a-z0-9./$=_-]",
    ]
}

/// Procfile entries (name, command), names possibly repeated.
pub fn proc_entries() -> impl Strategy<Value = Vec<(String, String)>> {
    vec((proc_name(), command()), 0..8)
}

/// A valid process line `name: command` (no finding but PROC-4's and PROC-5's warnings).
pub fn proc_line_valid() -> impl Strategy<Value = String> {
    (proc_name(), command()).prop_map(|(n, c)| format!("{n}: {c}"))
}

/// Lines of a Procfile: process lines of every kind (valid, indented, without colon,
/// empty name or command, bad names, YAML trouble), comments and blank lines.
pub fn proc_line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (proc_name(), command()).prop_map(|(n, c)| format!("{n}: {c}")),
        1 => (proc_name(), command()).prop_map(|(n, c)| format!("  {n}:\t{c}  ")),
        1 => select(vec![
            "# comment", "", "   ", "\t", "web npm start", ": x", "web:", "my-worker: x",
            "post_deploy: x", "web:npm start", "web: [x]", "web: echo a: b", "a b: c",
            "\u{feff}web: x", "日本: x", "<<<<<<< HEAD",
        ]).prop_map(str::to_string),
        1 => "\\PC{0,20}",
        1 => Just(format!("web: {}", "x".repeat(4097))),
    ]
}

/// Procfile texts: lines joined by LF, CRLF or lone CR, maybe a BOM, maybe no final
/// newline.
pub fn procfile_text() -> impl Strategy<Value = Vec<u8>> {
    (
        vec(proc_line(), 0..12),
        select(vec!["\n", "\n", "\n", "\r\n", "\r"]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, eol, bom, final_eol)| {
            let mut t = if bom {
                "\u{feff}".to_string()
            } else {
                String::new()
            };
            t.push_str(&lines.join(eol));
            if final_eol {
                t.push_str(eol);
            }
            t.into_bytes()
        })
}

/// Any Procfile bytes: Procfile texts, arbitrary bytes, UTF-16.
pub fn any_procfile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => procfile_text(),
        2 => vec(any::<u8>(), 0..2048),
        1 => procfile_text().prop_map(|mut b| { b.insert(0, 0xFF); b.insert(1, 0xFE); b }),
    ]
}
