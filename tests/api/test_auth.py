"""Logging in with one's own key: a signed challenge for a short-lived token.

No password exists anywhere.  A token works in its own ledger only, for its
short life, and stops working the moment its key is revoked.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from demo.organisation import Organisation
from ledger.client.http import auth_message
from ledger.domain import events as ev
from ledger.errors import AuthenticationError
from ledger.protocol.envelope import ledger_id_of
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.store import Store
from tests.api.conftest import Api, api_settings, assert_error, ledger_path, running


def challenge(api: Api, org: Organisation) -> str:
    response = api.http.post(f"{ledger_path(org)}/auth/challenge")
    assert response.status_code == 200
    body = response.json()
    assert body["origin"] == org.origin
    assert body["signing_prefix"] == "medledger/auth/v1"
    return str(body["challenge"])


def answer(
    org: Organisation, key: PersonKey, text: str, person: str | None = None
) -> dict[str, str]:
    person = person or key.person
    signature = key.sign(auth_message(org.origin, text, person, key.key_id))
    return {
        "person": person,
        "key_id": key.key_id,
        "challenge": text,
        "signature": base64.b64encode(signature).decode(),
    }


def login(api: Api, org: Organisation, body: dict[str, str]) -> tuple[int, dict[str, Any]]:
    response = api.http.post(f"{ledger_path(org)}/auth/token", json=body)
    return response.status_code, response.json()


def test_a_person_logs_in_by_signing_the_challenge(api: Api, org: Organisation) -> None:
    status, granted = login(api, org, answer(org, org.keys["revisor"], challenge(api, org)))
    assert status == 200
    assert granted["token_type"] == "Bearer"
    assert granted["person"] == "revisor"
    assert granted["roles"] == ["auditor"]
    me = api.http.get(
        f"{ledger_path(org)}/me", headers={"Authorization": f"Bearer {granted['token']}"}
    ).json()
    assert me["person"] == "revisor"


def test_a_signature_by_another_key_is_401(api: Api, org: Organisation) -> None:
    text = challenge(api, org)
    body = answer(org, org.keys["tr"], text)
    forged = answer(org, PersonKey.generate("tr"), text)
    body["signature"] = forged["signature"]
    status, error = login(api, org, body)
    assert status == 401
    assert error["error"]["code"] == "bad_signature"


def test_a_signature_over_another_persons_name_is_401(api: Api, org: Organisation) -> None:
    text = challenge(api, org)
    body = answer(org, org.keys["tr"], text)
    body["person"] = "direktor"
    status, error = login(api, org, body)
    assert status == 401
    assert error["error"]["code"] == "unknown_key"


def test_a_challenge_answers_once(api: Api, org: Organisation) -> None:
    body = answer(org, org.keys["tr"], challenge(api, org))
    assert login(api, org, body)[0] == 200
    status, error = login(api, org, body)
    assert status == 401
    assert error["error"]["code"] == "challenge_used"


def test_a_challenge_answers_once_across_every_process_of_the_deployment(
    api: Api, other_process: OpenedLedger, org: Organisation, tmp_path: Path
) -> None:
    body = answer(org, org.keys["tr"], challenge(api, org))
    with running(api_settings(tmp_path), other_process) as second:
        assert login(api, org, body)[0] == 200
        status, error = login(second, org, body)
        assert (status, error["error"]["code"]) == (401, "challenge_used")
        fresh = answer(org, org.keys["tr"], challenge(second, org))
        assert login(second, org, fresh)[0] == 200
        status, error = login(api, org, fresh)
        assert (status, error["error"]["code"]) == (401, "challenge_used")


def test_answered_challenges_are_forgotten_once_long_expired(
    api: Api, service: LedgerService, org: Organisation
) -> None:
    for _ in range(3):
        assert login(api, org, answer(org, org.keys["tr"], challenge(api, org)))[0] == 200
    assert _marks(service.store, org.origin) == 3
    org.clock.advance(minutes=10)  # the 2-minute challenges expired over 5 minutes ago
    assert login(api, org, answer(org, org.keys["tr"], challenge(api, org)))[0] == 200
    assert _marks(service.store, org.origin) == 1


def _marks(store: Store, origin: str) -> int:
    used = store.used_nonces
    with store.read() as session:
        return int(
            session.execute(
                select(func.count()).select_from(used).where(used.c.origin == origin)
            ).scalar_one()
        )


def test_a_made_up_or_expired_challenge_is_401(api: Api, org: Organisation) -> None:
    status, error = login(api, org, answer(org, org.keys["tr"], "mlc1.e30.AAAA"))
    assert (status, error["error"]["code"]) == (401, "challenge_invalid")
    text = challenge(api, org)
    org.clock.advance(minutes=3)
    status, error = login(api, org, answer(org, org.keys["tr"], text))
    assert (status, error["error"]["code"]) == (401, "challenge_invalid")


def test_a_challenge_of_one_ledger_does_not_log_in_to_another(
    api: Api, org: Organisation, service: LedgerService, unique: str
) -> None:
    other = Organisation(service, f"ledger.example/anden{unique}", "Anden kommune", org.clock)
    text = challenge(api, other)
    status, error = login(api, org, answer(org, org.keys["tr"], text))
    assert (status, error["error"]["code"]) == (401, "challenge_invalid")


def test_reads_without_a_token_are_401(api: Api, org: Organisation) -> None:
    for path in ("/me", "/streams", "/streams/registry/events", "/checkpoint"):
        response = api.http.get(f"{ledger_path(org)}{path}")
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "token_required"
        assert response.headers["www-authenticate"] == "Bearer"


def test_an_altered_token_is_401(api: Api, org: Organisation) -> None:
    token = api.token(org, "tr")
    kind, claims, mac = token.split(".")
    padded = claims + "=" * (-len(claims) % 4)
    decoded = base64.urlsafe_b64decode(padded).replace(b'"tr"', b'"revisor"')
    altered = f"{kind}.{base64.urlsafe_b64encode(decoded).rstrip(b'=').decode()}.{mac}"
    response = api.http.get(
        f"{ledger_path(org)}/me", headers={"Authorization": f"Bearer {altered}"}
    )
    assert_error(response, 401, "token_invalid")


def test_a_token_expires(api: Api, org: Organisation) -> None:
    headers = api.headers(org, "tr")
    assert api.http.get(f"{ledger_path(org)}/me", headers=headers).status_code == 200
    org.clock.advance(minutes=16)
    response = api.http.get(f"{ledger_path(org)}/me", headers=headers)
    assert_error(response, 401, "token_expired")


def test_nobody_reads_another_ledger(
    api: Api, org: Organisation, service: LedgerService, unique: str
) -> None:
    other = Organisation(service, f"ledger.example/nabo{unique}", "Nabokommune", org.clock)
    headers = api.headers(org, "revisor")
    response = api.http.get(f"/v1/ledgers/{ledger_id_of(other.origin)}/streams", headers=headers)
    assert_error(response, 403, "token_for_other_ledger")


def test_revoking_a_key_ends_its_tokens_and_its_logins(api: Api, org: Organisation) -> None:
    headers = api.headers(org, "tr")
    text = challenge(api, org)
    org.registry(ev.KeyRevoked(person="tr", key_id=org.keys["tr"].key_id, reason="Mistet"), by="tr")
    response = api.http.get(f"{ledger_path(org)}/me", headers=headers)
    assert_error(response, 401, "revoked_key")
    status, error = login(api, org, answer(org, org.keys["tr"], text))
    assert (status, error["error"]["code"]) == (401, "revoked_key")


def test_the_sdk_logs_in_by_itself(api: Api, org: Organisation) -> None:
    transport = api.transport(org.keys["amr"])
    me = transport.get(ledger_id_of(org.origin), "/me")
    assert me["person"] == "amr"
    assert [m["body"] for m in me["memberships"]] == ["hmed"]
    with pytest.raises(AuthenticationError):
        api.transport(PersonKey.generate("amr")).get(ledger_id_of(org.origin), "/me")
