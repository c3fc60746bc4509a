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
from auditor.i18n import current
from auditor.render.view import ReportView
from auditor.render.words import fee_category, rating_name, severity_name

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
        extensions=["jinja2.ext.do", "jinja2.ext.i18n"],
    )
    # The callables read the language of the render in progress (auditor.i18n.using), so
    # the one cached environment renders every language, and two renders never bleed.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: current().gettext(message),
        ngettext=lambda singular, plural, count: current().catalogue.ngettext(  # noqa: PLW0108
            singular, plural, count
        ),
        pgettext=lambda context, message: current().pgettext(context, message),
        newstyle=True,
    )
    env.globals["lang"] = current
    env.globals["fee_category"] = fee_category
    env.globals["severity_name"] = severity_name
    env.globals["rating_name"] = rating_name
    env.globals["annex_link"] = lambda annex: (
        Markup('<a href="#annex-%s">%s</a>')
        % (
            annex,
            current().gettext("Annex %(annex)s", annex=annex),
        )
    )
    env.globals["json_mono"] = lambda name: Markup('<span class="mono">%s</span>') % name
    env.filters["thousands"] = lambda count: current().number(count)
    env.filters["share"] = _share
    env.filters["share_of_month"] = lambda share: current().percent(share)
    env.filters["breakable"] = breakable
    env.filters["isolate"] = isolate
    env.filters["day"] = lambda value: current().day(value)
    env.filters["money_in"] = lambda amount, currency: current().money(amount, currency)
    return env


_SEPARATORS = re.compile(r"([-/_.:])")


def breakable(value: object) -> Markup:
    """An id, escaped, that may wrap after its separators and only there when it can.

    ``NP-DoFE-2026-01/12`` in a narrow column wraps after a ``-`` or ``/``
    (a ``<wbr>``), never mid-word; only a single run longer than the column
    still breaks anywhere (``overflow-wrap: break-word`` on ``td.id``).
    """
    return Markup(_SEPARATORS.sub(r"\1<wbr/>", str(escape(str(value)))))


def isolate(value: object) -> Markup:
    """``value`` escaped, in a ``<bdi>`` in a right-to-left report (ids, amounts, cells keep
    their own direction amid Arabic); as it is in a left-to-right one."""
    text = value if isinstance(value, Markup) else escape(str(value))
    if current().language.rtl:
        return Markup("<bdi>%s</bdi>") % text
    return Markup(text)


def _share(part: int, whole: int) -> str:
    """``3`` of ``40`` as ``7.5 %``; a dash when there is nothing to divide."""
    return current().percent(Decimal(part) / whole) if whole else "-"


def render_html(view: ReportView) -> str:
    """The whole report as one HTML document (assets referenced relative to ``reports/``)."""
    return environment().get_template(TEMPLATE).render(view=view)
