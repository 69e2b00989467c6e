"""B7: the web application's pages: server time per page, and the script each page loads.

The demo ledgers (``medledger demo``, SQLite, as ``make run`` serves them)
are served in this process by the site ``medledger serve`` runs
(``web.site.create_site``); each page is asked ``B7_REQUESTS`` times (default
50) by a logged-in demo person, and the time inside the server is read
from the ``Server-Timing`` header the edge middleware sets, so the network
and the client take no part.  The reference, measured in the same run the
same way: a B5 read, the API's timeline of the same matter, read with a
bearer token (DESIGN.md 9: every page's server time at most 2 x a B5
read).  Script weight: the bytes of every ES module a page loads, its
``<script src>`` and everything those import, as the browser fetches them.

Pages are listed in ``PAGES``; a page added to the application is added
there.  Nothing asserts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.settings import ApiSettings
from benchmarks.common import line, percentiles
from cli.key_files import load_person_key
from ledger.client.http import answer_challenge
from ledger.protocol.keys import PersonKey

REQUESTS = int(os.environ.get("B7_REQUESTS", "50"))
ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "web" / "static"
MATTER = "okonomi-4mio"
_SCRIPT = re.compile(r'<script[^>]*\bsrc="(/static/[^"]+)"')
_IMPORT = re.compile(r'(?:import|from)\s*[(]?\s*"(\.{1,2}/[^"]+\.js)"')


@dataclass(frozen=True)
class Page:
    """One page as a person reads it: a name, who asks in which ledger (None: nobody
    logged in), the path."""

    name: str
    who: str | None
    path: str
    ledger: str = "ballerup"


L = "/l/ballerup"
PAGES: tuple[Page, ...] = (
    Page("start", None, "/"),
    Page("verify", None, "/verify"),
    Page("login", None, f"{L}/login"),
    Page("ask for access", None, f"{L}/tilmelding"),
    Page("Mine sager", "tr-okonomi", f"{L}/sager"),
    Page("a matter", "tr-okonomi", f"{L}/sager/{MATTER}"),
    Page("a matter as of size 40", "tr-okonomi", f"{L}/sager/{MATTER}?as_of=40"),
    Page("an action's form", "hmed-nfmd", f"{L}/sager/budget-forslag/handling/position"),
    Page("open a matter", "okonomichef", f"{L}/ny-sag"),
    Page("share material", "kd", f"{L}/sager/teknologi-dialog/handling/material"),
    Page("the decision form", "kd", f"{L}/sager/teknologi-dialog/handling/decision"),
    Page("a dossier", "tr-okonomi", f"{L}/sager/{MATTER}/dossier"),
    Page("the MED rules", "tr-okonomi", f"{L}/regler"),
    Page("my involvement", "tr-okonomi", f"{L}/mig"),
    Page("a receipt", "tr-okonomi", f"{L}/kvittering/{MATTER}"),
    Page("a proof", "tr-okonomi", f"{L}/bevis/{{leaf}}"),  # the matter's first event
    Page("audit", "revision", "/l/kk-buf/revision", "kk-buf"),
    Page("administration", "bal-admin", f"{L}/admin"),
    Page("meeting calendar", "kd", f"{L}/moeder?body=bal-hmed"),
    Page("a meeting", "kd", f"{L}/moeder/bal-hmed/2026-08-10"),
    Page(
        "the meeting form",
        "kd",
        f"{L}/sager/teknologi-dialog/handling/meeting?body=bal-hmed&date=2026-08-10",
    ),
    Page("approving the minutes", "kd", f"{L}/sager/teknologi-dialog/handling/approve?meeting=3"),
    Page("dashboards", "kd", f"{L}/overblik"),
    Page("HovedMED's dashboard", "kd", f"{L}/overblik/bal-hmed"),
    Page("the LokalMED reach", "dir-buf", "/l/kk-buf/raekkevidde/buf-hmed", "kk-buf"),
    Page("my notifications", "tr-okonomi", f"{L}/beskeder"),
)


def _server_ms(response: httpx.Response) -> float:
    timing = response.headers["server-timing"]
    return float(timing.split("dur=", 1)[1])


class Visitor:
    """One person's client of the site: their own cookie jar, logged in with their demo key."""

    def __init__(self, app: FastAPI, keys: Path, ledger: str, who: str | None) -> None:
        self.http = TestClient(app, follow_redirects=False)
        self.ledger = ledger
        self.token = ""
        if who is not None:
            key = load_person_key(keys / ledger / f"{who}.key")
            signed = self._signed_challenge(key)
            granted = self.http.post(f"/v1/ledgers/{ledger}/auth/token", json=signed)
            self.token = granted.json()["token"]
            self._signed_in(self._signed_challenge(key))

    def _signed_challenge(self, key: PersonKey) -> dict[str, str]:
        challenge = self.http.post(f"/v1/ledgers/{self.ledger}/auth/challenge").json()
        return answer_challenge(challenge, key)

    def _signed_in(self, signed: dict[str, str]) -> None:
        answer = self.http.post(f"/l/{self.ledger}/session", json=signed)
        if answer.status_code != 200:
            raise SystemExit(f"B7: logging in failed: {answer.status_code} {answer.text[:200]}")

    def times(self, path: str, *, bearer: bool = False) -> tuple[list[float], str]:
        """The server's time for ``REQUESTS`` reads of ``path``, and the last answer's text."""
        headers = {"Authorization": f"Bearer {self.token}"} if bearer else {}
        samples, text = [], ""
        for _ in range(REQUESTS):
            answer = self.http.get(path, headers=headers)
            if answer.status_code != 200:
                raise SystemExit(f"B7: {path} answered {answer.status_code}: {answer.text[:300]}")
            samples.append(_server_ms(answer))
            text = answer.text
        return samples, text


def _first_leaf(visitor: Visitor) -> int:
    answer = visitor.http.get(
        f"/v1/ledgers/ballerup/streams/matter/{MATTER}/events",
        params={"limit": 1},
        headers={"Authorization": f"Bearer {visitor.token}"},
    )
    return int(answer.json()["events"][0]["leaf_index"])


def script_bytes(html: str) -> int:
    """The bytes of every module the page loads: its scripts and all they import."""
    pending = [STATIC / src.removeprefix("/static/") for src in _SCRIPT.findall(html)]
    seen: set[Path] = set()
    while pending:
        path = pending.pop().resolve()
        if path in seen:
            continue
        seen.add(path)
        source = path.read_text("utf-8")
        pending.extend(path.parent / found for found in _IMPORT.findall(source))
    return sum(path.stat().st_size for path in seen)


def build_demo(directory: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLEDGER_")}
    subprocess.run(
        [sys.executable, "-m", "cli", "demo", "--dir", str(directory)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=env,
    )


def main() -> None:
    from web.site import create_site, settle_heap

    print(f"B7 web pages: server time over {REQUESTS} requests each, demo ledgers on SQLite")
    with tempfile.TemporaryDirectory(prefix="b7-") as tmp:
        directory = Path(tmp)
        build_demo(directory / "demo")
        settings = ApiSettings(
            database_url=f"sqlite:///{directory}/demo/ledger.db",
            log_keys=directory / "demo" / "log-keys",
            api_secret="b7-" + "x" * 40,
            demo_keys=directory / "demo" / "demo-keys",
            read_models_catch_up=True,
            log_level="warning",
        )
        app = create_site(settings)
        settle_heap()  # as ``medledger serve`` does once it has built the site
        keys = directory / "demo" / "demo-keys"
        with TestClient(app):  # runs the application's startup
            visitors = {(p.ledger, p.who): Visitor(app, keys, p.ledger, p.who) for p in PAGES}
            reference, _ = visitors["ballerup", "tr-okonomi"].times(
                f"/v1/ledgers/ballerup/matters/{MATTER}/timeline", bearer=True
            )
            ref50, ref99 = percentiles(reference)
            leaf = _first_leaf(visitors["ballerup", "tr-okonomi"])
            line("B7 reference: a B5 read (API timeline) p50/p99", f"{ref50:.1f}/{ref99:.1f} ms")
            for page in PAGES:
                path = page.path.replace("{leaf}", str(leaf))
                samples, html = visitors[page.ledger, page.who].times(path)
                p50, p99 = percentiles(samples)
                weight = script_bytes(html)
                line(
                    f"B7 {page.name}: server p50/p99, script",
                    f"{p50:.1f}/{p99:.1f} ms {weight:,} B",
                    p99 / ref99,
                    f"(p50 ratio {p50 / ref50:.2f}) p99 <= 2 x B5 read; script <= 200 KB",
                )


if __name__ == "__main__":
    main()
