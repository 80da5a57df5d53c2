//! # scalingo-manifest
//!
//! A deterministic reference engine for Scalingo's deploy manifest (`scalingo.json`, or
//! Heroku's `app.json`). It decides, as pure functions, what the platform decides when
//! someone clicks a one-click deploy button or opens a pull request that spawns a review
//! app.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod addons;
pub mod diag;
pub mod env;
pub mod formation;
pub mod generate;
pub mod hooks;
pub mod locate;
pub mod manifest;
pub mod procfile;
pub mod render;
pub mod scenario;
pub mod source;
pub mod text;

use serde::{Deserialize, Serialize};

pub use diag::{Code, Diagnostic, Severity};

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

/// Every diagnostic code the engine can emit, in code order (rule `DIAG-1`).
pub fn catalogue() -> Vec<&'static Code> {
    let mut all: Vec<&'static Code> = [
        manifest::CODES,
        procfile::CODES,
        locate::CODES,
        source::CODES,
        env::CODES,
        generate::CODES,
        addons::CODES,
        formation::CODES,
        hooks::CODES,
        scenario::CODES,
    ]
    .into_iter()
    .flatten()
    .collect();
    all.sort_by_key(|c| c.code);
    all
}
