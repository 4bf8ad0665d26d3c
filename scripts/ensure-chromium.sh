#!/bin/sh
# Make sure Debian's Chromium is installed for the browser tests (tests/test_widget_browser.py).
# Idempotent: does nothing when it is there. Installs it with apt-get when run as root; otherwise
# prints how to install it and exits 1 (the browser tests then skip with that reason).
# Never downloads a browser build of its own (no `playwright install`).
set -eu

CHROMIUM="${DATELINE_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package with sudo" >&2
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
    echo "ensure-chromium: $CHROMIUM is missing and this user cannot install packages." >&2
    echo "  Install it with:  sudo apt-get update && sudo apt-get install -y chromium" >&2
    exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-chromium: chromium was installed but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) ready" >&2
