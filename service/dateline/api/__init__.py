"""The HTTP layer: a Flask 3 app factory over the store and the extractor.

This package is the only place that imports Flask. ``create_app`` builds one app per process: it
opens the store, loads the spaCy model once (before gunicorn forks its workers when preloaded) and,
if the store is empty, ingests the seed documents. Each route declares its OpenAPI operation beside
it (:mod:`dateline.views.openapi`); :func:`openapi_document` describes them without a store or model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

from dateline.api import (
    auth,
    budget,
    docs,
    documents,
    entities,
    errors,
    extract,
    health,
    jobs,
    metrics,
    observability,
    resources,
    timeline,
    widget,
)
from dateline.api.docs import describe
from dateline.settings import Settings, parse_value

_FIELDS = {f.name for f in fields(Settings)}


def settings_from_config(config: Mapping[str, Any]) -> Settings:
    """Settings from the environment, overridden by ``config["DATELINE"]`` (a Settings) and then by
    plain keys named like the environment variables (``DATELINE_STORE_PATH``) or the fields
    (``STORE_PATH``, ``store_path``); string values are parsed like the environment's."""
    base = config.get("DATELINE")
    if base is not None and not isinstance(base, Settings):
        raise TypeError(f"config['DATELINE'] must be a Settings, not {type(base).__name__}")
    settings = base if base is not None else Settings.from_env()
    overrides: dict[str, Any] = {}
    for key, value in config.items():
        name = key.lower().removeprefix("dateline_")
        if name not in _FIELDS or key == "DATELINE":
            continue
        if isinstance(value, str):
            value = parse_value(name, value)
        elif name == "store_path":
            value = Path(value)
        elif name in ("disable", "cors_origins", "api_tokens"):
            value = tuple(value)
        overrides[name] = value
    return replace(settings, **overrides) if overrides else settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` (for tests) is merged into ``app.config``; besides the settings keys
    it may hold ``DATELINE_EXTRACTOR``, an Extractor to reuse instead of loading the model again."""
    app = Flask(__name__)
    if config:
        app.config.update(config)
    settings = settings_from_config(app.config)
    app.config["DATELINE"] = settings
    # the contract's key order is the schemas' order, and text stays readable UTF-8
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    # bodies over the limit are refused (413) before they are read
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.url_map.strict_slashes = False

    if settings.proxy_hops:
        # the client address (rate limits) and own origin (cross-origin rule) come from the trusted
        # proxies' X-Forwarded-For/-Proto/-Host headers
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    errors.init_app(app)
    observability.init_app(app)
    budget.init_app(app, settings)  # DATELINE_REQUEST_TIMEOUT: 503 past it
    resources.init_app(app, settings, extractor=app.config.get("DATELINE_EXTRACTOR"))
    _init_cors(app, settings)
    auth.init_app(app, settings)  # tokens, origin and rate limits for writes (reads stay public)
    register_blueprints(app)
    return app


#: the routes, in the order the OpenAPI description lists them (by tag: timeline, documents,
#: extraction, service), then the widget's page and assets
BLUEPRINTS: tuple[Blueprint, ...] = (
    timeline.bp,
    entities.bp,
    documents.bp,
    jobs.bp,
    extract.bp,
    docs.bp,
    health.bp,
    metrics.bp,
    widget.bp,
)


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def openapi_document(settings: Settings | None = None) -> dict[str, Any]:
    """The OpenAPI document of the API's routes for ``settings`` (default: the default settings, as
    committed in ``schemas/openapi.json``), from the routes alone: no store, no model."""
    app = Flask(__name__)
    register_blueprints(app)
    return describe(app, settings or Settings())


def _init_cors(app: Flask, settings: Settings) -> None:
    """CORS for the API routes, for the configured origins only (none configured: no CORS headers).

    Browsers may read ETag, Link, Location, Retry-After, WWW-Authenticate and X-Request-ID, and send
    Authorization (a token for writes), If-None-Match and X-Request-ID. A page sending Authorization
    needs a preflight, which this configuration answers for the configured origins only.
    """
    if not settings.cors_origins:
        return
    from flask_cors import CORS

    origins = "*" if "*" in settings.cors_origins else list(settings.cors_origins)
    CORS(
        app,
        resources={r"/v1/*": {"origins": origins}},
        methods=["GET", "HEAD", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "If-None-Match", "X-Request-ID"],
        expose_headers=["ETag", "Link", "Location", "Retry-After", "WWW-Authenticate", "X-Request-ID"],
        max_age=600,
        vary_header=True,
    )


__all__ = ["create_app", "openapi_document", "settings_from_config"]
