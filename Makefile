# minsheng — everything starts from a plain python3; the venv is made and filled here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DATE ?= 2023-06-30

.PHONY: demo demo-reset test lint typecheck pytest chromium bench bench-forms bench-rollup clean catalogs catalogs-update torture offline offline-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml hatch_build.py $(wildcard src/minsheng_cli/locale/*/LC_MESSAGES/*.po)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The bundled 2023 ledger, copied into .demo/ with half a year of scripted reports
# (examples/halfyear.py), as the clerk would see it on 30 June. An existing .demo is kept, with
# what was recorded there since; `make demo-reset` (or DEMO_RESET=1) builds it afresh.
demo: $(STAMP)
	$(BIN)/python -m examples.halfyear .demo $(if $(DEMO_RESET),--reset)
	$(BIN)/minsheng -C .demo status --as-of $(DEMO_DATE)
	@echo "试试：$(BIN)/minsheng -C .demo overdue --month 6   （或 show 3.1、agenda --month 7、report --month 6）"

demo-reset:
	$(MAKE) demo DEMO_RESET=1

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# Headless Chromium for tests/test_html_chromium.py: installed with apt-get when missing and root,
# otherwise the script says how; it never fails the build by itself.
chromium:
	-bash scripts/ensure-chromium

pytest: $(STAMP) chromium
	$(BIN)/python -m pytest

test: lint typecheck pytest

# Before a release: the hostile tests (tests/hostile/) with thousands of cases each instead of
# make test's few hundred; TORTURE=N runs N cases of each, MINSHENG_FUZZ_SEED=S other cases.
TORTURE ?= 1
torture: $(STAMP)
	MINSHENG_TORTURE=$(TORTURE) $(BIN)/python -m pytest tests/hostile -rfxXs

# For an office network with no package index (政务内网): dist/minsheng-offline-<platform>.zip,
# the project's and every dependency's wheel for CPython 3.11/3.12 with install.bat/install.sh.
# Building needs the index; `make offline-test` installs the Linux x86_64 zip with it unreachable.
OFFLINE_PLATFORMS ?= win_amd64 manylinux_x86_64 manylinux_aarch64

offline: $(STAMP)
	$(BIN)/python scripts/offline_bundle.py $(OFFLINE_PLATFORMS)

offline-test: $(STAMP)
	MINSHENG_OFFLINE_TEST=1 $(BIN)/python -m pytest tests/test_offline.py -rs

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/rollup.py

# The rollup's views at 100 and 3,000 member counties (issue 15); QUICK=1: 100 members only.
bench-rollup: $(STAMP)
	$(BIN)/python benchmarks/rollup.py $(if $(QUICK),--quick)

# intake of a month's 12 filled forms, commits included, as a whole process (hyperfine)
bench-forms: $(STAMP)
	$(BIN)/python benchmarks/forms_bench.py

# After changing user-facing text: extract the msgids, merge them into the catalog, translate
# the new entries in the .po, then `make catalogs` (the install compiles them too).
POT := build/minsheng.pot
PO  := src/minsheng_cli/locale/zh_CN/LC_MESSAGES/minsheng.po

catalogs-update: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract --no-location --sort-output -k _ -k ngettext:1,2 -o $(POT) src/minsheng_cli
	if [ -f $(PO) ]; then $(BIN)/pybabel update --no-fuzzy-matching -i $(POT) -d src/minsheng_cli/locale -D minsheng -l zh_CN; \
	else $(BIN)/pybabel init -i $(POT) -d src/minsheng_cli/locale -D minsheng -l zh_CN; fi

catalogs: $(STAMP)
	$(BIN)/pybabel compile --statistics -d src/minsheng_cli/locale -D minsheng

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .minsheng-cache dist
