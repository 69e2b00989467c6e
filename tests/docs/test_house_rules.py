"""The house rules a reader relies on, checked over the whole tree (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "ledger",
    "projections",
    "api",
    "cli",
    "web",
    "notify",
    "verifier",
    "demo",
    "benchmarks",
    "tests",
)
STORY_DATA = {"demo/stories.py"}
"""The seeds' stories, told as data: long by nature, and read as a script."""
LONGEST = 60


def _long_functions(source: str, name: str) -> list[str]:
    tree = ast.parse(source, filename=name)
    return [
        f"{name}:{node.lineno} {node.name} ({length} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > LONGEST
    ]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_is_longer_than_a_screen(package: str) -> None:
    """A function a reader cannot see whole is split into named steps."""
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    found = [
        long
        for path in files
        if (name := path.relative_to(ROOT).as_posix()) not in STORY_DATA
        for long in _long_functions(path.read_text(encoding="utf-8"), name)
    ]
    assert found == []


def test_the_rule_sees_a_long_function() -> None:
    """The check itself: a 61-line function is reported, a 60-line one is not."""
    body = "".join(f"    x{i} = {i}\n" for i in range(59))
    source = f"def fits():\n{body}\n\nasync def too_long():\n{body}    x = 0\n"
    assert _long_functions(source, "probe.py") == ["probe.py:63 too_long (61 lines)"]
