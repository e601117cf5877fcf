# Two commands do everything on a fresh machine:
#   make demo  - creates .venv, drafts the 2020 palmarès page offline into out/
#   make test  - creates .venv, runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/laureate-writer validate examples/2020/*.yaml
	$(BIN)/laureate-writer palmares examples/2020/palmares.yaml -o out/palmares-2020.md --out-dir out/2020
	$(BIN)/laureate-writer palmares examples/2020/palmares.yaml -o out/palmares-2020.html
	$(BIN)/laureate-writer check out/

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

# FUZZ_EXAMPLES=200 for a brief run (CI); the default is 10 000 per entry point.
FUZZ_EXAMPLES ?= 10000
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py --examples $(FUZZ_EXAMPLES)

schema: $(STAMP)
	$(BIN)/laureate-writer schema dossier -o schema/dossier.schema.json
	$(BIN)/laureate-writer schema edition -o schema/edition.schema.json
	$(BIN)/laureate-writer schema page -o schema/page.schema.json
	$(BIN)/laureate-writer schema article -o schema/article.schema.json

clean:
	rm -rf $(VENV) out .pytest_cache
