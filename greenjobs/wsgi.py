"""WSGI entry point of the web processes (gunicorn ``greenjobs.wsgi``).

Web processes bound every database wait (``DB_WEB_TIMEOUT``, ``DB_CONNECT_TIMEOUT``): while
PostgreSQL is down or frozen, visitors get a 503 page within seconds instead of a hung worker
(greenjobs/dbguard.py). Management commands keep their own, longer limits.

Rendering a page allocates tens of thousands of short-lived objects. Python's cyclic garbage collector
then collects its youngest generation every 700 allocations, and every 100 of those collections walks
every object the process holds, the loaded application included. Once the application is loaded, its
objects are moved out of the collector's sight (``gc.freeze``) and the youngest generation is collected
every ``GC_THRESHOLD`` allocations: about 5 % more requests a second on the benchmark's long tail, for a
few MB more memory between collections. Reference counting frees most objects at once either way; only
cycles wait for the collector.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenjobs.settings")

application = get_wsgi_application()

from greenjobs.core import dbguard  # noqa: E402  (needs the settings loaded above)

dbguard.install()

GC_THRESHOLD = 20_000
gc.freeze()
gc.set_threshold(GC_THRESHOLD, 20, 20)
