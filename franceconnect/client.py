"""FranceConnect's exchange: the shared OpenID Connect client (``common.oidc.client``) at
the ``eidas1`` level, its claims read as a certified identity."""

from django.conf import settings

from common.oidc.client import OIDCClient
from common.oidc.config import ProviderConfig
from franceconnect.identity import CertifiedIdentity

# eIDAS levels FranceConnect may certify; we ask for eidas1, a higher one is as good.
ACCEPTED_ACR = ("eidas1", "eidas2", "eidas3")


def identity_for(
    config: ProviderConfig, *, code: str, nonce: str, redirect_uri: str
) -> tuple[CertifiedIdentity, str]:
    """The certified identity FranceConnect answers for this code, and the ID token."""
    client = OIDCClient(config, accepted_acr=ACCEPTED_ACR, timeout=settings.OIDC_TIMEOUT)
    userinfo, _, id_token = client.claims_for(code=code, nonce=nonce, redirect_uri=redirect_uri)
    return CertifiedIdentity.from_claims(userinfo), id_token
