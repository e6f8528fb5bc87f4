"""« S'identifier avec ProConnect » on the admin's login: an existing active staff account,
found by the work email ProConnect gives, and nothing else; the portal's second factor
after it; the logout of both."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import User
from staff_login.backends import BACKEND_PATH
from staff_login.proconnect import LOGOUT_STATE
from tests.factories import ClerkFactory, UserFactory
from tests.staff_login.proconnect import (
    CALLBACK,
    START,
    WORK_EMAIL,
    come_back,
    path_of,
    start,
    text,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
LOGIN = reverse("admin:login")
# The parameters ProConnect takes; any other one is an error on its side (its documentation).
PROCONNECT_PARAMETERS = {
    "response_type", "client_id", "redirect_uri", "scope", "claims", "state", "nonce",
    "prompt", "idp_hint",
}  # fmt: skip


def logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def test_the_admin_login_page_offers_the_button(client, proconnect):
    page = text(client.get(LOGIN))
    assert "S'identifier avec" in page and "ProConnect" in page
    assert f'action="{START}"' in page


def test_the_authorization_request_is_one_proconnect_takes(client, proconnect):
    params = proconnect.authorize(start(client))
    assert set(params) <= PROCONNECT_PARAMETERS
    assert params["response_type"] == "code"
    assert params["prompt"] == "login"
    assert set(params["scope"].split()) >= {"openid", "email"}
    assert params["redirect_uri"] == "http://testserver" + CALLBACK
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    acr = json.loads(params["claims"])["id_token"]["acr"]
    assert acr["essential"] is True and "eidas1" in acr["values"]


def test_an_agent_with_a_staff_account_is_logged_in_to_the_admin(client, proconnect, agent):
    response = come_back(client, proconnect)
    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert logged_in_as(client) == agent.pk
    assert client.session["_auth_user_backend"] == BACKEND_PATH
    assert client.get(INDEX).status_code == 200


def test_the_email_is_compared_without_case(client, proconnect, agent):
    proconnect.identity["email"] = "  Claire.MARTIN@Mairie.Example "
    come_back(client, proconnect)
    assert logged_in_as(client) == agent.pk


def test_the_agent_returns_to_the_admin_page_they_started_from(client, proconnect, agent):
    target = reverse("admin:accounts_user_changelist")
    response = come_back(client, proconnect, next_url=target)
    assert response["Location"] == target


def test_no_account_is_ever_created(client, proconnect):
    before = User.objects.count()
    response = come_back(client, proconnect)
    assert response.status_code == 403
    assert "Aucun compte d'agent actif du portail" in text(response)
    assert WORK_EMAIL in text(response)
    assert User.objects.count() == before
    assert logged_in_as(client) is None


def test_a_citizen_account_with_the_same_email_is_never_opened(client, proconnect):
    UserFactory(email=WORK_EMAIL)
    response = come_back(client, proconnect)
    assert response.status_code == 403
    assert logged_in_as(client) is None


def test_a_superuser_is_never_opened_by_proconnect(client, proconnect):
    UserFactory(email=WORK_EMAIL, is_staff=True, is_superuser=True)
    response = come_back(client, proconnect)
    assert response.status_code == 403
    assert "Les administrateurs du portail se connectent avec leur identifiant" in text(response)
    assert logged_in_as(client) is None


def test_a_deactivated_staff_account_stays_out(client, proconnect, agent):
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert come_back(client, proconnect).status_code == 403
    assert logged_in_as(client) is None


def test_two_staff_accounts_with_the_email_open_neither(client, proconnect, agent):
    ClerkFactory(email=WORK_EMAIL.upper())
    response = come_back(client, proconnect)
    assert response.status_code == 409
    assert logged_in_as(client) is None


def test_a_staff_member_withdrawn_from_staff_stays_out(client, proconnect, agent):
    """A directory member removed from its group loses staff status (staff_login.directory):
    ProConnect then finds no staff account either."""
    agent.is_staff = False
    agent.save(update_fields=["is_staff"])
    assert come_back(client, proconnect).status_code == 403


def test_a_cancel_on_proconnect_s_page_comes_back_to_the_login(client, proconnect):
    params = proconnect.authorize(start(client))
    response = client.get(
        CALLBACK, {"error": "access_denied", "state": params["state"]}, follow=True
    )
    assert "Connexion avec ProConnect annulée." in text(response)
    assert logged_in_as(client) is None


# The second factor


def test_the_portal_s_second_factor_is_still_asked(client, proconnect, agent, settings):
    settings.STAFF_TWO_FACTOR = True
    come_back(client, proconnect)
    response = client.get(INDEX)
    assert response.status_code == 302
    assert path_of(client.get(response["Location"])["Location"]).startswith(
        reverse("admin:two_factor")
    )


def test_proconnect_s_second_factor_is_believed_only_when_the_town_says_so(
    client, proconnect, agent, settings
):
    settings.STAFF_TWO_FACTOR = True
    proconnect.acr = "https://proconnect.gouv.fr/assurance/self-asserted-2fa"
    come_back(client, proconnect)
    assert client.get(INDEX).status_code == 302
    client.post(reverse("admin:logout"))
    settings.PROCONNECT_TRUSTS_TWO_FACTOR = True
    come_back(client, proconnect)
    assert client.get(INDEX).status_code == 200


def test_a_level_without_second_factor_is_not_believed_even_when_trusted(
    client, proconnect, agent, settings
):
    settings.STAFF_TWO_FACTOR = True
    settings.PROCONNECT_TRUSTS_TWO_FACTOR = True
    proconnect.acr = "eidas1"
    come_back(client, proconnect)
    assert client.get(INDEX).status_code == 302


# Logout


def test_the_admin_s_logout_ends_proconnect_s_session_too(client, proconnect, agent):
    come_back(client, proconnect)
    response = client.post(reverse("admin:logout"))
    assert logged_in_as(client) is None
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://pc.test/api/v2/session/end"
    )
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["id_token_hint"].startswith("eyJ")
    assert query["post_logout_redirect_uri"] == "http://testserver" + reverse(
        "proconnect:logged_out"
    )
    assert client.session[LOGOUT_STATE] == query["state"]
    back = client.get(reverse("proconnect:logged_out"), {"state": query["state"]}, follow=True)
    assert "Vous êtes déconnecté de l'administration et de ProConnect." in text(back)


def test_a_return_from_logout_with_another_state_says_nothing(client, proconnect, agent):
    come_back(client, proconnect)
    client.post(reverse("admin:logout"))
    back = client.get(reverse("proconnect:logged_out"), {"state": "autre"}, follow=True)
    assert "déconnecté de l'administration et de ProConnect" not in text(back)


def test_a_password_login_s_logout_stays_on_the_portal(client, proconnect, agent):
    client.force_login(agent)
    response = client.post(reverse("admin:logout"))
    assert response["Location"] == LOGIN


# No provider


def test_with_no_provider_configured_there_is_no_button_and_no_door(client, settings):
    settings.PROCONNECT_CLIENT_ID = ""
    settings.PROCONNECT_SIMULATED = False
    assert "proconnect-button" not in text(client.get(LOGIN))
    assert client.post(START).status_code == 404
    assert client.get(CALLBACK).status_code == 404
