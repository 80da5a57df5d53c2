//! The environment variable name rule, stated once (rules `MAN-ENV-2`, `ENV-12`): 1 to
//! [`MAX_ENV_NAME_CHARS`] characters `[A-Za-z0-9_]`, starting with a letter (so neither
//! with `_` nor with a digit).
//!
//! Manifest validation ([`check`](crate::manifest::check), `MAN-ENV-2`), the environment
//! resolution's guard on user and parent variables ([`env::name_problem`](crate::env::name_problem),
//! `ENV-12`) and the JSON Schema ([`ENV_NAME_PATTERN`], `propertyNames` of `env`) all read
//! the rule from here; each words its findings its own way.

/// Longest env variable name, in characters, as the platform catalogue's newest record
/// says (rules `MAN-ENV-2`, `ENV-12`, `PLAT-6`; `spec/platform.json`,
/// `/env/name_max_chars`).
pub const MAX_ENV_NAME_CHARS: usize = crate::platform::ENV_NAME_MAX_CHARS_LATEST;

/// The rule as a regular expression, for the JSON Schema's `propertyNames` of `env`: a
/// letter, then at most `MAX_ENV_NAME_CHARS`` - 1` letters, digits and `_`. A unit test
/// checks that it accepts exactly the names `is_env_name` accepts.
pub const ENV_NAME_PATTERN: &str = "^[A-Za-z][A-Za-z0-9_]{0,63}$";

/// Why a name breaks the rule, length aside (see [`env_name_too_long`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnvNameFault {
    /// The name is empty.
    Empty,
    /// The name holds this character, the first one that is not `[A-Za-z0-9_]`.
    Char(char),
    /// The name starts with `_`.
    LeadingUnderscore,
    /// The name starts with a digit.
    LeadingDigit,
}

/// True for the characters a variable name is made of: `[A-Za-z0-9_]`.
pub(crate) const fn is_env_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// [`is_env_name_char`] of each byte (as the character of that code; no byte of a
/// multi-byte character is one), looked up rather than computed: names are checked for
/// every env entry of every manifest.
const ENV_NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = is_env_name_char(b as u8 as char);
        b += 1;
    }
    table
};

/// The first fault of `name`, length aside, checked in this order: empty, a character
/// other than `[A-Za-z0-9_]`, a leading `_`, a leading digit. `None` when the name has
/// none (it may still be too long: [`env_name_too_long`]).
pub(crate) fn env_name_fault(name: &str) -> Option<EnvNameFault> {
    let bytes = name.as_bytes();
    let Some(&first) = bytes.first() else {
        return Some(EnvNameFault::Empty);
    };
    // The allowed characters are ASCII: the first byte that is not one of them starts the
    // first character that is not (every byte before it is a whole character).
    if let Some(at) = bytes.iter().position(|&b| !ENV_NAME_BYTES[usize::from(b)]) {
        let c = name.get(at..).and_then(|rest| rest.chars().next());
        return Some(EnvNameFault::Char(c.unwrap_or(char::REPLACEMENT_CHARACTER)));
    }
    if first == b'_' {
        return Some(EnvNameFault::LeadingUnderscore);
    }
    if first.is_ascii_digit() {
        return Some(EnvNameFault::LeadingDigit);
    }
    None
}

/// True when `name` has more than [`MAX_ENV_NAME_CHARS`] characters.
pub fn env_name_too_long(name: &str) -> bool {
    name.len() > MAX_ENV_NAME_CHARS && name.chars().nth(MAX_ENV_NAME_CHARS).is_some()
}

/// True when `name` is a valid variable name (rules `MAN-ENV-2`, `ENV-12`).
pub fn is_env_name(name: &str) -> bool {
    env_name_fault(name).is_none() && !env_name_too_long(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    // MAN-ENV-2, ENV-12: the schema's pattern and the function are one rule.
    #[test]
    fn the_pattern_is_the_rule_written_as_a_regular_expression() {
        assert_eq!(
            ENV_NAME_PATTERN,
            format!(
                "^[A-Za-z][A-Za-z0-9_]{{0,{}}}$",
                MAX_ENV_NAME_CHARS.saturating_sub(1)
            )
        );
        let schema = serde_json::json!({"type": "string", "pattern": ENV_NAME_PATTERN});
        let validator = jsonschema::validator_for(&schema).expect("a valid pattern");
        let alphabet = [
            'A', 'z', 'Q', '0', '9', '_', '-', ' ', '.', 'é', '\n', '\0', '$',
        ];
        let mut names: Vec<String> = vec![String::new()];
        for a in alphabet {
            names.push(a.to_string());
            for b in alphabet {
                names.push(format!("{a}{b}"));
                for c in alphabet {
                    names.push(format!("{a}{b}{c}"));
                }
            }
        }
        for len in [
            MAX_ENV_NAME_CHARS - 1,
            MAX_ENV_NAME_CHARS,
            MAX_ENV_NAME_CHARS + 1,
        ] {
            names.push("A".repeat(len));
            names.push(format!("A{}", "_".repeat(len - 1)));
            names.push(format!("_{}", "A".repeat(len - 1)));
            names.push(format!("A{}", "é".repeat(len - 1)));
        }
        for name in &names {
            assert_eq!(
                validator.is_valid(&serde_json::Value::String(name.clone())),
                is_env_name(name),
                "{name:?}"
            );
        }
    }

    // MAN-ENV-2
    #[test]
    fn faults_come_in_the_documented_order() {
        assert_eq!(env_name_fault(""), Some(EnvNameFault::Empty));
        assert_eq!(env_name_fault("_a b"), Some(EnvNameFault::Char(' ')));
        assert_eq!(env_name_fault("_1"), Some(EnvNameFault::LeadingUnderscore));
        assert_eq!(env_name_fault("1_"), Some(EnvNameFault::LeadingDigit));
        assert_eq!(env_name_fault("A_1"), None);
        assert_eq!(env_name_fault("AÉ_"), Some(EnvNameFault::Char('É')));
        assert_eq!(env_name_fault("é"), Some(EnvNameFault::Char('é')));
        assert!(!env_name_too_long(&"é".repeat(MAX_ENV_NAME_CHARS)));
        assert!(env_name_too_long(&"A".repeat(MAX_ENV_NAME_CHARS + 1)));
        assert!(is_env_name(&"A".repeat(MAX_ENV_NAME_CHARS)));
    }
}
