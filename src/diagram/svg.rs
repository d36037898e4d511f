//! What every drawing goes through after its engine: one root element written by folio, every
//! id prefixed per diagram, a size, a title and description for screen readers, and a last
//! check that the SVG is safe to inline in HTML5 and in EPUB 3 XHTML.
//!
//! Works on the engines' text with `roxmltree` (read-only): the tree says where things are,
//! and the text is rewritten around it. Knows nothing about the engines themselves.

use roxmltree::{Document, Node};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// Elements that have no place in a static, self-contained drawing.
const FORBIDDEN_ELEMENTS: [&str; 7] = ["script", "foreignObject", "iframe", "image", "feImage", "animate", "set"];

/// Attributes that are not SVG and that the HTML checker refuses (merman names its actors).
const DROPPED_ATTRIBUTES: [&str; 1] = ["name"];

/// Root attributes folio writes itself or drops.
const ROOT_REPLACED: [&str; 10] = ["id", "class", "width", "height", "viewBox", "style", "role", "version", "x", "y"];

/// Turns an engine's SVG into folio's: root rebuilt (`class`, `width`/`height` from the
/// `viewBox`), a backdrop in `background` behind the drawing (so that it stays readable on a
/// reading system's dark page; the HTML theme paints it in the page's colour), ids prefixed
/// with `prefix`, top-level `<title>`/`<desc>` dropped (see [`label`]), then checked. `class`
/// names the engine for the theme's CSS.
pub fn finish(raw: &str, prefix: &str, class: &str, background: &str) -> Result<String, String> {
    let doc = Document::parse(raw).map_err(|e| format!("the SVG is not well-formed XML ({e})"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NS) {
        return Err("the drawing is not an <svg> element".into());
    }
    let renamed = renamed_ids(&doc, prefix)?;
    let tag_end =
        start_tag_end(raw, root.range().start).ok_or_else(|| "the <svg> start tag is not closed".to_string())?;
    let body_range = tag_end..root.range().end;
    let dropped: Vec<std::ops::Range<usize>> = root
        .children()
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "title" | "desc"))
        .map(|n| n.range())
        .collect();
    let body = if raw[..tag_end].ends_with("/>") { "</svg>".to_string() } else { cut(raw, body_range, &dropped) };
    let area = area(root)?;
    let mut out = root_tag(root, &renamed, class, body.contains("xlink:"), area);
    let _ = write!(
        out,
        "<rect class=\"dg-backdrop\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" style=\"fill:{};stroke:none\"/>",
        number(area.x),
        number(area.y),
        number(area.width),
        number(area.height),
        escape(background)
    );
    out.push_str(&rewrite_ids(&drop_attributes(&body), &renamed));
    check(&out, prefix)?;
    Ok(out)
}

/// Gives a finished SVG its accessible name and description: `role="img"`, `<title>` and
/// `<desc>`, with ids under `prefix`.
pub fn label(svg: &str, prefix: &str, title: &str, desc: &str) -> String {
    // `finish` wrote the start tag and escaped every `>` inside its attribute values.
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let (tag, rest) = (&svg[..end], &svg[end + 1..]);
    format!(
        "{tag} role=\"img\" aria-labelledby=\"{prefix}-title\" aria-describedby=\"{prefix}-desc\">\
         <title id=\"{prefix}-title\">{}</title><desc id=\"{prefix}-desc\">{}</desc>{rest}",
        escape(title),
        escape(desc)
    )
}

/// Checks a finished SVG: well-formed, no forbidden element, no event handler, no reference
/// outside itself, and every id under `prefix` and unique.
pub fn check(svg: &str, prefix: &str) -> Result<(), String> {
    let doc = Document::parse(svg).map_err(|e| format!("the SVG is not well-formed XML ({e})"))?;
    let mut ids = HashSet::new();
    for node in doc.descendants() {
        if node.is_text() && node.parent().is_some_and(|p| p.has_tag_name("style")) {
            check_css(node.text().unwrap_or_default())?;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name();
        if FORBIDDEN_ELEMENTS.contains(&name) {
            return Err(format!("it contains a <{name}> element"));
        }
        for attr in node.attributes() {
            check_attribute(name, attr.name(), attr.value())?;
        }
        if let Some(id) = node.attribute("id") {
            if !id.starts_with(prefix) {
                return Err(format!("the id `{id}` escaped the diagram's prefix"));
            }
            if !ids.insert(id) {
                return Err(format!("the id `{id}` is used twice"));
            }
        }
    }
    Ok(())
}

fn check_attribute(element: &str, name: &str, value: &str) -> Result<(), String> {
    if name.to_ascii_lowercase().starts_with("on") {
        return Err(format!("<{element}> has an event handler `{name}`"));
    }
    if name == "href" && !value.starts_with('#') {
        return Err(format!("<{element}> links outside the drawing (`{value}`)"));
    }
    check_css(value)
}

fn check_css(text: &str) -> Result<(), String> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("@import") {
        return Err("its style imports another stylesheet".into());
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        rest = rest[at + 4..].trim_start_matches([' ', '"', '\'']);
        if !rest.starts_with('#') {
            return Err("it refers to a file or URL outside the drawing".into());
        }
    }
    Ok(())
}

/// Old id → new id, for every id that does not already start with `prefix`.
fn renamed_ids(doc: &Document, prefix: &str) -> Result<HashMap<String, String>, String> {
    let mut renamed = HashMap::new();
    for node in doc.descendants().filter(Node::is_element) {
        if let Some(id) = node.attribute("id")
            && !id.starts_with(prefix)
        {
            if id.is_empty() || id.contains(char::is_whitespace) {
                return Err(format!("the id `{id}` is not a valid id"));
            }
            renamed.insert(id.to_string(), format!("{prefix}-{id}"));
        }
    }
    Ok(renamed)
}

/// Writes folio's `<svg …>` start tag from the engine's root element.
fn root_tag(root: Node, renamed: &HashMap<String, String>, class: &str, xlink: bool, area: Area) -> String {
    let mut tag = format!("<svg xmlns=\"{SVG_NS}\"");
    if xlink {
        let _ = write!(tag, " xmlns:xlink=\"{XLINK_NS}\"");
    }
    if let Some(id) = root.attribute("id") {
        let id = renamed.get(id).map_or(id, String::as_str);
        let _ = write!(tag, " id=\"{}\"", escape(id));
    }
    let classes: Vec<&str> = ["diagram-svg", class]
        .into_iter()
        .chain(root.attribute("class").unwrap_or_default().split_whitespace())
        .collect();
    let _ = write!(
        tag,
        " class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"{}\"",
        escape(&classes.join(" ")),
        number(area.width),
        number(area.height),
        [area.x, area.y, area.width, area.height].map(number).join(" ")
    );
    for attr in root.attributes() {
        let name = attr.name();
        if attr.namespace().is_some() || ROOT_REPLACED.contains(&name) || name.starts_with("aria-") {
            continue;
        }
        let _ = write!(tag, " {name}=\"{}\"", escape(attr.value()));
    }
    tag.push('>');
    tag
}

/// The drawing's area in its own units.
#[derive(Clone, Copy, Debug)]
struct Area {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// The drawing's area: its `viewBox`, or else `0 0` and its numeric `width` and `height`.
fn area(root: Node) -> Result<Area, String> {
    let from_box = root.attribute("viewBox").and_then(|v| {
        let numbers: Vec<f64> = v.split([' ', ',']).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
        match numbers.as_slice() {
            [x, y, width, height] => Some(Area { x: *x, y: *y, width: *width, height: *height }),
            _ => None,
        }
    });
    let from_attributes = || {
        let width = root.attribute("width")?.trim_end_matches("px").parse().ok()?;
        let height = root.attribute("height")?.trim_end_matches("px").parse().ok()?;
        Some(Area { x: 0.0, y: 0.0, width, height })
    };
    match from_box.or_else(from_attributes) {
        Some(a) if a.width > 0.0 && a.height > 0.0 && [a.x, a.y, a.width, a.height].iter().all(|n| n.is_finite()) => {
            Ok(a)
        }
        _ => Err("the drawing has no size (no viewBox, width or height)".into()),
    }
}

/// A number for an attribute: at most two decimals, no trailing zeros.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".into() } else { text.into() }
}

/// The byte after the `>` that ends the start tag opening at `from`.
fn start_tag_end(text: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.get(from..)?.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(from + i + 1),
            _ => {}
        }
    }
    None
}

/// `text[range]` without the `dropped` ranges (sorted, inside `range`).
fn cut(text: &str, range: std::ops::Range<usize>, dropped: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(range.len());
    let mut at = range.start;
    for skip in dropped {
        out.push_str(&text[at..skip.start]);
        at = skip.end;
    }
    out.push_str(&text[at..range.end]);
    out
}

/// `text` without the [`DROPPED_ATTRIBUTES`] of its tags (text, comments and CDATA untouched).
fn drop_attributes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<![CDATA[") {
            rest.find("]]>").map(|i| i + 3)
        } else {
            start_tag_end(rest, 0)
        };
        let end = end.unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with("<!") || tag.starts_with("</") {
            out.push_str(tag);
        } else {
            out.push_str(&tag_without_dropped(tag));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One start tag without the dropped attributes.
fn tag_without_dropped(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut rest = tag;
    while let Some(space) = rest.find(char::is_whitespace) {
        out.push_str(&rest[..space]);
        let after = &rest[space..];
        let name_start = after.len() - after.trim_start().len();
        let name: String =
            after[name_start..].chars().take_while(|c| !c.is_whitespace() && !matches!(c, '=' | '/' | '>')).collect();
        let value_end = attribute_end(&after[name_start..]).map(|e| name_start + e);
        match value_end {
            Some(end) if DROPPED_ATTRIBUTES.contains(&name.as_str()) => rest = &after[end..],
            Some(end) => {
                out.push_str(&after[..end]);
                rest = &after[end..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of `name="value"` (or `name='value'`) at the start of `text`.
fn attribute_end(text: &str) -> Option<usize> {
    let equals = text.find('=')?;
    if text[..equals].contains(|c: char| c.is_whitespace() || c == '>') {
        return None;
    }
    let value = text[equals + 1..].trim_start();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value_start = text.len() - value.len();
    let close = value[1..].find(quote)?;
    Some(value_start + 1 + close + 1)
}

/// Where an id is defined or referred to: the text before the name, and what ends the name.
const ID_PLACES: [(&str, char); 8] = [
    (" id=\"", '"'),
    (" id='", '\''),
    ("\nid=\"", '"'),
    ("url(#", ')'),
    ("url('#", '\''),
    ("url(\"#", '"'),
    ("href=\"#", '"'),
    ("href='#", '\''),
];

/// Renames ids and their `url(#…)` and `href="#…"` references.
fn rewrite_ids(text: &str, renamed: &HashMap<String, String>) -> String {
    if renamed.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + renamed.len() * 16);
    let mut copied = 0;
    let mut i = 0;
    while i < text.len() {
        // The leads are ASCII, so a match starts and ends on character boundaries.
        let place = ID_PLACES.iter().find(|(lead, _)| text.as_bytes()[i..].starts_with(lead.as_bytes()));
        let Some((lead, end)) = place else {
            i += 1;
            continue;
        };
        let name_start = i + lead.len();
        let Some(name_len) = text[name_start..].find(*end) else {
            break;
        };
        let name = &text[name_start..name_start + name_len];
        if let Some(new) = renamed.get(name) {
            out.push_str(&text[copied..name_start]);
            out.push_str(new);
            copied = name_start + name_len;
        }
        i = name_start + name_len;
    }
    out.push_str(&text[copied..]);
    out
}

/// Escapes text for XML content and double-quoted attributes; drops characters XML forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGINE_SVG: &str = r##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100%" style="max-width: 80px" viewBox="0 0 80 40" role="graphics-document" class="svgbob"><title>old</title><style>.svgbob .a{marker-end:url(#arrow)}</style><defs><marker id="arrow"><path d="M0 0"/></marker></defs><path id="p" marker-end="url(#arrow)" d="M0 0L9 9"/><use href="#p"/><text x="1" y="2">a &lt; b</text></svg>"##;

    #[test]
    fn prefixes_ids_and_their_references() {
        let svg = finish(ENGINE_SVG, "dg-1", "diagram-bob", "#fff").unwrap();
        assert!(svg.contains("<marker id=\"dg-1-arrow\">"));
        assert!(svg.contains("marker-end:url(#dg-1-arrow)"));
        assert!(svg.contains("marker-end=\"url(#dg-1-arrow)\""));
        assert!(svg.contains("href=\"#dg-1-p\""));
        assert!(!svg.contains("#arrow)"));
    }

    #[test]
    fn rebuilds_the_root_with_a_size_and_classes() {
        let svg = finish(ENGINE_SVG, "dg-1", "diagram-bob", "#fff").unwrap();
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram-svg diagram-bob svgbob\" width=\"80\" height=\"40\" viewBox=\"0 0 80 40\"><rect class=\"dg-backdrop\" x=\"0\" y=\"0\" width=\"80\" height=\"40\" style=\"fill:#fff;stroke:none\"/>"
        ));
        assert!(!svg.contains("<?xml"));
        assert!(!svg.contains("max-width"));
        assert!(!svg.contains("<title>old</title>"));
        assert!(svg.contains("a &lt; b"));
    }

    #[test]
    fn adds_a_view_box_when_only_the_size_is_given() {
        let raw = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20.5\"><rect width=\"1\" height=\"1\"/></svg>";
        let svg = finish(raw, "dg-2", "diagram-bob", "#fff").unwrap();
        assert!(svg.contains("width=\"30\" height=\"20.5\" viewBox=\"0 0 30 20.5\""));
    }

    #[test]
    fn labels_the_drawing_for_screen_readers() {
        let svg = finish(ENGINE_SVG, "dg-1", "diagram-bob", "#fff").unwrap();
        let labelled = label(&svg, "dg-1", "Figure 1.1", "Cache <miss> path");
        assert!(labelled.contains(
            "role=\"img\" aria-labelledby=\"dg-1-title\" aria-describedby=\"dg-1-desc\"><title id=\"dg-1-title\">Figure 1.1</title><desc id=\"dg-1-desc\">Cache &lt;miss&gt; path</desc>"
        ));
        check(&labelled, "dg-1").unwrap();
    }

    #[test]
    fn refuses_unsafe_drawings() {
        let wrap = |inner: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\">{inner}</svg>");
        for inner in [
            "<script>alert(1)</script>",
            "<foreignObject><p>x</p></foreignObject>",
            "<rect onclick=\"x()\"/>",
            "<a href=\"https://example.com\"><text>x</text></a>",
            "<rect style=\"fill:url(https://example.com/x.svg#a)\"/>",
            "<style>@import url(x.css);</style>",
        ] {
            assert!(finish(&wrap(inner), "dg-3", "x", "#fff").is_err(), "{inner}");
        }
        assert!(finish("<svg", "dg-3", "x", "#fff").is_err());
        assert!(finish("<html/>", "dg-3", "x", "#fff").is_err());
        assert!(finish(&wrap(""), "dg-3", "x", "#fff").is_ok());
    }

    #[test]
    fn ids_are_found_among_non_ascii_text() {
        let raw = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><text>café ✓</text><g id=\"é\"/><use href=\"#é\"/></svg>";
        let svg = finish(raw, "dg-6", "x", "#fff").unwrap();
        assert!(svg.contains("café ✓"));
        assert!(svg.contains("id=\"dg-6-é\"") && svg.contains("href=\"#dg-6-é\""));
    }

    #[test]
    fn refuses_duplicate_ids() {
        let raw = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><g id=\"a\"/><g id=\"a\"/></svg>";
        assert!(finish(raw, "dg-4", "x", "#fff").unwrap_err().contains("twice"));
    }

    #[test]
    fn drops_attributes_that_html_refuses() {
        let text = "<rect name=\"A\" x='1'/><!-- name=\"x\" --><text>name=\"kept\"</text><g name='b'>";
        assert_eq!(drop_attributes(text), "<rect x='1'/><!-- name=\"x\" --><text>name=\"kept\"</text><g>");
    }

    #[test]
    fn a_self_closing_root_keeps_its_end_tag() {
        let raw = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"/>";
        let svg = finish(raw, "dg-5", "x", "#fff").unwrap();
        assert!(svg.ends_with("></svg>"), "{svg}");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.345), "12.35");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(0.5), "0.5");
    }
}
