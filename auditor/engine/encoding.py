"""Facts as the rule engine sees them: integers, booleans and texts only.

durable-rules compares loosely (``'abc' > 5`` matches; floats are inexact),
so every value reaches it in a form whose comparisons are exact:

- a yes/no field ``f`` becomes ``f__lo`` / ``f__hi`` in {0, 1}: known true
  is 1/1, known false 0/0, unknown 0/1;
- a number becomes four integers, the floor and the ceiling of both ends of
  its interval at 1/1,000,000 (``f__lf``, ``f__lc``, ``f__hf``, ``f__hc``);
  ``x < c`` holds exactly when ``floor(x * 10**6) < c * 10**6``, and so on
  for each operator (see :mod:`.conditions`); an unknown end is beyond any
  value (+-9e18);
- an enumeration or code is its text, ``""`` when unknown.

Only the fields some rule reads are sent, each under ``engine_key(path)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

from auditor.engine.conditions import CLAMP, SCALE, UNBOUNDED, UNKNOWN_TEXT, engine_key
from auditor.enrich.facts import Fact
from auditor.enrich.values import Interval, Value
from auditor.enrich.vocabulary import FactType, FieldType, field_spec

Encoder = Callable[[Fact], dict[str, Any]]


def _clamp(value: int) -> int:
    return CLAMP if value > CLAMP else -CLAMP if value < -CLAMP else value


def scaled(value: Decimal | Fraction | int) -> tuple[int, int]:
    """Floor and ceiling of ``value * 10**6``, clamped."""
    if isinstance(value, Decimal):
        shifted = value.scaleb(6)
        floor = int(shifted.to_integral_value(ROUND_FLOOR))
        ceiling = floor if shifted == floor else int(shifted.to_integral_value(ROUND_CEILING))
        return _clamp(floor), _clamp(ceiling)
    fraction = Fraction(value) * SCALE
    floor = fraction.numerator // fraction.denominator
    ceiling = -((-fraction.numerator) // fraction.denominator)
    return _clamp(floor), _clamp(ceiling)


def _put_number(out: dict[str, Any], key: str, value: Value) -> None:
    assert isinstance(value, Interval), (key, value)
    if value.lo is None:
        out[f"{key}__lf"] = out[f"{key}__lc"] = -UNBOUNDED
    else:
        out[f"{key}__lf"], out[f"{key}__lc"] = scaled(value.lo)
    if value.hi is None:
        out[f"{key}__hf"] = out[f"{key}__hc"] = UNBOUNDED
    elif value.hi is value.lo:
        out[f"{key}__hf"], out[f"{key}__hc"] = out[f"{key}__lf"], out[f"{key}__lc"]
    else:
        out[f"{key}__hf"], out[f"{key}__hc"] = scaled(value.hi)


def _put_bool(out: dict[str, Any], key: str, value: Value) -> None:
    if value is None:
        out[f"{key}__lo"], out[f"{key}__hi"] = 0, 1
    else:
        bit = 1 if value else 0
        out[f"{key}__lo"] = out[f"{key}__hi"] = bit


def _put_text(out: dict[str, Any], key: str, value: Value) -> None:
    out[key] = UNKNOWN_TEXT if value is None else str(value)


_PUT = {
    FieldType.BOOL: _put_bool,
    FieldType.NUMBER: _put_number,
    FieldType.ENUM: _put_text,
    FieldType.CODE: _put_text,
}


def make_encoder(fact_type: FactType, paths: set[str]) -> Encoder:
    """An encoder of ``fact_type`` facts carrying exactly ``paths`` (sorted, for stable JSON)."""
    plan = []
    for path in sorted(paths):
        spec = field_spec(fact_type, path)
        assert spec is not None, (fact_type, path)
        plan.append((path, engine_key(path), _PUT[spec.type], "." in path))

    def encode(fact: Fact) -> dict[str, Any]:
        out: dict[str, Any] = {"t": fact_type.value, "id": fact.id}
        if fact.worker >= 0:
            out["w"] = fact.worker
        values = fact.values
        for path, key, put, related in plan:
            put(out, key, fact.get(path) if related else values[path])
        return out

    return encode


def make_encoders(paths: Mapping[FactType, set[str]]) -> dict[FactType, Encoder]:
    return {fact_type: make_encoder(fact_type, fields) for fact_type, fields in paths.items()}
