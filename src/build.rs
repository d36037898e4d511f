//! Runs the stages (load → resolve → diagrams) and the editions, and owns the output folder.
//!
//! Content problems come back as a [`Report`] of diagnostics; environment failures (I/O, an
//! unusable output folder) as errors. Nothing is written when the book has errors, apart from
//! the diagram cache (`OUT/.cache/diagrams`) of a book whose only errors are in diagrams.

use crate::date::BuildDate;
use crate::diag::Diagnostics;
use crate::diagram;
use crate::doc::Book;
use crate::html::Download;
use crate::load::{self, Loaded};
use crate::manifest::Edition;
use crate::output;
use crate::source::SourceMap;
use crate::theme::Theme;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// The diagnostics of a run and the sources they point into.
pub struct Report {
    /// Every source file that was loaded.
    pub sources: SourceMap,
    /// Every problem found.
    pub diags: Diagnostics,
    /// What was done: the diagrams drawn, then one line per edition written.
    pub written: Vec<String>,
    /// The output folder, when the build got that far.
    pub out_dir: Option<PathBuf>,
}

/// What `folio build` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildRequest {
    /// The book's folder.
    pub book_dir: PathBuf,
    /// Editions to build; empty means the manifest's.
    pub editions: Vec<Edition>,
    /// Output folder override.
    pub out: Option<PathBuf>,
    /// Release version shown in the editions (overrides the manifest's).
    pub version: Option<String>,
    /// Also write the PDF edition's Typst project to `OUT/typst/`.
    pub keep_typst: bool,
    /// Show no progress.
    pub quiet: bool,
}

/// The diagram cache, inside the output folder.
const DIAGRAM_CACHE: &str = ".cache/diagrams";

/// Where the EPUB keeps its drawn cover between builds, inside the output folder.
const COVER_CACHE: &str = ".cache/cover";

/// Loads and resolves the book in `dir` and draws its diagrams (writing no cache): the book,
/// or the sources when it has errors.
pub fn check(dir: &Path, diags: &mut Diagnostics) -> Result<Result<(Loaded, Book), SourceMap>> {
    let (loaded, mut book) = match load_and_resolve(dir, diags)? {
        Ok(pair) => pair,
        Err(sources) => return Ok(Err(sources)),
    };
    diagram::draw(&mut book, &loaded.sources, None, diags)?;
    Ok(Ok((loaded, book)))
}

fn load_and_resolve(dir: &Path, diags: &mut Diagnostics) -> Result<Result<(Loaded, Book), SourceMap>> {
    let loaded = match load::load(dir, diags)? {
        Ok(loaded) => loaded,
        Err(sources) => return Ok(Err(sources)),
    };
    crate::pdf::check_settings(&loaded.manifest.pdf, diags);
    let book = crate::resolve::resolve(&loaded, diags);
    Ok(Ok((loaded, book)))
}

/// Builds the editions asked for; writes nothing if the book has errors.
pub fn build(request: &BuildRequest) -> Result<Report> {
    let mut diags = Diagnostics::default();
    let (loaded, mut book) = match load_and_resolve(&request.book_dir, &mut diags)? {
        Ok(pair) => pair,
        Err(sources) => {
            return Ok(Report { sources, diags, written: Vec::new(), out_dir: None });
        }
    };
    if let Some(version) = &request.version {
        book.meta.version = Some(version.clone());
    }
    let manifest = &loaded.manifest;
    let out = request.out.clone().unwrap_or_else(|| manifest.out_dir.clone());
    refuse_book_folder(&out, manifest.root.path())?;
    let cache = if diags.has_errors() {
        None
    } else {
        output::prepare(&out)?;
        Some(out.join(DIAGRAM_CACHE))
    };
    let drawn = diagram::draw(&mut book, &loaded.sources, cache.as_deref(), &mut diags)?;
    if diags.has_errors() {
        return Ok(Report { sources: loaded.sources, diags, written: Vec::new(), out_dir: None });
    }
    let theme = Theme::load(&manifest.root, &manifest.theme)?;
    let stage = output::Stage::new(&out)?;
    let editions = if request.editions.is_empty() { &manifest.editions } else { &request.editions };
    if editions.iter().any(|e| matches!(e, Edition::Html | Edition::Epub)) {
        crate::highlight::highlight_book(&mut book);
    }
    let date = BuildDate::for_book(&request.book_dir);
    let staged = stage.path();
    let book = &book;
    let slug = &book.meta.slug;
    let pdf_options = crate::pdf::Options {
        settings: &manifest.pdf,
        theme: &manifest.theme,
        keep_typst: request.keep_typst.then(|| staged.join("typst")),
        quiet: request.quiet,
        date,
    };
    let (pdf_name, epub_name) = (format!("{slug}.pdf"), format!("{slug}.epub"));
    let mut written = vec![drawn.to_string()];
    let mut downloads = Vec::new();
    // The PDF's layout takes one core while the EPUB and the HTML pages take the other.
    let pdf = std::thread::scope(|scope| -> Result<Option<Option<usize>>> {
        let pdf = editions.contains(&Edition::Pdf).then(|| {
            scope.spawn(|| {
                let mut pdf_diags = Diagnostics::default();
                let pages = crate::pdf::render(
                    book,
                    &manifest.root,
                    &theme,
                    &staged.join(&pdf_name),
                    &pdf_options,
                    &mut pdf_diags,
                );
                (pages, pdf_diags)
            })
        });
        if editions.contains(&Edition::Epub) {
            let cover_cache = out.join(COVER_CACHE);
            crate::epub::render(book, &manifest.root, &theme, &staged.join(&epub_name), &date, Some(&cover_cache))?;
        }
        let html = match editions.contains(&Edition::Html) {
            true => Some(crate::html::render_pages(book, &manifest.root, &theme, &staged.join("html"))?),
            false => None,
        };
        let pages = match pdf {
            Some(handle) => {
                let (pages, pdf_diags) =
                    handle.join().map_err(|_| anyhow::anyhow!("the PDF edition stopped unexpectedly"))?;
                diags.append(pdf_diags);
                Some(pages?)
            }
            None => None,
        };
        if let Some(Some(pages)) = pages {
            written.push(format!("pdf: {} ({pages} pages)", out.join(&pdf_name).display()));
            downloads.push(Download { label: "PDF", path: staged.join(&pdf_name) });
        }
        if editions.contains(&Edition::Epub) {
            written.push(format!("epub: {}", out.join(&epub_name).display()));
            downloads.push(Download { label: "EPUB", path: staged.join(&epub_name) });
        }
        if let Some(html) = html {
            html.finish(book, &downloads)?;
            written.push(format!("html: {} ({} pages)", out.join("html").display(), book.chapters.len() + 1));
        }
        Ok(pages)
    })?;
    let complete = !matches!(pdf, Some(None));
    if complete {
        stage.publish()?;
    }
    Ok(Report { sources: loaded.sources, diags, written, out_dir: Some(out) })
}

/// Refuses an output folder that is the book's folder or contains it.
fn refuse_book_folder(out: &Path, root: &Path) -> Result<()> {
    let out_abs = if out.is_absolute() { out.to_path_buf() } else { std::env::current_dir()?.join(out) };
    let out_canonical = out_abs.canonicalize().unwrap_or(out_abs);
    if root.starts_with(&out_canonical) {
        bail!("the output folder {} would hold the book itself; choose another (--out)", out.display());
    }
    Ok(())
}

/// Removes the book's output folder (only if folio made it).
pub fn clean(dir: &Path, out: Option<PathBuf>) -> Result<Report> {
    let mut diags = Diagnostics::default();
    let loaded = match load::load(dir, &mut diags)? {
        Ok(loaded) => loaded,
        Err(sources) => {
            return Ok(Report { sources, diags, written: Vec::new(), out_dir: None });
        }
    };
    let out = out.unwrap_or_else(|| loaded.manifest.out_dir.clone());
    let removed = output::clean(&out)?;
    let line =
        if removed { format!("removed {}", out.display()) } else { format!("nothing to remove at {}", out.display()) };
    Ok(Report { sources: loaded.sources, diags, written: vec![line], out_dir: Some(out) })
}
