//! Diagnostics: problems in a book's content, collected rather than thrown.
//!
//! A pass records every problem it finds and keeps going, so `folio check` reports them all in
//! one run. Owns the rustc-style terminal rendering; knows nothing about Markdown or editions.

use crate::source::{SourceMap, Span};
use std::collections::{BTreeMap, HashMap};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The book cannot be built.
    Error,
    /// The book builds, but something deserves the author's attention.
    Warning,
}

/// Where a diagnostic points: a span in a loaded file, or a path that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A byte range in a loaded source.
    Span(Span),
    /// A file known only by its path (relative to the book root).
    Path(String),
}

/// One problem in the book.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is.
    pub location: Location,
    /// What is wrong, in one line.
    pub message: String,
    /// Other places that explain it ("first defined here").
    pub notes: Vec<(Span, String)>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Location::Span(span), message)
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, Location::Span(span), message)
    }

    /// An error about a file known only by its path.
    pub fn path_error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Location::Path(path.into()), message)
    }

    fn new(severity: Severity, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { severity, location, message: message.into(), notes: Vec::new(), help: None }
    }

    /// Adds a related place.
    pub fn with_note(mut self, span: Span, note: impl Into<String>) -> Self {
        self.notes.push((span, note.into()));
        self
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::error(span, message));
    }

    /// Records a warning at `span`.
    pub fn warning(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::warning(span, message));
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of diagnostics of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|d| d.severity == severity).count()
    }

    /// All diagnostics, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// Records every diagnostic of `diagnostics`.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.list.extend(diagnostics);
    }

    /// Moves every diagnostic of `other` into `self`.
    pub fn append(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }
}

/// How many diagnostics of one kind are shown before the rest are counted.
pub const SHOWN_PER_KIND: usize = 3;

impl Diagnostic {
    /// The kind of problem: the message with its particulars (whatever stands in backticks)
    /// left out, so that "`#a` matches no heading" and "`#b` matches no heading" are one kind.
    pub fn kind(&self) -> String {
        let mut kind = String::new();
        for (index, piece) in self.message.split('`').enumerate() {
            kind.push_str(if index % 2 == 1 { "…" } else { piece });
        }
        kind
    }
}

/// Which diagnostics to show in full, grouping warnings by kind: the first
/// [`SHOWN_PER_KIND`] of each, then one line counting the rest. Errors are all shown.
pub struct Grouped {
    /// For each diagnostic, in order: shown, or left out.
    pub shown: Vec<bool>,
    /// After which diagnostic (index) to say how many more of its kind were left out.
    pub more: BTreeMap<usize, usize>,
    /// Warnings by kind, most frequent first: (kind, count).
    pub kinds: Vec<(String, usize)>,
}

/// Groups the warnings of `diags` by kind; `all` shows every one.
pub fn group(diags: &Diagnostics, all: bool) -> Grouped {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut order = Vec::new();
    for diagnostic in diags.iter().filter(|d| d.severity == Severity::Warning) {
        let kind = diagnostic.kind();
        if !counts.contains_key(&kind) {
            order.push(kind.clone());
        }
        *counts.entry(kind).or_insert(0) += 1;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut shown = Vec::new();
    let mut more = BTreeMap::new();
    for (index, diagnostic) in diags.iter().enumerate() {
        if diagnostic.severity == Severity::Error || all {
            shown.push(true);
            continue;
        }
        let kind = diagnostic.kind();
        let nth = seen.entry(kind.clone()).or_insert(0);
        *nth += 1;
        shown.push(*nth <= SHOWN_PER_KIND);
        let total = counts[&kind];
        if *nth == SHOWN_PER_KIND && total > SHOWN_PER_KIND {
            more.insert(index, total - SHOWN_PER_KIND);
        }
    }
    let mut kinds: Vec<(String, usize)> = order.into_iter().map(|kind| (kind.clone(), counts[&kind])).collect();
    kinds.sort_by_key(|kind| std::cmp::Reverse(kind.1));
    Grouped { shown, more, kinds }
}

/// The summary of warnings by kind: "12 × `…` matches no heading, 3 × …".
pub fn kinds_summary(kinds: &[(String, usize)]) -> String {
    const NAMED: usize = 6;
    let mut parts: Vec<String> = kinds.iter().take(NAMED).map(|(kind, count)| format!("{count} × {kind}")).collect();
    if kinds.len() > NAMED {
        parts.push(format!("{} more kinds", kinds.len() - NAMED));
    }
    parts.join("; ")
}

/// Terminal colours, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// ANSI colours, for a terminal.
    Color,
    /// Plain text, for pipes, files and `NO_COLOR`.
    Plain,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Color => format!("\x1b[{code}m{text}\x1b[0m"),
            Style::Plain => text.to_string(),
        }
    }
}

/// Renders `diagnostic` rustc-style:
///
/// ```text
/// book.toml:3:1: error: unknown field `titel`
///     |
///   3 | titel = "x"
///     | ^^^^^
///     = help: …
/// ```
pub fn render(diagnostic: &Diagnostic, sources: &SourceMap, style: Style) -> String {
    let (word, code) = match diagnostic.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let mut out = String::new();
    match &diagnostic.location {
        Location::Span(span) => {
            header(&mut out, &sources.locate(*span), style.paint(code, word), &diagnostic.message, style);
            snippet(&mut out, sources, *span, style);
        }
        Location::Path(path) => header(&mut out, path, style.paint(code, word), &diagnostic.message, style),
    }
    for (span, note) in &diagnostic.notes {
        header(&mut out, &sources.locate(*span), style.paint("1;36", "note"), note, style);
        snippet(&mut out, sources, *span, style);
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!("     = {}: {help}\n", style.paint("1", "help")));
    }
    out
}

fn header(out: &mut String, place: &str, word: String, message: &str, style: Style) {
    out.push_str(&format!("{}: {word}: {}\n", style.paint("1", place), style.paint("1", message)));
}

fn snippet(out: &mut String, sources: &SourceMap, span: Span, style: Style) {
    let source = sources.get(span.source);
    let start = source.line_col(span.start);
    let line = source.line_text(start.line);
    let end_col = if source.line_col(span.end).line == start.line {
        source.line_col(span.end).col
    } else {
        line.chars().count() + 1
    };
    let width = end_col.saturating_sub(start.col).max(1);
    let (_, written_line) = source.origin(start.line);
    let gutter = " ".repeat(written_line.to_string().len().max(3));
    let bar = style.paint("1;34", "|");
    out.push_str(&format!("{gutter} {bar}\n"));
    out.push_str(&format!("{:>w$} {bar} {line}\n", written_line, w = gutter.len()));
    let pad: String = line.chars().take(start.col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    out.push_str(&format!("{gutter} {bar} {pad}{}\n", style.paint("1;31", &"^".repeat(width))));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    #[test]
    fn renders_location_source_line_caret_and_help() {
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("book.toml", "[book]\ntitel = \"x\"\n"));
        let d = Diagnostic::error(Span::new(id, 7..12), "unknown key `titel`").with_help("did you mean `title`?");
        let text = render(&d, &sources, Style::Plain);
        assert_eq!(
            text,
            "book.toml:2:1: error: unknown key `titel`\n    |\n  2 | titel = \"x\"\n    | ^^^^^\n     = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn warnings_are_grouped_by_kind() {
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("a.md", "x"));
        let mut diags = Diagnostics::default();
        for name in ["a", "b", "c", "d", "e"] {
            diags.warning(Span::new(id, 0..1), format!("`#{name}` matches no heading"));
        }
        diags.error(Span::new(id, 0..1), "`x` is wrong");
        diags.warning(Span::new(id, 0..1), "other");
        let grouped = group(&diags, false);
        assert_eq!(grouped.shown, [true, true, true, false, false, true, true]);
        assert_eq!(grouped.more, BTreeMap::from([(2, 2)]));
        assert_eq!(kinds_summary(&grouped.kinds), "5 × … matches no heading; 1 × other");
        assert!(group(&diags, true).shown.iter().all(|shown| *shown));
    }

    #[test]
    fn counts_errors_and_warnings() {
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("a.md", "x"));
        let mut diags = Diagnostics::default();
        diags.warning(Span::new(id, 0..1), "w");
        assert!(!diags.has_errors());
        diags.error(Span::new(id, 0..1), "e");
        assert!(diags.has_errors());
        assert_eq!(diags.count(Severity::Warning), 1);
    }
}

/// Where a diagnostic points, as numbers: (path, line, column, end line, end column).
fn position(diagnostic: &Diagnostic, sources: &SourceMap) -> (String, usize, usize, usize, usize) {
    match &diagnostic.location {
        Location::Span(span) => {
            let source = sources.get(span.source);
            let start = source.line_col(span.start);
            let end = source.line_col(span.end.max(span.start));
            let (path, line) = source.origin(start.line);
            let end_line = line + (end.line - start.line);
            (path.to_string(), line, start.col, end_line, end.col)
        }
        Location::Path(path) => (path.clone(), 1, 1, 1, 1),
    }
}

/// A GitHub Actions workflow command (`::error file=…,line=…,col=…::message`), with paths
/// prefixed by `book_dir` so that they are relative to the repository.
pub fn render_github(diagnostic: &Diagnostic, sources: &SourceMap, book_dir: &str) -> String {
    let (path, line, col, end_line, end_col) = position(diagnostic, sources);
    let kind = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let file = if book_dir.is_empty() || book_dir == "." {
        path
    } else {
        format!("{}/{path}", book_dir.trim_end_matches('/'))
    };
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "::{kind} file={},line={line},col={col},endLine={end_line},endColumn={end_col}::{}\n",
        escape_property(&file),
        escape_data(&message)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One JSON object for `diagnostic`, on one line.
pub fn render_json(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let (file, line, column, end_line, end_column) = position(diagnostic, sources);
    let notes: Vec<serde_json::Value> = diagnostic
        .notes
        .iter()
        .map(|(span, message)| {
            let source = sources.get(span.source);
            let at = source.line_col(span.start);
            let (file, line) = source.origin(at.line);
            serde_json::json!({ "file": file, "line": line, "column": at.col, "message": message })
        })
        .collect();
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let value = serde_json::json!({
        "severity": severity,
        "file": file,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "message": diagnostic.message,
        "help": diagnostic.help,
        "notes": notes,
    });
    format!("{value}\n")
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use crate::source::Source;

    fn sample() -> (Diagnostic, SourceMap) {
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("chapters/a.md", "# A\n\nSee @fig-x, 100%.\n"));
        (Diagnostic::error(Span::new(id, 9..15), "unknown label `fig-x`").with_help("did you mean `@fig-y`?"), sources)
    }

    #[test]
    fn github_annotations_name_the_file_line_and_column() {
        let (d, sources) = sample();
        assert_eq!(
            render_github(&d, &sources, "book"),
            "::error file=book/chapters/a.md,line=3,col=5,endLine=3,endColumn=11::unknown label `fig-x`%0Ahelp: did you mean `@fig-y`?\n"
        );
    }

    #[test]
    fn json_is_one_object_per_line() {
        let (d, sources) = sample();
        let line = render_json(&d, &sources);
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["file"], "chapters/a.md");
        assert_eq!(value["line"], 3);
        assert_eq!(value["column"], 5);
        assert_eq!(value["severity"], "error");
        assert_eq!(line.lines().count(), 1);
    }
}
