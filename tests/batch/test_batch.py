"""``auditor batch``: a folder becomes a ranked summary; a second run does only what is new."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.cli import main
from tests.batch.books import SAMPLES, agencies

WORK = ".auditor-batch"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inbox")
    agencies(path, 2, start=2)  # agency 2 rates B, agency 3 (stress) critical
    shutil.copy(SAMPLES / "compliant-agency.xlsx", path / "compliant.xlsx")
    shutil.copy(SAMPLES / "invalid-workbook.xlsx", path / "invalid.xlsx")
    return path


def _rows(out: Path) -> dict[Path, float]:
    """Each job's row, by folder, with the time it was written."""
    return {row.parent: row.stat().st_mtime_ns for row in (out / WORK).glob("*/row.json")}


def test_a_folder_becomes_a_ranked_summary_and_a_second_run_skips_what_is_done(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    command = ["batch", str(inbox), "--out", str(out), "--format", "json,xlsx", "--jobs", "2"]
    assert main(command) == 2  # the invalid workbook: the worst status, and no other lost
    summary = json.loads((out / "summary.json").read_text())
    assert summary["format"] == "audit-batch-summary/1"
    assert (summary["inputs"], summary["audited"], summary["invalid"]) == (4, 3, 1)
    ranked = [(a["rank"], a["audit_id"], a["rating"]) for a in summary["agencies"]]
    assert ranked == [
        (1, "BENCH-stress-12-A0003", "critical"),
        (2, "BENCH-typical-12-A0002", "B"),
        (3, "PH-2026-0101", "A"),
        (None, None, None),
    ]
    worst = summary["agencies"][0]
    result = json.loads((out / "BENCH-stress-12-A0003.json").read_text())
    assert worst["outputs"] == ["BENCH-stress-12-A0003.json", "BENCH-stress-12-A0003.xlsx"]
    assert worst["score"] == result["score"]
    assert worst["critical_findings"] == sum(
        f["severity"] == "critical" for f in result["findings"]
    )
    assert worst["money_owed_total"] == result["money_owed"]["total"]
    assert worst["workers_audited"] == len(result["subjects"]["worker"])
    per_worker = result["money_owed"]["total"] / len(result["subjects"]["worker"])
    assert worst["money_owed_per_worker"] == pytest.approx(per_worker, abs=0.005)
    affected = {f["subject"]["id"] for f in result["findings"] if f["subject"]["type"] == "worker"}
    assert worst["workers_affected"] == len(affected | set(result["money_owed"]["by_worker"]))
    refused = summary["agencies"][3]
    assert refused["file"] == str(inbox / "invalid.xlsx")
    assert refused["status"] == "invalid"
    assert "problems" in refused["message"]
    sheet = load_workbook(out / "summary.xlsx", read_only=True)["Ranking"]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][:3] == ["rank", "file", "audit_id"]
    assert [row[2] for row in table[1:]] == [a["audit_id"] for a in summary["agencies"]]

    # Resumable: nothing is audited again; a new workbook is the only new job.
    before = _rows(out)
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(command) == 2
    assert _rows(out) == before
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == first
    agencies(inbox, 1, start=5)
    try:
        assert main(command) == 2
        after = _rows(out)
        assert set(before) < set(after)
        assert len(after) == len(before) + 1
        assert all(after[folder] == stamp for folder, stamp in before.items())
    finally:
        (inbox / "agency-005.xlsx").unlink()


def test_another_rule_pack_is_another_job(inbox: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(SAMPLES.parent / "rules", rules)
    workbook = inbox / "compliant.xlsx"
    out = tmp_path / "out"
    assert main(["batch", str(workbook), "--out", str(out), "--format", "json"]) == 0
    shipped = _rows(out)
    pack = rules / "pack.yaml"
    pack.write_text(pack.read_text().replace("version:", "version: 9.9.9\nold_version:", 1))
    command = ["batch", str(workbook), "--out", str(out), "--format", "json", "--rules"]
    assert main([*command, str(rules)]) == 0
    assert len(_rows(out)) == 2
    assert set(shipped) < set(_rows(out))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["ruleset_version"].startswith("9.9.9+")


def test_an_interrupted_batch_resumes_to_the_same_results(inbox: Path, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    clean = tmp_path / "clean"
    assert main(["batch", str(inbox), "--out", str(clean), "--format", "json"]) == 2
    out = tmp_path / "out"
    command = [sys.executable, "-m", "auditor", "batch", str(inbox), "--out", str(out)]
    # Ctrl-C as a terminal sends it: the batch must not inherit an ignored SIGINT, as every
    # command a shell without job control starts in the background does (the whole suite
    # run as `make test &`), and Python keeps an inherited ignored SIGINT ignored. A handled
    # signal is reset to its default in the child, an ignored one is not.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [*command, "--format", "json", "--jobs", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + 60
    while not list(out.glob(f"{WORK}/*/row.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)  # Ctrl-C after the first workbook
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert not (out / "summary.json").exists()
    assert len(_rows(out)) < 4  # it stopped before the end
    assert not list(out.rglob("*.part"))  # no file half written
    assert main(["batch", str(inbox), "--out", str(out), "--format", "json"]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == {
        p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()
    }


def test_a_workbook_past_its_time_limit_fails_alone_and_is_tried_again(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    command = ["batch", str(inbox / "compliant.xlsx"), "--out", str(out), "--format", "json"]
    assert main([*command, "--timeout", "0.01"]) == 3
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failed"] == 1
    assert "did not finish within 0.01 seconds" in summary["agencies"][0]["message"]
    assert "did not finish" in capsys.readouterr().err
    assert main(command) == 0  # a failure is not kept as done: the next run audits it
    assert json.loads((out / "summary.json").read_text())["audited"] == 1
