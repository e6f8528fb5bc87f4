"""The number beside « Mes messages », kept in the cache between two changes.

It is on every page a citizen opens, and changes only when a message is written,
read or deleted, or when a reminder's time comes: the cached count carries the
moment the next reminder becomes visible and expires then.
"""

from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from notifications.models import Message, visible_at

# A safety net for a change that bypassed forget() (a raw update in a shell).
MAX_AGE = 10 * 60


def cache_key(account_id: int) -> str:
    return f"unread-messages:{account_id}"


def unread_count(account) -> int:
    """Messages the citizen may read and has not opened yet. The cached count expires
    when the next reminder becomes visible (or within MAX_AGE)."""
    key = cache_key(account.pk)
    count = cache.get(key)
    if count is None:
        now = timezone.now()
        count, next_due = counted(account, now)
        lifetime = MAX_AGE if next_due is None else (next_due - now).total_seconds()
        cache.set(key, count, timeout=max(1, min(MAX_AGE, int(lifetime))))
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
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
