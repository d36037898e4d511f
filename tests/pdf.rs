//! The PDF edition, end to end: the `folio` binary builds fixture books in temporary folders,
//! and poppler-utils and qpdf inspect the PDFs as a reader's tools would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The hostile string as the Markdown renders it (smart quotes folded back by [`normalize`]).
const HOSTILE: &str = r#"#panic("x") #read("/etc/passwd") $x$ <x> @x * _ ` \ // /*"#;

/// A fixed build date, so that builds are byte-identical.
const EPOCH: &str = "1767225600";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of fixture `name`.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

fn folio(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio")).args(args).arg(dir).env("SOURCE_DATE_EPOCH", EPOCH).output().unwrap()
}

fn build_pdf(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--edition", "pdf"];
    args.extend_from_slice(extra);
    folio(dir, &args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a PDF tool and returns its standard output.
fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed (apt-get install poppler-utils qpdf): {e}"));
    assert!(output.status.success(), "{program} {args:?}: {}", stderr(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// Extracted text without line breaks, hyphenation or spaces, and with straight quotes.
fn normalize(text: &str) -> String {
    text.replace("-\n", "").replace(['“', '”'], "\"").chars().filter(|c| !c.is_whitespace()).collect()
}

/// The hostile fixture, built once for all the tests that only read it.
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    pdf: PathBuf,
    text: String,
}

fn hostile() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = copy_of("hostile");
        let output = build_pdf(dir.path(), &["--keep-typst"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let out = dir.path().join("out");
        let pdf = out.join("hostile-panic-x-x-x-x-book.pdf");
        let text = text_of(&pdf);
        Built { _dir: dir, out, pdf, text }
    })
}

#[test]
fn hostile_text_prints_literally_in_every_kind_of_node() {
    let text = normalize(&hostile().text);
    let places = [
        "Hostile", // the chapter title
        "Paragraph:",
        "1.1Heading",
        "link",
        "Footnote:",
        "Figure1.1Caption:",
        "Table1.1Tablecaption:",
        "Cell:",
        "Item:",
        "Numbered:",
        "Task:",
        "Quote:",
        "Alert:",
        "Listing1.1Listingcaption:",
    ];
    let hostile = normalize(HOSTILE);
    for place in places {
        let expected = format!("{place}{hostile}");
        assert!(text.contains(&expected), "{place}: no `{expected}` in\n{text}");
    }
    for literal in [
        r#"emph #panic("x") $x$ <x> @x \ // /*"#,
        r#"strong #read("/etc/passwd") _ ` /*"#,
        r#"code #panic("x") $x$ <x> @x * _ ` \ // /*"#,
        r#"struck #panic("x") @x"#,
        "Keys: Ctrl.",
    ] {
        assert!(text.contains(&normalize(literal)), "no `{literal}`");
    }
    assert!(text.contains(&normalize("Done: #panic(\"x\") $x$")));
    assert!(!text.contains("root:x:"), "the PDF shows a file from outside the book");
}

#[test]
fn the_code_block_keeps_its_straight_quotes() {
    let text = &hostile().text;
    assert!(text.contains("#panic(\"x\")\n#read(\"/etc/passwd\")"), "{text}");
}

#[test]
fn alt_text_goes_into_the_structure_tree() {
    let json = tool("qpdf", &["--json", "--json-stream-data=none", hostile().pdf.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut strings = Vec::new();
    collect_strings(&json, &mut strings);
    let alt = r#"inline alt #panic(“x”) $x$ <x> @x * _ \ // /*"#;
    assert!(strings.iter().any(|s| s.trim_start_matches("u:") == alt), "no /Alt `{alt}`");
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

#[test]
fn the_pdf_is_a_tagged_book_with_embedded_fonts_and_an_outline() {
    let built = hostile();
    let pdf = built.pdf.to_str().unwrap();
    let info = tool("pdfinfo", &[pdf]);
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(field("Title"), r#"Hostile #panic("x") $x$ <x> @x Book"#);
    assert_eq!(field("Author"), "A. Tester");
    assert_eq!(field("Tagged"), "yes");
    assert!(field("Keywords").contains("typesetting"), "{info}");
    assert!(field("Pages").parse::<u32>().unwrap() > 1, "{info}");

    let fonts = tool("pdffonts", &[pdf]);
    let rows: Vec<_> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let columns: Vec<_> = row.split_whitespace().collect();
        let emb = columns[columns.len() - 5];
        assert_eq!(emb, "yes", "not embedded: {row}");
    }

    let outline = tool("qpdf", &["--json", "--json-key=outlines", pdf]);
    let outline: serde_json::Value = serde_json::from_str(&outline).unwrap();
    let titles = outline["outlines"].to_string();
    for title in
        ["Contents", "Figures", "Tables", "Preface", "Case Studies", "Chapter 2 A Plain Chapter", "2.1 Numbers"]
    {
        assert!(titles.contains(title), "no bookmark `{title}` in {titles}");
    }

    let text = &built.text;
    for expected in
        ["A Plain Chapter", "A Small Study", "Preface", "Figure 2.1", "Table 2.1", "Case Study 1", "Section 1.1"]
    {
        assert!(text.contains(expected), "no `{expected}` in the text");
    }
}

#[test]
fn keep_typst_writes_a_project_the_typst_cli_can_compile() {
    let typst = hostile().out.join("typst");
    for file in ["main.typ", "book.typ", "book.json", "assets/images/dot.png", "fonts/LibertinusSerif-Regular.otf"] {
        assert!(typst.join(file).is_file(), "no {file}");
    }
    let data = std::fs::read_to_string(typst.join("book.json")).unwrap();
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["meta"]["title"], r#"Hostile #panic("x") $x$ <x> @x Book"#);
}

#[test]
fn builds_are_reproducible() {
    let again = copy_of("hostile");
    let output = build_pdf(again.path(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let first = std::fs::read(&hostile().pdf).unwrap();
    let second = std::fs::read(again.path().join("out/hostile-panic-x-x-x-x-book.pdf")).unwrap();
    assert!(first == second, "two builds of the same book differ");
}

#[test]
fn a_broken_image_is_reported_at_its_figure() {
    let dir = copy_of("hostile");
    std::fs::write(dir.path().join("images/dot.png"), "not a picture").unwrap();
    let output = build_pdf(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let errors = stderr(&output);
    assert!(errors.contains("chapters/01-hostile.md:"), "{errors}");
    assert!(errors.contains("images/dot.png is not a PNG image"), "{errors}");
    assert!(!errors.contains("book.json"), "{errors}");
    assert!(!dir.path().join("out/hostile-panic-x-x-x-x-book.pdf").exists());
}

#[test]
fn a_template_failing_on_a_node_is_reported_at_the_markdown() {
    let dir = copy_of("hostile");
    let template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/book.typ")).unwrap();
    let broken = template.replace(
        "} else if kind == \"table\" {",
        "} else if kind == \"table\" { panic(\"no tables here\") } else if false {",
    );
    assert_ne!(broken, template);
    std::fs::create_dir_all(dir.path().join("themes/default")).unwrap();
    std::fs::write(dir.path().join("themes/default/book.typ"), broken).unwrap();
    let output = build_pdf(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let errors = stderr(&output);
    let table_line = std::fs::read_to_string(dir.path().join("chapters/01-hostile.md"))
        .unwrap()
        .lines()
        .position(|line| line == "| Cell |")
        .unwrap()
        + 1;
    assert!(errors.contains(&format!("chapters/01-hostile.md:{table_line}:")), "{errors}");
    assert!(errors.contains("no tables here"), "{errors}");
    assert!(errors.contains("themes/default/book.typ:"), "{errors}");
}

#[test]
fn a_broken_template_is_reported_at_its_line() {
    let dir = copy_of("hostile");
    std::fs::create_dir_all(dir.path().join("themes/default")).unwrap();
    std::fs::write(dir.path().join("themes/default/book.typ"), "#let book(data) = {\n  undefined-function(data)\n}\n")
        .unwrap();
    let output = build_pdf(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let errors = stderr(&output);
    assert!(errors.contains("themes/default/book.typ:2:3: error"), "{errors}");
}

#[test]
fn page_refs_paper_and_pdf_ua() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("book");
    let output = Command::new(env!("CARGO_BIN_EXE_folio")).args(["new"]).arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = dir.join("book.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("\n[pdf]\npaper = \"6x9in\"\npage-refs = true\nstandard = \"ua-1\"\n");
    std::fs::write(&manifest, text).unwrap();
    let output = build_pdf(&dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let pdf = pdf.to_str().unwrap();
    let info = tool("pdfinfo", &[pdf]);
    assert!(info.contains("432 x 648 pts"), "{info}");
    assert!(text_of(Path::new(pdf)).contains(" on page "));
    let meta = tool("pdfinfo", &["-meta", pdf]);
    assert!(meta.contains("pdfuaid"), "no PDF/UA claim in {meta}");
}

#[test]
fn unknown_paper_is_an_error_in_the_manifest() {
    let dir = copy_of("hostile");
    let manifest = dir.path().join("book.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("\n[pdf]\npaper = \"napkin\"\n");
    std::fs::write(&manifest, text).unwrap();
    let output = folio(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("unknown paper `napkin`"), "{}", stderr(&output));
}
