"""The simulated FranceConnect of the demo: refused unless allowed, and a real provider
in form (signed ID tokens with its JWKS, single-use codes, end-session) when it is."""

import html
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from django.urls import reverse

from franceconnect import simulated
from tests.test_settings import start as start_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.FRANCECONNECT_CLIENT_ID = ""
    settings.FRANCECONNECT_SIMULATED = True
    settings.FRANCECONNECT_ALLOW_SIMULATED = True


def authorize(client, **overrides):
    params = {
        "client_id": simulated.CLIENT_ID,
        "response_type": "code",
        "redirect_uri": "http://testserver" + reverse("franceconnect:callback"),
        "state": "etat-123",
        "nonce": "nonce-456",
        **overrides,
    }
    return client.post(
        reverse("franceconnect_simulated:authorize") + "?" + urlencode(params),
        {"identity": "angela"},
    )


def code_of(response) -> str:
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["etat-123"]
    return query["code"][0]


def token(client, code):
    return client.post(
        reverse("franceconnect_simulated:token"),
        {
            "client_id": simulated.CLIENT_ID,
            "client_secret": simulated.client_secret(),
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver" + reverse("franceconnect:callback"),
        },
    )


def test_without_debug_or_explicit_consent_every_page_is_404(client, settings):
    settings.FRANCECONNECT_SIMULATED = True
    settings.FRANCECONNECT_ALLOW_SIMULATED = False
    settings.DEBUG = False
    for name in ("authorize", "userinfo", "jwks", "end_session"):
        assert client.get(reverse(f"franceconnect_simulated:{name}")).status_code == 404
    assert client.post(reverse("franceconnect_simulated:token")).status_code == 404
    assert "fr-connect" not in client.get(reverse("home")).content.decode()


def test_with_debug_alone_it_answers(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.FRANCECONNECT_SIMULATED = True
    settings.FRANCECONNECT_ALLOW_SIMULATED = False
    settings.DEBUG = True
    assert client.get(reverse("franceconnect_simulated:jwks")).status_code == 200


@pytest.mark.processes  # boots the settings in a python subprocess
def test_the_settings_refuse_a_simulated_provider_without_debug_unless_asked(tmp_path):
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portail.mairie.example"}
    payments = {"PAYMENT_ALLOW_SIMULATED": "1"}
    refused = start_process(
        VAR_DIR=str(tmp_path), FRANCECONNECT_SIMULATED="1", **production, **payments
    )
    assert refused.returncode != 0
    assert "FranceConnect simulé refusé sans DEBUG" in refused.stderr
    demo_server = start_process(
        VAR_DIR=str(tmp_path),
        FRANCECONNECT_SIMULATED="1",
        FRANCECONNECT_ALLOW_SIMULATED="1",
        **production,
        **payments,
    )
    assert demo_server.returncode == 0, demo_server.stderr


def test_its_page_offers_the_test_identities(client, demo):
    query = urlencode(
        {
            "client_id": simulated.CLIENT_ID,
            "response_type": "code",
            "redirect_uri": "http://testserver" + reverse("franceconnect:callback"),
            "state": "s",
            "nonce": "n",
        }
    )
    page = html.unescape(
        client.get(reverse("franceconnect_simulated:authorize") + "?" + query).content.decode()
    )
    for name in ("Angela Claire Louise DUBOIS", "Jean-Pierre MARTIN", "Maria SANTOS"):
        assert name in page


def test_it_sends_back_nowhere_but_the_portal_s_callback(client, demo):
    response = authorize(client, redirect_uri="https://ailleurs.example/retour/")
    assert response.status_code == 400


def test_its_id_token_is_signed_by_its_published_key_and_its_code_serves_once(client, demo):
    code = code_of(authorize(client))
    tokens = token(client, code).json()
    jwk = client.get(reverse("franceconnect_simulated:jwks")).json()["keys"][0]
    claims = jwt.decode(
        tokens["id_token"],
        jwt.PyJWK(jwk),
        algorithms=["RS256"],
        audience=simulated.CLIENT_ID,
    )
    assert claims["nonce"] == "nonce-456" and claims["acr"] == "eidas1"
    assert token(client, code).status_code == 400
    userinfo = client.get(
        reverse("franceconnect_simulated:userinfo"),
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert userinfo["Content-Type"] == "application/jwt"
    identity = jwt.decode(
        userinfo.content, jwt.PyJWK(jwk), algorithms=["RS256"], audience=simulated.CLIENT_ID
    )
    assert identity["sub"] == claims["sub"] and identity["family_name"] == "DUBOIS"


def test_a_wrong_client_secret_gets_no_token(client, demo):
    code = code_of(authorize(client))
    response = client.post(
        reverse("franceconnect_simulated:token"),
        {"client_id": simulated.CLIENT_ID, "client_secret": "faux", "code": code},
    )
    assert response.status_code == 401


def test_cancel_returns_access_denied_with_the_state(client, demo):
    params = {
        "client_id": simulated.CLIENT_ID,
        "response_type": "code",
        "redirect_uri": "http://testserver" + reverse("franceconnect:callback"),
        "state": "etat-123",
        "nonce": "n",
    }
    response = client.post(
        reverse("franceconnect_simulated:authorize") + "?" + urlencode(params), {"cancel": "1"}
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query == {"error": ["access_denied"], "state": ["etat-123"]}
