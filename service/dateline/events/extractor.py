"""Documents in, dated event mentions out: the spaCy pipeline run over whole texts, in parts and batches.

Cleaning, the publication date and the title come from :mod:`dateline.intake`; the date tagger and
the event rules (:mod:`dateline.events.mentions`) read each text as one document, however it was cut
for the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise

from spacy.tokens import Doc

from dateline import budget
from dateline.events.mentions import find_mentions
from dateline.events.nlp import DATES, load_nlp
from dateline.events.reported import find_reported
from dateline.events.title_events import title_mentions
from dateline.events.triggers import EventFinder
from dateline.intake.clean import Block, CleanText, clean
from dateline.intake.documents import DocumentError
from dateline.intake.published import detect_publisher, detect_title, publication
from dateline.model import Document, DocumentResult
from dateline.settings import Settings
from dateline.timex.tagger import Scan, scan

#: the longest text spaCy reads in one piece. A longer one is parsed in parts cut at paragraph breaks
#: (inside a longer paragraph, after a sentence's end) and the parts joined again before the dates
#: are tagged, so the date tagger and the event rules still see one document. The model's time per
#: character grows past about 100,000 characters, and the time budget is checked between parts.
PART_CHARS = 20_000
#: the most characters one spaCy batch carries (a batch also holds at most Settings.batch_size
#: documents), so that a request's time budget is checked every second or so
BATCH_CHARS = 40_000
#: the longest run without white space spaCy's tokenizer reads as one piece. Its affix loop copies
#: and searches the rest of a token for every prefix or suffix it strips, so it is quadratic in a
#: token's length ("(" repeated 10,000 times took 8 s); a longer run is tokenized in pieces of this
#: many characters. No word is this long (a long URL may be, and is then split; it dates nothing).
MAX_TOKEN_CHARS = 100
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")


class Extractor:
    """Documents in, dated event mentions out (see :func:`find_mentions` for the rules).

    Time grows linearly with the length of a text (long texts are parsed in parts of
    :data:`PART_CHARS`), and the work stops at the next stage when the current time budget
    (:mod:`dateline.budget`, set per HTTP request) has run out.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = load_nlp(self.settings)  # the shared pipeline, the date tagger included
        self.nlp.max_length = max(self.nlp.max_length, self.settings.max_text_chars + 1)
        self.finder = EventFinder()
        self.part_chars = PART_CHARS
        self.batch_chars = BATCH_CHARS

    def prepare(self, doc: Document) -> tuple[Document, CleanText, Scan]:
        """Clean the text, scan it for dates (once: for the publication date here, for the date
        tagger in :meth:`extract_many`) and fill in the metadata the caller did not give."""
        if len(doc.text) > self.settings.max_text_chars:
            raise DocumentError(
                f"document {doc.id!r} has {len(doc.text):,} characters; "
                f"the limit is {self.settings.max_text_chars:,} (DATELINE_MAX_TEXT_CHARS)"
            )
        ct = clean(doc.text)
        budget.check("cleaning the text")
        dates = scan(ct.text)
        published = publication(doc, ct, dates)
        budget.check("finding the publication date")
        return (
            replace(
                doc,
                published=published,
                title=doc.title or detect_title(doc, ct),
                publisher=doc.publisher or detect_publisher(doc),
            ),
            ct,
            dates,
        )

    def extract(self, doc: Document, *, reported: bool = False) -> DocumentResult:
        return self.extract_many([doc], reported=reported)[0]

    def extract_many(self, docs: Iterable[Document], *, reported: bool = False) -> list[DocumentResult]:
        """Each document's dated mentions; with ``reported``, its reported events after them
        (:mod:`dateline.events.reported`, for timelines that include them)."""
        prepared = [self.prepare(d) for d in docs]
        results = []
        parsed = self.annotated([(ct, d.published.value, dates) for d, ct, dates in prepared])
        for (d, ct, _), sd in zip(prepared, parsed, strict=True):
            mentions = find_mentions(sd, d, ct, self.finder)
            if reported:
                mentions += find_reported(sd, d, ct, self.finder, mentions)
                mentions += title_mentions(self, d)  # the title, read as a sentence of its own
            results.append(DocumentResult(d, mentions))
        return results

    def annotated(self, texts: list[tuple[CleanText, date | None, Scan]]) -> list[Doc]:
        """Each cleaned text parsed (:meth:`_parse`), then through the date tagger (and whatever
        follows it) whole, which resolves the text's date ``Scan`` against its reference date."""
        names = self.nlp.pipe_names
        late = names[names.index(DATES) :] if DATES in names else []
        out = []
        for (_, dct, dates), sd in zip(texts, self._parse([ct for ct, _, _ in texts], late), strict=True):
            sd._.dct = dct
            sd._.timex_scan = dates  # the date tagger resolves the scan made before the parse
            for name in late:
                sd = self.nlp.get_pipe(name)(sd)
                budget.check(f"running {name}")
            out.append(sd)
        return out

    def make_doc(self, text: str) -> Doc:
        """``text`` tokenized, a run of more than :data:`MAX_TOKEN_CHARS` characters without white
        space in pieces of that many (the Doc's text is ``text`` all the same)."""
        pieces: list[str] = []
        pos = 0
        for run in _LONG_RUN.finditer(text):
            pieces.append(text[pos : run.start()])
            pieces += [
                text[i : min(i + MAX_TOKEN_CHARS, run.end())]
                for i in range(run.start(), run.end(), MAX_TOKEN_CHARS)
            ]
            pos = run.end()
        if not pieces:
            return self.nlp.make_doc(text)
        pieces.append(text[pos:])
        docs = [self.nlp.make_doc(piece) for piece in pieces if piece]
        return _joined(docs)

    def _parse(self, texts: list[CleanText], late: list[str]) -> list[Doc]:
        """Each cleaned text through the pipeline up to the date tagger (``late`` left out): in parts
        of at most ``part_chars``, batched by ``batch_chars``, a long text's parts joined again."""
        units = [
            (i, part)
            for i, ct in enumerate(texts)
            for part in split_parts(ct.text, ct.blocks, self.part_chars)
        ]
        parsed: list[list[Doc]] = [[] for _ in texts]
        for batch in _batches(units, self.settings.batch_size, self.batch_chars):
            docs = [self.make_doc(text) for _, text in batch]
            for (i, _), sd in zip(
                batch, self.nlp.pipe(docs, batch_size=len(docs), disable=late), strict=True
            ):
                parsed[i].append(sd)
            budget.check("parsing the text")
        return [parts[0] if len(parts) == 1 else _joined(parts) for parts in parsed]


def _joined(docs: list[Doc]) -> Doc:
    """Consecutive pieces of one text as one Doc: their texts joined as they are (no space added),
    their annotations kept, not their tensors (nothing after the parse reads them)."""
    exclude = ["spans", "tensor", "user_data"]
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=exclude)  # type: ignore[call-arg]  # stub lags


#: where a part may end inside a paragraph: after a sentence's final punctuation and white space
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’')\]]*\s+")


def split_parts(text: str, blocks: Sequence[Block], limit: int) -> list[str]:
    """``text`` cut into consecutive parts of at most ``limit`` characters (joined, they are the
    text): at the start of a paragraph (``blocks``), and inside a longer paragraph after the last
    sentence end in the second half of the part, else after the last space, else at the limit."""
    if len(text) <= limit:
        return [text]
    cuts: list[int] = []
    start = 0
    for block in blocks:
        if block.end - start > limit and block.start > start:
            start = block.start
            cuts.append(start)
        while block.end - start > limit:
            start = _cut(text, start, start + limit)
            cuts.append(start)
    return [text[a:b] for a, b in pairwise([0, *cuts, len(text)]) if b > a]


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a part that may run from ``start`` to ``end`` (always after ``start``)."""
    last = None
    for last in _SENTENCE_BREAK.finditer(text, start + (end - start) // 2, end):  # noqa: B007
        pass
    if last is not None:
        return last.end()
    space = text.rfind(" ", start + 1, end)
    return space + 1 if space > start else end


def _batches(units: list[tuple[int, str]], size: int, chars: int) -> Iterator[list[tuple[int, str]]]:
    """Consecutive runs of ``units`` of at most ``size`` units and ``chars`` characters (or one unit)."""
    batch: list[tuple[int, str]] = []
    total = 0
    for unit in units:
        if batch and (len(batch) >= size or total + len(unit[1]) > chars):
            yield batch
            batch, total = [], 0
        batch.append(unit)
        total += len(unit[1])
    if batch:
        yield batch
