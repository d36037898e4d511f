//! The diagram palette: the colours and font families every engine draws with, defined once.
//!
//! The SVG carries these concrete values, so the PDF and the EPUB show them as they are; the
//! HTML theme recolours the same drawings in dark mode through CSS (see `themes/default`).

/// Colours (CSS hex) and font families of the drawings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Label text.
    pub text: &'static str,
    /// Edges, arrows, lifelines.
    pub line: &'static str,
    /// Node outlines.
    pub stroke: &'static str,
    /// Node fill.
    pub fill: &'static str,
    /// Notes and other secondary boxes.
    pub note: &'static str,
    /// Outline of notes.
    pub note_stroke: &'static str,
    /// Groups: clusters, loops, alternatives.
    pub group: &'static str,
    /// Behind labels that sit on lines.
    pub background: &'static str,
    /// Labels of boxes-and-arrows diagrams (an Arial-metric face: Mermaid measures with Arial).
    pub sans: &'static str,
    /// ASCII-art diagrams, whose letters sit on a character grid.
    pub mono: &'static str,
}

impl Palette {
    /// The default theme's palette.
    pub const DEFAULT: Palette = Palette {
        text: "#1f2328",
        line: "#57606a",
        stroke: "#3f6f9f",
        fill: "#eaf1f8",
        note: "#fff5cc",
        note_stroke: "#c9a227",
        group: "#f6f8fa",
        background: "#ffffff",
        sans: "Liberation Sans, Arial, Helvetica, sans-serif",
        mono: "DejaVu Sans Mono, monospace",
    };

    /// A string that changes whenever any value changes (part of the cache key).
    pub fn fingerprint(&self) -> String {
        format!("{self:?}")
    }
}

impl Default for Palette {
    fn default() -> Self {
        Palette::DEFAULT
    }
}
