#!/usr/bin/env bash
# Build the merchant's release and its Linux packages with Tauri's bundler (the CLI comes from
# ui/node_modules, @tauri-apps/cli, pinned in ui/package-lock.json): a .deb and an .rpm in
# target/release/bundle/. AppImage is not built: its bundler downloads linuxdeploy and the AppImage
# runtime at build time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d ui/dist ] || { echo "build the UI first: make ui"; exit 1; }
# tauri.conf.json and the app's Cargo.toml are in src-tauri (the root's tauri.conf.json is a link
# to it); the UI is already built into ui/dist.
TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri build --ci --bundles deb,rpm
ls -l target/release/cardbind target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm
