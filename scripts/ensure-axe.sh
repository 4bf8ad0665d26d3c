#!/bin/sh
# Make sure axe-core (from npm) is there for the widget's accessibility checks
# (tests/test_widget_browser.py). Idempotent: does nothing when it is installed. Installs it into
# .venv/npm (ignored by git, removed by `make clean`; DATELINE_AXE_DIR names another folder), with
# Node's npm; when npm is missing, installs Debian's npm package first (scripts/apt-install.sh).
set -eu

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${DATELINE_AXE_DIR:-$ROOT/.venv/npm}"
VERSION="${DATELINE_AXE_VERSION:-4.14.1}"
AXE="$DIR/node_modules/axe-core/axe.min.js"

if [ -f "$AXE" ]; then
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    sh "$ROOT/scripts/apt-install.sh" ensure-axe npm npm
fi

mkdir -p "$DIR"
echo "ensure-axe: installing axe-core@$VERSION into $DIR" >&2
npm install --prefix "$DIR" --no-save --no-audit --no-fund --no-package-lock --loglevel=error "axe-core@$VERSION" >&2

if [ ! -f "$AXE" ]; then
    echo "ensure-axe: npm finished but $AXE is missing" >&2
    exit 1
fi
echo "ensure-axe: axe-core $VERSION ready" >&2
