"""What the load balancer asks: is the database there, and the broker when there is one.

Each check runs in a thread of its own and the answer does not wait for it beyond
``HEALTH_CHECK_TIMEOUT``: a dependency that accepts connections but never answers
makes /sante/ say which part is failing, in time, instead of hanging the worker.
A check left behind ends by itself (connect and socket timeouts, settings).
"""

import threading
import time

from django.conf import settings
from django.db import connections


def database_ok() -> bool:
    """A new connection (this thread's own), so that a dead persistent one is not reused."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    finally:
        connections.close_all()
    return True


def broker_ok() -> bool:
    from citizen_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.BROKER_TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True


class Check(threading.Thread):
    """One check in a daemon thread; ``ok`` stays False until it answers yes."""

    def __init__(self, name: str, check):
        super().__init__(name=f"health-{name}", daemon=True)
        self.check, self.ok = check, False

    def run(self) -> None:
        self.ok = self.check()


def report() -> tuple[dict, bool]:
    checks = {"database": Check("database", database_ok)}
    if not settings.CELERY_TASK_ALWAYS_EAGER:  # No broker when tasks run in-process.
        checks["broker"] = Check("broker", broker_ok)
    deadline = time.monotonic() + settings.HEALTH_CHECK_TIMEOUT
    for check in checks.values():
        check.start()
    for check in checks.values():
        check.join(max(0.0, deadline - time.monotonic()))
    results = {name: check.ok for name, check in checks.items()}
    healthy = all(results.values())
    return {"status": "ok" if healthy else "error", **results}, healthy
