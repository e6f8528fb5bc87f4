"""A lock wait that runs out is « réessayez dans un instant » (503), never a 500.

On the embedded default (SQLite) a writer waits up to SQLITE_BUSY_TIMEOUT seconds for the
database's single write lock; on PostgreSQL a web request waits up to
DATABASE_LOCK_TIMEOUT seconds for a row lock. When the wait runs out, the view's atomic
block has already rolled back, so nothing is half-saved: the citizen is told to send again
in a moment, with a Retry-After for the machines."""

import logging
import sqlite3

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def is_lock_timeout(exception: BaseException) -> bool:
    """SQLite's « database is locked », or PostgreSQL's lock_timeout (LockNotAvailable)."""
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    if isinstance(cause, sqlite3.OperationalError):
        return "locked" in str(cause) or "busy" in str(cause)
    try:
        from psycopg.errors import LockNotAvailable
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(cause, LockNotAvailable)


def busy_response() -> HttpResponse:
    # Without the request's context processors, as the 500: the database is what is busy.
    page = loader.render_to_string("503.html", {"town": settings.TOWN})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class LockTimeoutMiddleware:
    """Turns a lock wait that ran out, anywhere in a view, into the portal's 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_lock_timeout(exception):
            return None
        logger.warning(
            "Verrou de base de données non obtenu à temps : %s %s", request.method, request.path
        )
        return busy_response()
