"""The findings read model: the rulebook's findings per matter, shown as time passes.

``rm_findings`` holds every finding the rulebook gives for each matter as
of the read model's position, each with ``due_at``: the moment it counts.
A query shows the findings due at the reference time: the latest claimed
time in the ledger (as of the position asked about) unless an explicit
``now`` is given.  So a finding that waits for time to pass (minutes not
approved within 14 days) appears without any new event in its matter,
and a finding disappears as soon as the event that settles it is folded in.

Findings of an organisation rule (MED-15: a body over a calendar year) are
stored under matter ``""`` (``organisation_rows``) and shown with an empty
``matter_title``; the rule switches itself off per body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ledger.errors import BodyNotFoundError, RuleNotFoundError
from projections.facts.encoding import fixed_time
from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource
from projections.read_models.timeline import body_names
from projections.rulebook.book import RULEBOOK
from projections.rulebook.organisation import OrganisationRule
from projections.rulebook.rule import Finding
from projections.vocabulary import Lang


def matter_rows(origin: str, matter: MatterFacts, registry: RegistryView) -> dict[str, list[Row]]:
    """The ``rm_findings`` rows of one matter."""
    return {"rm_findings": [_row(origin, f) for f in RULEBOOK.evaluate(matter, registry)]}


def organisation_rows(
    origin: str, registry: RegistryView, latest: datetime | None
) -> dict[str, list[Row]]:
    """The ``rm_findings`` rows of the organisation rules (matter ``""``)."""
    found = [
        f
        for rule in RULEBOOK
        if isinstance(rule, OrganisationRule)
        for f in rule.organisation_findings(registry, latest)
    ]
    return {"rm_findings": [_row(origin, f) for f in sorted(found, key=lambda f: (f.rule, f.key))]}


def _row(origin: str, f: Finding) -> Row:
    return {
        "origin": origin,
        "matter": f.matter,
        "rule": f.rule,
        "key": f.key,
        "severity": f.severity,
        "body": f.body,
        "due_at": fixed_time(f.due),
        "evidence": "[" + ",".join(f"[{e.seq},{e.leaf}]" for e in f.evidence) + "]",
        "imported": any(e.imported for e in f.evidence),
        "explanation_da": f.explanation_da,
        "explanation_en": f.explanation_en,
    }


# --- the query -----------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceEvent:
    seq: int
    leaf_index: int


@dataclass(frozen=True)
class FindingView:
    rule: str
    key: str
    """Which finding of the rule in the matter (a rule may find several): with ``matter``
    and ``rule`` it names the finding while it stands."""
    title: str
    severity: str
    ground: str
    """What the rule rests on (``Rammeaftalen § 8``, ``lokal regel (forretningsorden)``)."""
    matter: str
    matter_title: str
    body: str
    body_name: str
    due_at: str
    evidence: list[EvidenceEvent]
    imported: bool
    explanation: str


@dataclass(frozen=True)
class FindingsReport:
    origin: str
    as_of: int
    reference_time: str
    findings: list[FindingView]


def normalise_rule(rule: str) -> str:
    """``med-4`` or ``MED-04`` -> ``MED-04``; raises RuleNotFoundError."""
    text = rule.strip().upper()
    if text.startswith("MED-") and text[4:].isdigit():
        text = f"MED-{int(text[4:]):02d}"
    if text not in RULEBOOK:
        raise RuleNotFoundError(
            f"no rule {rule!r} in the MED rulebook ({RULEBOOK.ids[0]} to {RULEBOOK.ids[-1]})",
            rule=rule,
        )
    return text


def findings(
    source: RowSource,
    origin: str,
    *,
    body: str | None = None,
    rule: str | None = None,
    matter: str | None = None,
    now: datetime | None = None,
    lang: Lang = "da",
) -> FindingsReport:
    """The findings due at the reference time, by matter, rule and key.

    Raises BodyNotFoundError for an unknown ``body`` and RuleNotFoundError
    for a rule not in the rulebook.
    """
    names = body_names(source, origin)
    if body is not None and body not in names:
        raise BodyNotFoundError(f"no body {body!r} in {origin}", body=body)
    wanted_rule = None if rule is None else normalise_rule(rule)
    tracking = source.tracking(origin, ReadModel.FINDINGS)
    reference = fixed_time(now) if now is not None else tracking.latest_time
    filters: dict[str, object] = {}
    if body is not None:
        filters["body"] = body
    if wanted_rule is not None:
        filters["rule"] = wanted_rule
    if matter is not None:
        filters["matter"] = matter
    titles: Mapping[str, str] = {r["matter"]: r["title"] for r in source.rows("rm_matters", origin)}
    shown = [
        finding_view(r, lang, titles, names)
        for r in source.rows("rm_findings", origin, **filters)
        if r["due_at"] <= reference
    ]
    return FindingsReport(origin, tracking.position, reference, shown)


def finding_view(
    r: Row, lang: Lang, titles: Mapping[str, str], names: Mapping[str, str]
) -> FindingView:
    """One stored finding as shown, titled by its rule in ``lang``."""
    return FindingView(
        rule=r["rule"],
        key=r["key"],
        title=RULEBOOK[r["rule"]].title(lang),
        severity=r["severity"],
        ground=RULEBOOK[r["rule"]].ground,
        matter=r["matter"],
        matter_title=titles.get(r["matter"], r["matter"]),
        body=r["body"],
        body_name=str(names.get(r["body"], r["body"])),
        due_at=r["due_at"],
        evidence=[EvidenceEvent(int(s), int(leaf)) for s, leaf in _pairs(r["evidence"])],
        imported=bool(r["imported"]),
        explanation=r["explanation_da"] if lang == "da" else r["explanation_en"],
    )


def _pairs(text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in json.loads(text)]
