# Two commands do all the setup on a fresh machine:
#   make run    execute every lesson headless; executed copies and charts go to build/
#   make test   run the whole test suite (unit, integration on a real broker, nbval)
# and `make lab` opens the lessons in JupyterLab.

PYTHON ?= python3
# Python may write its bytecode caches here (__pycache__/, ignored by git) even where the
# shell says not to: else every process compiles the course's modules again, and pytest
# rewrites its test modules again in each of its workers (13 s of collection, against 3).
unexport PYTHONDONTWRITEBYTECODE
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: site store run lint check test test-rabbitmq43 test-rabbitmq43-strict lab broker benchmark clean

# uv installs the pinned packages in seconds where pip takes most of a minute. It compiles
# their bytecode now, as pip does: else the first run of every process compiles it again.
UV_VERSION := 0.13.9

$(STAMP): requirements.txt overrides.txt pyproject.toml
	@echo "Installing the course's Python packages into $(VENV) (once; a few seconds with uv)..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements.txt --overrides overrides.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	touch $(STAMP)

broker: $(STAMP)
	$(PY) -m workqueue_helpers.broker

run: broker
	$(PY) -m workshop.run_lessons

# The linter and the lessons' word budgets, in seconds.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m workshop.word_count

# The fast tier, with no broker (about 20 seconds): lint, and every test that needs
# no broker.
check: lint
	$(PY) -m pytest --no-broker -q tests

# Everything, in one pytest run of four at a time: every test, every lesson under nbval
# (lesson 6's cluster included), and a class of two learners on one broker
# (tests/test_class.py).
test: broker lint
	$(PY) -m pytest

# The same suite with every broker on RabbitMQ 4.3 (Debian sid in a chroot, made once
# by workshop/rabbitmq43.sh under /var/cache/workqueue; needs root and debootstrap).
test-rabbitmq43: $(STAMP)
	$(PY) -m workshop.on_rabbitmq43 $(PY) -m pytest

# The same, with every 4.3 node refusing non-durable non-exclusive queues
# (deprecated_features.permit.transient_nonexcl_queues = false), as RabbitMQ
# 4.3's release notes announce for the default and hosted brokers enforce.
test-rabbitmq43-strict: $(STAMP)
	$(PY) -m workshop.on_rabbitmq43 --deny-transient-queues $(PY) -m pytest

# make lab LAB_ARGS="--no-browser --port 8899 --ip 0.0.0.0"   (headless, or over SSH)
# make lab LESSON_LANGUAGE=zh                                 (opens the Chinese lesson 1)
LAB_ARGS ?=
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)

# The kernel gets the display name the lessons store ("Python 3"), so that a lesson
# is not marked modified the moment it opens; JupyterLab's news prompt is turned off.
# It opens the learner's copies (notebooks/learner/, made once and then kept): no stored
# output and every answer folded, so nothing is answered before the learner runs the cell.
lab: broker
	$(PY) -m workshop.learner_copies
	@echo "Starting JupyterLab on notebooks/learner/ (CTRL+C twice to stop)"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	install -D -m 644 jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter lab $(ROOT_ARGS) $(LAB_ARGS) --ServerApp.root_dir=notebooks \
		--LabApp.default_url=/lab/tree/learner/01_round_robin$(if $(filter-out en,$(LESSON_LANGUAGE)),.$(LESSON_LANGUAGE)).ipynb

# For authors: re-execute every lesson on RabbitMQ 4.3 (the chroot above) and store
# its outputs in notebooks/, which nbval compares and the site shows. Then re-read them.
store: $(STAMP)
	$(PY) -m workshop.on_rabbitmq43 $(PY) -m workshop.store_outputs $(sort $(wildcard notebooks/[0-9][0-9]*_*.ipynb))

# A static site of the lessons as stored, with their outputs and charts, in build/site/.
site: $(STAMP)
	$(PY) -m workshop.build_site

benchmark: broker
	$(PY) -m workshop.benchmark

clean:
	rm -rf build .pytest_cache
