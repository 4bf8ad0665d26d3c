"""Vocabularies as data: every word list the extractor uses lives in ``dateline/data/*.json``."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Load ``data/<name>.json`` once; keys starting with ``_`` are documentation."""
    text = resources.files("dateline").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def alternation(words: object, *, abbreviations: bool = False) -> str:
    """A regex alternation of ``words``, longest first so that the regex engine prefers them.

    Spaces in a phrase match any run of white space (or a hyphen); with ``abbreviations`` a word
    that begins a longer one may carry a full stop ("Sept.", "Nov.").
    """
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    parts = []
    for w in items:
        p = re.escape(w).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]*")
        # an abbreviation is a word that begins a longer one: "Sept." (September), not "June"
        if abbreviations and any(o != w and o.startswith(w) for o in items):
            p += r"\.?"
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"
