//! The HTML edition: one page per manifest file plus `index.html`, a sidebar with the parts and
//! chapters, previous/next links, the theme's stylesheet, the fonts and the book's images.

use crate::doc::{Book, ChapterKind};
use crate::highlight;
use crate::load::read_asset;
use crate::manifest::ListKind;
use crate::output::StagedDir;
use crate::root::BookRoot;
use crate::theme::{FONTS, Theme};
use crate::xhtml::{self, Flavor, escape, escape_attr};
use anyhow::Result;
use std::fmt::Write;
use std::path::Path;

/// Writes the HTML edition of `book` into `target` (replacing it only when complete).
pub fn render(book: &Book, root: &BookRoot, theme: &Theme, target: &Path) -> Result<()> {
    let staged = StagedDir::new(target)?;
    staged.write("index.html", index_page(book))?;
    for index in 0..book.chapters.len() {
        staged.write(&format!("{}.html", book.chapters[index].stem), chapter_page(book, index))?;
    }
    for kind in &book.lists {
        staged.write(&format!("{}.html", kind.stem()), list_page(book, *kind))?;
    }
    staged.write("theme/style.css", theme.file("style.css")?)?;
    staged.write("theme/highlight.css", highlight::stylesheet(":root[data-theme=\"dark\"]"))?;
    for (name, bytes) in FONTS {
        staged.write(&format!("fonts/{name}"), bytes)?;
    }
    for asset in &book.assets {
        staged.write(asset, read_asset(root, asset)?)?;
    }
    staged.commit()
}

fn index_page(book: &Book) -> String {
    let meta = &book.meta;
    let mut main = String::from("<header class=\"title-page\">\n");
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
    main.push_str("</header>\n<section class=\"contents\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">Contents</h2>\n");
    main.push_str(&toc(book, None, true));
    main.push_str("</section>\n");
    let next = (!book.chapters.is_empty()).then_some(0);
    page(book, &meta.title, None, &main, None, next)
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
    page(book, &format!("{} · {}", kind.title(), book.meta.title), None, &main, None, None)
}

fn chapter_page(book: &Book, index: usize) -> String {
    let chapter = &book.chapters[index];
    let title = crate::doc::plain_text(&chapter.title.content);
    let mut main = String::from("<article>\n");
    main.push_str(&xhtml::chapter_body(book, index, Flavor::Html));
    main.push_str("</article>\n");
    let previous = index.checked_sub(1);
    let next = (index + 1 < book.chapters.len()).then_some(index + 1);
    page(book, &format!("{title} · {}", book.meta.title), Some(index), &main, previous, next)
}

/// The page around `main`: head, skip link, sidebar, pager and footer.
fn page(
    book: &Book,
    title: &str,
    current: Option<usize>,
    main: &str,
    previous: Option<usize>,
    next: Option<usize>,
) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"theme/style.css\"/>\n\
         <link rel=\"stylesheet\" href=\"theme/highlight.css\"/>\n</head>\n<body>\n\
         <a class=\"skip-link\" href=\"#content\">Skip to the content</a>\n<div class=\"layout\">\n\
         <nav class=\"sidebar\" aria-label=\"Table of contents\">\n<p class=\"sidebar-title\"><a href=\"index.html\">{book_title}</a></p>\n",
        lang = escape_attr(&book.meta.language),
        title = escape(title),
        book_title = escape(&book.meta.title),
    );
    out.push_str(&toc(book, current, false));
    out.push_str("</nav>\n<main id=\"content\">\n");
    out.push_str(main);
    out.push_str(&pager(book, previous, next, current.is_none()));
    out.push_str("</main>\n</div>\n");
    if let Some(rights) = &book.meta.rights {
        let _ = writeln!(out, "<footer class=\"site-footer\"><p>{}</p></footer>", escape(rights));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The table of contents: front matter, parts with their chapters, back matter.
/// With `sections`, each chapter lists its level-2 sections too.
fn toc(book: &Book, current: Option<usize>, sections: bool) -> String {
    let mut out = String::from("<ol class=\"toc\">\n");
    let entry = |out: &mut String, index: usize| toc_entry(out, book, index, current, sections);
    for index in (0..book.chapters.len()).filter(|&i| book.chapters[i].kind == ChapterKind::Front) {
        entry(&mut out, index);
    }
    for part in &book.parts {
        let _ =
            writeln!(out, "<li class=\"toc-part\"><span class=\"toc-part-title\">{}</span>\n<ol>", escape(&part.title));
        for index in part.chapters.clone() {
            entry(&mut out, index);
        }
        out.push_str("</ol>\n</li>\n");
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

fn toc_entry(out: &mut String, book: &Book, index: usize, current: Option<usize>, sections: bool) {
    let chapter = &book.chapters[index];
    let aria = if current == Some(index) { " aria-current=\"page\"" } else { "" };
    let number = match chapter.number {
        Some(n) if chapter.kind == ChapterKind::CaseStudy => {
            format!("<span class=\"toc-number\">C{n}</span> ")
        }
        Some(n) => format!("<span class=\"toc-number\">{n}</span> "),
        None => String::new(),
    };
    let title = xhtml::inlines(book, index, Flavor::Html, &strip_links(&chapter.title.content));
    let _ = write!(out, "<li><a href=\"{}.html\"{aria}>{number}{title}</a>", chapter.stem);
    if sections {
        let subsections: Vec<String> = chapter
            .blocks
            .iter()
            .filter_map(|block| match block {
                crate::doc::Block::Heading(h) if h.level == 2 => {
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
        if !subsections.is_empty() {
            let _ = write!(out, "\n<ol class=\"toc-sections\">\n{}\n</ol>\n", subsections.join("\n"));
        }
    }
    out.push_str("</li>\n");
}

/// Inlines with links, references and notes replaced by their text (links cannot nest).
fn strip_links(content: &[crate::doc::Inline]) -> Vec<crate::doc::Inline> {
    use crate::doc::Inline;
    content
        .iter()
        .filter_map(|inline| match inline {
            Inline::Link(link) => Some(Inline::Text(crate::doc::plain_text(&link.content))),
            Inline::Ref(_) => Some(Inline::Text(crate::doc::plain_text(std::slice::from_ref(inline)))),
            Inline::FootnoteRef { .. } | Inline::Html(_) => None,
            Inline::Emph(c) => Some(Inline::Emph(strip_links(c))),
            Inline::Strong(c) => Some(Inline::Strong(strip_links(c))),
            Inline::Strike(c) => Some(Inline::Strike(strip_links(c))),
            other => Some(other.clone()),
        })
        .collect()
}

fn pager(book: &Book, previous: Option<usize>, next: Option<usize>, on_index: bool) -> String {
    let mut out = String::from("<nav class=\"pager\" aria-label=\"Previous and next\">\n");
    let link = |index: usize| crate::doc::plain_text(&book.chapters[index].title.content);
    match previous {
        Some(index) => {
            let _ = writeln!(
                out,
                "<a class=\"pager-prev\" rel=\"prev\" href=\"{}.html\">← {}</a>",
                book.chapters[index].stem,
                escape(&link(index))
            );
        }
        None if !on_index => out.push_str("<a class=\"pager-prev\" rel=\"prev\" href=\"index.html\">← Contents</a>\n"),
        None => {}
    }
    if let Some(index) = next {
        let _ = writeln!(
            out,
            "<a class=\"pager-next\" rel=\"next\" href=\"{}.html\">{} →</a>",
            book.chapters[index].stem,
            escape(&link(index))
        );
    }
    out.push_str("</nav>\n");
    out
}
