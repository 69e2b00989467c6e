"""Rules on guidelines (retningslinjer) in force: MED-14 and MED-16.

Guidelines are agreed by both sides of a MED body (framework agreement
§ 8): procedure and mandatory (skal) guidelines exist only by agreement and
change only by agreement; an optional (kan) guideline may be terminated
with three months' notice.  The register is the organisation's
(``RegistryView.organisation.guidelines``), asked as of each event's leaf.

MED-16's two breaches (terminating a procedure or mandatory guideline;
notice shorter than ``med-16.notice_months``) are refused at write time
(``ledger.domain.guidelines``), for imported events too, so no such event
is ever in the log.  What the ledger cannot vouch for is the day notice
was given of an *imported* termination: its claimed time is the
importer's, not a time the ledger witnessed.  MED-16 reports each imported
termination so that its notice is checked against the source records.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.domain import events as ev
from ledger.domain.guidelines import DEFAULT_NOTICE_MONTHS, NOTICE_MONTHS_KEY, add_months
from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.organisation import enabled_for
from projections.rulebook.rule import Flag, Parameters, ref, rule


def _med_14(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Decision against a guideline in force: a matter that touches a guideline in force
    on the decision's day is decided without an agreement in the matter before the
    decision, and without the guideline being amended since the matter was opened."""
    touched = matter.opened.touches_guidelines
    if not touched:
        return
    body = matter.responsible_body
    opened = matter.events[0]
    history = registry.organisation.guidelines
    for decision in matter.typed(ev.DecisionMade):
        if not enabled_for("MED-14", registry, body, decision.leaf):
            continue
        agreed = [a for a in matter.typed(ev.AgreementReached) if a.seq < decision.seq]
        if agreed:
            continue
        for guideline in touched:
            state = history.state(guideline, decision.leaf)
            if state is None or not state.in_force(decision.day):
                continue
            if any(opened.leaf < s.leaf for s in state.amendments):
                continue
            made = state.made
            yield Flag(
                f"decision-{decision.seq}-{guideline}",
                body,
                [opened, decision],
                f"Sagen berører retningslinjen {guideline} ({state.type}, aftalt i "
                f"{registry.body_name(state.body)}, sag {made.matter} #{made.seq}), som var "
                f"gældende {decision.day}, men beslutningen {ref(decision)} blev truffet uden "
                "en aftale, der ændrer den. En retningslinje ændres kun ved aftale mellem "
                "begge sider (rammeaftalen § 8).",
                f"The matter touches guideline {guideline} ({state.type}, agreed in "
                f"{registry.body_name(state.body)}, matter {made.matter} #{made.seq}), in "
                f"force on {decision.day}, but decision {ref(decision)} was made without an "
                "agreement changing it. A guideline changes only by agreement of both sides "
                "(framework agreement § 8).",
            )


def _med_16(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """An imported termination of a guideline: the ledger did not witness the day notice
    was given (short notice and terminating a procedure or mandatory guideline are
    refused at write time)."""
    for ended in matter.typed(ev.GuidelineTerminated):
        notice = ended.data
        body = notice.body
        if not ended.imported or not enabled_for("MED-16", registry, body, ended.leaf):
            continue
        months = registry.rule_setting(body, NOTICE_MONTHS_KEY, DEFAULT_NOTICE_MONTHS, ended.leaf)
        guideline, effective = notice.guideline, notice.effective_from
        earliest = add_months(ended.day, months)
        yield Flag(
            f"termination-{ended.seq}",
            body,
            [ended],
            f"Opsigelsen {ref(ended)} af retningslinjen {guideline} er importeret: at varslet "
            f"blev givet {ended.day} (tidligst ophør {earliest}, {months} måneder) er "
            f"importens oplysning, ikke noget ledgeren har bevidnet; ophør {effective}. "
            "Kontrollér varslet i kildematerialet: en valgfri retningslinje kan opsiges med "
            "tre måneders varsel, procedure- og skal-retningslinjer kan ikke opsiges "
            "(rammeaftalen § 8).",
            f"Termination {ref(ended)} of guideline {guideline} was imported: that notice was "
            f"given on {ended.day} (earliest end {earliest}, {months} months) is the "
            f"importer's word, not something the ledger witnessed; it ends {effective}. Check "
            "the notice in the source records: an optional guideline may be terminated with "
            "three months' notice, procedure and mandatory guidelines cannot be terminated "
            "(framework agreement § 8).",
        )


med_14 = rule(
    "MED-14",
    "Rammeaftalen § 8",
    "high",
    "Beslutning mod gældende retningslinje",
    "Decision against a guideline in force",
)(_med_14)


med_16 = rule(
    "MED-16",
    "Rammeaftalen § 8",
    "high",
    "Opsigelse af retningslinje uden bevidnet varsel",
    "Guideline terminated without witnessed notice",
)(_med_16)
