"""The outbox: queue a message with the change that causes it, deliver it once."""

import logging
import time
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from common.mail import render_mail
from common.queueing import delay_quietly
from notifications import unread
from notifications.attachments import attachment_build
from notifications.models import Message, MessageKind, MessageStatus

log = logging.getLogger(__name__)

# A claim older than this means the worker died while sending: the message goes back.
# The delivery task's hard time limit (tasks.py) is shorter, so no live worker holds one.
STALE_CLAIM = timedelta(minutes=10)
REQUEUE_BATCH = 500
# The SMTP server has the mail: marking it sent is tried again on a fresh connection
# rather than left to the stale claim, which would send it a second time.
MARK_SENT_TRIES = 3
INTERRUPTED = (
    "Envoi interrompu à chaque tentative ({attempts}) : le processus d'envoi s'est arrêté "
    "avant de conclure (mémoire épuisée, arrêt forcé). Message abandonné."
)


def render(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of ``templates/notifications/<template>*``."""
    context = {"town": settings.TOWN, "site_url": settings.SITE_URL, **context}
    return render_mail(f"notifications/{template}", context)


def message_queue(
    *,
    kind: MessageKind,
    template: str,
    context: dict,
    to_email: str,
    account: User | None = None,
    topic: str = "",
    send_after: datetime | None = None,
    dedupe_key: str | None = None,
    attachment: tuple[str, str, int] | None = None,
) -> Message | None:
    """Write the message in the caller's transaction; it leaves once that commits.

    ``attachment`` is (file name, name of a builder registered in notifications.attachments,
    the id it takes): built at send time, so the row stays small.
    """
    if not to_email:
        return None
    if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    subject, text, html = render(template, {"kind_label": MessageKind(kind).label, **context})
    name, builder, arg = attachment or ("", "", None)
    message = Message.objects.create(
        kind=kind,
        account=account,
        topic=topic,
        dedupe_key=dedupe_key,
        to_email=to_email,
        subject=subject[:255],
        body_text=text,
        body_html=html,
        attachment_name=name,
        attachment_builder=builder,
        attachment_arg=arg,
        send_after=send_after or timezone.now(),
    )
    if message.send_after <= timezone.now():
        transaction.on_commit(lambda: enqueue(message.pk))
    unread.forget([message.account_id])
    return message


def enqueue(pk: int) -> None:
    """Hand the message to Celery; if the broker is down, the periodic re-queue will."""
    from notifications import tasks

    delay_quietly(tasks.deliver_message, pk)


def message_claim(pk: int, *, now: datetime | None = None) -> bool:
    """Take the message for sending; False when another worker has it or it is not due."""
    now = now or timezone.now()
    claimed = Message.objects.filter(
        pk=pk, status=MessageStatus.PENDING, send_after__lte=now
    ).update(status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def retry_delay(attempts: int) -> int:
    """Exponential backoff: base, 2×base, 4×base… seconds."""
    return settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)


def message_id(message: Message) -> str:
    """The same for every sending of one row: a duplicate (at-least-once) is recognisable,
    and mail clients that see it twice show it once."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox-{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def build_email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "Message-ID": message_id(message),
        },
    )
    email.attach_alternative(message.body_html, "text/html")
    if message.attachment_builder and message.attachment_arg is not None:
        name, content, mimetype = attachment_build(
            message.attachment_builder, message.attachment_arg
        )
        email.attach(name, content, mimetype)
    return email


def message_deliver(pk: int) -> tuple[str, int]:
    """Send one message: ("sent" | "skipped" | "retry" | "failed", seconds before retrying)."""
    if not message_claim(pk):
        return "skipped", 0
    message = Message.objects.get(pk=pk)
    try:
        build_email(message).send()
    except Exception as error:  # noqa: BLE001 - SMTP, network or a broken builder alike
        return message_failed(message, error)
    message_mark_sent(pk)
    return "sent", 0


def message_mark_sent(pk: int) -> None:
    """Record the delivery, on a new connection if the database dropped the old one."""
    for attempt in range(1, MARK_SENT_TRIES + 1):
        try:
            Message.objects.filter(pk=pk).update(
                status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
            )
            return
        except DatabaseError:
            if attempt == MARK_SENT_TRIES or connection.in_atomic_block:
                raise
            log.warning("notification %s sent but not yet marked: reconnecting", pk)
            connection.close()
            time.sleep(0.5 * attempt)


def message_failed(message: Message, error: Exception) -> tuple[str, int]:
    text = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error=text)
        log.error(
            "notification %s failed after %s attempts: %s", message.pk, message.attempts, text
        )
        return "failed", 0
    delay = retry_delay(message.attempts)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.PENDING,
        send_after=timezone.now() + timedelta(seconds=delay),
        last_error=text,
    )
    # Out of « Mes messages » until the retry: out of the header's count too.
    unread.forget([message.account_id])
    return "retry", delay


def messages_requeue(*, now: datetime | None = None) -> int:
    """Queue what is due and unsent: lost tasks, dead workers, reminders whose time has come."""
    now = now or timezone.now()
    messages_abandon_interrupted(now=now)
    Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=MessageStatus.PENDING
    )
    due = list(
        Message.objects.filter(status=MessageStatus.PENDING, send_after__lte=now)
        .order_by("send_after")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    for pk in due:
        enqueue(pk)
    return len(due)


def messages_abandon_interrupted(*, now: datetime) -> int:
    """A message whose last allowed attempt ended with its worker (attempts are counted
    when claimed) is failed with the reason, not claimed again: a message that kills its
    worker (an out-of-memory PDF) would otherwise kill one every ten minutes, forever."""
    poisoned = list(
        Message.objects.filter(
            status=MessageStatus.SENDING,
            claimed_at__lt=now - STALE_CLAIM,
            attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS,
        ).values_list("pk", "attempts")
    )
    for pk, attempts in poisoned:
        Message.objects.filter(pk=pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.FAILED, last_error=INTERRUPTED.format(attempts=attempts)
        )
        log.error("notification %s failed: its sending was interrupted %s times", pk, attempts)
    return len(poisoned)


@transaction.atomic
def messages_resend(*, pks: list[int] | None = None) -> int:
    """Give failed messages another round of attempts (admin action, ops command)."""
    failed = Message.objects.filter(status=MessageStatus.FAILED)
    if pks is not None:
        failed = failed.filter(pk__in=pks)
    chosen = list(failed.values_list("pk", flat=True))
    Message.objects.filter(pk__in=chosen).update(
        status=MessageStatus.PENDING, attempts=0, send_after=timezone.now(), last_error=""
    )
    for pk in chosen:
        transaction.on_commit(partial(enqueue, pk))
    return len(chosen)


def message_mark_read(*, message: Message) -> None:
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at=None).update(read_at=timezone.now())
        unread.forget([message.account_id])


def sent_messages_to_purge(*, now: datetime | None = None):
    """Sent messages are kept a year (SENT_MESSAGE_RETENTION_DAYS), then deleted."""
    days = settings.SENT_MESSAGE_RETENTION_DAYS
    limit = (now or timezone.now()) - timedelta(days=days)
    return Message.objects.filter(status=MessageStatus.SENT, sent_at__lt=limit)


def sent_messages_purge(*, now: datetime | None = None) -> int:
    """Delete what the retention period is over for; unread ones leave the badge too."""
    messages = sent_messages_to_purge(now=now)
    accounts = messages.filter(read_at=None).values_list("account_id", flat=True).distinct()
    unread.forget(list(accounts))
    return messages.delete()[0]


def failed_messages_to_purge(*, now: datetime | None = None):
    """Failed messages are kept FAILED_MESSAGE_RETENTION_DAYS for the clerks to look into."""
    limit = (now or timezone.now()) - timedelta(days=settings.FAILED_MESSAGE_RETENTION_DAYS)
    return Message.objects.filter(status=MessageStatus.FAILED, created_at__lt=limit)


def failed_messages_purge(*, now: datetime | None = None) -> int:
    messages = failed_messages_to_purge(now=now)
    accounts = messages.filter(read_at=None).values_list("account_id", flat=True).distinct()
    unread.forget(list(accounts))
    return messages.delete()[0]


def messages_delete_for_account(*, account: User) -> int:
    """Every message of an account whose data is erased (privacy.shredder)."""
    unread.forget([account.pk])
    return Message.objects.for_account(account).delete()[0]


def messages_delete_about(*, topics: list[str]) -> int:
    """The messages about objects being deleted (notifications.topics), with their badge."""
    messages = Message.objects.filter(topic__in=topics)
    accounts = messages.filter(read_at=None).values_list("account_id", flat=True).distinct()
    unread.forget(list(accounts))
    return messages.delete()[0]


def messages_withdraw_pending(*, dedupe_keys: list[str]) -> int:
    """Delete messages not yet sent (a reminder of an appointment cancelled or moved):
    what was sent stays in « Mes messages »."""
    messages = Message.objects.filter(dedupe_key__in=dedupe_keys, status=MessageStatus.PENDING)
    accounts = messages.values_list("account_id", flat=True).distinct()
    unread.forget(list(accounts))
    return messages.delete()[0]
