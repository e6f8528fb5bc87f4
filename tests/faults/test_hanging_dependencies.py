"""Dependencies that hang (accept connections, never answer) or drop under a persistent
connection: pages and /sante/ answer in bounded time, and nothing is lost."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import kombu.transport.redis  # noqa: F401 - imported ahead, not timed with the broker
import psycopg
import pytest
import redis
import stripe
from django.db import connection
from django.urls import reverse

from citizen_portal.cache_connection import shared_cache
from notifications.models import Message, MessageStatus
from notifications.services import messages_requeue
from notifications.topics import request_topic
from tests.notifications.test_messages import submit
from tests.processes import (
    BROKER,
    ROOT,
    gunicorn,
    portal_env,
    publishing_to,
    require_real_services,
    tarpit,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _real_services(db):
    require_real_services()


def get(url: str) -> tuple[int, bytes, float]:
    """Status, body and seconds taken of a GET, an error status included."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - our server
            return answer.status, answer.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


@pytest.mark.django_db  # In a transaction: the commit's callbacks are captured, then timed.
def test_a_hanging_broker_costs_a_submission_one_second_and_loses_nothing(
    citizen, settings, django_capture_on_commit_callbacks
):
    settings.PDF_PREBUILD = True  # Two tasks queued at commit: the message and the PDF.
    queue = redis.Redis.from_url(BROKER)
    queue.flushdb()
    with django_capture_on_commit_callbacks() as after_commit:
        request = submit(citizen)
    assert len(after_commit) >= 2
    with tarpit() as port, publishing_to(f"redis://127.0.0.1:{port}/13"):
        started = time.monotonic()
        for callback in after_commit:
            callback()
        waited = time.monotonic() - started
    assert waited < 1.5, f"the page waited {waited:.1f} s on the broker after its commit"
    message = Message.objects.get(topic=request_topic(request.pk))
    assert message.status == MessageStatus.PENDING
    with publishing_to(BROKER):
        assert messages_requeue() == 1  # The beat, once the broker answers again.
    assert queue.llen("celery") == 1


def test_the_health_check_names_a_hanging_broker_within_three_seconds(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with tarpit() as port, publishing_to(f"redis://127.0.0.1:{port}/13"):
        started = time.monotonic()
        response = client.get(reverse("health"))
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": True, "broker": False}
    assert waited < 3.0


def test_the_health_check_names_a_hanging_database_within_three_seconds():
    with tarpit() as port, gunicorn(DATABASE_URL=f"postgres://portal@127.0.0.1:{port}/x") as url:
        assert get(f"{url}/aide/")[0] == 200  # Django's first request loads the views.
        status, body, waited = get(f"{url}/sante/")
    assert status == 503
    assert json.loads(body) == {"status": "error", "database": False, "broker": True}
    assert waited < 3.0


def test_a_database_restart_under_persistent_connections_costs_no_error_page(citizen):
    search = "/services-en-ligne/?q=encombrants"
    with gunicorn(CONN_MAX_AGE="60") as url:
        assert get(url + search)[0] == 200
        with connection.cursor() as cursor:  # What a restart or a failover does to it.
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        assert get(url + search)[0] == 200


@pytest.mark.parametrize(("process", "expected"), [("web", "20s"), ("other", "0")])
def test_only_web_requests_get_the_statement_timeout(process, expected):
    code = (
        "import citizen_portal.wsgi\n" if process == "web" else "import django; django.setup()\n"
    ) + (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])\n"
    )
    env = portal_env(DJANGO_SETTINGS_MODULE="citizen_portal.settings")
    env.pop("CITIZEN_PORTAL_PROCESS", None)
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.stdout.strip() == expected, shown.stderr


def test_a_connection_attempt_to_a_hanging_database_gives_up(settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT == 3
    with tarpit() as port:
        started = time.monotonic()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(f"postgresql://portal@127.0.0.1:{port}/x", **options)
    assert time.monotonic() - started < settings.DATABASE_CONNECT_TIMEOUT + 1


@pytest.mark.django_db
def test_a_hanging_shared_cache_costs_one_page_one_timeout(citizen_client, settings):
    with tarpit() as port:
        settings.CACHES = {
            **settings.CACHES,
            "default": shared_cache(f"redis://127.0.0.1:{port}/13", settings.CACHE_SOCKET_TIMEOUT),
        }
        waits = []
        for _page in range(2):
            started = time.monotonic()
            assert citizen_client.get(reverse("home")).status_code == 200
            waits.append(time.monotonic() - started)
    first, second = waits
    assert first < 2.5, f"the first page waited {first:.1f} s (one cache timeout expected)"
    assert second < 1.0, f"the next page waited {second:.1f} s (the cache is left alone)"


@pytest.mark.django_db
def test_a_hanging_payment_provider_gives_up_after_its_timeout(settings, monkeypatch):
    from payments.providers import stripe_api

    settings.PAYMENT_PROVIDER_TIMEOUT = 1
    monkeypatch.setattr(stripe_api, "HTTP_CLIENT", None)  # The network client, as in production.
    with tarpit() as port:
        started = time.monotonic()
        with pytest.raises(stripe.APIConnectionError):
            stripe_api.http_client().request("get", f"http://127.0.0.1:{port}/v1/x", {})
        waited = time.monotonic() - started
    assert 0.9 < waited < 2.0


@pytest.mark.django_db
def test_a_hanging_smtp_server_costs_a_delivery_its_timeout_then_a_retry(citizen, settings):
    from notifications.services import message_deliver

    with tarpit() as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        settings.EMAIL_TIMEOUT = 1
        submit(citizen)  # On-commit callbacks not run: the message waits in the outbox.
        message = Message.objects.get()
        started = time.monotonic()
        assert message_deliver(message.pk)[0] == "retry"
        waited = time.monotonic() - started
    assert waited < 2.0
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert "timed out" in message.last_error
