#!/usr/bin/env bash
# Check the .deb that scripts/package.sh built as a merchant would meet it: its control data
# (Depends: the libraries the binary really links, no build-only packages), its files (binary,
# desktop entries, icons), then unpack it into a scratch root and drive the installed binary
# (tests/e2e/installed.rs: --version and --help without a window; first start in demo mode under
# Xvfb with its data in the per-user folders; no context menu or inspector).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="cardbind"))')"
DEB="target/release/bundle/deb/cardbind_${VERSION}_amd64.deb"
[ -f "$DEB" ] || { echo "no $DEB: make package"; exit 1; }
fail() { echo "package check failed: $*"; exit 1; }

dpkg-deb -I "$DEB"
[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ] || fail "the package version is not the workspace's ($VERSION)"
DEPENDS="$(dpkg-deb -f "$DEB" Depends)"
ROOT="$(mktemp -d)"
trap 'rm -rf "$ROOT"' EXIT
dpkg-deb -x "$DEB" "$ROOT"
# Every shared library the binary names (NEEDED) must come from a package that Depends pulls in
# (the listed packages and what they depend on, per this machine's dpkg database), or from the
# C library and libgcc, which every system has.
CLOSURE="$(python3 - "$DEPENDS" <<'PY'
import re, subprocess, sys
todo = [d.strip().split()[0] for d in sys.argv[1].split(",") if d.strip()]
seen = set()
while todo:
    p = todo.pop()
    if p in seen:
        continue
    seen.add(p)
    out = subprocess.run(["dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", p], capture_output=True, text=True).stdout
    for alt in out.split(","):
        for name in alt.split("|"):
            name = re.sub(r"\(.*?\)|:any|\s", "", name)
            if name:
                todo.append(name)
print("\n".join(sorted(seen)))
PY
)"
for lib in $(readelf -d "$ROOT/usr/bin/cardbind" | awk '/NEEDED/ {gsub(/[][]/, "", $5); print $5}'); do
  case "$lib" in libc.so.*|libm.so.*|libgcc_s.so.*|ld-linux*) continue ;; esac
  pkg="$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1)"
  [ -n "$pkg" ] || fail "no package on this machine provides $lib"
  grep -qx "$pkg" <<<"$CLOSURE" || fail "$lib ($pkg) is not pulled in by Depends: $DEPENDS"
  echo "  $lib: $pkg, pulled in by Depends"
done
if tr ',' '\n' <<<"$DEPENDS" | grep -qE -- '-dev\b|build-essential|pkg-config|nodejs|cargo|rustc'; then
  fail "a build-only package in Depends: $DEPENDS"
fi
for f in usr/bin/cardbind usr/share/applications/cardbind.desktop usr/share/cardbind/autostart/cardbind-kiosk.desktop \
         usr/share/icons/hicolor/32x32/apps/cardbind.png usr/share/icons/hicolor/256x256/apps/cardbind.png; do
  [ -e "$ROOT/$f" ] || fail "the package has no /$f"
done
grep -qx 'Exec=cardbind --kiosk' "$ROOT/usr/share/cardbind/autostart/cardbind-kiosk.desktop" || fail "the kiosk entry does not start --kiosk"

CARDBIND_APP="$ROOT/usr/bin/cardbind" cargo test --locked -p cardbind --test e2e installed_ -- --ignored --test-threads=1
