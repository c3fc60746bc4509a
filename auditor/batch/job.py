"""One workbook of a batch: audit (or validate) it, write its files and its row.

A job is plain data (:meth:`Job.to_dict`), so the same job runs in a local
thread or on any machine's ``auditor worker``; every path in it is absolute
and, for the queue, on storage every machine shares. :func:`execute` is
idempotent: a job whose row exists is done and is not run again, and a job
run twice writes the same bytes (the same input under the same rule pack).
The files are written first, the row last, each through a temporary name,
so a killed process leaves either a finished job or no row at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError, EngineError, InvalidInput, LimitExceeded

ROW = "row.json"
CLAIM = "claim"
#: What a job ends as, and the exit status of ``auditor audit`` for it.
DONE, VALID, INVALID, FAILED = "done", "valid", "invalid", "failed"
EXIT_BY_STATUS = {DONE: 0, VALID: 0, INVALID: 2, FAILED: 3}


@dataclass(frozen=True)
class Job:
    """Everything a process needs to do one workbook, and nothing of the caller's."""

    source: str  # the input as the user named it (shown in the summary)
    path: str  # its absolute path
    folder: str  # this job's own folder: its files and, last, its row
    mode: str  # "audit" or "validate"
    formats: tuple[str, ...]
    copies: tuple[str, ...]
    jurisdiction: str | None
    rules_dir: str | None
    timeout_s: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        values = dict(data)
        values["formats"], values["copies"] = tuple(values["formats"]), tuple(values["copies"])
        return cls(**values)


def job_key(digest: str, ruleset_version: str, mode: str, options: dict[str, Any]) -> str:
    """The name of a job's folder: the input's digest, the rule pack and what was asked.

    A second run with the same input bytes, rule pack and options finds the
    folder done and skips the work; anything else is another job.
    """
    text = json.dumps(
        {"input": digest, "rules": ruleset_version, "mode": mode, **options}, sort_keys=True
    )
    return f"{digest[:16]}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes (a workbook's ``input_sha256``)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_row(folder: Path) -> dict[str, Any] | None:
    """The job's row when it is done, else None."""
    try:
        row: dict[str, Any] = json.loads((folder / ROW).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return row


def execute(job: Job, *, heartbeat_s: float | None = None) -> dict[str, Any]:
    """Do the job unless it is done; its row either way.

    With ``heartbeat_s`` (a queue worker), the job's ``claim`` file is
    touched that often while it runs, so the client can tell a job in hand
    from one lost with a killed worker.
    """
    from auditor.runner.isolation import run_isolated

    folder = Path(job.folder)
    done = read_row(folder)
    if done is not None:
        return done
    folder.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    if heartbeat_s is not None:
        write_atomically(folder / CLAIM, f"{os.getpid()}\n".encode())
        threading.Thread(
            target=_beat, args=(folder / CLAIM, heartbeat_s, stop), daemon=True
        ).start()
    try:
        row: dict[str, Any] = run_isolated(produce, (job,), timeout_s=job.timeout_s)
    except InvalidInput as error:
        count = len(error.problems)
        said = f"{count} problem{'s' if count != 1 else ''}; nothing audited"
        row = _refused(job, INVALID, [str(p) for p in error.problems], said)
    except EngineError as error:  # a timeout, a crash, a defect: this workbook only
        row = _refused(job, FAILED, [], str(error))
    except AuditorError as error:
        row = _refused(job, INVALID, [], str(error))
    finally:
        stop.set()
    write_atomically(folder / ROW, _json(row))
    return row


def _beat(claim: Path, every_s: float, stop: threading.Event) -> None:
    while not stop.wait(every_s):
        try:
            os.utime(claim)
        except OSError:
            return


def _refused(job: Job, status: str, problems: list[str], message: str) -> dict[str, Any]:
    return {"source": job.source, "status": status, "problems": problems, "message": message}


def produce(job: Job) -> dict[str, Any]:
    """In the isolated process: the audit or the check, its files written, its row returned."""
    if job.mode == "validate":
        return _validate(job)
    from auditor.base.gcpause import keep_until_exit
    from auditor.pipeline import inspect_records
    from auditor.render import RENDERERS, Copy

    inspection = inspect_records(job.path, jurisdiction=job.jurisdiction, rules_dir=job.rules_dir)
    keep_until_exit()  # the isolated worker ends once the files are written
    files = []
    for copy in job.copies:
        for name in job.formats:
            extension = name if copy == "inspector" else f"{copy}.{name}"
            write_atomically(Path(job.folder) / extension, RENDERERS[name](inspection, Copy(copy)))
            files.append(extension)
    from auditor.batch.rows import audit_row
    from auditor.render.summary import summary

    row = audit_row(inspection.result)
    row.update(source=job.source, status=DONE, files=files)
    row["summary"] = summary(inspection.result, [])
    return row


def _validate(job: Job) -> dict[str, Any]:
    """What ``auditor validate`` says of one input, as data."""
    from auditor.ingest.load import load
    from auditor.model.problems import ValidationReport

    try:
        dataset, report = load(job.path, jurisdiction=job.jurisdiction, rules_dir=job.rules_dir)
    except LimitExceeded as refused:
        dataset, report = None, ValidationReport(refused.problems, refused.warnings)
    if report.errors or dataset is None:
        count = len(report.errors)
        said = f"{job.source}: {count} problem{'s' if count != 1 else ''}"
        status = INVALID
    else:
        said = (
            f"{job.source}: valid ({len(dataset.workers)} workers, "
            f"{len(dataset.employers)} employers, {len(dataset.fees)} fees)"
        )
        status = VALID
    return {
        "source": job.source,
        "status": status,
        "lines": list(report.lines()),
        "document": report.to_dict(job.source),
        "message": said,
    }


def _json(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, indent=2, ensure_ascii=False, default=_decimal) + "\n").encode()


def _decimal(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` under a temporary name in the same folder, then give it its name."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".auditor-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(name, 0o644)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
