"""Size limits on inputs, checked before the expensive work.

The defaults admit the largest real inspection comfortably (the benchmark's
50,000 workers and 200,000 fees is about 15 MB on disk, 150 MB of XML) and
stop what no inspection produces: zip bombs, million-row sheets, 10 MB
cells. A licensing system can pass its own :class:`Limits`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Every limit, with a safe default; all are inclusive maxima."""

    max_file_bytes: int = 100 * 1024 * 1024
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_zip_members: int = 1_000
    max_rows_per_sheet: int = 500_000
    max_columns_per_sheet: int = 200
    max_cell_chars: int = 32_767
    max_total_cells: int = 20_000_000


DEFAULT_LIMITS = Limits()
