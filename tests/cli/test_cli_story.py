"""The ``medledger`` command as a MED secretariat would use it, start to finish.

The administrator creates the ledger, makes keys for the director and the
union rep, enrolls them, establishes HovedMED and seats them; the director
opens a matter, the union rep states a position, anyone can show and verify
it.  Key files are readable by their owner only.  Mistakes get the exit
code of cli/errors.py and a one-line reason, never a traceback, and change
nothing.
"""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from cli.key_files import save_key
from ledger.protocol.keys import PersonKey
from ledger.storage.store import Store
from tests.stories.cli import medledger

ORIGIN = "ledger.example/testby"


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def stored(data: Path) -> Iterator[Store]:
    """The secretariat's database in ``data``, opened for a look and closed again."""
    store = Store(f"sqlite:///{data}/ledger.db")
    try:
        yield store
    finally:
        store.dispose()


def tree_size(data: Path) -> int:
    with stored(data) as store:
        row = store.ledger("testby")
        assert row is not None
        return row.tree_size


def directory(data: Path) -> dict[str, str]:
    with stored(data) as store:
        return store.directory_names(ORIGIN)


@pytest.fixture(scope="module")
def testby(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The secretariat's folder after setting up Testby: ``data/`` and ``keys/``.

    The administrator creates the ledger, makes keys for the director and the
    union rep, enrolls them, establishes HovedMED and seats them in it.
    """
    folder = tmp_path_factory.mktemp("secretariat")
    data = folder / "data"

    ok(medledger(f"init --origin {ORIGIN} --name 'Testby Kommune' --keys-dir keys", data=data))
    for person in ("direktor", "tr"):
        made = json.loads(ok(medledger(f"keygen {person} --out keys/{person}.key", data=data)))
        assert made["person"] == person
        ok(
            medledger(
                f"enroll {person} --as keys/admin.key --key-file keys/{person}.key "
                f"--name {person.title()}",
                data=data,
            )
        )
    ok(medledger("body add hmed --as keys/admin.key --name HovedMED --kind hovedmed", data=data))
    ok(
        medledger(
            "member add hmed direktor --as keys/admin.key --side management --role chair",
            data=data,
        )
    )
    ok(
        medledger(
            "member add hmed tr --as keys/admin.key --side employees --role vice_chair --role tr",
            data=data,
        )
    )
    # Someone made a key of their own but was never enrolled.
    save_key(PersonKey.generate("fremmed"), folder / "keys" / "fremmed.key")
    return folder


def test_key_files_are_readable_by_their_owner_only(testby: Path) -> None:
    for person in ("admin", "direktor", "tr"):
        assert mode(testby / "keys" / f"{person}.key") == 0o600
    [log_key] = (testby / "data" / "log-keys").iterdir()
    assert mode(log_key) == 0o600


def test_the_director_opens_a_matter_and_the_union_rep_answers(testby: Path) -> None:
    data = testby / "data"
    opening = {
        "title": "Ny skolestruktur",
        "description": "To skoler lægges sammen.",
        "category": "reorganisation",
        "responsible_body": "hmed",
        "influence_level": "discussion",
        "decision_maker": "direktor",
        "planned_decision_date": (date.today() + timedelta(days=60)).isoformat(),
    }
    opened = json.loads(
        ok(
            medledger(
                "append matter/skoler MatterOpened --as keys/direktor.key --payload",
                json.dumps(opening),
                data=data,
            )
        )
    )
    assert (opened["stream"], opened["seq"], opened["leaf_index"]) == ("matter/skoler", 1, 6)

    (testby / "position.json").write_text(
        json.dumps({"body": "hmed", "side": "employees", "stance": "oppose", "text": "Vi er imod."})
    )
    stated = json.loads(
        ok(
            medledger(
                "append matter/skoler PositionStated --as keys/tr.key --payload @position.json",
                data=data,
            )
        )
    )
    assert (stated["seq"], stated["leaf_index"]) == (2, 7)

    shown = [
        json.loads(line)
        for line in ok(medledger("show matter/skoler --json", data=data)).splitlines()
    ]
    assert [(e["body"]["type"], e["body"]["actor"], e["leaf_index"]) for e in shown] == [
        ("MatterOpened", "direktor", 6),
        ("PositionStated", "tr", 7),
    ]
    assert shown[1]["payload"]["text"] == "Vi er imod."
    assert "PositionStated" in ok(medledger("show matter/skoler", data=data))

    verified = ok(medledger("verify", data=data))
    assert "verified" in verified
    assert ORIGIN in verified
    assert "8 events" in verified


def test_the_administrator_corrects_a_name_and_erases_it(testby: Path) -> None:
    data = testby / "data"
    corrected = medledger(
        "directory set tr --as keys/admin.key --name 'Tage Rasmussen' --email tage@testby.dk",
        data=data,
    )
    assert json.loads(ok(corrected)) == {"person": "tr", "name": "Tage Rasmussen"}
    assert directory(data)["tr"] == "Tage Rasmussen"
    erased = medledger("directory erase tr --as keys/admin.key", data=data)
    assert json.loads(ok(erased)) == {"person": "tr", "name": None}
    assert "tr" not in directory(data)


@pytest.mark.parametrize(
    ("command_line", "exit_code", "code"),
    [
        pytest.param(
            "append matter/x PositionStated --as keys/direktor.key --payload '{not json'",
            3,
            "malformed_json",
            id="payload that is not JSON",
        ),
        pytest.param(
            "append matter/x PositionStated --as keys/fremmed.key --payload '{}'",
            4,
            "unknown_key",
            id="key that was never enrolled",
        ),
        pytest.param(
            "body add trio --as keys/tr.key --name Trio --kind trio",
            5,
            "signer_not_admin",
            id="body established by someone not an admin",
        ),
        pytest.param(
            "body add hmed --as keys/admin.key --name Igen --kind hovedmed",
            7,
            "duplicate_body",
            id="body established twice",
        ),
        pytest.param(
            "directory erase direktor --as keys/tr.key",
            5,
            "signer_not_admin",
            id="directory entry erased by someone not an admin",
        ),
        pytest.param(
            "directory set nobody --as keys/admin.key --name Ingen",
            7,
            "unknown_person",
            id="directory entry of someone never enrolled",
        ),
        pytest.param(
            "show matter/skoler --ledger findes-ikke",
            8,
            "unknown_ledger",
            id="ledger that does not exist",
        ),
        pytest.param(
            "keygen tr --out keys/tr.key",
            3,
            "malformed_key",
            id="key file that would be overwritten",
        ),
    ],
)
def test_mistakes_get_their_exit_code_and_change_nothing(
    testby: Path, command_line: str, exit_code: int, code: str
) -> None:
    data = testby / "data"
    size = tree_size(data)
    key_before = (testby / "keys" / "tr.key").read_bytes()
    names_before = directory(data)

    result = medledger(command_line, data=data)

    assert result.returncode == exit_code, (result.stdout, result.stderr)
    assert f"error[{code}]" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_size(data) == size
    assert (testby / "keys" / "tr.key").read_bytes() == key_before
    assert directory(data) == names_before
