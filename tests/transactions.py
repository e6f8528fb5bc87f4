"""A change left uncommitted in another thread: what a page reads in the meantime."""

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction


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


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is checked on PostgreSQL (CI runs it).")


def run_together(*targets, timeout: float = 60) -> list[Exception]:
    """Start every target at the same instant, each in its own thread and connection."""
    barrier = threading.Barrier(len(targets))
    errors: list[Exception] = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
