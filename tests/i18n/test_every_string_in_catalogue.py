"""Issue 27: every text a person reads goes through the catalogue.

Each output is rendered in a pseudo-language that brackets every message
(``conftest.Pseudo``). Outside the brackets there may only be data: the
workbook's own values (names, ids, descriptions), evidence cells, codes and
numbers, and legal citations printed as written (``lang="en"``). A sentence, a
heading or a word left in English outside the brackets fails the test, naming it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from auditor.i18n import using
from auditor.render import Copy, render_xlsx, result_for
from auditor.render.notices import notices_html
from auditor.render.report import report_html
from auditor.render.summary import comparison_summary, summary
from tests.i18n.conftest import (
    COMPLIANT,
    PROBLEMS,
    follow_up_inspection,
    inspection_of,
    pseudo,
)

#: Words that are codes or names in every language: sheets and columns of the workbook
#: format, the formats and bodies named in citations, units.
CODES = {
    "JSON", "PDF", "SHA", "ILO", "UNGA", "SDG", "PAdES", "FX", "auditor", "xlsx", "format",
    "copy", "agency", "verify", "findings", "data_gaps", "warnings", "money_owed", "by_worker",
    "undetermined", "Fees", "Workers", "Contracts", "Employers", "Channels", "Complaints",
    "Money", "owed", "Scoring", "Audit", "Intermediaries", "Sources", "comparison",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]{2,}")


class _Text(HTMLParser):
    """The document's text as one stream, with the text of elements whose text is data
    (``lang="en"``: citations and laws; evidence cells, ids, monospaced schedules) left out:
    a message with markup inside (``<strong>``) stays one bracketed run."""

    DATA_CLASSES = frozenset({"cells", "id", "ids", "schedule", "mono", "code", "observations"})
    VOID = frozenset({"br", "col", "meta", "wbr", "rect", "img", "link", "hr", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            self.parts.append(" ")
            return
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        data = (
            found.get("lang") == "en"
            or bool(classes & self.DATA_CLASSES)
            or tag in ("style", "title")
            or (tag == "text" and found.get("font-size") == "8")  # the score bar's A-D
        )
        self.stack.append((tag, data))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not any(inside for _, inside in self.stack):
            self.parts.append(data)


def data_words(inspection: object) -> set[str]:
    """Every word of the workbook's own text: names, descriptions, ids, addresses."""
    words: set[str] = set()
    dataset = inspection.dataset  # type: ignore[attr-defined]
    result = inspection.result  # type: ignore[attr-defined]
    profile = inspection.profile  # type: ignore[attr-defined]
    values = [result.agency_name, result.audit_id, profile.name, *result.warnings]
    for name in ("workers", "employers", "fees", "contracts", "channels", "complaints",
                 "intermediaries", "sources"):  # fmt: skip
        for record in getattr(dataset, name, ()):
            values += [str(v) for v in record.model_dump().values() if v is not None]
    values += [str(v) for v in dataset.audit.model_dump().values() if v is not None]
    for country in inspection.pack.destinations.all():  # type: ignore[attr-defined]
        values.append(country.name)
    for value in values:
        words |= set(_WORD.findall(value))
    return words


_CODE = re.compile(r"\b(?:[A-Z]+-\d+|[0-9a-f]{8,}|[A-Za-z]+\d\w*)")
_LETTERS = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'\u2019]{2,}(?![A-Za-z0-9])")


def outside_brackets(text: str) -> str:
    """``text`` without its bracketed runs (they nest: a message inside a message)."""
    depth, kept = 0, []
    for char in text:
        if char == "⟦":
            depth += 1
        elif char == "⟧":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def untranslated(texts: list[str], allowed: set[str]) -> list[str]:
    """Each run of text outside the brackets with a word neither data nor a code."""
    left = []
    for text in texts:
        for run in re.split(r"\s{2,}|\n", _CODE.sub(" ", outside_brackets(text))):
            stray = [w for w in _LETTERS.findall(run) if w not in allowed and w not in CODES]
            if stray:
                left.append(f"{run.strip()[:100]!r}: {stray}")
    return left


def html_texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return ["".join(parser.parts)]


CASES = [
    ("problems", lambda: inspection_of(PROBLEMS)),
    ("compliant", lambda: inspection_of(COMPLIANT)),
    ("follow-up", follow_up_inspection),
]


@pytest.mark.parametrize(("name", "make"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("copy", [Copy.INSPECTOR, Copy.AGENCY])
def test_the_report_prints_no_text_outside_the_catalogue(name, make, copy) -> None:
    inspection = make()
    with using(pseudo()):
        html = report_html(inspection, result_for(inspection, copy), copy)
    assert "⟦" in html
    left = untranslated(html_texts(html), data_words(inspection))
    assert left == [], "\n".join(left)


def test_the_notices_print_no_text_outside_the_catalogue() -> None:
    import dataclasses

    inspection = inspection_of(PROBLEMS)
    # Workers who read no shipped language: every notice in the office's, the pseudo-language.
    workers = tuple(w.model_copy(update={"languages": ("hi",)}) for w in inspection.dataset.workers)
    inspection = dataclasses.replace(
        inspection, dataset=inspection.dataset.model_copy(update={"workers": workers})
    )
    html = notices_html(inspection, pseudo(), contact="Labour office, +977 1 4000000")
    assert html.count('<section class="worker-notice"') == 7
    left = untranslated(html_texts(html), data_words(inspection) | {"Labour", "office"})
    assert left == [], "\n".join(left)


def test_the_findings_workbook_texts_go_through_the_catalogue() -> None:
    """Sheet names and column headers are codes; the titles, time limits and the copy's
    description are words, and are translated."""
    inspection = inspection_of(PROBLEMS)
    import io

    with using(pseudo()):
        book = load_workbook(io.BytesIO(render_xlsx(inspection, Copy.INSPECTOR)))
    findings = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    assert findings
    for row in findings:
        title, deadline = row[1], row[7]
        assert str(title).startswith("⟦"), title
        assert isinstance(deadline, str), deadline
        assert deadline.startswith("⟦"), deadline
    scoring = list(book["Scoring"].iter_rows(min_row=2, values_only=True))
    assert all(str(row[1]).startswith("⟦") for row in scoring)
    summary_rows = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert str(summary_rows["copy"]).startswith("⟦")
    assert str(summary_rows["provisional"]).startswith("⟦")


def test_the_command_lines_summaries_go_through_the_catalogue() -> None:
    inspection = inspection_of(PROBLEMS)
    agency = result_for(inspection, Copy.AGENCY)
    follow = follow_up_inspection()
    assert follow.comparison is not None
    with using(pseudo()):
        lines = summary(inspection.result, [], agency=agency).splitlines()
        lines += comparison_summary(follow.comparison, []).splitlines()
    allowed = data_words(inspection) | data_words(follow)
    left = untranslated(lines, allowed)
    assert left == [], "\n".join(left)
