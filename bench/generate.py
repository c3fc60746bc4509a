"""Synthetic inspection workbooks of any size, for benchmarks.

``python bench/generate.py 50000 --out bench/data/w50000.xlsx`` writes a
valid workbook with N workers, about 4N fees, 1.3N contracts, N/10
complaints, N/2000 + 3 employers and three channels, in two currencies with
FX rates. Two mixes of problems:

- ``typical`` (default): most workers compliant; each kind of problem
  touches a few percent of workers and a few values are unrecorded, as in a
  problem agency a labour inspectorate would actually meet;
- ``dense``: a large agency with many problems, about 3.4 findings per
  worker (the shape of issue 15's independent 50,000-worker workbook:
  FEE-02, CON-02, INFO-02 and FEE-04 most frequent);
- ``stress``: every random choice is often a violation or unknown (about six
  findings per worker), to show how the engine scales with findings.

The same N, mix and seed give the same content. openpyxl's write-only mode
keeps memory flat while writing 300,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import NamedStyle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.model.sheets import AUDIT_SHEET, TABLE_SHEETS

INSPECTION = dt.date(2026, 6, 30)
SECTORS = ["domestic_work", "care", "construction", "hospitality", "manufacturing", "agriculture"]
DESTINATIONS = ["QA", "SA", "AE", "KW", "MY", "HK", "SG"]
LANGS = ["en", "tl", "ar", "ne", "id", "hi"]
EMPLOYER_PAID = ["travel", "administrative", "insurance", "training", "lodging", "medical"]
WORKER_PAYABLE = ["personal_documents", "medical", "skills_test"]


@dataclass(frozen=True)
class Mix:
    """How often each kind of record is a problem, or unrecorded."""

    bad: float  # a violating value where a rule looks
    unknown: float  # an empty optional value where a rule looks
    worker_paid: float  # share of fee rows the worker bears


MIXES = {"clean": Mix(bad=0.0, unknown=0.0, worker_paid=0.12),
         "typical": Mix(bad=0.02, unknown=0.01, worker_paid=0.12),
         "dense": Mix(bad=0.14, unknown=0.06, worker_paid=0.30),
         "stress": Mix(bad=0.25, unknown=0.15, worker_paid=0.35)}  # fmt: skip


@dataclass(frozen=True)
class Origin:
    """An origin country as its profile sees it, for agencies of several origins (issue 24):
    where its workers go, what they may pay, and its recruitment-fee cap, if any."""

    country: str  # the workbook's origin_country and the workers' nationality
    jurisdiction: str
    destinations: tuple[str, ...]
    payable: tuple[str, ...]  # related costs the profile lets a worker pay
    cap: Decimal | None  # a fixed cap in ``currency``; None: months of wage, or no fee
    currency: str
    rate: Decimal  # 1 ``currency`` in USD
    months_cap: Decimal | None = None


ORIGINS = {
    "PH": Origin("PH", "PH", ("SA", "HK", "AE", "QA", "GB"), ("personal_documents", "medical",
                 "skills_test"), None, "PHP", Decimal("0.0175"), months_cap=Decimal(1)),
    "NP": Origin("NP", "NP", ("MY", "SA", "QA", "AE", "KW", "JP"), ("insurance", "training",
                 "medical", "personal_documents"), Decimal(10000), "NPR", Decimal("0.0075")),
    "ID": Origin("ID", "ID", ("MY", "HK", "SA", "KW", "SG"), ("personal_documents", "medical",
                 "skills_test"), None, "IDR", Decimal("0.000063")),
    "ilo": Origin("LK", "ilo", ("QA", "AE", "KW", "SA", "JO"), (), None, "LKR",
                  Decimal("0.0033")),
}  # fmt: skip
#: Recruitment fees as shares of a cap: below, at, just above and well above it, and at
#: half of it (so that halving a cap shows).
_AROUND_CAP = (Decimal("0.3"), Decimal("0.5"), Decimal("0.6"), Decimal("0.75"), Decimal("0.9"),
               Decimal(1), Decimal("1.02"), Decimal("1.5"))  # fmt: skip


def _date(rng: random.Random, start: dt.date, span_days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span_days))


def rows_for(
    n: int,
    seed: int = 7,
    mix: str = "typical",
    agency: int | None = None,
    origin: str | None = None,
) -> dict[str, list[list[object]]]:
    """Rows of every sheet (header first), as plain cell values.

    ``agency`` numbers one agency of many (a batch): its own audit id, name and licence.
    ``origin`` (PH, NP, ID or ilo; see :data:`ORIGINS`) writes an agency of that origin:
    its profile's destinations and payable costs, and a recruitment-fee row for most
    workers, around the cap where the profile has one (below, at, above it, and at half
    of it), in the cap's currency; without it, the Philippine bench agency as before.
    """
    if origin is not None:
        return _origin_rows(n, seed, mix, agency, ORIGINS[origin])
    tag = "" if agency is None else f"-A{agency:04d}"
    rng = random.Random(seed)
    m = MIXES[mix]

    def pick(good: object, bad: object, unknown: object = None) -> object:
        draw = rng.random()
        if draw < m.bad:
            return bad
        if draw < m.bad + m.unknown:
            return unknown
        return good

    sheets: dict[str, list[list[object]]] = {}
    employers = n // 2000 + 3
    sheets["Audit"] = [
        ["field", "value"],
        ["audit_id", f"BENCH-{mix}-{n}{tag}"],
        ["agency_name", f"Synthetic Manpower Services{tag}"],
        ["agency_licence_number", f"LIC-0001{tag}"],
        ["licence_valid_until", dt.date(2027, 1, 1)],
        ["origin_country", "PH"],
        ["jurisdiction", "PH"],
        ["inspection_date", INSPECTION],
        ["inspector", "Benchmark"],
        ["currency", "USD"],
    ]
    sheets["Employers"] = [list(TABLE_SHEETS[0].fields)] + [
        [f"E{e}", f"Employer {e}", DESTINATIONS[e % len(DESTINATIONS)], SECTORS[e % len(SECTORS)],
         "yes", pick("no", "yes"), pick("no", "yes"), pick("yes", "no")]
        for e in range(employers)
    ]  # fmt: skip
    workers = [list(TABLE_SHEETS[1].fields)]
    contracts = [list(TABLE_SHEETS[2].fields)]
    fees = [list(TABLE_SHEETS[3].fields)]
    complaints = [list(TABLE_SHEETS[6].fields)]
    contract_no = fee_no = complaint_no = 0
    for w in range(n):
        wid = f"W{w:06d}"
        lang = LANGS[w % len(LANGS)]
        wage = Decimal(rng.randrange(350, 900))
        workers.append([
            wid, rng.choice(["F", "F", "F", "M"]), pick(_date(rng, dt.date(1970, 1, 1), 365 * 36),
                                                         dt.date(2009, 5, 1)),
            "PH", f"E{w % employers}", f"{lang}, en", _date(rng, dt.date(2023, 1, 1), 900),
            pick(wage, wage - rng.randrange(20, 120)), "USD",
            pick("yes", "no"), pick(f"{lang}, en", "hi"), pick("worker", "employer"),
            pick("no", "yes"),
        ])  # fmt: skip
        for stage in ("origin", "destination") if rng.random() < 0.3 else ("origin",):
            contract_no += 1
            contracts.append([
                f"C{contract_no:07d}", wid, stage, _date(rng, dt.date(2022, 6, 1), 500),
                pick(f"{lang}, en", "ar", f"{lang}, en"), pick("yes", "no"),
                wage if stage == "origin" else pick(wage, wage - rng.randrange(20, 120), wage),
                "USD",
                pick(48, 66), pick(1, 0.5), pick("yes", "no"), pick(0, 200), pick("no", "yes"),
            ])  # fmt: skip
        for _ in range(4):
            fee_no += 1
            php = rng.random() < 0.5
            worker_pays = rng.random() < m.worker_paid
            category = rng.choice(WORKER_PAYABLE if worker_pays and rng.random() > m.bad * 4
                                  else EMPLOYER_PAID)  # fmt: skip
            fees.append([
                f"F{fee_no:07d}", wid, category, None,
                Decimal(rng.randrange(500, 30000)) if php else Decimal(rng.randrange(10, 600)) / 2,
                "PHP" if php else "USD", "worker" if worker_pays else "employer", "agency", None,
                _date(rng, dt.date(2022, 6, 1), 400), pick("no", "yes"),
                pick("yes", "no"), pick("no", "yes"),
            ])  # fmt: skip
        if w % 10 == 0:
            complaint_no += 1
            filed = _date(rng, dt.date(2025, 1, 1), 440)
            complaints.append([
                f"K{complaint_no:06d}", wid, f"CH{complaint_no % 3}",
                rng.choice(["fees", "wages", "harassment", "documents", "hours"]), filed,
                filed + dt.timedelta(days=rng.randrange(5, 28)) if rng.random() > m.bad else None,
                pick("no", "yes"),
            ])  # fmt: skip
    sheets["Workers"] = workers
    sheets["Contracts"] = contracts
    sheets["Fees"] = fees
    sheets["Intermediaries"] = [list(TABLE_SHEETS[4].fields)]
    sheets["Channels"] = [list(TABLE_SHEETS[5].fields)] + [
        [f"CH{c}", ["government", "ngo", "agency"][c], "hotline", "en, tl, ar, ne, id, hi",
         "yes", "yes", "yes", "yes", 30]
        for c in range(3)
    ]  # fmt: skip
    sheets["Complaints"] = complaints
    sheets["FX"] = [["currency", "rate"], ["PHP", Decimal("0.0175")]]
    return sheets


def _origin_rows(
    n: int, seed: int, mix: str, agency: int | None, origin: Origin
) -> dict[str, list[list[object]]]:
    """An agency of ``origin``: the bench agency's shape, with that profile's law."""
    sheets = rows_for(n, seed, mix, agency)
    rng = random.Random(seed * 7919 + 1)
    m = MIXES[mix]
    tag = "" if agency is None else f"-A{agency:04d}"
    audit = {row[0]: row[1] for row in sheets["Audit"][1:]}
    audit.update(
        audit_id=f"GEN-{origin.jurisdiction}-{mix}-{n}{tag}",
        agency_name=f"Synthetic {origin.jurisdiction} Recruitment{tag}",
        origin_country=origin.country,
        jurisdiction=origin.jurisdiction,
    )
    sheets["Audit"] = [["field", "value"], *[[k, v] for k, v in audit.items()]]
    for index, row in enumerate(sheets["Employers"][1:]):
        row[2] = origin.destinations[index % len(origin.destinations)]
    for row in sheets["Workers"][1:]:
        row[3] = origin.country
    fees = sheets["Fees"]
    wages = {row[0]: row[7] for row in sheets["Workers"][1:]}
    for row in fees[1:]:
        if row[6] == "worker" and row[2] in WORKER_PAYABLE:
            row[2] = rng.choice(origin.payable) if origin.payable else "medical"
            if not origin.payable:
                row[6] = "employer"  # no cost is the worker's under the baseline
        if row[5] == "PHP":
            row[5] = origin.currency
            row[4] = (Decimal(row[4]) * Decimal("0.0175") / origin.rate).quantize(Decimal(1))
    number = len(fees)
    for worker_id, wage in wages.items():
        if rng.random() < 0.2:
            continue  # no recruitment fee recorded for her
        number += 1
        if origin.cap is not None:
            share = rng.choice(_AROUND_CAP if rng.random() < m.bad * 10 else _AROUND_CAP[:6])
            amount, currency = (origin.cap * share).quantize(Decimal(1)), origin.currency
        elif origin.months_cap is not None and isinstance(wage, Decimal):
            share = rng.choice(_AROUND_CAP if rng.random() < m.bad * 10 else _AROUND_CAP[:6])
            amount, currency = (wage * origin.months_cap * share).quantize(Decimal(1)), "USD"
        else:  # no fee allowed: charged only where the mix has violations
            if rng.random() >= m.bad * 2:
                continue
            amount, currency = Decimal(rng.randrange(50, 400)), "USD"
        fees.append([
            f"R{number:07d}", worker_id, "recruitment_fee", None, amount, currency, "worker",
            "agency", None, _date(rng, dt.date(2022, 6, 1), 400), "no", "yes", "no",
        ])  # fmt: skip
    sheets["FX"] = [["currency", "rate"], [origin.currency, origin.rate]]
    return sheets


def write(
    n: int,
    path: Path,
    seed: int = 7,
    mix: str = "typical",
    agency: int | None = None,
    *,
    origin: str | None = None,
) -> Path:
    """Write the synthetic workbook for ``n`` workers to ``path``."""
    book = Workbook(write_only=True)
    date_style = NamedStyle(name="iso_date", number_format="yyyy-mm-dd")
    rows = rows_for(n, seed, mix, agency, origin)
    # Optional sheets the generator does not fill (Sources, format 1.1) are left out.
    order = [AUDIT_SHEET.name] + [spec.name for spec in TABLE_SHEETS if spec.name in rows]
    for name in order:
        sheet = book.create_sheet(name)
        for row in rows[name]:
            cells: list[object] = []
            for value in row:
                if isinstance(value, dt.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.style = date_style
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic inspection workbook.")
    parser.add_argument("workers", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mix", choices=sorted(MIXES), default="typical")
    parser.add_argument("--origin", choices=sorted(ORIGINS), help="an agency of this origin")
    arguments = parser.parse_args()
    write(arguments.workers, arguments.out, arguments.seed, arguments.mix, origin=arguments.origin)
    print(arguments.out)


if __name__ == "__main__":
    main()
