"""What keeps a report fast without changing it: one parsed stylesheet, a lean user-agent sheet."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from auditor.render import pdf as pdf_module
from auditor.render.copies import Copy
from auditor.render.pdf import html_to_pdf, report_style
from auditor.render.report import report_html
from tests.render.conftest import COMPLIANT, inspection_of

DAY = dt.date(2026, 6, 30)
LISTS = (
    "<html><body><h2>Lists</h2><ul><li>first point</li><li>second point</li></ul>"
    "<ol><li>one</li><li>two</li></ol><p>after</p></body></html>"
)


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_second_render_reuses_the_parsed_stylesheet_and_its_fonts() -> None:
    first, _ = html_to_pdf(LISTS, created=DAY)
    style = report_style()
    served = list(style.fetcher.served)
    assert any(url.endswith("/report.css") for url in served)
    assert any(url.endswith(".ttf") for url in served)  # the fonts came with it, once
    second, fetcher = html_to_pdf(LISTS, created=DAY)
    assert report_style() is style
    assert style.fetcher.served == served  # nothing parsed or fetched again
    assert fetcher.served == []
    assert fetcher.refused == []
    assert second == first


def test_the_report_links_no_stylesheet_and_is_still_styled() -> None:
    inspection = inspection_of(COMPLIANT)
    html = report_html(inspection, inspection.result, Copy.INSPECTOR)
    assert "<link" not in html
    pdf, _ = html_to_pdf(html, created=DAY)
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Report-Serif" in name for name in fonts)  # h1/h2 of report.css
    assert any("Report-Mono" in name for name in fonts)  # the SHA-256 on the cover
    assert "page 1 of" in _text(pdf)  # the @page margin boxes


def test_the_lean_user_agent_stylesheet_keeps_list_markers() -> None:
    assert pdf_module._LEAN_UA is not None  # WeasyPrint 70 still has the rules it drops
    text = _text(html_to_pdf(LISTS, created=DAY)[0])
    assert text.count("•") == 2
    assert re.search(r"\b1\.\s", text)
    assert re.search(r"\b2\.\s", text)


def test_the_lean_user_agent_stylesheet_changes_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole report (tables, floats, flex, lists, SVG, page margins) as with WeasyPrint's own."""
    inspection = inspection_of(COMPLIANT)
    html = report_html(inspection, inspection.result, Copy.INSPECTOR)
    lean = [html_to_pdf(page, created=DAY)[0] for page in (html, LISTS)]
    monkeypatch.setattr(pdf_module, "_LEAN_UA", None)
    full = [html_to_pdf(page, created=DAY)[0] for page in (html, LISTS)]
    assert lean == full
