"""Gunicorn settings for the Dateline service (``gunicorn --config gunicorn.conf.py``).

The app is preloaded: ``create_app()`` runs once in the master, so the spaCy model is loaded and the
seed documents are ingested before the workers fork and share that memory. Nothing here opens a
database connection before the fork (the store connects per call).
"""

import logging
import os

wsgi_app = "dateline.api:create_app()"

bind = os.environ.get("DATELINE_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("DATELINE_WORKERS", "2"))
worker_class = "sync"
preload_app = True

# a request only reads the store (the timeline is cached per revision): 30 s is generous; the slow
# part, loading the model and ingesting seeds, happens in the master before the workers exist
timeout = int(os.environ.get("DATELINE_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# recycle workers now and then; with the app preloaded a new worker forks without reloading the model
max_requests = 2000
max_requests_jitter = 200

# heartbeat files on tmpfs where there is one (a container's /tmp may be a slow overlay)
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn 24+ opens a control socket at one per-user path (~/.gunicorn/gunicorn.ctl), which two
# instances on a machine would share and a read-only home cannot hold; nothing here uses gunicornc
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("DATELINE_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

# the service's own log lines (seed ingestion, unexpected errors) go to stderr beside gunicorn's;
# configured here, in the master, so the preloaded app and every forked worker inherit it
_app_log = logging.getLogger("dateline")
if not _app_log.handlers:  # the file is read again on a HUP reload
    _handler = logging.StreamHandler()
    _handler.setFormatter(
        logging.Formatter(
            "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S %z"
        )
    )
    _app_log.addHandler(_handler)
    _app_log.setLevel(loglevel.upper())
    _app_log.propagate = False
