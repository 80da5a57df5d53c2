//! Validation: from a spanned JSON tree to a [`Manifest`] and diagnostics.

use crate::diag::Diagnostic;
use crate::manifest::Manifest;

/// The verdict on one manifest file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The typed manifest, when the bytes held a JSON object (even one with errors).
    pub manifest: Option<Manifest>,
    /// Every finding, in canonical order (rule `DIAG-4`).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates manifest bytes. Never panics.
pub fn check(bytes: &[u8]) -> Checked {
    let parsed = crate::manifest::json::parse(bytes);
    Checked {
        manifest: None,
        diagnostics: parsed.diagnostics,
    }
}
