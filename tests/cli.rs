//! The `scalingo-manifest` binary end to end: exit statuses (rule `DIAG-9`), human output
//! (rule `DIAG-10`), JSON output (rule `DIAG-11`), stdin, `--kind`, `--color`, and the
//! `resolve`, `explain` and `codes` subcommands.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[path = "common/binary.rs"]
mod binary;
mod common;
use binary::{check_binary_identity, BIN};

/// The sample-go-martini manifest of the one-click doc page: a comma is missing before
/// `"addons"` on line 27.
const MARTINI: &str = include_str!("../spec/examples/manifests/one-click-sample-go-martini.json");

/// A fresh directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write temp file");
    path
}

/// Runs the binary in `dir` with `args` and `stdin`, with `NO_COLOR` unset.
fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    check_binary_identity();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary");
    if let Some(mut input) = child.stdin.take() {
        // the binary may exit before reading stdin (usage errors)
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("wait for the binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

#[test]
fn valid_manifest_exits_0_and_prints_only_the_summary() {
    let dir = temp_dir("valid");
    write(&dir, "scalingo.json", "{\n  \"name\": \"x\"\n}\n");
    let o = run_in(&dir, &["check", "scalingo.json"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "checked 1 file: 0 errors, 0 warnings, 0 notes\n"
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn warnings_only_exit_0() {
    let dir = temp_dir("warnings");
    // a duplicate key is a warning (decision D-17)
    write(&dir, "app.json", "{\"name\": \"a\", \"name\": \"b\"}\n");
    let o = run_in(&dir, &["check", "--format", "json", "app.json"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v[0]["verdict"], "valid");
    assert_eq!(v[0]["diagnostics"][0]["code"], "SM0010");
    assert_eq!(v[0]["diagnostics"][0]["severity"], "warning");
}

#[test]
fn invalid_manifest_exits_1_with_rustc_style_output() {
    let dir = temp_dir("invalid");
    write(&dir, "scalingo.json", MARTINI);
    let o = run_in(&dir, &["check", "scalingo.json"], b"");
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.starts_with("error[SM0009]: "), "{out}");
    assert!(out.contains("  --> scalingo.json:27:3\n"), "{out}");
    assert!(
        out.contains("27 |   \"addons\": [\"scalingo-redis\"]\n   |   ^"),
        "source line and caret: {out}"
    );
    assert!(out.contains("   = hint: "), "{out}");
    assert!(
        out.ends_with("\n\nchecked 1 file: 1 error, 1 warning, 0 notes\n"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "no colour when piped: {out:?}");
}

#[test]
fn missing_file_exits_2_and_the_others_are_still_checked() {
    let dir = temp_dir("missing");
    write(&dir, "bad.json", "{\"name\": \"x\",}");
    let o = run_in(&dir, &["check", "bad.json", "missing.json"], b"");
    assert_eq!(o.status.code(), Some(2), "2 wins over 1");
    assert!(stderr(&o).contains("missing.json"), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("--> bad.json:1:13"), "{out}");
    assert!(
        out.ends_with("checked 2 files: 1 error, 0 warnings, 0 notes; 1 file unreadable\n"),
        "{out}"
    );

    let o = run_in(
        &dir,
        &["check", "--format", "json", "missing.json", "bad.json"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(v[0]["file"], "missing.json");
    assert_eq!(v[0]["verdict"], "unreadable");
    assert_eq!(v[0]["diagnostics"], Value::Array(vec![]));
    assert_eq!(v[1]["verdict"], "invalid");
}

/// A folder argument is a repository (DIAG-11), not a file that cannot be read: the
/// nearest folder up that holds `.git` is its root. A `.git` that is a file (a worktree's,
/// a submodule's) marks the root too, and is not listed as one of the app's files.
#[test]
fn a_directory_is_read_as_a_repository() {
    let dir = git_repo(
        "directory",
        &[("sub/readme.txt", ""), ("scalingo.json", "{}")],
    );
    let o = run_in(&dir, &["check", "--format", "json", "sub"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["kind"], "repository");
    let root = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(v[0]["file"], root.to_str().unwrap());
    assert_eq!(v[1]["file"], root.join("scalingo.json").to_str().unwrap());
    let worktree = temp_dir("directory-worktree");
    std::fs::write(
        worktree.join(".git"),
        "gitdir: /elsewhere/.git/worktrees/w\n",
    )
    .unwrap();
    std::fs::write(worktree.join("scalingo.json"), "{}").unwrap();
    let o = run_in(
        &worktree,
        &["check", "--format", "json", "--deny", "warnings"],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["diagnostics"], serde_json::json!([]), "{v}");
    assert_eq!(v[1]["file"], "scalingo.json");
}

#[test]
fn usage_errors_exit_2_on_stderr() {
    let dir = temp_dir("usage");
    for args in [
        &["check", "--bogus", "x.json"][..],
        &["check", "--format", "xml", "x.json"][..],
        &["check", "--kind", "yaml", "x.json"][..],
        &["frobnicate"][..],
        &[][..],
    ] {
        let o = run_in(&dir, args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("Usage") || err.contains("--help"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn help_and_version_exit_0_on_stdout() {
    let dir = temp_dir("help");
    let o = run_in(&dir, &["--help"], b"");
    assert_eq!(o.status.code(), Some(0));
    for word in ["check", "resolve", "explain", "codes"] {
        assert!(stdout(&o).contains(word), "{}", stdout(&o));
    }
    let o = run_in(&dir, &["check", "--help"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--kind"));
    let o = run_in(&dir, &["--version"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("scalingo-manifest "));
}

#[test]
fn stdin_is_dash() {
    let dir = temp_dir("stdin");
    let o = run_in(&dir, &["check", "-"], b"{\"a\": 1,}");
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(" --> -:1:8\n"), "{}", stdout(&o));
    let o = run_in(&dir, &["check", "--format", "json", "-"], b"{}");
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v[0]["file"], "-");
    assert_eq!(v[0]["kind"], "manifest");
}

#[test]
fn procfiles_by_name_or_by_kind() {
    let dir = temp_dir("procfile");
    write(&dir, "Procfile", "web npm start\n");
    write(&dir, "procs.txt", "web npm start\n");
    let o = run_in(
        &dir,
        &["check", "--format", "json", "Procfile", "procs.txt"],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v[0]["kind"], "procfile");
    assert_eq!(v[0]["diagnostics"][0]["code"], "SM0601");
    assert_eq!(v[1]["kind"], "manifest");
    assert!(v[1]["diagnostics"][0]["code"]
        .as_str()
        .is_some_and(|c| c < "SM0100"));

    let o = run_in(
        &dir,
        &[
            "check",
            "--kind",
            "procfile",
            "--format",
            "json",
            "procs.txt",
            "-",
        ],
        b"web: ok\n",
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v[0]["kind"], "procfile");
    assert_eq!(v[0]["verdict"], "invalid");
    assert_eq!(v[1]["kind"], "procfile");
    assert_eq!(v[1]["verdict"], "valid");

    let o = run_in(
        &dir,
        &[
            "check", "--kind", "manifest", "--format", "json", "Procfile",
        ],
        b"",
    );
    assert_eq!(json(&o)[0]["kind"], "manifest");
}

#[test]
fn json_output_has_the_diag_11_shape() {
    let dir = temp_dir("json");
    write(&dir, "scalingo.json", MARTINI);
    write(&dir, "ok.json", "{}");
    let o = run_in(
        &dir,
        &["check", "--format", "json", "scalingo.json", "ok.json"],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.starts_with("[\n  {\n    \"file\": \"scalingo.json\",\n    \"kind\": \"manifest\",\n    \"verdict\": \"invalid\",\n    \"diagnostics\": ["), "{text}");
    assert!(text.ends_with("\n]\n"));
    let v = json(&o);
    let files = v.as_array().expect("an array");
    assert_eq!(files.len(), 2);
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("    \"") || l.starts_with("        \""))
        .filter_map(|l| l.trim().split('"').nth(1))
        .collect();
    assert_eq!(
        &keys[..13],
        [
            "file",
            "kind",
            "verdict",
            "diagnostics",
            "code",
            "severity",
            "message",
            "pointer",
            "line",
            "column",
            "span",
            "rule",
            "hint",
        ]
    );
    let d = &v[0]["diagnostics"][0];
    assert_eq!(d["code"], "SM0009");
    assert_eq!(d["rule"], "JSON-7");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(27), Some(3))
    );
    assert_eq!(v[1]["verdict"], "valid");
    assert_eq!(v[1]["diagnostics"], Value::Array(vec![]));
    // deterministic bytes
    let again = run_in(
        &dir,
        &["check", "--format", "json", "scalingo.json", "ok.json"],
        b"",
    );
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = temp_dir("colour");
    write(&dir, "bad.json", "{\"a\": 1,}");
    let o = run_in(&dir, &["check", "--color", "always", "bad.json"], b"");
    assert!(stdout(&o).contains("\u{1b}["));
    let o = run_in(&dir, &["check", "--color", "never", "bad.json"], b"");
    assert!(!stdout(&o).contains('\u{1b}'));
    // the last occurrence of an option wins
    let o = run_in(
        &dir,
        &["check", "--color", "always", "--color", "never", "bad.json"],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!stdout(&o).contains('\u{1b}'));
    let o = run_in(&dir, &["check", "--color", "auto", "bad.json"], b"");
    assert!(!stdout(&o).contains('\u{1b}'), "stdout is a pipe");
    let o = Command::new(BIN)
        .args(["check", "--format", "json", "--color", "always", "bad.json"])
        .current_dir(&dir)
        .output()
        .expect("run");
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains('\u{1b}'),
        "JSON is never coloured"
    );
}

#[test]
fn oversized_input_is_reported_not_read_whole() {
    let dir = temp_dir("oversized");
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    write(&dir, "big.json", &big);
    let o = run_in(&dir, &["check", "--format", "json", "big.json"], b"");
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v[0]["diagnostics"][0]["code"], "SM0001");
    let message = v[0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains(&big.len().to_string()),
        "real size: {message}"
    );
    let o = run_in(&dir, &["check", "--format", "json", "-"], big.as_bytes());
    let v = json(&o);
    let message = v[0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("more than 1048576"), "{message}");
}

#[test]
fn resolve_and_explain() {
    let scenario = concat!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
        "/spec/examples/scenarios/review-app-with-parent.json"
    );
    let dir = temp_dir("resolve");
    let o = run_in(&dir, &["resolve", scenario], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["env"]["vars"]["ENVIRONMENT"]["value"], "staging");
    assert!(stdout(&o).ends_with("}\n"));
    let o = run_in(&dir, &["explain", scenario], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("ENVIRONMENT = \"staging\""),
        "{}",
        stdout(&o)
    );

    // A review app without a parent: status error, exit 1, from stdin.
    let input = b"{\"kind\": \"review-app\", \"app\": {\"name\": \"a-pr1\"}}";
    let o = run_in(&dir, &["resolve", "-"], input);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(json(&o)["status"], "error");
    let o = run_in(&dir, &["explain", "-"], input);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("SM1301"), "{}", stdout(&o));
}

#[test]
fn unreadable_scenarios_exit_2_with_line_and_column() {
    let dir = temp_dir("scenario-errors");
    write(&dir, "bad.json", "{\n  \"kind\": \"one-click\",\n}");
    let o = run_in(&dir, &["resolve", "bad.json"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("bad.json:3:1: invalid scenario"),
        "{}",
        stderr(&o)
    );
    let o = run_in(&dir, &["explain", "-"], b"{\"kind\": \"sideways\"}");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("-:1:"), "{}", stderr(&o));
    let o = run_in(&dir, &["resolve", "nope.json"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read `nope.json`"));
}

/// PLAT-1, PLAT-2: `--date` picks the platform of a day; a scenario's own `date` stands
/// unless `--date` is given; a scenario without one is resolved as of today; a date that
/// is not `YYYY-MM-DD` is a usage error (check) or an unreadable scenario (resolve).
#[test]
fn plat_1_plat_2_the_date_flag() {
    let dir = temp_dir("date-flag");
    write(&dir, "scalingo.json", "{\"stack\": \"scalingo-26\"}\n");
    let on = |date: &str| {
        let o = run_in(
            &dir,
            &["check", "--format", "json", "--date", date, "scalingo.json"],
            b"",
        );
        let codes: Vec<String> = json(&o)[0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        codes
    };
    assert_eq!(on("2026-01-01"), ["SM0105"], "not released yet");
    assert_eq!(on("2026-12-07"), Vec::<String>::new());
    for bad in ["2026-02-30", "tomorrow", "2026-12-7"] {
        let o = run_in(&dir, &["check", "--date", bad, "scalingo.json"], b"");
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&o).contains("is not a date: write YYYY-MM-DD"),
            "{}",
            stderr(&o)
        );
    }

    let dated = br#"{"kind": "one-click", "date": "2025-01-01", "app": {"name": "a"},
        "request": {"source": "https://github.com/o/r"}}"#;
    let o = run_in(&dir, &["resolve", "-"], dated);
    assert_eq!(json(&o)["date"], "2025-01-01", "{}", stderr(&o));
    assert_eq!(json(&o)["stack"]["value"], "scalingo-22");
    let o = run_in(&dir, &["resolve", "--date", "2026-12-07", "-"], dated);
    assert_eq!(
        json(&o)["date"],
        "2026-12-07",
        "--date overrides the scenario's"
    );
    assert_eq!(json(&o)["stack"]["value"], "scalingo-26");
    let undated = br#"{"kind": "one-click", "app": {"name": "a"}}"#;
    let o = run_in(&dir, &["resolve", "-"], undated);
    let today = json(&o)["date"].as_str().unwrap().to_string();
    let today: scalingo_manifest::platform::Date = today.parse().expect("a date");
    assert!(
        today >= scalingo_manifest::platform::AS_OF,
        "today is not before the catalogue"
    );
    let o = run_in(&dir, &["explain", "--date", "2026-01-01", "-"], undated);
    assert!(stdout(&o).contains(" on 2026-01-01 -> "), "{}", stdout(&o));
    // A scenario whose `date` is not a date: exit 2, with its position and the value escaped.
    let o = run_in(&dir, &["resolve", "-"], b"{\"kind\": \"one-click\", \"date\": \"2026-13-01\\u001b[31m\", \"app\": {\"name\": \"a\"}}");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("-:1:"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains('\u{1b}'),
        "no raw escape reaches the terminal: {:?}",
        stderr(&o)
    );
}

#[test]
fn codes_lists_the_catalogue() {
    let dir = temp_dir("codes");
    let o = run_in(&dir, &["codes"], b"");
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let first = out.lines().next().unwrap_or_default();
    assert!(first.starts_with("SM0001  error    LIM-1 "), "{first}");
    assert!(out.contains("SM0601"));
    let o = run_in(&dir, &["codes", "--format", "json"], b"");
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), scalingo_manifest::catalogue().len());
    assert_eq!(rows[0]["code"], "SM0001");
    assert_eq!(rows[0]["severity"], "error");
    assert_eq!(rows[0]["rule"], "LIM-1");
    assert!(rows[0]["summary"].is_string());
}

// ---------------------------------------------------------------------------------------
// DIAG-13: human output is never a channel for the input

/// `DIAG-13`: `text` holds no listed character but `\n` (and the SGR colour sequences
/// `ESC [ digits/semicolons m` when `sgr` is allowed).
fn assert_escaped(text: &str, sgr: bool) {
    if let Some((at, c)) = common::escape_offence(text, sgr) {
        panic!("U+{:04X} at byte {at} in {text:?}", u32::from(c));
    }
}

/// `DIAG-13`: a Procfile command with ESC, BEL, NUL and CSI, shown by `explain` as the
/// postdeploy hook and in the hooks section, never reaches the terminal raw.
#[test]
fn diag_13_explain_escapes_procfile_commands_scripts_and_names() {
    let dir = temp_dir("diag-13-explain");
    let manifest = serde_json::json!({"scripts": {"first-deploy": "rake\u{1b}[2J\nPASS"}});
    let scenario = serde_json::json!({
        "kind": "review-app", "date": "2026-12-07", "seed": 1, "pr_number": 3,
        "app": {"name": "app-pr3"},
        "parent": {"name": "p\u{9b}q", "env": {"P": "v\u{1b}"}},
        "repository": {"files": {
            "scalingo.json": manifest.to_string(),
            "Procfile": "web: run \u{1b}]0;title\u{7}\u{9b}31m\u{202e}\npostdeploy: x\u{0}y\n",
        }},
        "attempts": [{"build": "success"}, {"build": "success"}],
    });
    write(&dir, "s.json", &scenario.to_string());
    let o = run_in(&dir, &["explain", "s.json"], b"");
    let text = stdout(&o);
    assert_escaped(&text, false);
    assert!(text.contains("postdeploy: x\\u{0}y"), "{text}");
    assert!(
        text.contains("first-deploy `rake\\u{1b}[2J\\u{a}PASS`"),
        "{text}"
    );
    assert!(text.contains("postdeploy `x\\u{0}y`"), "{text}");
    assert!(!text.lines().any(|l| l == "PASS"), "{text}");
    // a parent env name with ESC (invalid, reported and skipped)
    let mut named = scenario.clone();
    named["parent"]["env"] = serde_json::json!({"P\u{1b}X": "v"});
    let o = run_in(&dir, &["explain", "-"], named.to_string().as_bytes());
    let text = stdout(&o);
    assert_escaped(&text, false);
    assert!(text.contains("P\\u{1b}X (not set"), "{text}");
    // `explain` on a bad app name, and on the same scenario through stdin
    let bad = serde_json::json!({"kind": "one-click", "date": "2026-12-07",
        "app": {"name": "a\u{1b}]0;x\u{7}\n  forged"}});
    let o = run_in(&dir, &["explain", "-"], bad.to_string().as_bytes());
    let text = stdout(&o);
    assert_escaped(&text, false);
    assert!(text.contains("a\\u{1b}]0;x\\u{7}\\u{a}  forged"), "{text}");
    // `resolve` is JSON and keeps its bytes (escaped by JSON itself)
    let o = run_in(&dir, &["resolve", "-"], bad.to_string().as_bytes());
    assert!(
        stdout(&o).contains("a\\u001b]0;x\\u0007\\n  forged"),
        "{}",
        stdout(&o)
    );
}

/// `DIAG-13`: a C1 control written as a JSON escape (`\u009b`, an ASCII file) reaches a
/// message decoded; `check` shows it as `\u{9b}`, with or without colour, and the JSON
/// output keeps the exact value.
#[test]
fn diag_13_check_escapes_c1_controls_decoded_from_json_escapes() {
    let dir = temp_dir("diag-13-c1");
    write(
        &dir,
        "scalingo.json",
        "{\"\\u009b31m\\u001b]8;;x\\u0007\": 1}\n",
    );
    for color in ["never", "always"] {
        let o = run_in(&dir, &["check", "--color", color, "scalingo.json"], b"");
        let text = stdout(&o);
        assert_escaped(&text, color == "always");
        assert!(text.contains("`\\u{9b}31m\\u{1b}]8;;x\\u{7}`"), "{text}");
    }
    let o = run_in(&dir, &["check", "--format", "json", "scalingo.json"], b"");
    let message = json(&o)[0]["diagnostics"][0]["message"].clone();
    assert!(
        message
            .as_str()
            .unwrap_or("")
            .contains("\u{9b}31m\u{1b}]8;;x\u{7}"),
        "{message}"
    );
}

/// `DIAG-13`: raw controls in the file itself (ESC, C1 as UTF-8, a lone CR, bidi
/// controls) are shown escaped in the source line, with the caret still under the span
/// and the real column in the `-->` line.
#[test]
fn diag_13_check_escapes_source_lines_and_keeps_the_real_column() {
    let dir = temp_dir("diag-13-source");
    write(
        &dir,
        "Procfile",
        "web: a\u{1b}[2J\u{85}\u{202e}\r\n\u{9b}bad name: x\n",
    );
    let o = run_in(&dir, &["check", "Procfile"], b"");
    let text = stdout(&o);
    assert_escaped(&text, false);
    assert!(text.contains("web: a\\u{1b}[2J\\u{85}\\u{202e}"), "{text}");
    assert!(text.contains(" --> Procfile:2:1\n"), "{text}");
    assert!(text.contains("2 | \\u{9b}bad name: x\n"), "{text}");
}

/// `DIAG-13`: a file name with a newline cannot forge an `error[...]` line, nor one with
/// ESC a control sequence, in the `-->` line or in "cannot read".
#[test]
fn diag_13_file_names_are_escaped() {
    let dir = temp_dir("diag-13-names");
    let forged = "a\nerror[SM0001]: forged\u{1b}[2J.json";
    write(&dir, forged, "{\"x\": 1,}");
    let missing = "gone\u{1b}]0;t\u{7}\n.json";
    for color in ["never", "always"] {
        let o = run_in(&dir, &["check", "--color", color, forged, missing], b"");
        assert_eq!(o.status.code(), Some(2));
        let (out, err) = (stdout(&o), stderr(&o));
        assert_escaped(&out, color == "always");
        assert_escaped(&err, false);
        assert!(
            !out.lines().any(|l| l.starts_with("error[SM0001]")),
            "{out}"
        );
        assert!(
            out.contains("a\\u{a}error[SM0001]: forged\\u{1b}[2J.json:1:8"),
            "{out}"
        );
        assert!(err.contains("`gone\\u{1b}]0;t\\u{7}\\u{a}.json`"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // the JSON output names the file exactly
    let o = run_in(&dir, &["check", "--format", "json", forged], b"");
    assert_eq!(json(&o)[0]["file"], forged);
}

/// `DIAG-13`: a scenario whose parse error quotes the input (an unknown variant) and a
/// command-line value with controls give escaped errors on stderr.
#[test]
fn diag_13_scenario_and_usage_errors_are_escaped() {
    let dir = temp_dir("diag-13-errors");
    let o = run_in(
        &dir,
        &["explain", "-"],
        b"{\"kind\": \"\\u001b[31m\\u0085x\\nPASS\"}",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_escaped(&err, false);
    assert!(err.contains("`\\u{1b}[31m\\u{85}x\\u{a}PASS`"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let o = run_in(&dir, &["check", "--kind", "x\u{1b}[31m\u{9b}", "f"], b"");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_escaped(&err, false);
    assert!(err.contains("x\\u{1b}[31m\\u{9b}"), "{err}");
}

/// `DIAG-13`: a fake implementation (persistent mode, `sh`) whose name, version and
/// `errored` messages hold newlines, CR, ESC and CSI cannot forge a line of the
/// conformance report (a `PASS`) nor send a control sequence.
#[test]
fn diag_13_conformance_report_escapes_what_the_implementation_says() {
    let dir = temp_dir("diag-13-runner");
    let fake = r#"while IFS= read -r line; do
  case "$line" in
    *'"cmd":"start"'*) printf '%s\n' '{"version":1,"implementation":{"name":"evil\nPASS\n\u001b[2J","version":"1\r\u009b","language":"sh"},"capabilities":["validate"],"features":[]}' ;;
    *'"cmd":"stop"'*) exit 0 ;;
    *) seq=$(printf '%s' "$line" | sed 's/.*"seq":\([0-9]*\).*/\1/')
       printf '{"seq":%s,"errored":"boom\\nPASS\\r\\u001b[1A\\u009b2K\\u202e"}\n' "$seq" ;;
  esac
done"#;
    let suite = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("spec/vectors");
    let suite = suite.to_str().unwrap_or_default();
    let o = run_in(
        &dir,
        &[
            "conformance",
            "run",
            "--suite",
            suite,
            "--impl",
            fake,
            "--filter",
            "SMC-0001,SMC-0002",
        ],
        b"",
    );
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}{}", stderr(&o));
    assert_escaped(&text, false);
    assert_eq!(
        text.lines().filter(|l| l.trim() == "PASS").count(),
        0,
        "{text}"
    );
    assert_eq!(text.lines().last(), Some("FAIL"), "{text}");
    assert!(
        text.contains("evil\\u{a}PASS\\u{a}\\u{1b}[2J 1\\u{d}\\u{9b} (sh)"),
        "{text}"
    );
    assert!(
        text.contains("errored: boom\n       PASS\\u{d}\\u{1b}[1A\\u{9b}2K\\u{202e}"),
        "{text}"
    );
}

/// LIM-7, DIAG-11: the counts cover the dropped findings, in the JSON report (written one
/// file at a time) and in the human summary, and an unreadable file in the middle keeps
/// the array whole.
#[test]
fn lim_7_diag_11_counts_cover_dropped_findings_in_both_formats() {
    let dir = temp_dir("counts");
    let keys: Vec<String> = (0..1500).map(|i| format!("\"k{i}\": 1")).collect();
    write(
        &dir,
        "big.json",
        &format!("{{{}, \"name\": 5}}", keys.join(", ")),
    );
    write(&dir, "ok.json", "{}");
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "ok.json",
            "missing.json",
            "big.json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v.as_array().map(Vec::len), Some(3));
    assert_eq!(v[1]["verdict"], "unreadable");
    assert_eq!(
        v[2]["counts"],
        serde_json::json!({"errors": 1, "warnings": 1500, "notes": 0, "dropped": 501})
    );
    assert_eq!(v[2]["diagnostics"].as_array().map(Vec::len), Some(1001));
    let o = run_in(&dir, &["check", "--color", "never", "big.json"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).ends_with(
            "checked 1 file: 1 error, 1500 warnings, 0 notes (501 not listed: at most 1000 per file)\n"
        ),
        "{}",
        stdout(&o)
    );
}

/// Outside a checkout, the conformance commands say where the suite is expected and how to
/// name it, and stop (exit 2) before anything runs; a suite's problems are one per line.
#[test]
fn conformance_commands_outside_a_checkout_say_where_the_suite_is() {
    let dir = temp_dir("no-suite");
    for (args, flag) in [
        (&["conformance", "run", "--impl", "true"][..], "--suite DIR"),
        (&["conformance", "bench", "--impl", "true"], "--suite DIR"),
        (&["conformance", "regen", "--check"], "--dir DIR"),
    ] {
        let o = run_in(&dir, args, b"");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(
                "error: no conformance suite at `spec/vectors` in the current folder `"
            ) && stderr.contains(&format!("name the suite with `{flag}`")),
            "{args:?}: {stderr}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    let o = run_in(
        &dir,
        &["conformance", "run", "--impl", "true", "--suite", "nope"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: the suite folder `nope` is not there (or is not a folder)\n"
    );
    // A broken suite: every problem on a line of its own.
    let suite = dir.join("spec/vectors/validate");
    std::fs::create_dir_all(&suite).unwrap();
    std::fs::write(suite.join("SMC-0001.json"), "{").unwrap();
    std::fs::write(suite.join("SMC-0002.json"), "[]").unwrap();
    let o = run_in(&dir, &["conformance", "regen", "--check"], b"");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("\\u{a}"), "{stderr}");
    assert!(stderr.lines().count() >= 3, "{stderr}");
    assert!(
        stderr.lines().skip(1).all(|l| l.starts_with("  ")),
        "{stderr}"
    );
}

/// `conformance gen --capability LIST` writes only cases of those capabilities; an unknown
/// name exits 2 with the list of known ones.
#[test]
fn conformance_gen_targets_the_capabilities_named() {
    let dir = temp_dir("gen-capability");
    let o = run_in(
        &dir,
        &[
            "conformance",
            "gen",
            "--seed",
            "4",
            "--count",
            "15",
            "--out",
            "out",
            "--capability",
            "validate,procfile",
        ],
        b"",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut folders: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, ["index.json", "procfile", "validate"]);
    let o = run_in(
        &dir,
        &[
            "conformance",
            "gen",
            "--seed",
            "4",
            "--count",
            "1",
            "--out",
            "x",
            "--capability",
            "valdiate",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .starts_with("error: unknown capability `valdiate` (the capabilities are validate, "),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!dir.join("x").exists());
}

/// `conformance pack` writes the archive and names it with its hash; a suite whose files
/// do not hash to its index, an earlier index that is not a versioned one, or a folder
/// without the suite, exits 2 and writes nothing.
#[test]
fn conformance_pack_writes_the_archive_or_says_why_not() {
    let dir = temp_dir("pack");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let spec = format!("{root}/spec");
    let o = run_in(
        &dir,
        &["conformance", "pack", "--spec", &spec, "--out", "out"],
        b"",
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.starts_with("wrote out/scalingo-manifest-suite-"),
        "{stdout}"
    );
    assert!(stdout.contains(" files, sha256 "), "{stdout}");
    // Only the archive is left: the partial file it was written to is renamed.
    let written: Vec<_> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(written.len(), 1);
    // A suite whose files do not hash to its index is not packed.
    let copy = dir.join("spec-copy");
    let copied = Command::new("cp")
        .args(["-r", &spec, copy.to_str().unwrap()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(copied);
    let case = copy.join("vectors/validate/SMC-0001.json");
    let mut text = std::fs::read_to_string(&case).unwrap();
    text.push(' ');
    std::fs::write(&case, text).unwrap();
    let o = run_in(
        &dir,
        &[
            "conformance",
            "pack",
            "--spec",
            "spec-copy",
            "--out",
            "out4",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("do not hash to index.json"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!dir.join("out4").exists());
    std::fs::write(dir.join("old.json"), "[]").unwrap();
    let o = run_in(
        &dir,
        &[
            "conformance",
            "pack",
            "--spec",
            &spec,
            "--out",
            "out2",
            "--since",
            "old.json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a versioned suite index"));
    assert!(!dir.join("out2").exists());
    let o = run_in(&dir, &["conformance", "pack", "--out", "out3"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: no suite at `spec/vectors`"));
}

/// The README's `check` example is the binary's output, byte for byte: the README never
/// shows findings or a rendering the tool no longer gives.
#[test]
fn the_readme_check_example_is_current() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let file = "spec/examples/manifests/one-click-sample-go-martini.json";
    let command = format!("$ scalingo-manifest check {file}\n");
    let start = readme
        .find(&command)
        .expect("the README shows the check example")
        + command.len();
    let end = start + readme[start..].find("```").expect("the block is closed");
    let o = run_in(root, &["check", file], b"");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(&readme[start..end], String::from_utf8_lossy(&o.stdout));
}

/// `check --format github`: a workflow command per finding, with the file, line, column,
/// code and rule; the exit status is check's.
#[test]
fn check_format_github_writes_one_annotation_per_finding() {
    let dir = temp_dir("github");
    std::fs::write(
        dir.join("scalingo.json"),
        "{\n  \"stack\": \"scalingo-18\",\n  \"nme\": \"x\"\n}\n",
    )
    .unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--date",
            "2026-12-07",
            "--format",
            "github",
            "scalingo.json",
        ],
        b"",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::warning file=scalingo.json,line=")),
        "{out}"
    );
    assert!(out.contains(",line=3,col=3,title=SM0108 (MAN-7)::unknown key `nme`: Scalingo ignores it%0Ahint: did you mean `name`?\n"), "{out}");
    // DIAG-14: a file that cannot be read is an annotation too; the exit status is 2.
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "github",
            "scalingo.json",
            "missing, file.json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("::error file=missing%2C file.json,title=unreadable::cannot read the file: "),
        "{out}"
    );
}

/// `check --format gitlab`: GitLab Code Quality issues whose fingerprints survive a finding
/// moving to another line, and differ for two findings of one code and pointer.
#[test]
fn check_format_gitlab_has_stable_fingerprints() {
    let dir = temp_dir("gitlab");
    let issues = |text: &str| -> Vec<Value> {
        std::fs::write(dir.join("app.json"), text).unwrap();
        let o = run_in(
            &dir,
            &[
                "check",
                "--date",
                "2026-12-07",
                "--format",
                "gitlab",
                "app.json",
            ],
            b"",
        );
        serde_json::from_slice(&o.stdout).expect("a JSON array")
    };
    let before = issues("{\"nme\": 1, \"stack\": \"heroku-24\"}");
    let after = issues("{\n\n\n\"nme\": 1,\n\"stack\": \"heroku-24\"}");
    assert_eq!(before.len(), 2);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b["fingerprint"], a["fingerprint"]);
        assert_eq!(b["location"]["path"], "app.json");
        assert!(["major", "minor", "info"].contains(&b["severity"].as_str().unwrap()));
        assert_eq!(b["fingerprint"].as_str().unwrap().len(), 64);
    }
    assert_ne!(
        before[0]["location"]["lines"]["begin"],
        after[0]["location"]["lines"]["begin"]
    );
    assert_ne!(before[0]["fingerprint"], before[1]["fingerprint"]);
    let clean = issues("{}");
    assert!(clean.is_empty());
}

/// `--deny warnings` turns warnings into a failing exit status; `--quiet` drops the summary
/// line and prints nothing for a clean file.
#[test]
fn check_deny_warnings_and_quiet() {
    let dir = temp_dir("deny-quiet");
    std::fs::write(dir.join("warn.json"), "{\"nme\": \"x\"}").unwrap();
    std::fs::write(dir.join("clean.json"), "{}").unwrap();
    let run = |args: &[&str]| run_in(&dir, args, b"");
    assert_eq!(run(&["check", "warn.json"]).status.code(), Some(0));
    assert_eq!(
        run(&["check", "--deny", "warnings", "warn.json"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["check", "--deny", "warnings", "clean.json"])
            .status
            .code(),
        Some(0)
    );
    let quiet = run(&["check", "--quiet", "clean.json"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stdout.is_empty());
    let quiet = run(&["check", "--quiet", "warn.json"]);
    let out = String::from_utf8_lossy(&quiet.stdout);
    assert!(out.starts_with("warning[SM0108]"), "{out}");
    assert!(!out.contains("checked 1 file"), "{out}");
    // A clean repository after a file with findings adds nothing, not even a blank line.
    let repo = git_repo("deny-quiet-repo", &[("scalingo.json", "{}")]);
    let warn = dir.join("warn.json");
    let warn = warn.to_str().unwrap();
    let alone = run(&["check", "--quiet", warn]);
    let with_repo = run(&["check", "--quiet", warn, repo.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8_lossy(&with_repo.stdout),
        String::from_utf8_lossy(&alone.stdout)
    );
}

/// `codes CODE`, `rule ID` and `decision ID` print the spec's own text (compiled in), and
/// refuse an unknown ID with the closest one; every code of the catalogue has its rule's
/// text, and every page of `spec/` that defines rules is compiled in.
#[test]
fn codes_rule_and_decision_print_the_spec_text() {
    use scalingo_manifest_cli::spec_text;
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let dir = temp_dir("spec-text");
    let o = run_in(&dir, &["codes", "SM0105"], b"");
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    let manifest = std::fs::read_to_string(root.join("spec/manifest.md")).unwrap();
    let section = spec_text::section("MAN-5").unwrap();
    assert!(manifest.contains(section.text));
    assert_eq!(
        out,
        format!(
            "SM0105 (warning): unknown stack; the platform keeps its default stack\nrule MAN-5, spec/manifest.md:\n\n{}\n",
            section.text
        )
    );
    let json: Value =
        serde_json::from_slice(&run_in(&dir, &["codes", "SM0105", "--format", "json"], b"").stdout)
            .unwrap();
    assert_eq!(json["rule"], "MAN-5");
    assert_eq!(json["page"], "spec/manifest.md");
    let o = run_in(&dir, &["rule", "ENV-8"], b"");
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("spec/env.md:\n\n## ENV-8 "));
    let o = run_in(&dir, &["decision", "D-18"], b"");
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("spec/decisions.md:\n\n## D-18 "));
    for (args, message) in [
        (
            &["rule", "ENV-88"][..],
            "error: no rule `ENV-88` in the spec (did you mean `ENV-8`?)\n",
        ),
        (
            &["decision", "MAN-5"],
            "error: no decision `MAN-5` in the spec (`MAN-5` is a rule: `scalingo-manifest rule MAN-5`)\n",
        ),
        (
            &["rule", "D-18"],
            "error: no rule `D-18` in the spec (`D-18` is a decision: `scalingo-manifest decision D-18`)\n",
        ),
        (&["decision", "D-99"], "error: no decision `D-99` in the spec (did you mean `D-9`?)\n"),
    ] {
        let o = run_in(&dir, args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), message);
        assert!(o.stdout.is_empty());
    }
    let o = run_in(&dir, &["codes", "SM0150"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `SM0105`?"));
    for c in scalingo_manifest::catalogue() {
        assert!(
            spec_text::section(c.rule()).is_some(),
            "{c}: rule {} not compiled in",
            c.rule()
        );
    }
    let compiled: Vec<&str> = spec_text::PAGES.iter().map(|(p, _)| *p).collect();
    for entry in std::fs::read_dir(root.join("spec")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        // A `## ID` heading whose ID looks like a rule or decision (`MAN-5`, `D-12`),
        // judged here independently of `spec_text::ids`.
        let defines = text.lines().any(|l| {
            l.strip_prefix("## ")
                .and_then(|r| r.split_whitespace().next())
                .is_some_and(|id| {
                    id.contains('-')
                        && id.starts_with(|c: char| c.is_ascii_uppercase())
                        && id.ends_with(|c: char| c.is_ascii_digit())
                })
        });
        if name.ends_with(".md") && defines {
            assert!(
                compiled.contains(&name.as_str()),
                "spec/{name} is not compiled in"
            );
        }
    }
}

/// The GitHub Action's step (`scripts/action-check.sh`, run by `action.yml`): every
/// manifest and Procfile git tracks (not other JSON files), as annotations; `true` for
/// `deny-warnings` fails on warnings; nothing to check is a notice, not a failure.
#[test]
fn the_github_action_checks_the_tracked_manifests_and_procfiles() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let script = root.join("scripts/action-check.sh");
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    assert!(
        action.contains("scripts/action-check.sh")
            && action.contains("--path \"$GITHUB_ACTION_PATH/cli\"")
    );
    let dir = temp_dir("action");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::create_dir_all(dir.join("web")).unwrap();
    std::fs::write(dir.join("web/scalingo.json"), "{\"nme\": 1}").unwrap();
    std::fs::write(dir.join("Procfile"), "web: run\n").unwrap();
    std::fs::write(dir.join("package.json"), "{").unwrap();
    // A path git would quote (`"caf\303\251/app.json"`) is checked; a link is not (it
    // could point outside the repository).
    std::fs::create_dir_all(dir.join("café")).unwrap();
    std::fs::write(dir.join("café/app.json"), "{\"nme\": 1}").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../package.json", dir.join("web/app.json")).unwrap();
    git(&["add", "."]);
    let step = |env: &[(&str, &str)]| {
        let mut c = Command::new("bash");
        c.arg(&script)
            .current_dir(&dir)
            .env("SCALINGO_MANIFEST", BIN)
            .env_remove("FILES");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("bash")
    };
    check_binary_identity();
    let o = step(&[]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.starts_with("::warning file=café/app.json,line=1,col=2,title=SM0108 (MAN-7)::"),
        "{out}"
    );
    assert!(
        out.lines().nth(1).is_some_and(|l| l
            .starts_with("::warning file=web/scalingo.json,line=1,col=2,title=SM0108 (MAN-7)::")),
        "{out}"
    );
    assert_eq!(step(&[("DENY_WARNINGS", "true")]).status.code(), Some(1));
    let o = step(&[("FILES", "package.json")]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an explicit file is checked whatever its name"
    );
    let empty = temp_dir("action-empty");
    let o = Command::new("bash")
        .arg(&script)
        .current_dir(&empty)
        .env("SCALINGO_MANIFEST", BIN)
        .env_remove("FILES")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout)
        .starts_with("::notice title=scalingo-manifest::no scalingo.json"));
}

// ---------------------------------------------------------------------------------------
// Limits, colour, write errors and the exit statuses of the conformance commands

/// The scenario limit of `resolve` and `explain` is 64 MiB exactly: a scenario of
/// 67,108,864 bytes (a valid one padded with spaces) is read and resolved, one byte more
/// is refused with exit 2 before it is parsed.
#[test]
fn scenario_limit_is_64_mib_at_the_limit_read_one_byte_over_refused() {
    const LIMIT: usize = 64 * 1024 * 1024;
    let dir = temp_dir("scenario-limit");
    let scenario = br#"{"kind": "one-click", "date": "2026-12-07", "app": {"name": "a"}}"#;
    let mut bytes = scenario.to_vec();
    bytes.resize(LIMIT, b' ');
    let path = dir.join("big.json");
    std::fs::write(&path, &bytes).expect("write the scenario");
    let o = run_in(&dir, &["resolve", "big.json"], b"");
    assert_eq!(stderr(&o), "", "read at the limit");
    assert_eq!(json(&o)["date"], "2026-12-07");
    bytes.push(b' ');
    std::fs::write(&path, &bytes).expect("write the scenario");
    let o = run_in(&dir, &["resolve", "big.json"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "error: `big.json` is larger than 67108864 bytes (64 MiB); not read\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// PROC-LIM-1: a Procfile over 1 MiB is reported with its real size (a regular file) or
/// as "more than" the limit (stdin), not with the length it was cut at; at the limit it is
/// read.
#[test]
fn proc_lim_1_an_oversized_procfile_is_reported_with_its_real_size() {
    let limit = scalingo_manifest::procfile::MAX_BYTES;
    let dir = temp_dir("procfile-limit");
    let line = "web: run\n";
    let at_limit = format!("{line}{}", "#".repeat(limit - line.len()));
    assert_eq!(at_limit.len(), limit);
    write(&dir, "Procfile", &at_limit);
    let o = run_in(&dir, &["check", "--format", "json", "Procfile"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let big = format!("{at_limit}{}", "#".repeat(9));
    write(&dir, "Procfile", &big);
    let o = run_in(&dir, &["check", "--format", "json", "Procfile"], b"");
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v[0]["diagnostics"][0]["code"], "SM0616");
    assert_eq!(
        v[0]["diagnostics"][0]["message"],
        format!(
            "Procfile is {} bytes, more than the limit of {limit} bytes (1 MiB); nothing was read",
            limit + 9
        )
    );
    let o = run_in(
        &dir,
        &["check", "--kind", "procfile", "--format", "json", "-"],
        big.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        json(&o)[0]["diagnostics"][0]["message"],
        format!("Procfile is more than {limit} bytes, more than the limit of {limit} bytes (1 MiB); nothing was read")
    );
}

/// A file that cannot be read adds nothing to the human output but its count in the
/// summary (its JSON item is for `--format json` only).
#[test]
fn an_unreadable_file_adds_only_its_count_to_the_human_summary() {
    let dir = temp_dir("unreadable-human");
    let o = run_in(&dir, &["check", "missing.json"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stdout(&o),
        "checked 1 file: 0 errors, 0 warnings, 0 notes; 1 file unreadable\n"
    );
}

/// Runs the binary in `dir` with stdout on a new pseudo-terminal (whatever runs the
/// tests) and `NO_COLOR` set to `no_color` (unset when `None`); returns the exit status and
/// what the terminal received.
#[cfg(unix)]
fn run_on_a_terminal(dir: &Path, args: &[&str], no_color: Option<&str>) -> (Option<i32>, String) {
    use rustix::fs::{Mode, OFlags};
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    use std::io::Read;
    check_binary_identity();
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
        .expect("open a pseudo-terminal");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    let terminal = rustix::fs::open(
        name.as_c_str(),
        OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .expect("open the terminal");
    // the Command holds the terminal until it is dropped: the end of this block
    let mut child = {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::fs::File::from(terminal)))
            .stderr(Stdio::null());
        match no_color {
            Some(v) => command.env("NO_COLOR", v),
            None => command.env_remove("NO_COLOR"),
        };
        command.spawn().expect("spawn the binary")
    };
    let mut master = std::fs::File::from(master);
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    // Linux answers EIO, others 0 bytes, once the terminal is closed
    while let Ok(n @ 1..) = master.read(&mut chunk) {
        received.extend_from_slice(&chunk[..n]);
    }
    let status = child.wait().expect("wait for the binary");
    (
        status.code(),
        String::from_utf8_lossy(&received).into_owned(),
    )
}

/// `--color auto` (the default) colours when stdout is a terminal and `NO_COLOR` is unset
/// or empty; a non-empty `NO_COLOR` turns it off (no-color.org).
#[cfg(unix)]
#[test]
fn colour_auto_on_a_terminal_unless_no_color_is_set_non_empty() {
    let dir = temp_dir("colour-terminal");
    write(&dir, "bad.json", "{\"a\": 1,}");
    for (no_color, coloured) in [(None, true), (Some(""), true), (Some("1"), false)] {
        let (status, text) = run_on_a_terminal(&dir, &["check", "bad.json"], no_color);
        assert_eq!(status, Some(1), "NO_COLOR={no_color:?}: {text}");
        assert!(text.contains("error[SM"), "NO_COLOR={no_color:?}: {text}");
        assert_eq!(
            text.contains("\u{1b}["),
            coloured,
            "NO_COLOR={no_color:?}: {text:?}"
        );
    }
    let (_, text) = run_on_a_terminal(&dir, &["check", "--color", "never", "bad.json"], None);
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

/// Spawns the binary with `args` whose stdout is a pipe already closed by its reader, then
/// gives it `stdin`: what it writes meets a closed pipe (`... | head -c0`).
fn run_with_stdout_closed(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    check_binary_identity();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary");
    // the only reader goes before the binary has read its input, so before it writes
    drop(child.stdout.take());
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("wait for the binary")
}

/// Runs the binary with stdout on `/dev/full`: every write fails (ENOSPC).
#[cfg(target_os = "linux")]
fn run_with_stdout_full(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    check_binary_identity();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("open /dev/full");
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("wait for the binary")
}

/// A closed stdout (`| head`) is not an error: the command ends quietly with the exit
/// status of what it found (1: the manifest has an error).
#[test]
fn a_closed_stdout_is_not_an_error_and_the_status_is_the_verdicts() {
    let dir = temp_dir("closed-stdout");
    let o = run_with_stdout_closed(&dir, &["check", "-"], b"{\"a\": 1,}");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// Any other write error on stdout (a full disk) is reported once on stderr and exits 2;
/// stdout is not written again.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_is_reported_once_and_exits_2() {
    let dir = temp_dir("full-stdout");
    write(&dir, "bad.json", "{\"a\": 1,}");
    write(&dir, "ok.json", "{}");
    for format in ["human", "json"] {
        let o = run_with_stdout_full(
            &dir,
            &[
                "check",
                "--format",
                format,
                "bad.json",
                "missing.json",
                "ok.json",
            ],
            b"",
        );
        assert_eq!(o.status.code(), Some(2), "{format}");
        let err = stderr(&o);
        assert_eq!(
            err.lines()
                .filter(|l| l.starts_with("error: cannot write to stdout: "))
                .count(),
            1,
            "{format}: {err}"
        );
    }
}

/// `harness`: stdout closed by the runner is the end of the session: exit 0, nothing on
/// stderr.
#[test]
fn harness_ends_quietly_on_a_closed_stdout() {
    let dir = temp_dir("harness-closed-stdout");
    let o = run_with_stdout_closed(&dir, &["harness", "--per-case"], b"{}");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// `harness`: a failed write other than a closed pipe (a full disk) is an I/O error: exit
/// 2, reported on stderr.
#[cfg(target_os = "linux")]
#[test]
fn harness_reports_a_failed_write_and_exits_2() {
    let dir = temp_dir("harness-full-stdout");
    let o = run_with_stdout_full(&dir, &["harness", "--per-case"], b"{}");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: No space left on device (os error 28)\n");
}

/// The conformance suite of the checkout, as an argument.
fn checkout_suite() -> String {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("spec/vectors")
        .to_string_lossy()
        .into_owned()
}

/// A suite of one case (the checkout's `SMC-0001`) in `root/spec/vectors`, with the spec's
/// rule files beside it; its index, retired list and schemas are not written yet.
fn one_case_suite(root: &Path) {
    let checkout = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("spec");
    let spec = root.join("spec");
    std::fs::create_dir_all(spec.join("vectors/validate")).expect("mkdir");
    for entry in std::fs::read_dir(&checkout).expect("read spec/") {
        let path = entry.expect("spec/ entry").path();
        if path.extension().is_some_and(|x| x == "md") {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, spec.join(name)).expect("copy a spec file");
        }
    }
    std::fs::copy(
        checkout.join("vectors/validate/SMC-0001.json"),
        spec.join("vectors/validate/SMC-0001.json"),
    )
    .expect("copy SMC-0001");
}

/// `conformance regen --check` writes nothing and exits 1 when files would change, 0 when
/// none would; `conformance regen` writes them and exits 0.
#[test]
fn regen_check_writes_nothing_and_exits_1_only_when_files_would_change() {
    let dir = temp_dir("regen-status");
    one_case_suite(&dir);
    let schema = dir.join("spec/vectors/case.schema.json");
    let o = run_in(&dir, &["conformance", "regen", "--check"], b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("would change: spec/vectors/case.schema.json\n"),
        "{}",
        stdout(&o)
    );
    assert!(!schema.exists(), "--check wrote");
    let o = run_in(&dir, &["conformance", "regen"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("rewritten: spec/vectors/case.schema.json\n"),
        "{}",
        stdout(&o)
    );
    assert!(schema.exists(), "regen did not write");
    let o = run_in(&dir, &["conformance", "regen", "--check"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "1 cases; 0 file(s) would change\n");
}

/// `--timeout` is a number of seconds above 0 and at most 86400: 0, 86400.5 and -1 are usage
/// errors (exit 2) found before the suite is read, 86400 runs.
#[test]
fn conformance_timeout_must_be_above_0_and_at_most_a_day() {
    let dir = temp_dir("timeout-range");
    let suite = checkout_suite();
    let harness = format!("'{BIN}' harness");
    for command in ["run", "bench"] {
        for timeout in ["0", "86400.5", "-1"] {
            let o = run_in(
                &dir,
                &[
                    "conformance",
                    command,
                    "--impl",
                    &harness,
                    "--suite",
                    &suite,
                    "--filter",
                    "SMC-0001",
                    &format!("--timeout={timeout}"),
                ],
                b"",
            );
            assert_eq!(o.status.code(), Some(2), "{command} {timeout}");
            assert_eq!(
                stderr(&o),
                "error: --timeout must be a number of seconds above 0 (at most 86400)\n",
                "{command} {timeout}"
            );
        }
    }
    let o = run_in(
        &dir,
        &[
            "conformance",
            "run",
            "--impl",
            &harness,
            "--suite",
            &suite,
            "--filter",
            "SMC-0001",
            "--timeout",
            "86400",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `conformance bench`: exit 0 when every case passed, 1 when some did not, 2 for
/// `--seconds` outside 0..=3600 (found before the implementation starts).
#[test]
fn bench_exits_0_when_every_case_passed_1_when_some_did_not() {
    let dir = temp_dir("bench-status");
    let suite = checkout_suite();
    let bench = |implementation: &str, filter: &str, seconds: &str| {
        run_in(
            &dir,
            &[
                "conformance",
                "bench",
                "--impl",
                implementation,
                "--suite",
                &suite,
                "--filter",
                filter,
                &format!("--seconds={seconds}"),
            ],
            b"",
        )
    };
    let o = bench(&format!("'{BIN}' harness"), "SMC-0001", "0");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("persistent mode: 1 cases (1 passes over 1 selected cases) in "),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("; 0 not passing;"), "{}", stdout(&o));
    let o = bench(&format!("'{BIN}' harness --break PROC"), "procfile", "0");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stdout(&o).contains("; 0 not passing;"), "{}", stdout(&o));
    let marker = dir.join("started");
    let touch = format!("touch '{}'", marker.display());
    for seconds in ["-1", "3600.5", "NaN"] {
        let o = bench(&touch, "SMC-0001", seconds);
        assert_eq!(o.status.code(), Some(2), "{seconds}");
        assert_eq!(
            stderr(&o),
            "error: --seconds must be between 0 and 3600\n",
            "{seconds}"
        );
        assert!(
            !marker.exists(),
            "{seconds}: the implementation was started"
        );
    }
}

/// A suite named by a one-component relative path (`--dir vectors` in `spec/`, `--dir .`
/// in `spec/vectors`, `--suite vectors`) finds its spec folder, the parent: it used to look
/// in the empty path and report every rule of every case as unknown.
#[test]
fn a_suite_named_by_a_one_component_relative_path_finds_its_spec() {
    let dir = temp_dir("suite-relative");
    one_case_suite(&dir);
    let spec = dir.join("spec");
    let o = run_in(&spec, &["conformance", "regen", "--dir", "vectors"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("rewritten: vectors/index.json\n"),
        "{}",
        stdout(&o)
    );
    let o = run_in(
        &spec.join("vectors"),
        &["conformance", "regen", "--check", "--dir", "."],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "1 cases; 0 file(s) would change\n");
    let harness = format!("'{BIN}' harness");
    let o = run_in(
        &spec,
        &[
            "conformance",
            "run",
            "--impl",
            &harness,
            "--suite",
            "vectors",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------
// Repositories as input (`check` with a folder, or with nothing)

/// A temporary git repository holding `files` (path, text).
fn git_repo(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = temp_dir(name);
    let ok = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&dir)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "git init");
    for (path, text) in files {
        let to = dir.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    dir
}

/// `check` with no argument reads the repository it runs in: the manifest and the
/// Procfile the platform would read, named on a first line, then their findings.
#[test]
fn check_without_arguments_reads_the_repositorys_manifest_and_procfile() {
    let dir = git_repo(
        "repo-plain",
        &[
            ("scalingo.json", "{\"nme\": 1}"),
            ("Procfile", "web: run\n"),
            ("package.json", "{"),
        ],
    );
    let o = run_in(&dir, &["check", "--date", "2026-12-07"], b"");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.starts_with("repository .: manifest scalingo.json, Procfile Procfile (PROJECT_DIR the root, unset; tried scalingo.json)\n"), "{out}");
    assert!(out.contains(" --> scalingo.json:1:2\n"), "{out}");
    assert!(
        out.ends_with("checked 2 files: 0 errors, 1 warning, 0 notes\n"),
        "{out}"
    );
    assert!(
        !out.contains("package.json"),
        "only what the platform reads"
    );
}

/// A monorepo: PROJECT_DIR from `--project-dir` or the environment picks the app's folder;
/// the manifest is found walking up, the Procfile only in PROJECT_DIR; an `app.json` beside
/// a `scalingo.json` is reported as ignored. The same run from a subfolder finds the root.
#[test]
fn check_a_monorepo_folder_with_project_dir() {
    let dir = git_repo(
        "repo-monorepo",
        &[
            ("scalingo.json", "{\"name\": \"root\"}"),
            ("app.json", "{\"name\": \"ignored\"}"),
            ("api/Procfile", "web: run\n"),
            ("api/src/main.rs", ""),
            ("Procfile", "web: root\n"),
        ],
    );
    let o = run_in(
        &dir,
        &[
            "check",
            "--date",
            "2026-12-07",
            "--format",
            "json",
            "--project-dir",
            "api",
            ".",
        ],
        b"",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let reports: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<(&str, &str)> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["file"].as_str().unwrap(), r["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            (".", "repository"),
            ("scalingo.json", "manifest"),
            ("api/Procfile", "procfile")
        ]
    );
    let located = &reports[0]["located"];
    assert_eq!(located["project_dir"], "api");
    assert_eq!(located["project_dir_from"], "--project-dir");
    assert_eq!(
        located["searched"],
        serde_json::json!(["api/scalingo.json", "api/app.json", "scalingo.json"])
    );
    assert_eq!(reports[0]["diagnostics"][0]["code"], "SM0721", "{reports}");
    // From the app's folder, with PROJECT_DIR in the environment.
    let o = Command::new(BIN)
        .args(["check", "--date", "2026-12-07", "--format", "json"])
        .current_dir(dir.join("api"))
        .env("PROJECT_DIR", "api")
        .output()
        .unwrap();
    let reports: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(reports[0]["located"]["project_dir_from"], "PROJECT_DIR");
    assert_eq!(reports[0]["located"]["manifest"], "scalingo.json");
    assert_eq!(
        reports[0]["file"],
        dir.canonicalize().unwrap().display().to_string()
    );
    // A PROJECT_DIR that names no folder is the repository's warning; `..` its error.
    let o = run_in(
        &dir,
        &["check", "--date", "2026-12-07", "--project-dir", "web"],
        b"",
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("warning[SM0705]"));
    let o = run_in(
        &dir,
        &["check", "--date", "2026-12-07", "--project-dir", "../x"],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("error[SM0700]"));
}

/// A folder that is not a git repository is read as the root itself; with no manifest the
/// note says so and nothing else is checked.
#[test]
fn check_a_plain_folder_without_a_manifest() {
    // Outside this checkout (a git repository, which would be the root found).
    let dir = std::env::temp_dir().join(format!("scalingo-manifest-plain-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if dir.ancestors().any(|a| a.join(".git").exists()) {
        return;
    }
    std::fs::create_dir_all(dir.join("app")).unwrap();
    let o = run_in(&dir, &["check", "--date", "2026-12-07", "app"], b"");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.starts_with("repository app: manifest none, Procfile none"),
        "{out}"
    );
    assert!(out.contains("note[SM0720]"), "{out}");
    assert!(
        out.ends_with("checked 0 files: 0 errors, 0 warnings, 1 note\n"),
        "{out}"
    );
}

/// `resolve --help` and `explain --help` name the scenario format's page and end with a
/// minimal scenario that resolves as it is.
#[test]
fn the_scenario_help_names_the_format_and_its_example_runs() {
    let dir = temp_dir("scenario-help");
    for command in ["resolve", "explain"] {
        let help = stdout(&run_in(&dir, &[command, "--help"], b""));
        assert!(
            help.contains("The scenario format is spec/scenario.md"),
            "{help}"
        );
        let example = &help[help.find("  {\"kind\"").expect("an example")..];
        let example = &example[..example.find("\n\n").unwrap_or(example.len())];
        assert!(help.contains("explain --review-app --parent-env"), "{help}");
        std::fs::write(dir.join("min.json"), example).unwrap();
        let o = run_in(&dir, &["explain", "min.json"], b"");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).starts_with("review app `my-app-pr12` (https://my-app-pr12.osc-fr1.scalingo.io) on 2026-12-07 -> ok\n"));
    }
}

/// `--project-dir` with files only (no folder) is not dropped without a word.
#[test]
fn project_dir_without_a_folder_is_noted() {
    let dir = temp_dir("project-dir-files");
    std::fs::write(dir.join("scalingo.json"), "{}").unwrap();
    let o = run_in(
        &dir,
        &["check", "--project-dir", "api", "scalingo.json"],
        b"",
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        "note: --project-dir is used for folder arguments only, and none was given\n"
    );
}

/// A repository folder with more entries than locate reads (10,000) is reported as too
/// large (SM0712), whatever the entries are, and nothing in it is checked.
#[test]
fn a_repository_folder_too_large_to_read_is_reported() {
    let dir = git_repo("repo-too-large", &[("scalingo.json", "{\"nme\": 1}")]);
    for i in 0..10_000 {
        std::fs::create_dir(dir.join(format!("d{i}"))).unwrap();
    }
    let o = run_in(
        &dir,
        &["check", "--date", "2026-12-07", "--format", "json"],
        b"",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "no file checked: {v}");
    let codes: Vec<&str> = v[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["SM0712"]);
}

/// Runs git in `dir` (an identity given, so that a commit works on any machine).
fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "git {args:?}");
}

/// A monorepo: the app in `api/` (PROJECT_DIR), another app's manifest in `web/`, files
/// locate never reads; committed, then `api/scalingo.json` changed in the working tree.
fn monorepo(name: &str) -> PathBuf {
    let dir = git_repo(
        name,
        &[
            (
                "api/scalingo.json",
                "{\"env\": {\"V\": {\"value\": \"committed\"}}}\n",
            ),
            ("api/Procfile", "web: ./api\npostdeploy: ./migrate\n"),
            ("api/main.go", "package main\n"),
            ("web/app.json", "{}\n"),
            ("README.md", "# mono\n"),
        ],
    );
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "init"]);
    write(
        &dir,
        "api/scalingo.json",
        "{\"env\": {\"V\": {\"value\": \"working\"}}}\n",
    );
    dir
}

const REVIEW: [&str; 8] = [
    "--review-app",
    "--parent-var",
    "PROJECT_DIR=api",
    "--seed",
    "1",
    "--date",
    "2026-12-07",
    "--print-scenario",
];

/// SCN-8, LOC-9: a scenario built from a working tree or from a commit holds the files
/// locate reads in the folders from the root to PROJECT_DIR, with their texts at that
/// tree; from a subfolder, the repository is the same.
#[test]
fn scn_8_scenarios_from_a_working_tree_and_a_revision() {
    let dir = monorepo("scn8-trees");
    let files = |o: &Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
        json(o)["repository"]["files"].clone()
    };
    let working = files(&run_in(
        &dir,
        &[&["resolve"][..], &REVIEW[..]].concat(),
        b"",
    ));
    assert_eq!(
        working,
        serde_json::json!({
            "api/Procfile": "web: ./api\npostdeploy: ./migrate\n",
            "api/scalingo.json": "{\"env\": {\"V\": {\"value\": \"working\"}}}\n",
        })
    );
    let committed = files(&run_in(
        &dir,
        &[&["resolve", "--rev", "HEAD"][..], &REVIEW[..]].concat(),
        b"",
    ));
    assert_eq!(
        committed["api/scalingo.json"],
        "{\"env\": {\"V\": {\"value\": \"committed\"}}}\n"
    );
    assert_eq!(committed["api/Procfile"], working["api/Procfile"]);
    let from_sub = files(&run_in(
        &dir.join("api"),
        &[&["resolve"][..], &REVIEW[..]].concat(),
        b"",
    ));
    assert_eq!(from_sub, working);
    let elsewhere = temp_dir("scn8-elsewhere");
    let repo = dir.to_str().unwrap();
    let given = files(&run_in(
        &elsewhere,
        &[
            &["explain", "--repo", repo, "--rev", "HEAD"][..],
            &REVIEW[..],
        ]
        .concat(),
        b"",
    ));
    assert_eq!(given, committed);
}

/// SCN-8: the printed scenario resolves to what the flags resolve to, and explain reads
/// the manifest and the Procfile of PROJECT_DIR.
#[test]
fn scn_8_the_printed_scenario_resolves_as_the_flags_do() {
    let dir = monorepo("scn8-print");
    let flags = &REVIEW[..REVIEW.len() - 1];
    let printed = run_in(&dir, &[&["resolve"][..], &REVIEW[..]].concat(), b"");
    assert_eq!(printed.status.code(), Some(0), "{}", stderr(&printed));
    // Optional fields without a value are left out, as a case file writes them.
    assert!(!stdout(&printed).contains("null"), "{}", stdout(&printed));
    write(&dir, "scenario.json", &stdout(&printed));
    let from_file = run_in(&dir, &["resolve", "scenario.json"], b"");
    let from_flags = run_in(&dir, &[&["resolve"][..], flags].concat(), b"");
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    assert_eq!(stdout(&from_file), stdout(&from_flags));
    let explained = run_in(
        &dir,
        &[&["explain", "--attempts", "fail,ok"][..], flags].concat(),
        b"",
    );
    let text = stdout(&explained);
    assert!(text.contains("api/scalingo.json"), "{text}");
    assert!(text.contains("V = \"working\""), "{text}");
    assert!(text.contains("attempt 1: postdeploy `./migrate`"), "{text}");
    assert!(text.contains("attempt 2:"), "{text}");
}

/// SCN-8: a PROJECT_DIR folder that holds no file locate reads is kept by one path with an
/// empty text, and a note says so; an app.json beside the scalingo.json is kept and
/// shadowed (LOC-5).
#[test]
fn scn_8_project_dir_marker_and_shadowed_app_json() {
    let dir = git_repo(
        "scn8-marker",
        &[
            ("scalingo.json", "{}\n"),
            ("app.json", "{\"name\": \"heroku\"}\n"),
            ("front/index.js", "x\n"),
        ],
    );
    let o = run_in(
        &dir,
        &[
            "resolve",
            "--one-click",
            "--env",
            "PROJECT_DIR=front",
            "--source",
            "https://github.com/o/r",
            "--print-scenario",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = &json(&o)["repository"]["files"];
    assert_eq!(
        files,
        &serde_json::json!({
            "app.json": "{\"name\": \"heroku\"}\n",
            "front/index.js": "",
            "scalingo.json": "{}\n",
        })
    );
    assert!(
        stderr(&o).contains("note: `front/index.js` stands in the scenario for the folder `front`"),
        "{}",
        stderr(&o)
    );
    let o = run_in(
        &dir,
        &[
            "resolve",
            "--one-click",
            "--env",
            "PROJECT_DIR=front",
            "--source",
            "https://github.com/o/r",
        ],
        b"",
    );
    let v = json(&o);
    assert_eq!(v["manifest"]["path"], "scalingo.json", "{v}");
    assert_eq!(v["request"], Value::Null);
    assert_eq!(
        v["source"]["repository"]["url"], "https://github.com/o/r",
        "{v}"
    );
}

/// SCN-8: `--manifest` and `--procfile` stand for a repository of two files; the parent
/// comes from a JSON file and a dotenv file.
#[test]
fn scn_8_files_and_the_parent_from_files() {
    let dir = temp_dir("scn8-files");
    write(&dir, "m.json", "{\"addons\": []}\n");
    write(&dir, "app.json", "{}\n");
    write(&dir, "P", "web: ./run\n");
    write(
        &dir,
        "parent.json",
        "{\"name\": \"prod\", \"addons\": [{\"addon\": \"postgresql\", \"plan\": \"postgresql-starter-512\"}], \"addon_vars\": [\"DATABASE_URL\"]}",
    );
    write(
        &dir,
        "parent.env",
        "DATABASE_URL=postgres://u:p@h/db\nB=a$b #c \n",
    );
    let o = run_in(
        &dir,
        &[
            "resolve",
            "--review-app",
            "--manifest",
            "m.json",
            "--procfile",
            "P",
            "--parent",
            "parent.json",
            "--parent-env",
            "parent.env",
            "--pr",
            "9",
            "--print-scenario",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        v["repository"]["files"],
        serde_json::json!({"scalingo.json": "{\"addons\": []}\n", "Procfile": "web: ./run\n"})
    );
    assert_eq!(v["app"]["name"], "prod-pr9");
    assert_eq!(
        v["parent"]["env"],
        serde_json::json!({"DATABASE_URL": "postgres://u:p@h/db", "B": "a$b #c "})
    );
    assert_eq!(v["parent"]["addons"][0]["addon"], "postgresql");
    let o = run_in(
        &dir,
        &[
            "resolve",
            "--review-app",
            "--manifest",
            "app.json",
            "--print-scenario",
        ],
        b"",
    );
    assert_eq!(
        json(&o)["repository"]["files"],
        serde_json::json!({"app.json": "{}\n"})
    );
}

/// SCN-8: what cannot be read or does not parse is an error on stderr, exit 2, nothing on
/// stdout; a flag that would be ignored is refused.
#[test]
fn scn_8_bad_input_exits_2_and_writes_nothing() {
    let dir = monorepo("scn8-bad");
    write(&dir, "bad.env", "A=1\n-----BEGIN KEY-----\n");
    write(&dir, "twice.env", "A=1\n");
    write(&dir, "parent.json", "{\"name\": \"p\", \"envv\": {}}");
    write(&dir, "scenario.json", "{}");
    // Outside the checkout (the tests' temporary folders are in it): no repository above.
    let plain =
        std::env::temp_dir().join(format!("scalingo-manifest-no-repo-{}", std::process::id()));
    std::fs::create_dir_all(&plain).unwrap();
    let plain_dir = plain.to_str().unwrap();
    let cases: [(&[&str], &str); 11] = [
        (
            &["--review-app", "--rev", "no-such-rev"],
            "unknown revision `no-such-rev`",
        ),
        (
            &["--review-app", "--repo", plain_dir, "--rev", "HEAD"],
            "is not in a git repository",
        ),
        (
            &["--review-app", "--parent-env", "bad.env"],
            "bad.env:2: not a `NAME=VALUE` line",
        ),
        (
            &[
                "--review-app",
                "--parent-env",
                "twice.env",
                "--parent-var",
                "A=2",
            ],
            "`A` is given twice",
        ),
        (
            &["--review-app", "--parent", "parent.json"],
            "parent.json:1:",
        ),
        (
            &["--review-app", "--parent-env", "missing.env"],
            "cannot read `missing.env`",
        ),
        (
            &["--review-app", "--parent-var", "A=1", "--parent-var", "A=2"],
            "`A` is given twice",
        ),
        (
            &["--review-app", "--source", "https://github.com/o/r"],
            "--source describes a one-click deploy",
        ),
        (&["--one-click", "--pr", "3"], "--pr describes a review app"),
        (
            &["scenario.json", "--seed", "1"],
            "--seed builds a scenario",
        ),
        (
            &["--review-app", "--attempts", "ok,maybe"],
            "unknown attempt `maybe`",
        ),
    ];
    for (args, expected) in cases {
        let o = run_in(&dir, &[&["resolve"][..], args].concat(), b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
    let _ = std::fs::remove_dir_all(&plain);
    for args in [
        &["--review-app", "--one-click"][..],
        &["--review-app", "--manifest", "m.json", "--rev", "HEAD"][..],
        &["scenario.json", "--review-app"][..],
    ] {
        let o = run_in(&dir, &[&["explain"][..], args].concat(), b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

/// SCN-9: the review app beside its parent, section by section; credentials masked unless
/// asked; kept entries only with --all; the same data as JSON.
#[test]
fn scn_9_diff_shows_the_review_app_beside_its_parent() {
    let dir = temp_dir("scn9-parent");
    let scenario = "../spec/examples/scenarios/review-app-with-parent.json";
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(scenario);
    let root = root.to_str().unwrap();
    let o = run_in(&dir, &["diff", root], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for line in [
        "review app `my-app-pr12` beside its parent `my-app`, on 2026-12-07 -> ok\n",
        "env: 2 added, 2 changed, 3 removed, 1 kept\n",
        "  ~ ENVIRONMENT: production -> staging  [ENV-9 (doc+D-19): manifest]\n",
        "  - NEW_RELIC_LICENSE_KEY (was ****)  [ENV-9 (doc+D-19): deleted-by-manifest]\n",
        "  - SCALINGO_POSTGRESQL_URL (was postgres://parent-db)  [ENV-8 (doc+D-18): parent-addon-var]\n",
        "  ~ web: 2 x L -> 1 x M  [FRM-4 (doc+D-15)]\n",
        "  - elasticsearch (was elasticsearch-starter-1024)\n",
        "  attempt 1: first-deploy `bundle exec rake db:migrate db:seed` [HOOK-8 (doc+D-12+D-13)]\n",
        "  note[SM1000] addons: ",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(
        !text.contains("  = "),
        "kept entries only with --all:\n{text}"
    );
    let all = stdout(&run_in(
        &dir,
        &["diff", "--all", "--show-values", root],
        b"",
    ));
    assert!(all.contains("  = stack: scalingo-22\n"), "{all}");
    assert!(all.contains("NEW_RELIC_LICENSE_KEY (was "), "{all}");
    assert!(!all.contains("****"), "{all}");
    let o = run_in(&dir, &["diff", "--format", "json", root], b"");
    let v = json(&o);
    assert_eq!(v["compared"], "parent");
    let env = v["env"].as_array().unwrap();
    let secret = env.iter().find(|e| e["name"] == "SECRET_KEY").unwrap();
    assert_eq!(
        (&secret["change"], &secret["before"], &secret["after"]),
        (&"changed".into(), &"****".into(), &"****".into())
    );
    assert_eq!(v["hooks"].as_array().unwrap().len(), 2);
}

/// SCN-9, ENV-16: with --base and --head, the review apps of two revisions; an inherited
/// credential is a warning, which --deny warnings turns into exit status 1.
#[test]
fn scn_9_diff_of_two_revisions_and_inherited_credentials() {
    let dir = monorepo("scn9-revisions");
    git(&dir, &["commit", "-q", "-a", "-m", "working"]);
    write(
        &dir,
        "parent.env",
        "PROJECT_DIR=api\nDATABASE_URL=postgres://u:pw@db/prod\n",
    );
    let base = [
        "diff",
        "--review-app",
        "--parent-env",
        "parent.env",
        "--base",
        "HEAD~1",
        "--head",
        "HEAD",
        "--date",
        "2026-12-07",
    ];
    let o = run_in(&dir, &base, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("review apps of `my-app` at `HEAD~1` -> at `HEAD`, on 2026-12-07\n"),
        "{text}"
    );
    assert!(
        text.contains("  ~ V: committed -> working  [ENV-9 (doc+D-19): manifest]\n"),
        "{text}"
    );
    assert!(
        text.contains("warning[SM0959] env: the review app inherits `DATABASE_URL`"),
        "{text}"
    );
    assert!(!text.contains("pw@db"), "{text}");
    let o = run_in(&dir, &[&base[..], &["--deny", "warnings"]].concat(), b"");
    assert_eq!(o.status.code(), Some(1));
    for args in [
        &["diff", "--one-click"][..],
        &["diff", "--review-app", "--base", "HEAD"][..],
        &["diff", "--review-app", "--base", "nope", "--head", "HEAD"][..],
    ] {
        let o = run_in(&dir, args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    write(
        &dir,
        "one-click.json",
        r#"{"kind": "one-click", "date": "2026-12-07", "app": {"name": "a"}}"#,
    );
    let o = run_in(&dir, &["diff", "one-click.json"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("compares a review app with its parent"),
        "{}",
        stderr(&o)
    );
}

/// Microsoft's SARIF Multitool, installed by `tools/sarif-multitool/` (npm) when it is not
/// yet: the path of its binary.
fn sarif_multitool() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/sarif-multitool");
    let binary = root.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    if !binary.exists() {
        let ok = Command::new("npm")
            .args([
                "ci",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&root)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "npm ci --prefix tools/sarif-multitool (Node.js and npm are needed)"
        );
    }
    // npm may not run the package's install script, which makes the binary executable.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut mode = std::fs::metadata(&binary)
            .expect("the multitool")
            .permissions();
        mode.set_mode(mode.mode() | 0o100);
        std::fs::set_permissions(&binary, mode).expect("chmod");
    }
    binary
}

/// DIAG-14: `check --format sarif` is valid SARIF 2.1.0 for Microsoft's validator (no
/// error and no warning of its own rules), with one rule per code found and one result per
/// finding, its region the finding's line, column and bytes.
#[test]
fn diag_14_sarif_passes_microsofts_validator() {
    let dir = temp_dir("diag14-sarif");
    write(&dir, "app.json", MARTINI);
    write(&dir, "my app.json", "{\"env\": {\"A\": 1}}\n");
    write(&dir, "Procfile", "web: run\nweb: again\n");
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "sarif",
            "--date",
            "2026-12-07",
            "--sarif-help-base",
            "https://example.com/docs/codes/",
            "app.json",
            "my app.json",
            "Procfile",
            "missing.json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let log = json(&o);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"],
        "missing.json"
    );
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut sorted = rules.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(rules, sorted, "one rule per code, in code order");
    let results = run["results"].as_array().unwrap();
    let first = &results[0];
    assert_eq!(first["ruleId"], "SM0009");
    assert_eq!(
        rules[first["ruleIndex"].as_u64().unwrap() as usize],
        "SM0009"
    );
    assert_eq!(
        first["locations"][0]["physicalLocation"]["region"]["startLine"],
        27
    );
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20app.json"
    ));
    assert_eq!(
        run["tool"]["driver"]["rules"][0]["helpUri"],
        "https://example.com/docs/codes/SM0009.md"
    );
    std::fs::write(dir.join("check.sarif"), &o.stdout).unwrap();
    let validation = dir.join("validation.sarif");
    let _ = std::fs::remove_file(&validation);
    let ran = Command::new(sarif_multitool())
        .args([
            "validate",
            "check.sarif",
            "-o",
            "validation.sarif",
            "--level",
            "Error;Warning;Note",
            "--kind",
            "Fail",
        ])
        .current_dir(&dir)
        .output()
        .expect("run the multitool");
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stdout)
    );
    let report: Value = serde_json::from_slice(&std::fs::read(&validation).unwrap()).unwrap();
    let serious: Vec<String> = report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] != "note")
        .map(|r| r.to_string())
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
}

/// DIAG-14: `docs/codes/` holds the page of every code, as `codes --pages` writes it, and
/// nothing else (run `scalingo-manifest codes --pages docs/codes` after changing a code or
/// its rule).
#[test]
fn diag_14_the_code_pages_are_current() {
    let dir = temp_dir("diag14-pages");
    let o = run_in(&dir, &["codes", "--pages", "pages"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/codes");
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    let written = names(&dir.join("pages"));
    assert_eq!(written.len(), scalingo_manifest::catalogue().len());
    assert_eq!(
        names(&committed),
        written,
        "run `scalingo-manifest codes --pages docs/codes`"
    );
    for name in written {
        let fresh = std::fs::read_to_string(dir.join("pages").join(&name)).unwrap();
        let old = std::fs::read_to_string(committed.join(&name)).unwrap();
        assert_eq!(
            old, fresh,
            "docs/codes/{name}: run `scalingo-manifest codes --pages docs/codes`"
        );
    }
}

/// SCN-8: `--parent-addon-var` names the parent's addon variables (ENV-8); `--manifest` and
/// `--procfile` are PROJECT_DIR's files; a link is not followed (it could name a file
/// outside the repository).
#[test]
fn scn_8_addon_variables_project_dir_files_and_links() {
    let dir = temp_dir("scn8-more");
    write(&dir, "m.json", "{}\n");
    write(&dir, "P", "web: ./run\n");
    let o = run_in(
        &dir,
        &[
            "resolve",
            "--review-app",
            "--manifest",
            "m.json",
            "--procfile",
            "P",
            "--parent-var",
            "PROJECT_DIR=api",
            "--parent-var",
            "SCALINGO_REDIS_URL=redis://:p@h",
            "--parent-addon-var",
            "SCALINGO_REDIS_URL",
            "--print-scenario",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        v["repository"]["files"],
        serde_json::json!({"api/scalingo.json": "{}\n", "api/Procfile": "web: ./run\n"})
    );
    assert_eq!(
        v["parent"]["addon_vars"],
        serde_json::json!(["SCALINGO_REDIS_URL"])
    );
    #[cfg(unix)]
    {
        let repo = git_repo("scn8-link", &[("Procfile", "web: ./run\n")]);
        std::os::unix::fs::symlink("/etc/hostname", repo.join("scalingo.json")).unwrap();
        let o = run_in(&repo, &["resolve", "--review-app", "--print-scenario"], b"");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            json(&o)["repository"]["files"],
            serde_json::json!({"Procfile": "web: ./run\n"}),
            "the link is not read"
        );
    }
}

/// SCN-9: the base and head review apps draw their secrets from one seed, so an unchanged
/// generated value is not shown as changed; the base's hooks are shown when they differ.
#[test]
fn scn_9_revisions_share_a_seed_and_compare_hooks() {
    let dir = git_repo(
        "scn9-seed",
        &[("scalingo.json", "{\"env\": {\"SESSION_SALT\": {\"generator\": \"secret\"}}, \"scripts\": {\"first-deploy\": \"./seed\"}}\n")],
    );
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "one"]);
    write(
        &dir,
        "scalingo.json",
        "{\"env\": {\"SESSION_SALT\": {\"generator\": \"secret\"}}}\n",
    );
    git(&dir, &["commit", "-q", "-a", "-m", "two"]);
    let o = run_in(
        &dir,
        &[
            "diff",
            "--review-app",
            "--base",
            "HEAD~1",
            "--head",
            "HEAD",
            "--all",
            "--date",
            "2026-12-07",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("  = SESSION_SALT: "), "{text}");
    assert!(
        text.contains("hooks at `HEAD~1`, before\n  attempt 1: first-deploy `./seed`"),
        "{text}"
    );
}

/// DIAG-14: `--sarif-help-base` is an absolute http(s) URI; a final `/` is added.
#[test]
fn diag_14_sarif_help_base_is_checked() {
    let dir = temp_dir("diag14-base");
    write(&dir, "app.json", "{\"nme\": 1}");
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "sarif",
            "--sarif-help-base",
            "docs/codes",
            "app.json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "sarif",
            "--sarif-help-base",
            "https://example.com/codes",
            "app.json",
        ],
        b"",
    );
    assert_eq!(
        json(&o)["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"],
        "https://example.com/codes/SM0108.md"
    );
}

/// SCN-9: a revision whose scenario stops at an error has empty sections; the header says
/// so, its findings follow, and the exit status is 1.
#[test]
fn scn_9_a_base_that_stops_at_an_error_is_named() {
    let dir = git_repo("scn9-bad-base", &[("scalingo.json", "{\n")]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "broken"]);
    write(&dir, "scalingo.json", "{}\n");
    git(&dir, &["commit", "-q", "-a", "-m", "mended"]);
    let o = run_in(
        &dir,
        &[
            "diff",
            "--review-app",
            "--base",
            "HEAD~1",
            "--head",
            "HEAD",
            "--date",
            "2026-12-07",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.lines().next().is_some_and(|l| l.ends_with(
            "; the scenario at `HEAD~1` stops at an error (its findings below), so its sections are empty"
        )),
        "{text}"
    );
    assert!(
        text.contains("\ndiagnostics at `HEAD~1` (error)\n"),
        "{text}"
    );
}
