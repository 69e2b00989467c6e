"""Commands that write and read events and verify the whole ledger."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.context import CliContext, LedgerOpt
from cli.errors import handle_errors
from cli.progress import progress_bar
from ledger.errors import (
    MalformedBundleError,
    MalformedJSONError,
    MalformedTrustRootError,
    VerificationError,
)
from ledger.protocol.canonical import parse_canonical, parse_json
from ledger.protocol.envelope import Envelope
from ledger.protocol.note import NoteVerifier
from ledger.service.application import LogRecord
from verifier.bundle import BundleVerificationError, verify_bundle_file

console = Console()


def register(app: typer.Typer) -> None:
    app.command()(append)
    app.command()(show)
    app.command()(verify)
    app.command()(trust)


def read_payload(payload: str) -> dict[str, object]:
    """A payload given as JSON text, ``@file`` or ``-`` (stdin); raises MalformedJSONError."""
    text = (
        sys.stdin.read()
        if payload == "-"
        else Path(payload[1:]).read_text()
        if payload.startswith("@")
        else payload
    )
    value = parse_json(text)
    if not isinstance(value, dict):
        raise MalformedJSONError("the payload must be a JSON object")
    return value


@handle_errors
def append(
    ctx: typer.Context,
    stream: Annotated[str, typer.Argument(help="registry or matter/<id>")],
    event_type: Annotated[str, typer.Argument(help="Event type, e.g. PositionStated")],
    signer: Annotated[Path, typer.Option("--as", help="Key file of the person who signs.")],
    payload: Annotated[str, typer.Option(help="Payload JSON, @file, or - for stdin.")],
    ledger: LedgerOpt = None,
) -> None:
    """Sign an event with a key file and append it (retrying on a conflict)."""
    cli: CliContext = ctx.obj
    receipt = cli.client(signer, ledger).append(
        stream, read_payload(payload), event_type=event_type
    )
    console.print_json(json.dumps(receipt))


@handle_errors
def show(
    ctx: typer.Context,
    stream: Annotated[str, typer.Argument(help="registry or matter/<id>")],
    ledger: LedgerOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Show the events of one stream with their leaf indexes."""
    cli: CliContext = ctx.obj
    records = cli.service().records(cli.ledger_id(ledger), stream)
    if as_json:
        for record in records:
            print(json.dumps(_record_json(record), ensure_ascii=False))
        return
    table = Table(title=f"{stream}")
    for column in ("#", "leaf", "claimed time", "type", "actor", "payload"):
        table.add_column(column)
    for record in records:
        assert record.entry is not None
        body = Envelope.from_entry(record.entry).body
        shown = "[redacted]" if record.payload is None else record.payload.decode()[:80]
        table.add_row(
            str(body.seq), str(record.leaf_index), body.time, body.type, body.actor, shown
        )
    console.print(table)


def _record_json(record: LogRecord) -> dict[str, object]:
    """One stored event as ``show --json`` prints it: where it is, its envelope, its payload."""
    assert record.entry is not None
    entry = parse_canonical(record.entry)
    payload = None if record.payload is None else parse_canonical(record.payload)
    return {
        "leaf_index": record.leaf_index,
        "recorded_at": record.recorded_at,
        **entry,
        "payload": payload,
    }


@handle_errors
def verify(
    ctx: typer.Context,
    ledger: LedgerOpt = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="A signed checkpoint held from earlier.")
    ] = None,
    log_key: Annotated[
        str | None, typer.Option(help="The log's verifier key, obtained independently.")
    ] = None,
    bundle: Annotated[
        Path | None, typer.Option(help="Verify this evidence bundle offline instead.")
    ] = None,
    trust: Annotated[
        Path | None,
        typer.Option(help="The ledger's trust root (`medledger trust`), pinned for --bundle."),
    ] = None,
) -> None:
    """Re-check every signature, chain link, rule, stream head and the Merkle tree from scratch.

    With --bundle FILE --trust ROOT, verify an evidence bundle with nothing
    but the bundle and the pinned trust root (no database is opened).
    """
    if bundle is not None:
        _verify_bundle(bundle, trust)
        return
    cli: CliContext = ctx.obj
    chosen = cli.ledger_id(ledger)
    verifier = NoteVerifier.from_verifier_key(log_key) if log_key else None
    trusted = checkpoint.read_text() if checkpoint else None
    with progress_bar("verifying") as progress:
        task = progress.add_task("verify", total=None)

        def advance(done: int, total: int) -> None:
            if done % 500 == 0 or done == total:
                progress.update(task, completed=done, total=total)

        report = cli.service().verify(
            chosen,
            log_verifier=verifier,
            trusted_checkpoint=trusted,
            progress=advance,
        )
    console.print(
        f"[bold green]verified[/] {report.origin}: {report.tree_size} events in {report.streams} streams, "
        f"root {report.root.hex()}, {report.checkpoints} checkpoints"
        + (f", {report.redacted} redacted payloads" if report.redacted else "")
        + (f", {report.imported} imported events" if report.imported else "")
    )
    for warning in report.warnings:
        console.print(f"[yellow]warning[/]: {warning}")


@handle_errors
def trust(
    ctx: typer.Context,
    ledger: LedgerOpt = None,
    witness: Annotated[
        list[str] | None,
        typer.Option(
            help="A witness's cosignature verifier key the verifiers require (repeatable)."
        ),
    ] = None,
    quorum: Annotated[int, typer.Option(help="How many of the witnesses must cosign.")] = 0,
    out: Annotated[Path | None, typer.Option(help="Write the trust root here.")] = None,
) -> None:
    """Print the ledger's trust root: origin, log key, genesis hash, witnesses and quorum.

    Publish it where verifiers find it independently of any bundle; they pin it with
    `medledger verify --bundle B --trust T`.
    """
    cli: CliContext = ctx.obj
    root = cli.service().trust_root(cli.ledger_id(ledger), witness or [], quorum)
    text = json.dumps(root.to_json(), indent=2, sort_keys=True) + "\n"
    if out is not None:
        out.write_text(text)
    sys.stdout.write(text)


def _verify_bundle(path: Path, trust: Path | None) -> None:
    if trust is None:
        raise MalformedTrustRootError("--bundle needs --trust, the ledger's pinned trust root")
    try:
        report = verify_bundle_file(str(path), str(trust))
    except BundleVerificationError as exc:
        kind = MalformedBundleError if exc.code.startswith("malformed") else VerificationError
        raise kind(exc.message, reason=exc.code, leaf_index=exc.leaf_index) from exc
    console.print(
        f"[bold green]verified[/] bundle of {report.origin} ({report.kind}): {len(report.entries)} events "
        f"included in the signed tree of size {report.tree_size}, "
        f"{report.cosignatures} witness cosignatures"
        + (f"; complete streams: {', '.join(report.complete)}" if report.complete else "")
        + (f"; fields not disclosed at leaves {report.undisclosed}" if report.undisclosed else "")
    )
    if report.subject:
        console.print(
            f"receipt of {report.subject['person']} for {report.subject['matter']}: "
            f"[bold]{report.subject['verdict']}[/] (derived from the events)",
            highlight=False,
        )
    for entry in report.entries:
        console.print(
            f"  leaf {entry.leaf_index}: {entry.stream} #{entry.seq} {entry.type} by {entry.actor} at {entry.time}",
            highlight=False,
        )
