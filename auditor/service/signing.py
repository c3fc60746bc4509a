"""The offices' signing keys, as ``auditor offices key`` manages them (web.md 1.1).

Keys live in the data folder (``keys/<office>.p12``, 0600, beside the
certificate), never in the database and never in a log: the library
(:mod:`auditor.issuing`) writes and reads them; this module only checks that
the office exists and points the library at the data folder.
"""

from __future__ import annotations

from pathlib import Path

from auditor.errors import UsageError
from auditor.issuing import generate_office_key, import_office_key
from auditor.service import accounts, jobs


def generate_key(code: str) -> Path:
    """A new key and self-signed certificate for the office; the certificate's path."""
    office = accounts.office(code)
    made = generate_office_key(jobs.CONFIG.data_dir, office.code, common_name=office.name)
    return made.certificate_path


def import_key(code: str, p12_file: Path, password: str | None) -> Path:
    """The office's key from a PKCS#12 file of a real authority; the certificate's path."""
    office = accounts.office(code)
    try:
        data = p12_file.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {p12_file}: {error.strerror}") from None
    made = import_office_key(jobs.CONFIG.data_dir, office.code, data, password)
    return made.certificate_path
