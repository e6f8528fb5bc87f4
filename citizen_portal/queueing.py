"""Queue a Celery task once the transaction commits, without ever failing the request."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def delay_quietly(task, *args) -> bool:
    """``task.delay(*args)``; False, logged, when the broker is unreachable."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - the broker's failure is not the citizen's
        log.warning("task %s%r not queued: broker unreachable", task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """After commit, ``task.delay(*args)``; a broker that is down is logged, not raised.

    An exception in an on-commit callback would reach the citizen as an error page
    although their change is saved; what must not be lost goes through an outbox.
    """

    transaction.on_commit(lambda: delay_quietly(task, *args))
