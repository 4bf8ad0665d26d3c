"""The timeline widget (GET /, /widget.js, /widget.css) in a real browser: headless Debian Chromium
driven by Playwright for Python.

The app runs on 127.0.0.1 (a free port, in a thread) over a temporary store seeded from the repo's
``seeds/``. Chromium is installed by ``scripts/ensure-chromium.sh`` when missing (as root); the
browser tests skip, saying why, only when it cannot be installed. Pages that are not the service's
own (an embedding page, a fake API with 2,000 events, a failing API) are answered by Playwright's
request routing, so nothing but the app's own port is ever contacted.

Screenshots go to ``test-output/``; ``DATELINE_UPDATE_SCREENSHOT=1`` also copies the seeds timeline
to ``docs/screenshot.png`` (the README's picture).

The filter checks compare the widget with the API for the same query parameters; a check whose
parameter the API ignores (same count with and without it) is skipped, saying so, and turns on by
itself once the API filters. Likewise the ETag, CORS, paging and problem checks skip while the API
lacks the feature (the widget's side of each is also checked against a fake API).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dateline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium"))
ENSURE_CHROMIUM = ROOT / "scripts" / "ensure-chromium.sh"
OUTPUT = ROOT / "test-output"
SCREENSHOT_DOC = ROOT / "docs" / "screenshot.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
#: generous budgets (ms): the machines are shared, these catch a widget that is slow, not a busy host
RENDER_BUDGET_MS = 4000
READY_BUDGET_MS = 10000
INTERACTION_BUDGET_MS = 1500
#: console messages a test that provokes a failing request expects from Chromium itself
NETWORK_NOISE = ("Failed to load resource", "net::ERR_")


# --- server ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def widget_app(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Any:
    """The app over a fresh store seeded with all of the repo's seeds (the shared model is reused)."""
    from dateline.api import create_app

    store = tmp_path_factory.mktemp("widget-store") / "dateline.sqlite3"
    settings = Settings(store_path=store, seed_path=str(ROOT / "seeds"))
    # CORS for any origin, so that a page on another origin can embed it (ignored by an app without it)
    config = {"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor}
    return create_app({**config, "DATELINE_CORS_ORIGINS": "*"})


@pytest.fixture(scope="session")
def live_url(widget_app: Any) -> Iterator[str]:
    """The app served on 127.0.0.1 from a thread; yields its base URL (no trailing slash)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, widget_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="widget-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def other_origin() -> Iterator[tuple[str, dict[str, str]]]:
    """A second server on 127.0.0.1 (another port, so another origin) serving the HTML pages a test
    puts in the dict: a third-party site that embeds the widget. A real server rather than request
    routing, since Chromium treats a routed page as public and keeps it away from loopback addresses."""
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    pages: dict[str, str] = {}

    @Request.application
    def serve(request: Request) -> Response:
        if request.path not in pages:
            return Response("not found", status=404)
        return Response(pages[request.path], mimetype="text/html")

    server = make_server("127.0.0.1", 0, serve, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="embed-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", pages
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def api_get(base: str, path: str, params: list[tuple[str, str]] | None = None) -> tuple[int, Any, Any]:
    """(status, JSON body, headers) of a GET on the live server."""
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        return exc.code, data, exc.headers


@pytest.fixture(scope="session")
def seeds_timeline(live_url: str) -> dict[str, Any]:
    status, body, _ = api_get(live_url, "/v1/timeline")
    assert status == 200
    assert body["count"] == len(body["events"]) > 3, "the seeds should give several events"
    return body


# --- browser --------------------------------------------------------------------------------------


def _ensure_chromium() -> str | None:
    """None when Chromium is there (installing it if needed and possible), else why it is not."""
    if CHROMIUM.exists():
        return None
    try:
        proc = subprocess.run(
            ["sh", str(ENSURE_CHROMIUM)],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
            env={**os.environ, "DATELINE_CHROMIUM": str(CHROMIUM)},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{CHROMIUM} is missing and {ENSURE_CHROMIUM.name} could not run: {exc}"
    if CHROMIUM.exists():
        return None
    output = (proc.stderr or proc.stdout).strip().splitlines()
    return f"{CHROMIUM} is missing and could not be installed: {' / '.join(output[-3:]) or proc.returncode}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is missing: pip install -e '.[dev]'"
    )
    missing = _ensure_chromium()
    if missing:
        pytest.skip(missing)
    manager = sync_api.sync_playwright().start()
    try:
        instance = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
    except Exception:
        manager.stop()
        raise
    try:
        yield instance
    finally:
        instance.close()
        manager.stop()


class Tab:
    """A page plus what it logged: console errors and uncaught exceptions."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type in ("error", "assert"):
            self.errors.append(f"console.{message.type}: {message.text}")

    def real_errors(self, expect_network_failures: bool = False) -> list[str]:
        if not expect_network_failures:
            return self.errors
        return [e for e in self.errors if not any(noise in e for noise in NETWORK_NOISE)]

    def settled(self) -> int:
        value = self.page.get_attribute("[data-dateline]", "data-settled")
        return int(value or 0)

    def wait_settled(self, after: int = 0, state: str = "ready") -> None:
        """Wait for the widget to finish a load started after ``after`` settlements."""
        self.page.wait_for_function(
            """([after]) => {
                const root = document.querySelector('[data-dateline]');
                return root && Number(root.dataset.settled || 0) > after && root.dataset.state !== 'loading';
            }""",
            arg=[after],
            timeout=30_000,
        )
        assert self.page.get_attribute("[data-dateline]", "data-state") == state, self.message()

    def message(self) -> str:
        return self.page.inner_text(".dl-message") if self.page.is_visible(".dl-message") else ""

    def rendered(self) -> int:
        return int(self.page.locator(".dl-list > .dl-event").count())

    def query(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.page.url).query, keep_blank_values=True)

    def screenshot(self, name: str, **kwargs: Any) -> Path:
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / name
        self.page.screenshot(path=str(path), **kwargs)
        return path


@pytest.fixture
def open_tab(browser: Any) -> Iterator[Callable[..., Tab]]:
    """Opens pages in fresh contexts (a viewport each); everything is closed after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None) -> Tab:
        context = browser.new_context(viewport=viewport or DESKTOP, device_scale_factor=1)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return Tab(context.new_page())

    yield make
    for context in contexts:
        context.close()


def embed_page(script: str, data_dateline: str, extra: str = "") -> str:
    """A third-party page embedding the widget with the two-line snippet (no stylesheet link)."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<link rel='icon' href='data:,'><title>Embed</title></head><body>"
        f"<h1>Somebody's page</h1>{extra}<div data-dateline='{data_dateline}'></div>"
        f"<script src='{script}'></script></body></html>"
    )


def route_html(tab: Tab, url: str, html: str) -> None:
    tab.page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- serving the assets (no browser needed) -------------------------------------------------------


def test_assets_are_package_data() -> None:
    import dateline

    static = Path(dateline.__file__).resolve().parent / "static"
    for name in ("widget.js", "widget.css", "index.html"):
        assert (static / name).is_file(), name
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"static/*"' in pyproject


def test_page_and_assets_are_served(client: Any) -> None:
    page = client.get("/", base_url="https://dateline.example")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'data-dateline="v1/timeline"' in html
    assert '<script src="widget.js">' in html
    # the embed snippet names this host, escaped as text
    assert '&lt;div data-dateline="https://dateline.example/v1/timeline"&gt;' in html
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp

    js = client.get("/widget.js")
    assert js.status_code == 200 and js.mimetype == "text/javascript"
    assert "data-dateline" in js.get_data(as_text=True)
    assert js.headers["X-Content-Type-Options"] == "nosniff"
    etag = js.headers["ETag"]
    assert client.get("/widget.js", headers={"If-None-Match": etag}).status_code == 304

    css = client.get("/widget.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert ".dl-root" in css.get_data(as_text=True)


def test_widget_never_parses_source_text_as_html() -> None:
    source = (ROOT / "service" / "dateline" / "static" / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, sink


# --- the seeds timeline in the browser ------------------------------------------------------------


def test_seeds_timeline_renders_every_event(
    open_tab: Callable[..., Tab], live_url: str, seeds_timeline: dict[str, Any]
) -> None:
    tab = open_tab()
    tab.page.goto(live_url + "/")
    tab.wait_settled()
    count = seeds_timeline["count"]
    assert tab.rendered() == count
    assert tab.page.inner_text(".dl-status").startswith(f"{count} event")
    ids = tab.page.eval_on_selector_all(".dl-list > .dl-event", "items => items.map(i => i.dataset.id)")
    assert ids == [e["id"] for e in seeds_timeline["events"]]

    # dates at their precision, type labels, source badges, uncertain and conflicting dates marked
    first = seeds_timeline["events"][0]
    row = tab.page.locator(f".dl-event[data-id='{first['id']}']")
    assert row.locator(".dl-date").inner_text() == first["date"]["display"]
    assert row.locator(".dl-badge").inner_text().startswith(str(first["source_count"]))
    labels = tab.page.locator(".dl-list .dl-type").all_inner_texts()
    assert len(labels) == count and all(labels)
    uncertain = [
        e for e in seeds_timeline["events"] if e["date"]["modifier"] not in (None, "START", "MID", "END")
    ]
    assert tab.page.locator(".dl-event.dl-uncertain").count() == len(uncertain)
    conflicting = [e for e in seeds_timeline["events"] if e["date"]["alternatives"]]
    assert tab.page.locator(".dl-event.dl-conflict").count() == len(conflicting)

    # the time axis is drawn
    assert tab.page.eval_on_selector(".dl-canvas", "c => c.width > 0 && c.height > 0")
    assert "event" in (tab.page.get_attribute(".dl-canvas", "aria-label") or "")

    path = tab.screenshot("widget-seeds.png")
    if os.environ.get("DATELINE_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT_DOC.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, SCREENSHOT_DOC)
    assert tab.real_errors() == []


def test_clicking_an_event_shows_its_sources_with_the_date_highlighted(
    open_tab: Callable[..., Tab], live_url: str, seeds_timeline: dict[str, Any]
) -> None:
    def date_in_quote(source: dict[str, Any]) -> bool:
        return bool(source["start"] <= source["date_start"] and source["date_end"] <= source["end"])

    candidates = [e for e in seeds_timeline["events"] if all(date_in_quote(s) for s in e["sources"])]
    event = max(candidates, key=lambda e: e["source_count"])
    tab = open_tab()
    tab.page.goto(live_url + "/")
    tab.wait_settled()
    tab.page.click(f".dl-event[data-id='{event['id']}'] .dl-event-btn")
    dialog = tab.page.locator("dialog.dl-dialog")
    dialog.wait_for(state="visible")
    assert tab.page.inner_text(".dl-dialog-title") == event["title"]
    sources = dialog.locator(".dl-source")
    assert sources.count() == event["source_count"] == len(event["sources"])
    for i, source in enumerate(event["sources"]):
        item = sources.nth(i)
        # the quote is the verbatim text, and the date expression is marked inside it
        assert item.locator("blockquote.dl-quote").text_content() == source["quote"]
        assert item.locator("mark.dl-date-expr").text_content() == source["date_text"]
        heading = item.locator(".dl-source-title").inner_text()
        assert heading == (source["title"] or source["document_id"])
        meta = item.locator(".dl-source-meta").inner_text()
        if source["publisher"]:
            assert source["publisher"] in meta
        if source["published"]["value"]:
            assert (
                item.locator(".dl-published time").get_attribute("datetime") == source["published"]["value"]
            )
        if source["url"]:
            assert item.locator("a").get_attribute("href") == source["url"]
    assert tab.page.evaluate("document.activeElement.closest('dialog') !== null")
    tab.screenshot("widget-sources.png")

    tab.page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert tab.page.evaluate("document.activeElement.closest('.dl-event').dataset.id") == event["id"]

    # a date given in an earlier sentence is shown beside the quote, not inside it
    outside = [(e, s) for e in seeds_timeline["events"] for s in e["sources"] if not date_in_quote(s)]
    if outside:
        other, source = outside[0]
        tab.page.click(f".dl-event[data-id='{other['id']}'] .dl-event-btn")
        dialog.wait_for(state="visible")
        assert source["date_text"] in dialog.locator(".dl-date-note").first.inner_text()
        tab.page.keyboard.press("Escape")
    assert tab.real_errors() == []


def test_keyboard_navigation(
    open_tab: Callable[..., Tab], live_url: str, seeds_timeline: dict[str, Any]
) -> None:
    tab = open_tab()
    page = tab.page
    page.goto(live_url + "/")
    tab.wait_settled()
    count = seeds_timeline["count"]
    active = "(document.activeElement.closest('.dl-event') || {dataset: {index: -1}}).dataset.index * 1"

    page.focus(".dl-refresh")
    page.keyboard.press("Tab")
    assert page.evaluate(active) == 0
    # one tab stop for the whole list (roving tabindex), with a visible focus ring
    assert page.locator(".dl-event-btn[tabindex='0']").count() == 1
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == 2
    page.keyboard.press("End")
    assert page.evaluate(active) == count - 1
    page.keyboard.press("Home")
    assert page.evaluate(active) == 0
    page.keyboard.press("ArrowUp")
    assert page.evaluate(active) == 0
    assert page.locator(".dl-event-btn[tabindex='0']").count() == 1

    dialog = page.locator("dialog.dl-dialog")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    dialog.wait_for(state="visible")
    assert page.get_attribute(".dl-event[data-index='1'] .dl-event-btn", "aria-expanded") == "true"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate(active) == 1
    page.keyboard.press(" ")
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate(active) == 1

    # the type filters are buttons that keyboard users press too
    page.focus(".dl-type-toggle[data-type='other']")
    page.keyboard.press("Enter")
    assert page.get_attribute(".dl-type-toggle[data-type='other']", "aria-pressed") == "true"
    assert tab.real_errors() == []


def test_phone_width_has_no_horizontal_overflow(
    open_tab: Callable[..., Tab], live_url: str, seeds_timeline: dict[str, Any]
) -> None:
    tab = open_tab(PHONE)
    page = tab.page
    page.goto(live_url + "/")
    tab.wait_settled()
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) <= 0
    assert tab.rendered() == seeds_timeline["count"]
    tab.screenshot("widget-375.png")
    page.click(".dl-summary")  # the filters fold away on a phone
    page.locator(".dl-filters").wait_for(state="visible")
    assert page.evaluate(overflow) <= 0
    tab.screenshot("widget-375-filters.png", full_page=True)
    page.click(".dl-event-btn >> nth=0")
    dialog = page.locator("dialog.dl-dialog")
    dialog.wait_for(state="visible")
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate(overflow) <= 0
    tab.screenshot("widget-375-sources.png")
    assert tab.real_errors() == []


# --- filters --------------------------------------------------------------------------------------


def _pick_filters(timeline: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """A value per filter that should keep some but not all of the seeds' events."""
    events = timeline["events"]
    n = len(events)
    types = Counter(e["type"] for e in events)
    type_ = next(t for t, c in types.most_common() if c < n)
    actors = Counter(a for e in events for a in set(e["actors"]))
    actor = next(a for a, c in actors.most_common() if c <= n / 2)
    words = Counter(
        w.lower()
        for e in events
        for w in {w.strip(".,'’\"()") for w in e["title"].split()}
        if len(w.strip(".,'’\"()")) >= 6 and w.strip(".,'’\"()").isalpha()
    )
    word = next(w for w, c in words.most_common() if c < n)
    years = sorted(int(e["date"]["start"][:4]) for e in events)
    from_year, to_year = years[n // 2], years[(3 * n) // 4]
    return {
        "type": [("type", type_)],
        "actor": [("actor", actor)],
        "q": [("q", word)],
        "from-to": [("from", str(from_year)), ("to", str(to_year))],
    }


def _apply_filter_in_ui(tab: Tab, name: str, params: list[tuple[str, str]]) -> None:
    page = tab.page
    if name == "type":
        page.click(f".dl-type-toggle[data-type='{params[0][1]}']")
    elif name == "actor":
        page.fill(".dl-field-actor input", params[0][1])
        page.press(".dl-field-actor input", "Enter")
    elif name == "q":
        page.fill(".dl-field-q input", params[0][1])
        page.press(".dl-field-q input", "Enter")
    else:
        values = dict(params)
        # set "from" without events, so that only the Enter below applies (one request, both dates)
        page.eval_on_selector("input[name='from']", "(el, v) => { el.value = v; }", values["from"])
        page.fill("input[name='to']", values["to"])
        page.press("input[name='to']", "Enter")


@pytest.mark.parametrize("name", ["type", "actor", "q", "from-to"])
def test_each_filter_narrows_the_list_and_the_url(
    open_tab: Callable[..., Tab], live_url: str, seeds_timeline: dict[str, Any], name: str
) -> None:
    params = _pick_filters(seeds_timeline)[name]
    total = seeds_timeline["count"]
    status, body, _ = api_get(live_url, "/v1/timeline", params)
    if status != 200:
        pytest.skip(f"the API answers {status} to {urllib.parse.urlencode(params)}: not implemented yet")
    expected = body["count"]

    tab = open_tab()
    page = tab.page
    page.goto(live_url + "/")
    tab.wait_settled()
    history = page.evaluate("history.length")
    before = tab.settled()
    _apply_filter_in_ui(tab, name, params)
    tab.wait_settled(before)
    # the page URL keeps the filter (replaceState: no new history entry) ...
    query = tab.query()
    for key, value in params:
        assert query.get(key) == [value], page.url
    assert page.evaluate("history.length") == history
    # ... and the list is what the API gives for the same parameters
    assert tab.rendered() == expected
    if name == "type":
        types = set(page.eval_on_selector_all(".dl-list > .dl-event", "items => items.map(i => i.className)"))
        assert all(f"dl-type-{params[0][1]}" in c for c in types) or expected == total

    # the URL is shareable: opening it gives the same filters and the same list
    shared = open_tab()
    shared.page.goto(page.url)
    shared.wait_settled()
    assert shared.rendered() == expected
    if name == "type":
        assert (
            shared.page.get_attribute(f".dl-type-toggle[data-type='{params[0][1]}']", "aria-pressed")
            == "true"
        )
    elif name == "actor":
        assert params[0][1] in shared.page.inner_text(".dl-chips")
    elif name == "q":
        assert shared.page.input_value(".dl-field-q input") == params[0][1]
    else:
        assert shared.page.input_value("input[name='from']") == params[0][1]

    # clearing the filters brings every event back and empties the URL
    before = tab.settled()
    page.click(".dl-clear")
    tab.wait_settled(before)
    assert tab.rendered() == total
    assert not any(key in tab.query() for key, _ in params)
    assert tab.real_errors() == [] and shared.real_errors() == []

    if expected >= total:
        pytest.skip(
            f"the API ignores {urllib.parse.urlencode(params)} (count {expected} of {total}): "
            "the widget sends it and keeps it in the URL; the narrowing check turns on when the API filters"
        )
    assert 0 <= expected < total


def test_order_is_kept_in_the_url(
    open_tab: Callable[..., Tab], live_url: str, seeds_timeline: dict[str, Any]
) -> None:
    status, body, _ = api_get(live_url, "/v1/timeline", [("sort", "desc")])
    assert status == 200
    tab = open_tab()
    page = tab.page
    page.goto(live_url + "/")
    tab.wait_settled()
    before = tab.settled()
    page.select_option("select[name='sort']", "desc")
    tab.wait_settled(before)
    assert tab.query().get("sort") == ["desc"]
    ids = page.eval_on_selector_all(".dl-list > .dl-event", "items => items.map(i => i.dataset.id)")
    assert ids == [e["id"] for e in body["events"]]
    assert tab.real_errors() == []
    if ids == [e["id"] for e in seeds_timeline["events"]]:
        pytest.skip("the API ignores sort=desc: the widget sends it and keeps it in the URL")


def test_invalid_date_is_refused_before_asking_the_api(open_tab: Callable[..., Tab], live_url: str) -> None:
    tab = open_tab()
    page = tab.page
    page.goto(live_url + "/")
    tab.wait_settled()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/v1/timeline" in r.url else None)
    page.fill("input[name='from']", "June 2024")
    page.press("input[name='from']", "Enter")
    assert page.get_attribute("input[name='from']", "aria-invalid") == "true"
    assert "2024-06" in page.inner_text(".dl-help")
    page.wait_for_timeout(200)
    assert requests == []
    assert "from" not in tab.query()
    assert tab.real_errors() == []


# --- refresh, errors ------------------------------------------------------------------------------


def test_refresh_uses_conditional_requests(open_tab: Callable[..., Tab], live_url: str) -> None:
    _, _, headers = api_get(live_url, "/v1/timeline")
    tab = open_tab()
    page = tab.page
    seen: list[tuple[str | None, int]] = []
    page.on(
        "response",
        lambda r: (
            seen.append((r.request.headers.get("if-none-match"), r.status))
            if "/v1/timeline" in r.url
            else None
        ),
    )
    page.goto(live_url + "/")
    tab.wait_settled()
    count = tab.rendered()
    before = tab.settled()
    page.click(".dl-refresh")
    tab.wait_settled(before)
    assert tab.rendered() == count
    if not headers.get("ETag"):
        pytest.skip("the API sends no ETag yet: the widget's conditional refresh is checked on a fake API")
    assert seen[-1] == (headers["ETag"], 304), seen
    assert "up to date" in page.inner_text(".dl-status")
    assert tab.real_errors() == []


def _fake_event(i: int, type_: str = "visit") -> dict[str, Any]:
    year = 1990 + (i * 7) % 35
    month = 1 + i % 12
    day = 1 + i % 28
    value = f"{year}-{month:02d}-{day:02d}"
    quote = (
        f"Delegation {i} <b>arrived</b> in Town {i} on {day} {['Jan', 'Feb', 'Mar'][i % 3]} {year} & left."
    )
    date_text = f"{day} {['Jan', 'Feb', 'Mar'][i % 3]} {year}"
    at = quote.index(date_text)
    return {
        "id": f"ev-{i:05d}",
        "title": f'Event {i}: <img src=x onerror="window.__pwned=1"> visit',
        "type": type_,
        "date": {
            "value": value,
            "precision": "day",
            "start": value,
            "end": value,
            "modifier": "APPROX" if i % 50 == 0 else None,
            "display": f"{day} {['January', 'February', 'March'][i % 3]} {year}",
            "alternatives": [],
        },
        "actors": [f"Actor {i % 40}", "Somewhere"],
        "location": f"Town {i}",
        "sources": [
            {
                "document_id": f"doc-{i}",
                "title": f"Report {i}",
                "publisher": "Wire",
                "url": "javascript:alert(1)" if i == 1 else f"https://news.example/{i}",
                "published": {"value": value, "basis": "given"},
                "quote": quote,
                "start": 100,
                "end": 100 + len(quote),
                "date_text": date_text,
                "date_start": 100 + at,
                "date_end": 100 + at + len(date_text),
                "trigger": {
                    "text": "arrived",
                    "start": 100 + quote.index("arrived"),
                    "end": 100 + quote.index("arrived") + 7,
                },
            }
        ],
        "source_count": 1,
    }


class FakeApi:
    """A paginated /fake/timeline answered by Playwright routing: limit, cursor, type, ETag/304."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = events
        self.version = 1
        self.requests: list[dict[str, Any]] = []

    def handle(self, route: Any) -> None:
        request = route.request
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
        limit = int(query.get("limit", ["500"])[0])
        offset = int(query.get("cursor", ["0"])[0])
        types = query.get("type", [])
        matching = [e for e in self.events if not types or e["type"] in types]
        page = matching[offset : offset + limit]
        etag = f'"v{self.version}-{offset}-{len(matching)}"'
        self.requests.append({"url": request.url, "if_none_match": request.headers.get("if-none-match")})
        if request.headers.get("if-none-match") == etag:
            route.fulfill(status=304, headers={"ETag": etag})
            return
        more = offset + limit < len(matching)
        body: dict[str, Any] = {
            "events": page,
            "count": len(matching),
            "next": str(offset + limit) if more else None,
        }
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if more:
            nxt = dict(query, cursor=[str(offset + limit)])
            headers["Link"] = f'</fake/timeline?{urllib.parse.urlencode(nxt, doseq=True)}>; rel="next"'
        route.fulfill(status=200, content_type="application/json", headers=headers, body=json.dumps(body))


def test_two_thousand_events_stay_fluid(open_tab: Callable[..., Tab], live_url: str) -> None:
    types = ["visit", "meeting", "combat", "statement", "agreement"]
    api = FakeApi([_fake_event(i, types[i % len(types)]) for i in range(2000)])
    tab = open_tab()
    page = tab.page
    page.route("**/fake/timeline**", api.handle)
    route_html(tab, "**/fake/embed.html", embed_page("/widget.js", "/fake/timeline?limit=500"))
    page.add_init_script(
        "document.addEventListener('dateline:render', e => { window.__renders = (window.__renders || [])"
        ".concat([{count: e.detail.count, ms: e.detail.ms, at: performance.now()}]); });"
    )
    page.goto(live_url + "/fake/embed.html")
    tab.wait_settled()
    assert tab.rendered() == 2000
    assert len(api.requests) == 4  # followed the cursor through four pages of 500
    assert page.inner_text(".dl-status").startswith("2,000 events")
    renders = page.evaluate("window.__renders")
    first = renders[-1]
    assert first["count"] == 2000
    assert first["ms"] < RENDER_BUDGET_MS, first
    assert first["at"] < READY_BUDGET_MS, first

    # hostile text stays text: no element from a title, no javascript: link
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".dl-list img").count() == 0
    assert "<img" in page.locator(".dl-event[data-id='ev-00000'] .dl-title").inner_text()
    page.click(".dl-event[data-id='ev-00001'] .dl-event-btn")
    page.locator("dialog.dl-dialog").wait_for(state="visible")
    assert page.locator("dialog .dl-source a").count() == 0
    assert page.locator("dialog mark.dl-date-expr").inner_text() == api.events[1]["sources"][0]["date_text"]
    assert "<b>arrived</b>" in page.locator("dialog blockquote").inner_text()
    page.keyboard.press("Escape")

    # interactions stay quick with 2,000 rows: jump to the end, scroll, re-filter
    jump = page.evaluate(
        """async () => {
            const button = document.querySelector('.dl-event-btn');
            button.focus();
            const t0 = performance.now();
            button.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const item = document.activeElement.closest('.dl-event');
            return {ms: performance.now() - t0, index: item.dataset.index};
        }"""
    )
    assert jump["index"] == "1999"
    assert jump["ms"] < INTERACTION_BUDGET_MS, jump
    scroll = page.evaluate(
        """async () => {
            const t0 = performance.now();
            window.scrollTo(0, 0);
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            window.scrollTo(0, document.body.scrollHeight / 2);
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            return performance.now() - t0;
        }"""
    )
    assert scroll < INTERACTION_BUDGET_MS
    before = tab.settled()
    page.click(".dl-type-toggle[data-type='combat']")
    tab.wait_settled(before)
    assert tab.rendered() == 400
    refilter = page.evaluate("window.__renders")[-1]
    assert refilter["ms"] < RENDER_BUDGET_MS
    OUTPUT.mkdir(exist_ok=True)
    timings = {"render_2000": first, "jump_to_end": jump, "scroll_ms": scroll, "render_400": refilter}
    (OUTPUT / "widget-performance.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")
    page.evaluate("window.scrollTo(0, 0)")
    tab.screenshot("widget-2000.png")
    assert tab.real_errors() == []


def test_pages_are_followed_on_the_real_api(
    open_tab: Callable[..., Tab], live_url: str, seeds_timeline: dict[str, Any]
) -> None:
    status, body, _ = api_get(live_url, "/v1/timeline", [("limit", "5")])
    tab = open_tab()
    route_html(tab, "**/fake/embed.html", embed_page("/widget.js", "/v1/timeline?limit=5"))
    requested: list[str] = []
    tab.page.on("request", lambda r: requested.append(r.url) if "/v1/timeline" in r.url else None)
    tab.page.goto(live_url + "/fake/embed.html")
    tab.wait_settled()
    assert tab.rendered() == seeds_timeline["count"]
    assert tab.real_errors() == []
    if status != 200 or len(body["events"]) == seeds_timeline["count"]:
        pytest.skip("the API ignores limit: no pages to follow")
    assert len(requested) == -(-seeds_timeline["count"] // 5)
    assert all("limit=5" in url for url in requested)


def test_conditional_refresh_against_a_fake_api(open_tab: Callable[..., Tab], live_url: str) -> None:
    api = FakeApi([_fake_event(i) for i in range(30)])
    tab = open_tab()
    page = tab.page
    page.route("**/fake/timeline**", api.handle)
    route_html(tab, "**/fake/embed.html", embed_page("/widget.js", "/fake/timeline"))
    page.goto(live_url + "/fake/embed.html")
    tab.wait_settled()
    assert tab.rendered() == 30
    assert api.requests[-1]["if_none_match"] is None

    before = tab.settled()
    page.click(".dl-refresh")
    tab.wait_settled(before)
    assert api.requests[-1]["if_none_match"] == '"v1-0-30"'
    assert tab.rendered() == 30
    assert "up to date" in page.inner_text(".dl-status")

    api.version = 2
    api.events = api.events[:25]
    before = tab.settled()
    page.click(".dl-refresh")
    tab.wait_settled(before)
    assert tab.rendered() == 25
    assert "updated" in page.inner_text(".dl-status")
    assert tab.real_errors() == []


def test_unreachable_api_shows_a_clear_message(
    open_tab: Callable[..., Tab], live_url: str, other_origin: tuple[str, dict[str, str]]
) -> None:
    port = closed_port()
    dead = f"http://127.0.0.1:{port}/v1/timeline"
    site, pages = other_origin
    pages["/unreachable.html"] = embed_page(f"{live_url}/widget.js", dead)
    tab = open_tab()
    tab.page.goto(f"{site}/unreachable.html")
    tab.wait_settled(state="error")
    message = tab.message()
    assert "cannot be reached" in message
    assert f"127.0.0.1:{port}" in message
    assert tab.page.get_attribute(".dl-message", "role") == "alert"
    assert tab.page.locator(".dl-message button", has_text="Retry").is_visible()
    assert tab.rendered() == 0
    tab.screenshot("widget-unreachable.png")
    before = tab.settled()
    tab.page.click(".dl-message button")
    tab.wait_settled(before, state="error")
    assert "cannot be reached" in tab.message()
    assert tab.real_errors(expect_network_failures=True) == []


def test_problem_json_detail_is_shown(open_tab: Callable[..., Tab], live_url: str) -> None:
    problem: dict[str, Any] = {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "from must be a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not '<b>June</b>'.",
        "instance": "/fake/timeline",
    }
    tab = open_tab()
    tab.page.route(
        "**/fake/timeline**",
        lambda route: route.fulfill(
            status=400, content_type="application/problem+json", body=json.dumps(problem)
        ),
    )
    route_html(tab, "**/fake/embed.html", embed_page("/widget.js", "/fake/timeline?from=June"))
    tab.page.goto(live_url + "/fake/embed.html")
    tab.wait_settled(state="error")
    message = tab.message()
    assert "400 Bad Request" in message
    assert problem["detail"] in message
    assert tab.page.locator(".dl-message b").count() == 0
    assert tab.real_errors(expect_network_failures=True) == []


def test_real_api_problem_is_shown(open_tab: Callable[..., Tab], live_url: str) -> None:
    status, body, _ = api_get(live_url, "/v1/timeline", [("min_sources", "many")])
    if status < 400:
        pytest.skip(
            f"the API answers {status} to ?min_sources=many: parameter validation not implemented yet"
        )
    tab = open_tab()
    route_html(tab, "**/fake/embed.html", embed_page("/widget.js", "/v1/timeline?min_sources=many"))
    tab.page.goto(live_url + "/fake/embed.html")
    tab.wait_settled(state="error")
    assert body["detail"] in tab.message()
    assert tab.real_errors(expect_network_failures=True) == []


def test_cross_origin_embed_loads_its_stylesheet(
    open_tab: Callable[..., Tab],
    live_url: str,
    other_origin: tuple[str, dict[str, str]],
    seeds_timeline: dict[str, Any],
) -> None:
    """A page on another origin embeds the widget with the two-line snippet."""
    site, pages = other_origin
    pages["/embed.html"] = embed_page(f"{live_url}/widget.js", f"{live_url}/v1/timeline")
    tab = open_tab()
    tab.page.goto(f"{site}/embed.html")
    tab.page.wait_for_function(
        "() => { const r = document.querySelector('[data-dateline]'); return r && r.dataset.settled; }"
    )
    # the stylesheet comes from the script's origin, not the page's
    assert tab.page.get_attribute("link[data-dateline-css]", "href") == f"{live_url}/widget.css"
    tab.page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.dl-root')).containerType === 'inline-size'"
    )
    _, _, headers = api_get(live_url, "/v1/timeline")
    if not headers.get("Access-Control-Allow-Origin"):
        assert "cannot be reached" in tab.message()
        pytest.skip("the API sends no CORS headers yet: a page on another origin gets 'cannot be reached'")
    assert tab.page.get_attribute("[data-dateline]", "data-state") == "ready", tab.message()
    assert tab.rendered() == seeds_timeline["count"]
    before = tab.settled()
    tab.page.click(".dl-refresh")  # a conditional request needs If-None-Match allowed by CORS
    tab.wait_settled(before)
    assert tab.rendered() == seeds_timeline["count"]
    assert tab.real_errors() == []
