"""The read side names only event types and payload fields that the protocol has.

The rulebook and the read models ask for events by their model class
(``matter.typed(ev.DecisionMade)``) and read a payload as its model
(``fact.data.inputs``), so the type checker holds those reads to the event
models.  A few reads still name things by string: a field asked of events of
a grouping (``fact.get("body")`` of any event that involves a body), the
fields a dossier shows as they stand, and the web pages and notifier, which
name event types in their own words.  A rename in ``ledger.domain.events``
would leave such a string behind, asking for something no event has.  This
test reads their source and checks every such name against the event
models, so a rename fails here, at the place that still says the old name.

What counts as a name: every string constant written like an event type
(``CamelCase``), anywhere in those packages; and every constant key the
rulebook, the facts and the read models ask a payload for (``x.get("...")``,
``payload["..."]``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from ledger.domain.events import EVENT_TYPES, REGISTRY_EVENTS
from projections.vocabulary import EVENT_TYPE_WORDS

ROOT = Path(__file__).resolve().parents[2]
READ_SIDE = ("projections", "notify", "web")
PAYLOAD_READERS = ("projections/facts", "projections/rulebook", "projections/read_models")

MODELS = {**EVENT_TYPES, **REGISTRY_EVENTS}
FIELDS = {name for model in MODELS.values() for name in model.model_fields}
CAMEL_CASE = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+$")

NOT_PAYLOAD_FIELDS = {
    ("projections/facts/logged.py", "imported"): "a field of the signed envelope's body",
    ("projections/read_models/dossier.py", "informed"): "a key of the dossier's own rows",
    ("projections/read_models/dossier.py", "took_part"): "a key of the dossier's own rows",
}
"""Keys read with ``.get`` that are not payload fields, and what they are instead."""


def _trees(*roots: str) -> Iterator[tuple[str, ast.AST]]:
    for root in roots:
        for path in sorted((ROOT / root).rglob("*.py")):
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text("utf-8"))


def _asked_keys(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
            and (
                (isinstance(node.value, ast.Name) and node.value.id == "payload")
                or (isinstance(node.value, ast.Attribute) and node.value.attr == "payload")
            )
        ):
            yield node.lineno, node.slice.value


def test_every_event_type_the_read_side_names_is_one_the_protocol_has() -> None:
    unknown = [
        f"{path}:{node.lineno}: {node.value}"
        for path, tree in _trees(*READ_SIDE)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CAMEL_CASE.match(node.value)
        and node.value not in MODELS
    ]
    assert unknown == []


def test_every_payload_field_the_read_side_asks_for_is_one_an_event_has() -> None:
    asked = [
        (path, line, key)
        for path, tree in _trees(*PAYLOAD_READERS)
        for line, key in _asked_keys(tree)
    ]
    assert len(asked) > 15  # the walk finds the reads it is meant to check
    unknown = [
        f"{path}:{line}: {key}"
        for path, line, key in asked
        if key not in FIELDS and (path, key) not in NOT_PAYLOAD_FIELDS
    ]
    assert unknown == []
    where_asked = {(path, key) for path, _, key in asked}
    stale = [pair for pair in NOT_PAYLOAD_FIELDS if pair not in where_asked]
    assert stale == []


def test_every_event_type_has_a_name_in_danish_and_english() -> None:
    """Pages, receipts and the CLI name an event by its word; a type without one showed its
    code name ("MinutesPublished") in the middle of Danish."""
    assert set(EVENT_TYPE_WORDS) == set(EVENT_TYPES)
    assert all(da and en for da, en in EVENT_TYPE_WORDS.values())
