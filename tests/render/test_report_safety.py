"""Workbook values reach the report as text; the report fetches nothing but its own assets."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from auditor.base.resources import reports_dir
from auditor.pipeline import inspect_records
from auditor.render import Copy
from auditor.render.pdf import AssetFetcher, html_to_pdf, report_style
from auditor.render.report import report_html
from tests.builders import INSPECTION, Book

Write = Callable[..., Path]

AGENCY = '<img src="file:///etc/passwd">'
WORKER = 'W1</style><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
INSPECTOR = "<script>fetch('http://127.0.0.1:9/')</script>"


def test_hostile_values_appear_as_text_and_fetch_nothing(book: Book, write: Write) -> None:
    book["Audit"]["agency_name"] = AGENCY
    book["Audit"]["inspector"] = INSPECTOR
    book["Workers"][0]["worker_id"] = WORKER
    book["Workers"][0]["passport_held_by"] = "employer"  # DOC-01 names her in the report
    for table in ("Contracts", "Fees", "Complaints"):
        for row in book.get(table, []):
            if row.get("worker_id") == "W1":
                row["worker_id"] = WORKER
    inspection = inspect_records(write(book))
    assert any(f.subject.id == WORKER for f in inspection.result.findings)

    html = report_html(inspection, inspection.result, Copy.INSPECTOR)
    assert "<img" not in html
    assert "<script" not in html
    assert '<link rel="stylesheet" href="http' not in html
    assert '<link rel="stylesheet"' not in html  # report.css is applied by html_to_pdf
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html

    pdf, fetcher = html_to_pdf(html, created=INSPECTION)
    assert fetcher.refused == []
    assert fetcher.served == []  # the stylesheet and its fonts were loaded once, before
    style = report_style()
    assert style.fetcher.refused == []
    assert style.fetcher.served
    assert all(url.startswith(reports_dir().as_uri() + "/") for url in style.fetcher.served)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", "", text)
    for value in (AGENCY, WORKER, INSPECTOR):
        assert re.sub(r"\s+", "", value) in flat, value


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/font.ttf",
        "data:text/css,body{}",
        "ftp://example.org/x.css",
        "file://otherhost" + str(reports_dir() / "report.css"),
        (reports_dir() / ".." / "pyproject.toml").as_uri(),  # a way out of reports/
        (reports_dir() / "report.html.j2").as_uri(),  # inside, but not an asset
        (reports_dir() / "fonts" / "subset.py").as_uri(),
        (reports_dir() / "missing.css").as_uri(),
    ],
)
def test_the_fetcher_refuses_everything_but_the_reports_assets(url: str) -> None:
    fetcher = AssetFetcher()
    with pytest.raises(ValueError, match="only its own assets"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []


def test_the_fetcher_serves_styles_and_fonts() -> None:
    fetcher = AssetFetcher()
    css = fetcher.fetch((reports_dir() / "report.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    font = fetcher.fetch((reports_dir() / "fonts" / "ReportSans.ttf").as_uri())
    assert font.content_type == "font/ttf"
    assert len(fetcher.served) == 2
    assert fetcher.refused == []


def test_a_page_pointing_elsewhere_renders_without_fetching_it() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<style>@import url("file:///etc/hostname"); body { background: url(/etc/shadow) }</style>'
        '</head><body><img src="file:///etc/passwd"><p>text</p></body></html>'
    )
    pdf, fetcher = html_to_pdf(html, created=INSPECTION)
    assert pdf.startswith(b"%PDF-")
    assert set(fetcher.refused) >= {
        "http://127.0.0.1:9/x.css",
        "file:///etc/hostname",
        "file:///etc/passwd",
    }
    assert fetcher.served == []
