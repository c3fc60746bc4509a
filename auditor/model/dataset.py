"""The whole inspection as typed records: what every audit starts from.

An :class:`AuditDataset` is built by reading a workbook
(:func:`auditor.read_workbook`), from plain dicts or JSON
(:meth:`AuditDataset.from_dict`, :meth:`AuditDataset.from_json`) or
directly from record objects. Whatever the source, the same validation
applies; :meth:`AuditDataset.check` runs the cross-sheet part of it.

The model knows nothing of ingestion (which builds on the model): the
readers behind ``from_dict`` and ``from_json`` are handed to it by
:mod:`auditor.ingest.load` through :func:`register_readers` when ``auditor`` is
imported, which always happens before this module can be used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr

from auditor.model.canonical import canonical_json
from auditor.model.records import (
    AuditInfo,
    Channel,
    Complaint,
    Contract,
    Employer,
    Fee,
    FxRate,
    Intermediary,
    Record,
    Source,
    Worker,
)
from auditor.model.sheets import TABLE_SHEETS, Provenance, canonical_provenance


@dataclass(frozen=True)
class _Readers:
    from_dict: Callable[[Mapping[str, Any]], AuditDataset]
    from_json: Callable[[str | bytes], AuditDataset]


_readers: list[_Readers] = []


def register_readers(
    *,
    from_dict: Callable[[Mapping[str, Any]], AuditDataset],
    from_json: Callable[[str | bytes], AuditDataset],
) -> None:
    """Give :class:`AuditDataset` the validating readers of dicts and JSON (from ingestion)."""
    _readers[:] = [_Readers(from_dict, from_json)]


def _registered() -> _Readers:
    if not _readers:  # pragma: no cover - importing any part of auditor registers them
        raise RuntimeError("the dataset readers are registered when auditor is imported")
    return _readers[0]


class AuditDataset(BaseModel):
    """Every record of one inspection, sheet by sheet, in input order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    audit: AuditInfo
    employers: tuple[Employer, ...]
    workers: tuple[Worker, ...]
    contracts: tuple[Contract, ...] = ()
    fees: tuple[Fee, ...] = ()
    intermediaries: tuple[Intermediary, ...] = ()
    channels: tuple[Channel, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    fx: tuple[FxRate, ...] = ()
    sources: tuple[Source, ...] = ()

    _provenance: Provenance | None = PrivateAttr(default=None)
    _digest: str | None = PrivateAttr(default=None)

    # -- construction -----------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditDataset:
        """Build from plain dicts with the format's field names, validating everything.

        ``data`` has an ``audit`` object and one list per sheet (``workers``,
        ``fees``, ``fx``...). Raises :class:`auditor.InvalidInput` listing
        every problem with a JSON-style location (``fees[3].amount``).
        """
        return _registered().from_dict(data)

    @classmethod
    def from_json(cls, text: str | bytes) -> AuditDataset:
        """Build from JSON text; numbers are read as exact decimals, never floats."""
        return _registered().from_json(text)

    # -- provenance -------------------------------------------------------
    @property
    def provenance(self) -> Provenance:
        """Cells of every record: real ones for a workbook, the template's otherwise."""
        if self._provenance is None:
            counts = {spec.name: len(getattr(self, spec.key)) for spec in TABLE_SHEETS}
            self._provenance = canonical_provenance(counts)
        return self._provenance

    def with_provenance(self, provenance: Provenance, digest: str | None = None) -> AuditDataset:
        """Attach where the records came from (done by readers)."""
        self._provenance = provenance
        self._digest = digest
        return self

    @property
    def input_sha256(self) -> str:
        """SHA-256 of the workbook's bytes, of the dicts or JSON as given (canonical JSON),
        or, for records built in Python, of this dataset's canonical JSON."""
        if self._digest is None:
            self._digest = hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
        return self._digest

    def canonical_json(self) -> str:
        """The dataset as JSON with sorted keys and no spaces; decimals written exactly."""
        return canonical_json(self.model_dump(mode="python"))

    def reordered(self, sheet_key: str, order: Sequence[int]) -> AuditDataset:
        """The same dataset with one sheet's records in another order, cells travelling along.

        Used by the order-independence properties: a shuffled workbook must
        give the same findings with the same evidence cells. It is another
        input, so its digest is its own.
        """
        records: tuple[Record, ...] = getattr(self, sheet_key)
        moved = tuple(records[i] for i in order)
        copy = self.model_copy(update={sheet_key: moved})
        name = next(spec.name for spec in TABLE_SHEETS if spec.key == sheet_key)
        copy._provenance = self.provenance.reordered(name, list(order))
        return copy

    # -- equality -----------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        # Two datasets are equal when their records are; where they were read
        # from (cells, file digest) is not part of the content.
        if not isinstance(other, AuditDataset):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in type(self).model_fields)

    __hash__ = None  # type: ignore[assignment]
