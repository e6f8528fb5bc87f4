"""One run at a time of an ops command, across processes and machines.

PostgreSQL: a session advisory lock, released by the database if the process dies.
SQLite (the embedded default, one machine): an exclusive lock on a file under
``VAR_DIR``, released by the system if the process dies. Neither ever waits.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


class Busy(Exception):
    """Another process holds the lock."""


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Hold the lock ``name`` for the block; Busy at once when another process has it."""
    holder = advisory_lock if connection.vendor == "postgresql" else file_lock
    with holder(name):
        yield


@contextmanager
def advisory_lock(name: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [name])
        if not cursor.fetchone()[0]:
            raise Busy(name)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])


@contextmanager
def file_lock(name: str) -> Iterator[None]:
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(name) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
