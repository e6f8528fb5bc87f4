"""Queue a Celery task once the transaction commits, without ever failing the request.

A broker that hangs costs one publish of ``BROKER_TIMEOUT`` seconds (settings), then
this process stops trying for ten seconds (``broker_pause``): a page that queues two
tasks, or the next pages of the same worker, do not each wait again. What could
not be queued is already in the database (the outbox), and the beat re-queues it.
"""

import logging

from django.db import transaction

from common.pause import Pause

log = logging.getLogger(__name__)

# After a failed publish, this process does not try again for this long.
broker_pause = Pause(10.0)


def delay_quietly(task, *args) -> bool:
    """``task.delay(*args)`` tried once; False, logged, when the broker did not take it."""
    if broker_pause.active():
        log.warning("task %s%r not queued: broker unreachable a moment ago", task.name, args)
        return False
    try:
        task.apply_async(args, retry=False)
    except Exception:  # noqa: BLE001 - the broker's failure is not the citizen's
        if not task.app.conf.task_always_eager:  # In-process, the task itself failed.
            broker_pause.start()
        log.warning("task %s%r not queued: broker unreachable", task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """After commit, ``task.delay(*args)``; a broker that is down is logged, not raised.

    An exception in an on-commit callback would reach the citizen as an error page
    although their change is saved; what must not be lost goes through an outbox.
    """

    transaction.on_commit(lambda: delay_quietly(task, *args))
