"""What the load balancer asks: is the database there, and the broker when there is one."""

from django.conf import settings
from django.db import connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True


def broker_ok() -> bool | None:
    """None when tasks run in-process (no broker to check)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    from citizen_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True


def report() -> tuple[dict, bool]:
    checks = {"database": database_ok()}
    broker = broker_ok()
    if broker is not None:
        checks["broker"] = broker
    healthy = all(checks.values())
    return {"status": "ok" if healthy else "error", **checks}, healthy
