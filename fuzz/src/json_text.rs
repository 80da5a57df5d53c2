//! A tiny JSON writer for generated manifests: objects keep their members in order and may
//! repeat a key (rule `JSON-8` is then exercised), and the layout (compact, pretty, CRLF
//! line ends, a byte order mark) is part of what the fuzzer chooses.

/// A JSON value as the fuzzer builds it.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    /// Written as is: a number, `true`, `false`, `null`, or deliberately broken text.
    Raw(String),
    /// A string, escaped by `serde_json`.
    Str(String),
    /// An array.
    Arr(Vec<J>),
    /// An object; keys may repeat.
    Obj(Vec<(String, J)>),
}

/// How the text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// Two-space indentation and one member per line; compact otherwise.
    pub pretty: bool,
    /// `\r\n` line ends (pretty only).
    pub crlf: bool,
    /// A UTF-8 byte order mark first (rule `JSON-2`).
    pub bom: bool,
    /// A comma after the last member of every non-empty object (rule `JSON-6`).
    pub trailing_commas: bool,
}

/// Writes `value` as JSON text with `layout`.
pub fn write(value: &J, layout: Layout) -> String {
    let mut out = String::new();
    if layout.bom {
        out.push('\u{feff}');
    }
    write_value(&mut out, value, layout, 0);
    if layout.pretty {
        newline(&mut out, layout);
    }
    out
}

fn newline(out: &mut String, layout: Layout) {
    out.push_str(if layout.crlf { "\r\n" } else { "\n" });
}

fn indent(out: &mut String, layout: Layout, depth: usize) {
    if layout.pretty {
        newline(out, layout);
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        // Serialising a `str` cannot fail; keep the writer total anyway.
        Err(_) => out.push_str("\"\""),
    }
}

fn write_value(out: &mut String, value: &J, layout: Layout, depth: usize) {
    match value {
        J::Raw(raw) => out.push_str(raw),
        J::Str(s) => write_string(out, s),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, layout, depth + 1);
                write_value(out, item, layout, depth + 1);
            }
            if !items.is_empty() {
                indent(out, layout, depth);
            }
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, layout, depth + 1);
                write_string(out, key);
                out.push(':');
                if layout.pretty {
                    out.push(' ');
                }
                write_value(out, item, layout, depth + 1);
            }
            if !members.is_empty() {
                if layout.trailing_commas {
                    out.push(',');
                }
                indent(out, layout, depth);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> J {
        J::Obj(vec![
            ("a".into(), J::Str("x\"y".into())),
            ("a".into(), J::Arr(vec![J::Raw("1".into()), J::Obj(vec![])])),
        ])
    }

    #[test]
    fn compact_keeps_repeated_keys_and_escapes() {
        assert_eq!(
            write(&sample(), Layout::default()),
            r#"{"a":"x\"y","a":[1,{}]}"#
        );
    }

    #[test]
    fn pretty_crlf_bom_and_trailing_commas() {
        let layout = Layout {
            pretty: true,
            crlf: true,
            bom: true,
            trailing_commas: true,
        };
        assert_eq!(
            write(&sample(), layout),
            "\u{feff}{\r\n  \"a\": \"x\\\"y\",\r\n  \"a\": [\r\n    1,\r\n    {}\r\n  ],\r\n}\r\n"
        );
    }
}
