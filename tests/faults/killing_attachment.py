"""An attachment builder that takes its worker down, as an out-of-memory PDF does.

The faults' Celery worker imports this module (``--include``), so that a message of
the test can name the builder as a real one is named: registered, by a short name.
"""

import os
import signal

from notifications.attachments import attachment_builder_register

KILLING_ATTACHMENT = "test-kill-this-worker"


def kill_this_worker(_pk: int):
    os.kill(os.getpid(), signal.SIGKILL)


attachment_builder_register(KILLING_ATTACHMENT, kill_this_worker)
