"""The web processes' entry point: what it sets up before the first request."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_web_processes_keep_the_loaded_application_out_of_the_garbage_collector():
    """Loading ``greenjobs.wsgi`` (as gunicorn does) freezes the objects the application loaded and makes
    the youngest generation of the cyclic collector much larger than Python's 700."""
    script = "import gc, greenjobs.wsgi as w; print(gc.get_threshold()[0], gc.get_freeze_count(), w.GC_THRESHOLD)"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    threshold, frozen, constant = map(int, out.stdout.split())
    assert threshold == constant >= 10_000
    assert frozen > 10_000  # Django, the apps and the URLconf: their objects are frozen
