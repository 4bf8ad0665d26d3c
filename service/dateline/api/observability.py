"""Request ids, one structured access-log line per request, and request metrics.

A client may send ``X-Request-ID`` (letters, digits, ``. _ : -``; up to 128); otherwise one is made.
Either way it comes back in the response header and is in every log line written while serving the
request (:data:`dateline.logs.REQUEST_ID`), so an error report can be found in the logs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from dateline.api.errors import check_request_size
from dateline.api.metrics import observe_request
from dateline.logs import REQUEST_ID

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

access_log = logging.getLogger("dateline.access")


def _start() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    g.request_id_token = REQUEST_ID.set(g.request_id)


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is None:  # a failure before _start ran
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    seconds = time.perf_counter() - g.request_started
    route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    observe_request(request.method, route, response.status_code, seconds)  # labels bounded there
    access_log.info(
        "%s %s %s",
        request.method,
        request.full_path.rstrip("?"),
        response.status_code,
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
            "remote": request.remote_addr,
            "bytes": response.calculate_content_length(),
        },
    )
    return response


def _reset(_exc: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        try:
            REQUEST_ID.reset(token)
        except ValueError:  # torn down in another context than the request ran in
            REQUEST_ID.set(None)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    # after _start: a refused request is logged and counted with its request id like any other
    app.before_request(check_request_size)
    app.after_request(_finish)
    app.teardown_request(_reset)
