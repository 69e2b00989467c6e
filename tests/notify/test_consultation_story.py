"""A consultation reaches every member of the body and nobody else, with its reminder on time."""

from __future__ import annotations

from datetime import UTC, datetime

from demo.organisation import ManualClock
from ledger.domain import events as ev
from tests.notify.conftest import EVERYONE, Mail, address
from tests.notify.smtp_server import html_of, text_of
from tests.stories.matter import Matter
from tests.stories.school import school_structure

HMED_BUT_THE_DIRECTOR = ("sekretaer", "tr", "amr")


def consult(mail: Mail, clock: ManualClock, respond_in_days: int = 10) -> Matter:
    matter = Matter(mail.org, "skolestruktur")
    matter.act("direktor", school_structure(clock))
    matter.act(
        "direktor",
        ev.ConsultationOpened(
            body="hmed",
            question="Hvad mener HovedMED om sammenlægningen?",
            respond_by=clock.date(days=respond_in_days),
        ),
    )
    return matter


def test_the_consultation_reaches_the_body_in_the_next_mornings_digest(
    mail: Mail, clock: ManualClock
) -> None:
    consult(mail, clock)  # Monday 5 January 2026, 10:00 in Copenhagen
    assert mail.run().planned == 0  # a daily digest waits for the next morning
    clock.now = datetime(2026, 1, 6, 6, 30, tzinfo=UTC)  # 07:30 in Copenhagen
    mail.run()
    assert sorted(str(m["To"]) for m in mail.mailbox.received) == sorted(
        f"{p.title()} <{address(p)}>" for p in HMED_BUT_THE_DIRECTOR
    )
    for person in HMED_BUT_THE_DIRECTOR:
        (message,) = mail.mailbox.to(address(person))
        text = text_of(message)
        assert "Ny sag i HovedMED: Ny skolestruktur" in text
        assert "HovedMED høres i Ny skolestruktur; svar senest 15. januar 2026" in text
        assert "https://med.kommune.example/l/" in text
        assert "/sager/skolestruktur" in html_of(message)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for raw in mail.mailbox.raw:  # RFC 8058: the link as a plain URL in angle brackets
        assert b"\r\nList-Unsubscribe: <https://med.kommune.example/l/" in raw
    for person in set(EVERYONE) - set(HMED_BUT_THE_DIRECTOR):
        assert mail.mailbox.to(address(person)) == []


def test_the_respond_by_reminder_comes_two_days_before_the_date(
    mail: Mail, clock: ManualClock
) -> None:
    consult(mail, clock)  # respond by Thursday 15 January
    clock.now = datetime(2026, 1, 6, 6, 30, tzinfo=UTC)
    mail.run()
    first = len(mail.mailbox.received)
    clock.now = datetime(2026, 1, 13, 5, 59, tzinfo=UTC)  # 06:59 on the 13th: not yet
    mail.run()
    assert len(mail.mailbox.received) == first
    clock.now = datetime(2026, 1, 13, 6, 0, tzinfo=UTC)  # 07:00 in Copenhagen, the 13th
    mail.run()
    reminders = mail.mailbox.received[first:]
    assert sorted(str(m["To"]) for m in reminders) == sorted(
        f"{p.title()} <{address(p)}>" for p in HMED_BUT_THE_DIRECTOR
    )
    assert all("Påmindelse: svarfristen i Ny skolestruktur" in text_of(m) for m in reminders)
    mail.run()
    assert len(mail.mailbox.received) == first + 3  # once, not again


def test_whoever_answered_gets_no_reminder(mail: Mail, clock: ManualClock) -> None:
    matter = consult(mail, clock)
    matter.act(
        "tr",
        ev.PositionStated(body="hmed", side="employees", stance="oppose", text="Vi er imod."),
    )
    clock.now = datetime(2026, 1, 13, 6, 0, tzinfo=UTC)
    mail.run()
    assert all("Påmindelse" not in text_of(m) for m in mail.mailbox.to(address("tr")))
    assert any("Påmindelse" in text_of(m) for m in mail.mailbox.to(address("amr")))
