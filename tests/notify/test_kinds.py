"""Each kind reaches the right people, and a rebuild of the read models never mails again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from demo.organisation import ManualClock
from ledger.domain import events as ev
from ledger.storage.store import Store
from notify.preferences import Preferences, save_preferences
from projections.runner.projector import Projector
from tests.notify.conftest import EVERYONE, Mail, address
from tests.notify.smtp_server import text_of
from tests.stories.matter import Matter
from tests.stories.school import hovedmed_meeting, school_structure

MINUTES = "cd" * 32
DOCUMENT = ev.Document(title="Høringsoplæg", sha256="ab" * 32)


def immediate(mail: Mail) -> None:
    for person in EVERYONE:
        save_preferences(
            mail.notifier.deliveries, mail.org.origin, person, Preferences("immediate")
        )


def opened_with_mail_at_once(mail: Mail, clock: ManualClock) -> Matter:
    """Everyone wants their mail at once; the director opens the school-structure matter."""
    immediate(mail)
    matter = Matter(mail.org, "skolestruktur")
    matter.act("direktor", school_structure(clock))
    return matter


def texts(mail: Mail, person: str) -> str:
    return "\n".join(text_of(m) for m in mail.mailbox.to(address(person)))


def test_a_meeting_tells_the_body_and_asks_its_chairs_to_approve_the_minutes(
    mail: Mail, clock: ManualClock
) -> None:
    matter = opened_with_mail_at_once(mail, clock)
    mail.run()
    matter.act("sekretaer", hovedmed_meeting(clock, MINUTES))
    clock.advance(minutes=5)
    mail.run()
    approve = "Referatet fra mødet i HovedMED om Ny skolestruktur venter på din godkendelse"
    assert approve in texts(mail, "direktor") and approve in texts(mail, "tr")  # chair, vice-chair
    assert approve not in texts(mail, "amr")
    assert "Møde i HovedMED om Ny skolestruktur" in texts(mail, "amr")
    assert mail.mailbox.to(address("leder")) == []


def test_the_claimant_hears_of_the_answer_and_of_the_deadline(
    mail: Mail, clock: ManualClock
) -> None:
    matter = opened_with_mail_at_once(mail, clock)
    disagreement = matter.act("tr", ev.DisagreementRecorded(body="hmed", points=["For stramt."]))
    matter.act("tr", ev.BreachClaimed(body="hmed", concerns=1, text="Ikke drøftet."))
    matter.act(
        "direktor",
        ev.DisagreementAnswered(disagreement=int(disagreement["seq"]), response="Vi rykker."),
    )
    mail.run()
    assert "Din uenighed eller dit krav i Ny skolestruktur er besvaret" in texts(mail, "tr")
    assert "besvaret" not in texts(mail, "amr")
    # The claim's month runs out on 5 February: tr hears of it on the 3rd, in the morning.
    clock.now = datetime(2026, 2, 3, 5, 59, tzinfo=UTC)
    mail.run()
    assert "udløber" not in texts(mail, "tr")
    clock.now += timedelta(minutes=1)
    mail.run()
    assert "Fristen for dit krav om brud på informationspligten i Ny skolestruktur" in texts(
        mail, "tr"
    )


def test_a_rebuild_of_the_read_models_sends_nothing_again(mail: Mail, clock: ManualClock) -> None:
    opened_with_mail_at_once(mail, clock)
    mail.run()
    before = len(mail.mailbox.received)
    assert before == 3
    mail.projector.rebuild(origin=mail.org.origin)
    mail.run()
    clock.advance(days=1)
    mail.run()
    assert len(mail.mailbox.received) == before


def test_a_rebuild_plans_no_notice_again_not_even_one_removed_since(
    mail: Mail, store: Store, clock: ManualClock
) -> None:
    """The outbox records how far it planned; a rebuild folds the log again below that
    point without planning, so it costs nothing there and brings back nothing removed."""
    matter = Matter(mail.org, "skolestruktur")
    matter.act("direktor", school_structure(clock))
    mail.projector.catch_up_ledger(mail.org.origin)
    outbox = mail.projector.outbox
    info = mail.org.service.ledger_info(mail.org.origin)
    assert info is not None
    size = info.tree_size
    assert outbox.planned_through(mail.org.origin) == size
    where = outbox.table.c.origin == mail.org.origin
    with store.write() as session:
        assert session.execute(select(func.count()).where(where)).scalar_one() > 0
        session.execute(delete(outbox.table).where(where))
    Projector(store).rebuild(origin=mail.org.origin)
    with store.read() as session:
        assert session.execute(select(func.count()).where(where)).scalar_one() == 0
    matter.act("direktor", ev.MaterialShared(bodies=["hmed"], documents=[DOCUMENT]))
    mail.projector.catch_up_ledger(mail.org.origin)
    with store.read() as session:
        assert session.execute(select(func.count()).where(where)).scalar_one() > 0
    assert outbox.planned_through(mail.org.origin) == size + 1


def test_a_finding_falling_due_reaches_the_bodys_chairs_and_the_auditors(
    mail: Mail, clock: ManualClock
) -> None:
    matter = opened_with_mail_at_once(mail, clock)
    matter.act("sekretaer", hovedmed_meeting(clock, MINUTES))
    mail.run()
    assert "MED-12" not in texts(mail, "revisor")
    clock.advance(days=16)  # the minutes were not approved within 14 days
    mail.run()
    due = "Fundet MED-12 er forfaldent i HovedMED: Ny skolestruktur"
    assert due in texts(mail, "revisor") and due in texts(mail, "direktor")
    assert due not in texts(mail, "amr")


def test_a_hearing_reaches_the_bodies_it_asks(mail: Mail, clock: ManualClock) -> None:
    matter = opened_with_mail_at_once(mail, clock)
    matter.act("direktor", ev.HearingOpened(bodies=["lmed"], respond_by=clock.date(days=21)))
    mail.run()
    heard = "LokalMED Skole høres i Ny skolestruktur; svar senest 26. januar 2026"
    assert heard in texts(mail, "leder") and heard in texts(mail, "tr-lokal")
    assert "høres" not in texts(mail, "tr")
    assert mail.mailbox.to(address("udenfor")) == []
