#!/bin/sh
# Make sure axe-core (from npm) is there for the widget's accessibility checks
# (tests/test_widget_browser.py). Idempotent: does nothing when it is installed. Installs it into
# .venv/npm (ignored by git, removed by `make clean`; DATELINE_AXE_DIR names another folder), with
# Node's npm; when npm is missing, installs Debian's npm package first (as root, or with sudo).
set -eu

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${DATELINE_AXE_DIR:-$ROOT/.venv/npm}"
VERSION="${DATELINE_AXE_VERSION:-4.14.1}"
AXE="$DIR/node_modules/axe-core/axe.min.js"

if [ -f "$AXE" ]; then
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "ensure-axe: npm is missing; installing Debian's npm package" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq npm >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "ensure-axe: npm is missing; installing Debian's npm package with sudo" >&2
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    else
        echo "ensure-axe: npm is missing and this user cannot install packages." >&2
        echo "  Install Node.js and npm (e.g. sudo apt-get install -y npm), then run $0" >&2
        exit 1
    fi
fi

mkdir -p "$DIR"
echo "ensure-axe: installing axe-core@$VERSION into $DIR" >&2
npm install --prefix "$DIR" --no-save --no-audit --no-fund --no-package-lock --loglevel=error "axe-core@$VERSION" >&2

if [ ! -f "$AXE" ]; then
    echo "ensure-axe: npm finished but $AXE is missing" >&2
    exit 1
fi
echo "ensure-axe: axe-core $VERSION ready" >&2
