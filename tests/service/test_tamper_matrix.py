"""The tamper matrix of DESIGN.md section 10, on SQLite and PostgreSQL.

A small municipality consults its HovedMED on a reorganisation; then
someone with database access changes the stored history in one way or
another.  Every change must make verification fail and, where an event is
involved, name it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlalchemy import and_, delete, insert, select, update

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.errors import VerificationError
from ledger.protocol.canonical import canonical, parse_canonical
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.heads import HeadsTree, StreamTip
from ledger.protocol.note import NoteSigner, sign_note
from ledger.service.application import LedgerService
from ledger.service.verification import VerificationReport, verify_ledger
from ledger.storage.store import Store, stream_uuid
from tests.stories.matter import consulted
from tests.stories.school import school_structure


@dataclass
class Story:
    service: LedgerService
    store: Store
    origin: str
    size: int


@pytest.fixture
def story(org: Organisation, service: LedgerService, clock: ManualClock) -> Story:
    """The director consults HovedMED on a reorganisation, the employees oppose, the
    director decides; a checkpoint is issued and the ledger verifies."""
    matter = consulted(
        org,
        "omstilling",
        school_structure(
            clock,
            title="Omstilling af administrationen",
            description="Færre enheder, fælles sekretariat.",
            planned_decision_date=clock.date(days=40),
        ),
        question="Jeres syn?",
        respond_by=clock.date(days=20),
    )
    clock.advance(days=3)
    matter.act(
        "tr", ev.PositionStated(body="hmed", side="employees", stance="oppose", text="For hurtigt.")
    )
    clock.advance(days=20)
    matter.act("direktor", ev.DecisionMade(outcome="Gennemføres", rationale="Økonomien."))
    service.issue_checkpoint(org.origin)
    verify_ledger(service.store, org.origin)  # sound before anyone touches it
    return Story(service, service.store, org.origin, service.tree_size(org.origin))


def _event_row(s: Story, leaf: int) -> int:
    found = s.store.record(s.origin, leaf)
    assert found is not None
    return found.notification_id


def _flip(data: bytes, offset: int) -> bytes:
    index = offset % len(data)
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _set_entry(s: Story, leaf: int, entry: bytes) -> None:
    with s.store.write() as session:
        session.execute(
            update(s.store.events)
            .where(s.store.events.c.id == _event_row(s, leaf))
            .values(state=entry)
        )


def _entry(s: Story, leaf: int) -> bytes:
    found = s.store.record(s.origin, leaf)
    assert found is not None and found.entry is not None
    return found.entry


def flip_entry_byte(position: str, offset: int) -> Callable[[Story], int]:
    def damage(s: Story) -> int:
        leaf = {"first": 0, "middle": s.size // 2, "last": s.size - 1}[position]
        _set_entry(s, leaf, _flip(_entry(s, leaf), offset))
        return leaf

    damage.__name__ = f"flip byte {offset} of the {position} entry"
    return damage


def overwrite_payload_row(s: Story, leaf: int, **values: object) -> int:
    """Change the stored payload row of ``leaf`` behind the ledger's back; return ``leaf``."""
    payloads = s.store.payloads
    with s.store.write() as session:
        session.execute(
            update(payloads)
            .where(and_(payloads.c.origin == s.origin, payloads.c.leaf_index == leaf))
            .values(**values)
        )
    return leaf


def change_payload(s: Story) -> int:
    employee_position = s.size - 2
    return overwrite_payload_row(
        s,
        employee_position,
        payload=canonical(
            {"body": "hmed", "side": "employees", "stance": "support", "text": "Fint."}
        ),
    )


def _stored_fields(s: Story, leaf: int) -> tuple[dict[str, object], dict[str, object]]:
    record = s.store.record(s.origin, leaf)
    assert record is not None and record.payload is not None and record.salts is not None
    payload, salts = parse_canonical(record.payload), parse_canonical(record.salts)
    assert isinstance(payload, dict) and isinstance(salts, dict)
    return payload, salts


def change_salt(s: Story) -> int:
    leaf = s.size - 3
    _, salts = _stored_fields(s, leaf)
    zeros = dict.fromkeys(salts, "AAAAAAAAAAAAAAAAAAAAAA==")
    return overwrite_payload_row(s, leaf, salts=canonical(zeros))


def erase_payload_silently(s: Story) -> int:
    """A field removed from the payload and salts rows, with no PayloadRedacted on record."""
    leaf = s.size - 2
    payload, salts = _stored_fields(s, leaf)
    del payload["text"], salts["text"]
    return overwrite_payload_row(s, leaf, payload=canonical(payload), salts=canonical(salts))


def erase_a_routing_field(s: Story) -> int:
    """An 'erasure' of a field no PayloadRedacted may erase (the body a position was for)."""
    leaf = s.size - 2
    payload, salts = _stored_fields(s, leaf)
    del payload["body"], salts["body"]
    return overwrite_payload_row(
        s, leaf, payload=canonical(payload), salts=canonical(salts), redacted_by=s.size - 1
    )


def delete_event(position: str) -> Callable[[Story], int]:
    def damage(s: Story) -> int:
        leaf = {"first": 0, "middle": s.size // 2, "last": s.size - 1}[position]
        with s.store.write() as session:
            session.execute(
                delete(s.store.events).where(s.store.events.c.id == _event_row(s, leaf))
            )
        return leaf

    damage.__name__ = f"delete the {position} event from the event store"
    return damage


def delete_leaf(s: Story) -> int:
    leaf = s.size // 2
    with s.store.write() as session:
        session.execute(
            delete(s.store.leaves).where(
                and_(s.store.leaves.c.origin == s.origin, s.store.leaves.c.leaf_index == leaf)
            )
        )
    return leaf


def truncate_last(s: Story) -> int:
    """Remove the last event everywhere, as a careful insider would; only checkpoints remember.

    No leaf the log still holds is damaged (-1): the checkpoint at the old size names it.
    """
    leaf = s.size - 1
    store = s.store
    with store.write() as session:
        session.execute(delete(store.events).where(store.events.c.id == _event_row(s, leaf)))
        session.execute(
            delete(store.leaves).where(
                and_(store.leaves.c.origin == s.origin, store.leaves.c.leaf_index == leaf)
            )
        )
        session.execute(
            delete(store.payloads).where(
                and_(store.payloads.c.origin == s.origin, store.payloads.c.leaf_index == leaf)
            )
        )
        for level in range(32):  # every complete subtree that contains the leaf
            session.execute(
                delete(store.nodes).where(
                    and_(
                        store.nodes.c.origin == s.origin,
                        store.nodes.c.level == level,
                        store.nodes.c.idx == leaf >> level,
                    )
                )
            )
        session.execute(
            update(store.ledgers).where(store.ledgers.c.origin == s.origin).values(tree_size=leaf)
        )
    return -1


def reorder(s: Story) -> int:
    a, b = s.size - 2, s.size - 1
    entry_a, entry_b = _entry(s, a), _entry(s, b)
    _set_entry(s, a, entry_b)
    _set_entry(s, b, entry_a)
    return a


def duplicate(s: Story) -> int:
    """Copy an event into its stream again, as if signed twice.

    No leaf is damaged (-1): the event store's count for the stream names it.
    """
    leaf = s.size - 2
    found = s.store.record(s.origin, leaf)
    assert found is not None and found.originator_id is not None
    with s.store.write() as session:
        session.execute(
            insert(s.store.events).values(
                originator_id=found.originator_id,
                originator_version=found.seq + 100,
                topic=found.topic,
                state=found.entry,
            )
        )
    return -1


def move_to_other_stream(s: Story) -> int:
    leaf = s.size - 1
    with s.store.write() as session:
        session.execute(
            update(s.store.events)
            .where(s.store.events.c.id == _event_row(s, leaf))
            .values(originator_id=stream_uuid(s.origin, "matter/en-anden-sag"))
        )
    return leaf


def replace_entry_with_resigned_forgery(s: Story) -> int:
    """Swap in an entry that parses but whose signature is someone else's."""
    leaf = s.size - 2
    entry = parse_canonical(_entry(s, leaf))
    entry["body"]["time"] = entry["body"]["time"].replace("09:00:00", "09:00:01")
    _set_entry(s, leaf, canonical(entry))
    return leaf


def change_tree_node(s: Story) -> int:
    with s.store.write() as session:
        session.execute(
            update(s.store.nodes)
            .where(
                and_(
                    s.store.nodes.c.origin == s.origin,
                    s.store.nodes.c.level == 0,
                    s.store.nodes.c.idx == 1,
                )
            )
            .values(hash=b"\x00" * 32)
        )
    return -1


def forge_checkpoint(s: Story) -> int:
    """A checkpoint 'signed' by a key that is not the log's."""
    note = sign_note(
        Checkpoint(s.origin, s.size + 5, b"\x11" * 32).text(), [NoteSigner.generate(s.origin)]
    )
    with s.store.transaction() as transaction:
        transaction.insert_checkpoint(
            s.origin, s.size + 5, b"\x11" * 32, note, "2026-01-01T00:00:00Z"
        )
    return -1


def fork_checkpoint(s: Story) -> int:
    """The log key itself signed another root for a size it already signed (a fork)."""
    signer = s.service.log_keys.signer(s.origin)
    forked = sign_note(Checkpoint(s.origin, s.size, b"\x22" * 32).text(), [signer])
    checkpoints = s.store.checkpoints
    with s.store.write() as session:
        session.execute(
            update(checkpoints)
            .where(and_(checkpoints.c.origin == s.origin, checkpoints.c.tree_size == s.size))
            .values(root=b"\x22" * 32, note=forked)
        )
    return -1


def false_stream_heads(s: Story) -> int:
    """The log key signed the true root with stream heads that hide a stream's last event."""
    signer = s.service.log_keys.signer(s.origin)
    heads = s.service.heads_at(s.origin, s.size)
    hidden = [
        StreamTip(t.stream, t.seq - 1, t.hash, t.leaf_index) if t.stream != "registry" else t
        for t in heads.tips
    ]
    root = s.service.root(s.origin, s.size)
    note = sign_note(
        Checkpoint(s.origin, s.size, root, (HeadsTree(hidden).line(),)).text(), [signer]
    )
    checkpoints = s.store.checkpoints
    with s.store.write() as session:
        session.execute(
            update(checkpoints)
            .where(and_(checkpoints.c.origin == s.origin, checkpoints.c.tree_size == s.size))
            .values(note=note)
        )
    return -1


DAMAGES: list[Callable[[Story], int]] = [
    flip_entry_byte("first", 10),
    flip_entry_byte("middle", 40),
    flip_entry_byte("last", -5),
    flip_entry_byte("last", -40),
    change_payload,
    change_salt,
    erase_payload_silently,
    erase_a_routing_field,
    delete_event("first"),
    delete_event("middle"),
    delete_event("last"),
    delete_leaf,
    truncate_last,
    reorder,
    duplicate,
    move_to_other_stream,
    replace_entry_with_resigned_forgery,
    change_tree_node,
    forge_checkpoint,
    fork_checkpoint,
    false_stream_heads,
]


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.__name__.replace("_", " ") for d in DAMAGES])
def test_any_damage_to_stored_history_fails_verification(
    story: Story, damage: Callable[[Story], int]
) -> None:
    leaf = damage(story)
    with pytest.raises(VerificationError) as failure:
        verify_ledger(story.store, story.origin)
    if leaf >= 0:
        # Where the damage hit an event, the first event verification names is
        # that one, or the one right after it whose chain link now breaks.
        assert failure.value.details["leaf_index"] in (leaf, leaf + 1)


def test_truncation_is_caught_by_an_auditors_earlier_checkpoint_even_without_stored_ones(
    story: Story,
) -> None:
    held_by_auditor = story.service.latest_checkpoint(story.origin)
    truncate_last(story)
    with story.store.write() as session:
        session.execute(
            delete(story.store.checkpoints).where(story.store.checkpoints.c.origin == story.origin)
        )
    with pytest.raises(VerificationError, match="removed"):
        verify_ledger(story.store, story.origin, trusted_checkpoint=held_by_auditor)


def test_an_event_store_row_for_this_ledger_that_no_leaf_points_to_is_found(story: Story) -> None:
    duplicate(story)
    copied = story.store.record(story.origin, story.size - 2)
    assert copied is not None
    with pytest.raises(VerificationError, match="event store holds") as failure:
        verify_ledger(story.store, story.origin)
    head = max(r.seq for r in story.store.log(story.origin) if r.stream == copied.stream)
    assert failure.value.details == {"stream": copied.stream, "seq": head + 1}


def test_the_untouched_story_verifies(story: Story) -> None:
    report = verify_ledger(story.store, story.origin)
    assert report.tree_size == story.size
    rows = story.store.checkpoints_list(story.origin)
    assert rows and rows[-1][0] == story.size
    with story.store.read() as session:
        assert (
            session.execute(
                select(story.store.ledgers.c.tree_size).where(
                    story.store.ledgers.c.origin == story.origin
                )
            ).scalar()
            == story.size
        )


def _verify_on_workers(s: Story, pool: str = "processes") -> VerificationReport:
    """Full verification with the entries parsed, the commitments opened and the signatures
    checked by two workers: processes (as ``medledger verify`` runs), or threads of this
    process, which is where mutation testing can see the workers' code run."""
    if pool == "processes":
        return verify_ledger(s.store, s.origin, workers=2, parallel_from=0, chunk=3)
    with ThreadPoolExecutor(2) as threads:
        return verify_ledger(
            s.store, s.origin, workers=2, parallel_from=0, chunk=3, executor=threads
        )


@pytest.mark.parametrize("pool", ["processes", "threads"])
@pytest.mark.parametrize("damage", DAMAGES, ids=[d.__name__.replace("_", " ") for d in DAMAGES])
def test_verification_on_workers_fails_exactly_as_in_one(
    story: Story, damage: Callable[[Story], int], pool: str
) -> None:
    damage(story)
    with pytest.raises(VerificationError) as alone:
        verify_ledger(story.store, story.origin, workers=1)
    with pytest.raises(VerificationError) as spread:
        _verify_on_workers(story, pool)
    assert (spread.value.message, spread.value.details) == (
        alone.value.message,
        alone.value.details,
    )


@pytest.mark.parametrize("pool", ["processes", "threads"])
def test_the_untouched_story_verifies_on_workers(story: Story, pool: str) -> None:
    alone = verify_ledger(story.store, story.origin, workers=1)
    spread = _verify_on_workers(story, pool)
    assert (alone.processes, spread.processes) == (1, 2)
    assert (spread.tree_size, spread.root, spread.redacted, spread.imported) == (
        alone.tree_size,
        alone.root,
        alone.redacted,
        alone.imported,
    )
