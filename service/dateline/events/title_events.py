"""The article's title read as a sentence of its own, for timelines that include reported events.

A headline tells the main event of its article ("Apple to lower UK iTunes prices", "Jobs unveils
iPhone 4"), often in words the body does not repeat. When the document's ``title`` is not part of its
text, the title is parsed alone and its events found as in the text (dated ones, then reported ones,
:mod:`dateline.events.reported`): each mention says ``field="title"`` and its quote, offsets, trigger
and date span point into the title. The title is not cleaned (a one-line text would be page furniture
to :func:`dateline.intake.clean.clean`), and the stated-date timeline never reads it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from dateline.events.mentions import find_mentions
from dateline.events.reported import find_reported
from dateline.intake.clean import Block, CleanText
from dateline.model import Document, Mention
from dateline.timex.tagger import scan

TITLE = "title"


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


#: a run of words joined by hyphens: a URL's slug ("acme-recalls-5000-cars")
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){3,}")


def readable_title(document: Document) -> str | None:
    """The title to read: a sentence the text does not hold already (a title detected from the text's
    first line is read there), not a URL's slug standing in for one; None without one."""
    title = document.title
    if not title or not title.strip():
        return None
    slugs = sum(len(m.group()) for m in _SLUG.finditer(title))
    if 2 * slugs >= len(title.strip()):
        return None
    folded = _fold(title)
    return None if not folded or folded in _fold(document.text) else title


def title_mentions(extractor: Any, document: Document) -> list[Mention]:
    """The events of ``document``'s title (see the module), found by ``extractor``'s pipeline and
    event finder; ``document`` is prepared (its publication date known)."""
    title = readable_title(document)
    if title is None or document.published.value is None:
        return []
    whole = len(title)
    ct = CleanText(original=title, text=title, offsets=list(range(whole)), blocks=[Block(0, whole, 0, whole)])
    sd = extractor.annotated([(ct, document.published.value, scan(title))])[0]
    alone = replace(document, text=title)
    stated = find_mentions(sd, alone, ct, extractor.finder)
    found = stated + find_reported(sd, alone, ct, extractor.finder, stated)
    return [replace(m, field=TITLE) for m in found]
