# SafetyNet: `make demo` to try it, `make test` to run every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo otp test lint typecheck pytest bench bench-load bench-soak bench-faults deploy-check browser-deps messages clean

$(STAMP): pyproject.toml package.json
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	npm ci --no-audit --no-fund --silent
	touch $(STAMP)

# The message catalogues, compiled whenever a .po file changed.
MO := $(patsubst %.po,%.mo,$(wildcard safetynet/locale/*/LC_MESSAGES/django.po))
%.mo: %.po $(STAMP)
	SAFETYNET_ENV=development $(BIN)/safetynet compile_catalogues

demo: $(STAMP) $(MO)
	SAFETYNET_ENV=demo $(BIN)/safetynet migrate --noinput -v0
	SAFETYNET_ENV=demo $(BIN)/safetynet demo --if-missing
	SAFETYNET_ENV=demo $(BIN)/safetynet serve --port $(PORT)

# The current one-time code of a demo account (demo mode only).
otp: $(STAMP)
	@SAFETYNET_ENV=demo $(BIN)/safetynet otp_code $(USER)

test: $(STAMP) browser-deps lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check safetynet tests bench

typecheck: $(STAMP)
	SAFETYNET_ENV=test $(BIN)/mypy safetynet

pytest: $(STAMP) $(MO)
	SAFETYNET_ENV=test $(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Debian's Chromium drives the browser tests (Playwright's own download is not used).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk; \
	  else echo "install Debian's chromium and fonts-noto-cjk (as root) for the browser tests"; exit 1; fi; }

bench: $(STAMP)
	SAFETYNET_ENV=test $(BIN)/python bench/run_all.py

# Follow docs/deploy.md on this machine (as root): PostgreSQL, gunicorn, worker, nginx + TLS.
deploy-check: $(STAMP)
	PYTHON=$(BIN)/python bash .ci/deploy_check

# Month-end load (locust) on gunicorn + PostgreSQL with the demo county (bench/load.py):
# 200 staff sessions logging in over a minute, then two minutes of steady state.
LOAD_ARGS ?= --users 200 --ramp 60 --seconds 120
bench-load: $(STAMP)
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# Fault tests (as root): kill -9 the worker and a web worker, restart PostgreSQL, on a
# throwaway cluster of their own (bench/faults.py).
FAULTS_ARGS ?=
bench-faults: $(STAMP)
	$(BIN)/python bench/faults.py $(FAULTS_ARGS)

# The 30-minute soak: the same sessions working on, RSS of web and worker sampled each
# minute, gunicorn's worker recycling off so that a leak would show.
SOAK_ARGS ?= --users 50 --ramp 25 --seconds 60 --think 0.5 --soak-seconds 1800 --max-requests 0 --applications 150
bench-soak: $(STAMP)
	$(BIN)/python bench/load.py $(SOAK_ARGS)

messages: $(STAMP)
	cd safetynet && SAFETYNET_ENV=development ../$(BIN)/safetynet makemessages -l zh_Hans -l en --no-obsolete -i "policy/*"

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
