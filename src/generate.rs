//! `generate`: value generators for env variables (rules `GEN-*`, `spec/generate.md`).
//!
//! * `secret` (rules `GEN-1`..`GEN-3`): 32 lowercase hexadecimal characters. With a seed the
//!   value is a pure function of `(seed, variable name)` ([`secret`], decision D-11), so
//!   adding or removing another variable never changes a secret; without a seed it comes
//!   from the operating system's entropy ([`os_secret`]).
//! * `url` (rule `GEN-7`): the app URL `https://<app>.<region's app domain>` ([`app_url`]), or
//!   its `template` expanded.
//! * `template` (rule `GEN-8`): the template expanded.
//!
//! Templates (rules `GEN-4`..`GEN-6`, `GEN-9`) know four tokens, `%URL%`, `%APP%`,
//! `%PARENT_APP%` and `%PR_NUMBER%`, expanded in a single left-to-right pass by [`expand`].
//!
//! Everything here is a pure function except [`os_secret`] (and [`generate`] when it is
//! given no seed for a `secret`).

use std::collections::BTreeSet;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{pointer_push, Code, Diagnostic};
use crate::manifest::template::{scan_tokens, KNOWN_TOKENS};
use crate::manifest::validate::MAX_ENV_VALUE_CHARS;
use crate::manifest::Generator;

/// The domain-separation prefix of the secret derivation (rule `GEN-2`).
pub(crate) const SECRET_DOMAIN: &[u8] = b"scalingo-manifest/secret/v1";

/// The number of random bytes in a secret (rule `GEN-1`); the secret is their lowercase
/// hexadecimal form, twice as many characters.
pub(crate) const SECRET_BYTES: usize = 16;

/// The region used when none is given (rules `GEN-7`, `PLAT-5`: the platform catalogue's default region).
pub const DEFAULT_REGION: &str = crate::platform::DEFAULT_REGION_NAME;

/// Lowercase hexadecimal form of `bytes`, two characters per byte.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// The seeded secret of variable `name` (rules `GEN-1`, `GEN-2`; decision D-11).
///
/// `key = SHA-256("scalingo-manifest/secret/v1" || 0x00 || seed as 8 bytes little-endian ||
/// name as UTF-8 bytes)`; the first 16 bytes of `ChaCha20Rng::from_seed(key)` (rand_chacha
/// 0.10, which is the ChaCha20 keystream with an all-zero nonce from block counter 0); the
/// result is those 16 bytes in lowercase hexadecimal: always 32 characters `[0-9a-f]`.
/// Pure: the same `(seed, name)` gives the same secret on every machine, whatever other
/// variables exist.
pub fn secret(seed: u64, name: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(SECRET_DOMAIN);
    hasher.update([0u8]);
    hasher.update(seed.to_le_bytes());
    hasher.update(name.as_bytes());
    let key: [u8; 32] = hasher.finalize().into();
    let mut rng = ChaCha20Rng::from_seed(key);
    let mut buf = [0u8; SECRET_BYTES];
    rng.fill_bytes(&mut buf);
    hex(&buf)
}

/// An unseeded secret (rule `GEN-3`): 16 bytes of operating-system entropy in lowercase
/// hexadecimal (32 characters `[0-9a-f]`).
///
/// Errors: `SM0903` (rule `GEN-3`) when the operating system cannot provide entropy; the
/// diagnostic's pointer is `""` (callers set it).
#[allow(
    clippy::result_large_err,
    reason = "the team API returns a plain Diagnostic; the error path is cold"
)]
pub fn os_secret() -> Result<String, Diagnostic> {
    let mut buf = [0u8; SECRET_BYTES];
    match getrandom::fill(&mut buf) {
        Ok(()) => Ok(hex(&buf)),
        Err(e) => Err(Diagnostic::new(
            Code::NoEntropy,
            format!("the operating system could not provide entropy for a secret: {e}"),
        )
        .with_hint("give a seed to derive secrets deterministically")),
    }
}

/// The default URL of an app (rules `GEN-7`, `SCN-2`, `PLAT-5`):
/// `https://<app>.<app domain of the region>`, no trailing slash; `None` when `app` is not
/// a valid app name (rule `SCN-2`: 1 to 64 lowercase letters, digits and hyphens, neither
/// first nor last a hyphen) or `region` is not a region of the platform catalogue. The URL
/// is built from those checked parts, never from the text as given: nothing in `app` or
/// `region` can change its host, path or query.
///
/// `app_url("my-app-pr10", "osc-fr1")` is `Some("https://my-app-pr10.osc-fr1.scalingo.io")`;
/// `app_url("shop-pr7", "evil.com/x?")` is `None`.
pub fn app_url(app: &str, region: &str) -> Option<String> {
    if app_name_problem(app).is_some() {
        return None;
    }
    let region = crate::platform::regions()
        .iter()
        .find(|r| r.name == region)?;
    let host = format!("{app}.{}", region.app_domain);
    // The checked parts form a domain; the `url` crate confirms it reads back unchanged.
    match url::Host::parse(&host) {
        Ok(url::Host::Domain(d)) if d == host => Some(format!("https://{d}")),
        _ => None,
    }
}

/// Why `name` is not a valid app name (rule `SCN-2`), or `None` when it is: 1 to 64
/// lowercase ASCII letters, digits and hyphens, neither first nor last a hyphen.
pub(crate) fn app_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 64 {
        return Some("an app name has 1 to 64 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("an app name uses lowercase letters, digits and hyphens only");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("an app name neither starts nor ends with a hyphen");
    }
    None
}

/// What template tokens expand to for one app (rule `GEN-5`).
///
/// JSON shape: `{"app": "my-app-pr10", "url": "https://my-app-pr10.osc-fr1.scalingo.io",
/// "parent_app": "my-app", "pr_number": 10}`; `parent_app` and `pr_number` are `null` (or
/// absent) for a one-click deploy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateContext {
    /// Name of the app being created: `%APP%`.
    pub app: String,
    /// URL of the app being created (normally [`app_url`]): `%URL%` and the `url` generator.
    pub url: String,
    /// Name of the parent app (review apps): `%PARENT_APP%`.
    #[serde(default)]
    pub parent_app: Option<String>,
    /// Number of the pull request (review apps): `%PR_NUMBER%`. Given by the caller, never
    /// parsed from the app name (the convention `<parent>-pr<N>` is documented in `GEN-5`).
    #[serde(default)]
    pub pr_number: Option<u64>,
}

/// The result of expanding a template (rules `GEN-4`..`GEN-6`, `GEN-9`).
///
/// JSON shape: `{"value": "...", "diagnostics": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expanded {
    /// The expanded text; `""` when the expansion failed with `SM0902`.
    pub value: String,
    /// Warnings `SM0900` / `SM0901` (one per distinct token name, in order of first
    /// occurrence) and, when the result would be too long, the error `SM0902`.
    pub diagnostics: Vec<Diagnostic>,
}

/// A generated value (rules `GEN-1`..`GEN-9`).
///
/// JSON shape: `{"value": "...", "diagnostics": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// The value.
    pub value: String,
    /// Warnings from template expansion (`SM0900`, `SM0901`); never errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// The values of the known tokens in one context, with their lengths in characters
/// (computed once, so that expansion is linear in the template's length).
struct TokenValues<'a> {
    url: (&'a str, usize),
    app: (&'a str, usize),
    parent_app: Option<(&'a str, usize)>,
    pr_number: Option<(String, usize)>,
}

impl<'a> TokenValues<'a> {
    fn new(ctx: &'a TemplateContext) -> Self {
        let with_len = |s: &'a str| (s, s.chars().count());
        TokenValues {
            url: with_len(&ctx.url),
            app: with_len(&ctx.app),
            parent_app: ctx.parent_app.as_deref().map(with_len),
            pr_number: ctx.pr_number.map(|n| {
                let s = n.to_string();
                let len = s.len();
                (s, len)
            }),
        }
    }

    /// What token `name` expands to: `None` for an unknown token, `Some(None)` for a known
    /// token without a value here, else the text and its length in characters.
    fn get(&self, name: &str) -> Option<Option<(&str, usize)>> {
        match name {
            "URL" => Some(Some(self.url)),
            "APP" => Some(Some(self.app)),
            "PARENT_APP" => Some(self.parent_app),
            "PR_NUMBER" => Some(self.pr_number.as_ref().map(|(s, n)| (s.as_str(), *n))),
            _ => None,
        }
    }
}

/// Expands the tokens of `template` in `ctx` (rules `GEN-4`, `GEN-5`, `GEN-6`, `GEN-9`).
///
/// Tokens are found by `scan_tokens`. `%URL%`, `%APP%` are replaced by `ctx.url` and
/// `ctx.app`; `%PARENT_APP%`, `%PR_NUMBER%` by `ctx.parent_app` and the decimal
/// `ctx.pr_number`, or by `""` with a warning `SM0901` when absent. Any other `%WORD%` is
/// kept verbatim with a warning `SM0900` (with a did-you-mean hint, for example `%url%`).
/// Expansion is a single pass: substituted text is never scanned again. When the result
/// would exceed `MAX_ENV_VALUE_CHARS` characters, nothing is built: the value is `""` and the
/// diagnostics end with the error `SM0902`. Diagnostics carry `pointer` as given. Time and
/// memory are linear in the lengths of `template` and of the context's values.
pub fn expand(template: &str, ctx: &TemplateContext, pointer: &str) -> Expanded {
    let tokens = scan_tokens(template);
    let values = TokenValues::new(ctx);
    let mut diagnostics = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    // Replacement of each token (None: keep verbatim), and the result's length in chars.
    let mut replacements: Vec<Option<&str>> = Vec::with_capacity(tokens.len());
    let mut total_chars = template.chars().count();
    for t in &tokens {
        let first = seen.insert(t.name.as_str());
        let replacement = match values.get(&t.name) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                if first {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::TokenWithoutValue,
                            format!(
                                "`%{}%` has no value for this app and expands to an empty string",
                                t.name
                            ),
                        )
                        .with_pointer(pointer)
                        .with_hint(
                            "`%PARENT_APP%` and `%PR_NUMBER%` only have values in review apps",
                        ),
                    );
                }
                Some(("", 0))
            }
            None => {
                if first {
                    let hint = match crate::diag::suggest(&t.name, &KNOWN_TOKENS) {
                        Some(s) => format!("did you mean `%{s}%`? (tokens are case-sensitive)"),
                        None => {
                            format!(
                                "known tokens are {}",
                                crate::manifest::template::known_tokens_phrase()
                            )
                        }
                    };
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownTemplateToken,
                            format!("unknown template token `%{}%` is kept as written", t.name),
                        )
                        .with_pointer(pointer)
                        .with_hint(hint),
                    );
                }
                None
            }
        };
        if let Some((_, len)) = replacement {
            // Token text is ASCII: its byte length is its length in characters.
            total_chars = total_chars
                .saturating_sub(t.end - t.start)
                .saturating_add(len);
        }
        replacements.push(replacement.map(|(s, _)| s));
    }
    if total_chars > MAX_ENV_VALUE_CHARS {
        diagnostics.push(too_long(total_chars, pointer));
        return Expanded {
            value: String::new(),
            diagnostics,
        };
    }
    let mut value = String::with_capacity(template.len());
    let mut at = 0;
    for (t, r) in tokens.iter().zip(&replacements) {
        value.push_str(template.get(at..t.start).unwrap_or_default());
        match r {
            Some(r) => value.push_str(r),
            None => value.push_str(template.get(t.start..t.end).unwrap_or_default()),
        }
        at = t.end;
    }
    value.push_str(template.get(at..).unwrap_or_default());
    Expanded { value, diagnostics }
}

/// The `SM0902` error for a value of `chars` characters.
fn too_long(chars: usize, pointer: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ValueTooLong,
        format!(
            "the generated value would be {chars} characters long, more than the {MAX_ENV_VALUE_CHARS} allowed"
        ),
    )
    .with_pointer(pointer)
    .with_hint("shorten the template or the app name")
}

/// Generates the value of variable `name` with `generator` (rules `GEN-1`..`GEN-9`).
///
/// * `secret`: [`secret`]`(seed, name)` when `seed` is given, else [`os_secret`].
/// * `url` without template: `ctx.url`; with a template: [`expand`]`(template)`.
/// * `template`: [`expand`]`(template)`.
///
/// `pointer` is the env entry's pointer (for example `/env/ADMIN_URL`); template
/// diagnostics point at `<pointer>/template`. Errors (no value generated): `SM0902` when
/// the value would be longer than `MAX_ENV_VALUE_CHARS` characters, `SM0903` when the
/// operating system has no entropy. Warnings are returned in [`Generated::diagnostics`].
#[allow(
    clippy::result_large_err,
    reason = "the team API returns a plain Diagnostic; the error path is cold"
)]
pub fn generate(
    generator: &Generator,
    name: &str,
    seed: Option<u64>,
    ctx: &TemplateContext,
    pointer: &str,
) -> Result<Generated, Diagnostic> {
    let template = match generator {
        Generator::Secret => {
            let value = match seed {
                Some(seed) => secret(seed, name),
                None => os_secret().map_err(|d| d.with_pointer(pointer))?,
            };
            return Ok(Generated {
                value,
                diagnostics: Vec::new(),
            });
        }
        Generator::Url { template: None } => {
            let chars = ctx.url.chars().count();
            if chars > MAX_ENV_VALUE_CHARS {
                return Err(too_long(chars, pointer));
            }
            return Ok(Generated {
                value: ctx.url.clone(),
                diagnostics: Vec::new(),
            });
        }
        Generator::Url {
            template: Some(template),
        }
        | Generator::Template { template } => template,
    };
    let expanded = expand(template, ctx, &pointer_push(pointer, "template"));
    if let Some(err) = expanded.diagnostics.iter().find(|d| d.is_error()) {
        return Err(err.clone());
    }
    Ok(Generated {
        value: expanded.value,
        diagnostics: expanded.diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    fn review_ctx() -> TemplateContext {
        TemplateContext {
            app: "my-app-pr10".into(),
            url: app_url("my-app-pr10", DEFAULT_REGION).expect("a valid app URL"),
            parent_app: Some("my-app".into()),
            pr_number: Some(10),
        }
    }

    fn one_click_ctx() -> TemplateContext {
        TemplateContext {
            app: "my-app".into(),
            url: app_url("my-app", "osc-secnum-fr1").expect("a valid app URL"),
            parent_app: None,
            pr_number: None,
        }
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    /// GEN-2: the pinned vectors of spec/generate.md (also computed by an independent
    /// implementation of SHA-256 + the ChaCha20 block function).
    #[test]
    fn gen2_pinned_secret_vectors() {
        assert_eq!(secret(0, "SECRET_KEY"), "cfaee90bad89982c0ac6b093bcd5b51f");
        assert_eq!(
            secret(42, "SECRET_KEY_BASE"),
            "cd5224e52e7ee87645828a674e898a90"
        );
        assert_eq!(
            secret(u64::MAX, "DJANGO_SECRET"),
            "7fe353a5367e56040f827428c1d61cd6"
        );
        // The examples of decision D-11 (spec/decisions.md).
        assert_eq!(secret(42, "SECRET_KEY"), "62fc071ad4a73d58a355e31bd717dc45");
        assert_eq!(
            secret(42, "VAR_SECRET_1"),
            "43e69e19ffbeb1ee7720b5aa9501f6bf"
        );
    }

    /// GEN-1: shape, and purity in (seed, name).
    #[test]
    fn gen1_secret_shape_and_purity() {
        for (seed, name) in [
            (0, ""),
            (7, "A"),
            (u64::MAX, "É_UNICODE"),
            (3, "SECRET_KEY"),
        ] {
            let s = secret(seed, name);
            assert_eq!(s.len(), 32);
            assert!(s
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            assert_eq!(s, secret(seed, name));
        }
        assert_ne!(secret(1, "A"), secret(2, "A"));
        assert_ne!(secret(1, "A"), secret(1, "B"));
        // The name is not normalised: case matters.
        assert_ne!(secret(1, "a"), secret(1, "A"));
    }

    /// GEN-3: unseeded secrets have the same shape and differ between calls.
    #[test]
    fn gen3_os_secret_shape() {
        let a = os_secret().expect("entropy");
        let b = os_secret().expect("entropy");
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_ne!(a, b);
    }

    #[test]
    fn hex_is_lowercase_two_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(hex(&[]), "");
    }

    /// GEN-7: app URL form.
    #[test]
    fn gen7_app_url() {
        assert_eq!(
            app_url("my-app-pr10", "osc-fr1").as_deref(),
            Some("https://my-app-pr10.osc-fr1.scalingo.io")
        );
        assert_eq!(
            app_url("x", "osc-secnum-fr1").as_deref(),
            Some("https://x.osc-secnum-fr1.scalingo.io")
        );
    }

    /// GEN-7, SCN-2, PLAT-5: nothing but a valid name and a catalogue region makes a URL;
    /// the input never reaches the host, path or query.
    #[test]
    fn gen7_scn_2_app_url_is_built_from_checked_parts() {
        for (app, region) in [
            ("shop-pr7", "evil.com/x?"),
            ("shop-pr7", "osc-fr1/../x"),
            ("shop-pr7", ""),
            ("shop-pr7", "OSC-FR1"),
            ("evil.com/x?", "osc-fr1"),
            ("a@b", "osc-fr1"),
            ("-x", "osc-fr1"),
            ("", "osc-fr1"),
            ("Shop", "osc-fr1"),
        ] {
            assert_eq!(app_url(app, region), None, "{app:?} in {region:?}");
        }
        for r in crate::platform::regions() {
            let url = app_url("a-1", r.name).expect("a catalogue region");
            assert_eq!(url, format!("https://a-1.{}", r.app_domain));
        }
    }

    /// GEN-5: every known token in a review app.
    #[test]
    fn gen5_expands_known_tokens() {
        let e = expand(
            "%URL%/admin|%APP%|%PARENT_APP%|%PR_NUMBER%",
            &review_ctx(),
            "/env/X/template",
        );
        assert_eq!(
            e.value,
            "https://my-app-pr10.osc-fr1.scalingo.io/admin|my-app-pr10|my-app|10"
        );
        assert!(e.diagnostics.is_empty());
    }

    /// GEN-5: one-click: PARENT_APP and PR_NUMBER expand to "" with one warning each.
    #[test]
    fn gen5_missing_tokens_expand_to_empty_with_warning() {
        let e = expand(
            "a%PARENT_APP%b%PR_NUMBER%c%PR_NUMBER%",
            &one_click_ctx(),
            "/env/X/template",
        );
        assert_eq!(e.value, "abc");
        assert_eq!(codes(&e.diagnostics), ["SM0901", "SM0901"]);
        assert!(e.diagnostics[0].message.contains("%PARENT_APP%"));
        assert!(e.diagnostics[1].message.contains("%PR_NUMBER%"));
        assert_eq!(e.diagnostics[0].pointer, "/env/X/template");
        assert_eq!(e.diagnostics[0].severity, Severity::Warning);
        assert_eq!(e.diagnostics[0].rule(), "GEN-5");
    }

    /// GEN-4: unknown tokens verbatim, one warning per distinct name, did-you-mean hint.
    #[test]
    fn gen4_unknown_tokens_verbatim() {
        let e = expand("%url%-%FOO%-%url%-%APP%", &review_ctx(), "/p");
        assert_eq!(e.value, "%url%-%FOO%-%url%-my-app-pr10");
        assert_eq!(codes(&e.diagnostics), ["SM0900", "SM0900"]);
        assert_eq!(e.diagnostics[0].rule(), "GEN-4");
        assert_eq!(
            e.diagnostics[0].hint.as_deref(),
            Some("did you mean `%URL%`? (tokens are case-sensitive)")
        );
        assert!(e.diagnostics[1].message.contains("%FOO%"));
        assert!(e.diagnostics[1]
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("known tokens")));
    }

    /// GEN-4: literal percent signs, no escape.
    #[test]
    fn gen4_literal_percent() {
        let e = expand("100% %% %APP", &review_ctx(), "");
        assert_eq!(e.value, "100% %% %APP");
        assert!(e.diagnostics.is_empty());
        let e = expand("%%APP%%", &review_ctx(), "");
        assert_eq!(e.value, "%my-app-pr10%");
        let e = expand("é%APP%ü", &review_ctx(), "");
        assert_eq!(e.value, "émy-app-pr10ü");
        assert_eq!(expand("", &review_ctx(), "").value, "");
    }

    /// GEN-6: single pass: a substituted value that contains a token is not expanded.
    #[test]
    fn gen6_single_pass() {
        let ctx = TemplateContext {
            app: "%URL%".into(),
            url: "https://%APP%.example".into(),
            parent_app: Some("%PR_NUMBER%".into()),
            pr_number: Some(3),
        };
        let e = expand("%APP% %URL% %PARENT_APP% %PR_NUMBER%", &ctx, "");
        assert_eq!(e.value, "%URL% https://%APP%.example %PR_NUMBER% 3");
        assert!(e.diagnostics.is_empty());
        // Two adjacent tokens sharing no `%`: "%A%PP%" is the token A then literal "PP%".
        let e = expand("%APP%PP%", &review_ctx(), "");
        assert_eq!(e.value, "my-app-pr10PP%");
    }

    /// GEN-9: the length limit is checked before building the value.
    #[test]
    fn gen9_expansion_length_limit() {
        let ctx = TemplateContext {
            app: "a".repeat(1000),
            url: String::new(),
            parent_app: None,
            pr_number: None,
        };
        // 32 * 1000 + 768 = 32768: exactly at the limit is fine.
        let ok = format!("{}{}", "%APP%".repeat(32), "x".repeat(768));
        let e = expand(&ok, &ctx, "/t");
        assert_eq!(e.value.chars().count(), MAX_ENV_VALUE_CHARS);
        assert!(e.diagnostics.is_empty());
        let bad = format!("{ok}x");
        let e = expand(&bad, &ctx, "/t");
        assert_eq!(e.value, "");
        assert_eq!(codes(&e.diagnostics), ["SM0902"]);
        assert_eq!(e.diagnostics[0].pointer, "/t");
        // Characters, not bytes: 32768 two-byte characters are fine.
        let e = expand(&"é".repeat(MAX_ENV_VALUE_CHARS), &ctx, "");
        assert!(e.diagnostics.is_empty());
        // A huge blow-up is refused without allocating it.
        let huge = TemplateContext {
            app: "a".repeat(1 << 20),
            ..ctx
        };
        let e = expand(&"%APP%".repeat(100_000), &huge, "");
        assert_eq!(codes(&e.diagnostics), ["SM0902"]);
        assert!(e.diagnostics[0].is_error());
    }

    /// GEN-1/GEN-2 through `generate`.
    #[test]
    fn generate_secret_seeded_and_unseeded() {
        let g = generate(
            &Generator::Secret,
            "SECRET_KEY",
            Some(0),
            &review_ctx(),
            "/env/SECRET_KEY",
        )
        .expect("ok");
        assert_eq!(g.value, "cfaee90bad89982c0ac6b093bcd5b51f");
        assert!(g.diagnostics.is_empty());
        let g = generate(
            &Generator::Secret,
            "SECRET_KEY",
            None,
            &review_ctx(),
            "/env/SECRET_KEY",
        )
        .expect("ok");
        assert_eq!(g.value.len(), 32);
    }

    /// GEN-7: url generator with and without template.
    #[test]
    fn gen7_url_generator() {
        let g = generate(
            &Generator::Url { template: None },
            "U",
            None,
            &review_ctx(),
            "/env/U",
        )
        .expect("ok");
        assert_eq!(g.value, "https://my-app-pr10.osc-fr1.scalingo.io");
        let g = generate(
            &Generator::Url {
                template: Some("%URL%/admin".into()),
            },
            "U",
            None,
            &review_ctx(),
            "/env/U",
        )
        .expect("ok");
        assert_eq!(g.value, "https://my-app-pr10.osc-fr1.scalingo.io/admin");
        let long = TemplateContext {
            url: "u".repeat(MAX_ENV_VALUE_CHARS + 1),
            ..review_ctx()
        };
        let err = generate(
            &Generator::Url { template: None },
            "U",
            None,
            &long,
            "/env/U",
        )
        .expect_err("too long");
        assert_eq!(
            (err.code.as_str(), err.pointer.as_str()),
            ("SM0902", "/env/U")
        );
        // At the limit exactly, the URL is the value.
        let at_limit = TemplateContext {
            url: "u".repeat(MAX_ENV_VALUE_CHARS),
            ..review_ctx()
        };
        let g = generate(
            &Generator::Url { template: None },
            "U",
            None,
            &at_limit,
            "/env/U",
        )
        .expect("at the limit");
        assert_eq!(g.value.len(), MAX_ENV_VALUE_CHARS);
    }

    /// GEN-8: template generator; diagnostics point at `<pointer>/template`.
    #[test]
    fn gen8_template_generator() {
        let g = generate(
            &Generator::Template {
                template: "%APP%-from-%PARENT_APP%-%NOPE%".into(),
            },
            "T",
            Some(1),
            &one_click_ctx(),
            "/env/T",
        )
        .expect("ok");
        assert_eq!(g.value, "my-app-from--%NOPE%");
        assert_eq!(codes(&g.diagnostics), ["SM0901", "SM0900"]);
        assert!(g.diagnostics.iter().all(|d| d.pointer == "/env/T/template"));
        let too_long = Generator::Template {
            template: "x".repeat(MAX_ENV_VALUE_CHARS + 1).into(),
        };
        let err = generate(&too_long, "T", None, &one_click_ctx(), "/env/T").expect_err("long");
        assert_eq!(err.code, "SM0902");
        assert_eq!(err.pointer, "/env/T/template");
    }

    #[test]
    fn context_json_shape() {
        let json = serde_json::to_string(&review_ctx()).expect("json");
        assert_eq!(
            json,
            r#"{"app":"my-app-pr10","url":"https://my-app-pr10.osc-fr1.scalingo.io","parent_app":"my-app","pr_number":10}"#
        );
        let back: TemplateContext =
            serde_json::from_str(r#"{"app":"a","url":"u"}"#).expect("parse");
        assert_eq!(back.parent_app, None);
        assert_eq!(back.pr_number, None);
    }
}
