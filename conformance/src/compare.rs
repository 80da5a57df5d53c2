//! The semantic comparator: an implementation's output against a case's `expected`, as
//! JSON values, never as text (`spec/vectors.md`, "Comparison"; `spec/protocol.md`).
//!
//! [`compare`] returns every difference, each with the JSON Pointer (RFC 6901) of the
//! place in `expected` it concerns; an empty list means the output conforms. The rules:
//!
//! * Object key order is ignored. Fields that `expected` does not have are ignored (adding
//!   a field to an output is not a breaking change); every field of `expected` must be
//!   present and equal. The two data maps, `vars` (env) and `formation`, are compared
//!   entry for entry: an entry `expected` does not have is a difference too (an extra
//!   variable or process type is a wrong decision, not a new field).
//! * Numbers are compared by value (`1` equals `1.0`); other scalars exactly.
//! * Arrays are ordered, except `diagnostics`, which are compared as multisets of their
//!   `expected` fields (`code`, `severity`, `pointer`, and `line`, `column`, `stage`, `file`
//!   where `expected` has them); messages, hints, rules and spans are never compared. The
//!   pointer of a JSON syntax finding ([`POINTER_FREE_CODES`], rule `DIAG-6`) is not
//!   compared.
//! * Secrets: a variable whose expected `origin` is `secret` is compared by shape (a string
//!   of 32 lowercase hex characters, different from every other secret of the same output)
//!   unless [`CompareOptions::exact_secrets`] is set and `expected` holds a real value
//!   (a seeded case, decision D-11), in which case it is compared exactly.
//! * [`CompareOptions::verdict_only`]: for `validate` and `procfile`, only `valid` is
//!   compared (an implementation that reports verdicts without codes).
//! * [`CompareOptions::no_positions`]: the `line` and `column` of diagnostics are not
//!   compared (an implementation whose JSON parser gives no positions).
//! * An expected diagnostic left unmatched and an output one left unmatched that have the
//!   same `code` (and `pointer`, where it is compared) are one [`DiffKind::NearMiss`]: the
//!   finding is there, some of its other fields (a position, the severity) differ.
//!
//! What a difference means for a case depends on its status ([`Comparison::failing`]): a
//! difference fails a `required` or `optional` case, and is only reported for an
//! `implementation-defined` one.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use serde::Serialize;
use serde_json::{Map, Value};

use super::case::{Capability, Case, Status};
use super::protocol::Feature;
use super::SECRET_PLACEHOLDER;

/// Codes whose pointer is left to the implementation (rule `DIAG-6`: the pointer of a JSON
/// syntax finding SHOULD be the innermost value and MAY be `""`): the findings of rules
/// `JSON-4` to `JSON-7`, as `spec/vectors.md` lists them.
pub const POINTER_FREE_CODES: &[&str] = &[
    "SM0006", "SM0007", "SM0008", "SM0009", "SM0012", "SM0013", "SM0014", "SM0015", "SM0016",
    "SM0017",
];

/// Keys whose object value is a data map (names chosen by the input, not fields of the
/// output's shape): compared with exactly the same entries.
pub(crate) const DATA_MAPS: &[&str] = &["vars", "formation"];

/// How to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareOptions {
    /// The capability of the case (which fields `verdict_only` keeps).
    pub capability: Capability,
    /// Compare secret values exactly where `expected` holds a real value (not the
    /// placeholder); otherwise by shape and uniqueness.
    pub exact_secrets: bool,
    /// For `validate` and `procfile`: compare `valid` only.
    pub verdict_only: bool,
    /// Leave the `line` and `column` of diagnostics uncompared (an implementation built on
    /// a JSON parser that gives no positions, [`Feature::NoPositions`]).
    pub no_positions: bool,
}

impl CompareOptions {
    /// The options for `case` and an implementation declaring `features`: exact secrets
    /// when the implementation declares [`Feature::ExactSecrets`] and the case is tagged
    /// `exact-secrets`; verdicts only when it declares [`Feature::VerdictOnly`]; no
    /// positions when it declares [`Feature::NoPositions`].
    pub fn for_case(case: &Case, features: &[Feature]) -> CompareOptions {
        CompareOptions {
            capability: case.capability,
            exact_secrets: features.contains(&Feature::ExactSecrets)
                && case.tags.iter().any(|t| t == "exact-secrets"),
            verdict_only: features.contains(&Feature::VerdictOnly),
            no_positions: features.contains(&Feature::NoPositions),
        }
    }
}

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiffKind {
    /// A field (or array element) of `expected` is absent from the output.
    Missing,
    /// An entry of a data map (`vars`, `formation`) or an array element that `expected`
    /// does not have.
    Unexpected,
    /// Present in both, with different values (or types).
    Changed,
    /// An expected diagnostic has no match in the output.
    MissingDiagnostic,
    /// An output diagnostic matches no expected one.
    UnexpectedDiagnostic,
    /// An expected diagnostic and an output one of the same code (and pointer) that differ
    /// in other compared fields (a position, the severity): `expected` and `actual` are the
    /// two diagnostics.
    NearMiss,
    /// A secret that is not 32 lowercase hex characters.
    SecretShape,
    /// A secret equal to another secret of the same output.
    SecretRepeated,
}

impl DiffKind {
    /// The kebab-case name used in JSON reports (`"missing-diagnostic"`).
    pub fn as_str(self) -> &'static str {
        match self {
            DiffKind::Missing => "missing",
            DiffKind::Unexpected => "unexpected",
            DiffKind::Changed => "changed",
            DiffKind::MissingDiagnostic => "missing-diagnostic",
            DiffKind::UnexpectedDiagnostic => "unexpected-diagnostic",
            DiffKind::NearMiss => "near-miss",
            DiffKind::SecretShape => "secret-shape",
            DiffKind::SecretRepeated => "secret-repeated",
        }
    }
}

/// One difference: where (a JSON Pointer into `expected`, or into the output for
/// unexpected entries), what kind, and the two values (absent where there is none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// RFC 6901 pointer: `""` for the whole output, `/diagnostics` for diagnostics.
    pub pointer: String,
    /// What kind of difference.
    pub kind: DiffKind,
    /// The expected value at `pointer` (an expected diagnostic for `missing-diagnostic`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// The output's value at `pointer` (an output diagnostic for `unexpected-diagnostic`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// For a `near-miss`: the compared fields of the expected diagnostic that differ (or
    /// are absent) in the output one, sorted; empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// Compact JSON of `v`, cut to about 200 characters (never inside a character).
pub(crate) fn short_json(v: &Value) -> String {
    short_json_of(v, 200)
}

/// Compact JSON of `v`, cut to `max` characters and `...` (never inside a character).
pub(crate) fn short_json_of(v: &Value, max: usize) -> String {
    let s = v.to_string();
    match s.char_indices().nth(max) {
        None => s,
        Some((at, _)) => format!("{}...", &s[..at]),
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        let e = self.expected.as_ref().map(short_json).unwrap_or_default();
        let a = self.actual.as_ref().map(short_json).unwrap_or_default();
        match self.kind {
            DiffKind::Missing => write!(f, "{at}: missing, expected {e}"),
            DiffKind::Unexpected => write!(f, "{at}: unexpected {a}"),
            DiffKind::Changed => write!(f, "{at}: expected {e}, got {a}"),
            DiffKind::MissingDiagnostic => write!(f, "{at}: missing diagnostic {e}"),
            DiffKind::UnexpectedDiagnostic => write!(f, "{at}: unexpected diagnostic {a}"),
            DiffKind::NearMiss => write!(
                f,
                "{at}: near miss ({} differ): expected {e}, got {a}",
                self.fields.join(", ")
            ),
            DiffKind::SecretShape => {
                write!(
                    f,
                    "{at}: a secret must be 32 lowercase hex characters, got {a}"
                )
            }
            DiffKind::SecretRepeated => {
                write!(f, "{at}: secret {a} repeats another secret of the output")
            }
        }
    }
}

/// The result of comparing one case's output.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Every difference, in document order of `expected` (diagnostics last within their
    /// array).
    pub differences: Vec<Difference>,
    /// True when the differences fail the case: there is one and the case's status is not
    /// `implementation-defined`.
    pub failing: bool,
}

/// Compares the output of `case` with its `expected` for an implementation that declared
/// `features` (see [`CompareOptions::for_case`]); the status decides whether differences
/// fail ([`Comparison::failing`]).
pub fn compare_case(case: &Case, actual: &Value, features: &[Feature]) -> Comparison {
    let differences = compare(
        &case.expected,
        actual,
        &CompareOptions::for_case(case, features),
    );
    let failing = !differences.is_empty() && case.status != Status::ImplementationDefined;
    Comparison {
        differences,
        failing,
    }
}

/// Every difference between `expected` and `actual` under `opts` (see the module doc);
/// empty when the output conforms.
pub fn compare(expected: &Value, actual: &Value, opts: &CompareOptions) -> Vec<Difference> {
    let mut c = Comparer {
        opts,
        out: Vec::new(),
        secrets: Vec::new(),
        path: String::new(),
    };
    let verdict_caps = [Capability::Validate, Capability::Procfile];
    if opts.verdict_only && verdict_caps.contains(&opts.capability) {
        let mut reduced = Map::new();
        if let Some(v) = expected.get("valid") {
            reduced.insert("valid".into(), v.clone());
        }
        c.value(&Value::Object(reduced), actual, None);
    } else {
        c.value(expected, actual, None);
    }
    c.check_secret_uniqueness();
    c.out
}

struct Comparer<'a> {
    opts: &'a CompareOptions,
    out: Vec<Difference>,
    /// (pointer, value) of every output secret compared by shape.
    secrets: Vec<(String, String)>,
    /// The JSON Pointer of the value being compared (tokens are pushed and popped, so no
    /// pointer is built unless a difference needs it).
    path: String,
}

impl Comparer<'_> {
    fn push(&mut self, kind: DiffKind, e: Option<&Value>, a: Option<&Value>) {
        self.out.push(Difference {
            pointer: self.path.clone(),
            kind,
            expected: e.cloned(),
            actual: a.cloned(),
            fields: Vec::new(),
        });
    }

    /// Appends `/token` (RFC 6901 escaped) to the path; returns the length to go back to.
    fn enter(&mut self, token: &str) -> usize {
        let len = self.path.len();
        self.path.push('/');
        if token.contains(['~', '/']) {
            self.path
                .push_str(&token.replace('~', "~0").replace('/', "~1"));
        } else {
            self.path.push_str(token);
        }
        len
    }

    /// Appends `/index` to the path; returns the length to go back to.
    fn enter_index(&mut self, index: usize) -> usize {
        let len = self.path.len();
        // Writing to a String cannot fail.
        let _ = write!(self.path, "/{index}");
        len
    }

    fn leave(&mut self, len: usize) {
        self.path.truncate(len);
    }

    /// Compares the values at the current path; `key` is the member name that holds them
    /// (for the arrays and maps with their own rules).
    fn value(&mut self, e: &Value, a: &Value, key: Option<&str>) {
        match (e, a) {
            (Value::Object(em), Value::Object(am)) => {
                if is_secret_entry(em) {
                    self.secret(em, am);
                    return;
                }
                for (k, ev) in em {
                    let back = self.enter(k);
                    match am.get(k) {
                        Some(av) => self.value(ev, av, Some(k)),
                        None => self.push(DiffKind::Missing, Some(ev), None),
                    }
                    self.leave(back);
                }
                if key.is_some_and(|k| DATA_MAPS.contains(&k)) {
                    for (k, av) in am {
                        if !em.contains_key(k) {
                            let back = self.enter(k);
                            self.push(DiffKind::Unexpected, None, Some(av));
                            self.leave(back);
                        }
                    }
                }
            }
            (Value::Array(ea), Value::Array(aa)) if key == Some("diagnostics") => {
                self.diagnostics(ea, aa);
            }
            (Value::Array(ea), Value::Array(aa)) => {
                for (i, ev) in ea.iter().enumerate() {
                    let back = self.enter_index(i);
                    match aa.get(i) {
                        Some(av) => self.value(ev, av, None),
                        None => self.push(DiffKind::Missing, Some(ev), None),
                    }
                    self.leave(back);
                }
                for (i, av) in aa.iter().enumerate().skip(ea.len()) {
                    let back = self.enter_index(i);
                    self.push(DiffKind::Unexpected, None, Some(av));
                    self.leave(back);
                }
            }
            _ => {
                if !scalar_equal(e, a) {
                    self.push(DiffKind::Changed, Some(e), Some(a));
                }
            }
        }
    }

    /// A `{value, origin: "secret"}` entry: the other fields as usual, the value exactly or
    /// by shape.
    fn secret(&mut self, em: &Map<String, Value>, am: &Map<String, Value>) {
        for (k, ev) in em {
            let back = self.enter(k);
            match am.get(k) {
                None => self.push(DiffKind::Missing, Some(ev), None),
                Some(av) if k != "value" => self.value(ev, av, Some(k)),
                Some(av) => {
                    let exact = self.opts.exact_secrets && ev.as_str() != Some(SECRET_PLACEHOLDER);
                    if exact {
                        self.value(ev, av, Some(k));
                    } else {
                        match av.as_str() {
                            Some(s) if is_secret_shape(s) => {
                                self.secrets.push((self.path.clone(), s.to_string()));
                            }
                            _ => self.push(DiffKind::SecretShape, None, Some(av)),
                        }
                    }
                }
            }
            self.leave(back);
        }
    }

    fn check_secret_uniqueness(&mut self) {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut repeats = Vec::new();
        for (p, s) in &self.secrets {
            if seen.insert(s.as_str(), p.as_str()).is_some() {
                repeats.push(Difference {
                    pointer: p.clone(),
                    kind: DiffKind::SecretRepeated,
                    expected: None,
                    actual: Some(Value::String(s.clone())),
                    fields: Vec::new(),
                });
            }
        }
        self.out.extend(repeats);
    }

    /// Diagnostics as multisets: a maximum matching between expected and output
    /// diagnostics (an expected one matches an output one that has its fields, pointer
    /// aside for [`POINTER_FREE_CODES`]); what stays unmatched is reported.
    ///
    /// Expected diagnostics are grouped into classes of equal compared fields; output
    /// diagnostics are hashed into the classes they match, so the work is linear in the
    /// number of diagnostics (a thousand identical findings, `LIM-7`, cost a thousand
    /// steps, not a million).
    fn diagnostics(&mut self, expected: &[Value], actual: &[Value]) {
        // Field sets (sorted names; `None`: compare the whole value) and classes.
        let mut field_sets: Vec<Option<Vec<&str>>> = Vec::new();
        let mut class_ids: HashMap<(usize, String), usize> = HashMap::new();
        let mut class_of: Vec<usize> = Vec::with_capacity(expected.len());
        for e in expected {
            let fields = compared_fields(e, self.opts.no_positions);
            let fs = match field_sets.iter().position(|f| *f == fields) {
                Some(i) => i,
                None => {
                    field_sets.push(fields);
                    field_sets.len() - 1
                }
            };
            let key = diag_key(e, field_sets[fs].as_deref()).unwrap_or_default();
            let next = class_ids.len();
            class_of.push(*class_ids.entry((fs, key)).or_insert(next));
        }
        let mut classes: Vec<Vec<usize>> = vec![Vec::new(); class_ids.len()];
        for (fs, fields) in field_sets.iter().enumerate() {
            for (j, a) in actual.iter().enumerate() {
                if let Some(key) = diag_key(a, fields.as_deref()) {
                    if let Some(&c) = class_ids.get(&(fs, key)) {
                        classes[c].push(j);
                    }
                }
            }
        }
        let matched_actual = max_matching(&class_of, &classes, actual.len());
        let mut matched_expected = vec![false; expected.len()];
        for i in matched_actual.iter().flatten() {
            if let Some(m) = matched_expected.get_mut(*i) {
                *m = true;
            }
        }
        // Unmatched pairs of one code (and pointer, where compared): near misses.
        let mut paired = vec![false; actual.len()];
        for (i, e) in expected.iter().enumerate() {
            if matched_expected[i] {
                continue;
            }
            let twin = (0..actual.len()).find(|&j| {
                matched_actual[j].is_none() && !paired[j] && same_finding(e, &actual[j])
            });
            match twin {
                Some(j) => {
                    paired[j] = true;
                    let a = &actual[j];
                    let fields = compared_fields(e, self.opts.no_positions)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|k| {
                            e.get(*k)
                                .is_some_and(|v| a.get(*k).is_none_or(|w| !scalar_equal(v, w)))
                        })
                        .map(str::to_string)
                        .collect();
                    self.push(DiffKind::NearMiss, Some(e), Some(a));
                    if let Some(last) = self.out.last_mut() {
                        last.fields = fields;
                    }
                }
                None => self.push(DiffKind::MissingDiagnostic, Some(e), None),
            }
        }
        for (j, a) in actual.iter().enumerate() {
            if matched_actual[j].is_none() && !paired[j] {
                self.push(DiffKind::UnexpectedDiagnostic, None, Some(a));
            }
        }
    }
}

/// The fields of an expected diagnostic that are compared: its member names, sorted,
/// without `pointer` for [`POINTER_FREE_CODES`], and without `line` and `column` when
/// `no_positions`; `None` when it is not an object (then the whole value is compared).
fn compared_fields(e: &Value, no_positions: bool) -> Option<Vec<&str>> {
    let m = e.as_object()?;
    let pointer_free = m
        .get("code")
        .and_then(Value::as_str)
        .is_some_and(|c| POINTER_FREE_CODES.contains(&c));
    let mut fields: Vec<&str> = m
        .keys()
        .map(String::as_str)
        .filter(|k| !(pointer_free && *k == "pointer"))
        .filter(|k| !(no_positions && matches!(*k, "line" | "column")))
        .collect();
    fields.sort_unstable();
    Some(fields)
}

/// True when the expected diagnostic `e` and the output diagnostic `a` are the same
/// finding at the same place: one `code`, and one `pointer` unless the code's pointer is
/// not compared ([`POINTER_FREE_CODES`]) or `e` has none.
fn same_finding(e: &Value, a: &Value) -> bool {
    let code = e.get("code").and_then(Value::as_str);
    if code.is_none() || code != a.get("code").and_then(Value::as_str) {
        return false;
    }
    let pointer_free = code.is_some_and(|c| POINTER_FREE_CODES.contains(&c));
    pointer_free || e.get("pointer").is_none_or(|p| a.get("pointer") == Some(p))
}

/// A text key of `d` restricted to `fields`: equal keys for values that [`scalar_equal`]
/// finds equal (numbers are written in one form: `3` and `3.0` give the same key). `None`
/// when `d` lacks one of the fields (or is not an object while `fields` is given).
fn diag_key(d: &Value, fields: Option<&[&str]>) -> Option<String> {
    let mut out = String::new();
    match fields {
        None => key_text(d, &mut out),
        Some(fields) => {
            let m = d.as_object()?;
            for f in fields {
                key_text(m.get(*f)?, &mut out);
                out.push('\u{1f}');
            }
        }
    }
    Some(out)
}

/// Appends an unambiguous text form of `v` to `out`.
fn key_text(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Number(n) => {
            out.push('d');
            out.push_str(&number_key(n));
        }
        Value::String(s) => {
            out.push('s');
            out.push_str(&s.len().to_string());
            out.push(':');
            out.push_str(s);
        }
        other => {
            out.push('j');
            out.push_str(&super::case::canonical(other).to_string());
        }
    }
}

/// The exact value of a JSON number as text, the same for every way of writing it: an
/// integer, or a float with no fraction inside the 64-bit integer range, is its decimal
/// integer (`1e16` and `10000000000000000` give `10000000000000000`; `2^53 + 1` and the
/// float `2^53` differ); any other float is its shortest round-trip form. Two numbers are
/// equal for the comparator exactly when their keys are.
fn number_key(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    // -2^63 and 2^64 are exact in f64; an integral float in between converts exactly.
    if f.fract() == 0.0 && (-(2f64.powi(63))..2f64.powi(64)).contains(&f) {
        #[allow(clippy::cast_possible_truncation)]
        return (f as i128).to_string();
    }
    format!("{f:?}")
}

/// True for an expected `{"value": string, "origin": "secret"}` entry.
fn is_secret_entry(m: &Map<String, Value>) -> bool {
    m.get("origin").and_then(Value::as_str) == Some("secret")
        && m.get("value").is_some_and(Value::is_string)
}

/// True for 32 lowercase hex characters (rule `GEN-2`'s shape).
pub fn is_secret_shape(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Equality of two JSON values where numbers compare by value (`1` == `1.0`) and objects
/// ignore key order (every key of both, with equal values).
pub fn scalar_equal(e: &Value, a: &Value) -> bool {
    match (e, a) {
        (Value::Number(x), Value::Number(y)) => number_key(x) == number_key(y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| scalar_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| scalar_equal(v, w)))
        }
        _ => e == a,
    }
}

/// A maximum bipartite matching (Kuhn's augmenting paths, iterative). Left vertex `i` may
/// take the right vertices of `classes[class_of[i]]`; the result gives, for every right
/// vertex, the left vertex it is matched to. A cursor per class finds free vertices in
/// amortised constant time (a matched right vertex never becomes free again).
fn max_matching(class_of: &[usize], classes: &[Vec<usize>], right: usize) -> Vec<Option<usize>> {
    let mut owner: Vec<Option<usize>> = vec![None; right];
    let mut cursor: Vec<usize> = vec![0; classes.len()];
    let empty: Vec<usize> = Vec::new();
    let adj = |u: usize| -> &Vec<usize> {
        class_of
            .get(u)
            .and_then(|&c| classes.get(c))
            .unwrap_or(&empty)
    };
    for (start, &c) in class_of.iter().enumerate() {
        // Fast path: a free right vertex of the class.
        let list = adj(start);
        if let Some(cur) = cursor.get_mut(c) {
            while list.get(*cur).is_some_and(|&j| owner[j].is_some()) {
                *cur += 1;
            }
            if let Some(&j) = list.get(*cur) {
                owner[j] = Some(start);
                *cur += 1;
                continue;
            }
        }
        // Depth-first search for an augmenting path, with an explicit stack of
        // (left vertex, index of the next edge to try, right vertex it was reached by).
        let mut visited = vec![false; right];
        let mut stack: Vec<(usize, usize, Option<usize>)> = vec![(start, 0, None)];
        let mut found: Option<usize> = None;
        while let Some(top) = stack.last_mut() {
            let (u, next, _) = *top;
            let Some(&j) = adj(u).get(next) else {
                stack.pop();
                continue;
            };
            top.1 += 1;
            if visited[j] {
                continue;
            }
            visited[j] = true;
            match owner[j] {
                None => {
                    found = Some(j);
                    break;
                }
                Some(w) => stack.push((w, 0, Some(j))),
            }
        }
        if let Some(mut j) = found {
            // Flip the path: every left vertex on the stack takes the right vertex
            // reached from it.
            while let Some((u, _, via)) = stack.pop() {
                owner[j] = Some(u);
                match via {
                    Some(v) => j = v,
                    None => break,
                }
            }
        }
    }
    owner
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn opts(capability: Capability) -> CompareOptions {
        CompareOptions {
            capability,
            exact_secrets: false,
            verdict_only: false,
            no_positions: false,
        }
    }

    fn kinds(d: &[Difference]) -> Vec<(String, DiffKind)> {
        d.iter().map(|d| (d.pointer.clone(), d.kind)).collect()
    }

    #[test]
    fn key_order_and_extra_fields_are_ignored() {
        let e = json!({"a": 1, "b": {"c": [1, 2]}});
        let a = json!({"b": {"c": [1, 2], "extra": true}, "a": 1, "more": null});
        assert!(compare(&e, &a, &opts(Capability::Source)).is_empty());
    }

    #[test]
    fn missing_and_changed_fields_are_named_by_pointer() {
        let e = json!({"a": 1, "b": {"c/d": "x", "e~f": true}});
        let a = json!({"b": {"c/d": "y"}});
        let d = compare(&e, &a, &opts(Capability::Source));
        assert_eq!(
            kinds(&d),
            vec![
                ("/a".to_string(), DiffKind::Missing),
                ("/b/c~1d".to_string(), DiffKind::Changed),
                ("/b/e~0f".to_string(), DiffKind::Missing),
            ]
        );
        assert_eq!(d[1].expected, Some(json!("x")));
        assert_eq!(d[1].actual, Some(json!("y")));
        assert_eq!(d[1].to_string(), "/b/c~1d: expected \"x\", got \"y\"");
        assert_eq!(d[0].to_string(), "/a: missing, expected 1");
    }

    #[test]
    fn null_is_not_absent_and_types_matter() {
        let e = json!({"plan": null, "n": 1, "s": "1"});
        let d = compare(&e, &json!({"n": "1", "s": 1}), &opts(Capability::Addons));
        assert_eq!(
            kinds(&d),
            vec![
                ("/n".to_string(), DiffKind::Changed),
                ("/plan".to_string(), DiffKind::Missing),
                ("/s".to_string(), DiffKind::Changed),
            ]
        );
        let whole = compare(&json!({"a": 1}), &json!([1]), &opts(Capability::Addons));
        assert_eq!(kinds(&whole), vec![(String::new(), DiffKind::Changed)]);
    }

    #[test]
    fn numbers_compare_by_value() {
        let o = opts(Capability::Formation);
        assert!(compare(&json!({"amount": 1}), &json!({"amount": 1.0}), &o).is_empty());
        assert!(compare(&json!({"amount": -2}), &json!({"amount": -2.0}), &o).is_empty());
        assert_eq!(
            compare(&json!({"amount": 1}), &json!({"amount": 2}), &o).len(),
            1
        );
        assert!(!scalar_equal(&json!(u64::MAX), &json!(-1)));
    }

    #[test]
    fn arrays_are_ordered_with_missing_and_unexpected_elements() {
        let o = opts(Capability::Addons);
        let e = json!({"addons": [{"addon": "redis"}, {"addon": "pg"}]});
        let swapped = json!({"addons": [{"addon": "pg"}, {"addon": "redis"}]});
        assert_eq!(
            kinds(&compare(&e, &swapped, &o)),
            vec![
                ("/addons/0/addon".to_string(), DiffKind::Changed),
                ("/addons/1/addon".to_string(), DiffKind::Changed),
            ]
        );
        let longer = json!({"addons": [{"addon": "redis"}, {"addon": "pg"}, {"addon": "x"}]});
        assert_eq!(
            kinds(&compare(&e, &longer, &o)),
            vec![("/addons/2".to_string(), DiffKind::Unexpected)]
        );
        let shorter = json!({"addons": [{"addon": "redis"}]});
        assert_eq!(
            kinds(&compare(&e, &shorter, &o)),
            vec![("/addons/1".to_string(), DiffKind::Missing)]
        );
    }

    #[test]
    fn data_maps_must_have_the_same_entries() {
        let o = opts(Capability::Env);
        let e = json!({"vars": {"A": {"value": "1", "origin": "manifest"}}, "removed": []});
        let extra = json!({"vars": {"A": {"value": "1", "origin": "manifest"}, "B": {"value": "2", "origin": "user"}}, "removed": [], "x": 1});
        assert_eq!(
            kinds(&compare(&e, &extra, &o)),
            vec![("/vars/B".to_string(), DiffKind::Unexpected)]
        );
        let f = json!({"formation": {"web": {"amount": 1}}});
        let more = json!({"formation": {"web": {"amount": 1, "note": "x"}, "worker": {}}});
        assert_eq!(
            kinds(&compare(&f, &more, &opts(Capability::Formation))),
            vec![("/formation/worker".to_string(), DiffKind::Unexpected)]
        );
    }

    #[test]
    fn diagnostics_are_multisets_of_their_expected_fields() {
        let o = opts(Capability::Validate);
        let e = json!({"valid": false, "diagnostics": [
            {"code": "SM0201", "severity": "error", "pointer": "/env/a b", "line": 2, "column": 3},
            {"code": "SM0102", "severity": "warning", "pointer": "/x"}
        ]});
        let a = json!({"valid": false, "diagnostics": [
            {"code": "SM0102", "severity": "warning", "pointer": "/x", "message": "m", "rule": "MAN-7"},
            {"code": "SM0201", "severity": "error", "pointer": "/env/a b", "line": 2, "column": 3, "hint": "h"}
        ]});
        assert!(compare(&e, &a, &o).is_empty());
        // a wrong column: a near miss (the same finding, elsewhere)
        let wrong = json!({"valid": false, "diagnostics": [
            {"code": "SM0102", "severity": "warning", "pointer": "/x"},
            {"code": "SM0201", "severity": "error", "pointer": "/env/a b", "line": 2, "column": 4}
        ]});
        let d = compare(&e, &wrong, &o);
        assert_eq!(
            kinds(&d),
            vec![("/diagnostics".to_string(), DiffKind::NearMiss)]
        );
        assert_eq!(d[0].actual.as_ref().unwrap()["column"], json!(4));
        assert_eq!(d[0].fields, ["column"]);
        // repeats count: two expected, one given
        let twice = json!({"diagnostics": [
            {"code": "SM0102", "severity": "warning", "pointer": "/x"},
            {"code": "SM0102", "severity": "warning", "pointer": "/x"}
        ]});
        let once =
            json!({"diagnostics": [{"code": "SM0102", "severity": "warning", "pointer": "/x"}]});
        assert_eq!(
            kinds(&compare(&twice, &once, &o)),
            vec![("/diagnostics".to_string(), DiffKind::MissingDiagnostic)]
        );
        assert_eq!(
            kinds(&compare(&once, &twice, &o)),
            vec![("/diagnostics".to_string(), DiffKind::UnexpectedDiagnostic)]
        );
        // diagnostics that are not an array
        assert_eq!(
            kinds(&compare(&once, &json!({"diagnostics": {}}), &o)),
            vec![("/diagnostics".to_string(), DiffKind::Changed)]
        );
    }

    #[test]
    fn matching_is_maximal_whatever_the_order() {
        let o = opts(Capability::Validate);
        // The first expected diagnostic (no line) could take either output; a greedy match
        // giving it the one at line 3 would leave the second unmatched.
        let e = json!({"diagnostics": [
            {"code": "SM0102", "severity": "warning", "pointer": "/x"},
            {"code": "SM0102", "severity": "warning", "pointer": "/x", "line": 3}
        ]});
        let a = json!({"diagnostics": [
            {"code": "SM0102", "severity": "warning", "pointer": "/x", "line": 3},
            {"code": "SM0102", "severity": "warning", "pointer": "/x", "line": 7}
        ]});
        assert!(compare(&e, &a, &o).is_empty());
    }

    #[test]
    fn syntax_findings_match_whatever_their_pointer() {
        let o = opts(Capability::Validate);
        let e = json!({"diagnostics": [{"code": "SM0009", "severity": "error", "pointer": "", "line": 3, "column": 3}]});
        let a = json!({"diagnostics": [{"code": "SM0009", "severity": "error", "pointer": "/stack", "line": 3, "column": 3}]});
        assert!(compare(&e, &a, &o).is_empty());
        // but not for other codes
        let e2 = json!({"diagnostics": [{"code": "SM0102", "severity": "warning", "pointer": ""}]});
        let a2 =
            json!({"diagnostics": [{"code": "SM0102", "severity": "warning", "pointer": "/a"}]});
        assert_eq!(compare(&e2, &a2, &o).len(), 2);
    }

    #[test]
    fn pointer_free_codes_are_the_syntax_rules_findings() {
        let from_catalogue: Vec<&str> = scalingo_manifest::catalogue()
            .iter()
            .filter(|c| ["JSON-4", "JSON-5", "JSON-6", "JSON-7"].contains(&c.rule()))
            .map(|c| c.as_str())
            .collect();
        let mut sorted = from_catalogue.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, POINTER_FREE_CODES);
    }

    #[test]
    fn unseeded_secrets_compare_by_shape_and_uniqueness() {
        let o = opts(Capability::Env);
        let e = json!({"vars": {
            "A": {"value": SECRET_PLACEHOLDER, "origin": "secret"},
            "B": {"value": SECRET_PLACEHOLDER, "origin": "secret"}
        }});
        let good = json!({"vars": {
            "A": {"value": "0123456789abcdef0123456789abcdef", "origin": "secret"},
            "B": {"value": "fedcba9876543210fedcba9876543210", "origin": "secret"}
        }});
        assert!(compare(&e, &good, &o).is_empty());
        let same = json!({"vars": {
            "A": {"value": "0123456789abcdef0123456789abcdef", "origin": "secret"},
            "B": {"value": "0123456789abcdef0123456789abcdef", "origin": "secret"}
        }});
        assert_eq!(
            kinds(&compare(&e, &same, &o)),
            vec![("/vars/B/value".to_string(), DiffKind::SecretRepeated)]
        );
        let bad = json!({"vars": {
            "A": {"value": "0123456789ABCDEF0123456789ABCDEF", "origin": "secret"},
            "B": {"value": 5, "origin": "user"}
        }});
        assert_eq!(
            kinds(&compare(&e, &bad, &o)),
            vec![
                ("/vars/A/value".to_string(), DiffKind::SecretShape),
                ("/vars/B/origin".to_string(), DiffKind::Changed),
                ("/vars/B/value".to_string(), DiffKind::SecretShape),
            ]
        );
    }

    #[test]
    fn seeded_secrets_compare_exactly_only_when_asked() {
        let e = json!({"env": {"vars": {"S": {"value": "cfaee90bad89982c0ac6b093bcd5b51f", "origin": "secret"}}}});
        let other = json!({"env": {"vars": {"S": {"value": "00000000000000000000000000000000", "origin": "secret"}}}});
        let shape = opts(Capability::Resolve);
        assert!(compare(&e, &other, &shape).is_empty());
        let exact = CompareOptions {
            exact_secrets: true,
            ..shape
        };
        assert_eq!(
            kinds(&compare(&e, &other, &exact)),
            vec![("/env/vars/S/value".to_string(), DiffKind::Changed)]
        );
        assert!(compare(&e, &e, &exact).is_empty());
        // the placeholder is never compared as text, even when exact
        let unseeded = json!({"vars": {"S": {"value": SECRET_PLACEHOLDER, "origin": "secret"}}});
        let actual = json!({"vars": {"S": {"value": "abcdefabcdefabcdefabcdefabcdefab", "origin": "secret"}}});
        assert!(compare(&unseeded, &actual, &exact).is_empty());
    }

    /// `no_positions` leaves `line` and `column` uncompared, and only them; an unmatched
    /// expected and output finding of one code and pointer are one near miss naming the
    /// fields that differ; other codes or pointers stay missing and unexpected.
    #[test]
    fn no_positions_and_near_misses() {
        let expected = json!({"valid": false, "diagnostics": [
            {"code": "SM0101", "severity": "error", "pointer": "/name", "line": 2, "column": 3},
            {"code": "SM0108", "severity": "warning", "pointer": "/x", "line": 4, "column": 1}
        ]});
        let unpositioned = json!({"valid": false, "diagnostics": [
            {"code": "SM0108", "severity": "warning", "pointer": "/x"},
            {"code": "SM0101", "severity": "error", "pointer": "/name"}
        ]});
        let mut o = opts(Capability::Validate);
        o.no_positions = true;
        assert_eq!(compare(&expected, &unpositioned, &o), Vec::new());
        let wrong_severity = json!({"valid": false, "diagnostics": [
            {"code": "SM0108", "severity": "note", "pointer": "/x"},
            {"code": "SM0101", "severity": "error", "pointer": "/name"}
        ]});
        let d = compare(&expected, &wrong_severity, &o);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].kind, DiffKind::NearMiss);
        assert_eq!(
            d[0].to_string(),
            "/diagnostics: near miss (severity differ): expected {\"code\":\"SM0108\",\"column\":1,\"line\":4,\"pointer\":\"/x\",\"severity\":\"warning\"}, got {\"code\":\"SM0108\",\"pointer\":\"/x\",\"severity\":\"note\"}"
        );
        // With positions compared, the same output is two near misses.
        let d = compare(&expected, &unpositioned, &opts(Capability::Validate));
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.kind == DiffKind::NearMiss));
        assert!(d[0].to_string().contains("near miss (column, line differ)"));
        // Another pointer or another code is no near miss.
        let elsewhere = json!({"valid": false, "diagnostics": [
            {"code": "SM0108", "severity": "warning", "pointer": "/y", "line": 4, "column": 1},
            {"code": "SM0102", "severity": "error", "pointer": "/name", "line": 2, "column": 3}
        ]});
        let kinds: Vec<DiffKind> = compare(&expected, &elsewhere, &opts(Capability::Validate))
            .iter()
            .map(|d| d.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                DiffKind::MissingDiagnostic,
                DiffKind::MissingDiagnostic,
                DiffKind::UnexpectedDiagnostic,
                DiffKind::UnexpectedDiagnostic
            ]
        );
        // A pointer-free code (DIAG-6) pairs whatever its pointer.
        let syntax = json!({"valid": false, "diagnostics": [
            {"code": "SM0006", "severity": "error", "pointer": "", "line": 1, "column": 6}
        ]});
        let moved = json!({"valid": false, "diagnostics": [
            {"code": "SM0006", "severity": "error", "pointer": "/a", "line": 1, "column": 7}
        ]});
        let d = compare(&syntax, &moved, &opts(Capability::Validate));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DiffKind::NearMiss);
        assert!(
            d[0].to_string().contains("near miss (column differ)"),
            "the pointer of SM0006 is not compared: {}",
            d[0]
        );
        assert_eq!(DiffKind::NearMiss.as_str(), "near-miss");
        assert!(
            CompareOptions::for_case(
                &Case {
                    id: "SMC-0001".into(),
                    rules: vec!["JSON-1".into()],
                    decisions: Vec::new(),
                    description: "d".into(),
                    capability: Capability::Validate,
                    status: Status::Required,
                    tags: Vec::new(),
                    input: json!({}),
                    expected: json!({}),
                },
                &[Feature::NoPositions]
            )
            .no_positions
        );
    }

    #[test]
    fn verdict_only_compares_valid_alone() {
        let e = json!({"valid": false, "diagnostics": [{"code": "SM0009", "severity": "error", "pointer": ""}]});
        let o = CompareOptions {
            verdict_only: true,
            ..opts(Capability::Validate)
        };
        assert!(compare(&e, &json!({"valid": false, "diagnostics": []}), &o).is_empty());
        assert!(compare(&e, &json!({"valid": false}), &o).is_empty());
        assert_eq!(
            kinds(&compare(&e, &json!({"valid": true}), &o)),
            vec![("/valid".to_string(), DiffKind::Changed)]
        );
        assert_eq!(
            kinds(&compare(&e, &json!({}), &o)),
            vec![("/valid".to_string(), DiffKind::Missing)]
        );
        // other capabilities are compared in full
        let env = CompareOptions {
            verdict_only: true,
            ..opts(Capability::Env)
        };
        assert_eq!(compare(&json!({"vars": {}}), &json!({}), &env).len(), 1);
    }

    #[test]
    fn statuses_decide_whether_differences_fail() {
        let mut case = Case {
            id: "SMC-0001".into(),
            rules: vec!["DIAG-6".into()],
            decisions: vec![],
            description: "d".into(),
            capability: Capability::Validate,
            status: Status::Required,
            tags: vec!["exact-secrets".into()],
            input: json!({}),
            expected: json!({"valid": true}),
        };
        let c = compare_case(&case, &json!({"valid": false}), &[]);
        assert!(c.failing);
        assert_eq!(c.differences.len(), 1);
        case.status = Status::Optional;
        assert!(compare_case(&case, &json!({"valid": false}), &[]).failing);
        case.status = Status::ImplementationDefined;
        let c = compare_case(&case, &json!({"valid": false}), &[]);
        assert!(!c.failing);
        assert_eq!(c.differences.len(), 1, "reported, not failed");
        assert!(!compare_case(&case, &json!({"valid": true}), &[]).failing);
        let o = CompareOptions::for_case(&case, &[Feature::ExactSecrets]);
        assert!(o.exact_secrets && !o.verdict_only);
        case.tags.clear();
        assert!(!CompareOptions::for_case(&case, &[Feature::ExactSecrets]).exact_secrets);
    }

    #[test]
    fn max_matching_finds_augmenting_paths() {
        // left 0 -> {0, 1}, left 1 -> {0}: greedy 0->0 must be undone.
        let owner = max_matching(&[0, 1], &[vec![0, 1], vec![0]], 2);
        assert_eq!(owner, vec![Some(1), Some(0)]);
        // a longer chain
        let owner = max_matching(
            &[0, 1, 2, 3],
            &[vec![0], vec![0, 1], vec![1, 2], vec![2]],
            3,
        );
        assert_eq!(owner.iter().flatten().count(), 3);
        // no edges
        assert_eq!(max_matching(&[0, 0], &[vec![]], 1), vec![None]);
        // a class shared by many left vertices
        let owner = max_matching(&[0, 0, 0], &[vec![0, 1]], 2);
        assert_eq!(owner, vec![Some(0), Some(1)]);
    }

    #[test]
    fn short_json_cuts_long_values() {
        let long = Value::String("é".repeat(500));
        let s = short_json(&long);
        assert!(s.ends_with("...") && s.chars().count() == 203);
        assert_eq!(short_json(&json!([1])), "[1]");
        assert!(is_secret_shape("0123456789abcdef0123456789abcdef"));
        assert!(!is_secret_shape("0123456789abcdef0123456789abcde"));
        assert_eq!(DiffKind::MissingDiagnostic.as_str(), "missing-diagnostic");
    }

    /// Diagnostic fields that are numbers match by value, as elsewhere: line `3` is line
    /// `3.0`, and line `2.5` is not line `2`.
    #[test]
    fn diagnostic_numbers_match_by_value() {
        let o = opts(Capability::Validate);
        let diag = |line: Value| {
            json!({"diagnostics": [
                {"code": "SM0102", "severity": "warning", "pointer": "/x", "line": line}
            ]})
        };
        assert!(compare(&diag(json!(3)), &diag(json!(3.0)), &o).is_empty());
        assert!(compare(&diag(json!(3.0)), &diag(json!(3)), &o).is_empty());
        assert_eq!(
            kinds(&compare(&diag(json!(2)), &diag(json!(2.5)), &o)),
            vec![("/diagnostics".to_string(), DiffKind::NearMiss)]
        );
    }

    /// `scalar_equal` (public): numbers by value whatever their form, arrays element by
    /// element, objects with the same keys whatever their order.
    #[test]
    fn scalar_equal_compares_numbers_by_value_and_containers_in_full() {
        assert!(scalar_equal(&json!(u64::MAX), &json!(u64::MAX)));
        assert!(!scalar_equal(&json!(u64::MAX), &json!(u64::MAX - 1)));
        assert!(scalar_equal(&json!(0.5), &json!(0.5)));
        assert!(!scalar_equal(&json!(0.5), &json!(0.25)));
        assert!(scalar_equal(
            &json!([1, {"a": 2}]),
            &json!([1.0, {"a": 2.0}])
        ));
        assert!(!scalar_equal(&json!([1, 2]), &json!([1, 3])));
        assert!(!scalar_equal(&json!([1]), &json!([1, 2])));
        assert!(scalar_equal(
            &json!({"a": 1, "b": [2]}),
            &json!({"b": [2.0], "a": 1.0})
        ));
        assert!(!scalar_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!scalar_equal(
            &json!({"a": 1, "b": 2}),
            &json!({"a": 1, "c": 2})
        ));
        assert!(!scalar_equal(&json!({"a": 1}), &json!({"a": 2})));
        assert!(!scalar_equal(&json!([1]), &json!({"0": 1})));
    }

    /// Equal numbers have one key, whatever their magnitude (a whole-number float of 9e15 or
    /// more once got another key than the same integer), and the comparison is exact
    /// beyond 2^53 (an integer is not equal to the float it rounds to).
    #[test]
    fn number_keys_agree_with_scalar_equal_at_every_magnitude() {
        let key = |v: &Value| {
            let mut out = String::new();
            key_text(v, &mut out);
            out
        };
        let big: Value = serde_json::from_str("1e16").unwrap();
        assert!(scalar_equal(&json!(10_000_000_000_000_000_u64), &big));
        assert_eq!(key(&json!(10_000_000_000_000_000_u64)), key(&big));
        assert_eq!(key(&json!(9_000_000_000_000_000_i64)), key(&json!(9.0e15)));
        assert_eq!(key(&json!(-3)), key(&json!(-3.0)));
        assert_eq!(key(&json!(0)), key(&json!(-0.0)));
        let two_53 = 9_007_199_254_740_992_i64;
        assert!(!scalar_equal(
            &json!(two_53 + 1),
            &json!(9_007_199_254_740_992.0)
        ));
        assert_ne!(
            key(&json!(two_53 + 1)),
            key(&json!(9_007_199_254_740_992.0))
        );
        assert!(scalar_equal(&json!(u64::MAX), &json!(u64::MAX)));
        assert_eq!(key(&json!(1.5)), "d1.5");
        assert_eq!(key(&json!(1.0e300)), key(&json!(1.0e300)));
        assert!(!scalar_equal(&json!(1.0e300), &json!(1.0e299)));
    }
}
