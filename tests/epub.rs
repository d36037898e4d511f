//! The EPUB edition: package layout (mimetype first and stored), metadata and accessibility
//! properties, navigation, cross-file references, footnotes and raw HTML, and byte-identical
//! output for the same SOURCE_DATE_EPOCH.

mod common;

use common::{code, copy_fixture, folio, stderr};
use std::io::Read;
use std::path::{Path, PathBuf};

fn build_epub(fixture: &str, epoch: &str) -> (tempfile::TempDir, PathBuf) {
    let (temp, book) = copy_fixture(fixture);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", fixture, "--edition", "epub"])
        .current_dir(book.parent().unwrap())
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let epub = std::fs::read_dir(book.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an .epub");
    (temp, epub)
}

fn entry(epub: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} missing")).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn mimetype_comes_first_and_uncompressed() {
    let (_temp, epub) = build_epub("xref", "1700000000");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let first = archive.by_index(0).unwrap();
    assert_eq!(first.name().unwrap(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);
    assert!(archive.by_name("META-INF/container.xml").is_ok());
}

#[test]
fn the_package_carries_metadata_and_accessibility_properties() {
    let (_temp, epub) = build_epub("xref", "1700000000");
    let opf = entry(&epub, "OEBPS/content.opf");
    for expected in [
        "<dc:identifier id=\"book-id\">urn:uuid:00000000-0000-4000-8000-000000000003</dc:identifier>",
        "<dc:title id=\"title\">Cross-Reference Fixture</dc:title>",
        "<dc:creator id=\"creator-1\">Test Author</dc:creator>",
        "<dc:language>en</dc:language>",
        "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "properties=\"nav\"",
        "<itemref idref=\"x-one\"/>",
    ] {
        assert!(opf.contains(expected), "expected `{expected}` in:\n{opf}");
    }
}

#[test]
fn navigation_lists_parts_chapters_and_sections() {
    let (_temp, epub) = build_epub("xref", "1700000000");
    let nav = entry(&epub, "OEBPS/nav.xhtml");
    for expected in [
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\"",
        "<li><span>Chapters</span>",
        "<a href=\"one.xhtml\">1. First Chapter</a>",
        "<a href=\"one.xhtml#sec-one-pipeline\">1.1 Pipeline</a>",
        "<a href=\"alpha.xhtml\">C1. Alpha Case</a>",
        "<nav epub:type=\"landmarks\"",
        "<a href=\"figures.xhtml\">List of Figures</a>",
    ] {
        assert!(nav.contains(expected), "expected `{expected}` in:\n{nav}");
    }
    assert!(entry(&epub, "OEBPS/toc.ncx").contains("<navPoint id=\"np-1\" playOrder=\"1\">"));
}

#[test]
fn references_resolve_across_content_documents() {
    let (_temp, epub) = build_epub("xref", "1700000000");
    let two = entry(&epub, "OEBPS/two.xhtml");
    assert!(two.contains("<a class=\"xref\" href=\"one.xhtml#fig-one-pipeline\">Figure 1.1</a>"), "{two}");
    assert!(two.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\" xml:lang=\"en\">"));
    let alpha = entry(&epub, "OEBPS/alpha.xhtml");
    assert!(alpha.contains("<span class=\"caption-number\">Figure C1.1</span>: Alpha architecture"));
}

#[test]
fn footnotes_are_noterefs_and_raw_html_is_well_formed() {
    let (_temp, epub) = build_epub("rawhtml", "1700000000");
    let one = entry(&epub, "OEBPS/one.xhtml");
    for expected in [
        "epub:type=\"noteref\" role=\"doc-noteref\">1</a>",
        "<aside id=\"fn-1\" epub:type=\"footnote\" role=\"doc-footnote\">",
        "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
        "<br/>",
        "© 2026",
        "a  that is no element",
        "<div class=\"note\">",
        "<a class=\"xref\" href=\"two.xhtml#sec-two-more\">Section 2.1</a>",
    ] {
        assert!(one.contains(expected), "expected `{expected}` in:\n{one}");
    }
    assert!(!one.contains("<script") && !one.contains("javascript:") && !one.contains("onerror"));
    let opf = entry(&epub, "OEBPS/content.opf");
    assert!(opf.contains("href=\"images/cover.jpg\" media-type=\"image/jpeg\" properties=\"cover-image\""), "{opf}");
}

#[test]
fn the_same_sources_and_date_give_the_same_bytes() {
    let (_a, first) = build_epub("rawhtml", "1700000000");
    let (_b, second) = build_epub("rawhtml", "1700000000");
    assert_eq!(std::fs::read(first).unwrap(), std::fs::read(second).unwrap());
}

#[test]
fn missing_alt_text_is_a_warning_at_the_image() {
    let (_temp, book) = copy_fixture("rawhtml");
    let output = folio(book.parent().unwrap(), &["check", "rawhtml"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    assert!(err.contains("chapters/one.md:14:1: warning: the image has no alternative text"), "{err}");
    assert!(err.contains("chapters/one.md:9:11: warning: <script> was removed with its content"), "{err}");
}

#[test]
fn a_drawn_cover_does_not_collide_with_an_image_of_the_same_name() {
    let (_temp, book) = copy_fixture("rawhtml");
    image::RgbImage::new(4, 4).save(book.join("images/cover.jpg")).unwrap();
    let chapter = std::fs::read_to_string(book.join("chapters/two.md")).unwrap();
    std::fs::write(book.join("chapters/two.md"), format!("{chapter}\n![A photo](../images/cover.jpg)\n")).unwrap();
    let output = folio(book.parent().unwrap(), &["build", "rawhtml", "--edition", "epub"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let epub = std::fs::read_dir(book.join("out")).unwrap().flatten().map(|e| e.path());
    let epub = epub.into_iter().find(|p| p.extension().is_some_and(|e| e == "epub")).unwrap();
    let opf = entry(&epub, "OEBPS/content.opf");
    assert!(
        opf.contains("href=\"images/cover-drawn.jpg\" media-type=\"image/jpeg\" properties=\"cover-image\""),
        "{opf}"
    );
    assert!(opf.contains("href=\"images/cover.jpg\""), "{opf}");
}
