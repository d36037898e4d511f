//! Source files of a book: their text, a line index, and byte spans into them.
//!
//! Owns the mapping from byte offsets to 1-based `line:column` (columns counted in characters).
//! It reads no files: `load` hands it the text.

use std::fmt;

/// Identifies one source file inside a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(u32);

/// A byte range inside one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range belongs to.
    pub source: SourceId,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span covering `range` of `source`.
    pub fn new(source: SourceId, range: std::ops::Range<usize>) -> Self {
        Span { source, start: range.start, end: range.end }
    }

    /// A sub-span, `offset..offset + len` relative to this span's start, clamped to it.
    pub fn slice(self, offset: usize, len: usize) -> Self {
        let start = (self.start + offset).min(self.end);
        Span { source: self.source, start, end: (start + len).min(self.end).max(start) }
    }
}

/// One loaded text file, with its path relative to the book root.
#[derive(Debug)]
pub struct Source {
    path: String,
    text: String,
    line_starts: Vec<usize>,
    origins: Vec<LineOrigin>,
}

/// Where a line of a file with inclusions (`{{#include}}`) was written: the file and its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineOrigin {
    /// Root-relative path of the file the line comes from.
    pub path: String,
    /// Its 1-based line there.
    pub line: usize,
}

/// A 1-based line and column (the column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

impl Source {
    /// Indexes `text`, known to the user as `path` (relative to the book root, `/`-separated).
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Source { path: path.into(), text, line_starts, origins: Vec::new() }
    }

    /// This source, its lines written elsewhere as `origins` tell (one per line of the text).
    pub fn with_origins(mut self, origins: Vec<LineOrigin>) -> Self {
        self.origins = origins;
        self
    }

    /// The file and 1-based line where `line` of this text was written: itself, unless the
    /// line came from an included file.
    pub fn origin(&self, line: usize) -> (&str, usize) {
        match self.origins.get(line.wrapping_sub(1)) {
            Some(origin) => (&origin.path, origin.line),
            None => (&self.path, line),
        }
    }

    /// The path relative to the book root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line and column of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let col = self.text[self.line_starts[line]..offset].chars().count() + 1;
        LineCol { line: line + 1, col }
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every source file of one book, addressed by [`SourceId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    sources: Vec<Source>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, source: Source) -> SourceId {
        self.sources.push(source);
        SourceId(u32::try_from(self.sources.len() - 1).expect("fewer than 2^32 source files"))
    }

    /// The file behind `id`.
    pub fn get(&self, id: SourceId) -> &Source {
        &self.sources[id.0 as usize]
    }

    /// `path:line:col` of the start of `span`.
    pub fn locate(&self, span: Span) -> String {
        let source = self.get(span.source);
        let at = source.line_col(span.start);
        let (path, line) = source.origin(at.line);
        format!("{path}:{line}:{}", at.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let source = Source::new("a.md", "ab\nçé x\n\nlast");
        assert_eq!(source.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(source.line_col(3), LineCol { line: 2, col: 1 });
        // "çé " is 5 bytes and 3 characters: byte 8 is the "x".
        assert_eq!(source.line_col(8), LineCol { line: 2, col: 4 });
        assert_eq!(source.line_col(11), LineCol { line: 4, col: 1 });
        assert_eq!(source.line_col(999), LineCol { line: 4, col: 5 });
    }

    #[test]
    fn offsets_inside_a_character_move_back_to_its_start() {
        let source = Source::new("a.md", "é");
        assert_eq!(source.line_col(1), LineCol { line: 1, col: 1 });
    }

    #[test]
    fn line_text_drops_line_endings() {
        let source = Source::new("a.md", "one\r\ntwo\nthree");
        assert_eq!(source.line_text(1), "one");
        assert_eq!(source.line_text(3), "three");
        assert_eq!(source.line_text(9), "");
        assert_eq!(source.line_text(0), "");
    }

    #[test]
    fn included_lines_locate_where_they_were_written() {
        let origins =
            vec![LineOrigin { path: "ch.md".into(), line: 1 }, LineOrigin { path: "listing.rs".into(), line: 7 }];
        let mut map = SourceMap::default();
        let id = map.add(Source::new("ch.md", "# T\nfn main() {}\nafter").with_origins(origins));
        assert_eq!(map.locate(Span::new(id, 4..6)), "listing.rs:7:1");
        assert_eq!(map.locate(Span::new(id, 0..1)), "ch.md:1:1");
        assert_eq!(map.locate(Span::new(id, 17..18)), "ch.md:3:1");
    }

    #[test]
    fn spans_locate_as_path_line_col() {
        let mut map = SourceMap::default();
        let id = map.add(Source::new("book.toml", "[book]\ntitel = 1\n"));
        assert_eq!(map.locate(Span::new(id, 7..12)), "book.toml:2:1");
    }
}
