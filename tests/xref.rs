//! Cross-references and numbering (contract §2): every label kind, forward and backward
//! references across files, front matter, case studies, unlabelled figures and escaped `@`,
//! asserted in the HTML edition. The same fixture is checked in the EPUB and PDF editions.

mod common;

use common::{code, copy_fixture, folio, read, stderr};
use std::path::Path;

fn build_html() -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, book) = copy_fixture("xref");
    let output = folio(book.parent().unwrap(), &["build", "xref", "--edition", "html"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    (temp, book)
}

fn page(book: &Path, name: &str) -> String {
    read(&book.join("out/html").join(name))
}

fn assert_contains(page: &str, expected: &[&str]) {
    for snippet in expected {
        assert!(page.contains(snippet), "expected `{snippet}` in:\n{page}");
    }
}

#[test]
fn chapters_sections_figures_tables_and_listings_are_numbered() {
    let (_temp, book) = build_html();
    assert_contains(
        &page(&book, "one.html"),
        &[
            "<h1 id=\"ch-one\" class=\"chapter-title\"><span class=\"chapter-number\">Chapter 1</span> First Chapter</h1>",
            "<span class=\"section-number\">1.1</span> Pipeline",
            "<span class=\"section-number\">1.1.1</span> Details",
            "<span class=\"section-number\">1.2</span> Tables",
            "<figure id=\"fig-one-pipeline\" class=\"figure image\">",
            "<span class=\"caption-number\">Figure 1.1</span>: The build pipeline",
            "<span class=\"caption-number\">Figure 1.2</span>: A diagram figure",
            "<figcaption>An unlabelled figure keeps its caption</figcaption>",
            "<caption><span class=\"caption-number\">Table 1.1</span>: Tiers and nodes</caption>",
        ],
    );
    assert_contains(
        &page(&book, "two.html"),
        &[
            "<span class=\"caption-number\">Table 2.1</span>: Capacity by tier",
            "<span class=\"caption-number\">Listing 2.1</span>: The config",
            "<span class=\"caption-number\">Figure 2.1</span>: Second chapter figure",
        ],
    );
}

#[test]
fn references_show_the_caption_numbers_and_link_across_files() {
    let (_temp, book) = build_html();
    assert_contains(
        &page(&book, "one.html"),
        &[
            "<a class=\"xref\" href=\"two.html#sec-two-sizing\">Section 2.1</a> is in <a class=\"xref\" href=\"two.html#ch-two\">Chapter 2</a>",
            "<a class=\"xref\" href=\"two.html#lst-two-config\">Listing 2.1</a>",
            "<a class=\"xref\" href=\"#fig-one-pipeline\">Figure 1.1</a> shows the pipeline",
            "<a class=\"xref\" href=\"#fig-one-flow\">Figure 1.2</a> is a diagram",
            "<a class=\"xref\" href=\"#sec-one-deep\">Deep heading</a> shows its title",
            "<a class=\"xref\" href=\"#tbl-one-tiers\">Table 1.1</a> lists the tiers",
            "<a href=\"two.html#sec-two-sizing\">the sizing section</a>",
            "<a href=\"#sec-one-pipeline\">this chapter’s pipeline</a>",
        ],
    );
    assert_contains(
        &page(&book, "two.html"),
        &[
            "<a class=\"xref\" href=\"one.html#fig-one-pipeline\">Figure 1.1</a> and <a class=\"xref\" href=\"one.html#sec-one-details\">Section 1.1.1</a>",
            "<a class=\"xref\" href=\"#fig-two-second\">Figure 2.1</a> is Figure 2.1",
        ],
    );
}

#[test]
fn case_studies_carry_a_c() {
    let (_temp, book) = build_html();
    assert_contains(
        &page(&book, "alpha.html"),
        &[
            "<span class=\"chapter-number\">Case Study 1</span> Alpha Case",
            "<span class=\"section-number\">C1.1</span> Requirements",
            "<span class=\"caption-number\">Figure C1.1</span>: Alpha architecture",
            "<span class=\"caption-number\">Table C1.1</span>: Alpha options",
            "<a class=\"xref\" href=\"#sec-alpha-requirements\">Section C1.1</a> too",
            "<a class=\"xref\" href=\"two.html#sec-two-sizing\">Section 2.1</a>",
        ],
    );
    assert_contains(
        &page(&book, "beta.html"),
        &[
            "<a class=\"xref\" href=\"alpha.html#cs-alpha\">Case Study 1</a> and <a class=\"xref\" href=\"alpha.html#fig-alpha-arch\">Figure C1.1</a>",
            "<a class=\"xref\" href=\"#sec-beta-traffic\">Section C2.1.1</a> is a subsection",
        ],
    );
}

#[test]
fn unnumbered_targets_show_their_titles_and_escapes_stay_text() {
    let (_temp, book) = build_html();
    let preface = page(&book, "preface.html");
    assert_contains(
        &preface,
        &[
            "<a class=\"xref\" href=\"one.html#ch-one\">Chapter 1</a>",
            "<a class=\"xref\" href=\"appendix.html#ch-appendix\">Appendix</a>",
            "<a class=\"xref\" href=\"beta.html#cs-beta\">Case Study 2</a>",
            "<a class=\"xref\" href=\"two.html#tbl-two-capacity\">Table 2.1</a>",
            "<a class=\"xref\" href=\"#sec-preface-how\">How to use it</a> stays a title",
            "Write @fig-one-pipeline for a literal reference, and mail someone@example.com or say @home.",
        ],
    );
    assert!(!preface.contains("<span class=\"section-number\">"), "front matter has no numbers");
    let appendix = page(&book, "appendix.html");
    assert_contains(
        &appendix,
        &[
            "<a class=\"xref\" href=\"#fig-appendix-extra\">Appendix figure</a>",
            "<figcaption>Appendix figure</figcaption>",
        ],
    );
}

#[test]
fn lists_of_figures_and_tables_link_to_every_captioned_item() {
    let (_temp, book) = build_html();
    assert_contains(
        &page(&book, "figures.html"),
        &[
            "<a href=\"one.html#fig-one-pipeline\"><span class=\"caption-number\">Figure 1.1</span> The build pipeline</a>",
            "<a href=\"alpha.html#fig-alpha-arch\"><span class=\"caption-number\">Figure C1.1</span> Alpha architecture</a>",
            "An unlabelled figure keeps its caption",
        ],
    );
    assert_contains(&page(&book, "tables.html"), &["<span class=\"caption-number\">Table 2.1</span> Capacity by tier"]);
    assert_contains(&page(&book, "index.html"), &["<a href=\"figures.html\">List of Figures</a>"]);
}
