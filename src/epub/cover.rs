//! The EPUB cover: the manifest's cover image, with an SVG cover rasterised (resvg) to a
//! 1600×2560 JPEG (encoded with `image`), the raster cover that stores ask for.

use super::{document, media_type};
use crate::doc::Book;
use crate::load::read_asset;
use crate::root::BookRoot;
use crate::theme::FONTS;
use crate::xhtml::{escape, escape_attr};
use anyhow::{Context, Result, anyhow};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

const WIDTH: u32 = 1600;
const HEIGHT: u32 = 2560;

/// The cover image to package.
pub(super) struct Cover {
    /// Path inside `OEBPS/`.
    pub href: String,
    /// Its media type.
    pub media_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The book's cover, rasterised when it is an SVG (or taken from `cache`, where an earlier
/// build left the same drawing); `None` when the book has none.
pub(super) fn render(book: &Book, root: &BookRoot, cache: Option<&Path>) -> Result<Option<Cover>> {
    let Some(entry) = &book.meta.cover else {
        return Ok(None);
    };
    let bytes = read_asset(root, &entry.path)?;
    if media_type(&entry.path) != "image/svg+xml" {
        return Ok(Some(Cover { href: entry.path.clone(), media_type: media_type(&entry.path), bytes }));
    }
    let jpeg = match cache {
        Some(dir) => rasterise_cached(&bytes, dir),
        None => rasterise(&bytes),
    }
    .with_context(|| format!("cannot draw the cover {}", entry.path))?;
    let taken = book.assets.iter().any(|asset| asset == "images/cover.jpg");
    let href = if taken { "images/cover-drawn.jpg" } else { "images/cover.jpg" };
    Ok(Some(Cover { href: href.into(), media_type: "image/jpeg", bytes: jpeg }))
}

/// The cover page.
pub(super) fn page(book: &Book, image: &str) -> String {
    let alt = format!("Cover of {}", book.meta.title);
    let body = format!(
        "<section class=\"cover\" aria-label=\"Cover\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</section>\n",
        escape_attr(image),
        escape_attr(&alt)
    );
    document(book, &escape(&book.meta.title), "cover", &body)
}

/// The JPEG of `svg` from the cache folder `dir`, drawn and stored there when missing. The key
/// covers the SVG and this file's code; other covers in `dir` are removed.
fn rasterise_cached(svg: &[u8], dir: &Path) -> Result<Vec<u8>> {
    let mut hasher = Sha256::new();
    hasher.update(include_str!("cover.rs"));
    hasher.update(svg);
    let key: String = hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    let file = dir.join(format!("cover-{key}.jpg"));
    if let Ok(jpeg) = std::fs::read(&file)
        && jpeg.starts_with(&[0xFF, 0xD8])
    {
        return Ok(jpeg);
    }
    let jpeg = rasterise(svg)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for old in std::fs::read_dir(dir)?.flatten().filter(|e| e.file_name().to_string_lossy().starts_with("cover-")) {
        std::fs::remove_file(old.path())?;
    }
    crate::output::write_file_atomic(&file, &jpeg)?;
    Ok(jpeg)
}

/// Draws an SVG at 1600×2560 (scaled to fit, centred on white) and encodes it as JPEG.
fn rasterise(svg: &[u8]) -> Result<Vec<u8>> {
    let mut fonts = resvg::usvg::fontdb::Database::new();
    for (name, bytes) in FONTS.iter().filter(|(name, _)| !name.ends_with(".txt")) {
        let _ = name;
        fonts.load_font_data(bytes.to_vec());
    }
    fonts.set_serif_family("Libertinus Serif");
    fonts.set_monospace_family("DejaVu Sans Mono");
    let options = resvg::usvg::Options { fontdb: Arc::new(fonts), ..Default::default() };
    let tree = resvg::usvg::Tree::from_data(svg, &options)?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or_else(|| anyhow!("cannot allocate the cover"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let size = tree.size();
    let scale = (WIDTH as f32 / size.width()).min(HEIGHT as f32 / size.height());
    let dx = (WIDTH as f32 - size.width() * scale) / 2.0;
    let dy = (HEIGHT as f32 - size.height() * scale) / 2.0;
    let transform = resvg::tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, dx, dy);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    let image = image::RgbImage::from_raw(WIDTH, HEIGHT, rgb).ok_or_else(|| anyhow!("cannot build the cover image"))?;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&image)?;
    Ok(jpeg)
}
