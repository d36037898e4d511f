//! mdBook's preprocessor directives, expanded in a chapter's text before it is parsed:
//! `{{#include}}` (a whole file, a line range or an `ANCHOR`), `{{#rustdoc_include}}` (the rest
//! of the file kept as hidden lines), `{{#playground}}` (an include) and `{{#title}}`.
//! `\{{#…}}` writes the directive as text. Every line of the result remembers the file and line
//! it was written on, so diagnostics point into included files.
//!
//! An mdBook as it is gets mdBook's leniency: its includes may reach the repository that holds
//! the book, and an include whose anchor is missing includes nothing (the loader reports each
//! problem as a warning). A folio book in mdBook's dialect stays strict.

use crate::load;
use crate::root::{BookRoot, PathProblem, parent_of};
use crate::source::LineOrigin;
use std::ops::Range;

/// How deep includes may nest (mdBook's limit).
const MAX_DEPTH: usize = 10;

/// A chapter's text with its directives expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The text to parse.
    pub text: String,
    /// Where each line of `text` was written; empty when nothing was included.
    pub origins: Vec<LineOrigin>,
    /// The page title a `{{#title …}}` asks for.
    pub title: Option<String>,
    /// Directives that failed: their range in `text` (the directive is left there) and why.
    pub problems: Vec<(Range<usize>, String)>,
}

/// How includes treat what mdBook accepts silently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// A folio book: includes stay inside the book's folder, a missing anchor is a problem.
    Strict,
    /// An mdBook as it is: includes may reach the repository, a missing anchor includes nothing.
    Lenient,
}

/// Expands the directives of `text`, the file `path` (root-relative).
pub fn expand(root: &BookRoot, path: &str, text: &str, strictness: Strictness) -> Expanded {
    let mut out = Expanded::default();
    if !text.contains("{{") {
        out.text = text.to_string();
        return out;
    }
    let context = Context { root, strictness };
    expand_into(&mut out, &context, path, text, 1, 0);
    if out.origins.iter().all(|origin| origin.path == path) {
        out.origins.clear();
    }
    out
}

/// A directive found in a text: its byte range, its name and its argument.
struct Directive<'a> {
    range: Range<usize>,
    name: &'a str,
    argument: &'a str,
    escaped: bool,
}

/// What every directive of one expansion shares.
struct Context<'a> {
    root: &'a BookRoot,
    strictness: Strictness,
}

/// Why a directive was not carried out.
enum Failure {
    /// The directive is left in the text.
    Kept(String),
    /// The directive is replaced by nothing (mdBook's way with a missing anchor).
    Dropped(String),
}

fn expand_into(out: &mut Expanded, context: &Context, path: &str, text: &str, first_line: usize, depth: usize) {
    let mut done = 0;
    let mut line = first_line;
    for directive in directives(text) {
        push(out, &text[done..directive.range.start], path, &mut line);
        let written = &text[directive.range.clone()];
        let start = out.text.len();
        if directive.escaped {
            push(out, &written[1..], path, &mut line);
        } else {
            match run(out, context, path, &directive, depth) {
                Ok(()) => {}
                Err(Failure::Kept(problem)) => {
                    push(out, written, path, &mut line);
                    out.problems.push((start..out.text.len(), problem));
                }
                Err(Failure::Dropped(problem)) => out.problems.push((start..start, problem)),
            }
        }
        done = directive.range.end;
    }
    push(out, &text[done..], path, &mut line);
}

/// Appends `piece`, written in `path` from `line` on, and moves `line` past it.
fn push(out: &mut Expanded, piece: &str, path: &str, line: &mut usize) {
    for part in piece.split_inclusive('\n') {
        if out.text.is_empty() || out.text.ends_with('\n') {
            out.origins.push(LineOrigin { path: path.to_string(), line: *line });
        }
        out.text.push_str(part);
        if part.ends_with('\n') {
            *line += 1;
        }
    }
}

/// Carries out one directive (`title`, or one of the includes), appending what it stands for.
fn run(out: &mut Expanded, context: &Context, path: &str, directive: &Directive, depth: usize) -> Result<(), Failure> {
    if directive.name == "title" {
        out.title = Some(directive.argument.trim().to_string());
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Err(Failure::Kept(format!("includes nest more than {MAX_DEPTH} deep (does a file include itself?)")));
    }
    let (file, selection) = split_argument(directive.argument.trim());
    let root = context.root;
    let resolved = match context.strictness {
        Strictness::Strict => root.resolve_file(parent_of(path), file),
        Strictness::Lenient => root.resolve_in_repository(parent_of(path), file),
    };
    let included = resolved.map_err(|problem| Failure::Kept(include_problem(problem, context.strictness)))?;
    let text = load::read_text(root, &included).map_err(Failure::Kept)?;
    let lines: Vec<&str> = text.lines().collect();
    let chosen = if directive.name == "rustdoc_include" {
        rustdoc_lines(&lines, &selection).map(|body| (1, body))
    } else {
        select(&lines, &selection)
    };
    let (first, body) = chosen.map_err(|problem| match context.strictness {
        Strictness::Strict => Failure::Kept(problem),
        Strictness::Lenient => Failure::Dropped(format!("{problem} in {included}; nothing is included")),
    })?;
    expand_into(out, context, &included, &body, first, depth + 1);
    Ok(())
}

/// Why an include's path was refused, saying how far a lenient include may reach.
fn include_problem(problem: PathProblem, strictness: Strictness) -> String {
    match (problem, strictness) {
        (PathProblem::Outside(written), Strictness::Lenient) => {
            format!("{written} is outside the repository that holds the book (name a wider one with `--root`)")
        }
        (problem, _) => problem.to_string(),
    }
}

/// What part of a file an include takes.
#[derive(Debug, PartialEq)]
enum Selection<'a> {
    /// Lines `start..=end`, 1-based; `None` for an open end.
    Lines(usize, Option<usize>),
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(&'a str),
}

/// `file.rs:2:10` → ("file.rs", lines 2 to 10); `file.rs:name` → an anchor.
fn split_argument(argument: &str) -> (&str, Selection<'_>) {
    let Some((file, rest)) = argument.split_once(':') else {
        return (argument, Selection::Lines(1, None));
    };
    let number = |text: &str| text.trim().parse::<usize>().ok();
    let selection = match rest.split_once(':') {
        None => match number(rest) {
            Some(line) => Selection::Lines(line.max(1), Some(line)),
            None => Selection::Anchor(rest.trim()),
        },
        Some((start, end)) => Selection::Lines(number(start).unwrap_or(1).max(1), number(end)),
    };
    (file, selection)
}

/// The selected lines, without anchor markers, and the line number of the first.
fn select(lines: &[&str], selection: &Selection) -> Result<(usize, String), String> {
    let (first, chosen): (usize, Vec<&str>) = match selection {
        Selection::Lines(start, end) => {
            let end = end.unwrap_or(lines.len()).min(lines.len());
            let start = (*start).min(end + 1);
            (start, lines[start - 1..end].to_vec())
        }
        Selection::Anchor(name) => {
            let range = anchor_range(lines, name)?;
            (range.start + 1, lines[range].to_vec())
        }
    };
    let kept: Vec<&str> = chosen.into_iter().filter(|line| !is_anchor_marker(line)).collect();
    Ok((first, kept.join("\n")))
}

/// The whole file, the lines outside the selection hidden with `# ` as mdBook does.
fn rustdoc_lines(lines: &[&str], selection: &Selection) -> Result<String, String> {
    let shown = match selection {
        Selection::Lines(start, end) => start - 1..end.unwrap_or(lines.len()).min(lines.len()),
        Selection::Anchor(name) => anchor_range(lines, name)?,
    };
    let body: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !is_anchor_marker(line))
        .map(|(index, line)| if shown.contains(&index) { line.to_string() } else { format!("# {line}") })
        .collect();
    Ok(body.join("\n"))
}

/// The 0-based line range strictly between `ANCHOR: name` and `ANCHOR_END: name`.
fn anchor_range(lines: &[&str], name: &str) -> Result<Range<usize>, String> {
    let marker = |line: &str, word: &str| {
        line.split_once(word).is_some_and(|(_, rest)| {
            rest.trim_start().split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).next() == Some(name)
        })
    };
    let start = lines.iter().position(|line| marker(line, "ANCHOR:")).ok_or_else(|| format!("no `ANCHOR: {name}`"))?;
    let end = lines[start..].iter().position(|line| marker(line, "ANCHOR_END:")).map_or(lines.len(), |n| start + n);
    Ok(start + 1..end)
}

fn is_anchor_marker(line: &str) -> bool {
    line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
}

/// The directives of `text` that folio knows, in order.
fn directives(text: &str) -> Vec<Directive<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("{{").map(|i| from + i) {
        from = at + 2;
        let Some(close) = text[at..].find("}}").map(|i| at + i) else { break };
        let inner = text[at + 2..close].trim_start();
        let Some(inner) = inner.strip_prefix('#') else { continue };
        let name_end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
        let (name, argument) = inner.split_at(name_end);
        let known = matches!(name, "include" | "rustdoc_include" | "playground" | "playpen" | "title");
        let malformed = !argument.starts_with(char::is_whitespace) || argument.trim().is_empty();
        if !known || malformed || argument.contains('\n') {
            continue;
        }
        let escaped = at > 0 && text.as_bytes()[at - 1] == b'\\';
        let start = if escaped { at - 1 } else { at };
        found.push(Directive { range: start..close + 2, name, argument, escaped });
        from = close + 2;
    }
    found
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A temporary book folder holding `files` (path → text), and its root.
    pub(in crate::mdbook) fn book(files: &[(&str, &str)]) -> (tempfile::TempDir, BookRoot) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let root = BookRoot::new(dir.path()).unwrap();
        (dir, root)
    }

    const LISTING: &str = "use std::io;\n// ANCHOR: main\nfn main() {\n    println!(\"hi\");\n}\n// ANCHOR_END: main\n";

    #[test]
    fn includes_whole_files_ranges_and_anchors() {
        let (_dir, root) = book(&[("listings/main.rs", LISTING)]);
        let whole = expand(&root, "src/a.md", "{{#include ../listings/main.rs}}\n", Strictness::Strict);
        assert_eq!(whole.text, "use std::io;\nfn main() {\n    println!(\"hi\");\n}\n");
        let range = expand(&root, "src/a.md", "x {{#include ../listings/main.rs:3:4}} y\n", Strictness::Strict);
        assert_eq!(range.text, "x fn main() {\n    println!(\"hi\"); y\n");
        let line = expand(&root, "src/a.md", "{{#include ../listings/main.rs:1}}", Strictness::Strict);
        assert_eq!(line.text, "use std::io;");
        let anchor = expand(&root, "src/a.md", "{{ #include ../listings/main.rs:main }}", Strictness::Strict);
        assert_eq!(anchor.text, "fn main() {\n    println!(\"hi\");\n}");
        assert!(whole.problems.is_empty() && anchor.problems.is_empty());
    }

    #[test]
    fn included_lines_remember_where_they_were_written() {
        let (_dir, root) = book(&[("listings/main.rs", LISTING)]);
        let expanded =
            expand(&root, "src/a.md", "# A\n\n{{#include ../listings/main.rs:main}}\nafter\n", Strictness::Strict);
        let origin = |line: usize| {
            let o = &expanded.origins[line - 1];
            format!("{}:{}", o.path, o.line)
        };
        assert_eq!(origin(1), "src/a.md:1");
        assert_eq!(origin(3), "listings/main.rs:3");
        assert_eq!(origin(5), "listings/main.rs:5");
        assert_eq!(origin(6), "src/a.md:4");
    }

    #[test]
    fn rustdoc_include_hides_the_rest_of_the_file() {
        let (_dir, root) = book(&[("listings/main.rs", LISTING)]);
        let expanded = expand(&root, "src/a.md", "{{#rustdoc_include ../listings/main.rs:main}}", Strictness::Strict);
        assert_eq!(expanded.text, "# use std::io;\nfn main() {\n    println!(\"hi\");\n}");
    }

    #[test]
    fn titles_escapes_and_unknown_directives() {
        let (_dir, root) = book(&[]);
        let expanded =
            expand(&root, "a.md", "{{#title Custom}}\\{{#include x.rs}} {{#template t.md}}", Strictness::Strict);
        assert_eq!(expanded.title.as_deref(), Some("Custom"));
        assert_eq!(expanded.text, "{{#include x.rs}} {{#template t.md}}");
        assert!(expanded.problems.is_empty());
    }

    #[test]
    fn failures_are_reported_at_the_directive_and_cycles_stop() {
        let (_dir, root) = book(&[("a.md", "{{#include a.md}}"), ("b.rs", "fn b() {}")]);
        let missing = expand(&root, "a.md", "x\n{{#include nope.rs}}\n", Strictness::Strict);
        assert_eq!(missing.text, "x\n{{#include nope.rs}}\n");
        assert_eq!(missing.problems.len(), 1);
        assert_eq!(missing.problems[0].0, 2..22);
        assert!(missing.problems[0].1.contains("nope.rs"), "{:?}", missing.problems);
        let outside = expand(&root, "a.md", "{{#include ../../etc/passwd}}", Strictness::Strict);
        assert_eq!(outside.problems.len(), 1);
        let anchor = expand(&root, "a.md", "{{#include b.rs:nowhere}}", Strictness::Strict);
        assert_eq!(anchor.problems[0].1, "no `ANCHOR: nowhere`");
        let cycle = expand(&root, "a.md", "{{#include a.md}}", Strictness::Strict);
        assert_eq!(cycle.problems.len(), 1);
        assert!(cycle.problems[0].1.contains("nest"), "{:?}", cycle.problems);
    }

    #[test]
    fn an_mdbook_as_it_is_gets_mdbooks_leniency() {
        let (dir, _) = book(&[("examples/x.rs", "fn x() {}\n"), ("guide/src/b.rs", "fn b() {}")]);
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let root = BookRoot::new(&dir.path().join("guide")).unwrap();
        let lenient = |text: &str| expand(&root, "src/a.md", text, Strictness::Lenient);
        let outside = lenient("{{#include ../../examples/x.rs}}");
        assert_eq!((outside.text.as_str(), outside.problems.len()), ("fn x() {}", 0));
        assert_eq!(outside.origins[0].path, "../examples/x.rs");
        let strict = expand(&root, "src/a.md", "{{#include ../../examples/x.rs}}", Strictness::Strict);
        assert_eq!(strict.problems.len(), 1);
        let anchor = lenient("a {{#include b.rs:gone}} b");
        assert_eq!(anchor.text, "a  b");
        assert_eq!(anchor.problems, [(2..2, "no `ANCHOR: gone` in src/b.rs; nothing is included".to_string())]);
        let beyond = lenient("{{#include ../../../x.rs}}");
        assert_eq!(beyond.text, "{{#include ../../../x.rs}}");
        assert_eq!(beyond.problems.len(), 1);
    }

    #[test]
    fn braces_that_are_no_directive_stay_text() {
        let (_dir, root) = book(&[]);
        let text = "Write `{{ #playground }}` or {{#include}} or {{ #include  }}.";
        let expanded = expand(&root, "a.md", text, Strictness::Lenient);
        assert_eq!((expanded.text.as_str(), expanded.problems.len()), (text, 0));
    }
}
