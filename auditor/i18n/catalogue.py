"""The gettext catalogues under ``auditor/locale``, read through Babel.

``auditor/locale/<lang>/LC_MESSAGES/auditor.po`` is the translators' file,
in the repository; the ``.mo`` beside it is compiled by the wheel's build
step (``setup.py``) and by ``make setup`` for a checkout. Should a ``.mo``
be missing or older than its ``.po`` (a translator's edit not yet
compiled), the ``.po`` is compiled here, in memory, once per process: a
report is never printed from a stale catalogue.
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from auditor.i18n.languages import DEFAULT_LANGUAGE, LOCALE_DIR

DOMAIN = "auditor"


def catalogue_path(code: str, suffix: str = ".po", root: Path | None = None) -> Path:
    return (root or LOCALE_DIR) / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def translations(code: str) -> _gettext.NullTranslations:
    """The catalogue of ``code`` (English: none, the msgids are the text)."""
    if code == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    po = catalogue_path(code)
    mo = catalogue_path(code, ".mo")
    stamp = tuple(
        (path.stat().st_size, path.stat().st_mtime_ns) if path.is_file() else (0, 0)
        for path in (po, mo)
    )
    return _load(code, stamp)


@lru_cache(maxsize=32)
def _load(code: str, stamp: tuple[tuple[int, int], ...]) -> _gettext.NullTranslations:
    po = catalogue_path(code)
    mo = catalogue_path(code, ".mo")
    (_, po_time), (_, mo_time) = stamp
    if mo.is_file() and mo_time >= po_time:
        with mo.open("rb") as stream:
            return Translations(stream, domain=DOMAIN)
    if not po.is_file():
        return _gettext.NullTranslations()
    return Translations(io.BytesIO(compile_po(po)), domain=DOMAIN)


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes of ``po`` (fuzzy entries left out, as msgfmt does)."""
    with po.open("rb") as stream:
        catalog = read_po(stream, locale=po.parent.parent.name.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all(root: Path | None = None) -> list[Path]:
    """Write every catalogue's ``.mo`` beside its ``.po`` (the build step, ``make setup``)."""
    written = []
    for po in sorted((root or LOCALE_DIR).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written
