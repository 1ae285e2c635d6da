"""In-process cold pass of `make bench`: server time and queries per page type, page cache off.

Renders `samples` random URLs of each page type through Django's test Client, after one warm-up
request per type: {type: {ms, queries, queries_median, errors, n}}, where ms is the median time and
queries the most queries one request made.
"""

import random
import statistics
import sys
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

SECONDS_PER_TYPE, SLOW_MS = 10, 5000  # a type stops after 10 s, or after one request of 5 s


def measure(types: list[dict], samples: int) -> dict:
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    rng = random.Random(12)
    for page_type in types:
        client.get(page_type["urls"][0])
    out = {}
    for page_type in types:
        urls = page_type["urls"]
        chosen = rng.sample(urls, samples) if len(urls) >= samples else rng.choices(urls, k=samples)
        times, queries, errors = [], [], 0
        deadline = time.perf_counter() + SECONDS_PER_TYPE
        for url in chosen:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
            errors += not 200 <= response.status_code < 400
            if time.perf_counter() > deadline or times[-1] > SLOW_MS:
                break
        out[page_type["key"]] = {
            "ms": statistics.median(times),
            "queries": max(queries),
            "queries_median": statistics.median(queries),
            "errors": errors,
            "n": len(times),
        }
        print(f"  in process {page_type['key']}: {out[page_type['key']]['ms']:.1f} ms", file=sys.stderr)
    return out
