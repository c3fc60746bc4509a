"""The final names of a batch's files: ``<audit_id>.<ext>``, never one file for two inputs.

audit-output.md 1.1: two inputs with the same ``audit_id`` get names that
differ by ``-`` and the first 8 hex digits of their ``input_sha256``. We
give that suffix to *every* input of such a group (not to the second
only), so a file's name does not depend on the order the inputs were
given or finished in, and a resumed batch names each file as the first
run did. The same bytes given twice are one audit and one set of files.
Names are compared after :func:`~auditor.render.safe_name`, so two ids
that differ only by characters a file name cannot hold do not collide.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from auditor.batch.job import DONE, write_atomically
from auditor.errors import UsageError

SUFFIX_DIGITS = 8
_EXTENSION = re.compile(r"(agency\.)?(pdf|json|xlsx)")


def stems(rows: list[dict[str, Any]]) -> list[str | None]:
    """Each row's file stem, or None for an input that was not audited."""
    from auditor.render import safe_name

    digests: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["status"] == DONE:
            digests[safe_name(row["audit_id"])].add(row["input_sha256"])
    names: list[str | None] = []
    for row in rows:
        if row["status"] != DONE:
            names.append(None)
            continue
        stem = safe_name(row["audit_id"])
        if len(digests[stem]) > 1:
            stem = f"{stem}-{row['input_sha256'][:SUFFIX_DIGITS]}"
        names.append(stem)
    return names


def place(rows: list[dict[str, Any]], out: Path) -> list[list[Path]]:
    """Copy every done job's files into ``out`` under their final names; the paths per row.

    Each file is written in full under a temporary name first (an
    interrupted batch leaves no half file), and the job's own copy stays
    behind for the next run.
    """
    written: list[list[Path]] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for row, stem in zip(rows, stems(rows), strict=True):
            paths = []
            if stem is not None:
                row["stem"] = stem
                for extension in row.get("files", []):
                    if not _EXTENSION.fullmatch(extension):  # a row from shared storage
                        raise UsageError(f"unexpected file {extension!r} in {row['folder']}")
                    target = out / f"{stem}.{extension}"
                    write_atomically(target, (Path(row["folder"]) / extension).read_bytes())
                    paths.append(target)
            written.append(paths)
    except OSError as error:
        raise UsageError(
            f"cannot write the reports into {out}: {error.strerror or error}"
        ) from None
    return written
