"""The catalogues, Danish dates and the plain words of each signed action (no browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from api.errors import MalformedRequestError
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from web.actions import ACTIONS, checked_payload, words
from web.i18n import catalogue, format_date, format_number, format_time, merge_catalogue_files
from web.render import safe_next

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def test_both_catalogues_hold_the_same_keys_with_the_same_placeholders() -> None:
    da, en = catalogue("da"), catalogue("en")
    assert set(da) == set(en)
    for key in da:
        assert set(re.findall(r"{(\w+)}", da[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_literal_key_a_template_asks_for_is_in_the_catalogue() -> None:
    asked = set()
    for template in TEMPLATES.glob("*.html"):
        asked |= set(re.findall(r"""\bt\(["']([a-z0-9_.]*[a-z0-9_])["']""", template.read_text()))
    assert asked and asked <= set(catalogue("da")), asked - set(catalogue("da"))


def test_dates_and_numbers_in_danish_and_english() -> None:
    assert format_date("2026-03-01", "da") == "1. marts 2026"
    assert format_date("2026-03-01", "en") == "1 March 2026"
    # Local time in Copenhagen: UTC+1 in winter, UTC+2 in summer.
    assert format_time("2026-01-05T09:00:00Z", "da") == "5. januar 2026 kl. 10.00"
    assert format_time("2026-07-05T09:00:00Z", "en") == "5 July 2026, 11:00"
    assert format_number(12345, "da") == "12.345"
    assert format_number(12345, "en") == "12,345"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "\\\\x", "", None])
def test_going_on_never_leaves_the_site(target: str | None) -> None:
    assert safe_next(target) == "/"


MEETING = {
    "body": "bal-okonomi",
    "date": "2026-03-01",
    "agenda_item": "Punkt 1",
    "att-tr-okonomi": "present",
    "att-amr-okonomi": "excused",
    "att-okonomichef": "absent",
    "minutes_sha256": "ab" * 32,
}
"""A meeting form: one present, one excused, one absent."""


def test_the_words_of_every_action_say_what_is_signed(demo_state: LedgerState) -> None:
    meeting, held = next(
        (seq, info.payload)
        for seq, info in demo_state.matters["okonomi-4mio"].events.items()
        if isinstance(info.payload, ev.MeetingHeld)
    )
    assert held.minutes_sha256 is not None
    minutes = {"meeting": str(meeting), "minutes_sha256": held.minutes_sha256}
    forms = {
        "position": {
            "body": "bal-okonomi",
            "side": "employees",
            "stance": "oppose",
            "text": "Nej.",
        },
        "disagreement": {"body": "bal-okonomi", "points": "A\nB", "legitimate_difference": "yes"},
        "compromise": {"body": "bal-okonomi", "terms": "Halvdelen."},
        "accept": {"proposal": "3", "side": "employees"},
        "proposal": {"body": "bal-okonomi", "title": "Forslag", "text": "Gør sådan."},
        "hearing": {"body": "bal-okonomi", "text": "Svar."},
        "acknowledge": {"body": "bal-okonomi", "adequate_time": "no"},
        "breach": {"body": "bal-okonomi", "concerns": "2", "text": "Ikke drøftet."},
        "meeting": MEETING,
        "approve": minutes,
        "publish": {**minutes, "channel": "Intranettet"},
    }
    # Every action but those that build their own payload (checked in test_manage_words.py).
    assert set(forms) == {name for name, action in ACTIONS.items() if action.build is None}
    for name, form in forms.items():
        payload = checked_payload(ACTIONS[name], form)
        said = words(ACTIONS[name], payload, demo_state, "okonomi-4mio", "da")
        assert said.startswith("Du underskriver: "), said
        assert "{" not in said, said
    breach = checked_payload(ACTIONS["breach"], forms["breach"])
    assert breach == {"body": "bal-okonomi", "concerns": 2, "text": "Ikke drøftet."}
    acknowledged = checked_payload(ACTIONS["acknowledge"], forms["acknowledge"])
    assert acknowledged == {"body": "bal-okonomi", "adequate_time": False}


def test_a_meeting_records_apologies_as_absent_and_signs_the_minutes_digest(
    demo_state: LedgerState,
) -> None:
    form = {**MEETING, "minutes_sha256": "AB" * 32}
    payload = checked_payload(ACTIONS["meeting"], form)
    assert payload["present"] == ["tr-okonomi"]
    assert payload["absent"] == ["amr-okonomi", "okonomichef"]
    assert payload["minutes_sha256"] == "ab" * 32
    said = words(ACTIONS["meeting"], payload, demo_state, "okonomi-4mio", "en")
    assert "Absent (apologies included): amr-okonomi, okonomichef." in said
    without = checked_payload(ACTIONS["meeting"], {**form, "minutes_sha256": ""})
    assert "minutes_sha256" not in without
    with pytest.raises(MalformedRequestError) as refused:
        checked_payload(ACTIONS["approve"], {"meeting": "3", "minutes_sha256": "not a digest"})
    assert refused.value.details["fields"] == ["minutes_sha256"]


def test_an_approval_at_a_later_meeting_words_that_meeting(demo_state: LedgerState) -> None:
    meetings = [
        (seq, info.payload)
        for seq, info in demo_state.matters["okonomi-4mio"].events.items()
        if isinstance(info.payload, ev.MeetingHeld)
    ]
    (meeting, held), (later, _) = meetings[0], meetings[-1]
    assert held.minutes_sha256 is not None
    form = {"meeting": str(meeting), "minutes_sha256": held.minutes_sha256}
    plain = checked_payload(ACTIONS["approve"], form)
    assert "at_meeting" not in plain
    assert "godkendes på mødet" not in words(
        ACTIONS["approve"], plain, demo_state, "okonomi-4mio", "da"
    )
    payload = checked_payload(ACTIONS["approve"], form | {"at_meeting": str(later)})
    assert payload["at_meeting"] == later
    later_day = demo_state.matters["okonomi-4mio"].events[later].payload
    assert isinstance(later_day, ev.MeetingHeld)
    da = words(ACTIONS["approve"], payload, demo_state, "okonomi-4mio", "da")
    day = format_date(later_day.date, "da")
    assert f"Referatet godkendes på mødet {day} (hændelse nr. {later})." in da, da
    en = words(ACTIONS["approve"], payload, demo_state, "okonomi-4mio", "en")
    day = format_date(later_day.date, "en")
    assert f"The minutes are approved at the meeting on {day} (event no. {later})." in en, en
    not_a_meeting = checked_payload(ACTIONS["approve"], form | {"at_meeting": "1"})
    said = words(ACTIONS["approve"], not_a_meeting, demo_state, "okonomi-4mio", "en")
    assert said.endswith("The minutes are approved at the meeting (event no. 1)."), said


def test_a_form_that_is_not_the_event_is_refused_with_its_fields() -> None:
    with pytest.raises(MalformedRequestError) as refused:
        checked_payload(ACTIONS["breach"], {"body": "bal-okonomi", "text": "Mangler concerns"})
    assert refused.value.details["fields"] == ["concerns"]


def test_a_key_defined_in_two_files_of_a_catalogue_is_refused(tmp_path: Path) -> None:
    for name, entries in (("a.json", {"x": "1", "y": "2"}), ("b.json", {"y": "3"})):
        (tmp_path / name).write_text(json.dumps(entries), "utf-8")
    with pytest.raises(ValueError, match=r"b\.json defines keys defined before: \['y'\]"):
        merge_catalogue_files("da", sorted(tmp_path.iterdir()))
