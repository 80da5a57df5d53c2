//! The strict reader: the fast path of the JSON reading (rules `JSON-*`), for a document
//! that is strict JSON (RFC 8259) with no duplicate key, which is what most manifests are.
//!
//! [`read`] gives the tree [`super::json`]'s lenient reader would give, or `None` when the
//! document needs that reader: anything that is not strict JSON (a comment, a trailing or
//! missing comma, a leading zero, white space JSON does not have, a raw control character
//! or a lone surrogate in a string, text after the document), a duplicate key, or nesting
//! deeper than the limit. A document read here has no syntax finding: every finding of
//! the reading comes from the lenient reader, which is the one source of its rules. The
//! lexing is done by the `jiter` crate, a fast strict JSON reader; this module only records
//! where each key and value was written.
//!
//! Both readers give the same tree, and the lenient one no finding, on every input this one
//! reads: the unit tests compare them on hand-picked and generated documents, and the fuzz
//! target `json_readers` on whatever libFuzzer makes (`check_agreement`, built only for
//! fuzzing).

use bumpalo::collections::Vec as ScratchVec;
use bumpalo::Bump;
use jiter::{Jiter, Peek};

use super::json::{Json, Member, Node, SMALL_OBJECT};
use crate::text::Span;

/// The tree of `text`, read strictly; `None` when the lenient reader must read it (see the
/// module's documentation), which includes a text whose arrays and objects nest deeper
/// than `max_depth` (rule `LIM-2`: the lenient reader reports it). `max_depth` bounds the
/// recursion.
pub(crate) fn read<'t>(text: &'t str, arena: &'t Bump, max_depth: usize) -> Option<Node<'t>> {
    let mut reader = Reader {
        text,
        arena,
        jiter: Jiter::new(text.as_bytes()),
        elements: ScratchVec::with_capacity_in(SCRATCH, arena),
        members: ScratchVec::with_capacity_in(SCRATCH, arena),
        depth: max_depth,
    };
    let peek = reader.jiter.peek().ok()?;
    let root = reader.value(peek)?;
    reader.jiter.finish().ok()?;
    Some(root)
}

/// The oracle of the fuzz target `json_readers`: on any `bytes` (up to the size limit, rule
/// `LIM-1`), what the strict reader reads, the lenient reader reads the same, with no finding.
/// Panics otherwise. Built only for fuzzing (`--cfg fuzzing`).
#[cfg(fuzzing)]
pub(crate) fn check_agreement(bytes: &[u8]) {
    use super::json::{read_leniently, reading_text, MAX_DEPTH, MAX_INPUT_BYTES};
    use crate::diag::{Bounded, MAX_LISTED};
    if bytes.len() > MAX_INPUT_BYTES {
        return;
    }
    let (text, _) = crate::text::shadow_text(bytes);
    let reading = reading_text(&text);
    let arena = Bump::new();
    let Some(strict) = read(&reading, &arena, MAX_DEPTH) else {
        return;
    };
    let index = crate::text::LineIndex::new(&text);
    let mut diags = Bounded::new(MAX_LISTED);
    let lenient = read_leniently(&reading, &arena, &index, &mut diags);
    let (findings, _) = diags.finish();
    assert!(
        findings.is_empty(),
        "read strictly, but the lenient reader reports {findings:?}"
    );
    assert_eq!(
        lenient,
        Some(strict),
        "the two readers read different trees"
    );
}

/// The room the scratch stacks start with: about the members of a manifest's largest
/// object, so that most documents never grow them.
const SCRATCH: usize = 32;

/// The bytes the scratch stacks start with in the arena (`json::parse_then` makes room).
pub(crate) const SCRATCH_BYTES: usize =
    SCRATCH * (std::mem::size_of::<Node>() + std::mem::size_of::<Member>());

struct Reader<'t> {
    text: &'t str,
    /// Where the tree's arrays, objects and unescaped strings are written.
    arena: &'t Bump,
    jiter: Jiter<'t>,
    /// The elements of the arrays being read, innermost last: each array moves its own off
    /// the top to the arena when it ends.
    elements: ScratchVec<'t, Node<'t>>,
    /// The members of the objects being read, in the same way.
    members: ScratchVec<'t, Member<'t>>,
    /// How many more levels of arrays and objects may open.
    depth: usize,
}

impl<'t> Reader<'t> {
    /// The value `peek` announced, at the reader's position.
    fn value(&mut self, peek: Peek) -> Option<Node<'t>> {
        let start = self.jiter.current_index();
        let value = match peek {
            Peek::Null => self.jiter.known_null().map(|()| Json::Null).ok()?,
            Peek::True | Peek::False => Json::Bool(self.jiter.known_bool(peek).ok()?),
            Peek::String => {
                let text = self.text;
                let decoded = self.jiter.known_str().ok()?;
                // Borrowed from the text when written there as it reads (no escape):
                // `jiter` then hands over a slice of the text itself, which the address
                // shows without comparing the bytes. Keys, which `jiter` hands over
                // undecoded, are checked for a backslash instead (`key_text`); for values,
                // decoding measured faster.
                match text.get(start + 1..start + 1 + decoded.len()) {
                    Some(written) if std::ptr::eq(written, decoded) || written == decoded => {
                        Json::String(written)
                    }
                    _ => Json::String(self.arena.alloc_str(decoded)),
                }
            }
            Peek::Array => {
                self.depth = self.depth.checked_sub(1)?;
                let base = self.elements.len();
                let mut next = self.jiter.known_array().ok()?;
                while let Some(peek) = next {
                    let element = self.value(peek)?;
                    self.elements.push(element);
                    next = self.jiter.array_step().ok()?;
                }
                self.depth += 1;
                Json::Array(take(self.arena, &mut self.elements, base))
            }
            Peek::Object => {
                self.depth = self.depth.checked_sub(1)?;
                let object = self.object()?;
                self.depth += 1;
                object
            }
            // A number, or a byte no value starts with (which `jiter` refuses).
            _ => self
                .jiter
                .known_number_bytes(peek)
                .map(|_| Json::Number)
                .ok()?,
        };
        let span = Span::new(start, self.jiter.current_index());
        Some(Node { value, span })
    }

    /// The object at the reader's position (on its `{`); `None` on a duplicate key.
    fn object(&mut self) -> Option<Json<'t>> {
        let base = self.members.len();
        let (text, arena) = (self.text, self.arena);
        let mut key = self
            .jiter
            .next_object_bytes()
            .ok()?
            .map(|k| key_at(text, arena, k));
        while let Some(read) = key {
            let (name, key_span) = read?;
            let peek = self.jiter.peek().ok()?;
            let value = self.value(peek)?;
            self.members.push(Member {
                key: name,
                key_span,
                value,
                duplicate_key_spans: &[],
            });
            key = self
                .jiter
                .next_key_bytes()
                .ok()?
                .map(|k| key_at(text, arena, k));
        }
        let members = take(self.arena, &mut self.members, base);
        (!has_duplicate_key(members)).then_some(Json::Object(members))
    }
}

/// The items of `stack` from `base` up, moved off it to `arena`. Copied as one block (nodes
/// and members are `Copy`): moving them one by one through an iterator of options read each
/// back from a temporary in pieces, which stalled the processor.
fn take<'t, T: Copy>(arena: &'t Bump, stack: &mut ScratchVec<'t, T>, base: usize) -> &'t [T] {
    let taken = arena.alloc_slice_copy(stack.get(base..).unwrap_or_default());
    stack.truncate(base);
    taken
}

/// The key written between the quotes in `text[start..end]` (which `jiter` has read, and so
/// checked): borrowed from the text when it has no escape, else decoded by `jiter`.
fn key_text<'t>(text: &'t str, arena: &'t Bump, start: usize, end: usize) -> Option<&'t str> {
    let written = text.get(start..end)?;
    if !written.bytes().any(|b| b == b'\\') {
        return Some(written);
    }
    let quoted = text.get(start.checked_sub(1)?..end + 1)?;
    let mut jiter = Jiter::new(quoted.as_bytes());
    Some(arena.alloc_str(jiter.next_str().ok()?))
}

/// The key whose text between the quotes `jiter` gives as `raw`, a slice of `text`, and the
/// key's span (quotes included); `None` if `raw` is not in `text`, which `jiter` never does.
#[inline(always)]
fn key_at<'t>(text: &'t str, arena: &'t Bump, raw: &[u8]) -> Option<(&'t str, Span)> {
    // Where `raw` starts in `text`: `jiter` hands out slices of the text it reads, and the
    // difference of two addresses in one allocation is that offset (checked to lie in it).
    let start = (raw.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start
        .checked_add(raw.len())
        .filter(|&end| end < text.len())?;
    Some((
        key_text(text, arena, start, end)?,
        Span::new(start.checked_sub(1)?, end + 1),
    ))
}

/// Whether two members of one object have the same key (rule `JSON-8`): a scan of the few
/// members of a small object, a set for a large one, so that the work stays linear.
fn has_duplicate_key(members: &[Member]) -> bool {
    if members.len() <= SMALL_OBJECT {
        // Keys of different lengths differ: compared first, without calling `memcmp`.
        members.iter().enumerate().any(|(i, m)| {
            members[..i]
                .iter()
                .any(|n| n.key.len() == m.key.len() && n.key == m.key)
        })
    } else {
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        !members.iter().all(|m| seen.insert(m.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Bounded, MAX_LISTED};
    use crate::text::LineIndex;
    use proptest::prelude::*;

    /// The lenient reader's tree (in `arena`) and findings of `text`.
    fn leniently<'t>(
        text: &'t str,
        arena: &'t Bump,
    ) -> (Option<Node<'t>>, Vec<crate::diag::Diagnostic>) {
        let index = LineIndex::new(text);
        let mut diags = Bounded::new(MAX_LISTED);
        let root = super::super::json::read_leniently(text, arena, &index, &mut diags);
        (root, diags.finish().0)
    }

    /// Whether the strict reader reads `text` (nesting at most `max_depth` deep).
    fn reads(text: &str, max_depth: usize) -> bool {
        read(text, &Bump::new(), max_depth).is_some()
    }

    /// Whatever the strict reader reads, the lenient one reads the same, with no finding.
    fn agree(text: &str) -> Result<bool, TestCaseError> {
        let (strict_arena, lenient_arena) = (Bump::new(), Bump::new());
        let Some(strict) = read(text, &strict_arena, super::super::json::MAX_DEPTH) else {
            return Ok(false);
        };
        let (lenient, findings) = leniently(text, &lenient_arena);
        prop_assert_eq!(findings, vec![], "{:?}", text);
        prop_assert_eq!(lenient, Some(strict), "{:?}", text);
        Ok(true)
    }

    #[test]
    fn json_readers_agree_on_strict_documents() {
        let strict = [
            "{}",
            " [ ] ",
            "\t{\"a\" :1 ,\r\n\"b\":[true,false,null,-0,1.5e+3,1E-2,\"\"]}\n",
            r#"{"k\u00e9y":"v\"al\\ue\/","x":{"y":{"z":[[],{}]}}}"#,
            r#"["\ud83d\ude00", "é", "\u0000", "?"]"#,
            "123",
            "\"top\"",
            "[1e999, -1e-999, 123456789012345678901234567890]",
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17}"#,
        ];
        for text in strict {
            assert!(agree(text).unwrap(), "not read strictly: {text:?}");
        }
    }

    #[test]
    fn the_lenient_reader_reads_what_is_not_strict_json() {
        let lenient = [
            "",
            "[01]",
            r#"{"a": 01}"#,
            "[1]\u{c}",
            "[\u{a0}1]",
            "[\"a\u{1}b\"]",
            r#"["\ud800"]"#,
            r#"["\udc00x"]"#,
            "[1,]",
            "[1 2]",
            "{\"a\":1,}",
            "// c\n{}",
            "{} {}",
            "[tru]",
            "[1.]",
            "[.5]",
            r#"["\x"]"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"a":17}"#,
            r#"{"\u0061":1,"a":2}"#,
            "{\"a\":[1}",
            "[",
        ];
        for text in lenient {
            assert!(!reads(text, 32), "read strictly: {text:?}");
        }
    }

    /// LIM-2: what nests deeper than the limit is left to the lenient reader, which
    /// reports it; what nests exactly as deep is read.
    #[test]
    fn the_strict_reader_reads_up_to_the_depth_limit() {
        let arrays = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let objects = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        for nest in [arrays, objects] {
            assert!(agree(&nest(32)).unwrap());
            assert!(!reads(&nest(33), 32));
            assert!(!reads(&nest(3), 2));
            assert!(reads(&nest(2), 2));
        }
    }

    /// JSON-looking text: tokens of JSON, of near-JSON and of white space, side by side.
    fn json_ish() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("null".to_string()),
            Just("true".to_string()),
            Just("\"a\"".to_string()),
            Just("\"a\":".to_string()),
            Just("\"b\":".to_string()),
            Just("\"\\u0061\":".to_string()),
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?",
            "\"([a-z é\\\\\"/]|\\\\[nrtbf\"\\\\/]|\\\\u[0-9a-fA-F]{4}){0,6}\"",
            "[\\x00-\\x7f]",
        ];
        proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
    }

    /// A JSON document with unique keys, written with varied white space.
    fn document() -> impl Strategy<Value = String> {
        let space = prop_oneof![Just(""), Just(" "), Just("\n  "), Just("\r\n"), Just("\t")];
        let leaf = prop_oneof![
            Just("null".to_string()),
            any::<bool>().prop_map(|b| b.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| format!("{f:e}")),
            any::<String>().prop_map(|s| serde_json::to_string(&s).expect("a string")),
            "\"([a-z]|\\\\u[0-9a-fA-F]{2}[0-9a-f]{2}|\\\\[nt/])*\""
                .prop_filter("no surrogate escape", |s| serde_json::from_str::<String>(s)
                    .is_ok()),
        ];
        leaf.prop_recursive(6, 64, 6, move |inner| {
            let space = space.clone();
            prop_oneof![
                proptest::collection::vec((inner.clone(), space.clone()), 0..6).prop_map(|v| {
                    let items: Vec<String> =
                        v.into_iter().map(|(x, s)| format!("{s}{x}{s}")).collect();
                    format!("[{}]", items.join(","))
                }),
                proptest::collection::btree_map("[a-z\u{e9}\\\\\"]{0,3}", (inner, space), 0..6)
                    .prop_map(|m| {
                        let items: Vec<String> = m
                            .into_iter()
                            .map(|(k, (v, s))| {
                                format!(
                                    "{s}{}{s}:{s}{v}",
                                    serde_json::to_string(&k).expect("a key")
                                )
                            })
                            .collect();
                        format!("{{{}}}", items.join(","))
                    }),
            ]
        })
    }

    proptest! {
        #[test]
        fn json_readers_agree_on_json_ish_text(text in json_ish()) {
            agree(&text)?;
        }

        #[test]
        fn json_readers_agree_on_documents(text in document()) {
            prop_assert!(agree(&text)?, "not read strictly: {:?}", text);
        }

        /// A document with one token inserted or one byte deleted: mostly not strict JSON,
        /// sometimes still (a space, a digit), which both readers must then agree on.
        #[test]
        fn json_readers_agree_on_near_documents(
            text in document(),
            at in any::<prop::sample::Index>(),
            edit in prop_oneof![
                Just(None),
                Just(Some(",")),
                Just(Some("0")),
                Just(Some(" ")),
                Just(Some("\u{c}")),
                Just(Some("/**/")),
                Just(Some("\"")),
                Just(Some("\\")),
                Just(Some("}")),
            ],
        ) {
            let mut text = text;
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match edit {
                Some(token) => text.insert_str(at, token),
                None if at < text.len() => {
                    text.remove(at);
                }
                None => {}
            }
            agree(&text)?;
        }
    }
}
