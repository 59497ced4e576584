# Facilitator: `make run` to start with the sample sessions, `make test` to run everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Every interface, so phones on the venue's network can join; HOST=127.0.0.1 keeps it to this machine.
HOST ?= 0.0.0.0
# The browser code: sources in static/, built by esbuild into static/dist/ (hashed files
# and manifest.json, read by facilitator/assets.py).
DIST := static/dist
ASSET_SOURCES := $(shell find static -path static/dist -prune -o -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.css' \) -print 2>/dev/null)
TRANSLATIONS := facilitator/translations
POT := $(TRANSLATIONS)/messages.pot
LOCALES := en fr es pt ko

.PHONY: run serve install assets compile-translations translations setup test test-fast lint bench clean

run: install setup
	$(BIN)/facilitator serve --host $(HOST) --port $(PORT)

install: $(VENV)/.installed assets compile-translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

assets: $(DIST)/manifest.json

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Rebuilt whenever a source, the build script or a package changes.
$(DIST)/manifest.json: node_modules/.installed $(ASSET_SOURCES)
	node static/build.mjs

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

# Extract every marked string, merge it into each catalogue, compile.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F facilitator/babel.cfg -k N_ -k lazy_gettext -k _l --no-location --sort-output \
		--project facilitator -o $(POT) facilitator templates
	for lang in $(LOCALES); do \
		if [ -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-fuzzy-matching -i $(POT) -d $(TRANSLATIONS) -l $$lang; \
		else \
			$(BIN)/pybabel init -i $(POT) -d $(TRANSLATIONS) -l $$lang; \
		fi; \
	done
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

# Schema, sample sessions, first organiser account.
setup: install
	$(BIN)/facilitator db upgrade
	$(BIN)/facilitator load --only-new sessions/*.yaml
	$(BIN)/facilitator ensure-admin

test: install
	node --test tests/js/
	$(BIN)/python -m pytest -q

# The unit tests alone: no server processes, no browser, nothing slow (under a minute).
test-fast: install
	$(BIN)/python -m pytest -q -m "not integration and not browser and not slow"

lint: install
	$(BIN)/ruff check facilitator tests
	$(BIN)/ruff format --check facilitator tests
	$(BIN)/mypy

# 1000 phones on loopback under $(FACILITATOR_ASYNC_MODE) (default eventlet); one JSON line.
# e.g. make bench BENCH_ARGS="--async-mode gevent --participants 200"; see docs/performance.md.
bench: install
	$(BIN)/facilitator bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(DIST) .pytest_cache .mypy_cache .ruff_cache
