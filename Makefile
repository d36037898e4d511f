# folio — `make` builds book/ into every edition; `make test` runs every test, installing the
# validators it needs (Java, the Nu HTML checker, EPUBCheck, poppler, Chromium) under .tools/.
# One cargo profile (dev, with optimised dependencies) serves the book, the tests and the
# benchmark, so Typst is compiled once.

CARGO ?= cargo
FOLIO := target/debug/folio
BOOK ?= book

.PHONY: all build book test unit validate tools check fmt clean bench fuzz

all: book

build:
	$(CARGO) build --locked

book: build
	$(FOLIO) build $(BOOK)

tools:
	bash scripts/setup-tools.sh

unit: build tools
	$(CARGO) test --locked

validate: build tools
	bash scripts/validate.sh

test: unit validate

bench: build tools
	python3 bench/bench.py

check: build
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings
	$(FOLIO) check $(BOOK)

fmt:
	$(CARGO) fmt

# Each cargo-fuzz target of fuzz/ for FUZZ_SECONDS, one after the other (scripts/fuzz.sh).
FUZZ_SECONDS ?= 600
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

clean:
	-$(FOLIO) clean $(BOOK)
	$(CARGO) clean
