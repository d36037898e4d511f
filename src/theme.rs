//! Themes: the default theme and the book's fonts are embedded in the binary; a book may
//! override any theme file with its own `themes/NAME/FILE`.

use crate::root::BookRoot;
use anyhow::{Result, bail};
use std::borrow::Cow;

/// The files of the default theme, by name.
const DEFAULT_FILES: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../themes/default/style.css")),
    ("epub.css", include_bytes!("../themes/default/epub.css")),
    ("book.js", include_bytes!("../themes/default/book.js")),
    ("book.typ", include_bytes!("../themes/default/book.typ")),
];

/// The book's fonts, by file name (open licences; the licence files travel with them).
pub const FONTS: &[(&str, &[u8])] = &[
    ("LibertinusSerif-Regular.otf", include_bytes!("../fonts/LibertinusSerif-Regular.otf")),
    ("LibertinusSerif-Italic.otf", include_bytes!("../fonts/LibertinusSerif-Italic.otf")),
    ("LibertinusSerif-Bold.otf", include_bytes!("../fonts/LibertinusSerif-Bold.otf")),
    ("LibertinusSerif-BoldItalic.otf", include_bytes!("../fonts/LibertinusSerif-BoldItalic.otf")),
    ("DejaVuSansMono.ttf", include_bytes!("../fonts/DejaVuSansMono.ttf")),
    ("DejaVuSansMono-Bold.ttf", include_bytes!("../fonts/DejaVuSansMono-Bold.ttf")),
    ("LiberationSans-Regular.ttf", include_bytes!("../fonts/LiberationSans-Regular.ttf")),
    ("LiberationSans-Bold.ttf", include_bytes!("../fonts/LiberationSans-Bold.ttf")),
    ("LibertinusSerif-OFL.txt", include_bytes!("../fonts/LibertinusSerif-OFL.txt")),
    ("DejaVuSansMono-LICENSE.txt", include_bytes!("../fonts/DejaVuSansMono-LICENSE.txt")),
    ("LiberationSans-OFL.txt", include_bytes!("../fonts/LiberationSans-OFL.txt")),
];

/// A theme: the default files, with the book's overrides on top.
#[derive(Debug)]
pub struct Theme {
    overrides: Option<std::path::PathBuf>,
    root: std::path::PathBuf,
}

impl Theme {
    /// The theme `name` of the book at `root`.
    pub fn load(root: &BookRoot, name: &str) -> Result<Self> {
        let folder = root.join(&format!("themes/{name}"));
        if folder.is_dir() {
            return Ok(Theme { overrides: Some(folder), root: root.path().to_path_buf() });
        }
        if name != "default" {
            bail!("theme `{name}` not found: expected a folder themes/{name} in the book");
        }
        Ok(Theme { overrides: None, root: root.path().to_path_buf() })
    }

    /// Whether the book brings its own theme file `name`.
    pub fn overrides(&self, name: &str) -> bool {
        self.overrides.as_ref().is_some_and(|folder| folder.join(name).is_file())
    }

    /// The contents of theme file `name`.
    pub fn file(&self, name: &str) -> Result<Cow<'static, [u8]>> {
        if let Some(folder) = &self.overrides {
            let path = folder.join(name);
            if path.is_file() {
                let inside = path.canonicalize().is_ok_and(|canonical| canonical.starts_with(&self.root));
                if !inside {
                    bail!("the theme file {} is outside the book's folder", path.display());
                }
                return Ok(Cow::Owned(std::fs::read(&path)?));
            }
        }
        match DEFAULT_FILES.iter().find(|(file, _)| *file == name) {
            Some((_, bytes)) => Ok(Cow::Borrowed(bytes)),
            None => bail!("the theme has no file {name}"),
        }
    }
}
