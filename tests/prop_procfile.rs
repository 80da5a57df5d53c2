//! Properties of `procfile::parse` and `procfile::to_text` (spec `spec/procfile.md`, rules
//! `PROC-*` and `PROC-LIM-*`; positions and order of `spec/diagnostics.md`): totality on any
//! bytes, the entries as the lines say, printing and reading back, repeated and reserved
//! names, CRLF, and the diagnostic cap.

mod common;

use common::manifest_strategies::{
    any_procfile_bytes, command, proc_entries, proc_line, proc_line_valid, proc_name, procfile_text,
};
use common::strategies::dedup_keep_first;
use common::{in_canonical_order, model_line_col};
use proptest::prelude::*;
use proptest::sample::select;
use scalingo_manifest::procfile::{parse, to_text, ParsedProcfile, ProcessType, Procfile};
use scalingo_manifest::text::{shadow_text, Span};
use scalingo_manifest::Diagnostic;

const REGRESSIONS: &str = "proptest-regressions/prop_procfile.txt";

/// (name, command) of each entry.
fn pairs(p: &ParsedProcfile) -> Vec<(String, String)> {
    p.procfile
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.command.clone()))
        .collect()
}

/// The text of one `name: command` line per entry.
fn lines_of(entries: &[(String, String)]) -> String {
    entries.iter().map(|(n, c)| format!("{n}: {c}\n")).collect()
}

/// A Procfile model from (name, command) pairs (spans and lines are not printed).
fn procfile_of(entries: &[(String, String)]) -> Procfile {
    Procfile {
        entries: entries
            .iter()
            .map(|(name, command)| ProcessType {
                name: name.clone(),
                command: command.clone(),
                line: 0,
                name_span: Span::point(0),
                command_span: Span::point(0),
            })
            .collect(),
    }
}

/// Rule `PROC-4`, stated independently: a name equal to a reserved name except for case.
fn near_reserved(name: &str) -> bool {
    ["web", "tcp", "postdeploy"]
        .iter()
        .any(|r| *r != name && r.eq_ignore_ascii_case(name))
}

fn codes_of(p: &ParsedProcfile) -> Vec<&str> {
    p.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// PROC-11, DIAG-1, DIAG-5: `parse` never panics on any bytes; each diagnostic is located (line,
    /// column, span) or not at all; a span lies in the input on character boundaries of the
    /// text it was read as (each invalid UTF-8 byte one `?`), at the line and column of its
    /// start; each entry's name and command are the bytes of its spans (invalid UTF-8 as
    /// U+FFFD), on the line the entry gives.
    #[test]
    fn proc_11_diag_1_5_parse_is_total_and_everything_lies_in_the_input(bytes in any_procfile_bytes()) {
        let p = parse(&bytes);
        let text = shadow_text(&bytes).0.into_owned();
        for d in &p.diagnostics {
            let located = (d.line.is_some(), d.column.is_some(), d.span.is_some());
            prop_assert!(located == (true, true, true) || located == (false, false, false), "{:?}", d);
            let (Some(span), Some(line), Some(column)) = (d.span, d.line, d.column) else { continue };
            let inside = span.start <= span.end && span.end <= bytes.len()
                && text.is_char_boundary(span.start) && text.is_char_boundary(span.end);
            prop_assert!(inside, "{:?} in {:?}", d, text);
            prop_assert_eq!((line, column), model_line_col(&text, span.start), "{:?} in {:?}", d, text);
        }
        for e in &p.procfile.entries {
            let name = bytes.get(e.name_span.start..e.name_span.end).map(String::from_utf8_lossy);
            let command = bytes.get(e.command_span.start..e.command_span.end).map(String::from_utf8_lossy);
            prop_assert_eq!(name.as_deref(), Some(e.name.as_str()));
            prop_assert_eq!(command.as_deref(), Some(e.command.as_str()));
            prop_assert_eq!(e.line, model_line_col(&text, e.name_span.start).0);
        }
    }

    /// DIAG-4, PROC-LIM-4: parsing twice gives the same result; diagnostics are in the
    /// canonical order (the cap's note last), at most 1001.
    #[test]
    fn proc_lim_4_diag_4_parse_is_deterministic_sorted_and_capped(bytes in any_procfile_bytes()) {
        let a = parse(&bytes);
        prop_assert_eq!(&a, &parse(&bytes));
        prop_assert!(in_canonical_order(&a.diagnostics), "{:?}", a.diagnostics);
        prop_assert!(a.diagnostics.len() <= 1001);
    }

    /// PROC-1, PROC-4, PROC-5, PROC-11: printing entries with valid names and commands as `name: command`
    /// lines (`to_text`) and parsing the text gives the same entries in the same order, on
    /// lines 1, 2, ..., with no error; the only findings are the warnings of PROC-4 (a
    /// reserved name in another case) and PROC-5 (`release`), one per such name.
    #[test]
    fn proc_1_proc_4_proc_5_proc_11_printed_entries_parse_back(entries in proc_entries()) {
        let entries = dedup_keep_first(entries, |(n, _)| n.as_str());
        let text = to_text(&procfile_of(&entries));
        prop_assert_eq!(&text, &lines_of(&entries));
        let p = parse(text.as_bytes());
        prop_assert_eq!(pairs(&p), entries.clone());
        let lines: Vec<u32> = p.procfile.entries.iter().map(|e| e.line).collect();
        prop_assert_eq!(lines, (1..=u32::try_from(entries.len()).unwrap_or(0)).collect::<Vec<_>>());
        let mut want: Vec<(String, String)> = Vec::new();
        for (name, _) in &entries {
            if near_reserved(name) { want.push(("SM0607".into(), format!("/{name}"))); }
            if name == "release" { want.push(("SM0608".into(), "/release".into())); }
        }
        if entries.is_empty() { want.push(("SM0615".into(), String::new())); }
        let got: Vec<(String, String)> = p.diagnostics.iter().map(|d| (d.code.to_string(), d.pointer.clone())).collect();
        prop_assert_eq!(got, want);
    }

    /// PROC-11: whatever the bytes, printing the entries read and reading the text gives the
    /// same names and commands, and printing again gives the same text.
    #[test]
    fn proc_11_printing_what_was_read_reads_the_same(bytes in any_procfile_bytes()) {
        let first = parse(&bytes);
        let text = to_text(&first.procfile);
        let again = parse(text.as_bytes());
        prop_assert_eq!(pairs(&again), pairs(&first));
        prop_assert_eq!(to_text(&again.procfile), text);
    }

    /// PROC-3: a name defined again keeps its first definition; each later one is one
    /// SM0606 error at its name (pointer `/<name>`), and is not an entry.
    #[test]
    fn proc_3_a_repeated_name_keeps_the_first_definition(entries in proc_entries()) {
        let p = parse(lines_of(&entries).as_bytes());
        let kept = dedup_keep_first(entries.clone(), |(n, _)| n.as_str());
        prop_assert_eq!(pairs(&p), kept.clone());
        let repeated: Vec<(String, u32)> = entries.iter().enumerate()
            .filter(|(i, (n, _))| entries[..*i].iter().any(|(m, _)| m == n))
            .map(|(i, (n, _))| (format!("/{n}"), u32::try_from(i + 1).unwrap_or(0)))
            .collect();
        let found: Vec<(String, u32)> = p.diagnostics.iter().filter(|d| d.code == "SM0606")
            .map(|d| (d.pointer.clone(), d.line.unwrap_or(0))).collect();
        prop_assert_eq!(found, repeated);
        for d in p.diagnostics.iter().filter(|d| d.code == "SM0606") {
            prop_assert_eq!(d.column, Some(1));
        }
    }

    /// PROC-4: `postdeploy()` is the entry named exactly `postdeploy` (its first
    /// definition), `process_types()` every other name in file order (`web` and `tcp`
    /// included), and a reserved name in another case is an ordinary process type with one
    /// SM0607 warning on each line that names it.
    #[test]
    fn proc_4_reserved_names(entries in proc_entries()) {
        let p = parse(lines_of(&entries).as_bytes());
        let kept = dedup_keep_first(entries.clone(), |(n, _)| n.as_str());
        let postdeploy = kept.iter().find(|(n, _)| n == "postdeploy").map(|(_, c)| c.as_str());
        prop_assert_eq!(p.procfile.postdeploy().map(|e| e.command.as_str()), postdeploy);
        let types: Vec<&str> = kept.iter().map(|(n, _)| n.as_str()).filter(|n| *n != "postdeploy").collect();
        prop_assert_eq!(p.procfile.process_types(), types);
        // Every line is checked, a repeated one too (PROC-3 then drops it).
        let near: Vec<String> = entries.iter().filter(|(n, _)| near_reserved(n)).map(|(n, _)| format!("/{n}")).collect();
        let warned: Vec<String> = p.diagnostics.iter().filter(|d| d.code == "SM0607").map(|d| d.pointer.clone()).collect();
        prop_assert_eq!(warned, near);
    }

    /// PROC-7: CRLF line endings read as LF ones: the same entries on the same lines, the
    /// same findings at the same lines and columns, and one SM0611 note at the first
    /// `\r\n`.
    #[test]
    fn proc_7_crlf_reads_as_lf_with_one_note(lines in proptest::collection::vec(proc_line(), 0..10), final_eol in any::<bool>()) {
        let mut lf = lines.join("\n");
        if final_eol { lf.push('\n'); }
        let crlf = lf.replace('\n', "\r\n");
        let a = parse(lf.as_bytes());
        let b = parse(crlf.as_bytes());
        let entries = |p: &ParsedProcfile| -> Vec<(String, String, u32)> {
            p.procfile.entries.iter().map(|e| (e.name.clone(), e.command.clone(), e.line)).collect()
        };
        prop_assert_eq!(entries(&a), entries(&b));
        let key = |d: &Diagnostic| (d.code, d.pointer.clone(), d.line, d.column);
        let got: Vec<_> = b.diagnostics.iter().filter(|d| d.code != "SM0611").map(key).collect();
        let want: Vec<_> = a.diagnostics.iter().map(key).collect();
        prop_assert_eq!(got, want);
        let notes: Vec<Option<usize>> = b.diagnostics.iter().filter(|d| d.code == "SM0611").map(|d| d.span.map(|s| s.start)).collect();
        prop_assert_eq!(notes, crlf.find("\r\n").map(Some).into_iter().collect::<Vec<_>>());
    }

    /// PROC-6: a UTF-8 byte order mark is one SM0610 error and changes nothing else than
    /// moving every span by its three bytes and every column on line 1 by its one
    /// character.
    #[test]
    fn proc_6_a_byte_order_mark_is_an_error_and_skipped(text in procfile_text()) {
        if text.starts_with(b"\xEF\xBB\xBF") { return Ok(()) }
        let mut with = b"\xEF\xBB\xBF".to_vec();
        with.extend_from_slice(&text);
        let a = parse(&text);
        let b = parse(&with);
        prop_assert_eq!(pairs(&a), pairs(&b));
        let boms: Vec<_> = b.diagnostics.iter().filter(|d| d.code == "SM0610").collect();
        prop_assert_eq!(boms.len(), 1);
        prop_assert_eq!(boms[0].span, Some(Span::new(0, 3)));
        let rest: Vec<_> = b.diagnostics.iter().filter(|d| d.code != "SM0610").collect();
        prop_assert_eq!(rest.len(), a.diagnostics.len(), "{:?}", codes_of(&b));
        for (d, e) in rest.iter().zip(&a.diagnostics) {
            prop_assert_eq!((&d.code, &d.pointer), (&e.code, &e.pointer));
            prop_assert_eq!(d.span, e.span.map(|s| Span::new(s.start + 3, s.end + 3)));
            let column = e.column.map(|c| if e.line == Some(1) { c + 1 } else { c });
            prop_assert_eq!((d.line, d.column), (e.line, column), "{:?} vs {:?}", d, e);
        }
    }

    /// DIAG-2, DIAG-3: every diagnostic's code is the `procfile` module's (`Code::owner`), in the
    /// Procfile's range (SM0600-SM0699), with the rule the diagnostic names (`PROC-*`) and
    /// its default severity (only the PROC-LIM-4 note may be an error, DIAG-12).
    #[test]
    fn diag_2_3_procfile_codes_rules_and_severities_are_the_declared_ones(bytes in any_procfile_bytes()) {
        for d in &parse(&bytes).diagnostics {
            prop_assert_eq!(d.code.owner(), "procfile", "{:?}", d);
            prop_assert!(d.code.as_str().starts_with("SM06") && d.code.as_str().len() == 6 && d.rule().starts_with("PROC-"), "{:?}", d);
            let severity_ok = d.severity == d.code.severity() || (d.code == "SM0619" && d.is_error());
            prop_assert!(severity_ok, "{:?}", d);
        }
    }

    /// PROC-2: a name with a character other than ASCII letters and digits is one SM0604
    /// error at that first character, a name longer than 24 characters one SM0605 error at
    /// the name; the entry is kept under the name as written.
    #[test]
    fn proc_2_invalid_names_are_errors_and_kept(
        name in prop_oneof![
            select(vec!["my-worker", "post_deploy", "a b", "日本", "x.y", "web\u{feff}", "a#b", "Wörker"]).prop_map(str::to_string),
            "[A-Za-z0-9]{25,30}",
            "[A-Za-z0-9]{20,26}[-_.][a-z]{0,3}",
        ],
        command in command(),
        before in proptest::collection::vec(proc_line_valid(), 0..3),
    ) {
        let mut text: String = before.iter().map(|l| format!("{l}\n")).collect();
        let line = u32::try_from(before.len() + 1).unwrap_or(0);
        let start = text.len();
        text.push_str(&format!("{name}: {command}\n"));
        let p = parse(text.as_bytes());
        prop_assert_eq!(p.procfile.entries.last().map(|e| (e.name.as_str(), e.command.as_str())), Some((name.as_str(), command.as_str())));
        let on_line: Vec<(&str, Option<u32>)> = p.diagnostics.iter().filter(|d| d.line == Some(line)).map(|d| (d.code.as_str(), d.column)).collect();
        let mut want: Vec<(&str, Option<u32>)> = Vec::new();
        if name.chars().count() > 24 { want.push(("SM0605", Some(1))); }
        if let Some(i) = name.chars().position(|c| !c.is_ascii_alphanumeric()) {
            want.push(("SM0604", u32::try_from(i + 1).ok()));
        }
        want.sort_by_key(|(code, col)| (*col, *code));
        prop_assert_eq!(on_line, want, "{:?}", &text[start..]);
    }

    /// PROC-1, PROC-8: spaces and tabs around the name and the command are trimmed; an
    /// indented line is read all the same, with one SM0613 warning spanning the indentation.
    #[test]
    fn proc_1_proc_8_blanks_are_trimmed_and_indentation_warned(
        entries in proc_entries(),
        pads in proptest::collection::vec((select(vec!["", " ", "\t", "  \t"]), select(vec!["", " ", "\t "]), select(vec![" ", "\t", "  "]), select(vec!["", " ", "\t"])), 8),
    ) {
        let entries = dedup_keep_first(entries, |(n, _)| n.as_str());
        let mut text = String::new();
        let mut indents = Vec::new();
        for ((name, command), (indent, before_colon, after_colon, end)) in entries.iter().zip(pads.iter().cycle()) {
            indents.push((text.len(), indent.len()));
            text.push_str(&format!("{indent}{name}{before_colon}:{after_colon}{command}{end}\n"));
        }
        let p = parse(text.as_bytes());
        prop_assert_eq!(pairs(&p), entries);
        let warned: Vec<Option<Span>> = p.diagnostics.iter().filter(|d| d.code == "SM0613").map(|d| d.span).collect();
        let want: Vec<Option<Span>> = indents.iter().filter(|(_, n)| *n > 0).map(|(at, n)| Some(Span::new(*at, at + n))).collect();
        prop_assert_eq!(warned, want);
        prop_assert!(!p.has_errors(), "{:?}", p.diagnostics);
    }

    /// PROC-9: a line a YAML reader would read differently gets one SM0614 warning, at the
    /// first of: the colon when no blank follows it; the command's first character when it
    /// is YAML syntax; a `:` in the command followed by a blank or the line end. The entry
    /// is read as PROC-1 says all the same.
    #[test]
    fn proc_9_yaml_trouble_is_one_warning_at_its_first_place(
        name in proc_name(),
        command in command(),
        space in any::<bool>(),
        lead in select(vec!["", "", "[", "{", "&", "*", "!", "|", ">", "%", "@", "`"]),
        tail in select(vec!["", "", " step: 1", " x:", " a:\tb", " rake:db"]),
    ) {
        let full = format!("{lead}{command}{tail}");
        let line = format!("{name}:{}{full}", if space { " " } else { "" });
        let p = parse(line.as_bytes());
        prop_assert_eq!(p.procfile.entries.first().map(|e| e.command.as_str()), Some(full.as_str()));
        let colon = name.len();
        let cmd = colon + 1 + usize::from(space);
        let b = line.as_bytes();
        let want = if !space {
            Some(colon)
        } else if !lead.is_empty() {
            Some(cmd)
        } else {
            (cmd..b.len()).find(|&i| b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\t'))
        };
        let got: Vec<usize> = p.diagnostics.iter().filter(|d| d.code == "SM0614").filter_map(|d| d.span.map(|s| s.start)).collect();
        prop_assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{:?}", line);
    }

    /// PROC-10: a Procfile with no process line (only blank lines and comments, or nothing)
    /// is one unlocated SM0615 warning and no entry; one process line, even a wrong one,
    /// and there is no SM0615.
    #[test]
    fn proc_10_no_process_line_is_one_warning(
        quiet in proptest::collection::vec(select(vec!["", "# web: x", "   ", "\t# c", "#"]), 0..6),
        extra in proptest::option::of(select(vec!["web: x", "web npm start", ": x", "web:"])),
        eol in select(vec!["\n", "\r\n"]),
    ) {
        let mut lines: Vec<&str> = quiet.clone();
        if let Some(e) = extra { lines.push(e); }
        let p = parse(lines.join(eol).as_bytes());
        let found: Vec<_> = p.diagnostics.iter().filter(|d| d.code == "SM0615").collect();
        if extra.is_none() {
            prop_assert_eq!(found.len(), 1);
            prop_assert!(found[0].span.is_none());
            prop_assert!(p.procfile.entries.is_empty());
        } else {
            prop_assert!(found.is_empty(), "{:?}", p.diagnostics);
        }
    }

    /// PROC-LIM-3: a command of more than 4096 bytes is one SM0618 error at the command; the
    /// entry is kept.
    #[test]
    fn proc_lim_3_a_command_over_4096_bytes_is_an_error(n in 4090usize..4103, wide in any::<bool>()) {
        let command = if wide { format!("{}{}", "é".repeat(n / 2), "x".repeat(n % 2)) } else { "x".repeat(n) };
        let text = format!("web: {command}\n");
        let p = parse(text.as_bytes());
        prop_assert_eq!(p.procfile.entries.first().map(|e| e.command.as_str()), Some(command.as_str()));
        let found: Vec<Option<Span>> = p.diagnostics.iter().filter(|d| d.code == "SM0618").map(|d| d.span).collect();
        let want: Vec<Option<Span>> = if command.len() > 4096 { vec![Some(Span::new(5, 5 + command.len()))] } else { vec![] };
        prop_assert_eq!(found, want);
    }
}

proptest! {
    // Each case parses a Procfile of up to a thousand lines.
    #![proptest_config(proptest::test_runner::Config { cases: common::config(REGRESSIONS).cases / 16, ..common::config(REGRESSIONS) })]

    /// PROC-LIM-2: at most 1000 process lines are read (comments and blank lines do not
    /// count); the 1001st is one SM0617 error on its line, and it and the rest are ignored.
    #[test]
    fn proc_lim_2_at_most_a_thousand_process_lines(n in 995usize..1006, every in 50usize..400) {
        let mut text = String::new();
        let mut line = 0u32;
        let mut lines_of_process = Vec::new();
        for i in 0..n {
            if i % every == 0 {
                text.push_str("# comment\n\n");
                line += 2;
            }
            line += 1;
            lines_of_process.push(line);
            text.push_str(&format!("p{i}: x\n"));
        }
        let p = parse(text.as_bytes());
        prop_assert_eq!(p.procfile.entries.len(), n.min(1000));
        let found: Vec<Option<u32>> = p.diagnostics.iter().filter(|d| d.code == "SM0617").map(|d| d.line).collect();
        let want: Vec<Option<u32>> = if n > 1000 { vec![Some(lines_of_process[1000])] } else { vec![] };
        prop_assert_eq!(found, want);
    }

    /// PROC-LIM-4 (with DIAG-12): at most 1000 diagnostics, in canonical order, then one
    /// note saying how many were dropped, an error when errors were dropped.
    #[test]
    fn proc_lim_4_diag_12_at_most_a_thousand_diagnostics_then_one_note(n in prop_oneof![1 => 0usize..700, 2 => 495usize..506]) {
        // Each line ` x` is indented (SM0613) and has no colon (SM0601).
        let text = " x\n".repeat(n);
        let p = parse(text.as_bytes());
        let total = 2 * n + usize::from(n == 0);
        if total > 1000 {
            prop_assert_eq!(p.diagnostics.len(), 1001);
            let last = &p.diagnostics[1000];
            prop_assert_eq!(&last.code, "SM0619");
            prop_assert!(last.is_error(), "errors were dropped: {:?}", last);
            prop_assert!(last.message.starts_with(&format!("{} more diagnostics", total - 1000)), "{}", last.message);
        } else {
            prop_assert_eq!(p.diagnostics.len(), total);
        }
        prop_assert!(p.procfile.entries.is_empty());
    }
}

proptest! {
    // Each case builds and parses a Procfile of 1 MiB; six inputs cover the rule.
    #![proptest_config(proptest::test_runner::Config { cases: (common::config(REGRESSIONS).cases / 64).max(1), ..common::config(REGRESSIONS) })]

    /// PROC-LIM-1: more than 1 MiB is one unlocated SM0616 error and nothing is read;
    /// exactly 1 MiB is read.
    #[test]
    fn proc_lim_1_more_than_one_mebibyte_is_not_read(extra in 0usize..3, over in any::<bool>()) {
        let size = if over { 1_048_576 + 1 + extra } else { 1_048_576 - extra };
        let mut text = b"web: x\n".to_vec();
        text.resize(size, b'#');
        let p = parse(&text);
        let found: Vec<_> = p.diagnostics.iter().filter(|d| d.code == "SM0616").collect();
        if over {
            prop_assert_eq!(p.diagnostics.len(), 1);
            prop_assert_eq!(found.len(), 1);
            prop_assert!(found[0].span.is_none());
            prop_assert!(p.procfile.entries.is_empty());
        } else {
            prop_assert!(found.is_empty());
            prop_assert_eq!(p.procfile.process_types(), ["web"]);
        }
    }
}
