"""Delivery through a real Redis broker, a real Celery worker process and a real SMTP server.

PostgreSQL only: the worker is another process and must see the test database.
CI runs these; elsewhere they are skipped when Redis or PostgreSQL is missing.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection

from citizen_portal.celery import app as celery_app
from citizen_portal.queueing import BrokerPause
from notifications.models import Message, MessageStatus
from notifications.services import messages_requeue
from procedures import services
from tests.factories import UserFactory
from tests.procedures.factories import bulky_waste

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db(transaction=True)


def require_real_services():
    reasons = []
    if connection.vendor != "postgresql":
        reasons.append("PostgreSQL (DATABASE_URL)")
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        reasons.append(f"Redis ({BROKER})")
    if reasons:
        message = "Intégration Celery : il manque " + ", ".join(reasons)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FlakySmtp:
    """Answers « 451 try again » to the first ``failures`` mails, then accepts them."""

    def __init__(self):
        self.failures = 0
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 Réessayez plus tard"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture(scope="module")
def smtp():
    handler = FlakySmtp()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, smtp):
    with django_db_blocker.unblock():
        require_real_services()
        database = connection.settings_dict
    redis.Redis.from_url(BROKER).flushdb()
    controller, _handler = smtp
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "0",
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "citizen_portal",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    for line in process.stdout:
        if "ready." in line:
            break
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("le worker Celery n'a pas démarré")
    yield process
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def real_broker(worker):
    """The test process publishes to Redis instead of running tasks in-process."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(
        broker_url=BROKER,
        task_always_eager=False,
        task_publish_retry=False,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
    )
    use_broker(BROKER)
    yield
    celery_app.conf.update(**saved)
    use_broker(saved["broker_url"])


def use_broker(url):
    """Point the publisher at another broker, dropping every cached connection."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    BrokerPause.end()


def wait_until_sent(message_pk, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = Message.objects.get(pk=message_pk)
        if message.status in (MessageStatus.SENT, MessageStatus.FAILED):
            return message
        time.sleep(0.2)
    pytest.fail(f"message toujours {message.status} après {timeout} s")


def submit_request():
    citizen = UserFactory()
    draft = services.request_draft_save(
        account=citizen, procedure=bulky_waste(), member=None, answers={}
    )
    request = services.request_submit(request=draft, by=citizen)
    return request, Message.objects.get(topic=f"request:{request.pk}")


def test_the_worker_delivers_the_acknowledgement_of_a_submitted_request(real_broker, smtp):
    _controller, handler = smtp
    handler.received.clear()
    request, message = submit_request()
    sent = wait_until_sent(message.pk)
    assert sent.status == MessageStatus.SENT and sent.attempts == 1
    assert len(handler.received) == 1
    assert request.number.encode() in handler.received[0].content


def test_a_message_written_while_the_broker_is_down_is_delivered_once_it_is_back(real_broker, smtp):
    _controller, handler = smtp
    handler.received.clear()
    use_broker(UNREACHABLE_BROKER)
    _request, message = submit_request()
    time.sleep(1)
    assert Message.objects.get(pk=message.pk).status == MessageStatus.PENDING
    use_broker(BROKER)
    assert messages_requeue() == 1
    assert wait_until_sent(message.pk).status == MessageStatus.SENT
    assert len(handler.received) == 1


def test_an_smtp_server_failing_twice_then_accepting_gets_the_message_once(real_broker, smtp):
    _controller, handler = smtp
    handler.received.clear()
    handler.failures = 2
    _request, message = submit_request()
    sent = wait_until_sent(message.pk, timeout=45)
    assert sent.status == MessageStatus.SENT
    assert sent.attempts == 3
    assert len(handler.received) == 1
