# medledger: two commands on a fresh machine.
#   make run    install into .venv, build the demo ledgers on SQLite, serve the web app on 127.0.0.1:8000
#   make demo   only build the demo ledgers, verify them, show findings
#   make test   install into .venv (with dev tools), lint, type-check, run the whole suite
#   make mutation  mutation-test the proof and checkpoint verifiers (slow; docs/TESTING.md)
#   make mutation-web  mutation-test the browser's bundle verifier with StrykerJS (slow; docs/MUTATION.md)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo run test lint typecheck bench mutation mutation-web clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/medledger demo --dir demo-ledger

run: demo
	MEDLEDGER_DATABASE_URL=sqlite:///demo-ledger/ledger.db MEDLEDGER_LOG_KEYS=demo-ledger/log-keys \
		MEDLEDGER_DEMO_KEYS=demo-ledger/demo-keys $(BIN)/medledger serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# One process (--max-children 1), from scratch; the vectors are read in place from ../shared.
# ulimit -v: a mutant that loops appending proof ranges dies of MemoryError at 4 GiB.
mutation: $(STAMP)
	rm -rf mutants
	ulimit -v 4194304 && CI=true MEDLEDGER_SHARED_VECTORS=$(CURDIR)/../shared/vectors \
		$(BIN)/mutmut run --max-children 1
	$(BIN)/mutmut results --all true | awk '{ split($$1, name, "."); module = name[3]; \
		total[module]++; if ($$2 == "killed" || $$2 == "timeout") caught[module]++ } \
		END { for (module in total) printf "%-12s %4d / %4d caught\n", module, caught[module], total[module] }'
	$(BIN)/mutmut results

# The browser's verifier (web/static/js/verifier) under StrykerJS, a development-only npm
# install in web/mutation; its node tests run the corpus the Python verifier judged.
MUTATION_WEB_CORPUS := $(CURDIR)/web/mutation/corpus.json
mutation-web: $(STAMP)
	cd web/mutation && npm ci --no-audit --no-fund
	MEDLEDGER_CORPUS_MUTATIONS=60 MEDLEDGER_CORPUS_RECORDED_PER_VERDICT=12 $(BIN)/python -m tests.web.verifier.corpus $(MUTATION_WEB_CORPUS)
	CI=true MEDLEDGER_WEB_CORPUS=$(MUTATION_WEB_CORPUS) MEDLEDGER_SHARED_VECTORS=$(CURDIR)/../shared/vectors \
		web/mutation/node_modules/.bin/stryker run web/mutation/stryker.config.json

clean:
	rm -rf $(VENV) demo-ledger mutants .pytest_cache .mypy_cache .ruff_cache \
		web/mutation/node_modules web/mutation/.stryker-tmp web/mutation/reports web/mutation/corpus.json
