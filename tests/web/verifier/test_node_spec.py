"""The browser verifier's own tests under Node (``web/mutation/spec``), on every run.

The mutation runs of the browser's verifier (docs/MUTATION.md) killed many
mutants with unit tests that run under Node's WebCrypto: the helpers at
their bounds, the receipt verdict on every order of its entries, the
sentences of ``describe``.  They guard the verifier only if they run every
time, not only when someone runs Stryker: this test runs all of them, with
the full differential corpus the browser tests use and the shared vectors.
Without Node 20 or later, or without the shared vectors, the test skips, and
under CI it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.protocol.shared_vectors import PROJECT_ROOT, SHARED_VECTORS, unavailable

SPECS = PROJECT_ROOT / "web" / "mutation" / "spec"
MIN_NODE = 20
"""The first Node.js with WebCrypto as a global, which the specs use."""


def test_the_verifiers_node_tests_pass_on_the_full_corpus(
    corpus_data: dict[str, Any], tmp_path: Path
) -> None:
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed: the verifier's Node tests cannot run")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    if int(version.stdout.strip().lstrip("v").split(".")[0]) < MIN_NODE:
        unavailable(f"Node.js {version.stdout.strip()} is older than {MIN_NODE} (no WebCrypto)")
    if not SHARED_VECTORS.is_dir():
        unavailable(f"the shared vectors are not at {SHARED_VECTORS}")
    corpus = tmp_path / "corpus.json"
    corpus.write_text(json.dumps(corpus_data), "utf-8")
    specs = sorted(str(path.relative_to(PROJECT_ROOT)) for path in SPECS.glob("*.test.mjs"))
    assert len(specs) >= 5, specs
    env = {
        **os.environ,
        "MEDLEDGER_WEB_CORPUS": str(corpus),
        "MEDLEDGER_SHARED_VECTORS": str(SHARED_VECTORS),
    }
    run = subprocess.run(
        [node, "--test", "--test-reporter=tap", *specs],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout, run.stdout[-2000:]
