"""The same report once: a copy of an article is found by its address or by its text.

Outlets and feeds post one article several times: at another address (tracking parameters, ``http``
and ``https``, ``www.``, a trailing slash), as an HTML page whose ``<link rel=canonical>`` names the
address another posting was given with, or with a line added or dropped (a footer, a correction
note). Counted twice, such a copy would make one outlet's report look like two independent sources.

A document is a copy of an earlier one when (checked in this order):

1. ``text``: its text is the same;
2. ``url``: one of its addresses (``url``, ``canonical_url``) is, once normalised
   (:func:`url_key`), one of the earlier document's (its own, its canonical one, or one it was
   already seen at, ``also_at``);
3. ``similar-text``: the Jaccard similarity of the two texts' word shingles (:data:`SHINGLE_WORDS`
   consecutive words of the cleaned text, case-folded) is at least :data:`SIMILARITY`.

Comparing a text with every stored text would grow with the store, so candidates are found through an
index: MinHash signatures (:data:`PERMUTATIONS` hash functions) cut into :data:`BANDS` bands (locality
sensitive hashing). Two texts share a band with a probability of ``1 - (1 - s**ROWS)**BANDS`` at
similarity ``s``: 0.9999 at 0.9, about 0.06 at 0.5. Only the few documents sharing a band are compared
exactly, so a lookup costs the same in a store of ten documents or of a hundred thousand. The keys
(:func:`document_keys`) are what the store indexes, and what the in-memory :class:`CopyIndex` of the
no-store path indexes.

MinHash is written here on numpy rather than taken from ``datasketch``: the store keeps the bands in
its own tables (SQLite or PostgreSQL, shared by processes and machines), where datasketch's LSH index
(in memory, Redis or Cassandra) cannot live, and importing datasketch imports SciPy (0.4 s and about
70 MB per process) for parameter tuning we do not need.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import zlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import numpy as np

from dateline.intake.clean import clean
from dateline.model import COPY_MATCHES, Copy, Document

#: how a copy was recognised (``Copy.match``), in the order the checks run
MATCH_TEXT, MATCH_URL, MATCH_SIMILAR = COPY_MATCHES

#: words per shingle: an edited word changes this many shingles; a line added adds about as many
#: shingles as it has words. On dev-news (25 articles, five stories, 4-5 outlets each) the most
#: similar two different articles score 0.16 (3 and 5 words per shingle: 0.19 and 0.15); each article
#: with an 18-word line of prose added scores 0.89 to 0.98 against itself (0.94 on average: only the
#: shortest, of 150 words, falls below the threshold). A page-furniture line (copyright, "first
#: published") is dropped by the cleaning and changes nothing
SHINGLE_WORDS = 4
#: the Jaccard similarity of shingle sets from which two texts are one report (set by the issue)
SIMILARITY = 0.9
#: MinHash hash functions, cut into BANDS bands of ROWS rows (see the module docstring)
PERMUTATIONS = 128
BANDS = 16
ROWS = PERMUTATIONS // BANDS
#: at most this many candidates (those sharing the most bands) are compared exactly
MAX_CANDIDATES = 20

#: prefixes of the stored keys: a normalised address, or a band of the text's signature
URL_KEY = "url:"
BAND_KEY = "band:"

#: query parameters that say how a reader came, not what the page is (analytics and ad click ids,
#: newsletter and social sharing tags): dropped from the normalised address
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "ref", "ref_src", "ref_url",
        "referrer", "cmp", "cmpid", "ocid", "smid", "soc_src", "soc_trk", "sr_share", "s_cid", "ito",
        "traffic_source",
    }
)  # fmt: skip
#: prefixes of tracking parameters (Google's utm_, Matomo's mtm_ and pk_, AT Internet's at_,
#: comScore's ns_, ...)
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "at_", "hsa_", "itm_", "ns_", "__s")

_WORD = re.compile(r"\w+")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
#: a Mersenne prime above every 32-bit hash: (a * x + b) mod P is a universal hash family
_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
# fixed coefficients (a, b below 2**31: a * x + b stays below 2**64 for 32-bit x), so that every
# process and every release with this module computes the same signatures
_RNG = np.random.default_rng(20240619)
_A = _RNG.integers(1, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
_B = _RNG.integers(0, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
#: shingles hashed per step: bounds the work array (CHUNK x PERMUTATIONS) for the longest texts
_CHUNK = 4096

C = TypeVar("C", bound=Hashable)


# --- addresses ------------------------------------------------------------------------------------


def _escape(match: re.Match[str]) -> str:
    """A percent escape as one spelling: an unreserved character plain, anything else upper-case."""
    char = chr(int(match.group()[1:], 16))
    return char if char in _UNRESERVED else match.group().upper()


def _path(path: str) -> str:
    """The path without dot segments, empty segments and a trailing slash ("" for the root)."""
    out: list[str] = []
    for segment in _ESCAPE.sub(_escape, path).split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if out:
                out.pop()
            continue
        out.append(segment)
    return "".join("/" + s for s in out)


def _tracking(name: str) -> bool:
    lowered = name.casefold()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def _query(query: str) -> str:
    """The query without tracking parameters, sorted, with one spelling of each escape."""
    pairs = sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _tracking(k))
    return urlencode(pairs, quote_via=quote)


def _host(host: str, port: int | None) -> str:
    with contextlib.suppress(UnicodeError):  # not a valid international name: compared as given
        host = host.encode("idna").decode("ascii")
    host = host.rstrip(".").removeprefix("www.")
    return f"{host}:{port}" if port not in (None, 80, 443) else host


def url_key(url: str | None) -> str | None:
    """The address ``url`` names, spelt one way: http and https alike, the host in lower case without
    ``www.``, a default port or a trailing dot, the path without dot segments, doubled or trailing
    slashes, the query sorted and without tracking parameters (``utm_*``, ``fbclid`` ...), no fragment.
    None for anything that is no http(s) address with a host."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a malformed port or IPv6 literal
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    key = _host(parts.hostname, port) + _path(parts.path)
    query = _query(parts.query)
    return f"{key}?{query}" if query else key


def addresses(doc: Document) -> list[str]:
    """The normalised addresses ``doc`` is known at: its url, its canonical url and its copies'."""
    urls = [doc.url, doc.canonical_url, *(c.url for c in doc.also_at)]
    return list(dict.fromkeys(k for k in map(url_key, urls) if k is not None))


# --- texts ----------------------------------------------------------------------------------------


def shingles(text: str) -> frozenset[int]:
    """The text's shingles (hashed): every run of :data:`SHINGLE_WORDS` words of the cleaned text
    (page furniture dropped, see :func:`dateline.intake.clean.clean`), case-folded. A text of fewer
    words is one shingle."""
    words = _WORD.findall(clean(text).text.casefold()) or _WORD.findall(text.casefold())
    if len(words) <= SHINGLE_WORDS:
        runs: Iterable[str] = [" ".join(words)]
    else:
        runs = (" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
    return frozenset(zlib.crc32(run.encode("utf-8")) for run in runs)


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """The Jaccard similarity of two shingle sets."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def bands(shingle_set: frozenset[int]) -> list[str]:
    """The text's LSH band keys: each band of its MinHash signature, hashed."""
    values = np.fromiter(shingle_set, dtype=np.uint64, count=len(shingle_set))
    if not len(values):
        values = np.zeros(1, dtype=np.uint64)
    signature = np.full(PERMUTATIONS, _MAX_HASH, dtype=np.uint64)
    for i in range(0, len(values), _CHUNK):
        hashed = (np.outer(values[i : i + _CHUNK], _A) + _B) % _PRIME & _MAX_HASH
        np.minimum(signature, hashed.min(axis=0), out=signature)
    signature = signature.astype("<u4")
    return [
        f"{i:02d}"
        + hashlib.blake2b(signature[i * ROWS : (i + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
        for i in range(BANDS)
    ]


@dataclass(frozen=True)
class TextPrint:
    """What the copy checks need of a text: its shingles and its band keys."""

    shingles: frozenset[int]
    bands: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> TextPrint:
        found = shingles(text)
        return cls(found, tuple(bands(found)))


def document_keys(doc: Document, text: TextPrint | None = None) -> set[str]:
    """The keys a store indexes ``doc`` under: its normalised addresses and its text's bands."""
    text = text or TextPrint.of(doc.text)
    return {URL_KEY + key for key in addresses(doc)} | {BAND_KEY + band for band in text.bands}


def keys_version() -> str:
    """Changes whenever :func:`document_keys` could give other keys for the same document: this
    module, and the cleaning the shingles are taken from (its code and its patterns). A store
    rebuilds its keys when it differs from the one they were made with."""
    digest = hashlib.sha256()
    root = resources.files("dateline")
    for name in ("intake/duplicates.py", "intake/clean.py", "data/boilerplate.json"):
        digest.update(name.encode() + b"\0" + root.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


# --- copies ---------------------------------------------------------------------------------------


def copy_of(doc: Document, match: str) -> Copy:
    """``doc`` as a copy of another document: where it was posted, by whom, how it was recognised."""
    return Copy(url=doc.url, publisher=doc.publisher, title=doc.title, match=match)


def with_copy(kept: Document, copy: Copy) -> tuple[Copy, ...] | None:
    """``kept.also_at`` with ``copy`` added, or None when it tells nothing new: its address is one
    ``kept`` is known at, or (without an address) its publisher is one ``kept`` already names."""
    key = url_key(copy.url)
    if key is not None:
        if key in addresses(kept):
            return None
    else:
        known = {p.casefold() for p in (kept.publisher, *(c.publisher for c in kept.also_at)) if p}
        if not copy.publisher or copy.publisher.casefold() in known:
            return None
    return (*kept.also_at, copy)


@dataclass
class CopyIndex:
    """The documents seen so far, indexed by text, address and band: the no-store path's (and a
    batch's) copy finder. :meth:`fold` keeps the first posting of each report and records the others
    on it (``also_at``)."""

    documents: list[Document] = field(default_factory=list)
    _texts: dict[str, int] = field(default_factory=dict)
    _keys: dict[str, list[int]] = field(default_factory=dict)
    _prints: list[TextPrint] = field(default_factory=list)

    def find(self, doc: Document, text: TextPrint | None = None) -> tuple[int, str] | None:
        """The position of the document ``doc`` is a copy of, and how it matched; None if none."""
        if doc.text in self._texts:
            return self._texts[doc.text], MATCH_TEXT
        for key in addresses(doc):
            for index in self._keys.get(URL_KEY + key, ()):
                return index, MATCH_URL
        text = text or TextPrint.of(doc.text)
        shared: dict[int, int] = {}
        for band in text.bands:
            for index in self._keys.get(BAND_KEY + band, ()):
                shared[index] = shared.get(index, 0) + 1
        best = best_candidate(text, ((i, self._prints[i]) for i in top_candidates(shared)))
        return (best, MATCH_SIMILAR) if best is not None else None

    def _index(self, index: int, keys: Iterable[str]) -> None:
        for key in keys:
            holders = self._keys.setdefault(key, [])
            if index not in holders:
                holders.append(index)

    def add(self, doc: Document, text: TextPrint | None = None) -> None:
        """Index ``doc`` as a report of its own."""
        text = text or TextPrint.of(doc.text)
        index = len(self.documents)
        self.documents.append(doc)
        self._prints.append(text)
        self._texts.setdefault(doc.text, index)
        self._index(index, document_keys(doc, text))

    def record(self, found: tuple[int, str], doc: Document) -> Document:
        """Record ``doc`` as a copy of the document ``found`` names (its address indexed too), and
        return that document."""
        index, match = found
        kept = self.documents[index]
        also_at = with_copy(kept, copy_of(doc, match))
        if also_at is not None:
            kept.also_at = also_at
            self._index(index, (URL_KEY + key for key in addresses(kept)))
        return kept

    def fold(self, doc: Document) -> Document | None:
        """Add ``doc``; when it is a copy of a document added before, record it there and return that
        document, else None."""
        text = TextPrint.of(doc.text)
        found = self.find(doc, text)
        if found is not None:
            return self.record(found, doc)
        self.add(doc, text)
        return None


def top_candidates(shared: Mapping[C, int]) -> list[C]:
    """The candidates sharing the most bands, at most :data:`MAX_CANDIDATES`, most shared first (then
    in their own order, so the choice is the same on every run)."""
    ranked = sorted(shared.items(), key=lambda item: -item[1])  # stable: ties keep insertion order
    return [candidate for candidate, _ in ranked[:MAX_CANDIDATES]]


def best_candidate(text: TextPrint, candidates: Iterable[tuple[C, TextPrint]]) -> C | None:
    """The candidate most similar to ``text`` (the first of equals), if that reaches
    :data:`SIMILARITY`."""
    best: C | None = None
    best_score = -1.0
    for candidate, other in candidates:
        score = similarity(text.shingles, other.shingles)
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score >= SIMILARITY else None


def fold_copies(documents: Sequence[Document]) -> list[Document]:
    """``documents`` one per report, in order: each copy recorded on the first posting it copies."""
    index = CopyIndex()
    for doc in documents:
        index.fold(doc)
    return index.documents
