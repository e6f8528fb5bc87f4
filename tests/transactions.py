"""A change left uncommitted in another thread: what a page reads in the meantime."""

import threading
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def uncommitted(change):
    """Run ``change`` in another thread, inside a transaction kept open until the block
    ends, as a request or the admin does between its writes and its commit."""
    done, commit = threading.Event(), threading.Event()

    def run():
        try:
            with transaction.atomic():
                change()
                done.set()
                commit.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert done.wait(10), "the change did not run"
    try:
        yield
    finally:
        commit.set()
        thread.join()
