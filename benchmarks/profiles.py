"""The profiles behind docs/BENCHMARKS.md's "what limits" paragraphs.

``python -m benchmarks.profiles NAME [NAME ...]`` runs the work a benchmark
times, under a sampling profiler, and prints where the time went: the share
of the sampled time spent inside each of the project's functions (inclusive,
largest first) and the share whose innermost frame lies in each package or
library (self time). The figures of a profile are not the benchmark's: the
profiler slows what it watches, so read the shares, not the seconds.

    b1  SQLite appends of pre-signed events (``LedgerService.append``), as B1 times them
    b2  verification of B2's ledger in one process (``verify_ledger``, no workers)
    b3  a rebuild of B3's synthetic ledger (``Projector.rebuild``)
    b4  B4's inclusion proofs on SQLite, over a stored tree of ``B4_LEAVES`` leaves
    b5  B5 with the API server's processes under py-spy (wall clock, waits included)
    b6  the memory a verification's walk holds at its last leaf (tracemalloc, by line)
    b7  the first and a later request of each page B7 lists, as a logged-in demo person

pyinstrument samples the Python stack in this process; py-spy (b5) samples
other processes from outside, so the server runs exactly as B5 runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.frame import Frame

ROOT = Path(__file__).resolve().parents[1]
OWN = ("ledger", "projections", "api", "notify", "cli", "verifier", "web", "benchmarks", "demo")
TOP = int(os.environ.get("PROFILE_TOP", "25"))
BACKEND = os.environ.get("PROFILE_BACKEND", "sqlite")
"""b1's backend (``postgresql`` for the server at MEDLEDGER_BENCH_POSTGRES_URL)."""
INTERVAL = 0.0005


def package_of(path: str) -> str:
    """The project's room (``ledger/storage``) or the library a file belongs to."""
    path = path.replace("\\", "/")
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if path.startswith(str(ROOT)):
        parts = Path(path).relative_to(ROOT).parts
        return "/".join(parts[:2]) if len(parts) > 2 else parts[0]
    if path.startswith("<"):
        return path  # a C function or a frozen module, as pyinstrument names it
    return "python: " + Path(path).stem


def _walk(frame: Frame, path: tuple[str, ...]) -> Iterator[tuple[Frame, tuple[str, ...]]]:
    yield frame, path
    for child in frame.children:
        yield from _walk(child, (*path, f"{child.function} ({package_of(child.file_path or '')})"))


def report(profiler: Profiler, title: str) -> None:
    """Print the profile's inclusive shares of own functions and self time by package."""
    session = profiler.last_session
    root = session.root_frame() if session else None
    if root is None or root.time <= 0:
        print(f"{title}: nothing sampled")
        return
    inclusive: dict[str, float] = defaultdict(float)
    by_package: dict[str, float] = defaultdict(float)
    for frame, path in _walk(root, ()):
        if not path or frame.is_synthetic:
            continue  # the profiler's root, and its [self] frames (counted in their parents)
        here, package = path[-1], package_of(frame.file_path or "")
        if package.split("/")[0] in OWN and here not in path[:-1]:
            inclusive[here] += frame.time - sum(c.time for c in frame.children if _same(c, here))
        if package == "<built-in>":  # C code: name it (sqlite3's execute, Ed25519's verify ...)
            package = f"<built-in> {frame.function}"
        by_package[package] += frame.total_self_time
    _print(title, root.time, inclusive, by_package)


def _same(child: Frame, key: str) -> bool:
    return f"{child.function} ({package_of(child.file_path or '')})" == key


def _print(
    title: str,
    total: float,
    inclusive: Mapping[str, float],
    by_package: Mapping[str, float],
    unit: str = "s",
) -> None:
    print(f"\n== {title}: {total:,.2f} {unit} sampled")
    print("-- inside each of the project's functions (inclusive), largest first")
    for key, seconds in _largest(inclusive, TOP):
        print(f"{seconds / total:7.1%}  {key}")
    print("-- innermost frame (self time): its package or library, or (py-spy) its line")
    for key, seconds in _largest(by_package, TOP // 2):
        print(f"{seconds / total:7.1%}  {key}")


def _largest(shares: Mapping[str, float], count: int) -> list[tuple[str, float]]:
    return sorted(shares.items(), key=lambda item: -item[1])[:count]


def profiled(title: str, work: Callable[[], object]) -> None:
    profiler = Profiler(interval=INTERVAL)
    profiler.start()
    try:
        work()
    finally:
        profiler.stop()
    report(profiler, title)


# --- the benchmarks' work ------------------------------------------------------------------


def b1() -> None:
    from benchmarks.b1_append import _ledger, _presigned
    from benchmarks.common import backend_url

    with backend_url(BACKEND) as (url, schema), tempfile.TemporaryDirectory() as keys:
        service, org, clock = _ledger(url, schema, Path(keys))
        wires = _presigned(service, org, clock)

        def appends() -> None:
            for wire in wires:
                service.append(org.origin, wire)

        profiled(f"B1 {BACKEND}: {len(wires)} appends", appends)
        service.store.dispose()


def b2() -> None:
    from benchmarks.b1_append import _ledger, _presigned
    from benchmarks.b2_verify import COUNT
    from benchmarks.common import backend_url
    from ledger.service.verification import available_cores, verify_ledger

    os.environ["B1_COUNT"] = str(COUNT)
    with backend_url("sqlite") as (url, schema), tempfile.TemporaryDirectory() as keys:
        service, org, clock = _ledger(url, schema, Path(keys))
        for wire in _presigned(service, org, clock):
            service.append(org.origin, wire)
        service.issue_checkpoint(org.origin)
        size = service.tree_size(org.origin)
        profiled(
            f"B2 sqlite: verify {size} events in one process",
            lambda: verify_ledger(service.store, org.origin, workers=1),
        )
        cores = available_cores()
        profiled(
            f"B2 sqlite: verify {size} events on {cores} worker processes (the parent's profile)",
            lambda: verify_ledger(service.store, org.origin, workers=cores, parallel_from=0),
        )
        service.store.dispose()


def b3() -> None:
    from benchmarks.b3_rebuild import COUNT, ORIGIN
    from benchmarks.common import backend_url
    from benchmarks.synthetic import generate
    from ledger.storage.store import Store
    from projections.runner.projector import Projector

    with backend_url("sqlite") as (url, schema):
        store = Store(url, schema=schema)
        size = generate(store, ORIGIN, COUNT)
        projector = Projector(store)
        projector.rebuild()  # warm, as B3 does
        profiled(f"B3 sqlite: rebuild of {size} events", projector.rebuild)
        store.dispose()


def b4() -> None:
    import random

    from benchmarks.b4_proofs import LEAVES, ORIGIN, SAMPLES, _build
    from benchmarks.common import backend_url
    from ledger.service.application import LedgerService
    from ledger.storage.logkeys import LogKeyring
    from ledger.storage.store import Store

    with backend_url("sqlite") as (url, schema), tempfile.TemporaryDirectory() as keys:
        store = Store(url, schema=schema)
        _build(store)
        service = LedgerService(store, LogKeyring(Path(keys)))
        rng = random.Random(6962)

        def proofs() -> None:
            for _ in range(SAMPLES):
                service.inclusion_proof(ORIGIN, rng.randrange(LEAVES), LEAVES)

        profiled(f"B4 sqlite: {SAMPLES} inclusion proofs at {LEAVES:,} leaves", proofs)
        store.dispose()


def b6() -> None:
    """What a verification's walk holds when it reaches the last leaf (tracemalloc)."""
    import tracemalloc

    from benchmarks.common import backend_url
    from benchmarks.synthetic import generate
    from ledger.service.verification import verify_ledger
    from ledger.storage.store import Store

    count = int(os.environ.get("PROFILE_B6_EVENTS", "20000"))
    origin = "bench.example/b6"
    with backend_url("sqlite") as (url, schema):
        store = Store(url, schema=schema)
        size = generate(store, origin, count)
        held: list[tracemalloc.Snapshot] = []

        def at_the_end(done: int, total: int) -> None:
            if done == total:
                held.append(tracemalloc.take_snapshot())

        tracemalloc.start()
        verify_ledger(store, origin, workers=1, progress=at_the_end)
        tracemalloc.stop()
        store.dispose()
    stats = held[0].statistics("lineno")
    total = sum(stat.size for stat in stats)
    print(
        f"\n== B6: what verifying {size:,} events holds at the last leaf: {total / 2**20:.1f} MiB"
    )
    for stat in stats[:TOP]:
        frame = stat.traceback[0]
        where = f"{package_of(frame.filename)}/{Path(frame.filename).name}:{frame.lineno}"
        print(f"{stat.size / total:7.1%}  {stat.size / 2**20:6.2f} MiB  {stat.count:>8,}  {where}")


def b7() -> None:
    from fastapi.testclient import TestClient

    from api.settings import ApiSettings
    from benchmarks.b7_pages import PAGES, Visitor, _first_leaf, build_demo
    from web.site import create_site, settle_heap

    with tempfile.TemporaryDirectory(prefix="b7-") as tmp:
        demo = Path(tmp) / "demo"
        build_demo(demo)
        settings = ApiSettings(
            database_url=f"sqlite:///{demo}/ledger.db",
            log_keys=demo / "log-keys",
            api_secret="b7-" + "x" * 40,
            demo_keys=demo / "demo-keys",
            read_models_catch_up=True,
            log_level="warning",
        )
        app = create_site(settings)
        settle_heap()
        with TestClient(app):
            visitors = {
                (p.ledger, p.who): Visitor(app, demo / "demo-keys", p.ledger, p.who) for p in PAGES
            }
            leaf = _first_leaf(visitors["ballerup", "tr-okonomi"])
            paths = [(p, p.path.replace("{leaf}", str(leaf))) for p in PAGES]
            for round_ in ("first", "later"):
                profiled(
                    f"B7: the {round_} request of each of {len(paths)} pages",
                    lambda: [visitors[p.ledger, p.who].http.get(path) for p, path in paths],
                )


def b5() -> None:
    """B5 as it runs, its API server started under ``py-spy record --subprocesses --idle``."""
    from benchmarks import b5_http

    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        sys.exit("b5's profile needs py-spy (pip install py-spy)")
    with tempfile.TemporaryDirectory(prefix="b5-spy-") as tmp:
        stacks = Path(tmp) / "stacks.txt"
        original = b5_http._start_server

        def under_spy(
            env: dict[str, str], port: int, log: Path, command: list[str] | None = None
        ) -> subprocess.Popen[bytes]:
            if command is not None:  # the reference server is not profiled
                return original(env, port, log, command)
            serve = [sys.executable, "-m", "cli", "serve", "--port", str(port)]
            record = [spy, "record", "--subprocesses", "--idle", "--full-filenames", "-r", "200"]
            record += ["-f", "raw"]
            process = original(env, port, log, [*record, "-o", str(stacks), "--", *serve])
            # py-spy writes its file when interrupted; a plain terminate would lose it.
            process.terminate = lambda: process.send_signal(signal.SIGINT)  # type: ignore[method-assign]
            return process

        b5_http._start_server = under_spy
        try:
            b5_http.main()
        finally:
            b5_http._start_server = original
        kept = os.environ.get("PROFILE_STACKS")  # keep py-spy's stacks to read again
        if kept:
            shutil.copy(stacks, kept)
        for route in ("append", "timeline", None):
            collapsed_report(stacks.read_text(), route)


_FRAME = re.compile(r"^(?P<function>.+) \((?P<file>[^()]+?)(?::(?P<line>\d+))?\)$")


def collapsed_report(text: str, route: str | None) -> None:
    """Shares of py-spy's collapsed stacks, those through ``route``'s handler or all.

    With ``--idle`` a stack is sampled whether its thread runs or waits, so
    the innermost frames show the waits too (a lock, the database's answer).
    """
    inclusive: dict[str, float] = defaultdict(float)
    innermost: dict[str, float] = defaultdict(float)
    total = 0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_parsed(f) for f in stack.split(";") if f]
        if not frames or (route and not any(route in name for name, _, _ in frames)):
            continue
        samples = int(count)
        total += samples
        seen: set[str] = set()
        for name, package, _ in frames:
            key = f"{name} ({package})"
            if package.split("/")[0] in OWN and key not in seen:
                inclusive[key] += samples
                seen.add(key)
        name, package, where = frames[-1]
        innermost[f"{name} ({package}{where})"] += samples
    if not total:
        print(f"\n== B5 server ({route or 'all'}): no samples")
        return
    title = f"B5 server, stacks through {route or 'anything'}"
    _print(title, total, inclusive, innermost, unit="samples")


def _parsed(frame: str) -> tuple[str, str, str]:
    """(function, package, ``:line``) of one frame of py-spy's raw output."""
    found = _FRAME.match(frame.strip())
    if not found:
        return frame.strip(), "?", ""
    where = f":{found['line']}" if found["line"] else ""
    return found["function"], package_of(found["file"]), where


PROFILES: dict[str, Callable[[], None]] = {
    "b1": b1,
    "b2": b2,
    "b3": b3,
    "b4": b4,
    "b5": b5,
    "b6": b6,
    "b7": b7,
}


def main(names: list[str]) -> None:
    unknown = [name for name in names if name not in PROFILES]
    if not names or unknown:
        sys.exit(f"usage: python -m benchmarks.profiles {{{','.join(PROFILES)}}} ...")
    for name in names:
        PROFILES[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
