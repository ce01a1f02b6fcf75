# The two set-up commands of the README: `make run` and `make test`.
# Both create .venv on first use (python3 -m venv, pip install -e '.[test]').
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8501

.PHONY: run test bench peers corpora clean lint docs server-trial

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "negotiate needs Python 3.11 or newer"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# `streamlit run`, through negotiate.web.serve, which warms the first page while the server starts;
# no file watcher (a tool for its users, not a page being edited: the watcher's polling costs CPU).
run: $(BIN)/.installed
	$(BIN)/python -m negotiate.web.serve app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false --client.toolbarMode minimal --server.fileWatcherType none

# The shared server on this machine: PostgreSQL, the mock identity provider, demo people (README).
server-trial: $(BIN)/.installed
	$(BIN)/python -m negotiate.web.trial

test: $(BIN)/.installed
	$(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/markup.py
	$(BIN)/python bench/align.py
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/consolidate.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/real.py
	$(BIN)/python bench/precedents.py
	$(BIN)/python bench/peers.py

# negotiate beside its peers (redlines, python-redlines' engines, git), every job in one run (issue 15).
peers: $(BIN)/.installed
	nice -n 10 $(BIN)/python bench/peers.py

corpora: $(BIN)/.installed
	$(BIN)/python corpora/build.py

# issue #16: lint (ruff, rules in pyproject.toml; mypy --strict on the modules listed
# in [tool.mypy]) and the docs (mkdocs + mkdocstrings: the guide and the API reference
# from the docstrings, into site/; --strict fails on any warning). `make test` runs
# both checks too: tests/test_lint.py (ruff) and tests/test_docs.py (mypy, mkdocs).
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

docs: $(BIN)/.installed
	$(BIN)/mkdocs build --strict -f docs/mkdocs.yml

clean:
	rm -rf $(VENV) bench/out .pytest_cache site
