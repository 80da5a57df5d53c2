//! Random conformance cases (`scalingo-manifest conformance gen`), for implementers who want
//! more than the curated suite.
//!
//! Case `k` of seed `N` is a pure function of `(N, k)`: its random stream is ChaCha20 keyed
//! with SHA-256(`"scalingo-manifest/gen/v1"` || `0x00` || `N` as 8 bytes little-endian ||
//! `k` as 8 bytes little-endian), so the same seed always gives the same cases, and asking
//! for more cases never changes the first ones. Inputs are assembled from fragments in the
//! user's vocabulary (manifest members, env entries, addon shapes, Procfile lines, file
//! trees, GitHub URLs, deployment attempts), valid and invalid, sometimes damaged (a comma
//! dropped or added, a comment, a byte order mark, CRLF line endings). Every case carries a
//! seed where secrets can appear, so every `expected` is exact. Ids are
//! `GEN-<seed>-<k>` (`k` from 1); `rules` are the capability's main rule plus the rule of
//! every code in `expected`; the tag is `generated` (and `exact-secrets` when a secret
//! appears).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::case::{self, Capability, Case, Status};
use super::{expected_for, EvalError};

/// At most this many cases are generated in one call.
pub const MAX_COUNT: u64 = 100_000;

/// Domain separation of the per-case random streams.
const DOMAIN: &[u8] = b"scalingo-manifest/gen/v1";

/// A small deterministic chooser over a ChaCha20 stream.
struct Dice(ChaCha20Rng);

impl Dice {
    fn new(seed: u64, k: u64) -> Self {
        let mut h = Sha256::new();
        h.update(DOMAIN);
        h.update([0u8]);
        h.update(seed.to_le_bytes());
        h.update(k.to_le_bytes());
        Dice(ChaCha20Rng::from_seed(h.finalize().into()))
    }

    /// A number in `0..n` (`n` > 0; 0 gives 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let n64 = n as u64;
        // Rejection sampling keeps the choice unbiased.
        let zone = u64::MAX - (u64::MAX % n64);
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return usize::try_from(x % n64).unwrap_or(0);
            }
        }
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// Up to `max` distinct items of `items`, in a random order.
    fn some<'a, T: ?Sized>(&mut self, items: &[&'a T], max: usize) -> Vec<&'a T> {
        let n = self.below(max + 1);
        let mut pool: Vec<&T> = items.to_vec();
        let mut out = Vec::new();
        while out.len() < n && !pool.is_empty() {
            let i = self.below(pool.len());
            out.push(pool.swap_remove(i));
        }
        out
    }
}

// Each pool lists the fragments that give no error first; `<POOL>_OK` counts them, so that a
// "clean" input (no error anywhere, warnings and notes allowed) draws from that prefix only.

const STACKS: &[&str] = &[
    "\"scalingo-22\"",
    "\"scalingo-24\"",
    "\"heroku-22\"",
    "\"scalingo22\"",
    "\"container\"",
    "5",
];
const STACKS_OK: usize = 5;

const ENV_NAMES: &[&str] = &[
    "SECRET_KEY",
    "ADMIN_URL",
    "REVIEW_TITLE",
    "RAILS_ENV",
    "DEBUG",
    "API_KEY",
    "PROJECT_DIR",
    "BAD NAME",
    "_HIDDEN",
    "1ST",
    "my-var",
    "A~B/C",
];
const ENV_NAMES_OK: usize = 7;

const ENV_ENTRIES: &[&str] = &[
    r#"{"value": "staging"}"#,
    r#"{"value": 3600}"#,
    r#"{"value": true}"#,
    r#"{"value": null}"#,
    r#"{"value": ""}"#,
    r#"{"generator": "secret"}"#,
    r#"{"generator": "url"}"#,
    r#"{"generator": "url", "template": "%URL%/admin"}"#,
    r#"{"generator": "template", "template": "PR %PR_NUMBER% of %PARENT_APP%"}"#,
    r#"{"generator": "template", "template": "%url%/x?q=100%"}"#,
    r#"{"required": true}"#,
    r#"{"required": "true"}"#,
    r#"{"required": true, "generator": "secret"}"#,
    r#"{"description": "set me"}"#,
    r#"{}"#,
    r#"{"vaule": "x"}"#,
    r#"{"default": "x"}"#,
    r#""shorthand""#,
    r#""""#,
    "5",
    "false",
    "null",
    r#"{"value": {}}"#,
    r#"{"generator": "template"}"#,
    r#"{"generator": "Secret"}"#,
    r#"{"generator": "echo 5"}"#,
    r#"{"generator": 1}"#,
    r#"{"value": "x", "generator": "secret"}"#,
    r#"{"template": "%APP%"}"#,
    r#"{"generator": "secret", "template": "%APP%"}"#,
    r#"{"required": "yes"}"#,
    r#"{"description": 5, "value": "x"}"#,
    r#"["x"]"#,
];
const ENV_ENTRIES_OK: usize = 22;

const ADDONS: &[&str] = &[
    r#""redis""#,
    r#"{"plan": "postgresql:postgresql-starter-512", "options": {"version": "14"}}"#,
    r#"{"plan": "mongodb", "as": "DATABASE"}"#,
    r#"{"plna": "x", "plan": "elasticsearch"}"#,
    r#"{"addon_provider_id": "scalingo-influxdb", "plan_id": "influxdb-starter-256"}"#,
    r#""heroku-postgresql:mini""#,
    r#""redis:redis-starter-128""#,
    r#""scalingo-redis""#,
    r#""postgresql:postgresql-starter-512""#,
    r#"{"plan": "redis", "options": {"version": 7}}"#,
    r#"{"plan": "redis", "options": {"version": ""}}"#,
    r#"{"plan": "redis", "options": {"maxmemory_policy": "allkeys-lru"}}"#,
    r#"{"addon_provider_id": "redis", "plan_id": "redis-starter-256"}"#,
    r#"{"plan": "redis", "addon_provider_id": "redis"}"#,
    r#"{"options": {"version": "7"}}"#,
    r#"{"plan": 5}"#,
    r#""Redis:Free""#,
    r#""redis:""#,
    "5",
    "null",
];
/// The first entries name distinct providers, so a clean list never repeats one (ADD-8).
const ADDONS_OK: usize = 6;

const FORMATION_KEYS: &[&str] = &[
    "web",
    "worker",
    "clock",
    "tcp",
    "Worker",
    "stream_consumer",
    "postdeploy",
];
const FORMATION_KEYS_OK: usize = 5;

const FORMATION_ENTRIES: &[&str] = &[
    r#"{"amount": 1, "size": "M"}"#,
    r#"{"amount": 2, "size": "L"}"#,
    r#"{"amount": 0}"#,
    r#"{"size": "XL"}"#,
    r#"{"amount": 3, "size": "3XL"}"#,
    r#"{"quantity": 2, "size": "S"}"#,
    r#"{"ammount": 1}"#,
    r#"{"amount": 1, "autoscaling": {"min": 1}}"#,
    r#"{"amount": 1.0}"#,
    r#"{"amount": -1}"#,
    r#"{"amount": "1"}"#,
    r#"{"amount": 1e2}"#,
    r#"{"amount": 1001}"#,
    r#"{"amount": 1, "quantity": 2}"#,
    r#"{"size": "free"}"#,
    r#"{"size": "m"}"#,
    r#"{"size": 2}"#,
    "1",
];
const FORMATION_ENTRIES_OK: usize = 8;

const SCRIPTS: &[&str] = &[
    r#"{"first-deploy": "bundle exec rake db:seed"}"#,
    r#"{"postdeploy": "bundle exec rake db:migrate"}"#,
    r#"{"first-deploy": "rake db:setup", "postdeploy": "rake db:migrate"}"#,
    r#"{"postdeploy": ""}"#,
    r#"{"first-deploy": "   "}"#,
    r#"{"first_deploy": "x"}"#,
    r#"{"pr-predestroy": "x"}"#,
    r#"{"dokku": {"predeploy": "x"}}"#,
    r#"{"first-deploy": ["a"]}"#,
    r#""rake db:migrate""#,
];
const SCRIPTS_OK: usize = 8;

const OTHER_MEMBERS: &[&str] = &[
    r#""name": "my-app""#,
    r#""description": "Café Crème, a demo""#,
    r#""logo": """#,
    r#""logo": "https://example.com/logo.png""#,
    r#""website": "example.com""#,
    r#""repository": "https://github.com/o/r""#,
    r#""ref": "main""#,
    r#""copy_parent_database_urls": true"#,
    r#""copy_parent_database_urls": "false""#,
    r#""nmae": "x""#,
    r#""homepage": "https://example.com""#,
    r#""keywords": ["demo"]"#,
    r#""buildpacks": [{"url": "heroku/nodejs"}]"#,
    r#""environments": {"review": {}}"#,
    r#""$schema": "https://example.com/schema.json""#,
    r#""name": 5"#,
    r#""repository": """#,
    r#""copy_parent_database_urls": "yes""#,
];
const OTHER_MEMBERS_OK: usize = 15;

const PARENT_ADDONS: &[&str] = &[
    r#"{"addon": "postgresql", "plan": "postgresql-business-1024", "version": "14"}"#,
    r#"{"addon": "redis", "plan": "redis-starter-256"}"#,
    r#"{"addon": "elasticsearch", "plan": "elasticsearch-starter-1024", "version": "7.10"}"#,
    r#"{"addon": "mongodb", "plan": "mongodb-starter-512"}"#,
];

/// The whole pool, or its error-free prefix when `clean`.
fn pool<'a>(items: &'a [&'a str], ok: usize, clean: bool) -> &'a [&'a str] {
    if clean {
        &items[..ok.min(items.len())]
    } else {
        items
    }
}

const PROCFILE_LINES: &[&str] = &[
    "web: npm start",
    "worker: node worker.js",
    "postdeploy: npm run migrate",
    "clock: bundle exec clockwork clock.rb",
    "tcp: ./server --tcp",
    "release: rake db:migrate",
    "PostDeploy: npm run migrate",
    "my-worker: node w.js",
    "web:npm start",
    "  worker: node indented.js",
    "# a comment",
    "",
    "worker node w.js",
    ": orphan",
    "web:",
    "web: echo step: 1",
    "web: gunicorn \"app:create_app()\"",
    "Web: python app.py",
    "abcdefghijklmnopqrstuvwxyz: x",
];

const FILES: &[&str] = &[
    "scalingo.json",
    "app.json",
    "Procfile",
    "api/scalingo.json",
    "api/app.json",
    "api/Procfile",
    "api/v2/app.json",
    "api/v2/main.go",
    "web/index.js",
    "Scalingo.json",
    "api/procfile",
    "/scalingo.json",
    "a//b.txt",
    ".git/config",
];

const PROJECT_DIRS: &[&str] = &[
    "", "api", "/api/", "api/v2", "./api", "../other", "web", "missing", "api\\v2", "Procfile",
];

const REFERERS: &[&str] = &[
    "https://github.com/acme/blog",
    "https://github.com/acme/blog/tree/main/api",
    "https://github.com/acme/blog/blob/v2/README.md",
    "https://github.com/",
    "https://gitlab.com/acme/blog",
    "https://github.com/acme/blog/issues/3",
];

const SOURCES: &[&str] = &[
    "",
    "https://github.com/acme/shop",
    "https://github.com/acme/shop#staging",
    "https://github.com/acme/shop.git/",
    "https://github.com/acme/shop/tree/dev",
    "http://github.com/acme/shop",
    "https://alice:secret@github.com/acme/shop",
    "https://github.com/acme",
    "https://github.com/acme/shop#bad..ref",
    "git@github.com:acme/shop.git",
    "https://github.com/acme/shop?tab=readme",
];

const MANIFEST_REPOSITORIES: &[&str] = &[
    "https://github.com/acme/shop",
    "https://github.com/ACME/Shop",
    "https://github.com/other/code",
    "https://github.com/other/code#v2",
    "http://github.com/other/code",
];

const REFS: &[&str] = &["main", "v3", "my branch", "a1b2c3d"];

/// A manifest text: a JSON object of random members, laid out on several lines, then
/// sometimes damaged (`damage` percent of the time). A `clean` manifest draws only
/// fragments that give no error.
fn manifest_text(d: &mut Dice, damage: usize, clean: bool) -> String {
    let mut members: Vec<String> = d
        .some(pool(OTHER_MEMBERS, OTHER_MEMBERS_OK, clean), 3)
        .into_iter()
        .map(str::to_string)
        .collect();
    if d.chance(40) {
        members.push(format!(
            "\"stack\": {}",
            d.pick(pool(STACKS, STACKS_OK, clean))
        ));
    }
    if d.chance(70) {
        let names = d.some(pool(ENV_NAMES, ENV_NAMES_OK, clean), 4);
        let entries: Vec<String> = names
            .into_iter()
            .map(|n| {
                format!(
                    "    \"{n}\": {}",
                    d.pick(pool(ENV_ENTRIES, ENV_ENTRIES_OK, clean))
                )
            })
            .collect();
        members.push(format!("\"env\": {{\n{}\n  }}", entries.join(",\n")));
    }
    if d.chance(50) {
        let list: Vec<&str> = d.some(pool(ADDONS, ADDONS_OK, clean), 3);
        members.push(format!("\"addons\": [{}]", list.join(", ")));
    }
    if d.chance(50) {
        let keys = d.some(pool(FORMATION_KEYS, FORMATION_KEYS_OK, clean), 3);
        let entries: Vec<String> = keys
            .into_iter()
            .map(|k| {
                let entry = d.pick(pool(FORMATION_ENTRIES, FORMATION_ENTRIES_OK, clean));
                format!("    \"{k}\": {entry}")
            })
            .collect();
        members.push(format!("\"formation\": {{\n{}\n  }}", entries.join(",\n")));
    }
    if d.chance(40) {
        members.push(format!(
            "\"scripts\": {}",
            d.pick(pool(SCRIPTS, SCRIPTS_OK, clean))
        ));
    }
    let mut text = format!("{{\n  {}\n}}\n", members.join(",\n  "));
    if d.chance(damage) {
        text = damaged(d, &text);
    }
    text
}

/// One random damage: a comma dropped, a trailing comma, a comment, a duplicated member,
/// CRLF line endings, a truncated document, a byte order mark (`\u{feff}` is turned into
/// the UTF-8 mark by the caller's encoding).
fn damaged(d: &mut Dice, text: &str) -> String {
    match d.below(6) {
        0 => match text.find(",\n") {
            Some(i) => format!("{}{}", &text[..i], &text[i + 1..]),
            None => text.to_string(),
        },
        1 => match text.rfind("\n}") {
            Some(i) => format!("{},{}", &text[..i], &text[i..]),
            None => text.to_string(),
        },
        2 => text.replacen("{\n", "{\n  // copied from app.json\n", 1),
        3 => text.replace('\n', "\r\n"),
        4 => {
            let cut = text
                .char_indices()
                .map(|(i, _)| i)
                .nth(text.chars().count() / 2)
                .unwrap_or(0);
            text[..cut].to_string()
        }
        _ => format!("\u{feff}{text}"),
    }
}

/// Lines of a Procfile that defines each name once and has no error (warnings allowed).
const CLEAN_WEB_LINES: &[&str] = &[
    "web: npm start",
    "web: gunicorn \"app:create_app()\"",
    "web:npm start",
    "web: echo step: 1",
];
const CLEAN_OTHER_LINES: &[&str] = &[
    "worker: node worker.js",
    "postdeploy: npm run migrate",
    "clock: bundle exec clockwork clock.rb",
    "tcp: ./server --tcp",
    "release: rake db:migrate",
    "PostDeploy: npm run migrate",
    "  worker2: node indented.js",
    "# a comment",
    "",
];

/// A Procfile text: any lines of [`PROCFILE_LINES`], or with `clean` a Procfile without
/// error (each name once).
fn procfile_text(d: &mut Dice, clean: bool) -> String {
    let lines: Vec<&str> = if clean {
        let mut lines = d.some(CLEAN_OTHER_LINES, 4);
        if d.chance(85) {
            let web = d.pick(CLEAN_WEB_LINES);
            let at = d.below(lines.len() + 1);
            lines.insert(at, web);
        }
        lines
    } else {
        let n = 1 + d.below(5);
        (0..n).map(|_| d.pick(PROCFILE_LINES)).collect()
    };
    let eol = if d.chance(15) { "\r\n" } else { "\n" };
    let mut text = lines.join(eol);
    if d.chance(80) {
        text.push_str(eol);
    }
    text
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn kind(d: &mut Dice) -> &'static str {
    if d.chance(50) {
        "review-app"
    } else {
        "one-click"
    }
}

fn attempts(d: &mut Dice) -> Value {
    let pool = [
        json!({}),
        json!({}),
        json!({"build": "error"}),
        json!({"start": "crashed"}),
        json!({"start": "timeout"}),
        json!({"hook": {"exit": 1}}),
        json!({"hook": "timeout"}),
        json!({"build": "error", "hook": {"exit": 2}}),
    ];
    let n = d.below(6);
    Value::Array((0..n).map(|_| pool[d.below(pool.len())].clone()).collect())
}

fn env_object(d: &mut Dice) -> Value {
    let clean = d.chance(50);
    let mut m = Map::new();
    for name in d.some(pool(ENV_NAMES, ENV_NAMES_OK, clean), 4) {
        m.insert(
            name.to_string(),
            parse(d.pick(pool(ENV_ENTRIES, ENV_ENTRIES_OK, clean))),
        );
    }
    Value::Object(m)
}

fn formation_object(d: &mut Dice) -> Value {
    let clean = d.chance(50);
    let mut m = Map::new();
    for key in d.some(pool(FORMATION_KEYS, FORMATION_KEYS_OK, clean), 3) {
        m.insert(
            key.to_string(),
            parse(d.pick(pool(FORMATION_ENTRIES, FORMATION_ENTRIES_OK, clean))),
        );
    }
    Value::Object(m)
}

fn parent_formation(d: &mut Dice) -> Value {
    let mut m = Map::new();
    for key in d.some(&["web", "worker", "clock"], 3) {
        let size = d.pick(&["S", "M", "L", "XL"]);
        m.insert(key.to_string(), json!({"amount": d.below(4), "size": size}));
    }
    Value::Object(m)
}

fn text_field(name: &str, text: &str) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(rest.as_bytes());
        m.insert(
            format!("{name}_base64"),
            Value::String(base64_encode(&bytes)),
        );
    } else {
        m.insert(name.to_string(), Value::String(text.to_string()));
    }
    m
}

/// Standard base64 with padding (RFC 4648 section 4), the inverse of
/// [`super::evaluate::base64_decode`] (the `base64` crate's standard engine).
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The random input of one case of `capability`.
/// Days a generated case is resolved as of: one in each period of the platform
/// catalogue (`spec/platform.json`), so that generated cases meet every stack status,
/// both env value limits, and the days before and after `firewall_rules` and `3XL`.
const DATES: &[&str] = &[
    "2019-08-06",
    "2023-01-31",
    "2025-05-01",
    "2026-01-01",
    "2026-03-02",
    "2026-07-21",
    "2026-09-24",
    "2026-12-07",
    "2027-06-01",
    "2032-06-01",
];

/// A generated input of `capability`, with its `date` (rule `PLAT-1`).
fn input(d: &mut Dice, capability: Capability, seed: u64) -> Value {
    let date = d.pick(DATES);
    let mut v = input_for(d, capability, seed);
    if let Value::Object(m) = &mut v {
        m.insert("date".into(), json!(date));
    }
    v
}

fn input_for(d: &mut Dice, capability: Capability, seed: u64) -> Value {
    match capability {
        Capability::Validate => {
            let clean = d.chance(40);
            Value::Object(text_field("manifest", &manifest_text(d, 35, clean)))
        }
        Capability::Procfile => {
            let clean = d.chance(40);
            let mut text = procfile_text(d, clean);
            if d.chance(5) {
                text.insert(0, '\u{feff}');
            }
            Value::Object(text_field("procfile", &text))
        }
        Capability::Locate => {
            let files = d.some(FILES, 6);
            let mut m = Map::new();
            m.insert("files".into(), json!(files));
            if d.chance(60) {
                m.insert("project_dir".into(), json!(d.pick(PROJECT_DIRS)));
            }
            Value::Object(m)
        }
        Capability::Source => {
            let mut request = Map::new();
            if d.chance(60) {
                request.insert("referer".into(), json!(d.pick(REFERERS)));
            }
            if d.chance(60) {
                request.insert("source".into(), json!(d.pick(SOURCES)));
            }
            let mut manifest = Map::new();
            if d.chance(40) {
                manifest.insert("repository".into(), json!(d.pick(MANIFEST_REPOSITORIES)));
            }
            if d.chance(30) {
                manifest.insert("ref".into(), json!(d.pick(REFS)));
            }
            let mut m = Map::new();
            m.insert("request".into(), Value::Object(request));
            m.insert("manifest".into(), Value::Object(manifest));
            if d.chance(50) {
                m.insert(
                    "default_branch".into(),
                    json!(d.pick(&["main", "trunk", "bad..branch"])),
                );
            }
            Value::Object(m)
        }
        Capability::Env => {
            let review = kind(d) == "review-app";
            let mut m = Map::new();
            m.insert(
                "kind".into(),
                json!(if review { "review-app" } else { "one-click" }),
            );
            m.insert("seed".into(), json!(seed));
            if d.chance(85) {
                m.insert("manifest_env".into(), env_object(d));
            }
            if review {
                m.insert("app".into(), json!("my-app-pr7"));
                m.insert("parent_app".into(), json!("my-app"));
                m.insert("pr_number".into(), json!(7));
                m.insert(
                    "parent_env".into(),
                    json!({"RAILS_ENV": "production", "DEBUG": "0", "SCALINGO_REDIS_URL": "redis://parent", "API_KEY": "k"}),
                );
                m.insert("parent_addon_vars".into(), json!(["SCALINGO_REDIS_URL"]));
                if d.chance(40) {
                    m.insert(
                        "copy_parent_database_urls".into(),
                        parse(d.pick(&["true", "false", "\"true\"", "\"yes\""])),
                    );
                }
            } else {
                m.insert("app".into(), json!("my-app"));
                if d.chance(50) {
                    m.insert(
                        "user_env".into(),
                        json!({"API_KEY": "typed", "EXTRA": "1", "DEBUG": ""}),
                    );
                }
            }
            if d.chance(20) {
                m.insert("region".into(), json!("osc-secnum-fr1"));
            }
            Value::Object(m)
        }
        Capability::Addons => {
            let mut m = Map::new();
            m.insert("kind".into(), json!(kind(d)));
            if d.chance(75) {
                let clean = d.chance(50);
                let list: Vec<Value> = d
                    .some(pool(ADDONS, ADDONS_OK, clean), 3)
                    .into_iter()
                    .map(parse)
                    .collect();
                m.insert("manifest_addons".into(), Value::Array(list));
            }
            let parents: Vec<Value> = d.some(PARENT_ADDONS, 3).into_iter().map(parse).collect();
            m.insert("parent_addons".into(), Value::Array(parents));
            Value::Object(m)
        }
        Capability::Formation => {
            let mut m = Map::new();
            m.insert("kind".into(), json!(kind(d)));
            if d.chance(75) {
                m.insert("manifest_formation".into(), formation_object(d));
            }
            if d.chance(80) {
                let clean = d.chance(70);
                m.insert("procfile".into(), json!(procfile_text(d, clean)));
            }
            m.insert("parent_formation".into(), parent_formation(d));
            Value::Object(m)
        }
        Capability::Hooks => {
            let mut m = Map::new();
            m.insert("kind".into(), json!(kind(d)));
            if d.chance(70) {
                let clean = d.chance(60);
                m.insert(
                    "scripts".into(),
                    parse(d.pick(pool(SCRIPTS, SCRIPTS_OK, clean))),
                );
            }
            if d.chance(50) {
                m.insert(
                    "procfile_postdeploy".into(),
                    json!(d.pick(&["npm run migrate", "rake db:migrate", " "])),
                );
            }
            m.insert("attempts".into(), attempts(d));
            Value::Object(m)
        }
        Capability::Resolve => {
            let review = kind(d) == "review-app";
            let mut files = Map::new();
            let dir = if d.chance(20) { "api/" } else { "" };
            if d.chance(85) {
                let clean = d.chance(80);
                files.insert(
                    format!("{dir}scalingo.json"),
                    json!(manifest_text(d, 5, clean)),
                );
            }
            if d.chance(80) {
                let clean = d.chance(85);
                files.insert(format!("{dir}Procfile"), json!(procfile_text(d, clean)));
            }
            let mut m = Map::new();
            m.insert(
                "kind".into(),
                json!(if review { "review-app" } else { "one-click" }),
            );
            m.insert("seed".into(), json!(seed));
            m.insert("repository".into(), json!({"files": files}));
            m.insert("attempts".into(), attempts(d));
            if review {
                m.insert("app".into(), json!({"name": "my-app-pr7"}));
                m.insert("pr_number".into(), json!(7));
                let mut env =
                    json!({"RAILS_ENV": "production", "SCALINGO_REDIS_URL": "redis://parent"});
                if !dir.is_empty() {
                    env["PROJECT_DIR"] = json!("api");
                }
                let addons: Vec<Value> = d.some(PARENT_ADDONS, 2).into_iter().map(parse).collect();
                m.insert(
                    "parent".into(),
                    json!({"name": "my-app", "env": env, "addon_vars": ["SCALINGO_REDIS_URL"],
                           "addons": addons, "formation": parent_formation(d), "stack": "scalingo-22"}),
                );
            } else {
                m.insert("app".into(), json!({"name": "my-app"}));
                m.insert("request".into(), json!({"source": d.pick(&SOURCES[1..5])}));
                let mut user = Map::new();
                if !dir.is_empty() {
                    user.insert("PROJECT_DIR".into(), json!("api"));
                }
                if d.chance(50) {
                    user.insert("API_KEY".into(), json!("typed"));
                }
                m.insert("user_env".into(), Value::Object(user));
            }
            Value::Object(m)
        }
    }
}

/// The main rule of each capability, listed first in a generated case's `rules`.
fn base_rule(capability: Capability) -> &'static str {
    match capability {
        Capability::Validate => "MAN-9",
        Capability::Procfile => "PROC-11",
        Capability::Locate => "LOC-4",
        Capability::Source => "SRC-10",
        Capability::Env => "ENV-1",
        Capability::Addons => "ADD-1",
        Capability::Formation => "FRM-1",
        Capability::Hooks => "HOOK-1",
        Capability::Resolve => "SCN-3",
    }
}

/// Codes of the diagnostics of an `expected` value (any capability).
fn codes(expected: &Value) -> BTreeSet<String> {
    case::expected_diagnostics(expected)
        .filter_map(|d| d.get("code").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// Case `k` (1-based) of seed `seed`, of one of `capabilities` (every capability when
/// empty).
///
/// # Errors
/// [`EvalError`] if a generated input does not evaluate (a bug of the generator).
pub(crate) fn generate_one(
    seed: u64,
    k: u64,
    capabilities: &[Capability],
) -> Result<Case, EvalError> {
    let capabilities = if capabilities.is_empty() {
        &Capability::ALL[..]
    } else {
        capabilities
    };
    let mut d = Dice::new(seed, k);
    let capability = capabilities[d.below(capabilities.len())];
    let mut case = Case {
        id: format!("GEN-{seed}-{k}"),
        rules: vec![base_rule(capability).to_string()],
        decisions: Vec::new(),
        description: format!("generated case {k} of seed {seed} ({capability})"),
        capability,
        status: Status::Required,
        tags: vec!["generated".to_string()],
        input: input(&mut d, capability, seed),
        expected: Value::Null,
    };
    let expected = case::canonical(&expected_for(&case)?);
    for code in codes(&expected) {
        if let Some(c) = scalingo_manifest::Code::from_code(&code) {
            if !case.rules.iter().any(|r| r == c.rule()) {
                case.rules.push(c.rule().to_string());
            }
        }
    }
    let text = expected.to_string();
    if text.contains("\"origin\":\"secret\"") {
        case.tags.insert(0, "exact-secrets".to_string());
    }
    case.input = case::canonical(&case.input);
    case.expected = expected;
    Ok(case)
}

/// Cases 1 to `count` of seed `seed` (see the module documentation), each of a capability
/// drawn from `capabilities` (every capability when empty, in [`Capability::ALL`]'s order):
/// the cases are a function of the seed, `k` and that list, so a run restricted to
/// `validate` gives other cases than the `validate` cases of an unrestricted run.
///
/// # Errors
/// A message when `count` is above [`MAX_COUNT`], or if a generated input does not
/// evaluate (a bug of the generator).
pub fn generate(seed: u64, count: u64, capabilities: &[Capability]) -> Result<Vec<Case>, String> {
    check_count(count)?;
    (1..=count)
        .map(|k| generate_one(seed, k, capabilities).map_err(|e| format!("GEN-{seed}-{k}: {e}")))
        .collect()
}

/// Refuses a `count` above [`MAX_COUNT`] (a check of its own, so that the limit itself is
/// tested without generating that many cases).
fn check_count(count: u64) -> Result<(), String> {
    if count > MAX_COUNT {
        return Err(format!(
            "at most {MAX_COUNT} cases are generated at once ({count} asked)"
        ));
    }
    Ok(())
}

/// Writes cases 1 to `count` of seed `seed` and `capabilities` ([`generate`]) under `out`:
/// `out/<capability>/<id>.json` in the suite's canonical bytes, and `out/index.json`.
/// Returns the paths written, index last.
///
/// # Errors
/// A message when generation fails ([`generate`]) or a folder or file cannot be written.
pub fn write_generated(
    seed: u64,
    count: u64,
    capabilities: &[Capability],
    out: &Path,
) -> Result<Vec<PathBuf>, String> {
    let cases = generate(seed, count, capabilities)?;
    let mut written = Vec::with_capacity(cases.len() + 1);
    for case in &cases {
        let path = out.join(case.rel_path());
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, case.to_canonical_json())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let index = out.join("index.json");
    let texts: Vec<String> = cases.iter().map(Case::to_canonical_json).collect();
    let with_bytes: Vec<(&Case, &str)> = cases
        .iter()
        .zip(&texts)
        .map(|(c, t)| (c, t.as_str()))
        .collect();
    fs::write(&index, case::index_json(&with_bytes, &[]))
        .map_err(|e| format!("{}: {e}", index.display()))?;
    written.push(index);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::base64_decode;

    #[test]
    fn the_same_seed_gives_the_same_cases() {
        let a = generate(7, 40, &[]).unwrap();
        let b = generate(7, 40, &[]).unwrap();
        assert_eq!(a, b);
        let c = generate(8, 40, &[]).unwrap();
        assert_ne!(a, c);
        // More cases never change the first ones.
        assert_eq!(generate(7, 5, &[]).unwrap()[..], a[..5]);
    }

    #[test]
    fn generated_cases_are_well_formed_and_exact() {
        let cases = generate(42, 120, &[]).unwrap();
        let caps: BTreeSet<Capability> = cases.iter().map(|c| c.capability).collect();
        assert_eq!(
            caps.len(),
            Capability::ALL.len(),
            "every capability is drawn"
        );
        for (i, c) in cases.iter().enumerate() {
            assert_eq!(c.id, format!("GEN-42-{}", i + 1));
            assert!(c.tags.contains(&"generated".to_string()));
            assert!(c.expected.is_object(), "{}", c.id);
            // Seeded: the expected output is reproduced exactly.
            assert_eq!(
                case::canonical(&expected_for(c).unwrap()),
                c.expected,
                "{}",
                c.id
            );
        }
        let descriptions: BTreeSet<&str> = cases.iter().map(|c| c.description.as_str()).collect();
        assert_eq!(descriptions.len(), cases.len());
    }

    #[test]
    fn max_count_cases_are_allowed_and_one_more_is_refused() {
        assert_eq!(check_count(MAX_COUNT), Ok(()));
        assert!(check_count(MAX_COUNT + 1).is_err());
    }

    #[test]
    fn too_many_cases_are_refused() {
        assert!(generate(1, MAX_COUNT + 1, &[]).is_err());
        assert_eq!(generate(1, 0, &[]).unwrap(), Vec::new());
    }

    #[test]
    fn base64_round_trips() {
        for bytes in [
            &b""[..],
            b"f",
            b"fo",
            b"foo",
            b"\xEF\xBB\xBF{}",
            b"\xff\x00\x80",
        ] {
            assert_eq!(base64_decode(&base64_encode(bytes)).unwrap(), bytes);
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
    }

    /// `f` applied to the dice of cases 1 to `n` of seed 5.
    fn draws<T>(n: u64, mut f: impl FnMut(&mut Dice) -> T) -> Vec<T> {
        (1..=n).map(|k| f(&mut Dice::new(5, k))).collect()
    }

    #[test]
    fn chance_0_is_never_and_chance_100_is_always() {
        let mut d = Dice::new(5, 1);
        for _ in 0..1000 {
            assert!(!d.chance(0));
            assert!(d.chance(100));
        }
        let half: BTreeSet<bool> = (0..100).map(|_| d.chance(50)).collect();
        assert_eq!(half.len(), 2, "chance(50) gives both answers");
    }

    #[test]
    fn some_draws_0_to_max_distinct_items() {
        let items = ["a", "b", "c", "d", "e"];
        let mut d = Dice::new(5, 1);
        let mut lengths = BTreeSet::new();
        for _ in 0..400 {
            let some = d.some(&items, 3);
            let distinct: BTreeSet<&&str> = some.iter().collect();
            assert_eq!(distinct.len(), some.len(), "{some:?}");
            lengths.insert(some.len());
        }
        assert_eq!(lengths, BTreeSet::from([0, 1, 2, 3]));
        // `max` above the number of items: every item at most once.
        let mut lengths = BTreeSet::new();
        for _ in 0..100 {
            lengths.insert(d.some(&["a", "b"], 5).len());
        }
        assert_eq!(lengths, BTreeSet::from([0, 1, 2]));
    }

    #[test]
    fn a_clean_pool_is_the_error_free_prefix() {
        assert_eq!(pool(STACKS, STACKS_OK, true), &STACKS[..STACKS_OK]);
        assert_eq!(pool(STACKS, STACKS_OK, false), STACKS);
        assert_eq!(pool(STACKS, STACKS.len() + 3, true), STACKS);
    }

    #[test]
    fn an_undamaged_manifest_is_a_json_object() {
        for (clean, text) in draws(200, |d| {
            let clean = d.chance(50);
            (clean, manifest_text(d, 0, clean))
        }) {
            let value: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("clean {clean}: {e}\n{text}"));
            assert!(value.is_object(), "{text}");
        }
    }

    #[test]
    fn damage_is_one_of_six_edits() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}\n";
        let seen: BTreeSet<String> = draws(200, |d| damaged(d, text)).into_iter().collect();
        let expected = BTreeSet::from([
            // a comma dropped
            "{\n  \"a\": 1\n  \"b\": 2\n}\n".to_string(),
            // a trailing comma
            "{\n  \"a\": 1,\n  \"b\": 2,\n}\n".to_string(),
            // a comment
            "{\n  // copied from app.json\n  \"a\": 1,\n  \"b\": 2\n}\n".to_string(),
            // CRLF line endings
            "{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n".to_string(),
            // the first half (11 of 23 characters)
            "{\n  \"a\": 1,".to_string(),
            // a byte order mark
            format!("\u{feff}{text}"),
        ]);
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_procfile_has_1_to_5_lines() {
        for clean in [false, true] {
            let newlines: BTreeSet<usize> =
                draws(300, |d| procfile_text(d, clean).matches('\n').count())
                    .into_iter()
                    .collect();
            // n lines are n - 1 line ends, plus one at the end most of the time.
            assert_eq!(newlines.last(), Some(&5), "clean {clean}: {newlines:?}");
            if !clean {
                assert!(newlines.contains(&1), "{newlines:?}");
            }
        }
    }

    #[test]
    fn the_web_line_can_be_the_last_line_of_a_clean_procfile() {
        let texts = draws(300, |d| procfile_text(d, true));
        assert!(
            texts
                .iter()
                .any(|t| t.contains('\n') && CLEAN_WEB_LINES.iter().any(|w| t.ends_with(w))),
            "no clean Procfile of several lines ends with its web line"
        );
    }

    #[test]
    fn env_and_formation_objects_draw_from_their_pools() {
        let envs = draws(100, env_object);
        assert!(envs
            .iter()
            .any(|e| e.as_object().is_some_and(|m| !m.is_empty())));
        for e in &envs {
            let m = e.as_object().unwrap();
            assert!(m.keys().all(|k| ENV_NAMES.contains(&k.as_str())), "{e}");
        }
        let formations = draws(100, formation_object);
        assert!(formations
            .iter()
            .any(|f| f.as_object().is_some_and(|m| !m.is_empty())));
        for f in &formations {
            let m = f.as_object().unwrap();
            assert!(
                m.keys().all(|k| FORMATION_KEYS.contains(&k.as_str())),
                "{f}"
            );
        }
    }

    #[test]
    fn project_dir_names_the_folder_of_a_resolve_scenarios_files() {
        let mut seen = BTreeSet::new();
        for input in draws(400, |d| input_for(d, Capability::Resolve, 5)) {
            let files = input["repository"]["files"].as_object().unwrap();
            if files.is_empty() {
                continue;
            }
            let in_api = files.keys().all(|f| f.starts_with("api/"));
            let review = input["kind"] == "review-app";
            let env = if review {
                &input["parent"]["env"]
            } else {
                &input["user_env"]
            };
            let project_dir = env.get("PROJECT_DIR").and_then(Value::as_str);
            assert_eq!(project_dir, in_api.then_some("api"), "{input}");
            seen.insert((review, in_api));
        }
        assert_eq!(seen.len(), 4, "{seen:?}");
    }

    #[test]
    fn codes_are_the_distinct_codes_of_the_diagnostics() {
        let expected = serde_json::json!({"diagnostics": [
            {"code": "SM0101"}, {"code": "SM0002"}, {"code": "SM0101"}, {"severity": "error"}
        ]});
        assert_eq!(
            codes(&expected),
            BTreeSet::from(["SM0002".to_string(), "SM0101".to_string()])
        );
        assert_eq!(codes(&serde_json::json!({"valid": true})), BTreeSet::new());
    }

    #[test]
    fn generated_rules_name_the_rule_of_every_code() {
        let mut extra = 0;
        for c in generate(42, 60, &[]).unwrap() {
            assert_eq!(c.rules[0], base_rule(c.capability), "{}", c.id);
            for code in codes(&c.expected) {
                let rule = scalingo_manifest::Code::from_code(&code).unwrap().rule();
                assert!(c.rules.iter().any(|r| r == rule), "{}: {code}", c.id);
            }
            extra += c.rules.len() - 1;
        }
        assert!(extra > 0, "some case names more than its main rule");
    }

    #[test]
    fn dice_choices_are_in_range() {
        let mut d = Dice::new(3, 1);
        for n in 1..50 {
            assert!(d.below(n) < n);
        }
        assert_eq!(d.below(0), 0);
        let some = d.some(&["a", "b", "c"], 3);
        let distinct: BTreeSet<&&str> = some.iter().collect();
        assert_eq!(distinct.len(), some.len());
    }
}
