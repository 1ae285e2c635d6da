"""`make bench`: seed a database at scale, serve it as production does, load it with wrk.

Prints a table (page, requests/s, p50, p99, queries per request, ratio to the baseline) and
writes it to bench/results.md. The baseline is /ping: same server and middleware stack, a fixed
small response, no database.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results.md"


def bench_database_url() -> str:
    base = (ROOT / ".data" / "database_url").read_text().strip()
    parts = urlsplit(base)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}/greenjobs_bench{query}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, *, connections: int, duration: int) -> dict:
    subprocess.run(["wrk", "-t2", f"-c{connections}", "-d1s", url], capture_output=True, check=True)  # warm-up
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(errors.group(1)) if errors else 0}


def measure_queries(env: dict, paths: list[str]) -> dict[str, tuple[int, int]]:
    """Queries per request for each path: (first request, repeated request), in a fresh process."""
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client = Client()\n"
        "out = {}\n"
        "for path in json.loads(sys.argv[1]):\n"
        "    counts = []\n"
        "    for _ in range(2):\n"
        "        with CaptureQueriesContext(connection) as ctx:\n"
        "            response = client.get(path)\n"
        "        assert response.status_code == 200, (path, response.status_code)\n"
        "        counts.append(len(ctx.captured_queries))\n"
        "    out[path] = counts\n"
        "print(json.dumps(out))\n"
    )
    import json

    query_env = dict(env, ALLOWED_HOSTS="testserver,127.0.0.1")
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(paths)],
        cwd=ROOT,
        env=query_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return {path: tuple(counts) for path, counts in json.loads(result.stdout.strip().splitlines()[-1]).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument("--reseed", action="store_true", help="drop the bench data and seed again")
    parser.add_argument("--search-only", action="store_true", help="only time searches (make bench-search)")
    args = parser.parse_args()

    database_url = bench_database_url()
    # Create the bench database beside the development one; .data/database_url stays as it is.
    sys.path.insert(0, str(ROOT))
    from greenjobs.dbprep import create_database

    create_database(database_url)
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="greenjobs.settings",
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "bench_seed", *(["--reseed"] if args.reseed else []))
    if args.search_only:
        manage(env, "bench_search")
        return
    manage(env, "collectstatic", "--noinput", "-v0")
    paths = subprocess.run(
        [sys.executable, "manage.py", "bench_seed", "--print-paths"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    pages = [("baseline /ping", "/ping")] + [(path, path) for path in paths]

    port = free_port()
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "greenjobs.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        rows = []
        for label, path in pages:
            result = wrk(f"http://127.0.0.1:{port}{path}", connections=args.connections, duration=args.duration)
            rows.append((label, path, result))
            print(f"  {label}: {result['rps']:.0f} req/s", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)

    queries = measure_queries(env, [path for _, path in pages])
    baseline = rows[0][2]["rps"]
    lines = [
        f"# Benchmark ({os.cpu_count()} CPUs, gunicorn {args.workers} sync workers, wrk -c{args.connections}, "
        f"{args.duration}s per page, DEBUG off)",
        "",
        "| page | requests/s | p50 ms | p99 ms | queries (first / repeat) | ratio to baseline | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path, result in rows:
        first, repeat = queries.get(path, ("?", "?"))
        lines.append(
            f"| {label} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | {first} / {repeat} "
            f"| {result['rps'] / baseline:.2f} | {result['non2xx']} |"
        )
    search = subprocess.run(
        [sys.executable, "manage.py", "bench_search"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    lines += ["", "## Search (in-process, same code path as /search/)", "", "```", search, "```"]
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.write_text(table)
    print(f"written to {RESULTS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
