"""Where FranceConnect is and who we are to it: the real provider through its discovery
document, or the simulated one served by the portal itself (``franceconnect.simulated``)."""

import hashlib
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

from franceconnect import answers
from franceconnect.errors import ProviderUnavailable

# The discovery document changes when FranceConnect rotates endpoints: an hour is plenty.
DISCOVERY_CACHE_SECONDS = 3600
DISCOVERY_KEYS = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)


@dataclass(frozen=True)
class ProviderConfig:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    client_id: str
    client_secret: str
    algorithms: tuple[str, ...]


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
            **discovery(settings.FRANCECONNECT_DISCOVERY_URL),
            client_id=settings.FRANCECONNECT_CLIENT_ID,
            client_secret=settings.FRANCECONNECT_CLIENT_SECRET,
            algorithms=tuple(settings.FRANCECONNECT_SIGN_ALGORITHMS),
        )
    if simulated_allowed():
        from franceconnect import simulated

        return simulated.provider_config(request)
    raise ProviderUnavailable("FranceConnect n'est pas configuré sur ce portail.")


def discovery(url: str) -> dict:
    """The provider's endpoints, read once an hour (with OIDC_TIMEOUT) and shared."""
    key = "franceconnect:discovery:" + hashlib.sha256(url.encode()).hexdigest()[:16]
    cached = cache.get(key)
    if cached:
        return cached
    try:
        response = answers.fetch("GET", url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = answers.json_object(response)
        endpoints = {name: document[name] for name in DISCOVERY_KEYS}
        if not all(isinstance(value, str) and value for value in endpoints.values()):
            raise ValueError("an endpoint that is not an address")
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ProviderUnavailable(f"discovery: {error.__class__.__name__}") from error
    cache.set(key, endpoints, timeout=DISCOVERY_CACHE_SECONDS)
    return endpoints
