//! Scenarios built from a repository and flags, for `resolve`, `explain` and
//! `--print-scenario` (`spec/scenario.md`, "Scenarios from a repository").
//!
//! The repository is read from a working tree (`--repo DIR`), from the tree of a git
//! commit (`--rev REV`, with gitoxide: no checkout, no network), or from two files
//! (`--manifest FILE`, `--procfile FILE`). Only what the platform's locate step reads goes
//! into the scenario: the paths of the folders from the repository root down to
//! `PROJECT_DIR`, and the texts of the files whose names locate reads or reports
//! (`locate::reads_name`). The parent app of a review app comes from a JSON file
//! (`--parent`), the lines `scalingo env` prints (`--parent-env`) and
//! `--parent-var`; everything else from flags. Nothing here decides what the platform
//! does: the scenario is resolved by the engine like any other.
//!
//! Every failure is a message for stderr (exit status 2): a folder that is not a
//! repository, an unknown revision, a file that cannot be read, an environment line that does
//! not parse (with its line), a parent file of the wrong shape (with line and column), a
//! variable given twice with two values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use scalingo_manifest::hooks::{Attempt, HookResult, StartResult};
use scalingo_manifest::locate;
use scalingo_manifest::platform::Date;
use scalingo_manifest::scenario::{AppSpec, ParentApp, RepositorySpec, Scenario};
use scalingo_manifest::source::OneClickRequest;
use scalingo_manifest::AppKind;
use scalingo_manifest::{manifest, procfile};

/// The parent app's name when no flag or file gives one.
const DEFAULT_PARENT: &str = "my-app";
/// A one-click app's name when `--app` is not given.
const DEFAULT_ONE_CLICK_APP: &str = "my-app";
/// The pull request number when `--pr` is not given.
const DEFAULT_PR: u64 = 1;

/// The flags that build a scenario instead of reading one from a file.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct ScenarioFlags {
    /// Build a review app scenario from the flags (instead of a SCENARIO.json)
    #[arg(
        long,
        conflicts_with = "one_click",
        help_heading = "Scenario from flags"
    )]
    pub(crate) review_app: bool,
    /// Build a one-click deploy scenario from the flags (instead of a SCENARIO.json)
    #[arg(long, help_heading = "Scenario from flags")]
    pub(crate) one_click: bool,
    /// The repository's working tree [default: .]; its root is the nearest folder up that
    /// holds `.git`
    #[arg(long, value_name = "DIR", help_heading = "Scenario from flags")]
    repo: Option<PathBuf>,
    /// Read the repository at this git revision (a commit, branch or tag of --repo), not
    /// from the working tree
    #[arg(long, value_name = "REV", help_heading = "Scenario from flags")]
    pub(crate) rev: Option<String>,
    /// Instead of a repository: this file as PROJECT_DIR's manifest (named `scalingo.json`,
    /// or `app.json` when the file is so named)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["repo", "rev"], help_heading = "Scenario from flags")]
    pub(crate) manifest: Option<PathBuf>,
    /// Instead of a repository: this file as PROJECT_DIR's Procfile
    #[arg(long, value_name = "FILE", conflicts_with_all = ["repo", "rev"], help_heading = "Scenario from flags")]
    pub(crate) procfile: Option<PathBuf>,
    /// The repository's default branch (a one-click deploy's ref, decision D-4)
    #[arg(long, value_name = "BRANCH", help_heading = "Scenario from flags")]
    default_branch: Option<String>,
    /// The app's name [default: <parent>-pr<N> for a review app, my-app for a one-click
    /// deploy]
    #[arg(long, value_name = "NAME", help_heading = "Scenario from flags")]
    app: Option<String>,
    /// The app's region [default: the platform's]
    #[arg(long, value_name = "REGION", help_heading = "Scenario from flags")]
    region: Option<String>,
    /// Review app: the pull request number [default: 1]
    #[arg(long, value_name = "N", help_heading = "Scenario from flags")]
    pr: Option<u64>,
    /// Review app: the parent app as JSON (name, env, addon_vars, addons, formation, stack,
    /// firewall_rules; spec/scenario.md)
    #[arg(long, value_name = "FILE", help_heading = "Scenario from flags")]
    parent: Option<PathBuf>,
    /// Review app: the parent app's name [default: the --parent file's, else my-app]
    #[arg(long, value_name = "NAME", help_heading = "Scenario from flags")]
    parent_name: Option<String>,
    /// Review app: the parent's environment as `scalingo env` prints it (`NAME=VALUE` lines,
    /// values verbatim)
    #[arg(long, value_name = "FILE", help_heading = "Scenario from flags")]
    parent_env: Option<PathBuf>,
    /// Review app: one variable of the parent's environment (repeatable)
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Scenario from flags")]
    parent_var: Vec<String>,
    /// Review app: a variable of the parent's environment that the parent's addons provide
    /// (repeatable; rule ENV-8: not copied unless `copy_parent_database_urls`)
    #[arg(long, value_name = "NAME", help_heading = "Scenario from flags")]
    parent_addon_var: Vec<String>,
    /// One-click deploy: the `source` query parameter of the deploy URL
    #[arg(long, value_name = "URL", help_heading = "Scenario from flags")]
    source: Option<String>,
    /// One-click deploy: the HTTP Referer of the deploy request
    #[arg(long, value_name = "URL", help_heading = "Scenario from flags")]
    referer: Option<String>,
    /// One-click deploy: a value typed in the deploy form (repeatable)
    #[arg(
        long = "env",
        value_name = "KEY=VALUE",
        help_heading = "Scenario from flags"
    )]
    user_env: Vec<String>,
    /// The deployment attempts, comma-separated: ok, fail (the hook exits 1), exit=N,
    /// hook-timeout, build-error, crashed, start-timeout
    #[arg(long, value_name = "LIST", help_heading = "Scenario from flags")]
    attempts: Option<String>,
    /// The seed of the `secret` generator (decision D-11) [default: random, not
    /// reproducible]
    #[arg(long, value_name = "N", help_heading = "Scenario from flags")]
    pub(crate) seed: Option<u64>,
}

/// Which scenarios a flag of [`ScenarioFlags`] describes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    /// Both kinds of app.
    Any,
    /// A review app only.
    ReviewApp,
    /// A one-click deploy only.
    OneClick,
}

impl ScenarioFlags {
    /// Each flag that builds a scenario: its name, whether it was given, and which kind of
    /// app it describes. The one list of them.
    fn named(&self) -> [(&'static str, bool, FlagKind); 18] {
        use FlagKind::{Any, OneClick, ReviewApp};
        [
            ("--repo", self.repo.is_some(), Any),
            ("--rev", self.rev.is_some(), Any),
            ("--manifest", self.manifest.is_some(), Any),
            ("--procfile", self.procfile.is_some(), Any),
            ("--default-branch", self.default_branch.is_some(), Any),
            ("--app", self.app.is_some(), Any),
            ("--region", self.region.is_some(), Any),
            ("--attempts", self.attempts.is_some(), Any),
            ("--seed", self.seed.is_some(), Any),
            ("--pr", self.pr.is_some(), ReviewApp),
            ("--parent", self.parent.is_some(), ReviewApp),
            ("--parent-name", self.parent_name.is_some(), ReviewApp),
            ("--parent-env", self.parent_env.is_some(), ReviewApp),
            ("--parent-var", !self.parent_var.is_empty(), ReviewApp),
            (
                "--parent-addon-var",
                !self.parent_addon_var.is_empty(),
                ReviewApp,
            ),
            ("--source", self.source.is_some(), OneClick),
            ("--referer", self.referer.is_some(), OneClick),
            ("--env", !self.user_env.is_empty(), OneClick),
        ]
    }

    /// The name of a flag given that only means something when the scenario is built
    /// from flags, if any: such a flag beside a SCENARIO.json would be ignored.
    pub(crate) fn stray(&self) -> Option<&'static str> {
        self.named()
            .into_iter()
            .find(|(_, given, _)| *given)
            .map(|(name, _, _)| name)
    }

    /// A flag that belongs to the other kind of app than the one asked for, if any
    /// (`--source` with `--review-app`, `--pr` with `--one-click`, ...): it would be ignored.
    fn foreign(&self) -> Option<&'static str> {
        let other = if self.review_app {
            FlagKind::OneClick
        } else {
            FlagKind::ReviewApp
        };
        self.named()
            .into_iter()
            .find(|(_, given, kind)| *given && *kind == other)
            .map(|(name, _, _)| name)
    }
}

/// A repository's files as locate reads them: the entries of one folder, and the bytes of
/// one file.
pub(crate) trait Tree {
    /// The entries of `folder` (`""` for the root, else a `/`-separated relative path): at
    /// most `budget + 1` of them, each `Some((name, is_file))`, or `None` for an entry
    /// whose name is not UTF-8 (counted, never listed). `None` for the whole when the
    /// folder does not exist or cannot be read.
    fn entries(&self, folder: &str, budget: usize) -> Option<Vec<Option<(String, bool)>>>;
    /// The bytes of the file at `path`, at most `limit`; an error (for the user) when the
    /// file is larger or cannot be read.
    fn read(&self, path: &str, limit: usize) -> Result<Vec<u8>, String>;
}

/// A folder of the file system (a working tree).
pub(crate) struct WorkTree(pub(crate) PathBuf);

impl Tree for WorkTree {
    fn entries(&self, folder: &str, budget: usize) -> Option<Vec<Option<(String, bool)>>> {
        let read = std::fs::read_dir(self.0.join(folder)).ok()?;
        let mut out = Vec::new();
        for entry in read.flatten() {
            if out.len() > budget {
                break;
            }
            // A link is not followed (as at a revision, where it is no blob): it could name a
            // file outside the repository, which would then be copied into the scenario.
            let is_file = entry.file_type().is_ok_and(|f| f.is_file());
            out.push(
                entry
                    .file_name()
                    .into_string()
                    .ok()
                    .map(|name| (name, is_file)),
            );
        }
        Some(out)
    }

    fn read(&self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        let full = self.0.join(path);
        let input = crate::read_input(&full, limit)
            .map_err(|e| format!("cannot read `{}`: {e}", full.to_string_lossy()))?;
        if input.oversize.is_some() {
            return Err(format!(
                "`{path}` is larger than {limit} bytes: `scalingo-manifest check` reports it"
            ));
        }
        Ok(input.bytes)
    }
}

/// The tree of one git commit, read with gitoxide.
pub(crate) struct CommitTree {
    repo: gix::Repository,
    tree: gix::ObjectId,
}

impl CommitTree {
    /// The tree of `rev` in the repository that holds `dir`.
    pub(crate) fn open(dir: &Path, rev: &str) -> Result<CommitTree, String> {
        let shown = dir.to_string_lossy();
        let repo =
            gix::discover(dir).map_err(|e| format!("`{shown}` is not in a git repository: {e}"))?;
        let id = repo
            .rev_parse_single(rev)
            .map_err(|e| format!("unknown revision `{rev}`: {e}"))?;
        let tree = id
            .object()
            .and_then(|o| o.peel_to_tree())
            .map_err(|e| format!("revision `{rev}` names no tree: {e}"))?
            .id;
        Ok(CommitTree { repo, tree })
    }

    /// The tree at `folder`, if there is one.
    fn tree_at(&self, folder: &str) -> Option<gix::Tree<'_>> {
        let root = self.repo.find_tree(self.tree).ok()?;
        if folder.is_empty() {
            return Some(root);
        }
        let entry = root.lookup_entry_by_path(folder).ok()??;
        if !entry.mode().is_tree() {
            return None;
        }
        self.repo.find_tree(entry.object_id()).ok()
    }
}

impl Tree for CommitTree {
    fn entries(&self, folder: &str, budget: usize) -> Option<Vec<Option<(String, bool)>>> {
        let tree = self.tree_at(folder)?;
        let mut out = Vec::new();
        for entry in tree.iter() {
            if out.len() > budget {
                break;
            }
            let Ok(entry) = entry else { break };
            let mode = entry.mode();
            // Blobs, executable or not, are files; links and submodules are not (a
            // checkout makes them a link and a folder).
            let is_file = mode.is_blob();
            out.push(
                std::str::from_utf8(entry.filename())
                    .ok()
                    .map(|name| (name.to_string(), is_file)),
            );
        }
        Some(out)
    }

    fn read(&self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        let root = self
            .repo
            .find_tree(self.tree)
            .map_err(|e| format!("cannot read the tree: {e}"))?;
        let entry = root
            .lookup_entry_by_path(path)
            .map_err(|e| format!("cannot read `{path}`: {e}"))?
            .ok_or_else(|| format!("`{path}` is not in the tree"))?;
        let id = entry.object_id();
        // The size is read from the object's header, so that a huge blob is never loaded.
        let size = self
            .repo
            .find_header(id)
            .map_err(|e| format!("cannot read `{path}`: {e}"))?
            .size();
        if usize::try_from(size).map_or(true, |s| s > limit) {
            return Err(format!(
                "`{path}` is {size} bytes, larger than {limit}: `scalingo-manifest check` reports it"
            ));
        }
        let object = self
            .repo
            .find_object(id)
            .map_err(|e| format!("cannot read `{path}`: {e}"))?;
        Ok(object.detach().data)
    }
}

/// The paths locate is given for a repository: the files of the folders from the root
/// down to the folder `project_dir` names (`segments`), sorted.
pub(crate) struct Listing {
    /// Files, as `/`-separated relative paths, sorted.
    pub(crate) paths: Vec<String>,
    /// More than `locate::MAX_PATHS` entries were read (every entry counts, folders and
    /// non-UTF-8 names included, so that the work is bounded): the tree is too large.
    pub(crate) too_large: bool,
    /// When `PROJECT_DIR` names a folder that holds no file but other entries (folders,
    /// links): the path of one of them, which stands for the folder's existence (rule
    /// `LOC-3` looks for any path under it).
    pub(crate) project_dir_entry: Option<String>,
}

impl Listing {
    /// The paths locate is given: the files, and, when no file lies in the `PROJECT_DIR`
    /// folder `segments` name, [`Listing::project_dir_entry`].
    pub(crate) fn for_locate(&self, segments: &[String]) -> Vec<String> {
        let mut paths = self.paths.clone();
        if let Some(entry) = self.project_dir_entry.as_ref() {
            let prefix = format!("{}/", segments.join("/"));
            if !paths.iter().any(|p| p.starts_with(&prefix)) {
                paths.push(entry.clone());
                paths.sort();
            }
        }
        paths
    }
}

/// Lists the folders from the root down to `segments` (rules `LOC-1`, `LOC-4`, `LOC-8`):
/// the one walk of `check DIR` and of scenarios built from a repository. A folder that does
/// not exist ends the walk. A `.git` entry is git's, never the app's.
pub(crate) fn list(tree: &dyn Tree, segments: &[String]) -> Listing {
    let mut paths = Vec::new();
    let mut project_dir_entry = None;
    let mut seen = 0usize;
    let mut folder = String::new();
    for depth in 0..=segments.len() {
        let Some(entries) = tree.entries(&folder, locate::MAX_PATHS - seen) else {
            break;
        };
        for entry in entries {
            seen += 1;
            if seen > locate::MAX_PATHS {
                return Listing {
                    paths,
                    too_large: true,
                    project_dir_entry: None,
                };
            }
            let Some((name, is_file)) = entry else {
                continue;
            };
            if !is_file && depth == segments.len() && depth > 0 && project_dir_entry.is_none() {
                project_dir_entry = Some(format!("{folder}/{name}"));
            }
            if is_file && name != ".git" {
                paths.push(if folder.is_empty() {
                    name
                } else {
                    format!("{folder}/{name}")
                });
            }
        }
        if let Some(next) = segments.get(depth) {
            folder = if folder.is_empty() {
                next.clone()
            } else {
                format!("{folder}/{next}")
            };
        }
    }
    paths.sort();
    Listing {
        paths,
        too_large: false,
        project_dir_entry,
    }
}

/// The segments of a `PROJECT_DIR` value: none for the root, or when the value is invalid
/// (locate then reports it, rule `LOC-1`).
pub(crate) fn segments(project_dir: Option<&str>) -> Vec<String> {
    project_dir
        .and_then(|raw| locate::normalize_project_dir(raw).ok())
        .map(|d| {
            d.split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The base name of a repository path.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The largest text read for a file of this name: a Procfile's or a manifest's limit.
fn limit_for(name: &str) -> usize {
    if name.eq_ignore_ascii_case("Procfile") {
        procfile::MAX_BYTES
    } else {
        manifest::MAX_INPUT_BYTES
    }
}

/// The files of a scenario's repository: the texts of the files locate reads or reports,
/// and, when `PROJECT_DIR` names a folder that holds none of them, one path of that folder
/// with an empty text, so that locate sees the folder exists (its text is never read;
/// `notes` says so).
fn repository_files(
    tree: &dyn Tree,
    project_dir: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<String, String>, String> {
    let segments = segments(project_dir);
    let listing = list(tree, &segments);
    if listing.too_large {
        return Err(format!(
            "the repository's folders hold more than {} entries: the platform's locate step reads none (SM0712)",
            locate::MAX_PATHS
        ));
    }
    let mut files = BTreeMap::new();
    for path in listing
        .paths
        .iter()
        .filter(|p| locate::reads_name(base_name(p)))
    {
        let bytes = tree.read(path, limit_for(base_name(path)))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            format!("`{path}` is not UTF-8: a scenario holds text; `scalingo-manifest check` reports where")
        })?;
        files.insert(path.clone(), text);
    }
    if !segments.is_empty() {
        let folder = segments.join("/");
        let prefix = format!("{folder}/");
        let holds = |p: &String| p.starts_with(&prefix);
        if !files.keys().any(holds) {
            let entry = listing.project_dir_entry.as_ref();
            if let Some(marker) = listing.paths.iter().find(|p| holds(p)).or(entry) {
                notes.push(format!(
                    "`{marker}` stands in the scenario for the folder `{folder}` (PROJECT_DIR) with an empty text: locate reads no file there"
                ));
                files.insert(marker.clone(), String::new());
            }
        }
    }
    Ok(files)
}

/// Splits `KEY=VALUE` (the first `=`); `what` names the flag for the error.
fn key_value(raw: &str, what: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("{what} `{raw}`: write KEY=VALUE")),
    }
}

/// Adds `key = value` to `env`; the same key with another value is an error.
fn insert_var(
    env: &mut BTreeMap<String, String>,
    key: String,
    value: String,
    from: &str,
) -> Result<(), String> {
    match env.get(&key) {
        Some(old) if *old != value => Err(format!(
            "`{key}` is given twice with two values (the second from {from}): give it once"
        )),
        _ => {
            env.insert(key, value);
            Ok(())
        }
    }
}

/// The variables of a text in the format `scalingo env` prints (rule `SCN-8`): one
/// `NAME=VALUE` line per variable, split at the first `=`, the value verbatim to the end of
/// the line (Scalingo's CLI writes `%s=%s\n`: no quotes, no escapes, no comments, so a dotenv
/// reader, which trims values and strips ` #...` and `$VAR`, would change some). A final
/// `\r` is part of a CRLF line ending, not of the value. Blank lines are skipped. A line
/// without `=`, or with nothing before it, is an error naming its line number and the
/// variable before it, never its text (it is likely a piece of that variable's value, a
/// key spanning lines): such a value cannot be read from this format (`--parent FILE`
/// holds any value).
pub(crate) fn scalingo_env(text: &str, file: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        match line.split_once('=') {
            Some((name, value)) if !name.is_empty() => {
                out.push((name.to_string(), value.to_string()))
            }
            _ => {
                let after = out
                    .last()
                    .map(|(name, _)| {
                        format!(
                            " (after `{}`: probably a line of its value)",
                            scalingo_manifest::escape::single_line(name)
                        )
                    })
                    .unwrap_or_default();
                return Err(format!(
                    "{file}:{}: not a `NAME=VALUE` line{after}; a value spanning lines cannot be read from `scalingo env` output: give the parent as JSON with --parent",
                    n + 1
                ));
            }
        }
    }
    Ok(out)
}

/// Reads a file given to a flag, at most `limit` bytes, as UTF-8.
fn read_text(path: &Path, limit: usize, flag: &str) -> Result<String, String> {
    let shown = path.to_string_lossy();
    let input = crate::read_input(path, limit)
        .map_err(|e| format!("{flag}: cannot read `{shown}`: {e}"))?;
    if input.oversize.is_some() {
        return Err(format!(
            "{flag}: `{shown}` is larger than {limit} bytes; not read"
        ));
    }
    String::from_utf8(input.bytes).map_err(|_| format!("{flag}: `{shown}` is not UTF-8"))
}

/// The parent app from `--parent`, `--parent-name`, `--parent-env` and `--parent-var`.
fn parent(flags: &ScenarioFlags, limit: usize) -> Result<ParentApp, String> {
    let mut parent = match &flags.parent {
        Some(path) => {
            let text = read_text(path, limit, "--parent")?;
            serde_json::from_str::<ParentApp>(&text).map_err(|e| {
                format!(
                    "--parent: {}:{}:{}: not a parent app: {}",
                    path.to_string_lossy(),
                    e.line(),
                    e.column(),
                    crate::parse_error_text(&e)
                )
            })?
        }
        None => ParentApp {
            name: DEFAULT_PARENT.to_string(),
            ..ParentApp::default()
        },
    };
    if let Some(name) = &flags.parent_name {
        if flags.parent.is_some() && parent.name != *name {
            return Err(format!(
                "--parent-name `{name}` and the --parent file's name `{}` differ: give one",
                parent.name
            ));
        }
        parent.name.clone_from(name);
    }
    if let Some(path) = &flags.parent_env {
        let text = read_text(path, limit, "--parent-env")?;
        for (key, value) in scalingo_env(&text, &path.to_string_lossy())? {
            insert_var(&mut parent.env, key, value, "--parent-env")?;
        }
    }
    for raw in &flags.parent_var {
        let (key, value) = key_value(raw, "--parent-var")?;
        insert_var(&mut parent.env, key, value, "--parent-var")?;
    }
    parent
        .addon_vars
        .extend(flags.parent_addon_var.iter().cloned());
    Ok(parent)
}

/// The attempts of `--attempts`.
pub(crate) fn attempts(list: &str) -> Result<Vec<Attempt>, String> {
    list.split(',')
        .map(str::trim)
        .map(|token| match token {
            "ok" => Ok(Attempt::ok()),
            "fail" => Ok(Attempt::hook_exit(1)),
            "hook-timeout" => Ok(Attempt {
                hook: HookResult::Timeout,
                ..Attempt::default()
            }),
            "build-error" => Ok(Attempt::build_error()),
            "crashed" => Ok(Attempt::start(StartResult::Crashed)),
            "start-timeout" => Ok(Attempt::start(StartResult::Timeout)),
            other => match other.strip_prefix("exit=").map(str::parse::<i32>) {
                Some(Ok(code)) => Ok(Attempt::hook_exit(code)),
                _ => Err(format!(
                    "--attempts: unknown attempt `{other}`; write ok, fail, exit=N, hook-timeout, build-error, crashed or start-timeout"
                )),
            },
        })
        .collect()
}

/// The scenario the flags describe, as of `date`, and the notes to print on stderr.
pub(crate) fn build(
    flags: &ScenarioFlags,
    date: Date,
    limit: usize,
) -> Result<(Scenario, Vec<String>), String> {
    let mut notes = Vec::new();
    if let Some(flag) = flags.foreign() {
        let (kind, other) = if flags.review_app {
            ("a one-click deploy", "--one-click")
        } else {
            ("a review app", "--review-app")
        };
        return Err(format!("{flag} describes {kind}: use it with {other}"));
    }
    let kind = if flags.review_app {
        AppKind::ReviewApp
    } else {
        AppKind::OneClick
    };
    let parent = match kind {
        AppKind::ReviewApp => Some(parent(flags, limit)?),
        AppKind::OneClick => None,
    };
    let mut user_env = BTreeMap::new();
    for raw in &flags.user_env {
        let (key, value) = key_value(raw, "--env")?;
        insert_var(&mut user_env, key, value, "--env")?;
    }
    // PROJECT_DIR is the parent's variable for a review app, the form's for a one-click
    // deploy (rule LOC-1).
    let project_dir = match &parent {
        Some(p) => p.env.get("PROJECT_DIR"),
        None => user_env.get("PROJECT_DIR"),
    }
    .cloned();
    let files = if flags.manifest.is_some() || flags.procfile.is_some() {
        // The two files are PROJECT_DIR's (its root when unset or invalid).
        let folder = segments(project_dir.as_deref()).join("/");
        let at = |name: &str| {
            if folder.is_empty() {
                name.to_string()
            } else {
                format!("{folder}/{name}")
            }
        };
        let mut files = BTreeMap::new();
        if let Some(path) = &flags.manifest {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .filter(|n| locate::MANIFEST_NAMES.contains(n))
                .unwrap_or(locate::MANIFEST_NAMES[0]);
            let text = read_text(path, manifest::MAX_INPUT_BYTES, "--manifest")?;
            files.insert(at(name), text);
        }
        if let Some(path) = &flags.procfile {
            files.insert(
                at("Procfile"),
                read_text(path, procfile::MAX_BYTES, "--procfile")?,
            );
        }
        files
    } else {
        let dir = flags.repo.clone().unwrap_or_else(|| PathBuf::from("."));
        match &flags.rev {
            Some(rev) => {
                let tree = CommitTree::open(&dir, rev)?;
                repository_files(&tree, project_dir.as_deref(), &mut notes)?
            }
            None => {
                if !dir.is_dir() {
                    return Err(format!(
                        "--repo: `{}` is not a folder",
                        dir.to_string_lossy()
                    ));
                }
                let root = crate::repository_root(&dir);
                repository_files(&WorkTree(root), project_dir.as_deref(), &mut notes)?
            }
        }
    };
    let pr_number = match kind {
        AppKind::ReviewApp => Some(flags.pr.unwrap_or(DEFAULT_PR)),
        AppKind::OneClick => None,
    };
    let name = match (&flags.app, &parent, pr_number) {
        (Some(name), _, _) => name.clone(),
        (None, Some(parent), Some(pr)) => format!("{}-pr{pr}", parent.name),
        _ => DEFAULT_ONE_CLICK_APP.to_string(),
    };
    let request = match kind {
        AppKind::OneClick => Some(OneClickRequest {
            referer: flags.referer.clone(),
            source: flags.source.clone(),
        }),
        AppKind::ReviewApp => None,
    };
    let attempts = match &flags.attempts {
        Some(list) => attempts(list)?,
        None => Vec::new(),
    };
    let scenario = Scenario {
        kind,
        date,
        seed: flags.seed,
        app: AppSpec {
            name,
            region: flags.region.clone(),
        },
        pr_number,
        repository: RepositorySpec {
            files,
            default_branch: flags.default_branch.clone(),
        },
        parent,
        request,
        user_env,
        attempts,
    };
    Ok((scenario, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree held in memory: folder -> entries.
    struct Fake(BTreeMap<&'static str, Vec<(&'static str, bool)>>);

    impl Tree for Fake {
        fn entries(&self, folder: &str, budget: usize) -> Option<Vec<Option<(String, bool)>>> {
            let entries = self.0.get(folder)?;
            Some(
                entries
                    .iter()
                    .take(budget + 1)
                    .map(|(n, f)| Some((n.to_string(), *f)))
                    .collect(),
            )
        }

        fn read(&self, path: &str, _: usize) -> Result<Vec<u8>, String> {
            Ok(format!("text of {path}").into_bytes())
        }
    }

    // LOC-4, LOC-8: the walk lists the files of the folders from the root down to
    // PROJECT_DIR, and no others; a `.git` entry is not a file of the app.
    #[test]
    fn loc_4_list_walks_from_the_root_to_project_dir() {
        let tree = Fake(BTreeMap::from([
            (
                "",
                vec![
                    ("app.json", true),
                    ("api", false),
                    (".git", true),
                    ("docs", false),
                ],
            ),
            ("api", vec![("Procfile", true), ("v2", false)]),
            ("api/v2", vec![("scalingo.json", true), ("main.go", true)]),
            ("docs", vec![("scalingo.json", true)]),
        ]));
        let listing = list(&tree, &segments(Some("/api/v2/")));
        assert!(!listing.too_large);
        assert_eq!(
            listing.paths,
            [
                "api/Procfile",
                "api/v2/main.go",
                "api/v2/scalingo.json",
                "app.json"
            ]
        );
        assert_eq!(list(&tree, &segments(None)).paths, ["app.json"]);
        // An invalid PROJECT_DIR walks nothing but the root (locate reports the value).
        assert_eq!(list(&tree, &segments(Some("../x"))).paths, ["app.json"]);
    }

    // LOC-1: past MAX_PATHS entries the walk stops and says the tree is too large.
    #[test]
    fn loc_1_list_is_bounded() {
        let names: Vec<&'static str> = (0..=locate::MAX_PATHS)
            .map(|i| &*Box::leak(format!("f{i}").into_boxed_str()))
            .collect();
        let tree = Fake(BTreeMap::from([(
            "",
            names.iter().map(|n| (*n, true)).collect(),
        )]));
        assert!(list(&tree, &[]).too_large);
    }

    // LOC-3: a PROJECT_DIR folder holding no file locate reads is kept by one path with an
    // empty text, and a note says so; the files locate reads are kept with their texts.
    #[test]
    fn loc_3_project_dir_folder_is_kept_by_a_marker() {
        let tree = Fake(BTreeMap::from([
            (
                "",
                vec![("scalingo.json", true), ("README.md", true), ("web", false)],
            ),
            ("web", vec![("index.js", true), ("package.json", true)]),
        ]));
        let mut notes = Vec::new();
        let files = repository_files(&tree, Some("web"), &mut notes).expect("read");
        assert_eq!(
            files,
            BTreeMap::from([
                (
                    "scalingo.json".to_string(),
                    "text of scalingo.json".to_string()
                ),
                ("web/index.js".to_string(), String::new()),
            ])
        );
        assert_eq!(notes.len(), 1);
        let mut notes = Vec::new();
        let files = repository_files(&tree, None, &mut notes).expect("read");
        assert_eq!(files.len(), 1);
        assert!(notes.is_empty());
        // A PROJECT_DIR folder that holds only folders is kept by one of them.
        let tree = Fake(BTreeMap::from([
            ("", vec![("scalingo.json", true), ("api", false)]),
            ("api", vec![("src", false), ("lib", false)]),
        ]));
        let listing = list(&tree, &segments(Some("api")));
        assert_eq!(listing.project_dir_entry.as_deref(), Some("api/src"));
        assert_eq!(
            listing.for_locate(&segments(Some("api"))),
            ["api/src", "scalingo.json"]
        );
        let mut notes = Vec::new();
        let files = repository_files(&tree, Some("api"), &mut notes).expect("read");
        assert_eq!(files.get("api/src").map(String::as_str), Some(""));
        assert_eq!(notes.len(), 1);
        let located = locate::locate(
            listing
                .for_locate(&segments(Some("api")))
                .iter()
                .map(String::as_str),
            Some("api"),
        );
        assert!(
            located
                .diagnostics
                .iter()
                .all(|d| d.code != scalingo_manifest::Code::ProjectDirMissing),
            "{:?}",
            located.diagnostics
        );
    }

    // SCN-8: the lines `scalingo env` prints, values verbatim (spaces, `#`, `$`, quotes and
    // `=` kept); blank lines skipped; CRLF read as LF; a line without `=` refused with its
    // number and the variable before it, never its text.
    #[test]
    fn scn_8_scalingo_env_lines_are_read_verbatim() {
        let vars = scalingo_env(
            "A=1\nB= x y  \nC=pa$word #not a comment\nD=\"q\"\nE=\nF=a=b\r\n\n",
            "f",
        )
        .expect("valid");
        assert_eq!(
            vars,
            [
                ("A", "1"),
                ("B", " x y  "),
                ("C", "pa$word #not a comment"),
                ("D", "\"q\""),
                ("E", ""),
                ("F", "a=b")
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        let e = scalingo_env("A=1\nKEY=-----BEGIN KEY-----\nMIIsecret\n", "f").expect_err("no =");
        assert!(
            e.starts_with("f:3: not a `NAME=VALUE` line (after `KEY`"),
            "{e}"
        );
        assert!(!e.contains("MIIsecret"), "the line is not quoted: {e}");
        assert!(
            scalingo_env("# a comment\n", "f").is_err(),
            "no line is dropped"
        );
        assert!(scalingo_env("=x\n", "f").is_err());
    }

    // --attempts: each token, and an unknown one.
    #[test]
    fn attempts_tokens() {
        let list = attempts("ok, fail,exit=3,hook-timeout,build-error,crashed,start-timeout")
            .expect("valid");
        assert_eq!(
            list,
            [
                Attempt::ok(),
                Attempt::hook_exit(1),
                Attempt::hook_exit(3),
                Attempt {
                    hook: HookResult::Timeout,
                    ..Attempt::default()
                },
                Attempt::build_error(),
                Attempt::start(StartResult::Crashed),
                Attempt::start(StartResult::Timeout),
            ]
        );
        assert!(attempts("ok,retry").is_err());
        assert!(attempts("exit=x").is_err());
    }

    // A variable given twice with two values is refused; twice with one value is fine.
    #[test]
    fn a_variable_given_twice_with_two_values_is_refused() {
        let mut env = BTreeMap::new();
        insert_var(&mut env, "A".into(), "1".into(), "x").expect("first");
        insert_var(&mut env, "A".into(), "1".into(), "x").expect("same value");
        assert!(insert_var(&mut env, "A".into(), "2".into(), "x").is_err());
        assert!(key_value("=1", "--env").is_err());
        assert!(key_value("A", "--env").is_err());
        assert_eq!(key_value("A=b=c", "--env"), Ok(("A".into(), "b=c".into())));
    }
}
