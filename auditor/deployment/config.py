"""Where the service keeps its data, and the secret it signs sessions with.

Every setting comes from the environment (``web.md``: never from code
edits). This module is the only reader of ``AUDITOR_*`` variables, so the
Django settings, the job workers and the command line agree on them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = "auditor-data"
_SECRET_FILE = "secret_key"


@dataclass(frozen=True)
class ServiceConfig:
    """The service's settings, read once from the environment."""

    data_dir: Path
    database_url: str | None
    queue_url: str | None
    allowed_hosts: tuple[str, ...]
    workers: int
    #: Seconds an audit may run in its isolated process before it ends ``failed``.
    audit_timeout_s: float
    #: A running job whose heartbeat is older than this is taken to have lost its worker.
    stale_after_s: float
    #: How often a running job's worker writes its heartbeat.
    heartbeat_s: float
    #: A queued job whose queue message is older than this is sent again (the queue may lose it).
    requeue_after_s: float
    #: The base URL issued reports print for verification (``AUDITOR_PUBLIC_URL``), or none.
    public_url: str | None = None
    #: Queued uploads an office may hold before the next is refused (429 ``queue_full``).
    max_queued: int = 50
    #: Peers whose ``X-Forwarded-For`` names the client (a TLS proxy in front of ``serve``).
    trusted_proxies: tuple[str, ...] = ()

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def audits_dir(self) -> Path:
        return self.data_dir / "audits"


def read_config() -> ServiceConfig:
    """The settings in force, from ``AUDITOR_*`` variables with the defaults of ``web.md``."""
    env = os.environ
    cores = os.cpu_count() or 2
    return ServiceConfig(
        data_dir=Path(env.get("AUDITOR_DATA_DIR") or DEFAULT_DATA_DIR).resolve(),
        database_url=env.get("AUDITOR_DATABASE_URL") or None,
        queue_url=env.get("AUDITOR_QUEUE_URL") or None,
        allowed_hosts=tuple(
            host.strip()
            for host in (env.get("AUDITOR_ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",")
            if host.strip()
        ),
        workers=max(1, int(env.get("AUDITOR_WORKERS") or max(1, cores - 1))),
        audit_timeout_s=float(env.get("AUDITOR_AUDIT_TIMEOUT_S") or 900),
        stale_after_s=float(env.get("AUDITOR_STALE_AFTER_S") or 30),
        heartbeat_s=float(env.get("AUDITOR_HEARTBEAT_S") or 3),
        requeue_after_s=float(env.get("AUDITOR_REQUEUE_AFTER_S") or 60),
        public_url=(env.get("AUDITOR_PUBLIC_URL") or "").strip().rstrip("/") or None,
        max_queued=max(1, int(env.get("AUDITOR_MAX_QUEUED") or 50)),
        trusted_proxies=tuple(
            address.strip()
            for address in (env.get("AUDITOR_TRUSTED_PROXIES") or "").split(",")
            if address.strip()
        ),
    )


def private_folder(path: Path) -> Path:
    """``path`` created readable by its owner only (a folder that exists keeps its mode)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """``path`` created empty and readable by its owner only, unless it exists.

    The SQLite files hold password hashes, token digests and what the
    audits found; SQLite would create them readable by everyone (0644),
    and gives its ``-wal`` and ``-shm`` files the mode of the database.
    An empty file is an empty SQLite database.
    """
    private_folder(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def secret_key(config: ServiceConfig) -> str:
    """``AUDITOR_SECRET_KEY``, or one generated once and kept in a file only its owner may read."""
    given = os.environ.get("AUDITOR_SECRET_KEY")
    if given:
        return given
    private_folder(config.data_dir)
    path = config.data_dir / _SECRET_FILE
    try:
        # O_EXCL: two processes starting at once agree on the first key written.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _written_key(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="ascii").strip()


def _written_key(path: Path) -> str:
    """The key another process created, once it has finished writing it."""
    import time

    for _ in range(50):
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.05)
    raise RuntimeError(f"{path} is empty: delete it and start again")


def check_writable(folder: Path) -> str | None:
    """One sentence saying why the service cannot keep files in ``folder`` (read-only, full,
    not its own), or ``None`` when a small file can be written and synced there: said at
    ``serve`` and ``worker`` start rather than as an error on the first upload."""
    try:
        private_folder(folder)
        probe = folder / f".write-probe-{os.getpid()}"
        try:
            with probe.open("wb") as handle:
                handle.write(b"\0" * 65536)
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            probe.unlink(missing_ok=True)
    except OSError as error:
        why = {
            errno.ENOSPC: "it is full",
            errno.EDQUOT: "its disk quota is used up",
            errno.EROFS: "it is on a read-only file system",
            errno.EACCES: "this user may not write there",
            errno.EPERM: "this user may not write there",
        }.get(error.errno or 0, f"writing there failed ({error.strerror})")
        return f"the data folder {folder} cannot be used: {why}"
    return None
