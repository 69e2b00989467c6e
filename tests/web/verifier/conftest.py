"""A Chromium page that has loaded the browser's verifier, and the differential corpus.

The verifier (``web/static/js/verifier``) runs in Debian's Chromium, driven
by Playwright, from a page served by a standard-library HTTP server on
127.0.0.1 (a secure context, as WebCrypto needs).  The server serves the
``web`` folder as it is (``/static/...``, and the tests' ES modules under
``/mutation/spec/...``), a test page at ``/`` and the corpus at
``/corpus.json``.  One browser and one page serve the whole session.

Without ``/usr/bin/chromium`` or Playwright the tests skip with the
reason, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.web.verifier import corpus

WEB = Path(__file__).resolve().parents[3] / "web"
TEST_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>verifier tests</title>
<script type="module">
import * as verifier from "/static/js/verifier/index.js";
import * as differential from "/mutation/spec/differential.mjs";
window.verifier = verifier;
window.differential = differential;
window.verifierReady = true;
</script></head><body></body></html>
"""


class _Handler(SimpleHTTPRequestHandler):
    """Serves the web folder, the test page and the corpus; logs nothing."""

    extensions_map = {  # noqa: RUF012 (the standard library's own class attribute)
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".html": "text/html",
    }
    published: dict[str, bytes]

    def do_GET(self) -> None:
        if self.path in ("/", "/corpus.json"):
            body = TEST_PAGE if self.path == "/" else self.published["corpus"]
            self.send_response(200)
            self.send_header(
                "Content-Type", "text/html" if self.path == "/" else "application/json"
            )
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


_PUBLISHED: dict[str, bytes] = {"corpus": b"{}"}


@pytest.fixture(scope="session")
def corpus_data() -> dict[str, Any]:
    """The differential corpus, judged by the Python verifier (built once per session),
    and served to the page at ``/corpus.json``."""
    data = corpus.build()
    _PUBLISHED["corpus"] = json.dumps(data).encode()
    return data


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"published": _PUBLISHED})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(WEB)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def page(server: str, browser: Any) -> Iterator[Any]:
    """One Chromium page with the verifier loaded as ``window.verifier``.

    The browser is the session's one Chromium (``tests/web/conftest.py``): Playwright's
    sync API runs one event loop per thread, so a second instance in the same worker
    would refuse to start."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/")
    page.wait_for_function("window.verifierReady === true", timeout=10_000)
    assert errors == []
    yield page
    page.close()
