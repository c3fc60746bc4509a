"""500 audits in one process leave its memory flat.

A licensing system's server audits all day in one process. The engine
keeps a ruleset forever, so the adapter registers each rule pack once and
deletes every session when its audit ends; forgetting either grows the
process by megabytes per audit (leaving sessions undeleted, tried by hand
on this workbook: about 7.5 MB more per audit, 3.4 GB over this test).
The audits run in a fresh interpreter so that the memory other tests
hold, or free, does not count; the samples are taken after a full
collection, from audit 50 on, when caches and the allocator's pools have
settled. This measures memory only; nothing here depends on time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reliability.conftest import HANG_GUARD_S

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"
AUDITS = 500
EVERY = 50
#: Generous: a leak of 45 KB an audit crosses it; the leaks this guards against are far larger.
GROWTH_LIMIT = 20 * 1024**2


def test_memory_is_flat_over_500_audits() -> None:
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.workers", str(SAMPLE), str(AUDITS), str(EVERY)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
        cwd=ROOT,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    profile = json.loads(done.stdout)
    samples = {int(number): size for number, size in profile["samples"].items()}
    assert sorted(samples) == list(range(EVERY, AUDITS + 1, EVERY))
    assert profile["same"], "a later audit of the same dataset gave a different result"
    growth = samples[AUDITS] - samples[EVERY]
    assert growth < GROWTH_LIMIT, (
        f"resident memory grew by {growth / 1024**2:.1f} MB from audit {EVERY} to {AUDITS}: "
        + ", ".join(f"{n}: {s / 1024**2:.1f} MB" for n, s in sorted(samples.items()))
    )
