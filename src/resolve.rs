//! Resolution, once, before any edition runs: output names, titles, numbers, anchors, labels,
//! references, links, footnotes and assets (diagram files among the images are read here and
//! become diagrams; `diagram::draw` draws them next).
//!
//! Renderers never number anything: "Figure 3.2" is computed here and read by all three
//! editions. Content problems are recorded as diagnostics and the pass keeps going.

use crate::diag::{Diagnostic, Diagnostics};
use crate::diagram::Engine;
use crate::doc::{
    Block, Book, Caption, Chapter, ChapterKind, Figure, FigureBody, Heading, Inline, ItemKind, LinkDest, Part, RawHref,
    Target, plain_text, visit_block_inlines_mut, visit_blocks_mut, visit_chapter_inlines_mut,
};
use crate::load::{self, Loaded};
use crate::manifest::{FileEntry, PartKind};
use crate::markdown::{self, ParsedFile};
use crate::memo::Memo;
use crate::picture;
use crate::root::{BookRoot, parent_of};
use crate::source::{SourceId, Span};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Output stems that generated pages use.
const RESERVED_STEMS: [&str; 8] = ["index", "print", "404", "nav", "cover", "figures", "tables", "toc"];

/// Parses every loaded file and resolves the book.
pub fn resolve(loaded: &Loaded, diags: &mut Diagnostics) -> Book {
    let manifest = &loaded.manifest;
    let mut chapters = Vec::new();
    let mut parts = Vec::new();
    let mut stems = HashSet::new();
    let mut parsed = parse_all(loaded, diags);
    let mut add = |chapters: &mut Vec<Chapter>, entry: &FileEntry, kind, number, diags: &mut Diagnostics| {
        let files = Files { loaded, parsed: &mut parsed };
        chapters.extend(build_chapter(files, entry, kind, number, &mut stems, diags));
    };
    for entry in &manifest.front {
        add(&mut chapters, entry, ChapterKind::Front, None, diags);
    }
    let (mut chapter_count, mut case_count) = (0, 0);
    for (index, part) in manifest.parts.iter().enumerate() {
        let first = chapters.len();
        for entry in &part.files {
            let (kind, number) = match part.kind {
                PartKind::Chapter => (ChapterKind::Chapter, next(&mut chapter_count)),
                PartKind::CaseStudy => (ChapterKind::CaseStudy, next(&mut case_count)),
            };
            add(&mut chapters, entry, kind, Some(number), diags);
        }
        parts.push(Part {
            title: part.title.clone(),
            kind: part.kind,
            chapters: first..chapters.len(),
            anchor: format!("part-{}", index + 1),
        });
    }
    for entry in &manifest.back {
        add(&mut chapters, entry, ChapterKind::Back, None, diags);
    }
    let mut book = Book {
        meta: manifest.meta.clone(),
        chapters,
        parts,
        targets: BTreeMap::new(),
        assets: Vec::new(),
        lists: manifest.lists.clone(),
        stylesheets: manifest.stylesheets.iter().map(|entry| entry.path.clone()).collect(),
        linked_files: Vec::new(),
    };
    let anchors = number_and_label(&mut book, diags);
    let folders = source_folders(loaded);
    let by_path = by_path(loaded, &anchors);
    let links = Links { by_path: &by_path, anchors: &anchors, root: &manifest.root, lenient: manifest.lenient };
    book.linked_files = resolve_references(&mut book, &links, &folders, diags);
    book.assets = resolve_assets(&mut book, &manifest.root, &folders, manifest.lenient, diags);
    if let Some(cover) = &book.meta.cover
        && let Err(problem) = picture::check(&manifest.root, &cover.path)
    {
        diags.push(Diagnostic::error(cover.span, format!("cover: {problem}")));
    }
    if let Some(cover) = &book.meta.cover
        && !book.assets.contains(&cover.path)
    {
        book.assets.push(cover.path.clone());
    }
    book
}

fn next(counter: &mut u32) -> u32 {
    *counter += 1;
    *counter
}

/// The loaded book and its files, parsed, each taken once by the chapter it belongs to.
struct Files<'a> {
    loaded: &'a Loaded,
    parsed: &'a mut HashMap<SourceId, ParsedFile>,
}

fn build_chapter(
    mut files: Files,
    entry: &FileEntry,
    kind: ChapterKind,
    number: Option<u32>,
    stems: &mut HashSet<String>,
    diags: &mut Diagnostics,
) -> Option<Chapter> {
    let mut chapter = parse_file(&mut files, entry, diags)?;
    chapter.stem = unique_stem(&entry.path, stems);
    chapter.kind = kind;
    chapter.number = number;
    for section in &entry.sections {
        merge_section(&mut chapter, &mut files, section, 1, diags);
    }
    rank_headings(&mut chapter, diags);
    if files.loaded.manifest.mdbook {
        visit_blocks_mut(&mut chapter.blocks, &mut mdbook_code);
    }
    Some(chapter)
}

/// A parse: the text it was made from, the file and what it reported.
type Parse = (String, ParsedFile, Vec<Diagnostic>);

/// The files parsed by the last build of this process, by source.
static PARSES: Memo<Arc<Parse>> = Memo::new();

/// Every file of the book parsed, in parallel; a file the last build of this process parsed
/// with the same text is reused. Diagnostics are recorded in reading order.
fn parse_all(loaded: &Loaded, diags: &mut Diagnostics) -> HashMap<SourceId, ParsedFile> {
    let mut ids: Vec<SourceId> = loaded.files.values().copied().collect();
    ids.sort();
    let last = PARSES.last();
    let parses_now: Vec<(SourceId, Arc<Parse>)> = ids
        .par_iter()
        .map(|&id| {
            let text = loaded.sources.get(id).text();
            let parse = match last.get(&format!("{id:?}")) {
                Some(parse) if parse.0 == text => Arc::clone(parse),
                _ => {
                    let mut reported = Diagnostics::default();
                    let parsed = markdown::parse(id, text, &mut reported);
                    Arc::new((text.to_string(), parsed, reported.iter().cloned().collect()))
                }
            };
            (id, parse)
        })
        .collect();
    let mut parsed = HashMap::new();
    let mut kept = HashMap::new();
    for (id, parse) in parses_now {
        diags.extend(parse.2.iter().cloned());
        parsed.insert(id, parse.1.clone());
        kept.insert(format!("{id:?}"), parse);
    }
    PARSES.keep(kept);
    parsed
}

/// The file of `entry`, parsed, as an unnumbered chapter.
fn parse_file(files: &mut Files, entry: &FileEntry, diags: &mut Diagnostics) -> Option<Chapter> {
    let loaded = files.loaded;
    let id = *loaded.files.get(&entry.path)?;
    let ParsedFile { title, blocks, footnotes } = files.parsed.remove(&id)?;
    let title = title.unwrap_or_else(|| {
        let span = Span::new(id, 0..0);
        let text = entry.title.clone().unwrap_or_else(|| {
            diags.push(
                Diagnostic::warning(span, "the file has no level-1 heading; its title is taken from its file name")
                    .with_help("start the file with `# Title`"),
            );
            title_from_path(&entry.path)
        });
        Heading { level: 1, content: vec![Inline::Text(text)], label: None, anchor: String::new(), number: None, span }
    });
    Some(Chapter {
        source: id,
        path: entry.path.clone(),
        stem: String::new(),
        kind: ChapterKind::Front,
        number: None,
        title,
        blocks,
        footnotes,
        page_title: loaded.page_titles.get(&entry.path).cloned(),
    })
}

/// Appends the file of `entry` to `chapter` as a section `depth` levels below its title (an
/// mdBook's nested chapter): its title becomes a heading, its headings move down as far, and
/// footnote names it shares with the chapter are renamed.
fn merge_section(chapter: &mut Chapter, files: &mut Files, entry: &FileEntry, depth: u8, diags: &mut Diagnostics) {
    let Some(mut section) = parse_file(files, entry, diags) else {
        return;
    };
    let taken: HashSet<String> = chapter.footnotes.iter().map(|f| f.name.clone()).collect();
    let renamed: HashMap<String, String> = section
        .footnotes
        .iter()
        .filter(|f| taken.contains(&f.name))
        .map(|f| (f.name.clone(), format!("{}~{}", f.name, entry.path)))
        .collect();
    if !renamed.is_empty() {
        visit_chapter_inlines_mut(&mut section, &mut |inline| {
            if let Inline::FootnoteRef { name, .. } = inline
                && let Some(new) = renamed.get(name)
            {
                name.clone_from(new);
            }
        });
        for footnote in &mut section.footnotes {
            if let Some(new) = renamed.get(&footnote.name) {
                footnote.name.clone_from(new);
            }
        }
    }
    section.title.level = (1 + depth).min(6);
    visit_blocks_mut(&mut section.blocks, &mut |block| {
        if let Block::Heading(heading) = block {
            heading.level = (heading.level + depth).min(6);
        }
    });
    chapter.blocks.push(Block::Heading(section.title));
    chapter.blocks.append(&mut section.blocks);
    chapter.footnotes.append(&mut section.footnotes);
    for nested in &entry.sections {
        merge_section(chapter, files, nested, depth + 1, diags);
    }
}

/// Gives every heading its rank: one level below the nearest heading before it of a lower
/// level, so that no edition skips a level (`##` then `######` renders as h2 then h3, and a
/// nested chapter's headings follow its title). A skip written in one file is a warning.
fn rank_headings(chapter: &mut Chapter, diags: &mut Diagnostics) {
    let mut open: Vec<u8> = Vec::new();
    let mut last_in_file: HashMap<SourceId, u8> = HashMap::from([(chapter.title.span.source, chapter.title.level)]);
    visit_blocks_mut(&mut chapter.blocks, &mut |block| {
        let Block::Heading(heading) = block else {
            return;
        };
        let written = heading.level;
        if let Some(before) = last_in_file.insert(heading.span.source, written)
            && written > before + 1
        {
            diags.push(
                Diagnostic::warning(
                    heading.span,
                    format!("the heading skips from level `{before}` to level `{written}`"),
                )
                .with_help("the editions show it one level below the heading before it"),
            );
        }
        while open.last().is_some_and(|&level| level >= written) {
            open.pop();
        }
        open.push(written);
        heading.level = u8::try_from(open.len() + 1).unwrap_or(6).min(6);
    });
}

/// mdBook's code blocks: `rust,ignore` is Rust, and Rust's hidden lines (`# `) are left out.
fn mdbook_code(block: &mut Block) {
    let Block::Code(code) = block else {
        return;
    };
    if let Some(lang) = &mut code.lang
        && let Some((first, _)) = lang.split_once(',')
    {
        *lang = first.trim().to_string();
    }
    if code.lang.as_deref() == Some("rust") {
        code.code = without_hidden_lines(&code.code);
    }
}

/// Rust listing text without rustdoc's hidden lines (`# ` or a lone `#`); `##` writes `#`.
fn without_hidden_lines(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        if rest.starts_with("# ") || rest.trim_end() == "#" {
            continue;
        }
        match rest.strip_prefix("##") {
            Some(after) => {
                out.push_str(&line[..indent]);
                out.push('#');
                out.push_str(after);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// "chapters/01-getting-started.md" → "Getting started".
fn title_from_path(path: &str) -> String {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md");
    let words = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_').replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

fn unique_stem(path: &str, stems: &mut HashSet<String>) -> String {
    let file = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md");
    let base = crate::manifest::slugify(file);
    let mut stem = base.clone();
    let mut n = 1;
    while RESERVED_STEMS.contains(&stem.as_str()) || !stems.insert(stem.clone()) {
        n += 1;
        stem = format!("{base}-{n}");
    }
    stem
}

/// The anchors of the book, for checking `file.md#fragment` links.
#[derive(Default)]
struct Anchors {
    /// Every anchor of each chapter.
    chapters: Vec<HashSet<String>>,
    /// The headings of each source file, which may be a section of a chapter.
    files: HashMap<SourceId, FileAnchors>,
}

/// The headings that one source file contributes to its chapter.
struct FileAnchors {
    /// The chapter the file belongs to.
    chapter: usize,
    /// The anchor of the file's title, when the file is a section of another's chapter.
    top: Option<String>,
    /// The ids mdBook would give the file's headings on a page of their own → their anchors.
    ids: HashMap<String, String>,
    /// How often each heading slug has come up in the file.
    slugs: HashMap<String, usize>,
}

impl FileAnchors {
    /// Records a heading with the text slug `slug` (and `label`, if any) placed at `anchor`.
    fn heading(&mut self, slug: String, label: Option<&str>, anchor: &str) {
        let seen = self.slugs.entry(slug.clone()).or_insert(0);
        let id = if *seen == 0 { slug } else { format!("{slug}-{seen}") };
        *seen += 1;
        self.ids.entry(id).or_insert_with(|| anchor.to_string());
        if let Some(label) = label {
            self.ids.entry(label.to_string()).or_insert_with(|| anchor.to_string());
        }
    }
}

fn number_and_label(book: &mut Book, diags: &mut Diagnostics) -> Anchors {
    let mut labels = Labels { targets: BTreeMap::new(), diags };
    let mut anchors = Anchors::default();
    for (index, chapter) in book.chapters.iter_mut().enumerate() {
        let mut numberer = Numberer::new(chapter, index);
        numberer.title(&mut chapter.title, &mut labels);
        visit_blocks_mut(&mut chapter.blocks, &mut |block| numberer.block(block, &mut labels));
        for footnote in &mut chapter.footnotes {
            visit_blocks_mut(&mut footnote.blocks, &mut |block| numberer.block(block, &mut labels));
        }
        anchors.chapters.push(numberer.anchors);
        anchors.files.extend(numberer.files);
    }
    book.targets = labels.targets;
    anchors
}

struct Labels<'a> {
    targets: BTreeMap<String, Target>,
    diags: &'a mut Diagnostics,
}

impl Labels<'_> {
    fn define(&mut self, label: &str, target: Target) {
        if let Some(first) = self.targets.get(label) {
            self.diags.push(
                Diagnostic::error(target.span, format!("label `{label}` is defined twice"))
                    .with_note(first.span, format!("`{label}` is first defined here")),
            );
            return;
        }
        self.targets.insert(label.to_string(), target);
    }

    /// Checks that `label` has the prefix its element needs.
    fn check_prefix(&mut self, label: &str, allowed: &[&str], what: &str, span: Span) -> bool {
        let ok = label.split_once('-').is_some_and(|(prefix, name)| allowed.contains(&prefix) && !name.is_empty());
        if !ok {
            let wanted: Vec<String> = allowed.iter().map(|p| format!("`{p}-`")).collect();
            self.diags.push(
                Diagnostic::error(span, format!("label `{label}` on {what} has an unknown prefix"))
                    .with_help(format!("labels on {what} start with {}", wanted.join(" or "))),
            );
        }
        ok
    }
}

/// Numbers the headings and captioned items of one chapter.
struct Numberer {
    chapter: usize,
    prefix: Option<String>,
    sections: [u32; 2],
    items: HashMap<&'static str, u32>,
    anchors: HashSet<String>,
    unlabelled: u32,
    title_kind: ChapterKind,
    files: HashMap<SourceId, FileAnchors>,
}

impl Numberer {
    fn new(chapter: &Chapter, index: usize) -> Self {
        let prefix = chapter.number.map(|n| match chapter.kind {
            ChapterKind::CaseStudy => format!("C{n}"),
            _ => n.to_string(),
        });
        Numberer {
            chapter: index,
            prefix,
            sections: [0; 2],
            items: HashMap::new(),
            anchors: HashSet::new(),
            unlabelled: 0,
            title_kind: chapter.kind,
            files: HashMap::new(),
        }
    }

    fn title(&mut self, heading: &mut Heading, labels: &mut Labels) {
        let display = self.title_display(heading);
        let wanted: &[&str] = if self.title_kind == ChapterKind::CaseStudy { &["cs"] } else { &["ch"] };
        let what = if self.title_kind == ChapterKind::CaseStudy { "a case study's title" } else { "a chapter's title" };
        self.label_heading(heading, display, wanted, what, labels);
    }

    fn title_display(&self, heading: &Heading) -> String {
        match (&self.prefix, self.title_kind) {
            (Some(n), ChapterKind::CaseStudy) => {
                format!("Case Study {}", n.trim_start_matches('C'))
            }
            (Some(n), _) => format!("Chapter {n}"),
            (None, _) => plain_text(&heading.content),
        }
    }

    fn block(&mut self, block: &mut Block, labels: &mut Labels) {
        match block {
            Block::Heading(heading) => self.heading(heading, labels),
            Block::Figure(figure) => self.caption(&mut figure.caption, ItemKind::Figure, figure.span, labels),
            Block::Table(table) => self.caption(&mut table.caption, ItemKind::Table, table.span, labels),
            Block::Code(code) if code.caption.label.is_some() || !code.caption.content.is_empty() => {
                self.caption(&mut code.caption, ItemKind::Listing, code.span, labels);
            }
            Block::Html(html, span) => self.raw_ids(html, *span, labels.diags),
            _ => {}
        }
        visit_block_inlines_mut(block, &mut |inline| {
            if let Inline::Html(html, span) = inline {
                self.raw_ids(html, *span, labels.diags);
            }
        });
    }

    /// Claims the ids of raw HTML as anchors of the page; an id the page has already is
    /// renamed, with a warning.
    fn raw_ids(&mut self, html: &mut String, span: Span, diags: &mut Diagnostics) {
        if !html.contains(" id=\"") {
            return;
        }
        let mut twice = Vec::new();
        *html = markdown::rename_raw_ids(html, false, &mut |id| {
            let claimed = self.claim(id);
            if claimed != id {
                twice.push((id.to_string(), claimed.clone()));
            }
            claimed
        });
        for (id, claimed) in twice {
            diags.push(duplicate_id(span, &id, &claimed));
        }
    }

    fn heading(&mut self, heading: &mut Heading, labels: &mut Labels) {
        heading.number = match (heading.level, &self.prefix) {
            (2, Some(p)) => {
                self.sections = [self.sections[0] + 1, 0];
                Some(format!("{p}.{}", self.sections[0]))
            }
            (3, Some(p)) => {
                self.sections[1] += 1;
                Some(format!("{p}.{}.{}", self.sections[0], self.sections[1]))
            }
            _ => None,
        };
        let display = match &heading.number {
            Some(number) => format!("Section {number}"),
            None => plain_text(&heading.content),
        };
        let allowed: &[&str] = if heading.level == 1 { &["ch", "cs", "sec"] } else { &["sec"] };
        self.label_heading(heading, display, allowed, "a heading", labels);
    }

    fn label_heading(
        &mut self,
        heading: &mut Heading,
        display: String,
        allowed: &[&str],
        what: &str,
        labels: &mut Labels,
    ) {
        if let Some(id) = heading.label.take_if(|label| !markdown::has_known_prefix(label)) {
            heading.anchor = self.claim(&id);
            if heading.anchor != id {
                labels.diags.push(duplicate_id(heading.span, &id, &heading.anchor));
            }
            self.record_heading(heading, Some(&id));
            return;
        }
        let label = heading.label.clone().filter(|label| labels.check_prefix(label, allowed, what, heading.span));
        heading.anchor = match label {
            Some(label) => {
                let anchor = self.claim(&label);
                labels.define(
                    &label,
                    Target { chapter: self.chapter, anchor: anchor.clone(), text: display, span: heading.span },
                );
                anchor
            }
            None => self.claim(&slug(&plain_text(&heading.content))),
        };
        let label = heading.label.clone();
        self.record_heading(heading, label.as_deref());
    }

    /// Notes `heading` among the headings of its source file.
    fn record_heading(&mut self, heading: &Heading, label: Option<&str>) {
        let chapter = self.chapter;
        let file = self.files.entry(heading.span.source).or_insert_with(|| FileAnchors {
            chapter,
            top: (heading.level > 1).then(|| heading.anchor.clone()),
            ids: HashMap::new(),
            slugs: HashMap::new(),
        });
        file.heading(slug(&plain_text(&heading.content)), label, &heading.anchor);
    }

    fn caption(&mut self, caption: &mut Caption, kind: ItemKind, span: Span, labels: &mut Labels) {
        let prefix = match kind {
            ItemKind::Figure => "fig",
            ItemKind::Table => "tbl",
            ItemKind::Listing => "lst",
        };
        let what = format!("a {}", kind.word().to_lowercase());
        let label = caption.label.clone().filter(|label| labels.check_prefix(label, &[prefix], &what, span));
        let Some(label) = label else {
            self.unlabelled += 1;
            caption.anchor = self.claim(&format!("{prefix}-{}", self.unlabelled));
            return;
        };
        if let Some(p) = &self.prefix {
            let count = self.items.entry(prefix).or_insert(0);
            *count += 1;
            caption.number = Some(format!("{} {p}.{count}", kind.word()));
        }
        caption.anchor = self.claim(&label);
        let text = match &caption.number {
            Some(number) => number.clone(),
            None if caption.content.is_empty() => label.clone(),
            None => plain_text(&caption.content),
        };
        labels.define(&label, Target { chapter: self.chapter, anchor: caption.anchor.clone(), text, span });
    }

    /// Reserves `wanted` as an anchor of this chapter, suffixing it if it is taken.
    fn claim(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "section" } else { wanted };
        let mut anchor = base.to_string();
        let mut n = 1;
        while !self.anchors.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        anchor
    }
}

fn duplicate_id(span: Span, id: &str, claimed: &str) -> Diagnostic {
    Diagnostic::warning(span, format!("the id `{id}` is used twice on this page; this one becomes `{claimed}`"))
        .with_help("give each element its own id")
}

/// An mdBook-style id: lowercase, spaces to dashes, only letters, digits, `-` and `_` kept.
pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c.to_lowercase().next().unwrap_or(c)),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

/// The folder of each source file, root-relative: links and images are relative to it.
fn source_folders(loaded: &Loaded) -> HashMap<SourceId, String> {
    loaded.files.iter().map(|(path, id)| (*id, parent_of(path).to_string())).collect()
}

/// Root-relative path of each file of the book → its source, whether it is a chapter or a
/// section of one.
fn by_path(loaded: &Loaded, anchors: &Anchors) -> HashMap<String, SourceId> {
    loaded.files.iter().filter(|(_, id)| anchors.files.contains_key(id)).map(|(path, id)| (path.clone(), *id)).collect()
}

/// Resolves every reference and link of the book; returns the files that links lead to and
/// that are no pages, for the HTML edition to copy.
fn resolve_references(
    book: &mut Book,
    links: &Links,
    folders: &HashMap<SourceId, String>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let targets = &book.targets;
    let mut linked_files = BTreeSet::new();
    let mut raw_files = BTreeSet::new();
    for (index, chapter) in book.chapters.iter_mut().enumerate() {
        number_footnotes(chapter, diags);
        let page = &links.anchors.chapters[index];
        let mut relink = |html: &mut String, span: Span, diags: &mut Diagnostics| {
            let dir = folders.get(&span.source).map_or("", String::as_str);
            let from = LinkSource { source: span.source, dir, span };
            links.relink_raw(html, &from, page, targets, &mut raw_files, diags);
        };
        for blocks in std::iter::once(&mut chapter.blocks).chain(chapter.footnotes.iter_mut().map(|f| &mut f.blocks)) {
            visit_blocks_mut(blocks, &mut |block| {
                if let Block::Html(html, span) = block {
                    relink(html, *span, diags);
                }
            });
        }
        visit_chapter_inlines_mut(chapter, &mut |inline| match inline {
            Inline::Html(html, span) => relink(html, *span, diags),
            Inline::Ref(reference) => match targets.get(&reference.label) {
                Some(target) => reference.target = Some(target.clone()),
                None => diags.push(unknown_label(&reference.label, reference.span, targets)),
            },
            Inline::Link(link) => {
                let LinkDest::Internal { file, fragment } = &link.dest else {
                    return;
                };
                let dir = folders.get(&link.span.source).map_or("", String::as_str);
                let from = LinkSource { source: link.span.source, dir, span: link.span };
                let (dest, problem) = links.resolve(&from, file.as_deref(), fragment.as_deref(), targets);
                if let LinkDest::File(path) = &dest {
                    linked_files.insert(path.clone());
                }
                link.dest = dest;
                diags.extend(problem);
            }
            _ => {}
        });
    }
    linked_files.append(&mut raw_files);
    linked_files.into_iter().collect()
}

fn unknown_label(label: &str, span: Span, targets: &BTreeMap<String, Target>) -> Diagnostic {
    let diagnostic = Diagnostic::error(span, format!("unknown label `{label}`"));
    let closest = targets.keys().map(|known| (edit_distance(label, known), known)).min();
    match closest {
        Some((distance, known)) if distance <= 3 => diagnostic.with_help(format!("did you mean `@{known}`?")),
        _ => diagnostic.with_help("write `\\@` for a literal at-sign"),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The file a link is written in: its source and folder, and the link's place.
struct LinkSource<'a> {
    source: SourceId,
    dir: &'a str,
    span: Span,
}

/// What links are resolved against.
struct Links<'a> {
    /// Root-relative path of each file of the book → its source.
    by_path: &'a HashMap<String, SourceId>,
    anchors: &'a Anchors,
    root: &'a BookRoot,
    /// An mdBook as it is: a link mdBook would write broken is a warning, not an error.
    lenient: bool,
}

/// Where a link leads, and the problem with it, if any.
type LinkOutcome = (LinkDest, Option<Diagnostic>);

impl Links<'_> {
    /// Resolves a relative link: to a page of the book (written as its `.md` or its `.html`),
    /// to a file of the book's folder, or to nothing, keeping the text.
    fn resolve(
        &self,
        from: &LinkSource,
        file: Option<&str>,
        fragment: Option<&str>,
        targets: &BTreeMap<String, Target>,
    ) -> LinkOutcome {
        let Some(file) = file else {
            return self.fragment_link(from, from.source, None, fragment, targets);
        };
        let path = file.split('?').next().unwrap_or_default();
        if path.starts_with('/') {
            let message = format!("`{file}` is a path on a web server, which no edition can follow; its text is kept");
            return self.unlinked(from, message, "link to a file of the book, or to the full URL of the page");
        }
        if climbs_out(from.dir, path) {
            let message = format!("the link `{file}` leads out of the book's folder");
            return self.unreachable(from, message, "link to a file of the book, or to the full URL of the page");
        }
        let pages = page_candidates(&normalize(from.dir, path), path);
        if let Some(source) = pages.iter().find_map(|page| self.by_path.get(page)) {
            return self.fragment_link(from, *source, Some(file), fragment, targets);
        }
        if !pages.is_empty() {
            let message = format!("`{file}` is not a file of this book");
            return self.unreachable(from, message, "link to a file that the manifest lists");
        }
        match self.root.resolve_file(from.dir, path) {
            Ok(found) => (LinkDest::File(found), None),
            Err(_) => {
                let message =
                    format!("`{file}` is neither a page of the book nor a file in its folder; its text is kept");
                self.unlinked(from, message, "link to a file of the book, or to the full URL of the page")
            }
        }
    }

    /// Resolves the `href`s of raw HTML like Markdown links, each problem a warning: a
    /// fragment must name an id of the page, a relative path a page or file of the book;
    /// an `href` that leads nowhere is removed and the element's content kept.
    fn relink_raw(
        &self,
        html: &mut String,
        from: &LinkSource,
        page: &HashSet<String>,
        targets: &BTreeMap<String, Target>,
        linked_files: &mut BTreeSet<String>,
        diags: &mut Diagnostics,
    ) {
        if !html.contains(" href=\"") {
            return;
        }
        *html = markdown::relink_raw_html(html, &mut |href| {
            let (dest, problem) = match markdown::classify_link(href) {
                Some(LinkDest::Internal { file: None, fragment: Some(fragment) }) if !page.contains(&fragment) => {
                    let message =
                        format!("`#{fragment}` matches no id on this page; the link is removed, its text kept");
                    (LinkDest::Unlinked, Some(Diagnostic::warning(from.span, message)))
                }
                Some(LinkDest::Internal { file: Some(file), fragment }) => {
                    self.resolve(from, Some(&file), fragment.as_deref(), targets)
                }
                _ => return Some(href.to_string()),
            };
            diags.extend(problem.map(|mut problem| {
                problem.severity = crate::diag::Severity::Warning;
                problem
            }));
            match dest {
                LinkDest::Resolved { chapter, anchor } => Some(RawHref::Page(chapter, anchor).marker()),
                LinkDest::File(path) => {
                    linked_files.insert(path.clone());
                    Some(RawHref::File(path).marker())
                }
                _ => None,
            }
        });
    }

    /// A link to the page of `source`, at `fragment` if it names a place there.
    fn fragment_link(
        &self,
        from: &LinkSource,
        source: SourceId,
        file: Option<&str>,
        fragment: Option<&str>,
        targets: &BTreeMap<String, Target>,
    ) -> LinkOutcome {
        let Some(target) = self.anchors.files.get(&source) else {
            return self.unreachable(from, "the link's file has no headings".to_string(), "link to a heading's page");
        };
        let chapter = target.chapter;
        let top = LinkDest::Resolved { chapter, anchor: target.top.clone() };
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            return (top, None);
        };
        let anchor = target
            .ids
            .get(fragment)
            .cloned()
            .or_else(|| self.anchors.chapters[chapter].contains(fragment).then(|| fragment.to_string()));
        if let Some(anchor) = anchor {
            return (LinkDest::Resolved { chapter, anchor: Some(anchor) }, None);
        }
        if file.is_none()
            && let Some(target) = targets.get(fragment)
        {
            return (LinkDest::Resolved { chapter: target.chapter, anchor: Some(target.anchor.clone()) }, None);
        }
        let place = file.map(|f| format!(" in {f}")).unwrap_or_default();
        let message = format!("`#{fragment}` matches no label or heading{place}");
        if self.lenient {
            let warning = Diagnostic::warning(from.span, format!("{message}; the link leads to the top of the page"))
                .with_help("mdBook writes such links as they are; fix the fragment");
            return (top, Some(warning));
        }
        (LinkDest::Unlinked, Some(Diagnostic::error(from.span, message)))
    }

    /// A link that is an error in a folio book and, in an mdBook as it is, a warning and text.
    fn unreachable(&self, from: &LinkSource, message: String, help: &str) -> LinkOutcome {
        if self.lenient {
            return self.unlinked(from, format!("{message}; its text is kept"), help);
        }
        (LinkDest::Unlinked, Some(Diagnostic::error(from.span, message).with_help(help)))
    }

    /// A link whose text alone is kept, with a warning.
    fn unlinked(&self, from: &LinkSource, message: String, help: &str) -> LinkOutcome {
        (LinkDest::Unlinked, Some(Diagnostic::warning(from.span, message).with_help(help)))
    }
}

/// The Markdown files a link to `path` (root-relative, as `written`) may mean: `x.md` itself,
/// the page `x.html` is made from (`index.html` also from `README.md`), a folder's index; none
/// for another kind of file.
fn page_candidates(path: &str, written: &str) -> Vec<String> {
    let folder_index = |folder: &str| {
        let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
        vec![format!("{prefix}index.md"), format!("{prefix}README.md")]
    };
    if written.is_empty() || written.ends_with('/') || written == "." || written.ends_with("/.") {
        return folder_index(path);
    }
    if path.ends_with(".md") {
        return vec![path.to_string()];
    }
    let Some(stem) = [".html", ".htm", ".xhtml"].iter().find_map(|ext| path.strip_suffix(ext)) else {
        return Vec::new();
    };
    let mut pages = vec![format!("{stem}.md")];
    if stem == "index" || stem.ends_with("/index") {
        pages.push(format!("{}README.md", &stem[..stem.len() - "index".len()]));
    }
    pages
}

/// Whether the relative URL `url`, written in a file of folder `dir`, climbs above the root.
fn climbs_out(dir: &str, url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let first = path.split('/').next().unwrap_or_default();
    if path.starts_with('/') || first.contains(':') {
        return false;
    }
    let mut depth = dir.split('/').filter(|part| !part.is_empty()).count();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if depth == 0 => return true,
            ".." => depth -= 1,
            _ => depth += 1,
        }
    }
    false
}

/// `dir/file` with `.` and `..` folded.
fn normalize(dir: &str, file: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in file.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Numbers footnotes in order of first reference; drops definitions nothing refers to.
fn number_footnotes(chapter: &mut Chapter, diags: &mut Diagnostics) {
    let mut first_seen: HashMap<String, Span> = HashMap::new();
    chapter.footnotes.retain(|footnote| match first_seen.get(&footnote.name) {
        Some(first) => {
            diags.push(
                Diagnostic::warning(
                    footnote.span,
                    format!("footnote `[^{}]` is defined twice; the first is kept", footnote.name),
                )
                .with_note(*first, "first defined here"),
            );
            false
        }
        None => {
            first_seen.insert(footnote.name.clone(), footnote.span);
            true
        }
    });
    let mut order: Vec<String> = Vec::new();
    let defined: BTreeSet<String> = chapter.footnotes.iter().map(|f| f.name.clone()).collect();
    visit_chapter_inlines_mut(chapter, &mut |inline| {
        if let Inline::FootnoteRef { name, number, span } = inline {
            if !defined.contains(name.as_str()) {
                diags.error(*span, format!("footnote `[^{name}]` is not defined"));
                return;
            }
            let position = order.iter().position(|n| n == name).unwrap_or_else(|| {
                order.push(name.clone());
                order.len() - 1
            });
            *number = Some(position + 1);
        }
    });
    for footnote in &chapter.footnotes {
        if !order.contains(&footnote.name) {
            diags.warning(footnote.span, format!("footnote `[^{}]` is never referenced", footnote.name));
        }
    }
    chapter.footnotes.retain(|f| order.contains(&f.name));
    for footnote in &mut chapter.footnotes {
        footnote.number = order.iter().position(|n| *n == footnote.name).map_or(0, |p| p + 1);
    }
    chapter.footnotes.sort_by_key(|f| f.number);
}

/// Resolves every image path to a root-relative path and lists the files to copy. An image
/// figure that points to a diagram file (`.mmd`, `.dot`, `.bob`, `.pikchr`) becomes a diagram
/// with the file's source instead.
/// What an image must be.
const IMAGES_INSIDE: &str = "images must be files inside the book's folder";

fn resolve_assets(
    book: &mut Book,
    root: &BookRoot,
    folders: &HashMap<SourceId, String>,
    lenient: bool,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut assets = BTreeSet::new();
    let mut checked: HashMap<String, Result<(), String>> = HashMap::new();
    let dir_of = |span: Span| folders.get(&span.source).map_or("", String::as_str);
    for chapter in &mut book.chapters {
        // Whether the image at `src` is a usable file of the book (its path resolved in place).
        let mut resolve = |src: &mut String, span: Span, diags: &mut Diagnostics| {
            let problem = match root.resolve_file(dir_of(span), src) {
                Ok(path) => {
                    let checked = checked.entry(path.clone()).or_insert_with(|| picture::check(root, &path));
                    let problem = checked.clone().err().map(|problem| (problem, None));
                    assets.insert(path.clone());
                    *src = path;
                    problem
                }
                Err(_) if src.contains("://") => {
                    Some((format!("`{src}` is on the web, not in the book's folder"), Some(IMAGES_INSIDE)))
                }
                Err(problem) => Some((problem.to_string(), Some(IMAGES_INSIDE))),
            };
            let Some((problem, help)) = problem else {
                return true;
            };
            let diagnostic = if lenient {
                Diagnostic::warning(span, format!("image: {problem}; its alternative text is shown instead"))
            } else {
                Diagnostic::error(span, format!("image: {problem}"))
            };
            diags.push(match help {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            });
            !lenient
        };
        visit_blocks_mut(&mut chapter.blocks, &mut |block| {
            if let Block::Figure(figure) = block
                && !diagram_file(figure, root, dir_of(figure.span), diags)
                && let FigureBody::Image { src, alt } = &mut figure.body
                && !resolve(src, figure.span, diags)
            {
                *block = Block::Paragraph(vec![Inline::Text(std::mem::take(alt))]);
            }
        });
        visit_chapter_inlines_mut(chapter, &mut |inline| {
            if let Inline::Image { src, span, alt } = inline {
                if Engine::from_path(src).is_some() {
                    diags.push(
                        Diagnostic::error(*span, format!("`{src}` is a diagram inside running text"))
                            .with_help("put the image alone in its paragraph to draw it as a figure"),
                    );
                } else if !resolve(src, *span, diags) {
                    *inline = Inline::Text(std::mem::take(alt));
                }
            }
        });
    }
    assets.retain(|path| checked.get(path).is_some_and(Result::is_ok));
    assets.into_iter().collect()
}

/// Turns an image figure that points to a diagram file into that diagram; returns whether the
/// figure was a diagram file (drawn later, or reported here when it cannot be read).
fn diagram_file(figure: &mut Figure, root: &BookRoot, dir: &str, diags: &mut Diagnostics) -> bool {
    let FigureBody::Image { src, .. } = &figure.body else {
        return false;
    };
    let Some(engine) = Engine::from_path(src) else {
        return false;
    };
    let source = root
        .resolve_file(dir, src)
        .map_err(|problem| problem.to_string())
        .and_then(|path| load::read_diagram(root, &path));
    match source {
        Ok(source) => figure.body = FigureBody::Diagram { lang: engine.lang().to_string(), source, svg: None },
        Err(problem) => diags.push(
            Diagnostic::error(figure.span, format!("diagram: {problem}"))
                .with_help("diagram files must be UTF-8 text inside the book's folder"),
        ),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_mdbook() {
        assert_eq!(slug("Eviction policies"), "eviction-policies");
        assert_eq!(slug("What's new in 2.0?"), "whats-new-in-20");
        assert_eq!(slug("Ünïcode Straße"), "ünïcode-straße");
    }

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(title_from_path("chapters/01-getting-started.md"), "Getting started");
        assert_eq!(title_from_path("notes.md"), "Notes");
    }

    #[test]
    fn stems_are_unique_and_avoid_generated_pages() {
        let mut stems = HashSet::new();
        assert_eq!(unique_stem("a/intro.md", &mut stems), "intro");
        assert_eq!(unique_stem("b/intro.md", &mut stems), "intro-2");
        assert_eq!(unique_stem("index.md", &mut stems), "index-2");
    }

    #[test]
    fn edit_distance_counts_single_changes() {
        assert_eq!(edit_distance("fig-cache", "fig-cahce"), 2);
        assert_eq!(edit_distance("sec-a", "sec-ab"), 1);
    }

    #[test]
    fn relative_links_may_not_climb_out_of_the_root() {
        assert!(climbs_out("chapters", "../../secret.txt"));
        assert!(climbs_out("", "../x.html#top"));
        assert!(climbs_out("a", "b/../../../x"));
        assert!(!climbs_out("chapters", "../data/table.csv"));
        assert!(!climbs_out("", "https://example.com/../x"));
        assert!(!climbs_out("", "mailto:a@b.c"));
        assert!(!climbs_out("", "/site/root.html"));
    }

    #[test]
    fn links_to_pages_name_their_markdown_files() {
        assert_eq!(page_candidates("a/b.md", "b.md"), ["a/b.md"]);
        assert_eq!(page_candidates("a/b.md", "../a/b.md"), ["a/b.md"]);
        assert_eq!(page_candidates("a/b.html", "b.html"), ["a/b.md"]);
        assert_eq!(page_candidates("a/index.html", "index.html"), ["a/index.md", "a/README.md"]);
        assert_eq!(page_candidates("a", "a/"), ["a/index.md", "a/README.md"]);
        assert_eq!(page_candidates("", "./"), ["index.md", "README.md"]);
        assert!(page_candidates("data/t.csv", "data/t.csv").is_empty());
    }

    #[test]
    fn link_paths_fold_dots() {
        assert_eq!(normalize("chapters", "../case-studies/01.md"), "case-studies/01.md");
        assert_eq!(normalize("", "./a.md"), "a.md");
    }
}
