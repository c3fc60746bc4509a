"""No "her" for a man anywhere: every rule's texts worded for women, men and unknown.

One source words the rule files' texts (:mod:`auditor.model.wording`): the
PDF, the findings workbook and the pages word them by the subjects'
recorded sex or neutrally, and the JSON's titles are neutral English
(audit-output 1.2, "Wording in the JSON"). The last test audits a workbook
of men with findings and reads every output of both copies.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from auditor.engine.pack import rule_pack
from auditor.model.enums import Sex
from auditor.model.plausible import checked_on
from auditor.model.wording import neutral, worded
from auditor.pipeline import inspect_records
from auditor.render import Copy, render_json, render_pdf, render_xlsx, result_for
from auditor.render.html import render_html
from auditor.render.view import build_view
from tests.builders import base_book, write_book

FEMININE = re.compile(r"\b(she|her|hers|herself)\b", re.IGNORECASE)
TEXTS = ("title", "finding", "remediation", "referral")


def _texts() -> list[tuple[str, str, str]]:
    pack = rule_pack()
    return [
        (rule.id, name, text)
        for rule in pack.rules
        for name in TEXTS
        if (text := getattr(rule.data, name, None))
    ]


@pytest.mark.parametrize(
    ("sexes", "label"),
    [((Sex.FEMALE,), "women"), ((Sex.MALE,), "men"), ((None,), "unknown"),
     ((Sex.OTHER,), "other"), ((Sex.FEMALE, Sex.MALE), "mixed")],
)  # fmt: skip
def test_every_rule_text_is_worded_for_its_workers(
    sexes: tuple[Sex | None, ...], label: str
) -> None:
    texts = _texts()
    assert len(texts) > 100
    for rule_id, name, text in texts:
        words = worded(text, sexes)
        if sexes == (Sex.FEMALE,):
            assert words == text
            continue
        assert not FEMININE.search(words), (label, rule_id, name, words)
    if sexes == (Sex.MALE,):
        changed = [worded(t, sexes) for _, _, t in texts if FEMININE.search(t)]
        assert changed
        assert all(re.search(r"\b(he|his|him|himself)\b", w, re.IGNORECASE) for w in changed)


def test_neutral_titles_say_the_worker() -> None:
    titles = {rule.id: neutral(rule.data.title) for rule in rule_pack().rules}
    assert not any(FEMININE.search(title) for title in titles.values())
    held = [t for t in titles.values() if "passport" in t.lower()]
    assert any("the worker" in t for t in held), held


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


@pytest.fixture(scope="module")
def men(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two male workers whose passports the employer keeps, with fees they should not pay."""
    book = base_book()
    for worker in book["Workers"]:
        worker["sex"] = "male"
        worker["passport_held_by"] = "employer"
        worker["wages_withheld"] = "yes"
    for fee in book["Fees"]:
        fee["paid_by"] = "worker"
        fee["paid_to"] = "agency"
        fee["category"] = "recruitment_fee"
    book["Contracts"][0]["passport_retention_clause"] = "yes"
    return write_book(tmp_path_factory.mktemp("men") / "men.xlsx", book)


@pytest.mark.parametrize("copy", [Copy.INSPECTOR, Copy.AGENCY])
def test_no_her_for_men_in_any_output(men: Path, copy: Copy) -> None:
    with checked_on(dt.date(2026, 7, 1)):
        inspection = inspect_records(men)
    result = result_for(inspection, copy)
    assert len(result.findings) >= 3
    outputs = {
        "json": render_json(inspection, copy).decode("utf-8"),
        "xlsx": _xlsx_text(render_xlsx(inspection, copy)),
        "pdf": _pdf_text(render_pdf(inspection, copy)),
        "html": render_html(build_view(inspection, result, copy)),
    }
    for form, text in outputs.items():
        found = FEMININE.search(text)
        assert found is None, (form, text[max(0, found.start() - 80) : found.end() + 80])
    titles = [finding["title"] for finding in json.loads(outputs["json"])["findings"]]
    assert titles
    assert not any(FEMININE.search(title) for title in titles)
