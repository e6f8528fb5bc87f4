"""Time does not tell who has an account: the same hashing work whoever is named.

Measured with the production hasher (Argon2), through the real views, in interleaved
rounds whose order turns. Each case keeps its fastest time (the machine's other work
only ever adds time), and the slowest case must stay within a tolerance of the
fastest. One Argon2 check takes about 100 ms here, so a missing one shows far beyond it.
"""

import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, ClerkFactory, PendingUserFactory, UserFactory

ROUNDS = 3
TOLERANCE = 1.5  # slowest case / fastest case
LOGIN = reverse("accounts:login")
FORGOTTEN = reverse("accounts:password_forgotten")

pytestmark = [pytest.mark.django_db, pytest.mark.argon2]


def fastest_times(client, cases: dict, post) -> dict:
    timings = {name: [] for name in cases}
    names = list(cases)
    for round_number in range(ROUNDS):
        for name in names[round_number:] + names[:round_number]:
            identifier = cases[name]
            started = time.perf_counter()
            post(client, identifier)
            timings[name].append(time.perf_counter() - started)
            AccessAttempt.objects.all().delete()  # no lockout between rounds
    return {name: min(values) for name, values in timings.items()}


def assert_alike(measured: dict) -> None:
    slowest, fastest = max(measured.values()), min(measured.values())
    shown = {name: f"{seconds * 1000:.0f} ms" for name, seconds in measured.items()}
    assert slowest / fastest < TOLERANCE, shown


def wrong_login(client, identifier):
    response = client.post(LOGIN, {"username": identifier, "password": "Pas-le-bon-2026!"})
    assert response.status_code == 200


def wrong_answer(client, identifier):
    response = client.post(FORGOTTEN, {"identifier": identifier, "answer": "Rex"})
    assert response.status_code == 302


@pytest.fixture
def accounts():
    reset = UserFactory()
    reset.set_temporary_password("Temporaire-2026!")
    reset.save()
    return {
        "validated": UserFactory().identifier,
        "unknown": "inconnu9",
        "inactive": UserFactory(is_active=False).identifier,
        "pending": PendingUserFactory().identifier,
        "temporary password pending": reset.identifier,
        "staff": ClerkFactory().identifier,
    }


def test_a_failed_login_takes_as_long_whoever_is_named(client, accounts):
    assert_alike(fastest_times(client, accounts, wrong_login))


def test_a_wrong_answer_takes_as_long_whoever_is_named(client, accounts):
    assert_alike(fastest_times(client, accounts, wrong_answer))


def test_the_right_password_still_logs_in(client):
    citizen = UserFactory()
    response = client.post(LOGIN, {"username": citizen.identifier, "password": PASSWORD})
    assert response.status_code == 302
