//! Pikchr diagrams through the `pikchr` crate (the C reference implementation, in process).
//!
//! Pikchr draws in black with no font and only a `viewBox`: its black becomes the palette's
//! text colour, on elements marked `dg-ink` for the HTML theme's dark mode; the root gets the
//! palette's sans-serif family at 16 px (the `font-size: initial` Pikchr assumes), and its
//! generic `monospace` becomes the palette's monospace family. Its plain-text errors carry
//! the line number, which is kept.

use super::{Failure, Palette};
use pikchr::{Pikchr, PikchrFlags};

/// Draws `source`.
pub fn draw(source: &str, palette: &Palette) -> Result<String, Failure> {
    if source.contains('\0') {
        return Err(Failure::new("the diagram contains a NUL character"));
    }
    let drawn = Pikchr::render(source, None, PikchrFlags::default()).map_err(|e| failure(&e))?;
    let svg = drawn.rendered();
    let Some(at) = svg.find("<svg") else {
        return Err(Failure::new("the diagram is empty"));
    };
    let root = format!("<svg font-family=\"{}\" font-size=\"16\"", palette.sans);
    let svg = format!("{root}{}", &svg[at + 4..]);
    Ok(ink(&svg)
        .replace(BLACK, palette.text)
        .replace("font-family=\"monospace\"", &format!("font-family=\"{}\"", palette.mono)))
}

/// Pikchr's default colour.
const BLACK: &str = "rgb(0,0,0)";

/// Marks the elements drawn in Pikchr's default colour with the class `dg-ink`.
fn ink(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + 256);
    for (i, piece) in svg.split('<').enumerate() {
        if i > 0 {
            out.push('<');
        }
        let name_len = piece.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(piece.len());
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        if i > 0 && !piece.starts_with("svg") && name_len > 0 && tag.contains(BLACK) {
            out.push_str(&piece[..name_len]);
            out.push_str(" class=\"dg-ink\"");
            out.push_str(&piece[name_len..]);
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// Reads Pikchr's plain-text error: context lines `/*    3 */  text`, a caret line, then
/// `ERROR: message`.
fn failure(text: &str) -> Failure {
    let message = text.lines().find_map(|l| l.strip_prefix("ERROR: ")).unwrap_or(text.trim()).to_string();
    let line = text
        .lines()
        .take_while(|l| !l.starts_with("ERROR: "))
        .filter_map(|l| l.strip_prefix("/*")?.split_once("*/")?.0.trim().parse().ok())
        .last();
    Failure { message, line }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_in_the_palette() {
        let svg = draw("box \"cache\"; arrow; box \"db\"", &Palette::DEFAULT).unwrap();
        assert!(svg.starts_with("<svg font-family=\"Liberation Sans"));
        assert!(svg.contains(">cache</text>"));
        assert!(!svg.contains("rgb(0,0,0)"));
        assert!(svg.contains("<text class=\"dg-ink\""));
        assert!(svg.contains("<path class=\"dg-ink\""));
    }

    #[test]
    fn author_colours_stay() {
        let svg = draw("box \"a\" color red", &Palette::DEFAULT).unwrap();
        assert!(svg.contains("rgb(255,0,0)"));
    }

    #[test]
    fn errors_name_the_line() {
        let error = draw("box \"a\"\narrow\nbox nosuchthing 3\n", &Palette::DEFAULT).unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(!error.message.is_empty());
    }

    #[test]
    fn reads_error_text() {
        let text = "/*    1 */  box\n/*    2 */  bad\n             ^^^\nERROR: syntax error\n";
        let error = failure(text);
        assert_eq!(error.message, "syntax error");
        assert_eq!(error.line, Some(2));
    }
}
