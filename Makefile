# The two commands of the quick start are `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install worker beat lint format messages translations benchmark clean docs docs-build

$(STAMP): pyproject.toml
	@PYTHON=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYTHON"; "$$PYTHON" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

translations: install
	DEBUG=1 $(PY) manage.py compile_translations

# Serves the app with demo data. Without DATABASE_URL: SQLite under data/, tasks in process.
run: translations
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py refresh_forecasts
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite, in parallel processes (PYTEST_WORKERS, default: one per core), with the
# 20 slowest tests listed at the end. Uses DATABASE_URL / REDIS_URL when they are set.
PYTEST_WORKERS ?= auto
test: translations
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key} DEBUG=0 KAM_HTTPS=0 \
		$(PY) manage.py collectstatic --noinput --verbosity 0
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key} DEBUG=0 KAM_HTTPS=0 \
		$(PY) -m pytest -n $(PYTEST_WORKERS) --durations=20 $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A kam worker -Q celery,notifications,folders --loglevel=info

beat: install
	$(VENV)/bin/celery -A kam beat --loglevel=info

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=$${SECRET_KEY:-lint-only-secret-key} DEBUG=1 $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	DEBUG=1 $(PY) manage.py makemessages --locale de --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete --no-location

# The documentation site (MkDocs): served on 127.0.0.1:8001, or built strictly into site/.
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve -a 127.0.0.1:8001

docs-build: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet

benchmark: install
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) staticfiles site
