# Green Jobs Portal. The targets are the interface: run, test, lint, demo, serve, bench.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The database URL that greenjobs/dbprep.py settled on (env DATABASE_URL, local server, or embedded).
DBENV = DATABASE_URL="$$(cat .data/database_url)"
# Redis holds what several app servers share (page cache, content version, rate limits).
REDIS_URL ?= redis://127.0.0.1:6379/0
export REDIS_URL

.PHONY: run test lint demo serve bench bench-search install db migrate redis chromium nginx wrk format clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

db: install
	$(PY) -m greenjobs.dbprep

migrate: db redis
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

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

# Seed a separate database (greenjobs_bench) at scale, serve it with gunicorn (DEBUG off, page cache in
# Redis) and load it as traffic does: wrk -c32 over random real URLs, hot, cold and long-tail passes,
# each against /ping. Writes bench/results.md in about 10 minutes (BENCH_ARGS="--duration 2": quicker).
bench: db redis wrk
	$(DBENV) $(PY) bench/run.py $(BENCH_ARGS)

# Median and p95 search time over the seeded benchmark database (run `make bench` once first).
bench-search: db
	$(DBENV) $(PY) bench/run.py --search-only $(BENCH_ARGS)

lint: db
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DBENV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: migrate chromium nginx lint
	$(DBENV) $(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
