"""A Celery worker that dies, or loses its database connection, between the SMTP server's
acceptance of a mail and the row's update: the message is never lost; it ends sent once,
or sent twice under one Message-ID, so that the duplicate is recognisable. And a message
whose sending kills its worker every time: it ends failed, with the reason."""

import os
import signal
import time
from datetime import timedelta

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from notifications.models import Message, MessageKind, MessageStatus
from notifications.services import message_queue, messages_requeue
from notifications.topics import request_topic
from tests.faults.killing_attachment import KILLING_ATTACHMENT
from tests.notifications.test_messages import submit
from tests.processes import (
    BROKER,
    celery_worker,
    database_url,
    free_port,
    publishing_to,
    require_real_services,
    stop,
)

pytestmark = pytest.mark.django_db(transaction=True)


class FaultySmtp:
    """Accepts every mail; before answering « 250 », runs ``fault`` once if one is set."""

    def __init__(self):
        self.received = []
        self.fault = None

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        fault, self.fault = self.fault, None
        if fault is not None:
            fault()
        return "250 OK"


@pytest.fixture
def smtp():
    handler = FaultySmtp()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, handler
    controller.stop()


@pytest.fixture
def start_worker(db, smtp):
    require_real_services()
    port, _handler = smtp
    started = []

    def start():
        worker = celery_worker(
            include=("tests.faults.killing_attachment",),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port),
            EMAIL_USE_TLS="0",
        )
        started.append(worker)
        return worker

    with publishing_to(BROKER):
        yield start
    for worker in started:
        stop(worker)


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail("attendu en vain")


def status_of(message_pk: int) -> str:
    return Message.objects.values_list("status", flat=True).get(pk=message_pk)


def message_ids(handler) -> list[str]:
    ids = []
    for envelope in handler.received:
        for line in envelope.content.decode().splitlines():
            if line.lower().startswith("message-id:"):
                ids.append(line.split(":", 1)[1].strip())
    return ids


def test_a_worker_killed_after_the_smtp_server_accepted_sends_once_more_under_one_id(
    citizen, smtp, start_worker
):
    _port, handler = smtp
    worker = start_worker()
    handler.fault = lambda: os.killpg(worker.pid, signal.SIGKILL)
    request = submit(citizen)  # Committed: the worker gets the task.
    message = Message.objects.get(topic=request_topic(request.pk))
    wait_for(lambda: worker.poll() is not None)
    assert status_of(message.pk) == MessageStatus.SENDING
    assert Message.objects.get(pk=message.pk).attempts == 1  # Counted when claimed.

    start_worker()
    stale = timezone.now() - timedelta(minutes=11)  # The claim has gone stale.
    Message.objects.filter(pk=message.pk).update(claimed_at=stale)
    assert messages_requeue() == 1
    wait_for(lambda: status_of(message.pk) == MessageStatus.SENT)

    assert Message.objects.get(pk=message.pk).attempts == 2
    ids = message_ids(handler)
    assert len(ids) == 2 and ids[0] == ids[1], ids


def test_a_database_connection_lost_after_the_smtp_server_accepted_sends_once(
    citizen, smtp, start_worker
):
    _port, handler = smtp
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0]

    def drop_the_workers_connection():
        with psycopg.connect(database_url(), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid NOT IN (%s, pg_backend_pid())",
                [ours],
            )

    start_worker()
    handler.fault = drop_the_workers_connection
    request = submit(citizen)
    message = Message.objects.get(topic=request_topic(request.pk))
    wait_for(lambda: status_of(message.pk) == MessageStatus.SENT)
    assert len(handler.received) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1


def test_a_message_that_kills_its_worker_ends_failed_after_the_allowed_attempts(
    citizen, settings, smtp, start_worker
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    _port, handler = smtp
    worker = start_worker()
    message = message_queue(
        kind=MessageKind.INFORMATION,
        template="password_changed",
        context={"account": citizen},
        to_email=citizen.email,
        account=citizen,
        attachment=("recu.pdf", KILLING_ATTACHMENT, 1),
    )
    for attempt in (1, 2):
        wait_for(lambda worker=worker: worker.poll() is not None)
        assert Message.objects.get(pk=message.pk).attempts == attempt
        worker = start_worker()
        stale = timezone.now() - timedelta(minutes=11)
        Message.objects.filter(pk=message.pk).update(claimed_at=stale)
        messages_requeue()
    failed = Message.objects.get(pk=message.pk)
    assert failed.status == MessageStatus.FAILED
    assert failed.attempts == 2
    assert failed.last_error.startswith("Envoi interrompu à chaque tentative (2)")
    assert worker.poll() is None  # The last worker was never handed the message.
    assert handler.received == []
