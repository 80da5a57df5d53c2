//! Validation: from a spanned JSON tree to a [`Manifest`] and diagnostics (rules `MAN-*`,
//! `MAN-ENV-*`, `MAN-ADD-*`, `MAN-FRM-*`, `MAN-SCR-*` and `LIM-3`..`LIM-7` of
//! `spec/manifest.md`).
//!
//! [`check`] parses the bytes with [`json::parse`] (rules
//! `JSON-*`, `LIM-1`, `LIM-2`), then walks the tree once: every member the user wrote is
//! either read into the typed [`Manifest`] or reported (principle: nothing is silently
//! dropped). Time is linear in the input; the walk never recurses deeper than the manifest's
//! fixed shape (at most four levels), so it cannot overflow the stack.

use std::borrow::Cow;

use compact_str::CompactString;

use crate::diag::{self, suggest, Code, Counts, Diagnostic, Pointer, Severity};
use crate::manifest::firewall_rules as firewall;
use crate::manifest::json::{self, Json, Member, Node};
use crate::manifest::names::{self, EnvNameFault, MAX_ENV_NAME_CHARS};
use crate::manifest::schema;
use crate::manifest::template::{scan_tokens, KNOWN_TOKENS};
use crate::manifest::{
    AddonShape, AddonSpec, ContainerSize, EnvValue, EnvVar, FormationEntry, Generator, Manifest,
    Scripts, Spanned,
};
use crate::platform::{self, Date, StackStatus};
use crate::procfile::{self, MAX_NAME_CHARS as MAX_PROCESS_TYPE_CHARS};
use crate::text::Span;
use schemars::{Schema, SchemaGenerator};

/// Most env entries read (rule `LIM-3`).
pub const MAX_ENV_ENTRIES: usize = 1000;
/// Most addons read (rule `LIM-4`).
pub const MAX_ADDONS: usize = 100;
/// Most formation entries read (rule `LIM-5`).
pub const MAX_FORMATION_ENTRIES: usize = 100;
/// Largest `amount` (or `quantity`) of one formation entry (rule `LIM-6`).
pub const MAX_AMOUNT: u32 = 1000;
/// Most diagnostics reported for one file (rule `LIM-7`); one more note says how many
/// were dropped.
pub const MAX_DIAGNOSTICS: usize = crate::diag::MAX_LISTED;
/// Longest env value or template, in characters (Unicode scalar values), as the platform
/// catalogue's newest record says (`spec/platform.json`, `/env/value_max_chars`): 32768
/// since 2026-03-20. The one definition of the limit: the manifest check (rule
/// `MAN-ENV-5`), the JSON Schema, the generators (`GEN-9`) and the environment resolution's
/// guard on user and parent values (`ENV-12`) read it here (`PLAT-6`).
pub(crate) const MAX_ENV_VALUE_CHARS: usize = crate::platform::ENV_VALUE_MAX_CHARS_LATEST;

/// One top-level member of a manifest: its key, the description the JSON Schema gives it,
/// the schema of its value, and how [`check`] reads it into the [`Manifest`].
///
/// [`TOP_LEVEL`] is the one statement of the manifest's top-level shape: `check` dispatches
/// on it, `manifest::schema` builds the document's `properties` from it, the canonical form
/// writes its keys in its order (`canonical::KEY_ORDER`), and a test holds its platform keys
/// to the platform catalogue's (rule `PLAT-7`).
pub(crate) struct TopLevelKey {
    /// The key, as written.
    pub(crate) key: &'static str,
    /// What the key is for and the rules that read it: the schema property's description.
    pub(crate) doc: &'static str,
    /// The schema of the key's value.
    pub(crate) schema: fn(&mut SchemaGenerator) -> Schema,
    /// Reads the member (at the JSON pointer given) into the manifest, reporting what is
    /// wrong with it.
    read: fn(&mut Validator<'_>, &Member, &Pointer<'_>, &mut Manifest),
}

/// The top-level keys `check` reads, in the canonical form's order (rule `MAN-10`): the
/// platform's documented keys (rules `MAN-2` to `MAN-6`, `FW-1`; each from the day the
/// platform catalogue gives, `PLAT-7`), then `$schema`, which points editors at a JSON
/// Schema and means nothing to the platform (rule `MAN-7`).
pub(crate) const TOP_LEVEL: [TopLevelKey; 14] = [
    TopLevelKey {
        key: "name",
        doc: "Name of the project (`MAN-2`); optional, unlike in Scalingo's schema (decision D-5).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, m| m.name = v.string_field(mem, ptr),
    },
    TopLevelKey {
        key: "description",
        doc: "Description of the project, any length (`MAN-2`).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, m| m.description = v.string_field(mem, ptr),
    },
    TopLevelKey {
        key: "logo",
        doc: "URL of the project's logo; anything but an absolute http(s) URL is a warning, `\"\"`\ncounts as absent (`MAN-3`).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, m| m.logo = v.url_field(mem, ptr),
    },
    TopLevelKey {
        key: "website",
        doc: "The project's web site; anything but an absolute http(s) URL is a warning, `\"\"`\ncounts as absent (`MAN-3`).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, m| m.website = v.url_field(mem, ptr),
    },
    TopLevelKey {
        key: "repository",
        doc: "The Git repository of a one-click deploy; an empty or blank string is read as absent\n(a note, `MAN-4`); which URLs work is decided when the source is resolved (`SRC-*`).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, m| m.repository = v.source_field(mem, ptr),
    },
    TopLevelKey {
        key: "ref",
        doc: "Branch name or commit ID; an empty or blank string is read as absent (a note,\n`MAN-4`).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, m| m.git_ref = v.source_field(mem, ptr),
    },
    TopLevelKey {
        key: "stack",
        doc: "The stack, such as `scalingo-22`: a stack of the platform catalogue on the day of the\ndeploy (`PLAT-3`); a deprecated or discontinued one is a warning, and any other string is\na warning and the platform keeps its default stack (`MAN-5`, decision D-16).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, m| m.stack = v.stack(mem, ptr),
    },
    TopLevelKey {
        key: "env",
        doc: "Environment variables of the new app, by name (`MAN-ENV-*`).",
        schema: |g| g.subschema_for::<schema::Env>(),
        read: |v, mem, ptr, m| m.env = v.env(&mem.value, ptr),
    },
    TopLevelKey {
        key: "addons",
        doc: "Addons to provision; `[]` means none, an absent key copies the parent's in a review\napp (`MAN-ADD-*`, decision D-7).",
        schema: |g| g.subschema_for::<schema::Addons>(),
        read: |v, mem, ptr, m| m.addons = v.addons(&mem.value, ptr),
    },
    TopLevelKey {
        key: "formation",
        doc: "Containers to start, by process type (`MAN-FRM-*`).",
        schema: |g| g.subschema_for::<schema::Formation>(),
        read: |v, mem, ptr, m| m.formation = v.formation(&mem.value, ptr),
    },
    TopLevelKey {
        key: "scripts",
        doc: "Scripts run after deployments (`MAN-SCR-*`).",
        schema: |g| g.subschema_for::<schema::Scripts>(),
        read: |v, mem, ptr, m| m.scripts = v.scripts(&mem.value, ptr),
    },
    TopLevelKey {
        key: "copy_parent_database_urls",
        doc: "Review apps: copy the parent's database URLs (default `false`); the strings\n`\"true\"` and `\"false\"` are read as the booleans, with a note (`MAN-6`, decision D-18).",
        schema: |g| g.subschema_for::<schema::Flag>(),
        read: |v, mem, ptr, m| m.copy_parent_database_urls = v.copy_parent(mem, ptr),
    },
    TopLevelKey {
        key: "firewall_rules",
        doc: "Application Firewall rules: a review app's replace its parent's, `[]` disables the\nfirewall (`FW-1` to `FW-7`, decision D-20).",
        schema: |g| g.subschema_for::<schema::FirewallRules>(),
        read: |v, mem, ptr, m| {
            let (rules, diags) = firewall::check_rules(&mem.value, &ptr.render(), v.date, v.text);
            v.diags.extend(diags);
            m.firewall_rules = rules;
        },
    },
    TopLevelKey {
        key: "$schema",
        doc: "The JSON Schema the document follows, for editors; not read otherwise (`MAN-2`).",
        schema: |g| g.subschema_for::<String>(),
        read: |v, mem, ptr, _| {
            v.string_field(mem, ptr);
        },
    },
];

/// Top-level Heroku/dokku keys that are recognised but not used by Scalingo (rule `MAN-8`).
pub(crate) const FOREIGN_TOP_LEVEL_KEYS: [&str; 5] = [
    "buildpacks",
    "environments",
    "image",
    "keywords",
    "success_url",
];

/// Keys of an env entry object (rule `MAN-ENV-11`): those of [`schema::ENV_ENTRY`].
pub(crate) const ENV_ENTRY_KEYS: [&str; 5] = schema::keys(&schema::ENV_ENTRY_FIELDS);

/// Generators Scalingo knows (rule `MAN-ENV-6`).
pub const GENERATORS: [&str; 3] = ["secret", "url", "template"];

/// Heroku's attachment name of an addon, read with a warning (rule `MAN-ADD-4`): not part
/// of the schema's addon shapes, a key like any other there.
const HEROKU_ADDON_AS: &str = "as";

/// Keys of an addon object, current and legacy shapes (rule `MAN-ADD-7`): those of
/// [`schema::ADDON`], Heroku's `as`, then those of [`schema::LEGACY_ADDON`] the current
/// shape does not have.
pub(crate) const ADDON_KEYS: [&str; 5] = {
    let current = schema::keys(&schema::ADDON_FIELDS);
    let legacy = schema::keys(&schema::LEGACY_ADDON_FIELDS);
    let mut out = [""; 5];
    let mut n = 0;
    while n < current.len() {
        out[n] = current[n];
        n += 1;
    }
    out[n] = HEROKU_ADDON_AS;
    n += 1;
    let mut i = 0;
    while i < legacy.len() {
        let mut shared = false;
        let mut j = 0;
        while j < current.len() {
            shared |= const_str_eq(legacy[i], current[j]);
            j += 1;
        }
        if !shared {
            out[n] = legacy[i];
            n += 1;
        }
        i += 1;
    }
    assert!(n == out.len());
    out
};

/// `a == b`, in a constant.
const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Keys of an addon's `options` (rule `MAN-ADD-5`): those of [`schema::ADDON_OPTIONS`].
const ADDON_OPTION_KEYS: [&str; 1] = schema::keys(&schema::ADDON_OPTIONS_FIELDS);

/// Keys of a formation entry offered as did-you-mean candidates (rule `MAN-FRM-6`): those
/// of [`schema::FORMATION_ENTRY`] but Heroku's `quantity`.
const FORMATION_ENTRY_KEYS: [&str; 2] = schema::own_keys(&schema::FORMATION_ENTRY_FIELDS);

/// Script keys Scalingo reads (rule `MAN-SCR-2`): those of [`schema::SCRIPTS`].
pub const SCRIPT_KEYS: [&str; 2] = schema::keys(&schema::SCRIPTS_FIELDS);

/// Script keys of Heroku and dokku that are recognised but not used (rule `MAN-SCR-5`).
pub(crate) const FOREIGN_SCRIPT_KEYS: [&str; 4] = ["pr-predestroy", "dokku", "test-setup", "test"];

/// The verdict on one manifest file.
///
/// `manifest` is `Some` whenever the document is a JSON object, even one with errors
/// (rule `MAN-9`: erroneous parts are left out of it). `diagnostics` holds at most
/// [`MAX_DIAGNOSTICS`] findings plus one `LIM-7` note; `errors`, `warnings` and `notes`
/// count every finding, including dropped ones, so the verdict never depends on the cap.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Checked {
    /// The typed manifest, when the bytes held a JSON object (even one with errors).
    pub manifest: Option<Manifest>,
    /// Every finding, in canonical order (rule `DIAG-4`), capped by rule `LIM-7`.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of findings of severity error, before the cap.
    pub errors: usize,
    /// Number of findings of severity warning, before the cap.
    pub warnings: usize,
    /// Number of findings of severity note, before the cap (the `LIM-7` note excluded).
    pub notes: usize,
    /// Number of findings dropped by the cap (rule `LIM-7`); 0 when none.
    pub dropped: usize,
}

impl Checked {
    /// True when no finding (dropped ones included) is an error: the verdict "valid".
    pub fn is_valid(&self) -> bool {
        self.errors == 0
    }
}

/// Parses and validates manifest bytes as the platform reads them on `date` (rules
/// `JSON-*`, `LIM-*`, `MAN-*`; the date picks the platform facts of `spec/platform.json`
/// in force, rule `PLAT-1`: known stacks and their status, container sizes, documented
/// keys, env limits, retired plans).
///
/// Never panics, whatever the bytes; time and memory are linear in the input (which rule
/// `LIM-1` caps at 1 MiB). Diagnostics are sorted with [`crate::diag::sort`] and capped at
/// [`MAX_DIAGNOSTICS`] (rule `LIM-7`).
pub fn check(bytes: &[u8], date: Date) -> Checked {
    json::parse_then(bytes, |text, root, mut diagnostics, syntax| {
        let kept = Counts::of(&diagnostics);
        if let Some(root) = &root {
            duplicate_key_pointers(root, &mut diagnostics);
        }
        let mut v = Validator {
            text,
            date,
            diags: diagnostics,
        };
        let manifest = root.as_ref().and_then(|node| match &node.value {
            Json::Object(members) => Some(v.manifest(members)),
            other => {
                let d = v
                    .at(Code::NotAnObject, &Pointer::Root, node.span)
                    .message(format!(
                        "the manifest must be a JSON object, found {}",
                        diag::article(other.type_name())
                    ))
                    .hint("write the manifest as `{ ... }` with keys such as `env`, `addons`, `formation`");
                v.push(d);
                None
            }
        });
        // The syntax findings the reader did not keep (LIM-7) still count.
        let unkept = Counts {
            errors: syntax.errors - kept.errors,
            warnings: syntax.warnings - kept.warnings,
            notes: syntax.notes - kept.notes,
            dropped: syntax.dropped,
        };
        finish(manifest, v.diags, unkept, text)
    })
}

/// The verdict: `diags` sorted and cut at [`MAX_DIAGNOSTICS`] (rule `LIM-7`), counted with
/// the findings `unkept` counts, which were dropped before (by the JSON reader).
fn finish(
    manifest: Option<Manifest>,
    mut diags: Vec<Diagnostic>,
    unkept: Counts,
    text: &str,
) -> Checked {
    crate::diag::sort(&mut diags);
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, notes) = (
        count(Severity::Error) + unkept.errors,
        count(Severity::Warning) + unkept.warnings,
        count(Severity::Note) + unkept.notes,
    );
    let dropped = diags.len().saturating_sub(MAX_DIAGNOSTICS) + unkept.dropped;
    diags.truncate(MAX_DIAGNOSTICS);
    crate::diag::locate(&mut diags, text);
    if dropped > 0 {
        let dropped_errors = errors.saturating_sub(count_in(&diags, Severity::Error));
        diags.push(
            Diagnostic::new(
                Code::ManifestDiagnosticsDropped,
                format!(
                    "{dropped} more diagnostics were dropped ({dropped_errors} of them errors): at most {MAX_DIAGNOSTICS} are reported per file"
                ),
            )
            .with_hint("fix the findings above and check again to see the rest")
            // DIAG-12: the verdict can always be read from the list.
            .with_severity(if dropped_errors > 0 {
                Severity::Error
            } else {
                Severity::Note
            }),
        );
    }
    Checked {
        manifest,
        diagnostics: diags,
        errors,
        warnings,
        notes,
        dropped,
    }
}

/// Longest pointer given to a duplicate-key finding (rule `JSON-8`); a longer one stays `""`.
const MAX_DUPLICATE_POINTER_BYTES: usize = 4096;

/// Gives each duplicate-key finding of `json` (rule `JSON-8`, pointer `""` there) the
/// pointer of the member that was kept: its key span is the finding's span (DIAG-6). At most
/// [`MAX_DIAGNOSTICS`] findings get one, each at most [`MAX_DUPLICATE_POINTER_BYTES`] long,
/// so the work stays linear in the input.
fn duplicate_key_pointers(root: &Node, diags: &mut [Diagnostic]) {
    let mut wanted: Vec<usize> = diags
        .iter()
        .filter(|d| d.code == Code::DuplicateKey && d.pointer.is_empty())
        .filter_map(|d| d.span.map(|s| s.start))
        .take(MAX_DIAGNOSTICS)
        .collect();
    if wanted.is_empty() {
        return;
    }
    wanted.sort_unstable();
    let mut found: Vec<(usize, String)> = Vec::new();
    walk_members(root, &Pointer::Root, &wanted, &mut found);
    found.sort_unstable();
    for d in diags.iter_mut() {
        if d.code != Code::DuplicateKey {
            continue;
        }
        if let Some(start) = d.span.map(|s| s.start) {
            if let Ok(i) = found.binary_search_by_key(&start, |(s, _)| *s) {
                d.pointer = found[i].1.clone();
            }
        }
    }
}

/// Depth-first walk; the tree is at most 32 levels deep (rule `LIM-2`).
fn walk_members(
    node: &Node,
    path: &Pointer<'_>,
    wanted: &[usize],
    found: &mut Vec<(usize, String)>,
) {
    match &node.value {
        Json::Object(members) => {
            for m in members.iter() {
                let ptr = path.key(m.key);
                let starts = std::iter::once(m.key_span.start)
                    .chain(m.duplicate_key_spans.iter().map(|s| s.start));
                let hits: Vec<usize> = starts.filter(|s| wanted.binary_search(s).is_ok()).collect();
                if !hits.is_empty() && ptr.len_bound() <= MAX_DUPLICATE_POINTER_BYTES {
                    let p = ptr.render();
                    for start in hits {
                        found.push((start, p.clone()));
                    }
                }
                walk_members(&m.value, &ptr, wanted, found);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_members(item, &path.index(i), wanted, found);
            }
        }
        _ => {}
    }
}

fn count_in(diags: &[Diagnostic], s: Severity) -> usize {
    diags.iter().filter(|d| d.severity == s).count()
}

/// A diagnostic under construction (keeps call sites short): the [`Diagnostic`] is made
/// once, when the draft is pushed, with its message (the code's summary unless one is
/// given) and hint; no message is edited after it is made.
struct Draft {
    code: Code,
    pointer: String,
    span: Span,
    message: Option<Cow<'static, str>>,
    hint: Option<Cow<'static, str>>,
}

impl Draft {
    fn message(mut self, m: impl Into<Cow<'static, str>>) -> Self {
        self.message = Some(m.into());
        self
    }
    fn hint(mut self, h: impl Into<Cow<'static, str>>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

struct Validator<'a> {
    text: &'a str,
    /// The day the platform's rules are those of (rule `PLAT-1`).
    date: Date,
    diags: Vec<Diagnostic>,
}

fn did_you_mean(input: &str, candidates: &[&str]) -> Option<String> {
    suggest(diag::head(input), candidates).map(|c| format!("did you mean `{c}`?"))
}

fn char_count_exceeds(s: &str, max: usize) -> bool {
    s.len() > max && s.chars().nth(max).is_some()
}

impl<'a> Validator<'a> {
    fn at(&self, code: Code, pointer: &Pointer<'_>, span: Span) -> Draft {
        Draft {
            code,
            pointer: pointer.render(),
            span,
            message: None,
            hint: None,
        }
    }

    fn push(&mut self, d: Draft) {
        let message = d.message.unwrap_or(Cow::Borrowed(d.code.summary()));
        let mut diagnostic = Diagnostic::new(d.code, message)
            .with_pointer(d.pointer)
            .with_span_to_locate(d.span);
        if let Some(hint) = d.hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diags.push(diagnostic);
    }

    // ------------------------------------------------------------------ top level

    fn manifest(&mut self, members: &[Member]) -> Manifest {
        let mut m = Manifest::default();
        // D-25: an Expo app.json gets one note naming its unknown keys, not one warning each.
        let expo = members.iter().find(|mem| mem.key == "expo");
        let mut expo_keys: Vec<&str> = Vec::new();
        for mem in members {
            let ptr = Pointer::Root.key(mem.key);
            if let Some(k) = platform::manifest_key(mem.key).filter(|k| !k.read_on(self.date)) {
                self.key_not_yet(mem, &ptr, k);
                continue;
            }
            if let Some(field) = TOP_LEVEL.iter().find(|f| f.key == mem.key) {
                (field.read)(self, mem, &ptr, &mut m);
                continue;
            }
            match mem.key {
                key if FOREIGN_TOP_LEVEL_KEYS.contains(&key) => self.foreign_key(mem, &ptr),
                key if expo.is_some() => expo_keys.push(key),
                key => {
                    // The keys read on the date: the platform's, then the editors' (`$schema`).
                    let known: Vec<&str> = TOP_LEVEL
                        .iter()
                        .map(|f| f.key)
                        .filter(|k| platform::manifest_key(k).is_none_or(|k| k.read_on(self.date)))
                        .collect();
                    let hint = match key {
                        "app_root" | "root" | "root_dir" | "rootDir" | "project_dir"
                        | "projectDir" | "app_dir" | "appDir" | "base_dir" | "baseDir"
                        | "subdir" | "directory" | "dir" => Some(
                            "the app's folder in the repository is set by the app's `PROJECT_DIR` environment variable (the parent app's for review apps, the deploy form's for one-click), not by the manifest".to_string(),
                        ),
                        "homepage" | "url" | "site" => Some(
                            "Scalingo's key for the project's web site is `website`".to_string(),
                        ),
                        "repo" | "source" => Some(
                            "Scalingo's key for the Git repository is `repository`".to_string(),
                        ),
                        "branch" => {
                            Some("Scalingo's key for the branch or commit is `ref`".to_string())
                        }
                        _ => did_you_mean(key, &known),
                    }
                    .unwrap_or_else(|| {
                        format!(
                            "Scalingo reads only {}; remove it if nothing else uses it",
                            diag::keys_listed(&known)
                        )
                    });
                    let d = self
                        .at(Code::UnknownKey, &ptr, mem.key_span)
                        .message(
                            [
                                "unknown key `",
                                &diag::excerpt(key),
                                "`: Scalingo ignores it",
                            ]
                            .concat(),
                        )
                        .hint(hint);
                    self.push(d);
                }
            }
        }
        if let Some(e) = expo {
            let shown_keys: Vec<String> = expo_keys
                .iter()
                .take(10)
                .map(|k| format!("`{}`", diag::excerpt(k)))
                .collect();
            let more = expo_keys.len().saturating_sub(10);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let d = self
                .at(Code::ExpoAppJson, &Pointer::Root.key(e.key), e.key_span)
                .message(format!(
                    "this `app.json` is Expo's app configuration (top-level `expo`), not a deploy manifest: Scalingo ignores {}{more}",
                    shown_keys.join(", ")
                ))
                .hint("to configure Scalingo deployments, add a `scalingo.json` beside it: it takes priority over `app.json`");
            self.push(d);
        }
        m
    }

    /// A documented key that the platform did not read yet on the date (rules `MAN-7`,
    /// `PLAT-7`): ignored, like any unknown key, with the day it arrived.
    fn key_not_yet(&mut self, mem: &Member, ptr: &Pointer<'_>, key: &platform::ManifestKey) {
        let since = key.since.map_or_else(String::new, |d| format!(" from {d}"));
        let d = self
            .at(Code::UnknownKey, ptr, mem.key_span)
            .message(format!(
                "`{}` is not read by the platform on {}: Scalingo ignores it",
                key.key, self.date
            ))
            .hint(format!(
                "the platform reads `{}`{since} (source: {})",
                key.key, key.source
            ));
        self.push(d);
    }

    /// A top-level field that must be a string (rule `MAN-2`).
    fn string_field(&mut self, mem: &Member, ptr: &Pointer<'_>) -> Option<Spanned<CompactString>> {
        match &mem.value.value {
            Json::String(s) => Some(Spanned::new(CompactString::new(s), mem.value.span)),
            other => {
                let d = self
                    .at(Code::FieldType, ptr, mem.value.span)
                    .message(format!(
                        "`{}` must be a string, found {}",
                        mem.key,
                        diag::article(other.type_name())
                    ))
                    .hint(format!(
                        "write `\"{}\": \"...\"`, or remove the key",
                        mem.key
                    ));
                self.push(d);
                None
            }
        }
    }

    /// `logo` and `website` (rule `MAN-3`).
    fn url_field(&mut self, mem: &Member, ptr: &Pointer<'_>) -> Option<Spanned<CompactString>> {
        let s = self.string_field(mem, ptr)?;
        if s.value.is_empty() {
            let d = self
                .at(Code::UrlEmpty, ptr, s.span)
                .message(format!("`{}` is empty: treated as absent", mem.key))
                .hint(format!(
                    "remove the key, or give the URL of the {}",
                    mem.key
                ));
            self.push(d);
            return None;
        }
        if !is_http_url(&s.value) {
            let d = self
                .at(Code::ManifestUrlInvalid, ptr, s.span)
                .message(format!(
                    "`{}` is not an http(s) URL: `{}`",
                    mem.key,
                    diag::excerpt(&s.value)
                ))
                .hint("write an absolute URL such as `https://example.com/logo.svg`");
            self.push(d);
        }
        Some(s)
    }

    /// `repository` and `ref` (rule `MAN-4`, decision D-23): an empty or blank override is
    /// read as no override, with a note.
    fn source_field(&mut self, mem: &Member, ptr: &Pointer<'_>) -> Option<Spanned<CompactString>> {
        let s = self.string_field(mem, ptr)?;
        if s.value.trim().is_empty() {
            let (what, instead) = if mem.key == "ref" {
                (
                    "a branch name or a commit ID",
                    "the ref comes from the deploy link or the default branch",
                )
            } else {
                (
                    "a GitHub repository URL such as `https://github.com/owner/repo`",
                    "the repository comes from the deploy link",
                )
            };
            let d = self
                .at(Code::SourceEmpty, ptr, s.span)
                .message(format!(
                    "`{}` is empty: treated as absent, {instead}",
                    mem.key
                ))
                .hint(format!("remove the key, or write {what}"));
            self.push(d);
            return None;
        }
        Some(s)
    }

    /// `stack` (rule `MAN-5`, decision D-16): known stacks, their status on the date
    /// (rule `PLAT-3`), and hints that name only stacks available on that date.
    fn stack(&mut self, mem: &Member, ptr: &Pointer<'_>) -> Option<Spanned<CompactString>> {
        let s = self.string_field(mem, ptr)?;
        let date = self.date;
        let v = s.value.as_str();
        let known = platform::stack(v);
        let status = known.and_then(|k| k.status_on(date));
        if status.is_some_and(|st| st.value == StackStatus::Supported) {
            return Some(s);
        }
        // What the findings below say; none is written for a supported stack.
        let available = platform::stacks_available(date);
        let default = platform::default_stack(date).map(|d| d.value);
        let keep_default = match default {
            Some(d) => format!("remove the key to keep the platform's default stack, `{d}`"),
            None => "remove the key to keep the platform's default stack".to_string(),
        };
        match status {
            Some(st) if st.value == StackStatus::Deprecated => {
                let end = known
                    .and_then(|k| {
                        k.history
                            .iter()
                            .find(|e| e.value == StackStatus::Discontinued)
                    })
                    .and_then(|e| e.since)
                    .map(|d| format!("; it is discontinued from {d}"))
                    .unwrap_or_default();
                let to = default.map_or_else(
                    || "a supported stack".to_string(),
                    |d| format!("`{d}`, the default stack"),
                );
                let d = self
                    .at(Code::DeprecatedStack, ptr, s.span)
                    .message(format!(
                        "stack `{v}` is deprecated since {}{end}",
                        st.since
                            .map_or_else(|| "its release".to_string(), |d| d.to_string())
                    ))
                    .hint(format!(
                        "migrate to {to}: test the app on it, then change `stack` (source: {})",
                        st.source
                    ));
                self.push(d);
                return Some(s);
            }
            Some(st) => {
                let since = st.since.map_or_else(String::new, |d| format!(" since {d}"));
                let gets = default.map_or_else(
                    || "the platform's default stack".to_string(),
                    |d| format!("the default stack, `{d}`"),
                );
                let d = self
                    .at(Code::DiscontinuedStack, ptr, s.span)
                    .message(format!(
                        "stack `{v}` is discontinued{since}: new deployments, review apps included, use {gets}"
                    ))
                    .hint(format!(
                        "write a stack available on {date} ({}), or {keep_default} (source: {})",
                        available.join(", "),
                        st.source
                    ));
                self.push(d);
                return Some(s);
            }
            None => {}
        }
        let heroku = v.starts_with("heroku-") || v == "cedar-14" || v == "cedar";
        let what = if let Some(k) = known {
            let released = k
                .history
                .first()
                .and_then(|e| e.since)
                .map_or_else(String::new, |d| format!(" (released {d})"));
            format!("stack `{v}` does not exist yet on {date}{released}")
        } else if heroku {
            format!("`{}` is a Heroku stack", diag::excerpt(v))
        } else if v == "container" {
            "`container` is Heroku's Docker stack".to_string()
        } else {
            format!("unknown stack `{}`", diag::excerpt(v))
        };
        let list = available.join(", ");
        let hint = if heroku {
            // heroku-22 and scalingo-22 share their Ubuntu base.
            let twin = v
                .strip_prefix("heroku-")
                .map(|n| format!("scalingo-{n}"))
                .filter(|t| available.contains(&t.as_str()));
            match twin {
                Some(t) => format!(
                    "`{t}` is Scalingo's stack on the same Ubuntu release; Scalingo's stacks on {date} are {list}"
                ),
                None => format!("Scalingo's stacks on {date} are {list}; {keep_default}"),
            }
        } else {
            match did_you_mean(v, &available) {
                Some(m) => format!("{m} Scalingo's stacks on {date} are {list}"),
                None => format!("Scalingo's stacks on {date} are {list}; {keep_default}"),
            }
        };
        let d = self
            .at(Code::UnknownStack, ptr, s.span)
            .message(format!("{what}: the platform keeps its default stack"))
            .hint(hint);
        self.push(d);
        None
    }

    /// `copy_parent_database_urls` (rule `MAN-6`, decision D-18).
    fn copy_parent(&mut self, mem: &Member, ptr: &Pointer<'_>) -> Option<Spanned<bool>> {
        let span = mem.value.span;
        match &mem.value.value {
            Json::Bool(b) => Some(Spanned::new(*b, span)),
            Json::String(s) if *s == "true" || *s == "false" => {
                let d = self
                    .at(Code::CopyParentString, ptr, span)
                    .message(format!(
                        "`copy_parent_database_urls` is the string \"{s}\": read as the boolean `{s}`"
                    ))
                    .hint(format!("write the boolean without quotes: `{s}`"));
                self.push(d);
                Some(Spanned::new(*s == "true", span))
            }
            other => {
                let found = match other {
                    Json::String(s) => format!("the string \"{}\"", diag::excerpt(s)),
                    Json::Number => {
                        format!("the number `{}`", diag::excerpt(mem.value.raw(self.text)))
                    }
                    o => diag::article(o.type_name()),
                };
                let d = self
                    .at(Code::CopyParentInvalid, ptr, span)
                    .message(format!(
                        "`copy_parent_database_urls` must be `true` or `false`, found {found}"
                    ))
                    .hint("write `true` to copy the parent's database URLs into review apps, `false` (the default) to use the review app's own addons");
                self.push(d);
                None
            }
        }
    }

    /// Heroku/dokku top-level keys (rule `MAN-8`).
    fn foreign_key(&mut self, mem: &Member, ptr: &Pointer<'_>) {
        let key = mem.key;
        let hint: Cow<'static, str> = match key {
            "buildpacks" => "Scalingo does not read `buildpacks` from the manifest: set `BUILDPACK_URL` in `env` for one buildpack, or list them in a `.buildpacks` file at the root of the app for several".into(),
            "environments" => environments_hint(&mem.value).into(),
            "image" => "Scalingo builds the app with its buildpacks; it does not read a Docker image from the manifest".into(),
            "keywords" => "keywords are for Heroku's button gallery; Scalingo ignores them (keep them if the file also serves Heroku)".into(),
            _ => "Scalingo does not redirect after a one-click deploy; the key is ignored (keep it if the file also serves Heroku)".into(),
        };
        // Concatenated rather than formatted: the most frequent finding of real manifests.
        let d = self
            .at(Code::ForeignKey, ptr, mem.key_span)
            .message(
                [
                    "`",
                    key,
                    "` is a recognised Heroku/dokku key, not used by Scalingo",
                ]
                .concat(),
            )
            .hint(hint);
        self.push(d);
    }

    // ------------------------------------------------------------------ env

    fn env(&mut self, node: &Node, ptr: &Pointer<'_>) -> Option<Vec<EnvVar>> {
        let Json::Object(members) = &node.value else {
            let d = self
                .at(Code::EnvNotObject, ptr, node.span)
                .message(format!(
                    "`env` must be an object, found {}",
                    diag::article(node.value.type_name())
                ))
                .hint(env_not_object_hint(&node.value));
            self.push(d);
            return None;
        };
        let mut out = Vec::with_capacity(members.len().min(MAX_ENV_ENTRIES));
        for (i, mem) in members.iter().enumerate() {
            if i == MAX_ENV_ENTRIES {
                let d = self
                    .at(Code::TooManyEnv, &ptr.key(mem.key), mem.key_span)
                    .message(format!(
                        "`env` has {} entries: at most {MAX_ENV_ENTRIES} are read, the rest are ignored",
                        members.len()
                    ))
                    .hint("split the configuration: set rarely changed variables on the parent app instead");
                self.push(d);
                break;
            }
            if let Some(var) = self.env_entry(mem, ptr) {
                out.push(var);
            }
        }
        Some(out)
    }

    /// One env entry; `None` when its value rule cannot be determined (rule `MAN-9`).
    fn env_entry(&mut self, mem: &Member, env_ptr: &Pointer<'_>) -> Option<EnvVar> {
        let ptr = env_ptr.key(mem.key);
        let name_ok = self.env_name(mem, &ptr);
        let node = &mem.value;
        let mut var = EnvVar {
            name: CompactString::new(mem.key),
            name_span: mem.key_span,
            span: node.span,
            description: None,
            value: EnvValue::Unset,
            required: false,
        };
        let mut empty = false;
        let value_ok = match &node.value {
            Json::Object(fields) => {
                empty = fields.is_empty();
                self.env_object(fields, &ptr, &mut var)
            }
            Json::String(s) => {
                let (hint, value): (Cow<'static, str>, _) = if *s == "secret" {
                    (
                        "to generate a secret, write `{\"generator\": \"secret\"}`; as written, the value is the word `secret`".into(),
                        EnvValue::Value { value: CompactString::new(s) },
                    )
                } else if s.is_empty() {
                    (
                        "an empty string deletes the variable; write `{\"value\": null}` to say so explicitly, or `{}` to leave it to the user".into(),
                        EnvValue::Delete,
                    )
                } else {
                    (
                        [
                            "write `{\"value\": \"",
                            &diag::excerpt(&json_escape(s)),
                            "\"}`: Scalingo documents env entries as objects",
                        ]
                        .concat()
                        .into(),
                        EnvValue::Value {
                            value: CompactString::new(s),
                        },
                    )
                };
                let d = self
                    .at(Code::EnvStringShorthand, &ptr, node.span)
                    .message(
                        [
                            "env entry `",
                            &diag::excerpt(mem.key),
                            "` is a bare string (Heroku shorthand): read as ",
                            if s.is_empty() {
                                "a deletion"
                            } else {
                                "its `value`"
                            },
                        ]
                        .concat(),
                    )
                    .hint(hint);
                self.push(d);
                var.value = value;
                self.value_length(s, &ptr, node.span)
            }
            Json::Number => {
                let n = node.raw(self.text);
                self.scalar_shorthand(mem.key, n, &ptr, node.span, &mut var)
            }
            Json::Bool(b) => {
                let text = if *b { "true" } else { "false" };
                self.scalar_shorthand(mem.key, text, &ptr, node.span, &mut var)
            }
            Json::Null => {
                let d = self
                    .at(Code::EnvNullShorthand, &ptr, node.span)
                    .message(format!(
                        "env entry `{}` is `null`: the variable is deleted",
                        diag::excerpt(mem.key)
                    ))
                    .hint("write `{\"value\": null}` to delete the variable explicitly");
                self.push(d);
                var.value = EnvValue::Delete;
                true
            }
            Json::Array(_) => {
                let d = self
                    .at(Code::EnvEntryArray, &ptr, node.span)
                    .message(format!(
                        "env entry `{}` is an array: an entry must be an object",
                        diag::excerpt(mem.key)
                    ))
                    .hint("write `{\"value\": \"...\"}`; to pass several values, join them in one string");
                self.push(d);
                false
            }
        };
        if mem.key == "PROJECT_DIR" {
            let d = self
                .at(Code::EnvProjectDir, &ptr, mem.key_span)
                .message("`PROJECT_DIR` in the manifest sets the variable but does not choose which manifest is read")
                .hint("the manifest is found with the `PROJECT_DIR` of the parent app (review app) or the one given at deploy time (one-click); set it there");
            self.push(d);
        }
        if let Some(v) = platform::platform_var(mem.key, self.date) {
            self.platform_var(v, &ptr, mem.key_span);
        }
        if empty {
            let d = self
                .at(Code::EnvUnset, &ptr, node.span)
                .message(format!(
                    "env entry `{}` is empty: it declares the variable without a value",
                    diag::excerpt(mem.key)
                ))
                .hint("the user sets it in a one-click deploy and a review app keeps the parent app's value; add a `description` (or `\"required\": true`) to say what it is for, or `value`/`generator` for a default");
            self.push(d);
        }
        (name_ok && value_ok).then_some(var)
    }

    /// Env variable name (rule `MAN-ENV-2`). True when valid.
    fn env_name(&mut self, mem: &Member, ptr: &Pointer<'_>) -> bool {
        let name = mem.key;
        let mut ok = true;
        let problem = names::env_name_fault(name).map(|fault| match fault {
            EnvNameFault::Empty => "it is empty".to_string(),
            EnvNameFault::Char(' ') => "it contains a space".to_string(),
            EnvNameFault::Char(c) if c.is_control() => {
                format!("it contains the control character U+{:04X}", c as u32)
            }
            EnvNameFault::Char(c) => format!("it contains `{c}`"),
            EnvNameFault::LeadingUnderscore => "it starts with `_`".to_string(),
            EnvNameFault::LeadingDigit => "it starts with a digit".to_string(),
        });
        if let Some(problem) = problem {
            ok = false;
            let fixed: String = name
                .chars()
                .map(|c| if names::is_env_name_char(c) { c } else { '_' })
                .collect::<String>()
                .trim_start_matches('_')
                .to_string();
            let valid_fix = names::is_env_name(&fixed) && fixed != name;
            let mut hint =
                "variable names use letters, digits and `_`, and start with a letter".to_string();
            if valid_fix {
                hint.push_str(&format!("; did you mean `{}`?", diag::excerpt(&fixed)));
            }
            let d = self
                .at(Code::EnvNameInvalid, ptr, mem.key_span)
                .message(format!(
                    "invalid variable name `{}`: {problem}",
                    diag::excerpt(name)
                ))
                .hint(hint);
            self.push(d);
        }
        if names::env_name_too_long(name) {
            ok = false;
            let d = self
                .at(Code::EnvNameTooLong, ptr, mem.key_span)
                .message(format!(
                    "variable name `{}` has {} characters: at most {MAX_ENV_NAME_CHARS} are allowed",
                    diag::excerpt(name),
                    name.chars().count()
                ))
                .hint("shorten the name");
            self.push(d);
        }
        ok
    }

    fn scalar_shorthand(
        &mut self,
        name: &str,
        text: &str,
        ptr: &Pointer<'_>,
        span: Span,
        var: &mut EnvVar,
    ) -> bool {
        let d = self
            .at(Code::EnvScalarShorthand, ptr, span)
            .message(format!(
                "env entry `{}` is the bare {} `{}`: read as the value \"{}\"",
                diag::excerpt(name),
                if text == "true" || text == "false" {
                    "boolean"
                } else {
                    "number"
                },
                diag::excerpt(text),
                diag::excerpt(text)
            ))
            .hint(format!(
                "write `{{\"value\": \"{}\"}}`: env values are strings",
                diag::excerpt(text)
            ));
        self.push(d);
        var.value = EnvValue::Value {
            value: CompactString::new(text),
        };
        self.value_length(text, ptr, span)
    }

    /// Rules `MAN-ENV-5` and `MAN-ENV-15`: the length of a value (or template) and the
    /// characters it holds. True when it can be set (within the limit, no NUL).
    fn value_length(&mut self, s: &str, ptr: &Pointer<'_>, span: Span) -> bool {
        let within = self.value_chars_length(s, ptr, span);
        if s.contains('\0') {
            let d = self
                .at(Code::EnvValueNul, ptr, span)
                .message("the text holds a NUL character (`\\u0000`), which no process environment can hold: the variable cannot be set as written")
                .hint("remove the NUL character");
            self.push(d);
            return false;
        }
        if s.contains(['\n', '\r']) {
            let d = self
                .at(Code::EnvValueLineBreak, ptr, span)
                .message("the text spans several lines: the platform sets it, but the dashboard cannot edit the app's environment afterwards")
                .hint(format!(
                    "encode the value in Base64 and decode it in the application, as the environment page advises{}",
                    platform::sources()
                        .iter()
                        .find(|src| src.id == "environment")
                        .map_or_else(String::new, |src| format!(" (source: {src})"))
                ));
            self.push(d);
        }
        within
    }

    /// Rule `MAN-ENV-5`. True when within the limit.
    fn value_chars_length(&mut self, s: &str, ptr: &Pointer<'_>, span: Span) -> bool {
        let limit = platform::env_value_max_chars(self.date);
        let max = limit.value;
        if !char_count_exceeds(s, max) {
            return true;
        }
        let since = limit
            .since
            .map_or_else(String::new, |d| format!(" since {d}"));
        let d = self
            .at(Code::EnvValueTooLong, ptr, span)
            .message(format!(
                "value of {} characters: at most {max} are allowed",
                s.chars().count()
            ))
            .hint(format!("store large content in the repository or an addon, and point to it from the variable (the limit is {max}{since}; source: {})", limit.source));
        self.push(d);
        false
    }

    /// An env entry object. True when its value rule is valid (rule `MAN-9`).
    fn env_object(&mut self, fields: &[Member], ptr: &Pointer<'_>, var: &mut EnvVar) -> bool {
        let keys = self.env_object_keys(fields, ptr, var);
        let mut ok = true;
        let literal = keys.value.and_then(|f| self.env_literal(f, ptr, &mut ok));
        let gen_name = keys
            .generator
            .and_then(|g| self.env_generator(g, keys.value, ptr, &var.name, &mut ok));
        let template_text = keys
            .template
            .and_then(|t| self.env_template(t, keys.generator, gen_name, ptr, &var.name, &mut ok));
        if gen_name == Some("template") && keys.template.is_none() {
            if let Some(g) = keys.generator {
                self.env_template_missing(g, ptr, &var.name);
                ok = false;
            }
        }
        if !ok {
            return false;
        }
        var.value = match gen_name {
            Some("secret") => EnvValue::Generator {
                generator: Generator::Secret,
            },
            Some("url") => EnvValue::Generator {
                generator: Generator::Url {
                    template: template_text,
                },
            },
            Some(_) => EnvValue::Generator {
                generator: Generator::Template {
                    template: template_text.unwrap_or_default(),
                },
            },
            None => literal.unwrap_or(EnvValue::Unset),
        };
        true
    }

    /// The members of an env entry object (rule `MAN-ENV-3`): `description` and `required`
    /// are read into `var`; `value`, `generator` and `template` are returned for the next
    /// steps; any other key is reported and ignored.
    fn env_object_keys<'m>(
        &mut self,
        fields: &'m [Member],
        ptr: &Pointer<'_>,
        var: &mut EnvVar,
    ) -> EnvObjectKeys<'m> {
        let mut value: Option<&Member> = None;
        let mut generator: Option<&Member> = None;
        let mut template: Option<&Member> = None;
        for f in fields {
            let fptr = ptr.key(f.key);
            match f.key {
                "value" => value = Some(f),
                "generator" => generator = Some(f),
                "template" => template = Some(f),
                "description" => match &f.value.value {
                    Json::String(s) => var.description = Some(CompactString::new(s)),
                    other => {
                        let d = self
                            .at(Code::EnvDescriptionType, &fptr, f.value.span)
                            .message(format!(
                                "`description` must be a string, found {}",
                                diag::article(other.type_name())
                            ))
                            .hint("write `\"description\": \"...\"`");
                        self.push(d);
                    }
                },
                "required" => var.required = self.required(f, &fptr),
                key => {
                    let hint = match key {
                        "default" => "the default value of a variable is written `value`".to_string(),
                        "sync" => "dokku's `sync`: Scalingo applies manifest env when the app is created; the key is ignored".to_string(),
                        "secret" => "to generate a secret, write `\"generator\": \"secret\"`".to_string(),
                        _ => did_you_mean(key, &ENV_ENTRY_KEYS).unwrap_or_else(|| {
                            format!("an env entry reads only {}", diag::keys_in_words(&ENV_ENTRY_KEYS))
                        }),
                    };
                    let d = self
                        .at(Code::EnvUnknownKey, &fptr, f.key_span)
                        .message(format!(
                            "unknown key `{}` in env entry `{}`: ignored",
                            diag::excerpt(key),
                            diag::excerpt(&var.name)
                        ))
                        .hint(hint);
                    self.push(d);
                }
            }
        }
        EnvObjectKeys {
            value,
            generator,
            template,
        }
    }

    /// The literal `value` of an env entry (rules `MAN-ENV-4`, `MAN-ENV-8`): `""` and `null`
    /// delete the variable; a number or boolean is read as its text, with a finding. Clears
    /// `ok` when the value cannot be used.
    fn env_literal(&mut self, f: &Member, ptr: &Pointer<'_>, ok: &mut bool) -> Option<EnvValue> {
        let fptr = ptr.key("value");
        match &f.value.value {
            Json::String("") => Some(EnvValue::Delete),
            Json::Null => Some(EnvValue::Delete),
            Json::String(s) => {
                *ok &= self.value_length(s, &fptr, f.value.span);
                Some(EnvValue::Value {
                    value: CompactString::new(s),
                })
            }
            Json::Number => {
                let n = f.value.raw(self.text);
                self.value_number(n, &fptr, f.value.span);
                *ok &= self.value_length(n, &fptr, f.value.span);
                Some(EnvValue::Value {
                    value: CompactString::new(n),
                })
            }
            Json::Bool(b) => {
                let t = if *b { "true" } else { "false" };
                self.value_boolean(t, &fptr, f.value.span);
                Some(EnvValue::Value {
                    value: CompactString::new(t),
                })
            }
            other => {
                let d = self
                    .at(Code::EnvValueInvalid, &fptr, f.value.span)
                    .message(format!(
                        "`value` must be a string, found {}",
                        diag::article(other.type_name())
                    ))
                    .hint("env values are strings; to store structured data, write it as a JSON string");
                self.push(d);
                *ok = false;
                None
            }
        }
    }

    /// The `generator` of an env entry (rule `MAN-ENV-5`): one of [`GENERATORS`], and not
    /// beside a `value`. Returns its name when it is known; clears `ok` on any problem.
    fn env_generator<'m>(
        &mut self,
        g: &'m Member,
        value: Option<&Member>,
        ptr: &Pointer<'_>,
        name: &str,
        ok: &mut bool,
    ) -> Option<&'m str> {
        let mut gen_name = None;
        let gptr = ptr.key("generator");
        match &g.value.value {
            Json::String(s) if GENERATORS.contains(s) => gen_name = Some(*s),
            Json::String(s) => {
                let hint = if let Some(m) = did_you_mean(s, &GENERATORS) {
                    format!("{m} generators are `secret`, `url` and `template` (lowercase)")
                } else if s.contains(' ') || s.contains('$') || s.contains('|') {
                    "dokku runs shell commands as generators; Scalingo does not: use `secret`, `url` or `template`, or write the result in `value`".to_string()
                } else {
                    "generators are `secret`, `url` and `template`".to_string()
                };
                let d = self
                    .at(Code::EnvUnknownGenerator, &gptr, g.value.span)
                    .message(format!("unknown generator `{}`", diag::excerpt(s)))
                    .hint(hint);
                self.push(d);
                *ok = false;
            }
            other => {
                let d = self
                    .at(Code::EnvGeneratorType, &gptr, g.value.span)
                    .message(format!(
                        "`generator` must be a string, found {}",
                        diag::article(other.type_name())
                    ))
                    .hint("write `\"generator\": \"secret\"`, `\"url\"` or `\"template\"`, or remove the key");
                self.push(d);
                *ok = false;
            }
        }
        if let Some(v) = value {
            let d = self
                .at(Code::EnvValueAndGenerator, &gptr, g.key_span)
                .message(format!(
                    "env entry `{}` has both `value` and `generator`",
                    diag::excerpt(name)
                ))
                .hint(if v.value.value == Json::Null {
                    "`\"value\": null` counts as a value (a deletion); keep either `value` or `generator`".to_string()
                } else {
                    "keep either `value` (a literal default) or `generator` (a generated default)".to_string()
                });
            self.push(d);
            *ok = false;
        }
        gen_name
    }

    /// The `template` of an env entry (rules `MAN-ENV-6`, `GEN-4`): a string, read only by
    /// the `template` and `url` generators. Returns its text; clears `ok` on any problem.
    fn env_template(
        &mut self,
        t: &Member,
        generator: Option<&Member>,
        gen_name: Option<&str>,
        ptr: &Pointer<'_>,
        name: &str,
        ok: &mut bool,
    ) -> Option<CompactString> {
        let mut template_text = None;
        let tptr = ptr.key("template");
        match &t.value.value {
            Json::String(s) => {
                *ok &= self.value_length(s, &tptr, t.value.span);
                self.template_tokens(s, &tptr, t.value.span);
                template_text = Some(CompactString::new(s));
            }
            other => {
                let d = self
                    .at(Code::EnvTemplateType, &tptr, t.value.span)
                    .message(format!(
                        "`template` must be a string, found {}",
                        diag::article(other.type_name())
                    ))
                    .hint("write `\"template\": \"%URL%/path\"`");
                self.push(d);
                *ok = false;
            }
        }
        if generator.is_none() {
            let d = self
                .at(Code::EnvTemplateWithoutGenerator, &tptr, t.key_span)
                .message(format!(
                    "env entry `{}` has a `template` but no `generator`: the template is never read",
                    diag::excerpt(name)
                ))
                .hint("add `\"generator\": \"template\"` (or `\"url\"`), or remove the template");
            self.push(d);
            *ok = false;
        } else if gen_name == Some("secret") {
            let d = self
                .at(Code::EnvTemplateWithSecret, &tptr, t.key_span)
                .message(format!(
                    "env entry `{}` has a `template` with the `secret` generator, which reads no template",
                    diag::excerpt(name)
                ))
                .hint("use `\"generator\": \"template\"` to build the value from the template, or remove the template");
            self.push(d);
            *ok = false;
        }
        template_text
    }

    /// The `template` generator without a `template` (rule `MAN-ENV-6`).
    fn env_template_missing(&mut self, g: &Member, ptr: &Pointer<'_>, name: &str) {
        let d = self
            .at(
                Code::EnvTemplateMissing,
                &ptr.key("generator"),
                g.value.span,
            )
            .message(format!(
                "env entry `{}` uses the `template` generator without a `template`",
                diag::excerpt(name)
            ))
            .hint("add `\"template\": \"...\"` with tokens such as `%APP%` or `%PR_NUMBER%`");
        self.push(d);
    }

    /// An env entry for a variable the platform sets itself on the date (rules
    /// `MAN-ENV-14`, `PLAT-11`, decision D-24): the documentation says the platform
    /// "injects" it; what happens to a value of the app's own is not documented, and the
    /// most plausible reading is that the injected value wins where it is injected.
    fn platform_var(&mut self, v: &platform::PlatformVar, ptr: &Pointer<'_>, span: Span) {
        let (where_, rest) = match (v.name, v.scope) {
            ("PORT", _) => (
                "in `web` containers (the port the server must bind)",
                "other containers keep this value",
            ),
            (_, platform::VarScope::Build) => {
                ("during the build", "running containers keep this value")
            }
            (_, platform::VarScope::Runtime) => {
                ("in every running container", "the build keeps this value")
            }
            (_, platform::VarScope::BuildAndRuntime) => (
                "during the build and in every running container",
                "this value is most plausibly never seen",
            ),
        };
        let hint = if v.name == "PORT" {
            format!(
                "remove the entry and bind the server to `$PORT`; for a port of your own elsewhere, use another name (source: {})",
                v.source
            )
        } else {
            format!(
                "remove the entry, or use another name for a value of your own (source: {})",
                v.source
            )
        };
        let d = self
            .at(Code::EnvPlatformVar, ptr, span)
            .message(format!(
                "`{}` is set by the platform itself {where_}: there its value most plausibly replaces this one ({rest}); what happens is not documented",
                v.name
            ))
            .hint(hint);
        self.push(d);
    }

    /// A number `value` (rule `MAN-ENV-4`, decision D-8 revised): the engine uses its JSON
    /// text; Scalingo documents string values only, and projects that wrote `"value": 1`
    /// rewrote it as a string, so the warning says what is known.
    fn value_number(&mut self, text: &str, ptr: &Pointer<'_>, span: Span) {
        let d = self
            .at(Code::EnvValueScalar, ptr, span)
            .message(format!(
                "`value` is the number `{}`: read here as the string \"{}\", but Scalingo documents string values only and how the platform reads a number is not documented",
                diag::excerpt(text),
                diag::excerpt(text)
            ))
            .hint(format!(
                "write `\"value\": \"{}\"`: env values are strings",
                diag::excerpt(text)
            ));
        self.push(d);
    }

    /// A boolean `value` (rule `MAN-ENV-4`, decision D-8 revised): documented by
    /// Scalingo's review apps page (`"BASIC_AUTH": {"value": true}`); the variable is the
    /// text `true` or `false`.
    fn value_boolean(&mut self, text: &str, ptr: &Pointer<'_>, span: Span) {
        let d = self
            .at(Code::EnvValueBoolean, ptr, span)
            .message(format!(
                "`value` is the boolean `{text}`: the variable is set to the text \"{text}\""
            ))
            .hint(format!(
                "an env variable is always text; write `\"value\": \"{text}\"` to say so, and test the text in the app (`\"false\"` is a non-empty string)"
            ));
        self.push(d);
    }

    /// `required` (rule `MAN-ENV-9`).
    fn required(&mut self, f: &Member, ptr: &Pointer<'_>) -> bool {
        match &f.value.value {
            Json::Bool(b) => *b,
            Json::String(s) if *s == "true" || *s == "false" => {
                let d = self
                    .at(Code::EnvRequiredString, ptr, f.value.span)
                    .message(format!("`required` is the string \"{s}\": read as `{s}`"))
                    .hint(format!("write the boolean without quotes: `{s}`"));
                self.push(d);
                *s == "true"
            }
            other => {
                let found = match other {
                    Json::String(s) => format!("the string \"{}\"", diag::excerpt(s)),
                    Json::Number => {
                        format!("the number `{}`", diag::excerpt(f.value.raw(self.text)))
                    }
                    o => diag::article(o.type_name()),
                };
                let d = self
                    .at(Code::EnvRequiredInvalid, ptr, f.value.span)
                    .message(format!("`required` must be `true` or `false`, found {found}"))
                    .hint("`required: true` makes a one-click deploy ask for a value; the default is `false`");
                self.push(d);
                false
            }
        }
    }

    /// Unknown `%TOKEN%`s in a template (rule `MAN-ENV-8`).
    fn template_tokens(&mut self, template: &str, ptr: &Pointer<'_>, span: Span) {
        // When the JSON string has no escapes, its source bytes are the template itself, so
        // a token's span can point at the token; otherwise the whole string is the span.
        let raw = self
            .text
            .get(span.start.saturating_add(1)..span.end.saturating_sub(1));
        let exact = raw == Some(template);
        for tok in scan_tokens(template) {
            if KNOWN_TOKENS.contains(&tok.name.as_str()) {
                continue;
            }
            let tspan = if exact {
                Span::new(span.start + 1 + tok.start, span.start + 1 + tok.end)
            } else {
                span
            };
            let hint = match suggest(diag::head(&tok.name), &KNOWN_TOKENS) {
                Some(m) => format!(
                    "did you mean `%{m}%`? Tokens are {} (uppercase)",
                    crate::manifest::template::known_tokens_phrase()
                ),
                None => format!(
                    "tokens are {}; other text between `%` signs is kept as written",
                    crate::manifest::template::known_tokens_phrase()
                ),
            };
            let d = self
                .at(Code::EnvUnknownToken, ptr, tspan)
                .message(format!(
                    "unknown template token `%{}%`: kept verbatim",
                    diag::excerpt(&tok.name)
                ))
                .hint(hint);
            self.push(d);
        }
    }

    // ------------------------------------------------------------------ addons

    fn addons(&mut self, node: &Node, ptr: &Pointer<'_>) -> Option<Vec<AddonSpec>> {
        let Json::Array(items) = &node.value else {
            let hint = match &node.value {
                Json::Null => "write `[]` for no addons, or remove the key to copy the parent app's addons (review apps)",
                Json::Object(_) => "write a list: `[\"redis\", {\"plan\": \"postgresql:postgresql-starter-512\"}]`",
                _ => "write a list such as `[\"redis:redis-starter-128\"]`",
            };
            let d = self
                .at(Code::AddonsNotArray, ptr, node.span)
                .message(format!(
                    "`addons` must be an array, found {}",
                    diag::article(node.value.type_name())
                ))
                .hint(hint);
            self.push(d);
            return None;
        };
        let mut out = Vec::with_capacity(items.len().min(MAX_ADDONS));
        for (i, item) in items.iter().enumerate() {
            let iptr = ptr.index(i);
            if i == MAX_ADDONS {
                let d = self
                    .at(Code::TooManyAddons, &iptr, item.span)
                    .message(format!(
                        "`addons` has {} elements: at most {MAX_ADDONS} are read, the rest are ignored",
                        items.len()
                    ))
                    .hint("an app needs one addon per provider");
                self.push(d);
                break;
            }
            if let Some(a) = self.addon(item, &iptr) {
                out.push(a);
            }
        }
        Some(out)
    }

    fn addon(&mut self, item: &Node, ptr: &Pointer<'_>) -> Option<AddonSpec> {
        match &item.value {
            Json::String(s) => {
                let (addon, plan) = self.addon_ref(s, ptr, item.span, "addon")?;
                let shape = if plan.is_some() {
                    AddonShape::NamePlan
                } else {
                    AddonShape::Name
                };
                Some(AddonSpec {
                    addon,
                    plan,
                    version: None,
                    shape,
                    span: item.span,
                })
            }
            Json::Object(fields) => self.addon_object(fields, item.span, ptr),
            other => {
                let d = self
                    .at(Code::AddonBadShape, ptr, item.span)
                    .message(format!(
                        "addon must be a string or an object, found {}",
                        diag::article(other.type_name())
                    ))
                    .hint("write `\"redis\"`, `\"redis:redis-starter-128\"` or `{\"plan\": \"redis:redis-starter-128\"}`; this element is not provisioned");
                self.push(d);
                None
            }
        }
    }

    /// Parses `provider[:plan]` (rules `MAN-ADD-2`, `MAN-ADD-3`, `MAN-ADD-9`).
    fn addon_ref(
        &mut self,
        s: &str,
        ptr: &Pointer<'_>,
        span: Span,
        what: &str,
    ) -> Option<(CompactString, Option<CompactString>)> {
        let (provider, plan) = match s.split_once(':') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let problem = if s.is_empty() {
            Some(format!("the {what} is empty"))
        } else if plan.is_some_and(|p| p.contains(':')) {
            Some("it has more than one `:`".to_string())
        } else if provider.is_empty() {
            Some("the provider before `:` is empty".to_string())
        } else if plan == Some("") {
            Some("the plan after `:` is empty".to_string())
        } else {
            [Some(provider), plan]
                .into_iter()
                .flatten()
                .find(|p| !is_addon_id(p))
                .map(id_problem)
        };
        if let Some(problem) = problem {
            let lower = s.trim().to_ascii_lowercase();
            let mut hint = "write `provider` or `provider:plan` with lowercase letters, digits, `-`, `_` and `.`, for example `postgresql:postgresql-starter-512`".to_string();
            if lower != s && lower.split(':').count() <= 2 && lower.split(':').all(is_addon_id) {
                hint = format!(
                    "did you mean `{}`? Provider and plan IDs use lowercase letters, digits, `-`, `_` and `.`",
                    diag::excerpt(&lower)
                );
            }
            let d = self
                .at(Code::AddonInvalidRef, ptr, span)
                .message(format!("invalid {what} `{}`: {problem}", diag::excerpt(s)))
                .hint(hint);
            self.push(d);
            return None;
        }
        let mut provider = CompactString::new(provider);
        if let Some(rest) = legacy_provider_rest(&provider) {
            let rest = CompactString::new(rest);
            let d = self
                .at(Code::AddonLegacyName, ptr, span)
                .message(format!(
                    "legacy provider name `{}`: read as `{rest}`",
                    diag::excerpt(&provider)
                ))
                .hint(format!(
                    "write `{rest}`: the `scalingo-` prefix dates from 2015"
                ));
            self.push(d);
            provider = rest;
        }
        let scalingo = match provider.as_str() {
            "heroku-postgresql" => Some("postgresql"),
            "heroku-redis" => Some("redis"),
            _ => None,
        };
        if scalingo.is_some() || provider.starts_with("heroku-") {
            let hint: Cow<'static, str> = match scalingo {
                Some(p) => format!(
                    "Scalingo's provider is `{p}`: write `{p}` or `{p}:<plan>` (`scalingo addons-plans {p}` lists the plans)"
                ).into(),
                None => "use the Scalingo provider of the same service (`scalingo addons-list` lists them)".into(),
            };
            let d = self
                .at(Code::AddonHerokuProvider, ptr, span)
                .message([
                    "`",
                    &diag::excerpt(&provider),
                    "` is a Heroku add-on, not a Scalingo addon provider: no such addon can be provisioned, and whether the deployment then stops or goes on without it is not documented",
                ].concat())
                .hint(hint);
            self.push(d);
        }
        if let Some(p) = plan {
            self.retired_plan(&provider, p, ptr, span);
        }
        Some((provider, plan.map(CompactString::new)))
    }

    /// A plan retired on the date (rules `MAN-ADD-10`, `PLAT-10`, decision D-22): the
    /// platform provisions the replacement the catalogue names, made specific to the
    /// provider without inventing a plan name.
    fn retired_plan(&mut self, provider: &str, plan: &str, ptr: &Pointer<'_>, span: Span) {
        let Some(r) = platform::plan_retirement(plan, self.date) else {
            return;
        };
        let instead = r.replacement_for(provider);
        let d = self
            .at(Code::AddonPlanRetired, ptr, span)
            .message(format!(
                "plan `{}` is retired since {}: the platform provisions {instead} instead",
                diag::excerpt(plan),
                r.since
            ))
            .hint(format!(
                "choose a current plan: `scalingo addons-plans {}` lists them (source: {})",
                diag::excerpt(provider),
                r.source
            ));
        self.push(d);
    }

    fn addon_object(
        &mut self,
        fields: &[Member],
        span: Span,
        ptr: &Pointer<'_>,
    ) -> Option<AddonSpec> {
        let get = |k: &str| fields.iter().find(|f| f.key == k);
        let plan = get("plan");
        let provider_id = get("addon_provider_id");
        let plan_id = get("plan_id");
        let mut ok = true;
        // keys
        for f in fields {
            let fptr = ptr.key(f.key);
            match f.key {
                "plan" | "options" | "addon_provider_id" | "plan_id" => {}
                HEROKU_ADDON_AS => {
                    let d = self
                        .at(Code::AddonAsIgnored, &fptr, f.key_span)
                        .message("Heroku's `as` (attachment name) is ignored: Scalingo names the addon's variables after its provider")
                        .hint("remove `as`; Scalingo names the variables after the provider, for example `SCALINGO_POSTGRESQL_URL` for `postgresql`");
                    self.push(d);
                }
                key => {
                    let d = self
                        .at(Code::AddonUnknownKey, &fptr, f.key_span)
                        .message(format!("unknown key `{}` in an addon: ignored", diag::excerpt(key)))
                        .hint(did_you_mean(key, &ADDON_KEYS).unwrap_or_else(|| {
                            "an addon object reads `plan` and `options` (`{\"plan\": \"redis:redis-starter-128\", \"options\": {\"version\": \"7\"}}`)".to_string()
                        }));
                    self.push(d);
                }
            }
        }
        let (shape, addon, plan_out) = if let Some(p) = plan {
            if let Some(a) = provider_id {
                let d = self
                    .at(
                        Code::AddonMixedShapes,
                        &ptr.key("addon_provider_id"),
                        a.key_span,
                    )
                    .message("the addon has both `plan` and the legacy `addon_provider_id`")
                    .hint("keep only `plan: \"provider:plan\"`");
                self.push(d);
                ok = false;
            }
            let pptr = ptr.key("plan");
            let parsed = match &p.value.value {
                Json::String(s) => self.addon_ref(s, &pptr, p.value.span, "plan"),
                other => {
                    self.addon_field_type(&pptr, p.value.span, "plan", other);
                    None
                }
            };
            match parsed {
                Some((a, pl)) => (AddonShape::Object, a, pl),
                None => return None,
            }
        } else if let Some(a) = provider_id {
            let d = self
                .at(Code::AddonLegacyObject, ptr, span)
                .message("legacy addon shape `{addon_provider_id, plan_id}` (2020-2021): the platform ignores it, so this addon is not provisioned")
                .hint(legacy_hint(a, plan_id));
            self.push(d);
            let aptr = ptr.key("addon_provider_id");
            let provider = match &a.value.value {
                Json::String(s) if !s.contains(':') => {
                    self.addon_ref(s, &aptr, a.value.span, "addon_provider_id")
                }
                Json::String(s) => {
                    let d = self
                        .at(Code::AddonInvalidRef, &aptr, a.value.span)
                        .message(format!(
                            "invalid addon_provider_id `{}`: it contains `:`",
                            diag::excerpt(s)
                        ))
                        .hint("`addon_provider_id` names only the provider; the plan goes in `plan_id`");
                    self.push(d);
                    None
                }
                other => {
                    self.addon_field_type(&aptr, a.value.span, "addon_provider_id", other);
                    None
                }
            };
            let plan = match plan_id {
                None => Some(None),
                Some(p) => {
                    let pptr = ptr.key("plan_id");
                    match &p.value.value {
                        Json::String(s) if !s.is_empty() && is_addon_id(s) => {
                            Some(Some(CompactString::new(s)))
                        }
                        Json::String(s) => {
                            let problem = if s.is_empty() {
                                "it is empty".to_string()
                            } else {
                                id_problem(s)
                            };
                            let d = self
                                .at(Code::AddonInvalidRef, &pptr, p.value.span)
                                .message(format!("invalid plan_id `{}`: {problem}", diag::excerpt(s)))
                                .hint("write a plan ID such as `redis-starter-128`, or remove `plan_id` for the default plan");
                            self.push(d);
                            None
                        }
                        other => {
                            self.addon_field_type(&pptr, p.value.span, "plan_id", other);
                            None
                        }
                    }
                }
            };
            match (provider, plan) {
                (Some((a, _)), Some(pl)) => (AddonShape::Legacy, a, pl),
                _ => return None,
            }
        } else {
            let d = self
                .at(Code::AddonMissingPlan, ptr, span)
                .message("addon object without `plan`: nothing says which addon to provision")
                .hint("write `{\"plan\": \"provider:plan\"}`, for example `{\"plan\": \"redis:redis-starter-128\"}`; this element is not provisioned");
            self.push(d);
            return None;
        };
        if plan_id.is_some() && plan.is_some() {
            let f = plan_id.map(|f| f.key_span).unwrap_or(span);
            let d = self
                .at(Code::AddonMixedShapes, &ptr.key("plan_id"), f)
                .message("the addon has both `plan` and the legacy `plan_id`")
                .hint("keep only `plan: \"provider:plan\"`");
            self.push(d);
            ok = false;
        }
        let version = match get("options") {
            Some(o) => self.addon_options(o, ptr)?,
            None => None,
        };
        // MAN-ADD-6 (decision D-6, revised): the platform ignores a legacy object, so it
        // is checked and reported, then left out: nothing provisions it.
        (ok && shape != AddonShape::Legacy).then_some(AddonSpec {
            addon,
            plan: plan_out,
            version,
            shape,
            span,
        })
    }

    /// `options` of an addon (rule `MAN-ADD-5`): `Some(version)` when valid.
    fn addon_options(&mut self, o: &Member, ptr: &Pointer<'_>) -> Option<Option<CompactString>> {
        let optr = ptr.key("options");
        let Json::Object(opts) = &o.value.value else {
            self.addon_field_type(&optr, o.value.span, "options", &o.value.value);
            return None;
        };
        let mut version = None;
        let mut ok = true;
        for opt in opts.iter() {
            let vptr = optr.key(opt.key);
            if opt.key != "version" {
                let d = self
                    .at(Code::AddonOptionIgnored, &vptr, opt.key_span)
                    .message(format!(
                        "addon option `{}` is ignored: only `version` is read",
                        diag::excerpt(opt.key)
                    ))
                    .hint(match did_you_mean(opt.key, &ADDON_OPTION_KEYS) {
                        Some(m) => m,
                        None => "configure the addon after it is provisioned (dashboard, CLI or the addon's own settings)".to_string(),
                    });
                self.push(d);
                continue;
            }
            match &opt.value.value {
                Json::String("") => {
                    let d = self
                        .at(Code::AddonVersionEmpty, &vptr, opt.value.span)
                        .message("`version` is empty: the default version is used")
                        .hint("write a version such as `\"15\"`, or remove `version`");
                    self.push(d);
                }
                Json::String(s) => version = Some(CompactString::new(s)),
                Json::Number => {
                    let n = opt.value.raw(self.text);
                    let d = self
                        .at(Code::AddonVersionNumber, &vptr, opt.value.span)
                        .message(format!(
                            "`version` is the number `{}`: used as the string \"{}\"",
                            diag::excerpt(n),
                            diag::excerpt(n)
                        ))
                        .hint(format!(
                            "write `\"version\": \"{}\"`: a number can lose digits (`9.10` is `9.1`)",
                            diag::excerpt(n)
                        ));
                    self.push(d);
                    version = Some(CompactString::new(n));
                }
                other => {
                    self.addon_field_type(&vptr, opt.value.span, "version", other);
                    ok = false;
                }
            }
        }
        ok.then_some(version)
    }

    fn addon_field_type(&mut self, ptr: &Pointer<'_>, span: Span, field: &str, found: &Json) {
        let expected = if field == "options" {
            "an object"
        } else {
            "a string"
        };
        let hint = match field {
            "options" => "write `\"options\": {\"version\": \"...\"}`, or remove `options`",
            "version" => "write the version as a string, such as `\"15\"`, or remove it for the default version",
            _ => "write `\"plan\": \"provider:plan\"`, for example `\"redis:redis-starter-128\"`",
        };
        let d = self
            .at(Code::AddonFieldType, ptr, span)
            .message(format!(
                "`{field}` must be {expected}, found {}; this addon is not provisioned",
                diag::article(found.type_name())
            ))
            .hint(hint);
        self.push(d);
    }

    // ------------------------------------------------------------------ formation

    fn formation(&mut self, node: &Node, ptr: &Pointer<'_>) -> Option<Vec<FormationEntry>> {
        let Json::Object(members) = &node.value else {
            let hint = match &node.value {
                Json::Array(_) => "Scalingo's formation is an object keyed by process type: `{\"web\": {\"amount\": 1, \"size\": \"M\"}}` (not the old Heroku list of `{process, quantity}`)",
                _ => "write `{\"web\": {\"amount\": 1, \"size\": \"M\"}}`",
            };
            let d = self
                .at(Code::FormationNotObject, ptr, node.span)
                .message(format!(
                    "`formation` must be an object, found {}",
                    diag::article(node.value.type_name())
                ))
                .hint(hint);
            self.push(d);
            return None;
        };
        let mut out = Vec::with_capacity(members.len().min(MAX_FORMATION_ENTRIES));
        for (i, mem) in members.iter().enumerate() {
            let eptr = ptr.key(mem.key);
            if i == MAX_FORMATION_ENTRIES {
                let d = self
                    .at(Code::TooManyFormation, &eptr, mem.key_span)
                    .message(format!(
                        "`formation` has {} entries: at most {MAX_FORMATION_ENTRIES} are read, the rest are ignored",
                        members.len()
                    ))
                    .hint("an app has one entry per process type of its Procfile");
                self.push(d);
                break;
            }
            if let Some(e) = self.formation_entry(mem, &eptr) {
                out.push(e);
            }
        }
        Some(out)
    }

    fn formation_entry(&mut self, mem: &Member, ptr: &Pointer<'_>) -> Option<FormationEntry> {
        let key_ok = self.process_type(mem, ptr);
        let Json::Object(fields) = &mem.value.value else {
            let d = self
                .at(Code::FormationEntryNotObject, ptr, mem.value.span)
                .message(format!(
                    "formation entry `{}` must be an object, found {}",
                    diag::excerpt(mem.key),
                    diag::article(mem.value.value.type_name())
                ))
                .hint(match &mem.value.value {
                    Json::Number => format!(
                        "write `{{\"amount\": {}}}`",
                        diag::excerpt(mem.value.raw(self.text))
                    ),
                    _ => "write `{\"amount\": 1, \"size\": \"M\"}`".to_string(),
                });
            self.push(d);
            return None;
        };
        let mut amount: Option<(Option<u32>, Span)> = None;
        let mut quantity: Option<(Option<u32>, Span)> = None;
        let mut size: Option<ContainerSize> = None;
        for f in fields.iter() {
            let fptr = ptr.key(f.key);
            match f.key {
                "amount" => amount = Some((self.amount(f, &fptr), f.key_span)),
                "quantity" => quantity = Some((self.amount(f, &fptr), f.key_span)),
                "size" => size = self.size(f, &fptr),
                key => {
                    let hint = match key {
                        "autoscaling" => "Heroku/dokku autoscaling is not read from the manifest; on Scalingo, configure the autoscaler on the app".to_string(),
                        "max_parallel" | "service" => format!("`{key}` is a dokku setting; Scalingo ignores it"),
                        _ => did_you_mean(key, &FORMATION_ENTRY_KEYS).unwrap_or_else(|| {
                            format!("a formation entry reads {}", diag::keys_in_words(&FORMATION_ENTRY_KEYS))
                        }),
                    };
                    let d = self
                        .at(Code::FormationUnknownKey, &fptr, f.key_span)
                        .message(format!(
                            "unknown key `{}` in formation entry `{}`: ignored",
                            diag::excerpt(key),
                            diag::excerpt(mem.key)
                        ))
                        .hint(hint);
                    self.push(d);
                }
            }
        }
        let amount = match (amount, quantity) {
            (Some(_), Some((_, qspan))) => {
                let d = self
                    .at(Code::AmountAndQuantity, &ptr.key("quantity"), qspan)
                    .message(format!(
                        "formation entry `{}` has both `amount` and Heroku's `quantity`",
                        diag::excerpt(mem.key)
                    ))
                    .hint("keep only `amount`");
                self.push(d);
                None
            }
            (Some((a, _)), None) => a,
            (None, Some((q, qspan))) => {
                let d = self
                    .at(Code::QuantityUsed, &ptr.key("quantity"), qspan)
                    .message(
                        [
                            "formation entry `",
                            &diag::excerpt(mem.key),
                            "` uses Heroku's `quantity`: read as `amount`",
                        ]
                        .concat(),
                    )
                    .hint("rename `quantity` to `amount`");
                self.push(d);
                q
            }
            (None, None) => None,
        };
        key_ok.then(|| FormationEntry {
            process_type: CompactString::new(mem.key),
            name_span: mem.key_span,
            span: mem.value.span,
            amount,
            size,
        })
    }

    /// Formation keys (rule `MAN-FRM-2`). True when valid.
    fn process_type(&mut self, mem: &Member, ptr: &Pointer<'_>) -> bool {
        let name = mem.key;
        if name == procfile::POSTDEPLOY {
            let d = self
                .at(Code::ProcessTypePostdeploy, ptr, mem.key_span)
                .message("`postdeploy` is the name of the deployment hook, not a container type: this formation entry starts no container and is ignored")
                .hint("remove this entry; to run a command after each deployment, write it on a `postdeploy:` line of the Procfile (it runs in a one-off container; `scripts.first-deploy` covers the first deployment of a review app)");
            self.push(d);
            return false;
        }
        // The Procfile's name rule (`PROC-2`, decision D-15).
        if procfile::is_valid_name(name) {
            return true;
        }
        let valid_chars = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
        let problem = if name.is_empty() {
            "it is empty".to_string()
        } else if !valid_chars {
            let c = name
                .chars()
                .find(|c| !c.is_ascii_alphanumeric())
                .unwrap_or(' ');
            match c {
                ' ' => "it contains a space".to_string(),
                c if c.is_control() => {
                    format!("it contains the control character U+{:04X}", c as u32)
                }
                c => format!("it contains `{c}`"),
            }
        } else {
            format!("it has {} characters", name.chars().count())
        };
        let mut hint = format!(
            "Scalingo process types are alphanumeric (`[A-Za-z0-9]`), at most {MAX_PROCESS_TYPE_CHARS} characters, and must match a Procfile line"
        );
        if let Some(fix) = camel_case(name) {
            hint.push_str(&format!("; for example `{}`", diag::excerpt(&fix)));
        }
        let d = self
            .at(Code::ProcessTypeInvalid, ptr, mem.key_span)
            .message(format!(
                "invalid process type `{}`: {problem}",
                diag::excerpt(name)
            ))
            .hint(hint);
        self.push(d);
        false
    }

    /// `amount` and `quantity` values (rules `MAN-FRM-4`, `LIM-6`).
    fn amount(&mut self, f: &Member, ptr: &Pointer<'_>) -> Option<u32> {
        let span = f.value.span;
        let key = f.key;
        let bad = |hint: String| (format!("`{key}` must be a non-negative integer"), hint);
        let (message, hint) = match &f.value.value {
            Json::Number => {
                let raw = f.value.raw(self.text);
                if let Some(n) = integer_literal(raw) {
                    if n <= u64::from(MAX_AMOUNT) {
                        return u32::try_from(n).ok();
                    }
                    let d = self
                        .at(Code::AmountTooLarge, ptr, span)
                        .message(format!(
                            "`{key}` is `{}`: at most {MAX_AMOUNT} containers per process type",
                            diag::excerpt(raw)
                        ))
                        .hint(format!("write at most `{MAX_AMOUNT}`"));
                    self.push(d);
                    return None;
                }
                let (msg, hint) = bad(number_hint(raw));
                (format!("{msg}, found `{}`", diag::excerpt(raw)), hint)
            }
            Json::String(s) if integer_literal(s).is_some() => {
                let (msg, _) = bad(String::new());
                (
                    format!("{msg}, found the string \"{}\"", diag::excerpt(s)),
                    format!("write the number without quotes: `{}`", diag::excerpt(s)),
                )
            }
            other => {
                let (msg, hint) = bad(
                    "write a whole number of containers such as `1`; `0` starts none".to_string(),
                );
                (
                    format!("{msg}, found {}", diag::article(other.type_name())),
                    hint,
                )
            }
        };
        let d = self
            .at(Code::AmountInvalid, ptr, span)
            .message(message)
            .hint(hint);
        self.push(d);
        None
    }

    /// `size` (rule `MAN-FRM-3`, decision D-15).
    fn size(&mut self, f: &Member, ptr: &Pointer<'_>) -> Option<ContainerSize> {
        let span = f.value.span;
        let date = self.date;
        let sizes: Vec<&str> = platform::container_sizes()
            .iter()
            .filter(|s| platform::container_size(s.name, date).is_some())
            .map(|s| s.name)
            .collect();
        let list = sizes.join(", ");
        match &f.value.value {
            Json::String(s) => {
                if let Some(size) = ContainerSize::parse(s) {
                    if platform::container_size(s, date).is_some() {
                        return Some(size);
                    }
                    let fact = platform::container_size_named(s);
                    let since = fact
                        .and_then(|c| c.since)
                        .map_or_else(String::new, |d| format!(" from {d}"));
                    let source =
                        fact.map_or_else(String::new, |c| format!(" (source: {})", c.source));
                    let d = self
                        .at(Code::UnknownSize, ptr, span)
                        .message(format!("container size `{s}` is not available on {date}"))
                        .hint(format!(
                            "the platform offers `{s}`{since}{source}; sizes on {date} are {list}"
                        ));
                    self.push(d);
                    return None;
                }
                let lower = s.to_ascii_lowercase();
                let heroku = HEROKU_SIZES.contains(&lower.as_str())
                    || ["standard-", "performance-", "private-", "shield-"]
                        .iter()
                        .any(|p| lower.starts_with(p));
                let message = if heroku {
                    format!(
                        "`{}` is a Heroku dyno size, not a Scalingo container size",
                        diag::excerpt(s)
                    )
                } else {
                    format!("unknown container size `{}`", diag::excerpt(s))
                };
                let hint = match suggest(diag::head(s), &sizes) {
                    Some(m) if !heroku => format!("sizes are {list}; did you mean `{m}`?"),
                    _ => {
                        let mem =
                            |n: &str| platform::container_size_named(n).map_or(0, |c| c.memory_mb);
                        let (lo, hi) = (sizes.first().copied(), sizes.last().copied());
                        let default = platform::default_container_size().value;
                        format!(
                            "sizes are {list} ({} MB to {} MB; {default}, {} MB, is the default)",
                            lo.map_or(0, mem),
                            hi.map_or(0, mem),
                            mem(default)
                        )
                    }
                };
                let d = self
                    .at(Code::UnknownSize, ptr, span)
                    .message(message)
                    .hint(hint);
                self.push(d);
                None
            }
            other => {
                let d = self
                    .at(Code::SizeType, ptr, span)
                    .message(format!(
                        "`size` must be a string, found {}",
                        diag::article(other.type_name())
                    ))
                    .hint(format!(
                        "write one of {list} in quotes, for example `\"M\"`"
                    ));
                self.push(d);
                None
            }
        }
    }

    // ------------------------------------------------------------------ scripts

    fn scripts(&mut self, node: &Node, ptr: &Pointer<'_>) -> Scripts {
        let mut out = Scripts::default();
        let Json::Object(members) = &node.value else {
            let d = self
                .at(Code::ScriptsNotObject, ptr, node.span)
                .message(format!(
                    "`scripts` must be an object, found {}",
                    diag::article(node.value.type_name())
                ))
                .hint("write `{\"first-deploy\": \"<command>\"}`");
            self.push(d);
            return out;
        };
        for mem in members.iter() {
            let sptr = ptr.key(mem.key);
            match mem.key {
                "first-deploy" => out.first_deploy = self.script(mem, &sptr),
                "postdeploy" => out.postdeploy = self.script(mem, &sptr),
                key if FOREIGN_SCRIPT_KEYS.contains(&key) => {
                    let (who, hint) = match key {
                        "pr-predestroy" => ("Heroku", "Scalingo runs no script before deleting a review app"),
                        "dokku" => ("dokku", "Scalingo runs `first-deploy` once and the Procfile's `postdeploy:` after each deployment"),
                        _ => ("Heroku CI", "Scalingo does not run Heroku CI scripts"),
                    };
                    let d = self
                        .at(Code::ForeignScript, &sptr, mem.key_span)
                        .message(format!(
                            "`scripts.{key}` is a recognised {who} script, not used by Scalingo"
                        ))
                        .hint(hint);
                    self.push(d);
                }
                key => {
                    let hint = match key {
                        "predeploy" | "release" => "Scalingo runs no script before deploying; to run a command after each deployment, use a `postdeploy:` line in the Procfile".to_string(),
                        _ => did_you_mean(key, &SCRIPT_KEYS).unwrap_or_else(|| {
                            "`scripts` reads only `first-deploy` (and the deprecated `postdeploy`)".to_string()
                        }),
                    };
                    let d = self
                        .at(Code::UnknownScript, &sptr, mem.key_span)
                        .message(format!("unknown script `{}`: ignored", diag::excerpt(key)))
                        .hint(hint);
                    self.push(d);
                }
            }
        }
        out
    }

    fn script(&mut self, mem: &Member, ptr: &Pointer<'_>) -> Option<Spanned<CompactString>> {
        let key = mem.key;
        let span = mem.value.span;
        let Json::String(s) = &mem.value.value else {
            let d = self
                .at(Code::ScriptType, ptr, span)
                .message(format!(
                    "`scripts.{key}` must be a string, found {}",
                    diag::article(mem.value.value.type_name())
                ))
                .hint("write one shell command line, for example `\"bundle exec rake db:migrate\"`; chain commands with `&&`");
            self.push(d);
            return None;
        };
        if s.trim().is_empty() {
            let d = self
                .at(Code::ScriptEmpty, ptr, span)
                .message(format!("`scripts.{key}` is empty: no script runs"))
                .hint("remove the key, or write the command to run");
            self.push(d);
            return None;
        }
        if key == "postdeploy" {
            let d = self
                .at(Code::PostdeployDeprecated, ptr, mem.key_span)
                .message("`scripts.postdeploy` is deprecated")
                .hint("move the command to a `postdeploy:` line of the Procfile (it runs after each deployment), or to `scripts.first-deploy` if it should run once");
            self.push(d);
        }
        Some(Spanned::new(CompactString::new(s), span))
    }
}

/// Heroku dyno sizes, lowercase (rule `MAN-FRM-3`).
const HEROKU_SIZES: [&str; 6] = ["free", "eco", "hobby", "basic", "standard", "performance"];

fn environments_hint(node: &Node) -> String {
    let keys: Vec<&str> = match &node.value {
        Json::Object(m) => m.iter().map(|m| m.key).collect(),
        _ => Vec::new(),
    };
    let mut hint = String::from("Scalingo has no per-environment sections");
    if keys.contains(&"review") {
        hint.push_str(": review apps use the top-level keys, so move what `environments.review` sets to the top level");
    } else {
        hint.push_str(": the top-level keys apply to review apps and one-click deploys alike");
    }
    if keys.contains(&"test") {
        hint.push_str("; `environments.test` configures Heroku CI, which Scalingo does not run");
    }
    hint
}

fn env_not_object_hint(v: &Json) -> String {
    match v {
        Json::Array(_) => {
            "write an object keyed by variable name: `{\"NAME\": {\"value\": \"...\"}}`".to_string()
        }
        Json::Null => "write `{}` or remove the key".to_string(),
        _ => "write `{\"NAME\": {\"value\": \"...\"}}`".to_string(),
    }
}

/// The provider a legacy `scalingo-<name>` provider is read as (`<name>`), rule
/// `MAN-ADD-3`; `None` for any other provider (`scalingo-` alone included).
fn legacy_provider_rest(provider: &str) -> Option<&str> {
    provider.strip_prefix("scalingo-").filter(|r| !r.is_empty())
}

/// The hint of SM0308: the current shape of a legacy addon object, with the provider as it
/// is read (a legacy `scalingo-` prefix dropped, rule `MAN-ADD-3`).
fn legacy_hint(provider: &Member, plan_id: Option<&Member>) -> String {
    match (&provider.value.value, plan_id.map(|p| &p.value.value)) {
        (Json::String(a), Some(Json::String(p))) => format!(
            "write `{{\"plan\": \"{}:{}\"}}` to provision it (the current shape since April 2021)",
            diag::excerpt(legacy_provider_rest(a).unwrap_or(a)),
            diag::excerpt(p)
        ),
        (Json::String(a), None) => format!(
            "write `{{\"plan\": \"{}\"}}` to provision it (the current shape since April 2021)",
            diag::excerpt(legacy_provider_rest(a).unwrap_or(a))
        ),
        _ => {
            "write `{\"plan\": \"provider:plan\"}` to provision it (the current shape since April 2021)".to_string()
        }
    }
}

/// `[a-z0-9][a-z0-9._-]*` (rule `MAN-ADD-2`).
fn is_addon_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

fn id_problem(s: &str) -> String {
    match s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')))
    {
        Some(c) if c.is_ascii_uppercase() => {
            format!("`{}` has an uppercase letter", diag::excerpt(s))
        }
        Some(' ') => format!("`{}` contains a space", diag::excerpt(s)),
        Some(c) if c.is_control() => format!(
            "`{}` contains the control character U+{:04X}",
            diag::excerpt(s),
            c as u32
        ),
        Some(c) => format!("`{}` contains `{c}`", diag::excerpt(s)),
        None => format!("`{}` must start with a letter or a digit", diag::excerpt(s)),
    }
}

/// `0` or a decimal integer without sign, fraction, exponent or leading zero; saturates at
/// `u64::MAX` (rule `MAN-FRM-4`).
fn integer_literal(raw: &str) -> Option<u64> {
    let b = raw.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    Some(b.iter().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

fn number_hint(raw: &str) -> String {
    if let Some(rest) = raw.strip_prefix('-') {
        if rest.bytes().all(|b| b == b'0' || b == b'.') {
            return "write `0`: `-0` is not an integer literal".to_string();
        }
        return "a number of containers cannot be negative; write `0` to start none".to_string();
    }
    if raw.contains(['e', 'E']) {
        return "write the number in full, without an exponent (`100`, not `1e2`)".to_string();
    }
    if let Some((int, frac)) = raw.split_once('.') {
        if frac.bytes().all(|b| b == b'0') {
            return format!(
                "write `{}`: a count is written without a decimal point",
                diag::excerpt(int)
            );
        }
        return "a number of containers is a whole number".to_string();
    }
    "write a whole number of containers such as `1`".to_string()
}

fn camel_case(name: &str) -> Option<String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '-' || c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    (procfile::is_valid_name(&out) && out != name).then_some(out)
}

fn is_http_url(s: &str) -> bool {
    if s.trim() != s {
        return false;
    }
    match url::Url::parse(s) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// Escapes `"` and `\` for showing a string inside a JSON example in a hint.
fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The members of an env entry object that the later steps read (rule `MAN-ENV-3`).
struct EnvObjectKeys<'m> {
    value: Option<&'m Member<'m>>,
    generator: Option<&'m Member<'m>>,
    template: Option<&'m Member<'m>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    // PLAT-7, MAN-7: the top-level table holds the platform catalogue's keys, in its order,
    // then the editors' `$schema`, which the catalogue does not know.
    #[test]
    fn plat_7_top_level_keys_are_the_catalogue_keys() {
        let far = Date::from_ymd_const(9999, 12, 31);
        let table: Vec<&str> = TOP_LEVEL.iter().map(|f| f.key).collect();
        let mut expected = platform::manifest_keys(far);
        expected.push("$schema");
        assert_eq!(table, expected);
        assert!(platform::manifest_key("$schema").is_none());
    }

    // MAN-ENV-11, MAN-ADD-7, MAN-ADD-5, MAN-FRM-6, MAN-SCR-2, FW-2: each nested object's
    // keys are stated once, in its schema table: `check` reads every key of the table (no
    // unknown-key finding), and reports every other key of the manifest's vocabulary as
    // unknown in that object.
    #[test]
    fn man_11_check_reads_exactly_each_shapes_keys() {
        type Place = fn(&str) -> String;
        let objects: [(&[&schema::Shape], Code, Place, &str); 6] = [
            (
                &[&schema::ENV_ENTRY],
                Code::EnvUnknownKey,
                |k| format!(r#"{{"env": {{"A": {{"{k}": "x"}}}}}}"#),
                "/env/A/",
            ),
            (
                &[&schema::ADDON, &schema::LEGACY_ADDON],
                Code::AddonUnknownKey,
                |k| format!(r#"{{"addons": [{{"plan": "redis", "{k}": "x"}}]}}"#),
                "/addons/0/",
            ),
            (
                &[&schema::ADDON_OPTIONS],
                Code::AddonOptionIgnored,
                |k| format!(r#"{{"addons": [{{"plan": "redis", "options": {{"{k}": "x"}}}}]}}"#),
                "/addons/0/options/",
            ),
            (
                &[&schema::FORMATION_ENTRY],
                Code::FormationUnknownKey,
                |k| format!(r#"{{"formation": {{"web": {{"{k}": "x"}}}}}}"#),
                "/formation/web/",
            ),
            (
                &[&schema::SCRIPTS],
                Code::UnknownScript,
                |k| format!(r#"{{"scripts": {{"{k}": "x"}}}}"#),
                "/scripts/",
            ),
            (
                &[&schema::FIREWALL_RULE],
                Code::UnknownFirewallRuleKey,
                |k| format!(r#"{{"firewall_rules": [{{"cidr": "203.0.113.0/24", "{k}": "x"}}]}}"#),
                "/firewall_rules/0/",
            ),
        ];
        let mut vocabulary: Vec<&str> = TOP_LEVEL.iter().map(|f| f.key).collect();
        for (shapes, ..) in &objects {
            for shape in *shapes {
                vocabulary.extend(shape.fields.iter().map(|f| f.key));
            }
        }
        vocabulary.push("not_a_key");
        for (shapes, unknown, place, at) in objects {
            let own: Vec<&str> = shapes
                .iter()
                .flat_map(|s| s.fields.iter().map(|f| f.key))
                .collect();
            for key in &vocabulary {
                let checked = check(place(key).as_bytes(), platform::test_day());
                let pointer = format!("{at}{key}");
                let reported = checked
                    .diagnostics
                    .iter()
                    .any(|d| d.code == unknown && d.pointer == pointer);
                assert_eq!(
                    reported,
                    !own.contains(key),
                    "{pointer}: {:?}",
                    checked.diagnostics
                );
            }
        }
        assert_eq!(
            ENV_ENTRY_KEYS,
            ["description", "value", "generator", "template", "required"]
        );
        assert_eq!(
            ADDON_KEYS,
            ["plan", "options", "as", "addon_provider_id", "plan_id"]
        );
        assert_eq!(FORMATION_ENTRY_KEYS, ["amount", "size"]);
        assert_eq!(
            diag::keys_in_words(&ENV_ENTRY_KEYS),
            "`description`, `value`, `generator`, `template` and `required`"
        );
        assert_eq!(diag::keys_in_words(&["version"]), "`version`");
        assert_eq!(diag::keys_in_words(&[]), "");
    }

    // LIM-7: the reader keeps the first 1,000 syntax findings in canonical order and counts
    // the others, which it does not make; the verdict and the counts are those of all.
    #[test]
    fn lim_7_syntax_findings_past_the_limit_are_counted_not_kept() {
        let n = 2_500;
        let mut text = String::from("{\"name\": [1");
        for _ in 0..n {
            text.push_str(" 1");
        }
        text.push_str("], \"a\": 1 \"b\": 2}");
        let checked = check(text.as_bytes(), platform::test_day());
        // Every gap is a missing comma, the one between the last two members included; and
        // `name` is not a string.
        assert_eq!(checked.errors, n + 2);
        assert_eq!(
            checked.dropped,
            checked.errors + checked.warnings + checked.notes - MAX_DIAGNOSTICS
        );
        assert_eq!(checked.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        // The first ones, in source order: `name`'s type at its `[`, then the k-th missing
        // comma at the `1` after the k-th gap.
        assert_eq!(checked.diagnostics[0].code, Code::FieldType);
        assert_eq!(checked.diagnostics[0].span.map(|s| s.start), Some(9));
        let kept = &checked.diagnostics[1..MAX_DIAGNOSTICS];
        for (k, d) in kept.iter().enumerate() {
            assert_eq!(d.code, Code::MissingComma, "{k}");
            assert_eq!(d.span.map(|s| s.start), Some(12 + 2 * k), "{k}");
        }
        let last = checked.diagnostics.last().expect("the LIM-7 finding");
        assert_eq!(last.code, Code::ManifestDiagnosticsDropped);
        assert_eq!(last.severity, Severity::Error);
    }
}
