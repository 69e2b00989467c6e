"""Story pieces for the guideline register and the dispute path, in the test municipality.

HovedMED (``hmed``): ``direktor`` chairs it (management), ``tr`` is the employees'
vice-chair; guidelines are agreed there on a compromise both sides accepted.
"""

from __future__ import annotations

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from tests.stories.matter import Matter
from tests.stories.school import school_structure


def agreed_compromise(matter: Matter, terms: str = "Retningslinje for trivsel.") -> int:
    """The director proposes ``terms`` in HovedMED and both sides accept them."""
    proposal = int(matter.act("tr", ev.CompromiseProposed(body="hmed", terms=terms))["seq"])
    matter.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    matter.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    return proposal


def guideline_matter(matter: Matter, clock: ManualClock) -> Matter:
    """``matter`` opened by the director in HovedMED as a guideline matter."""
    matter.act(
        "direktor",
        school_structure(
            clock,
            title="Retningslinjer",
            category="guideline",
            influence_level="codetermination",
        ),
    )
    return matter


def make_guideline(
    matter: Matter,
    guideline_id: str,
    guideline_type: ev.GuidelineType,
    effective_from: str | None = None,
) -> int:
    """Both sides agree guideline ``guideline_id`` in HovedMED; returns the agreement's seq."""
    return int(
        matter.act(
            "direktor",
            ev.AgreementReached(
                body="hmed",
                compromise=agreed_compromise(matter),
                text="Retningslinjen.",
                guideline=True,
                guideline_type=guideline_type,
                guideline_id=guideline_id,
                effective_from=effective_from,
            ),
        )["seq"]
    )


def register_with(
    org: Organisation,
    clock: ManualClock,
    guideline_id: str,
    guideline_type: ev.GuidelineType,
    effective_from: str | None = None,
) -> Matter:
    """The guideline matter ``retningslinjer`` opened and guideline ``guideline_id`` agreed
    in it (``effective_from`` as in ``make_guideline``)."""
    matter = guideline_matter(Matter(org, "retningslinjer"), clock)
    make_guideline(matter, guideline_id, guideline_type, effective_from)
    return matter


def amend_guideline(
    matter: Matter, guideline_id: str, guideline_type: ev.GuidelineType | None = None
) -> int:
    """Both sides agree a change to ``guideline_id``; returns the amendment's seq."""
    return int(
        matter.act(
            "direktor",
            ev.GuidelineAmended(
                guideline=guideline_id,
                body="hmed",
                compromise=agreed_compromise(matter, "Ændring."),
                text="Også ved flytning.",
                guideline_type=guideline_type,
            ),
        )["seq"]
    )


def terminate_guideline(matter: Matter, guideline_id: str, effective_from: str) -> int:
    """The employee side gives notice to end optional guideline ``guideline_id``."""
    return int(
        matter.act(
            "tr",
            ev.GuidelineTerminated(
                guideline=guideline_id,
                body="hmed",
                effective_from=effective_from,
                reason="Forældet.",
            ),
        )["seq"]
    )


def claim_breach(matter: Matter, concerns: int = 1) -> int:
    """``tr`` claims in writing that the duty to inform and discuss was breached."""
    made = matter.act("tr", ev.BreachClaimed(body="hmed", concerns=concerns, text="Ikke drøftet."))
    return int(made["seq"])


def escalate(matter: Matter, dispute: int, level: ev.EscalationLevel) -> int:
    made = matter.act("tr", ev.DisputeEscalated(dispute=dispute, level=level, reason="Ikke løst."))
    return int(made["seq"])
