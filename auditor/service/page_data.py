"""What the pages show, read from the stored files and the rule pack, ready for templates.

The audit page reads ``result.json`` (and ``comparison.json``) as the job
wrote them, with amounts as :class:`~decimal.Decimal` so that money is
never passed through a float; amounts are rounded half up only here, for
display. Workers appear by the pseudonymous ids the result already uses.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from auditor.ingest.template import _KIND_WORDS, DATE_ORDER_HELP
from auditor.model.columns import enum_of, kind_of
from auditor.model.profiles import Cap, Scope
from auditor.model.sheets import AUDIT_SHEET, DATE_ORDER_FIELD, TABLE_SHEETS
from auditor.model.wording import neutral
from auditor.render.formats import cell_value
from auditor.service import jobs
from auditor.service.models import Audit
from auditor.service.page_files import facts_of, read_document
from auditor.service.storage import report_path

SEVERITIES = ("critical", "high", "medium", "low")


def money(value: object) -> str:
    """An amount for display: two decimals, rounded half up, thousands separated."""
    if value is None:
        return gettext("not known")
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}"


def score_text(value: object) -> str:
    if value is None:
        return "none"
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def read_json(path: Path) -> dict[str, Any] | None:
    """A stored document with exact decimals, or ``None`` when the file is not there."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    found = json.loads(text, parse_float=Decimal)
    return found if isinstance(found, dict) else None


def result_of(audit: Audit) -> dict[str, Any] | None:
    return read_json(report_path(jobs.CONFIG, str(audit.pk), "json", "inspector"))


def agency_result_of(audit: Audit) -> dict[str, Any] | None:
    """The agency's copy of the result, as the job wrote it (confidential findings withheld)."""
    return read_json(report_path(jobs.CONFIG, str(audit.pk), "json", "agency"))


def comparison_of(audit: Audit) -> dict[str, Any] | None:
    return read_json(report_path(jobs.CONFIG, str(audit.pk), "comparison", "inspector"))


def identities_of(audit: Audit) -> dict[str, Any] | None:
    """The identifying words the job kept for the records the findings cite (page_files)."""
    return read_document(report_path(jobs.CONFIG, str(audit.pk), "identities", "inspector"))


def agency_words(result: dict[str, Any]) -> str:
    """The agency as the PDF names it: ``Name (licence X)``, never the audit id."""
    licence = result.get("agency_licence")
    name = " ".join(str(result.get("agency_name") or "").split()) or gettext("the agency")
    if licence:
        return gettext("%(name)s (licence %(licence)s)") % {"name": name, "licence": licence}
    return gettext("%(name)s (no licence shown)") % {"name": name}


def _subject(subject: Any, known: Known | None = None) -> str:
    """A finding's subject as a reader knows it: the agency by its name and licence, an
    employer with its name (render/identify.py's wording), a worker by her pseudonym."""
    if not isinstance(subject, dict):
        return ""
    kind, ident = str(subject.get("type", "")), str(subject.get("id", ""))
    if known is not None and kind == "agency":
        return known.agency
    if known is not None and kind == "employer":
        name = known.words("Employers", ident)
        if name:
            return gettext("employer %(id)s (%(name)s)") % {"id": ident, "name": name}
        return gettext("employer %(id)s") % {"id": ident}
    return f"{kind} {ident}".strip()


@dataclass(frozen=True)
class Known:
    """The agency's words and each cited record's identifying words, for one audit's page."""

    agency: str
    records: dict[str, dict[str, str]]

    @classmethod
    def of(cls, result: dict[str, Any], identities: dict[str, Any] | None) -> Known:
        from auditor.i18n import current

        records = (identities or {}).get("records") or {}
        translated = ((identities or {}).get("translated") or {}).get(current().code)
        if isinstance(translated, dict):  # stored by a job of issue 27 or later
            records = translated
        agency = (identities or {}).get("agency") or agency_words(result)
        return cls(str(agency), records if isinstance(records, dict) else {})

    def words(self, sheet: str, record_id: object) -> str | None:
        found = (self.records.get(sheet) or {}).get(str(record_id))
        return str(found) if found else None

    def evidence(self, item: dict[str, Any]) -> str:
        """``Fees!E5 amount = 38000 (recruitment fee, "air ticket", paid to agency)``."""
        value = item.get("value")
        if isinstance(value, Decimal):  # read exactly; shown as the workbook showed it
            value = float(value)
        where = (
            item.get("path")
            if item.get("cell") is None and item.get("path")
            else (f"{item.get('sheet', '')}!{item.get('cell', '')}")
        )
        text = f"{where} {item.get('column', '')} = {cell_value(value)}"
        about = (
            self.words(str(item.get("sheet", "")), item["record_id"])
            if item.get("record_id") is not None and item.get("sheet") != "Audit"
            else None
        )
        return f"{text} ({about})" if about else text


@dataclass(frozen=True)
class ParagraphFindings:
    paragraph: int
    score: str
    counts: list[int]  # in the order of SEVERITIES
    findings: list[dict[str, Any]]


def library_title(rule_id: str, english: str) -> str:
    """A rule's title in the library's language in force (the page's: see
    :mod:`auditor.service.library_language`); ``english`` (the result's own, neutral) on an
    English page and for a rule the pack does not hold (an inspector's added finding)."""
    from auditor.i18n import current
    from auditor.pipeline import rule_pack
    from auditor.render.wording import worded

    if current().english:
        return english
    try:
        rule = rule_pack().rule(rule_id)
    except KeyError:
        return english
    return worded(rule.data.title, [None])


def summary(result: dict[str, Any], identities: dict[str, Any] | None = None) -> dict[str, Any]:
    """The done audit's page content: findings by paragraph and severity, each with its
    evidence and the cited records' identifying words; money; gaps."""
    known = Known.of(result, identities)
    findings = [
        {
            **finding,
            "title": library_title(str(finding.get("rule_id", "")), str(finding.get("title", ""))),
            "subject_text": _subject(finding.get("subject"), known),
            "evidence_lines": [known.evidence(e) for e in finding.get("evidence") or []],
        }
        for finding in result.get("findings", [])
    ]
    scores = result.get("paragraph_scores", {}) or {}
    paragraphs = sorted({int(f["paragraph"]) for f in findings} | {int(p) for p in scores})
    by_paragraph = []
    for paragraph in paragraphs:
        mine = [f for f in findings if int(f["paragraph"]) == paragraph]
        counted = Counter(f["severity"] for f in mine)
        by_paragraph.append(
            ParagraphFindings(
                paragraph,
                score_text(scores.get(str(paragraph))),
                [counted.get(s, 0) for s in SEVERITIES],
                mine,
            )
        )
    totals = Counter(f["severity"] for f in findings)
    owed = result.get("money_owed") or {}
    refunded = owed.get("refunded") or {}
    return {
        "score": score_text(result.get("score")),
        "by_paragraph": by_paragraph,
        "severity_totals": [totals.get(s, 0) for s in SEVERITIES],
        "finding_count": len(findings),
        "currency": result.get("currency", ""),
        "owed_total": money(owed.get("total", 0)),
        "owed_by_worker": [(w, money(v)) for w, v in (owed.get("by_worker") or {}).items()],
        "undetermined": owed.get("undetermined") or [],
        "refunded_total": money(refunded.get("total", 0)),
        "agency": known.agency,
        # The agency's copy: rules whose findings it shows only as counts (in ``rules``).
        "withheld_rules": list((result.get("agency_copy") or {}).get("withheld_rules") or []),
        "gaps": [
            {**gap, "subject_text": _subject(gap.get("subject"), known)}
            for gap in result.get("data_gaps", [])
        ],
        "warnings": result.get("warnings", []),
    }


def _grouped(
    items: list[dict[str, Any]], *, new: bool, titles: dict[str, str]
) -> list[dict[str, Any]]:
    """Items by rule and due date, in the order they come, as the PDF groups them."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        due = "" if new else _due(item)
        key = (str(item.get("rule_id", "")), due)
        group = groups.setdefault(
            key,
            {
                "rule_id": key[0],
                "title": titles.get(key[0], ""),
                "severity": item.get("severity", ""),
                "due": due,
                "overdue": bool(item.get("overdue")),
                "subjects": [],
            },
        )
        subject = item.get("subject") or {}
        group["subjects"].append(
            gettext("the agency") if subject.get("type") == "agency" else str(subject.get("id", ""))
        )
    return [{**g, "subjects": ", ".join(g["subjects"])} for g in groups.values()]


def _due(item: dict[str, Any]) -> str:
    if item.get("refunded_in_full"):
        on = item.get("refunded_on")
        if on:
            return gettext("refunded in full on %(day)s") % {"day": on}
        return gettext("refunded in full")
    return str(item["due"]) if item.get("due") else gettext("advice: no deadline")


def _amount(value: object) -> str:
    return gettext("not in this audit") if value is None else money(value)


def comparison_summary(
    comparison: dict[str, Any],
    titles: dict[str, str] | None = None,
    withheld: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The follow-up comparison as the top of the page shows it: counts, then the money in
    the PDF's order (owed at the previous audit, refunded, still owed; and the terms that add
    up to what is still owed, audit-output.md 1.2), then each list as a table by rule. For
    the agency's copy the ``withheld`` (confidential) rules' findings are counted, never
    listed (audit-output.md 1.1); money is not confidential."""
    groups = comparison.get("findings") or {}
    persisting = sorted(groups.get("persisting") or [], key=lambda i: not i.get("overdue"))
    lists = []
    for key, label, items in (
        ("persisting", _("Persisting"), persisting),
        ("resolved", _("Resolved"), groups.get("resolved") or []),
        ("new", _("New"), groups.get("new") or []),
        ("not_reassessed", _("Not reassessed"), groups.get("not_reassessed") or []),
    ):
        lists.append(
            {
                "key": key,
                "label": label,
                "rows": _grouped(
                    [i for i in items if i.get("rule_id") not in withheld],
                    new=key == "new",
                    titles=titles or {},
                ),
                "count": len(items),
                "due_heading": _("Due") if key == "persisting" else _("Was due"),
            }
        )
    owed = comparison.get("money_owed")
    previous = comparison.get("previous") or {}
    current = comparison.get("current") or {}
    change = comparison.get("score_change")
    terms: list[tuple[str, str]] = []
    if owed is not None:
        other = Decimal(str(owed.get("other_changes_total") or 0))
        terms = [
            (gettext("Owed at the previous audit"), money(owed.get("previous_total"))),
            (gettext("less refunded since"), "- " + money(owed.get("refunded_total"))),
            (
                gettext("less last owed to workers not reassessed (not in this audit)"),
                "- " + money(owed.get("not_reassessed_total") or 0),
            ),
            (
                gettext("plus refunds beyond what was owed at the previous audit (over-refunds)"),
                "+ " + money(owed.get("over_refunded_total") or 0),
            ),
            (
                gettext("plus other changes (new charges, rule pack or rate changes)"),
                ("- " if other < 0 else "+ ") + money(abs(other)),
            ),
            (gettext("equals still owed now"), "= " + money(owed.get("current_total"))),
        ]
    return {
        "previous_id": previous.get("audit_id", ""),
        "previous_date": previous.get("inspection_date", ""),
        "previous_score": score_text(previous.get("score")),
        "previous_rating": previous.get("rating", ""),
        "current_score": score_text(current.get("score")),
        "score_change": gettext("not comparable")
        if change is None
        else ("+" if Decimal(str(change)) > 0 else "") + score_text(change),
        "repeat_critical": comparison.get("repeat_critical", 0),
        "overdue": sum(1 for i in persisting if i.get("overdue")),
        "lists": lists,
        "money": None
        if owed is None
        else {
            "previous_total": money(owed.get("previous_total")),
            "current_total": money(owed.get("current_total")),
            "refunded_total": money(owed.get("refunded_total")),
            "by_worker": [
                (
                    w,
                    _amount(v.get("previous")),
                    _amount(v.get("refunded")),
                    _amount(v.get("current")),
                )
                for w, v in (owed.get("by_worker") or {}).items()
            ],
            "terms": terms,
        },
        "notes": comparison.get("notes") or [],
        "withheld": sorted(
            {
                str(i.get("rule_id"))
                for items in groups.values()
                for i in items or []
                if i.get("rule_id") in withheld
            }
        ),
    }


def guide_sheets() -> list[dict[str, Any]]:
    """Every sheet and column of the workbook format, in the words of the template's Guide."""
    sheets = []
    for spec in (AUDIT_SHEET, *TABLE_SHEETS):
        columns = []
        for name, info in spec.model.model_fields.items():
            marker = enum_of(info)
            what = _KIND_WORDS[kind_of(info)]
            if marker is not None:
                what = "one of: " + ", ".join(m.value for m in marker.enum)
            columns.append(
                {
                    "name": name,
                    "required": info.is_required(),
                    "what": what,
                    "meaning": info.description or "",
                }
            )
        if spec is AUDIT_SHEET:  # format 1.2: read by the workbook reader, not a record field
            columns.append(
                {
                    "name": DATE_ORDER_FIELD,
                    "required": False,
                    "what": "iso, day_first or month_first",
                    "meaning": DATE_ORDER_HELP,
                }
            )
        sheets.append({"name": spec.name, "columns": columns})
    return sheets


def rule_catalogue() -> tuple[str, list[dict[str, Any]]]:
    """The rule pack's version and its rules by paragraph, then id (as ``rules list``)."""
    from auditor.pipeline import rule_pack

    pack = rule_pack()
    rows = sorted(pack.rules, key=lambda r: (r.data.paragraph, r.id))
    return pack.version, [
        {
            "id": rule.id,
            "title": library_title(rule.id, neutral(rule.data.title)),
            "paragraph": rule.data.paragraph,
            "severity": rule.data.severity.value,
            "subject": rule.data.subject.value,
            "norms": list(rule.data.norms),
        }
        for rule in rows
    ]


def _scope(scope: Scope) -> str:
    """Where an allowance applies, in words: "destinations MY, SA; not domestic_work"."""
    parts = []
    if scope.sectors is not None:
        parts.append("sectors " + ", ".join(s.value for s in scope.sectors))
    if scope.except_sectors:
        parts.append("not " + ", ".join(s.value for s in scope.except_sectors))
    if scope.destinations is not None:
        parts.append("destinations " + ", ".join(scope.destinations))
    if scope.except_destinations:
        parts.append("not to " + ", ".join(scope.except_destinations))
    return "; ".join(parts) or "every sector and destination"


def _cap(cap: Cap) -> str:
    if cap.amount is not None and cap.currency is not None:
        return f"{cap.amount:,} {cap.currency}"
    return f"{cap.months_of_origin_wage} month(s) of the reference wage"


def profile_catalogue() -> list[dict[str, Any]]:
    """Each jurisdiction profile of the pack as the rules page shows it (catalogue 1.2): its
    recruitment-fee caps, the costs a worker may pay, where each applies, and how sure its
    law is (``checked`` or ``to_be_confirmed``, with the caveat reports print)."""
    from auditor.pipeline import rule_pack

    return [
        {
            "id": profile.id,
            "name": profile.name,
            "status": profile.status.replace("_", " "),
            "checked_on": profile.checked_on.isoformat(),
            "caveat": " ".join((profile.caveat or "").split()),
            "caps": [f"{_cap(a.cap)} ({_scope(a)})" for a in profile.recruitment_fee]
            or ["no recruitment fee may be charged"],
            "payable": [
                f"{', '.join(c.value for c in a.categories)} ({_scope(a)})"
                for a in profile.worker_may_pay
            ]
            or ["none: every cost is the employer's"],
            "hours": f"{profile.weekly_hours_limit} a week (forced-labour indicator above "
            f"{profile.forced_labour_weekly_hours})",
            "sources": [" ".join(s.title.split()) for s in profile.sources],
        }
        for profile in rule_pack().profiles.all()
    ]


def destination_profiles() -> list[dict[str, Any]]:
    """The destination profiles (catalogue 1.3) as the rules page shows them."""
    from auditor.model.destinations import (
        covered_text,
        destination_fee_text,
        related_costs_text,
    )
    from auditor.pipeline import rule_pack

    return [
        {
            "country": profile.country,
            "name": profile.name,
            "law": profile.law,
            "covers": covered_text(profile),
            "recruitment_fee": destination_fee_text(profile),
            "related_costs": related_costs_text(profile),
            "status": profile.status.value,
            "caveat": profile.caveat or "",
            "to_confirm": profile.to_confirm or "",
            "checked_on": profile.checked_on.isoformat(),
            "claims_to": profile.claims_to,
        }
        for profile in rule_pack().destinations.all()
    ]


#: The chart's drawing area (SVG user units); the left margin holds labels such as "20,000".
CHART_WIDTH, CHART_HEIGHT, CHART_PAD, CHART_LEFT = 640, 240, 40, 64


def score_chart(points: list[tuple[str, Decimal]]) -> dict[str, Any]:
    """An SVG line chart of scores (0 to 100) over time, oldest on the left."""
    return line_chart(points, top=Decimal(100), shown=score_text)


def _top(values: list[Decimal]) -> Decimal:
    """The chart's upper bound: a round number at or above the largest value (1, 2, 5 x 10^n)."""
    largest = max(values, default=Decimal(0))
    if largest <= 0:
        return Decimal(1)
    step = Decimal(1)
    while step * 10 <= largest:
        step *= 10
    while step > largest * 10:  # values below 1
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= largest:
            return step * factor
    return step * 10


def line_chart(
    points: list[tuple[str, Decimal]],
    *,
    top: Decimal | None = None,
    shown: Any = str,
) -> dict[str, Any]:
    """An SVG line chart of values from 0 to ``top`` over time, oldest on the left: its
    points, line and five grid lines, laid out here so the template only draws them."""
    inner_w = CHART_WIDTH - CHART_LEFT - CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    top = top if top is not None else _top([value for _, value in points])
    count = len(points)
    placed = []
    for index, (label, value) in enumerate(points):
        x = CHART_LEFT + (inner_w * index / (count - 1) if count > 1 else inner_w / 2)
        y = CHART_PAD + inner_h * (1 - float(value / top))
        placed.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "label": label, "score": shown(value)})
    grid = [
        {
            "y": f"{CHART_PAD + inner_h * (1 - level / 4):.1f}",
            "level": shown(top * level / 4) if top != 100 else str(25 * level),
        }
        for level in range(5)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_PAD,
        "bottom": CHART_HEIGHT - CHART_PAD + 20,
        "points": placed,
        "line": " ".join(f"{p['x']},{p['y']}" for p in placed),
        "grid": grid,
    }


def _whole(value: Decimal) -> str:
    return str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _compact(value: Decimal) -> str:
    """An axis or point label of money: ``12,500`` (whole units; the table has the cents)."""
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def history_charts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The agency's history beside the score: open critical findings and money owed, by
    inspection date; each row is ``{"day", "critical", "owed"}`` (owed a Decimal or None)."""
    critical = [(r["day"], Decimal(r["critical"])) for r in rows if r["critical"] is not None]
    owed = [(r["day"], r["owed"]) for r in rows if r["owed"] is not None]
    # Whole grid lines for counts (a multiple of 4, at least 4); 1, 2 or 5 x 10^n for money.
    most = int(max((value for _, value in critical), default=Decimal(0)))
    critical_top = Decimal(max(4, -(-most // 4) * 4))  # ints: Decimal's // truncates
    owed_top = max(_top([value for _, value in owed]), Decimal(4))
    return {
        "critical": line_chart(critical, top=critical_top, shown=_whole) if critical else None,
        "owed": line_chart(owed, top=owed_top, shown=_compact) if owed else None,
    }


def facts_of_audit(audit: Audit) -> dict[str, Any] | None:
    """An audit's critical findings and money owed: from ``facts.json`` (a few bytes), or,
    for an audit made before the job wrote it, from its result once."""
    facts = read_document(report_path(jobs.CONFIG, str(audit.pk), "facts", "inspector"))
    if facts is None:
        result = result_of(audit)
        facts = facts_of(result) if result is not None else None
    return facts


def history_rows(scored: list[Audit]) -> list[dict[str, Any]]:
    """Each scored audit of an agency, oldest first, with the figures its history charts:
    ``day``, ``score``, ``rating``, ``critical`` and ``owed`` (None when not known)."""
    rows = []
    for audit in scored:
        facts = facts_of_audit(audit) or {}
        owed = facts.get("owed")
        rows.append(
            {
                "audit": audit,
                "day": (audit.inspection_date or audit.upload_day).isoformat(),
                "score": score_text(audit.score),
                "rating": audit.rating,
                "critical": facts.get("critical"),
                "owed": Decimal(str(owed)) if owed is not None else None,
                "owed_text": money(owed),
                "currency": facts.get("currency", ""),
            }
        )
    return rows
