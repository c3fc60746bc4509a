"""The agency's copy never carries what was written about a worker in free text (format 1.2).

Every free-text field of the records about workers (the Workers, Complaints
and Sources sheets) and the inspector's observations get a planted word;
the agency's JSON, xlsx, PDF and HTML page must not hold it anywhere, while
the inspector's copy does (so the test can fail). The fields are found from
the models, so a free-text worker column added later is covered at once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from auditor.model.columns import Kind, kind_of
from auditor.model.plausible import checked_on
from auditor.model.records import Complaint, Record, Source, Worker
from auditor.pipeline import inspect_records
from auditor.render import Copy, render_json, render_pdf, render_xlsx, result_for
from auditor.render.html import render_html
from auditor.render.view import build_view
from tests.builders import Book, base_book, write_book

WORKER_RECORDS: tuple[type[Record], ...] = (Worker, Complaint, Source)


def _free_text(model: type[Record]) -> list[str]:
    return [name for name, info in model.model_fields.items() if kind_of(info) is Kind.TEXT]


def _planted_book() -> tuple[Book, list[str]]:
    book = base_book()
    marks: list[str] = []
    book["Audit"]["observations"] = "Planted observation QZXOBS"
    marks.append("QZXOBS")
    book["Complaints"] = [
        {"complaint_id": "K1", "worker_id": "W1", "channel_id": "CH1", "category": "wages",
         "filed_on": "2026-01-05", "worker_penalised": "yes"}
    ]  # fmt: skip
    book["Sources"] = [
        {"source_id": "S1", "kind": "interview", "description": "x", "subject_type": "worker",
         "subject_id": "W1"}
    ]  # fmt: skip
    rows = {
        Worker: book["Workers"][0],
        Complaint: book["Complaints"][0],
        Source: book["Sources"][0],
    }
    for model in WORKER_RECORDS:
        for number, name in enumerate(_free_text(model)):
            mark = f"QZX{model.__name__.upper()}{number}"
            rows[model][name] = f"Planted {mark}"
            marks.append(mark)
    return book, marks


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    book, marks = _planted_book()
    path = write_book(tmp_path_factory.mktemp("planted") / "planted.xlsx", book)
    return path, marks


def _renderings(path: Path, copy: Copy) -> dict[str, str]:
    with checked_on(dt.date(2026, 7, 1)):
        inspection = inspect_records(path)
    view = build_view(inspection, result_for(inspection, copy), copy)
    return {
        "json": render_json(inspection, copy).decode("utf-8"),
        "xlsx": _xlsx_text(render_xlsx(inspection, copy)),
        "pdf": _pdf_text(render_pdf(inspection, copy)),
        "html": render_html(view),
    }


def test_free_text_about_workers_is_in_no_output_of_the_agency_copy(
    planted: tuple[Path, list[str]],
) -> None:
    path, marks = planted
    assert any(mark.startswith("QZXSOURCE") for mark in marks)
    agency = _renderings(path, Copy.AGENCY)
    leaks = [(form, mark) for form, text in agency.items() for mark in marks if mark in text]
    assert leaks == []
    inspector = _renderings(path, Copy.INSPECTOR)
    assert all(mark in inspector["pdf"] for mark in marks), "the test plants what is printed"
