# The two set-up commands of the README: `make demo` and `make test`. Each creates the environment
# (.venv, with every package pinned in constraints.txt and the four platform plugins) on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLUGINS := plugins/tiktok[live] plugins/youtube[live] plugins/instagram plugins/facebook
CHROMIUM := /usr/bin/chromium

.PHONY: demo test test-fast browser-deps bench clean

$(STAMP): pyproject.toml constraints.txt plugins/*/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[all,dev]" $(addprefix -e ,$(PLUGINS))
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/livemoney demo

# Debian's chromium for the browser check (root on a fresh machine; skipped when already there).
browser-deps:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser check"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" --ignore=notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) test-output
