//! Spanned JSON: the manifest's bytes as a tree in which every key and value knows where
//! it was written (rules `JSON-*`).

use crate::diag::Diagnostic;
use crate::text::Span;

/// A JSON value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Json,
    /// Bytes the value covers (strings include their quotes).
    pub span: Span,
}

/// A JSON value whose children are [`Node`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written (for example `"1"`, `"1.0"`, `"-2e3"`).
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in document order, duplicates kept.
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Span of the key (with quotes).
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// The result of [`parse`]: a tree when one could be recovered, and the findings.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document, when the bytes could be read as JSON, possibly leniently (comments,
    /// trailing commas and missing commas are reported as errors but still read).
    pub root: Option<Node>,
    /// Syntax findings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses manifest bytes into a spanned tree. Never panics.
pub fn parse(_bytes: &[u8]) -> Parsed {
    Parsed { root: None, diagnostics: Vec::new() }
}
