//! Typst's errors and warnings → diagnostics at the author's Markdown or at the book's template.
//!
//! The data cannot hold syntax, so when typesetting fails, either the template cannot handle
//! some node, or the template itself is broken. To find the node, the book is typeset again
//! with fewer chapters, then fewer blocks (a bisection over prefixes), until the first failing
//! block is known; its Markdown span carries the error. An error that remains with no chapters
//! at all belongs to the template: reported at its line when the book brings its own, and as a
//! failure of folio otherwise. Generated data is never shown as the author's error.

use super::world::BookWorld;
use super::{DATA, TEMPLATE, emit::Emitted};
use crate::diag::{Diagnostic, Location, Severity};
use crate::source::Span;
use crate::theme::Theme;
use anyhow::{Result, bail};
use serde_json::Value;
use std::collections::HashSet;
use typst::diag::SourceDiagnostic;
use typst::{World, WorldExt};

/// Which template laid the book out.
pub struct Template {
    /// `themes/NAME/book.typ` when the book brings its own.
    own: Option<String>,
}

impl Template {
    /// The template of `theme` (named `name` in the manifest).
    pub fn new(theme: &Theme, name: &str) -> Self {
        Template { own: theme.overrides(TEMPLATE).then(|| format!("themes/{name}/{TEMPLATE}")) }
    }

    /// `path:line:col` of a place in the template, as the author knows it.
    fn place(&self, line: usize, col: usize) -> String {
        match &self.own {
            Some(path) => format!("{path}:{line}:{col}"),
            None => format!("folio's {TEMPLATE}:{line}:{col}"),
        }
    }
}

/// Diagnostics for the errors of a failed run. `fails` typesets the world again and says
/// whether it still fails; the world's data is replaced while searching.
pub fn diagnose(
    errors: &[SourceDiagnostic],
    world: &mut BookWorld,
    emitted: &Emitted,
    template: &Template,
    mut fails: impl FnMut(&BookWorld) -> bool,
) -> Result<Vec<Diagnostic>> {
    let places = errors.iter().map(|error| place(world, error, template)).collect::<Vec<_>>();
    let mut try_data = |data: &Value| -> Result<bool> {
        world.insert(DATA, serde_json::to_vec(data)?)?;
        Ok(fails(world))
    };
    if let Some(span) = culprit(&emitted.data, &emitted.spans, &mut try_data)? {
        let first = &errors[..errors.len().min(1)];
        let (message, place) = (summary(first), places.first().cloned().flatten());
        let help = match (&template.own, place) {
            (Some(_), Some(place)) => format!("the book's PDF template fails on it at {place}"),
            (_, place) => format!(
                "folio's PDF template fails on it{}; please report this as a bug in folio",
                place.map(|p| format!(" ({p})")).unwrap_or_default()
            ),
        };
        let diagnostic = Diagnostic::error(span, format!("the PDF edition cannot typeset this: {message}"));
        return Ok(vec![diagnostic.with_help(help)]);
    }
    if template.own.is_none() {
        let place = places.into_iter().flatten().next().unwrap_or_default();
        bail!("folio's PDF template failed: {} {place}", summary(errors));
    }
    Ok(errors.iter().zip(places).map(|(error, place)| at_template(Severity::Error, error, place, template)).collect())
}

/// Typst's warnings, at the template line that raised them.
pub fn warnings(warnings: &[SourceDiagnostic], world: &BookWorld, template: &Template) -> Vec<Diagnostic> {
    warnings
        .iter()
        .map(|warning| {
            let place = place(world, warning, template);
            at_template(Severity::Warning, warning, place, template)
        })
        .collect()
}

fn at_template(severity: Severity, error: &SourceDiagnostic, place: Option<String>, template: &Template) -> Diagnostic {
    let fallback = || template.place(1, 1);
    Diagnostic {
        severity,
        location: Location::Path(place.unwrap_or_else(fallback)),
        message: summary(std::slice::from_ref(error)),
        notes: Vec::new(),
        help: None,
    }
}

/// The messages and hints of `errors`, on one line.
fn summary(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|error| {
            let hints = error.hints.iter().map(|hint| format!(" (hint: {})", hint.v));
            std::iter::once(error.message.to_string()).chain(hints).collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where in the template a diagnostic points, if it points into a source.
fn place(world: &BookWorld, error: &SourceDiagnostic, template: &Template) -> Option<String> {
    let id = error.span.id()?;
    let range = world.range(error.span)?;
    let source = world.source(id).ok()?;
    let (line, col) = source.lines().byte_to_line_column(range.start)?;
    // The entry only imports the template and calls it: its errors are the template's.
    match BookWorld::path(id).as_str() {
        TEMPLATE => Some(template.place(line + 1, col + 1)),
        _ => Some(template.place(1, 1)),
    }
}

/// The span of the first block whose presence makes the book fail, or `None` when the book
/// fails without any chapter.
fn culprit(data: &Value, spans: &[Vec<Span>], fails: &mut dyn FnMut(&Value) -> Result<bool>) -> Result<Option<Span>> {
    let chapters = data["chapters"].as_array().cloned().unwrap_or_default();
    if fails(&subset(data, Vec::new()))? {
        return Ok(None);
    }
    let prefix = |k: usize| subset(data, chapters[..k].to_vec());
    let Some(count) = first_failing(chapters.len(), &mut |k| fails(&prefix(k)))? else {
        return Ok(None);
    };
    let index = count - 1;
    let chapter = &chapters[index];
    let blocks = chapter["blocks"].as_array().map_or(0, Vec::len);
    let alone = |k: usize| {
        let mut truncated = chapter.clone();
        if let Some(list) = truncated["blocks"].as_array_mut() {
            list.truncate(k);
        }
        subset(data, vec![truncated])
    };
    let block = first_failing(blocks, &mut |k| fails(&alone(k)))?.unwrap_or(0);
    Ok(spans.get(index).and_then(|s| s.get(block).or(s.first())).copied())
}

/// The smallest `k` in `0..=len` for which `fails(k)`, assuming that once a prefix fails,
/// every longer one does; `None` when even `len` does not fail.
fn first_failing(len: usize, fails: &mut dyn FnMut(usize) -> Result<bool>) -> Result<Option<usize>> {
    if !fails(len)? {
        return Ok(None);
    }
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = (low + high) / 2;
        if fails(middle)? {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    Ok(Some(low))
}

/// `data` with only `chapters`, and without links to labels that are gone with the rest.
fn subset(data: &Value, chapters: Vec<Value>) -> Value {
    let mut subset = data.clone();
    subset["chapters"] = Value::Array(chapters);
    let mut labels = HashSet::new();
    collect_labels(&subset, &mut labels);
    drop_dangling(&mut subset, &labels);
    subset
}

fn collect_labels(value: &Value, labels: &mut HashSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(label)) = map.get("label") {
                labels.insert(label.clone());
            }
            map.values().for_each(|v| collect_labels(v, labels));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_labels(v, labels)),
        _ => {}
    }
}

fn drop_dangling(value: &mut Value, labels: &HashSet<String>) {
    match value {
        Value::Object(map) => {
            let dangling = matches!(map.get("target"), Some(Value::String(t)) if !labels.contains(t));
            if dangling {
                map.remove("target");
            }
            map.values_mut().for_each(|v| drop_dangling(v, labels));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| drop_dangling(v, labels)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Source, SourceMap};
    use serde_json::json;

    #[test]
    fn bisection_finds_the_first_failing_prefix() {
        for culprit in 0..=9 {
            let mut calls = 0;
            let found = first_failing(9, &mut |k| {
                calls += 1;
                Ok(k >= culprit)
            })
            .unwrap();
            assert_eq!(found, Some(culprit));
            assert!(calls <= 5, "{calls} calls");
        }
        assert_eq!(first_failing(4, &mut |_| Ok(false)).unwrap(), None);
    }

    #[test]
    fn subsets_drop_links_to_labels_left_out() {
        let data = json!({
            "parts": [{ "label": "part-1" }],
            "chapters": [
                { "label": "a#t", "blocks": [{ "kind": "ref", "target": "b#t" }] },
                { "label": "b#t", "blocks": [{ "kind": "ref", "target": "part-1" }] },
            ],
        });
        let first = subset(&data, vec![data["chapters"][0].clone()]);
        assert_eq!(first["chapters"][0]["blocks"][0], json!({ "kind": "ref" }));
        let second = subset(&data, vec![data["chapters"][1].clone()]);
        assert_eq!(second["chapters"][0]["blocks"][0]["target"], "part-1");
    }

    #[test]
    fn the_failing_block_gives_its_span() {
        let mut map = SourceMap::default();
        let id = map.add(Source::new("a.md", "# A\n\nx\n\ny\n"));
        let spans =
            vec![vec![Span::new(id, 0..3)], vec![Span::new(id, 0..3), Span::new(id, 5..6), Span::new(id, 8..9)]];
        let data = json!({ "chapters": [
            { "label": "a", "blocks": [] },
            { "label": "b", "blocks": ["fine", "bad"] },
        ]});
        let mut fails = |data: &Value| Ok(data.to_string().contains("bad"));
        let span = culprit(&data, &spans, &mut fails).unwrap();
        assert_eq!(span, Some(Span::new(id, 8..9)));
        let mut always = |_: &Value| Ok(true);
        assert_eq!(culprit(&data, &spans, &mut always).unwrap(), None);
    }
}
