# Leerkring: `make run` serves the demo site, `make test` runs the whole suite on both lanes.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve install test test-embedded test-scaleout messages makemessages chromium vendor bench bench-fanout load-fault clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet .
	@touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[test]"
	@touch $@ $(VENV)/.deps

install: $(VENV)/.deps

# Compiled catalogues are build output: made from locale/*.po on every run and test.
messages: | $(BIN)/python
	@command -v msgfmt >/dev/null || scripts/apt-install.sh gettext
	@cd $(CURDIR) && $(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'var' -v 0

makemessages: | $(BIN)/python
	$(BIN)/python manage.py makemessages -l nl --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --no-location
	$(BIN)/python manage.py makemessages -d djangojs -l nl --ignore '.venv/*' --ignore 'var/*' --ignore 'static/vendor/*' --no-location

run: $(VENV)/.deps messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(MAKE) serve

serve:
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

chromium:
	@command -v chromium >/dev/null || scripts/apt-install.sh chromium
	@# Reaction buttons are emoji: without a colour emoji font, screenshots show empty boxes.
	@fc-list 2>/dev/null | grep -qi "color emoji" || scripts/apt-install.sh fonts-noto-color-emoji || echo "No emoji font: screenshots show boxes for reactions"

test: $(VENV)/.test-deps messages chromium
	scripts/test-lanes.sh

test-embedded: $(VENV)/.test-deps messages
	scripts/test-lanes.sh embedded

test-scaleout: $(VENV)/.test-deps messages
	scripts/test-lanes.sh scaleout

vendor:
	scripts/vendor.sh

bench: $(VENV)/.test-deps messages
	scripts/bench.sh

bench-fanout: $(VENV)/.test-deps messages
	scripts/bench-fanout.sh

load-fault: $(VENV)/.test-deps messages
	scripts/load-fault.sh

clean:
	rm -rf var/*.sqlite3* var/static
