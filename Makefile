# cardbind: two commands do all set-up on a fresh Debian/Ubuntu machine.
#   make run   install what is missing, build, open the app (demo mode, embedded simulator)
#   make test  the same set-up, then every check and test
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(CURDIR)/target/tools/bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never

.PHONY: help setup ui build run test package lint gen fuzz bench bench-startup bench-add-card clean

help:
	@echo "make run    install what is missing, build, and open cardbind (demo mode)"
	@echo "make test   install what is missing, build, then run every check and test"
	@echo "make package  release build and Linux packages (.deb, .rpm) in target/release/bundle"
	@echo "make bench  benchmarks (release build; prints figures)"
	@echo "make fuzz   fuzz every parser of outside bytes (FUZZ_SECONDS each, default 120)"
	@echo "make bench-startup  launch → interactive card list with 100k cards, and memory"
	@echo "make bench-add-card  Continue → card form shown, in the real window (release, then debug)"

setup:
	@scripts/setup.sh

# tauri-build embeds ui/dist, so the UI is built before any cargo build of the app.
ui: setup
	@cd ui && npm run -s build

# One build for running and testing: `cargo test --no-run` builds the app binary with the same
# features the end-to-end tests use, so `make run` and `make test` share every artifact.
build: ui
	cargo test --workspace --locked --no-run

run: build
	@scripts/run.sh $(ARGS)

test: build
	@scripts/test.sh

# The merchant's build: release profile, .deb and .rpm (Tauri's bundler), in target/release/bundle.
package: ui
	@scripts/package.sh

lint: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cd ui && npm run -s check

# Regenerate what is made from crates/core/src/api.rs: ui/src/lib/gen/*.ts and the capability file.
gen:
	UPDATE_GENERATED=1 cargo test -p cardbind-core --lib generated_files_are_current

# Coverage-guided fuzzing of every parser of outside bytes (FUZZ_SECONDS per target, default 120).
fuzz: setup
	bash scripts/fuzz.sh

bench: setup
	cargo bench -p antom --bench signing
	cargo bench -p antom-sim --bench sessions
	cargo bench -p cardbind-core --bench store
	cargo bench -p cardbind-core --bench store_postgres
	cargo bench -p cardbind-core --bench pins
	cargo bench -p cardbind-core --bench payments

bench-startup: build
	bash scripts/bench-startup.sh 100000 5

# Add card's card form in the real window (Xvfb, WebDriver), release build then the debug build
# for comparison: stage times from "Continue" (tests/e2e/bench.rs; BENCH_STARTS, BENCH_RUNS,
# BENCH_READ_MS, BENCH_DETAIL=1 tune it).
bench-add-card: build
	cargo build --locked --release -p cardbind
	CARDBIND_APP=$(CURDIR)/target/release/cardbind cargo test --locked -p cardbind --test e2e bench_ -- --ignored --nocapture --test-threads=1
	BENCH_STARTS=3 cargo test --locked -p cardbind --test e2e bench_add_card -- --ignored --nocapture

clean:
	rm -rf target ui/dist ui/node_modules
