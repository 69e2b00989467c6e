"""The read models' words in Danish and English (DESIGN.md section 2).

Danish comes first everywhere: it is the users' language and the CLI's
default; English is for auditors and others outside Denmark.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")

Words = dict[str, tuple[str, str]]

MONTHS: dict[Lang, tuple[str, ...]] = {
    "da": (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
"""The months' names, January first: dates are written in words in both languages."""

EVENT_TYPES: Words = {
    "LedgerCreated": ("Ledger oprettet", "Ledger created"),
    "ImportCompleted": ("Import afsluttet", "Import completed"),
    "PersonEnrolled": ("Person tilmeldt", "Person enrolled"),
    "KeyAdded": ("Nøgle tilføjet", "Key added"),
    "KeyRevoked": ("Nøgle tilbagekaldt", "Key revoked"),
    "BodyEstablished": ("Udvalg oprettet", "Body established"),
    "BodyDissolved": ("Udvalg nedlagt", "Body dissolved"),
    "MemberAppointed": ("Medlem udpeget", "Member appointed"),
    "MemberLeft": ("Medlem udtrådt", "Member left"),
    "MatterOpened": ("Sag oprettet", "Matter opened"),
    "MaterialShared": ("Materiale delt", "Material shared"),
    "ConsultationOpened": ("Inddragelse indledt", "Consultation opened"),
    "MeetingHeld": ("Møde afholdt", "Meeting held"),
    "MinutesApproved": ("Referat godkendt", "Minutes approved"),
    "PositionStated": ("Holdning fremsat", "Position stated"),
    "ProposalSubmitted": ("Forslag stillet", "Proposal submitted"),
    "DisagreementRecorded": ("Uenighed noteret", "Disagreement recorded"),
    "DisagreementAnswered": ("Uenighed besvaret", "Disagreement answered"),
    "CompromiseProposed": ("Kompromis foreslået", "Compromise proposed"),
    "CompromiseAccepted": ("Kompromis accepteret", "Compromise accepted"),
    "CompromiseRejected": ("Kompromis afvist", "Compromise rejected"),
    "AgreementReached": ("Aftale indgået", "Agreement reached"),
    "HearingOpened": ("Høring sendt ud", "Hearing opened"),
    "HearingResponseSubmitted": ("Høringssvar afgivet", "Hearing response submitted"),
    "DecisionMade": ("Beslutning truffet", "Decision made"),
    "ReferredToPolitics": ("Sendt til politisk behandling", "Referred to politics"),
    "PoliticalDecisionRecorded": ("Politisk beslutning", "Political decision recorded"),
    "ConsultationAcknowledged": ("Inddragelse kvitteret", "Consultation acknowledged"),
    "EscalatedToBody": ("Sendt videre", "Escalated"),
    "BreachClaimed": ("Brud påberåbt", "Breach claimed"),
    "BreachResolved": ("Brudsag afgjort", "Breach resolved"),
    "DecisionCommunicated": ("Beslutning meddelt", "Decision communicated"),
    "MatterClosed": ("Sag lukket", "Matter closed"),
    "MatterWithdrawn": ("Sag trukket tilbage", "Matter withdrawn"),
    "CorrectionIssued": ("Rettelse", "Correction issued"),
    "PayloadRedacted": ("Indhold slettet", "Payload redacted"),
}

SIDES: Words = {
    "management": ("ledelsessiden", "management side"),
    "employees": ("medarbejdersiden", "employee side"),
}

ROLES: Words = {
    "chair": ("formand", "chair"),
    "vice_chair": ("næstformand", "vice-chair"),
    "tr": ("TR", "union rep."),
    "amr": ("AMR", "work env. rep."),
    "secretary": ("sekretær", "secretary"),
    "substitute": ("stedfortræder", "substitute"),
    "member": ("medlem", "member"),
}

STANCES: Words = {
    "support": ("støtter", "supports"),
    "support_with_changes": ("støtter med ændringer", "supports with changes"),
    "oppose": ("er imod", "opposes"),
    "abstain": ("undlader", "abstains"),
}

TREATMENTS: Words = {
    "adopted": ("fulgt", "adopted"),
    "partly_adopted": ("delvist fulgt", "partly adopted"),
    "not_adopted": ("ikke fulgt", "not adopted"),
}

INVOLVEMENT_KINDS: Words = {
    "informed": ("informeret", "informed"),
    "consulted": ("inddraget", "consulted"),
    "heard": ("i høring", "heard"),
    "present": ("til stede", "present"),
    "absent": ("fraværende", "absent"),
    "acted": ("handlede", "acted"),
}

PARTS: Words = {
    "decided": ("besluttede", "decided"),
    "agreed": ("enig", "agreed"),
    "dissented": ("uenig", "dissented"),
    "consulted": ("inddraget uden holdning", "consulted without a position"),
    "absent": ("fraværende", "absent"),
    "informed": ("informeret", "informed"),
}

SEVERITIES: Words = {
    "high": ("høj", "high"),
    "medium": ("middel", "medium"),
    "low": ("lav", "low"),
}

STATUSES: Words = {
    "open": ("åben", "open"),
    "decided": ("besluttet", "decided"),
    "closed": ("lukket", "closed"),
    "withdrawn": ("trukket tilbage", "withdrawn"),
}

INFLUENCE_LEVELS: Words = {
    "information": ("information", "information"),
    "discussion": ("drøftelse", "discussion"),
    "codetermination": ("medbestemmelse", "co-determination"),
}

CATEGORIES: Words = {
    "budget": ("budget", "budget"),
    "reorganisation": ("omorganisering", "reorganisation"),
    "work_environment": ("arbejdsmiljø", "work environment"),
    "guideline": ("retningslinje", "guideline"),
    "personnel_policy": ("personalepolitik", "personnel policy"),
    "technology": ("teknologi", "technology"),
    "other": ("andet", "other"),
}

RESOLUTIONS: Words = {
    "withdrawn": ("trukket tilbage", "withdrawn"),
    "remedied": ("rettet op af ledelsen", "remedied by management"),
    "compensated": ("godtgjort", "compensated"),
    "reprimand": ("påtale", "reprimand"),
    "fine": ("bod", "fine"),
    "rejected": ("afvist", "rejected"),
    "agreed": ("enighed", "agreed"),
}

REMEDIES: Words = {
    "decision_withdrawn": ("beslutningen trækkes tilbage", "the decision is withdrawn"),
    "decision_reopened": (
        "beslutningen genåbnes og behandles i MED",
        "the decision is reopened and taken through MED",
    ),
}

DISPUTE_LEVELS: Words = {
    "local": ("det lokale udvalg", "the local body"),
    "hovedmed": ("HovedMED", "HovedMED"),
    "central_parties": ("de centrale parter", "the central parties"),
    "arbitration": ("faglig voldgift", "arbitration"),
}


DETAILS: Words = {
    **STANCES,
    **SIDES,
    **RESOLUTIONS,
    "adequate_time": ("tilstrækkelig tid", "adequate time"),
    "inadequate_time": ("ikke tilstrækkelig tid", "not adequate time"),
    "management_prerogative": ("ledelsesret", "management prerogative"),
    "legitimate_difference": ("legitim interesseforskel", "legitimate difference of interest"),
}
"""The one-word details of an act (``projections.read_models.timeline.act_detail``)."""


def word(words: Words, key: str | None, lang: Lang) -> str:
    """The word for ``key`` in ``lang``; the key itself when there is none."""
    if key is None:
        return ""
    pair = words.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "da" else pair[1]


def roles_text(roles: str | tuple[str, ...] | list[str], lang: Lang) -> str:
    """Comma-separated roles in ``lang``."""
    items = roles.split(",") if isinstance(roles, str) else list(roles)
    return ", ".join(word(ROLES, r, lang) for r in items if r)
