#!/usr/bin/env bash
# Start-up benchmark: time from launching cardbind to an interactive card list (the first page
# rendered, reported by the UI) with N bound cards, and the memory of the app and its WebKit
# processes at that moment. Prints figures; not a test.
#   scripts/bench-startup.sh [cards=100000] [runs=5]
# Uses the binary `make build` made (target/debug/cardbind); PROFILE=release builds the
# merchant's build (scripts/package.sh, `tauri build`) instead, and the bare Tauri window anchor
# (bench/tauri-anchor) the same way, and measures the anchor too in the same run: what cardbind
# costs over an empty Tauri 2 window on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
CARDS="${1:-100000}"
RUNS="${2:-5}"
PROFILE="${PROFILE:-debug}"
ANCHOR=""
if [ "$PROFILE" = release ]; then
  scripts/package.sh >/dev/null
  TAURI_APP_PATH=bench/tauri-anchor ui/node_modules/.bin/tauri build --ci --no-bundle >/dev/null
  ANCHOR="$PWD/target/release/tauri-anchor"
fi
APP="$PWD/target/$PROFILE/cardbind"
[ -x "$APP" ] || { echo "build first: make build"; exit 1; }
cargo build --locked -q -p cardbind-core --example seed
SEED="$PWD/target/debug/examples/seed"

WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export HOME="$WORK" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache"
unset WAYLAND_DISPLAY
echo "seeding $CARDS cards…"
"$SEED" "$XDG_DATA_HOME/dev.cardbind.app" "$CARDS" "$XDG_CONFIG_HOME/dev.cardbind.app"

exec 3< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
read -r n <&3
export DISPLAY=":$n"

# the descendants' RSS (the app, WebKitWebProcess, WebKitNetworkProcess), in MiB
rss_tree() {
  local pids="$1" all="$1" next
  while [ -n "$pids" ]; do
    next="$(for p in $pids; do pgrep -P "$p" || true; done | tr '\n' ' ')"
    all="$all $next"
    pids="$(echo "$next" | xargs)"
  done
  local kb=0 own
  for p in $all; do
    own="$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
    kb=$((kb + ${own:-0}))
  done
  echo $((kb / 1024))
}

# run_once [binary] [line to wait for]: cardbind's card list by default
run_once() {
  local app="${1:-$APP}" marker="${2:-card list interactive}"
  local log="$WORK/run.log" start pid ms
  : > "$log"
  start=$(date +%s%N)
  "$app" > "$log" 2> "$WORK/err.log" &
  pid=$!
  for _ in $(seq 1 600); do
    if grep -q "$marker" "$log"; then break; fi
    sleep 0.05
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  grep -q "$marker" "$log" || { echo "$app: never printed \"$marker\""; cat "$WORK/err.log"; exit 1; }
  sleep 1 # let the first paint settle before sampling memory
  local app_kb tree
  app_kb="$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status")"
  tree="$(rss_tree "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $(grep -o 'interactive [0-9]* ms' "$log" | grep -o '[0-9]*') $app_kb $tree"
}

export -f run_once rss_tree
dbus-run-session -- bash -c '
  echo "" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  APP="'"$APP"'" WORK="'"$WORK"'" ANCHOR="'"$ANCHOR"'"
  echo "warm-up (first start: creates the demo keys)…"
  run_once >/dev/null
  printf "%-6s %-22s %-22s %-14s %s\n" run "wall, launch→list (ms)" "in-process (ms)" "app RSS (MiB)" "app+WebKit RSS (MiB)"
  for i in $(seq 1 '"$RUNS"'); do
    read -r wall inproc app tree < <(run_once)
    printf "%-6s %-22s %-22s %-14s %s\n" "$i" "$wall" "$inproc" "$app" "$tree"
  done
  if [ -n "$ANCHOR" ]; then
    echo "bare Tauri window (bench/tauri-anchor), launch → page interactive:"
    run_once "$ANCHOR" "page interactive" >/dev/null
    for i in $(seq 1 '"$RUNS"'); do
      read -r wall inproc app tree < <(run_once "$ANCHOR" "page interactive")
      printf "%-6s %-22s %-22s %-14s %s\n" "anchor" "$wall" "$inproc" "$app" "$tree"
    done
  fi
' 2> "$WORK/session.log"
echo "($CARDS cards, $PROFILE build, $(nproc) cores)"
if [ "$PROFILE" = release ]; then
  ls -l target/release/cardbind "$ANCHOR" target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm | awk '{printf "%-70s %6.1f MiB\n", $NF, $5/1048576}'
fi
