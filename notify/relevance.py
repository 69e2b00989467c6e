"""What the read models, the directory and the registry say about a notice now.

- the addresses: the directory's (outside the signed log, kept by storage:
  ``Store.directory_addresses``); an erased or missing entry means no mail;
- whether a notice still matters when its moment comes (a reminder for a
  consultation the person already answered is noise);
- what its recipient may read: the same rule as every read
  (``ledger.domain.readers.may_read_matter``, as ``api/access.py`` applies it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ledger.domain.readers import may_read_matter
from ledger.domain.state import LedgerState
from ledger.storage.store import Store
from notify.compose import Notice, Reading
from projections.read_models.notices import NoticeKind
from projections.read_models.schema import ReadModelSchema
from projections.vocabulary import Lang

ANSWERING_TYPES = ("PositionStated", "HearingResponseSubmitted", "ConsultationAcknowledged")


@dataclass
class Relevance:
    """One ledger's view for planning and composing notices."""

    store: Store
    schema: ReadModelSchema
    origin: str
    state_of: Callable[[str], LedgerState]
    base_url: str

    def addresses(self, people: list[str]) -> dict[str, tuple[str, str]]:
        """``person -> (name, e-mail)`` of those with an address that is not erased."""
        return self.store.directory_addresses(self.origin, people)

    def still_relevant(self, notice: Notice) -> bool:
        """False for a reminder or a deadline that has been settled since it was written."""
        with self.store.read() as session:
            if notice.kind == NoticeKind.RESPOND_BY:
                return self._unanswered(session, notice)
            if notice.kind == NoticeKind.DEADLINE:
                return self._claim_open(session, notice)
            if notice.kind == NoticeKind.FINDING_DUE:
                return self._finding_stands(session, notice)
        return True

    def _unanswered(self, session: Session, notice: Notice) -> bool:
        m, t = self.schema.matters, self.schema.timeline
        status = session.execute(
            select(m.c.status).where(and_(m.c.origin == self.origin, m.c.matter == notice.matter))
        ).scalar()
        if status not in (None, "open"):
            return False
        answered = session.execute(
            select(t.c.seq).where(
                and_(
                    t.c.origin == self.origin,
                    t.c.matter == notice.matter,
                    t.c.actor == notice.person,
                    t.c.leaf_index > notice.leaf_index,
                    t.c.event_type.in_(ANSWERING_TYPES),
                )
            )
        ).first()
        return answered is None

    def _claim_open(self, session: Session, notice: Notice) -> bool:
        d = self.schema.disputes
        row = session.execute(
            select(d.c.remedied, d.c.resolution).where(
                and_(
                    d.c.origin == self.origin,
                    d.c.matter == notice.matter,
                    d.c.seq == int(str(notice.detail.get("claim", 0))),
                )
            )
        ).first()
        return row is None or (not row.remedied and row.resolution is None)

    def _finding_stands(self, session: Session, notice: Notice) -> bool:
        f = self.schema.findings
        found = session.execute(
            select(f.c.rule).where(
                and_(
                    f.c.origin == self.origin,
                    f.c.matter == notice.matter,
                    f.c.rule == str(notice.detail.get("rule")),
                    f.c.key == str(notice.detail.get("key")),
                )
            )
        ).first()
        return found is not None

    def reading(self, person: str, name: str, lang: Lang, notices: list[Notice]) -> Reading:
        """What ``person`` may be told of ``notices``: titles of the matters they may read."""
        state = self.state_of(self.origin)
        matters = {n.matter for n in notices if n.matter}
        readable = sorted(m for m in matters if may_read_matter(state, person, m))
        m, b = self.schema.matters, self.schema.bodies
        ledger = self.store.ledger(self.origin)
        with self.store.read() as session:
            titles = {
                str(k): str(v)
                for k, v in session.execute(
                    select(m.c.matter, m.c.title).where(
                        and_(m.c.origin == self.origin, m.c.matter.in_(readable))
                    )
                )
            }
            bodies = {
                str(k): str(v)
                for k, v in session.execute(
                    select(b.c.body, b.c.name).where(b.c.origin == self.origin)
                )
            }
        return Reading(
            ledger_id=ledger.ledger_id if ledger else self.origin,
            ledger_name=ledger.name if ledger else self.origin,
            base_url=self.base_url,
            lang=lang,
            name=name,
            titles=titles,
            body_names=bodies,
        )
