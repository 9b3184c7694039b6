# Two commands, as the README says:  make book   and   make test
# Both create .venv (Python 3.11) and install requirements.txt into it first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test bench notebooks clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

book: $(STAMP)  ## build the HTML book into _build/html (re-executes every notebook)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(STAMP)  ## lint, unit tests, and nbval (strict) on every notebook
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest tests chapters --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

bench: $(STAMP)  ## run every benchmark, print the table (JSON: make bench ARGS="--json b.json")
	$(BIN)/python benchmarks/run.py $(ARGS)

notebooks: $(STAMP)  ## re-execute every chapter in place after a library change
	$(BIN)/python scripts/run_notebooks.py chapters/*.ipynb

clean:
	rm -rf _build
