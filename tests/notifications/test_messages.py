"""Every event produces exactly one message, in French, text and HTML agreeing."""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Message, MessageKind, MessageStatus
from procedures import services
from tests.procedures.factories import bulky_waste, complete_answers

PARIS = ZoneInfo("Europe/Paris")


def html_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def submit(citizen, procedure=None):
    procedure = procedure or bulky_waste()
    draft = services.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers=complete_answers(procedure, {"objets": "Canapé"}),
    )
    return services.request_submit(citizen_request=draft, by=citizen)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run what commits would run: the outbox is delivered by the (eager) task."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.mark.django_db
def test_a_submitted_request_is_acknowledged_with_the_legal_mentions(citizen, send):
    procedure = bulky_waste(
        silence_rule="refusal", silence_delay_days=60, service_contact="01 23 45 67 80"
    )
    request = send(submit, citizen, procedure)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [citizen.email]
    assert email.from_email.endswith("<ne-pas-repondre@mairie.example>")
    assert (
        email.subject
        == f"Accusé de réception — Collecte des encombrants — demande n° {request.number}"
    )
    for text in (email.body, html_text(email.alternatives[0][0])):
        assert "accusé de réception électronique" in text
        assert "L112-11" in text
        assert "Service Propreté" in text and "01 23 45 67 80" in text
        assert "délai de 60 jours" in text and "réputée rejetée" in text
        assert "pas besoin d'y répondre" in text
        assert f"/demandes/{request.pk}/" in text
    assert email.alternatives[0][1] == "text/html"
    assert "<img" not in email.alternatives[0][0]
    message = Message.objects.get()
    assert (message.kind, message.status, message.account) == (
        MessageKind.ACKNOWLEDGEMENT,
        MessageStatus.SENT,
        citizen,
    )


@pytest.mark.django_db
def test_decisions_are_announced_with_the_reason_of_a_refusal(citizen, clerk, send):
    request = submit(citizen)
    mail.outbox.clear()
    send(
        services.request_transition,
        citizen_request=request,
        name="refuse",
        by=clerk,
        comment="Adresse hors commune",
    )
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject.startswith("Décision prise — Collecte des encombrants")
    assert "refusée" in email.subject
    assert "Motif du refus : Adresse hors commune" in email.body
    assert "Adresse hors commune" in html_text(email.alternatives[0][0])


@pytest.mark.django_db
def test_asking_for_documents_is_an_information_message(citizen, clerk, send):
    request = submit(citizen)
    request = services.request_transition(citizen_request=request, name="start", by=clerk)
    mail.outbox.clear()
    send(
        services.request_transition,
        citizen_request=request,
        name="ask_citizen",
        by=clerk,
        comment="Présentez-vous au Guichet Unique avec un justificatif de domicile.",
    )
    assert [m.subject.split(" — ")[0] for m in mail.outbox] == ["Information"]
    assert "justificatif de domicile" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize("operation", ["cancel", "reply"])
def test_each_citizen_operation_is_acknowledged_once(citizen, clerk, send, operation):
    request = submit(citizen)
    if operation == "reply":
        request = services.request_transition(citizen_request=request, name="start", by=clerk)
        request = services.request_transition(
            citizen_request=request, name="ask_citizen", by=clerk, comment="?"
        )
    mail.outbox.clear()
    Message.objects.all().delete()
    if operation == "cancel":
        send(services.request_cancel, citizen_request=request, by=citizen)
    else:
        send(services.request_reply, citizen_request=request, by=citizen, message="Voici")
    assert Message.objects.count() == 1
    assert mail.outbox[0].subject.startswith("Accusé de réception")


@pytest.mark.django_db
def test_starting_the_processing_sends_nothing(citizen, clerk, send):
    request = submit(citizen)
    mail.outbox.clear()
    send(services.request_transition, citizen_request=request, name="start", by=clerk)
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_account_creation_mail_is_the_identifier_acknowledgement(client, send):
    from tests.accounts.test_registration import URL, valid_data

    send(client.post, URL, valid_data())
    assert len(mail.outbox) == 1
    assert "Votre identifiant : " in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Accusé de réception")


@pytest.mark.django_db
def test_a_change_of_the_account_is_acknowledged(citizen, send):
    from accounts.services import account_update

    send(account_update, account=citizen, by=citizen, phone="07 00 00 00 00")
    assert len(mail.outbox) == 1
    assert "07 00 00 00 00" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_reminder_is_sent_the_day_before_at_8_and_not_before(
    citizen, clerk, send, time_machine
):
    time_machine.move_to(datetime(2026, 12, 1, 15, 0, tzinfo=PARIS), tick=False)
    request = send(
        submit, citizen, bulky_waste(reminder_text="sortez vos encombrants dans la rue le {date}")
    )
    send(
        services.request_transition,
        citizen_request=request,
        name="accept",
        by=clerk,
        appointment_date=date(2026, 12, 4),
    )
    reminder = Message.objects.get(kind=MessageKind.REMINDER)
    assert reminder.send_after == datetime(2026, 12, 3, 8, 0, tzinfo=PARIS)
    mail.outbox.clear()

    from notifications.services import messages_requeue

    time_machine.move_to(datetime(2026, 12, 3, 7, 59, tzinfo=PARIS), tick=False)
    assert messages_requeue() == 0
    assert mail.outbox == []
    time_machine.move_to(datetime(2026, 12, 3, 8, 0, tzinfo=PARIS), tick=False)
    assert messages_requeue() == 1
    assert len(mail.outbox) == 1
    assert "sortez vos encombrants dans la rue le 04/12/2026" in mail.outbox[0].body
    assert messages_requeue() == 0  # sent once


@pytest.mark.django_db
def test_a_message_is_claimed_once(citizen):
    from notifications.services import message_claim

    submit(citizen)  # callbacks not run: the message waits in the outbox
    message = Message.objects.get()
    assert message_claim(message.pk) is True
    assert message_claim(message.pk) is False


@pytest.mark.django_db
def test_smtp_errors_are_retried_with_backoff_then_failed_with_the_error(
    citizen, settings, mocker=None
):
    from unittest import mock

    from notifications import services as outbox

    submit(citizen)
    message = Message.objects.get()
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        autospec=True,
        side_effect=ConnectionRefusedError("SMTP injoignable"),
    ):
        assert outbox.message_deliver(message.pk)[0] == "retry"
        message.refresh_from_db()
        assert message.status == MessageStatus.PENDING and message.attempts == 1
        first_delay = message.send_after
        Message.objects.filter(pk=message.pk).update(send_after=message.created_at)
        assert outbox.message_deliver(message.pk) == (
            "retry",
            2 * settings.NOTIFICATIONS_RETRY_BASE_SECONDS,
        )
        Message.objects.filter(pk=message.pk).update(send_after=message.created_at)
        assert outbox.message_deliver(message.pk)[0] == "failed"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "SMTP injoignable" in message.last_error
    assert first_delay > message.created_at


@pytest.mark.django_db
def test_failed_messages_are_resent_by_the_command_and_the_admin(citizen, client, send):
    from django.core.management import call_command

    submit(citizen)
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error="boom")
    said = StringIO()
    send(call_command, "resend_notifications", stdout=said)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(mail.outbox) == 1
    assert "1 message(s) remis à l'envoi sur 1 en échec." in said.getvalue()

    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error="SMTP 554")
    client.force_login(admin)
    listing = client.get(
        reverse("admin:notifications_message_changelist"), {"status__exact": "failed"}
    )
    assert "SMTP 554" in listing.content.decode()
    send(
        client.post,
        reverse("admin:notifications_message_changelist"),
        {"action": "resend", "_selected_action": [message.pk]},
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_a_stale_claim_of_a_dead_worker_is_given_back(citizen, time_machine):
    from notifications.services import message_claim, messages_requeue

    time_machine.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=PARIS), tick=False)
    submit(citizen)
    message = Message.objects.get()
    message_claim(message.pk)
    time_machine.move_to(datetime(2026, 12, 1, 10, 11, tzinfo=PARIS), tick=False)
    assert messages_requeue() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_the_portal_lists_messages_newest_first_with_unread_marked(
    citizen_client, citizen, clerk, send, other_citizen
):
    request = send(submit, citizen)
    send(services.request_transition, citizen_request=request, name="accept", by=clerk)
    page = citizen_client.get(reverse("notifications:list")).content.decode()
    assert page.index("Décision prise") < page.index("Accusé de réception")
    assert page.count(">Non lu<") == 2
    assert "2 non lus" in citizen_client.get(reverse("home")).content.decode()
    newest = Message.objects.filter(account=citizen).order_by("-pk").first()
    citizen_client.get(reverse("notifications:detail", args=[newest.pk]))
    assert citizen_client.get(reverse("notifications:list")).content.decode().count(">Non lu<") == 1
    citizen_client.force_login(other_citizen)
    assert citizen_client.get(reverse("notifications:detail", args=[newest.pk])).status_code == 404


@pytest.mark.django_db
def test_an_unreachable_broker_does_not_lose_the_message(
    citizen, settings, django_capture_on_commit_callbacks
):
    from unittest import mock

    from common.queueing import broker_pause
    from notifications import tasks

    broken = mock.patch.object(
        tasks.deliver_message, "apply_async", side_effect=OSError("broker down")
    )
    with broken, django_capture_on_commit_callbacks(execute=True):
        submit(citizen)
    message = Message.objects.get()
    assert message.status == MessageStatus.PENDING
    from notifications.services import messages_requeue

    broker_pause.end()  # The pause after a failure is over: the beat's next minute.
    assert messages_requeue() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_a_clerk_sends_an_information_from_a_template_in_the_admin(client, send):
    from demo import message_templates
    from notifications.models import MessageTemplate
    from tests.factories import UserFactory

    message_templates.seed()
    citizen = UserFactory()
    request = send(submit, citizen)
    mail.outbox.clear()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    template = MessageTemplate.objects.get(title__startswith="Se présenter")
    change = reverse("admin:procedures_request_change", args=[request.pk])
    page = client.get(change, {"modele": template.pk}).content.decode()
    assert "Envoyer une information au demandeur" in page
    assert "originaux des pièces justificatives" in page  # the template fills the text
    send(
        client.post,
        reverse("admin:procedures_request_inform", args=[request.pk]),
        {"text": "Venez avec votre livret de famille."},
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Information — Collecte des encombrants")
    assert "livret de famille" in mail.outbox[0].body
    event = request.events.get(transition="inform")
    assert event.actor == admin and event.to_state == request.state
    empty = client.post(
        reverse("admin:procedures_request_inform", args=[request.pk]), {"text": " "}
    )
    assert empty.status_code == 302
    assert request.events.filter(transition="inform").count() == 1


@pytest.mark.django_db
def test_household_changes_by_the_citizen_are_acknowledged_once_each(citizen, send):
    from households.models import Category
    from households.services import household_get_or_create, member_add, member_remove

    household = send(household_get_or_create, account=citizen, by=citizen)
    assert mail.outbox == []  # the holder made from the account is no operation
    child = send(
        member_add,
        household=household,
        by=citizen,
        category=Category.CHILD,
        relationship="enfant",
        sex="F",
        last_name=citizen.last_name,
        first_names="Léa",
        birth_date=date(2018, 5, 2),
    )
    assert len(mail.outbox) == 1
    assert (
        mail.outbox[0].subject
        == "Accusé de réception — votre foyer : membre ajouté (Léa " + citizen.last_name + ")"
    )
    send(member_remove, member=child, by=citizen)
    assert len(mail.outbox) == 2
    assert "Membre retiré du foyer" in mail.outbox[1].body
