//! folio builds a book written in Markdown into three editions: an HTML site, an EPUB 3 and a
//! PDF typeset by Typst.
//!
//! The pipeline, in order:
//!
//! 1. [`manifest`]: `book.toml` → a validated [`manifest::Manifest`] (paths proven inside the root);
//! 2. [`load`]: reads the Markdown sources into a [`source::SourceMap`];
//! 3. [`markdown`]: each file → an owned tree ([`doc`]), every node with its source span;
//! 4. [`resolve`]: numbers, anchors, labels, references, footnotes and assets, once;
//! 5. [`diagram`]: draws every diagram into SVG, in process and in parallel, through a cache;
//! 6. the editions read the frozen [`doc::Book`]: [`html`] and [`epub`] (through the shared
//!    [`xhtml`] writer) and [`pdf`] (Typst, embedded).
//!
//! Problems in the book are [`diag::Diagnostic`]s at `file:line:col`, collected so that one run
//! reports them all; environment failures are errors.

pub mod build;
pub mod cli;
pub mod date;
pub mod diag;
pub mod diagram;
pub mod doc;
pub mod epub;
pub mod highlight;
pub mod html;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod mdbook;
pub mod memo;
pub mod new;
pub mod output;
pub mod pdf;
pub mod picture;
pub mod release;
pub mod resolve;
pub mod root;
pub mod serve;
pub mod source;
pub mod theme;
pub mod xhtml;
