//! Properties of the Application Firewall rules (spec `spec/firewall.md`, rules `FW-1` ..
//! `FW-11`): how `firewall_rules` is read, and which rules a new app is created with. The
//! reading is checked through `manifest::check`; resolution through `firewall::resolve`
//! with manifest rules built directly, as for addons (`prop_addons_formation.rs`).

mod common;

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use common::strategies::{firewall_network, kind, parent_firewall_rules};
use common::{count, day};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use scalingo_manifest::firewall::{self, FirewallOrigin, FirewallRuleSpec, ParentFirewallRule};
use scalingo_manifest::manifest::check;
use scalingo_manifest::manifest::schema::IPV4_CIDR_PATTERN;
use scalingo_manifest::text::Span;
use scalingo_manifest::AppKind;

const REGRESSIONS: &str = "proptest-regressions/prop_firewall.txt";

/// The network of an IPv4 address and prefix length, written independently of the engine.
fn network(addr: u32, len: u8) -> String {
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    };
    format!("{}/{len}", Ipv4Addr::from(addr & mask))
}

/// Manifest rules as `check` returns them: networks unique (rule `FW-6`).
fn manifest_rules() -> impl Strategy<Value = Vec<FirewallRuleSpec>> {
    vec(
        (
            firewall_network(),
            option::of(select(vec!["office", "vpn", "x"]).prop_map(str::to_string)),
        ),
        0..5,
    )
    .prop_map(|v| {
        let mut seen = BTreeSet::new();
        v.into_iter()
            .filter(|(cidr, _)| seen.insert(cidr.clone()))
            .map(|(cidr, label)| FirewallRuleSpec {
                written: cidr.clone(),
                cidr,
                label,
                span: Span::point(0),
            })
            .collect()
    })
}

/// Strings near the IPv4 CIDR notation: valid ranges, and each way of missing it.
fn cidr_like() -> impl Strategy<Value = String> {
    let octet = prop_oneof![
        4 => (0u16..=255).prop_map(|o| o.to_string()),
        1 => select(vec!["256", "01", "00", "-1", "", "1a", "999", " 1"]).prop_map(str::to_string),
    ];
    let prefix = prop_oneof![
        4 => (0u8..=32).prop_map(|p| p.to_string()),
        1 => select(vec!["33", "08", "00", "", "+8", "255.255.255.0", "1 ", "-1"]).prop_map(str::to_string),
    ];
    (
        vec(octet, 3..=5),
        option::weighted(0.9, prefix),
        select(vec!["", " ", "\n"]),
    )
        .prop_map(|(octets, prefix, pad)| {
            let mut s = octets.join(".");
            if let Some(p) = prefix {
                s.push('/');
                s.push_str(&p);
            }
            format!("{s}{pad}")
        })
}

fn rules_doc(cidrs: &[String]) -> String {
    let rules: Vec<serde_json::Value> = cidrs
        .iter()
        .map(|c| serde_json::json!({ "cidr": c }))
        .collect();
    serde_json::json!({ "firewall_rules": rules }).to_string()
}

proptest! {
    #![proptest_config(common::config(REGRESSIONS))]

    /// FW-3, FW-5: any IPv4 address with any prefix length is read as its network; a
    /// warning SM1410 exactly when the address has host bits set; no error.
    #[test]
    fn fw_3_5_any_ipv4_range_is_read_as_its_network(addr in any::<u32>(), len in 0u8..=32) {
        let written = format!("{}/{len}", Ipv4Addr::from(addr));
        let c = check(rules_doc(std::slice::from_ref(&written)).as_bytes(), day());
        let rules = c.manifest.and_then(|m| m.firewall_rules).expect("the key is read");
        prop_assert_eq!(rules.len(), 1);
        prop_assert_eq!(&rules[0].cidr, &network(addr, len));
        prop_assert_eq!(&rules[0].written, &written);
        let host_bits = written != network(addr, len);
        prop_assert_eq!(count(&c.diagnostics, "SM1410"), usize::from(host_bits));
        prop_assert_eq!(c.errors, 0);
    }

    /// FW-3, FW-4, MAN-11: a `cidr` string is accepted (no error) exactly when it matches
    /// the published schema's pattern; a rejected one is one error at its `cidr` and the
    /// rule is left out.
    #[test]
    fn fw_3_4_man_11_accepted_ranges_are_the_schema_patterns(s in cidr_like()) {
        let schema = serde_json::json!({"type": "string", "pattern": IPV4_CIDR_PATTERN});
        let validator = jsonschema::validator_for(&schema).expect("a valid pattern");
        let c = check(rules_doc(std::slice::from_ref(&s)).as_bytes(), day());
        let accepted = c.errors == 0;
        prop_assert_eq!(accepted, validator.is_valid(&serde_json::json!(s)), "{:?}: {:?}", s, c.diagnostics);
        let rules = c.manifest.and_then(|m| m.firewall_rules).expect("the key is read");
        prop_assert_eq!(rules.len(), usize::from(accepted));
        if !accepted {
            prop_assert_eq!(c.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.pointer.as_str()).collect::<Vec<_>>(), vec!["/firewall_rules/0/cidr"]);
        }
    }

    /// FW-4: every IPv6 range or address is an error SM1409 on a date the firewall accepts
    /// IPv4 only, and is not applied.
    #[test]
    fn fw_4_ipv6_is_never_applied(segments in any::<[u16; 8]>(), len in option::of(0u8..=128)) {
        let addr = std::net::Ipv6Addr::from(segments);
        let s = len.map_or_else(|| addr.to_string(), |l| format!("{addr}/{l}"));
        let c = check(rules_doc(std::slice::from_ref(&s)).as_bytes(), day());
        prop_assert_eq!(count(&c.diagnostics, "SM1409"), 1, "{}: {:?}", s, c.diagnostics);
        prop_assert_eq!(c.manifest.and_then(|m| m.firewall_rules), Some(vec![]));
    }

    /// FW-6, FW-7: the rules kept are the first of each network, in order; each later rule
    /// of a network is one warning SM1411; SM1412 exactly when more than 20 are kept.
    #[test]
    fn fw_6_7_first_of_each_network_and_the_limit(ranges in vec((0u32..64, 22u8..=24), 0..30)) {
        let written: Vec<String> = ranges.iter().map(|(a, l)| format!("{}/{l}", Ipv4Addr::from(0x0a00_0000 | (a << 8) | 7))).collect();
        let c = check(rules_doc(&written).as_bytes(), day());
        let mut seen = BTreeSet::new();
        let want: Vec<String> = ranges.iter().map(|(a, l)| network(0x0a00_0000 | (a << 8) | 7, *l)).filter(|n| seen.insert(n.clone())).collect();
        let got: Vec<String> = c.manifest.and_then(|m| m.firewall_rules).expect("read").into_iter().map(|r| r.cidr).collect();
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(count(&c.diagnostics, "SM1411"), written.len() - want.len());
        prop_assert_eq!(count(&c.diagnostics, "SM1412"), usize::from(want.len() > 20));
        prop_assert_eq!(c.errors, 0);
    }

    /// FW-8 (frame rule): a review app without the key gets exactly the parent's rules, in
    /// order, as given, with no finding; a one-click deploy without it gets none (FW-10),
    /// whatever parent is passed in. The firewall is enabled exactly when there is a rule.
    #[test]
    fn fw_8_10_no_key_copies_the_parent_or_gives_nothing(parent in parent_firewall_rules()) {
        let (s, diags) = firewall::resolve(AppKind::ReviewApp, None, &parent);
        let got: Vec<ParentFirewallRule> = s.rules.iter().map(|r| ParentFirewallRule { cidr: r.cidr.clone(), label: r.label.clone() }).collect();
        prop_assert_eq!(&got, &parent);
        prop_assert!(s.rules.iter().all(|r| r.origin == FirewallOrigin::Parent));
        prop_assert_eq!((s.enabled, s.origin.as_str(), s.rule.as_str()), (!parent.is_empty(), "parent", "FW-8"));
        prop_assert!(diags.is_empty());

        let (s, diags) = firewall::resolve(AppKind::OneClick, None, &parent);
        prop_assert!(s.rules.is_empty() && !s.enabled);
        prop_assert_eq!((s.origin.as_str(), s.rule.as_str()), ("none", "FW-10"));
        prop_assert!(diags.is_empty());
    }

    /// FW-8, FW-9, FW-10: with the key, the rules are exactly the manifest's, in order,
    /// origin `manifest`, for both kinds; a review app gets one note SM1413 per parent rule
    /// whose network the manifest does not list, a one-click deploy exactly one SM1414.
    #[test]
    fn fw_8_9_10_a_key_gives_exactly_the_manifests_rules(kind in kind(), list in manifest_rules(), parent in parent_firewall_rules()) {
        let (s, diags) = firewall::resolve(kind, Some(&list), &parent);
        let got: Vec<(&str, Option<&str>)> = s.rules.iter().map(|r| (r.cidr.as_str(), r.label.as_deref())).collect();
        let want: Vec<(&str, Option<&str>)> = list.iter().map(|r| (r.cidr.as_str(), r.label.as_deref())).collect();
        prop_assert_eq!(got, want);
        prop_assert!(s.rules.iter().all(|r| r.origin == FirewallOrigin::Manifest));
        prop_assert_eq!(s.enabled, !list.is_empty());
        prop_assert_eq!(s.origin.as_str(), "manifest");
        let listed: BTreeSet<&str> = list.iter().map(|r| r.cidr.as_str()).collect();
        match kind {
            AppKind::ReviewApp => {
                let dropped = parent.iter().filter(|p| !listed.contains(p.cidr.as_str())).count();
                prop_assert_eq!(count(&diags, "SM1413"), dropped);
                prop_assert_eq!(diags.len(), dropped);
                prop_assert_eq!(s.rule.as_str(), "FW-8");
            }
            AppKind::OneClick => {
                prop_assert_eq!(count(&diags, "SM1414"), 1);
                prop_assert_eq!(diags.len(), 1);
                prop_assert_eq!(s.rule.as_str(), "FW-10");
            }
        }
    }
}
