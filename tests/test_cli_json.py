"""The command line and JSON: problems as a document; a .json dataset wherever a workbook goes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.cli import main
from auditor.model.canonical import canonical_json
from tests.builders import Book, as_data

Write = Callable[..., Path]
SAMPLE = Path(__file__).resolve().parent.parent / "sample_audits" / "agency-with-problems.xlsx"


def _json_file(tmp_path: Path, data: Any, name: str = "inspection.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


def test_validate_json_lists_problems_with_codes_paths_and_severity(
    book: Book, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = as_data(book)
    data["fees"][0]["amount"] = -250
    data["workers"][0]["sex"] = "F"  # accepted, as the format says
    data["workers"][1]["sex"] = "woman"
    data["workers"][0]["notes"] = "x"
    path = _json_file(tmp_path, data)
    assert main(["validate", str(path), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["format"] == "audit-problems/1"
    assert document["input"] == str(path)
    assert document["valid"] is False
    assert [(p["severity"], p["code"], p["path"], p["location"]) for p in document["problems"]] == [
        ("error", "not_in_list", "workers[1].sex", "workers[1].sex"),
        ("error", "out_of_range", "fees[0].amount", "fees[0].amount"),
        ("warning", "unknown_column", "workers[*].notes", "workers[*].notes"),
    ]
    assert all("sheet" not in p["message"] for p in document["problems"])
    assert "2 problems" in err


def test_validate_json_of_a_workbook_has_cells_and_no_path(
    book: Book, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    book["Fees"][0]["amount"] = "two hundred"
    assert main(["validate", str(write(book)), "--format", "json"]) == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert problems == [
        {
            "location": "Fees!E2",
            "code": "not_a_number",
            "severity": "error",
            "message": 'amount must be a number >= 0, got "two hundred"',
        }
    ]


def test_validate_json_of_a_valid_input_exits_zero(
    book: Book, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(_json_file(tmp_path, as_data(book))), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["valid"], document["problems"]) == (True, [])


def test_validate_reads_a_json_dataset_as_text_too(
    book: Book, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = as_data(book)
    data["fees"][1]["worker_id"] = "W9"
    assert main(["validate", str(_json_file(tmp_path, data, "X.JSON"))]) == 2
    assert capsys.readouterr().out.splitlines() == [
        "fees[1].worker_id: worker_id W9 does not match the worker_id of any record in workers"
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"{not json", "invalid_json"), (b"[1, 2]", "not_an_object"), (None, "file_unreadable")],
)
def test_a_json_file_that_cannot_be_read_is_one_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, code: str
) -> None:
    path = tmp_path / "x.json"
    if content is not None:
        path.write_bytes(content)
    assert main(["validate", str(path), "--format", "json"]) == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], p["location"], p["path"]) for p in problems] == [(code, "input", "")]


def test_audit_takes_a_json_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = auditor.read_workbook(SAMPLE).model_dump(mode="json")
    path = _json_file(tmp_path, data)
    out = tmp_path / "out"
    assert main(["audit", str(path), "--format", "json", "--out", str(out), "--in-process"]) == 0
    capsys.readouterr()
    result = json.loads((out / f"{data['audit']['audit_id']}.json").read_text(encoding="utf-8"))
    given = json.loads(path.read_text(encoding="utf-8"))
    assert result["input_sha256"] == hashlib.sha256(canonical_json(given).encode()).hexdigest()
    evidence = [item for finding in result["findings"] for item in finding["evidence"]]
    assert evidence
    assert all(item["cell"] is None and item["path"] for item in evidence)


def test_audit_of_an_invalid_json_dataset_exits_two(
    book: Book, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = as_data(book)
    data["fees"][0]["amount"] = -1
    path = _json_file(tmp_path, data)
    assert main(["audit", str(path), "--out", str(tmp_path), "--in-process"]) == 2
    _, err = capsys.readouterr()
    assert "fees[0].amount: amount must be a number >= 0, got -1" in err
    assert list(tmp_path.glob("*.pdf")) == []
