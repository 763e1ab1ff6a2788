# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make workbook   build the demo cohort's workbook into build/
#   make test       run every test
# Both create .venv and install the workbook first, when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DATA := datasets/generated/.demo-cohort

.PHONY: setup data workbook test lab lint clean

setup: $(INSTALLED)

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The workbook needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (City Data Alliance)" > /dev/null
	touch $@

data: $(INSTALLED)
	$(BIN)/cda generate --cohort demo

workbook: data
	$(BIN)/cda build --cohort demo

# One pytest worker per core: tried with one more (cores + 1), the suite took 1,170 s
# instead of 1,050 s on 2 cores, as the extra worker slowed the stress cohort's build.
TEST_WORKERS ?= auto

test: data
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Root (e.g. in a container) must say so explicitly to Jupyter.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

# make lab CITY=villa-serena: one city's workbook, with JupyterLab's menus in its language.
lab: workbook
	$(if $(CITY),$(BIN)/cda lab $(CITY),$(BIN)/jupyter lab build/ $(ALLOW_ROOT))

clean:
	rm -rf build datasets/generated
