# Pantau: `make demo` and `make test` are the two commands; both set up first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup demo test bench lint clean

setup: $(STAMP)

# torch first, pinned: an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	bash scripts/install-chromium.sh  # Debian chromium for the digest PDF; never fails the setup
	touch $(STAMP)

demo: setup
	$(BIN)/python -m pipeline.demo

test: setup
	$(BIN)/python -m pytest -q

# Prints speed figures (a script, not a test; its stores are built in a temporary folder each run).
# make bench BENCH_ARGS=--quick: see README "Speed".
bench: setup
	$(BIN)/python -m pipeline.bench $(BENCH_ARGS)

lint: setup
	$(BIN)/python -m ruff check crawlers pipeline flows tests

clean:
	rm -rf data/pantau.duckdb* data/raw data/spool data/bench
