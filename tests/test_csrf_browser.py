"""Cross-site request forgery in a real browser: a page on another origin cannot plant documents.

gunicorn (the repo's gunicorn.conf.py) runs on loopback without tokens, the default a developer runs;
two tiny page servers on other loopback ports play a site that is not allowed and one listed in
``DATELINE_CORS_ORIGINS``. Headless Debian Chromium (Playwright, as in test_widget_browser.py) opens
each site's page, which sends the API what needs no CORS preflight: a ``fetch`` in ``no-cors`` mode
with a ``text/plain`` body, and a ``text/plain`` form post. The allowed site's requests store their
documents (so the browser does reach the API and would store); the other site's store nothing.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from chromium import launched_chromium
from test_auth_server import call, ready, spawn
from test_server import Server, free_port, stop

pytestmark = pytest.mark.slow

TEXT = "Kim Jong Un met Vladimir Putin in Vladivostok on 13 September 2023, state media said."


@contextmanager
def page_server(pages: dict[str, str]) -> Iterator[str]:
    """A site on another loopback port serving ``pages`` (path -> HTML); yields its origin."""
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    @Request.application
    def serve(request: Request) -> Response:
        if request.path not in pages:
            return Response("not found", status=404)
        return Response(pages[request.path], mimetype="text/html")

    server = make_server("127.0.0.1", 0, serve, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def attack_page(api: str, name: str) -> str:
    """A page that posts a document to the API as a form (text/plain) when asked to."""
    action = html.escape(f"{api}/v1/documents?id={name}-form", quote=True)
    return (
        "<!doctype html><html><head><title>a site</title></head><body>"
        f'<form id="plant" method="POST" enctype="text/plain" action="{action}">'
        f'<input type="hidden" name="text" value="{html.escape(TEXT, quote=True)}"></form>'
        "</body></html>"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as instance:
        yield instance


def test_a_page_on_another_origin_cannot_plant_documents(tmp_path: Path, browser: Any) -> None:
    evil_pages: dict[str, str] = {}
    friend_pages: dict[str, str] = {}
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        evil = stack.enter_context(page_server(evil_pages))
        friend = stack.enter_context(page_server(friend_pages))
        env = {"DATELINE_BIND": f"127.0.0.1:{port}", "DATELINE_CORS_ORIGINS": friend}
        proc = spawn(tmp_path, "csrf", env)
        stack.callback(lambda: proc.poll() is None and stop(Server(proc, port, tmp_path, tmp_path)))
        server = ready(proc, port, tmp_path, "csrf")
        evil_pages["/"] = attack_page(api, "evil")
        friend_pages["/"] = attack_page(api, "friend")
        outcomes = {}
        for name, origin in (("evil", evil), ("friend", friend)):
            context = browser.new_context()
            page = context.new_page()
            page.goto(origin + "/")
            # a fetch that needs no preflight: its response is opaque to the page, but it is sent
            kind = page.evaluate(
                """async ([url, text]) => {
                    const response = await fetch(url, {
                        method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: text,
                    });
                    return response.type;
                }""",
                [f"{api}/v1/documents?id={name}-fetch", TEXT + f" ({name}, fetch)"],
            )
            assert kind == "opaque"
            # a form post: the page navigates to the API's answer
            with page.expect_navigation() as navigation:
                page.evaluate("document.getElementById('plant').submit()")
            outcomes[name] = navigation.value.status
            context.close()
        stored = {d["id"] for d in server.json("/v1/documents")["documents"]}
        assert outcomes == {"evil": 403, "friend": 201}
        assert stored == {"friend-fetch", "friend-form"}, "the other origin planted nothing"
        status, _, _ = call(server, "GET", "/v1/documents/evil-fetch")
        assert status == 404
        log = server.log_path.read_text(encoding="utf-8")
        assert "writes (POST, DELETE) are open to anyone who reaches" in log and "loopback only" in log
