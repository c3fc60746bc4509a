"""Which characters the report can draw with the fonts it ships.

The report embeds only the fonts in ``reports/fonts`` (DejaVu for Latin,
Greek and Cyrillic; Noto cuts for Devanagari, Bengali, Sinhala, Tamil,
Myanmar, Khmer, Lao, Thai, Ethiopic and Arabic). A character none of them
has would be drawn with whatever font the computer happens to have, or as
an empty box, on a document someone signs: the input checks warn about it,
naming the cell, instead (workbook-format.md 1.1 and issue 12).

The fonts' character maps are read once per process, and only when a text
holds a character beyond the Latin range every report font has, so the
usual workbook costs nothing here.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

#: Every character below this is in the report's Latin font (DejaVu, cut by
#: reports/fonts/subset.py from U+0020 to U+024F), so texts made only of them are not looked up.
_LATIN_END = 0x0250
#: Characters that are never drawn, so need no glyph: controls (refused elsewhere) and
#: formatting characters such as the joiners and direction marks, which steer shaping.
_NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp"})
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


def font_files(folder: Path | None = None) -> list[Path]:
    """The shipped font files, sorted by name."""
    if folder is None:
        from auditor.base.resources import reports_dir

        folder = reports_dir() / "fonts"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


@cache
def drawable() -> frozenset[int]:
    """Code points some shipped font maps to a glyph (not to ``.notdef``)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    points: set[int] = set()
    for path in font_files():
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap() or {}
            points.update(code for code, glyph in cmap.items() if glyph != ".notdef")
    return frozenset(points)


def undrawable(text: str) -> list[str]:
    """The distinct characters of ``text`` that no shipped font can draw, in order of appearance."""
    if text.isascii() or all(ord(ch) < _LATIN_END for ch in text):
        return []
    known = drawable()
    missing: dict[str, None] = {}
    for ch in text:
        if (
            ord(ch) >= _LATIN_END
            and ord(ch) not in known
            and not ch.isspace()
            and unicodedata.category(ch) not in _NOT_DRAWN
        ):
            missing[ch] = None
    return list(missing)


def describe(characters: list[str]) -> str:
    """``"ꦗ" (U+A997 JAVANESE LETTER JA)``, comma-separated, for a warning."""
    return ", ".join(
        f'"{ch}" (U+{ord(ch):04X} {unicodedata.name(ch, "unnamed character")})' for ch in characters
    )
