//! Support code for the fuzz targets of `scalingo-manifest` (see `fuzz/README.md`):
//! the structure-aware scenario the `resolve_scenario` target decodes with `arbitrary`
//! ([`scenario`]), a JSON writer for generated manifests ([`json_text`]), and the
//! invariants every target checks ([`invariants`]).
//!
//! The library under test has no `arbitrary` dependency: the fuzz-side types here are
//! converted into its own types.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod invariants;
pub mod json_text;
pub mod scenario;

/// The fixed day and the `DIAG-13` oracle, written once for the tests and the fuzz targets.
#[path = "../../tests/common/fixed.rs"]
mod fixed;
/// The day fuzzed manifests are checked as of (rule `PLAT-1`): fixed, so that a crash
/// reproduces whatever day it is replayed.
pub use fixed::day;
pub(crate) use fixed::escape_offence;
