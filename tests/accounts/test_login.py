import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")


def login(client, identifier, password, **extra):
    return client.post(LOGIN, {"username": identifier, "password": password}, **extra)


@pytest.mark.django_db
def test_the_home_page_offers_the_login_box_and_account_creation(client):
    page = client.get(reverse("home")).content.decode()
    for text in (
        "Utilisateur",
        "Mot de passe",
        "Connexion",
        "mot de passe oublié",
        "Créer un compte",
        "Je souhaite créer un compte",
    ):
        assert text in page
    assert "Services en ligne" not in page


@pytest.mark.django_db
def test_a_citizen_logs_in_with_the_identifier_not_the_email(client, citizen):
    assert login(client, citizen.email, PASSWORD).status_code == 200
    response = login(client, citizen.identifier, PASSWORD)
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    for tab in ("Accueil", "Compte", "Services en ligne", "Demandes", "Paiements"):
        assert f">{tab}</a>" in page


@pytest.mark.django_db
def test_the_identifier_is_forgiving_about_case_and_spaces(client, citizen):
    assert login(client, f"  {citizen.identifier.upper()} ", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_gets_a_french_message_and_an_error_summary(client, citizen):
    response = login(client, citizen.identifier, "mauvais")
    page = response.content.decode()
    assert "Identifiant ou mot de passe incorrect" in page
    assert 'class="error-summary"' in page


@pytest.mark.django_db
def test_logging_out_takes_a_post_and_ends_the_session(citizen_client):
    response = citizen_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in citizen_client.session


@pytest.mark.django_db
def test_a_pending_citizen_uses_the_portal_and_is_told_the_account_awaits_validation(
    client, pending_citizen
):
    client.force_login(pending_citizen)
    page = client.get(reverse("home")).content.decode()
    assert "en attente de validation" in page
    assert "pas encore modifier" in page or "qu'après sa validation" in page


@pytest.mark.django_db
def test_logins_are_throttled_per_identifier_with_a_french_message(client, settings):
    citizen = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, citizen.identifier, "mauvais", REMOTE_ADDR="10.0.0.1")
    # Even the right password, from another address, waits for the unlock delay.
    response = login(client, citizen.identifier, PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "15 minutes" in response.content.decode()


@pytest.mark.django_db
def test_logins_are_throttled_per_ip_across_identifiers(client, settings):
    victims = UserFactory.create_batch(settings.AXES_FAILURE_LIMIT)
    for victim in victims:
        login(client, victim.identifier, "mauvais", REMOTE_ADDR="10.0.0.9")
    fresh = UserFactory()
    assert login(client, fresh.identifier, PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert login(client, fresh.identifier, PASSWORD, REMOTE_ADDR="10.0.0.10").status_code == 302


@pytest.mark.django_db
def test_the_lock_is_lifted_after_the_cool_off(client, settings, time_machine):
    citizen = UserFactory()
    time_machine.move_to("2026-11-27 10:00 +01:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, citizen.identifier, "mauvais")
    assert login(client, citizen.identifier, PASSWORD).status_code == 429
    time_machine.move_to("2026-11-27 10:16 +01:00", tick=False)
    assert login(client, citizen.identifier, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_inactive_account_cannot_log_in(client):
    citizen = UserFactory(is_active=False)
    assert login(client, citizen.identifier, PASSWORD).status_code == 200
