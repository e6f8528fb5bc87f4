"""The admin's login is throttled like the citizen's: same counters, same lockout page."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def test_five_wrong_passwords_lock_the_admin_login_with_the_portal_s_lockout_page(
    client, clerk, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(LOGIN, {"username": clerk.identifier, "password": "faux"})
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": clerk.identifier, "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert not client.session.get("_auth_user_id")


def test_failures_on_the_citizen_login_count_for_the_admin_login_too(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": clerk.identifier, "password": "faux"})
    response = client.post(LOGIN, {"username": clerk.identifier, "password": PASSWORD})
    assert response.status_code == 429
