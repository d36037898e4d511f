//! Markdown → the owned document tree. The only module that imports pulldown-cmark.
//!
//! Builds [`Block`]s and [`Inline`]s from pulldown-cmark's events with their byte offsets, and
//! recognises folio's own syntax on the tree: `@label` references, `{#label}` after image
//! figures and table captions, and `{#label caption="…"}` after a fence's language. Raw HTML is
//! made safe and well-formed by [`html`]. Numbering and link resolution belong to `resolve`.

mod attrs;
mod html;

use crate::diag::{Diagnostic, Diagnostics};
use crate::doc::{
    AlertKind, Align, Block, Caption, CodeBlock, Figure, FigureBody, Heading, Inline, Link, LinkDest, List, ListItem,
    Ref, Table, plain_text,
};
use crate::source::{SourceId, Span};
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, OffsetIter, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::iter::Peekable;
use std::ops::Range;

pub use attrs::{DIAGRAM_LANGUAGES, has_known_prefix};
pub use html::{decode_entities, raw_ids, relink_raw_html, rename_raw_ids};

/// A parsed Markdown file, before resolution.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    /// The first level-1 heading, if any.
    pub title: Option<Heading>,
    /// Everything else, in order.
    pub blocks: Vec<Block>,
    /// Footnote definitions, in source order (numbered by `resolve`).
    pub footnotes: Vec<crate::doc::Footnote>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

/// Parses the Markdown `text` of source `id`, recording problems in `diags`.
pub fn parse(id: SourceId, text: &str, diags: &mut Diagnostics) -> ParsedFile {
    let mut builder = Builder::new(id, text, diags);
    let mut blocks = builder.blocks();
    let title = take_title(&mut blocks);
    ParsedFile { title, blocks, footnotes: builder.footnotes }
}

/// Parses a short piece of inline Markdown (a caption written in an attribute); every node gets
/// the span `at`.
pub fn parse_inline(text: &str, at: Span, diags: &mut Diagnostics) -> Vec<Inline> {
    let mut builder = Builder::new(at.source, text, diags);
    builder.fixed_span = Some(at);
    builder
        .blocks()
        .into_iter()
        .flat_map(|block| match block {
            Block::Paragraph(inlines) => inlines,
            _ => Vec::new(),
        })
        .collect()
}

fn take_title(blocks: &mut Vec<Block>) -> Option<Heading> {
    let index = blocks.iter().position(|b| matches!(b, Block::Heading(h) if h.level == 1))?;
    match blocks.remove(index) {
        Block::Heading(heading) => Some(heading),
        _ => None,
    }
}

struct Builder<'a, 'd> {
    events: Peekable<OffsetIter<'a>>,
    id: SourceId,
    text: &'a str,
    diags: &'d mut Diagnostics,
    footnotes: Vec<crate::doc::Footnote>,
    pending_task: Option<bool>,
    html: html::Sanitizer,
    fixed_span: Option<Span>,
    /// Elements HTML does not know that were reported already: one warning per name and file.
    unknown_elements: HashSet<String>,
}

impl<'a, 'd> Builder<'a, 'd> {
    fn new(id: SourceId, text: &'a str, diags: &'d mut Diagnostics) -> Self {
        Builder {
            events: Parser::new_ext(text, options()).into_offset_iter().peekable(),
            id,
            text,
            diags,
            footnotes: Vec::new(),
            pending_task: None,
            html: html::Sanitizer::default(),
            fixed_span: None,
            unknown_elements: HashSet::new(),
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        self.fixed_span.unwrap_or(Span::new(self.id, range))
    }

    /// Blocks until the end of the enclosing container (whose End event is consumed) or the
    /// end of the file. Inline events at block level (tight list items) become paragraphs.
    fn blocks(&mut self) -> Vec<Block> {
        self.blocks_until(Stop::End).0
    }

    /// Like [`Self::blocks`], but also stops after the HTML block that `stop` names, and
    /// returns that block's text and place if it came.
    fn blocks_until(&mut self, stop: Stop) -> (Vec<Block>, Option<(String, Span)>) {
        let mut blocks = Vec::new();
        let mut loose_inlines = Vec::new();
        while let Some((event, range)) = self.events.peek().cloned() {
            match event {
                Event::End(_) => {
                    self.events.next();
                    break;
                }
                Event::Start(Tag::HtmlBlock) => {
                    flush_paragraph(&mut blocks, &mut loose_inlines);
                    self.events.next();
                    let span = self.span(range);
                    let raw = self.raw_html_block();
                    let stops = match stop {
                        Stop::End => false,
                        Stop::Closing(name) => html::closes(&raw, name),
                        Stop::Html => true,
                    };
                    if stops {
                        return (blocks, Some((raw, span)));
                    }
                    match html::wrapper(&raw) {
                        Some(wrapper) => self.wrapped(wrapper, span, &mut blocks),
                        None => self.html_block(&raw, span, &mut blocks),
                    }
                }
                Event::Start(tag) if is_block(&tag) => {
                    flush_paragraph(&mut blocks, &mut loose_inlines);
                    self.events.next();
                    if let Some(block) = self.block(tag, range) {
                        push_block(&mut blocks, block, self.diags);
                    }
                }
                Event::Rule => {
                    self.events.next();
                    flush_paragraph(&mut blocks, &mut loose_inlines);
                    blocks.push(Block::Rule);
                }
                _ => self.next_inline(&mut loose_inlines),
            }
        }
        flush_paragraph(&mut blocks, &mut loose_inlines);
        (blocks, None)
    }

    fn block(&mut self, tag: Tag<'a>, range: Range<usize>) -> Option<Block> {
        let span = self.span(range.clone());
        match tag {
            Tag::Paragraph => {
                let inlines = self.inlines_closed(span);
                Some(paragraph_or_figure(inlines, span, self.diags))
            }
            Tag::Heading { level, id, .. } => {
                let content = self.inlines_closed(span);
                let label = id.map(|id| id.to_string());
                Some(Block::Heading(Heading {
                    level: heading_level(level),
                    content,
                    label,
                    anchor: String::new(),
                    number: None,
                    span,
                }))
            }
            Tag::BlockQuote(kind) => {
                let blocks = self.blocks();
                Some(match kind.map(alert_kind) {
                    Some(kind) => Block::Alert(kind, blocks),
                    None => Block::Quote(blocks),
                })
            }
            Tag::CodeBlock(kind) => Some(self.code_block(kind, span)),
            Tag::List(start) => Some(self.list(start)),
            Tag::Table(aligns) => Some(self.table(aligns, span)),
            Tag::FootnoteDefinition(name) => {
                let blocks = self.blocks();
                self.footnotes.push(crate::doc::Footnote { name: name.to_string(), number: 0, blocks, span });
                None
            }
            _ => {
                self.skip_container();
                None
            }
        }
    }

    fn code_block(&mut self, kind: CodeBlockKind<'a>, span: Span) -> Block {
        let mut code = String::new();
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(_) => break,
                _ => {}
            }
        }
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let fence = attrs::parse_fence_info(&info, span, self.diags);
        let caption = Caption {
            content: fence.caption.map(|c| parse_inline(&c, span, self.diags)).unwrap_or_default(),
            label: fence.label,
            ..Caption::default()
        };
        match fence.lang {
            Some(lang) if DIAGRAM_LANGUAGES.contains(&lang.as_str()) => {
                Block::Figure(Figure { body: FigureBody::Diagram { lang, source: code, svg: None }, caption, span })
            }
            lang => Block::Code(CodeBlock { lang, code, caption, highlighted: None, span }),
        }
    }

    fn list(&mut self, start: Option<u64>) -> Block {
        let mut items = Vec::new();
        while let Some((event, _)) = self.events.next() {
            match event {
                Event::Start(Tag::Item) => {
                    self.pending_task = None;
                    let blocks = self.blocks();
                    items.push(ListItem { task: self.pending_task.take(), blocks });
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        Block::List(List { start, items })
    }

    fn table(&mut self, aligns: Vec<pulldown_cmark::Alignment>, span: Span) -> Block {
        let align = aligns.into_iter().map(alignment).collect();
        let mut head = Vec::new();
        let mut rows = Vec::new();
        while let Some((event, _)) = self.events.next() {
            match event {
                Event::Start(Tag::TableHead) => head = self.cells(),
                Event::Start(Tag::TableRow) => rows.push(self.cells()),
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Block::Table(Table { align, head, rows, caption: Caption::default(), span })
    }

    fn cells(&mut self) -> Vec<Vec<Inline>> {
        let mut cells = Vec::new();
        while let Some((event, range)) = self.events.next() {
            match event {
                Event::Start(Tag::TableCell) => {
                    let span = self.span(range);
                    cells.push(self.inlines_closed(span));
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        cells
    }

    /// The text of the HTML block just started, its End event consumed.
    fn raw_html_block(&mut self) -> String {
        let mut raw = String::new();
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Html(text) | Event::Text(text) => raw.push_str(&text),
                Event::End(_) => break,
                _ => {}
            }
        }
        raw
    }

    /// Adds an HTML block to `blocks`, sanitized. A block that leaves open elements that hold
    /// blocks (`<div class="warning">`, `<details>`, a table cell) starts a region of raw HTML
    /// around Markdown blocks, as mdBook's pages have them.
    fn html_block(&mut self, raw: &str, span: Span, blocks: &mut Vec<Block>) {
        let mut sanitizer = html::Sanitizer::default();
        let mut out = sanitizer.feed(raw, span, self.diags);
        self.report_unknown(sanitizer.take_unknown(), span);
        if sanitizer.holds_blocks() {
            return self.html_region(sanitizer, out, span, blocks);
        }
        out.push_str(&sanitizer.finish(span, self.diags));
        if !out.trim().is_empty() {
            blocks.push(Block::Html(out, span));
        }
    }

    /// Raw HTML whose elements stay open across Markdown blocks: each later HTML block at this
    /// level continues it, until every element it opened is closed (or the container ends).
    fn html_region(&mut self, mut sanitizer: html::Sanitizer, first: String, span: Span, blocks: &mut Vec<Block>) {
        let (mut out, mut span) = (first, span);
        loop {
            out.push_str(&sanitizer.settle_summary());
            blocks.push(Block::Html(std::mem::take(&mut out), span));
            let (inner, next) = self.blocks_until(Stop::Html);
            blocks.extend(inner);
            let Some((raw, next_span)) = next else {
                blocks.push(Block::Html(sanitizer.finish(span, self.diags), span));
                return;
            };
            span = next_span;
            out = sanitizer.feed(&raw, span, self.diags);
            self.report_unknown(sanitizer.take_unknown(), span);
            if !sanitizer.is_open() {
                out.push_str(&sanitizer.finish(span, self.diags));
                if !out.trim().is_empty() {
                    blocks.push(Block::Html(out, span));
                }
                return;
            }
        }
    }

    /// The content of an unknown element written around Markdown blocks (`<Listing
    /// caption="…">` … `</Listing>`), added to `blocks`: its caption goes to the one listing,
    /// figure or table inside, or else under the content.
    fn wrapped(&mut self, wrapper: html::Wrapper, span: Span, blocks: &mut Vec<Block>) {
        self.report_unknown(vec![wrapper.name.clone()], span);
        let (mut inner, _) = self.blocks_until(Stop::Closing(&wrapper.name));
        if let Some(caption) = wrapper.caption.filter(|caption| !caption.trim().is_empty()) {
            let content = parse_inline(&caption, span, self.diags);
            match inner.as_mut_slice() {
                [Block::Code(CodeBlock { caption, .. }) | Block::Figure(Figure { caption, .. })]
                | [Block::Table(Table { caption, .. })]
                    if caption.is_empty() && caption.label.is_none() =>
                {
                    caption.content = content;
                }
                _ => inner.push(Block::Paragraph(vec![Inline::Emph(content)])),
            }
        }
        for block in inner {
            push_block(blocks, block, self.diags);
        }
    }

    /// One warning for each element HTML does not know, the first time the file uses it.
    fn report_unknown(&mut self, names: Vec<String>, span: Span) {
        for name in names {
            if self.unknown_elements.insert(name.clone()) {
                self.diags.push(
                    Diagnostic::warning(
                        span,
                        format!("`<{name}>` is not an HTML element: its tags are left out, its content kept"),
                    )
                    .with_help("reported once per element and file; write `&lt;` for a literal `<`"),
                );
            }
        }
    }

    fn skip_container(&mut self) {
        let mut depth = 1;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
    }

    /// Inlines until the End event of the current container, with raw HTML tags left open
    /// inside it closed at its end.
    fn inlines_closed(&mut self, span: Span) -> Vec<Inline> {
        let outer = std::mem::take(&mut self.html);
        let mut inlines = self.inlines();
        let closing = self.html.finish(span, self.diags);
        if !closing.is_empty() {
            inlines.push(Inline::Html(closing, span));
        }
        self.html = outer;
        inlines
    }

    /// Inlines until the End event of the current container (consumed).
    fn inlines(&mut self) -> Vec<Inline> {
        let mut out = Vec::new();
        while let Some((event, _)) = self.events.peek() {
            if matches!(event, Event::End(_)) {
                self.events.next();
                break;
            }
            self.next_inline(&mut out);
        }
        out
    }

    fn next_inline(&mut self, out: &mut Vec<Inline>) {
        let Some((event, range)) = self.events.next() else {
            return;
        };
        let span = self.span(range.clone());
        if self.html.is_skipping() && !matches!(event, Event::InlineHtml(_) | Event::Html(_)) {
            if matches!(event, Event::Start(_)) {
                self.skip_container();
            }
            return;
        }
        let inline = match event {
            Event::Text(text) => return self.text_with_refs(&text, range, out),
            Event::Code(code) => Inline::Code(code.to_string()),
            Event::SoftBreak => Inline::SoftBreak,
            Event::HardBreak => Inline::HardBreak,
            Event::FootnoteReference(name) => Inline::FootnoteRef { name: name.to_string(), number: None, span },
            Event::InlineHtml(raw) | Event::Html(raw) => {
                let html = self.html.feed(&raw, span, self.diags);
                let unknown = self.html.take_unknown();
                self.report_unknown(unknown, span);
                Inline::Html(html, span)
            }
            Event::TaskListMarker(done) => return self.pending_task = Some(done),
            Event::Start(Tag::Emphasis) => Inline::Emph(self.inlines()),
            Event::Start(Tag::Strong) => Inline::Strong(self.inlines()),
            Event::Start(Tag::Strikethrough) => Inline::Strike(self.inlines()),
            Event::Start(Tag::Link { dest_url, .. }) => return self.link(&dest_url, span, out),
            Event::Start(Tag::Image { dest_url, .. }) => {
                let alt = plain_text(&self.inlines());
                Inline::Image { src: dest_url.to_string(), alt, span }
            }
            Event::Start(_) => return self.skip_container(),
            _ => return,
        };
        push_inline(out, inline);
    }

    fn link(&mut self, dest: &str, span: Span, out: &mut Vec<Inline>) {
        let content = self.inlines();
        match classify_link(dest) {
            Some(dest) => push_inline(out, Inline::Link(Link { dest, content, span })),
            None => {
                let scheme = html::url_scheme_text(dest);
                let scheme = scheme.split_once(':').map_or("", |(scheme, _)| scheme);
                self.diags.warning(span, format!("a `{scheme}:` link was removed; its text is kept"));
                content.into_iter().for_each(|inline| push_inline(out, inline));
            }
        }
    }

    /// Splits text at `@label` references. A reference whose `@` was escaped (`\@`) stays text.
    fn text_with_refs(&mut self, text: &str, range: Range<usize>, out: &mut Vec<Inline>) {
        let exact = self.text.get(range.clone()) == Some(text);
        let escaped_start = escaped_before(self.text, range.start);
        let mut last = 0;
        for (at, len) in attrs::find_refs(text, escaped_start) {
            if at > last {
                push_inline(out, Inline::Text(text[last..at].to_string()));
            }
            let start = if exact { range.start + at } else { range.start };
            let span = self.span(start..start + len);
            out.push(Inline::Ref(Ref { label: text[at + 1..at + len].to_string(), target: None, span }));
            last = at + len;
        }
        if last < text.len() {
            push_inline(out, Inline::Text(text[last..].to_string()));
        }
    }
}

/// Where a run of blocks stops, besides the end of its container.
#[derive(Clone, Copy)]
enum Stop<'a> {
    /// Only there.
    End,
    /// After the HTML block that only closes this element.
    Closing(&'a str),
    /// At the next HTML block.
    Html,
}

fn push_inline(out: &mut Vec<Inline>, inline: Inline) {
    match (inline, out.last_mut()) {
        (Inline::Html(h, _), _) if h.is_empty() => {}
        (Inline::Text(t), Some(Inline::Text(prev))) => prev.push_str(&t),
        (other, _) => out.push(other),
    }
}

fn flush_paragraph(blocks: &mut Vec<Block>, inlines: &mut Vec<Inline>) {
    if !inlines.is_empty() {
        let mut merged = Vec::new();
        for inline in inlines.drain(..) {
            push_inline(&mut merged, inline);
        }
        blocks.push(Block::Paragraph(merged));
    }
}

/// Adds `block`, attaching a `Table: caption {#tbl-…}` paragraph to the table before it.
fn push_block(blocks: &mut Vec<Block>, block: Block, diags: &mut Diagnostics) {
    if let (Block::Paragraph(inlines), Some(Block::Table(table))) = (&block, blocks.last_mut())
        && table.caption.is_empty()
        && let Some(caption) = attrs::table_caption(inlines)
    {
        table.caption = caption;
        return;
    }
    let _ = diags;
    blocks.push(block);
}

/// A paragraph holding only an image (and maybe `{#fig-…}`) becomes a figure.
fn paragraph_or_figure(inlines: Vec<Inline>, span: Span, diags: &mut Diagnostics) -> Block {
    let meaningful: Vec<&Inline> =
        inlines.iter().filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty())).collect();
    let label = match meaningful.as_slice() {
        [Inline::Image { .. }] => Some(None),
        [Inline::Image { .. }, Inline::Text(t)] => attrs::lone_label(t).map(Some),
        _ => None,
    };
    let (Some(label), Some(Inline::Image { src, alt, span: image_span })) = (label, meaningful.first()) else {
        warn_missing_alt(&inlines, diags);
        return Block::Paragraph(inlines);
    };
    if alt.trim().is_empty() {
        diags.warning(*image_span, "the image has no alternative text")
    }
    let caption = Caption {
        content: if alt.is_empty() { Vec::new() } else { vec![Inline::Text(alt.clone())] },
        label,
        ..Caption::default()
    };
    Block::Figure(Figure { body: FigureBody::Image { src: src.clone(), alt: alt.clone() }, caption, span })
}

fn warn_missing_alt(inlines: &[Inline], diags: &mut Diagnostics) {
    for inline in inlines {
        match inline {
            Inline::Image { alt, span, .. } if alt.trim().is_empty() => {
                diags.warning(*span, "the image has no alternative text")
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => warn_missing_alt(c, diags),
            Inline::Link(link) => warn_missing_alt(&link.content, diags),
            _ => {}
        }
    }
}

/// Where a link's destination `dest` leads, as written: outside the book, or to a place in it
/// to be resolved; `None` for a script URL.
pub fn classify_link(dest: &str) -> Option<LinkDest> {
    let lower = html::url_scheme_text(dest);
    if lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:") {
        return None;
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        return Some(LinkDest::Internal { file: None, fragment: Some(fragment.to_string()) });
    }
    let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let (file, fragment) = match dest.split_once('#') {
        Some((file, fragment)) => (file, Some(fragment.to_string())),
        None => (dest, None),
    };
    if has_scheme || dest.starts_with("//") || dest.is_empty() {
        return Some(LinkDest::External(dest.to_string()));
    }
    Some(LinkDest::Internal { file: Some(file.to_string()), fragment })
}

fn escaped_before(text: &str, offset: usize) -> bool {
    let backslashes = text.as_bytes()[..offset.min(text.len())].iter().rev().take_while(|&&b| b == b'\\').count();
    backslashes % 2 == 1
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
            | Tag::DefinitionList
            | Tag::MetadataBlock(_)
    )
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alert_kind(kind: BlockQuoteKind) -> AlertKind {
    match kind {
        BlockQuoteKind::Note => AlertKind::Note,
        BlockQuoteKind::Tip => AlertKind::Tip,
        BlockQuoteKind::Important => AlertKind::Important,
        BlockQuoteKind::Warning => AlertKind::Warning,
        BlockQuoteKind::Caution => AlertKind::Caution,
    }
}

fn alignment(align: pulldown_cmark::Alignment) -> Align {
    match align {
        pulldown_cmark::Alignment::None => Align::None,
        pulldown_cmark::Alignment::Left => Align::Left,
        pulldown_cmark::Alignment::Center => Align::Center,
        pulldown_cmark::Alignment::Right => Align::Right,
    }
}
