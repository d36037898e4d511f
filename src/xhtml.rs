//! The document tree → (X)HTML, shared by the HTML and EPUB editions.
//!
//! Writes markup that is well-formed XML and valid HTML at once (`<br/>`, quoted attributes,
//! only the five XML entities). Reads the resolved [`Book`]; numbers nothing. The edition
//! decides the page file extension and whether EPUB's `epub:type` semantics are written.

use crate::doc::{
    Align, Block, Book, Caption, Chapter, CodeBlock, Figure, FigureBody, Heading, Inline, LinkDest, List, RawHref,
    Table, plain_text,
};
use std::collections::HashSet;
use std::fmt::Write;

/// Which edition the markup is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// The HTML site: `page.html`.
    Html,
    /// EPUB content documents: `page.xhtml`, with `epub:type`.
    Epub,
    /// The whole book on one HTML page: ids carry their chapter's stem.
    Print,
}

impl Flavor {
    /// The page file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Flavor::Html | Flavor::Print => "html",
            Flavor::Epub => "xhtml",
        }
    }
}

/// The URL of chapter `index` (and `anchor`) as seen from chapter `from`.
pub fn href(book: &Book, flavor: Flavor, from: Option<usize>, index: usize, anchor: Option<&str>) -> String {
    if flavor == Flavor::Print {
        let chapter = &book.chapters[index];
        return format!("#{}", print_id(&chapter.stem, anchor.unwrap_or(&chapter.title.anchor)));
    }
    let page = if from == Some(index) {
        String::new()
    } else {
        format!("{}.{}", book.chapters[index].stem, flavor.extension())
    };
    match anchor {
        Some(anchor) => format!("{page}#{anchor}"),
        None if page.is_empty() => "#".to_string(),
        None => page,
    }
}

/// The id of `anchor` of the chapter with `stem` on the one-page print edition.
pub fn print_id(stem: &str, anchor: &str) -> String {
    format!("{stem}--{anchor}")
}

/// Writes the body of one chapter: its title, its blocks and its footnotes.
pub fn chapter_body(book: &Book, index: usize, flavor: Flavor) -> String {
    let mut writer = Writer::new(book, index, flavor);
    let chapter = &book.chapters[index];
    writer.title(chapter);
    writer.blocks(&chapter.blocks);
    writer.footnotes(chapter);
    writer.out
}

/// Writes inlines alone (for titles in navigation).
pub fn inlines(book: &Book, index: usize, flavor: Flavor, content: &[Inline]) -> String {
    let mut writer = Writer::new(book, index, flavor);
    writer.inlines(content);
    writer.out
}

struct Writer<'a> {
    book: &'a Book,
    chapter: usize,
    flavor: Flavor,
    out: String,
    noterefs: HashSet<usize>,
    prefix: String,
}

impl<'a> Writer<'a> {
    fn new(book: &'a Book, chapter: usize, flavor: Flavor) -> Self {
        let prefix = if flavor == Flavor::Print { print_id(&book.chapters[chapter].stem, "") } else { String::new() };
        Writer { book, chapter, flavor, out: String::new(), noterefs: HashSet::new(), prefix }
    }

    /// The element id of `anchor` in this edition, escaped for an attribute.
    fn id(&self, anchor: &str) -> String {
        escape_attr(&format!("{}{anchor}", self.prefix))
    }

    fn title(&mut self, chapter: &Chapter) {
        let _ = write!(self.out, "<h1 id=\"{}\" class=\"chapter-title\">", self.id(&chapter.title.anchor));
        if let Some(number) = chapter.display_number() {
            let _ = write!(self.out, "<span class=\"chapter-number\">{}</span> ", escape(&number));
        }
        self.inlines(&chapter.title.content);
        self.out.push_str("</h1>\n");
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(heading) => self.heading(heading),
            Block::Paragraph(content) => {
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::Figure(figure) => self.figure(figure),
            Block::Code(code) => self.code(code),
            Block::Table(table) => self.table(table),
            Block::List(list) => self.list(list),
            Block::Quote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            Block::Alert(kind, inner) => {
                let _ = write!(
                    self.out,
                    "<div class=\"alert alert-{}\" role=\"note\">\n<p class=\"alert-title\">{}</p>\n",
                    kind.class(),
                    kind.title()
                );
                self.blocks(inner);
                self.out.push_str("</div>\n");
            }
            Block::Rule => self.out.push_str("<hr/>\n"),
            Block::Html(html, _) => {
                self.raw_html(html);
                self.out.push('\n');
            }
        }
    }

    fn heading(&mut self, heading: &Heading) {
        let level = heading.level.clamp(1, 6);
        let anchor = self.id(&heading.anchor);
        let _ = write!(self.out, "<h{level} id=\"{anchor}\">");
        let shown = heading.number.is_some() || !plain_text(&heading.content).trim().is_empty();
        let linkable = shown && !contains_link(&heading.content);
        if linkable {
            let _ = write!(self.out, "<a class=\"self-link\" href=\"#{anchor}\">");
        }
        if let Some(number) = &heading.number {
            let _ = write!(self.out, "<span class=\"section-number\">{}</span> ", escape(number));
        }
        self.inlines(&heading.content);
        if linkable {
            self.out.push_str("</a>");
        }
        let _ = writeln!(self.out, "</h{level}>");
    }

    fn caption_text(&mut self, caption: &Caption) {
        if let Some(number) = &caption.number {
            let _ = write!(self.out, "<span class=\"caption-number\">{}</span>", escape(number));
            if !caption.content.is_empty() {
                self.out.push_str(": ");
            }
        }
        self.inlines(&caption.content);
    }

    fn figure(&mut self, figure: &Figure) {
        let kind = match &figure.body {
            FigureBody::Image { .. } => "image",
            FigureBody::Diagram { .. } => "diagram",
        };
        let _ = writeln!(self.out, "<figure id=\"{}\" class=\"figure {kind}\">", self.id(&figure.caption.anchor));
        match &figure.body {
            FigureBody::Image { src, alt } => {
                let _ = writeln!(self.out, "<img src=\"{}\" alt=\"{}\"/>", escape_attr(src), escape_attr(alt));
            }
            FigureBody::Diagram { svg: Some(svg), .. } => {
                self.out.push_str(svg);
                self.out.push('\n');
            }
            FigureBody::Diagram { lang, source, svg: None } => {
                let _ = writeln!(
                    self.out,
                    "<pre class=\"diagram-source\"><code class=\"language-{}\">{}</code></pre>",
                    escape_attr(lang),
                    escape(source)
                );
            }
        }
        if !figure.caption.is_empty() {
            self.out.push_str("<figcaption>");
            self.caption_text(&figure.caption);
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn code(&mut self, code: &CodeBlock) {
        let listing = !code.caption.is_empty();
        if listing {
            let _ =
                write!(self.out, "<figure id=\"{}\" class=\"listing\">\n<figcaption>", self.id(&code.caption.anchor));
            self.caption_text(&code.caption);
            self.out.push_str("</figcaption>\n");
        }
        let lang = code.lang.as_deref().unwrap_or("");
        let body = code.highlighted.clone().unwrap_or_else(|| escape(&code.code));
        let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_attr(lang)) };
        let _ = writeln!(self.out, "<pre class=\"code\"><code{class}>{body}</code></pre>");
        if listing {
            self.out.push_str("</figure>\n");
        }
    }

    fn table(&mut self, table: &Table) {
        let _ = writeln!(self.out, "<div class=\"table-wrap\">\n<table id=\"{}\">", self.id(&table.caption.anchor));
        if !table.caption.is_empty() {
            self.out.push_str("<caption>");
            self.caption_text(&table.caption);
            self.out.push_str("</caption>\n");
        }
        self.out.push_str("<thead>\n");
        self.row(&table.head, &table.align, "th");
        self.out.push_str("</thead>\n<tbody>\n");
        for row in &table.rows {
            self.row(row, &table.align, "td");
        }
        self.out.push_str("</tbody>\n</table>\n</div>\n");
    }

    fn row(&mut self, cells: &[Vec<Inline>], align: &[Align], tag: &str) {
        self.out.push_str("<tr>");
        for (i, cell) in cells.iter().enumerate() {
            let class = match align.get(i) {
                Some(Align::Left) => " class=\"align-left\"",
                Some(Align::Center) => " class=\"align-center\"",
                Some(Align::Right) => " class=\"align-right\"",
                _ => "",
            };
            let tag = if cell.is_empty() { "td" } else { tag };
            let _ = write!(self.out, "<{tag}{class}>");
            self.inlines(cell);
            let _ = write!(self.out, "</{tag}>");
        }
        self.out.push_str("</tr>\n");
    }

    fn list(&mut self, list: &List) {
        let tasks = list.items.iter().any(|item| item.task.is_some());
        let class = if tasks { " class=\"task-list\"" } else { "" };
        match list.start {
            Some(1) => {
                let _ = writeln!(self.out, "<ol{class}>");
            }
            Some(start) => {
                let _ = writeln!(self.out, "<ol{class} start=\"{start}\">");
            }
            None => {
                let _ = writeln!(self.out, "<ul{class}>");
            }
        }
        for item in &list.items {
            self.out.push_str("<li>");
            if let Some(done) = item.task {
                let (mark, label) = if done { ("☑", "done") } else { ("☐", "not done") };
                let _ = write!(self.out, "<span class=\"task-box\" role=\"img\" aria-label=\"{label}\">{mark}</span> ");
            }
            match item.blocks.as_slice() {
                [Block::Paragraph(content)] => self.inlines(content),
                blocks => self.blocks(blocks),
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str(if list.start.is_some() { "</ol>\n" } else { "</ul>\n" });
    }

    fn footnotes(&mut self, chapter: &Chapter) {
        if chapter.footnotes.is_empty() {
            return;
        }
        match self.flavor {
            Flavor::Html | Flavor::Print => self
                .out
                .push_str("<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Footnotes\">\n<ol>\n"),
            Flavor::Epub => {
                self.out.push_str("<section class=\"footnotes\" epub:type=\"footnotes\" aria-label=\"Footnotes\">\n")
            }
        }
        for note in &chapter.footnotes {
            let id = self.id(&footnote_id(note.number));
            let back = format!(
                "<a href=\"#{id}-ref\" role=\"doc-backlink\" aria-label=\"Back to reference {0}\">{0}.</a>",
                note.number
            );
            match self.flavor {
                Flavor::Html | Flavor::Print => {
                    let _ = writeln!(self.out, "<li id=\"{id}\">");
                    self.blocks(&note.blocks);
                    let _ = writeln!(
                        self.out,
                        "<p class=\"footnote-back\"><a href=\"#{id}-ref\" role=\"doc-backlink\" aria-label=\"Back to reference {}\">↩</a></p>\n</li>",
                        note.number
                    );
                }
                Flavor::Epub => {
                    let _ = writeln!(
                        self.out,
                        "<aside id=\"{id}\" epub:type=\"footnote\" role=\"doc-footnote\">\n<p class=\"footnote-back\">{back}</p>"
                    );
                    self.blocks(&note.blocks);
                    self.out.push_str("</aside>\n");
                }
            }
        }
        self.out.push_str(if self.flavor == Flavor::Epub { "</section>\n" } else { "</ol>\n</section>\n" });
    }

    fn inlines(&mut self, content: &[Inline]) {
        for inline in content {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.out.push_str(&escape(text)),
            Inline::Code(code) => {
                let _ = write!(self.out, "<code>{}</code>", escape(code));
            }
            Inline::Emph(c) => self.wrap("em", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strike(c) => self.wrap("del", c),
            Inline::Link(link) => self.link(&link.dest, &link.content),
            Inline::Image { src, alt, .. } => {
                let _ = write!(self.out, "<img src=\"{}\" alt=\"{}\"/>", escape_attr(src), escape_attr(alt));
            }
            Inline::Ref(reference) => match &reference.target {
                Some(target) => {
                    let url = href(self.book, self.flavor, Some(self.chapter), target.chapter, Some(&target.anchor));
                    let _ = write!(
                        self.out,
                        "<a class=\"xref\" href=\"{}\">{}</a>",
                        escape_attr(&url),
                        escape(&target.text)
                    );
                }
                None => {
                    let _ = write!(self.out, "@{}", escape(&reference.label));
                }
            },
            Inline::FootnoteRef { number: Some(number), .. } => self.noteref(*number),
            Inline::FootnoteRef { number: None, name, .. } => {
                let _ = write!(self.out, "[^{}]", escape(name));
            }
            Inline::SoftBreak => self.out.push('\n'),
            Inline::HardBreak => self.out.push_str("<br/>\n"),
            Inline::Html(html, _) => self.raw_html(html),
        }
    }

    /// Raw HTML as it is, its ids and fragment links carrying the chapter's prefix on the
    /// one-page edition.
    fn raw_html(&mut self, html: &str) {
        let prefixed;
        let html = if self.prefix.is_empty() {
            html
        } else {
            let prefix = &self.prefix;
            prefixed = crate::markdown::rename_raw_ids(html, true, &mut |id| format!("{prefix}{id}"));
            prefixed.as_str()
        };
        if !html.contains(" href=\"folio:") {
            return self.out.push_str(html);
        }
        let (book, flavor, chapter) = (self.book, self.flavor, self.chapter);
        let relinked = crate::markdown::relink_raw_html(html, &mut |href| match RawHref::parse(href) {
            Some(RawHref::Page(index, anchor)) => {
                Some(self::href(book, flavor, Some(chapter), index, anchor.as_deref()))
            }
            Some(RawHref::File(path)) => (flavor != Flavor::Epub).then_some(path),
            None => Some(href.to_string()),
        });
        self.out.push_str(&relinked);
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn link(&mut self, dest: &LinkDest, content: &[Inline]) {
        let url = match dest {
            LinkDest::External(url) => url.clone(),
            LinkDest::Resolved { chapter, anchor } => {
                href(self.book, self.flavor, Some(self.chapter), *chapter, anchor.as_deref())
            }
            LinkDest::File(path) if self.flavor != Flavor::Epub => path.clone(),
            LinkDest::File(_) | LinkDest::Unlinked | LinkDest::Internal { .. } => return self.inlines(content),
        };
        let _ = write!(self.out, "<a href=\"{}\">", escape_attr(&url));
        self.inlines(content);
        self.out.push_str("</a>");
    }

    fn noteref(&mut self, number: usize) {
        let id = self.id(&footnote_id(number));
        let first = self.noterefs.insert(number);
        let ref_id = if first { format!(" id=\"{id}-ref\"") } else { String::new() };
        let epub = if self.flavor == Flavor::Epub { " epub:type=\"noteref\"" } else { "" };
        let _ = write!(
            self.out,
            "<sup class=\"footnote-ref\"><a{ref_id} href=\"#{id}\"{epub} role=\"doc-noteref\">{number}</a></sup>"
        );
    }
}

fn footnote_id(number: usize) -> String {
    format!("fn-{number}")
}

fn contains_link(content: &[Inline]) -> bool {
    content.iter().any(|inline| match inline {
        Inline::Link(_) | Inline::Ref(_) | Inline::FootnoteRef { .. } | Inline::Html(..) => true,
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => contains_link(c),
        _ => false,
    })
}

/// Escapes text for element content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut plain = 0;
    for (at, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            c if is_xml_char(c) => continue,
            _ => "\u{fffd}",
        };
        out.push_str(&text[plain..at]);
        out.push_str(replacement);
        plain = at + c.len_utf8();
    }
    out.push_str(&text[plain..]);
    out
}

/// Escapes text for a double-quoted attribute value.
pub fn escape_attr(text: &str) -> String {
    escape(text).replace('"', "&quot;")
}

/// Characters XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_text_as_text() {
        assert_eq!(escape("<script>&</script>"), "&lt;script&gt;&amp;&lt;/script&gt;");
        assert_eq!(escape_attr("a\"b"), "a&quot;b");
        assert_eq!(escape("a\u{0}b\u{b}"), "a\u{fffd}b\u{fffd}");
    }
}
