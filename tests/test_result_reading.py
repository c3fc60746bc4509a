"""The library reads result documents: its own, the agency's copy, and newer minor versions.

audit-output.md "Version 1.1": readers of ``audit-result/1`` ignore keys
they do not know, the library's own parser included.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.render import result_for

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"


@pytest.fixture(scope="module")
def inspection() -> auditor.Inspection:
    return auditor.inspect_records(SAMPLE)


@pytest.mark.parametrize("copy", list(auditor.Copy))
def test_each_copy_reads_back_to_the_same_document(
    inspection: auditor.Inspection, copy: auditor.Copy
) -> None:
    text = auditor.render_json(inspection, copy).decode("utf-8")
    again = auditor.AuditResult.model_validate_json(text)
    assert again.to_json() == text
    assert again == result_for(inspection, copy)


def _add_unknown_keys(document: dict[str, Any]) -> None:
    document["reviewed_by"] = {"inspector": "I-7", "on": "2026-07-01"}
    document["findings"][0]["confidence"] = 0.9
    document["findings"][0]["evidence"][0]["source_hash"] = "ab12"
    document["findings"][0]["subject"]["label"] = "W3"
    document["rules"][0]["trend"] = "up"
    document["money_owed"]["interest"] = {"total": 1.5}
    document["data_gaps"].append(
        {"rule_id": "INFO-01", "subject": {"type": "worker", "id": "W99"}, "missing": [], "x": 1}
    )


def test_keys_of_a_newer_minor_version_are_ignored(inspection: auditor.Inspection) -> None:
    document = json.loads(inspection.result.to_json())
    assert document["findings"]
    assert document["findings"][0]["evidence"]
    _add_unknown_keys(document)
    read = auditor.AuditResult.model_validate_json(json.dumps(document))
    assert read.findings == inspection.result.findings
    assert read.score == inspection.result.score
    assert "reviewed_by" not in read.to_json()


def test_a_version_1_0_document_reads_with_no_engine_version(
    inspection: auditor.Inspection,
) -> None:
    document = json.loads(inspection.result.to_json())
    del document["engine_version"]
    read = auditor.AuditResult.model_validate(document)
    assert read.engine_version is None
    assert read.ruleset_version == inspection.result.ruleset_version


def test_the_public_enums_type_what_is_read(inspection: auditor.Inspection) -> None:
    read = auditor.AuditResult.model_validate_json(inspection.result.to_json())
    assert isinstance(read.rating, auditor.Rating)
    assert all(isinstance(f.severity, auditor.Severity) for f in read.findings)
    assert all(isinstance(f.subject.type, auditor.SubjectType) for f in read.findings)
    assert auditor.Rating("critical") is auditor.Rating.CRITICAL
    assert auditor.Severity.LOW < auditor.Severity.CRITICAL
