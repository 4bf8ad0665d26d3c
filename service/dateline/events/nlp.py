"""The spaCy pipeline, loaded once per process by name (configurable through Settings.model).

This is the one place where Dateline's own components join the model's pipeline: paragraph breaks
before the parser, the date tagger last, and the words a prefix joins kept whole ("re-elected").
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer

import dateline.timex.component  # noqa: F401  (registers the components)
from dateline.settings import Settings
from dateline.vocab import load

#: the date tagger's name in the pipeline (the extractor runs it, and what follows it, on whole texts)
DATES = "dateline_dates"
PARAGRAPHS = "dateline_paragraphs"


@cache
def _load(model: str, disable: tuple[str, ...]) -> Language:
    nlp = spacy.load(model, disable=list(disable))
    # a pipeline saved with Dateline's components already has them
    if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    if DATES not in nlp.pipe_names:
        nlp.add_pipe(DATES, last=True)
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for word in load("triggers")["prefixed_words"]:  # "re-elected" stays one verb
            for form in (word, word.capitalize()):
                tokenizer.add_special_case(form, [{ORTH: form}])
    return nlp


def load_nlp(settings: Settings) -> Language:
    """The named pipeline with the ``dateline_dates`` tagger added (shared by every caller)."""
    return _load(settings.model, tuple(settings.disable))
