"""The workbooks a batch is given: files as named, and every workbook directly in a folder.

audit-output.md 1.1: a folder gives every ``.xlsx``/``.ods`` inside it,
not recursing, in name order (code point), without hidden files and
without the ``~$...`` lock files a spreadsheet leaves beside an open
workbook. A file named on the command line is taken whatever its suffix
(a ``.json`` dataset too). A path that does not exist is that input's
problem (exit 2), not the batch's: the others are audited all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.batch.job import Job, file_digest, job_key

FOLDER_SUFFIXES = (".xlsx", ".ods")
#: Where a batch keeps each job's folder, inside the output folder.
WORK_FOLDER = ".auditor-batch"


@dataclass(frozen=True)
class Input:
    """One input: its job, or why it has none."""

    source: str
    job: Job | None
    problem: str | None = None


def expand(paths: list[Path]) -> tuple[list[tuple[str, Path | None]], list[str]]:
    """The inputs in order (each once), and notes on folders that held no workbook."""
    found: list[tuple[str, Path | None]] = []
    notes: list[str] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            inside = sorted((p for p in path.iterdir() if _is_workbook(p)), key=lambda p: p.name)
            if not inside:
                notes.append(f"{path}: no .xlsx or .ods workbook in this folder")
            candidates = [(str(p), p) for p in inside]
        else:
            candidates = [(str(path), path)]
        for source, candidate in candidates:
            resolved = candidate.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            found.append((source, candidate if candidate.is_file() else None))
    return found, notes


def _is_workbook(path: Path) -> bool:
    name = path.name
    return (
        path.suffix.lower() in FOLDER_SUFFIXES
        and not name.startswith((".", "~$"))
        and path.is_file()
    )


def plan(
    paths: list[Path],
    *,
    work: Path,
    mode: str,
    ruleset_version: str,
    formats: tuple[str, ...],
    copies: tuple[str, ...],
    jurisdiction: str | None,
    rules_dir: Path | None,
    timeout_s: float,
) -> tuple[list[Input], list[str]]:
    """One job per input, its folder under ``work`` named by digest, rule pack and options."""
    from auditor.version import __version__

    options = {
        "formats": list(formats),
        "copies": list(copies),
        "jurisdiction": jurisdiction,
        "engine": __version__,  # another auditor may write other bytes: another job
    }
    found, notes = expand(paths)
    inputs = []
    for source, path in found:
        if path is None:
            inputs.append(Input(source, None, f"{source}: no such file or folder"))
            continue
        try:
            digest = file_digest(path)
        except OSError as error:
            inputs.append(Input(source, None, f"{source}: cannot read it ({error.strerror})"))
            continue
        key = job_key(digest, ruleset_version, mode, options)
        job = Job(
            source=source,
            path=str(path.resolve()),
            folder=str((work / key).resolve()),
            mode=mode,
            formats=formats,
            copies=copies,
            jurisdiction=jurisdiction,
            rules_dir=str(rules_dir.resolve()) if rules_dir else None,
            timeout_s=timeout_s,
        )
        inputs.append(Input(source, job))
    return inputs, notes
