"""HTML to an archival PDF through WeasyPrint: the only module that imports it.

PDF/A-3b, fonts embedded (shipped in ``reports/fonts``, so a report looks
the same on every machine), the JSON result attached, and every date in
the file fixed to the inspection date, so the same input gives the same
bytes. The URL fetcher serves the report's own assets from ``reports/``
and refuses everything else: no network, no other local file, whatever a
template or a value might point at.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import mimetypes
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from auditor.resources import reports_dir

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

    The script fonts ship as WOFF2 to keep the package small; WeasyPrint
    would unpack each of them again on every render (two seconds a report),
    so the fetcher hands it the unpacked font, keyed by the file's size and
    time, so an updated font is read again.
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
    document = HTML(string=html, base_url=fetcher.root.as_uri() + "/", url_fetcher=fetcher)
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
        pdf = document.write_pdf(pdf_variant="pdf/a-3b", attachments=files)
    assert isinstance(pdf, bytes)
    return pdf, fetcher


#: One render at a time per process: WeasyPrint does not promise thread safety, and the
#: font timestamp below is process-wide.
_RENDERING = threading.Lock()


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
