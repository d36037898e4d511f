//! folio's own syntax inside Markdown: `{#label key="value"}` attributes after a fence's
//! language, `{#label}` after an image or a table caption, and `@label` references in text.

use crate::diag::{Diagnostic, Diagnostics};
use crate::doc::{Caption, Inline};
use crate::source::Span;

/// Fence languages drawn as diagrams.
pub const DIAGRAM_LANGUAGES: [&str; 4] = ["mermaid", "dot", "bob", "pikchr"];

/// Label prefixes a reference may use.
pub const LABEL_PREFIXES: [&str; 6] = ["ch", "sec", "fig", "tbl", "lst", "cs"];

/// What a fence's info string says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FenceInfo {
    /// The language, if any.
    pub lang: Option<String>,
    /// `#label`.
    pub label: Option<String>,
    /// `caption="…"`.
    pub caption: Option<String>,
}

/// Parses "dot {#fig-x caption=\"A b\"}" (and plain "rust").
pub fn parse_fence_info(info: &str, span: Span, diags: &mut Diagnostics) -> FenceInfo {
    let info = info.trim();
    let (lang, rest) = match info.find(|c: char| c.is_whitespace() || c == '{') {
        Some(i) => (&info[..i], info[i..].trim()),
        None => (info, ""),
    };
    let mut fence = FenceInfo { lang: (!lang.is_empty()).then(|| lang.to_string()), ..FenceInfo::default() };
    if rest.is_empty() {
        return fence;
    }
    let Some(inner) = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) else {
        let help = "write them in braces: ```dot {#fig-name caption=\"…\"}";
        let diagnostic = if rest.starts_with('{') {
            Diagnostic::error(span, format!("cannot read the fence attributes `{rest}`"))
        } else {
            // Other tools' info strings (`rust ignore`, `text cls1 cls2`) carry words folio has no use for.
            Diagnostic::warning(span, format!("the words `{rest}` after the fence's language are ignored"))
        };
        diags.push(diagnostic.with_help(help));
        return fence;
    };
    for attr in split_attributes(inner, span, diags) {
        match attr {
            Attr::Id(id) => fence.label = Some(id),
            Attr::Pair(key, value) if key == "caption" => fence.caption = Some(value),
            Attr::Pair(key, _) => diags.warning(span, format!("unknown fence attribute `{key}` is ignored")),
            Attr::Class => {}
        }
    }
    fence
}

enum Attr {
    Id(String),
    Class,
    Pair(String, String),
}

fn split_attributes(inner: &str, span: Span, diags: &mut Diagnostics) -> Vec<Attr> {
    let mut attrs = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let word_end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        let word = &rest[..word_end];
        rest = &rest[word_end..];
        if let Some(value_part) = rest.strip_prefix('=') {
            let Some((value, after)) = attribute_value(value_part) else {
                diags.error(span, format!("the value of `{word}` has no closing quote"));
                return attrs;
            };
            attrs.push(Attr::Pair(word.to_string(), value));
            rest = after;
        } else if let Some(id) = word.strip_prefix('#') {
            attrs.push(Attr::Id(id.to_string()));
        } else if let Some(class) = word.strip_prefix('.') {
            let _ = class;
            attrs.push(Attr::Class);
        } else {
            diags.warning(span, format!("fence attribute `{word}` is ignored"));
        }
        rest = rest.trim_start();
    }
    attrs
}

/// A quoted or bare value at the start of `text`, and what follows it.
fn attribute_value(text: &str) -> Option<(String, &str)> {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let body = &text[1..];
            let end = body.find(quote)?;
            Some((body[..end].to_string(), &body[end + 1..]))
        }
        _ => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            Some((text[..end].to_string(), &text[end..]))
        }
    }
}

/// The `(byte offset, length)` of each `@label` reference in `text`, `@` included.
///
/// An `@` counts when it starts the text or follows a character that cannot end a word or an
/// e-mail user name, and the label begins with a known prefix and a dash. `escaped_start` says
/// that an `@` at offset 0 was written `\@`.
pub fn find_refs(text: &str, escaped_start: bool) -> Vec<(usize, usize)> {
    let mut refs = Vec::new();
    for (at, _) in text.match_indices('@') {
        if at == 0 && escaped_start {
            continue;
        }
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '+' | '@' | '/')) {
            continue;
        }
        let name_len = label_length(&text[at + 1..]);
        if name_len > 0 && has_known_prefix(&text[at + 1..at + 1 + name_len]) {
            refs.push((at, name_len + 1));
        }
    }
    refs
}

/// The length of the label at the start of `text`: letters, digits, `-`, `_`, `:` and `.`,
/// not ending in punctuation.
fn label_length(text: &str) -> usize {
    let run =
        text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))).unwrap_or(text.len());
    text[..run].trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).len()
}

/// Whether `label` starts with one of [`LABEL_PREFIXES`] and a dash, followed by a name.
pub fn has_known_prefix(label: &str) -> bool {
    label.split_once('-').is_some_and(|(prefix, name)| LABEL_PREFIXES.contains(&prefix) && !name.is_empty())
}

/// `{#label}` alone (with surrounding spaces) → the label.
pub fn lone_label(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix("{#")?.strip_suffix('}')?;
    let valid =
        !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
    valid.then(|| inner.to_string())
}

/// A `Table: caption {#tbl-…}` paragraph → the caption, or `None` if the paragraph is not one.
pub fn table_caption(inlines: &[Inline]) -> Option<Caption> {
    let Some(Inline::Text(first)) = inlines.first() else {
        return None;
    };
    let rest = first.strip_prefix("Table:")?;
    let mut content = inlines.to_vec();
    content[0] = Inline::Text(rest.trim_start().to_string());
    let mut label = None;
    if let Some(Inline::Text(last)) = content.last_mut()
        && let Some(open) = last.rfind("{#")
        && let Some(found) = lone_label(&last[open..])
    {
        label = Some(found);
        last.truncate(open);
        let trimmed = last.trim_end().len();
        last.truncate(trimmed);
    }
    content.retain(|inline| !matches!(inline, Inline::Text(t) if t.is_empty()));
    Some(Caption { content, label, ..Caption::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Source, SourceMap};

    fn fence(info: &str) -> (FenceInfo, usize) {
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("a.md", info));
        let mut diags = Diagnostics::default();
        let fence = parse_fence_info(info, Span::new(id, 0..info.len()), &mut diags);
        (fence, diags.iter().count())
    }

    #[test]
    fn fence_info_gives_language_label_and_caption() {
        let (info, problems) = fence(r#"dot {#fig-topology caption="Load balancer in front of three replicas"}"#);
        assert_eq!(problems, 0);
        assert_eq!(info.lang.as_deref(), Some("dot"));
        assert_eq!(info.label.as_deref(), Some("fig-topology"));
        assert_eq!(info.caption.as_deref(), Some("Load balancer in front of three replicas"));
        assert_eq!(fence("rust").0, FenceInfo { lang: Some("rust".into()), ..FenceInfo::default() });
        assert_eq!(fence("").0, FenceInfo::default());
    }

    #[test]
    fn broken_fence_attributes_are_reported() {
        assert_eq!(fence(r#"dot {#fig-x caption="open}"#).1, 1);
        assert_eq!(fence("dot #fig-x").1, 1);
    }

    #[test]
    fn an_unclosed_brace_is_an_error_and_stray_words_a_warning() {
        let errors = |info: &str| {
            let mut sources = SourceMap::default();
            let id = sources.add(Source::new("a.md", info));
            let mut diags = Diagnostics::default();
            let fence = parse_fence_info(info, Span::new(id, 0..info.len()), &mut diags);
            (fence.lang, diags.has_errors(), diags.iter().count())
        };
        assert_eq!(errors("dot {#fig-x"), (Some("dot".into()), true, 1));
        assert_eq!(errors("text cls1,,cls2\tcls3"), (Some("text".into()), false, 1));
    }

    #[test]
    fn references_need_a_known_prefix_and_a_word_boundary() {
        let found = |t: &str| find_refs(t, false).into_iter().map(|(a, l)| t[a..a + l].to_string()).collect::<Vec<_>>();
        assert_eq!(found("see @fig-a, and (@sec-b.c)."), ["@fig-a", "@sec-b.c"]);
        assert_eq!(found("mail someone@example.com or @word or @fig- or @figure"), Vec::<String>::new());
        assert_eq!(found("@cs-ledger's"), ["@cs-ledger"]);
        assert!(find_refs("@fig-a", true).is_empty());
    }

    #[test]
    fn table_captions_carry_their_label() {
        let caption = table_caption(&[Inline::Text("Table: Capacity by tier {#tbl-capacity}".into())]).unwrap();
        assert_eq!(caption.label.as_deref(), Some("tbl-capacity"));
        assert!(matches!(&caption.content[..], [Inline::Text(t)] if t == "Capacity by tier"));
        assert!(table_caption(&[Inline::Text("Tables are nice".into())]).is_none());
    }

    #[test]
    fn lone_labels_are_braced_ids() {
        assert_eq!(lone_label(" {#fig-x} ").as_deref(), Some("fig-x"));
        assert_eq!(lone_label("{#}"), None);
        assert_eq!(lone_label("{#a b}"), None);
    }
}
