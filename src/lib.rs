//! # scalingo-manifest
//!
//! A deterministic reference engine for Scalingo's deploy manifest (`scalingo.json`, or
//! Heroku's `app.json`). It decides, as pure functions, what the platform decides when
//! someone clicks a one-click deploy button or opens a pull request that spawns a review
//! app. Every decision names the spec rule (in the crate's `spec/` folder) that made it.
//!
//! ## Scope
//!
//! The engine models the manifest and the deploy decisions Scalingo documents: which
//! repository and ref a one-click deploy uses, which manifest file is read, what the
//! manifest means, the new app's environment, addons, formation, and the hooks run after
//! each deployment attempt. It performs no I/O of its own (the CLI reads files), reads no
//! clock (the day whose platform facts apply is an input, a [`platform::Date`]), and uses
//! no global random state: secrets come from a seeded ChaCha20 stream, or
//! from OS entropy when no seed is given.
//!
//! ## Map
//!
//! | module | question | spec |
//! |---|---|---|
//! | [`manifest`] | is the manifest valid, and what does it mean? | `manifest.md` |
//! | [`procfile`] | which process types and which `postdeploy:` hook? | `procfile.md` |
//! | [`locate`] | which manifest and Procfile are read (`PROJECT_DIR` walk-up)? | `locate.md` |
//! | [`source`] | which repository and ref does a one-click deploy use? | `source.md` |
//! | [`env`](mod@env), [`generate`] | which environment does the new app get? | `env.md`, `generate.md` |
//! | [`addons`] | which addons are provisioned? | `addons.md` |
//! | [`firewall`] | which Application Firewall rules does the new app get? | `firewall.md` |
//! | [`formation`] | which containers start? | `formation.md` |
//! | [`hooks`] | which hooks run on each deployment attempt? | `hooks.md` |
//! | [`platform`] | what does the platform offer on a given day? (dated facts) | `platform.md` |
//! | [`scenario`] | all of the above for one deploy: [`scenario::resolve`] | `scenario.md` |
//! | [`diag`], [`text`], [`escape`] | diagnostics, positions, and escaping | `diagnostics.md` |
//!
//! ## Entry points
//!
//! The crate root re-exports what most users need: [`check`] a manifest (a [`Checked`]
//! holding the [`Manifest`] and its [`Diagnostic`]s), parse a Procfile
//! ([`procfile::parse`], a [`ParsedProcfile`]), [`resolve`] a whole deploy [`Scenario`] into
//! an [`Outcome`] and [`explain`] it; each diagnostic has a [`Code`] and a [`Severity`]; the
//! day whose platform facts apply is a [`Date`]. Each stage's own entry point (for example
//! [`env::resolve`]) is in its module, for implementations checked one capability at a time.
//! The whole public API is listed in the repository's `api/scalingo-manifest.txt`.
//!
//! ## Example
//!
//! ```
//! // The manifest shown on Scalingo's one-click page misses a comma before "addons".
//! // The date picks the platform facts in force (spec/platform.md); the library reads no clock.
//! let date = "2026-12-07".parse().unwrap();
//! let checked = scalingo_manifest::check(b"{\n  \"formation\": {}\n  \"addons\": []\n}\n", date);
//! let d = &checked.diagnostics[0];
//! assert_eq!(d.code, "SM0009");
//! assert_eq!((d.line, d.column), (Some(3), Some(3)));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod addons;
pub mod diag;
pub mod env;
pub mod escape;
pub mod firewall;
pub mod formation;
pub mod generate;
pub mod hooks;
pub mod locate;
pub mod manifest;
pub mod platform;
pub mod procfile;
pub mod scenario;
pub mod source;
pub mod text;

use serde::{Deserialize, Serialize};

// What a user of the engine needs, at the crate root (ARCHITECTURE.md, "Public API"); the
// modules hold the rest of each stage's API.
pub use diag::{Code, Diagnostic, Severity};
pub use manifest::{check, Checked, Manifest};
pub use platform::Date;
pub use procfile::{ParsedProcfile, Procfile};
pub use scenario::{explain, resolve, Outcome, OutcomeStatus, Scenario, Stage};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Which kind of app a scenario creates (rule `SCN-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppKind {
    /// An app created by a one-click deploy button: the manifest gives defaults the user
    /// may change; there is no parent app.
    OneClick,
    /// A review app spawned by a pull request: the parent app's configuration is copied
    /// and the manifest's rules are applied on top.
    ReviewApp,
}

/// Every diagnostic code the engine can emit, in code order (rule `DIAG-1`): the table of
/// [`Code`], [`Code::ALL`].
pub fn catalogue() -> &'static [Code] {
    Code::ALL
}

/// The oracle of the fuzz target `json_readers` (`ARCHITECTURE.md`, "Modules of the engine"):
/// panics when the strict fast path of the JSON reading reads `bytes` otherwise than the
/// lenient reader. Built only for fuzzing (`--cfg fuzzing`); not part of the API.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_json_readers(bytes: &[u8]) {
    manifest::strict::check_agreement(bytes);
}
