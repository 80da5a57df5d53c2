//! Properties of `manifest::check` and `manifest::canonical` (spec `spec/manifest.md`, rules
//! `JSON-*`, `LIM-*`, `MAN-*`; positions and order of `spec/diagnostics.md`): totality on any
//! bytes, the canonical form's round trip, member order, and each documented mutation of a
//! valid document giving its documented code at its documented place.
//!
//! Valid documents are written from models (`valid_model`) by the tests' own writer
//! (`doc_of`, independent of `manifest::canonical`), in several layouts, with the byte
//! position of every value, key and comma; see `tests/common/manifest_strategies.rs`.

mod common;
use common::day;

use std::collections::BTreeSet;

use common::manifest_strategies::{
    any_manifest_bytes, content_codes, doc_of, junk, layout, mutate, mutated_manifest_bytes, place,
    unknown_key_at, unknown_keys, valid_model, wrong_type_at, Doc, Done, Layout, Member, Mutated,
    Mutation, Place,
};
use common::{in_canonical_order, model_line_col};
use proptest::prelude::*;
use proptest::sample::Index;
use scalingo_manifest::manifest::{canonical, check, Checked, Manifest, Scripts};
use scalingo_manifest::text::shadow_text;
use scalingo_manifest::{Diagnostic, Severity};

const REGRESSIONS: &str = "proptest-regressions/prop_manifest.txt";

/// The (code, pointer) pairs of a result.
fn pairs(c: &Checked) -> BTreeSet<(String, String)> {
    c.diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.pointer.clone()))
        .collect()
}

fn pair(code: &str, pointer: &str) -> (String, String) {
    (code.to_string(), pointer.to_string())
}

fn with_code<'a>(c: &'a Checked, code: &str) -> Vec<&'a Diagnostic> {
    c.diagnostics.iter().filter(|d| d.code == code).collect()
}

fn errors(c: &Checked) -> Vec<&Diagnostic> {
    c.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The model, normalised (`MAN-10`).
fn meaning(c: &Checked) -> Option<Manifest> {
    c.manifest.as_ref().map(canonical::normalise)
}

/// The model with `env` and `formation` sorted by name: what stays when the members of
/// objects are reordered (their document order is all that changes).
fn order_free(c: &Checked) -> Option<Manifest> {
    meaning(c).map(|mut m| {
        if let Some(env) = &mut m.env {
            env.sort_by(|a, b| a.name.cmp(&b.name));
        }
        if let Some(f) = &mut m.formation {
            f.sort_by(|a, b| a.process_type.cmp(&b.process_type));
        }
        m
    })
}

/// The text `check` reads positions in (rule `DIAG-5`): invalid UTF-8 bytes as `?`.
fn read_as(bytes: &[u8]) -> String {
    shadow_text(bytes).0.into_owned()
}

fn check_doc(doc: &Doc, layout: Layout) -> Checked {
    check(doc.render(layout).text.as_bytes(), day())
}

/// `m` with the part at `path` (of the document [`doc_of`] writes) left out, as rule
/// `MAN-9` says an error there leaves it; `None` when the document is no object.
fn without(m: &Manifest, path: &[String], place: Place) -> Option<Manifest> {
    let mut m = m.clone();
    let key = |i: usize| path.get(i).map(String::as_str).unwrap_or("");
    let index = |i: usize| key(i).parse::<usize>().unwrap_or(usize::MAX);
    match place {
        Place::Root => return None,
        Place::TopString => {
            let f = match key(0) {
                "name" => &mut m.name,
                "description" => &mut m.description,
                "logo" => &mut m.logo,
                "website" => &mut m.website,
                "repository" => &mut m.repository,
                "ref" => &mut m.git_ref,
                _ => &mut m.stack,
            };
            *f = None;
        }
        Place::Env => m.env = None,
        Place::Addons => m.addons = None,
        Place::Formation => m.formation = None,
        Place::Scripts => m.scripts = Scripts::default(),
        Place::CopyParent => m.copy_parent_database_urls = None,
        Place::EnvEntry | Place::EnvValueField | Place::EnvGenerator | Place::EnvTemplate => {
            if let Some(env) = &mut m.env {
                env.retain(|e| e.name != key(1));
            }
        }
        Place::EnvDescription | Place::EnvRequired => {
            for e in m.env.iter_mut().flatten().filter(|e| e.name == key(1)) {
                if place == Place::EnvDescription {
                    e.description = None;
                } else {
                    e.required = false;
                }
            }
        }
        Place::Addon | Place::AddonPlan | Place::AddonOptions | Place::AddonVersion => {
            if let Some(a) = &mut m.addons {
                if index(1) < a.len() {
                    a.remove(index(1));
                }
            }
        }
        Place::FormationEntry | Place::Amount | Place::Size => {
            for f in m
                .formation
                .iter_mut()
                .flatten()
                .filter(|f| f.process_type == key(1))
            {
                match place {
                    Place::Amount => f.amount = None,
                    Place::Size => f.size = None,
                    _ => {}
                }
            }
            if place == Place::FormationEntry {
                if let Some(f) = &mut m.formation {
                    f.retain(|f| f.process_type != key(1));
                }
            }
        }
        Place::FirewallRules => m.firewall_rules = None,
        Place::FirewallRule | Place::FirewallCidr => {
            if let Some(r) = &mut m.firewall_rules {
                if index(1) < r.len() {
                    r.remove(index(1));
                }
            }
        }
        Place::FirewallLabel => {
            if let Some(r) = m.firewall_rules.iter_mut().flatten().nth(index(1)) {
                r.label = None;
            }
        }
        Place::Script => {
            if key(1) == "first-deploy" {
                m.scripts.first_deploy = None;
            } else {
                m.scripts.postdeploy = None;
            }
        }
    }
    Some(canonical::normalise(&m))
}

/// The wrong-type property for the places of one section: exactly one error, the type
/// rule's code at the value's pointer and span; the part is left out of the model
/// (`MAN-9`); the other findings are among the document's own.
fn wrong_type_case(
    m: &Manifest,
    layout: Layout,
    which: Index,
    value: Index,
    places: &[Place],
) -> Result<(), TestCaseError> {
    let doc = doc_of(m);
    let r = doc.render(layout);
    let candidates: Vec<usize> = r
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| place(&n.path).is_some_and(|p| places.contains(&p)))
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let chosen = &r.nodes[*which.get(&candidates)];
    let Some(chosen_place) = place(&chosen.path) else {
        return Ok(());
    };
    let base = check(r.text.as_bytes(), day());
    let mu = wrong_type_at(&doc, layout, chosen, chosen_place, &value);
    let Done::WrongType {
        pointer,
        code,
        span,
        place: p,
    } = &mu.done
    else {
        return Err(TestCaseError::fail(format!("not applied: {:?}", mu.done)));
    };
    let c = check(&mu.bytes, day());
    let errs = errors(&c);
    prop_assert_eq!(
        errs.len(),
        1,
        "{:?}\n{}",
        c.diagnostics,
        String::from_utf8_lossy(&mu.bytes)
    );
    prop_assert_eq!(&errs[0].code, code);
    prop_assert_eq!(&errs[0].pointer, pointer);
    prop_assert_eq!(errs[0].span.map(|s| (s.start, s.end)), Some(*span));
    let others: BTreeSet<_> = pairs(&c).into_iter().filter(|(k, _)| k != code).collect();
    prop_assert!(
        others.is_subset(&pairs(&base)),
        "{:?} not in {:?}",
        others,
        pairs(&base)
    );
    prop_assert_eq!(meaning(&c), without(m, &chosen.path, *p));
    Ok(())
}

/// The unknown-key property for one mutated document (`top_level`: only the root's
/// unknown keys count, else only those of the sections).
fn check_unknown_key(
    doc: &Doc,
    layout: Layout,
    mu: &Mutated,
    top_level: bool,
) -> Result<(), TestCaseError> {
    let base = check_doc(doc, layout);
    let Done::UnknownKey {
        pointer,
        code,
        key,
        suggestion,
        place: p,
        object,
    } = &mu.done
    else {
        return Ok(());
    };
    if (*p == Place::Root) != top_level {
        return Ok(());
    }
    let c = check(&mu.bytes, day());
    let found = with_code(&c, code);
    let at: Vec<_> = found.iter().filter(|d| &d.pointer == pointer).collect();
    prop_assert_eq!(at.len(), 1, "{:?}", c.diagnostics);
    let d = at[0];
    prop_assert_eq!(d.span.map(|s| (s.start, s.end)), Some(*key));
    let hint = d.hint.clone().unwrap_or_default();
    match suggestion {
        Some(s) => prop_assert!(hint.contains(&format!("did you mean `{s}`?")), "{}", hint),
        None => prop_assert!(!hint.contains("did you mean"), "{}", hint),
    }
    prop_assert_eq!(meaning(&c), meaning(&base));
    let mut want = pairs(&base);
    if *p == Place::EnvEntry {
        want.remove(&pair("SM0223", object));
    }
    want.insert(pair(code, pointer));
    prop_assert_eq!(pairs(&c), want);
    Ok(())
}

/// The shared corpus of real manifests, read in place (`SCALINGO_MANIFEST_CORPUS`, else
/// `../shared/corpus`); `None` when it is not there.
fn corpus_manifests() -> Option<Vec<(String, Vec<u8>)>> {
    let root = std::env::var_os("SCALINGO_MANIFEST_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"))
        });
    let mut out = Vec::new();
    for folder in ["scalingo", "appjson"] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(folder))
            .ok()?
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with("Procfile") || !path.is_file() {
                continue;
            }
            out.push((format!("{folder}/{name}"), std::fs::read(&path).ok()?));
        }
    }
    Some(out)
}

/// MAN-10 on the real manifests of the shared corpus: the manifest `check` returns for each
/// (valid or not) prints to a text that checks with no error and only content findings,
/// means the same, and is a fixed point.
#[test]
fn man_10_every_corpus_manifest_prints_back_the_same() {
    let Some(files) = corpus_manifests() else {
        assert!(std::env::var_os("CI").is_none(), "corpus not found");
        eprintln!("skipped: corpus not found");
        return;
    };
    assert!(files.len() > 100, "{} corpus manifests", files.len());
    for (name, bytes) in files {
        let Some(m) = check(&bytes, day()).manifest else {
            continue;
        };
        let text = canonical::to_json(&m);
        let c = check(text.as_bytes(), day());
        assert!(errors(&c).is_empty(), "{name}: {:?}\n{text}", c.diagnostics);
        assert!(
            c.diagnostics
                .iter()
                .all(|d| canonical::CONTENT_CODES.contains(&d.code)),
            "{name}: {:?}",
            c.diagnostics
        );
        let back = c.manifest.expect("an object");
        assert!(canonical::same_meaning(&m, &back), "{name}");
        assert_eq!(canonical::to_json(&back), text, "{name}");
    }
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// DIAG-1, DIAG-5 (and the totality of `check`, `JSON-*`, `LIM-1`, `LIM-2`): `check`
    /// never panics on any bytes; a diagnostic has a line, a column and a span, or none of
    /// them (DIAG-1); its span
    /// lies in the input, on character boundaries of the text it was read as (each invalid
    /// UTF-8 byte a `?`), and its line and column are those of the span's start
    /// (line <= number of lines, column <= that line's length + 1).
    #[test]
    fn diag_1_5_check_is_total_and_positions_lie_in_the_input(bytes in any_manifest_bytes()) {
        let c = check(&bytes, day());
        let text = read_as(&bytes);
        let lines: Vec<&str> = text.split('\n').collect();
        for d in &c.diagnostics {
            let located = (d.line.is_some(), d.column.is_some(), d.span.is_some());
            prop_assert!(located == (true, true, true) || located == (false, false, false), "{:?}", d);
            let (Some(span), Some(line), Some(column)) = (d.span, d.line, d.column) else { continue };
            let inside = span.start <= span.end
                && span.end <= bytes.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end);
            prop_assert!(inside, "{:?} in {:?}", d, text);
            prop_assert_eq!((line, column), model_line_col(&text, span.start), "{:?} in {:?}", d, text);
            let l = usize::try_from(line).unwrap_or(usize::MAX);
            prop_assert!(l >= 1 && l <= lines.len(), "{:?}", d);
            let len = lines[l - 1].strip_suffix('\r').unwrap_or(lines[l - 1]).chars().count();
            prop_assert!(column >= 1 && usize::try_from(column).unwrap_or(usize::MAX) <= len + 1, "{:?}", d);
        }
    }

    /// DIAG-4: checking the same bytes twice gives the same result, field for field; the
    /// diagnostics are in the canonical order; the counts are those of the findings (LIM-7:
    /// below the cap nothing is dropped).
    #[test]
    fn diag_4_check_is_deterministic_and_in_canonical_order(bytes in any_manifest_bytes()) {
        let a = check(&bytes, day());
        let b = check(&bytes, day());
        prop_assert_eq!(&a.diagnostics, &b.diagnostics);
        prop_assert_eq!(&a.manifest, &b.manifest);
        prop_assert_eq!((a.errors, a.warnings, a.notes, a.dropped), (b.errors, b.warnings, b.notes, b.dropped));
        prop_assert!(in_canonical_order(&a.diagnostics), "{:?}", a.diagnostics);
        if a.dropped == 0 {
            let n = |s: Severity| a.diagnostics.iter().filter(|d| d.severity == s).count();
            prop_assert_eq!((a.errors, a.warnings, a.notes), (n(Severity::Error), n(Severity::Warning), n(Severity::Note)));
        }
    }

    /// DIAG-2, DIAG-3: every diagnostic's code is `SM` and four digits in the manifest's
    /// ranges (SM0001-SM0599, and SM1400-SM1499 for `firewall_rules`), is declared in
    /// owned by `manifest` or `firewall` (`Code::owner`) with the rule the diagnostic names, in that code's range of rules, and carries the code's default severity (only
    /// the LIM-7 note may be an error, DIAG-12); the verdict is "valid" exactly when no
    /// finding is an error.
    #[test]
    fn diag_2_3_codes_rules_and_severities_are_the_declared_ones(bytes in any_manifest_bytes()) {
        let c = check(&bytes, day());
        for d in &c.diagnostics {
            let number: Option<u32> = d.code.as_str().strip_prefix("SM").filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit())).and_then(|n| n.parse().ok());
            let Some(number) = number else { return Err(TestCaseError::fail(format!("bad code {d:?}"))) };
            let family = match number {
                1..=99 => ["JSON-", "LIM-"].iter().any(|p| d.rule().starts_with(p)),
                100..=199 => d.rule().starts_with("MAN-") && d.rule()[4..].bytes().all(|b| b.is_ascii_digit()),
                200..=299 => d.rule().starts_with("MAN-ENV-"),
                300..=399 => d.rule().starts_with("MAN-ADD-"),
                400..=499 => d.rule().starts_with("MAN-FRM-"),
                500..=599 => d.rule().starts_with("MAN-SCR-"),
                1400..=1499 => d.rule().starts_with("FW-"),
                _ => false,
            };
            prop_assert!(family, "{:?}", d);
            prop_assert!(["manifest", "firewall"].contains(&d.code.owner()), "not the manifest's: {:?}", d);
            let severity_ok = d.severity == d.code.severity() || (d.code == "SM0022" && d.severity == Severity::Error);
            prop_assert!(severity_ok, "{:?}", d);
        }
        prop_assert_eq!(c.is_valid(), c.errors == 0);
        prop_assert_eq!(c.errors == 0, !c.diagnostics.iter().any(Diagnostic::is_error));
    }

    /// MAN-9: a document written from a valid model (by the tests' own writer, in any
    /// layout) checks without error to a manifest that means the same, with exactly the
    /// findings its contents imply.
    #[test]
    fn man_9_a_document_written_from_a_model_checks_back_to_it(m in valid_model(), layout in layout()) {
        let c = check_doc(&doc_of(&m), layout);
        prop_assert!(errors(&c).is_empty(), "{:?}", c.diagnostics);
        let codes: BTreeSet<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
        prop_assert_eq!(codes, content_codes(&m));
        prop_assert_eq!(meaning(&c), Some(canonical::normalise(&m)));
    }

    /// MAN-10: the canonical text of a valid model checks without error, its only findings
    /// are those its contents imply (none for most models), and it means the same.
    #[test]
    fn man_10_canonical_text_checks_clean_and_means_the_same(m in valid_model()) {
        let text = canonical::to_json(&m);
        let c = check(text.as_bytes(), day());
        prop_assert!(errors(&c).is_empty(), "{:?}\n{}", c.diagnostics, text);
        let codes: BTreeSet<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
        prop_assert_eq!(&codes, &content_codes(&m), "{}", text);
        prop_assert!(codes.iter().all(|k| canonical::CONTENT_CODES.iter().any(|c| c == k)));
        let back = c.manifest.as_ref().ok_or_else(|| TestCaseError::fail("no manifest"))?;
        prop_assert!(canonical::same_meaning(&m, back), "{:?}\n{:?}", m, back);
    }

    /// MAN-10: `to_json` is a fixed point, `to_json(check(to_json(m)).manifest) ==
    /// to_json(m)`, and it is the documented layout (the tests' own writer, two-space
    /// indentation, a final newline).
    #[test]
    fn man_10_to_json_is_a_fixed_point_in_the_documented_layout(m in valid_model()) {
        let text = canonical::to_json(&m);
        prop_assert_eq!(&text, &format!("{}\n", doc_of(&m).render(Layout::Pretty(2)).text));
        let back = check(text.as_bytes(), day()).manifest.ok_or_else(|| TestCaseError::fail("no manifest"))?;
        prop_assert_eq!(canonical::to_json(&back), text);
    }

    /// MAN-10 (with MAN-9): whatever the document, even a broken one, the manifest `check`
    /// returns holds only valid parts: its canonical text checks without error, with only
    /// content findings, means the same, and is a fixed point.
    #[test]
    fn man_10_every_manifest_check_returns_prints_back_the_same(bytes in mutated_manifest_bytes()) {
        let Some(m) = check(&bytes, day()).manifest else { return Ok(()) };
        let text = canonical::to_json(&m);
        let c = check(text.as_bytes(), day());
        prop_assert!(errors(&c).is_empty(), "{:?}\n{}\nfrom {:?}", c.diagnostics, text, String::from_utf8_lossy(&bytes));
        prop_assert!(c.diagnostics.iter().all(|d| canonical::CONTENT_CODES.contains(&d.code)), "{:?}", c.diagnostics);
        let back = c.manifest.ok_or_else(|| TestCaseError::fail("no manifest"))?;
        prop_assert!(canonical::same_meaning(&m, &back));
        prop_assert_eq!(canonical::to_json(&back), text);
    }

    /// MAN-9: the order of the members of objects is not part of the meaning: reordering
    /// every object of a document (valid or not, without duplicate keys) changes the
    /// manifest only in the document order of `env` and `formation`, and changes no
    /// finding's code or pointer.
    #[test]
    fn man_9_member_order_changes_only_the_document_order(
        m in valid_model(),
        layout in layout(),
        edits in proptest::collection::vec((any::<Index>(), junk()), 0..3),
        keys in proptest::collection::vec((any::<Index>(), any::<Index>()), 0..3),
        seed in any::<u64>(),
    ) {
        let mut doc = doc_of(&m);
        for (at, value) in &edits {
            let r = doc.render(Layout::Compact);
            let node = at.get(&r.nodes).ipath.clone();
            if let Some(v) = doc.at_mut(&node) {
                *v = value.clone();
            }
        }
        for (at, which) in &keys {
            let r = doc.render(Layout::Compact);
            let objects: Vec<_> = r.nodes.iter().filter_map(|n| {
                let p = place(&n.path)?;
                (n.is_object == Some(true)).then_some((n.ipath.clone(), unknown_keys(p)?))
            }).collect();
            if objects.is_empty() { continue; }
            let (ipath, (_, pool)) = at.get(&objects).clone();
            let key = which.get(&pool).0;
            if let Some(Doc::Obj(ms)) = doc.at_mut(&ipath) {
                if !ms.iter().any(|x| x.key == key) {
                    ms.push(Member::new(key, Doc::Null));
                }
            }
        }
        let a = check_doc(&doc, layout);
        let mut permuted = doc.clone();
        permuted.permute_objects(seed);
        let b = check_doc(&permuted, layout);
        prop_assert_eq!(order_free(&a), order_free(&b));
        prop_assert_eq!(pairs(&a), pairs(&b));
    }

    /// JSON-8 (with DIAG-6): an earlier member with the same key (written plainly or with a `\uXXXX`
    /// escape) and any value leaves no trace but one SM0010 warning, at the later key,
    /// pointing at the member kept: the last one wins, at its own position.
    #[test]
    fn json_8_diag_6_an_earlier_duplicate_key_is_dropped_with_one_warning(
        m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>(),
        value in junk(), escape in any::<bool>(),
    ) {
        let doc = doc_of(&m);
        let base = check_doc(&doc, layout);
        let mu = mutate(&doc, layout, &Mutation::DuplicateKey(i, j, value, escape));
        let Done::DuplicateKey { pointer, kept_key } = &mu.done else { return Ok(()) };
        let c = check(&mu.bytes, day());
        let dups = with_code(&c, "SM0010");
        prop_assert_eq!(dups.len(), 1, "{:?}", c.diagnostics);
        prop_assert_eq!(&dups[0].pointer, pointer);
        prop_assert_eq!(dups[0].span.map(|s| (s.start, s.end)), Some(*kept_key));
        prop_assert_eq!(dups[0].severity, Severity::Warning);
        prop_assert_eq!(meaning(&c), meaning(&base));
        let mut want = pairs(&base);
        want.insert(pair("SM0010", pointer));
        prop_assert_eq!(pairs(&c), want);
    }

    /// JSON-7: a missing comma between two members or elements is one SM0009 error at the
    /// start of the second; the document is read as if the comma were there.
    #[test]
    fn json_7_a_missing_comma_is_reported_at_the_next_member(m in valid_model(), layout in layout(), i in any::<Index>()) {
        let doc = doc_of(&m);
        let base = check_doc(&doc, layout);
        let mu = mutate(&doc, layout, &Mutation::RemoveComma(i));
        let Done::RemovedComma { next } = mu.done else { return Ok(()) };
        let c = check(&mu.bytes, day());
        let found = with_code(&c, "SM0009");
        prop_assert_eq!(found.len(), 1, "{:?}", c.diagnostics);
        prop_assert_eq!(found[0].span.map(|s| s.start), Some(next));
        let text = read_as(&mu.bytes);
        prop_assert_eq!((found[0].line, found[0].column), {
            let (l, col) = model_line_col(&text, next);
            (Some(l), Some(col))
        });
        prop_assert_eq!(errors(&c).len(), 1);
        prop_assert_eq!(meaning(&c), meaning(&base));
        let mut want = pairs(&base);
        want.insert(pair("SM0009", ""));
        prop_assert_eq!(pairs(&c), want);
    }

    /// JSON-6: a comma after the last member or element is one SM0008 error at the comma,
    /// and changes nothing else.
    #[test]
    fn json_6_a_trailing_comma_is_reported_at_the_comma(m in valid_model(), layout in layout(), i in any::<Index>()) {
        let doc = doc_of(&m);
        let base = check_doc(&doc, layout);
        let mu = mutate(&doc, layout, &Mutation::TrailingComma(i));
        let Done::TrailingComma { at } = mu.done else { return Ok(()) };
        let c = check(&mu.bytes, day());
        let found = with_code(&c, "SM0008");
        prop_assert_eq!(found.len(), 1, "{:?}", c.diagnostics);
        prop_assert_eq!(found[0].span.map(|s| (s.start, s.end)), Some((at, at + 1)));
        prop_assert_eq!(errors(&c).len(), 1);
        prop_assert_eq!(meaning(&c), meaning(&base));
        let mut want = pairs(&base);
        want.insert(pair("SM0008", ""));
        prop_assert_eq!(pairs(&c), want);
    }

    /// JSON-5: a comment where white space may go is one SM0007 error spanning the comment,
    /// and changes nothing else.
    #[test]
    fn json_5_a_comment_is_reported_and_read_past(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        let doc = doc_of(&m);
        let base = check_doc(&doc, layout);
        let mu = mutate(&doc, layout, &Mutation::Comment(i, j));
        let Done::Comment { at, text } = mu.done else { return Ok(()) };
        let c = check(&mu.bytes, day());
        let found = with_code(&c, "SM0007");
        prop_assert_eq!(found.len(), 1, "{:?}", c.diagnostics);
        let span = found[0].span.ok_or_else(|| TestCaseError::fail("unlocated"))?;
        prop_assert_eq!(span.start, at);
        prop_assert!(span.end > at && span.end <= at + text.len(), "{:?} for {:?}", span, text);
        prop_assert_eq!(errors(&c).len(), 1);
        prop_assert_eq!(meaning(&c), meaning(&base));
        let mut want = pairs(&base);
        want.insert(pair("SM0007", ""));
        prop_assert_eq!(pairs(&c), want);
    }

    /// JSON-2 (with DIAG-5): a byte order mark is one SM0003 error on bytes 0..3, line 1
    /// column 1; the document is read as before, every other finding's span moves by the
    /// three bytes, and its column by the one character on line 1.
    #[test]
    fn json_2_a_byte_order_mark_is_an_error_and_read_past(m in valid_model(), layout in layout(), extra in any::<Index>(), value in junk()) {
        // An unknown key gives a finding to move (on line 1 in one-line layouts).
        let mut doc = doc_of(&m);
        if let Doc::Obj(ms) = &mut doc {
            let at = extra.index(ms.len() + 1);
            ms.insert(at, Member::new("zzqx", value));
        }
        let base = check_doc(&doc, layout);
        let mu = mutate(&doc, layout, &Mutation::Bom);
        let c = check(&mu.bytes, day());
        let boms = with_code(&c, "SM0003");
        prop_assert_eq!(boms.len(), 1);
        prop_assert_eq!((boms[0].span.map(|s| (s.start, s.end)), boms[0].line, boms[0].column), (Some((0, 3)), Some(1), Some(1)));
        prop_assert_eq!(meaning(&c), meaning(&base));
        let rest: Vec<_> = c.diagnostics.iter().filter(|d| d.code != "SM0003").collect();
        prop_assert_eq!(rest.len(), base.diagnostics.len());
        for (d, b) in rest.iter().zip(&base.diagnostics) {
            prop_assert_eq!((&d.code, &d.pointer), (&b.code, &b.pointer));
            prop_assert_eq!(d.span.map(|s| (s.start, s.end)), b.span.map(|s| (s.start + 3, s.end + 3)));
            let column = b.column.map(|col| if b.line == Some(1) { col + 1 } else { col });
            prop_assert_eq!((d.line, d.column), (b.line, column), "{:?} vs {:?}", d, b);
        }
    }

    /// JSON-9 (with DIAG-5): CRLF line endings give one SM0011 note at the first `\r\n`,
    /// and every other finding has the code, pointer, line and column it has with LF
    /// endings; the manifest means the same.
    #[test]
    fn json_9_crlf_gives_a_note_and_the_lf_lines_and_columns(m in valid_model(), n in 1usize..4, pre in common::manifest_strategies::mutation()) {
        if matches!(pre, Mutation::Crlf) { return Ok(()) }
        let lf = mutate(&doc_of(&m), Layout::Pretty(n * 2), &pre).bytes;
        let mut crlf = Vec::with_capacity(lf.len() * 2);
        for &b in &lf {
            if b == b'\n' { crlf.push(b'\r'); }
            crlf.push(b);
        }
        let a = check(&lf, day());
        let b = check(&crlf, day());
        let notes = with_code(&b, "SM0011");
        let first = crlf.windows(2).position(|w| w == b"\r\n");
        prop_assert_eq!(notes.iter().map(|d| d.span.map(|s| s.start)).collect::<Vec<_>>(), first.map(Some).into_iter().collect::<Vec<_>>());
        let key = |d: &Diagnostic| (d.code, d.pointer.clone(), d.line, d.column);
        let got: Vec<_> = b.diagnostics.iter().filter(|d| d.code != "SM0011").map(key).collect();
        let want: Vec<_> = a.diagnostics.iter().map(key).collect();
        prop_assert_eq!(got, want);
        prop_assert_eq!(meaning(&a), meaning(&b));
    }

    /// JSON-1: an invalid UTF-8 sequence is one SM0002 error at its first byte, and the
    /// bytes are read as if each byte of the sequence were `?`: the same manifest and the
    /// same other findings.
    #[test]
    fn json_1_invalid_utf8_is_read_as_question_marks(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        let mu = mutate(&doc_of(&m), layout, &Mutation::InvalidUtf8(i, j));
        let Done::InvalidUtf8 { at, reference } = &mu.done else { return Ok(()) };
        let c = check(&mu.bytes, day());
        let r = check(reference, day());
        let bad = with_code(&c, "SM0002");
        prop_assert_eq!(bad.len(), 1);
        prop_assert_eq!(bad[0].span.map(|s| (s.start, s.end)), Some((*at, at + 1)));
        let rest: Vec<_> = c.diagnostics.iter().filter(|d| d.code != "SM0002").cloned().collect();
        prop_assert_eq!(rest, r.diagnostics);
        prop_assert_eq!(c.manifest, r.manifest);
    }

    /// LIM-2: nesting deeper than 32 levels is exactly one SM0005 error, at the first bracket
    /// beyond level 32, and no manifest; 32 levels or fewer never give SM0005.
    #[test]
    fn lim_2_nesting_beyond_32_levels_is_one_error(m in valid_model(), layout in layout(), i in any::<Index>(), delta in -3i8..=3) {
        let mu = mutate(&doc_of(&m), layout, &Mutation::DeepNesting(i, delta));
        let Done::DeepNesting { depth, levels, at } = mu.done else { return Ok(()) };
        let c = check(&mu.bytes, day());
        if depth + levels > 32 {
            let nth = 33 - depth;
            let bracket = mu.bytes[at..].iter().enumerate().filter(|(_, &b)| b == b'[').nth(nth - 1).map(|(k, _)| at + k);
            prop_assert_eq!(c.diagnostics.len(), 1, "{:?}", c.diagnostics);
            prop_assert_eq!(&c.diagnostics[0].code, "SM0005");
            prop_assert_eq!(c.diagnostics[0].span.map(|s| s.start), bracket);
            prop_assert!(c.manifest.is_none());
        } else {
            prop_assert!(with_code(&c, "SM0005").is_empty(), "{:?}", c.diagnostics);
        }
    }

    /// MAN-1, MAN-2, MAN-6 (and MAN-9): the document, a top-level string field or
    /// `copy_parent_database_urls` of the wrong type is one error, with the rule's code at
    /// the value, and the value is left out of the manifest.
    #[test]
    fn man_1_man_2_man_6_top_level_values_of_the_wrong_type(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        wrong_type_case(&m, layout, i, j, &[Place::Root, Place::TopString, Place::CopyParent])?;
    }

    /// MAN-ENV-1, MAN-ENV-3, MAN-ENV-4, MAN-ENV-6, MAN-ENV-7, MAN-ENV-9, MAN-ENV-10 (and
    /// MAN-9): `env`, an entry, `value`, `generator`, `template`, `required` or
    /// `description` of the wrong type is one error at the value; the entry (or `env`) is
    /// left out, except that a bad `required` or `description` only loses that field.
    #[test]
    fn man_env_1_3_4_6_7_9_10_env_values_of_the_wrong_type(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        wrong_type_case(&m, layout, i, j, &[
            Place::Env, Place::EnvEntry, Place::EnvValueField, Place::EnvGenerator,
            Place::EnvTemplate, Place::EnvRequired, Place::EnvDescription,
        ])?;
    }

    /// MAN-ADD-1, MAN-ADD-4, MAN-ADD-5, MAN-ADD-8 (and MAN-9): `addons`, an element, its
    /// `plan`, `options` or `version` of the wrong type is one error at the value, and the
    /// element (or `addons`) is left out.
    #[test]
    fn man_add_1_4_5_8_addon_values_of_the_wrong_type(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        wrong_type_case(&m, layout, i, j, &[Place::Addons, Place::Addon, Place::AddonPlan, Place::AddonOptions, Place::AddonVersion])?;
    }

    /// MAN-FRM-1, MAN-FRM-3, MAN-FRM-4 (and MAN-9): `formation`, an entry, `size` or
    /// `amount` of the wrong type is one error at the value; the entry (or `formation`) is
    /// left out, or only that field.
    #[test]
    fn man_frm_1_3_4_formation_values_of_the_wrong_type(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        wrong_type_case(&m, layout, i, j, &[Place::Formation, Place::FormationEntry, Place::Size, Place::Amount])?;
    }

    /// MAN-SCR-1, MAN-SCR-2 (and MAN-9): `scripts` or a script of the wrong type is one
    /// error at the value, and it is left out.
    #[test]
    fn man_scr_1_2_script_values_of_the_wrong_type(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        wrong_type_case(&m, layout, i, j, &[Place::Scripts, Place::Script])?;
    }

    /// FW-1, FW-2 (and MAN-9): `firewall_rules`, a rule, its `cidr` or its `label` of the
    /// wrong type is one error at the value; the rule (or the key) is left out, except that
    /// a bad `label` only loses the label.
    #[test]
    fn fw_1_2_firewall_values_of_the_wrong_type(m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>()) {
        wrong_type_case(&m, layout, i, j, &[Place::FirewallRules, Place::FirewallRule, Place::FirewallCidr, Place::FirewallLabel])?;
    }

    /// MAN-7 (with DIAG-6, DIAG-8): an unknown top-level key is one SM0108 warning naming
    /// the member, spanning the key, with a "did you mean" exactly when the key is close to
    /// one of Scalingo's; nothing else changes.
    #[test]
    fn man_7_diag_6_8_an_unknown_top_level_key_is_a_warning_at_its_key(
        m in valid_model(), layout in layout(), j in any::<Index>(), k in any::<Index>(), value in junk(),
    ) {
        let doc = doc_of(&m);
        let root = doc.render(layout).nodes[0].clone();
        let mu = unknown_key_at(&doc, layout, &root, Place::Root, &j, &k, &value);
        check_unknown_key(&doc, layout, &mu, true)?;
    }

    /// MAN-ENV-11, MAN-ADD-5, MAN-ADD-7, MAN-FRM-6, MAN-SCR-6, FW-2 (with DIAG-6, DIAG-8):
    /// an unknown key in an env entry, an addon, its options, a formation entry, `scripts`
    /// or a firewall rule is one warning of that rule naming the member, spanning the key, with a "did you
    /// mean" exactly when close; nothing else changes (an entry `{}` loses its SM0223).
    #[test]
    fn man_env_11_man_add_5_7_man_frm_6_man_scr_6_fw_2_diag_6_8_unknown_keys_in_sections(
        m in valid_model(), layout in layout(), i in any::<Index>(), j in any::<Index>(), k in any::<Index>(), value in junk(),
    ) {
        let doc = doc_of(&m);
        let mu = mutate(&doc, layout, &Mutation::UnknownKey(i, j, k, value));
        check_unknown_key(&doc, layout, &mu, false)?;
    }
}

proptest! {
    // Each case checks a document of about a thousand members.
    #![proptest_config(proptest::test_runner::Config { cases: common::config(REGRESSIONS).cases / 16, ..common::config(REGRESSIONS) })]

    /// LIM-7 (with DIAG-12): at most 1000 diagnostics are reported, in canonical order,
    /// then one note saying how many were dropped, which is an error when errors were
    /// dropped; the counts cover every finding.
    #[test]
    fn lim_7_diag_12_at_most_a_thousand_diagnostics_then_one_note(
        n in prop_oneof![1 => 0usize..1200, 2 => 995usize..1006],
        errors_first in any::<bool>(),
        e in 0usize..3,
    ) {
        let mut members: Vec<Member> = (0..n).map(|i| Member::new(&format!("k{i}"), Doc::Null)).collect();
        let bad = [("name", Doc::Num("5".into())), ("env", Doc::Num("1".into())), ("addons", Doc::Null)];
        for (k, v) in bad.iter().take(e) {
            let member = Member::new(k, v.clone());
            if errors_first { members.insert(0, member) } else { members.push(member) }
        }
        let c = check_doc(&Doc::Obj(members), Layout::Compact);
        let total = n + e;
        prop_assert_eq!((c.errors, c.warnings, c.notes), (e, n, 0));
        prop_assert_eq!(c.dropped, total.saturating_sub(1000));
        prop_assert!(c.diagnostics.len() <= 1001);
        if total > 1000 {
            prop_assert_eq!(c.diagnostics.len(), 1001);
            let last = &c.diagnostics[1000];
            prop_assert_eq!(&last.code, "SM0022");
            prop_assert!(last.span.is_none());
            let dropped_errors = if errors_first { 0 } else { e.min(total - 1000) };
            prop_assert_eq!(last.is_error(), dropped_errors > 0);
            prop_assert!(in_canonical_order(&c.diagnostics[..1000]));
        } else {
            prop_assert_eq!(c.diagnostics.len(), total);
        }
    }
}
