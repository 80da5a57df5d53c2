//! The manifest document: parsing, the typed model, and validation (rules `JSON-*`,
//! `LIM-*`, `MAN-*`, `MAN-ENV-*`, `MAN-ADD-*`, `MAN-FRM-*`, `MAN-SCR-*` of
//! `spec/manifest.md`), and the canonical form of a manifest (`MAN-10`, [`canonical`]).

pub mod canonical;
pub(crate) mod firewall_rules;
pub(crate) mod json;
mod model;
pub(crate) mod names;
pub mod schema;
pub(crate) mod strict;
pub(crate) mod template;
pub(crate) mod validate;

pub use json::{input_too_large, MAX_INPUT_BYTES};
pub use model::*;
pub use validate::{check, Checked, MAX_DIAGNOSTICS};
