//! The manifest's `firewall_rules` key read as a document (rules `FW-1` to `FW-7`,
//! `spec/firewall.md`): `check_rules` (crate-internal, called by manifest validation)
//! reads the key's JSON value into [`FirewallRuleSpec`]s. It is dated: the IP versions and
//! the rule limit come from the platform catalogue ([`platform::firewall_ip_versions`],
//! [`platform::firewall_max_rules`], rule `PLAT-9`).
//!
//! What the new app is created with is decided downstream, by
//! [`firewall::resolve`](crate::firewall::resolve) (rules `FW-8` to `FW-11`), which also
//! re-exports the rule keys and [`FirewallRuleSpec`]; this module's codes are owned by
//! `firewall` in the code table ([`Code::owner`]).

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::diag::{self, pointer_push, suggest, Code, Diagnostic};
use crate::manifest::json::{Json, Member, Node};
use crate::platform::{self, Date, Dated, IpVersions};
use crate::text::Span;

/// The keys of a rule object (rule `FW-2`): those of the JSON Schema's firewall rule.
pub const RULE_KEYS: [&str; 2] =
    crate::manifest::schema::keys(&crate::manifest::schema::FIREWALL_RULE_FIELDS);

/// An example range for hints.
const EXAMPLE: &str = "`203.0.113.0/24`, or `/32` for a single address such as `203.0.113.42/32`";

/// One rule of the manifest's `firewall_rules`, as validated (rules `FW-2` to `FW-6`).
///
/// JSON: `{"cidr": "10.0.0.0/24", "written": "10.0.0.1/24", "label": "office",
/// "span": {"start": 21, "end": 60}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirewallRuleSpec {
    /// The range as the platform applies it: its network address and prefix length, in
    /// canonical notation (`10.0.0.0/24`; rule `FW-5`).
    pub cidr: String,
    /// The `cidr` string exactly as written; differs from `cidr` only when host bits are
    /// set (`10.0.0.1/24`).
    pub written: String,
    /// The `label`; `None` when absent, `null`, `""` or not a string. Any length is kept:
    /// no maximum is documented.
    pub label: Option<String>,
    /// Span of the rule object in the manifest (the array element).
    pub span: Span,
}

/// Reads the manifest's `firewall_rules` value `node` (rules `FW-1` to `FW-7`) as of
/// `date`.
///
/// `ptr` is the pointer of the key (`/firewall_rules`); findings point at
/// `ptr/N` (a rule), `ptr/N/cidr`, `ptr/N/label` or `ptr/N/<key>`, and carry the span of
/// `text` (the manifest's text) they are about, their line and column left to
/// [`diag::locate`] as for every finding of the manifest check. Returns `None` when the
/// value is not an array (SM1400: the key is then read as absent), else `Some` of the rules
/// kept, in document order, possibly empty (an empty list disables the firewall of a review
/// app). A rule is left out, with an error, when it is not an object, has no valid `cidr`,
/// or its range is of an IP version the firewall does not accept on `date`; a later rule
/// with the same network as an earlier one is left out with a warning. Nothing is left out
/// silently.
///
/// Dated facts (rule `PLAT-9`): the accepted IP versions and the default rule limit on
/// `date`; before the catalogue's first firewall entry the earliest entry applies (the
/// caller is expected to report the key as unknown then, see the module doc). Linear in
/// the number of rules up to a log factor; never panics.
pub(crate) fn check_rules(
    node: &Node,
    ptr: &str,
    date: Date,
    text: &str,
) -> (Option<Vec<FirewallRuleSpec>>, Vec<Diagnostic>) {
    let mut c = Checker {
        text,
        diags: Vec::new(),
        versions: platform::firewall_ip_versions(date)
            .or_else(|| platform::FIREWALL_IP_VERSIONS.first()),
    };
    let Json::Array(items) = &node.value else {
        let hint = match &node.value {
            Json::Null => "write `[]` to create a review app without firewall rules, or remove the key to keep the parent app's rules",
            Json::Object(fields) if fields.iter().any(|f| f.key == "cidr") => {
                "wrap the rule in a list: `[{\"cidr\": ..., \"label\": ...}]`"
            }
            _ => "write a list such as `[{\"cidr\": \"203.0.113.0/24\", \"label\": \"office\"}]`",
        };
        let d = c
            .at(
                Code::FirewallRulesNotArray,
                format!(
                    "`firewall_rules` must be an array, found {}: the key is ignored",
                    diag::article(node.value.type_name())
                ),
                ptr,
                node.span,
            )
            .with_hint(hint);
        c.diags.push(d);
        return (None, c.diags);
    };
    let mut kept: Vec<FirewallRuleSpec> = Vec::with_capacity(items.len());
    let mut kept_at: Vec<(String, Span)> = Vec::with_capacity(items.len());
    let mut first_by_net: BTreeMap<IpNet, (String, Option<String>)> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let iptr = pointer_push(ptr, &i.to_string());
        let Some((net, spec)) = c.rule(item, &iptr) else {
            continue;
        };
        if let Some((first_ptr, first_label)) = first_by_net.get(&net) {
            let message = if spec.label.is_some() && spec.label != *first_label {
                format!(
                    "rule `{}` repeats the range of `{first_ptr}`: it is ignored, and its label {} with it",
                    spec.cidr,
                    quoted(spec.label.as_deref().unwrap_or_default())
                )
            } else {
                format!(
                    "rule `{}` repeats the range of `{first_ptr}`: it is ignored",
                    spec.cidr
                )
            };
            let d = c
                .at(Code::DuplicateFirewallRule, message, &iptr, item.span)
                .with_hint("remove this rule; a range needs one rule");
            c.diags.push(d);
            continue;
        }
        first_by_net.insert(net, (iptr.clone(), spec.label.clone()));
        kept_at.push((iptr, item.span));
        kept.push(spec);
    }
    let max = platform::firewall_max_rules(date).or_else(|| platform::FIREWALL_MAX_RULES.first());
    if let Some(max) = max {
        if let Some((first_over_ptr, first_over_span)) = kept_at.get(max.value) {
            let d = c
                .at(
                    Code::TooManyFirewallRules,
                    format!(
                        "`firewall_rules` has {} rules, more than {}: the default limit; creation fails unless Scalingo support raised it",
                        kept.len(),
                        max.value
                    ),
                    first_over_ptr,
                    *first_over_span,
                )
                .with_hint(format!(
                    "merge ranges into wider ones, or ask Scalingo support to raise the app's limit (each application can have up to {} rules by default: {})",
                    max.value, max.source
                ));
            c.diags.push(d);
        }
    }
    diag::sort(&mut c.diags);
    (Some(kept), c.diags)
}

/// The state of one `check_rules` call.
struct Checker<'a> {
    text: &'a str,
    diags: Vec<Diagnostic>,
    versions: Option<&'static Dated<IpVersions>>,
}

/// Why a `cidr` string is not accepted (rules `FW-3`, `FW-4`).
enum CidrProblem {
    /// SM1408: white space around it; the trimmed text.
    Whitespace(String),
    /// SM1407: an address without prefix length; the address.
    NoPrefix(IpAddr),
    /// SM1409: a range (or address) of an IP version not accepted.
    Version(IpAddr),
    /// SM1406: what is wrong, if more can be said, and the canonical form when one is
    /// obvious.
    Invalid(Option<String>, Option<String>),
}

impl Checker<'_> {
    /// A diagnostic for `code` at `pointer`, located at `span`.
    fn at(&self, code: Code, message: String, pointer: &str, span: Span) -> Diagnostic {
        Diagnostic::new(code, message)
            .with_pointer(pointer)
            .with_span_to_locate(span)
    }

    /// One element (rule `FW-2`); its network and spec when it is kept.
    fn rule(&mut self, item: &Node, ptr: &str) -> Option<(IpNet, FirewallRuleSpec)> {
        let Json::Object(fields) = &item.value else {
            let hint = match &item.value {
                Json::String(s) => format!(
                    "write `{{\"cidr\": \"{}\"}}`; this element is not applied",
                    diag::excerpt(s)
                ),
                _ => "write `{\"cidr\": \"203.0.113.0/24\", \"label\": \"office\"}`; this element is not applied".to_string(),
            };
            let d = self
                .at(
                    Code::FirewallRuleNotObject,
                    format!(
                        "firewall rule must be an object, found {}",
                        diag::article(item.value.type_name())
                    ),
                    ptr,
                    item.span,
                )
                .with_hint(hint);
            self.diags.push(d);
            return None;
        };
        let mut cidr: Option<&Member> = None;
        let mut label: Option<String> = None;
        let mut cidr_alias: Option<&str> = None;
        for f in fields.iter() {
            let fptr = pointer_push(ptr, f.key);
            match f.key {
                "cidr" => cidr = Some(f),
                "label" => label = self.label(f, &fptr),
                key => {
                    let hint = match key {
                        "ip" | "ips" | "range" | "address" | "network" | "subnet"
                        | "cidr_block" | "source" => {
                            cidr_alias = Some(key);
                            format!("the range is read from `cidr`: rename `{key}` to `cidr`")
                        }
                        "name" | "description" | "comment" => {
                            format!(
                                "the rule's name is read from `label`: rename `{key}` to `label`"
                            )
                        }
                        "id" => "rule IDs are assigned by the platform; remove `id`".to_string(),
                        _ => match suggest(diag::head(key), &RULE_KEYS) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "a firewall rule reads `cidr` and `label`".to_string(),
                        },
                    };
                    let d = self
                        .at(
                            Code::UnknownFirewallRuleKey,
                            format!(
                                "unknown key `{}` in a firewall rule: ignored",
                                diag::excerpt(key)
                            ),
                            &fptr,
                            f.key_span,
                        )
                        .with_hint(hint);
                    self.diags.push(d);
                }
            }
        }
        let Some(cidr) = cidr else {
            let hint = match cidr_alias {
                Some(k) => format!("rename `{k}` to `cidr`; this rule is not applied"),
                None => format!(
                    "add `\"cidr\"`: an IPv4 range such as {EXAMPLE}; this rule is not applied"
                ),
            };
            let d = self
                .at(
                    Code::CidrMissing,
                    "firewall rule has no `cidr`".to_string(),
                    ptr,
                    item.span,
                )
                .with_hint(hint);
            self.diags.push(d);
            return None;
        };
        let cptr = pointer_push(ptr, "cidr");
        let Json::String(written) = &cidr.value.value else {
            let d = self
                .at(
                    Code::CidrMissing,
                    format!(
                        "`cidr` must be a string, found {}",
                        diag::article(cidr.value.value.type_name())
                    ),
                    &cptr,
                    cidr.value.span,
                )
                .with_hint(format!(
                    "write an IPv4 range as a string, such as {EXAMPLE}; this rule is not applied"
                ));
            self.diags.push(d);
            return None;
        };
        let net = match parse_cidr(written, self.versions.map(|v| v.value)) {
            Ok(net) => net,
            Err(problem) => {
                let d = self.cidr_problem(problem, written, &cptr, cidr.value.span);
                self.diags.push(d);
                return None;
            }
        };
        let network = net.trunc();
        if network != net {
            let d = self
                .at(
                    Code::HostBitsSet,
                    format!(
                        "`{}` has host bits set: read as the network `{network}`",
                        diag::excerpt(written)
                    ),
                    &cptr,
                    cidr.value.span,
                )
                .with_hint(format!(
                    "write `{network}`: a range is written with its first address"
                ));
            self.diags.push(d);
        }
        Some((
            network,
            FirewallRuleSpec {
                cidr: network.to_string(),
                written: written.to_string(),
                label,
                span: item.span,
            },
        ))
    }

    /// `label` (rule `FW-2`): a non-empty string, else no label (with a finding).
    fn label(&mut self, f: &Member, ptr: &str) -> Option<String> {
        let (code, message, hint) = match &f.value.value {
            Json::String(s) if !s.is_empty() => return Some(s.to_string()),
            Json::String(_) => (
                Code::EmptyLabel,
                "empty `label`: the rule has no label".to_string(),
                "remove `label`, or write a name such as `\"office\"`".to_string(),
            ),
            Json::Null => (
                Code::EmptyLabel,
                "`label` is null: the rule has no label".to_string(),
                "remove `label`, or write a name such as `\"office\"`".to_string(),
            ),
            other => (
                Code::LabelNotString,
                format!(
                    "`label` must be a string, found {}: the rule has no label",
                    diag::article(other.type_name())
                ),
                match other {
                    Json::Number => {
                        format!("write `\"{}\"`", diag::excerpt(f.value.raw(self.text)))
                    }
                    _ => "write a name such as `\"office\"`".to_string(),
                },
            ),
        };
        let d = self.at(code, message, ptr, f.value.span).with_hint(hint);
        self.diags.push(d);
        None
    }

    /// The diagnostic for a `cidr` string that is not accepted (rules `FW-3`, `FW-4`).
    fn cidr_problem(
        &self,
        problem: CidrProblem,
        written: &str,
        ptr: &str,
        span: Span,
    ) -> Diagnostic {
        let shown_w = diag::excerpt(written);
        match problem {
            CidrProblem::Whitespace(trimmed) => {
                let hint = if trimmed.is_empty() {
                    format!("write an IPv4 range such as {EXAMPLE}")
                } else {
                    format!(
                        "write `{}` without the surrounding white space",
                        diag::excerpt(&trimmed)
                    )
                };
                self.at(
                    Code::CidrWhitespace,
                    format!(
                        "`cidr` `{}` has white space around it: this rule is not applied",
                        shown_w.escape_debug()
                    ),
                    ptr,
                    span,
                )
                .with_hint(hint)
            }
            CidrProblem::NoPrefix(addr) => {
                let full = if addr.is_ipv4() { 32 } else { 128 };
                self.at(
                    Code::CidrWithoutPrefix,
                    format!(
                        "`{shown_w}` is an address without a prefix length: addresses without a CIDR suffix are not accepted"
                    ),
                    ptr,
                    span,
                )
                .with_hint(format!("write `{addr}/{full}` for this single address"))
            }
            CidrProblem::Version(addr) => {
                let (name, others) = if addr.is_ipv6() {
                    ("IPv6", "IPv4")
                } else {
                    ("IPv4", "IPv6")
                };
                let source = self
                    .versions
                    .map(|v| format!(" ({})", v.source))
                    .unwrap_or_default();
                self.at(
                    Code::IpVersionUnsupported,
                    format!(
                        "{name} ranges are not supported by the Application Firewall: `{shown_w}` is not applied"
                    ),
                    ptr,
                    span,
                )
                .with_hint(format!(
                    "only {others} ranges are accepted{source}; remove this rule"
                ))
            }
            CidrProblem::Invalid(detail, canonical) => {
                let message = match detail {
                    Some(detail) => format!(
                        "`{shown_w}` is not an IPv4 range in CIDR notation: {detail}; this rule is not applied"
                    ),
                    None => format!(
                        "`{shown_w}` is not an IPv4 range in CIDR notation: this rule is not applied"
                    ),
                };
                let hint = match canonical {
                    Some(c) => format!("write `{c}`"),
                    None => format!("write an IPv4 range such as {EXAMPLE}"),
                };
                self.at(Code::InvalidCidr, message, ptr, span)
                    .with_hint(hint)
            }
        }
    }
}

/// Reads `s` as an IP range in CIDR notation accepted by a firewall taking `versions`
/// (rules `FW-3`, `FW-4`); `versions` `None` accepts both. The range may have host bits
/// set (rule `FW-5` is the caller's).
fn parse_cidr(s: &str, versions: Option<IpVersions>) -> Result<IpNet, CidrProblem> {
    let accepts = |addr: IpAddr| match (versions, addr) {
        (None, _) => true,
        (Some(v), IpAddr::V4(_)) => v.ipv4,
        (Some(v), IpAddr::V6(_)) => v.ipv6,
    };
    let trimmed = s.trim();
    if trimmed != s {
        return Err(CidrProblem::Whitespace(trimmed.to_string()));
    }
    if s.is_empty() {
        return Err(CidrProblem::Invalid(Some("it is empty".to_string()), None));
    }
    if let Ok(net) = IpNet::from_str(s) {
        if !accepts(net.addr()) {
            return Err(CidrProblem::Version(net.addr()));
        }
        // `ipnet` reads a prefix length of two digits with a leading zero (`/08`); the
        // platform's notation does not write one.
        let prefix = s.rsplit_once('/').map_or("", |(_, p)| p);
        if prefix.len() > 1 && prefix.starts_with('0') {
            return Err(CidrProblem::Invalid(
                Some(format!("the prefix length `{prefix}` has a leading zero")),
                Some(net.to_string()),
            ));
        }
        return Ok(net);
    }
    if let Ok(addr) = IpAddr::from_str(s) {
        return Err(if accepts(addr) {
            CidrProblem::NoPrefix(addr)
        } else {
            CidrProblem::Version(addr)
        });
    }
    Err(invalid_detail(s, &accepts))
}

/// What can be said about a string that is neither a range nor an address.
fn invalid_detail(s: &str, accepts: &dyn Fn(IpAddr) -> bool) -> CidrProblem {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    match (IpAddr::from_str(addr), prefix) {
        (Ok(a), _) if !accepts(a) => CidrProblem::Version(a),
        (Ok(IpAddr::V4(a)), Some(prefix)) => {
            if let Ok(mask) = Ipv4Addr::from_str(prefix) {
                let canonical = ipnet::ipv4_mask_to_prefix(mask)
                    .ok()
                    .and_then(|p| ipnet::Ipv4Net::new(a, p).ok())
                    .map(|n| n.to_string());
                return CidrProblem::Invalid(
                    Some("the prefix is a length from 0 to 32, not a netmask".to_string()),
                    canonical,
                );
            }
            let digits = !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit());
            let detail = if digits && prefix.len() > 1 && prefix.starts_with('0') {
                format!(
                    "the prefix length `{}` has a leading zero",
                    diag::excerpt(prefix)
                )
            } else if digits {
                format!(
                    "the prefix length `{}` is larger than 32",
                    diag::excerpt(prefix)
                )
            } else {
                format!(
                    "the prefix length `{}` is not a number from 0 to 32",
                    diag::excerpt(prefix)
                )
            };
            CidrProblem::Invalid(Some(detail), None)
        }
        (Ok(IpAddr::V6(_)), Some(prefix)) => CidrProblem::Invalid(
            Some(format!(
                "the prefix length `{}` is not a number from 0 to 128",
                diag::excerpt(prefix)
            )),
            None,
        ),
        // An address without `/` parses as a whole: `parse_cidr` handled it.
        (Ok(_), None) => CidrProblem::Invalid(None, None),
        (Err(_), _) => {
            let leading_zero = addr.split('.').find(|o| {
                o.len() > 1 && o.starts_with('0') && o.bytes().all(|b| b.is_ascii_digit())
            });
            let detail = if let Some(o) = leading_zero {
                format!("the number `{}` has a leading zero", diag::excerpt(o))
            } else if prefix.is_none() && addr.contains('-') {
                "a range is written as an address and a prefix length, not as first-last"
                    .to_string()
            } else if prefix.is_none()
                && !addr.contains(':')
                && addr.chars().any(|c| c.is_ascii_alphabetic())
            {
                "the firewall takes IP ranges, not host names".to_string()
            } else {
                format!("`{}` is not an IPv4 address", diag::excerpt(addr))
            };
            CidrProblem::Invalid(Some(detail), None)
        }
    }
}

/// A label in double quotes, escaped, at most 60 characters (also for `firewall`'s
/// `explain` lines).
pub(crate) fn quoted(s: &str) -> String {
    format!("\"{}\"", diag::excerpt(s).escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    // FW-4: the versions come from the catalogue; without a restriction both parse.
    #[test]
    fn fw_4_parse_cidr_follows_the_versions_given() {
        let both = IpVersions {
            ipv4: true,
            ipv6: true,
        };
        assert!(parse_cidr("2001:db8::/32", Some(both)).is_ok());
        assert!(parse_cidr("2001:db8::/32", None).is_ok());
        assert!(matches!(
            parse_cidr("2001:db8::1", Some(both)),
            Err(CidrProblem::NoPrefix(_))
        ));
        let v6_only = IpVersions {
            ipv4: false,
            ipv6: true,
        };
        assert!(matches!(
            parse_cidr("10.0.0.0/8", Some(v6_only)),
            Err(CidrProblem::Version(IpAddr::V4(_)))
        ));
    }
}
