# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv and install the kit at the exact versions of requirements.lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Test processes: notebooks run one kernel each, so two workers use both cores of CI.
TEST_WORKERS ?= 2
LESSON_SCRIPTS := $(wildcard notebooks/[0-9][0-9]*_*.py) $(wildcard solutions/[0-9][0-9]*_*.py)

.PHONY: run test lint unit install datasets exercises notebooks lock clean

run: $(STAMP)
	$(BIN)/relmark run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/relmark exercises --check
	$(BIN)/relmark exercises --check --lang es
	$(BIN)/pytest tests relmark_lab notebooks solutions --doctest-modules --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg \
		-n $(TEST_WORKERS) --dist loadfile

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements.lock -e ".[dev]"
	touch $(STAMP)

# --- for developers -----------------------------------------------------
datasets: $(STAMP)        ## regenerate datasets/ (byte-identical for the same seed)
	$(BIN)/relmark datasets

exercises: $(STAMP)       ## regenerate exercises/ and exercises/es/ from solutions/
	$(BIN)/relmark exercises
	$(BIN)/relmark exercises --lang es

notebooks: $(STAMP)       ## re-execute lessons and solutions from their .py scripts
	$(BIN)/relmark refresh $(LESSON_SCRIPTS)
	$(BIN)/relmark exercises
	$(BIN)/relmark exercises --lang es

lock: $(STAMP)            ## record the exact versions now installed
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf reports/lessons reports/analyses .pytest_cache
