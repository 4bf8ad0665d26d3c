"""The events an entity takes part in, for ``GET /v1/entities/{id}/timeline``.

An event is on an entity's timeline when one of its sources has the entity (a name of it, or a
pronoun or description that refers to it) as an argument of the trigger in the parse of its document
(:mod:`dateline.merging.targets`), not when the sentence merely names it. The store keeps no parses:
the documents that name the entity (and their titles, in a timeline that reads titles) are parsed on
request, under the extractor's lock and within the request's time budget, and the parses are kept per
process (the last :data:`PARSES` texts).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from flask import current_app
from spacy.tokens import Doc

from dateline import budget
from dateline.api.resources import Resources, get_resources
from dateline.events.title_events import readable_title
from dateline.merging.entities import Entity
from dateline.merging.targets import name_pattern, particles, target_filter
from dateline.model import Event, Mention, Timeline
from dateline.views.semeval import MentionIds

#: how many documents' parses a process keeps
PARSES = 512


class _ParseCache:
    def __init__(self, size: int = PARSES) -> None:
        self.lock = threading.Lock()
        self.docs: OrderedDict[tuple[str, str, int, str], Doc] = OrderedDict()
        self.size = size


def _cache() -> _ParseCache:
    cache: _ParseCache = current_app.extensions.setdefault("dateline.parses", _ParseCache())
    return cache


def _parses(res: Resources, texts: Sequence[tuple[str, str, str]]) -> dict[tuple[str, str], Doc]:
    """Each (document id, field, text) parsed, by (document id, field): from the cache, else now (see
    the module)."""
    cache, version = _cache(), res.extractor_version()
    out: dict[tuple[str, str], Doc] = {}
    missing: list[tuple[tuple[str, str, int, str], str]] = []
    with cache.lock:
        for doc_id, where, text in texts:
            key = (doc_id, where, hash(text), version)
            if key in cache.docs:
                cache.docs.move_to_end(key)
                out[doc_id, where] = cache.docs[key]
            else:
                missing.append((key, text))
    if not missing:
        return out
    with res.extractor_turn() as extractor:
        nlp = extractor.nlp
        make = getattr(extractor, "make_doc", nlp.make_doc)
        for key, text in missing:
            parsed = nlp(make(text))
            parsed.tensor = parsed.tensor[:0]  # the roles read no vectors: keep the parse small
            out[key[0], key[1]] = parsed
            with cache.lock:
                cache.docs[key] = parsed
                while len(cache.docs) > cache.size:
                    cache.docs.popitem(last=False)
            budget.check("parsing the entity's documents")
    return out


def participation(entity: Entity, timeline: Timeline) -> tuple[Callable[[Mention], bool], MentionIds]:
    """Whether a mention of ``timeline`` has ``entity`` taking part in its event, and the SemEval
    mention ids of the timeline's documents (a phrasal verb's particle joined to its trigger). The
    titles are parsed too when the timeline reads them (its events have title mentions)."""
    pattern = name_pattern(entity.name, entity)
    naming = [d for d in timeline.documents if pattern.search(d.text) or pattern.search(d.title or "")]
    wanted = [(d.id, "text", d.text) for d in naming]
    if any(s.mention.field == "title" for e in timeline.events for s in e.sources):
        wanted += [(d.id, "title", title) for d in naming if (title := readable_title(d))]
    parsed = _parses(get_resources(), wanted)
    parses = {doc_id: doc for (doc_id, where), doc in parsed.items() if where == "text"}
    title_parses = {doc_id: doc for (doc_id, where), doc in parsed.items() if where == "title"}
    titles = {d.id: d.title or "" for d in naming}
    keep = target_filter(entity.name, entity, parses, titles, title_parses)
    texts = {d.id: d.text for d in timeline.documents}
    ids = MentionIds({}, texts, lambda m: particles(parses, m, title_parses))
    return keep, ids


def taking_part(events: Sequence[Event], keep: Callable[[Mention], bool]) -> list[Event]:
    """The events (order kept) one of whose sources ``keep`` takes."""
    return [e for e in events if any(keep(s.mention) for s in e.sources)]
