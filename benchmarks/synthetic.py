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

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import insert, update

from ledger.client.sdk import sign_submission
from ledger.domain import events as ev
from ledger.protocol import merkle
from ledger.protocol.canonical import canonical
from ledger.protocol.checkpoint import NoteSigner
from ledger.protocol.envelope import REGISTRY_STREAM, ZERO_HASH, format_time, matter_stream
from ledger.protocol.keys import PersonKey
from ledger.storage.logkeys import ledger_id_of
from ledger.storage.store import LedgerRow, Store, stream_uuid

START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


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
                "salt": submission.salt,
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
            leaves: list[dict[str, Any]] = []
            payloads: list[dict[str, Any]] = []
            nodes: list[dict[str, Any]] = []
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
                        "salt": item["salt"],
                    }
                )
                nodes.extend(
                    {"origin": self.origin, "level": lv, "idx": ix, "hash": h}
                    for lv, ix, h in item["nodes"]
                )
            session.execute(insert(store.leaves), leaves)
            session.execute(insert(store.payloads), payloads)
            session.execute(insert(store.nodes), nodes)
            session.execute(
                update(store.ledgers)
                .where(store.ledgers.c.origin == self.origin)
                .values(tree_size=self.size)
            )
        self.pending = []


def _doc(title: str) -> ev.Document:
    import hashlib

    return ev.Document(title=title, sha256=hashlib.sha256(title.encode()).hexdigest())


def generate(
    store: Store, origin: str, events: int, *, concurrency: int = 8, batch: int = 2000
) -> int:
    """Write a ledger of about ``events`` events (never fewer); return its size."""
    w = _Writer(store, origin, batch)
    admin = PersonKey.generate("admin")
    w.keys["admin"] = admin
    log_key = NoteSigner.generate(origin)
    with store.write() as session:
        store.insert_ledger(
            session,
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
    units = 6
    people: list[tuple[str, str, str, tuple[str, ...]]] = [
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
    for u in range(units):
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
            ev.MemberAppointed(body=body, person=person, side=side, roles=list(roles)),  # type: ignore[arg-type]
        )
    stories = [_story(w, n, n % units) for n in range(concurrency)]
    started = concurrency
    while w.size < events:
        for index, story in enumerate(stories):
            if w.size >= events:
                break
            try:
                next(story)
            except StopIteration:
                stories[index] = _story(w, started, started % units)
                started += 1
    w.flush()
    return w.size


def _story(w: _Writer, n: int, u: int) -> Iterator[None]:
    """One matter through the MED process, one event per step."""
    matter = matter_stream(f"sag-{n}")
    leader, sekr, tr, amr, member = f"leder-{u}", f"sekr-{u}", f"tr-{u}", f"amr-{u}", f"med-{u}a"
    body = f"lmed-{u}"
    category = ("reorganisation", "work_environment", "budget", "technology")[n % 4]
    level = "codetermination" if n % 9 == 0 else "discussion"
    day = (w.now + timedelta(days=60)).date().isoformat()
    w.sign(
        leader,
        matter,
        ev.MatterOpened(
            title=f"Sag {n}: tilpasning af opgaver",
            description="Ledelsen ønsker at drøfte en tilpasning af opgaverne med MED.",
            category=category,  # type: ignore[arg-type]
            responsible_body=body,
            influence_level=level,  # type: ignore[arg-type]
            decision_maker=leader,
            planned_decision_date=day,
        ),
    )
    yield
    w.sign(leader, matter, ev.MaterialShared(documents=[_doc(f"Notat {n}")], bodies=[body]))
    yield
    w.sign(
        leader, matter, ev.ConsultationOpened(body=body, question="Hvad mener I?", respond_by=day)
    )
    yield
    present = [leader, sekr, tr, member] + ([amr] if n % 5 else [])
    meeting = w.sign(
        sekr,
        matter,
        ev.MeetingHeld(
            body=body,
            date=w.now.date().isoformat(),
            agenda_item="Punkt 1",
            present=present,
            absent=[] if n % 5 else [amr],
        ),
    )
    yield
    position = w.sign(
        tr,
        matter,
        ev.PositionStated(
            body=body, side="employees", stance="support_with_changes", text="Ja, men."
        ),
    )
    yield
    proposal = w.sign(
        member, matter, ev.ProposalSubmitted(body=body, title="Forslag", text="Gør det sådan.")
    )
    yield
    disagreement = w.sign(
        tr, matter, ev.DisagreementRecorded(body=body, points=["Tidsplanen er for stram."])
    )
    yield
    w.sign(leader, matter, ev.MinutesApproved(meeting=meeting))
    yield
    if n % 7:
        w.sign(tr, matter, ev.MinutesApproved(meeting=meeting))
        yield
    if n % 4:
        w.sign(
            leader,
            matter,
            ev.DisagreementAnswered(disagreement=disagreement, response="Vi rykker datoen."),
        )
        yield
    compromise = w.sign(
        leader, matter, ev.CompromiseProposed(body=body, terms="Vi gør det i to trin.")
    )
    yield
    w.sign(leader, matter, ev.CompromiseAccepted(proposal=compromise, side="management"))
    yield
    w.sign(tr, matter, ev.CompromiseAccepted(proposal=compromise, side="employees"))
    yield
    agreement = w.sign(
        leader, matter, ev.AgreementReached(body=body, compromise=compromise, text="To trin.")
    )
    yield
    w.sign(leader, matter, ev.HearingOpened(bodies=[body, "hmed"], respond_by=day))
    yield
    response = w.sign("hmed-tr", matter, ev.HearingResponseSubmitted(body="hmed", text="Fint."))
    yield
    inputs = [position, agreement, response] + ([proposal] if n % 3 else [])
    w.sign(
        leader,
        matter,
        ev.DecisionMade(
            outcome="Opgaverne tilpasses i to trin.",
            rationale="Det giver tid til omstilling.",
            inputs=[
                ev.DecisionInput(event=s, treatment="adopted", reason="Fulgt.") for s in inputs
            ],
        ),
    )
    yield
    w.sign(tr, matter, ev.ConsultationAcknowledged(body=body, adequate_time=bool(n % 6)))
    yield
    w.sign(leader, matter, ev.DecisionCommunicated(to="Alle ansatte", channel="Personalemøde"))
    yield
    w.sign(leader, matter, ev.MatterClosed(reason="Gennemført."))
    yield
