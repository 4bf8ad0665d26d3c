"""The HTTP layer: a Flask 3 app factory over the store and the extractor.

This package is the only place that imports Flask. ``create_app`` builds one app per process: it
opens the store, loads the spaCy model once (before gunicorn forks its workers when preloaded) and,
if the store is empty, ingests the seed documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from flask import Flask

from ..settings import Settings
from . import documents, errors, health, resources, timeline

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
            value = getattr(Settings.from_env({f"DATELINE_{name.upper()}": value}), name)
        elif name == "store_path":
            value = Path(value)
        elif name == "disable":
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

    errors.init_app(app)
    resources.init_app(app, settings, extractor=app.config.get("DATELINE_EXTRACTOR"))
    app.register_blueprint(health.bp)
    app.register_blueprint(timeline.bp)
    app.register_blueprint(documents.bp)
    from .widget import bp as widget_bp  # GET /, /widget.js, /widget.css (issue 5)

    app.register_blueprint(widget_bp)
    return app


__all__ = ["create_app", "settings_from_config"]
