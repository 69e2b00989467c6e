"""A pytest plugin that records every bundle the Python verifier's own tests verify.

Loaded with ``-p tests.web.verifier.recorder`` on a run of
``tests/verifier``, it wraps ``verifier.bundle.verify_bundle`` (in every
module that imported it) so that each call appends its bundle and trust
root, as JSON, to the file named by ``MEDLEDGER_BUNDLE_RECORD``.  The
verdicts are not taken from the run: :mod:`tests.web.verifier.corpus`
judges each recorded bundle again, from its JSON form.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import pytest

from verifier import bundle as verifier

_ORIGINAL = verifier.verify_bundle


def _recording(path: str) -> Callable[[Any, verifier.TrustRoot], verifier.BundleReport]:
    def verify_bundle(bundle: Any, trust: verifier.TrustRoot) -> verifier.BundleReport:
        try:
            text = json.dumps(
                {
                    "bundle": bundle,
                    "trust": {
                        "format": verifier.TRUST_FORMAT,
                        "origin": trust.origin,
                        "log_key": trust.log_key,
                        "genesis": trust.genesis,
                        "witnesses": list(trust.witnesses),
                        "quorum": trust.quorum,
                    },
                },
                ensure_ascii=True,
                allow_nan=False,
            )
        except (TypeError, ValueError):
            text = None  # not a JSON document: nothing a browser could be handed
        if text is not None:
            with open(path, "a", encoding="utf-8", errors="surrogatepass") as out:
                out.write(text + "\n")
        return _ORIGINAL(bundle, trust)

    return verify_bundle


def pytest_collection_finish(session: pytest.Session) -> None:
    path = os.environ.get("MEDLEDGER_BUNDLE_RECORD")
    if not path:
        return
    wrapper = _recording(path)
    for module in list(sys.modules.values()):
        if getattr(module, "verify_bundle", None) is _ORIGINAL:
            vars(module)["verify_bundle"] = wrapper
