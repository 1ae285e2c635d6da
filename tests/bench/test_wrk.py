"""bench/run.py's load generator: wrk counts failed responses itself, and names their statuses on request."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import redis

from bench import report
from bench.run import Wrk, clear_redis

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by `make wrk` (`make test`)")


class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 404 if self.path == "/missing" else 200
        body = b"x" * (300_000 if self.path == "/big" else 2)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{httpd.server_port}", workers=2)
    httpd.shutdown()
    httpd.server_close()


def test_pages_that_answer_count_no_errors(server, tmp_path):
    result = Wrk(4, tmp_path)(server, ["/ok", "/big"], 1)
    assert result["rps"] > 0 and result["errors"] == 0 and result["statuses"] == ""


def test_failed_responses_are_counted_and_their_statuses_named(server, tmp_path):
    result = Wrk(4, tmp_path)(server, ["/ok", "/missing"], 1)
    assert result["errors"] > 0
    assert result["statuses"].startswith("in 2 s more: 404x")


def _round(ping: float, on: float, off: float, p99: float = 100.0, errors: int = 0) -> dict:
    def result(rps):
        return {"rps": rps, "p50": 50.0, "p99": p99, "timeouts": 0, "errors": errors, "statuses": ""}

    return {
        "baseline": ping,
        "pings": (ping, ping),
        "rows": [("tail-on", "on", [], result(on)), ("tail-off", "off", [], result(off))],
    }


def _rows(tail: dict) -> dict[str, list[str]]:
    lists = {"long_tail": {"story": 100}, "mix": ["/a/"]}
    lines = report.tail_table(tail, lists)
    return {
        cells[1].strip(): [c.strip() for c in cells]
        for cells in (line.split("|") for line in lines if line.startswith("| o"))
    }


def test_the_long_tail_passes_on_the_median_round_each_against_its_own_ping():
    # One round on a busy moment (/ping low and the pages lower): the median of the ratios decides.
    rows = _rows({"rounds": [_round(2000, 340, 320), _round(1300, 150, 140), _round(1900, 330, 300)]})
    assert rows["on"][5] == "0.17" and rows["on"][6] == "0.17, 0.12, 0.17" and rows["on"][-2] == "pass"
    assert rows["off"][5] == "0.16" and rows["off"][-2] == "pass"
    rows = _rows({"rounds": [_round(2000, 280, 320), _round(2000, 290, 300), _round(2000, 400, 300)]})
    assert rows["on"][5] == "0.14" and rows["on"][-2] == "**FAIL**"


def test_any_round_with_errors_or_a_slow_p99_fails_the_long_tail():
    rows = _rows({"rounds": [_round(2000, 340, 320), _round(2000, 340, 320, p99=260.0), _round(2000, 340, 320)]})
    assert rows["on"][4] == "260.0" and rows["on"][-2] == "**FAIL**"
    rows = _rows({"rounds": [_round(2000, 340, 320), _round(2000, 340, 320, errors=2), _round(2000, 340, 320)]})
    assert rows["off"][8] == "2" and rows["off"][-2] == "**FAIL**"  # summed over the rounds


def test_each_round_forgets_the_page_cache_and_keeps_derived_data(redis_url, key_prefix):
    client = redis.Redis.from_url(redis_url)
    prefix = f"{key_prefix}-bench"
    names = ["page:" + "a" * 64, "derived:5:courses:page:fr:12", "cases:card-item:en:h3:5:7", "content-version"]
    for name in names:
        client.set(f"{prefix}:1:{name}", b"x")
    clear_redis(redis_url, prefix, "page")
    left = sorted(key.decode().split(":", 2)[2] for key in client.scan_iter(match=f"{prefix}:*"))
    assert left == sorted(names[1:])


def test_each_hot_page_is_compared_with_the_ping_runs_around_it():
    def row(label, rps, baseline):
        result = {"rps": rps, "p50": 5.0, "p99": 9.0, "timeouts": 0, "errors": 0, "statuses": "", "baseline": baseline}
        return ("k", label, ["/x/"], result)

    hot = {"baseline": 2000, "pings": (1500, 2500), "rows": [row("busy", 1100, 1500), row("quiet", 1700, 2500)]}
    lines = {
        line.split("|")[1].strip(): line
        for line in report.hot_table(hot)
        if line.startswith("| busy") or line.startswith("| quiet")
    }
    assert "| 1500 | 0.73 |" in lines["busy"] and lines["busy"].endswith("| pass |")  # 0.55 against the pass's mean
    assert "| 2500 | 0.68 |" in lines["quiet"] and lines["quiet"].endswith("| **FAIL** |")  # 0.85 against it
