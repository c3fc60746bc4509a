"""Synthetic inspection workbooks of any size, for benchmarks.

``python bench/generate.py 50000 --out bench/data/w50000.xlsx`` writes a
valid workbook with N workers, about 4N fees, 1.3N contracts, N/10
complaints, N/2000 + 3 employers and a handful of channels, in two
currencies with FX rates, and a realistic mix of problems so that every
rule has work to do. The same N and seed give the same file content.

openpyxl's write-only mode keeps memory flat while writing 300,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
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
CATEGORIES = [
    "recruitment_fee",
    "medical",
    "insurance",
    "skills_test",
    "training",
    "travel",
    "administrative",
    "personal_documents",
    "lodging",
    "deposit",
]


def _date(rng: random.Random, start: dt.date, span_days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span_days))


def rows_for(n: int, seed: int = 7) -> dict[str, list[list[object]]]:
    """Rows of every sheet (header first), as plain cell values."""
    rng = random.Random(seed)
    sheets: dict[str, list[list[object]]] = {}
    employers = n // 2000 + 3
    sheets["Audit"] = [
        ["field", "value"],
        ["audit_id", f"BENCH-{n}"],
        ["agency_name", "Synthetic Manpower Services"],
        ["agency_licence_number", "LIC-0001"],
        ["licence_valid_until", dt.date(2027, 1, 1)],
        ["origin_country", "PH"],
        ["jurisdiction", "PH"],
        ["inspection_date", INSPECTION],
        ["inspector", "Benchmark"],
        ["currency", "USD"],
    ]
    sheets["Employers"] = [list(TABLE_SHEETS[0].fields)] + [
        [
            f"E{e}",
            f"Employer {e}",
            DESTINATIONS[e % len(DESTINATIONS)],
            SECTORS[e % len(SECTORS)],
            "yes",
            rng.choice(["yes", "no"]),
            rng.choice(["yes", "no", None]),
            rng.choice(["yes", "no"]),
        ]
        for e in range(employers)
    ]
    workers = [list(TABLE_SHEETS[1].fields)]
    contracts = [list(TABLE_SHEETS[2].fields)]
    fees = [list(TABLE_SHEETS[3].fields)]
    complaints = [list(TABLE_SHEETS[6].fields)]
    contract_no = fee_no = complaint_no = 0
    for w in range(n):
        wid = f"W{w:06d}"
        lang = LANGS[w % len(LANGS)]
        birth = _date(rng, dt.date(1970, 1, 1), 365 * 38)
        deployed = _date(rng, dt.date(2023, 1, 1), 900)
        wage = Decimal(rng.randrange(350, 900))
        workers.append(
            [
                wid,
                rng.choice(["F", "F", "F", "M"]),
                birth,
                "PH",
                f"E{w % employers}",
                f"{lang}, en",
                deployed,
                wage - (Decimal(rng.randrange(0, 80)) if rng.random() < 0.2 else 0),
                "USD",
                rng.choice(["yes", "yes", "yes", "no", None]),
                rng.choice(["en", "tl", None]),
                rng.choice(["worker", "worker", "worker", "employer", None]),
                rng.choice(["no", "no", "no", "yes", None]),
            ]
        )
        for stage in ("origin", "destination") if rng.random() < 0.3 else ("origin",):
            contract_no += 1
            contracts.append(
                [
                    f"C{contract_no:07d}",
                    wid,
                    stage,
                    _date(rng, dt.date(2022, 6, 1), 500),
                    rng.choice(["en", "tl", "ar"]),
                    rng.choice(["yes", "yes", "no", None]),
                    wage if stage == "origin" else wage - rng.randrange(0, 60),
                    "USD",
                    rng.choice([48, 54, 60, 66, None]),
                    rng.choice([1, 1, 1, 0.5, None]),
                    rng.choice(["yes", "yes", "no", None]),
                    rng.choice([0, 0, 0, 200]),
                    rng.choice(["no", "no", "no", "yes"]),
                ]
            )
        for _ in range(4):
            fee_no += 1
            php = rng.random() < 0.5
            fees.append(
                [
                    f"F{fee_no:07d}",
                    wid,
                    rng.choice(CATEGORIES),
                    None,
                    Decimal(rng.randrange(500, 30000))
                    if php
                    else Decimal(rng.randrange(10, 600)) / 2,
                    "PHP" if php else "USD",
                    rng.choice(["worker", "employer", "employer", "agency"]),
                    "agency",
                    None,
                    _date(rng, dt.date(2022, 6, 1), 400),
                    rng.choice(["no", "no", "yes"]),
                    rng.choice(["yes", "yes", "no", None]),
                    rng.choice(["no", "no", "yes", None]),
                ]
            )
        if w % 10 == 0:
            complaint_no += 1
            filed = _date(rng, dt.date(2025, 1, 1), 440)
            complaints.append(
                [
                    f"K{complaint_no:06d}",
                    wid,
                    f"CH{complaint_no % 3}",
                    rng.choice(["fees", "wages", "harassment", "documents", "hours"]),
                    filed,
                    filed + dt.timedelta(days=rng.randrange(5, 60)) if rng.random() < 0.6 else None,
                    rng.choice(["no", "no", "no", "yes", None]),
                ]
            )
    sheets["Workers"] = workers
    sheets["Contracts"] = contracts
    sheets["Fees"] = fees
    sheets["Intermediaries"] = [list(TABLE_SHEETS[4].fields)]
    sheets["Channels"] = [list(TABLE_SHEETS[5].fields)] + [
        [
            f"CH{c}",
            ["government", "ngo", "agency"][c],
            "hotline",
            "en, tl, ar",
            "yes",
            ["yes", "no", None][c],
            ["yes", "yes", "no"][c],
            ["yes", "no", "yes"][c],
            30,
        ]
        for c in range(3)
    ]
    sheets["Complaints"] = complaints
    sheets["FX"] = [["currency", "rate"], ["PHP", Decimal("0.0175")]]
    return sheets


def write(n: int, path: Path, seed: int = 7) -> Path:
    """Write the synthetic workbook for ``n`` workers to ``path``."""
    book = Workbook(write_only=True)
    date_style = NamedStyle(name="iso_date", number_format="yyyy-mm-dd")
    order = [AUDIT_SHEET.name] + [spec.name for spec in TABLE_SHEETS]
    rows = rows_for(n, seed)
    for name in order:
        sheet = book.create_sheet(name)
        for row in rows[name]:
            cells = []
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workers", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    write(arguments.workers, arguments.out, arguments.seed)
    print(arguments.out)


if __name__ == "__main__":
    main()
