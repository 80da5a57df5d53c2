//! The manifest document: parsing, the typed model, and validation (rules `JSON-*`,
//! `MAN-*`).

pub mod json;
mod model;
mod validate;

pub use model::*;
pub use validate::{check, Checked};

/// Every code the manifest emits (JSON syntax and validation).
pub const CODES: &[crate::diag::Code] = json::CODES;
