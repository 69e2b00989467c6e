"""Full verification: the demo ledgers verify, and one flipped byte is found and named.

DESIGN.md section 10: "flipping one byte of any stored envelope in the
SQLite file makes ``verify`` fail and name the event".  The flips go into the
file with ``sqlite3`` directly, below every layer of the ledger, the way an
insider with database access would do it.  (The full tamper matrix lives in
tests/log.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from demo.organisation import Organisation
from demo.stories import Demo
from ledger.domain import events as ev
from ledger.errors import VerificationError
from ledger.service.verification import verify_ledger
from ledger.storage.store import LogRecord, Store
from tests.stories.cli import medledger
from tests.stories.matter import Matter


def test_the_demo_ledgers_verify(demo: Demo) -> None:
    for org in (demo.buf, demo.ballerup):
        report = verify_ledger(org.service.store, org.origin)

        assert report.origin == org.origin
        assert report.tree_size == org.service.tree_size(org.origin) > 40
        assert report.streams == len(org.service.state(org.origin).heads)
        assert report.checkpoints >= 1
        assert report.root == org.service.root(org.origin)
        assert report.warnings == []


def sqlite_path(store: Store) -> Path:
    assert store.url.startswith("sqlite:///")
    return Path(store.url.removeprefix("sqlite:///"))


@contextmanager
def flipped(
    database: Path, events_table: str, record: LogRecord, offset: int, mask: int
) -> Iterator[bytes]:
    """Flip one byte of a stored entry in the SQLite file, and put it back afterwards."""
    with sqlite3.connect(database) as connection:
        (original,) = connection.execute(
            f"SELECT state FROM {events_table} WHERE id = ?", (record.notification_id,)
        ).fetchone()
        damaged = bytearray(original)
        damaged[offset] ^= mask
        connection.execute(
            f"UPDATE {events_table} SET state = ? WHERE id = ?",
            (bytes(damaged), record.notification_id),
        )
    try:
        yield bytes(damaged)
    finally:
        with sqlite3.connect(database) as connection:
            connection.execute(
                f"UPDATE {events_table} SET state = ? WHERE id = ?",
                (original, record.notification_id),
            )


def offsets_worth_flipping(entry: bytes) -> dict[str, int]:
    """Byte offsets across the entry: its frame, each part of the body, the signature."""

    def inside(marker: bytes, skip: int = 1) -> int:
        return entry.index(marker) + len(marker) + skip

    signature = inside(b'"signature":"', 0)
    return {
        "first byte": 0,
        "actor": inside(b'"actor":"'),
        "key id": inside(b'"key":"', 5),
        "origin": inside(b'"origin":"', 3),
        "field commitment": inside(b'"fields":{"', 30),
        "previous hash": inside(b'"prev":"', 63),
        "sequence number": inside(b'"seq":', 0),
        "stream": inside(b'"stream":"', 2),
        "claimed time": inside(b'"time":"', 15),
        "event type": inside(b'"type":"', 4),
        "signature start": signature,
        "signature middle": signature + 43,
        "signature end": signature + 85,
        "last byte": len(entry) - 1,
    }


@pytest.mark.parametrize("backend", ["sqlite"])
def test_one_flipped_byte_in_any_stored_envelope_fails_verification_and_names_the_event(
    org: Organisation, matter: Matter, store: Store
) -> None:
    matter.act(
        "tr", ev.PositionStated(body="hmed", side="employees", stance="oppose", text="Imod.")
    )
    matter.act("direktor", ev.DecisionMade(outcome="Sammenlægning.", rationale="Elevtal."))
    database = sqlite_path(store)
    records = list(store.log(org.origin))
    first, middle, last = records[0], records[len(records) // 2], records[-1]

    for record in (first, middle, last):
        assert record.entry is not None
        for place, offset in offsets_worth_flipping(record.entry).items():
            for mask in (0x01, 0x80):
                with (
                    flipped(database, store.events.name, record, offset, mask),
                    pytest.raises(VerificationError) as caught,
                ):
                    verify_ledger(store, org.origin)
                where = f"flip {mask:#04x} at {place} (byte {offset}) of leaf {record.leaf_index}"
                assert caught.value.details["leaf_index"] == record.leaf_index, where
                assert caught.value.details["stream"] == record.stream, where
                assert caught.value.details["seq"] == record.seq, where
                assert (
                    f"leaf {record.leaf_index} ({record.stream} #{record.seq})"
                    in caught.value.message
                )

    verify_ledger(store, org.origin)


def test_medledger_verify_names_the_flipped_event_and_exits_1(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    built = medledger("demo --dir", str(data), data=data)
    assert built.returncode == 0, built.stderr

    store = Store(f"sqlite:///{data}/ledger.db")
    try:
        ballerup = store.ledger("ballerup")
        assert ballerup is not None
        origin = ballerup.origin
        records = list(store.log(origin))
        events_table = store.events.name
    finally:
        store.dispose()
    victim = records[len(records) // 2]
    assert victim.entry is not None
    offset = victim.entry.index(b'"signature":"') + 20

    with flipped(data / "ledger.db", events_table, victim, offset, 0x01):
        failed = medledger("verify --ledger ballerup", data=data)

    assert failed.returncode == 1
    assert "error[verification_failed]" in failed.stderr
    assert f"leaf {victim.leaf_index} ({victim.stream} #{victim.seq})" in failed.stderr
    assert f"leaf_index: {victim.leaf_index}" in failed.stderr
    assert "Traceback" not in failed.stderr
