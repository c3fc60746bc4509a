"""Schemas of what auditor writes: ``audit-result/1``, ``audit-comparison/1``, the problems.

Written from audit-output.md (version 1.1) rather than derived from the
pydantic models, because the documents are the contract: keys a reader may
rely on are required, and unknown keys are allowed everywhere (a newer
minor version may add keys; readers ignore those they do not know). Keys
added in version 1.1 are optional in the result schema, so a version 1
document still validates.
"""

from __future__ import annotations

from typing import Any

from auditor.model.codes import Code
from auditor.model.enums import Rating, Severity, SubjectType
from auditor.model.problems import PROBLEMS_FORMAT, Level

_BASE = "https://github.com/auditor/auditor/schemas/"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NUMBER = {"type": "number"}
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_STRING = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_INTEGER = {"type": "integer", "minimum": 0}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with these keys required and those optional; other keys allowed."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
    }


def _amounts() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": _NUMBER}


def _subject() -> dict[str, Any]:
    return _object(
        {"type": {"enum": [kind.value for kind in SubjectType]}, "id": _STRING},
    )


def _severity() -> dict[str, Any]:
    return {"enum": [severity.value for severity in Severity]}


def result_schema() -> dict[str, Any]:
    """``audit-result/1`` with the keys of version 1.1."""
    evidence = _object(
        {
            "sheet": _STRING,
            "cell": {"type": ["string", "null"], "description": "null for dataset input"},
            "column": _STRING,
            "value": {"description": "the value as read, normalised, not converted"},
        },
        {
            "record_id": {"type": ["string", "null"], "description": "the id of the row (1.1)"},
            "path": {"type": "string", "description": "dataset input only (1.1)"},
        },
    )
    finding = _object(
        {
            "rule_id": _STRING,
            "title": _STRING,
            "severity": {"$ref": "#/$defs/severity"},
            "paragraph": {"type": "integer"},
            "subject": {"$ref": "#/$defs/subject"},
            "evidence": {"type": "array", "items": evidence},
        },
        {
            "amount_owed": _NUMBER,
            "amount_charged": {
                "type": ["number", "null"],
                "description": "DEST-01 (1.3): charged against the destination's law, beside "
                "amount_owed 0; null when undetermined",
            },
        },
    )
    corridor = _object(
        {
            "destination": _STRING,
            "workers": _INTEGER,
            "workers_charged": _INTEGER,
            "amount_charged": _NUMBER,
        }
    )
    rule = _object(
        {
            "rule_id": _STRING,
            "severity": {"$ref": "#/$defs/severity"},
            "paragraph": {"type": "integer"},
            "applicable": _INTEGER,
            "affected": _INTEGER,
            "gaps": _INTEGER,
            "prevalence": _NULLABLE_NUMBER,
            "points": _NUMBER,
        },
        # 1 - points/100 (catalogue 1.2); absent in results scored by subtraction
        {"factor": {"type": "number", "minimum": 0, "maximum": 1}},
    )
    money = _object(
        {
            "total": _NUMBER,
            "by_worker": _amounts(),
            "undetermined": {
                "type": "array",
                "items": _object(
                    {"worker_id": _STRING, "cell": {"type": ["string", "null"]}},
                    {
                        "record_id": {"type": ["string", "null"], "description": "fee_id (1.1)"},
                        "path": {"type": "string", "description": "dataset input only (1.1)"},
                    },
                ),
            },
        },
        {"refunded": _object({"total": _NUMBER, "by_worker": _amounts()})},
    )
    gap = _object(
        {
            "rule_id": _STRING,
            "subject": {"$ref": "#/$defs/subject"},
            "missing": {"type": "array", "items": _STRING},
        }
    )
    subjects = _object(
        {kind.value: {"type": "array", "items": _STRING} for kind in SubjectType},
    )
    schema = _object(
        {
            "format": {"const": "audit-result/1"},
            "audit_id": _STRING,
            "agency_name": _STRING,
            "inspection_date": _DATE,
            "jurisdiction": _STRING,
            "currency": _STRING,
            "input_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "ruleset_version": _STRING,
            "score": _NUMBER,
            "rating": {"enum": [rating.value for rating in Rating]},
            "provisional": {"type": "boolean"},
            "coverage": {"type": "number", "minimum": 0, "maximum": 1},
            "paragraph_scores": _amounts(),
            "findings": {"type": "array", "items": finding},
            "rules": {"type": "array", "items": rule},
            "money_owed": money,
            "data_gaps": {"type": "array", "items": gap},
            "warnings": {"type": "array", "items": _STRING},
        },
        {
            "agency_licence": {"type": ["string", "null"]},
            "engine_version": {"type": ["string", "null"]},
            # catalogue 1.2; a result without it was scored by subtraction (version 1)
            "scoring": {"enum": ["multiplicative/1"]},
            "subjects": subjects,
            "agency_copy": _object(
                {"withheld_rules": {"type": "array", "items": _STRING}}, {"note": _STRING}
            ),
            "corridor": {
                "type": "array",
                "items": corridor,
                "description": "1.3: per destination with a destination profile, sorted",
            },
        },
    )
    return {
        "$schema": _DRAFT,
        "$id": _BASE + "result.schema.json",
        "title": "audit-result/1",
        "description": (
            "The result of one audit (audit-output.md, version 1.1). Keys may be added within "
            "version 1, none removed or renamed: readers ignore keys they do not know."
        ),
        **schema,
        "$defs": {"subject": _subject(), "severity": _severity()},
    }


def comparison_schema() -> dict[str, Any]:
    """``audit-comparison/1``: a follow-up audit against the previous one."""
    side = _object(
        {
            "audit_id": _STRING,
            "inspection_date": _DATE,
            "score": _NUMBER,
            "rating": {"enum": [rating.value for rating in Rating]},
            "provisional": {"type": "boolean"},
            "ruleset_version": _STRING,
            "input_sha256": _STRING,
        }
    )
    item = _object(
        {
            "rule_id": _STRING,
            "severity": {"$ref": "#/$defs/severity"},
            "paragraph": {"type": "integer"},
            "subject": {"$ref": "#/$defs/subject"},
            "due": {"type": ["string", "null"], "format": "date"},
            "overdue": {"type": "boolean"},
        },
        {  # version 1.2: fee findings refunded in full (never overdue)
            "refunded_in_full": {"type": "boolean"},
            "refunded_on": {"type": ["string", "null"], "format": "date"},
        },
    )
    items = {"type": "array", "items": item}
    worker = _object(
        {"previous": _NUMBER, "current": _NULLABLE_NUMBER, "refunded": _NULLABLE_NUMBER}
    )
    money = _object(
        {
            "previous_total": _NUMBER,
            "current_total": _NUMBER,
            "refunded_total": _NUMBER,
            "by_worker": {"type": "object", "additionalProperties": worker},
        },
        {  # version 1.2: the terms that add up to what is still owed
            "not_reassessed_total": _NUMBER,
            "over_refunded_total": _NUMBER,
            "other_changes_total": _NUMBER,
        },
    )
    schema = _object(
        {
            "format": {"const": "audit-comparison/1"},
            "agency_licence": {"type": ["string", "null"]},
            "previous": side,
            "current": side,
            # null when the two scores were computed by different methods (catalogue 1.2)
            "score_change": _NULLABLE_NUMBER,
            "findings": _object(
                {"persisting": items, "new": items, "resolved": items, "not_reassessed": items},
                {"set_aside_previously": items},
            ),
            "repeat_critical": _INTEGER,
            "money_owed": {"anyOf": [money, {"type": "null"}]},
            "notes": {"type": "array", "items": _STRING},
        },
        {  # version 1.2
            "due_basis": {
                "enum": ["issue", "inspection"],
                "description": "issue: due dates from the previous issue record; inspection: "
                "from the previous inspection date (1.1)",
            },
            "previous_added": {"type": "array", "items": {"type": "object"}},
            "previous_issue_code": {"type": ["string", "null"]},
        },
    )
    return {
        "$schema": _DRAFT,
        "$id": _BASE + "comparison.schema.json",
        "title": "audit-comparison/1",
        "description": (
            "A follow-up audit compared with the previous one (audit-output.md, 'Follow-up "
            "audits'). Readers ignore keys they do not know."
        ),
        **schema,
        "$defs": {"subject": _subject(), "severity": _severity()},
    }


def problems_schema() -> dict[str, Any]:
    """The problems document of ``auditor validate --format json``."""
    problem = _object(
        {
            "location": {
                "type": "string",
                "description": "as the text form shows it: Fees!E7, Fees!amount, Fees, file; "
                "for dataset input the JSON path, or input",
            },
            "code": {
                # Open: codes may be added (CHANGELOG), so a client must not refuse a new one.
                "type": "string",
                "pattern": "^[a-z]+(_[a-z]+)*$",
                "examples": [code.value for code in Code],
                "description": "stable; new codes may be added; see docs/problem-codes.md",
            },
            "severity": {"enum": [level.value for level in Level]},
            "message": _STRING,
        },
        {
            "path": {
                "type": "string",
                "description": "dataset input only: fees[3].amount, audit.currency, workers, "
                "workers[*].notes (a field of every record); empty for the input as a whole",
            }
        },
    )
    return {
        "$schema": _DRAFT,
        "$id": _BASE + "problems.schema.json",
        "title": PROBLEMS_FORMAT,
        "description": (
            "Every problem of one input, errors then warnings, each in sheet (list) then row "
            "(record) order; valid is false when there is an error. auditor validate prints "
            "one such document for one input, an array of them (in the order given) for several."
        ),
        "oneOf": [
            {"$ref": "#/$defs/document"},
            {"type": "array", "items": {"$ref": "#/$defs/document"}},
        ],
        "$defs": {
            "document": _object(
                {
                    "format": {"const": PROBLEMS_FORMAT},
                    "input": _STRING,
                    "valid": {"type": "boolean"},
                    "problems": {"type": "array", "items": problem},
                }
            )
        },
    }
