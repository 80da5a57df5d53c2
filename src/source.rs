//! `source`: which repository and which Git ref a one-click deploy uses (spec
//! `spec/source.md`, rules `SRC-1` .. `SRC-10`, codes `SM0800`–`SM0899`).
//!
//! The decision has two phases (decision D-4):
//!
//! 1. [`candidate`]: from the HTTP request, the repository whose root manifest is read:
//!    the `source` query parameter if present, else the Referer if it is a GitHub
//!    repository page.
//! 2. [`decide`]: once that manifest is read, its `repository` key (if any) redirects the
//!    code to another repository; the manifest is *not* read again from there. The ref is
//!    the manifest's `ref`, else the ref written in the input that decided the repository
//!    (`#fragment`, or `/tree/<ref>`), else the repository's default branch, else `master`.
//!
//! ```
//! use scalingo_manifest::source::{candidate, decide, OneClickRequest, RefOrigin, SourceInput};
//! let req = OneClickRequest {
//!     referer: Some("https://github.com/acme/blog".into()),
//!     source: Some("https://github.com/acme/shop#staging".into()),
//! };
//! let c = candidate(&req);
//! assert_eq!(c.repository.as_ref().map(|r| r.url.as_str()), Some("https://github.com/acme/shop"));
//! let d = decide(&c, None, None, Some("main"));
//! assert_eq!(d.git_ref.as_deref(), Some("staging"));
//! assert_eq!(d.repository_from, Some(SourceInput::Source));
//! assert_eq!(d.ref_from, Some(RefOrigin::Fragment));
//! ```

#![allow(
    clippy::result_large_err,
    reason = "the team API returns `Result<_, Diagnostic>`; these run once per deploy, not in hot loops"
)]

use serde::{Deserialize, Serialize};
use url::Url;

use crate::diag::{self, Code, Diagnostic};

/// Longest URL accepted, in bytes (rule `SRC-3`).
pub(crate) const MAX_URL_BYTES: usize = 2048;
/// Longest Git ref accepted, in bytes (rule `SRC-7`).
pub(crate) const MAX_REF_BYTES: usize = 255;
/// The ref used when the scenario gives no default branch (rule `SRC-10`; the one-click
/// page documents `master`).
pub(crate) const DEFAULT_REF: &str = "master";
/// Longest GitHub owner name (rule `SRC-6`).
pub(crate) const MAX_OWNER_CHARS: usize = 39;
/// Longest GitHub repository name (rule `SRC-6`).
pub(crate) const MAX_REPO_CHARS: usize = 100;

/// Pointer of the request's Referer.
pub(crate) const REFERER_POINTER: &str = "/request/referer";
/// Pointer of the request's `source` parameter.
pub(crate) const SOURCE_POINTER: &str = "/request/source";
/// Pointer of the request as a whole.
pub(crate) const REQUEST_POINTER: &str = "/request";
/// Pointer of the manifest's `repository`.
pub(crate) const REPOSITORY_POINTER: &str = "/repository";
/// Pointer of the manifest's `ref`.
pub(crate) const REF_POINTER: &str = "/ref";
/// Pointer of the scenario's default branch.
pub(crate) const DEFAULT_BRANCH_POINTER: &str = "/default_branch";

/// The HTTP request of a one-click deploy (rule `SRC-1`): JSON
/// `{"referer": "https://github.com/o/r", "source": "https://github.com/o/r#dev"}`; both
/// keys optional (`referrer` is accepted as an alias of `referer`); unknown keys are
/// rejected by serde.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OneClickRequest {
    /// The HTTP `Referer` header, if any.
    #[serde(alias = "referrer", skip_serializing_if = "Option::is_none")]
    pub referer: Option<String>,
    /// The `source` query parameter, if any (`https://github.com/<owner>/<repo>[#ref]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A public GitHub repository (rule `SRC-6`).
///
/// `owner` and `name` are as written (a trailing `.git` removed); `url` is the canonical
/// `https://github.com/<owner>/<name>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GitHubRepo {
    /// Owner (user or organisation) name.
    pub owner: String,
    /// Repository name, without `.git`.
    pub name: String,
    /// Canonical URL `https://github.com/<owner>/<name>`.
    pub url: String,
}

impl GitHubRepo {
    /// True when both name the same repository: GitHub compares owner and repository
    /// names ASCII-case-insensitively (rule `SRC-8`).
    pub fn same_as(&self, other: &GitHubRepo) -> bool {
        self.owner.eq_ignore_ascii_case(&other.owner) && self.name.eq_ignore_ascii_case(&other.name)
    }
}

/// Which input decided the repository (rules `SRC-1`, `SRC-8`). JSON: `"referer"`,
/// `"source"`, `"manifest"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceInput {
    /// The HTTP Referer (a GitHub repository page).
    Referer,
    /// The `source` query parameter.
    Source,
    /// The manifest's `repository` key.
    Manifest,
}

/// Where the ref came from (rule `SRC-10`). JSON: `"manifest"`, `"fragment"`,
/// `"referer-path"`, `"default-branch"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefOrigin {
    /// The manifest's `ref` key.
    Manifest,
    /// The ref written in the URL of `source` or of the manifest's `repository`
    /// (`#<ref>`, or `/tree/<ref>`).
    Fragment,
    /// The `/tree/<ref>` or `/blob/<ref>/...` path of the Referer.
    RefererPath,
    /// The repository's default branch given by the scenario, or `master` without one.
    DefaultBranch,
}

/// Phase 1 (rule `SRC-1`): the repository whose root manifest is read, and the ref
/// written in the input that named it (`None`: the default branch).
///
/// `repository` is `None` when there is nothing to deploy or the input that had priority
/// is invalid; then `diagnostics` holds an error. `from` is `Source` or `Referer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The repository to read the manifest from.
    pub repository: Option<GitHubRepo>,
    /// The ref written in the deciding input (`#ref` or `/tree/<ref>`), if any.
    pub git_ref: Option<String>,
    /// Which request input named the repository.
    pub from: Option<SourceInput>,
    /// Findings about the request.
    pub diagnostics: Vec<Diagnostic>,
}

/// Phase 2 (rules `SRC-8` .. `SRC-10`): the repository and ref whose code is deployed.
///
/// `git_ref` is `Some` only when `repository` is; `repository` may be `Some` with `git_ref`
/// `None` when the ref is invalid (an error says why). Any error in `diagnostics` means
/// the deploy cannot proceed. `diagnostics` starts with the candidate's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceDecision {
    /// The repository deployed.
    pub repository: Option<GitHubRepo>,
    /// The ref deployed (branch, tag or commit).
    pub git_ref: Option<String>,
    /// Which input decided the repository.
    pub repository_from: Option<SourceInput>,
    /// Where the ref came from.
    pub ref_from: Option<RefOrigin>,
    /// The candidate's findings, then the decision's.
    pub diagnostics: Vec<Diagnostic>,
}

/// How strictly a URL is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A Referer: repository pages `/<o>/<r>`, `/tree/<ref>[/...]`, `/blob/<ref>/...`;
    /// query and fragment ignored.
    Referer,
    /// `source` or the manifest's `repository`: `/<o>/<r>[/tree/<ref>]`, `#<ref>`.
    Written,
}

/// A URL read successfully.
#[derive(Debug)]
struct Parsed {
    repo: GitHubRepo,
    git_ref: Option<String>,
    /// Notes and warnings (pointer not set yet).
    notes: Vec<Diagnostic>,
}

/// Parses a GitHub repository URL as written in `source` or in a manifest's `repository`
/// (rules `SRC-3` .. `SRC-7`).
///
/// Accepts `https://github.com/<owner>/<repo>` with an optional `.git`, trailing `/`,
/// `/tree/<ref>`, query string (ignored) and `#<ref>` fragment (percent-decoded). Returns
/// the repository and the ref written in the URL, if any.
///
/// # Errors
/// A diagnostic with pointer `""` (the caller sets it): `SM0800` not a URL (also control
/// characters, backslashes, SSH `git@github.com:o/r` addresses, more than 2048 bytes),
/// `SM0801` not https, `SM0802` credentials (never echoed), `SM0803` not github.com,
/// `SM0804` not a repository URL, `SM0805`/`SM0806` invalid owner/repository name,
/// `SM0807` invalid ref, `SM0808` two different refs. Messages never quote the input URL.
pub fn parse_github_url(s: &str) -> Result<(GitHubRepo, Option<String>), Diagnostic> {
    parse(s, Mode::Written)
        .map(|p| (p.repo, p.git_ref))
        .map_err(Rejection::into_diagnostic)
}

/// Phase 1 (rules `SRC-1`, `SRC-2`, `SRC-9`): the repository whose root manifest is read.
///
/// A non-empty `source` decides, and the Referer is then not looked at; an invalid
/// `source` is an error (pointer `/request/source`) and there is no candidate: no fallback
/// to the Referer. An empty `source` counts as absent (note `SM0814`). Without `source`, a
/// Referer that is a GitHub repository page decides; any other Referer is ignored with a
/// note (`SM0812`). With neither, the error `SM0811` (pointer `/request`).
pub fn candidate(req: &OneClickRequest) -> Candidate {
    let mut diagnostics = Vec::new();
    match req.source.as_deref() {
        Some("") => diagnostics.push(
            Diagnostic::new(
                Code::EmptySource,
                "the `source` parameter is empty; it counts as absent",
            )
            .with_pointer(SOURCE_POINTER),
        ),
        Some(source) => {
            return match parse(source, Mode::Written) {
                Ok(p) => Candidate {
                    repository: Some(p.repo),
                    git_ref: p.git_ref,
                    from: Some(SourceInput::Source),
                    diagnostics: point(p.notes, SOURCE_POINTER),
                },
                Err(d) => Candidate {
                    repository: None,
                    git_ref: None,
                    from: None,
                    diagnostics: vec![d.in_context("`source`", SOURCE_POINTER)],
                },
            };
        }
        None => {}
    }
    if let Some(referer) = req.referer.as_deref().filter(|r| !r.is_empty()) {
        match parse(referer, Mode::Referer) {
            Ok(p) => {
                diagnostics.extend(point(p.notes, REFERER_POINTER));
                return Candidate {
                    repository: Some(p.repo),
                    git_ref: p.git_ref,
                    from: Some(SourceInput::Referer),
                    diagnostics,
                };
            }
            Err(reason) => diagnostics.push(
                Diagnostic::new(
                    Code::RefererIgnored,
                    format!(
                        "the Referer is ignored: it is not a GitHub repository page ({})",
                        reason.message
                    ),
                )
                .with_pointer(REFERER_POINTER)
                .with_hint(
                    "only `https://github.com/<owner>/<repo>` pages count; browsers often send only `https://github.com/`, so deploy links should carry `?source=https://github.com/<owner>/<repo>`",
                ),
            ),
        }
    }
    diagnostics.push(
        Diagnostic::new(
            Code::NoSource,
            "no repository to deploy: there is no `source` parameter and no GitHub repository page as Referer",
        )
        .with_pointer(REQUEST_POINTER)
        .with_hint("link to the deploy page with `?source=https://github.com/<owner>/<repo>`"),
    );
    Candidate {
        repository: None,
        git_ref: None,
        from: None,
        diagnostics,
    }
}

/// Phase 2 (rules `SRC-8`, `SRC-9`, `SRC-10`): the repository and ref whose code is
/// deployed, given the candidate and what its root manifest says.
///
/// * `manifest_repository`: the manifest's `repository` (pointer `/repository`). When it
///   names another repository it decides (`repository_from = Manifest`, note `SM0816`:
///   the manifest is not read again from there). When it names the candidate itself
///   (owner and name compared ASCII-case-insensitively) and has no ref of its own, it
///   confirms the candidate (note `SM0815`): repository and ref stay the candidate's, so
///   the code comes from the commit the manifest was read from. When invalid: an error and
///   no repository (no fallback to the candidate).
/// * `manifest_ref`: the manifest's `ref` (pointer `/ref`); always validated; when valid it
///   is the ref; when invalid, an error and no ref (no fallback).
/// * `default_branch`: the decided repository's default branch (pointer
///   `/default_branch`), used when no ref is written anywhere; without it, `master`
///   (note `SM0817`).
///
/// An empty or blank `manifest_repository` or `manifest_ref` is no override: it is read as
/// `None` (rule `MAN-4`, decision D-23; `manifest::check` gives the note SM0104).
///
/// In a real deploy, when the candidate has no repository no manifest could be read, so
/// both manifest arguments are `None`. The result's diagnostics start with the
/// candidate's.
pub fn decide(
    candidate: &Candidate,
    manifest_repository: Option<&str>,
    manifest_ref: Option<&str>,
    default_branch: Option<&str>,
) -> SourceDecision {
    let mut diagnostics = candidate.diagnostics.clone();
    // MAN-4, D-23: an empty override is no override.
    let manifest_repository = manifest_repository.filter(|s| !s.trim().is_empty());
    let manifest_ref = manifest_ref.filter(|s| !s.trim().is_empty());

    // SRC-7: the manifest's ref is validated whenever it is written.
    let manifest_ref = manifest_ref.map(|r| {
        check_ref(r).map(|()| r.to_string()).map_err(|reason| {
            Diagnostic::new(
                Code::RefInvalid,
                format!(
                    "the manifest's `ref` {} is not a valid Git ref: {reason}",
                    diag::backticked(r)
                ),
            )
            .with_pointer(REF_POINTER)
            .with_hint(REF_HINT)
        })
    });

    // SRC-8 / SRC-9: the repository.
    let mut redirected_from: Option<&GitHubRepo> = None;
    let (repository, from, url_ref) = match manifest_repository {
        Some(raw) => match parse(raw, Mode::Written) {
            Err(d) => {
                diagnostics.push(d.in_context("the manifest's `repository`", REPOSITORY_POINTER));
                if let Some(Err(d)) = manifest_ref {
                    diagnostics.push(d);
                }
                return SourceDecision {
                    repository: None,
                    git_ref: None,
                    repository_from: None,
                    ref_from: None,
                    diagnostics,
                };
            }
            Ok(p) => {
                diagnostics.extend(point(p.notes, REPOSITORY_POINTER));
                match candidate.repository.as_ref() {
                    Some(c) if c.same_as(&p.repo) && p.git_ref.is_none() => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::RepositoryConfirms,
                                format!(
                                    "the manifest's `repository` names `{}/{}`, the repository it was read from: the code comes from the same commit",
                                    c.owner, c.name
                                ),
                            )
                            .with_pointer(REPOSITORY_POINTER),
                        );
                        let origin = candidate.from.map(ref_origin_of);
                        (
                            Some(c.clone()),
                            candidate.from,
                            candidate.git_ref.clone().zip(origin),
                        )
                    }
                    other => {
                        redirected_from = other;
                        (
                            Some(p.repo),
                            Some(SourceInput::Manifest),
                            p.git_ref.map(|r| (r, RefOrigin::Fragment)),
                        )
                    }
                }
            }
        },
        None => {
            let origin = candidate.from.map(ref_origin_of);
            (
                candidate.repository.clone(),
                candidate.from,
                candidate.git_ref.clone().zip(origin),
            )
        }
    };

    if let Some((old, new)) = redirected_from
        .zip(repository.as_ref())
        .filter(|(old, new)| !old.same_as(new))
    {
        diagnostics.push(
            Diagnostic::new(
                Code::RepositoryRedirects,
                format!(
                    "the manifest read from `{}/{}` sends the code to `{}/{}`; the manifest of `{}/{}` is not read",
                    old.owner, old.name, new.owner, new.name, new.owner, new.name
                ),
            )
            .with_pointer(REPOSITORY_POINTER),
        );
    }

    let Some(repository) = repository else {
        if let Some(Err(d)) = manifest_ref {
            diagnostics.push(d);
        }
        return SourceDecision {
            repository: None,
            git_ref: None,
            repository_from: None,
            ref_from: None,
            diagnostics,
        };
    };

    // SRC-10: the ref.
    let (git_ref, ref_from) = match manifest_ref {
        Some(Ok(r)) => {
            if let Some((written, _)) = url_ref.as_ref().filter(|(w, _)| *w != r) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::RefOverridden,
                        format!(
                            "the manifest's `ref` {} overrides the ref {} written in the URL",
                            diag::backticked(&r),
                            diag::backticked(written)
                        ),
                    )
                    .with_pointer(REF_POINTER),
                );
            }
            (Some(r), Some(RefOrigin::Manifest))
        }
        Some(Err(d)) => {
            diagnostics.push(d);
            (None, None)
        }
        None => match url_ref {
            Some((r, origin)) => (Some(r), Some(origin)),
            None => match default_branch {
                Some(b) => match check_ref(b) {
                    Ok(()) => (Some(b.to_string()), Some(RefOrigin::DefaultBranch)),
                    Err(reason) => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::RefInvalid,
                                format!(
                                    "the default branch {} is not a valid Git ref: {reason}",
                                    diag::backticked(b)
                                ),
                            )
                            .with_pointer(DEFAULT_BRANCH_POINTER)
                            .with_hint(REF_HINT),
                        );
                        (None, None)
                    }
                },
                None => {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::DefaultRefUsed,
                            format!(
                                "no ref is written and no default branch is known for `{}/{}`: `{DEFAULT_REF}` is used",
                                repository.owner, repository.name
                            ),
                        )
                        .with_pointer(DEFAULT_BRANCH_POINTER),
                    );
                    (
                        Some(DEFAULT_REF.to_string()),
                        Some(RefOrigin::DefaultBranch),
                    )
                }
            },
        },
    };

    SourceDecision {
        repository: Some(repository),
        git_ref,
        repository_from: from,
        ref_from,
        diagnostics,
    }
}

/// Checks a Git ref name (rule `SRC-7`): the basic rules of `git check-ref-format`
/// (plus `--branch`'s "no leading `-`") and at most 255 bytes. A commit SHA (7 to 40
/// hex digits) always passes.
///
/// # Errors
/// A short reason, for a message.
pub fn check_ref(r: &str) -> Result<(), &'static str> {
    if r.is_empty() {
        return Err("it is empty");
    }
    if r.len() > MAX_REF_BYTES {
        return Err("it is longer than 255 bytes");
    }
    if r.chars().any(|c| c.is_control()) {
        return Err("it contains a control character");
    }
    if r.contains(' ') {
        return Err("it contains a space");
    }
    if r.contains(['~', '^', ':', '?', '*', '[', '\\']) {
        return Err("it contains one of `~ ^ : ? * [ \\`");
    }
    if r.contains("..") {
        return Err("it contains `..`");
    }
    if r.contains("@{") {
        return Err("it contains `@{`");
    }
    if r == "@" {
        return Err("it is `@`");
    }
    if r.starts_with('-') {
        return Err("it starts with `-`");
    }
    if r.starts_with('/') || r.ends_with('/') || r.contains("//") {
        return Err("it has an empty `/` component (leading, trailing or `//`)");
    }
    if r.ends_with('.') {
        return Err("it ends with `.`");
    }
    for component in r.split('/') {
        if component.starts_with('.') {
            return Err("a `/` component starts with `.`");
        }
        if component.ends_with(".lock") {
            return Err("a `/` component ends with `.lock`");
        }
    }
    Ok(())
}

const REF_HINT: &str =
    "write a branch or tag name such as `main` or `release/2.0`, or a commit SHA (7 to 40 hex digits)";

const URL_HINT: &str =
    "write `https://github.com/<owner>/<repo>`, optionally followed by `#<branch>`";

/// GitHub top-level pages whose first path segment looks like an owner.
const RESERVED_OWNERS: &[&str] = &[
    "about",
    "account",
    "apps",
    "blog",
    "codespaces",
    "collections",
    "contact",
    "customer-stories",
    "dashboard",
    "enterprise",
    "events",
    "explore",
    "features",
    "gist",
    "issues",
    "join",
    "login",
    "logout",
    "marketplace",
    "new",
    "notifications",
    "orgs",
    "organizations",
    "pricing",
    "pulls",
    "search",
    "security",
    "sessions",
    "settings",
    "site",
    "sponsors",
    "stars",
    "topics",
    "trending",
    "users",
];

fn ref_origin_of(from: SourceInput) -> RefOrigin {
    match from {
        SourceInput::Referer => RefOrigin::RefererPath,
        SourceInput::Source | SourceInput::Manifest => RefOrigin::Fragment,
    }
}

fn point(notes: Vec<Diagnostic>, pointer: &str) -> Vec<Diagnostic> {
    notes.into_iter().map(|d| d.with_pointer(pointer)).collect()
}

/// Why [`parse`] rejects a URL: the parts of its error diagnostic, which is made once the
/// caller says what the URL is ([`Rejection::in_context`]) or that it is on its own
/// ([`Rejection::into_diagnostic`]), so that no message is edited after it is made.
#[derive(Debug)]
struct Rejection {
    code: Code,
    message: String,
    hint: &'static str,
}

impl Rejection {
    /// A rejection with the general URL hint.
    fn new(code: Code, message: impl Into<String>) -> Self {
        Rejection {
            code,
            message: message.into(),
            hint: URL_HINT,
        }
    }

    fn with_hint(mut self, hint: &'static str) -> Self {
        self.hint = hint;
        self
    }

    /// The error diagnostic, the message as [`parse`] wrote it.
    fn into_diagnostic(self) -> Diagnostic {
        Diagnostic::new(self.code, self.message).with_hint(self.hint)
    }

    /// The error diagnostic, its message prefixed with the input it is about (`what`), at
    /// `pointer`.
    fn in_context(self, what: &str, pointer: &str) -> Diagnostic {
        Diagnostic::new(self.code, format!("{what}: {}", self.message))
            .with_hint(self.hint)
            .with_pointer(pointer)
    }
}

fn err(code: Code, message: impl Into<String>) -> Rejection {
    Rejection::new(code, message)
}

/// Reads a GitHub URL (rules `SRC-2` .. `SRC-7`). Messages never quote the input, so
/// credentials or tokens in it are never echoed. Each step returns the first problem it
/// finds; their order decides which problem a URL with several is reported for.
fn parse(raw: &str, mode: Mode) -> Result<Parsed, Rejection> {
    let s = check_text(raw)?;
    let url = Url::parse(s).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => err(
            Code::SourceUrlInvalid,
            "the URL has no scheme: it must start with `https://`",
        ),
        e => err(Code::SourceUrlInvalid, format!("not a valid URL ({e})")),
    })?;
    let authority = check_scheme(&url, s)?;
    check_no_dot_segment(s, url.scheme(), authority)?;
    check_host(&url, authority)?;
    let (owner, name, rest) = repository_path(&url)?;
    let mut notes = Vec::new();
    let path_ref = path_ref(mode, &rest, &mut notes)?;
    let fragment_ref = fragment_ref(mode, &url, &mut notes)?;
    let git_ref = one_ref(path_ref, fragment_ref)?;
    Ok(Parsed {
        repo: GitHubRepo {
            url: format!("https://github.com/{owner}/{name}"),
            owner,
            name,
        },
        git_ref,
        notes,
    })
}

/// SRC-2: the text itself: its length, no control character or backslash, not empty, not
/// an SSH address. Returns it without surrounding spaces.
fn check_text(raw: &str) -> Result<&str, Rejection> {
    if raw.len() > MAX_URL_BYTES {
        return Err(err(
            Code::SourceUrlInvalid,
            format!(
                "the URL is {} bytes long; at most {MAX_URL_BYTES} are accepted",
                raw.len()
            ),
        ));
    }
    if raw.chars().any(char::is_control) {
        return Err(err(
            Code::SourceUrlInvalid,
            "the URL contains a control character",
        ));
    }
    let s = raw.trim_matches(' ');
    if s.is_empty() {
        return Err(err(Code::SourceUrlInvalid, "the URL is empty"));
    }
    if s.contains('\\') {
        return Err(err(Code::SourceUrlInvalid, "the URL contains a backslash"));
    }
    if !s.contains("://") && s.contains('@') && s.contains(':') {
        return Err(err(
            Code::SourceUrlInvalid,
            "SSH addresses (`git@github.com:<owner>/<repo>`) are not supported; only https URLs are",
        ));
    }
    Ok(s)
}

/// SRC-3 and SRC-4: `https` only (other schemes first: `ssh://git@...` is about the
/// scheme), and no credentials, before anything that could quote parts of the URL.
/// Returns the authority as written in `s`.
fn check_scheme<'s>(url: &Url, s: &'s str) -> Result<&'s str, Rejection> {
    let scheme = url.scheme();
    if scheme != "https" && scheme != "http" {
        return Err(Rejection::new(
            Code::UrlNotHttps,
            format!("the URL uses the `{scheme}` scheme; only `https` is supported"),
        )
        .with_hint("write `https://github.com/<owner>/<repo>`"));
    }
    let authority = authority_of(s, scheme);
    if !url.username().is_empty()
        || url.password().is_some()
        || authority.is_some_and(|a| a.contains('@'))
    {
        return Err(Rejection::new(
            Code::UrlCredentials,
            "the URL contains credentials (a user name or password before `@`); they are not repeated here",
        )
        .with_hint(
            "remove the `user:password@` part: only public GitHub repositories are supported, and credentials must never be shared in a link or a manifest",
        ));
    }
    if scheme == "http" {
        return Err(
            Rejection::new(Code::UrlNotHttps, "the URL uses `http`, not `https`")
                .with_hint("write `https://github.com/<owner>/<repo>`"),
        );
    }
    authority.ok_or_else(|| {
        err(
            Code::SourceUrlInvalid,
            "the URL does not start with `https://`",
        )
    })
}

/// SRC-3: a dot segment (`.`, `..`, or either written with `%2e`) would be resolved away by
/// the URL parser, silently naming another path (another repository). `authority` is the
/// one [`authority_of`] found as `<scheme>://<authority>` at the start of `s`.
fn check_no_dot_segment(s: &str, scheme: &str, authority: &str) -> Result<(), Rejection> {
    let after_authority = s
        .get(scheme.len() + "://".len() + authority.len()..)
        .unwrap_or_default();
    let raw_path = after_authority.split(['?', '#']).next().unwrap_or_default();
    match raw_path.split('/').find(|seg| is_dot_segment(seg)) {
        Some(dot) => Err(err(
            Code::SourceUrlInvalid,
            format!(
                "the URL's path has the dot segment `{dot}`: it would be resolved away and name another path"
            ),
        )
        .with_hint("write the repository's URL without `.` or `..` segments: `https://github.com/<owner>/<repo>`")),
        None => Ok(()),
    }
}

/// SRC-5: github.com only, on the default port, written plainly.
fn check_host(url: &Url, authority: &str) -> Result<(), Rejection> {
    let host = url.host_str().unwrap_or("");
    if let Some(port) = url.port() {
        return Err(err(
            Code::UrlNotGithub,
            format!("the URL names port {port}; only `https://github.com` is supported"),
        ));
    }
    if host != "github.com" && host != "www.github.com" {
        return Err(Rejection::new(
            Code::UrlNotGithub,
            format!(
                "the host is {}; only public projects hosted on GitHub (`github.com`) are supported",
                diag::backticked(host)
            ),
        )
        .with_hint("push the project to a public GitHub repository and link to it"));
    }
    let raw_host = authority.split(':').next().unwrap_or("");
    if !raw_host.eq_ignore_ascii_case(host) {
        return Err(err(
            Code::SourceUrlInvalid,
            "the host is not written plainly as `github.com` (percent-escapes or non-ASCII look-alikes)",
        ));
    }
    Ok(())
}

/// SRC-6: the path names an owner and a repository (a `.git` suffix is dropped). Returns
/// them, and the path segments after them.
fn repository_path(url: &Url) -> Result<(String, String, Vec<&str>), Rejection> {
    let mut segments: Vec<&str> = url.path().split('/').skip(1).collect();
    if segments.last() == Some(&"") {
        segments.pop();
    }
    if segments.iter().any(|s| s.is_empty()) {
        return Err(err(
            Code::UrlNotRepository,
            "the URL's path has an empty segment (`//`)",
        ));
    }
    let (owner, name_raw, rest) = match segments.as_slice() {
        [] => {
            return Err(err(
                Code::UrlNotRepository,
                "the URL names no owner and no repository",
            ))
        }
        [owner] => {
            return Err(err(
                Code::UrlNotRepository,
                format!(
                    "the URL names the owner {} but no repository",
                    diag::backticked(owner)
                ),
            ))
        }
        [owner, name, rest @ ..] => (*owner, *name, rest.to_vec()),
    };
    if RESERVED_OWNERS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(owner))
    {
        return Err(err(
            Code::UrlNotRepository,
            format!("{} is a GitHub page, not an owner", diag::backticked(owner)),
        ));
    }
    check_owner(owner).map_err(|reason| {
        err(
            Code::OwnerInvalid,
            format!(
                "{} is not a valid GitHub owner name: {reason}",
                diag::backticked(owner)
            ),
        )
    })?;
    let name = name_raw.strip_suffix(".git").unwrap_or(name_raw);
    check_repo_name(name).map_err(|reason| {
        err(
            Code::RepoNameInvalid,
            format!(
                "{} is not a valid GitHub repository name: {reason}",
                diag::backticked(name_raw)
            ),
        )
    })?;
    Ok((owner.to_string(), name.to_string(), rest))
}

/// SRC-7: the ref a `/tree/<ref>` (or, in a Referer, `/blob/<ref>/...`) path names; any
/// other page of a repository is not a repository.
fn path_ref(
    mode: Mode,
    rest: &[&str],
    notes: &mut Vec<Diagnostic>,
) -> Result<Option<String>, Rejection> {
    match (mode, rest) {
        (_, []) => Ok(None),
        (_, ["tree", r]) => decode_ref(r).map(Some),
        (Mode::Referer, ["tree", r, more @ ..]) => {
            let r = decode_ref(r)?;
            notes.push(
                Diagnostic::new(
                    Code::RefererTreeAmbiguous,
                    format!(
                        "the Referer's `/tree/` path has {} segments: the ref is taken to be {} and the rest a folder",
                        more.len() + 1,
                        diag::backticked(&r)
                    ),
                )
                .with_hint("to deploy a branch whose name contains `/`, link with `?source=https://github.com/<owner>/<repo>#<branch>`"),
            );
            Ok(Some(r))
        }
        (Mode::Referer, ["blob", r, _, ..]) => decode_ref(r).map(Some),
        (Mode::Written, ["tree", _, _, ..]) => Err(err(
            Code::UrlNotRepository,
            "the URL's `/tree/<ref>/...` path is ambiguous (a ref with `/`, or a folder)",
        )
        .with_hint("write `https://github.com/<owner>/<repo>#<ref>`")),
        (Mode::Written, ["blob", ..]) => Err(err(
            Code::UrlNotRepository,
            "the URL names a file (`/blob/...`), not a repository",
        )),
        (_, [first, ..]) => Err(err(
            Code::UrlNotRepository,
            format!(
                "the URL names the page {} of a repository, not the repository",
                diag::backticked(&format!("/{first}"))
            ),
        )),
    }
}

/// SRC-7: the ref written after `#` (a written URL only; an empty one is a note), and a
/// note for an ignored query string.
fn fragment_ref(
    mode: Mode,
    url: &Url,
    notes: &mut Vec<Diagnostic>,
) -> Result<Option<String>, Rejection> {
    let fragment_ref = match (mode, url.fragment()) {
        (Mode::Referer, _) | (_, None) => None,
        (Mode::Written, Some("")) => {
            notes.push(Diagnostic::new(
                Code::EmptyFragment,
                "the URL ends with an empty `#`: no ref is named",
            ));
            None
        }
        (Mode::Written, Some(f)) => Some(decode_ref(f)?),
    };
    if mode == Mode::Written && url.query().is_some() {
        notes.push(
            Diagnostic::new(
                Code::QueryIgnored,
                "the URL's query string (`?...`) is ignored",
            )
            .with_hint("remove it; a branch is written `#<branch>`"),
        );
    }
    Ok(fragment_ref)
}

/// SRC-7: the URL's one ref (its path and its `#` must agree), checked as a Git ref.
fn one_ref(
    path_ref: Option<String>,
    fragment_ref: Option<String>,
) -> Result<Option<String>, Rejection> {
    let git_ref = match (path_ref, fragment_ref) {
        (Some(a), Some(b)) if a != b => {
            return Err(Rejection::new(
                Code::RefConflict,
                format!(
                    "the URL names the ref {} in its path and {} after `#`",
                    diag::backticked(&a),
                    diag::backticked(&b)
                ),
            )
            .with_hint("write the ref once, as `#<ref>`"))
        }
        (a, b) => a.or(b),
    };
    if let Some(r) = &git_ref {
        check_ref(r).map_err(|reason| {
            Rejection::new(
                Code::RefInvalid,
                format!(
                    "the ref {} is not a valid Git ref: {reason}",
                    diag::backticked(r)
                ),
            )
            .with_hint(REF_HINT)
        })?;
    }
    Ok(git_ref)
}

/// True for a path segment the WHATWG URL parser resolves as `.` or `..`: the dots,
/// each possibly written `%2e` (either case).
fn is_dot_segment(seg: &str) -> bool {
    let lower = seg.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | "%2e" | ".." | ".%2e" | "%2e." | "%2e%2e"
    )
}

/// The raw authority (`user@host:port`) written after `<scheme>://`, or `None` when the
/// input does not have `<scheme>://` right at its start.
fn authority_of<'s>(s: &'s str, scheme: &str) -> Option<&'s str> {
    let head = s.get(..scheme.len())?;
    let rest = s.get(scheme.len()..)?;
    if !head.eq_ignore_ascii_case(scheme) {
        return None;
    }
    let after = rest.strip_prefix("://")?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    after.get(..end)
}

/// GitHub owner names: 1 to 39 ASCII letters, digits and single hyphens, not at either end.
fn check_owner(owner: &str) -> Result<(), &'static str> {
    if owner.len() > MAX_OWNER_CHARS {
        return Err("it is longer than 39 characters");
    }
    if !owner
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err("only letters, digits and `-` are allowed");
    }
    if owner.starts_with('-') || owner.ends_with('-') {
        return Err("it starts or ends with `-`");
    }
    if owner.contains("--") {
        return Err("it has two `-` in a row");
    }
    Ok(())
}

/// GitHub repository names: 1 to 100 of `A-Z a-z 0-9 . _ -`, not `.` or `..`.
fn check_repo_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name.len() > MAX_REPO_CHARS {
        return Err("it is longer than 100 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err("only letters, digits, `.`, `_` and `-` are allowed");
    }
    if name == "." || name == ".." {
        return Err("it is `.` or `..`");
    }
    Ok(())
}

/// Percent-decodes a ref written in a URL; invalid UTF-8 is an `SM0807` error. A `%` not
/// followed by two hex digits (either case) is kept as written (`a%zz`, `a%2`).
fn decode_ref(s: &str) -> Result<String, Rejection> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| {
            Rejection::new(
                Code::RefInvalid,
                "the ref written in the URL is not valid UTF-8 once decoded",
            )
            .with_hint(REF_HINT)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    fn repo(owner: &str, name: &str) -> GitHubRepo {
        GitHubRepo {
            owner: owner.into(),
            name: name.into(),
            url: format!("https://github.com/{owner}/{name}"),
        }
    }

    fn code_of(s: &str) -> String {
        match parse_github_url(s) {
            Ok(ok) => panic!("{s:?} parsed as {ok:?}"),
            Err(d) => {
                assert_eq!(d.severity, Severity::Error, "{s:?}");
                assert!(d.hint.is_some(), "{s:?} has no hint");
                d.code.to_string()
            }
        }
    }

    fn ok(s: &str) -> (GitHubRepo, Option<String>) {
        match parse_github_url(s) {
            Ok(v) => v,
            Err(d) => panic!("{s:?}: {d:?}"),
        }
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    fn req(referer: Option<&str>, source: Option<&str>) -> OneClickRequest {
        OneClickRequest {
            referer: referer.map(str::to_string),
            source: source.map(str::to_string),
        }
    }

    // ---- SRC-3 .. SRC-6: URL forms ----

    #[test]
    fn src6_accepted_forms() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            (
                "https://github.com/Scalingo/sample-go-martini",
                "Scalingo",
                "sample-go-martini",
                None,
            ),
            ("https://github.com/o/r.git", "o", "r", None),
            ("https://github.com/o/r/", "o", "r", None),
            ("https://github.com/o/r.git/", "o", "r", None),
            (
                "https://github.com/o/r#custom_branch",
                "o",
                "r",
                Some("custom_branch"),
            ),
            (
                "https://github.com/o/r.git#v1.2.3",
                "o",
                "r",
                Some("v1.2.3"),
            ),
            (
                "https://github.com/o/r#feature/x",
                "o",
                "r",
                Some("feature/x"),
            ),
            (
                "https://github.com/o/r#feature%2Fx",
                "o",
                "r",
                Some("feature/x"),
            ),
            ("https://github.com/o/r#caf%C3%A9", "o", "r", Some("café")),
            ("https://github.com/o/r#0123abc", "o", "r", Some("0123abc")),
            ("https://github.com/o/r/tree/dev", "o", "r", Some("dev")),
            ("https://github.com/o/r/tree/dev#dev", "o", "r", Some("dev")),
            ("https://GitHub.COM/o/r", "o", "r", None),
            ("HTTPS://github.com/o/r", "o", "r", None),
            ("https://www.github.com/o/r", "o", "r", None),
            ("https://github.com:443/o/r", "o", "r", None),
            ("  https://github.com/o/r  ", "o", "r", None),
            ("https://github.com/a1-b2/x.y_z-w", "a1-b2", "x.y_z-w", None),
            ("https://github.com/o/r.git.git", "o", "r.git", None),
        ];
        for (url, owner, name, r) in cases {
            let (got, got_ref) = ok(url);
            assert_eq!(got, repo(owner, name), "{url}");
            assert_eq!(got_ref.as_deref(), *r, "{url}");
        }
    }

    /// SRC-3: a dot segment, plain or percent-encoded, never switches the repository
    /// silently (the WHATWG parser would resolve `o/r/../../x/y` to `x/y`).
    #[test]
    fn src3_dot_segments_are_errors() {
        for s in [
            "https://github.com/trusted-org/app/../../attacker/app",
            "https://github.com/trusted-org/app/%2e%2e/%2E%2E/attacker/app",
            "https://github.com/trusted-org/app/.%2e/.%2E/attacker/app",
            "https://github.com/./o/r",
            "https://github.com/o/r/.",
            "https://github.com/o/%2e/r",
            "https://github.com/o/r/..#main",
            "https://github.com/o/r/..?x=1",
            "https://github.com/o/.",
            "https://github.com/o/..",
        ] {
            let d = parse_github_url(s).unwrap_err();
            assert_eq!(d.code, "SM0800", "{s:?}");
            assert!(d.message.contains("dot segment"), "{s:?}: {}", d.message);
        }
        // Dots inside a segment are names, not dot segments; a ref may hold them.
        assert_eq!(ok("https://github.com/o/r.js").0, repo("o", "r.js"));
        assert_eq!(ok("https://github.com/o/..r").0, repo("o", "..r"));
        assert_eq!(ok("https://github.com/o/r#v1.2").1.as_deref(), Some("v1.2"));
    }

    #[test]
    fn src3_not_a_url() {
        for s in [
            "",
            "   ",
            "github.com/o/r",
            "o/r",
            "git@github.com:o/r.git",
            "https:github.com/o/r",
            "https:/github.com/o/r",
            "https:///github.com/o/r",
            "https://github.com\\o\\r",
            "https://github.com/o/r\n",
            "https://github.com/o/\0r",
            "https://%67ithub.com/o/r",
            "https://ｇithub.com/o/r",
            "https://[::1]:x/o/r",
        ] {
            assert_eq!(code_of(s), "SM0800", "{s:?}");
        }
        let long = format!("https://github.com/o/r#{}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(code_of(&long), "SM0800");
        // At the limit exactly, the length is not what is wrong.
        let prefix = "https://github.com/o/r#";
        let at_limit = format!("{prefix}{}", "a".repeat(MAX_URL_BYTES - prefix.len()));
        assert_eq!(at_limit.len(), MAX_URL_BYTES);
        if let Err(d) = parse_github_url(&at_limit) {
            assert!(!d.message.contains("bytes long"), "{}", d.message);
        }
        let over = format!("{at_limit}a");
        let d = parse_github_url(&over).unwrap_err();
        assert_eq!(
            d.message,
            format!(
                "the URL is {} bytes long; at most {MAX_URL_BYTES} are accepted",
                MAX_URL_BYTES + 1
            )
        );
        let d = parse_github_url("github.com/o/r").unwrap_err();
        assert_eq!(
            d.message,
            "the URL has no scheme: it must start with `https://`"
        );
    }

    #[test]
    fn src3_https_only() {
        for s in [
            "http://github.com/o/r",
            "ssh://git@github.com/o/r.git",
            "git://github.com/o/r.git",
            "ftp://github.com/o/r",
            "file:///o/r",
        ] {
            assert_eq!(code_of(s), "SM0801", "{s:?}");
        }
        let d = parse_github_url("http://github.com/heroku/go-getting-started").unwrap_err();
        assert_eq!(d.message, "the URL uses `http`, not `https`");
        assert_eq!(
            d.hint.as_deref(),
            Some("write `https://github.com/<owner>/<repo>`")
        );
    }

    #[test]
    fn src4_credentials_rejected_and_never_echoed() {
        let secret_urls = [
            "https://alice:hunter2@github.com/o/r",
            "https://hunter2@github.com/o/r",
            "https://hunter2:x-oauth-basic@github.com/o/r.git",
            "http://alice:hunter2@github.com/o/r",
            "https://:hunter2@github.com/o/r",
            "https://@github.com/o/r",
        ];
        for s in secret_urls {
            assert_eq!(code_of(s), "SM0802", "{s:?}");
        }
        // In every input position, no message or hint repeats the secret.
        for s in secret_urls.iter().copied().chain([
            "ssh://hunter2@github.com/o/r",
            "https://hunter2@gitlab.com/o/r",
        ]) {
            let mut all = Vec::new();
            all.extend(candidate(&req(None, Some(s))).diagnostics);
            let c = candidate(&req(Some(s), None));
            all.extend(c.diagnostics.clone());
            all.extend(decide(&c, Some(s), None, None).diagnostics);
            assert!(!all.is_empty());
            for d in all {
                assert!(!d.message.contains("hunter2"), "{s:?}: {}", d.message);
                assert!(!d.hint.unwrap_or_default().contains("hunter2"));
            }
        }
    }

    #[test]
    fn src5_github_only() {
        for s in [
            "https://gitlab.com/baserow/baserow",
            "https://bitbucket.org/o/r",
            "https://github.com.evil.com/o/r",
            "https://gist.github.com/o/r",
            "https://raw.githubusercontent.com/o/r/main/app.json",
            "https://github.com./o/r",
            "https://github.com:8443/o/r",
            "https://140.82.121.3/o/r",
        ] {
            assert_eq!(code_of(s), "SM0803", "{s:?}");
        }
        let d = parse_github_url("https://gitlab.com/baserow/baserow").unwrap_err();
        assert_eq!(
            d.message,
            "the host is `gitlab.com`; only public projects hosted on GitHub (`github.com`) are supported"
        );
    }

    #[test]
    fn src6_not_a_repository() {
        for s in [
            "https://github.com",
            "https://github.com/",
            "https://github.com/natemacs",
            "https://github.com/natemacs/",
            "https://github.com//o/r",
            "https://github.com/o//r",
            "https://github.com/o/r//",
            "https://github.com/BaluHQ/Balu/balu-parse-server",
            "https://github.com/o/r/issues/1",
            "https://github.com/o/r/blob/main/app.json",
            "https://github.com/o/r/tree",
            "https://github.com/o/r/tree/feature/x",
            "https://github.com/settings/profile",
            "https://github.com/orgs/acme",
        ] {
            assert_eq!(code_of(s), "SM0804", "{s:?}");
        }
    }

    #[test]
    fn src6_owner_syntax() {
        let long = "a".repeat(40);
        for owner in [
            "-o",
            "o-",
            "o--p",
            "o_p",
            "o.p",
            "é",
            "o%20p",
            long.as_str(),
        ] {
            assert_eq!(
                code_of(&format!("https://github.com/{owner}/r")),
                "SM0805",
                "{owner}"
            );
        }
        let max = "a".repeat(39);
        assert_eq!(ok(&format!("https://github.com/{max}/r")).0.owner, max);
        assert_eq!(check_owner("a-b-c"), Ok(()));
    }

    #[test]
    fn src6_repository_name_syntax() {
        let long = "r".repeat(101);
        for name in [".git", "..git", "r!", "r%20s", "ré", "r+s", long.as_str()] {
            assert_eq!(
                code_of(&format!("https://github.com/o/{name}")),
                "SM0806",
                "{name}"
            );
        }
        let max = "r".repeat(100);
        assert_eq!(ok(&format!("https://github.com/o/{max}")).0.name, max);
        assert_eq!(check_repo_name("."), Err("it is `.` or `..`"));
        assert_eq!(check_repo_name(".."), Err("it is `.` or `..`"));
        assert_eq!(check_repo_name(".github"), Ok(()));
    }

    #[test]
    fn src6_query_and_empty_fragment_notes() {
        let c = candidate(&req(None, Some("https://github.com/o/r?token=abc#dev")));
        assert_eq!(c.repository, Some(repo("o", "r")));
        assert_eq!(c.git_ref.as_deref(), Some("dev"));
        assert_eq!(codes(&c.diagnostics), ["SM0809"]);
        assert_eq!(c.diagnostics[0].pointer, "/request/source");
        assert!(!c.diagnostics[0].message.contains("abc"));

        let c = candidate(&req(None, Some("https://github.com/o/r#")));
        assert_eq!(c.git_ref, None);
        assert_eq!(codes(&c.diagnostics), ["SM0810"]);
        assert_eq!(c.diagnostics[0].severity, Severity::Note);
    }

    // ---- SRC-7: refs ----

    #[test]
    fn src7_ref_syntax() {
        let long = "a".repeat(256);
        for bad in [
            "",
            "a b",
            "a..b",
            "a~1",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[b",
            "a\\b",
            "a\tb",
            "a\u{7f}",
            "a@{1}",
            "@",
            "-x",
            "/a",
            "a/",
            "a//b",
            "a.",
            ".a",
            "a/.b",
            "a.lock",
            "a.lock/b",
            long.as_str(),
        ] {
            assert!(check_ref(bad).is_err(), "{bad:?}");
        }
        for good in [
            "main",
            "master",
            "feature/x",
            "release/2.0",
            "v1.2.3",
            "a@b",
            "a.b",
            "a-lock",
            "lock.a",
            "café",
            "deadbee",
            "0123456789abcdef0123456789abcdef01234567",
            &"a".repeat(255),
        ] {
            assert_eq!(check_ref(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn src7_invalid_ref_in_url() {
        for s in [
            "https://github.com/o/r#my branch",
            "https://github.com/o/r#a..b",
            "https://github.com/o/r#a%20b",
            "https://github.com/o/r#%FF",
            "https://github.com/o/r#x.lock",
            "https://github.com/o/r/tree/-x",
        ] {
            assert_eq!(code_of(s), "SM0807", "{s:?}");
        }
        assert_eq!(code_of("https://github.com/o/r/tree/dev#main"), "SM0808");
    }

    // ---- SRC-1, SRC-2, SRC-9: candidate ----

    #[test]
    fn src1_source_beats_referer() {
        let c = candidate(&req(
            Some("https://github.com/a/referer"),
            Some("https://github.com/b/source#dev"),
        ));
        assert_eq!(c.repository, Some(repo("b", "source")));
        assert_eq!(c.git_ref.as_deref(), Some("dev"));
        assert_eq!(c.from, Some(SourceInput::Source));
        assert!(c.diagnostics.is_empty());
    }

    #[test]
    fn src1_nothing_to_deploy() {
        for r in [req(None, None), req(Some(""), None)] {
            let c = candidate(&r);
            assert_eq!(c.repository, None);
            assert_eq!(codes(&c.diagnostics), ["SM0811"]);
            assert_eq!(c.diagnostics[0].pointer, "/request");
        }
    }

    #[test]
    fn src1_empty_source_counts_as_absent() {
        let c = candidate(&req(Some("https://github.com/a/r"), Some("")));
        assert_eq!(c.repository, Some(repo("a", "r")));
        assert_eq!(c.from, Some(SourceInput::Referer));
        assert_eq!(codes(&c.diagnostics), ["SM0814"]);
        let c = candidate(&req(None, Some("")));
        assert_eq!(codes(&c.diagnostics), ["SM0814", "SM0811"]);
    }

    #[test]
    fn src2_referer_repository_pages() {
        let cases: &[(&str, Option<&str>, &[&str])] = &[
            ("https://github.com/o/r", None, &[]),
            ("https://github.com/o/r/", None, &[]),
            ("https://github.com/o/r?tab=readme-ov-file", None, &[]),
            ("https://github.com/o/r#readme", None, &[]),
            ("https://github.com/o/r/tree/dev", Some("dev"), &[]),
            (
                "https://github.com/o/r/tree/feature%2Fx",
                Some("feature/x"),
                &[],
            ),
            (
                "https://github.com/o/r/tree/main/api",
                Some("main"),
                &["SM0813"],
            ),
            (
                "https://github.com/o/r/blob/main/README.md",
                Some("main"),
                &[],
            ),
            ("https://github.com/o/r/blob/v2/docs/x.md", Some("v2"), &[]),
        ];
        for (referer, r, notes) in cases {
            let c = candidate(&req(Some(referer), None));
            assert_eq!(c.repository, Some(repo("o", "r")), "{referer}");
            assert_eq!(c.git_ref.as_deref(), *r, "{referer}");
            assert_eq!(c.from, Some(SourceInput::Referer));
            assert_eq!(codes(&c.diagnostics), *notes, "{referer}");
            assert!(c
                .diagnostics
                .iter()
                .all(|d| d.pointer == "/request/referer"));
        }
    }

    #[test]
    fn src2_other_referers_are_ignored_with_a_note() {
        for referer in [
            "https://github.com/",
            "https://github.com/o",
            "https://github.com/o/r/issues/3",
            "https://github.com/o/r/pulls",
            "https://github.com/o/r/blob/main",
            "https://github.com/search?q=scalingo",
            "http://github.com/o/r",
            "https://gitlab.com/o/r",
            "https://example.com/blog/post",
            "https://user:pw@github.com/o/r",
            "https://github.com/o/r/tree/a..b",
            "not a url",
        ] {
            let c = candidate(&req(Some(referer), None));
            assert_eq!(c.repository, None, "{referer}");
            assert_eq!(codes(&c.diagnostics), ["SM0812", "SM0811"], "{referer}");
            assert_eq!(c.diagnostics[0].severity, Severity::Note);
            assert_eq!(c.diagnostics[0].pointer, "/request/referer");
        }
    }

    #[test]
    fn src9_invalid_source_does_not_fall_back_to_referer() {
        for source in [
            "http://github.com/o/r",
            "https://gitlab.com/o/r",
            "https://github.com/o",
            "https://github.com/o/r#a..b",
        ] {
            let c = candidate(&req(Some("https://github.com/good/repo"), Some(source)));
            assert_eq!(c.repository, None, "{source}");
            assert_eq!(c.from, None);
            assert_eq!(c.diagnostics.len(), 1);
            assert!(c.diagnostics[0].is_error());
            assert_eq!(c.diagnostics[0].pointer, "/request/source");
            assert!(c.diagnostics[0].message.starts_with("`source`: "));
            let d = decide(&c, None, None, Some("main"));
            assert_eq!(d.repository, None);
            assert_eq!(d.git_ref, None);
        }
    }

    // ---- SRC-8 .. SRC-10: decision ----

    #[test]
    fn src10_ref_from_fragment_referer_path_default_branch_master() {
        let c = candidate(&req(None, Some("https://github.com/o/r#dev")));
        let d = decide(&c, None, None, Some("main"));
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("dev"), Some(RefOrigin::Fragment))
        );

        let c = candidate(&req(Some("https://github.com/o/r/tree/v2"), None));
        let d = decide(&c, None, None, Some("main"));
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("v2"), Some(RefOrigin::RefererPath))
        );

        let c = candidate(&req(None, Some("https://github.com/o/r")));
        let d = decide(&c, None, None, Some("main"));
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("main"), Some(RefOrigin::DefaultBranch))
        );
        assert!(d.diagnostics.is_empty());

        let d = decide(&c, None, None, None);
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("master"), Some(RefOrigin::DefaultBranch))
        );
        assert_eq!(codes(&d.diagnostics), ["SM0817"]);
    }

    #[test]
    fn src10_manifest_ref_wins() {
        let c = candidate(&req(None, Some("https://github.com/o/r#dev")));
        let d = decide(&c, None, Some("v3"), Some("main"));
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("v3"), Some(RefOrigin::Manifest))
        );
        assert_eq!(codes(&d.diagnostics), ["SM0818"]);
        assert_eq!(d.diagnostics[0].pointer, "/ref");
        // Same ref: nothing to say.
        let d = decide(&c, None, Some("dev"), None);
        assert_eq!(d.ref_from, Some(RefOrigin::Manifest));
        assert!(d.diagnostics.is_empty());
    }

    #[test]
    fn src10_invalid_refs_are_errors_without_fallback() {
        let c = candidate(&req(None, Some("https://github.com/o/r#dev")));
        let d = decide(&c, None, Some("bad ref"), Some("main"));
        assert_eq!(d.repository, Some(repo("o", "r")));
        assert_eq!(d.git_ref, None);
        assert_eq!(d.ref_from, None);
        assert_eq!(codes(&d.diagnostics), ["SM0807"]);
        assert_eq!(d.diagnostics[0].pointer, "/ref");

        // MAN-4, D-23: an empty ref is no ref at all, not an invalid one.
        let d = decide(&c, None, Some(""), None);
        assert_eq!(codes(&d.diagnostics), Vec::<&str>::new());
        assert_eq!(d.git_ref.as_deref(), Some("dev"));

        let c = candidate(&req(None, Some("https://github.com/o/r")));
        let d = decide(&c, None, None, Some("-main"));
        assert_eq!(d.git_ref, None);
        assert_eq!(codes(&d.diagnostics), ["SM0807"]);
        assert_eq!(d.diagnostics[0].pointer, "/default_branch");
    }

    #[test]
    fn src8_empty_manifest_fields_are_no_override() {
        // MAN-4, D-23: `""` and blanks are read as absent.
        let c = candidate(&req(None, Some("https://github.com/o/r#dev")));
        let d = decide(&c, Some(""), Some("  "), None);
        assert_eq!(d.repository, Some(repo("o", "r")));
        assert_eq!(d.git_ref.as_deref(), Some("dev"));
        assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    }

    #[test]
    fn src8_manifest_repository_redirects() {
        let c = candidate(&req(None, Some("https://github.com/o/r#dev")));
        let d = decide(
            &c,
            Some("https://github.com/other/code"),
            None,
            Some("trunk"),
        );
        assert_eq!(d.repository, Some(repo("other", "code")));
        assert_eq!(d.repository_from, Some(SourceInput::Manifest));
        // The `#dev` of `source` belonged to the candidate, not to the redirected code.
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("trunk"), Some(RefOrigin::DefaultBranch))
        );
        assert_eq!(codes(&d.diagnostics), ["SM0816"]);
        assert_eq!(d.diagnostics[0].pointer, "/repository");

        let d = decide(&c, Some("https://github.com/other/code#v9"), None, None);
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("v9"), Some(RefOrigin::Fragment))
        );
        let d = decide(
            &c,
            Some("https://github.com/other/code/tree/v9"),
            Some("v10"),
            None,
        );
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("v10"), Some(RefOrigin::Manifest))
        );
        assert_eq!(codes(&d.diagnostics), ["SM0816", "SM0818"]);
    }

    #[test]
    fn src8_manifest_repository_naming_itself_confirms() {
        // The docs' sample manifest names its own repository.
        let c = candidate(&req(
            None,
            Some("https://github.com/Scalingo/sample-go-martini#custom_branch"),
        ));
        let d = decide(
            &c,
            Some("https://github.com/scalingo/Sample-Go-Martini.git/"),
            None,
            Some("main"),
        );
        assert_eq!(d.repository, Some(repo("Scalingo", "sample-go-martini")));
        assert_eq!(d.repository_from, Some(SourceInput::Source));
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("custom_branch"), Some(RefOrigin::Fragment))
        );
        assert_eq!(codes(&d.diagnostics), ["SM0815"]);

        // Same repository but the manifest writes its own ref: the manifest decides.
        let d = decide(
            &c,
            Some("https://github.com/Scalingo/sample-go-martini#stable"),
            None,
            None,
        );
        assert_eq!(d.repository_from, Some(SourceInput::Manifest));
        assert_eq!(
            (d.git_ref.as_deref(), d.ref_from),
            (Some("stable"), Some(RefOrigin::Fragment))
        );
        assert!(d.diagnostics.is_empty());
    }

    #[test]
    fn src9_invalid_manifest_repository_does_not_fall_back() {
        let c = candidate(&req(None, Some("https://github.com/o/r#dev")));
        for (repository, code) in [
            ("http://github.com/heroku/go-getting-started", "SM0801"),
            ("https://gitlab.com/baserow/baserow", "SM0803"),
            ("https://github.com/natemacs", "SM0804"),
            (" x ", "SM0800"),
            ("https://github.com/o/r#a..b", "SM0807"),
        ] {
            let d = decide(&c, Some(repository), Some("v1"), Some("main"));
            assert_eq!(d.repository, None, "{repository}");
            assert_eq!(d.git_ref, None);
            assert_eq!(d.repository_from, None);
            assert_eq!(codes(&d.diagnostics), [code], "{repository}");
            assert_eq!(d.diagnostics[0].pointer, "/repository");
            assert!(d.diagnostics[0]
                .message
                .starts_with("the manifest's `repository`: "));
        }
        // Both invalid: both reported.
        let d = decide(&c, Some("http://github.com/o/r"), Some("a b"), None);
        assert_eq!(codes(&d.diagnostics), ["SM0801", "SM0807"]);
    }

    #[test]
    fn decision_keeps_candidate_diagnostics_first() {
        let c = candidate(&req(Some("https://github.com/o/r/tree/main/api"), None));
        let d = decide(&c, None, None, None);
        assert_eq!(d.git_ref.as_deref(), Some("main"));
        assert_eq!(codes(&d.diagnostics), ["SM0813"]);
        let c = candidate(&req(
            Some("https://github.com/o/r/issues"),
            Some("https://github.com/o/r"),
        ));
        let d = decide(&c, None, None, None);
        assert_eq!(codes(&d.diagnostics), ["SM0817"]);
        let c = candidate(&req(None, Some("https://github.com/o/r?x")));
        let d = decide(&c, None, None, None);
        assert_eq!(codes(&d.diagnostics), ["SM0809", "SM0817"]);
        let c = candidate(&req(None, None));
        let d = decide(&c, None, None, Some("main"));
        assert_eq!(d.repository, None);
        assert_eq!(codes(&d.diagnostics), ["SM0811"]);
    }

    /// Priority (D-4): every combination of (manifest repository, source, Referer), each
    /// absent, valid or invalid. Expected: the highest-priority input present decides;
    /// when it is invalid, nothing is deployed.
    #[test]
    fn priority_table() {
        #[derive(Clone, Copy, Debug)]
        enum I {
            Absent,
            Valid,
            Invalid,
        }
        use I::*;
        let all = [Absent, Valid, Invalid];
        for m in all {
            for s in all {
                for r in all {
                    let referer = match r {
                        Absent => None,
                        Valid => Some("https://github.com/ref/erer/tree/rbranch"),
                        Invalid => Some("https://example.com/"),
                    };
                    let source = match s {
                        Absent => None,
                        Valid => Some("https://github.com/sou/rce#sbranch"),
                        Invalid => Some("http://github.com/sou/rce"),
                    };
                    let manifest = match m {
                        Absent => None,
                        Valid => Some("https://github.com/mani/fest"),
                        Invalid => Some("https://gitlab.com/mani/fest"),
                    };
                    let c = candidate(&req(referer, source));
                    // In a real deploy no manifest is read without a candidate.
                    let manifest = if c.repository.is_some() {
                        manifest
                    } else {
                        None
                    };
                    let d = decide(&c, manifest, None, Some("main"));
                    let got = (
                        d.repository.as_ref().map(|r| r.url.as_str()),
                        d.git_ref.as_deref(),
                        d.repository_from,
                    );
                    let expected = match (m, s, r) {
                        // No candidate: nothing is read, nothing is deployed.
                        (_, Invalid, _) | (_, Absent, Absent | Invalid) => (None, None, None),
                        (Valid, _, _) => (
                            Some("https://github.com/mani/fest"),
                            Some("main"),
                            Some(SourceInput::Manifest),
                        ),
                        (Invalid, _, _) => (None, None, None),
                        (Absent, Valid, _) => (
                            Some("https://github.com/sou/rce"),
                            Some("sbranch"),
                            Some(SourceInput::Source),
                        ),
                        (Absent, Absent, Valid) => (
                            Some("https://github.com/ref/erer"),
                            Some("rbranch"),
                            Some(SourceInput::Referer),
                        ),
                    };
                    assert_eq!(got, expected, "manifest {m:?}, source {s:?}, referer {r:?}");
                    let errors = d.diagnostics.iter().any(Diagnostic::is_error);
                    assert_eq!(errors, expected.0.is_none(), "{m:?} {s:?} {r:?}");
                }
            }
        }
    }

    /// Removing an input of lower priority than the deciding one never changes the result.
    #[test]
    fn removing_lower_priority_inputs_changes_nothing() {
        let referers = [
            None,
            Some("https://github.com/x/y"),
            Some("https://example.com/"),
        ];
        for referer in referers {
            for source in [Some("https://github.com/a/b#c"), Some("http://bad")] {
                let with = candidate(&req(referer, source));
                let without = candidate(&req(None, source));
                assert_eq!(with, without, "{referer:?} {source:?}");
            }
        }
        // With a manifest `repository` naming another repository, the request's inputs
        // change nothing but the notes.
        let a = decide(
            &candidate(&req(Some("https://github.com/x/y/tree/q"), None)),
            Some("https://github.com/m/n"),
            None,
            Some("main"),
        );
        let b = decide(
            &candidate(&req(None, Some("https://github.com/a/b#c"))),
            Some("https://github.com/m/n"),
            None,
            Some("main"),
        );
        assert_eq!(
            (&a.repository, &a.git_ref, a.repository_from, a.ref_from),
            (&b.repository, &b.git_ref, b.repository_from, b.ref_from)
        );
    }

    #[test]
    fn serde_shapes() {
        let r: OneClickRequest = serde_json::from_str(
            r#"{"referer": "https://github.com/o/r", "source": "https://github.com/o/s"}"#,
        )
        .unwrap();
        assert_eq!(
            r,
            req(
                Some("https://github.com/o/r"),
                Some("https://github.com/o/s")
            )
        );
        let r: OneClickRequest = serde_json::from_str(r#"{"referrer": "x"}"#).unwrap();
        assert_eq!(r, req(Some("x"), None));
        let r: OneClickRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(r, OneClickRequest::default());
        assert!(serde_json::from_str::<OneClickRequest>(r#"{"sources": "x"}"#).is_err());
        assert_eq!(
            serde_json::to_string(&SourceInput::Referer).unwrap(),
            r#""referer""#
        );
        assert_eq!(
            serde_json::to_string(&SourceInput::Manifest).unwrap(),
            r#""manifest""#
        );
        assert_eq!(
            serde_json::to_string(&RefOrigin::RefererPath).unwrap(),
            r#""referer-path""#
        );
        assert_eq!(
            serde_json::to_string(&RefOrigin::DefaultBranch).unwrap(),
            r#""default-branch""#
        );
    }

    #[test]
    fn decode_ref_handles_bad_escapes() {
        assert_eq!(decode_ref("a%2").unwrap(), "a%2");
        assert_eq!(decode_ref("a%zz").unwrap(), "a%zz");
        assert_eq!(decode_ref("a%+f").unwrap(), "a%+f");
        assert_eq!(decode_ref("%41%42").unwrap(), "AB");
        // Hex digits in either case, letters and digits mixed.
        assert_eq!(decode_ref("a%2fb%2Fc").unwrap(), "a/b/c");
        assert_eq!(decode_ref("%c3%a9%C3%A9").unwrap(), "éé");
        assert_eq!(decode_ref("%7e%7E").unwrap(), "~~");
        assert_eq!(decode_ref("é%").unwrap(), "é%");
        assert_eq!(decode_ref("%C3").unwrap_err().code, "SM0807");
    }

    #[test]
    fn spec_examples_messages() {
        let c = candidate(&req(None, Some("https://github.com/o/r#my branch")));
        assert_eq!(
            c.diagnostics[0].message,
            "`source`: the ref `my branch` is not a valid Git ref: it contains a space"
        );
        let c = candidate(&req(None, Some("https://alice:hunter2@github.com/o/r")));
        assert_eq!(
            c.diagnostics[0].message,
            "`source`: the URL contains credentials (a user name or password before `@`); they are not repeated here"
        );
        let c = candidate(&req(None, Some("https://github.com/o/r")));
        let d = decide(
            &c,
            Some("http://github.com/heroku/go-getting-started"),
            None,
            None,
        );
        assert_eq!(
            d.diagnostics[0].message,
            "the manifest's `repository`: the URL uses `http`, not `https`"
        );
        let d = parse_github_url("https://github.com/natemacs").unwrap_err();
        assert_eq!(
            d.message,
            "the URL names the owner `natemacs` but no repository"
        );
    }

    /// Totality: odd inputs never panic, and an accepted URL always yields a canonical
    /// repository URL and a valid ref (deterministic pseudo-random strings).
    #[test]
    fn never_panics_on_odd_inputs() {
        const PIECES: &[&str] = &[
            "https://",
            "http://",
            "github.com",
            "/",
            "o",
            "r",
            ".git",
            "#",
            "%",
            "%2F",
            "%FF",
            "@",
            ":",
            "?",
            "..",
            ".",
            "tree",
            "blob",
            " ",
            "\\",
            "é",
            "\u{0}",
            "-",
            "www.",
            "443",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut accepted = 0usize;
        for _ in 0..3000 {
            let mut s = String::from(if state % 2 == 0 {
                "https://github.com/o/r"
            } else {
                ""
            });
            for _ in 0..(state % 7) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
            }
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            if let Ok((repo, r)) = parse_github_url(&s) {
                assert_eq!(
                    repo.url,
                    format!("https://github.com/{}/{}", repo.owner, repo.name)
                );
                assert_eq!(check_owner(&repo.owner), Ok(()));
                assert_eq!(check_repo_name(&repo.name), Ok(()));
                if let Some(r) = r {
                    assert_eq!(check_ref(&r), Ok(()), "{s:?}");
                }
            }
            let c = candidate(&req(Some(&s), Some(&s)));
            let d = decide(&c, Some(&s), Some(&s), Some(&s));
            assert_eq!(
                d.repository.is_some(),
                c.repository.is_some() || parse_github_url(&s).is_ok()
            );
            accepted += usize::from(parse_github_url(&s).is_ok());
            let _ = crate::locate::locate([s.as_str()], Some(&s));
        }
        assert!(accepted > 100, "only {accepted} accepted");
    }
}
