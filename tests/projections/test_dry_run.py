"""The dry run foresees what signing an event does to the findings, and writes nothing.

Both demo ledgers are built event by event; before each event is
appended, the dry run of its body and payload (no signature) predicts
which findings it raises and closes.  After the event is actually signed
and logged, the findings read model shows exactly that change.  Then the
dry run's own promises: the refusal code of a real append, and nothing
written to the log or the read models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from demo.organisation import ManualClock, Organisation
from demo.stories import build_demo
from ledger.domain import events as ev
from ledger.errors import LedgerError
from ledger.protocol.canonical import JSONObject
from ledger.protocol.envelope import REGISTRY_STREAM, Body, Submission, format_time
from ledger.service.application import AppendReceipt, LedgerService
from projections.read_models.dry_run import DryRun, dry_run, refused
from projections.read_models.findings import findings
from projections.read_models.source import DatabaseSource
from projections.runner.projector import Projector
from tests.projections.conftest import dump
from tests.stories.log_assertions import LogSnapshot
from tests.stories.matter import Matter
from tests.stories.register import register_with
from tests.stories.school import school_structure

Identity = tuple[str, str, str]


def shown(projector: Projector, origin: str) -> set[Identity]:
    """The findings the read model shows now, by matter, rule and key."""
    projector.catch_up_ledger(origin)
    report = findings(DatabaseSource(projector.schema), origin)
    return {(f.matter, f.rule, f.key) for f in report.findings}


def foresee(
    service: LedgerService, projector: Projector, origin: str, body: Body, payload: JSONObject
) -> DryRun:
    """The dry run as the API and the CLI run it: the write-time rules, then the rulebook."""
    projector.catch_up_ledger(origin)
    try:
        size = service.judge_unsigned(origin, body, payload)
    except LedgerError as error:
        return refused(origin, service.tree_size(origin), body, error)
    return dry_run(projector.store, DatabaseSource(projector.schema), origin, size, body, payload)


@dataclass
class Foresight:
    """Every event's predicted and actual change of the findings, in log order."""

    events: int = 0
    changes: int = 0
    misses: list[str] = field(default_factory=list)


@pytest.fixture
def foresight(
    service: LedgerService, projector: Projector, monkeypatch: pytest.MonkeyPatch
) -> Foresight:
    """Every append to ``service`` is dry run first, and compared with what it did."""
    seen = Foresight()
    append = service.append

    def foreseen_append(ledger: str, submission: Submission | bytes) -> AppendReceipt:
        if isinstance(submission, bytes):
            submission = Submission.from_wire(submission)
        body = submission.envelope.body
        if body.type == "LedgerCreated" and body.stream == REGISTRY_STREAM:
            return append(ledger, submission)
        origin = service.origin_of(ledger)
        before = shown(projector, origin)
        predicted = foresee(service, projector, origin, body, submission.payload)
        receipt = append(ledger, submission)
        after = shown(projector, origin)
        raised = {(f.matter, f.rule, f.key) for f in predicted.raised}
        closed = {(f.matter, f.rule, f.key) for f in predicted.closed}
        seen.events += 1
        seen.changes += bool(after ^ before)
        if not predicted.admitted:
            seen.misses.append(f"{body.stream} #{body.seq} {body.type}: {predicted.refusal}")
        elif (raised, closed) != (after - before, before - after):
            seen.misses.append(
                f"{body.stream} #{body.seq} {body.type}: predicted +{sorted(raised)} "
                f"-{sorted(closed)}, was +{sorted(after - before)} -{sorted(before - after)}"
            )
        return receipt

    monkeypatch.setattr(service, "append", foreseen_append)
    return seen


def test_the_dry_run_foresees_every_event_of_the_demo(
    foresight: Foresight, service: LedgerService, clock: ManualClock, unique: str
) -> None:
    build_demo(service, clock, suffix=unique)
    assert foresight.misses == []
    assert foresight.events > 100
    assert foresight.changes >= 5  # the demo raises and closes findings: the test can fail


def draft(
    org: Organisation, person: str, stream: str, payload: ev.Payload
) -> tuple[Body, JSONObject]:
    """The body ``person`` would sign for ``payload`` as the next event of ``stream`` now."""
    head = org.service.head(org.origin, stream)
    return (
        Body(
            origin=org.origin,
            stream=stream,
            seq=1 if head is None else head.seq + 1,
            prev="0" * 64 if head is None else head.hash,
            actor=person,
            key=org.keys[person].key_id,
            type=type(payload).__name__,
            time=format_time(org.clock.now),
            fields={},
        ),
        ev.payload_json(payload),
    )


def test_a_dry_run_refuses_with_the_code_a_real_append_gives_and_writes_nothing(
    org: Organisation, service: LedgerService, projector: Projector, clock: ManualClock
) -> None:
    matter = Matter(org, "skolestruktur")
    matter.act("direktor", school_structure(clock))
    projector.catch_up_ledger(org.origin)
    log_before = LogSnapshot.of(org, matter.stream)
    entries_before = [r.entry for r in service.store.entries(org.origin)]
    rows_before = dump(projector, [org.origin])

    # The LokalMED's chair may not decide HovedMED's matter: refused, as a real append is.
    decision = ev.DecisionMade(outcome="Skolerne lægges sammen.", rationale="Elevtallet falder.")
    body, payload = draft(org, "leder", matter.stream, decision)
    judged = foresee(service, projector, org.origin, body, payload)
    assert not judged.admitted and judged.refusal is not None
    with pytest.raises(LedgerError) as real:
        matter.act("leder", decision)
    assert judged.refusal.code == real.value.code
    assert (judged.raised, judged.closed) == ([], [])

    # The director may: decided without discussion in HovedMED, foreseen and not written.
    body, payload = draft(org, "direktor", matter.stream, decision)
    judged = foresee(service, projector, org.origin, body, payload)
    assert judged.admitted and judged.refusal is None
    assert "MED-01" in {f.rule for f in judged.raised}
    assert LogSnapshot.of(org, matter.stream) == log_before
    assert [r.entry for r in service.store.entries(org.origin)] == entries_before
    assert dump(projector, [org.origin]) == rows_before


def test_the_dry_run_foresees_organisation_findings_falling_due_and_closing(
    foresight: Foresight, org: Organisation, clock: ManualClock
) -> None:
    """HovedMED has an AMR in 2026 and holds no annual work-environment discussion that
    year: the first event of 2027 makes MED-15 fall due; recording the December meeting
    as the annual discussion closes it.  Each is foreseen before it is signed."""
    matter = Matter(org, "arbejdsmiljoe")
    matter.act("direktor", school_structure(clock, category="work_environment"))
    clock.now = clock.now.replace(year=2027, month=1, day=4)
    matter.act(
        "direktor",
        ev.MaterialShared(documents=[ev.Document(title="APV", sha256="c" * 64)], bodies=["hmed"]),
    )
    matter.act(
        "sekretaer",
        ev.MeetingHeld(
            body="hmed",
            date="2026-12-15",
            agenda_item="Den årlige arbejdsmiljødrøftelse",
            present=["direktor", "sekretaer", "tr", "amr"],
            annual_work_environment_discussion=True,
        ),
    )
    assert foresight.misses == []
    assert foresight.changes >= 2


def test_the_dry_run_foresees_a_decision_against_a_guideline_agreed_in_another_matter(
    foresight: Foresight, org: Organisation, clock: ManualClock, projector: Projector
) -> None:
    """HovedMED agrees a procedure guideline in one matter; another matter that touches it
    is decided without an agreement changing it (MED-14): foreseen before it is signed,
    from the guideline register the dry run folds from the other matter."""
    register_with(org, clock, "trivsel", "procedure")
    clock.advance(days=2)
    touching = Matter(org, "trivsel-ny")
    touching.act("direktor", school_structure(clock, touches_guidelines=["trivsel"]))
    touching.act(
        "direktor",
        ev.ConsultationOpened(body="hmed", question="Ny praksis?", respond_by=clock.date(days=7)),
    )
    clock.advance(days=20)
    touching.act("direktor", ev.DecisionMade(outcome="Ny praksis.", rationale="Hurtigere."))
    assert foresight.misses == []
    assert ("trivsel-ny", "MED-14") in {(m, r) for m, r, _ in shown(projector, org.origin)}
