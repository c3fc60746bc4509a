"""Audit logs say what was audited, under which rules and how long it took, never of whom.

Logs travel further and live longer than reports (``auditor/logs.py``).
The workbook here has a distinctive text in every place that could name a
person or an agency, distinctive worker ids, and a date of birth; after an
audit, a refusal and an isolated audit, no log record of any logger, at any
level, may contain one of them, in its message, its arguments or its
structured fields. What the records must hold instead is checked too, so
that a test passing on an empty log is impossible.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.runner.isolation import inspect_isolated
from tests.builders import Book, as_data, base_book, write_book
from tests.reliability.conftest import HANG_GUARD_S

BIRTH = dt.date(1987, 9, 23)
NAMES = {
    "audit_id": "AID-Nightingale-9917",
    "agency_name": "Zenobia Kwiatkowska Placement",
    "agency_licence_number": "LIC-Kestrel-4242",
    "inspector": "Ottoline Vandersloot",
    "employer": "Quillon Fairweather Household",
    "intermediary": "Radomir Esterhazy Brokerage",
    "fee_description": "cash handed to Philippa Grimsditch",
    "worker_1": "WRK-Marisol-7731",
    "worker_2": "WRK-Teodora-5520",
    "employer_id": "EMP-Fairweather",
    "fee_id": "FEE-Grimsditch-1",
    "contract_id": "CTR-Marisol-1",
}
#: A date of birth as any layer might print it.
BIRTH_TEXTS = (
    BIRTH.isoformat(),
    "1987/09/23",
    "23/09/1987",
    "09/23/1987",
    "23.09.1987",
    "19870923",
    repr(BIRTH),
    "1987, 9, 23",
)
#: The same date as a number: its ordinal (the engine's encoding) and its Excel serial.
BIRTH_NUMBERS = (BIRTH.toordinal(), (BIRTH - dt.date(1899, 12, 30)).days)
STAGES = ("rules", "ingest", "enrich", "engine", "outcome", "result")


def _named_book() -> Book:
    book = base_book()
    book["Audit"].update(
        audit_id=NAMES["audit_id"],
        agency_name=NAMES["agency_name"],
        agency_licence_number=NAMES["agency_licence_number"],
        inspector=NAMES["inspector"],
    )
    book["Employers"][0].update(employer_id=NAMES["employer_id"], name=NAMES["employer"])
    renames = {"W1": NAMES["worker_1"], "W2": NAMES["worker_2"]}
    for worker in book["Workers"]:
        worker["worker_id"] = renames[worker["worker_id"]]
        worker["employer_id"] = NAMES["employer_id"]
    book["Workers"][0]["date_of_birth"] = BIRTH
    book["Workers"][0]["passport_held_by"] = "agency"  # a finding that names her, in the report
    for row in (*book["Contracts"], *book["Fees"]):
        row["worker_id"] = renames[row["worker_id"]]
    book["Contracts"][0]["contract_id"] = NAMES["contract_id"]
    book["Intermediaries"] = [
        {"intermediary_id": "I-1", "name": NAMES["intermediary"], "licensed": "no"}
    ]
    book["Fees"][0].update(
        fee_id=NAMES["fee_id"],
        description=NAMES["fee_description"],
        paid_by="worker",
        paid_to="intermediary",
        intermediary_id="I-1",
    )
    return book


def _everything(record: logging.LogRecord) -> str:
    """All a handler or formatter could print of a record: message, arguments, extra fields."""
    return "\n".join([record.getMessage(), repr(record.args), repr(vars(record))])


def _assert_anonymous(records: list[logging.LogRecord], *also: str) -> None:
    assert records, "nothing was logged"
    for record in records:
        text = _everything(record)
        for secret in (*NAMES.values(), *BIRTH_TEXTS, *also):
            assert secret.lower() not in text.lower(), f"{secret!r} in log record: {text}"
        for number in BIRTH_NUMBERS:
            assert not re.search(rf"(?<![\w.]){number}(?![\w.])", text), (number, text)


def _auditor_events(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    found = [r for r in caplog.records if r.name == "auditor" and getattr(r, "event", "") == event]
    return [record.fields for record in found]  # type: ignore[attr-defined]


@pytest.fixture
def named(tmp_path: Path) -> Path:
    return write_book(tmp_path / "named.xlsx", _named_book())


def test_an_audit_logs_digest_rules_timings_and_counts_only(
    named: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    inspection = auditor.inspect_records(named)
    auditor.render_json(inspection)
    auditor.render_xlsx(inspection)
    result = inspection.result
    # The report does name them: the log is anonymous by design, not for want of data.
    assert NAMES["agency_name"] in result.to_json()
    assert any(f.subject.id == NAMES["worker_1"] for f in result.findings)

    [fields] = _auditor_events(caplog, "audit.done")
    assert fields["input_sha256"] == result.input_sha256
    assert fields["ruleset"] == result.ruleset_version
    assert fields["jurisdiction"] == result.jurisdiction
    assert {k: fields[k] for k in ("workers", "employers", "contracts", "fees", "channels")} == {
        "workers": 2,
        "employers": 1,
        "contracts": 2,
        "fees": 2,
        "channels": 1,
    }
    assert fields["findings"] == len(result.findings) > 0
    assert fields["gaps"] == len(result.data_gaps)
    assert fields["score"] == float(result.score)
    for stage in (*STAGES, "total"):
        assert isinstance(fields[f"{stage}_ms"], float), stage
        assert fields[f"{stage}_ms"] >= 0
    assert all(isinstance(v, str | int | float | bool | type(None)) for v in fields.values())
    [done] = [r for r in caplog.records if getattr(r, "event", "") == "audit.done"]
    assert done.getMessage().startswith(f"audit.done input_sha256={result.input_sha256} ")
    _assert_anonymous(caplog.records)


def test_a_refused_workbook_logs_counts_never_the_values_it_quotes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The problems quote the bad cells; the log only counts them."""
    book = _named_book()
    bad_amount = "two hundred from Philippa"
    bad_birth = "born 23 September 1987"
    book["Fees"][0]["amount"] = bad_amount
    book["Workers"][1]["date_of_birth"] = bad_birth
    book["Workers"][1]["nickname"] = "Teodora the brave"  # an unknown column: a warning
    path = write_book(tmp_path / "refused.xlsx", book)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.audit(path)
    problems = "\n".join(map(str, caught.value.problems))
    assert bad_amount in problems
    assert bad_birth in problems
    [fields] = _auditor_events(caplog, "audit.refused")
    assert fields["input"] == "workbook"
    assert fields["errors"] == len(caught.value.problems) == 2
    assert fields["warnings"] == len(caught.value.warnings) >= 1
    assert fields["ingest_ms"] >= 0
    assert fields["total_ms"] >= 0
    _assert_anonymous(caplog.records, bad_amount, bad_birth, "Teodora the brave", "nickname")


def test_a_refused_dataset_logs_counts_only(caplog: pytest.LogCaptureFixture) -> None:
    data = as_data(_named_book())
    data["fees"][0]["amount"] = "two hundred from Philippa"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.audit(data)
    [fields] = _auditor_events(caplog, "audit.refused")
    assert fields["input"] == "dataset"
    assert fields["errors"] == len(caught.value.problems) >= 1
    _assert_anonymous(caplog.records, "two hundred from Philippa")


def test_an_isolated_audit_logs_the_workers_events_in_the_caller(
    named: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The worker process has no logging set-up of its own: its events come back with it."""
    caplog.set_level(logging.DEBUG)
    inspection = inspect_isolated(named, timeout_s=HANG_GUARD_S)
    assert inspection.result.agency_name == NAMES["agency_name"]
    [done] = _auditor_events(caplog, "audit.done")
    assert done["input_sha256"] == inspection.result.input_sha256
    [fields] = _auditor_events(caplog, "audit.isolated")
    assert fields["outcome"] == "done"
    assert fields["timeout_s"] == HANG_GUARD_S
    assert fields["total_ms"] >= 0
    _assert_anonymous(caplog.records)


def test_an_isolated_refusal_logs_counts_only(
    named: Path, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    book = _named_book()
    book["Fees"][0]["amount"] = "two hundred from Philippa"
    path = write_book(tmp_path / "refused.xlsx", book)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(auditor.InvalidInput):
        inspect_isolated(path, timeout_s=HANG_GUARD_S)
    [fields] = _auditor_events(caplog, "audit.refused")
    assert fields["errors"] >= 1
    _assert_anonymous(caplog.records, "two hundred from Philippa")


def test_an_input_over_a_limit_is_logged_as_refused(caplog: pytest.LogCaptureFixture) -> None:
    """A bomb leaves a trace in the logs too, with counts only."""
    caplog.set_level(logging.DEBUG)
    with pytest.raises(auditor.LimitExceeded):
        auditor.audit(as_data(_named_book()), limits=auditor.Limits(max_rows_per_sheet=1))
    [fields] = _auditor_events(caplog, "audit.refused")
    assert fields["errors"] == 1
    _assert_anonymous(caplog.records)
