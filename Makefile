# Two commands on a fresh machine:  `make app`  and  `make test`.
PYTHON ?= python3
PORT ?= 8501

.PHONY: app test install install-dev system-deps lint format bench clean

install:
	$(PYTHON) -m pip install -q -e ".[app,pdf]"

install-dev:
	$(PYTHON) -m pip install -q -e ".[dev]"

system-deps:
	bash scripts/install-system-deps.sh

## Install and start the browser app on the bundled default scenario (Fujian community).
app: install
	$(PYTHON) -m streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## Install everything (Python and Debian packages) and run the whole test suite.
test: install-dev system-deps
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check .

format:
	$(PYTHON) -m ruff check --fix . ; $(PYTHON) -m ruff format .

## Benchmarks: each prints its ratio against a baseline measured in the same run.
bench: install-dev
	$(PYTHON) benchmarks/run_all.py

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis out artifacts

.PHONY: deploy-check
## The deployment as separate processes on 127.0.0.1 (PostgreSQL, the app with the
## production config, the API once it exists), a browser smoke test through the proxy
## header and the permission matrix. Same install script as the Dockerfile.
deploy-check:
	COSTSHARE_INSTALL=$${COSTSHARE_INSTALL:-editable} bash scripts/install-app.sh
	$(PYTHON) scripts/deploy_check.py
