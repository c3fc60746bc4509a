"""The report read by expat is the report tinyhtml5 reads: same tree, same PDF, else fallback.

``auditor.render.tree`` reads the report's HTML with expat because WeasyPrint's
pure-Python HTML5 parser costs a twentieth of a render. That is only right if
the two build the same tree for every document the templates make (every
section, both copies, the follow-up, the comparison, values from a hostile
workbook), and if a document that is not well-formed XML still renders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5

from auditor.pipeline import inspect_records
from auditor.render import Copy, result_for
from auditor.render import pdf as pdf_module
from auditor.render.comparison import comparison_html
from auditor.render.pdf import html_to_pdf
from auditor.render.report import report_html
from auditor.render.tree import parse_polyglot
from auditor.verdict.compare import compare
from tests.builders import INSPECTION, Book
from tests.render.conftest import COMPLIANT, PROBLEMS, SAMPLES, inspection_of

PREVIOUS = SAMPLES / "expected" / "PH-2026-0417.json"


def differences(ours: Element, theirs: Element, path: str = "html") -> Iterator[str]:
    """Where two element trees differ: tag, attributes, text, tail, children."""
    if ours.tag != theirs.tag:
        yield f"{path}: tag {ours.tag!r} != {theirs.tag!r}"
        return
    for name in ("attrib", "text", "tail"):
        if getattr(ours, name) != getattr(theirs, name):
            yield f"{path}: {name} {getattr(ours, name)!r:.80} != {getattr(theirs, name)!r:.80}"
    if len(ours) != len(theirs):
        yield f"{path}: {len(ours)} children != {len(theirs)}"
    for index, (mine, other) in enumerate(zip(ours, theirs, strict=False)):
        yield from differences(mine, other, f"{path}/{mine.tag}[{index}]")


def assert_same_tree(html: str) -> None:
    ours = parse_polyglot(html)
    assert ours is not None, "the templates must make well-formed XML"
    theirs = tinyhtml5.parse(html, namespace_html_elements=False)
    assert list(differences(ours, theirs)) == []


def follow_up_documents() -> Iterator[tuple[str, str]]:
    inspection = inspect_records(SAMPLES / "agency-follow-up.xlsx")
    comparison = compare(PREVIOUS, inspection.result)
    inspection = dataclasses.replace(inspection, comparison=comparison)
    for copy in Copy:
        yield f"follow-up {copy.value}", report_html(inspection, result_for(inspection, copy), copy)
        yield (
            f"comparison {copy.value}",
            comparison_html(comparison, copy, inspection.pack, inspection.result.currency),
        )


@pytest.mark.parametrize("copy", list(Copy))
@pytest.mark.parametrize("sample", [PROBLEMS, COMPLIANT], ids=["problems", "compliant"])
def test_every_sample_report_reads_into_the_tree_tinyhtml5_builds(sample: Path, copy: Copy) -> None:
    inspection = inspection_of(sample)
    assert_same_tree(report_html(inspection, result_for(inspection, copy), copy))


def test_the_follow_up_and_the_comparison_read_into_the_same_tree() -> None:
    documents = dict(follow_up_documents())
    assert len(documents) == 4
    assert "Since the previous audit" in documents["follow-up inspector"]
    for html in documents.values():
        assert_same_tree(html)


Write = Callable[..., Path]


def test_hostile_values_read_into_the_same_tree(book: Book, write: Write) -> None:
    book["Audit"]["agency_name"] = "A & B <img src=x> \"quoted\" 'single' ]]> <!-- -->"
    book["Audit"]["inspector"] = "<![CDATA[x]]> &amp; &nbsp; \u00a0 \u200b \U0001f600"
    book["Workers"][0]["passport_held_by"] = "employer"
    inspection = inspect_records(write(book))
    for copy in Copy:
        assert_same_tree(report_html(inspection, result_for(inspection, copy), copy))


def test_a_report_read_either_way_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    inspection = inspection_of(PROBLEMS)
    html = report_html(inspection, inspection.result, Copy.INSPECTOR)
    read_by_expat, _ = html_to_pdf(html, created=INSPECTION)
    monkeypatch.setattr(pdf_module, "parse_polyglot", lambda html: None)
    read_by_tinyhtml5, _ = html_to_pdf(html, created=INSPECTION)
    assert read_by_expat == read_by_tinyhtml5


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>a line<br>and a <b>bold</b> word&nbsp;here</p></body></html>",
        "<html><body><p>a vertical tab \x0b from a workbook</p></body></html>",
        "<p>no html element at all</p>",
    ],
    ids=["plain-html", "control-character", "fragment"],
)
def test_a_document_that_is_not_polyglot_is_read_by_weasyprint(html: str) -> None:
    assert parse_polyglot(html) is None
    pdf, fetcher = html_to_pdf(html, created=dt.date(2026, 6, 30))
    assert pdf.startswith(b"%PDF-")
    assert fetcher.refused == []
