"""A matter's facts read as the event models: by class, decoded once, erasures honoured.

The rulebook and the read models ask ``MatterFacts`` for events by their
model class and read each payload as that model (``projections.facts``).
These tests build matters in memory (no store) and pin what that reading
promises: the models the write side declares, nested models built, the
free text an erasure took reading None while every field the rules read
stays, and a payload the ledger could not have admitted refused, not
guessed at.
"""

from __future__ import annotations

import pytest

from ledger.domain import events as ev
from ledger.domain.groupings import INVOLVING_TYPES
from ledger.errors import MalformedPayloadError
from projections.facts.logged import LoggedEvent
from projections.facts.matter import MatterFacts, Touched
from tests.projections.rulebook.memory import consulted


def test_events_are_found_by_their_model_and_read_as_it() -> None:
    _, matter = consulted()
    position = matter.act(
        "tr", "PositionStated", body="hmed", side="employees", stance="oppose", text="Nej."
    )
    decision = matter.decide(position)
    decisions = matter.facts.typed(ev.DecisionMade)
    assert decisions == [decision]
    made = decisions[0].data
    assert isinstance(made, ev.DecisionMade)
    assert isinstance(made.inputs[0], ev.DecisionInput)  # nested models are built too
    assert made.inputs[0].event == position.seq
    assert matter.facts.treated_inputs(decisions[0]) == {position.seq: made.inputs[0]}
    assert matter.facts.first(ev.PositionStated, ev.DecisionMade) is position
    assert matter.facts.typed(ev.HearingOpened) == []
    assert matter.facts.first(ev.HearingOpened) is None


def test_a_fact_is_decoded_once_and_as_only_its_own_type() -> None:
    _, matter = consulted()
    opened = matter.facts.events[0]
    assert opened.data is opened.data  # decoded on first use, then kept
    assert opened.is_(ev.MatterOpened) and not opened.is_(ev.DecisionMade)
    assert opened.is_(ev.DecisionMade, ev.MatterOpened)
    assert not opened.is_(ev.DecisionMade, ev.MeetingHeld)
    assert opened.as_(ev.DecisionMade) is None
    as_opened = opened.as_(ev.MatterOpened)
    assert as_opened is not None and as_opened.responsible_body == "hmed"
    assert opened.kind is ev.MatterOpened
    assert matter.facts.opened is opened.data
    assert matter.facts.responsible_body == "hmed"
    assert matter.facts.decision_maker == "direktor"


def test_groupings_are_read_by_name_in_sequence_order() -> None:
    _, matter = consulted()
    shared = matter.share("hmed")
    meeting = matter.meeting()
    involving = matter.facts.among(INVOLVING_TYPES)
    assert [f.seq for f in involving] == sorted(f.seq for f in involving)
    assert involving[-2:] == [shared, meeting]
    assert matter.facts.first_among(INVOLVING_TYPES) is involving[0]
    assert matter.facts.first_among(frozenset()) is None


def test_an_erasure_takes_the_free_text_and_leaves_what_the_rules_read() -> None:
    _, matter = consulted()
    decision = matter.decide()
    assert decision.data.outcome == "Besluttet."
    matter.act(
        "admin",
        "PayloadRedacted",
        event=decision.seq,
        fields=["outcome", "rationale"],
        legal_basis="GDPR art. 17",
    )
    erased = matter.facts.typed(ev.DecisionMade)[0]
    assert erased.erased
    assert erased.data.outcome is None and erased.data.rationale is None
    assert erased.data.inputs == [] and erased.data.management_prerogative is False
    assert isinstance(erased.data, ev.DecisionMade)  # the erased model is a subclass
    assert erased.get("outcome") is None


def test_a_title_erased_leaves_the_matter_named_by_its_id() -> None:
    _, matter = consulted()
    assert matter.facts.category == "reorganisation"  # read, and kept, before the erasure
    assert matter.facts.title != matter.facts.matter
    matter.act("admin", "PayloadRedacted", event=1, fields=["title"], legal_basis="GDPR art. 17")
    assert matter.facts.title == matter.facts.matter
    assert matter.facts.opened.title is None
    assert matter.facts.category == "reorganisation"


def test_the_routing_fields_kept_on_a_matter_are_never_erasable() -> None:
    kept = {name for name, value in vars(MatterFacts).items() if type(value).__name__ == "_Opened"}
    assert kept == {"responsible_body", "category", "influence_level", "decision_maker"}
    assert not kept & ev.MatterOpened.erasable_fields()


def test_a_payload_the_ledger_could_not_have_admitted_is_refused() -> None:
    ledger, matter = consulted()
    forged: LoggedEvent[ev.DecisionMade] = LoggedEvent(
        leaf=999,
        stream=f"matter/{matter.facts.matter}",
        seq=len(matter.facts.events) + 1,
        type="DecisionMade",
        actor="direktor",
        time="2026-03-02T09:00:00Z",
        moment=ledger.now,
        recorded_at="2026-03-02T09:00:00Z",
        imported=False,
        payload={"outcome": "Besluttet."},  # no rationale
        redacted_leaf=None,
    )
    matter.facts.apply(forged, Touched())
    with pytest.raises(MalformedPayloadError):
        _ = matter.facts.typed(ev.DecisionMade)[0].data
