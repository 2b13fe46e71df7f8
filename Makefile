# Every target builds what it needs from nothing: only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JOBS ?= 2
export KERAS_BACKEND := jax
export PYTHONHASHSEED := 0
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo test lint format docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.dev: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

$(VENV)/.examples: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e ".[examples]"
	touch $@

demo: $(VENV)/.examples
	$(BIN)/python examples/train_digits.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

docs: $(VENV)/.dev
	$(BIN)/mkdocs build --strict --site-dir .site

test: lint
	$(BIN)/pytest -n $(JOBS) -q
	$(BIN)/mkdocs build --strict --quiet --site-dir .site

bench:
	$(MAKE) -C benchmarks run PYTHON=$(PYTHON)

clean:
	rm -rf $(VENV) .site *.egg-info
