# Two commands a newcomer needs:
#   make demo   set up, start the sandbox APIs, load, dbt build, docs and Elementary's report
#   make test   set up and run every check and test suite
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
export UV_LINK_MODE := copy
UV := python3 -m uv
RUN := $(UV) run --frozen

SCALE ?= 0.001
DAYS ?= 7
SEED ?= 42
SANDBOX_ARGS ?=
STATE ?= .sandbox/state.json

.PHONY: help setup demo test chromium test-fast lint lint-dbt sandbox load dbt-build snowflake-emulator dictionary report soak bench clean airflow deploy rollback orchestration

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

setup: .venv/.synced profiles.yml dbt_packages/.installed  ## create the environment and install the dbt packages from the lock files

# --compile-bytecode: the installed packages' bytecode is written once, here, so no
# process compiles them again at import. Without it, where PYTHONDONTWRITEBYTECODE is
# set (as on CI machines and in many container images), every dbt, loader and Airflow
# process compiled its imports from source: about 1 s of each loader's start-up
# (docs/performance.md, fourth pass).
.venv/.synced: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(UV) sync --frozen --compile-bytecode
	@touch $@

# dbt packages (package-lock.yml): once, not on every command. From DBT_PACKAGE_HUB_URL
# when set, else a local hub mirror when there is one, else the public hub
# (scripts/dbt_deps.sh).
dbt_packages/.installed: .venv/.synced packages.yml package-lock.yml profiles.yml
	RUN="$(RUN)" scripts/dbt_deps.sh
	@touch $@

# Airflow and cosmos (the orchestration dependency group): not in the core install.
# `uv run` never removes them again (it syncs inexactly).
orchestration: .venv/.orchestration  ## install the orchestration group (Airflow, cosmos)
.venv/.orchestration: .venv/.synced
	$(UV) sync --frozen --group orchestration --compile-bytecode
	@touch $@

profiles.yml: profiles.yml.example
	cp profiles.yml.example profiles.yml

# SANDBOX_ARGS example: --strict (answer only as the vendors document)
demo: setup  ## the main job: sandbox APIs -> loaders -> DuckDB -> dbt build -> docs, report
	SCALE=$(SCALE) DAYS=$(DAYS) SEED=$(SEED) STATE=$(STATE) SANDBOX_ARGS="$(SANDBOX_ARGS)" \
	    RUN="$(RUN)" scripts/demo.sh

# Two pytest-xdist workers (TEST_WORKERS=0: one process), one work unit per worker at a
# time: a test file, or every reader of a shared session warehouse (tests/conftest.py,
# work_unit), so each warehouse is built once; the longest units start first.
TEST_WORKERS ?= 2
test: chromium setup orchestration lint  ## every gate (make lint), then every test suite (what CI runs)
	$(RUN) pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

# The docs site and the steward report are checked in Debian's Chromium (tests/conftest.py
# drives /usr/bin/chromium): without it `make test` stops at once and names the command.
chromium:
	@test -x /usr/bin/chromium || { echo "make test needs Debian's Chromium: sudo apt-get install -y chromium (.ci/run installs it)" >&2; exit 1; }

# The edit loop: sandbox, dictionary, gates' own tests and unit tests; no load, no dbt
# build (tests/conftest.py marks those `warehouse`). `make test` runs everything.
test-fast: setup  ## the quick tier (under 2 minutes): no loads, no warehouse builds
	$(RUN) pytest -m "not warehouse and not slow"

# Every hook of .pre-commit-config.yaml on every project file (tracked, or untracked
# and not ignored), the manual-stage ones included: files, secrets, ruff, mypy, the
# dictionary, dbt conventions, sqlfluff in both dialects. --verbose prints durations.
lint: setup  ## every engineering gate: the pre-commit hooks on all files
	files="$$(git ls-files --cached --others --exclude-standard)"; test -n "$$files"; \
	$(RUN) pre-commit run --hook-stage manual --verbose --files $$files

lint-dbt: setup  ## dbt parse, then the project's dbt conventions (one hook of make lint)
	$(RUN) pre-commit run --hook-stage manual --all-files dbt-conventions

sandbox: setup  ## run only the sandbox APIs in the foreground
	$(RUN) sandbox serve --scale $(SCALE) --history-days $(DAYS) --seed $(SEED) --state-file $(STATE)

load: setup  ## load all sources from a running sandbox
	$(RUN) loaders run --sandbox-state $(STATE)

dbt-build: setup  ## dbt build on DuckDB
	$(RUN) dbt build

FAKESNOW_PORT ?= 8765
snowflake-emulator: setup  ## the Snowflake emulator (fakesnow) on loopback, for --target snowflake_emulator
	$(RUN) python -m tools.snowflake_emulator --port $(FAKESNOW_PORT)

report: setup  ## the stewards' report: Elementary's, from the warehouse (reports/elementary_report.html)
	RUN="$(RUN)" scripts/report.sh

# SOAK_ARGS example: --scale 0.01 --advances 96 --fault-rate 0.3 --kill-rate 0.1 --dbt-every 24
soak: setup  ## many micro-batches on faulty APIs; prints faults, retries, records lost (must be 0)
	$(RUN) python -m reliability.soak $(SOAK_ARGS)

# BENCH_ARGS example: --stages end_to_end --scale 0.1 (default: every stage, a full day)
bench: setup  ## performance figures at full daily scale (long); table + reports/bench.json
	$(RUN) python -m bench $(BENCH_ARGS)

dictionary: setup  ## regenerate the dbt files seeds/field_mapping.csv drives
	$(RUN) python tools/sync_dictionary.py

deploy: setup  ## blue-green deploy: build and test the marts in a shadow schema, swap only if all pass
	$(RUN) python -m orchestration.deploy

rollback: setup  ## serve the marts of before the last deploy again (atomic; refused when there is none)
	$(RUN) python -m orchestration.deploy --rollback

AIRFLOW_PORT ?= 8080
airflow: setup orchestration  ## Airflow standalone on 127.0.0.1:$(AIRFLOW_PORT) with the DAGs, against a local sandbox
	SCALE=$(SCALE) DAYS=$(DAYS) SEED=$(SEED) STATE=$(STATE) AIRFLOW_PORT=$(AIRFLOW_PORT) RUN="$(RUN)" scripts/airflow.sh

clean:  ## remove build outputs and local data (not the environment)
	rm -rf data target logs reports edr_target .sandbox
