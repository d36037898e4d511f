//! The PDF edition: the resolved book typeset by Typst, embedded as a library.
//!
//! [`emit`] turns the book into data (`book.json`), the theme's template (`book.typ`) lays it
//! out, and [`world`] gives Typst a sandbox of in-memory files. This module checks the
//! `[pdf]` settings, validates what Typst would refuse, compiles, maps Typst's errors back to
//! the Markdown ([`failure`]), exports the PDF and writes it atomically; with `--keep-typst`
//! it also writes the Typst project that the Typst CLI compiles to the same book. Only this
//! module imports Typst.

mod emit;
mod failure;
mod world;

use crate::diag::{Diagnostic, Diagnostics};
use crate::doc::Book;
use crate::load::read_asset;
use crate::manifest::{PdfSettings, PdfStandard};
use crate::output::{StagedDir, write_file_atomic};
use crate::root::BookRoot;
use crate::theme::{FONTS, Theme};
use anyhow::{Context, Result};
use emit::{BuildDate, Emitted, Origin};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use typst::diag::{LoadedWithin, SourceDiagnostic, Warned};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::Paper;
use typst::loading::{LoadSource, Loaded};
use typst::syntax::Spanned;
use typst::visualize::{ImageFormat, RasterImage, SvgImage, VectorFormat};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandards, Timestamp};
use world::BookWorld;

/// The entry source: imports the template and hands it the book.
const MAIN_TYP: &str = "\
// The PDF edition of this book as folio typesets it. With the Typst CLI:
//   typst compile --root . --font-path fonts --ignore-system-fonts main.typ book.pdf
#import \"/book.typ\": book
#book(json(\"/book.json\"))
";

/// The theme file holding the PDF design.
const TEMPLATE: &str = "book.typ";

/// The data file the template reads.
const DATA: &str = "book.json";

/// How the PDF edition is built.
#[derive(Debug)]
pub struct Options<'a> {
    /// The manifest's `[pdf]` table.
    pub settings: &'a PdfSettings,
    /// The theme's name, for locating errors in a book's own template.
    pub theme: &'a str,
    /// Where to write the Typst project too, if anywhere.
    pub keep_typst: Option<PathBuf>,
    /// No progress indicator.
    pub quiet: bool,
    /// The build date (copyright page, document date, PDF timestamps).
    pub date: BuildDate,
}

/// The files of a Typst project, by path relative to its root.
#[derive(Debug, Default)]
pub struct Project {
    /// Path → contents.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Records a diagnostic for each `[pdf]` setting the PDF edition cannot honour.
pub fn check_settings(settings: &PdfSettings, diags: &mut Diagnostics) {
    if let Err(diagnostic) = page_size(settings) {
        diags.push(diagnostic);
    }
    if let Err(diagnostic) = standards(settings) {
        diags.push(diagnostic);
    }
}

/// Typesets `book` into the PDF `target`. Returns the number of pages, or `None` when the book
/// cannot be typeset (the reasons are in `diags` and nothing is written).
pub fn render(
    book: &Book,
    root: &BookRoot,
    theme: &Theme,
    target: &Path,
    options: &Options,
    diags: &mut Diagnostics,
) -> Result<Option<usize>> {
    let (settings, standards) = match prepare(options.settings, options.date) {
        Ok(prepared) => prepared,
        Err(problems) => {
            diags.extend(problems);
            return Ok(None);
        }
    };
    let emitted = emit::emit(book, &settings);
    diags.extend(emitted.diags.iter().cloned());
    let project = project(&emitted, root, theme, diags)?;
    if diags.has_errors() {
        return Ok(None);
    }
    let pdf_options = pdf_options(book, settings.date, standards)?;
    let mut world = BookWorld::new(&project, datetime(settings.date, false)?)?;
    let template = failure::Template::new(theme, options.theme);
    let progress = progress(options.quiet);
    let outcome = typeset(&world, &pdf_options);
    let (pdf, pages, warnings) = match outcome {
        Ok(done) => done,
        Err(errors) => {
            progress.set_message("locating the problem in the Markdown…");
            let found = failure::diagnose(&errors, &mut world, &emitted, &template, |world| {
                typeset(world, &pdf_options).is_err()
            });
            progress.finish_and_clear();
            diags.extend(found?);
            return Ok(None);
        }
    };
    progress.finish_and_clear();
    diags.extend(failure::warnings(&warnings, &world, &template));
    write_file_atomic(target, &pdf)?;
    if let Some(dir) = &options.keep_typst {
        keep_typst(&project, dir)?;
    }
    Ok(Some(pages))
}

/// The data the template would typeset (`book.json`) with the default settings, without running
/// Typst: the PDF edition's share of the work that tests and fuzzing can drive on any book.
pub fn data(book: &Book) -> Vec<u8> {
    let date = BuildDate::from_unix(1_767_225_600);
    let page = (Paper::A4.width().to_pt(), Paper::A4.height().to_pt());
    let settings = emit::Settings { page, page_refs: true, require_alt: true, date };
    let emitted = emit::emit(book, &settings);
    serde_json::to_vec(&emitted.data).unwrap_or_default()
}

/// The emitter's settings and the standards, or what is wrong with `[pdf]`.
fn prepare(settings: &PdfSettings, date: BuildDate) -> Result<(emit::Settings, PdfStandards), Vec<Diagnostic>> {
    match (page_size(settings), standards(settings)) {
        (Ok(page), Ok(standards)) => {
            let require_alt = settings.standards.iter().any(|s| s.value.contains(&PdfStandard::Ua1));
            let emit = emit::Settings { page, page_refs: settings.page_refs, require_alt, date };
            Ok((emit, standards))
        }
        (page, standards) => Err(page.err().into_iter().chain(standards.err()).collect()),
    }
}

/// The PDF bytes, the page count and the warnings; or Typst's errors.
type Typeset = (Vec<u8>, usize, EcoVec<SourceDiagnostic>);

/// Compiles and exports.
fn typeset(world: &BookWorld, options: &PdfOptions) -> Result<Typeset, EcoVec<SourceDiagnostic>> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let document = output?;
    let pdf = typst_pdf::pdf(&document, options)?;
    Ok((pdf, document.pages().len(), warnings))
}

/// The spinner shown while Typst works.
fn progress(quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::default_spinner());
    bar.set_message("typesetting the PDF edition…");
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// The Typst project: entry, template, data, images and diagrams. Records a diagnostic for
/// each image that Typst could not load.
fn project(emitted: &Emitted, root: &BookRoot, theme: &Theme, diags: &mut Diagnostics) -> Result<Project> {
    let mut files = BTreeMap::new();
    files.insert("main.typ".to_string(), MAIN_TYP.as_bytes().to_vec());
    files.insert(TEMPLATE.to_string(), theme.file(TEMPLATE)?.into_owned());
    files.insert(DATA.to_string(), serde_json::to_vec(&emitted.data)?);
    for picture in &emitted.pictures {
        if files.contains_key(&picture.path) {
            continue;
        }
        let bytes = match &picture.origin {
            Origin::Asset(path) => read_asset(root, path)?,
            Origin::Svg(svg) => svg.clone().into_bytes(),
        };
        if let Err(problem) = check_picture(&bytes) {
            diags.push(Diagnostic::error(picture.span, format!("the PDF edition cannot use this image: {problem}")));
        }
        files.insert(picture.path.clone(), bytes);
    }
    Ok(Project { files })
}

/// Loads an image as Typst will, to report a broken one at its figure.
fn check_picture(bytes: &[u8]) -> Result<(), String> {
    let data = Bytes::new(bytes.to_vec());
    let loaded = Loaded::new(Spanned::detached(LoadSource::Bytes), data.clone());
    match ImageFormat::detect(bytes) {
        Some(ImageFormat::Raster(format)) => RasterImage::plain(data, format).map(drop).map_err(|e| e.to_string()),
        Some(ImageFormat::Vector(VectorFormat::Svg)) => {
            SvgImage::new(data).map(drop).map_err(|e| e.within(&loaded).message.to_string())
        }
        Some(ImageFormat::Vector(_)) => Ok(()),
        None => Err("unknown format; use PNG, JPEG, GIF, WebP or SVG".to_string()),
    }
}

/// Writes the Typst project and the fonts to `dir`, replacing it.
fn keep_typst(project: &Project, dir: &Path) -> Result<()> {
    let staged = StagedDir::new(dir)?;
    for (path, bytes) in &project.files {
        staged.write(path, bytes)?;
    }
    for (name, bytes) in FONTS {
        staged.write(&format!("fonts/{name}"), bytes)?;
    }
    staged.commit()
}

/// The page size in points from `[pdf] paper`: a Typst paper name or `WxHunit`.
fn page_size(settings: &PdfSettings) -> Result<(f64, f64), Diagnostic> {
    let Some(paper) = &settings.paper else {
        return Ok((Paper::A4.width().to_pt(), Paper::A4.height().to_pt()));
    };
    if let Ok(named) = paper.value.parse::<Paper>() {
        return Ok((named.width().to_pt(), named.height().to_pt()));
    }
    custom_size(&paper.value).ok_or_else(|| {
        Diagnostic::error(paper.span, format!("unknown paper `{}`", paper.value)).with_help(
            "write a Typst paper name such as \"a4\", \"us-letter\" or \"a5\", or a size such as \"6x9in\" or \"170x240mm\"",
        )
    })
}

/// "6x9in" → (432, 648): width and height in points, both positive.
fn custom_size(text: &str) -> Option<(f64, f64)> {
    let unit = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == 'x');
    let points = match unit {
        "in" => 72.0,
        "mm" => 72.0 / 25.4,
        "cm" => 72.0 / 2.54,
        "pt" => 1.0,
        _ => return None,
    };
    let (width, height) = text[..text.len() - unit.len()].split_once('x')?;
    let (width, height) = (width.parse::<f64>().ok()?, height.parse::<f64>().ok()?);
    let sensible = |v: f64| v.is_finite() && v > 0.0 && v * points <= 14_400.0;
    (sensible(width) && sensible(height)).then_some((width * points, height * points))
}

/// The standards asked for, checked for compatibility.
fn standards(settings: &PdfSettings) -> Result<PdfStandards, Diagnostic> {
    let Some(asked) = &settings.standards else {
        return Ok(PdfStandards::default());
    };
    let list = asked
        .value
        .iter()
        .map(|standard| match standard {
            PdfStandard::A2b => typst_pdf::PdfStandard::A_2b,
            PdfStandard::A2u => typst_pdf::PdfStandard::A_2u,
            PdfStandard::A2a => typst_pdf::PdfStandard::A_2a,
            PdfStandard::A3b => typst_pdf::PdfStandard::A_3b,
            PdfStandard::A3u => typst_pdf::PdfStandard::A_3u,
            PdfStandard::A3a => typst_pdf::PdfStandard::A_3a,
            PdfStandard::A4 => typst_pdf::PdfStandard::A_4,
            PdfStandard::Ua1 => typst_pdf::PdfStandard::Ua_1,
        })
        .collect::<Vec<_>>();
    PdfStandards::new(&list).map_err(|problem| {
        let mut diagnostic = Diagnostic::error(asked.span, problem.message().to_string());
        if let Some(hint) = problem.hints().first() {
            diagnostic = diagnostic.with_help(hint.to_string());
        }
        diagnostic
    })
}

/// Export options: a fixed identifier and timestamp, so the same book gives the same bytes.
fn pdf_options(book: &Book, date: BuildDate, standards: PdfStandards) -> Result<PdfOptions> {
    Ok(PdfOptions {
        ident: Smart::Custom(book.meta.identifier.clone()),
        creator: Smart::Custom(Some(format!("folio {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(datetime(date, true)?)),
        standards,
        ..PdfOptions::default()
    })
}

fn datetime(date: BuildDate, with_time: bool) -> Result<Datetime> {
    let value = if with_time {
        Datetime::from_ymd_hms(date.year, date.month, date.day, date.hour, date.minute, date.second)
    } else {
        Datetime::from_ymd(date.year, date.month, date.day)
    };
    value.context("the build date is out of range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Setting;
    use crate::source::{SourceMap, Span};

    fn settings(paper: Option<&str>, standards: Vec<PdfStandard>) -> PdfSettings {
        let span = Span::new(SourceMap::default().add(crate::source::Source::new("b", "")), 0..0);
        PdfSettings {
            paper: paper.map(|value| Setting { value: value.to_string(), span }),
            page_refs: false,
            standards: (!standards.is_empty()).then_some(Setting { value: standards, span }),
        }
    }

    #[test]
    fn papers_are_typst_names_or_sizes() {
        let a4 = page_size(&settings(None, vec![])).unwrap();
        assert!((a4.0 - 595.28).abs() < 0.01 && (a4.1 - 841.89).abs() < 0.01, "{a4:?}");
        let letter = page_size(&settings(Some("us-letter"), vec![])).unwrap();
        assert!((letter.0 - 612.0).abs() < 0.01 && (letter.1 - 792.0).abs() < 0.01);
        assert_eq!(page_size(&settings(Some("6x9in"), vec![])).unwrap(), (432.0, 648.0));
        let mm = page_size(&settings(Some("170x240mm"), vec![])).unwrap();
        assert!((mm.0 - 481.89).abs() < 0.01, "{mm:?}");
        for bad in ["a99", "6x9", "x9in", "0x9in", "6x9x2in", "-6x9in", "9999x9in"] {
            assert!(page_size(&settings(Some(bad), vec![])).is_err(), "{bad}");
        }
    }

    #[test]
    fn incompatible_standards_are_reported() {
        assert!(standards(&settings(None, vec![PdfStandard::A2b, PdfStandard::Ua1])).is_ok());
        let clash = standards(&settings(None, vec![PdfStandard::A2b, PdfStandard::A4]));
        assert!(clash.is_err());
    }

    /// Renders a one-chapter book whose diagram draws as `svg`.
    fn render_diagram(svg: &str) -> (Option<usize>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ch")).unwrap();
        std::fs::write(
            dir.path().join("book.toml"),
            "[book]\ntitle = \"T\"\n[[contents.part]]\ntitle = \"P\"\nfiles = [\"ch/one.md\"]\n",
        )
        .unwrap();
        let markdown = "# One\n\nSee @fig-a.\n\n```mermaid {#fig-a caption=\"A\"}\ngraph LR\n```\n";
        std::fs::write(dir.path().join("ch/one.md"), markdown).unwrap();
        let mut diags = Diagnostics::default();
        let (loaded, mut book) = crate::build::check(dir.path(), &mut diags).unwrap().unwrap();
        crate::doc::visit_blocks_mut(&mut book.chapters[0].blocks, &mut |block| {
            if let crate::doc::Block::Figure(figure) = block
                && let crate::doc::FigureBody::Diagram { svg: drawn, .. } = &mut figure.body
            {
                *drawn = Some(svg.to_string());
            }
        });
        let root = &loaded.manifest.root;
        let theme = Theme::load(root, "default").unwrap();
        let options = Options {
            settings: &loaded.manifest.pdf,
            theme: "default",
            keep_typst: None,
            quiet: true,
            date: BuildDate::from_unix(0),
        };
        let target = dir.path().join("book.pdf");
        let pages = render(&book, root, &theme, &target, &options, &mut diags).unwrap();
        assert_eq!(pages.is_some(), target.is_file());
        let located = diags
            .iter()
            .map(|d| match &d.location {
                crate::diag::Location::Span(span) => loaded.sources.locate(*span),
                crate::diag::Location::Path(path) => path.clone(),
            })
            .collect();
        (pages, located)
    }

    #[test]
    fn diagrams_are_embedded_and_broken_ones_located() {
        let svg =
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>"#;
        let (pages, located) = render_diagram(svg);
        assert!(pages.is_some_and(|n| n > 1), "{located:?}");
        let (pages, located) = render_diagram("<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>");
        assert_eq!(pages, None);
        assert_eq!(located, ["ch/one.md:5:1"]);
    }

    #[test]
    fn broken_images_are_caught_before_typst_runs() {
        assert!(check_picture(b"not an image").is_err());
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>"#;
        assert!(check_picture(svg).is_ok());
        let broken = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" <rect/></svg>"#;
        assert!(check_picture(broken).is_err());
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(check_picture(png).is_err());
    }
}
