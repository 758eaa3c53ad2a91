# 整改台账：常用命令。第一次使用直接运行 `make serve`，它会自动准备环境。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup setup-test serve build validate lint test test-fast pdf clean wheelhouse codeowners init remind

# Creates .venv and installs the pinned runtime dependencies (requirements.txt:
# what a clerk needs to build, serve and print). Re-runs only when the file
# changes. A wheelhouse/ folder (make wheelhouse) is used instead of the
# network when present.
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if [ -d wheelhouse ]; then \
		$(BIN)/pip install --no-index --find-links wheelhouse -r requirements.txt; \
	else \
		$(BIN)/pip install -r requirements.txt; \
	fi
	touch $@

# The test stack on top (requirements-dev.txt): only `make lint`, `make test`
# and `make test-fast` need it.
setup-test: $(VENV)/.installed-test

$(VENV)/.installed-test: requirements.txt requirements-dev.txt $(VENV)/.installed
	if [ -d wheelhouse ]; then \
		$(BIN)/pip install --no-index --find-links wheelhouse -r requirements-dev.txt; \
	else \
		$(BIN)/pip install -r requirements-dev.txt; \
	fi
	touch $@

# The site at http://127.0.0.1:8000/, and its form (在线填报, /admin/) saving into
# this repository through decap-server (Decap's local Git proxy, pinned in
# tests/node/) when Node.js is installed: each save is a cms/… branch here, as
# it would be a merge request on the Git server. Without Node.js the site is
# served alone and says so. core.quotePath=false for decap-server's git only
# (else Chinese file names come back escaped and saving fails).
# --dirty: the live preview (hooks/ledgerlib/preview.py). An edited problem
# file shows in about a second; the overviews, documents, downloads and search
# follow from a complete rebuild in the background; any other change
# (ledger.yml, docs/, mkdocs.yml) rebuilds everything, as without --dirty.
FORM_PORT ?= 8081
serve: setup
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		test -d tests/node/node_modules/decap-server || (cd tests/node && npm ci --no-audit --no-fund --ignore-scripts) || exit 1; \
		GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.quotePath GIT_CONFIG_VALUE_0=false \
		GIT_REPO_DIRECTORY="$(CURDIR)" MODE=git PORT=$(FORM_PORT) BIND_HOST=127.0.0.1 LOG_LEVEL=warn \
			node tests/node/node_modules/decap-server/dist/index.js & form=$$!; \
		trap 'kill $$form 2>/dev/null' EXIT INT TERM; \
		echo "在线填报：http://127.0.0.1:8000/admin/ ，点“登录”即可；保存的修改在本仓库的 cms/ 分支上。"; \
		LEDGER_FORM_PROXY=http://127.0.0.1:$(FORM_PORT)/api/v1 $(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000; \
	else \
		echo "提示：本机没有 Node.js，网站照常预览，但“在线填报”（/admin/）无法在本机保存。安装 Node.js（20 或更高版本）后重新运行 make serve 即可使用。"; \
		$(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000; \
	fi

# Strict build into a temporary folder, swapped in only when it succeeded:
# a failed build never leaves a half-built site/ behind.
build: setup
	rm -rf site.tmp
	$(BIN)/mkdocs build --strict -d site.tmp
	rm -rf site && mv site.tmp site

# A fresh ledger for this unit in place of the sample: asks for the unit,
# round, inspection group and feedback date, and for confirmation before
# deleting the problems already there (no --force: a second `make init` must
# not silently wipe a unit's real ledger).
# Cancelling (Enter at the confirmation, Ctrl-D) exits 3: not an error for make.
init: setup
	@$(BIN)/python scripts/ledger.py init || [ $$? -eq 3 ]

validate: setup
	$(BIN)/python scripts/ledger.py validate

# The report (整改报告) as an A4 PDF, printed by headless Chromium from a fresh
# build. Another file name: make pdf PDF=/tmp/report.pdf; another document of
# the round: make pdf DOC=notice PDF=整改情况通报.pdf (plan, progress, final, notice)
PDF ?= 整改报告.pdf
DOC ?= progress
pdf: setup
	$(BIN)/python scripts/ledger.py pdf --doc "$(DOC)" --out "$(PDF)"

# Reminders (整改提醒): one digest per recipient, printed; the scheduled CI job
# sends them with REMIND_ARGS=--send (see docs/guide.md, 预警与提醒).
REMIND_ARGS ?=
remind: setup
	$(BIN)/python scripts/ledger.py remind $(REMIND_ARGS)

# Style and simple-bug checks (settings in pyproject.toml); part of `make test`.
lint: setup-test
	$(BIN)/ruff check hooks scripts tests

# Everything, including the browser, LibreOffice, benchmark and serve tests,
# under MkDocs; then the tests that build the site (marked `site`) again
# under ProperDocs, MkDocs' maintained continuation (LEDGER_ENGINE).
test: lint
	$(BIN)/python -m pytest
	LEDGER_ENGINE=properdocs $(BIN)/python -m pytest -m site

# The same without the few long tests (benchmark, live server): for quick
# rounds while developing. `make test` before committing.
test-fast: lint
	$(BIN)/python -m pytest -m "not slow"

# CODEOWNERS from ledger.yml's codeowners: departments review their problems.
codeowners: setup
	$(BIN)/python scripts/ledger.py codeowners

# Every pinned dependency (runtime and tests) as a wheel in wheelhouse/, to
# carry into the intranet, where `make setup` installs from it with no network.
# `pip wheel` rather than `pip download`: jieba (the bench baseline's search)
# ships only as a source archive,
# and building it here means the intranet needs no build tools. Wheels are per
# platform and Python version: run this on the same OS/Python as the intranet.
wheelhouse: setup
	rm -rf wheelhouse.tmp
	$(BIN)/pip wheel --wheel-dir wheelhouse.tmp -r requirements-dev.txt
	rm -rf wheelhouse && mv wheelhouse.tmp wheelhouse

clean:
	rm -rf site site.tmp wheelhouse.tmp .pytest_cache
