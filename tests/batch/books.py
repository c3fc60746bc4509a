"""Agencies for batch tests: small workbooks from the bench generator, each its own agency."""

from __future__ import annotations

from pathlib import Path

from bench.generate import write

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_audits"


def agencies(folder: Path, count: int, *, workers: int = 12, start: int = 0) -> list[Path]:
    """``count`` workbooks of distinct agencies (audit ids, names, licences, content)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        mix = "stress" if number % 3 == 0 else "typical"
        path = folder / f"agency-{number:03d}.xlsx"
        write(workers, path, seed=number, mix=mix, agency=number)
        paths.append(path)
    return paths


def variant(source: Path, target: Path, note: str) -> Path:
    """The same workbook with other bytes (a zip comment every reader ignores): the same
    audit id, another ``input_sha256``."""
    data = source.read_bytes()
    assert data[-2:] == b"\x00\x00", "the workbook already has a zip comment"
    comment = note.encode()
    target.write_bytes(data[:-2] + len(comment).to_bytes(2, "little") + comment)
    return target
