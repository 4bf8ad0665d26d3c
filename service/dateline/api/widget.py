"""The embeddable timeline widget: ``GET /`` (a page rendering this service's timeline), ``/widget.js``
and ``/widget.css``.

Every asset is a file of the package (``dateline/static/``), served as it is: no CDN and no build step.
Any page embeds the timeline with two lines::

    <div data-dateline="https://host/v1/timeline?actor=North%20Korea"></div>
    <script src="https://host/widget.js"></script>
"""

from __future__ import annotations

from importlib import resources

from flask import Blueprint, Response, render_template_string, request, send_file

bp = Blueprint("widget", __name__)

#: the package's static folder (a real directory: the package is installed from source or a wheel)
STATIC = resources.files("dateline") / "static"

#: the assets are small and change with releases: browsers revalidate them after five minutes (ETag)
ASSET_MAX_AGE = 300

#: the page loads only its own scripts and styles, and talks only to this service
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)


def _asset(name: str, mimetype: str) -> Response:
    path = STATIC / name
    response = send_file(str(path), mimetype=mimetype, max_age=ASSET_MAX_AGE, conditional=True, etag=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/")
def index() -> Response:
    """A page with the widget over this service's whole timeline and the embed snippet."""
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    html = render_template_string(template, origin=request.host_url.rstrip("/"))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/widget.js")
def widget_js() -> Response:
    return _asset("widget.js", "text/javascript")


@bp.get("/widget.css")
def widget_css() -> Response:
    return _asset("widget.css", "text/css")
