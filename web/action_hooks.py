"""A hook for an action whose form, payload and words are its own (``web/actions.py``).

Most actions on a matter are a few fields the shared form knows.  An action
that needs more (a meeting's attendance, read from the body's membership on
the meeting's day; the minutes' digest computed in the browser) brings its
own: the fields' template, what that template needs, how the form becomes
the payload and how the payload is said in plain words.  Such an action
still goes through the one signing pipeline: the words, the confirm panel
(with its dry run) and the signature in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from ledger.domain.state import LedgerState
from web.context import Site
from web.i18n import Lang
from web.session import Session

PayloadHook = Callable[[dict[str, str]], dict[str, Any]]
"""The payload a filled-in form stands for (not yet checked against the schema)."""
WordsHook = Callable[[dict[str, Any], LedgerState, str, Lang], str]
"""What the person signs, after "Du underskriver:" (payload, state, matter, language)."""
ContextHook = Callable[[Request, Site, Session, str], dict[str, Any]]
"""What the fields' template needs (request, site, session, matter); may raise as a page."""


@dataclass(frozen=True)
class ActionHooks:
    payload: PayloadHook
    words: WordsHook
    template: str
    """The form's fields, included by ``action.html``."""
    context: ContextHook
    scripts: tuple[str, ...] = ()
    """Further ES modules the form loads (from ``/static/js``), before ``sign.js``."""
