//! Diagrams drawn in process: Mermaid, Graphviz DOT, svgbob and Pikchr sources → SVG that the
//! three editions inline as it is.
//!
//! [`draw`] runs once, after `resolve` (which numbers the captions and reads diagram files):
//! it draws every diagram figure the cache does not hold, in parallel, each engine behind
//! `catch_unwind`, and stores the SVG in the tree. Each engine has its own file and only turns
//! source into SVG; [`svg`] then gives every drawing the same shape (ids under a prefix of its
//! own, a size, a title and description, safety checks). A diagram that cannot be drawn is an
//! error at its fence; only cache I/O failures are errors of the run. No other module imports
//! a diagram engine.

mod bob;
mod cache;
mod dot;
mod mermaid;
mod palette;
mod pikchr;
mod svg;

pub use palette::Palette;

use crate::diag::{Diagnostic, Diagnostics};
use crate::doc::{Book, Figure, FigureBody, plain_text, visit_blocks_mut};
use crate::memo::Memo;
use crate::source::{SourceMap, Span};
use anyhow::Result;
use cache::Cache;
use rayon::prelude::*;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// A diagram language and the engine that draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Mermaid, through merman.
    Mermaid,
    /// Graphviz DOT, through layout-rs.
    Dot,
    /// ASCII art, through svgbob.
    Bob,
    /// Pikchr, through the pikchr crate.
    Pikchr,
}

impl Engine {
    const ALL: [Engine; 4] = [Engine::Mermaid, Engine::Dot, Engine::Bob, Engine::Pikchr];

    /// The engine for a fence language.
    pub fn from_lang(lang: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.lang() == lang)
    }

    /// The engine for a diagram file, by its extension (`.mmd`, `.dot`, `.bob`, `.pikchr`).
    pub fn from_path(path: &str) -> Option<Self> {
        let (_, extension) = path.rsplit_once('.')?;
        let extension = extension.to_ascii_lowercase();
        Self::ALL.into_iter().find(|e| e.extension() == extension)
    }

    /// The fence language.
    pub fn lang(self) -> &'static str {
        match self {
            Engine::Mermaid => "mermaid",
            Engine::Dot => "dot",
            Engine::Bob => "bob",
            Engine::Pikchr => "pikchr",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Engine::Mermaid => "mmd",
            other => other.lang(),
        }
    }

    /// The crate and version that draws this language (part of the cache key).
    fn version(self) -> &'static str {
        match self {
            Engine::Mermaid => "merman 0.10.0-alpha.1",
            Engine::Dot => "layout-rs 0.1.3",
            Engine::Bob => "svgbob 0.7.6",
            Engine::Pikchr => "pikchr 0.1.4",
        }
    }

    /// The engine's raw SVG for `source`.
    fn run(self, source: &str, palette: &Palette, prefix: &str) -> Result<String, Failure> {
        match self {
            Engine::Mermaid => mermaid::draw(source, palette, prefix),
            Engine::Dot => dot::draw(source, palette, prefix),
            Engine::Bob => bob::draw(source, palette),
            Engine::Pikchr => pikchr::draw(source, palette),
        }
    }

    /// Draws `source` into a finished SVG: the engine inside `catch_unwind`, then [`svg::finish`].
    fn draw(self, source: &str, palette: &Palette, prefix: &str) -> Result<String, Failure> {
        let raw = catch_unwind(AssertUnwindSafe(|| self.run(source, palette, prefix))).map_err(|panic| {
            Failure::new(format!(
                "the {} engine crashed on this diagram ({})",
                self.lang(),
                panic_message(panic.as_ref())
            ))
        })??;
        svg::finish(&raw, prefix, &format!("diagram-{}", self.lang()), palette.background).map_err(|problem| {
            Failure::new(format!("the {} engine drew an SVG that cannot be used: {problem}", self.lang()))
        })
    }
}

/// Why a diagram could not be drawn.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong, in the engine's words.
    pub message: String,
    /// The 1-based line inside the diagram, when the engine knows it.
    pub line: Option<usize>,
}

impl Failure {
    fn new(message: impl Into<String>) -> Self {
        Failure { message: message.into(), line: None }
    }
}

/// How many diagrams a run drew and how many came from the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Drawn by an engine.
    pub drawn: usize,
    /// Read from the cache.
    pub cached: usize,
}

impl std::fmt::Display for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "diagrams: {} drawn, {} from cache", self.drawn, self.cached)
    }
}

/// The code that turns a source into a finished SVG: part of the cache key, so that a change
/// to an engine's settings or to the SVG finishing invalidates the drawings made before it.
const DRAWING_CODE: [&str; 7] = [
    include_str!("mod.rs"),
    include_str!("mermaid.rs"),
    include_str!("dot.rs"),
    include_str!("bob.rs"),
    include_str!("pikchr.rs"),
    include_str!("svg.rs"),
    include_str!("palette.rs"),
];

/// One diagram to draw.
struct Job {
    engine: Option<Engine>,
    lang: String,
    source: String,
    span: Span,
    title: String,
    desc: String,
    prefix: String,
    key: String,
}

/// What drawing one diagram gave.
enum Outcome {
    Drawn(String),
    Cached(String),
    Failed(Failure),
}

/// The SVGs of the last build of this process, by cache key.
static MEMO: Memo<String> = Memo::new();

/// Draws every diagram of `book` into its figure, using and filling the cache in `cache_dir`
/// when given. Problems in diagrams are recorded in `diags` at their fence.
pub fn draw(book: &mut Book, sources: &SourceMap, cache_dir: Option<&Path>, diags: &mut Diagnostics) -> Result<Drawn> {
    let palette = Palette::DEFAULT;
    let jobs = collect_jobs(book, &palette);
    let cache = cache_dir.map(Cache::open).transpose()?;
    let last = MEMO.last();
    let outcomes = quietly(|| {
        jobs.par_iter()
            .map(|job| match last.get(&job.key) {
                Some(svg) => Ok(Outcome::Cached(svg.clone())),
                None => run(job, &palette, cache.as_ref()),
            })
            .collect::<Result<Vec<Outcome>>>()
    })?;
    if let Some(cache) = &cache {
        cache.retain(&jobs.iter().map(|job| job.key.as_str()).collect())?;
    }
    MEMO.keep(
        jobs.iter()
            .zip(&outcomes)
            .filter_map(|(job, outcome)| match outcome {
                Outcome::Drawn(svg) | Outcome::Cached(svg) => Some((job.key.clone(), svg.clone())),
                Outcome::Failed(_) => None,
            })
            .collect(),
    );
    let mut drawn = Drawn::default();
    let mut results = jobs.iter().zip(outcomes);
    each_diagram(book, &mut |figure| {
        let Some((job, outcome)) = results.next() else {
            return;
        };
        let svg = match outcome {
            Outcome::Drawn(svg) => {
                drawn.drawn += 1;
                svg
            }
            Outcome::Cached(svg) => {
                drawn.cached += 1;
                svg
            }
            Outcome::Failed(failure) => return diags.push(diagnostic(job, &failure, sources)),
        };
        if let FigureBody::Diagram { svg: slot, .. } = &mut figure.body {
            *slot = Some(svg::label(&svg, &job.prefix, &job.title, &job.desc));
        }
    });
    Ok(drawn)
}

/// Calls `f` on every diagram figure, in reading order.
fn each_diagram(book: &mut Book, f: &mut impl FnMut(&mut Figure)) {
    let mut visit = |block: &mut crate::doc::Block| {
        if let crate::doc::Block::Figure(figure) = block
            && matches!(figure.body, FigureBody::Diagram { .. })
        {
            f(figure);
        }
    };
    for chapter in &mut book.chapters {
        visit_blocks_mut(&mut chapter.blocks, &mut visit);
        for footnote in &mut chapter.footnotes {
            visit_blocks_mut(&mut footnote.blocks, &mut visit);
        }
    }
}

fn collect_jobs(book: &mut Book, palette: &Palette) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let fingerprint = palette.fingerprint();
    let code = cache::hash(&DRAWING_CODE);
    each_diagram(book, &mut |figure| {
        let FigureBody::Diagram { lang, source, .. } = &figure.body else {
            return;
        };
        let engine = Engine::from_lang(lang);
        let prefix = prefix(&mut seen, lang, source);
        let version = engine.map_or("", Engine::version);
        let key = cache::hash(&[version, &code, &fingerprint, &prefix, source]);
        let (title, desc) = accessible_text(figure, lang);
        jobs.push(Job {
            engine,
            lang: lang.clone(),
            source: source.clone(),
            span: figure.span,
            title,
            desc,
            prefix,
            key,
        });
    });
    jobs
}

/// The diagram's id prefix: from its content, so that it stays the same from build to build;
/// a second copy of the same diagram gets `-2`.
fn prefix(seen: &mut HashMap<String, usize>, lang: &str, source: &str) -> String {
    let base = format!("dg-{}", &cache::hash(&[lang, source])[..10]);
    let count = seen.entry(base.clone()).or_insert(0);
    *count += 1;
    match *count {
        1 => base,
        n => format!("{base}-{n}"),
    }
}

/// The drawing's title and description for screen readers, from its caption.
fn accessible_text(figure: &Figure, lang: &str) -> (String, String) {
    let caption = plain_text(&figure.caption.content);
    let number = figure.caption.number.clone();
    let title = number.clone().unwrap_or_else(|| "Diagram".to_string());
    let desc = match (number, caption.is_empty()) {
        (_, false) => caption,
        (Some(number), true) => format!("{number}, drawn from {lang} source"),
        (None, true) => format!("A diagram drawn from {lang} source"),
    };
    (title, desc)
}

fn run(job: &Job, palette: &Palette, cache: Option<&Cache>) -> Result<Outcome> {
    let Some(engine) = job.engine else {
        return Ok(Outcome::Failed(Failure::new(format!(
            "`{}` is not a diagram language (use mermaid, dot, bob or pikchr)",
            job.lang
        ))));
    };
    if let Some(svg) = cache.and_then(|c| c.get(&job.key, &job.prefix)) {
        return Ok(Outcome::Cached(svg));
    }
    match engine.draw(&job.source, palette, &job.prefix) {
        Ok(svg) => {
            if let Some(cache) = cache {
                cache.put(&job.key, &svg)?;
            }
            Ok(Outcome::Drawn(svg))
        }
        Err(failure) => Ok(Outcome::Failed(failure)),
    }
}

/// The error for a diagram that could not be drawn, at its fence (or image), with a note at
/// the offending line when the engine names one and the diagram is written inline.
fn diagnostic(job: &Job, failure: &Failure, sources: &SourceMap) -> Diagnostic {
    let message = match failure.line {
        Some(line) => {
            format!("the {} diagram cannot be drawn: line {line} of the diagram: {}", job.lang, failure.message)
        }
        None => format!("the {} diagram cannot be drawn: {}", job.lang, failure.message),
    };
    let error = Diagnostic::error(job.span, message);
    match failure.line.and_then(|line| fence_line(sources.get(job.span.source).text(), job.span, line)) {
        Some(span) => error.with_note(span, format!("line {} of the diagram", failure.line.unwrap_or(0))),
        None => error,
    }
}

/// The span of line `line` of the diagram inside the fence at `fence`, if `fence` is a fence.
fn fence_line(text: &str, fence: Span, line: usize) -> Option<Span> {
    let block = text.get(fence.start..fence.end)?;
    let opening = block.trim_start();
    if !(opening.starts_with("```") || opening.starts_with("~~~")) {
        return None;
    }
    let mut start = 0;
    for _ in 0..line {
        start += block[start..].find('\n')? + 1;
    }
    let len = block[start..].find('\n').unwrap_or(block.len() - start);
    if block[start..start + len].trim_start().starts_with(['`', '~']) {
        return None;
    }
    Some(Span::new(fence.source, fence.start + start..fence.start + start + len))
}

/// Runs `f` with the panic hook silenced: engine panics are caught and reported as
/// diagnostics, so their default message (and backtrace) would only be noise.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = f();
    std::panic::set_hook(previous);
    result
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    #[test]
    fn engines_come_from_languages_and_extensions() {
        assert_eq!(Engine::from_lang("mermaid"), Some(Engine::Mermaid));
        assert_eq!(Engine::from_lang("rust"), None);
        assert_eq!(Engine::from_path("d/flow.mmd"), Some(Engine::Mermaid));
        assert_eq!(Engine::from_path("a.PIKCHR"), Some(Engine::Pikchr));
        assert_eq!(Engine::from_path("a.png"), None);
        assert_eq!(Engine::from_path("dot"), None);
    }

    #[test]
    fn engine_versions_match_the_lock_file() {
        let lock = include_str!("../../Cargo.lock");
        for engine in Engine::ALL {
            let (name, version) = engine.version().split_once(' ').unwrap();
            let entry = format!("name = \"{name}\"\nversion = \"{version}\"");
            assert!(lock.contains(&entry), "{entry}");
        }
    }

    #[test]
    fn every_engine_draws_a_finished_svg() {
        let cases = [
            (Engine::Mermaid, "flowchart LR\n  a[Alpha] --> b[Beta]\n", "Alpha"),
            (Engine::Dot, "digraph { alpha -> beta }", "alpha"),
            (Engine::Bob, "+-------+\n| Alpha |\n+-------+\n", "Alpha"),
            (Engine::Pikchr, "box \"Alpha\"", "Alpha"),
        ];
        for (engine, source, label) in cases {
            let svg = engine.draw(source, &Palette::DEFAULT, "dg-x").unwrap();
            svg::check(&svg, "dg-x").unwrap();
            assert!(svg.contains(label), "{engine:?}");
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        }
    }

    #[test]
    fn an_engine_panic_is_a_failure() {
        // layout-rs panics on a record label that opens a field group and never closes it.
        let source = "digraph { a [shape=record label=\"{\"] }";
        let failure = quietly(|| Engine::Dot.draw(source, &Palette::DEFAULT, "dg-p")).unwrap_err();
        assert!(failure.message.starts_with("the dot engine crashed on this diagram"), "{}", failure.message);
    }

    #[test]
    fn fence_lines_point_inside_the_fence() {
        let text = "# T\n\n```dot\ndigraph {\n  a -> ;\n}\n```\n";
        let start = text.find("```").unwrap();
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("ch.md", text));
        let fence = Span::new(id, start..text.len() - 1);
        let span = fence_line(text, fence, 2).unwrap();
        assert_eq!(&text[span.start..span.end], "  a -> ;");
        assert_eq!(fence_line(text, fence, 9), None);
        let image = Span::new(fence.source, 0..3);
        assert_eq!(fence_line(text, image, 1), None);
    }

    #[test]
    fn failures_become_errors_at_the_fence_with_a_note() {
        let mut sources = SourceMap::default();
        let text = "```dot\ndigraph {\n  a -> ;\n}\n```\n";
        let id = sources.add(Source::new("ch.md", text));
        let job = Job {
            engine: Some(Engine::Dot),
            lang: "dot".into(),
            source: String::new(),
            span: Span::new(id, 0..text.len()),
            title: String::new(),
            desc: String::new(),
            prefix: "dg-1".into(),
            key: String::new(),
        };
        let failure = Failure { message: "Expected an identifier".into(), line: Some(2) };
        let rendered = crate::diag::render(&diagnostic(&job, &failure, &sources), &sources, crate::diag::Style::Plain);
        assert!(rendered.starts_with(
            "ch.md:1:1: error: the dot diagram cannot be drawn: line 2 of the diagram: Expected an identifier"
        ));
        assert!(rendered.contains("ch.md:3:1: note: line 2 of the diagram"));
    }

    #[test]
    fn prefixes_come_from_the_content_and_stay_unique() {
        let mut seen = HashMap::new();
        let first = prefix(&mut seen, "dot", "digraph { a -> b }");
        let again = prefix(&mut seen, "dot", "digraph { a -> b }");
        let other = prefix(&mut seen, "dot", "digraph { a -> c }");
        assert!(first.starts_with("dg-") && first.len() == 13, "{first}");
        assert_eq!(again, format!("{first}-2"));
        assert_ne!(other, first);
        assert_eq!(prefix(&mut HashMap::new(), "dot", "digraph { a -> b }"), first);
    }
}
