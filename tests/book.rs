//! The Blueprint meets its house standards, measured on folio's own parse of `book/`: every
//! chapter and case study has at least 2,500 words of prose, two labelled diagrams, a captioned
//! table and three references to other files, and is itself referenced from elsewhere; the book
//! has at least 45,000 words; `folio check book` reports nothing.

mod common;

use folio::diag::Diagnostics;
use folio::doc::{Block, Book, ChapterKind, FigureBody, Inline, plain_text, visit_blocks};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn blueprint() -> Book {
    let mut diags = Diagnostics::default();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let (_, book) = folio::build::check(&dir, &mut diags).expect("book/ loads").expect("book/ has no manifest errors");
    let problems: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
    assert!(problems.is_empty(), "folio check book reports: {problems:?}");
    book
}

fn prose_words(blocks: &[Block]) -> usize {
    let mut words = 0;
    visit_blocks(blocks, &mut |block| {
        if let Block::Paragraph(inlines) = block {
            words += plain_text(inlines).split_whitespace().count();
        }
    });
    words
}

fn refs_to_other_files(book: &Book, index: usize) -> BTreeSet<usize> {
    let mut targets = BTreeSet::new();
    let mut collect = |inlines: &[Inline]| {
        for inline in inlines {
            if let Inline::Ref(r) = inline
                && let Some(target) = &r.target
                && target.chapter != index
            {
                targets.insert(target.chapter);
            }
        }
    };
    visit_blocks(&book.chapters[index].blocks, &mut |block| match block {
        Block::Paragraph(inlines) => collect(inlines),
        Block::Table(table) => table.rows.iter().flatten().for_each(|cell| collect(cell)),
        _ => {}
    });
    targets
}

#[test]
fn every_chapter_and_case_study_meets_the_standards() {
    let book = blueprint();
    let mut referenced: BTreeMap<usize, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (index, chapter) in book.chapters.iter().enumerate() {
        for target in refs_to_other_files(&book, index) {
            *referenced.entry(target).or_default() += 1;
        }
        if !matches!(chapter.kind, ChapterKind::Chapter | ChapterKind::CaseStudy) {
            continue;
        }
        let words = prose_words(&chapter.blocks);
        let mut diagrams = 0;
        let mut tables = 0;
        visit_blocks(&chapter.blocks, &mut |block| match block {
            Block::Figure(f) if matches!(f.body, FigureBody::Diagram { .. }) && f.caption.label.is_some() => diagrams += 1,
            Block::Table(t) if t.caption.label.is_some() && !t.caption.content.is_empty() => tables += 1,
            _ => {}
        });
        let others = refs_to_other_files(&book, index).len();
        if words < 2_500 || diagrams < 2 || tables < 1 || others < 3 {
            failures.push(format!("{}: {words} words, {diagrams} diagrams, {tables} tables, {others} files referenced", chapter.path));
        }
    }
    for (index, chapter) in book.chapters.iter().enumerate() {
        if matches!(chapter.kind, ChapterKind::Chapter | ChapterKind::CaseStudy) && !referenced.contains_key(&index) {
            failures.push(format!("{} is referenced from nowhere else", chapter.path));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_book_is_long_enough_and_in_the_right_order() {
    let book = blueprint();
    let total: usize = book.chapters.iter().map(|c| prose_words(&c.blocks)).sum();
    assert!(total >= 45_000, "{total} words of prose");
    let titles: Vec<String> = book.parts.iter().map(|p| p.title.clone()).collect();
    assert_eq!(titles, ["Foundations", "Case Studies"]);
    assert_eq!(book.parts[0].chapters.len(), 8);
    assert_eq!(book.parts[1].chapters.len(), 8);
    assert!(book.meta.rights.is_some(), "the book states its licence");
}
