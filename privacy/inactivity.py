"""Accounts unused for ACCOUNT_INACTIVITY_DAYS: a mail ACCOUNT_DELETION_NOTICE_DAYS
before, then the account goes as a closure does (``privacy.shredder``).

Activity is the last login (the registration for an account never used). A login
after the mail cancels the deletion: the notice no longer counts. An account with a
request still open, or a card payment running, is left alone: the town still works
for that person.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from notifications.models import MessageKind
from notifications.services import message_queue
from notifications.topics import ACCOUNT_CLOSED, ACCOUNT_INACTIVE
from payments.models import BasketState, Payment, PaymentState
from privacy.models import DeletionNotice
from privacy.shredder import account_shred, kept_after_closure
from procedures.models import OPEN_STATES, Request


def citizens_left_alone():
    """Citizens whose deletion waits: an open request or a payment running."""
    open_request = Request.objects.filter(account=OuterRef("pk"), state__in=OPEN_STATES)
    running = Payment.objects.filter(household__account=OuterRef("pk")).filter(
        Q(state=PaymentState.PENDING) | Q(basket__state=BasketState.CHECKOUT)
    )
    return Q(Exists(open_request)) | Q(Exists(running))


def citizens_by_activity():
    return User.objects.citizens().alias(last_active=Coalesce("last_login", "date_joined"))


def accounts_to_warn(*, now=None):
    """Unused for the period minus the notice, and not yet warned since their last login."""
    now = now or timezone.now()
    days = settings.ACCOUNT_INACTIVITY_DAYS - settings.ACCOUNT_DELETION_NOTICE_DAYS
    warned = DeletionNotice.objects.filter(
        account=OuterRef("pk"), sent_at__gt=OuterRef("last_active")
    )
    return (
        citizens_by_activity()
        .filter(last_active__lt=now - timedelta(days=days))
        .exclude(Exists(warned))
        .exclude(citizens_left_alone())
    )


def accounts_to_delete(*, now=None):
    """Warned, the notice's date passed, no login since, unused for the whole period."""
    now = now or timezone.now()
    return (
        citizens_by_activity()
        .filter(
            last_active__lt=now - timedelta(days=settings.ACCOUNT_INACTIVITY_DAYS),
            deletion_notice__delete_after__lte=now,
            deletion_notice__sent_at__gt=F("last_active"),
        )
        .exclude(citizens_left_alone())
    )


@transaction.atomic
def inactive_accounts_warn(*, now=None) -> int:
    now = now or timezone.now()
    delete_after = now + timedelta(days=settings.ACCOUNT_DELETION_NOTICE_DAYS)
    count = 0
    for account in accounts_to_warn(now=now).select_for_update(of=("self",)):
        DeletionNotice.objects.update_or_create(
            account=account, defaults={"sent_at": now, "delete_after": delete_after}
        )
        message_queue(
            kind=MessageKind.INFORMATION,
            template="account_inactive_notice",
            context={"account": account, "delete_after": delete_after},
            to_email=account.email,
            account=account,
            topic=ACCOUNT_INACTIVE,
        )
        count += 1
    return count


def inactive_accounts_delete(*, now=None) -> int:
    """One transaction per account: one that fails does not keep the others."""
    count = 0
    for pk in list(accounts_to_delete(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            account = accounts_to_delete(now=now).select_for_update(of=("self",)).filter(pk=pk)
            account = account.first()
            if account is None:
                continue  # Logged in meanwhile.
            email, name = account.email, account.get_full_name()
            account_shred(account=account)
            message_queue(
                kind=MessageKind.INFORMATION,
                template="account_closed",
                context={"name": name, "inactive": True, "kept": kept_after_closure()},
                to_email=email,
                topic=ACCOUNT_CLOSED,
            )
            count += 1
    return count
