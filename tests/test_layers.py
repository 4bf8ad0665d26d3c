"""The layering the project promises: the extractor, the merger and every module below the web layer
import no Flask, only the store package touches a database, and only the job modules touch the queue."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "service" / "dateline"

CORE = [
    "dateline.extract",
    "dateline.merge",
    "dateline.model",
    "dateline.incremental",
    "dateline.store",
    "dateline.query",
    "dateline.formats",
    "dateline.schemas",
    "dateline.openapi",
    "dateline.documents",
    "dateline.webpage",
    "dateline.cli",
    "dateline.jobs",
    "dateline.worker",
]
#: the database drivers and toolkits, and the queue's clients
DATABASE = {"sqlite3", "sqlalchemy", "alembic", "psycopg"}
QUEUE = {"rq", "redis"}


@pytest.mark.parametrize("module", CORE)
def test_core_modules_do_not_import_flask(module: str) -> None:
    code = f"import sys, {module}; sys.exit(1 if 'flask' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=120).returncode == 0


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_store_touches_a_database() -> None:
    users = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if _imports(p) & DATABASE}
    assert "store/__init__.py" in users and all(u.startswith("store/") for u in users), users


def test_only_the_api_package_imports_flask() -> None:
    users = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "flask" in _imports(p)}
    assert users and all(u.startswith("api/") for u in users), users


def test_only_the_job_modules_touch_the_queue() -> None:
    users = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if _imports(p) & QUEUE}
    assert users == {"jobs.py", "worker.py"}
