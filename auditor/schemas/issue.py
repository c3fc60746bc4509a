"""Schema of the issue record ``audit-issue/1`` (audit-output.md 1.2).

Written from the spec, like the result's: keys a reader may rely on are
required, other keys allowed (a newer minor version may add some). The
library's :class:`auditor.issuing.record.IssueRecord` writes it; a test
validates what it writes against this schema.
"""

from __future__ import annotations

from typing import Any

from auditor.model.enums import Rating, Severity, SubjectType
from auditor.schemas.output import _BASE, _DATE, _DRAFT, _STRING, _object

_CODE = {"type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$"}
_SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_COUNT = {"type": "integer", "minimum": 0}


def _subject() -> dict[str, Any]:
    return _object({"type": {"enum": [k.value for k in SubjectType]}, "id": _STRING})


def issue_schema() -> dict[str, Any]:
    severity = {"enum": [s.value for s in Severity]}
    rule = _object(
        {
            "rule_id": _STRING,
            "severity": severity,
            "paragraph": {"type": "integer"},
            "applicable": _COUNT,
            "affected": _COUNT,
            "gaps": _COUNT,
            "prevalence": {"type": ["number", "null"]},
            "points": {"type": "number"},
        },
        {"set_aside": _COUNT, "added": {"type": "boolean"}},
    )
    return {
        "$schema": _DRAFT,
        "$id": f"{_BASE}issue.schema.json",
        "title": "audit-issue/1",
        "description": "The issue record of an issued report (audit-output.md 1.2).",
        **_object(
            {
                "format": {"const": "audit-issue/1"},
                "audit_id": _STRING,
                "input_sha256": _SHA,
                "result_sha256": _object({"inspector": _SHA, "agency": _SHA}),
                "issued_on": _DATE,
                "issued_by": _object({"name": _STRING, "title": _STRING}),
                "office": _STRING,
                "verification_code": _CODE,
                "supersedes": {
                    "oneOf": [
                        {"type": "null"},
                        _object(
                            {
                                "verification_code": _CODE,
                                "audit_id": _STRING,
                                "reason": {"type": "string", "minLength": 20},
                            }
                        ),
                    ]
                },
                "set_aside": {
                    "type": "array",
                    "items": _object(
                        {
                            "rule_id": _STRING,
                            "subject": _subject(),
                            "reason": {"type": "string", "minLength": 20},
                        }
                    ),
                },
                "added": {
                    "type": "array",
                    "items": _object(
                        {
                            "rule_id": {"type": "string", "pattern": "^INSP-[1-9][0-9]*$"},
                            "paragraph": {"enum": [11, 16, 26, 30]},
                            "severity": severity,
                            "subject_type": {"enum": [k.value for k in SubjectType]},
                            "subjects": {"type": "array", "items": _STRING},
                            "finding": _STRING,
                            "evidence": _STRING,
                            "confidential": {"type": "boolean"},
                        }
                    ),
                },
                "due": {
                    "type": "array",
                    "items": _object(
                        {
                            "rule_id": _STRING,
                            "subject": {"oneOf": [{"type": "null"}, _subject()]},
                            "severity": severity,
                            "due": {"type": ["string", "null"], "format": "date"},
                        },
                        {"basis": {"enum": ["issue", "previous_issue"]}, "count": _COUNT},
                    ),
                },
                "reviewed": _object(
                    {
                        "score": {"type": "number"},
                        "rating": {"enum": [r.value for r in Rating]},
                        "provisional": {"type": "boolean"},
                        "coverage": {"type": "number"},
                        "paragraph_scores": {
                            "type": "object",
                            "additionalProperties": {"type": "number"},
                        },
                        "rules": {"type": "array", "items": rule},
                        "money_owed": _object(
                            {
                                "total": {"type": "number"},
                                "by_worker": {
                                    "type": "object",
                                    "additionalProperties": {"type": "number"},
                                },
                            }
                        ),
                    }
                ),
            },
            {
                "agency_name": _STRING,
                "inspection_date": _DATE,
                "ruleset_version": _STRING,
                "verify_url": {"type": ["string", "null"]},
                "signed": {"type": "boolean"},
                "signer_certificate_sha256": {"oneOf": [{"type": "null"}, _SHA]},
                "for_copy": {"enum": ["inspector", "agency"]},
                "withheld": {
                    "oneOf": [{"type": "null"}, _object({"set_aside": _COUNT, "added": _COUNT})]
                },
            },
        ),
    }
