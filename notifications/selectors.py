"""Reads of the outbox that other apps and views need: no one else queries ``Message``.

The outbox decides what a citizen may see (a reminder before its time is hidden),
so the apps that show or export messages ask here rather than filter rows themselves.
"""

from django.db.models import QuerySet

from accounts.models import User
from notifications.models import Message, MessageStatus


def inbox(*, account: User) -> QuerySet[Message]:
    """« Mes messages »: what the citizen may read now, newest first."""
    return Message.objects.for_account(account).visible().order_by("-send_after", "-pk")


def messages_about(*, topic: str) -> QuerySet[Message]:
    """What the citizen may read now about one object (notifications.topics), newest
    first: the anonymous tracking page's list."""
    return Message.objects.filter(topic=topic).visible().order_by("-send_after")


def messages_of_account(*, account: User) -> QuerySet[Message]:
    """Every message of the account, sent or not, oldest first: the data export."""
    return Message.objects.for_account(account).order_by("send_after")


def failed_messages_count() -> int:
    """How many messages wait for a resend: what ``resend_notifications`` reports."""
    return Message.objects.filter(status=MessageStatus.FAILED).count()
