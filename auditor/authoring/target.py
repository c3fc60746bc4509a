"""Which rule directory and which of its files a ``auditor rules`` command is about.

A rule is checked with its whole pack: its directory's other rules (a
chain rule reads them), profiles and retired ids. So a command given a
file works on the directory around it (the nearest one holding
``profiles/``), and reports on that file; ``--rules DIR`` names the pack
outright, for authors who keep their rules in their own repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.base.resources import default_rules_dir
from auditor.engine.pack import rule_files
from auditor.errors import UsageError


@dataclass(frozen=True)
class Target:
    """A pack directory, and the rule files asked about (``None``: all of them; none when the
    path is a profile, whose problems lint reports with the pack's)."""

    directory: Path
    files: tuple[Path, ...] | None

    def chosen(self) -> list[Path]:
        return list(self.files) if self.files is not None else rule_files(self.directory)


def resolve(path: Path | None, rules: Path | None) -> Target:
    """The target of ``[PATH] [--rules DIR]``: the shipped pack when neither is given."""
    if rules is not None and not (rules / "profiles").is_dir():
        raise UsageError(f"{rules} is not a rule directory: it needs a profiles/ folder")
    if path is None:
        return Target((rules or default_rules_dir()).resolve(), None)
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    path = path.resolve()
    directory = rules.resolve() if rules is not None else _pack_of(path)
    if not path.is_relative_to(directory):
        # a file outside the pack would be checked against nothing, and pass in silence
        raise UsageError(f"{path} is not in the rule directory {directory}")
    if path.is_dir():
        if path == directory:
            return Target(directory, None)
        return Target(directory, tuple(f for f in rule_files(directory) if f.is_relative_to(path)))
    if path.suffix not in (".yaml", ".yml"):
        raise UsageError(f"{path} is not a rule file (a .yaml file)")
    return Target(directory, (path,) if path in rule_files(directory) else ())


def _pack_of(path: Path) -> Path:
    for folder in (path, *path.parents) if path.is_dir() else path.parents:
        if (folder / "profiles").is_dir():
            return folder
    raise UsageError(
        f"{path} is not in a rule directory (a folder with profiles/); pass --rules DIR"
    )
