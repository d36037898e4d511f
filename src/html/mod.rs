//! The HTML edition: one page per manifest file, `index.html`, `print.html` (the whole book on
//! one page), `404.html`, the lists of figures and tables, a search index, the theme's
//! stylesheet and script, the fonts, the book's images, and the other editions for download.

mod search;

use crate::doc::{Block, Book, ChapterKind, Inline, plain_text};
use crate::highlight;
use crate::load::read_asset;
use crate::manifest::ListKind;
use crate::output::StagedDir;
use crate::root::BookRoot;
use crate::theme::{FONTS, Theme};
use crate::xhtml::{self, Flavor, escape, escape_attr};
use anyhow::Result;
use rayon::prelude::*;
use std::fmt::Write;
use std::path::Path;

/// Books with more files than this load the sidebar's table of contents once per site, from
/// `toc.js`, instead of carrying it in every page, where it would make the site grow with the
/// square of the number of files. The index page always carries it.
const INLINE_TOC_LIMIT: usize = 200;

/// Where `toc.js` puts the table of contents; without scripts, a link to the index page.
const SHARED_TOC: &str = "<div id=\"shared-toc\"></div>\n<script src=\"toc.js\"></script>\n\
                          <noscript><p><a href=\"index.html\">Contents</a></p></noscript>\n";

/// Where the author's stylesheet number `index` goes in the site.
fn author_stylesheet(index: usize) -> String {
    format!("theme/author-{}.css", index + 1)
}

fn shares_toc(book: &Book) -> bool {
    book.chapters.len() > INLINE_TOC_LIMIT
}

/// The script that writes the table of contents into a page and marks the page's own entry.
fn toc_script(book: &Book) -> String {
    let html = serde_json::to_string(&toc(book, Current::Other)).unwrap_or_default();
    format!(
        "(function () {{\n  var slot = document.getElementById(\"shared-toc\");\n  if (!slot) return;\n  \
         slot.outerHTML = {html};\n  var page = location.pathname.split(\"/\").pop() || \"index.html\";\n  \
         document.querySelectorAll(\".sidebar .toc a\").forEach(function (a) {{\n    \
         if (a.getAttribute(\"href\") === page) a.setAttribute(\"aria-current\", \"page\");\n  }});\n}})();\n"
    )
}

/// Another edition offered for download from the index page.
#[derive(Debug)]
pub struct Download {
    /// "EPUB" or "PDF".
    pub label: &'static str,
    /// The file, written to `downloads/NAME`.
    pub path: std::path::PathBuf,
}

/// The HTML edition, written but for its index page and downloads, which wait for the other
/// editions.
pub struct Pending {
    staged: StagedDir,
}

impl Pending {
    /// Adds the downloads and the index page that offers them, and puts the edition in place.
    pub fn finish(self, book: &Book, downloads: &[Download]) -> Result<()> {
        let offered = copy_downloads(&self.staged, downloads)?;
        self.staged.write("index.html", index_page(book, &offered))?;
        self.staged.commit()
    }
}

/// A file of the site made from the whole book; the pages are rendered in parallel.
enum Generated {
    Chapter(usize),
    List(ListKind),
    Print,
    NotFound,
    SearchIndex,
    Toc,
}

impl Generated {
    /// The file's name in the site and its text.
    fn render(&self, book: &Book) -> (String, String) {
        match self {
            Generated::Chapter(index) => (format!("{}.html", book.chapters[*index].stem), chapter_page(book, *index)),
            Generated::List(kind) => (format!("{}.html", kind.stem()), list_page(book, *kind)),
            Generated::Print => ("print.html".into(), print_page(book)),
            Generated::NotFound => ("404.html".into(), not_found_page(book)),
            Generated::SearchIndex => ("search-index.js".into(), search::index_script(book)),
            Generated::Toc => ("toc.js".into(), toc_script(book)),
        }
    }
}

/// Writes the HTML edition of `book` beside `target`, all but what [`Pending::finish`] adds.
pub fn render_pages(book: &Book, root: &BookRoot, theme: &Theme, target: &Path) -> Result<Pending> {
    let staged = StagedDir::new(target)?;
    let mut pages: Vec<Generated> = (0..book.chapters.len()).map(Generated::Chapter).collect();
    pages.extend(book.lists.iter().map(|kind| Generated::List(*kind)));
    pages.extend([Generated::Print, Generated::NotFound, Generated::SearchIndex]);
    if shares_toc(book) {
        pages.push(Generated::Toc);
    }
    pages.par_iter().try_for_each(|page| {
        let (name, text) = page.render(book);
        staged.write(&name, text)
    })?;
    staged.write("theme/style.css", theme.file("style.css")?)?;
    staged.write("theme/book.js", theme.file("book.js")?)?;
    staged.write("theme/highlight.css", highlight::stylesheet(":root[data-theme=\"dark\"]"))?;
    for (name, bytes) in FONTS {
        staged.write(&format!("fonts/{name}"), bytes)?;
    }
    for asset in book.assets.iter().chain(&book.linked_files) {
        staged.write(asset, read_asset(root, asset)?)?;
    }
    for (index, stylesheet) in book.stylesheets.iter().enumerate() {
        staged.write(&author_stylesheet(index), read_asset(root, stylesheet)?)?;
    }
    Ok(Pending { staged })
}

/// Copies the downloads; returns (label, file name, size in bytes) for each.
fn copy_downloads(staged: &StagedDir, downloads: &[Download]) -> Result<Vec<(&'static str, String, u64)>> {
    let mut offered = Vec::new();
    for download in downloads {
        let bytes = std::fs::read(&download.path)?;
        let name = download.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        staged.write(&format!("downloads/{name}"), &bytes)?;
        offered.push((download.label, name, bytes.len() as u64));
    }
    Ok(offered)
}

fn index_page(book: &Book, downloads: &[(&'static str, String, u64)]) -> String {
    let meta = &book.meta;
    let mut main = String::from("<header class=\"title-page\">\n");
    if let Some(cover) = &meta.cover {
        let _ = writeln!(main, "<img class=\"cover\" src=\"{}\" alt=\"\" width=\"240\"/>", escape_attr(&cover.path));
    }
    let _ = writeln!(main, "<h1 class=\"book-title\">{}</h1>", escape(&meta.title));
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(main, "<p class=\"book-subtitle\">{}</p>", escape(subtitle));
    }
    if !meta.authors.is_empty() {
        let _ = writeln!(main, "<p class=\"book-authors\">{}</p>", escape(&meta.authors.join(", ")));
    }
    if let Some(description) = &meta.description {
        let _ = writeln!(main, "<p class=\"book-description\">{}</p>", escape(description));
    }
    if !downloads.is_empty() {
        main.push_str("<ul class=\"downloads\" aria-label=\"Downloads\">\n");
        for (label, name, size) in downloads {
            let _ = writeln!(
                main,
                "<li><a href=\"downloads/{}\" download=\"\">Download the {label}</a> <span class=\"size\">({})</span></li>",
                escape_attr(name),
                human_size(*size)
            );
        }
        main.push_str("</ul>\n");
    }
    main.push_str("</header>\n<section class=\"contents\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">Contents</h2>\n");
    main.push_str(&toc(book, Current::Index));
    main.push_str("</section>\n");
    let next = (!book.chapters.is_empty()).then_some(0);
    page(book, &meta.title, Current::Index, &main, Pager { previous: None, next })
}

/// "1.2 MB" (SI prefixes).
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.0} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn chapter_page(book: &Book, index: usize) -> String {
    let title = plain_text(&book.chapters[index].title.content);
    let main = format!("<article>\n{}</article>\n", xhtml::chapter_body(book, index, Flavor::Html));
    let previous = index.checked_sub(1);
    let next = (index + 1 < book.chapters.len()).then_some(index + 1);
    let title = book.chapters[index].page_title.clone().unwrap_or_else(|| format!("{title} · {}", book.meta.title));
    page(book, &title, Current::Chapter(index), &main, Pager { previous, next })
}

fn list_page(book: &Book, kind: ListKind) -> String {
    let mut main = format!("<article>\n<h1 class=\"chapter-title\">{}</h1>\n<ol class=\"item-list\">\n", kind.title());
    for entry in book.list_entries(kind) {
        let url = xhtml::href(book, Flavor::Html, None, entry.chapter, Some(&entry.anchor));
        let number =
            entry.number.map(|n| format!("<span class=\"caption-number\">{}</span> ", escape(&n))).unwrap_or_default();
        let caption = xhtml::inlines(book, entry.chapter, Flavor::Html, &strip_links(&entry.caption));
        let _ = writeln!(main, "<li><a href=\"{}\">{number}{caption}</a></li>", escape_attr(&url));
    }
    main.push_str("</ol>\n</article>\n");
    page(book, &format!("{} · {}", kind.title(), book.meta.title), Current::Other, &main, Pager::default())
}

/// The whole book on one page, for printing and reading offline.
fn print_page(book: &Book) -> String {
    let meta = &book.meta;
    let mut main = format!("<header class=\"title-page\">\n<h1 class=\"book-title\">{}</h1>\n", escape(&meta.title));
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(main, "<p class=\"book-subtitle\">{}</p>", escape(subtitle));
    }
    if !meta.authors.is_empty() {
        let _ = writeln!(main, "<p class=\"book-authors\">{}</p>", escape(&meta.authors.join(", ")));
    }
    main.push_str("</header>\n");
    for index in 0..book.chapters.len() {
        let _ = write!(
            main,
            "<article class=\"print-chapter\">\n{}</article>\n",
            xhtml::chapter_body(book, index, Flavor::Print)
        );
    }
    page(book, &format!("{} (one page)", meta.title), Current::Other, &main, Pager::default())
}

fn not_found_page(book: &Book) -> String {
    let main = "<article>\n<h1 class=\"chapter-title\">Page not found</h1>\n<p>This page is not part of the book. \
                Start from the <a href=\"index.html\">contents</a> or search for what you were looking for.</p>\n</article>\n";
    page(book, &format!("Page not found · {}", book.meta.title), Current::Other, main, Pager::default())
}

/// Which page is being written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Current {
    Index,
    Chapter(usize),
    Other,
}

#[derive(Default)]
struct Pager {
    previous: Option<usize>,
    next: Option<usize>,
}

/// The page around `main`: head, skip link, top bar, sidebar, pager and footer.
fn page(book: &Book, title: &str, current: Current, main: &str, pager: Pager) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"theme/style.css\"/>\n\
         <link rel=\"stylesheet\" href=\"theme/highlight.css\"/>\n{author_css}\
         <script>try{{var t=localStorage.getItem(\"folio-theme\");if(t)document.documentElement.setAttribute(\"data-theme\",t)}}catch(e){{}}</script>\n\
         <script src=\"theme/book.js\" defer></script>\n</head>\n<body>\n\
         <a class=\"skip-link\" href=\"#content\">Skip to the content</a>\n\
         <header class=\"topbar\">\n<button id=\"menu-toggle\" class=\"menu-toggle\" type=\"button\" aria-controls=\"sidebar\" aria-expanded=\"false\">Contents</button>\n\
         <a class=\"topbar-title\" href=\"index.html\">{book_title}</a>\n\
         <a class=\"topbar-link\" href=\"print.html\">One page</a>\n\
         <button id=\"theme-toggle\" class=\"theme-toggle\" type=\"button\" aria-pressed=\"false\">Dark theme</button>\n</header>\n\
         <div class=\"layout\">\n<nav id=\"sidebar\" class=\"sidebar\" aria-label=\"Table of contents\">\n\
         <div class=\"search\" role=\"search\">\n<label class=\"visually-hidden\" for=\"search-input\">Search the book</label>\n\
         <input id=\"search-input\" type=\"search\" placeholder=\"Search (press /)\" autocomplete=\"off\"/>\n\
         <ol id=\"search-results\" class=\"search-results\" aria-live=\"polite\" hidden=\"hidden\"></ol>\n</div>\n",
        lang = escape_attr(&book.meta.language),
        title = escape(title),
        book_title = escape(&book.meta.title),
        author_css = (0..book.stylesheets.len())
            .map(|i| format!("<link rel=\"stylesheet\" href=\"{}\"/>\n", author_stylesheet(i)))
            .collect::<String>(),
    );
    if shares_toc(book) && current != Current::Index {
        out.push_str(SHARED_TOC);
    } else {
        out.push_str(&toc(book, current));
    }
    out.push_str("</nav>\n<main id=\"content\">\n");
    out.push_str(main);
    out.push_str(&pager_nav(book, &pager, current));
    out.push_str("</main>\n</div>\n<footer class=\"site-footer\">\n");
    if let Some(rights) = &book.meta.rights {
        let _ = writeln!(out, "<p>{}</p>", escape(rights));
    }
    if let Some(version) = &book.meta.version {
        let _ = writeln!(out, "<p class=\"version\">Version {}</p>", escape(version));
    }
    out.push_str("</footer>\n</body>\n</html>\n");
    out
}

/// The table of contents: front matter, parts (collapsible) with their chapters, back matter,
/// lists. The index page shows every chapter's sections; a chapter page shows its own.
fn toc(book: &Book, current: Current) -> String {
    let mut out = String::from("<ol class=\"toc\">\n");
    let entry = |out: &mut String, index: usize| toc_entry(out, book, index, current);
    for index in (0..book.chapters.len()).filter(|&i| book.chapters[i].kind == ChapterKind::Front) {
        entry(&mut out, index);
    }
    for part in &book.parts {
        if part.title.is_empty() {
            part.chapters.clone().for_each(|index| entry(&mut out, index));
            continue;
        }
        let _ = writeln!(
            out,
            "<li class=\"toc-part\"><details open=\"open\"><summary>{}</summary>\n<ol>",
            escape(&part.title)
        );
        for index in part.chapters.clone() {
            entry(&mut out, index);
        }
        out.push_str("</ol>\n</details></li>\n");
    }
    for index in (0..book.chapters.len()).filter(|&i| book.chapters[i].kind == ChapterKind::Back) {
        entry(&mut out, index);
    }
    for kind in &book.lists {
        let _ = writeln!(out, "<li><a href=\"{}.html\">{}</a></li>", kind.stem(), kind.title());
    }
    out.push_str("</ol>\n");
    out
}

fn toc_entry(out: &mut String, book: &Book, index: usize, current: Current) {
    let chapter = &book.chapters[index];
    let is_current = current == Current::Chapter(index);
    let aria = if is_current { " aria-current=\"page\"" } else { "" };
    let number = match chapter.number {
        Some(n) if chapter.kind == ChapterKind::CaseStudy => format!("<span class=\"toc-number\">C{n}</span> "),
        Some(n) => format!("<span class=\"toc-number\">{n}</span> "),
        None => String::new(),
    };
    let title = xhtml::inlines(book, index, Flavor::Html, &strip_links(&chapter.title.content));
    let _ = write!(out, "<li><a href=\"{}.html\"{aria}>{number}{title}</a>", chapter.stem);
    if is_current || current == Current::Index {
        let sections: Vec<String> = chapter
            .blocks
            .iter()
            .filter_map(|block| match block {
                Block::Heading(h) if h.level == 2 => {
                    let number = h
                        .number
                        .as_ref()
                        .map(|n| format!("<span class=\"toc-number\">{}</span> ", escape(n)))
                        .unwrap_or_default();
                    let text = xhtml::inlines(book, index, Flavor::Html, &strip_links(&h.content));
                    Some(format!(
                        "<li><a href=\"{}.html#{}\">{number}{text}</a></li>",
                        chapter.stem,
                        escape_attr(&h.anchor)
                    ))
                }
                _ => None,
            })
            .collect();
        if !sections.is_empty() {
            let _ = write!(out, "\n<ol class=\"toc-sections\">\n{}\n</ol>\n", sections.join("\n"));
        }
    }
    out.push_str("</li>\n");
}

/// Inlines with links, references and notes replaced by their text (links cannot nest).
fn strip_links(content: &[Inline]) -> Vec<Inline> {
    content
        .iter()
        .filter_map(|inline| match inline {
            Inline::Link(link) => Some(Inline::Text(plain_text(&link.content))),
            Inline::Ref(_) => Some(Inline::Text(plain_text(std::slice::from_ref(inline)))),
            Inline::FootnoteRef { .. } | Inline::Html(..) => None,
            Inline::Emph(c) => Some(Inline::Emph(strip_links(c))),
            Inline::Strong(c) => Some(Inline::Strong(strip_links(c))),
            Inline::Strike(c) => Some(Inline::Strike(strip_links(c))),
            other => Some(other.clone()),
        })
        .collect()
}

fn pager_nav(book: &Book, pager: &Pager, current: Current) -> String {
    if current == Current::Other {
        return String::new();
    }
    let mut out = String::from("<nav class=\"pager\" aria-label=\"Previous and next\">\n");
    let title = |index: usize| escape(&plain_text(&book.chapters[index].title.content));
    match pager.previous {
        Some(index) => {
            let _ = writeln!(
                out,
                "<a class=\"pager-prev\" rel=\"prev\" href=\"{}.html\">← {}</a>",
                book.chapters[index].stem,
                title(index)
            );
        }
        None if current != Current::Index => {
            out.push_str("<a class=\"pager-prev\" rel=\"prev\" href=\"index.html\">← Contents</a>\n")
        }
        None => {}
    }
    if let Some(index) = pager.next {
        let _ = writeln!(
            out,
            "<a class=\"pager-next\" rel=\"next\" href=\"{}.html\">{} →</a>",
            book.chapters[index].stem,
            title(index)
        );
    }
    out.push_str("</nav>\n");
    out
}
