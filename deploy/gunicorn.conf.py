"""gunicorn settings for Green Jobs Portal behind nginx (deploy/nginx/greenjobs.conf).

Used as ``gunicorn -c deploy/gunicorn.conf.py``; the command line overrides any of these
(``make serve`` passes its own ``--bind`` and log files).
"""

import multiprocessing
import os

wsgi_app = "greenjobs.wsgi:application"

# nginx connects here; /run/greenjobs is systemd's RuntimeDirectory (deploy/systemd/greenjobs.service).
bind = os.environ.get("GUNICORN_BIND", "unix:/run/greenjobs/gunicorn.sock")

# Plain sync workers: nginx buffers requests and responses, so a worker is busy only while
# Django works, never while a slow client uploads or downloads.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))

# A worker silent for this long is killed and replaced (nginx's proxy_read_timeout is 60 s).
timeout = 30
# On SIGTERM (stop) or SIGHUP (reload), requests in flight get this long to finish.
graceful_timeout = 30
# Recycle each worker after about a thousand requests, staggered, so slow leaks cannot grow.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files live in memory, so a slow disk cannot make them look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The client's address as nginx saw it (X-Forwarded-For), and the time Django took in milliseconds.
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
