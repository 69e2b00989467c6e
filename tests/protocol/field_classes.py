"""The routing / kept / erasable fields of every matter event, as PROTOCOL.md section 9 prints them.

``python -m tests.protocol.field_classes`` prints the table; the test beside
this module checks that PROTOCOL.md shows exactly what the event models say.
"""

from __future__ import annotations

from ledger.domain import events as ev


def _names(fields: frozenset[str]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(fields)) or "—"


def rows() -> list[str]:
    """One table row per matter event type: routing, kept and erasable fields."""
    models = {**ev.MATTER_EVENTS, **ev.ANY_MATTER_EVENTS}
    return [
        f"| `{name}` | {_names(model.routing_fields())} | {_names(model.kept_fields())} "
        f"| {_names(model.erasable_fields())} |"
        for name, model in models.items()
    ]


if __name__ == "__main__":
    print("| event | routing fields | kept (rules read them) | erasable |")
    print("|---|---|---|---|")
    print("\n".join(rows()))
