"""The pages' catalogues: ``locale/<lang>/LC_MESSAGES/django.po`` compiled to the ``.mo``
files Django reads (issue 27).

The ``.po`` files are the translators' and live in the repository; the ``.mo``
are built, never committed: by the wheel's build step (``setup.py``), by
``make setup`` and ``make messages`` (``python -m auditor.service.catalogues``),
and, should one still be missing or older than its ``.po`` when the service
starts, by :func:`ensure_compiled` (a translator's edit is never served stale).
Babel compiles them, so no GNU gettext is needed anywhere but ``make messages``.

Imports Babel and the standard library only (``setup.py`` loads this file by path).
"""

from __future__ import annotations

import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"


def compile_po(po: Path, mo: Path) -> None:
    """Write ``mo`` from ``po`` (fuzzy entries left out, as ``msgfmt`` does), whole or not
    at all: two services starting at once never read a half-written catalogue."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        catalog = read_po(stream, locale=None)
    partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    try:
        with partial.open("wb") as stream:
            write_mo(stream, catalog, use_fuzzy=False)
        os.replace(partial, mo)
    finally:
        partial.unlink(missing_ok=True)


def compile_all(root: Path = LOCALE_DIR) -> list[Path]:
    """Every catalogue under ``root`` compiled beside its ``.po``; the ``.mo`` paths."""
    written = []
    for po in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        compile_po(po, mo)
        written.append(mo)
    return written


def stale(root: Path = LOCALE_DIR) -> list[Path]:
    """The ``.po`` files whose ``.mo`` is missing or older."""
    found = []
    for po in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if not mo.is_file() or mo.stat().st_mtime_ns < po.stat().st_mtime_ns:
            found.append(po)
    return found


def ensure_compiled(root: Path = LOCALE_DIR) -> None:
    """Compile the stale catalogues of a checkout; an installed, read-only package has its
    ``.mo`` from the wheel and is left as it is."""
    for po in stale(root):
        try:
            compile_po(po, po.with_suffix(".mo"))
        except OSError:
            continue


if __name__ == "__main__":  # python -m auditor.service.catalogues
    for path in compile_all():
        print(f"compiled {path}")
