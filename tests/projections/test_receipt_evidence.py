"""Receipts as evidence: the verdict is derived from the events, not taken from the file.

HovedMED's AMR was never sent material nor invited: the director ran the
matter in the LokalMED.  She may not read the matter, yet she is entitled to
prove that she was not consulted.  Her absence receipt discloses the
matter's routing fields only (which bodies each event addressed, when, by
which side) and proves that it holds every event of the matter and of the
registry, so an offline verifier derives "not involved" itself.  The
operator cannot forge one by leaving the consultation out or by
relabelling the verdict.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.service.bundle import receipt_bundle
from projections.read_models.receipt import INVOLVED, NOT_A_MEMBER, NOT_INVOLVED
from tests.projections.conftest import ReadModels
from tests.stories.evidence import trust_of
from tests.stories.process import Story
from verifier.bundle import BundleVerificationError, derive_verdict, verify_bundle

SECRET_TITLE = "Lukning af Nordskolen (fortroligt)"
SECRET_TEXTS = (
    SECRET_TITLE,
    "Hvad mener LokalMED?",
    "Skolerne lægges sammen i to trin.",
    "Det giver tid til omstilling.",
    "Oplæg",
)


def _ran_in_the_lokalmed(org: Organisation, clock: ManualClock) -> Story:
    story = Story.opened(org, clock, title=SECRET_TITLE)
    story.share(bodies=("lmed",))
    story.act(
        "leder",
        ev.ConsultationOpened(
            body="lmed", question="Hvad mener LokalMED?", respond_by=clock.date(days=14)
        ),
    )
    story.meeting(body="lmed", present=("leder", "tr-lokal"), by="leder")
    clock.advance(days=20)
    story.decide()
    return story


def _absence(org: Organisation, verdict: str = NOT_INVOLVED) -> dict[str, Any]:
    bundle = receipt_bundle(org.service, org.origin, "amr", "skolestruktur", verdict, full=False)
    roundtrip: dict[str, Any] = json.loads(json.dumps(bundle))
    return roundtrip


def test_an_absence_receipt_verifies_offline_and_holds_no_free_text(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    _ran_in_the_lokalmed(org, clock)
    assert read.receipt("amr", "skolestruktur").verdict == NOT_INVOLVED
    bundle = _absence(org)
    report = verify_bundle(bundle, trust_of(org.service, org.origin))
    assert report.subject == {"person": "amr", "matter": "skolestruktur", "verdict": NOT_INVOLVED}
    assert report.complete == ["matter/skolestruktur", "registry"]
    text = json.dumps(bundle, ensure_ascii=False)
    for secret in SECRET_TEXTS:
        assert secret not in text
    opened = next(e for e in report.entries if e.type == "MatterOpened")
    assert {"title", "description"} <= set(opened.undisclosed)
    assert opened.disclosed["responsible_body"] == "hmed"


def test_leaving_the_consultation_out_or_relabelling_the_verdict_is_refused(
    org: Organisation, clock: ManualClock
) -> None:
    """The attack of issue 9 point 5: a genuine bundle, its ConsultationOpened removed and
    the verdict relabelled 'not involved'."""
    story = Story.opened(org, clock, title=SECRET_TITLE)
    story.consult()
    genuine = receipt_bundle(org.service, org.origin, "amr", "skolestruktur", INVOLVED, full=True)
    trust = trust_of(org.service, org.origin)
    assert verify_bundle(genuine, trust).subject["verdict"] == INVOLVED

    omitted = copy.deepcopy(genuine)
    omitted["entries"] = [
        i for i in omitted["entries"] if i["entry"]["body"]["type"] != "ConsultationOpened"
    ]
    omitted["subject"]["verdict"] = NOT_INVOLVED
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(omitted, trust)
    assert failure.value.code == "incomplete_stream"

    relabelled = copy.deepcopy(genuine)
    relabelled["subject"]["verdict"] = NOT_INVOLVED
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(relabelled, trust)
    assert failure.value.code == "verdict_mismatch"

    withheld = copy.deepcopy(genuine)
    consultation = next(
        i for i in withheld["entries"] if i["entry"]["body"]["type"] == "ConsultationOpened"
    )
    del consultation["disclosed"]["body"]
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(withheld, trust)
    assert failure.value.code == "routing_field_missing"


@pytest.mark.parametrize("person", ["tr", "amr", "direktor", "leder", "tr-lokal", "udenfor"])
def test_the_verifier_derives_the_same_verdict_as_the_read_model(
    org: Organisation, clock: ManualClock, read: ReadModels, person: str
) -> None:
    _ran_in_the_lokalmed(org, clock)
    expected = read.receipt(person, "skolestruktur").verdict
    bundle = receipt_bundle(org.service, org.origin, person, "skolestruktur", expected, full=False)
    report = verify_bundle(json.loads(json.dumps(bundle)), trust_of(org.service, org.origin))
    assert report.subject["verdict"] == expected
    assert derive_verdict(report.entries, person, "matter/skolestruktur") == expected
    assert expected in {INVOLVED, NOT_INVOLVED, NOT_A_MEMBER}
