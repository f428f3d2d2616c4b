# `make run` and `make test` work on a fresh machine: each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PY39 ?= $(shell command -v pyenv >/dev/null 2>&1 && pyenv root)/versions/$(shell pyenv versions --bare 2>/dev/null | grep -E '^3\.9' | tail -1)/bin/python
VENV39 := .venv39
PORT ?= 8000
# The project `make run` starts with (meshes, materials, textures, a level with actors); `make run SEED=` starts empty.
SEED ?= examples/sample_project/project.json

.PHONY: run test test-editor-py39 bench lint deps clean plugin

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

deps:
	@sh scripts/install-sandbox-deps.sh

run: $(STAMP) deps
	$(BIN)/ue-bridge serve --port $(PORT) $(if $(SEED),--seed $(SEED))

# Two workers (pytest-xdist), a test file each at a time: the suite is mostly waiting on servers and boxes.
test: $(STAMP) deps
	$(BIN)/python -m pytest -n 2 --dist loadfile
	cd examples/sample_project && ../../$(BIN)/python -m pytest -q

# The code that runs inside the editor (bridge/, mock_unreal/) on UE 5.0-5.3's Python 3.9.
$(VENV39)/.installed: pyproject.toml
	test -x $(VENV39)/bin/python || $(PY39) -m venv $(VENV39)
	$(VENV39)/bin/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $@

test-editor-py39: $(VENV39)/.installed
	$(VENV39)/bin/python -m pytest -n 2 --dist loadfile tests/core tests/editor tests/runs tests/commands tests/mock_unreal tests/scripts -q

bench: $(STAMP)
	@for bench in bench/bench_*.py; do echo "== $$bench"; $(BIN)/python $$bench || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy bridge mock_unreal

clean:
	rm -rf $(VENV) $(VENV39) .pytest_cache .mypy_cache .ruff_cache

# A self-contained plugin folder: the bridge package copied next to init_unreal.py.
plugin:
	rm -rf UnrealPlugin/PythonBridge/Content/Python/bridge UnrealPlugin/PythonBridge/Content/Python/editor_scripts
	mkdir -p UnrealPlugin/PythonBridge/Content/Python
	cp -r bridge editor_scripts UnrealPlugin/PythonBridge/Content/Python/
	find UnrealPlugin/PythonBridge/Content/Python -name __pycache__ -prune -exec rm -rf {} +
	@echo "Copy UnrealPlugin/PythonBridge into <YourProject>/Plugins/ and restart the editor."

# The README's pictures of the dashboard (docs/dashboard-<page>.png): a headless host, each page in chromium.
.PHONY: screenshots
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

# The practice platform (seed 002) with the shipped problems on http://127.0.0.1:5000 (PRACTICE_PORT=... to move it).
.PHONY: practice
practice: $(STAMP) deps
	$(BIN)/ue-bridge practice serve --port $(or $(PRACTICE_PORT),5000)
