"""The spaCy pipeline, loaded once per process by name (configurable through Settings.model)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

import dateline.component  # noqa: F401  (registers the components)
from dateline.settings import Settings


@cache
def _load(model: str, disable: tuple[str, ...]) -> Language:
    nlp = spacy.load(model, disable=list(disable))
    if "parser" in nlp.pipe_names and "dateline_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("dateline_paragraphs", before="parser")
    if "dateline_dates" not in nlp.pipe_names:
        nlp.add_pipe("dateline_dates", last=True)
    return nlp


def load_nlp(settings: Settings) -> Language:
    """The named pipeline with the ``dateline_dates`` tagger added (shared by every caller)."""
    return _load(settings.model, tuple(settings.disable))
