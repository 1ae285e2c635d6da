"""bench/run.py's load generator: wrk counts failed responses itself, and names their statuses on request."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from bench.run import Wrk

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
