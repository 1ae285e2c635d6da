# Green Jobs Portal. The targets are the interface: run, test, lint, demo, serve, bench.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The database URL that tools/dbprep.py settled on (env DATABASE_URL, local server, or embedded).
DBENV = DATABASE_URL="$$(cat .data/database_url)"
# Redis holds what several app servers share (page cache, content version, rate limits).
REDIS_URL ?= redis://127.0.0.1:6379/0
export REDIS_URL

.PHONY: run test lint demo serve bench bench-search install lock hooks db migrate messages redis chromium nginx wrk format clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)

# Reproducible installs: the exact versions (with their hashes) in requirements/lock.txt, then the
# project itself without dependencies; pip check fails when the lock no longer matches pyproject.toml.
$(VENV)/.installed: requirements/lock.txt pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements/lock.txt
	$(PY) -m pip install -q --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; \
		echo "requirements/lock.txt does not satisfy pyproject.toml: run make lock"; exit 1; }
	touch $@

install: $(VENV)/.installed

# Write requirements/lock.txt from pyproject.toml (dependencies and the dev extra) with pip-compile.
# After changing a dependency in pyproject.toml: `make lock`, then `make install`, and commit both files.
# Pins that still fit are kept; to move them: `make lock LOCK_ARGS=--upgrade` (all) or
# `make lock LOCK_ARGS="--upgrade-package django"` (one). The lock is for CPython 3.11 on Linux.
lock: | $(VENV)/bin/python
	test -x $(VENV)/bin/pip-compile || $(PY) -m pip install -q -r requirements/lock.txt
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes \
		--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
		--output-file requirements/lock.txt pyproject.toml

# Run ruff and djlint on the files of each commit (.pre-commit-config.yaml), with the venv's tools.
hooks: install
	$(VENV)/bin/pre-commit install

db: install
	$(PY) -m tools.dbprep

migrate: db redis messages
	$(DBENV) $(PY) manage.py migrate --noinput -v0
	$(DBENV) $(PY) manage.py ensure_webmaster

# Add the demo items that are missing; an item that exists (edited or not) is never changed.
demo: migrate
	$(DBENV) $(PY) manage.py load_demo
	$(DBENV) $(PY) manage.py rebuild_search_index

# The demo content is loaded only into a database without content (no story, event, course or about page).
# The mail queue worker runs beside the development server (without EMAIL_HOST it prints the mail).
run: migrate
	$(DBENV) $(PY) manage.py load_demo --if-empty
	@echo "Serving http://127.0.0.1:$(PORT)/ (webmaster: http://127.0.0.1:$(PORT)/admin/)"
	$(DBENV) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" sh -c '$(PY) manage.py runmailer & \
		trap "kill $$! 2>/dev/null" EXIT INT TERM; $(PY) manage.py runserver 127.0.0.1:$(PORT)'

# Production-like, as deploy/ describes it: nginx on 127.0.0.1:$(PORT) serves /static/ (collected,
# hashed) and /media/ and passes the rest to gunicorn on a unix socket (DEBUG off, TRUSTED_PROXIES=1);
# the mail queue worker runs beside them. No demo content is loaded. Ctrl-C stops all three.
# Rendered configuration, logs and pid files: .data/serve/.
SERVE_ENV = $(DBENV) DEBUG=0 SECRET_KEY="$$(cat .data/secret_key)" SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"
serve: migrate nginx
	@test -f .data/secret_key || $(PY) -c 'import secrets; print(secrets.token_urlsafe(64))' > .data/secret_key
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(PY) deploy/serve.py --port $(PORT) --run-dir .data/serve

# Make sure a Redis answers on 127.0.0.1:6379: start the machine's, installing Debian's package if needed.
redis:
	@$(PYTHON) -c 'import socket; socket.create_connection(("127.0.0.1", 6379), 1).close()' 2>/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		command -v redis-server >/dev/null 2>&1 || { echo "Installing Debian's redis-server"; \
			$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null; }; \
		echo "Starting redis-server on 127.0.0.1:6379"; \
		mkdir -p .data/redis && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" \
			--appendonly no --dir "$$PWD/.data/redis" --logfile "$$PWD/.data/redis/redis.log"; \
		sleep 0.5; }

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx, for `make serve` and tests/deploy (run as a normal process, not the system service).
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
		echo "Installing Debian's nginx"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; }

# Compile the French and Spanish catalogues (locale/*/LC_MESSAGES/django.po) with GNU gettext's msgfmt,
# installing Debian's gettext if needed. The .mo files are build output, not committed.
messages: install
	@command -v msgfmt >/dev/null 2>&1 || { \
		echo "Installing Debian's gettext for the translation catalogues"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.data -v0

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

# Seed a separate database (greenjobs_bench) at scale, serve it with gunicorn (DEBUG off, page cache in
# Redis) and load it as traffic does: wrk -c32 over random real URLs, hot, cold and long-tail passes,
# each against /ping. Writes bench/results.md in about 10 minutes (BENCH_ARGS="--duration 2": quicker).
bench: db redis wrk
	$(DBENV) $(PY) -m bench.run $(BENCH_ARGS)

# Median and p95 search time over the seeded benchmark database (run `make bench` once first).
bench-search: db
	$(DBENV) $(PY) -m bench.run --search-only $(BENCH_ARGS)

lint: db
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DBENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/djlint --lint templates $(wildcard */templates)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: migrate chromium nginx wrk lint
	$(DBENV) $(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
