"""The browser's verifier in Chromium: known-answer vectors and the Python verifier's verdicts.

Every check here runs the ES modules of ``web/static/js/verifier`` in
Chromium's WebCrypto.  The known-answer vectors are read in place (RFC 8785,
RFC 8032 and the signed-note checkpoints from ``tests/vectors``, the RFC
6962 proofs from the shared vectors); the differential corpus
(:mod:`tests.web.verifier.corpus`) holds every bundle the Python verifier's
tests verify and a few thousand one-place mutations of hand-built bundles,
each with the Python verifier's verdict, which the browser must give too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from ledger.protocol.b64 import b64encode
from ledger.protocol.canonical import canonical
from tests.protocol.shared_vectors import SHARED_VECTORS, unavailable, vector_paths
from tests.verifier.bundle_factory import EVENT_PREFIX, LedgerFactory
from tests.web.verifier import corpus

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def _run(page: Any, script: str, arg: Any = None) -> Any:
    return page.evaluate(script, arg)


def test_rfc8785_cases_canonicalize_as_the_rfc_says(page: Any) -> None:
    cases = json.loads((VECTORS / "rfc8785-jcs.json").read_text("utf-8"))
    outcome = _run(
        page,
        """(cases) => cases.map((c) => {
            try { return [true, window.verifier.canonicalText(JSON.parse(c.input))]; }
            catch (e) { return [false, e.name]; }
        })""",
        cases["cases"] + cases["numbers"],
    )
    for case, (ok, value) in zip(cases["cases"] + cases["numbers"], outcome, strict=True):
        if case.get("refused"):
            assert not ok, case["input"]
        else:
            assert (ok, value) == (True, case["output"]), case["input"]


def test_rfc8032_signatures_verify_through_webcrypto(page: Any) -> None:
    vectors = json.loads((VECTORS / "rfc8032-ed25519.json").read_text("utf-8"))["vectors"]
    outcome = _run(
        page,
        """async (vectors) => {
            const { ed25519Verify } = await import("/static/js/verifier/crypto.js");
            const { fromHex } = await import("/static/js/verifier/bytes.js");
            const out = [];
            for (const v of vectors) {
                const [key, sig, msg] = [v.public_key, v.signature, v.message].map(fromHex);
                const bent = sig.slice(); bent[0] ^= 1;
                out.push([await ed25519Verify(key, sig, msg), await ed25519Verify(key, bent, msg)]);
            }
            return out;
        }""",
        vectors,
    )
    assert outcome == [[True, False]] * 5


def test_keys_and_signatures_webcrypto_refuses_verify_nothing_in_the_browser(page: Any) -> None:
    """Where Chromium's WebCrypto throws (a key that is no curve point, a signature of the
    wrong length), the verifier says "not valid" (the branches Node never reaches)."""
    outcome = _run(
        page,
        """async () => {
            const { ed25519Verify } = await import("/static/js/verifier/crypto.js");
            const message = new TextEncoder().encode("m");
            const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
            const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
            const good = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, message));
            const notAPoint = new Uint8Array(32).fill(0xff);
            return [
                await ed25519Verify(raw, good, message),
                await ed25519Verify(notAPoint, good, message),
                await ed25519Verify(raw, good.subarray(0, 63), message),
                await ed25519Verify(raw, new Uint8Array(65), message),
            ];
        }""",
    )
    assert outcome == [True, False, False, False]


@pytest.mark.parametrize("kind", ["inclusion", "consistency"])
def test_rfc6962_proof_vectors_verify_exactly_when_they_should(page: Any, kind: str) -> None:
    paths = vector_paths(f"rfc6962/{kind}")
    if not paths:
        unavailable(f"no RFC 6962 {kind} vectors under {SHARED_VECTORS}")
    vectors = [json.loads(p.read_text("utf-8")) for p in paths]
    outcome = _run(
        page,
        """async ([kind, vectors]) => {
            const { fromBase64 } = await import("/static/js/verifier/bytes.js");
            const h = (x) => (x === null || x === undefined ? new Uint8Array(0) : fromBase64(x));
            const all = (xs) => (xs ?? []).map(h);
            const v = window.verifier;
            const out = [];
            for (const t of vectors) {
                out.push(kind === "inclusion"
                    ? await v.verifyInclusion(h(t.leafHash), t.leafIdx, t.treeSize, all(t.proof), h(t.root))
                    : await v.verifyConsistency(t.size1, t.size2, h(t.root1), h(t.root2), all(t.proof)));
            }
            return out;
        }""",
        [kind, vectors],
    )
    assert len(vectors) > 60
    wrong = [str(p) for p, v, ok in zip(paths, vectors, outcome, strict=True) if ok == v["wantErr"]]
    assert wrong == []
    assert sum(outcome) >= 4


def test_signed_note_checkpoints_verify_exactly_when_they_should(page: Any) -> None:
    vectors = json.loads((VECTORS / "checkpoints.json").read_text("utf-8"))
    outcome = _run(
        page,
        """async (vectors) => {
            const out = [];
            for (const v of vectors) {
                try {
                    const cp = await window.verifier.verifyCheckpoint(v.signed_note, {
                        origin: v.signed_note.split("\\n")[0], logKey: v.verifier_key });
                    out.push(cp.text === v.text ? "ok" : "text differs");
                } catch (e) { out.push(e.code); }
            }
            return out;
        }""",
        vectors,
    )
    assert outcome == ["checkpoint_signature_invalid" if v["want_err"] else "ok" for v in vectors]


@pytest.mark.parametrize("part", ["bases", "mutated", "recorded"])
def test_the_browser_gives_the_python_verifiers_verdict_on_every_case(
    page: Any, corpus_data: dict[str, Any], part: str
) -> None:
    prefix = "base " if part == "bases" else part + " "
    outcome = _run(
        page,
        """async (prefix) => {
            if (!window.corpus) window.corpus = await (await fetch("/corpus.json")).json();
            const { count, found } = await window.differential.differences(
                window.corpus, (c) => c.name.startsWith(prefix));
            return { count, found: found.slice(0, 5), differing: found.length };
        }""",
        prefix,
    )
    assert outcome["count"] == len(corpus_data[part]) >= 3
    assert outcome["differing"] == 0, outcome["found"]


def _js_verdict(page: Any, bundle: Any, trust: Any) -> Any:
    return _run(
        page,
        "async ([bundle, trust]) => window.differential.judge(bundle, trust)",
        [bundle, trust],
    )


def _float_in_a_signed_payload() -> tuple[Any, Any]:
    """A field committed to a float, signed: the ledger's own canonical JSON cannot make it,
    so the commitment is made here with RFC 8785 (which serializes floats)."""
    factory = LedgerFactory()
    factory.enrol("direktor")
    logged = factory.act(
        "direktor", "sag", "MatterOpened", {"responsible_body": "hmed", "share": 0}
    )
    logged.payload["share"] = 1.5
    salt = logged.salts["share"]
    logged.body["fields"]["share"] = hashlib.sha256(
        salt + rfc8785.dumps(["share", 1.5])
    ).hexdigest()
    signature = factory.keys["direktor"].sign(EVENT_PREFIX + canonical(logged.body))
    logged.entry["signature"] = b64encode(signature)
    return factory.bundle(complete=["matter/sag"]), factory.trust_document()


def _leaf_index_written_with_a_fraction() -> tuple[Any, Any]:
    factory = LedgerFactory()
    factory.enrol("direktor")
    bundle = factory.bundle()
    bundle["entries"][1]["leaf_index"] = 1.0
    return bundle, factory.trust_document()


@pytest.mark.parametrize(
    ("make", "python", "in_browser"),
    [
        pytest.param(
            _float_in_a_signed_payload,
            {"ok": True},
            {"ok": False, "code": "malformed_bundle", "leaf_index": 2},
            id="a float in a signed payload: the protocol has none (PROTOCOL.md section 2); "
            "Python's rfc8785 serializes it, the browser refuses it",
        ),
        pytest.param(
            _leaf_index_written_with_a_fraction,
            {"ok": False, "code": "malformed_bundle", "leaf_index": None},
            {"ok": True},
            id="a leaf index written 1.0: Python's json reads a float and refuses it, JSON.parse "
            "reads the integer 1, whose proof then holds",
        ),
    ],
)
def test_the_deliberate_differences_from_the_python_verifier(
    page: Any, make: Any, python: dict[str, Any], in_browser: dict[str, Any]
) -> None:
    bundle, trust = make()
    theirs = corpus.verdict(bundle, trust)
    ours = _js_verdict(page, json.loads(json.dumps(bundle)), trust)
    assert {k: theirs[k] for k in python} == python
    assert {k: ours[k] for k in in_browser} == in_browser
