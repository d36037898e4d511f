//! Text is text: raw `<script>`, event handlers, script URLs, `<iframe>`, `<object>` and
//! `<embed>` are removed from the HTML and EPUB editions, each with a warning at its
//! `file:line:col`, and the PDF carries no script and no script link. (`tests/pdf.rs` holds
//! the hostile text that must print literally in the PDF, and `src/pdf/world.rs` the proof
//! that Typst reads nothing outside the project.)

mod common;

use common::{code, copy_fixture, folio, read, stderr};
use std::io::Read;
use std::path::Path;

/// Each removal and where the fixture's Markdown has it.
const REMOVED: [&str; 18] = [
    "chapters/one.md:3:9: warning: <script> was removed with its content",
    "chapters/one.md:5:11: warning: attribute `onclick` on <span> was removed",
    "chapters/one.md:5:53: warning: attribute `onmouseover` on <b> was removed",
    "chapters/one.md:7:12: warning: attribute `href` on <a> was removed: script URLs never run in a book",
    "chapters/one.md:7:53: warning: attribute `href` on <a> was removed: script URLs never run in a book",
    "chapters/one.md:7:100: warning: attribute `href` on <a> was removed: script URLs never run in a book",
    "chapters/one.md:9:17: warning: a `javascript:` link was removed; its text is kept",
    "chapters/one.md:9:47: warning: a `javascript:` link was removed; its text is kept",
    "chapters/one.md:9:82: warning: a `vbscript:` link was removed; its text is kept",
    "chapters/one.md:9:108: warning: a `data:` link was removed; its text is kept",
    "chapters/one.md:11:11: warning: <iframe> was removed with its content",
    "chapters/one.md:11:61: warning: <object> was removed with its content",
    "chapters/one.md:11:104: warning: <embed> was removed with its content",
    "chapters/one.md:13:1: warning: attribute `onload` on <div> was removed",
    "chapters/one.md:17:1: warning: <iframe> was removed with its content",
    "chapters/one.md:20:1: warning: <object> was removed with its content",
    "chapters/one.md:22:1: warning: <svg> is not allowed in a book and was removed; its text is kept",
    "chapters/one.md:22:24: warning: <script> was removed with its content",
];

/// What no page of an edition may hold (compared in lowercase).
const FORBIDDEN: [&str; 8] =
    ["<script", "<iframe", "<object", "<embed", "<param", " onclick", " onmouseover", " onload"];

/// Every value of `href` and `src` attributes in `page`, as a browser reads their scheme.
fn urls(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (at, _) in page.match_indices(attribute) {
            let value = &page[at + attribute.len()..];
            let value = value.split('"').next().unwrap_or_default().replace("&#9;", "\t").replace("&#10;", "\n");
            found.push(value.chars().filter(|c| !c.is_ascii_whitespace()).collect::<String>().to_lowercase());
        }
    }
    found
}

fn assert_harmless(page: &str, what: &str) {
    let lower = page.to_lowercase();
    for forbidden in FORBIDDEN {
        assert!(!lower.contains(forbidden), "{what} holds `{forbidden}`:\n{page}");
    }
    for url in urls(page) {
        for scheme in ["javascript:", "vbscript:", "data:text"] {
            assert!(!url.starts_with(scheme), "{what} links to `{url}`");
        }
    }
    assert!(!page.contains("alert("), "{what} shows the removed script as text:\n{page}");
    for kept in ["after the script", "click", "bold", "mixed case", "A block with a handler.", "The end."] {
        assert!(page.contains(kept), "{what} lost the text `{kept}`");
    }
}

#[test]
fn every_removal_is_a_warning_at_its_place() {
    let (_temp, book) = copy_fixture("hostile-html");
    let output = folio(book.parent().expect("parent"), &["check", "hostile-html", "-v"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "warnings only: {err}");
    for expected in REMOVED {
        assert!(err.contains(expected), "no `{expected}` in:\n{err}");
    }
    assert_eq!(err.matches(": warning: ").count(), REMOVED.len(), "{err}");
}

#[test]
fn no_edition_carries_a_script() {
    let (_temp, book) = copy_fixture("hostile-html");
    let output = folio(book.parent().expect("parent"), &["build", "hostile-html"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = book.join("out");
    assert_harmless(main(&read(&out.join("html/one.html"))), "the HTML page");
    assert_harmless(main(&read(&out.join("html/print.html"))), "the print page");
    assert_harmless(&epub_entry(&out.join("hostile-html.epub"), "OEBPS/one.xhtml"), "the EPUB chapter");
    let pdf = std::fs::read(out.join("hostile-html.pdf")).expect("the PDF");
    let uncompressed = qdf(&out.join("hostile-html.pdf"));
    for forbidden in ["/JavaScript", "/JS", "javascript:", "vbscript:", "/Launch"] {
        assert!(!uncompressed.contains(forbidden), "the PDF holds `{forbidden}`");
    }
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&out.join("hostile-html.pdf"));
    assert!(text.contains("after the script") && text.contains("A block with a handler."), "{text}");
    assert!(!text.contains("alert("), "the PDF shows a removed script as text:\n{text}");
}

fn pdf_text(pdf: &Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is needed (apt-get install poppler-utils)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The book's part of an HTML page (the theme's own scripts are outside it).
fn main(page: &str) -> &str {
    let start = page.find("<main").expect("a <main>");
    let end = page.rfind("</main>").expect("a </main>");
    &page[start..end]
}

fn epub_entry(epub: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).expect("the EPUB")).expect("a zip");
    let mut text = String::new();
    archive.by_name(name).expect("the entry").read_to_string(&mut text).expect("UTF-8");
    text
}

/// The PDF with its streams uncompressed, as text, by qpdf.
fn qdf(pdf: &Path) -> String {
    let output = std::process::Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("qpdf is needed (apt-get install qpdf)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_theme_template_reads_nothing_outside_the_typst_project() {
    let attempts = [
        ("/etc/passwd", "root:"),
        ("../book.toml", "Hostile HTML"),
        ("/chapters/one.md", "A block with a handler."),
        ("../../../../../../etc/hostname", ""),
    ];
    for (path, secret) in attempts {
        let (_temp, book) = copy_fixture("hostile-html");
        std::fs::create_dir_all(book.join("themes/sneaky")).expect("mkdir");
        let template = format!("#let book(data) = {{\n  raw(read(\"{path}\"))\n}}\n");
        std::fs::write(book.join("themes/sneaky/book.typ"), template).expect("write");
        let manifest = read(&book.join("book.toml"));
        std::fs::write(book.join("book.toml"), format!("{manifest}\n[output]\ntheme = \"sneaky\"\n")).expect("write");
        let output = folio(book.parent().expect("parent"), &["build", "hostile-html", "--edition", "pdf"]);
        let err = stderr(&output);
        assert_eq!(code(&output), 1, "{path}: {err}");
        assert!(err.contains("not found") || err.contains("outside"), "{path}: {err}");
        assert!(secret.is_empty() || !err.contains(secret), "{path}: {err}");
        assert!(!book.join("out/hostile-html.pdf").exists(), "{path}");
    }
}
