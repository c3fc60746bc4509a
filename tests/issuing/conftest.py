"""Fixtures of issue 22: one audited sample with findings, an office key, issued reports.

Rendering an issued report takes seconds, so each kind of file is made once
per test session and the tests copy its bytes before tampering with them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.issuing import (
    IssuedBy,
    IssueRecord,
    OfficeKey,
    OfficeKeyInfo,
    Review,
    generate_office_key,
    load_office_key,
    make_issue_record,
    render_draft_pdf,
    render_issued_pdf,
)
from auditor.render import Copy
from auditor.verdict.inspection import Inspection

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"
ISSUED_ON = dt.date(2026, 12, 7)


@pytest.fixture(scope="session")
def inspection() -> Inspection:
    from auditor.pipeline import inspect_records

    return inspect_records(SAMPLE)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def office_key(data_dir: Path) -> tuple[OfficeKey, OfficeKeyInfo]:
    info = generate_office_key(data_dir, "KTM")
    key = load_office_key(data_dir, "KTM")
    assert key is not None
    return key, info


@pytest.fixture(scope="session")
def review(inspection: Inspection) -> Review:
    finding = next(f for f in inspection.result.findings if f.rule_id.startswith("FEE"))
    return Review.model_validate(
        {
            "set_aside": [
                {
                    "rule_id": finding.rule_id,
                    "subject": {"type": finding.subject.type.value, "id": finding.subject.id},
                    "reason": "The worker showed me the receipt of the full refund.",
                }
            ],
            "added": [
                {
                    "paragraph": 30,
                    "severity": "high",
                    "subject_type": "worker",
                    "subjects": [inspection.result.subjects.worker[0]],
                    "finding": "The agency kept the worker's mobile phone.",
                    "evidence": "Seen in the agency's office at the visit.",
                },
                {
                    "paragraph": 26,
                    "severity": "medium",
                    "subject_type": "worker",
                    "subjects": [inspection.result.subjects.worker[1]],
                    "finding": "A complaint was discouraged by the agency's staff.",
                    "evidence": "Told in an interview.",
                    "confidential": True,
                },
            ],
        }
    )


def _record(inspection: Inspection, review: Review, fingerprint: str | None) -> IssueRecord:
    return make_issue_record(
        inspection,
        review,
        issued_on=ISSUED_ON,
        issued_by=IssuedBy(name="Sita Sharma", title="Senior labour inspector"),
        office="KTM",
        today=ISSUED_ON,
        signer_certificate_sha256=fingerprint,
    )


@pytest.fixture(scope="session")
def signed_record(
    inspection: Inspection, review: Review, office_key: tuple[OfficeKey, OfficeKeyInfo]
) -> IssueRecord:
    return _record(inspection, review, office_key[1].fingerprint_sha256)


@pytest.fixture(scope="session")
def signed_pdf(
    inspection: Inspection,
    signed_record: IssueRecord,
    office_key: tuple[OfficeKey, OfficeKeyInfo],
) -> bytes:
    return render_issued_pdf(inspection, signed_record, Copy.INSPECTOR, office_key[0])


@pytest.fixture(scope="session")
def unsigned_record(inspection: Inspection) -> IssueRecord:
    return _record(inspection, Review(), None)


@pytest.fixture(scope="session")
def unsigned_pdf(inspection: Inspection, unsigned_record: IssueRecord) -> bytes:
    return render_issued_pdf(inspection, unsigned_record, Copy.INSPECTOR)


@pytest.fixture(scope="session")
def draft_pdf(inspection: Inspection) -> bytes:
    return render_draft_pdf(inspection, Copy.INSPECTOR)
