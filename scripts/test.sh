#!/usr/bin/env bash
# Every check and test, in order of speed; stops at the first failing step and ends with one
# summary line "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
LOGS=target/test-logs
mkdir -p "$LOGS"
export CARGO_TERM_COLOR=never

passed=0
failed=0
step() {
  local name=$1; shift
  printf '\n== %s\n' "$name"
  local start=$SECONDS
  "$@" 2>&1 | tee "$LOGS/$name.log"
  local rc=${PIPESTATUS[0]}
  printf -- '-- %s: %ss, exit %s\n' "$name" "$((SECONDS - start))" "$rc"
  if [ "$rc" != 0 ]; then
    printf '\nFAILED: %s (log: %s/%s.log)\n' "$name" "$LOGS" "$name"
    summary
    exit "$rc"
  fi
}
count_cargo() {
  local p f
  p=$(grep -hoE 'test result: [A-Za-z]+\. [0-9]+ passed' "$1" | awk '{s += $4} END {print s + 0}')
  f=$(grep -hoE '; [0-9]+ failed;' "$1" | awk '{s += $2} END {print s + 0}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}
count_vitest() {
  local line p f
  line=$(grep -E '^\s*Tests\s' "$1" | tail -1)
  p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
  f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}
summary() {
  [ -f "$LOGS/cargo-test.log" ] && count_cargo "$LOGS/cargo-test.log"
  [ -f "$LOGS/cargo-test-postgres.log" ] && count_cargo "$LOGS/cargo-test-postgres.log"
  [ -f "$LOGS/package-check.log" ] && count_cargo "$LOGS/package-check.log"
  [ -f "$LOGS/ui-test.log" ] && count_vitest "$LOGS/ui-test.log"
  printf '\n%s passed, %s failed\n' "$passed" "$failed"
}

rm -f "$LOGS"/*.log
step fmt cargo fmt --all --check
step ui-check bash -c 'cd ui && npm run -s check'
step ui-test bash -c 'cd ui && NO_COLOR=1 npx vitest run --reporter=default'
step cargo-test cargo test --workspace --locked --no-fail-fast
# The store, binding, payment and staff suites again on PostgreSQL (the shared database of
# several tills): each test gets a fresh database on a private server the tests start.
step cargo-test-postgres env CARDBIND_TEST_DB=postgres bash -c '
  cargo test -p cardbind-core --locked --no-fail-fast --lib &&
  cargo test -p cardbind-core --locked --no-fail-fast --test core -- flow:: payments:: access::'
step clippy cargo clippy --workspace --all-targets --locked -- -D warnings
# The domain crate builds without the simulator (demo mode is a feature of the composition root).
step core-without-demo cargo clippy -p cardbind-core --no-default-features --locked -- -D warnings
# The merchant's build: release, .deb and .rpm, then the .deb checked and its binary driven.
step package scripts/package.sh
step package-check scripts/package-check.sh
summary
[ "$failed" = 0 ]
