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

/// The string type of the model's texts (names, values, descriptions, addon and plan IDs,
/// process types), from the `compact_str` crate: a text of up to 24 bytes is kept inline,
/// so that most of a manifest's take no allocation. It reads as a `str` (`Deref`), and is
/// made from a `&str` or a `String` with `into()`.
pub use compact_str::CompactString;
pub use json::{input_too_large, MAX_INPUT_BYTES};
pub use model::*;
pub use validate::{check, Checked, MAX_DIAGNOSTICS};
