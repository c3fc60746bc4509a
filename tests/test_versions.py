"""Versions a licensing system can pin: the engine's, and the rule pack's by its content.

``ruleset_version`` is ``<pack version>+<digest>`` (audit-output.md
"Version 1.1"): the pack version from ``rules/pack.yaml``, the digest over
the parsed rules and profiles, so that comments and layout keep it and any
change of meaning changes it.
"""

from __future__ import annotations

import re
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest

import auditor
from auditor.base.resources import default_rules_dir
from auditor.testing.baseline import baseline

RULESET_VERSION = re.compile(r"(?P<pack>\d+\.\d+\.\d+)\+(?P<digest>[0-9a-f]{12})")


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A private copy of the shipped rule pack."""
    return Path(shutil.copytree(default_rules_dir(), tmp_path / "rules"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_engine_version_is_the_package_metadata_and_results_cite_it() -> None:
    assert auditor.__version__ == version("auditor")
    result = auditor.audit(baseline())
    assert result.engine_version == auditor.__version__
    assert result.to_dict()["engine_version"] == auditor.__version__


def test_results_cite_the_pack_version_of_pack_yaml_and_the_content_digest() -> None:
    result = auditor.audit(baseline())
    assert result.ruleset_version == auditor.rule_pack_version()
    match = RULESET_VERSION.fullmatch(result.ruleset_version)
    assert match is not None, result.ruleset_version
    pack_yaml = (default_rules_dir() / "pack.yaml").read_text(encoding="utf-8")
    assert f"\nversion: {match['pack']}\n" in pack_yaml


def test_comments_and_layout_keep_the_version(rules: Path) -> None:
    before = auditor.rule_pack_version(rules)
    _edit(rules / "FEE-02.yaml", "id: FEE-02\n", "# reviewed by the policy team\nid: FEE-02\n")
    _edit(rules / "FEE-02.yaml", "evidence: [amount]", "evidence:\n  - amount   # the fee row")
    _edit(rules / "profiles" / "ilo.yaml", "weekly_hours_limit: 60", "weekly_hours_limit:   60")
    (rules / "FEE-02.yaml").rename(rules / "fee-02-moved.yaml")  # a file's name is not content
    assert auditor.rule_pack_version(rules) == before


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("profiles/ilo.yaml", "weekly_hours_limit: 60", "weekly_hours_limit: 56"),
        ("FEE-02.yaml", "severity: high", "severity: critical"),
        ("FEE-02.yaml", "Refund in full", "Refund entirely"),
    ],
)
def test_a_change_of_content_changes_the_digest(rules: Path, file: str, old: str, new: str) -> None:
    before = RULESET_VERSION.fullmatch(auditor.rule_pack_version(rules))
    _edit(rules / file, old, new)
    after = RULESET_VERSION.fullmatch(auditor.rule_pack_version(rules))
    assert before is not None
    assert after is not None
    assert after["pack"] == before["pack"]
    assert after["digest"] != before["digest"]


def test_the_pack_version_comes_from_pack_yaml(rules: Path) -> None:
    digest = auditor.rule_pack_version(rules).split("+")[1]
    (rules / "pack.yaml").write_text("version: 2.0.1\n", encoding="utf-8")
    assert auditor.rule_pack_version(rules) == f"2.0.1+{digest}"
    (rules / "pack.yaml").unlink()  # a rule author's draft pack has no version yet
    assert auditor.rule_pack_version(rules) == f"0.0.0+{digest}"


@pytest.mark.parametrize("text", ["version: 1.1\n", "name: mine\n", "version: [1]\n"])
def test_a_pack_yaml_without_a_usable_version_is_a_rule_pack_error(rules: Path, text: str) -> None:
    (rules / "pack.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(auditor.RulePackError, match=r"pack\.yaml:1: version must be MAJOR"):
        auditor.rule_pack_version(rules)


def test_the_digest_is_the_same_in_every_process() -> None:
    """Parsed content, not Python's hashing order: another hash seed gives the same version."""
    import os
    import subprocess
    import sys

    versions = {
        subprocess.run(
            [sys.executable, "-c", "import auditor; print(auditor.rule_pack_version())"],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert versions == {auditor.rule_pack_version()}
