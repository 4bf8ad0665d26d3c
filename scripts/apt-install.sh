#!/bin/sh
# Install Debian packages for the ensure-*.sh scripts: with apt-get as root, else with sudo when it
# needs no password; otherwise print how to install them and exit 1.
#   sh scripts/apt-install.sh WHO WHAT PACKAGE...   (WHO: the script asking; WHAT: what is missing)
set -eu

WHO="$1"
WHAT="$2"
shift 2
PACKAGES="$*"

if [ "$(id -u)" -eq 0 ]; then
    echo "$WHO: $WHAT is missing; installing Debian's $PACKAGES package(s)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "$@" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "$WHO: $WHAT is missing; installing Debian's $PACKAGES package(s) with sudo" >&2
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
else
    echo "$WHO: $WHAT is missing and this user cannot install packages." >&2
    echo "  Install it with:  sudo apt-get update && sudo apt-get install -y $PACKAGES" >&2
    exit 1
fi
