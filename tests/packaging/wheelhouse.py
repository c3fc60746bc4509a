"""Wheels of the distributions installed in this environment, to install elsewhere offline.

A clean machine's CI has a virtual environment made by ``make setup`` and
a network; this one may have no network at all. Either way, the packaging
test must install auditor's dependencies into a fresh environment without
asking an index: it repacks the installed distributions it needs as
wheels. An installed distribution's ``RECORD`` lists every file it put in
``site-packages``; those files, with its ``.dist-info`` and a new
``RECORD``, are the wheel it was installed from (less the scripts outside
``site-packages``, which pip writes again from ``entry_points.txt``).
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from collections.abc import Iterable, Iterator
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path, PurePosixPath

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: Files of a ``.dist-info`` that belong to the installation, not to the wheel.
_INSTALL_ONLY = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def wheel_requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a built wheel: what it needs, as built from the source."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    return [
        line.split(":", 1)[1].strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def requirements_closure(requirements: Iterable[str]) -> list[Distribution]:
    """The installed distributions these requirements need at run time (no extras asked), by
    name; each must be installed here (``make setup`` installs what pyproject.toml lists)."""
    seen: dict[str, Distribution] = {}
    queue: list[tuple[str, list[str], frozenset[str]]] = [
        ("the wheel", list(requirements), frozenset())
    ]
    while queue:
        needed_by, texts, wanted = queue.pop()
        for text in texts:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({"extra": extra}) for extra in ("", *wanted)
            ):
                continue
            key = canonicalize_name(requirement.name)
            try:
                found = distribution(requirement.name)
            except PackageNotFoundError:
                raise AssertionError(
                    f"{needed_by} needs {text}, which is not installed here: run make setup"
                ) from None
            if key not in seen or requirement.extras:
                seen[key] = found
                extras = frozenset(requirement.extras)
                queue.append((requirement.name, list(found.requires or []), extras))
    return sorted(seen.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def repack(dist: Distribution, folder: Path) -> Path:
    """Write ``dist`` as a wheel into ``folder``; returns its path."""
    files = list(_packed_files(dist))
    info = next(p.parts[0] for p in files if p.name == "METADATA" and len(p.parts) == 2)
    wheel_text = dist.read_text("WHEEL") or ""
    tags = [
        line.split(":", 1)[1].strip() for line in wheel_text.splitlines() if line.startswith("Tag:")
    ]
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    target = folder / f"{name}-{dist.version}-{_compressed(tags)}.whl"
    record: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as wheel:
        for path in files:
            data = Path(str(dist.locate_file(path))).read_bytes()
            wheel.writestr(path.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{path.as_posix()},sha256={digest.decode()},{len(data)}")
        record.append(f"{info}/RECORD,,")
        wheel.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return target


def _packed_files(dist: Distribution) -> Iterator[PurePosixPath]:
    for entry in dist.files or []:
        path = PurePosixPath(entry.as_posix())
        if path.parts[0] == ".." or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if path.parts[0].endswith(".dist-info") and path.name in _INSTALL_ONLY:
            continue
        yield path


def _compressed(tags: list[str]) -> str:
    """``py3-none-any`` from the WHEEL file's tags (several joined by dots, as pip writes)."""
    if not tags:
        return "py3-none-any"
    parts = [tag.split("-") for tag in tags]
    return "-".join(".".join(sorted({p[i] for p in parts})) for i in range(3))
