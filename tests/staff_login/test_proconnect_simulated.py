"""The simulated ProConnect of the demo: refused unless allowed, and when it is, the whole
journey of a demo clerk from the admin's login page, through the same client as the real
federation."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from staff_login import proconnect_simulated
from tests.staff_login.proconnect import START, text
from tests.test_settings import start as start_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PROCONNECT_CLIENT_ID = ""
    settings.PROCONNECT_SIMULATED = True
    settings.PROCONNECT_ALLOW_SIMULATED = True


def test_without_debug_or_explicit_consent_every_page_is_404(client, settings):
    settings.PROCONNECT_SIMULATED = True
    settings.PROCONNECT_ALLOW_SIMULATED = False
    settings.DEBUG = False
    for name in ("authorize", "userinfo", "jwks", "end_session"):
        assert client.get(reverse(f"proconnect_simulated:{name}")).status_code == 404
    assert client.post(reverse("proconnect_simulated:token")).status_code == 404
    assert client.post(START).status_code == 404
    assert "proconnect-button" not in text(client.get(reverse("admin:login")))


@pytest.mark.processes
def test_the_settings_refuse_a_simulated_proconnect_without_debug_unless_asked(tmp_path):
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portail.mairie.example"}
    payments = {"PAYMENT_ALLOW_SIMULATED": "1"}
    refused = start_process(
        VAR_DIR=str(tmp_path), PROCONNECT_SIMULATED="1", **production, **payments
    )
    assert refused.returncode != 0
    assert "ProConnect simulé refusé sans DEBUG" in refused.stderr
    demo_server = start_process(
        VAR_DIR=str(tmp_path),
        PROCONNECT_SIMULATED="1",
        PROCONNECT_ALLOW_SIMULATED="1",
        **production,
        **payments,
    )
    assert demo_server.returncode == 0, demo_server.stderr


def test_its_page_sends_the_chosen_agent_back_to_the_portal_s_callback_only(client, demo):
    """The whole journey, where the portal calls this provider over HTTP, runs in a real
    browser against a live server: tests/e2e/test_staff_login_journey.py."""
    authorize = client.post(START)["Location"]
    assert "ProConnect (simulation)" in text(client.get(authorize))
    back = client.post(authorize, {"identity": "scolaire"})
    assert urlsplit(back["Location"]).path == reverse("proconnect:callback")
    code = parse_qs(urlsplit(back["Location"]).query)["code"][0]
    token = client.post(
        reverse("proconnect_simulated:token"),
        {
            "client_id": proconnect_simulated.PROVIDER.client_id,
            "client_secret": proconnect_simulated.PROVIDER.client_secret(),
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver" + reverse("proconnect:callback"),
        },
    )
    assert token.status_code == 200
    callback = reverse("proconnect:callback").replace("/", "%2F")
    elsewhere = authorize.replace(callback, "%2Failleurs%2F")
    assert elsewhere != authorize
    assert client.post(elsewhere, {"identity": "scolaire"}).status_code == 400


def test_its_page_offers_the_demo_agents(client, demo):
    page = text(client.get(client.post(START)["Location"]))
    for claims in proconnect_simulated.IDENTITIES.values():
        assert claims["email"] in page


def test_the_demo_s_clerks_are_the_agents_of_the_simulated_proconnect(demo):
    """`make run`: each agent offered, but the one meant to be refused, opens one demo clerk."""
    from demo.people import seed
    from staff_login.selectors import staff_accounts_with_email

    seed()
    for key, claims in proconnect_simulated.IDENTITIES.items():
        accounts = staff_accounts_with_email(claims["email"])
        expected = 0 if key == "inconnu" else 1
        assert accounts.filter(is_superuser=False).count() == expected, key
