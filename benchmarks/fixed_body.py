"""B5's read reference: the same framework (FastAPI under uvicorn) serving a fixed body.

``B5_FIXED_BODY`` names a file whose bytes every GET of a timeline path
answers with, as JSON; nothing is read, checked or computed per request.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response

BODY = Path(os.environ.get("B5_FIXED_BODY", os.devnull)).read_bytes()

app = FastAPI()


@app.get("/v1/ledgers/{ledger}/matters/{matter}/timeline")
def fixed(ledger: str, matter: str) -> Response:
    return Response(content=BODY, media_type="application/json")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
