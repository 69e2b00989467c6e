"""Write-time rules of the guideline register, the dispute path and minutes as documents.

The municipality of tests/conftest.py: HovedMED (``direktor`` chair, ``tr`` vice-chair,
``amr``, ``sekretaer``) over a LokalMED (``leder`` chair, ``tr-lokal`` vice-chair).
Each refusal names its rule and writes nothing; each allowed step is in the log.
"""

from __future__ import annotations

import hashlib

import pytest

from demo.organisation import ManualClock, Organisation
from ledger import errors
from ledger.domain import events as ev
from ledger.protocol.envelope import REGISTRY_STREAM
from tests.stories.log_assertions import refused, signed_and_logged
from tests.stories.matter import Matter
from tests.stories.register import agreed_compromise, make_guideline
from tests.stories.school import school_structure

MINUTES = hashlib.sha256(b"minutes of the HovedMED meeting").hexdigest()


def notice(guideline: str, effective_from: str, body: str = "hmed") -> ev.GuidelineTerminated:
    return ev.GuidelineTerminated(
        guideline=guideline, body=body, effective_from=effective_from, reason="Forældet."
    )


# --- the guideline register ----------------------------------------------------------


def test_a_guideline_id_is_made_once(org: Organisation, matter: Matter) -> None:
    make_guideline(matter, "trivsel", "mandatory")
    again = ev.AgreementReached(
        body="hmed",
        compromise=agreed_compromise(matter),
        text="Igen.",
        guideline=True,
        guideline_type="optional",
        guideline_id="trivsel",
    )
    with refused(org, errors.GuidelineExistsError, "guideline_exists", stream=matter.stream):
        matter.act("direktor", again)


def test_a_guideline_is_amended_only_on_a_compromise_both_sides_accepted(
    org: Organisation, matter: Matter
) -> None:
    make_guideline(matter, "trivsel", "procedure")
    one_sided = int(matter.act("tr", ev.CompromiseProposed(body="hmed", terms="Ændring."))["seq"])
    matter.act("direktor", ev.CompromiseAccepted(proposal=one_sided, side="management"))

    def amendment(guideline: str, compromise: int) -> ev.GuidelineAmended:
        return ev.GuidelineAmended(
            guideline=guideline, body="hmed", compromise=compromise, text="Også ved flytning."
        )

    with refused(
        org, errors.AgreementNeedsBothSidesError, "agreement_needs_both_sides", stream=matter.stream
    ):
        matter.act("direktor", amendment("trivsel", one_sided))
    both = agreed_compromise(matter, "Ændring, aftalt.")
    with refused(org, errors.UnknownGuidelineError, "unknown_guideline", stream=matter.stream):
        matter.act("direktor", amendment("sygefravaer", both))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("leder", amendment("trivsel", both))
    signed_and_logged(org, "direktor", matter.stream, amendment("trivsel", both))


@pytest.mark.parametrize("guideline_type", ["procedure", "mandatory"])
def test_procedure_and_mandatory_guidelines_cannot_be_terminated(
    org: Organisation, matter: Matter, clock: ManualClock, guideline_type: ev.GuidelineType
) -> None:
    make_guideline(matter, "trivsel", guideline_type)
    with refused(
        org, errors.GuidelineNotTerminableError, "guideline_not_terminable", stream=matter.stream
    ):
        matter.act("tr", notice("trivsel", clock.date(days=365)))


def test_an_optional_guideline_ends_with_three_months_notice_and_only_once(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    make_guideline(matter, "seniorpolitik", "optional")
    today = clock().date()
    three_months = today.replace(month=today.month + 3) if today.month <= 9 else None
    assert three_months is not None, "the test clock starts early enough in the year"
    short = three_months.fromordinal(three_months.toordinal() - 1).isoformat()

    with refused(
        org,
        errors.TerminationNoticeTooShortError,
        "termination_notice_too_short",
        stream=matter.stream,
    ):
        matter.act("tr", notice("seniorpolitik", short))
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
        matter.act("leder", notice("seniorpolitik", three_months.isoformat(), body="lmed"))
    signed_and_logged(org, "tr", matter.stream, notice("seniorpolitik", three_months.isoformat()))
    with refused(org, errors.GuidelineEndedError, "guideline_ended", stream=matter.stream):
        matter.act("direktor", notice("seniorpolitik", clock.date(days=200)))


def test_a_body_s_local_rules_can_lengthen_the_notice(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    org.client("admin").append(
        REGISTRY_STREAM, ev.BodyRulesSet(body="hmed", rulebook={"med-16.notice_months": 6})
    )
    make_guideline(matter, "seniorpolitik", "optional")
    with refused(
        org,
        errors.TerminationNoticeTooShortError,
        "termination_notice_too_short",
        stream=matter.stream,
    ):
        matter.act("tr", notice("seniorpolitik", clock.date(days=120)))
    signed_and_logged(org, "tr", matter.stream, notice("seniorpolitik", clock.date(days=190)))


def test_only_an_admin_or_the_body_s_chair_sets_its_local_rules(org: Organisation) -> None:
    rules = ev.BodyRulesSet(body="lmed", rulebook={"med-07.material_days": 10})
    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role", stream="registry"):
        org.client("tr-lokal").append(REGISTRY_STREAM, rules)
    signed_and_logged(org, "leder", "registry", rules)


def test_a_matter_touches_only_guidelines_in_the_register(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    make_guideline(matter, "trivsel", "mandatory")
    touching = Matter(org, "trivselsmaaling")
    with refused(org, errors.UnknownGuidelineError, "unknown_guideline", stream=touching.stream):
        touching.act("direktor", school_structure(clock, touches_guidelines=["ukendt"]))
    with refused(org, errors.MalformedPayloadError, "malformed_payload", stream=touching.stream):
        touching.act("direktor", school_structure(clock, guideline_type="optional"))
    signed_and_logged(
        org,
        "direktor",
        touching.stream,
        school_structure(clock, touches_guidelines=["trivsel"]),
    )


# --- the dispute path ----------------------------------------------------------------


def claim(matter: Matter, by: str = "tr") -> int:
    made = matter.act(by, ev.BreachClaimed(body="hmed", concerns=1, text="Ikke drøftet i MED."))
    return int(made["seq"])


def escalate(dispute: int, level: ev.EscalationLevel) -> ev.DisputeEscalated:
    return ev.DisputeEscalated(dispute=dispute, level=level, reason="Ikke løst.")


def test_a_dispute_climbs_its_path_one_level_at_a_time(org: Organisation, matter: Matter) -> None:
    claimed = claim(matter)
    with refused(org, errors.DisputePathError, "dispute_path", stream=matter.stream):
        matter.act("tr", escalate(claimed, "central_parties"))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("tr-lokal", escalate(claimed, "hovedmed"))
    levels: list[ev.EscalationLevel] = ["hovedmed", "central_parties", "arbitration"]
    for level in levels:
        signed_and_logged(org, "tr", matter.stream, escalate(claimed, level))
    with refused(org, errors.DisputePathError, "dispute_path", stream=matter.stream):
        matter.act("tr", escalate(claimed, "arbitration"))
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("tr", escalate(1, "hovedmed"))


def test_a_dispute_is_settled_at_the_level_it_reached_with_an_outcome_of_that_level(
    org: Organisation, matter: Matter
) -> None:
    claimed = claim(matter)

    def settle(resolution: ev.BreachResolution, level: ev.DisputeLevel) -> ev.BreachResolved:
        return ev.BreachResolved(claim=claimed, resolution=resolution, level=level)

    with refused(org, errors.DisputePathError, "dispute_path", stream=matter.stream):
        matter.act("direktor", settle("compensated", "central_parties"))
    with refused(org, errors.DisputePathError, "dispute_path", stream=matter.stream):
        matter.act("direktor", settle("reprimand", "hovedmed"))
    matter.act("tr", escalate(claimed, "hovedmed"))
    matter.act("tr", escalate(claimed, "central_parties"))
    with refused(org, errors.DisputePathError, "dispute_path", stream=matter.stream):
        matter.act("direktor", settle("compensated", "hovedmed"))
    with refused(org, errors.NotAllowedError, "not_allowed", stream=matter.stream):
        matter.act("amr", settle("reprimand", "central_parties"))
    signed_and_logged(org, "direktor", matter.stream, settle("reprimand", "central_parties"))
    with refused(org, errors.DisputePathError, "dispute_path", stream=matter.stream):
        matter.act("tr", escalate(claimed, "arbitration"))


def test_the_claimant_may_withdraw_and_the_body_s_chair_settles_locally(
    org: Organisation, matter: Matter
) -> None:
    withdrawn = claim(matter)
    withdrawal = ev.BreachResolved(claim=withdrawn, resolution="withdrawn")
    with refused(org, errors.NotAllowedError, "not_allowed", stream=matter.stream):
        matter.act("amr", withdrawal)
    signed_and_logged(org, "tr", matter.stream, withdrawal)
    question = matter.act(
        "direktor", ev.InterpretationDisputed(body="hmed", question="Er en høring en drøftelse?")
    )
    settled = ev.BreachResolved(claim=question["seq"], resolution="agreed", level="local")
    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role", stream=matter.stream):
        matter.act("amr", settled)
    signed_and_logged(org, "tr", matter.stream, settled)


def test_management_remedies_a_breach_claim_once(org: Organisation, matter: Matter) -> None:
    claimed = claim(matter)
    remedy = ev.BreachRemedied(claim=claimed, remedy="decision_withdrawn", text="Trukket.")
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", remedy)
    question = matter.act("tr", ev.InterpretationDisputed(body="hmed", question="Hvad gælder?"))
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act(
            "direktor",
            ev.BreachRemedied(claim=question["seq"], remedy="decision_reopened", text="Nej."),
        )
    signed_and_logged(org, "direktor", matter.stream, remedy)
    with refused(org, errors.AlreadyRecordedError, "already_recorded", stream=matter.stream):
        matter.act("direktor", remedy)


# --- minutes as documents ------------------------------------------------------------


def held(matter: Matter, date: str = "2026-01-05", minutes: str | None = MINUTES) -> int:
    return int(
        matter.act(
            "sekretaer",
            ev.MeetingHeld(
                body="hmed",
                date=date,
                agenda_item="Punkt 1",
                present=["direktor", "tr"],
                minutes_sha256=minutes,
            ),
        )["seq"]
    )


def test_an_approval_signs_the_digest_the_meeting_committed_to(
    org: Organisation, matter: Matter
) -> None:
    meeting = held(matter)
    without = held(matter, minutes=None)
    other = hashlib.sha256(b"other minutes").hexdigest()
    with refused(
        org, errors.MinutesDigestMismatchError, "minutes_digest_mismatch", stream=matter.stream
    ):
        matter.act("direktor", ev.MinutesApproved(meeting=meeting, minutes_sha256=other))
    with refused(
        org, errors.MinutesDigestMismatchError, "minutes_digest_mismatch", stream=matter.stream
    ):
        matter.act("direktor", ev.MinutesApproved(meeting=without, minutes_sha256=MINUTES))
    signed_and_logged(
        org, "direktor", matter.stream, ev.MinutesApproved(meeting=meeting, minutes_sha256=MINUTES)
    )


def test_minutes_are_approved_at_a_later_meeting_of_the_same_body(
    org: Organisation, matter: Matter
) -> None:
    first = held(matter, "2026-01-05")
    earlier = held(matter, "2026-01-01")
    later = held(matter, "2026-02-02")

    def approval(at_meeting: int) -> ev.MinutesApproved:
        return ev.MinutesApproved(meeting=first, minutes_sha256=MINUTES, at_meeting=at_meeting)

    for wrong in (first, earlier, 1):
        with refused(
            org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
        ):
            matter.act("tr", approval(wrong))
    signed_and_logged(org, "tr", matter.stream, approval(later))


def test_the_chair_or_secretary_publishes_the_minutes_they_committed_to(
    org: Organisation, matter: Matter
) -> None:
    meeting = held(matter)

    def publication(digest: str) -> ev.MinutesPublished:
        return ev.MinutesPublished(meeting=meeting, minutes_sha256=digest, channel="Intranettet")

    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role", stream=matter.stream):
        matter.act("tr", publication(MINUTES))
    with refused(
        org, errors.MinutesDigestMismatchError, "minutes_digest_mismatch", stream=matter.stream
    ):
        matter.act("sekretaer", publication("0" * 64))
    signed_and_logged(org, "sekretaer", matter.stream, publication(MINUTES))
