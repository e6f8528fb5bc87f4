"""Reads about FranceConnect links that other apps share (the forms, the admin)."""

from franceconnect.models import FranceConnectLink


def link_for_identity(*, client_id: str, sub: str) -> FranceConnectLink | None:
    return (
        FranceConnectLink.objects.select_related("account")
        .filter(client_id=client_id, sub=sub)
        .first()
    )
