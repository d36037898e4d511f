//! mdBook projects built as they are (`tests/fixtures/mdbook`): the summary's prefix, parts,
//! nested chapters, draft and suffix; `{{#include}}` by file, range and anchor,
//! `{{#rustdoc_include}}`, `{{#title}}`; links to `other.md#heading`; custom ids; raw HTML;
//! nesting in each edition's table of contents; errors located in the summary and in included
//! files; and `folio new --from-mdbook`.

mod common;

use common::{code, copy_fixture, folio, read, stderr};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Built {
    _temp: tempfile::TempDir,
    book: PathBuf,
    stderr: String,
}

/// The fixture, built once into all three editions.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (temp, book) = copy_fixture("mdbook");
        let output = folio(&book, &["build"]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        Built { _temp: temp, book, stderr: stderr(&output) }
    })
}

fn html(name: &str) -> String {
    read(&built().book.join("out/html").join(name))
}

fn assert_contains(text: &str, expected: &[&str]) {
    for snippet in expected {
        assert!(text.contains(snippet), "expected `{snippet}` in:\n{text}");
    }
}

#[test]
fn settings_folio_does_not_use_drafts_and_preprocessors_are_named_once() {
    let stderr = &built().stderr;
    assert_contains(
        stderr,
        &[
            "book.toml:1:1: warning: mdBook settings folio does not use, ignored: book.text-direction, build.build-dir, \
             output.html.git-repository-url, output.html.mathjax-support, output.linkcheck, \
             rust.edition",
            "book.toml:1:1: warning: mdBook preprocessors skipped: admonish",
            "src/SUMMARY.md:11:3: warning: draft chapter \"Planned: Windows\" has no file yet; skipped",
        ],
    );
    assert_eq!(stderr.matches("warning:").count(), 3, "{stderr}");
}

#[test]
fn nested_chapters_become_numbered_sections_of_their_parent() {
    let page = html("install.html");
    assert_contains(
        &page,
        &[
            "<span class=\"chapter-number\">Chapter 1</span> Installation</h1>",
            "<h2 id=\"on-linux\"><a class=\"self-link\" href=\"#on-linux\"><span class=\"section-number\">1.2</span> On Linux</a></h2>",
            "<h3 id=\"before-you-start\">",
            "<h2 id=\"on-macos\">",
            "<h3 id=\"before-you-start-2\">",
            "<span class=\"section-number\">1.3.2</span> With Homebrew",
        ],
    );
    let index = html("index.html");
    assert_contains(&index, &["<summary>Getting started</summary>", "1.2</span> On Linux", "1.3</span> On macOS"]);
    assert!(!built().book.join("out/html/linux.html").exists(), "a nested chapter gets no page of its own");
}

#[test]
fn links_to_other_files_and_their_headings_resolve() {
    assert_contains(
        &html("install.html"),
        &[
            "<a href=\"#on-linux\">Linux steps</a>",
            "<a href=\"#before-you-start-2\">macOS steps</a>",
            "<a href=\"#requirements\">requirements</a>",
            "<a href=\"#before-you-start\">Linux page</a>",
        ],
    );
    assert_contains(
        &html("readme.html"),
        &[
            "<a href=\"install.html\">Installation</a>",
            "<a href=\"config.html#keys-folio-reads\">configuration keys</a>",
        ],
    );
    assert_contains(
        &html("config.html"),
        &[
            "<a href=\"first-program.html#whats-next\">what’s next</a>",
            "<a href=\"first-program.html#custom-id\">custom id</a>",
        ],
    );
}

#[test]
fn includes_anchors_ranges_hidden_lines_and_titles() {
    let page = html("first-program.html");
    let text = page.replace("<span class=\"", "\u{1}").split('\u{1}').map(strip_span).collect::<String>();
    assert_contains(&page, &["<title>First program · Ferris Field Guide</title>", "<h2 id=\"custom-id\">"]);
    assert!(!page.contains("{{#title"), "{page}");
    assert!(!text.contains("ANCHOR"), "anchor markers are removed");
    assert!(!text.contains("fn hidden"), "hidden lines are removed");
    assert!(text.contains("fn shown() {}"), "{text}");
    assert!(text.contains("escape it: {{#include ../listings/hello.rs}}."), "{text}");
    assert_eq!(text.matches("fn greet(name: &amp;str)").count(), 2, "whole file and anchor: {text}");
    assert_eq!(text.matches("fn main()").count(), 3, "whole file, range and rustdoc_include: {text}");
    assert!(!text.contains("# use std"), "{text}");
    assert_contains(&page, &["class=\"language-rust\""]);
    assert!(!page.contains("language-rust,ignore"));
}

/// Text of a highlighted chunk without its `<span …>` opening and closing tags.
fn strip_span(chunk: &str) -> String {
    let chunk = chunk.split_once("\">").map_or(chunk, |(_, rest)| rest);
    chunk.replace("</span>", "")
}

#[test]
fn additional_css_is_linked_after_the_theme() {
    let page = html("install.html");
    let theme = page.find("theme/highlight.css").unwrap();
    let author = page.find("<link rel=\"stylesheet\" href=\"theme/author-1.css\"/>").expect("the author's stylesheet");
    assert!(theme < author, "the author's rules come after the theme's");
    let css = read(&built().book.join("out/html/theme/author-1.css"));
    assert!(css.contains(".filename"), "{css}");
}

#[test]
fn raw_html_and_custom_elements_survive_and_stay_well_formed_in_the_epub() {
    assert_contains(&html("readme.html"), &["<span class=\"filename\">Filename: src/README.md</span>"]);
    assert_contains(&html("install.html"), &["<my-note data-kind=\"tip\">Homebrew keeps the toolchain"]);
    let epub = epub_entry("OEBPS/install.xhtml");
    assert_contains(&epub, &["<my-note data-kind=\"tip\">"]);
}

#[test]
fn every_edition_shows_the_nesting_in_its_table_of_contents() {
    let nav = epub_entry("OEBPS/nav.xhtml");
    let install = nav.find("Installation</a>").expect("Installation in the nav");
    let linux = nav.find("1.2 On Linux</a>").expect("On Linux in the nav");
    let first = nav.find("First program</a>").expect("First program in the nav");
    assert!(install < linux && linux < first, "{nav}");
    assert_contains(&nav, &["<span>Getting started</span>", "<span>Reference</span>"]);
    let pdf = built().book.join("out/ferris-field-guide.pdf");
    let outline = tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    let outline: serde_json::Value = serde_json::from_str(&outline).unwrap();
    let part = outline["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["title"] == "Getting started")
        .expect("the part in the outline");
    let chapter = &part["kids"][0];
    assert_eq!(chapter["title"], "Chapter 1 Installation", "{chapter}");
    let sections: Vec<&str> =
        chapter["kids"].as_array().unwrap().iter().map(|k| k["title"].as_str().unwrap()).collect();
    assert_eq!(sections, ["1.1 Requirements", "1.2 On Linux", "1.3 On macOS"]);
    let macos = &chapter["kids"][2]["kids"];
    assert!(macos.to_string().contains("1.3.2 With Homebrew"), "{macos}");
}

fn epub_entry(name: &str) -> String {
    let epub = built().book.join("out/ferris-field-guide.epub");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} missing")).read_to_string(&mut text).unwrap();
    text
}

fn tool(program: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(book: &Path, path: &str, text: &str) {
    std::fs::write(book.join(path), text).unwrap();
}

#[test]
fn problems_point_into_the_summary_and_into_included_files() {
    let (_temp, book) = copy_fixture("mdbook");
    let summary = read(&book.join("src/SUMMARY.md"));
    write(&book, "src/SUMMARY.md", "- [Installation](install.md)\n- [Gone](gone.md)\n");
    let output = folio(&book, &["check"]);
    assert_eq!(code(&output), 1);
    assert_contains(
        &stderr(&output),
        &["src/SUMMARY.md:2:3: error: file not found: src/gone.md", "  2 | - [Gone](gone.md)"],
    );
    write(&book, "src/SUMMARY.md", &summary);
    write(&book, "src/listings.md", "# Listings\n\n{{#include ../listings/missing.rs}}\n");
    let output = folio(&book, &["check"]);
    assert_eq!(code(&output), 0, "mdBook leaves a failed include as written, and so does folio");
    assert_contains(
        &stderr(&output),
        &[
            "src/listings.md:3:1: warning: file not found: listings/missing.rs",
            "  3 | {{#include ../listings/missing.rs}}",
        ],
    );
    write(&book, "src/listings.md", "# Listings\n\nIntro.\n\n{{#include part.md}}\n");
    write(&book, "src/part.md", "Text.\n\nSee @fig-nowhere.\n");
    let output = folio(&book, &["check"]);
    assert_eq!(code(&output), 1);
    assert_contains(
        &stderr(&output),
        &["src/part.md:3:5: error: unknown label `fig-nowhere`", "  3 | See @fig-nowhere."],
    );
}

#[test]
fn new_from_mdbook_writes_a_folio_book_that_builds_the_same_chapters() {
    let (temp, book) = copy_fixture("mdbook");
    let converted = temp.path().join("converted");
    let output = folio(temp.path(), &["new", "converted", "--from-mdbook", book.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let manifest = read(&converted.join("book.toml"));
    assert_contains(
        &manifest,
        &[
            "title = \"Ferris Field Guide\"",
            "[markdown]\nmdbook = true",
            "front = [\"src/README.md\"]",
            "back = [\"src/contributors.md\"]",
            "title = \"Getting started\"\nfiles = [\"src/install.md\", \"src/first-program.md\"]",
            "[contents.sections]\n\"src/install.md\" = [\"src/install/linux.md\", \"src/install/macos.md\"]\n\"src/install/macos.md\" = [\"src/install/macos/homebrew.md\"]",
        ],
    );
    let output = folio(&converted, &["build", "--edition", "html"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let original = html("install.html");
    let page = read(&converted.join("out/html/install.html"));
    let article = |page: &str| page.split("<article>").nth(1).unwrap().split("</article>").next().unwrap().to_string();
    assert_eq!(article(&page), article(&original));
    let again = folio(temp.path(), &["new", "converted", "--from-mdbook", book.to_str().unwrap()]);
    assert_eq!(code(&again), 2, "an existing folder is refused");
}
