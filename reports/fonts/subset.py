"""Make the report's fonts: DejaVu cut down to the scripts a report prints.

The full DejaVu files hold about 6,000 glyphs; WeasyPrint subsets every
font it embeds on every render, and that work grows with the font. These
cuts keep Latin (with Vietnamese), Greek, Cyrillic, punctuation, currency
and common symbols; text in another script (an agency name in Devanagari)
falls back to a system font. Run once, from the checkout, with fontTools
(a WeasyPrint dependency):

    .venv/bin/python reports/fonts/subset.py /usr/share/fonts/truetype/dejavu
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

FONTS = {
    "DejaVuSansCondensed.ttf": "ReportSans.ttf",
    "DejaVuSansCondensed-Bold.ttf": "ReportSans-Bold.ttf",
    "DejaVuSansCondensed-Oblique.ttf": "ReportSans-Oblique.ttf",
    "DejaVuSerif-Bold.ttf": "ReportSerif-Bold.ttf",
    "DejaVuSansMono.ttf": "ReportMono.ttf",
}
RANGES = (
    (0x0020, 0x024F),  # Basic Latin to Latin Extended-B
    (0x0300, 0x036F),  # combining diacritics
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # general punctuation
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x25A0, 0x25FF),  # geometric shapes
)


def main(source: Path, target: Path) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    unicodes = [code for low, high in RANGES for code in range(low, high + 1)]
    for original, cut in FONTS.items():
        font = subset.load_font(str(source / original), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        subset.save_font(font, str(target / cut), options)
        print(f"{cut}: {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parent)
