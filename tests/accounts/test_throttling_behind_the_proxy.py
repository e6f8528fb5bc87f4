"""Throttling behind our reverse proxy: the address counted is the citizen's, not the proxy's.

Every request goes through the real middleware stack with ``REMOTE_ADDR`` set to the
proxy and ``X-Forwarded-For`` as the proxy writes it (the client's own entries first,
then the address the proxy saw).
"""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from citizen_portal.client_ip import client_ip
from tests.factories import ANSWER, PASSWORD, ClerkFactory, UserFactory

LOGIN = reverse("accounts:login")
FORGOTTEN = reverse("accounts:password_forgotten")
ADMIN_LOGIN = reverse("admin:login")
PROXY = "10.0.0.2"
CITIZEN_ADDRESS = "203.0.113.5"


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def through_proxy(seen_by_proxy: str, sent_by_client: str = "") -> dict:
    forwarded = ", ".join(filter(None, [sent_by_client, seen_by_proxy]))
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def login(client, identifier, password, **meta):
    return client.post(LOGIN, {"username": identifier, "password": password}, **meta)


def strangers_fail(client, settings, url, data):
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(url, data(n), **through_proxy(f"198.51.100.{n + 1}"))


@pytest.mark.django_db
def test_strangers_failing_logins_no_longer_lock_the_town_out(client, settings):
    strangers_fail(client, settings, LOGIN, lambda n: {"username": f"invente{n}", "password": "x"})
    citizen = UserFactory()
    response = login(client, citizen.identifier, PASSWORD, **through_proxy(CITIZEN_ADDRESS))
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_address_that_keeps_failing_is_throttled_whatever_it_sends_before(client, settings):
    attacker = "198.51.100.66"
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = f"203.0.113.{n}, 10.9.9.{n}"
        login(client, f"invente{n}", "x", **through_proxy(attacker, sent_by_client=forged))
    fresh = UserFactory()
    blocked = login(client, fresh.identifier, PASSWORD, **through_proxy(attacker, "203.0.113.77"))
    assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.content.decode()
    elsewhere = login(client, fresh.identifier, PASSWORD, **through_proxy(CITIZEN_ADDRESS))
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_an_identifier_that_keeps_failing_is_throttled_from_any_address(client, settings):
    citizen = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, citizen.identifier, "mauvais", **through_proxy(f"198.51.100.{n + 1}"))
    response = login(client, citizen.identifier, PASSWORD, **through_proxy(CITIZEN_ADDRESS))
    assert response.status_code == 429


@pytest.mark.django_db
def test_strangers_wrong_answers_do_not_block_the_lost_password_page(
    client, settings, django_capture_on_commit_callbacks
):
    strangers_fail(
        client, settings, FORGOTTEN, lambda n: {"identifier": f"invente{n}", "answer": "Rex"}
    )
    citizen = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FORGOTTEN,
            {"identifier": citizen.identifier, "answer": ANSWER},
            **through_proxy(CITIZEN_ADDRESS),
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[citizen.email]]


@pytest.mark.django_db
def test_strangers_failing_at_the_admin_login_do_not_lock_the_clerks_out(client, settings):
    strangers_fail(
        client, settings, ADMIN_LOGIN, lambda n: {"username": f"invente{n}", "password": "x"}
    )
    clerk = ClerkFactory()
    response = client.post(
        ADMIN_LOGIN,
        {"username": clerk.identifier, "password": PASSWORD, "next": "/admin/"},
        **through_proxy(CITIZEN_ADDRESS),
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "wrong", "right"),
    [
        (FORGOTTEN, {"answer": "Rex"}, {"answer": ANSWER}),
        (ADMIN_LOGIN, {"password": "x"}, {"password": PASSWORD}),
    ],
    ids=["lost-password answers", "admin login"],
)
def test_an_address_that_keeps_failing_elsewhere_is_throttled(client, settings, url, wrong, right):
    attacker = through_proxy("198.51.100.66")
    name = "identifier" if url == FORGOTTEN else "username"
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {name: f"invente{n}", **wrong}, **attacker)
    someone = (UserFactory if url == FORGOTTEN else ClerkFactory)()
    assert client.post(url, {name: someone.identifier, **right}, **attacker).status_code == 429


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is the client's word
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        (1, PROXY, "1.1.1.1, 2.2.2.2, 203.0.113.9", "203.0.113.9"),  # forged entries ignored
        (2, PROXY, "1.1.1.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),  # two proxies of ours
        (1, PROXY, " 2001:db8::1 ", "2001:db8::1"),
        (1, "192.0.2.1", "", "192.0.2.1"),  # straight to the portal, past the proxy
        (2, PROXY, "203.0.113.9", PROXY),  # fewer entries than proxies: not through them all
        (1, PROXY, "1.1.1.1, pas-une-adresse", PROXY),
    ],
)
def test_the_client_address_is_the_right_most_entry_our_proxies_did_not_write(
    settings, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_has_nothing_to_warn_about():
    from django.core import checks

    assert [message.id for message in checks.run_checks() if message.id.startswith("axes")] == []
