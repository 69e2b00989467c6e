"""The registry's write-time rules: who may enroll, add and revoke keys, and seat members.

Every refusal names its rule with an exact error class and stable code, and
leaves the log exactly as it was.  Membership and keys are judged as of the
event's position in the log, never by wall-clock time.
"""

from __future__ import annotations

import pytest

from demo.organisation import ManualClock, Organisation
from ledger import errors
from ledger.domain import events as ev
from ledger.protocol.keys import PersonKey
from ledger.service.verification import verify_ledger
from tests.stories.log_assertions import next_submission, refused, signed_and_logged
from tests.stories.matter import Matter

REGISTRY = "registry"


def hovedmed_position(person: str) -> ev.PositionStated:
    return ev.PositionStated(
        body="hmed", side="employees", stance="oppose", text=f"{person} er imod sammenlægningen."
    )


def lokalmed_position() -> ev.PositionStated:
    return ev.PositionStated(body="lmed", side="employees", stance="support", text="Vi støtter.")


# --- people and keys -------------------------------------------------------------


def test_only_an_admin_enrolls_people(org: Organisation) -> None:
    newcomer = PersonKey.generate("nyansat")
    enrolment = ev.PersonEnrolled(
        person="nyansat", key_id=newcomer.key_id, public_key=newcomer.public_key_b64
    )

    with refused(org, errors.SignerNotAdminError, "signer_not_admin"):
        org.registry(enrolment, by="direktor")

    signed_and_logged(org, "admin", REGISTRY, enrolment)


def test_a_person_is_enrolled_only_once(org: Organisation) -> None:
    second = PersonKey.generate("tr")

    with refused(org, errors.DuplicatePersonError, "duplicate_person"):
        org.registry(
            ev.PersonEnrolled(person="tr", key_id=second.key_id, public_key=second.public_key_b64)
        )


def test_a_key_id_must_be_derived_from_its_public_key(org: Organisation) -> None:
    newcomer, other = PersonKey.generate("nyansat"), PersonKey.generate("nyansat")

    with refused(org, errors.KeyIdMismatchError, "key_id_mismatch"):
        org.registry(
            ev.PersonEnrolled(
                person="nyansat", key_id=other.key_id, public_key=newcomer.public_key_b64
            )
        )


def sloppy_base64(key: PersonKey) -> str:
    """The key's base64 with one of the two unused bits of its last character set.

    It decodes to the same 32 bytes, but it is not the one canonical spelling
    the protocol signs and hashes.
    """
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    canonical = key.public_key_b64
    return canonical[:42] + alphabet[alphabet.index(canonical[42]) ^ 1] + "="


def test_a_public_key_must_be_canonical_base64(org: Organisation) -> None:
    """The payload schema itself refuses another spelling of the same key's bytes."""
    newcomer = PersonKey.generate("nyansat")
    admin = org.client("admin")

    with refused(org, errors.MalformedPayloadError, "malformed_payload"):
        admin.append(
            "registry",
            {"person": "nyansat", "key_id": newcomer.key_id, "public_key": sloppy_base64(newcomer)},
            event_type="PersonEnrolled",
        )
    with refused(org, errors.MalformedPayloadError, "malformed_payload"):
        admin.append(
            "registry",
            {"person": "tr", "key_id": newcomer.key_id, "public_key": sloppy_base64(newcomer)},
            event_type="KeyAdded",
        )


def test_one_key_belongs_to_one_person(org: Organisation) -> None:
    union_rep_key = org.keys["tr"]

    with refused(org, errors.DuplicateKeyError, "duplicate_key"):
        org.registry(
            ev.KeyAdded(
                person="amr", key_id=union_rep_key.key_id, public_key=union_rep_key.public_key_b64
            )
        )


def test_keys_are_added_by_an_admin_for_an_enrolled_person(org: Organisation) -> None:
    spare = PersonKey.generate("tr")
    spare_key = ev.KeyAdded(person="tr", key_id=spare.key_id, public_key=spare.public_key_b64)

    with refused(org, errors.SignerNotAdminError, "signer_not_admin"):
        org.registry(spare_key, by="tr")
    with refused(org, errors.UnknownPersonError, "unknown_person"):
        org.registry(
            ev.KeyAdded(person="spoegelse", key_id=spare.key_id, public_key=spare.public_key_b64)
        )

    signed_and_logged(org, "admin", REGISTRY, spare_key)


def test_a_person_may_revoke_their_own_key_but_not_someone_elses(org: Organisation) -> None:
    own_key = org.keys["tr"].key_id
    amr_key = org.keys["amr"].key_id

    with refused(org, errors.SignerNotAdminError, "signer_not_admin"):
        org.registry(ev.KeyRevoked(person="amr", key_id=amr_key, reason="Drilleri"), by="tr")

    signed_and_logged(
        org, "tr", REGISTRY, ev.KeyRevoked(person="tr", key_id=own_key, reason="Ny telefon")
    )


def test_only_an_enrolled_unrevoked_key_can_be_revoked(org: Organisation) -> None:
    tr_key = org.keys["tr"].key_id

    with refused(org, errors.UnknownKeyError, "unknown_key"):
        org.registry(ev.KeyRevoked(person="tr", key_id="0123456789abcdef", reason="Ukendt"))
    org.registry(ev.KeyRevoked(person="tr", key_id=tr_key, reason="Mistet"))
    with refused(org, errors.RevokedKeyError, "revoked_key"):
        org.registry(ev.KeyRevoked(person="tr", key_id=tr_key, reason="Mistet igen"))


def test_a_revoked_key_is_refused_but_what_it_signed_before_stays_valid(
    org: Organisation, matter: Matter
) -> None:
    matter.act("tr", hovedmed_position("tr"))
    org.registry(ev.KeyRevoked(person="tr", key_id=org.keys["tr"].key_id, reason="Mistet pc"))

    with refused(org, errors.RevokedKeyError, "revoked_key", stream=matter.stream) as caught:
        matter.act("tr", hovedmed_position("tr"))
    assert caught.value.details == {"person": "tr", "key": org.keys["tr"].key_id}

    new_key = PersonKey.generate("tr")
    org.registry(ev.KeyAdded(person="tr", key_id=new_key.key_id, public_key=new_key.public_key_b64))
    org.keys["tr"] = new_key
    signed_and_logged(org, "tr", matter.stream, hovedmed_position("tr"))

    report = verify_ledger(org.service.store, org.origin)
    assert report.tree_size == org.service.tree_size(org.origin)


def test_a_key_revoked_after_signing_but_before_logging_is_refused(
    org: Organisation, matter: Matter
) -> None:
    """Keys are judged at the log position: a signature made before the revocation is not enough."""
    signed_earlier = next_submission(
        org, "tr", matter.stream, "PositionStated", hovedmed_position("tr")
    )
    org.registry(ev.KeyRevoked(person="tr", key_id=org.keys["tr"].key_id, reason="Kompromitteret"))

    with refused(org, errors.RevokedKeyError, "revoked_key", stream=matter.stream):
        org.service.append(org.origin, signed_earlier.wire())


# --- bodies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        ev.BodyEstablished(body="trio", name="Trio", kind="trio"),
        ev.BodyDissolved(body="lmed", reason="Nedlagt"),
    ],
    ids=lambda change: type(change).__name__,
)
def test_only_an_admin_establishes_and_dissolves_bodies(
    org: Organisation, change: ev.BodyEstablished | ev.BodyDissolved
) -> None:
    with refused(org, errors.SignerNotAdminError, "signer_not_admin"):
        org.registry(change, by="direktor")


def test_a_body_is_established_once_under_a_living_parent(org: Organisation) -> None:
    with refused(org, errors.DuplicateBodyError, "duplicate_body"):
        org.registry(ev.BodyEstablished(body="hmed", name="HovedMED igen", kind="hovedmed"))
    with refused(org, errors.UnknownBodyError, "unknown_body"):
        org.registry(
            ev.BodyEstablished(body="trio", name="Trio", kind="trio", parent="omraade-nord")
        )

    org.registry(ev.BodyDissolved(body="lmed", reason="Nedlagt"))
    with refused(org, errors.BodyDissolvedError, "body_dissolved"):
        org.registry(ev.BodyEstablished(body="trio", name="Trio", kind="trio", parent="lmed"))


def test_only_an_existing_body_can_be_dissolved_and_only_once(org: Organisation) -> None:
    with refused(org, errors.UnknownBodyError, "unknown_body"):
        org.registry(ev.BodyDissolved(body="omraade-nord", reason="Findes ikke"))

    signed_and_logged(org, "admin", REGISTRY, ev.BodyDissolved(body="lmed", reason="Nedlagt"))
    with refused(org, errors.BodyDissolvedError, "body_dissolved"):
        org.registry(ev.BodyDissolved(body="lmed", reason="Nedlagt igen"))


def test_no_one_can_sign_for_a_dissolved_body(org: Organisation, matter: Matter) -> None:
    org.registry(ev.BodyDissolved(body="hmed", reason="Ny MED-struktur"))

    with refused(org, errors.BodyDissolvedError, "body_dissolved", stream=matter.stream):
        matter.act("tr", hovedmed_position("tr"))
    with refused(org, errors.BodyDissolvedError, "body_dissolved"):
        org.registry(ev.MemberAppointed(body="hmed", person="udenfor", side="employees"))


# --- members ---------------------------------------------------------------------


def test_a_chair_may_appoint_and_release_members_of_their_own_body(org: Organisation) -> None:
    signed_and_logged(
        org,
        "leder",
        REGISTRY,
        ev.MemberAppointed(body="lmed", person="udenfor", side="employees", roles=["amr"]),
    )
    signed_and_logged(org, "leder", REGISTRY, ev.MemberLeft(body="lmed", person="udenfor"))


def test_a_member_who_is_not_chair_may_not_appoint(org: Organisation) -> None:
    appointment = ev.MemberAppointed(body="lmed", person="udenfor", side="employees")

    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role"):
        org.registry(appointment, by="tr-lokal")
    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role"):
        org.registry(ev.MemberLeft(body="lmed", person="leder"), by="tr-lokal")


def test_the_chair_of_another_body_may_not_appoint(org: Organisation) -> None:
    with refused(org, errors.SignerNotMemberError, "signer_not_member"):
        org.registry(
            ev.MemberAppointed(body="lmed", person="udenfor", side="employees"), by="direktor"
        )
    with refused(org, errors.SignerNotMemberError, "signer_not_member"):
        org.registry(ev.MemberLeft(body="lmed", person="tr-lokal"), by="direktor")


def test_only_enrolled_people_are_appointed_once_to_existing_bodies(org: Organisation) -> None:
    with refused(org, errors.UnknownPersonError, "unknown_person"):
        org.registry(ev.MemberAppointed(body="lmed", person="spoegelse", side="employees"))
    with refused(org, errors.AlreadyAMemberError, "already_a_member"):
        org.registry(ev.MemberAppointed(body="hmed", person="tr", side="employees"))
    with refused(org, errors.UnknownBodyError, "unknown_body"):
        org.registry(ev.MemberAppointed(body="omraade-nord", person="tr", side="employees"))


def test_only_a_member_can_leave(org: Organisation) -> None:
    with refused(org, errors.NotAMemberError, "not_a_member"):
        org.registry(ev.MemberLeft(body="lmed", person="udenfor"))
    with refused(org, errors.UnknownBodyError, "unknown_body"):
        org.registry(ev.MemberLeft(body="omraade-nord", person="tr"))


def test_a_member_who_left_can_no_longer_sign_for_the_body(
    org: Organisation, matter: Matter
) -> None:
    matter.act(
        "direktor",
        ev.MaterialShared(
            documents=[ev.Document(title="Udkast", sha256="a" * 64)], bodies=["lmed"]
        ),
    )
    matter.act("tr-lokal", lokalmed_position())
    org.registry(ev.MemberLeft(body="lmed", person="tr-lokal"))

    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("tr-lokal", lokalmed_position())

    verify_ledger(org.service.store, org.origin)


def test_membership_is_judged_at_the_log_position_not_when_signed(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    signed_while_member = next_submission(
        org, "amr", matter.stream, "PositionStated", hovedmed_position("amr")
    )
    clock.advance(minutes=1)
    org.registry(ev.MemberLeft(body="hmed", person="amr"))

    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        org.service.append(org.origin, signed_while_member.wire())

    org.registry(ev.MemberAppointed(body="hmed", person="amr", side="employees", roles=["amr"]))
    org.service.append(org.origin, signed_while_member.wire())
    verify_ledger(org.service.store, org.origin)
