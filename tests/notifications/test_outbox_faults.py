"""The outbox when sending kills the worker: a poison message ends failed with its reason
after the allowed attempts, and every sending of one row carries one Message-ID (a
duplicate is recognisable). Real processes and connections: tests/faults/."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notifications import services as outbox
from notifications.models import Message, MessageStatus
from tests.factories import UserFactory
from tests.notifications.test_messages import submit

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


def worker_dies_while_sending(pk: int) -> None:
    """What a worker killed mid-send leaves behind: the claim, and nothing after it."""
    assert outbox.message_claim(pk)


def test_a_message_that_kills_its_worker_every_time_ends_failed_with_the_reason(
    citizen, settings, time_machine
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 6
    time_machine.move_to(START, tick=False)
    submit(citizen)  # On-commit callbacks not run: the message waits in the outbox.
    message = Message.objects.get()
    for round_ in range(1, 12):
        now = START + timedelta(minutes=11 * round_)
        time_machine.move_to(now, tick=False)
        with mock.patch.object(outbox, "enqueue", autospec=True) as enqueue:
            outbox.messages_requeue()
        for call in enqueue.call_args_list:
            worker_dies_while_sending(*call.args)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 6
    assert message.last_error == (
        "Envoi interrompu à chaque tentative (6) : le processus d'envoi s'est arrêté avant "
        "de conclure (mémoire épuisée, arrêt forcé). Message abandonné."
    )


def test_it_is_listed_with_the_failed_ones_in_admin(citizen, client, time_machine):
    time_machine.move_to(START, tick=False)
    submit(citizen)
    Message.objects.update(status=MessageStatus.SENDING, claimed_at=START, attempts=6)
    time_machine.move_to(START + timedelta(minutes=11), tick=False)
    assert outbox.messages_requeue() == 0
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(
        reverse("admin:notifications_message_changelist"), {"status__exact": "failed"}
    )
    assert "Envoi interrompu à chaque tentative (6)" in listing.content.decode()


def test_every_sending_of_a_row_carries_the_same_message_id(citizen, settings):
    settings.DEFAULT_FROM_EMAIL = "Votre espace citoyen <ne-pas-repondre@mairie.example>"
    submit(citizen)
    message = Message.objects.get()
    first = outbox.build_email(message).message()["Message-ID"]
    again = outbox.build_email(Message.objects.get(pk=message.pk)).message()["Message-ID"]
    assert first == again
    assert first == f"<outbox-{message.pk}.{message.created_at:%Y%m%d%H%M%S}@mairie.example>"
    submit(citizen)
    other = Message.objects.exclude(pk=message.pk).get()
    assert outbox.build_email(other).message()["Message-ID"] != first
