//! The search index of the HTML edition: one entry per chapter section (title, where it is,
//! its URL and its text), written as a script so that search works from `file://` too.

use crate::doc::{Block, Book, Chapter, Inline, plain_text, visit_blocks};
use crate::xhtml::{Flavor, href};
use serde::Serialize;

/// One searchable section.
#[derive(Debug, Serialize, PartialEq)]
pub(super) struct Entry {
    /// "4.3 Eviction policies".
    t: String,
    /// "Chapter 4 · Caching".
    c: String,
    /// "04-caching.html#sec-cache-eviction".
    u: String,
    /// The section's text, whitespace collapsed.
    x: String,
}

/// `search-index.js`: assigns the entries to `window.folioSearchIndex`.
pub(super) fn index_script(book: &Book) -> String {
    let entries: Vec<Entry> = (0..book.chapters.len()).flat_map(|i| entries(book, i)).collect();
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_string());
    format!("window.folioSearchIndex = {};\n", json.replace("</", "<\\/"))
}

fn entries(book: &Book, index: usize) -> Vec<Entry> {
    let chapter = &book.chapters[index];
    let place = place(chapter);
    let mut out = vec![Entry {
        t: plain_text(&chapter.title.content),
        c: place.clone(),
        u: href(book, Flavor::Html, None, index, None),
        x: String::new(),
    }];
    for block in &chapter.blocks {
        match block {
            Block::Heading(heading) if heading.level <= 3 => {
                let number = heading.number.as_ref().map(|n| format!("{n} ")).unwrap_or_default();
                let title = format!("{number}{}", plain_text(&heading.content));
                out.push(Entry {
                    t: title,
                    c: place.clone(),
                    u: href(book, Flavor::Html, None, index, Some(&heading.anchor)),
                    x: String::new(),
                });
            }
            other => {
                if let Some(last) = out.last_mut() {
                    push_text(&mut last.x, other);
                }
            }
        }
    }
    for entry in &mut out {
        entry.x = entry.x.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

fn place(chapter: &Chapter) -> String {
    let title = plain_text(&chapter.title.content);
    match chapter.display_number() {
        Some(number) => format!("{number} · {title}"),
        None => title,
    }
}

fn push_text(out: &mut String, block: &Block) {
    visit_blocks(std::slice::from_ref(block), &mut |block| {
        let mut add = |inlines: &[Inline]| {
            out.push(' ');
            out.push_str(&plain_text(inlines));
        };
        match block {
            Block::Heading(h) => add(&h.content),
            Block::Paragraph(inlines) => add(inlines),
            Block::Figure(figure) => add(&figure.caption.content),
            Block::Code(code) => {
                add(&code.caption.content);
                out.push(' ');
                out.push_str(&code.code);
            }
            Block::Table(table) => {
                add(&table.caption.content);
                table.head.iter().chain(table.rows.iter().flatten()).for_each(|cell| add(cell));
            }
            _ => {}
        }
    });
}
