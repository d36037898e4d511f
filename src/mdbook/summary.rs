//! mdBook's `SUMMARY.md`: its title, prefix chapters, part headers, numbered chapters with
//! their nesting, separators, draft chapters and suffix chapters, read with pulldown-cmark.

use crate::diag::Diagnostics;
use crate::source::{SourceId, Span};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// A parsed `SUMMARY.md`.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    /// The first level-1 heading, when it comes before any chapter ("Summary" by custom).
    pub title: Option<String>,
    /// Unnumbered chapters before the numbered ones.
    pub prefix: Vec<Entry>,
    /// Numbered chapters, grouped under their part headers.
    pub parts: Vec<SummaryPart>,
    /// Unnumbered chapters after the numbered ones.
    pub suffix: Vec<Entry>,
}

/// Numbered chapters under one part header (`# Part`), or under none.
#[derive(Debug, Default, PartialEq)]
pub struct SummaryPart {
    /// The header's text; `None` for the chapters before the first header.
    pub title: Option<String>,
    /// The chapters, in order.
    pub chapters: Vec<Entry>,
}

/// One chapter link of the summary.
#[derive(Debug, PartialEq)]
pub struct Entry {
    /// The link text.
    pub title: String,
    /// The Markdown file, relative to the source folder; `None` for a draft (`[Title]()`).
    pub path: Option<String>,
    /// The link in `SUMMARY.md`.
    pub span: Span,
    /// Nested chapters.
    pub children: Vec<Entry>,
}

/// A list item being read: its link, once seen, and its nested chapters.
#[derive(Default)]
struct OpenItem {
    link: Option<(String, Option<String>, Span)>,
    children: Vec<Entry>,
    start: usize,
}

/// Reads the summary `text` (source `id`); list items without a link are errors.
pub fn parse(id: SourceId, text: &str, diags: &mut Diagnostics) -> Summary {
    let mut summary = Summary::default();
    let mut numbered = false;
    let mut heading: Option<String> = None;
    let mut link: Option<(String, String, usize)> = None;
    let mut lists: Vec<Vec<Entry>> = Vec::new();
    let mut items: Vec<OpenItem> = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let title = heading.take().unwrap_or_default().trim().to_string();
                let nothing_yet = summary.title.is_none() && summary.prefix.is_empty() && summary.parts.is_empty();
                if nothing_yet && !numbered {
                    summary.title = Some(title);
                } else {
                    numbered = true;
                    summary.parts.push(SummaryPart { title: Some(title), chapters: Vec::new() });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = &mut heading {
                    heading.push_str(&t);
                } else if let Some((_, title, _)) = &mut link {
                    title.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url.to_string(), String::new(), range.start)),
            Event::End(TagEnd::Link) => {
                let Some((dest, title, start)) = link.take() else { continue };
                let span = Span::new(id, start..range.end);
                let path = (!dest.trim().is_empty()).then(|| dest.trim().to_string());
                match items.last_mut() {
                    Some(item) if item.link.is_none() => item.link = Some((title, path, span)),
                    Some(_) => {}
                    None => {
                        let entry = Entry { title, path, span, children: Vec::new() };
                        if numbered { summary.suffix.push(entry) } else { summary.prefix.push(entry) }
                    }
                }
            }
            Event::Start(Tag::List(_)) => lists.push(Vec::new()),
            Event::End(TagEnd::List(_)) => {
                let list = lists.pop().unwrap_or_default();
                match items.last_mut() {
                    Some(item) => item.children.extend(list),
                    None => {
                        if summary.parts.is_empty() || !numbered {
                            summary.parts.push(SummaryPart::default());
                        }
                        numbered = true;
                        if let Some(part) = summary.parts.last_mut() {
                            part.chapters.extend(list);
                        }
                    }
                }
            }
            Event::Start(Tag::Item) => items.push(OpenItem { start: range.start, ..OpenItem::default() }),
            Event::End(TagEnd::Item) => {
                let Some(item) = items.pop() else { continue };
                match item.link {
                    Some((title, path, span)) => {
                        let entry = Entry { title, path, span, children: item.children };
                        if let Some(list) = lists.last_mut() {
                            list.push(entry);
                        }
                    }
                    None => diags.error(
                        Span::new(id, item.start..range.end.min(item.start + 80)),
                        "a chapter of SUMMARY.md must be a link: `- [Title](file.md)`",
                    ),
                }
            }
            _ => {}
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Source, SourceMap};

    fn read(text: &str) -> (Summary, Vec<String>) {
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("src/SUMMARY.md", text));
        let mut diags = Diagnostics::default();
        let summary = parse(id, text, &mut diags);
        (summary, diags.iter().map(|d| d.message.clone()).collect())
    }

    fn titles(entries: &[Entry]) -> Vec<String> {
        entries.iter().map(|e| format!("{}{}", e.title, if e.children.is_empty() { "" } else { "+" })).collect()
    }

    #[test]
    fn reads_every_element_of_the_format() {
        let (summary, errors) = read(
            "# Summary\n\n[Intro](intro.md)\n\n# Basics\n\n- [One](one.md)\n  - [One A](one/a.md)\n    - [Deep](one/deep.md)\n  - [Draft]()\n\n---\n\n# Advanced\n\n1. [Two](two.md)\n\n[Credits](credits.md)\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(summary.title.as_deref(), Some("Summary"));
        assert_eq!(titles(&summary.prefix), ["Intro"]);
        assert_eq!(summary.parts.len(), 2);
        assert_eq!(summary.parts[0].title.as_deref(), Some("Basics"));
        assert_eq!(titles(&summary.parts[0].chapters), ["One+"]);
        let one = &summary.parts[0].chapters[0];
        assert_eq!(titles(&one.children), ["One A+", "Draft"]);
        assert_eq!(one.children[1].path, None);
        assert_eq!(one.children[0].children[0].path.as_deref(), Some("one/deep.md"));
        assert_eq!(titles(&summary.parts[1].chapters), ["Two"]);
        assert_eq!(titles(&summary.suffix), ["Credits"]);
    }

    #[test]
    fn chapters_without_a_part_header_form_an_untitled_part() {
        let (summary, _) = read("- [A](a.md)\n- [B `code`](b.md)\n");
        assert_eq!(summary.title, None);
        assert_eq!(summary.parts.len(), 1);
        assert_eq!(summary.parts[0].title, None);
        assert_eq!(titles(&summary.parts[0].chapters), ["A", "B code"]);
    }

    #[test]
    fn list_items_without_links_are_errors() {
        let (_, errors) = read("- [A](a.md)\n- just text\n");
        assert_eq!(errors.len(), 1);
    }
}
