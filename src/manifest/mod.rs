//! The manifest document: parsing, the typed model, and validation (rules `JSON-*`,
//! `LIM-*`, `MAN-*`, `MAN-ENV-*`, `MAN-ADD-*`, `MAN-FRM-*`, `MAN-SCR-*` of
//! `spec/manifest.md`), and the canonical form of a manifest (`MAN-10`, [`canonical`]).

pub mod canonical;
pub(crate) mod firewall_rules;
pub mod json;
mod model;
pub(crate) mod names;
pub mod schema;
pub(crate) mod template;
pub mod validate;

pub use model::*;
pub use validate::{check, Checked};

use crate::diag::{Code, Severity};

const PLACEHOLDER: Code = Code {
    code: "",
    rule: "",
    severity: Severity::Note,
    summary: "",
};

const fn concat<const N: usize>(a: &[Code], b: &[Code]) -> [Code; N] {
    let mut out = [PLACEHOLDER; N];
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < b.len() {
        out[a.len() + j] = b[j];
        j += 1;
    }
    out
}

const ALL: [Code; json::CODES.len() + validate::CODES.len()] =
    concat::<{ json::CODES.len() + validate::CODES.len() }>(json::CODES, validate::CODES);

/// Every code the manifest emits: the JSON syntax codes of [`json::CODES`] (`SM0001`..)
/// followed by the validation codes of [`validate::CODES`].
pub const CODES: &[Code] = &ALL;
