"""The embeddable timeline widget: ``GET /`` (a page rendering this service's timeline), ``/widget.js``
and ``/widget.css`` (``/page.css`` is the page's own frame).

Every asset is a file of the package (``dateline/static/``, package data), served as it is: no CDN
and no build step. Any page embeds the timeline with two lines::

    <div data-dateline="https://host/v1/timeline?actor=North%20Korea"></div>
    <script src="https://host/widget.js"></script>

The assets are public and meant for other sites: they say so (``Cross-Origin-Resource-Policy:
cross-origin``, and ``Access-Control-Allow-Origin: *`` for pages that load them with ``crossorigin``
or integrity checks). The API itself answers another origin only when ``DATELINE_CORS_ORIGINS``
allows it.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, render_template_string, request, send_file

from dateline.views.openapi import undocumented

bp = Blueprint("widget", __name__)

#: the package's static folder
STATIC = Path(__file__).resolve().parent.parent / "static"

#: browsers revalidate the assets (ETag) after five minutes, so a new release shows up quickly
ASSET_MAX_AGE = 300

#: the page runs only this service's script and style, and talks only to this service
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)


def _asset(name: str, mimetype: str) -> Response:
    response = send_file(STATIC / name, mimetype=mimetype, max_age=ASSET_MAX_AGE, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/")
@undocumented  # a page for people, not part of the API
def index() -> Response:
    """A page with the widget over this service's whole timeline, and the embed snippet."""
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    # render_template_string autoescapes: the host name in the snippet is text, never markup
    response = Response(render_template_string(template, root=request.url_root), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/widget.js")
@undocumented  # a page asset
def widget_js() -> Response:
    return _asset("widget.js", "text/javascript")


@bp.get("/widget.css")
@undocumented  # a page asset
def widget_css() -> Response:
    return _asset("widget.css", "text/css")


@bp.get("/page.css")
@undocumented  # a page asset
def page_css() -> Response:
    """The frame of the service's own page (embeds need only widget.css)."""
    return _asset("page.css", "text/css")
