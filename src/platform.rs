//! `platform`: the dated platform catalogue (rules `PLAT-*`, `spec/platform.md`).
//!
//! Every fact about Scalingo that a rule uses (stacks and their lifecycle, container sizes,
//! regions and their app domains, addon providers and retired plans, env limits, the
//! variables the platform sets itself, the manifest's documented keys, firewall limits)
//! lives in one data file, `spec/platform.json`, with its source (a page of Scalingo's
//! documentation, by path and `modified_at` date). `build.rs` checks the file and compiles
//! it into this module, so the catalogue is read at build time and never at run time.
//!
//! Facts change on dates. A fact is a history of dated entries, never edited in the past,
//! and every query takes the [`Date`] it asks about: the library never reads the clock.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, `YYYY-MM-DD` (proleptic Gregorian; rule `PLAT-2`). The day the
/// platform's behaviour is asked about: a scenario's `date`, `check`'s `date`.
///
/// Ordered; serialised as the string `"2026-12-07"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

/// A string that is not a date `YYYY-MM-DD` (rule `PLAT-2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// What was read, at most 40 characters of it.
    pub input: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a date: write YYYY-MM-DD, for example 2026-12-07",
            self.input.escape_debug()
        )
    }
}

impl std::error::Error for DateError {}

impl Date {
    /// The date `y-m-d`; for the generated catalogue, whose dates `build.rs` checked.
    pub(crate) const fn from_ymd_const(y: i16, m: i8, d: i8) -> Date {
        Date(jiff::civil::Date::constant(y, m, d))
    }

    /// The date `y-m-d`, or `None` when it is not a calendar date of the years 1 to 9999.
    pub fn from_ymd(y: i16, m: i8, d: i8) -> Option<Date> {
        if !(1..=9999).contains(&y) {
            return None;
        }
        jiff::civil::Date::new(y, m, d).ok().map(Date)
    }

    /// Year, month (1 to 12), day (1 to 31).
    pub(crate) fn ymd(self) -> (i16, i8, i8) {
        (self.0.year(), self.0.month(), self.0.day())
    }

    /// The date at which a count of seconds since the Unix epoch falls, in UTC; `None`
    /// outside the years 1 to 9999. For callers that read a clock (the CLI does; the
    /// library never does).
    pub fn from_unix_seconds(seconds: i64) -> Option<Date> {
        let ts = jiff::Timestamp::from_second(seconds).ok()?;
        let d = jiff::tz::Offset::UTC.to_datetime(ts).date();
        Date::from_ymd(d.year(), d.month(), d.day())
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Exactly `YYYY-MM-DD`: four digits, two, two, a real calendar day.
    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError {
            input: s.chars().take(40).collect(),
        };
        let b = s.as_bytes();
        let digits_at = |i: usize, n: usize| b[i..i + n].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits_at(0, 4) {
            return Err(err());
        }
        if !digits_at(5, 2) || !digits_at(8, 2) {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().map_err(|_| err());
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (Ok(m), Ok(d)) = (i8::try_from(m), i8::try_from(d)) else {
            return Err(err());
        };
        Date::from_ymd(y, m, d).ok_or_else(err)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A page of Scalingo's documentation (`Scalingo/documentation`) that states a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The catalogue's key for the page (`"stacks-overview"`).
    pub id: &'static str,
    /// The repository (`Scalingo/documentation`, or `Scalingo/developers-documentation`).
    pub repository: &'static str,
    /// The page's path in the repository (`src/_posts/platform/...md`).
    pub path: &'static str,
    /// The page's `modified_at` when the fact was read; `None` for a page without one.
    pub modified_at: Option<Date>,
    /// The commit the page was read at, for a page without `modified_at`.
    pub commit: Option<&'static str>,
}

impl fmt::Display for Source {
    /// `path (modified 2026-08-19)`, or `path (commit 8b285006)`; the repository is
    /// named when it is not `Scalingo/documentation`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.repository != "Scalingo/documentation" {
            write!(f, "{}: ", self.repository)?;
        }
        match (self.modified_at, self.commit) {
            (Some(d), _) => write!(f, "{} (modified {d})", self.path),
            (None, Some(c)) => write!(f, "{} (commit {c})", self.path),
            (None, None) => f.write_str(self.path),
        }
    }
}

/// A fact that holds from `since` (inclusive) until the next entry of its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated<T: 'static> {
    /// The first day the fact holds; `None` when the source does not say (the fact holds
    /// as far back as the catalogue goes).
    pub since: Option<Date>,
    /// The fact.
    pub value: T,
    /// Where it is documented.
    pub source: &'static Source,
}

/// The entry of a history in force on `date`: the last whose `since` is on or before it.
fn on<T>(history: &'static [Dated<T>], date: Date) -> Option<&'static Dated<T>> {
    history
        .iter()
        .rev()
        .find(|e| e.since.is_none_or(|s| s <= date))
}

fn holds(since: Option<Date>, date: Date) -> bool {
    since.is_none_or(|s| s <= date)
}

/// Where a stack stands in its lifecycle (rule `PLAT-3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StackStatus {
    /// New apps and deployments may use it.
    Supported,
    /// Still deployed, but its end of support is announced: migrate.
    Deprecated,
    /// No longer deployed: new deployments, review apps included, use the default stack.
    Discontinued,
}

/// A Scalingo stack and its lifecycle (rule `PLAT-3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stack {
    /// `scalingo-24`.
    pub name: &'static str,
    /// The base image (`Ubuntu 24.04`).
    pub base: &'static str,
    /// Its statuses, oldest first.
    pub history: &'static [Dated<StackStatus>],
}

impl Stack {
    /// The status on `date`, `None` before the stack was released.
    pub fn status_on(&self, date: Date) -> Option<&'static Dated<StackStatus>> {
        on(self.history, date)
    }
}

/// A container size (rule `PLAT-4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerSizeFact {
    /// `S`, `M`, ..., `3XL`.
    pub name: &'static str,
    /// Memory in megabytes.
    pub memory_mb: u32,
    /// The first day it could be chosen.
    pub since: Option<Date>,
    /// Where it is documented.
    pub source: &'static Source,
}

/// A region and the domain of its apps (rule `PLAT-5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// `osc-fr1`.
    pub name: &'static str,
    /// `osc-fr1.scalingo.io`: an app `my-app` is served at `https://my-app.<app_domain>`.
    pub app_domain: &'static str,
    /// The first day apps could be created there.
    pub since: Option<Date>,
    /// Where it is documented.
    pub source: &'static Source,
}

/// An addon provider (rule `PLAT-10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddonProvider {
    /// `postgresql`.
    pub name: &'static str,
    /// The first day it could be provisioned.
    pub since: Option<Date>,
    /// Where it is documented.
    pub source: &'static Source,
}

/// A family of plans retired on a date (rule `PLAT-10`): `*-sandbox` plans were replaced
/// by the smallest Starter plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanRetirement {
    /// The plan names it covers end with this (`-sandbox`).
    pub plan_suffix: &'static str,
    /// What the platform provisions instead, in words.
    pub replacement: &'static str,
    /// The first day the plans are retired.
    pub since: Date,
    /// Where it is documented.
    pub source: &'static Source,
}

impl PlanRetirement {
    /// What the platform provisions instead of a retired plan of `addon`, in words: the
    /// catalogue's `replacement` (`the corresponding smallest Starter plan`) made specific
    /// to the provider, without inventing a plan name (rules `ADD-10`, `MAN-ADD-*`: the
    /// manifest check and addon resolution word it alike).
    pub(crate) fn replacement_for(&self, addon: &str) -> String {
        let what = self
            .replacement
            .strip_prefix("the corresponding ")
            .unwrap_or(self.replacement);
        format!("the {} of {addon}", what.trim_start_matches("the "))
    }
}

/// When the platform sets one of its variables (rule `PLAT-11`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarScope {
    /// During the build.
    Build,
    /// In the running containers.
    Runtime,
    /// Both.
    BuildAndRuntime,
}

/// The IP versions the Application Firewall filters (recorded, `spec/platform.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpVersions {
    /// IPv4 ranges are accepted.
    pub ipv4: bool,
    /// IPv6 ranges are accepted.
    pub ipv6: bool,
}

/// An environment variable the platform sets itself (rule `PLAT-11`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformVar {
    /// `PORT`.
    pub name: &'static str,
    /// When the platform sets it.
    pub scope: VarScope,
    /// The first day the platform set it.
    pub since: Option<Date>,
    /// Where it is documented.
    pub source: &'static Source,
}

/// A documented top-level key of the manifest (rule `PLAT-7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ManifestKey {
    /// `firewall_rules`.
    pub key: &'static str,
    /// The first day the platform read it.
    pub since: Option<Date>,
    /// Where it is documented.
    pub source: &'static Source,
}

impl ManifestKey {
    /// Whether the platform reads the key on `date` (rule `PLAT-7`).
    pub(crate) fn read_on(&self, date: Date) -> bool {
        holds(self.since, date)
    }
}

include!(concat!(env!("OUT_DIR"), "/platform_data.rs"));

/// Every source the catalogue cites.
pub fn sources() -> &'static [Source] {
    &SOURCES
}

/// Every stack the catalogue knows, released or not on any given date.
pub fn stacks() -> &'static [Stack] {
    STACKS
}

/// The stack named `name` (exact), whatever its status.
pub fn stack(name: &str) -> Option<&'static Stack> {
    STACKS.iter().find(|s| s.name == name)
}

/// The status entry of stack `name` on `date` when it is discontinued then (rule
/// `PLAT-3`): deployments use the default stack instead.
pub fn discontinued(name: &str, date: Date) -> Option<&'static Dated<StackStatus>> {
    stack(name)?
        .status_on(date)
        .filter(|st| st.value == StackStatus::Discontinued)
}

/// The names of the stacks a manifest may choose on `date` (released and not
/// discontinued), in catalogue order (rule `PLAT-3`).
pub fn stacks_available(date: Date) -> Vec<&'static str> {
    STACKS
        .iter()
        .filter(|s| {
            s.status_on(date)
                .is_some_and(|st| st.value != StackStatus::Discontinued)
        })
        .map(|s| s.name)
        .collect()
}

/// The default stack for new apps on `date` (rule `PLAT-3`); `None` before the catalogue's
/// first record.
pub fn default_stack(date: Date) -> Option<&'static Dated<&'static str>> {
    on(DEFAULT_STACK, date)
}

/// Every container size, smallest first, whatever the date.
pub fn container_sizes() -> &'static [ContainerSizeFact] {
    &CONTAINER_SIZES
}

/// The size named `name` (exact), whatever the date (rule `PLAT-4`).
pub(crate) fn container_size_named(name: &str) -> Option<&'static ContainerSizeFact> {
    CONTAINER_SIZES.iter().find(|s| s.name == name)
}

/// The size named `name` (exact) when it can be chosen on `date` (rule `PLAT-4`).
pub fn container_size(name: &str, date: Date) -> Option<&'static ContainerSizeFact> {
    container_size_named(name).filter(|s| holds(s.since, date))
}

/// The size a process type gets when none is given (rule `PLAT-4`).
pub fn default_container_size() -> &'static Dated<&'static str> {
    &DEFAULT_CONTAINER_SIZE
}

/// Every region, whatever the date.
pub fn regions() -> &'static [Region] {
    REGIONS
}

/// The region named `name` (exact) when apps can be created there on `date` (rule
/// `PLAT-5`).
pub fn region(name: &str, date: Date) -> Option<&'static Region> {
    REGIONS
        .iter()
        .find(|r| r.name == name && holds(r.since, date))
}

/// The region an app gets when none is named (rule `PLAT-5`).
pub fn default_region() -> &'static Dated<&'static str> {
    &DEFAULT_REGION
}

/// Every addon provider, whatever the date.
pub fn addon_providers() -> &'static [AddonProvider] {
    ADDON_PROVIDERS
}

/// The addon provider named `name` (exact) when it exists on `date`.
pub fn addon_provider(name: &str, date: Date) -> Option<&'static AddonProvider> {
    ADDON_PROVIDERS
        .iter()
        .find(|p| p.name == name && holds(p.since, date))
}

/// The retirement that covers plan `plan` on `date`, if any (rule `PLAT-10`; used by
/// `MAN-ADD-10` and `ADD-10`).
pub fn plan_retirement(plan: &str, date: Date) -> Option<&'static PlanRetirement> {
    PLAN_RETIREMENTS
        .iter()
        .find(|r| r.since <= date && plan.ends_with(r.plan_suffix))
}

/// The longest env variable name on `date`, in characters, and its source (rule
/// `PLAT-6`); the oldest record before the catalogue's first date.
pub fn env_name_max_chars(date: Date) -> &'static Dated<usize> {
    on(ENV_NAME_MAX_CHARS, date).unwrap_or(&ENV_NAME_MAX_CHARS[0])
}

/// The longest env value on `date`, in characters, and its source (rule `PLAT-6`); the
/// oldest record before the catalogue's first date.
pub(crate) fn env_value_max_chars(date: Date) -> &'static Dated<usize> {
    on(ENV_VALUE_MAX_CHARS, date).unwrap_or(&ENV_VALUE_MAX_CHARS[0])
}

/// The variable `name` when the platform sets it itself on `date` (rule `PLAT-11`; used by
/// `MAN-ENV-14`).
pub fn platform_var(name: &str, date: Date) -> Option<&'static PlatformVar> {
    PLATFORM_VARS
        .iter()
        .find(|v| v.name == name && holds(v.since, date))
}

/// The top-level keys the platform reads on `date`, in catalogue order (rule `PLAT-7`).
pub fn manifest_keys(date: Date) -> Vec<&'static str> {
    MANIFEST_KEYS
        .iter()
        .filter(|k| k.read_on(date))
        .map(|k| k.key)
        .collect()
}

/// The documented key `key`, whatever the date (rule `PLAT-7`).
pub(crate) fn manifest_key(key: &str) -> Option<&'static ManifestKey> {
    MANIFEST_KEYS.iter().find(|k| k.key == key)
}

/// The most firewall rules an app has by default on `date`; `None` before the
/// Application Firewall existed.
pub fn firewall_max_rules(date: Date) -> Option<&'static Dated<usize>> {
    on(FIREWALL_MAX_RULES, date)
}

/// The IP versions the Application Firewall accepts on `date`; `None` before it existed.
pub fn firewall_ip_versions(date: Date) -> Option<&'static Dated<IpVersions>> {
    on(FIREWALL_IP_VERSIONS, date)
}

/// The day the unit tests check manifests as of: fixed, so that no test changes when the
/// catalogue gains an entry.
#[cfg(test)]
pub(crate) fn test_day() -> Date {
    Date::from_ymd_const(2026, 12, 7)
}

/// A case input or scenario for the unit tests: `value` with `"date"` set to
/// [`test_day`] when it has none.
#[cfg(test)]
pub(crate) fn with_test_day(mut value: serde_json::Value) -> serde_json::Value {
    if let serde_json::Value::Object(m) = &mut value {
        m.entry("date")
            .or_insert_with(|| test_day().to_string().into());
    }
    value
}
