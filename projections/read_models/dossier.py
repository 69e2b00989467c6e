"""The decision dossier (DESIGN.md section 5) and its co-responsibility table.

``rm_dossiers`` holds one JSON document per matter: the decision(s) with
rationale and each input's treatment, the inputs no decision addressed,
disagreements with their answers, compromises, agreements, hearings,
referrals, breach claims.  ``rm_co_responsibility`` gives each person one
part (DESIGN.md: decided, agreed, dissented, consulted without a position,
informed, absent), chosen as docs/PROJECTIONS.md describes:

1. ``decided``: signed a decision;
2. otherwise the person's last stance: ``agreed`` (a supporting position,
   proposing or accepting a compromise, signing an agreement) or
   ``dissented`` (an opposing position, a disagreement, rejecting a
   compromise, a breach claim);
3. ``consulted``: took part without a stance (present at a meeting, a
   proposal, a hearing response, an abstention, an acknowledgement, or any
   other act in the matter);
4. ``absent``: named absent from a meeting and present at none;
5. ``consulted`` again: a member of a body consulted or heard;
6. ``informed``: a member of a body the material went to.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ledger.domain import events as ev
from ledger.domain.groupings import (
    ENDING_TYPES,
    INPUTS_TO_ADDRESS,
    SENT_TO_BODIES_TYPES,
    names,
)
from projections.facts.actors import acting_membership
from projections.facts.encoding import json_text
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource, split_list
from projections.read_models.timeline import MatterHeader, body_names, matter_header

AGREEING = names(ev.CompromiseProposed, ev.CompromiseAccepted, ev.AgreementReached)
DISSENTING = names(ev.DisagreementRecorded, ev.CompromiseRejected, ev.BreachClaimed)
NOT_A_PART = names(ev.CorrectionIssued, ev.PayloadRedacted)
PART_ORDER = ("decided", "agreed", "dissented", "consulted", "absent", "informed")


def _ref(fact: Fact, matter: MatterFacts, registry: RegistryView) -> dict[str, Any]:
    body, tenure = acting_membership(fact, matter, registry)
    return {
        "seq": fact.seq,
        "leaf_index": fact.leaf,
        "time": fact.time,
        "type": fact.type,
        "actor": fact.actor,
        "body": body,
        "side": None if tenure is None else tenure.side,
        "imported": fact.imported,
        "redacted": fact.erased,
    }


_INPUT_FIELDS = ("title", "text", "stance", "proposals", "points", "terms", "outcome")


def _input(fact: Fact, matter: MatterFacts, registry: RegistryView) -> dict[str, Any]:
    """What a decision input is: its event, author, body, side and its words."""
    body, tenure = acting_membership(fact, matter, registry)
    found: dict[str, Any] = {
        "leaf_index": fact.leaf,
        "type": fact.type,
        "actor": fact.actor,
        "body": body,
        "side": None if tenure is None else tenure.side,
        "redacted": fact.erased,
    }
    if fact.payload is not None:
        found.update({k: fact.payload[k] for k in _INPUT_FIELDS if k in fact.payload})
    return found


def document(matter: MatterFacts, registry: RegistryView) -> dict[str, Any]:
    """The dossier of a matter as a JSON-ready document."""
    m = matter
    decisions = _decisions(m, registry)
    decision_seqs = [d["seq"] for d in decisions]
    ended = m.first_among(ENDING_TYPES)

    def listed(kind: type[ev.Payload], *fields: str) -> list[dict[str, Any]]:
        """Each event of ``kind`` with the named fields as the payload holds them."""
        return [{**_ref(f, m, registry), **{k: f.get(k) for k in fields}} for f in m.typed(kind)]

    return {
        "matter": m.matter,
        "opened": {**_ref(m.events[0], m, registry), **m.events[0].payload},
        "status": m.status(),
        "decisions": decisions,
        "unaddressed_inputs": _unaddressed(m, registry, decisions),
        "disagreements": _disagreements(m, registry, decision_seqs),
        "compromises": _compromises(m, registry),
        "agreements": listed(ev.AgreementReached, "text", "guideline", "guideline_type"),
        "hearings": listed(ev.HearingOpened, "bodies", "respond_by"),
        "referrals": listed(ev.ReferredToPolitics, "committee", "date", "proposal_reference"),
        "political_decisions": listed(ev.PoliticalDecisionRecorded, "committee", "outcome", "date"),
        "breach_claims": _breach_claims(m, registry),
        "ended": None
        if ended is None
        else {**_ref(ended, m, registry), "reason": ended.get("reason")},
    }


def _decisions(m: MatterFacts, registry: RegistryView) -> list[dict[str, Any]]:
    """Each decision with its rationale and the treatment of each input it names."""
    return [
        {
            **_ref(d, m, registry),
            "outcome": d.data.outcome,
            "rationale": d.data.rationale,
            "management_prerogative": d.data.management_prerogative,
            "inputs": [_treated_input(item, m, registry) for item in d.data.inputs],
        }
        for d in m.typed(ev.DecisionMade)
    ]


def _treated_input(
    item: ev.DecisionInput, m: MatterFacts, registry: RegistryView
) -> dict[str, Any]:
    entry = {"seq": item.event, "treatment": item.treatment, "reason": item.reason}
    source = m.fact(item.event)
    if source is not None:
        entry.update(_input(source, m, registry))
    return entry


def _unaddressed(
    m: MatterFacts, registry: RegistryView, decisions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Inputs made before the last decision that no decision names."""
    treated = {i["seq"] for d in decisions for i in d["inputs"]}
    last_decision = decisions[-1]["seq"] if decisions else 0
    return [
        {**_ref(f, m, registry), **_input(f, m, registry)}
        for f in m.among(INPUTS_TO_ADDRESS)
        if f.seq not in treated and f.seq < last_decision
    ]


def _disagreements(
    m: MatterFacts, registry: RegistryView, decision_seqs: list[int]
) -> list[dict[str, Any]]:
    """Each disagreement, its first answer, and whether a decision came before that."""
    found = []
    for f in m.typed(ev.DisagreementRecorded):
        answers = m.answers_to(f.seq)
        answer = answers[0] if answers else None
        first_decision = next((s for s in decision_seqs if s > f.seq), None)
        found.append(
            {
                **_ref(f, m, registry),
                "points": f.data.points or [],
                "legitimate_difference": f.data.legitimate_difference,
                "answer": None
                if answer is None
                else {**_ref(answer, m, registry), "response": answer.data.response},
                "open_at_decision": first_decision is not None
                and (answer is None or answer.seq > first_decision),
            }
        )
    return found


def _compromises(m: MatterFacts, registry: RegistryView) -> list[dict[str, Any]]:
    """Each compromise proposed, which sides accepted or rejected it, and its agreement."""
    accepted = m.typed(ev.CompromiseAccepted)
    rejected = m.typed(ev.CompromiseRejected)
    found = []
    for f in m.typed(ev.CompromiseProposed):
        agreement = next(
            (g for g in m.typed(ev.AgreementReached) if g.data.compromise == f.seq), None
        )
        found.append(
            {
                **_ref(f, m, registry),
                "terms": f.data.terms,
                "accepted_by": sorted(g.data.side for g in accepted if g.data.proposal == f.seq),
                "rejected_by": [
                    {"side": g.data.side, "reason": g.data.reason, "seq": g.seq}
                    for g in rejected
                    if g.data.proposal == f.seq
                ],
                "agreement": None if agreement is None else agreement.seq,
            }
        )
    return found


def _breach_claims(m: MatterFacts, registry: RegistryView) -> list[dict[str, Any]]:
    """Each breach claim and how it was resolved, if it was."""
    found = []
    for f in m.typed(ev.BreachClaimed):
        resolution = next((g for g in m.typed(ev.BreachResolved) if g.data.claim == f.seq), None)
        found.append(
            {
                **_ref(f, m, registry),
                "text": f.data.text,
                "resolution": None
                if resolution is None
                else {**_ref(resolution, m, registry), "resolution": resolution.data.resolution},
            }
        )
    return found


class _Person:
    """What one person did in a matter, by kind of signal, as event numbers."""

    __slots__ = ("bodies", "side", "signals", "stances")

    def __init__(self) -> None:
        self.signals: dict[str, list[int]] = {}
        self.stances: list[tuple[int, str]] = []
        self.bodies: set[str] = set()
        self.side: str | None = None

    def note(self, kind: str, seq: int) -> None:
        found = self.signals.get(kind)
        if found is None:
            self.signals[kind] = [seq]
        else:
            found.append(seq)

    def part(self) -> tuple[str, list[int]]:
        signals = self.signals
        if "decided" in signals:
            return "decided", signals["decided"]
        if self.stances:
            last = self.stances[-1][1]
            return last, [seq for seq, stance in self.stances if stance == last]
        if "present" in signals or "took_part" in signals:
            return "consulted", sorted(
                set(signals.get("present", []) + signals.get("took_part", []))
            )
        if "absent" in signals:
            return "absent", signals["absent"]
        if "member_consulted" in signals:
            return "consulted", signals["member_consulted"]
        return "informed", signals.get("informed", [])


class _People(dict[str, _Person]):
    """Everyone with a part in the matter, by person id."""

    def of(self, pid: str, body: str | None, side: str | None) -> _Person:
        """The person ``pid``, noting a body they sat in and their side (the first known)."""
        found = self.get(pid)
        if found is None:
            found = self[pid] = _Person()
        if body:
            found.bodies.add(body)
        if found.side is None and side is not None:
            found.side = side
        return found


def co_responsibility(matter: MatterFacts, registry: RegistryView) -> dict[str, _Person]:
    """Each person's part in the matter, with the events that show it."""
    people = _People()
    for f in matter.events:
        if f.type in NOT_A_PART:
            continue
        _note_actor(people, f, matter, registry)
        _note_reached(people, f, registry)
    return people


_STANCE_OF_TYPE = {**dict.fromkeys(AGREEING, "agreed"), **dict.fromkeys(DISSENTING, "dissented")}
_STANCE_OF_POSITION = {"support": "agreed", "support_with_changes": "agreed", "oppose": "dissented"}


def _note_actor(people: _People, f: Fact, matter: MatterFacts, registry: RegistryView) -> None:
    """What signing ``f`` says of its actor: decided, a stance, or took part."""
    body, tenure = acting_membership(f, matter, registry)
    actor = people.of(f.actor, body if tenure else None, None if tenure is None else tenure.side)
    if f.is_(ev.DecisionMade):
        actor.note("decided", f.seq)
        return
    position = f.as_(ev.PositionStated)
    if position is None:
        stance = _STANCE_OF_TYPE.get(f.type)
    else:
        stance = _STANCE_OF_POSITION.get(position.stance)
    if stance is None:
        actor.note("took_part", f.seq)
    else:
        actor.stances.append((f.seq, stance))


def _note_reached(people: _People, f: Fact, registry: RegistryView) -> None:
    """Whom ``f`` reached: the members of the bodies it was sent to, or a meeting's record."""
    if f.type in SENT_TO_BODIES_TYPES:
        signal = "informed" if f.is_(ev.MaterialShared) else "member_consulted"
        for b in f.bodies:
            for t in registry.members(b, f.leaf):
                people.of(t.person, b, t.side).note(signal, f.seq)
    elif (meeting := f.as_(ev.MeetingHeld)) is not None:
        b = meeting.body
        for listed, who in (("present", meeting.present), ("absent", meeting.absent)):
            for pid in who:
                seat = registry.membership(b, pid, f.leaf)
                people.of(pid, b, None if seat is None else seat.side).note(listed, f.seq)


def matter_rows(origin: str, matter: MatterFacts, registry: RegistryView) -> dict[str, list[Row]]:
    """The dossier document and co-responsibility rows of a matter."""
    people = co_responsibility(matter, registry)
    rows = []
    for pid in sorted(people):
        p = people[pid]
        part, evidence = p.part()
        rows.append(
            {
                "origin": origin,
                "matter": matter.matter,
                "person": pid,
                "part": part,
                "side": p.side,
                "bodies": ",".join(sorted(p.bodies)),
                "evidence": "[" + ",".join(str(seq) for seq in sorted(set(evidence))) + "]",
            }
        )
    return {
        "rm_dossiers": [
            {
                "origin": origin,
                "matter": matter.matter,
                "status": matter.status(),
                "document": json_text(document(matter, registry)),
            }
        ],
        "rm_co_responsibility": rows,
    }


# --- the query -----------------------------------------------------------------


@dataclass(frozen=True)
class CoResponsibility:
    person: str
    name: str | None
    part: str
    side: str | None
    bodies: list[str]
    evidence: list[int]


@dataclass(frozen=True)
class Dossier:
    origin: str
    as_of: int
    matter: MatterHeader
    document: dict[str, Any]
    co_responsibility: list[CoResponsibility]
    body_names: dict[str, str]


def dossier(
    source: RowSource,
    origin: str,
    matter: str,
    *,
    names: Mapping[str, str] | None = None,
) -> Dossier:
    """The decision dossier of ``matter``; raises MatterNotFoundError."""
    header = matter_header(source, origin, matter)
    row = source.rows("rm_dossiers", origin, matter=matter)[0]
    people = names or {}
    table = [
        CoResponsibility(
            person=r["person"],
            name=people.get(r["person"]),
            part=r["part"],
            side=r["side"],
            bodies=split_list(r["bodies"]),
            evidence=[int(s) for s in json.loads(r["evidence"])],
        )
        for r in source.rows("rm_co_responsibility", origin, matter=matter)
    ]
    table.sort(key=lambda c: (PART_ORDER.index(c.part), c.person))
    return Dossier(
        origin=origin,
        as_of=source.tracking(origin, ReadModel.DOSSIER).position,
        matter=header,
        document=json.loads(row["document"]),
        co_responsibility=table,
        body_names=body_names(source, origin),
    )
