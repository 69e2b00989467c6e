"""A synthetic but realistic ledger of any size, written fast, for benchmarks and memory tests.

A municipality with a HovedMED, several LokalMED and a political committee;
matters run in parallel through the MED process (material, consultation,
meeting, positions, a proposal, a disagreement and its answer, minutes,
a compromise and an agreement, a hearing, a decision naming its inputs,
acknowledgement, closing), with some steps left out now and then so that
the rulebook finds something.  Every event is a real signed envelope with
its payload and Merkle nodes, written through ``Store.append`` in large
transactions instead of one commit per event (the ledger service's way),
because the benchmarks measure reading the log, not writing it.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import insert, update

from ledger.client.sdk import sign_submission
from ledger.domain import events as ev
from ledger.protocol import merkle
from ledger.protocol.canonical import canonical
from ledger.protocol.envelope import (
    REGISTRY_STREAM,
    ZERO_HASH,
    format_time,
    ledger_id_of,
    matter_stream,
)
from ledger.protocol.keys import PersonKey
from ledger.protocol.note import NoteSigner
from ledger.storage.store import LedgerRow, Store, stream_uuid

START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
MINUTES = "0" * 63 + "1"
"""The digest every synthetic meeting commits to for its minutes."""


_Row = dict[str, Any]


@dataclass
class _Stream:
    seq: int = 0
    prev: str = ZERO_HASH


class _Writer:
    """Signs events and appends them to the store in batches."""

    def __init__(self, store: Store, origin: str, batch: int) -> None:
        self.store = store
        self.origin = origin
        self.batch = batch
        self.keys: dict[str, PersonKey] = {}
        self.streams: dict[str, _Stream] = {}
        self.frontier = merkle.Frontier.empty()
        self.size = 0
        self.now = START
        self.pending: list[dict[str, Any]] = []

    def sign(self, person: str, stream: str, payload: ev.Payload) -> int:
        head = self.streams.setdefault(stream, _Stream())
        self.now += timedelta(hours=3)
        submission = sign_submission(
            self.keys[person],
            origin=self.origin,
            stream=stream,
            seq=head.seq + 1,
            prev=head.prev,
            event_type=type(payload).__name__,
            payload=payload,
            time=self.now,
        )
        envelope = submission.envelope
        head.seq, head.prev = head.seq + 1, envelope.hash_hex
        self.pending.append(
            {
                "origin": self.origin,
                "leaf_index": self.size,
                "stream": stream,
                "seq": head.seq,
                "event_type": envelope.body.type,
                "actor": person,
                "claimed_time": envelope.body.time,
                "recorded_at": format_time(self.now),
                "entry": envelope.entry,
                "payload": canonical(submission.payload),
                "salts": submission.salts_bytes,
                "nodes": self.frontier.append(envelope.leaf_hash),
            }
        )
        self.size += 1
        if len(self.pending) >= self.batch:
            self.flush()
        return head.seq

    def flush(self) -> None:
        """Write the pending events in one transaction, many rows per statement.

        The same rows ``Store.append`` writes one event at a time (event store
        row, leaf, payload, tree nodes, tree size), inserted in bulk.
        """
        if not self.pending:
            return
        store = self.store
        with store.write() as session:
            stored = [
                StoredEvent(
                    originator_id=stream_uuid(self.origin, item["stream"]),
                    originator_version=item["seq"],
                    topic=item["event_type"],
                    state=item["entry"],
                )
                for item in self.pending
            ]
            ids = store.recorder.insert_events(stored, session=session)
            assert ids is not None and len(ids) == len(stored)
            leaves, payloads, nodes = self._rows(ids)
            session.execute(insert(store.leaves), leaves)
            session.execute(insert(store.payloads), payloads)
            session.execute(insert(store.nodes), nodes)
            session.execute(
                update(store.ledgers)
                .where(store.ledgers.c.origin == self.origin)
                .values(tree_size=self.size)
            )
        self.pending = []

    def _rows(self, ids: Sequence[int]) -> tuple[list[_Row], list[_Row], list[_Row]]:
        """The leaf, payload and tree-node rows of the pending events, given their row ids."""
        leaves: list[_Row] = []
        payloads: list[_Row] = []
        nodes: list[_Row] = []
        for item, notification_id in zip(self.pending, ids, strict=True):
            leaves.append(
                {
                    key: item[key]
                    for key in (
                        "origin",
                        "leaf_index",
                        "stream",
                        "seq",
                        "event_type",
                        "actor",
                        "claimed_time",
                        "recorded_at",
                    )
                }
                | {"notification_id": int(notification_id)}
            )
            payloads.append(
                {
                    "origin": self.origin,
                    "leaf_index": item["leaf_index"],
                    "payload": item["payload"],
                    "salts": item["salts"],
                }
            )
            nodes.extend(
                {"origin": self.origin, "level": lv, "idx": ix, "hash": h}
                for lv, ix, h in item["nodes"]
            )
        return leaves, payloads, nodes


def _doc(title: str) -> ev.Document:
    import hashlib

    return ev.Document(title=title, sha256=hashlib.sha256(title.encode()).hexdigest())


def generate(
    store: Store, origin: str, events: int, *, concurrency: int = 8, batch: int = 2000
) -> int:
    """Write a ledger of about ``events`` events (never fewer); return its size."""
    w = _Writer(store, origin, batch)
    _found(w, store, origin)
    _register(w, _members(UNITS))
    stories = [_story(w, n, n % UNITS) for n in range(concurrency)]
    started = concurrency
    while w.size < events:
        for index, story in enumerate(stories):
            if w.size >= events:
                break
            try:
                next(story)
            except StopIteration:
                stories[index] = _story(w, started, started % UNITS)
                started += 1
    w.flush()
    return w.size


UNITS = 6

_Member = tuple[str, str, ev.Side, tuple[ev.MemberRole, ...]]


def _found(w: _Writer, store: Store, origin: str) -> None:
    """The ledger's row and its genesis event, signed by the founding admin."""
    admin = PersonKey.generate("admin")
    w.keys["admin"] = admin
    log_key = NoteSigner.generate(origin)
    with store.transaction() as transaction:
        transaction.insert_ledger(
            LedgerRow(origin, ledger_id_of(origin), "Syntetisk kommune", log_key.verifier_key(), 0),
        )
    w.sign(
        "admin",
        REGISTRY_STREAM,
        ev.LedgerCreated(
            name="Syntetisk kommune",
            origin=origin,
            log_public_key=log_key.verifier_key(),
            admin=ev.FoundingAdmin(
                person="admin", key_id=admin.key_id, public_key=admin.public_key_b64
            ),
        ),
    )


def _members(units: int) -> list[_Member]:
    """HovedMED's four and six people in each LokalMED: (person, body, side, roles)."""
    people: list[_Member] = [
        ("direktor", "hmed", "management", ("chair",)),
        ("hmed-sekr", "hmed", "management", ("secretary",)),
        ("hmed-tr", "hmed", "employees", ("tr", "vice_chair")),
        ("hmed-amr", "hmed", "employees", ("amr",)),
    ]
    for u in range(units):
        people += [
            (f"leder-{u}", f"lmed-{u}", "management", ("chair",)),
            (f"sekr-{u}", f"lmed-{u}", "management", ("secretary",)),
            (f"tr-{u}", f"lmed-{u}", "employees", ("tr", "vice_chair")),
            (f"amr-{u}", f"lmed-{u}", "employees", ("amr",)),
            (f"med-{u}a", f"lmed-{u}", "employees", ("member",)),
            (f"med-{u}b", f"lmed-{u}", "employees", ("member",)),
        ]
    return people


def _register(w: _Writer, people: list[_Member]) -> None:
    """Enrol everyone, establish the bodies and appoint the members."""
    for person, *_ in people:
        key = PersonKey.generate(person)
        w.keys[person] = key
        w.sign(
            "admin",
            REGISTRY_STREAM,
            ev.PersonEnrolled(person=person, key_id=key.key_id, public_key=key.public_key_b64),
        )
    w.sign(
        "admin", REGISTRY_STREAM, ev.BodyEstablished(body="hmed", name="HovedMED", kind="hovedmed")
    )
    for u in range(UNITS):
        w.sign(
            "admin",
            REGISTRY_STREAM,
            ev.BodyEstablished(
                body=f"lmed-{u}", name=f"LokalMED {u}", kind="lokalmed", parent="hmed"
            ),
        )
    w.sign(
        "admin",
        REGISTRY_STREAM,
        ev.BodyEstablished(body="udvalg", name="Økonomiudvalget", kind="political_committee"),
    )
    for person, body, side, roles in people:
        w.sign(
            "admin",
            REGISTRY_STREAM,
            ev.MemberAppointed(body=body, person=person, side=side, roles=list(roles)),
        )


@dataclass(frozen=True)
class _Matter:
    """One synthetic matter and the people of the LokalMED that handles it."""

    n: int
    stream: str
    body: str
    leader: str
    sekr: str
    tr: str
    amr: str
    member: str
    day: str


CATEGORIES: tuple[ev.Category, ...] = ("reorganisation", "work_environment", "budget", "technology")


def _story(w: _Writer, n: int, u: int) -> Iterator[None]:
    """One matter through the MED process, one event per step."""
    m = _Matter(
        n=n,
        stream=matter_stream(f"sag-{n}"),
        body=f"lmed-{u}",
        leader=f"leder-{u}",
        sekr=f"sekr-{u}",
        tr=f"tr-{u}",
        amr=f"amr-{u}",
        member=f"med-{u}a",
        day=(w.now + timedelta(days=60)).date().isoformat(),
    )
    yield from _opening(w, m)
    position, proposal = yield from _meeting(w, m)
    agreement = yield from _agreement(w, m)
    response = yield from _hearing(w, m)
    yield from _decision(w, m, [position, agreement, response] + ([proposal] if n % 3 else []))


def _opening(w: _Writer, m: _Matter) -> Iterator[None]:
    """Opened, material shared, consultation opened."""
    level: ev.InfluenceLevel = "codetermination" if m.n % 9 == 0 else "discussion"
    w.sign(
        m.leader,
        m.stream,
        ev.MatterOpened(
            title=f"Sag {m.n}: tilpasning af opgaver",
            description="Ledelsen ønsker at drøfte en tilpasning af opgaverne med MED.",
            category=CATEGORIES[m.n % 4],
            responsible_body=m.body,
            influence_level=level,
            decision_maker=m.leader,
            planned_decision_date=m.day,
        ),
    )
    yield
    w.sign(m.leader, m.stream, ev.MaterialShared(documents=[_doc(f"Notat {m.n}")], bodies=[m.body]))
    yield
    w.sign(
        m.leader,
        m.stream,
        ev.ConsultationOpened(body=m.body, question="Hvad mener I?", respond_by=m.day),
    )
    yield


def _meeting(w: _Writer, m: _Matter) -> Generator[None, None, tuple[int, int]]:
    """The meeting: a position, a proposal, a disagreement, minutes (sometimes left
    unapproved by the employees, the disagreement sometimes unanswered).

    Returns the sequence numbers of the position and the proposal.
    """
    present = [m.leader, m.sekr, m.tr, m.member] + ([m.amr] if m.n % 5 else [])
    meeting = w.sign(
        m.sekr,
        m.stream,
        ev.MeetingHeld(
            body=m.body,
            date=w.now.date().isoformat(),
            agenda_item="Punkt 1",
            present=present,
            absent=[] if m.n % 5 else [m.amr],
            minutes_sha256=MINUTES,
        ),
    )
    yield
    position = w.sign(
        m.tr,
        m.stream,
        ev.PositionStated(
            body=m.body, side="employees", stance="support_with_changes", text="Ja, men."
        ),
    )
    yield
    proposal = w.sign(
        m.member,
        m.stream,
        ev.ProposalSubmitted(body=m.body, title="Forslag", text="Gør det sådan."),
    )
    yield
    disagreement = w.sign(
        m.tr, m.stream, ev.DisagreementRecorded(body=m.body, points=["Tidsplanen er for stram."])
    )
    yield
    w.sign(m.leader, m.stream, ev.MinutesApproved(meeting=meeting, minutes_sha256=MINUTES))
    yield
    if m.n % 7:
        w.sign(m.tr, m.stream, ev.MinutesApproved(meeting=meeting, minutes_sha256=MINUTES))
        yield
    if m.n % 4:
        w.sign(
            m.leader,
            m.stream,
            ev.DisagreementAnswered(disagreement=disagreement, response="Vi rykker datoen."),
        )
        yield
    return position, proposal


def _agreement(w: _Writer, m: _Matter) -> Generator[None, None, int]:
    """A compromise both sides accept, and the agreement; returns the agreement's seq."""
    compromise = w.sign(
        m.leader, m.stream, ev.CompromiseProposed(body=m.body, terms="Vi gør det i to trin.")
    )
    yield
    w.sign(m.leader, m.stream, ev.CompromiseAccepted(proposal=compromise, side="management"))
    yield
    w.sign(m.tr, m.stream, ev.CompromiseAccepted(proposal=compromise, side="employees"))
    yield
    agreement = w.sign(
        m.leader,
        m.stream,
        ev.AgreementReached(body=m.body, compromise=compromise, text="To trin."),
    )
    yield
    return agreement


def _hearing(w: _Writer, m: _Matter) -> Generator[None, None, int]:
    """A hearing of the LokalMED and HovedMED; returns the seq of HovedMED's response."""
    w.sign(m.leader, m.stream, ev.HearingOpened(bodies=[m.body, "hmed"], respond_by=m.day))
    yield
    response = w.sign("hmed-tr", m.stream, ev.HearingResponseSubmitted(body="hmed", text="Fint."))
    yield
    return response


def _decision(w: _Writer, m: _Matter, inputs: list[int]) -> Iterator[None]:
    """The decision naming its inputs, acknowledged, communicated, and the matter closed."""
    w.sign(
        m.leader,
        m.stream,
        ev.DecisionMade(
            outcome="Opgaverne tilpasses i to trin.",
            rationale="Det giver tid til omstilling.",
            inputs=[
                ev.DecisionInput(event=s, treatment="adopted", reason="Fulgt.") for s in inputs
            ],
        ),
    )
    yield
    w.sign(m.tr, m.stream, ev.ConsultationAcknowledged(body=m.body, adequate_time=bool(m.n % 6)))
    yield
    w.sign(m.leader, m.stream, ev.DecisionCommunicated(to="Alle ansatte", channel="Personalemøde"))
    yield
    w.sign(m.leader, m.stream, ev.MatterClosed(reason="Gennemført."))
    yield
