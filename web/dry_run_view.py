"""The dry run shown before anyone signs: the findings an event would raise or close.

Every signing form asks, with the event's words, for the dry run of exactly
that payload by that person: the API's own route
(``api.routers.dry_run.dry_run_event``) under the same guard as
``POST /v1/ledgers/{ledger}/dry-run``, so a page never says more than the
API would answer the same person.  This module only puts the answer into
plain words: "Beslutningen vil udløse MED-04: …", each with a link to the
rule and its ground, or the refusal a real append would give, by its code.
"""

from __future__ import annotations

from typing import Any

from api.access import Access
from api.deps import ApiContext
from api.read_schemas import DryRunOut
from api.routers.dry_run import dry_run_event
from api.schemas import DryRunIn
from projections.read_models.findings import FindingView
from projections.read_models.forecast import Upcoming
from web.i18n import Lang, catalogue, message
from web.session import Session


def dry_run_words(
    context: ApiContext,
    session: Session,
    stream: str,
    event_type: str,
    payload: dict[str, Any],
    lang: Lang,
) -> dict[str, Any]:
    """The dry run of ``payload`` signed now by the session's person, in plain words.

    ``admitted`` false comes with the ``refusal`` (code, message, the words
    for it); signing is then pointless.  Otherwise ``raised`` and ``closed``
    list the findings with their words and the link to their rule, and
    ``upcoming`` the findings the matter would have fall due later.
    """
    answer = dry_run_event(
        DryRunIn(stream=stream, type=event_type, payload=payload),
        Access(session.reader, session.state),
        context,
        lang,
    )
    return plain(answer, event_type, session.ledger, lang)


def plain(answer: DryRunOut, event_type: str, ledger: str, lang: Lang) -> dict[str, Any]:
    """The dry run ``answer`` as the confirm panel shows it."""
    if not answer.admitted:
        refusal = answer.refusal
        code = refusal.code if refusal is not None else "refused"
        detail = refusal.message if refusal is not None else ""
        return {
            "admitted": False,
            "refusal": {"code": code, "message": detail},
            "text": message(lang, "dryrun.refused", code=code, reason=_refusal(code, detail, lang)),
        }
    noun = _noun(event_type, lang)
    raised = [_line("dryrun.raises", noun, f, ledger, lang) for f in answer.raised]
    closed = [_line("dryrun.closes", noun, f, ledger, lang) for f in answer.closed]
    upcoming = [_later(u, ledger, lang) for u in answer.upcoming]
    return {
        "admitted": True,
        "raised": raised,
        "closed": closed,
        "upcoming": upcoming,
        "text": message(lang, "dryrun.nothing" if not raised and not closed else "dryrun.some"),
    }


def rule_link(ledger: str, rule: str) -> str:
    """Where a rule is stated with its ground (the rulebook page, at the rule)."""
    return f"/l/{ledger}/regler#{rule}"


def _noun(event_type: str, lang: Lang) -> str:
    key = f"dryrun.noun.{event_type}"
    return message(lang, key if key in catalogue(lang) else "dryrun.noun")


def _refusal(code: str, detail: str, lang: Lang) -> str:
    key = f"refusal.{code}"
    return message(lang, key) if key in catalogue(lang) else detail


def _line(key: str, noun: str, found: FindingView, ledger: str, lang: Lang) -> dict[str, Any]:
    return {
        "rule": found.rule,
        "severity": found.severity,
        "title": found.title,
        "ground": found.ground,
        "matter": found.matter,
        "text": message(lang, key, noun=noun, rule=found.rule, explanation=found.explanation),
        "link": rule_link(ledger, found.rule),
        "link_text": message(lang, "dryrun.rule_link", rule=found.rule, ground=found.ground),
    }


def _later(upcoming: Upcoming, ledger: str, lang: Lang) -> dict[str, Any]:
    found = upcoming.finding
    return {
        "rule": found.rule,
        "text": message(
            lang,
            "dryrun.later",
            rule=found.rule,
            days=upcoming.days_left,
            explanation=found.explanation,
        ),
        "link": rule_link(ledger, found.rule),
        "link_text": message(lang, "dryrun.rule_link", rule=found.rule, ground=found.ground),
    }
