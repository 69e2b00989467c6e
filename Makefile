# medledger: two commands on a fresh machine.
#   make demo   install into .venv, build the demo ledgers on SQLite, verify, show findings
#   make test   install into .venv (with dev tools), lint, type-check, run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo run test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/medledger demo --dir demo-ledger

run: demo
	MEDLEDGER_DATABASE_URL=sqlite:///demo-ledger/ledger.db MEDLEDGER_LOG_KEYS=demo-ledger/log-keys \
		$(BIN)/medledger serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) demo-ledger .pytest_cache .mypy_cache .ruff_cache
