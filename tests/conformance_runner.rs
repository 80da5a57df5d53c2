//! The conformance runner (`scalingo-manifest conformance run`, `spec/protocol.md`) end to
//! end, against real processes:
//!
//! * the reference harness passes every case, in persistent and in per-case mode;
//! * expected failures: a listed case that fails is expected, one that passes, one that is
//!   no longer in the suite, or one whose capability is not declared fails the run;
//! * a crashing, hanging or garbled implementation (small Python fakes written in a temp
//!   dir, wrapping the reference harness) is reported case by case and the run goes on
//!   with a restarted process;
//! * wrong engines: for every rule family, `harness --break FAMILY` answers wrongly in
//!   exactly the cases that exercise the family, and the runner reports exactly those.
//!   "Exercise" is defined as `harness.rs` documents it and computed here on its own from
//!   the suite's expected outputs: the case's `expected` holds a diagnostic whose code
//!   enforces a rule of the family, or a non-empty value in an output field the family
//!   decides (the table in `family_fields` below);
//! * the two adapters of `spec/protocol.md` work as written there.
//!
//! The fakes need `python3`, the example adapters `python3` and `node`; without them those
//! tests say so and pass, except in CI (`CI` set).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use scalingo_manifest_conformance::protocol::Feature;
use scalingo_manifest_conformance::runner::{
    self, ExpectedFailures, Filter, Mode, Outcome, Report, RunConfig, Verdict,
};
use scalingo_manifest_conformance::{Capability, Case};
use serde_json::Value;

#[path = "common/binary.rs"]
mod binary;
use binary::{check_binary_identity, BIN};

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn suite() -> &'static [Case] {
    static SUITE: OnceLock<Vec<Case>> = OnceLock::new();
    SUITE.get_or_init(|| {
        runner::load_cases(&root().join("spec").join("vectors"))
            .unwrap_or_else(|e| panic!("{}", e.join("\n")))
    })
}

fn harness(args: &str) -> String {
    check_binary_identity();
    format!("'{BIN}' harness {args}")
}

fn config(command: &str, mode: Mode, timeout_secs: u64) -> RunConfig {
    RunConfig {
        command: command.to_string(),
        mode,
        timeout: Duration::from_secs(timeout_secs),
        capabilities: Capability::ALL.to_vec(),
        features: Vec::new(),
    }
}

fn run(command: &str, filter: &[&str], xfail: &ExpectedFailures) -> Report {
    runner::run(
        suite(),
        &Filter::new(filter),
        xfail,
        None,
        &config(command, Mode::Persistent, 20),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// True when `program` runs (`program --version`). The fakes and the example adapters
/// need `python3` or `node`; without them the test says so and passes, except in CI (`CI`
/// set), where they must be installed.
fn available(program: &str) -> bool {
    let ok = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("`{program}` is not installed: this test is skipped");
        assert!(
            std::env::var_os("CI").is_none(),
            "`{program}` is required in CI"
        );
    }
    ok
}

/// A fresh directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("runner-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn xfail(lines: &str) -> ExpectedFailures {
    ExpectedFailures::parse(lines).unwrap_or_else(|e| panic!("{e:?}"))
}

fn ids<'a>(report: &'a Report, verdicts: &[Verdict]) -> BTreeSet<&'a str> {
    report
        .results
        .iter()
        .filter(|r| verdicts.contains(&r.verdict))
        .map(|r| r.id.as_str())
        .collect()
}

// ---------------------------------------------------------------------------------------
// The reference

#[test]
fn the_reference_harness_passes_every_case_in_persistent_mode() {
    let report = run(&harness(""), &[], &ExpectedFailures::default());
    let t = report.totals();
    assert_eq!(t.selected, suite().len());
    assert_eq!(t.passed, suite().len(), "{}", report.human());
    assert!(report.passed());
    assert_eq!(report.restarts, 0);
    assert_eq!(report.declared.implementation.name, "scalingo-manifest");
    assert_eq!(report.declared.features, vec![Feature::ExactSecrets]);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn the_reference_harness_passes_every_case_in_per_case_mode() {
    let report = runner::run(
        suite(),
        &Filter::default(),
        &ExpectedFailures::default(),
        None,
        &RunConfig {
            features: vec![Feature::ExactSecrets],
            ..config(&harness("--per-case"), Mode::PerCase, 20)
        },
    )
    .unwrap();
    assert_eq!(report.totals().passed, suite().len(), "{}", report.human());
    assert!(report.passed());
}

#[test]
fn the_cli_exits_0_1_2_and_writes_a_json_report() {
    check_binary_identity();
    let dir = temp_dir("cli");
    let cli = |args: &[&str]| {
        Command::new(BIN)
            .args(["conformance", "run", "--suite"])
            .arg(root().join("spec/vectors"))
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("run the binary")
    };
    let ok = cli(&[
        "--impl",
        &harness(""),
        "--filter",
        "procfile",
        "--format",
        "json",
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report: Value = serde_json::from_slice(&ok.stdout).expect("a JSON report");
    assert_report_schema(&report);
    assert_eq!(report["suite"]["verified"], true);
    assert_eq!(report["format"], "scalingo-manifest-conformance-report");
    assert_eq!(report["passed"], true);
    let n = suite()
        .iter()
        .filter(|c| c.capability == Capability::Procfile)
        .count();
    assert_eq!(report["totals"]["passed"], n);
    assert_eq!(report["cases"].as_array().map(Vec::len), Some(n));
    assert_eq!(report["cases"][0]["verdict"], "pass");

    let broken_json = cli(&[
        "--impl",
        &harness("--break PROC"),
        "--filter",
        "procfile",
        "--format",
        "json",
    ]);
    assert_eq!(broken_json.status.code(), Some(1));
    let failing: Value = serde_json::from_slice(&broken_json.stdout).expect("a JSON report");
    assert_report_schema(&failing);
    assert_eq!(failing["passed"], false);
    assert!(failing["cases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["differences"].is_array()));
    let broken = cli(&["--impl", &harness("--break PROC"), "--filter", "procfile"]);
    assert_eq!(broken.status.code(), Some(1));
    let text = String::from_utf8_lossy(&broken.stdout);
    assert!(text.contains("\nFAIL SMC-"), "{text}");
    assert!(text.trim_end().ends_with("FAIL"), "{text}");

    std::fs::write(dir.join("bad.txt"), "SMC-0001\n").unwrap();
    let usage = cli(&["--impl", &harness(""), "--xfail", "bad.txt"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("has no reason"));

    let no_start = cli(&["--impl", "exit 3"]);
    assert_eq!(no_start.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_start.stderr).contains("failed to start 3 times"));

    let wrong_flag = cli(&["--impl", &harness(""), "--features", "verdict-only"]);
    assert_eq!(wrong_flag.status.code(), Some(2));

    // A filter that selects nothing is a usage error, found before the implementation
    // starts (the marker file would show that it ran).
    let marker = dir.join("started");
    let touch = format!("touch '{}'", marker.display());
    for filter in [&["valdiate"][..], &["procfile", "MAN-ENV-2"], &["!*"]] {
        let mut args = vec!["--impl", touch.as_str()];
        for f in filter {
            args.extend(["--filter", f]);
        }
        let none = cli(&args);
        let stderr = String::from_utf8_lossy(&none.stderr);
        assert_eq!(none.status.code(), Some(2), "{filter:?}: {stderr}");
        assert!(
            stderr.starts_with("error: the filter "),
            "{filter:?}: {stderr}"
        );
        assert!(
            !marker.exists(),
            "{filter:?}: the implementation was started"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Limits on what the tools read (spec/protocol.md, "Limits")

/// `--xfail` and `--suite` are read within the limits of `conformance::files`: a device, a
/// folder, a file one byte over its limit and an oversized case file are refused at once
/// with a message naming them (`--xfail /dev/zero` used to grow without bound).
#[test]
fn files_the_runner_reads_are_bounded_and_must_be_regular_files() {
    use scalingo_manifest_conformance::files::{MAX_CASE_FILE_BYTES, MAX_XFAIL_FILE_BYTES};
    check_binary_identity();
    let dir = temp_dir("limits");
    let cli = |suite: &Path, args: &[&str]| {
        let started = std::time::Instant::now();
        let out = Command::new(BIN)
            .args(["conformance", "run", "--impl", &harness(""), "--suite"])
            .arg(suite)
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("run the binary");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "refused at once, not after reading: {args:?}"
        );
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let vectors = root().join("spec/vectors");
    let big = dir.join("big.txt");
    let line = "SMC-0001  a reason\n";
    let mut text = line.repeat(usize::try_from(MAX_XFAIL_FILE_BYTES).unwrap() / line.len() + 1);
    text.truncate(usize::try_from(MAX_XFAIL_FILE_BYTES).unwrap() + 1);
    std::fs::write(&big, text).unwrap();
    let big = big.display().to_string();
    let folder = dir.display().to_string();
    for (xfail, says) in [
        ("/dev/zero", "/dev/zero: a device, not a regular file"),
        (folder.as_str(), "a folder, not a regular file"),
        (big.as_str(), "larger than the limit of 1048576 bytes"),
        ("missing.txt", "missing.txt: "),
    ] {
        let (code, stderr) = cli(&vectors, &["--filter", "SMC-0001", "--xfail", xfail]);
        assert_eq!(code, Some(2), "{xfail}: {stderr}");
        assert!(stderr.contains(says), "{xfail}: {stderr}");
    }

    // a generated-style suite folder with one case file over the limit
    let case = suite().iter().find(|c| c.id == "SMC-0001").unwrap();
    let suite = dir.join("suite");
    std::fs::create_dir_all(suite.join("validate")).unwrap();
    std::fs::write(suite.join("validate/A.json"), case.to_canonical_json()).unwrap();
    let (code, stderr) = cli(&suite, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let padding = " ".repeat(usize::try_from(MAX_CASE_FILE_BYTES).unwrap());
    std::fs::write(
        suite.join("validate/B.json"),
        format!("{}{padding}", case.to_canonical_json()),
    )
    .unwrap();
    let (code, stderr) = cli(&suite, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("B.json: larger than the limit of 8388608 bytes"),
        "{stderr}"
    );
    // a case file that is a FIFO is refused, never opened for a blocking read
    std::fs::remove_file(suite.join("validate/B.json")).unwrap();
    let fifo = suite.join("validate/C.json");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let (code, stderr) = cli(&suite, &[]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("C.json: a FIFO"), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------
// Expected failures

#[test]
fn listed_failures_are_expected_and_listed_passes_fail_the_run() {
    let command = harness("--break FRM");
    let filter = ["formation", "hooks"];
    let first = run(&command, &filter, &ExpectedFailures::default());
    let failing = ids(&first, &[Verdict::Fail]);
    assert!(failing.len() > 5, "{}", first.human());
    assert!(!first.passed());

    // every failure listed: the run passes
    let all: String = failing
        .iter()
        .map(|id| format!("{id}  FRM is broken\n"))
        .collect();
    let listed = run(&command, &filter, &xfail(&all));
    assert!(listed.passed(), "{}", listed.human());
    assert_eq!(ids(&listed, &[Verdict::ExpectedFailure]), failing);

    // one passing case listed too: an unexpected pass, the run fails
    let passing = ids(&first, &[Verdict::Pass]);
    let extra = passing.iter().next().expect("a passing hooks case");
    let with_pass = run(&command, &filter, &xfail(&format!("{all}{extra}  wrong\n")));
    assert!(!with_pass.passed());
    assert_eq!(
        ids(&with_pass, &[Verdict::UnexpectedPass]),
        BTreeSet::from([*extra])
    );
    assert!(with_pass
        .human()
        .contains(&format!("UNEXPECTED PASS {extra}")));

    // a listed id that is not in the suite fails the run
    let gone = run(
        &command,
        &filter,
        &xfail(&format!("{all}SMC-9999  retired long ago\n")),
    );
    assert!(!gone.passed());
    assert_eq!(
        gone.unknown_listed,
        vec![("SMC-9999".to_string(), "retired long ago".to_string())]
    );
    assert_eq!(gone.totals().stale_expected_failures, 1);

    // a listed id of the suite that the filter leaves out is ignored
    let other = suite()
        .iter()
        .find(|c| c.capability == Capability::Env)
        .unwrap();
    let filtered = run(
        &command,
        &filter,
        &xfail(&format!("{all}{}  elsewhere\n", other.id)),
    );
    assert!(filtered.passed(), "{}", filtered.human());
}

/// A Python fake that declares `validate` only and answers through the reference harness.
fn validate_only_fake(dir: &Path) -> String {
    let script = dir.join("validate_only.py");
    std::fs::write(
        &script,
        format!(
            r#"import json, subprocess, sys
h = subprocess.Popen(["{BIN}", "harness"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for line in sys.stdin:
    req = json.loads(line)
    if req["cmd"] == "stop":
        break
    h.stdin.write(line); h.stdin.flush()
    answer = json.loads(h.stdout.readline())
    if req["cmd"] == "start":
        answer["capabilities"] = ["validate"]
        answer["implementation"]["name"] = "validate-only"
    elif req["case"]["id"] == "SMC-0002":
        answer = {{"seq": req["seq"], "skipped": "no generators here", "issue": "https://example.com/1"}}
    print(json.dumps(answer), flush=True)
"#
        ),
    )
    .unwrap();
    format!("python3 '{}'", script.display())
}

#[test]
fn undeclared_capabilities_are_not_run_and_their_listed_cases_are_stale() {
    check_binary_identity();
    if !available("python3") {
        return;
    }
    let dir = temp_dir("validate-only");
    let command = validate_only_fake(&dir);
    let env_case = suite()
        .iter()
        .find(|c| c.capability == Capability::Env)
        .unwrap();
    let filter = ["SMC-0001", "SMC-0002", "SMC-0003", env_case.id.as_str()];
    let report = run(
        &command,
        &filter,
        &xfail(&format!("{}  not implemented\n", env_case.id)),
    );
    assert_eq!(report.declared.implementation.name, "validate-only");
    let by_id = |id: &str| report.results.iter().find(|r| r.id == id).unwrap();
    assert_eq!(by_id("SMC-0001").verdict, Verdict::Pass);
    // SMC-0002 is required: skipping it fails, with the reason and the issue shown
    assert_eq!(by_id("SMC-0002").verdict, Verdict::Fail);
    assert!(report
        .human()
        .contains("skipped a required case: no generators here (https://example.com/1)"));
    assert_eq!(
        by_id(&env_case.id).verdict,
        Verdict::StaleExpectedFailure,
        "listed but never run"
    );
    assert!(matches!(by_id(&env_case.id).outcome, Outcome::NotRun(_)));
    assert!(!report.passed());
    // unlisted, an undeclared capability is simply not run
    let plain = run(&command, &filter, &xfail("SMC-0002  skipped on purpose\n"));
    assert!(plain.passed(), "{}", plain.human());
    assert_eq!(plain.totals().not_run, 1);
    assert_eq!(plain.totals().expected_failures, 1);
}

// ---------------------------------------------------------------------------------------
// Crashes, hangs and protocol errors

/// A Python fake that forwards to the reference harness but crashes on SMC-0003, hangs on
/// SMC-0005, writes garbage for SMC-0007 and answers SMC-0009 with a wrong seq. Each
/// process appends its pid to `pids.txt`.
fn misbehaving_fake(dir: &Path) -> String {
    let script = dir.join("misbehaving.py");
    let pids = dir.join("pids.txt");
    std::fs::write(
        &script,
        format!(
            r#"import json, os, subprocess, sys, time
with open("{pids}", "a") as f:
    f.write(f"{{os.getpid()}}\n")
h = subprocess.Popen(["{BIN}", "harness"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for line in sys.stdin:
    req = json.loads(line)
    if req["cmd"] == "stop":
        break
    case_id = req.get("case", {{}}).get("id")
    if case_id == "SMC-0003":
        sys.stderr.write("fake: giving up on SMC-0003\n"); sys.stderr.flush()
        os._exit(3)
    if case_id == "SMC-0005":
        time.sleep(600)
    if case_id == "SMC-0007":
        print("this is not JSON", flush=True)
        continue
    h.stdin.write(line); h.stdin.flush()
    answer = json.loads(h.stdout.readline())
    if case_id == "SMC-0009":
        answer["seq"] += 1000
    print(json.dumps(answer), flush=True)
"#,
            pids = pids.display()
        ),
    )
    .unwrap();
    format!("python3 '{}'", script.display())
}

/// True when process `pid` has exited (absent, or a zombie waiting for its parent).
fn is_gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

/// The run of the misbehaving fake (`misbehaving_fake`) over SMC-0001 to SMC-0012, with
/// SMC-0005 listed as an expected failure, and the fake's folder; `None` when python3 is
/// missing.
fn misbehaving_run(name: &str) -> Option<(Report, PathBuf)> {
    check_binary_identity();
    if !available("python3") {
        return None;
    }
    let dir = temp_dir(name);
    let command = misbehaving_fake(&dir);
    let filter: Vec<String> = (1..=12).map(|n| format!("SMC-{n:04}")).collect();
    let filter: Vec<&str> = filter.iter().map(String::as_str).collect();
    let report = runner::run(
        suite(),
        &Filter::new(&filter),
        &xfail("SMC-0005  hangs on purpose\n"),
        None,
        // Generous: a loaded machine can take seconds to restart python3, and a slow
        // restart must not be mistaken for the hang this test provokes on purpose.
        &config(&command, Mode::Persistent, 8),
    )
    .unwrap();
    Some((report, dir))
}

#[test]
fn crashes_hangs_and_protocol_errors_are_reported_and_the_run_goes_on() {
    let Some((report, dir)) = misbehaving_run("misbehaving") else {
        return;
    };
    let by_id = |id: &str| report.results.iter().find(|r| r.id == id).unwrap();
    match &by_id("SMC-0003").outcome {
        Outcome::Crashed(m) => {
            assert!(m.contains("exited"), "{m}");
            assert!(
                m.contains("fake: giving up on SMC-0003"),
                "stderr is shown: {m}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(by_id("SMC-0005").outcome, Outcome::TimedOut);
    assert_eq!(by_id("SMC-0005").verdict, Verdict::ExpectedFailure);
    assert!(matches!(&by_id("SMC-0007").outcome, Outcome::Crashed(m) if m.contains("not JSON")));
    assert!(
        matches!(&by_id("SMC-0009").outcome, Outcome::Crashed(m) if m.contains("answer for seq"))
    );
    let failed = ids(&report, &[Verdict::Fail]);
    assert_eq!(failed, BTreeSet::from(["SMC-0003", "SMC-0007", "SMC-0009"]));
    // every other case ran on a restarted process and passed
    assert_eq!(report.totals().passed, 12 - 4, "{}", report.human());
    assert_eq!(report.restarts, 4);
    let t = report.totals();
    assert_eq!((t.crashed, t.timed_out), (3, 1));
    // five processes were started (the first and four restarts); none is left running
    let pids = std::fs::read_to_string(dir.join("pids.txt")).unwrap();
    let pids: Vec<&str> = pids.lines().collect();
    assert_eq!(pids.len(), 5, "{pids:?}");
    std::thread::sleep(Duration::from_millis(200));
    for pid in pids {
        assert!(is_gone(pid), "process {pid} is still running");
    }
}

// ---------------------------------------------------------------------------------------
// Every process an implementation starts is ended (spec/protocol.md, "Processes")

/// The pid files the escaping implementations write: a child that called `setsid`, a
/// grandchild orphaned by a double fork, and an orphan that also left the session and
/// cleared its environment (only the CLI, which claims every orphan, ends that one).
const ESCAPEES: [&str; 3] = ["setsid", "double", "bare"];

/// The shell lines that start the three escapees in the background, each writing its pid
/// to `$D/<name>.pid`, and wait for the three files. Their stdio is /dev/null, so that
/// only the runner's process handling, not a pipe held open, decides what happens.
fn escapees() -> String {
    let sleep = "$(command -v sleep)";
    format!(
        r#"SLEEP={sleep}; SETSID=$(command -v setsid); SH=$(command -v sh)
setsid sh -c 'echo $$ > "$0/setsid.pid"; exec "$1" 300' "$D" "$SLEEP" </dev/null >/dev/null 2>&1 &
( sh -c 'echo $$ > "$0/double.pid"; exec "$1" 300' "$D" "$SLEEP" </dev/null >/dev/null 2>&1 & )
( env -i "$SETSID" "$SH" -c 'echo $$ > "$0/bare.pid"; exec "$1" 300' "$D" "$SLEEP" </dev/null >/dev/null 2>&1 & )
while [ ! -s "$D/setsid.pid" ] || [ ! -s "$D/double.pid" ] || [ ! -s "$D/bare.pid" ]; do sleep 0.05; done
"#
    )
}

/// A persistent-mode implementation in `sh`: it answers `start` (capability `validate`),
/// starts the escapees, then runs `then` for each `run` request (`$seq` is its seq).
fn escaping_impl(dir: &Path, then: &str) -> String {
    let script = dir.join("impl.sh");
    std::fs::write(
        &script,
        format!(
            r#"D='{dir}'
read -r line
echo '{{"version":1,"implementation":{{"name":"escaping","version":"1","language":"sh"}},"capabilities":["validate"],"features":["verdict-only"]}}'
{escapees}
while read -r line; do
  case "$line" in *'"cmd":"stop"'*) exit 0 ;; esac
  seq=$(printf '%s\n' "$line" | sed -n 's/.*"seq":\([0-9]*\).*/\1/p')
  {then}
done
"#,
            dir = dir.display(),
            escapees = escapees()
        ),
    )
    .unwrap();
    format!("sh '{}'", script.display())
}

/// The pid of each escapee, from its file.
fn escapee_pids(dir: &Path) -> Vec<(&'static str, String)> {
    ESCAPEES
        .iter()
        .map(|name| {
            let pid = std::fs::read_to_string(dir.join(format!("{name}.pid")))
                .unwrap_or_else(|e| panic!("{name}.pid: {e}"));
            (*name, pid.trim().to_string())
        })
        .collect()
}

/// Waits up to 3 seconds for every process of `pids` to be gone; the ones still running.
fn still_running(pids: &[(&'static str, String)]) -> Vec<String> {
    let until = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let left: Vec<String> = pids
            .iter()
            .filter(|(_, pid)| !is_gone(pid))
            .map(|(name, pid)| format!("{name} ({pid})"))
            .collect();
        if left.is_empty() || std::time::Instant::now() > until {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Kills what a test left on purpose (the `bare` escapee of a library run).
fn cleanup(pids: &[(&'static str, String)]) {
    for (_, pid) in pids {
        let _ = Command::new("kill").args(["-9", pid]).status();
    }
}

fn run_escaping(command: &str, mode: Mode) -> Report {
    runner::run(
        suite(),
        &Filter::new(&["SMC-0001"]),
        &ExpectedFailures::default(),
        None,
        &RunConfig {
            capabilities: vec![Capability::Validate],
            features: vec![Feature::VerdictOnly],
            ..config(command, mode, 3)
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Through the library (which does not claim every orphan): the escapees that kept the
/// implementation's token (`setsid`, `double`) are ended on a crash, on a timeout and at
/// the normal end of a run, in persistent and per-case mode.
#[cfg(target_os = "linux")]
#[test]
fn processes_that_leave_the_process_group_are_ended_with_the_implementation() {
    let answer = r#"echo "{\"seq\":$seq,\"errored\":\"no engine here\"}""#;
    for (name, then, outcome) in [
        ("crash", "exit 3", "crashed"),
        ("hang", "sleep 300", "timed-out"),
        ("normal", answer, "errored"),
    ] {
        let dir = temp_dir(&format!("escape-{name}"));
        let report = run_escaping(&escaping_impl(&dir, then), Mode::Persistent);
        let got = match &report.results[0].outcome {
            Outcome::Crashed(_) => "crashed",
            Outcome::TimedOut => "timed-out",
            Outcome::Errored(_) => "errored",
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(got, outcome, "{name}");
        let pids = escapee_pids(&dir);
        let left = still_running(&pids[..2]);
        cleanup(&pids);
        assert!(left.is_empty(), "{name}: still running: {left:?}");
    }

    let dir = temp_dir("escape-per-case");
    let script = dir.join("per_case.sh");
    std::fs::write(
        &script,
        format!(
            "D='{}'\ncat >/dev/null\n{}echo '{{\"skipped\": \"no engine here\"}}'\n",
            dir.display(),
            escapees()
        ),
    )
    .unwrap();
    let report = run_escaping(&format!("sh '{}'", script.display()), Mode::PerCase);
    assert!(
        matches!(report.results[0].outcome, Outcome::Skipped { .. }),
        "{}",
        report.human()
    );
    let pids = escapee_pids(&dir);
    let left = still_running(&pids[..2]);
    cleanup(&pids);
    assert!(left.is_empty(), "per-case: still running: {left:?}");
}

/// Through the CLI, which claims every orphan: even the escapee that cleared its
/// environment and left the session is ended, on a timeout and at the normal end.
#[cfg(target_os = "linux")]
#[test]
fn the_cli_ends_every_process_the_implementation_left_behind() {
    check_binary_identity();
    let answer = r#"echo "{\"seq\":$seq,\"errored\":\"no engine here\"}""#;
    for (name, then) in [("hang", "sleep 300"), ("normal", answer)] {
        let dir = temp_dir(&format!("cli-escape-{name}"));
        let out = Command::new(BIN)
            .args(["conformance", "run", "--suite"])
            .arg(root().join("spec/vectors"))
            .args(["--filter", "SMC-0001", "--timeout", "3", "--impl"])
            .arg(escaping_impl(&dir, then))
            .output()
            .expect("run the binary");
        assert_eq!(out.status.code(), Some(1), "{name}: {out:?}");
        let pids = escapee_pids(&dir);
        let left = still_running(&pids);
        cleanup(&pids);
        assert!(left.is_empty(), "{name}: still running: {left:?}");
    }
}

/// What is kept of a crashing implementation's stderr is bounded (2000 bytes), however
/// much it writes.
#[test]
fn a_crashing_implementations_stderr_is_bounded() {
    let dir = temp_dir("noisy");
    let script = dir.join("noisy.sh");
    std::fs::write(
        &script,
        r#"read -r line
echo '{"version":1,"implementation":{"name":"noisy","version":"1","language":"sh"},"capabilities":["validate"],"features":[]}'
read -r line
head -c 10000000 /dev/zero | tr '\0' x >&2
echo "the end" >&2
exit 3
"#,
    )
    .unwrap();
    let report = run_escaping(&format!("sh '{}'", script.display()), Mode::Persistent);
    match &report.results[0].outcome {
        Outcome::Crashed(m) => {
            assert!(
                m.ends_with("xxxthe end"),
                "{}",
                &m[m.len().saturating_sub(100)..]
            );
            assert!(m.len() < 2200, "{} bytes kept", m.len());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn per_case_mode_reports_crashes_hangs_and_garbage() {
    check_binary_identity();
    if !available("python3") {
        return;
    }
    let dir = temp_dir("per-case");
    let script = dir.join("per_case.py");
    std::fs::write(
        &script,
        format!(
            r#"import json, subprocess, sys, time
data = sys.stdin.read()
case_id = json.loads(data)["id"]
if case_id == "SMC-0003":
    sys.exit(1)
if case_id == "SMC-0005":
    time.sleep(600)
if case_id == "SMC-0007":
    print("{{\"output\": ")
    sys.exit(0)
out = subprocess.run(["{BIN}", "harness", "--per-case"], input=data, capture_output=True, text=True)
# pretty-printed answers are fine: the whole stdout is read
print(json.dumps(json.loads(out.stdout), indent=2))
"#
        ),
    )
    .unwrap();
    let filter = ["SMC-0001", "SMC-0002", "SMC-0003", "SMC-0005", "SMC-0007"];
    let report = runner::run(
        suite(),
        &Filter::new(&filter),
        &ExpectedFailures::default(),
        None,
        &RunConfig {
            capabilities: vec![Capability::Validate],
            ..config(&format!("python3 '{}'", script.display()), Mode::PerCase, 3)
        },
    )
    .unwrap();
    let by_id = |id: &str| report.results.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        by_id("SMC-0001").verdict,
        Verdict::Pass,
        "{}",
        report.human()
    );
    assert_eq!(by_id("SMC-0002").verdict, Verdict::Pass);
    assert!(matches!(&by_id("SMC-0003").outcome, Outcome::Crashed(m) if m.contains("no answer")));
    assert_eq!(by_id("SMC-0005").outcome, Outcome::TimedOut);
    assert!(
        matches!(&by_id("SMC-0007").outcome, Outcome::Crashed(m) if m.contains("protocol error"))
    );
    assert_eq!(report.declared.capabilities, vec![Capability::Validate]);
}

#[test]
fn another_protocol_version_stops_the_run() {
    let err = runner::run(
        suite(),
        &Filter::default(),
        &ExpectedFailures::default(),
        None,
        &config(
            r#"read line; echo '{"version": 2, "implementation": {"name": "n", "version": "1", "language": "sh"}, "capabilities": []}'; cat > /dev/null"#,
            Mode::Persistent,
            5,
        ),
    )
    .unwrap_err();
    assert!(err.message.contains("protocol version 2"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Wrong engines

/// The rule a diagnostic code enforces.
fn rule_of(code: &str) -> Option<&'static str> {
    scalingo_manifest::catalogue()
        .iter()
        .find(|c| c.as_str() == code)
        .map(|c| c.rule())
}

/// The output fields a family decides, per capability (the table of `harness.rs`,
/// written again here so that the test does not read it from the code under test).
fn family_fields(family: &str, capability: Capability) -> &'static [&'static str] {
    use Capability as C;
    match (family, capability) {
        ("ENV", C::Env) => &["/vars", "/removed"],
        ("ENV", C::Resolve) => &["/env/vars", "/env/removed"],
        ("ADD", C::Addons | C::Resolve) => &["/addons"],
        ("FW", C::Resolve) => &["/firewall/rules"],
        ("FRM", C::Formation | C::Resolve) => &["/formation"],
        ("HOOK", C::Hooks) => &["/attempts"],
        ("HOOK", C::Resolve) => &["/hooks"],
        ("LOC", C::Locate) => &["/manifest", "/procfile", "/searched"],
        ("LOC", C::Resolve) => &["/manifest/path", "/manifest/searched", "/procfile/path"],
        ("SRC", C::Source) => &[
            "/manifest_from",
            "/repository",
            "/ref",
            "/repository_from",
            "/ref_from",
        ],
        ("SRC", C::Resolve) => &["/source"],
        ("PROC", C::Procfile) => &["/process_types", "/entries", "/postdeploy"],
        ("PROC", C::Resolve) => &["/procfile"],
        ("SCN", C::Resolve) => &["/status"],
        _ => &[],
    }
}

fn non_empty(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => true,
    }
}

/// True when `case` exercises `family`: a diagnostic of the family in `expected`, or a
/// non-empty value in a field it decides (`GEN`: a variable with a generated value).
fn exercises(case: &Case, family: &str) -> bool {
    let in_family = |rule: &str| rule.rsplit_once('-').is_some_and(|(p, _)| p == family);
    let diag = case
        .expected
        .get("diagnostics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("code").and_then(Value::as_str))
        .filter_map(rule_of)
        .any(in_family);
    let field = family_fields(family, case.capability)
        .iter()
        .any(|p| case.expected.pointer(p).is_some_and(non_empty));
    let generated = family == "GEN"
        && ["/vars", "/env/vars"].iter().any(|p| {
            case.expected
                .pointer(p)
                .and_then(Value::as_object)
                .is_some_and(|vars| {
                    vars.values().any(|v| {
                        matches!(
                            v.get("origin").and_then(Value::as_str),
                            Some("secret" | "url" | "template")
                        )
                    })
                })
        });
    diag || field || generated
}

/// Runs the suite against `harness --break FAMILY` and checks that the cases the runner
/// reports (failures, and differences of implementation-defined cases) are exactly the
/// cases that exercise the family; returns how many, and prints how they relate to the
/// cases whose `rules` name the family.
fn check_wrong_engine(family: &str) -> usize {
    let report = run(
        &harness(&format!("--break {family}")),
        &[],
        &ExpectedFailures::default(),
    );
    let reported = ids(&report, &[Verdict::Fail, Verdict::ImplementationDefined]);
    for r in &report.results {
        if r.verdict == Verdict::Fail {
            assert!(
                matches!(&r.outcome, Outcome::Output { differences } if !differences.is_empty()),
                "{}: a wrong answer, not a crash: {:?}",
                r.id,
                r.outcome
            );
        }
    }
    let predicted: BTreeSet<&str> = suite()
        .iter()
        .filter(|c| exercises(c, family))
        .map(|c| c.id.as_str())
        .collect();
    assert!(!predicted.is_empty(), "no case exercises {family}");
    let missed: Vec<_> = predicted.difference(&reported).collect();
    let extra: Vec<_> = reported.difference(&predicted).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "{family}: exercised but not reported: {missed:?}; reported but not exercised: {extra:?}"
    );
    // How this relates to the cases whose `rules` list a rule of the family.
    let by_rules: BTreeSet<&str> = suite()
        .iter()
        .filter(|c| {
            c.rules
                .iter()
                .any(|r| r.rsplit_once('-').is_some_and(|(p, _)| p == family))
        })
        .map(|c| c.id.as_str())
        .collect();
    let both = by_rules.intersection(&reported).count();
    eprintln!(
        "--break {family}: {} cases reported = {} exercised; {} cases list a {family} rule, {both} of them reported",
        reported.len(),
        predicted.len(),
        by_rules.len()
    );
    reported.len()
}

macro_rules! wrong_engine_tests {
    ($($name:ident => $family:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_wrong_engine($family);
            }
        )*
    };
}

wrong_engine_tests! {
    wrong_engine_json => "JSON",
    wrong_engine_lim => "LIM",
    wrong_engine_man => "MAN",
    wrong_engine_man_env => "MAN-ENV",
    wrong_engine_man_add => "MAN-ADD",
    wrong_engine_man_frm => "MAN-FRM",
    wrong_engine_man_scr => "MAN-SCR",
    wrong_engine_proc => "PROC",
    wrong_engine_proc_lim => "PROC-LIM",
    wrong_engine_loc => "LOC",
    wrong_engine_src => "SRC",
    wrong_engine_env => "ENV",
    wrong_engine_gen => "GEN",
    wrong_engine_add => "ADD",
    wrong_engine_fw => "FW",
    wrong_engine_frm => "FRM",
    wrong_engine_hook => "HOOK",
    wrong_engine_scn => "SCN",
    wrong_engine_scn_lim => "SCN-LIM",
}

#[test]
fn every_family_the_harness_can_break_has_a_test() {
    let tested = [
        "JSON", "LIM", "MAN", "MAN-ENV", "MAN-ADD", "MAN-FRM", "MAN-SCR", "PROC", "PROC-LIM",
        "LOC", "SRC", "ENV", "GEN", "ADD", "FW", "FRM", "HOOK", "SCN", "SCN-LIM",
    ];
    assert_eq!(
        scalingo_manifest_conformance::harness::FAMILIES,
        &tested[..]
    );
}

// ---------------------------------------------------------------------------------------
// The adapters of spec/protocol.md

/// The fenced code block right after `<!-- example: NAME -->` in `spec/protocol.md`.
fn protocol_example(name: &str) -> String {
    let text = std::fs::read_to_string(root().join("spec/protocol.md")).unwrap();
    let marker = format!("<!-- example: {name} -->");
    let start = text.find(&marker).unwrap_or_else(|| panic!("no {marker}"));
    let after = &text[start + marker.len()..];
    let open = after.find("```").expect("a fenced block");
    let body = &after[open..];
    let first_newline = body.find('\n').expect("a fence line");
    let body = &body[first_newline + 1..];
    let close = body.find("\n```").expect("a closing fence");
    body[..=close].to_string()
}

fn check_example_adapter(file: &str, interpreter: &str) {
    check_binary_identity();
    if !available(interpreter) {
        return;
    }
    let dir = temp_dir(&format!("example-{file}"));
    let path = dir.join(file);
    std::fs::write(&path, protocol_example(file)).unwrap();
    let report = run(
        &format!("{interpreter} '{}'", path.display()),
        &[],
        &ExpectedFailures::default(),
    );
    let t = report.totals();
    let validate = suite()
        .iter()
        .filter(|c| c.capability == Capability::Validate)
        .count();
    assert_eq!(report.declared.features, vec![Feature::VerdictOnly]);
    assert_eq!(
        t.not_run,
        suite().len() - validate,
        "only validate is declared"
    );
    assert_eq!(
        (t.crashed, t.errored, t.timed_out),
        (0, 0, 0),
        "{}",
        report.human()
    );
    assert_eq!(t.passed + t.failed, validate);
    // "a JSON object is valid" is right for most cases, and wrong for the others
    assert!(t.passed > validate / 2 && t.failed > 10, "{t:?}");
}

#[test]
fn the_python_adapter_of_the_protocol_page_works_as_written() {
    check_example_adapter("adapter.py", "python3");
}

#[test]
fn the_node_adapter_of_the_protocol_page_works_as_written() {
    check_example_adapter("adapter.js", "node");
}

/// Issue 14's yardstick: an implementation whose JSON parser gives no positions (here the
/// reference with `line` and `column` taken out of its findings) passes at the
/// `no-positions` level, and the report says which level it measured; without declaring
/// the feature, each finding it gives is a near miss, not a missing plus an unexpected one.
#[test]
fn an_implementation_without_positions_passes_at_the_no_positions_level() {
    check_binary_identity();
    if !available("python3") {
        return;
    }
    let dir = temp_dir("no-positions");
    let script = dir.join("no_positions.py");
    std::fs::write(
        &script,
        format!(
            r#"import json, subprocess, sys
data = sys.stdin.read()
out = json.loads(subprocess.run(["{BIN}", "harness", "--per-case"], input=data, capture_output=True, text=True).stdout)
for d in out.get("output", {{}}).get("diagnostics", []):
    d.pop("line", None)
    d.pop("column", None)
print(json.dumps(out))
"#
        ),
    )
    .unwrap();
    let filter = ["validate", "JSON-*"];
    let run_with = |features: Vec<Feature>| {
        runner::run(
            suite(),
            &Filter::new(&filter),
            &ExpectedFailures::default(),
            None,
            &RunConfig {
                capabilities: vec![Capability::Validate],
                features,
                ..config(
                    &format!("python3 '{}'", script.display()),
                    Mode::PerCase,
                    20,
                )
            },
        )
        .unwrap()
    };
    let leveled = run_with(vec![Feature::NoPositions]);
    assert!(leveled.passed(), "{}", leveled.human());
    assert_eq!(leveled.level(), runner::Level::NoPositions);
    assert_eq!(leveled.json()["level"], "no-positions");
    let human = leveled.human();
    assert!(
        human.contains("\nlevel: no-positions (codes, severities and pointers compared; not the line and column of findings)\n"),
        "{human}"
    );
    assert!(leveled.totals().passed >= 20, "{human}");
    let summary = leveled.summary();
    assert!(
        summary.contains(", level no-positions: ") && summary.ends_with(" cases: PASS"),
        "{summary}"
    );
    assert!(human.ends_with(&format!("{summary}\nPASS\n")), "{human}");

    let full = run_with(Vec::new());
    assert!(!full.passed());
    assert_eq!(full.level(), runner::Level::Full);
    let mut kinds = std::collections::BTreeSet::new();
    for r in &full.results {
        if let Outcome::Output { differences } = &r.outcome {
            kinds.extend(differences.iter().map(|d| d.kind.as_str()));
        }
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["near-miss"]);
    let text = full.human();
    assert!(
        text.contains(": near miss (column, line differ): expected {\"code\":"),
        "{text}"
    );
    assert!(text.contains("     case: validate/SMC-"), "{text}");
    assert!(
        text.contains("     input: {\"date\":\"2026-12-07\""),
        "{text}"
    );
}

/// A JSON report validates against the published report schema
/// (`spec/vectors/report.schema.json`, `runner::REPORT_SCHEMA`).
fn assert_report_schema(report: &Value) {
    let schema: Value =
        serde_json::from_str(runner::REPORT_SCHEMA).expect("the report schema is JSON");
    let validator = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("invalid report schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The report schema accepts every outcome and difference kind the runner writes, and
/// rejects a report that breaks it.
#[test]
fn the_report_schema_covers_every_outcome_and_refuses_a_broken_report() {
    let Some((report, _)) = misbehaving_run("report-schema") else {
        return;
    };
    let json = report.json();
    assert_report_schema(&json);
    let outcomes: std::collections::BTreeSet<&str> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["outcome"].as_str())
        .collect();
    assert!(outcomes.len() >= 3, "{outcomes:?}");
    let schema: Value = serde_json::from_str(runner::REPORT_SCHEMA).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut broken = json.clone();
    broken["level"] = Value::from("partial");
    assert!(!validator.is_valid(&broken));
    let mut broken = json;
    broken["cases"][0]["verdict"] = Value::from("maybe");
    assert!(!validator.is_valid(&broken));
}

/// Expected failures by rule: an implementation that does not implement the MAN-SCR rules
/// (the reference with that family broken) lists those rules instead of every case; the
/// cases that fail only there are expected failures with the rule's reason, and an entry
/// that names nothing of the suite is stale.
#[test]
fn expected_failures_by_rule_excuse_the_findings_of_that_rule() {
    check_binary_identity();
    let broken = harness("--break MAN-SCR");
    let filter = ["validate", "MAN-SCR-*"];
    let first = run(&broken, &filter, &ExpectedFailures::default());
    assert!(!first.passed());
    // The rules of the findings the broken implementation misses.
    let mut rules = std::collections::BTreeSet::new();
    for r in &first.results {
        if let Outcome::Output { differences } = &r.outcome {
            for d in differences {
                let code = d
                    .expected
                    .as_ref()
                    .or(d.actual.as_ref())
                    .and_then(|v| v["code"].as_str())
                    .and_then(scalingo_manifest::Code::from_code);
                rules.extend(code.map(|c| c.rule()));
            }
        }
    }
    assert!(!rules.is_empty());
    let listing: String = rules
        .iter()
        .map(|r| format!("{r}  scripts are not read yet\n"))
        .collect();
    let second = run(&broken, &filter, &xfail(&listing));
    assert!(second.passed(), "{}", second.human());
    assert_eq!(second.totals().failed, 0);
    assert_eq!(second.totals().expected_failures, first.totals().failed);
    let excused = second
        .results
        .iter()
        .find(|r| r.verdict == Verdict::ExpectedFailure)
        .unwrap();
    assert!(
        excused
            .listed_reason
            .as_deref()
            .is_some_and(|r| r.starts_with("MAN-SCR-") && r.ends_with(": scripts are not read yet")),
        "{excused:?}"
    );
    // An entry for a code no case of the suite has, or a rule no case names: stale.
    let third = run(
        &broken,
        &filter,
        &xfail(&format!(
            "{listing}SM1499  never written\nMAN-99  no such rule\n"
        )),
    );
    assert!(!third.passed());
    let stale: Vec<&str> = third
        .unknown_listed
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(stale, ["MAN-99", "SM1499"]);
    assert!(third
        .human()
        .contains("STALE SM1499\n     listed in the expected failures (never written) but names nothing of the suite, or excuses no failure of the cases run: remove the entry\n"));
}

/// The failure block `spec/protocol.md` shows ("How outputs are compared") is the runner's
/// own output for SMC-0083 against `harness --break MAN-ENV`.
#[test]
fn the_protocol_pages_failure_block_is_current() {
    check_binary_identity();
    let page = std::fs::read_to_string(root().join("spec/protocol.md")).unwrap();
    let start = page.find("```text\nFAIL SMC-0083").expect("the block") + "```text\n".len();
    let end = start + page[start..].find("```").expect("closed");
    let report = run(
        &harness("--break MAN-ENV"),
        &["SMC-0083"],
        &ExpectedFailures::default(),
    );
    let human = report.human();
    let block = &page[start..end];
    // The page names the case file as the runner does from the repository root.
    let shown = human.replace(
        &format!("case: {}", "validate/SMC-0083.json"),
        "case: spec/vectors/validate/SMC-0083.json",
    );
    assert!(shown.starts_with(block), "{block}\n---\n{human}");
}
