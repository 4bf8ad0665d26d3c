"""Who may write: bearer tokens, the origin of browser writes, and per-client rate limits.

Reads (GET, HEAD, OPTIONS) are public. Every other method is a write, and a write that reaches a
route is checked in this order:

1. **Rate limit** (``DATELINE_WRITE_RATE_LIMIT``, Flask-Limiter): one budget per client, keyed by its
   token when the token is valid, else by its address (so guessing tokens spends the guesser's budget).
   Over it: ``429`` and ``Retry-After``. Counters live in memory (per worker process), or in the Redis
   of ``DATELINE_QUEUE_URL`` when there is one (shared by every worker and machine).
2. **Origin**: a browser sends ``Origin`` with every cross-origin write, even one that needs no CORS
   preflight (a ``text/plain`` fetch in ``no-cors`` mode, a form post). A write whose ``Origin`` is
   neither the server's own nor in ``DATELINE_CORS_ORIGINS`` (or that has no ``Origin`` but
   ``Sec-Fetch-Site: cross-site``/``same-site``) is refused with ``403``: a page on another site
   cannot plant or delete documents, with or without tokens. Without tokens, a page's write to its own
   origin must also come by a loopback name (``localhost``, ``127.0.0.1``...), so that a page on a name
   whose DNS the attacker points at this machine (DNS rebinding) cannot pass for the server's own.
   Non-browser clients send no ``Origin``.
3. **Token** (``DATELINE_API_TOKENS`` set): ``Authorization: Bearer <token>``, compared in constant
   time (:func:`hmac.compare_digest`) with the SHA-256 digests the settings keep (never the tokens).
   Missing: ``401`` and ``WWW-Authenticate: Bearer realm="dateline"``; not one of them: ``401`` with
   ``error="invalid_token"`` (RFC 6750 section 3.1: a bad credential asks for another one; ``403`` is
   kept for what no credential changes, the cross-origin rule). ``POST /v1/extract`` stores nothing
   and is public with ``DATELINE_PUBLIC_EXTRACT=1``.

A request with no matching route keeps its own answer (404, 405). :func:`unauthenticated_bind` is the
start-up rule gunicorn.conf.py applies: without tokens, listen on loopback only unless told otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.errors import RateLimitExceeded
from limits import parse_many

from dateline.api.errors import ApiProblem, handle_api_problem
from dateline.settings import TOKEN_DIGEST_PREFIX, Settings, SettingsError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REALM = "dateline"
#: endpoints that store nothing, public with DATELINE_PUBLIC_EXTRACT=1
EXTRACT_ENDPOINTS = frozenset({"extract.extract"})
_EXTENSION = "dateline.auth"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class WritePolicy:
    """What a write needs on this app (built once from the settings)."""

    digests: tuple[str, ...]  # hex SHA-256 digests of the accepted tokens
    public_extract: bool
    any_origin: bool  # DATELINE_CORS_ORIGINS holds "*"
    origins: frozenset[str]  # the other allowed origins, normalised
    limiter: Limiter | None


def init_app(app: Flask, settings: Settings) -> None:
    """Check every write before its view runs: rate limit, origin, token (in that order)."""
    limiter = _init_limiter(app, settings) if settings.write_rate_limit.strip() else None
    origins = {_normalise_origin(o) for o in settings.cors_origins if o != "*"}
    app.extensions[_EXTENSION] = WritePolicy(
        digests=tuple(t.removeprefix(TOKEN_DIGEST_PREFIX) for t in settings.api_tokens),
        public_extract=settings.public_extract,
        any_origin="*" in settings.cors_origins,
        origins=frozenset(o for o in origins if o),
        limiter=limiter,
    )
    app.before_request(_guard)  # after the limiter's own hook, which init_app above registered
    app.register_error_handler(RateLimitExceeded, _too_many_writes)


def _policy() -> WritePolicy:
    policy: WritePolicy = current_app.extensions[_EXTENSION]
    return policy


# --- tokens ------------------------------------------------------------------------------------------


def _bearer() -> str | None:
    """The token of an ``Authorization: Bearer`` header; None without one (or with another scheme)."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def _matches(digest: str, accepted: Iterable[str]) -> bool:
    """Whether ``digest`` is one of ``accepted``; every one is compared, each in constant time."""
    found = False
    for candidate in accepted:
        found |= hmac.compare_digest(digest, candidate)
    return found


def _valid_token() -> str | None:
    """The digest of the request's token when it is an accepted one (computed once per request)."""
    if "dateline_token" not in g:
        token = _bearer()
        accepted = _policy().digests
        digest = _digest(token) if token is not None and accepted else None
        g.dateline_token = digest if digest is not None and _matches(digest, accepted) else None
    result: str | None = g.dateline_token
    return result


def _unauthorized(slug: str, detail: str, challenge: str) -> Response:
    response = handle_api_problem(ApiProblem(slug, detail))
    response.headers["WWW-Authenticate"] = challenge
    return response


def _check_token(policy: WritePolicy) -> Response | None:
    if not policy.digests or (policy.public_extract and request.endpoint in EXTRACT_ENDPOINTS):
        return None
    if _valid_token() is not None:
        return None
    if _bearer() is None:
        scheme = request.headers.get("Authorization", "").strip().partition(" ")[0][:20]
        got = ""
        if scheme.lower() == "bearer":
            got = " (the Authorization header given has no token)"
        elif scheme:
            got = f" (the Authorization header given uses the {scheme} scheme)"
        return _unauthorized(
            "unauthorized",
            f"{request.method} {request.path} needs a token: send `Authorization: Bearer <token>` with a "
            f"token from DATELINE_API_TOKENS{got}. Reads (GET) need none.",
            f'Bearer realm="{REALM}"',
        )
    return _unauthorized(
        "invalid-token",
        "The bearer token is not accepted: it matches none of DATELINE_API_TOKENS.",
        f'Bearer realm="{REALM}", error="invalid_token", error_description="the token is not accepted"',
    )


# --- origin --------------------------------------------------------------------------------------------


def _normalise_origin(value: str) -> str | None:
    """``scheme://host[:port]`` in lower case without a default port; None for ``null`` or garbage."""
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname  # lower case, an IPv6 address without its brackets
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port and port != _DEFAULT_PORTS[scheme] else "")


def _is_loopback_name(host: str) -> bool:
    """``localhost`` (or a name under it) or a loopback address literal; no name is resolved."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_origin(policy: WritePolicy) -> Response | None:
    origin = request.headers.get("Origin")
    if origin is None:
        site = request.headers.get("Sec-Fetch-Site", "").lower()
        if site in ("cross-site", "same-site"):
            return handle_api_problem(
                ApiProblem(
                    "cross-origin-write",
                    f"A browser write from another site (Sec-Fetch-Site: {site}) without an Origin "
                    "header is refused.",
                )
            )
        return None
    normalised = _normalise_origin(origin)
    own = _normalise_origin(f"{request.scheme}://{request.host}")
    if normalised is not None and (policy.any_origin or normalised in policy.origins):
        return None
    if normalised is not None and normalised == own:
        if policy.digests or _is_loopback_name(urlsplit(normalised).hostname or ""):
            return None
        # The own origin is only as good as the Host header: a page on a name the attacker's DNS
        # points at this machine (DNS rebinding) is "same-origin". Without tokens, a browser may
        # write to this server by a loopback name only (or from a listed origin).
        return handle_api_problem(
            ApiProblem(
                "cross-origin-write",
                f"A browser write to this server by the name {request.host[:200]!r} is refused: without "
                "DATELINE_API_TOKENS, pages may write only through localhost or a loopback address, "
                "or from an origin in DATELINE_CORS_ORIGINS.",
            )
        )
    return handle_api_problem(
        ApiProblem(
            "cross-origin-write",
            f"Writes from a page on {origin[:200]!r} are refused: that origin is neither this server's "
            f"({own}) nor in DATELINE_CORS_ORIGINS.",
        )
    )


def _guard() -> Response | None:
    """before_request: reads pass; a write is refused (a problem response) or let through (None)."""
    if request.method in SAFE_METHODS or request.routing_exception is not None:
        return None
    policy = _policy()
    return _check_origin(policy) or _check_token(policy)


# --- rate limits ---------------------------------------------------------------------------------------


def _client_key() -> str:
    """The rate-limit bucket: the token's digest when the token is accepted, else the client address
    (the socket's peer, or the X-Forwarded-For hop that DATELINE_PROXY_HOPS trusts)."""
    digest = _valid_token()
    return f"token:{digest[:32]}" if digest else f"addr:{request.remote_addr or 'unknown'}"


def _is_read() -> bool:
    return request.method in SAFE_METHODS


def _storage_uri(settings: Settings) -> str:
    url = settings.queue_url.strip()
    if not url:
        return "memory://"
    return "redis+unix://" + url.removeprefix("unix://") if url.startswith("unix://") else url


def _init_limiter(app: Flask, settings: Settings) -> Limiter:
    rate = settings.write_rate_limit.strip()
    try:
        parse_many(rate)
    except ValueError:
        raise SettingsError(
            f"DATELINE_WRITE_RATE_LIMIT must be like 60/minute or 10/second;500/hour, not {rate!r}"
        ) from None
    writes = ApplicationLimit(
        limit_provider=rate, scope="writes", key_function=_client_key, exempt_when=_is_read
    )
    limiter = Limiter(
        _client_key,
        application_limits=[writes],
        storage_uri=_storage_uri(settings),
        strategy="moving-window",
        key_prefix="dateline",
        # Redis down: count in this process's memory until it is back, rather than refuse every write
        in_memory_fallback=[writes],  # type: ignore[list-item]  # a Limit is taken as it is
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=False,
    )
    limiter.init_app(app)
    return limiter


def _too_many_writes(exc: RateLimitExceeded) -> Response:
    limiter = _policy().limiter
    current = limiter.current_limit if limiter is not None else None
    retry = max(1, math.ceil(current.window.reset_time - time.time())) if current is not None else 60
    response = handle_api_problem(
        ApiProblem(
            "rate-limited",
            f"Too many writes from this client: the limit is {exc.limit.limit} "
            f"(DATELINE_WRITE_RATE_LIMIT). Retry in {retry} seconds.",
        )
    )
    response.headers["Retry-After"] = str(retry)
    return response


# --- the start-up rule ---------------------------------------------------------------------------------


def is_loopback(address: object) -> bool:
    """Whether a listening address is reachable from this machine only: a Unix socket path, or a
    (host, port, ...) tuple whose host is a loopback address or a name that resolves to loopback only."""
    if isinstance(address, (str, bytes)):
        return True  # a Unix socket: the file's permissions decide who connects
    if not isinstance(address, tuple) or not address:
        return False
    host = str(address[0]).strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(
        ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos
    )


def unauthenticated_bind(addresses: Iterable[object], settings: Settings) -> list[object]:
    """The addresses that break the start-up rule: non-loopback ones when no token is set and the
    operator did not allow it (DATELINE_ALLOW_UNAUTHENTICATED_BIND)."""
    if settings.api_tokens or settings.allow_unauthenticated_bind:
        return []
    return [a for a in addresses if not is_loopback(a)]


__all__ = [
    "SAFE_METHODS",
    "WritePolicy",
    "init_app",
    "is_loopback",
    "unauthenticated_bind",
]
