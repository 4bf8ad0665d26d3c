"""Headless Debian Chromium driven by Playwright for Python, for the browser tests
(test_widget_browser.py, test_csrf_browser.py).

Chromium is installed by ``scripts/ensure-chromium.sh`` when missing (as root, or with sudo); the
browser tests skip, saying why, only when Playwright is missing or Chromium cannot be installed.
Never a browser build of Playwright's own (no ``playwright install``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium"))
ENSURE_CHROMIUM = ROOT / "scripts" / "ensure-chromium.sh"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ensure_chromium() -> str | None:
    """None when Chromium is there (installing it if needed and possible), else why it is not."""
    if CHROMIUM.exists():
        return None
    try:
        proc = subprocess.run(
            ["sh", str(ENSURE_CHROMIUM)],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
            env={**os.environ, "DATELINE_CHROMIUM": str(CHROMIUM)},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{CHROMIUM} is missing and {ENSURE_CHROMIUM.name} could not run: {exc}"
    if CHROMIUM.exists():
        return None
    output = (proc.stderr or proc.stdout).strip().splitlines()
    return f"{CHROMIUM} is missing and could not be installed: {' / '.join(output[-3:]) or proc.returncode}"


#: the one Playwright (and browser) of this test process: Playwright's sync API refuses to start a
#: second one while the first runs, so fixtures of different scopes share it
_SHARED: dict[str, Any] = {}


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """A launched Playwright browser, shared by every fixture that holds it and closed (with
    Playwright) when the last one lets go; skips the calling test when Playwright or Chromium is
    missing. For a fixture of whichever scope the tests need."""
    if not _SHARED:
        sync_api = pytest.importorskip(
            "playwright.sync_api", reason="Playwright for Python is missing: pip install -e '.[dev]'"
        )
        missing = ensure_chromium()
        if missing:
            pytest.skip(missing)
        manager = sync_api.sync_playwright().start()
        try:
            instance = manager.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000
            )
        except Exception:
            manager.stop()
            raise
        _SHARED.update(manager=manager, browser=instance, users=0)
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED["browser"].close()
            _SHARED["manager"].stop()
            _SHARED.clear()
