//! No panics, whatever the input: property tests that drive arbitrary Markdown through parse,
//! resolve and every edition's writer, and arbitrary text and values through the manifest.
//!
//! The inputs are random strings and strings built from the fragments of Markdown, raw HTML
//! and folio's own syntax where the parsers have their corners. The fuzz targets in `fuzz/`
//! run the same harness ([`harness`]) for longer.

mod harness;

use proptest::prelude::*;
use proptest::sample::select;

/// Pieces of Markdown, HTML and folio syntax, and characters that are several bytes long.
const MARKDOWN: &[&str] = &[
    "#",
    "# ",
    "## ",
    "### ",
    "#### ",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "[",
    "]",
    "](",
    ")",
    "(",
    "{#",
    "{#fig-",
    "{#sec-",
    "{#tbl-",
    "{#lst-",
    "{#ch-",
    "{#cs-",
    "}",
    "{#fig-a}",
    "{#sec-a}",
    "@",
    "@sec-",
    "@fig-",
    "@sec-known",
    "@fig-known",
    "@tbl-known",
    "@lst-known",
    "@ch-two",
    "@cs-study",
    "@ch-preface",
    "@sec-a",
    "@fig-a",
    "\\@",
    "a@b.c",
    "<div>",
    "</div>",
    "<span class=\"x\">",
    "</span>",
    "<p>",
    "</p>",
    "<b>",
    "</i>",
    "<br>",
    "<br/>",
    "<script>",
    "</script>",
    "<style>",
    "<a href=\"javascript:x\">",
    "<a href='java&#9;script:x'>",
    "</a>",
    "<img src=x onerror=y alt=\"z\">",
    "<iframe src=x>",
    "</iframe>",
    "<object>",
    "<my-el a=1>",
    "</my-el>",
    "<tag>",
    "<!--",
    "-->",
    "<!",
    "<?",
    "|",
    "| a | b |\n|---|--:|\n",
    "| 1 | 2 | 3 |\n",
    "Table: ",
    "`",
    "``",
    "```",
    "```\n",
    "```rust {#lst-a caption=\"",
    "```dot {#fig-d}\n",
    "```mermaid\n",
    "~~~",
    "[^",
    "[^n]",
    "[^n]: ",
    "> ",
    "> [!NOTE]\n",
    "> [!WARNING]\n> ",
    "- ",
    "* ",
    "1. ",
    "- [ ] ",
    "- [x] ",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "    ",
    "![",
    "![alt](",
    "](../images/a.png)",
    "](two.md)",
    "](two.md#sec-known)",
    "](#sec-known)",
    "](#)",
    "](../../x)",
    "<https://e.com>",
    "&amp;",
    "&nbsp;",
    "&#",
    "&#x",
    "&#0;",
    ";",
    "é",
    "e\u{301}",
    "👍🏽",
    "🇫🇷",
    "\u{200d}",
    "\u{fffd}",
    "\u{0}",
    "\r",
    "\r\n",
    "---",
    "***",
    "===",
    "$x$",
    "#panic(\"x\")",
    "\\",
    "\"",
    "'",
    "<",
    ">",
    "&",
    "Σ",
    "日本語",
    "\u{feff}",
];

/// Pieces of TOML and of folio's manifest.
const MANIFEST: &[&str] = &[
    "[book]\n",
    "[contents]\n",
    "[[contents.part]]\n",
    "[output]\n",
    "[pdf]\n",
    "[html]\n",
    "[epub]\n",
    "[x]\n",
    "title = ",
    "subtitle = ",
    "authors = ",
    "language = ",
    "identifier = ",
    "cover = ",
    "slug = ",
    "front = ",
    "back = ",
    "files = ",
    "kind = ",
    "lists = ",
    "dir = ",
    "editions = ",
    "theme = ",
    "paper = ",
    "standard = ",
    "page-refs = ",
    "version = ",
    "keywords = ",
    "\"A\"",
    "\"\"",
    "\"en-GB\"",
    "\"case-study\"",
    "\"essay\"",
    "[\"front.md\"]",
    "[\"chapters/one.md\", \"chapters/two.md\"]",
    "[\"../x.md\"]",
    "[\"/etc/passwd\"]",
    "[\"book.toml\"]",
    "[\"images/a.png\"]",
    "\"images/a.png\"",
    "[\"html\", \"pdf\"]",
    "[\"mobi\"]",
    "[\"figures\"]",
    "\"a-2b\"",
    "[\"ua-1\", \"a-4\"]",
    "\"6x9in\"",
    "\"9999x9in\"",
    "\".\"",
    "\"..\"",
    "\"../../t\"",
    "true",
    "1",
    "-1",
    "1e400",
    "nan",
    "[]",
    "{}",
    "{ a = 1 }",
    "[[",
    "]]",
    "=",
    "\n",
    " ",
    "#",
    "\"\"\"",
    "'''",
    "\\u0000",
    "é",
    "\u{0}",
];

fn from_fragments(fragments: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(select(fragments), 0..max).prop_map(|parts| parts.concat())
}

/// Random text, text from fragments, or both interleaved.
fn markdown() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        from_fragments(MARKDOWN, 60),
        (from_fragments(MARKDOWN, 30), any::<String>(), from_fragments(MARKDOWN, 30)).prop_map(|(a, b, c)| a + &b + &c),
    ]
}

/// A value of the manifest: a string, a number, a boolean, or a list of strings.
fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>().prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        proptest::collection::vec(any::<String>(), 0..4).prop_map(|items| format!("{items:?}")),
        select(MANIFEST).prop_map(str::to_string),
    ]
}

/// A manifest built from tables of known and unknown keys with random values.
fn structured_manifest() -> impl Strategy<Value = String> {
    let key = select(
        &[
            "title",
            "subtitle",
            "authors",
            "language",
            "cover",
            "slug",
            "front",
            "back",
            "files",
            "kind",
            "lists",
            "dir",
            "editions",
            "theme",
            "paper",
            "standard",
            "page-refs",
            "version",
            "keywords",
            "bogus",
        ][..],
    );
    let table = select(&["[book]", "[contents]", "[[contents.part]]", "[output]", "[pdf]", "[html]", "[extra]"][..]);
    let entry = (key, toml_value()).prop_map(|(key, value)| format!("{key} = {value}\n"));
    let section = (table, proptest::collection::vec(entry, 0..5))
        .prop_map(|(table, entries)| format!("{table}\n{}", entries.concat()));
    proptest::collection::vec(section, 0..6).prop_map(|sections| sections.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_goes_through_every_writer(text in markdown()) {
        harness::run(&text);
    }

    #[test]
    fn any_text_is_a_manifest_or_an_error(text in prop_oneof![any::<String>(), from_fragments(MANIFEST, 40)]) {
        harness::manifest(&text);
    }

    #[test]
    fn any_values_are_a_manifest_or_an_error(text in structured_manifest()) {
        harness::manifest(&text);
    }
}

#[test]
fn the_harness_renders_a_good_chapter_without_errors() {
    let (written, errors) = harness::run("# Title {#ch-one}\n\nSee @sec-known, @fig-known and @cs-study.\n");
    assert!(!errors, "the fixed book and a good chapter have no errors");
    assert!(written > 1000, "the writers wrote {written} bytes");
    let (_, errors) = harness::run("# Title\n\nSee @fig-nowhere.\n");
    assert!(errors, "an unknown label is an error");
    assert!(!harness::manifest("[book]\ntitle = 3\n"));
}
