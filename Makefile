# The book's commands (see the README):
#   make lab     the chapters, live, in JupyterLab
#   make book    the HTML book in _build/html
#   make check   lint and unit tests: about a minute
#   make test    everything CI runs: lint, unit tests, every notebook under nbval,
#                the book built and read in a real browser, JupyterLab driven as a
#                reader would, and the chapters run in Binder's environment
# Each creates .venv (Python 3.11) and installs requirements.txt into it first;
# the book also needs node (KaTeX renders its math): npm ci installs it.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE   := node_modules/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
# A headless machine's MPLBACKEND=Agg would stop notebooks drawing their figures.
unexport MPLBACKEND

.PHONY: lab book check test bench notebooks binder clean

# pip 26 resolves the requirements in half the time of Python 3.11's pip 23.
# pip byte-compiles on one core, compileall on all of them. Excluded: a torch
# test file in Python 3.12 syntax, which pip skips as well.
$(STAMP): requirements.txt pyproject.toml binder/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=26,<27"
	$(BIN)/python -m pip install --quiet --no-compile -r requirements.txt
	$(BIN)/python -m compileall -q -j 0 -x /py312_ $(VENV)/lib
	mkdir -p $(dir $(LAB_SETTINGS)) && cp binder/overrides.json $(LAB_SETTINGS)
	touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lab: $(STAMP)  ## open the chapters in JupyterLab, panels live
	$(BIN)/jupyter lab chapters/

book: $(STAMP) $(NODE)  ## build the HTML book into _build/html (runs every notebook)
	$(BIN)/python scripts/build_book.py . -W -n --keep-going

check: $(STAMP)  ## lint and the unit tests, without notebooks, book or browsers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest tests -m "not slow" -q

test: $(STAMP) $(NODE)  ## everything: the unit tests, nbval strict, book, browsers, Binder
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest tests chapters --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg --durations=10

bench: $(STAMP)  ## run every benchmark, print the table (JSON: make bench ARGS="--json b.json")
	$(BIN)/python benchmarks/run.py $(ARGS)

notebooks: $(STAMP)  ## re-execute every chapter in place and write its numbers into the prose
	$(BIN)/python scripts/run_notebooks.py chapters/*.ipynb
	$(BIN)/python scripts/prose_numbers.py chapters/*.ipynb

binder: $(STAMP)  ## regenerate binder/requirements.txt from requirements.txt
	$(BIN)/python scripts/binder_requirements.py > /dev/null

clean:
	rm -rf _build
