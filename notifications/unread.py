"""The number beside « Mes messages », kept in the cache between two changes.

It is on every page a citizen opens, and changes only when a message is written,
read or deleted, or when a reminder's time comes: the cached count carries the
moment the next reminder becomes visible and expires then.
"""

import logging
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from notifications.models import Message, visible_at

log = logging.getLogger(__name__)

# A safety net for a change that bypassed forget() (a raw update in a shell).
MAX_AGE = 10 * 60


def cache_key(account_id: int) -> str:
    return f"unread-messages:{account_id}"


def unread_count(account) -> int:
    """Messages the citizen may read and has not opened yet."""
    key = cache_key(account.pk)
    now = timezone.now()
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - without the cache, the page still counts
        log.warning("unread count: the cache does not answer", exc_info=True)
        return counted(account, now)[0]
    if cached is not None:
        count, expires = cached
        if expires is None or now < expires:
            return count
    count, next_due = counted(account, now)
    lifetime = MAX_AGE if next_due is None else min(MAX_AGE, (next_due - now).total_seconds())
    try:
        cache.set(key, (count, next_due), timeout=max(1, int(lifetime)))
    except Exception:  # noqa: BLE001 - counted all the same
        log.warning("unread count: the cache does not answer", exc_info=True)
    return count


def counted(account, now: datetime) -> tuple[int, datetime | None]:
    """One query: the unread visible messages, and when the next reminder shows."""
    visible = visible_at(now)
    totals = (
        Message.objects.for_account(account)
        .filter(read_at=None)
        .aggregate(count=Count("pk", filter=visible), next_due=Min("send_after", filter=~visible))
    )
    return totals["count"], totals["next_due"]


def forget(account_ids) -> None:
    """Drop the cached counts now and once the transaction commits: a page read in
    between would otherwise cache the count from before the change."""
    keys = [cache_key(pk) for pk in set(account_ids) if pk is not None]
    if keys:
        delete(keys)
        transaction.on_commit(lambda: delete(keys))


def delete(keys: list[str]) -> None:
    """A cache outage must not undo the change that wrote or read the message; the
    counts it could not clear expire within MAX_AGE."""
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - any cache backend's connection error
        log.warning("unread count: the cache does not answer", exc_info=True)
