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

sh "$(dirname "$0")/apt-install.sh" ensure-chromium "$CHROMIUM" chromium

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-chromium: chromium was installed but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) ready" >&2
