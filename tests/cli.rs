//! The command line, run as a user would: help, exit codes, manifest errors with their
//! `book.toml:line:col`, `folio new`, `folio build`, `folio check` and `folio clean`.

mod common;

use common::{code, copy_fixture, folio, read, stderr};

#[test]
fn help_lists_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let output = folio(dir.path(), &["--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for command in ["build", "check", "serve", "clean", "new", "completions"] {
        assert!(text.contains(command), "--help lacks {command}:\n{text}");
    }
    assert_eq!(code(&output), 0);
}

#[test]
fn version_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let output = folio(dir.path(), &["--version"]);
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("folio "));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&folio(dir.path(), &["frobnicate"])), 2);
    assert_eq!(code(&folio(dir.path(), &["build", "--edition", "mobi"])), 2);
    let output = folio(dir.path(), &["build", "no-such-book"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("no-such-book"));
}

#[test]
fn a_new_book_builds() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&folio(dir.path(), &["new", "my-book"])), 0);
    let output = folio(dir.path(), &["build", "my-book", "--edition", "html"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let html = dir.path().join("my-book/out/html");
    for page in ["index.html", "preface.html", "01-getting-started.html", "02-going-further.html", "01-first-case.html"]
    {
        assert!(html.join(page).is_file(), "{page} missing");
    }
    let chapter = read(&html.join("01-getting-started.html"));
    assert!(chapter.contains(">Table 1.1</span>: The three editions"), "{chapter}");
    assert_eq!(code(&folio(dir.path(), &["new", "my-book"])), 2, "new refuses a folder that is not empty");
}

fn book_with_manifest(manifest: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(book.join("chapters/one.md"), "# One {#ch-one}\n\nText.\n").unwrap();
    std::fs::write(book.join("book.toml"), manifest).unwrap();
    (dir, book)
}

fn assert_book_error(manifest: &str, location: &str) {
    let (dir, book) = book_with_manifest(manifest);
    let output = folio(dir.path(), &["build", "book"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    assert!(err.contains(location), "expected {location} in:\n{err}");
    assert!(!book.join("out").exists(), "nothing is written for a book with errors");
}

#[test]
fn a_toml_syntax_error_names_its_line_and_column() {
    assert_book_error("[book]\ntitle = \"A\n[contents]\nfront = [\"chapters/one.md\"]\n", "book.toml:2:");
}

#[test]
fn a_misspelt_key_names_its_line_and_column() {
    assert_book_error(
        "[book]\ntitle = \"A\"\nauthor = [\"B\"]\n[contents]\nfront = [\"chapters/one.md\"]\n",
        "book.toml:3:1: error: unknown field `author`",
    );
}

#[test]
fn a_missing_chapter_is_named() {
    assert_book_error(
        "[book]\ntitle = \"A\"\n[contents]\nfront = [\"chapters/one.md\", \"chapters/two.md\"]\n",
        "book.toml:4:29: error: file not found: chapters/two.md",
    );
}

#[test]
fn diagnostics_show_the_source_line_and_a_caret() {
    let (dir, _book) =
        book_with_manifest("[book]\ntitle = \"A\"\nauthor = [\"B\"]\n[contents]\nfront = [\"chapters/one.md\"]\n");
    let err = stderr(&folio(dir.path(), &["check", "book"]));
    assert!(err.contains("  3 | author = [\"B\"]\n    | ^^^^^^"), "{err}");
}

#[test]
fn build_writes_one_page_per_manifest_file() {
    let (_temp, book) = copy_fixture("xref");
    let output = folio(book.parent().unwrap(), &["build", "xref", "--edition", "html"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let html = book.join("out/html");
    for page in ["index.html", "preface.html", "one.html", "two.html", "alpha.html", "beta.html", "appendix.html"] {
        assert!(html.join(page).is_file(), "{page} missing");
    }
    assert!(html.join("images/pipeline.png").is_file(), "images are copied");
    assert!(html.join("theme/style.css").is_file());
    assert!(html.join("fonts/LibertinusSerif-Regular.otf").is_file());
}

#[test]
fn check_reports_errors_in_several_files_in_one_run() {
    let (_temp, book) = copy_fixture("xref-errors");
    let output = folio(book.parent().unwrap(), &["check", "xref-errors"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    for expected in [
        "chapters/a.md:5:16: error: unknown label `fig-missing`",
        "chapters/b.md:3:1: error: label `sec-shared` is defined twice",
        "chapters/a.md:3:1: note: `sec-shared` is first defined here",
        "chapters/c.md:3:1: error: label `part-odd` on a heading has an unknown prefix",
        "chapters/c.md:5:11: error: `#sec-nothing` matches no label or heading in a.md",
    ] {
        assert!(err.contains(expected), "expected `{expected}` in:\n{err}");
    }
    assert!(!book.join("out").exists(), "check writes nothing");
}

#[test]
fn clean_removes_only_the_output_folder() {
    let (_temp, book) = copy_fixture("xref");
    let parent = book.parent().unwrap();
    assert_eq!(code(&folio(parent, &["build", "xref", "--edition", "html"])), 0);
    assert!(book.join("out/html/index.html").is_file());
    assert_eq!(code(&folio(parent, &["clean", "xref"])), 0);
    assert!(!book.join("out").exists());
    assert!(book.join("book.toml").is_file() && book.join("images/pipeline.png").is_file());
}

#[test]
fn an_output_folder_that_holds_the_book_is_refused() {
    let (_temp, book) = copy_fixture("xref");
    let parent = book.parent().unwrap();
    let output = folio(parent, &["build", "xref", "--out", "."]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
}

#[test]
fn completions_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    let output = folio(dir.path(), &["completions", "bash"]);
    assert_eq!(code(&output), 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("folio"));
}
