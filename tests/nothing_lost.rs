//! Nothing lost: a build that fails, or that is killed at any moment, leaves the previous
//! editions byte for byte as they were; `folio clean` removes only a folder folio made.

mod common;

use common::{code, folio, stderr};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A fixed build date, so that two builds of the same book give the same bytes.
const EPOCH: &str = "1767225600";

/// Writes a book of `chapters` chapters, long enough that building it takes a moment;
/// `edition` changes a word in every chapter.
fn write_book(dir: &Path, chapters: usize, edition: &str) {
    std::fs::create_dir_all(dir.join("chapters")).expect("mkdir");
    let files: Vec<String> = (1..=chapters).map(|n| format!("\"chapters/{n:02}.md\"")).collect();
    let manifest = format!(
        "[book]\ntitle = \"Kept\"\nidentifier = \"urn:uuid:0b7c1d52-8f0e-4c3a-9d27-5a1e6f4b2c91\"\n\n[[contents.part]]\ntitle = \"Part\"\nfiles = [{}]\n",
        files.join(", ")
    );
    std::fs::write(dir.join("book.toml"), manifest).expect("write");
    for n in 1..=chapters {
        std::fs::write(dir.join(format!("chapters/{n:02}.md")), chapter(n, edition)).expect("write");
    }
}

fn chapter(n: usize, edition: &str) -> String {
    let mut text = format!("# Chapter {n} ({edition}) {{#ch-{n}}}\n\n");
    for section in 1..=4 {
        text.push_str(&format!("## Section {section} {{#sec-{n}-{section}}}\n\n"));
        for paragraph in 0..6 {
            text.push_str(&format!(
                "Paragraph {paragraph} of the {edition} text, with *emphasis*, `code`, a reference to @sec-{n}-1 \
                 and to @ch-1, and enough words to fill a line or two of a printed page.\n\n"
            ));
        }
        text.push_str("| Tier | Capacity |\n|---|--:|\n| small | 10 |\n| large | 1000 |\n\n");
        text.push_str(&format!("Table: Capacity {section} {{#tbl-{n}-{section}}}\n\n"));
        text.push_str("```rust\nfn main() {\n    println!(\"kept\");\n}\n```\n\n");
    }
    text
}

/// Every file of the editions under `out` (the HTML folder, the EPUB, the PDF) and its bytes;
/// staging files beside them (hidden names) are not editions.
fn editions(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(out, out, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if dir == base && name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let bytes = std::fs::read(&path).expect("read an edition file");
            files.insert(path.strip_prefix(base).expect("inside out").to_path_buf(), bytes);
        }
    }
}

fn build_command(book: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
    command
        .args(["build", ".", "--quiet"])
        .current_dir(book)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Builds every edition; returns how long it took.
fn build(book: &Path) -> Duration {
    let started = Instant::now();
    let output = build_command(book).output().expect("folio runs");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    started.elapsed()
}

/// Starts a build and kills it (SIGKILL) after `delay`; returns whether it was still running.
fn build_killed_after(book: &Path, delay: Duration) -> bool {
    let mut child = build_command(book).spawn().expect("folio runs");
    std::thread::sleep(delay);
    let running = child.try_wait().expect("wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

fn assert_same(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>, when: &str) {
    let keys = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(before), keys(after), "{when}: the editions' files changed");
    for (path, bytes) in before {
        assert!(after[path] == *bytes, "{when}: {} changed", path.display());
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_editions_intact() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let book = temp.path().join("book");
    let next_book = temp.path().join("next");
    write_book(&next_book, 30, "second");
    build(&next_book);
    let next = editions(&next_book.join("out"));
    write_book(&book, 30, "first");
    let took = build(&book);
    let out = book.join("out");
    let before = editions(&out);
    assert!(before.keys().any(|p| p.ends_with("kept.pdf")), "{:?}", before.keys());
    assert!(before.keys().any(|p| p.ends_with("kept.epub")));
    assert!(before.keys().any(|p| p.ends_with("html/index.html")));
    assert!(before != next, "the two versions of the book differ");

    let mut interrupted = 0;
    for percent in [2, 10, 25, 40, 55, 70, 85, 95] {
        let delay = took * percent / 100;
        write_book(&book, 30, "second");
        let running = build_killed_after(&book, delay);
        let now = editions(&out);
        if now == next {
            // The build had put every new edition in place before it was killed.
            write_book(&book, 30, "first");
            build(&book);
            continue;
        }
        assert_same(&before, &now, &format!("killed after {delay:?} ({percent}% of a build)"));
        interrupted += usize::from(running);
    }
    assert!(interrupted >= 4, "only {interrupted} builds were killed before they finished");

    write_book(&book, 30, "second");
    build(&book);
    assert_same(&next, &editions(&out), "after a build that completes");
    let hidden: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".build-") || name.contains(".tmp-") || name.contains(".old-"))
        .collect();
    assert!(hidden.is_empty(), "the killed builds' leftovers are removed: {hidden:?}");
}

#[test]
fn a_build_with_errors_leaves_the_previous_editions_intact() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let book = temp.path().join("book");
    write_book(&book, 3, "first");
    build(&book);
    let before = editions(&book.join("out"));

    std::fs::write(book.join("chapters/02.md"), "# Two\n\nSee @fig-nowhere.\n").expect("write");
    let output = build_command(&book).output().expect("folio runs");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_same(&before, &editions(&book.join("out")), "after a book error");
}

#[test]
fn a_build_that_fails_in_typst_leaves_every_edition_intact() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let book = temp.path().join("book");
    write_book(&book, 3, "first");
    build(&book);
    let before = editions(&book.join("out"));

    write_book(&book, 3, "second");
    std::fs::create_dir_all(book.join("themes/broken")).expect("mkdir");
    std::fs::write(book.join("themes/broken/book.typ"), "#let book(data) = {\n  panic(\"broken template\")\n}\n")
        .expect("write");
    let manifest = std::fs::read_to_string(book.join("book.toml")).expect("read");
    std::fs::write(book.join("book.toml"), format!("{manifest}\n[output]\ntheme = \"broken\"\n")).expect("write");
    let output = build_command(&book).output().expect("folio runs");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("broken template"), "{}", stderr(&output));
    assert_same(&before, &editions(&book.join("out")), "after Typst failed");
}

#[test]
fn clean_refuses_a_folder_folio_did_not_make() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let book = temp.path().join("book");
    write_book(&book, 1, "first");
    let foreign = temp.path().join("thesis");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("thesis.tex"), "years of work").expect("write");
    let output = folio(&book, &["clean", ".", "--out", "../thesis"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stderr(&output).contains("was not made by folio"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(foreign.join("thesis.tex")).expect("kept"), "years of work");

    let output = folio(&book, &["build", ".", "--out", "../thesis", "--edition", "html"]);
    assert_eq!(code(&output), 2, "build refuses it too: {}", stderr(&output));
    assert!(!foreign.join("html").exists());
}
