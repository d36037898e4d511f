//! The images a book shows (figures, inline images, the cover), checked once by `resolve`
//! before any edition reads them.
//!
//! An image must be a PNG, JPEG, GIF, WebP or SVG file whose contents match its name, that
//! decodes, and whose decoded size stays within [`MAX_SIDE`] and [`MAX_DECODED`], so that a
//! corrupt file, a text file named `.png` or a decompression bomb is an error at the line that
//! names it, never a crash, an exhausted memory or a broken edition. Reads the file; owns no
//! other part of the book.

use crate::root::BookRoot;
use image::{ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The widest and tallest image accepted, in pixels.
pub const MAX_SIDE: u32 = 20_000;

/// The most memory one decoded image may take: what Typst allows its decoder.
pub const MAX_DECODED: u64 = 512 * 1024 * 1024;

/// The largest image file accepted.
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// What an image's name says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Raster(ImageFormat),
    Svg,
}

impl Kind {
    fn of(path: &str) -> Option<Self> {
        let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase())?;
        Some(match extension.as_str() {
            "png" => Kind::Raster(ImageFormat::Png),
            "jpg" | "jpeg" => Kind::Raster(ImageFormat::Jpeg),
            "gif" => Kind::Raster(ImageFormat::Gif),
            "webp" => Kind::Raster(ImageFormat::WebP),
            "svg" => Kind::Svg,
            _ => return None,
        })
    }
}

/// Checks the image at root-relative `path`; the problem, in words, if it cannot be shown.
pub fn check(root: &BookRoot, path: &str) -> Result<(), String> {
    let Some(kind) = Kind::of(path) else {
        return Err(format!("{path} is not an image folio can show: use PNG, JPEG, GIF, WebP or SVG"));
    };
    let full = root.join(path);
    let size = std::fs::metadata(&full).map_err(|e| format!("cannot read {path}: {e}"))?.len();
    if size > MAX_FILE {
        return Err(format!("{path} is {} MB; images may take up to {} MB", size >> 20, MAX_FILE >> 20));
    }
    let bytes = std::fs::read(&full).map_err(|e| format!("cannot read {path}: {e}"))?;
    if bytes.is_empty() {
        return Err(format!("{path} is empty"));
    }
    match kind {
        Kind::Raster(format) => check_raster(path, &bytes, format),
        Kind::Svg => check_svg(path, &bytes),
    }
}

fn check_raster(path: &str, bytes: &[u8], expected: ImageFormat) -> Result<(), String> {
    let name = format_name(expected);
    match image::guess_format(bytes) {
        Ok(found) if found == expected => {}
        Ok(found) => return Err(format!("{path} is named as a {name} image but holds a {}", format_name(found))),
        Err(_) => return Err(format!("{path} is not a {name} image")),
    }
    let reader = ImageReader::with_format(Cursor::new(bytes), expected);
    let (width, height) = reader.into_dimensions().map_err(|e| decode_problem(path, name, &e))?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(format!("{path} is {width}×{height} pixels; images may be up to {MAX_SIDE} pixels a side"));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), expected);
    reader.limits(limits());
    reader.decode().map(drop).map_err(|e| decode_problem(path, name, &e))
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED);
    limits
}

fn decode_problem(path: &str, name: &str, error: &ImageError) -> String {
    match error {
        ImageError::Limits(_) => {
            format!("{path} is too large to decode (more than {} MB of pixels)", MAX_DECODED >> 20)
        }
        other => format!("{path} is a broken {name} image: {other}"),
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Gif => "GIF",
        ImageFormat::WebP => "WebP",
        _ => "other kind of image",
    }
}

fn check_svg(path: &str, bytes: &[u8]) -> Result<(), String> {
    resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default())
        .map(drop)
        .map_err(|e| format!("{path} is not a valid SVG image: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `width`×`height` grey pixels whose data is a single empty deflate block: a few
    /// dozen bytes that would decode to `width`×`height` bytes.
    fn png(width: u32, height: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
            let start = out.len();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let crc = crc32(&out[start..]);
            out.extend_from_slice(&crc.to_be_bytes());
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut header = Vec::new();
        header.extend_from_slice(&width.to_be_bytes());
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[8, 0, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &header);
        chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    fn checked(name: &str, bytes: &[u8]) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), bytes).unwrap();
        check(&BookRoot::new(dir.path()).unwrap(), name)
    }

    fn solid_png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::GrayImage::new(width, height).write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn accepts_images_that_decode() {
        assert_eq!(checked("a.png", &solid_png(3, 2)), Ok(()));
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>"#;
        assert_eq!(checked("a.svg", svg), Ok(()));
    }

    #[test]
    fn refuses_decompression_bombs_before_decoding() {
        let bomb = png(100_000, 100_000);
        assert!(bomb.len() < 100);
        let problem = checked("bomb.png", &bomb).unwrap_err();
        assert!(problem.contains("100000×100000 pixels"), "{problem}");
        let problem = checked("wide.png", &png(MAX_SIDE, MAX_SIDE)).unwrap_err();
        assert!(problem.contains("too large") || problem.contains("broken"), "{problem}");
    }

    #[test]
    fn refuses_wrong_types_corrupt_and_empty_files() {
        assert_eq!(checked("a.png", b"hello"), Err("a.png is not a PNG image".into()));
        let jpeg_named_png = {
            let mut bytes = Vec::new();
            image::GrayImage::new(2, 2).write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg).unwrap();
            bytes
        };
        assert_eq!(checked("a.png", &jpeg_named_png), Err("a.png is named as a PNG image but holds a JPEG".into()));
        let mut truncated = solid_png(64, 64);
        truncated.truncate(truncated.len() - 20);
        assert!(checked("a.png", &truncated).unwrap_err().contains("broken PNG"));
        assert_eq!(checked("a.png", b""), Err("a.png is empty".into()));
        assert!(checked("a.svg", b"<svg").unwrap_err().contains("not a valid SVG"));
        assert!(checked("a.bmp", b"BM").unwrap_err().contains("not an image folio can show"));
    }
}
