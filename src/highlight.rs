//! Syntax highlighting with syntect, into CSS classes (never inline styles), so a theme's
//! stylesheet decides the colours and the same markup serves the light and dark themes.

use crate::doc::{Block, Book, visit_blocks_mut};
use crate::memo::Memo;
use rayon::prelude::*;
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

/// The highlighted blocks of the last build, by language and code.
static MEMO: Memo<Option<String>> = Memo::new();

/// Highlights every code block of the book once, chapters in parallel, for the HTML and EPUB
/// editions to share; blocks the last build of this process highlighted are reused.
pub fn highlight_book(book: &mut Book) {
    let last = MEMO.last();
    let results: Vec<(String, Option<String>)> = book
        .chapters
        .par_iter_mut()
        .flat_map_iter(|chapter| {
            let mut results = Vec::new();
            let blocks =
                chapter.blocks.iter_mut().chain(chapter.footnotes.iter_mut().flat_map(|f| f.blocks.iter_mut()));
            for block in blocks {
                visit_blocks_mut(std::slice::from_mut(block), &mut |block| {
                    if let Block::Code(code) = block
                        && let Some(lang) = code.lang.as_deref()
                    {
                        let key = format!("{lang}\0{}", code.code);
                        code.highlighted = match last.get(&key) {
                            Some(known) => known.clone(),
                            None => highlight(&code.code, lang),
                        };
                        results.push((key, code.highlighted.clone()));
                    }
                });
            }
            results
        })
        .collect();
    MEMO.keep(results.into_iter().collect());
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

/// Background of code blocks in the light themes (the darker of the HTML and EPUB ones).
const LIGHT_CODE_BACKGROUND: [u8; 3] = [0xf4, 0xf4, 0xf2];
/// Background of code blocks in the dark theme.
const DARK_CODE_BACKGROUND: [u8; 3] = [0x22, 0x27, 0x2e];
/// WCAG AA for normal text, with a little margin.
const MINIMUM_CONTRAST: f64 = 4.6;

/// The stylesheet for the highlighting classes: a light theme, and a dark one under
/// `dark_scope` (a selector such as `:root[data-theme="dark"]`) and, unless the reader chose
/// light, under `prefers-color-scheme: dark`. Backgrounds are left to the theme; every colour
/// is raised to WCAG AA contrast against the theme's code background.
pub fn stylesheet(dark_scope: &str) -> String {
    let mut out = light_stylesheet();
    let dark = readable(&theme_css("base16-ocean.dark"), DARK_CODE_BACKGROUND, [255, 255, 255]);
    out.push_str(&scope_rules(&dark, dark_scope));
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    out.push_str(&scope_rules(&dark, ":root:not([data-theme=\"light\"])"));
    out.push_str("}\n");
    out
}

/// The light highlighting stylesheet alone (for the EPUB).
pub fn light_stylesheet() -> String {
    readable(&theme_css("InspiredGitHub"), LIGHT_CODE_BACKGROUND, [0, 0, 0])
}

fn theme_css(name: &str) -> String {
    static THEMES: OnceLock<ThemeSet> = OnceLock::new();
    THEMES
        .get_or_init(ThemeSet::load_defaults)
        .themes
        .get(name)
        .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
        .unwrap_or_default()
}

/// Drops background declarations and moves each `color` toward `extreme` until it reaches
/// [`MINIMUM_CONTRAST`] against `background`.
fn readable(css: &str, background: [u8; 3], extreme: [u8; 3]) -> String {
    let mut out = String::new();
    for line in css.lines() {
        let declaration = line.trim_start();
        if declaration.starts_with("background") {
            continue;
        }
        match declaration.strip_prefix("color:").and_then(|v| parse_hex(v.trim().trim_end_matches(';'))) {
            Some(color) => {
                let [r, g, b] = with_contrast(color, background, extreme);
                out.push_str(&format!(" color: #{r:02x}{g:02x}{b:02x};\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn with_contrast(mut color: [u8; 3], background: [u8; 3], extreme: [u8; 3]) -> [u8; 3] {
    for _ in 0..20 {
        if contrast(color, background) >= MINIMUM_CONTRAST {
            break;
        }
        for (channel, target) in color.iter_mut().zip(extreme) {
            *channel = (f64::from(*channel) * 0.85 + f64::from(target) * 0.15).round() as u8;
        }
    }
    color
}

/// The WCAG contrast ratio of two colours.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn luminance(color: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(color[0]) + 0.7152 * channel(color[1]) + 0.0722 * channel(color[2])
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

    fn colours(css: &str) -> Vec<[u8; 3]> {
        css.lines()
            .filter_map(|l| l.trim().strip_prefix("color:"))
            .filter_map(|v| parse_hex(v.trim().trim_end_matches(';')))
            .collect()
    }

    #[test]
    fn every_colour_reaches_aa_contrast() {
        let light = light_stylesheet();
        let dark = readable(&theme_css("base16-ocean.dark"), DARK_CODE_BACKGROUND, [255, 255, 255]);
        for (css, background) in [(&light, LIGHT_CODE_BACKGROUND), (&dark, DARK_CODE_BACKGROUND)] {
            let found = colours(css);
            assert!(!found.is_empty());
            assert!(found.iter().all(|c| contrast(*c, background) >= 4.5), "{css}");
        }
        assert!(!light.contains("background"));
    }

    #[test]
    fn dark_rules_are_scoped() {
        let css = scope_rules(".hl-a,\n.hl-b {\n color: red;\n}\n", ".dark");
        assert_eq!(css, ".dark .hl-a,\n.dark .hl-b {\n color: red;\n}\n");
    }
}
