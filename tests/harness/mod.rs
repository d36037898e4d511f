//! An in-memory book around one Markdown text, for the property tests and the fuzz targets.
//!
//! The manifest and the other files are fixed and written once to a temporary folder; the text
//! under test becomes the first chapter. [`run`] drives it from `markdown::parse` through
//! `resolve` to every edition's writer (the XHTML of the HTML site, the one-page print edition
//! and the EPUB, and the PDF edition's data) and renders every diagnostic, without writing an
//! edition. [`manifest`] drives `manifest::parse` on any text.

#![allow(dead_code)]

use folio::diag::{self, Diagnostics, Style};
use folio::load::Loaded;
use folio::manifest::Manifest;
use folio::root::BookRoot;
use folio::source::{Source, SourceMap};
use folio::xhtml::{self, Flavor};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The fixed manifest: front matter, two chapters, a case study and back matter.
const MANIFEST: &str = r#"[book]
title = "Harness"
[contents]
front = ["front.md"]
back = ["back.md"]
lists = ["figures", "tables"]
[[contents.part]]
title = "Part"
files = ["chapters/one.md", "chapters/two.md"]
[[contents.part]]
title = "Cases"
kind = "case-study"
files = ["cases/study.md"]
"#;

/// The files around the text under test: labels it may refer to and an image it may show.
const FILES: [(&str, &str); 5] = [
    ("front.md", "# Preface {#ch-preface}\n\nBefore.\n"),
    ("chapters/one.md", "# One\n"),
    (
        "chapters/two.md",
        "# Two {#ch-two}\n\n## Known {#sec-known}\n\n![Known](../images/a.png){#fig-known}\n\n| a |\n|---|\n| 1 |\n\nTable: Known {#tbl-known}\n",
    ),
    ("cases/study.md", "# Study {#cs-study}\n\n```rust {#lst-known caption=\"Known\"}\nfn main() {}\n```\n"),
    ("back.md", "# Glossary {#ch-glossary}\n"),
];

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d,
    0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The book's folder and its validated manifest, made once.
struct Fixed {
    _dir: tempfile::TempDir,
    root: BookRoot,
    manifest: Manifest,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (path, text) in FILES {
            write(&dir.path().join(path), text.as_bytes());
        }
        write(&dir.path().join("images/a.png"), PNG);
        write(&dir.path().join("book.toml"), MANIFEST.as_bytes());
        let root = BookRoot::new(dir.path()).expect("the book's folder");
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("book.toml", MANIFEST));
        let mut diags = Diagnostics::default();
        let manifest = folio::manifest::parse(MANIFEST, id, &root, &mut diags).expect("the fixed manifest is valid");
        Fixed { _dir: dir, root, manifest }
    })
}

fn write(path: &std::path::Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folder");
    std::fs::write(path, bytes).expect("write file");
}

/// Parses, resolves and renders a book whose first chapter is `markdown`; returns the number
/// of bytes the writers produced and whether the book had errors.
pub fn run(markdown: &str) -> (usize, bool) {
    let fixed = fixed();
    let mut sources = SourceMap::default();
    sources.add(Source::new("book.toml", MANIFEST));
    let mut files = HashMap::new();
    for (path, text) in FILES {
        let text = if path == "chapters/one.md" { markdown } else { text };
        files.insert(path.to_string(), sources.add(Source::new(path, text)));
    }
    let loaded = Loaded { sources, manifest: fixed.manifest.clone(), files, page_titles: Default::default() };
    let mut diags = Diagnostics::default();
    let book = folio::resolve::resolve(&loaded, &mut diags);
    let mut written = 0;
    for index in 0..book.chapters.len() {
        for flavor in [Flavor::Html, Flavor::Epub, Flavor::Print] {
            written += xhtml::chapter_body(&book, index, flavor).len();
        }
    }
    written += folio::pdf::data(&book).len();
    for diagnostic in diags.iter() {
        written += diag::render(diagnostic, &loaded.sources, Style::Plain).len();
        written += diag::render_json(diagnostic, &loaded.sources).len();
    }
    (written, diags.has_errors())
}

/// Parses `text` as `book.toml` of the fixed book; returns whether it was accepted.
pub fn manifest(text: &str) -> bool {
    let fixed = fixed();
    let mut sources = SourceMap::default();
    let id = sources.add(Source::new("book.toml", text));
    let mut diags = Diagnostics::default();
    let parsed = folio::manifest::parse(text, id, &fixed.root, &mut diags);
    for diagnostic in diags.iter() {
        let _ = diag::render(diagnostic, &sources, Style::Plain);
    }
    parsed.is_some()
}
