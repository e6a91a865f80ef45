#!/usr/bin/env bash
# Open cardbind (arguments go to the app, e.g. --kiosk). Without a display (a server, CI, an SSH session) it starts a virtual one (Xvfb),
# says so, and saves a screenshot so you can see what the window shows. Without a desktop
# session bus it starts a private one with gnome-keyring, so the OS keyring works.
set -euo pipefail
cd "$(dirname "$0")/.."
APP="$PWD/target/debug/cardbind"
[ -x "$APP" ] || { echo "build first: make run"; exit 1; }
SHOTS="$PWD/target/screenshots"
mkdir -p "$SHOTS"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exec 3< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
  read -r n <&3
  export DISPLAY=":$n"
  echo "No display found: cardbind runs under Xvfb on $DISPLAY (a virtual screen nobody sees)."
  echo "A screenshot will be saved to $SHOTS/make-run.png in 10 seconds; press Ctrl-C to quit."
  (sleep 10 && import -window root "$SHOTS/make-run.png" && echo "Screenshot saved: $SHOTS/make-run.png") &
fi

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "No desktop session bus: starting a private one with gnome-keyring (empty password) for the OS keyring."
  exec dbus-run-session -- bash -c 'echo "" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0" "$@"' "$APP" "$@"
fi
exec "$APP" "$@"
