"""The guideline register's forms: amending a guideline by agreement and giving notice of
terminating an optional one (MED-16), from the form to an event the write-time rules
accept (no browser; both backends)."""

from __future__ import annotations

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from ledger.errors import GuidelineNotTerminableError
from tests.service.test_event_catalogue import agreed_compromise, guideline_agreed
from tests.stories.log_assertions import refused
from tests.stories.matter import Matter
from web.actions import ACTIONS, checked_payload, words
from web.i18n import Lang
from web.manage_actions import MANAGE_ACTIONS

AMEND, TERMINATE = (a for a in MANAGE_ACTIONS if a.name.startswith("guideline_"))


def state_of(org: Organisation) -> LedgerState:
    return org.service.state(org.origin)


def agreed(org: Organisation, clock: ManualClock, kind: str) -> tuple[Matter, str, LedgerState]:
    """HovedMED agrees the guideline ``inddragelse`` of ``kind``: the matter, its id, the state."""
    matter = guideline_agreed(org, clock, kind)
    return matter, matter.matter_id, state_of(org)


def offered(state: LedgerState, name: str, matter: str) -> list[str]:
    action = ACTIONS[name]
    assert action.offer is not None
    return [p for p in ("direktor", "tr", "amr", "tr-lokal") if action.offer(state, p, matter)]


def test_management_amends_a_guideline_on_a_compromise_both_sides_accepted(
    org: Organisation, clock: ManualClock
) -> None:
    matter = guideline_agreed(org, clock, "optional")
    m = matter.matter_id
    proposal = agreed_compromise(matter, clock)
    state = state_of(org)
    assert offered(state, "guideline_amend", m) == ["direktor"]
    assert AMEND.choose is not None
    chosen = AMEND.choose(state, "direktor", m, "da")
    assert [g for g, _ in chosen["guidelines"]] == ["inddragelse"]
    assert "kan-retningslinje" in chosen["guidelines"][0][1]
    assert proposal in [seq for seq, _, _ in chosen["agreed_compromises"]]
    form = {
        "guideline": "inddragelse",
        "compromise": str(proposal),
        "body": "hmed",
        "text": "Inddragelse også ved udbud.",
        "guideline_type": "",
        "effective_from": clock.date(days=30),
    }
    payload = checked_payload(AMEND, form, state, m)
    assert "guideline_type" not in payload  # "unchanged" signs no type
    said = words(AMEND, payload, state, m, "da")
    assert "ændres retningslinjen inddragelse efter aftale" in said, said
    assert "Ændringen gælder fra" in said and "herefter" not in said
    english = words(AMEND, payload | {"guideline_type": "procedure"}, state, m, "en")
    assert "From now on the guideline is a procedure guideline" in english, english
    assert "The amendment is in force from" in english
    matter.act("direktor", ev.GuidelineAmended.model_validate(payload))
    amended = state_of(org).guidelines.guidelines["inddragelse"]
    assert [str(entry.effective_from) for entry in amended.amendments] == [form["effective_from"]]
    assert amended.type == "optional"


def test_either_side_gives_notice_of_terminating_an_optional_guideline(
    org: Organisation, clock: ManualClock
) -> None:
    matter, m, state = agreed(org, clock, "optional")
    # Members of HovedMED, where it was agreed, on either side; not the LokalMED's.
    assert offered(state, "guideline_terminate", m) == ["direktor", "tr", "amr"]
    form = {
        "guideline": "inddragelse",
        "effective_from": clock.date(days=120),
        "reason": "Erstattes af den nye aftale.",
    }
    payload = checked_payload(TERMINATE, form, state, m)
    assert payload["body"] == "hmed"  # the body that agreed it, not chosen by hand
    said_in: tuple[tuple[Lang, str], ...] = (
        ("da", "varsel om opsigelse af retningslinjen inddragelse"),
        ("en", "notice is given in the matter"),
    )
    for lang, expected in said_in:
        said = words(TERMINATE, payload, state, m, lang)
        assert expected in said and "{" not in said, said
    matter.act("tr", ev.GuidelineTerminated.model_validate(payload))
    ended = state_of(org)
    assert ended.guidelines.guidelines["inddragelse"].terminated is not None
    # Once terminated, neither form offers it.
    assert offered(ended, "guideline_terminate", m) == []
    assert offered(ended, "guideline_amend", m) == []


def test_a_procedure_guideline_is_not_offered_for_termination_and_refused_if_signed(
    org: Organisation, clock: ManualClock
) -> None:
    matter, m, state = agreed(org, clock, "procedure")
    assert offered(state, "guideline_terminate", m) == []
    assert offered(state, "guideline_amend", m) == ["direktor"]
    form = {"guideline": "inddragelse", "effective_from": clock.date(days=120), "reason": "Nej."}
    payload = checked_payload(TERMINATE, form, state, m)
    with refused(
        org, GuidelineNotTerminableError, "guideline_not_terminable", stream=matter.stream
    ):
        matter.act("tr", ev.GuidelineTerminated.model_validate(payload))
