"""The trust root a verifier pins, as tests obtain it: from the service, or over HTTP."""

from __future__ import annotations

import json
from typing import Any

from ledger.service.application import LedgerService
from verifier.bundle import TrustRoot, parse_trust_root


def trust_of(service: LedgerService, origin: str) -> TrustRoot:
    """The ledger's trust root as the auditor's verifier reads the printed file."""
    return parse_trust_root(json.loads(json.dumps(service.trust_root(origin).to_json())))


def trust_from(document: Any) -> TrustRoot:
    """A trust root read from a JSON document (e.g. GET /v1/ledgers/{L}/trust)."""
    return parse_trust_root(document)
