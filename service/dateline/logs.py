"""Structured logs: one JSON object per line, carrying the request id of the request being served.

The web layer sets :data:`REQUEST_ID` for the duration of a request (from ``X-Request-ID`` or a new
one), so every line logged while serving it, by any module, can be tied to that request and to the
client's own logs. Nothing here imports Flask.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: the id of the request this thread is serving (None outside a request)
REQUEST_ID: ContextVar[str | None] = ContextVar("dateline_request_id", default=None)

#: attributes every LogRecord has; anything else was passed with ``extra=`` and is logged as a field
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}

PLAIN_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "pid", "message", "request_id"?, ...extra fields, "exception"?}``."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            payload["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in payload and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def make_formatter(json_lines: bool) -> logging.Formatter:
    return JsonFormatter() if json_lines else logging.Formatter(PLAIN_FORMAT, "%Y-%m-%d %H:%M:%S %z")


def configure(level: str = "info", *, json_lines: bool = True, stream: Any = None) -> logging.Logger:
    """Send the ``dateline`` loggers to ``stream`` (stderr) in the chosen format; idempotent."""
    logger = logging.getLogger("dateline")
    for handler in list(logger.handlers):
        if getattr(handler, "_dateline", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._dateline = True  # type: ignore[attr-defined]
    handler.setFormatter(make_formatter(json_lines))
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
    return logger
