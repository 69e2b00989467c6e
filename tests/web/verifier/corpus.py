"""The differential corpus: bundles and trust roots, each with the Python verifier's verdict.

The browser's verifier (``web/static/js/verifier``) must give the same
verdict as ``verifier/bundle.py`` on every case.  Cases come from two places:

- **recorded**: every bundle the Python verifier's own tests verify
  (``tests/verifier/test_bundle*.py``, run once with the :mod:`tests.web.verifier.recorder`
  plugin), among them every tamper case those tests refuse;
- **mutated**: hand-built ledgers (an events bundle with added and revoked
  keys, a receipt with withheld fields, a witnessed matter bundle), each
  bent at one place of its JSON tree at a time: a value changed, replaced
  by one of another type, a member deleted or added, a list item dropped or
  repeated.  A mutation is stored as an operation on its base bundle
  (``set``, ``delete``, ``insert`` at a path), which the JavaScript tests
  apply the same way.

The verdict of each case is judged here from the case's JSON form, as
``medledger verify --bundle FILE --trust TRUST`` judges it: the trust root
is parsed (``malformed_trust_root``), then the bundle verified.  A
verdict is ``{"ok": true, "report": ...}`` with what the report says, or
``{"ok": false, "code": ..., "leaf_index": ..., "message": ..., "event": ...}``
(``event``: what the bundle states of the event at that leaf index); a bundle on which the
Python verifier raises something other than its own error is recorded as
``{"ok": false, "crash": <exception type>}`` (a refusal all the same).

``python -m tests.web.verifier.corpus OUT.json`` writes the corpus.
"""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.verifier.bundle_factory import LedgerFactory
from verifier.bundle import BundleVerificationError, parse_trust_root, verify_bundle

PROJECT_ROOT = Path(__file__).resolve().parents[3]
Path_ = list[str | int]
RECORDED_TESTS = sorted((PROJECT_ROOT / "tests" / "verifier").glob("test_bundle*.py"))
"""The Python verifier's bundle tests, whose bundles the corpus records."""
MUTATIONS_PER_BASE = int(os.environ.get("MEDLEDGER_CORPUS_MUTATIONS", "700"))
"""One-place mutations per base bundle (fewer for a mutation run, where each mutant reruns them)."""
RECORDED_PER_VERDICT = int(os.environ.get("MEDLEDGER_CORPUS_RECORDED_PER_VERDICT", "0"))
"""At most this many recorded refusals per error code, in recording order; 0: all of them.
A mutation run keeps a few of each code, and every accepted bundle (each receipt verdict)."""
SEED = 20261128


def verdict(bundle: Any, trust: Any) -> dict[str, Any]:
    """What the Python verifier says of this bundle and trust root (both parsed JSON)."""
    try:
        report = verify_bundle(bundle, parse_trust_root(trust))
    except BundleVerificationError as failure:
        return {
            "ok": False,
            "code": failure.code,
            "leaf_index": failure.leaf_index,
            "message": failure.message,
            "event": stated_event(bundle, failure.leaf_index),
        }
    except Exception as crash:  # the Python verifier's own bug: still a refusal
        return {"ok": False, "crash": type(crash).__name__}
    return {
        "ok": True,
        "report": {
            "kind": report.kind,
            "tree_size": report.tree_size,
            "entries": [e.leaf_index for e in report.entries],
            "complete": report.complete,
            "undisclosed": report.undisclosed,
            "cosignatures": report.cosignatures,
            "subject": report.subject,
        },
    }


def stated_event(bundle: Any, leaf_index: int | None) -> dict[str, Any] | None:
    """What the bundle states of the event at ``leaf_index`` (its body's stream, seq, type
    and actor, where they are text or integers): what a refusal names besides the index."""
    if leaf_index is None:
        return None
    event: dict[str, Any] = {"stream": None, "seq": None, "type": None, "actor": None}
    for name in ("registry", "entries"):
        items = bundle.get(name) if isinstance(bundle, dict) else None
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or item.get("leaf_index") != leaf_index:
                continue
            if type(item.get("leaf_index")) is not int:
                continue
            entry = item.get("entry")
            body = entry.get("body") if isinstance(entry, dict) else None
            if isinstance(body, dict):
                for key in event:
                    value = body.get(key)
                    if isinstance(value, str) or type(value) is int:
                        event[key] = value
                return event
    return event


def has_float(value: Any) -> bool:
    """Whether a float is anywhere in ``value``: JSON.parse cannot tell ``1.0`` from ``1``."""
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(has_float(v) for v in value)
    return False


# --- the bases --------------------------------------------------------------


def bases() -> list[dict[str, Any]]:
    """Three hand-built bundles that verify, each with its trust root."""
    return [_events_base(), _receipt_base(), _witnessed_base()]


def _events_base() -> dict[str, Any]:
    """An events bundle: keys added and revoked, a second admin, a partly held matter."""
    factory = LedgerFactory()
    factory.enrol("chef", roles=["admin"])
    anna = factory.enrol("anna")
    factory.enrol("bo", by="chef")
    spare = factory.add_key("anna")
    factory.act("anna", "m1", "MatterOpened", {"responsible_body": "hmed", "title": "Budget"})
    factory.act("bo", "m1", "PositionStated", {"stance": "support", "text": "Ja"})
    factory.revoke("anna", anna)
    factory.append("matter/m1", "PositionStated", "anna", {"stance": "oppose"}, key=spare)
    factory.act("bo", "m2", "MatterOpened", {"responsible_body": "lmed"})
    leaves = [i for i in range(len(factory.log)) if i != 6]
    bundle = factory.bundle(leaves=leaves, complete=["registry", "matter/m2"])
    return {"name": "events", "bundle": bundle, "trust": factory.trust_document()}


def _receipt_base() -> dict[str, Any]:
    """An absence receipt: seats over time, routing fields only for the matter."""
    factory = LedgerFactory()
    for person in ("direktor", "amr", "tr"):
        factory.enrol(person)
    factory.append("registry", "MemberAppointed", "admin", {"body": "hmed", "person": "amr"})
    factory.append("registry", "MemberAppointed", "admin", {"body": "lmed", "person": "tr"})
    factory.act("direktor", "budget", "MatterOpened", {"responsible_body": "hmed", "title": "B"})
    factory.act("direktor", "budget", "MaterialShared", {"bodies": ["lmed"], "note": "Se bilag"})
    factory.act("direktor", "budget", "MeetingHeld", {"present": ["tr"], "absent": []})
    factory.append("registry", "MemberLeft", "admin", {"body": "lmed", "person": "tr"})
    factory.act("direktor", "budget", "DecisionMade", {"body": "hmed", "decision": "Vedtaget"})
    withheld = {e.leaf_index: ["title", "note", "decision"] for e in factory.log}
    bundle = factory.bundle(
        kind="receipt",
        subject={"person": "amr", "matter": "budget", "verdict": "not_involved"},
        complete=["registry", "matter/budget"],
        withhold={
            i: [n for n in names if n in factory.log[i].payload] for i, names in withheld.items()
        },
    )
    return {"name": "receipt", "bundle": bundle, "trust": factory.trust_document()}


def _witnessed_base() -> dict[str, Any]:
    """A matter bundle whose checkpoint two of three witnesses cosign, quorum two; its last
    event is marked imported."""
    factory = LedgerFactory()
    first, second = factory.add_witness("w1.example/a"), factory.add_witness("w2.example/b")
    factory.add_witness("w3.example/c")
    factory.enrol("direktor")
    factory.act("direktor", "sag", "MatterOpened", {"responsible_body": "hmed"})
    factory.act("direktor", "sag", "MaterialShared", {"bodies": ["hmed", "lmed"]})
    factory.append(
        "matter/sag", "MeetingHeld", "direktor", {"present": []}, override={"imported": True}
    )
    bundle = factory.bundle(
        kind="matter", complete=["registry", "matter/sag"], cosigners=[first, second]
    )
    bundle["subject"] = {"matter": "sag"}
    return {"name": "witnessed", "bundle": bundle, "trust": factory.trust_document(quorum=2)}


# --- mutations ----------------------------------------------------------------


def _paths(value: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    yield path, value
    if isinstance(value, dict):
        for name, child in value.items():
            yield from _paths(child, [*path, name])
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, [*path, index])


def _bent_text(text: str) -> list[str]:
    out = ["", text + "x", text[:-1]] if text else ["x"]
    if text:
        last = text[-1]
        out.append(text[:-1] + ("A" if last != "A" else "B"))
        out.append(text[:-1] + ("0" if last != "0" else "1"))
        out.append(text.upper() if text.upper() != text else text.lower())
    return out


def _operations(root: Any) -> Iterator[dict[str, Any]]:
    """Every one-place bend of ``root`` this corpus tries."""
    for path, value in _paths(root, []):
        if path:
            yield {"op": "delete", "path": path}
            others: tuple[Any, ...] = (None, True, 0, -1, "x", [], {})
            for other in others:
                if other != value or type(other) is not type(value):
                    yield {"op": "set", "path": path, "value": other}
        if isinstance(value, str):
            for other in _bent_text(value):
                yield {"op": "set", "path": path, "value": other}
            if "\n" in value:  # a note: bend it line by line
                lines = value.split("\n")
                for i, line in enumerate(lines):
                    for other in _bent_text(line)[:4]:
                        bent = [*lines[:i], other, *lines[i + 1 :]]
                        yield {"op": "set", "path": path, "value": "\n".join(bent)}
                    dropped = lines[:i] + lines[i + 1 :]
                    yield {"op": "set", "path": path, "value": "\n".join(dropped)}
        elif isinstance(value, bool):
            yield {"op": "set", "path": path, "value": not value}
        elif isinstance(value, int):
            for other in (value + 1, value - 1, 2**53 - 1, True):
                yield {"op": "set", "path": path, "value": other}
        elif isinstance(value, dict):
            yield {"op": "set", "path": [*path, "extra"], "value": 1}
        elif isinstance(value, list):
            for index in range(len(value)):
                yield {"op": "insert", "path": [*path, index], "value": copy.deepcopy(value[index])}
            if len(value) > 1:
                yield {"op": "set", "path": path, "value": list(reversed(value))}


def apply(root: Any, operation: dict[str, Any]) -> Any:
    """``root`` with one operation applied (a copy); the JavaScript tests do the same."""
    out = copy.deepcopy(root)
    *parents, last = operation["path"]
    target = out
    for step in parents:
        target = target[step]
    if operation["op"] == "set":
        target[last] = copy.deepcopy(operation["value"])
    elif operation["op"] == "delete":
        del target[last]
    else:
        target.insert(last, copy.deepcopy(operation["value"]))
    return out


def mutated(base: dict[str, Any], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` distinct one-place bends of the base bundle and of its trust root."""
    ops = [{"in": "bundle", **op} for op in _operations(base["bundle"])]
    ops += [{"in": "trust", **op} for op in _operations(base["trust"])]
    chosen = ops if len(ops) <= count else rng.sample(ops, count)
    cases = []
    for op in chosen:
        bundle = apply(base["bundle"], op) if op["in"] == "bundle" else base["bundle"]
        trust = apply(base["trust"], op) if op["in"] == "trust" else base["trust"]
        case = {"base": base["name"], "mutation": op, "expect": verdict(bundle, trust)}
        cases.append(case | ({"floats": True} if has_float([bundle, trust]) else {}))
    return cases


# --- the recorded bundles ------------------------------------------------------


def recorded() -> list[dict[str, Any]]:
    """The bundles the Python verifier's tests verify, each with its verdict, once each."""
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "record.jsonl"
        record.touch()
        env = os.environ | {"MEDLEDGER_BUNDLE_RECORD": str(record), "PYTHONPATH": str(PROJECT_ROOT)}
        files = sorted(str(p.relative_to(PROJECT_ROOT)) for p in RECORDED_TESTS)
        command = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:randomly"]
        command += ["-p", "no:cacheprovider", "-p", "tests.web.verifier.recorder", *files]
        run = subprocess.run(
            command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
        )
        if run.returncode != 0:
            raise RuntimeError(
                f"the Python verifier's tests failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
            )
        lines = record.read_text("utf-8", errors="surrogatepass").splitlines()
    seen: set[str] = set()
    per_verdict: dict[str, int] = {}
    cases = []
    for line in lines:
        if line in seen:
            continue
        seen.add(line)
        case = json.loads(line)
        case["expect"] = verdict(case["bundle"], case["trust"])
        key = str(case["expect"].get("code") or case["expect"].get("crash"))
        per_verdict[key] = per_verdict.get(key, 0) + 1
        if not case["expect"]["ok"] and 0 < RECORDED_PER_VERDICT < per_verdict[key]:
            continue
        if has_float([case["bundle"], case["trust"]]):
            case["floats"] = True
        cases.append(case)
    return cases


def build() -> dict[str, Any]:
    rng = random.Random(SEED)
    the_bases = bases()
    for base in the_bases:
        base["expect"] = verdict(base["bundle"], base["trust"])
        assert base["expect"]["ok"], (base["name"], base["expect"])
    return {
        "bases": the_bases,
        "mutated": [case for base in the_bases for case in mutated(base, MUTATIONS_PER_BASE, rng)],
        "recorded": recorded(),
    }


def main() -> None:
    out = Path(sys.argv[1])
    corpus = build()
    out.write_text(json.dumps(corpus), "utf-8")
    print(
        f"{out}: {len(corpus['bases'])} bases, {len(corpus['mutated'])} mutated, "
        f"{len(corpus['recorded'])} recorded"
    )


if __name__ == "__main__":
    main()
