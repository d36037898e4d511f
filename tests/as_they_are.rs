//! Books as their authors wrote them: what mdBook accepts silently builds, with a located
//! warning (includes that reach the repository, a missing anchor, `{{ … }}` that is no
//! directive, stale fragments, links to `.html` pages and to missing files); unknown elements
//! keep their content; headings never skip a level; plain heading ids are anchors; duplicate
//! ids are made unique; repeated warnings are grouped. A folio book stays strict.

mod common;

use common::{code, folio, read, stderr};
use std::io::Read;
use std::path::Path;

/// Writes `files` (path → text) under `dir`.
fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
}

/// The text of `name` inside the EPUB at `epub`.
fn epub_entry(epub: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} missing")).read_to_string(&mut text).unwrap();
    text
}

/// Every `href` of the EPUB's pages names an entry of the EPUB (or a full URL).
fn assert_epub_links_resolve(epub: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(|name| name.unwrap().into_owned()).collect();
    for name in names.iter().filter(|n| n.ends_with(".xhtml")) {
        let mut page = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut page).unwrap();
        for href in page.split("href=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]) {
            let file = href.split('#').next().unwrap();
            if file.is_empty() || href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            assert!(names.contains(&format!("OEBPS/{file}")), "{name} links to {href}, which the EPUB lacks");
        }
    }
}

fn assert_contains(text: &str, expected: &[&str]) {
    for snippet in expected {
        assert!(text.contains(snippet), "expected `{snippet}` in:\n{text}");
    }
}

const MDBOOK_CHAPTER: &str = "# Guide

Write `{{ #playground }}` to embed a playground; {{#include}} stays as written.

{{#include ../../examples/hello.rs}}

{{#include ../listing.rs:gone}}

See [the next page](next.html), [its part](next.html#part-two), [a stale one](next.md#nowhere),
[a page that was removed](removed.html), [a missing file](missing.txt) and [data](data.csv).

<Listing number=\"1-1\" caption=\"Hello, world\">

```rust
fn main() {}
```

</Listing>

A <Listing>second</Listing> use.

## Setup

###### Deep
";

fn mdbook(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    write(
        dir,
        &[
            ("examples/hello.rs", "fn hello() {}\n"),
            ("guide/book.toml", "[book]\ntitle = \"Guide\"\n"),
            ("guide/listing.rs", "fn listing() {}\n"),
            ("guide/src/SUMMARY.md", "- [Guide](guide.md)\n- [Next](next.md)\n"),
            ("guide/src/guide.md", MDBOOK_CHAPTER),
            ("guide/src/next.md", "# Next\n\n## Part two\n"),
            ("guide/src/data.csv", "a,b\n1,2\n"),
        ],
    );
    dir.join("guide")
}

#[test]
fn an_mdbook_builds_as_mdbook_builds_it_with_located_warnings() {
    let temp = tempfile::tempdir().unwrap();
    let book = mdbook(temp.path());
    let output = folio(&book, &["build"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    assert_contains(
        &err,
        &[
            "src/guide.md:7:1: warning: no `ANCHOR: gone` in listing.rs; nothing is included",
            "src/guide.md:9:65: warning: `#nowhere` matches no label or heading in next.md; the link leads to the top of the page",
            "src/guide.md:10:1: warning: `removed.html` is not a file of this book; its text is kept",
            "src/guide.md:10:42: warning: `missing.txt` is neither a page of the book nor a file in its folder",
            "src/guide.md:12:1: warning: `<listing>` is not an HTML element",
            "src/guide.md:24:1: warning: the heading skips from level `2` to level `6`",
        ],
    );
    assert_eq!(err.matches("warning: `<listing>`").count(), 1, "one warning per element and file:\n{err}");
    assert!(!err.contains("playground"), "text that is no directive stays text:\n{err}");
    let page = read(&book.join("out/html/guide.html"));
    assert_contains(
        &page,
        &[
            "Write <code>{{ #playground }}</code> to embed",
            "{{#include}} stays as written",
            "fn hello() {}",
            "<a href=\"next.html\">the next page</a>",
            "<a href=\"next.html#part-two\">its part</a>",
            "<a href=\"next.html\">a stale one</a>",
            "a page that was removed",
            "<a href=\"src/data.csv\">data</a>",
            "Listing 1-1: Hello, world",
            "A second use.",
            "<h3 id=\"deep\">",
        ],
    );
    assert!(!page.contains("Listing number") && !page.contains("&lt;Listing"), "{page}");
    assert!(!page.contains("<h6") && !page.contains("removed.html"), "{page}");
    assert!(book.join("out/html/src/data.csv").is_file(), "a linked file is copied into the site");
    let epub = book.join("out/guide.epub");
    assert_epub_links_resolve(&epub);
    let xhtml = epub_entry(&epub, "OEBPS/guide.xhtml");
    assert!(xhtml.contains("and data.</p>") || xhtml.contains(" data.</p>"), "{xhtml}");
}

#[test]
fn includes_stop_at_the_repository_or_the_root_named() {
    let temp = tempfile::tempdir().unwrap();
    let book = mdbook(temp.path());
    std::fs::remove_dir(temp.path().join(".git")).unwrap();
    let without = folio(&book, &["check"]);
    assert_eq!(code(&without), 0);
    assert_contains(
        &stderr(&without),
        &["src/guide.md:5:1: warning: ../../examples/hello.rs is outside the repository"],
    );
    let named = folio(&book, &["check", "--root", temp.path().to_str().unwrap()]);
    assert!(!stderr(&named).contains("outside the repository"), "{}", stderr(&named));
    let elsewhere = folio(&book, &["check", "--root", "/nonexistent-folder"]);
    assert_eq!(code(&elsewhere), 2, "{}", stderr(&elsewhere));
}

#[test]
fn a_folio_book_takes_plain_ids_and_ranks_headings_but_stays_strict() {
    let temp = tempfile::tempdir().unwrap();
    let book = temp.path().join("book");
    let chapter = "# Heading {#myh1}

Back to [the top](#myh1), to [the other](two.html#install) and to [plain](two.md#install).

## Section

###### Deep

<p id=\"install\">raw</p> <span id=\"x\">a</span> <span id=\"x\">b</span>
";
    write(
        &book,
        &[
            (
                "book.toml",
                "[book]\ntitle = \"T\"\nauthors = [\"A\"]\nlanguage = \"en\"\nidentifier = \"urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427\"\n[[contents.part]]\ntitle = \"P\"\nfiles = [\"one.md\", \"two.md\"]\n",
            ),
            ("one.md", chapter),
            ("two.md", "# Two\n\n## Install {#install}\n"),
        ],
    );
    let output = folio(&book, &["build", "--edition", "html,epub"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    assert_contains(
        &err,
        &[
            "one.md:7:1: warning: the heading skips from level `2` to level `6`",
            "one.md:9:1: warning: the id `x` is used twice on this page; this one becomes `x-2`",
        ],
    );
    let page = read(&book.join("out/html/one.html"));
    assert_contains(
        &page,
        &[
            "<h1 id=\"myh1\"",
            "<a href=\"#myh1\">the top</a>",
            "<a href=\"two.html#install\">the other</a>",
            "<a href=\"two.html#install\">plain</a>",
            "<h3 id=\"deep\">",
            "<span id=\"x\">a</span> <span id=\"x-2\">b</span>",
        ],
    );
    let print = read(&book.join("out/html/print.html"));
    assert!(print.contains("<span id=\"one--x-2\">b</span>"), "raw ids carry the page's prefix on the one page");
    assert_epub_links_resolve(&book.join("out/t.epub"));

    write(&book, &[("two.md", "# Two\n\nA [stale](one.md#nowhere) link and [a gone page](gone.md).\n")]);
    let strict = folio(&book, &["check"]);
    let err = stderr(&strict);
    assert_eq!(code(&strict), 1, "{err}");
    assert_contains(
        &err,
        &[
            "two.md:3:3: error: `#nowhere` matches no label or heading in one.md",
            "two.md:3:36: error: `gone.md` is not a file of this book",
        ],
    );
}

#[test]
fn repeated_warnings_are_grouped_and_counted_by_kind() {
    let temp = tempfile::tempdir().unwrap();
    let book = temp.path().join("book");
    let links: String = (1..=5).map(|n| format!("[{n}](gone-{n}.txt) ")).collect();
    write(
        &book,
        &[
            ("book.toml", "[book]\ntitle = \"T\"\n[[contents.part]]\ntitle = \"P\"\nfiles = [\"one.md\"]\n"),
            ("one.md", &format!("# One\n\n{links}\n")),
        ],
    );
    let grouped = stderr(&folio(&book, &["check"]));
    assert_eq!(grouped.matches("is neither a page").count(), 4, "three shown, and the summary:\n{grouped}");
    assert_contains(
        &grouped,
        &["… and 2 more like this (-v shows all)", "5 × … is neither a page of the book nor a file in its folder"],
    );
    let all = stderr(&folio(&book, &["check", "-v"]));
    assert_eq!(all.matches("is neither a page").count(), 6, "{all}");
}

#[test]
fn an_mdbook_in_any_shape_mdbook_builds_builds() {
    let temp = tempfile::tempdir().unwrap();
    let book = temp.path().join("notes");
    let chapter = "# Notes

<details>
<summary>Speaker notes</summary>

- said *aloud*

</details>

<a href=\"next.html#part-two\">raw</a> <a href=\"#gone\">nowhere</a> <a id=\"old-name\"></a>

![Logo](https://example.com/logo.png)

A note[^a].

[^a]: First.

[^a]: Second.

<table>
<tr>
<th>

`core`

</th>
</tr>
</table>
";
    write(
        &book,
        &[
            ("src/SUMMARY.md", "- [Notes](notes.md)\n- [Next](next.md)\n- [Later](later.md)\n"),
            ("src/notes.md", chapter),
            ("src/next.md", "# Next\n\n## Part two\n\nBack to [the old name](notes.md#old-name).\n"),
        ],
    );
    let output = folio(&book, &["build", "-v"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    assert_contains(
        &err,
        &[
            "src/SUMMARY.md:3:3: warning: file not found: src/later.md; built as an empty chapter",
            "src/notes.md:10:38: warning: `#gone` matches no id on this page; the link is removed, its text kept",
            "src/notes.md:12:1: warning: image: `https://example.com/logo.png` is on the web, not in the book's folder; its alternative text is shown instead",
            "src/notes.md:18:1: warning: footnote `[^a]` is defined twice; the first is kept",
        ],
    );
    let page = read(&book.join("out/html/notes.html"));
    assert_contains(
        &page,
        &[
            "<details>\n<summary>Speaker notes</summary>",
            "<li>said <em>aloud</em></li>",
            "</ul>\n</details>",
            "<a href=\"next.html#part-two\">raw</a> <a>nowhere</a> <a id=\"old-name\"></a>",
            "<p>Logo</p>",
            "First.",
            "<table>\n<tr>\n<th>\n\n<p><code>core</code></p>\n</th>\n</tr>\n</table>",
        ],
    );
    assert!(!page.contains("Second."), "{page}");
    let epub = book.join("out/notes.epub");
    assert_epub_links_resolve(&epub);
    assert!(epub_entry(&epub, "OEBPS/notes.xhtml").contains("<a href=\"next.xhtml#part-two\">raw</a>"));
    assert!(book.join("out/notes.pdf").is_file(), "a link to a raw anchor has a place in the PDF");
}
