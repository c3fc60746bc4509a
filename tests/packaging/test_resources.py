"""Where an installed or checked-out auditor finds what it ships, and what a missing one says."""

from __future__ import annotations

from pathlib import Path

import pytest

import auditor
from auditor.base.resources import _find, default_rules_dir, reports_dir

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_reads_its_own_top_level_folders() -> None:
    assert default_rules_dir() == ROOT / "rules"
    assert reports_dir() == ROOT / "reports"


def test_an_installed_copy_comes_first_and_an_unrelated_folder_beside_it_is_ignored(
    tmp_path: Path,
) -> None:
    package = tmp_path / "site-packages" / "auditor"
    (package / "_data" / "rules").mkdir(parents=True)
    (package / "_data" / "rules" / "pack.yaml").write_text("version: 1.0.0\n")
    (tmp_path / "site-packages" / "reports").mkdir()  # another distribution's folder
    assert _find("rules", package) == package / "_data" / "rules"
    with pytest.raises(auditor.ResourceMissing) as missing:
        _find("reports", package)
    assert isinstance(missing.value, auditor.AuditorError)
    assert str(missing.value) == (
        f"the reports folder that auditor ships was not found in {package / '_data'} nor "
        "beside the package; the installation is incomplete: reinstall auditor"
    )
