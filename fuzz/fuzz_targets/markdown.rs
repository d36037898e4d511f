//! Any Markdown, as a chapter of a small book, through parse, resolve and every edition's
//! writer (HTML, print, EPUB XHTML and the PDF data), and every diagnostic rendered.

#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = harness::run(text);
    }
});
