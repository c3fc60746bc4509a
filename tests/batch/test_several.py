"""``auditor audit`` and ``validate`` of several workbooks and folders (audit-output.md 1.1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.cli import main
from tests.batch.books import SAMPLES, agencies, variant

PROBLEMS = SAMPLES / "agency-with-problems.xlsx"
COMPLIANT = SAMPLES / "compliant-agency.xlsx"
INVALID = SAMPLES / "invalid-workbook.xlsx"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two generated agencies, the compliant sample, and things a folder holds besides."""
    path = tmp_path_factory.mktemp("inbox")
    agencies(path, 2, start=1)
    shutil.copy(COMPLIANT, path / "compliant.xlsx")
    (path / "notes.txt").write_text("not a workbook")
    (path / "~$agency-001.xlsx").write_bytes(b"lock file of an open workbook")
    (path / "nested").mkdir()
    shutil.copy(PROBLEMS, path / "nested" / "deeper.xlsx")  # not recursed into
    return path


def test_a_folder_and_a_file_each_audited_on_its_own(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    status = main(["audit", str(folder), str(PROBLEMS), "--out", str(out), "--format", "json"])
    assert status == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "BENCH-typical-12-A0001.json",
        "BENCH-typical-12-A0002.json",
        "PH-2026-0101.json",
        "PH-2026-0417.json",
    ]  # nothing from nested/, notes.txt or the lock file; no staging folder left behind
    single = tmp_path / "single"
    assert main(["audit", str(PROBLEMS), "--out", str(single), "--format", "json"]) == 0
    assert (out / "PH-2026-0417.json").read_bytes() == (single / "PH-2026-0417.json").read_bytes()
    printed = capsys.readouterr()
    assert f"{PROBLEMS}:\nAudit PH-2026-0417" in printed.out
    assert "[4/4]" in printed.err  # a plain progress line a workbook off a terminal


def test_the_exit_status_is_the_worst_and_a_bad_workbook_stops_no_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    missing = tmp_path / "missing.xlsx"
    out = tmp_path / "out"
    arguments = ["audit", str(broken), str(INVALID), str(missing), str(PROBLEMS), str(COMPLIANT)]
    assert main([*arguments, "--out", str(out), "--format", "json"]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["PH-2026-0101.json", "PH-2026-0417.json"]
    err = capsys.readouterr().err
    assert f"{missing}: invalid: {missing}: no such file or folder" in err
    assert f"{INVALID}: Fees!E8: amount must be a number >= 0" in err  # each problem, located
    assert f"auditor: {broken}: invalid:" in err
    assert "Traceback" not in err
    # --fail-on: a critical finding is 1, unless something worse happened.
    options = ["--out", str(out), "--format", "json"]
    both = ["audit", str(PROBLEMS), str(COMPLIANT), *options]
    assert main([*both, "--fail-on", "critical"]) == 1
    assert main(["audit", str(PROBLEMS), str(INVALID), *options, "--fail-on", "critical"]) == 2
    assert main(both) == 0


def test_two_inputs_with_one_audit_id_get_names_by_their_digest(tmp_path: Path) -> None:
    other = variant(PROBLEMS, tmp_path / "resubmitted.xlsx", "a second copy")
    twin = tmp_path / "twin.xlsx"
    shutil.copy(PROBLEMS, twin)  # the same bytes again: one audit, one set of files
    out = tmp_path / "out"
    assert main(["audit", str(PROBLEMS), str(other), str(twin), "--out", str(out)]) == 0
    digests = {}
    for path in sorted(out.glob("*.json")):
        digests[path.stem] = json.loads(path.read_text())["input_sha256"]
    assert len(digests) == 2
    for stem, digest in digests.items():
        assert stem == f"PH-2026-0417-{digest[:8]}"
        assert (out / f"{stem}.pdf").is_file()
    assert not (out / "PH-2026-0417.json").exists()


def test_several_copies_and_no_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert (
        main(
            [
                "audit",
                str(PROBLEMS),
                str(COMPLIANT),
                "--out",
                str(out),
                "--format",
                "json",
                "--copy",
                "inspector,agency",
            ]
        )
        == 0
    )
    assert (out / "PH-2026-0417.agency.json").is_file()
    assert (out / "PH-2026-0101.json").is_file()
    previous = out / "PH-2026-0417.json"
    status = main(["audit", str(PROBLEMS), str(COMPLIANT), "--previous", str(previous)])
    assert status == 2
    assert "--previous takes one workbook" in capsys.readouterr().err


def test_validate_several_prints_a_json_array_and_the_worst_status(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(folder), "--format", "json"]) == 0
    documents = json.loads(capsys.readouterr().out)
    assert [d["input"] for d in documents] == [
        str(folder / "agency-001.xlsx"),
        str(folder / "agency-002.xlsx"),
        str(folder / "compliant.xlsx"),
    ]
    assert main(["validate", str(COMPLIANT), str(INVALID), "--format", "json"]) == 2
    documents = json.loads(capsys.readouterr().out)
    assert [d["valid"] for d in documents] == [True, False]
    single = main(["validate", str(INVALID), "--format", "json"])
    one = json.loads(capsys.readouterr().out)
    assert single == 2
    assert one == documents[1]
    assert main(["validate", str(COMPLIANT), str(INVALID)]) == 2
    printed = capsys.readouterr()
    assert f"{INVALID}: Fees!E8:" in printed.out
    assert f"{COMPLIANT}: valid" in printed.err


def test_a_folder_without_workbooks_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["audit", str(empty), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "no .xlsx or .ods workbook in this folder" in err
    assert "no workbook to audit" in err


def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal, tqdm's bar on standard error; no plain progress lines."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "auditor", "audit", str(PROBLEMS), str(COMPLIANT)]
    process = subprocess.Popen(
        [*command, "--out", str(tmp_path), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(120) == 0
    assert b"2/2" in shown
    assert b"workbook" in shown
    assert b"auditor: [1/2]" not in shown
