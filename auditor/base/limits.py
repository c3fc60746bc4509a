"""Size limits on inputs, each checked before the work it protects.

The defaults admit the largest real inspection with room to spare (the
benchmark's 50,000 workers and 200,000 fees: 16 MB on disk, 181 MB of XML,
4.5 million cells) and stop what no inspection produces: zip bombs,
million-row sheets, a cell at column XFD, 10 MB cells. Reading costs about
250 bytes of memory a cell at its peak, so the default 10 million cells
keep one audit under about 2.5 GB. A licensing system can pass its own
:class:`Limits` to every entry point.

Where each limit is enforced, and against what:

- ``max_file_bytes``: the file's size on disk, before it is opened.
- ``max_zip_members``, ``max_uncompressed_bytes``, ``max_compression_ratio``:
  the zip directory, before anything is inflated. A directory that lies
  about sizes is caught while inflating (Python's zipfile and calamine both
  stop at the declared size and refuse the part).
- ``max_rows_per_sheet``, ``max_columns_per_sheet``, ``max_total_cells``:
  the last row and column any cell of a sheet occupies, found by streaming
  the sheet's XML (:mod:`auditor.ingest.survey`) before calamine builds the
  sheet, because calamine allocates the whole grid up to the last cell at
  once. ``max_total_cells`` counts those grids over all sheets (and bounds
  the number of shared texts).
- ``max_cell_chars``: every cell a field is read from, the header row and
  the Audit sheet, before the value is validated; for dict input, every
  text value. The text itself is already bounded by the uncompressed size.
- For dict or JSON input: ``max_rows_per_sheet`` per list, ``max_total_cells``
  over all fields, ``max_cell_chars`` per text.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from auditor.errors import UsageError


@dataclass(frozen=True)
class Limits:
    """Every limit, with a safe default; all are inclusive maxima."""

    max_file_bytes: int = 100 * 1024 * 1024
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_zip_members: int = 1_000
    max_rows_per_sheet: int = 500_000
    max_columns_per_sheet: int = 200
    max_cell_chars: int = 32_767
    max_total_cells: int = 10_000_000

    def __post_init__(self) -> None:
        # A zero or negative limit would refuse every workbook with a baffling
        # message; refuse the configuration instead, where the mistake is.
        wrong = [f.name for f in fields(self) if not getattr(self, f.name) > 0]
        if wrong:
            raise UsageError(f"limits must be positive: {', '.join(wrong)}")


DEFAULT_LIMITS = Limits()
