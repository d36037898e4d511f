//! `book.toml`: parsed by serde into a raw form, then validated into a [`Manifest`].
//!
//! Unknown keys, wrong types and bad values become diagnostics at `book.toml:line:col`; every
//! path is proven to name a file inside the book root. Reads no files itself: `load` hands it
//! the text, and [`BookRoot`] checks the paths.

use crate::diag::{Diagnostic, Diagnostics};
use crate::root::{BookRoot, PathProblem};
use crate::source::{SourceId, Span};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use toml::Spanned;

/// One of the three editions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// The HTML site in `out/html/`.
    Html,
    /// The EPUB 3 book `out/SLUG.epub`.
    Epub,
    /// The PDF `out/SLUG.pdf`.
    Pdf,
}

impl Edition {
    /// All editions, in the order they are listed by default.
    pub const ALL: [Edition; 3] = [Edition::Html, Edition::Epub, Edition::Pdf];
}

/// How the files of a part are numbered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartKind {
    /// "Chapter 1, 2, …"
    #[default]
    Chapter,
    /// "Case Study 1, 2, …"
    CaseStudy,
}

/// A generated list of captioned items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// The list of figures.
    Figures,
    /// The list of tables.
    Tables,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawManifest {
    book: RawBook,
    contents: Spanned<RawContents>,
    #[serde(default)]
    output: RawOutput,
    #[serde(default)]
    html: RawHtml,
    #[serde(default)]
    epub: RawEpub,
    #[serde(default)]
    pdf: RawPdf,
    #[serde(default)]
    markdown: RawMarkdown,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBook {
    title: Spanned<String>,
    subtitle: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    language: Option<Spanned<String>>,
    identifier: Option<String>,
    description: Option<String>,
    publisher: Option<String>,
    rights: Option<String>,
    version: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    cover: Option<Spanned<String>>,
    slug: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawContents {
    #[serde(default)]
    front: Vec<Spanned<String>>,
    #[serde(default)]
    back: Vec<Spanned<String>>,
    #[serde(default)]
    part: Vec<Spanned<RawPart>>,
    #[serde(default)]
    lists: Vec<ListKind>,
    /// Parent file → the files that become its sections (mdBook's nested chapters).
    #[serde(default)]
    sections: BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPart {
    title: String,
    #[serde(default)]
    kind: PartKind,
    files: Vec<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOutput {
    dir: Option<Spanned<String>>,
    editions: Option<Vec<Edition>>,
    theme: Option<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawHtml {
    #[serde(default)]
    stylesheets: Vec<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMarkdown {
    #[serde(default)]
    mdbook: bool,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEpub {}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPdf {
    paper: Option<Spanned<String>>,
    page_refs: Option<bool>,
    standard: Option<Spanned<OneOrMany<String>>>,
}

/// The keys of an mdBook's `book.toml` that folio reads; mdBook's others pass unread, and
/// folio's own tables (`[pdf]`, `[epub]`, `[html]`) keep their strict checks.
#[derive(Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawMdBook {
    #[serde(default)]
    book: RawMdBookMeta,
    #[serde(default)]
    output: RawMdBookOutput,
    #[serde(default)]
    html: RawHtml,
    #[serde(default)]
    epub: RawEpub,
    #[serde(default)]
    pdf: RawPdf,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawMdBookMeta {
    title: Option<Spanned<String>>,
    subtitle: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    language: Option<Spanned<String>>,
    identifier: Option<String>,
    description: Option<String>,
    publisher: Option<String>,
    rights: Option<String>,
    version: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    cover: Option<Spanned<String>>,
    slug: Option<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawMdBookOutput {
    dir: Option<Spanned<String>>,
    editions: Option<Vec<Edition>>,
    theme: Option<Spanned<String>>,
    #[serde(default)]
    html: RawMdBookHtml,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawMdBookHtml {
    #[serde(default)]
    additional_css: Vec<Spanned<String>>,
}

/// The files of a book, found elsewhere than in `[contents]` (an mdBook's `SUMMARY.md`).
#[derive(Debug, Default)]
pub struct Contents {
    /// Unnumbered files before the parts.
    pub front: Vec<FileEntry>,
    /// The parts.
    pub parts: Vec<PartEntry>,
    /// Unnumbered files after the parts.
    pub back: Vec<FileEntry>,
}

/// A value written alone or as a list: `"ua-1"` or `["a-2b", "ua-1"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// A PDF standard the PDF edition can be asked to conform to (`[pdf] standard`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PdfStandard {
    /// PDF/A-2b: archival, visual appearance preserved.
    A2b,
    /// PDF/A-2u: PDF/A-2b with Unicode text.
    A2u,
    /// PDF/A-2a: PDF/A-2u with a logical structure (tags).
    A2a,
    /// PDF/A-3b: PDF/A-2b allowing attachments.
    A3b,
    /// PDF/A-3u.
    A3u,
    /// PDF/A-3a.
    A3a,
    /// PDF/A-4, based on PDF 2.0.
    A4,
    /// PDF/UA-1: universal accessibility.
    Ua1,
}

impl PdfStandard {
    /// Every standard with its name in `book.toml`.
    pub const NAMES: [(&str, PdfStandard); 8] = [
        ("a-2b", PdfStandard::A2b),
        ("a-2u", PdfStandard::A2u),
        ("a-2a", PdfStandard::A2a),
        ("a-3b", PdfStandard::A3b),
        ("a-3u", PdfStandard::A3u),
        ("a-3a", PdfStandard::A3a),
        ("a-4", PdfStandard::A4),
        ("ua-1", PdfStandard::Ua1),
    ];

    /// The standard called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES.iter().find(|(known, _)| *known == name).map(|(_, standard)| *standard)
    }
}

/// A file named by the manifest: its root-relative path and where the manifest names it.
#[derive(Clone, Debug)]
pub struct FileEntry {
    /// Root-relative, `/`-separated.
    pub path: String,
    /// The string in `book.toml` (or in an mdBook's `SUMMARY.md`).
    pub span: Span,
    /// The title an mdBook's summary gives the file, used when the file has no heading.
    pub title: Option<String>,
    /// Files that become sections of this one, their headings one level down (mdBook's
    /// nested chapters).
    pub sections: Vec<FileEntry>,
    /// The file does not exist and is read as empty (an mdBook's summary names it, and mdBook
    /// would create it).
    pub missing: bool,
}

/// A part of the book and its files.
#[derive(Clone, Debug)]
pub struct PartEntry {
    /// The part's title.
    pub title: String,
    /// Chapters or case studies.
    pub kind: PartKind,
    /// Its files, in order.
    pub files: Vec<FileEntry>,
}

/// The book's metadata.
#[derive(Clone, Debug)]
pub struct Metadata {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// BCP 47 language tag.
    pub language: String,
    /// Stable identifier (a URN).
    pub identifier: String,
    /// Description.
    pub description: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Rights or licence line.
    pub rights: Option<String>,
    /// Version or edition of the text ("1.2", "Second edition").
    pub version: Option<String>,
    /// Keywords (subjects) for the editions' metadata.
    pub keywords: Vec<String>,
    /// Cover image.
    pub cover: Option<FileEntry>,
    /// File name stem of the editions.
    pub slug: String,
}

/// A setting's value and where `book.toml` gives it.
#[derive(Clone, Debug)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

/// Settings of the PDF edition.
#[derive(Clone, Debug, Default)]
pub struct PdfSettings {
    /// Paper name ("a4", "us-letter", "6x9in"); checked by the PDF edition.
    pub paper: Option<Setting<String>>,
    /// Append page numbers to references.
    pub page_refs: bool,
    /// Standards to conform to, if any.
    pub standards: Option<Setting<Vec<PdfStandard>>>,
}

/// A validated `book.toml`.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The book's root folder.
    pub root: BookRoot,
    /// Metadata.
    pub meta: Metadata,
    /// Unnumbered files before the first part.
    pub front: Vec<FileEntry>,
    /// The parts.
    pub parts: Vec<PartEntry>,
    /// Unnumbered files after the last part.
    pub back: Vec<FileEntry>,
    /// Generated lists (figures, tables).
    pub lists: Vec<ListKind>,
    /// The output folder, absolute.
    pub out_dir: PathBuf,
    /// Editions built when none are asked for.
    pub editions: Vec<Edition>,
    /// Theme name (a folder of `themes/`).
    pub theme: String,
    /// PDF settings.
    pub pdf: PdfSettings,
    /// The author's stylesheets for the HTML edition (`[html] stylesheets`, mdBook's
    /// `[output.html] additional-css`).
    pub stylesheets: Vec<FileEntry>,
    /// mdBook's dialect: `{{#include}}` and its kin, and hidden lines in Rust listings.
    pub mdbook: bool,
    /// The book is an mdBook as it is (its `SUMMARY.md` is the manifest): what mdBook accepts
    /// silently (a stale `#fragment`, a failed include, a link to a page that is not in the
    /// book) is a warning, not an error.
    pub lenient: bool,
}

/// Parses and validates `text`, the contents of `book.toml` (source `id`).
/// Returns `None` when the manifest has errors, all of them recorded in `diags`.
pub fn parse(text: &str, id: SourceId, root: &BookRoot, diags: &mut Diagnostics) -> Option<Manifest> {
    let raw: RawManifest = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            diags.push(Diagnostic::error(Span::new(id, span), error.message().trim().to_string()));
            return None;
        }
    };
    let mut checker = Checker { id, root, diags, seen: BTreeSet::new(), failed: false };
    let manifest = checker.validate(raw);
    (!checker.failed).then_some(manifest)
}

/// Parses the `book.toml` of an mdBook (source `id`) whose files `contents` lists; `title` is
/// the book's title when `book.toml` gives none. `None` when it has errors.
pub fn parse_mdbook(
    text: &str,
    id: SourceId,
    root: &BookRoot,
    contents: Contents,
    title: &str,
    diags: &mut Diagnostics,
) -> Option<Manifest> {
    let raw: RawMdBook = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            diags.push(Diagnostic::error(Span::new(id, span), error.message().trim().to_string()));
            return None;
        }
    };
    let mut checker = Checker { id, root, diags, seen: BTreeSet::new(), failed: false };
    let book = raw.book;
    let meta = checker.metadata(RawBook {
        title: book.title.unwrap_or_else(|| Spanned::new(0..0, title.to_string())),
        subtitle: book.subtitle,
        authors: book.authors,
        language: book.language,
        identifier: book.identifier,
        description: book.description,
        publisher: book.publisher,
        rights: book.rights,
        version: book.version,
        keywords: book.keywords,
        cover: book.cover,
        slug: book.slug,
    });
    let _ = raw.epub;
    let stylesheets = raw.output.html.additional_css.iter().chain(&raw.html.stylesheets).collect::<Vec<_>>();
    let stylesheets = stylesheets.into_iter().filter_map(|written| checker.file(written)).collect();
    let manifest = Manifest {
        root: root.clone(),
        meta,
        front: contents.front,
        parts: contents.parts,
        back: contents.back,
        lists: Vec::new(),
        out_dir: checker.out_dir(raw.output.dir.as_ref()),
        editions: raw.output.editions.unwrap_or_else(|| Edition::ALL.to_vec()),
        theme: checker.theme(raw.output.theme),
        pdf: checker.pdf(raw.pdf),
        stylesheets,
        mdbook: true,
        lenient: true,
    };
    (!checker.failed).then_some(manifest)
}

struct Checker<'a> {
    id: SourceId,
    root: &'a BookRoot,
    diags: &'a mut Diagnostics,
    seen: BTreeSet<String>,
    failed: bool,
}

impl Checker<'_> {
    fn validate(&mut self, raw: RawManifest) -> Manifest {
        let contents_span = self.span(&raw.contents);
        let contents = raw.contents.into_inner();
        let front = self.files(&contents.front);
        let mut parts = contents.part.iter().map(|part| self.part(part)).collect::<Vec<_>>();
        let back = self.files(&contents.back);
        if front.is_empty() && back.is_empty() && parts.iter().all(|p| p.files.is_empty()) {
            self.error(contents_span, "the book has no files: list them in [contents]");
        }
        self.attach_sections(contents.sections, &mut parts);
        let meta = self.metadata(raw.book);
        let out_dir = self.out_dir(raw.output.dir.as_ref());
        let stylesheets = self.files(&raw.html.stylesheets);
        let _ = raw.epub;
        Manifest {
            root: self.root.clone(),
            meta,
            front,
            parts,
            back,
            lists: contents.lists,
            out_dir,
            editions: raw.output.editions.unwrap_or_else(|| Edition::ALL.to_vec()),
            theme: self.theme(raw.output.theme),
            pdf: self.pdf(raw.pdf),
            stylesheets,
            mdbook: raw.markdown.mdbook,
            lenient: false,
        }
    }

    fn pdf(&mut self, pdf: RawPdf) -> PdfSettings {
        PdfSettings {
            paper: pdf.paper.map(|paper| self.setting(paper)),
            page_refs: pdf.page_refs.unwrap_or(false),
            standards: pdf.standard.map(|standard| self.standards(standard)),
        }
    }

    /// Gives each chapter of a part the section files `[contents.sections]` lists for it.
    fn attach_sections(&mut self, written: BTreeMap<String, Vec<Spanned<String>>>, parts: &mut [PartEntry]) {
        let mut sections = BTreeMap::new();
        for (parent, files) in written {
            match self.root.resolve_file("", &parent) {
                Ok(path) => {
                    sections.insert(path, (parent, files));
                }
                Err(problem) => {
                    let span = self.first_span(&files);
                    self.path_error(span, problem);
                }
            }
        }
        for entry in parts.iter_mut().flat_map(|part| part.files.iter_mut()) {
            self.attach(entry, &mut sections);
        }
        for (parent, files) in sections.into_values() {
            let span = self.first_span(&files);
            self.error(span, format!("`{parent}` has sections but is no chapter of a part"));
        }
    }

    fn attach(&mut self, entry: &mut FileEntry, sections: &mut BTreeMap<String, (String, Vec<Spanned<String>>)>) {
        let Some((_, files)) = sections.remove(&entry.path) else {
            return;
        };
        entry.sections = self.files(&files);
        for section in &mut entry.sections {
            self.attach(section, sections);
        }
    }

    fn first_span(&self, files: &[Spanned<String>]) -> Span {
        files.first().map_or(Span::new(self.id, 0..0), |file| self.span(file))
    }

    fn metadata(&mut self, book: RawBook) -> Metadata {
        let title = book.title.get_ref().trim().to_string();
        if title.is_empty() {
            self.error(self.span(&book.title), "the title is empty");
        }
        let language = match &book.language {
            Some(lang) if is_language_tag(lang.get_ref()) => lang.get_ref().clone(),
            Some(lang) => {
                let span = self.span(lang);
                self.diags.push(
                    Diagnostic::error(span, format!("`{}` is not a BCP 47 language tag", lang.get_ref()))
                        .with_help("write a tag such as \"en\", \"en-US\" or \"fr\""),
                );
                self.failed = true;
                "en".to_string()
            }
            None => "en".to_string(),
        };
        let slug = match &book.slug {
            Some(slug) if is_slug(slug.get_ref()) => slug.get_ref().clone(),
            Some(slug) => {
                self.error(self.span(slug), "the slug may hold only letters, digits, `-`, `_` and `.`");
                slugify(&title)
            }
            None => slugify(&title),
        };
        Metadata {
            identifier: book.identifier.unwrap_or_else(|| derived_identifier(&title)),
            cover: book.cover.as_ref().and_then(|cover| self.file(cover)),
            title,
            subtitle: book.subtitle,
            authors: book.authors,
            language,
            description: book.description,
            publisher: book.publisher,
            rights: book.rights,
            version: book.version,
            keywords: book.keywords,
            slug,
        }
    }

    fn standards(&mut self, written: Spanned<OneOrMany<String>>) -> Setting<Vec<PdfStandard>> {
        let Setting { value, span } = self.setting(written);
        let mut standards = Vec::new();
        for name in value.into_vec() {
            match PdfStandard::from_name(&name) {
                Some(standard) => standards.push(standard),
                None => {
                    let known = PdfStandard::NAMES.map(|(known, _)| known).join(", ");
                    self.diags.push(
                        Diagnostic::error(span, format!("unknown PDF standard `{name}`"))
                            .with_help(format!("write one or more of {known}")),
                    );
                    self.failed = true;
                }
            }
        }
        Setting { value: standards, span }
    }

    fn part(&mut self, part: &Spanned<RawPart>) -> PartEntry {
        let inner = part.get_ref();
        if inner.files.is_empty() {
            self.error(self.span(part), format!("part \"{}\" has no files", inner.title));
        }
        PartEntry { title: inner.title.clone(), kind: inner.kind, files: self.files(&inner.files) }
    }

    fn files(&mut self, written: &[Spanned<String>]) -> Vec<FileEntry> {
        written.iter().filter_map(|path| self.file(path)).collect()
    }

    fn file(&mut self, written: &Spanned<String>) -> Option<FileEntry> {
        let span = self.span(written);
        match self.root.resolve_file("", written.get_ref()) {
            Ok(path) if path == "book.toml" => {
                self.error(span, "book.toml is the manifest; it cannot also be a file of the book");
                None
            }
            Ok(path) if !self.seen.insert(path.clone()) => {
                self.error(span, format!("{path} is listed twice"));
                None
            }
            Ok(path) => Some(FileEntry { path, span, title: None, sections: Vec::new(), missing: false }),
            Err(problem) => {
                self.path_error(span, problem);
                None
            }
        }
    }

    fn out_dir(&mut self, dir: Option<&Spanned<String>>) -> PathBuf {
        let Some(dir) = dir else {
            return self.root.join("out");
        };
        let path = self.root.join(dir.get_ref());
        let inside_out = self.root.path().starts_with(&path) || dir.get_ref().trim().is_empty();
        if inside_out {
            self.error(self.span(dir), "the output folder cannot be the book's folder or one that contains it");
        } else if path.is_file() {
            self.error(self.span(dir), format!("the output folder {} is a file", dir.get_ref()));
        }
        path
    }

    /// The theme's name: `default`, or a folder of the book's `themes/`.
    fn theme(&mut self, theme: Option<Spanned<String>>) -> String {
        let Some(theme) = theme else {
            return "default".to_string();
        };
        let span = self.span(&theme);
        let name = theme.into_inner();
        if !is_slug(&name) {
            self.diags.push(
                Diagnostic::error(span, format!("`{name}` is not a theme name"))
                    .with_help("name a folder of themes/ with letters, digits, `-`, `_` and `.`"),
            );
            self.failed = true;
            return name;
        }
        let folder = self.root.join(&format!("themes/{name}"));
        match folder.canonicalize() {
            Ok(canonical) if !canonical.starts_with(self.root.path()) => {
                self.path_error(span, PathProblem::Outside(format!("themes/{name}")));
            }
            Ok(canonical) if canonical.is_dir() => {}
            _ if name == "default" => {}
            _ => self.error(span, format!("theme `{name}` not found: expected a folder themes/{name} in the book")),
        }
        name
    }

    fn path_error(&mut self, span: Span, problem: PathProblem) {
        let help = match problem {
            PathProblem::NotRelative => Some("write the path relative to book.toml"),
            PathProblem::Outside(_) => Some("every file of the book must be inside the folder of book.toml"),
            _ => None,
        };
        let mut diagnostic = Diagnostic::error(span, problem.to_string());
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.diags.push(diagnostic);
        self.failed = true;
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.diags.error(span, message);
        self.failed = true;
    }

    fn span<T>(&self, value: &Spanned<T>) -> Span {
        Span::new(self.id, value.span())
    }

    fn setting<T>(&self, value: Spanned<T>) -> Setting<T> {
        Setting { span: self.span(&value), value: value.into_inner() }
    }
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A file-name-safe slug of `text`: lowercase ASCII letters and digits joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { "book".to_string() } else { slug.to_string() }
}

/// A stable `urn:uuid:` derived from the title, for books that name no identifier.
fn derived_identifier(title: &str) -> String {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in title.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    let hex = format!("{hash:032x}");
    format!("urn:uuid:{}-{}-5{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::source::{Source, SourceMap};

    fn check(toml_text: &str) -> (Option<Manifest>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ch")).unwrap();
        std::fs::write(dir.path().join("ch/one.md"), "# One").unwrap();
        let root = BookRoot::new(dir.path()).unwrap();
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("book.toml", toml_text));
        let mut diags = Diagnostics::default();
        let manifest = parse(toml_text, id, &root, &mut diags);
        let messages = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| match &d.location {
                crate::diag::Location::Span(span) => {
                    format!("{}: {}", sources.locate(*span), d.message)
                }
                crate::diag::Location::Path(path) => format!("{path}: {}", d.message),
            })
            .collect();
        (manifest, messages)
    }

    #[test]
    fn accepts_a_minimal_manifest() {
        let (manifest, errors) =
            check("[book]\ntitle = \"A Book\"\n[[contents.part]]\ntitle = \"P\"\nfiles = [\"ch/one.md\"]\n");
        assert!(errors.is_empty(), "{errors:?}");
        let manifest = manifest.unwrap();
        assert_eq!(manifest.meta.slug, "a-book");
        assert_eq!(manifest.meta.language, "en");
        assert_eq!(manifest.parts[0].files[0].path, "ch/one.md");
        assert_eq!(manifest.editions, Edition::ALL.to_vec());
    }

    #[test]
    fn unknown_keys_are_errors_at_their_line() {
        let (manifest, errors) = check("[book]\ntitle = \"A\"\ntitel = \"B\"\n[contents]\nfront = [\"ch/one.md\"]\n");
        assert!(manifest.is_none());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("book.toml:3:1: unknown field `titel`"), "{errors:?}");
    }

    #[test]
    fn missing_files_are_named_at_their_entry() {
        let (_, errors) = check("[book]\ntitle = \"A\"\n[contents]\nfront = [\"ch/one.md\", \"ch/two.md\"]\n");
        assert_eq!(errors, ["book.toml:4:23: file not found: ch/two.md"]);
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let (_, errors) = check("[book]\ntitle = \"A\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("book.toml:2:"), "{errors:?}");
    }

    #[test]
    fn paths_outside_the_root_and_duplicates_are_refused() {
        let (_, errors) =
            check("[book]\ntitle = \"A\"\n[contents]\nfront = [\"../x.md\", \"ch/one.md\", \"ch/./one.md\"]\n");
        assert_eq!(
            errors,
            ["book.toml:4:10: ../x.md is outside the book's root folder", "book.toml:4:34: ch/one.md is listed twice"]
        );
    }

    #[test]
    fn wrong_types_and_values_are_located() {
        let (_, errors) = check("[book]\ntitle = 3\n[contents]\nfront = [\"ch/one.md\"]\n");
        assert!(errors[0].starts_with("book.toml:2:9: invalid type"), "{errors:?}");
        let (_, errors) =
            check("[book]\ntitle = \"A\"\nlanguage = \"english!\"\n[contents]\nfront = [\"ch/one.md\"]\n");
        assert_eq!(errors, ["book.toml:3:12: `english!` is not a BCP 47 language tag"]);
        let (_, errors) = check(
            "[book]\ntitle = \"A\"\n[[contents.part]]\ntitle = \"P\"\nkind = \"essay\"\nfiles = [\"ch/one.md\"]\n",
        );
        assert!(errors[0].starts_with("book.toml:5:8: unknown variant `essay`"), "{errors:?}");
    }

    #[test]
    fn pdf_settings_keep_their_place() {
        let (manifest, errors) = check(
            "[book]\ntitle = \"A\"\nversion = \"2.0\"\nkeywords = [\"k\"]\n[contents]\nfront = [\"ch/one.md\"]\n[pdf]\npaper = \"a5\"\nstandard = [\"a-2b\", \"ua-1\"]\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let manifest = manifest.unwrap();
        assert_eq!(manifest.meta.version.as_deref(), Some("2.0"));
        assert_eq!(manifest.meta.keywords, ["k"]);
        let paper = manifest.pdf.paper.unwrap();
        assert_eq!(paper.value, "a5");
        assert_eq!(paper.span.start, "[book]\ntitle = \"A\"\nversion = \"2.0\"\nkeywords = [\"k\"]\n[contents]\nfront = [\"ch/one.md\"]\n[pdf]\npaper = ".len());
        let standards = manifest.pdf.standards.unwrap().value;
        assert_eq!(standards, [PdfStandard::A2b, PdfStandard::Ua1]);
        let (_, errors) =
            check("[book]\ntitle = \"A\"\n[contents]\nfront = [\"ch/one.md\"]\n[pdf]\nstandard = \"pdf-x\"\n");
        assert_eq!(errors, ["book.toml:6:12: unknown PDF standard `pdf-x`"]);
    }

    #[test]
    fn empty_contents_are_an_error() {
        let (_, errors) = check("[book]\ntitle = \"A\"\n[contents]\n");
        assert_eq!(errors, ["book.toml:3:1: the book has no files: list them in [contents]"]);
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slugify("The System Design Blueprint"), "the-system-design-blueprint");
        assert_eq!(slugify("  C++ & Rust: 2nd ed. "), "c-rust-2nd-ed");
        assert_eq!(slugify("!!!"), "book");
    }

    #[test]
    fn derived_identifiers_are_stable_uuids() {
        let id = derived_identifier("A Book");
        assert_eq!(id, derived_identifier("A Book"));
        assert_ne!(id, derived_identifier("Another Book"));
        assert_eq!(id.len(), "urn:uuid:".len() + 36);
    }
}
