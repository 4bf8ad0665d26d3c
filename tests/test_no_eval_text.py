"""No evaluation article's text in the repository: Dateline is judged on news it has never seen, so
its rules, vocabularies, docs and tests hold invented wording, never sentences of the shared
development articles (../shared/eval/dev-news), which would make a rule fit the evaluation set.

A run of :data:`RUN` words that a repository file shares with a dev-news article counts as copied
(case, punctuation and line breaks folded); shorter runs are common English ("the company said on
Monday"). Skipped when ../shared is not beside the repo, failed then under CI=true.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from scoring import EVAL, ROOT

#: words in a run that a file may not share with an evaluation article
RUN = 7
DEV_DOCS = EVAL / "dev-news" / "docs"
#: what is read: the package (code and data), the tests and their data, the docs
SCANNED = (
    "service/dateline/**/*.py",
    "service/dateline/data/*.json",
    "tests/**/*.py",
    "tests/data/**/*.json",
    "docs/*.md",
    "README.md",
)
_WORD = re.compile(r"[a-z0-9']+")


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_file_repeats_a_dev_news_article() -> None:
    articles = sorted(DEV_DOCS.glob("*.json"))
    if not articles:
        reason = f"the shared development articles are not available ({DEV_DOCS})"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI=true: the check must run)", pytrace=False)
        pytest.skip(reason)
    copied: set[tuple[str, ...]] = set()
    for path in articles:
        copied |= _runs(json.loads(path.read_text(encoding="utf-8"))["text"])
    found = {}
    for pattern in SCANNED:
        for path in sorted(ROOT.glob(pattern)):
            shared = _runs(path.read_text(encoding="utf-8")) & copied
            if shared:
                found[str(path.relative_to(ROOT))] = sorted(" ".join(r) for r in shared)[:3]
    assert not found, found


def test_the_check_finds_a_copied_run() -> None:
    """The comparison itself: a run of seven words matches across case, punctuation and line breaks."""
    article = _runs("The Mayor said, on Monday, that the old bridge would close.")
    assert _runs("the mayor said on\nMonday that the old bridge") & article
    assert not _runs("the mayor said on Monday that a new bridge") & article
