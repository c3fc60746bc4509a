"""``auditor audit`` with reports: default formats, copies, all or nothing, same bytes anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor import render
from auditor.cli import audit as cli_audit
from auditor.cli import main
from tests.builders import Book
from tests.render.conftest import COMPLIANT, inspection_of, pdf_of

Write = Callable[..., Path]


def test_the_command_accepts_exactly_the_formats_the_renderers_make() -> None:
    assert set(cli_audit.FORMATS) == set(render.RENDERERS)


def test_by_default_the_audit_writes_the_pdf_and_the_json(
    book: Book, write: Write, tmp_path: Path
) -> None:
    assert main(["audit", str(write(book)), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "T-2026-001.json",
        "T-2026-001.pdf",
    ]
    assert (tmp_path / "out" / "T-2026-001.pdf").read_bytes().startswith(b"%PDF-1.7")


def test_the_agency_copy_is_marked_and_redacted(book: Book, write: Write, tmp_path: Path) -> None:
    book["Complaints"] = [
        {"complaint_id": "K1", "worker_id": "W1", "channel_id": "CH1", "category": "wages",
         "filed_on": "2026-01-05", "resolved_on": None, "worker_penalised": "yes"}
    ]  # fmt: skip
    path = str(write(book))
    assert main(["audit", path, "--out", str(tmp_path), "--format", "json,xlsx",
                 "--copy", "agency"]) == 0  # fmt: skip
    document = json.loads((tmp_path / "T-2026-001.agency.json").read_text())
    assert document["agency_copy"]["withheld_rules"] == ["COMP-06", "COMP-07"]
    assert [f["rule_id"] for f in document["findings"]] == []
    assert {r["rule_id"]: r["affected"] for r in document["rules"]}["COMP-06"] == 1
    assert (tmp_path / "T-2026-001.agency.xlsx").exists()
    assert not (tmp_path / "T-2026-001.json").exists()


def test_both_copies_are_written_under_names_that_never_collide(
    book: Book, write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book["Complaints"] = [
        {"complaint_id": "K1", "worker_id": "W1", "channel_id": "CH1", "category": "wages",
         "filed_on": "2026-01-05", "resolved_on": None, "worker_penalised": "yes"}
    ]  # fmt: skip
    path = str(write(book))
    assert main(["audit", path, "--out", str(tmp_path), "--format", "json,xlsx",
                 "--copy", "inspector,agency"]) == 0  # fmt: skip
    names = {p.name for p in tmp_path.iterdir()}
    assert {"T-2026-001.agency.json", "T-2026-001.agency.xlsx", "T-2026-001.json",
            "T-2026-001.xlsx"} <= names  # fmt: skip
    inspector = json.loads((tmp_path / "T-2026-001.json").read_text())
    agency = json.loads((tmp_path / "T-2026-001.agency.json").read_text())
    assert {f["rule_id"] for f in inspector["findings"]} >= {"COMP-06", "COMP-07"}
    assert agency["agency_copy"]["withheld_rules"] == ["COMP-06", "COMP-07"]
    printed = capsys.readouterr().out
    listed = len(agency["findings"])
    assert f"Agency's copy: {listed} finding(s) listed" in printed
    assert f"{len(inspector['findings']) - listed} shown only as counts" in printed
    # the agency's copy alone never takes the inspector's names
    other = tmp_path / "agency-only"
    assert main(["audit", path, "--out", str(other), "--format", "json", "--copy", "agency"]) == 0
    assert [p.name for p in other.iterdir()] == ["T-2026-001.agency.json"]
    assert main(["audit", path, "--out", str(other), "--copy", "everyone"]) == 2


def test_a_failing_renderer_leaves_no_file(
    book: Book, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> bytes:
        raise RuntimeError("renderer broke")

    monkeypatch.setitem(render.RENDERERS, "xlsx", broken)
    out = tmp_path / "out"
    # In process: the patched renderer is this process's (an isolated worker renders too, and
    # its failure is the same exit status 3 with nothing written: see test_isolation).
    arguments = ["audit", str(write(book)), "--out", str(out), "--format", "json,xlsx"]
    assert main([*arguments, "--in-process"]) == 3
    assert not out.exists() or list(out.iterdir()) == []


def test_a_fresh_process_with_another_hash_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    inspection = inspection_of(COMPLIANT)  # this process: pytest's own random hash seed
    here = {
        "PH-2026-0101.json": render.render_json(inspection),
        "PH-2026-0101.pdf": pdf_of(COMPLIANT),
        "PH-2026-0101.xlsx": render.render_xlsx(inspection),
    }
    subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(COMPLIANT), "--out", str(tmp_path),
         "--format", "pdf,json,xlsx"],
        check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "4242"},
    )  # fmt: skip
    there = {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir())}
    assert sorted(there) == sorted(here)
    for name, data in here.items():
        assert there[name] == data, name
