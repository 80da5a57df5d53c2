//! The output formats of the `scalingo-manifest` command (the binary of this package):
//! [`render`] turns the result of checking one file into rustc-style text (rule
//! `DIAG-10`), the JSON report (rule `DIAG-11`), the CI formats and the summary line;
//! [`spec_text`] is the normative spec compiled in, read by `rule`, `decision` and `codes`;
//! [`diff`] compares what a review app gets with its parent (`diff`).
//!
//! The engine itself is the `scalingo-manifest` crate; the conformance kit is
//! `scalingo-manifest-conformance`. This library exists so that the tests and the fuzz
//! targets check the same bytes the command prints.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod diff;
pub mod render;
pub mod spec_text;
