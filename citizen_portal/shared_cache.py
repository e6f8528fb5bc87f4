"""The shared cache (Redis in production) as the portal uses it: a speed-up, never a
dependency. A call that fails is logged and answered as a miss, so that a Redis outage
costs queries, not pages, and never undoes the change that was clearing an entry."""

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 - any cache backend's connection error
        log.warning("shared cache: get %s failed", key, exc_info=True)
        return default


def set(key: str, value, timeout: float | None) -> None:  # noqa: A001 - the cache's own word
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        log.warning("shared cache: set %s failed", key, exc_info=True)


def add(key: str, value, timeout: float | None) -> bool:
    """True when the key was missing and is now set."""
    try:
        return cache.add(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        log.warning("shared cache: add %s failed", key, exc_info=True)
        return False


def incr(key: str) -> None:
    """Add one; a missing key starts at 1."""
    try:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)
    except Exception:  # noqa: BLE001
        log.warning("shared cache: incr %s failed", key, exc_info=True)


def delete_many(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001
        log.warning("shared cache: delete %s failed", keys, exc_info=True)
