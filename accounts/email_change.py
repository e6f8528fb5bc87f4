"""A citizen's new email address takes effect when the link sent to it is followed.

The old address is told at once, with a link that cancels the change (or undoes it,
if it was already confirmed): whoever holds a session cannot redirect the holder's
mail without the holder hearing of it where they still read. A clerk's correction
at the front desk, the citizen in front of him, takes effect at once
(``services.account_correct``).
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import EmailChange, User
from accounts.services import changes_save
from accounts.signals import email_change_requested

CONFIRM_VALIDITY = timedelta(hours=48)
CANCEL_VALIDITY = timedelta(days=30)


class LinkRefused(Exception):
    """The link is unknown, used or out of date; the message says which, in French."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def email_change_request(*, account: User, new_email: str) -> EmailChange:
    """Record the new address and send both links; the account's email does not change yet."""
    # An earlier pending change is replaced: only the last address typed can be confirmed.
    account.email_changes.filter(confirmed_at=None, cancelled_at=None).update(
        cancelled_at=timezone.now()
    )
    confirm_token, cancel_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    change = EmailChange.objects.create(
        account=account,
        old_email=account.email,
        new_email=new_email,
        confirm_token_hash=token_hash(confirm_token),
        cancel_token_hash=token_hash(cancel_token),
    )
    email_change_requested.send(
        sender=User,
        account=account,
        change=change,
        confirm_token=confirm_token,
        cancel_token=cancel_token,
    )
    return change


def pending_change(account: User) -> EmailChange | None:
    limit = timezone.now() - CONFIRM_VALIDITY
    return (
        account.email_changes.filter(confirmed_at=None, cancelled_at=None, created_at__gte=limit)
        .order_by("-created_at")
        .first()
    )


def change_for_link(*, token: str, kind: str) -> EmailChange:
    """The change a link names, locked, or LinkRefused with the reason."""
    field = "confirm_token_hash" if kind == "confirm" else "cancel_token_hash"
    change = (
        EmailChange.objects.select_for_update()
        .select_related("account")
        .filter(**{field: token_hash(token)})
        .first()
    )
    if change is None:
        raise LinkRefused(_("Ce lien n'est pas valide : recopiez-le en entier depuis le mail."))
    validity = CONFIRM_VALIDITY if kind == "confirm" else CANCEL_VALIDITY
    if change.cancelled_at is not None:
        raise LinkRefused(_("Ce changement d'adresse a été annulé."))
    if change.created_at + validity < timezone.now():
        raise LinkRefused(
            _("Ce lien a expiré : modifiez de nouveau votre adresse depuis l'onglet « Compte ».")
        )
    return change


@transaction.atomic
def email_change_confirm(*, token: str) -> EmailChange:
    change = change_for_link(token=token, kind="confirm")
    if change.confirmed_at is not None:
        return change  # The same link followed twice: already done.
    account = User.objects.select_for_update().get(pk=change.account_id)
    if account.email != change.old_email:
        raise LinkRefused(_("L'adresse du compte a changé depuis : ce lien ne vaut plus."))
    change.confirmed_at = timezone.now()
    change.save(update_fields=["confirmed_at"])
    changes_save(account=account, by=account, data={"email": change.new_email})
    return change


@transaction.atomic
def email_change_cancel(*, token: str) -> EmailChange:
    """Cancel a pending change, or put the old address back if it was already confirmed."""
    change = change_for_link(token=token, kind="cancel")
    account = User.objects.select_for_update().get(pk=change.account_id)
    change.cancelled_at = timezone.now()
    change.save(update_fields=["cancelled_at"])
    if change.confirmed_at is not None and account.email == change.new_email:
        changes_save(account=account, by=None, data={"email": change.old_email})
    return change
