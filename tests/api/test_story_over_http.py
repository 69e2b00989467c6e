"""The whole user story over HTTP, against a real server, from nothing.

The operator prepares Ballerup's ledger on the server's host; the founding
admin creates it from their own machine with the CLI; people are enrolled,
HovedMED is established, the director opens a matter, consults, the union
representative states a position, the director decides.  Then everyone
reads: the checkpoint, proofs, and an evidence bundle that verifies
offline with nothing but the log key.  On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cli.key_files import load_person_key
from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient
from ledger.domain import events as ev
from ledger.protocol import merkle
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import verify_checkpoint
from ledger.protocol.keys import PersonKey
from ledger.protocol.note import NoteVerifier
from ledger.service.application import system_clock
from tests.stories.cli import python_cli
from tests.stories.evidence import trust_from
from tests.stories.http import decision
from tests.stories.live_server import ROOT, LiveServer, live_server
from verifier.bundle import TrustRoot, verify_bundle

ORIGIN = "ledger.example/ballerup-http"
LEDGER = "ballerup-http"


@pytest.fixture
def live_schema(backend: str, request: pytest.FixtureRequest) -> str | None:
    return str(request.getfixturevalue("pg_schema")) if backend == "postgres" else None


def medledger(
    server: LiveServer, command_line: str, *args: str, home: Path, operator: bool = False
) -> str:
    """Run the CLI with a command line as typed in a shell (plus ``args``): as the
    operator with the server's settings, or as a person on their own machine,
    with nothing of the server's but its URL."""
    if operator:
        env = dict(server.env)
    else:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLEDGER_")}
    env["MEDLEDGER_LEDGER"] = LEDGER
    done = python_cli(env, *shlex.split(command_line), *args, cwd=home, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_user_story_works_over_http(
    backend: str, live_schema: str | None, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    # No secret is configured: the server makes its own, and prepare-ledger reads it.
    with live_server(backend, tmp_path, live_schema, worker=True, secret=None) as server:
        # The founding admin makes a key pair on their own machine and hands the
        # operator its public key; the private key never leaves that machine.
        made = json.loads(medledger(server, "keygen admin --out keys/admin.key", home=home))
        # The operator, on the server's host (same settings as the server).
        prepared = json.loads(
            medledger(
                server,
                f"prepare-ledger {ORIGIN} --admin-key {made['public_key']}",
                home=ROOT,
                operator=True,
            )
        )
        assert prepared["ledger_id"] == LEDGER
        assert prepared["founding_admin_key_id"] == made["key_id"]
        assert (tmp_path / "log-keys" / "api.secret").stat().st_mode & 0o777 == 0o600
        admin_key = found_from_the_admins_machine(server, home, prepared["creation_ticket"])
        people = enrol_the_others(server.url, load_person_key(admin_key))
        position = run_the_matter(server, home, people["tr"])

        log_key = prepared["log_verifier_key"]
        # The organisation publishes its trust root; the auditor pins it.
        published = json.loads(
            medledger(server, f"trust --ledger {LEDGER}", home=ROOT, operator=True)
        )
        trust = trust_from(published)
        assert trust.log_key == log_key
        reader = HttpTransport(server.url, key=people["tr"])
        assert reader.get(LEDGER, "/trust") == published
        the_log_proves_the_matter(reader, log_key, trust, position)
        the_read_models_show_the_matter(reader, trust)
        reader.close()
        the_admin_corrects_a_name_and_erases_it(server, home, admin_key)
    assert not (home / "medledger-data").exists(), "a person's CLI touched a local database"


def found_from_the_admins_machine(server: LiveServer, home: Path, ticket: str) -> Path:
    """The founding admin, with nothing but the server's address, the ticket and their own
    key, creates the ledger, enrols the director and sets up HovedMED with the CLI;
    returns the admin's key file."""
    on_server = f"--server {server.url}"
    admin_key = home / "keys" / "admin.key"
    medledger(
        server,
        f"{on_server} init --origin {ORIGIN} --name 'Ballerup Kommune' --key-file keys/admin.key",
        "--ticket",
        ticket,
        home=home,
    )
    medledger(server, "keygen direktor --out direktor.key", home=home)
    as_admin = f"--as {shlex.quote(str(admin_key))}"
    medledger(
        server,
        f"{on_server} enroll direktor {as_admin} --key-file direktor.key --name 'Dorte Direktør'",
        home=home,
    )
    medledger(
        server, f"{on_server} body add hmed {as_admin} --name HovedMED --kind hovedmed", home=home
    )
    medledger(
        server,
        f"{on_server} member add hmed direktor {as_admin} --side management --role chair",
        home=home,
    )
    return admin_key


def the_admin_corrects_a_name_and_erases_it(
    server: LiveServer, home: Path, admin_key: Path
) -> None:
    """The admin corrects the director's name and address with the CLI over the server,
    then erases both when the director asks to be forgotten."""
    as_admin = f"--server {server.url} directory {{}} direktor --as {shlex.quote(str(admin_key))}"
    admin = HttpTransport(server.url, key=load_person_key(admin_key))

    def name() -> object:
        entries = admin.get(LEDGER, "/directory")["entries"]
        return next(e["name"] for e in entries if e["person"] == "direktor")

    medledger(
        server,
        as_admin.format("set") + " --name 'Dorte D. Direktør' --email dorte@ballerup.example",
        home=home,
    )
    assert name() == "Dorte D. Direktør"
    erased = json.loads(medledger(server, as_admin.format("erase"), home=home))
    assert erased == {"person": "direktor", "name": None}
    assert name() is None
    admin.close()


def enrol_the_others(url: str, admin: PersonKey) -> dict[str, PersonKey]:
    """The admin enrols the union representative and the auditor through the SDK and
    appoints the representative to HovedMED; returns their keys."""
    registry = client(url, admin)
    people = {p: PersonKey.generate(p) for p in ("tr", "revisor")}
    for person, key in people.items():
        registry.append(
            "registry",
            ev.PersonEnrolled(
                person=person,
                key_id=key.key_id,
                public_key=key.public_key_b64,
                roles=["auditor"] if person == "revisor" else [],
            ),
        )
    registry.append(
        "registry",
        ev.MemberAppointed(body="hmed", person="tr", side="employees", roles=["vice_chair", "tr"]),
    )
    return people


def run_the_matter(server: LiveServer, home: Path, tr_key: PersonKey) -> dict[str, Any]:
    """The director opens the matter with the CLI and consults, the representative states
    a position, the director decides adopting it; returns the position's receipt."""
    today = datetime.now(UTC).date()
    opened = {
        "title": "Besparelse på 4 mio. kr. i økonomiforvaltningen",
        "description": "Forslag til besparelser; medarbejdersiden inddrages tidligt.",
        "category": "budget",
        "responsible_body": "hmed",
        "influence_level": "discussion",
        "decision_maker": "direktor",
        "planned_decision_date": (today + timedelta(days=60)).isoformat(),
    }
    receipt = json.loads(
        medledger(
            server,
            f"--server {server.url} append matter/okonomi MatterOpened --as direktor.key --payload",
            json.dumps(opened),
            home=home,
        )
    )
    assert receipt["seq"] == 1

    direktor = client(server.url, load_person_key(home / "direktor.key"))
    direktor.append(
        "matter/okonomi",
        ev.ConsultationOpened(
            body="hmed", question="Hvor kan vi spare?", respond_by=str(today + timedelta(days=14))
        ),
    )
    position: dict[str, Any] = client(server.url, tr_key).append(
        "matter/okonomi",
        ev.PositionStated(
            body="hmed", side="employees", stance="support_with_changes", text="Opgavefællesskaber."
        ),
    )
    direktor.append(
        "matter/okonomi",
        decision(
            "Besparelsen findes ved opgavefællesskaber.",
            "Medarbejdersidens forslag holder fagligheden.",
            position["seq"],
            "adopted",
            "Fulgt.",
        ),
    )
    return position


def the_log_proves_the_matter(
    reader: HttpTransport, log_key: str, trust: TrustRoot, position: dict[str, Any]
) -> None:
    """The matter's events, a signed checkpoint, an inclusion proof of the position
    checked against it, and an evidence bundle that verifies with the log key alone."""
    events = reader.get(LEDGER, "/streams/matter/okonomi/events")["events"]
    assert [e["body"]["type"] for e in events] == [
        "MatterOpened",
        "ConsultationOpened",
        "PositionStated",
        "DecisionMade",
    ]
    last = max(e["leaf_index"] for e in events)
    checkpoint = covering(reader, log_key, last)
    proof = reader.get(
        LEDGER,
        "/proofs/inclusion",
        {"leaf_index": position["leaf_index"], "tree_size": checkpoint.size},
    )
    hashes = [base64.b64decode(h) for h in proof["hashes"]]
    entry_leaf = _leaf(events[2])
    merkle.verify_inclusion(
        entry_leaf, position["leaf_index"], checkpoint.size, hashes, checkpoint.root
    )

    bundle: dict[str, Any] = reader.get(LEDGER, "/matters/okonomi/bundle")
    report = verify_bundle(json.loads(json.dumps(bundle)), trust)
    assert {e.type for e in report.entries} >= {
        "MatterOpened",
        "PositionStated",
        "DecisionMade",
    }


def the_read_models_show_the_matter(reader: HttpTransport, trust: TrustRoot) -> None:
    """Timeline, dossier, findings, the representative's involvement and receipt."""
    timeline = caught_up(reader, "/matters/okonomi/timeline")
    assert [e["event_type"] for e in timeline["entries"]][-1] == "DecisionMade"
    dossier = reader.get(LEDGER, "/matters/okonomi/dossier")
    assert {r["person"]: r["part"] for r in dossier["co_responsibility"]}["direktor"] == "decided"
    assert "findings" in reader.get(LEDGER, "/findings", {"matter": "okonomi"})
    involvement = reader.get(LEDGER, "/people/tr/involvement")
    assert [m["matter"] for m in involvement["matters"]] == ["okonomi"]
    receipt = reader.get(LEDGER, "/people/tr/receipts/okonomi/bundle")
    receipt_report = verify_bundle(json.loads(json.dumps(receipt)), trust)
    assert receipt_report.entries
    page = reader.get_text(LEDGER, "/people/tr/receipts/okonomi/page")
    assert "okonomi" in page


def covering(reader: HttpTransport, log_key: str, leaf_index: int) -> Checkpoint:
    """The newest checkpoint once it covers ``leaf_index``.

    Reads never sign; the server signs the tail of a burst of writes by its
    timer within about a second (the default interval), which this waits for.
    """
    deadline = time.monotonic() + 10
    while True:
        note = reader.get_text(LEDGER, "/checkpoint")
        checkpoint = verify_checkpoint(note, NoteVerifier.from_verifier_key(log_key))
        if checkpoint.size > leaf_index:
            return checkpoint
        assert time.monotonic() < deadline, "the server signed no checkpoint of the tail"
        time.sleep(0.1)


def caught_up(reader: HttpTransport, path: str) -> dict[str, Any]:
    """Read ``path`` once the read models have applied the whole log (bounded wait)."""
    deadline = time.monotonic() + 20
    while True:
        found: dict[str, Any] = reader.get(LEDGER, path)
        if found["behind"] == 0 or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def client(url: str, key: PersonKey) -> LedgerClient:
    return LedgerClient(HttpTransport(url, key=key), key, ORIGIN, clock=system_clock, ledger=LEDGER)


def _leaf(event: dict[str, Any]) -> bytes:
    from ledger.protocol.canonical import canonical

    entry = canonical({"body": event["body"], "signature": event["signature"]})
    return merkle.leaf_hash(entry)
