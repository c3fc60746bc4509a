"""The report as HTML: Jinja2 templates from ``reports/``, every value escaped.

Autoescaping is on for every template, whatever its name, and undefined
names are errors: a value from a workbook (an agency called
``<img src=...>``) can only ever reach the page as text, and a template
typo fails the tests instead of printing nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import jinja2
from markupsafe import Markup, escape

from auditor.base.resources import reports_dir
from auditor.render import formats
from auditor.render.view import ReportView

TEMPLATE = "report.html.j2"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(reports_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["thousands"] = lambda count: f"{count:,}"
    env.filters["share"] = _share
    env.filters["share_of_month"] = formats.percent
    env.filters["breakable"] = breakable
    env.filters["day"] = formats.day
    return env


_SEPARATORS = re.compile(r"([-/_.:])")


def breakable(value: object) -> Markup:
    """An id, escaped, that may wrap after its separators and only there when it can.

    ``NP-DoFE-2026-01/12`` in a narrow column wraps after a ``-`` or ``/``
    (a ``<wbr>``), never mid-word; only a single run longer than the column
    still breaks anywhere (``overflow-wrap: break-word`` on ``td.id``).
    """
    return Markup(_SEPARATORS.sub(r"\1<wbr/>", str(escape(str(value)))))


def _share(part: int, whole: int) -> str:
    """``3`` of ``40`` as ``7.5 %``; a dash when there is nothing to divide."""
    return formats.percent(Decimal(part) / whole) if whole else "-"


def render_html(view: ReportView) -> str:
    """The whole report as one HTML document (assets referenced relative to ``reports/``)."""
    return environment().get_template(TEMPLATE).render(view=view)
