"""``/v1/openapi.json`` (the OpenAPI 3.1 description) and ``/docs`` (Swagger UI over it).

Swagger UI's files come from the ``swagger-ui-bundle-v2`` package (a dependency), served from this
process: the page works offline and loads nothing from a CDN. The page holds no inline script (its
set-up is ``/docs/init.js``), so a strict Content-Security-Policy applies.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, send_from_directory, url_for

from ..openapi import openapi_document
from .resources import get_resources
from .responses import json_response

bp = Blueprint("docs", __name__)

#: the Swagger UI files the page uses (nothing else from the bundle folder is served)
SWAGGER_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Dateline API</title>
  <link rel="stylesheet" href="{css}">
  <link rel="icon" type="image/png" href="{icon}">
</head>
<body>
  <div id="swagger-ui" data-spec-url="{spec}"></div>
  <script src="{bundle}"></script>
  <script src="{preset}"></script>
  <script src="{init}"></script>
</body>
</html>
"""

_INIT = """window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    validatorUrl: null
  });
});
"""


def swagger_ui_folder() -> Path:
    from swagger_ui_bundle import swagger_ui_path

    return Path(str(swagger_ui_path))


@cache
def _spec(settings_key: Any) -> dict[str, Any]:
    return openapi_document(settings_key)


@bp.get("/v1/openapi.json")
def openapi_json() -> Response:
    response = json_response(_spec(get_resources().settings))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs")
def docs_page() -> Response:
    page = _PAGE.format(
        css=url_for("docs.docs_asset", name="swagger-ui.css"),
        icon=url_for("docs.docs_asset", name="favicon-32x32.png"),
        bundle=url_for("docs.docs_asset", name="swagger-ui-bundle.js"),
        preset=url_for("docs.docs_asset", name="swagger-ui-standalone-preset.js"),
        init=url_for("docs.docs_init"),
        spec=url_for("docs.openapi_json"),
    )
    response = Response(page, mimetype="text/html")
    response.headers["Content-Security-Policy"] = DOCS_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/docs/init.js")
def docs_init() -> Response:
    response = Response(_INIT, mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs/<name>")
def docs_asset(name: str) -> Response:
    if name not in SWAGGER_ASSETS:
        abort(404, description=f"No Swagger UI file {name!r}; the page is at /docs.")
    response = send_from_directory(swagger_ui_folder(), name, mimetype=SWAGGER_ASSETS[name], max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
