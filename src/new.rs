//! `folio new DIR`: writes a small book that builds — a manifest, two chapters and a case study
//! that show the labels, references, tables, listings, alerts and footnotes of the dialect.

use anyhow::{Context, Result, bail};
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "book.toml",
        r#"[book]
title = "TITLE"
authors = ["Your Name"]
language = "en"
identifier = "IDENTIFIER"
rights = "Copyright © Your Name. All rights reserved."

[contents]
front = ["front/preface.md"]

[[contents.part]]
title = "Chapters"
files = ["chapters/01-getting-started.md", "chapters/02-going-further.md"]

[[contents.part]]
title = "Case Studies"
kind = "case-study"
files = ["case-studies/01-first-case.md"]
"#,
    ),
    ("front/preface.md", "# Preface {#ch-preface}\n\nThis book starts with @ch-start and ends with @cs-first.\n"),
    (
        "chapters/01-getting-started.md",
        r#"# Getting Started {#ch-start}

folio numbers chapters, sections, figures, tables and listings, and every reference shows the
same number in every edition: see @sec-start-tables and @tbl-start-editions.

## Tables {#sec-start-tables}

| Edition | File |
|---|---|
| HTML | `out/html/index.html` |
| EPUB | `out/SLUG.epub` |
| PDF | `out/SLUG.pdf` |

Table: The three editions {#tbl-start-editions}

## Listings {#sec-start-listings}

```rust {#lst-start-hello caption="A first listing"}
fn main() {
    println!("Hello from folio");
}
```

@lst-start-hello prints a greeting.[^greeting]

> [!TIP]
> Write `\@` for a literal at-sign, as in \@home.

[^greeting]: Footnotes are numbered per chapter.
"#,
    ),
    (
        "chapters/02-going-further.md",
        r#"# Going Further {#ch-further}

References work across files: @sec-start-listings is in @ch-start, and the case study is
@cs-first. A link can carry its own text: [the tables section](01-getting-started.md#sec-start-tables).

## Lists {#sec-further-lists}

- [x] Write a chapter
- [ ] Build the editions with `folio build`
"#,
    ),
    (
        "case-studies/01-first-case.md",
        r#"# A First Case Study {#cs-first}

Case studies are numbered on their own: this is @cs-first, and its sections carry a `C`,
as @sec-first-numbers shows.

## Numbers {#sec-first-numbers}

Everything in @ch-further applies here too.
"#,
    ),
];

/// Writes a new book into `dir`, which must not exist or be empty.
pub fn new_book(dir: &Path) -> Result<()> {
    if dir.exists() && (dir.is_file() || std::fs::read_dir(dir)?.next().is_some()) {
        bail!("{} already exists and is not an empty folder", dir.display());
    }
    let title = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "My Book".into());
    let identifier = format!("urn:uuid:{}", pseudo_uuid(&title));
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let text = text.replace("TITLE", &title.replace('"', "'")).replace("IDENTIFIER", &identifier);
        std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

/// A version-4-shaped UUID from the title and the clock, for a new book's identifier.
fn pseudo_uuid(seed: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let mut hash: u128 = nanos ^ 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834;
    for byte in seed.bytes() {
        hash = (hash ^ u128::from(byte)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    let hex = format!("{hash:032x}");
    format!("{}-{}-4{}-8{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}
