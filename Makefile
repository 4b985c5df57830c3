# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test setup lint format prod-check bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# PORT picks another port for `make run` when 8000 is taken; links in emails follow.
RUN_PORT := $(or $(PORT),8000)
run: export DEBUG ?= true
run: export RUN_PORT := $(RUN_PORT)
run: export SITE_URL ?= http://127.0.0.1:$(RUN_PORT)
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Open http://127.0.0.1:$(RUN_PORT) and sign in with a demo login above."
	@echo "The admin login asks you to set up two-factor sign-in (an authenticator app) first."
	@echo "Web server, Celery worker and Celery beat start together; Ctrl-C stops all three."
	@echo "Emails are written to var/mail/."
	@echo ""
	$(BIN)/honcho --procfile Procfile.dev --app-root . start

test: $(STAMP)
	@if [ "$$CI" != "true" ] && [ -z "$$DATABASE_URL" ]; then \
	  echo "************************************************************************"; \
	  echo "* No DATABASE_URL: running on SQLite. Tests that need PostgreSQL,      *"; \
	  echo "* Redis or Chromium are SKIPPED when those are missing (see summary).  *"; \
	  echo "* CI=true turns every such skip into a failure.                        *"; \
	  echo "************************************************************************"; \
	fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here."; exit 1; fi; \
	exit $$rc

# The production path: collectstatic, check --deploy, gunicorn with DEBUG off on
# DATABASE_URL and REDIS_URL, real HTTP requests (.ci/run calls it).
prod-check: $(STAMP)
	$(BIN)/python .ci/production_check.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var staticfiles .pytest_cache
