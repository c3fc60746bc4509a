"""``auditor validate``: problems one a line on standard output, then warnings; exit 0 or 2."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.cli import main
from tests.builders import Book

Write = Callable[..., Path]


def test_a_valid_workbook_exits_zero(
    book: Book, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(write(book))]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "valid (2 workers, 1 employers, 2 fees)" in err


def test_problems_then_warnings_and_exit_two(
    book: Book, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    book["Fees"][0]["amount"] = -5
    book["Workers"][0]["notes"] = "x"
    assert main(["validate", str(write(book))]) == 2
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        "Fees!E2: amount must be a number >= 0, got -5",
        "warning: Workers!notes: unknown column ignored",
    ]


def test_an_unreadable_file_exits_two_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\x00\x01garbage")
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout.startswith("file: the file is not an xlsx workbook")
    assert "Traceback" not in result.stderr + result.stdout


def test_misuse_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2


def test_a_workbook_over_a_limit_is_reported_on_standard_output_too(
    book: Book, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate prints every problem on standard output, a size limit's as any other."""
    for number in range(188):  # 13 columns of the format, 188 more: 201 in all
        book["Workers"][0][f"extra_{number}"] = "x"
    assert main(["validate", str(write(book))]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "Workers: the sheet reaches column GS (column 201), over the limit of 200 columns"
    ]
    assert "1 problem" in err
