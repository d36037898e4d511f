//! Mermaid diagrams (flowcharts and sequence diagrams) through `merman`.
//!
//! Settings that matter for print and EPUB: the resvg-safe pipeline and `htmlLabels: false`
//! (labels are real `<text>`, never HTML in `<foreignObject>`), the `dagre` layout named
//! explicitly (the result must not depend on which layout features are compiled in), the
//! `base` theme coloured from the palette, labels in the palette's Arial-metric sans-serif
//! (merman measures text with Arial metrics), sequence text wrapped to its box (a long note
//! otherwise runs out of it), and the diagram's prefix as merman's `diagram_id`, which scopes
//! its ids and its CSS.

use super::{Failure, Palette};
use merman::svg::{SvgPipeline, SvgRenderOptions};
use merman::{
    MermaidEngine, OperationControl, RenderError, RenderOutput, RenderRequest, Renderer, SourcePresentationConfig,
    SvgRequest,
};

/// Draws `source`, scoping its ids under `prefix`.
pub fn draw(source: &str, palette: &Palette, prefix: &str) -> Result<String, Failure> {
    let engine = MermaidEngine::new().with_site_config(site_config(palette));
    let renderer = Renderer::new().with_presentation_engine(engine);
    let request = SvgRequest {
        pipeline: Some(SvgPipeline::resvg_safe()),
        options: SvgRenderOptions { diagram_id: Some(prefix.to_string()), ..SvgRenderOptions::default() },
        ..SvgRequest::default()
    };
    let output = renderer.render(RenderRequest::svg(source, OperationControl::new(), request));
    match output {
        Ok(RenderOutput::Svg(Some(svg))) => Ok(svg.svg().to_string()),
        Ok(_) | Err(RenderError::NoDiagram) => {
            Err(Failure::new("no Mermaid diagram found: start with `flowchart`, `graph` or `sequenceDiagram`"))
        }
        Err(error) => Err(failure(source, &error)),
    }
}

/// The host configuration: layout, labels, theme and fonts.
fn site_config(palette: &Palette) -> SourcePresentationConfig {
    SourcePresentationConfig::from_value(serde_json::json!({
        "theme": "base",
        "layout": "dagre",
        "htmlLabels": false,
        "flowchart": { "htmlLabels": false },
        "sequence": { "wrap": true, "width": 120, "actorMargin": 24, "boxMargin": 8, "noteMargin": 8, "messageMargin": 30 },
        "fontFamily": palette.sans,
        "themeVariables": {
            "fontFamily": palette.sans,
            "background": palette.background,
            "primaryColor": palette.fill,
            "primaryBorderColor": palette.stroke,
            "primaryTextColor": palette.text,
            "secondaryColor": palette.group,
            "tertiaryColor": palette.group,
            "lineColor": palette.line,
            "textColor": palette.text,
            "clusterBkg": palette.group,
            "clusterBorder": palette.line,
            "edgeLabelBackground": palette.background,
            "noteBkgColor": palette.note,
            "noteBorderColor": palette.note_stroke,
            "noteTextColor": palette.text,
            "actorBkg": palette.fill,
            "actorBorder": palette.stroke,
            "actorTextColor": palette.text,
            "actorLineColor": palette.line,
            "signalColor": palette.line,
            "signalTextColor": palette.text,
            "labelBoxBkgColor": palette.group,
            "labelBoxBorderColor": palette.line,
            "labelTextColor": palette.text,
            "loopTextColor": palette.text,
            "activationBkgColor": palette.group,
            "activationBorderColor": palette.line,
            "sequenceNumberColor": palette.background,
        }
    }))
}

/// A render error as a message and, for parse errors, the line inside the diagram.
fn failure(source: &str, error: &RenderError) -> Failure {
    match error {
        RenderError::Parse(diagnostic) => Failure {
            message: reword(&diagnostic.terminal_safe_message()),
            line: diagnostic.terminal_diagnostic_details().span.map(|span| line_at(source, span.start)),
        },
        other => Failure::new(other.to_string()),
    }
}

/// merman's message, with its advice about Cargo features replaced by advice for authors.
fn reword(message: &str) -> String {
    match message.strip_prefix("Unsupported diagram type: ").and_then(|rest| rest.split(';').next()) {
        Some(kind) => format!(
            "`{kind}` diagrams are not supported; folio draws Mermaid flowcharts (`flowchart`, `graph`) and sequence diagrams (`sequenceDiagram`)"
        ),
        None => message.to_string(),
    }
}

/// The 1-based line of byte `offset` in `source`.
fn line_at(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    1 + source.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flowchart_labels_are_text() {
        let svg = draw("flowchart LR\n  a[Web server] -->|reads| b[(Cache)]\n", &Palette::DEFAULT, "dg-m").unwrap();
        assert!(svg.contains(">Web</tspan>"), "{svg}");
        assert!(svg.contains(">reads</tspan>"));
        assert!(!svg.contains("foreignObject"));
    }

    #[test]
    fn sequence_diagrams_draw() {
        let svg = draw(
            "sequenceDiagram\n  participant A as Client\n  A->>B: get\n  B-->>A: value\n",
            &Palette::DEFAULT,
            "dg-s",
        )
        .unwrap();
        assert!(svg.contains("Client"));
    }

    #[test]
    fn parse_errors_name_their_line() {
        let error = draw("flowchart TD\n  a --> b\n  b --> c[Unclosed\n", &Palette::DEFAULT, "dg-e").unwrap_err();
        assert_eq!(error.line, Some(3), "{}", error.message);
    }

    #[test]
    fn other_diagram_kinds_are_refused_in_words_for_authors() {
        let error = draw("pie title Pets\n  \"Dogs\" : 3\n", &Palette::DEFAULT, "dg-p").unwrap_err();
        assert!(error.message.starts_with("`pie` diagrams are not supported"), "{}", error.message);
        assert!(!error.message.contains("Cargo"));
    }

    #[test]
    fn other_text_is_no_diagram() {
        assert!(draw("hello", &Palette::DEFAULT, "dg-n").is_err());
    }
}
