//! `scenario`: all the inputs of one deploy, and the one function `resolve` that composes
//! every module into an [`Outcome`] (rules `SCN-*`). Being completed: the types below are
//! the final public shape; the composition lands with the env, locate, source and hooks
//! modules.

use serde::{Deserialize, Serialize};

use crate::diag::Code;

/// Diagnostic codes this module emits.
pub const CODES: &[Code] = &[];

/// Every input of one deploy (see `spec/scenario.md` for the JSON form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// One-click deploy or review app.
    pub kind: crate::AppKind,
}

/// Every decision the platform takes for a [`Scenario`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// `"ok"` when no error was found, else `"error"`.
    pub status: String,
}

/// Resolves a scenario (rule `SCN-1`). Pure: the same scenario with a seed gives the same
/// outcome.
pub fn resolve(_scenario: &Scenario) -> Outcome {
    Outcome {
        status: "ok".into(),
    }
}

/// The canonical JSON bytes of an outcome: 2-space indentation, fields in declaration
/// order, maps sorted by key, and a final newline (rule `SCN-2`).
pub fn to_json(outcome: &Outcome) -> String {
    let mut s = serde_json::to_string_pretty(outcome).unwrap_or_default();
    s.push('\n');
    s
}

/// A human explanation of every decision of an outcome: for each, the rule that made it and
/// the inputs it used (rule `SCN-3`).
pub fn explain(outcome: &Outcome) -> String {
    format!("status: {}\n", outcome.status)
}
