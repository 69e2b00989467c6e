"""The Ballerup demo ledger from the SDK's side: its people's clients and the economy
chief's matters in Område-MED Økonomi."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from benchmarks.matters import matter_opened
from cli.key_files import load_person_key
from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient
from ledger.domain import events as ev
from ledger.service.application import system_clock
from tests.web.conftest import DemoSite

ORIGIN = "ledger.example/ballerup"


def day(days: int) -> str:
    """The date ``days`` from today, as forms and events write it."""
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def client(site: DemoSite, who: str = "okonomichef") -> LedgerClient:
    """``who`` of Ballerup, with the demo's key file, over HTTP to ``site``."""
    key = load_person_key(site.key_file("ballerup", who))
    return LedgerClient(
        HttpTransport(site.url, key=key), key, ORIGIN, clock=system_clock, ledger="ballerup"
    )


def okonomi_matter(
    title: str,
    description: str,
    category: ev.Category = "reorganisation",
    influence_level: ev.InfluenceLevel = "discussion",
    days: int = 30,
) -> ev.MatterOpened:
    """A matter the economy chief opens in Område-MED Økonomi, to decide in ``days`` days."""
    return matter_opened(
        title,
        description,
        category,
        day(days),
        body="bal-okonomi",
        decision_maker="okonomichef",
        influence_level=influence_level,
    )
