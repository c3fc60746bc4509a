"""Start Django from the environment, and bring the database up to date on first use.

``web.md``: migrations run whenever a command of the service first opens
the database, so ``auditor users create`` works before the first
``auditor serve``. Two processes starting at once may both migrate: on
PostgreSQL an advisory lock makes the second wait; on SQLite the
IMMEDIATE transactions do.
"""

from __future__ import annotations

import os
import threading

_started = threading.Event()
_lock = threading.Lock()
_MIGRATION_LOCK = 74127  # PostgreSQL advisory-lock key; any constant the service alone uses


def start(*, migrate: bool = True) -> None:
    """Configure Django once per process and, unless told not to, apply pending migrations."""
    with _lock:
        if _started.is_set():
            return
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditor.service.settings")
        # The pages' .mo files of a checkout whose .po changed since (catalogues.py).
        from auditor.service.catalogues import ensure_compiled

        ensure_compiled()
        import django

        django.setup()
        if migrate:
            _migrate()
        _started.set()


def _migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_MIGRATION_LOCK])
            try:
                call_command("migrate", interactive=False, verbosity=0)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATION_LOCK])
    else:
        # Two processes starting at once on a fresh SQLite file would both create the tables
        # (and one would die): a file lock beside the database makes the second wait.
        import fcntl

        lock_path = f"{connection.settings_dict['NAME']}.migrate-lock"
        with os.fdopen(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600), "r+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                call_command("migrate", interactive=False, verbosity=0)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
