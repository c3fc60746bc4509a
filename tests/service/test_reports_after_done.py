"""An audit is done when its result is recorded; its drafts and workbooks come after (issue 26).

Against a real ``auditor serve`` with one real job worker: the job logs
``job.finished`` before any report is rendered; the reports are rendered
in the background (inspector's PDF first) or by the first download, kept
in the audit's folder under the key of what they show, byte for byte what
``auditor audit`` writes; a download of one that another process is
rendering waits for it; the audit page says which are not ready.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.harness import SAMPLES, Service, serving
from tests.service.test_pages import signed_in


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serving(tmp_path_factory.mktemp("reports-after-done")) as running:
        yield running


@pytest.fixture(scope="module")
def cli_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The sample's reports as the command line writes them, both copies."""
    sample = SAMPLES / "agency-with-problems.xlsx"
    out = tmp_path_factory.mktemp("cli")
    made = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(sample), "--format", "pdf,json,xlsx",
         "--copy", "inspector,agency", "--out", str(out)],
        capture_output=True, check=False,
    )  # fmt: skip
    assert made.returncode in (0, 1), made.stderr[-2000:]
    return {path.name.split(".", 1)[1]: path.read_bytes() for path in out.iterdir()}


def _events(service: Service, audit_id: str) -> list[str]:
    """The log events about this audit's job and reports, in the order logged."""
    found = []
    for line in service.log.read_text(errors="replace").splitlines():
        if audit_id in line:
            for event in ("job.finished", "reports.rendered"):
                if event in line:
                    found.append(event)
    return found


def _done(service: Service, token: str, sample: Path) -> str:
    _, accepted = service.upload(token, sample)
    audit = service.wait_final(token, accepted["id"])
    assert audit["status"] == "done", audit
    return str(accepted["id"])


def test_done_comes_first_and_the_reports_after_are_the_command_lines_bytes(
    service: Service, sample: Path, cli_reports: dict[str, bytes]
) -> None:
    alice = service.account("alice", office="R4A")
    audit_id = _done(service, alice.token, sample)
    base = f"/api/v1/audits/{audit_id}"
    # Asked for at once after done: the download renders it or waits for the job rendering it.
    code, _, pdf = service.api("GET", f"{base}/report.pdf?copy=inspector", token=alice.token)
    assert code == 200, pdf[:300]
    assert pdf == cli_reports["pdf"]
    code, _, result = service.api("GET", f"{base}/result.json", token=alice.token)
    assert code == 200
    assert result == cli_reports["json"]
    downloads = {
        "agency.pdf": f"{base}/report.pdf?copy=agency",
        "xlsx": f"{base}/findings.xlsx",
        "agency.xlsx": f"{base}/findings.xlsx?copy=agency",
    }
    for name, path in downloads.items():
        code, _, body = service.api("GET", path, token=alice.token)
        assert code == 200, (name, body[:300])
        assert body == cli_reports[name], name
    folder = service.data_dir / "audits" / audit_id
    assert not (folder / "report.pdf").exists()  # the job itself wrote the results only
    kept = {path.name.split(".", 1)[1]: path.read_bytes() for path in folder.glob("rendered/*")}
    assert kept["report.pdf"] == cli_reports["pdf"]
    assert kept["findings.agency.xlsx"] == cli_reports["agency.xlsx"]
    # The job said done before anything was rendered.
    events = _events(service, audit_id)
    assert events[0] == "job.finished", events
    assert "reports.rendered" in events


def test_a_download_waits_for_a_report_being_rendered_and_the_page_says_what_is_ready(
    service: Service, sample: Path
) -> None:
    bob = service.account("bob", office="R4B")
    audit_id = _done(service, bob.token, sample)
    base = f"/api/v1/audits/{audit_id}"
    code, _, first = service.api("GET", f"{base}/findings.xlsx", token=bob.token)
    assert code == 200
    folder = service.data_dir / "audits" / audit_id / "rendered"
    deadline = time.monotonic() + 120  # the background renders end, then everything goes
    while len(list(folder.glob("*.xlsx"))) + len(list(folder.glob("*.pdf"))) < 4:
        assert time.monotonic() < deadline, list(folder.iterdir())
        time.sleep(0.2)
    (workbook,) = folder.glob("*.findings.xlsx")
    for path in folder.glob("*.*"):
        if not path.name.endswith(".lock"):
            path.unlink()

    visitor = signed_in(service, bob)
    page = visitor.get(f"/audits/{audit_id}")
    assert page.status == 200
    assert 'id="preparing-inspector-xlsx"' in page.text
    assert 'id="preparing-inspector-pdf"' in page.text
    assert "the download waits for it" in page.text

    # Another process renders the workbook (it holds its lock): the download waits for it.
    answers: list[tuple[int, bytes]] = []
    with (workbook.parent / f"{workbook.name}.lock").open("ab") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        asking = threading.Thread(
            target=lambda: answers.append(
                service.api("GET", f"{base}/findings.xlsx", token=bob.token)[::2]
            )
        )
        asking.start()
        time.sleep(1.5)
        assert asking.is_alive()  # waiting, not refused
        assert not answers
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    asking.join(120)
    assert answers
    assert answers[0][0] == 200
    assert answers[0][1] == first  # rendered again: the same bytes
    assert workbook.read_bytes() == first
    page = visitor.get(f"/audits/{audit_id}")
    assert 'id="preparing-inspector-xlsx"' not in page.text
