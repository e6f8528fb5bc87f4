"""Argon2id at OWASP's minimum (19 MiB, 2 iterations, 1 lane), set in settings; a password
hashed with other costs (Django's defaults, before) is hashed again at its next login."""

import pytest
from argon2 import Type, extract_parameters
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher
from django.urls import reverse

from accounts.hashing import costs_of, dummy_check, dummy_hash
from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")

pytestmark = [pytest.mark.django_db, pytest.mark.argon2]


def costs(encoded: str) -> tuple[int, int, int]:
    parameters = extract_parameters(encoded.removeprefix("argon2"))
    assert parameters.type is Type.ID
    return parameters.memory_cost, parameters.time_cost, parameters.parallelism


def with_django_defaults(user) -> str:
    """The hash as it was made before: Django's own Argon2 costs (100 MiB, 8 lanes)."""
    old = Argon2PasswordHasher()
    user.password = old.encode(PASSWORD, old.salt())
    user.save(update_fields=["password"])
    return user.password


def test_a_new_password_is_hashed_with_owasps_minimum():
    citizen = UserFactory()
    assert citizen.password.startswith("argon2$argon2id$")
    assert costs(citizen.password) == (19456, 2, 1)


def test_the_costs_come_from_settings(settings):
    settings.ARGON2_MEMORY_KIB, settings.ARGON2_TIME_COST = 47104, 1
    assert costs(UserFactory().password) == (47104, 1, 1)


def test_a_hash_with_djangos_default_costs_is_made_again_at_the_next_login(client):
    citizen = UserFactory()
    before = with_django_defaults(citizen)
    assert costs(before) == (102400, 2, 8)
    assert (
        client.post(LOGIN, {"username": citizen.identifier, "password": PASSWORD}).status_code
        == 302
    )
    citizen.refresh_from_db()
    assert costs(citizen.password) == (19456, 2, 1)
    client.logout()
    assert (
        client.post(LOGIN, {"username": citizen.identifier, "password": PASSWORD}).status_code
        == 302
    )


def test_a_wrong_password_leaves_the_old_hash_as_it_was(client):
    citizen = UserFactory()
    before = with_django_defaults(citizen)
    client.post(LOGIN, {"username": citizen.identifier, "password": "Pas-le-bon-2026!"})
    citizen.refresh_from_db()
    assert citizen.password == before


def test_the_dummy_hash_costs_what_a_real_check_costs(settings):
    dummy_check("made with the default costs")
    assert costs(dummy_hash("argon2", costs_of(get_hasher()))) == (19456, 2, 1)
    settings.ARGON2_MEMORY_KIB, settings.ARGON2_TIME_COST = 47104, 1
    dummy_check("made again with the new costs")
    assert costs(dummy_hash("argon2", costs_of(get_hasher()))) == (47104, 1, 1)
