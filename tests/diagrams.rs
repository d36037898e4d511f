//! Diagrams through the built binary: every language draws real text into the HTML and EPUB
//! editions, a broken diagram of each language is an error at its fence, and a second build with
//! nothing changed redraws nothing (counted through the cache, not timed).

mod common;

use common::{code, copy_fixture, read, stderr};
use std::io::Read;
use std::path::Path;
use std::process::Output;

fn folio(command: &str, book: &Path) -> Output {
    common::folio(book, &[command, "."])
}

fn cached_entries(book: &Path) -> usize {
    std::fs::read_dir(book.join("out/.cache/diagrams")).map_or(0, |entries| entries.count())
}

/// The text of every `<svg>…</svg>` in `html`, tags removed and whitespace dropped (engines
/// split labels into `<tspan>`s).
fn svg_texts(html: &str) -> Vec<String> {
    html.split("<svg")
        .skip(1)
        .map(|rest| {
            let svg = rest.split("</svg>").next().unwrap_or_default();
            let mut text = String::new();
            let mut in_tag = true;
            for c in svg.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag && !c.is_whitespace() => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

const LABELS: [&str; 9] = [
    "Browser client",
    "round robin",
    "Cache node",
    "get session",
    "Primary database",
    "streams WAL",
    "Producer",
    "Pikchr SVG",
    "Shard router",
];

#[test]
fn every_language_draws_its_labels_as_svg_text() {
    let (_temp, book) = copy_fixture("diagrams");
    let output = folio("build", &book);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let html = read(&book.join("out/html/diagrams.html"));
    let texts = svg_texts(&html);
    assert_eq!(texts.len(), 6, "one <svg> per diagram");
    for label in LABELS {
        assert!(texts.iter().any(|t| t.contains(&squeeze(label))), "`{label}` is not text inside an <svg>");
    }
    assert!(!html.contains("foreignObject"));
    assert!(!html.contains("diagram-source"));
    assert!(html.contains("<figcaption><span class=\"caption-number\">Figure 1.6</span>"));
}

#[test]
fn the_epub_inlines_the_same_drawings() {
    let (_temp, book) = copy_fixture("diagrams");
    let output = folio("build", &book);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let file = std::fs::File::open(book.join("out/diagram-fixture.epub")).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut xhtml = String::new();
    archive.by_name("OEBPS/diagrams.xhtml").unwrap().read_to_string(&mut xhtml).unwrap();
    let texts = svg_texts(&xhtml);
    assert_eq!(texts.len(), 6);
    for label in LABELS {
        assert!(texts.iter().any(|t| t.contains(&squeeze(label))), "`{label}` is not text inside an <svg>");
    }
    let html = read(&book.join("out/html/diagrams.html"));
    assert_eq!(svg_texts(&html), texts, "the HTML and the EPUB draw the same text");
}

#[test]
fn a_second_build_redraws_nothing() {
    let (_temp, book) = copy_fixture("diagrams");
    let first = folio("build", &book);
    assert!(stderr(&first).contains("diagrams: 6 drawn, 0 from cache"), "{}", stderr(&first));
    let html = read(&book.join("out/html/diagrams.html"));
    let second = folio("build", &book);
    assert!(stderr(&second).contains("diagrams: 0 drawn, 6 from cache"), "{}", stderr(&second));
    assert_eq!(cached_entries(&book), 6);
    assert!(html == read(&book.join("out/html/diagrams.html")), "a rebuild from the cache changed the page");
}

#[test]
fn an_edited_diagram_alone_is_redrawn() {
    let (_temp, book) = copy_fixture("diagrams");
    assert_eq!(code(&folio("build", &book)), 0);
    let chapter = book.join("chapters/diagrams.md");
    std::fs::write(&chapter, read(&chapter).replace("Pikchr SVG", "Pikchr drawing")).unwrap();
    let output = folio("build", &book);
    assert!(stderr(&output).contains("diagrams: 1 drawn, 5 from cache"), "{}", stderr(&output));
    assert_eq!(cached_entries(&book), 6, "the stale entry is removed");
}

/// Each broken fixture: its fence's `file:line`, and the line inside the diagram.
const BROKEN: [(&str, &str, &str); 4] = [
    ("mermaid", "chapters/broken.md:5:1", "line 3 of the diagram"),
    ("dot", "chapters/broken.md:5:1", "line 3 of the diagram"),
    ("bob", "chapters/broken.md:5:1", "line 2 of the diagram"),
    ("pikchr", "chapters/broken.md:5:1", "line 3 of the diagram"),
];

#[test]
fn a_broken_diagram_of_each_language_is_an_error_at_its_fence() {
    for (lang, place, line) in BROKEN {
        let (_temp, book) = copy_fixture(&format!("diagrams-broken/{lang}"));
        let output = folio("build", &book);
        let err = stderr(&output);
        assert_eq!(code(&output), 1, "{lang}: {err}");
        assert!(err.contains(&format!("{place}: error: the {lang} diagram cannot be drawn")), "{lang}: {err}");
        assert!(err.contains(line), "{lang}: {err}");
        assert!(!err.contains("panicked"), "{lang}: {err}");
        assert!(!book.join("out/html").exists(), "{lang}");
    }
}

#[test]
fn an_engine_that_panics_is_an_error_not_a_crash() {
    let (_temp, book) = copy_fixture("diagrams-broken/dot");
    let chapter = book.join("chapters/broken.md");
    let text = read(&chapter);
    let start = text.find("digraph").unwrap();
    // layout-rs panics on a record label that opens a field group and never closes it.
    let panicking = format!("{}digraph {{ a [shape=record label=\"{{\"] }}\n```\n", &text[..start]);
    std::fs::write(&chapter, panicking).unwrap();
    let output = folio("build", &book);
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    assert!(
        err.contains("chapters/broken.md:5:1: error: the dot diagram cannot be drawn: the dot engine crashed"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn check_reports_diagram_errors_and_writes_nothing() {
    let (_temp, book) = copy_fixture("diagrams-broken/dot");
    let output = folio("check", &book);
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("chapters/broken.md:5:1: error: the dot diagram"));
    assert!(!book.join("out").exists());
}
