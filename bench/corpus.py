"""The real-article corpus the extraction and ingestion figures (and hotspots.py) replicate: the seed
articles and the test articles, copied as often as a figure needs documents."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness import ROOT


def base_paths() -> list[Path]:
    """The seed articles and the test articles (files that are not a document, e.g. the gold
    annotations, are skipped)."""
    from dateline.intake.documents import DocumentError, load_file  # children only (see harness)

    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/data/articles").glob("*.json"))
    out = []
    for p in paths:
        try:
            load_file(p)
        except DocumentError:
            continue
        out.append(p)
    return out


def replicated_documents(n: int) -> list[Any]:
    """``n`` documents cycling through the base articles; each copy has its own id and a distinct
    last line, so no cache keyed by text and no duplicate-content check can tell them apart."""
    from dateline.intake.documents import load_file  # children only (see harness)

    base = [load_file(p) for p in base_paths()]
    return [
        replace(
            base[i % len(base)],
            id=f"{base[i % len(base)].id}-b{i:03d}",
            text=_copy_text(base[i % len(base)].text, i),
        )
        for i in range(n)
    ]


def _copy_text(text: str, i: int) -> str:
    return f"{text.rstrip()}\n\nBench copy {i}.\n"


def write_replicated_files(folder: Path, n: int) -> int:
    """The same ``n`` documents as files (.txt for plain articles, .json with their metadata)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = base_paths()
    for i in range(n):
        src = paths[i % len(paths)]
        if src.suffix == ".json":
            data = json.loads(src.read_text(encoding="utf-8"))
            data["id"] = f"{data.get('id', src.stem)}-b{i:03d}"
            data["text"] = _copy_text(data["text"], i)
            (folder / f"{data['id']}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        else:
            text = _copy_text(src.read_text(encoding="utf-8"), i)
            (folder / f"{src.stem}-b{i:03d}.txt").write_text(text, encoding="utf-8")
    return n


def write_prose_files(folder: Path, n: int, chars: int = 3000) -> int:
    """``n`` distinct news-like documents of about ``chars`` characters (``synthetic.article_prose``:
    dated reports over one real-world cast, so every document is about the same story), as .txt
    files. No two are near-copies, so the store's duplicate check folds none of them."""
    from synthetic import article_prose  # children only (see harness)

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"prose-{i:05d}.txt").write_text(article_prose(chars, seed=1000 + i), encoding="utf-8")
    return n
