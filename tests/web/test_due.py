"""What "Mine sager" lists as due: asked of the reader's body, not yet answered, not decided."""

from __future__ import annotations

from demo.organisation import Organisation
from ledger.domain import events as ev
from tests.stories.school import school_structure
from web.matters_pages import due_items

M = "skoler"


def due(org: Organisation, *bodies: str) -> list[tuple[str, str]]:
    state = org.service.state(org.origin)
    return [(d.kind, d.body) for d in due_items(state, list(bodies), [M, "ukendt"])]


def test_what_is_asked_of_a_body_is_due_until_it_is_answered_or_the_matter_is_decided(
    org: Organisation,
) -> None:
    org.act("direktor", M, school_structure(org.clock))
    org.act(
        "direktor",
        M,
        ev.ConsultationOpened(body="hmed", question="?", respond_by=org.clock.date(days=14)),
    )
    assert due(org, "hmed", "lmed") == [("consultation", "hmed")]
    assert due(org, "lmed") == []
    # Management's own position does not answer what the employee side was asked.
    org.act(
        "direktor",
        M,
        ev.PositionStated(body="hmed", side="management", stance="support", text="Ja"),
    )
    assert due(org, "hmed") == [("consultation", "hmed")]
    org.act("tr", M, ev.PositionStated(body="hmed", side="employees", stance="oppose", text="Nej"))
    assert due(org, "hmed") == []
    org.act(
        "direktor", M, ev.HearingOpened(bodies=["lmed", "hmed"], respond_by=org.clock.date(days=7))
    )
    assert sorted(due(org, "hmed", "lmed")) == [("hearing", "hmed"), ("hearing", "lmed")]
    org.act("tr-lokal", M, ev.HearingResponseSubmitted(body="lmed", text="Vi er imod"))
    assert due(org, "hmed", "lmed") == [("hearing", "hmed")]
    org.act("direktor", M, ev.DecisionMade(outcome="Vedtaget", rationale="Økonomi"))
    assert due(org, "hmed", "lmed") == []
