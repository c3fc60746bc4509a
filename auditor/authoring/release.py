"""A pack changed without a new version: what ``rules lint`` says, and ``--record``.

Design (rule-catalogue 1.2, "the pack's digest"): ``pack.yaml`` says the
version; ``pack.lock``, written beside it by ``auditor rules lint --record``,
records the version released and the digest of the pack's content then (the
same digest ``ruleset_version`` cites, over the parsed rules, profiles and
retired ids, so comments and layout do not count), with one short digest per
rule and per profile, so that lint can name what changed. (``pack.lock`` is
not ``*.yaml``: it is no rule file.)

- the content differs from the recorded digest under the **same** version:
  an error naming the rules and profiles added, removed or changed, with
  what to do (raise the version, then record it);
- a **new** version whose record is missing or stale: a warning (exit 0)
  saying how to record it.

Both impact packs of a study then show different versions whenever their
rules or profiles differ.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.base import yamltext
from auditor.engine.pack import PACK_FILE, RulePack, check_pack
from auditor.engine.rulefile import RuleProblem

LOCK_FILE = "pack.lock"
_ITEM_DIGEST = 16
#: What a release records item by item (destination profiles: catalogue 1.3).
_KINDS = ("rules", "profiles", "destinations")


@dataclass(frozen=True)
class Release:
    """What ``pack.lock`` records: the version released, its digest, and each item's."""

    version: str
    digest: str
    items: dict[str, dict[str, str]]  # "rules"/"profiles"/"destinations" -> id -> short digest


def _short(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_ITEM_DIGEST]


def current(pack: RulePack) -> Release:
    """The pack as it is now."""
    return Release(
        pack.pack_version,
        pack.content_digest,
        {
            "rules": {r.id: _short(r.data.model_dump(mode="json")) for r in pack.rules},
            "profiles": {p.id: _short(p.model_dump(mode="json")) for p in pack.profiles.all()},
            "destinations": {
                d.country: _short(d.model_dump(mode="json")) for d in pack.destinations.all()
            },
        },
    )


def recorded(directory: Path) -> Release | None:
    """The release ``pack.lock`` records, or None without one (or one that does not read)."""
    path = directory / LOCK_FILE
    try:
        data = yamltext.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not {"version", "digest"} <= set(data):
        return None
    items = {kind: dict(data.get(kind) or {}) for kind in _KINDS}
    return Release(str(data["version"]), str(data["digest"]), items)


def changes(before: Release, now: Release) -> list[str]:
    """What changed, in words: "rules added: COMP-09; profiles changed: NP"."""
    said = []
    for kind in _KINDS:
        old, new = before.items.get(kind, {}), now.items.get(kind, {})
        for word, ids in (
            ("added", sorted(set(new) - set(old))),
            ("removed", sorted(set(old) - set(new))),
            ("changed", sorted(i for i in set(old) & set(new) if old[i] != new[i])),
        ):
            if ids:
                said.append(f"{kind} {word}: {', '.join(ids)}")
    return said or ["retired ids or the order of items"]


def release_check(directory: Path) -> tuple[list[RuleProblem], list[str]]:
    """Errors (a changed pack under its released version) and warnings (a new version not
    recorded yet) of a rule directory; nothing for a directory that does not load."""
    pack, _ = check_pack(directory)
    if pack is None:
        return [], []
    now, before = current(pack), recorded(directory)
    pack_file = directory / PACK_FILE
    how = "auditor rules lint --record" + _rules_option(directory)
    if before is None:
        if not pack_file.exists():
            return [], []  # a draft without a version: nothing released
        return [], [
            f"{pack_file}: version {now.version} is not recorded as released; when it is "
            f"final, run {how} (it writes {LOCK_FILE} beside pack.yaml)"
        ]
    if before.version == now.version:
        if before.digest == now.digest:
            return [], []
        what = "; ".join(changes(before, now))
        return [
            RuleProblem(
                pack_file,
                1,
                f"the pack changed since version {now.version} was released ({what}); raise "
                "version (MINOR for a rule or profile added or a threshold changed, PATCH for "
                f"wording), then run {how}",
            )
        ], []
    if before.digest != now.digest:
        return [], [
            f"{pack_file}: version {now.version} is new (recorded: {before.version}); when it "
            f"is final, run {how} to record it"
        ]
    return [], []


def _rules_option(directory: Path) -> str:
    from auditor.base.resources import default_rules_dir

    return "" if directory == default_rules_dir() else f" --rules {directory}"


def record(directory: Path) -> Path:
    """Write ``pack.lock`` for the pack as it is (raises when the pack does not load)."""
    pack, problems = check_pack(directory)
    if pack is None:
        raise ValueError("; ".join(str(p) for p in problems))
    now = current(pack)
    lines = [
        "# Written by `auditor rules lint --record`: the pack released under this version.",
        "# Lint fails when the rules or profiles change and pack.yaml keeps this version.",
        f"version: {now.version}",
        f"digest: {now.digest}",
    ]
    for kind in _KINDS:
        lines.append(f"{kind}:")
        lines += [f'  "{key}": {value}' for key, value in sorted(now.items[kind].items())]
    path = directory / LOCK_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
