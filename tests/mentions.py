"""What tests of the extractor share: the mention of one trigger in a short text of our own."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateline.model import Document, Mention, Published


def mention(extractor: Any, text: str, trigger: str, published: date = date(2024, 11, 8)) -> Mention:
    """The first mention ``extractor`` finds in ``text`` whose trigger is the word ``trigger``."""
    doc = Document("doc", text, published=Published(published, "given"))
    found = [m for m in extractor.extract(doc).mentions if m.trigger.text == trigger]
    assert found, [(m.trigger.text, m.title) for m in extractor.extract(doc).mentions]
    return found[0]
