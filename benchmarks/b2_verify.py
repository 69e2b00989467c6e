"""B2: full verification of a ledger against raw Ed25519 verification.

Full verification re-checks every signature, chain link, write-time rule,
every stored tree node and checkpoint (``ledger.service.verification``).
Reference: ``cryptography``'s Ed25519 verification of the same number of
signatures over messages of the same size, in one process; verification
uses one core, so the target is 0.8 x that rate x 1 core.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmarks.b1_append import _ledger, _presigned
from benchmarks.common import backend_url, backends, line, rate
from ledger.service.verification import verify_ledger

COUNT = int(os.environ.get("B2_COUNT", "3000"))


def _raw_ed25519(count: int, size: int) -> float:
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    messages = [os.urandom(size) for _ in range(count)]
    signatures = [key.sign(m) for m in messages]
    started = time.perf_counter()
    for message, signature in zip(messages, signatures, strict=True):
        public.verify(signature, message)
    return rate(count, time.perf_counter() - started)


def _measure(backend: str) -> tuple[float, int]:
    os.environ["B1_COUNT"] = str(COUNT)
    with backend_url(backend) as (url, schema), tempfile.TemporaryDirectory() as keys:
        service, org, clock = _ledger(url, schema, Path(keys))
        wires = _presigned(service, org, clock)
        for wire in wires:
            service.append(org.origin, wire)
        service.issue_checkpoint(org.origin)
        size = service.tree_size(org.origin)
        started = time.perf_counter()
        verify_ledger(service.store, org.origin)
        ours = rate(size, time.perf_counter() - started)
        service.store.dispose()
    return ours, len(wires[0])


def main() -> None:
    print(
        "B2  full verification of a ledger (target >= 0.8 x raw Ed25519 verification x cores used)"
    )
    for backend in backends():
        ours, size = _measure(backend)
        reference = _raw_ed25519(COUNT, size)
        line(f"B2 {backend}: raw Ed25519 verify, 1 core ({size} B)", f"{reference:,.0f} sig/s")
        line(
            f"B2 {backend}: full ledger verification, 1 core",
            f"{ours:,.0f} ev/s",
            ours / reference,
            "target >= 0.80",
        )


if __name__ == "__main__":
    main()
