"""Where ProConnect is and who we are to it: the real federation through its discovery
document, or the simulated one served by the portal itself (``proconnect_simulated``)."""

from django.conf import settings

from common.oidc.config import ProviderConfig, discovery
from common.oidc.errors import ProviderUnavailable

# The levels ProConnect answers with (its documentation, « acr »): the historical eidas1,
# then declared identities and identities checked for consistency, with or without a
# second factor at the identity provider.
ASSURANCE = "https://proconnect.gouv.fr/assurance/"
TWO_FACTOR_ACR = (
    "eidas2",
    "eidas3",
    ASSURANCE + "self-asserted-2fa",
    ASSURANCE + "consistency-checked-2fa",
)
ACCEPTED_ACR = (
    "eidas1",
    ASSURANCE + "self-asserted",
    ASSURANCE + "consistency-checked",
    *TWO_FACTOR_ACR,
)


def is_enabled() -> bool:
    """The button shows, and the views answer, only when a provider is configured."""
    return bool(settings.PROCONNECT_CLIENT_ID) or simulated_allowed()


def simulated_allowed() -> bool:
    """The simulated provider: asked for, and DEBUG on or a demo server's explicit consent."""
    return settings.PROCONNECT_SIMULATED and (settings.DEBUG or settings.PROCONNECT_ALLOW_SIMULATED)


def provider_config(request) -> ProviderConfig:
    """The configuration to use for this request; ProviderUnavailable when none answers."""
    if settings.PROCONNECT_CLIENT_ID:
        return ProviderConfig(
            **discovery(settings.PROCONNECT_DISCOVERY_URL, timeout=settings.PROCONNECT_TIMEOUT),
            client_id=settings.PROCONNECT_CLIENT_ID,
            client_secret=settings.PROCONNECT_CLIENT_SECRET,
            algorithms=tuple(settings.PROCONNECT_SIGN_ALGORITHMS),
        )
    if simulated_allowed():
        from staff_login import proconnect_simulated

        return proconnect_simulated.PROVIDER.provider_config(request)
    raise ProviderUnavailable("ProConnect n'est pas configuré sur ce portail.")
