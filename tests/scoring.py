"""Run the ``dateline`` command on some documents and score its output with the shared scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SCORER = EVAL / "score_timeline.py"
_VENV_DATELINE = ROOT / ".venv" / "bin" / "dateline"
DATELINE = _VENV_DATELINE if _VENV_DATELINE.exists() else Path(sys.executable).parent / "dateline"


def score_documents(gold: Path, paths: list[str], out: Path) -> dict[str, Any]:
    """The scorer's JSON on ``dateline timeline/documents PATHS``; ``_summary`` holds its text report."""
    timeline, documents = out / "T.json", out / "D.json"
    for command, target in (("timeline", timeline), ("documents", documents)):
        with target.open("wb") as f:
            subprocess.run([str(DATELINE), command, *paths], cwd=ROOT, stdout=f, check=True, timeout=300)
    scorer = [sys.executable, str(SCORER), str(gold), str(timeline), "--documents", str(documents)]
    run = {"cwd": ROOT, "capture_output": True, "text": True, "check": True, "timeout": 120}
    data: dict[str, Any] = json.loads(subprocess.run([*scorer, "--json"], **run).stdout)  # type: ignore[call-overload]
    data["_summary"] = subprocess.run(scorer, **run).stdout  # type: ignore[call-overload]
    return data
