#!/bin/sh
# Make sure Debian's PostgreSQL and Redis servers are installed for the storage and queue tests
# (tests/servers.py starts them on loopback ports in temporary folders for the test run and stops them
# after; nothing here starts a server). Idempotent: does nothing when both are there. Installs the
# missing ones with apt-get when run as root (or with password-less sudo); otherwise prints how and
# exits 1 (the tests then skip with that reason, or fail under CI=true).
set -eu

missing=""
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    missing="$missing postgresql"
fi
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
    missing="$missing redis-server"
fi
if [ -z "$missing" ]; then
    exit 0
fi

# the tests start servers of their own: whatever the packages start on install is left alone
install() {
    $1 sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq $missing >/dev/null"
}
if [ "$(id -u)" -eq 0 ]; then
    echo "ensure-services: installing$missing with apt-get" >&2
    install ""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "ensure-services: installing$missing with sudo apt-get" >&2
    install "sudo -n"
else
    echo "ensure-services:$missing missing and this user cannot install packages." >&2
    echo "  Install with:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    echo "  or point DATELINE_TEST_DATABASE_URL / DATELINE_TEST_REDIS_URL at running servers." >&2
    exit 1
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    echo "ensure-services: postgresql was installed but initdb is still missing" >&2
    exit 1
fi
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
    echo "ensure-services: redis-server was installed but is still missing" >&2
    exit 1
fi
echo "ensure-services: PostgreSQL and Redis ready" >&2
