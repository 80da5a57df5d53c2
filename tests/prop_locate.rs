//! Properties of `locate` (spec `spec/locate.md`, rules `LOC-1` .. `LOC-9`): which manifest
//! and which Procfile a deploy reads, for random trees and `PROJECT_DIR` values, hostile
//! ones included.
//!
//! The reference model below restates the walk-up of decision D-2 in a few lines, over the
//! canonical paths of `LOC-2` (`common::is_canonical_repo_path`); `locate` must agree with
//! it on the manifest, the Procfile, the normalised `PROJECT_DIR` and `searched`.

mod common;

use std::collections::BTreeSet;

use common::strategies::{file_tree, hostile_project_dir, join, project_dir};
use common::{has_dotdot_segment, is_canonical_repo_path};
use proptest::prelude::*;
use scalingo_manifest::locate::{
    locate, normalize_project_dir, reads_name, Located, MANIFEST_NAMES,
};

const REGRESSIONS: &str = "proptest-regressions/prop_locate.txt";

/// `PROJECT_DIR` normalised per `LOC-1` (valid inputs only): empty and `.` segments
/// dropped.
fn model_normalize(raw: &str) -> String {
    raw.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// `dir`, then each parent folder, the root (`""`) last.
fn ancestors(dir: &str) -> Vec<String> {
    let mut chain = Vec::new();
    let mut current = dir.to_string();
    while !current.is_empty() {
        chain.push(current.clone());
        current = match current.rsplit_once('/') {
            Some((parent, _)) => parent.to_string(),
            None => String::new(),
        };
    }
    chain.push(String::new());
    chain
}

/// What the reference model decides: `(manifest, searched, procfile)`.
fn model(paths: &[String], dir: &str) -> (Option<String>, Vec<String>, Option<String>) {
    let valid: BTreeSet<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| is_canonical_repo_path(p))
        .collect();
    let mut searched = Vec::new();
    let mut manifest = None;
    'walk: for folder in ancestors(dir) {
        for name in MANIFEST_NAMES {
            let candidate = join(&folder, name);
            searched.push(candidate.clone());
            if valid.contains(candidate.as_str()) {
                manifest = Some(candidate);
                break 'walk;
            }
        }
    }
    let procfile = join(dir, "Procfile");
    let procfile = valid.contains(procfile.as_str()).then_some(procfile);
    (manifest, searched, procfile)
}

fn run(paths: &[String], dir: Option<&str>) -> Located {
    locate(paths.iter().map(String::as_str), dir)
}

/// The folder of a repository path (`""` for a file at the root).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// The decisions of a result, without its diagnostics (whose pointers name input indexes).
fn decisions(r: &Located) -> (Option<String>, Option<String>, String, Vec<String>) {
    (
        r.manifest.clone(),
        r.procfile.clone(),
        r.project_dir.clone(),
        r.searched.clone(),
    )
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// LOC-4: the manifest read is a file of the repository, named `scalingo.json` or
    /// `app.json`, in `PROJECT_DIR` or one of its ancestors.
    #[test]
    fn loc_4_chosen_file_is_in_project_dir_or_ancestor(paths in file_tree(), dir in project_dir()) {
        let r = run(&paths, dir.as_deref());
        if let Some(m) = &r.manifest {
            prop_assert!(paths.contains(m), "{m} is not in the tree");
            prop_assert!(is_canonical_repo_path(m));
            let name = m.rsplit('/').next().unwrap_or(m);
            prop_assert!(MANIFEST_NAMES.contains(&name), "{m} is not a manifest name");
            let folder = folder_of(m);
            prop_assert!(
                folder.is_empty()
                    || r.project_dir == folder
                    || r.project_dir.starts_with(&format!("{folder}/")),
                "{m} is not in PROJECT_DIR `{}` or an ancestor", r.project_dir
            );
        }
    }

    /// LOC-4, LOC-1, LOC-8: `locate` agrees with the reference walk-up on the manifest,
    /// `searched` (every candidate tried, up to and including the winner), the normalised
    /// `PROJECT_DIR` and the Procfile.
    #[test]
    fn loc_4_agrees_with_the_reference_walk_up(paths in file_tree(), dir in project_dir()) {
        let r = run(&paths, dir.as_deref());
        let normalized = model_normalize(dir.as_deref().unwrap_or(""));
        let (manifest, searched, procfile) = model(&paths, &normalized);
        prop_assert_eq!(&r.project_dir, &normalized);
        prop_assert_eq!(&r.manifest, &manifest);
        prop_assert_eq!(&r.searched, &searched);
        prop_assert_eq!(&r.procfile, &procfile);
    }

    /// LOC-5, LOC-6: no candidate of higher priority exists: every candidate tried before
    /// the winner (a closer folder, or `scalingo.json` in the winner's folder) is absent,
    /// and the winner is the last candidate tried.
    #[test]
    fn loc_5_loc_6_no_higher_priority_candidate_is_closer(paths in file_tree(), dir in project_dir()) {
        let r = run(&paths, dir.as_deref());
        let valid: BTreeSet<&str> =
            paths.iter().map(String::as_str).filter(|p| is_canonical_repo_path(p)).collect();
        let tried_before = match &r.manifest {
            Some(m) => {
                prop_assert_eq!(r.searched.last(), Some(m));
                &r.searched[..r.searched.len() - 1]
            }
            None => &r.searched[..],
        };
        for candidate in tried_before {
            prop_assert!(!valid.contains(candidate.as_str()), "{candidate} exists but {:?} was read", r.manifest);
        }
    }

    /// LOC-5: adding an `app.json` next to any `scalingo.json` of the tree (the chosen one
    /// included) changes nothing about which files are read.
    #[test]
    fn loc_5_app_json_next_to_a_scalingo_json_changes_nothing(
        paths in file_tree(),
        dir in project_dir(),
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
    ) {
        let before = run(&paths, dir.as_deref());
        let scalingo: Vec<&String> = paths
            .iter()
            .filter(|p| is_canonical_repo_path(p) && p.rsplit('/').next() == Some("scalingo.json"))
            .collect();
        // The chosen manifest's folder is the interesting one: always try it when it is a
        // `scalingo.json`, else any other.
        let target = match &before.manifest {
            Some(m) if m.rsplit('/').next() == Some("scalingo.json") => Some(m.clone()),
            _ if !scalingo.is_empty() => Some(pick.get(&scalingo).to_string()),
            _ => None,
        };
        if let Some(target) = target {
            let app_json = join(folder_of(&target), "app.json");
            let mut more = paths.clone();
            more.insert(at.index(more.len() + 1), app_json);
            let after = run(&more, dir.as_deref());
            prop_assert_eq!(decisions(&after), decisions(&before));
        }
    }

    /// LOC-1: a hostile `PROJECT_DIR` never panics and never yields a path with a `..`
    /// segment, a leading `/`, a backslash or a control character; when it is rejected
    /// (exactly when it has a `..` segment, a control character, a backslash or more than
    /// 4096 bytes), nothing is located, `searched` is empty and `project_dir` is `""`.
    #[test]
    fn loc_1_hostile_project_dir_never_escapes(paths in file_tree(), raw in hostile_project_dir()) {
        let r = run(&paths, Some(&raw));
        let mut produced: Vec<&str> = vec![r.project_dir.as_str()];
        produced.extend(r.manifest.as_deref());
        produced.extend(r.procfile.as_deref());
        produced.extend(r.searched.iter().map(String::as_str));
        for p in produced {
            prop_assert!(!has_dotdot_segment(p), "{p:?} has a `..` segment");
            prop_assert!(!p.starts_with('/'), "{p:?} is absolute");
            prop_assert!(!p.contains('\\') && !p.chars().any(char::is_control), "{p:?}");
        }
        let rejected = raw.len() > 4096
            || raw.chars().any(char::is_control)
            || raw.contains('\\')
            || has_dotdot_segment(&raw);
        prop_assert_eq!(normalize_project_dir(&raw).is_err(), rejected);
        if rejected {
            prop_assert_eq!(&r.manifest, &None);
            prop_assert_eq!(&r.procfile, &None);
            prop_assert!(r.searched.is_empty());
            prop_assert_eq!(r.project_dir.as_str(), "");
            let errors: Vec<&str> = r
                .diagnostics
                .iter()
                .filter(|d| d.is_error() && d.pointer == "/project_dir")
                .map(|d| d.code.as_str())
                .collect();
            prop_assert_eq!(errors.len(), 1, "{:?}", r.diagnostics);
            prop_assert!(["SM0700", "SM0701", "SM0702", "SM0703"].contains(&errors[0]));
        } else {
            prop_assert_eq!(&r.project_dir, &model_normalize(&raw));
        }
    }

    /// LOC-1: normalisation follows the spec (empty and `.` segments dropped, a leading `/`
    /// read from the repository root, with note SM0704) and is idempotent.
    #[test]
    fn loc_1_project_dir_normalisation(dir in project_dir(), raw in hostile_project_dir()) {
        for raw in dir.iter().chain([&raw]) {
            if let Ok(n) = normalize_project_dir(raw) {
                prop_assert_eq!(&n, &model_normalize(raw));
                prop_assert_eq!(normalize_project_dir(&n).ok(), Some(n.clone()));
                let r = run(&[], Some(raw));
                let noted = r.diagnostics.iter().any(|d| d.code == "SM0704");
                prop_assert_eq!(noted, raw.starts_with('/') && !n.is_empty());
            }
        }
    }

    /// LOC-3: a `PROJECT_DIR` other than the root that no path lives under gets one
    /// warning: SM0706 when it names a file, SM0705 otherwise; the search still runs.
    #[test]
    fn loc_3_a_project_dir_that_is_no_folder_is_reported(paths in file_tree(), dir in project_dir()) {
        let r = run(&paths, dir.as_deref());
        let valid: Vec<&str> = paths.iter().map(String::as_str).filter(|p| is_canonical_repo_path(p)).collect();
        let d = r.project_dir.as_str();
        let is_folder = d.is_empty() || valid.iter().any(|p| p.starts_with(&format!("{d}/")));
        let is_file = valid.contains(&d);
        let missing = r.diagnostics.iter().filter(|x| x.code == "SM0705").count();
        let file = r.diagnostics.iter().filter(|x| x.code == "SM0706").count();
        prop_assert_eq!((missing, file), match (is_folder, is_file) {
            (true, _) => (0, 0),
            (false, true) => (0, 1),
            (false, false) => (1, 0),
        });
        prop_assert!(!r.searched.is_empty());
    }

    /// LOC-8: the Procfile is `<PROJECT_DIR>/Procfile` when the tree has it, and nothing
    /// else (no walk-up, no fallback to the root).
    #[test]
    fn loc_8_procfile_is_project_dirs_own(paths in file_tree(), dir in project_dir()) {
        let r = run(&paths, dir.as_deref());
        let wanted = join(&r.project_dir, "Procfile");
        let exists = paths.contains(&wanted);
        prop_assert_eq!(r.procfile, exists.then_some(wanted));
    }

    /// LOC-2: the order of the tree's listing and repeated paths change no decision.
    #[test]
    fn loc_2_listing_order_and_repeats_change_nothing(
        (paths, shuffled) in file_tree().prop_flat_map(|p| (Just(p.clone()), Just(p).prop_shuffle())),
        repeat in any::<prop::sample::Index>(),
        dir in project_dir(),
    ) {
        let before = run(&paths, dir.as_deref());
        let mut more = shuffled;
        if !paths.is_empty() {
            more.push(repeat.get(&paths).clone());
        }
        let after = run(&more, dir.as_deref());
        prop_assert_eq!(decisions(&after), decisions(&before));
    }

    /// LOC-9: locate's answer depends only on the files whose names it reads and on which
    /// folders exist: the tree cut down to those files, plus one path of the `PROJECT_DIR`
    /// folder when none of them is in it, gives the same decisions and the same findings
    /// (their pointers name input indexes, which the cut renumbers).
    #[test]
    fn loc_9_only_the_names_locate_reads_matter(paths in file_tree(), dir in project_dir()) {
        let paths: Vec<String> = paths.into_iter().filter(|p| is_canonical_repo_path(p)).collect();
        let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        let mut kept: Vec<String> = paths.iter().filter(|p| reads_name(&base(p))).cloned().collect();
        let folder = dir.as_deref().and_then(|d| normalize_project_dir(d).ok()).unwrap_or_default();
        if !folder.is_empty() {
            let prefix = format!("{folder}/");
            if !kept.iter().any(|p| p.starts_with(&prefix)) {
                kept.extend(paths.iter().find(|p| p.starts_with(&prefix)).cloned());
            }
        }
        let findings = |r: &Located| -> Vec<(String, String, Option<String>)> {
            r.diagnostics
                .iter()
                .map(|d| (d.code.as_str().to_string(), d.message.to_string(), d.hint.as_deref().map(str::to_string)))
                .collect()
        };
        let all = run(&paths, dir.as_deref());
        let cut = run(&kept, dir.as_deref());
        prop_assert_eq!(decisions(&cut), decisions(&all));
        prop_assert_eq!(findings(&cut), findings(&all));
    }
}
