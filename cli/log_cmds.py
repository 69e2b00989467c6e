"""Commands of the verifiable log: checkpoints, proofs, witnesses, bundles."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from cli.context import CliContext, LedgerOpt
from cli.errors import handle_errors
from ledger.protocol import merkle
from ledger.protocol.b64 import b64encode
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import verify_checkpoint
from ledger.protocol.note import CosignatureVerifier, NoteSigner, NoteVerifier, split_note
from ledger.service.application import LedgerService
from ledger.service.bundle import ledger_bundle, matter_bundle
from ledger.service.witness import Witness
from ledger.storage.secret_files import create_secret_file

console = Console()
prove_app = typer.Typer(
    help="Print RFC 9162 inclusion and consistency proofs as JSON.", no_args_is_help=True
)
witness_app = typer.Typer(
    help="Run a witness that cosigns checkpoints it saw grow.", no_args_is_help=True
)
export_app = typer.Typer(help="Export offline evidence bundles.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(checkpoint)
    app.command("verify-checkpoint")(verify_checkpoint_cmd)
    app.add_typer(prove_app, name="prove")
    app.add_typer(witness_app, name="witness")
    app.add_typer(export_app, name="export")


def _opened(ctx: typer.Context, ledger: str | None) -> tuple[LedgerService, str]:
    """The local ledger service, and the origin of the ledger chosen with ``--ledger``."""
    cli: CliContext = ctx.obj
    return cli.service(), cli.origin(ledger)


def _emit(value: dict[str, Any], out: Path | None = None) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text)
        console.print(f"wrote {out}", highlight=False)


@handle_errors
def checkpoint(
    ctx: typer.Context,
    ledger: LedgerOpt = None,
    key: Annotated[
        bool, typer.Option("--key", help="Print the log's verifier key instead.")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the note to this file.")] = None,
) -> None:
    """Sign a checkpoint of the whole tree now (unless the newest covers it) and print it.

    The operator's way to checkpoint at once; otherwise the writer signs one
    every N events or T seconds and the server's timer signs a quiet tail.
    """
    svc, origin = _opened(ctx, ledger)
    if key:
        sys.stdout.write(svc.log_keys.signer(origin).verifier_key() + "\n")
        return
    note = svc.issue_checkpoint(origin)
    if out is not None:
        out.write_text(note)
    sys.stdout.write(note)


@handle_errors
def verify_checkpoint_cmd(
    note_file: Annotated[Path, typer.Argument(help="A signed checkpoint note.")],
    log_key: Annotated[str, typer.Option(help="The log's verifier key.")],
    witness_key: Annotated[
        list[str] | None, typer.Option(help="A witness's cosignature verifier key (repeatable).")
    ] = None,
    quorum: Annotated[
        int, typer.Option(help="How many distinct witnesses must have cosigned.")
    ] = 0,
) -> None:
    """Verify a checkpoint's log signature and (optionally) k of n witness cosignatures."""
    witnesses = [CosignatureVerifier.from_verifier_key(k) for k in witness_key or []]
    found = verify_checkpoint(
        note_file.read_text(), NoteVerifier.from_verifier_key(log_key), witnesses, quorum
    )
    console.print(
        f"[bold green]valid[/] checkpoint of {found.origin}: size {found.size}, root {b64encode(found.root)}"
    )


@prove_app.command("inclusion")
@handle_errors
def prove_inclusion(
    ctx: typer.Context,
    index: Annotated[int, typer.Argument(help="Leaf index.")],
    size: Annotated[int | None, typer.Option(help="Tree size (default: current).")] = None,
    ledger: LedgerOpt = None,
) -> None:
    """Inclusion proof of one leaf in the tree of a given size (RFC 9162 2.1.3)."""
    svc, origin = _opened(ctx, ledger)
    size = svc.tree_size(origin) if size is None else size
    proof = svc.inclusion_proof(origin, index, size)
    record = svc.record(origin, index)
    assert record is not None and record.entry is not None
    _emit(
        {
            "origin": origin,
            "leaf_index": index,
            "tree_size": size,
            "leaf_hash": b64encode(merkle.leaf_hash(record.entry)),
            "root": b64encode(svc.root(origin, size)),
            "proof": [b64encode(p) for p in proof],
        }
    )


@prove_app.command("consistency")
@handle_errors
def prove_consistency(
    ctx: typer.Context,
    old: Annotated[int, typer.Argument(help="Old tree size.")],
    new: Annotated[int, typer.Argument(help="New tree size.")],
    ledger: LedgerOpt = None,
) -> None:
    """Consistency proof between two tree sizes (RFC 9162 2.1.4)."""
    svc, origin = _opened(ctx, ledger)
    proof = svc.consistency_proof(origin, old, new)
    _emit(
        {
            "origin": origin,
            "old_size": old,
            "new_size": new,
            "old_root": b64encode(svc.root(origin, old)),
            "new_root": b64encode(svc.root(origin, new)),
            "proof": [b64encode(p) for p in proof],
        }
    )


WitnessDir = Annotated[
    Path, typer.Option("--dir", help="The witness's own directory (key and state).")
]


@witness_app.command("init")
@handle_errors
def witness_init(
    directory: WitnessDir,
    name: Annotated[str, typer.Option(help="Witness name, e.g. witness.example/auditor.")],
) -> None:
    """Create a witness key (0600) and print its cosignature verifier key."""
    signer = NoteSigner.generate(name)
    create_secret_file(directory / "witness.key", signer.to_signer_key() + "\n")
    (directory / "logs.json").write_text("{}\n")
    sys.stdout.write(signer.cosignature_verifier_key() + "\n")


@witness_app.command("trust")
@handle_errors
def witness_trust(
    directory: WitnessDir, log_key: Annotated[str, typer.Option(help="The log's verifier key.")]
) -> None:
    """Let the witness follow a log, identified by its verifier key."""
    verifier = NoteVerifier.from_verifier_key(log_key)
    logs = _witness_logs(directory)
    logs[verifier.name] = log_key
    (directory / "logs.json").write_text(json.dumps(logs, indent=2) + "\n")
    console.print(f"witness follows {verifier.name}")


@witness_app.command("cosign")
@handle_errors
def witness_cosign(
    ctx: typer.Context,
    directory: WitnessDir,
    ledger: LedgerOpt = None,
    out: Annotated[Path | None, typer.Option(help="Write the cosigned note here.")] = None,
) -> None:
    """Cosign the ledger's latest checkpoint if it is consistent with the last one seen."""
    witness = _witness(directory)
    svc, origin = _opened(ctx, ledger)
    note = svc.latest_checkpoint(origin)
    kept = witness.latest(origin)
    size = Checkpoint.parse(split_note(note)[0]).size
    proof = (
        []
        if kept is None or kept.size in (0, size)
        else svc.consistency_proof(origin, kept.size, size)
    )
    cosigned = svc.add_cosignatures(origin, witness.cosign(note, proof))
    if out is not None:
        out.write_text(cosigned)
    sys.stdout.write(cosigned)


def _witness_logs(directory: Path) -> dict[str, str]:
    path = directory / "logs.json"
    return dict(json.loads(path.read_text())) if path.exists() else {}


def _witness(directory: Path) -> Witness:
    signer = NoteSigner.from_signer_key((directory / "witness.key").read_text().strip())
    known = {
        name: NoteVerifier.from_verifier_key(key) for name, key in _witness_logs(directory).items()
    }
    return Witness(directory, signer, known)


@export_app.command("bundle")
@handle_errors
def export_bundle(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Bundle file to write.")],
    matter: Annotated[str | None, typer.Option(help="Only this matter's events.")] = None,
    ledger: LedgerOpt = None,
) -> None:
    """Write an evidence bundle: the whole ledger, or one matter."""
    cli: CliContext = ctx.obj
    svc = cli.service()
    chosen = cli.ledger_id(ledger)
    bundle = matter_bundle(svc, chosen, matter) if matter else ledger_bundle(svc, chosen)
    _emit(bundle, out)
