# Two commands on a fresh machine:  `make app`  and  `make test`.
# Both make their own virtual environment (.venv) from the system's python3, so nothing is
# installed into the system Python; on Debian/Ubuntu a missing python3-venv is installed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: app test install install-dev system-deps lint format bench clean deploy-check venv

$(PY):
	bash scripts/make-venv.sh "$(PYTHON)" "$(VENV)"

venv: $(PY)

install: $(PY)
	$(PY) -m pip install -q -e ".[app,pdf]"

install-dev: $(PY)
	$(PY) -m pip install -q -e ".[dev]"

system-deps:
	bash scripts/install-system-deps.sh

## Install and start the browser app on the bundled default scenario (Fujian community).
app: install
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## Install everything (Python and Debian packages) and run the whole test suite, then the
## deployment check (PostgreSQL, the app and the API as separate processes on 127.0.0.1).
test: install-dev system-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest
	$(MAKE) deploy-check

lint: $(PY)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: $(PY)
	$(PY) -m ruff check --fix . ; $(PY) -m ruff format .

## Benchmarks: each prints its ratio against a baseline measured in the same run.
bench: install-dev
	$(PY) benchmarks/run_all.py

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis out

## The deployment as separate processes on 127.0.0.1 (PostgreSQL, the app with the
## production config, the API), a browser smoke test through the proxy header and the
## permission matrix. Same install script as the Dockerfile.
deploy-check: $(PY)
	PYTHON=$(PY) COSTSHARE_INSTALL=$${COSTSHARE_INSTALL:-editable} bash scripts/install-app.sh
	$(PY) -m pip install -q -e ".[api]"
	$(PY) scripts/deploy_check.py
