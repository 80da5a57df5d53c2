//! Properties of the escaping of human output (spec rule `DIAG-13`, `spec/diagnostics.md`):
//! whatever a manifest, a Procfile, a scenario or a file name holds, the human output of
//! `check` (`render::human_file`) and `explain` holds no control, DEL, C1, bidirectional
//! control or line separator but `\n`, and, with colour on, no escape sequence but the
//! renderer's SGR colours.

mod common;

use common::escape_offence;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use scalingo_manifest::scenario::{explain, resolve};
use scalingo_manifest_cli::render::{self, Kind, SourceView};

const REGRESSIONS: &str = "proptest-regressions/prop_escape.txt";

/// A hostile character: mostly the listed ones and the characters that build control
/// sequences and lines (`[`, `]`, `;`, digits, `PASS`), sometimes any character.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => select(vec![
            '\u{0}', '\u{7}', '\u{8}', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}',
            '\u{9c}', '\u{9d}', '\u{61c}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}',
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
        ]),
        4 => select(vec!['a', 'P', 'S', ' ', '[', ']', ';', '2', 'J', 'm', '`', ':', '"', '\\', 'é', '\u{feff}']),
        1 => any::<char>(),
    ]
}

fn hostile() -> impl Strategy<Value = String> {
    vec(hostile_char(), 0..12).prop_map(|cs| cs.into_iter().collect())
}

/// `s` as a JSON string, in one of three spellings: JSON's own escapes (`serde_json`, C1
/// and bidi left raw), every character outside printable ASCII as `\uXXXX` (an ASCII
/// file), or raw (controls unescaped: a broken string the reader still reports on).
fn json_string(s: &str, spelling: u8) -> String {
    match spelling % 3 {
        0 => serde_json::to_string(s).unwrap_or_default(),
        1 => {
            let mut out = String::from("\"");
            for unit in s.encode_utf16() {
                match char::from_u32(u32::from(unit)) {
                    Some(c) if (' '..='~').contains(&c) && c != '"' && c != '\\' => out.push(c),
                    _ => out.push_str(&format!("\\u{unit:04x}")),
                }
            }
            out.push('"');
            out
        }
        _ => format!("\"{s}\""),
    }
}

prop_compose! {
    /// A manifest whose keys and values (top level, env, formation, scripts) are hostile,
    /// each spelt one of three ways, with a hostile tail of raw text.
    fn hostile_manifest()(
        strings in vec((hostile(), any::<u8>()), 6),
        tail in hostile(),
    ) -> String {
        let j: Vec<String> = strings.iter().map(|(s, sp)| json_string(s, *sp)).collect();
        format!(
            "{{{}: {}, \"env\": {{{}: {{\"value\": {}}}}}, \"formation\": {{{}: {{\"size\": 1}}}}, \"scripts\": {{\"first-deploy\": {}}}}}{tail}",
            j[0], j[1], j[2], j[3], j[4], j[5]
        )
    }
}

prop_compose! {
    /// A Procfile of hostile names and commands.
    fn hostile_procfile()(lines in vec((hostile(), hostile()), 1..4)) -> String {
        lines.iter().map(|(n, c)| format!("{n}: {c}\n")).collect()
    }
}

fn human(file: &str, kind: Kind, bytes: &[u8], color: bool) -> String {
    let date = "2026-12-07".parse().expect("a date");
    let report = render::check_bytes(file, kind, bytes, date);
    let mut out = render::human_file(&report, &SourceView::new(bytes), color);
    out.push_str(&render::summary(&[report]));
    out
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// DIAG-13: the human output of `check` on a hostile manifest, under a hostile file
    /// name, holds no listed character but `\n`, with colour off; with colour on, no
    /// escape sequence but SGR colours.
    #[test]
    fn diag_13_check_human_output_of_hostile_manifests_is_escaped(
        text in hostile_manifest(),
        file in hostile(),
        color in any::<bool>(),
    ) {
        let out = human(&file, Kind::Manifest, text.as_bytes(), color);
        let bad = escape_offence(&out, color);
        prop_assert!(bad.is_none(), "{:?} in {:?}", bad, out);
    }

    /// DIAG-13: the same for a hostile Procfile.
    #[test]
    fn diag_13_check_human_output_of_hostile_procfiles_is_escaped(
        text in hostile_procfile(),
        file in hostile(),
        color in any::<bool>(),
    ) {
        let out = human(&format!("{file}Procfile"), Kind::Procfile, text.as_bytes(), color);
        let bad = escape_offence(&out, color);
        prop_assert!(bad.is_none(), "{:?} in {:?}", bad, out);
    }

    /// DIAG-13: `check --format github` on a hostile manifest under a hostile file name is
    /// one workflow command per finding, each on its own line: no listed character, no
    /// line the input made (every line is `::error`, `::warning` or `::notice` with the
    /// file property first), and no unescaped `%` in what follows the command's `::`.
    #[test]
    fn diag_13_github_annotations_of_hostile_manifests_are_one_command_each(
        text in hostile_manifest(),
        file in hostile(),
    ) {
        let date = "2026-12-07".parse().expect("a date");
        let report = render::check_bytes(&file, Kind::Manifest, text.as_bytes(), date);
        let out = render::github_file(&report);
        let bad = escape_offence(&out, false);
        prop_assert!(bad.is_none(), "{:?} in {:?}", bad, out);
        prop_assert_eq!(out.lines().count(), report.diagnostics.len());
        for line in out.lines() {
            let ok = ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|p| line.starts_with(p));
            prop_assert!(ok, "{}", line);
            let (props, message) = line[2..].split_once("::").expect("a message");
            prop_assert!(!props.contains("::"), "{}", line);
            for part in [props, message] {
                for (i, _) in part.match_indices('%') {
                    let code = part.get(i + 1..i + 3).unwrap_or("");
                    prop_assert!(["25", "0A", "0D", "3A", "2C"].contains(&code), "{}", line);
                }
            }
        }
    }

    /// DIAG-13: `explain` of any scenario whose app name, parent name and env, Procfile
    /// and manifest (scripts, env, keys) are hostile holds no listed character but `\n`,
    /// and each of its lines is the program's: no line of a field starts a line.
    #[test]
    fn diag_13_explain_of_hostile_scenarios_is_escaped(
        mut s in common::strategies::scenario(),
        name in hostile(),
        manifest in hostile_manifest(),
        procfile in hostile_procfile(),
        (env_name, env_value) in (hostile(), hostile()),
        which in 0u8..4,
    ) {
        // one hostile input at a time keeps the rest valid, so later stages run too
        match which {
            0 => s.app.name = name,
            1 => {
                s.repository.files.insert("scalingo.json".into(), manifest);
            }
            2 => {
                s.repository.files.insert("Procfile".into(), procfile);
            }
            _ => {
                if let Some(p) = s.parent.as_mut() {
                    p.name = name;
                    p.env.insert(env_name, env_value);
                }
            }
        }
        let out = explain(&resolve(&s));
        let bad = escape_offence(&out, false);
        prop_assert!(bad.is_none(), "{:?} in {:?}", bad, out);
        let forged = out.lines().any(|l| l.starts_with("PASS") || l.starts_with("error["));
        prop_assert!(!forged, "{}", out);
    }
}
