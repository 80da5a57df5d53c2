//! The template-token grammar of the manifest's `url` and `template` generators (rules
//! `MAN-ENV-8`, `GEN-4`), stated once: which `%NAME%` tokens a template holds and which
//! names are known. Manifest validation reports the unknown ones (`SM0217`); the
//! generators ([`generate::expand`](crate::generate::expand)) expand the known ones.

/// The template tokens the engine expands (rule `GEN-4`), without their `%` delimiters.
pub(crate) const KNOWN_TOKENS: [&str; 4] = ["URL", "APP", "PARENT_APP", "PR_NUMBER"];

/// One `%NAME%` token found in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateToken {
    /// The name between the `%` signs (for example `PR_NUMBER`).
    pub name: String,
    /// Byte offset of the opening `%` in the template.
    pub start: usize,
    /// Byte offset just after the closing `%`.
    pub end: usize,
}

/// Finds the `%NAME%` tokens of a template, left to right (rule `GEN-4`).
///
/// A token is `%`, one or more ASCII letters, digits or underscores, then `%`. A `%` that
/// does not open such a token is a literal character (so `100%` and `%%` are literal).
/// Tokens do not overlap: after a token, scanning resumes after its closing `%`.
pub(crate) fn scan_tokens(template: &str) -> Vec<TemplateToken> {
    let bytes = template.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            if j > i + 1 && j < bytes.len() && bytes[j] == b'%' {
                out.push(TemplateToken {
                    name: template[i + 1..j].to_string(),
                    start: i,
                    end: j + 1,
                });
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The known tokens as a phrase for hints: `` `%URL%`, `%APP%`, `%PARENT_APP%` and
/// `%PR_NUMBER%` ``.
pub(crate) fn known_tokens_phrase() -> String {
    let quoted: Vec<String> = KNOWN_TOKENS.iter().map(|t| format!("`%{t}%`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_tokens_and_skips_literal_percent() {
        let t = scan_tokens("%URL%/admin?x=100%&pr=%PR_NUMBER%%%");
        let names: Vec<_> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["URL", "PR_NUMBER"]);
        assert_eq!((t[0].start, t[0].end), (0, 5));
        assert!(scan_tokens("%%").is_empty());
        assert!(scan_tokens("% APP %").is_empty());
    }

    #[test]
    fn the_phrase_names_every_known_token() {
        assert_eq!(
            known_tokens_phrase(),
            "`%URL%`, `%APP%`, `%PARENT_APP%` and `%PR_NUMBER%`"
        );
    }
}
