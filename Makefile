# Two commands for a newcomer: `make run` and `make test`. Everything else here
# is what they are made of.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
EARLYHELP := $(BIN)/earlyhelp
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
GOVUK := node_modules/govuk-frontend/dist/govuk
STATIC_BUILD := build/static

.PHONY: run test install install-dev install-bench assets messages liiatools-env lint types checks security test-sqlite test-postgres test-browser test-clock clean

run: install assets
	$(EARLYHELP) migrate --no-input
	$(EARLYHELP) demo_data --if-empty
	@echo "Early Help is at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	@# Background work (emails, checkpoints) goes through the database queue and
	@# its worker, as in production; the worker stops with the web server.
	export TASKS_BACKEND=django_tasks_db.DatabaseBackend DEMO_MODE=1; \
	$(EARLYHELP) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(EARLYHELP) runserver 127.0.0.1:$(PORT)

# In two steps: what is installed and the static checks, side by side (each
# check is one process and starts once what it reads is installed; liiatools'
# environment is made while they run), then the suites one after another (each
# already spreads over every core; the browser tests are part of the SQLite
# suite). Side by side saves about a minute of a fresh clone's run.
test:
	$(MAKE) --no-print-directory -j4 --output-sync=target install-dev liiatools-env assets \
		lint types checks security
	$(MAKE) --no-print-directory test-sqlite test-postgres

# `make run` installs what the service needs; `make test` adds the test tools;
# the benchmarks (bench/README.md) also need Splink, the reference matcher.
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
install-bench: $(VENV)/.installed-bench

# Installed with uv (from PyPI, pinned in requirements.lock like everything
# else), which puts the same pinned packages in place in seconds: pip took
# over a minute of CPU resolving and unpacking them, the longest step of a
# fresh clone's `make test`.
UV := $(BIN)/uv
UV_INSTALL := $(UV) pip install --quiet --python $(BIN)/python -c requirements.lock

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Early Help needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c requirements.lock uv
	$(UV_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(UV_INSTALL) -e '.[dev]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-dev
	$(UV_INSTALL) -e '.[dev,bench]'
	touch $@

assets: $(STATIC_BUILD)/.built messages

# The family pages' translations (locale/*/LC_MESSAGES/django.po), compiled
# with GNU gettext's msgfmt (Debian: gettext); the .mo files are never committed.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
messages: $(PO_FILES:.po=.mo)

%.mo: %.po
	msgfmt --check -o $@ $<

# GOV.UK Frontend from npm, compiled with our font stack; never committed.
$(STATIC_BUILD)/.built: package.json package-lock.json $(wildcard frontend/*.scss)
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(STATIC_BUILD)/govuk
	npx sass --load-path=node_modules/govuk-frontend/dist --style=compressed --no-source-map \
		--quiet-deps frontend/earlyhelp.scss $(STATIC_BUILD)/govuk/govuk-frontend.css
	mkdir -p $(STATIC_BUILD)/print
	npx sass --load-path=node_modules/govuk-frontend/dist --style=compressed --no-source-map \
		--quiet-deps frontend/print.scss $(STATIC_BUILD)/print/print.css
	cp $(GOVUK)/govuk-frontend.min.js $(STATIC_BUILD)/govuk/
	rm -rf $(STATIC_BUILD)/govuk/assets && cp -r $(GOVUK)/assets $(STATIC_BUILD)/govuk/assets
	touch $@

# liiatools, which councils clean their Ofsted Annex A files with, in its own
# virtual environment (it pins pandas below 2): tests/returns/test_liiatools.py
# runs its List 2 cleaning on our export. Made once from the pinned
# scripts/liiatools-requirements.txt (a minute or two), then reused.
LIIATOOLS_VENV := .venv/liiatools
liiatools-env: $(LIIATOOLS_VENV)/.earlyhelp-ready

$(LIIATOOLS_VENV)/.earlyhelp-ready: scripts/liiatools-requirements.txt scripts/liiatools_env.py $(VENV)/.installed
	LIIATOOLS_VENV=$(LIIATOOLS_VENV) UV=$(UV) $(PYTHON) scripts/liiatools_env.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Type hints of the policy, the state machine and the domain services
# (pyproject.toml [tool.mypy] lists the files), checked against Django's stubs.
types: install-dev
	$(BIN)/mypy

checks: install-dev assets
	$(EARLYHELP) makemigrations --check --dry-run
	$(EARLYHELP) check --fail-level WARNING
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		SECRETS_ENCRYPTION_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		RETURNS_CHILD_ID_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		ALLOWED_HOSTS=earlyhelp.example DATABASE_URL=$(POSTGRES_URL) \
		$(EARLYHELP) check --deploy --fail-level WARNING

# bandit over our own packages (pyproject.toml's list; [tool.bandit] leaves out
# tests and migrations): medium findings are listed for information, a high one
# fails. Then pip-audit over requirements.lock (scripts/audit_dependencies.py;
# accepted vulnerabilities are in security/pip-audit-exceptions.toml).
BANDIT_FORMAT := --format custom --msg-template "{relpath}:{line}: {test_id} [{severity}/{confidence}] {msg}"

security: install-dev
	@packages="$$($(BIN)/python -c 'import tomllib; print(" ".join(p.rstrip("*") for p in tomllib.load(open("pyproject.toml", "rb"))["tool"]["setuptools"]["packages"]["find"]["include"]))')" \
	&& echo "bandit: medium findings, for information" \
	&& $(BIN)/bandit -c pyproject.toml -q -r $$packages --severity-level medium --exit-zero $(BANDIT_FORMAT) \
	&& echo "bandit: high severity (medium or high confidence) fails the build" \
	&& $(BIN)/bandit -c pyproject.toml -q -r $$packages --severity-level high --confidence-level medium \
	&& echo "bandit: no high-severity findings"
	$(BIN)/python scripts/audit_dependencies.py requirements.lock

# Every suite is spread over the machine's cores (pytest-xdist), test by test
# (`load`): the authorisation matrix alone is a third of the SQLite suite, so
# a file to a worker left one worker running it while the other sat idle. A
# module's world (tests/built_once.py) is then built once on each worker that
# runs its tests. Each browser worker has its own live server and Chromium.
# HYPOTHESIS_PROFILE=long runs the property-based tests at length.
XDIST := -n auto --dist load

# With PYTHONDONTWRITEBYTECODE set (as in some CI images) every Python process
# compiles our modules anew, and every pytest worker rewrites and compiles the
# whole suite's asserts again (~9 s of CPU a worker, each run): the checks and
# the test runs write the compiled files (__pycache__/, ignored by git) instead,
# so each later process reads them.
checks test-sqlite test-postgres test-browser test-clock: export PYTHONDONTWRITEBYTECODE :=

# The SQLite suite includes the browser tests (tests/browser, last on each
# worker: tests/conftest.py): a run of their own cost a third test database,
# startup and collection, about half a minute of every `make test`.
test-sqlite: install-dev assets liiatools-env
	$(BIN)/python scripts/require_browser.py
	DATABASE_URL= $(BIN)/pytest -q $(XDIST)

# The PostgreSQL run goes through a PgBouncer in transaction pooling mode that
# scripts/with_pgbouncer.py starts in front of POSTGRES_URL and stops afterwards
# (PGBOUNCER_PORT, default 6432), as production behind a pooler would.
test-postgres: install-dev assets liiatools-env
	@$(BIN)/python scripts/require_postgres.py "$(POSTGRES_URL)"; status=$$?; \
	if [ $$status -eq 0 ]; then $(BIN)/python scripts/with_pgbouncer.py "$(POSTGRES_URL)" -- \
		$(BIN)/pytest -m "not browser" -q $(XDIST); \
	elif [ $$status -ne 3 ]; then exit $$status; fi

# The browser tests alone. Only tests/browser is collected
# (tests/browser/conftest.py keeps every browser test there): collecting the
# whole suite to keep 49 tests cost each worker 12 s.
test-browser: install-dev assets
	$(BIN)/python scripts/require_browser.py && $(BIN)/pytest -m browser -q $(XDIST) tests/browser

# The SQLite suite at moments when dates go wrong (tests/conftest.py's --clock):
# a Friday night in GMT (a due date in working days falls on the Monday), the
# spring clock change's Sunday just after midnight, and 23:30 on the last day
# of a month in BST (already the 1st in local time), and a leap day. Not part
# of `make test` (each moment is a whole SQLite run); run it after changing
# dates, due dates or what "today" means. CLOCKS="..." runs other moments.
CLOCKS ?= 2026-12-04T23:30:00+00:00 2027-03-28T00:30:00+00:00 2027-06-30T23:30:00+00:00 \
	2028-02-29T12:00:00+00:00
test-clock: install-dev assets liiatools-env
	for instant in $(CLOCKS); do \
		echo "The SQLite suite at $$instant"; \
		DATABASE_URL= $(BIN)/pytest -m "not browser" -q $(XDIST) --clock=$$instant || exit 1; \
	done

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache
