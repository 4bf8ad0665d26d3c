"""The app the serving benchmark runs: Dateline's own app plus one minimal reference endpoint.

    gunicorn --config gunicorn.conf.py --pythonpath bench 'bench_app:create_app()'

``create_app`` builds the real app with :func:`dateline.api.create_app` (same settings, same hooks,
same gunicorn configuration) and registers one more blueprint on it: ``GET /_bench/static``, which
returns a body computed once, before the workers fork: the bytes ``GET /v1/timeline`` returns for
the same store. The difference between the two endpoints is then exactly the work the timeline
route does per request (reading the store or its cache, filtering, paging, serialising), and not
Flask, gunicorn, the network or the size of the body.

The body is computed in a forked child of the master, so this module leaves no state behind in the
master: the workers start exactly as they would in production, where gunicorn.conf.py's ``pre_fork``
hook warms the read cache (the timeline and its default page) before each fork.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from flask import Blueprint, Flask, Response

STATIC_PATH = "/_bench/static"
TIMELINE_PATH = os.environ.get("DATELINE_BENCH_TIMELINE_PATH", "/v1/timeline")


def _timeline_body_in_child(app: Flask) -> tuple[bytes, str]:
    """GET the timeline through the app in a forked child; (body, content type)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer once, hand the bytes over, leave without cleanup handlers
        code = 0
        try:
            os.close(read_fd)
            response = app.test_client().get(TIMELINE_PATH)
            if response.status_code != 200:
                raise RuntimeError(f"GET {TIMELINE_PATH} answered {response.status_code}")
            header = (response.content_type or "application/json").encode() + b"\n"
            with os.fdopen(write_fd, "wb") as out:
                out.write(header + response.get_data())
        except BaseException as exc:
            print(f"bench_app: cannot precompute the timeline body: {exc!r}", file=sys.stderr)
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        raise RuntimeError("bench_app: the child that renders the timeline failed (see above)")
    content_type, _, body = data.partition(b"\n")
    return body, content_type.decode()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from dateline.api import create_app as dateline_app

    app = dateline_app(config)
    holder: dict[str, Any] = {}
    bp = Blueprint("bench", __name__)

    @bp.get(STATIC_PATH)
    def static() -> Response:
        return app.response_class(holder["body"], mimetype=holder["type"])

    app.register_blueprint(bp)  # before the first request: Flask refuses blueprints after it
    holder["body"], holder["type"] = _timeline_body_in_child(app)
    print(
        f"bench_app: {STATIC_PATH} serves {len(holder['body'])} bytes ({holder['type']})",
        file=sys.stderr,
        flush=True,
    )
    return app
