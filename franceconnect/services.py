"""Every write of the FranceConnect app: one atomic function per user action."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AccountEvent, User
from accounts.services import changes_save
from accounts.signals import account_registered
from franceconnect.identity import CertifiedIdentity
from franceconnect.models import FranceConnectLink

CERTIFIED_NOTE = "Identité certifiée par FranceConnect"


class LinkRefused(Exception):
    """Why this identity and this account cannot be linked, in French for the citizen."""


@transaction.atomic
def account_register_with_franceconnect(
    *,
    identity: CertifiedIdentity,
    client_id: str,
    phone: str,
    address: str,
    postal_code: str,
    city: str,
    password: str = "",
    security_question: str = "",
    security_answer: str = "",
) -> User:
    """A first FranceConnect visit: the account, validated since its identity is certified,
    and its link; the household (its holder taking the identity) and the identifier mail
    come with ``account_registered``, as after the registration form."""
    account = User(
        identifier=User.objects.unused_identifier(),
        email=identity.email,
        phone=phone,
        address=address,
        postal_code=postal_code,
        city=city,
        security_question=security_question if password else "",
        **identity.account_fields(),
    )
    if password:
        account.set_password(password)
        account.set_security_answer(security_answer)
    else:
        account.set_unusable_password()
    account.validate(by=None)
    account.identity_certified_at = timezone.now()
    account.save()
    try:
        with transaction.atomic():
            FranceConnectLink.objects.create(
                account=account,
                client_id=client_id,
                sub=identity.sub,
                identity=identity.as_dict(),
                last_login_at=timezone.now(),
            )
    except IntegrityError:
        # Two tabs finishing the same first visit: the first one made the account.
        raise LinkRefused(
            "Cette identité FranceConnect vient d'être liée à un compte : connectez-vous "
            "à nouveau avec FranceConnect."
        ) from None
    AccountEvent.objects.create(
        account=account, kind=AccountEvent.Kind.REGISTERED, actor=account, note="FranceConnect"
    )
    AccountEvent.objects.create(
        account=account, kind=AccountEvent.Kind.VALIDATED, note=CERTIFIED_NOTE
    )
    account_registered.send(sender=User, account=account)
    return account


@transaction.atomic
def link_create(*, account: User, identity: CertifiedIdentity, client_id: str) -> FranceConnectLink:
    """An existing citizen, logged in with the password, links FranceConnect once.

    The account takes the certified identity (history, notice and holder member as after
    « Modifier », through ``changes_save``) and, pending, is validated by it.
    """
    # Lock the account: the same link asked for from two tabs is made once.
    locked = User.objects.select_for_update().get(pk=account.pk)
    if locked.is_staff or locked.is_superuser:
        raise LinkRefused("Un compte d'agent ne se lie pas à FranceConnect.")
    existing = FranceConnectLink.objects.filter(account=locked).first()
    if existing is not None:
        if existing.client_id == client_id and existing.sub == identity.sub:
            return existing
        raise LinkRefused("Votre compte est déjà lié à une autre identité FranceConnect.")
    if FranceConnectLink.objects.filter(client_id=client_id, sub=identity.sub).exists():
        raise LinkRefused(
            "Cette identité FranceConnect est déjà liée à un autre compte du portail. "
            "Contactez le guichet unique si ce compte n'est pas le vôtre."
        )
    link = FranceConnectLink.objects.create(
        account=locked,
        client_id=client_id,
        sub=identity.sub,
        identity=identity.as_dict(),
        last_login_at=timezone.now(),
    )
    identity_apply(account=locked, identity=identity)
    locked.identity_certified_at = link.linked_at
    locked.save(update_fields=["identity_certified_at"])
    if locked.is_pending:
        locked.validate(by=None)
        locked.save(update_fields=["status", "validated_at", "validated_by"])
        AccountEvent.objects.create(
            account=locked, kind=AccountEvent.Kind.VALIDATED, note=CERTIFIED_NOTE
        )
    account.refresh_from_db()
    return link


def identity_apply(*, account: User, identity: CertifiedIdentity) -> dict:
    """The certified identity onto the account (and, by signal, onto the holder member)."""
    return changes_save(account=account, by=account, data=identity.account_fields())


@transaction.atomic
def login_record(*, link: FranceConnectLink, identity: CertifiedIdentity) -> None:
    """A FranceConnect login: the identity as received today (a name corrected at the
    civil registry reaches the account), and when."""
    link.identity = identity.as_dict()
    link.last_login_at = timezone.now()
    link.save(update_fields=["identity", "last_login_at"])
    identity_apply(account=link.account, identity=identity)
