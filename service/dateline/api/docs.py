"""``/v1/openapi.json`` (the OpenAPI 3.1 description) and ``/docs`` (Swagger UI over it).

The description is built from the app's URL map: each route that carries an
:class:`~dateline.views.openapi.Operation` is one operation, at the route's path and method.

Swagger UI's files come from the ``swagger-ui-bundle-v2`` package (a dependency), served from this
process: the page works offline and loads nothing from a CDN. The page holds no inline script (its
set-up is ``/docs/init.js``), so a strict Content-Security-Policy applies.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, send_from_directory, url_for

from dateline.api.resources import get_resources
from dateline.api.responses import json_response
from dateline.settings import Settings
from dateline.views.openapi import (
    JsonBody,
    Operation,
    Route,
    TextBody,
    build_openapi,
    operation_of,
    undocumented,
)

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


#: where an app keeps its description once built (its routes and settings do not change)
SPEC_EXTENSION = "dateline.openapi"
#: the methods every route answers besides its own (Flask adds them), which the description leaves out
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})


def openapi_path(rule: str) -> str:
    """A Werkzeug rule as an OpenAPI path: ``/v1/documents/<doc_id>`` is ``/v1/documents/{doc_id}``."""
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule)


def documented_routes(app: Flask) -> list[Route]:
    """The app's routes whose view carries an Operation, in URL map order (blueprints as registered,
    routes as defined)."""
    routes = []
    for rule in app.url_map.iter_rules():
        operation = operation_of(app.view_functions[rule.endpoint])
        if operation is None:
            continue
        methods = sorted(set(rule.methods or ()) - IMPLICIT_METHODS)
        if len(methods) != 1:
            raise ValueError(f"{rule.endpoint}: one Operation describes one method, not {methods}")
        routes.append(Route(openapi_path(rule.rule), methods[0].lower(), operation))
    return routes


def describe(app: Flask, settings: Settings) -> dict[str, Any]:
    """The OpenAPI document of ``app``'s routes for ``settings``."""
    return build_openapi(documented_routes(app), settings)


def _served_spec() -> dict[str, Any]:
    extensions = current_app.extensions
    if SPEC_EXTENSION not in extensions:
        extensions[SPEC_EXTENSION] = describe(current_app, get_resources().settings)
    spec: dict[str, Any] = extensions[SPEC_EXTENSION]
    return spec


@bp.get("/v1/openapi.json")
@Operation("getOpenApi", tag="service", summary="This description", responses={200: JsonBody("OpenAPI 3.1")})
def openapi_json() -> Response:
    response = json_response(_served_spec())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs")
@Operation(
    "getDocs",
    tag="service",
    summary="Swagger UI over this description (local assets, works offline)",
    responses={200: TextBody("HTML page", "text/html")},
)
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
@undocumented  # an asset of the /docs page
def docs_init() -> Response:
    response = Response(_INIT, mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs/<name>")
@undocumented  # an asset of the /docs page
def docs_asset(name: str) -> Response:
    if name not in SWAGGER_ASSETS:
        abort(404, description=f"No Swagger UI file {name!r}; the page is at /docs.")
    response = send_from_directory(swagger_ui_folder(), name, mimetype=SWAGGER_ASSETS[name], max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
