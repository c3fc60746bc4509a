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
#: What may change for an agency, as the headline counts it.
_CHANGES = ("rating", "score", "findings", "money owed")
#: What each rating means, for a reader who has not read the catalogue.
RATING_LABELS = {
    "A": "score 90 or more, no critical finding",
    "B": "score 75 to 89.9, no critical finding",
    "C": "score 50 to 74.9, no critical finding",
    "D": "score below 50, no critical finding",
    "critical": "at least one critical finding (an immediate order), whatever the score",
}
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


def _money_workers(old: dict[str, Any], fresh: dict[str, Any]) -> set[str]:
    """Workers whose amount owed differs between the two results."""
    before, after = old["money_owed"]["by_worker"], fresh["money_owed"]["by_worker"]
    return {w for w in set(before) | set(after) if before.get(w) != after.get(w)}


def compare(
    current: list[dict[str, Any]],
    new: list[dict[str, Any]],
    changes: list[str] | None = None,
) -> dict[str, Any]:
    """The impact document of two runs over the same inputs (rows in the same order);
    ``changes`` says in words what changed between the two packs."""
    from auditor import __version__

    agencies = []
    transitions: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    money: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    ratings: dict[str, Counter[str]] = {"current": Counter(), "new": Counter()}
    worse = better = affected = 0
    changed_by: Counter[str] = Counter()
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
                "message": failed.get("message"), "changed": [],
                "workers_affected": 0, "money_owed_change": None,
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
        workers = sorted(
            {key[2] for key in (gained + lost) if key[1] == "worker"} | _money_workers(old, fresh)
        )
        what = [
            name
            for name, moved in (
                ("rating", was != now),
                ("score", score_change != 0),
                ("findings", bool(gained or lost)),
                ("money owed", sides["current"]["money_owed"] != sides["new"]["money_owed"]),
            )
            if moved
        ]
        for name in what:
            changed_by[name] += 1
        affected += len(workers)
        agencies.append({
            "file": before["source"], "audit_id": old["audit_id"],
            "agency_name": old["agency_name"], "agency_licence": old.get("agency_licence"),
            "currency": currency, "status": DONE, **sides, "rating_changed": was != now,
            "score_change": float(score_change), "findings_by_rule": rules,
            "destinations_changed": destinations, "message": None,
            "changed": what, "workers_affected": len(workers),
            "money_owed_change": float(
                Decimal(str(fresh["money_owed"]["total"]))
                - Decimal(str(old["money_owed"]["total"]))
            ),
        })  # fmt: skip
    compared = sum(agency["status"] == DONE for agency in agencies)
    return {
        "format": FORMAT,
        "engine_version": __version__,
        "current_ruleset": versions["current"],
        "new_ruleset": versions["new"],
        "pack_changes": list(changes or []),
        "totals": {
            "inputs": len(agencies),
            "compared": compared,
            "changed": sum(bool(agency["changed"]) for agency in agencies),
            "changed_by": {name: changed_by[name] for name in _CHANGES},
            "workers_affected": affected,
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


def write(
    current: list[dict[str, Any]],
    new: list[dict[str, Any]],
    out: Path,
    changes: list[str] | None = None,
) -> list[Path]:
    """``impact.json``, ``impact.xlsx`` and ``impact.html`` in ``out``."""
    document = compare(current, new, changes)
    files = {
        "impact.json": (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(),
        "impact.xlsx": as_xlsx(document),
        "impact.html": as_html(document).encode(),
    }
    for name, data in files.items():
        write_atomically(out / name, data)
    return [out / name for name in files]


def as_xlsx(document: dict[str, Any]) -> bytes:
    """Agencies, findings by rule (per agency, and a total per rule), totals and the pack's
    changes, under plain column titles."""
    header = ("File", "Audit", "Agency", "Licence", "Status", "Currency", "Rating now",
              "Rating under the new rules", "Score now", "Score under the new rules",
              "Score change", "Findings now", "Findings under the new rules",
              "Workers affected", "Money owed now", "Money owed under the new rules",
              "What changes", "Message")  # fmt: skip
    rows = []
    for agency in document["agencies"]:
        before, after = agency["current"] or {}, agency["new"] or {}
        rows.append([
            agency["file"], agency["audit_id"], agency["agency_name"], agency["agency_licence"],
            agency["status"], agency["currency"], before.get("rating"), after.get("rating"),
            before.get("score"), after.get("score"), agency["score_change"],
            before.get("findings"), after.get("findings"), agency["workers_affected"],
            before.get("money_owed"), after.get("money_owed"),
            ", ".join(agency["changed"]) or "nothing", agency["message"],
        ])  # fmt: skip
    rules = [
        [agency["agency_name"] or agency["file"], rule, counts["gained"], counts["lost"]]
        for agency in document["agencies"]
        for rule, counts in agency["findings_by_rule"].items()
    ]
    totals = document["totals"]
    per_rule = [
        [rule, counts.get("gained", 0), counts.get("lost", 0)]
        for rule, counts in totals["findings_by_rule"].items()
    ]
    total_rows: list[list[Any]] = [
        ["Workbooks", totals["inputs"]],
        ["Agencies compared", totals["compared"]],
        ["Agencies with any change", totals["changed"]],
        *[[f"Agencies whose {name} changes", n] for name, n in totals["changed_by"].items()],
        ["Workers affected", totals["workers_affected"]],
        ["Agencies rated worse", totals["worse"]],
        ["Agencies rated better", totals["better"]],
    ]
    total_rows += [[f"Rating {k}", v] for k, v in totals["transitions"].items()]
    total_rows += [
        [f"Money owed in {currency}, {'now' if side == 'current' else 'new rules'}", amount]
        for currency, sides in totals["money_owed"].items()
        for side, amount in sides.items()
    ]
    total_rows += [
        [f"destination changed {destination}", "yes"]
        for destination in totals.get("destinations_changed", [])
    ]
    changes = [[line] for line in document.get("pack_changes", [])] or [["no change found"]]
    labels = [[rating, meaning] for rating, meaning in RATING_LABELS.items()]
    return workbook([
        ("Agencies", header, rows),
        ("Findings by rule", ("Agency", "Rule", "Findings gained", "Findings lost"), rules),
        ("Total per rule", ("Rule", "Findings gained", "Findings lost"), per_rule),
        ("Totals", ("What", "Value"), total_rows),
        ("What changed", ("Change between the packs",), changes),
        ("Ratings", ("Rating", "Meaning"), labels),
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
    parts = []
    for rule, counts in rules.items():
        said = [
            f"+{counts['gained']}" if counts["gained"] else "",
            f"-{counts['lost']}" if counts["lost"] else "",
        ]
        parts.append(f"{rule} {' '.join(p for p in said if p)}")
    return ", ".join(parts) or "none"


def _money(value: Any) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _headline(totals: dict[str, Any]) -> str:
    by = totals["changed_by"]
    money = "; ".join(
        f"money owed {_money(sides['current'])} -> {_money(sides['new'])} {currency}"
        for currency, sides in totals["money_owed"].items()
        if sides["current"] != sides["new"]
    )
    gained = sum(c.get("gained", 0) for c in totals["findings_by_rule"].values())
    lost = sum(c.get("lost", 0) for c in totals["findings_by_rule"].values())
    rules = ", ".join(
        f"{rule} {'+' + str(c['gained']) if c.get('gained') else ''}"
        f"{' -' + str(c['lost']) if c.get('lost') else ''}".strip()
        for rule, c in totals["findings_by_rule"].items()
    )
    parts = [
        f"<strong>{totals['changed']}</strong> of {totals['compared']} agencies change "
        f"(rating {by['rating']}, score {by['score']}, findings {by['findings']}, money owed "
        f"{by['money owed']})",
        f"{gained} findings gained and {lost} lost" + (f" ({rules})" if rules else ""),
        f"{totals['workers_affected']} workers affected",
    ]
    if money:
        parts.append(money)
    return "; ".join(parts) + "."


def as_html(document: dict[str, Any]) -> str:
    """A page for a director: what changed between the packs, the headline, every agency
    that changes (rating, score, findings, money), the totals and what ratings mean."""
    totals = document["totals"]
    e = html.escape
    changed = [a for a in document["agencies"] if a["changed"]]
    rows = "".join(
        f"<tr><td>{e(a['agency_name'])}<br><small>{e(Path(a['file']).name)}</small></td>"
        f"<td>{e(a['current']['rating'])} &rarr; {e(a['new']['rating'])}</td>"
        f"<td class=n>{a['current']['score']:.1f} &rarr; {a['new']['score']:.1f}</td>"
        f"<td>{e(_rule_changes(a['findings_by_rule']))}</td>"
        f"<td class=n>{a['workers_affected']}</td>"
        f"<td class=n>{_money(a['current']['money_owed'])} &rarr; "
        f"{_money(a['new']['money_owed'])} {e(a['currency'])}</td></tr>"
        for a in changed
    )
    pack = "".join(f"<li>{e(line)}</li>" for line in document.get("pack_changes", []))
    per_rule = "".join(
        f"<tr><td>{e(rule)}</td><td class=n>{c.get('gained', 0)}</td>"
        f"<td class=n>{c.get('lost', 0)}</td></tr>"
        for rule, c in totals["findings_by_rule"].items()
    )
    transitions = ", ".join(f"{e(k)}: {v}" for k, v in totals["transitions"].items()) or "none"
    money = "".join(
        f"<li>{e(currency)}: {_money(sides['current'])} now, {_money(sides['new'])} under the "
        "new rules</li>"
        for currency, sides in totals["money_owed"].items()
    )
    destinations = e(", ".join(totals.get("destinations_changed", [])) or "none")
    labels = "".join(
        f"<tr><td>{e(r)}</td><td>{e(meaning)}</td></tr>" for r, meaning in RATING_LABELS.items()
    )
    failed = totals["inputs"] - totals["compared"]
    unaudited = f"; {failed} input(s) could not be audited" if failed else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Impact of a rule change</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:64em;color:#222;line-height:1.4}}
table{{border-collapse:collapse;margin:.5em 0 1.5em}}
td,th{{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}}
td.n{{text-align:right;white-space:nowrap}}th{{background:#1f3a5f;color:#fff}}
.headline{{font-size:1.15em;background:#eef2f7;padding:.8em 1em;border-left:4px solid #1f3a5f}}
small{{color:#666}}</style></head><body>
<h1>Impact of a rule change</h1>
<p class="headline">{_headline(totals)}</p>
<h2>What changed between the packs</h2>
<ul>{pack or "<li>no change found in the rules or profiles</li>"}</ul>
<p><small>Rules in force: <code>{e(str(document["current_ruleset"]))}</code>; proposed:
<code>{e(str(document["new_ruleset"]))}</code>.</small></p>
<h2>Agencies that change</h2>
<table><tr><th>Agency</th><th>Rating</th><th>Score</th><th>Findings gained (+) and lost (&minus;)
by rule</th><th>Workers affected</th><th>Money owed to workers</th></tr>{rows}</table>
<h2>Totals</h2>
<p>{totals["compared"]} agencies compared{unaudited}.
Ratings changed: {totals["rating_changed"]} ({totals["worse"]} worse, {totals["better"]} better;
{transitions}).</p>
<table><tr><th>Rule</th><th>Findings gained</th><th>Findings lost</th></tr>{per_rule}</table>
<h3>Money owed to workers</h3><ul>{money}</ul>
<h3>Agencies per rating</h3>
{_chart(totals["ratings"])}
<h2>Law of the destination</h2><p>Destinations whose figures change: {destinations}.</p>
<h2>What the ratings mean</h2>
<table><tr><th>Rating</th><th>Meaning</th></tr>{labels}</table>
</body></html>
"""
