# 楼宇党建共享平台 — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Plain http on loopback for the embedded default; production sets SECURE_HTTPS=1 (the default when DEBUG is off).
export SECURE_HTTPS ?= 0

.PHONY: run test lint typecheck pytest install install-dev browser-deps seed-scale clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"

$(VENV)/.installed-base: requirements/base.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements/dev.lock
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

# Local secrets, written once (an existing .env is never touched; it is git-ignored): a random SECRET_KEY,
# FIELD_ENCRYPTION_KEY and demo-gateway key, so the embedded default runs with DEBUG off like production
# (which refuses the repository's default key; see config/checks.py).
.env:
	@umask 077 && $(PYTHON) -c 'import secrets; k = lambda: secrets.token_urlsafe(50); print("# 本机密钥，由 make run 首次运行时生成；不要提交，不要用于生产\nSECRET_KEY=" + k() + "\nFIELD_ENCRYPTION_KEY=" + k() + "\nDUES_DEMO_PROVIDER_KEY=" + k())' > $@.tmp && mv $@.tmp $@
	@echo "已生成 .env（本机随机密钥）"

# The embedded default offers the demo payment gateway (演示支付, no money moves); nothing else does.
run: export DUES_DEMO_PROVIDER ?= 1
run: export DEMO_DATA ?= 1
run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py seed_demo --i-know-this-is-not-production
	@echo "平台已启动：http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --log-level warning --no-proxy-headers

browser-deps:
	@bash scripts/ensure-browser.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy dangjian

pytest: install-dev browser-deps
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test: lint typecheck pytest

seed-scale: export DEMO_DATA ?= 1
seed-scale: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --scale --stations 1000 --people 200000 --i-know-this-is-not-production

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm var
