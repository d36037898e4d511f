//! mdBook's preprocessor directives, expanded in a chapter's text before it is parsed:
//! `{{#include}}` (a whole file, a line range or an `ANCHOR`), `{{#rustdoc_include}}` (the rest
//! of the file kept as hidden lines), `{{#playground}}` (an include) and `{{#title}}`.
//! `\{{#…}}` writes the directive as text. Every line of the result remembers the file and line
//! it was written on, so diagnostics point into included files.

use crate::load;
use crate::root::{BookRoot, parent_of};
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

/// Expands the directives of `text`, the file `path` (root-relative).
pub fn expand(root: &BookRoot, path: &str, text: &str) -> Expanded {
    let mut out = Expanded::default();
    if !text.contains("{{") {
        out.text = text.to_string();
        return out;
    }
    expand_into(&mut out, root, path, text, 1, 0);
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

fn expand_into(out: &mut Expanded, root: &BookRoot, path: &str, text: &str, first_line: usize, depth: usize) {
    let mut done = 0;
    let mut line = first_line;
    for directive in directives(text) {
        push(out, &text[done..directive.range.start], path, &mut line);
        let written = &text[directive.range.clone()];
        let start = out.text.len();
        if directive.escaped {
            push(out, &written[1..], path, &mut line);
        } else {
            if let Err(problem) = run(out, root, path, &directive, depth) {
                push(out, written, path, &mut line);
                out.problems.push((start..out.text.len(), problem));
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
fn run(out: &mut Expanded, root: &BookRoot, path: &str, directive: &Directive, depth: usize) -> Result<(), String> {
    match directive.name {
        "title" => {
            out.title = Some(directive.argument.trim().to_string());
            Ok(())
        }
        _ => {
            if depth >= MAX_DEPTH {
                return Err(format!("includes nest more than {MAX_DEPTH} deep (does a file include itself?)"));
            }
            let (file, selection) = split_argument(directive.argument.trim());
            let included = root.resolve_file(parent_of(path), file).map_err(|problem| problem.to_string())?;
            let text = load::read_text(root, &included)?;
            let lines: Vec<&str> = text.lines().collect();
            let (first, body) = if directive.name == "rustdoc_include" {
                (1, rustdoc_lines(&lines, &selection)?)
            } else {
                select(&lines, &selection)?
            };
            expand_into(out, root, &included, &body, first, depth + 1);
            Ok(())
        }
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
        if !known || !argument.starts_with(char::is_whitespace) || argument.contains('\n') {
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
        let whole = expand(&root, "src/a.md", "{{#include ../listings/main.rs}}\n");
        assert_eq!(whole.text, "use std::io;\nfn main() {\n    println!(\"hi\");\n}\n");
        let range = expand(&root, "src/a.md", "x {{#include ../listings/main.rs:3:4}} y\n");
        assert_eq!(range.text, "x fn main() {\n    println!(\"hi\"); y\n");
        let line = expand(&root, "src/a.md", "{{#include ../listings/main.rs:1}}");
        assert_eq!(line.text, "use std::io;");
        let anchor = expand(&root, "src/a.md", "{{ #include ../listings/main.rs:main }}");
        assert_eq!(anchor.text, "fn main() {\n    println!(\"hi\");\n}");
        assert!(whole.problems.is_empty() && anchor.problems.is_empty());
    }

    #[test]
    fn included_lines_remember_where_they_were_written() {
        let (_dir, root) = book(&[("listings/main.rs", LISTING)]);
        let expanded = expand(&root, "src/a.md", "# A\n\n{{#include ../listings/main.rs:main}}\nafter\n");
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
        let expanded = expand(&root, "src/a.md", "{{#rustdoc_include ../listings/main.rs:main}}");
        assert_eq!(expanded.text, "# use std::io;\nfn main() {\n    println!(\"hi\");\n}");
    }

    #[test]
    fn titles_escapes_and_unknown_directives() {
        let (_dir, root) = book(&[]);
        let expanded = expand(&root, "a.md", "{{#title Custom}}\\{{#include x.rs}} {{#template t.md}}");
        assert_eq!(expanded.title.as_deref(), Some("Custom"));
        assert_eq!(expanded.text, "{{#include x.rs}} {{#template t.md}}");
        assert!(expanded.problems.is_empty());
    }

    #[test]
    fn failures_are_reported_at_the_directive_and_cycles_stop() {
        let (_dir, root) = book(&[("a.md", "{{#include a.md}}"), ("b.rs", "fn b() {}")]);
        let missing = expand(&root, "a.md", "x\n{{#include nope.rs}}\n");
        assert_eq!(missing.text, "x\n{{#include nope.rs}}\n");
        assert_eq!(missing.problems.len(), 1);
        assert_eq!(missing.problems[0].0, 2..22);
        assert!(missing.problems[0].1.contains("nope.rs"), "{:?}", missing.problems);
        let outside = expand(&root, "a.md", "{{#include ../../etc/passwd}}");
        assert_eq!(outside.problems.len(), 1);
        let anchor = expand(&root, "a.md", "{{#include b.rs:nowhere}}");
        assert_eq!(anchor.problems[0].1, "no `ANCHOR: nowhere`");
        let cycle = expand(&root, "a.md", "{{#include a.md}}");
        assert_eq!(cycle.problems.len(), 1);
        assert!(cycle.problems[0].1.contains("nest"), "{:?}", cycle.problems);
    }
}
