"""``inspect_isolated`` called from a plain script, as a licensing system's cron job would.

A ``forkserver`` or ``spawn`` worker normally re-runs the caller's main
module; a script without ``if __name__ == "__main__":`` would then start a
worker from the worker. Each script here is a real file run by a real
interpreter, from a folder outside the checkout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import auditor
from tests.reliability.conftest import HANG_GUARD_S

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"


def _run(script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, script.name],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
    )


def test_a_plain_script_without_a_main_guard_audits_in_isolation(tmp_path: Path) -> None:
    script = tmp_path / "nightly.py"
    script.write_text(
        "import auditor\n"
        "print('top level ran')\n"
        f"inspection = auditor.inspect_isolated({str(SAMPLE)!r}, timeout_s=60)\n"
        "print(inspection.result.to_json(), end='')\n",
        encoding="utf-8",
    )
    done = _run(script)
    assert done.returncode == 0, done.stderr
    said, document = done.stdout.split("\n", 1)
    assert said == "top level ran"  # once: the worker did not run the script again
    assert document == auditor.audit(SAMPLE).to_json()


def test_a_worker_that_reran_the_script_says_what_to_add(tmp_path: Path) -> None:
    """When the fork server was started by the caller first (without auditor's preload),
    the worker does re-run the script; the error then names the fix."""
    script = tmp_path / "started_its_own.py"
    script.write_text(
        "import multiprocessing.forkserver\n"
        "import auditor\n"
        "multiprocessing.forkserver.ensure_running()\n"
        "try:\n"
        f"    auditor.inspect_isolated({str(SAMPLE)!r}, timeout_s=60)\n"
        "except auditor.EngineCrash as error:\n"
        "    print(error)\n",
        encoding="utf-8",
    )
    done = _run(script)
    assert done.returncode == 0, done.stderr
    assert "failed before the audit began" in done.stdout
    assert 'if __name__ == "__main__":' in done.stdout
