"""B2: full verification of a ledger against raw Ed25519 verification on as many cores.

Full verification re-checks every signature, chain link, write-time rule,
every stored tree node and checkpoint (``ledger.service.verification``);
signatures, commitments and canonical form are checked in one worker
process per core while the parent keeps the walk in leaf order.
Reference, measured in the same run: ``cryptography``'s Ed25519
verification of the same number of signatures over messages of the same
size, spread over the same number of processes (each verifying its share
at the same time).  Target: 0.8 x that rate.  The one-process figure is
printed beside it, against one process of raw Ed25519.

The reference times only the verifying, not the start of its processes;
the ledger's figure on several cores is likewise its second run (the
first verification in a process starts the workers' forkserver, about
0.4 s on this machine, printed beside it).
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmarks.b1_append import _ledger, _presigned
from benchmarks.common import backend_url, backends, line, rate
from ledger.service.verification import available_cores, verify_ledger

COUNT = int(os.environ.get("B2_COUNT", "6000"))


def _verify_share(count: int, size: int) -> float:
    """Verify ``count`` signatures in this process; return the seconds it took."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    messages = [os.urandom(size) for _ in range(count)]
    signatures = [key.sign(m) for m in messages]
    started = time.perf_counter()
    for message, signature in zip(messages, signatures, strict=True):
        public.verify(signature, message)
    return time.perf_counter() - started


def _raw_ed25519(count: int, size: int, processes: int) -> float:
    """Signatures per second, ``processes`` processes each verifying its share at once."""
    if processes == 1:
        return rate(count, _verify_share(count, size))
    share = count // processes
    with ProcessPoolExecutor(processes) as pool:
        seconds = list(pool.map(_verify_share, [share] * processes, [size] * processes))
    return rate(share * processes, max(seconds))


def _measure(backend: str, cores: int) -> tuple[float, float, float, int]:
    """(one-process rate, first and second rate on ``cores`` processes, entry size)."""
    os.environ["B1_COUNT"] = str(COUNT)
    with backend_url(backend) as (url, schema), tempfile.TemporaryDirectory() as keys:
        service, org, clock = _ledger(url, schema, Path(keys))
        wires = _presigned(service, org, clock)
        for wire in wires:
            service.append(org.origin, wire)
        service.issue_checkpoint(org.origin)
        size = service.tree_size(org.origin)
        started = time.perf_counter()
        verify_ledger(service.store, org.origin, workers=1)
        alone = rate(size, time.perf_counter() - started)
        spread: list[float] = []
        for _ in range(2):
            started = time.perf_counter()
            report = verify_ledger(service.store, org.origin, workers=cores, parallel_from=0)
            spread.append(rate(size, time.perf_counter() - started))
            assert report.processes == cores
        service.store.dispose()
    return alone, spread[0], spread[1], len(wires[0])


def main() -> None:
    cores = available_cores()
    print(
        "B2  full verification of a ledger (target >= 0.8 x raw Ed25519 verification x cores used)"
    )
    for backend in backends():
        alone, first, spread, size = _measure(backend, cores)
        one = _raw_ed25519(COUNT, size, 1)
        line(f"B2 {backend}: raw Ed25519 verify, 1 process ({size} B)", f"{one:,.0f} sig/s")
        line(
            f"B2 {backend}: full ledger verification, 1 process",
            f"{alone:,.0f} ev/s",
            alone / one,
            "(before: the only mode)",
        )
        if cores > 1:
            many = _raw_ed25519(COUNT, size, cores)
            line(f"B2 {backend}: raw Ed25519 verify, {cores} processes", f"{many:,.0f} sig/s")
            line(
                f"B2 {backend}: full ledger verification, {cores} cores, first run",
                f"{first:,.0f} ev/s",
                None,
                "(the first in a process also starts the workers)",
            )
            line(
                f"B2 {backend}: full ledger verification, {cores} cores",
                f"{spread:,.0f} ev/s",
                spread / many,
                "target >= 0.80",
            )


if __name__ == "__main__":
    main()
