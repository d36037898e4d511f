//! ASCII-art diagrams through `svgbob`.
//!
//! svgbob draws anything and never fails, so folio decides what a broken drawing is: an empty
//! one, and one with a tab character (tabs have no width on a character grid, so the art
//! would come out misaligned). Text is set in the palette's monospace family at a size whose
//! advance fits svgbob's 8-pixel cells; the backdrop is left out so the page shows through.

use super::{Failure, Palette};
use svgbob::Settings;

/// svgbob's cell is 8 px wide; DejaVu Sans Mono advances 0.602 em, so 13 px fits in it.
const FONT_SIZE: usize = 13;

/// Draws `source`.
pub fn draw(source: &str, palette: &Palette) -> Result<String, Failure> {
    if source.trim().is_empty() {
        return Err(Failure::new("the diagram is empty"));
    }
    if let Some(index) = source.lines().position(|line| line.contains('\t')) {
        return Err(Failure {
            message: "a tab character; ASCII diagrams must be drawn with spaces".into(),
            line: Some(index + 1),
        });
    }
    let settings = Settings {
        font_size: FONT_SIZE,
        font_family: palette.mono.into(),
        fill_color: palette.text.into(),
        background: palette.background.into(),
        stroke_color: palette.text.into(),
        stroke_width: 2.0,
        include_backdrop: false,
        ..Settings::default()
    };
    Ok(svgbob::to_svg_with_settings(source, &settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_lines_and_text_in_a_real_monospace_family() {
        let svg = draw("+-----+\n| web |--> db\n+-----+\n", &Palette::DEFAULT).unwrap();
        assert!(svg.contains("DejaVu Sans Mono"));
        assert!(svg.contains(">web</text>"));
        assert!(!svg.contains("backdrop\""));
    }

    #[test]
    fn empty_and_tabbed_drawings_are_errors() {
        assert!(draw("  \n\n", &Palette::DEFAULT).is_err());
        let error = draw("+--+\n|\tx|\n", &Palette::DEFAULT).unwrap_err();
        assert_eq!(error.line, Some(2));
    }
}
