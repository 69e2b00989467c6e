"""Where the shared known-answer vectors live, and what to do when they are absent.

The vectors are read in place from ``../shared/vectors`` beside the project
root, or from ``MEDLEDGER_SHARED_VECTORS`` when that is set (the mutation
run copies the tests into ``mutants/``, one folder deeper).  A clone on its
own has no ``../shared``: there the tests that need it skip with a visible
reason, except under CI (``CI=true``), where a missing folder must fail the
run rather than hide behind a skip.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NoReturn

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_VECTORS = Path(
    os.environ.get("MEDLEDGER_SHARED_VECTORS") or PROJECT_ROOT.parent / "shared" / "vectors"
)

RFC6962_ENTRIES = [
    bytes.fromhex(value)
    for value in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
"""The eight RFC 6962 test inputs behind the vectors' happy paths."""

CHECKPOINT_VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "checkpoints.json").read_text("utf-8")
)
"""Checkpoints signed by golang.org/x/mod/sumdb/note with deterministic test keys.

Read from ``tests/vectors/checkpoints.json``, the project's own copy of
``signed-note/checkpoints.json``, so they are there without ``../shared``.
"""


def running_in_ci() -> bool:
    """Whether the CI environment variable says this is a CI run."""
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str) -> NoReturn:
    """Skip the current test with ``reason``, or fail it under CI."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI=true: refusing to skip)")
    pytest.skip(reason)


def vector_paths(subdir: str) -> list[Path]:
    """Every JSON file under ``SHARED_VECTORS / subdir``, sorted; none if it is absent."""
    folder = SHARED_VECTORS / subdir
    return sorted(folder.rglob("*.json")) if folder.is_dir() else []


def vector_files(subdir: str) -> list[object]:
    """Pytest parameters for every JSON file under ``SHARED_VECTORS / subdir``.

    Each parameter is the file's path, with the path relative to the
    vectors folder as its id.  When the folder is missing there is one
    parameter, ``None``, which a test hands to :func:`require_vector_file`.
    """
    if not (SHARED_VECTORS / subdir).is_dir():
        return [pytest.param(None, id=f"{subdir}-missing")]
    return [
        pytest.param(path, id=str(path.relative_to(SHARED_VECTORS)))
        for path in vector_paths(subdir)
    ]


def require_vector_file(path: Path | None) -> Path:
    """Return ``path``, or skip (fail under CI) when the shared folder is absent."""
    if path is None:
        unavailable(f"shared vectors not found at {SHARED_VECTORS}")
    return path
