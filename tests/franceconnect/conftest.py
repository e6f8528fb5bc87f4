import html

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.franceconnect.provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    DISCOVERY_URL,
    FakeFranceConnect,
    route_to,
)


@pytest.fixture
def provider(settings, monkeypatch):
    """FranceConnect configured as in production, answered by the fake at the HTTP edge."""
    settings.FRANCECONNECT_CLIENT_ID = CLIENT_ID
    settings.FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.FRANCECONNECT_DISCOVERY_URL = DISCOVERY_URL
    settings.FRANCECONNECT_SIMULATED = False
    settings.FRANCECONNECT_SIGN_ALGORITHMS = ["RS256", "ES256"]
    settings.OIDC_TIMEOUT = 2
    fake = FakeFranceConnect()
    route_to(fake, prefix="https://fc.test/", monkeypatch=monkeypatch)
    return fake


def start(client, *, next_url: str = "") -> str:
    """Press the button; returns FranceConnect's authorization URL."""
    data = {"next": next_url} if next_url else {}
    response = client.post(reverse("franceconnect:start"), data)
    assert response.status_code == 302, response.content
    return response["Location"]


def come_back(client, provider, *, follow=False, **overrides):
    """The whole way: the button, FranceConnect's page (consent given), the callback."""
    params = provider.authorize(start(client))
    query = {"code": provider.code_for(params), "state": params["state"], **overrides}
    return client.get(reverse("franceconnect:callback"), query, follow=follow)


COMPLETE = reverse("franceconnect:complete")
CONTACT = {
    "phone": "06 11 22 33 44",
    "address": "4 rue du Marché",
    "postal_code": "99999",
    "city": "Villeneuve-sur-Example",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


def password_login(client, account):
    """Through the login page, as a citizen does (axes wants the request)."""
    response = client.post(
        reverse("accounts:login"), {"username": account.identifier, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content
