"""FranceConnect as an attacker tries it: a session fixed in advance, a forged identity,
a way back to another site, a provider that answers nonsense, a staff account, tokens in
the logs. Each test names what it would let through."""

import json
import logging
import subprocess

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from accounts.models import User
from franceconnect import sessions
from franceconnect.models import FranceConnectLink
from tests.factories import UserFactory
from tests.franceconnect.conftest import (
    COMPLETE,
    CONTACT,
    come_back,
    password_login,
    start,
    text,
)

pytestmark = pytest.mark.django_db

LINK = reverse("franceconnect:link_pending")


def session_key(client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


# Session fixation


def test_the_session_holding_a_first_visit_s_identity_is_a_new_one(client, provider):
    """An attacker who planted a session key in the citizen's browser would otherwise read
    the certified identity and create the account with a password of their own."""
    start(client)
    planted = session_key(client)
    come_back(client, provider)
    assert session_key(client) != planted
    assert sessions.PENDING not in SessionStore(session_key=planted).load()
    planted_client = Client()
    planted_client.cookies[django_settings.SESSION_COOKIE_NAME] = planted
    assert planted_client.get(COMPLETE).status_code == 302
    assert not User.objects.filter(last_name="DUBOIS").exists()


def test_linking_an_account_renews_its_session(client, provider):
    citizen = UserFactory()
    password_login(client, citizen)
    before = session_key(client)
    come_back(client, provider)
    assert FranceConnectLink.objects.filter(account=citizen).exists()
    assert session_key(client) != before


def test_the_first_visit_takes_the_identity_from_the_session_never_from_the_form(client, provider):
    come_back(client, provider)
    forged = {
        "family_name": "PIRATE",
        "last_name": "PIRATE",
        "first_name": "Mallory",
        "given_name": "Mallory",
        "birth_date": "2000-01-01",
        "birthdate": "2000-01-01",
        "email": "mallory@example.org",
        "sub": "someone-else",
    }
    response = client.post(COMPLETE, {**CONTACT, **forged})
    assert response.status_code == 302
    account = User.objects.get(franceconnect_link__isnull=False)
    assert (account.last_name, account.first_name) == ("DUBOIS", "Angela Claire Louise")
    assert account.email == "angela.dubois@example.org"
    assert account.franceconnect_link.sub == provider.identity["sub"]


# CSRF


def test_every_state_changing_door_wants_the_csrf_token(provider, client):
    guarded = Client(enforce_csrf_checks=True)
    assert guarded.post(reverse("franceconnect:start")).status_code == 403
    come_back(client, provider)
    guarded.cookies = client.cookies
    assert guarded.post(COMPLETE, CONTACT).status_code == 403
    password_login(client, UserFactory())
    guarded.cookies = client.cookies
    assert guarded.post(LINK).status_code == 403
    assert not FranceConnectLink.objects.exists()


# Open redirects


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_the_way_back_never_leads_to_another_site(client, provider, next_url):
    citizen = UserFactory()
    FranceConnectLink.objects.create(
        account=citizen, client_id="client-de-la-mairie", sub=provider.identity["sub"]
    )
    params = provider.authorize(start(client, next_url=next_url))
    query = {"code": provider.code_for(params), "state": params["state"]}
    response = client.get(reverse("franceconnect:callback"), query)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_each_tab_comes_back_to_its_own_page(client, provider):
    """Two logins started in two tabs: the first one answered returns where it began, not
    where the later tab began."""
    citizen = UserFactory()
    FranceConnectLink.objects.create(
        account=citizen, client_id="client-de-la-mairie", sub=provider.identity["sub"]
    )
    first = provider.authorize(start(client, next_url="/demandes/"))
    start(client, next_url="/paiements/")
    callback = reverse("franceconnect:callback")
    response = client.get(callback, {"code": provider.code_for(first), "state": first["state"]})
    assert response["Location"] == "/demandes/"


# Who may come in


@pytest.mark.parametrize(
    "rights", [{"is_active": False}, {"is_staff": True}, {"is_superuser": True}]
)
def test_a_deactivated_or_staff_account_cannot_log_in_through_franceconnect(
    client, provider, rights
):
    account = UserFactory(**rights)
    FranceConnectLink.objects.create(
        account=account, client_id="client-de-la-mairie", sub=provider.identity["sub"]
    )
    response = come_back(client, provider)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_superuser_cannot_link_franceconnect(client, provider):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)
    come_back(client, provider)
    assert not FranceConnectLink.objects.exists()


# A provider that answers nonsense: a French page, never a 500


# 502: the provider's answer cannot be read. 400: it reads, but its keys or its signed
# answer cannot be checked, the same refusal as a forged token's.
@pytest.mark.parametrize(
    ("endpoint", "content_type", "body", "status"),
    [
        ("token", "text/html", "<html><body>Maintenance</body></html>", 502),
        ("token", "application/json", "[]", 502),
        ("token", "application/json", '"a string"', 502),
        ("token", "application/json", json.dumps({"id_token": "x" * 3_000_000}), 502),
        ("jwks", "application/json", "[]", 502),
        ("jwks", "application/json", '{"keys": ["x"]}', 400),
        ("jwks", "application/json", '{"keys": [42]}', 400),
        ("userinfo", "application/json", "[1, 2]", 502),
        ("userinfo", "application/jwt", "not.a.jwt", 400),
        ("userinfo", "text/plain", "bonjour", 502),
    ],
)
def test_a_malformed_answer_gives_a_french_page(
    client, provider, endpoint, content_type, body, status
):
    provider.raw_on[endpoint] = (content_type, body)
    response = come_back(client, provider)
    assert response.status_code == status
    assert "FranceConnect" in text(response)
    assert sessions.PENDING not in client.session


@pytest.mark.parametrize("body", ["[]", "<html></html>", json.dumps({"issuer": ["x"] * 10})])
def test_a_malformed_discovery_document_gives_a_french_page(client, provider, body):
    provider.raw_on["discovery"] = ("application/json", body)
    response = client.post(reverse("franceconnect:start"))
    assert response.status_code == 502
    assert "FranceConnect ne répond pas" in text(response)


def test_a_huge_answer_is_not_read_to_its_end(client, provider):
    provider.raw_on["userinfo"] = ("application/json", json.dumps({"sub": "y" * 5_000_000}))
    response = come_back(client, provider)
    assert response.status_code == 502


@pytest.mark.parametrize("claim", ["given_name", "family_name", "email", "birthplace"])
def test_an_overlong_identity_is_refused_in_french_before_anything_is_kept(client, provider, claim):
    provider.identity[claim] = "A" * 1000
    response = come_back(client, provider)
    assert response.status_code == 400
    assert "FranceConnect" in text(response)
    assert sessions.PENDING not in client.session


# Logs


def test_no_log_line_holds_a_token_or_the_identity(client, provider, caplog):
    caplog.set_level(logging.DEBUG)
    come_back(client, provider)
    client.post(COMPLETE, CONTACT)
    client.post(reverse("accounts:logout"))
    provider.id_token_claims["aud"] = "another-client"
    come_back(client, provider)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "eyJ" not in logged  # the start of every JWT
    for value in ("DUBOIS", "Angela", "1962-08-24", "angela.dubois", provider.identity["sub"]):
        assert value not in logged


# The simulated provider's key


def test_the_simulated_provider_s_key_is_neither_committed_nor_served(client, settings, tmp_path):
    tracked = subprocess.run(
        ["git", "ls-files", "*.pem", "*.key"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=10,
        cwd=django_settings.BASE_DIR,
        check=True,
    ).stdout
    assert tracked == ""
    settings.VAR_DIR = tmp_path
    settings.FRANCECONNECT_SIMULATED = True
    settings.FRANCECONNECT_ALLOW_SIMULATED = True
    assert client.get(reverse("franceconnect_simulated:jwks")).status_code == 200
    key = tmp_path / "franceconnect-simule.pem"
    assert key.exists() and key.stat().st_mode & 0o077 == 0
    assert "PRIVATE" not in text(client.get(reverse("franceconnect_simulated:jwks")))
    for path in ("/static/franceconnect-simule.pem", "/media/franceconnect-simule.pem"):
        assert client.get(path).status_code == 404
