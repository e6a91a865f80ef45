#!/usr/bin/env bash
# `make fuzz`: run each fuzz target for FUZZ_SECONDS (default 120) with cargo-fuzz (libFuzzer),
# starting from and adding to the committed corpus (fuzz/corpus/<target>, minimised afterwards);
# any crash is copied to fuzz/regressions/<target>/, which `make test` replays
# (tests/fuzz_regressions.rs in each crate).
#   scripts/fuzz.sh [target ...]      all targets when none is named
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them. The
# targets are safe Rust, so they run without a sanitizer (-s none): a panic, an overflow (debug
# assertions are on) or a timeout is what is looked for.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/target/tools/bin:$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$PWD/target/fuzz"
SECONDS_EACH=${FUZZ_SECONDS:-120}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(signature_header keys messages session_data settings)
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked --root target/tools -q
fi
cd fuzz
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "regressions/$t" "artifacts/$t"
  echo "== fuzz $t for ${SECONDS_EACH}s"
  set +e
  # new inputs go to the first corpus directory: the committed one
  cargo fuzz run -s none "$t" "corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>&1 | tee "/tmp/cardbind-fuzz-$t.log" | grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|panicked|SUMMARY|Done [0-9]+ runs"
  status=${PIPESTATUS[0]}
  set -e
  for a in artifacts/"$t"/*; do
    [ -e "$a" ] && cp "$a" "regressions/$t/" && echo "   crash saved: regressions/$t/$(basename "$a")"
  done
  # keep the committed corpus small: only inputs that add coverage
  cargo fuzz cmin -s none "$t" "corpus/$t" >/dev/null 2>&1 || true
  echo "   corpus/$t: $(ls "corpus/$t" | wc -l) inputs"
  [ "$status" = 0 ] || echo "   $t stopped with status $status (see /tmp/cardbind-fuzz-$t.log)"
done
