"""Files that follow their rows: written only if their transaction commits, deleted after
the commit that deletes their row.

A file is written to the storage as soon as its row is saved, before the transaction
commits: if the transaction then fails, the row is gone and the file stays, named by
nothing. ``atomic_with_files`` is ``transaction.atomic`` that deletes, when it fails, the
files saved inside it (``file_written`` records them). A file deleted with its row goes
only once the deletion has committed: a transaction that rolls back keeps both.

What slips through (a write outside any ``atomic_with_files``, a crash in between) is
swept by ``manage.py purge``, once no row names the file and it is a day old.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

log = logging.getLogger(__name__)

# The files written inside the innermost open ``atomic_with_files``: (storage, name).
_written: ContextVar[list | None] = ContextVar("files_written", default=None)


def file_written(storage, name: str) -> None:
    """A row saved its file: forget the file if the enclosing transaction fails."""
    written = _written.get()
    if written is not None and name:
        written.append((storage, name))


def file_delete(storage, name: str) -> None:
    """Delete quietly: a file already gone is what we wanted."""
    try:
        storage.delete(name)
    except OSError:  # A disk error must not undo a deletion that committed; purge retries.
        log.warning("file %s not deleted", name)


def file_delete_on_commit(storage, name: str) -> None:
    """The row is being deleted: the file goes once that is committed."""
    if name:
        transaction.on_commit(lambda: file_delete(storage, name), robust=True)


@contextmanager
def atomic_with_files(using=None):
    """``transaction.atomic`` that also deletes the files saved inside it when it fails."""
    written: list = []
    token = _written.set(written)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        for storage, name in written:
            file_delete(storage, name)
        raise
    finally:
        _written.reset(token)
    outer = _written.get()
    if outer is not None:
        # An enclosing block may still fail: it answers for these files now.
        outer.extend(written)
