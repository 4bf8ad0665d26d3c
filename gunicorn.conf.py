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
worker_class = "sync"
preload_app = True

# a news article is extracted in well under a second, but a text at the size limit (a million
# characters) can take tens of seconds: the timeout leaves room for it. Loading the model and
# re-extracting happen in the master, before the workers exist.
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


def child_exit(server, worker):
    """A worker is gone: its live gauges no longer count (its counters still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder made for this run (not one the operator named)."""
    if not os.environ.get("DATELINE_METRICS_DIR"):
        shutil.rmtree(_metrics_dir, ignore_errors=True)
