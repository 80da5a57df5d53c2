//! `scalingo-manifest`: check Scalingo deploy manifests and Procfiles, and resolve deploy
//! scenarios, from the command line.
//!
//! ```text
//! scalingo-manifest check [--kind auto|manifest|procfile] [--format human|json|github|gitlab|sarif]
//!                         [--color auto|always|never] [--date YYYY-MM-DD] [--deny warnings]
//!                         [--quiet] [--project-dir DIR] [FILE|DIR]...
//! scalingo-manifest resolve [--date YYYY-MM-DD] [--print-scenario] SCENARIO.json
//! scalingo-manifest explain [--date YYYY-MM-DD] [--print-scenario] SCENARIO.json
//! scalingo-manifest resolve|explain --review-app|--one-click [--repo DIR] [--rev REV]
//!                         [--manifest FILE] [--procfile FILE] [--parent FILE]
//!                         [--parent-env FILE] [--parent-var K=V]... [--source URL]
//!                         [--referer URL] [--env K=V]... [--attempts LIST] [--seed N] ...
//! scalingo-manifest diff [--format human|json] [--show-values] [--all] [--deny warnings]
//!                         [--base REV --head REV] (SCENARIO.json | --review-app ...)
//! scalingo-manifest codes [--format human|json] [CODE] | codes --pages DIR
//! scalingo-manifest rule ID
//! scalingo-manifest decision ID
//! scalingo-manifest schema
//! scalingo-manifest conformance regen [--check] [--dir DIR]
//! scalingo-manifest conformance gen --seed N --count K --out DIR [--capability LIST]
//! scalingo-manifest conformance pack --out DIR [--since OLD-INDEX] [--spec DIR]
//! scalingo-manifest conformance run --impl COMMAND [--per-case] [--filter TERM]...
//!                         [--xfail FILE] [--format human|json] [--timeout SECONDS]
//! scalingo-manifest conformance bench --impl COMMAND [--per-case] [--seconds S]
//! scalingo-manifest harness [--per-case]
//! ```
//!
//! * `check` reads each `FILE` (`-` is stdin) as a manifest (`scalingo.json`, `app.json`)
//!   or, when its base name ends with `Procfile` (or with `--kind procfile`), as a
//!   Procfile. A folder (`.` when no argument is given) is a repository: its root is the
//!   nearest folder up that holds `.git`, and the manifest and Procfile the platform would
//!   read (`PROJECT_DIR` from `--project-dir` or the environment, `spec/locate.md`) are
//!   checked, after a line naming them. Every finding is printed: rustc-style text by
//!   default (spec rule `DIAG-10`), one JSON array with `--format json` (rule `DIAG-11`),
//!   GitHub Actions workflow commands, a GitLab Code Quality array, or a SARIF 2.1.0 log
//!   (rule `DIAG-14`). Exit status (rule
//!   `DIAG-9`): `0` when no file has an error (nor, with `--deny warnings`, a warning), `1`
//!   otherwise, `2` on a usage error or when some file cannot be read (the others are still
//!   checked; `2` wins over `1`). Inputs are read up to their size limit plus one byte
//!   (1 MiB, rules `LIM-1` and `PROC-LIM-1`), so a huge file or an endless stream is never
//!   held in memory.
//! * `resolve` reads a scenario (JSON, see `spec/scenario.md`; `-` is stdin; at most
//!   64 MiB) and prints the canonical JSON of its outcome (rule `SCN-2`); `explain` prints
//!   the human explanation of the same outcome (rule `SCN-3`). Exit status: `0` when the
//!   outcome's status is `ok`, `1` otherwise, `2` when the scenario cannot be read or
//!   parsed (the message gives the line and column). Without a scenario file,
//!   `--review-app` or `--one-click` builds the scenario from a repository (the working
//!   tree, a commit's tree with `--rev`, or `--manifest` and `--procfile`) and flags (rule
//!   `SCN-8`, module `assemble`); `--print-scenario` prints the scenario instead of
//!   resolving it.
//! * `diff` compares what a review app gets with its parent app, or the review apps of two
//!   revisions (`--base`, `--head`), section by section (rule `SCN-9`, module
//!   `scalingo_manifest_cli::diff`); values that look like credentials are masked.
//! * `--date` gives the day whose platform facts apply (rule `PLAT-1`, `spec/platform.md`):
//!   `check` uses today in UTC without it; `resolve` and `explain` use the scenario's own
//!   `date`, or today when it has none. This is the one place the program reads the clock.
//! * `codes` lists every diagnostic code: code, default severity, rule and summary; `codes
//!   CODE` explains one, with the text of its rule. `rule ID` and `decision ID` print a rule
//!   or a decision of the spec, compiled into the binary.
//! * `schema` prints the engine's JSON Schema of a manifest (draft 2020-12, rule
//!   `MAN-11`), the bytes of `spec/manifest.schema.json`.
//! * `conformance regen` rewrites the conformance suite's expected outputs, index and
//!   schema from the reference engine (`--check`: write nothing, list what would change,
//!   exit 1 if anything would); `conformance gen` writes random cases with their expected
//!   outputs (`spec/vectors.md`); `conformance pack` writes the suite's versioned archive.
//! * `conformance run` drives an implementation (`sh -c COMMAND`) through the suite over
//!   the conformance protocol (`spec/protocol.md`) and reports every failing case, the
//!   totals and the result; exit status 0 when everything not expected to fail passes, 1
//!   otherwise, 2 when the suite, the expected-failures file or the implementation cannot
//!   be used. `conformance bench` measures cases per second.
//! * `harness` serves the reference engine over the protocol on stdin and stdout
//!   (persistent mode, or one case with `--per-case`). Its hidden `--break FAMILY` option
//!   is a testing aid: a deliberately wrong engine for one rule family.
//!
//! Results go to stdout; usage and I/O errors go to stderr. Every human output escapes
//! the control and bidirectional characters of the text it quotes (rule `DIAG-13`,
//! `scalingo_manifest::escape`). Colour is used only with
//! `--color always`, or with `--color auto` (the default) when stdout is a terminal and
//! the environment variable `NO_COLOR` is not set to a non-empty value.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod assemble;

use scalingo_manifest::platform::Date;
use scalingo_manifest::{manifest, procfile, scenario, Code};
use scalingo_manifest_cli::render::{self, FileReport, Kind, SourceView, Verdict};

/// Largest scenario read by `resolve` and `explain`, in bytes.
const MAX_SCENARIO_BYTES: usize = 64 * 1024 * 1024;

/// Exit status for usage and I/O errors (rule `DIAG-9`).
const EXIT_IO: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "scalingo-manifest",
    version,
    about = "Check Scalingo deploy manifests (scalingo.json, app.json) and Procfiles; resolve deploy scenarios",
    long_about = None,
    propagate_version = true,
    args_override_self = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The end of `resolve --help` and `explain --help`: where the scenario format is
/// documented, and a minimal scenario.
const SCENARIO_HELP: &str = "\
The scenario format is spec/scenario.md (rule SCN-1); spec/examples/scenarios/ holds worked ones.
A repository file may be written as text or, for a manifest, as a JSON object. A minimal one:

  {\"kind\": \"review-app\", \"date\": \"2026-12-07\", \"seed\": 1, \"pr_number\": 12,
   \"app\": {\"name\": \"my-app-pr12\"},
   \"parent\": {\"name\": \"my-app\", \"env\": {\"API_KEY\": \"k\"}},
   \"repository\": {\"files\": {\"scalingo.json\": {\"env\": {\"DEBUG\": {\"value\": \"1\"}}},
                               \"Procfile\": \"web: ./server\\n\"}},
   \"attempts\": [{}]}

Or, without a file, from the repository in the current folder (spec rule SCN-8):

  scalingo-manifest explain --review-app --parent-env parent.env --pr 12 --attempts fail,ok";

#[derive(Debug, Subcommand)]
enum Command {
    /// Check manifests and Procfiles; exit 0 when no error, 1 on errors, 2 when a file
    /// cannot be read
    Check(CheckArgs),
    /// Resolve a deploy scenario and print its outcome as JSON
    #[command(after_help = SCENARIO_HELP)]
    Resolve(ScenarioArgs),
    /// Resolve a deploy scenario and explain every decision
    #[command(after_help = SCENARIO_HELP)]
    Explain(ScenarioArgs),
    /// Show what a review app gets beside its parent app (env, addons, formation, stack,
    /// firewall rules, hooks), or, with --base and --head, how a change of the repository
    /// changes what review apps get
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// List every diagnostic code (code, severity, rule, summary), or explain one: its
    /// summary and the text of its rule, from the spec compiled in
    Codes {
        /// The code to explain (`SM0105`); without it, every code is listed
        #[arg(value_name = "CODE", conflicts_with = "pages")]
        code: Option<String>,
        /// Write the page of every code to DIR/<CODE>.md (docs/codes/ holds them; SARIF's
        /// helpUri points there)
        #[arg(long, value_name = "DIR")]
        pages: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print a rule of the spec (`ENV-8`): its text, sources, diagnostics and example
    Rule {
        /// The rule ID
        #[arg(value_name = "RULE")]
        id: String,
    },
    /// Print a decision of the spec (`D-18`): its text and sources
    Decision {
        /// The decision ID
        #[arg(value_name = "D-N")]
        id: String,
    },
    /// Print the engine's JSON Schema of a manifest (draft 2020-12, spec rule MAN-11)
    Schema,
    /// Maintain and extend the conformance suite (spec/vectors.md), and run it against an
    /// implementation (spec/protocol.md)
    Conformance {
        #[command(subcommand)]
        command: ConformanceCommand,
    },
    /// Serve the reference engine over the conformance protocol on stdin/stdout
    /// (spec/protocol.md)
    Harness {
        /// Answer one case read from stdin, then exit (per-case mode)
        #[arg(long)]
        per_case: bool,
        /// Testing aid: break one rule family on purpose (JSON, MAN-ENV, ENV, ADD, FRM,
        /// HOOK, LOC, SRC, PROC, ...), see spec/protocol.md
        #[arg(long = "break", value_name = "FAMILY", hide = true)]
        broken: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ConformanceCommand {
    /// Rewrite every case's `expected`, index.json and case.schema.json from the reference
    /// engine; with --check, write nothing, list the files that would change, exit 1 if any
    Regen {
        /// Only report the files whose bytes would change
        #[arg(long)]
        check: bool,
        /// The suite folder [default: spec/vectors]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Write K random cases of seed N (ids GEN-<N>-<k>) with the reference's expected
    /// outputs to DIR/<capability>/<id>.json, and DIR/index.json
    Gen {
        /// The seed: the same seed always gives the same cases
        #[arg(long, value_name = "N")]
        seed: u64,
        /// How many cases
        #[arg(long, value_name = "K")]
        count: u64,
        /// The output folder (created if needed)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only cases of these capabilities (comma-separated, repeatable; default: all), for
        /// an implementation that claims some of them; the cases then differ from those of
        /// an unrestricted run
        #[arg(long, value_name = "LIST", value_delimiter = ',')]
        capability: Vec<String>,
    },
    /// Write the versioned archive of the suite, scalingo-manifest-suite-<version>.tar.gz
    /// (the spec, the cases, the schemas, README.md and CHANGES.md), to DIR
    Pack {
        /// The output folder (created if needed)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The index.json of an earlier suite: CHANGES.md lists the ids added, changed and
        /// retired since (e.g. `git show v0.1.0:spec/vectors/index.json > old.json`)
        #[arg(long, value_name = "FILE")]
        since: Option<PathBuf>,
        /// The spec folder holding vectors/ [default: spec]
        #[arg(long, value_name = "DIR")]
        spec: Option<PathBuf>,
    },
    /// Run an implementation through the suite over the conformance protocol
    /// (spec/protocol.md); exit 0 when everything not expected to fail passes
    Run(RunArgs),
    /// Measure how many cases per second an implementation runs (whole passes over the
    /// selected cases, for at least --seconds)
    Bench {
        #[command(flatten)]
        common: ImplArgs,
        /// Minimum measuring time, in seconds
        #[arg(long, value_name = "S", default_value_t = 5.0)]
        seconds: f64,
    },
}

#[derive(Debug, Args)]
struct ImplArgs {
    /// The implementation's command, run with `sh -c`
    #[arg(long = "impl", value_name = "COMMAND")]
    command: String,
    /// Start the implementation once per case (the case on stdin, the answer on stdout)
    /// instead of once for the whole run
    #[arg(long)]
    per_case: bool,
    /// Select cases by id, capability, status, rule, decision or tag; `PREFIX*` matches a
    /// prefix, `!TERM` excludes; repeatable, or comma-separated. Terms of one kind are
    /// alternatives, of different kinds must all match; a filter that selects nothing exits 2
    #[arg(long, value_name = "TERM")]
    filter: Vec<String>,
    /// Seconds the implementation has to answer one case (and `start`)
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    timeout: f64,
    /// The suite folder (a folder written by `conformance gen` works too) [default:
    /// spec/vectors]
    #[arg(long, value_name = "DIR")]
    suite: Option<PathBuf>,
    /// Per-case mode only: the capabilities the implementation implements
    /// (comma-separated; default: all)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    capabilities: Vec<String>,
    /// Per-case mode only: the features it declares (verdict-only, no-positions,
    /// exact-secrets)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    features: Vec<String>,
}

#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    common: ImplArgs,
    /// The expected-failures file: `ID  reason` lines (spec/protocol.md)
    #[arg(long, value_name = "FILE")]
    xfail: Option<PathBuf>,
    /// Report format: human text, or one JSON object for CI dashboards
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// `--date`: the day whose platform facts apply (spec/platform.md, rule PLAT-1).
#[derive(Debug, Args)]
struct DateArg {
    /// The day whose platform facts apply, YYYY-MM-DD (default: the scenario's `date`,
    /// else today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<Date>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Today in UTC: the one place the program reads the clock (the library never does).
fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    // Outside the years 1 to 9999 only with a broken clock: the catalogue's own day then.
    Date::from_unix_seconds(seconds).unwrap_or(scalingo_manifest::platform::AS_OF)
}

/// The scenario of `resolve` and `explain`: a file, or flags.
#[derive(Debug, Args)]
struct ScenarioArgs {
    /// The scenario JSON file (`-` for stdin); without it, --review-app or --one-click
    /// builds the scenario from a repository and flags
    #[arg(value_name = "SCENARIO.json", required_unless_present_any = ["review_app", "one_click"], conflicts_with_all = ["review_app", "one_click"])]
    scenario: Option<PathBuf>,
    #[command(flatten)]
    date: DateArg,
    /// Print the scenario (JSON, spec/scenario.md) instead of resolving it: a run on a real
    /// repository becomes a reproducible case
    #[arg(long)]
    print_scenario: bool,
    #[command(flatten)]
    flags: assemble::ScenarioFlags,
}

/// The end of `diff --help`.
const DIFF_HELP: &str = "\
The review app is described as for `resolve` (a SCENARIO.json, or --review-app and the flags that
build one from the repository, spec rule SCN-8); spec rule SCN-9 says what is compared. Values that
look like credentials (rule ENV-16) are shown as **** unless --show-values. Examples:

  scalingo-manifest diff --review-app --parent-env parent.env --parent parent.json
  scalingo-manifest diff --review-app --parent-env parent.env --base main --head HEAD";

/// The arguments of `diff`.
#[derive(Debug, Args)]
struct DiffArgs {
    /// The scenario JSON file (`-` for stdin) of a review app; without it, --review-app
    /// builds it from a repository and flags
    #[arg(value_name = "SCENARIO.json", required_unless_present = "review_app", conflicts_with_all = ["review_app", "base", "head"])]
    scenario: Option<PathBuf>,
    #[command(flatten)]
    date: DateArg,
    /// Compare the review apps of two revisions of the repository: this one ...
    #[arg(long, value_name = "REV", requires = "head", conflicts_with_all = ["rev", "manifest", "procfile"])]
    base: Option<String>,
    /// ... and this one
    #[arg(long, value_name = "REV", requires = "base")]
    head: Option<String>,
    /// Show the values that look like credentials instead of ****
    #[arg(long)]
    show_values: bool,
    /// Human output: list what is kept too, not only what changes
    #[arg(long)]
    all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 on warnings too (`--deny warnings`: an inherited credential, rule ENV-16)
    #[arg(long, value_enum, value_name = "SEVERITY")]
    deny: Option<DenyArg>,
    #[command(flatten)]
    flags: assemble::ScenarioFlags,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files to check (`-` for stdin), or folders: a folder (`.` when none is given) is a
    /// repository whose manifest and Procfile are located as the platform does (spec/locate.md)
    #[arg(value_name = "FILE|DIR")]
    files: Vec<PathBuf>,
    /// The app's PROJECT_DIR for a folder argument (default: the PROJECT_DIR environment
    /// variable; unset: the repository root)
    #[arg(long, value_name = "DIR")]
    project_dir: Option<String>,
    /// How to read the files: `auto` reads a file whose name ends with `Procfile` as a Procfile
    /// and anything else (stdin too) as a manifest
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    kind: KindArg,
    /// Output format: human text, JSON, GitHub Actions annotations (workflow commands),
    /// GitLab Code Quality (JSON), or SARIF 2.1.0 (code scanning)
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// SARIF: the absolute URI each rule's `helpUri` starts with, followed by `<CODE>.md`
    /// (for example the address of this repository's docs/codes/)
    #[arg(long, value_name = "URI")]
    sarif_help_base: Option<String>,
    /// When to colour human output (`auto`: stdout is a terminal and NO_COLOR is unset)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// The day whose platform facts apply, YYYY-MM-DD (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<Date>,
    /// Exit 1 on warnings too (`--deny warnings`), not only on errors
    #[arg(long, value_enum, value_name = "SEVERITY")]
    deny: Option<DenyArg>,
    /// Human output: no summary line, and nothing at all when there is no finding
    #[arg(long)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
    Gitlab,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DenyArg {
    Warnings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    Auto,
    Manifest,
    Procfile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Writes one line to stderr, escaped as a single-line field (spec rule `DIAG-13`): file
/// names, paths, parse errors and the problems of a suite can quote anything, and none of
/// it may reach the terminal as a control sequence or a line of its own.
macro_rules! stderr_line {
    ($($arg:tt)*) => {
        eprintln!("{}", scalingo_manifest::escape::single_line(&format!($($arg)*)))
    };
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let code = match cli.command {
        Command::Check(args) => check(&args),
        Command::Diff(args) => diff(&args),
        Command::Resolve(args) => resolve(&args, false),
        Command::Explain(args) => resolve(&args, true),
        Command::Codes {
            pages: Some(dir), ..
        } => code_pages(&dir),
        Command::Codes {
            code: None, format, ..
        } => codes(format),
        Command::Codes {
            code: Some(code),
            format,
            ..
        } => explain_code(&code, format),
        Command::Rule { id } => spec_section(&id, "rule"),
        Command::Decision { id } => spec_section(&id, "decision"),
        Command::Schema => emit(&manifest::schema::to_text()).err().unwrap_or(0),
        Command::Conformance { command } => conformance(command),
        Command::Harness { per_case, broken } => harness(per_case, broken.as_deref()),
    };
    ExitCode::from(code)
}

/// Prints a command-line parsing error (or the help and version text) as clap would, the
/// error escaped as a multi-line field (spec rule `DIAG-13`: clap quotes the arguments it
/// rejects, and an argument can hold anything).
fn usage_error(e: &clap::Error) -> ExitCode {
    if e.use_stderr() {
        let text = e.render().to_string();
        eprint!("{}", scalingo_manifest::escape::multi_line(&text));
    } else {
        // `--help` and `--version`: the program's own text, on stdout.
        let _ = e.print();
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(EXIT_IO))
}

/// Writes `text` to stdout. A closed pipe (`| head`) is not an error; any other write
/// failure is reported on stderr and makes the exit status 2.
fn emit(text: &str) -> Result<(), u8> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            stderr_line!("error: cannot write to stdout: {e}");
            Err(EXIT_IO)
        }
    }
}

/// How a path is shown: as given, `-` for stdin, lossy for non-UTF-8 names.
fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == OsStr::new("-")
}

/// The bytes of one input, read up to `limit + 1` bytes.
struct Input {
    bytes: Vec<u8>,
    /// When more than `limit` bytes were available: the real size when known (regular
    /// files), else `None`.
    oversize: Option<Option<u64>>,
}

/// Reads `path` (`-` for stdin) up to `limit + 1` bytes. A directory is an error.
fn read_input(path: &Path, limit: usize) -> io::Result<Input> {
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    let mut size = None;
    if is_stdin(path) {
        io::stdin().lock().take(cap).read_to_end(&mut bytes)?;
    } else {
        let file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        if meta.is_file() {
            size = Some(meta.len());
        }
        file.take(cap).read_to_end(&mut bytes)?;
    }
    let oversize = (bytes.len() > limit).then_some(size);
    Ok(Input { bytes, oversize })
}

/// Checks one readable input and returns its report. When the input was cut at its limit,
/// the size finding is made by the engine with the real size (or "more than") instead of
/// the cut length; it is the only finding of an oversized input.
fn check_input(file: &str, kind: Kind, input: &Input, limit: usize, date: Date) -> FileReport {
    let mut report = render::check_bytes(file, kind, &input.bytes, date);
    if let Some(real) = input.oversize {
        let size = match real {
            Some(n) => n.to_string(),
            None => format!("more than {limit}"),
        };
        for d in &mut report.diagnostics {
            match d.code {
                Code::InputTooLarge => *d = manifest::input_too_large(&size),
                Code::ProcfileTooLarge => *d = procfile::too_large(&size),
                _ => {}
            }
        }
    }
    report
}

/// What `check` reads, in order: files as given, and for a folder (or `.` when nothing is
/// given) its repository report followed by the manifest and the Procfile located in it.
enum Target {
    File(PathBuf, Option<Kind>),
    Repository(FileReport),
}

fn check_targets(args: &CheckArgs) -> Vec<Target> {
    let given = if args.files.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.files.clone()
    };
    // Nothing the user wrote is dropped without a word.
    if args.project_dir.is_some() && !given.iter().any(|p| !is_stdin(p) && p.is_dir()) {
        stderr_line!("note: --project-dir is used for folder arguments only, and none was given");
    }
    let (flag, from) = match (&args.project_dir, std::env::var("PROJECT_DIR")) {
        (Some(dir), _) => (Some(dir.clone()), Some("--project-dir")),
        (None, Ok(dir)) => (Some(dir), Some("PROJECT_DIR")),
        (None, Err(_)) => (None, None),
    };
    let mut targets = Vec::with_capacity(given.len());
    for path in given {
        if is_stdin(&path) || !path.is_dir() {
            targets.push(Target::File(path, None));
            continue;
        }
        let (report, root) = locate_in(&path, flag.as_deref(), from);
        let found: Vec<(String, Kind)> = report
            .located
            .iter()
            .flat_map(|l| {
                l.manifest
                    .iter()
                    .map(|m| (m.clone(), Kind::Manifest))
                    .chain(l.procfile.iter().map(|p| (p.clone(), Kind::Procfile)))
            })
            .collect();
        targets.push(Target::Repository(report));
        for (rel, kind) in found {
            // `.` is the current folder: its files are shown as the repository names them.
            let path = if root == Path::new(".") {
                PathBuf::from(rel)
            } else {
                root.join(rel)
            };
            targets.push(Target::File(path, Some(kind)));
        }
    }
    targets
}

/// The root of the repository that holds the folder `dir`: the nearest folder up from
/// `dir` that holds `.git` (`dir` itself when none does, or when `dir` is that folder).
fn repository_root(dir: &Path) -> PathBuf {
    let abs = std::fs::canonicalize(dir).ok();
    abs.as_deref()
        .and_then(|abs| abs.ancestors().find(|a| a.join(".git").exists()))
        .filter(|r| abs.as_deref() != Some(*r))
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf)
}

/// The repository report of the folder `dir` (rules `LOC-*`): its root is the nearest
/// folder up from `dir` that holds `.git` (else `dir`); the files of the folders from the
/// root down to `PROJECT_DIR` (`project_dir`, from `from`) are listed, at most
/// `locate::MAX_PATHS` + 1 of them, and located as the platform locates them. Returns the
/// report and the root (the path the located files are joined to).
fn locate_in(dir: &Path, project_dir: Option<&str>, from: Option<&str>) -> (FileReport, PathBuf) {
    use scalingo_manifest::locate;
    let root = repository_root(dir);
    let segments = assemble::segments(project_dir);
    let listing = assemble::list(&assemble::WorkTree(root.clone()), &segments);
    let mut paths = listing.for_locate(&segments);
    if listing.too_large {
        // More than `MAX_PATHS` paths for locate: it reports SM0712 and matches none
        // (the filler is a valid path, repeated, so that it adds no finding of its own).
        paths.resize(locate::MAX_PATHS + 1, "(more entries)".to_string());
    }
    let mut located = locate::locate(paths.iter().map(String::as_str), project_dir);
    // A finding about one listed file points into locate's input (`/files/<index>`), which
    // the user never wrote: it is about the repository, and its message names the file.
    for d in &mut located.diagnostics {
        if d.pointer.starts_with("/files") {
            d.pointer = String::new();
        }
    }
    let mut report = FileReport::new(shown(&root), Kind::Repository, located.diagnostics);
    report.located = Some(render::LocatedFiles {
        project_dir: located.project_dir,
        project_dir_from: from.map(str::to_string),
        manifest: located.manifest,
        procfile: located.procfile,
        searched: located.searched,
    });
    (report, root)
}

fn limit_for(kind: Kind) -> usize {
    match kind {
        // a repository is not read as bytes (see `locate_in`)
        Kind::Manifest | Kind::Repository => manifest::MAX_INPUT_BYTES,
        Kind::Procfile => procfile::MAX_BYTES,
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && io::stdout().is_terminal()
        }
    }
}

/// Writes `check`'s reports one file at a time in the chosen format (rules `DIAG-9` to
/// `DIAG-11`): human text with a blank line between files, the JSON and GitLab arrays item
/// by item, GitHub workflow commands. After a failed write (other than a closed pipe)
/// nothing more is written.
struct ReportWriter {
    format: CheckFormat,
    color: bool,
    quiet: bool,
    /// Items written to the JSON or GitLab array.
    items: usize,
    /// Whether human text was written.
    printed_any: bool,
    /// The exit status of a failed write; 0 while every write succeeded.
    status: u8,
    /// The SARIF log, written whole at the end.
    sarif: Option<render::Sarif>,
}

impl ReportWriter {
    fn emit(&mut self, text: &str) {
        if self.status == 0 && !text.is_empty() {
            if let Err(code) = emit(text) {
                self.status = code;
            }
        }
    }

    /// One element of the JSON or GitLab array.
    fn item(&mut self, item: &str) {
        let sep = if self.items == 0 { "[\n" } else { ",\n" };
        self.items += 1;
        self.emit(&format!("{sep}{item}"));
    }

    /// One file's report, its findings shown on the file's `bytes`; `head` leads its human
    /// text (a repository's located files).
    fn report(&mut self, report: &FileReport, bytes: &[u8], head: &str) {
        match self.format {
            CheckFormat::Human => {
                let mut body = head.to_string();
                if !report.diagnostics.is_empty() {
                    let source = SourceView::new(bytes);
                    body.push_str(&render::human_file(report, &source, self.color));
                }
                if !body.is_empty() {
                    let sep = if self.printed_any { "\n" } else { "" };
                    self.printed_any = true;
                    self.emit(&format!("{sep}{body}"));
                }
            }
            CheckFormat::Json => self.item(&render::json_report_item(report)),
            CheckFormat::Github => self.emit(&render::github_file(report)),
            CheckFormat::Gitlab => {
                for item in render::gitlab_items(report) {
                    self.item(&render::pretty_array_item(&item));
                }
            }
            CheckFormat::Sarif => {
                if let Some(sarif) = &mut self.sarif {
                    sarif.add(report);
                }
            }
        }
    }

    /// The end: the human summary of `reports`, or the array's closing bracket.
    fn finish(&mut self, reports: &[FileReport]) {
        let out = match self.format {
            CheckFormat::Human if self.quiet => String::new(),
            CheckFormat::Human => {
                let sep = if self.printed_any { "\n" } else { "" };
                format!("{sep}{}", render::summary(reports))
            }
            CheckFormat::Json | CheckFormat::Gitlab if self.items == 0 => "[]\n".to_string(),
            CheckFormat::Json | CheckFormat::Gitlab => "\n]\n".to_string(),
            CheckFormat::Github => String::new(),
            CheckFormat::Sarif => self
                .sarif
                .take()
                .map(render::Sarif::finish)
                .unwrap_or_default(),
        };
        self.emit(&out);
    }
}

/// `check` (rules `DIAG-9`, `DIAG-10`, `DIAG-11`).
fn check(args: &CheckArgs) -> u8 {
    let mut out = ReportWriter {
        format: args.format,
        color: args.format == CheckFormat::Human && use_color(args.color),
        quiet: args.quiet,
        items: 0,
        printed_any: false,
        status: 0,
        sarif: (args.format == CheckFormat::Sarif)
            .then(|| render::Sarif::new(args.sarif_help_base.clone())),
    };
    if args.sarif_help_base.is_some() && args.format != CheckFormat::Sarif {
        stderr_line!("note: --sarif-help-base is used with --format sarif only");
    }
    if let Some(base) = &args.sarif_help_base {
        // SARIF's helpUri and informationUri are absolute URIs.
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.contains(char::is_whitespace)
        {
            stderr_line!("error: --sarif-help-base `{base}` is not an absolute http(s) URI");
            return EXIT_IO;
        }
    }
    // One file at a time: each report is written, then its findings are released; only
    // the counts and verdicts stay for the summary (memory does not grow with the files).
    let mut reports = Vec::with_capacity(args.files.len());
    let mut stdin: Option<Result<Input, String>> = None;
    let date = args.date.unwrap_or_else(today);
    for target in check_targets(args) {
        let (path, forced) = match target {
            Target::File(path, forced) => (path, forced),
            Target::Repository(report) => {
                let head = if args.quiet {
                    String::new()
                } else {
                    render::repository_line(&report)
                };
                out.report(&report, b"", &head);
                reports.push(FileReport {
                    diagnostics: Vec::new(),
                    ..report
                });
                continue;
            }
        };
        let path = &path;
        let file = shown(path);
        let kind = match (forced, args.kind) {
            (Some(kind), _) => kind,
            (None, KindArg::Auto) => Kind::for_path(&file),
            (None, KindArg::Manifest) => Kind::Manifest,
            (None, KindArg::Procfile) => Kind::Procfile,
        };
        let limit = limit_for(kind);
        // stdin is read once; `-` given twice checks the same bytes twice.
        let owned;
        let read: Result<&Input, String> = if is_stdin(path) {
            stdin
                .get_or_insert_with(|| read_input(path, limit).map_err(|e| e.to_string()))
                .as_ref()
                .map_err(String::clone)
        } else {
            owned = read_input(path, limit);
            owned.as_ref().map_err(|e| e.to_string())
        };
        let input = match read {
            Ok(input) => input,
            Err(e) => {
                stderr_line!("error: cannot read `{file}`: {e}");
                if args.format == CheckFormat::Github {
                    out.emit(&render::github_unreadable(&file, &e));
                }
                if let Some(sarif) = &mut out.sarif {
                    sarif.add_unreadable(&file, &e);
                }
                let report = FileReport::unreadable(file, kind);
                out.report(&report, b"", "");
                reports.push(report);
                continue;
            }
        };
        let mut report = check_input(&file, kind, input, limit, date);
        out.report(&report, &input.bytes, "");
        report.diagnostics = Vec::new();
        reports.push(report);
    }
    out.finish(&reports);
    let verdict = |v| reports.iter().any(|r| r.verdict == v);
    let denied_warnings = args.deny == Some(DenyArg::Warnings)
        && reports
            .iter()
            .any(|r| r.count(scalingo_manifest::Severity::Warning) > 0);
    if out.status != 0 || verdict(Verdict::Unreadable) {
        EXIT_IO
    } else if verdict(Verdict::Invalid) || denied_warnings {
        1
    } else {
        0
    }
}

/// Splits serde_json's " at line L column C" suffix off its message.
fn parse_error_text(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

/// Reads a scenario file (`-` for stdin, at most 64 MiB); `date` replaces its `date`, and
/// a scenario without one is resolved as of `date` or today. Errors are printed; the exit
/// status is returned.
fn read_scenario(path: &Path, date: Option<Date>) -> Result<scenario::Scenario, u8> {
    let file = shown(path);
    let input = match read_input(path, MAX_SCENARIO_BYTES) {
        Ok(input) => input,
        Err(e) => {
            stderr_line!("error: cannot read `{file}`: {e}");
            return Err(EXIT_IO);
        }
    };
    if input.oversize.is_some() {
        stderr_line!(
            "error: `{file}` is larger than {MAX_SCENARIO_BYTES} bytes (64 MiB); not read"
        );
        return Err(EXIT_IO);
    }
    let invalid = |e: serde_json::Error| {
        if e.line() == 0 {
            stderr_line!("error: {file}: invalid scenario: {e}");
        } else {
            stderr_line!(
                "error: {file}:{}:{}: invalid scenario: {}",
                e.line(),
                e.column(),
                parse_error_text(&e)
            );
        }
        EXIT_IO
    };
    // The scenario's own `date` stands unless `--date` is given; a scenario without one
    // is resolved as of today (rule PLAT-1: the date is an input, read here, not in the
    // library). Errors keep their line and column: the bytes are read as they are, and
    // re-read with a date only when the one thing missing is the date.
    let parsed = match serde_json::from_slice::<scenario::Scenario>(&input.bytes) {
        Ok(mut s) => {
            if let Some(d) = date {
                s.date = d;
            }
            Ok(s)
        }
        Err(e) if e.to_string().starts_with("missing field `date`") => {
            match serde_json::from_slice::<serde_json::Value>(&input.bytes) {
                Ok(serde_json::Value::Object(mut map)) => {
                    let day = date.unwrap_or_else(today);
                    map.insert("date".into(), serde_json::Value::String(day.to_string()));
                    serde_json::from_value::<scenario::Scenario>(serde_json::Value::Object(map))
                }
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    parsed.map_err(invalid)
}

/// What `diff --base/--head`'s header adds for a revision `at` whose resolution stopped at an
/// error (rule `SCN-4`): its sections are empty, so its entries would read as added or
/// removed; empty for a revision resolved to the end.
fn stopped_note(outcome: &scenario::Outcome, at: &str) -> String {
    if outcome.env.is_none() {
        format!("; the scenario at `{at}` stops at an error (its findings below), so its sections are empty")
    } else {
        String::new()
    }
}

/// `diff` (rule `SCN-9`): the review app beside its parent, or the review apps of two
/// revisions. Exit status: 0; 1 when an outcome's status is `error`, or with `--deny
/// warnings` when an outcome has a warning; 2 when a scenario cannot be built or read.
fn diff(args: &DiffArgs) -> u8 {
    use scalingo_manifest::hooks::Attempt;
    use scalingo_manifest_cli::diff::{self as d, AppState};
    let date = args.date.date;
    let shared_seed = {
        use std::hash::BuildHasher;
        std::collections::hash_map::RandomState::new().hash_one(0u8)
    };
    let build = |rev: Option<&String>| -> Result<scenario::Scenario, u8> {
        let scenario = match &args.scenario {
            Some(path) => {
                if let Some(flag) = args.flags.stray() {
                    stderr_line!("error: {flag} builds a scenario with --review-app; it cannot be used with a SCENARIO.json");
                    return Err(EXIT_IO);
                }
                read_scenario(path, date)?
            }
            None => {
                let mut flags = args.flags.clone();
                if rev.is_some() {
                    flags.rev = rev.cloned();
                    // Both revisions draw their secrets from one seed: a generated value
                    // that did not change is not shown as changed.
                    flags.seed = Some(flags.seed.unwrap_or(shared_seed));
                }
                match assemble::build(&flags, date.unwrap_or_else(today), MAX_SCENARIO_BYTES) {
                    Ok((s, notes)) => {
                        for note in notes {
                            stderr_line!("note: {note}");
                        }
                        s
                    }
                    Err(message) => {
                        stderr_line!("error: {message}");
                        return Err(EXIT_IO);
                    }
                }
            }
        };
        if scenario.kind != scalingo_manifest::AppKind::ReviewApp || scenario.parent.is_none() {
            stderr_line!("error: `diff` compares a review app with its parent: the scenario must be a review app with a `parent`");
            return Err(EXIT_IO);
        }
        Ok(scenario)
    };
    if args.flags.one_click {
        stderr_line!("error: `diff` compares a review app with its parent: use --review-app");
        return EXIT_IO;
    }
    let mut base_scenario_for_hooks: Option<scenario::Scenario> = None;
    let (head_scenario, base) = match (&args.base, &args.head) {
        (Some(base), Some(head)) => {
            let base_scenario = match build(Some(base)) {
                Ok(s) => s,
                Err(code) => return code,
            };
            base_scenario_for_hooks = Some(base_scenario.clone());
            match build(Some(head)) {
                Ok(s) => (s, Some((base, head, scenario::resolve(&base_scenario)))),
                Err(code) => return code,
            }
        }
        _ => match build(None) {
            Ok(s) => (s, None),
            Err(code) => return code,
        },
    };
    let outcome = scenario::resolve(&head_scenario);
    let parent = head_scenario.parent.clone().unwrap_or_default();
    let (before, header, kind) = match &base {
        Some((b, h, base_outcome)) => (
            AppState::of_outcome(base_outcome),
            format!(
                "review apps of `{}` at `{b}` -> at `{h}`, on {}{}{}",
                parent.name,
                outcome.date,
                stopped_note(base_outcome, b),
                stopped_note(&outcome, h)
            ),
            "revisions",
        ),
        None => (
            AppState::of_parent(&parent),
            format!(
                "review app `{}` beside its parent `{}`, on {} -> {}",
                outcome.app.name,
                parent.name,
                outcome.date,
                d::json_name(&outcome.status)
            ),
            "parent",
        ),
    };
    let sections = d::sections(&before, &AppState::of_outcome(&outcome), args.show_values);
    // The hooks of the scenario's attempts; without any, of a first and a second successful
    // deployment.
    let hooks_of = if head_scenario.attempts.is_empty() {
        let mut two = head_scenario.clone();
        two.attempts = vec![Attempt::ok(), Attempt::ok()];
        scenario::resolve(&two).hooks.unwrap_or_default()
    } else {
        outcome.hooks.clone().unwrap_or_default()
    };
    let hooks = d::hook_lines(&hooks_of);
    // The base revision's hooks, when it has a scenario of its own (`--base`).
    let base_hooks = base_scenario_for_hooks.map(|mut two| {
        if two.attempts.is_empty() {
            two.attempts = vec![Attempt::ok(), Attempt::ok()];
        }
        scenario::resolve(&two).hooks.unwrap_or_default()
    });
    let statuses_ok = outcome.status == scenario::OutcomeStatus::Ok
        && base
            .as_ref()
            .is_none_or(|(_, _, o)| o.status == scenario::OutcomeStatus::Ok);
    let warned = outcome
        .diagnostics
        .iter()
        .any(|s| s.diagnostic.severity == scalingo_manifest::Severity::Warning);
    let text = match args.format {
        Format::Json => {
            let value = serde_json::json!({
                "compared": kind,
                "app": outcome.app.name,
                "parent": parent.name,
                "date": outcome.date,
                "status": outcome.status,
                "base": base.as_ref().map(|(b, _, _)| b),
                "head": base.as_ref().map(|(_, h, _)| h),
                "env": sections.env,
                "addons": sections.addons,
                "formation": sections.formation,
                "stack": sections.stack,
                "firewall": sections.firewall,
                "hooks": hooks_of,
                "diagnostics": outcome.diagnostics,
                "base_status": base.as_ref().map(|(_, _, o)| o.status),
                "base_diagnostics": base.as_ref().map(|(_, _, o)| &o.diagnostics),
                "base_hooks": base_hooks,
            });
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Human => {
            let mut text = d::human(&header, &sections, &hooks, args.all);
            if let (Some((b, _, base_outcome)), Some(base_hooks)) = (&base, &base_hooks) {
                let lines = d::hook_lines(base_hooks);
                if lines != hooks {
                    text.push_str(&format!(
                        "\nhooks at `{}`, before\n",
                        scalingo_manifest::escape::single_line(b)
                    ));
                    if lines.is_empty() {
                        text.push_str("  none\n");
                    }
                    for line in lines {
                        text.push_str(&scalingo_manifest::escape::single_line(&format!(
                            "  {}",
                            scenario::mark_rules(&line)
                        )));
                        text.push('\n');
                    }
                }
                if !base_outcome.diagnostics.is_empty() {
                    text.push_str(&format!(
                        "\ndiagnostics at `{}` ({})\n",
                        scalingo_manifest::escape::single_line(b),
                        d::json_name(&base_outcome.status)
                    ));
                    for s in &base_outcome.diagnostics {
                        for line in scenario::diagnostic_lines(s) {
                            text.push_str(&scalingo_manifest::escape::single_line(
                                &scenario::mark_rules(&line),
                            ));
                            text.push('\n');
                        }
                    }
                }
            }
            if !outcome.diagnostics.is_empty() {
                text.push_str("\ndiagnostics\n");
                for s in &outcome.diagnostics {
                    for line in scenario::diagnostic_lines(s) {
                        text.push_str(&scalingo_manifest::escape::single_line(
                            &scenario::mark_rules(&line),
                        ));
                        text.push('\n');
                    }
                }
            }
            text
        }
    };
    if let Err(code) = emit(&text) {
        return code;
    }
    if !statuses_ok || (args.deny.is_some() && warned) {
        1
    } else {
        0
    }
}

/// Removes the members whose value is `null`, at every depth.
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// `resolve` and `explain`: the scenario from its file or built from flags, then resolved
/// (or, with `--print-scenario`, printed).
fn resolve(args: &ScenarioArgs, explain: bool) -> u8 {
    let scenario = match &args.scenario {
        Some(path) => {
            if let Some(flag) = args.flags.stray() {
                stderr_line!(
                    "error: {flag} builds a scenario with --review-app or --one-click; it cannot be used with a SCENARIO.json"
                );
                return EXIT_IO;
            }
            match read_scenario(path, args.date.date) {
                Ok(s) => s,
                Err(code) => return code,
            }
        }
        None => {
            let date = args.date.date.unwrap_or_else(today);
            match assemble::build(&args.flags, date, MAX_SCENARIO_BYTES) {
                Ok((s, notes)) => {
                    for note in notes {
                        stderr_line!("note: {note}");
                    }
                    s
                }
                Err(message) => {
                    stderr_line!("error: {message}");
                    return EXIT_IO;
                }
            }
        }
    };
    if args.print_scenario {
        // Absent, not `null`: a scenario's optional fields are left out when they have no
        // value, as a case file writes them (spec/vectors/case.schema.json).
        let mut value = serde_json::to_value(&scenario).unwrap_or_default();
        drop_nulls(&mut value);
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        return match emit(&text) {
            Ok(()) => 0,
            Err(code) => code,
        };
    }
    let outcome = scenario::resolve(&scenario);
    let text = if explain {
        scenario::explain(&outcome)
    } else {
        scenario::to_json(&outcome)
    };
    if let Err(code) = emit(&text) {
        return code;
    }
    if outcome.status == scenario::OutcomeStatus::Ok {
        0
    } else {
        1
    }
}

/// `conformance regen` and `conformance gen` (spec/vectors.md). Exit status: 0 on
/// success; 1 when `regen --check` finds files that would change; 2 when the suite does
/// not load, a case does not evaluate, or a file cannot be written.
fn conformance(command: ConformanceCommand) -> u8 {
    use scalingo_manifest_conformance as conformance;
    match command {
        ConformanceCommand::Regen { check, dir } => {
            let dir = match suite_folder(dir.as_deref(), "--dir") {
                Ok(dir) => dir,
                Err(code) => return code,
            };
            regen(&dir, check)
        }
        ConformanceCommand::Gen {
            seed,
            count,
            out,
            capability,
        } => {
            let capabilities = match capabilities_named(&capability) {
                Ok(c) => c,
                Err(code) => return code,
            };
            match conformance::generate::write_generated(seed, count, &capabilities, &out) {
                Ok(paths) => emit(&format!(
                    "wrote {} case(s) and index.json to {}\n",
                    paths.len().saturating_sub(1),
                    scalingo_manifest::escape::single_line(&out.display().to_string())
                ))
                .err()
                .unwrap_or(0),
                Err(e) => {
                    stderr_line!("error: {e}");
                    EXIT_IO
                }
            }
        }
        ConformanceCommand::Pack { out, since, spec } => {
            conformance_pack(&out, since.as_deref(), spec.as_deref())
        }
        ConformanceCommand::Run(args) => conformance_run(&args),
        ConformanceCommand::Bench { common, seconds } => conformance_bench(&common, seconds),
    }
}

/// The runner's configuration, cases, filter and suite folder from the shared options; a
/// usage problem is reported on stderr and gives `Err(2)`.
fn prepare(
    args: &ImplArgs,
) -> Result<
    (
        scalingo_manifest_conformance::runner::RunConfig,
        Vec<scalingo_manifest_conformance::Case>,
        scalingo_manifest_conformance::runner::Filter,
        PathBuf,
    ),
    u8,
> {
    use scalingo_manifest_conformance::protocol::Feature;
    use scalingo_manifest_conformance::runner::{self, Filter, Mode, RunConfig};
    use scalingo_manifest_conformance::Capability;
    use std::time::Duration;

    if !(args.timeout > 0.0 && args.timeout <= 86_400.0) {
        stderr_line!("error: --timeout must be a number of seconds above 0 (at most 86400)");
        return Err(EXIT_IO);
    }
    let declares = !args.capabilities.is_empty() || !args.features.is_empty();
    if declares && !args.per_case {
        stderr_line!(
            "error: --capabilities and --features are for --per-case; a persistent implementation declares them in its start answer"
        );
        return Err(EXIT_IO);
    }
    let mut capabilities = capabilities_named(&args.capabilities)?;
    if capabilities.is_empty() {
        capabilities = Capability::ALL.to_vec();
    }
    let mut features = Vec::new();
    for name in &args.features {
        match Feature::from_name(name.trim()) {
            Some(f) => features.push(f),
            None => {
                stderr_line!(
                    "error: unknown feature `{name}` (verdict-only, no-positions, exact-secrets)"
                );
                return Err(EXIT_IO);
            }
        }
    }
    let suite = suite_folder(args.suite.as_deref(), "--suite")?;
    let cases = runner::load_cases(&suite).map_err(|problems| {
        stderr_line!("error: the suite `{}` cannot be used:", suite.display());
        for p in problems {
            stderr_line!("  {p}");
        }
        EXIT_IO
    })?;
    // The CLI runs nothing but implementations: any orphan re-parented to it is theirs
    // and is ended with them (spec/protocol.md, "Processes").
    scalingo_manifest_conformance::reaper::claim_orphans();
    let config = RunConfig {
        command: args.command.clone(),
        mode: if args.per_case {
            Mode::PerCase
        } else {
            Mode::Persistent
        },
        timeout: Duration::from_secs_f64(args.timeout),
        capabilities,
        features,
    };
    let filter = Filter::new(&args.filter);
    // A filter that selects nothing stops here, before the implementation starts: a green
    // run of no case would pass by mistake.
    if let Err(e) = filter.select(&cases) {
        for p in &e.problems {
            stderr_line!("error: {p}");
        }
        return Err(EXIT_IO);
    }
    Ok((config, cases, filter, suite))
}

/// `conformance regen [--check]` of the suite in `dir`.
fn regen(dir: &Path, check: bool) -> u8 {
    use scalingo_manifest_conformance as conformance;
    match conformance::regen(dir, !check) {
        Ok(report) => {
            let mut text = String::new();
            for rel in &report.changed {
                let verb = if check { "would change" } else { "rewritten" };
                let path = dir.join(rel).display().to_string();
                // DIAG-13: a path is a single-line field
                let path = scalingo_manifest::escape::single_line(&path);
                text.push_str(&format!("{verb}: {path}\n"));
            }
            text.push_str(&format!(
                "{} cases; {} file(s) {}\n",
                report.cases,
                report.changed.len(),
                if check { "would change" } else { "rewritten" }
            ));
            if let Err(code) = emit(&text) {
                return code;
            }
            u8::from(check && !report.changed.is_empty())
        }
        Err(e) => {
            stderr_line!(
                "error: {} problem(s) in the conformance suite `{}`:",
                e.problems.len(),
                dir.display()
            );
            for p in &e.problems {
                stderr_line!("  {p}");
            }
            EXIT_IO
        }
    }
}

/// The suite folder a `conformance` command reads: `given` (from `flag`), or `spec/vectors`
/// in the current folder. A folder that is not there is a usage problem (exit status 2)
/// whose message says what to do: run from the root of a checkout, or name the suite.
fn suite_folder(given: Option<&Path>, flag: &str) -> Result<PathBuf, u8> {
    let dir = given.map_or_else(|| PathBuf::from(DEFAULT_SUITE), Path::to_path_buf);
    if dir.is_dir() {
        return Ok(dir);
    }
    match given {
        Some(_) => stderr_line!(
            "error: the suite folder `{}` is not there (or is not a folder)",
            dir.display()
        ),
        None => {
            let here = std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|_| ".".into());
            stderr_line!(
                "error: no conformance suite at `{DEFAULT_SUITE}` in the current folder `{here}`: run from the root of a scalingo-manifest checkout, or name the suite with `{flag} DIR` (a checkout's `spec/vectors`, a folder written by `conformance gen`, or an unpacked suite archive)"
            );
        }
    }
    Err(EXIT_IO)
}

/// The capabilities named in `names` (`validate`, ...), without repeats; an unknown name is
/// a usage problem (exit status 2) that lists the known ones.
fn capabilities_named(
    names: &[String],
) -> Result<Vec<scalingo_manifest_conformance::Capability>, u8> {
    use scalingo_manifest_conformance::Capability;
    let mut capabilities = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        match Capability::from_name(name) {
            Some(c) if capabilities.contains(&c) => {}
            Some(c) => capabilities.push(c),
            None => {
                let known: Vec<&str> = Capability::ALL.iter().map(|c| c.as_str()).collect();
                stderr_line!(
                    "error: unknown capability `{name}` (the capabilities are {})",
                    known.join(", ")
                );
                return Err(EXIT_IO);
            }
        }
    }
    Ok(capabilities)
}

/// The suite's folder in a checkout, relative to its root (spec/vectors.md).
const DEFAULT_SUITE: &str = "spec/vectors";

/// `conformance pack`: exit 0 with the archive written, 2 when the suite does not verify,
/// the earlier index cannot be read, or the archive cannot be written.
fn conformance_pack(out: &Path, since: Option<&Path>, spec: Option<&Path>) -> u8 {
    use scalingo_manifest_conformance::pack;
    let spec = spec.map_or_else(|| PathBuf::from("spec"), Path::to_path_buf);
    if !spec.join("vectors").is_dir() {
        stderr_line!(
            "error: no suite at `{}`: run from the root of a scalingo-manifest checkout, or name the spec folder with `--spec DIR`",
            spec.join("vectors").display()
        );
        return EXIT_IO;
    }
    let old = match since
        .map(scalingo_manifest_conformance::case::read_index)
        .transpose()
    {
        Ok(old) => old,
        Err(e) => {
            stderr_line!("error: {e}");
            return EXIT_IO;
        }
    };
    match pack::pack(&spec, out, old.as_ref()) {
        Ok(p) => emit(&format!(
            "wrote {} (suite {}, {} files, sha256 {})\n",
            scalingo_manifest::escape::single_line(&p.path.display().to_string()),
            p.version,
            p.files,
            p.sha256
        ))
        .err()
        .unwrap_or(0),
        Err(e) => {
            stderr_line!("error: {e}");
            EXIT_IO
        }
    }
}

/// `conformance run`: exit 0 when the report passes, 1 when it fails, 2 on a usage
/// problem or when the implementation cannot be run.
fn conformance_run(args: &RunArgs) -> u8 {
    use scalingo_manifest_conformance::runner::{self, ExpectedFailures};
    let (config, cases, filter, suite) = match prepare(&args.common) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let xfail = match &args.xfail {
        Some(path) => match ExpectedFailures::load(path) {
            Ok(x) => x,
            Err(problems) => {
                stderr_line!("error: the expected-failures file cannot be used:");
                for p in problems {
                    stderr_line!("  {p}");
                }
                return EXIT_IO;
            }
        },
        None => ExpectedFailures::default(),
    };
    match runner::run(&cases, &filter, &xfail, args.xfail.as_deref(), &config) {
        Ok(mut report) => {
            // A folder without a versioned index (older `conformance gen` output) has no
            // identity to report; the run is still made.
            match scalingo_manifest_conformance::case::suite_identity(&suite) {
                Ok(identity) => report.suite = Some(identity),
                Err(e) => stderr_line!("note: the suite's version is not reported: {e}"),
            }
            report.suite_dir = Some(suite);
            let text = match args.format {
                Format::Human => report.human(),
                Format::Json => {
                    let mut s = serde_json::to_string_pretty(&report.json()).unwrap_or_default();
                    s.push('\n');
                    s
                }
            };
            if let Err(code) = emit(&text) {
                return code;
            }
            report.exit_code()
        }
        Err(e) => {
            stderr_line!("error: {e}");
            EXIT_IO
        }
    }
}

/// `conformance bench`: prints cases per second; exit 1 when some case did not pass.
fn conformance_bench(args: &ImplArgs, seconds: f64) -> u8 {
    use scalingo_manifest_conformance::runner;
    use std::time::Duration;
    if !(0.0..=3600.0).contains(&seconds) {
        stderr_line!("error: --seconds must be between 0 and 3600");
        return EXIT_IO;
    }
    let (config, cases, filter, _) = match prepare(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // The machine's load, for the record: the rate depends on what else runs.
    let load = || {
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|s| s.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "unknown".to_string())
    };
    let load_before = load();
    match runner::bench(&cases, &filter, &config, Duration::from_secs_f64(seconds)) {
        Ok(b) => {
            let text = format!(
                "{} mode: {} cases ({} passes over {} selected cases) in {:.2} s: {:.0} cases/s; {} not passing; load average (1 min) {} before, {} after\n",
                config.mode.as_str(),
                b.cases,
                b.rounds,
                b.cases.checked_div(b.rounds).unwrap_or(0),
                b.elapsed.as_secs_f64(),
                b.per_second(),
                b.not_passing,
                load_before,
                load()
            );
            if let Err(code) = emit(&text) {
                return code;
            }
            u8::from(b.not_passing > 0)
        }
        Err(e) => {
            stderr_line!("error: {e}");
            EXIT_IO
        }
    }
}

/// `harness`: serves the reference engine over the protocol on stdin and stdout. Exit
/// status 0 at `stop` or the end of stdin, 2 on an I/O error or an unknown `--break`
/// family.
fn harness(per_case: bool, broken: Option<&str>) -> u8 {
    use scalingo_manifest_conformance::harness::{self, BrokenFamily, HarnessOptions};
    let broken = match broken.map(BrokenFamily::parse).transpose() {
        Ok(b) => b,
        Err(e) => {
            stderr_line!("error: {e}");
            return EXIT_IO;
        }
    };
    let opts = HarnessOptions { broken };
    let stdin = io::stdin().lock();
    let stdout = io::BufWriter::new(io::stdout().lock());
    let result = if per_case {
        harness::serve_one(stdin, stdout, &opts)
    } else {
        harness::serve(stdin, stdout, &opts)
    };
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            stderr_line!("error: {e}");
            EXIT_IO
        }
    }
}

/// `codes CODE`: the code's summary, severity and rule, then the rule's text from the spec
/// compiled in (what triggers it, the sources, the example); JSON with `--format json`.
/// Exit 2 for a code that is not in the catalogue (with the closest one).
fn explain_code(code: &str, format: Format) -> u8 {
    use scalingo_manifest_cli::spec_text;
    let Ok(c) = code.parse::<scalingo_manifest::Code>() else {
        let all: Vec<&str> = scalingo_manifest::catalogue()
            .iter()
            .map(|c| c.as_str())
            .collect();
        let hint = scalingo_manifest::diag::suggest(code, &all)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        stderr_line!(
            "error: `{code}` is not a diagnostic code{hint}; `scalingo-manifest codes` lists them"
        );
        return EXIT_IO;
    };
    let section = spec_text::section(c.rule());
    let text = match format {
        Format::Json => {
            let value = serde_json::json!({
                "code": c.as_str(),
                "severity": c.severity().as_str(),
                "rule": c.rule(),
                "summary": c.summary(),
                "page": section.map(|s| format!("spec/{}", s.page)),
                "rule_text": section.map(|s| s.text),
            });
            let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
            out.push('\n');
            out
        }
        Format::Human => {
            let mut out = format!(
                "{} ({}): {}\nrule {}",
                c.as_str(),
                c.severity().as_str(),
                c.summary(),
                c.rule()
            );
            match section {
                Some(s) => out.push_str(&format!(", spec/{}:\n\n{}\n", s.page, s.text)),
                None => out.push('\n'),
            }
            out
        }
    };
    emit(&text).err().unwrap_or(0)
}

/// `codes --pages DIR`: writes `DIR/<CODE>.md` for every code (rule `DIAG-14`), creating
/// `DIR`; exit 2 when a page cannot be written.
fn code_pages(dir: &Path) -> u8 {
    if let Err(e) = std::fs::create_dir_all(dir) {
        stderr_line!("error: cannot create `{}`: {e}", shown(dir));
        return EXIT_IO;
    }
    for code in scalingo_manifest::catalogue() {
        let path = dir.join(format!("{}.md", code.as_str()));
        if let Err(e) = std::fs::write(&path, render::code_page(*code)) {
            stderr_line!("error: cannot write `{}`: {e}", shown(&path));
            return EXIT_IO;
        }
    }
    0
}

/// `rule ID` and `decision ID`: the section of the spec compiled in, with its page; exit 2
/// for an ID no page defines (with the closest one).
fn spec_section(id: &str, what: &str) -> u8 {
    use scalingo_manifest_cli::spec_text;
    let wanted_decision = what == "decision";
    let is_decision = |i: &str| i.starts_with("D-");
    match spec_text::section(id).filter(|_| is_decision(id) == wanted_decision) {
        Some(s) => emit(&format!("spec/{}:\n\n{}\n", s.page, s.text))
            .err()
            .unwrap_or(0),
        None => {
            let ids: Vec<&str> = spec_text::ids()
                .into_iter()
                .filter(|i| is_decision(i) == wanted_decision)
                .collect();
            // A rule asked for as a decision, or the other way round, names the command.
            let other = if wanted_decision { "rule" } else { "decision" };
            let hint = if spec_text::section(id).is_some()
                && (is_decision(id) || scalingo_manifest::diag::rule_basis(id).is_some())
            {
                format!(" (`{id}` is a {other}: `scalingo-manifest {other} {id}`)")
            } else {
                scalingo_manifest::diag::suggest(id, &ids)
                    .map(|i| format!(" (did you mean `{i}`?)"))
                    .unwrap_or_default()
            };
            stderr_line!("error: no {what} `{id}` in the spec{hint}");
            EXIT_IO
        }
    }
}

/// `codes`: the catalogue of every diagnostic code.
fn codes(format: Format) -> u8 {
    let all = scalingo_manifest::catalogue();
    let text = match format {
        Format::Json => {
            let rows: Vec<CodeRow<'_>> = all
                .iter()
                .map(|c| CodeRow {
                    code: c.as_str(),
                    severity: c.severity().as_str(),
                    rule: c.rule(),
                    summary: c.summary(),
                })
                .collect();
            // Plain strings always serialise.
            let mut out = serde_json::to_string_pretty(&rows).unwrap_or_default();
            out.push('\n');
            out
        }
        Format::Human => {
            let rule_width = all.iter().map(|c| c.rule().len()).max().unwrap_or(0);
            let mut out = String::new();
            for c in all {
                out.push_str(&format!(
                    "{}  {:<7}  {:<rule_width$}  {}\n",
                    c.as_str(),
                    c.severity().as_str(),
                    c.rule(),
                    c.summary()
                ));
            }
            out
        }
    };
    emit(&text).err().unwrap_or(0)
}

/// One row of `codes --format json`: `{"code", "severity", "rule", "summary"}`.
#[derive(serde::Serialize)]
struct CodeRow<'a> {
    code: &'a str,
    severity: &'a str,
    rule: &'a str,
    summary: &'a str,
}
