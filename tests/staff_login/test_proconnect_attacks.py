"""ProConnect as an attacker tries it (tests/franceconnect/test_attacks.py and
test_protocol_checks.py, adapted to staff): a forged or replayed answer, a session fixed in
advance, a way back to another site, a provider that answers nonsense or hangs, tokens and
emails in the logs. Each test names what it would let through."""

import json
import logging
import socket
import time

import jwt
import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.franceconnect.provider import ec_key, rsa_key
from tests.staff_login.proconnect import CALLBACK, START, WORK_EMAIL, come_back, start, text

pytestmark = pytest.mark.django_db

REFUSED = "La réponse de ProConnect n'a pas pu être vérifiée"
UNAVAILABLE = "ProConnect ne répond pas pour le moment"
INDEX = reverse("admin:index")


def assert_refused(response, status=400, words=REFUSED):
    assert response.status_code == status
    assert words in text(response)
    assert "_auth_user_id" not in response.wsgi_request.session


def session_key(client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


# State, nonce, replay


def test_it_refuses_a_wrong_state(client, proconnect, agent):
    assert_refused(come_back(client, proconnect, state="etat-invente"))


def test_the_same_answer_replayed_is_refused(client, proconnect, agent):
    params = proconnect.authorize(start(client))
    query = {"code": proconnect.code_for(params), "state": params["state"]}
    assert client.get(CALLBACK, query).status_code == 302
    client.post(reverse("admin:logout"))
    proconnect.codes["code-1"] = params["nonce"]  # even if the provider took the code again
    assert_refused(client.get(CALLBACK, query))


def test_it_refuses_an_id_token_carrying_the_nonce_of_an_earlier_login(client, proconnect, agent):
    earlier = proconnect.authorize(start(client))
    proconnect.nonce_override = earlier["nonce"]
    assert_refused(come_back(client, proconnect))


def test_it_refuses_an_id_token_without_nonce(client, proconnect, agent):
    proconnect.id_token_claims = {"nonce": None}
    assert_refused(come_back(client, proconnect))


def test_the_starting_door_takes_only_a_post_with_its_csrf_token(client, proconnect):
    assert client.get(START).status_code == 405
    assert Client(enforce_csrf_checks=True).post(START).status_code == 403


# Signatures and claims


def test_it_refuses_an_expired_id_token(client, proconnect, agent):
    params = proconnect.authorize(start(client))
    code = proconnect.code_for(params)
    with time_machine.travel(time.time() - 600, tick=False):
        expired = proconnect.id_token(params["nonce"])
    proconnect.id_token = lambda nonce: expired
    assert_refused(client.get(CALLBACK, {"code": code, "state": params["state"]}))


def test_it_refuses_an_id_token_signed_by_another_key(client, proconnect, agent):
    proconnect.forged_with = rsa_key()
    assert_refused(come_back(client, proconnect))


def test_it_refuses_an_unsigned_id_token(client, proconnect, agent):
    def unsigned(claims):
        return jwt.encode(claims, None, algorithm="none", headers={"kid": proconnect.kid})

    proconnect.sign = unsigned
    assert_refused(come_back(client, proconnect))


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "un-autre-service"},
        {"iss": "https://faux-proconnect.example"},
        {"acr": "eidas0"},
        {"acr": None},
        {"iat": None},
    ],
    ids=["another-audience", "another-issuer", "a-lower-level", "no-level", "no-issue-time"],
)
def test_it_refuses_an_id_token_whose_claims_are_not_for_us(client, proconnect, agent, claims):
    proconnect.id_token_claims = claims
    assert_refused(come_back(client, proconnect))


def test_it_refuses_a_userinfo_for_another_agent_than_the_id_token(client, proconnect, agent):
    real_answer = proconnect.answer

    def answer(method, url, body, headers):
        status, content_type, payload = real_answer(method, url, body, headers)
        if url.endswith("/userinfo"):
            payload = proconnect.sign({**proconnect.identity, "sub": "quelqu-un-d-autre"})
        return status, content_type, payload

    proconnect.answer = answer
    assert_refused(come_back(client, proconnect))


def test_it_refuses_a_userinfo_signed_by_another_key(client, proconnect, agent):
    real_answer = proconnect.answer
    forger = rsa_key()

    def answer(method, url, body, headers):
        status, content_type, payload = real_answer(method, url, body, headers)
        if url.endswith("/userinfo"):
            claims = {**proconnect.identity, "iss": proconnect.issuer}
            payload = jwt.encode(claims, forger, algorithm="RS256", headers={"kid": proconnect.kid})
        return status, content_type, payload

    proconnect.answer = answer
    assert_refused(come_back(client, proconnect))


def test_it_accepts_es256_as_well(client, proconnect, agent):
    proconnect.key, proconnect.alg = ec_key(), "ES256"
    assert come_back(client, proconnect)["Location"] == INDEX


@pytest.mark.parametrize("email", ["", "pas-une-adresse", "a" * 250 + "@mairie.example", None])
def test_an_answer_without_a_usable_email_is_refused_in_french(client, proconnect, agent, email):
    proconnect.identity["email"] = email
    assert_refused(
        come_back(client, proconnect), words="ProConnect n'a pas transmis d'adresse électronique"
    )


# Sessions and redirects


def test_the_staff_session_is_a_new_one(client, proconnect, agent):
    """A session key planted in the agent's browser beforehand must not become a staff
    session that the attacker holds too."""
    start(client)
    planted = session_key(client)
    come_back(client, proconnect)
    assert session_key(client) != planted
    planted_client = Client()
    planted_client.cookies[django_settings.SESSION_COOKIE_NAME] = planted
    assert planted_client.get(INDEX).status_code == 302


def test_a_citizen_s_session_is_flushed_before_the_staff_session_opens(client, proconnect, agent):
    client.force_login(UserFactory())
    citizen_key = session_key(client)
    come_back(client, proconnect)
    assert int(client.session["_auth_user_id"]) == agent.pk
    assert session_key(client) != citizen_key


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_the_way_back_never_leads_to_another_site(client, proconnect, agent, next_url):
    response = come_back(client, proconnect, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == INDEX


# A provider that answers nonsense or nothing: a French page, never a 500


@pytest.mark.parametrize(
    ("endpoint", "content_type", "body"),
    [
        ("token", "text/html", "<html><body>Maintenance</body></html>"),
        ("token", "application/json", "[]"),
        ("token", "application/json", json.dumps({"id_token": "x" * 3_000_000})),
        ("jwks", "application/json", '{"keys": ["x"]}'),
        ("userinfo", "application/json", "[1, 2]"),
        ("userinfo", "application/jwt", "not.a.jwt"),
    ],
)
def test_a_malformed_answer_gives_a_french_page(
    client, proconnect, agent, endpoint, content_type, body
):
    proconnect.raw_on[endpoint] = (content_type, body)
    response = come_back(client, proconnect)
    assert response.status_code in (400, 502)
    assert "ProConnect" in text(response)
    assert "_auth_user_id" not in client.session


def test_a_malformed_discovery_document_gives_a_french_page(client, proconnect):
    proconnect.raw_on["discovery"] = ("application/json", "[]")
    assert_refused(client.post(START), status=502, words=UNAVAILABLE)


@pytest.mark.parametrize("endpoint", ["token", "jwks", "userinfo"])
def test_a_provider_that_times_out_gives_a_french_page(client, proconnect, agent, endpoint):
    proconnect.timeout_on = endpoint
    assert_refused(come_back(client, proconnect), status=502, words=UNAVAILABLE)


def test_a_provider_in_error_gives_a_french_page(client, proconnect, agent):
    proconnect.status_on = {"token": 503}
    assert_refused(come_back(client, proconnect), status=502, words=UNAVAILABLE)


def test_every_call_to_the_provider_has_proconnect_s_timeout(client, proconnect, agent, settings):
    come_back(client, proconnect)
    assert {path for _, path, _ in proconnect.calls} == {
        "/api/v2/.well-known/openid-configuration",
        "/api/v2/token",
        "/api/v2/jwks",
        "/api/v2/userinfo",
    }
    assert all(timeout == settings.PROCONNECT_TIMEOUT for _, _, timeout in proconnect.calls)


def test_a_provider_that_accepts_and_never_answers_costs_the_timeout_then_a_french_page(
    client, proconnect, settings
):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts the connection; nobody ever reads or writes
        port = silent.getsockname()[1]
        settings.PROCONNECT_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid"
        settings.PROCONNECT_TIMEOUT = 1
        began = time.monotonic()
        response = client.post(START)
        elapsed = time.monotonic() - began
    assert_refused(response, status=502, words=UNAVAILABLE)
    assert 0.9 < elapsed < 3


# Logs


def test_no_log_line_holds_a_token_or_the_email(client, proconnect, agent, caplog):
    caplog.set_level(logging.DEBUG)
    come_back(client, proconnect)
    client.post(reverse("admin:logout"))
    proconnect.id_token_claims["aud"] = "un-autre-service"
    come_back(client, proconnect)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "eyJ" not in logged
    for value in (WORK_EMAIL, "Claire", proconnect.identity["sub"]):
        assert value not in logged
