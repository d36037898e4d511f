//! Diagrams through the built binary: every language draws real text into the HTML edition,
//! a broken diagram of each language is an error at its fence, and a second build with
//! nothing changed redraws nothing (counted through the cache, not timed).

use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of fixture `name` in a temporary folder, so builds never write into the sources.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn folio(command: &str, book: &Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg(command)
        .arg(book)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
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
    let book = copy_of("diagrams");
    let output = folio("build", book.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let html = std::fs::read_to_string(book.path().join("out/html/diagrams.html")).unwrap();
    let texts = svg_texts(&html);
    assert_eq!(texts.len(), 6, "one <svg> per diagram");
    for label in LABELS {
        assert!(
            texts.iter().any(|t| t.contains(&squeeze(label))),
            "`{label}` is not text inside an <svg>"
        );
    }
    assert!(!html.contains("foreignObject"));
    assert!(!html.contains("diagram-source"));
    assert!(html.contains("<figcaption><span class=\"caption-number\">Figure 1.6</span>"));
}

#[test]
fn a_second_build_redraws_nothing() {
    let book = copy_of("diagrams");
    let first = folio("build", book.path());
    assert!(
        stderr(&first).contains("diagrams: 6 drawn, 0 from cache"),
        "{}",
        stderr(&first)
    );
    let html = std::fs::read(book.path().join("out/html/diagrams.html")).unwrap();
    let second = folio("build", book.path());
    assert!(
        stderr(&second).contains("diagrams: 0 drawn, 6 from cache"),
        "{}",
        stderr(&second)
    );
    let cached = std::fs::read_dir(book.path().join("out/.cache/diagrams"))
        .unwrap()
        .count();
    assert_eq!(cached, 6);
    let again = std::fs::read(book.path().join("out/html/diagrams.html")).unwrap();
    assert!(html == again, "a rebuild from the cache changed the page");
}

#[test]
fn an_edited_diagram_alone_is_redrawn() {
    let book = copy_of("diagrams");
    assert!(folio("build", book.path()).status.success());
    let chapter = book.path().join("chapters/diagrams.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, text.replace("Pikchr SVG", "Pikchr drawing")).unwrap();
    let output = folio("build", book.path());
    assert!(
        stderr(&output).contains("diagrams: 1 drawn, 5 from cache"),
        "{}",
        stderr(&output)
    );
    let cached = std::fs::read_dir(book.path().join("out/.cache/diagrams"))
        .unwrap()
        .count();
    assert_eq!(cached, 6, "the stale entry is removed");
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
        let book = copy_of(&format!("diagrams-broken/{lang}"));
        let output = folio("build", book.path());
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{lang}: {err}");
        assert!(
            err.contains(&format!(
                "{place}: error: the {lang} diagram cannot be drawn"
            )),
            "{lang}: {err}"
        );
        assert!(err.contains(line), "{lang}: {err}");
        assert!(!err.contains("panicked"), "{lang}: {err}");
        assert!(!book.path().join("out/html").exists(), "{lang}");
    }
}

#[test]
fn an_engine_that_panics_is_an_error_not_a_crash() {
    let book = copy_of("diagrams-broken/dot");
    let chapter = book.path().join("chapters/broken.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let start = text.find("digraph").unwrap();
    // layout-rs panics on a record label that opens a field group and never closes it.
    let panicking = format!(
        "{}digraph {{ a [shape=record label=\"{{\"] }}\n```\n",
        &text[..start]
    );
    std::fs::write(&chapter, panicking).unwrap();
    let output = folio("build", book.path());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "chapters/broken.md:5:1: error: the dot diagram cannot be drawn: the dot engine crashed"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn check_reports_diagram_errors_and_writes_nothing() {
    let book = copy_of("diagrams-broken/dot");
    let output = folio("check", book.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("chapters/broken.md:5:1: error: the dot diagram"));
    assert!(!book.path().join("out").exists());
}
