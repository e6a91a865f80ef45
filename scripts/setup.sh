#!/usr/bin/env bash
# Installs what cardbind needs to build, run and test on Debian/Ubuntu, skipping what is already there.
# Idempotent: a second run only checks (a few seconds). Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TOOLS="$ROOT/target/tools"
STAMP="$TOOLS/.apt-done"

APT_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  xvfb xauth webkit2gtk-driver at-spi2-core fonts-dejavu-core fonts-noto-cjk imagemagick x11-utils xdotool
  dbus dbus-x11 libdbus-1-dev gnome-keyring keyutils
  chromium chromium-driver openssl strace poppler-utils nodejs npm
  postgresql
)

say() { printf '[setup] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from elsewhere (nodesource, nvm): accept any working node >= 18.
if command -v node >/dev/null && command -v npm >/dev/null; then
  keep=(); for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || keep+=("$p"); done
  missing=("${keep[@]}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${#missing[@]} apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "apt packages: all present"
fi

if ! command -v cargo >/dev/null; then
  say "cargo is missing: install Rust with rustup (https://rustup.rs) and run again"; exit 1
fi

node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?1:0)' 2>/dev/null || echo 0)
if [ "$node_ok" != 1 ]; then
  say "Node.js $(node --version 2>/dev/null || echo 'is missing'): the UI build (Vite 8) needs Node.js 20.19 or newer."
  say "Install it from your distribution (Debian 13, Ubuntu 24.04+) or NodeSource, then run this again."
  exit 1
fi

mkdir -p "$TOOLS"
if [ ! -x "$TOOLS/bin/tauri-driver" ]; then
  say "installing tauri-driver into $TOOLS"
  cargo install tauri-driver --version '^2' --locked --root "$TOOLS" -q
else
  say "tauri-driver: present"
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
else
  say "ui/node_modules: up to date"
fi
touch "$STAMP"
