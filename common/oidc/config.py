"""Where a provider is and who we are to it: its endpoints from the discovery document."""

import hashlib
from dataclasses import dataclass

import requests
from django.core.cache import cache

from common.oidc import answers
from common.oidc.errors import ProviderUnavailable

# The discovery document changes when a provider rotates endpoints: an hour is plenty.
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


def discovery(url: str, *, timeout: float) -> dict:
    """The provider's endpoints, read once an hour (within ``timeout``) and shared."""
    key = "oidc:discovery:" + hashlib.sha256(url.encode()).hexdigest()[:16]
    cached = cache.get(key)
    if cached:
        return cached
    try:
        response = answers.fetch("GET", url, timeout=timeout)
        response.raise_for_status()
        document = answers.json_object(response)
        endpoints = {name: document[name] for name in DISCOVERY_KEYS}
        if not all(isinstance(value, str) and value for value in endpoints.values()):
            raise ValueError("an endpoint that is not an address")
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ProviderUnavailable(f"discovery: {error.__class__.__name__}") from error
    cache.set(key, endpoints, timeout=DISCOVERY_CACHE_SECONDS)
    return endpoints
