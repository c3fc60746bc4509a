"""The input schema: the canonical dict form of an inspection, from the column definitions.

Pydantic's own ``model_json_schema()`` describes the Python types, not the
format: it rejects aliases the readers accept (``sex: "F"``) and accepts
values they refuse (``amount: -250``). This schema is shaped from the
column kinds of :mod:`auditor.model.columns` instead, so it follows the
models as they change, and it is deliberately the *canonical* form: every
document valid against it is accepted by the library with the same
meaning, while the library also reads looser forms (any case, ``yes``/``no``
texts, comma lists, numbers with thousands commas) that the schema does not
promise.

What a JSON Schema cannot express is left to the library (audit-output.md,
"JSON Schemas"): references and FX rates across records, the order of dates,
a refund at most its amount, ids unique within their list, the total number
of values, and the day the check runs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic.fields import FieldInfo

from auditor.base.limits import DEFAULT_LIMITS
from auditor.model.columns import Kind, bounds_of, enum_of, kind_of
from auditor.model.records import Record
from auditor.model.sheets import AUDIT_SHEET, TABLE_SHEETS, SheetSpec
from auditor.model.values import currency_minor_units

SCHEMA_ID = "https://github.com/auditor/auditor/schemas/input.schema.json"
_DIGITS = 15  # a number of 16 or more digits before the point is refused (ingest/cells.py)
_NUMBER_LIMIT = 10**_DIGITS
#: Characters no text may hold: controls other than tab and line breaks.
_CONTROL = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
#: Characters an id may not hold: every control, invisible, format or separator character
#: (``str.isprintable`` is false for them), as far as a regular expression can list them.
_INVISIBLE = (
    "\\u0000-\\u001f\\u007f-\\u00a0\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u08e2"
    "\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u2064\\u2066-\\u206f\\u3000"
    "\\ud800-\\uf8ff\\ufeff\\ufff9-\\ufffb"
)
#: The empty markers of the format (any case, spaces around): they mean "not recorded".
_EMPTY_MARKER = "^\\s*([Nn][Oo][Nn][Ee]|[Nn]/[Aa]|[Nn][Aa]|-|[Uu][Nn][Kk][Nn][Oo][Ww][Nn])?\\s*$"
_PLAIN = "(0|[1-9][0-9]{0," + str(_DIGITS - 1) + "})(\\.[0-9]+)?"


def _text(required: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "string",
        "maxLength": DEFAULT_LIMITS.max_cell_chars,
        "pattern": f"^[^{_CONTROL}]*$",
    }
    if required:
        schema["not"] = {"pattern": _EMPTY_MARKER}
    return schema


def _id() -> dict[str, Any]:
    return {
        "anyOf": [
            {
                "type": "string",
                "maxLength": DEFAULT_LIMITS.max_cell_chars,
                "pattern": f"^ *[^{_INVISIBLE} ]([^{_INVISIBLE}]*[^{_INVISIBLE} ])? *$",
                "not": {"pattern": _EMPTY_MARKER},
            },
            {"type": "integer"},
        ],
        "description": "An identifier: text (trimmed, case-sensitive) or a whole number.",
    }


def _number(
    *, minimum: int = 0, above: bool = False, maximum: Decimal | None = None
) -> dict[str, Any]:
    number: dict[str, Any] = {"type": "number"}
    if above:
        number["exclusiveMinimum"] = minimum
    else:
        number["minimum"] = minimum
    if maximum is not None:
        number["maximum"] = int(maximum) if maximum == int(maximum) else float(maximum)
        return number  # a bounded number is given as a number
    number["exclusiveMaximum"] = _NUMBER_LIMIT
    lookahead = "(?=.*[1-9])" if above else ""
    text = {"type": "string", "pattern": f"^{lookahead}{_PLAIN}$"}
    return {"anyOf": [number, text]}


def _date() -> dict[str, Any]:
    return {
        "type": "string",
        "format": "date",
        "pattern": "^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    }


def _kind_schema(name: str, info: FieldInfo, spec: SheetSpec) -> dict[str, Any]:
    kind = kind_of(info)
    if kind is Kind.ID:
        return _id()
    if kind is Kind.TEXT:
        return _text(info.is_required())
    if kind is Kind.BOOL:
        return {"type": "boolean"}
    if kind is Kind.ENUM:
        found = enum_of(info)
        assert found is not None, name
        return {"enum": [m.value for m in found.enum] + [alias for alias, _ in found.aliases]}
    if kind is Kind.AMOUNT:
        return _number()
    if kind in (Kind.WAGE, Kind.RATE):
        return _number(above=True)
    if kind is Kind.NUMBER:
        bounds = bounds_of(info)
        return _number(maximum=bounds.maximum if bounds else None)
    if kind is Kind.DATE:
        return _date()
    if kind is Kind.COUNTRY:
        return {"$ref": "#/$defs/country"}
    if kind is Kind.CURRENCY:
        if spec is AUDIT_SHEET and name == "currency":
            return {"$ref": "#/$defs/audit_currency"}
        return {"$ref": "#/$defs/currency"}
    if kind is Kind.LANGUAGES:
        return {"type": "array", "items": {"$ref": "#/$defs/language"}, "minItems": 1}
    raise AssertionError(f"no schema for the column kind {kind}")  # pragma: no cover


def _field(name: str, info: FieldInfo, spec: SheetSpec, jurisdictions: list[str]) -> Any:
    schema = _kind_schema(name, info, spec)
    if spec is AUDIT_SHEET and name == "jurisdiction":
        schema = {"enum": jurisdictions}
    if info.description:
        schema = {"description": info.description, **schema}
    if info.is_required():
        return schema
    return {"anyOf": [schema, {"type": "null"}], **_described(schema)}


def _described(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": schema["description"]} if "description" in schema else {}


#: Fields required when another field of the same record holds a value: (field, when, then).
_REQUIRED_WHEN: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("monthly_wage_paid", {"not": {"type": "null"}}, "wage_currency"),
    ("paid_to", {"const": "intermediary"}, "intermediary_id"),
    (
        "refunded_amount",
        {"anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"type": "string"}]},
        "refunded_on",
    ),
    ("subject_type", {"not": {"type": "null"}}, "subject_id"),
)


def _record(spec: SheetSpec, jurisdictions: list[str]) -> dict[str, Any]:
    model: type[Record] = spec.model
    fields = model.model_fields
    schema: dict[str, Any] = {
        "type": "object",
        "title": f"{spec.key} record" if spec is not AUDIT_SHEET else "audit",
        "properties": {
            name: _field(name, info, spec, jurisdictions) for name, info in fields.items()
        },
        "required": [name for name, info in fields.items() if info.is_required()],
        "additionalProperties": False,
    }
    conditions = [
        {
            "if": {"properties": {when: condition}, "required": [when]},
            "then": {"properties": {then: {"not": {"type": "null"}}}, "required": [then]},
        }
        for when, condition, then in _REQUIRED_WHEN
        if when in fields and then in fields and not fields[then].is_required()
    ]
    if conditions:
        schema["allOf"] = conditions
    return schema


def input_schema(jurisdictions: list[str]) -> dict[str, Any]:
    """The input schema; ``jurisdictions``: the profile ids the ``jurisdiction`` field accepts."""
    import pycountry

    countries = sorted(country.alpha_2 for country in pycountry.countries)
    languages = sorted(
        language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
    )
    units = currency_minor_units()
    tables = {
        spec.key: {
            "type": "array",
            "items": {"$ref": f"#/$defs/{spec.key}"},
            "maxItems": DEFAULT_LIMITS.max_rows_per_sheet,
            **({"minItems": spec.min_rows} if spec.min_rows else {}),
        }
        for spec in TABLE_SHEETS
    }
    accepted = sorted(
        {*jurisdictions, *(j.lower() for j in jurisdictions)}, key=lambda j: (j.casefold(), j)
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "auditor inspection (canonical dict form)",
        "description": (
            "One inspection of one recruitment agency, as dicts or JSON (workbook-format.md). "
            "Every document valid here is accepted by auditor with the same meaning, apart "
            "from what a schema cannot express: references and FX rates across records, ids "
            "unique within their list, the order of dates (nothing after inspection_date but "
            "licence_valid_until and follow_up_due, resolved_on not before filed_on, birth "
            "before deployment, inspection_date not after the day of the check), a refund at "
            "most its amount, and the limit on values in all. Check format: date (RFC 3339 "
            "full-date) with a format-asserting validator. jurisdiction lists the profiles "
            "shipped with auditor."
        ),
        "type": "object",
        "properties": {AUDIT_SHEET.key: {"$ref": f"#/$defs/{AUDIT_SHEET.key}"}, **tables},
        "required": [AUDIT_SHEET.key, *(spec.key for spec in TABLE_SHEETS if spec.required)],
        "additionalProperties": False,
        "$defs": {
            AUDIT_SHEET.key: _record(AUDIT_SHEET, accepted),
            **{spec.key: _record(spec, accepted) for spec in TABLE_SHEETS},
            "country": {"description": "ISO 3166-1 alpha-2", "enum": countries},
            "currency": {"description": "ISO 4217", "enum": sorted(units)},
            "audit_currency": {
                "description": "ISO 4217, a currency with a minor unit",
                "enum": sorted(code for code, unit in units.items() if unit is not None),
            },
            "language": {"description": "ISO 639-1", "enum": languages},
        },
    }
