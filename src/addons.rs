//! `addons`: not written yet.

use crate::diag::Code;

/// Diagnostic codes this module emits.
pub const CODES: &[Code] = &[];
