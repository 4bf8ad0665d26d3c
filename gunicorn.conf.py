"""Gunicorn settings for the Dateline service (``gunicorn --config gunicorn.conf.py``).

The app is preloaded: ``create_app()`` runs once in the master, so the spaCy model is loaded, a store
filled by an older extractor is re-extracted and the seed documents are ingested before the workers
fork and share that memory. The store's connection pool is emptied (not closed) in a forked child,
so no database connection is shared between processes. Before each fork, the master also warms the
read cache (see ``pre_fork``).

Logs are JSON lines on stderr (``DATELINE_LOG_JSON=0`` for plain text); the app writes one access line
per request with its request id, so gunicorn's own access log is off. Prometheus metrics are kept per
worker in ``DATELINE_METRICS_DIR`` (a fresh temporary folder by default) and summed at scrape time.
"""

import os
import shutil
import tempfile

from dateline.logs import configure
from dateline.settings import Settings

wsgi_app = "dateline.api:create_app()"

bind = os.environ.get("DATELINE_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("DATELINE_WORKERS", "2"))
# Threaded workers: a long extraction (CPU-bound, one at a time per process) holds one thread while
# the others keep answering reads and /healthz. Every request has a time budget
# (DATELINE_REQUEST_TIMEOUT, dateline.api.budget) that stops work over it with a 503 problem.
worker_class = "gthread"
threads = int(os.environ.get("DATELINE_THREADS", "4"))
preload_app = True

# A threaded worker's main loop keeps beating while a thread computes, so this timeout only catches a
# worker that hangs; long requests are stopped by the request budget (DATELINE_REQUEST_TIMEOUT, set
# below this). Loading the model and re-extracting happen in the master, before the workers exist.
timeout = int(os.environ.get("DATELINE_TIMEOUT", "120"))
graceful_timeout = 20
keepalive = 5
# Recycling workers is only a safety net against a slow leak, which Dateline is not known to have: its
# per-worker memory is bounded (the timeline of the current revision and a size-capped response cache,
# see dateline.api.caching). At 2000 requests a busy worker was replaced every 1-2 s, and each
# replacement cost latency (p99 up to hundreds of ms in make bench) and threw away the warm caches. A
# million requests is hours of real traffic; `--max-requests 0` on the command line turns it off.
max_requests = 1_000_000
max_requests_jitter = 100_000

# The app refuses a request line, a header count or a header field over its own limits with a
# problem+json (dateline.api.errors: 4096 bytes, 64 fields, 8190 bytes); gunicorn's limits sit above
# them, so its bare-text 414/431/400 pages are only reached by requests far beyond them.
limit_request_line = 8190
limit_request_fields = 128
limit_request_field_size = 16380

# heartbeat files on tmpfs where there is one (a container's /tmp may be a slow overlay)
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn 24+ opens a control socket at one per-user path (~/.gunicorn/gunicorn.ctl), which two
# instances on a machine would share and a read-only home cannot hold; nothing here uses gunicornc
control_socket_disable = True

_settings = Settings.from_env()
loglevel = os.environ.get("DATELINE_LOG_LEVEL", "info")
accesslog = None
errorlog = "-"
configure(loglevel, json_lines=_settings.log_json)  # the master's, inherited by every worker

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"dateline": {"()": "dateline.logs.make_formatter", "json_lines": _settings.log_json}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "dateline",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": loglevel.upper(), "handlers": [], "propagate": False},
    },
}

# Prometheus multiprocess mode: every worker writes its counters to files in this folder, and
# /metrics sums them. The folder must be empty at start (stale files would be counted) and the
# variable set before prometheus_client is imported, i.e. before the app is loaded.
_metrics_dir = os.environ.get("DATELINE_METRICS_DIR") or tempfile.mkdtemp(prefix="dateline-metrics-")
os.makedirs(_metrics_dir, exist_ok=True)
for _name in os.listdir(_metrics_dir):
    if _name.endswith(".db"):
        os.remove(os.path.join(_metrics_dir, _name))
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def pre_fork(server, worker):
    """Warm the read cache in the master before each fork (preloaded app only): every worker, the
    first ones and their replacements, starts with the current revision's timeline and default page
    in memory instead of rendering them on its first requests. Nothing is rendered again while the
    revision is unchanged; the store empties its connection pool in a forked child, so no connection
    is shared with the master."""
    if not server.cfg.preload_app:
        return  # the app is not loaded in the master; loading it here would load the model twice
    from dateline.api.caching import warm

    app = server.app.wsgi()
    if hasattr(app, "test_request_context"):  # a Flask app, not a WSGI middleware around one
        warm(app)
        # the store's kept merge too (issue 16): built once here (seconds on a long story), not by
        # each worker on its first write; a current one is only checked against the revision
        store = getattr(app.extensions.get("dateline"), "store", None)
        if store is not None:
            try:
                store.refresh()
            except Exception:  # a worker builds it on its first write instead
                server.log.exception("pre_fork: the store's kept merge could not be built")


#: the metrics server (DATELINE_METRICS_BIND) the master runs, if any
_metrics_server = None


def when_ready(server):
    """With DATELINE_METRICS_BIND, serve the metrics from the master, once for all workers: it sums
    their files in the multiprocess folder and reads the store's gauges (the preloaded app's store,
    or one opened here). First, say where the timeline page is (`make run` shows it)."""
    global _metrics_server
    for listener in server.LISTENERS:  # "http://127.0.0.1:8000" (or "unix:/path")
        address = str(listener).replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://[::1]:")
        if address.startswith("http"):
            server.log.info("Dateline timeline page: %s/", address)
    if not _settings.metrics_bind:
        return
    from dateline.api.metrics import serve

    app = server.app.wsgi() if server.cfg.preload_app else None
    resources = getattr(app, "extensions", {}).get("dateline")
    if resources is not None:
        store = resources.store
    else:
        from dateline.store import Store

        store = Store(_settings.database_location())
    _metrics_server, _thread = serve(_settings.metrics_bind, store)
    server.log.info("Prometheus metrics on http://%s/metrics", _settings.metrics_bind)


def post_fork(server, worker):
    """A worker closes its copy of the master's metrics socket (only the master answers there)."""
    if _metrics_server is not None:
        _metrics_server.socket.close()


def on_starting(server):
    """Who may write, said at start; and the rule that keeps open writes off the network: without
    DATELINE_API_TOKENS the service listens on loopback addresses only (or a Unix socket), unless
    DATELINE_ALLOW_UNAUTHENTICATED_BIND=1 says otherwise. Checked on the final bind (command line and
    GUNICORN_CMD_ARGS included) with the settings the preloaded app runs with."""
    from dateline.api.auth import is_loopback, unauthenticated_bind

    app = server.app.wsgi() if server.cfg.preload_app else None
    settings = getattr(app, "config", {}).get("DATELINE") or Settings.from_env()
    addresses = list(server.cfg.address)
    if os.environ.get("LISTEN_FDS"):
        addresses.append(-1)  # sockets handed over by systemd: where they listen is not known here
    where = ", ".join(server.cfg.bind)
    if unauthenticated_bind(addresses, settings):
        message = (
            f"refusing to listen on {where} without DATELINE_API_TOKENS: anyone who reaches the port "
            "could add and delete documents. Set DATELINE_API_TOKENS (for example to the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`), or bind to 127.0.0.1 "
            "(DATELINE_BIND), or set DATELINE_ALLOW_UNAUTHENTICATED_BIND=1 to accept open writes."
        )
        server.log.error(message)
        server.halt(reason="a non-loopback bind without DATELINE_API_TOKENS", exit_status=2)
    if settings.api_tokens:
        server.log.info(
            "writes (POST, DELETE) need a bearer token (%d in DATELINE_API_TOKENS); reads are public",
            len(settings.api_tokens),
        )
    else:
        server.log.warning(
            "DATELINE_API_TOKENS is not set: writes (POST, DELETE) are open to anyone who reaches %s (%s)",
            where,
            "loopback only" if all(map(is_loopback, addresses)) else "DATELINE_ALLOW_UNAUTHENTICATED_BIND=1",
        )


def child_exit(server, worker):
    """A worker is gone: its live gauges no longer count (its counters still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder made for this run (not one the operator named)."""
    if not os.environ.get("DATELINE_METRICS_DIR"):
        shutil.rmtree(_metrics_dir, ignore_errors=True)
