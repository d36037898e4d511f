//! The only reader of book inputs: `book.toml`, the Markdown files it names, the diagram files
//! its figures point to, and the assets the editions copy. Unreadable or non-UTF-8 files become diagnostics at their manifest entry.

use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::{self, Manifest};
use crate::root::BookRoot;
use crate::source::{Source, SourceId, SourceMap};
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
}

/// Reads the book in `dir`. Returns `Ok(Err(sources))` when the book has errors (recorded in
/// `diags`, located in `sources`), and `Err` when the folder or its `book.toml` cannot be read.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Result<Result<Loaded, SourceMap>> {
    let mut sources = SourceMap::default();
    if !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let manifest_path = dir.join("book.toml");
    if !manifest_path.is_file() {
        bail!("{} has no book.toml (run `folio new DIR` to start a book)", dir.display());
    }
    let text =
        std::fs::read_to_string(&manifest_path).with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let root = BookRoot::new(dir).with_context(|| format!("cannot open {}", dir.display()))?;
    let id = sources.add(Source::new("book.toml", text));
    let Some(manifest) = manifest::parse(sources.get(id).text(), id, &root, diags) else {
        return Ok(Err(sources));
    };
    let mut files = HashMap::new();
    let entries = manifest.front.iter().chain(manifest.parts.iter().flat_map(|p| &p.files)).chain(&manifest.back);
    for entry in entries {
        match read_text(&root, &entry.path) {
            Ok(text) => {
                let id = sources.add(Source::new(entry.path.clone(), text));
                files.insert(entry.path.clone(), id);
            }
            Err(problem) => diags.push(Diagnostic::error(entry.span, problem)),
        }
    }
    if diags.has_errors() {
        return Ok(Err(sources));
    }
    Ok(Ok(Loaded { sources, manifest, files }))
}

fn read_text(root: &BookRoot, path: &str) -> Result<String, String> {
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
