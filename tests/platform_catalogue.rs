//! The platform catalogue (`spec/platform.json`, rules `PLAT-1` .. `PLAT-8`): its schema,
//! its invariants, and the queries the rules use.

use scalingo_manifest::manifest::{check, ContainerSize};
use scalingo_manifest::platform::{self, Date, StackStatus};
use serde_json::Value;

fn date(s: &str) -> Date {
    s.parse().expect("a valid date")
}

fn codes(src: &str, on: &str) -> Vec<String> {
    check(src.as_bytes(), date(on))
        .diagnostics
        .into_iter()
        .map(|d| d.code.to_string())
        .collect()
}

/// PLAT-8: the catalogue has the shape its published JSON Schema describes.
#[test]
fn plat_8_catalogue_matches_its_schema() {
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("readable")).expect("JSON")
    };
    let schema = read("spec/platform.schema.json");
    let catalogue = read("spec/platform.json");
    let v = jsonschema::draft202012::new(&schema).expect("a valid schema");
    let errors: Vec<String> = v
        .iter_errors(&catalogue)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Every source is cited by at least one fact.
    let text = std::fs::read_to_string("spec/platform.json").unwrap();
    for s in platform::sources() {
        let cited = text.matches(&format!("\"source\": \"{}\"", s.id)).count();
        assert!(cited > 0, "source {} is never cited", s.id);
    }
}

/// PLAT-2: dates are YYYY-MM-DD calendar days, and print back as they read.
#[test]
fn plat_2_dates() {
    for ok in ["2026-12-07", "2024-02-29", "0001-01-01", "9999-12-31"] {
        assert_eq!(date(ok).to_string(), ok);
    }
    for bad in [
        "2026-02-30",
        "2026-12-7",
        "26-12-07",
        "2026/12/07",
        "2023-02-29",
        " 2026-12-07",
        "0000-01-01",
        "",
        "2026-12-07x",
        "２０２６-12-07",
    ] {
        assert!(bad.parse::<Date>().is_err(), "{bad:?} read as a date");
    }
    assert!(date("2026-03-01") < date("2026-03-02"));
    assert_eq!(Date::from_unix_seconds(0), Some(date("1970-01-01")));
    assert_eq!(
        Date::from_unix_seconds(1_796_601_600),
        Some(date("2026-12-07"))
    );
    assert_eq!(Date::from_unix_seconds(-1), Some(date("1969-12-31")));
}

/// PLAT-3: statuses and the default stack change on their dates, and only then.
#[test]
fn plat_3_stack_lifecycle() {
    let status = |s: &str, on: &str| {
        platform::stack(s)
            .and_then(|k| k.status_on(date(on)))
            .map(|e| e.value)
    };
    assert_eq!(
        status("scalingo-20", "2025-04-30"),
        Some(StackStatus::Supported)
    );
    assert_eq!(
        status("scalingo-20", "2025-05-01"),
        Some(StackStatus::Deprecated)
    );
    assert_eq!(
        status("scalingo-20", "2026-01-01"),
        Some(StackStatus::Discontinued)
    );
    assert_eq!(
        status("scalingo-22", "2027-05-31"),
        Some(StackStatus::Deprecated)
    );
    assert_eq!(
        status("scalingo-22", "2027-06-01"),
        Some(StackStatus::Discontinued)
    );
    assert_eq!(
        status("scalingo-26", "2026-05-25"),
        None,
        "not released yet"
    );
    let default = |on: &str| platform::default_stack(date(on)).map(|d| d.value);
    assert_eq!(default("2019-08-05"), None, "before the first record");
    assert_eq!(default("2019-08-06"), Some("scalingo-18"));
    assert_eq!(default("2025-12-07"), Some("scalingo-22"));
    assert_eq!(default("2025-12-08"), Some("scalingo-24"));
    assert_eq!(default("2026-12-07"), Some("scalingo-26"));
    assert_eq!(
        platform::stacks_available(date("2026-12-07")),
        ["scalingo-22", "scalingo-24", "scalingo-26"]
    );
    // Up to the day the catalogue was checked, every default stack is available on every
    // day a status changes (later entries announce plans, with no successor known yet).
    for s in platform::stacks() {
        for e in s.history {
            if let Some(d) = e.since.filter(|d| *d <= platform::AS_OF) {
                if let Some(def) = platform::default_stack(d) {
                    assert!(
                        platform::stacks_available(d).contains(&def.value),
                        "{} on {d}",
                        def.value
                    );
                }
            }
        }
    }
}

/// PLAT-3, MAN-5: the check follows the lifecycle.
#[test]
fn plat_3_man_5_check_follows_the_lifecycle() {
    let m = |s: &str| format!("{{\"stack\": \"{s}\"}}");
    assert_eq!(codes(&m("scalingo-20"), "2025-01-01"), Vec::<String>::new());
    assert_eq!(codes(&m("scalingo-20"), "2025-06-01"), ["SM0110"]);
    assert_eq!(codes(&m("scalingo-20"), "2026-12-07"), ["SM0111"]);
    assert_eq!(codes(&m("scalingo-26"), "2026-01-01"), ["SM0105"]);
    assert_eq!(codes(&m("scalingo-26"), "2026-12-07"), Vec::<String>::new());
    let c = check(m("heroku-24").as_bytes(), date("2026-12-07"));
    let hint = c.diagnostics[0].hint.clone().unwrap();
    assert!(
        hint.contains("`scalingo-24` is Scalingo's stack on the same Ubuntu release"),
        "{hint}"
    );
    let c = check(m("scalingo26").as_bytes(), date("2026-12-07"));
    assert!(c.diagnostics[0]
        .hint
        .as_deref()
        .unwrap()
        .starts_with("did you mean `scalingo-26`?"));
    let c = check(m("scalingo-20").as_bytes(), date("2026-12-07"));
    let d = &c.diagnostics[0];
    assert!(
        d.message.contains("use the default stack, `scalingo-26`"),
        "{}",
        d.message
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("2000-01-01-overview.md")
            || d.hint.as_deref().unwrap().contains("scalingo-20")
    );
}

/// PLAT-4: sizes come from the catalogue, with their dates.
#[test]
fn plat_4_container_sizes() {
    let names: Vec<&str> = platform::container_sizes().iter().map(|c| c.name).collect();
    let typed: Vec<&str> = ContainerSize::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names, typed, "the typed sizes are the catalogue's");
    assert!(ContainerSize::ALL.iter().all(|c| c.memory_mb() > 0));
    assert_eq!(ContainerSize::XXXL.memory_mb(), 8192);
    let f = |s: &str| format!("{{\"formation\": {{\"web\": {{\"size\": \"{s}\"}}}}}}");
    assert_eq!(codes(&f("3XL"), "2026-07-20"), ["SM0401"]);
    assert_eq!(codes(&f("3XL"), "2026-07-21"), Vec::<String>::new());
    assert_eq!(platform::default_container_size().value, "M");
}

/// PLAT-5: the default region and the app domains.
#[test]
fn plat_5_regions() {
    assert_eq!(platform::default_region().value, "osc-fr1");
    let r = platform::region("osc-secnum-fr1", date("2026-12-07")).unwrap();
    assert_eq!(r.app_domain, "osc-secnum-fr1.scalingo.io");
    assert!(platform::regions()
        .iter()
        .all(|r| r.app_domain == format!("{}.scalingo.io", r.name)));
}

/// PLAT-6: the env value limit in force on the date.
#[test]
fn plat_6_env_value_limit() {
    let long = format!(
        "{{\"env\": {{\"K\": {{\"value\": \"{}\"}}}}}}",
        "x".repeat(10_000)
    );
    assert_eq!(codes(&long, "2026-03-19"), ["SM0209"]);
    assert_eq!(codes(&long, "2026-03-20"), Vec::<String>::new());
    assert_eq!(platform::env_name_max_chars(date("2026-12-07")).value, 64);
}

/// PLAT-7: a documented key is unknown before the day it arrived.
#[test]
fn plat_7_keys_arrive_on_their_date() {
    let before = check(br#"{"firewall_rules": []}"#, date("2026-09-23"));
    assert_eq!(before.diagnostics[0].code, "SM0108");
    assert!(before.diagnostics[0]
        .message
        .contains("not read by the platform on 2026-09-23"));
    assert!(before.diagnostics[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("from 2026-09-24"));
    assert!(platform::manifest_keys(date("2026-09-24")).contains(&"firewall_rules"));
    // From its date on, the key is read by its own rules (FW-*): a valid list has no finding.
    let after = check(br#"{"firewall_rules": []}"#, date("2026-09-24"));
    assert_eq!(after.diagnostics, vec![]);
    assert_eq!(after.manifest.and_then(|m| m.firewall_rules), Some(vec![]));
    assert!(!platform::manifest_keys(date("2026-09-23")).contains(&"firewall_rules"));
}

/// PLAT-7, MAN-7: every key of the catalogue is read by the engine's own rules on the days
/// the platform reads it; none is reported as unknown (SM0108) then. A key added to the
/// catalogue before the engine models it fails here.
#[test]
fn plat_7_every_documented_key_is_modelled() {
    let today = date("2026-12-07");
    for key in platform::manifest_keys(today) {
        for value in ["null", "[]", "{}", "\"x\"", "true"] {
            let doc = format!("{{{}: {value}}}", serde_json::to_string(key).unwrap());
            let c = check(doc.as_bytes(), today);
            assert!(
                c.diagnostics.iter().all(|d| d.code != "SM0108"),
                "{doc}: {:?}",
                c.diagnostics
            );
        }
    }
}

/// PLAT-1: the same manifest on two dates gets the platform of each date; the check is a
/// function of the bytes and the date alone.
#[test]
fn plat_1_the_date_is_an_input() {
    let src = r#"{"stack": "scalingo-22", "formation": {"web": {"size": "3XL"}}}"#;
    assert_eq!(codes(src, "2026-01-01"), ["SM0401"]);
    assert_eq!(codes(src, "2026-12-07"), ["SM0110"]);
    assert_eq!(codes(src, "2027-06-01"), ["SM0111"]);
    assert_eq!(codes(src, "2026-12-07"), codes(src, "2026-12-07"));
}

/// The facts recorded for rules to come answer by their dates too (`spec/platform.md`,
/// "What the catalogue also records"; PLAT-8).
#[test]
fn plat_8_recorded_facts_answer_by_date() {
    let retired = |plan: &str, on: &str| platform::plan_retirement(plan, date(on)).is_some();
    assert!(!retired("postgresql-sandbox", "2026-03-01"));
    assert!(retired("postgresql-sandbox", "2026-03-02"));
    assert!(!retired("postgresql-starter-512", "2026-12-07"));
    let port = platform::platform_var("PORT", date("2026-12-07")).unwrap();
    assert_eq!(port.scope, platform::VarScope::Runtime);
    assert!(platform::platform_var("MY_VAR", date("2026-12-07")).is_none());
    assert!(platform::addon_provider("postgresql", date("2026-12-07")).is_some());
    assert!(platform::addon_provider("heroku-postgresql", date("2026-12-07")).is_none());
    assert_eq!(platform::addon_providers().len(), 7);
    assert!(platform::firewall_max_rules(date("2026-09-23")).is_none());
    assert_eq!(
        platform::firewall_max_rules(date("2026-09-24"))
            .unwrap()
            .value,
        20
    );
    let v = platform::firewall_ip_versions(date("2026-12-07"))
        .unwrap()
        .value;
    assert!(v.ipv4 && !v.ipv6);
    // Sources print as the engine cites them.
    let s = platform::sources()
        .iter()
        .find(|s| s.id == "stacks-overview")
        .unwrap();
    assert_eq!(
        s.to_string(),
        "src/_posts/platform/internals/stacks/2000-01-01-overview.md (modified 2026-08-19)"
    );
    let s = platform::sources()
        .iter()
        .find(|s| s.id == "schema-page")
        .unwrap();
    assert_eq!(
        s.to_string(),
        "Scalingo/developers-documentation: _scalingo_json_schema/index.md (commit 16430db7)"
    );
}
