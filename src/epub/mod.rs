//! The EPUB 3 edition: content documents from the shared XHTML writer, the package document
//! (OPF) with accessibility metadata, the navigation document and an NCX, packaged by our own
//! small writer on `zip` (`mimetype` stored first, fixed entry order and times).

mod cover;
mod package;

use crate::date::BuildDate;
use crate::doc::{Block, Book, ChapterKind, FigureBody, plain_text, visit_blocks};
use crate::load::read_asset;
use crate::manifest::ListKind;
use crate::output::write_file_atomic;
use crate::root::BookRoot;
use crate::theme::{FONTS, Theme};
use crate::xhtml::{self, Flavor, escape, escape_attr};
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One file of the publication, in the order it is packaged.
pub(crate) struct Item {
    /// Path inside `OEBPS/`.
    pub href: String,
    /// Manifest id.
    pub id: String,
    /// Media type.
    pub media_type: &'static str,
    /// Manifest properties (`nav`, `svg`, `cover-image`).
    pub properties: Vec<&'static str>,
    /// Whether it is in the spine.
    pub spine: bool,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Writes the EPUB edition of `book` to `target`; a drawn cover is kept in `cover_cache`, if
/// given, for the next build.
pub fn render(
    book: &Book,
    root: &BookRoot,
    theme: &Theme,
    target: &Path,
    date: &BuildDate,
    cover_cache: Option<&Path>,
) -> Result<()> {
    let items = items(book, root, theme, cover_cache)?;
    let opf = package::opf(book, &items, date);
    let ncx = package::ncx(book);
    let bytes = package_zip(&items, &opf, &ncx, date)?;
    write_file_atomic(target, &bytes)
}

fn items(book: &Book, root: &BookRoot, theme: &Theme, cover_cache: Option<&Path>) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let cover = cover::render(book, root, cover_cache)?;
    if let Some(cover) = cover {
        items.push(xhtml_item("cover", cover::page(book, &cover.href), true, Vec::new()));
        items.push(Item {
            href: cover.href,
            id: "cover-image".into(),
            media_type: cover.media_type,
            properties: vec!["cover-image"],
            spine: false,
            bytes: cover.bytes,
        });
    }
    items.push(xhtml_item("title", title_page(book), true, Vec::new()));
    items.push(xhtml_item("nav", package::nav(book), true, vec!["nav"]));
    for (index, chapter) in book.chapters.iter().enumerate() {
        let svg = if has_svg(&chapter.blocks) { vec!["svg"] } else { Vec::new() };
        items.push(xhtml_item(&chapter.stem, chapter_document(book, index), true, svg));
    }
    for kind in &book.lists {
        items.push(xhtml_item(kind.stem(), list_document(book, *kind), true, Vec::new()));
    }
    items.push(Item {
        href: "theme/epub.css".into(),
        id: "css".into(),
        media_type: "text/css",
        properties: Vec::new(),
        spine: false,
        bytes: theme.file("epub.css")?.into_owned(),
    });
    let highlight = crate::highlight::light_stylesheet().into_bytes();
    items.push(Item {
        href: "theme/highlight.css".into(),
        id: "css-highlight".into(),
        media_type: "text/css",
        properties: Vec::new(),
        spine: false,
        bytes: highlight,
    });
    for (name, bytes) in FONTS.iter().filter(|(name, _)| !name.ends_with(".txt")) {
        items.push(Item {
            href: format!("fonts/{name}"),
            id: format!("font-{}", id_of(name)),
            media_type: media_type(name),
            properties: Vec::new(),
            spine: false,
            bytes: bytes.to_vec(),
        });
    }
    for asset in book.assets.iter().filter(|a| Some(*a) != book.meta.cover.as_ref().map(|c| &c.path)) {
        let bytes = read_asset(root, asset)?;
        items.push(Item {
            href: asset.clone(),
            id: format!("asset-{}", id_of(asset)),
            media_type: media_type(asset),
            properties: Vec::new(),
            spine: false,
            bytes,
        });
    }
    Ok(items)
}

fn xhtml_item(stem: &str, document: String, spine: bool, properties: Vec<&'static str>) -> Item {
    Item {
        href: format!("{stem}.xhtml"),
        id: format!("x-{}", id_of(stem)),
        media_type: "application/xhtml+xml",
        properties,
        spine,
        bytes: document.into_bytes(),
    }
}

/// Whether any figure in `blocks` is an inline SVG diagram.
fn has_svg(blocks: &[Block]) -> bool {
    let mut found = false;
    visit_blocks(blocks, &mut |block| {
        if let Block::Figure(figure) = block {
            found |= matches!(figure.body, FigureBody::Diagram { svg: Some(_), .. });
        }
    });
    found
}

/// An XML name made from a path: letters, digits, `-`, `_`, `.`.
fn id_of(path: &str) -> String {
    path.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect()
}

/// The media type of a file by its extension.
pub(crate) fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        Some("otf") => "font/otf",
        Some("ttf") => "font/ttf",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    }
}

/// An XHTML content document around `body`.
pub(crate) fn document(book: &Book, title: &str, body_type: &str, body: &str) -> String {
    let lang = escape_attr(&book.meta.language);
    let epub_type = if body_type.is_empty() { String::new() } else { format!(" epub:type=\"{body_type}\"") };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n\
         <head>\n<meta charset=\"UTF-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"theme/epub.css\"/>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"theme/highlight.css\"/>\n</head>\n\
         <body{epub_type}>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

fn chapter_document(book: &Book, index: usize) -> String {
    let chapter = &book.chapters[index];
    let (body_type, semantics) = match chapter.kind {
        ChapterKind::Front => ("frontmatter", ""),
        ChapterKind::Chapter | ChapterKind::CaseStudy => ("bodymatter", " epub:type=\"chapter\" role=\"doc-chapter\""),
        ChapterKind::Back => ("backmatter", " epub:type=\"appendix\" role=\"doc-appendix\""),
    };
    let body = format!(
        "<section{semantics} aria-labelledby=\"{}\">\n{}</section>\n",
        escape_attr(&chapter.title.anchor),
        xhtml::chapter_body(book, index, Flavor::Epub)
    );
    document(book, &plain_text(&chapter.title.content), body_type, &body)
}

fn title_page(book: &Book) -> String {
    let meta = &book.meta;
    let mut body = String::from("<section class=\"title-page\" epub:type=\"titlepage\" aria-label=\"Title page\">\n");
    let _ = writeln!(body, "<h1 class=\"book-title\">{}</h1>", escape(&meta.title));
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(body, "<p class=\"book-subtitle\">{}</p>", escape(subtitle));
    }
    if !meta.authors.is_empty() {
        let _ = writeln!(body, "<p class=\"book-authors\">{}</p>", escape(&meta.authors.join(", ")));
    }
    for line in [&meta.publisher, &meta.rights].into_iter().flatten() {
        let _ = writeln!(body, "<p class=\"book-rights\">{}</p>", escape(line));
    }
    body.push_str("</section>\n");
    document(book, &meta.title, "frontmatter", &body)
}

fn list_document(book: &Book, kind: ListKind) -> String {
    let mut body = format!(
        "<section epub:type=\"{}\" aria-labelledby=\"list-title\">\n<h1 id=\"list-title\">{}</h1>\n<ol class=\"item-list\">\n",
        kind.stem().trim_end_matches('s'),
        kind.title()
    );
    body =
        body.replace("epub:type=\"figure\"", "epub:type=\"loi\"").replace("epub:type=\"table\"", "epub:type=\"lot\"");
    for entry in book.list_entries(kind) {
        let url = xhtml::href(book, Flavor::Epub, None, entry.chapter, Some(&entry.anchor));
        let number = entry.number.map(|n| format!("{} ", escape(&n))).unwrap_or_default();
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{number}{}</a></li>",
            escape_attr(&url),
            escape(&plain_text(&entry.caption))
        );
    }
    body.push_str("</ol>\n</section>\n");
    document(book, kind.title(), "backmatter", &body)
}

/// The zip: `mimetype` stored first, then the container, the OPF, the NCX and every item.
fn package_zip(items: &[Item], opf: &str, ncx: &str, date: &BuildDate) -> Result<Vec<u8>> {
    let time = zip_time(date);
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    // Fonts are most of the bytes and gain little from harder work.
    let deflated_fast = deflated.compression_level(Some(1));
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let add = |zip: &mut ZipWriter<_>, name: &str, bytes: &[u8], options| -> Result<()> {
        zip.start_file(name, options).with_context(|| format!("cannot add {name} to the EPUB"))?;
        zip.write_all(bytes).with_context(|| format!("cannot add {name} to the EPUB"))
    };
    add(&mut zip, "mimetype", b"application/epub+zip", stored)?;
    add(&mut zip, "META-INF/container.xml", package::CONTAINER.as_bytes(), deflated)?;
    add(&mut zip, "OEBPS/content.opf", opf.as_bytes(), deflated)?;
    add(&mut zip, "OEBPS/toc.ncx", ncx.as_bytes(), deflated)?;
    for item in items {
        let options = match item.media_type {
            "image/svg+xml" => deflated,
            raster if raster.starts_with("image/") => stored,
            font if font.starts_with("font/") => deflated_fast,
            _ => deflated,
        };
        add(&mut zip, &format!("OEBPS/{}", item.href), &item.bytes, options)?;
    }
    Ok(zip.finish().context("cannot finish the EPUB")?.into_inner())
}

/// Zip entry times: the build date, within what zip can store.
fn zip_time(date: &BuildDate) -> DateTime {
    let year = date.year.clamp(1980, 2107) as u16;
    DateTime::from_date_and_time(year, date.month, date.day, date.hour, date.minute, date.second).unwrap_or_default()
}
