"""Boundary values of the request schemas of an OpenAPI document, and a JSON Schema judge.

``Boundaries.candidates(schema)`` lists values at and just past every limit a
schema states (lengths, bounds, patterns, enumerations, types, null), and
``Boundaries.variants(schema)`` an object's valid instance with one member
at a time replaced by each of its candidates, left out, or joined by an
unknown member.  Which of them the schema admits is judged by ``jsonschema_rs``
(the JSON Schema validator schemathesis brings; the ``jsonschema`` package is
not installed in the project's environment), never by our own code.

A pattern has no generic boundary values, so each pattern the document uses
needs its samples in ``PATTERN_SAMPLES``; a new one fails the test until it
gets them.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, get_args

import jsonschema_rs
from pydantic import StringConstraints

from api.patterns import (
    AS_OF_PATTERN,
    CLAIMED_TIME_PATTERN,
    NOW_PATTERN,
    RULE_PATTERN,
    canonical_base64_pattern,
)
from ledger.domain import events as ev
from ledger.protocol.envelope import ID_PATTERN

Json = Any


def pattern_of(alias: Any) -> str:
    """The pattern of an ``Annotated[str, StringConstraints(pattern=...)]``."""
    [constraints] = [c for c in get_args(alias)[1:] if isinstance(c, StringConstraints)]
    assert isinstance(constraints.pattern, str)
    return constraints.pattern


def b64(length: int) -> str:
    return base64.b64encode(bytes(range(7, 7 + length))).decode()


def sloppy(text: str) -> str:
    """``text`` with the lowest bit of its last base64 digit flipped: the same bytes when
    that bit lies past the data, but not the canonical spelling."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    data = text.rstrip("=")
    last = alphabet[alphabet.index(data[-1]) ^ 1]
    return data[:-1] + last + text[len(data) :]


def _base64_samples(length: int) -> list[str]:
    good = b64(length)
    return [
        good,
        sloppy(good),
        good.rstrip("="),
        b64(length - 1),
        b64(length + 1),
        good.replace(good[1], "-"),
        "",
    ]


_MOMENTS = [
    "2026-03-01",
    "2024-02-29",
    "2000-02-29",
    "2026-03-01T12:00:00Z",
    "2026-03-01T12:00:00.5Z",
    "2026-03-01T13:00:00+01:00",
    "2026-03-01T12:00:00-23:59",
    "2026-03-01T12:00:00",
    "2026-02-29",
    "1900-02-29",
    "2026-02-30",
    "2026-04-31",
    "2026-03-01T24:00:00Z",
    "2026-03-01T12:00:00+24:00",
    "2026-03-01T12:00:00.1234567Z",
    "9999-12-31T12:00:00-23:59",
    "0999-12-31",
    "20260301",
    "2026-W09-7",
    "٢٠٢٦-03-01",
    "last tuesday",
    " 2026-03-01",
]

PATTERN_SAMPLES: dict[str, list[str]] = {
    f"^{ID_PATTERN}$": [
        *("a", "0", "a" * 64, "z9._-"),
        *("a" * 65, "", "A", "-a", ".a", "a b", "æ", "a\n", "a/b", "a%b"),
    ],
    rf"^(registry|matter/{ID_PATTERN})$": [
        *("registry", "matter/a", "matter/" + "a" * 64),
        *("matter/" + "a" * 65, "matter/", "matter/A", "Registry", "registry/"),
        *("matter/a/b", "matters/a", ""),
    ],
    "^[A-Za-z]{1,64}$": [
        *("DecisionMade", "a", "Z" * 64, "DecisionTaken"),
        *("Z" * 65, "", "Decision Made", "Æble", "Decision1", "Decision\n"),
    ],
    "^[0-9a-f]{16}$": ["0123456789abcdef", "0" * 15, "0" * 17, "0123456789ABCDEF", "g" * 16],
    "^[0-9a-f]{64}$": ["0" * 64, "f" * 64, "0" * 63, "0" * 65, "F" * 64, "g" + "0" * 63],
    r"^[\x21-\x7e]{1,255}$": [
        *("a", "~" * 255, "ledger.example/other"),
        *("", "a" * 256, "a b", "æ", "a\x7f", "a\t"),
    ],
    CLAIMED_TIME_PATTERN: [
        *("2026-02-03T10:15:00Z", "2024-02-29T00:00:00Z", "2000-02-29T23:59:59Z"),
        *("2026-02-03T10:15:00.000001Z", "2026-02-03T10:15:00.500000Z", "1000-01-01T00:00:00Z"),
        *("2025-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z"),
        *("2026-02-03T10:15:00.5Z", "2026-02-03T10:15:00.000000Z", "2026-02-03T24:00:00Z"),
        *("2026-02-03T10:15:60Z", "2026-02-03T10:15:00+00:00", "2026-02-03t10:15:00z"),
        *("0999-01-01T00:00:00Z", "٢٠٢٦-02-03T10:15:00Z", "2026-02-03T10:15Z", ""),
    ],
    pattern_of(ev.Date): [
        *("2026-02-03", "0000-01-01", "9999-12-31", "2026-02-31"),
        *("2026-13-01", "2026-00-10", "2026-1-01", "٢٠٢٦-02-03", "2026-02-03T00:00:00Z"),
    ],
    pattern_of(ev.Line): [
        *("Ny skolestruktur", "æøå 😀", "a\nb", "a\tb", "a\x7fb", "a\x85b"),
        *("a\u2028b", "a\u2029b", "\x00", "line\r"),
    ],
    "^[a-z][a-z0-9_]{0,63}$": [
        *("text", "a", "a" * 64, "side_2"),
        *("", "A", "1a", "_a", "a" * 65, "a-b", "æ", "a b"),
    ],
    canonical_base64_pattern(16): _base64_samples(16),
    canonical_base64_pattern(32): _base64_samples(32),
    canonical_base64_pattern(64): _base64_samples(64),
    "^[A-Z][A-Za-z]{1,63}$": ["MatterOpened", "Ab", "A" * 64, "A", "ab", "A1", "A" * 65, "Æb"],
    RULE_PATTERN: [
        *("MED-04", "med4", "Med-12", "MED-1"),
        *("MED-123", "MED-", "MED-٤", "XMED-1", "MED--1", "MED 4"),
    ],
    AS_OF_PATTERN: ["1", "120", "0", "999999", "١٢", " 1", "-1", *_MOMENTS],
    NOW_PATTERN: _MOMENTS,
}


@dataclass
class Boundaries:
    """Candidates for the schemas of one OpenAPI document, judged by its own schema."""

    document: dict[str, Any]
    missing_samples: set[str] = field(default_factory=set)
    _validators: dict[str, jsonschema_rs.Validator] = field(default_factory=dict)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].removeprefix("#/components/schemas/")
            schema = self.document["components"]["schemas"][name]
        return schema

    def admits(self, schema: dict[str, Any], value: Json) -> bool:
        """Does ``schema`` (which may refer to the document's components) admit ``value``?"""
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            root = {**schema, "components": self.document["components"]}
            validator = jsonschema_rs.Draft202012Validator(root)
            self._validators[key] = validator
        return validator.is_valid(value)

    def valid(self, schema: dict[str, Any]) -> Json:
        """A value ``schema`` admits: every member of an object, each valid."""
        resolved = self.resolve(schema)
        if resolved.get("type") == "object" and "patternProperties" not in resolved:
            properties = resolved.get("properties", {})
            return {name: self.valid(sub) for name, sub in properties.items()}
        for value in self.candidates(schema):
            if self.admits(schema, value):
                return value
        raise AssertionError(f"no candidate is valid for {schema}")

    def candidates(self, schema: dict[str, Any]) -> list[Json]:
        """Values at and past every limit ``schema`` states, and of other types."""
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return _unique([v for branch in schema["anyOf"] for v in self.candidates(branch)])
        if "const" in schema:
            value = schema["const"]
            return _unique([value, "other", None, value is not True, 0, str(value)])
        if "enum" in schema:
            return [*schema["enum"], "nope", str(schema["enum"][0]).upper(), 1, None]
        kind = schema.get("type")
        found: list[Json]
        if kind == "string":
            found = self._strings(schema)
        elif kind == "integer":
            found = _integers(schema)
        elif kind == "boolean":
            found = [True, False, 0, 1, "true"]
        elif kind == "null":
            found = ["null", 0]
        elif kind == "array":
            found = self._arrays(schema)
        elif kind == "object":
            found = [value for _, value in self.variants(schema)] + [[], "{}"]
        else:
            raise AssertionError(f"no candidates for the schema {schema}")
        return _unique([*found, None])

    def _strings(self, schema: dict[str, Any]) -> list[Json]:
        found: list[Json] = ["x", "æ", "a\nb", 7, True]
        pattern = schema.get("pattern")
        if pattern is not None:
            samples = PATTERN_SAMPLES.get(pattern)
            if samples is None:
                self.missing_samples.add(pattern)
            found = [*(samples or []), 7, True]
        shortest, longest = schema.get("minLength", 0), schema.get("maxLength")
        found += ["a" * max(shortest - 1, 0), "a" * shortest]
        if longest is not None:
            found += ["a" * longest, "a" * (longest + 1)]
        return found

    def _arrays(self, schema: dict[str, Any]) -> list[Json]:
        items = schema.get("items", {})
        found: list[Json] = [[], [self.valid(items)], "[]", {}]
        found += [[value] for value in self.candidates(items)]
        return found

    def variants(
        self, schema: dict[str, Any], base: dict[str, Any] | None = None
    ) -> list[tuple[str, Json]]:
        """``(member, value)``: an object's instance (``base``, or a valid one), then each
        member replaced by each candidate or left out, then an unknown member added."""
        schema = self.resolve(schema)
        if "patternProperties" in schema:
            return self._maps(schema)
        if base is None:
            base = self.valid(schema)
        found: list[tuple[str, Json]] = [("", base), ("", {**base, "zz": 1})]
        for name, sub in schema.get("properties", {}).items():
            rest = {k: v for k, v in base.items() if k != name}
            found.append((name, rest))
            found += [(name, {**rest, name: value}) for value in self.candidates(sub)]
        return found

    def _maps(self, schema: dict[str, Any]) -> list[tuple[str, Json]]:
        """A map whose keys match a pattern: each key sample, each value candidate."""
        [(pattern, values)] = schema["patternProperties"].items()
        keys = PATTERN_SAMPLES.get(pattern, [])
        if not keys:
            self.missing_samples.add(pattern)
        value = self.valid(values)
        found: list[tuple[str, Json]] = [("", {})]
        found += [("key", {key: value}) for key in keys]
        found += [("value", {"a": v}) for v in self.candidates(values)]
        return found


def _integers(schema: dict[str, Any]) -> list[Json]:
    low, high = schema.get("minimum"), schema.get("maximum")
    found: list[Json] = [0, 1, -1]
    if low is not None:
        found += [low - 1, low]
    if high is not None:
        found += [high, high + 1]
    return [*found, "1", 1.5, True]


def _unique(values: list[Json]) -> list[Json]:
    """``values`` without repeats (``1`` and ``True`` are different JSON values)."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = json.dumps(value, sort_keys=True)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept
