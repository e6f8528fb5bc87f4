"""A login in a handful of queries, every guarantee kept (accounts/throttling.py,
accounts/sessions.py): the lockouts, the access log, a new session key, the same
queries for a known and an unknown identifier."""

import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")
WRONG = "Pas-le-bon-2026!"
TABLES = re.compile(r'(?:FROM|INTO|UPDATE) "(\w+)"')

pytestmark = pytest.mark.django_db


def login(client, identifier, password, **extra):
    return client.post(LOGIN, {"username": identifier, "password": password}, **extra)


def statements(client, identifier, password) -> list[str]:
    """The statements of one login POST, as their verb and tables (savepoints included)."""
    with CaptureQueriesContext(connection) as captured:
        login(client, identifier, password)
    return [" ".join([sql.split()[0], *TABLES.findall(sql)]) for sql in sqls(captured)]


def sqls(captured) -> list[str]:
    return [query["sql"] for query in captured]


def test_a_login_costs_seven_statements(client):
    """The failures counted in one query, the account read, the access log written,
    last_login, and the session inserted once (in a savepoint, here inside the test's
    transaction; BEGIN and COMMIT in production): 21 before, in the bench's count."""
    citizen = UserFactory()
    client.get(reverse("home"))
    done = statements(client, citizen.identifier, PASSWORD)
    assert len(done) == 7, done
    assert sum("django_session" in sql for sql in done) == 1


def test_a_known_and_an_unknown_identifier_fail_through_the_same_statements(client):
    citizen = UserFactory()
    known = statements(client, citizen.identifier, WRONG)
    AccessAttempt.objects.all().delete()
    unknown = statements(client, "inconnu9", WRONG)
    assert known == unknown
    assert len(known) == 10


def test_a_login_writes_the_access_log_and_a_new_session_key(client):
    citizen = UserFactory()
    client.get(reverse("accounts:password_forgotten"))  # an anonymous session, if any
    session = client.session
    session["vu"] = True
    session.save()
    before = session.session_key
    assert login(client, citizen.identifier, PASSWORD).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    stored = Session.objects.get(session_key=after).get_decoded()
    assert stored["_auth_user_id"] == str(citizen.pk)
    assert stored["vu"] is True
    assert AccessLog.objects.filter(username=citizen.identifier).count() == 1
    assert client.get(reverse("households:account")).status_code == 200


def test_a_login_clears_the_failures_it_counted(client):
    citizen = UserFactory()
    for _ in range(2):
        login(client, citizen.identifier, WRONG)
    assert AccessAttempt.objects.filter(username=citizen.identifier).exists()
    assert login(client, citizen.identifier, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=citizen.identifier).exists()


def test_failures_older_than_the_cool_off_are_not_counted_again(client, settings, time_machine):
    """The expired row is swept before a new failure: its old count would come back."""
    citizen = UserFactory()
    time_machine.move_to("2026-11-27 10:00 +01:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, citizen.identifier, WRONG)
    time_machine.move_to("2026-11-27 10:20 +01:00", tick=False)
    login(client, citizen.identifier, WRONG)
    assert login(client, citizen.identifier, PASSWORD).status_code == 302


def test_the_lockout_still_counts_the_identifier_and_the_address_apart(client, settings):
    citizen = UserFactory()
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, citizen.identifier, WRONG, REMOTE_ADDR=f"10.0.1.{number}")
    login(client, "inconnu9", WRONG, REMOTE_ADDR="10.0.1.1")
    # 4 failures of the identifier, 2 of one address: below the limit both.
    assert login(client, citizen.identifier, PASSWORD, REMOTE_ADDR="10.0.1.1").status_code == 302
