# Two commands a newcomer needs:
#   make demo   set up, start the sandbox APIs, load, dbt build, docs and quality report
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
STATE ?= .sandbox/state.json

.PHONY: help setup demo test lint sandbox load dbt-build dictionary clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

setup: .venv/.synced profiles.yml  ## create the environment from the lock file

.venv/.synced: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(UV) sync --frozen
	@touch $@

profiles.yml: profiles.yml.example
	cp profiles.yml.example profiles.yml

demo: setup  ## the main job: sandbox APIs -> loaders -> DuckDB -> dbt build -> docs
	SCALE=$(SCALE) DAYS=$(DAYS) SEED=$(SEED) STATE=$(STATE) RUN="$(RUN)" scripts/demo.sh

test: setup  ## every check and test suite (what CI runs)
	$(RUN) pytest

lint: setup  ## ruff
	$(RUN) ruff check .
	$(RUN) ruff format --check .

sandbox: setup  ## run only the sandbox APIs in the foreground
	$(RUN) sandbox serve --scale $(SCALE) --history-days $(DAYS) --seed $(SEED) --state-file $(STATE)

load: setup  ## load all sources from a running sandbox
	$(RUN) loaders run --sandbox-state $(STATE)

dbt-build: setup  ## dbt build on DuckDB
	$(RUN) dbt build

dictionary: setup  ## regenerate the dbt files seeds/field_mapping.csv drives
	$(RUN) python tools/sync_dictionary.py

clean:  ## remove build outputs and local data (not the environment)
	rm -rf data target logs reports .sandbox
