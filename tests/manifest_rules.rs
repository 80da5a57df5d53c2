//! One test per rule of `spec/manifest.md` (JSON-*, LIM-*, MAN-*, MAN-ENV-*, MAN-ADD-*,
//! MAN-FRM-*, MAN-SCR-*) and per bad input: each asserts the exact code, severity, JSON
//! pointer, line and column of every finding, and what the typed manifest holds.

use scalingo_manifest::manifest::{
    check, AddonShape, AddonSpec, Checked, ContainerSize, EnvValue, Generator, Manifest,
};
use scalingo_manifest::{Diagnostic, Severity};

use Severity::{Error as E, Note as N, Warning as W};

#[path = "common/fixed.rs"]
mod fixed;
use fixed::day;

type Row = (&'static str, Severity, &'static str, u32, u32);

fn run(src: &str) -> Checked {
    check(src.as_bytes(), day())
}

fn rows(c: &Checked) -> Vec<(String, Severity, String, u32, u32)> {
    c.diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.severity,
                d.pointer.clone(),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
            )
        })
        .collect()
}

/// Asserts the complete list of findings, in order, and returns the result.
#[track_caller]
fn expect(src: &str, want: &[Row]) -> Checked {
    let c = run(src);
    let want: Vec<_> = want
        .iter()
        .map(|&(code, s, p, l, col)| (code.to_string(), s, p.to_string(), l, col))
        .collect();
    assert_eq!(
        rows(&c),
        want,
        "input: {}",
        src.chars().take(200).collect::<String>()
    );
    for d in &c.diagnostics {
        assert!(!d.rule().is_empty() && !d.message.is_empty(), "{d:?}");
        assert!(d.hint.is_some(), "every finding has a hint: {d:?}");
    }
    c
}

#[track_caller]
fn only(src: &str, row: Row) -> Diagnostic {
    let c = expect(src, &[row]);
    c.diagnostics[0].clone()
}

fn manifest(c: &Checked) -> &Manifest {
    c.manifest.as_ref().expect("manifest")
}

fn env_value(c: &Checked, name: &str) -> Option<EnvValue> {
    manifest(c)
        .env
        .as_ref()
        .and_then(|v| v.iter().find(|e| e.name == name))
        .map(|e| e.value.clone())
}

fn value(s: &str) -> Option<EnvValue> {
    Some(EnvValue::Value { value: s.into() })
}

fn addons(c: &Checked) -> Vec<(String, Option<String>, Option<String>, AddonShape)> {
    manifest(c)
        .addons
        .as_ref()
        .expect("addons")
        .iter()
        .map(|a: &AddonSpec| {
            (
                a.addon.to_string(),
                a.plan.as_deref().map(str::to_string),
                a.version.as_deref().map(str::to_string),
                a.shape,
            )
        })
        .collect()
}

fn addon(
    a: &str,
    p: Option<&str>,
    v: Option<&str>,
    s: AddonShape,
) -> (String, Option<String>, Option<String>, AddonShape) {
    (
        a.to_string(),
        p.map(str::to_string),
        v.map(str::to_string),
        s,
    )
}

fn formation(c: &Checked) -> Vec<(String, Option<u32>, Option<ContainerSize>)> {
    manifest(c)
        .formation
        .as_ref()
        .expect("formation")
        .iter()
        .map(|f| (f.process_type.to_string(), f.amount, f.size))
        .collect()
}

// ------------------------------------------------------------------ JSON-* and LIM-1, LIM-2

#[test]
fn json_1_invalid_utf8() {
    let c = check(b"{\"name\": \"caf\xe9\"}", day());
    assert_eq!(rows(&c), [("SM0002".into(), E, "".into(), 1, 14)]);
    assert_eq!(manifest(&c).name.as_ref().unwrap().value, "caf?");
}

#[test]
fn json_2_byte_order_mark() {
    let c = check(b"\xef\xbb\xbf{\"name\": \"x\"}", day());
    assert_eq!(rows(&c), [("SM0003".into(), E, "".into(), 1, 1)]);
    assert!(c.manifest.is_some(), "the document is still read");
}

/// DIAG-5 after JSON-2: the byte order mark is one column, though it is read as white
/// space; a finding after it on line 1 has the column of the input as given, in the check
/// (found by the `parse_manifest` fuzz target) as in the validator's own findings.
#[test]
fn json_2_byte_order_mark_is_one_column() {
    let c = check(b"\xef\xbb\xbfx", day());
    assert_eq!(
        rows(&c),
        [
            ("SM0003".into(), E, "".into(), 1, 1),
            ("SM0017".into(), E, "".into(), 1, 2)
        ]
    );
    let c = check(b"\xef\xbb\xbf{\"name\": 5}", day());
    assert_eq!(rows(&c)[1], ("SM0101".into(), E, "/name".into(), 1, 11));
}

#[test]
fn json_3_empty_input() {
    let c = expect(" \n", &[("SM0004", E, "", 1, 1)]);
    assert!(c.manifest.is_none());
}

#[test]
fn json_4_other_syntax_errors() {
    only("{\"a\" 1}", ("SM0006", E, "", 1, 6));
    only("{\"a\": 1", ("SM0012", E, "", 1, 1));
    only("{'a': 1}", ("SM0013", E, "", 1, 2));
    only("{\"a\": 0x1}", ("SM0014", E, "", 1, 7));
    only("{\"name\": \"\\q\"}", ("SM0015", E, "", 1, 11));
    only("{} x", ("SM0016", E, "", 1, 4));
    only("{a: 1}", ("SM0017", E, "", 1, 2));
}

#[test]
fn json_5_comments_are_errors_but_read() {
    let c = expect(
        "{\n  // hi\n  \"stack\": \"heroku-22\"\n}",
        &[("SM0007", E, "", 2, 3), ("SM0105", W, "/stack", 3, 12)],
    );
    assert!(c.manifest.is_some());
}

#[test]
fn json_6_trailing_comma() {
    let c = expect(
        "{\"env\": {\"A\": {\"value\": 1,}}}",
        &[
            ("SM0207", W, "/env/A/value", 1, 25),
            ("SM0008", E, "", 1, 26),
        ],
    );
    assert_eq!(env_value(&c, "A"), value("1"));
}

#[test]
fn json_7_missing_comma() {
    let d = only(
        "{\"name\": \"a\"\n\"ref\": \"main\"}",
        ("SM0009", E, "", 2, 1),
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("add a comma after `\"a\"` on line 1")
    );
}

#[test]
fn json_8_duplicate_key_last_wins() {
    let c = expect(
        "{\"stack\": \"scalingo-20\", \"stack\": \"scalingo-24\"}",
        &[("SM0010", W, "/stack", 1, 26)],
    );
    assert_eq!(manifest(&c).stack.as_ref().unwrap().value, "scalingo-24");
    // the pointer names the member that was kept, at any depth
    expect(
        "{\"environments\": {\"review\": [{\"a/b\": 1, \"a/b\": 2}]}}",
        &[
            ("SM0109", W, "/environments", 1, 2),
            ("SM0010", W, "/environments/review/0/a~1b", 1, 41),
        ],
    );
    // three occurrences: both later ones name the kept (last) member
    let c = expect(
        "{\"stack\": \"scalingo-18\", \"stack\": \"scalingo-20\", \"stack\": \"scalingo-24\"}",
        &[
            ("SM0010", W, "/stack", 1, 26),
            ("SM0010", W, "/stack", 1, 50),
        ],
    );
    assert_eq!(manifest(&c).stack.as_ref().unwrap().value, "scalingo-24");
    // Pointers longer than 4096 bytes are not given (the finding keeps `""`).
    for (len, pointer) in [
        (4095, format!("/{}", "k".repeat(4095))),
        (4096, String::new()),
    ] {
        let key = "k".repeat(len);
        let c = run(&format!("{{\"{key}\": 1, \"{key}\": 2}}"));
        let d = c.diagnostics.iter().find(|d| d.code == "SM0010").unwrap();
        assert_eq!(d.pointer, pointer, "key of {len} bytes");
    }
    // Other findings without a pointer (here 1,000 comments) do not use up the pointers.
    let c = run(&format!("{{\"a\": 1, \"a\": 2 {}}}", "/**/".repeat(1000)));
    let d = c.diagnostics.iter().find(|d| d.code == "SM0010").unwrap();
    assert_eq!(d.pointer, "/a");
}

#[test]
fn json_9_crlf_note() {
    let c = expect(
        "{\r\n\"name\": 1\r\n}",
        &[("SM0011", N, "", 1, 2), ("SM0101", E, "/name", 2, 9)],
    );
    assert!(!c.is_valid());
}

#[test]
fn lim_1_input_size() {
    let mut big = b"{\"description\": \"".to_vec();
    big.resize(1024 * 1024 + 1, b'a');
    let c = check(&big, day());
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(c.diagnostics[0].code, "SM0001");
    assert!(c.manifest.is_none());
}

#[test]
fn lim_2_nesting_depth() {
    let deep = format!("{{\"a\": {}{}}}", "[".repeat(40), "]".repeat(40));
    let c = run(&deep);
    assert_eq!(c.diagnostics[0].code, "SM0005");
    assert_eq!(c.diagnostics[0].column, Some(38));
    assert!(c.manifest.is_none());
}

// ------------------------------------------------------------------ MAN-*

#[test]
fn man_1_root_must_be_an_object() {
    for (src, col) in [("[]", 1), (" \"x\"", 2), ("null", 1), ("42", 1)] {
        let c = expect(src, &[("SM0100", E, "", 1, col)]);
        assert!(c.manifest.is_none());
    }
    let c = expect("{}", &[]);
    assert_eq!(c.manifest, Some(Manifest::default()));
    assert!(c.is_valid());
}

#[test]
fn man_2_string_fields() {
    only("{\"name\": 5}", ("SM0101", E, "/name", 1, 10));
    only(
        "{\"description\": true}",
        ("SM0101", E, "/description", 1, 17),
    );
    only("{\"$schema\": {}}", ("SM0101", E, "/$schema", 1, 13));
    only("{\"repository\": []}", ("SM0101", E, "/repository", 1, 16));
    only("{\"ref\": null}", ("SM0101", E, "/ref", 1, 9));
    // D-5: name is optional; a long description is fine (no 140-character limit).
    let long = "x".repeat(500);
    let c = expect(
        &format!("{{\"$schema\": \"https://x/s.json\", \"description\": \"{long}\"}}"),
        &[],
    );
    assert!(manifest(&c).name.is_none());
    assert_eq!(manifest(&c).description.as_ref().unwrap().value.len(), 500);
}

#[test]
fn man_3_logo_and_website() {
    let c = only("{\"logo\": \"\"}", ("SM0102", N, "/logo", 1, 10));
    assert!(c.message.contains("treated as absent"));
    assert!(run("{\"logo\": \"\"}").manifest.unwrap().logo.is_none());
    let c = expect(
        "{\"website\": \"example.com\"}",
        &[("SM0103", W, "/website", 1, 13)],
    );
    assert_eq!(manifest(&c).website.as_ref().unwrap().value, "example.com");
    only(
        "{\"logo\": \"ftp://x.org/l.png\"}",
        ("SM0103", W, "/logo", 1, 10),
    );
    only(
        "{\"logo\": \" https://x.org/l.png\"}",
        ("SM0103", W, "/logo", 1, 10),
    );
    expect(
        "{\"logo\": \"https://scalingo.com/logo.svg\", \"website\": \"http://scalingo.com\"}",
        &[],
    );
}

#[test]
fn man_4_repository_and_ref() {
    let c = expect(
        "{\"repository\": \"\"}",
        &[("SM0104", N, "/repository", 1, 16)],
    );
    // D-23: an empty override is no override, and the file is valid.
    assert!(manifest(&c).repository.is_none());
    assert!(c.is_valid());
    assert_eq!(
        c.diagnostics[0].message,
        "`repository` is empty: treated as absent, the repository comes from the deploy link"
    );
    let d = only("{\"ref\": \"  \"}", ("SM0104", N, "/ref", 1, 9));
    assert_eq!(
        d.message,
        "`ref` is empty: treated as absent, the ref comes from the deploy link or the default branch"
    );
    let c = expect(
        "{\"repository\": \"https://github.com/Scalingo/sample-go-martini\", \"ref\": \"dev\"}",
        &[],
    );
    assert_eq!(manifest(&c).git_ref.as_ref().unwrap().value, "dev");
}

/// MAN-4: an empty `repository` or `ref` says what to write instead.
#[test]
fn man_4_empty_source_fields_hints() {
    for (key, hint) in [
        ("ref", "remove the key, or write a branch name or a commit ID"),
        ("repository", "remove the key, or write a GitHub repository URL such as `https://github.com/owner/repo`"),
    ] {
        let c = run(&format!("{{\"{key}\": \" \"}}"));
        assert_eq!(c.diagnostics.len(), 1, "{key}: {:?}", c.diagnostics);
        assert_eq!(c.diagnostics[0].hint.as_deref(), Some(hint), "{key}");
    }
}

/// MAN-5: Heroku's stack names are named as such.
#[test]
fn man_5_heroku_stacks_are_named() {
    for stack in ["heroku-22", "cedar-14", "cedar"] {
        let c = run(&format!("{{\"stack\": \"{stack}\"}}"));
        assert_eq!(c.diagnostics.len(), 1, "{stack}: {:?}", c.diagnostics);
        assert_eq!(
            c.diagnostics[0].message,
            format!("`{stack}` is a Heroku stack: the platform keeps its default stack"),
            "{stack}"
        );
    }
    // A Heroku stack gets the list, never a "did you mean"; `heroku-N` is pointed at
    // `scalingo-N` only when that stack is available on the date (2026-12-07).
    for stack in ["heroku-20", "heroku-scalingo-22"] {
        let c = run(&format!("{{\"stack\": \"{stack}\"}}"));
        let hint = c.diagnostics[0].hint.clone().unwrap_or_default();
        assert!(
            hint.starts_with("Scalingo's stacks on 2026-12-07 are "),
            "{stack}: {hint}"
        );
    }
    let c = run("{\"stack\": \"heroku-22\"}");
    let hint = c.diagnostics[0].hint.clone().unwrap_or_default();
    assert!(
        hint.starts_with("`scalingo-22` is Scalingo's stack on the same Ubuntu release"),
        "{hint}"
    );
    let c = run("{\"stack\": \"container\"}");
    assert!(
        c.diagnostics[0]
            .message
            .starts_with("`container` is Heroku's Docker stack"),
        "{:?}",
        c.diagnostics
    );
    let c = run("{\"stack\": \"cedarx\"}");
    assert!(
        c.diagnostics[0]
            .message
            .starts_with("unknown stack `cedarx`"),
        "{:?}",
        c.diagnostics
    );
}

#[test]
fn man_5_stack() {
    // On 2026-12-07 (PLAT-3): supported, deprecated and discontinued stacks are kept.
    for s in ["scalingo-24", "scalingo-26"] {
        let c = expect(&format!("{{\"stack\": \"{s}\"}}"), &[]);
        assert_eq!(manifest(&c).stack.as_ref().unwrap().value, s);
    }
    let c = expect(
        "{\"stack\": \"scalingo-22\"}",
        &[("SM0110", W, "/stack", 1, 11)],
    );
    assert_eq!(manifest(&c).stack.as_ref().unwrap().value, "scalingo-22");
    for s in ["scalingo-14", "scalingo-18", "scalingo-20"] {
        let c = expect(
            &format!("{{\"stack\": \"{s}\"}}"),
            &[("SM0111", W, "/stack", 1, 11)],
        );
        assert_eq!(manifest(&c).stack.as_ref().unwrap().value, s);
    }
    let c = expect(
        "{\"stack\": \"heroku-22\"}",
        &[("SM0105", W, "/stack", 1, 11)],
    );
    assert!(
        manifest(&c).stack.is_none(),
        "the platform keeps its default"
    );
    assert!(c.is_valid());
    let d = only(
        "{\"stack\": \"scalingo24\"}",
        ("SM0105", W, "/stack", 1, 11),
    );
    assert!(d.hint.unwrap().starts_with("did you mean `scalingo-24`?"));
    only("{\"stack\": \"container\"}", ("SM0105", W, "/stack", 1, 11));
    only("{\"stack\": 22}", ("SM0101", E, "/stack", 1, 11));
}

#[test]
fn man_6_copy_parent_database_urls() {
    let c = expect("{\"copy_parent_database_urls\": true}", &[]);
    assert_eq!(
        manifest(&c)
            .copy_parent_database_urls
            .as_ref()
            .map(|s| s.value),
        Some(true)
    );
    let c = expect(
        "{\"copy_parent_database_urls\": \"false\"}",
        &[("SM0107", N, "/copy_parent_database_urls", 1, 31)],
    );
    assert_eq!(
        manifest(&c)
            .copy_parent_database_urls
            .as_ref()
            .map(|s| s.value),
        Some(false)
    );
    for bad in ["\"yes\"", "\"True\"", "1", "null", "[]"] {
        let c = expect(
            &format!("{{\"copy_parent_database_urls\": {bad}}}"),
            &[("SM0106", E, "/copy_parent_database_urls", 1, 31)],
        );
        assert!(manifest(&c).copy_parent_database_urls.is_none());
    }
}

#[test]
fn man_7_unknown_keys_with_did_you_mean() {
    let d = only("{\"nmae\": \"x\"}", ("SM0108", W, "/nmae", 1, 2));
    assert_eq!(d.hint.as_deref(), Some("did you mean `name`?"));
    let d = only(
        "{\"homepage\": \"https://x.org\"}",
        ("SM0108", W, "/homepage", 1, 2),
    );
    assert!(d.hint.unwrap().contains("`website`"));
    // Other platforms' names for Scalingo's keys are named as such.
    for (key, hint) in [
        (
            "url",
            "Scalingo's key for the project's web site is `website`",
        ),
        (
            "site",
            "Scalingo's key for the project's web site is `website`",
        ),
        (
            "repo",
            "Scalingo's key for the Git repository is `repository`",
        ),
        (
            "source",
            "Scalingo's key for the Git repository is `repository`",
        ),
        ("branch", "Scalingo's key for the branch or commit is `ref`"),
    ] {
        let d = only(
            &format!("{{\"{key}\": \"x\"}}"),
            ("SM0108", W, "", 1, 2).with_ptr(key),
        );
        assert_eq!(d.hint.as_deref(), Some(hint), "{key}");
    }
    let d = only("{\"Formation\": {}}", ("SM0108", W, "/Formation", 1, 2));
    assert_eq!(d.hint.as_deref(), Some("did you mean `formation`?"));
    only("{\"a/b~\": 1}", ("SM0108", W, "/a~1b~0", 1, 2));
    for key in ["license", "mount_dir", "builds", "cron", "healthchecks"] {
        only(
            &format!("{{\"{key}\": 1}}"),
            ("SM0108", W, "", 1, 2).with_ptr(key),
        );
    }
}

trait WithPtr {
    fn with_ptr(self, key: &str) -> Row;
}
impl WithPtr for Row {
    fn with_ptr(self, key: &str) -> Row {
        (
            self.0,
            self.1,
            Box::leak(format!("/{key}").into_boxed_str()),
            self.3,
            self.4,
        )
    }
}

#[test]
fn man_8_heroku_and_dokku_keys() {
    let d = only("{\"buildpacks\": []}", ("SM0109", W, "/buildpacks", 1, 2));
    assert!(d.hint.unwrap().contains("BUILDPACK_URL"));
    let d = only(
        "{\"environments\": {\"review\": {}}}",
        ("SM0109", W, "/environments", 1, 2),
    );
    assert!(d
        .hint
        .unwrap()
        .contains("move what `environments.review` sets to the top level"));
    for key in ["image", "keywords", "success_url"] {
        only(
            &format!("{{\"{key}\": \"x\"}}"),
            ("SM0109", W, "", 1, 2).with_ptr(key),
        );
    }
}

#[test]
fn man_9_model_keeps_the_valid_parts() {
    let c = run(
        r#"{"name": 5, "env": {"A": {"value": "a"}, "B": {"value": []}},
"addons": ["redis", 5], "formation": {"web": {"amount": 1.5, "size": "L"}, "my-worker": {}}}"#,
    );
    assert!(!c.is_valid());
    let m = manifest(&c);
    assert!(m.name.is_none());
    assert_eq!(m.env.as_ref().unwrap().len(), 1);
    assert_eq!(addons(&c), [addon("redis", None, None, AddonShape::Name)]);
    assert_eq!(
        formation(&c),
        [("web".to_string(), None, Some(ContainerSize::L))]
    );
}

// ------------------------------------------------------------------ MAN-ENV-*

#[test]
fn man_env_1_env_must_be_an_object() {
    let c = expect("{\"env\": []}", &[("SM0200", E, "/env", 1, 9)]);
    assert!(manifest(&c).env.is_none());
    only("{\"env\": null}", ("SM0200", E, "/env", 1, 9));
    let c = expect("{\"env\": {}}", &[]);
    assert_eq!(manifest(&c).env, Some(vec![]));
    for (env, hint) in [
        (
            "[]",
            "write an object keyed by variable name: `{\"NAME\": {\"value\": \"...\"}}`",
        ),
        ("null", "write `{}` or remove the key"),
        ("\"A=1\"", "write `{\"NAME\": {\"value\": \"...\"}}`"),
    ] {
        let d = only(&format!("{{\"env\": {env}}}"), ("SM0200", E, "/env", 1, 9));
        assert_eq!(d.hint.as_deref(), Some(hint), "{env}");
        let found = match env {
            "[]" => "an array",
            "null" => "`null`",
            _ => "a string",
        };
        assert!(
            d.message.ends_with(&format!("found {found}")),
            "{}",
            d.message
        );
    }
}

#[test]
fn man_env_2_variable_names() {
    let d = only(
        "{\"env\": {\"A B\": {\"value\": \"x\"}}}",
        ("SM0201", E, "/env/A B", 1, 10),
    );
    assert_eq!(
        d.message,
        "invalid variable name `A B`: it contains a space"
    );
    assert!(d.hint.unwrap().ends_with("did you mean `A_B`?"));
    for name in ["_A", "1A", "A-B", "", "É", "A.B"] {
        let c = expect(
            &format!("{{\"env\": {{\"{name}\": {{\"value\": \"x\"}}}}}}"),
            &[("SM0201", E, "", 1, 10).with_ptr(&format!("env/{name}"))],
        );
        assert_eq!(manifest(&c).env, Some(vec![]), "invalid names are left out");
    }
    let ok = "A".repeat(64);
    let c = expect(
        &format!("{{\"env\": {{\"{ok}\": {{\"value\": \"x\"}}}}}}"),
        &[],
    );
    assert_eq!(manifest(&c).env.as_ref().unwrap().len(), 1);
    let long = "A".repeat(65);
    expect(
        &format!("{{\"env\": {{\"{long}\": {{\"value\": \"x\"}}}}}}"),
        &[("SM0202", E, "", 1, 10).with_ptr(&format!("env/{long}"))],
    );
    expect("{\"env\": {\"lower_case9\": {\"value\": \"x\"}}}", &[]);
}

/// MAN-ENV-2's message names the offending character, and the hint offers the name with
/// every other character made `_` only when that is itself a valid name.
#[test]
fn man_env_2_messages_and_suggested_names() {
    const GENERAL: &str = "variable names use letters, digits and `_`, and start with a letter";
    let finding = |name_json: &str| {
        let c = run(&format!(
            "{{\"env\": {{\"{name_json}\": {{\"value\": \"x\"}}}}}}"
        ));
        let mut invalid = c.diagnostics.iter().filter(|d| d.code == "SM0201");
        let d = invalid.next().expect("SM0201").clone();
        assert!(invalid.next().is_none(), "{name_json}: {:?}", c.diagnostics);
        (d.message, d.hint.unwrap_or_default())
    };
    let (message, hint) = finding("A-B");
    assert!(message.ends_with("it contains `-`"), "{message}");
    assert_eq!(hint, format!("{GENERAL}; did you mean `A_B`?"));
    let (message, _) = finding("A\\u0001B");
    assert!(
        message.ends_with("it contains the control character U+0001"),
        "{message}"
    );
    // No suggestion when the rewritten name is empty, starts with a digit or is too long.
    for name in ["-", "1-A", &format!("{}-", "A".repeat(64))] {
        assert_eq!(finding(name).1, GENERAL, "{name}");
    }
    // The longest name that can be offered (64 characters; shown cut at 60).
    let longest = format!("{}-", "A".repeat(63));
    assert_eq!(
        finding(&longest).1,
        format!("{GENERAL}; did you mean `{}…`?", "A".repeat(60))
    );
}

#[test]
fn man_env_3_entry_forms() {
    let c = expect(
        "{\"env\": {\"A\": \"x\"}}",
        &[("SM0203", W, "/env/A", 1, 15)],
    );
    assert_eq!(env_value(&c, "A"), value("x"));
    // The hint shows the object form, with the value escaped as JSON.
    let d = only(
        r#"{"env": {"A": "say \"hi\"\\\t\u0001"}}"#,
        ("SM0203", W, "/env/A", 1, 15),
    );
    assert_eq!(
        d.hint.as_deref(),
        Some(
            r#"write `{"value": "say \"hi\"\\\u0009\u0001"}`: Scalingo documents env entries as objects"#
        )
    );
    let d = only(
        "{\"env\": {\"A\": \"secret\"}}",
        ("SM0203", W, "/env/A", 1, 15),
    );
    assert!(d.hint.unwrap().starts_with("to generate a secret"));
    let c = expect(
        "{\"env\": {\"A\": \"\"}}",
        &[("SM0203", W, "/env/A", 1, 15)],
    );
    assert_eq!(env_value(&c, "A"), Some(EnvValue::Delete));
    let c = expect("{\"env\": {\"A\": 5}}", &[("SM0204", W, "/env/A", 1, 15)]);
    assert_eq!(env_value(&c, "A"), value("5"));
    let c = expect(
        "{\"env\": {\"A\": true}}",
        &[("SM0204", W, "/env/A", 1, 15)],
    );
    assert_eq!(env_value(&c, "A"), value("true"));
    let c = expect(
        "{\"env\": {\"A\": 1.50}}",
        &[("SM0204", W, "/env/A", 1, 15)],
    );
    assert_eq!(
        env_value(&c, "A"),
        value("1.50"),
        "the JSON text as written"
    );
    let c = expect(
        "{\"env\": {\"A\": null}}",
        &[("SM0205", W, "/env/A", 1, 15)],
    );
    assert_eq!(env_value(&c, "A"), Some(EnvValue::Delete));
    let c = expect(
        "{\"env\": {\"A\": [\"x\"]}}",
        &[("SM0206", E, "/env/A", 1, 15)],
    );
    assert_eq!(env_value(&c, "A"), None);
}

/// MAN-ENV-14 (decision D-24): a variable the platform sets itself is a warning naming
/// where the platform sets it, with the source; the entry is kept.
#[test]
fn man_env_14_variables_the_platform_sets() {
    let c = expect(
        "{\"env\": {\"PORT\": {\"value\": \"3000\"}}}",
        &[("SM0225", W, "/env/PORT", 1, 10)],
    );
    assert_eq!(env_value(&c, "PORT"), value("3000"));
    let d = &c.diagnostics[0];
    assert!(
        d.message
            .starts_with("`PORT` is set by the platform itself in `web` containers"),
        "{}",
        d.message
    );
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .contains("bind the server to `$PORT`"));
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .contains("src/_posts/platform/app/2000-01-01-environment.md (modified 2026-01-02)"));
    let d = only(
        "{\"env\": {\"SOURCE_VERSION\": {\"value\": \"x\"}}}",
        ("SM0225", W, "/env/SOURCE_VERSION", 1, 10),
    );
    assert!(d.message.contains("during the build"), "{}", d.message);
    // Any other name, `PORTS` included, is an ordinary variable.
    expect("{\"env\": {\"PORTS\": {\"value\": \"1\"}}}", &[]);
}

#[test]
fn man_env_4_value_types() {
    let c = expect(
        "{\"env\": {\"A\": {\"value\": 3600}}}",
        &[("SM0207", W, "/env/A/value", 1, 25)],
    );
    assert_eq!(env_value(&c, "A"), value("3600"));
    // D-8 (revised): Scalingo's review apps page writes `"value": true`; a note.
    let c = expect(
        "{\"env\": {\"A\": {\"value\": false}}}",
        &[("SM0224", N, "/env/A/value", 1, 25)],
    );
    assert_eq!(env_value(&c, "A"), value("false"));
    assert_eq!(
        c.diagnostics[0].message,
        "`value` is the boolean `false`: the variable is set to the text \"false\""
    );
    for bad in ["{}", "[1]"] {
        let c = expect(
            &format!("{{\"env\": {{\"A\": {{\"value\": {bad}}}}}}}"),
            &[("SM0208", E, "/env/A/value", 1, 25)],
        );
        assert_eq!(env_value(&c, "A"), None);
    }
    let c = expect(
        "{\"env\": {\"A\": {\"value\": null}, \"B\": {\"value\": \"\"}}}",
        &[],
    );
    assert_eq!(env_value(&c, "A"), Some(EnvValue::Delete));
    assert_eq!(env_value(&c, "B"), Some(EnvValue::Delete));
}

#[test]
fn man_env_5_value_length() {
    let ok = "é".repeat(32768);
    let c = expect(
        &format!("{{\"env\": {{\"A\": {{\"value\": \"{ok}\"}}}}}}"),
        &[],
    );
    assert!(env_value(&c, "A").is_some(), "characters, not bytes");
    let long = "x".repeat(32769);
    let c = expect(
        &format!("{{\"env\": {{\"A\": {{\"value\": \"{long}\"}}}}}}"),
        &[("SM0209", E, "/env/A/value", 1, 25)],
    );
    assert_eq!(env_value(&c, "A"), None);
    expect(
        &format!("{{\"env\": {{\"A\": \"{long}\"}}}}"),
        &[
            ("SM0203", W, "/env/A", 1, 15),
            ("SM0209", E, "/env/A", 1, 15),
        ],
    );
    let c = expect(
        &format!(
            "{{\"env\": {{\"A\": {{\"generator\": \"template\", \"template\": \"{long}\"}}}}}}"
        ),
        &[("SM0209", E, "/env/A/template", 1, 53)],
    );
    assert_eq!(
        manifest(&c).env,
        Some(vec![]),
        "an over-long template is left out"
    );
    // a number written as `value` counts its characters too
    let digits = format!("0.{}1", "0".repeat(32767));
    let c = run(&format!("{{\"env\": {{\"A\": {{\"value\": {digits}}}}}}}"));
    let codes: Vec<_> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"SM0209"), "{codes:?}");
    assert!(!c.is_valid());
    assert_eq!(env_value(&c, "A"), None, "an over-long number is left out");
}

#[test]
fn man_env_6_generators() {
    let c = expect(
        "{\"env\": {\"A\": {\"value\": \"x\", \"generator\": \"secret\"}}}",
        &[("SM0210", E, "/env/A/generator", 1, 30)],
    );
    assert_eq!(env_value(&c, "A"), None);
    let d = only(
        "{\"env\": {\"A\": {\"value\": null, \"generator\": \"secret\"}}}",
        ("SM0210", E, "/env/A/generator", 1, 31),
    );
    assert!(d
        .hint
        .unwrap()
        .contains("`\"value\": null` counts as a value"));
    let d = only(
        "{\"env\": {\"A\": {\"generator\": \"Secret\"}}}",
        ("SM0211", E, "/env/A/generator", 1, 29),
    );
    assert!(d.hint.unwrap().starts_with("did you mean `secret`?"));
    let d = only(
        "{\"env\": {\"A\": {\"generator\": \"echo 5\"}}}",
        ("SM0211", E, "/env/A/generator", 1, 29),
    );
    assert!(d.hint.unwrap().starts_with("dokku runs shell commands"));
    // A space, a `$` or a `|` each mark a shell command.
    for command in ["$RANDOM", "a|b"] {
        let d = only(
            &format!("{{\"env\": {{\"A\": {{\"generator\": \"{command}\"}}}}}}"),
            ("SM0211", E, "/env/A/generator", 1, 29),
        );
        assert!(
            d.hint.unwrap().starts_with("dokku runs shell commands"),
            "{command}"
        );
    }
    only(
        "{\"env\": {\"A\": {\"generator\": null}}}",
        ("SM0212", E, "/env/A/generator", 1, 29),
    );
    let c = expect(
        "{\"env\": {\"A\": {\"generator\": \"secret\", \"required\": true}}}",
        &[],
    );
    assert_eq!(
        env_value(&c, "A"),
        Some(EnvValue::Generator {
            generator: Generator::Secret
        })
    );
    assert!(manifest(&c).env.as_ref().unwrap()[0].required);
}

#[test]
fn man_env_7_templates() {
    only(
        "{\"env\": {\"A\": {\"value\": \"x\", \"template\": \"%APP%\"}}}",
        ("SM0213", E, "/env/A/template", 1, 30),
    );
    only(
        "{\"env\": {\"A\": {\"generator\": \"secret\", \"template\": \"%APP%\"}}}",
        ("SM0214", E, "/env/A/template", 1, 39),
    );
    only(
        "{\"env\": {\"A\": {\"generator\": \"template\"}}}",
        ("SM0215", E, "/env/A/generator", 1, 29),
    );
    only(
        "{\"env\": {\"A\": {\"generator\": \"url\", \"template\": 5}}}",
        ("SM0216", E, "/env/A/template", 1, 48),
    );
    let c = expect(
        r#"{"env": {"U": {"generator": "url"}, "V": {"generator": "url", "template": "%URL%/admin"},
"T": {"generator": "template", "template": "pr-%PR_NUMBER% of %PARENT_APP% (%APP%)"}}}"#,
        &[],
    );
    assert_eq!(
        env_value(&c, "U"),
        Some(EnvValue::Generator {
            generator: Generator::Url { template: None }
        })
    );
    assert_eq!(
        env_value(&c, "V"),
        Some(EnvValue::Generator {
            generator: Generator::Url {
                template: Some("%URL%/admin".into())
            }
        })
    );
    assert_eq!(
        env_value(&c, "T"),
        Some(EnvValue::Generator {
            generator: Generator::Template {
                template: "pr-%PR_NUMBER% of %PARENT_APP% (%APP%)".into()
            }
        })
    );
}

#[test]
fn man_env_8_unknown_template_tokens() {
    let c =
        run("{\"env\": {\"A\": {\"generator\": \"url\", \"template\": \"%URL%/x?%url%&100%\"}}}");
    assert_eq!(
        rows(&c),
        [("SM0217".into(), W, "/env/A/template".into(), 1, 57)]
    );
    assert!(c.diagnostics[0]
        .hint
        .as_ref()
        .unwrap()
        .starts_with("did you mean `%URL%`?"));
    assert_eq!(c.diagnostics[0].span.unwrap().len(), 5);
    // with an escape in the string, the whole string is the span
    only(
        "{\"env\": {\"A\": {\"generator\": \"template\", \"template\": \"\\t%FOO%\"}}}",
        ("SM0217", W, "/env/A/template", 1, 53),
    );
    assert!(matches!(
        env_value(
            &run("{\"env\": {\"A\": {\"generator\": \"template\", \"template\": \"%FOO%\"}}}"),
            "A"
        ),
        Some(EnvValue::Generator { .. })
    ));
}

#[test]
fn man_env_9_required() {
    let c = expect(
        "{\"env\": {\"A\": {\"required\": \"true\"}}}",
        &[("SM0218", N, "/env/A/required", 1, 28)],
    );
    assert!(manifest(&c).env.as_ref().unwrap()[0].required);
    for bad in ["\"yes\"", "1", "null"] {
        let c = expect(
            &format!("{{\"env\": {{\"A\": {{\"required\": {bad}}}}}}}"),
            &[("SM0219", E, "/env/A/required", 1, 28)],
        );
        assert!(!manifest(&c).env.as_ref().unwrap()[0].required);
    }
}

#[test]
fn man_env_10_description() {
    let c = expect(
        "{\"env\": {\"A\": {\"description\": 5, \"value\": \"x\"}}}",
        &[("SM0220", E, "/env/A/description", 1, 31)],
    );
    let v = &manifest(&c).env.as_ref().unwrap()[0];
    assert_eq!(v.description, None);
    assert_eq!(v.value, EnvValue::Value { value: "x".into() });
}

#[test]
fn man_env_11_unknown_entry_keys() {
    let d = only(
        "{\"env\": {\"A\": {\"default\": \"x\"}}}",
        ("SM0221", W, "/env/A/default", 1, 16),
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("the default value of a variable is written `value`")
    );
    // Keys of other platforms' manifests get a hint of their own.
    for (key, hint) in [
        ("sync", "dokku's `sync`: Scalingo applies manifest env when the app is created; the key is ignored"),
        ("secret", "to generate a secret, write `\"generator\": \"secret\"`"),
        ("colour", "an env entry reads only `description`, `value`, `generator`, `template` and `required`"),
    ] {
        let d = only(
            &format!("{{\"env\": {{\"A\": {{\"{key}\": true, \"value\": \"x\"}}}}}}"),
            ("SM0221", W, "", 1, 16).with_ptr(&format!("env/A/{key}")),
        );
        assert_eq!(d.hint.as_deref(), Some(hint), "{key}");
    }
    let d = only(
        "{\"env\": {\"A\": {\"vaule\": \"x\", \"description\": \"d\"}}}",
        ("SM0221", W, "/env/A/vaule", 1, 16),
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `value`?"));
}

#[test]
fn man_env_12_project_dir() {
    let c = expect(
        "{\"env\": {\"PROJECT_DIR\": {\"value\": \"api\"}}}",
        &[("SM0222", W, "/env/PROJECT_DIR", 1, 10)],
    );
    assert_eq!(
        env_value(&c, "PROJECT_DIR"),
        value("api"),
        "still an env entry"
    );
}

#[test]
fn man_env_13_empty_entry() {
    let c = expect("{\"env\": {\"A\": {}}}", &[("SM0223", N, "/env/A", 1, 15)]);
    assert_eq!(env_value(&c, "A"), Some(EnvValue::Unset));
    let c = expect(
        "{\"env\": {\"A\": {\"description\": \"set me\"}, \"B\": {\"required\": true}}}",
        &[],
    );
    assert_eq!(env_value(&c, "A"), Some(EnvValue::Unset));
    assert_eq!(env_value(&c, "B"), Some(EnvValue::Unset));
}

#[test]
fn lim_3_env_entries() {
    let entries: Vec<String> = (0..1001)
        .map(|i| format!("\"V{i}\": {{\"value\": \"x\"}}"))
        .collect();
    let src = format!("{{\"env\": {{\n{}}}}}", entries.join(",\n"));
    let c = run(&src);
    let lim: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "SM0018")
        .collect();
    assert_eq!(lim.len(), 1);
    assert_eq!(
        (lim[0].pointer.as_str(), lim[0].line),
        ("/env/V1000", Some(1002))
    );
    assert_eq!(lim[0].severity, E);
    assert_eq!(manifest(&c).env.as_ref().unwrap().len(), 1000);
}

// ------------------------------------------------------------------ MAN-ADD-*

#[test]
fn man_add_1_addons_must_be_an_array() {
    for (bad, hint) in [
        ("{}", "write a list: `[\"redis\", {\"plan\": \"postgresql:postgresql-starter-512\"}]`"),
        ("null", "write `[]` for no addons, or remove the key to copy the parent app's addons (review apps)"),
        ("\"redis\"", "write a list such as `[\"redis:redis-starter-128\"]`"),
    ] {
        let c = expect(
            &format!("{{\"addons\": {bad}}}"),
            &[("SM0300", E, "/addons", 1, 12)],
        );
        assert!(manifest(&c).addons.is_none());
        assert_eq!(c.diagnostics[0].hint.as_deref(), Some(hint), "{bad}");
    }
    let c = expect("{\"addons\": []}", &[]);
    assert_eq!(manifest(&c).addons, Some(vec![]), "D-7: present and empty");
}

#[test]
fn man_add_2_string_references() {
    let c = expect(
        "{\"addons\": [\"redis\", \"postgresql:postgresql-starter-512\", \"a.b_c:x-1\"]}",
        &[],
    );
    assert_eq!(
        addons(&c),
        [
            addon("redis", None, None, AddonShape::Name),
            addon(
                "postgresql",
                Some("postgresql-starter-512"),
                None,
                AddonShape::NamePlan
            ),
            addon("a.b_c", Some("x-1"), None, AddonShape::NamePlan),
        ]
    );
    for bad in [
        "",
        "redis:",
        ":plan",
        "a:b:c",
        "red is",
        "-redis",
        "redis:plan!",
    ] {
        let c = expect(
            &format!("{{\"addons\": [\"{bad}\"]}}"),
            &[("SM0301", E, "/addons/0", 1, 13)],
        );
        assert_eq!(addons(&c), [], "{bad} is not provisioned");
    }
    let d = only(
        "{\"addons\": [\"Redis:Free\"]}",
        ("SM0301", E, "/addons/0", 1, 13),
    );
    assert!(d.hint.unwrap().starts_with("did you mean `redis:free`?"));
    // No "did you mean" when lowercasing does not give a valid reference (three parts).
    for bad in ["Redis:Plan:X", "redis:plan:x"] {
        let d = only(
            &format!("{{\"addons\": [\"{bad}\"]}}"),
            ("SM0301", E, "/addons/0", 1, 13),
        );
        assert!(
            d.hint
                .unwrap()
                .starts_with("write `provider` or `provider:plan`"),
            "{bad}"
        );
    }
    // The message says what is wrong with the ID.
    for (bad, problem) in [
        ("Redis", "`Redis` has an uppercase letter"),
        ("red is", "`red is` contains a space"),
        (
            "red\\u0001is",
            "`red\u{1}is` contains the control character U+0001",
        ),
        ("redis!", "`redis!` contains `!`"),
        ("-redis", "`-redis` must start with a letter or a digit"),
        ("redis:Plan", "`Plan` has an uppercase letter"),
    ] {
        let d = only(
            &format!("{{\"addons\": [\"{bad}\"]}}"),
            ("SM0301", E, "/addons/0", 1, 13),
        );
        assert!(
            d.message.ends_with(&format!(": {problem}")),
            "{bad}: {}",
            d.message
        );
    }
}

#[test]
fn man_add_3_legacy_scalingo_names() {
    let c = expect(
        "{\"addons\": [\"scalingo-redis\", {\"plan\": \"scalingo-postgresql:postgresql-sandbox\"}]}",
        &[
            ("SM0302", W, "/addons/0", 1, 13),
            ("SM0302", W, "/addons/1/plan", 1, 40),
            // D-22: the sandbox plan is retired on the tests' day.
            ("SM0314", W, "/addons/1/plan", 1, 40),
        ],
    );
    assert_eq!(
        addons(&c),
        [
            addon("redis", None, None, AddonShape::Name),
            addon(
                "postgresql",
                Some("postgresql-sandbox"),
                None,
                AddonShape::Object
            ),
        ]
    );
}

#[test]
fn man_add_4_objects() {
    let c = expect(
        "{\"addons\": [{\"plan\": \"redis:redis-starter-128\"}, {\"plan\": \"mongodb\"}]}",
        &[],
    );
    assert_eq!(
        addons(&c),
        [
            addon("redis", Some("redis-starter-128"), None, AddonShape::Object),
            addon("mongodb", None, None, AddonShape::Object),
        ]
    );
    let c = expect(
        "{\"addons\": [{\"options\": {\"version\": \"7\"}}]}",
        &[("SM0303", E, "/addons/0", 1, 13)],
    );
    assert_eq!(addons(&c), []);
    only(
        "{\"addons\": [{\"plan\": 5}]}",
        ("SM0304", E, "/addons/0/plan", 1, 22),
    );
    only(
        "{\"addons\": [{\"plan\": \"redis:\"}]}",
        ("SM0301", E, "/addons/0/plan", 1, 22),
    );
    let c = expect(
        "{\"addons\": [{\"as\": \"DATABASE\", \"plan\": \"postgresql\"}]}",
        &[("SM0305", W, "/addons/0/as", 1, 14)],
    );
    assert_eq!(
        addons(&c),
        [addon("postgresql", None, None, AddonShape::Object)]
    );
}

#[test]
fn man_add_5_options() {
    let c = expect(
        "{\"addons\": [{\"plan\": \"postgresql:postgresql-starter-512\", \"options\": {\"version\": \"11\"}}]}",
        &[],
    );
    assert_eq!(
        addons(&c),
        [addon(
            "postgresql",
            Some("postgresql-starter-512"),
            Some("11"),
            AddonShape::Object
        )]
    );
    let c = expect(
        "{\"addons\": [{\"plan\": \"pg\", \"options\": {\"version\": 9.5}}]}",
        &[("SM0307", W, "/addons/0/options/version", 1, 51)],
    );
    assert_eq!(
        addons(&c),
        [addon("pg", None, Some("9.5"), AddonShape::Object)]
    );
    let c = expect(
        "{\"addons\": [{\"plan\": \"pg\", \"options\": {\"version\": \"\"}}]}",
        &[("SM0313", W, "/addons/0/options/version", 1, 51)],
    );
    assert_eq!(addons(&c), [addon("pg", None, None, AddonShape::Object)]);
    let c = expect(
        "{\"addons\": [{\"plan\": \"redis\", \"options\": {\"maxmemory_policy\": \"x\"}}]}",
        &[("SM0306", W, "/addons/0/options/maxmemory_policy", 1, 43)],
    );
    assert_eq!(addons(&c), [addon("redis", None, None, AddonShape::Object)]);
    for (bad, ptr, col) in [
        ("\"options\": []", "/addons/0/options", 39),
        (
            "\"options\": {\"version\": true}",
            "/addons/0/options/version",
            51,
        ),
        (
            "\"options\": {\"version\": null}",
            "/addons/0/options/version",
            51,
        ),
    ] {
        let c = run(&format!("{{\"addons\": [{{\"plan\": \"pg\", {bad}}}]}}"));
        assert_eq!(
            rows(&c),
            [("SM0304".into(), E, ptr.into(), 1, col)],
            "{bad}"
        );
        assert_eq!(addons(&c), []);
    }
}

#[test]
fn man_add_6_legacy_objects() {
    let c = expect(
        "{\"addons\": [{\"addon_provider_id\": \"redis\", \"plan_id\": \"redis-sandbox\", \"options\": {\"version\": \"6\"}}]}",
        &[("SM0308", W, "/addons/0", 1, 13)],
    );
    // D-6 (revised): the platform ignores the shape, so the addon is left out and the
    // `addons` key stays present (nothing is provisioned from it).
    assert_eq!(addons(&c), []);
    assert!(c.manifest.as_ref().is_some_and(|m| m.addons.is_some()));
    let d = &c.diagnostics[0];
    assert!(
        d.message
            .ends_with("the platform ignores it, so this addon is not provisioned"),
        "{}",
        d.message
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write `{\"plan\": \"redis:redis-sandbox\"}` to provision it (the current shape since April 2021)")
    );
    let c = expect(
        "{\"addons\": [{\"addon_provider_id\": \"scalingo-redis\"}]}",
        &[
            ("SM0308", W, "/addons/0", 1, 13),
            ("SM0302", W, "/addons/0/addon_provider_id", 1, 35),
        ],
    );
    assert_eq!(addons(&c), []);
    assert_eq!(
        c.diagnostics[0].hint.as_deref(),
        Some("write `{\"plan\": \"redis\"}` to provision it (the current shape since April 2021)")
    );
    let c = expect(
        "{\"addons\": [{\"plan\": \"redis\", \"addon_provider_id\": \"redis\"}]}",
        &[("SM0309", E, "/addons/0/addon_provider_id", 1, 31)],
    );
    assert_eq!(addons(&c), []);
    let c = expect(
        "{\"addons\": [{\"addon_provider_id\": \"redis\", \"plan_id\": 5}]}",
        &[
            ("SM0308", W, "/addons/0", 1, 13),
            ("SM0304", E, "/addons/0/plan_id", 1, 55),
        ],
    );
    assert_eq!(addons(&c), []);
    expect(
        "{\"addons\": [{\"addon_provider_id\": \"redis:free\"}]}",
        &[
            ("SM0308", W, "/addons/0", 1, 13),
            ("SM0301", E, "/addons/0/addon_provider_id", 1, 35),
        ],
    );
    // A `plan_id` must be a non-empty plan ID; the addon is then not provisioned.
    for (plan_id, problem) in [("", "it is empty"), ("Bad Plan", "")] {
        let c = expect(
            &format!("{{\"addons\": [{{\"addon_provider_id\": \"redis\", \"plan_id\": \"{plan_id}\"}}]}}"),
            &[
                ("SM0308", W, "/addons/0", 1, 13),
                ("SM0301", E, "/addons/0/plan_id", 1, 55),
            ],
        );
        assert_eq!(addons(&c), [], "{plan_id:?}");
        let message = &c.diagnostics[1].message;
        assert!(
            message.starts_with(&format!("invalid plan_id `{plan_id}`: {problem}")),
            "{message}"
        );
    }
}

/// SM0304 names the field, the type it must have, and how to write it.
#[test]
fn man_add_4_5_field_types() {
    for (addon, field, expected, hint) in [
        (
            "{\"plan\": 1}",
            "plan",
            "a string",
            "write `\"plan\": \"provider:plan\"`, for example `\"redis:redis-starter-128\"`",
        ),
        (
            "{\"plan\": \"redis\", \"options\": \"x\"}",
            "options",
            "an object",
            "write `\"options\": {\"version\": \"...\"}`, or remove `options`",
        ),
        (
            "{\"plan\": \"redis\", \"options\": {\"version\": true}}",
            "version",
            "a string",
            "write the version as a string, such as `\"15\"`, or remove it for the default version",
        ),
    ] {
        let c = run(&format!("{{\"addons\": [{addon}]}}"));
        let d = c
            .diagnostics
            .iter()
            .find(|d| d.code == "SM0304")
            .unwrap_or_else(|| panic!("{addon}: {:?}", c.diagnostics));
        assert!(
            d.message
                .starts_with(&format!("`{field}` must be {expected}, found ")),
            "{addon}: {}",
            d.message
        );
        assert_eq!(d.hint.as_deref(), Some(hint), "{addon}");
        assert_eq!(addons(&c), [], "{addon}: not provisioned");
    }
}

#[test]
fn man_add_7_unknown_keys() {
    let d = only(
        "{\"addons\": [{\"plna\": \"x\", \"plan\": \"redis\"}]}",
        ("SM0310", W, "/addons/0/plna", 1, 14),
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `plan`?"));
}

#[test]
fn man_add_8_other_shapes_are_errors() {
    let c = expect(
        "{\"addons\": [5, null, [\"redis\"], true, \"redis\"]}",
        &[
            ("SM0311", E, "/addons/0", 1, 13),
            ("SM0311", E, "/addons/1", 1, 16),
            ("SM0311", E, "/addons/2", 1, 22),
            ("SM0311", E, "/addons/3", 1, 33),
        ],
    );
    assert_eq!(addons(&c), [addon("redis", None, None, AddonShape::Name)]);
}

/// MAN-ADD-10 (decision D-22): a `*-sandbox` plan is a warning from its retirement day
/// (2026-03-02) that says what the platform provisions instead; nothing before.
#[test]
fn man_add_10_retired_sandbox_plans() {
    let d = only(
        "{\"addons\": [\"redis:redis-sandbox\"]}",
        ("SM0314", W, "/addons/0", 1, 13),
    );
    assert_eq!(
        d.message,
        "plan `redis-sandbox` is retired since 2026-03-02: the platform provisions the smallest Starter plan of redis instead"
    );
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .contains("2026-03-01-sandbox-deprecation.markdown (modified 2026-03-01)"));
    let text = "{\"addons\": [{\"plan\": \"postgresql:postgresql-sandbox\"}]}";
    let before = check(text.as_bytes(), "2026-03-01".parse().unwrap());
    assert!(before.diagnostics.is_empty(), "{:?}", before.diagnostics);
    let on = check(text.as_bytes(), "2026-03-02".parse().unwrap());
    assert_eq!(on.diagnostics.len(), 1);
    assert_eq!(on.diagnostics[0].code, "SM0314");
    assert!(on.is_valid());
    // A legacy object is not provisioned at all: no retirement warning for its plan_id.
    expect(
        "{\"addons\": [{\"addon_provider_id\": \"redis\", \"plan_id\": \"redis-sandbox\"}]}",
        &[("SM0308", W, "/addons/0", 1, 13)],
    );
}

#[test]
fn man_add_9_heroku_providers() {
    let c = expect(
        "{\"addons\": [\"heroku-postgresql:mini\", {\"plan\": \"heroku-kafka\"}]}",
        &[
            ("SM0312", W, "/addons/0", 1, 13),
            ("SM0312", W, "/addons/1/plan", 1, 48),
        ],
    );
    assert!(c.diagnostics[0]
        .hint
        .as_ref()
        .unwrap()
        .starts_with("Scalingo's provider is `postgresql`"));
    assert_eq!(
        c.diagnostics[1].hint.as_deref(),
        Some("use the Scalingo provider of the same service (`scalingo addons-list` lists them)")
    );
    // D-21: the message says what is known, and no more (a warning: nothing documents a
    // failure).
    assert_eq!(
        c.diagnostics[0].message,
        "`heroku-postgresql` is a Heroku add-on, not a Scalingo addon provider: no such addon can be provisioned, and whether the deployment then stops or goes on without it is not documented"
    );
    let d = only(
        "{\"addons\": [\"heroku-redis\"]}",
        ("SM0312", W, "/addons/0", 1, 13),
    );
    assert!(d
        .hint
        .unwrap()
        .starts_with("Scalingo's provider is `redis`: write `redis` or `redis:<plan>`"));
    assert_eq!(
        addons(&c),
        [
            addon(
                "heroku-postgresql",
                Some("mini"),
                None,
                AddonShape::NamePlan
            ),
            addon("heroku-kafka", None, None, AddonShape::Object),
        ]
    );
}

#[test]
fn lim_4_addons() {
    let items: Vec<String> = (0..101).map(|i| format!("\"a{i}\"")).collect();
    let src = format!("{{\"addons\": [\n{}]}}", items.join(",\n"));
    let c = expect(&src, &[("SM0019", E, "/addons/100", 102, 1)]);
    assert_eq!(manifest(&c).addons.as_ref().unwrap().len(), 100);
}

// ------------------------------------------------------------------ MAN-FRM-*

#[test]
fn man_frm_1_formation_shape() {
    let c = expect(
        "{\"formation\": [{\"process\": \"web\"}]}",
        &[("SM0400", E, "/formation", 1, 15)],
    );
    assert!(manifest(&c).formation.is_none());
    let c = expect(
        "{\"formation\": {\"web\": 1, \"worker\": {}}}",
        &[("SM0402", E, "/formation/web", 1, 23)],
    );
    assert_eq!(formation(&c), [("worker".to_string(), None, None)]);
    // The hints: Heroku's old list, any other type; a bare number is read as an amount.
    for (src, hint) in [
        ("{\"formation\": []}", "Scalingo's formation is an object keyed by process type: `{\"web\": {\"amount\": 1, \"size\": \"M\"}}` (not the old Heroku list of `{process, quantity}`)"),
        ("{\"formation\": 1}", "write `{\"web\": {\"amount\": 1, \"size\": \"M\"}}`"),
        ("{\"formation\": {\"web\": 2}}", "write `{\"amount\": 2}`"),
        ("{\"formation\": {\"web\": \"2\"}}", "write `{\"amount\": 1, \"size\": \"M\"}`"),
    ] {
        let c = run(src);
        assert_eq!(c.diagnostics.len(), 1, "{src}: {:?}", c.diagnostics);
        assert_eq!(c.diagnostics[0].hint.as_deref(), Some(hint), "{src}");
    }
}

#[test]
fn man_frm_2_process_type_names() {
    let d = only(
        "{\"formation\": {\"stream_consumer\": {}}}",
        ("SM0403", E, "/formation/stream_consumer", 1, 16),
    );
    assert!(d.hint.unwrap().ends_with("for example `streamConsumer`"));
    let long = "w".repeat(25);
    expect(
        &format!("{{\"formation\": {{\"{long}\": {{}}}}}}"),
        &[("SM0403", E, "", 1, 16).with_ptr(&format!("formation/{long}"))],
    );
    only(
        "{\"formation\": {\"\": {}}}",
        ("SM0403", E, "/formation/", 1, 16),
    );
    let c = expect(
        "{\"formation\": {\"postdeploy\": {\"amount\": 1}}}",
        &[("SM0404", W, "/formation/postdeploy", 1, 16)],
    );
    // D-15 (revised): the hook's name starts no container; the file is valid.
    assert_eq!(formation(&c), []);
    assert!(c.is_valid());
    assert!(c.diagnostics[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("`postdeploy:` line of the Procfile"));
    let ok = "w".repeat(24);
    let c = expect(
        &format!("{{\"formation\": {{\"{ok}\": {{}}, \"tcp\": {{}}, \"Web2\": {{}}}}}}"),
        &[],
    );
    assert_eq!(formation(&c).len(), 3);
    // The hint offers a camelCase name only when one can be made of letters and digits.
    for (name, example) in [
        ("web-worker", Some("webWorker")),
        ("_web__2", Some("web2")),
        ("web worker", None),
        ("web-worker 2", None),
        ("web.worker", None),
        ("-", None),
        // Not when it would be too long, or is the name itself.
        (&*format!("w-{}", "w".repeat(24)), None),
        (&*long, None),
    ] {
        let c = run(&format!("{{\"formation\": {{\"{name}\": {{}}}}}}"));
        let hint = c.diagnostics[0].hint.clone().unwrap_or_default();
        match example {
            Some(e) => assert!(
                hint.ends_with(&format!("; for example `{e}`")),
                "{name}: {hint}"
            ),
            None => assert!(!hint.contains("for example"), "{name}: {hint}"),
        }
    }
    // The message says what is wrong with the name.
    for (name, problem) in [
        ("web worker", "it contains a space"),
        ("web-2", "it contains `-`"),
        ("web\\u0001", "it contains the control character U+0001"),
        ("", "it is empty"),
        (&*long, "it has 25 characters"),
    ] {
        let c = run(&format!("{{\"formation\": {{\"{name}\": {{}}}}}}"));
        assert_eq!(c.diagnostics.len(), 1, "{name}: {:?}", c.diagnostics);
        let message = &c.diagnostics[0].message;
        assert!(
            message.ends_with(&format!(": {problem}")),
            "{name}: {message}"
        );
    }
}

/// MAN-FRM-3, fact A9: each container size's memory.
#[test]
fn man_frm_3_container_size_memory() {
    let memory: Vec<(&str, u32)> = ContainerSize::ALL
        .into_iter()
        .map(|c| (c.as_str(), c.memory_mb()))
        .collect();
    assert_eq!(
        memory,
        [
            ("S", 256),
            ("M", 512),
            ("L", 1024),
            ("XL", 2048),
            ("2XL", 4096),
            ("3XL", 8192)
        ]
    );
}

#[test]
fn man_frm_3_sizes() {
    let c = expect(
        "{\"formation\": {\"a\": {\"size\": \"S\"}, \"b\": {\"size\": \"2XL\"}, \"c\": {\"size\": \"3XL\"}}}",
        &[],
    );
    assert_eq!(
        formation(&c).iter().map(|f| f.2).collect::<Vec<_>>(),
        [
            Some(ContainerSize::S),
            Some(ContainerSize::XXL),
            Some(ContainerSize::XXXL)
        ]
    );
    let d = only(
        "{\"formation\": {\"web\": {\"amount\": 1, \"size\": \"m\"}}}",
        ("SM0401", E, "/formation/web/size", 1, 45),
    );
    assert_eq!(d.message, "unknown container size `m`");
    assert_eq!(
        d.hint.as_deref(),
        Some("sizes are S, M, L, XL, 2XL, 3XL; did you mean `M`?")
    );
    assert_eq!(d.rule(), "MAN-FRM-3");
    for heroku in [
        "free",
        "basic",
        "Hobby",
        "eco",
        "standard-2x",
        "performance-l",
    ] {
        let c = run(&format!(
            "{{\"formation\": {{\"web\": {{\"size\": \"{heroku}\"}}}}}}"
        ));
        assert_eq!(
            rows(&c),
            [("SM0401".into(), E, "/formation/web/size".into(), 1, 32)]
        );
        assert!(
            c.diagnostics[0].message.contains("Heroku dyno size"),
            "{heroku}"
        );
        assert_eq!(formation(&c), [("web".to_string(), None, None)]);
    }
    let d = only(
        "{\"formation\": {\"web\": {\"size\": \"xl\"}}}",
        ("SM0401", E, "/formation/web/size", 1, 32),
    );
    assert!(d.hint.unwrap().ends_with("did you mean `XL`?"));
    only(
        "{\"formation\": {\"web\": {\"size\": 2}}}",
        ("SM0405", E, "/formation/web/size", 1, 32),
    );
}

#[test]
fn man_frm_4_amount() {
    let c = expect(
        "{\"formation\": {\"web\": {\"amount\": 0}, \"w\": {\"amount\": 1000}}}",
        &[],
    );
    assert_eq!(formation(&c)[0].1, Some(0));
    assert_eq!(formation(&c)[1].1, Some(1000));
    // A quoted whole number is told to lose its quotes; another string is not.
    for (amount, hint) in [
        ("\"2\"", "write the number without quotes: `2`"),
        (
            "\"two\"",
            "write a whole number of containers such as `1`; `0` starts none",
        ),
        (
            "\"01\"",
            "write a whole number of containers such as `1`; `0` starts none",
        ),
        ("-0", "write `0`: `-0` is not an integer literal"),
        ("-0.0", "write `0`: `-0` is not an integer literal"),
        (
            "-1",
            "a number of containers cannot be negative; write `0` to start none",
        ),
    ] {
        let c = run(&format!(
            "{{\"formation\": {{\"web\": {{\"amount\": {amount}}}}}}}"
        ));
        assert_eq!(c.diagnostics.len(), 1, "{amount}: {:?}", c.diagnostics);
        let got = c.diagnostics[0].hint.clone().unwrap_or_default();
        assert!(got.starts_with(hint), "{amount}: {got}");
    }
    for (bad, hint) in [
        ("1.0", "write `1`"),
        ("1.5", "whole number"),
        ("-1", "cannot be negative"),
        ("-0", "write `0`"),
        ("1e2", "without an exponent"),
        ("\"1\"", "without quotes"),
        ("null", "whole number"),
        ("true", "whole number"),
    ] {
        let c = run(&format!(
            "{{\"formation\": {{\"web\": {{\"amount\": {bad}}}}}}}"
        ));
        assert_eq!(
            rows(&c),
            [("SM0406".into(), E, "/formation/web/amount".into(), 1, 34)],
            "{bad}"
        );
        assert!(
            c.diagnostics[0].hint.as_ref().unwrap().contains(hint),
            "{bad}"
        );
        assert_eq!(formation(&c)[0].1, None);
    }
}

#[test]
fn lim_6_amount_at_most_1000() {
    for big in ["1001", "99999999999999999999999999"] {
        let c = expect(
            &format!("{{\"formation\": {{\"web\": {{\"amount\": {big}}}}}}}"),
            &[("SM0021", E, "/formation/web/amount", 1, 34)],
        );
        assert_eq!(formation(&c)[0].1, None);
    }
}

#[test]
fn man_frm_5_quantity() {
    let c = expect(
        "{\"formation\": {\"web\": {\"quantity\": 2, \"size\": \"L\"}}}",
        &[("SM0407", W, "/formation/web/quantity", 1, 24)],
    );
    assert_eq!(
        formation(&c),
        [("web".to_string(), Some(2), Some(ContainerSize::L))]
    );
    expect(
        "{\"formation\": {\"web\": {\"quantity\": -2}}}",
        &[
            ("SM0407", W, "/formation/web/quantity", 1, 24),
            ("SM0406", E, "/formation/web/quantity", 1, 36),
        ],
    );
    let c = expect(
        "{\"formation\": {\"web\": {\"amount\": 1, \"quantity\": 2}}}",
        &[("SM0408", E, "/formation/web/quantity", 1, 37)],
    );
    assert_eq!(formation(&c)[0].1, None);
}

#[test]
fn man_frm_6_unknown_entry_keys() {
    let d = only(
        "{\"formation\": {\"web\": {\"ammount\": 1}}}",
        ("SM0409", W, "/formation/web/ammount", 1, 24),
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `amount`?"));
    for (key, hint) in [
        ("autoscaling", "Heroku/dokku autoscaling is not read from the manifest; on Scalingo, configure the autoscaler on the app"),
        ("max_parallel", "`max_parallel` is a dokku setting; Scalingo ignores it"),
        ("service", "`service` is a dokku setting; Scalingo ignores it"),
        ("colour", "a formation entry reads `amount` and `size`"),
    ] {
        let d = only(
            &format!("{{\"formation\": {{\"web\": {{\"{key}\": 1}}}}}}"),
            ("SM0409", W, "", 1, 24).with_ptr(&format!("formation/web/{key}")),
        );
        assert_eq!(d.hint.as_deref(), Some(hint), "{key}");
    }
}

#[test]
fn lim_5_formation_entries() {
    let items: Vec<String> = (0..101).map(|i| format!("\"p{i}\": {{}}")).collect();
    let src = format!("{{\"formation\": {{\n{}}}}}", items.join(",\n"));
    let c = expect(&src, &[("SM0020", E, "/formation/p100", 102, 1)]);
    assert_eq!(manifest(&c).formation.as_ref().unwrap().len(), 100);
}

// ------------------------------------------------------------------ MAN-SCR-*

#[test]
fn man_scr_1_scripts_must_be_an_object() {
    let c = expect("{\"scripts\": \"x\"}", &[("SM0500", E, "/scripts", 1, 13)]);
    assert_eq!(manifest(&c).scripts.first_deploy, None);
}

#[test]
fn man_scr_2_scripts_are_strings() {
    let c = expect("{\"scripts\": {\"first-deploy\": \"rake db:seed\"}}", &[]);
    assert_eq!(
        manifest(&c).scripts.first_deploy.as_ref().unwrap().value,
        "rake db:seed"
    );
    only(
        "{\"scripts\": {\"first-deploy\": [\"a\"]}}",
        ("SM0501", E, "/scripts/first-deploy", 1, 30),
    );
    only(
        "{\"scripts\": {\"postdeploy\": 1}}",
        ("SM0501", E, "/scripts/postdeploy", 1, 28),
    );
}

#[test]
fn man_scr_3_postdeploy_is_deprecated() {
    let c = expect(
        "{\"scripts\": {\"postdeploy\": \"rake db:migrate\"}}",
        &[("SM0502", W, "/scripts/postdeploy", 1, 14)],
    );
    assert_eq!(
        manifest(&c).scripts.postdeploy.as_ref().unwrap().value,
        "rake db:migrate"
    );
}

#[test]
fn man_scr_4_empty_scripts() {
    let c = expect(
        "{\"scripts\": {\"first-deploy\": \"\", \"postdeploy\": \" \"}}",
        &[
            ("SM0503", W, "/scripts/first-deploy", 1, 30),
            ("SM0503", W, "/scripts/postdeploy", 1, 48),
        ],
    );
    assert_eq!(manifest(&c).scripts, Default::default());
}

#[test]
fn man_scr_5_heroku_and_dokku_scripts() {
    let c = expect(
        "{\"scripts\": {\"pr-predestroy\": \"x\", \"dokku\": {\"predeploy\": \"y\"}, \"test-setup\": \"z\"}}",
        &[
            ("SM0504", W, "/scripts/pr-predestroy", 1, 14),
            ("SM0504", W, "/scripts/dokku", 1, 36),
            ("SM0504", W, "/scripts/test-setup", 1, 65),
        ],
    );
    let said: Vec<(String, String)> = c
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.message.to_string(),
                d.hint.as_deref().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            (
                "`scripts.pr-predestroy` is a recognised Heroku script, not used by Scalingo".to_string(),
                "Scalingo runs no script before deleting a review app".to_string()
            ),
            (
                "`scripts.dokku` is a recognised dokku script, not used by Scalingo".to_string(),
                "Scalingo runs `first-deploy` once and the Procfile's `postdeploy:` after each deployment".to_string()
            ),
            (
                "`scripts.test-setup` is a recognised Heroku CI script, not used by Scalingo".to_string(),
                "Scalingo does not run Heroku CI scripts".to_string()
            ),
        ]
    );
}

#[test]
fn man_scr_6_unknown_scripts() {
    let d = only(
        "{\"scripts\": {\"first_deploy\": \"x\"}}",
        ("SM0505", W, "/scripts/first_deploy", 1, 14),
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `first-deploy`?"));
    let d = only(
        "{\"scripts\": {\"predeploy\": \"x\"}}",
        ("SM0505", W, "/scripts/predeploy", 1, 14),
    );
    assert!(d
        .hint
        .unwrap()
        .starts_with("Scalingo runs no script before deploying"));
}

// ------------------------------------------------------------------ LIM-7

#[test]
fn lim_7_diagnostics_cap_keeps_the_verdict() {
    let keys: Vec<String> = (0..1500).map(|i| format!("\"k{i}\": 1")).collect();
    let src = format!("{{{}, \"name\": 5}}", keys.join(", "));
    let c = run(&src);
    assert_eq!(c.diagnostics.len(), 1001);
    assert_eq!((c.warnings, c.errors, c.dropped), (1500, 1, 501));
    let last = c.diagnostics.last().unwrap();
    // DIAG-12: the note is an error because an error was dropped.
    assert_eq!(
        (last.code.as_str(), last.severity, last.rule()),
        ("SM0022", E, "LIM-7")
    );
    assert_eq!(last.line, None);
    assert!(last
        .message
        .starts_with("501 more diagnostics were dropped (1 of them errors)"));
    assert!(!c.is_valid(), "the dropped error still counts");
    assert!(c.diagnostics[..1000].iter().all(|d| d.code == "SM0108"));
    // An error kept and an error dropped: the note counts only the dropped one.
    let c = run(&format!(
        "{{\"name\": 5, {}, \"website\": 5}}",
        keys.join(", ")
    ));
    assert_eq!((c.errors, c.dropped), (2, 502));
    let last = c.diagnostics.last().unwrap();
    assert!(
        last.message
            .starts_with("502 more diagnostics were dropped (1 of them errors)"),
        "{}",
        last.message
    );
    let c = run(&format!("{{{}}}", keys[..1000].join(", ")));
    assert_eq!((c.diagnostics.len(), c.dropped), (1000, 0));
    // Only warnings dropped: the note stays a note.
    let c = run(&format!("{{{}}}", keys.join(", ")));
    let last = c.diagnostics.last().unwrap();
    assert_eq!((last.code.as_str(), last.severity), ("SM0022", N));
    assert!(c.is_valid());
}

// ------------------------------------------------------------------ the documentation's examples

/// The JSON block of the one-click page (seeds/000): a comma is missing before `"addons"`.
const ONE_CLICK_EXAMPLE: &str = r#"{
  "name": "Sample Go Martini",
  "description": "Sample web application using the Go framework Martini",
  "logo": "https://scalingo.com/logo.svg",
  "repository": "https://github.com/Scalingo/sample-go-martini",
  "website": "https://scalingo.com",
  "env": {
    "VAR_TEST_1": {
      "description": "test variable number 1",
      "value": "1"
    },
    "VAR_SECRET_1": {
      "description": "generated variable 1",
      "generator": "secret"
    }
  },
  "formation": {
    "web": {
      "amount": 1,
      "size": "M"
    },
    "worker": {
      "amount": 1,
      "size": "M"
    }
  }
  "addons": ["scalingo-redis"]
}
"#;

#[test]
fn doc_one_click_example_misses_a_comma() {
    let c = expect(
        ONE_CLICK_EXAMPLE,
        &[("SM0009", E, "", 27, 3), ("SM0302", W, "/addons/0", 27, 14)],
    );
    let d = &c.diagnostics[0];
    assert_eq!(d.message, "expected `,` before `\"addons\"`");
    assert_eq!(d.hint.as_deref(), Some("add a comma after `}` on line 26"));
    // the parser recovered: the rest is validated and typed
    let m = manifest(&c);
    assert_eq!(m.name.as_ref().unwrap().value, "Sample Go Martini");
    assert_eq!(env_value(&c, "VAR_TEST_1"), value("1"));
    assert_eq!(
        env_value(&c, "VAR_SECRET_1"),
        Some(EnvValue::Generator {
            generator: Generator::Secret
        })
    );
    assert_eq!(
        formation(&c),
        [
            ("web".to_string(), Some(1), Some(ContainerSize::M)),
            ("worker".to_string(), Some(1), Some(ContainerSize::M)),
        ]
    );
    assert_eq!(addons(&c), [addon("redis", None, None, AddonShape::Name)]);
    let fixed = ONE_CLICK_EXAMPLE.replace("  }\n  \"addons\"", "  },\n  \"addons\"");
    expect(&fixed, &[("SM0302", W, "/addons/0", 27, 14)]);
}

/// The examples of the app manifest page (seeds/001).
#[test]
fn doc_manifest_page_examples() {
    let c = expect(
        r#"{
  "env": {
    "ENVIRONMENT": {
      "value": "staging"
    },
    "ADMIN_URL": {
      "generator": "url",
      "template": "%URL%/admin"
    },
    "SECRET_KEY": {
      "generator": "secret"
    }
  }
}"#,
        &[],
    );
    assert_eq!(env_value(&c, "ENVIRONMENT"), value("staging"));
    let c = expect(
        r#"{
  "addons": [
    {
      "plan": "postgresql:postgresql-starter-512",
      "options": {
        "version": "11"
      }
    }, {
      "plan": "redis:redis-starter-128"
    }
  ]
}"#,
        &[],
    );
    assert_eq!(
        addons(&c),
        [
            addon(
                "postgresql",
                Some("postgresql-starter-512"),
                Some("11"),
                AddonShape::Object
            ),
            addon("redis", Some("redis-starter-128"), None, AddonShape::Object),
        ]
    );
    let c = expect(
        r#"{
  "scripts": {
    "first-deploy": "bundle exec rake db:migrate db:seed",
    "postdeploy": "bundle exec rake db:migrate"
  }
}"#,
        &[("SM0502", W, "/scripts/postdeploy", 4, 5)],
    );
    assert!(c.is_valid());
    let c = expect(
        r#"{
  "formation": {
    "web": {
      "amount": 2,
      "size": "L"
    },
    "worker": {
      "amount": 1,
      "size": "XL"
    }
  }
}"#,
        &[],
    );
    assert_eq!(
        formation(&c),
        [
            ("web".to_string(), Some(2), Some(ContainerSize::L)),
            ("worker".to_string(), Some(1), Some(ContainerSize::XL)),
        ]
    );
}

/// The example of the schema page (seeds/002).
#[test]
fn doc_schema_page_example() {
    let c = expect(
        r#"{
  "name": "Sample Go Martini",
  "description": "Sample web application using the Go framework Martini",
  "logo": "https://scalingo.com/logo.svg",
  "repository": "https://github.com/Scalingo/sample-go-martini",
  "website": "https://scalingo.com",
  "env": {
    "VAR_TEST_1": {
      "description": "test variable number 1",
      "value": "1"
    },
    "VAR_SECRET_1": {
      "description": "generated variable 1",
      "generator": "secret"
    }
  },
  "addons": ["scalingo-redis"],
  "scripts": {
    "postdeploy": "echo hello"
  },
  "formation": {
    "web": {
      "amount": 1,
      "size": "S"
    },
    "other": {
      "amount": 1,
      "size": "S"
    }
  }
}"#,
        &[
            ("SM0302", W, "/addons/0", 17, 14),
            ("SM0502", W, "/scripts/postdeploy", 19, 5),
        ],
    );
    assert!(c.is_valid());
    assert_eq!(
        manifest(&c).scripts.postdeploy.as_ref().unwrap().value,
        "echo hello"
    );
}

// ------------------------------------------------------------------ totality and the catalogue

#[test]
fn never_panics_on_truncations_and_byte_flips() {
    let src = ONE_CLICK_EXAMPLE.as_bytes();
    for end in 0..src.len() {
        let _ = check(&src[..end], day());
    }
    for (i, b) in [0u8, b'"', b'{', b'[', b'}', b':', b',', 0xff, b'\\']
        .into_iter()
        .enumerate()
    {
        for at in (i..src.len()).step_by(7) {
            let mut m = src.to_vec();
            m[at] = b;
            let c = check(&m, day());
            assert!(c.diagnostics.len() <= 1001);
        }
    }
}

#[test]
fn codes_are_unique_in_range_and_specified() {
    let codes: Vec<scalingo_manifest::Code> = scalingo_manifest::Code::ALL
        .iter()
        .copied()
        .filter(|c| c.owner() == "manifest")
        .collect();
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/manifest.md"))
        .expect("spec/manifest.md");
    let mut seen = std::collections::HashSet::new();
    for c in &codes {
        assert!(seen.insert(c.as_str()), "duplicate {}", c.as_str());
        let n: u32 = c.as_str()[2..].parse().unwrap();
        assert!(
            (1..600).contains(&n),
            "{} out of the manifest range",
            c.as_str()
        );
        let heading = format!("## {} ", c.rule());
        assert!(
            spec.contains(&heading),
            "rule {} of {} has no heading",
            c.rule(),
            c.as_str()
        );
        let section = spec
            .split("\n## ")
            .find(|s| s.starts_with(&format!("{} ", c.rule())))
            .unwrap();
        assert!(
            section.contains(c.as_str()),
            "{} is not listed under {}",
            c.as_str(),
            c.rule()
        );
    }
    // The JSON syntax codes (`SM0001`..`SM0099`) are the manifest's.
    for c in scalingo_manifest::Code::ALL {
        if c.as_str() < "SM0100" {
            assert!(codes.contains(c), "{c} is not the manifest's");
        }
    }
}

#[test]
fn pathological_one_line_inputs_stay_linear() {
    // ~1 MiB on one line: 90,000 unknown keys; then every key written twice; then
    // 70,000 small objects with a duplicate key each. A quadratic step (line/column lookup
    // per finding, duplicate search per key) would take minutes here.
    let started = std::time::Instant::now();
    let keys: Vec<String> = (0..90_000).map(|i| format!("\"k{i}\":1")).collect();
    let c = run(&format!("{{{}}}", keys.join(",")));
    assert_eq!(
        (c.warnings, c.diagnostics.len(), c.dropped),
        (90_000, 1001, 89_000)
    );
    assert_eq!(c.diagnostics[999].column, Some(8_883));

    let half: Vec<String> = (0..45_000).map(|i| format!("\"k{i}\":1")).collect();
    let c = run(&format!("{{{},{}}}", half.join(","), half.join(",")));
    // each kept key has a duplicate warning and an unknown-key warning, at the same span
    let dups = c.diagnostics.iter().filter(|d| d.code == "SM0010").count();
    assert_eq!((dups, c.warnings), (500, 90_000));
    assert_eq!(
        (
            c.diagnostics[0].code.as_str(),
            c.diagnostics[0].pointer.as_str()
        ),
        ("SM0010", "/k0")
    );

    let objs: Vec<&str> = std::iter::repeat_n("{\"a\":1,\"a\":2}", 70_000).collect();
    let c = run(&format!("{{\"x\": [{}]}}", objs.join(",")));
    assert_eq!(c.warnings, 70_001);
    assert_eq!(c.diagnostics[1].pointer, "/x/0/a");
    assert_eq!(c.diagnostics[2].pointer, "/x/1/a");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

/// MAN-7 (decision D-25): keys that try to name the app's folder point at `PROJECT_DIR`;
/// an Expo `app.json` gets one note naming the keys the platform ignores.
#[test]
fn man_7_folder_keys_and_expo_files() {
    for (key, ptr) in [
        ("app_root", "/app_root"),
        ("root", "/root"),
        ("project_dir", "/project_dir"),
        ("rootDir", "/rootDir"),
    ] {
        let d = only(&format!("{{\"{key}\": \"api\"}}"), ("SM0108", W, ptr, 1, 2));
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .contains("`PROJECT_DIR` environment variable"),
            "{key}: {:?}",
            d.hint
        );
    }
    let c = expect(
        "{\"expo\": {\"name\": \"a\"}, \"slug\": \"a\", \"name\": \"a\", \"stack\": 5}",
        &[("SM0113", N, "/expo", 1, 2), ("SM0101", E, "/stack", 1, 60)],
    );
    assert_eq!(
        c.diagnostics[0].message,
        "this `app.json` is Expo's app configuration (top-level `expo`), not a deploy manifest: Scalingo ignores `expo`, `slug`"
    );
}
