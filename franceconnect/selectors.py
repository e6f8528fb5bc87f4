"""Reads about FranceConnect links that other apps share (the forms, the admin)."""

from accounts.models import User
from franceconnect.models import FranceConnectLink


def link_for_identity(*, client_id: str, sub: str) -> FranceConnectLink | None:
    return (
        FranceConnectLink.objects.select_related("account")
        .filter(client_id=client_id, sub=sub)
        .first()
    )


def is_linked(account: User) -> bool:
    """Whether the account's identity is certified by FranceConnect (read-only then)."""
    if account.pk is None:
        return False
    return FranceConnectLink.objects.filter(account_id=account.pk).exists()
