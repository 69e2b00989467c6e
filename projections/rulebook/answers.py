"""Rules on answering what MED said: MED-04 (disagreements), MED-05 (inputs), MED-10 (proposals).

Good practice, not a breach of the agreement (severity low): co-responsibility
(medansvar) asks that management answers a disagreement before deciding, and
reports back on how the employees' views and proposals were treated: § 7,
stk. 2 wants them in the basis for the decision, and stk. 3 has management
report back on them (docs/RULEBOOK.md says what was read of each).  A disagreement is answered by a
``DisagreementAnswered``; a position, proposal or hearing response is
treated by a decision that names it among its ``inputs``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.domain import events as ev
from ledger.domain.groupings import INPUTS_TO_ADDRESS
from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.rule import Flag, RuleSettings, cited, ref, rule
from projections.rulebook.sequence import first_after
from projections.vocabulary import EVENT_TYPE_WORDS, word


def _med_04(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Unanswered disagreement: a disagreement with no answer logged before the first
    decision after it (an answer given after the decision does not change that it was
    decided with the disagreement open)."""
    answers = {f.data.disagreement: f for f in matter.typed(ev.DisagreementAnswered)}
    decisions = matter.typed(ev.DecisionMade)
    for disagreement in matter.typed(ev.DisagreementRecorded):
        decision = first_after(decisions, disagreement.seq)
        if decision is None:
            continue
        answer = answers.get(disagreement.seq)
        if answer is not None and answer.seq < decision.seq:
            continue
        body = disagreement.data.body
        name = registry.body_name(body)
        if answer is None:
            still_da, still_en = ", og er det stadig", ", and still is"
        else:
            still_da = f"; den blev først besvaret bagefter ({ref(answer)})"
            still_en = f"; it was answered only afterwards ({ref(answer)})"
        yield Flag(
            f"disagreement-{disagreement.seq}",
            body,
            cited(disagreement, decision, answer),
            f"Uenigheden {ref(disagreement)} i {name} var ubesvaret, da beslutningen "
            f"{ref(decision)} blev truffet{still_da}.",
            f"Disagreement {ref(disagreement)} in {name} was unanswered when decision "
            f"{ref(decision)} was made{still_en}.",
        )


med_04 = rule(
    "MED-04",
    "medansvar (god praksis)",
    "low",
    "Ubesvaret uenighed ved beslutningen",
    "Disagreement unanswered at the decision",
)(_med_04)


def _med_05(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Input not addressed: a position, proposal or hearing response made before a
    decision that no later decision names among its inputs."""
    decisions = matter.typed(ev.DecisionMade)
    for given in matter.among(INPUTS_TO_ADDRESS):
        later = [d for d in decisions if d.seq > given.seq]
        if not later:
            continue
        if any(given.seq in matter.treated_inputs(d) for d in later):
            continue
        body = given.get("body", matter.responsible_body)
        name = registry.body_name(body)
        kind_da = word(EVENT_TYPE_WORDS, given.type, "da").lower()
        kind_en = word(EVENT_TYPE_WORDS, given.type, "en").lower()
        yield Flag(
            f"input-{given.seq}",
            body,
            [given, later[-1]],
            f"{ref(given)} ({kind_da}, {name}) kom før beslutningen {ref(later[-1])}, men "
            "beslutningen siger ikke, hvordan det er behandlet.",
            f"{ref(given)} ({kind_en}, {name}) came before decision {ref(later[-1])}, but the "
            "decision does not say how it was treated.",
        )


med_05 = rule(
    "MED-05",
    "god praksis (medansvar); jf. Rammeaftalen § 7, stk. 2-3",
    "low",
    "Input ikke behandlet",
    "Input not addressed",
)(_med_05)


def _med_10(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Proposal unanswered: a proposal from MED not treated in any decision when the
    hearing opened or the matter went to politics."""
    gates = matter.typed(ev.HearingOpened, ev.ReferredToPolitics)
    for proposal in matter.typed(ev.ProposalSubmitted):
        gate = first_after(gates, proposal.seq)
        if gate is None:
            continue
        decisions = [f for f in matter.typed(ev.DecisionMade) if proposal.seq < f.seq < gate.seq]
        if any(proposal.seq in matter.treated_inputs(d) for d in decisions):
            continue
        body = proposal.data.body
        name = registry.body_name(body)
        hearing = gate.is_(ev.HearingOpened)
        gate_da = "høringen" if hearing else "den politiske behandling"
        gate_en = "the hearing opened" if hearing else "it went to politics"
        yield Flag(
            f"proposal-{proposal.seq}",
            body,
            [proposal, gate],
            f"Forslaget {ref(proposal)} fra {name} var ikke behandlet i nogen beslutning, "
            f"da sagen gik videre til {gate_da} ({ref(gate)}).",
            f"Proposal {ref(proposal)} from {name} had not been treated in any decision when "
            f"{gate_en} ({ref(gate)}).",
        )


med_10 = rule(
    "MED-10",
    "god praksis (medansvar); jf. Rammeaftalen § 7, stk. 2-3",
    "low",
    "Forslag fra MED ubehandlet",
    "Proposal from MED untreated",
)(_med_10)
