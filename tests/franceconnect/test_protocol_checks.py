"""The answer of FranceConnect is believed only once checked: state, nonce, signature,
issuer, audience, expiry, eIDAS level; and a FranceConnect that does not answer costs a
French page, never a 500 nor a hung worker."""

import html
import socket
import time

import jwt
import pytest
import time_machine
from django.urls import reverse

from franceconnect.models import FranceConnectLink
from tests.franceconnect.conftest import come_back, start
from tests.franceconnect.provider import ec_key, rsa_key

pytestmark = pytest.mark.django_db

COMPLETE = reverse("franceconnect:complete")
REFUSED = "La réponse de FranceConnect n'a pas pu être vérifiée"
UNAVAILABLE = "FranceConnect ne répond pas pour le moment"


def assert_refused(response, status=400, words=REFUSED):
    assert response.status_code == status
    assert words in html.unescape(response.content.decode())
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_authorization_request_asks_eidas1_the_identity_pivot_state_and_nonce(client, provider):
    params = provider.authorize(start(client))
    assert params["acr_values"] == "eidas1"
    assert params["response_type"] == "code"
    assert params["prompt"] == "login consent"
    assert set(params["scope"].split()) >= {
        "openid", "given_name", "family_name", "birthdate", "gender", "birthplace",
        "birthcountry", "email",
    }  # fmt: skip
    assert params["redirect_uri"] == "http://testserver" + reverse("franceconnect:callback")
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["state"] != params["nonce"]


def test_a_checked_answer_leads_to_the_first_visit_page(client, provider):
    response = come_back(client, provider)
    assert response.status_code == 302
    assert response["Location"] == COMPLETE


def test_the_starting_door_takes_only_a_post(client, provider):
    assert client.get(reverse("franceconnect:start")).status_code == 405


def test_it_refuses_a_wrong_state(client, provider):
    assert_refused(come_back(client, provider, state="etat-invente"))


def test_the_same_answer_replayed_is_refused(client, provider):
    params = provider.authorize(start(client))
    query = {"code": provider.code_for(params), "state": params["state"]}
    assert client.get(reverse("franceconnect:callback"), query).status_code == 302
    provider.codes["code-1"] = params["nonce"]  # even if the provider took the code again
    assert_refused(client.get(reverse("franceconnect:callback"), query))


def test_it_refuses_an_id_token_carrying_the_nonce_of_an_earlier_login(client, provider):
    earlier = provider.authorize(start(client))
    provider.nonce_override = earlier["nonce"]
    assert_refused(come_back(client, provider))


def test_it_refuses_an_id_token_without_nonce(client, provider):
    provider.id_token_claims = {"nonce": None}
    provider.nonce_override = None
    assert_refused(come_back(client, provider))


def test_it_refuses_an_expired_id_token(client, provider):
    params = provider.authorize(start(client))
    code = provider.code_for(params)
    # FranceConnect's clock says ten minutes ago: the token expired before it arrived.
    with time_machine.travel(time.time() - 600, tick=False):
        expired = provider.id_token(params["nonce"])
    provider.id_token = lambda nonce: expired
    response = client.get(
        reverse("franceconnect:callback"), {"code": code, "state": params["state"]}
    )
    assert_refused(response)


def test_it_refuses_an_id_token_signed_by_another_key(client, provider):
    provider.forged_with = rsa_key()
    assert_refused(come_back(client, provider))


def test_it_refuses_an_unsigned_id_token(client, provider):
    def unsigned(claims):
        return jwt.encode(claims, None, algorithm="none", headers={"kid": provider.kid})

    provider.sign = unsigned
    assert_refused(come_back(client, provider), status=400)


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "un-autre-service"},
        {"iss": "https://faux-fc.example"},
        {"acr": "eidas0"},
        {"iat": None},
    ],
    ids=["another-audience", "another-issuer", "a-lower-level", "no-issue-time"],
)
def test_it_refuses_an_id_token_whose_claims_are_not_for_us(client, provider, claims):
    provider.id_token_claims = claims
    assert_refused(come_back(client, provider))


def test_it_refuses_a_userinfo_for_another_person_than_the_id_token(client, provider):
    real_answer = provider.answer

    def answer(method, url, body, headers):
        status, content_type, payload = real_answer(method, url, body, headers)
        if url.endswith("/userinfo"):
            payload = provider.sign({**provider.identity, "sub": "quelqu-un-d-autre"})
        return status, content_type, payload

    provider.answer = answer
    assert_refused(come_back(client, provider))


def test_it_accepts_es256_as_well(client, provider):
    provider.key, provider.alg = ec_key(), "ES256"
    assert come_back(client, provider)["Location"] == COMPLETE


def test_it_accepts_a_userinfo_in_plain_json(client, provider):
    provider.userinfo_as_json = True
    assert come_back(client, provider)["Location"] == COMPLETE


def test_an_incomplete_identity_is_told_in_french(client, provider):
    provider.identity = {**provider.identity, "birthdate": ""}
    response = come_back(client, provider)
    assert_refused(response, words="FranceConnect n'a pas transmis toute votre identité")


def test_a_cancel_on_franceconnect_s_page_comes_back_home_with_a_message(client, provider):
    params = provider.authorize(start(client))
    response = client.get(
        reverse("franceconnect:callback"),
        {"error": "access_denied", "state": params["state"]},
        follow=True,
    )
    assert "Connexion avec FranceConnect annulée." in response.content.decode()
    assert params["state"] not in client.session["oidc_states"]


@pytest.mark.parametrize("endpoint", ["token", "jwks", "userinfo"])
def test_a_provider_that_times_out_gives_a_french_page(client, provider, endpoint):
    provider.timeout_on = endpoint
    assert_refused(come_back(client, provider), status=502, words=UNAVAILABLE)


def test_a_provider_in_error_gives_a_french_page(client, provider):
    provider.status_on = {"token": 503}
    assert_refused(come_back(client, provider), status=502, words=UNAVAILABLE)


def test_every_call_to_the_provider_has_a_timeout(client, provider, settings):
    come_back(client, provider)
    assert {path for _, path, _ in provider.calls} == {
        "/api/v2/.well-known/openid-configuration",
        "/api/v2/token",
        "/api/v2/jwks",
        "/api/v2/userinfo",
    }
    assert all(timeout == settings.OIDC_TIMEOUT for _, _, timeout in provider.calls)


def test_a_provider_that_accepts_and_never_answers_costs_the_timeout_then_a_french_page(
    client, provider, settings
):
    """A real socket that never answers: the timeout given to requests really applies."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts the connection; nobody ever reads or writes
        port = silent.getsockname()[1]
        settings.FRANCECONNECT_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid"
        settings.OIDC_TIMEOUT = 1
        began = time.monotonic()
        response = client.post(reverse("franceconnect:start"))
        elapsed = time.monotonic() - began
    assert_refused(response, status=502, words=UNAVAILABLE)
    assert 0.9 < elapsed < 3


def test_the_discovery_document_is_read_once_and_shared(client, provider):
    start(client)
    start(client)
    discovery_calls = [call for call in provider.calls if "openid-configuration" in call[1]]
    assert len(discovery_calls) == 1


def test_with_no_provider_configured_there_is_no_button_and_no_door(client, settings):
    settings.FRANCECONNECT_CLIENT_ID = ""
    settings.FRANCECONNECT_SIMULATED = False
    assert "fr-connect" not in client.get(reverse("home")).content.decode()
    assert "fr-connect" not in client.get(reverse("accounts:register")).content.decode()
    assert client.post(reverse("franceconnect:start")).status_code == 404
    assert client.get(reverse("franceconnect:callback")).status_code == 404
    assert not FranceConnectLink.objects.exists()
