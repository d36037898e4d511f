//! The resolved book → the data the PDF template typesets (`book.json`).
//!
//! Every node of the tree becomes a JSON value: strings for text, objects with a `kind` for
//! everything else, numbers and reference texts exactly as `resolve` computed them. Book text
//! only ever lands in JSON strings, which the template shows as content and never evaluates.
//! Owns the Typst labels of the book (`stem#anchor`, unique across files), the virtual paths
//! of images and diagrams, and the Markdown span of each top-level block, so that a failure
//! in Typst can be reported at the author's line. Checks here what Typst would refuse.

use crate::diag::Diagnostic;
use crate::doc::{
    Align, Block, Book, Caption, Chapter, ChapterKind, CodeBlock, Figure, FigureBody, Heading, Inline, LinkDest, List,
    Table, plain_text,
};
use crate::manifest::ListKind;
use crate::source::Span;
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// Blocks and inlines nested deeper than this are flattened, so that the template's
/// recursion stays far below Typst's call-depth limit.
const MAX_DEPTH: usize = 12;

/// Typst refuses longer URLs.
const MAX_URL: usize = 8000;

pub use crate::date::BuildDate;

/// What the data depends on besides the book.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Page width and height in points.
    pub page: (f64, f64),
    /// Whether references show their page.
    pub page_refs: bool,
    /// Whether every image must have alternative text (PDF/UA).
    pub require_alt: bool,
    /// The build date shown on the copyright page.
    pub date: BuildDate,
}

/// Where the bytes of a file the data names come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file of the book, root-relative.
    Asset(String),
    /// A drawn diagram.
    Svg(String),
}

/// A file the template loads: its virtual path, its origin, and the Markdown that uses it.
#[derive(Clone, Debug)]
pub struct Picture {
    /// Path in the Typst project, without the leading `/`.
    pub path: String,
    /// Where its bytes come from.
    pub origin: Origin,
    /// The figure or image in the Markdown.
    pub span: Span,
}

/// The book as data, and what goes with it.
#[derive(Debug)]
pub struct Emitted {
    /// The document the template reads.
    pub data: Value,
    /// Every image and diagram the data names, in order of use.
    pub pictures: Vec<Picture>,
    /// For each chapter, its title's span followed by the span of each top-level block.
    pub spans: Vec<Vec<Span>>,
    /// Problems found (the book builds, but something had to give).
    pub diags: Vec<Diagnostic>,
}

/// The Typst label of `anchor` in chapter `chapter` (its title when `None`).
pub fn label(book: &Book, chapter: usize, anchor: Option<&str>) -> String {
    let chapter = &book.chapters[chapter];
    format!("{}#{}", chapter.stem, anchor.unwrap_or(&chapter.title.anchor))
}

/// Turns `book` into the template's data.
pub fn emit(book: &Book, settings: &Settings) -> Emitted {
    let mut emitted = Emitted { data: Value::Null, pictures: Vec::new(), spans: Vec::new(), diags: Vec::new() };
    let chapters = (0..book.chapters.len())
        .map(|index| {
            let mut emitter = Emitter {
                book,
                settings,
                chapter: index,
                out: &mut emitted,
                notes_seen: HashSet::new(),
                diagrams: 0,
                depth: 0,
                in_note: false,
            };
            emitter.chapter()
        })
        .collect::<Vec<_>>();
    emitted.data = json!({
        "meta": meta(book, settings),
        "page": { "width": settings.page.0, "height": settings.page.1 },
        "parts": book.parts.iter().map(|part| json!({
            "title": part.title,
            "label": part.anchor,
        })).collect::<Vec<_>>(),
        "lists": book.lists.iter().map(|list| match list {
            ListKind::Figures => "figures",
            ListKind::Tables => "tables",
        }).collect::<Vec<_>>(),
        "chapters": chapters,
    });
    emitted
}

fn meta(book: &Book, settings: &Settings) -> Value {
    let meta = &book.meta;
    let (lang, region) = split_language(&meta.language);
    let date = settings.date;
    json!({
        "title": meta.title,
        "subtitle": meta.subtitle,
        "authors": meta.authors,
        "lang": lang,
        "region": region,
        "identifier": meta.identifier,
        "description": meta.description,
        "publisher": meta.publisher,
        "rights": meta.rights,
        "version": meta.version,
        "keywords": meta.keywords,
        "date": { "year": date.year, "month": date.month, "day": date.day },
    })
}

/// A BCP 47 tag → Typst's language and region: "en-US" → ("en", Some("US")).
fn split_language(tag: &str) -> (String, Option<String>) {
    let mut subtags = tag.split('-');
    let lang = subtags.next().unwrap_or("en").to_ascii_lowercase();
    let region =
        subtags.find(|s| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic())).map(str::to_ascii_uppercase);
    (lang, region)
}

/// Which titled part each chapter belongs to (an untitled part has no part page).
fn part_of(book: &Book, chapter: usize) -> Option<usize> {
    book.parts.iter().position(|part| part.chapters.contains(&chapter) && !part.title.is_empty())
}

struct Emitter<'a> {
    book: &'a Book,
    settings: &'a Settings,
    chapter: usize,
    out: &'a mut Emitted,
    notes_seen: HashSet<usize>,
    diagrams: usize,
    depth: usize,
    in_note: bool,
}

impl Emitter<'_> {
    fn current(&self) -> &Chapter {
        &self.book.chapters[self.chapter]
    }

    fn chapter(&mut self) -> Value {
        let book = self.book;
        let chapter = &book.chapters[self.chapter];
        let kind = match chapter.kind {
            ChapterKind::Front => "front",
            ChapterKind::Chapter => "chapter",
            ChapterKind::CaseStudy => "case-study",
            ChapterKind::Back => "back",
        };
        self.require_text(&chapter.title.content, chapter.title.span, "a title");
        let title = self.inlines(&chapter.title.content);
        let mut spans = vec![chapter.title.span];
        let mut blocks = Vec::new();
        for block in &chapter.blocks {
            let span = block_span(block).unwrap_or(spans[spans.len() - 1]);
            if let Some(value) = self.block(block) {
                blocks.push(value);
                spans.push(span);
            }
        }
        self.out.spans.push(spans);
        json!({
            "kind": kind,
            "part": part_of(self.book, self.chapter),
            "number": chapter.display_number(),
            "label": label(self.book, self.chapter, None),
            "title": title,
            "blocks": blocks,
        })
    }

    fn blocks(&mut self, blocks: &[Block]) -> Vec<Value> {
        if self.depth >= MAX_DEPTH {
            return vec![json!({ "kind": "par", "body": [plain_blocks(blocks)] })];
        }
        self.depth += 1;
        let values = blocks.iter().filter_map(|b| self.block(b)).collect();
        self.depth -= 1;
        values
    }

    fn block(&mut self, block: &Block) -> Option<Value> {
        Some(match block {
            Block::Heading(heading) => self.heading(heading),
            Block::Paragraph(content) => {
                let body = self.inlines(content);
                if body.is_empty() {
                    return None;
                }
                json!({ "kind": "par", "body": body })
            }
            Block::Figure(figure) => self.figure(figure),
            Block::Code(code) => self.code(code),
            Block::Table(table) => self.table(table),
            Block::List(list) => self.list(list),
            Block::Quote(inner) => json!({ "kind": "quote", "body": self.blocks(inner) }),
            Block::Alert(kind, inner) => json!({
                "kind": "alert",
                "type": kind.class(),
                "title": kind.title(),
                "body": self.blocks(inner),
            }),
            Block::Rule => json!({ "kind": "rule" }),
            Block::Html(html, _) => {
                let mut body = self.raw_anchors(html);
                let text = html_text(html);
                if text.trim().is_empty() {
                    return (!body.is_empty()).then(|| json!(body));
                }
                body.push(json!(one_line(&text)));
                json!({ "kind": "par", "body": body })
            }
        })
    }

    /// A place to link to for each id of raw HTML (`<a id="old-name"></a>`), so that links to
    /// it lead somewhere in the PDF too.
    fn raw_anchors(&self, html: &str) -> Vec<Value> {
        let ids = crate::markdown::raw_ids(html);
        ids.iter().map(|id| json!({ "kind": "anchor", "label": label(self.book, self.chapter, Some(id)) })).collect()
    }

    fn heading(&mut self, heading: &Heading) -> Value {
        self.require_text(&heading.content, heading.span, "a heading");
        json!({
            "kind": "heading",
            "level": heading.level.clamp(2, 6),
            "number": heading.number,
            "label": label(self.book, self.chapter, Some(&heading.anchor)),
            "body": self.inlines(&heading.content),
        })
    }

    fn require_text(&mut self, content: &[Inline], span: Span, what: &str) {
        if self.settings.require_alt && plain_text(content).trim().is_empty() {
            self.out
                .diags
                .push(Diagnostic::error(span, format!("PDF/UA-1 needs text in {what}, and this one is empty")));
        }
    }

    fn caption(&mut self, node: &mut Map<String, Value>, caption: &Caption) {
        let label = label(self.book, self.chapter, Some(&caption.anchor));
        node.insert("label".into(), json!(label));
        node.insert("number".into(), json!(caption.number));
        node.insert("caption".into(), json!(self.inlines(&caption.content)));
    }

    fn figure(&mut self, figure: &Figure) -> Value {
        let mut node = Map::new();
        node.insert("kind".into(), json!("figure"));
        self.caption(&mut node, &figure.caption);
        let caption_text = plain_text(&figure.caption.content);
        match &figure.body {
            FigureBody::Image { src, alt } => {
                let path = self.picture(Origin::Asset(src.clone()), figure.span);
                let alt = self.alt(alt, &caption_text, figure.span);
                node.insert("image".into(), json!({ "path": path, "alt": alt }));
            }
            FigureBody::Diagram { svg: Some(svg), .. } => {
                self.diagrams += 1;
                let path = self.picture(Origin::Svg(svg.clone()), figure.span);
                let alt = self.alt("", &caption_text, figure.span);
                let mut image = json!({ "path": path, "alt": alt });
                if let Some((width, height)) = svg_size(svg) {
                    image["size"] = json!([width * PT_PER_PX, height * PT_PER_PX]);
                }
                node.insert("image".into(), image);
            }
            FigureBody::Diagram { lang, source, svg: None } => {
                node.insert("source".into(), json!({ "lang": lang, "text": source }));
            }
        }
        Value::Object(node)
    }

    /// The alternative text of an image: its own, else its caption.
    fn alt(&mut self, alt: &str, caption: &str, span: Span) -> String {
        let text = if alt.trim().is_empty() { caption } else { alt };
        if self.settings.require_alt && text.trim().is_empty() {
            self.out.diags.push(
                Diagnostic::error(span, "PDF/UA-1 needs alternative text for every image")
                    .with_help("write it between the brackets: ![what the image shows](file.png)"),
            );
        }
        text.to_string()
    }

    /// Registers a picture and returns its absolute virtual path.
    fn picture(&mut self, origin: Origin, span: Span) -> String {
        let path = match &origin {
            Origin::Asset(src) => format!("assets/{src}"),
            Origin::Svg(_) => format!("diagrams/{}-{}.svg", self.current().stem, self.diagrams),
        };
        self.out.pictures.push(Picture { path: path.clone(), origin, span });
        format!("/{path}")
    }

    fn code(&mut self, code: &CodeBlock) -> Value {
        let mut node = Map::new();
        node.insert("kind".into(), json!("code"));
        node.insert("lang".into(), json!(code.lang));
        node.insert("text".into(), json!(code.code));
        if !code.caption.is_empty() {
            self.caption(&mut node, &code.caption);
        }
        Value::Object(node)
    }

    fn table(&mut self, table: &Table) -> Value {
        let columns = table.head.len().max(table.align.len()).max(1);
        let align = (0..columns)
            .map(|i| match table.align.get(i) {
                Some(Align::Right) => "right",
                Some(Align::Center) => "center",
                _ => "left",
            })
            .collect::<Vec<_>>();
        let head = self.row(&table.head, columns);
        let rows = table.rows.iter().map(|row| self.row(row, columns)).collect::<Vec<_>>();
        let mut node = Map::new();
        node.insert("kind".into(), json!("table"));
        let line = table_line(self.settings.page.0, columns);
        let (widths, dense) = column_widths(table, columns, line);
        node.insert("widths".into(), json!(widths));
        node.insert("dense".into(), json!(dense));
        node.insert("align".into(), json!(align));
        node.insert("head".into(), json!(head));
        node.insert("rows".into(), json!(rows));
        if !table.caption.is_empty() {
            self.caption(&mut node, &table.caption);
        }
        Value::Object(node)
    }

    /// A row of exactly `columns` cells.
    fn row(&mut self, cells: &[Vec<Inline>], columns: usize) -> Vec<Value> {
        (0..columns).map(|i| json!(cells.get(i).map(|c| self.inlines(c)).unwrap_or_default())).collect()
    }

    fn list(&mut self, list: &List) -> Value {
        let items = list
            .items
            .iter()
            .map(|item| json!({ "task": item.task, "body": self.blocks(&item.blocks) }))
            .collect::<Vec<_>>();
        json!({ "kind": "list", "start": list.start, "items": items })
    }

    fn inlines(&mut self, inlines: &[Inline]) -> Vec<Value> {
        let mut out = Vec::new();
        if self.depth >= MAX_DEPTH {
            push_text(&mut out, &plain_text(inlines));
            return out;
        }
        self.depth += 1;
        for inline in inlines {
            self.inline(inline, &mut out);
        }
        self.depth -= 1;
        out
    }

    fn inline(&mut self, inline: &Inline, out: &mut Vec<Value>) {
        let node = match inline {
            Inline::Text(text) => return push_text(out, text),
            Inline::SoftBreak => return push_text(out, " "),
            Inline::Html(html, _) => {
                out.extend(self.raw_anchors(html));
                return push_text(out, &html_text(html));
            }
            Inline::HardBreak => json!({ "kind": "linebreak" }),
            Inline::Code(code) => json!({ "kind": "raw", "text": one_line(code) }),
            Inline::Emph(c) => json!({ "kind": "emph", "body": self.inlines(c) }),
            Inline::Strong(c) => json!({ "kind": "strong", "body": self.inlines(c) }),
            Inline::Strike(c) => json!({ "kind": "strike", "body": self.inlines(c) }),
            Inline::Link(link) => {
                let body = self.inlines(&link.content);
                match &link.dest {
                    LinkDest::External(url) if !url.is_empty() && url.len() <= MAX_URL => {
                        json!({ "kind": "link", "url": url, "body": body })
                    }
                    LinkDest::Resolved { chapter, anchor } => json!({
                        "kind": "link",
                        "target": label(self.book, *chapter, anchor.as_deref()),
                        "body": body,
                    }),
                    LinkDest::File(_) | LinkDest::Unlinked => return splice(out, body),
                    LinkDest::External(_) | LinkDest::Internal { .. } => {
                        self.out.diags.push(Diagnostic::warning(
                            link.span,
                            "the PDF edition cannot link to this address; the link text is kept",
                        ));
                        return splice(out, body);
                    }
                }
            }
            Inline::Image { src, alt, span } => {
                let path = self.picture(Origin::Asset(src.clone()), *span);
                let alt = self.alt(alt, "", *span);
                json!({ "kind": "image", "path": path, "alt": alt })
            }
            Inline::Ref(reference) => match &reference.target {
                Some(target) => json!({
                    "kind": "ref",
                    "text": target.text,
                    "target": label(self.book, target.chapter, Some(&target.anchor)),
                    "page": self.settings.page_refs,
                }),
                None => return push_text(out, &format!("@{}", reference.label)),
            },
            Inline::FootnoteRef { number: Some(number), .. } => self.footnote(*number),
            Inline::FootnoteRef { number: None, name, .. } => return push_text(out, &format!("[^{name}]")),
        };
        out.push(node);
    }

    /// A footnote at its first reference; a reference back to it after that.
    fn footnote(&mut self, number: usize) -> Value {
        let book = self.book;
        let label = label(book, self.chapter, Some(&format!("fn-{number}")));
        let note = book.chapters[self.chapter].footnotes.iter().find(|note| note.number == number);
        match note {
            Some(note) if self.notes_seen.insert(number) => {
                let was_in_note = std::mem::replace(&mut self.in_note, true);
                let body = self.blocks(&note.blocks);
                self.in_note = was_in_note;
                json!({ "kind": "footnote", "label": label, "body": body })
            }
            Some(_) if !self.in_note => {
                json!({ "kind": "footnote", "target": label, "number": number })
            }
            _ => json!({ "kind": "footnote", "number": number }),
        }
    }
}

/// How many characters of table text fit across the default template's text column on a page
/// `page_width` points wide, besides the cell insets of `columns` columns.
fn table_line(page_width: f64, columns: usize) -> usize {
    // Text 10pt on small pages and 11pt on others, tables at 90%, 0.43em a character.
    let (text_width, size) = if page_width < 500.0 { (page_width - 104.0, 10.0) } else { (page_width * 0.69, 11.0) };
    let chars = (text_width - 10.0 * columns as f64) / (0.39 * size);
    chars.max(1.0) as usize
}

/// Relative column widths for a table too wide to keep its natural width, else `None`.
///
/// Every column gets room for its longest word, and the rest of a line is shared in proportion
/// to how much more each column's longest cell wants (like LaTeX's tabularx).
/// A table whose longest words do not fit side by side is `dense`: set smaller, with hyphens.
fn column_widths(table: &Table, columns: usize, line: usize) -> (Option<Vec<usize>>, bool) {
    let cells = |i: usize| {
        std::iter::once(&table.head).chain(&table.rows).filter_map(move |row| row.get(i)).map(|cell| plain_text(cell))
    };
    let (least, wanted): (Vec<usize>, Vec<usize>) = (0..columns)
        .map(|i| {
            let word =
                cells(i).flat_map(|text| text.split_whitespace().map(|w| w.chars().count()).max()).max().unwrap_or(0);
            let longest = cells(i).map(|text| text.chars().count()).max().unwrap_or(0);
            let least = word + word / 8 + 1;
            (least, longest.clamp(least, 40 + least))
        })
        .unzip();
    if wanted.iter().sum::<usize>() <= line {
        return (None, false);
    }
    let dense = least.iter().sum::<usize>() > line;
    let spare = line.saturating_sub(least.iter().sum());
    let extra: usize = wanted.iter().zip(&least).map(|(w, l)| w - l).sum();
    // Two characters stand for the cell insets, which the fractions also cover.
    let widths = least.iter().zip(&wanted).map(|(l, w)| 2 + l + (w - l) * spare / extra.max(1)).collect();
    (Some(widths), dense)
}

/// Appends text, merging it with the text before it.
fn push_text(out: &mut Vec<Value>, text: &str) {
    if text.is_empty() {
        return;
    }
    let text = one_line(text);
    if let Some(Value::String(last)) = out.last_mut() {
        last.push_str(&text);
    } else {
        out.push(Value::String(text));
    }
}

/// Appends already emitted inlines.
fn splice(out: &mut Vec<Value>, values: Vec<Value>) {
    for value in values {
        match value {
            Value::String(text) => push_text(out, &text),
            other => out.push(other),
        }
    }
}

/// Text on one line: line breaks in running text are spaces.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
}

/// The text of some blocks, for content nested too deeply to keep its structure.
fn plain_blocks(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for block in blocks {
        match block {
            Block::Heading(h) => parts.push(plain_text(&h.content)),
            Block::Paragraph(c) => parts.push(plain_text(c)),
            Block::Figure(f) => parts.push(plain_text(&f.caption.content)),
            Block::Code(c) => parts.push(c.code.clone()),
            Block::Table(t) => parts.extend(t.head.iter().chain(t.rows.iter().flatten()).map(|c| plain_text(c))),
            Block::List(l) => parts.extend(l.items.iter().map(|i| plain_blocks(&i.blocks))),
            Block::Quote(inner) | Block::Alert(_, inner) => parts.push(plain_blocks(inner)),
            Block::Rule => {}
            Block::Html(html, _) => parts.push(html_text(html)),
        }
    }
    one_line(&parts.join(" "))
}

/// The text of raw HTML: tags dropped, the five XML entities and character references decoded.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    text.push_str(rest);
    crate::markdown::decode_entities(&text)
}

/// The span of a block: its own, or the first one found inside it.
fn block_span(block: &Block) -> Option<Span> {
    match block {
        Block::Heading(h) => Some(h.span),
        Block::Figure(f) => Some(f.span),
        Block::Code(c) => Some(c.span),
        Block::Table(t) => Some(t.span),
        Block::Paragraph(content) => inline_span(content),
        Block::List(list) => list.items.iter().find_map(|item| item.blocks.iter().find_map(block_span)),
        Block::Quote(inner) | Block::Alert(_, inner) => inner.iter().find_map(block_span),
        Block::Rule | Block::Html(..) => None,
    }
}

fn inline_span(inlines: &[Inline]) -> Option<Span> {
    inlines.iter().find_map(|inline| match inline {
        Inline::Link(link) => Some(link.span),
        Inline::Image { span, .. } | Inline::FootnoteRef { span, .. } => Some(*span),
        Inline::Ref(r) => Some(r.span),
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inline_span(c),
        _ => None,
    })
}

/// CSS pixels to points.
const PT_PER_PX: f64 = 0.75;

/// The `width` and `height` (in CSS pixels) on an SVG's root element.
fn svg_size(svg: &str) -> Option<(f64, f64)> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let attribute = |name: &str| -> Option<f64> {
        let start = root.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &root[start..];
        value[..value.find('"')?].trim_end_matches("px").parse().ok().filter(|v: &f64| v.is_finite() && *v > 0.0)
    };
    Some((attribute("width")?, attribute("height")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostics, Severity};
    use crate::load::Loaded;

    const SETTINGS: Settings = Settings {
        page: (595.0, 842.0),
        page_refs: false,
        require_alt: false,
        date: BuildDate::from_unix(1_767_312_000),
    };

    /// Loads and resolves a one-chapter book whose chapter is `markdown`.
    fn book(markdown: &str) -> (Loaded, Book) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ch")).unwrap();
        std::fs::write(
            dir.path().join("book.toml"),
            "[book]\ntitle = \"T\"\nlanguage = \"en-GB\"\n[[contents.part]]\ntitle = \"P\"\nfiles = [\"ch/one.md\"]\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("ch/one.md"), markdown).unwrap();
        image::GrayImage::new(1, 1).save(dir.path().join("ch/a.png")).unwrap();
        let mut diags = Diagnostics::default();
        let (loaded, book) = crate::build::check(dir.path(), &mut diags).unwrap().unwrap();
        assert!(!diags.has_errors(), "{diags:?}");
        (loaded, book)
    }

    const CHAPTER: &str = "# One {#ch-one}

Text with \"quotes\" and #panic(\"x\"), see @tbl-x and [the top](#ch-one).[^n]
Second line.

## Section {#sec-x}

| a | b |
|---|--:|
| 1 |
| 2 | 3 | 4 |

Table: Caption {#tbl-x}

```rust {#lst-x caption=\"Code\"}
fn main() {}
```

![Alt](a.png){#fig-x}

[^n]: Note *here*.
";

    #[test]
    fn svg_sizes_come_from_the_root_element() {
        assert_eq!(
            svg_size("<svg xmlns=\"x\" width=\"354\" height=\"541.5\" viewBox=\"0 0 1 1\"><g/></svg>"),
            Some((354.0, 541.5))
        );
        assert_eq!(svg_size("<svg viewBox=\"0 0 1 1\"></svg>"), None);
    }

    #[test]
    fn chapters_carry_numbers_labels_and_parts() {
        let (_, book) = book(CHAPTER);
        let data = emit(&book, &SETTINGS).data;
        let chapter = &data["chapters"][0];
        assert_eq!(chapter["kind"], "chapter");
        assert_eq!(chapter["part"], 0);
        assert_eq!(chapter["number"], "Chapter 1");
        assert_eq!(chapter["label"], "one#ch-one");
        assert_eq!(chapter["title"], json!(["One"]));
        assert_eq!(data["parts"], json!([{ "title": "P", "label": "part-1" }]));
        assert_eq!(data["lists"], json!([]));
        assert_eq!(data["meta"]["lang"], "en");
        assert_eq!(data["meta"]["region"], "GB");
        assert_eq!(data["meta"]["date"], json!({ "year": 2026, "month": 1, "day": 2 }));
    }

    #[test]
    fn every_node_kind_has_its_shape() {
        let (_, book) = book(CHAPTER);
        let data = emit(&book, &SETTINGS).data;
        let blocks = data["chapters"][0]["blocks"].as_array().unwrap();
        let body = blocks[0]["body"].as_array().unwrap();
        assert_eq!(body[0], "Text with \u{201c}quotes\u{201d} and #panic(\u{201c}x\u{201d}), see ");
        assert_eq!(body[1], json!({ "kind": "ref", "text": "Table 1.1", "target": "one#tbl-x", "page": false }));
        assert_eq!(body[3]["target"], "one#ch-one");
        assert_eq!(body[5]["kind"], "footnote");
        assert_eq!(body[5]["label"], "one#fn-1");
        assert_eq!(body[5]["body"][0]["body"][1]["kind"], "emph");
        assert_eq!(body[6], " Second line.", "soft breaks are spaces, merged with text");
        assert_eq!(
            blocks[1],
            json!({ "kind": "heading", "level": 2, "number": "1.1", "label": "one#sec-x", "body": ["Section"] })
        );
        let table = &blocks[2];
        assert_eq!(table["align"], json!(["left", "right"]));
        assert_eq!(table["rows"][0], json!([["1"], []]), "short rows are padded");
        assert_eq!(table["rows"][1], json!([["2"], ["3"]]), "long rows are cut");
        assert_eq!(table["number"], "Table 1.1");
        assert_eq!(table["caption"], json!(["Caption"]));
        let code = &blocks[3];
        assert_eq!(code["lang"], "rust");
        assert_eq!(code["text"], "fn main() {}\n");
        assert_eq!(code["number"], "Listing 1.1");
        let figure = &blocks[4];
        assert_eq!(figure["image"], json!({ "path": "/assets/ch/a.png", "alt": "Alt" }));
        assert_eq!(figure["label"], "one#fig-x");
    }

    #[test]
    fn the_span_map_points_at_each_block() {
        let (loaded, book) = book(CHAPTER);
        let emitted = emit(&book, &SETTINGS);
        let places: Vec<_> = emitted.spans[0].iter().map(|span| loaded.sources.locate(*span)).collect();
        assert_eq!(
            places,
            ["ch/one.md:1:1", "ch/one.md:3:41", "ch/one.md:6:1", "ch/one.md:8:1", "ch/one.md:15:1", "ch/one.md:19:1",]
        );
        assert_eq!(emitted.pictures.len(), 1);
        assert_eq!(emitted.pictures[0].path, "assets/ch/a.png");
        assert_eq!(emitted.pictures[0].origin, Origin::Asset("ch/a.png".into()));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let (_, book) = book(&format!("# Deep\n\n{} deep text\n", "> ".repeat(40)));
        let data = emit(&book, &SETTINGS).data;
        fn depth(value: &Value) -> usize {
            match value {
                Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
                Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        assert!(depth(&data["chapters"]) < 3 * MAX_DEPTH, "{}", depth(&data["chapters"]));
        assert!(data.to_string().contains("deep text"));
    }

    #[test]
    fn pdf_ua_needs_alternative_text() {
        let (_, book) = book("# One\n\n![](a.png)\n");
        let settings = Settings { require_alt: true, ..SETTINGS };
        let emitted = emit(&book, &settings);
        assert_eq!(emitted.diags.len(), 1);
        assert_eq!(emitted.diags[0].severity, Severity::Error);
    }

    #[test]
    fn wide_tables_share_the_line_and_crowded_ones_are_dense() {
        let table = |cells: &[&str]| Table {
            align: Vec::new(),
            head: cells.iter().map(|c| vec![Inline::Text(c.to_string())]).collect(),
            rows: Vec::new(),
            caption: Caption::default(),
            span: Span::new(crate::source::SourceMap::default().add(crate::source::Source::new("a", "")), 0..0),
        };
        assert_eq!(column_widths(&table(&["a", "b"]), 2, 80), (None, false));
        let long = "word ".repeat(20);
        let (widths, dense) = column_widths(&table(&["Tier", &long]), 2, 40);
        let widths = widths.unwrap();
        assert!(!dense);
        assert!(widths[0] >= 2 + 5 && widths[1] > 3 * widths[0], "{widths:?}");
        let crowded = ["Independent"; 8];
        assert!(column_widths(&table(&crowded), 8, 60).1);
        assert!(table_line(432.0, 6) < table_line(595.0, 6));
    }

    #[test]
    fn raw_html_keeps_only_its_text() {
        assert_eq!(html_text("<kbd>Ctrl</kbd> &amp; &#x41;&#66; &bogus; <br/>"), "Ctrl & AB &bogus; ");
        assert_eq!(html_text("a < b"), "a ");
    }
}
