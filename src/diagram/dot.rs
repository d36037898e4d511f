//! Graphviz DOT through `layout-rs`: its parser and layout, and a drawing backend of folio's.
//!
//! layout-rs supports a subset of DOT (see `docs/notes/diagram-engines.md`): `graph` and
//! `digraph`, node and edge statements (chains `a -> b -> c`), `node`/`edge`/`graph` default
//! attributes, `rankdir=LR`, the shapes `box`, `circle`, `doublecircle`, `record` and
//! `Mrecord` (any other shape is an ellipse), `label`, `color`, `fillcolor`, `style=filled`,
//! `style=dashed`, `fontsize` and `penwidth`. Subgraphs are read but drawn flat.
//!
//! Its own SVG writer is replaced by [`Canvas`]: the output is deterministic, takes the
//! palette (black and white, the defaults, become the palette's colours; other colours stay),
//! draws text in the palette's sans-serif family, and gives every id the diagram's prefix.
//! Parse errors carry a line: layout-rs keeps the error position private, so it is read from
//! the parser's `Debug` output (the crate is pinned, and a test guards this).

use super::svg::{escape, number};
use super::{Failure, Palette};
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::gv::{DotParser, GraphBuilder, Lexer, Token};
use std::fmt::Write;

/// Draws `source`.
pub fn draw(source: &str, palette: &Palette, prefix: &str) -> Result<String, Failure> {
    lex(source)?;
    let mut parser = DotParser::new(source);
    let graph = parser.process().map_err(|message| Failure {
        line: error_line(source, &format!("{parser:?}")),
        message: parse_message(&message),
    })?;
    let mut builder = GraphBuilder::new();
    builder.visit_graph(&graph);
    let mut visual = builder.get();
    if visual.num_nodes() == 0 {
        return Err(Failure::new("the graph has no nodes"));
    }
    let top_down = !visual.orientation().is_left_right();
    let mut canvas = Canvas::new(palette, prefix, top_down);
    visual.do_it(false, false, false, &mut canvas);
    Ok(canvas.finish())
}

/// Runs the lexer alone first: its errors have a position (the parser would panic on them).
fn lex(source: &str) -> Result<(), Failure> {
    let mut lexer = Lexer::from_string(source);
    loop {
        match lexer.next_token() {
            Token::EOF => return Ok(()),
            Token::Error(pos) => {
                return Err(Failure { message: lex_message(source, pos), line: Some(line_of(source, pos)) });
            }
            _ => {}
        }
    }
}

/// What the lexer stopped at (char index `pos`, one past the character), in words; it stops
/// at the end of the text only inside a string.
fn lex_message(source: &str, pos: usize) -> String {
    if pos >= source.chars().count() {
        return "a string is not closed".into();
    }
    match source.chars().nth(pos.saturating_sub(1)) {
        None | Some('"') => "a string is not closed".into(),
        Some('<') => "unexpected `<`: HTML-like labels are not supported".into(),
        Some(c) => format!("unexpected character `{c}`"),
    }
}

/// layout-rs's parse error, in folio's words (lowercase, and `port` explained).
fn parse_message(message: &str) -> String {
    let message = match message {
        "port" => "expected a node name",
        other => other.trim_end_matches(['.', ' ']),
    };
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "the graph cannot be read".into(),
    }
}

/// The line of the parser's position, read from its `Debug` output (`…], pos: 42, ch: …`).
fn error_line(source: &str, debug: &str) -> Option<usize> {
    let after = &debug[debug.find("], pos: ")? + 8..];
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    Some(line_of(source, digits.parse().ok()?))
}

/// The 1-based line of the character before char index `pos` (the lexer reads one ahead).
fn line_of(source: &str, pos: usize) -> usize {
    1 + source.chars().take(pos.saturating_sub(1)).filter(|&c| c == '\n').count()
}

/// layout-rs's defaults, which folio replaces with the palette.
const BLACK: &str = "#000000ff";
const WHITE: &str = "#ffffffff";

/// What a default colour stands for, and the class that lets the HTML theme recolour it.
#[derive(Clone, Copy)]
enum Role {
    Fill,
    Stroke,
    Line,
}

impl Role {
    fn colour(self, palette: &Palette) -> &'static str {
        match self {
            Role::Fill => palette.fill,
            Role::Stroke => palette.stroke,
            Role::Line => palette.line,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Role::Fill => "dg-fill",
            Role::Stroke => "dg-stroke",
            Role::Line => "dg-line",
        }
    }
}

/// A paint attribute, and its class when it is the palette's.
struct Paint {
    text: String,
    class: Option<&'static str>,
}

/// ` class="a b"` for the classes given, or nothing.
fn classes(classes: &[Option<&str>]) -> String {
    let names: Vec<&str> = classes.iter().flatten().copied().collect();
    if names.is_empty() { String::new() } else { format!("class=\"{}\" ", names.join(" ")) }
}

/// An SVG drawing backend for layout-rs.
struct Canvas<'a> {
    palette: &'a Palette,
    prefix: &'a str,
    body: String,
    clips: Vec<String>,
    markers: Vec<String>,
    width: f64,
    height: f64,
    /// Whether ranks run top to bottom (edge labels then sit left of their edge).
    top_down: bool,
    /// The centre of the last shape drawn: a text there is its label.
    last_shape: Option<Point>,
}

impl<'a> Canvas<'a> {
    fn new(palette: &'a Palette, prefix: &'a str, top_down: bool) -> Self {
        Canvas {
            palette,
            prefix,
            body: String::new(),
            clips: Vec::new(),
            markers: Vec::new(),
            width: 0.0,
            height: 0.0,
            top_down,
            last_shape: None,
        }
    }

    /// Where a text's lines are anchored: at `xy`, centred, for a node's label; for an edge's
    /// label in a top-down graph, ending just left of the edge. layout-rs reserves one em
    /// per character for the label and runs the edge along the right side of that box, which
    /// leaves real (narrower) text far from its edge.
    fn text_anchor(&self, xy: Point, text: &str, size: f64) -> (f64, &'static str) {
        let node_label = self.last_shape.is_some_and(|c| (c.x - xy.x).abs() < 0.5 && (c.y - xy.y).abs() < 0.5);
        if node_label || !self.top_down {
            return (xy.x, "middle");
        }
        let chars = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        (xy.x + chars as f64 * size / 2.0 - 1.0, "end")
    }

    fn grow(&mut self, corner: Point) {
        self.width = self.width.max(corner.x + 5.0);
        self.height = self.height.max(corner.y + 5.0);
    }

    /// `attribute="colour"` for a layout-rs colour (`#rrggbbaa`); layout-rs's default
    /// (`default_web`) becomes the palette's `palette_value`, marked with the class `role`.
    fn paint(&self, attribute: &str, web: &str, default_web: &str, role: Role) -> Paint {
        let hex = web.trim_start_matches('#');
        let (rgb, alpha) = hex.split_at(hex.len().min(6));
        let text = match alpha {
            _ if web == default_web => {
                return Paint {
                    text: format!("{attribute}=\"{}\"", role.colour(self.palette)),
                    class: Some(role.class()),
                };
            }
            "00" => format!("{attribute}=\"none\""),
            "ff" | "" => format!("{attribute}=\"#{rgb}\""),
            _ => {
                let opacity = u8::from_str_radix(alpha, 16).map_or(1.0, |a| f64::from(a) / 255.0);
                format!("{attribute}=\"#{rgb}\" {attribute}-opacity=\"{}\"", number(opacity))
            }
        };
        Paint { text, class: None }
    }

    /// The class and paint attributes of a node shape.
    fn shape_paint(&self, look: &StyleAttr) -> String {
        let fill = match look.fill_color {
            Some(color) => self.paint("fill", &color.to_web_color(), WHITE, Role::Fill),
            None => Paint { text: "fill=\"none\"".into(), class: None },
        };
        let stroke = self.paint("stroke", &look.line_color.to_web_color(), BLACK, Role::Stroke);
        format!(
            "{}{} {} stroke-width=\"{}\"",
            classes(&[fill.class, stroke.class]),
            fill.text,
            stroke.text,
            look.line_width
        )
    }

    /// The class and stroke attributes of an edge.
    fn line_paint(&self, look: &StyleAttr) -> Paint {
        self.paint("stroke", &look.line_color.to_web_color(), BLACK, Role::Line)
    }

    /// The id of an arrowhead marker painted `paint` (a `fill` attribute with its class),
    /// created on first use.
    fn marker(&mut self, paint: &str, start: bool) -> String {
        let key = format!("{paint}{}", if start { "<" } else { ">" });
        let index = match self.markers.iter().position(|k| *k == key) {
            Some(index) => index,
            None => {
                self.markers.push(key);
                self.markers.len() - 1
            }
        };
        format!("{}-arrow-{index}", self.prefix)
    }

    fn finish(self) -> String {
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" font-family=\"{font}\"><defs>",
            w = number(self.width),
            h = number(self.height),
            font = escape(self.palette.sans),
        );
        for (index, key) in self.markers.iter().enumerate() {
            let (paint, start) = key.split_at(key.len() - 1);
            let path = if start == "<" { "M10,0 L0,5 L10,10 z" } else { "M0,0 L10,5 L0,10 z" };
            let refx = if start == "<" { 1 } else { 9 };
            let _ = write!(
                out,
                "<marker id=\"{}-arrow-{index}\" viewBox=\"0 0 10 10\" refX=\"{refx}\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"{path}\" {paint}/></marker>",
                self.prefix
            );
        }
        self.clips.iter().for_each(|clip| out.push_str(clip));
        out.push_str("</defs>");
        out.push_str(&self.body);
        out.push_str("</svg>");
        out
    }
}

impl RenderBackend for Canvas<'_> {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        _properties: Option<String>,
        clip: Option<ClipHandle>,
    ) {
        self.grow(Point::new(xy.x + size.x, xy.y + size.y));
        self.last_shape = Some(Point::new(xy.x + size.x / 2.0, xy.y + size.y / 2.0));
        let clip = clip.map_or(String::new(), |c| format!(" clip-path=\"url(#{}-clip-{c})\"", self.prefix));
        let _ = write!(
            self.body,
            "<rect {} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"{clip}/>",
            self.shape_paint(look),
            number(xy.x),
            number(xy.y),
            number(size.x),
            number(size.y),
            look.rounded
        );
    }

    fn draw_line(&mut self, start: Point, stop: Point, look: &StyleAttr, _: Option<String>) {
        let stroke = self.line_paint(look);
        let _ = write!(
            self.body,
            "<line {}{} x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"{}\"/>",
            classes(&[stroke.class]),
            stroke.text,
            number(start.x),
            number(start.y),
            number(stop.x),
            number(stop.y),
            look.line_width
        );
    }

    fn draw_circle(&mut self, xy: Point, size: Point, look: &StyleAttr, _: Option<String>) {
        self.grow(Point::new(xy.x + size.x / 2.0, xy.y + size.y / 2.0));
        self.last_shape = Some(xy);
        let _ = write!(
            self.body,
            "<ellipse {} cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"/>",
            self.shape_paint(look),
            number(xy.x),
            number(xy.y),
            number(size.x / 2.0),
            number(size.y / 2.0)
        );
    }

    fn draw_text(&mut self, xy: Point, text: &str, look: &StyleAttr) {
        let size = look.font_size as f64;
        let lines: Vec<&str> = text.lines().collect();
        let first = xy.y - (lines.len().saturating_sub(1) as f64) * size * 0.6 + size * 0.35;
        let (x, anchor) = self.text_anchor(xy, text, size);
        let _ = write!(
            self.body,
            "<text class=\"dg-label\" x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{}\">",
            number(x),
            number(first),
            look.font_size,
            self.palette.text
        );
        for (i, line) in lines.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { size * 1.2 };
            let _ = write!(self.body, "<tspan x=\"{}\" dy=\"{}\">{}</tspan>", number(x), number(dy), escape(line));
        }
        self.body.push_str("</text>");
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        dashed: bool,
        head: (bool, bool),
        look: &StyleAttr,
        _properties: Option<String>,
        text: &str,
    ) {
        let [(start, exit), (last_control, end), rest @ ..] = path else {
            return;
        };
        let mut d = format!(
            "M{} {} C{} {} {} {} {} {}",
            number(start.x),
            number(start.y),
            number(exit.x),
            number(exit.y),
            number(last_control.x),
            number(last_control.y),
            number(end.x),
            number(end.y)
        );
        for (control, point) in rest {
            let _ = write!(d, " S{} {} {} {}", number(control.x), number(control.y), number(point.x), number(point.y));
        }
        for (a, b) in path {
            self.grow(*a);
            self.grow(*b);
        }
        let stroke = self.line_paint(look);
        let head_paint =
            format!("{}{}", classes(&[stroke.class.map(|_| "dg-head")]), stroke.text.replace("stroke", "fill"));
        let mut attributes =
            format!("{}{} stroke-width=\"{}\" fill=\"none\"", classes(&[stroke.class]), stroke.text, look.line_width);
        if dashed {
            attributes.push_str(" stroke-dasharray=\"5,5\"");
        }
        if head.0 {
            let id = self.marker(&head_paint, true);
            let _ = write!(attributes, " marker-start=\"url(#{id})\"");
        }
        if head.1 {
            let id = self.marker(&head_paint, false);
            let _ = write!(attributes, " marker-end=\"url(#{id})\"");
        }
        let _ = write!(self.body, "<path d=\"{d}\" {attributes}/>");
        if !text.is_empty() {
            self.draw_text(*end, text, look);
        }
    }

    fn create_clip(&mut self, xy: Point, size: Point, rounded: usize) -> ClipHandle {
        let handle = self.clips.len();
        self.clips.push(format!(
            "<clipPath id=\"{}-clip-{handle}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rounded}\"/></clipPath>",
            self.prefix,
            number(xy.x),
            number(xy.y),
            number(size.x),
            number(size.y)
        ));
        handle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAPH: &str = "digraph {\n  lb [shape=box label=\"Load balancer\"];\n  lb -> a [label=\"rr\"];\n  lb -> b;\n  a -> db [style=dashed];\n}\n";

    #[test]
    fn draws_labels_as_text_in_the_palette() {
        let svg = draw(GRAPH, &Palette::DEFAULT, "dg-t").unwrap();
        assert!(svg.contains(">Load balancer</tspan>"));
        assert!(svg.contains(">rr</tspan>"));
        assert!(svg.contains(Palette::DEFAULT.fill));
        assert!(svg.contains("url(#dg-t-arrow-0)"));
        assert!(!svg.contains("#000000"));
    }

    #[test]
    fn edge_labels_end_beside_their_edge_and_node_labels_stay_centred() {
        let svg = draw(GRAPH, &Palette::DEFAULT, "dg-t").unwrap();
        let label = |text: &str| {
            let end = svg.find(&format!(">{text}</tspan>")).unwrap();
            let start = svg[..end].rfind("<text").unwrap();
            svg[start..end].to_string()
        };
        assert!(label("rr").contains("text-anchor=\"end\""));
        assert!(label("Load balancer").contains("text-anchor=\"middle\""));
        let records = draw("digraph { r [shape=record label=\"left|right\"] }", &Palette::DEFAULT, "dg-r").unwrap();
        assert!(!records.contains("text-anchor=\"end\""), "{records}");
    }

    #[test]
    fn output_is_deterministic() {
        let first = draw(GRAPH, &Palette::DEFAULT, "dg-t").unwrap();
        for _ in 0..5 {
            assert_eq!(draw(GRAPH, &Palette::DEFAULT, "dg-t").unwrap(), first);
        }
    }

    #[test]
    fn parse_errors_name_their_line() {
        let error = draw("digraph {\n  a -> b;\n  c -> ;\n}\n", &Palette::DEFAULT, "dg-t").unwrap_err();
        assert_eq!(error.line, Some(3), "{}", error.message);
        assert_eq!(error.message, "expected a node name");
        let error = draw("digraph {\n  a -> b;\n  c [label=\"x];\n}\n", &Palette::DEFAULT, "dg-t").unwrap_err();
        assert_eq!(error.message, "a string is not closed");
        let error = draw("digraph {\n  a [label=<<b>x</b>>];\n}\n", &Palette::DEFAULT, "dg-t").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(error.message.contains("HTML-like labels"), "{}", error.message);
    }

    #[test]
    fn an_empty_graph_is_an_error() {
        assert!(draw("digraph { }", &Palette::DEFAULT, "dg-t").is_err());
    }

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("ab\ncd", 1), 1);
        assert_eq!(line_of("ab\ncd", 4), 2);
        assert_eq!(line_of("ab\ncd", 0), 1);
    }
}
