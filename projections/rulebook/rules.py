"""The MED rulebook (DESIGN.md section 6): MED-01 to MED-12 as pure functions of a matter.

Each rule looks at one matter's events (``MatterFacts``) with the registry
as of each event's position, and yields ``Finding``s.  A finding is either
immediate (its ``due`` is the time of its last evidence event) or waits
for time to pass (MED-03 before a deadline, MED-11, MED-12): it is stored
with ``due`` in the future and shown once the reference time reaches it.
docs/RULEBOOK.md states every rule exactly; this module is that text in code.

Parameters come from the ledger's ``LedgerCreated.rulebook`` (keys below)
with the defaults of DESIGN.md.  A redacted event whose type could satisfy
a rule is given the benefit of the doubt: the rule does not fire on what
cannot be seen.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ledger.domain.groupings import INPUTS_TO_ADDRESS as ADDRESSABLE_TYPES
from ledger.domain.groupings import INVOLVING_TYPES
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.vocabulary import EVENT_TYPES, word

RULE_IDS: tuple[str, ...] = tuple(f"MED-{n:02d}" for n in range(1, 13))

DEFAULT_PARAMETERS: dict[str, int] = {
    "med-03.lead_days": 14,
    "med-07.material_days": 5,
    "med-11.months": 1,
    "med-12.approval_days": 14,
}
"""Rule parameters and their defaults; ``med-NN.enabled`` = 0 switches a rule off."""

SEVERITY: dict[str, str] = {
    "MED-01": "high",
    "MED-02": "high",
    "MED-03": "medium",
    "MED-04": "high",
    "MED-05": "medium",
    "MED-06": "high",
    "MED-07": "low",
    "MED-08": "medium",
    "MED-09": "medium",
    "MED-10": "medium",
    "MED-11": "high",
    "MED-12": "low",
}

TITLES: dict[str, tuple[str, str]] = {
    "MED-01": ("Besluttet uden inddragelse", "Decided without involvement"),
    "MED-02": ("Uden om MED til politisk behandling", "Around MED to politics"),
    "MED-03": ("Sen inddragelse", "Late involvement"),
    "MED-04": ("Ubesvaret uenighed", "Unanswered disagreement"),
    "MED-05": ("Input ikke behandlet", "Input not addressed"),
    "MED-06": ("Medbestemmelse uden aftale", "Co-determination without agreement"),
    "MED-07": ("Materiale for sent", "Material too late"),
    "MED-08": ("Arbejdsmiljø uden AMR", "Work environment without AMR"),
    "MED-09": ("Inddragelse efter høring", "Consultation after hearing"),
    "MED-10": ("Forslag ubehandlet", "Proposal unanswered"),
    "MED-11": ("Brudsag uafklaret", "Breach claim unresolved"),
    "MED-12": ("Referat ikke godkendt", "Minutes not approved"),
}


@dataclass(frozen=True)
class Parameters:
    """The rulebook's parameters for one ledger."""

    values: dict[str, int]

    @classmethod
    def of(cls, rulebook: dict[str, int]) -> Parameters:
        return cls({**DEFAULT_PARAMETERS, **rulebook})

    def __getitem__(self, key: str) -> int:
        return self.values[key]

    def enabled(self, rule: str) -> bool:
        return self.values.get(f"{rule.lower()}.enabled", 1) != 0


@dataclass(frozen=True)
class Finding:
    """One broken (or soon broken) rule in one matter."""

    rule: str
    key: str
    matter: str
    body: str
    due: datetime
    evidence: tuple[Fact, ...]
    explanation_da: str
    explanation_en: str

    @property
    def severity(self) -> str:
        return SEVERITY[self.rule]


@dataclass(frozen=True)
class Context:
    matter: MatterFacts
    registry: RegistryView
    params: Parameters

    def body_name(self, body: str | None) -> str:
        return self.registry.body_name(body)

    def finding(
        self,
        rule: str,
        key: str,
        body: str,
        evidence: list[Fact],
        da: str,
        en: str,
        *,
        due: datetime | None = None,
    ) -> Finding:
        unique = sorted({f.seq: f for f in evidence}.values(), key=lambda f: f.seq)
        when = due if due is not None else max(f.moment for f in unique)
        return Finding(rule, key, self.matter.matter, body, when, tuple(unique), da, en)


def evaluate(matter: MatterFacts, registry: RegistryView) -> list[Finding]:
    """Every finding of every enabled rule for ``matter``, in rule and key order."""
    if not matter.events:
        return []
    context = Context(matter, registry, Parameters.of(registry.rulebook))
    found: list[Finding] = []
    for rule_id, rule in RULES.items():
        if context.params.enabled(rule_id):
            found.extend(rule(context))
    return sorted(found, key=lambda f: (f.rule, f.key))


# --- helpers ----------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (the last day of a shorter month)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _ref(fact: Fact) -> str:
    return f"#{fact.seq}"


def _maybe_involving(matter: MatterFacts, fact: Fact) -> bool:
    """Involves the responsible body, or is a redacted event that might have."""
    if fact.payload is None:
        return fact.type in INVOLVING_TYPES
    return matter.involves_responsible_body(fact)


def _maybe_consulting(matter: MatterFacts, fact: Fact) -> bool:
    """A consultation or meeting of the responsible body (or a redacted one)."""
    if fact.type not in ("ConsultationOpened", "MeetingHeld"):
        return False
    return fact.payload is None or fact.get("body") == matter.responsible_body


# --- the rules --------------------------------------------------------------


def med_01(c: Context) -> Iterator[Finding]:
    """Decided without involvement: no consultation, meeting or hearing of the
    responsible body before a decision on a discussion or co-determination matter."""
    m = c.matter
    if m.influence_level not in ("discussion", "codetermination") or not m.typed("DecisionMade"):
        return
    body = m.responsible_body
    consulted = False
    for fact in m.typed("ConsultationOpened", "MeetingHeld", "HearingOpened", "DecisionMade"):
        if _maybe_consulting(m, fact) or (
            fact.type == "HearingOpened"
            and (fact.payload is None or body in fact.get("bodies", []))
        ):
            consulted = True
        elif fact.type == "DecisionMade" and not consulted:
            name = c.body_name(body)
            yield c.finding(
                "MED-01",
                f"decision-{fact.seq}",
                body,
                [m.events[0], fact],
                f"Beslutningen {_ref(fact)} blev truffet uden at {name} var inddraget "
                "(ingen inddragelse, intet møde og ingen høring i udvalget før beslutningen).",
                f"Decision {_ref(fact)} was made without involving {name} "
                "(no consultation, meeting or hearing of the body before the decision).",
            )


def med_02(c: Context) -> Iterator[Finding]:
    """Around MED to politics: referred to a political committee before the
    responsible body was informed or consulted."""
    m = c.matter
    body = m.responsible_body
    involved = False
    if not m.typed("ReferredToPolitics"):
        return
    for fact in m.typed("ReferredToPolitics", *INVOLVING_TYPES):
        if _maybe_involving(m, fact):
            involved = True
        elif fact.type == "ReferredToPolitics" and not involved:
            later = next(
                (
                    f
                    for f in m.typed(*INVOLVING_TYPES)
                    if f.seq > fact.seq and _maybe_involving(m, f)
                ),
                None,
            )
            evidence = [m.events[0], fact] + ([later] if later else [])
            name, committee = c.body_name(body), c.body_name(fact.get("committee"))
            after_da = f"; {name} blev først inddraget bagefter ({_ref(later)})." if later else "."
            after_en = f"; {name} was first involved afterwards ({_ref(later)})." if later else "."
            yield c.finding(
                "MED-02",
                f"referral-{fact.seq}",
                body,
                evidence,
                f"Sagen blev sendt til {committee} ({_ref(fact)}) før {name} var informeret "
                f"eller inddraget{after_da}",
                f"The matter was referred to {committee} ({_ref(fact)}) before {name} was "
                f"informed or consulted{after_en}",
            )


def med_03(c: Context) -> Iterator[Finding]:
    """Late involvement: the responsible body first involved less than N days
    before the decision, the referral or the political deadline, whichever is first."""
    m = c.matter
    days = c.params["med-03.lead_days"]
    body = m.responsible_body
    name = c.body_name(body)
    first = next((f for f in m.typed(*INVOLVING_TYPES) if _maybe_involving(m, f)), None)
    milestones: list[tuple[date, str, str, Fact | None]] = []
    decision = m.first("DecisionMade")
    referral = m.first("ReferredToPolitics")
    if decision is not None:
        milestones.append((decision.day, "beslutningen", "the decision", decision))
    if referral is not None:
        milestones.append((referral.day, "den politiske behandling", "the referral", referral))
    deadline_text = m.opened.get("political_deadline")
    if deadline_text:
        deadline = date.fromisoformat(deadline_text)
        milestones.append((deadline, "den politiske frist", "the political deadline", None))
    if not milestones:
        return
    when, what_da, what_en, event = min(milestones, key=lambda item: (item[0], item[1]))
    if first is None:
        if event is not None:
            yield c.finding(
                "MED-03",
                "lead-time",
                body,
                [m.events[0], event],
                f"{name} var ikke inddraget før {what_da} ({when}); reglen kræver mindst "
                f"{days} dages varsel.",
                f"{name} was not involved before {what_en} ({when}); the rule asks for at "
                f"least {days} days.",
            )
        else:
            yield c.finding(
                "MED-03",
                "lead-time",
                body,
                [m.events[0]],
                f"{name} er endnu ikke inddraget, og der er under {days} dage til "
                f"{what_da} ({when}).",
                f"{name} has not been involved yet, and {what_en} ({when}) is less than "
                f"{days} days away.",
                due=_midnight(when) - timedelta(days=days),
            )
        return
    lead = (when - first.day).days
    if lead >= days:
        return
    evidence = [m.events[0], first] + ([event] if event is not None else [])
    if lead < 0:
        gap_da, gap_en = f"{-lead} dage efter", f"{-lead} days after"
    else:
        gap_da, gap_en = f"kun {lead} dage før", f"only {lead} days before"
    yield c.finding(
        "MED-03",
        "lead-time",
        body,
        evidence,
        f"{name} blev først inddraget {first.day} ({_ref(first)}), {gap_da} "
        f"{what_da} ({when}); reglen kræver mindst {days} dage.",
        f"{name} was first involved on {first.day} ({_ref(first)}), {gap_en} "
        f"{what_en} ({when}); the rule asks for at least {days} days.",
    )


def med_04(c: Context) -> Iterator[Finding]:
    """Unanswered disagreement: a disagreement with no answer when a decision was made
    (an answer, however late, closes the finding)."""
    m = c.matter
    answers = m.typed("DisagreementAnswered")
    if any(f.payload is None for f in answers):
        return
    answered = {int(f.get("disagreement")) for f in answers}
    decisions = m.typed("DecisionMade")
    for fact in m.typed("DisagreementRecorded"):
        if fact.seq in answered:
            continue
        decision = next((f for f in decisions if f.seq > fact.seq), None)
        if decision is None:
            continue
        body = fact.get("body", m.responsible_body)
        name = c.body_name(body)
        yield c.finding(
            "MED-04",
            f"disagreement-{fact.seq}",
            body,
            [fact, decision],
            f"Uenigheden {_ref(fact)} i {name} var ubesvaret, da beslutningen "
            f"{_ref(decision)} blev truffet, og er det stadig.",
            f"Disagreement {_ref(fact)} in {name} was unanswered when decision "
            f"{_ref(decision)} was made, and still is.",
        )


def med_05(c: Context) -> Iterator[Finding]:
    """Input not addressed: a position, proposal or hearing response made before a
    decision that no later decision names among its inputs."""
    m = c.matter
    decisions = m.typed("DecisionMade")
    if not decisions:
        return
    for fact in m.typed(*ADDRESSABLE_TYPES):
        later = [d for d in decisions if d.seq > fact.seq]
        if not later or any(d.payload is None for d in later):
            continue
        if any(fact.seq in m.treated_inputs(d) for d in later):
            continue
        last = later[-1]
        body = fact.get("body", m.responsible_body)
        name = c.body_name(body)
        kind_da = word(EVENT_TYPES, fact.type, "da").lower()
        kind_en = word(EVENT_TYPES, fact.type, "en").lower()
        yield c.finding(
            "MED-05",
            f"input-{fact.seq}",
            body,
            [fact, last],
            f"{_ref(fact)} ({kind_da}, {name}) kom før beslutningen {_ref(last)}, men "
            "beslutningen siger ikke, hvordan det er behandlet.",
            f"{_ref(fact)} ({kind_en}, {name}) came before decision {_ref(last)}, but the "
            "decision does not say how it was treated.",
        )


def med_06(c: Context) -> Iterator[Finding]:
    """Co-determination without agreement: a co-determination matter decided before
    any agreement was reached."""
    m = c.matter
    if m.influence_level != "codetermination":
        return
    agreed = False
    body = m.responsible_body
    for fact in m.typed("AgreementReached", "DecisionMade"):
        if fact.type == "AgreementReached":
            agreed = True
        elif fact.type == "DecisionMade" and not agreed:
            name = c.body_name(body)
            yield c.finding(
                "MED-06",
                f"decision-{fact.seq}",
                body,
                [m.events[0], fact],
                f"Sagen hører under medbestemmelse, men beslutningen {_ref(fact)} blev "
                f"truffet uden en aftale i {name}.",
                f"The matter is one of co-determination, but decision {_ref(fact)} was made "
                f"without an agreement in {name}.",
            )


def med_07(c: Context) -> Iterator[Finding]:
    """Material too late: material shared less than N days before the first meeting
    of a receiving body after it."""
    m = c.matter
    days = c.params["med-07.material_days"]
    meetings = m.of_type("MeetingHeld")
    for shared in m.of_type("MaterialShared"):
        for body in shared.get("bodies", []):
            meeting = next(
                (
                    f
                    for f in meetings
                    if f.seq > shared.seq
                    and f.get("body") == body
                    and date.fromisoformat(f.get("date")) >= shared.day
                ),
                None,
            )
            if meeting is None:
                continue
            held = date.fromisoformat(meeting.get("date"))
            lead = (held - shared.day).days
            if lead >= days:
                continue
            name = c.body_name(body)
            yield c.finding(
                "MED-07",
                f"material-{shared.seq}-meeting-{meeting.seq}",
                body,
                [shared, meeting],
                f"Materialet {_ref(shared)} kom {lead} dage før mødet i {name} {held} "
                f"({_ref(meeting)}); reglen kræver mindst {days} dage.",
                f"Material {_ref(shared)} came {lead} days before the meeting of {name} on "
                f"{held} ({_ref(meeting)}); the rule asks for at least {days} days.",
            )


def med_08(c: Context) -> Iterator[Finding]:
    """Work environment without AMR: a work environment matter discussed at a meeting
    where no work environment representative of the body was present."""
    m = c.matter
    if m.category != "work_environment":
        return
    for meeting in m.of_type("MeetingHeld"):
        body = str(meeting.get("body"))
        present = meeting.get("present", [])
        amr_present = any(
            (t := c.registry.membership(body, person, meeting.leaf)) is not None
            and "amr" in t.roles
            for person in present
        )
        if amr_present:
            continue
        absent_amr = [
            person
            for person in meeting.get("absent", [])
            if (t := c.registry.membership(body, person, meeting.leaf)) is not None
            and "amr" in t.roles
        ]
        name = c.body_name(body)
        note_da = f" (AMR fraværende: {', '.join(absent_amr)})" if absent_amr else ""
        note_en = f" (AMR absent: {', '.join(absent_amr)})" if absent_amr else ""
        yield c.finding(
            "MED-08",
            f"meeting-{meeting.seq}",
            body,
            [meeting],
            f"Arbejdsmiljøsagen blev drøftet på mødet i {name} {meeting.get('date')} "
            f"({_ref(meeting)}) uden en arbejdsmiljørepræsentant til stede{note_da}.",
            f"The work environment matter was discussed at the meeting of {name} on "
            f"{meeting.get('date')} ({_ref(meeting)}) with no work environment "
            f"representative present{note_en}.",
        )


def med_09(c: Context) -> Iterator[Finding]:
    """Consultation after hearing: the responsible body not consulted (consultation
    or meeting) before the first hearing opened."""
    m = c.matter
    hearing = m.first("HearingOpened")
    if hearing is None:
        return
    consultations = [
        f for f in m.typed("ConsultationOpened", "MeetingHeld") if _maybe_consulting(m, f)
    ]
    if any(f.seq < hearing.seq for f in consultations):
        return
    later = next((f for f in consultations if f.seq > hearing.seq), None)
    body = m.responsible_body
    name = c.body_name(body)
    after_da = f"; først inddraget bagefter ({_ref(later)})" if later else ""
    after_en = f"; first consulted afterwards ({_ref(later)})" if later else ""
    yield c.finding(
        "MED-09",
        f"hearing-{hearing.seq}",
        body,
        [hearing] + ([later] if later else []),
        f"Høringen {_ref(hearing)} blev sendt ud, før {name} var inddraget i et møde eller "
        f"en drøftelse{after_da}.",
        f"Hearing {_ref(hearing)} was opened before {name} had been consulted in a "
        f"consultation or meeting{after_en}.",
    )


def med_10(c: Context) -> Iterator[Finding]:
    """Proposal unanswered: a proposal from MED not treated in any decision when the
    hearing opened or the matter went to politics."""
    m = c.matter
    gates = m.typed("HearingOpened", "ReferredToPolitics")
    if not gates:
        return
    for proposal in m.typed("ProposalSubmitted"):
        gate = next((f for f in gates if f.seq > proposal.seq), None)
        if gate is None:
            continue
        decisions = [f for f in m.typed("DecisionMade") if proposal.seq < f.seq < gate.seq]
        if any(d.payload is None or proposal.seq in m.treated_inputs(d) for d in decisions):
            continue
        body = proposal.get("body", m.responsible_body)
        name = c.body_name(body)
        gate_da = "høringen" if gate.type == "HearingOpened" else "den politiske behandling"
        gate_en = "the hearing opened" if gate.type == "HearingOpened" else "it went to politics"
        yield c.finding(
            "MED-10",
            f"proposal-{proposal.seq}",
            body,
            [proposal, gate],
            f"Forslaget {_ref(proposal)} fra {name} var ikke behandlet i nogen beslutning, "
            f"da sagen gik videre til {gate_da} ({_ref(gate)}).",
            f"Proposal {_ref(proposal)} from {name} had not been treated in any decision when "
            f"{gate_en} ({_ref(gate)}).",
        )


def med_11(c: Context) -> Iterator[Finding]:
    """Breach claim unresolved after one month (N months)."""
    m = c.matter
    months = c.params["med-11.months"]
    resolutions = m.typed("BreachResolved")
    if any(f.payload is None for f in resolutions):
        return
    resolved = {int(f.get("claim")) for f in resolutions}
    for claim in m.typed("BreachClaimed"):
        if claim.seq in resolved:
            continue
        body = claim.get("body", m.responsible_body)
        due = add_months(claim.moment, months)
        yield c.finding(
            "MED-11",
            f"claim-{claim.seq}",
            body,
            [claim],
            f"Påstanden om brud på informationspligten {_ref(claim)} fra {claim.day} er "
            f"ikke afgjort efter {months} måned(er) (frist {due.date()}).",
            f"The breach claim {_ref(claim)} of {claim.day} is unresolved after {months} "
            f"month(s) (due {due.date()}).",
            due=due,
        )


def med_12(c: Context) -> Iterator[Finding]:
    """Minutes not approved within N days of the meeting by its chair and vice-chair."""
    m = c.matter
    days = c.params["med-12.approval_days"]
    approvals = m.typed("MinutesApproved")
    if any(f.payload is None for f in approvals):
        return
    for meeting in m.of_type("MeetingHeld"):
        body = str(meeting.get("body"))
        held = date.fromisoformat(meeting.get("date"))
        needed = set()
        for tenure in c.registry.members(body, meeting.leaf):
            needed.update({"chair", "vice_chair"} & set(tenure.roles))
        approved_roles: set[str] = set()
        for approval in approvals:
            if int(approval.get("meeting")) != meeting.seq:
                continue
            seat = c.registry.membership(body, approval.actor, approval.leaf)
            if seat is not None:
                approved_roles.update(seat.roles)
        if needed and needed <= approved_roles:
            continue
        if not needed and approved_roles:
            continue
        deadline = held + timedelta(days=days)
        name = c.body_name(body)
        yield c.finding(
            "MED-12",
            f"meeting-{meeting.seq}",
            body,
            [meeting],
            f"Referatet af mødet i {name} {held} ({_ref(meeting)}) er ikke godkendt af "
            f"formand og næstformand inden for {days} dage (frist {deadline}).",
            f"The minutes of the meeting of {name} on {held} ({_ref(meeting)}) were not "
            f"approved by chair and vice-chair within {days} days (due {deadline}).",
            due=_midnight(deadline + timedelta(days=1)),
        )


RULES: dict[str, Callable[[Context], Iterator[Finding]]] = {
    "MED-01": med_01,
    "MED-02": med_02,
    "MED-03": med_03,
    "MED-04": med_04,
    "MED-05": med_05,
    "MED-06": med_06,
    "MED-07": med_07,
    "MED-08": med_08,
    "MED-09": med_09,
    "MED-10": med_10,
    "MED-11": med_11,
    "MED-12": med_12,
}
