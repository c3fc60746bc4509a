"""The fork server renders an example report first when asked, and only then; it loads the
PDF renderer only for a caller that renders PDFs; it always audits the example (JSON only)
and freezes what it loaded.

Each case runs in a fresh interpreter: a process has one fork server, started
by its first isolated audit, and this test process's has long been running.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from auditor.render import Copy, render_pdf
from auditor.runner.example_report import example_inspection

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
from multiprocessing import forkserver
from auditor.runner import isolation
from tests.reliability.workers import fork_server_state as probe

if __name__ == "__main__":
    started = None
    if sys.argv[1] in ("warm", "early"):
        isolation.warm_reports_in_workers()
        isolation.warm_reports_in_workers()  # asking twice is asking once
    if sys.argv[1] == "pdf":
        isolation.warm_pdf_in_workers()
    if sys.argv[1] == "early":
        isolation.start_fork_server()
        started = forkserver._forkserver._forkserver_pid
    first = isolation.run_isolated(probe, (), timeout_s=120)
    second = isolation.run_isolated(probe, (), timeout_s=120)
    print(json.dumps({"first": first, "second": second, "caller_frozen": gc.get_freeze_count(),
                      "preload": isolation._PRELOAD, "started": started,
                      "server": forkserver._forkserver._forkserver_pid}))
"""


def _probe(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode],  # -c: the checkout's tests are importable
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_asked_the_fork_server_renders_the_example_and_freezes_it() -> None:
    answer = _probe("warm")
    for worker in ("first", "second"):
        seen = answer[worker]
        assert isinstance(seen, dict)
        assert seen["loaded"] is True
        assert seen["pdf"] is True
        assert seen["frozen"] > 0  # the fork server's objects, out of the collector's reach
    assert answer["caller_frozen"] == 0  # never in the caller's process
    assert answer["preload"] == ["auditor.runner.preload", "auditor.runner.warm_reports"]


def test_started_early_the_fork_server_is_the_one_the_audits_use() -> None:
    """The job worker starts its fork server as it starts; the first audit finds it running."""
    answer = _probe("early")
    assert isinstance(answer["started"], int)
    assert answer["server"] == answer["started"]  # no second server for the first audit
    first = answer["first"]
    assert isinstance(first, dict)
    assert first["loaded"] is True
    assert first["frozen"] > 0
    assert answer["caller_frozen"] == 0


def test_not_asked_the_fork_server_renders_no_report_but_audits_the_example() -> None:
    """Every fork server audits the example (its JSON only) and freezes what it loaded, so a
    batch's workers fork warm (issue 26); only when asked does it render the example's PDFs."""
    answer = _probe("cold")
    seen = answer["first"]
    assert isinstance(seen, dict)
    assert seen["loaded"] is False
    assert seen["pdf"] is False  # a batch of JSON or inspect_isolated: no WeasyPrint to load
    assert seen["frozen"] > 0
    assert answer["caller_frozen"] == 0


def test_asked_for_pdfs_the_fork_server_loads_the_renderer_without_rendering_an_example() -> None:
    """A batch with --format pdf: its workers fork with WeasyPrint and the stylesheet loaded."""
    answer = _probe("pdf")
    seen = answer["first"]
    assert isinstance(seen, dict)
    assert seen["pdf"] is True
    assert seen["loaded"] is False
    assert answer["preload"] == ["auditor.runner.preload", "auditor.runner.warm_pdf"]


def test_the_example_has_findings_money_and_both_copies_render() -> None:
    inspection = example_inspection()
    rules = {finding.rule_id for finding in inspection.result.findings}
    assert {"DOC-01", "FEE-02", "WAGE-02"} <= rules
    assert inspection.result.money_owed.by_worker
    for copy in Copy:
        assert render_pdf(inspection, copy).startswith(b"%PDF-")
