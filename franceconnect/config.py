"""Where FranceConnect is and who we are to it: the real provider through its discovery
document, or the simulated one served by the portal itself (``franceconnect.simulated``)."""

from django.conf import settings

from common.oidc.config import ProviderConfig, discovery
from common.oidc.errors import ProviderUnavailable

__all__ = ["ProviderConfig", "is_enabled", "provider_config", "simulated_allowed"]


def is_enabled() -> bool:
    """The button shows, and the views answer, only when a provider is configured."""
    return bool(settings.FRANCECONNECT_CLIENT_ID) or simulated_allowed()


def simulated_allowed() -> bool:
    """The simulated provider: asked for, and DEBUG on or a demo server's explicit consent."""
    return settings.FRANCECONNECT_SIMULATED and (
        settings.DEBUG or settings.FRANCECONNECT_ALLOW_SIMULATED
    )


def provider_config(request) -> ProviderConfig:
    """The configuration to use for this request; ProviderUnavailable when none answers."""
    if settings.FRANCECONNECT_CLIENT_ID:
        return ProviderConfig(
            **discovery(settings.FRANCECONNECT_DISCOVERY_URL, timeout=settings.OIDC_TIMEOUT),
            client_id=settings.FRANCECONNECT_CLIENT_ID,
            client_secret=settings.FRANCECONNECT_CLIENT_SECRET,
            algorithms=tuple(settings.FRANCECONNECT_SIGN_ALGORITHMS),
        )
    if simulated_allowed():
        from franceconnect import simulated

        return simulated.provider_config(request)
    raise ProviderUnavailable("FranceConnect n'est pas configuré sur ce portail.")
