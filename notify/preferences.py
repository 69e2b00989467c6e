"""Each person's choices: digest (immediate, daily, weekly; daily by default), language
(Danish by default), and the kinds of notice they unsubscribed from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import and_, delete, insert, select

from ledger.errors import MalformedError
from ledger.storage.store import Store
from notify.schedule import DEFAULT_DIGEST, DIGESTS
from notify.tables import NotifyTables
from projections.read_models.notices import NOTICE_KINDS
from projections.vocabulary import Lang


class PreferenceError(MalformedError):
    """A digest, language or kind that does not exist."""

    code = "notification_preference_invalid"


@dataclass(frozen=True)
class Preferences:
    digest: str = DEFAULT_DIGEST
    language: Lang = "da"
    unsubscribed: frozenset[str] = frozenset()


class _HasTables(Protocol):
    @property
    def store(self) -> Store: ...

    @property
    def t(self) -> NotifyTables: ...


def preferences_of(owner: _HasTables, origin: str, people: list[str]) -> dict[str, Preferences]:
    """The preferences of ``people`` (the defaults for whoever chose nothing)."""
    p = owner.t.preferences
    found = {person: Preferences() for person in people}
    with owner.store.read() as session:
        for start in range(0, len(people), 500):
            rows = session.execute(
                select(p).where(
                    and_(p.c.origin == origin, p.c.person.in_(people[start : start + 500]))
                )
            ).all()
            for row in rows:
                found[row.person] = Preferences(
                    row.digest,
                    "en" if row.language == "en" else "da",
                    frozenset(k for k in row.unsubscribed.split(",") if k),
                )
    return found


def save_preferences(owner: _HasTables, origin: str, person: str, chosen: Preferences) -> None:
    """Store a person's choices; raises PreferenceError for a value that does not exist."""
    if chosen.digest not in DIGESTS:
        raise PreferenceError(f"no digest {chosen.digest!r}; choose one of {', '.join(DIGESTS)}")
    if chosen.language not in ("da", "en"):
        raise PreferenceError(f"no language {chosen.language!r}; choose da or en")
    unknown = sorted(chosen.unsubscribed - set(NOTICE_KINDS))
    if unknown:
        raise PreferenceError(f"no kind of notice {', '.join(unknown)}")
    p = owner.t.preferences
    with owner.store.write() as session:
        session.execute(delete(p).where(and_(p.c.origin == origin, p.c.person == person)))
        session.execute(
            insert(p).values(
                origin=origin,
                person=person,
                digest=chosen.digest,
                language=chosen.language,
                unsubscribed=",".join(k for k in NOTICE_KINDS if k in chosen.unsubscribed),
            )
        )


def unsubscribe(owner: _HasTables, origin: str, person: str, kinds: tuple[str, ...]) -> None:
    """Turn off ``kinds`` for a person, keeping their other choices."""
    current = preferences_of(owner, origin, [person])[person]
    save_preferences(
        owner,
        origin,
        person,
        Preferences(current.digest, current.language, current.unsubscribed | set(kinds)),
    )
