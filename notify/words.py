"""The words of notifications, in Danish and English: one line per kind, and a message's frame.

A line names the matter by its title only when the recipient may read the
matter (``notify.compose`` passes ``{title}`` as a neutral phrase otherwise).
"""

from __future__ import annotations

from projections.vocabulary import Lang

LINES: dict[Lang, dict[str, str]] = {
    "da": {
        "matter_opened": "Ny sag i {body}: {title}",
        "material_shared": "Materiale er delt med {body} i {title}",
        "consultation": "{body} høres i {title}; svar senest {respond_by}",
        "respond_by": "Påmindelse: svarfristen i {title} er {respond_by}",
        "meeting": "Møde i {body} om {title}",
        "minutes_approval": "Referatet fra mødet i {body} om {title} venter på din godkendelse",
        "answered": "Din uenighed eller dit krav i {title} er besvaret",
        "deadline": "Fristen for dit krav om brud på informationspligten i {title} udløber {due}",
        "finding_due": "Fundet {rule} er forfaldent i {body}: {title}",
    },
    "en": {
        "matter_opened": "New matter in {body}: {title}",
        "material_shared": "Material was shared with {body} in {title}",
        "consultation": "{body} is consulted on {title}; respond by {respond_by}",
        "respond_by": "Reminder: the respond-by date of {title} is {respond_by}",
        "meeting": "Meeting in {body} on {title}",
        "minutes_approval": "The minutes of the meeting in {body} on {title} await your approval",
        "answered": "Your disagreement or claim in {title} has been answered",
        "deadline": "The deadline of your breach claim in {title} runs out on {due}",
        "finding_due": "Finding {rule} falls due in {body}: {title}",
    },
}

KIND_NAMES: dict[Lang, dict[str, str]] = {
    "da": {
        "matter_opened": "nye sager",
        "material_shared": "delt materiale",
        "consultation": "høringer og drøftelser",
        "respond_by": "påmindelser om svarfrister",
        "meeting": "møder",
        "minutes_approval": "referater til godkendelse",
        "answered": "svar på dine uenigheder og krav",
        "deadline": "frister for dine krav",
        "finding_due": "fund, der forfalder",
    },
    "en": {
        "matter_opened": "new matters",
        "material_shared": "shared material",
        "consultation": "consultations and hearings",
        "respond_by": "respond-by reminders",
        "meeting": "meetings",
        "minutes_approval": "minutes to approve",
        "answered": "answers to your disagreements and claims",
        "deadline": "deadlines of your claims",
        "finding_due": "findings falling due",
    },
}

FRAME: dict[Lang, dict[str, str]] = {
    "da": {
        "unreadable": "en sag, du ikke kan læse",
        "organisation": "organisationen",
        "subject_one": "{ledger}: {line}",
        "subject_many": "{ledger}: {count} nyheder til dig",
        "greeting": "Hej {name}",
        "intro": "Her er nyt fra {ledger}, som vedrører dig:",
        "open": "Åbn",
        "all": "Alle dine beskeder: {link}",
        "unsubscribe": "Ønsker du ikke flere beskeder om {kind}: {link}",
        "why": "Du får denne mail, fordi du er med i MED-arbejdet i {ledger}.",
    },
    "en": {
        "unreadable": "a matter you cannot read",
        "organisation": "the organisation",
        "subject_one": "{ledger}: {line}",
        "subject_many": "{ledger}: {count} updates for you",
        "greeting": "Hello {name}",
        "intro": "Here is news from {ledger} that concerns you:",
        "open": "Open",
        "all": "All your notifications: {link}",
        "unsubscribe": "No more messages about {kind}: {link}",
        "why": "You receive this e-mail because you take part in the MED work of {ledger}.",
    },
}
