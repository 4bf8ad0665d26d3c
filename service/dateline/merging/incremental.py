"""Re-merging only the part of the timeline a changed document can affect, with the same result as
merging everything again.

:func:`dateline.merging.cluster.merge_mentions` is greedy but local: a mention can only join a
cluster it :func:`~dateline.merging.linking.fits`, and every pair that could ever fit is *linked*
(:func:`~dateline.merging.linking.may_interact`). So the merge of all mentions is the union of the
merges of the link components, each component merged on its own. The one global input is the surname
map ("Macron" -> "Emmanuel Macron" when the corpus has one such full name), so a component is merged
with the corpus's surname map applied first (:func:`merge_component`), and a component that holds a
single name "Kim" and one of several full names ending in "Kim" must also hold the others (else the
merge would map "Kim" to the one it sees): :func:`~dateline.merging.names.ambiguous_surnames`
names those.

The store keeps the link terms of every mention in an index table and walks components with SQL; the
rules live in :mod:`dateline.merging.linking`, this module only merges a closed set as the full merge
would. The store rebuilds its index and events whenever the merging code changes
(:func:`dateline.fingerprint.merge_version`). ``tests/test_incremental.py`` checks, over random
corpora and random add/replace/delete sequences, that the stored timeline equals a full merge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from dateline.merging.cluster import merge_mentions
from dateline.merging.names import with_full_names
from dateline.model import Document, DocumentResult, Event, Mention


@dataclass
class MergedEvent:
    """An event and the stored mentions behind its sources (in source order)."""

    event: Event
    members: list[tuple[str, int]]


def merge_component(
    mentions: Mapping[tuple[str, int], Mention],
    documents: Mapping[str, Document],
    corpus_map: Mapping[str, str],
) -> list[MergedEvent]:
    """Merge a union of link components (``(document id, seq)`` -> mention) as the full merge would.

    ``corpus_map`` is the corpus's surname map; the caller has made the set closed under linking and
    under :func:`~dateline.merging.names.ambiguous_surnames`, so the merge's own surname map finds
    nothing more to map.
    """
    by_document: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for (doc_id, seq), mention in mentions.items():
        by_document[doc_id].append((seq, mention))
    origin: dict[int, tuple[str, int]] = {}
    results = []
    for doc_id in sorted(by_document):
        rewritten = []
        for seq, mention in sorted(by_document[doc_id], key=lambda item: item[0]):
            mapped = with_full_names(mention, corpus_map)
            origin[id(mapped)] = (doc_id, seq)
            rewritten.append(mapped)
        results.append(DocumentResult(documents[doc_id], rewritten))
    merged = []
    for event in merge_mentions(results):
        members = []
        for source in event.sources:
            key = origin.get(id(source.mention))
            if key is None:
                raise RuntimeError(
                    f"event {event.id}: a source is not one of the component's mentions "
                    "(the merge remapped a surname the component did not close over)"
                )
            members.append(key)
        merged.append(MergedEvent(event, members))
    return merged
