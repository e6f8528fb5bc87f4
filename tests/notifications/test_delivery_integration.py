"""Delivery through a real Redis broker, a real Celery worker process and a real SMTP server.

PostgreSQL only: the worker is another process and must see the test database.
CI runs these; elsewhere they are skipped when Redis or PostgreSQL is missing.
"""

import time

import pytest
import redis
from aiosmtpd.controller import Controller

from notifications.models import Message, MessageStatus
from notifications.services import messages_requeue
from notifications.topics import request_topic
from procedures import services
from tests.factories import UserFactory
from tests.procedures.factories import bulky_waste, complete_answers
from tests.processes import (
    BROKER,
    celery_worker,
    free_port,
    publishing_to,
    require_real_services,
    stop,
)

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]


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
        redis.Redis.from_url(BROKER).flushdb()
        controller, _handler = smtp
        process = celery_worker(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(controller.port),
            EMAIL_USE_TLS="0",
            NOTIFICATIONS_RETRY_BASE_SECONDS="1",
        )
    yield process
    stop(process)


@pytest.fixture
def real_broker(worker):
    """The test process publishes to Redis instead of running tasks in-process."""
    with publishing_to(BROKER):
        yield


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
        account=citizen,
        procedure=(procedure := bulky_waste()),
        member=None,
        answers=complete_answers(procedure, {}),
    )
    request = services.request_submit(citizen_request=draft, by=citizen)
    return request, Message.objects.get(topic=request_topic(request.pk))


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
    with publishing_to(UNREACHABLE_BROKER):
        _request, message = submit_request()
        time.sleep(1)
        assert Message.objects.get(pk=message.pk).status == MessageStatus.PENDING
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
