"""Every write to an account: one atomic function per user action."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.hashing import dummy_check
from accounts.identifiers import new_temporary_password, normalize_identifier
from accounts.models import AccountEvent, User
from accounts.signals import (
    account_edited_by_staff,
    account_registered,
    account_updated,
    password_changed,
)
from common.history import diff_fields
from common.queueing import enqueue_on_commit


@transaction.atomic
def account_register(
    *,
    civility: str,
    last_name: str,
    first_name: str,
    birth_date: date,
    email: str,
    phone: str,
    address: str,
    postal_code: str,
    city: str,
    security_question: str,
    security_answer: str,
    password: str,
) -> User:
    """Create a pending account; its identifier leaves by mail once the row is committed."""
    account = User(
        identifier=User.objects.unused_identifier(),
        civility=civility,
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        email=email,
        phone=phone,
        address=address,
        postal_code=postal_code,
        city=city,
        security_question=security_question,
    )
    account.set_password(password)
    account.set_security_answer(security_answer)
    account.save()
    AccountEvent.objects.create(account=account, kind=AccountEvent.Kind.REGISTERED, actor=account)
    # The household and the identifier mail (an outbox row) come with it, in this transaction.
    account_registered.send(sender=User, account=account)
    return account


@transaction.atomic
def account_validate(*, account: User, by: User) -> bool:
    """Validate a pending account; returns False when it was already validated."""
    # Lock the row: two clerks clicking at once must not both record a validation.
    locked = User.objects.select_for_update().get(pk=account.pk)
    if locked.is_validated:
        return False
    locked.validate(by=by)
    locked.save(update_fields=["status", "validated_at", "validated_by"])
    AccountEvent.objects.create(account=locked, kind=AccountEvent.Kind.VALIDATED, actor=by)
    account.refresh_from_db(fields=["status", "validated_at", "validated_by"])
    return True


# What the front desk may correct for a citizen (« Accueil »): how to reach them.
CONTACT_FIELDS = ("email", "phone", "address", "postal_code", "city")
# Who the citizen is; certified, and read-only, when the account is linked to FranceConnect.
IDENTITY_FIELDS = ("civility", "last_name", "first_name", "birth_date")
# What a citizen may change on the account page; the rest belongs to the town hall.
EDITABLE_ACCOUNT_FIELDS = (*IDENTITY_FIELDS, *CONTACT_FIELDS)


class AccountNotValidated(Exception):
    """Raised when a pending account tries to change its data (FAQ: not before validation)."""


class IdentityCertified(ValueError):
    """Raised when the citizen or a clerk would change an identity FranceConnect certifies."""


def identity_check_unchanged(account: User, data: dict) -> None:
    """While certified (FranceConnect) the identity is the federation's: only a new login
    through it changes it."""
    touched = [
        name for name in IDENTITY_FIELDS if name in data and getattr(account, name) != data[name]
    ]
    if touched and account.identity_certified:
        raise IdentityCertified(f"Identité certifiée par FranceConnect : {sorted(touched)}")


def changes_save(*, account: User, by: User, data: dict) -> dict:
    """Save what differs, write the history row and tell the citizen (``account_updated``)."""
    unknown = set(data) - set(EDITABLE_ACCOUNT_FIELDS)
    if unknown:
        raise ValueError(f"Champs non modifiables : {sorted(unknown)}")
    changes = diff_fields(account, data)
    if not changes:
        return {}
    for name in changes:
        setattr(account, name, data[name])
    account.save(update_fields=list(changes))
    event = AccountEvent.objects.create(
        account=account, kind=AccountEvent.Kind.UPDATED, actor=by, changes=changes
    )
    account_updated.send(sender=User, account=account, changes=changes, event_id=event.pk, by=by)
    return changes


@transaction.atomic
def account_update(*, account: User, by: User, **data) -> dict:
    """Change the account holder's data and keep what changed in the history."""
    if not account.is_validated:
        raise AccountNotValidated
    identity_check_unchanged(account, data)
    return changes_save(account=account, by=by, data=data)


@transaction.atomic
def account_correct(*, account: User, by: User, **data) -> dict:
    """A clerk's correction in the admin: the citizen's own rules, history and notices.

    Unlike the citizen, a clerk may correct an account still awaiting validation
    (a typo seen while validating it). The household app copies the change onto
    the holder member (``account_edited_by_staff``), as after the citizen's « Modifier ».
    """
    if account.is_staff:
        raise ValueError("Les comptes des agents ne se corrigent pas par ce chemin.")
    identity_check_unchanged(account, data)
    changes = changes_save(account=account, by=by, data=data)
    if changes:
        account_edited_by_staff.send(sender=User, account=account, by=by)
    return changes


@transaction.atomic
def staff_rights_record(*, account: User, before: dict, by: User) -> dict:
    """After a superuser's change of a staff account: what changed, in the history."""
    changes = {
        name: {"old": before.get(name, ""), "new": value}
        for name, value in staff_snapshot(account).items()
        if before.get(name, "") != value
    }
    if changes:
        AccountEvent.objects.create(
            account=account, kind=AccountEvent.Kind.RIGHTS_CHANGED, actor=by, changes=changes
        )
    return changes


def staff_snapshot(account: User) -> dict:
    """A staff account's identity and rights as text, to compare before and after a change."""
    snapshot = {name: str(getattr(account, name) or "") for name in EDITABLE_ACCOUNT_FIELDS}
    snapshot.update(
        is_active=str(account.is_active),
        is_superuser=str(account.is_superuser),
        groups=", ".join(sorted(account.groups.values_list("name", flat=True))),
        user_permissions=", ".join(
            sorted(account.user_permissions.values_list("codename", flat=True))
        ),
    )
    return snapshot


@transaction.atomic
def password_set_by_staff_record(*, account: User, by: User) -> None:
    """A superuser set a password in the admin: the history, and the holder is told."""
    AccountEvent.objects.create(account=account, kind=AccountEvent.Kind.PASSWORD_CHANGED, actor=by)
    password_changed.send(sender=User, account=account)


def account_for_identifier(identifier: str) -> User | None:
    """The active citizen behind an identifier, or None; staff never reset by this path."""
    return (
        User.objects.citizens()
        .filter(identifier=normalize_identifier(identifier), is_active=True)
        .first()
    )


@transaction.atomic
def password_reset_request(*, identifier: str, answer: str) -> bool:
    """Queue a temporary password when the answer is right.

    The password itself is made by the task, so that it never travels through
    the broker. Callers must not tell the citizen whether it worked.
    """
    from accounts import tasks

    account = account_for_identifier(identifier)
    if account is None:
        return dummy_check(answer)  # the work of a real answer: time tells nothing
    if not account.check_security_answer(answer):
        return False
    enqueue_on_commit(tasks.send_temporary_password, account.pk)
    return True


@transaction.atomic
def temporary_password_issue(*, account: User) -> str:
    """Store a fresh temporary password (hashed) and return it in clear for the mail."""
    raw = new_temporary_password()
    account.set_temporary_password(raw)
    account.save(update_fields=["temporary_password", "temporary_password_expires_at"])
    AccountEvent.objects.create(account=account, kind=AccountEvent.Kind.PASSWORD_RESET)
    return raw


@transaction.atomic
def temporary_password_consume(*, account: User) -> None:
    """A temporary password works once; the citizen must then choose a new password."""
    account.temporary_password = ""
    account.temporary_password_expires_at = None
    account.password_change_required = True
    account.save(
        update_fields=[
            "temporary_password",
            "temporary_password_expires_at",
            "password_change_required",
        ]
    )
    AccountEvent.objects.create(
        account=account, kind=AccountEvent.Kind.TEMPORARY_PASSWORD_USED, actor=account
    )


@transaction.atomic
def password_change(*, account: User, new_password: str) -> None:
    """Set the new password and tell the citizen by mail that it changed."""

    account.set_password(new_password)
    account.password_change_required = False
    account.temporary_password = ""
    account.temporary_password_expires_at = None
    account.save(
        update_fields=[
            "password",
            "password_change_required",
            "temporary_password",
            "temporary_password_expires_at",
        ]
    )
    AccountEvent.objects.create(
        account=account, kind=AccountEvent.Kind.PASSWORD_CHANGED, actor=account, at=timezone.now()
    )
    # The notice goes through the outbox (notifications listens), so it cannot be lost.
    password_changed.send(sender=User, account=account)
