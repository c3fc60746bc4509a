"""``auditor audit``: files, names, summary and exit codes as audit-output.md says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.render import safe_name
from tests.builders import Book

Write = Callable[..., Path]


def test_writes_the_json_and_prints_a_summary(
    book: Book, write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    assert main(["audit", str(write(book)), "--out", str(out), "--format", "json"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["T-2026-001.json"]
    document = json.loads((out / "T-2026-001.json").read_text())
    assert document["format"] == "audit-result/1"
    printed = capsys.readouterr().out
    assert "Score 100.0 / 100, rating A" in printed
    assert "Findings: 0 (0 critical, 0 high, 0 medium, 0 low)" in printed


def test_fail_on_sets_the_exit_status(book: Book, write: Write, tmp_path: Path) -> None:
    book["Workers"][0]["passport_held_by"] = "employer"  # DOC-01, critical
    path = write(book)
    assert main(["audit", str(path), "--out", str(tmp_path), "--format", "json"]) == 0
    assert main(["audit", str(path), "--out", str(tmp_path), "--format", "json",
                 "--fail-on", "critical"]) == 1  # fmt: skip
    book["Workers"][0]["passport_held_by"] = "worker"
    book["Workers"][0]["briefing_received"] = "no"  # INFO-01, high
    path = write(book)
    assert main(["audit", str(path), "--out", str(tmp_path), "--format", "json",
                 "--fail-on", "critical"]) == 0  # fmt: skip
    assert main(["audit", str(path), "--out", str(tmp_path), "--format", "json",
                 "--fail-on", "medium"]) == 1  # fmt: skip


def test_an_invalid_workbook_writes_nothing_and_exits_two(
    book: Book, write: Write, tmp_path: Path
) -> None:
    book["Fees"][0]["amount"] = -5
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(write(book)), "--out", str(out),
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["Fees!E2: amount must be a number >= 0, got -5"]
    assert result.stdout == ""
    assert not out.exists()


def test_misuse_exits_two(book: Book, write: Write, tmp_path: Path) -> None:
    path = str(write(book))
    assert main(["audit", path, "--out", str(tmp_path), "--format", "docx"]) == 2
    assert main(["audit", path, "--out", str(tmp_path), "--jurisdiction", "XX"]) == 2
    assert list(tmp_path.glob("*.json")) == []


def test_the_jurisdiction_option_overrides_the_workbook(
    book: Book, write: Write, tmp_path: Path
) -> None:
    assert main(["audit", str(write(book)), "--out", str(tmp_path), "--format", "json",
                 "--jurisdiction", "id"]) == 0  # fmt: skip
    assert json.loads((tmp_path / "T-2026-001.json").read_text())["jurisdiction"] == "ID"


@pytest.mark.parametrize(
    ("audit_id", "name"),
    [("HC-2026/0001", "HC-2026_0001"), ("../../etc/passwd", ".._.._etc_passwd"),
     ("inspection 7 (Doha)", "inspection_7__Doha_"), ("..", "_"), ("ok.v2_x-1", "ok.v2_x-1"),
     ("é", "_")],
)  # fmt: skip
def test_file_names_never_leave_the_output_folder(audit_id: str, name: str) -> None:
    assert safe_name(audit_id) == name


def test_a_hostile_audit_id_is_written_inside_out(book: Book, write: Write, tmp_path: Path) -> None:
    book["Audit"]["audit_id"] = "../../escape"
    out = tmp_path / "deep" / "out"
    assert main(["audit", str(write(book)), "--out", str(out), "--format", "json"]) == 0
    assert [p.name for p in out.iterdir()] == [".._.._escape.json"]
    assert not (tmp_path / "escape.json").exists()


def test_rules_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing[: listing.index("")]) == 38  # header and 37 rules
    # catalogue 1.3: a blank line, then the destination profiles
    assert listing[listing.index("") + 1].startswith("destination  status")
    assert [line.split()[0] for line in listing[listing.index("") + 2 :]] == [
        "AE", "HK", "KW", "QA", "SA",
    ]  # fmt: skip
    assert any(line.startswith("FL-01") for line in listing)
    assert main(["rules", "show", "con-04"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("CON-04: The worker's contract was substituted with worse terms")
    assert "wage_to_latest_origin_ratio" in shown
    assert main(["rules", "show", "NOPE-99"]) == 2


def test_an_audit_past_its_time_limit_stops_with_status_three_and_writes_nothing(
    book: Book, write: Write, tmp_path: Path
) -> None:
    """The worker process is stopped at the limit: one plain line, no traceback, no file."""
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(write(book)), "--out", str(out),
         "--format", "json", "--timeout", "0.001"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 3
    assert "did not finish within 0.001 seconds and was stopped" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("timeout", ["0", "-5", "soon", "inf", "nan"])
def test_a_time_limit_must_be_a_positive_number_of_seconds(
    timeout: str, book: Book, write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["audit", str(write(book)), "--out", str(tmp_path), "--timeout", timeout])
    assert stopped.value.code == 2
    assert f"must be a number of seconds above 0, got '{timeout}'" in capsys.readouterr().err


def test_in_process_and_isolated_audits_write_the_same_bytes(
    book: Book, write: Write, tmp_path: Path
) -> None:
    book["Workers"][0]["passport_held_by"] = "employer"
    path = write(book)
    isolated, in_process = tmp_path / "isolated", tmp_path / "in-process"
    assert main(["audit", str(path), "--out", str(isolated), "--format", "json,xlsx"]) == 0
    assert main(["audit", str(path), "--out", str(in_process), "--format", "json,xlsx",
                 "--in-process"]) == 0  # fmt: skip
    for name in ("T-2026-001.json", "T-2026-001.xlsx"):
        assert (isolated / name).read_bytes() == (in_process / name).read_bytes()


def test_an_output_folder_that_cannot_be_written_is_a_misuse(
    book: Book, write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 with the reason, and no report half written: the problem is the command's."""
    path = write(book)
    not_a_folder = tmp_path / "taken"
    not_a_folder.write_text("a file", encoding="utf-8")
    assert main(["audit", str(path), "--out", str(not_a_folder), "--format", "json"]) == 2
    assert "is a file; give a folder for the reports" in capsys.readouterr().err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = main(["audit", str(path), "--out", str(locked), "--format", "json,xlsx"])
        if os.access(locked, os.W_OK):  # root writes anywhere: nothing to refuse
            assert code == 0
        else:
            assert code == 2
            assert "cannot write the reports into" in capsys.readouterr().err
            assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)
