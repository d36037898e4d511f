#!/usr/bin/env bash
# fuzz.sh — runs each cargo-fuzz target of fuzz/ for FUZZ_SECONDS (600 by default), one after
# the other (fuzzing takes a whole core), seeded with the Markdown and manifests of book/ and
# the test books, with a dictionary of each language's tokens. cargo-fuzz needs nightly
# features: RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them. The targets are built
# with coverage instrumentation, which shares nothing with folio's own build, so they build in
# fuzz/target. A crash is saved in fuzz/artifacts/TARGET/ and stops the run with status 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-markdown manifest}
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked --version 0.13.2

seed() {  # target pattern
  mkdir -p "fuzz/corpus/$1"
  find book tests/fixtures tests/bad -type f -name "$2" -size -64k -print0 |
    while IFS= read -r -d '' file; do
      cp "$file" "fuzz/corpus/$1/seed-$(sha256sum < "$file" | cut -c1-16)"
    done
}
seed markdown '*.md'
seed manifest 'book.toml'

for target in $targets; do
  echo "fuzzing $target for ${seconds}s"
  (cd fuzz && env -u CARGO_BUILD_BUILD_DIR RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" -- \
    -max_total_time="$seconds" -dict="$target.dict" -timeout=30 -rss_limit_mb=4096 -max_len=8192 -print_final_stats=1)
done
