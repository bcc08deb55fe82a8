# Every target creates and reuses .venv from the lock file: a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COMPILED := $(VENV)/.compiled

.PHONY: demo test lint bench soak screenshots lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

# The editable install compiles claims' hot modules with mypyc (setup.py); redone when any claims
# source changes (mypyc type-checks the modules they import too), so a compiled module never runs
# older rules than its source (claims/_native.py also guards that).
$(COMPILED): $(STAMP) setup.py $(wildcard claims/*.py)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -W ignore -c "import claims; claims.COMPILED or print('warning: claims runs as Python (mypyc did not compile it; pip install -v -e . shows why)')" >&2
	touch $(COMPILED)

demo: $(COMPILED)
	$(BIN)/wiredesk demo

test: $(COMPILED)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

bench: $(COMPILED)
	$(BIN)/python -m bench

# Three editors and a fetcher on one database for three minutes, real processes (bench/soak.py).
soak: $(COMPILED)
	$(BIN)/python -m bench.soak --minutes 3 --editors 3

screenshots: $(COMPILED)
	$(BIN)/python -m tui.screenshots docs

# Regenerate the lock after changing dependencies in pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip
	.lockenv/bin/python -m pip install --quiet ".[test]"
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^wiredesk' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) build *.egg-info *.so claims/*.so
