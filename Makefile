# Two commands do all the set-up: `make run` and `make test` (each installs into .venv when needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint bench score clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	DATELINE_BIND=$(HOST):$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'dateline.api:create_app()'

# PostgreSQL and Redis are installed (Debian packages) when missing; the tests start them on loopback
# ports for the run and stop them after. Without them the storage and queue tests skip (fail if CI=true).
test: $(STAMP)
	sh scripts/ensure-chromium.sh || echo "chromium unavailable: browser tests will be skipped"
	sh scripts/ensure-axe.sh || echo "axe-core unavailable: accessibility checks will be skipped (failed under CI)"
	sh scripts/ensure-services.sh || echo "PostgreSQL/Redis unavailable: their tests will be skipped (failed under CI)"
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check service tests
	$(BIN)/ruff format --check service tests
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The evaluation sets beside the repo (../shared/eval): the seeds, then dev-news (25 real articles).
# For each: the timeline and the documents listing, the scorer's table, then the fields' table.
EVAL      ?= ../shared/eval
SCORE_DIR ?= $(or $(TMPDIR),/tmp)/dateline-score

define score_set
	@echo "== $(1): $(2) (outputs in $(SCORE_DIR))"
	@$(BIN)/dateline timeline $(2) > $(SCORE_DIR)/$(1).timeline.json
	@$(BIN)/dateline documents $(2) > $(SCORE_DIR)/$(1).documents.json
	@$(BIN)/python $(EVAL)/score_timeline.py $(3) $(SCORE_DIR)/$(1).timeline.json \
		--documents $(SCORE_DIR)/$(1).documents.json
	@echo
	@$(BIN)/python $(EVAL)/score_fields.py $(3) $(SCORE_DIR)/$(1).timeline.json
	@echo
endef

score: $(STAMP)
	@test -f $(EVAL)/score_timeline.py || { echo "no $(EVAL)/score_timeline.py: the shared evaluation goes beside the repo (EVAL=...)"; exit 1; }
	@mkdir -p $(SCORE_DIR)
	$(call score_set,seeds,seeds,$(EVAL)/seeds.gold.json)
	$(call score_set,dev-news,$(EVAL)/dev-news/docs,$(EVAL)/dev-news/gold.scorer.json)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache instance
