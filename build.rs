//! Reads the platform catalogue `spec/platform.json` (rule `PLAT-1`, `spec/platform.md`) at
//! build time and writes it as Rust statics to `$OUT_DIR/platform_data.rs`, which
//! `src/platform.rs` includes. The build fails, with the JSON pointer of the problem, when
//! the catalogue does not have the shape `spec/platform.schema.json` describes or breaks
//! one of its invariants (dates `YYYY-MM-DD`, entries of a history in date order, every
//! `source` defined, names unique): a catalogue the engine cannot use never compiles.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value};

const CATALOGUE: &str = "spec/platform.json";

/// The catalogue's sections, every one required (`$schema` may stand beside them).
const SECTIONS: [&str; 13] = [
    "as_of",
    "sources",
    "stacks",
    "default_stack",
    "container_sizes",
    "default_container_size",
    "regions",
    "default_region",
    "addon_providers",
    "plan_retirements",
    "env",
    "manifest_keys",
    "firewall",
];

fn main() {
    println!("cargo:rerun-if-changed={CATALOGUE}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(CATALOGUE)
        .unwrap_or_else(|e| panic!("{CATALOGUE}: cannot read: {e}"));
    let root: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{CATALOGUE}: not JSON: {e}"));
    let code = Gen::default().catalogue(&root);
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("platform_data.rs"), code)
        .unwrap_or_else(|e| panic!("cannot write platform_data.rs: {e}"));
}

/// One entry of a list of named facts (see `Gen::named`).
struct NamedFact<'a> {
    ptr: String,
    o: &'a Map<String, Value>,
    name: &'a str,
    since: String,
    src: String,
}

#[derive(Default)]
struct Gen {
    sources: Vec<String>,
}

fn fail(ptr: &str, what: &str) -> ! {
    panic!("{CATALOGUE}{ptr}: {what}")
}

fn obj<'a>(v: &'a Value, ptr: &str, keys: &[&str], required: &[&str]) -> &'a Map<String, Value> {
    let Some(o) = v.as_object() else {
        fail(ptr, "expected an object")
    };
    for k in o.keys() {
        if !keys.contains(&k.as_str()) {
            fail(
                ptr,
                &format!("unknown key `{k}` (known: {})", keys.join(", ")),
            );
        }
    }
    for k in required {
        if !o.contains_key(*k) {
            fail(ptr, &format!("missing key `{k}`"));
        }
    }
    o
}

fn arr<'a>(v: &'a Value, ptr: &str) -> &'a [Value] {
    match v.as_array() {
        Some(a) => a,
        None => fail(ptr, "expected an array"),
    }
}

fn string<'a>(v: &'a Value, ptr: &str) -> &'a str {
    match v.as_str() {
        Some(s) if !s.is_empty() => s,
        _ => fail(ptr, "expected a non-empty string"),
    }
}

fn uint(v: &Value, ptr: &str) -> u64 {
    match v.as_u64() {
        Some(n) => n,
        None => fail(ptr, "expected a non-negative integer"),
    }
}

/// A `YYYY-MM-DD` date as `(y, m, d)`, checked against the calendar.
fn date(v: &Value, ptr: &str) -> (i16, i8, i8) {
    let s = string(v, ptr);
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        s.get(r.clone())
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<i16>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        fail(ptr, &format!("`{s}` is not a date YYYY-MM-DD"))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        fail(ptr, &format!("`{s}` is not a date YYYY-MM-DD"));
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > days[(m - 1) as usize] {
        fail(ptr, &format!("`{s}` is not a calendar date"));
    }
    (y, m as i8, d as i8)
}

fn date_expr((y, m, d): (i16, i8, i8)) -> String {
    format!("Date::from_ymd_const({y}, {m}, {d})")
}

fn since_expr(v: Option<&Value>, ptr: &str) -> (Option<(i16, i8, i8)>, String) {
    match v {
        None | Some(Value::Null) => (None, "None".into()),
        Some(v) => {
            let d = date(v, ptr);
            (Some(d), format!("Some({})", date_expr(d)))
        }
    }
}

impl Gen {
    fn source(&self, v: &Value, ptr: &str) -> String {
        let s = string(v, ptr);
        match self.sources.iter().position(|k| k == s) {
            Some(i) => format!("&SOURCES[{i}]"),
            None => fail(ptr, &format!("`{s}` is not a key of /sources")),
        }
    }

    /// A history: entries `{since, ..., source}` with strictly increasing `since` (only the
    /// first may have none). Returns the Rust expressions of each entry's fields.
    fn history(
        &self,
        v: &Value,
        ptr: &str,
        value_keys: &[&str],
    ) -> Vec<(String, String, Vec<Value>)> {
        let mut keys = vec!["since", "source", "note"];
        keys.extend_from_slice(value_keys);
        let mut last: Option<(i16, i8, i8)> = None;
        let mut out = Vec::new();
        let entries = arr(v, ptr);
        if entries.is_empty() {
            fail(ptr, "a history has at least one entry");
        }
        for (i, e) in entries.iter().enumerate() {
            let p = format!("{ptr}/{i}");
            let mut required = vec!["source"];
            required.extend_from_slice(value_keys);
            let o = obj(e, &p, &keys, &required);
            let (since, since_rs) = since_expr(o.get("since"), &format!("{p}/since"));
            match (i, since, last) {
                (0, _, _) => {}
                (_, None, _) => fail(&p, "only the first entry of a history may omit `since`"),
                (_, Some(d), Some(l)) if d <= l => {
                    fail(&p, "entries must be in increasing date order")
                }
                _ => {}
            }
            last = since.or(last);
            let src = self.source(&o["source"], &format!("{p}/source"));
            out.push((
                since_rs,
                src,
                value_keys.iter().map(|k| o[*k].clone()).collect(),
            ));
        }
        out
    }

    /// A list of named facts, each `{<key>, <fields>..., since?, source}`, with names
    /// unique in the list: per entry its pointer, object, name, and `since` and `source` as
    /// Rust expressions.
    fn named<'a>(&self, v: &'a Value, ptr: &str, key: &str, fields: &[&str]) -> Vec<NamedFact<'a>> {
        let mut keys = vec![key, "since", "source"];
        keys.extend_from_slice(fields);
        let mut required = vec![key, "source"];
        required.extend_from_slice(fields);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, e) in arr(v, ptr).iter().enumerate() {
            let p = format!("{ptr}/{i}");
            let o = obj(e, &p, &keys, &required);
            let name = string(&o[key], &format!("{p}/{key}"));
            if !seen.insert(name) {
                fail(&p, &format!("`{name}` is listed twice"));
            }
            let (_, since) = since_expr(o.get("since"), &format!("{p}/since"));
            let src = self.source(&o["source"], &format!("{p}/source"));
            out.push(NamedFact {
                ptr: p,
                o,
                name,
                since,
                src,
            });
        }
        out
    }

    /// `{<key>, source}` naming one of `list`: the default of a list of facts. Returns the
    /// name and the source as a Rust expression.
    fn default_of<'a>(
        &self,
        v: &'a Value,
        ptr: &str,
        key: &str,
        list: &[NamedFact],
    ) -> (&'a str, String) {
        let o = obj(v, ptr, &[key, "source"], &[key, "source"]);
        let name = string(&o[key], &format!("{ptr}/{key}"));
        if !list.iter().any(|f| f.name == name) {
            fail(
                &format!("{ptr}/{key}"),
                &format!("`{name}` is not in the list it is the default of"),
            );
        }
        (name, self.source(&o["source"], &format!("{ptr}/source")))
    }

    fn catalogue(mut self, root: &Value) -> String {
        let mut keys = vec!["$schema"];
        keys.extend_from_slice(&SECTIONS);
        let top = obj(root, "", &keys, &SECTIONS);
        let mut code =
            String::from("// Generated by build.rs from spec/platform.json: do not edit.\n\n");
        let as_of = date(&top["as_of"], "/as_of");
        writeln!(
            code,
            "/// The date the catalogue was last checked against the documentation."
        )
        .unwrap();
        writeln!(code, "pub const AS_OF: Date = {};", date_expr(as_of)).unwrap();

        // sources
        let Some(sources) = top["sources"].as_object() else {
            fail("/sources", "expected an object")
        };
        writeln!(
            code,
            "pub(crate) static SOURCES: [Source; {}] = [",
            sources.len()
        )
        .unwrap();
        for (k, v) in sources {
            let p = format!("/sources/{k}");
            let o = obj(
                v,
                &p,
                &["path", "repository", "modified_at", "commit"],
                &["path"],
            );
            let path = string(&o["path"], &format!("{p}/path"));
            let repository = o.get("repository").map_or("Scalingo/documentation", |r| {
                string(r, &format!("{p}/repository"))
            });
            let modified = match o.get("modified_at") {
                Some(m) => format!("Some({})", date_expr(date(m, &format!("{p}/modified_at")))),
                None => "None".into(),
            };
            let commit = match o.get("commit") {
                Some(c) => format!("Some({:?})", string(c, &format!("{p}/commit"))),
                None if modified == "None" => {
                    fail(&p, "a source has a `modified_at` or a `commit`")
                }
                None => "None".into(),
            };
            writeln!(
                code,
                "    Source {{ id: {k:?}, repository: {repository:?}, path: {path:?}, modified_at: {modified}, commit: {commit} }},"
            )
            .unwrap();
            self.sources.push(k.clone());
        }
        code.push_str("];\n\n");

        // stacks
        let mut names = BTreeSet::new();
        code.push_str("pub(crate) static STACKS: &[Stack] = &[\n");
        for (i, s) in arr(&top["stacks"], "/stacks").iter().enumerate() {
            let p = format!("/stacks/{i}");
            let o = obj(
                s,
                &p,
                &["name", "base", "history"],
                &["name", "base", "history"],
            );
            let name = string(&o["name"], &format!("{p}/name"));
            if !names.insert(name.to_string()) {
                fail(&p, &format!("stack `{name}` is listed twice"));
            }
            let base = string(&o["base"], &format!("{p}/base"));
            let hist = self.history(&o["history"], &format!("{p}/history"), &["status"]);
            writeln!(
                code,
                "    Stack {{ name: {name:?}, base: {base:?}, history: &["
            )
            .unwrap();
            for (j, (since, src, vals)) in hist.iter().enumerate() {
                let status = match vals[0].as_str() {
                    Some("supported") => "Supported",
                    Some("deprecated") => "Deprecated",
                    Some("discontinued") => "Discontinued",
                    _ => fail(
                        &format!("{p}/history/{j}/status"),
                        "expected supported, deprecated or discontinued",
                    ),
                };
                writeln!(
                    code,
                    "        Dated {{ since: {since}, value: StackStatus::{status}, source: {src} }},"
                )
                .unwrap();
            }
            code.push_str("    ] },\n");
        }
        code.push_str("];\n\n");
        let hist = self.history(&top["default_stack"], "/default_stack", &["stack"]);
        code.push_str("pub(crate) static DEFAULT_STACK: &[Dated<&str>] = &[\n");
        for (j, (since, src, vals)) in hist.iter().enumerate() {
            let s = string(&vals[0], &format!("/default_stack/{j}/stack"));
            if !names.contains(s) {
                fail(
                    &format!("/default_stack/{j}/stack"),
                    "not a stack of /stacks",
                );
            }
            writeln!(
                code,
                "    Dated {{ since: {since}, value: {s:?}, source: {src} }},"
            )
            .unwrap();
        }
        code.push_str("];\n\n");

        // container sizes
        let sizes = self.named(
            &top["container_sizes"],
            "/container_sizes",
            "name",
            &["memory_mb"],
        );
        writeln!(
            code,
            "pub(crate) static CONTAINER_SIZES: [ContainerSizeFact; {}] = [",
            sizes.len()
        )
        .unwrap();
        for f in &sizes {
            let mem = uint(&f.o["memory_mb"], &format!("{}/memory_mb", f.ptr));
            writeln!(
                code,
                "    ContainerSizeFact {{ name: {:?}, memory_mb: {mem}, since: {}, source: {} }},",
                f.name, f.since, f.src
            )
            .unwrap();
        }
        code.push_str("];\n\n");
        let (size, src) = self.default_of(
            &top["default_container_size"],
            "/default_container_size",
            "size",
            &sizes,
        );
        writeln!(
            code,
            "pub(crate) static DEFAULT_CONTAINER_SIZE: Dated<&str> = Dated {{ since: None, value: {size:?}, source: {src} }};\n"
        )
        .unwrap();

        // regions
        let regions = self.named(&top["regions"], "/regions", "name", &["app_domain"]);
        code.push_str("pub(crate) static REGIONS: &[Region] = &[\n");
        for f in &regions {
            let domain = string(&f.o["app_domain"], &format!("{}/app_domain", f.ptr));
            writeln!(
                code,
                "    Region {{ name: {:?}, app_domain: {domain:?}, since: {}, source: {} }},",
                f.name, f.since, f.src
            )
            .unwrap();
        }
        code.push_str("];\n\n");
        let (region, src) = self.default_of(
            &top["default_region"],
            "/default_region",
            "region",
            &regions,
        );
        writeln!(
            code,
            "pub(crate) static DEFAULT_REGION: Dated<&str> = Dated {{ since: None, value: {region:?}, source: {src} }};"
        )
        .unwrap();
        writeln!(code, "/// The region of an app that names none.\npub const DEFAULT_REGION_NAME: &str = {region:?};\n").unwrap();

        // addon providers
        code.push_str("pub(crate) static ADDON_PROVIDERS: &[AddonProvider] = &[\n");
        for f in self.named(&top["addon_providers"], "/addon_providers", "name", &[]) {
            writeln!(
                code,
                "    AddonProvider {{ name: {:?}, since: {}, source: {} }},",
                f.name, f.since, f.src
            )
            .unwrap();
        }
        code.push_str("];\n\n");

        // plan retirements
        code.push_str("pub(crate) static PLAN_RETIREMENTS: &[PlanRetirement] = &[\n");
        for (i, r) in arr(&top["plan_retirements"], "/plan_retirements")
            .iter()
            .enumerate()
        {
            let p = format!("/plan_retirements/{i}");
            let o = obj(
                r,
                &p,
                &["plan_suffix", "replacement", "since", "source"],
                &["plan_suffix", "replacement", "since", "source"],
            );
            let suffix = string(&o["plan_suffix"], &format!("{p}/plan_suffix"));
            let replacement = string(&o["replacement"], &format!("{p}/replacement"));
            let since = date(&o["since"], &format!("{p}/since"));
            let src = self.source(&o["source"], &format!("{p}/source"));
            writeln!(
                code,
                "    PlanRetirement {{ plan_suffix: {suffix:?}, replacement: {replacement:?}, since: {}, source: {src} }},",
                date_expr(since)
            )
            .unwrap();
        }
        code.push_str("];\n\n");

        // env
        let env = obj(
            &top["env"],
            "/env",
            &["name_max_chars", "value_max_chars", "set_by_platform"],
            &["name_max_chars", "value_max_chars", "set_by_platform"],
        );
        for (key, konst) in [
            ("name_max_chars", "ENV_NAME_MAX_CHARS"),
            ("value_max_chars", "ENV_VALUE_MAX_CHARS"),
        ] {
            let p = format!("/env/{key}");
            let hist = self.history(&env[key], &p, &["value"]);
            writeln!(code, "pub(crate) static {konst}: &[Dated<usize>] = &[").unwrap();
            let mut latest = 0;
            for (j, (since, src, vals)) in hist.iter().enumerate() {
                latest = uint(&vals[0], &format!("{p}/{j}/value"));
                writeln!(
                    code,
                    "    Dated {{ since: {since}, value: {latest}, source: {src} }},"
                )
                .unwrap();
            }
            code.push_str("];\n");
            writeln!(code, "/// The newest entry of `{konst}`.").unwrap();
            writeln!(code, "pub(crate) const {konst}_LATEST: usize = {latest};").unwrap();
        }
        code.push_str("\npub(crate) static PLATFORM_VARS: &[PlatformVar] = &[\n");
        for f in self.named(
            &env["set_by_platform"],
            "/env/set_by_platform",
            "name",
            &["scope"],
        ) {
            let scope = match f.o["scope"].as_str() {
                Some("build") => "Build",
                Some("runtime") => "Runtime",
                Some("build-and-runtime") => "BuildAndRuntime",
                _ => fail(
                    &format!("{}/scope", f.ptr),
                    "expected build, runtime or build-and-runtime",
                ),
            };
            writeln!(
                code,
                "    PlatformVar {{ name: {:?}, scope: VarScope::{scope}, since: {}, source: {} }},",
                f.name, f.since, f.src
            )
            .unwrap();
        }
        code.push_str("];\n\n");

        // manifest keys
        code.push_str("pub(crate) static MANIFEST_KEYS: &[ManifestKey] = &[\n");
        for f in self.named(&top["manifest_keys"], "/manifest_keys", "key", &[]) {
            writeln!(
                code,
                "    ManifestKey {{ key: {:?}, since: {}, source: {} }},",
                f.name, f.since, f.src
            )
            .unwrap();
        }
        code.push_str("];\n\n");

        // firewall
        let fw = obj(
            &top["firewall"],
            "/firewall",
            &["max_rules", "ip_versions"],
            &["max_rules", "ip_versions"],
        );
        let hist = self.history(&fw["max_rules"], "/firewall/max_rules", &["value"]);
        code.push_str("pub(crate) static FIREWALL_MAX_RULES: &[Dated<usize>] = &[\n");
        for (j, (since, src, vals)) in hist.iter().enumerate() {
            let n = uint(&vals[0], &format!("/firewall/max_rules/{j}/value"));
            writeln!(
                code,
                "    Dated {{ since: {since}, value: {n}, source: {src} }},"
            )
            .unwrap();
        }
        code.push_str("];\n");
        let hist = self.history(&fw["ip_versions"], "/firewall/ip_versions", &["value"]);
        code.push_str("pub(crate) static FIREWALL_IP_VERSIONS: &[Dated<IpVersions>] = &[\n");
        for (j, (since, src, vals)) in hist.iter().enumerate() {
            let p = format!("/firewall/ip_versions/{j}/value");
            let mut v4 = false;
            let mut v6 = false;
            for (k, v) in arr(&vals[0], &p).iter().enumerate() {
                match v.as_str() {
                    Some("ipv4") if !v4 => v4 = true,
                    Some("ipv6") if !v6 => v6 = true,
                    _ => fail(&format!("{p}/{k}"), "expected ipv4 or ipv6, each once"),
                }
            }
            writeln!(
                code,
                "    Dated {{ since: {since}, value: IpVersions {{ ipv4: {v4}, ipv6: {v6} }}, source: {src} }},"
            )
            .unwrap();
        }
        code.push_str("];\n");
        code
    }
}
