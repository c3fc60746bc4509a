"""The pages' ``.mo`` files (issue 27): built from the ``.po`` by Babel, again when a ``.po``
is newer, and read by gettext as Django reads them."""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path

from auditor.service.catalogues import LOCALE_DIR, compile_all, ensure_compiled, stale


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, root, ignore=shutil.ignore_patterns("*.mo"))
    return root


def test_every_language_is_compiled_and_read_by_gettext(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert {p.parent.parent.name for p in stale(root)} == {"ne", "id", "fil", "ar", "fr", "es"}
    written = compile_all(root)
    assert len(written) == 6
    assert stale(root) == []
    french = gettext.translation("django", localedir=root, languages=["fr"])
    assert french.gettext("Log in") == "Se connecter"
    arabic = gettext.translation("django", localedir=root, languages=["ar"])
    # Arabic's six plural forms, from the catalogue's own Plural-Forms.
    forms = {
        arabic.ngettext("%(counter)s audit, newest first.", "%(counter)s audits, newest first.", n)
        for n in (0, 1, 2, 3, 11, 100)
    }
    assert len(forms) == 6
    assert not list(root.rglob("*.tmp"))


def test_a_po_newer_than_its_mo_is_compiled_again(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    compile_all(root)
    po = root / "es" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    text = po.read_text(encoding="utf-8").replace(
        'msgid "Log in"\nmsgstr "Iniciar sesión"', 'msgid "Log in"\nmsgstr "Entrar"'
    )
    po.write_text(text, encoding="utf-8")
    old = mo.stat().st_mtime_ns - 10_000_000_000
    os.utime(mo, ns=(old, old))
    assert stale(root) == [po]
    ensure_compiled(root)
    assert stale(root) == []
    spanish = gettext.translation("django", localedir=root, languages=["es"])
    assert spanish.gettext("Log in") == "Entrar"
