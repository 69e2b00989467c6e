"""Fuzz the API from its own OpenAPI schema: no 5xx, and every response as documented.

Schemathesis generates requests for every operation twice: once with
random values everywhere (unknown ledgers, no token), once aimed at a real
ledger with a real token, so that the generated data reaches the code
behind authentication.  Bounded (a fixed number of examples, derandomized)
so that it is neither slow nor flaky.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from demo.organisation import Organisation
from ledger.protocol.envelope import ledger_id_of
from tests.api.conftest import Api
from tests.stories.http import open_school_matter, position

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25


def test_no_operation_answers_5xx_or_off_schema(api: Api, org: Organisation) -> None:
    open_school_matter(org)
    org.act("tr", "skolestruktur", position("employees"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    ledger = ledger_id_of(org.origin)
    tokens = {
        "GET": api.token(org, "revisor"),
        "PUT": api.token(org, "admin"),
        "DELETE": api.token(org, "admin"),
        "POST": api.token(org, "tr"),
    }
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 12
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        aimed: dict[str, Any] = {"ledger": ledger} if "ledger" in names else {}
        headers = {"Authorization": f"Bearer {tokens[operation.method.upper()]}"}
        for strategy in (
            operation.as_strategy(),
            operation.as_strategy(path_parameters=aimed, headers=headers),
        ):

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def exercise(case: Any) -> None:
                response = case.call()
                case.validate_response(response, checks=CHECKS)

            exercise()
