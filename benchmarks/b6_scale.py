"""B6: a ledger of 100k, 300k and 1M events: build, verify and rebuild, time and peak memory.

For each size a fresh database gets a synthetic municipality's signed
ledger (``benchmarks.synthetic``: every event a real signed envelope with
its payload and Merkle nodes, imported in batches; the import is itself
measured), which is then verified from scratch (``verify_ledger`` on
every core) and has every read model rebuilt (``Projector.rebuild``).
Each phase runs in a process of its own, so that its peak resident
memory (``ru_maxrss``) is its own.  Target (DESIGN.md 9): time linear and
memory flat in the ledger's size, so the per-event rates and the peaks
are printed side by side, with each rate's ratio to the smallest size's.
The CPU seconds of the phase's own process are printed beside the wall
time (on a loaded machine they show the work done; verification's
workers are not in them).

``B6_SIZES`` (default ``100000,300000,1000000``) and ``B6_BACKEND``
(``sqlite``, default, or ``postgresql``) choose the runs;
``python -m benchmarks.b6_scale --size 20000`` runs one short size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import backend_url, line, rate

ORIGIN = "bench.example/b6"
ROOT = Path(__file__).resolve().parents[1]
PHASES = ("build", "verify", "rebuild")


def _sizes() -> list[int]:
    return [int(s) for s in os.environ.get("B6_SIZES", "100000,300000,1000000").split(",") if s]


def _peak_mib() -> float:
    """This process's peak resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phase(phase: str, url: str, schema: str | None, size: int) -> dict[str, float]:
    """Run one phase here; return events, seconds and peak memory."""
    from ledger.service.verification import verify_ledger
    from ledger.storage.store import Store
    from projections.runner.projector import Projector

    store = Store(url, schema=schema)
    started, cpu = time.perf_counter(), time.process_time()
    processes = 1
    try:
        if phase == "build":
            from benchmarks.synthetic import generate

            events = generate(store, ORIGIN, size, batch=5000)
        elif phase == "verify":
            report = verify_ledger(store, ORIGIN)
            events, processes = report.tree_size, report.processes
        else:
            events = Projector(store).rebuild().events
    finally:
        store.dispose()
    seconds = time.perf_counter() - started
    return {
        "events": events,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mib": _peak_mib(),
        "processes": processes,
    }


def _run_phase(phase: str, url: str, schema: str | None, size: int) -> dict[str, float]:
    """One phase in a fresh process (its own peak memory)."""
    command = [sys.executable, "-m", "benchmarks.b6_scale", "--phase", phase, "--url", url]
    command += ["--size", str(size)] + (["--schema", schema] if schema else [])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"B6 {phase} at {size:,} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(backend: str, size: int) -> dict[str, dict[str, float]]:
    with backend_url(backend) as (url, schema):
        return {phase: _run_phase(phase, url, schema, size) for phase in PHASES}


def main(sizes: list[int] | None = None) -> None:
    backend = os.environ.get("B6_BACKEND", "sqlite")
    chosen = sizes or _sizes()
    print(
        f"B6  build, verify and rebuild a ledger of {', '.join(f'{s:,}' for s in chosen)} events "
        f"on {backend} (target: time linear, memory flat)"
    )
    first: dict[str, float] = {}
    for size in chosen:
        figures = measure(backend, size)
        for phase in PHASES:
            found = figures[phase]
            per_second = rate(int(found["events"]), found["seconds"])
            first.setdefault(phase, per_second)
            cores = f", {int(found['processes'])} processes" if phase == "verify" else ""
            line(
                f"B6 {backend} {int(found['events']):>9,} events: {phase}{cores}",
                f"{found['seconds']:,.1f} s (CPU {found['cpu_seconds']:,.1f} s) "
                f"{per_second:,.0f} ev/s {found['peak_mib']:,.0f} MiB",
                per_second / first[phase],
                "(rate vs the first size; 1.00 = linear)",
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, action="append")
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--url")
    parser.add_argument("--schema")
    arguments = parser.parse_args()
    if arguments.phase:
        print(
            json.dumps(_phase(arguments.phase, arguments.url, arguments.schema, arguments.size[0]))
        )
    else:
        main(arguments.size)
