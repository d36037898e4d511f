//! The EPUB's XML around the content: `container.xml`, the package document (OPF) with its
//! metadata and accessibility properties, the navigation document and the NCX.

use super::{Item, document};
use crate::date::BuildDate;
use crate::doc::{Block, Book, ChapterKind, plain_text};
use crate::xhtml::{Flavor, escape, escape_attr, href};
use std::fmt::Write;

/// `META-INF/container.xml`.
pub(super) const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
  <rootfiles>\n    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n</container>\n";

/// The package document.
pub(super) fn opf(book: &Book, items: &[Item], date: &BuildDate) -> String {
    let meta = &book.meta;
    let lang = escape_attr(&meta.language);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{lang}\">\n\
         <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    );
    let mut line = |text: String| {
        out.push_str("    ");
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("<dc:identifier id=\"book-id\">{}</dc:identifier>", escape(&meta.identifier)));
    line(format!("<dc:title id=\"title\">{}</dc:title>", escape(&meta.title)));
    line("<meta refines=\"#title\" property=\"title-type\">main</meta>".into());
    if let Some(subtitle) = &meta.subtitle {
        line(format!("<dc:title id=\"subtitle\">{}</dc:title>", escape(subtitle)));
        line("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>".into());
    }
    for (i, author) in meta.authors.iter().enumerate() {
        line(format!("<dc:creator id=\"creator-{}\">{}</dc:creator>", i + 1, escape(author)));
        line(format!("<meta refines=\"#creator-{}\" property=\"role\" scheme=\"marc:relators\">aut</meta>", i + 1));
    }
    line(format!("<dc:language>{lang}</dc:language>"));
    for (element, value) in
        [("publisher", &meta.publisher), ("rights", &meta.rights), ("description", &meta.description)]
    {
        if let Some(value) = value {
            line(format!("<dc:{element}>{}</dc:{element}>", escape(value)));
        }
    }
    line(format!("<dc:date>{}</dc:date>", date.day_string()));
    if let Some(version) = &meta.version {
        line(format!("<meta property=\"schema:version\">{}</meta>", escape(version)));
    }
    line(format!("<meta property=\"dcterms:modified\">{}</meta>", date.iso8601()));
    if items.iter().any(|item| item.properties.contains(&"cover-image")) {
        line("<meta name=\"cover\" content=\"cover-image\"/>".into());
    }
    for accessibility in accessibility_metadata(items) {
        line(accessibility);
    }
    out.push_str("  </metadata>\n  <manifest>\n    <item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n");
    for item in items {
        let properties = if item.properties.is_empty() {
            String::new()
        } else {
            format!(" properties=\"{}\"", item.properties.join(" "))
        };
        let _ = writeln!(
            out,
            "    <item id=\"{}\" href=\"{}\" media-type=\"{}\"{properties}/>",
            escape_attr(&item.id),
            escape_attr(&item.href),
            item.media_type
        );
    }
    out.push_str("  </manifest>\n  <spine toc=\"ncx\">\n");
    for item in items.iter().filter(|item| item.spine) {
        let _ = writeln!(out, "    <itemref idref=\"{}\"/>", escape_attr(&item.id));
    }
    out.push_str("  </spine>\n</package>\n");
    out
}

/// EPUB Accessibility 1.1 properties (schema.org vocabulary).
fn accessibility_metadata(items: &[Item]) -> Vec<String> {
    let visual = items.iter().any(|item| item.media_type.starts_with("image/") || item.properties.contains(&"svg"));
    let mut modes = vec!["textual"];
    if visual {
        modes.push("visual");
    }
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"];
    if visual {
        features.push("alternativeText");
    }
    let mut lines: Vec<String> =
        modes.iter().map(|m| format!("<meta property=\"schema:accessMode\">{m}</meta>")).collect();
    lines.push("<meta property=\"schema:accessModeSufficient\">textual</meta>".into());
    if visual {
        lines.push("<meta property=\"schema:accessModeSufficient\">textual,visual</meta>".into());
    }
    lines.extend(features.iter().map(|f| format!("<meta property=\"schema:accessibilityFeature\">{f}</meta>")));
    lines.push("<meta property=\"schema:accessibilityHazard\">none</meta>".into());
    lines.push(
        "<meta property=\"schema:accessibilitySummary\">Reflowable text with a structured table of contents, headings in order, \
         a language on every document, text alternatives for every image and diagram, and footnotes linked both ways.</meta>"
            .into(),
    );
    lines
}

/// The title page, the whole table of contents of a book without chapters.
const TITLE_PAGE: &str = "title.xhtml";

/// The navigation document: the table of contents (parts, chapters, sections) and landmarks.
pub(super) fn nav(book: &Book) -> String {
    let mut body = String::from(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">Contents</h1>\n<ol>\n",
    );
    for index in chapters_of(book, ChapterKind::Front) {
        chapter_entry(&mut body, book, index);
    }
    for part in &book.parts {
        if part.title.is_empty() {
            part.chapters.clone().for_each(|index| chapter_entry(&mut body, book, index));
            continue;
        }
        let _ = writeln!(body, "<li><span>{}</span>\n<ol>", escape(&part.title));
        for index in part.chapters.clone() {
            chapter_entry(&mut body, book, index);
        }
        body.push_str("</ol></li>\n");
    }
    for index in chapters_of(book, ChapterKind::Back) {
        chapter_entry(&mut body, book, index);
    }
    for kind in &book.lists {
        let _ = writeln!(body, "<li><a href=\"{}.xhtml\">{}</a></li>", kind.stem(), kind.title());
    }
    if book.chapters.is_empty() {
        let _ = writeln!(body, "<li><a href=\"{TITLE_PAGE}\">{}</a></li>", escape(&book.meta.title));
    }
    body.push_str("</ol>\n</nav>\n");
    body.push_str("<nav epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby=\"landmarks-title\" hidden=\"hidden\">\n<h2 id=\"landmarks-title\">Landmarks</h2>\n<ol>\n");
    if book.meta.cover.is_some() {
        body.push_str("<li><a epub:type=\"cover\" href=\"cover.xhtml\">Cover</a></li>\n");
    }
    body.push_str("<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">Contents</a></li>\n");
    let first_body = book.chapters.iter().position(|c| matches!(c.kind, ChapterKind::Chapter | ChapterKind::CaseStudy));
    if let Some(index) = first_body {
        let _ = writeln!(
            body,
            "<li><a epub:type=\"bodymatter\" href=\"{}\">Start of the book</a></li>",
            href(book, Flavor::Epub, None, index, None)
        );
    }
    body.push_str("</ol>\n</nav>\n");
    document(book, "Contents", "frontmatter", &body)
}

fn chapters_of(book: &Book, kind: ChapterKind) -> impl Iterator<Item = usize> + '_ {
    (0..book.chapters.len()).filter(move |&i| book.chapters[i].kind == kind)
}

/// The label shown for a chapter in navigation: "3. Databases", "C2. Social Feed", "Preface".
fn nav_title(book: &Book, index: usize) -> String {
    let chapter = &book.chapters[index];
    let title = plain_text(&chapter.title.content);
    match (chapter.kind, chapter.number) {
        (ChapterKind::CaseStudy, Some(n)) => format!("C{n}. {title}"),
        (ChapterKind::Chapter, Some(n)) => format!("{n}. {title}"),
        _ => title,
    }
}

fn chapter_entry(out: &mut String, book: &Book, index: usize) {
    let chapter = &book.chapters[index];
    let _ = write!(
        out,
        "<li><a href=\"{}\">{}</a>",
        href(book, Flavor::Epub, None, index, None),
        escape(&nav_title(book, index))
    );
    let sections: Vec<String> = chapter
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading(h) if h.level == 2 => {
                let number = h.number.as_ref().map(|n| format!("{n} ")).unwrap_or_default();
                let url = href(book, Flavor::Epub, None, index, Some(&h.anchor));
                Some(format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    escape_attr(&url),
                    escape(&format!("{number}{}", plain_text(&h.content)))
                ))
            }
            _ => None,
        })
        .collect();
    if !sections.is_empty() {
        let _ = write!(out, "\n<ol>\n{}\n</ol>\n", sections.join("\n"));
    }
    out.push_str("</li>\n");
}

/// The NCX, for reading systems that predate EPUB 3.
pub(super) fn ncx(book: &Book) -> String {
    let mut points = String::new();
    if book.chapters.is_empty() {
        let title = escape(&book.meta.title);
        let _ = writeln!(
            points,
            "<navPoint id=\"np-1\" playOrder=\"1\"><navLabel><text>{title}</text></navLabel><content src=\"{TITLE_PAGE}\"/></navPoint>"
        );
    }
    for (order, index) in (0..book.chapters.len()).enumerate() {
        let _ = writeln!(
            points,
            "<navPoint id=\"np-{n}\" playOrder=\"{n}\"><navLabel><text>{}</text></navLabel><content src=\"{}\"/></navPoint>",
            escape(&nav_title(book, index)),
            escape_attr(&href(book, Flavor::Epub, None, index, None)),
            n = order + 1
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n\
         <head>\n<meta name=\"dtb:uid\" content=\"{}\"/>\n<meta name=\"dtb:depth\" content=\"1\"/>\n\
         <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n\
         <docTitle><text>{}</text></docTitle>\n<navMap>\n{points}</navMap>\n</ncx>\n",
        escape_attr(&book.meta.language),
        escape_attr(&book.meta.identifier),
        escape(&book.meta.title)
    )
}
