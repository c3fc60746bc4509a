"""What a proposed rule change does to a folder of agencies: ``impact.json``, ``.xlsx``, ``.html``.

``audit-impact/1`` (our shape; the issue names the contents)::

    {"format": "audit-impact/1", "engine_version": ...,
     "current_ruleset": "1.1.0+...", "new_ruleset": "1.1.0+...",
     "totals": {"inputs": 20, "compared": 19, "rating_changed": 4, "worse": 3, "better": 1,
                "ratings": {"current": {"A": 3, ...}, "new": {"A": 2, ...}},
                "transitions": {"B -> C": 3, "C -> B": 1},
                "findings_by_rule": {"FEE-01": {"gained": 12, "lost": 0}},
                "money_owed": {"PHP": {"current": 1722.5, "new": 2100.0}},
                "destinations_changed": ["QA"],
                "corridor": {"QA": {"current": {"workers": 24, "workers_charged": 5,
                                                "amount_charged": {"USD": 1251.25}},
                                    "new": {"workers": 0, "workers_charged": 0,
                                            "amount_charged": {}}}}},
     "agencies": [{"file": ..., "audit_id": ..., "agency_name": ..., "agency_licence": ...,
                   "currency": "PHP", "status": "done",
                   "current": {"rating": "B", "score": 81.2, "findings": 4, "money_owed": 300.0},
                   "new": {"rating": "C", "score": 64.0, "findings": 7, "money_owed": 480.0},
                   "rating_changed": true, "score_change": -17.2,
                   "findings_by_rule": {"FEE-01": {"gained": 3, "lost": 0}},
                   "destinations_changed": [], "message": null}]}

A finding is the same finding under both packs when its rule, subject
type and subject id are equal (as in ``audit-comparison/1``). ``worse``
counts agencies whose rating moved towards ``critical``. Money owed is
totalled per currency: amounts in different currencies are never added.
Agencies are listed in input order; an input either run could not audit
has ``status`` ``invalid`` or ``failed``, its ``message``, and null sides.

Catalogue 1.3: ``corridor`` totals each run's ``corridor`` of the results
(workers whose destination has a destination profile, those charged against
its law, the amount per currency), and ``destinations_changed`` names the
destinations whose figures differ, so packs with and without a destination
profile (or with a changed one) can be compared.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor.batch.job import DONE, write_atomically
from auditor.batch.rows import RATING_RISK
from auditor.batch.tables import workbook
from auditor.model.enums import Rating

FORMAT = "audit-impact/1"
RATINGS = [rating.value for rating in Rating]


def _result(row: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((Path(row["folder"]) / "json").read_text("utf-8"))
    return document


def _side(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "rating": result["rating"],
        "score": result["score"],
        "findings": len(result["findings"]),
        "money_owed": result["money_owed"]["total"],
    }


def _keys(result: dict[str, Any]) -> Counter[tuple[str, str, str]]:
    return Counter(
        (f["rule_id"], f["subject"]["type"], f["subject"]["id"]) for f in result["findings"]
    )


def _corridor(result: dict[str, Any]) -> dict[str, tuple[int, int, float]]:
    return {
        row["destination"]: (row["workers"], row["workers_charged"], row["amount_charged"])
        for row in result.get("corridor", [])
    }


def _corridor_totals(
    totals: dict[str, dict[str, dict[str, Any]]], side: str, result: dict[str, Any]
) -> None:
    for destination, (workers, charged, amount) in _corridor(result).items():
        entry = totals[destination].setdefault(
            side, {"workers": 0, "workers_charged": 0, "amount_charged": {}}
        )
        entry["workers"] += workers
        entry["workers_charged"] += charged
        money = entry["amount_charged"]
        money[result["currency"]] = float(
            Decimal(str(money.get(result["currency"], 0))) + Decimal(str(amount))
        )


def compare(current: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, Any]:
    """The impact document of two runs over the same inputs (rows in the same order)."""
    from auditor import __version__

    agencies = []
    transitions: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    money: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    ratings: dict[str, Counter[str]] = {"current": Counter(), "new": Counter()}
    worse = better = 0
    versions = {"current": None, "new": None}
    corridor: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for before, after in zip(current, new, strict=True):
        if before["status"] != DONE or after["status"] != DONE:
            failed = before if before["status"] != DONE else after
            agencies.append({
                "file": before["source"], "audit_id": None, "agency_name": None,
                "agency_licence": None, "currency": None, "status": failed["status"],
                "current": None, "new": None, "rating_changed": None, "score_change": None,
                "findings_by_rule": {}, "destinations_changed": [],
                "message": failed.get("message"),
            })  # fmt: skip
            continue
        old, fresh = _result(before), _result(after)
        versions = {"current": old["ruleset_version"], "new": fresh["ruleset_version"]}
        sides = {"current": _side(old), "new": _side(fresh)}
        gained, lost = _keys(fresh) - _keys(old), _keys(old) - _keys(fresh)
        rules: dict[str, dict[str, int]] = {}
        for (rule, _, _), count in sorted(gained.items()):
            rules.setdefault(rule, {"gained": 0, "lost": 0})["gained"] += count
        for (rule, _, _), count in sorted(lost.items()):
            rules.setdefault(rule, {"gained": 0, "lost": 0})["lost"] += count
        rules = dict(sorted(rules.items()))
        for rule, counts in rules.items():
            by_rule[rule].update(counts)
        was, now = Rating(old["rating"]), Rating(fresh["rating"])
        for name, rating in (("current", was), ("new", now)):
            ratings[name][rating.value] += 1
        if was != now:
            transitions[f"{was.value} -> {now.value}"] += 1
            worse += RATING_RISK[now] < RATING_RISK[was]
            better += RATING_RISK[now] > RATING_RISK[was]
        currency = old["currency"]
        money[currency]["current"] += Decimal(str(old["money_owed"]["total"]))
        money[currency]["new"] += Decimal(str(fresh["money_owed"]["total"]))
        score_change = Decimal(str(fresh["score"])) - Decimal(str(old["score"]))
        _corridor_totals(corridor, "current", old)
        _corridor_totals(corridor, "new", fresh)
        was_corridor, now_corridor = _corridor(old), _corridor(fresh)
        destinations = sorted(
            d
            for d in set(was_corridor) | set(now_corridor)
            if was_corridor.get(d) != now_corridor.get(d)
        )
        agencies.append({
            "file": before["source"], "audit_id": old["audit_id"],
            "agency_name": old["agency_name"], "agency_licence": old.get("agency_licence"),
            "currency": currency, "status": DONE, **sides, "rating_changed": was != now,
            "score_change": float(score_change), "findings_by_rule": rules,
            "destinations_changed": destinations, "message": None,
        })  # fmt: skip
    compared = sum(agency["status"] == DONE for agency in agencies)
    return {
        "format": FORMAT,
        "engine_version": __version__,
        "current_ruleset": versions["current"],
        "new_ruleset": versions["new"],
        "totals": {
            "inputs": len(agencies),
            "compared": compared,
            "rating_changed": sum(transitions.values()),
            "worse": worse,
            "better": better,
            "ratings": {name: {r: counts[r] for r in RATINGS} for name, counts in ratings.items()},
            "transitions": dict(sorted(transitions.items())),
            "findings_by_rule": {rule: dict(c) for rule, c in sorted(by_rule.items())},
            "money_owed": {
                currency: {name: float(total) for name, total in sides_.items()}
                for currency, sides_ in sorted(money.items())
            },
            "destinations_changed": sorted(
                d for d, sides_ in corridor.items() if sides_.get("current") != sides_.get("new")
            ),
            "corridor": {
                destination: {
                    side: sides_.get(
                        side, {"workers": 0, "workers_charged": 0, "amount_charged": {}}
                    )
                    for side in ("current", "new")
                }
                for destination, sides_ in sorted(corridor.items())
            },
        },
        "agencies": agencies,
    }


def write(current: list[dict[str, Any]], new: list[dict[str, Any]], out: Path) -> list[Path]:
    """``impact.json``, ``impact.xlsx`` and ``impact.html`` in ``out``."""
    document = compare(current, new)
    files = {
        "impact.json": (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(),
        "impact.xlsx": as_xlsx(document),
        "impact.html": as_html(document).encode(),
    }
    for name, data in files.items():
        write_atomically(out / name, data)
    return [out / name for name in files]


def as_xlsx(document: dict[str, Any]) -> bytes:
    header = ("file", "audit_id", "agency_name", "agency_licence", "status", "currency",
              "rating_current", "rating_new", "score_current", "score_new", "score_change",
              "findings_current", "findings_new", "money_owed_current", "money_owed_new",
              "rating_changed", "message")  # fmt: skip
    rows = []
    for agency in document["agencies"]:
        before, after = agency["current"] or {}, agency["new"] or {}
        rows.append([
            agency["file"], agency["audit_id"], agency["agency_name"], agency["agency_licence"],
            agency["status"], agency["currency"], before.get("rating"), after.get("rating"),
            before.get("score"), after.get("score"), agency["score_change"],
            before.get("findings"), after.get("findings"), before.get("money_owed"),
            after.get("money_owed"), agency["rating_changed"], agency["message"],
        ])  # fmt: skip
    rules = [
        [agency["file"], rule, counts["gained"], counts["lost"]]
        for agency in document["agencies"]
        for rule, counts in agency["findings_by_rule"].items()
    ]
    totals = document["totals"]
    total_rows: list[list[Any]] = [
        [key, totals[key]] for key in ("inputs", "compared", "rating_changed", "worse", "better")
    ]
    total_rows += [[f"transition {k}", v] for k, v in totals["transitions"].items()]
    total_rows += [
        [f"money owed {currency} ({side})", amount]
        for currency, sides in totals["money_owed"].items()
        for side, amount in sides.items()
    ]
    total_rows += [
        [f"destination changed {destination}", "yes"]
        for destination in totals.get("destinations_changed", [])
    ]
    return workbook([
        ("Agencies", header, rows),
        ("Findings by rule", ("file", "rule_id", "gained", "lost"), rules),
        ("Totals", ("what", "value"), total_rows),
    ])  # fmt: skip


def _chart(ratings: dict[str, dict[str, int]]) -> str:
    """Agencies per rating under the current and the new rules: a grouped bar chart (SVG)."""
    width, height, base, left = 560, 260, 210, 40
    top = max([1, *ratings["current"].values(), *ratings["new"].values()])
    slot = (width - left) / len(RATINGS)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="Agencies per rating, current and new rules">',
        f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#333"/>',
    ]
    for index, rating in enumerate(RATINGS):
        x = left + index * slot + slot * 0.15
        for offset, (side, colour) in enumerate((("current", "#8a9bb0"), ("new", "#1f3a5f"))):
            count = ratings[side][rating]
            bar = (base - 20) * count / top
            bx = x + offset * slot * 0.36
            parts.append(
                f'<rect x="{bx:.1f}" y="{base - bar:.1f}" width="{slot * 0.34:.1f}" '
                f'height="{bar:.1f}" fill="{colour}"/>'
                f'<text x="{bx + slot * 0.17:.1f}" y="{base - bar - 4:.1f}" font-size="12" '
                f'text-anchor="middle">{count}</text>'
            )
        parts.append(
            f'<text x="{left + index * slot + slot / 2:.1f}" y="{base + 18}" font-size="13" '
            f'text-anchor="middle">{rating}</text>'
        )
    parts.append(
        f'<rect x="{left}" y="{height - 18}" width="12" height="12" fill="#8a9bb0"/>'
        f'<text x="{left + 16}" y="{height - 8}" font-size="12">current rules</text>'
        f'<rect x="{left + 130}" y="{height - 18}" width="12" height="12" fill="#1f3a5f"/>'
        f'<text x="{left + 146}" y="{height - 8}" font-size="12">new rules</text></svg>'
    )
    return "".join(parts)


def _rule_changes(rules: dict[str, dict[str, int]]) -> str:
    return ", ".join(f"{rule} +{c['gained']}/-{c['lost']}" for rule, c in rules.items())


def as_html(document: dict[str, Any]) -> str:
    """A one-page summary: the totals, the chart, and the agencies whose rating changes."""
    totals = document["totals"]
    e = html.escape
    changed = [a for a in document["agencies"] if a["rating_changed"]]
    rows = "".join(
        f"<tr><td>{e(a['agency_name'])}</td><td>{e(a['file'])}</td>"
        f"<td>{e(a['current']['rating'])} ({a['current']['score']})</td>"
        f"<td>{e(a['new']['rating'])} ({a['new']['score']})</td>"
        f"<td>{e(_rule_changes(a['findings_by_rule']))}</td></tr>"
        for a in changed
    )
    transitions = ", ".join(f"{e(k)}: {v}" for k, v in totals["transitions"].items()) or "none"
    money = "".join(
        f"<li>{e(currency)}: {sides['current']:,.2f} now, {sides['new']:,.2f} under the new rules"
        "</li>"
        for currency, sides in totals["money_owed"].items()
    )
    destinations = e(", ".join(totals.get("destinations_changed", [])) or "none")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Impact of a rule change</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:60em;color:#222}}
table{{border-collapse:collapse}}td,th{{border:1px solid #bbb;padding:4px 8px;text-align:left}}
th{{background:#1f3a5f;color:#fff}}</style></head><body>
<h1>Impact of a rule change</h1>
<p>Rules in force: <code>{e(str(document["current_ruleset"]))}</code>;
proposed: <code>{e(str(document["new_ruleset"]))}</code>.</p>
<p><strong>{totals["rating_changed"]}</strong> of {totals["compared"]} agencies change rating
({totals["worse"]} worse, {totals["better"]} better); {totals["inputs"] - totals["compared"]}
input(s) could not be compared. Changes: {transitions}.</p>
<h2>Agencies per rating</h2>
{_chart(totals["ratings"])}
<h2>Money owed to workers</h2><ul>{money}</ul>
<h2>Law of the destination</h2><p>Destinations whose figures change: {destinations}.</p>
<h2>Agencies whose rating changes</h2>
<table><tr><th>Agency</th><th>File</th><th>Now</th><th>New rules</th>
<th>Findings gained/lost by rule</th></tr>{rows}</table>
</body></html>
"""
