//! The only reader of book inputs: `book.toml`, the Markdown files it names, the diagram files
//! its figures point to, and the assets the editions copy. Unreadable or non-UTF-8 files become diagnostics at their manifest entry.

use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::{self, FileEntry, Manifest};
use crate::mdbook::{self, Strictness};
use crate::root::BookRoot;
use crate::source::{Source, SourceId, SourceMap, Span};
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::path::Path;

/// A book's manifest and Markdown sources, read and indexed.
#[derive(Debug)]
pub struct Loaded {
    /// Every source file, `book.toml` first.
    pub sources: SourceMap,
    /// The validated manifest.
    pub manifest: Manifest,
    /// Root-relative path → its source.
    pub files: HashMap<String, SourceId>,
    /// Root-relative path → the page title its `{{#title …}}` asks for (mdBook's dialect).
    pub page_titles: HashMap<String, String>,
}

/// Reads the book in `dir`. Returns `Ok(Err(sources))` when the book has errors (recorded in
/// `diags`, located in `sources`), and `Err` when the folder or its `book.toml` cannot be read.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Result<Result<Loaded, SourceMap>> {
    let mut sources = SourceMap::default();
    if !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let manifest_path = dir.join("book.toml");
    let bytes = if manifest_path.is_file() {
        std::fs::read(&manifest_path).with_context(|| format!("cannot read {}", manifest_path.display()))?
    } else if mdbook::is_mdbook(dir, "") {
        Vec::new()
    } else {
        bail!("{} has no book.toml (run `folio new DIR` to start a book)", dir.display());
    };
    let root = BookRoot::new(dir).with_context(|| format!("cannot open {}", dir.display()))?;
    let id = match text_source("book.toml", bytes) {
        Ok(source) => sources.add(source),
        Err((source, offset)) => {
            let id = sources.add(source);
            diags.push(not_utf8(id, offset));
            return Ok(Err(sources));
        }
    };
    let text = sources.get(id).text().to_string();
    let manifest = if mdbook::is_mdbook(dir, &text) {
        mdbook::manifest(&text, id, &root, &mut sources, diags)
    } else {
        manifest::parse(&text, id, &root, diags)
    };
    let Some(manifest) = manifest else {
        return Ok(Err(sources));
    };
    let strictness = if manifest.lenient { Strictness::Lenient } else { Strictness::Strict };
    let dialect = manifest.mdbook.then_some(strictness);
    let mut reader = Reader { root: &root, dialect, sources, files: HashMap::new(), titles: HashMap::new() };
    let entries = manifest.front.iter().chain(manifest.parts.iter().flat_map(|p| &p.files)).chain(&manifest.back);
    for entry in entries {
        reader.read_with_sections(entry, diags);
    }
    let Reader { sources, files, titles, .. } = reader;
    if diags.has_errors() {
        return Ok(Err(sources));
    }
    Ok(Ok(Loaded { sources, manifest, files, page_titles: titles }))
}

/// Reads the Markdown files of the manifest into sources.
struct Reader<'a> {
    root: &'a BookRoot,
    /// mdBook's directives are expanded, strictly or leniently; `None` for plain Markdown.
    dialect: Option<Strictness>,
    sources: SourceMap,
    files: HashMap<String, SourceId>,
    titles: HashMap<String, String>,
}

impl Reader<'_> {
    fn read_with_sections(&mut self, entry: &FileEntry, diags: &mut Diagnostics) {
        if let Some(id) = read_markdown(self.root, entry, &mut self.sources, diags) {
            let id = match self.dialect {
                Some(strictness) => self.expand(id, strictness, diags),
                None => id,
            };
            self.files.insert(entry.path.clone(), id);
        }
        for section in &entry.sections {
            self.read_with_sections(section, diags);
        }
    }

    /// Expands mdBook's directives in source `id`; the result is a new source.
    fn expand(&mut self, id: SourceId, strictness: Strictness, diags: &mut Diagnostics) -> SourceId {
        let source = self.sources.get(id);
        let path = source.path().to_string();
        let expanded = mdbook::expand(self.root, &path, source.text(), strictness);
        if expanded.text == source.text() && expanded.title.is_none() && expanded.problems.is_empty() {
            return id;
        }
        if let Some(title) = expanded.title {
            self.titles.insert(path.clone(), title);
        }
        let expanded_id = self.sources.add(Source::new(path, expanded.text).with_origins(expanded.origins));
        for (range, problem) in expanded.problems {
            let span = Span::new(expanded_id, range);
            match strictness {
                Strictness::Strict => diags.error(span, problem),
                Strictness::Lenient => diags.push(
                    Diagnostic::warning(span, problem).with_help("mdBook accepts this silently; folio builds on"),
                ),
            }
        }
        expanded_id
    }
}

/// Reads the Markdown file of a manifest entry; a file that cannot be read, is not UTF-8 or
/// holds nothing is an error (at the entry, or in the file where the problem is).
fn read_markdown(
    root: &BookRoot,
    entry: &FileEntry,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<SourceId> {
    let path = &entry.path;
    let read = if entry.missing { Ok(Vec::new()) } else { std::fs::read(root.join(path)) };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(error) => {
            diags.push(Diagnostic::error(entry.span, format!("cannot read {path}: {error}")));
            return None;
        }
    };
    match text_source(path, bytes) {
        Ok(source) if source.text().trim().is_empty() && entry.title.is_none() => {
            let id = sources.add(source);
            diags.push(
                Diagnostic::error(Span::new(id, 0..0), format!("{path} is empty"))
                    .with_note(entry.span, "the manifest lists it here")
                    .with_help("start it with `# Title`, or remove it from book.toml"),
            );
            None
        }
        Ok(source) => Some(sources.add(source)),
        Err((source, offset)) => {
            let id = sources.add(source);
            diags.push(not_utf8(id, offset).with_note(entry.span, "the manifest lists it here"));
            None
        }
    }
}

/// A source of UTF-8 `bytes`; or, for other bytes, a source of their lossy text and the offset
/// of the first invalid byte in it.
fn text_source(path: &str, bytes: Vec<u8>) -> Result<Source, (Source, usize)> {
    String::from_utf8(bytes).map(|text| Source::new(path, text)).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        (Source::new(path, String::from_utf8_lossy(error.as_bytes()).into_owned()), offset)
    })
}

fn not_utf8(id: SourceId, offset: usize) -> Diagnostic {
    Diagnostic::error(
        Span::new(id, offset..offset + char::REPLACEMENT_CHARACTER.len_utf8()),
        "the file is not UTF-8 text",
    )
    .with_help("save it as UTF-8")
}

/// Reads a text file of the book by its root-relative path; the problem as a message.
pub fn read_text(root: &BookRoot, path: &str) -> Result<String, String> {
    let bytes = std::fs::read(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        format!("{path} is not UTF-8 text (invalid bytes on line {line})")
    })
}

/// Reads a diagram file (`.mmd`, `.dot`, …) by its root-relative path, as UTF-8 text.
pub fn read_diagram(root: &BookRoot, path: &str) -> Result<String, String> {
    read_text(root, path)
}

/// Reads an asset (an image, the cover) by its root-relative path.
pub fn read_asset(root: &BookRoot, path: &str) -> Result<Vec<u8>> {
    std::fs::read(root.join(path)).with_context(|| format!("cannot read {path}"))
}
