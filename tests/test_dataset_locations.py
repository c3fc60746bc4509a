"""Dataset input is located by JSON path and record id, never by cells the caller never had."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.model.problems import sheet_rank
from auditor.model.sheets import SHEET_BY_NAME, field_rank

SAMPLE = Path(__file__).resolve().parent.parent / "sample_audits" / "agency-with-problems.xlsx"
_PATH = re.compile(r"(?P<key>[a-z]+)\[(?P<index>\d+)\]\.(?P<column>[a-z_]+)|audit\.(?P<field>\w+)")


@pytest.fixture(scope="module")
def sample_data() -> dict[str, Any]:
    data: dict[str, Any] = auditor.read_workbook(SAMPLE).model_dump(mode="json")
    return data


@pytest.fixture(scope="module")
def from_data(sample_data: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(auditor.audit(sample_data).to_json())
    return document


@pytest.fixture(scope="module")
def from_workbook() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(auditor.audit(SAMPLE).to_json())
    return document


def _record_id(data: dict[str, Any], sheet: str, index: int) -> str:
    spec = SHEET_BY_NAME[sheet]
    field = spec.model.ID_FIELD or "currency"
    return str(data[spec.key][index][field])


def test_dataset_evidence_has_path_and_record_id_and_no_cell(
    sample_data: dict[str, Any], from_data: dict[str, Any]
) -> None:
    evidence = [item for finding in from_data["findings"] for item in finding["evidence"]]
    assert evidence
    for item in evidence:
        assert item["cell"] is None
        match = _PATH.fullmatch(item["path"])
        assert match, item
        if match["field"]:
            assert item["sheet"] == "Audit"
            assert item["record_id"] == sample_data["audit"]["audit_id"]
            continue
        spec = SHEET_BY_NAME[item["sheet"]]
        index = int(match["index"])
        assert (match["key"], match["column"]) == (spec.key, item["column"])
        assert item["record_id"] == _record_id(sample_data, item["sheet"], index)
        value = sample_data[spec.key][index][item["column"]]
        assert value == item["value"] or float(value) == item["value"]


def test_dataset_evidence_is_in_sheet_then_index_then_field_order(
    from_data: dict[str, Any],
) -> None:
    for finding in from_data["findings"]:
        keys = []
        for item in finding["evidence"]:
            match = _PATH.fullmatch(item["path"])
            assert match
            index = int(match["index"]) if match["index"] else 0
            keys.append(
                (sheet_rank(item["sheet"]), index, field_rank(item["sheet"], item["column"]))
            )
        assert keys == sorted(keys), finding


def test_dataset_data_gaps_name_record_paths_and_ids(
    sample_data: dict[str, Any], from_data: dict[str, Any]
) -> None:
    missing = [entry for gap in from_data["data_gaps"] for entry in gap["missing"]]
    assert missing
    for entry in missing:
        assert "!" not in entry, entry
        match = re.fullmatch(r"(?P<path>\S+) \((?P<id>[^)]+)\)", entry)
        if match is None:
            continue  # a note such as a missing FX rate, not a place
        place = _PATH.fullmatch(match["path"])
        assert place, entry
        assert place["key"], entry
        sheet = next(s.name for s in SHEET_BY_NAME.values() if s.key == place["key"])
        assert match["id"] == _record_id(sample_data, sheet, int(place["index"]))


def test_workbook_evidence_gains_record_id_only(from_workbook: dict[str, Any]) -> None:
    for finding in from_workbook["findings"]:
        for item in finding["evidence"]:
            assert list(item) == ["sheet", "cell", "column", "value", "record_id"]
            assert re.fullmatch(r"[A-Z]+\d+", item["cell"])
    gaps = [entry for gap in from_workbook["data_gaps"] for entry in gap["missing"]]
    assert any(re.fullmatch(r"\w+![A-Z]+\d+ \(\w+\)", entry) for entry in gaps)


def test_the_same_findings_whatever_the_input(
    from_data: dict[str, Any], from_workbook: dict[str, Any]
) -> None:
    def shape(document: dict[str, Any]) -> list[Any]:
        return [
            (
                f["rule_id"],
                f["subject"],
                [(e["sheet"], e["column"], e["record_id"]) for e in f["evidence"]],
            )
            for f in document["findings"]
        ]

    assert shape(from_data) == shape(from_workbook)


def test_undetermined_rows_of_a_dataset_name_path_and_fee_id(
    sample_data: dict[str, Any], from_data: dict[str, Any], from_workbook: dict[str, Any]
) -> None:
    rows = from_data["money_owed"]["undetermined"]
    assert rows
    for row in rows:
        assert row["cell"] is None
        match = _PATH.fullmatch(row["path"])
        assert match
        assert match["key"] == "fees"
        assert match["column"] == "amount"
        assert row["record_id"] == sample_data["fees"][int(match["index"])]["fee_id"]
    on_sheet = from_workbook["money_owed"]["undetermined"]
    assert [list(row) for row in on_sheet] == [["worker_id", "cell", "record_id"]] * len(rows)
    assert [r["record_id"] for r in on_sheet] == [r["record_id"] for r in rows]
