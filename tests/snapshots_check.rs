//! Snapshots of `scalingo-manifest check` (human and JSON output, rules `DIAG-10` and
//! `DIAG-11`) for every documentation example in `spec/examples/manifests/`.
//!
//! The snapshots live in the top-level `snapshots/` folder, one `<example>.human.snap` and
//! one `<example>.json.snap` per example. Review changes with `cargo insta review`, or
//! regenerate with `INSTA_UPDATE=always cargo test --test snapshots_check`.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_scalingo-manifest");
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const EXAMPLES: &str = "spec/examples/manifests";
/// The only example the documentation gets wrong: a comma is missing before `"addons"`.
const INVALID: &[&str] = &["one-click-sample-go-martini.json"];

/// Runs `check` from the crate root on `rel` with extra `args`; returns (exit, stdout).
fn check(rel: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(BIN)
        .arg("check")
        .args(args)
        .arg(rel)
        .current_dir(ROOT)
        .env_remove("NO_COLOR")
        .output()
        .expect("run the binary");
    assert!(
        out.stderr.is_empty(),
        "{rel}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
    )
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(EXAMPLES))
        .expect("spec/examples/manifests exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_documentation_example_is_snapshotted() {
    // the target directory may be shared with other checkouts, each with its own version
    let version = Command::new(BIN)
        .arg("--version")
        .output()
        .expect("run the binary");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("scalingo-manifest {}", env!("CARGO_PKG_VERSION")),
        "{BIN} is not this crate's build; rebuild and rerun"
    );
    let names = examples();
    assert!(names.len() >= 7, "{names:?}");
    insta::with_settings!({
        snapshot_path => concat!(concat!(env!("CARGO_MANIFEST_DIR"), "/.."), "/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        for name in &names {
            let rel = format!("{EXAMPLES}/{name}");
            let (human_exit, human) = check(&rel, &["--color", "never"]);
            let (json_exit, json) = check(&rel, &["--format", "json"]);
            let expected = if INVALID.contains(&name.as_str()) { 1 } else { 0 };
            assert_eq!(human_exit, Some(expected), "{name}: {human}");
            assert_eq!(json_exit, Some(expected), "{name}");
            let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
            let verdict = if expected == 1 { "invalid" } else { "valid" };
            assert_eq!(parsed[0]["verdict"], verdict, "{name}");
            let stem = name.strip_suffix(".json").unwrap_or(name);
            insta::assert_snapshot!(format!("{stem}.human"), human);
            insta::assert_snapshot!(format!("{stem}.json"), json);
        }
    });
}

/// Runs the binary in `dir` with `args`; returns "exit N" and stdout, then stderr when
/// there is any (what a person running it sees).
fn session(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("PROJECT_DIR")
        .output()
        .expect("run the binary");
    let mut text = format!(
        "$ scalingo-manifest {}\nexit {}\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    );
    if !out.stderr.is_empty() {
        text.push_str("--- stderr\n");
        text.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    text
}

/// A git repository made of `files`, committed when `commit` (with a fixed identity).
fn repository(name: &str, files: &[(&str, &str)], commit: bool) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("snap-repo-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&dir)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    for (path, text) in files {
        let to = dir.join(path);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("folders");
        std::fs::write(to, text).expect("write");
    }
    if commit {
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "first"]);
    }
    dir
}

/// SCN-8, SCN-9, DIAG-9 to DIAG-14: every command and format on real repositories (a plain
/// app, a monorepo with PROJECT_DIR, an app.json shadowed by a scalingo.json, a revision
/// that differs from the working tree), as a person runs them: one snapshot per session.
#[test]
fn every_command_on_real_repositories_is_snapshotted() {
    let parent_env = "PROJECT_DIR=api\nDATABASE_URL=postgres://app:s3cret@db.internal/prod\nSTRIPE_SECRET_KEY=sk_live_1\nLANG=fr_FR.UTF-8\n";
    let plain = repository(
        "plain",
        &[
            ("scalingo.json", "{\n  \"name\": \"shop\",\n  \"env\": {\"SECRET_KEY_BASE\": {\"generator\": \"secret\"}, \"DEBUG\": \"1\"},\n  \"addons\": [\"postgresql:postgresql-starter-512\"],\n  \"scripts\": {\"first-deploy\": \"bin/rails db:setup\"}\n}\n"),
            ("Procfile", "web: bin/rails server\npostdeploy: bin/rails db:migrate\n"),
            ("parent.env", parent_env.replace("PROJECT_DIR=api\n", "").as_str()),
        ],
        true,
    );
    let monorepo = repository(
        "monorepo",
        &[
            ("api/scalingo.json", "{\"env\": {\"API_URL\": {\"generator\": \"url\", \"template\": \"%URL%/v1\"}}, \"formation\": {\"web\": {\"amount\": 1, \"size\": \"S\"}}}\n"),
            ("api/Procfile", "web: ./api\nworker: ./jobs\n"),
            ("api/main.go", "package main\n"),
            ("web/app.json", "{}\n"),
            ("README.md", "# two apps\n"),
            ("parent.env", parent_env),
            ("parent.json", "{\"name\": \"prod\", \"formation\": {\"web\": {\"amount\": 3, \"size\": \"L\"}, \"worker\": {\"amount\": 2, \"size\": \"M\"}}, \"addons\": [{\"addon\": \"postgresql\", \"plan\": \"postgresql-business-1024\"}], \"addon_vars\": [\"SCALINGO_POSTGRESQL_URL\"], \"stack\": \"scalingo-22\"}\n"),
        ],
        true,
    );
    let shadowed = repository(
        "shadowed",
        &[
            ("scalingo.json", "{\"env\": {\"A\": {\"value\": \"from scalingo.json\"}}}\n"),
            ("app.json", "{\"env\": {\"A\": {\"value\": \"from app.json\"}}, \"addons\": [\"heroku-postgresql\"]}\n"),
            ("Procfile", "web: ./run\n"),
        ],
        true,
    );
    let revised = repository(
        "revised",
        &[
            (
                "scalingo.json",
                "{\"env\": {\"MODE\": {\"value\": \"old\"}}, \"addons\": []}\n",
            ),
            ("Procfile", "web: ./run\n"),
            (
                "parent.env",
                "MODE=prod\nREDIS_URL=redis://:pw@cache:6379\n",
            ),
        ],
        true,
    );
    // A second commit, then a working tree that differs from it.
    std::fs::write(
        revised.join("scalingo.json"),
        "{\"env\": {\"MODE\": {\"value\": \"new\"}, \"EXTRA\": {\"value\": \"1\"}}, \"copy_parent_database_urls\": true}\n",
    )
    .expect("change the manifest");
    let committed = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-a",
            "-m",
            "second",
        ])
        .current_dir(&revised)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(committed, "git commit");
    std::fs::write(
        revised.join("scalingo.json"),
        "{\"env\": {\"MODE\": {\"value\": \"work in progress\"}}}\n",
    )
    .expect("change the working tree");
    let day = ["--date", "2026-12-07"];
    let review = |more: &[&'static str]| -> Vec<&'static str> {
        [
            &[
                "--review-app",
                "--parent-env",
                "parent.env",
                "--pr",
                "7",
                "--seed",
                "1",
                "--date",
                "2026-12-07",
            ][..],
            more,
        ]
        .concat()
    };
    let cases: Vec<(&str, &Path, Vec<&str>)> = vec![
        ("plain-check", &plain, [&["check"][..], &day].concat()),
        (
            "plain-check-json",
            &plain,
            [&["check", "--format", "json"][..], &day].concat(),
        ),
        (
            "plain-check-github",
            &plain,
            [&["check", "--format", "github"][..], &day].concat(),
        ),
        (
            "plain-check-gitlab",
            &plain,
            [&["check", "--format", "gitlab"][..], &day].concat(),
        ),
        (
            "plain-check-sarif",
            &plain,
            [&["check", "--format", "sarif"][..], &day].concat(),
        ),
        (
            "plain-explain",
            &plain,
            [&["explain"][..], &review(&["--attempts", "fail,ok"])].concat(),
        ),
        ("plain-diff", &plain, [&["diff"][..], &review(&[])].concat()),
        (
            "monorepo-check",
            &monorepo,
            [&["check", "--project-dir", "api"][..], &day].concat(),
        ),
        (
            "monorepo-explain",
            &monorepo,
            [&["explain"][..], &review(&["--parent", "parent.json"])].concat(),
        ),
        (
            "monorepo-diff",
            &monorepo,
            [
                &["diff", "--all"][..],
                &review(&["--parent", "parent.json"]),
            ]
            .concat(),
        ),
        (
            "monorepo-print-scenario",
            &monorepo,
            [&["resolve", "--print-scenario"][..], &review(&[])].concat(),
        ),
        ("shadowed-check", &shadowed, [&["check"][..], &day].concat()),
        (
            "shadowed-explain",
            &shadowed,
            [
                &[
                    "explain",
                    "--one-click",
                    "--source",
                    "https://github.com/o/shop",
                    "--seed",
                    "1",
                ][..],
                &day,
            ]
            .concat(),
        ),
        (
            "revised-explain-working-tree",
            &revised,
            [&["explain"][..], &review(&[])].concat(),
        ),
        (
            "revised-explain-first-commit",
            &revised,
            [&["explain", "--rev", "HEAD~1"][..], &review(&[])].concat(),
        ),
        (
            "revised-diff-revisions",
            &revised,
            [
                &[
                    "diff", "--base", "HEAD~1", "--head", "HEAD", "--deny", "warnings",
                ][..],
                &review(&[]),
            ]
            .concat(),
        ),
        (
            "revised-resolve-json",
            &revised,
            [&["resolve"][..], &review(&[])].concat(),
        ),
    ];
    insta::with_settings!({
        snapshot_path => concat!(concat!(env!("CARGO_MANIFEST_DIR"), "/.."), "/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        for (name, dir, args) in &cases {
            insta::assert_snapshot!(format!("repository__{name}"), session(dir, args));
        }
    });
}

/// SCN-7, SCN-8: the seven questions a documentation writer checks before documenting a
/// behaviour, each answered by one short command whose output names the deciding rule, its
/// basis mark and any hint: a review app's env, first-deploy retries, the monorepo lookup,
/// a one-click deploy's source and ref, `"addons": []`, a formation type the Procfile
/// lacks, and `copy_parent_database_urls`.
#[test]
fn seven_questions_of_a_documentation_writer_are_snapshotted() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snap-seven-questions");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let files = [
        ("env.json", "{\"env\": {\"MODE\": {\"value\": \"review\"}, \"OLD\": null, \"KEEP\": {}}}\n"),
        ("first-deploy.json", "{\"scripts\": {\"first-deploy\": \"bin/seed\"}}\n"),
        ("Procfile", "web: bin/web\npostdeploy: bin/migrate\n"),
        ("source.json", "{\"ref\": \"v2\"}\n"),
        ("no-addons.json", "{\"addons\": []}\n"),
        ("parent.json", "{\"name\": \"prod\", \"env\": {\"SCALINGO_POSTGRESQL_URL\": \"postgres://u:p@db/prod\"}, \"addon_vars\": [\"SCALINGO_POSTGRESQL_URL\"], \"addons\": [{\"addon\": \"postgresql\", \"plan\": \"postgresql-starter-512\"}], \"formation\": {\"web\": {\"amount\": 2, \"size\": \"L\"}}}\n"),
        ("worker.json", "{\"formation\": {\"worker\": {\"amount\": 1}}}\n"),
        ("copy.json", "{\"copy_parent_database_urls\": true}\n"),
        ("monorepo/scalingo.json", "{\"env\": {\"FROM\": {\"value\": \"root\"}}}\n"),
        ("monorepo/api/Procfile", "web: ./api\n"),
        ("monorepo/api/main.go", "package main\n"),
    ];
    for (path, text) in files {
        let to = dir.join(path);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("folders");
        std::fs::write(to, text).expect("write");
    }
    let ok = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.join("monorepo"))
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "git init");
    let day = "--date=2026-12-07";
    let questions: [(&str, &Path, Vec<&str>); 7] = [
        (
            "1-review-app-env",
            &dir,
            vec![
                "explain",
                "--review-app",
                "--manifest",
                "env.json",
                "--parent-var",
                "MODE=prod",
                "--parent-var",
                "OLD=x",
                "--parent-var",
                "KEEP=k",
                day,
            ],
        ),
        (
            "2-first-deploy-retries",
            &dir,
            vec![
                "explain",
                "--review-app",
                "--manifest",
                "first-deploy.json",
                "--procfile",
                "Procfile",
                "--attempts",
                "fail,fail,ok,ok",
                day,
            ],
        ),
        (
            "3-monorepo-lookup",
            &dir.join("monorepo"),
            vec![
                "explain",
                "--review-app",
                "--parent-var",
                "PROJECT_DIR=api",
                day,
            ],
        ),
        (
            "4-one-click-source-and-ref",
            &dir,
            vec![
                "explain",
                "--one-click",
                "--manifest",
                "source.json",
                "--source",
                "https://github.com/o/shop#dev",
                "--referer",
                "https://github.com/o/other",
                day,
            ],
        ),
        (
            "5-empty-addons",
            &dir,
            vec![
                "explain",
                "--review-app",
                "--manifest",
                "no-addons.json",
                "--parent",
                "parent.json",
                day,
            ],
        ),
        (
            "6-formation-type-missing-from-procfile",
            &dir,
            vec![
                "explain",
                "--review-app",
                "--manifest",
                "worker.json",
                "--procfile",
                "Procfile",
                "--parent",
                "parent.json",
                day,
            ],
        ),
        (
            "7-copy-parent-database-urls",
            &dir,
            vec![
                "explain",
                "--review-app",
                "--manifest",
                "copy.json",
                "--parent",
                "parent.json",
                day,
            ],
        ),
    ];
    insta::with_settings!({
        snapshot_path => concat!(concat!(env!("CARGO_MANIFEST_DIR"), "/.."), "/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        for (name, at, args) in &questions {
            let text = session(at, args);
            assert!(text.contains(" (doc") || text.contains(" (D-") || text.contains(" (ours"), "{name}: no mark\n{text}");
            insta::assert_snapshot!(format!("question__{name}"), text);
        }
    });
}
