"""The consultation receipt (DESIGN.md section 5): proof of a person's involvement, or of its absence.

For a person and a matter the receipt selects the log events that show
how the person took part, each with its leaf index and why it counts:

- ``informed`` / ``consulted`` / ``heard``: the person sat in a body the
  material, consultation or hearing went to (membership as of that event);
- ``present`` / ``absent``: the meeting record names them;
- ``acted``: they signed the event themselves.

When there is none, the receipt says so.  If the person sat in the
matter's responsible body while the matter ran, the absence is itself the
finding ("member, but never sent material nor invited"), and the evidence
is the appointment plus *every* event of the matter, so a verifier can see
that none of them names the person.

The evidence bundle for a receipt (``ledger.service.bundle.receipt_bundle``)
proves the matter's stream and the registry complete, so it holds every leaf
the receipt lists (``Receipt.leaf_indexes``).

A receipt discloses nothing its requester may not read (DESIGN.md section
5).  Its items are routing information only (event types, times, leaf
indexes, the bodies each event addressed, the actors' bodies, sides and
roles); the matter's title is its one free text.  ``routing_only`` gives the
form for a person who may not read the matter: the title withheld, and the
receipt saying so (``disclosure`` and ``withheld``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ledger.domain import events as ev
from projections.read_models.involvement import person_items, require_person
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource, split_list
from projections.read_models.timeline import body_names, matter_header
from projections.vocabulary import (
    EVENT_TYPE_WORDS,
    INVOLVEMENT_KINDS,
    SIDES,
    Lang,
    roles_text,
    word,
)

INVOLVED = "involved"
NOT_INVOLVED = "not_involved"  # a member of the responsible body, never informed nor invited
NOT_A_MEMBER = "not_a_member"  # no involvement, and no seat in the responsible body

Disclosure = Literal["full", "routing"]
FULL: Disclosure = "full"  # the requester may read the matter
ROUTING: Disclosure = "routing"  # they may not: routing information only, free text withheld

VERDICTS: dict[str, tuple[str, str]] = {
    INVOLVED: ("inddraget", "involved"),
    NOT_INVOLVED: (
        "medlem af det ansvarlige udvalg, men hverken informeret eller inviteret",
        "member of the responsible body, but never sent material nor invited",
    ),
    NOT_A_MEMBER: (
        "ikke inddraget og ikke medlem af det ansvarlige udvalg",
        "not involved, and not a member of the responsible body",
    ),
}


@dataclass(frozen=True)
class ReceiptItem:
    """One event in the receipt and why it counts."""

    leaf_index: int
    seq: int | None
    stream: str
    claimed_time: str
    event_type: str
    kind: str
    body: str | None
    side: str | None
    roles: list[str]
    imported: bool
    reason_da: str
    reason_en: str
    addressed: list[str]  # the bodies the event sent material, a consultation or a hearing to

    def reason(self, lang: Lang) -> str:
        return self.reason_da if lang == "da" else self.reason_en


@dataclass(frozen=True)
class Receipt:
    origin: str
    as_of: int
    person: str
    name: str | None
    matter: str
    title: str | None  # None when withheld
    responsible_body: str
    responsible_body_name: str
    verdict: str
    items: list[ReceiptItem]
    disclosure: Disclosure = FULL
    withheld: list[str] = dataclasses.field(default_factory=list)

    @property
    def leaf_indexes(self) -> list[int]:
        return sorted({item.leaf_index for item in self.items})

    def verdict_text(self, lang: Lang) -> str:
        pair = VERDICTS[self.verdict]
        return pair[0] if lang == "da" else pair[1]


_REASONS: dict[str, tuple[str, str]] = {
    "informed": (
        "Medlem af {body}, da materialet blev delt med udvalget",
        "Member of {body} when the material was shared with it",
    ),
    "consulted": (
        "Medlem af {body}, da inddragelsen blev indledt i udvalget",
        "Member of {body} when the consultation was opened in it",
    ),
    "heard": (
        "Medlem af {body}, da høringen blev sendt til udvalget",
        "Member of {body} when the hearing was sent to it",
    ),
    "present": ("Til stede ved mødet i {body}", "Present at the meeting of {body}"),
    "absent": (
        "Inviteret, men registreret fraværende ved mødet i {body}",
        "Invited, but recorded absent at the meeting of {body}",
    ),
    "acted": ("Underskrev selv: {event_da}", "Signed it: {event_en}"),
}


def receipt(
    source: RowSource,
    origin: str,
    person: str,
    matter: str,
    *,
    names: Mapping[str, str] | None = None,
) -> Receipt:
    """The consultation receipt of ``person`` in ``matter``.

    Raises PersonNotFoundError or MatterNotFoundError.
    """
    require_person(source, origin, person)
    header = matter_header(source, origin, matter)
    bodies = body_names(source, origin)
    timeline_rows = source.rows("rm_timeline", origin, matter=matter)
    addressed = _addressed(source, origin, matter)
    items = _involvement_items(source, origin, person, matter, bodies, addressed)
    seats = _seats_while_open(source, origin, person, header.responsible_body, timeline_rows)
    if items:
        verdict = INVOLVED
    elif seats:
        verdict = NOT_INVOLVED
    else:
        verdict = NOT_A_MEMBER
    rb_name = bodies.get(header.responsible_body, header.responsible_body)
    items += [_seat_item(seat, header.responsible_body, rb_name) for seat in seats]
    listed = {(item.stream, item.seq) for item in items}
    stream = f"matter/{matter}"
    items += [
        _matter_item(r, stream, rb_name, addressed)
        for r in timeline_rows
        if (verdict != INVOLVED or int(r["seq"]) == 1) and (stream, int(r["seq"])) not in listed
    ]
    items.sort(key=lambda i: (i.leaf_index, i.kind))
    return Receipt(
        origin=origin,
        as_of=source.tracking(origin, ReadModel.INVOLVEMENT).position,
        person=person,
        name=(names or {}).get(person),
        matter=matter,
        title=header.title,
        responsible_body=header.responsible_body,
        responsible_body_name=rb_name,
        verdict=verdict,
        items=items,
    )


def routing_only(found: Receipt) -> Receipt:
    """``found`` as shown to a requester who may not read the matter: its routing only.

    Every item is routing already; the title, the matter's one free text in
    a receipt, is withheld, and the receipt states that it was.
    """
    return dataclasses.replace(found, title=None, disclosure=ROUTING, withheld=["title"])


def _addressed(source: RowSource, origin: str, matter: str) -> dict[int, list[str]]:
    """For each event of ``matter``, the bodies it sent material, a consultation or a hearing to."""
    found: dict[int, list[str]] = {}
    for r in source.rows("rm_body_involvement", origin, matter=matter):
        found.setdefault(int(r["seq"]), []).append(str(r["body"]))
    return {seq: sorted(set(bodies)) for seq, bodies in found.items()}


def _involvement_items(
    source: RowSource,
    origin: str,
    person: str,
    matter: str,
    bodies: Mapping[str, str],
    addressed: Mapping[int, list[str]],
) -> list[ReceiptItem]:
    """The events that show how ``person`` took part in ``matter``, each with its reason."""
    items = []
    for _, found in person_items(source, origin, person, matter=matter):
        label = bodies.get(found.body, found.body) if found.body else "?"
        da, en = _REASONS[found.kind]
        items.append(
            ReceiptItem(
                leaf_index=found.leaf_index,
                seq=found.seq,
                stream=f"matter/{matter}",
                claimed_time=found.claimed_time,
                event_type=found.event_type,
                kind=found.kind,
                body=found.body,
                side=found.side,
                roles=found.roles,
                imported=found.imported,
                reason_da=da.format(
                    body=label, event_da=word(EVENT_TYPE_WORDS, found.event_type, "da").lower()
                ),
                reason_en=en.format(
                    body=label, event_en=word(EVENT_TYPE_WORDS, found.event_type, "en").lower()
                ),
                addressed=addressed.get(found.seq, []),
            )
        )
    return items


def _seats_while_open(
    source: RowSource, origin: str, person: str, body: str, timeline_rows: list[Row]
) -> list[Row]:
    """The appointments of ``person`` to ``body`` in force while the matter ran."""
    opened_leaf = int(timeline_rows[0]["leaf_index"])
    last_leaf = int(timeline_rows[-1]["leaf_index"])
    return [
        r
        for r in source.rows("rm_memberships", origin, body=body, person=person)
        if int(r["from_leaf"]) < last_leaf
        and (r["until_leaf"] is None or int(r["until_leaf"]) > opened_leaf)
    ]


def _seat_item(seat: Row, body: str, body_name: str) -> ReceiptItem:
    """An appointment to the responsible body, as evidence of a member never involved."""
    roles = split_list(seat["roles"])
    return ReceiptItem(
        leaf_index=int(seat["from_leaf"]),
        seq=None,
        stream="registry",
        claimed_time=seat["appointed_time"],
        event_type=ev.MemberAppointed.__name__,
        kind="membership",
        body=body,
        side=seat["side"],
        roles=roles,
        imported=bool(seat["imported"]),
        reason_da=f"Udpeget til {body_name} ({word(SIDES, seat['side'], 'da')}, "
        f"{roles_text(roles, 'da')})",
        reason_en=f"Appointed to {body_name} ({word(SIDES, seat['side'], 'en')}, "
        f"{roles_text(roles, 'en')})",
        addressed=[],
    )


def _matter_item(
    r: Row, stream: str, body_name: str, addressed: Mapping[int, list[str]]
) -> ReceiptItem:
    """An event of the matter: its opening, or one that does not name the person."""
    first = int(r["seq"]) == 1
    return ReceiptItem(
        leaf_index=int(r["leaf_index"]),
        seq=int(r["seq"]),
        stream=stream,
        claimed_time=r["claimed_time"],
        event_type=r["event_type"],
        kind="matter",
        body=r["body"],
        side=r["side"],
        roles=split_list(r["roles"]),
        imported=bool(r["imported"]),
        reason_da=f"Sagen oprettes med {body_name} som ansvarligt udvalg"
        if first
        else "Sagens hændelse; nævner ikke personen",
        reason_en=f"The matter is opened with {body_name} as responsible body"
        if first
        else "An event of the matter; it does not name the person",
        addressed=addressed.get(int(r["seq"]), []),
    )


def render_receipt(found: Receipt, lang: Lang = "da") -> str:
    """The receipt as a printable page of plain text."""
    da = lang == "da"
    who = found.person + (f" ({found.name})" if found.name else "")
    lines = [
        "KVITTERING FOR INDDRAGELSE" if da else "CONSULTATION RECEIPT",
        "",
        f"Ledger: {found.origin}",
        f"{'Som af træstørrelse' if da else 'As of tree size'}: {found.as_of}",
        f"Person: {who}",
        f"{'Sag' if da else 'Matter'}: {found.matter}: {_title(found, lang)}",
        f"{'Ansvarligt udvalg' if da else 'Responsible body'}: {found.responsible_body_name}",
        f"{'Konklusion' if da else 'Conclusion'}: {found.verdict_text(lang)}",
        "",
        ("Bevis (hændelser i loggen):" if da else "Evidence (events in the log):"),
    ]
    for item in found.items:
        lines += _item_lines(item, lang)
    lines += [
        "",
        (
            "Hver hændelse er signeret af sin afsender og indgår i ledgerens Merkle-træ; "
            "en bevispakke (medledger receipt --bundle) kan efterprøves offline."
            if da
            else "Each event is signed by its actor and included in the ledger's Merkle tree; "
            "an evidence bundle (medledger receipt --bundle) can be verified offline."
        ),
    ]
    return "\n".join(_one_line(line) for line in lines)


_WITHHELD = (
    "(titlen er tilbageholdt: du kan ikke læse sagen; kvitteringen viser kun hændelsernes "
    "typer, tider, udvalg, sider og roller)",
    "(title withheld: you may not read this matter; the receipt shows only its events' "
    "types, times, bodies, sides and roles)",
)


def _title(found: Receipt, lang: Lang) -> str:
    if found.title is None:
        return _WITHHELD[0] if lang == "da" else _WITHHELD[1]
    return found.title


def _item_lines(item: ReceiptItem, lang: Lang) -> list[str]:
    """One evidence item of the printed receipt: the event, why it counts, whom it addressed."""
    da = lang == "da"
    kind = word(INVOLVEMENT_KINDS, item.kind, lang) if item.kind in INVOLVEMENT_KINDS else ""
    where = f"#{item.seq}" if item.seq is not None else "registry"
    imported = (" [importeret]" if da else " [imported]") if item.imported else ""
    lines = [
        f"  leaf {item.leaf_index:>6}  {where:<9} {item.claimed_time}  "
        f"{word(EVENT_TYPE_WORDS, item.event_type, lang)}" + (f" ({kind})" if kind else ""),
        f"                  {item.reason(lang)}{imported}",
    ]
    if item.addressed:
        lines.append(f"                  {'Til' if da else 'To'}: {', '.join(item.addressed)}")
    return lines


_LINE_BREAKS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` with every line break or control character made a space: free text from the
    log or the directory (titles, names) can never add a line, such as a false verdict, to
    the printed receipt."""
    return _LINE_BREAKS.sub(" ", text)
