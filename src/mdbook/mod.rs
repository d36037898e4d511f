//! mdBook projects, built as they are. A `book.toml` without `[contents]` whose source folder
//! (`[book] src`, default `src/`) holds a `SUMMARY.md` is an mdBook: the summary becomes the
//! manifest (prefix chapters the front matter, numbered chapters the parts, nested chapters
//! sections of their parent, suffix chapters the back matter), mdBook's settings that mean
//! something to folio are read and the rest named once in a warning. Chapters' directives are
//! expanded by [`include`]; [`convert`] writes a folio manifest for authors who switch.

pub mod convert;
mod include;
mod summary;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::manifest::{self, Contents, FileEntry, Manifest, PartEntry, PartKind};
use crate::root::{BookRoot, PathProblem};
use crate::source::{Source, SourceId, SourceMap, Span};
pub use include::{Expanded, Strictness, expand};
use std::collections::HashSet;
use std::path::Path;
use summary::{Entry, Summary};

/// mdBook's own preprocessors, whose work folio does itself.
const BUILT_IN_PREPROCESSORS: [&str; 2] = ["links", "index"];

/// Keys of an mdBook's `book.toml` that folio reads, as `table.key`.
const READ_KEYS: [&str; 18] = [
    "book.title",
    "book.authors",
    "book.language",
    "book.description",
    "book.src",
    "book.subtitle",
    "book.identifier",
    "book.publisher",
    "book.rights",
    "book.version",
    "book.keywords",
    "book.cover",
    "book.slug",
    "output.dir",
    "output.editions",
    "output.theme",
    "output.html.additional-css",
    "build.create-missing",
];

/// folio's own tables, allowed in an mdBook's `book.toml` and checked as in a folio book.
const FOLIO_TABLES: [&str; 3] = ["html", "epub", "pdf"];

/// Whether the `book.toml` `text` in `dir` belongs to an mdBook.
pub fn is_mdbook(dir: &Path, text: &str) -> bool {
    let Ok(table) = text.parse::<toml::Table>() else {
        return false;
    };
    !table.contains_key("contents") && dir.join(source_dir(&table)).join("SUMMARY.md").is_file()
}

/// The source folder `[book] src` names, `src` by default.
fn source_dir(table: &toml::Table) -> String {
    let src = table.get("book").and_then(|book| book.get("src")).and_then(toml::Value::as_str);
    src.unwrap_or("src").trim_end_matches('/').to_string()
}

/// The manifest of the mdBook whose `book.toml` is `text` (source `id`): its `SUMMARY.md` is
/// added to `sources`. `None` when either has errors.
pub fn manifest(
    text: &str,
    id: SourceId,
    root: &BookRoot,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Manifest> {
    let table: toml::Table = text.parse().ok()?;
    let src = source_dir(&table);
    let summary_path = match root.resolve_file(&src, "SUMMARY.md") {
        Ok(path) => path,
        Err(problem) => {
            diags.push(Diagnostic::path_error("book.toml", format!("SUMMARY.md: {problem}")));
            return None;
        }
    };
    let summary_text = match load::read_text(root, &summary_path) {
        Ok(text) => text,
        Err(problem) => {
            diags.push(Diagnostic::path_error(summary_path, problem));
            return None;
        }
    };
    let summary_id = sources.add(Source::new(summary_path, summary_text));
    let summary = summary::parse(summary_id, sources.get(summary_id).text(), diags);
    report_unread(&table, Span::new(id, 0..0), diags);
    let create_missing =
        table.get("build").and_then(|build| build.get("create-missing")).and_then(toml::Value::as_bool);
    let mut collector =
        Collector { root, src: &src, seen: HashSet::new(), create_missing: create_missing.unwrap_or(true), diags };
    let contents = collector.contents(&summary);
    let listed = contents.front.len() + contents.back.len() + contents.parts.len();
    if listed == 0 && !diags.has_errors() {
        diags.push(
            Diagnostic::warning(Span::new(summary_id, 0..0), "SUMMARY.md lists no chapters")
                .with_help("the editions hold only the title page; list chapters as `- [Title](file.md)`"),
        );
    }
    let title = fallback_title(&summary, root);
    let manifest = manifest::parse_mdbook(text, id, root, contents, &title, diags);
    manifest.filter(|_| !diags.has_errors())
}

/// The title when `book.toml` gives none: the summary's heading, unless it is the customary
/// "Summary", else the folder's name.
fn fallback_title(summary: &Summary, root: &BookRoot) -> String {
    let heading = summary.title.as_deref().filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("summary"));
    let folder = root.path().file_name().map(|name| name.to_string_lossy().into_owned());
    heading.map(str::to_string).or(folder).unwrap_or_else(|| "Book".to_string())
}

/// One warning naming the settings folio does not read, one naming the skipped preprocessors.
fn report_unread(table: &toml::Table, at: Span, diags: &mut Diagnostics) {
    let mut unread = Vec::new();
    let mut skipped = Vec::new();
    for (key, value) in table {
        match (key.as_str(), value.as_table()) {
            (table_name, _) if FOLIO_TABLES.contains(&table_name) => {}
            ("preprocessor", Some(preprocessors)) => skipped
                .extend(preprocessors.keys().filter(|name| !BUILT_IN_PREPROCESSORS.contains(&name.as_str())).cloned()),
            (name, Some(inner)) => unread.extend(unread_keys(name, inner)),
            (name, None) => unread.push(name.to_string()),
        }
    }
    if !unread.is_empty() {
        diags.warning(at, format!("mdBook settings folio does not use, ignored: {}", unread.join(", ")));
    }
    if !skipped.is_empty() {
        diags.push(
            Diagnostic::warning(at, format!("mdBook preprocessors skipped: {}", skipped.join(", ")))
                .with_help("folio runs no external programs; their directives stay as written"),
        );
    }
}

/// The keys of table `name` that folio does not read, as `name.key`; `[output.html]` is
/// looked into, since folio reads some of it.
fn unread_keys(name: &str, table: &toml::Table) -> Vec<String> {
    let mut unread = Vec::new();
    for (key, value) in table {
        let path = format!("{name}.{key}");
        match value.as_table() {
            Some(inner) if path == "output.html" => unread.extend(unread_keys(&path, inner)),
            _ if READ_KEYS.contains(&path.as_str()) => {}
            _ => unread.push(path),
        }
    }
    unread
}

/// Turns the summary's links into manifest entries, checking each file.
struct Collector<'a> {
    root: &'a BookRoot,
    src: &'a str,
    seen: HashSet<String>,
    /// `[build] create-missing`: a chapter file that does not exist is read as empty, as
    /// mdBook creates it (the default), instead of being an error.
    create_missing: bool,
    diags: &'a mut Diagnostics,
}

impl Collector<'_> {
    fn contents(&mut self, summary: &Summary) -> Contents {
        let front = self.entries(&summary.prefix);
        let parts = summary
            .parts
            .iter()
            .map(|part| PartEntry {
                title: part.title.clone().unwrap_or_default(),
                kind: PartKind::Chapter,
                files: self.entries(&part.chapters),
            })
            .filter(|part| !part.files.is_empty())
            .collect();
        let back = self.entries(&summary.suffix);
        Contents { front, parts, back }
    }

    /// The files of `entries`, nested ones as sections; a draft is skipped with a warning and
    /// its nested chapters take its place.
    fn entries(&mut self, entries: &[Entry]) -> Vec<FileEntry> {
        let mut files = Vec::new();
        for entry in entries {
            match &entry.path {
                None => {
                    self.diags
                        .warning(entry.span, format!("draft chapter \"{}\" has no file yet; skipped", entry.title));
                    files.extend(self.entries(&entry.children));
                }
                Some(written) => {
                    if let Some(mut file) = self.file(written, &entry.title, entry.span) {
                        file.sections = self.entries(&entry.children);
                        files.push(file);
                    }
                }
            }
        }
        files
    }

    fn file(&mut self, written: &str, title: &str, span: Span) -> Option<FileEntry> {
        match self.root.resolve_file(self.src, written) {
            Ok(path) if !self.seen.insert(path.clone()) => {
                self.diags.error(span, format!("{path} is listed twice"));
                None
            }
            Ok(path) => Some(entry(path, title, span, false)),
            Err(PathProblem::NotFound(path)) if self.create_missing && self.seen.insert(path.clone()) => {
                self.diags.push(
                    Diagnostic::warning(span, format!("file not found: {path}; built as an empty chapter")).with_help(
                        "mdBook creates missing chapters; write the file, or set `[build] create-missing = false`",
                    ),
                );
                Some(entry(path, title, span, true))
            }
            Err(problem) => {
                self.diags.error(span, problem.to_string());
                None
            }
        }
    }
}

fn entry(path: String, title: &str, span: Span, missing: bool) -> FileEntry {
    FileEntry { path, span, title: Some(title.to_string()), sections: Vec::new(), missing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    fn mdbook(files: &[(&str, &str)]) -> (tempfile::TempDir, Option<Manifest>, Vec<String>) {
        let (dir, root) = include::tests::book(files);
        let text = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
        assert!(is_mdbook(dir.path(), &text));
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("book.toml", text.clone()));
        let mut diags = Diagnostics::default();
        let manifest = manifest(&text, id, &root, &mut sources, &mut diags);
        let messages = diags
            .iter()
            .map(|d| format!("{}: {}", if d.severity == Severity::Error { "error" } else { "warning" }, d.message))
            .collect();
        (dir, manifest, messages)
    }

    #[test]
    fn the_summary_becomes_the_manifest() {
        let (_dir, manifest, messages) = mdbook(&[
            (
                "book.toml",
                "[book]\ntitle = \"Guide\"\nsrc = \"text\"\nmultilingual = false\n[build]\nbuild-dir = \"site\"\n[preprocessor.links]\n[preprocessor.katex]\n[output.html]\nmathjax-support = true\n[pdf]\npaper = \"a5\"\n",
            ),
            (
                "text/SUMMARY.md",
                "# Summary\n[Intro](intro.md)\n# Part A\n- [One](one.md)\n  - [Sub](one/sub.md)\n  - [Later]()\n\n[End](end.md)\n",
            ),
            ("text/intro.md", "# Intro"),
            ("text/one.md", "# One"),
            ("text/one/sub.md", "# Sub"),
            ("text/end.md", "# End"),
        ]);
        let manifest = manifest.unwrap_or_else(|| panic!("{messages:?}"));
        assert_eq!(manifest.meta.title, "Guide", "{messages:?}");
        assert_eq!(manifest.front.len(), 1, "{messages:?}");
        assert!(manifest.mdbook);
        assert_eq!(manifest.front[0].path, "text/intro.md");
        assert_eq!(manifest.parts[0].title, "Part A");
        assert_eq!(manifest.parts[0].files[0].path, "text/one.md");
        assert_eq!(manifest.parts[0].files[0].sections[0].path, "text/one/sub.md");
        assert_eq!(manifest.back[0].path, "text/end.md");
        assert_eq!(manifest.pdf.paper.unwrap().value, "a5");
        assert_eq!(
            messages,
            [
                "warning: mdBook settings folio does not use, ignored: book.multilingual, build.build-dir, output.html.mathjax-support",
                "warning: mdBook preprocessors skipped: katex",
                "warning: draft chapter \"Later\" has no file yet; skipped",
            ]
        );
    }

    #[test]
    fn missing_and_duplicate_files_are_errors_in_the_summary() {
        let (_dir, manifest, messages) = mdbook(&[
            ("book.toml", "[build]\ncreate-missing = false\n"),
            ("src/SUMMARY.md", "- [A](a.md)\n- [Again](a.md)\n- [Gone](gone.md)\n"),
            ("src/a.md", "# A"),
        ]);
        assert!(manifest.is_none());
        assert_eq!(messages, ["error: src/a.md is listed twice", "error: file not found: src/gone.md"]);
    }

    #[test]
    fn missing_files_are_empty_chapters_as_mdbook_creates_them() {
        let (_dir, manifest, messages) =
            mdbook(&[("book.toml", ""), ("src/SUMMARY.md", "- [A](a.md)\n- [Gone](gone.md)\n"), ("src/a.md", "# A")]);
        let manifest = manifest.unwrap_or_else(|| panic!("{messages:?}"));
        assert_eq!(messages, ["warning: file not found: src/gone.md; built as an empty chapter"]);
        let gone = &manifest.parts[0].files[1];
        assert_eq!((gone.path.as_str(), gone.missing), ("src/gone.md", true));
    }

    #[test]
    fn a_folio_manifest_is_no_mdbook() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/SUMMARY.md"), "- [A](a.md)").unwrap();
        assert!(!is_mdbook(dir.path(), "[book]\ntitle = \"A\"\n[contents]\nfront = [\"src/a.md\"]\n"));
        assert!(is_mdbook(dir.path(), "[book]\ntitle = \"A\"\n"));
    }
}
