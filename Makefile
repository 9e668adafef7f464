# The two set-up commands of the README: `make demo` and `make test`. Each creates the environment
# (.venv, with every package pinned in constraints.txt and the four platform plugins) on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLUGINS := plugins/tiktok[live] plugins/youtube[live] plugins/instagram plugins/facebook
CHROMIUM := /usr/bin/chromium

.PHONY: demo test test-fast browser-deps java-deps bench fuzz clean clean-build

# The set-up says one line; pip's output (the build backends' warnings too) goes to $(INSTALL_LOG), whose
# end is shown only when an install fails. So `make demo` prints what a user needs: the demo.
INSTALL_LOG := $(VENV)/install.log

$(STAMP): pyproject.toml constraints.txt plugins/*/pyproject.toml
	@echo "setting up $(VENV): livemoney and the four platform plugins (a minute or two; pip's log: $(INSTALL_LOG))"
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/python -m pip install --upgrade pip \
	  && $(BIN)/python -m pip install -c constraints.txt -e ".[all,dev]" $(addprefix -e ,$(PLUGINS)); } \
	  > $(INSTALL_LOG) 2>&1 \
	  || { tail -n 30 $(INSTALL_LOG); echo "setting up $(VENV) failed: pip's whole log is $(INSTALL_LOG)"; exit 1; }
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/livemoney demo

# Debian's chromium for the browser check (root on a fresh machine; skipped when already there).
browser-deps:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser check"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The analyses' export extras (openpyxl for Excel, pyarrow for Parquet) for their tests: never in make demo.
EXPORTS_STAMP := $(VENV)/.exports-installed

$(EXPORTS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[excel,parquet]"
	touch $(EXPORTS_STAMP)

# The engines of columnar input for their tests (livemoney[duckdb] and livemoney[spark]: DuckDB, pyarrow,
# pyspark) and Java 17 for Spark (Debian's, when missing; root, as on CI): make test only, never make demo.
# LIVEMONEY_EXTRAS=required makes their tests fail, not skip, if an engine is missing.
ENGINES_STAMP := $(VENV)/.engines-installed

$(ENGINES_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[duckdb,spark]"
	touch $(ENGINES_STAMP)

java-deps:
	@command -v java >/dev/null || { echo "installing Debian's Java 17 for the Spark tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

test: $(STAMP) $(EXPORTS_STAMP) $(ENGINES_STAMP) java-deps browser-deps
	LIVEMONEY_EXTRAS=required $(BIN)/python -m pytest

test-fast: $(STAMP) $(EXPORTS_STAMP) $(ENGINES_STAMP) java-deps
	LIVEMONEY_EXTRAS=required $(BIN)/python -m pytest -m "not browser" --ignore=notebooks

# Benchmarks (benchmarks/README.md): a few minutes at 10^5 events; larger sizes with BENCH_ARGS, e.g.
# make bench BENCH_ARGS="--events 100000 1000000 --huge". DuckDB and Polars (the bench extra) are
# installed here only, for the floors; the benchmarks run without them if they cannot be installed.
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_ARGS ?=

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]" \
	  || echo "bench: DuckDB and Polars did not install; the floors are left out"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The long fuzz run of issue 11 (make test runs the same properties on a few examples each): some 100,000
# generated lines through every reader and every way in, failures collected by kind (not raised) into
# test-output/fuzz/, with the probes of broken plugins, ledgers and odd inputs; it exits 1 while it finds any.
# About five minutes; FUZZ_SCALE=0.1 for a quick look.
fuzz: $(STAMP)
	mkdir -p test-output/fuzz
	rm -f test-output/fuzz/failures.jsonl test-output/fuzz/failures.summary.json
	$(BIN)/python tests/fuzz/probes.py > test-output/fuzz/probes.md
	HYPOTHESIS_PROFILE=fuzz FUZZ_LOG=test-output/fuzz/failures.jsonl \
	  $(BIN)/python -m pytest tests/fuzz --ignore=tests/fuzz/test_regressions.py -q

clean: clean-build
	rm -rf $(VENV) test-output

# Build leftovers in the source folders: a `pip install FOLDER` built with setuptools leaves build/ and
# *.egg-info there (the test suite ignores them and names them: conftest.py). Editable installs keep
# working without their *.egg-info (their metadata is in .venv).
clean-build:
	rm -rf build *.egg-info sdk/*.egg-info plugins/*/build plugins/*/*.egg-info \
	  examples/plugins/*/build examples/plugins/*/*.egg-info
