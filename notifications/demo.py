"""The demo's messages dated over the past weeks: ``seed_demo`` writes its citizen's
history today, through the public services, then moves the dates back with these.

Demo-only: production never dates a message back, so these live apart from
notifications/services.py, and only demo/ may import this module
(tests/notifications/test_outbox_boundary.py); the Message rows stay the notifications
app's own."""

from datetime import datetime

from accounts.models import User
from notifications import unread
from notifications.models import Message


def message_backdate(*, dedupe_key: str, moment: datetime) -> int:
    """Date a message as if written and sent at ``moment``."""
    return Message.objects.filter(dedupe_key=dedupe_key).update(
        created_at=moment, send_after=moment, sent_at=moment
    )


def messages_mark_read_before(*, account: User, before: datetime, read_at: datetime) -> int:
    """Mark read what the demo's citizen received before ``before``."""
    count = Message.objects.filter(
        account=account, read_at__isnull=True, send_after__lt=before
    ).update(read_at=read_at)
    unread.forget([account.pk])
    return count
