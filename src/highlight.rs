//! Syntax highlighting with syntect, into CSS classes (never inline styles), so a theme's
//! stylesheet decides the colours and the same markup serves the light and dark themes.

use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `code` as HTML spans with `hl-` classes, or `None` when `lang` is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntaxes = syntaxes();
    let syntax = syntaxes.find_syntax_by_token(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for the highlighting classes: a light theme, and a dark one scoped under
/// `dark_scope` (a selector such as `:root[data-theme="dark"]`).
pub fn stylesheet(dark_scope: &str) -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let mut out = css("InspiredGitHub");
    out.push_str(&scope_rules(&css("base16-ocean.dark"), dark_scope));
    out
}

/// Prefixes every selector of a flat stylesheet with `scope`.
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in css.lines() {
        let trimmed = line.trim_start();
        if !in_block && trimmed.starts_with('.') {
            out.push_str(scope);
            out.push(' ');
        }
        if line.contains('{') {
            in_block = true;
        }
        if line.contains('}') {
            in_block = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_into_classes() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn dark_rules_are_scoped() {
        let css = scope_rules(".hl-a,\n.hl-b {\n color: red;\n}\n", ".dark");
        assert_eq!(css, ".dark .hl-a,\n.dark .hl-b {\n color: red;\n}\n");
    }
}
