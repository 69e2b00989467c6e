"""``medledger demo``: build the seed articles' stories in a fresh SQLite ledger."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.errors import handle_errors
from cli.key_files import save_key
from demo.organisation import ManualClock, Organisation
from demo.stories import build_demo
from ledger.service.application import LedgerService
from ledger.service.settings import Settings
from ledger.storage.secret_files import create_secret_file
from projections.read_models.findings import findings
from projections.read_models.source import DatabaseSource
from projections.read_models.statistics import statistics
from projections.runner.projector import Projector
from projections.vocabulary import SEVERITIES, word

console = Console()


def register(app: typer.Typer) -> None:
    app.command()(demo)


@handle_errors
def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to build the demo (replaced).")
    ] = Path("demo-ledger"),
) -> None:
    """Build two demo ledgers (Copenhagen BUF and Ballerup), verify them, summarise."""
    started = time.perf_counter()
    if directory.exists():
        shutil.rmtree(directory)
    settings = Settings(
        database_url=f"sqlite:///{directory}/ledger.db", log_keys=directory / "log-keys"
    )
    clock = ManualClock()
    opened = settings.open_ledger(clock=clock)
    service, projector = opened.service, Projector(opened.store)
    service.subscribe(projector.after_commit)  # SQLite: the read models follow each commit
    built = build_demo(service, clock)
    table = Table(title="medledger demo")
    for column in ("ledger", "events", "matters", "checkpoint root", "verified"):
        table.add_column(column)
    for org in (built.buf, built.ballerup):
        service.issue_checkpoint(org.origin)
        report = service.verify(org.origin)
        matters = len(service.state(org.origin).matters)
        table.add_row(
            org.origin, str(report.tree_size), str(matters), report.root.hex()[:16] + "…", "yes"
        )
    console.print(table)
    write_demo_keys(directory / "demo-keys", service, (built.buf, built.ballerup))
    for org in (built.buf, built.ballerup):
        found = findings(DatabaseSource(projector.schema), org.origin, lang="en")
        shown = Table(title=f"findings: {org.origin} (as of {found.reference_time[:10]})")
        for column in ("rule", "matter", "finding"):
            shown.add_column(column, overflow="fold")
        for f in found.findings:
            shown.add_row(
                f"{f.rule}\n{word(SEVERITIES, f.severity, 'en')}",
                f.matter,
                f"[bold]{f.title}[/]: {f.explanation}",
            )
        console.print(shown)
    _print_reach(built.buf.origin, built.ballerup.origin, service=service, projector=projector)
    console.print(
        f"built and verified in {time.perf_counter() - started:.2f}s; database {directory / 'ledger.db'}\n"
        f"try: MEDLEDGER_DATABASE_URL=sqlite:///{directory}/ledger.db "
        f"MEDLEDGER_LOG_KEYS={directory}/log-keys medledger show matter/okonomi-4mio --ledger ballerup\n"
        f"     medledger findings --ledger kk-buf; medledger dossier budget-forslag --ledger ballerup\n"
        f"     medledger forecast teknologi-dialog --ledger ballerup; "
        f"medledger stats buf-hmed --ledger kk-buf"
    )


def _print_reach(*origins: str, service: LedgerService, projector: Projector) -> None:
    """How many of each HovedMED's matters reached the MED bodies below it (BUF's open
    problem: "how do we get LokalMED further into the work")."""
    source = DatabaseSource(projector.schema)
    for origin in origins:
        bodies = service.state(origin).registry.bodies.values()
        for body in sorted(b.body_id for b in bodies if b.kind == "hovedmed"):
            for year in statistics(source, origin, body).years:
                console.print(
                    f"{origin} {body} {year.year}: {year.reached_local_matters} of "
                    f"{year.matters} matters reached the MED bodies below it",
                    highlight=False,
                )


def write_demo_keys(
    directory: Path, service: LedgerService, orgs: tuple[Organisation, ...]
) -> None:
    """The demo people's key files and who they are, for the web application's demo door.

    ``make run`` serves the demo with ``MEDLEDGER_DEMO_KEYS`` pointing here, so the
    start page can offer each person and hand their key to the browser.  These keys
    sign only the demo's ledgers; no real ledger has such a folder.  ``directory`` is
    new (``demo`` replaces its whole folder first): each file is created 0600, never
    over anything already there and never through a link.
    """
    people: list[dict[str, object]] = []
    for org in orgs:
        ledger = org.origin.rsplit("/", 1)[-1]
        (directory / ledger).mkdir(parents=True, exist_ok=True)
        names = service.directory_names(org.origin)
        registry = service.state(org.origin).registry
        for person, key in org.keys.items():
            save_key(key, directory / ledger / f"{person}.key")
            seated = [
                (registry.bodies[body].name, sorted(seat.roles))
                for body, members in sorted(registry.members.items())
                if (seat := members.get(person)) is not None
            ]
            seats = [f"{body}: {', '.join(roles)}" for body, roles in seated]
            roles = sorted(registry.people[person].roles)
            people.append(
                {
                    "ledger": ledger,
                    "person": person,
                    "name": names.get(person, person),
                    "role": "; ".join(seats or roles or ["-"]),
                    "seats": [{"body": body, "roles": roles} for body, roles in seated],
                    "roles": roles,
                }
            )
    create_secret_file(directory / "people.json", json.dumps(people, ensure_ascii=False, indent=2))
