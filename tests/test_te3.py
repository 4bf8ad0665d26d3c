"""TempEval-3 evaluation of the temporal tagger on TBAQ (TimeBank + AQUAINT), with the TE3 scorer.

Runs ``dateline timex --jsonl`` through ``../shared/te3/run_tagger.py`` exactly as the issue's
measurement does, and keeps the scores above a floor so that no change of the tagger slips back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TE3 = ROOT.parent / "shared" / "te3"
DATELINE = Path(sys.executable).with_name("dateline")

#: floors: the issue's goals (value 80.0, strict 84.0, relaxed 91.0), or the scores reached so far
#: rounded down where they are higher (HeidelTime 2.2.1 on TBAQ: value 77.4, strict 84.1, relaxed 92.1)
FLOORS = {"value": 80.0, "strict": 86.0, "relaxed": 93.0}
MIN_DOCS_PER_SECOND = 8.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (TE3 / "run_tagger.py").is_file(), reason="../shared/te3 is not beside the repo"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("te3")
    result = subprocess.run(
        [
            sys.executable,
            str(TE3 / "run_tagger.py"),
            "--gold",
            str(TE3 / "tbaq" / "TimeBank"),
            str(TE3 / "tbaq" / "AQUAINT"),
            "--cmd",
            f"{DATELINE} timex --jsonl",
            "--jsonl",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _f1(report: str, row: str) -> float:
    m = re.search(rf"^{row}\s+(?:extent|F1)\s+([\d.]+)", report, re.M)
    assert m, f"no {row!r} line in the TE3 report:\n{report}"
    return float(m.group(1))


@pytest.mark.parametrize("row", ["value", "strict", "relaxed"])
def test_te3_score_floor(report: str, row: str) -> None:
    assert _f1(report, row) >= FLOORS[row], report


def test_no_failures_and_fast_enough(report: str) -> None:
    m = re.search(r"\(([\d.]+) docs/s, .*failures (\d+)\)", report)
    assert m, report
    assert int(m.group(2)) == 0, report
    # throughput on a shared machine is noisy: the benchmark checks it properly; this only guards
    # against an order-of-magnitude slowdown
    assert float(m.group(1)) >= MIN_DOCS_PER_SECOND / 2, report
