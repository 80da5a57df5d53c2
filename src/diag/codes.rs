//! The table of every diagnostic code (rule `DIAG-1`): one row per code, in code order,
//! giving the [`Code`] variant, the stable code (`SMxxxx`, rule `DIAG-2`), the spec rule it
//! enforces, its default severity (rule `DIAG-3`), the module that emits it, and a one-line
//! summary for the catalogue.
//!
//! A code is never reused for another meaning (rule `DIAG-7`): a retired code's row is
//! deleted, and its string is not given to a new row.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Severity;

/// Declares [`Code`] and its methods from the rows of the table.
macro_rules! codes {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $code:literal, $rule:literal, $severity:ident, $owner:ident, $summary:literal;
    )*) => {
        /// A diagnostic code (spec rule `DIAG-1`): one variant per code, declared once in
        /// the table of `src/diag/codes.rs`, in code order.
        ///
        /// [`Code::as_str`] is `SM` followed by four digits and is never reused for another
        /// meaning; [`Code::rule`] is the spec rule ID the code enforces; [`Code::severity`]
        /// is the default severity; [`Code::summary`] is a one-line description used in the
        /// code catalogue; [`Code::owner`] is the engine module that emits it. In JSON a code
        /// is its string, `"SM0105"`. Codes order as their strings do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = concat!("`", $code, "` (rule `", $rule, "`, ", stringify!($severity), "): ", $summary, ".")]
                #[doc = ""]
                $(#[$doc])*
                $variant,
            )*
        }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code, for example `"SM0003"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The spec rule ID the code enforces, for example `"JSON-3"`.
            pub const fn rule(self) -> &'static str {
                match self {
                    $(Code::$variant => $rule,)*
                }
            }

            /// The default severity.
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// One-line description for the catalogue.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }

            /// The engine module that emits the code: `"manifest"` (the JSON syntax and
            /// the document's checks), `"procfile"`, `"locate"`, `"source"`, `"env"`,
            /// `"generate"`, `"addons"`, `"firewall"` (the document's `firewall_rules` and
            /// their resolution), `"formation"`, `"hooks"` or `"scenario"`.
            pub const fn owner(self) -> &'static str {
                match self {
                    $(Code::$variant => stringify!($owner),)*
                }
            }

            /// The code whose string is `s` (`"SM0105"`), if any.
            pub fn from_code(s: &str) -> Option<Code> {
                match s {
                    $($code => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

impl fmt::Display for Code {
    /// Writes the code string, `SM0105`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a string that is no diagnostic code ([`Code`]'s `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown diagnostic code `{}`", self.0)
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::from_code(s).ok_or_else(|| UnknownCode(s.to_string()))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for str {
    fn eq(&self, other: &Code) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

codes! {
    /// The input is larger than `MAX_INPUT_BYTES`.
    InputTooLarge = "SM0001", "LIM-1", Error, manifest, "input larger than 1 MiB";
    /// The input is not valid UTF-8.
    ManifestInvalidUtf8 = "SM0002", "JSON-1", Error, manifest, "input is not valid UTF-8";
    /// The input starts with a UTF-8 byte order mark.
    ByteOrderMark = "SM0003", "JSON-2", Error, manifest, "byte order mark before the JSON text";
    /// The input is empty or only white space.
    EmptyInput = "SM0004", "JSON-3", Error, manifest, "empty manifest";
    /// Arrays and objects nest deeper than `MAX_DEPTH`.
    TooDeep = "SM0005", "LIM-2", Error, manifest, "nesting deeper than 32 levels";
    /// A JSON syntax error with no more specific code.
    JsonSyntax = "SM0006", "JSON-4", Error, manifest, "JSON syntax error";
    /// A `//` or `/* */` comment.
    JsonComment = "SM0007", "JSON-5", Error, manifest, "comments are not JSON";
    /// A comma before `}` or `]`.
    TrailingComma = "SM0008", "JSON-6", Error, manifest, "trailing comma";
    /// Two members or elements with no comma between them.
    MissingComma = "SM0009", "JSON-7", Error, manifest, "missing comma";
    /// The same key twice in one object (the last one is used).
    DuplicateKey = "SM0010", "JSON-8", Warning, manifest, "duplicate key; the last one is used";
    /// CRLF line endings (accepted).
    ManifestCrlf = "SM0011", "JSON-9", Note, manifest, "CRLF line endings";
    /// The input ends inside a value (unterminated object, array, string or comment).
    UnexpectedEnd = "SM0012", "JSON-4", Error, manifest, "unexpected end of input";
    /// A string in single quotes.
    SingleQuotes = "SM0013", "JSON-4", Error, manifest, "strings must use double quotes";
    /// A number JSON does not allow (hex, leading `+`, leading zeros, bare `.`, NaN).
    InvalidNumber = "SM0014", "JSON-4", Error, manifest, "invalid number";
    /// An invalid string (bad escape, unpaired surrogate, raw control character).
    InvalidString = "SM0015", "JSON-4", Error, manifest, "invalid string";
    /// More text after the JSON value.
    TrailingContent = "SM0016", "JSON-4", Error, manifest, "text after the JSON value";
    /// An object key that is not a double-quoted string.
    UnquotedKey = "SM0017", "JSON-4", Error, manifest, "object keys must be double-quoted strings";
    /// More than `MAX_ENV_ENTRIES` env entries (rule `LIM-3`).
    TooManyEnv = "SM0018", "LIM-3", Error, manifest, "more than 1000 env entries";
    /// More than `MAX_ADDONS` addons (rule `LIM-4`).
    TooManyAddons = "SM0019", "LIM-4", Error, manifest, "more than 100 addons";
    /// More than `MAX_FORMATION_ENTRIES` formation entries (rule `LIM-5`).
    TooManyFormation = "SM0020", "LIM-5", Error, manifest, "more than 100 formation entries";
    /// A formation `amount` above `MAX_AMOUNT` (rule `LIM-6`).
    AmountTooLarge = "SM0021", "LIM-6", Error, manifest, "formation amount above 1000";
    /// Diagnostics beyond `MAX_DIAGNOSTICS` were dropped (rule `LIM-7`).
    ManifestDiagnosticsDropped = "SM0022", "LIM-7", Note, manifest, "more than 1000 diagnostics; the rest were dropped";
    /// The document is not a JSON object (rule `MAN-1`).
    NotAnObject = "SM0100", "MAN-1", Error, manifest, "the manifest must be a JSON object";
    /// A top-level field has the wrong JSON type (rule `MAN-2`).
    FieldType = "SM0101", "MAN-2", Error, manifest, "top-level field of the wrong type";
    /// `logo` or `website` is an empty string, treated as absent (rule `MAN-3`).
    UrlEmpty = "SM0102", "MAN-3", Note, manifest, "empty `logo`/`website`, treated as absent";
    /// `logo` or `website` is not an http(s) URL (rule `MAN-3`).
    ManifestUrlInvalid = "SM0103", "MAN-3", Warning, manifest, "`logo`/`website` is not an http(s) URL";
    /// `repository` or `ref` is empty or only white space, treated as absent (rule `MAN-4`,
    /// decision D-23).
    SourceEmpty = "SM0104", "MAN-4", Note, manifest, "empty `repository`/`ref`, treated as absent";
    /// `stack` is not a known Scalingo stack (rule `MAN-5`, decision D-16).
    UnknownStack = "SM0105", "MAN-5", Warning, manifest, "unknown stack; the platform keeps its default stack";
    /// `copy_parent_database_urls` is not a boolean (rule `MAN-6`).
    CopyParentInvalid = "SM0106", "MAN-6", Error, manifest, "`copy_parent_database_urls` must be a boolean";
    /// `copy_parent_database_urls` given as `"true"`/`"false"` (rule `MAN-6`).
    CopyParentString = "SM0107", "MAN-6", Note, manifest, "`copy_parent_database_urls` given as a string";
    /// A top-level key Scalingo does not know (rule `MAN-7`).
    UnknownKey = "SM0108", "MAN-7", Warning, manifest, "unknown top-level key, ignored";
    /// A Heroku/dokku top-level key, recognised but not used (rule `MAN-8`).
    ForeignKey = "SM0109", "MAN-8", Warning, manifest, "Heroku/dokku key, not used by Scalingo";
    /// `stack` names a stack that is deprecated on the date (rules `MAN-5`, `PLAT-3`).
    DeprecatedStack = "SM0110", "MAN-5", Warning, manifest, "deprecated stack: migrate before it is discontinued";
    /// `stack` names a stack that is discontinued on the date: deployments use the default
    /// stack instead (rules `MAN-5`, `PLAT-3`).
    DiscontinuedStack = "SM0111", "MAN-5", Warning, manifest, "discontinued stack: deployments use the default stack";
    /// An Expo `app.json` (a top-level `expo` key): not a deploy manifest; one note for the
    /// whole file instead of a warning per unknown key (rule `MAN-7`, decision D-25).
    ExpoAppJson = "SM0113", "MAN-7", Note, manifest, "Expo `app.json`: not a deploy manifest";
    /// `env` is not an object (rule `MAN-ENV-1`).
    EnvNotObject = "SM0200", "MAN-ENV-1", Error, manifest, "`env` must be an object";
    /// Invalid env variable name (characters, first character) (rule `MAN-ENV-2`).
    EnvNameInvalid = "SM0201", "MAN-ENV-2", Error, manifest, "invalid env variable name";
    /// Env variable name longer than 64 characters (rule `MAN-ENV-2`).
    EnvNameTooLong = "SM0202", "MAN-ENV-2", Error, manifest, "env variable name longer than 64 characters";
    /// String shorthand `"A": "x"` (rule `MAN-ENV-3`, decision D-9).
    EnvStringShorthand = "SM0203", "MAN-ENV-3", Warning, manifest, "env entry written as a bare string";
    /// Number or boolean shorthand `"A": 5` (rule `MAN-ENV-3`).
    EnvScalarShorthand = "SM0204", "MAN-ENV-3", Warning, manifest, "env entry written as a bare number or boolean";
    /// `"A": null` shorthand deletes the variable (rule `MAN-ENV-3`).
    EnvNullShorthand = "SM0205", "MAN-ENV-3", Warning, manifest, "env entry written as `null`: deletes the variable";
    /// An env entry that is an array (rule `MAN-ENV-3`).
    EnvEntryArray = "SM0206", "MAN-ENV-3", Error, manifest, "env entry must be an object";
    /// `value` is a number, used as its JSON text; Scalingo documents no number value (rule
    /// `MAN-ENV-4`, decision D-8 revised).
    EnvValueScalar = "SM0207", "MAN-ENV-4", Warning, manifest, "env value is a number, used as its JSON text";
    /// `value` is an object or an array (rule `MAN-ENV-4`, decision D-8).
    EnvValueInvalid = "SM0208", "MAN-ENV-4", Error, manifest, "env value must be a string";
    /// Value or template longer than 32768 characters (rule `MAN-ENV-5`).
    EnvValueTooLong = "SM0209", "MAN-ENV-5", Error, manifest, "env value longer than the platform's limit on the date";
    /// `value` and `generator` together (rule `MAN-ENV-6`, decision D-10).
    EnvValueAndGenerator = "SM0210", "MAN-ENV-6", Error, manifest, "`value` and `generator` together";
    /// Unknown generator (rule `MAN-ENV-6`, decision D-10).
    EnvUnknownGenerator = "SM0211", "MAN-ENV-6", Error, manifest, "unknown generator";
    /// `generator` is not a string (rule `MAN-ENV-6`).
    EnvGeneratorType = "SM0212", "MAN-ENV-6", Error, manifest, "`generator` must be a string";
    /// `template` without a generator (rule `MAN-ENV-7`, decision D-10).
    EnvTemplateWithoutGenerator = "SM0213", "MAN-ENV-7", Error, manifest, "`template` without `generator`";
    /// `template` with the `secret` generator (rule `MAN-ENV-7`, decision D-10).
    EnvTemplateWithSecret = "SM0214", "MAN-ENV-7", Error, manifest, "`template` with the `secret` generator";
    /// The `template` generator without `template` (rule `MAN-ENV-7`, decision D-10).
    EnvTemplateMissing = "SM0215", "MAN-ENV-7", Error, manifest, "`template` generator without `template`";
    /// `template` is not a string (rule `MAN-ENV-7`).
    EnvTemplateType = "SM0216", "MAN-ENV-7", Error, manifest, "`template` must be a string";
    /// Unknown `%TOKEN%` in a template, kept verbatim (rule `MAN-ENV-8`, decision D-10).
    EnvUnknownToken = "SM0217", "MAN-ENV-8", Warning, manifest, "unknown template token, kept verbatim";
    /// `required` given as `"true"`/`"false"` (rule `MAN-ENV-9`).
    EnvRequiredString = "SM0218", "MAN-ENV-9", Note, manifest, "`required` given as a string";
    /// `required` is not a boolean (rule `MAN-ENV-9`).
    EnvRequiredInvalid = "SM0219", "MAN-ENV-9", Error, manifest, "`required` must be a boolean";
    /// `description` is not a string (rule `MAN-ENV-10`).
    EnvDescriptionType = "SM0220", "MAN-ENV-10", Error, manifest, "`description` must be a string";
    /// Unknown key in an env entry (rule `MAN-ENV-11`).
    EnvUnknownKey = "SM0221", "MAN-ENV-11", Warning, manifest, "unknown key in an env entry, ignored";
    /// `PROJECT_DIR` in the manifest does not choose the manifest (rule `MAN-ENV-12`).
    EnvProjectDir = "SM0222", "MAN-ENV-12", Warning, manifest, "`PROJECT_DIR` in the manifest does not choose which manifest is read";
    /// An empty env entry `{}` (rule `MAN-ENV-13`).
    EnvUnset = "SM0223", "MAN-ENV-13", Note, manifest, "empty env entry: declares the variable without a value";
    /// `value` is a boolean, as Scalingo's review apps page writes it: the variable is the text
    /// `true` or `false` (rule `MAN-ENV-4`, decision D-8 revised).
    EnvValueBoolean = "SM0224", "MAN-ENV-4", Note, manifest, "env value is a boolean, set as the text `true`/`false`";
    /// An env entry for a variable the platform sets itself (`PORT`, `STACK`, ...): where the
    /// platform sets it, its value most plausibly replaces the manifest's (rules `MAN-ENV-14`,
    /// `PLAT-11`, decision D-24).
    EnvPlatformVar = "SM0225", "MAN-ENV-14", Warning, manifest, "variable set by the platform itself: the platform's value most plausibly wins";
    /// An env value or template holds a NUL character (rule `MAN-ENV-15`).
    EnvValueNul = "SM0226", "MAN-ENV-15", Error, manifest, "env value holds a NUL character";
    /// An env value or template spans several lines (rule `MAN-ENV-15`).
    EnvValueLineBreak = "SM0227", "MAN-ENV-15", Warning, manifest, "env value spans several lines: the dashboard cannot edit it";
    /// `addons` is not an array (rule `MAN-ADD-1`).
    AddonsNotArray = "SM0300", "MAN-ADD-1", Error, manifest, "`addons` must be an array";
    /// Invalid addon reference `provider[:plan]` (rule `MAN-ADD-2`).
    AddonInvalidRef = "SM0301", "MAN-ADD-2", Error, manifest, "invalid addon `provider[:plan]`";
    /// Legacy `scalingo-<name>` provider, normalised (rule `MAN-ADD-3`, decision D-6).
    AddonLegacyName = "SM0302", "MAN-ADD-3", Warning, manifest, "legacy `scalingo-` provider name, normalised";
    /// Addon object without `plan` (rule `MAN-ADD-4`, decision D-6).
    AddonMissingPlan = "SM0303", "MAN-ADD-4", Error, manifest, "addon object without `plan`";
    /// A field of an addon object has the wrong type (rule `MAN-ADD-4`).
    AddonFieldType = "SM0304", "MAN-ADD-4", Error, manifest, "addon field of the wrong type";
    /// Heroku's `as`, ignored (rule `MAN-ADD-4`, decision D-6).
    AddonAsIgnored = "SM0305", "MAN-ADD-4", Warning, manifest, "Heroku `as` in an addon, ignored";
    /// An addon option other than `version`, ignored (rule `MAN-ADD-5`, decision D-6).
    AddonOptionIgnored = "SM0306", "MAN-ADD-5", Warning, manifest, "addon option other than `version`, ignored";
    /// `options.version` is a number, used as its JSON text (rule `MAN-ADD-5`).
    AddonVersionNumber = "SM0307", "MAN-ADD-5", Warning, manifest, "addon version written as a number";
    /// Legacy `{addon_provider_id, plan_id}` object, which the platform ignores: it is not
    /// provisioned and is left out of the manifest (rule `MAN-ADD-6`, decision D-6).
    AddonLegacyObject = "SM0308", "MAN-ADD-6", Warning, manifest, "legacy `addon_provider_id`/`plan_id` addon object: ignored by the platform, not provisioned";
    /// Both `plan` and `addon_provider_id` in one addon object (rule `MAN-ADD-6`).
    AddonMixedShapes = "SM0309", "MAN-ADD-6", Error, manifest, "addon object mixes `plan` and `addon_provider_id`";
    /// Unknown key in an addon object (rule `MAN-ADD-7`).
    AddonUnknownKey = "SM0310", "MAN-ADD-7", Warning, manifest, "unknown key in an addon object, ignored";
    /// An addon element of no accepted shape (rule `MAN-ADD-8`, decision D-6).
    AddonBadShape = "SM0311", "MAN-ADD-8", Error, manifest, "addon must be a string or an object";
    /// A Heroku add-on provider name, which is not among the platform's providers (rule
    /// `MAN-ADD-9`, decision D-21).
    AddonHerokuProvider = "SM0312", "MAN-ADD-9", Warning, manifest, "Heroku add-on provider name, not a Scalingo provider";
    /// `options.version` is empty, treated as absent (rule `MAN-ADD-5`).
    AddonVersionEmpty = "SM0313", "MAN-ADD-5", Warning, manifest, "empty addon version, treated as absent";
    /// A plan retired on the date; the platform provisions its replacement instead (rules
    /// `MAN-ADD-10`, `PLAT-10`, decision D-22).
    AddonPlanRetired = "SM0314", "MAN-ADD-10", Warning, manifest, "retired plan: the platform provisions a replacement";
    /// `formation` is not an object (rule `MAN-FRM-1`).
    FormationNotObject = "SM0400", "MAN-FRM-1", Error, manifest, "`formation` must be an object";
    /// Unknown container size (rule `MAN-FRM-3`, decision D-15).
    UnknownSize = "SM0401", "MAN-FRM-3", Error, manifest, "unknown container size";
    /// A formation entry that is not an object (rule `MAN-FRM-1`).
    FormationEntryNotObject = "SM0402", "MAN-FRM-1", Error, manifest, "formation entry must be an object";
    /// A formation key that is not a process type name (rule `MAN-FRM-2`, D-15).
    ProcessTypeInvalid = "SM0403", "MAN-FRM-2", Error, manifest, "invalid process type name";
    /// `postdeploy` as a formation key, ignored: it is the hook's name, never a container type
    /// (rule `MAN-FRM-2`, decision D-15 revised).
    ProcessTypePostdeploy = "SM0404", "MAN-FRM-2", Warning, manifest, "`postdeploy` formation entry ignored: it is a hook, not a container type";
    /// `size` is not a string (rule `MAN-FRM-3`).
    SizeType = "SM0405", "MAN-FRM-3", Error, manifest, "`size` must be a string";
    /// `amount`/`quantity` is not a non-negative integer literal (rule `MAN-FRM-4`).
    AmountInvalid = "SM0406", "MAN-FRM-4", Error, manifest, "amount must be a non-negative integer literal";
    /// Heroku's `quantity`, used as `amount` (rule `MAN-FRM-5`, decision D-14).
    QuantityUsed = "SM0407", "MAN-FRM-5", Warning, manifest, "Heroku `quantity` used as `amount`";
    /// Both `amount` and `quantity` (rule `MAN-FRM-5`, decision D-14).
    AmountAndQuantity = "SM0408", "MAN-FRM-5", Error, manifest, "both `amount` and `quantity`";
    /// Unknown key in a formation entry (rule `MAN-FRM-6`).
    FormationUnknownKey = "SM0409", "MAN-FRM-6", Warning, manifest, "unknown key in a formation entry, ignored";
    /// `scripts` is not an object (rule `MAN-SCR-1`).
    ScriptsNotObject = "SM0500", "MAN-SCR-1", Error, manifest, "`scripts` must be an object";
    /// A script is not a string (rule `MAN-SCR-2`).
    ScriptType = "SM0501", "MAN-SCR-2", Error, manifest, "script must be a string";
    /// Deprecated `scripts.postdeploy` (rule `MAN-SCR-3`, decision D-12).
    PostdeployDeprecated = "SM0502", "MAN-SCR-3", Warning, manifest, "deprecated `scripts.postdeploy`";
    /// An empty script, treated as absent (rule `MAN-SCR-4`).
    ScriptEmpty = "SM0503", "MAN-SCR-4", Warning, manifest, "empty script, treated as absent";
    /// A Heroku/dokku script key, recognised but not used (rule `MAN-SCR-5`).
    ForeignScript = "SM0504", "MAN-SCR-5", Warning, manifest, "Heroku/dokku script, not used by Scalingo";
    /// Unknown script key (rule `MAN-SCR-6`).
    UnknownScript = "SM0505", "MAN-SCR-6", Warning, manifest, "unknown script key, ignored";
    /// `SM0601`: a process line has no `:` (rule `PROC-1`).
    ProcfileNoColon = "SM0601", "PROC-1", Error, procfile, "Procfile line has no colon: it is not `<name>: <command>`";
    /// `SM0602`: nothing before the `:` of a process line (rule `PROC-1`).
    EmptyProcessTypeName = "SM0602", "PROC-1", Error, procfile, "Procfile line has an empty process type name";
    /// `SM0603`: nothing after the `:` of a process line (rule `PROC-1`).
    EmptyProcessCommand = "SM0603", "PROC-1", Error, procfile, "Procfile line has an empty command";
    /// `SM0604`: a process type name has a character other than `A-Z`, `a-z`, `0-9` (rule
    /// `PROC-2`).
    ProcessTypeInvalidChar = "SM0604", "PROC-2", Error, procfile, "process type name has a character other than letters and digits";
    /// `SM0605`: a process type name is longer than 24 characters (rule `PROC-2`).
    ProcessTypeNameTooLong = "SM0605", "PROC-2", Error, procfile, "process type name is longer than 24 characters";
    /// `SM0606`: a process type is defined twice (rule `PROC-3`).
    DuplicateProcessType = "SM0606", "PROC-3", Error, procfile, "process type defined more than once (the first definition is kept)";
    /// `SM0607`: a name that differs from a reserved name only by letter case (rule `PROC-4`).
    ProcessTypeReservedCase = "SM0607", "PROC-4", Warning, procfile, "process type name differs from a reserved name (web, tcp, postdeploy) only by case";
    /// `SM0608`: Heroku's `release` process type, which Scalingo does not run (rule `PROC-5`).
    HerokuRelease = "SM0608", "PROC-5", Warning, procfile, "Heroku `release` process type: Scalingo has no release phase (use `postdeploy`)";
    /// `SM0609`: the Procfile is not UTF-8 (rule `PROC-6`).
    ProcfileInvalidUtf8 = "SM0609", "PROC-6", Error, procfile, "Procfile is not valid UTF-8";
    /// `SM0610`: the Procfile starts with a UTF-8 byte order mark (rule `PROC-6`).
    ProcfileByteOrderMark = "SM0610", "PROC-6", Error, procfile, "Procfile starts with a UTF-8 byte order mark";
    /// `SM0611`: CRLF line endings (rule `PROC-7`).
    ProcfileCrlf = "SM0611", "PROC-7", Note, procfile, "Procfile uses CRLF line endings (accepted)";
    /// `SM0612`: a carriage return not followed by a line feed (rule `PROC-7`).
    ProcfileLoneCr = "SM0612", "PROC-7", Error, procfile, "Procfile has a carriage return that is not followed by a line feed";
    /// `SM0613`: a process line starts with whitespace (rule `PROC-8`).
    IndentedProcessLine = "SM0613", "PROC-8", Warning, procfile, "process line is indented";
    /// `SM0614`: a process line that a YAML reader would read differently (rule `PROC-9`).
    ProcfileNotYaml = "SM0614", "PROC-9", Warning, procfile, "process line is not valid YAML `name: value` syntax";
    /// `SM0615`: the Procfile defines no process type (rule `PROC-10`).
    NoProcessType = "SM0615", "PROC-10", Warning, procfile, "Procfile defines no process type";
    /// `SM0616`: the Procfile is larger than 1 MiB; nothing is read (rule `PROC-LIM-1`).
    ProcfileTooLarge = "SM0616", "PROC-LIM-1", Error, procfile, "Procfile is larger than 1 MiB (1,048,576 bytes); nothing is read";
    /// `SM0617`: more than 1000 process lines; the rest is ignored (rule `PROC-LIM-2`).
    ProcfileTooManyLines = "SM0617", "PROC-LIM-2", Error, procfile, "Procfile has more than 1000 process lines; the following lines are ignored";
    /// `SM0618`: a command longer than 4096 bytes (rule `PROC-LIM-3`).
    ProcessCommandTooLong = "SM0618", "PROC-LIM-3", Error, procfile, "Procfile command is longer than 4096 bytes";
    /// `SM0619`: more than 1000 diagnostics; the rest were dropped (rule `PROC-LIM-4`).
    ProcfileDiagnosticsDropped = "SM0619", "PROC-LIM-4", Note, procfile, "more than 1000 diagnostics for the Procfile; the rest were dropped";
    /// `PROJECT_DIR` has a `..` segment (rule `LOC-1`).
    ProjectDirParent = "SM0700", "LOC-1", Error, locate, "PROJECT_DIR has a `..` segment: it could name a folder outside the repository";
    /// `PROJECT_DIR` has a control character (NUL, tab, line break, ...) (rule `LOC-1`).
    ProjectDirControl = "SM0701", "LOC-1", Error, locate, "PROJECT_DIR contains a control character (NUL, tab, line break, ...)";
    /// `PROJECT_DIR` has a backslash (rule `LOC-1`).
    ProjectDirBackslash = "SM0702", "LOC-1", Error, locate, "PROJECT_DIR contains a backslash: folders are separated by `/`";
    /// `PROJECT_DIR` is longer than `MAX_PATH_BYTES` (rule `LOC-1`).
    ProjectDirTooLong = "SM0703", "LOC-1", Error, locate, "PROJECT_DIR is longer than 4096 bytes";
    /// `PROJECT_DIR` starts with `/`: read relative to the repository root (rule `LOC-1`).
    ProjectDirLeadingSlash = "SM0704", "LOC-1", Note, locate, "PROJECT_DIR starts with `/`: it is read relative to the repository root";
    /// `PROJECT_DIR` names no folder of the repository (rule `LOC-3`).
    ProjectDirMissing = "SM0705", "LOC-3", Warning, locate, "PROJECT_DIR names no folder of the repository";
    /// `PROJECT_DIR` names a file, not a folder (rule `LOC-3`).
    ProjectDirIsFile = "SM0706", "LOC-3", Warning, locate, "PROJECT_DIR names a file, not a folder";
    /// A repository path is not a valid relative path; it is ignored (rule `LOC-2`).
    PathInvalid = "SM0710", "LOC-2", Warning, locate, "repository path is not a valid relative path; it is ignored";
    /// More invalid repository paths than `MAX_PATH_DIAGNOSTICS` (rule `LOC-2`).
    PathDiagnosticsDropped = "SM0711", "LOC-2", Note, locate, "more invalid repository paths were not reported one by one";
    /// The tree lists more than `MAX_PATHS` paths (rule `LOC-2`).
    TreeTooLarge = "SM0712", "LOC-2", Error, locate, "the repository tree lists more than 10000 paths";
    /// No manifest in any searched folder (rule `LOC-4`).
    NoManifest = "SM0720", "LOC-4", Note, locate, "no manifest (`scalingo.json` or `app.json`) was found";
    /// `app.json` is ignored because `scalingo.json` is in the same folder (rule `LOC-5`).
    AppJsonIgnored = "SM0721", "LOC-5", Note, locate, "`app.json` is ignored: `scalingo.json` in the same folder takes priority";
    /// A manifest farther up is not read because a closer one won (rule `LOC-6`).
    ManifestShadowed = "SM0722", "LOC-6", Note, locate, "a manifest farther from PROJECT_DIR is not read: a closer one wins";
    /// A file whose name differs from a manifest name only by case (rule `LOC-7`).
    ManifestNameCase = "SM0723", "LOC-7", Warning, locate, "file name differs from `scalingo.json`/`app.json` only by case; it is not a manifest";
    /// A root Procfile is not used because `PROJECT_DIR` has none (rule `LOC-8`).
    RootProcfileUnused = "SM0730", "LOC-8", Warning, locate, "the root Procfile is not used: the app is built from PROJECT_DIR, which has none";
    /// A file whose name differs from `Procfile` only by case (rule `LOC-8`).
    ProcfileNameCase = "SM0731", "LOC-8", Warning, locate, "file name differs from `Procfile` only by case; it is not read";
    /// The URL cannot be parsed, or is malformed (rule `SRC-3`).
    SourceUrlInvalid = "SM0800", "SRC-3", Error, source, "not a valid URL";
    /// The URL's scheme is not `https` (rule `SRC-3`).
    UrlNotHttps = "SM0801", "SRC-3", Error, source, "the URL does not use https";
    /// The URL carries credentials (rule `SRC-4`).
    UrlCredentials = "SM0802", "SRC-4", Error, source, "the URL contains credentials";
    /// The host is not `github.com` (rule `SRC-5`).
    UrlNotGithub = "SM0803", "SRC-5", Error, source, "only public repositories hosted on github.com are supported";
    /// The URL is on GitHub but is not a repository URL (rule `SRC-6`).
    UrlNotRepository = "SM0804", "SRC-6", Error, source, "the URL is not a GitHub repository URL";
    /// The owner name is not a valid GitHub owner name (rule `SRC-6`).
    OwnerInvalid = "SM0805", "SRC-6", Error, source, "invalid GitHub owner name";
    /// The repository name is not a valid GitHub repository name (rule `SRC-6`).
    RepoNameInvalid = "SM0806", "SRC-6", Error, source, "invalid GitHub repository name";
    /// A Git ref is not valid (rule `SRC-7`).
    RefInvalid = "SM0807", "SRC-7", Error, source, "invalid Git ref (branch, tag or commit)";
    /// A URL names two different refs (`/tree/<a>` and `#<b>`) (rule `SRC-7`).
    RefConflict = "SM0808", "SRC-7", Error, source, "the URL names two different refs (`/tree/<ref>` and `#<ref>`)";
    /// A query string in `source` or `repository` is ignored (rule `SRC-6`).
    QueryIgnored = "SM0809", "SRC-6", Note, source, "the URL's query string is ignored";
    /// An empty `#` fragment is ignored (rule `SRC-7`).
    EmptyFragment = "SM0810", "SRC-7", Note, source, "an empty `#` fragment names no ref; it is ignored";
    /// No `source` and no usable Referer: nothing to deploy (rule `SRC-1`).
    NoSource = "SM0811", "SRC-1", Error, source, "no repository to deploy: no `source` parameter and no GitHub repository Referer";
    /// The Referer is not a GitHub repository page; it is ignored (rule `SRC-2`).
    RefererIgnored = "SM0812", "SRC-2", Note, source, "the Referer is not a GitHub repository page; it is ignored";
    /// A Referer `/tree/<a>/<b>` path is ambiguous; `<a>` is taken as the ref (rule `SRC-2`).
    RefererTreeAmbiguous = "SM0813", "SRC-2", Warning, source, "the Referer's `/tree/` path is ambiguous: its first segment is taken as the ref";
    /// An empty `source` parameter counts as absent (rule `SRC-1`).
    EmptySource = "SM0814", "SRC-1", Note, source, "the `source` parameter is empty; it counts as absent";
    /// The manifest's `repository` names the repository it was read from (rule `SRC-8`).
    RepositoryConfirms = "SM0815", "SRC-8", Note, source, "the manifest's `repository` names the repository it was read from";
    /// The manifest's `repository` redirects the code to another repository (rule `SRC-8`).
    RepositoryRedirects = "SM0816", "SRC-8", Note, source, "the manifest's `repository` redirects the code to another repository; the manifest is not read again";
    /// No default branch known: `master` is used (rule `SRC-10`).
    DefaultRefUsed = "SM0817", "SRC-10", Note, source, "no ref and no default branch given: `master` is used";
    /// The manifest's `ref` overrides a different ref written in the URL (rule `SRC-10`).
    RefOverridden = "SM0818", "SRC-10", Note, source, "the manifest's `ref` overrides the ref written in the URL";
    /// `SM0819` (rule `SRC-11`, warning): the code is deployed from another repository than
    /// the one whose files the scenario holds; the Procfile, formation and hooks are computed
    /// from the files the scenario holds.
    RedirectedFilesUnknown = "SM0819", "SRC-11", Warning, source, "the code comes from another repository, whose files the scenario does not hold";
    /// `SM0900` (rule `GEN-4`, warning): a `%WORD%` token of a template is not one of
    /// `KNOWN_TOKENS`; it is kept verbatim.
    UnknownTemplateToken = "SM0900", "GEN-4", Warning, generate, "unknown template token, kept verbatim";
    /// `SM0901` (rule `GEN-5`, warning): `%PARENT_APP%` or `%PR_NUMBER%` has no value for this
    /// app (a one-click deploy has no parent app and no pull request); it expands to `""`.
    TokenWithoutValue = "SM0901", "GEN-5", Warning, generate, "template token has no value for this app, expanded to an empty string";
    /// `SM0902` (rule `GEN-9`, error): a generated value would be longer than
    /// `MAX_ENV_VALUE_CHARS` characters; no value is generated.
    ValueTooLong = "SM0902", "GEN-9", Error, generate, "generated value longer than 32768 characters";
    /// `SM0903` (rule `GEN-3`, error): the operating system could not provide entropy for an
    /// unseeded secret; no value is generated.
    NoEntropy = "SM0903", "GEN-3", Error, generate, "operating system entropy unavailable for a secret";
    /// `SM0950` (rule `ENV-4`, error): a one-click deploy's `required` variable ends without a
    /// value.
    RequiredMissing = "SM0950", "ENV-4", Error, env, "required variable has no value (one-click deploy)";
    /// `SM0951` (rule `ENV-5`, note): a one-click user value names a variable the manifest's
    /// `env` does not declare.
    UndeclaredUserVar = "SM0951", "ENV-5", Note, env, "user value for a variable the manifest does not declare";
    /// `SM0952` (rule `ENV-11`, warning): the manifest's `env` declares `PROJECT_DIR`, which
    /// does not change which manifest is read (decision D-3).
    ManifestProjectDir = "SM0952", "ENV-11", Warning, env, "PROJECT_DIR in the manifest env does not choose the manifest";
    /// `SM0953` (rule `ENV-12`, error): a user or parent variable has an invalid name; it is
    /// skipped.
    InvalidInputName = "SM0953", "ENV-12", Error, env, "invalid variable name in the user or parent environment";
    /// `SM0954` (rule `ENV-12`, error): a user or parent variable's value is longer than 32768
    /// characters; it is skipped.
    InputValueTooLong = "SM0954", "ENV-12", Error, env, "value longer than 32768 characters in the user or parent environment";
    /// `SM0955` (rule `ENV-14`, warning): an input that does not apply to this app kind was
    /// given (user values for a review app, a parent environment for a one-click deploy); it is
    /// ignored.
    InputNotUsed = "SM0955", "ENV-14", Warning, env, "input not used for this app kind";
    /// `SM0956` (rule `ENV-12`, error): a user or parent variable's value holds a NUL
    /// character, which no process environment can hold; it is skipped.
    InputValueNul = "SM0956", "ENV-12", Error, env, "value with a NUL character in the user or parent environment";
    /// `SM0957` (rule `ENV-12`, warning): a value typed in the one-click form spans several
    /// lines: it is set, but the dashboard cannot edit the app's environment afterwards.
    UserValueLineBreak = "SM0957", "ENV-12", Warning, env, "user value spans several lines: the dashboard cannot edit it";
    /// `SM0958` (rule `ENV-15`): more than `MAX_DIAGNOSTICS` findings; the rest were counted,
    /// not listed. A note, or an error when an error was not listed.
    EnvDiagnosticsDropped = "SM0958", "ENV-15", Note, env, "more than 1000 findings in the environment resolution; the rest were dropped";
    /// `SM0959` (rule `ENV-16`, warning): a review app inherits from its parent a variable
    /// that looks like a credential (a URL with a password, or a name such as `API_TOKEN`).
    InheritedCredential = "SM0959", "ENV-16", Warning, env, "review app inherits a variable of the parent that looks like a credential";
    /// `SM0960` (rule `ENV-16`, warning): `copy_parent_database_urls` copies a variable of the
    /// parent's addons into a review app, which then connects to the parent's addon.
    ParentAddonVarCopied = "SM0960", "ENV-16", Warning, env, "review app gets the parent's addon variable: it connects to the parent's addon";
    /// A parent addon is not provisioned in a review app because the manifest's `addons` list
    /// does not name it.
    ParentAddonDropped = "SM1000", "ADD-4", Note, addons, "parent addon not provisioned: not in the manifest's addons";
    /// A review-app addon without a plan takes the parent's plan.
    PlanFromParent = "SM1001", "ADD-5", Note, addons, "addon without plan: the parent app's plan is used";
    /// A review-app addon without a version takes the parent's version.
    VersionFromParent = "SM1002", "ADD-6", Note, addons, "addon without version: the parent app's version is used";
    /// An addon without a plan (and, in a review app, absent from the parent) gets the
    /// provider's default plan.
    DefaultPlan = "SM1003", "ADD-7", Note, addons, "addon without plan: the provider's default plan is used";
    /// The same provider is listed twice with the same plan and version; it is provisioned
    /// once.
    DuplicateAddon = "SM1004", "ADD-8", Warning, addons, "addon listed twice: provisioned once";
    /// The same provider is listed twice with a different plan or version; only the first entry
    /// is provisioned.
    ConflictingAddon = "SM1005", "ADD-8", Error, addons, "addon listed twice with a different plan or version";
    /// An addon written as a legacy `{addon_provider_id, plan_id}` object is not provisioned:
    /// the platform ignores that shape. `manifest::check` already leaves such objects out
    /// (SM0308); this is for callers that build an `AddonSpec` of shape `AddonShape::Legacy`
    /// themselves.
    LegacyNotProvisioned = "SM1006", "ADD-9", Warning, addons, "legacy addon object: not provisioned";
    /// A plan the addon takes from the parent app is retired on the date; the platform
    /// provisions a replacement instead (`*-sandbox` plans: the smallest Starter plan of the
    /// provider, from 2026-03-02).
    RetiredPlanFromParent = "SM1007", "ADD-10", Warning, addons, "the parent's plan is retired: the platform provisions a replacement";
    /// A manifest formation entry has no `amount`; the parent's amount or the default is used.
    AmountMissing = "SM1100", "FRM-5", Note, formation, "formation entry without amount: the parent's amount or the default is used";
    /// A manifest formation entry has no `size`; the parent's size or `M` is used.
    SizeMissing = "SM1101", "FRM-6", Note, formation, "formation entry without size: the parent's size or M is used";
    /// A manifest formation entry names a process type the code does not define; nothing is
    /// started for it.
    UndefinedType = "SM1102", "FRM-7", Warning, formation, "formation entry for a process type the Procfile does not define: not started";
    /// A process type of the parent's formation is not defined by the review app's code;
    /// nothing is started for it.
    ParentTypeGone = "SM1103", "FRM-8", Note, formation, "parent process type not defined by the Procfile: not started";
    /// `web` containers start but the Procfile does not define `web`: the buildpack's default
    /// web process is used.
    BuildpackWeb = "SM1104", "FRM-9", Note, formation, "web process not in a Procfile: the buildpack's default web process is used";
    /// `SM1201` (warning, rule `HOOK-10`): the deprecated manifest `scripts.postdeploy` is
    /// scheduled (as the review app's postdeploy hook, or as a one-click app's first-deploy).
    DeprecatedManifestPostdeploy = "SM1201", "HOOK-10", Warning, hooks, "deprecated manifest scripts.postdeploy is used as a hook";
    /// `SM1202` (warning, rule `HOOK-13`): both the manifest `scripts.postdeploy` and a
    /// Procfile `postdeploy:` exist; the Procfile's wins and the manifest's never runs.
    ManifestPostdeployShadowedByProcfile = "SM1202", "HOOK-13", Warning, hooks, "manifest scripts.postdeploy never runs: the Procfile postdeploy wins";
    /// `SM1203` (warning, rule `HOOK-12`): a one-click app defines both `scripts.first-deploy`
    /// and `scripts.postdeploy`; the manifest is used once, so `scripts.postdeploy` never runs.
    OneClickPostdeployShadowedByFirstDeploy = "SM1203", "HOOK-12", Warning, hooks, "one-click manifest scripts.postdeploy never runs: first-deploy is defined";
    /// `SM1204` (error, rule `HOOK-15`): more than `MAX_ATTEMPTS` attempts; the attempts beyond
    /// the limit are not scheduled.
    TooManyAttempts = "SM1204", "HOOK-15", Error, hooks, "too many deployment attempts (limit 1000); the rest are not scheduled";
    /// `SM1205` (note, rule `HOOK-16`): an attempt gives a start or hook result that is never
    /// reached (a start result after a failed build; a failing hook result on an attempt where
    /// no hook runs), so it has no effect.
    ResultNotReached = "SM1205", "HOOK-16", Note, hooks, "an attempt's start or hook result is never reached and has no effect";
    /// The scenario's repository holds too many files or too long a path.
    TooManyFiles = "SM1300", "SCN-LIM-1", Error, scenario, "repository file tree over the limits";
    /// A one-click scenario without a request, or a review app without a parent.
    MissingInput = "SM1301", "SCN-1", Error, scenario, "scenario lacks an input its kind needs";
    /// Resolution stopped because an earlier stage found an error.
    ResolutionStopped = "SM1302", "SCN-4", Note, scenario, "resolution stopped after an error";
    /// The app name is not a valid Scalingo app name.
    InvalidAppName = "SM1303", "SCN-2", Error, scenario, "invalid app name";
    /// The deployment does not start because the configuration has errors.
    NotDeployed = "SM1305", "SCN-5", Note, scenario, "no deployment: the app configuration has errors";
    /// The stack asked for is discontinued on the scenario's date, so the app gets the default
    /// stack (rules `SCN-6`, `PLAT-3`).
    StackReplaced = "SM1306", "SCN-6", Note, scenario, "discontinued stack replaced by the default stack";
    /// The scenario's region is not a region of the platform catalogue on its date (rules
    /// `SCN-2`, `PLAT-5`).
    UnknownRegion = "SM1307", "SCN-2", Error, scenario, "unknown region";
    /// Findings beyond `MAX_DIAGNOSTICS` were dropped (rule `SCN-LIM-2`); a note, or an error
    /// when an error was dropped.
    ScenarioDiagnosticsDropped = "SM1308", "SCN-LIM-2", Note, scenario, "more than 1000 diagnostics in the outcome; the rest were dropped";
    /// `firewall_rules` is not an array. The key is then read as absent (a review app keeps its
    /// parent's rules).
    FirewallRulesNotArray = "SM1400", "FW-1", Error, firewall, "`firewall_rules` is not an array";
    /// An element of `firewall_rules` is not an object; it is not applied.
    FirewallRuleNotObject = "SM1401", "FW-2", Error, firewall, "firewall rule is not an object";
    /// A rule has no `cidr`, or its `cidr` is not a string; the rule is not applied.
    CidrMissing = "SM1402", "FW-2", Error, firewall, "firewall rule without a string `cidr`";
    /// A rule has a key other than `cidr` and `label`; it is ignored.
    UnknownFirewallRuleKey = "SM1403", "FW-2", Warning, firewall, "unknown key in a firewall rule, ignored";
    /// A rule's `label` is not a string (nor `null`); the rule is kept without a label.
    LabelNotString = "SM1404", "FW-2", Error, firewall, "firewall rule `label` is not a string";
    /// A rule's `label` is `""` or `null`; the rule has no label.
    EmptyLabel = "SM1405", "FW-2", Note, firewall, "empty or null `label`: the rule has no label";
    /// `cidr` is not an IP range in CIDR notation; the rule is not applied.
    InvalidCidr = "SM1406", "FW-3", Error, firewall, "`cidr` is not an IP range in CIDR notation";
    /// `cidr` is an address without a prefix length (`203.0.113.42`), which the platform does
    /// not accept; the rule is not applied.
    CidrWithoutPrefix = "SM1407", "FW-3", Error, firewall, "address without a CIDR prefix length";
    /// `cidr` has white space before or after it; the rule is not applied.
    CidrWhitespace = "SM1408", "FW-3", Error, firewall, "white space around the `cidr`";
    /// An IP version the Application Firewall does not accept on the date (IPv6 since the
    /// firewall exists); the rule is not applied.
    IpVersionUnsupported = "SM1409", "FW-4", Error, firewall, "IPv6 range: not supported by the Application Firewall";
    /// The range has host bits set (`10.0.0.1/24`); it is read as its network (`10.0.0.0/24`).
    HostBitsSet = "SM1410", "FW-5", Warning, firewall, "range with host bits set: read as its network";
    /// The same network twice; the later rule is ignored.
    DuplicateFirewallRule = "SM1411", "FW-6", Warning, firewall, "same range twice: the later rule is ignored";
    /// More rules than the platform's default limit (20); the app's creation fails unless
    /// Scalingo support raised the limit.
    TooManyFirewallRules = "SM1412", "FW-7", Warning, firewall, "more firewall rules than the default limit";
    /// A parent rule is not copied to a review app because the manifest's `firewall_rules` does
    /// not list its range.
    ParentFirewallRuleDropped = "SM1413", "FW-9", Note, firewall, "parent firewall rule not copied: not in the manifest's firewall_rules";
    /// A one-click deploy applies the manifest's `firewall_rules` to the new app; the engine's
    /// reading, the documentation only describes review apps.
    OneClickFirewallRules = "SM1414", "FW-10", Note, firewall, "one-click deploy: the manifest's firewall rules are applied at creation";
    /// The parent app has firewall rules, but the platform has no Application Firewall on the
    /// scenario's date; they are not copied.
    NoFirewallOnDate = "SM1415", "FW-11", Note, firewall, "no Application Firewall on the date: the parent's firewall rules are not copied";
}
