"""The library path: the same records as dicts or JSON, the same validation, JSON locations."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

import auditor
from auditor.model.records import Worker
from tests.builders import Book, as_data


def test_dicts_build_the_same_dataset_as_the_workbook(book: Book, write: Any) -> None:
    from_workbook = auditor.read_workbook(write(book))
    from_dicts = auditor.AuditDataset.from_dict(as_data(book))
    assert from_dicts == from_workbook


def test_problems_carry_json_locations(book: Book) -> None:
    data = as_data(book)
    data["fees"][1]["amount"] = -5
    data["workers"][0]["sex"] = "woman"
    data["fees"][0]["worker_id"] = "W9"
    del data["audit"]["currency"]
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.AuditDataset.from_dict(data)
    assert [str(p) for p in caught.value.problems] == [
        "audit.currency: currency is required, but it is missing",
        'workers[0].sex: sex must be one of female, male, other (or F, M, X), got "woman"',
        "fees[0].worker_id: worker_id W9 does not match the worker_id of any record in workers",
        "fees[1].amount: amount must be a number >= 0, got -5",
    ]


def test_json_numbers_are_exact(book: Book) -> None:
    data = as_data(book)
    data["fx"][0]["rate"] = "RATE"
    text = json.dumps(data, default=str).replace('"RATE"', "0.0033")
    dataset = auditor.AuditDataset.from_json(text)
    assert dataset.fx[0].rate == Decimal("0.0033")


def test_invalid_json_is_one_clear_problem() -> None:
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.AuditDataset.from_json("{not json")
    assert len(caught.value.problems) == 1
    assert str(caught.value.problems[0]).startswith("input: is not valid JSON:")


def test_required_lists_and_unknown_keys(book: Book) -> None:
    data = as_data(book)
    del data["channels"]
    data["notes"] = "x"
    for worker in data["workers"]:
        worker["name"] = "never a name"
    report = auditor.validate(data)
    assert [str(p) for p in report.errors] == [
        "channels: required list is missing (give [] if there are none)"
    ]
    assert [str(p) for p in report.warnings] == [
        "workers[*].name: unknown field ignored",
        "notes: unknown key ignored",
    ]


def test_record_objects_are_accepted(book: Book) -> None:
    data = as_data(book)
    data["workers"] = [Worker.model_validate(w) for w in data["workers"]]
    dataset = auditor.AuditDataset.from_dict(data)
    assert dataset.workers[1].sex.value == "female"


def test_a_model_built_directly_reads_values_the_same_way() -> None:
    worker = Worker(
        worker_id=1001,
        sex="F",
        nationality="ph",
        employer_id="E1",
        languages="TL, en",
        briefing_received="Y",
        monthly_wage_paid="450.00",
        date_of_birth="1990-01-31",
    )
    assert worker.worker_id == "1001"
    assert worker.nationality == "PH"
    assert worker.languages == ("tl", "en")
    assert worker.briefing_received is True
    assert worker.monthly_wage_paid == Decimal("450.00")
    assert worker.date_of_birth == dt.date(1990, 1, 31)
    assert worker.wages_withheld is None


def test_the_digest_of_dict_input_is_of_its_canonical_json(book: Book) -> None:
    """Anyone holding the dicts can check the digest with the standard library alone."""
    import hashlib

    data = json.loads(json.dumps(as_data(book), default=str))  # what a JSON client sends
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert auditor.audit(data).input_sha256 == expected
    dataset = auditor.AuditDataset.from_dict(data)
    assert dataset.input_sha256 == expected
    assert auditor.audit(dataset).input_sha256 == expected  # the dataset keeps its input's digest
    assert auditor.AuditDataset.from_json(json.dumps(data)).input_sha256 == expected
    reordered = dict(data)
    reordered["audit"] = dict(reversed(list(data["audit"].items())))
    assert auditor.AuditDataset.from_dict(reordered).input_sha256 == expected
    data["workers"][0]["sex"] = "F"  # the same content, written another way, is another input
    assert auditor.AuditDataset.from_dict(data).input_sha256 != expected


def test_records_built_in_python_are_digested_as_their_canonical_json(book: Book) -> None:
    import hashlib

    built = auditor.AuditDataset.from_dict(as_data(book))
    dataset = auditor.AuditDataset.model_validate(built.model_dump())
    expected = hashlib.sha256(dataset.canonical_json().encode("utf-8")).hexdigest()
    assert dataset.input_sha256 == expected
    assert " " not in dataset.canonical_json().split('"agency_name"')[0]


def test_limits_apply_to_dict_input_as_to_workbooks(book: Book) -> None:
    """A licensing system's own limits hold for the records it sends, not only for files."""
    limits = auditor.Limits(max_rows_per_sheet=1)
    with pytest.raises(auditor.LimitExceeded) as caught:
        auditor.audit(as_data(book), limits=limits)
    assert [str(p) for p in caught.value.problems] == [
        "workers: has 2 records, over the limit of 1"
    ]
    assert auditor.audit(as_data(book)).score == 100.0  # the default limits let it through
