"""`make bench`: seed a database at scale, serve it as production does, load it as real traffic does.

Traffic spreads over 20,000 stories, filter combinations, pages and months, so repeating one URL
per page type only measures the page cache. Four passes, each against /ping measured in the same
pass (same server and middleware, a fixed small response, no database), since the machine is shared
and only ratios compare:

- hot: one URL repeated per page type, page cache on (Redis when REDIS_URL is set);
- cold: random URLs per page type, page cache off (a second gunicorn with PAGE_CACHE_SECONDS=0);
- long tail: a mix of random URLs weighted as traffic is, page cache on and off;
- in process: median server time and the most queries per page type, page cache off.

wrk picks a random URL from a list for every request (bench/random_urls.lua); the lists come from
the database (`manage.py bench_seed --urls`). Writes bench/results.md and prints it.
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

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "random_urls.lua"

HOT_RATIO, TAIL_RATIO, TAIL_P99_MS, COLD_MS, COLD_QUERIES = 0.7, 0.15, 250, 15, 6


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


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def clear_redis(url: str, prefix: str) -> None:
    """Forget the pages an earlier run cached under this bench's key prefix (the data may differ)."""
    if not url:
        return
    try:
        import redis
    except ImportError:
        return
    try:
        client = redis.Redis.from_url(url, socket_timeout=2)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
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
        result = json.loads(re.search(r"^BENCH (\{.*\})$", out, re.MULTILINE).group(1))
        drain(server)
        return {
            "rps": result["requests"] / (result["duration_us"] / 1e6),
            "p50": result["p50_us"] / 1000,
            "p99": result["p99_us"] / 1000,
            "timeouts": result["timeouts"],
            "errors": result["errors"] + result["socket_errors"],
            "statuses": merge_statuses(result["statuses"]),
        }


def ping(wrk: Wrk, server: Server, duration: float) -> float:
    result = wrk(server, ["/ping"], duration)
    print(f"  /ping: {result['rps']:.0f} req/s", file=sys.stderr)
    return result["rps"]


def run_pass(wrk: Wrk, server: Server, lists: list[tuple[str, str, list[str]]], duration: float) -> dict:
    """/ping before and after the pages: the baseline is their mean, as the machine's load drifts."""
    before = ping(wrk, server, duration)
    rows = []
    for key, label, urls in lists:
        result = wrk(server, urls, duration)
        rows.append((key, label, urls, result))
        print(f"  {label}: {result['rps']:.0f} req/s, p99 {result['p99']:.0f} ms", file=sys.stderr)
    after = ping(wrk, server, duration)
    return {"baseline": statistics.mean([before, after]), "pings": (before, after), "rows": rows}


def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def latency_cells(result: dict) -> str:
    """p50 | p99: none when nothing was answered in time (wrk keeps no latency of a timed-out request)."""
    return f"{result['p50']:.1f} | {result['p99']:.1f}" if result["rps"] and result["p99"] else "- | -"


def timeouts_cell(result: dict) -> str:
    """wrk counts a timeout only when the late answer comes; a page may not answer at all."""
    return str(result["timeouts"]) if result["rps"] else "none answered"


def errors_cell(result: dict) -> str:
    return f"{result['errors']} ({result['statuses']})" if result["statuses"] else str(result["errors"])


def hot_table(hot: dict) -> list[str]:
    lines = [
        f"## Hot: one URL repeated per page type, page cache on (target ≥ {HOT_RATIO}x /ping, no errors)",
        "",
        f"/ping: {hot['baseline']:.0f} req/s (before {hot['pings'][0]:.0f}, after {hot['pings'][1]:.0f})",
        "",
        "| page | URL | req/s | p50 ms | p99 ms | x /ping | timeouts | errors | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for _, label, urls, r in hot["rows"]:
        ratio = r["rps"] / hot["baseline"]
        ok = ratio >= HOT_RATIO and not r["errors"]
        lines.append(
            f"| {label} | `{urls[0]}` | {r['rps']:.0f} | {latency_cells(r)} | {ratio:.2f} "
            f"| {timeouts_cell(r)} | {errors_cell(r)} | {verdict(ok)} |"
        )
    return lines


def cold_table(cold: dict | None, inprocess: dict | None, types: list[dict], samples: int) -> list[str]:
    lines = [
        f"## Cold: random URLs per page type, page cache off (target in process ≤ {COLD_MS} ms median "
        f"and ≤ {COLD_QUERIES} queries, no errors)",
        "",
    ]
    if cold:
        lines += [f"/ping: {cold['baseline']:.0f} req/s (before {cold['pings'][0]:.0f}, after {cold['pings'][1]:.0f})"]
    lines += [
        f"In process: median server time and most queries over {samples} random URLs of each type "
        "(Django's test Client, CaptureQueriesContext).",
        "",
        "| page | URLs | req/s | p50 ms | p99 ms | x /ping | timeouts | errors | in-process ms | queries | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    wrk_rows = {key: r for key, _, _, r in cold["rows"]} if cold else {}
    for page_type in types:
        key, label = page_type["key"], page_type["label"]
        r, p = wrk_rows.get(key), (inprocess or {}).get(key)
        cells = ["-", "- | -", "-", "-", "-"]
        if r:
            ratio = r["rps"] / cold["baseline"]
            cells = [f"{r['rps']:.0f}", latency_cells(r), f"{ratio:.2f}", timeouts_cell(r), errors_cell(r)]
        cells += [f"{p['ms']:.1f}", f"{p['queries']}"] if p else ["-", "-"]
        if p and p["n"] < samples:
            cells[-2] += f" (stopped after {p['n']})"
        if p and p["errors"]:
            cells[-1] += f" ({p['errors']} of {p['n']} failed)"
        ok = bool(p) and p["ms"] <= COLD_MS and p["queries"] <= COLD_QUERIES and not p["errors"]
        ok = ok and not (r and (r["errors"] or not r["rps"]))
        lines.append(f"| {label} | {len(page_type['urls'])} | {' | '.join(cells)} | {verdict(ok)} |")
    return lines


def tail_table(tail: dict, lists: dict) -> list[str]:
    mix = ", ".join(f"{share} % {key}" for key, share in lists["long_tail"].items())
    lines = [
        f"## Long tail: random URLs mixed as traffic is (target ≥ {TAIL_RATIO}x /ping, p99 < {TAIL_P99_MS} ms, "
        "no timeouts, no errors)",
        "",
        f"Mix: {mix}; {len(lists['mix'])} URLs, {len(set(lists['mix']))} distinct.",
        f"/ping: {tail['baseline']:.0f} req/s (before {tail['pings'][0]:.0f}, after {tail['pings'][1]:.0f})",
        "",
        "| page cache | req/s | p50 ms | p99 ms | x /ping | timeouts | errors | result |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for _, label, _, r in tail["rows"]:
        ratio = r["rps"] / tail["baseline"]
        ok = ratio >= TAIL_RATIO and r["p99"] < TAIL_P99_MS and not r["timeouts"] and not r["errors"] and r["rps"]
        lines.append(
            f"| {label} | {r['rps']:.0f} | {latency_cells(r)} | {ratio:.2f} | {timeouts_cell(r)} | {errors_cell(r)} "
            f"| {verdict(ok)} |"
        )
    return lines


def load(args, *, env: dict, env_off: dict, lists: dict, types: list[dict], workdir: Path):
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
            print("long tail (page cache on, then off)", file=sys.stderr)
            before = ping(wrk, on, args.duration)
            rows = [
                ("tail-on", "on", lists["mix"], wrk(on, lists["mix"], args.tail_duration)),
                ("tail-off", "off", lists["mix"], wrk(off, lists["mix"], args.tail_duration)),
            ]
            for _, label, _, r in rows:
                print(f"  page cache {label}: {r['rps']:.0f} req/s, p99 {r['p99']:.0f} ms", file=sys.stderr)
            after = ping(wrk, off, args.duration)
            tail = {"baseline": statistics.mean([before, after]), "pings": (before, after), "rows": rows}
        restarts = on.restarts + off.restarts
    return hot, cold, tail, restarts


def in_process(args, env_off: dict, types: list[dict], workdir: Path) -> dict | None:
    """Median server time and most queries per page type, rendered in a fresh process."""
    print("cold pass in process", file=sys.stderr)
    (workdir / "types.json").write_text(json.dumps({"types": types}))
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "inprocess.py"), str(workdir / "types.json"), str(args.samples)],
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


def code_version() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def report(args, *, hot, cold, tail, inprocess, lists, types, took: float) -> list[str]:
    lines = [
        f"# Benchmark of {code_version()}",
        "",
        f"{os.cpu_count()} CPUs shared with whatever else runs; gunicorn {args.workers} sync workers, DEBUG off, "
        f"REDIS_URL {'set' if os.environ.get('REDIS_URL') else 'unset'}; "
        f"wrk -t2 -c{args.connections}, a random URL of the list per request, {args.duration:g} s per page type "
        f"after 1 s of warm-up (one connection per worker), {args.tail_duration:g} s for the long tail. "
        "Absolute numbers are noisy: compare "
        "the ratios to /ping, measured on the same server before and after each pass. "
        f"Whole run: {took / 60:.1f} min.",
        "",
        "Data: 20,000 published and 2,000 pending case stories, 5,000 events (2020-2028), 200 courses, "
        "300 themes; Zipfian text, themes and countries (`manage.py bench_seed`).",
        "",
    ]
    if hot:
        lines += [*hot_table(hot), ""]
    if cold or inprocess:
        lines += [*cold_table(cold, inprocess, types, args.samples), ""]
    if tail:
        lines += [*tail_table(tail, lists), ""]
    return lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=5, help="seconds of load per page type (default 5)")
    parser.add_argument("--tail-duration", type=float, default=8, help="seconds of long-tail load (default 8)")
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
    sys.path.insert(0, str(ROOT))
    from greenjobs.dbprep import create_database

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
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "bench_seed", *(["--reseed"] if args.reseed else []))
    if args.search_only:
        manage(env, "bench_search")
        return
    manage(env, "collectstatic", "--noinput", "-v0")
    clear_redis(redis_url, prefix)
    # Bound what one pathological page can cost: PostgreSQL cancels a 10 s statement, and ends the query
    # of a worker that was killed (gunicorn's timeout, or a restart) instead of running it to the end.
    options = f"{os.environ.get('PGOPTIONS', '')} -c statement_timeout=10s -c client_connection_check_interval=1s"
    env_on = dict(env, PGOPTIONS=options.strip())
    env_off = dict(env_on, PAGE_CACHE_SECONDS="0")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        manage(env, "bench_seed", "--urls", str(workdir / "urls.json"))
        lists = json.loads((workdir / "urls.json").read_text())
        chosen = set(args.types.split(",")) if args.types else None
        types = [t for t in lists["types"] if chosen is None or t["key"] in chosen]
        hot, cold, tail, restarts = load(args, env=env_on, env_off=env_off, lists=lists, types=types, workdir=workdir)
        inprocess = in_process(args, env_off, types, workdir) if "cold" in passes else None
        all_rows = [row for p in (hot, cold, tail) if p for row in p["rows"]]
        if any(r["errors"] or not r["rps"] for *_, r in all_rows):
            for log in ("on.log", "off.log"):
                print(f"--- end of gunicorn's {log} (page cache {log[:-4]})", file=sys.stderr)
                print((workdir / log).read_text()[-3000:], file=sys.stderr)

    search = manage(env, "bench_search", capture=True).strip()
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
