//! The Typst world of one book: in-memory files only, folio's fonts, no packages, a fixed date.
//!
//! The world is the sandbox. It serves the files of the [`Project`] and nothing else: no file
//! system, no system fonts, no package downloads. Whatever the template or the data asks for,
//! a path outside the project does not exist.

use super::Project;
use anyhow::{Context, Result};
use std::collections::HashMap;
use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The path of the entry source.
pub const MAIN: &str = "main.typ";

/// A world over a [`Project`].
pub struct BookWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl BookWorld {
    /// A world serving `project`, whose `today` is `today`.
    pub fn new(project: &Project, today: Datetime) -> Result<Self> {
        let fonts = fonts();
        let mut world = BookWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main: file_id(MAIN)?,
            sources: HashMap::new(),
            files: HashMap::new(),
            today,
        };
        for (path, bytes) in &project.files {
            world.insert(path, bytes.clone())?;
        }
        Ok(world)
    }

    /// Adds or replaces the file at `path` (relative to the project root).
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) -> Result<()> {
        let id = file_id(path)?;
        if path.ends_with(".typ") {
            let text = String::from_utf8(bytes).with_context(|| format!("{path} is not UTF-8 text"))?;
            self.sources.insert(id, Source::new(id, text));
        } else {
            self.files.insert(id, Bytes::new(bytes));
        }
        Ok(())
    }

    /// The project path of a file (without the leading `/`).
    pub fn path(id: FileId) -> String {
        id.vpath().get_without_slash().to_string()
    }
}

/// The id of a project file.
fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(format!("/{path}"))
        .map_err(|e| anyhow::anyhow!("{path} is no path inside the Typst project: {e}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// folio's fonts first, then Typst's own as a fallback.
fn fonts() -> Vec<Font> {
    let ours = crate::theme::FONTS
        .iter()
        .filter(|(name, _)| name.ends_with(".otf") || name.ends_with(".ttf"))
        .map(|(_, data)| *data);
    ours.chain(typst_assets::fonts()).flat_map(|data| Font::iter(Bytes::new(data))).collect()
}

impl World for BookWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if self.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(missing(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.clone())),
            None => Err(missing(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// The error for a file the project does not have.
fn missing(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(spec) => FileError::Package(PackageError::NotFound(spec.clone())),
        VirtualRoot::Project => FileError::NotFound(id.vpath().get_with_slash().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use typst::diag::Warned;
    use typst_layout::PagedDocument;

    fn world(main: &str) -> BookWorld {
        let mut files = BTreeMap::new();
        files.insert(MAIN.to_string(), main.as_bytes().to_vec());
        files.insert("data.json".to_string(), b"{\"a\": 1}".to_vec());
        let today = Datetime::from_ymd(2026, 1, 2).unwrap();
        BookWorld::new(&Project { files }, today).unwrap()
    }

    fn errors(main: &str) -> Vec<String> {
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world(main));
        match output {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(|e| e.message.to_string()).collect(),
        }
    }

    #[test]
    fn serves_project_files_and_nothing_else() {
        assert!(errors("#json(\"/data.json\").a").is_empty());
        let outside = errors("#read(\"/etc/passwd\")");
        assert!(outside[0].contains("not found"), "{outside:?}");
        let package = errors("#import \"@preview/cetz:0.3.0\"");
        assert!(package[0].contains("package not found"), "{package:?}");
        let escape = errors("#read(\"../../../etc/passwd\")");
        assert_eq!(escape.len(), 1, "{escape:?}");
    }

    #[test]
    fn today_is_fixed() {
        assert!(errors("#assert.eq(datetime.today().display(), \"2026-01-02\")").is_empty());
    }

    #[test]
    fn fonts_include_folio_and_typst_faces() {
        let world = world("");
        for family in ["libertinus serif", "dejavu sans mono", "new computer modern"] {
            assert!(world.book.contains_family(family), "{family}");
        }
    }
}
