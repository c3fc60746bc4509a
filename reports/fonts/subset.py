"""Make the report's fonts: DejaVu and Noto cut down to the scripts a report prints.

The full DejaVu files hold about 6,000 glyphs; WeasyPrint subsets every
font it embeds on every render, and that work grows with the font. These
cuts keep Latin (with Vietnamese), Greek, Cyrillic, punctuation, currency
and common symbols.

Names of agencies, employers and inspectors come in the scripts of the
countries of origin and destination, so the report also ships Noto Sans
(SIL Open Font License 1.1, LICENSE-Noto.txt) cut to one script each:
Devanagari, Bengali, Sinhala, Tamil, Myanmar, Khmer, Lao, Thai, Ethiopic
and Arabic, regular and bold, with every layout feature (conjuncts,
vowel signs, Arabic joining forms) kept. Each cut is renamed ("Report
Devanagari"...), as the licence asks of a modified font, and so that a
test can tell the shipped font from one the computer happens to have.
``auditor.render.glyphs`` reads the same files to warn about a character
no shipped font can draw.

Run once, from the checkout, with fontTools (a WeasyPrint dependency), on
the Debian packages fonts-dejavu-core and fonts-noto-core:

    .venv/bin/python reports/fonts/subset.py /usr/share/fonts/truetype/dejavu
    .venv/bin/python reports/fonts/subset.py --noto /usr/share/fonts/truetype/noto
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib.woff2 import WOFF2FlavorData

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


#: Noto Sans source name -> (the cut's family name, the Unicode ranges it keeps). Every
#: cut also keeps :data:`SHAPING`: Pango draws a space or a digit between two letters of a
#: script with that script's font, so each cut needs them, and the joiners and the dotted
#: circle its shaping uses.
NOTO = {
    "NotoSansDevanagari": ("Report Devanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    "NotoSansBengali": ("Report Bengali", ((0x0980, 0x09FF),)),
    "NotoSansSinhala": ("Report Sinhala", ((0x0D80, 0x0DFF),)),
    "NotoSansTamil": ("Report Tamil", ((0x0B80, 0x0BFF),)),
    "NotoSansMyanmar": ("Report Myanmar", ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))),
    "NotoSansKhmer": ("Report Khmer", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
    "NotoSansLao": ("Report Lao", ((0x0E80, 0x0EFF),)),
    "NotoSansThai": ("Report Thai", ((0x0E00, 0x0E7F),)),
    "NotoSansEthiopic": (
        "Report Ethiopic",
        ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    ),
    "NotoSansArabic": (
        "Report Arabic",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
}
SHAPING = (*range(0x0020, 0x0041), 0x00A0, *range(0x200B, 0x2015), 0x2019, 0x25CC)


def _options() -> subset.Options:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    return options


def _rename(font: subset.ttLib.TTFont, family: str, style: str) -> None:
    """Give the cut its own names (family, full and PostScript name), as the OFL asks."""
    postscript = f"{family.replace(' ', '')}-{style}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (2, 17):
            record.string = style
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript};auditor"


def noto(source: Path, target: Path) -> None:
    """Cut each Noto Sans font of :data:`NOTO`, regular and bold, into ``target``.

    The cuts are saved as WOFF2 (Brotli, a WeasyPrint dependency): 0.7 MB for the
    twenty of them instead of 2.3 MB, to keep the repository and the package small.
    Their glyf and loca tables are stored as they are, not WOFF2-transformed: a
    transformed glyf is rebuilt point by point in Python (fontTools) when the font
    is unpacked, three seconds of every fresh process's first report; a plain one
    costs a Brotli decompression (0.1 s for the twenty), for 0.1 MB more.
    """
    options = _options()
    options.flavor = "woff2"
    for original, (family, ranges) in NOTO.items():
        unicodes = [code for low, high in ranges for code in range(low, high + 1)]
        for style in ("Regular", "Bold"):
            font = subset.load_font(str(source / f"{original}-{style}.ttf"), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=[*unicodes, *SHAPING])
            subsetter.subset(font)
            _rename(font, family, style)
            font.flavorData = WOFF2FlavorData(transformedTables=())
            cut = f"{family.replace(' ', '')}-{style}.woff2"
            subset.save_font(font, str(target / cut), options)
            print(f"{cut}: {len(font.getGlyphOrder())} glyphs")


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
    if sys.argv[1] == "--noto":
        noto(Path(sys.argv[2]), Path(__file__).resolve().parent)
    else:
        main(Path(sys.argv[1]), Path(__file__).resolve().parent)
