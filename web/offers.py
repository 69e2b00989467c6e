"""Whom the matter page offers each action: the write-time rules of ``ledger.domain``
read as of now, for one person.

An offer is a courtesy, not a permission: the page lists what the person's
seat allows, and the write-time rules still judge the signed event (and the
dry run says so before signing).  Each predicate takes the ledger state, the
person and the matter, which is open.
"""

from __future__ import annotations

from ledger.domain.state import LedgerState


def _seats(state: LedgerState, person: str) -> dict[str, tuple[str, frozenset[str]]]:
    """The bodies ``person`` sits in now: body -> (side, roles)."""
    members = list(state.registry.members.items())
    return {
        body: (seat.side, seat.roles)
        for body, seats in members
        if (seat := seats.get(person)) is not None
    }


def _holds_in_involved(state: LedgerState, person: str, matter: str, wanted: set[str]) -> bool:
    """Whether ``person`` holds one of the ``wanted`` roles in a body the matter involves."""
    involved = state.matters[matter].involved
    return any(
        body in involved and roles & wanted for body, (_, roles) in _seats(state, person).items()
    )


def speaks_in_matter(state: LedgerState, person: str, matter: str) -> bool:
    """A member of a body involved in the matter (position, disagreement, compromise,
    acknowledgement)."""
    return bool(_seats(state, person).keys() & state.matters[matter].involved)


def any_member(state: LedgerState, person: str, matter: str) -> bool:
    """A member of any body (a proposal comes from the proposer's own body)."""
    return bool(_seats(state, person))


def accepts_for_a_side(state: LedgerState, person: str, matter: str) -> bool:
    """A chair or vice-chair of an involved body (who accepts a compromise for a side)."""
    return _holds_in_involved(state, person, matter, {"chair", "vice_chair"})


def heard(state: LedgerState, person: str, matter: str) -> bool:
    """A member of a body the matter was sent to in a hearing."""
    return bool(_seats(state, person).keys() & state.matters[matter].hearing_bodies)


def employee_side_involved(state: LedgerState, person: str, matter: str) -> bool:
    """On the employee side of an involved body (who may claim a breach)."""
    involved = state.matters[matter].involved
    return any(
        body in involved and side == "employees"
        for body, (side, _) in _seats(state, person).items()
    )


def manages(state: LedgerState, person: str, matter: str) -> bool:
    """The decision maker, or a management-side member of the responsible body now."""
    return state.matters[matter].manages(state.registry, person)


def management_seat(state: LedgerState, person: str, matter: str) -> bool:
    """A management-side member of the responsible body now."""
    seat = state.registry.membership(state.matters[matter].responsible_body, person)
    return seat is not None and seat.side == "management"


def decides(state: LedgerState, person: str, matter: str) -> bool:
    """The matter's decision maker."""
    return state.matters[matter].decision_maker == person


def chairs_or_manages(state: LedgerState, person: str, matter: str) -> bool:
    """Management of the matter, or a chair of any body (who may open a consultation
    there)."""
    return management_seat(state, person, matter) or any(
        "chair" in roles for _, roles in _seats(state, person).values()
    )


def records_politics(state: LedgerState, person: str, matter: str) -> bool:
    """Management or the secretary of the responsible body."""
    seat = state.registry.membership(state.matters[matter].responsible_body, person)
    return seat is not None and (seat.side == "management" or "secretary" in seat.roles)


def records_meetings(state: LedgerState, person: str, matter: str) -> bool:
    """A chair or secretary of a body the matter involves (who records its meeting)."""
    return _holds_in_involved(state, person, matter, {"chair", "secretary"})


def from_the_meeting_page(state: LedgerState, person: str, matter: str) -> bool:
    """Not on the matter page: the minutes are approved and published from their meeting's
    page, which names the meeting."""
    return False
