"""The report of `make bench` (bench/results.md): one table per pass, each page type against its target."""

from __future__ import annotations

import os
import statistics
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOT_RATIO, TAIL_RATIO, TAIL_P99_MS, COLD_MS, COLD_QUERIES = 0.7, 0.15, 250, 15, 6


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


PING_NOTE = (
    "/ping: {mean:.0f} req/s on average, from {low:.0f} to {high:.0f}; each page type is measured between two "
    "/ping runs and compared with their mean (/ping around it)."
)


def _pings(measured: dict) -> dict:
    return {"mean": measured["baseline"], "low": measured["pings"][0], "high": measured["pings"][1]}


def hot_table(hot: dict) -> list[str]:
    lines = [
        f"## Hot: one URL repeated per page type, page cache on (target ≥ {HOT_RATIO}x /ping, no errors)",
        "",
        PING_NOTE.format(**_pings(hot)),
        "",
        "| page | URL | req/s | p50 ms | p99 ms | /ping around it | x /ping | timeouts | errors | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for _, label, urls, r in hot["rows"]:
        ratio = r["rps"] / r["baseline"]
        ok = ratio >= HOT_RATIO and not r["errors"]
        lines.append(
            f"| {label} | `{urls[0]}` | {r['rps']:.0f} | {latency_cells(r)} | {r['baseline']:.0f} | {ratio:.2f} "
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
        lines += [PING_NOTE.format(**_pings(cold))]
    lines += [
        f"In process: median server time and most queries over {samples} random URLs of each type "
        "(Django's test Client, CaptureQueriesContext).",
        "",
        "| page | URLs | req/s | p50 ms | p99 ms | /ping around it | x /ping | timeouts | errors | in-process ms "
        "| queries | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    wrk_rows = {key: r for key, _, _, r in cold["rows"]} if cold else {}
    for page_type in types:
        key, label = page_type["key"], page_type["label"]
        r, p = wrk_rows.get(key), (inprocess or {}).get(key)
        cells = ["-", "- | -", "-", "-", "-", "-"]
        if r:
            ratio = r["rps"] / r["baseline"]
            cells = [f"{r['rps']:.0f}", latency_cells(r), f"{r['baseline']:.0f}", f"{ratio:.2f}"]
            cells += [timeouts_cell(r), errors_cell(r)]
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
    """Per page cache setting: the median round's ratio to /ping (each round against its own /ping), the
    worst p99, and every round's timeouts and errors; a pass needs all of them."""
    mix = ", ".join(f"{share} % {key}" for key, share in lists["long_tail"].items())
    rounds = tail["rounds"]
    pings = ", ".join(f"{r['baseline']:.0f} ({r['pings'][0]:.0f}, {r['pings'][1]:.0f})" for r in rounds)
    lines = [
        f"## Long tail: random URLs mixed as traffic is (target ≥ {TAIL_RATIO}x /ping, p99 < {TAIL_P99_MS} ms, "
        "no timeouts, no errors)",
        "",
        f"Mix: {mix}; {len(lists['mix'])} URLs, {len(set(lists['mix']))} distinct.",
        f"{len(rounds)} rounds, each /ping, page cache on, page cache off, /ping. x /ping is the median of the "
        "rounds' ratios, each to the mean of its round's two /ping runs; p99 is the worst round's; timeouts "
        "and errors are summed.",
        f"/ping per round: {pings} req/s (mean (before, after))",
        "",
        "| page cache | req/s (median) | p50 ms (median) | p99 ms (worst) | x /ping (median) | x /ping per round "
        "| timeouts | errors | result |",
        "|---|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for index, (_, label, _, _) in enumerate(rounds[0]["rows"]):
        results = [round_["rows"][index][3] for round_ in rounds]
        ratios = [r["rps"] / round_["baseline"] for r, round_ in zip(results, rounds, strict=True)]
        ratio = statistics.median(ratios)
        worst = {
            "rps": min(r["rps"] for r in results),
            "p99": max(r["p99"] for r in results),
            "timeouts": sum(r["timeouts"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "statuses": " ".join(r["statuses"] for r in results if r["statuses"]),
        }
        ok = (
            ratio >= TAIL_RATIO
            and worst["p99"] < TAIL_P99_MS
            and not worst["timeouts"]
            and not worst["errors"]
            and worst["rps"]
        )
        lines.append(
            f"| {label} | {statistics.median(r['rps'] for r in results):.0f} "
            f"| {statistics.median(r['p50'] for r in results):.1f} | {worst['p99']:.1f} | {ratio:.2f} "
            f"| {', '.join(f'{x:.2f}' for x in ratios)} | {timeouts_cell(worst)} | {errors_cell(worst)} "
            f"| {verdict(ok)} |"
        )
    return lines


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
        f"after 1 s of warm-up (one connection per worker), {args.tail_rounds} rounds of {args.tail_duration:g} s "
        "for the long tail. Absolute numbers are noisy: compare "
        "the ratios to /ping, measured on the same server before and after each pass. "
        f"Whole run: {took / 60:.1f} min.",
        "",
        "Data: 20,000 published and 2,000 pending case stories, 5,000 events (2020-2028), 200 courses, "
        "300 themes; Zipfian text, themes and countries (bench/seed.py).",
        "",
    ]
    if hot:
        lines += [*hot_table(hot), ""]
    if cold or inprocess:
        lines += [*cold_table(cold, inprocess, types, args.samples), ""]
    if tail:
        lines += [*tail_table(tail, lists), ""]
    return lines
