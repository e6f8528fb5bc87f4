"""The number beside « Mes messages » is cached per account and follows every change.

Each test views a page first, so that the count is cached before the change it checks.
"""

import re
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message, MessageKind, MessageStatus
from notifications.services import message_deliver, message_queue, sent_messages_purge
from notifications.topics import request_topic
from tests.transactions import uncommitted

PARIS = ZoneInfo("Europe/Paris")
HOME = reverse("home")


def queue(account, *, send_after=None, kind=MessageKind.INFORMATION) -> Message:
    """A message written the way every part of the portal writes one."""
    return message_queue(
        kind=kind,
        template="password_changed",
        context={"account": account},
        to_email=account.email,
        account=account,
        send_after=send_after,
    )


def badge(client, url=HOME) -> str:
    """The text beside « Mes messages » in the header, "" when there is none."""
    response = client.get(url)
    assert response.status_code == 200
    link = re.search(
        rf'<a href="{reverse("notifications:list")}"(?: aria-current="page")?>'
        r"Mes messages(.*?)</a>",
        response.content.decode(),
    )
    assert link, "no « Mes messages » link in the header"
    text = re.search(r'<span class="badge">([^<]*)</span>', link.group(1))
    return text.group(1) if text else ""


@pytest.mark.django_db
def test_a_message_queued_after_the_page_was_viewed_shows_in_the_badge(citizen_client, citizen):
    assert badge(citizen_client) == ""
    queue(citizen)
    assert badge(citizen_client) == "1 non lu"
    queue(citizen)
    assert badge(citizen_client) == "2 non lus"


@pytest.mark.django_db
def test_opening_a_message_lowers_the_badge_from_that_very_page(citizen_client, citizen):
    first, second = queue(citizen), queue(citizen)
    assert badge(citizen_client) == "2 non lus"
    assert badge(citizen_client, reverse("notifications:detail", args=[first.pk])) == "1 non lu"
    assert badge(citizen_client) == "1 non lu"
    citizen_client.get(reverse("notifications:detail", args=[second.pk]))
    assert badge(citizen_client) == ""


@pytest.mark.django_db
def test_opening_a_read_message_again_changes_nothing(citizen_client, citizen):
    read, _unread = queue(citizen), queue(citizen)
    citizen_client.get(reverse("notifications:detail", args=[read.pk]))
    assert badge(citizen_client) == "1 non lu"
    citizen_client.get(reverse("notifications:detail", args=[read.pk]))
    assert badge(citizen_client) == "1 non lu"


@pytest.mark.django_db
def test_a_reminder_counts_once_its_time_has_come_though_the_count_was_cached(
    client, citizen, time_machine
):
    start = datetime(2026, 12, 2, 15, 0, tzinfo=PARIS)
    time_machine.move_to(start, tick=False)
    client.force_login(citizen)  # now: the session lasts from the moment of the login
    queue(citizen, kind=MessageKind.REMINDER, send_after=start + timedelta(hours=1))
    queue(citizen, kind=MessageKind.REMINDER, send_after=start + timedelta(hours=2))
    assert badge(client) == ""
    time_machine.move_to(start + timedelta(minutes=59), tick=False)
    assert badge(client) == ""
    time_machine.move_to(start + timedelta(hours=1), tick=False)
    assert badge(client) == "1 non lu"
    time_machine.move_to(start + timedelta(hours=2, minutes=1), tick=False)
    assert badge(client) == "2 non lus"


@pytest.mark.django_db
def test_a_second_page_view_costs_one_query_less_the_unread_count(citizen_client, citizen):
    queue(citizen)
    with CaptureQueriesContext(connection) as first:
        assert badge(citizen_client) == "1 non lu"
    with CaptureQueriesContext(connection) as second:
        assert badge(citizen_client) == "1 non lu"
    assert len(second) == len(first) - 1
    assert any("notifications_message" in q["sql"] for q in first.captured_queries)
    assert not any("notifications_message" in q["sql"] for q in second.captured_queries)


@pytest.mark.django_db
def test_another_accounts_messages_never_count(client, citizen, other_citizen):
    client.force_login(citizen)
    assert badge(client) == ""
    queue(other_citizen)
    queue(other_citizen)
    message_queue(  # a message of a request without an account
        kind=MessageKind.INFORMATION,
        template="password_changed",
        context={"account": citizen},
        to_email="quelquun@example.org",
        topic=request_topic(1),
    )
    assert badge(client) == ""
    client.force_login(other_citizen)
    assert badge(client) == "2 non lus"


@pytest.mark.django_db
def test_staff_have_no_messages_link(client, clerk):
    client.force_login(clerk)
    page = client.get(HOME).content.decode()
    assert "Mes messages" not in page


def sent_long_ago(account, days) -> Message:
    message = queue(account)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, sent_at=timezone.now() - timedelta(days=days)
    )
    return message


@pytest.mark.django_db
def test_the_purge_command_takes_an_old_unread_message_off_the_badge(
    citizen_client, citizen, settings
):
    settings.SENT_MESSAGE_RETENTION_DAYS = 365
    old = sent_long_ago(citizen, 400)
    sent_long_ago(citizen, 10)
    assert badge(citizen_client) == "2 non lus"
    call_command("purge", stdout=StringIO())
    assert not Message.objects.filter(pk=old.pk).exists()
    assert badge(citizen_client) == "1 non lu"


@pytest.mark.django_db
def test_sent_messages_purge_takes_an_old_unread_message_off_the_badge(citizen_client, citizen):
    sent_long_ago(citizen, 400)
    assert badge(citizen_client) == "1 non lu"
    assert sent_messages_purge() == 1
    assert badge(citizen_client) == ""


@pytest.mark.django_db(transaction=True)
def test_a_page_read_before_the_message_is_committed_does_not_keep_the_old_count(client, citizen):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is checked on PostgreSQL (CI runs it).")
    client.force_login(citizen)
    with uncommitted(lambda: queue(citizen)):
        assert badge(client) == ""  # not committed yet: counted, and cached, as 0
    assert badge(client) == "1 non lu"


@pytest.mark.django_db
def test_a_message_whose_delivery_is_retried_leaves_the_list_and_the_badge_together(
    citizen_client, citizen, settings
):
    """A refused delivery pushes ``send_after`` to the retry: the list and the badge hide
    the message alike until then, and show it again, dated, once it is sent."""
    settings.EMAIL_BACKEND = "tests.notifications.test_unread_count.RefusingBackend"
    message = queue(citizen)
    assert badge(citizen_client) == "1 non lu"
    assert message_deliver(message.pk)[0] == "retry"
    assert badge(citizen_client) == ""
    assert message.subject not in citizen_client.get(reverse("notifications:list")).content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        assert message_deliver(message.pk)[0] == "sent"
        assert badge(citizen_client) == "1 non lu"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("SMTP refusé")
