//! The owned document model: the only thing the stages after `markdown` see.
//!
//! `markdown::parse` builds it, `resolve` fills in numbers, anchors and link targets, and the
//! renderers only read it. Every node keeps the span of the Markdown it came from.

use crate::manifest::{ListKind, Metadata, PartKind};
use crate::source::{SourceId, Span};
use std::collections::BTreeMap;

/// A whole book, resolved.
#[derive(Debug)]
pub struct Book {
    /// Metadata from the manifest.
    pub meta: Metadata,
    /// Every file, in reading order (front matter, parts, back matter).
    pub chapters: Vec<Chapter>,
    /// The parts: titles and the ranges of `chapters` they hold.
    pub parts: Vec<Part>,
    /// Every labelled place, by label.
    pub targets: BTreeMap<String, Target>,
    /// Images and other files the editions copy, root-relative.
    pub assets: Vec<String>,
    /// Generated lists asked for by the manifest.
    pub lists: Vec<ListKind>,
    /// The author's stylesheets for the HTML edition, root-relative, after the theme's.
    pub stylesheets: Vec<String>,
    /// Files of the book's folder that links lead to and that are no pages (downloads),
    /// root-relative: the HTML edition copies them.
    pub linked_files: Vec<String>,
}

/// A part: a title over consecutive chapters.
#[derive(Debug)]
pub struct Part {
    /// The part's title.
    pub title: String,
    /// Chapters or case studies.
    pub kind: PartKind,
    /// Indexes into [`Book::chapters`].
    pub chapters: std::ops::Range<usize>,
    /// Anchor of the part's heading in the tables of contents and the PDF.
    pub anchor: String,
}

/// Where a file sits in the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChapterKind {
    /// Unnumbered, before the parts.
    Front,
    /// A numbered chapter.
    Chapter,
    /// A numbered case study.
    CaseStudy,
    /// Unnumbered, after the parts.
    Back,
}

/// One Markdown file of the book.
#[derive(Debug)]
pub struct Chapter {
    /// The source file.
    pub source: SourceId,
    /// Root-relative path of the Markdown file.
    pub path: String,
    /// Output file stem, unique in the book (`01-intro` → `01-intro.html`).
    pub stem: String,
    /// Front, chapter, case study or back.
    pub kind: ChapterKind,
    /// "3" for Chapter 3, "C2" prefix source for case study 2; `None` when unnumbered.
    pub number: Option<u32>,
    /// The title heading (the first level-1 heading, or one made from the file name).
    pub title: Heading,
    /// The blocks after the title.
    pub blocks: Vec<Block>,
    /// Footnote definitions, numbered in order of first reference.
    pub footnotes: Vec<Footnote>,
    /// The HTML page's whole title, when the source asks for one (mdBook's `{{#title}}`).
    pub page_title: Option<String>,
}

impl Chapter {
    /// "Chapter 3", "Case Study 2", or `None` for front and back matter.
    pub fn display_number(&self) -> Option<String> {
        let number = self.number?;
        match self.kind {
            ChapterKind::Chapter => Some(format!("Chapter {number}")),
            ChapterKind::CaseStudy => Some(format!("Case Study {number}")),
            ChapterKind::Front | ChapterKind::Back => None,
        }
    }
}

/// A labelled place that references can point to.
#[derive(Clone, Debug)]
pub struct Target {
    /// Index into [`Book::chapters`].
    pub chapter: usize,
    /// The element id inside the chapter's page.
    pub anchor: String,
    /// The text a reference shows: "Figure 2.1", "Section C3.2", or a title.
    pub text: String,
    /// Where the label is defined.
    pub span: Span,
}

/// A heading.
#[derive(Clone, Debug)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text.
    pub content: Vec<Inline>,
    /// Its `{#label}`, if any.
    pub label: Option<String>,
    /// Element id: the label, or a slug of the text; unique in its file.
    pub anchor: String,
    /// "2.3" or "C1.2" for numbered sections, `None` otherwise.
    pub number: Option<String>,
    /// The whole heading in the source.
    pub span: Span,
}

/// A block-level element.
#[derive(Clone, Debug)]
pub enum Block {
    /// A heading below the title.
    Heading(Heading),
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// An image or diagram with an optional caption and label.
    Figure(Figure),
    /// A code block, possibly a labelled listing.
    Code(CodeBlock),
    /// A table, possibly with a caption.
    Table(Table),
    /// A bulleted or numbered list.
    List(List),
    /// A block quote.
    Quote(Vec<Block>),
    /// A GFM alert (`> [!NOTE]`).
    Alert(AlertKind, Vec<Block>),
    /// A thematic break.
    Rule,
    /// Raw HTML, already made well-formed and safe, and where it was written.
    Html(String, Span),
}

/// The five GFM alert kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertKind {
    /// `[!NOTE]`
    Note,
    /// `[!TIP]`
    Tip,
    /// `[!IMPORTANT]`
    Important,
    /// `[!WARNING]`
    Warning,
    /// `[!CAUTION]`
    Caution,
}

impl AlertKind {
    /// The title shown above the alert.
    pub fn title(self) -> &'static str {
        match self {
            AlertKind::Note => "Note",
            AlertKind::Tip => "Tip",
            AlertKind::Important => "Important",
            AlertKind::Warning => "Warning",
            AlertKind::Caution => "Caution",
        }
    }

    /// A lowercase name, for CSS classes.
    pub fn class(self) -> &'static str {
        match self {
            AlertKind::Note => "note",
            AlertKind::Tip => "tip",
            AlertKind::Important => "important",
            AlertKind::Warning => "warning",
            AlertKind::Caution => "caution",
        }
    }
}

/// Number and caption shared by figures, tables and listings.
#[derive(Clone, Debug, Default)]
pub struct Caption {
    /// The caption text (may be empty).
    pub content: Vec<Inline>,
    /// Its `{#label}`.
    pub label: Option<String>,
    /// Element id (the label, or one made up when unlabelled).
    pub anchor: String,
    /// "Figure 2.1", "Table C1.2", … once numbered.
    pub number: Option<String>,
}

impl Caption {
    /// Whether there is anything to show under the item.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && self.number.is_none()
    }
}

/// A figure: an image or a diagram.
#[derive(Clone, Debug)]
pub struct Figure {
    /// What the figure shows.
    pub body: FigureBody,
    /// Number, caption and label.
    pub caption: Caption,
    /// The source of the figure.
    pub span: Span,
}

/// The picture inside a figure.
#[derive(Clone, Debug)]
pub enum FigureBody {
    /// An image file.
    Image {
        /// Root-relative path, once resolved; the written URL before.
        src: String,
        /// The alternative text.
        alt: String,
    },
    /// A diagram drawn from source.
    Diagram {
        /// `mermaid`, `dot`, `bob` or `pikchr`.
        lang: String,
        /// The diagram's source text.
        source: String,
        /// The drawn SVG, once resolved.
        svg: Option<String>,
    },
}

/// A code block.
#[derive(Clone, Debug)]
pub struct CodeBlock {
    /// The fence's language.
    pub lang: Option<String>,
    /// The code.
    pub code: String,
    /// Number, caption and label (a listing when labelled or captioned).
    pub caption: Caption,
    /// The code as highlighted (X)HTML, once highlighted.
    pub highlighted: Option<String>,
    /// The fence in the source.
    pub span: Span,
}

/// Column alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Not given.
    None,
    /// `:--`
    Left,
    /// `:-:`
    Center,
    /// `--:`
    Right,
}

/// A table.
#[derive(Clone, Debug)]
pub struct Table {
    /// One alignment per column.
    pub align: Vec<Align>,
    /// Header cells.
    pub head: Vec<Vec<Inline>>,
    /// Body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// Number, caption and label.
    pub caption: Caption,
    /// The table in the source.
    pub span: Span,
}

/// A list.
#[derive(Clone, Debug)]
pub struct List {
    /// The first number of an ordered list; `None` for bullets.
    pub start: Option<u64>,
    /// The items.
    pub items: Vec<ListItem>,
}

/// One list item.
#[derive(Clone, Debug)]
pub struct ListItem {
    /// `Some(done)` for a task-list item.
    pub task: Option<bool>,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A footnote definition.
#[derive(Clone, Debug)]
pub struct Footnote {
    /// The name written in `[^name]`.
    pub name: String,
    /// 1, 2, … in order of first reference.
    pub number: usize,
    /// Its content.
    pub blocks: Vec<Block>,
    /// Where it is defined.
    pub span: Span,
}

/// An inline element.
#[derive(Clone, Debug)]
pub enum Inline {
    /// Plain text (typographic quotes already applied).
    Text(String),
    /// Inline code.
    Code(String),
    /// Emphasis.
    Emph(Vec<Inline>),
    /// Strong emphasis.
    Strong(Vec<Inline>),
    /// Strikethrough.
    Strike(Vec<Inline>),
    /// A link.
    Link(Link),
    /// An image inside running text.
    Image {
        /// Root-relative path once resolved.
        src: String,
        /// Alternative text.
        alt: String,
        /// Where it is.
        span: Span,
    },
    /// An `@label` reference.
    Ref(Ref),
    /// A `[^name]` footnote reference.
    FootnoteRef {
        /// The footnote's name.
        name: String,
        /// Its number once resolved.
        number: Option<usize>,
        /// Where it is.
        span: Span,
    },
    /// A soft line break (a space).
    SoftBreak,
    /// A hard line break.
    HardBreak,
    /// Raw inline HTML, already made well-formed and safe, and where it was written.
    Html(String, Span),
}

/// A link and its destination.
#[derive(Clone, Debug)]
pub struct Link {
    /// Where it goes.
    pub dest: LinkDest,
    /// The link text.
    pub content: Vec<Inline>,
    /// Where it is.
    pub span: Span,
}

/// The destination of a link.
#[derive(Clone, Debug)]
pub enum LinkDest {
    /// A URL outside the book (http, mailto, …), kept as written.
    External(String),
    /// A place in the book, as written: an optional file (relative to the page) and fragment.
    Internal {
        /// The Markdown file, relative to the linking file, if another file.
        file: Option<String>,
        /// The `#fragment`, if any.
        fragment: Option<String>,
    },
    /// A place in the book, resolved.
    Resolved {
        /// Index into [`Book::chapters`].
        chapter: usize,
        /// The element id, or `None` for the top of the page.
        anchor: Option<String>,
    },
    /// A file of the book's folder that is no page, root-relative: the HTML edition links to
    /// its copy; an EPUB may link only to its pages, so it and the PDF keep the text alone.
    File(String),
    /// A relative link that leads nowhere the editions can reach: only its text is kept.
    Unlinked,
}

/// Where a link inside raw HTML leads once resolved: written into the HTML as a marker that
/// each edition turns into its own URL (`page.html`, `page.xhtml`, `#page--anchor`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawHref {
    /// A place in the book: chapter index and anchor.
    Page(usize, Option<String>),
    /// A file of the book's folder that is no page, root-relative.
    File(String),
}

const RAW_PAGE: &str = "folio:page:";
const RAW_FILE: &str = "folio:file:";

impl RawHref {
    /// The marker written in the `href`.
    pub fn marker(&self) -> String {
        match self {
            RawHref::Page(chapter, Some(anchor)) => format!("{RAW_PAGE}{chapter}#{anchor}"),
            RawHref::Page(chapter, None) => format!("{RAW_PAGE}{chapter}"),
            RawHref::File(path) => format!("{RAW_FILE}{path}"),
        }
    }

    /// The place a marker stands for; `None` for any other `href`.
    pub fn parse(href: &str) -> Option<RawHref> {
        if let Some(path) = href.strip_prefix(RAW_FILE) {
            return Some(RawHref::File(path.to_string()));
        }
        let page = href.strip_prefix(RAW_PAGE)?;
        let (chapter, anchor) = match page.split_once('#') {
            Some((chapter, anchor)) => (chapter, Some(anchor.to_string())),
            None => (page, None),
        };
        Some(RawHref::Page(chapter.parse().ok()?, anchor))
    }
}

/// An `@label` reference.
#[derive(Clone, Debug)]
pub struct Ref {
    /// The label, without `@`.
    pub label: String,
    /// The resolved target once resolved: chapter index, anchor and text.
    pub target: Option<Target>,
    /// Where it is.
    pub span: Span,
}

/// The plain text of some inlines (for titles, alt text and search).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(&mut out, inlines);
    out
}

fn push_plain(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => push_plain(out, c),
            Inline::Link(link) => push_plain(out, &link.content),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Ref(r) => out.push_str(r.target.as_ref().map_or(r.label.as_str(), |t| t.text.as_str())),
            Inline::FootnoteRef { .. } | Inline::Html(..) => {}
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

/// The word shown before a number: "Figure", "Table", "Listing".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A figure.
    Figure,
    /// A table.
    Table,
    /// A code listing.
    Listing,
}

impl ItemKind {
    /// "Figure", "Table" or "Listing".
    pub fn word(self) -> &'static str {
        match self {
            ItemKind::Figure => "Figure",
            ItemKind::Table => "Table",
            ItemKind::Listing => "Listing",
        }
    }
}

/// Calls `f` on every block, depth first, including blocks inside lists, quotes, alerts and
/// footnotes.
pub fn visit_blocks_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::List(list) => list.items.iter_mut().for_each(|item| visit_blocks_mut(&mut item.blocks, f)),
            Block::Quote(inner) | Block::Alert(_, inner) => visit_blocks_mut(inner, f),
            _ => {}
        }
    }
}

/// Calls `f` on every inline of `block` (not of nested blocks), depth first.
pub fn visit_block_inlines_mut(block: &mut Block, f: &mut impl FnMut(&mut Inline)) {
    match block {
        Block::Heading(h) => visit_inlines_mut(&mut h.content, f),
        Block::Paragraph(inlines) => visit_inlines_mut(inlines, f),
        Block::Figure(fig) => visit_inlines_mut(&mut fig.caption.content, f),
        Block::Code(code) => visit_inlines_mut(&mut code.caption.content, f),
        Block::Table(table) => {
            visit_inlines_mut(&mut table.caption.content, f);
            for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                visit_inlines_mut(cell, f);
            }
        }
        Block::List(_) | Block::Quote(_) | Block::Alert(..) | Block::Rule | Block::Html(..) => {}
    }
}

/// Calls `f` on every inline, depth first (a container before its content).
pub fn visit_inlines_mut(inlines: &mut [Inline], f: &mut impl FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => visit_inlines_mut(c, f),
            Inline::Link(link) => visit_inlines_mut(&mut link.content, f),
            _ => {}
        }
    }
}

/// Calls `f` on every inline of a chapter, in reading order: title, blocks, footnotes.
pub fn visit_chapter_inlines_mut(chapter: &mut Chapter, f: &mut impl FnMut(&mut Inline)) {
    visit_inlines_mut(&mut chapter.title.content, f);
    visit_blocks_mut(&mut chapter.blocks, &mut |block| visit_block_inlines_mut(block, f));
    for footnote in &mut chapter.footnotes {
        visit_blocks_mut(&mut footnote.blocks, &mut |block| visit_block_inlines_mut(block, f));
    }
}

/// One entry of a list of figures or tables.
#[derive(Clone, Debug)]
pub struct ListEntry {
    /// Index into [`Book::chapters`].
    pub chapter: usize,
    /// The item's anchor.
    pub anchor: String,
    /// "Figure 2.1", or `None` when unnumbered.
    pub number: Option<String>,
    /// The caption.
    pub caption: Vec<Inline>,
}

impl Book {
    /// The captioned figures (or tables) of the book, in reading order.
    pub fn list_entries(&self, kind: ListKind) -> Vec<ListEntry> {
        let mut entries = Vec::new();
        for (index, chapter) in self.chapters.iter().enumerate() {
            collect_entries(&chapter.blocks, kind, index, &mut entries);
        }
        entries
    }
}

fn collect_entries(blocks: &[Block], kind: ListKind, chapter: usize, out: &mut Vec<ListEntry>) {
    for block in blocks {
        let caption = match (block, kind) {
            (Block::Figure(figure), ListKind::Figures) => Some(&figure.caption),
            (Block::Table(table), ListKind::Tables) => Some(&table.caption),
            (Block::List(list), _) => {
                list.items.iter().for_each(|item| collect_entries(&item.blocks, kind, chapter, out));
                None
            }
            (Block::Quote(inner) | Block::Alert(_, inner), _) => {
                collect_entries(inner, kind, chapter, out);
                None
            }
            _ => None,
        };
        if let Some(caption) = caption.filter(|c| !c.is_empty()) {
            out.push(ListEntry {
                chapter,
                anchor: caption.anchor.clone(),
                number: caption.number.clone(),
                caption: caption.content.clone(),
            });
        }
    }
}

impl ListKind {
    /// "List of Figures" or "List of Tables".
    pub fn title(self) -> &'static str {
        match self {
            ListKind::Figures => "List of Figures",
            ListKind::Tables => "List of Tables",
        }
    }

    /// The generated page's file stem.
    pub fn stem(self) -> &'static str {
        match self {
            ListKind::Figures => "figures",
            ListKind::Tables => "tables",
        }
    }
}

/// Calls `f` on every block, depth first, including nested blocks.
pub fn visit_blocks(blocks: &[Block], f: &mut impl FnMut(&Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::List(list) => list.items.iter().for_each(|item| visit_blocks(&item.blocks, f)),
            Block::Quote(inner) | Block::Alert(_, inner) => visit_blocks(inner, f),
            _ => {}
        }
    }
}
