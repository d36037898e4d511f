//! Any text as `book.toml`: parsed, validated against a small book, diagnostics rendered.

#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = harness::manifest(text);
    }
});
