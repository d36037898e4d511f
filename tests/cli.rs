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
        "chapters/c.md:3:1: error: label `fig-odd` on a heading has an unknown prefix",
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

#[test]
fn github_and_json_diagnostics_locate_each_error() {
    let (_temp, book) = copy_fixture("xref-errors");
    let parent = book.parent().unwrap();
    let output = folio(parent, &["check", "xref-errors", "--message-format", "github"]);
    assert_eq!(code(&output), 1);
    let annotations = String::from_utf8_lossy(&output.stdout);
    assert!(
        annotations.contains(
            "::error file=xref-errors/chapters/a.md,line=5,col=16,endLine=5,endColumn=28::unknown label `fig-missing`"
        ),
        "{annotations}"
    );
    assert_eq!(annotations.lines().filter(|l| l.starts_with("::error ")).count(), 4);

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["check", "xref-errors"])
        .current_dir(parent)
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("::error file=xref-errors/chapters/b.md,line=3,col=1"),
        "GITHUB_ACTIONS turns annotations on"
    );

    let output = folio(parent, &["check", "xref-errors", "--message-format", "json"]);
    assert_eq!(code(&output), 1);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 4);
    let unknown = lines.iter().find(|v| v["message"] == "unknown label `fig-missing`").expect("the unknown label");
    assert_eq!(
        (unknown["file"].as_str(), unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some("chapters/a.md"), Some(5), Some(16))
    );
}

#[test]
fn a_book_of_many_files_loads_its_table_of_contents_once_per_site() {
    let temp = tempfile::tempdir().unwrap();
    let book = temp.path().join("many");
    std::fs::create_dir_all(book.join("ch")).unwrap();
    let files: Vec<String> = (0..250).map(|i| format!("ch/f{i:03}.md")).collect();
    for (i, file) in files.iter().enumerate() {
        std::fs::write(book.join(file), format!("# File {i}\n\nText {i}.\n")).unwrap();
    }
    let list = files.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ");
    std::fs::write(
        book.join("book.toml"),
        format!("[book]\ntitle = \"Many\"\n[[contents.part]]\ntitle = \"P\"\nfiles = [{list}]\n"),
    )
    .unwrap();
    let output = folio(temp.path(), &["build", "many", "--edition", "html"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let site = book.join("out/html");
    let page = std::fs::read_to_string(site.join("f100.html")).unwrap();
    assert!(page.contains("<script src=\"toc.js\"></script>"), "{page}");
    assert!(!page.contains("f200.html"), "a page does not carry the whole table of contents");
    let script = std::fs::read_to_string(site.join("toc.js")).unwrap();
    assert!(script.contains("f200.html") && script.contains("aria-current"), "{script}");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("f200.html"), "the index page keeps the whole table of contents");
}
