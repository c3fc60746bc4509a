"""The engine's encoders write exactly what the plain reading of each field says.

:func:`auditor.engine.encoding.make_encoder` writes the commonest kinds of
field inline for speed (issue 26); this compares it, on facts with values
of every kind (unknowns, intervals open on either side, ratios, values far
beyond the clamp) and any choice of fields and keys read, with the plain
form: each path read through :meth:`Fact.get` and written key by key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine.conditions import (
    BOOL_FALSE,
    BOOL_TRUE,
    BOOL_UNKNOWN,
    UNBOUNDED,
    UNKNOWN_TEXT,
    engine_key,
)
from auditor.engine.encoding import make_encoder, scaled
from auditor.enrich.facts import Fact
from auditor.enrich.values import Interval, Ratio, Value
from auditor.enrich.vocabulary import (
    FIELDS,
    RELATIONS,
    FactType,
    FieldType,
    field_names,
    field_spec,
)

_SUFFIXES = {
    FieldType.BOOL: ("",),
    FieldType.ENUM: ("",),
    FieldType.CODE: ("",),
    FieldType.NUMBER: ("__lf", "__lc", "__hf", "__hc"),
}

_decimals = st.decimals(
    min_value=Decimal("-1e22"), max_value=Decimal("1e22"), allow_nan=False, places=8
) | st.sampled_from([Decimal(0), Decimal("500.00"), Decimal("0.0000005"), Decimal("-2E+20")])
_exact = _decimals | st.builds(Ratio, st.integers(-(10**12), 10**12), st.integers(1, 10**9))
_numbers = (
    _exact
    | st.builds(Interval, st.none() | _exact, st.none() | _exact)
    | st.just(Interval(None, None))
)


def _value(kind: FieldType) -> st.SearchStrategy[Value]:
    if kind is FieldType.BOOL:
        return st.sampled_from([True, False, None])
    if kind is FieldType.NUMBER:
        return _numbers
    return st.none() | st.sampled_from(["domestic_work", "employer", "W-1", "ü"])


@st.composite
def _fact(draw: st.DrawFn, fact_type: FactType) -> Fact:
    """A fact with a value for every field, and its related facts (the parent's parent too)."""
    values = {spec.name: draw(_value(spec.type)) for spec in FIELDS[fact_type]}
    related = RELATIONS.get(fact_type, ())
    parent = draw(_fact(related[0])) if related else None
    worker = draw(st.integers(-1, 5))
    return Fact(fact_type, 0, {}, values, worker, parent, f"{fact_type.value}:0")


def _plain(fact_type: FactType, paths: set[str], read: set[str] | None, fact: Fact) -> Any:
    out: dict[str, Any] = {"t": fact_type.value, "id": fact.id}
    if fact.worker >= 0:
        out["w"] = fact.worker
    for path in paths:
        spec = field_spec(fact_type, path)
        assert spec is not None
        value = fact.get(path)
        key = engine_key(path)
        if spec.type is FieldType.BOOL:
            written: tuple[Any, ...] = (
                BOOL_UNKNOWN if value is None else BOOL_TRUE if value else BOOL_FALSE,
            )
        elif spec.type is FieldType.NUMBER:
            ends: tuple[Any, Any] = value if isinstance(value, Interval) else (value, value)
            lo, hi = ends
            low = (-UNBOUNDED, -UNBOUNDED) if lo is None else scaled(lo)
            high = (UNBOUNDED, UNBOUNDED) if hi is None else scaled(hi)
            written = (*low, *high)
        else:
            written = (UNKNOWN_TEXT if value is None else value,)
        for suffix, item in zip(_SUFFIXES[spec.type], written, strict=True):
            if read is None or key + suffix in read:
                out[key + suffix] = item
    return out


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(), fact_type=st.sampled_from([FactType.CONTRACT, FactType.FEE, FactType.WORKER])
)
def test_an_encoder_writes_what_each_field_plainly_says(
    data: st.DataObject, fact_type: FactType
) -> None:
    names = field_names(fact_type)
    paths = data.draw(st.sets(st.sampled_from(names), min_size=1))
    every_key = sorted(
        engine_key(path) + suffix
        for path in names
        for suffix in _SUFFIXES[field_spec(fact_type, path).type]  # type: ignore[union-attr]
    )
    read = data.draw(st.none() | st.sets(st.sampled_from(every_key)))
    fact = data.draw(_fact(fact_type))
    assert make_encoder(fact_type, paths, read)(fact) == _plain(fact_type, paths, read, fact)
