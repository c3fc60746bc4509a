"""The same workbook gives the same bytes in every process, whatever its hash seed.

Set and dict iteration over strings follows the per-process hash seed, so
an order that leaked from a set into a report (findings, evidence, a
worker list, the PDF's object order, the xlsx's shared strings) would
differ between two runs of the same audit while each run looks fine. Each
run here is a fresh ``auditor audit`` command (whose worker process
inherits the seed) with its own ``PYTHONHASHSEED``; the library in this
process, under yet another seed, must agree with all of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import auditor
from tests.reliability.conftest import HANG_GUARD_S

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"
SEEDS = ("0", "1", "12345", "random")
FORMATS = ("pdf", "json", "xlsx")


def _command(out: Path) -> list[str]:
    script = Path(sys.executable).with_name("auditor")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "auditor"]
    return [*base, "audit", str(SAMPLE), "--out", str(out), "--format", ",".join(FORMATS)]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Each seed's report files, by name, from commands run two at a time."""
    root = tmp_path_factory.mktemp("seeds")

    def run(seed: str) -> dict[str, bytes]:
        out = root / f"seed-{seed}"
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        environment.pop("AUDITOR_DEBUG", None)
        done = subprocess.run(
            _command(out),
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_S,
            check=False,
            env=environment,
        )
        assert done.returncode == 0, done.stderr
        return {path.name: path.read_bytes() for path in sorted(out.iterdir())}

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(SEEDS, pool.map(run, SEEDS), strict=True))


def test_every_seed_gives_the_same_bytes(outputs: dict[str, dict[str, bytes]]) -> None:
    first = outputs[SEEDS[0]]
    assert sorted(first) == sorted(f"PH-2026-0417.{suffix}" for suffix in FORMATS)
    for seed, files in outputs.items():
        assert sorted(files) == sorted(first), seed
        for name, content in files.items():
            assert content == first[name], f"{name} differs under PYTHONHASHSEED={seed}"


def test_the_library_in_this_process_gives_the_same_bytes(
    outputs: dict[str, dict[str, bytes]],
) -> None:
    """This process's seed is whatever pytest got: one more, and through the library."""
    inspection = auditor.inspect_records(SAMPLE)
    files = outputs[SEEDS[0]]
    assert auditor.render_json(inspection) == files["PH-2026-0417.json"]
    assert inspection.result.to_json().encode() == files["PH-2026-0417.json"]
    assert auditor.render_xlsx(inspection) == files["PH-2026-0417.xlsx"]
    assert auditor.render_pdf(inspection) == files["PH-2026-0417.pdf"]
