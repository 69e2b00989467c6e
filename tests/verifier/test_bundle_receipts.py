"""Receipt verdicts, derived by the verifier from the complete matter and registry streams.

Each receipt here is built by hand with exactly the seats and routing
fields a verdict turns on: who sat in which body when, which body each
matter event addressed, who a meeting names.  The stated verdict is only
compared; the verifier's own derivation decides.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.verifier.bundle_factory import LedgerFactory, accepted, refusal

MATTER = "matter/budget"
INVOLVED, NOT_INVOLVED, NOT_A_MEMBER = "involved", "not_involved", "not_a_member"


class Story:
    """A ledger with people enrolled; registry seats and matter events logged in order."""

    def __init__(self) -> None:
        self.factory = LedgerFactory()
        for person in ("direktor", "amr", "leder", "tr"):
            self.factory.enrol(person)

    def seat(self, event_type: str, body: str, person: str | None = None) -> None:
        payload = {"body": body} | ({"person": person} if person else {})
        self.factory.append("registry", event_type, "admin", payload)

    def act(self, event_type: str, by: str = "direktor", **payload: Any) -> int:
        return self.factory.act(by, "budget", event_type, payload).leaf_index

    def receipt(
        self, person: str = "amr", verdict: str | None = None, **bundle: Any
    ) -> dict[str, Any]:
        subject = {"person": person, "matter": "budget"} | ({"verdict": verdict} if verdict else {})
        return self.factory.bundle(
            kind="receipt", subject=subject, complete=["registry", MATTER], **bundle
        )

    def verdict(self, person: str = "amr", **bundle: Any) -> str:
        report = accepted(self.receipt(person, **bundle), self.factory.trust())
        assert report.subject["person"] == person and report.subject["matter"] == "budget"
        return report.subject["verdict"]


def _opened_in_hmed(story: Story) -> None:
    story.act("MatterOpened", responsible_body="hmed", title="Budget")


def test_a_member_of_the_responsible_body_never_reached_is_not_involved() -> None:
    story = Story()
    story.seat("MemberAppointed", "hmed", "amr")
    _opened_in_hmed(story)
    story.act("MaterialShared", bodies=["lmed"])
    story.act("DecisionMade", body="hmed", decision="Vedtaget")
    assert story.verdict() == NOT_INVOLVED
    assert story.verdict("tr") == NOT_A_MEMBER


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [
        ("MaterialShared", {"bodies": ["lmed", "hmed"]}),
        ("ConsultationOpened", {"body": "hmed"}),
        ("HearingOpened", {"bodies": ["hmed"]}),
        ("MeetingHeld", {"present": ["amr"], "absent": []}),
        ("MeetingHeld", {"present": [], "absent": ["amr"]}),
        ("MeetingHeld", {"present": ["amr"]}),
    ],
)
def test_a_member_reached_by_a_matter_event_is_involved(
    event_type: str, payload: dict[str, Any]
) -> None:
    story = Story()
    story.seat("MemberAppointed", "hmed", "amr")
    _opened_in_hmed(story)
    story.act(event_type, **payload)
    assert story.verdict() == INVOLVED
    assert story.verdict("leder") == NOT_A_MEMBER


def test_a_person_who_signs_a_matter_event_is_involved() -> None:
    story = Story()
    _opened_in_hmed(story)
    story.act("PositionStated", by="tr", side="employees")
    assert story.verdict("tr") == INVOLVED


def test_reaching_a_body_reaches_only_its_seated_members_at_that_time() -> None:
    story = Story()
    story.seat("MemberAppointed", "hmed", "amr")
    story.seat("MemberAppointed", "hmed", "leder")
    _opened_in_hmed(story)
    story.seat("MemberLeft", "hmed", "leder")
    story.act("MaterialShared", bodies=["hmed"])
    story.seat("MemberAppointed", "hmed", "tr")
    story.act("DecisionMade", body="hmed")
    assert story.verdict("amr") == INVOLVED
    assert story.verdict("leder") == NOT_INVOLVED  # seated while the matter ran, gone when shared
    assert story.verdict("tr") == NOT_INVOLVED  # appointed before the matter's last event


def test_a_seat_outside_the_matters_time_or_body_is_not_a_membership() -> None:
    story = Story()
    story.seat("MemberAppointed", "hmed", "leder")
    story.seat("MemberLeft", "hmed", "leder")
    story.seat("MemberAppointed", "hmed", "tr")
    story.seat("BodyDissolved", "hmed")
    story.seat("MemberAppointed", "lmed", "amr")
    _opened_in_hmed(story)
    story.act("DecisionMade", body="hmed")
    story.seat("MemberAppointed", "hmed", "direktor")
    for person in ("leder", "tr", "amr"):
        assert story.verdict(person) == NOT_A_MEMBER, person
    assert story.verdict("direktor") == INVOLVED  # signed the matter's events


def test_another_persons_departure_does_not_end_a_seat() -> None:
    story = Story()
    story.seat("MemberAppointed", "hmed", "amr")
    story.seat("MemberLeft", "hmed", "tr")
    _opened_in_hmed(story)
    story.act("ConsultationOpened", body="hmed")
    assert story.verdict() == INVOLVED


def test_the_stated_verdict_must_be_the_derived_one() -> None:
    story = Story()
    story.seat("MemberAppointed", "hmed", "amr")
    _opened_in_hmed(story)
    assert story.verdict(verdict=NOT_INVOLVED) == NOT_INVOLVED
    for stated in (INVOLVED, NOT_A_MEMBER):
        assert (
            refusal(story.receipt(verdict=stated), story.factory.trust()).code == "verdict_mismatch"
        )


@pytest.mark.parametrize(
    "subject",
    [
        None,
        "amr",
        {"matter": "budget"},
        {"person": "amr"},
        {"person": 1, "matter": "budget"},
        {"person": "amr", "matter": 1},
    ],
)
def test_a_receipt_must_name_its_person_and_matter(subject: Any) -> None:
    story = Story()
    _opened_in_hmed(story)
    bundle = story.receipt() | {"subject": subject}
    assert refusal(bundle, story.factory.trust()).code == "malformed_bundle"


@pytest.mark.parametrize("complete", [["registry"], [MATTER], []])
def test_a_receipt_proves_its_matter_and_the_registry_complete(complete: list[str]) -> None:
    story = Story()
    _opened_in_hmed(story)
    bundle = story.factory.bundle(
        kind="receipt", subject={"person": "amr", "matter": "budget"}, complete=complete
    )
    assert refusal(bundle, story.factory.trust()).code == "incomplete_stream"


@pytest.mark.parametrize(
    ("event_type", "payload", "field"),
    [
        ("MaterialShared", {"bodies": ["hmed"]}, "bodies"),
        ("ConsultationOpened", {"body": "hmed"}, "body"),
        ("HearingOpened", {"bodies": ["hmed"]}, "bodies"),
        ("MeetingHeld", {"present": [], "absent": ["amr"]}, "present"),
        ("MeetingHeld", {"present": [], "absent": ["amr"]}, "absent"),
    ],
)
def test_a_routing_field_the_verdict_needs_cannot_be_withheld(
    event_type: str, payload: dict[str, Any], field: str
) -> None:
    story = Story()
    _opened_in_hmed(story)
    leaf = story.act(event_type, **payload)
    failure = refusal(story.receipt(withhold={leaf: [field]}), story.factory.trust())
    assert (failure.code, failure.leaf_index) == ("routing_field_missing", leaf)


def test_the_responsible_body_cannot_be_withheld_and_free_text_can() -> None:
    story = Story()
    _opened_in_hmed(story)
    opened = story.factory.log[-1].leaf_index
    failure = refusal(story.receipt(withhold={opened: ["responsible_body"]}), story.factory.trust())
    assert (failure.code, failure.leaf_index) == ("routing_field_missing", opened)
    assert story.verdict(withhold={opened: ["title"]}) == NOT_A_MEMBER


def test_a_meeting_that_names_others_does_not_reach_a_member() -> None:
    story = Story()
    story.seat("MemberAppointed", "hmed", "amr")
    _opened_in_hmed(story)
    story.act("MeetingHeld", present=["leder"])
    assert story.verdict() == NOT_INVOLVED
