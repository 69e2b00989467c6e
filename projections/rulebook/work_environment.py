"""The rule on the annual work-environment discussion: MED-15, an organisation rule.

Arbejdsmiljøloven § 6 d and BEK nr. 1838 of 2023 (arbejdsmiljøarbejde i
virksomheden) kap. 2: once a year the employer and the work-environment
organisation hold the annual work-environment discussion (den årlige
arbejdsmiljødrøftelse).  In a MED system the body with AMR members is the
work-environment organisation at its level, so each body that had at least
one member with the role ``amr`` during a calendar year must have held a
meeting in that year marked ``annual_work_environment_discussion``
(by the meeting's date).  The finding is due at the end of the year, for
each year up to the year of the latest claimed time in the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from projections.facts.registry import RegistryView, Tenure
from projections.rulebook.organisation import enabled_for, organisation_rule
from projections.rulebook.rule import Flag, Parameters

_EVER = 2**62
"""A leaf past any log: local rules as the registry now sets them."""


def _years(tenure: Tenure, last_year: int) -> range:
    """The calendar years in which an appointment was in force, up to ``last_year``."""
    start = int((tenure.from_date or tenure.appointed_time)[:4])
    ended = tenure.until_date or tenure.left_time
    end = int(ended[:4]) if ended else last_year
    return range(start, min(end, last_year) + 1)


@organisation_rule(
    "MED-15",
    "Arbejdsmiljøloven § 6 d; BEK nr. 1838 af 2023 kap. 2",
    "medium",
    "Ingen årlig arbejdsmiljødrøftelse",
    "No annual work-environment discussion",
)
def med_15(
    registry: RegistryView, latest: datetime | None, parameters: Parameters
) -> Iterator[Flag]:
    """No annual work-environment discussion: a body that had an AMR member during a
    calendar year held no meeting marked as the annual discussion in that year."""
    if latest is None:
        return
    facts = registry.organisation
    for body in sorted(registry.tenures):
        if not enabled_for("MED-15", registry, body, _EVER):
            continue
        amr_years: dict[int, list[Tenure]] = {}
        for tenures in registry.tenures[body].values():
            for tenure in tenures:
                if "amr" in tenure.roles:
                    for year in _years(tenure, latest.year):
                        amr_years.setdefault(year, []).append(tenure)
        appointments = {e.leaf: e for e in facts.amr_appointments.get(body, [])}
        name = registry.body_name(body)
        for year, seated in sorted(amr_years.items()):
            if facts.discussions_in(body, year):
                continue
            evidence = [appointments[t.from_leaf] for t in seated if t.from_leaf in appointments]
            people = ", ".join(sorted({t.person for t in seated}))
            yield Flag(
                f"{body}-{year}",
                body,
                evidence,
                f"{name} havde arbejdsmiljørepræsentant(er) ({people}) i {year}, men holdt "
                f"ingen årlig arbejdsmiljødrøftelse det år (arbejdsmiljøloven § 6 d; "
                "BEK nr. 1838 af 2023 kap. 2).",
                f"{name} had work-environment representative(s) ({people}) in {year} but held "
                f"no annual work-environment discussion that year (Working Environment Act "
                "§ 6 d; Executive Order no. 1838 of 2023, chapter 2).",
                due=datetime(year + 1, 1, 1, tzinfo=UTC),
            )
