"""Messages caused by changes in apps that cannot call us (accounts, households)."""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse

from accounts.signals import (
    account_registered,
    account_updated,
    email_change_requested,
    password_changed,
)
from households.signals import household_changed
from notifications.models import MessageKind
from notifications.services import message_queue
from notifications.topics import account_topic


@receiver(account_registered)
def acknowledge_registration(sender, account, **kwargs):
    """The identifier mail: the acknowledgement of the account's creation."""
    message_queue(
        kind=MessageKind.ACKNOWLEDGEMENT,
        template="account_created",
        context={"account": account},
        to_email=account.email,
        account=account,
        topic=account_topic(account.pk),
        dedupe_key=f"{account_topic(account.pk)}:created",
    )


@receiver(account_updated)
def acknowledge_account_change(sender, account, changes, event_id, by=None, **kwargs):
    message_queue(
        kind=MessageKind.ACKNOWLEDGEMENT,
        template="account_updated",
        context={"account": account, "changes": changes},
        to_email=account.email,
        account=account,
        topic=account_topic(account.pk),
        dedupe_key=f"{account_topic(account.pk)}:updated:{event_id}",
    )
    old_email = changes.get("email", {}).get("old")
    if old_email:
        tell_the_old_address(account, old_email, event_id, by_staff=bool(by and by.is_staff))


def tell_the_old_address(account, old_email: str, event_id: int, *, by_staff: bool) -> None:
    """Whoever changed the address (the holder, a stolen session, a clerk deceived at the
    desk), the holder hears of it where they still read. Not attached to the account:
    « Mes messages » would show it to whoever holds the session now."""
    message_queue(
        kind=MessageKind.INFORMATION,
        template="email_changed",
        context={
            "account": account,
            "new_email_masked": masked(account.email),
            "by_staff": by_staff,
        },
        to_email=old_email,
        topic=account_topic(account.pk),
        dedupe_key=f"{account_topic(account.pk)}:updated:{event_id}:old-email",
    )


def masked(email: str) -> str:
    """« c•••••@example.org »: enough to recognise one's own address, not to learn another's."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 3)}@{domain}" if domain else ""


@receiver(household_changed)
def acknowledge_household_change(sender, household, event, **kwargs):
    account = household.account
    message_queue(
        kind=MessageKind.ACKNOWLEDGEMENT,
        template="household_updated",
        context={"account": account, "event": event},
        to_email=account.email,
        account=account,
        topic=account_topic(account.pk),
        dedupe_key=f"household:{household.pk}:event:{event.pk}",
    )


@receiver(password_changed)
def tell_of_password_change(sender, account, **kwargs):
    message_queue(
        kind=MessageKind.INFORMATION,
        template="password_changed",
        context={"account": account},
        to_email=account.email,
        account=account,
        topic=account_topic(account.pk),
    )


@receiver(email_change_requested)
def send_email_change_links(sender, account, change, confirm_token, cancel_token, **kwargs):
    """The link that confirms goes to the new address, the one that cancels to the old."""
    site = settings.SITE_URL.rstrip("/")
    common = {"account": account, "change": change}
    message_queue(
        kind=MessageKind.INFORMATION,
        template="email_confirm",
        context={**common, "link": site + reverse("accounts:email_confirm", args=[confirm_token])},
        to_email=change.new_email,
        topic=account_topic(account.pk),
        dedupe_key=f"email-change:{change.pk}:confirm",
    )
    message_queue(
        kind=MessageKind.INFORMATION,
        template="email_change_requested",
        context={
            **common,
            "new_email_masked": masked(change.new_email),
            "link": site + reverse("accounts:email_cancel", args=[cancel_token]),
        },
        to_email=change.old_email,
        topic=account_topic(account.pk),
        dedupe_key=f"email-change:{change.pk}:cancel",
    )
