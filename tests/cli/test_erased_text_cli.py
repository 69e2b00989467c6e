"""An erasure takes the erased text out of every read command's answer, and none of them
breaks on the fields it left empty (both backends).

Ballerup's administrator erases, under GDPR, every free-text field that may be erased of
every event of matter ``budget-forslag``.  Then the secretary, the union representative
and the auditor read it the ways the CLI offers: the timeline and the dossier in Danish,
English and JSON, a receipt with its bundle, involvement, findings, disputes, the
matter's forecast and an export of its bundle, which still verifies, as the whole ledger
does.  Each command succeeds, and none of
them shows an erased word.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from demo.stories import Demo
from ledger.domain import events as ev
from ledger.protocol.envelope import ledger_id_of
from ledger.service.application import LedgerService
from tests.stories.cli import run
from tests.stories.evidence import trust_of
from verifier.bundle import verify_bundle

MATTER = "budget-forslag"


def erase_every_free_text(demo: Demo, service: LedgerService) -> list[str]:
    """Erase each erasable field each event of the matter committed to; the texts erased
    (those long enough to look for)."""
    org = demo.ballerup
    matter = service.state(org.origin).matters[MATTER]
    erased: list[str] = []
    for seq, info in sorted(matter.events.items()):
        if info.payload is None or info.type == "PayloadRedacted":
            continue
        fields = sorted(info.payload.committed_fields() & type(info.payload).erasable_fields())
        if not fields:
            continue
        erased += [text for name in fields for text in _texts(getattr(info.payload, name))]
        org.act(
            "bal-admin", MATTER, ev.PayloadRedacted(event=seq, fields=fields, legal_basis="GDPR")
        )
    return [text for text in erased if len(text) >= 12]


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def test_no_read_command_shows_erased_text_or_breaks_on_it(
    medledger: CliRunner, demo: Demo, service: LedgerService, tmp_path: Path
) -> None:
    erased = erase_every_free_text(demo, service)
    assert len(erased) >= 5, "the matter had free text to erase"
    # This ledger only: on PostgreSQL the schema holds other tests' ledgers, moving meanwhile.
    run(medledger, "projections", "run", "--once", "--ledger", ledger_id_of(demo.ballerup.origin))
    receipt = tmp_path / "receipt.json"
    bundle = tmp_path / "bundle.json"
    answers = [
        run(medledger, "timeline", MATTER),
        run(medledger, "timeline", MATTER, "--lang", "en"),
        run(medledger, "timeline", MATTER, "--json"),
        run(medledger, "dossier", MATTER),
        run(medledger, "dossier", MATTER, "--lang", "en"),
        run(medledger, "dossier", MATTER, "--json"),
        run(medledger, "receipt", "hmed-nfmd", MATTER, "--bundle", str(receipt)),
        run(medledger, "involvement", "tr-hjemmepleje"),
        run(medledger, "findings", "--lang", "en"),
        run(medledger, "findings", "--json"),
        run(medledger, "forecast", MATTER),
        run(medledger, "export", "bundle", "--matter", MATTER, "--out", str(bundle)),
        run(medledger, "disputes", "--lang", "en"),
        run(medledger, "verify"),
    ]
    answers += [receipt.read_text("utf-8"), bundle.read_text("utf-8")]
    shown = [text for text in erased for answer in answers if text in answer]
    assert shown == []
    trust = trust_of(service, demo.ballerup.origin)
    assert verify_bundle(json.loads(bundle.read_text("utf-8")), trust).kind == "matter"
    assert MATTER in answers[0], "the timeline names the matter by its id once its title is gone"
