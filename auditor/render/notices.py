"""A notice for each worker owed money: one page, in her language, to be handed to her.

``auditor audit --format notices`` writes ``<audit_id>.notices.pdf``: one page per
worker the audit finds owed money, in the first of her languages
(``Workers.languages``) that auditor ships, else in the office's language
(``--lang``). Each page says who inspected which agency, which payments the
law did not allow, what she is owed in the audit currency and in the
currency she paid, when the agency must pay (the order's due date once the
report is issued; "within N days of issue" in a draft) and where to complain.

She is addressed by her pseudonymous id only, in the second person (no
pronoun to get wrong), and her page says nothing of any other worker: the
inspector can hand each page to its worker alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from auditor.i18n import Translator, using
from auditor.i18n.languages import shipped
from auditor.model.enums import Severity
from auditor.render.html import environment
from auditor.render.pdf import html_to_pdf
from auditor.render.refunds import MONEY_RULES
from auditor.render.stamp import Stamp
from auditor.render.view import DEADLINE_DAYS
from auditor.verdict.inspection import Inspection
from auditor.verdict.money import round_amount

TEMPLATE = "notices.html.j2"
#: Days an order to pay back has from the report's issue, by the finding's severity: the
#: report's own time limits, so the notice and the report give the same date.
DUE_DAYS = DEADLINE_DAYS


@dataclass(frozen=True)
class Payment:
    fee_id: str
    category: str  # the fee category's code ("recruitment_fee"): translated in the template
    paid: str  # as she paid it: "15,000.00 PHP"
    paid_on: str | None


@dataclass(frozen=True)
class Notice:
    """One worker's page, every value already written in her language."""

    worker_id: str
    lang: str
    direction: str
    review_status: str
    payments: tuple[Payment, ...]
    owed: str  # in the audit currency
    owed_paid_currency: tuple[str, ...]  # in each currency she paid, when not the audit's
    due: str  # "30 June 2026", or "within 30 days of the report's issue"
    body: Markup  # the page's HTML, rendered in her language


def notices_pdf(
    inspection: Inspection,
    lang: str | None = None,
    *,
    contact: str | None = None,
    stamp: Stamp | None = None,
) -> bytes:
    """``<audit_id>.notices.pdf``: a page per worker owed money, in her language."""
    stamp = stamp or Stamp()
    html = notices_html(inspection, lang, contact=contact, stamp=stamp)
    pdf, _ = html_to_pdf(html, created=stamp.issued_on or inspection.result.inspection_date)
    return pdf


def notices_html(
    inspection: Inspection,
    lang: str | Translator | None = None,
    *,
    contact: str | None = None,
    stamp: Stamp | None = None,
) -> str:
    """The notices as one HTML document, each page in its worker's language."""
    pages = notices(inspection, lang, contact=contact, stamp=stamp)
    fallback = lang.code if isinstance(lang, Translator) else (lang or "en")
    template = environment().get_template(TEMPLATE)
    return template.render(pages=pages, fallback=fallback, audit_id=inspection.result.audit_id)


def notices(
    inspection: Inspection,
    lang: str | Translator | None = None,
    *,
    contact: str | None = None,
    stamp: Stamp | None = None,
) -> tuple[Notice, ...]:
    """Each worker owed money's notice, in the order of ``money_owed.by_worker``."""
    stamp = stamp or Stamp()
    result = inspection.result
    dataset = inspection.dataset
    workers = {worker.worker_id: worker for worker in dataset.workers}
    fees = {fee.fee_id: fee for fee in dataset.fees}
    rates = {rate.currency: rate.rate for rate in dataset.fx}
    paid: dict[str, dict[str, None]] = defaultdict(dict)
    severities: dict[str, set[Severity]] = defaultdict(set)
    for finding in result.findings:
        if finding.rule_id not in MONEY_RULES or finding.amount_owed is None:
            continue
        severities[finding.subject.id].add(finding.severity)
        for item in finding.evidence:
            if item.sheet == "Fees" and item.column == "amount" and item.record_id in fees:
                paid[finding.subject.id][item.record_id] = None
    pages = []
    for worker_id, amount in result.money_owed.by_worker.items():
        worker = workers.get(worker_id)
        hers = next(
            (found for code in (worker.languages if worker else ()) if (found := shipped(code))),
            None,
        )
        with using(hers.code if hers else (lang or "en")) as words:
            chosen = words.language
            rows = [fees[fee_id] for fee_id in paid[worker_id]]
            payments = tuple(
                Payment(
                    fee.fee_id,
                    fee.category.value,
                    words.money(fee.amount, fee.currency),
                    words.day(fee.paid_on) if fee.paid_on else None,
                )
                for fee in rows
            )
            currencies = sorted({fee.currency for fee in rows} - {result.currency})
            in_paid = tuple(
                words.money(round_amount(amount / rates[code], code), code)
                for code in currencies
                if rates.get(code)
            )
            days = min((DUE_DAYS.get(s, 90) for s in severities[worker_id]), default=30)
            due = _due(words, stamp, days)
            notice = Notice(
                worker_id=worker_id,
                lang=chosen.code,
                direction=chosen.direction,
                review_status=words.gettext(
                    "Translation: %(status)s", status=words.gettext(chosen.review_status)
                )
                if not words.english
                else "",
                payments=payments,
                owed=words.money(amount, result.currency),
                owed_paid_currency=in_paid,
                due=due,
                body=Markup(""),
            )
            body = (
                environment()
                .get_template("partials/notice.html.j2")
                .render(
                    notice=notice,
                    r=result,
                    inspector=dataset.audit.inspector,
                    contact=contact,
                    inspection_date=words.day(result.inspection_date),
                )
            )
            pages.append(_with_body(notice, Markup(body)))
    return tuple(pages)


def _due(words: Translator, stamp: Stamp, days: int) -> str:
    if stamp.issued_on is None:
        if days == 0:
            return words.gettext("at once when the report is issued")
        return words.gettext("within %(days)s days of the report's issue", days=words.number(days))
    return words.day(stamp.issued_on + dt.timedelta(days=days))


def _with_body(notice: Notice, body: Markup) -> Notice:
    from dataclasses import replace

    return replace(notice, body=body)


__all__ = ["Notice", "Payment", "notices", "notices_html", "notices_pdf"]
