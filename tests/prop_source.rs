//! Properties of `source` (spec `spec/source.md`, rules `SRC-1` .. `SRC-10`): which
//! repository and ref a one-click deploy uses, from the Referer, the `source` parameter and
//! the manifest's `repository` and `ref` (passed as strings: no manifest parsing here).

mod common;

use common::strategies::{any_ref, any_url, github_url, request, url_with_credentials};
use proptest::option;
use proptest::prelude::*;
use scalingo_manifest::source::{
    candidate, check_ref, decide, parse_github_url, OneClickRequest, RefOrigin, SourceDecision,
    SourceInput,
};
use scalingo_manifest::Diagnostic;

const REGRESSIONS: &str = "proptest-regressions/prop_source.txt";

/// Both phases: the candidate from the request, then the decision with the manifest's keys.
fn full(
    req: &OneClickRequest,
    manifest_repository: Option<&str>,
    manifest_ref: Option<&str>,
    default_branch: Option<&str>,
) -> SourceDecision {
    decide(
        &candidate(req),
        manifest_repository,
        manifest_ref,
        default_branch,
    )
}

fn has(diags: &[Diagnostic], code: &str) -> bool {
    diags.iter().any(|d| d.code == code)
}

/// An independent statement of `SRC-7` (the basic rules of `git check-ref-format
/// --branch`, at most 255 bytes).
fn model_ref_ok(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 255
        && !r.chars().any(|c| c.is_control() || c == ' ')
        && !r.contains(['~', '^', ':', '?', '*', '[', '\\'])
        && !r.contains("..")
        && !r.contains("@{")
        && r != "@"
        && !r.starts_with('-')
        && !r.ends_with('.')
        && r.split('/')
            .all(|c| !c.is_empty() && !c.starts_with('.') && !c.ends_with(".lock"))
}

/// A manifest `repository` key: absent, a repository URL (often the candidate itself, the
/// pools being small), or any URL-ish string.
fn manifest_repository() -> impl Strategy<Value = Option<String>> {
    option::weighted(0.6, prop_oneof![2 => github_url(), 1 => any_url()])
}

/// A request and a manifest `repository` key that, half of the time, names the request's
/// candidate itself (as written, with another case, with `.git`, or with a ref of its
/// own), so that the confirm case of `SRC-8` is well covered.
fn request_and_manifest_repository() -> impl Strategy<Value = (OneClickRequest, Option<String>)> {
    request().prop_flat_map(|req| {
        let echoes: Vec<String> = candidate(&req)
            .repository
            .map(|r| {
                vec![
                    r.url.clone(),
                    format!(
                        "https://github.com/{}/{}",
                        r.owner.to_ascii_uppercase(),
                        r.name
                    ),
                    format!("{}.git", r.url),
                    format!("{}#dev", r.url),
                    format!("{}/tree/main", r.url),
                ]
            })
            .unwrap_or_default();
        let m_repo = if echoes.is_empty() {
            manifest_repository().boxed()
        } else {
            prop_oneof![
                manifest_repository(),
                proptest::sample::select(echoes).prop_map(Some),
            ]
            .boxed()
        };
        (Just(req), m_repo)
    })
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// SRC-1: with a non-empty `source`, the Referer is not looked at at all: its presence,
    /// absence or value changes nothing, not even the diagnostics.
    #[test]
    fn src_1_a_source_makes_the_referer_irrelevant(req in request(), other in option::of(any_url())) {
        if req.source.as_deref().is_some_and(|s| !s.is_empty()) {
            let with = candidate(&req);
            let without = candidate(&OneClickRequest { referer: None, ..req.clone() });
            let replaced = candidate(&OneClickRequest { referer: other, ..req.clone() });
            prop_assert_eq!(&with, &without);
            prop_assert_eq!(&with, &replaced);
        }
    }

    /// SRC-1, SRC-9: the candidate comes from the highest-priority input present: a
    /// non-empty `source` decides alone (an invalid one gives no candidate and one error at
    /// `/request/source`, never a fall-back to the Referer); otherwise the Referer, if it is
    /// a repository page; otherwise error SM0811. An empty `source` counts as absent, with
    /// note SM0814.
    #[test]
    fn src_1_candidate_comes_from_the_highest_priority_input(req in request()) {
        let c = candidate(&req);
        prop_assert_eq!(has(&c.diagnostics, "SM0814"), req.source.as_deref() == Some(""));
        match req.source.as_deref().filter(|s| !s.is_empty()) {
            Some(source) => match parse_github_url(source) {
                Ok((repo, git_ref)) => {
                    prop_assert_eq!(c.repository, Some(repo));
                    prop_assert_eq!(c.git_ref, git_ref);
                    prop_assert_eq!(c.from, Some(SourceInput::Source));
                    prop_assert!(!c.diagnostics.iter().any(Diagnostic::is_error));
                }
                Err(_) => {
                    prop_assert_eq!(c.repository, None);
                    prop_assert_eq!(c.from, None);
                    let errors: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
                    prop_assert_eq!(errors.len(), 1);
                    prop_assert_eq!(errors[0].pointer.as_str(), "/request/source");
                }
            },
            None => match &c.repository {
                Some(_) => {
                    prop_assert_eq!(c.from, Some(SourceInput::Referer));
                    prop_assert!(req.referer.as_deref().is_some_and(|r| !r.is_empty()));
                }
                None => {
                    prop_assert_eq!(c.from, None);
                    prop_assert!(has(&c.diagnostics, "SM0811"));
                }
            },
        }
    }

    /// SRC-8, SRC-9: removing an input of lower priority than the one that decided never
    /// changes the repository (GitHub compares owner and name case-insensitively) and,
    /// outside the confirm case (note SM0815 on either side), never changes the ref. When
    /// `source` decided, dropping the Referer changes nothing at all.
    #[test]
    fn src_8_removing_a_lower_priority_input_never_changes_the_repository(
        (req, m_repo) in request_and_manifest_repository(),
        m_ref in option::weighted(0.3, any_ref()),
        default_branch in option::of(any_ref()),
    ) {
        let decide_with = |r: &OneClickRequest| {
            full(r, m_repo.as_deref(), m_ref.as_deref(), default_branch.as_deref())
        };
        let d = decide_with(&req);
        let Some(repo) = d.repository.clone() else { return Ok(()) };
        let no_referer = OneClickRequest { referer: None, ..req.clone() };
        let no_source = OneClickRequest { source: None, ..req.clone() };
        let neither = OneClickRequest::default();
        let lower: Vec<&OneClickRequest> = match d.repository_from {
            Some(SourceInput::Manifest) => vec![&no_referer, &no_source, &neither],
            Some(SourceInput::Source) => vec![&no_referer],
            _ => vec![],
        };
        for variant in lower {
            let e = decide_with(variant);
            let same = e.repository.as_ref().is_some_and(|r| r.same_as(&repo));
            prop_assert!(same, "{:?} became {:?} without a lower-priority input", repo, e.repository);
            if !has(&d.diagnostics, "SM0815") && !has(&e.diagnostics, "SM0815") {
                prop_assert_eq!(&e.git_ref, &d.git_ref);
            }
            if d.repository_from == Some(SourceInput::Source) {
                prop_assert_eq!(&e, &d);
            }
        }
    }

    /// SRC-8: a valid manifest `repository` decides the repository whatever the request
    /// says, unless it names the candidate itself without a ref of its own (the confirm
    /// case, note SM0815, the candidate's input stays the decider).
    #[test]
    fn src_8_the_manifest_repository_has_the_highest_priority(
        (req, m_repo) in request_and_manifest_repository(),
        default_branch in option::of(any_ref()),
    ) {
        let Some(m_repo) = m_repo else { return Ok(()) };
        let c = candidate(&req);
        let d = decide(&c, Some(&m_repo), None, default_branch.as_deref());
        if m_repo.trim().is_empty() {
            // MAN-4, D-23: an empty override is no override.
            prop_assert_eq!(&d, &decide(&c, None, None, default_branch.as_deref()));
            return Ok(());
        }
        match parse_github_url(&m_repo) {
            Err(_) => {
                prop_assert_eq!(d.repository, None);
                prop_assert!(d.diagnostics.iter().any(|x| x.is_error() && x.pointer == "/repository"));
            }
            Ok((repo, url_ref)) => {
                let confirms = url_ref.is_none() && c.repository.as_ref().is_some_and(|cr| cr.same_as(&repo));
                if confirms {
                    prop_assert_eq!(&d.repository, &c.repository);
                    prop_assert_eq!(d.repository_from, c.from);
                    prop_assert!(has(&d.diagnostics, "SM0815"));
                } else {
                    prop_assert_eq!(d.repository, Some(repo));
                    prop_assert_eq!(d.repository_from, Some(SourceInput::Manifest));
                    prop_assert!(!has(&d.diagnostics, "SM0815"));
                }
            }
        }
    }

    /// SRC-10, SRC-9: the ref is the manifest's `ref` when present (an invalid one gives no
    /// ref, never a fall-back), else the deciding URL's ref, else the default branch, else
    /// `master` (note SM0817); the default branch never matters when a ref is written; the
    /// candidate's ref never follows a redirect.
    #[test]
    fn src_10_ref_priority(
        (req, m_repo) in request_and_manifest_repository(),
        m_ref in option::weighted(0.3, any_ref()),
        default_branch in option::of(any_ref()),
    ) {
        let d = full(&req, m_repo.as_deref(), m_ref.as_deref(), default_branch.as_deref());
        if d.repository.is_none() {
            prop_assert_eq!(&d.git_ref, &None);
            return Ok(());
        }
        match m_ref.as_deref() {
            Some(r) if check_ref(r).is_ok() => {
                prop_assert_eq!(d.git_ref.as_deref(), Some(r));
                prop_assert_eq!(d.ref_from, Some(RefOrigin::Manifest));
            }
            Some(_) => {
                prop_assert_eq!(&d.git_ref, &None);
                prop_assert!(d.diagnostics.iter().any(|x| x.is_error() && x.pointer == "/ref"));
            }
            None => match d.ref_from {
                Some(RefOrigin::DefaultBranch) => match default_branch.as_deref() {
                    Some(b) if check_ref(b).is_ok() => prop_assert_eq!(d.git_ref.as_deref(), Some(b)),
                    Some(_) => prop_assert_eq!(&d.git_ref, &None),
                    None => {
                        prop_assert_eq!(d.git_ref.as_deref(), Some("master"));
                        prop_assert!(has(&d.diagnostics, "SM0817"));
                    }
                },
                Some(RefOrigin::Fragment | RefOrigin::RefererPath) => {
                    prop_assert!(d.git_ref.is_some());
                    let without = full(&req, m_repo.as_deref(), None, None);
                    prop_assert_eq!(&without.git_ref, &d.git_ref);
                }
                other => prop_assert!(other.is_none() && d.git_ref.is_none(), "{:?}", d),
            },
        }
        if d.repository_from == Some(SourceInput::Manifest) && m_ref.is_none() {
            let url_ref = m_repo.as_deref().and_then(|u| parse_github_url(u).ok()).and_then(|(_, r)| r);
            match url_ref {
                Some(r) => prop_assert_eq!(d.git_ref, Some(r)),
                None => prop_assert!(matches!(d.ref_from, Some(RefOrigin::DefaultBranch) | None)),
            }
        }
    }

    /// SRC-4, SRC-6: credentials and tokens in a URL (Referer, `source` or the manifest's
    /// `repository`) never appear in any diagnostic (message, hint, anything) nor in the
    /// decision.
    #[test]
    fn src_4_credentials_never_appear_in_any_diagnostic(
        (url, secrets) in url_with_credentials(),
        role in 0..3usize,
        other in any_url(),
        default_branch in option::of(any_ref()),
    ) {
        let (req, m_repo) = match role {
            0 => (OneClickRequest { referer: Some(url.clone()), source: None }, None),
            1 => (OneClickRequest { referer: Some(other), source: Some(url.clone()) }, None),
            _ => (OneClickRequest { referer: None, source: Some(other) }, Some(url.as_str())),
        };
        let d = full(&req, m_repo, None, default_branch.as_deref());
        let direct = parse_github_url(&url).err();
        let text = format!(
            "{}{}",
            serde_json::to_string(&d).unwrap_or_default(),
            serde_json::to_string(&direct).unwrap_or_default()
        );
        for s in &secrets {
            prop_assert!(!text.contains(s.as_str()), "{s} is echoed: {text}");
        }
    }

    /// SRC-3, SRC-6: `parse_github_url` is total, and whatever it accepts is a canonical
    /// `https://github.com/<owner>/<repo>` with a valid owner, name and ref.
    #[test]
    fn src_6_accepted_urls_are_canonical_repositories(url in prop_oneof![any_url(), any::<String>()]) {
        if let Ok((repo, git_ref)) = parse_github_url(&url) {
            prop_assert_eq!(&repo.url, &format!("https://github.com/{}/{}", repo.owner, repo.name));
            let owner_ok = (1..=39).contains(&repo.owner.len())
                && repo.owner.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !repo.owner.starts_with('-')
                && !repo.owner.ends_with('-')
                && !repo.owner.contains("--");
            prop_assert!(owner_ok, "owner {:?}", repo.owner);
            let name_ok = (1..=100).contains(&repo.name.len())
                && repo.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
                && repo.name != "."
                && repo.name != "..";
            prop_assert!(name_ok, "name {:?}", repo.name);
            if let Some(r) = git_ref {
                prop_assert!(model_ref_ok(&r), "ref {r:?}");
            }
        }
    }

    /// SRC-3: a dot segment (`.`, `..`, each possibly written `%2e` in any case) anywhere
    /// in the path of an otherwise accepted URL makes it an error (SM0800): the URL parser
    /// would resolve it away, so no URL can silently name another repository.
    #[test]
    fn src_3_a_dot_segment_never_names_another_repository(
        url in github_url(),
        dot in proptest::sample::select(vec![".", "..", "%2e", "%2E", ".%2e", "%2e.", "%2E%2e"]),
        at in any::<proptest::sample::Index>(),
        tail in proptest::sample::select(vec!["", "/x/y", "/../../attacker/app"]),
    ) {
        let (head, fragment) = url.split_once('#').map_or((url.as_str(), None), |(h, f)| (h, Some(f)));
        let slashes: Vec<usize> = head.match_indices('/').map(|(i, _)| i).skip(2).collect();
        let cut = slashes[at.index(slashes.len())];
        let mut hostile = format!("{}/{dot}{}{tail}", &head[..cut], &head[cut..]);
        if let Some(f) = fragment {
            hostile.push('#');
            hostile.push_str(f);
        }
        let d = parse_github_url(&hostile).unwrap_err();
        prop_assert_eq!(d.code.as_str(), "SM0800", "{}: {:?}", hostile, d);
    }

    /// SRC-7: `check_ref` accepts exactly the refs the rule describes.
    #[test]
    fn src_7_check_ref_matches_the_rule(r in prop_oneof![any_ref(), "[a-z./@{}~^:?*\\[\\\\ -]{0,8}", any::<String>()]) {
        prop_assert_eq!(check_ref(&r).is_ok(), model_ref_ok(&r), "{:?}", check_ref(&r));
    }
}
