"""``python -m benchmarks [b1 b2 ...]``: run the benchmarks, print figures and ratios."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "b1": "benchmarks.b1_append",
    "b2": "benchmarks.b2_verify",
    "b3": "benchmarks.b3_rebuild",
    "b4": "benchmarks.b4_proofs",
    "b5": "benchmarks.b5_http",
    "b5cpu": "benchmarks.b5_cpu",
    "b6": "benchmarks.b6_scale",
    "b7": "benchmarks.b7_pages",
    "b8": "benchmarks.b8_notify",
    "b9": "benchmarks.b9_erasure",
}


def main(names: list[str]) -> None:
    chosen = names or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in chosen:
        try:
            module = importlib.import_module(BENCHMARKS[name])
        except ModuleNotFoundError:
            print(f"{name}: not available in this checkout")
            continue
        module.main()
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
