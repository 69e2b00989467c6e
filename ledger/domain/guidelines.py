"""The guideline register (retningslinjer) as of one log position, and its write-time rules.

A guideline is made by an ``AgreementReached`` with ``guideline`` set, in
the matter where both sides agreed it; it is changed by a
``GuidelineAmended`` (again on a compromise both sides accepted) and, if
it is optional (kan), ended by a ``GuidelineTerminated`` with notice.
Procedure and mandatory (skal) guidelines exist only by agreement and are
changed only by agreement: they cannot be terminated (docs/RULEBOOK.md,
MED-16).  Guidelines belong to the organisation, not to one matter, so the
register is kept beside the registry in ``LedgerState`` and every matter's
write-time rules may ask it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from ledger.domain import events as ev
from ledger.errors import (
    GuidelineEndedError,
    GuidelineExistsError,
    GuidelineNotTerminableError,
    TerminationNoticeTooShortError,
    UnknownGuidelineError,
)

NOTICE_MONTHS_KEY = "med-16.notice_months"
"""The rulebook key of the notice period for terminating an optional guideline."""
DEFAULT_NOTICE_MONTHS = 3


_Day = TypeVar("_Day", bound=date)


def add_months(day: _Day, months: int) -> _Day:
    """The same day (and time, for a datetime) ``months`` later (the last day of a shorter
    month)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class RegisterEntry:
    """One event in a guideline's history: where it stands in the log."""

    matter: str
    seq: int
    effective_from: date | None


@dataclass
class Guideline:
    """One guideline: its type, the agreement that made it, its amendments and its end."""

    guideline_id: str
    type: ev.GuidelineType
    body: str
    made: RegisterEntry
    amendments: list[RegisterEntry] = field(default_factory=list)
    terminated: RegisterEntry | None = None

    def in_force(self, day: date) -> bool:
        """Has the guideline taken effect by ``day`` and not yet ended?"""
        started = self.made.effective_from is None or self.made.effective_from <= day
        ended = (
            self.terminated is not None
            and self.terminated.effective_from is not None
            and self.terminated.effective_from <= day
        )
        return started and not ended


@dataclass
class GuidelineRegister:
    """Every guideline of one ledger by id."""

    guidelines: dict[str, Guideline] = field(default_factory=dict)

    def get(self, guideline_id: str) -> Guideline:
        """The guideline ``guideline_id``; raises UnknownGuidelineError."""
        found = self.guidelines.get(guideline_id)
        if found is None:
            raise UnknownGuidelineError(
                f"no guideline {guideline_id} in the register", guideline=guideline_id
            )
        return found

    # --- write-time rules -------------------------------------------------

    def require_new(self, guideline_id: str) -> None:
        if guideline_id in self.guidelines:
            raise GuidelineExistsError(
                f"guideline {guideline_id} is already in the register; amend it instead",
                guideline=guideline_id,
            )

    def require_not_terminated(self, guideline_id: str) -> Guideline:
        guideline = self.get(guideline_id)
        if guideline.terminated is not None:
            raise GuidelineEndedError(
                f"guideline {guideline_id} was terminated (event {guideline.terminated.seq} "
                f"of matter {guideline.terminated.matter})",
                guideline=guideline_id,
            )
        return guideline

    def check_termination(
        self, payload: ev.GuidelineTerminated, notice_day: date, notice_months: int
    ) -> Guideline:
        """May ``payload`` terminate its guideline, given notice on ``notice_day``?"""
        guideline = self.require_not_terminated(payload.guideline)
        if guideline.type != "optional":
            raise GuidelineNotTerminableError(
                f"guideline {guideline.guideline_id} is a {guideline.type} guideline: it "
                "exists by agreement and can only be changed by agreement (GuidelineAmended)",
                guideline=guideline.guideline_id,
                guideline_type=guideline.type,
            )
        earliest = add_months(notice_day, notice_months)
        effective = date.fromisoformat(payload.effective_from)
        if effective < earliest:
            raise TerminationNoticeTooShortError(
                f"notice given {notice_day} can end guideline {guideline.guideline_id} on "
                f"{earliest} at the earliest ({notice_months} months), not {effective}",
                guideline=guideline.guideline_id,
                earliest=earliest.isoformat(),
            )
        return guideline

    # --- folding events in ------------------------------------------------

    def apply(self, matter: str, seq: int, payload: ev.Payload) -> None:
        """Fold one admitted matter event in (events other than the three are ignored)."""
        match payload:
            case ev.AgreementReached(guideline=True, guideline_id=str(guideline_id)):
                self.guidelines[guideline_id] = Guideline(
                    guideline_id,
                    payload.guideline_type or "optional",
                    payload.body,
                    RegisterEntry(matter, seq, _day(payload.effective_from)),
                )
            case ev.GuidelineAmended(guideline=guideline_id):
                amended = self.guidelines[guideline_id]
                amended.amendments.append(RegisterEntry(matter, seq, _day(payload.effective_from)))
                if payload.guideline_type is not None:
                    amended.type = payload.guideline_type
            case ev.GuidelineTerminated(guideline=guideline_id):
                ended = self.guidelines[guideline_id]
                ended.terminated = RegisterEntry(matter, seq, _day(payload.effective_from))


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
