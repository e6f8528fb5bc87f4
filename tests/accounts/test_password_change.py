import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

URL = reverse("accounts:password_change")


@pytest.mark.django_db
def test_a_logged_in_citizen_changes_the_password_with_the_current_one(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(
            URL,
            {
                "old_password": PASSWORD,
                "password1": "Nouveau-Mot2passe!",
                "password2": "Nouveau-Mot2passe!",
            },
        )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Nouveau-Mot2passe!")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]


@pytest.mark.django_db
def test_a_wrong_current_password_changes_nothing(citizen_client, citizen):
    response = citizen_client.post(
        URL,
        {
            "old_password": "faux",
            "password1": "Nouveau-Mot2passe!",
            "password2": "Nouveau-Mot2passe!",
        },
    )
    assert "Le mot de passe actuel est incorrect." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_page_requires_login(client):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_pending_citizen_may_change_the_password(client, pending_citizen):
    client.force_login(pending_citizen)
    response = client.post(
        URL,
        {
            "old_password": PASSWORD,
            "password1": "Nouveau-Mot2passe!",
            "password2": "Nouveau-Mot2passe!",
        },
    )
    assert response.status_code == 302
