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
SDK append (head + sign + POST + retries); conflicts retried.  The ratios
of DESIGN.md 9 use references measured in the same run: appends against
B1's in-process rate on PostgreSQL (``B5_B1_COUNT`` appends), reads
against FastAPI + uvicorn (as many workers) serving a fixed body of the
same size to the same readers (``benchmarks/fixed_body.py``).  The
server runs ``B5_SERVER_WORKERS`` API processes (default 2) on one
PostgreSQL.  The older absolute targets (300 appends/s, 1,000 reads/s)
are printed too.
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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from api.credentials import creation_ticket
from benchmarks.common import (
    PG_URL,
    backend_url,
    free_port,
    line,
    percentiles,
    postgres_available,
)
from benchmarks.matters import matter_opened
from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient
from ledger.domain import events as ev
from ledger.errors import ConflictError, LedgerError
from ledger.protocol.envelope import ledger_id_of, matter_stream
from ledger.protocol.keys import PersonKey
from ledger.service.application import system_clock
from ledger.storage.logkeys import LogKeyring

PROCS = int(os.environ.get("B5_PROCS", "2"))
THREADS = int(os.environ.get("B5_THREADS", "8"))
MATTERS = int(os.environ.get("B5_MATTERS", "24"))
APPENDS = int(os.environ.get("B5_APPENDS", "3000"))
SECONDS = float(os.environ.get("B5_SECONDS", "20"))
READS = int(os.environ.get("B5_READS", "10000"))
READ_SECONDS = float(os.environ.get("B5_READ_SECONDS", "10"))
WORKERS = int(os.environ.get("B5_SERVER_WORKERS", "2"))
B1_COUNT = int(os.environ.get("B5_B1_COUNT", "1000"))
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


def _start_server(
    env: dict[str, str], port: int, log: Path, command: list[str] | None = None
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command or [sys.executable, "-m", "cli", "serve", "--port", str(port)],
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
    """Found a ledger over HTTP: writers in one HovedMED, MATTERS matters opened.

    Returns the origin and every person's private key seed (keys travel to the
    client processes as bytes).
    """
    origin = f"ledger.example/b5-{secrets.token_hex(3)}"
    admin = _found(url, log_keys, secret, origin)
    keys = {"direktor": PersonKey.generate("direktor")}
    keys.update({f"rep-{n}": PersonKey.generate(f"rep-{n}") for n in range(writers)})
    _register(_client(url, admin, origin), keys)
    _open_matters(_client(url, keys["direktor"], origin))
    seeds = {
        person: key.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        for person, key in keys.items()
    }
    return origin, seeds


def _client(url: str, key: PersonKey, origin: str) -> LedgerClient:
    return LedgerClient(
        HttpTransport(url, key=key), key, origin, clock=system_clock, ledger=ledger_id_of(origin)
    )


def _found(url: str, log_keys: Path, secret: str, origin: str) -> PersonKey:
    """Prepare the log key as the operator does and create the ledger with a ticket."""
    ledger = ledger_id_of(origin)
    LogKeyring(log_keys).create(origin)
    admin = PersonKey.generate("admin")
    expires = int(system_clock().timestamp()) + 600
    ticket = creation_ticket(secret.encode(), origin, admin.key_id, expires)
    founding = HttpTransport(url, creation_ticket=ticket)
    vkey = str(founding.ledger_info(ledger)["log_verifier_key"])
    LedgerClient(founding, admin, origin, clock=system_clock, ledger=ledger).create_ledger(
        name="B5", log_verifier_key=vkey, rulebook={"time_tolerance_seconds": 3600}
    )
    return admin


def _register(registry: LedgerClient, keys: dict[str, PersonKey]) -> None:
    """Enrol everyone in ``keys``; the director chairs HovedMED, the rest are members."""
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


def _open_matters(director: LedgerClient) -> None:
    for m in range(MATTERS):
        director.append(
            matter_stream(f"sag-{m}"),
            matter_opened(f"Sag {m}", "Belastningsprøve.", "other", "2030-01-01"),
        )


def _key(person: str, seeds: dict[str, bytes]) -> PersonKey:
    return PersonKey(person, Ed25519PrivateKey.from_private_bytes(seeds[person]))


class _Quota:
    """How many operations the threads of one client process may still start, until a deadline."""

    def __init__(self, quota: int, seconds: float) -> None:
        self.left = quota
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline:
                return False
            self.left -= 1
            return True


class _TimedTransport(HttpTransport):
    """The SDK's HTTP transport, timing each POST as the client sees it.

    Every response's Server-Timing is kept until it is taken, so the time
    inside the server is recorded beside the time the client saw.
    """

    def __init__(self, url: str, key: PersonKey, samples: Samples) -> None:
        super().__init__(url, key=key, timeout=30)
        self.samples = samples
        self.server_ms: float | None = None
        self.http.event_hooks["response"] = [self._on_response]

    def _on_response(self, response: httpx.Response) -> None:
        found = _server_ms(response)
        if found is not None:
            self.server_ms = found

    def take_server_ms(self) -> float | None:
        found, self.server_ms = self.server_ms, None
        return found

    def submit(self, ledger: str, wire: bytes) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            return super().submit(ledger, wire)
        except ConflictError:
            self.samples.conflicts += 1
            raise
        finally:
            self.samples.post_ms.append((time.perf_counter() - started) * 1000)
            server = self.take_server_ms()
            if server is not None:
                self.samples.server_ms.append(server)


def _append(job: dict[str, Any], person: str, offset: int, quota: _Quota) -> Samples:
    """One writer: positions into the matters in turn, through the SDK, while the quota lasts."""
    key = _key(person, job["seeds"])
    mine = Samples()
    transport = _TimedTransport(job["url"], key, mine)
    client = LedgerClient(
        transport,
        key,
        job["origin"],
        clock=system_clock,
        ledger=ledger_id_of(job["origin"]),
        retries=50,
    )
    n = offset
    while quota.take():
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
    transport.close()
    return mine


def _read(job: dict[str, Any], person: str, offset: int, quota: _Quota) -> Samples:
    """One reader: the matters' timelines in turn, while the quota lasts.

    Against the reference server (``job["reference"]``) the same requests
    go out with a token it ignores, and are parsed the same way.
    """
    mine = Samples()
    transport = _TimedTransport(job["url"], _key(person, job["seeds"]), mine)
    ledger = ledger_id_of(job["origin"])
    token = "reference" if job.get("reference") else transport.token(ledger)
    headers = {"Authorization": f"Bearer {token}"}
    n = offset
    while quota.take():
        matter = f"sag-{n % MATTERS}"
        path = f"/v1/ledgers/{ledger}" + job["read_path"].format(matter=matter)
        started = time.perf_counter()
        try:
            response = transport.http.get(path, headers=headers, params={"limit": 50})
            if response.status_code != 200:
                raise LedgerError(f"read answered {response.status_code}")
            response.json()
            mine.done += 1
            mine.read_ms.append((time.perf_counter() - started) * 1000)
            server = transport.take_server_ms()
            if server is not None:
                mine.read_server_ms.append(server)
        except LedgerError:
            mine.failures += 1
        n += 1
    transport.close()
    return mine


def _client_process(job: dict[str, Any]) -> Samples:
    """One client process: THREADS writers (or readers), each on its own connection."""
    quota = _Quota(job["quota"], job["seconds"])
    work = _append if job["mode"] == "append" else _read
    total = Samples()
    lock = threading.Lock()

    def run(person: str, offset: int) -> None:
        mine = work(job, person, offset, quota)
        with lock:
            total.merge(mine)

    threads = [threading.Thread(target=run, args=(p, i)) for i, p in enumerate(job["people"])]
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
    reference: bool = False,
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
                "reference": reference,
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
    in_process = _b1_rate()
    with backend_url("postgresql") as (url, schema), tempfile.TemporaryDirectory() as directory:
        log_keys = Path(directory) / "log-keys"
        port = free_port()
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
                body = _sample_body(base_url, origin, seeds, timeline)
                fixed, fixed_seconds = _reference_reads(pool, base, people, body, directory)
        finally:
            worker.terminate()
            worker.wait(timeout=20)
            server.terminate()
            server.wait(timeout=20)
    _report(appended, seconds, read, read_seconds, timeline)
    _report_ratios(appended, seconds, in_process, read, read_seconds, fixed, fixed_seconds, body)


def _b1_rate() -> float:
    """B1's in-process rate on PostgreSQL, measured in this run (server-side appends)."""
    from benchmarks.b1_append import _ledger, _presigned

    os.environ["B1_COUNT"] = str(B1_COUNT)
    with backend_url("postgresql") as (url, schema), tempfile.TemporaryDirectory() as keys:
        service, org, clock = _ledger(url, schema, Path(keys))
        wires = _presigned(service, org, clock)
        started = time.perf_counter()
        for wire in wires:
            service.append(org.origin, wire)
        elapsed = time.perf_counter() - started
        service.store.dispose()
    return len(wires) / elapsed


def _sample_body(url: str, origin: str, seeds: dict[str, bytes], path: str) -> bytes:
    """One timeline answer as the readers got it: the reference serves bytes of its size."""
    ledger = ledger_id_of(origin)
    with HttpTransport(url, key=_key("rep-0", seeds)) as reader:
        token = reader.token(ledger)
        response = httpx.get(
            f"{url}/v1/ledgers/{ledger}" + path.format(matter="sag-0"),
            headers={"Authorization": f"Bearer {token}"},
            params={"limit": 50},
            timeout=30,
        )
    return response.content


def _reference_reads(
    pool: Any, base: dict[str, Any], people: list[str], body: bytes, directory: str
) -> tuple[Samples, float]:
    """The read phase again against FastAPI + uvicorn serving ``body`` as it is."""
    fixed = Path(directory) / "fixed-body.json"
    fixed.write_bytes(body)
    port = free_port()
    env = {**os.environ, "B5_FIXED_BODY": str(fixed)}
    command = [sys.executable, "-m", "uvicorn", "benchmarks.fixed_body:app"]
    command += ["--port", str(port), "--workers", str(WORKERS), "--log-level", "warning"]
    server = _start_server(env, port, Path(directory) / "reference.log", command)
    try:
        return _phase(
            pool,
            "read",
            {**base, "url": f"http://127.0.0.1:{port}"},
            people,
            READS,
            READ_SECONDS,
            "/matters/{matter}/timeline",
            reference=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


def _report_ratios(
    appended: Samples,
    seconds: float,
    in_process: float,
    read: Samples,
    read_seconds: float,
    fixed: Samples,
    fixed_seconds: float,
    body: bytes,
) -> None:
    """DESIGN.md 9's B5 ratios: appends to B1's in-process rate, reads to a fixed body."""
    append_rate = appended.done / seconds if seconds else 0.0
    line("B5 B1 in-process appends on PostgreSQL, this run", f"{in_process:,.0f}/s")
    line(
        f"B5 appends over HTTP, {WORKERS} API processes",
        f"{append_rate:,.0f}/s",
        append_rate / in_process if in_process else None,
        "target >= 0.50 x B1",
    )
    fixed_rate = fixed.done / fixed_seconds if fixed_seconds else 0.0
    read_rate = read.done / read_seconds if read_seconds else 0.0
    line(
        f"B5 reference: FastAPI+uvicorn, fixed {len(body):,} B body",
        f"{fixed_rate:,.0f}/s",
    )
    _latency("B5 reference read latency as the client saw it", fixed.read_ms)
    line(
        "B5 timeline reads against the reference",
        f"{read_rate:,.0f}/s",
        read_rate / fixed_rate if fixed_rate else None,
        "target >= 0.50",
    )


def _wait_for_read_models(url: str, origin: str, seeds: dict[str, bytes]) -> None:
    """Let the projection worker apply the append phase before reads are timed (bounded)."""
    ledger = ledger_id_of(origin)
    with HttpTransport(url, key=_key("rep-0", seeds)) as reader:
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
    _latency("B5 append POST latency as the client saw it", appended.post_ms, target_p99_ms=100)
    _latency("B5 append time inside the server", appended.server_ms)
    _latency("B5 whole SDK append (head+sign+POST+retries)", appended.append_ms)
    line(
        "B5 appends / conflicts retried / failures",
        f"{appended.done} / {appended.conflicts} / {appended.failures}",
    )
    read_rate = read.done / read_seconds if read_seconds else 0.0
    what = "timeline" if "timeline" in timeline else "matter events (no timeline route yet)"
    line(f"B5 reads/s: {what}", f"{read_rate:,.0f}/s", read_rate / 1000, "target >= 1,000/s")
    _latency("B5 read latency as the client saw it", read.read_ms)
    _latency("B5 read time inside the server", read.read_server_ms)


def _latency(name: str, samples: list[float], target_p99_ms: float | None = None) -> None:
    """Print the p50 / p99 of ``samples`` (if any), with the ratio to a p99 target if given."""
    if not samples:
        return
    p50, p99 = percentiles(samples)
    if target_p99_ms is None:
        line(f"{name} p50 / p99", f"{p50:.1f} / {p99:.1f} ms")
        return
    line(
        f"{name} p50 / p99",
        f"{p50:.1f} / {p99:.1f} ms",
        target_p99_ms / p99 if p99 else None,
        f"target p99 < {target_p99_ms:g} ms",
    )


if __name__ == "__main__":
    main()
