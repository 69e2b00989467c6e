"""B5: signed appends and timeline reads over HTTP against a server on PostgreSQL.

A real ``medledger serve`` process on 127.0.0.1 (uvicorn, PostgreSQL in a
fresh schema) is driven by client processes on the same machine:

- appends: ``B5_PROCS`` processes x ``B5_THREADS`` threads, each thread one
  employee representative with their own key, writing positions into
  ``B5_MATTERS`` matters in turn, so that several writers share each
  matter and race for its head; the SDK signs on the client, reads the head
  and retries on 409 exactly as a real client does.  Bounded by
  ``B5_APPENDS`` events and ``B5_SECONDS`` seconds.
- reads: the same processes and threads read matter timelines (the
  projections' timeline when the server offers it, else the matter's
  signed events) for ``B5_READ_SECONDS`` seconds or ``B5_READS`` reads.

Printed: appends/s and reads/s; p50/p99 of the POST as the client saw it,
of the time inside the server (its Server-Timing header), and of a whole
SDK append (head + sign + POST + retries); conflicts retried; ratios
against the targets (300 appends/s with p99 < 100 ms, 1,000 reads/s).
Client, server, projection worker and PostgreSQL share the machine's
cores: the figures are for all of them together.
Nothing asserts.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import PG_URL, backend_url, line, percentiles, postgres_available

PROCS = int(os.environ.get("B5_PROCS", "2"))
THREADS = int(os.environ.get("B5_THREADS", "8"))
MATTERS = int(os.environ.get("B5_MATTERS", "24"))
APPENDS = int(os.environ.get("B5_APPENDS", "3000"))
SECONDS = float(os.environ.get("B5_SECONDS", "20"))
READS = int(os.environ.get("B5_READS", "10000"))
READ_SECONDS = float(os.environ.get("B5_READ_SECONDS", "10"))
WORKERS = int(os.environ.get("B5_SERVER_WORKERS", "1"))
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Samples:
    done: int = 0
    conflicts: int = 0
    failures: int = 0
    post_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    append_ms: list[float] = field(default_factory=list)
    read_ms: list[float] = field(default_factory=list)
    read_server_ms: list[float] = field(default_factory=list)

    def merge(self, other: Samples) -> None:
        self.done += other.done
        self.conflicts += other.conflicts
        self.failures += other.failures
        for name in ("post_ms", "server_ms", "append_ms", "read_ms", "read_server_ms"):
            getattr(self, name).extend(getattr(other, name))


def _server_ms(response: httpx.Response) -> float | None:
    timing = response.headers.get("server-timing", "")
    if "dur=" not in timing:
        return None
    return float(timing.split("dur=", 1)[1].split(",", 1)[0])


def _start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text()[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def _setup(url: str, log_keys: Path, secret: str, writers: int) -> tuple[str, dict[str, bytes]]:
    """Found a ledger over HTTP: writers in one HovedMED, MATTERS matters opened."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from api.credentials import Sealer
    from ledger.client.http import HttpTransport
    from ledger.client.sdk import LedgerClient
    from ledger.domain import events as ev
    from ledger.protocol.envelope import matter_stream
    from ledger.protocol.keys import PersonKey
    from ledger.service.application import system_clock
    from ledger.storage.logkeys import LogKeyring

    origin = f"ledger.example/b5-{secrets.token_hex(3)}"
    ledger = origin.rsplit("/", 1)[-1]
    LogKeyring(log_keys).create(origin)
    ticket = Sealer(secret.encode(), system_clock, token_ttl=60, challenge_ttl=60).ticket(
        origin, 600
    )
    admin = PersonKey.generate("admin")
    founding = HttpTransport(url, creation_ticket=ticket)
    vkey = str(founding.ledger_info(ledger)["log_verifier_key"])
    LedgerClient(founding, admin, origin, clock=system_clock, ledger=ledger).create_ledger(
        name="B5", log_verifier_key=vkey, rulebook={"time_tolerance_seconds": 3600}
    )
    registry = LedgerClient(
        HttpTransport(url, key=admin), admin, origin, clock=system_clock, ledger=ledger
    )
    keys = {"direktor": PersonKey.generate("direktor")}
    keys.update({f"rep-{n}": PersonKey.generate(f"rep-{n}") for n in range(writers)})
    for person, key in keys.items():
        registry.append(
            "registry",
            ev.PersonEnrolled(person=person, key_id=key.key_id, public_key=key.public_key_b64),
        )
    registry.append("registry", ev.BodyEstablished(body="hmed", name="HovedMED", kind="hovedmed"))
    for person in keys:
        management = person == "direktor"
        registry.append(
            "registry",
            ev.MemberAppointed(
                body="hmed",
                person=person,
                side="management" if management else "employees",
                roles=["chair" if management else "member"],
            ),
        )
    director = LedgerClient(
        HttpTransport(url, key=keys["direktor"]),
        keys["direktor"],
        origin,
        clock=system_clock,
        ledger=ledger,
    )
    for m in range(MATTERS):
        director.append(
            matter_stream(f"sag-{m}"),
            ev.MatterOpened(
                title=f"Sag {m}",
                description="Belastningsprøve.",
                category="other",
                responsible_body="hmed",
                influence_level="discussion",
                decision_maker="direktor",
                planned_decision_date="2030-01-01",
            ),
        )
    seeds = {
        person: key.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        for person, key in keys.items()
    }
    return origin, seeds


def _client_process(job: dict[str, Any]) -> Samples:
    """One client process: THREADS writers (or readers), each on its own connection."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ledger.client.http import HttpTransport
    from ledger.client.sdk import LedgerClient
    from ledger.domain import events as ev
    from ledger.errors import ConflictError, LedgerError
    from ledger.protocol.envelope import matter_stream
    from ledger.protocol.keys import PersonKey
    from ledger.service.application import system_clock

    url, origin, mode = job["url"], job["origin"], job["mode"]
    ledger = origin.rsplit("/", 1)[-1]
    deadline = time.monotonic() + job["seconds"]
    quota = job["quota"]
    total = Samples()
    lock = threading.Lock()
    counter = [0]

    def take() -> bool:
        with lock:
            if counter[0] >= quota or time.monotonic() > deadline:
                return False
            counter[0] += 1
            return True

    def run(person: str, offset: int) -> None:
        key = PersonKey(person, Ed25519PrivateKey.from_private_bytes(job["seeds"][person]))
        mine = Samples()
        last: dict[str, float] = {}

        def on_response(response: httpx.Response) -> None:
            found = _server_ms(response)
            if found is not None:
                last["server"] = found

        transport = HttpTransport(url, key=key, timeout=30)
        transport.http.event_hooks["response"] = [on_response]
        n = offset
        if mode == "append":
            original_submit = transport.submit

            def timed_submit(ledger_id: str, wire: bytes) -> dict[str, Any]:
                started = time.perf_counter()
                try:
                    return original_submit(ledger_id, wire)
                except ConflictError:
                    mine.conflicts += 1
                    raise
                finally:
                    mine.post_ms.append((time.perf_counter() - started) * 1000)
                    if "server" in last:
                        mine.server_ms.append(last.pop("server"))

            transport.submit = timed_submit  # type: ignore[method-assign,assignment]
            client = LedgerClient(
                transport, key, origin, clock=system_clock, ledger=ledger, retries=50
            )
            while take():
                stream = matter_stream(f"sag-{n % MATTERS}")
                started = time.perf_counter()
                try:
                    client.append(
                        stream,
                        ev.PositionStated(
                            body="hmed", side="employees", stance="support", text=f"{person} {n}"
                        ),
                    )
                    mine.done += 1
                    mine.append_ms.append((time.perf_counter() - started) * 1000)
                except LedgerError:
                    mine.failures += 1
                n += 1
        else:
            path = job["read_path"]
            transport.token(ledger)
            while take():
                matter = f"sag-{n % MATTERS}"
                started = time.perf_counter()
                try:
                    transport.get(ledger, path.format(matter=matter), params={"limit": 50})
                    mine.done += 1
                    mine.read_ms.append((time.perf_counter() - started) * 1000)
                    if "server" in last:
                        mine.read_server_ms.append(last.pop("server"))
                except LedgerError:
                    mine.failures += 1
                n += 1
        transport.close()
        with lock:
            total.merge(mine)

    people = job["people"]
    threads = [threading.Thread(target=run, args=(p, i)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total


def _phase(
    pool: Any,
    mode: str,
    base: dict[str, Any],
    people: list[str],
    quota: int,
    seconds: float,
    read_path: str = "",
) -> tuple[Samples, float]:
    jobs = []
    for p in range(PROCS):
        mine = people[p * THREADS : (p + 1) * THREADS]
        jobs.append(
            {
                **base,
                "mode": mode,
                "people": mine,
                "quota": quota // PROCS,
                "seconds": seconds,
                "read_path": read_path,
            }
        )
    started = time.perf_counter()
    results = pool.map(_client_process, jobs)
    elapsed = time.perf_counter() - started
    merged = Samples()
    for result in results:
        merged.merge(result)
    return merged, elapsed


def main() -> None:
    print("B5  HTTP: signed appends and timeline reads, server on PostgreSQL (127.0.0.1)")
    if not postgres_available():
        print(f"  skipped: PostgreSQL not reachable at {PG_URL}")
        return
    secret = secrets.token_urlsafe(48)
    writers = PROCS * THREADS
    with backend_url("postgresql") as (url, schema), tempfile.TemporaryDirectory() as directory:
        log_keys = Path(directory) / "log-keys"
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLEDGER_")}
        env.update(
            {
                "MEDLEDGER_DATABASE_URL": url,
                "MEDLEDGER_DATABASE_SCHEMA": str(schema),
                "MEDLEDGER_LOG_KEYS": str(log_keys),
                "MEDLEDGER_API_SECRET": secret,
                "MEDLEDGER_LOG_LEVEL": "warning",
                "MEDLEDGER_API_WORKERS": str(WORKERS),
            }
        )
        server = _start_server(env, port, Path(directory) / "server.log")
        worker = subprocess.Popen(
            [sys.executable, "-m", "cli", "projections", "run", "--poll", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=(Path(directory) / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            origin, seeds = _setup(base_url, log_keys, secret, writers)
            base = {"url": base_url, "origin": origin, "seeds": seeds}
            people = [f"rep-{n}" for n in range(writers)]
            context = multiprocessing.get_context("spawn")
            with context.Pool(PROCS) as pool:
                appended, seconds = _phase(pool, "append", base, people, APPENDS, SECONDS)
                timeline = _timeline_path(base_url, origin, seeds)
                _wait_for_read_models(base_url, origin, seeds)
                read, read_seconds = _phase(
                    pool, "read", base, people, READS, READ_SECONDS, timeline
                )
        finally:
            worker.terminate()
            worker.wait(timeout=20)
            server.terminate()
            server.wait(timeout=20)
    _report(appended, seconds, read, read_seconds, timeline)


def _wait_for_read_models(url: str, origin: str, seeds: dict[str, bytes]) -> None:
    """Let the projection worker apply the append phase before reads are timed (bounded)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ledger.client.http import HttpTransport
    from ledger.protocol.keys import PersonKey

    key = PersonKey("rep-0", Ed25519PrivateKey.from_private_bytes(seeds["rep-0"]))
    ledger = origin.rsplit("/", 1)[-1]
    with HttpTransport(url, key=key) as reader:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if reader.get(ledger, "/matters/sag-0/timeline", {"limit": 1})["behind"] == 0:
                return
            time.sleep(0.2)


def _timeline_path(url: str, origin: str, seeds: dict[str, bytes]) -> str:
    """The projections' timeline if the server has it, else the matter's signed events."""
    schema = httpx.get(f"{url}/openapi.json", timeout=10).json()
    if "/v1/ledgers/{ledger}/matters/{matter}/timeline" in schema.get("paths", {}):
        return "/matters/{matter}/timeline"
    return "/streams/matter/{matter}/events"


def _report(
    appended: Samples, seconds: float, read: Samples, read_seconds: float, timeline: str
) -> None:
    print(
        f"  load: {PROCS} client processes x {THREADS} threads ({PROCS * THREADS} writers), "
        f"{MATTERS} matters, server workers {WORKERS}, {os.cpu_count()} cores shared by clients, "
        "server, projection worker and PostgreSQL"
    )
    append_rate = appended.done / seconds if seconds else 0.0
    line(
        "B5 appends/s (201s, conflicts retried by the SDK)",
        f"{append_rate:,.0f}/s",
        append_rate / 300,
        "target >= 300/s",
    )
    if appended.post_ms:
        p50, p99 = percentiles(appended.post_ms)
        line(
            "B5 append POST latency as the client saw it p50 / p99",
            f"{p50:.1f} / {p99:.1f} ms",
            100 / p99 if p99 else None,
            "target p99 < 100 ms",
        )
    if appended.server_ms:
        p50, p99 = percentiles(appended.server_ms)
        line("B5 append time inside the server p50 / p99", f"{p50:.1f} / {p99:.1f} ms")
    if appended.append_ms:
        p50, p99 = percentiles(appended.append_ms)
        line("B5 whole SDK append (head+sign+POST+retries) p50 / p99", f"{p50:.1f} / {p99:.1f} ms")
    line(
        "B5 appends / conflicts retried / failures",
        f"{appended.done} / {appended.conflicts} / {appended.failures}",
    )
    read_rate = read.done / read_seconds if read_seconds else 0.0
    what = "timeline" if "timeline" in timeline else "matter events (no timeline route yet)"
    line(f"B5 reads/s: {what}", f"{read_rate:,.0f}/s", read_rate / 1000, "target >= 1,000/s")
    if read.read_ms:
        p50, p99 = percentiles(read.read_ms)
        line("B5 read latency as the client saw it p50 / p99", f"{p50:.1f} / {p99:.1f} ms")
    if read.read_server_ms:
        p50, p99 = percentiles(read.read_server_ms)
        line("B5 read time inside the server p50 / p99", f"{p50:.1f} / {p99:.1f} ms")


if __name__ == "__main__":
    main()
