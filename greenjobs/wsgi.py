"""WSGI entry point of the web processes (gunicorn ``greenjobs.wsgi``).

Web processes bound every database wait (``DB_WEB_TIMEOUT``, ``DB_CONNECT_TIMEOUT``): while
PostgreSQL is down or frozen, visitors get a 503 page within seconds instead of a hung worker
(greenjobs/dbguard.py). Management commands keep their own, longer limits.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenjobs.settings")

application = get_wsgi_application()

from greenjobs.core import dbguard  # noqa: E402  (needs the settings loaded above)

dbguard.install()
