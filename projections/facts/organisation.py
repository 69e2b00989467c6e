"""What the organisation as a whole holds, beside its matters: kept whole by every fold.

Most read-model rows are a function of one matter and the registry.  A few
facts belong to the organisation and are read across matters: the
guideline register (a matter touching a guideline asks whether it is in
force, MED-14) and, per body and year, the annual work-environment
discussions and the work-environment representatives' appointments
(MED-15).  They are few, so a fold keeps them whole, as it keeps the
registry; ``LedgerFold.resume`` reloads them with one query over the
event types in ``ORGANISATION_EVENT_TYPES``.
"""

from __future__ import annotations

from ledger.domain import events as ev
from ledger.domain.groupings import GUIDELINE_TYPES
from projections.facts.guidelines import GuidelineHistory, step_of
from projections.facts.logged import Logged, LoggedEvent

ORGANISATION_EVENT_TYPES = (*sorted(GUIDELINE_TYPES), ev.MeetingHeld.__name__)
"""The matter event types the organisation's facts are folded from (beside the registry)."""
_HELD = frozenset({*ORGANISATION_EVENT_TYPES, ev.MemberAppointed.__name__})
"""Every event type a fold's ``OrganisationFacts`` keeps (the rest pass it by)."""


class OrganisationFacts:
    """The guideline register's history, annual work-environment discussions by body, and
    the appointments of work-environment representatives (AMR) by body."""

    def __init__(self) -> None:
        self.guidelines = GuidelineHistory()
        self.annual_discussions: dict[str, list[LoggedEvent[ev.MeetingHeld]]] = {}
        self.amr_appointments: dict[str, list[LoggedEvent[ev.MemberAppointed]]] = {}
        self._last_leaf = -1

    def apply(self, event: Logged) -> None:
        """Fold one event of the log in (any stream; most are not the organisation's);
        an event at or below a leaf already folded is ignored."""
        if event.leaf <= self._last_leaf:
            return
        self._last_leaf = event.leaf
        if event.type not in _HELD:
            return
        if (appointed := event.as_(ev.MemberAppointed)) is not None:
            if "amr" in appointed.roles:
                self.amr_appointments.setdefault(appointed.body, []).append(event)
        elif (meeting := event.as_(ev.MeetingHeld)) is not None:
            if meeting.annual_work_environment_discussion:
                self.annual_discussions.setdefault(meeting.body, []).append(event)
        else:
            step = step_of(event)
            if step is not None:
                self.guidelines.add(step)

    def discussions_in(self, body: str, year: int) -> list[LoggedEvent[ev.MeetingHeld]]:
        """The annual work-environment discussions held in ``body`` in ``year`` (by the
        meeting's own date)."""
        return [
            m
            for m in self.annual_discussions.get(body, [])
            if m.data.date.startswith(f"{year:04d}-")
        ]
