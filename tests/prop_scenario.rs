//! Properties of `scenario::resolve` (spec `spec/scenario.md`, rules `SCN-1` .. `SCN-6`,
//! `SCN-LIM-1`, `SCN-LIM-2`, and `DIAG-*` positions): the whole engine on arbitrary scenarios, whose
//! repository files hold `{}`, small manifests, broken JSON or any string at all.
//!
//! These properties do not depend on what manifest validation decides (it is being
//! written separately): they hold whatever the manifest stage finds.

mod common;

use common::strategies::scenario;
use common::{has_dotdot_segment, model_line_col};
use proptest::prelude::*;
use scalingo_manifest::scenario::{explain, resolve, to_json, Outcome, OutcomeStatus, Scenario};
use scalingo_manifest::text::LineIndex;

const REGRESSIONS: &str = "proptest-regressions/prop_scenario.txt";

/// Stages whose errors stop resolution (SCN-4).
const INPUT_STAGES: &[&str] = &["scenario", "source", "locate", "manifest", "procfile"];
/// Stages whose errors prevent the deployment (SCN-5).
const CONFIG_STAGES: &[&str] = &["env", "addons", "formation"];

fn has_error_in(o: &Outcome, stages: &[&str]) -> bool {
    o.diagnostics
        .iter()
        .any(|d| d.diagnostic.is_error() && stages.contains(&d.stage.as_str()))
}

fn has_code(o: &Outcome, code: &str) -> bool {
    o.diagnostics.iter().any(|d| d.diagnostic.code == code)
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// SCN-3: `resolve` never panics, and with a seed the outcome's canonical JSON (and the
    /// explanation, SCN-7) are byte-identical on every run; the JSON ends with a newline.
    #[test]
    fn scn_3_resolve_is_total_and_deterministic_with_a_seed(s in scenario()) {
        let first = resolve(&s);
        let json = to_json(&first);
        let ends_well = json.ends_with("}\n");
        prop_assert!(ends_well, "no final newline");
        let text = explain(&first);
        if s.seed.is_some() {
            let second = resolve(&s);
            prop_assert_eq!(&to_json(&second), &json);
            prop_assert_eq!(&explain(&second), &text);
        }
    }

    /// DIAG-5: every diagnostic with a line has a column too, both 1-based; a
    /// diagnostic's `file` is the manifest or the Procfile that was read.
    #[test]
    fn diag_5_positions_are_one_based_and_name_a_file_read(s in scenario()) {
        let o = resolve(&s);
        for d in &o.diagnostics {
            let (line, column) = (d.diagnostic.line, d.diagnostic.column);
            prop_assert_eq!(line.is_some(), column.is_some(), "{:?}", d);
            prop_assert!(line.is_none_or(|l| l >= 1) && column.is_none_or(|c| c >= 1), "{:?}", d);
            if let Some(file) = &d.file {
                let read = o.manifest.path.as_ref() == Some(file) || o.procfile.path.as_ref() == Some(file);
                prop_assert!(read, "{:?} names a file not read", d);
            }
        }
    }

    /// DIAG-5: a diagnostic's span lies in the file it names, on character boundaries,
    /// and its line and column are those of the span's start in that file.
    #[test]
    fn diag_5_positions_match_the_span_in_the_file_named(s in scenario()) {
        let o = resolve(&s);
        for d in &o.diagnostics {
            let (Some(file), Some(span)) = (&d.file, d.diagnostic.span) else { continue };
            let Some(text) = s.repository.files.get(file) else {
                return Err(TestCaseError::fail(format!("{file} is not a repository file")));
            };
            let inside = span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end);
            prop_assert!(inside, "span {:?} of {:?} in {:?}", span, d.diagnostic.code, text);
            let (line, column) = model_line_col(text, span.start);
            prop_assert_eq!((d.diagnostic.line, d.diagnostic.column), (Some(line), Some(column)), "{:?} in {:?}", d, text);
        }
    }

    /// DIAG-5: `LineIndex` counts lines and columns as the rule says, CRLF line ends and
    /// non-ASCII characters included.
    #[test]
    fn diag_5_line_index_follows_the_rule(
        text in proptest::collection::vec(proptest::sample::select(vec!["a", "\n", "\r", "\r\n", "é", "😀", "\t", " "]), 0..24).prop_map(|v| v.concat()),
        at in any::<proptest::sample::Index>(),
    ) {
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let offset = *at.get(&boundaries);
        prop_assert_eq!(LineIndex::new(&text).line_col(offset), model_line_col(&text, offset), "offset {} of {:?}", offset, text);
    }

    /// SCN-3, LOC-1: no path of the outcome (manifest, Procfile, candidates searched,
    /// `project_dir`) has a `..` segment or a leading `/`, whatever `PROJECT_DIR` says.
    #[test]
    fn scn_3_outcome_paths_never_escape_the_repository(s in scenario()) {
        let o = resolve(&s);
        let mut paths: Vec<&str> = vec![o.manifest.project_dir.as_str()];
        paths.extend(o.manifest.path.as_deref());
        paths.extend(o.procfile.path.as_deref());
        paths.extend(o.manifest.searched.iter().map(String::as_str));
        for p in paths {
            prop_assert!(!has_dotdot_segment(p) && !p.starts_with('/'), "{:?}", p);
        }
        for p in o.manifest.path.iter().chain(&o.procfile.path) {
            prop_assert!(s.repository.files.contains_key(p), "{p} is not a repository file");
        }
    }

    /// SCN-3: the status is `error` exactly when some diagnostic is an error.
    #[test]
    fn scn_3_status_is_error_iff_some_diagnostic_is(s in scenario()) {
        let o = resolve(&s);
        let any_error = o.diagnostics.iter().any(|d| d.diagnostic.is_error());
        prop_assert_eq!(o.status == OutcomeStatus::Error, any_error);
    }

    /// SCN-4, SCN-5: an error in the inputs (scenario, source, files, manifest, Procfile)
    /// stops resolution with note SM1302 and no stack, env, addons, formation or hooks;
    /// otherwise those are resolved, and an error in env, addons or formation leaves
    /// `hooks` null with note SM1305; with no error at all, every attempt is scheduled.
    #[test]
    fn scn_4_scn_5_errors_stop_at_the_right_stage(s in scenario()) {
        let o = resolve(&s);
        if has_error_in(&o, INPUT_STAGES) {
            prop_assert!(has_code(&o, "SM1302"));
            prop_assert!(o.stack.is_none() && o.env.is_none() && o.addons.is_none());
            prop_assert!(o.formation.is_none() && o.hooks.is_none());
        } else {
            prop_assert!(!has_code(&o, "SM1302"));
            prop_assert!(o.stack.is_some() && o.env.is_some() && o.addons.is_some() && o.formation.is_some());
            if has_error_in(&o, CONFIG_STAGES) {
                prop_assert!(has_code(&o, "SM1305"));
                prop_assert!(o.hooks.is_none());
            } else {
                prop_assert!(!has_code(&o, "SM1305"));
                prop_assert_eq!(o.hooks.as_ref().map(Vec::len), Some(s.attempts.len()));
            }
        }
    }

    /// SCN-1: the inputs of the other kind are ignored: a review app's request and form
    /// values, a one-click deploy's parent app.
    #[test]
    fn scn_1_inputs_of_the_other_kind_change_nothing(s in scenario(), seed in any::<u64>()) {
        let s = Scenario { seed: Some(seed), ..s };
        let stripped = match s.kind {
            scalingo_manifest::AppKind::ReviewApp => Scenario { request: None, user_env: Default::default(), ..s.clone() },
            scalingo_manifest::AppKind::OneClick => Scenario { parent: None, pr_number: None, ..s.clone() },
        };
        prop_assert_eq!(to_json(&resolve(&stripped)), to_json(&resolve(&s)));
    }

    /// SCN-1: a scenario survives its JSON form unchanged, and so does its outcome.
    #[test]
    fn scn_1_scenario_json_round_trips(s in scenario()) {
        let json = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: Scenario = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        prop_assert_eq!(&back, &s);
    }

    /// SCN-LIM-1: a repository path over 4096 bytes is an error (SM1300) and nothing in the
    /// tree is searched.
    #[test]
    fn scn_lim_1_a_path_over_4096_bytes_stops_the_search(s in scenario(), extra in 1usize..64) {
        let mut s = s;
        s.repository.files.insert(format!("{}{}", "d/".repeat(2048), "x".repeat(extra)), String::new());
        let o = resolve(&s);
        prop_assert!(has_code(&o, "SM1300"));
        prop_assert_eq!(&o.manifest.path, &None);
        prop_assert_eq!(&o.procfile.path, &None);
        prop_assert_eq!(o.status, OutcomeStatus::Error);
    }
}

proptest! {
    // Each case resolves a parent with about a thousand variables.
    #![proptest_config(proptest::test_runner::Config { cases: common::config(REGRESSIONS).cases / 16, ..common::config(REGRESSIONS) })]

    /// SCN-LIM-2 (with DIAG-12): an outcome lists at most 1000 findings, then exactly one
    /// SM1308 when more were made, last, whose severity says whether an error was dropped;
    /// the status covers every finding. A review app whose parent has more than 1000
    /// variables with invalid names always has it.
    #[test]
    fn scn_lim_2_at_most_a_thousand_diagnostics_then_one_with_the_counts(mut s in scenario(), n in 990usize..1012) {
        let review_app_with_parent = s.parent.is_some() && s.kind == scalingo_manifest::AppKind::ReviewApp;
        if let Some(p) = &mut s.parent {
            p.env.extend((0..n).map(|i| (format!("{i}x"), "v".to_string())));
        }
        let o = resolve(&s);
        let dropped: Vec<usize> = o.diagnostics.iter().enumerate().filter(|(_, d)| d.diagnostic.code == "SM1308").map(|(i, _)| i).collect();
        prop_assert!(o.diagnostics.len() <= 1001, "{}", o.diagnostics.len());
        match dropped.as_slice() {
            [] => prop_assert!(o.diagnostics.len() <= 1000),
            [at] => {
                prop_assert_eq!(*at, 1000);
                let note = &o.diagnostics[*at].diagnostic;
                let dropped_errors = note.message.contains("of them errors") && !note.message.contains("(0 of them errors)");
                prop_assert_eq!(note.is_error(), dropped_errors, "{}", note.message);
                let kept_errors = o.diagnostics[..1000].iter().any(|d| d.diagnostic.is_error());
                prop_assert_eq!(o.status == OutcomeStatus::Error, kept_errors || dropped_errors);
            }
            _ => prop_assert!(false, "SM1308 listed {} times", dropped.len()),
        }
        if review_app_with_parent && n > 1000 && !has_error_in(&o, &["scenario", "source", "locate", "manifest", "procfile"]) {
            prop_assert_eq!(dropped.len(), 1);
        }
    }
}
