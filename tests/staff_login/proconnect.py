"""ProConnect as the tests configure it: the fake federation of tests/franceconnect/provider.py
with ProConnect's issuer, client and an agent's claims, at the HTTP edge."""

import html
from urllib.parse import urlsplit

from django.urls import reverse

from tests.franceconnect.provider import FakeFranceConnect, route_to

ISSUER = "https://pc.test/api/v2"
DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
CLIENT_ID = "portail-agents-de-la-mairie"
CLIENT_SECRET = "secret-des-agents"
WORK_EMAIL = "claire.martin@mairie.example"
AGENT = {
    "sub": "8f0e4c1d2b3a49586e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5",
    "given_name": "Claire",
    "usual_name": "MARTIN",
    "email": WORK_EMAIL,
    "uid": "cmartin",
    "siret": "21990999900015",
    "idp_id": "fia1v2",
}
START = reverse("proconnect:start")
CALLBACK = reverse("proconnect:callback")


def configure(settings, monkeypatch) -> FakeFranceConnect:
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.PROCONNECT_DISCOVERY_URL = DISCOVERY_URL
    settings.PROCONNECT_SIMULATED = False
    settings.PROCONNECT_SIGN_ALGORITHMS = ["RS256", "ES256"]
    settings.PROCONNECT_TIMEOUT = 2
    fake = FakeFranceConnect(
        identity=dict(AGENT),
        issuer=ISSUER,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        kid="pc-2026",
    )
    route_to(fake, prefix="https://pc.test/", monkeypatch=monkeypatch)
    return fake


def start(client, *, next_url: str = "") -> str:
    """Press the button; returns ProConnect's authorization URL."""
    data = {"next": next_url} if next_url else {}
    response = client.post(START, data)
    assert response.status_code == 302, response.content
    return response["Location"]


def come_back(client, provider, *, follow=False, next_url: str = "", **overrides):
    """The whole way: the button, ProConnect's page (the agent logged in), the callback."""
    params = provider.authorize(start(client, next_url=next_url))
    query = {"code": provider.code_for(params), "state": params["state"], **overrides}
    return client.get(CALLBACK, query, follow=follow)


def text(response) -> str:
    return html.unescape(response.content.decode())


def path_of(url: str) -> str:
    return urlsplit(url).path
