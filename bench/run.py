"""`make bench`: seed a database at scale, serve it as production does, load it as real traffic does.

Traffic spreads over 20,000 stories, filter combinations, pages and months, so repeating one URL
per page type only measures the page cache. Four passes, each measurement against /ping run just
before and after it (same server and middleware, a fixed small response, no database), since the
machine is shared, its load drifts, and only ratios compare:

- hot: one URL repeated per page type, page cache on (Redis when REDIS_URL is set);
- cold: random URLs per page type, page cache off (a second gunicorn with PAGE_CACHE_SECONDS=0);
- long tail: a mix of random URLs weighted as traffic is, page cache on and off, in rounds (median ratio);
- in process: median server time and the most queries per page type, page cache off.

wrk picks a random URL from a list for every request (bench/random_urls.lua); the lists come from
the database (bench/url_lists.py). The work inside Django (seed, URL lists, in-process pass, search)
runs in fresh processes (bench/tasks.py). Writes bench/results.md and prints it.

    python -m bench.run [--duration 2] [--search-only] ...   (`make bench`, `make bench-search`)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from bench.report import report
from tools.dbprep import create_database

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "random_urls.lua"


def bench_database_url(name: str) -> str:
    saved = ROOT / ".data" / "database_url"
    base = os.environ.get("DATABASE_URL") or (saved.read_text().strip() if saved.exists() else "postgres:///greenjobs")
    parts = urlsplit(base)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}/{name}{query}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def python(env: dict, *args: str, capture: bool = False) -> str:
    """Run this Python in the project with `env`: `manage.py ...` or `-m bench.tasks ...`; its output if captured."""
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True)
    return result.stdout if capture else ""


def clear_redis(url: str, prefix: str, kind: str = "") -> None:
    """Forget what an earlier run cached under this bench's key prefix (the data may differ); ``kind``:
    only the keys of Django's cache that start with it ("page": the page cache's, ``page:<sha256>``, not
    derived data whose names hold ":page:")."""
    if not url:
        return
    try:
        import redis
    except ImportError:
        return
    try:
        client = redis.Redis.from_url(url, socket_timeout=2)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if kind:  # Django's keys are prefix:version:key
            keys = [key for key in keys if key.split(b":", 3)[2:3] == [kind.encode()]]
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    except redis.RedisError as error:
        print(f"  (Redis not cleared: {error})", file=sys.stderr)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


class Server:
    """gunicorn on a free port. restart() drops queued requests with the listening socket (and PostgreSQL
    ends their queries), when a page has tied up every worker for too long."""

    def __init__(self, env: dict, workers: int, log: Path):
        self.env, self.workers, self.log, self.process, self.restarts = env, workers, log, None, 0

    def start(self) -> None:
        port = free_port()
        with self.log.open("a") as log_file:
            self.process = subprocess.Popen(
                [
                    *(str(VENV_BIN / "gunicorn"), "greenjobs.wsgi", "--bind", f"127.0.0.1:{port}"),
                    *("--workers", str(self.workers), "--graceful-timeout", "1", "--timeout", "30"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{port}"
        wait_for(f"{self.url}/healthz")

    def stop(self) -> None:
        self.process.terminate()  # gunicorn closes its socket, and kills busy workers after --graceful-timeout
        self.process.wait(timeout=30)

    def restart(self) -> None:
        self.restarts += 1
        self.stop()
        self.start()


@contextmanager
def gunicorn(env: dict, workers: int, log: Path):
    server = Server(env, workers, log)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def merge_statuses(listed: str) -> str:
    """Sum the counts of the wrk threads: "500x3 404x1 500x2" -> "404x1 500x5"."""
    counts: dict[str, int] = {}
    for item in listed.split():
        status, _, count = item.partition("x")
        counts[status] = counts.get(status, 0) + int(count)
    return " ".join(f"{status}x{count}" for status, count in sorted(counts.items()))


def drain(server: Server, seconds: float = 5) -> None:
    """Wait for the requests wrk left queued (a /ping answers after them), restarting after `seconds`."""
    try:
        with urllib.request.urlopen(f"{server.url}/ping", timeout=seconds) as response:
            response.read()
    except OSError:
        server.restart()


def bench_line(out: str) -> dict:
    """The "BENCH {json}" line that bench/random_urls.lua's done() prints."""
    return json.loads(re.search(r"^BENCH (\{.*\})$", out, re.MULTILINE).group(1))


class Wrk:
    def __init__(self, connections: int, workdir: Path):
        self.connections, self.workdir, self.lists = connections, workdir, 0

    def __call__(self, server: Server, urls: list[str], duration: float) -> dict:
        """Load random URLs of the list for `duration` seconds after a 1 s warm-up; rps, latency, errors.

        Requests still queued when wrk stops are let through before the next measurement (drain)."""
        self.lists += 1
        url_file = self.workdir / f"urls-{self.lists}.txt"
        url_file.write_text("\n".join(urls) + "\n")
        env = dict(os.environ, BENCH_URLS=str(url_file))
        command = ["wrk", "-s", str(LUA), "--timeout", "2s"]
        # Warm up with one connection per worker, so that few requests are left queued after it.
        subprocess.run(
            [*command, "-t1", f"-c{server.workers}", "-d1s", server.url], env=env, capture_output=True, check=True
        )
        drain(server)
        command += ["-t2", f"-c{self.connections}"]
        out = subprocess.run(
            [*command, f"-d{duration:g}s", server.url], env=env, capture_output=True, text=True, check=True
        ).stdout
        result = bench_line(out)
        drain(server)
        if result["errors"]:
            result["statuses"] = self.statuses(server, command, env)
        return {
            "rps": result["requests"] / (result["duration_us"] / 1e6),
            "p50": result["p50_us"] / 1000,
            "p99": result["p99_us"] / 1000,
            "timeouts": result["timeouts"],
            "errors": result["errors"] + result["socket_errors"],
            "statuses": result["statuses"],
        }

    @staticmethod
    def statuses(server: Server, command: list[str], env: dict) -> str:
        """Which statuses failed, from 2 s more of the same load with the script recording them (it is
        slower so: not for the measurement itself)."""
        env = dict(env, BENCH_STATUSES="1")
        out = subprocess.run([*command, "-d2s", server.url], env=env, capture_output=True, text=True, check=True).stdout
        drain(server)
        seen = bench_line(out)["statuses"]
        return f"in 2 s more: {merge_statuses(seen)}" if seen else ""


def ping(wrk: Wrk, server: Server, duration: float) -> float:
    result = wrk(server, ["/ping"], duration)
    print(f"  /ping: {result['rps']:.0f} req/s", file=sys.stderr)
    return result["rps"]


def run_pass(wrk: Wrk, server: Server, lists: list[tuple[str, str, list[str]]], duration: float) -> dict:
    """Each page type between two /ping runs, its ratio to their mean: the machine's load drifts within a
    pass (/ping moved from 2,542 to 1,948 req/s across one), and a baseline taken only at the two ends
    of it made the same code's hot ratios move from 0.6 to 1.2."""
    pings = [ping(wrk, server, duration)]
    rows = []
    for key, label, urls in lists:
        result = wrk(server, urls, duration)
        pings.append(ping(wrk, server, duration))
        result["baseline"] = statistics.mean(pings[-2:])
        rows.append((key, label, urls, result))
        print(f"  {label}: {result['rps']:.0f} req/s, p99 {result['p99']:.0f} ms", file=sys.stderr)
    return {"baseline": statistics.mean(pings), "pings": (min(pings), max(pings)), "rows": rows}


def load(args, *, env: dict, env_off: dict, lists: dict, types: list[dict], workdir: Path, forget_pages=None):
    """The hot, cold and long-tail passes with wrk (each None when not asked for), and the restarts."""
    passes = set(args.passes.split(","))
    wrk = Wrk(args.connections, workdir)
    hot = cold = tail = None
    with (
        gunicorn(env, args.workers, workdir / "on.log") as on,
        gunicorn(env_off, args.workers, workdir / "off.log") as off,
    ):
        if "hot" in passes:
            print("hot pass (page cache on)", file=sys.stderr)
            hot = run_pass(wrk, on, [(t["key"], t["label"], t["urls"][:1]) for t in types], args.duration)
        if "cold" in passes:
            print("cold pass (page cache off)", file=sys.stderr)
            cold = run_pass(wrk, off, [(t["key"], t["label"], t["urls"]) for t in types], args.duration)
        if "tail" in passes:
            rounds = range(args.tail_rounds)
            tail = {"rounds": [tail_round(wrk, on, off, lists["mix"], args, forget_pages=forget_pages) for _ in rounds]}
        restarts = on.restarts + off.restarts
    return hot, cold, tail, restarts


def tail_round(wrk: Wrk, on: Server, off: Server, mix: list[str], args, *, forget_pages=None) -> dict:
    """One round of the long tail: /ping, the mix with the page cache on, then off, /ping again.

    The machine's load drifts within seconds (/ping has moved by half between the two ends of one
    round), so the report takes each ratio's median over several rounds, each against its own /ping.
    Each round starts with an empty page cache (``forget_pages``), so that no round finds the pages an
    earlier one left (the mix has 6,000 distinct URLs); derived data stays, as it does between changes."""
    print("long tail (page cache on, then off)", file=sys.stderr)
    if forget_pages:
        forget_pages()
    before = ping(wrk, on, args.duration)
    rows = [
        ("tail-on", "on", mix, wrk(on, mix, args.tail_duration)),
        ("tail-off", "off", mix, wrk(off, mix, args.tail_duration)),
    ]
    for _, label, _, r in rows:
        print(f"  page cache {label}: {r['rps']:.0f} req/s, p99 {r['p99']:.0f} ms", file=sys.stderr)
    after = ping(wrk, off, args.duration)
    return {"baseline": statistics.mean([before, after]), "pings": (before, after), "rows": rows}


def in_process(args, env_off: dict, types: list[dict], workdir: Path) -> dict | None:
    """Median server time and most queries per page type, rendered in a fresh process."""
    print("cold pass in process", file=sys.stderr)
    (workdir / "types.json").write_text(json.dumps({"types": types}))
    out = subprocess.run(
        [sys.executable, "-m", "bench.tasks", "inprocess", str(workdir / "types.json"), str(args.samples)],
        check=False,
        cwd=ROOT,
        env=dict(env_off, ALLOWED_HOSTS="127.0.0.1,localhost,testserver"),
        stdout=subprocess.PIPE,
        text=True,
    )
    if out.returncode:
        print("in-process pass failed", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=5, help="seconds of load per page type (default 5)")
    parser.add_argument("--tail-duration", type=float, default=8, help="seconds of long-tail load (default 8)")
    parser.add_argument("--tail-rounds", type=int, default=3, help="rounds of the long tail (default 3)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument("--samples", type=int, default=20, help="URLs per page type in process (default 20)")
    parser.add_argument("--passes", default="hot,cold,tail", help="comma-separated subset of hot,cold,tail")
    parser.add_argument("--types", default="", help="only these page types (comma-separated keys), for trials")
    parser.add_argument("--database", default="greenjobs_bench", help="name of the bench database")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--reseed", action="store_true", help="seed again even if the data is current")
    parser.add_argument("--search-only", action="store_true", help="only time searches (make bench-search)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    passes = set(args.passes.split(","))

    database_url = bench_database_url(args.database)
    create_database(database_url)
    redis_url = os.environ.get("REDIS_URL", "")
    prefix = f"bench-{args.database}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="greenjobs.settings",
        CACHE_KEY_PREFIX=prefix,
        PAGE_CACHE_SECONDS="60",
    )
    env.pop("PYTHONPATH", None)
    python(env, "manage.py", "migrate", "--noinput", "-v0")
    python(env, "manage.py", "createcachetable")
    python(env, "-m", "bench.tasks", "seed", *(["--reseed"] if args.reseed else []))
    if args.search_only:
        python(env, "-m", "bench.tasks", "search")
        return
    python(env, "manage.py", "collectstatic", "--noinput", "-v0")
    clear_redis(redis_url, prefix)
    # Bound what one pathological page can cost: PostgreSQL cancels a 10 s statement, and ends the query
    # of a worker that was killed (gunicorn's timeout, or a restart) instead of running it to the end.
    options = f"{os.environ.get('PGOPTIONS', '')} -c statement_timeout=10s -c client_connection_check_interval=1s"
    env_on = dict(env, PGOPTIONS=options.strip())
    env_off = dict(env_on, PAGE_CACHE_SECONDS="0")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        python(env, "-m", "bench.tasks", "urls", str(workdir / "urls.json"))
        lists = json.loads((workdir / "urls.json").read_text())
        chosen = set(args.types.split(",")) if args.types else None
        types = [t for t in lists["types"] if chosen is None or t["key"] in chosen]
        hot, cold, tail, restarts = load(
            args,
            env=env_on,
            env_off=env_off,
            lists=lists,
            types=types,
            workdir=workdir,
            forget_pages=lambda: clear_redis(redis_url, prefix, "page"),
        )
        inprocess = in_process(args, env_off, types, workdir) if "cold" in passes else None
        measured = [hot, cold, *(tail["rounds"] if tail else [])]
        all_rows = [row for p in measured if p for row in p["rows"]]
        if any(r["errors"] or not r["rps"] for *_, r in all_rows):
            for log in ("on.log", "off.log"):
                print(f"--- end of gunicorn's {log} (page cache {log[:-4]})", file=sys.stderr)
                print((workdir / log).read_text()[-3000:], file=sys.stderr)

    search = python(env, "-m", "bench.tasks", "search", capture=True).strip()
    took = time.monotonic() - started
    lines = report(args, hot=hot, cold=cold, tail=tail, inprocess=inprocess, lists=lists, types=types, took=took)
    if restarts:
        times = f"{restarts} time" + ("s" if restarts > 1 else "")
        lines[2] += (
            f" gunicorn was restarted {times}, when the requests left queued by a measurement had "
            "not all been answered 5 s after it."
        )
    lines += ["## Search (in process, the code path of /search/)", "", "```", search, "```"]
    table = "\n".join(lines) + "\n"
    print(table)
    args.results.write_text(table)
    print(f"written to {args.results} in {took / 60:.1f} min", file=sys.stderr)


if __name__ == "__main__":
    main()
