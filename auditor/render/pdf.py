"""HTML to an archival PDF through WeasyPrint: the only module that imports it.

PDF/A-3b, fonts embedded (shipped in ``reports/fonts``, so a report looks
the same on every machine), the JSON result attached, and every date in
the file fixed to the inspection date, so the same input gives the same
bytes. The URL fetcher serves the report's own assets from ``reports/``
and refuses everything else: no network, no other local file, whatever a
template or a value might point at.

Speed: ``report.css`` is parsed, and its 22 fonts registered, once per
process (:func:`report_style`), not on every render; and the documents are
styled with WeasyPrint's user-agent stylesheet less the rules that give
*every* element six pseudo-elements it never has here (footnote and note
calls and markers, a marker on elements that are not list items), which
were most of the style computation. The output is the same, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import mimetypes
import os
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import cssselect2  # type: ignore[import-untyped]
from weasyprint import CSS, HTML, Attachment, _find_base_url
from weasyprint.html import UA
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from auditor.base.resources import reports_dir
from auditor.render.tree import parse_polyglot

LOG = logging.getLogger(__name__)
#: What the report may load: its styles, fonts and pictures.
ASSET_SUFFIXES = frozenset({".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png"})
_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files under ``root`` with an asset suffix; refuses and records any other URL."""

    def __init__(self, root: Path | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), fail_on_errors=False)
        self.root = (root or reports_dir()).resolve()
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self._asset(url)
        if path is None:
            self.refused.append(url)
            LOG.warning("report asset refused: %.200s", url)
            raise ValueError(f"the report may load only its own assets, not {url[:200]}")
        self.served.append(url)
        if path.suffix == ".woff2":
            return URLFetcherResponse(url, _unpacked_font(path), {"Content-Type": "font/ttf"})
        kind = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "text/plain"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    def _asset(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or path.suffix.lower() not in ASSET_SUFFIXES:
            return None
        return path if path.is_file() else None


@lru_cache(maxsize=64)
def _unpacked_font_of(path: Path, stamp: tuple[int, int]) -> bytes:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(path)) as font:
        font.flavor = None
        buffer = io.BytesIO()
        font.save(buffer)
    return buffer.getvalue()


def _unpacked_font(path: Path) -> bytes:
    """A shipped WOFF2 font as plain TrueType, unpacked once per process.

    The script fonts ship as WOFF2 to keep the package small (their glyf
    table untransformed, so unpacking is a Brotli decompression, not a
    rebuild in Python: see ``reports/fonts/subset.py``). The stylesheet is
    parsed once per process (:func:`report_style`), and should it be parsed
    again (its file changed), the fetcher hands WeasyPrint the fonts already
    unpacked, keyed by the file's size and time, so an updated font is read again.
    """
    status = path.stat()
    return _unpacked_font_of(path, (status.st_size, status.st_mtime_ns))


@dataclass(frozen=True)
class PdfAttachment:
    name: str
    data: bytes
    description: str


def html_to_pdf(
    html: str, *, created: dt.date, attachments: tuple[PdfAttachment, ...] = ()
) -> tuple[bytes, AssetFetcher]:
    """The PDF/A-3b bytes of ``html``, and the fetcher (what it served and refused)."""
    fetcher = AssetFetcher()
    moment = dt.datetime.combine(created, dt.time(0, 0))
    document = _ReportHTML(string=html, base_url=fetcher.root.as_uri() + "/", url_fetcher=fetcher)
    files = [
        Attachment(
            string=item.data,
            name=item.name,
            description=item.description,
            created=moment,
            modified=moment,
            relationship="Data",
            url_fetcher=fetcher,
        )
        for item in attachments
    ]
    with _RENDERING, _font_timestamps(moment), warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes it; the file is
        # read in full and dropped at once, so the warning says nothing about this report.
        warnings.simplefilter("ignore", ResourceWarning)
        style = report_style()
        pdf = document.write_pdf(
            pdf_variant="pdf/a-3b",
            attachments=files,
            stylesheets=[style.css],
            font_config=style.fonts,
        )
    assert isinstance(pdf, bytes)
    return pdf, fetcher


#: One render at a time per process: WeasyPrint does not promise thread safety, the
#: font timestamp below is process-wide, and every render shares :func:`report_style`.
_RENDERING = threading.Lock()
STYLESHEET = "report.css"


@dataclass(frozen=True)
class ReportStyle:
    """``report.css`` parsed, with the font configuration its ``@font-face`` rules filled."""

    css: CSS
    fonts: FontConfiguration
    fetcher: AssetFetcher  # what parsing it loaded (the stylesheet's fonts), and refused


def report_style() -> ReportStyle:
    """The report's stylesheet, parsed once per process (again only if the file changes).

    Every report and comparison gets it as its stylesheet, so the templates
    link none. Parsing it and registering its fonts (written to a temporary
    folder for Fontconfig) cost a fifth of a small report's render.
    """
    path = reports_dir() / STYLESHEET
    status = path.stat()
    return _report_style(path, (status.st_size, status.st_mtime_ns))


@lru_cache(maxsize=1)
def _report_style(path: Path, stamp: tuple[int, int]) -> ReportStyle:
    fetcher = AssetFetcher()
    fonts = FontConfiguration()
    css = CSS(
        url=path.resolve().as_uri(),
        url_fetcher=fetcher,
        font_config=fonts,
        media_type="print",
    )
    return ReportStyle(css, fonts, fetcher)


#: Rules of WeasyPrint's user-agent stylesheet that make a pseudo-element for every
#: element: the report has no footnotes or notes, and only list items have markers.
_EVERY_ELEMENT_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.MULTILINE)


def _lean_user_agent_stylesheet() -> CSS | None:
    """WeasyPrint's HTML stylesheet without the rules above; ``None`` if it no longer has them."""
    if "\n::marker {" not in UA or not _EVERY_ELEMENT_RULES.search(UA):
        return None
    text = _EVERY_ELEMENT_RULES.sub("", UA.replace("\n::marker {", "\nli::marker {"))
    return CSS(string=text, media_type="print")


_LEAN_UA = _lean_user_agent_stylesheet()


class _ReportHTML(HTML):  # type: ignore[misc]
    """A document read by expat when it is polyglot markup (:mod:`auditor.render.tree`), by
    WeasyPrint's own parser otherwise, and styled with the lean user-agent stylesheet (the
    full one if WeasyPrint's changed)."""

    def __init__(self, *, string: str, base_url: str, url_fetcher: URLFetcher) -> None:
        root = parse_polyglot(string)
        if root is None:
            super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
            return
        # What HTML.__init__ sets once tinyhtml5 has built the tree; the report has no <base>.
        self.base_url = _find_base_url(root, base_url)
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        if _LEAN_UA is None or forms:
            return super()._ua_stylesheets(forms)  # type: ignore[no-any-return]
        return [_LEAN_UA]


@contextmanager
def _font_timestamps(moment: dt.datetime) -> Iterator[None]:
    """Date the embedded font subsets ``moment`` rather than now, for identical bytes.

    Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which
    stamps each subset with the clock unless ``SOURCE_DATE_EPOCH`` is set
    (the reproducible-builds convention). It is set for the render only,
    and a value the caller set is left alone.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.replace(tzinfo=dt.UTC).timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
