# « Votre espace citoyen »: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format up down install e2e clean bench

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est nécessaire ($(PYTHON) introuvable)."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@# The directory's extra (python-ldap) builds only with libldap's headers: optional.
	@if [ -f /usr/include/ldap.h ] && [ -f /usr/include/sasl/sasl.h ]; then \
	  $(BIN)/pip install --quiet -e ".[dev,ldap]"; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI : libldap2-dev et libsasl2-dev sont nécessaires (extra « ldap »)."; exit 1; \
	else \
	  echo "*** libldap2-dev / libsasl2-dev absents : connexion par l'annuaire (extra « ldap ») non installée ; le portail fonctionne sans. ***"; \
	fi
	touch $(STAMP)

install: $(STAMP)

## make run: the portal with demo data on http://127.0.0.1:8000 (SQLite, in-process tasks, mail in var/mail/)
run: $(STAMP)
	@mkdir -p "$${VAR_DIR:-var}" && printf '# Written by make run: this checkout is the demo (see README).\nDEBUG=1\n' > "$${VAR_DIR:-var}/demo.env"
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: the whole suite (SQLite by default, PostgreSQL when DATABASE_URL is set), the
## bench's smoke run included once (a bare pytest leaves it out: pyproject's addopts)
PYTEST_MARKS ?= bench or not bench
test: $(STAMP)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$CI" = "true" ]; then echo "CI : /usr/bin/chromium est introuvable, les tests navigateur ne peuvent pas tourner."; exit 1; fi; \
	  echo "*** /usr/bin/chromium introuvable : les tests navigateur (tests/e2e) sont IGNORÉS. Installez-le : apt-get install chromium ***"; \
	fi
	DEBUG=1 CAPTCHA_TEST_MODE=1 $(BIN)/pytest -m "$(PYTEST_MARKS)" $(PYTEST_ARGS)

## make test-fast: the loop while working, under 90 s on two cores: the suite less its slow
## kinds (markers e2e, processes, bench, argon2; see the README). SQLite unless DATABASE_URL.
FAST_MARKS := not (e2e or processes or bench or argon2)
test-fast: $(STAMP)
	DEBUG=1 CAPTCHA_TEST_MODE=1 $(BIN)/pytest -q -n auto -m "$(FAST_MARKS)" $(PYTEST_ARGS)

## make lint: ruff (lint and format check), and mypy with django-stubs over common/, the
## services, the selectors and the payment providers ([tool.mypy] in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make up: the production-like stack in Docker (postgres, redis, web on gunicorn, worker, beat)
up:
	docker compose up --build

down:
	docker compose down

## make bench: the load benchmark on PostgreSQL (see bench/README.md); writes bench/RESULTS.md
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
