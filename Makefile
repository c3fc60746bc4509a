# Three commands a new user needs (see README):
#   make demo   set up .venv, audit the sample agency and its follow-up, PDFs and JSON in out/
#   make serve  set up .venv, start the service on http://127.0.0.1:8000/ with a demo user
#   make test   set up .venv and the test servers, run ruff, mypy (strict) and every test
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := sample_audits/agency-with-problems.xlsx
FOLLOW_UP := sample_audits/agency-follow-up.xlsx

.PHONY: demo serve test system-packages service-postgres lint typecheck unit bench bench-quick bench-cli bench-floor bench-service setup clean samples expected docs readme-images messages catalogues

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@PY=$$(.ci/check-system) && \
	  { [ -x $(BIN)/python ] || "$$PY" -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m auditor.i18n
	$(BIN)/python -m auditor.service.catalogues
	@touch $(STAMP)

# Compiles the library's auditor/locale/*/LC_MESSAGES/auditor.po and the service pages'
# auditor/service/locale/*/LC_MESSAGES/django.po into .mo (make setup does it too).
catalogues: $(STAMP)
	$(BIN)/python -m auditor.i18n
	$(BIN)/python -m auditor.service.catalogues

# Issue 27: extracts every text a person reads (Python, report templates, rule files; mapping
# in babel.cfg, which leaves the service to Django) into auditor/locale/auditor.pot, and
# merges it into each language's .po. Then the service pages: Django's makemessages (needs
# GNU gettext: Debian's gettext) extracts the templates' and the service's texts into each
# language's django.po, keeping the translations, and their .mo are compiled.
PAGE_LANGUAGES := ne id fil ar fr es
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-wrap --sort-by-file --project auditor \
	  --copyright-holder "auditor contributors" -c TRANSLATORS: \
	  -k N_ -k _ -k Message -k ValueProblem -k gettext -k ngettext:1,2 -k pgettext:1c,2 -o auditor/locale/auditor.pot .
	for po in auditor/locale/*/LC_MESSAGES/auditor.po; do [ -f "$$po" ] || continue; \
	  $(BIN)/pybabel update --no-wrap --no-fuzzy-matching -D auditor \
	    -i auditor/locale/auditor.pot -o $$po -l $$(basename $$(dirname $$(dirname $$po))); \
	done
	$(BIN)/python -m auditor.i18n --fix-format auditor/locale/auditor.pot auditor/locale/*/LC_MESSAGES/auditor.po
	cd auditor/service && AUDITOR_DATA_DIR=$${AUDITOR_DATA_DIR:-$$(mktemp -d)} \
	  DJANGO_SETTINGS_MODULE=auditor.service.settings ../../$(BIN)/django-admin makemessages \
	  $(addprefix -l ,$(PAGE_LANGUAGES)) --no-location --no-wrap --no-obsolete
	$(BIN)/python -m auditor.service.catalogues

demo: $(STAMP)
	$(BIN)/auditor validate $(SAMPLE)
	$(BIN)/auditor audit $(SAMPLE) --out out
	$(BIN)/auditor audit $(FOLLOW_UP) --previous out/PH-2026-0417.json --out out

# The service's data folder for make serve (AUDITOR_DATA_DIR overrides it).
DATA ?= $(if $(AUDITOR_DATA_DIR),$(AUDITOR_DATA_DIR),auditor-data)

serve: $(STAMP)
	$(BIN)/auditor serve --demo --data $(DATA)

test: $(STAMP) system-packages
	.ci/with-postgres $(MAKE) lint typecheck unit service-postgres

system-packages:
	@.ci/system-packages

# The service's database-heavy tests again, against a real PostgreSQL server (.ci/with-postgres
# starts one): the API, the commands, follow-ups, kill -9 and the permission table.
service-postgres: $(STAMP)
	@if [ -n "$${AUDITOR_TEST_DATABASE_URL:-}" ]; then \
	  $(BIN)/pytest -q -p no:cacheprovider -k "not redis" tests/service/test_api.py \
	    tests/service/test_cli_service.py tests/service/test_follow_up.py \
	    tests/service/test_resilience.py tests/service/test_permissions.py; \
	elif [ "$${CI:-}" = true ]; then \
	  echo "PostgreSQL is required under CI=true (AUDITOR_TEST_DATABASE_URL is not set)"; exit 1; \
	else \
	  echo "SKIPPED: the PostgreSQL pass of the service tests (no PostgreSQL server here)"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check auditor tests bench
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# The whole suite, the service on its embedded SQLite default (the PostgreSQL pass follows).
unit: $(STAMP)
	env -u AUDITOR_TEST_DATABASE_URL $(BIN)/pytest -q --durations=15

samples: $(STAMP)
	$(BIN)/python sample_audits/generate.py

# Rewrites the pinned expected results of the valid samples; review the diff before committing.
expected: $(STAMP)
	$(BIN)/auditor audit sample_audits/compliant-agency.xlsx --format json --out sample_audits/expected
	$(BIN)/auditor audit sample_audits/agency-with-problems.xlsx --format json --out sample_audits/expected
	$(BIN)/auditor audit $(FOLLOW_UP) --previous sample_audits/expected/PH-2026-0417.json \
	  --format json --out sample_audits/expected

docs: $(STAMP)
	$(BIN)/auditor rules docs --out docs/rules

# The README's pictures of the demo report (needs pdftoppm, from poppler-utils).
readme-images: demo
	pdftoppm -png -r 80 -f 1 -l 1 -singlefile out/PH-2026-0417.pdf docs/images/report-page-1
	pdftoppm -png -r 80 -f 2 -l 2 -singlefile out/PH-2026-0417.pdf docs/images/report-page-2

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --sizes 1000

# Issue 15: auditor audit as users run it (JSON, PDF) against calamine's bare read, typical and
# dense mixes at 10,000 and 50,000 workers, and the sample's PDF warm.
bench-cli: $(STAMP)
	$(BIN)/python bench/audit_cli.py

# Issue 26, item 4: the least time auditor audit --format json could take on this machine, had
# every stage after the reading kept every core busy, against the issue's goal.
bench-floor: $(STAMP)
	$(BIN)/python bench/audit_floor.py

# The service (issue 10): uploads to done from 4 clients, embedded and Redis, and memory.
bench-service: $(STAMP)
	$(BIN)/python bench/service.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
