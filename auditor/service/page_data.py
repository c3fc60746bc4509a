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

from django.utils.translation import gettext_lazy as _

from auditor.ingest.template import _KIND_WORDS, DATE_ORDER_HELP
from auditor.model.columns import enum_of, kind_of
from auditor.model.profiles import Cap, Scope
from auditor.model.sheets import AUDIT_SHEET, DATE_ORDER_FIELD, TABLE_SHEETS
from auditor.model.wording import neutral
from auditor.service import jobs
from auditor.service.models import Audit
from auditor.service.storage import report_path

SEVERITIES = ("critical", "high", "medium", "low")


def money(value: object) -> str:
    """An amount for display: two decimals, rounded half up, thousands separated."""
    if value is None:
        return "not known"
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


def comparison_of(audit: Audit) -> dict[str, Any] | None:
    return read_json(report_path(jobs.CONFIG, str(audit.pk), "comparison", "inspector"))


def _subject(subject: Any) -> str:
    if not isinstance(subject, dict):
        return ""
    return f"{subject.get('type', '')} {subject.get('id', '')}".strip()


@dataclass(frozen=True)
class ParagraphFindings:
    paragraph: int
    score: str
    counts: list[int]  # in the order of SEVERITIES
    findings: list[dict[str, Any]]


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The done audit's page content: findings by paragraph and severity, money, gaps."""
    findings = [
        {**finding, "subject_text": _subject(finding.get("subject"))}
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
        "gaps": [
            {**gap, "subject_text": _subject(gap.get("subject"))}
            for gap in result.get("data_gaps", [])
        ],
        "warnings": result.get("warnings", []),
    }


def comparison_summary(comparison: dict[str, Any]) -> dict[str, Any]:
    """The follow-up comparison: counts and lists, money refunded and still owed."""
    groups = comparison.get("findings") or {}
    lists = []
    for key, label in (
        ("resolved", _("Resolved")),
        ("persisting", _("Persisting")),
        ("new", _("New")),
        ("not_reassessed", _("Not reassessed")),
    ):
        items = [
            {**item, "subject_text": _subject(item.get("subject"))} for item in groups.get(key, [])
        ]
        lists.append({"key": key, "label": label, "items": items, "count": len(items)})
    owed = comparison.get("money_owed")
    previous = comparison.get("previous") or {}
    return {
        "previous_id": previous.get("audit_id", ""),
        "previous_date": previous.get("inspection_date", ""),
        "previous_score": score_text(previous.get("score")),
        "score_change": score_text(comparison.get("score_change")),
        "repeat_critical": comparison.get("repeat_critical", 0),
        "lists": lists,
        "money": None
        if owed is None
        else {
            "previous_total": money(owed.get("previous_total")),
            "current_total": money(owed.get("current_total")),
            "refunded_total": money(owed.get("refunded_total")),
            "by_worker": [
                (w, money(v.get("previous")), money(v.get("current")), money(v.get("refunded")))
                for w, v in (owed.get("by_worker") or {}).items()
            ],
        },
        "notes": comparison.get("notes") or [],
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
            "title": neutral(rule.data.title),
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


#: The chart's drawing area (SVG user units).
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 240, 40


def score_chart(points: list[tuple[str, Decimal]]) -> dict[str, Any]:
    """An SVG line chart of scores (0 to 100) over time, oldest on the left."""
    inner_w = CHART_WIDTH - 2 * CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    count = len(points)
    placed = []
    for index, (label, score) in enumerate(points):
        x = CHART_PAD + (inner_w * index / (count - 1) if count > 1 else inner_w / 2)
        y = CHART_PAD + inner_h * (1 - float(score) / 100)
        placed.append(
            {"x": f"{x:.1f}", "y": f"{y:.1f}", "label": label, "score": score_text(score)}
        )
    grid = [
        {"y": f"{CHART_PAD + inner_h * (1 - level / 100):.1f}", "level": level}
        for level in (0, 25, 50, 75, 100)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "bottom": CHART_HEIGHT - CHART_PAD + 20,
        "points": placed,
        "line": " ".join(f"{p['x']},{p['y']}" for p in placed),
        "grid": grid,
    }
