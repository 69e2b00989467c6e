"""Commands that create a ledger and keep its registry: people, keys, bodies, members."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.context import CliContext, LedgerOpt
from cli.errors import handle_errors
from cli.key_files import load_person_key, save_key
from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient, LocalTransport
from ledger.domain import events as ev
from ledger.errors import LedgerExistsError, MalformedKeyError
from ledger.protocol.envelope import ledger_id_of
from ledger.protocol.keys import PersonKey, key_id_for, load_public_key, public_key_bytes
from ledger.service.application import system_clock

console = Console()
KeyFile = Annotated[Path, typer.Option("--as", help="Key file of the person who signs.")]
PersonArg = Annotated[str, typer.Argument()]
BodyArg = Annotated[str, typer.Argument()]
DirectoryName = Annotated[str | None, typer.Option(help="Name for the directory (not signed).")]
DirectoryEmail = Annotated[str | None, typer.Option(help="E-mail for the directory (not signed).")]

body_app = typer.Typer(help="Establish and dissolve MED bodies.", no_args_is_help=True)
member_app = typer.Typer(
    help="Appoint members to bodies and record that they left.", no_args_is_help=True
)
key_app = typer.Typer(help="Add and revoke a person's keys.", no_args_is_help=True)
directory_app = typer.Typer(
    help="Correct or erase a person's name and e-mail, kept outside the signed log.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(keygen)
    app.command()(enroll)
    app.add_typer(body_app, name="body")
    app.add_typer(member_app, name="member")
    app.add_typer(key_app, name="key")
    app.add_typer(directory_app, name="directory")


def _print(receipt: dict[str, object]) -> None:
    console.print_json(json.dumps(receipt))


@handle_errors
def init(
    ctx: typer.Context,
    origin: Annotated[str, typer.Option(help="Ledger origin, e.g. ledger.example/ballerup.")],
    name: Annotated[str, typer.Option(help="The organisation's name.")],
    admin: Annotated[
        str | None,
        typer.Option(help="Person id of the founding admin (default: the key file's, or admin)."),
    ] = None,
    admin_name: Annotated[
        str, typer.Option(help="The admin's name (directory only).")
    ] = "Administrator",
    keys_dir: Annotated[Path, typer.Option(help="Where to write the admin's key file.")] = Path(
        "medledger-data/keys"
    ),
    key_file: Annotated[
        Path | None,
        typer.Option(
            help="Found the ledger with this key file (from `medledger keygen`) instead of "
            "making one. Needed with --server: the creation ticket names this key."
        ),
    ] = None,
    import_mode: Annotated[
        bool, typer.Option(help="Open in import mode (past claimed times).")
    ] = False,
    ticket: Annotated[
        str | None,
        typer.Option(help="With --server: the creation ticket from `medledger prepare-ledger`."),
    ] = None,
) -> None:
    """Create a ledger: its log key, the founding admin's key and LedgerCreated.

    Key files are written with mode 0600; the log key goes to the directory
    named by MEDLEDGER_LOG_KEYS, never into the database.  With --server,
    the operator has made the log key and a creation ticket for the admin's
    public key (prepare-ledger --admin-key), and the admin founds the ledger
    here, with --key-file and --ticket, from their own machine.
    """
    cli: CliContext = ctx.obj
    url = cli.server
    if url and key_file is None:
        raise MalformedKeyError(
            "with --server, give --key-file: the founding admin's key (medledger keygen) "
            "whose public key the operator's creation ticket names (prepare-ledger --admin-key)"
        )
    founder, admin_key_path = _founding_key(admin, keys_dir, key_file)
    if url:
        _init_on_server(url, origin, name, founder, admin_name, admin_key_path, import_mode, ticket)
        return
    _init_locally(cli, origin, name, founder, admin_name, admin_key_path, key_file, import_mode)


def _init_locally(
    cli: CliContext,
    origin: str,
    name: str,
    founder: PersonKey,
    admin_name: str,
    admin_key_path: Path,
    key_file: Path | None,
    import_mode: bool,
) -> None:
    """Found the ledger in this machine's database: its log key, the admin's key file, LedgerCreated."""
    svc = cli.service()
    log_key = svc.log_keys.create(origin)
    if key_file is None:
        save_key(founder, admin_key_path)
    receipt = LedgerClient(LocalTransport(svc), founder, origin, clock=system_clock).create_ledger(
        name=name, log_verifier_key=log_key.verifier_key(), import_mode=import_mode
    )
    svc.set_directory(origin, founder.person, admin_name, None)
    _report_created(
        f"created ledger [bold]{origin}[/] in {cli.settings.database_url}",
        admin_key_path,
        f"log key:   {svc.log_keys.path(ledger_id_of(origin))}",
        log_key.verifier_key(),
        receipt,
    )


def _founding_key(
    admin: str | None, keys_dir: Path, key_file: Path | None
) -> tuple[PersonKey, Path]:
    """The founding admin's key and its file: ``key_file``'s, or a new key to save in ``keys_dir``."""
    if key_file is not None:
        founder = load_person_key(key_file)
        if admin is not None and admin != founder.person:
            raise MalformedKeyError(f"{key_file} is {founder.person}'s key, not {admin}'s")
        return founder, key_file
    path = keys_dir / f"{admin or 'admin'}.key"
    if path.is_symlink() or path.exists():
        raise MalformedKeyError(f"{path} exists; refusing to overwrite a key")
    return PersonKey.generate(admin or "admin"), path


def _init_on_server(
    url: str,
    origin: str,
    name: str,
    founder: PersonKey,
    admin_name: str,
    admin_key_path: Path,
    import_mode: bool,
    ticket: str | None,
) -> None:
    """Create the ledger the operator prepared on the server, founded with the admin's own key."""
    ledger = ledger_id_of(origin)
    with HttpTransport(url, key=founder, creation_ticket=ticket) as http:
        info = http.ledger_info(ledger)
        if info["created"]:
            raise LedgerExistsError(f"ledger {origin} already exists on {url}", origin=origin)
        founding = LedgerClient(http, founder, origin, clock=system_clock, ledger=ledger)
        receipt = founding.create_ledger(
            name=name,
            log_verifier_key=str(info["log_verifier_key"]),
            import_mode=import_mode,
        )
        http.creation_ticket = None
        http.put(ledger, f"/directory/{founder.person}", {"name": admin_name})
    _report_created(
        f"created ledger [bold]{origin}[/] on {url}",
        admin_key_path,
        None,
        str(info["log_verifier_key"]),
        receipt,
    )


def _report_created(
    created: str,
    admin_key_path: Path,
    log_key_line: str | None,
    log_verifier_key: str,
    receipt: dict[str, object],
) -> None:
    """Tell the founder where the ledger and its keys are, then the genesis receipt."""
    console.print(created)
    console.print(f"admin key: {admin_key_path} (keep it safe)")
    if log_key_line is not None:
        console.print(log_key_line)
    console.print(f"log verifier key: {log_verifier_key}")
    _print(receipt)


@handle_errors
def keygen(
    person: Annotated[str, typer.Argument(help="Person id the key is for.")],
    out: Annotated[Path, typer.Option(help="Key file to write (mode 0600).")],
) -> None:
    """Make a new Ed25519 key pair for a person; print the public key to enroll."""
    key = PersonKey.generate(person)
    save_key(key, out)
    console.print_json(
        json.dumps(
            {
                "person": person,
                "key_id": key.key_id,
                "public_key": key.public_key_b64,
                "file": str(out),
            }
        )
    )


def _public_key(public_key: str | None, key_file: Path | None) -> tuple[str, str]:
    if key_file is not None:
        key = load_person_key(key_file)
        return key.key_id, key.public_key_b64
    if public_key is None:
        raise MalformedKeyError("give --public-key or --key-file")
    return key_id_for(public_key_bytes(load_public_key(public_key))), public_key


@handle_errors
def enroll(
    ctx: typer.Context,
    person: PersonArg,
    signer: KeyFile,
    public_key: Annotated[str | None, typer.Option(help="Base64 Ed25519 public key.")] = None,
    key_file: Annotated[Path | None, typer.Option(help="Or the person's key file.")] = None,
    role: Annotated[list[str] | None, typer.Option(help="admin or auditor (repeatable).")] = None,
    name: DirectoryName = None,
    email: DirectoryEmail = None,
    ledger: LedgerOpt = None,
) -> None:
    """Enroll a person and their first key (signed by an admin)."""
    key_id, public = _public_key(public_key, key_file)
    cli: CliContext = ctx.obj
    c = cli.client(signer, ledger)
    receipt = c.append(
        "registry",
        ev.PersonEnrolled.model_validate(
            {"person": person, "key_id": key_id, "public_key": public, "roles": role or []}
        ),
    )
    if name or email:
        cli.set_directory(c, person, name, email)
    _print(receipt)


@body_app.command("add")
@handle_errors
def body_add(
    ctx: typer.Context,
    body: BodyArg,
    signer: KeyFile,
    name: Annotated[str, typer.Option()],
    kind: Annotated[str, typer.Option(help="hovedmed, omraademed, lokalmed, trio, ...")],
    parent: Annotated[str | None, typer.Option()] = None,
    unit: Annotated[str | None, typer.Option()] = None,
    ledger: LedgerOpt = None,
) -> None:
    """Establish a MED body (signed by an admin)."""
    payload = {"body": body, "name": name, "kind": kind, "parent": parent, "unit": unit}
    _append_registry(ctx.obj, signer, ledger, "BodyEstablished", payload)


@body_app.command("dissolve")
@handle_errors
def body_dissolve(
    ctx: typer.Context,
    body: BodyArg,
    signer: KeyFile,
    reason: Annotated[str, typer.Option()],
    ledger: LedgerOpt = None,
) -> None:
    """Dissolve a body (signed by an admin)."""
    _append_registry(ctx.obj, signer, ledger, "BodyDissolved", {"body": body, "reason": reason})


@member_app.command("add")
@handle_errors
def member_add(
    ctx: typer.Context,
    body: BodyArg,
    person: PersonArg,
    signer: KeyFile,
    side: Annotated[str, typer.Option(help="management or employees")],
    role: Annotated[
        list[str] | None, typer.Option(help="chair, vice_chair, tr, amr, secretary, ...")
    ] = None,
    ledger: LedgerOpt = None,
) -> None:
    """Appoint a member (signed by an admin or the body's chair)."""
    payload = {"body": body, "person": person, "side": side, "roles": role or ["member"]}
    _append_registry(ctx.obj, signer, ledger, "MemberAppointed", payload)


@member_app.command("remove")
@handle_errors
def member_remove(
    ctx: typer.Context,
    body: BodyArg,
    person: PersonArg,
    signer: KeyFile,
    ledger: LedgerOpt = None,
) -> None:
    """Record that a member left a body."""
    _append_registry(ctx.obj, signer, ledger, "MemberLeft", {"body": body, "person": person})


@key_app.command("add")
@handle_errors
def key_add(
    ctx: typer.Context,
    person: PersonArg,
    signer: KeyFile,
    key_file: Annotated[Path, typer.Option(help="The new key file (its public half is enrolled).")],
    ledger: LedgerOpt = None,
) -> None:
    """Add a key for a person (signed by an admin)."""
    key_id, public = _public_key(None, key_file)
    _append_registry(
        ctx.obj,
        signer,
        ledger,
        "KeyAdded",
        {"person": person, "key_id": key_id, "public_key": public},
    )


@key_app.command("revoke")
@handle_errors
def key_revoke(
    ctx: typer.Context,
    person: PersonArg,
    key_id: Annotated[str, typer.Argument()],
    signer: KeyFile,
    reason: Annotated[str, typer.Option()],
    ledger: LedgerOpt = None,
) -> None:
    """Revoke a key (signed by an admin, or by its owner)."""
    _append_registry(
        ctx.obj,
        signer,
        ledger,
        "KeyRevoked",
        {"person": person, "key_id": key_id, "reason": reason},
    )


@directory_app.command("set")
@handle_errors
def directory_set(
    ctx: typer.Context,
    person: PersonArg,
    signer: KeyFile,
    name: DirectoryName = None,
    email: DirectoryEmail = None,
    ledger: LedgerOpt = None,
) -> None:
    """Set an enrolled person's name and e-mail (as an admin; not signed, not in the log)."""
    cli: CliContext = ctx.obj
    cli.set_directory(cli.client(signer, ledger), person, name, email)
    _print({"person": person, "name": name})


@directory_app.command("erase")
@handle_errors
def directory_erase(
    ctx: typer.Context, person: PersonArg, signer: KeyFile, ledger: LedgerOpt = None
) -> None:
    """Erase an enrolled person's name and e-mail (as an admin): the right to erasure.

    No mail is sent to them afterwards, and no copy is left in the database files."""
    cli: CliContext = ctx.obj
    cli.erase_directory(cli.client(signer, ledger), person)
    _print({"person": person, "name": None})


def _append_registry(
    cli: CliContext,
    signer: Path,
    ledger: str | None,
    event_type: str,
    payload: Mapping[str, object],
) -> None:
    """Sign one registry event as the owner of ``signer`` and print its receipt."""
    clean = {k: v for k, v in payload.items() if v is not None}
    _print(cli.client(signer, ledger).append("registry", clean, event_type=event_type))
