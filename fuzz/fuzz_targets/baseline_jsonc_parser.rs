//! A yardstick, not a check of the engine: the bytes read as text the way the engine reads
//! them (`text::shadow_text`: each invalid UTF-8 sequence as `?`), then handed to
//! `jsonc_parser::parse_to_ast` with the options and the token collection that
//! `manifest::json` uses, and nothing else. It is the floor under `parse_manifest`'s cost:
//! the spanned parse the engine's reader is built on, without the findings, the
//! validation and the target's invariants (fuzz/README.md, "Measurements").
//! `fuzz/run-ci.sh` and `.clusterfuzzlite/build.sh` skip it.
#![no_main]

use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use libfuzzer_sys::fuzz_target;
use scalingo_manifest::text::shadow_text;

fuzz_target!(|data: &[u8]| {
    // jsonc-parser recurses once per level: like the engine (LIM-2), nothing deeper than
    // 32 levels reaches it (brackets inside strings count too here, which only skips more).
    let mut depth = 0i32;
    for &b in data {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            _ => {}
        }
        if depth > 32 {
            return;
        }
    }
    let (text, _) = shadow_text(data);
    // The options of `manifest::json::parse_text`: lenient reading, strict verdict.
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: true,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::AsTokens,
        tokens: true,
    };
    let _ = jsonc_parser::parse_to_ast(&text, &collect, &options);
});
