"""The documented error responses of each route, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from api.schemas import ErrorOut

_DESCRIPTIONS = {
    400: "Malformed: the request or the envelope does not have the required shape.",
    401: "Not authenticated: bad signature, unknown or revoked key, missing or bad token.",
    403: "Not allowed: the signer or reader may not do this.",
    404: "Unknown ledger, stream, matter, person or leaf.",
    409: (
        "Conflict: stale sequence or previous hash, replayed envelope (re-read the head); "
        "or `not_yet_checkpointed`, a leaf beyond the newest checkpoint (ask again shortly)."
    ),
    413: "The request body is larger than the server accepts.",
    422: "A write-time rule of the MED protocol refused the event.",
    500: "`document_corrupt`: the stored bytes no longer hash to their digest; "
    "`internal_error` otherwise.",
    503: "`storage_unavailable`: the database cannot be used now; retry (see Retry-After).",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for ``statuses``, each with the error schema."""
    return {
        status: {"model": ErrorOut, "description": _DESCRIPTIONS[status]} for status in statuses
    }


READ_ERRORS = errors(400, 401, 403, 404, 503)
BUNDLE_ERRORS = errors(400, 401, 403, 404, 409, 503)


def json_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Like :func:`errors`, for routes whose own answer is not JSON (the schema is by reference)."""
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "content": {"application/json": {"schema": ref}},
        }
        for status in statuses
    }


BUNDLE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A medledger-bundle/v1 evidence file (JSON).",
        "content": {
            "application/json": {
                "schema": {"type": "object", "additionalProperties": True},
                "example": {
                    "format": "medledger-bundle/v1",
                    "origin": "ledger.example/ballerup",
                    "kind": "matter",
                    "subject": {"matter": "okonomi-4mio"},
                    "log_verifier_key": "ledger.example/ballerup+1c0ffee0+AQ...",
                    "checkpoint": "ledger.example/ballerup\n42\n...\n\n— ledger.example/ballerup ...\n",
                    "tree_size": 42,
                    "registry": ["... registry events that authorise the signers' keys ..."],
                    "entries": ["... each envelope with payload, salt and inclusion proof ..."],
                },
            }
        },
    }
}
