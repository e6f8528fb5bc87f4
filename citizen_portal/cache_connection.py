"""The shared cache (Redis in production) as the portal configures it: a speed-up, never
a dependency.

django-redis answers a call that fails as a miss (``IGNORE_EXCEPTIONS``), so that a
Redis outage costs queries, not pages. What it does not do is remember the failure: a
Redis that hangs (accepts connections, never answers) would cost every key of every
page its whole socket timeout. The connection below starts a pause (common/pause.py)
when a call fails, and during it refuses at once instead of connecting: one
page pays one timeout, the next ten seconds pay nothing, then Redis is tried again.
"""

import logging

from redis.connection import Connection, ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from common.pause import Pause

log = logging.getLogger(__name__)
cache_pause = Pause(10.0)
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


def shared_cache(location: str, timeout: int) -> dict:
    """The ``CACHES`` entry of the shared cache at ``location`` (a redis:// URL), whose
    connect and read each give up after ``timeout`` seconds."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "CONNECTION_POOL_CLASS": "citizen_portal.cache_connection.PausingConnectionPool",
            "SOCKET_CONNECT_TIMEOUT": timeout,
            "SOCKET_TIMEOUT": timeout,
            "IGNORE_EXCEPTIONS": True,
        },
    }


def failed(error: Exception) -> None:
    """Leave the cache alone for a while, and say so once, not once per key."""
    if not cache_pause.active():
        log.warning("shared cache: %s; left alone for %.0f s", error, cache_pause.seconds)
    cache_pause.start()


class PausingConnection(Connection):
    """A Redis connection that does not try while the cache is paused."""

    def connect_check_health(self, *args, **kwargs):
        if cache_pause.active():
            raise RedisConnectionError("shared cache paused after a failure")
        try:
            return super().connect_check_health(*args, **kwargs)
        except FAILURES as error:
            failed(error)
            raise

    def send_packed_command(self, *args, **kwargs):
        if cache_pause.active():
            self.disconnect()
            raise RedisConnectionError("shared cache paused after a failure")
        try:
            return super().send_packed_command(*args, **kwargs)
        except FAILURES as error:
            failed(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except FAILURES as error:
            failed(error)
            raise


class PausingConnectionPool(ConnectionPool):
    """django-redis builds its pool from a URL: this is how it gets our connection."""

    def __init__(self, connection_class=PausingConnection, **kwargs):
        super().__init__(connection_class=connection_class, **kwargs)
