"""The shared cache (Redis in production) as the portal uses it: a speed-up, never a
dependency. A call that fails is logged and answered as a miss, so that a Redis outage
costs queries, not pages, and never undoes the change that was clearing an entry.

After a failure, reads and writes are skipped for ten seconds (``cache_pause``): a
Redis that hangs costs one page ``CACHE_SOCKET_TIMEOUT``, not every key of every page.
Deletions and increments are still tried: they keep other processes' copies true."""

import logging

from django.core.cache import cache

from common.pause import Pause

log = logging.getLogger(__name__)
cache_pause = Pause(10.0)


def failed(action: str, key) -> None:
    cache_pause.start()
    log.warning("shared cache: %s %s failed", action, key, exc_info=True)


def get(key: str, default=None):
    if cache_pause.active():
        return default
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 - any cache backend's connection error
        failed("get", key)
        return default


def set(key: str, value, timeout: float | None) -> None:  # noqa: A001 - the cache's own word
    if cache_pause.active():
        return
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        failed("set", key)


def add(key: str, value, timeout: float | None) -> bool:
    """True when the key was missing and is now set."""
    if cache_pause.active():
        return False
    try:
        return cache.add(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        failed("add", key)
        return False


def incr(key: str) -> None:
    """Add one; a missing key starts at 1."""
    try:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)
    except Exception:  # noqa: BLE001
        failed("incr", key)


def delete_many(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001
        failed("delete", keys)
