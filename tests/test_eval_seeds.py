"""End to end: the ``dateline`` command on the seed articles, scored against the shared gold timeline
(the other shared set, dev-news, in test_eval_devnews.py). Skipped when ../shared is not beside the
repo, failed then under CI=true."""

from __future__ import annotations

import os
from typing import Any

import pytest

from scoring import EVAL, SCORER, score_documents

GOLD = EVAL / "seeds.gold.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def score(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not (SCORER.is_file() and GOLD.is_file()):
        reason = f"the shared evaluation is not available ({EVAL} has no score_timeline.py / seeds.gold.json)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI=true: the evaluation must run)", pytrace=False)
        pytest.skip(reason)
    return score_documents(GOLD, ["seeds"], tmp_path_factory.mktemp("eval"))


def test_f1(score: dict[str, Any]) -> None:
    assert score["f1"] == 1.0, score["_summary"]


def test_recall(score: dict[str, Any]) -> None:
    assert score["recall"] >= 0.90, score["missed_required"]


def test_precision(score: dict[str, Any]) -> None:
    assert score["precision"] >= 0.85, score["false_positive_titles"]


def test_date_exact(score: dict[str, Any]) -> None:
    assert score["date_exact"] >= 0.90, {k: v for k, v in score["per_event"].items() if not v["date_ok"]}


def test_source_recall(score: dict[str, Any]) -> None:
    assert score["source_recall"] >= 0.90, {k: v["docs_missing"] for k, v in score["per_event"].items()}


def test_merged(score: dict[str, Any]) -> None:
    assert score["merged"] == "3/3"
    assert score["merged_ratio"] == 1.0


def test_no_trap_hits(score: dict[str, Any]) -> None:
    assert score["trap_hits"] == 0, score["trap_details"]


def test_publication_dates(score: dict[str, Any]) -> None:
    assert score["publication_dates"]["correct"] == "5/5", score["publication_dates"]["rows"]
