//! The normative spec compiled into the binary, so that a rule, a decision or a code can
//! be read from the command line (`scalingo-manifest rule ENV-8`, `decision D-18`, `codes
//! SM0105`) with the exact text of `spec/` at the commit the binary was built from: one
//! source, never a second copy of the rules.

/// Every page of `spec/` that defines rules or decisions, by file name, as compiled in.
/// `tests/cli.rs` checks that no page of `spec/` that has a `## ` heading with a rule or
/// decision ID is missing.
pub const PAGES: &[(&str, &str)] = &[
    ("addons.md", include_str!("../../spec/addons.md")),
    ("decisions.md", include_str!("../../spec/decisions.md")),
    ("diagnostics.md", include_str!("../../spec/diagnostics.md")),
    ("env.md", include_str!("../../spec/env.md")),
    ("firewall.md", include_str!("../../spec/firewall.md")),
    ("formation.md", include_str!("../../spec/formation.md")),
    ("generate.md", include_str!("../../spec/generate.md")),
    ("hooks.md", include_str!("../../spec/hooks.md")),
    ("locate.md", include_str!("../../spec/locate.md")),
    ("manifest.md", include_str!("../../spec/manifest.md")),
    ("platform.md", include_str!("../../spec/platform.md")),
    ("procfile.md", include_str!("../../spec/procfile.md")),
    ("scenario.md", include_str!("../../spec/scenario.md")),
    ("source.md", include_str!("../../spec/source.md")),
];

/// A section of the spec: the page it is in and its text, from its `## ID title` heading
/// to the line before the next `## ` heading (trailing blank lines left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// The page (`manifest.md`).
    pub page: &'static str,
    /// The section's text, heading included.
    pub text: &'static str,
}

/// The section whose heading is `## {id} ...` (a rule ID such as `MAN-5`, or a decision
/// such as `D-12`), exactly (letter case included); `None` when no page has it.
pub fn section(id: &str) -> Option<Section> {
    PAGES.iter().find_map(|&(page, text)| {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let is_heading = line
                .strip_prefix("## ")
                .is_some_and(|rest| rest.split_whitespace().next() == Some(id));
            if is_heading {
                let rest = &text[offset + line.len()..];
                let end = rest
                    .find("\n## ")
                    .map_or(text.len(), |i| offset + line.len() + i + 1);
                return Some(Section {
                    page,
                    text: text[offset..end].trim_end(),
                });
            }
            offset += line.len();
        }
        None
    })
}

/// Every rule or decision ID that has a section, in page order: what [`section`] can find.
pub fn ids() -> Vec<&'static str> {
    PAGES
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|id| {
            id.contains('-')
                && id.starts_with(|c: char| c.is_ascii_uppercase())
                && id.ends_with(|c: char| c.is_ascii_digit())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_runs_to_the_next_heading() {
        let s = section("MAN-5").expect("MAN-5");
        assert_eq!(s.page, "manifest.md");
        assert!(s.text.starts_with("## MAN-5 `stack`\n"));
        assert!(s.text.contains("Diagnostics: SM0105"));
        assert!(!s.text.contains("## MAN-6"));
        let d = section("D-12").expect("D-12");
        assert_eq!(d.page, "decisions.md");
        assert!(d.text.starts_with("## D-12 "));
        assert_eq!(section("MAN-99"), None);
        assert_eq!(section("man-5"), None);
        assert_eq!(section("MAN"), None);
        assert!(ids().contains(&"ENV-8") && ids().contains(&"D-1"));
        // The last section of a page runs to its end.
        let last = ids()
            .into_iter()
            .rfind(|id| section(id).is_some_and(|s| s.page == "source.md"))
            .expect("source.md has rules");
        assert!(!section(last).unwrap().text.is_empty());
    }
}
